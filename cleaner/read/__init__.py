"""Reading a page: raw bytes and a name in, the page's text and its lines out.

`read_input` is the one way in. It undoes the compression once (`compression.read_page`, with
the size cap), tells the input's kind by name and by content (`kinds`), and hands the page to
that kind's reader from `READERS` (text: `text.text_lines`; HTML: `html.html_lines`, over the
tree the page is parsed into once). Kinds that are recognised but have no reader yet (WARC/WET,
JSON Lines) are refused with a reason that says what to do, so they are never cleaned
as if they were scraped text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleaner.errors import PageError
from cleaner.page import Line
from cleaner.read.compression import DEFAULT_MAX_BYTES, read_page, sniff_compression
from cleaner.read.decode import decode
from cleaner.read.kinds import HTML, JSON_LINES, TEXT, WARC, kind_by_bytes, kind_by_name, kind_by_text
from cleaner.read.text import text_lines

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

Reader = Callable[[str], list[Line]]


def _html_reader(text: str) -> list[Line]:
    # The HTML reader and its parser load on the first HTML page: a text-only run (or one
    # `cleaner clean` of a text page) does without them.
    from cleaner.read.html import html_lines, parse_html

    return html_lines(parse_html(text))


# kind -> the reader that makes the page model's lines from the page's decoded text.
READERS: dict[str, Reader] = {
    TEXT: text_lines,
    HTML: _html_reader,
}

# Kinds told apart but not read yet: what they are called, and what to do instead.
NOT_YET_READ: dict[str, tuple[str, str, str]] = {
    # kind: (its name, what is wrong, the fix)
    WARC: ("WARC/WET", "a WARC/WET archive holds many pages, not one",
           "clean archives with `cleaner run ARCHIVE OUTPUT` (one JSON Lines shard per archive), "
           "or give each record's payload to cleaner.crawl.clean_record"),
    JSON_LINES: ("JSON Lines", "JSON Lines input is not supported yet",
                 "write each record's text field into a file of its own (jq -r .text or "
                 "similar) and clean those"),
}


@dataclass(frozen=True)
class PageInput:
    """A page as read: its kind, its decoded text (for HTML: the markup), the encoding it was
    decoded from, and for HTML the parsed tree."""

    kind: str
    text: str
    encoding: str
    tree: LexborHTMLParser | None = None

    def lines(self) -> list[Line]:
        """The page model's lines, by this kind's reader."""
        if self.tree is not None:
            from cleaner.read.html import html_lines

            return html_lines(self.tree)
        return READERS[self.kind](self.text)


def read_input(data: bytes, name: str = "", max_bytes: int | None = DEFAULT_MAX_BYTES,
               charset: str | None = None) -> PageInput:
    """Read one page's raw bytes (as in the file: gzip/bzip2/xz are undone here, once).

    ``name`` is the file's name, compression suffix included; it may be empty (stdin, bytes from
    elsewhere), then the kind is told by content alone. ``max_bytes`` is the cap of
    `compression.read_page`. ``charset`` is the one the page came with, if any (an archived
    response's HTTP ``Content-Type``; `decode.decode` says how far it is trusted). Raises
    PageError for a page that cannot be read, and for a kind that has no reader yet.
    """
    page = read_page(data, name, max_bytes)
    inner = sniff_compression(page[:16])
    if inner is not None:
        raise PageError(f"the page is {inner}-compressed inside its compression (compressed "
                        "twice?); decompress it once and clean what comes out")
    # What the name or the bytes say comes first (a WARC's binary records would not decode).
    found = kind_by_name(name) or kind_by_bytes(page)
    if found is not None:
        _refuse_unread(*found)
    decoded = decode(page, charset)
    if found is None:
        found = kind_by_text(decoded.text)
        if found is not None:
            _refuse_unread(*found)
    if decoded.text.strip() and not any(_visible(c) for c in decoded.text):
        raise PageError("empty page (only invisible characters: spaces, zero-width or "
                        "control characters)")
    kind = found[0] if found else TEXT
    tree = None
    if kind == HTML:
        from cleaner.read.html import parse_html

        tree = parse_html(decoded.text)
    return PageInput(kind, decoded.text, decoded.encoding, tree)


def _visible(char: str) -> bool:
    """A character that shows: not a space, a format character (zero-width space, soft
    hyphen, BOM) or a control character."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _refuse_unread(kind: str, why: str) -> None:
    if kind in READERS:
        return
    what, problem, fix = NOT_YET_READ[kind]
    raise PageError(f"{problem}; {fix} (the file is taken for {what} because {why})")
