"""Writing a cleaned page out: its body in the output format asked for (plain text, or Markdown
that keeps the article's structure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaner.document import Document

FORMATS = ("txt", "markdown")


@dataclass(frozen=True)
class OutputFormat:
    """How a page's body is written: ``txt`` (the clean text) or ``markdown``; ``links``
    (Markdown only) keeps the article's links."""

    name: str = "txt"
    links: bool = False

    def __post_init__(self) -> None:
        if self.name not in FORMATS:
            raise ValueError(f"no output format {self.name!r}; the formats are {', '.join(FORMATS)}")
        if self.links and self.name != "markdown":
            raise ValueError("links are kept only in Markdown output")

    @property
    def suffix(self) -> str:
        """The body's file suffix in an output folder."""
        return ".md" if self.name == "markdown" else ".txt"

    def body(self, doc: Document) -> str:
        """The page's body in this format (the record is the same in every format)."""
        if self.name == "markdown":
            from cleaner.write.markdown import document_markdown

            return document_markdown(doc, links=self.links)
        return doc.text


TXT = OutputFormat()
