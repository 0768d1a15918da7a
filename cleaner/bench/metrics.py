"""Scoring functions of the benchmark, as the WCXB corpus README defines them.

Everything here is pure and deterministic so that it can be unit-tested with hand-computed cases:
the figures are only worth comparing with published ones if the metrics match them exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WORD_RE = re.compile(r"\w+")
SHINGLE_SIZE = 4
_NON_WORD_RE = re.compile(r"\W+")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one page (or means over pages)."""

    p: float
    r: float
    f1: float


def f1_of(p: float, r: float) -> float:
    """Harmonic mean, 0 when both inputs are 0 (rather than a division error)."""
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def _prf_from_counts(tp: float, n_pred: float, n_gold: float) -> PRF:
    """P/R/F1 from an overlap and the two sizes, with the README's empty-text rules.

    An empty gold scores 1 only for an empty prediction; otherwise an empty side makes its ratio 0
    (a missing prediction earns no precision credit, a prediction for an empty gold no recall).
    """
    if n_gold == 0 and n_pred == 0:
        return PRF(1.0, 1.0, 1.0)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return PRF(p, r, f1_of(p, r))


# --- WCXB word F1 -------------------------------------------------------------------------------


def word_tokens(text: str) -> list[str]:
    """Lower-cased `\\w+` tokens, the WCXB tokenisation."""
    return WORD_RE.findall(text.lower())


def word_prf(gold: str, pred: str) -> PRF:
    """WCXB word P/R/F1 of one page: bag-of-words (multiset) overlap of lower-cased tokens."""
    gold_bag = Counter(word_tokens(gold))
    pred_bag = Counter(word_tokens(pred))
    overlap = (gold_bag & pred_bag).total()
    return _prf_from_counts(overlap, pred_bag.total(), gold_bag.total())


# --- Scrapinghub shingle F1 ---------------------------------------------------------------------


def shingles(text: str, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles of `\\w+` tokens, case kept.

    A text with fewer than n tokens (but at least one) is a single shingle of all its tokens, as
    in the Scrapinghub reference code; so a short gold such as "Page not found" can still be
    matched exactly, and only by the same short token sequence. An empty text has no shingles.
    """
    tokens = WORD_RE.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class ShingleScore:
    """One page's shingle TP/FP/FN, normalised by TP+FP+FN so that every page weighs the same.

    Precision is undefined (None) for a prediction without shingles and recall for a gold without
    shingles: as in the Scrapinghub reference code, such pages are left out of the corpus mean of
    that figure instead of counting as 0.
    """

    tp: float
    fp: float
    fn: float

    @property
    def p(self) -> float | None:
        """TP / (TP + FP), None when the prediction is empty."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def r(self) -> float | None:
        """TP / (TP + FN), None when the gold is empty."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None

    @property
    def f1(self) -> float:
        """A per-page F1 for inspection only (corpus F1 comes from the mean P and R).

        1 when both sides are empty; otherwise an undefined P or R counts as 0.
        """
        if self.p is None and self.r is None:
            return 1.0
        return f1_of(self.p or 0.0, self.r or 0.0)


def shingle_score(gold: str, pred: str, n: int = SHINGLE_SIZE) -> ShingleScore:
    """Scrapinghub per-page shingle counts: multiset intersection and differences."""
    gold_sh = shingles(gold, n)
    pred_sh = shingles(pred, n)
    tp = (gold_sh & pred_sh).total()
    fp = (pred_sh - gold_sh).total()
    fn = (gold_sh - pred_sh).total()
    total = tp + fp + fn
    if total == 0:
        return ShingleScore(0.0, 0.0, 0.0)
    return ShingleScore(tp / total, fp / total, fn / total)


# --- corpus aggregation -------------------------------------------------------------------------


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; 0 for no values, so an empty selection prints as 0 rather than failing."""
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def corpus_word(pages: Sequence[PRF]) -> PRF:
    """WCXB corpus figures: P, R and F1 are each the mean of the per-page values."""
    return PRF(mean(s.p for s in pages), mean(s.r for s in pages), mean(s.f1 for s in pages))


def corpus_shingle(pages: Sequence[ShingleScore]) -> PRF:
    """Scrapinghub corpus figures: P and R are the means of the per-page values where they are
    defined (P over non-empty predictions, R over non-empty golds); F1 = 2PR/(P+R) of the means.
    """
    p = mean(s.p for s in pages if s.p is not None)
    r = mean(s.r for s in pages if s.r is not None)
    return PRF(p, r, f1_of(p, r))


# --- metadata -----------------------------------------------------------------------------------


def normalise_meta(value: str) -> str:
    """NFKC, lower-case, runs of non-word characters folded to one space, ends stripped."""
    folded = _NON_WORD_RE.sub(" ", unicodedata.normalize("NFKC", value).lower())
    return folded.strip()


def text_matches(gold: str, pred: str | None) -> bool:
    """Exact match of a title-like field after `normalise_meta`; a missing prediction misses."""
    return pred is not None and normalise_meta(gold) == normalise_meta(pred)


def date_matches(gold: str, pred: str | None) -> bool:
    """Gold dates are days (YYYY-MM-DD): a prediction's time part ('THH:MM') is ignored."""
    return pred is not None and normalise_meta(gold) == normalise_meta(pred.strip()[:10])


def author_matches(gold: str, authors: Sequence[str]) -> bool:
    """Gold author string against the predicted authors.

    A hit when the normalised gold equals the authors joined with ", " (the separator vanishes in
    normalisation, so any separator would do), or with a conjunction before the last name (a
    gold "A, B and C" or "A und B" is the list ["A", "B", "C"] or ["A", "B"] written out), or
    any single predicted author: a gold byline "Jane Doe" is found in ["Jane Doe", "Staff"].
    """
    want = normalise_meta(gold)
    if not want or not authors:
        return False
    candidates = [", ".join(authors), *authors]
    if len(authors) > 1:
        head = ", ".join(authors[:-1])
        candidates += [f"{head} {word} {authors[-1]}" for word in _NAME_CONJUNCTIONS]
    return any(normalise_meta(c) == want for c in candidates)


# The words a gold byline joins its last name with, in the corpus's languages.
_NAME_CONJUNCTIONS = ("and", "&", "und", "et", "y", "e", "och", "og", "en", "i", "и", "dan")


# --- with / without snippets --------------------------------------------------------------------


def squash_space(text: str) -> str:
    """Collapse every run of white space (line and paragraph breaks included) to one space."""
    return _SPACE_RE.sub(" ", text).strip()


def snippet_hits(snippets: Sequence[str], text: str) -> int:
    """How many snippets occur in the text, white space normalised on both sides, case kept."""
    haystack = squash_space(text)
    return sum(1 for s in snippets if squash_space(s) in haystack)
