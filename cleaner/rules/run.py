"""Running the rules selected for a page over it, in order: which lines each rule reads (the
prefilter's candidates, its ``where`` positions, its ``repeated`` count) and whether it acts
(its ``at_least``/``at_most`` count); what it does is its action's (`cleaner.rules.actions`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cleaner.lang.words import word_count
from cleaner.page import Page
from cleaner.rules.actions import STOPS_AT_FIRST, act, post_footers
from cleaner.rules.model import Rule
from cleaner.rules.rulebook import Selection


def run_rules(page: Page, selection: Selection, *, after_finder: bool = False) -> None:
    """Apply the selected rules that run before the content finder, or (``after_finder``) those
    that run after it on the lines it kept."""
    chosen = selection.chosen(page.doc.language, after_finder)
    if not chosen:
        return
    # The prefilter reads the lines once, as they are before any rule runs.
    candidates = selection.prefilter.candidates([line.text for line in page.lines])
    every = range(len(page.lines))
    mark = len(page.trace)  # the changes this pass makes are the trace's from here on
    for number, rule in chosen:
        if number in selection.prefiltered:
            indexes = candidates.get(number, [])
            if number in selection.loose:
                # The prefilter holds a rule RE2 runs to the lines as they were before the rules
                # ran; a rule on the slow engine reads every line as it is now, so it also gets
                # the lines earlier rules rewrote: read off the trace, not by comparing every line.
                rewritten = {change.line for change in page.trace[mark:] if not change.removes}
                if rewritten:
                    indexes = sorted({*indexes, *rewritten})
            if indexes:
                apply_rule(page, rule, indexes)
        elif every:
            apply_rule(page, rule, every)


def apply_rule(page: Page, rule: Rule, indexes: Sequence[int]) -> None:
    """Run one rule over the lines ``indexes`` of the page."""
    matches: Iterable[tuple[int, Any]] = _matches(page, rule, indexes)
    if rule.at_least is not None or rule.at_most is not None:
        # The rule acts only when enough lines of the page match it, and not too many.
        matches = list(matches)
        count = len(matches)
        if rule.distinct:
            # Different lines, not copies: a forum prints several labels on every post, a
            # guide one heading over and over.
            count = len({" ".join(page.lines[index].text.casefold().split()) for index, _ in matches})
        too_few = rule.at_least is not None and count < rule.at_least
        too_many = rule.at_most is not None and count > rule.at_most
        if too_few or too_many:
            return
    if rule.action == "cut_after" and rule.at_least is None:
        # Several posts on one page, each closed by the marker: cut only after the last, the
        # others go alone. (A rule that asks for several matches, `at_least`, reads them as the
        # parts of one section, a comment thread's headers, and cuts at the first.)
        matches = list(matches)
        if post_footers(page, [index for index, _ in matches]):
            for index, _ in matches[:-1]:
                page.remove(index, rule.id, "drop")
            matches = matches[-1:]
    for index, match in matches:
        if not page.lines[index].alive or not act(page, rule, index, match):
            continue
        if rule.action in STOPS_AT_FIRST and page.trace[-1].action == rule.action:
            return


def _positions(page: Page, rule: Rule) -> set[int] | None:
    """Line indexes allowed by the rule's ``where``; every condition given must hold."""
    if rule.first is None and rule.last is None and rule.below is None:
        return None
    alive = page.live_indexes()
    allowed = set(alive)
    if rule.first is not None:
        allowed &= set(alive[: rule.first])
    if rule.last is not None:
        allowed &= set(alive[-rule.last :])
    if rule.below is not None:
        words = [word_count(page.lines[i].text) for i in alive]
        threshold, seen, below = rule.below * sum(words), 0, set()
        for i, count in zip(alive, words, strict=True):
            if seen >= threshold:
                below.add(i)
            seen += count
        allowed &= below
    return allowed


def _matches(page: Page, rule: Rule, indexes: Sequence[int]) -> Iterator[tuple[int, Any]]:
    """The lines among ``indexes`` that the rule matches where it applies, with the match, read
    lazily: a line that an earlier action removed is not matched."""
    allowed = _positions(page, rule)
    counts: Counter[str] | None = None
    if rule.repeated is not None or rule.repeated_at_most is not None:
        counts = Counter([ln.text for ln in page.lines if ln.alive])
    for index in indexes:
        line = page.lines[index]
        if not line.alive or (allowed is not None and index not in allowed):
            continue
        if counts is not None and not _copies_allowed(rule, counts[line.text]):
            continue
        match = rule.find(line.text)
        if match is not None:
            yield index, match


def _copies_allowed(rule: Rule, copies: int) -> bool:
    """Whether a line printed ``copies`` times on the page is as often as the rule's ``repeated``
    and ``repeated_at_most`` ask."""
    if rule.repeated is not None and copies < rule.repeated:
        return False
    return rule.repeated_at_most is None or copies <= rule.repeated_at_most
