"""The HTML reader: a page's markup becomes the page model's lines, one line per block.

The page is parsed with selectolax's Lexbor parser (an HTML5 parser, as forgiving of broken
markup as a browser). Its body is walked once, in document order, and its text is cut into lines
the way a browser lays it out: a block element (paragraph, heading, list item, table cell, div...)
or a ``<br>`` starts a new line, inline pieces join as they show (white space collapsed, nothing
added between adjacent inline elements). What never shows is left out: scripts, styles,
templates, SVG, form controls, and elements the page hides (``hidden``, ``display:none``).

Each line carries what the markup says of its block (`Line.attrs`), for the stages that read
structure (the structural finder, the line scorer, Markdown output, ``html:`` rules):

- ``tag``: the block element the text sits in; ``heading``: its level (1-6), else 0;
- ``list``: ``ul`` or ``ol`` for the innermost list around it, else ``""``; ``list_depth``;
- ``table``: inside a table; ``cell``: (table number, row number, column number) of its cell;
- ``quote``: inside a ``<blockquote>``; ``pre``: inside a ``<pre>`` (its line breaks are kept);
- ``depth``: how deep the block element sits; ``links``: the share of the line's characters that
  are link text; ``hrefs``: the (anchor text, href) pairs of its links;
- ``tokens``: the class and id words of the block and all its ancestors (``post-footer`` gives
  ``post``, ``footer`` and ``post-footer``), and ``tags``: the set of its ancestors' tags (``nav``,
  ``footer``, ``article``...), both lower-cased;
- ``node``: the block element's identity (selectolax's ``mem_id``), and ``ancestors``: those of its
  ancestors, so a CSS selector matched on the tree maps back to the lines it holds.

The walk uses its own stack, not recursion: a hostile page nested a million deep is read, not a
crash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.page import Line
from cleaner.read.decode import repair_line

# Never shown as text. (`head` is not walked at all: only the body is.)
SKIPPED = frozenset({
    "script", "style", "template", "svg", "math", "canvas", "iframe", "object", "embed",
    "audio", "video", "map", "select", "option", "datalist", "textarea", "input", "button", "head",
    "title", "meta", "link", "img", "picture", "source", "track", "dialog",
})
# Elements a browser lays out as blocks: each starts and ends a line.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "frameset",
    "noframes", "search",
})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACES = re.compile(r"\s+")
_TOKEN_SPLIT = re.compile(r"[-_:.\s]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def parse_html(text: str) -> LexborHTMLParser:
    """The page's tree (never raises on broken markup: the parser repairs it as browsers do)."""
    return LexborHTMLParser(text)


def class_tokens(value: str) -> set[str]:
    """The words of a class or id attribute: ``post-footer commentList`` gives ``post-footer``,
    ``post``, ``footer``, ``commentlist``, ``comment`` and ``list``."""
    tokens: set[str] = set()
    for name in value.split():
        tokens.add(name.lower())
        for part in _TOKEN_SPLIT.split(name):
            for word in _CAMEL.split(part):
                if word:
                    tokens.add(word.lower())
    return tokens


@dataclass
class _Context:
    """What holds for everything inside one open element."""

    node: int
    tag: str
    depth: int
    tokens: frozenset[str]
    tags: frozenset[str]
    ancestors: tuple[int, ...]
    heading: int = 0
    list: str = ""
    list_depth: int = 0
    table: bool = False
    cell: tuple[int, int, int] | None = None
    quote: bool = False
    pre: bool = False


@dataclass
class _Builder:
    """The line being gathered, and the lines made so far."""

    lines: list[Line] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    hrefs: list[tuple[str, str]] = field(default_factory=list)
    context: _Context | None = None  # the block the line's first text sat in

    def add(self, text: str, context: _Context, href: str | None) -> None:
        if not text:
            return
        if self.context is None:
            if not text.strip():
                return
            self.context = context
        self.parts.append(text)
        if href is not None:
            self.link_chars += len(text.strip())

    def flush(self) -> None:
        context = self.context
        if context is None:
            self.parts.clear()
            return
        raw = "".join(self.parts)
        self.parts.clear()
        self.context = None
        if context.pre:
            pieces = [piece.rstrip() for piece in raw.strip("\n").split("\n")]
        else:
            pieces = [_SPACES.sub(" ", raw).strip()]
        text_chars = sum(len(piece) for piece in pieces) or 1
        attrs: Mapping[str, object] = {
            "tag": context.tag, "heading": context.heading, "list": context.list,
            "list_depth": context.list_depth, "table": context.table, "cell": context.cell,
            "quote": context.quote, "pre": context.pre, "depth": context.depth,
            "links": min(1.0, self.link_chars / text_chars), "hrefs": tuple(self.hrefs),
            "tokens": context.tokens, "tags": context.tags, "node": context.node,
            "ancestors": context.ancestors,
        }
        self.link_chars = 0
        self.hrefs = []
        for piece in pieces:
            text = repair_line(piece) if not context.pre else piece
            if text.strip():
                self.lines.append(Line(text, len(self.lines), attrs=attrs))


