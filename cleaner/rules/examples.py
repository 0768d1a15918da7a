"""A rule's ``examples`` run as tests: each line alone on a page (for ``drop_copy``, printed
twice), through the rule's own action.

`cleaner rules check` and the test suite (tests/test_rule_examples.py) run them; loading rules
for a run does not (``load_rulebook(check_examples=True)`` asks for it)."""

from __future__ import annotations

from typing import Any

from cleaner.document import EXTRACT_FIELDS, Document
from cleaner.page import Line, Page
from cleaner.rules.actions import act
from cleaner.rules.model import Rule


def check_examples(rule: Rule) -> list[tuple[str, list[str | int]]]:
    """Run a rule's examples; each failure is (message, path inside ``examples``)."""
    # (Imported here: loading the rules without checking examples needs no language model.)
    from cleaner.lang.detect import detect as detect_language

    failures: list[tuple[str, list[str | int]]] = []

    # `drop_copy` removes a line only where a copy of it stands below: its example page prints
    # the line twice, and the first copy is the one the example is about.
    copies = 2 if rule.action == "drop_copy" else 1

    def run(text: str) -> tuple[Page, bool]:
        lines = [Line(text, block) for block in range(copies)]
        language = detect_language(text)
        if not rule.applies_to(language) and rule.languages:
            language = rule.languages[0]  # a rule for some languages: its examples are in the first
        page = Page(lines, Document(language=language))
        match = rule.find(text)
        fired = match is not None and act(page, rule, 0, match)
        return page, fired

    for i, text in enumerate(rule.examples.get("drop", [])):
        page, fired = run(text)
        if not fired or page.lines[0].alive:
            failures.append((f"example {text!r} should be dropped but the rule does not remove it",
                             ["drop", i]))
    for i, text in enumerate(rule.examples.get("keep", [])):
        page, fired = run(text)
        if fired:
            failures.append((f"example {text!r} should be kept but the rule fires on it", ["keep", i]))
    for i, case in enumerate(rule.examples.get("extract", [])):
        page, fired = run(case["line"])
        got = [str(v) for f in EXTRACT_FIELDS
               for v in _as_list(getattr(page.doc, f))]
        if not fired or case["value"] not in got:
            failures.append((f"example {case['line']!r} should extract {case['value']!r}, got {got}",
                             ["extract", i]))
            continue
        rest = page.lines[0].text if page.lines[0].alive else ""
        if rest != case.get("rest", ""):
            failures.append((f"example {case['line']!r} should leave {case.get('rest', '')!r} "
                             f"in the text, left {rest!r}", ["extract", i]))
    for i, case in enumerate(rule.examples.get("replace", [])):
        page, _ = run(case["line"])
        result = page.lines[0].text if page.lines[0].alive else ""
        if result != case["result"]:
            failures.append((f"example {case['line']!r} should become {case['result']!r}, "
                             f"became {result!r}", ["replace", i]))
    return failures


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
