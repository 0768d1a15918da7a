"""Unit tests of the benchmark metrics, with small cases computed by hand."""

from __future__ import annotations

import pytest

from cleaner.bench.metrics import (
    PRF,
    ShingleScore,
    author_matches,
    corpus_shingle,
    corpus_word,
    date_matches,
    normalise_meta,
    shingle_score,
    shingles,
    snippet_hits,
    text_matches,
    word_prf,
    word_tokens,
)


def triple(prf: PRF) -> tuple[float, float, float]:
    """PRF as a plain tuple, to compare with pytest.approx."""
    return (prf.p, prf.r, prf.f1)


# --- word F1 ------------------------------------------------------------------------------------


def test_word_tokens_lower_case_word_runs() -> None:
    assert word_tokens("Hello, World! It's 2025.") == ["hello", "world", "it", "s", "2025"]


def test_word_identical_texts_score_one() -> None:
    assert word_prf("The cat sat.", "the  CAT\n\nsat") == PRF(1.0, 1.0, 1.0)


def test_word_disjoint_texts_score_zero() -> None:
    assert word_prf("alpha beta", "gamma delta") == PRF(0.0, 0.0, 0.0)


def test_word_partial_overlap_by_hand() -> None:
    # gold 6 tokens (the x2), pred 3 tokens, all found in gold: P = 3/3, R = 3/6, F1 = 2/3
    score = word_prf("the cat sat on the mat", "The cat sat")
    assert (score.p, score.r) == (1.0, 0.5)
    assert score.f1 == pytest.approx(2 / 3)


def test_word_overlap_is_a_multiset_intersection() -> None:
    # gold {a:2, b:1}, pred {a:1, b:2, c:1}: overlap a1 + b1 = 2; P = 2/4, R = 2/3, F1 = 4/7
    score = word_prf("a a b", "a b b c")
    assert triple(score) == pytest.approx((0.5, 2 / 3, 4 / 7))


def test_word_empty_gold_scores_one_only_for_empty_prediction() -> None:
    assert word_prf("", "") == PRF(1.0, 1.0, 1.0)
    assert word_prf("  \n", "... !") == PRF(1.0, 1.0, 1.0)  # no tokens on either side
    assert word_prf("", "some text") == PRF(0.0, 0.0, 0.0)


def test_word_empty_prediction_scores_zero() -> None:
    assert word_prf("some text", "") == PRF(0.0, 0.0, 0.0)


# --- shingle F1 ---------------------------------------------------------------------------------


