"""The content finder: which of the lines left after the rules are the article.

Text alone, no HTML. Two stages.

The hand-written finder (`heuristic`) gives each line a score from its shape: prose (many words,
a healthy share of the page language's stop words, closing punctuation) scores by its length;
chrome (short lines, labels, lines repeated elsewhere on the page, runs of link-like short lines)
scores below zero. Its main region is the run of lines with the highest total score (the
maximum-sum segment, as in body-text extraction), so short headings and list items between
paragraphs stay, and menus, footers and teaser lists around the article go. Pages with little
prose are left alone: when there is no clear article, cutting would do more harm than good.

Where the hand-written finder cuts, a learned line scorer has its say too (`find_content`): a
small tree ensemble (`cleaner/models/lines.json`, fitted by `bench/train_finder.py`) reads
generic features of every line (`cleaner/linefeatures.py`, the hand-written score and region
among them) and gives the probability that the line is article text. Each line then weighs
``(probability - LINE_THRESHOLD) * words`` and the same maximum-sum segments are taken over those
weights. Where the hand-written finder keeps the whole page because it is small or mostly short
lines (catalogues, tables), the page stays whole (the gate); where it keeps it whole because its
prose is spread over many blocks with none clearly the main one (forum threads, Q&A pages, link
hubs), the learned scorer still decides, with every line counted as kept by the hand-written
finder, so that only lines it is sure of go (see `join`).

The two verdicts are then joined (`join`): a line the hand-written finder keeps stays unless the
learned selection drops it and the scorer is fairly sure it is not article text (probability
under `DOUBT`); a line it drops comes back only when the learned selection keeps it with a
probability of `SURE` or more. So the learned scorer adds what it is sure of and takes away what
it is sure of; where it is unsure (long stretches of documentation prose after a syntax
diagram, code between paragraphs) the hand-written verdict stands. Measured with host-grouped
folds, the join beats either alone (docs/finder.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cleaner.find.domfeatures import DOM_FEATURES, dom_features
from cleaner.find.linefeatures import FEATURES, KernelShapes, kernel_shapes, page_features, words_of
from cleaner.find.runfeatures import RUN_FEATURES, run_features
from cleaner.lang.detect import stopwords_of
from cleaner.lang.words import CLOSING_PUNCTUATION, PROSE_WORDS, word_count
from cleaner.models.store import load_trees, read_model, trees_of
from cleaner.models.trees import TreeEnsemble

_TERMINAL = CLOSING_PUNCTUATION

# Tuned on development pages; see docs/benchmark.md for how they were measured.
MIN_PAGE_WORDS = 60  # below this there is no article to find: keep everything
LINE_PENALTY = 1.0  # cost of every line: chrome is many short lines
SHORT_PENALTY = 3.0  # extra cost of a short line without closing punctuation (labels, links)
REPEAT_PENALTY = 4.0  # a line printed twice on one page is template, not article
PROSE_SHARE = 0.15  # below this share of words in prose lines the page is not an article
PROSE_STOPWORDS = 0.15  # a line of prose has at least this share of stop words (where the language has a list)
CONFIDENCE = 0.2  # the main block must hold this share of the page's positive score
MIN_SEGMENT = 8.0  # a block of lines worth less than this is never kept on its own
SEGMENT_SHARE = 0.1  # other blocks are kept when worth this share of the main block

LINES_MODEL = Path(__file__).parents[1] / "models" / "lines.json"
# The text scorer also reads the run each line sits in (`runfeatures.RUN_FEATURES`); the HTML
# scorer reads the markup instead (`HTML_FEATURES`).
TEXT_FEATURES: tuple[str, ...] = FEATURES + RUN_FEATURES
# The learned finder's selection: a line weighs (probability - LINE_THRESHOLD) * words, and runs
# other than the main one stay when worth LEARNED_SHARE of it. Measured through the whole
# pipeline on host-grouped folds (mean word F1 over all pages): thresholds 0.4, 0.45 and 0.5 gave
# 0.775, 0.777 and 0.777, and a share of 0.2 the same as 0.1.
LINE_THRESHOLD = 0.45
LEARNED_SHARE = 0.1
# When the learned finder keeps less than this share of the words the hand-written one keeps, the
# hand-written verdict stands (a last guard: 0.6 measured no better on the same folds).
MIN_KEPT_SHARE = 0.3
# What the joined verdict keeps must be an article's worth: under MIN_ARTICLE_WORDS words that are
# also under MIN_ARTICLE_SHARE of the page's, it is a newsletter prompt, a cookie notice or a
# "no results" line the maximum-sum runs found amid a page of short lines (a schedule, a catalogue,
# an index of names), and the page is kept whole, as a page of short lines is (`heuristic`). On the
# corpus, listings rose from 0.616 to 0.636 word F1 (scraped text) and 0.647 to 0.661 (crawler
# dump), articles lost 0.0004 and products 0.004 (pages whose gold is under 100 words); 150 words
# or no share condition cost collections and a forum post of 95 words (docs/finder.md).
MIN_ARTICLE_WORDS = 100
MIN_ARTICLE_SHARE = 0.35
# A line the hand-written finder keeps stays unless its probability is below DOUBT; a line it
# drops comes back when the learned selection keeps it with a probability of SURE or more.
DOUBT = 0.3
SURE = 0.6

# HTML lines (they carry their markup's attributes) are scored by a second model, fitted on the
# text features and the markup's (`domfeatures.DOM_FEATURES`) by bench/train_finder_html.py; its
# selection and join have their own settings, measured the same way (docs/finder.md).
HTML_LINES_MODEL = Path(__file__).parents[1] / "models" / "lines-html.json"
HTML_FEATURES: tuple[str, ...] = FEATURES + DOM_FEATURES
# Whether a page the hand-written finder keeps whole (small, or mostly short lines) stays whole. With
# the markup to read, the scorer decides there too: host-grouped folds on a tenth of the corpus gave
# all pages 0.8041 without the gate, 0.8035 with it (forums and service pages gain). Looser joins
# (doubt 0.45, sure 0.5) gained articles 0.006 and cost forums 0.04 and listings 0.05.
HTML_GATE = False
HTML_THRESHOLD = LINE_THRESHOLD
HTML_DOUBT = DOUBT
HTML_SURE = SURE
# The HTML scorer may keep a small part of the page: a shop's item amid its menus and carousels is
# a few per cent of the page's words, and falling back to the whole page there kept everything
# (on 210 pages of the corpus, 25 of each type and 60 articles: products 0.534 -> 0.601 word F1
# at 0.0, forums 0.814 -> 0.860, all 0.831 -> 0.849, no type lower; in-sample, so a floor is kept).
HTML_MIN_KEPT_SHARE = 0.1
# A line the HTML scorer gives less than this goes even where both verdicts keep it (a share
# label or a price inside the article's region): cross-validated by host on the corpus's 1,497
# pages, word F1 rose on every page type at 0.1 and at 0.15 (0.15: all +0.004, products +0.03,
# forums +0.01, articles +0.0003); 0.2 cost documentation a little (docs/finder.md).
HTML_FLOOR = 0.15


@dataclass(frozen=True)
class Verdict:
    keep: list[bool]
    start: int  # index of the first line of the main region (len(lines) when none)
    end: int  # index after its last line
    scores: list[float] | None = None  # the line scorer's probabilities, when it ran


# A page's lines, and its settling pass's, fit: 8,192 lines. 65,536 held about 55 MB more per worker
# after 600 pages (with `words_of` and `line_shape`) for repeats across pages that are rare.
@lru_cache(maxsize=1 << 13)
def _score(line: str, stopwords: frozenset[str], repeated: bool) -> float:
    """A line's score. Cached: the settling pass and pages of one site score the same lines."""
    count, stops, _, gaps, _ = words_of(line, stopwords)
    return _line_score(line, count, stops, gaps, bool(stopwords), repeated)


