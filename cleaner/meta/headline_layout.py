"""How a headline candidate sits among the lines around it, for the headline models
(`cleaner.meta.headline`): whether it stands in a run of short lines (a menu, a table of
contents, a row of tags) or ends such a run, how far the article's first paragraph is below
it, and, for a part of a glued line, whether a date or a byline follows it in the same line
("Title That Says ItJane DoeNovember 15, 2022"), as they follow a headline on their own lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from cleaner.lang import lexicon
from cleaner.meta.date import has_date

LAYOUT_FEATURES = ("short_lines_around", "lines_to_prose", "date_or_byline_after_in_line")
SHORT_WORDS = 3  # a line of at most this many words is a menu's item, a tag, a label
PROSE_WORDS = 15  # a line of at least this many words is a paragraph
AROUND = 3  # lines on each side weighed for `short_lines_around`
PROSE_REACH = 20  # lines below a candidate searched for a paragraph
# A byline cue after a part of a line, glued or spaced ("…Trendsby Jane", "…Trends by Jane"):
# the cue then a capitalised word.
_BYLINE_AFTER = re.compile(rf"(?:{lexicon.alternation('byline-cues')})\s+[^\W\d_]", re.IGNORECASE)


class Layout:
    """The layout features of the candidates of one page's lines; word counts are read once."""

    def __init__(self, lines: Sequence[str], dates: re.Pattern[str]) -> None:
        self.lines = lines
        self.dates = dates
        self._words: dict[int, int] = {}
        self._around: dict[int, float] = {}
        self._to_prose: dict[int, float] = {}

    def words(self, index: int) -> int:
        """Words of line ``index``, counted up to `PROSE_WORDS`."""
        found = self._words.get(index)
        if found is None:
            found = self._words[index] = len(self.lines[index].split(None, PROSE_WORDS))
        return found

    def around(self, index: int) -> float:
        """Share of the lines within `AROUND` of ``index`` (not itself) that are short."""
        found = self._around.get(index)
        if found is None:
            near = [j for j in range(index - AROUND, index + AROUND + 1) if j != index and 0 <= j < len(self.lines)]
            found = self._around[index] = (sum(self.words(j) <= SHORT_WORDS for j in near) / len(near)
                                           if near else 0.0)
        return found

    def to_prose(self, index: int) -> float:
        """log(1 + lines from ``index`` down to the next paragraph), `PROSE_REACH` + 1 when none is near."""
        found = self._to_prose.get(index)
        if found is None:
            end = min(len(self.lines), index + PROSE_REACH + 1)
            step = next((j - index for j in range(index + 1, end) if self.words(j) >= PROSE_WORDS), PROSE_REACH + 1)
            found = self._to_prose[index] = math.log1p(step)
        return found

    def features(self, index: int, whole: str, part: str | None) -> list[float]:
        """The `LAYOUT_FEATURES` of line ``index``, or of ``part`` of it (``whole``)."""
        after = 0.0
        if part is not None:
            at = whole.find(part)
            rest = whole[at + len(part):at + len(part) + 120] if at >= 0 else ""
            after = float(bool(rest) and (bool(_BYLINE_AFTER.match(rest.lstrip(" ,|·•–—-")))
                                          or has_date(rest[:40], self.dates)))
        return [self.around(index), self.to_prose(index), after]
