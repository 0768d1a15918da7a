"""Reading a WARC or WET archive as a stream of records (FastWARC), each either a page to clean
or a reason it is skipped.

A ``response`` record is a page when its HTTP status is 200 and its payload is HTML or plain
text (`payload_kind`); a ``conversion`` record (the text of a WET file) is a page of text. Every
other record (``request``, ``metadata``, ``warcinfo``, ``revisit``, ``resource``...), a response
with another status and a payload of another type (images, PDFs, scripts) is skipped with its
reason, for the run's summary.

FastWARC ends its iteration quietly at a cut in the file; a cut is told here by a record without
a ``Content-Length`` or with a shorter payload than it announces, and raised as
`ArchiveDamaged` after the records read before it. Bytes that are not a WARC record (FastWARC
raises) are damage too.
"""

from __future__ import annotations

import bz2
import lzma
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from cleaner.errors import PageError
from cleaner.read.kinds import HTML, TEXT

# Content types of payloads cleaned, by the kind of reader they go to. Pages served without a
# type are read by their content, as files without a known suffix are.
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.I)
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")
# Content-Encodings the reader undoes itself: gzip by its magic number (`compression.read_page`).
_DECODED_ENCODINGS = frozenset({"", "identity", "gzip", "x-gzip"})


class ArchiveDamaged(PageError):
    """The archive cannot be read past a point (cut short, or bytes that are no WARC record);
    the records before it were read."""


@dataclass(frozen=True)
class ArchiveRecord:
    """One record to clean: its payload (the page's bytes, HTTP headers removed), the page's
    URL, the record's date and id, the kind of reader (`kinds.HTML`, `kinds.TEXT`, or None to
    tell by content) and the charset its Content-Type names."""

    payload: bytes
    url: str | None
    crawl_date: str | None
    record_id: str | None
    kind: str | None
    content_type: str | None = None
    charset: str | None = None


@dataclass(frozen=True)
class SkippedRecord:
    """A record that is no page to clean, and why (a short reason, counted in the summary)."""

    reason: str
    record_id: str | None = None


@dataclass(frozen=True)
class UnreadRecord:
    """A page record that cannot be cleaned (too large, undecodable transfer), and why; a
    failure of that record, not of the archive."""

    reason: str
    record_id: str | None
    url: str | None


ArchiveItem = ArchiveRecord | SkippedRecord | UnreadRecord


def payload_kind(content_type: str | None) -> str | None:
    """The reader for a payload of this Content-Type (parameters allowed): `kinds.HTML`,
    `kinds.TEXT`, or None when the type is not given; ValueError for a type that is no text
    page (an image, a PDF, a script)."""
    if content_type is None or not content_type.strip():
        return None
    bare = content_type.split(";", 1)[0].strip().lower()
    if bare in _HTML_TYPES:
        return HTML
    if bare in _TEXT_TYPES:
        return TEXT
    raise ValueError(f"not a text page: {bare}")


def content_charset(content_type: str | None) -> str | None:
    """The ``charset=`` of a Content-Type header, if any."""
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def read_archive(path: Path | str, max_bytes: int) -> Iterator[ArchiveItem]:
    """The records of the archive at ``path`` (plain, gzip or LZ4, whole or per record, as
    FastWARC reads them; bzip2 and xz through Python's decompressors), in order.

    A page whose payload is larger than ``max_bytes`` is an `UnreadRecord`, not read. Raises
    `ArchiveDamaged` where the archive stops making sense, after yielding what came before."""
    from fastwarc.warc import ArchiveIterator  # (imported when an archive is read)

    last = "the start"
    try:
        # auto_decode stays off: a payload whose Content-Encoding lies would make FastWARC fail
        # the rest of the archive, not that record.
        for record in ArchiveIterator(_stream(path), parse_http=True, auto_decode="none"):
            record_id = record.headers.get("WARC-Record-ID")
            announced = record.headers.get("Content-Length")
            if announced is None:
                raise ArchiveDamaged(f"the archive is cut short after {last}")
            item = _item(record, record_id, max_bytes)
            if item is None:
                raise ArchiveDamaged(f"the archive is cut short in record {record_id}")
            yield item
            last = f"record {record_id}"
    except OSError as exc:
        raise ArchiveDamaged(f"unreadable archive after {last} ({exc})") from exc


