"""Whether the markup's published date stands against the date the page shows
(cleaner.meta.markup_date), and how the pipeline weighs the two."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaner import Rulebook
from cleaner.document import Document
from cleaner.meta.markup import MarkupMeta, fill_record, markup_metadata
from cleaner.meta.markup_date import (
    DateCandidate,
    confirmed,
    days_of,
    pick_date,
    ranked_dates,
    shown_days,
    shown_local_day,
    written_dates,
)
from cleaner.pipeline import clean

PARAGRAPHS = [
    "The council voted on Tuesday evening to build eleven kilometres of protected cycling lanes along "
    "both banks of the river, the largest change to the streets of the city in a generation.",
    "The plan, which passed by nine votes to four, will take three years to complete and cost an "
    "estimated 14 million euros, most of it from a regional transport fund set up last spring.",
    "Supporters said the lanes would make commuting safer for the thousands of residents who already "
    "cycle to work, while opponents warned about the loss of parking spaces in the old town.",
]


@pytest.mark.parametrize(("written", "language", "days"), [
    ("March 5, 2024", "en", {"2024-03-05"}),
    ("Sept. 16, 2025", "en", {"2025-09-16"}),
    ("16 February 2026", "en", {"2026-02-16"}),
    ("3. März 2026", "de", {"2026-03-03"}),
    # the lexicon's months, in the cases pages print them ('grudnia' is December's genitive)
    ("3 grudnia 2024", "pl", {"2024-12-03"}),
    ("12. července 2023", "cs", {"2023-07-12"}),
    ("5 Mart 2025", "tr", {"2025-03-05"}),
    ("2025. március 5.", "hu", {"2025-03-05"}),
    ("2026-02-16", None, {"2026-02-16"}),
    ("02/03/2024", "en", {"2024-02-03", "2024-03-02"}),  # either way round
    ("2026年2月16日", "ja", {"2026-02-16"}),
    ("14/31/2024", "en", set()),  # no month 14 or 31
    ("April 10, 20175", "en", {"2017-04-10"}),  # a list's '5 Tips' glued after the year
])
def test_days_of_a_written_date(written: str, language: str | None, days: set[str]) -> None:
    assert days_of(written, language) == days


def test_shown_days_reads_dates_inside_lines() -> None:
    lines = ["Council votes for cycle lanes", "By Jane Marlow · Updated March 5, 2024", "No date here."]
    assert shown_days(lines, "en") == {"2024-03-05"}


def test_a_date_is_confirmed_by_opengraph_a_time_element_or_the_page_showing_it() -> None:
    assert confirmed("2019-01-01", {"json-ld", "opengraph"}, [], "en")
    assert confirmed("2019-01-01", {"time"}, [], "en")
    assert confirmed("2019-01-01T08:30", {"json-ld"}, ["Published 1 January 2019"], "en")
    assert not confirmed("2019-01-01", {"json-ld", "microdata", "meta"}, ["Published 5 March 2024"], "en")


SHOWN = ["Council votes for cycle lanes", "By Jane Marlow · March 5, 2024"]


def test_pick_date_takes_another_source_the_page_shows_when_the_best_is_unconfirmed() -> None:
    json_ld, time = DateCandidate("json-ld", "2019-01-01"), DateCandidate("time", "2024-03-05T09:00")
    assert pick_date([json_ld, time], SHOWN, "en") == (time, True)
    # a <time> confirms itself even where the page does not show it; nothing else: withheld
    assert pick_date([json_ld, DateCandidate("time", "2023-01-01")], [], "en") == (
        DateCandidate("time", "2023-01-01"), True)
    assert pick_date([json_ld, DateCandidate("microdata", "2023-01-01")], SHOWN, "en") == (json_ld, False)


def test_pick_date_falls_back_on_the_updated_date_the_page_shows() -> None:
    json_ld, updated = DateCandidate("json-ld", "2019-01-01"), DateCandidate("json-ld", "2024-03-05T09:00")
    assert pick_date([json_ld], SHOWN, "en", updated=updated) == (updated, False)
    # the page shows neither: the published date waits, as before
    assert pick_date([json_ld], [], "en", updated=updated) == (json_ld, False)
    # a confirmed published date stays, whatever the page shows
    opengraph = DateCandidate("opengraph", "2019-01-01")
    assert pick_date([opengraph], SHOWN, "en", updated=updated) == (opengraph, True)


def test_pick_date_keeps_a_confirmed_best_source_over_a_shown_other() -> None:
    json_ld = DateCandidate("json-ld", "2019-01-01")
    candidates = [json_ld, DateCandidate("opengraph", "2019-01-01T10:00"), DateCandidate("microdata", "2024-03-05")]
    assert pick_date(candidates, SHOWN, "en") == (json_ld, True)


def test_pick_date_takes_the_urls_day_one_day_off_a_utc_stamp() -> None:
    stamped = DateCandidate("opengraph", "2025-12-19T02:41")
    assert pick_date([stamped], [], "en", url_day="2025-12-18") == (DateCandidate("url", "2025-12-18"), True)
    assert pick_date([stamped], [], "en", url_day="2025-12-10") == (stamped, True)  # another day: the markup's


@pytest.mark.parametrize(("shown", "language", "day"), [
    ("Feb 14, 2026 | 9:05 pm", "en", "2026-02-14"),  # a forum post's local time, 6 hours behind
    ("14.02.2026, 21:05", "de", "2026-02-14"),
    ("Feb 15, 2026 at 9:05 am", "en", None),  # the markup's own day: nothing to move
    ("Feb 14, 2026 | 9:06 pm", "en", None),  # other minutes: another moment
    ("Feb 14, 2026", "en", None),  # no clock time: a neighbouring day is another date
    ("Feb 13, 2026 | 9:05 pm", "en", None),  # two days off: no time zone is that far
    # the page shows the moment itself; a reply the next day merely shares its minutes
    ("asked Feb 15, 2026 at 3:05 · edited Feb 14, 2026 at 21:05", "en", None),
])
def test_shown_local_day_is_the_markups_moment_in_the_sites_zone(shown: str, language: str,
                                                                   day: str | None) -> None:
    assert shown_local_day("2026-02-15T03:05", written_dates(["Posted by jane", shown], language)) == day


def test_pick_date_takes_the_day_the_page_shows_the_markups_moment_on() -> None:
    utc = DateCandidate("json-ld", "2026-02-15T03:05")
    # the page shows the markup's day too (a reply the next morning), yet the post's moment is the 14th
    lines = ["Feb 14, 2026 | 9:05 pm", "Great trip report!", "Feb 15, 2026 | 8:12 am"]
    assert pick_date([utc], lines, "en") == (DateCandidate("json-ld", "2026-02-14"), True)


def test_a_markup_date_in_figures_takes_the_reading_the_page_writes_out() -> None:
    either_way = ranked_dates([("time", "02-12-2025")], ["time"], "en")
    assert either_way == (DateCandidate("time", "2025-02-12", "2025-12-02"),)
    assert pick_date(either_way, ["Dec 2, 2025: what we learned"], "en") == (DateCandidate("time", "2025-12-02"), True)
    # the page writes neither out: the reading of the page's language stays
    assert pick_date(either_way, ["02-12-2025"], "en") == (either_way[0], True)
    # a year-first value reads one way only
    assert ranked_dates([("json-ld", "2025-02-12")], ["json-ld"], "en") == (DateCandidate("json-ld", "2025-02-12"),)


def test_a_markup_date_the_page_calls_its_update_is_not_confirmed_by_showing_it() -> None:
    json_ld = DateCandidate("json-ld", "2025-08-21")
    both = ["Top electrical contractors", "Published Apr 26, 2023", "Updated Aug 21, 2025"]
    assert pick_date([json_ld], both, "en") == (json_ld, False)  # the text's 'Published' date will be taken
    # the page calls it the update but names no other publication day: it stands
    assert pick_date([json_ld], ["Updated Aug 21, 2025"], "en") == (json_ld, True)
    german = ["Veröffentlicht am 26. April 2023", "Aktualisiert am 21. August 2025"]
    assert pick_date([json_ld], german, "de") == (json_ld, False)


def test_fill_record_withholds_an_unconfirmed_date_only_when_given_the_lines() -> None:
    meta = MarkupMeta(title="Cycle lanes", date="2019-01-01", date_sources=frozenset({"json-ld"}),
                      sources={"title": "json-ld", "date": "json-ld"})
    doc = Document()
    assert fill_record(doc, meta, ["Published 5 March 2024"]) == ("2019-01-01", "json-ld")
    assert (doc.title, doc.date) == ("Cycle lanes", None)
    doc = Document()
    assert fill_record(doc, meta) is None  # without the page's lines: as the markup says
    assert doc.date == "2019-01-01"


def page(head: str, dateline: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<html lang='en'><head><title>Cycle lanes</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Council votes for cycle lanes</h1>"
            f"{dateline}{body}</article><footer>Contact us</footer></body></html>").encode()


JSON_LD = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council votes for cycle '
           'lanes", "datePublished": "2019-01-01T09:00:00Z"}</script>')
OPENGRAPH = '<meta property="article:published_time" content="2019-01-01T09:00:00Z">'


def test_the_shown_date_overrules_a_date_only_json_ld_states(rulebook: Rulebook) -> None:
    doc = clean(page(JSON_LD, "<p>March 5, 2024</p>"), rulebook, name="page.html")
    assert doc.date == "2024-03-05"
    assert doc.sources.get("date") != "json-ld"


def test_opengraph_confirms_the_markup_date(rulebook: Rulebook) -> None:
    doc = clean(page(JSON_LD + OPENGRAPH, "<p>March 5, 2024</p>"), rulebook, name="page.html")
    assert (doc.date, doc.sources["date"]) == ("2019-01-01T09:00", "json-ld")


def test_an_unconfirmed_markup_date_is_kept_when_the_page_shows_none(rulebook: Rulebook) -> None:
    doc = clean(page(JSON_LD, ""), rulebook, name="page.html")
    assert (doc.date, doc.sources["date"]) == ("2019-01-01T09:00", "json-ld")


@pytest.mark.parametrize(("name", "field"), [
    ("publish_time", "date"), ("published_at", "date"), ("date-pub", "date"), ("vendor:publishtime", "date"),
    ("updated_at", "updated"), ("last-modified-date", "updated"),
])
def test_meta_names_coined_for_dates_are_read(name: str, field: str) -> None:
    html = f'<html><head><meta name="{name}" content="2024-03-02T08:15:00Z"></head><body></body></html>'
    meta = markup_metadata(LexborHTMLParser(html), None)
    assert (getattr(meta, field), meta.sources[field]) == ("2024-03-02T08:15", "meta")


def test_meta_names_that_only_look_like_dates_give_none() -> None:
    head = '<meta name="auto-publish" content="2024-03-02"><meta name="published" content="true">'
    meta = markup_metadata(LexborHTMLParser(f"<html><head>{head}</head><body></body></html>"), None)
    assert (meta.date, meta.updated) == (None, None)


def test_the_urls_day_beats_a_utc_stamp_one_day_off(rulebook: Rulebook) -> None:
    stamped = '<meta property="article:published_time" content="2025-12-19T02:41:41+00:00">'
    doc = clean(page(stamped, ""), rulebook, name="page.html", url="https://example.org/2025/12/18/council-votes/")
    assert (doc.date, doc.sources["date"]) == ("2025-12-18", "url")


def test_a_time_element_the_page_shows_beats_an_unshown_json_ld_date(rulebook: Rulebook) -> None:
    shown = '<p><time datetime="2024-03-05T09:00:00+01:00">March 5, 2024</time></p>'
    doc = clean(page(JSON_LD.replace('"NewsArticle"', '"WebPage"'), shown), rulebook, name="page.html")
    assert (doc.date, doc.sources["date"]) == ("2024-03-05T09:00", "time")


def test_the_updated_date_the_page_shows_beats_a_published_date_it_never_shows(rulebook: Rulebook) -> None:
    modified = JSON_LD.replace('"datePublished"', '"dateModified": "2024-03-05T10:00:00Z", "datePublished"')
    doc = clean(page(modified, "<p>Last updated: March 5, 2024</p>"), rulebook, name="page.html")
    assert (doc.date, doc.sources["date"]) == ("2024-03-05T10:00", "json-ld")


def test_a_clock_after_a_date_is_read_in_the_page_language() -> None:
    # '14. Februar 2026 um 21:05' beside a UTC moment on the next day: the page's day, as in English
    written = written_dates(["Erstellt am 14. Februar 2026 um 21:05"], "de")
    assert [date.clock for date in written] == [(21, 5)]
    assert shown_local_day("2026-02-15T03:05", written) == "2026-02-14"
