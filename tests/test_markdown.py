"""Markdown output (`cleaner.write.markdown`, `--format markdown`, `--links`): the kept lines'
structure, as a reader gives it in their attrs, comes out as Markdown that renders to that
structure, and plain text renders back to itself. What is rendered is checked with a CommonMark
parser (markdown-it-py, GFM tables on), not by comparing strings with a guess of the output.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import PAGES, SEED_BLOG, SEED_RT, run_counts
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cleaner import Rulebook, clean, clean_text
from cleaner.cli.app import main
from cleaner.document import Document
from cleaner.write import OutputFormat
from cleaner.write.markdown import document_markdown, to_markdown

Attrs = Mapping[str, object] | None
RENDER = MarkdownIt("commonmark").enable("table")
BASE = "https://news.example.org/world/2024/story.html"


def render(lines: list[tuple[str, Attrs]], *, links: bool = False, base: str | None = BASE) -> str:
    return RENDER.render(to_markdown(lines, links=links, base=base))


def escaped(text: str) -> str:
    """Text as the renderer writes it into HTML."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def para(text: str) -> str:
    return f"<p>{escaped(text)}</p>\n"


# Headings, lists, quotes, code.

def test_headings_keep_their_level() -> None:
    lines: list[tuple[str, Attrs]] = [(f"Level {n}", {"heading": n, "tag": f"h{n}"}) for n in range(1, 7)]
    assert render(lines) == "".join(f"<h{n}>Level {n}</h{n}>\n" for n in range(1, 7))
    # A heading that ends in a hash keeps it (an ATX heading would drop a closing run of #).
    assert render([("Why we still write C #", {"heading": 2})]) == "<h2>Why we still write C #</h2>\n"


def test_nested_lists_nest_and_ordered_items_count() -> None:
    lines: list[tuple[str, Attrs]] = [
        ("Fruit", {"list": "ul", "list_depth": 1}),
        ("Apples", {"list": "ol", "list_depth": 2}),
        ("Pears", {"list": "ol", "list_depth": 2}),
        ("Vegetables", {"list": "ul", "list_depth": 1}),
        ("After the list.", {"tag": "p"}),
    ]
    markdown = to_markdown(lines, links=False)
    assert "1. Apples" in markdown and "2. Pears" in markdown
    assert RENDER.render(markdown) == (
        "<ul>\n<li>Fruit\n<ol>\n<li>Apples</li>\n<li>Pears</li>\n</ol>\n</li>\n"
        "<li>Vegetables</li>\n</ul>\n<p>After the list.</p>\n")


def test_items_nest_under_a_wide_number() -> None:
    lines: list[tuple[str, Attrs]] = [(f"Step {n}", {"list": "ol", "list_depth": 1}) for n in range(1, 11)]
    lines.append(("A detail of step ten", {"list": "ul", "list_depth": 2}))
    out = render(lines)
    assert out.endswith("<li>Step 10\n<ul>\n<li>A detail of step ten</li>\n</ul>\n</li>\n</ol>\n")


def test_a_list_whose_outer_level_was_dropped_is_still_a_list() -> None:
    lines: list[tuple[str, Attrs]] = [("Deep one", {"list": "ul", "list_depth": 3}),
                                      ("Deep two", {"list": "ul", "list_depth": 3})]
    assert render(lines) == "<ul>\n<li>Deep one</li>\n<li>Deep two</li>\n</ul>\n"


def test_list_items_that_look_like_markup_stay_text() -> None:
    lines: list[tuple[str, Attrs]] = [("# not a heading", {"list": "ul", "list_depth": 1}),
                                      ("2. not a sublist", {"list": "ol", "list_depth": 1})]
    assert render(lines) == ("<ul>\n<li># not a heading</li>\n</ul>\n"
                             "<ol>\n<li>2. not a sublist</li>\n</ol>\n")


def test_consecutive_quoted_blocks_make_one_quote() -> None:
    lines: list[tuple[str, Attrs]] = [("First quoted.", {"quote": True}), ("Second quoted.", {"quote": True}),
                                      ("Not quoted.", {})]
    assert render(lines) == ("<blockquote>\n<p>First quoted.</p>\n<p>Second quoted.</p>\n"
                             "</blockquote>\n<p>Not quoted.</p>\n")


def test_a_quoted_list_is_a_list_in_the_quote() -> None:
    lines: list[tuple[str, Attrs]] = [("In a quote", {"quote": True, "list": "ul", "list_depth": 1})]
    assert render(lines) == "<blockquote>\n<ul>\n<li>In a quote</li>\n</ul>\n</blockquote>\n"


