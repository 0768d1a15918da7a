"""The clean text as Markdown: the kept lines' structure, as the reader gave it in their attrs
(headings, lists, tables, quotes, preformatted text, links), written back as Markdown.

Text input has no structure, so its Markdown is its paragraphs, escaped only where a character
would otherwise change how they render (`cleaner.write.escape`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from cleaner.write.escape import block_text, cell_text, heading_text, inline

if TYPE_CHECKING:
    from cleaner.document import Document
    from cleaner.page import Page

Attrs = Mapping[str, object] | None
# Link targets that run code when followed: never written out as links.
_UNSAFE_SCHEMES = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# Characters that would end or break a link destination, percent-encoded.
_DESTINATION = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E",
                              "\\": "%5C"})


def kept_blocks(page: Page) -> list[tuple[str, Attrs]]:
    """The lines still in the text, with what the reader knew of their blocks: what
    `Document.blocks` holds once a page is cleaned, in the order of the text."""
    return [(line.text, line.attrs) for line in page.lines if line.alive]


def document_markdown(doc: Document, *, links: bool = False) -> str:
    """A cleaned page's text as Markdown; links (``links``) are made absolute against its URL.
    A Document made without its blocks (by hand) gives its text's paragraphs."""
    blocks = doc.blocks or [(part, None) for part in doc.text.split("\n\n") if part]
    return to_markdown(blocks, links=links, base=doc.url)


@dataclass(frozen=True, slots=True)
class _Block:
    """One kept line and the attrs Markdown needs, read defensively (a reader may leave any out)."""

    text: str
    heading: int = 0
    list_kind: str = ""
    list_depth: int = 0
    cell: tuple[int, int, int] | None = None
    quote: bool = False
    pre: bool = False
    node: int | None = None
    hrefs: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, text: str, attrs: Attrs) -> _Block:
        if not attrs:
            return cls(text)
        heading, depth = _int(attrs.get("heading")) or 0, _int(attrs.get("list_depth")) or 0
        kind = attrs.get("list")
        return cls(
            text,
            heading=min(max(heading, 0), 6),
            list_kind=kind if isinstance(kind, str) else "",
            list_depth=depth,
            cell=_cell(attrs.get("cell")),
            quote=attrs.get("quote") is True,
            pre=attrs.get("pre") is True,
            node=_int(attrs.get("node")),
            hrefs=tuple(_pairs(attrs.get("hrefs"))),
        )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _cell(value: object) -> tuple[int, int, int] | None:
    if isinstance(value, (tuple, list)) and len(value) == 3:
        table, row, col = (_int(v) for v in value)
        if table is not None and row is not None and col is not None:
            return table, row, col
    return None


def _pairs(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, (tuple, list)):
        return []
    return [(p[0], p[1]) for p in value
            if isinstance(p, (tuple, list)) and len(p) == 2
            and isinstance(p[0], str) and isinstance(p[1], str)]


@dataclass
class _Chunk:
    """Markdown lines that make one block of the output; blocks are parted by a blank line."""

    lines: list[str]
    quote: bool = False


def to_markdown(lines: Sequence[tuple[str, Attrs]], *, links: bool,
                base: str | None = None) -> str:
    """The kept ``lines`` (text, attrs) as Markdown. With ``links``, the anchors the reader
    listed in a line's ``hrefs`` become ``[text](href)``, made absolute against ``base`` (the
    page's URL) when it is given; ``javascript:``, ``data:`` and empty targets stay text."""
    blocks = [_Block.of(text, attrs) for text, attrs in lines]
    out: list[str] = []
    previous: _Chunk | None = None
    for chunk in _chunks(blocks, _Links(links, base)):
        if previous is not None:
            # Two quoted blocks in a row stay one quote: the blank line between them is quoted.
            out.append(">" if previous.quote and chunk.quote else "")
        out.extend((f"> {line}" if line else ">") if chunk.quote else line for line in chunk.lines)
        previous = chunk
    return "\n".join(out)


@dataclass(frozen=True)
class _Links:
    on: bool
    base: str | None

    def target(self, href: str) -> str | None:
        """The link's destination as Markdown writes it, or None when it must stay text."""
        # Browsers ignore tabs and newlines inside a scheme: "java\tscript:" is javascript:.
        squeezed = _CONTROL.sub("", href)
        if not squeezed or squeezed == "#" or _UNSAFE_SCHEMES.match(squeezed):
            return None
        href = href.strip()
        if self.base:
            try:
                href = urljoin(self.base, href)
            except ValueError:  # a malformed URL (an unclosed IPv6 bracket): no link
                return None
        return href.translate(_DESTINATION)

    def inline(self, block: _Block) -> str:
        """The block's text escaped, its anchors (in ``hrefs`` order, each found after the
        previous one) written as links."""
        text = block.text
        spans: list[tuple[int, int, str]] = []
        if self.on:
            cursor = 0
            for anchor, href in block.hrefs:
                anchor = " ".join(anchor.split())
                target = self.target(href)
                at = text.find(anchor, cursor) if anchor and target else -1
                if at >= 0 and target:
                    spans.append((at, at + len(anchor), target))
                    cursor = at + len(anchor)
        pieces: list[str] = []
        pos = 0
        ticks = text.count("`") >= 2
        for start, end, target in spans:
            pieces.append(inline(text[pos:start], before=")" if pos else " ", after="[", ticks=ticks))
            label = inline(text[start:end], before="[", after="]", brackets=True, ticks=ticks)
            pieces.append(f"[{label}]({target})")
            pos = end
        pieces.append(inline(text[pos:], before=")" if pos else " ", ticks=ticks))
        return "".join(pieces)


