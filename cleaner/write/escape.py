"""Markdown escaping for plain text: a backslash only where a character would otherwise change
how the text renders (start a heading, a list, a quote, a code span, emphasis, a link, markup),
so that the Markdown stays as readable as the text it came from."""

from __future__ import annotations

import re
import unicodedata

# Block syntax a line may start with (after up to three spaces, which `block_text` strips):
# an ATX heading, a bullet, an ordered-list number, a quote, a code fence, a thematic break.
_HEADING_START = re.compile(r"#{1,6}(?=\s|$)")
_BULLET_START = re.compile(r"[-+*](?=\s|$)")
_NUMBER_START = re.compile(r"(\d{1,9})([.)])(?=\s|$)")
_FENCE_START = re.compile(r"```|~~~")
_BREAK_LINE = re.compile(r"([-*_])(?:\s*\1){2,}\s*$")
_SETEXT_LINE = re.compile(r"=+\s*$")
_REFERENCE_START = re.compile(r"\[(?:[^\]\\]|\\.)*\]:")  # (an escaped bracket does not close it)
# Inline syntax: an HTML tag or autolink, a character reference, a backslash escape.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _punct(char: str) -> bool:
    return char in _ASCII_PUNCT or unicodedata.category(char).startswith(("P", "S"))


def _space(char: str) -> bool:
    return char == "" or char.isspace()


def _emphasis_run(char: str, before: str, after: str) -> bool:
    """Whether a run of ``*`` or ``_`` between ``before`` and ``after`` (single characters;
    whitespace for a line's edge) could open or close emphasis, by CommonMark's flanking rules."""
    left = not _space(after) and (not _punct(after) or _space(before) or _punct(before))
    right = not _space(before) and (not _punct(before) or _space(after) or _punct(after))
    if char == "*":
        return left or right
    # An underscore inside a word (snake_case) never emphasises.
    return (left and (not right or _punct(before))) or (right and (not left or _punct(after)))


def inline(text: str, *, before: str = " ", after: str = " ", brackets: bool = False,
           ticks: bool | None = None) -> str:
    """``text`` with the inline syntax it would trigger escaped. ``before`` and ``after`` are
    the characters that will sit around it in the output (a link's bracket, a line's edge);
    ``brackets``: escape every ``[`` and ``]`` (inside a link's text); ``ticks``: whether the
    line ``text`` is part of has two backticks or more (a single one opens no code span)."""
    out: list[str] = []
    ticks = text.count("`") >= 2 if ticks is None else ticks
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "*_":
            j = i
            while j < n and text[j] == char:
                j += 1
            prev = text[i - 1] if i else before
            nxt = text[j] if j < n else after
            run = text[i:j]
            out.append(run.replace(char, "\\" + char) if _emphasis_run(char, prev, nxt) else run)
            i = j
            continue
        if char == "\\":
            nxt = text[i + 1] if i + 1 < n else after
            out.append("\\\\" if nxt in _ASCII_PUNCT else char)
        elif char == "`":
            out.append("\\`" if ticks else char)
        elif char in "[]" and brackets:
            out.append("\\" + char)
        elif char == "]" and i + 1 < n and text[i + 1] in "([":
            out.append("\\]")  # would close a link: `[text](url)` written out in prose
        elif char == "!" and (text[i + 1] if i + 1 < n else after) == "[":
            out.append("\\!")  # would make the link after it an image
        elif char == "<" and _TAG_OPEN.match(text, i):
            out.append("\\<")
        elif char == "&" and _ENTITY.match(text, i):
            out.append("\\&")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def line_start(text: str) -> str:
    """``text`` (already escaped inline) with a block-level start escaped: a text line that
    begins with ``#``, ``-``, ``1.``, ``>``, a fence or a rule of dashes stays a paragraph."""
    if not text:
        return text
    if _BREAK_LINE.match(text) or _SETEXT_LINE.match(text):
        return "\\" + text
    number = _NUMBER_START.match(text)
    if number:
        return f"{number.group(1)}\\{number.group(2)}{text[number.end():]}"
    if (text[0] == ">" or _HEADING_START.match(text) or _BULLET_START.match(text)
            or _FENCE_START.match(text) or _REFERENCE_START.match(text)):
        return "\\" + text
    return text


def block_text(text: str) -> str:
    """A paragraph's text, each of its lines escaped at its start; leading spaces go (four would
    make a code block) and so do trailing ones (two would make a hard break)."""
    return "\n".join(line_start(part.strip()) for part in text.split("\n"))


def heading_text(text: str) -> str:
    """A heading's (inline-escaped) text on one line; a closing run of ``#`` would be read as
    the heading's closing sequence and dropped, so it is escaped."""
    flat = " ".join(text.split())
    match = re.search(r"(^|\s)(#+)$", flat)
    if match:
        flat = flat[: match.start(2)] + "\\" + flat[match.start(2):]
    return flat


def cell_text(text: str) -> str:
    """A table cell's (inline-escaped) text on one line, its pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")
