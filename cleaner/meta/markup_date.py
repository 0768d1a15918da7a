"""Whether the markup's published date is one to keep against the date the page's text shows.

The markup's date goes into the record before the text is read, and the text's datelines and date
model only fill what it leaves. That is right when the page's template stands behind the date:
OpenGraph's ``article:published_time`` and a ``<time>`` element come with the template that shows
the post, and a date the page prints somewhere is the reader's date. A date only JSON-LD, microdata
or another meta tag states, and that the page never shows, is often something else: the day the
CMS entry was made, or a schema plugin's default. On the WCXB development corpus, of the pages
where such a date met another one the text shows, the gold sided with the text on 25 of 28
(docs/metadata.md). `confirmed` tells the two apart, and `pick_date` chooses among the sources'
dates by it; the pipeline keeps an unconfirmed date as a fallback, after the page's visible date
(a dateline, the URL's day, the text's date model).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

from cleaner.document import URL_SOURCE
from cleaner.lang import lexicon
from cleaner.meta.date import date_pattern
from cleaner.meta.markup_fields import clean_date
from cleaner.meta.markup_sources import OPENGRAPH, TIME

# Markup that comes with the template showing the post: its date is the page's.
CONFIRMING_SOURCES = frozenset({OPENGRAPH, TIME})

# A year; digits glued after it are the next block's ('April 10, 20175 Tips': a date, then a
# list's '5'), as the date pattern reads them.
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
MIN_PREFIX = 3  # letters of a month's name that name it ('Sept', 'Dez')


def confirmed(day: str, sources: Iterable[str], lines: Sequence[str], language: str | None) -> bool:
    """Whether the markup's published ``day`` ('YYYY-MM-DD…') is the page's: a confirming source
    (`CONFIRMING_SOURCES`) states it, or one of ``lines`` shows it, in any form the date pattern
    reads ('March 2, 2024', '02.03.2024', '2024年3月2日')."""
    if CONFIRMING_SOURCES & set(sources):
        return True
    return day[:10] in shown_days(lines, language)


class DateCandidate(NamedTuple):
    """One source's published date: the source and the value ('YYYY-MM-DD' or with 'THH:MM')."""

    source: str
    value: str


def ranked_dates(found: Sequence[tuple[str, str]], order: Sequence[str],
                 language: str | None) -> tuple[DateCandidate, ...]:
    """The published dates of ``found`` ((source, raw value)): the first usable one of each
    source, in the order of the sources in ``order``."""
    ranked: list[DateCandidate] = []
    for source in order:
        value = next((v for src, raw in found if src == source and (v := clean_date(raw, language))), None)
        if value:
            ranked.append(DateCandidate(source, value))
    return tuple(ranked)


def pick_date(candidates: Sequence[DateCandidate], lines: Sequence[str], language: str | None,
              url_day: str | None = None, updated: DateCandidate | None = None) -> tuple[DateCandidate, bool] | None:
    """The markup's published date for the record, and whether it is confirmed.

    The best source's (the first of ``candidates``) when the page shows its day (in ``lines``,
    or as its URL's ``url_day``) or a confirming source states it; but a URL whose day is one
    day off it gives that day. Else the first other source's date that the page shows, then
    the first from a confirming source (a ``<time>`` in the article beside a JSON-LD date the
    page never shows). Else the best source's, not confirmed. A confirmed best date the page
    does not show still beats another source's that it does: on the WCXB development corpus,
    preferring the shown one lost as many pages as it won (docs/metadata.md)."""
    if not candidates:
        return None
    shown = shown_days(lines, language)
    if url_day:
        shown.add(url_day)
    best = candidates[0]
    if url_day and _one_day_apart(best.value, url_day):
        # The same moment in the site's own zone: a CMS stamps the markup in UTC ('…-19T02:41Z')
        # and the post's address with its local day ('/2025/12/18/').
        return DateCandidate(URL_SOURCE, url_day), True
    confirming = {c.value[:10] for c in candidates if c.source in CONFIRMING_SOURCES}
    if best.value[:10] in shown or best.value[:10] in confirming:
        return best, True
    others = candidates[1:]
    for candidate in (*(c for c in others if c.value[:10] in shown),
                      *(c for c in others if c.source in CONFIRMING_SOURCES)):
        return candidate, True
    if updated is not None and updated.value[:10] in shown:
        return updated, False
    return best, False


def _one_day_apart(value: str, day: str) -> bool:
    try:
        apart = datetime.date.fromisoformat(value[:10]) - datetime.date.fromisoformat(day)
    except ValueError:
        return False
    return abs(apart.days) == 1


def shown_days(lines: Iterable[str], language: str | None) -> set[str]:
    """Every day ('YYYY-MM-DD') a date written in ``lines`` can be. A date in figures whose day
    and month could be either way round ('02/03/2024') gives both."""
    pattern = date_pattern(language)
    days: set[str] = set()
    for line in lines:
        if _YEAR.search(line) is None:  # most lines: one quick search
            continue
        for match in pattern.finditer(line):
            days |= days_of(match.group(0), language)
    return days


def days_of(text: str, language: str | None) -> set[str]:
    """The days ('YYYY-MM-DD') one written date can be: '16 February 2026', 'Feb. 16, 2026',
    '2026-02-16', '16.02.2026' (and 2 December, were the order month first)."""
    year_match = _YEAR.search(text)
    if year_match is None:
        return set()
    year = int(year_match.group(0))
    numbers = [int(m.group(0)) for m in _NUMBER.finditer(text) if m.start() != year_match.start()]
    month = _named_month(text, language)
    pairs: list[tuple[int, int]] = []
    if month is not None:
        pairs = [(month, day) for day in numbers[:1]]
    elif len(numbers) >= 2:
        first, second = numbers[:2]
        pairs = [(first, second), (second, first)]
    return {f"{year:04d}-{m:02d}-{d:02d}" for m, d in pairs if 1 <= m <= 12 and 1 <= d <= 31}


def _named_month(text: str, language: str | None) -> int | None:
    names = _month_numbers(language or "en")
    for word in _WORD.findall(text.lower()):
        for size in range(len(word), MIN_PREFIX - 1, -1):
            number = names.get(word[:size])
            if number is not None:
                return number
    return None


@cache
def _month_numbers(language: str) -> dict[str, int]:
    """Month name or short form (lower case, of English and of ``language`` where the lexicon
    has its months) -> 1..12. English first: where a form names another month in the page's
    language, the English month wins, as the date pattern reads English on every page."""
    known = set(lexicon.languages("months"))
    numbers: dict[str, int] = {}
    for code in dict.fromkeys(("en", language)):
        if code not in known:
            continue
        for number, forms in enumerate(lexicon.groups("months", code), 1):
            for form in forms:
                numbers.setdefault(form, number)
    return numbers