def test_shingles_are_four_token_windows_with_case_kept() -> None:
    assert shingles("A b c d e") == {("A", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}


def test_shingles_of_short_text_are_one_shingle_of_all_tokens() -> None:
    assert shingles("Page not found") == {("Page", "not", "found"): 1}
    assert shingles("") == {}


def shingle_triple(gold: str, pred: str) -> tuple[float | None, float | None, float]:
    """Per-page shingle P, R and F1."""
    score = shingle_score(gold, pred)
    return (score.p, score.r, score.f1)


def test_shingle_identical_and_disjoint() -> None:
    text = "one two three four five six"
    assert shingle_triple(text, text) == (1.0, 1.0, 1.0)
    assert shingle_triple(text, "seven eight nine ten") == (0.0, 0.0, 0.0)


def test_shingle_keeps_case_unlike_word_metric() -> None:
    assert shingle_score("Alpha beta gamma delta", "alpha beta gamma delta").f1 == 0.0
    assert word_prf("Alpha beta gamma delta", "alpha beta gamma delta").f1 == 1.0


def test_shingle_partial_overlap_by_hand() -> None:
    # gold shingles (a b c d), (b c d e); pred (a b c d): TP 1, FP 0, FN 1 -> P 1, R 1/2
    score = shingle_score("a b c d e", "a b c d")
    assert (score.tp, score.fp, score.fn) == (0.5, 0.0, 0.5)  # normalised by TP+FP+FN = 2
    assert (score.p, score.r) == (1.0, 0.5)
    assert score.f1 == pytest.approx(2 / 3)


def test_shingle_repeated_shingles_count_as_a_multiset() -> None:
    # gold shingles: wxyz, xyzw, yzwx, zwxy, wxyz (5); pred: wxyz (1); TP 1, FP 0, FN 4
    score = shingle_score("w x y z w x y z", "w x y z")
    assert (score.p, score.r) == (1.0, 0.2)


def test_shingle_short_texts() -> None:
    assert shingle_triple("Page not found", "Page not found") == (1.0, 1.0, 1.0)
    # a longer prediction around a short gold shares no shingle with it
    assert shingle_triple("Page not found", "Error: Page not found") == (0.0, 0.0, 0.0)


def test_shingle_empty_side_leaves_its_figure_undefined() -> None:
    assert shingle_triple("Hello there", "") == (None, 0.0, 0.0)
    assert shingle_triple("", "one two three four") == (0.0, None, 0.0)
    assert shingle_triple("", "") == (None, None, 1.0)
    assert shingle_score("", "").tp == 0.0


# --- corpus aggregation -------------------------------------------------------------------------


def test_corpus_word_averages_every_figure() -> None:
    pages = [PRF(1.0, 0.5, 2 / 3), PRF(0.5, 1.0, 2 / 3)]
    assert triple(corpus_word(pages)) == pytest.approx((0.75, 0.75, 2 / 3))


def test_corpus_shingle_takes_f1_of_mean_p_and_r() -> None:
    pages = [ShingleScore(0.5, 0.0, 0.5), ShingleScore(0.5, 0.5, 0.0)]  # P/R 1/0.5 and 0.5/1
    assert triple(corpus_shingle(pages)) == pytest.approx((0.75, 0.75, 0.75))
    assert corpus_shingle([]) == PRF(0.0, 0.0, 0.0)


def test_corpus_shingle_skips_undefined_precision_and_recall() -> None:
    # an empty prediction counts in the recall mean only, an empty gold in the precision mean only
    pages = [
        shingle_score("a b c d", "a b c d"),  # P 1, R 1
        shingle_score("a b c d", ""),  # P undefined, R 0
        shingle_score("", "a b c d"),  # P 0, R undefined
    ]
    assert triple(corpus_shingle(pages)) == pytest.approx((0.5, 0.5, 0.5))


# --- metadata and snippets ----------------------------------------------------------------------


def test_normalise_meta_nfkc_lower_case_and_folded_punctuation() -> None:
    assert (
        normalise_meta("  \uff34\uff49\uff54\uff4c\uff45 \u2014 Foo\u2019s  Bar! ")
        == "title foo s bar"
    )


def test_title_and_date_matching() -> None:
    assert text_matches("Foo's Bar", "foo\u2019s bar")
    assert not text_matches("Foo", None)
    assert date_matches("2025-09-04", "2025-09-04T10:30")
    assert not date_matches("2025-09-04", "2025-09-05")
    assert not date_matches("2025-09-04", None)


def test_author_matches_join_or_any_single_author() -> None:
    assert author_matches("Jane Doe, John Roe", ["Jane Doe", "John Roe"])
    assert author_matches("Jane Doe", ["jane doe", "Staff"])
    # A gold list written out with a conjunction is the same list of names.
    assert author_matches("Jane Doe and John Roe", ["Jane Doe", "John Roe"])
    assert author_matches("A. Ek, B. Berg och C. Lund", ["A. Ek", "B. Berg", "C. Lund"])
    assert not author_matches("Jane Doe and John Roe", ["Jane Doe", "Jim Roe"])
    assert not author_matches("Jane Doe and John Roe", ["John Roe and Jane Doe"])
    assert not author_matches("Jane Doe", [])


def test_snippet_hits_normalise_white_space_only() -> None:
    text = "First paragraph\nends here.\n\nSecond one."
    assert snippet_hits(["paragraph ends here.", "Second  one."], text) == 2
    assert snippet_hits(["second one."], text) == 0  # case is kept