def html_lines(tree: LexborHTMLParser) -> list[Line]:
    """The lines of the page's body (of the whole document when it has no body).

    ``<noscript>`` holds what a browser without scripts shows: usually a line asking to turn
    them on, but on pages built by scripts (forum software, single-page apps) the whole content.
    So it is read only when it says more than the rest of the page."""
    root = tree.body or tree.root
    if root is None:
        return []
    lines = _walk(root, skip=SKIPPED | {"noscript"})
    fallback = sum(len(node.text(deep=True, strip=True)) for node in tree.css("noscript"))
    if fallback > sum(len(line.text) for line in lines):
        lines = _walk(root, skip=SKIPPED)
    return lines


def _walk(root: LexborNode, skip: frozenset[str]) -> list[Line]:
    out = _Builder()
    tables: list[int] = [0]  # tables seen so far (a counter in a list, shared by the walk)
    rows: dict[int, list[int]] = {}  # table context node -> [row number, column number]
    top = _Context(root.mem_id, root.tag or "body", 0, frozenset(), frozenset(), ())
    # The walk's stack: (node, its context, whether its children were pushed already, href).
    stack: list[tuple[LexborNode, _Context, bool, str | None]] = [(root, top, False, None)]
    while stack:
        node, context, entered, href = stack.pop()
        tag = node.tag or ""
        if entered:  # the element closes
            if tag in BLOCKS or tag == "br":
                out.flush()
            continue
        if tag == "-text":
            text = node.text_content or ""
            if not context.pre:
                text = _SPACES.sub(" ", text)
            out.add(text, context, href)
            continue
        if tag in skip or tag.startswith("-") or _hidden(node):
            continue
        if tag == "br":
            if context.pre:
                out.add("\n", context, href)
            else:
                out.flush()
            continue
        inner = _enter(node, tag, context, tables, rows) if node is not root else context
        if tag == "a":
            link = node.attributes.get("href")
            href = link or ""
            label = _SPACES.sub(" ", node.text(deep=True)).strip()
            if label and link:
                out.hrefs.append((label, link))
        if tag in BLOCKS:
            out.flush()
        stack.append((node, context, True, href))
        children = list(node.iter(include_text=True))
        for child in reversed(children):
            stack.append((child, inner, False, href))
    out.flush()
    return out.lines


def _hidden(node: LexborNode) -> bool:
    attributes = node.attributes
    if not attributes:
        return False
    if "hidden" in attributes:
        return True
    style = attributes.get("style")
    return bool(style) and _HIDDEN_STYLE.search(style or "") is not None


def _enter(node: LexborNode, tag: str, context: _Context, tables: list[int],
           rows: dict[int, list[int]]) -> _Context:
    """The context inside ``node``, from its parent's."""
    attributes = node.attributes
    tokens = context.tokens
    names = " ".join(value for key in ("class", "id") if (value := attributes.get(key)))
    if names:
        tokens = tokens | class_tokens(names)
    inner = _Context(
        node.mem_id, tag if tag in BLOCKS else context.tag, context.depth + 1, tokens,
        context.tags | {tag}, (*context.ancestors, context.node), context.heading, context.list,
        context.list_depth, context.table, context.cell, context.quote, context.pre)
    if tag not in BLOCKS:  # an inline element keeps its block's identity
        inner.node = context.node
        inner.ancestors = context.ancestors
        inner.depth = context.depth
    if tag in _HEADINGS:
        inner.heading = _HEADINGS[tag]
    elif tag in ("ul", "ol", "menu", "dir"):
        inner.list = "ol" if tag == "ol" else "ul"
        inner.list_depth = context.list_depth + 1
    elif tag == "table":
        tables[0] += 1
        inner.table = True
        rows[node.mem_id] = [-1, -1, tables[0]]
        inner.cell = (tables[0], -1, -1)
    elif tag == "tr" and context.cell is not None:
        state = _row_state(context, rows)
        if state is not None:
            state[0] += 1
            state[1] = -1
    elif tag in ("td", "th") and context.cell is not None:
        state = _row_state(context, rows)
        if state is not None:
            state[1] += 1
            inner.cell = (state[2], max(state[0], 0), state[1])
    elif tag == "blockquote":
        inner.quote = True
    elif tag == "pre":
        inner.pre = True
    return inner


def _row_state(context: _Context, rows: dict[int, list[int]]) -> list[int] | None:
    """The row and column counters of the table around ``context``: the innermost one."""
    for ancestor in (context.node, *reversed(context.ancestors)):
        if ancestor in rows:
            return rows[ancestor]
    return None
