"""The run features of the text line scorer: where a line sits against the article's end, the run
of lines it belongs to, and the teaser pattern (a short title over a line of summary)."""

from __future__ import annotations

import numpy as np

from cleaner.find.finder import TEXT_FEATURES, heuristic, text_line_features

PARAGRAPH = ("The council voted on Tuesday evening to build eleven kilometres of protected cycling lanes "
             "along both banks of the river, the largest change to the streets in a generation.")
MENU = ["Home", "News", "Sport", "Culture", "Weather", "Contact"]
ARTICLE = [f"{PARAGRAPH} Part {k} of the story goes on with more detail about the plan." for k in range(6)]
TEASERS = [line for k in range(4) for line in (
    f"Another story headline number {k}",
    "A one-line summary of the other story that tempts the reader to click through to it."
)]
FOOTER = ["About us", "Privacy policy", "Terms of use"]


def _features(lines: list[str]) -> dict[str, list[float]]:
    x, _ = text_line_features(lines, heuristic(lines, "en"))
    assert x.shape == (len(lines), len(TEXT_FEATURES))
    assert np.isfinite(x).all()
    return {name: [round(float(v), 3) for v in x[:, j]] for j, name in enumerate(TEXT_FEATURES)}


def test_words_after_the_region_end_grow_below_it_and_are_negative_inside() -> None:
    lines = MENU + ARTICLE + FOOTER + MENU
    found = heuristic(lines, "en")
    assert found.verdict.end == len(MENU) + len(ARTICLE)
    after = _features(lines)["words_after_end_log"]
    inside = after[len(MENU):found.verdict.end]
    assert all(v < 0 for v in inside[:-1]) and inside[-1] == 0.0
    below = after[found.verdict.end:]
    assert below[0] == 0.0 and below == sorted(below) and below[-1] > below[1] > 0


def test_teasers_are_a_short_title_over_a_summary() -> None:
    lines = MENU + ARTICLE + TEASERS + FOOTER
    teaser = _features(lines)["teaser"]
    start = len(MENU) + len(ARTICLE)
    assert teaser[start:start + len(TEASERS)] == [1.0, 0.0] * 4
    # Paragraphs of the article and menu items are not teaser titles.
    assert teaser[:start] == [0.0] * start
    below = _features(lines)["teasers_below~15"]
    assert below[start - 1] == 4.0 and below[-1] == 0.0


def test_a_run_of_alike_lines_is_uniform_and_its_length_is_counted() -> None:
    steps = [f"Step {k}: add the flour" for k in range(12)]
    lines = ARTICLE[:3] + steps + ARTICLE[3:]
    f = _features(lines)
    middle = 3 + len(steps) // 2
    assert f["run_kind_log"][middle] == round(float(np.log(len(steps))), 3)
    assert f["alike~5"][middle] == 1.0
    assert f["words_spread~5"][middle] == 0.0
    # A line of prose sits in a run of three paragraphs, each shaped like the others around it.
    assert f["run_kind_log"][0] == round(float(np.log(3)), 3)


def test_words_down_to_the_next_cue() -> None:
    lines = [*ARTICLE, "3 Comments", "Jane says:", "Nice one."]
    f = _features(lines)
    cue = len(ARTICLE)
    assert f["cue_below_words_log"][cue - 1] == 0.0
    assert f["cue_below_words_log"][0] > f["cue_below_words_log"][cue - 2] > 0
    # Below the last cue, the words left to the page's end.
    assert f["cue_below_words_log"][-1] == 0.0
