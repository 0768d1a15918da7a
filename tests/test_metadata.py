"""Headline, date and byline from text alone (cleaner/meta/: headline, headline_text, slug, date,
byline, and their models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import clean, load_rulebook
from cleaner.find.finder import find_content
from cleaner.meta.byline import BYLINE_FEATURES, BYLINE_MODEL, byline_candidates, find_authors
from cleaner.meta.date import DATE_FEATURES, DATE_MODEL, date_candidates, date_pattern, find_date, url_date
from cleaner.meta.fields import parse_date
from cleaner.meta.headline import (
    HEADLINE_FEATURES,
    HEADLINE_MODEL,
    SLUG_HEADLINE_FEATURES,
    SLUG_HEADLINE_MODEL,
    find_title,
    headline_candidates,
)
from cleaner.meta.headline_layout import LAYOUT_FEATURES
from cleaner.meta.headline_text import (
    doubled,
    line_pieces,
    phrase_piece,
    rejoined,
    slug_pieces,
    tidy_title,
    whole_if_continued,
)
from cleaner.meta.scoring import column
from cleaner.meta.slug import fold, slug_phrase, slug_words

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


def _feature(candidates: list[tuple[str, list[float]]], name: str) -> list[tuple[str, float]]:
    return [(value, features[DATE_FEATURES.index(name)]) for value, features in candidates]


def test_a_day_of_the_urls_archive_month_is_marked() -> None:
    """A blog's archive path ('/2015/07/slug') names the post's month; a day of another month or
    year (a comment's, a sidebar's) is not marked, nor is any day when the URL has no such path."""
    lines = ["Planting beans in the shade", "July 14, 2015", PARAGRAPH, "Comments",
             "Mara Lindqvist says", "March 11, 2019 at 8:02 am", "Thanks for the tip!"]
    url = "https://garden.example.org/2015/07/planting-beans-in-the-shade.html"
    found = _feature(date_candidates(lines, 2, 4, "en", 0, url), "url_month")
    assert found == [("July 14, 2015", 1.0), ("March 11, 2019", 0.0)]
    for other in (None, "https://garden.example.org/planting-beans/", "https://garden.example.org/2015/planting/"):
        assert {v for _, v in _feature(date_candidates(lines, 2, 4, "en", 0, other), "url_month")} == {0.0}


def test_the_day_a_question_was_asked_is_marked() -> None:
    lines = ["How do I keep bread fresh for a week?", PARAGRAPH, "edited Apr 2, 2013 at 9:15",
             "asked Mar 28, 2013 at 18:05", "Tomas Berglund", "answered Apr 2, 2013 at 7:40"]
    found = _feature(date_candidates(lines, 1, 3, "en", 0), "asked_label_before")
    assert found == [("Apr 2, 2013", 0.0), ("Mar 28, 2013", 1.0), ("Apr 2, 2013", 0.0)]


def test_the_byline_names_the_author_not_the_commenter() -> None:
    start, end = region(PAGE)
    assert find_authors(PAGE, start, end, "en", headline=6) == "Maria Lopez"


def test_a_page_without_dates_or_names_gets_none() -> None:
    lines = [PARAGRAPH, PAGE[10], PAGE[11]]
    assert find_date(lines, 0, len(lines), "en") is None
    assert find_authors(lines, 0, len(lines), "en") is None


# A page whose headline is glued to a teaser above it: the text alone points at the teaser line,
# the URL's slug says which of them is the headline.
TEASERS = [
    "Home", "News", "Sport",
    "Night trains return to the Alpine route",
    "Harbour festival moves to September",
    PARAGRAPH, PAGE[10], PAGE[11],
]


def test_the_slug_picks_the_headline_among_look_alikes() -> None:
    start, _ = region(TEASERS)
    url = "https://news.example.org/2024/03/14/harbour-festival-moves-to-september"
    assert find_title(TEASERS, start, "en", url) == (4, "Harbour festival moves to September")
    other = "https://news.example.org/travel/night-trains-return-alpine-route.html"
    assert find_title(TEASERS, start, "en", other) == (3, "Night trains return to the Alpine route")


# Two look-alike headlines in Swedish; slugs spell them without their accents.
SWEDISH = [
    "Start", "Nyheter", "Sport",
    "Nattåg återvänder till fjällen",
    "Hamnfestivalen flyttas till september",
    "Kommunfullmäktige röstade på tisdagen för att bygga en ny bro över älven. Enligt kommunalrådet "
    "ska arbetet börja till våren och vara klart inom tre år.",
    "Invånarna i stadsdelen har länge väntat på projektet, eftersom den gamla bron har varit stängd "
    "för lastbilar i två år och omvägarna gör varje resa längre.",
]


def test_a_slug_without_accents_matches_a_headline_with_them() -> None:
    start = 5
    url = "https://nyheter.example.se/2024/03/14/nattag-atervander-till-fjallen"
    assert find_title(SWEDISH, start, "sv", url) == (3, "Nattåg återvänder till fjällen")
    other = "https://nyheter.example.se/hamnfestivalen-flyttas-till-september"
    assert find_title(SWEDISH, start, "sv", other) == (4, "Hamnfestivalen flyttas till september")


@pytest.mark.parametrize(("word", "folded"), [
    ("älven", "alven"), ("sécurité", "securite"), ("straße", "strasse"), ("øre", "ore"),
    ("a\u0308lven", "alven"), ("tiếng", "tieng"), ("ılık", "ilik"),
    ("новый", "новый"),  # other scripts keep their letters
])
def test_fold_spells_words_as_slugs_do(word: str, folded: str) -> None:
    assert fold(word) == folded


@pytest.mark.parametrize("url", [
    "https://news.example.org/a/b/item-4471-x-y-z",
    "https://news.example.org/category/gardening-tips-and-advice/",  # a category, not a slug
    "https://example.ru/news/v-gorode-otkroyut-velodorozhki",  # transliterated
])
def test_a_slug_that_matches_nothing_takes_nothing_away(url: str) -> None:
    start, _ = region(PAGE)
    assert find_title(PAGE, start, "en", url) == find_title(PAGE, start, "en") is not None


@pytest.mark.parametrize(("url", "words"), [
    ("https://x.org/news/2024/03/city-council-approves-lanes.html", {"city", "council", "approves", "lanes"}),
    ("https://x.org/p/123456", set()),
    ("https://x.org/a-b/some-longer-slug-here/amp", {"some", "longer", "slug", "here"}),
    # The last segment is the page's own, however long the sections above it are.
    ("https://x.org/ideas-that-shape-the-city/river-lanes-explained", {"river", "lanes", "explained"}),
    ("https://x.org/topics/natural-resources-and-farming/soil-health/", {"soil", "health"}),
    ("https://x.org/help/online-student-help-desk/tips-online-study.php", {"tips", "online", "study"}),
    # An id at the end: the longest segment of three words or more.
    ("https://x.org/stories/harbour-ferry-returns/4471", {"harbour", "ferry", "returns"}),
    ("https://x.org/local-news/4471", set()),
    ("https://ru.x.org/%D0%BD%D0%BE%D0%B2%D1%8B%D0%B9-%D0%BC%D0%BE%D1%81%D1%82-%D0%BE%D1%82%D0%BA%D1%80%D1%8B%D1%82",
     {"новый", "мост", "открыт"}),
    ("https://x.se/nyheter/bro-%C3%B6ver-%C3%A4lven", {"bro", "over", "alven"}),
    (None, set()),
])
def test_slug_words(url: str | None, words: set[str]) -> None:
    assert slug_words(url) == words


@pytest.mark.parametrize(("url", "day"), [
    ("https://x.org/2024/03/14/story", "2024-03-14"),
    ("https://x.org/news/20240314-story", "2024-03-14"),
    ("https://x.org/2024-03-14-story.html", "2024-03-14"),
    ("https://x.org/news/2024/mar/14/story", "2024-03-14"),
    ("https://x.org/blog/2023/october/3/story", "2023-10-03"),
    ("https://x.org/2023/octopus/3/story", None),  # not a month
    ("https://x.org/2023/oct/32/story", None),
    ("https://x.org/2024/03/story", None),  # a year and a month are an archive, not a day
    ("https://x.org/2024/02/30/story", None),  # no such day
    ("https://x.org/item/120240314999", None),  # digits inside a longer number
    ("https://x.org/story?d=2024-03-14", None),  # the query is not the page's address
    (None, None),
])
def test_url_date(url: str | None, day: str | None) -> None:
    assert url_date(url) == day


def test_the_url_gives_the_date_when_the_text_has_none() -> None:
    text = "\n\n".join(TEASERS).encode()
    rulebook = load_rulebook()
    assert clean(text, rulebook).date is None
    dated = clean(text, rulebook, url="https://news.example.org/2024/03/14/harbour-festival-moves")
    assert dated.date == "2024-03-14"


def test_an_update_line_gives_updated_and_the_publication_stays_the_date() -> None:
    rulebook = load_rulebook()
    body = "\n\n".join(PAGE[9:12]).encode()
    both = clean(b"City council approves new cycling lanes\n\nPublished March 3, 2024\n\n"
                 b"Updated on March 5, 2024\n\n" + body, rulebook)
    assert (both.date, both.updated) == ("2024-03-03", "2024-03-05")
    assert "Updated on" not in both.text
    only = clean(b"City council approves new cycling lanes\n\nUpdated on March 5, 2024\n\n" + body, rulebook)
    assert (only.date, only.updated) == ("2024-03-05", "2024-03-05")  # the only day the page gives
    assert clean(body, rulebook).updated is None


@pytest.mark.parametrize(("dateline", "updated"), [
    ("Publié le 3 mars 2024 à 09:14, modifié le 5 mars 2024 à 11:40", "2024-03-05T11:40"),
    ("March 3, 2024 | Updated March 5, 2024", "2024-03-05"),
    ("Published March 3, 2024 | Updated 5 hours ago", None),  # no day to give: the date still holds
])
def test_a_dateline_that_also_says_when_it_was_updated_gives_both(dateline: str, updated: str | None) -> None:
    body = "\n\n".join(PAGE[9:12]).encode()
    doc = clean(b"City council approves new cycling lanes\n\n" + dateline.encode() + b"\n\n" + body, load_rulebook())
    assert (doc.date or "")[:10] == "2024-03-03"
    assert doc.updated == updated
    assert dateline not in doc.text


@pytest.mark.parametrize(("line", "day"), [
    ("LEONARDO GARCIASep 26, 20222 min readWhen you're planning an event", "2022-09-26"),
    ("ServiceTitanNovember 26th, 202410 Min Read", "2024-11-26"),
    ("Gary MarcusDec 14, 202558914994Share", "2025-12-14"),
    ("Thoughts on Zig2025-08-29#review#tech", "2025-08-29"),
    ("By thegrangehallFebruary 16, 2026No Comments", "2026-02-16"),
    ("Posted 19-Dec-2025 by the editors", "2025-12-19"),
    ("2025.12.17 · News", "2025-12-17"),
    ("Web framework3d23d65-ddc6-4ce5Dec 16, 2025Share", "2025-12-16"),
    ("The Ultimate Guide 2025PUBLISHED3 January, 2025Annemarie Bufe", "2025-01-03"),
])
def test_dates_glued_to_their_neighbours_are_found(line: str, day: str) -> None:
    """Scrapes glue bylines, dates and reading times together; the date is still found."""
    lines = ["Harbour festival moves to September", line, PARAGRAPH, PAGE[10], PAGE[11]]
    assert find_date(lines, 2, len(lines), "en", headline=0) == day


@pytest.mark.parametrize(("line", "language"), [
    ("Gepubliceerd op 03-12-2026", "nl"),
    ("Publikováno: 3. 12. 2026", "cs"),
    ("2026. december 3. 14:30", "hu"),
    ("2026. dec. 3., csütörtök", "hu"),
    ("2026 m. gruodžio 3 d.", "lt"),
    ("2026年12月3日 14時30分", "ja"),
    ("发布时间：2026/12/03 14:30", "zh"),
    ("2026년 12월 3일 14:30", "ko"),
    ("입력 2026. 12. 3. 오후 2:30", "ko"),
    ("Publicado em 03/12/2026 às 14h30", "pt"),
    ("Le 3 décembre 2026 à 14h30", "fr"),
])
def test_dates_written_the_ways_of_other_languages_are_found(line: str, language: str) -> None:
    """Day first with dashes or spaced dots, year first before a month name or in figures,
    East Asian year-month-day marks, and '14h30' as a time."""
    lines = ["Harbour festival moves to September", line, PARAGRAPH, PAGE[10], PAGE[11]]
    assert (find_date(lines, 2, len(lines), language, headline=0) or "")[:10] == "2026-12-03"


@pytest.mark.parametrize(("value", "day"), [
    ("03/12/2026 às 14h30", "2026-12-03T14:30"),  # not 'fourteen hours ago'
    ("March 2026", None),  # a month is not a day
    ("3rd December 2026", "2026-12-03"),
    ("2026年12月3日14時30分", "2026-12-03T14:30"),  # no space before the time
])
def test_a_date_value_says_its_day(value: str, day: str | None) -> None:
    assert parse_date(value, "pt" if "às" in value else "en") == day


@pytest.mark.parametrize("line", [
    "Remember 5, 2024 was the year",  # a month name inside a word
    "The Galaxy S24 May 2024 update is rolling out",  # a model number before a month
    "Results for Q1 March 2024 were flat",
    "Release 1.16.02.2026 is out",  # digits of a version number
    "Order 1234 May 2024 catalogue",  # a day inside a longer number
])
def test_month_names_and_numbers_inside_words_are_not_dates(line: str) -> None:
    lines = [line, PARAGRAPH, PAGE[10], PAGE[11]]
    assert find_date(lines, 1, len(lines), "en") is None


@pytest.mark.parametrize(("lines", "names"), [
    # A menu label in title case is not a name; the byline below it is.
    (["Select Page", "Harbour festival moves to September", "By Maria Lopez", PARAGRAPH], "Maria Lopez"),
    # A byline glued to its neighbours by the scraper.
    (["Harbour festival moves to September", "ByMaria LopezUpdated on March 14, 2024", PARAGRAPH],
     "Maria Lopez"),
])
def test_bylines_that_need_more_than_their_shape(lines: list[str], names: str) -> None:
    start = lines.index(PARAGRAPH)
    headline = 1 if lines[0] == "Select Page" else 0
    assert find_authors([*lines, PAGE[10], PAGE[11]], start, len(lines) + 2, "en", headline=headline) == names


@pytest.mark.parametrize(("byline", "names"), [
    ("Story by MaryAnn Smith", "MaryAnn Smith"),
    ("Photos and story by Jane FitzGerald", "Jane FitzGerald"),
    ("By Rebecca MacFarlane", "Rebecca MacFarlane"),
    ("ByMaria LopezUpdated on March 14, 2024", "Maria Lopez"),
    ("Maria LopezShare this article", "Maria Lopez"),
    ("By:Maria Lopez", "Maria Lopez"),  # a colon glued to the cue
    ("March 14, 2024 By Maria LopezIn Travel Tips, City Guides", "Maria Lopez"),  # the category glued after
    ("Follow Maria Lopez on LinkedIn", None),
    ("Rebecca MacFarlanePublished on November 11, 2025", "Rebecca MacFarlane"),  # no cue: one piece
    ("By Jane MacFarlaneDec. 18, 2025", "Jane MacFarlane"),  # a dateline glued on
    ("by  Maria LopezNovember 20, 2007", "Maria Lopez"),
    ("By Maria Lopez Last Updated: December 15th 2025", "Maria Lopez"),  # set apart by a space
    ("By Curtis LeMay", "Curtis LeMay"),
    ("Last updatedAug 04, 2025Written byMaria LopezTable of contents", "Maria Lopez"),  # cue glued
    ("Written ByMaria LopezAI Writer, Example Media", "Maria Lopez"),  # a job title glued on
    ("By Maria Lopez  Friday, November 14, 2025", "Maria Lopez"),  # a weekday opening a date is no name
    ("By Nancy Friday", "Nancy Friday"),  # but a weekday may be a surname
    ("By Maria Lopez Dec. 18, 2025", "Maria Lopez"),
    ("AfMette JensenJournalist", "Mette Jensen"),  # a cue and a job title glued on
    ("By Maria LopezSenior Editor", "Maria Lopez"),
])
def test_names_with_capitals_inside_stay_whole(byline: str, names: str | None) -> None:
    lines = ["Harbour festival moves to September", byline, PARAGRAPH, PAGE[10], PAGE[11]]
    assert find_authors(lines, 2, len(lines), "en", headline=0) == names


def test_first_names_come_from_many_countries() -> None:
    from cleaner.meta.byline import first_names

    names = first_names()
    assert {"maria", "rebecca", "miguel", "sofia"} <= names
    assert not {"select", "page", "comments", "menu"} & names - {"page"}  # "Page" is a name too


def test_the_shipped_first_names_are_fakers() -> None:
    """cleaner/meta/first_names.json says what the installed Faker says (if not, run
    bench/first_names.py)."""
    pytest.importorskip("faker")
    import sys

    from cleaner.meta.byline import first_names

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from first_names import faker_first_names

    assert first_names() == frozenset(faker_first_names())


HEADLINE = "City council approves new cycling lanes along the river"
SLUG_URL = "https://news.example.org/2024/03/14/city-council-approves-cycling-lanes"


def test_a_headline_glued_into_a_page_long_line_is_found() -> None:
    # A minified page comes out as one line: menu, breadcrumb, the headline twice, byline, text.
    menu = "Home   News   Sport   Culture   Weather   Contact   Subscribe   "
    glued = (menu + "Home > News > " + HEADLINE + "   " + HEADLINE + "By Maria LopezMarch 14, 2024"
             + PARAGRAPH + " " + " ".join(PAGE[10:12]) * 4)
    assert len(glued) > 1000
    assert find_title([glued], 0, "en") == (0, HEADLINE)
    assert find_title([glued], 0, "en", SLUG_URL) == (0, HEADLINE)


def test_a_breadcrumb_before_the_headline_is_left_out() -> None:
    lines = ["Home", "News", "Sport", "Home > News > Local > " + HEADLINE, PARAGRAPH, PAGE[10], PAGE[11]]
    assert find_title(lines, 3, "en") == find_title(lines, 3, "en", SLUG_URL) == (3, HEADLINE)


@pytest.mark.parametrize(("byline", "names"), [
    (["Written by", "Maria Lopez"], "Maria Lopez"),  # the cue's element and the name's, on two lines
    (["By Maria Lopez, Peter Hill, and Ana Ruiz"], "Maria Lopez, Peter Hill, and Ana Ruiz"),
    (["By  Maria Lopez     Fact checked"], "Maria Lopez"),  # a template's gap ends the name
])
def test_bylines_as_scrapers_leave_them(byline: list[str], names: str) -> None:
    lines = [*PAGE[:7], *byline, *PAGE[8:]]
    start, end = region(lines)
    assert find_authors(lines, start, end, "en", headline=6) == names


def test_a_headline_with_a_separator_of_its_own_is_cut_from_a_glued_line() -> None:
    line = "Night trains of 2024 — and 5 routes to ride in 2025Rail operators say more are coming."
    assert "Night trains of 2024 — and 5 routes to ride in 2025" in line_pieces(line)
    assert "Night trains of 2024" in line_pieces(line)  # and the parts at the separator still


@pytest.mark.parametrize(("line", "first"), [
    ("Night trains return to the Alpine route Night trains return to the Alpine route",
     "Night trains return to the Alpine route"),
    ("Harbour ferry returns after two years, the ferry operator said", None),
    ("Harbour ferry returns after two yearsHarbour ferry returns after two years – Daily Example",
     "Harbour ferry returns after two years"),
    ("Home Home", None),  # one word is no headline
])
def test_a_headline_printed_twice_in_a_row_is_a_candidate(line: str, first: str | None) -> None:
    assert doubled(line) == first
    if first:
        assert first in line_pieces(line)


@pytest.mark.parametrize(("line", "slug", "piece"), [
    # glued at case changes, one of them inside the headline's own word
    ("/ResourcesPricing changes for GitHub ActionsDecember 15, 2025 // 8 min readTLDR: We are",
     "pricing-changes-for-github-actions", "Pricing changes for GitHub Actions"),
    # a slug without the headline's first word: the stretch reaches the block's edges
    ("Skip to content0 results   Making Google Sans FlexHow seven design problems shaped it",
     "google-sans-flex-font", "Making Google Sans Flex"),
    ("Menu   Best electric scooters for commuting in 2025   March 3, 2025 The scooters we rode",
     "best-electric-scooters", "Best electric scooters for commuting in 2025"),
])
def test_a_slug_cuts_its_headline_out_of_a_glued_line(line: str, slug: str, piece: str) -> None:
    assert piece in slug_pieces(line, slug_words(f"https://example.org/{slug}"), date_pattern("en"))


@pytest.mark.parametrize(("line", "part", "headline"), [
    # the headline's own second half, in sentence case: the whole line
    ("Matpriserna stiger igen – första ökningen sedan i våras", "Matpriserna stiger igen",
     "Matpriserna stiger igen – första ökningen sedan i våras"),
    ("Night trains return - and five routes to ride", "Night trains return",
     "Night trains return - and five routes to ride"),
    # a site or section name after the dash, or a sentence: the part
    ("Night trains return – Harbourwatch", "Night trains return", "Night trains return"),
    ("Night trains return – harbourwatch.example", "Night trains return", "Night trains return"),
    ("Night trains return – and with them the sleeper cars that the operators had sold off years ago",
     "Night trains return", "Night trains return"),
    ("Night trains return – they are back. Book now", "Night trains return", "Night trains return"),
])
def test_a_headline_that_goes_on_after_a_dash_in_lower_case_is_the_whole_line(
        line: str, part: str, headline: str) -> None:
    assert whole_if_continued(line, part) == headline


def test_a_headline_far_from_the_region_is_found_by_its_slug() -> None:
    """The region was found at an intro forty lines above the headline (a table of contents
    between them): out of the search window, the line saying the whole slug is still weighed."""
    headline = "City council approves new cycling lanes along the river"
    contents = [f"Chapter {n}: notes on the plan" for n in range(1, 40)]
    lines = [PARAGRAPH, *contents, headline, "By Maria Lopez", PARAGRAPH, PARAGRAPH + " Again."]
    url = "https://example.org/news/city-council-approves-new-cycling-lanes"
    found = find_title(lines, 0, "en", url)
    assert found == (40, headline)


def test_a_word_of_the_slug_cut_in_two_by_reading_is_joined_again() -> None:
    slug = slug_words("https://example.org/blog/pricing-changes-for-github-actions")
    assert rejoined("Pricing changes for Git", "Hub Actions", slug) == [
        "Pricing changes for GitHub Actions", "Pricing changes for GitHub"]
    assert rejoined("Pricing changes for Git", "Lab Actions", slug) == []  # "gitlab" is not in the slug
    assert rejoined("Pricing changes for", "GitHub Actions", slug) == []  # nothing was cut there


def test_a_subtitle_after_a_colon_stays_with_its_headline() -> None:
    pieces = slug_pieces("Menu   Wine regions: a guide for beginnersJane Doe", {"wine", "regions"},
                         date_pattern("en"))
    assert "Wine regions: a guide for beginners" in pieces and "Wine regions:" not in pieces


@pytest.mark.parametrize(("line", "slug", "piece"), [
    # the slug spelt word for word, glued at seams or set apart by blanks, however far in the line
    ("min readNeed a Change? 7 Vital Tips on How to Rent a CarAndrei Zakhareuski",
     "need-a-change-7-vital-tips-on-how-to-rent-a-car", "Need a Change? 7 Vital Tips on How to Rent a Car"),
    ("Home | Vegetable Gardening for Beginners | Harbour Gardens", "vegetable-gardening-for-beginners",
     "Vegetable Gardening for Beginners"),
    ("Menu " * 400 + "Docs  Thinking in React  Installation", "thinking-in-react", "Thinking in React"),
    # a slug that says only the head of its headline cuts nothing inside the block
    ("Vegetable Gardening for Beginners: The Complete Guide", "vegetable-gardening-for-beginners", None),
    ("Rent a Careers fair", "rent-a-car", None),  # inside a word
    ("Guides  Thinking in React", "react", None),  # a slug of fewer than three words
])
def test_a_slug_spelt_word_for_word_between_block_edges_is_a_piece(line: str, slug: str, piece: str | None) -> None:
    assert phrase_piece(line, slug_phrase(f"https://example.org/{slug}")) == piece


def test_a_slug_saying_one_word_of_a_line_cuts_nothing() -> None:
    assert slug_pieces("Home   Pricing   Contact us today", {"pricing", "plans"}, date_pattern("en")) == []


def test_the_headline_of_a_breadcrumb_glued_to_its_heading_is_found() -> None:
    headline = "City council approves new cycling lanes along the river"
    page = [*PAGE[:6], f"News › {headline} {headline}", *PAGE[7:]]
    start, _ = region(page)
    found = find_title(page, start, "en")
    assert found is not None and found[1] == headline


def test_an_author_box_offers_its_name() -> None:
    """The first line of an author's box near the article's end names a candidate, marked as
    such for the byline model; a sentence of the same shape about a thing offers none."""
    lines = ["Council approves the new river bridge", PARAGRAPH, PARAGRAPH + " Again.",
             "Jane Doe is a reporter at the Gazette who covers city hall.",
             "The bridge is a marvel of engineering, the mayor said."]
    at = column(BYLINE_FEATURES, "author_bio")
    found = {names: features[at] for names, features in byline_candidates(lines, 1, 3, "en", 0)}
    assert found.get("Jane Doe") == 1.0
    assert not any(name.startswith("The") for name in found)
    glued = [*lines[:3], "About Jane Doe Jane is a reporter at the Gazette who covers city hall."]
    assert "Jane Doe" in {names for names, _ in byline_candidates(glued, 1, 3, "en", 0)}
    # A stop word of the page's language opens a sentence, even where the page never writes it
    # in lower case.
    swedish = ["Detta är en nyhetsartikel", "Hyrorna höjs i Göteborg", "Hyresgästerna får höjd hyra "
               "från januari, det står klart efter att förhandlingarna avslutades under natten."]
    assert "Detta" not in {names for names, _ in byline_candidates(swedish, 2, 3, "sv", 1)}


@pytest.mark.parametrize(("title", "url", "tidy"), [
    ("Best Exhibitions of 2025 – Harbourwatch", "https://harbourwatch.example/best", "Best Exhibitions of 2025"),
    ("The Tide Tables | Coast Lab", "https://www.coastlab.example/blog/x", "The Tide Tables"),
    ("Night trains return Night trains return", None, "Night trains return"),
    # The slug says where a headline glued into a word starts or ends.
    ("Night Trains Return to the Alpsrailway news", "https://x.example/night-trains-return-to-the-alps",
     "Night Trains Return to the Alps"),
    ("NewsFerries Are Running Again", "https://x.example/ferries-are-running-again", "Ferries Are Running Again"),
    ("Festivals, Markets, & Moreby Jane Doe", "https://x.example/festivals-markets-more", "Festivals, Markets, & More"),
    ("The Best Rain Jackets of 2026", "https://x.example/best-rain-jacket", "The Best Rain Jackets of 2026"),
    ("Best Ferries for Commuting", "https://x.example/best-ferries-for", "Best Ferries for Commuting"),
    ("Essay Tips and Tricks Valley Admissions", "https://blog.admissions.valley.edu/x", "Essay Tips and Tricks"),
    ("Best Walks in Harbourtown", "https://www.harbourtown.example/walks", "Best Walks in Harbourtown"),  # one word
    # A name the host does not spell may be the headline's end.
    ("Floods close the ring road – Moscow", "https://news.example/floods", "Floods close the ring road – Moscow"),
    ("Harbourwatch – Best", "https://harbourwatch.example/", "Harbourwatch – Best"),
    ("Our review – Com", "https://example.com/review", "Our review – Com"),
    # A dateline glued in front of the headline; a date alone, or a month in a headline, stays.
    ("November 12, 20247 Healthy Air Fryer Recipes", None, "7 Healthy Air Fryer Recipes"),
    ("12 March 2025 | Budget vote delayed", None, "Budget vote delayed"),
    ("May 3, 2025", None, "May 3, 2025"),
    ("March Madness 2025 bracket", None, "March Madness 2025 bracket"),
    # A headline about a day keeps it: the date is neither glued on nor set apart by a separator.
    ("September 11, 2001 attacks: 20 years later", None, "September 11, 2001 attacks: 20 years later"),
    ("May 4, 1970: The Kent State shootings remembered", None, "May 4, 1970: The Kent State shootings remembered"),
    ("5 Marvel 2025 releases to watch", None, "5 Marvel 2025 releases to watch"),
    # A listing's count in brackets after its heading leaves; a year or a count inside stays.
    ("Hiking Boots(338 products)", None, "Hiking Boots"),
    ("Kayaks (43 Items)", None, "Kayaks"),
    ("Wanderschuhe (1.204 Produkte)", None, "Wanderschuhe"),
    ("Hiking Boots (2024)", None, "Hiking Boots (2024)"),
    ("Our Top 10 Posts", None, "Our Top 10 Posts"),
    ("(12 results)", None, "(12 results)"),
])
def test_tidy_title_drops_the_site_name_and_a_doubled_copy(title: str, url: str | None, tidy: str) -> None:
    assert tidy_title(title, url) == tidy


@pytest.mark.parametrize(("headline", "dateline", "body"), [
    ("Rząd chce obniżyć podatki od pracy w przyszłym roku", "3 grudnia 2026, 14:30",
     "Rząd przedstawił w środę projekt, zgodnie z którym podatki od pracy zostaną obniżone dla większości "
     "pracowników. Zmiana ma obowiązywać od pierwszego stycznia i według ministra finansów będzie kosztować "
     "budżet państwa kilka miliardów złotych, co zapowiedział podczas konferencji prasowej w Warszawie."),
    ("Hükümet gelecek yıl gelir vergisini düşürmeyi planlıyor", "3 Aralık 2026, 14:30",
     "Hükümet çarşamba günü çalışanların büyük bölümü için gelir vergisinin düşürülmesini öngören bir teklif "
     "sundu. Değişikliğin ocak ayının başından itibaren geçerli olması bekleniyor ve maliye bakanına göre "
     "devlet bütçesine birkaç milyar liraya mal olacak, bakan Ankara'da düzenlediği basın toplantısında açıkladı."),
])
def test_a_headline_inflected_otherwise_in_the_body_is_found(headline: str, dateline: str, body: str) -> None:
    """In Polish or Turkish the body says the headline's words with other endings ('obniżyć',
    'obniżone'; 'vergisini', 'vergisinin'), which their stems do not always meet."""
    page = "\n".join(["Home", "News", "Sport", "Contact", headline, dateline, body, body, "Share", "© 2026"])
    assert clean(page.encode(), load_rulebook()).title == headline


def test_lines_a_rule_took_out_still_follow_the_headline() -> None:
    """A dateline and a byline that rules took into the record stay evidence for the line
    above them: the headline search reads where they were."""
    from cleaner.document import Document
    from cleaner.meta.headline import Taken
    from cleaner.page import Page
    from cleaner.pipeline import taken_lines
    from cleaner.read.text import text_lines
    from cleaner.rules.run import run_rules

    text = "\n".join(["News", HEADLINE, "Published: March 14, 2024", "By Maria Lopez", PARAGRAPH, PAGE[10]])
    page = Page(text_lines(text), Document(language="en"))
    run_rules(page, load_rulebook().select(line.text for line in page.lines))
    live = [i for i, _ in page.live()]
    assert [page.lines[i].text for i in live] == ["News", HEADLINE, PARAGRAPH, PAGE[10]]
    assert taken_lines(page, live) == Taken(dates=frozenset({1}), bylines=frozenset({1}))
    # A dateline taken above every line left belongs to no line.
    page = Page(text_lines("\n".join(["Published: March 14, 2024", PARAGRAPH])), Document(language="en"))
    run_rules(page, load_rulebook().select(line.text for line in page.lines))
    assert taken_lines(page, [i for i, _ in page.live()]) == Taken()


def test_rows_have_one_value_for_each_feature_name() -> None:
    """Each search builds its rows in the order of its tuple of feature names, the names the
    model files list in column order, and reads them back by name."""
    for path, names in ((HEADLINE_MODEL, HEADLINE_FEATURES), (SLUG_HEADLINE_MODEL, SLUG_HEADLINE_FEATURES),
                        (DATE_MODEL, DATE_FEATURES), (BYLINE_MODEL, BYLINE_FEATURES)):
        assert tuple(json.loads(path.read_text(encoding="utf-8"))["features"]) == names
    start, end = region(PAGE)
    for url, names in ((None, HEADLINE_FEATURES),
                       ("https://example.org/news/city-council-approves-cycling-lanes", SLUG_HEADLINE_FEATURES)):
        rows = [features for _, _, features in headline_candidates(PAGE, start, "en", url)]
        assert rows and all(len(row) == len(names) for row in rows)
    rows = [features for _, features in date_candidates(PAGE, start, end, "en", 6)]
    assert rows and all(len(row) == len(DATE_FEATURES) for row in rows)
    rows = [features for _, features in byline_candidates(PAGE, start, end, "en", 6)]
    assert rows and all(len(row) == len(BYLINE_FEATURES) for row in rows)
    # The scraped text's slug model weighs the text-only model's features but the layout ones.
    assert column(SLUG_HEADLINE_FEATURES, "words_in_slug") == len(HEADLINE_FEATURES) - len(LAYOUT_FEATURES)
    with pytest.raises(KeyError):
        column(HEADLINE_FEATURES, "words_in_slug")
