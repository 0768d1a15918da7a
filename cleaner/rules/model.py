"""What a rule file compiles to: `Rule` (one rule, its patterns and conditions), `RuleSet` (one
file's rules and where they apply) and `Shape` (a rule's line-shape tests). Plain data, so a
compiled rulebook pickles (for the cache of compiled rules and for worker processes)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as default
from functools import cached_property
from typing import Any

from cleaner.document import EXTRACT_FIELDS
from cleaner.lang.words import CLOSING_PUNCTUATION, word_count
from cleaner.rules.markup import HtmlPart
from cleaner.rules.patterns import Pattern

# Group names that are natural in a regex but name a list field in the singular.
FIELD_ALIASES = {"credit": "credits", "author": "authors"}
_TERMINAL = CLOSING_PUNCTUATION


@dataclass(frozen=True)
class Shape:
    """Cheap line-shape tests (word and character counts, closing punctuation)."""

    min_words: int | None = None
    max_words: int | None = None
    min_chars: int | None = None
    max_chars: int | None = None
    ends_with_punctuation: bool | None = None

    def holds(self, text: str) -> bool:
        words = word_count(text)
        if self.min_words is not None and words < self.min_words:
            return False
        if self.max_words is not None and words > self.max_words:
            return False
        if self.min_chars is not None and len(text) < self.min_chars:
            return False
        if self.max_chars is not None and len(text) > self.max_chars:
            return False
        if self.ends_with_punctuation is not None:
            return text.endswith(_TERMINAL) == self.ends_with_punctuation
        return True


@dataclass
class Rule:
    """One compiled rule. ``id`` is the full id, ``set/rule``."""

    id: str
    why: str
    action: str
    location: str
    patterns: list[Pattern] = default(default_factory=list)  # all must match; the first yields groups
    extracts: bool = False  # the first pattern is a user regex whose groups carry values
    shape: Shape | None = None
    repeated: int | None = None
    repeated_at_most: int | None = None  # the line occurs no more than this many times
    at_least: int | None = None  # acts only when this many lines on the page match
    at_most: int | None = None  # acts only when no more than this many lines on the page match
    distinct: bool = False  # at_least/at_most count different lines, not copies
    first: int | None = None
    last: int | None = None
    below: float | None = None
    after_finder: bool = False  # runs on what the content finder kept, after it
    languages: tuple[str, ...] | None = None  # runs only on pages in one of these languages
    and_next: int = 0
    field: str | None = None
    replacement: str | None = None
    examples: dict[str, Any] = default(default_factory=dict)

    def find(self, text: str) -> Any | None:
        """The match object of the first pattern if every condition holds on ``text`` (position and
        repetition are the page's business, not the line's)."""
        if self.shape is not None and not self.shape.holds(text):
            return None
        found: Any = True
        for i, pattern in enumerate(self.patterns):
            match = pattern.search(text)
            if match is None:
                return None
            if i == 0:
                found = match
        return found

    def values(self, match: Any, text: str) -> dict[str, str]:
        """Field values an extract rule takes from one match: groups named after fields go to
        those fields; otherwise ``field`` takes the first group, or the whole line."""
        out: dict[str, str] = {}
        if self.extracts and match is not True:
            for name, value in match.groupdict().items():
                target = FIELD_ALIASES.get(name, name)
                if value and target in EXTRACT_FIELDS:
                    out[target] = value
            if self.field and self.field not in out and self.patterns[0].groups:
                first = match.group(1)
                if first:
                    out[self.field] = first
        if self.field and not out and not (self.extracts and self.patterns[0].groups):
            out[self.field] = text
        return out

    def applies_to(self, language: str | None) -> bool:
        """Whether the rule runs on a page in ``language`` (a page whose language is unknown
        runs only the rules that name none)."""
        return self.languages is None or language in self.languages

    @property
    def line_scoped(self) -> bool:
        """Extract rules without groups take (and remove) the whole line, not just the match."""
        return not (self.extracts and self.patterns and self.patterns[0].groups)


@dataclass
class RuleSet:
    name: str
    path: str
    description: str = ""
    site: str | None = None
    hosts: list[str] = default(default_factory=list)
    contains: list[str] = default(default_factory=list)
    matches: list[Pattern] = default(default_factory=list)
    disable: list[str] = default(default_factory=list)
    disable_lines: list[int | None] = default(default_factory=list)
    rules: list[Rule] = default(default_factory=list)
    html: HtmlPart | None = None  # the ``html:`` part: selectors for HTML input

    @property
    def generic(self) -> bool:
        return not (self.hosts or self.contains or self.matches)

    def applies(self, host: str | None, page: PageLines) -> bool:
        """Hosts decide when the URL is known; otherwise a line the page must contain, or a
        ``matches`` regex (run once over the whole text, line by line via multi-line mode)."""
        if self.generic:
            return True
        if host and self.hosts:
            return any(fnmatch.fnmatchcase(host, glob) or host == glob.removeprefix("*.")
                       for glob in self.hosts)
        if self.contains and any(needle in page.present for needle in self.contains):
            return True
        return bool(self.matches) and any(p.search(page.text) for p in self.matches)


class PageLines:
    """A page's lines as the sets' ``contains`` and ``matches`` read them: its non-blank lines
    as a set, and as one text a line each. Made on first use: a page whose URL's host decides
    every site set (or a run without site sets) never needs them, and the page is selected for
    again at every settling round."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = lines

    @cached_property
    def _ordered(self) -> list[str]:
        return [line for line in self._lines if line]

    @cached_property
    def present(self) -> frozenset[str]:
        return frozenset(self._ordered)

    @cached_property
    def text(self) -> str:
        return "\n".join(self._ordered)
