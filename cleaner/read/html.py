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

The walk itself is `cleaner.read.htmlwalk`'s.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner import core
from cleaner.errors import PageError
from cleaner.page import Line
from cleaner.read.htmlwalk import compiled_walk, walk

# Never shown as text. (`head` is not walked at all: only the body is.)
SKIPPED = frozenset({
    "script", "style", "template", "svg", "math", "canvas", "iframe", "object", "embed",
    "audio", "video", "map", "select", "option", "datalist", "textarea", "input", "button", "head",
    "title", "meta", "link", "img", "picture", "source", "track", "dialog",
})  # (and `noscript`, but for pages whose content is there: see `html_lines`)
MAX_NESTING = 5000  # deepest markup read (see `parse_html`)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
# Elements the page hides, found by the parser's selector engine.
_HIDDEN = ('[hidden], [style*="display:none" i], [style*="display: none" i], '
           '[style*="visibility:hidden" i], [style*="visibility: hidden" i]')
_NEVER_SHOWN = f"{', '.join(sorted(SKIPPED))}, {_HIDDEN}"


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
    if text.count("<") <= MAX_NESTING:  # too few tags to nest that deep
        return 0
    kernel = core.KERNEL
    if kernel is not None:
        return kernel.nesting_depth(text.encode("utf-8", "surrogatepass"))
    return tag_depth(text)


def tag_depth(text: str) -> int:
    """`nesting_depth` counted in Python, however few the tags (the compiled core's reference)."""
    depth = deepest = 0
    for closing, name, selfclosed in _TAG.findall(text):
        if closing:
            depth = max(0, depth - 1)
        elif not selfclosed and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


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
    streamed = reveal_streamed(root)
    kernel = core.KERNEL
    # The compiled walk reads the markup as it is before anything is taken out, where text
    # nodes that the removals leave side by side are still apart (see `compiled_walk`).
    markup = root.html if kernel is not None and not streamed else None
    # One query for all that never shows: each query walks the whole body (`strip_tags` makes
    # one a tag). Detaching an element keeps its subtree with it, so one inside another that is
    # out already changes nothing that is walked; but a hidden root itself (the query sees it
    # too) stays the root, so it loses its children instead.
    top = root.mem_id
    for node in root.css(_NEVER_SHOWN):
        node.decompose(recursive=node.mem_id == top)
    fallback = sum(len(node.text(deep=True, strip=True)) for node in root.css("noscript"))
    # The whole body's text is measured only for a page that has something in <noscript>.
    keep_noscript = True
    if not fallback or fallback <= len(root.text(deep=True, strip=True)) - fallback:
        root.strip_tags(["noscript"])
        keep_noscript = False
    if kernel is not None and markup is not None:
        lines = compiled_walk(kernel, root, markup, keep_noscript)
        if lines is not None:
            return lines
    return walk(root)


def reveal_streamed(root: LexborNode) -> bool:
    """Put each part of a React-streamed page (`_STREAMED`) where its script would, in place
    of its template and the loading placeholder after it, shown; a part whose template is not
    found is shown where it is. Whether the page had such parts."""
    segments = root.css(_STREAMED)
    if not segments:
        return False
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
    return True


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


