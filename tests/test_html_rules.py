"""The ``html:`` part of site rules: CSS selectors that take the article from an element and drop
elements, for HTML input; checked when loaded, traced like every removal, ignored for text."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner import RuleError, clean
from cleaner.pipeline import explain
from cleaner.rules.load import load_rulebook

PARAGRAPHS = [
    "The harbour authority opened the new ferry terminal on Monday after three years of work.",
    "Passengers can now board from a covered hall, and the old waiting room will become a museum "
    "about the island's shipping history.",
    "The first ferry left at seven in the morning with more than two hundred people on board.",
]
PAGE = f"""<!doctype html><html><head><title>Terminal</title></head><body>
<div class="top-menu"><a href="/">Home</a> <a href="/news">News</a></div>
<div class="story">
  <h1>New ferry terminal opens <span class="badge">Live</span></h1>
  <p>{PARAGRAPHS[0]}</p>
  <div class="share-row">Share on Facebook</div>
  <p>{PARAGRAPHS[1]}</p>
  <p>{PARAGRAPHS[2]}</p>
</div>
<div class="below">More stories from the harbour and the islands around it.</div>
</body></html>"""


def rule_dir(tmp_path: Path, html_part: str, rules: str = "") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    head = "name: harbour.example\napplies_to:\n  hosts: [\"harbour.example\"]\nhtml:\n"
    (folder / "harbour.example.yaml").write_text(
        head + textwrap.indent(textwrap.dedent(html_part), "  ") + rules, encoding="utf-8")
    return folder


def test_content_and_drop_selectors_shape_the_text(tmp_path: Path) -> None:
    folder = rule_dir(tmp_path, """\
        content: ".story"
        drop: [".share-row", ".badge"]
    """)
    rulebook = load_rulebook([folder], check_examples=True)
    doc, page = explain(PAGE.encode(), rulebook, url="https://harbour.example/ferry", name="p.html")
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    assert "Share on Facebook" not in doc.text and "Home" not in doc.text
    assert "More stories" not in doc.text
    by = {change.before: change.by for change in page.trace}
    assert by["Share on Facebook"] == "harbour.example/html.drop"
    assert by["More stories from the harbour and the islands around it."] == "harbour.example/html.content"
    # The inline badge leaves its heading's line, which stays otherwise.
    assert doc.record()["removed"]["harbour.example/html.drop"] >= 1
    assert not any("Live" in line.text for _, line in page.live())


def test_the_part_applies_only_to_its_hosts_and_only_to_html(tmp_path: Path) -> None:
    folder = rule_dir(tmp_path, """\
        drop: [".share-row"]
    """)
    rulebook = load_rulebook([folder])
    other = explain(PAGE.encode(), rulebook, url="https://elsewhere.example/ferry", name="p.html")[1]
    assert not any(change.by.startswith("harbour.example/") for change in other.trace)
    text = "\n\n".join([*PARAGRAPHS, "Share on Facebook"])
    doc = clean(text.encode(), rulebook, url="https://harbour.example/ferry", name="p.txt")
    assert "harbour.example/html.drop" not in doc.removed


def test_a_content_selector_that_matches_nothing_leaves_the_page_to_the_finder(tmp_path: Path) -> None:
    folder = rule_dir(tmp_path, """\
        content: [".no-such-element", ".story"]
    """)
    doc = clean(PAGE.encode(), load_rulebook([folder]), url="https://harbour.example/x", name="p.html")
    assert "More stories" not in doc.text and PARAGRAPHS[2] in doc.text  # the second selector took it
    folder = rule_dir(tmp_path, """\
        content: ".no-such-element"
    """)
    doc = clean(PAGE.encode(), load_rulebook([folder]), url="https://harbour.example/x", name="p.html")
    assert PARAGRAPHS[0] in doc.text and "harbour.example/html.content" not in doc.removed


def test_a_bad_selector_is_named_with_file_line_and_option(tmp_path: Path) -> None:
    folder = rule_dir(tmp_path, """\
        drop: [".share-row", "div[[oops"]
    """)
    with pytest.raises(RuleError) as error:
        load_rulebook([folder])
    message = str(error.value)
    assert "harbour.example.yaml" in message and "html.drop" in message and "div[[oops" in message
    assert "harbour.example.yaml:5:" in message  # the line of the drop list


def test_examples_are_checked(tmp_path: Path) -> None:
    folder = rule_dir(tmp_path, """\
        drop: [".share-row"]
        examples:
          - html: '<p>Kept paragraph.</p><div class="share-row">Share</div>'
            keep: ["Kept paragraph."]
            drop: ["Share", "Kept paragraph."]
    """)
    with pytest.raises(RuleError, match=r"'Kept paragraph\.' should be dropped but is not"):
        load_rulebook([folder], check_examples=True)
    load_rulebook([folder])  # a run does not check examples


def test_a_rule_file_may_hold_only_an_html_part_but_not_nothing(tmp_path: Path) -> None:
    folder = rule_dir(tmp_path, """\
        content: ".story"
    """)
    load_rulebook([folder])
    (folder / "harbour.example.yaml").write_text("name: empty\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"needs 'rules'.*'html'"):
        load_rulebook([folder])
