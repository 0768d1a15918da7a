"""What kind of input a page is: text (a scraper's output), HTML, a WARC/WET archive or JSON
Lines, told by the file's name and by its content.

The name is trusted first (``.html``, ``.warc.gz``, ``.jsonl``...), compression suffixes
dropped. The content is sniffed conservatively, because scraped text quotes markup too (a
documentation page about ``<table>``, a code snippet, a stray ``<``): a page is HTML when it
*starts* as an HTML document does (``<!doctype html``, ``<html``, an XML declaration of an
XHTML page) or when markup makes most of its first 64 KB; WARC when its first line is
``WARC/1.x`` with WARC headers after it; JSON Lines when every non-blank line is a JSON object.
On the 1,497 scraped pages of WCXB-dev (both styles) the densest markup is 24%, on a page about
the ``<table>`` element (and 39% in a clean output, which must read back as text too); the same
pages' HTML is told apart but for one page that opens with a bare ``<style>``, and 96% of their
bodies alone (without the head).
"""

from __future__ import annotations

import json
import re

from cleaner.read.compression import strip_compression_suffix

TEXT = "text"
HTML = "html"
WARC = "warc"
JSON_LINES = "jsonl"

# name suffix (compression suffix dropped) -> kind
_SUFFIXES = (
    (".html", HTML), (".htm", HTML), (".xhtml", HTML),
    (".warc", WARC), (".wet", WARC),
    (".jsonl", JSON_LINES), (".ndjson", JSON_LINES),
)
_SAMPLE = 64 * 1024  # characters (or bytes) of the start sniffed
_LEADING_COMMENTS = re.compile(r"(?:\s|<!--.*?-->)*", re.S)
_DOCUMENT_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.I)
_XHTML = re.compile(r"<!doctype\s+html|<html[\s>]|xmlns=[\"']http://www\.w3\.org/1999/xhtml", re.I)
# Tags with a real tag name, comments and declarations; script and style bodies count as markup
# when closed (scraped text that names <script> would otherwise count all that follows it).
_MARKUP = re.compile(r"<(script|style)\b[^<>]*>.*?</\1\s*>"
                     r"|</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>|<!--.*?-->|<![a-zA-Z][^<>]*>",
                     re.S | re.I)
_WHITESPACE = re.compile(r"\s+")
# Share of markup in the non-blank characters of the sample that makes a page HTML, lower when
# the page opens with a tag (scraped text seldom does). On WCXB-dev the scraped pages stay below
# 0.24 and their clean outputs below 0.4 (a tutorial quoting terminal output as <font> and
# <span> tags); 96% of the pages' HTML bodies (without their head) pass.
MARKUP_SHARE = 0.6
MARKUP_SHARE_OPENING_TAG = 0.45
MARKUP_TAGS = 10  # and this many tags at least: a few tags quoted in prose are not a document
_WARC_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*WARC/\d\.\d{1,2}\r?\n")
_WARC_HEADER = re.compile(rb"\nWARC-[A-Za-z-]+:")


def kind_by_name(name: str) -> tuple[str, str] | None:
    """(kind, why) from the file's name, compression suffix dropped; None for any other name."""
    lower = strip_compression_suffix(name).lower()
    for suffix, kind in _SUFFIXES:
        if lower.endswith(suffix):
            return kind, f"its name ends in {suffix}"
    return None


def kind_by_bytes(data: bytes) -> tuple[str, str] | None:
    """(kind, why) for what shows before decoding: a WARC (or WET) archive, whose records may
    hold binary payloads the decoder would refuse as such."""
    head = data[:_SAMPLE]
    start = _WARC_START.match(head)
    if start and _WARC_HEADER.search(head, start.end() - 1):
        return WARC, "its first line is a WARC version and WARC headers follow"
    return None


def kind_by_text(text: str) -> tuple[str, str] | None:
    """(kind, why) for decoded text that is HTML or JSON Lines; None for text."""
    head = text[:_SAMPLE].lstrip("\ufeff")
    if "<" in head:
        opening = head[_LEADING_COMMENTS.match(head).end():]  # type: ignore[union-attr]
        if _DOCUMENT_START.match(opening):
            return HTML, "it starts as an HTML document does"
        if opening[:5].lower() == "<?xml" and _XHTML.search(opening, 0, 4096):
            return HTML, "it starts with an XML declaration of an XHTML page"
        share = MARKUP_SHARE_OPENING_TAG if _MARKUP.match(opening) else MARKUP_SHARE
        if head.count("<") >= MARKUP_TAGS and _markup_share(head) > share:
            return HTML, f"markup makes more than {share:.0%} of its start"
    if head.lstrip().startswith("{") and _json_lines(text):
        return JSON_LINES, "every line of it is a JSON object"
    return None


def _markup_share(head: str) -> float:
    """The share of the non-blank characters that are in tags, comments, declarations, scripts
    and styles; 0 with fewer than MARKUP_TAGS of them."""
    tags = 0
    markup = 0
    for match in _MARKUP.finditer(head):
        tags += 1
        markup += len(_WHITESPACE.sub("", match.group(0)))
    if tags < MARKUP_TAGS:
        return 0.0
    return markup / max(1, len(_WHITESPACE.sub("", head)))


def _json_lines(text: str) -> bool:
    """Every non-blank line a JSON object (a pretty-printed JSON document, or text that opens
    with one, is not JSON Lines). The shape of every line is checked before any is parsed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not all(line.startswith("{") and line.endswith("}") for line in lines):
        return False
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except ValueError:
            return False
    return True
