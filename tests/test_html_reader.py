"""The HTML reader: one line per block as a browser lays the page out, with what the markup says
of each block; what never shows is left out; hostile markup is read or refused, never a hang."""

from __future__ import annotations

import time

import pytest

from cleaner import PageError, Rulebook, clean
from cleaner.page import Line
from cleaner.read.html import MAX_NESTING, html_lines, nesting_depth, parse_html

PROSE = ("The harbour authority opened the new ferry terminal on Monday after three years of work, "
         "and the first boat left at seven in the morning with more than two hundred people on board.")


def lines(markup: str) -> list[Line]:
    return html_lines(parse_html(markup))


def texts(markup: str) -> list[str]:
    return [line.text for line in lines(markup)]


def test_blocks_become_lines_and_inline_pieces_join_as_shown() -> None:
    assert texts("<body><div>Top <b>bold</b><i>italic</i> end<p>Para<br>after break</p>tail</div>"
                 "<ul><li>One</li><li>Two <a href='/x'>link</a></li></ul></body>") == [
        "Top bolditalic end", "Para", "after break", "tail", "One", "Two link"]


def test_what_never_shows_is_left_out() -> None:
    page = (f"<body><script>var x = 1;</script><style>p {{}}</style><p>{PROSE}</p><p hidden>Hidden</p>"
            "<div style='display: none'>Gone</div><template><p>Template</p></template>"
            "<form><label>Name</label><input value='typed'><select><option>Choice</option>"
            "</select><textarea>Draft</textarea><button>Send</button></form>"
            "<svg><title>icon bookmark</title></svg><noscript>Enable JavaScript</noscript></body>")
    assert texts(page) == [PROSE, "Name"]


def test_a_page_built_by_scripts_is_read_from_noscript() -> None:
    page = f"<body><div id='app'></div><noscript><article><p>{PROSE}</p></article></noscript></body>"
    assert texts(page) == [PROSE]


def test_a_react_streamed_part_is_shown_in_its_templates_place() -> None:
    page = ("<body><header>Site</header><main><!--$?--><template id='B:0'></template><p>Loading…</p><!--/$-->"
            "</main><footer>Contact</footer><div hidden id='S:0'><h1>Ferry terminal opens</h1><p>{PROSE}</p>"
            "<!--$?--><template id='B:1'></template><!--/$--></div><div hidden id='S:1'><p>Second part</p></div>"
            "<script>$RC('B:0','S:0')</script><script>$RC(\"B:1\",\"S:1\")</script></body>").replace("{PROSE}", PROSE)
    assert texts(page) == ["Site", "Ferry terminal opens", PROSE, "Second part", "Contact"]
    # paired by the script where it names another template; without scripts, by their number
    assert texts("<body><p>A</p><template id='P:7'></template><p>C</p><div hidden id='S:2'>B</div>"
                 "<script>$RS(\"S:2\",\"P:7\")</script></body>") == ["A", "B", "C"]
    assert texts("<body><p>A</p><template id='P:3'></template><p>C</p><div hidden id='S:3'>B</div></body>") == [
        "A", "B", "C"]
    assert texts("<body><p>A</p><div hidden id='other'>Hidden</div></body>") == ["A"]


def test_lines_carry_what_the_markup_says() -> None:
    page = ("<body><nav class='site-nav mainMenu'><ul><li><a href='/'>Home</a></li></ul></nav>"
            "<article><h2 id='top'>Section</h2><blockquote><p>Quoted</p></blockquote>"
            "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
            "<pre>line one\n  line two</pre><ol><li>First</li></ol></article></body>")
    by_text = {line.text: line.attrs for line in lines(page)}
    home = by_text["Home"]
    assert home is not None
    assert home["tag"] == "li" and home["list"] == "ul" and home["links"] == 1.0
    assert {"site-nav", "site", "nav", "mainmenu", "main", "menu"} <= home["tokens"]  # type: ignore[operator]
    assert "nav" in home["tags"]  # type: ignore[operator]
    assert home["hrefs"] == (("Home", "/"),)
    assert by_text["Section"]["heading"] == 2  # type: ignore[index]
    assert by_text["Quoted"]["quote"] is True  # type: ignore[index]
    assert [by_text[cell]["cell"] for cell in "AB12"] == [  # type: ignore[index]
        (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
    assert by_text["line one"]["pre"] and "  line two" in by_text  # type: ignore[index]
    assert by_text["First"]["list"] == "ol"  # type: ignore[index]


def test_broken_markup_is_repaired_as_browsers_do() -> None:
    assert texts("<p>Unclosed <b>bold <p>Next paragraph</div></span>") == [
        "Unclosed bold", "Next paragraph"]


def test_deep_nesting_is_read_within_the_limit_and_refused_beyond(rulebook: Rulebook) -> None:
    deep = "<body>" + "<div>" * 3000 + "<p>Deep text</p>" + "</div>" * 3000 + "</body>"
    assert texts(deep) == ["Deep text"]
    hostile = "<body>" + "<div>" * (MAX_NESTING * 20) + "x</body>"
    assert nesting_depth(hostile) > MAX_NESTING
    started = time.monotonic()
    with pytest.raises(PageError, match=r"nests elements .* deep"):
        clean(hostile.encode(), rulebook, name="deep.html")
    assert time.monotonic() - started < 5
    # Tags that open nothing do not count.
    assert nesting_depth("<br>" * (MAX_NESTING + 10) + "<img src=x>" * 10) == 0


def test_a_page_that_shows_nothing_gives_an_empty_text_and_its_record(rulebook: Rulebook) -> None:
    page = ("<html><head><title>Only a shell</title><meta property='og:title' content='A shell'>"
            "</head><body><div id='root'></div><script>render()</script></body></html>")
    doc = clean(page.encode(), rulebook, name="shell.html")
    assert doc.text == ""
    assert doc.title in ("Only a shell", "A shell") and doc.sources["title"] in ("title-tag", "opengraph")


def test_an_html_article_comes_out_without_its_chrome(rulebook: Rulebook) -> None:
    page = ("<html><head><title>Ferry terminal opens | Harbour News</title></head><body>"
            "<header><nav><ul>" + "".join(f"<li><a href='/{name.lower()}'>{name}</a></li>" for name in
                                          ("Home", "News", "Sport", "Weather", "Travel", "Culture"))
            + "</ul></nav></header><article><h1>Ferry terminal opens</h1>"
            + "".join(f"<p>{PROSE} Paragraph {n}.</p>" for n in range(5))
            + "</article><footer><p>© 2026 Harbour News</p><a href='/privacy'>Privacy</a></footer>"
            "</body></html>")
    doc = clean(page.encode(), rulebook, url="https://harbour.example/ferry", name="page.html")
    assert doc.title == "Ferry terminal opens"
    assert doc.text.count(PROSE) == 5
    for chrome in ("Home", "Weather", "Privacy", "© 2026", "Ferry terminal opens"):
        assert chrome not in doc.text
