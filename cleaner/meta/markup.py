"""Metadata an HTML page states in its markup: JSON-LD, OpenGraph and other meta tags,
microdata, ``<time>``, bylines marked as such, ``<title>`` and ``<h1>``.

`markup_sources.markup_candidates` collects every value each source offers (one CSS query over
the parsed page; nothing is normalised there), `choose` takes, field by field, the first source in
`PRIORITY` with a usable value, and `markup_metadata` does both. The order was chosen by
measurement on the WCXB development corpus (``python bench/markup_meta.py``, docs/metadata.md): each
source's exact-match rate alone, then the orders between them. `fill_record` puts what was found
into a `Document` where its fields are still empty, each with its source in ``doc.sources``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from cleaner.document import Document
from cleaner.meta.date import url_date
from cleaner.meta.markup_date import DateCandidate, pick_date, ranked_dates
from cleaner.meta.markup_fields import author_names, clean_date, is_site_name, language_code, site_names, strip_site
from cleaner.meta.markup_sources import (
    BYLINE,
    H1,
    HTML_LANG,
    JSON_LD,
    LINK,
    META,
    MICRODATA,
    OPENGRAPH,
    TIME,
    TITLE_TAG,
    TWITTER,
    Candidates,
    markup_candidates,
)
from cleaner.meta.markup_title import pick_title

# Field -> sources, best first (see the module docstring for how the order was chosen).
PRIORITY: dict[str, tuple[str, ...]] = {
    "title": (JSON_LD, OPENGRAPH, META, TWITTER, MICRODATA, TITLE_TAG, H1),
    "authors": (JSON_LD, MICRODATA, TWITTER, META, OPENGRAPH, BYLINE),
    "date": (JSON_LD, OPENGRAPH, META, MICRODATA, TIME),
    "updated": (JSON_LD, OPENGRAPH, META, MICRODATA, TIME),
    "description": (JSON_LD, OPENGRAPH, META, TWITTER, MICRODATA),
    "site": (OPENGRAPH, JSON_LD, META),
    "image": (OPENGRAPH, TWITTER, JSON_LD, MICRODATA),
    "canonical": (LINK, OPENGRAPH, JSON_LD),
    "language": (HTML_LANG, META, JSON_LD),
}

MAX_PAGE_AUTHORS = 3  # more microdata authors than this: a page of posts or comments
HEADING_SHARE = 0.5  # share of an h1's words in the metadata's title that makes it the title


@dataclass(frozen=True)
class MarkupMeta:
    """What the markup says, one value per field, and the source each value came from."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM', published
    updated: str | None = None  # same, last modified
    description: str | None = None
    site: str | None = None
    image: str | None = None  # the lead image's URL, as written (absolute or relative)
    canonical: str | None = None
    language: str | None = None  # primary language subtag, 'en' of 'en-US'
    sources: Mapping[str, str] = field(default_factory=dict)  # field -> one of the source names
    # Every source whose published date falls on the day of ``date`` (`markup_date.confirmed`).
    date_sources: frozenset[str] = frozenset()
    # Each source's published date, best source first (`markup_date.ranked_dates`): the page's
    # lines choose among them (`fill_record`).
    date_candidates: tuple[DateCandidate, ...] = ()


def markup_metadata(tree: LexborHTMLParser, url: str | None) -> MarkupMeta:
    """The metadata of a parsed HTML page, each field from its best source (`PRIORITY`)."""
    return choose(markup_candidates(tree), url)


def choose(found: Candidates, url: str | None,
           priority: Mapping[str, Sequence[str]] = PRIORITY, *, ranked_title: bool = True) -> MarkupMeta:
    """Field by field, the first source in ``priority`` with a usable value; the title by the
    title model (`markup_title.pick_title`) among the sources ``priority`` names, or, not
    ``ranked_title``, by the rule of `_pick_title`."""
    language = next((code for _, raw in found.get("language", ()) if (code := language_code(raw))), None)
    sites = site_names(found, url)
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    for name, order in priority.items():
        picked: tuple[str, object] | None
        if name == "title" and ranked_title:
            picked = pick_title({"title": [c for c in found.get("title", []) if c[0] in order],
                                 "kind": found.get("kind", []),
                                 "item": found.get("item", [])}, sites, url)
        else:
            picked = _pick(name, found.get(name, []), order, url, language, sites, found)
        if picked is not None:
            sources[name], values[name] = picked
    day = str(values.get("date") or "")[:10]
    agreeing = frozenset(src for src, raw in found.get("date", [])
                         if day and (clean_date(raw, language) or "")[:10] == day)
    candidates = ranked_dates(found.get("date", []), priority.get("date", ()), language)
    return MarkupMeta(**values, sources=sources, date_sources=agreeing,  # type: ignore[arg-type]
                      date_candidates=candidates)


def _pick(name: str, candidates: list[tuple[str, str]], order: Sequence[str], url: str | None,
          language: str | None, sites: list[str], found: Candidates) -> tuple[str, object] | None:
    if name == "title":
        return _pick_title(candidates, order, sites, found)
    if name == "authors":
        return _pick_authors(candidates, order, sites)
    for source in order:
        values = [raw for src, raw in candidates if src == source]
        for raw in values:
            value = _value(name, raw, language)
            if value:
                return source, value
    return None


