"""Turning extracted strings into record values: ISO dates, author lists, tidy credits.

A value that does not normalise (a "date" dateparser cannot read) means the rule did not really
match, so the line stays in the text: typed fields double as a check on loose regexes.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from functools import cache, lru_cache
from typing import Any

from cleaner.lang import lexicon
from cleaner.lang.words import HANGUL_CHARS, UNSPACED_CHARS
from cleaner.lazypattern import lazy_re

_SPACES = re.compile(r"\s+")
# The words between two names, in the languages whose bylines the splitting was written for.
_CONJUNCTION_LANGUAGES = ("en", "de", "fr", "es", "ru", "id")
_AUTHOR_SPLIT = re.compile(
    rf"\s*(?:,|;|&|、|，|\b(?:{lexicon.alternation('name-conjunctions', _CONJUNCTION_LANGUAGES)})\b)\s*", re.I)
_UNSPACED_NAME = lazy_re(f"[{UNSPACED_CHARS}{HANGUL_CHARS}·]{{2,6}}")  # '王小明', '김민수'
_EDGE_JUNK = " \t-–—|:·•,;()[]"
_OPENS = {")": "(", "]": "["}  # the bracket each closing one closes
_HAS_TIME = re.compile(r"\d{1,2}[:.h]\d{2}")
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")

# The date shapes most pages print, read without dateparser (which takes milliseconds a call).
# Each gives exactly what dateparser gives for it (checked against it on thousands of generated
# dates); anything else, or a date that does not exist, goes to dateparser.
_MONTHS = {name: number for number, names in enumerate(lexicon.groups("months", "en"), 1) for name in names}
_MONTH = lexicon.alternation("months", "en")
_WEEKDAY = lexicon.alternation("weekdays", "en")
# 'Friday, December 19, 2025', 'Dec. 19th, 2025', '19 December 2025', '31 May, 2023' (English).
_EN_DATE = lazy_re(
    rf"(?:(?:{_WEEKDAY}),? )?"
    rf"(?:(?P<m1>{_MONTH})\.? (?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th)?,? (?P<y1>[0-9]{{4}})"
    rf"|(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)? (?P<m2>{_MONTH})\.?,? (?P<y2>[0-9]{{4}}))",
    re.IGNORECASE)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # in any language
_US_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")  # English: month first, unless > 12
# The year first in figures, which every language reads the same way: '2026/12/03', '2026. 12. 3.',
# '2026年12月3日 14時30分', '2026년 12월 3일 14:30'; a time after it is kept.
_YMD_DATE = lazy_re(r"([0-9]{4})(?:/|\. ?| ?年 ?| ?년 ?)([0-9]{1,2})(?:/|\. ?| ?月 ?| ?월 ?)"
                       r"([0-9]{1,2})(?:\.| ?日| ?일)?(?: ?([0-9]{1,2})(?::|時)([0-9]{2})分?)?")


def tidy(value: str) -> str:
    """``value`` with its spaces squeezed and the punctuation at its edges gone, but for a
    closing bracket that closes one the value opens ('Jane Doe (Content Editor)')."""
    spaced = _SPACES.sub(" ", value)
    text = spaced.strip(_EDGE_JUNK + ".")
    if "(" not in text and "[" not in text:
        return text
    end = len(spaced) - len(spaced.lstrip(_EDGE_JUNK + ".")) + len(text)
    for char in spaced[end:]:
        opening = _OPENS.get(char)
        if opening is None:
            continue
        if text.count(opening) <= text.count(char):
            break
        text += char
    return text


def normalise(field: str, value: str, language: str | None) -> list[str] | str | None:
    """The record value for ``field``, or None when ``value`` is not a valid one."""
    if field in ("date", "updated"):
        return parse_date(value, language)
    if field == "authors":
        return split_authors(value)
    if field == "credits":
        credit = _SPACES.sub(" ", value).strip(" \t-–—|:,;([").rstrip(")]")
        return [credit] if credit else None
    if field in ("title", "description", "site"):
        text = _SPACES.sub(" ", value).strip()
        return text or None
    return value.strip() or None


# A listing's filters ('By Region', 'By Use Case') are shaped as bylines; words of every language.
_FACET_WORDS = frozenset(lexicon.words("facet-words"))


def split_authors(value: str) -> list[str] | None:
    """'Jane Doe and John Roe' -> both; a lone 'Jane Doe, PhD' stays whole. None for a value
    made of a listing's filter words alone ('Region', 'Use Case': `facet-words`)."""
    value = tidy(value)
    if not value or set(value.casefold().split()) <= _FACET_WORDS:
        return None
    parts = [tidy(p) for p in _AUTHOR_SPLIT.split(value)]
    parts = [p for p in parts if p]
    if len(parts) == 1 and all(map(_UNSPACED_NAME.fullmatch, value.split())):
        parts = value.split()  # '王小明 李华': Chinese, Japanese and Korean names hold no space
    # Split only when every part looks like a name (two words or more; a Chinese, Japanese or
    # Korean name is written as one), else keep the whole.
    if len(parts) > 1 and all(len(p.split()) >= 2 or _UNSPACED_NAME.fullmatch(p) for p in parts):
        return parts
    return [value]


