"""The trace says what happened to every line: each line that left the text has exactly one
change that removed it, named by the rule or step that made it, and the record's `removed`
counts are the trace's removals counted by name. `cleaner explain` shows this trace."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import page_files, page_name

from cleaner import Rulebook
from cleaner.page import FINDER, HEADLINE, RULES, SETTLE
from cleaner.pipeline import STAGE_NAMES, prepare_page, run_stages, settle
from cleaner.read import read_input


def _cleaned(path: Path, rulebook: Rulebook) -> tuple[list[bool], list[tuple[int, str, str, bool]], Counter[str],
                                                      str]:
    read = read_input(path.read_bytes(), path.name)
    page = prepare_page(read.text, lines=read.lines())
    run_stages(page, rulebook, None)
    settle(page, rulebook, None)
    alive = [line.alive for line in page.lines]
    changes = [(c.line, c.by, c.stage, c.removes) for c in page.trace]
    return alive, changes, page.doc.removed, page.text()


@pytest.mark.parametrize("path", page_files(), ids=page_name)
def test_every_removal_is_in_the_trace_once(path: Path, rulebook: Rulebook) -> None:
    alive, changes, removed, _ = _cleaned(path, rulebook)
    removals = Counter(line for line, _, _, removes in changes if removes)
    gone = {i for i, kept in enumerate(alive) if not kept}
    assert set(removals) == gone
    assert all(count == 1 for count in removals.values())
    by_name = Counter(by for _, by, _, removes in changes if removes)
    assert +removed == +by_name  # zero counts (rules that only rewrote) aside
    assert {stage for _, _, stage, _ in changes} <= {RULES, FINDER, HEADLINE, SETTLE}


def test_the_trace_agrees_with_clean(rulebook: Rulebook) -> None:
    from cleaner import clean

    path = next(p for p in page_files() if p.name == "de_power.txt")  # the finder cuts a menu there
    _, changes, removed, text = _cleaned(path, rulebook)
    doc = clean(path.read_bytes(), rulebook, name=path.name)
    assert text == doc.text
    assert removed == doc.removed
    assert any(stage == FINDER and by == "finder/outside" for _, by, stage, _ in changes)


def test_the_stages_are_named_once() -> None:
    assert STAGE_NAMES == ("html-rules", "rules", "finder", "rules-after-finder")
    with pytest.raises(ValueError, match="no stage"):
        run_stages(prepare_page("A line.", language="en"), Rulebook([]), None, until="nonesuch")