def test_preformatted_lines_share_one_fence_verbatim() -> None:
    code = ["def f(x):", "    return x * 2  # *not* emphasis", "# not a heading\nprint(```)"]
    lines: list[tuple[str, Attrs]] = [(code[0], {"pre": True, "node": 1}),
                                      (code[1], {"pre": True, "node": 1}),
                                      (code[2], {"pre": True, "node": 2}),
                                      ("Prose after.", {})]
    out = render(lines)
    # One <pre>'s lines follow each other; the next <pre> is set apart by a blank line.
    body = code[0] + "\n" + code[1] + "\n\n" + code[2]
    assert out == ("<pre><code>" + escaped(body) + "\n</code></pre>\n" + para("Prose after."))


def test_html_code_keeps_its_lines_in_markdown(rulebook: Rulebook) -> None:
    page = ("<html><body><article><p>" + "Run the ferry timetable tool with two options to see "
            "the departures of the day and when each boat arrives. " * 2 + "</p>"
            "<pre>ferry --depart 07:00\n  --arrive 08:10</pre><h2>Where to board</h2><p>"
            + "Boats leave from the covered hall beside the old waiting room, now a museum. " * 2
            + "<a href=\"/map\">See the map</a>.</p></article></body></html>")
    doc = clean(page.encode(), rulebook, url="https://harbour.example/ferry", name="page.html")
    out = document_markdown(doc, links=True)
    assert "```\nferry --depart 07:00\n  --arrive 08:10\n```" in out
    assert "\n## Where to board\n" in out
    assert "[See the map](https://harbour.example/map)" in out


# Tables.

def _rows(rendered: str) -> list[list[str]]:
    """The table's cells, row by row (header first), as text."""
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<t[hd]>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", rendered, re.S)]


def cell(table: int, row: int, col: int) -> dict[str, object]:
    return {"table": True, "cell": (table, row, col), "tag": "td"}


def test_a_table_with_ragged_rows_and_pipes() -> None:
    lines: list[tuple[str, Attrs]] = [
        ("Team", cell(0, 0, 0)), ("Points", cell(0, 0, 1)), ("Note", cell(0, 0, 2)),
        ("Red | Blue", cell(0, 1, 0)), ("12", cell(0, 1, 1)),
        ("Green", cell(0, 2, 0)), ("9", cell(0, 2, 1)), ("won *twice*", cell(0, 2, 2)),
    ]
    out = render(lines)
    assert "<thead>" in out
    assert _rows(out) == [["Team", "Points", "Note"], ["Red | Blue", "12", ""],
                          ["Green", "9", "won *twice*"]]


def test_lines_of_one_cell_share_it() -> None:
    lines: list[tuple[str, Attrs]] = [("Name", cell(0, 0, 0)), ("Role", cell(0, 0, 1)),
                                      ("Ada", cell(0, 1, 0)), ("Engineer", cell(0, 1, 1)),
                                      ("and writer", cell(0, 1, 1))]
    assert _rows(render(lines)) == [["Name", "Role"], ["Ada", "Engineer and writer"]]


def test_a_layout_table_gives_its_blocks_not_a_table() -> None:
    # A page laid out in a one-column table: its cells hold the article's blocks.
    lines: list[tuple[str, Attrs]] = [
        ("Story headline", {**cell(0, 0, 0), "heading": 1}),
        ("First paragraph.", cell(0, 1, 0)),
        ("Second paragraph.", cell(0, 2, 0)),
    ]
    assert render(lines) == "<h1>Story headline</h1>\n" + para("First paragraph.") + para("Second paragraph.")


def test_a_data_table_inside_a_layout_table_stays_in_place() -> None:
    lines: list[tuple[str, Attrs]] = [
        ("Before the table.", cell(0, 0, 0)),
        ("Year", cell(1, 0, 0)), ("Sales", cell(1, 0, 1)), ("2023", cell(1, 1, 0)), ("40", cell(1, 1, 1)),
        ("After the table.", cell(0, 1, 0)),
    ]
    out = render(lines)
    assert out.startswith(para("Before the table.") + "<table>")
    assert out.endswith("</table>\n" + para("After the table."))
    assert _rows(out) == [["Year", "Sales"], ["2023", "40"]]


# Links.

