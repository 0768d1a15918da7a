"""Gold words lost to the cuts: what a page's cut rules and settling pass took of its article.

A cut rule (``cut_after``/``cut_before``) removes a whole run of lines at once, and the settling
pass re-runs every stage on the output: both can take the article wholesale where the finder,
line by line, would not. The measure reads the page's removal trace (`cleaner.page.Change`):
the lines each cause removed, and how many of the gold's words they held that the output lacks.

A cause is a cut rule's id (``generic/comment-form``) for the first pass, and ``settle:`` plus
the rule or step the settling pass followed (``settle:finder/outside``) for the settling pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cleaner.bench.metrics import word_tokens
from cleaner.page import RULES, SETTLE, Change

CUT_ACTIONS = frozenset({"cut_after", "cut_before"})
SETTLE_PREFIX = "settle:"
# A page counts as gutted when the cuts and the settling pass together took more than this
# share of its gold words.
GUTTED_SHARE = 0.5


def cut_removals(trace: Iterable[Change]) -> tuple[tuple[str, str], ...]:
    """(cause, text) of every line a cut rule or the settling pass removed, in trace order."""
    removed: list[tuple[str, str]] = []
    for change in trace:
        if not change.removes:
            continue
        if change.stage == SETTLE:
            removed.append((SETTLE_PREFIX + change.by, change.before))
        elif change.stage == RULES and change.action in CUT_ACTIONS:
            removed.append((change.by, change.before))
    return tuple(removed)


@dataclass(frozen=True)
class CutLoss:
    """The share of a page's gold words the cuts and the settling pass took (words the output
    lacks that the removed lines held), in all and by cause."""

    share: float
    by: dict[str, float]

    @property
    def gutted(self) -> bool:
        return self.share > GUTTED_SHARE


NO_LOSS = CutLoss(0.0, {})


def _lost(missing: Counter[str], removed: Iterable[str]) -> int:
    """Gold words the output lacks that the ``removed`` texts held."""
    held: Counter[str] = Counter()
    for text in removed:
        held.update(word_tokens(text))
    return (missing & held).total()


def cut_loss(gold_text: str, output: str, removals: Sequence[tuple[str, str]]) -> CutLoss:
    """What the ``removals`` (`cut_removals`) took of the gold's words, given the ``output``."""
    gold = Counter(word_tokens(gold_text))
    total = gold.total()
    if not total or not removals:
        return NO_LOSS
    missing = gold - Counter(word_tokens(output))
    causes: dict[str, list[str]] = {}
    for cause, text in removals:
        causes.setdefault(cause, []).append(text)
    by = {cause: _lost(missing, texts) / total for cause, texts in causes.items()}
    share = _lost(missing, (text for _, text in removals)) / total
    return CutLoss(round(share, 4), {c: round(s, 4) for c, s in by.items() if s > 0})
