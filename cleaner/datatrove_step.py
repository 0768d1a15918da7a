"""A datatrove pipeline step that cleans each document with `cleaner.crawl.clean_record`, for
FineWeb-style pipelines (datatrove's local, Slurm and Ray executors) that read crawl archives
themselves.

It sits where datatrove's own extractors (``Trafilatura``) sit, after a ``WarcReader``::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.datatrove_step import CleanerExtractor

    LocalPipelineExecutor(pipeline=[
        WarcReader("crawl/", glob_pattern="*.warc.gz"),
        CleanerExtractor(),                    # or CleanerExtractor(rules=["my-rules/"])
        JsonlWriter("out/"),
    ], tasks=4).run()

Each document's ``text`` (the HTML, or a WET record's text) is replaced by the clean text, and
the record's fields (title, date, authors, language, site, canonical, sources...) go into its
``metadata`` under ``metadata_key``. A document that cannot be cleaned, or whose clean text is
empty, is dropped and counted in the step's stats. datatrove is optional
(``pip install 'cleaner[datatrove]'``); this module imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from cleaner.crawl import clean_record
from cleaner.errors import CleanerError
from cleaner.rules.load import load_rulebook
from cleaner.rules.rulebook import Rulebook


class CleanerExtractor(PipelineStep):  # type: ignore[misc]
    """Clean each document (HTML or text) into its article text and record."""

    name = "🧹 cleaner"
    type = "🛢 - EXTRAC"

    def __init__(self, rules: Sequence[str | Path] = (), *, metadata_key: str = "cleaner",
                 content_type: str | None = None, language: str | None = None,
                 keep_empty: bool = False) -> None:
        """``rules``: folders of extra rule files (as ``--rules``); ``content_type``: the
        documents' type when the reader does not give one in their metadata (None: told by
        their content); ``language``: every document's language, instead of detecting it;
        ``keep_empty``: forward documents whose clean text is empty."""
        super().__init__()
        self.rules = [str(folder) for folder in rules]
        self.metadata_key = metadata_key
        self.content_type = content_type
        self.language = language
        self.keep_empty = keep_empty
        self._rulebook: Rulebook | None = None

    def rulebook(self) -> Rulebook:
        """Compiled once per process that runs the step (the rule files are read there)."""
        if self._rulebook is None:
            self._rulebook = load_rulebook(self.rules)
        return self._rulebook

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        rulebook = self.rulebook()
        for doc in data:
            self.stat_update("total")
            metadata: dict[str, Any] = doc.metadata
            with self.track_time():
                try:
                    record = clean_record(
                        doc.text.encode("utf-8", "surrogatepass"), rulebook, url=metadata.get("url"),
                        content_type=metadata.get("content_type") or self.content_type,
                        crawl_date=metadata.get("date"), record_id=str(doc.id),
                        language=self.language)
                except CleanerError:
                    self.stat_update("clean_error")
                    continue
            text = record.pop("text")
            if not text and not self.keep_empty:
                self.stat_update("dropped")
                continue
            doc.text = text
            metadata[self.metadata_key] = record
            self.stat_update("forwarded")
            yield doc