def _line_score(line: str, count: int, stops: int, gaps: bool, has_stopwords: bool, repeated: bool) -> float:
    """The score of a line of ``count`` words, ``stops`` of them stop words (`words_of`)."""
    if count == 0:
        return -LINE_PENALTY
    if gaps:
        # Inline links glued with the source's indentation between them: a menu, not prose.
        return -LINE_PENALTY - SHORT_PENALTY
    density = stops / count if has_stopwords else 0.3
    ends = line.endswith(_TERMINAL)
    score = -LINE_PENALTY
    if count >= PROSE_WORDS and (density >= PROSE_STOPWORDS or not has_stopwords):
        score += count * (0.6 + min(density, 0.5)) + (2.0 if ends else 0.0)
    elif count >= 4 and ends:
        score += count * 0.6
    elif not ends:
        score -= SHORT_PENALTY if count < 6 else 1.0
    if repeated:
        score -= REPEAT_PENALTY
    return score


def _scores(lines: Sequence[str], stopwords: frozenset[str], shapes: KernelShapes | None) -> list[float]:
    """Every line's score: from the words the compiled core counted when it runs, else by `_score`."""
    counts = Counter(lines)
    if shapes is None:
        return [_score(line, stopwords, counts[line] > 1) for line in lines]
    has_stopwords = bool(stopwords)
    scores = [_line_score(line, count, stops, gaps, has_stopwords, counts[line] > 1)
              for line, count, stops, gaps in zip(lines, shapes.counts, shapes.stops, shapes.gaps, strict=True)]
    for i in shapes.skipped:  # lines the kernel leaves to the reference (a lone surrogate)
        scores[i] = _score(lines[i], stopwords, counts[lines[i]] > 1)
    return scores


