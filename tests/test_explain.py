"""`cleaner explain`: every line of a page with the rule or step that took it, then the record."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import SEED_BLOG, SEED_RT

from cleaner import clean, load_rulebook
from cleaner.cli import main
from cleaner.fates import KEPT, fates
from cleaner.pipeline import explain

# The junk of each seed page and the rule (or step) that must be named on it.
JUNK = {
    SEED_RT: {"icon bookmark-bicon": "generic/icon-sprite", "11 Mar, 2022 09:40": "rt.com/dateline"},
    SEED_BLOG: {"Laman": "blogspot.com/pages-label", "No comments:": "blogspot.com/comments-footer",
                "Post a Comment": "blogspot.com/comments-footer",
                "©Stanislav Krasilnikov/TASS": "generic/copyright-credit"},
}


def _run(*args: str, color: bool = False) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["explain", *args], color=color, catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("page", [SEED_RT, SEED_BLOG], ids=lambda p: p.name)
def test_explain_names_the_rule_on_each_junk_line_and_shows_the_article(page) -> None:  # type: ignore[no-untyped-def]
    code, out = _run(str(page))
    assert code == 0
    assert "\x1b[" not in out  # plain text when not on a terminal
    rows = out.split("\n\n")[0].splitlines()
    for start, rule in JUNK[page].items():
        row = next(r for r in rows if start in r)
        assert rule in row, row
        assert re.match(r"\s*\d+ [->] ", row), row
    doc = clean(page.read_bytes(), load_rulebook(), source=page.name)
    kept = [r for r in rows if re.match(r"\s*\d+   kept ", r)]
    assert [re.sub(r"^\s*\d+   kept\s+", "", r) for r in kept] == doc.text.split("\n\n")
    assert f"title: {doc.title}" in out
    assert re.search(r"^  removed: ", out, re.M)


@pytest.mark.parametrize("page", [SEED_RT, SEED_BLOG], ids=lambda p: p.name)
def test_explain_json_is_one_object_per_line_then_the_record(page) -> None:  # type: ignore[no-untyped-def]
    code, out = _run(str(page), "--json")
    assert code == 0
    objects = [json.loads(line) for line in out.splitlines()]
    *lines, last = objects
    doc = clean(page.read_bytes(), load_rulebook(), source=page.name)
    assert last == {"record": doc.record()}
    assert [o["line"] for o in lines] == list(range(1, len(lines) + 1))
    assert all(o["by"] for o in lines if o["fate"] != KEPT)
    assert "\n\n".join(o["result"] for o in lines if o["result"] is not None) == doc.text
    for start, rule in JUNK[page].items():
        assert next(o for o in lines if o["text"].startswith(start))["by"] == rule


def test_explain_colours_on_a_terminal() -> None:
    code, out = _run(str(SEED_RT), color=True)
    assert code == 0 and "\x1b[31m" in out and "\x1b[32m" in out


def test_explain_reads_stdin_and_takes_the_clean_options() -> None:
    result = CliRunner().invoke(main, ["explain", "-", "--no-site-rules", "--disable", "generic/icon-sprite"],
                                input=SEED_RT.read_bytes(), catch_exceptions=False)
    assert result.exit_code == 0
    assert "rt.com/" not in result.stdout and "generic/icon-sprite" not in result.stdout


def test_every_line_that_left_has_one_reason() -> None:
    rulebook = load_rulebook()
    doc, page = explain(SEED_BLOG.read_bytes(), rulebook)
    out = fates(page, rulebook)
    assert len(out) == len(page.lines)
    assert all(f.change is not None for f in out if f.result is None)
    assert doc.text == "\n\n".join(f.result for f in out if f.result is not None)