def _chunks(blocks: Sequence[_Block], links: _Links) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    i, n = 0, len(blocks)
    while i < n:
        block = blocks[i]
        j = i + 1
        if block.pre:
            while j < n and blocks[j].pre and blocks[j].quote == block.quote:
                j += 1
            chunks.append(_Chunk(_fence(blocks[i:j]), block.quote))
        elif block.cell is not None:
            while j < n and blocks[j].cell is not None and not blocks[j].pre:
                j += 1
            chunks += _tables(blocks[i:j], links)
        elif block.list_kind:
            while (j < n and blocks[j].list_kind and blocks[j].quote == block.quote
                   and blocks[j].cell is None and not blocks[j].pre):
                j += 1
            chunks.append(_Chunk(_list(blocks[i:j], links), block.quote))
        elif block.heading:
            text = heading_text(links.inline(block))
            chunks.append(_Chunk([f"{'#' * block.heading} {text}".rstrip()], block.quote))
        else:
            chunks.append(_Chunk(block_text(links.inline(block)).split("\n"), block.quote))
        i = j
    return chunks


def _fence(blocks: Sequence[_Block]) -> list[str]:
    """Preformatted blocks in one fence, as they are: no escaping inside. The lines of one
    block (the same node: the HTML reader makes a line of each of a ``<pre>``'s lines) follow
    each other; separate blocks are set apart by a blank line."""
    body = blocks[0].text
    for prev, block in itertools.pairwise(blocks):
        same = block.node is not None and block.node == prev.node
        body += ("\n" if same else "\n\n") + block.text
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, *body.split("\n"), fence]


def _list(blocks: Sequence[_Block], links: _Links) -> list[str]:
    """List items, nested by ``list_depth`` (relative to the shallowest item kept, so a list
    whose outer level the finder dropped does not start indented into a code block); each
    level is indented by the width of its parent's marker, and ordered items are numbered."""
    base = min(max(b.list_depth, 1) for b in blocks)
    widths: list[int] = []  # per open level: the width of its last marker and the space after
    numbers: list[int] = []
    out: list[str] = []
    for block in blocks:
        level = max(block.list_depth, 1) - base + 1
        del widths[level:], numbers[level:]
        while len(widths) < level:
            widths.append(2)
            numbers.append(0)
        if block.list_kind == "ol":
            numbers[level - 1] += 1
            marker = f"{numbers[level - 1]}."
        else:
            numbers[level - 1] = 0
            marker = "-"
        indent = " " * sum(widths[: level - 1])
        widths[level - 1] = len(marker) + 1
        first, *rest = block_text(links.inline(block)).split("\n")
        out.append(f"{indent}{marker} {first}".rstrip())
        out += [f"{indent}{' ' * widths[level - 1]}{line}" if line else "" for line in rest]
    return out


def _tables(blocks: Sequence[_Block], links: _Links) -> list[_Chunk]:
    """Consecutive table lines: each data table as a Markdown table, where its first line was;
    a layout table (one row or one column, or cells holding headings, lists or code) as the
    blocks it holds, in place, since a page laid out in a table is not tabular data."""
    tables: dict[int, list[_Block]] = {}
    for block in blocks:
        assert block.cell is not None
        tables.setdefault(block.cell[0], []).append(block)
    data = {number for number, members in tables.items() if _tabular(members)}
    chunks: list[_Chunk] = []
    layout: list[_Block] = []
    for block in blocks:
        assert block.cell is not None
        number = block.cell[0]
        if number not in data:
            layout.append(replace(block, cell=None))
            continue
        if layout:
            chunks += _chunks(layout, links)
            layout = []
        if number in tables:
            chunks.append(_Chunk(_table(tables.pop(number), links), block.quote))
    if layout:
        chunks += _chunks(layout, links)
    return chunks


def _tabular(blocks: Sequence[_Block]) -> bool:
    rows = {b.cell[1] for b in blocks if b.cell}
    cols = {b.cell[2] for b in blocks if b.cell}
    return (len(rows) >= 2 and len(cols) >= 2
            and not any(b.heading or b.list_kind or b.pre for b in blocks))


def _table(blocks: Sequence[_Block], links: _Links) -> list[str]:
    """The first row is the header; a row short of cells is padded with empty ones; the lines
    of one cell are joined by a space."""
    cells: dict[tuple[int, int], list[str]] = {}
    for block in blocks:
        assert block.cell is not None
        cells.setdefault((block.cell[1], block.cell[2]), []).append(cell_text(links.inline(block)))
    rows = sorted({row for row, _ in cells})
    cols = sorted({col for _, col in cells})

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(values) + " |"

    table = [[" ".join(cells.get((row, col), [])) for col in cols] for row in rows]
    return [line(table[0]), line(["---"] * len(cols)), *(line(r) for r in table[1:])]


__all__ = ["document_markdown", "kept_blocks", "to_markdown"]
