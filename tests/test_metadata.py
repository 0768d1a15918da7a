"""Headline, date and byline from text alone (cleaner/metadata.py and its models)."""

from __future__ import annotations

from cleaner.finder import find_content
from cleaner.metadata import find_authors, find_date, find_title

PARAGRAPH = ("The council voted on Tuesday evening to build eleven kilometres of protected cycling "
             "lanes along both banks of the river, the largest change to the streets in a generation.")
PAGE = [
    "Home", "News", "Sport", "Culture", "Weather", "Contact",
    "City council approves new cycling lanes along the river",
    "By Maria Lopez",
    "March 14, 2024",
    PARAGRAPH,
    "The plan, which passed by nine votes to four, will take three years to complete and cost an "
    "estimated 14 million euros, most of it from a regional transport fund.",
    "Supporters said the lanes would make commuting safer for the thousands of residents who "
    "already cycle to work, while opponents warned about the loss of parking spaces.",
    "Comments",
    "Peter Hill says",
    "June 2, 2024 at 10:15 am",
    "About time too. The river path has been dangerous for years and this will help everyone.",
]


def region(lines: list[str]) -> tuple[int, int]:
    verdict = find_content(lines, "en")
    return verdict.start, verdict.end


def test_the_headline_above_the_byline_is_the_title() -> None:
    start, _ = region(PAGE)
    assert find_title(PAGE, start, "en") == (6, "City council approves new cycling lanes along the river")


def test_a_page_of_prose_alone_has_no_title() -> None:
    lines = [PARAGRAPH] * 1 + [PAGE[10], PAGE[11]]
    assert find_title(lines, 0, "en") is None


def test_the_date_by_the_headline_wins_over_a_comment_date() -> None:
    start, end = region(PAGE)
    assert find_date(PAGE, start, end, "en", headline=6) == "2024-03-14"


def test_the_byline_names_the_author_not_the_commenter() -> None:
    start, end = region(PAGE)
    assert find_authors(PAGE, start, end, "en", headline=6) == "Maria Lopez"


def test_a_page_without_dates_or_names_gets_none() -> None:
    lines = [PARAGRAPH, PAGE[10], PAGE[11]]
    assert find_date(lines, 0, len(lines), "en") is None
    assert find_authors(lines, 0, len(lines), "en") is None
