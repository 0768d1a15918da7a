"""Metadata from text alone, for what the rules did not find: the headline and the date.

Both are looked for around the start of the main region found by the content finder, where
templates print them: the headline a few lines above the first paragraph (after menus, before
the byline), the date in a byline or dateline next to it. Month names come from dateparser's
locale data for the page's language, so the date search works beyond English.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from .fields import parse_date

TITLE_WINDOW = 12  # lines above the main region searched for the headline
DATE_WINDOW = 15  # lines around the region start searched for a date
_LETTER = re.compile(r"[^\W\d_]")
_NOT_HEADLINE_END = tuple(".,:;|/-–—•·")


def _headline_score(line: str, distance: int, repeats: int) -> float | None:
    """How much a line looks like the headline, or None when it cannot be one."""
    words = line.split()
    if not 2 <= len(words) <= 30 or len(line) > 220 or line.endswith(_NOT_HEADLINE_END):
        return None
    if not _LETTER.search(line) or _date_pattern(None).fullmatch(line):
        return None
    capitals = sum(w[:1].isupper() for w in words) / len(words)
    score = 2.0 + min(len(words), 12) * 0.25 + capitals - distance * 0.35
    if repeats > 1:
        score -= 1.0
    return score


def find_title(lines: Sequence[str], start: int) -> int | None:
    """Index of the headline among ``lines`` (all lines of the page), near ``start``."""
    counts = Counter(lines)
    best: tuple[float, int] | None = None
    for index in range(max(0, start - TITLE_WINDOW), min(start + 1, len(lines))):
        distance = start - index
        score = _headline_score(lines[index], distance, counts[lines[index]])
        if score is not None and (best is None or score > best[0]):
            best = (score, index)
    return best[1] if best else None


@cache
def _date_pattern(language: str | None) -> re.Pattern[str]:
    """Dates inside a line: '16 February 2026', 'February 16, 2026', '2026-02-16', '16.02.2026',
    with the month names of English and of the page's language."""
    names = set(_month_names("en"))
    if language and language != "en":
        names |= set(_month_names(language))
    months = "|".join(sorted((re.escape(n) for n in names if len(n) >= 3), key=len, reverse=True))
    day = r"\d{1,2}(?:st|nd|rd|th)?\.?"
    return re.compile(
        rf"(?<!\w)(?:{day}\s*(?:de\s+)?(?:{months})\.?,?\s*(?:de\s+)?\d{{4}}"
        rf"|(?:{months})\.?\s+{day},?\s*\d{{4}}"
        r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})(?!\d)",
        re.IGNORECASE,
    )


def _month_names(language: str) -> list[str]:
    try:
        from dateparser.languages import default_loader

        info = default_loader.get_locale(language).info
    except (ValueError, KeyError, ImportError):
        return []
    months = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
    return [str(name) for month in months for name in info.get(month, [])]


def find_date(lines: Sequence[str], start: int, language: str | None) -> str | None:
    """The first parseable date in the lines around ``start``, nearest lines first."""
    pattern = _date_pattern(language)
    lo, hi = max(0, start - DATE_WINDOW), min(len(lines), start + 3)
    order = sorted(range(lo, hi), key=lambda i: (abs(i - start + 1), i))
    for index in order:
        for match in pattern.finditer(lines[index]):
            found = parse_date(match.group(0), language)
            if found:
                return found[:10]
    return None
