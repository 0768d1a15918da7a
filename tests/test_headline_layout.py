"""The layout features of headline candidates: menus around a line, the paragraph below it,
and a date or byline glued after a part of a line."""

from __future__ import annotations

from cleaner.meta.headline import HEADLINE_FEATURES, headline_candidates
from cleaner.meta.scoring import column

PARAGRAPH = ("The harbour board met on Tuesday evening to decide how the ferries will run through the "
             "winter months, and most members agreed that the timetable should stay as it is.")
PAGE = ["Home", "News", "Sport", "Weather", "Contact",
        "Winter ferry timetable stays the same",
        PARAGRAPH, PARAGRAPH]


def _row(lines: list[str], text: str) -> list[float]:
    return next(features for _, candidate, features in headline_candidates(lines, 6, "en") if candidate == text)


def test_a_menu_item_stands_among_short_lines_and_the_headline_over_a_paragraph() -> None:
    around, to_prose = column(HEADLINE_FEATURES, "short_lines_around"), column(HEADLINE_FEATURES, "lines_to_prose")
    menu, headline = _row(PAGE, "Sport"), _row(PAGE, "Winter ferry timetable stays the same")
    assert menu[around] > headline[around]
    assert headline[to_prose] < menu[to_prose]


def test_a_date_or_a_byline_glued_after_a_part_of_a_line_is_seen() -> None:
    after = column(HEADLINE_FEATURES, "date_or_byline_after_in_line")
    dated = ["Home", "Winter Ferry Timetable Stays the SameJane HarperNovember 15, 2022", PARAGRAPH, PARAGRAPH]
    bylined = ["Home", "Winter Ferry Timetable Stays the Same | by Jane Harper", PARAGRAPH, PARAGRAPH]
    for lines in (dated, bylined):
        rows = {c: f for _, c, f in headline_candidates(lines, 2, "en")}
        assert rows["Winter Ferry Timetable Stays the Same"][after] == 1.0
    assert _row(PAGE, "Winter ferry timetable stays the same")[after] == 0.0
