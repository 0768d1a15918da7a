"""The content finder: which of the lines left after the rules are the article.

Text alone, no HTML. Each line gets a score from its shape: prose (many words, a healthy share of
the page language's stop words, closing punctuation) scores by its length; chrome (short lines,
labels, lines repeated elsewhere on the page, runs of link-like short lines) scores below zero.
The main region is the run of lines with the highest total score (the maximum-sum segment, as in
body-text extraction), so short headings and list items between paragraphs stay, and menus,
footers and teaser lists around the article go. Pages with little prose are left alone: when
there is no clear article, cutting would do more harm than good.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .language import stopwords_of

_WORD = re.compile(r"\w+")
_GAPS = re.compile(r"\S {3,}(?=\S)|\S\t+(?=\S)")
_TERMINAL = tuple(".!?…:;\"'”’»)")

# Tuned on development pages; see docs/benchmark.md for how they were measured.
MIN_PAGE_WORDS = 60  # below this there is no article to find: keep everything
PROSE_WORDS = 10  # a line this long with stop words in it reads as a sentence
LINE_PENALTY = 1.0  # cost of every line: chrome is many short lines
SHORT_PENALTY = 3.0  # extra cost of a short line without closing punctuation (labels, links)
REPEAT_PENALTY = 4.0  # a line printed twice on one page is template, not article
PROSE_SHARE = 0.15  # below this share of words in prose lines the page is not an article
CONFIDENCE = 0.2  # the main block must hold this share of the page's positive score
MIN_SEGMENT = 8.0  # a block of lines worth less than this is never kept on its own
SEGMENT_SHARE = 0.1  # other blocks are kept when worth this share of the main block


@dataclass(frozen=True)
class Verdict:
    keep: list[bool]
    start: int  # index of the first line of the main region (len(lines) when none)
    end: int  # index after its last line


@lru_cache(maxsize=1 << 16)
def _score(line: str, stopwords: frozenset[str], repeated: bool) -> float:
    """A line's score. Cached: the settling pass and pages of one site score the same lines."""
    words = _WORD.findall(line.lower())
    count = len(words)
    if count == 0:
        return -LINE_PENALTY
    if len(_GAPS.findall(line)) >= 3:
        # Inline links glued with the source's indentation between them: a menu, not prose.
        return -LINE_PENALTY - SHORT_PENALTY
    density = sum(w in stopwords for w in words) / count if stopwords else 0.3
    ends = line.endswith(_TERMINAL)
    score = -LINE_PENALTY
    if count >= PROSE_WORDS and (density >= 0.15 or not stopwords):
        score += count * (0.6 + min(density, 0.5)) + (2.0 if ends else 0.0)
    elif count >= 4 and ends:
        score += count * 0.6
    elif not ends:
        score -= SHORT_PENALTY if count < 6 else 1.0
    if repeated:
        score -= REPEAT_PENALTY
    return score


def find_content(lines: Sequence[str], language: str | None) -> Verdict:
    """Decide which lines are the article: the maximum-sum region of line scores."""
    total_words = sum(len(line.split()) for line in lines)
    if total_words < MIN_PAGE_WORDS or len(lines) < 3:
        return Verdict([True] * len(lines), 0, len(lines))
    stopwords = stopwords_of(language) or stopwords_of("en")
    counts = Counter(lines)
    scores = [_score(line, stopwords, counts[line] > 1) for line in lines]
    prose_words = sum(len(line.split()) for line, score in zip(lines, scores, strict=True) if score > 0)
    segments = _segments(scores, 0, len(scores))
    if not segments or prose_words < PROSE_SHARE * total_words:
        # Mostly short lines (listings, catalogues, tables): no article to cut to.
        return Verdict([True] * len(lines), 0, len(lines))
    best = max(segments, key=lambda seg: seg[0])
    positive = sum(score for score in scores if score > 0)
    if best[0] < CONFIDENCE * positive:
        # Prose spread thinly over the page (listings, link hubs): no single article to cut to.
        return Verdict([True] * len(lines), 0, len(lines))
    # Other blocks of prose (forum posts, sections split by a long table) stay when they weigh
    # a fair share of the main one; the chrome between them still goes.
    floor = max(MIN_SEGMENT, SEGMENT_SHARE * best[0])
    keep = [False] * len(lines)
    for total, start, end in segments:
        if total >= floor:
            keep[start:end] = [True] * (end - start)
    return Verdict(keep, best[1], best[2])


def _max_segment(scores: Sequence[float], lo: int, hi: int) -> tuple[float, int, int]:
    """(sum, start, end) of the maximum-sum run of scores[lo:hi] (Kadane)."""
    best, best_start, best_end = 0.0, lo, lo
    running, start = 0.0, lo
    for i in range(lo, hi):
        if running <= 0:
            running, start = 0.0, i
        running += scores[i]
        if running > best:
            best, best_start, best_end = running, start, i + 1
    return best, best_start, best_end


def _segments(scores: Sequence[float], lo: int, hi: int) -> list[tuple[float, int, int]]:
    """Positive maximum-sum runs, found recursively left and right of each other."""
    found: list[tuple[float, int, int]] = []
    stack = [(lo, hi)]
    while stack:
        lo, hi = stack.pop()
        if hi - lo <= 0:
            continue
        total, start, end = _max_segment(scores, lo, hi)
        if total <= MIN_SEGMENT or end <= start:
            continue
        found.append((total, start, end))
        stack += [(lo, start), (end, hi)]
    return found
