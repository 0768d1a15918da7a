"""Input kinds: the reading seam (`cleaner.read.read_input`) tells text from HTML, WARC/WET and
JSON Lines, by name and by content, and refuses the kinds that have no reader yet page by page,
with what to do; text that quotes markup stays text. A compressed page is decompressed once."""

from __future__ import annotations

import bz2
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner import PageError, Rulebook, clean
from cleaner.cli.app import main
from cleaner.page import Line
from cleaner.read import READERS, compression, read_input
from cleaner.read.compression import compressed_cap, read_raw
from cleaner.read.kinds import HTML, JSON_LINES, TEXT, WARC

ARTICLE = (
    "The city council approved the new budget on Tuesday after a long debate.\n\n"
    "Most of the money will go to schools, libraries and the repair of old bridges. Council "
    "members said the plan balances the needs of families with the cost of maintaining roads "
    "that were built more than fifty years ago.\n\n"
    "The mayor thanked residents who wrote letters and attended the public meetings.\n"
)
HTML_PAGE = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Budget"
             "</title></head>\n<body><article><p>" + ARTICLE.replace("\n\n", "</p><p>")
             + "</p></article></body></html>\n")
WARC_FILE = (b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://news.example/budget"
             b"\r\nWARC-Date: 2026-03-12T10:00:00Z\r\nContent-Type: text/plain\r\n"
             b"Content-Length: " + str(len(ARTICLE)).encode() + b"\r\n\r\n"
             + ARTICLE.encode() + b"\r\n\r\n")
JSON_LINES_FILE = "".join(json.dumps({"url": f"https://news.example/{n}", "text": block}) + "\n\n"
                          for n, block in enumerate(ARTICLE.split("\n\n")))
REFUSALS = {
    WARC: "a WARC/WET archive holds many pages, not one; clean archives with `cleaner run ARCHIVE OUTPUT`",
    JSON_LINES: "JSON Lines input is not supported yet; write each record's text",
}


def refusal(data: bytes, name: str = "") -> str:
    with pytest.raises(PageError) as refused:
        read_input(data, name)
    return str(refused.value)


# --- by name --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["page.html", "page.HTM", "page.xhtml", "page.html.gz"])
def test_html_names_are_read_as_html(name: str) -> None:
    data = HTML_PAGE.encode()
    if name.endswith(".gz"):
        data = gzip.compress(data)
    page = read_input(data, name)
    assert page.kind == HTML
    assert [line.text for line in page.lines()] == [
        block.strip() for block in ARTICLE.split("\n\n")]
    assert page.lines()[0].attrs is not None and page.lines()[0].attrs["tag"] == "p"


@pytest.mark.parametrize(("name", "kind"), [
    ("crawl.warc", WARC), ("crawl.warc.gz", WARC), ("crawl.wet", WARC),
    ("crawl.warc.wet.gz", WARC), ("records.jsonl", JSON_LINES), ("records.ndjson.bz2", JSON_LINES),
])
def test_kinds_by_name_are_refused_until_they_have_a_reader(name: str, kind: str) -> None:
    data = ARTICLE.encode()  # whatever the content: the name says what the file is
    if name.endswith(".gz"):
        data = gzip.compress(data)
    elif name.endswith(".bz2"):
        data = bz2.compress(data)
    reason = refusal(data, name)
    assert reason.startswith(REFUSALS[kind]), reason
    assert "its name ends in" in reason


# --- by content -----------------------------------------------------------------------------

@pytest.mark.parametrize("page", [
    HTML_PAGE,
    "\ufeff  \n<!doctype html><title>x</title><p>One paragraph.",
    "<!-- saved from url=(0022)https://example.org -->\n<html><body><p>Hello</p></body></html>",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 "
    "Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n<html xmlns="
    "\"http://www.w3.org/1999/xhtml\"><body><p>Hello</p></body></html>",
    # A page's body without its head: no document type, but markup nearly everywhere.
    "<div id=\"app\"><header class=\"site-header\"><nav><ul>"
    + "".join(f"<li class=\"menu-item\"><a href=\"/section/{n}\">Section {n}</a></li>"
              for n in range(12)) + "</ul></nav></header><main><p>Short text.</p></main></div>",
    # Markup dominates even where the page does not open with a tag.
    "Menu\n" + "".join(f"<div class=\"card card--{n}\"><a class=\"card__link\" href=\"/p/{n}\">"
                       f"<img src=\"/img/{n}.jpg\" alt=\"\"></a></div>\n" for n in range(20)),
])
def test_html_is_told_by_its_content(page: str) -> None:
    read = read_input(page.encode(), "page.txt")
    assert read.kind == HTML
    assert not any("<" in line.text for line in read.lines())  # the markup is gone


