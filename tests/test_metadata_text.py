"""Metadata from text: the shapes of titles, bylines and datelines that scrapers and templates
leave (made-up pages; the searches themselves are in tests/test_metadata.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaner.meta import byline
from cleaner.meta.byline import BYLINE_FEATURES, byline_candidates
from cleaner.meta.date import DATE_FEATURES, date_candidates, find_date
from cleaner.meta.headline import (
    ARCHIVE_HEADLINE_FEATURES,
    ARCHIVE_HEADLINE_MODEL,
    ARCHIVE_SLUG_HEADLINE_FEATURES,
    ARCHIVE_SLUG_HEADLINE_MODEL,
    find_title,
    headline_candidates,
)
from cleaner.meta.headline_text import line_pieces, tidy_title
from cleaner.meta.names import first_card
from cleaner.meta.scoring import column
from cleaner.meta.slug import headline_slug
from cleaner.pipeline import archive_text, prepare_page

PARAGRAPH = ("The council voted on Tuesday evening to build eleven kilometres of protected cycling "
             "lanes along both banks of the river, the largest change to the streets in a generation.")
MORE = ("The plan, which passed by nine votes to four, will take three years to complete and cost an "
        "estimated 14 million euros, most of it from a regional transport fund.")


@pytest.mark.parametrize(("title", "tidy"), [
    # A dateline glued after the headline, or set apart by a separator or a space, leaves it.
    ("Configure your repositories with templates Dec 19, 2025", "Configure your repositories with templates"),
    ("Ferry timetables changeFriday, March 3, 2024", "Ferry timetables change"),
    ("Ferry timetables change | 2024-03-03", "Ferry timetables change"),
    ("Night trains return — 3 March 2024", "Night trains return"),
    # A date the headline's own words lead to stays, and so does a date alone or after one word.
    ("What happened on May 4, 1970", "What happened on May 4, 1970"),
    ("Forecast since January 2, 2024", "Forecast since January 2, 2024"),
    ("Report 3 March 2024", "Report 3 March 2024"),
    ("May 3, 2025", "May 3, 2025"),
])
def test_a_date_after_the_headline_leaves_the_title(title: str, tidy: str) -> None:
    assert tidy_title(title, None) == tidy


@pytest.mark.parametrize(("title", "tidy"), [
    # A shop's price glued to the product's name leaves it, one price or two.
    ("Harbour Lantern Drop Pendant$1,240.00", "Harbour Lantern Drop Pendant"),
    ("Tidewater Glow Duo€48€64", "Tidewater Glow Duo"),
    # An amount the headline says, after a space, stays.
    ("How we saved $5,000 on ferry fares", "How we saved $5,000 on ferry fares"),
    # and so does a currency's prefix of capitals before the amount.
    ("Harbour board weighs a US$100 ferry pass", "Harbour board weighs a US$100 ferry pass"),
    ("Porto recebe R$ 5 milhões para a nova ponte", "Porto recebe R$ 5 milhões para a nova ponte"),
])
def test_a_glued_price_leaves_the_title(title: str, tidy: str) -> None:
    assert tidy_title(title, None) == tidy


@pytest.mark.parametrize(("title", "url", "tidy"), [
    # The site's name the host spells, before the headline or after a spaced colon.
    ("Harbourwatch | Ferry Timetables Change in May", "https://harbourwatch.example/news/ferries",
     "Ferry Timetables Change in May"),
    ("Ferries : Harbourwatch", "https://www.harbourwatch.example/ferries", "Ferries"),
    # A name the host does not spell stays, and so does a headline's own colon.
    ("Tidewater | Ferry Timetables Change in May", "https://harbourwatch.example/news/ferries",
     "Tidewater | Ferry Timetables Change in May"),
    ("Harbourwatch: Ferry Timetables Change", "https://harbourwatch.example/news/ferries",
     "Harbourwatch: Ferry Timetables Change"),
])
def test_the_site_name_before_the_headline_leaves_it(title: str, url: str, tidy: str) -> None:
    assert tidy_title(title, url) == tidy


@pytest.mark.parametrize(("line", "piece"), [
    # Blocks two blanks apart, the headline printed twice among menu labels.
    ("Guides  Cycling  Ten Ways to Fix a Puncture    Ten Ways to Fix a Puncture  A flat tyre is the commonest",
     "Ten Ways to Fix a Puncture"),
    # A menu's two-letter label glued to the headline, which the seams leave on.
    ("TimetablesLog InFind UsRiver Ferries Return for the SummerThe harbour board said on Monday",
     "River Ferries Return for the Summer"),
])
def test_the_headline_search_sees_a_headline_among_menu_blocks(line: str, piece: str) -> None:
    assert piece in line_pieces(line)


@pytest.mark.parametrize(("line", "headline"), [
    ("HomeNewsDeSantis Signs the New Ferry BillThe harbour board said on Monday", "DeSantis Signs the New Ferry Bill"),
    ("NewsLeBron James Scores Forty in the FinalThe crowd rose as he scored", "LeBron James Scores Forty in the Final"),
    ("NewsMcKinsey Report Says Ferries Lose MoneyThe report came out", "McKinsey Report Says Ferries Lose Money"),
])
def test_a_name_s_particle_glued_to_the_name_is_no_menu_label(line: str, headline: str) -> None:
    # The headline is a piece whole, and no piece lacks the particle ('Santis Signs …').
    pieces = line_pieces(line)
    assert headline in pieces
    assert not any(headline.endswith(piece) and piece != headline for piece in pieces)


def _names(lines: list[str], start: int, end: int, headline: int | None = 0) -> set[str]:
    return {names for names, _ in byline_candidates(lines, start, end, "en", headline)}


@pytest.mark.parametrize(("byline", "names"), [
    ("Jane Marlow, Privacy and Digital Security Expert", "Jane Marlow"),
    ("By Jane Marlow, Senior Data Analyst", "Jane Marlow"),
    ("By Jane Marlow and Tom Reed, Extension horticulture educators", "Jane Marlow and Tom Reed"),
    # Names after a comma are names, not a job title.
    ("Jane Marlow, Tom Reed", "Jane Marlow, Tom Reed"),
])
def test_a_job_title_after_the_names_is_cut_off(byline: str, names: str) -> None:
    lines = ["Council approves the new river bridge", byline, PARAGRAPH, MORE]
    found = _names(lines, 2, 4)
    assert names in found
    assert byline not in found or byline == names


def test_an_author_label_far_below_the_article_offers_its_names() -> None:
    """'Authors: …' in an author box under a long article is a candidate, marked as labelled,
    with the job title that follows the names cut off."""
    body = [PARAGRAPH, MORE] * 15
    lines = ["Council approves the new river bridge", *body,
             "Authors: Jane Marlow and Tom Reed, Extension horticulture educators", "Share this page"]
    at = column(BYLINE_FEATURES, "author_label")
    found = {names: features[at] for names, features in byline_candidates(lines, 1, len(body) + 1, "en", 0)}
    assert found.get("Jane Marlow and Tom Reed") == 1.0


def test_each_date_of_a_dateline_knows_its_own_label_and_its_neighbours() -> None:
    """The label right before a date says which it is, although the line holds both words, and
    of two dates next to each other the earlier is marked as having a later one near it."""
    lines = ["Council approves the new river bridge", "Published May 3, 2024 Updated June 9, 2024", PARAGRAPH]
    rows = dict(date_candidates(lines, 2, 3, "en", 0))
    updated, published = column(DATE_FEATURES, "updated_label_before"), column(DATE_FEATURES, "published_label_before")
    earlier, later = column(DATE_FEATURES, "earlier_date_near"), column(DATE_FEATURES, "later_date_near")
    assert [rows["May 3, 2024"][i] for i in (updated, published, earlier, later)] == [0.0, 1.0, 0.0, 1.0]
    assert [rows["June 9, 2024"][i] for i in (updated, published, earlier, later)] == [1.0, 0.0, 1.0, 0.0]


@pytest.mark.parametrize("dateline", [
    "Updated June 9, 2024 Published May 3, 2024",
    "Published May 3, 2024 Updated June 9, 2024",
    "Last updated: June 9, 2024 | First published: May 3, 2024",
])
def test_the_publication_date_wins_over_the_update_in_either_order(dateline: str) -> None:
    lines = ["Home", "News", "Council approves the new river bridge", dateline, PARAGRAPH, MORE]
    assert find_date(lines, 4, 6, "en", 2) == "2024-05-03"


_PIECES = ("By", "by", "BY", "Written by", "WRITTEN BY", "Von", "par", "Autor:", "Author :", "автор", "Jane",
           "Doe", "Émile", "ÖZ", "and", ",", ":", "  ", "\t", "|", "—", "x", "é", "1", "İ", "ß", "ǅ")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
@example("ByJane Doe")
@example("Posted byJane Doe")
@example("Autor:Jane Doe")
def test_the_cue_hint_passes_every_line_with_a_byline_cue(line: str) -> None:
    # The byline search looks for cues only in lines the quick search passes.
    assert byline._CUE_HINT.search(line) is not None or byline._CUE.search(line) is None


@pytest.mark.parametrize("byline_line", ["By Jane Marlow", "Written by: Jane Marlow", "BY JANE MARLOW"])
def test_a_line_opening_with_a_byline_cue_far_from_the_region_offers_its_names(byline_line: str) -> None:
    """A byline far below where the finder's region starts (after a long lead, or in an author
    box at the end) is a candidate all the same; a sentence that opens with 'By' is not."""
    body = [PARAGRAPH, MORE] * 15
    lines = ["Council approves the new river bridge", *body, byline_line,
             "By building the bridge, the council hopes to ease traffic.", "Share this page"]
    found = _names(lines, 1, len(body) + 1)
    assert {"Jane Marlow", "JANE MARLOW"} & found
    assert not any("building" in names.lower() for names in found)


@pytest.mark.parametrize(("url", "words"), [
    # A section's, listing's or manual page's one-word path is the headline search's slug.
    ("https://x.org/news", {"news"}),
    ("https://x.org/support/searching", {"searching"}),
    ("https://x.org/genre/Action/", {"action"}),
    ("https://x.org/products/functions.html", {"functions"}),
    # A slug of two words or more is the slug's words, as `slug_words` reads them.
    ("https://x.org/news/harbour-ferry-returns", {"harbour", "ferry", "returns"}),
    # Nothing but numbers, no path, no URL: no slug.
    ("https://x.org/p/123456", set()),
    ("https://x.org/", set()),
    (None, set()),
])
def test_the_headline_slug_reads_a_one_word_path(url: str | None, words: set[str]) -> None:
    assert headline_slug(url) == words


def test_text_without_blank_lines_is_read_as_a_crawl_archive_writes_it() -> None:
    # One block a line, the <title> first (a WET record): its first line is the headline search's too.
    assert archive_text(prepare_page(f"Ferry timetables change | Harbour Watch\nHome\nNews\n{PARAGRAPH}\n{MORE}"))
    # A scrape keeps blank lines between blocks; one line alone says nothing.
    assert not archive_text(prepare_page(f"Home\nNews\n\nFerry timetables change\n\n{PARAGRAPH}"))
    assert not archive_text(prepare_page(PARAGRAPH))


ARCHIVE_PAGE = [
    "Ferry timetables change for the summer | Harbour Watch", "Skip to content", "Home", "News", "Sport",
    "Harbour Watch", "Ferry timetables change for the summer", "By Jane Marlow", "March 3, 2024", PARAGRAPH, MORE,
]


def test_an_archive_texts_first_line_points_at_its_headline() -> None:
    # A WET record's text opens with the <title>; the heading that repeats it is the headline.
    start = 9
    assert find_title(ARCHIVE_PAGE, start, "en", archive=True) == (6, "Ferry timetables change for the summer")
    rows = headline_candidates(ARCHIVE_PAGE, start, "en", "https://harbourwatch.example/ferry-timetables", archive=True)
    assert rows[0][0] == 0 and all(len(row) == len(ARCHIVE_SLUG_HEADLINE_FEATURES) for _, _, row in rows)
    for path, names in ((ARCHIVE_HEADLINE_MODEL, ARCHIVE_HEADLINE_FEATURES),
                        (ARCHIVE_SLUG_HEADLINE_MODEL, ARCHIVE_SLUG_HEADLINE_FEATURES)):
        assert tuple(json.loads(path.read_text(encoding="utf-8"))["features"]) == names


@pytest.mark.parametrize("dateline", [
    "Dec. 19, 2025 · Jane Marlow", "Jane Marlow•Oct 20, 2025", "Dec 26, 2025     •  Jane Marlow     in",
])
def test_a_name_beside_the_date_of_a_dateline_is_a_candidate(dateline: str) -> None:
    """A dateline printed as blocks (the date, the name, a category's 'in') offers the block
    beside its date, without the trailing 'in'."""
    lines = ["Council approves the new river bridge", dateline, PARAGRAPH, MORE]
    assert "Jane Marlow" in _names(lines, 2, 4)


@pytest.mark.parametrize(("page", "poster"), [
    (["Thread starter", "jane_marlow42", "Start date", "Dec 30, 2023"], "jane_marlow42"),
    (["Thread starter j.marlow", "Start date Dec 30, 2023"], "j.marlow"),
    (["Discussion in 'Help' started by jane_doe, May 26, 2025."], "jane_doe"),
    # a question's asker, after the card of whoever edited it last
    (["edited Apr 5, 2014 at 10:00", "editor_one", "asked Mar 28, 2014 at 11:38", "jmar", "1,655 gold badge"], "jmar"),
    # the first post's header, its day and number, the poster under it
    (["#1 2025-11-01 15:14:37", "marlow64", "Member", "Registered: 2025-11-01"], "marlow64"),
    # or a given name, as a member may sign up with theirs
    (["#1 2025-11-01 15:14:37", "Rebecca", "Member", "Registered: 2025-11-01"], "Rebecca"),
    # the first post's member card: a status under the name, a count and its value, a presence mark above
    (["marlow64", "Registered User", "Join Date: Nov 2025"], "marlow64"),
    (["j_marlow", "Posts: 12", "Nov 1, 2025"], "j_marlow"),
    (["Offline", "j.marlow", "Nov 1, 2025"], "j.marlow"),
])
def test_a_forum_names_the_member_who_opened_the_thread(page: list[str], poster: str) -> None:
    lines = ["Replacement projector recommendations", *page, PARAGRAPH, "Jane Marlow said:", MORE]
    assert byline.find_authors(lines, len(page) + 1, len(lines), "en", 0) == poster


def test_a_thread_listing_started_by_someone_names_no_poster() -> None:
    """'Started by Admin' in a list of other threads, with no day after it, is not this page's;
    nor is a name after a line that opens with 'asked' but holds no day, nor a listicle's '#1'."""
    lines = ["Replacement projector recommendations", PARAGRAPH, MORE, "Started by Admin", "Started by jane2k",
             "We asked Jane Marlow", "Jane Marlow", "#1", "Canon"]
    assert byline.forum_poster(lines, "en") is None


@pytest.mark.parametrize("sentence", [
    "The fire was started by lightning, on May 3, 2024, officials said.",
    "The firm, started by two brothers, opened on June 1, 2020 in Ohio.",
])
def test_prose_saying_started_by_names_no_poster(sentence: str) -> None:
    """'started by' in a sentence is not a thread's header: its words are no member's name, or
    the day does not follow the comma."""
    lines = ["Council approves the new river bridge", sentence, PARAGRAPH, MORE]
    assert byline.forum_poster(lines, "en") is None


def test_a_listicles_first_entry_names_no_poster() -> None:
    """A listicle's '#1' with a day, a capitalised heading under it: a heading, not a member."""
    lines = ["The ten best projectors of the year", "#1 Released March 3, 2024", "Overview", PARAGRAPH, MORE]
    assert byline.forum_poster(lines, "en") is None


@pytest.mark.parametrize(("lines", "names"), [
    # 'by:' glued to the word before it, the dateline's month cut off the names
    (["Small engines in a Toolboxby: Jane Marlow, Dec 17, 2025We are excited"], "Jane Marlow"),
    # a lower-case 'by' glued on, a dot and the date after the name
    (["#Gardens & Toolsby Jane Marlow· October 10, 2021Our garden"], "Jane Marlow"),
    # a cue ending a glued line, the name opening the next one, glued to a figure
    (["Updated: December 31, 2024Written by:", "Jane Marlow$5,120,300Given to members"], "Jane Marlow"),
])
def test_a_byline_glued_to_its_neighbours_offers_its_names(lines: list[str], names: str) -> None:
    page = ["Council approves the new river bridge", *lines, PARAGRAPH, MORE]
    assert names in _names(page, len(lines) + 1, len(page))


@pytest.mark.parametrize(("lines", "names"), [
    # 'By' glued to a time zone, then a space and the name
    (["Dec 19, 2025 at 04:34 AM ESTBy Jane Marlow", "Senior Trends Reporter"], "Jane Marlow"),
    # a dateline glued after a hyphen: the month is not the name's
    (["ByJane Marlow-June 12, 2025If you own a shop"], "Jane Marlow"),
    # an author's card printing the name twice, a close button between
    (["Jane Marlow×Jane Marlow", "Senior Content Contributor512 Published Articles"], "Jane Marlow"),
    # and after a cue, the avatar's text first
    (["Written by: Jane Marlow Jane Marlow", "Last update on: August 25, 2025"], "Jane Marlow"),
])
def test_a_byline_glued_to_a_dateline_or_its_copy_offers_its_names(lines: list[str], names: str) -> None:
    page = ["Council approves the new river bridge", *lines, PARAGRAPH, MORE]
    assert names in _names(page, len(lines) + 1, len(page))


def test_a_hyphenated_given_name_keeps_its_month_shaped_half() -> None:
    lines = ["Council approves the new river bridge", "By Jean-Marc Dupont", PARAGRAPH]
    assert "Jean-Marc Dupont" in _names(lines, 2, 3)


def test_a_name_alone_above_a_bio_that_opens_with_it_is_a_bio() -> None:
    """An author box printing the name, then 'Jane is a …' under it, marks the name as a bio's."""
    body = [PARAGRAPH, MORE] * 15
    lines = ["Council approves the new river bridge", *body, "Jane Marlow",
             "Jane is a reporter who covers the city council, its budget and its bridges.", "Share this page"]
    at = column(BYLINE_FEATURES, "author_bio")
    found = {names: features[at] for names, features in byline_candidates(lines, 1, len(body) + 1, "en", 0)}
    assert found.get("Jane Marlow") == 1.0


@pytest.mark.parametrize(("heading", "paragraph"), [
    ("Why Choose Us", "Why choose us? We have built bridges over this river for forty years and more."),
    ("The Benefits", "The benefits of a new bridge reach every shop and school on both banks of the river."),
])
def test_a_subheading_above_a_paragraph_that_opens_with_it_is_no_bio(heading: str, paragraph: str) -> None:
    """A subheading's first word opening the paragraph under it is no given name: not a bio's."""
    body = [PARAGRAPH, MORE] * 15
    lines = ["Council approves the new river bridge", *body, heading, paragraph, "Share this page"]
    at = column(BYLINE_FEATURES, "author_bio")
    found = {names: features[at] for names, features in byline_candidates(lines, 1, len(body) + 1, "en", 0)}
    assert found.get(heading, 0.0) == 0.0


def test_names_laid_out_in_columns_are_one_candidate() -> None:
    wide = "Jane Marlow," + " " * 19 + "Tom Reed," + " " * 19 + "Ana Ruiz Gomez &" + " " * 18 + "Li Wei"
    lines = ["Council approves the new river bridge", wide, "Nov 25th, 2025", PARAGRAPH, MORE]
    assert wide in _names(lines, 3, 5)


@pytest.mark.parametrize("card", [
    ["Blog", "Posts"],  # a menu's label with no count after it
    ["Online", "Book Now"],  # a presence mark above words that are no handle
    # the first card decides: a rank the forum gave over the count may hide the name above it
    ["Jane Marlow", "Veteran", "Posts: 2718", PARAGRAPH, "j_marlow", "Posts: 12"],
    # a job title under a person's name: a staff list, a show's presenter (German 'Moderator')
    ["Our team", "Tom Reed", "Administrator", "Ana Ruiz", "Editor"],
    ["Die Sendung", "Tom Reiter", "Moderator", "Jeden Sonntag um acht."],
])
def test_a_card_shaped_menu_names_no_poster(card: list[str]) -> None:
    lines = ["Council approves the new river bridge", *card, PARAGRAPH, MORE]
    assert first_card(lines) is None


def test_comment_cards_under_an_article_do_not_replace_its_byline() -> None:
    """An article's comments wear the same member cards as a forum's posts; the byline wins."""
    lines = ["Council approves the new river bridge", "By Jane Marlow", PARAGRAPH, MORE,
             "tom_r", "Posts: 31", "I drive over that bridge every day."]
    assert byline.find_authors(lines, 2, 4, "en", 0) == "Jane Marlow"
    assert first_card(lines) == "tom_r"


@pytest.mark.parametrize("partner", [
    "March 4, 2025The council voted on Tuesday evening to build eleven kilometres of lanes.",
    "Last Updated: Mar 4, 2025 • 6 min read    Fact checked by: Tom Reed and the whole desk",
])
def test_a_long_line_that_opens_with_the_date_makes_a_byline_block(partner: str) -> None:
    """A name alone over a line that opens with the date (glued to the first sentence, or the
    first of the dateline's blocks) is a byline's block, the name a candidate."""
    lines = ["Council approves the new river bridge", "Jane Marlow", partner, PARAGRAPH, MORE]
    at = column(BYLINE_FEATURES, "byline_block")
    found = {names: features[at] for names, features in byline_candidates(lines, 3, 5, "en", 0)}
    assert found.get("Jane Marlow") == 1.0


def test_a_cue_line_far_below_the_article_gives_the_name_under_it() -> None:
    """An author's box below a long list of references: 'Article written by:' and the name."""
    body = [PARAGRAPH, MORE] * 5
    references = [f"Reference {n}: a study of river bridges and their cost, volume {n}." for n in range(80)]
    lines = ["Council approves the new river bridge", *body, *references, "Article written by:", "Jane Marlow"]
    assert "Jane Marlow" in _names(lines, 1, len(body) + 1)


@pytest.mark.parametrize(("byline_line", "name", "not_name"), [
    # the capitalised stop word opens a breadcrumb, or a sentence after a full stop
    ("Written by Jane You are here: Home / News", "Jane", "Jane You"),
    ("Written by Jane Marlow. This is the third report on the bridge", "Jane Marlow", "Jane Marlow. This"),
    # a surname that the stop lists hold stays: no full stop before it, and longer or a given name
    ("By Jane May updated 3 hours ago", "Jane May", "Jane"),
    ("By Neil Young for the Herald", "Neil Young", "Neil"),
])
def test_a_sentence_after_a_cue_is_not_part_of_the_name(byline_line: str, name: str, not_name: str) -> None:
    lines = ["Council approves the new river bridge", byline_line, PARAGRAPH, MORE]
    names = {names.rstrip(".") for names in _names(lines, 2, 4)}  # (the authors' split drops the stop)
    assert name in names and not_name not in names


def test_a_german_surname_in_the_stop_list_stays_in_the_name() -> None:
    lines = ["Stadtrat beschließt neue Brücke", "Von Anna Lange am 3. März 2025",
             "Der Stadtrat hat am Dienstagabend nach langer Debatte beschlossen, die Brücke zu bauen.",
             "Die Arbeiten beginnen im März, und die Stadt rechnet mit achtzehn Monaten Bauzeit."]
    names = {names for names, _ in byline_candidates(lines, 2, 4, "de", 0)}
    assert "Anna Lange" in names and "Anna" not in names


def test_a_name_under_the_headline_and_over_the_dateline_is_marked_so() -> None:
    """The byline's own place: under the page's copy of the headline, worded a little apart from
    the title, and over a short dateline."""
    lines = ["Council approves bridge | City News", "Council approves the new river bridge", "Jane Marlow",
             "Nov 25, 2025", PARAGRAPH, MORE]
    found = dict(byline_candidates(lines, 4, 6, "en", 0, "Council approves bridge"))
    features = dict(zip(BYLINE_FEATURES, found["Jane Marlow"], strict=True))
    assert features["under_headline"] == 1.0 and features["dateline_below"] == 1.0


@pytest.mark.parametrize("credit", [
    "Reviewed By: Tom Reed", "Fact checked by Tom Reed", "Medically reviewed by Tom Reed"])
def test_a_reviewer_is_no_byline_candidate(credit: str) -> None:
    """The reviewer or fact-checker a page credits is someone else than its writer."""
    lines = ["Council approves the new river bridge", "By Jane Marlow", credit, PARAGRAPH, MORE]
    names = _names(lines, 3, 5)
    assert "Jane Marlow" in names and "Tom Reed" not in names
