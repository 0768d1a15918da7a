"""Compressed pages and the size cap: gzip, bzip2 and xz undone once, never past ``max_bytes``.

A page is read in two steps, each once: `read_raw` takes a file's (or stdin's) bytes as they are,
up to what the cap allows, and `read_page` undoes their compression (recognised by its magic
number, or demanded by the name's suffix), stopping a decompression bomb as soon as its output
passes the cap. The reading seam (`cleaner.read`) calls `read_page` once per page; nothing else
expands a page.
"""

from __future__ import annotations

import bz2
import io
import lzma
import re
import zlib
from collections.abc import Callable
from typing import BinaryIO, Protocol

from cleaner.errors import PageError

# Compression suffixes we read through; the suffix is dropped when naming outputs.
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # after decompression; scraped pages are rarely over 5 MB
_CHUNK = 1024 * 1024  # compressed input is read and expanded this much at a time
_HEAD = 64 * 1024  # read first, to tell compressed input from plain



class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...
    @property
    def unused_data(self) -> bytes: ...
    def decompress(self, data: bytes, max_length: int = ..., /) -> bytes: ...


def _gzip() -> _Decompressor:
    return zlib.decompressobj(16 + zlib.MAX_WBITS)


# kind -> (magic at the start of a stream, a fresh decompressor). Multi-stream files (`cat a.gz
# b.gz`, pbzip2 output) are read through: each new stream starts with the magic again.
_FORMATS: dict[str, tuple[bytes, Callable[[], _Decompressor]]] = {
    "gzip": (b"\x1f\x8b", _gzip),
    "bzip2": (b"BZh", bz2.BZ2Decompressor),
    "xz": (b"\xfd7zXZ\x00", lzma.LZMADecompressor),
}
_SUFFIX_KIND = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}
# bzip2's 'BZh' is three printable letters, so a text page could start with them; a bzip2
# stream also carries a block (or end-of-stream) magic right after the level digit.
_BZIP2_MAGIC = re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)")


def sniff_compression(head: bytes) -> str | None:
    """'gzip', 'bzip2', 'xz' or None, from the first bytes of a file."""
    if head.startswith(_FORMATS["gzip"][0]) or head.startswith(_FORMATS["xz"][0]):
        return "gzip" if head.startswith(b"\x1f\x8b") else "xz"
    if _BZIP2_MAGIC.match(head):
        return "bzip2"
    return None


def _suffix_kind(name: str) -> str | None:
    lower = name.lower()
    return next((kind for suffix, kind in _SUFFIX_KIND.items() if lower.endswith(suffix)), None)


