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
from functools import lru_cache
from itertools import repeat

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.errors import PageError
from cleaner.page import Line
from cleaner.read.decode import has_mojibake, repair_line

# Never shown as text. (`head` is not walked at all: only the body is.)
SKIPPED = frozenset({
    "script", "style", "template", "svg", "math", "canvas", "iframe", "object", "embed",
    "audio", "video", "map", "select", "option", "datalist", "textarea", "input", "button", "head",
    "title", "meta", "link", "img", "picture", "source", "track", "dialog",
})  # (and `noscript`, but for pages whose content is there: see `html_lines`)
# Elements a browser lays out as blocks: each starts and ends a line.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "frameset",
    "noframes", "search",
})
MAX_NESTING = 5000  # deepest markup read (see `parse_html`)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
# Block elements nested deeper than this share the context of the one at this depth (browsers
# cap nesting too: a real page is seldom deeper than 40).
MAX_DEPTH = 256
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACES = re.compile(r"\s+")
_TOKEN_SPLIT = re.compile(r"[-_:.\s]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Elements the page hides, found by the parser's selector engine.
_HIDDEN = ('[hidden], [style*="display:none" i], [style*="display: none" i], '
           '[style*="visibility:hidden" i], [style*="visibility: hidden" i]')


# React's streamed rendering (Next.js and others) sends the page's shell first, with an empty
# ``<template id="B:0">`` (or ``P:0``) where a part is still loading, and that part later, in a
# ``<div hidden id="S:0">`` that a script (``$RC("B:0","S:0")``, ``$RS("S:0","P:0")``) moves into
# the template's place. The article is often all in such parts: read as written, hidden, the page
# is its shell alone.
_STREAMED = 'div[hidden][id^="S:"]'
_SWAP = re.compile(r"""\$R[CS]\(\s*["']([BPS]:[0-9a-zA-Z]+)["']\s*,\s*["']([BPS]:[0-9a-zA-Z]+)["']\s*\)""")


def parse_html(text: str) -> LexborHTMLParser:
    """The page's tree. Broken markup is repaired as browsers do; markup nested deeper than
    `MAX_NESTING` is refused (PageError) before it is parsed, since parsing it takes time that
    grows with the square of the depth (20,000 levels: seconds; a million: hours)."""
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise PageError(f"the HTML nests elements {depth:,} deep, over the {MAX_NESTING:,} this "
                        "reader takes (real pages nest a few dozen); it is not a page to clean")
    return LexborHTMLParser(text)


def nesting_depth(text: str) -> int:
    """How deep the markup's elements nest at most, counted from the tags as written (void
    elements and self-closed tags open nothing); an upper bound of what the parser builds."""
    if text.count("<") <= MAX_NESTING:  # nearly every page: too few tags to nest that deep
        return 0
    depth = deepest = 0
    for closing, name, selfclosed in _TAG.findall(text):
        if closing:
            depth = max(0, depth - 1)
        elif not selfclosed and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


@lru_cache(maxsize=16384)
def class_tokens(value: str) -> frozenset[str]:
    """The words of a class or id attribute: ``post-footer commentList`` gives ``post-footer``,
    ``post``, ``footer``, ``commentlist``, ``comment`` and ``list``."""
    tokens: set[str] = set()
    for name in value.split():
        tokens.add(name.lower())
        for part in _TOKEN_SPLIT.split(name):
            for word in _CAMEL.split(part):
                if word:
                    tokens.add(word.lower())
    return frozenset(tokens)


class _Context:
    """What holds for everything inside one open block element (inline elements share their
    block's context; an anchor gets a copy that carries its href)."""

    __slots__ = ("ancestors", "cell", "depth", "heading", "href", "list", "list_depth", "node", "pre",
                 "quote", "table", "tag", "tags", "tokens")

    def __init__(self, node: int, tag: str, depth: int, tokens: frozenset[str], tags: frozenset[str],
                 ancestors: tuple[int, ...]) -> None:
        self.node = node
        self.tag = tag
        self.depth = depth
        self.tokens = tokens
        self.tags = tags
        self.ancestors = ancestors
        self.heading = 0
        self.list = ""
        self.list_depth = 0
        self.table = False
        self.cell: tuple[int, int, int] | None = None
        self.quote = False
        self.pre = False
        self.href: str | None = None

    def inner(self, node: int, tag: str, tokens: frozenset[str]) -> _Context:
        """The context of a block element opened inside this one."""
        inner = _Context(node, tag, self.depth + 1, tokens, _with_tag(self.tags, tag),
                         (*self.ancestors, self.node))
        inner.heading, inner.list, inner.list_depth = self.heading, self.list, self.list_depth
        inner.table, inner.cell, inner.quote, inner.pre = self.table, self.cell, self.quote, self.pre
        return inner

    def anchor(self, href: str) -> _Context:
        """This context for the text of a link."""
        copy = _Context(self.node, self.tag, self.depth, self.tokens, self.tags, self.ancestors)
        copy.heading, copy.list, copy.list_depth = self.heading, self.list, self.list_depth
        copy.table, copy.cell, copy.quote, copy.pre = self.table, self.cell, self.quote, self.pre
        copy.href = href
        return copy


# The ancestors' tags a line remembers: the ones that say what part of a page it is in.
REMEMBERED_TAGS = frozenset({
    "article", "main", "nav", "header", "footer", "aside", "form", "figure", "figcaption", "li",
    "table", "blockquote", "pre", "section", "dl", "address", "details", "menu",
})


@lru_cache(maxsize=4096)
def _with_tag(tags: frozenset[str], tag: str) -> frozenset[str]:
    return tags | {tag} if tag in REMEMBERED_TAGS and tag not in tags else tags


@lru_cache(maxsize=16384)
def _with_tokens(tokens: frozenset[str], names: str) -> frozenset[str]:
    return tokens | class_tokens(names)


class _Builder:
    """The line being gathered, and the lines made so far."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.hrefs: list[tuple[str, str]] = []
        self.context: _Context | None = None  # the block the line's first text sat in

    def add(self, text: str, context: _Context) -> None:
        if self.context is None:
            if text.isspace():
                return
            self.context = context
        self.parts.append(text)
        if context.href is not None:
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
            text = piece if context.pre or not has_mojibake(piece) else repair_line(piece)
            if text and not text.isspace():
                self.lines.append(Line(text, len(self.lines), attrs=attrs))


def html_lines(tree: LexborHTMLParser) -> list[Line]:
    """The lines of the page's body (of the whole document when it has no body).

    What never shows is taken out of the tree first (scripts, styles, hidden elements...), by
    the parser. ``<noscript>`` holds what a browser without scripts shows: usually a line asking
    to turn them on, but on pages built by scripts (forum software, single-page apps) the whole
    content. So it is read only when it says more than the rest of the page."""
    root = tree.body or tree.root
    if root is None:
        return []
    # Only the body is changed: the head keeps what the metadata search may still read.
    reveal_streamed(root)
    root.strip_tags(list(SKIPPED))
    for node in root.css(_HIDDEN):
        node.decompose()
    fallback = sum(len(node.text(deep=True, strip=True)) for node in root.css("noscript"))
    # The whole body's text is measured only for a page that has something in <noscript>.
    if not fallback or fallback <= len(root.text(deep=True, strip=True)) - fallback:
        root.strip_tags(["noscript"])
    return _walk(root)


def reveal_streamed(root: LexborNode) -> None:
    """Put each part of a React-streamed page (`_STREAMED`) where its script would, in place
    of its template and the loading placeholder after it, shown; a part whose template is not
    found is shown where it is."""
    segments = root.css(_STREAMED)
    if not segments:
        return
    slots: dict[str, str] = {}  # part's id -> its template's, as the page's scripts pair them
    for script in root.css("script"):
        for first, second in _SWAP.findall(script.text() or ""):
            part, slot = (second, first) if first[0] != "S" else (first, second)
            slots.setdefault(part, slot)
    for segment in segments:
        part = segment.attributes.get("id") or ""
        del segment.attrs["hidden"]
        for slot_id in dict.fromkeys((slots.get(part), f"B{part[1:]}", f"P{part[1:]}")):
            slot = root.css_first(f'template[id="{slot_id}"]') if slot_id else None
            if slot is not None:
                _drop_placeholder(slot)
                slot.replace_with(segment, move=True)
                break


def _drop_placeholder(slot: LexborNode) -> None:
    """Remove what a streamed part's template shows while the part loads: the nodes after it,
    up to the comment that closes the boundary its opening comment (``<!--$?-->``) began."""
    before = slot.prev
    if before is None or not before.is_comment_node or before.comment_content != "$?":
        return
    depth = 0
    node = slot.next
    while node is not None:
        following = node.next
        if node.is_comment_node:
            mark = node.comment_content
            if mark == "/$":
                if depth == 0:
                    return
                depth -= 1
            elif mark in ("$", "$?", "$!"):
                depth += 1
        node.decompose()
        node = following


def _walk(root: LexborNode) -> list[Line]:
    out = _Builder()
    tables = _Tables()
    top = _Context(root.mem_id, root.tag or "body", 0, frozenset(), frozenset(), ())
    # The walk's stack: a node to enter with its context, or (None, context) where a block ends;
    # an anchor's end is (None, None) with its start in `anchors`.
    stack: list[tuple[LexborNode | None, _Context | None]] = [
        (child, top) for child in reversed(list(root.iter(include_text=True)))]
    anchors: list[tuple[int, str]] = []  # (where the anchor's text starts in out.parts, href)
    while stack:
        node, context = stack.pop()
        if node is None:
            if context is None:  # an anchor closes
                start, href = anchors.pop()
                label = _SPACES.sub(" ", "".join(out.parts[start:])).strip()
                if label and href:
                    out.hrefs.append((label, href))
            else:
                out.flush()
            continue
        tag = node.tag
        assert context is not None
        if tag == "-text":
            text = node.text_content
            if text:
                out.add(text, context)  # (white space is collapsed once, for the whole line)
            continue
        if tag is None or tag.startswith("-"):  # comments, doctype
            continue
        if tag == "br":
            if context.pre:
                out.add("\n", context)
            else:
                out.flush()
            continue
        if tag in BLOCKS and context.depth >= MAX_DEPTH:
            # Deeper blocks still start and end lines, but share the context of the block at the
            # cap: a hostile page nested a million deep costs time in proportion to its size.
            out.flush()
            inner = context
            stack.append((None, context))
        elif tag in BLOCKS:
            out.flush()
            attributes = node.attrs
            names = " ".join(filter(None, (attributes.get("class"), attributes.get("id"))))
            tokens = _with_tokens(context.tokens, names) if names else context.tokens
            inner = context.inner(node.mem_id, tag, tokens)
            _structure(inner, tag, context, node.mem_id, tables)
            stack.append((None, inner))
        elif tag == "a":
            href = node.attrs.get("href") or ""
            inner = context.anchor(href)
            anchors.append((len(out.parts), href))
            stack.append((None, None))
        else:
            inner = context
        children = list(node.iter(include_text=True))
        children.reverse()
        stack.extend(zip(children, repeat(inner)))
    out.flush()
    return out.lines


class _Tables:
    """Table, row and column counters: a cell's place, for tables rebuilt in Markdown."""

    def __init__(self) -> None:
        self.count = 0
        self.state: dict[int, list[int]] = {}  # table element -> [row, column, table number]


def _structure(inner: _Context, tag: str, outer: _Context, node: int, tables: _Tables) -> None:
    """What a block element says of the lines inside it: heading, list, table, quote, pre."""
    if tag in _HEADINGS:
        inner.heading = _HEADINGS[tag]
    elif tag in ("ul", "ol", "menu", "dir"):
        inner.list = "ol" if tag == "ol" else "ul"
        inner.list_depth = outer.list_depth + 1
    elif tag == "table":
        tables.count += 1
        inner.table = True
        tables.state[node] = [-1, -1, tables.count]
        inner.cell = (tables.count, -1, -1)
    elif tag == "tr" and outer.cell is not None:
        state = _row_state(outer, tables.state)
        if state is not None:
            state[0] += 1
            state[1] = -1
    elif tag in ("td", "th") and outer.cell is not None:
        state = _row_state(outer, tables.state)
        if state is not None:
            state[1] += 1
            inner.cell = (state[2], max(state[0], 0), state[1])
    elif tag == "blockquote":
        inner.quote = True
    elif tag == "pre":
        inner.pre = True


def _row_state(context: _Context, rows: dict[int, list[int]]) -> list[int] | None:
    """The row and column counters of the table around ``context``: the innermost one."""
    for ancestor in (context.node, *reversed(context.ancestors)):
        if ancestor in rows:
            return rows[ancestor]
    return None
