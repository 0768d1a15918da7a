"""Turning extracted strings into record values: ISO dates, author lists, tidy credits.

A value that does not normalise (a "date" dateparser cannot read) means the rule did not really
match, so the line stays in the text: typed fields double as a check on loose regexes.
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from typing import Any

_SPACES = re.compile(r"\s+")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bи\b|\bdan\b)\s*", re.I)
_EDGE_JUNK = " \t-–—|:·•,;()[]"
_HAS_TIME = re.compile(r"\d{1,2}[:.h]\d{2}")
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")


def tidy(value: str) -> str:
    return _SPACES.sub(" ", value).strip(_EDGE_JUNK + ".")


def normalise(field: str, value: str, language: str | None) -> list[str] | str | None:
    """The record value for ``field``, or None when ``value`` is not a valid one."""
    if field == "date":
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


def split_authors(value: str) -> list[str] | None:
    """'Jane Doe and John Roe' -> both; a lone 'Jane Doe, PhD' stays whole."""
    value = tidy(value)
    if not value:
        return None
    parts = [tidy(p) for p in _AUTHOR_SPLIT.split(value)]
    parts = [p for p in parts if p]
    # Split only when every part looks like a name (two words or more), else keep the whole.
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
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


def parse_date(value: str, language: str | None) -> str | None:
    """ISO 8601 date ('2022-03-11') or date and time ('2022-03-11T09:40') of a date string."""
    value = tidy(value)
    if not value or not _HAS_YEAR.search(value) or len(value) > 60:
        return None
    when = None
    # The page's own language first: it decides day/month order in '12.03.2020'.
    # None last: dateparser then guesses the language itself (slow, so only as a last resort).
    for lang in dict.fromkeys([language or "en", "en", None]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = _parser((lang,) if lang else ()).get_date_data(value)
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
