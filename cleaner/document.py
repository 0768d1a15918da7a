"""The result of cleaning one page: the clean body and its metadata record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cleaner.lang.words import word_count

# Fields a rule may extract into. Lists collect every value; the others keep the first one found.
LIST_FIELDS = ("authors", "credits")
SCALAR_FIELDS = ("title", "date", "updated", "description", "site")
EXTRACT_FIELDS = SCALAR_FIELDS + LIST_FIELDS


@dataclass
class Document:
    """One cleaned page. ``record()`` is what lands in the .json output (and, with text, in JSONL)."""

    text: str = ""
    source: str | None = None
    title: str | None = None
    date: str | None = None  # published (or, when the page says only that, last updated)
    updated: str | None = None  # last updated, when the page says so
    authors: list[str] = field(default_factory=list)
    description: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None
    credits: list[str] = field(default_factory=list)
    encoding: str | None = None
    removed: Counter[str] = field(default_factory=Counter)
    # The kept lines, (text, the reader's attrs), in the order of ``text``: what the Markdown
    # output is written from (`cleaner.write.markdown`). Not part of the record.
    blocks: list[tuple[str, Mapping[str, object] | None]] = field(
        default_factory=list, repr=False, compare=False)

    @property
    def word_count(self) -> int:
        return word_count(self.text)

    def record(self, *, with_text: bool = False) -> dict[str, Any]:
        """The metadata record; every field present, ``null`` or ``[]`` when the page lacks it."""
        rec: dict[str, Any] = {
            "source": self.source,
            "title": self.title,
            "date": self.date,
            "updated": self.updated,
            "authors": list(self.authors),
            "description": self.description,
            "site": self.site,
            "url": self.url,
            "language": self.language,
            "credits": list(self.credits),
            "encoding": self.encoding,
            "word_count": self.word_count,
            "removed": dict(sorted(self.removed.items())),
        }
        if with_text:
            rec["text"] = self.text
        return rec
