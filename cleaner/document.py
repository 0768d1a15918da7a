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
# Fields whose source the record names (`Document.sources`), and the names of the sources that
# are not the HTML's markup: a site rule, the text (the headline, date and byline models) and
# the page's URL.
SOURCED_FIELDS = ("title", "date", "updated", "authors", "description", "site", "canonical", "image", "credits")
RULES_SOURCE = "rules"
TEXT_SOURCE = "text"
URL_SOURCE = "url"  # the page's URL: its host (the site), the day in its path (the date)


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
    url: str | None = None  # the address the page was fetched from, as given
    canonical: str | None = None  # the address the page names as its own (<link rel=canonical>)
    image: str | None = None  # the lead image's URL, as the page writes it
    language: str | None = None
    credits: list[str] = field(default_factory=list)
    encoding: str | None = None
    removed: Counter[str] = field(default_factory=Counter)
    # The kept lines, (text, the reader's attrs), in the order of ``text``: what the Markdown
    # output is written from (`cleaner.write.markdown`). Not part of the record.
    blocks: list[tuple[str, Mapping[str, object] | None]] = field(
        default_factory=list, repr=False, compare=False)
    # Field -> where its value came from: a markup source ('json-ld', 'opengraph', 'meta',
    # 'microdata', 'time', 'markup-byline', 'title-tag', 'h1', ...) or 'rules'; a field with a
    # value and no entry was found in the text (`record()` says 'text' for it).
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def word_count(self) -> int:
        return word_count(self.text)

    def field_sources(self) -> dict[str, str]:
        """Where each metadata field with a value came from, in `SOURCED_FIELDS` order."""
        return {name: self.sources.get(name, TEXT_SOURCE) for name in SOURCED_FIELDS if getattr(self, name)}

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
            "canonical": self.canonical,
            "image": self.image,
            "language": self.language,
            "credits": list(self.credits),
            "encoding": self.encoding,
            "word_count": self.word_count,
            "removed": dict(sorted(self.removed.items())),
            "sources": self.field_sources(),
        }
        if with_text:
            rec["text"] = self.text
        return rec
