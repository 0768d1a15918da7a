"""A rulebook: every rule set of a run, and the choice of the rules that apply to one page."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cleaner.rules.model import PageLines, Rule, RuleSet
from cleaner.rules.patterns import PatternSet


@dataclass
class Selection:
    """The rules that apply to one page, in order, with the automaton that pre-filters them."""

    rules: list[Rule]
    sets: list[RuleSet]
    prefilter: PatternSet
    prefiltered: frozenset[int]  # indexes of rules whose first pattern is in the prefilter
    # Of those, the rules whose first pattern needs the slow engine: the prefilter has a looser
    # copy of it, which only rules lines out.
    loose: frozenset[int] = frozenset()
    # (language, after_finder) -> `chosen`'s answer: asked at every pass of every page
    _chosen: dict[tuple[str | None, bool], tuple[tuple[int, Rule], ...]] = field(
        default_factory=dict, repr=False, compare=False)

    @property
    def site(self) -> str | None:
        return next((s.site or s.name for s in self.sets if not s.generic), None)

    def chosen(self, language: str | None, after_finder: bool) -> tuple[tuple[int, Rule], ...]:
        """The rules (with their places in `rules`) that run on a page in ``language``, before
        the content finder or (``after_finder``) after it, in order. (A tuple: the answer is
        kept and handed to every page after, so no caller may change it.)"""
        key = (language, after_finder)
        found = self._chosen.get(key)
        if found is None:
            found = self._chosen[key] = tuple((number, rule) for number, rule in enumerate(self.rules)
                                              if rule.after_finder == after_finder and rule.applies_to(language))
        return found


class Rulebook:
    """Every rule set of a run. ``select`` picks what applies to one page: site sets whose
    ``applies_to`` matches (in load order), then the generic sets; minus disabled rule ids."""

    def __init__(self, sets: list[RuleSet], *, disabled: Sequence[str] = (),
                 site_rules: bool = True) -> None:
        self.sets = sets
        self.disabled = list(disabled)
        self.site_rules = site_rules
        self._cache: dict[tuple[str, ...], Selection] = {}

    def __getstate__(self) -> dict[str, Any]:
        # Selections are made again on demand: a pickled rulebook (a worker's copy, the cache of
        # compiled rules) carries only what was loaded.
        state = self.__dict__.copy()
        state["_cache"] = {}
        return state

    @property
    def rules(self) -> list[Rule]:
        return [rule for s in self.sets for rule in s.rules]

    def select(self, lines: Iterable[str], url: str | None = None) -> Selection:
        host = urlsplit(url).hostname if url else None
        page = PageLines(lines)
        chosen = [s for s in self.sets
                  if not s.generic and self.site_rules and s.applies(host, page)]
        chosen += [s for s in self.sets if s.generic]
        key = tuple(s.name for s in chosen)
        if key not in self._cache:
            disabled = self.disabled + [d for s in chosen for d in s.disable]
            rules = [r for s in chosen for r in s.rules
                     if not any(fnmatch.fnmatchcase(r.id, d) for d in disabled)]
            fast = [(i, r.patterns[0]) for i, r in enumerate(rules)
                    if r.patterns and r.patterns[0].prefilter_source is not None]
            self._cache[key] = Selection(rules, chosen, PatternSet(fast), frozenset(i for i, _ in fast),
                                         frozenset(i for i, pattern in fast if not pattern.linear))
        return self._cache[key]
