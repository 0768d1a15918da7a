"""Every example written in a rule file is a test case of its own.

A rule's ``examples`` say what it must do: lines it drops (or cuts from), lines it keeps, values
it extracts (and the text it leaves), lines it rewrites. ``cleaner rules check`` checks them all at once; here
each becomes one case, with an id like ``generic/icon-sprite:drop:0``, so a broken example is
named in the test report. The check itself is the command's (``cleaner.rules.examples``), run on
a copy of the rule that carries only that one example.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from cleaner import load_rulebook
from cleaner.cli.options import ENV_RULES
from cleaner.rules.examples import check_examples
from cleaner.rules.load import builtin_rules_dir
from cleaner.rules.model import Rule

KINDS = ("drop", "keep", "extract", "replace")


def _builtin_rules() -> list[Rule]:
    # Examples are checked here, one by one, not by the loader; the user's folders stay out.
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_RULES, raising=False)
        return load_rulebook(builtin=True, check_examples=False).rules


BUILTIN = [r for r in _builtin_rules() if r.location.startswith(str(builtin_rules_dir()))]


def _cases() -> list[Any]:
    cases = []
    for rule in BUILTIN:
        for kind in KINDS:
            for index, example in enumerate(rule.examples.get(kind, [])):
                cases.append(pytest.param(rule, kind, example, id=f"{rule.id}:{kind}:{index}"))
    return cases


@pytest.mark.parametrize(("rule", "kind", "example"), _cases())
def test_example_holds(rule: Rule, kind: str, example: Any) -> None:
    alone = dataclasses.replace(rule, examples={kind: [example]})
    failures = check_examples(alone)
    assert not failures, f"{rule.id} ({rule.location}): {failures[0][0]}"


def test_there_are_builtin_rules() -> None:
    ids = {r.id for r in BUILTIN}
    assert {"generic/icon-sprite", "generic/labelled-credit", "generic/comment-form",
            "blogspot.com/comments-footer", "rt.com/dateline"} <= ids


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.id)
def test_rule_explains_itself_and_has_examples(rule: Rule) -> None:
    assert len(rule.why.split()) >= 5, f"{rule.id}: 'why' should say in a sentence why it exists"
    positive = sum(len(rule.examples.get(k, [])) for k in ("drop", "extract", "replace"))
    assert positive, f"{rule.id}: needs at least one drop, extract or replace example"
    if rule.action == "replace":
        assert rule.examples.get("replace"), f"{rule.id}: a replace rule needs replace examples"
    if rule.action == "extract":
        assert rule.examples.get("extract"), f"{rule.id}: an extract rule needs extract examples"


def test_a_wrong_example_is_caught() -> None:
    """The check is not vacuous: a keep example the rule fires on fails."""
    rule = next(r for r in BUILTIN if r.id == "generic/icon-sprite")
    wrong = dataclasses.replace(rule, examples={"keep": ["icon-searchicon-closeicon-menu"]})
    assert check_examples(wrong)
    wrong = dataclasses.replace(rule, examples={"drop": ["An ordinary sentence."]})
    assert check_examples(wrong)
