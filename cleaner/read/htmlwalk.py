"""The walk of the HTML reader (`cleaner.read.html`): a body's tree, once what never shows is
out, becomes the page model's lines, each with what the markup says of its block (`Line.attrs`).

`walk` is the reference, over selectolax's nodes; `compiled_walk` has the compiled core
(`cleaner.core`) read the same lines from the body's serialized markup, the Python side only
making the lines' attributes, and is what runs when the core is there.

The walk uses its own stack, not recursion: a hostile page nested a million deep is read, not a
crash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from itertools import repeat

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner import core
from cleaner.page import Line
from cleaner.read.decode import has_mojibake, repair_line

# Elements a browser lays out as blocks: each starts and ends a line.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "frameset",
    "noframes", "search",
})
# Block elements nested deeper than this share the context of the one at this depth (browsers
# cap nesting too: a real page is seldom deeper than 40).
MAX_DEPTH = 256
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACES = re.compile(r"\s+")
_TOKEN_SPLIT = re.compile(r"[-_:.\s]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACES = re.compile(r"\s+")
_TOKEN_SPLIT = re.compile(r"[-_:.\s]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


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
        _emit(self.lines, context, raw, self.link_chars, tuple(self.hrefs))
        self.link_chars = 0
        self.hrefs = []


def _emit(lines: list[Line], context: _Context, raw: str, link_chars: int,
          hrefs: tuple[tuple[str, str], ...]) -> None:
    """Append the line (or, in ``<pre>``, the lines) that the text gathered in one block makes."""
    if context.pre:
        pieces = [piece.rstrip() for piece in raw.strip("\n").split("\n")]
    else:
        pieces = [_SPACES.sub(" ", raw).strip()]
    text_chars = sum(len(piece) for piece in pieces) or 1
    attrs: Mapping[str, object] = {
        "tag": context.tag, "heading": context.heading, "list": context.list,
        "list_depth": context.list_depth, "table": context.table, "cell": context.cell,
        "quote": context.quote, "pre": context.pre, "depth": context.depth,
        "links": min(1.0, link_chars / text_chars), "hrefs": hrefs,
        "tokens": context.tokens, "tags": context.tags, "node": context.node,
        "ancestors": context.ancestors,
    }
    for piece in pieces:
        text = piece if context.pre or not has_mojibake(piece) else repair_line(piece)
        if text and not text.isspace():
            lines.append(Line(text, len(lines), attrs=attrs))


def _node_tag_ids() -> tuple[int, int]:
    """The tag ids selectolax gives text and comment nodes."""
    body = LexborHTMLParser("<body>.<!---->").body
    assert body is not None
    text, comment = (node.tag_id for node in body.iter(include_text=True))
    return text, comment


_TEXT_ID, _COMMENT_ID = _node_tag_ids()


def compiled_walk(kernel: core.Kernels, root: LexborNode, markup: str, keep_noscript: bool) -> list[Line] | None:
    """`walk`'s lines, walked by the compiled core over ``markup`` (the root as serialized
    before the reader took out what never shows: the core leaves out the same elements, and
    sees the text nodes that the removals leave side by side as apart), the tree's nodes as
    they are now telling it which elements and text nodes remain. None when the core does not
    take the markup (it then falls to `walk`)."""
    nodes = [(node.mem_id, node.tag_id) for node in root.traverse(include_text=True)]
    walked = kernel.html_walk(markup, nodes, _TEXT_ID, _COMMENT_ID, keep_noscript, root.tag or "body",
                              MAX_DEPTH)
    if walked is None:
        return None
    rows, gathered = walked
    made: list[_Inherited | None] = [None] * len(rows)
    unions: dict[tuple[frozenset[str], str], frozenset[str]] = {}
    bases: list[dict[str, object] | None] = [None] * len(rows)
    lines: list[Line] = []
    for index, pieces, text_chars, link_chars, hrefs in gathered:
        base = bases[index]
        row = _row(rows, index)
        if base is None:
            parent, node, tag, _, _, (heading, list_, list_depth, table, cell, quote, pre, depth) = row
            tokens, tags, _ = _inherited(index, rows, made, unions)
            outer = made[parent] if parent >= 0 else None
            base = bases[index] = {  # (the keys in `_emit`'s order)
                "tag": tag, "heading": heading, "list": list_, "list_depth": list_depth, "table": table,
                "cell": cell, "quote": quote, "pre": pre, "depth": depth, "links": 0.0, "hrefs": (),
                "tokens": tokens, "tags": tags, "node": node, "ancestors": outer[2] if outer else (),
            }
        attrs = base.copy()
        attrs["links"] = min(1.0, link_chars / text_chars)
        attrs["hrefs"] = tuple(hrefs)
        pre = row[5][6]
        for piece in pieces:
            text = piece if pre or not has_mojibake(piece) else repair_line(piece)
            if text and not text.isspace():
                lines.append(Line(text, len(lines), attrs=attrs))
    return lines


# What a block passes to the blocks inside it: its tokens, its tags (as `_Context` has them) and
# its path, its ancestors' nodes and its own.
_Inherited = tuple[frozenset[str], frozenset[str], tuple[int, ...]]


def _inherited(index: int, rows: list[core.ContextRow | None], made: list[_Inherited | None],
               unions: dict[tuple[frozenset[str], str], frozenset[str]]) -> _Inherited:
    """What the compiled walk's block ``index`` inherits and passes on, made (with that of its
    outer blocks it needs) the first time a line asks for it. ``unions``: the tokens blocks
    with the same class and id names get inside the same tokens (list items, table cells...),
    made once. (The rows of a line's block and of its outer ones are never None.)"""
    found = made[index]
    if found is not None:
        return found
    chain = [index]  # the rows up to the nearest made one (or the top), innermost first
    while (parent := _row(rows, chain[-1])[0]) >= 0 and made[parent] is None:
        chain.append(parent)
    for at in reversed(chain):
        parent, node, tag, names, own, _ = _row(rows, at)
        outer = made[parent] if parent >= 0 else None
        if outer is None:
            found = (frozenset(), frozenset(), (node,))
        else:
            tokens, tags, path = outer
            if names:
                inner = unions.get((tokens, names))
                if inner is None:
                    # (the core's tokens come joined by spaces, which no token holds)
                    words = class_tokens(names) if own is None else own.split(" ") if own else ()
                    inner = unions[tokens, names] = tokens.union(words)
                tokens = inner
            found = (tokens, _with_tag(tags, tag), (*path, node))
        made[at] = found
    assert found is not None
    return found


def _row(rows: list[core.ContextRow | None], index: int) -> core.ContextRow:
    """The compiled walk's row ``index``: a line's block, or one of its outer blocks, which
    always have one (the walk leaves the other rows None)."""
    row = rows[index]
    assert row is not None
    return row


def walk(root: LexborNode) -> list[Line]:
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
