"""Metadata from text alone, for what the rules did not find: the headline and the date.

Both are looked for around the start of the main region found by the content finder, where
templates print them: the headline a few lines above the first paragraph (after menus, before
the byline), the date in a byline or dateline next to it. Month names come from dateparser's
locale data for the page's language, so the date search works beyond English.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .fields import parse_date
from .language import stopwords_of

TITLE_ABOVE = 30  # lines above the main region's start searched for the headline
TITLE_BELOW = 5  # and below it (a region can open with a standfirst above the headline)
DATE_WINDOW = 15  # lines around the region start searched for a date
BODY_LINES = 40  # lines of the region whose words a headline is expected to share
# Below this model score no line is taken for the headline: a clean page without one keeps
# `title` empty rather than getting its first sentence. On the development pages it drops 4% of
# the right picks and a fifth of the wrong ones.
MIN_HEADLINE_SCORE = -2.5
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
_SEPARATOR_END = tuple(",;|/-–—•·")
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|от|oleh)\b", re.IGNORECASE)
_MODEL = Path(__file__).parent / "models" / "headline.json"

# What the headline model looks at, in the order of its weights. Each is a generic property of a
# line and its neighbours; none names a site.
HEADLINE_FEATURES = (
    "lines_above_start", "lines_below_start", "is_start", "just_above_start",
    "log_words", "words_2_to_20", "words_under_2", "words_over_25", "capitalised_share",
    "ends_with_period", "ends_with_question_or_exclamation", "has_colon", "ends_with_separator",
    "repeated_on_page", "inside_another_line", "date_in_next_two", "byline_in_next_two",
    "date_in_previous", "has_date", "is_byline", "stopword_share", "digit_share",
    "shares_body_words", "mostly_body_words", "log_chars", "starts_upper",
    "previous_is_short", "next_is_prose",
)


@dataclass(frozen=True)
class HeadlineModel:
    """A linear scorer over `HEADLINE_FEATURES`; `bench/train_headline.py` fits the weights."""

    weights: tuple[float, ...]
    intercept: float

    def score(self, features: Sequence[float]) -> float:
        return self.intercept + sum(w * f for w, f in zip(self.weights, features, strict=True))


@cache
def headline_model() -> HeadlineModel:
    data = json.loads(_MODEL.read_text(encoding="utf-8"))
    names = tuple(data["features"])
    if names != HEADLINE_FEATURES:
        raise RuntimeError(f"{_MODEL}: its features {names} are not the ones the code computes; "
                           "run bench/train_headline.py again")
    return HeadlineModel(tuple(float(w) for w in data["weights"]), float(data["intercept"]))


def headline_candidates(lines: Sequence[str], start: int, language: str | None
                        ) -> list[tuple[int, list[float]]]:
    """(index, features) of every line that may be the headline of a region starting at ``start``."""
    stopwords = stopwords_of(language) or stopwords_of("en")
    dates = _date_pattern(language)
    counts = Counter(lines)
    body = {w for line in lines[start:start + BODY_LINES] for w in _WORD.findall(line.lower())
            if w not in stopwords}
    near = set(lines[max(0, start - 2 * TITLE_ABOVE):start + 2 * TITLE_ABOVE])
    found = []
    for i in range(max(0, start - TITLE_ABOVE), min(len(lines), start + TITLE_BELOW + 1)):
        line = lines[i]
        words = line.split()
        n = len(words)
        tokens = _WORD.findall(line.lower())
        content = [w for w in tokens if w not in stopwords]
        following = lines[i + 1:i + 3]
        previous = lines[i - 1] if i > 0 else ""
        following_text = following[0] if following else ""
        shared = sum(w in body for w in content) / len(content) if content else 0.0
        inside = any(other != line and line in other and len(other) < 4 * len(line) + 40 for other in near)
        found.append((i, [
            math.log1p(max(0, start - i)), math.log1p(max(0, i - start)), float(i == start),
            float(i == start - 1),
            math.log1p(n), float(2 <= n <= 20), float(n < 2), float(n > 25),
            sum(w[:1].isupper() for w in words) / n if n else 0.0,
            float(line.endswith(".")), float(line.endswith(("?", "!"))), float(":" in line),
            float(line.endswith(_SEPARATOR_END)),
            float(counts[line] > 1), float(inside),
            float(any(dates.search(f) for f in following)), float(any(_BYLINE.match(f) for f in following)),
            float(bool(dates.search(previous))), float(bool(dates.search(line))), float(bool(_BYLINE.match(line))),
            sum(w in stopwords for w in tokens) / len(tokens) if tokens else 0.0,
            sum(c.isdigit() for c in line) / len(line) if line else 0.0,
            shared, float(len(content) >= 2 and shared > 0.5),
            math.log1p(len(line)), float(line[:1].isupper()),
            float(len(previous.split()) <= 3), float(len(following_text.split()) >= 15),
        ]))
    return found


def find_title(lines: Sequence[str], start: int, language: str | None = None) -> int | None:
    """Index of the headline among ``lines`` (all lines of the page), near ``start``: the candidate
    the headline model scores highest."""
    model = headline_model()
    best: tuple[float, int] | None = None
    for index, features in headline_candidates(lines, start, language):
        line = lines[index]
        if not _LETTER.search(line) or len(line) > 300:
            continue
        score = model.score(features)
        if score >= MIN_HEADLINE_SCORE and (best is None or score > best[0]):
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