def read_stream(handle: BinaryIO, name: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Page bytes from an open file, with gzip/bzip2/xz undone (recognised by their magic number,
    or demanded by the name's suffix), never holding more than ``max_bytes`` of page.

    Raises PageError for pages over the cap (decompression bombs included), corrupt or truncated
    archives, and files named ``.gz``/``.bz2``/``.xz`` that are not compressed that way.
    """
    head = handle.read(_HEAD)
    kind = sniff_compression(head)
    expected = _suffix_kind(name)
    if kind is None and expected is not None:
        if not head:
            raise PageError(f"empty page (the file holds no {expected} data at all)")
        if _FORMATS[expected][0].startswith(head[:3]):
            raise PageError(f"truncated {expected} data (the archive ends early); "
                            "re-download the file")
        raise PageError(f"the name ends in .{name.rsplit('.', 1)[-1]} but the data is not "
                        f"{expected}-compressed; rename the file or re-compress it")
    if kind is None:
        rest = handle.read(max(0, max_bytes + 1 - len(head)))
        data = head + rest
        if len(data) > max_bytes:
            raise over_cap(max_bytes)
        return data
    return _expand(handle, head, kind, max_bytes)


def _expand(handle: BinaryIO, head: bytes, kind: str, max_bytes: int) -> bytes:
    magic, factory = _FORMATS[kind]
    out = bytearray()
    decomp = factory()
    feed = head
    stalled = 0
    try:
        while True:
            # max_length keeps a bomb from expanding past the cap in one call (0 would mean
            # "no limit" to zlib, so the budget never drops below one byte).
            before = len(out)
            out += decomp.decompress(feed, max_bytes + 1 - len(out))
            if len(out) > max_bytes:
                raise over_cap(max_bytes, kind=kind)
            if decomp.eof:
                # Another stream may follow (multi-member gzip, parallel bzip2); anything else
                # after the end is trailing junk, ignored as gzip(1) does.
                tail = decomp.unused_data
                if len(tail) < len(magic):
                    tail += handle.read(len(magic) - len(tail))
                if not tail.startswith(magic):
                    return bytes(out)
                decomp, feed = factory(), tail
                continue
            # Input the decompressor held back when it stopped at max_length: zlib hands it
            # back, bz2 and lzma keep it and want to be called again with no new input.
            held: bytes | None = getattr(decomp, "unconsumed_tail", None)
            if held:
                feed = held
            elif held is None and not getattr(decomp, "needs_input", True):
                feed = b""
            else:
                feed = handle.read(_CHUNK)
                if not feed:
                    raise PageError(f"truncated {kind} data (the archive ends early); "
                                    "re-download the file")
            # A decompressor that neither reads nor writes would spin forever.
            stalled = stalled + 1 if len(out) == before and not feed else 0
            if stalled > 2:
                raise PageError(f"corrupt {kind} data (the stream makes no progress); "
                                "re-download or re-compress the file")
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
        raise PageError(f"corrupt {kind} data ({exc}); re-download or re-compress the "
                        "file") from exc


def read_page(data: bytes, name: str = "", max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """Page bytes with any compression undone, once: by magic number, or by the name's suffix (so a
    mislabelled ``.gz`` that is not gzip gets a clear error). The cap is the one ``read_stream``
    enforces on files and stdin, with the same reasons: ``max_bytes`` for the page as given and
    for what it decompresses to.

    ``max_bytes=None`` takes plain bytes of any size (the caller holds them already) but still
    caps decompression at DEFAULT_MAX_BYTES, against bombs."""
    if sniff_compression(data[:16]) is None and _suffix_kind(name) is None:
        # Plain bytes: what read_stream would do, without copying them through a stream.
        if max_bytes is not None and len(data) > max_bytes:
            raise over_cap(max_bytes, size=len(data))
        return data
    return read_stream(io.BytesIO(data), name, DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)


def compressed_cap(max_bytes: int) -> int:
    """The most compressed bytes a page of ``max_bytes`` can take: gzip, bzip2 and xz store data
    they cannot shrink with well under 1% of overhead, so compressed data past this bound always
    expands past the cap."""
    return max_bytes + max_bytes // 100 + _HEAD


def read_raw(handle: BinaryIO, name: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A page's bytes as they are in the file (or stdin), compression not undone, never reading
    more than the cap allows: ``max_bytes`` for a plain page, `compressed_cap` for a compressed
    one (by its magic number or the name's suffix); `read_page` expands it later, once.

    Raises PageError for a page over the cap, with the reason `read_page` would give."""
    head = handle.read(_HEAD)
    kind = sniff_compression(head)
    compressed = kind is not None or _suffix_kind(name) is not None
    limit = compressed_cap(max_bytes) if compressed else max_bytes
    data = head + handle.read(max(0, limit + 1 - len(head)))
    if len(data) > limit:
        raise over_cap(max_bytes, kind=kind)
    return data


def over_cap(max_bytes: int, *, size: int | None = None, kind: str | None = None) -> PageError:
    """The refusal of a page over the size cap, the same wherever the cap is met: a file's size
    on disk, a stream read past the cap, bytes given to ``clean()``, or data (of compression
    ``kind``) expanding past it."""
    if kind is not None:
        what = f"{kind} data expands past {max_bytes:,} bytes (a decompression bomb or a huge page)"
    elif size is not None:
        what = f"page is {size:,} bytes, over the {max_bytes:,} byte cap"
    else:
        what = f"page is over the {max_bytes:,} byte cap"
    return PageError(f"{what}; if it is genuine, raise the cap with --max-bytes "
                     "(max_bytes= in the library)")


def strip_compression_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def output_stem(source: str) -> str:
    """'a/b.txt.gz' -> 'a/b': compression suffix dropped, then the last suffix."""
    name = strip_compression_suffix(source)
    head, _, tail = name.rpartition("/")
    stem = tail.rsplit(".", 1)[0] if "." in tail.lstrip(".") else tail
    return f"{head}/{stem}" if head else stem
