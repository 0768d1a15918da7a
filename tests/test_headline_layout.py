"""The layout features of headline candidates: menus around a line, the paragraph below it,
and a date or byline glued after a part of a line; and what the search makes of an archive's
<title>."""

from __future__ import annotations

from collections.abc import Sequence

from conftest import PAGES

from cleaner.meta.headline import ARCHIVE_HEADLINE_FEATURES, HEADLINE_FEATURES, find_title, headline_candidates
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


def test_a_cue_before_a_lower_case_word_or_of_another_language_is_no_byline_after() -> None:
    """'Budget | By the numbers' is a headline's own words: the cue must come before a capital;
    a Dutch cue ('door') is read on Dutch pages and not on English ones."""
    after = column(HEADLINE_FEATURES, "date_or_byline_after_in_line")
    lines = ["Home", "Council budget plans | By the numbers", PARAGRAPH]
    rows = {c: f for _, c, f in headline_candidates(lines, 2, "en")}
    assert rows["Council budget plans"][after] == 0.0
    dutch = ["Home", "Veerdienst blijft zoals hij is | door Jan Smit", PARAGRAPH]
    assert {c: f for _, c, f in headline_candidates(dutch, 2, "nl")}["Veerdienst blijft zoals hij is"][after] == 1.0
    assert {c: f for _, c, f in headline_candidates(dutch, 2, "en")}["Veerdienst blijft zoals hij is"][after] == 0.0


def test_a_heading_under_a_paragraph_is_marked_so() -> None:
    """A subheading stands under the article's paragraphs; a headline over them."""
    above = column(HEADLINE_FEATURES, "prose_above")
    lines = ["Winter ferry timetable stays the same", PARAGRAPH, "What happens next", PARAGRAPH]
    rows = {c: f for _, c, f in headline_candidates(lines, 0, "en")}
    assert rows["What happens next"][above] == 1.0 and rows["Winter ferry timetable stays the same"][above] == 0.0


def test_chinese_paragraphs_are_paragraphs() -> None:
    """Words are counted as the finder counts them: a Chinese paragraph without spaces is long."""
    paragraph = ("市议会周二晚上开会决定冬季渡轮的运行方式，大多数成员同意时刻表应保持不变，"
                 "因为乘客数量在过去三年里一直保持稳定。")
    to_prose = column(HEADLINE_FEATURES, "lines_to_prose")
    rows = {c: f for _, c, f in headline_candidates(["首页", "冬季渡轮时刻表保持不变", paragraph], 1, "zh")}
    assert rows["冬季渡轮时刻表保持不变"][to_prose] < 1.0


def test_an_article_body_without_its_page_has_no_headline() -> None:
    """Text that opens with the article's paragraph: a heading under it is a subheading, not
    the headline; over it, the same heading is the headline."""
    body = [line for line in (PAGES / "clean" / "council_budget.txt").read_text(encoding="utf-8").split("\n")
            if line]
    assert body[2] == "Where the money goes" and find_title(body, 0, "en") is None
    page = ["Home", "News", "Sport", "Winter ferry timetable stays the same", PARAGRAPH, "What the board decided",
            PARAGRAPH]
    assert find_title(page, 4, "en") == (3, "Winter ferry timetable stays the same")


class _LongestFarthestAbove:
    """A headline model that likes the line farthest above the region's start, and of its parts
    the longest: an archive's <title> whole."""

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        above, words = (column(ARCHIVE_HEADLINE_FEATURES, name) for name in ("lines_above_start", "log_words"))
        return [row[above] + 0.01 * row[words] for row in rows]


def test_an_archive_title_s_part_printed_as_the_heading_is_the_headline() -> None:
    """An archive's <title> is the headline and the site's name; the page's heading says which
    part is the headline, even one word long (no part of a line that `line_pieces` offers)."""
    title = "Brantwick - Valleypedia, the free encyclopedia"
    page = [title, "Main menu", "Home", "Random page", "Brantwick", PARAGRAPH, PARAGRAPH]
    models = (_LongestFarthestAbove(), _LongestFarthestAbove())
    assert find_title(page, 5, "en", models=models, archive=True) == (4, "Brantwick")
    # Without a heading that prints a part of it, the title stays whole.
    assert find_title([title, *page[1:4], PARAGRAPH, PARAGRAPH], 4, "en", models=models, archive=True) == (0, title)
