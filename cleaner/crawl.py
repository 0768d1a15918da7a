"""Cleaning the records of a crawl: one record's payload in, one record dict out.

For pipelines that read their archives themselves (FastWARC, warcio, datatrove); ``cleaner run``
reads WARC and WET files with the same function (`cleaner.batch.archives`)::

    >>> from cleaner import load_rulebook
    >>> from cleaner.crawl import clean_record
    >>> body = b"The council met on Tuesday and approved the plan for the new library. " * 6
    >>> page = b"<html><body><article><p>" + body + b"</p></article></body></html>"
    >>> rec = clean_record(page, load_rulebook(), url="https://news.example/plan",
    ...                    content_type="text/html; charset=utf-8", record_id="<urn:uuid:1>")
    >>> rec["url"], rec["record_id"], rec["text"].startswith("The council met")
    ('https://news.example/plan', '<urn:uuid:1>', True)
"""

from __future__ import annotations

from typing import Any

from cleaner.errors import PageError
from cleaner.read.archive import ArchiveRecord, content_charset, payload_kind
from cleaner.read.compression import DEFAULT_MAX_BYTES
from cleaner.read.kinds import HTML, TEXT
from cleaner.rules.rulebook import Rulebook

# Fields a record from an archive has beyond a page's record (`Document.record`).
ARCHIVE_FIELDS = ("crawl_date", "record_id")


def clean_record(payload: bytes, rulebook: Rulebook, *, url: str | None = None,
                 content_type: str | None = None, charset: str | None = None,
                 crawl_date: str | None = None, record_id: str | None = None,
                 source: str | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES,
                 language: str | None = None) -> dict[str, Any]:
    """Clean one crawled page: its ``payload`` (the HTTP body, or a WET record's text) as bytes.

    ``content_type`` (the HTTP ``Content-Type``, parameters allowed) picks the reader: HTML for
    ``text/html`` and ``application/xhtml+xml``, text for ``text/plain``, the content's own look
    when it is None; any other type (an image, a PDF) is a PageError. ``charset`` is the
    transport's charset (by default the ``charset=`` of ``content_type``), tried before the
    page's own declaration. ``url`` picks site rules by host, as ``cleaner clean --url`` does.

    Returns the record ``cleaner run IN -`` prints for a page (with ``text``), plus
    ``crawl_date`` (the WARC-Date) and ``record_id`` (the WARC-Record-ID) as given. Raises
    PageError for a payload that cannot be cleaned, as `cleaner.clean` does.
    """
    from cleaner.pipeline import clean

    try:
        kind = payload_kind(content_type)
    except ValueError as exc:
        raise PageError(str(exc)) from None
    doc = clean(payload, rulebook, url=url, source=source, name="record.html" if kind == HTML else "",
                max_bytes=max_bytes, language=language, charset=charset or content_charset(content_type))
    record = doc.record(with_text=True)
    record["crawl_date"] = crawl_date
    record["record_id"] = record_id
    return record


def clean_archive_record(record: ArchiveRecord, rulebook: Rulebook, *, source: str | None = None,
                         max_bytes: int | None = DEFAULT_MAX_BYTES,
                         language: str | None = None) -> dict[str, Any]:
    """`clean_record` for a record as `cleaner.read.archive.read_archive` gives it."""
    # The reader the archive picked (a WET record is text whatever its Content-Type says).
    content_type = {HTML: "text/html", TEXT: "text/plain"}.get(record.kind or "")
    return clean_record(record.payload, rulebook, url=record.url, content_type=content_type,
                        charset=record.charset, crawl_date=record.crawl_date,
                        record_id=record.record_id, source=source, max_bytes=max_bytes,
                        language=language)