def _links(rendered: str) -> list[tuple[str, str]]:
    return [(html.unescape(text), html.unescape(href))
            for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', rendered)]


def linked(text: str, *pairs: tuple[str, str]) -> tuple[str, Attrs]:
    return text, {"tag": "p", "hrefs": pairs}


def test_links_relative_and_absolute() -> None:
    line = linked("Read the report and the minutes here.",
                  ("the report", "../docs/report final.pdf"), ("the minutes", "https://council.example.com/m?a=1"))
    out = render([line], links=True)
    assert _links(out) == [("the report", "https://news.example.org/world/docs/report%20final.pdf"),
                           ("the minutes", "https://council.example.com/m?a=1")]
    assert re.sub(r"<[^>]+>", "", out).strip() == line[0]


def test_without_a_page_url_relative_links_stay_relative() -> None:
    out = render([linked("See the archive.", ("the archive", "/archive/"))], links=True, base=None)
    assert _links(out) == [("the archive", "/archive/")]


@pytest.mark.parametrize("href", ["javascript:void(0)", "JavaScript:alert(1)", "java\tscript:alert(1)",
                                  "data:text/html,x", "", "   ", "#"])
def test_links_that_go_nowhere_or_run_code_stay_text(href: str) -> None:
    out = render([linked("Click here to share.", ("here", href))], links=True)
    assert out == para("Click here to share.")


def test_without_links_anchors_are_text() -> None:
    out = render([linked("Read the report.", ("the report", "/r"))], links=False)
    assert out == para("Read the report.")


def test_a_repeated_anchor_links_each_occurrence_in_order() -> None:
    line = linked("Page 1, page 2 and [page] 1 again.", ("1", "/p1"), ("2", "/p2"), ("[page]", "/pp"), ("1", "/p1b"))
    out = render([line], links=True)
    assert [href for _, href in _links(out)] == [
        "https://news.example.org/p1", "https://news.example.org/p2",
        "https://news.example.org/pp", "https://news.example.org/p1b"]
    assert _links(out)[2][0] == "[page]"
    assert re.sub(r"<[^>]+>", "", out).strip() == line[0]


def test_links_in_headings_list_items_and_cells() -> None:
    lines: list[tuple[str, Attrs]] = [
        ("Budget news", {"heading": 2, "hrefs": (("Budget", "/budget"),)}),
        ("Schools get more", {"list": "ul", "list_depth": 1, "hrefs": (("Schools", "/schools"),)}),
        ("Item", cell(0, 0, 0)), ("Cost", cell(0, 0, 1)),
        ("Roads", {**cell(0, 1, 0), "hrefs": (("Roads", "/roads"),)}), ("5", cell(0, 1, 1)),
    ]
    assert [text for text, _ in _links(render(lines, links=True))] == ["Budget", "Schools", "Roads"]


# Escaping: text renders back to itself, and is left alone where nothing would change.

@pytest.mark.parametrize("text", [
    "snake_case_name and 2 * 3 * 4", "C# and F# are languages", "See [1] and [2].",
    "A - B, and 3.5 - 1.2", "Tom & Jerry", "x < y > z", "10 * 20 = 200", "Q&A: 1. what",
])
def test_text_that_renders_as_itself_is_not_escaped(text: str) -> None:
    assert to_markdown([(text, None)], links=False) == text


@pytest.mark.parametrize("text", [
    "# Not a heading", "- Not a bullet", "+ Not a bullet", "* Not a bullet", "1. Not a list",
    "3) Not a list", "> Not a quote", "---", "***", "===", "```", "~~~ x", "*stars*", "__under__",
    "`code` and `more`", "<b>bold</b>", "&amp; &#169;", "[text](http://x.y)", "![alt](img.png)",
    "[ref]: http://x.y", "back\\slash\\*", "a*b*c",
])
def test_markdown_syntax_in_text_renders_as_text(text: str) -> None:
    assert RENDER.render(to_markdown([(text, None)], links=False)) == para(text)


TEXT = st.lists(st.sampled_from([*"ab #-*_`[]()!<>&;\\1.)+=~|:/é ", "&amp;", "**", "http://a.b"]),
               min_size=1, max_size=20).map(lambda parts: " ".join("".join(parts).split())).filter(bool)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_any_text_renders_as_itself(text: str) -> None:
    assert RENDER.render(to_markdown([(text, None)], links=False)) == para(text)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_any_text_around_a_link_renders_as_itself(before: str, anchor: str, after: str) -> None:
    text = f"{before} {anchor} {after}"
    out = render([linked(text, (anchor, "/to"))], links=True)
    assert _links(out)[0] == (anchor, "https://news.example.org/to")
    assert html.unescape(re.sub(r"<[^>]+>", "", out)).strip() == text


# Text input, and Documents.

def test_text_lines_are_paragraphs() -> None:
    lines: list[tuple[str, Attrs]] = [("First paragraph.", None), ("Second one.", None)]
    assert to_markdown(lines, links=True) == "First paragraph.\n\nSecond one."


def test_a_document_without_blocks_gives_its_paragraphs() -> None:
    doc = Document(text="One paragraph.\n\n- Another, not a list.")
    assert document_markdown(doc) == "One paragraph.\n\n\\- Another, not a list."


def test_a_cleaned_page_keeps_its_lines_for_markdown(rulebook: Rulebook) -> None:
    doc = clean_text(SEED_BLOG.read_text(encoding="utf-8"), rulebook)
    assert doc.blocks and "\n\n".join(text for text, _ in doc.blocks) == doc.text
    assert "blocks" not in doc.record(with_text=True)


def test_links_need_markdown() -> None:
    with pytest.raises(ValueError, match="Markdown"):
        OutputFormat("txt", links=True)


# The command line.

def invoke(args: list[str], stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)


MARKUP_PAGE = (
    b"# Council approves the library plan\n\n"
    b"The council met on Tuesday and approved the plan for the new library after a long public "
    b"meeting, where residents asked about the cost, the roads and the opening hours.\n\n"
    b"- The first phase opens next spring, the mayor said, and the rest of it follows a year "
    b"later once the old depot on the square has been cleared and rebuilt.\n\n"
    b"1. Residents who spoke at the meeting asked for longer opening hours on weekends and for "
    b"a reading room for the children of the neighbourhood.\n"
)


def test_clean_markdown_of_text_is_its_paragraphs() -> None:
    plain = invoke(["clean", "-"], stdin=MARKUP_PAGE)
    markdown = invoke(["clean", "-", "--format", "markdown"], stdin=MARKUP_PAGE)
    assert plain.exit_code == 0 and markdown.exit_code == 0, markdown.stderr
    paragraphs = plain.stdout.strip().split("\n\n")
    assert any(p[0] in "#-1" for p in paragraphs)  # the page's markup-like lines were kept
    assert RENDER.render(markdown.stdout) == "".join(para(p) for p in paragraphs)


def test_clean_json_in_markdown_has_the_same_record() -> None:
    plain = json.loads(invoke(["clean", "-", "--json"], stdin=MARKUP_PAGE).stdout)
    markdown = json.loads(invoke(["clean", "-", "--json", "--format", "markdown"], stdin=MARKUP_PAGE).stdout)
    assert markdown.pop("text") != plain.pop("text")
    assert markdown == plain


@pytest.mark.parametrize("command", [["clean", "-"], ["run", str(PAGES), "-"]])
def test_links_without_markdown_is_refused(command: list[str]) -> None:
    result = invoke([*command, "--links"], stdin=MARKUP_PAGE)
    assert result.exit_code == 2
    assert "--format markdown" in result.stderr
    assert result.stdout == ""


def _some_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for page in (SEED_RT, SEED_BLOG):
        (folder / page.name).write_bytes(page.read_bytes())
    return folder


def test_run_to_json_lines_puts_the_markdown_in_text(tmp_path: Path) -> None:
    pages = _some_pages(tmp_path)
    plain = [json.loads(line) for line in invoke(["run", str(pages), "-", "-q"]).stdout.splitlines()]
    marked = [json.loads(line) for line in
              invoke(["run", str(pages), "-", "-q", "--format", "markdown", "--links"]).stdout.splitlines()]
    assert len(plain) == len(marked) == 2
    for txt, md in zip(plain, marked, strict=True):
        assert RENDER.render(md.pop("text")) == "".join(para(p) for p in txt.pop("text").split("\n\n"))
        assert md == txt


def test_a_rerun_in_another_format_cleans_again(tmp_path: Path) -> None:
    pages, out = _some_pages(tmp_path), tmp_path / "out"
    stems = sorted(p.stem for p in pages.iterdir())

    def run(*options: str) -> str:
        result = invoke(["run", str(pages), str(out), "-q", *options])
        assert result.exit_code == 0, result.stderr
        return run_counts(result.stderr.strip().splitlines()[-1])

    assert run() == "2 cleaned, 0 failed"
    records = {s: (out / f"{s}.json").read_text(encoding="utf-8") for s in stems}
    assert run("--format", "markdown") == "2 cleaned, 0 failed"
    assert all((out / f"{s}.md").is_file() for s in stems)
    assert {s: (out / f"{s}.json").read_text(encoding="utf-8") for s in stems} == records
    assert run("--format", "markdown") == "0 cleaned, 0 failed, 2 already done"
    assert run("--format", "markdown", "--links") == "2 cleaned, 0 failed"
    (out / f"{stems[0]}.md").write_text("edited", encoding="utf-8")
    assert run("--format", "markdown", "--links") == "1 cleaned, 0 failed, 1 already done"
    assert run() == "2 cleaned, 0 failed"
