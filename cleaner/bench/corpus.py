"""Reading a WCXB-layout corpus: gold records from `pages.jsonl`, raw scrapes and HTML by id.

The layout is documented in the corpus README; keeping the file access here lets the scoring code
work on plain values and lets the quality gate pick its own slice of pages.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

GOLD_FILE = "pages.jsonl"

# The three inputs a page comes as, and the folder holding each one's files.
SCRAPED = "scraped"
WET = "wet"
HTML = "html"
INPUTS: tuple[str, ...] = (SCRAPED, WET, HTML)
INPUT_DIRS: dict[str, str] = {SCRAPED: "scraped", WET: "scraped-wet", HTML: "html"}


@dataclass(frozen=True)
class GoldPage:
    """One gold record. Metadata fields are None where the page has none (or an empty string)."""

    id: str
    url: str
    type: str
    title: str | None
    author: str | None
    date: str | None
    main_content: str
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


def _optional(value: object) -> str | None:
    """Gold metadata as a stripped string, or None when absent or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _snippets(value: object) -> tuple[str, ...]:
    """A gold snippet list as a tuple of strings (absent or null means no snippets)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"snippet list expected, got {type(value).__name__}")
    return tuple(str(item) for item in value)


def _gold_from_record(record: dict[str, object]) -> GoldPage:
    """Build a `GoldPage` from one decoded JSON line."""
    return GoldPage(
        id=str(record["id"]),
        url=str(record.get("url") or ""),
        type=str(record.get("type") or "unknown"),
        title=_optional(record.get("title")),
        author=_optional(record.get("author")),
        date=_optional(record.get("date")),
        main_content=str(record.get("main_content") or ""),
        with_snippets=_snippets(record.get("with")),
        without_snippets=_snippets(record.get("without")),
    )


def load_gold(corpus_dir: Path) -> list[GoldPage]:
    """All gold pages of the corpus, sorted by id so that --limit slices are reproducible."""
    path = corpus_dir / GOLD_FILE
    pages: list[GoldPage] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                pages.append(_gold_from_record(json.loads(line)))
    return sorted(pages, key=lambda page: page.id)


def select(pages: Iterable[GoldPage], page_type: str | None, limit: int | None) -> list[GoldPage]:
    """Pages of one type (or all), the first `limit` of them in id order."""
    chosen = [p for p in pages if page_type is None or p.type == page_type]
    return chosen if limit is None else chosen[:limit]


def gate_slice(pages: Sequence[GoldPage], articles: int, per_other_type: int) -> list[GoldPage]:
    """A fixed, type-balanced slice: the first N article pages and the first M of every other type.

    Used by the quality gate so that it is quick yet still sees every page type.
    """
    types = sorted({p.type for p in pages})
    chosen: list[GoldPage] = []
    for page_type in types:
        count = articles if page_type == "article" else per_other_type
        chosen.extend(select(pages, page_type, count))
    return sorted(chosen, key=lambda page: page.id)


def scraped_path(corpus_dir: Path, page_id: str) -> Path:
    """Where the raw scraped text of a page lives."""
    return corpus_dir / INPUT_DIRS[SCRAPED] / f"{page_id}.txt"


def read_scraped(corpus_dir: Path, page_id: str) -> bytes:
    """The raw scraped bytes, exactly as a scraper saved them (decoding is the cleaner's job)."""
    return scraped_path(corpus_dir, page_id).read_bytes()


def wet_path(corpus_dir: Path, page_id: str) -> Path:
    """Where the WET-style text of a page lives (title first, one line per block)."""
    return corpus_dir / INPUT_DIRS[WET] / f"{page_id}.txt"


def read_wet(corpus_dir: Path, page_id: str) -> bytes:
    """The WET-style text's raw bytes."""
    return wet_path(corpus_dir, page_id).read_bytes()


def html_name(page_id: str) -> str:
    """The file name of a page's HTML, compression suffix included."""
    return f"{page_id}.html.gz"


def html_path(corpus_dir: Path, page_id: str) -> Path:
    """Where the page HTML lives (gzip-compressed)."""
    return corpus_dir / INPUT_DIRS[HTML] / html_name(page_id)


def read_html_bytes(corpus_dir: Path, page_id: str) -> bytes:
    """The page HTML's file bytes, still gzip-compressed, as the cleaner is given a file."""
    return html_path(corpus_dir, page_id).read_bytes()


def read_html(corpus_dir: Path, page_id: str) -> str:
    """The page HTML (stored gzip-compressed, UTF-8); undecodable bytes are replaced."""
    return decode_html(read_html_bytes(corpus_dir, page_id))


def decode_html(compressed: bytes) -> str:
    """The HTML text of a page's compressed file bytes, as the peers are given it."""
    return gzip.decompress(compressed).decode("utf-8", errors="replace")

