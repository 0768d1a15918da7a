"""How a headline candidate sits among the lines around it, for the headline models
(`cleaner.meta.headline`): whether it stands in a run of short lines (a menu, a table of
contents, a row of tags) or ends such a run, how far the article's first paragraph is below
it, and, for a part of a glued line, whether a date or a byline follows it in the same line
("Title That Says ItJane DoeNovember 15, 2022"), as they follow a headline on their own lines;
whether a paragraph stands just above it (a subheading's place, not a headline's); and whether
a line near the region is also printed inside another (`Near`).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence
from functools import cache

import regex

from cleaner.lang import lexicon
from cleaner.lang.words import word_count
from cleaner.meta.date import has_date

LAYOUT_FEATURES = ("short_lines_around", "lines_to_prose", "date_or_byline_after_in_line", "prose_above")
SHORT_WORDS = 3  # a line of at most this many words is a menu's item, a tag, a label
PROSE_WORDS = 15  # a line of at least this many words is a paragraph
AROUND = 3  # lines on each side weighed for `short_lines_around`
PROSE_REACH = 20  # lines below a candidate searched for a paragraph


@cache
def _byline_after(language: str | None) -> regex.Pattern[str]:
    """A byline cue after a part of a line, glued or spaced ("…Trendsby Jane", "…Trends by
    Jane"): the cue, case aside, then a capital. The cues of the page's language and English
    (sites in other languages print English bylines), of every language when it is unknown."""
    known = lexicon.languages("byline-cues")
    chosen = None if language not in known else sorted({language, "en"} & set(known))
    return regex.compile(rf"(?i:{lexicon.alternation('byline-cues', chosen)})\s+\p{{Lu}}")


class Layout:
    """The layout features of the candidates of one page's lines. Word counts are read once a
    line, and the figures of a line's place once a line: every part of a line shares them."""

    def __init__(self, lines: Sequence[str], dates: re.Pattern[str], language: str | None = None) -> None:
        self.lines = lines
        self.dates = dates
        self.byline_after = _byline_after(language)
        self._words: list[int] = [-1] * len(lines)  # -1: not counted yet
        self._places: dict[int, tuple[float, float, float]] = {}

    def words(self, index: int) -> int:
        """Words of line ``index`` (`word_count`: Chinese and Japanese words too)."""
        found = self._words[index]
        if found < 0:
            found = self._words[index] = word_count(self.lines[index])
        return found

    def place(self, index: int) -> tuple[float, float, float]:
        """The `LAYOUT_FEATURES` of line ``index`` but the in-line one: the share of the lines
        within `AROUND` of it (not itself) that are short, log(1 + lines from it down to the
        next paragraph), `PROSE_REACH` + 1 when none is near, and whether a paragraph stands
        within `AROUND` lines above it."""
        found = self._places.get(index)
        if found is None:
            n, counts = len(self.lines), self._words
            lo, hi = max(0, index - AROUND), min(n, index + PROSE_REACH + 1)
            if -1 in counts[lo:hi]:  # every count the figures read, taken at once
                for j in range(lo, hi):
                    if counts[j] < 0:
                        counts[j] = word_count(self.lines[j])
            near = counts[lo:index] + counts[index + 1:min(n, index + AROUND + 1)]
            around = sum([count <= SHORT_WORDS for count in near]) / len(near) if near else 0.0
            step = PROSE_REACH + 1
            for j in range(index + 1, hi):
                if counts[j] >= PROSE_WORDS:
                    step = j - index
                    break
            above = float(any(count >= PROSE_WORDS for count in counts[lo:index]))
            found = self._places[index] = (around, math.log1p(step), above)
        return found

    def after(self, whole: str, part: str) -> float:
        """The last of the `LAYOUT_FEATURES` for ``part`` of the line ``whole``: whether a date
        or a byline follows it in the line."""
        at = whole.find(part)
        rest = whole[at + len(part):at + len(part) + 120] if at >= 0 else ""
        return float(bool(rest) and (bool(self.byline_after.match(rest.lstrip(" ,|·•–—-")))
                                     or has_date(rest[:40], self.dates)))


class Near:
    """The distinct lines around the region, for telling whether one of them is also printed
    inside another (a breadcrumb, a "Title | Site" line): only a longer line can hold it, so
    they are joined longest first and a line is looked for among those longer than itself."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.distinct = set(lines)
        ordered = sorted(self.distinct, key=len, reverse=True)
        self.text = "\n".join(ordered)
        self.lengths = [-len(line) for line in ordered]  # ascending, for bisect
        self.ends = list(itertools.accumulate(len(line) + 1 for line in ordered))

    def inside(self, line: str) -> bool:
        """Whether ``line`` occurs more than once in the distinct lines joined by newlines."""
        if not line or "\n" in line or line not in self.distinct:
            return "\n".join(self.distinct).count(line) > 1
        # Found once in itself: more is in another line, which is longer.
        longer = bisect.bisect_left(self.lengths, -len(line))
        return longer > 0 and self.text.find(line, 0, self.ends[longer - 1] - 1) >= 0


# A sentence's end, and a lower-case letter glued to a capital (blocks a scraper ran together:
# a menu's 'SearchSubscribeMy Bookmarks' is one line of many words, not a paragraph).
_SENTENCE_END = regex.compile(r"[.!?…][\"'”’»)]?$")
_GLUED = regex.compile(r"\p{Ll}\p{Lu}")


def reads_as_paragraph(line: str) -> bool:
    """Whether ``line`` reads as a paragraph: words enough, a sentence's end, no blocks glued."""
    return (word_count(line) >= PROSE_WORDS and bool(_SENTENCE_END.search(line.rstrip()))
            and len(_GLUED.findall(line)) <= 1)
