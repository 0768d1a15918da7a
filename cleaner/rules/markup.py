"""The ``html:`` part of a rule set: CSS selectors that say, for HTML input, where the article is
(``content``) and what to drop (``drop``), applied to the page's tree before any text rule runs.

A selector is matched on the tree the HTML reader parsed; the lines it removes are the lines whose
block sits inside a matched element (each line knows its block and its block's ancestors, see
`cleaner.read.html`). Every removal goes through `Page.remove`, named ``SET/html.content`` or
``SET/html.drop``, so ``cleaner explain`` shows which part of which set took a line. Text input
has no tree: the part does nothing there, and the set's text rules still run on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cleaner.page import RULES, Page

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class HtmlPart:
    """One rule set's ``html:`` part, compiled (selectors checked)."""

    content: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    examples: tuple[dict[str, Any], ...] = field(default=(), compare=False)


def selector_problem(selector: str) -> str | None:
    """Why ``selector`` is not a CSS selector the parser can match, or None when it is one."""
    # The parser loads when a rule file has an html: part, not for every run.
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    try:
        LexborHTMLParser("<p></p>").css(selector)
    except (SelectolaxError, ValueError) as exc:
        return f"not a CSS selector selectolax can read: {selector!r} ({exc})"
    return None


def compile_part(raw: dict[str, Any]) -> tuple[HtmlPart, list[tuple[str, list[Any]]]]:
    """The part from the rule file's (schema-checked) mapping, and its problems as (message,
    path inside ``html``) pairs."""
    content = raw.get("content", ())
    contents = (content,) if isinstance(content, str) else tuple(content)
    problems: list[tuple[str, list[Any]]] = []
    for key, selectors in (("content", contents), ("drop", tuple(raw.get("drop", ())))):
        for i, selector in enumerate(selectors):
            problem = selector_problem(selector)
            if problem:
                where: list[Any] = [key] if isinstance(content, str) and key == "content" else [key, i]
                problems.append((f"html.{key}: {problem}", where))
    return HtmlPart(contents, tuple(raw.get("drop", ())), tuple(raw.get("examples", ()))), problems


def run_part(page: Page, set_name: str, part: HtmlPart, tree: LexborHTMLParser) -> None:
    """Apply one set's part to a page read from HTML (its lines carry ``node`` and ``ancestors``)."""
    for selector in part.content:
        inside = _element_ids(tree.css(selector))
        if inside:
            for i, line in page.live():
                if not _within(line.attrs, inside):
                    page.remove(i, f"{set_name}/html.content", "keep_only", stage=RULES)
            break
    if not part.drop:
        return
    matched = [node for selector in part.drop for node in tree.css(selector)]
    dropped = _element_ids(matched)
    if not dropped:
        return
    by = f"{set_name}/html.drop"
    blocks: dict[int, list[int]] = {}  # block element -> its live lines
    for i, line in page.live():
        if _within(line.attrs, dropped):
            page.remove(i, by, "drop", stage=RULES)
        elif line.attrs:
            blocks.setdefault(line.attrs.get("node"), []).append(i)  # type: ignore[arg-type]
    # An inline element (a share link, a badge inside a heading) is part of its block's line: its
    # text comes out of that line.
    for node in matched:
        if node.mem_id in blocks:
            continue
        words = _SPACES.sub(" ", node.text(deep=True)).strip()
        parent = node.parent
        while parent is not None and parent.mem_id not in blocks:
            parent = parent.parent
        if not words or parent is None:
            continue
        for i in blocks[parent.mem_id]:
            text = page.lines[i].text
            if page.lines[i].alive and words in text:
                rest = _SPACES.sub(" ", text.replace(words, " ", 1)).strip()
                if rest:
                    page.rewrite(i, rest, by, "drop-part", stage=RULES)
                else:
                    page.remove(i, by, "drop", stage=RULES)
                break


def run_parts(page: Page, parts: Iterable[tuple[str, HtmlPart]]) -> None:
    """Every part that applies to the page, in the selection's order; nothing for text input."""
    tree = page.tree
    if tree is None:
        return
    for set_name, part in parts:
        run_part(page, set_name, part, tree)


def check_examples(set_name: str, part: HtmlPart) -> list[tuple[str, list[Any]]]:
    """What the part's examples say and it does not do, as (message, path inside ``html``)."""
    from cleaner.document import Document  # the reader and the page model, only when checking
    from cleaner.read.html import html_lines, parse_html

    failures: list[tuple[str, list[Any]]] = []
    for n, example in enumerate(part.examples):
        tree = parse_html(example["html"])
        page = Page(html_lines(tree), Document(), tree=tree)
        run_part(page, set_name, part, tree)
        kept = {line.text for _, line in page.live()}
        every = {line.text for line in page.lines}
        for key, want_kept in (("keep", True), ("drop", False)):
            for j, text in enumerate(example.get(key, ())):
                if text not in every:
                    failures.append((f"html example: no line {text!r} in the snippet (its lines: "
                                     f"{sorted(every)!r})", ["examples", n, key, j]))
                elif (text in kept) != want_kept:
                    verb = "kept" if want_kept else "dropped"
                    failures.append((f"html example: the line {text!r} should be {verb} but is not",
                                     ["examples", n, key, j]))
    return failures


def _element_ids(nodes: Sequence[Any]) -> set[int]:
    return {node.mem_id for node in nodes}


def _within(attrs: Any, elements: set[int]) -> bool:
    """Whether a line's block is one of ``elements`` or inside one."""
    if not attrs:
        return False
    if attrs.get("node") in elements:
        return True
    return any(ancestor in elements for ancestor in attrs.get("ancestors", ()))