def _pick_authors(candidates: list[tuple[str, str]], order: Sequence[str],
                  sites: list[str]) -> tuple[str, object] | None:
    """The first source's names, but a person's name from a later source over an organisation's
    (the site's, the publisher's) as the first source's only author."""
    fallback: tuple[str, object] | None = None
    for source in order:
        values = list(dict.fromkeys(raw for src, raw in candidates if src == source))
        if source == MICRODATA and len(values) > MAX_PAGE_AUTHORS:
            values = values[:1]  # a forum thread's posters: the first post's is the thread's author
        authors = author_names(values, sites, free_text=source == BYLINE, accounts=source in (MICRODATA, BYLINE))
        if not authors:
            continue
        if not all(is_site_name(author, sites) for author in authors):
            return source, authors
        fallback = fallback or (source, authors)
    return fallback


def _value(name: str, raw: str, language: str | None) -> str | None:
    if name in ("date", "updated"):
        return clean_date(raw, language)
    if name == "language":
        return language_code(raw)
    return " ".join(raw.split()) or None


def _pick_title(candidates: list[tuple[str, str]], order: Sequence[str], sites: list[str],
                found: Candidates) -> tuple[str, object] | None:
    """The title: the headline the page shows (its h1) when the metadata agrees with it or it is
    the page's only one; else the first candidate by ``order``, without the site's name."""
    stripped = [(src, strip_site(raw, sites, _others(candidates, raw)))
                for src, raw in candidates if src in order]
    stripped = [(src, text) for src, text in stripped if text and not is_site_name(text, sites, loose=False)]
    if not stripped:
        return None
    stripped.sort(key=lambda pair: order.index(pair[0]))
    headings = [text for src, text in stripped if src == H1]
    if not headings:
        return stripped[0]
    others = {_fold(text) for src, text in stripped if src != H1}
    agreed = next((text for text in headings if _fold(text) in others), None)
    if agreed is not None:
        return H1, agreed
    meta = next(((src, text) for src, text in stripped if src != H1), None)
    if meta is None:
        return H1, headings[0]
    # The h1 that shares most words with the metadata's title, if it shares at least half of its
    # own (the shown headline, worded apart from its SEO title: 'Top 10 Health Trends to Watch' and
    # 'Health Trends For 2026'); on an article, also a lone h1 that says more than the metadata
    # (not a section label such as 'Reviews' beside 'Reviews of our classes'). Else the h1 is a
    # slogan or a logo and the metadata has the title.
    words = set(_fold(meta[1]).split())
    shared = [(len(set(_fold(h).split()) & words) / max(1, len(set(_fold(h).split()))), h) for h in headings]
    best_share, best = max(shared, key=lambda pair: pair[0])
    if best_share >= HEADING_SHARE:
        return H1, best
    if found.get("kind") and len(set(headings)) == 1 and not set(_fold(headings[0]).split()) <= words:
        return H1, headings[0]
    return meta


def _others(candidates: Iterable[tuple[str, str]], raw: str) -> list[str]:
    return [other for _, other in candidates if other != raw]


_NON_WORD = re.compile(r"\W+")


def _fold(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def fill_record(doc: Document, meta: MarkupMeta, lines: Sequence[str] | None = None) -> tuple[str, str] | None:
    """Set the record's fields the markup gives where they are still empty; their sources go in
    ``doc.sources``. Called before the text stages, so rules and models fill only what is left.

    Given the page's ``lines``, the published date is the one of the markup's that the page
    confirms (`markup_date.pick_date`: one it shows, or one a confirming source states); when it
    confirms none, the best (or the markup's updated date, when the page shows that one) is left
    out of the record and returned, with its source, for the caller to use when the text shows no
    date of its own."""
    withheld: tuple[str, str] | None = None
    date: tuple[str, str] | None = (meta.date, meta.sources["date"]) if meta.date else None
    if lines is not None and meta.date and doc.date is None:
        candidates = meta.date_candidates or tuple(
            DateCandidate(source, meta.date)
            for source in dict.fromkeys((meta.sources["date"], *sorted(meta.date_sources))))
        updated = DateCandidate(meta.sources["updated"], meta.updated) if meta.updated else None
        picked = pick_date(candidates, lines, doc.language or meta.language, url_date(doc.url), updated)
        if picked is not None:
            candidate, confirmed = picked
            date = (candidate.value, candidate.source)
            if not confirmed:
                withheld, date = date, None
    for name in ("title", "date", "updated", "description", "site", "image", "canonical"):
        value, source = date if name == "date" and date else (getattr(meta, name), meta.sources.get(name))
        if name == "date" and date is None:
            continue
        if value and getattr(doc, name) is None:
            setattr(doc, name, value)
            doc.sources[name] = source or ""
    if meta.authors and not doc.authors:
        doc.authors = list(meta.authors)
        doc.sources["authors"] = meta.sources["authors"]
    return withheld
