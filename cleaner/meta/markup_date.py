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
from cleaner.lazypattern import lazy_re
from cleaner.meta.date import date_pattern
from cleaner.meta.markup_fields import clean_date
from cleaner.meta.markup_sources import LABEL_END, LABEL_REACH, OPENGRAPH, TIME, UPDATED_LABEL

# Markup that comes with the template showing the post: its date is the page's.
CONFIRMING_SOURCES = frozenset({OPENGRAPH, TIME})

# A year; digits glued after it are the next block's ('April 10, 20175 Tips': a date, then a
# list's '5'), as the date pattern reads them.
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d")
_YEAR_FIRST = re.compile(r"\s*\d{4}")
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
    """One source's published date: the source and the value ('YYYY-MM-DD' or with 'THH:MM'),
    and, for a value written in figures that reads either way round ('02-12-2025'), the value
    read the other way."""

    source: str
    value: str
    other_reading: str | None = None


def ranked_dates(found: Sequence[tuple[str, str]], order: Sequence[str],
                 language: str | None) -> tuple[DateCandidate, ...]:
    """The published dates of ``found`` ((source, raw value)): the first usable one of each
    source, in the order of the sources in ``order``."""
    ranked: list[DateCandidate] = []
    for source in order:
        pair = next(((raw, v) for src, raw in found if src == source and (v := clean_date(raw, language))), None)
        if pair:
            raw, value = pair
            # a year-first value reads one way only ('2025-02-12'); '02-12-2025' reads either way
            readings = days_of(raw, language) - {value[:10]} if _YEAR_FIRST.match(raw) is None else set()
            other = readings.pop() + value[10:] if len(readings) == 1 else None
            ranked.append(DateCandidate(source, value, other))
    return tuple(ranked)


def pick_date(candidates: Sequence[DateCandidate], lines: Sequence[str], language: str | None,
              url_day: str | None = None, updated: DateCandidate | None = None) -> tuple[DateCandidate, bool] | None:
    """The markup's published date for the record, and whether it is confirmed.

    The best source's (the first of ``candidates``) when the page shows its day (in ``lines``,
    or as its URL's ``url_day``) or a confirming source states it; but a URL whose day is one
    day off it gives that day, and so does a day before or after it that the page shows with a
    clock time of the same minutes (`shown_local_day`). Else the first other source's date that the page shows, then
    the first from a confirming source (a ``<time>`` in the article beside a JSON-LD date the
    page never shows). Else the best source's, not confirmed. A confirmed best date the page
    does not show still beats another source's that it does: on the WCXB development corpus,
    preferring the shown one lost as many pages as it won (docs/metadata.md)."""
    if not candidates:
        return None
    written = written_dates(lines, language)
    shown = {day for date in written for day in date.days}
    if url_day:
        shown.add(url_day)
    best = candidates[0]
    if best.other_reading:
        # A template's own figures ('<time datetime="02-12-2025">'): the reading the page writes
        # out where it writes the date unmistakably ('December 02, 2025'), and not the other.
        plain = {day for date in written if len(date.days) == 1 for day in date.days}
        if best.other_reading[:10] in plain and best.value[:10] not in plain:
            best = DateCandidate(best.source, best.other_reading)
            candidates = (best, *candidates[1:])
    if local_day := shown_local_day(best.value, written):
        return DateCandidate(best.source, local_day), True
    if _called_updated(best.value[:10], written):
        shown.discard(best.value[:10])
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


# A clock time right after a date: '| 9:05 pm', ', 21:05', 'at 9.05 p.m.', 'um 21:05' (the
# lexicon's `time-connectors`).
_CLOCK = lazy_re(rf"(?i)\W{{0,4}}(?:(?:{lexicon.alternation('time-connectors')})\W{{1,3}})?"
                 r"([01]?\d|2[0-3])[:.]([0-5]\d)(?:\s*([ap])\.?\s*m\b\.?)?")
CLOCK_REACH = 12  # characters after a date its clock time may start within
MAX_ZONE_HOURS = 14  # the farthest a time zone is from UTC