@cache
def _parser(languages: tuple[str, ...]) -> Any:
    from dateparser.date import DateDataParser

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        return DateDataParser(languages=list(languages) or None, settings=settings)
    except ValueError:
        return DateDataParser(languages=["en"], settings=settings)


# '14h30', the French and Portuguese way of writing a time, which dateparser does not read.
_HOURS_H = re.compile(r"(?<=\b\d)h(?=\d\d\b)|(?<=\b\d\d)h(?=\d\d\b)")
# The Nordic "o'clock" before a time ("2 december 2026 kl. 10.32"), which dateparser reads in
# some of these languages' locales and not in others.
_CLOCK_WORD = re.compile(r"(?i)\s+(?:kl|klo|kello)\.?\s+(?=\d{1,2}[.:]\d\d\b)")


def parse_date(value: str, language: str | None) -> str | None:
    """ISO 8601 date ('2022-03-11') or date and time ('2022-03-11T09:40') of a date string."""
    value = _HOURS_H.sub(":", _CLOCK_WORD.sub(" ", tidy(value)))
    if not value or not _HAS_YEAR.search(value) or len(value) > 60:
        return None
    return _common_date(value, language or "en") or _written_day(value, _dateparser_date(value, language))


def _written_day(value: str, found: str | None) -> str | None:
    """``found`` if its day of the month is written in ``value`` as a number, else None: a date
    string always says its day, so a date without it is dateparser reading part of the string as
    a time before now ('… 14h30' as fourteen hours ago)."""
    if found is None:
        return None
    day = int(found[8:10])
    return found if re.search(rf"(?<!\d)0?{day}(?!\d)", value) else None


def _common_date(value: str, language: str) -> str | None:
    """The date of ``value`` if it has one of the common shapes (and no time), else None."""
    found: tuple[int, int, int] | None = None
    if match := _ISO_DATE.fullmatch(value):
        found = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _YMD_DATE.fullmatch(value):
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        if not 1800 <= day.year <= 2100 or (match[4] and not (int(match[4]) < 24 and int(match[5]) < 60)):
            return None
        return f"{day.isoformat()}T{int(match[4]):02d}:{match[5]}" if match[4] else day.isoformat()
    elif language != "en":
        return None
    elif match := _EN_DATE.fullmatch(value):
        if match["m1"]:
            found = (int(match["y1"]), _MONTHS[match["m1"].lower()], int(match["d1"]))
        else:
            found = (int(match["y2"]), _MONTHS[match["m2"].lower()], int(match["d2"]))
    elif match := _US_DATE.fullmatch(value):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        found = (year, first, second) if first <= 12 else (year, second, first)
    if found is None or not 1800 <= found[0] <= 2100:
        return None
    try:
        return date(*found).isoformat()
    except ValueError:  # 'February 30': dateparser decides what that is
        return None


FALLBACK_DATE_LANGUAGES = ("de", "fr", "es", "ru", "id", "it", "pt", "nl", "sv")


@lru_cache(maxsize=4096)  # pages repeat their dates (byline, header, related posts)
def _dateparser_date(value: str, language: str | None) -> str | None:
    when = None
    # The page's own language first: it decides day/month order in '12.03.2020'; English second,
    # as templates in every language print English dates; last the languages the built-in rules
    # cover, for a date whose page language was not detected (a short text). Letting dateparser
    # guess among all its languages would load every locale it has, seconds per process.
    for langs in dict.fromkeys([(language or "en",), ("en",), FALLBACK_DATE_LANGUAGES]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = _parser(langs).get_date_data(value)
            except (ValueError, OverflowError, TypeError):
                continue
        when = found.date_obj if found else None
        if when is not None:
            break
    if when is None or not 1800 <= when.year <= 2100:
        return None
    if _HAS_TIME.search(value) and (when.hour or when.minute):
        return str(when.strftime("%Y-%m-%dT%H:%M"))
    return str(when.strftime("%Y-%m-%d"))
