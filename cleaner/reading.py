"""Bytes in, text out: decompression, encoding detection and the line normalisation every page gets.

Order of trust for the encoding: a byte-order mark, then strict UTF-8 (most of the web), then a
charset the page declares (HTML meta), then chardet on a sample. Text that is *mostly* UTF-8 with a
few bad bytes stays UTF-8 (bad bytes become U+FFFD) rather than being misread as a legacy code page.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import re
import zlib
from dataclasses import dataclass

import chardet

from .errors import PageError

# Compression suffixes we read through; the suffix is dropped when naming outputs.
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # after decompression; scraped pages are rarely over 5 MB

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_SAMPLE = 64 * 1024
# Control characters that never occur in text (everything below 0x20 but tab, LF, CR, FF).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decompress(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Undo .gz/.bz2/.xz by the file's suffix, refusing output past ``max_bytes`` (bombs)."""
    lower = name.lower()
    if lower.endswith(".gz"):
        decomp: zlib._Decompress | bz2.BZ2Decompressor | lzma.LZMADecompressor = zlib.decompressobj(
            16 + zlib.MAX_WBITS
        )
        kind = "gzip"
    elif lower.endswith(".bz2"):
        decomp, kind = bz2.BZ2Decompressor(), "bzip2"
    elif lower.endswith(".xz"):
        decomp, kind = lzma.LZMADecompressor(), "xz"
    else:
        return data
    try:
        out = decomp.decompress(data, max_bytes + 1)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
        raise PageError(f"corrupt {kind} data ({exc}); re-download or re-compress the file") from exc
    if len(out) > max_bytes:
        raise PageError(
            f"{kind} data expands past {max_bytes:,} bytes (a decompression bomb or a huge page); "
            "raise --max-bytes if the page is genuine"
        )
    if not decomp.eof:
        raise PageError(f"truncated {kind} data (the archive ends early); re-download the file")
    return out


_MAGIC = ((b"\x1f\x8b", ".gz"), (b"BZh", ".bz2"), (b"\xfd7zXZ\x00", ".xz"))


def read_page(data: bytes, name: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Page bytes with any compression undone: by magic number, or by the name's suffix (so a
    mislabelled ``.gz`` that is not gzip gets a clear error)."""
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return decompress(data, suffix, max_bytes)
    if name.lower().endswith(COMPRESSED_SUFFIXES):
        return decompress(data, name, max_bytes)
    if len(data) > max_bytes:
        raise PageError(f"page is {len(data):,} bytes, over the {max_bytes:,} byte cap; "
                        "raise --max-bytes if it is genuine")
    return data


def strip_compression_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _looks_binary(sample: bytes) -> bool:
    """Binary files (images, archives, executables) have many control bytes; text has almost none."""
    if not sample:
        return False
    controls = sum(sample.count(b) for b in _BINARY_BYTES)
    return controls / len(sample) > 0.05


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a BOM shows as a NUL in every other byte of ASCII-heavy text."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _declared_charset(sample: bytes) -> str | None:
    match = _META_CHARSET.search(sample[:8192])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode(data: bytes) -> Decoded:
    """Decode page bytes to text; raises PageError for binary or undecodable input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace").lstrip("\ufeff"), _name(encoding))
    sample = data[:_SAMPLE]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return Decoded(data.decode(utf16, errors="replace"), utf16)
    if _looks_binary(sample):
        raise PageError("binary data, not text (an image, archive or executable saved as a page?)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(sample)
    if declared:
        return Decoded(data.decode(declared, errors="replace"), _name(declared))
    # Mostly-valid UTF-8 (a few broken bytes from a bad copy) is still UTF-8.
    replaced = data.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= max(2, len(replaced) // 1000):
        return Decoded(replaced, "utf-8")
    guess = chardet.detect(sample)
    encoding = guess.get("encoding")
    if not encoding:
        raise PageError("cannot tell the text encoding; convert the file to UTF-8")
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise PageError(f"detected encoding {encoding!r} is not supported; convert to UTF-8") from exc
    return Decoded(data.decode(encoding, errors="replace"), _name(encoding))


def _name(encoding: str) -> str:
    """A stable, lower-case codec name for the record ('utf-8', 'windows-1251', 'koi8-r')."""
    name = codecs.lookup(encoding).name
    if name == "utf-8-sig":
        return "utf-8"
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    return name


def normalise_lines(text: str) -> list[str]:
    """Split into lines: CRLF/CR folded, NULs and other stray controls dropped, ends stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return [line.strip() for line in text.split("\n")]