def test_html_in_another_encoding_is_still_html() -> None:
    page = HTML_PAGE.replace("utf-8", "utf-16").encode("utf-16")
    read = read_input(page, "page.txt")
    assert read.kind == HTML
    assert read.lines()[0].text.startswith("The city council approved")


def test_a_warc_is_told_by_its_first_line() -> None:
    assert refusal(WARC_FILE, "crawl.txt").startswith(REFUSALS[WARC])
    assert refusal(gzip.compress(WARC_FILE) + gzip.compress(WARC_FILE)).startswith(REFUSALS[WARC])


def test_json_lines_are_told_by_every_line() -> None:
    assert refusal(JSON_LINES_FILE.encode(), "records.txt").startswith(REFUSALS[JSON_LINES])
    assert refusal(b'{"text": "one record alone"}\n').startswith(REFUSALS[JSON_LINES])


@pytest.mark.parametrize("text", [
    ARTICLE,
    "If a < b and b > c, then nothing follows about a and c.\n\n" + ARTICLE,
    "Use the <table> element for tabular data, not for layout.\n\n" + ARTICLE,
    # A page about an HTML element, as a crawl's text record presents it: it opens with a tag.
    "<table>: The Table element - HTML | MDN\nThe <table> HTML element represents tabular data."
    "\nTry it\n<table>\n<caption>Front-end web developer course 2021</caption>\n<thead>\n<tr>"
    "\n<th scope=\"col\">Person</th>\n<th scope=\"col\">Most interest in</th>\n</tr>\n</thead>\n"
    + ARTICLE * 3,
    # A tutorial with a code snippet.
    "How to add a link\n\nWrite it like this:\n\n<p>Read the <a href=\"/docs\">docs</a>.</p>\n\n"
    + ARTICLE,
    # A page whose first line is a JSON object (a scraped data attribute), then text.
    '{"title": "Redis data types", "location": "body"}\nRedis data types\n\n' + ARTICLE,
    # JSON that is not one object a line, and a page that merely mentions the format.
    '{\n  "name": "a pretty-printed document"\n}\n',
    "WARC/1.0 is the format crawl archives are stored in.\n\n" + ARTICLE,
    "<3 from all of us\n\n" + ARTICLE,
    # A tutorial quoting a terminal's coloured output as markup (39% of a corpus page's output).
    "To run the examples, start the development server:\n\n"
    + "".join(f"<span style=\"background-color:#009485\"><font color=\"#D3D7CF\"> step {n} "
              f"</font></span> Starting the development server, step {n} of twelve\n\n"
              for n in range(12)) + ARTICLE,
])
def test_scraped_text_that_quotes_markup_or_json_stays_text(text: str) -> None:
    page = read_input(text.encode(), "page.txt")
    assert page.kind == TEXT
    assert page.text == text


# --- the seam -------------------------------------------------------------------------------

def test_the_seam_hands_text_to_the_text_reader() -> None:
    french = ("Le château se trouve au centre de la forêt, près d'un étang.\n\nLes élèves "
              "viennent pêcher le dimanche matin avec leurs frères.\n")
    page = read_input(gzip.compress(french.encode("latin-1")), "a/page.txt.gz")
    assert (page.kind, page.encoding) == (TEXT, "windows-1252")
    assert page.text == french
    lines = page.lines()
    assert all(isinstance(line, Line) for line in lines)
    assert [(line.text[:10], line.block) for line in lines] == [("Le château", 0),
                                                                ("Les élèves", 1)]
    assert set(READERS) == {TEXT, HTML}