def _stream(path: Path | str) -> BinaryIO | str:
    """What FastWARC reads: the path for what it decompresses itself, else a Python stream
    (bzip2 and xz archives: FastWARC would take their compressed bytes for WARC headers)."""
    with open(path, "rb") as handle:
        magic = handle.read(6)
    if magic.startswith(b"BZh"):
        return cast(BinaryIO, bz2.open(path, "rb"))
    if magic.startswith(b"\xfd7zXZ\x00"):
        return cast(BinaryIO, lzma.open(path, "rb"))
    return str(path)


def _item(record: object, record_id: str | None, max_bytes: int) -> ArchiveItem | None:
    """What a record is; None when its payload is shorter than announced (the file is cut)."""
    from fastwarc.warc import WarcRecordType

    kind_name = str(record.record_type)  # type: ignore[attr-defined]  # 'request', 'metadata'...
    headers = record.headers  # type: ignore[attr-defined]
    url = headers.get("WARC-Target-URI") or None
    length = record.content_length  # type: ignore[attr-defined]
    if record.record_type == WarcRecordType.conversion:  # type: ignore[attr-defined]
        content_type = headers.get("Content-Type")
        kind: str | None = TEXT
    elif record.record_type == WarcRecordType.response:  # type: ignore[attr-defined]
        http = record.http_headers  # type: ignore[attr-defined]
        if not record.is_http or http is None:  # type: ignore[attr-defined]
            return _skipped_or_cut(record, "response without HTTP headers", record_id, length)
        if http.status_code != 200:
            return _skipped_or_cut(record, f"HTTP {http.status_code}", record_id, length)
        content_type = http.get("Content-Type")
        try:
            kind = payload_kind(content_type)
        except ValueError as exc:
            return _skipped_or_cut(record, str(exc), record_id, length)
        encoding = (http.get("Content-Encoding") or "").strip().lower()
        if encoding not in _DECODED_ENCODINGS:
            return _skipped_or_cut(record, f"payload encoded as {encoding}", record_id, length)
    else:
        return _skipped_or_cut(record, kind_name, record_id, length)
    if length > max_bytes:
        if not _consumed(record, length):
            return None
        return UnreadRecord(f"record payload of {length:,} bytes is over the --max-bytes limit "
                            f"of {max_bytes:,}", record_id, url)
    payload = record.reader.read()  # type: ignore[attr-defined]
    if len(payload) < length:
        return None
    if kind != TEXT and "chunked" in (record.http_headers.get("Transfer-Encoding") or "").lower():  # type: ignore[attr-defined]
        payload = dechunk(payload)
    return ArchiveRecord(payload, url, headers.get("WARC-Date"), record_id, kind,
                         content_type, content_charset(content_type))


def _skipped_or_cut(record: object, reason: str, record_id: str | None,
                    length: int) -> SkippedRecord | None:
    """A record skipped, once its payload is known to be whole (else None: the file is cut)."""
    return SkippedRecord(reason, record_id) if _consumed(record, length) else None


def _consumed(record: object, length: int) -> bool:
    """Read past a record's payload without keeping it; False when it is shorter than announced."""
    reader = record.reader  # type: ignore[attr-defined]
    seen = 0
    while True:
        block = reader.read(1 << 16)
        if not block:
            return seen >= length
        seen += len(block)


def dechunk(payload: bytes) -> bytes:
    """The body of an HTTP ``Transfer-Encoding: chunked`` payload, as it was before the
    transfer; the payload as it is when it does not parse as chunks (crawlers often store the
    body decoded but keep the header)."""
    body = bytearray()
    at = 0
    while True:
        size = _CHUNK_SIZE.match(payload, at)
        if size is None:
            return payload
        length = int(size.group(1), 16)
        if length == 0:
            return bytes(body)
        start = size.end()
        body += payload[start:start + length]
        at = start + length
        if payload[at:at + 2] == b"\r\n":
            at += 2
        elif payload[at:at + 1] == b"\n":
            at += 1
        if at >= len(payload):
            return bytes(body)  # the last chunk marker lost: what came is the body
