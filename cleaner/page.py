"""The page model: what every reader makes of its input, and what every stage reads and changes.

A page is a list of lines (a line is one block of the page, or one piece of a block a scraper
glued together) and the record being filled. Stages never flip a line's state themselves: every
removal and every rewrite goes through `Page.remove` or `Page.rewrite`, which count it in the
record's ``removed`` and append a `Change` to the page's trace, so the trace says what happened
to every line and why (what ``cleaner explain`` shows).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cleaner.document import Document

# The stages a change can come from, as the trace names them.
RULES = "rules"  # a rule of a rule set (``by`` is its full id)
FINDER = "finder"  # the content finder (``by`` is ``finder/outside``; ``score`` is the line's)
HEADLINE = "headline"  # the headline's copies, printed again by the template (``finder/title``)
SETTLE = "settle"  # the settling pass: what cleaning the output again still changes


@dataclass(slots=True)  # a page has hundreds: slots make them quicker to make and to read
class Line:
    text: str
    block: int  # lines of one block sit between blank lines in the scrape
    alive: bool = True
    # What the reader knows of the line's block beyond its text (an HTML reader: tag, depth, link
    # density, class and id tokens); None for plain text.
    attrs: Mapping[str, object] | None = None


class Change(NamedTuple):
    """One thing a stage did to one line. (A named tuple, not a frozen dataclass: the finder
    removes hundreds of lines a page, and a frozen dataclass is three times slower to make.)"""

    line: int  # index into `Page.lines`
    by: str  # rule id (``generic/date-line``) or step (``finder/outside``, ``finder/title``)
    action: str  # drop, drop_block, cut_after, cut_before, extract, extract-part, rewrite
    stage: str  # RULES, FINDER, HEADLINE or SETTLE
    before: str  # the line's text before the change
    removes: bool  # the line left the text (else only its text changed)
    score: float | None = None  # the finder's score of the line, where the finder decided


@dataclass
class Page:
    """A page while its stages run: the lines, the record being filled, and what changed."""

    lines: list[Line]
    doc: Document
    trace: list[Change] = field(default_factory=list)
    taken: dict[int, frozenset[str]] = field(default_factory=dict)  # line -> fields it gave, gone whole
    # The parsed HTML the lines were read from (a selectolax tree), for the rules that select on
    # it (`cleaner.rules.markup`); None for text.
    tree: Any = None
    # A published date the markup gives but does not confirm (`cleaner.meta.markup_date`), with
    # its source: the record's date when the page's text shows none of its own.
    markup_date: tuple[str, str] | None = None

    def live(self) -> Iterator[tuple[int, Line]]:
        return ((i, ln) for i, ln in enumerate(self.lines) if ln.alive)

    def live_indexes(self) -> list[int]:
        """The indexes of the lines still in the text, in order."""
        return [i for i, ln in enumerate(self.lines) if ln.alive]

    def remove(self, index: int, by: str, action: str = "drop", *, stage: str = RULES,
               score: float | None = None) -> bool:
        """Take a line out of the text, counted under ``by``; False when it was already out."""
        line = self.lines[index]
        if not line.alive:
            return False
        line.alive = False
        self.doc.removed[by] += 1
        self.trace.append(Change(index, by, action, stage, line.text, True, score))
        return True

    def rewrite(self, index: int, text: str, by: str, action: str = "rewrite", *,
                stage: str = RULES) -> None:
        """Replace a line's text (a rule that took part of it out). The rule is named in the
        record's ``removed`` with no lines counted: counts are whole lines only."""
        line = self.lines[index]
        self.trace.append(Change(index, by, action, stage, line.text, False))
        line.text = text
        self.doc.removed[by] += 0

    def text(self) -> str:
        return "\n\n".join([ln.text for ln in self.lines if ln.alive])