def counting_decompressions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every expansion of compressed data goes through compression.read_stream: noted here."""
    calls: list[str] = []
    real = compression.read_stream

    def counting(handle: Any, name: str = "", *args: Any, **kwargs: Any) -> bytes:
        calls.append(name)
        return real(handle, name, *args, **kwargs)

    monkeypatch.setattr(compression, "read_stream", counting)
    return calls


def test_a_compressed_page_is_decompressed_once(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path, rulebook: Rulebook) -> None:
    calls = counting_decompressions(monkeypatch)
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "a.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (pages / "b.txt").write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    # -j 1: cleaned in this process, where the counter is.
    result = runner.invoke(main, ["run", str(pages), str(tmp_path / "out"), "-q", "-j", "1"])
    assert result.exit_code == 0, result.stderr
    assert calls == [str(pages / "a.txt.gz")]
    assert "approved the new budget" in (tmp_path / "out" / "a.txt").read_text(encoding="utf-8")
    calls.clear()
    result = runner.invoke(main, ["clean", str(pages / "a.txt.gz")])
    assert result.exit_code == 0 and "approved the new budget" in result.stdout
    assert len(calls) == 1
    calls.clear()
    result = runner.invoke(main, ["clean", "-"], input=(pages / "a.txt.gz").read_bytes())
    assert result.exit_code == 0 and "approved the new budget" in result.stdout
    assert len(calls) == 1
    calls.clear()
    assert "approved the new budget" in clean(gzip.compress(ARTICLE.encode()), rulebook).text
    assert len(calls) == 1


def test_a_page_compressed_twice_is_refused_not_expanded_twice() -> None:
    twice = gzip.compress(gzip.compress(ARTICLE.encode()))
    assert "compressed twice" in refusal(twice, "page.txt.gz")


def test_files_are_read_as_they_are_within_the_cap() -> None:
    packed = gzip.compress(ARTICLE.encode())
    assert read_raw(io.BytesIO(packed), "page.txt.gz", max_bytes=100) == packed  # not expanded
    assert read_raw(io.BytesIO(b"x" * 100), "page.txt", max_bytes=100) == b"x" * 100
    with pytest.raises(PageError, match="over the 100 byte cap"):
        read_raw(io.BytesIO(b"x" * 101), "page.txt", max_bytes=100)
    # Compressed data longer than any page of the cap can compress to must expand past it.
    noise = bz2.compress(bytes(range(256)) * 10)
    too_long = gzip.compress(noise * (compressed_cap(1000) // len(noise) + 1), compresslevel=0)
    with pytest.raises(PageError, match="gzip data expands past 1,000 bytes"):
        read_raw(io.BytesIO(too_long), "page.txt.gz", max_bytes=1000)


# --- the command line -----------------------------------------------------------------------

def test_run_reads_html_refuses_each_page_of_another_kind_and_cleans_the_rest(tmp_path: Path) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (pages / "quoting-markup.txt").write_text(
        "Write <p>text</p> to make a paragraph; a < b.\n\n" + ARTICLE, encoding="utf-8")
    (pages / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (pages / "saved-page.txt").write_text(HTML_PAGE, encoding="utf-8")
    (pages / "crawl.warc.gz").write_bytes(gzip.compress(WARC_FILE))
    (pages / "records.jsonl").write_text(JSON_LINES_FILE, encoding="utf-8")
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = CliRunner().invoke(main, ["run", str(pages), str(out), "-j", jobs])
        assert result.exit_code == 1, result.stderr
        assert "Traceback" not in result.stderr
        log = {entry["source"]: entry["error"] for entry in map(
            json.loads, (out / "cleaner-errors.jsonl").read_text(encoding="utf-8").splitlines())}
        assert set(log) == {"records.jsonl"}
        assert log["records.jsonl"].startswith(REFUSALS[JSON_LINES]), log["records.jsonl"]
        assert f"error: records.jsonl: {log['records.jsonl']}" in result.stderr
        # The archive becomes a shard of its records.
        shard = [json.loads(line) for line in
                 gzip.decompress((out / "crawl.warc.jsonl.gz").read_bytes()).decode().splitlines()]
        assert [record["url"] for record in shard] == ["https://news.example/budget"]
        assert "approved the new budget" in shard[0]["text"]
        for stem in ("article", "quoting-markup", "page", "saved-page"):
            text = (out / f"{stem}.txt").read_text(encoding="utf-8")
            assert "approved the new budget" in text and "<p>" not in text.replace("Write <p>", "")
            assert (out / f"{stem}.json").is_file()
        assert not (out / "records.txt").exists()
        assert "1 failed" in result.stderr.strip().splitlines()[-1], result.stderr


def test_clean_reads_html_by_name_and_by_content(tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    runner = CliRunner()
    for args, given in [([str(page)], None), ([str(tmp_path / "saved.txt")], None),
                        (["-"], gzip.compress(HTML_PAGE.encode()))]:
        (tmp_path / "saved.txt").write_text(HTML_PAGE, encoding="utf-8")
        result = runner.invoke(main, ["clean", *args], input=given)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("The city council approved the new budget")
        assert "<" not in result.stdout and "Budget" not in result.stdout  # <title> is not text


def test_the_library_reads_html(rulebook: Rulebook) -> None:
    doc = clean(HTML_PAGE.encode(), rulebook)
    assert doc.text.split("\n\n") == [block.strip() for block in ARTICLE.split("\n\n")]
    # The name says HTML: text without markup is read as markup, which shows it as it is.
    assert "approved the new budget" in clean(ARTICLE.encode(), rulebook, name="page.htm").text
    assert "approved the new budget" in clean(ARTICLE.encode(), rulebook, name="page.txt").text