@dataclass(frozen=True)
class Heuristic:
    """What the hand-written finder made of a page: its verdict, and what the learned finder
    reads from it. ``scores`` and ``segments`` are empty when the page was too small to score."""

    verdict: Verdict
    whole: bool  # it keeps every line
    scores: list[float]
    segments: list[tuple[float, int, int]]
    stopwords: frozenset[str]
    has_stopwords: bool
    spread: bool = False  # kept whole only because its prose is spread thinly over the page
    shapes: KernelShapes | None = None  # the compiled core's figures of the lines, for the learned finder


def heuristic(lines: Sequence[str], language: str | None) -> Heuristic:
    """The hand-written finder: the maximum-sum region of line scores (see the module doc)."""
    everything = Verdict([True] * len(lines), 0, len(lines))
    own = stopwords_of(language)
    stopwords = own or stopwords_of("en")
    tokens = list(map(word_count, lines))
    total_words = sum(tokens)
    if total_words < MIN_PAGE_WORDS or len(lines) < 3:
        return Heuristic(everything, True, [], [], stopwords, bool(own))
    # The compiled core's figures of the lines serve this score and the learned finder's features.
    shapes = kernel_shapes(lines, stopwords)
    scores = _scores(lines, stopwords, shapes)
    prose_words = sum([t for t, score in zip(tokens, scores, strict=True) if score > 0])
    segments = _segments(scores, 0, len(scores))
    if not segments or prose_words < PROSE_SHARE * total_words:
        # Mostly short lines (listings, catalogues, tables): no article to cut to.
        return Heuristic(everything, True, scores, segments, stopwords, bool(own), shapes=shapes)
    best = max(segments, key=lambda seg: seg[0])
    positive = sum(score for score in scores if score > 0)
    if best[0] < CONFIDENCE * positive:
        # Prose spread thinly over the page (listings, link hubs): no single article to cut to.
        return Heuristic(everything, True, scores, segments, stopwords, bool(own), spread=True, shapes=shapes)
    # Other blocks of prose (forum posts, sections split by a long table) stay when they weigh
    # a fair share of the main one; the chrome between them still goes.
    floor = max(MIN_SEGMENT, SEGMENT_SHARE * best[0])
    keep = [False] * len(lines)
    for total, start, end in segments:
        if total >= floor:
            keep[start:end] = [True] * (end - start)
    return Heuristic(Verdict(keep, best[1], best[2]), all(keep), scores, segments, stopwords, bool(own),
                     shapes=shapes)


def line_features(lines: Sequence[str], found: Heuristic) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The learned finder's features of every line (columns `linefeatures.FEATURES`), and each
    line's word count; for a page the hand-written finder scored."""
    verdict = found.verdict
    return page_features(lines, found.stopwords, found.has_stopwords, found.scores, verdict.keep,
                         (verdict.start, verdict.end), found.segments, found.shapes)


