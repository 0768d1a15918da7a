"""Per-line features for the learned content finder (`cleaner/find/finder.py`).

Everything here is generic: the shape of a line (words, characters, stop-word share, closing
punctuation, capitals, digits, separators), where it sits on the page, its neighbours, window
means around it, the size of the page, and what the hand-written finder made of it (its score,
its region, its keep flag). No site names, no strings from any corpus.

`page_features` turns one page into a float matrix, one row per line, columns in the order of
`FEATURES`; the model file (`cleaner/models/lines.json`) names the same columns, and loading
it fails when the two differ. The shape of a line alone is cached per line text (the settling
pass and pages of one site see the same lines again); the rest is computed with numpy over the
whole page at once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
import re2

from cleaner import core
from cleaner.lang import lexicon
from cleaner.lang.words import CLOSING_PUNCTUATION, PROSE_WORDS, SPACED_WORD, UNSPACED, unspaced_words
from cleaner.lazypattern import lazy_re

_WORD = re.compile(r"\w+")
_GAPS = re.compile(r"\S {3,}(?=\S)|\S\t+(?=\S)")
_GLUE = re.compile(r"[a-z][A-Z]")
_SEP = lazy_re(r"[|•·»›/>]")
_URL = re.compile(r"https?://|www\.|\.com\b|@\w+\.")
_DATEISH = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_NUMBERED = re.compile(r"\d+[.)] ")
# Short lines that open what follows an article: the comments, related links, the author's box,
# share and subscribe prompts, tags (their words: the lexicon's *-cues kinds). They are searched
# in lower-cased lines. The cue alone proves nothing (a heading "Related work" can sit inside an
# article); the scorer learns what prose after one is.
_COMMENT_CUE = lazy_re(  # a Russian stem takes any ending, which a word list cannot say
    rf"\b(?:{lexicon.alternation('comment-cues')}|комментари\w*)\b")
_RELATED_CUE = lazy_re(  # the Korean cue is written with or without a blank
    rf"\b(?:{lexicon.alternation('related-cues')}|관련\s?기사)\b")
_AUTHOR_CUE = re.compile(rf"\b(?:{lexicon.alternation('author-cues')})\b")
_SHARE_CUE = lazy_re(rf"\b(?:{lexicon.alternation('share-cues')})\b")
_CUE_PATTERNS = (_COMMENT_CUE, _RELATED_CUE, _AUTHOR_CUE, _SHARE_CUE)
# Any of the four: each is one word boundary, alternatives, one word boundary, so a line one of
# them matches is a line their joined alternatives match. Most short lines match none, and one
# search tells so for the four (twice as quick on the corpus's short lines).
_ANY_CUE = lazy_re(r"\b(?:" + "|".join(p.pattern.removeprefix(r"\b(?:").removesuffix(r")\b")
                                          for p in _CUE_PATTERNS) + r")\b")
# The header of one comment in a thread: "Jane says:", "by jdoe (1234) writes:", a time of day
# ("at 5:32 pm", "@08:00PM"), "3 hours ago", "Reply" on its own. German and Spanish put the
# word of a relative time before its figure, and count only with one ('vor 3', 'hace 2').
_FIGURE_FIRST = ("de", "es")
_AGO_BEFORE_FIGURE = lexicon.alternation("time-ago", _FIGURE_FIRST)
_AGO = lexicon.alternation("time-ago", [code for code in lexicon.languages("time-ago") if code not in _FIGURE_FIRST])
_COMMENT_HEADER = lazy_re(
    rf"(?i)(?:\b(?:{lexicon.alternation('commenter-verbs')})\s*:?\s*$|"
    rf"^(?:{lexicon.alternation('reply-words')})\b|"
    r"\b\d{1,2}:\d\d\s*(?:[ap]\.?m\b\.?)?|"
    rf"\b(?:{_AGO}|(?:{_AGO_BEFORE_FIGURE}) \d)\b)")
# Every line _COMMENT_HEADER matches holds a ":" or one of these (most lines hold none: one
# quick search for the substrings spares them the full pattern).
_HEADER_WORDS = (*lexicon.words("commenter-verbs"), *lexicon.words("reply-words"), *lexicon.words("time-ago"))
_HEADER_HINT = lazy_re("|".join(map(re.escape, _HEADER_WORDS)))
# A word every line `_ANY_CUE` matches holds: its lexicon words, and the fixed part of the two
# alternatives the lexicon cannot say (the Russian stem, the Korean cue's first word).
_CUE_LITERALS = (*(word for kind in ("comment-cues", "related-cues", "author-cues", "share-cues")
                   for word in lexicon.words(kind)), "комментари", "관련")


class _Literals:
    """Which of two lists of words a text holds as substrings (the header's hint words, and the
    cues'), in one pass of RE2's automaton of both: `re`'s alternation tries every word at every
    place of the line, several times slower over the finder's short lines. RE2 reads UTF-8, which
    a text with a lone surrogate has none of: that text holds both lists as far as it tells, and
    the exact searches decide. Built on first use. The compiled core tells it for all of a
    page's lines at once (`held_bits`)."""

    def __init__(self, *lists: Sequence[str]) -> None:
        self._lists = lists
        self._automaton: Any = None
        self._compiled: Any = None  # the core's `Literals`, made on first use

    def held_bits(self, texts: list[str]) -> list[int]:
        """For each text, bit i set when it holds a word of list i (`held`): the compiled core
        tells when it runs, else `held` text by text."""
        kernel = core.KERNEL
        if kernel is None:
            return [sum(1 << i for i in self.held(text)) for text in texts]
        if self._compiled is None:
            self._compiled = kernel.Literals([list(words) for words in self._lists])
        bits: list[int] = self._compiled.held(texts)
        return bits

    def held(self, text: str) -> Sequence[int]:
        """The numbers of the lists (in the order given) of which ``text`` holds a word."""
        if self._automaton is None:
            automaton = re2.Set.SearchSet(re2.Options())
            for words in self._lists:
                automaton.Add("|".join(map(re2.escape, words)))
            automaton.Compile()
            self._automaton = automaton
        try:
            found: list[int] | None = self._automaton.Match(text)
        except UnicodeEncodeError:
            return range(len(self._lists))
        return found or ()


_HINTS = _Literals(_HEADER_WORDS, _CUE_LITERALS)
_HEADER_LIST, _CUE_LIST = 0, 1  # the lists of _HINTS
_HEADER_BIT, _CUE_BIT = 1 << _HEADER_LIST, 1 << _CUE_LIST  # in `_Literals.held_bits`
CUE_WORDS = 8  # a cue is a heading or label: a line of at most this many words

_TERMINAL = CLOSING_PUNCTUATION
_SENTENCE_END = tuple(".!?…。！？")
_QUOTE_END = tuple("\"'”’»)")
_BULLETS = tuple("-•*·–—>")

# The shape of a line on its own (cached per line text).
SHAPE = (
    "words_log",  # log(1 + \w+ words)
    "chars_log",  # log(1 + characters)
    "stopword_share",  # share of the words that are stop words of the page language
    "ends_terminal",  # ends in . ! ? … : ; or a closing quote/bracket
    "ends_sentence",  # ends in . ! ? …
    "ends_colon",
    "ends_quote",
    "link_gaps",  # three or more runs of spaces between words: inline links glued by indentation
    "capitalised_share",  # share of tokens starting with a capital
    "digit_share",  # of characters
    "punctuation_share",  # of characters
    "word_length",  # mean characters per word
    "starts_upper",
    "separator_share",  # | • · » › / > per token
    "copyright",
    "glue_share",  # lower-upper seams per token ("HomeAboutContact")
    "has_url",
    "has_year_or_date",
    "bullet",  # starts with a bullet or "1." / "2)"
    "all_capitals",
    "comma_share",  # commas per token
    "cue_comments",  # a short line naming the comments ("3 Comments", "Leave a reply")
    "cue_related",  # … related links ("You may also like", "Read next")
    "cue_author",  # … the author's box ("About the author")
    "cue_share",  # … share, subscribe, tags
    "comment_header",  # the header of one comment ("Jane says:", "at 5:32 pm", "2 hours ago", "Reply")
)
# The line on its page.
PAGE_LINE = (
    "repeated", "repeats_log", "heuristic_score", "prose",
    "position", "position_by_words", "prose_before_share", "index_log", "index_from_end_log",
    "cue_any",  # any of the four cues
    "cues_since_start_log",  # cue lines between the hand-written region's start and this line
    "words_since_cue_log",  # words since the last cue line above (all the words above when none)
)
PAGE = ("page_words_log", "page_lines_log", "page_prose_share", "page_best_share", "page_best_log", "page_stopwords")
HEURISTIC = ("h_keep", "h_in_region", "h_in_segment", "h_segment_log", "h_segment_share",
             "h_from_start", "h_from_end")
NEIGHBOUR_OF = ("words_log", "stopword_share", "ends_terminal", "heuristic_score", "repeated", "capitalised_share")
OFFSETS = (-2, -1, 1, 2)
NEIGHBOURS = tuple(f"{name}@{offset:+d}" for offset in OFFSETS for name in NEIGHBOUR_OF)
WINDOW_OF = ("heuristic_score", "prose", "words_log", "repeated", "h_keep", "cue_any", "comment_header",
             "capitalised_share", "ends_terminal", "stopword_share", "bullet", "digit_share", "link_gaps")
WINDOWS = (2, 5, 15)
WINDOW_MEANS = tuple(f"{name}~{k}" for k in WINDOWS for name in WINDOW_OF)
FEATURES: tuple[str, ...] = SHAPE + PAGE_LINE + PAGE + HEURISTIC + NEIGHBOURS + WINDOW_MEANS

FloatArray = npt.NDArray[np.float64]


def _ascii_classes() -> bytes:
    """A bytes.translate table putting every ASCII character in its class for `line_shape`:
    separator "|" (also punctuation), other punctuation ".", digit "0", whitespace " ", a-z "a",
    A-Z "A", and "_" for the rest (the underscore: word character, not a letter or digit). The
    classes come from the patterns themselves, whitespace from str.isspace as str.split uses it,
    and for ASCII str.isupper is A-Z, so counts over the classes equal the pattern counts."""
    table = bytearray(range(256))
    for b in range(128):
        c = chr(b)
        if _SEP.fullmatch(c):
            table[b] = ord("|")
        elif _PUNCT.fullmatch(c):
            table[b] = ord(".")
        elif _DIGIT.fullmatch(c):
            table[b] = ord("0")
        elif c.isspace():
            table[b] = ord(" ")
        elif "a" <= c <= "z":
            table[b] = ord("a")
        elif "A" <= c <= "Z":
            table[b] = ord("A")
        else:
            table[b] = ord("_")
    return bytes(table)


# An ASCII line (most lines) is mapped to its classes with one translate, and the characters and
# seams it needs are counted with bytes.count: several times quicker than a findall each.
_CLASSES = _ascii_classes()


@lru_cache(maxsize=1 << 13)
def words_of(line: str, stopwords: frozenset[str]) -> tuple[int, int, int, bool, str]:
    """The \\w+ words of a line (lower-cased): how many, how many are stop words, their total
    length; whether the line has three or more link gaps; and the line lower-cased. Shared with
    the hand-written finder, which reads the same lines first."""
    lowered = line.lower()
    # Every gap holds three spaces or a tab: most lines have neither and skip the search.
    gaps = ("   " in line or "\t" in line) and len(_GAPS.findall(line)) >= 3
    if not line.isascii() and UNSPACED.search(line):
        # Chinese and Japanese: a run of characters is many words (see cleaner/lang/words.py), and
        # their stop words are single characters (particles, pronouns), matched one by one.
        chars = UNSPACED.findall(lowered)
        spaced = SPACED_WORD.findall(lowered)
        stops = sum(map(stopwords.__contains__, spaced)) + unspaced_words(sum(map(stopwords.__contains__, chars)))
        return (len(spaced) + unspaced_words(len(chars)), stops,
                sum(map(len, spaced)) + len(chars), gaps, lowered)
    words = _WORD.findall(lowered)
    return len(words), sum(map(stopwords.__contains__, words)), sum(map(len, words)), gaps, lowered


@lru_cache(maxsize=1 << 13)
def line_shape(line: str, stopwords: frozenset[str]) -> tuple[float, ...]:
    """The `SHAPE` features of one line."""
    count, stops, letters, gaps, lowered = words_of(line, stopwords)
    chars = len(line)
    per_char = 1.0 / chars if chars else 0.0
    if line.isascii():
        classes = line.encode("ascii").translate(_CLASSES)
        ntok = max(1, len(classes.split()))
        capitals = classes.startswith(b"A") + classes.count(b" A")  # tokens starting A-Z
        digits = classes.count(b"0")
        separators = classes.count(b"|")
        punctuation = classes.count(b".") + separators
        seams = classes.count(b"aA")  # matches of [a-z][A-Z] never overlap
    else:
        tokens = line.split()
        ntok = max(1, len(tokens))
        capitals = sum(map(str.isupper, "".join([t[0] for t in tokens])))
        digits = len(_DIGIT.findall(line))
        separators = len(_SEP.findall(line))
        punctuation = len(_PUNCT.findall(line))
        # A seam needs an A-Z, and lower-casing changes every A-Z.
        seams = len(_GLUE.findall(line)) if lowered != line else 0
    return (
        math.log1p(count),
        math.log1p(chars),
        stops / count if count else 0.0,
        float(line.endswith(_TERMINAL)),
        float(line.endswith(_SENTENCE_END)),
        float(line.endswith(":")),
        float(line.endswith(_QUOTE_END)),
        float(gaps),
        capitals / ntok,
        digits * per_char,
        punctuation * per_char,
        letters / count if count else 0.0,
        float(line[:1].isupper()),
        separators / ntok,
        float("©" in line or "(c)" in lowered),
        seams / ntok,
        float(_has_url(lowered)),
        # Dates and numbered items need a digit.
        float(digits > 0 and _DATEISH.search(line) is not None),
        float(line.startswith(_BULLETS) or (digits > 0 and _NUMBERED.match(line) is not None)),
        float(count > 0 and line.isupper()),
        line.count(",") / ntok,
        *_cues(lowered, count),
    )


_NO_CUES = (0.0, 0.0, 0.0, 0.0, 0.0)
_CUE_LINE_WORDS = 3 * CUE_WORDS  # a longer line is no cue nor a comment's header


def _cues(lowered: str, count: int) -> tuple[float, float, float, float, float]:
    """The cue columns of `SHAPE` for a line (lower-cased) of ``count`` words."""
    if count > _CUE_LINE_WORDS:
        return _NO_CUES  # too long to be a cue or a comment's header
    return _short_line_cues(lowered, count)


def _short_line_cues(lowered: str, count: int) -> tuple[float, float, float, float, float]:
    return _hinted_cues(lowered, count, sum(1 << i for i in _HINTS.held(lowered)))


# Cached: the settling pass reads most lines again, and a site's pages share their labels.
@lru_cache(maxsize=1 << 13)
def _hinted_cues(lowered: str, count: int, held: int) -> tuple[float, float, float, float, float]:
    """The cue columns of a line, ``held`` what `_Literals.held_bits` tells of it."""
    header = 0.0
    if ":" in lowered or held & _HEADER_BIT:  # (what _HEADER_HINT's search tells)
        header = float(_COMMENT_HEADER.search(lowered) is not None)
    if count == 0 or count > CUE_WORDS or not held & _CUE_BIT or _ANY_CUE.search(lowered) is None:
        return 0.0, 0.0, 0.0, 0.0, header
    return (float(_COMMENT_CUE.search(lowered) is not None), float(_RELATED_CUE.search(lowered) is not None),
            float(_AUTHOR_CUE.search(lowered) is not None), float(_SHARE_CUE.search(lowered) is not None), header)


def _has_url(lowered: str) -> bool:
    # Each alternative of _URL holds one of these strings; most lines have none of them.
    if "://" in lowered or "www." in lowered or ".com" in lowered or "@" in lowered:
        return _URL.search(lowered) is not None
    return False


@dataclass(frozen=True)
class KernelShapes:
    """What the compiled core found in a page's lines (`kernel_shapes`): the `SHAPE` rows but
    their cue columns, and per line what `words_of` says (its words, its stop words, whether it
    has link gaps). Worked out once a page and shared: the hand-written finder scores lines by
    the words, the learned one reads the rows."""

    lowered: list[str]
    buffer: bytes
    counts: list[int]
    stops: list[int]
    gaps: list[bool]
    skipped: list[int]  # lines left to the reference (a lone surrogate): their figures are zero


def kernel_shapes(lines: Sequence[str], stopwords: frozenset[str]) -> KernelShapes | None:
    """The compiled core's `KernelShapes` of ``lines``, or None when the pure-Python reference runs."""
    kernel = core.KERNEL
    if kernel is None:
        return None
    lowered = [line.lower() for line in lines]
    return KernelShapes(lowered, *kernel.line_shapes(list(lines), lowered, _kernel_stopwords(stopwords)))


@lru_cache(maxsize=64)
def _kernel_stopwords(stopwords: frozenset[str]) -> core.StopWords:
    """A stop-word list as the compiled core reads it, made once (a few pages' worth of lines
    took as long as making it on every call)."""
    assert core.KERNEL is not None
    return core.KERNEL.StopWords(stopwords)


def shape_rows(lines: Sequence[str], stopwords: frozenset[str], shapes: KernelShapes | None = None) -> FloatArray:
    """The `SHAPE` features of every line, one row a line: the compiled core computes all but the
    cue columns (regexes of the lexicon's word lists, kept here) when it runs (`cleaner.core`),
    else `line_shape` line by line, the reference. ``shapes``: the core's, when already worked
    out for these lines and stop words."""
    n = len(lines)
    kernel = core.KERNEL
    if kernel is None:
        # One flat run of floats converts far quicker than a list of tuples.
        flat = chain.from_iterable([line_shape(line, stopwords) for line in lines])
        return np.fromiter(flat, np.float64, n * len(SHAPE)).reshape(n, len(SHAPE))
    if shapes is None:
        shapes = kernel_shapes(lines, stopwords)
        assert shapes is not None
    rows = np.empty((n, len(SHAPE)))
    rows[:, : kernel.SHAPE_COLUMNS] = np.frombuffer(shapes.buffer).reshape(n, kernel.SHAPE_COLUMNS)
    # `_cues` of each line: the hints of the lines short enough for a cue told at once, and the
    # searches made only in those with a hint or a ":" (a line with neither has no cue, no header).
    lowered, counts = shapes.lowered, shapes.counts
    short = [i for i, count in enumerate(counts) if count <= _CUE_LINE_WORDS]
    cue_rows = [_NO_CUES] * n
    for i, held in zip(short, _HINTS.held_bits([lowered[i] for i in short]), strict=True):
        if held or ":" in lowered[i]:
            cue_rows[i] = _hinted_cues(lowered[i], counts[i], held)
    rows[:, kernel.SHAPE_COLUMNS :] = np.fromiter(chain.from_iterable(cue_rows), np.float64).reshape(
        n, len(SHAPE) - kernel.SHAPE_COLUMNS)
    for i in shapes.skipped:  # lines the kernel leaves to the reference (a lone surrogate)
        rows[i] = line_shape(lines[i], stopwords)
    return rows


_COLUMN = {name: j for j, name in enumerate(FEATURES)}
_NEIGHBOUR_SOURCES = [_COLUMN[name] for name in NEIGHBOUR_OF]
_NEIGHBOUR_FIRST = [_COLUMN[f"{NEIGHBOUR_OF[0]}@{offset:+d}"] for offset in OFFSETS]
_WINDOW_SOURCES = [_COLUMN[name] for name in WINDOW_OF]
_WINDOW_OF_SCORE = WINDOW_OF.index("heuristic_score")  # its window means read the score clipped
_WINDOW_FIRST = [_COLUMN[f"{WINDOW_OF[0]}~{k}"] for k in WINDOWS]


def _signed_log(values: FloatArray) -> FloatArray:
    result: FloatArray = np.sign(values) * np.log1p(np.abs(values))
    return result


def page_features(
    lines: Sequence[str],
    stopwords: frozenset[str],
    has_stopwords: bool,
    scores: Sequence[float],
    keep: Sequence[bool],
    region: tuple[int, int],
    segments: Sequence[tuple[float, int, int]],
    shapes: KernelShapes | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Features of every line of a page, and the number of words of each line.

    ``scores``, ``keep``, ``region`` (start, end) and ``segments`` are the hand-written finder's
    line scores, keep flags, main region and positive maximum-sum runs on the same lines;
    ``stopwords`` are the ones it used (the page language's, or English when it has none) and
    ``has_stopwords`` whether the page language has its own; ``shapes`` the compiled core's
    for these lines, when the hand-written finder already asked for them.
    """
    n = len(lines)
    x = np.zeros((n, len(FEATURES)))
    if n == 0:
        return x, np.zeros(0)
    x[:, : len(SHAPE)] = shape_rows(lines, stopwords, shapes)
    words = np.rint(np.expm1(x[:, _COLUMN["words_log"]]))
    counts = Counter(lines)
    repeats = np.array([counts[line] for line in lines], dtype=np.float64)
    score = np.asarray(scores, dtype=np.float64)
    stop = x[:, _COLUMN["stopword_share"]]
    prose = ((words >= PROSE_WORDS) & (stop >= 0.15)).astype(np.float64)
    index = np.arange(n, dtype=np.float64)
    total_words = words.sum()
    prose_words = words * (score > 0)
    total_prose = prose_words.sum()
    c = _COLUMN
    x[:, c["repeated"]] = repeats > 1
    x[:, c["repeats_log"]] = np.log(repeats)
    x[:, c["heuristic_score"]] = score
    x[:, c["prose"]] = prose
    x[:, c["position"]] = index / max(1, n - 1)
    x[:, c["position_by_words"]] = (np.cumsum(words) - words) / total_words if total_words else 0.0
    x[:, c["prose_before_share"]] = (np.cumsum(prose_words) - prose_words) / total_prose if total_prose else 0.0
    x[:, c["index_log"]] = np.log1p(index)
    x[:, c["index_from_end_log"]] = np.log1p(n - 1 - index)

    start, end = region
    cues = x[:, [c["cue_comments"], c["cue_related"], c["cue_author"], c["cue_share"]]].max(axis=1)
    x[:, c["cue_any"]] = cues
    since = np.cumsum(cues) - cues
    since -= since[start] if start < n else since[-1]
    x[:, c["cues_since_start_log"]] = np.log1p(np.maximum(since, 0.0))
    # Words above each line back to the last cue line above it.
    above = np.cumsum(words) - words
    last_cue = np.maximum.accumulate(np.where(cues > 0, above + words, 0.0))
    x[:, c["words_since_cue_log"]] = np.log1p(above - np.concatenate(([0.0], last_cue[:-1])))

    best = max((seg[0] for seg in segments), default=0.0)
    positive = score[score > 0].sum()
    x[:, c["page_words_log"]] = math.log1p(total_words)
    x[:, c["page_lines_log"]] = math.log1p(n)
    x[:, c["page_prose_share"]] = total_prose / total_words if total_words else 0.0
    x[:, c["page_best_share"]] = best / positive if positive else 0.0
    x[:, c["page_best_log"]] = math.log1p(best)
    x[:, c["page_stopwords"]] = float(has_stopwords)

    kept = np.asarray(keep, dtype=np.float64)
    in_segment = np.zeros(n)
    segment_total = np.zeros(n)
    for total, lo, hi in segments:
        in_segment[lo:hi] = 1.0
        segment_total[lo:hi] = total
    x[:, c["h_keep"]] = kept
    x[:, c["h_in_region"]] = (index >= start) & (index < end)
    x[:, c["h_in_segment"]] = in_segment
    x[:, c["h_segment_log"]] = np.log1p(segment_total)
    x[:, c["h_segment_share"]] = segment_total / best if best else 0.0
    x[:, c["h_from_start"]] = _signed_log(index - start)
    x[:, c["h_from_end"]] = _signed_log(index - (end - 1))

    # Columns of one offset (NEIGHBOURS) or one window (WINDOW_MEANS) sit side by side: each
    # block is filled at once.
    sources = x[:, _NEIGHBOUR_SOURCES]
    for offset, first in zip(OFFSETS, _NEIGHBOUR_FIRST, strict=True):
        block = x[:, first : first + len(NEIGHBOUR_OF)]
        block[:] = -1.0  # -1: no line there
        if offset < 0:
            block[-offset:] = sources[: n + offset]
        else:
            block[: n - offset] = sources[offset:]
    windowed = x[:, _WINDOW_SOURCES]
    windowed[:, _WINDOW_OF_SCORE] = np.clip(score, -10.0, 30.0)
    sums = np.zeros((n + 1, len(WINDOW_OF)))
    np.cumsum(windowed, axis=0, out=sums[1:])
    for k, first in zip(WINDOWS, _WINDOW_FIRST, strict=True):
        low, high = np.maximum(0, index - k).astype(np.intp), np.minimum(n, index + k + 1).astype(np.intp)
        x[:, first : first + len(WINDOW_OF)] = (sums[high] - sums[low]) / (high - low)[:, None]
    return x, words
