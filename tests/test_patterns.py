"""Rule regexes on two engines (cleaner/rules/patterns.py): RE2 where it can, and an RE2 prefilter
that must let through every line the slow engine would match."""

from __future__ import annotations

import pytest
import re2
import regex

from cleaner.rules.load import load_rulebook
from cleaner.rules.patterns import Pattern, PatternSet, anchored_at_start, to_re2


@pytest.mark.parametrize(("source", "lines"), [
    # A look-behind: the caption's full stop stays outside the match.
    (r"(?:\s|(?<=[.!?]))©\s*(?P<credit>[^\s©.!?\d][^©.!?]{1,60})$", ["Snow in Lille.© Jean Martin"]),
    # A look-ahead inside a group whose case is set apart.
    (r"(?i)^(?:most read)(?:\s*:?$|(?-i:(?=\p{Lu}\p{Ll})))", ["Most readSnow expected", "most read:"]),
    # Back-references, by number and by name.
    (r"^(\p{Lu})(\p{Ll}+) \p{Lu}\p{Ll}+\s*(?=[\w.]*?(?i:\1\2))[\w.]+@\w+\.se$", ["Erik Lind erik.lind@ex.se"]),
    (r"^(?P<word>\w+) (?P=word)$", ["again again"]),
    (r"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\10x", ["abcdefghijjx"]),  # group ten, not one and a 0
    # A class holding brackets inside a look-around.
    (r"a(?<![)(\]])b(?=[(]c\))", ["ab(c)"]),
    # Counted repetitions, read uncounted; braces that count nothing stay characters.
    (r"^[^.!?]{1,80}?cancel reply$", ["Jane Doe cancel reply"]),
    (r"^\d{4}-\d{2}$|^x{,2}y$|^a{3,}$|^a{b}$|^z{,}w$", ["2026-12", "y", "xxy", "aaaa", "a{b}", "zzw"]),
])
def test_the_loose_prefilter_matches_wherever_the_pattern_does(source: str, lines: list[str]) -> None:
    pattern = Pattern(source, "example/rule")
    loose = to_re2(source, loose=True)
    assert loose is not None
    prefilter = re2.compile(loose)
    for line in lines:
        assert pattern.search(line) is not None, line
        assert prefilter.search(line) is not None, line


@pytest.mark.parametrize(("source", "loose"), [
    (r"x{1,80}?y", "x+?y"),
    (r"(?:\w+ ){0,3}", r"(?:[A-Za-z0-9_\x{80}-\x{10FFFF}]+ )*"),
    (r"\d{4}", r"[0-9\x{80}-\x{10FFFF}]+"),
    (r"[a{1,2}]\{3\}", r"[a{1,2}]\{3\}"),  # in a class, or escaped: characters
])
def test_the_loose_prefilter_drops_counts(source: str, loose: str) -> None:
    """A count spells its atom that many times in RE2's automaton; a set of rules with counts
    grew a prefilter of over 100 MB that kept starting over on real pages."""
    assert to_re2(source, loose=True) == loose


@pytest.mark.parametrize(("source", "loose"), [
    (r"^\p{Lu}\p{Ll}+", r"^[A-Z\x{80}-\x{10FFFF}][a-z\x{80}-\x{10FFFF}]+"),
    (r"[\pL.-]+", r"[A-Za-z\x{80}-\x{10FFFF}.-]+"),
    # Inside '[^…]' a broader member would make the class narrower: left as it is.
    (r"[^\pL\d]", r"[^\pL\p{Nd}]"),
    (r"\W\D\PL", r"[^\pL\pN_]\P{Nd}\PL"),
    (r"\\pL", r"\\pL"),  # an escaped backslash, then 'pL'
])
def test_the_loose_prefilter_reads_letters_and_digits_broadly(source: str, loose: str) -> None:
    """Unicode's letter tables made the prefilter's automaton four times slower to build, a cost
    every process paid before its first page; every character past ASCII now counts as a letter
    or digit there (the rule's own pattern still decides)."""
    assert to_re2(source, loose=True) == loose
    prefilter = re2.compile(loose)
    exact = regex.compile(source)
    for text in ("Éloïse", "Zoë", "naïve", "٣", "x", "-", "1", "Ω"):
        if exact.search(text):
            assert prefilter.search(text), text