def text_line_features(lines: Sequence[str], found: Heuristic,
                       ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The text scorer's features of every line (columns `TEXT_FEATURES`), and each line's words."""
    x, words = line_features(lines, found)
    runs = run_features(x, words, (found.verdict.start, found.verdict.end))
    return np.hstack([x, runs]), words


@cache
def lines_model() -> TreeEnsemble:
    """The learned line scorer, read once. Its file names the columns it was fitted on: the line
    features alone (`FEATURES`) or with the run features (`TEXT_FEATURES`); `find_content`
    computes the ones it names, and any other list is refused."""
    model = read_model(LINES_MODEL)
    named = tuple(model.fields["features"])
    return trees_of(model, LINES_MODEL, TEXT_FEATURES if named == TEXT_FEATURES else FEATURES, "bench/train_finder.py")


def scorer_features(lines: Sequence[str], found: Heuristic, model: TreeEnsemble,
                    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The columns ``model`` reads, for every line, and each line's words."""
    if model.features == TEXT_FEATURES:
        return text_line_features(lines, found)
    return line_features(lines, found)


def select(probabilities: npt.NDArray[np.float64], words: npt.NDArray[np.float64], fallback: Verdict,
           threshold: float = LINE_THRESHOLD, share: float = LEARNED_SHARE) -> Verdict:
    """Lines to keep from their article probabilities: the maximum-sum run of
    ``(probability - threshold) * words`` and the other runs worth ``share`` of it; ``fallback``
    when no run is worth anything."""
    weights = ((probabilities - threshold) * np.maximum(words, 1.0)).tolist()
    segments = _segments(weights, 0, len(weights))
    if not segments:
        return fallback
    best = max(segments, key=lambda seg: seg[0])
    floor = max(MIN_SEGMENT, share * best[0])
    keep = [False] * len(weights)
    for total, start, end in segments:
        if total >= floor:
            keep[start:end] = [True] * (end - start)
    return Verdict(keep, best[1], best[2])


@cache
def html_lines_model() -> TreeEnsemble:
    """The learned line scorer of HTML lines, read once."""
    return load_trees(HTML_LINES_MODEL, HTML_FEATURES, "bench/train_finder_html.py")


def html_line_features(lines: Sequence[str], found: Heuristic, attrs: Sequence[Mapping[str, object]],
                       ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The HTML scorer's features of every line (columns `HTML_FEATURES`), and each line's words."""
    x, words = line_features(lines, found)
    chars = np.expm1(x[:, FEATURES.index("chars_log")])
    dom = dom_features(attrs, words, x[:, FEATURES.index("stopword_share")], chars)
    return np.hstack([x, dom]), words


def find_content(lines: Sequence[str], language: str | None,
                 attrs: Sequence[Mapping[str, object] | None] | None = None) -> Verdict:
    """Decide which lines are the article. Where the hand-written finder keeps the whole page
    (unless only because its prose is spread), the page stays whole; elsewhere the learned line
    scorer decides with it (see `join`). ``attrs``: the lines' markup attributes (HTML input);
    when every line has them, the HTML scorer decides instead of the text one."""
    found = heuristic(lines, language)
    if attrs is not None and lines and all(a is not None for a in attrs):
        return _find_html(lines, found, attrs)  # type: ignore[arg-type]
    if found.whole and not found.spread:
        return found.verdict
    model = lines_model()
    x, words = scorer_features(lines, found, model)
    probabilities = model.predict(x)
    chosen = select(probabilities, words, found.verdict, LINE_THRESHOLD, LEARNED_SHARE)
    chosen = guard(chosen, words, found.verdict, MIN_KEPT_SHARE)
    return no_article_whole(join(chosen, found.verdict, probabilities, DOUBT, SURE), words)


def _find_html(lines: Sequence[str], found: Heuristic, attrs: Sequence[Mapping[str, object]]) -> Verdict:
    """`find_content` for HTML lines: the HTML scorer, with its own gate and join settings."""
    if not found.scores or (HTML_GATE and found.whole and not found.spread):
        return found.verdict  # too small to score, or (with the gate) no article to cut to
    x, words = html_line_features(lines, found, attrs)
    probabilities = html_lines_model().predict(x)
    chosen = select(probabilities, words, found.verdict, HTML_THRESHOLD, LEARNED_SHARE)
    chosen = guard(chosen, words, found.verdict, HTML_MIN_KEPT_SHARE)
    joined = join(chosen, found.verdict, probabilities, HTML_DOUBT, HTML_SURE)
    keep = [kept and p >= HTML_FLOOR for kept, p in zip(joined.keep, probabilities.tolist(), strict=True)]
    return Verdict(keep, joined.start, joined.end, joined.scores)


def join(learned: Verdict, heuristic: Verdict, probabilities: npt.NDArray[np.float64], doubt: float,
         sure: float) -> Verdict:
    """Lines ``heuristic`` keeps stay when ``learned`` keeps them too or their probability is
    ``doubt`` or more; lines it drops come back when ``learned`` keeps them with a probability of
    ``sure`` or more (a run of the learned selection also carries weak lines between strong ones:
    those alone do not undo a hand-written cut). The main region stays the hand-written one: the
    headline, date and byline are looked for around it, and their models were fitted on it (the
    learned region often starts a line or two higher, at a menu item next to the headline)."""
    rows = zip(learned.keep, heuristic.keep, probabilities.tolist(), strict=True)
    keep = [(chosen or p >= doubt) if kept else (chosen and p >= sure) for chosen, kept, p in rows]
    return Verdict(keep, heuristic.start, heuristic.end, probabilities.tolist())


def no_article_whole(verdict: Verdict, words: npt.NDArray[np.float64],
                     least: float = MIN_ARTICLE_WORDS, share: float = MIN_ARTICLE_SHARE) -> Verdict:
    """``verdict``, or every line when it keeps fewer than ``least`` words that are also under
    ``share`` of the page's: no article was found, and the page stays whole (its region stays)."""
    kept = float(words[verdict.keep].sum())
    if kept < least and kept < share * float(words.sum()):
        return Verdict([True] * len(verdict.keep), verdict.start, verdict.end, verdict.scores)
    return verdict


def guard(chosen: Verdict, words: npt.NDArray[np.float64], heuristic: Verdict,
          min_share: float = MIN_KEPT_SHARE) -> Verdict:
    """``chosen`` unless it keeps less than ``min_share`` of the words ``heuristic`` keeps."""
    if words[chosen.keep].sum() < min_share * words[heuristic.keep].sum():
        return heuristic
    return chosen


def _segments(scores: Sequence[float], lo: int, hi: int) -> list[tuple[float, int, int]]:
    """(total, start, end) of the maximal-scoring runs of ``scores[lo:hi]`` worth more than
    MIN_SEGMENT, left to right: the best run, then the best runs left and right of it, and so on.

    One pass (Ruzzo and Tompa's algorithm for all maximal scoring subsequences), so a page with
    thousands of prose blocks costs no more per line than a short one. Candidate runs are kept in
    page order as (start, end, cumulative score before, after, the nearest earlier run that
    starts lower); a positive line opens a new run, which swallows the earlier runs back to the
    nearest one that starts lower and ends lower.
    """
    runs: list[tuple[int, int, float, float, int]] = []
    cumulative = 0.0
    for i in range(lo, hi):
        score = scores[i]
        if score <= 0:
            cumulative += score
            continue
        low = cumulative
        cumulative += score
        start = i
        j = len(runs) - 1
        while True:
            while j >= 0 and runs[j][2] >= low:
                j = runs[j][4]  # the runs in between start no lower than run j
            if j < 0 or runs[j][3] >= cumulative:
                break
            start, low = runs[j][0], runs[j][2]
            del runs[j:]
            j -= 1
        runs.append((start, i + 1, low, cumulative, j))
    found = []
    for start, end, _, _, _ in runs:
        # Summed over the run itself: prefix sums over a long page carry rounding from far away.
        total = sum(scores[start:end], 0.0)
        if total > MIN_SEGMENT:
            found.append((total, start, end))
    return found