def shown_local_day(value: str, written: Sequence[WrittenDate]) -> str | None:
    """The day the page shows the moment ``value`` ('YYYY-MM-DDTHH:MM') on, where that is the
    day before or after: a date of ``written`` (`written_dates`) with a clock time of the same
    minutes, some whole hours from the markup's ('Feb 14, 2026 | 9:05 pm' beside
    '2026-02-15T03:05'). The markup states the moment in UTC or the server's zone, the page
    prints it in the site's, and the reader's day is the page's. Without a clock time, or with
    other minutes, a neighbouring day is another date (a comment's, a related post's): None;
    and None where the page shows the moment as the markup states it (a thread's replies
    printed hours later may share its minutes)."""
    if len(value) < 16 or not any(date.clock for date in written):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value[:16])
    except ValueError:
        return None
    own = (moment.date().isoformat(), (moment.hour, moment.minute))
    if any(own[0] in date.days and date.clock == own[1] for date in written):
        return None  # the page shows the moment as the markup states it ('asked Feb 4, 2014 at 13:02')
    neighbours = {(moment + datetime.timedelta(days=step)).date().isoformat() for step in (-1, 1)}
    for date in written:
        shown = neighbours & date.days
        if date.clock is None or len(shown) != 1 or date.clock[1] != moment.minute:
            continue
        local = datetime.datetime.fromisoformat(shown.pop()).replace(hour=date.clock[0], minute=moment.minute)
        if abs(local - moment) <= datetime.timedelta(hours=MAX_ZONE_HOURS):
            return local.date().isoformat()
    return None


def _called_updated(day: str, written: Sequence[WrittenDate]) -> bool:
    """Whether the page calls ``day`` its update wherever it shows it, and calls another day
    its publication ('Published Apr 26, 2023 · Updated Aug 21, 2025' beside a markup that
    states Aug 21 as published): then the page does not stand behind the markup's date."""
    labels = {date.label for date in written if day in date.days}
    return labels == {UPDATED} and any(date.label == PUBLISHED and day not in date.days for date in written)


def _one_day_apart(value: str, day: str) -> bool:
    try:
        apart = datetime.date.fromisoformat(value[:10]) - datetime.date.fromisoformat(day)
    except ValueError:
        return False
    return abs(apart.days) == 1


class WrittenDate(NamedTuple):
    """A date written in the page's lines: the days it can be, the clock time (hour 0..23,
    minute) written right after it, if any, and the label right before it: PUBLISHED,
    UPDATED or None."""

    days: set[str]
    clock: tuple[int, int] | None
    label: str | None = None


PUBLISHED = "published"
UPDATED = "updated"
# (the labels of a <time>'s parent, `markup_sources`, read before a date in the page's lines)
_PUBLISHED_LABEL = lazy_re(rf"(?i)\b(?:{lexicon.alternation('published-labels')})\b" + LABEL_END)


def _label(before: str) -> str | None:
    if UPDATED_LABEL.search(before):
        return UPDATED
    return PUBLISHED if _PUBLISHED_LABEL.search(before) else None


def written_dates(lines: Iterable[str], language: str | None) -> list[WrittenDate]:
    """Every date written in ``lines``, in order (`WrittenDate`)."""
    pattern = date_pattern(language)
    found: list[WrittenDate] = []
    for line in lines:
        if _YEAR.search(line) is None:  # most lines: one quick search
            continue
        for match in pattern.finditer(line):
            clock = _CLOCK.match(line, match.end(), match.end() + CLOCK_REACH)
            hours: tuple[int, int] | None = None
            if clock is not None:
                hour = int(clock.group(1))
                if clock.group(3):  # '9:05 pm'
                    hour = hour % 12 + (12 if clock.group(3).lower() == "p" else 0)
                hours = (hour, int(clock.group(2)))
            before = line[max(0, match.start() - LABEL_REACH):match.start()].rstrip()
            found.append(WrittenDate(days_of(match.group(0), language), hours, _label(before)))
    return found


def shown_days(lines: Iterable[str], language: str | None) -> set[str]:
    """Every day ('YYYY-MM-DD') a date written in ``lines`` can be. A date in figures whose day
    and month could be either way round ('02/03/2024') gives both."""
    return {day for date in written_dates(lines, language) for day in date.days}


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