@pytest.mark.parametrize(("line", "found"), [("xaab", True), ("b", True), ("aaab", False), ("xa{,2}b", False)])
def test_an_open_count_means_from_zero_on_both_engines(line: str, found: bool) -> None:
    """Python reads 'a{,2}' as 'a{0,2}'; RE2 would read the characters themselves."""
    pattern = Pattern(r"^x?a{,2}b", "example/rule")
    assert pattern.linear
    assert (pattern.search(line) is not None) is found


def test_every_built_in_rule_example_passes_its_prefilter() -> None:
    """A prefilter that missed a line would silently turn its rule off for that line."""
    book = load_rulebook()
    checked = 0
    for rule in book.rules:
        if not rule.patterns or rule.patterns[0].prefilter_source is None:
            continue
        prefilter = re2.compile(rule.patterns[0].prefilter_source)
        for kind in ("drop", "extract"):
            for example in rule.examples.get(kind, []):
                line = example["line"] if isinstance(example, dict) else example
                if rule.patterns[0].search(line) is not None:
                    assert prefilter.search(line) is not None, (rule.id, line)
                    checked += 1
    assert checked > 100


@pytest.mark.parametrize(("source", "anchored"), [
    ("^read more", True), ("(?i)^(?:read|see) more", True), ("^[|]x", True), (r"^\|x", True),
    ("^a|b", False), ("(?:^|x)a", False), ("(?m)^a", False), ("a^", False), ("^(?i:a|b)|c", False),
    # a '(' quoted or inside a named class opens no group, so the '|' after it is top-level
    (r"^\Q(\Ea|b", False), (r"^[[:alpha:](]a|b", False), (r"^\Qa|b\E", True), (r"^[[:digit:]|]+x", True),
])
def test_a_pattern_runs_anchored_only_when_every_match_starts_the_line(source: str, anchored: bool) -> None:
    assert anchored_at_start(source) is anchored


def test_the_prefilter_finds_anchored_and_searching_patterns_alike() -> None:
    """The prefilter runs the patterns anchored at the line's start apart from the others: each
    rule still gets exactly the lines its pattern matches, whichever automaton holds it."""
    sources = ["^read more", "credit: [A-Z]+", "(?i)^share|tweet$", "^(?:posted by) [a-z]+", r"^[[:digit:](]x|tweet"]
    prefilter = PatternSet((owner, Pattern(source, f"t/{owner}")) for owner, source in enumerate(sources))
    lines = ["read more", "photo credit: AP", "we read more", "Share this", "please tweet",
             "posted by ann", "reposted by ann", "read more, credit: AFP"]
    want = {owner: [i for i, line in enumerate(lines) if regex.search(source, line)]
            for owner, source in enumerate(sources)}
    assert prefilter.candidates(lines) == {owner: found for owner, found in want.items() if found}
    assert prefilter.candidates(lines) == prefilter.candidates(list(lines))  # answers memoised alike


def test_the_rules_chosen_for_a_language_are_those_that_apply_and_stay_as_they_were() -> None:
    selection = load_rulebook().select(["a line"])
    for language in ("de", None):
        for after in (False, True):
            want = [(n, r) for n, r in enumerate(selection.rules)
                    if r.after_finder == after and r.applies_to(language)]
            chosen = selection.chosen(language, after)
            assert list(chosen) == want and selection.chosen(language, after) is chosen
            assert isinstance(chosen, tuple)  # kept for the next page: no caller can change it
    assert any(r.languages for r in selection.rules)  # (some rules are for some languages only)
