"""What became of each line of a cleaned page, read from its trace (`cleaner explain`).

Every removal and rewrite went through `Page.remove` / `Page.rewrite`, so the trace names, for
each line, the rule (its full id) or the step (the content finder with the line's score, the
headline's copies, the settling pass) that took it, changed it or moved it into the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cleaner.document import EXTRACT_FIELDS
from cleaner.page import FINDER, HEADLINE, RULES, SETTLE, Change, Page
from cleaner.rules.model import FIELD_ALIASES, Rule
from cleaner.rules.rulebook import Rulebook

KEPT = "kept"  # in the text as read
DROPPED = "dropped"  # out of the text
REWRITTEN = "rewritten"  # in the text, changed (a `replace` rule)
EXTRACTED = "extracted"  # moved into the record, whole (out of the text) or in part


@dataclass(frozen=True)
class Fate:
    """One input line and what became of it."""

    line: int  # 1-based, in the page's lines
    text: str  # as read
    fate: str  # KEPT, DROPPED, REWRITTEN or EXTRACTED
    result: str | None  # the line's text in the output; None when it left the text
    change: Change | None  # the change that decided (the removal, else the last rewrite)
    fields: tuple[str, ...] = ()  # record fields the line gave (EXTRACTED)

    @property
    def by(self) -> str | None:
        return self.change.by if self.change else None

    def reason(self) -> str:
        """The rule or the step, in words: ``generic/date-line``, ``finder/outside (score
        -1.32)``, ``finder/title (a copy of the headline)``, ``… (settling pass)``."""
        change = self.change
        if change is None:
            return ""
        said = change.by
        if change.stage == FINDER and change.score is not None:
            said += f" (score {change.score:.2f})"
        elif change.stage == HEADLINE:
            said += " (a copy of the headline)"
        elif change.stage == SETTLE:
            said += " (settling pass" + (f", score {change.score:.2f}" if change.score is not None else "") + ")"
        if self.fields:
            said += " -> " + ", ".join(self.fields)
        return said

    def record(self) -> dict[str, Any]:
        """The fate as JSON: one object per line (``cleaner explain --json``)."""
        change = self.change
        return {"line": self.line, "fate": self.fate, "by": self.by,
                "stage": change.stage if change else None,
                "action": change.action if change else None,
                "score": change.score if change else None,
                "fields": list(self.fields), "text": self.text, "result": self.result}


def fates(page: Page, rulebook: Rulebook | None = None) -> list[Fate]:
    """Each line of ``page`` (after cleaning) with its fate. ``rulebook`` names the fields a
    rule that took part of a line out of it gave (the trace says only that it did)."""
    rules = {rule.id: rule for rule in rulebook.rules} if rulebook is not None else {}
    changes: dict[int, list[Change]] = {}
    for change in page.trace:
        changes.setdefault(change.line, []).append(change)
    out = []
    for i, line in enumerate(page.lines):
        mine = changes.get(i, [])
        original = mine[0].before if mine else line.text
        removal = next((c for c in mine if c.removes), None)
        decided = removal or (mine[-1] if mine else None)
        given: tuple[str, ...] = ()
        if decided is None:
            fate = KEPT
        elif decided.action.startswith("extract") and decided.stage in (RULES, SETTLE):
            fate = EXTRACTED
            taken = page.taken.get(i)
            given = tuple(sorted(taken)) if taken else _fields_of(rules.get(decided.by))
        else:
            fate = DROPPED if removal else REWRITTEN
        out.append(Fate(i + 1, original, fate, line.text if line.alive else None, decided, given))
    return out


def _fields_of(rule: Rule | None) -> tuple[str, ...]:
    """The fields an extract rule fills: its regex groups named after fields, else `field`."""
    if rule is None:
        return ()
    names: set[str] = set()
    if rule.extracts and rule.patterns:
        for group in rule.patterns[0].group_names:
            target = FIELD_ALIASES.get(group, group)
            if target in EXTRACT_FIELDS:
                names.add(target)
    if not names and rule.field:
        names.add(rule.field)
    return tuple(sorted(names))
