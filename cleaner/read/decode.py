"""Bytes in, text out: encoding detection and the line normalisation every page gets (the bytes
are decompressed already, by `cleaner.read.compression`).

Order of trust for the encoding:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. UTF-16/32 without a BOM, recognised by the NUL bytes of its ASCII characters;
3. binary data is refused here: known formats by their magic number, the rest by its control
   bytes (except UTF-16 CJK text without BOM or ASCII, which looks the same and is recognised
   by its characters falling into few Unicode blocks);
4. ISO-2022-JP escapes (7-bit, so it would otherwise pass as ASCII);
5. strict UTF-8 (most of the web);
6. the charset the page came with (the HTTP ``Content-Type`` of an archived response, given as
   ``decode(data, charset=...)``), then the one it declares (``<meta charset>`` or an XML
   declaration, in the first 1024 bytes as browsers do), unless it does not fit the bytes;
7. *mostly* UTF-8: when valid multi-byte sequences clearly outnumber the broken ones, the page
   is UTF-8 with damage (bad bytes become U+FFFD) rather than a legacy code page;
8. chardet, asked on the sample as it is and on the words carrying non-ASCII bytes alone
   (markup dilutes its statistics until it guesses Latin code pages for Cyrillic pages).

Text that was decoded with the wrong code page before it reached us ("cafÃ©", "Investorâ€™s":
UTF-8 read as Windows-1252 or Latin-1 and saved again) is repaired by ftfy's `fix_encoding`,
which undoes such round trips only where it is sure; it is asked only when the text has the
marks those round trips leave (a cheap search, since most pages have none).

Legacy encodings are decoded with the superset codec browsers use (Shift_JIS with cp932, EUC-KR
with cp949, GB2312/GBK with GB18030, Latin-1 with windows-1252) so that no character is lost;
the record names the encoding family (``shift_jis``, ``euc-kr``, ``gb18030``, ``windows-1252``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from cleaner.errors import PageError

_BOMS = (
    # UTF-32-LE first: its BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""",
    re.I,
)
_SAMPLE = 64 * 1024
# Control characters that never occur in text (everything below 0x20 but tab, LF, CR, FF, ESC;
# ESC is kept out because ISO-2022 encodings use it).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
# Words that carry non-ASCII bytes are what chardet needs to see. Shift_JIS trail bytes can be
# ASCII letters, but never whitespace or '<' '>', so splitting there keeps characters whole.
_SEPARATORS = re.compile(rb"[\s<>]+")
# Lines get split on CR/LF only; every other control character but TAB is dropped or made a
# space here, so rules and outputs never see them (NUL from bad copies, form feeds, C1 controls
# from mis-decoded windows-1252, Unicode line and paragraph separators).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_CONTROL_MAP = {i: " " for i in (*range(0x0B, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)}
# U+FEFF inside text is a BOM left by joined files; as the first character of an output it
# would be taken for a BOM when the output is read again.
_CONTROL_MAP.update({i: "" for i in (*range(0x00, 0x09), 0xFEFF)})
# The same without the C1 controls (U+0080 to U+009F), which the mojibake repair reads.
_C0_MAP = {i: v for i, v in _CONTROL_MAP.items() if not 0x80 <= i < 0xA0}

# Well-known binary formats, so that the reason names what the file really is.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office document"),
    (b"\x7fELF", "an executable"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data (not supported: decompress it first)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
)

# Charset labels Python does not know, mapped to a codec it does (from the WHATWG Encoding
# standard, which is what pages are written against).
_LABEL_ALIASES = {
    "windows-31j": "cp932", "x-sjis": "cp932", "windows-949": "cp949", "x-gbk": "gbk",
    "x-mac-cyrillic": "mac-cyrillic", "windows-874": "cp874", "iso-8859-8-i": "iso8859-8",
    "x-cp1251": "cp1251", "x-cp1252": "cp1252", "x-euc-jp": "euc_jp",
}
# Web pages are written in the encodings browsers offer; leaving out DOS, Mac and EBCDIC code
# pages keeps chardet from answering 'mac-latin2' or 'cp500' for a short Latin-1 page.
# (chardet 7 and later; older versions know no eras and get no such argument.)
# (chardet and ftfy are imported where they are first needed: most pages are UTF-8 without
# mojibake, and their imports cost a tenth of a second at every start.)


def _detect_args(chardet: Any) -> dict[str, Any]:
    era = getattr(chardet, "EncodingEra", None)
    return {"encoding_era": era.MODERN_WEB | era.LEGACY_ISO} if era is not None else {}
# The bytes where ISO-8859-15 (Latin-9) has other letters than ISO-8859-1 and windows-1252.
_LATIN9_ONLY = tuple(bytes([b]) for b in (0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE))
# Python codec name -> (name in the record, codec that decodes it without losing characters).
_FAMILIES = {
    "utf-8": ("utf-8", "utf-8"),
    "utf-8-sig": ("utf-8", "utf-8"),
    "ascii": ("windows-1252", "cp1252"),
    "iso8859-1": ("windows-1252", "cp1252"),
    "latin-1": ("windows-1252", "cp1252"),
    "shift_jis": ("shift_jis", "cp932"),
    "cp932": ("shift_jis", "cp932"),
    "euc_kr": ("euc-kr", "cp949"),
    "cp949": ("euc-kr", "cp949"),
    "gb2312": ("gb18030", "gb18030"),
    "gbk": ("gb18030", "gb18030"),
    "gb18030": ("gb18030", "gb18030"),
    "big5": ("big5", "big5hkscs"),
    "big5hkscs": ("big5", "big5hkscs"),
    "euc_jp": ("euc-jp", "euc_jp"),
    "iso2022_jp": ("iso-2022-jp", "iso2022_jp"),
    "cp866": ("ibm866", "cp866"),
    "mac-cyrillic": ("x-mac-cyrillic", "mac-cyrillic"),
    "cp874": ("windows-874", "cp874"),
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _binary_kind(head: bytes) -> str | None:
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF media file"
    if head[4:8] == b"ftyp":
        return "an MP4 or QuickTime media file"
    return None


def _looks_binary(sample: bytes) -> bool:
    """Binary files (images, archives, executables) have many control bytes; text has almost
    none."""
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls / len(sample) > 0.05


def _wide_without_bom(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, told by NUL bytes in fixed positions of the code units:
    the high byte of every ASCII character (markup, spaces, digits, newlines). Text that is
    mostly ASCII is certain; text in one other alphabet with some ASCII (Cyrillic, Greek,
    Arabic) must also decode cleanly and read as text."""
    if len(sample) < 8 or b"\x00" not in sample:  # (no NUL at all: most pages, found fast)
        return None
    sample = sample[: len(sample) - len(sample) % 4]
    lanes = [sample[i::4].count(0) / (len(sample) / 4) for i in range(4)]
    # UTF-32: the top two bytes of every unit are NUL, the lowest almost never is.
    if (lanes[2] > 0.9 and lanes[3] > 0.9 and lanes[0] < 0.05
            and (lanes[1] > 0.4 or _reads_as_text(sample, "utf-32-le"))):
        return "utf-32-le"
    if (lanes[0] > 0.9 and lanes[1] > 0.9 and lanes[3] < 0.05
            and (lanes[2] > 0.4 or _reads_as_text(sample, "utf-32-be"))):
        return "utf-32-be"
    even, odd = (lanes[0] + lanes[2]) / 2, (lanes[1] + lanes[3]) / 2
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    # Text in one non-Latin alphabet (Cyrillic, Greek, Arabic...): the high bytes are that
    # alphabet's block or NUL, two values nearly everywhere. Text with a few stray NULs has
    # all sorts of bytes in either lane, and stays out.
    if odd >= 0.02 and even <= 0.002 and _one_block(sample[1::2]):
        return "utf-16-le" if _reads_as_text(sample, "utf-16-le") else None
    if even >= 0.02 and odd <= 0.002 and _one_block(sample[0::2]):
        return "utf-16-be" if _reads_as_text(sample, "utf-16-be") else None
    return None


def _one_block(high_bytes: bytes) -> bool:
    counts = sorted((high_bytes.count(b) for b in set(high_bytes)), reverse=True)
    return sum(counts[:2]) >= 0.95 * len(high_bytes)


def _reads_as_text(sample: bytes, codec: str) -> str | None:
    """The sample decoded strictly, if it has no unassigned, private-use or control characters
    to speak of (what binary data decoded as UTF-16 is full of)."""
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError:
        # The sample may end inside a surrogate pair; drop a trailing unit and retry once.
        try:
            text = sample[:-2].decode(codec)
        except UnicodeDecodeError:
            return None
    junk = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs")
               and c not in "\t\n\r\f")
    return text if text and junk <= 0.01 * len(text) else None


def _utf16_cjk(data: bytes) -> str | None:
    """UTF-16 without a BOM and with little ASCII (Chinese, Japanese, Korean text), which has
    control bytes all over and is tried before such data is called binary. Both byte orders may
    decode into plausible ideographs, but the right one puts the characters into far fewer
    256-character blocks (the script's own)."""
    if len(data) < 64:
        return None
    sample = data[:_SAMPLE]
    sample = sample[: len(sample) - len(sample) % 2]
    blocks: dict[str, int] = {}
    for codec in ("utf-16-le", "utf-16-be"):
        text = _reads_as_text(sample, codec)
        if text is not None:
            blocks[codec] = len({ord(c) >> 8 for c in text})
    if not blocks:
        return None
    best = min(blocks, key=blocks.__getitem__)
    if len(blocks) == 2 and blocks[best] > 0.75 * max(blocks.values()):
        return None  # no clear winner: not UTF-16 text after all
    return best


def _family(label: str) -> tuple[str, str] | None:
    """(record name, decoding codec) of a charset label or chardet answer; None if unknown."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    if name in _FAMILIES:
        return _FAMILIES[name]
    if name.startswith("cp125"):
        return "windows-" + name[2:], name
    if name.startswith("iso8859-"):
        return "iso-" + name[3:], name
    return name.replace("_", "-"), name


def _declared_charset(sample: bytes) -> tuple[str, str] | None:
    # Only where a browser looks (the first 1024 bytes, WHATWG's prescan): further down, a
    # "<meta charset=...>" is more likely text about HTML than a declaration.
    match = _META_CHARSET.search(sample[:1024])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    return _plausible(_family(label))


def _plausible(family: tuple[str, str] | None) -> tuple[str, str] | None:
    """A declared charset worth trying. A page whose markup is readable as ASCII is not
    UTF-16/32, whatever it says (the WHATWG standard reads such a declaration as UTF-8), and
    UTF-8 already failed to decode."""
    if family is None or family[0].startswith(("utf-16", "utf-32", "utf-8")):
        return None
    return family


def _mostly_utf8(data: bytes) -> str | None:
    """The text, if ``data`` is UTF-8 with some damage: a few broken bytes from a bad copy or a
    cut, or valid multi-byte sequences clearly outnumbering broken ones. Legacy code pages
    almost never form valid UTF-8 sequences, so they fail this test."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")  # minus U+FFFD written on purpose
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    good = non_ascii - text.count("\ufffd")
    if good >= 4 * bad or (good and bad <= len(text) // 1000):
        return text
    return None


def _chardet(data: bytes) -> tuple[str, str] | None:
    """(record name, codec) of chardet's answer, or None when it has none. It is asked twice:
    on the sample as it is (the ASCII words around accented letters tell French from Baltic),
    and on the words that carry non-ASCII bytes alone (in markup-heavy pages those are too few
    among the ASCII for chardet to notice). The more confident answer wins."""
    # chardet reads <meta charset> too; a declaration still here was found implausible, and
    # must not sway the guess.
    sample = _META_CHARSET.sub(b"", data[:_SAMPLE])
    # Split rather than search: a search for words with high bytes backtracks quadratically
    # over long runs of ASCII.
    words = b" ".join(w for w in _SEPARATORS.split(data[: 4 * _SAMPLE]) if not w.isascii())
    import chardet

    detect_args = _detect_args(chardet)
    best: tuple[float, str] | None = None
    for candidate in (sample, words[:_SAMPLE]) if words != sample else (sample,):
        try:
            guess = chardet.detect(candidate, **detect_args)
        except Exception:  # a detector bug on odd input must cost one guess, not the page
            continue
        encoding, confidence = guess.get("encoding"), guess.get("confidence") or 0.0
        if encoding and (best is None or confidence > best[0]):
            best = (confidence, str(encoding))
    if best is None:
        return None
    family = _family(best[1])
    if family is None:
        raise PageError(f"detected encoding {best[1]!r} is not supported by Python; convert "
                        "the file to UTF-8")
    # ISO-8859-15 differs from windows-1252 in eight letters only (and in 0x80-0x9F, which
    # chardet would have seen); without them the text is the same, and one stable name is
    # better for the record than a coin toss between two.
    if family[0] == "iso-8859-15" and not any(b in data for b in _LATIN9_ONLY):
        return ("windows-1252", "cp1252")
    return family


def _decode_as(data: bytes, family: tuple[str, str]) -> Decoded:
    name, codec = family
    try:
        return Decoded(data.decode(codec, errors="replace"), name)
    except (UnicodeError, LookupError, ValueError) as exc:  # stateful codecs can still object
        raise PageError(f"cannot decode the page as {name} ({exc}); convert it to UTF-8") from exc


# The first character of a UTF-8 sequence read as Windows-1252 or Latin-1 ("Ã", "Â", "â", "Ð",
# ...) followed by what a continuation byte becomes: a C1 control, a Latin-1 sign or a
# Windows-1252 punctuation mark. Legitimate text almost never has such a pair.
_MOJIBAKE = re.compile("[ÂÃÄÅÆÇÐÑâãäåæçèéêëì][\x80-\xbf‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ€]")


_NUL_RUN = re.compile(rb"\x00{16,}")


def _refuse_nul_hole(sample: bytes) -> None:
    """Text with long runs of NUL bytes in it (a download cut off inside a pre-allocated file,
    a damaged disk) is text with a hole, not binary data: say so."""
    rest = _NUL_RUN.sub(b"", sample)
    if rest != sample and rest.strip() and not _looks_binary(rest):
        at = _NUL_RUN.search(sample)
        assert at is not None
        raise PageError(f"text with a hole of NUL bytes at byte {at.start():,} (an unfinished "
                        "download or a damaged file?); re-download the page")


def decode(data: bytes, charset: str | None = None) -> Decoded:
    """Decode page bytes to text; raises PageError for binary or undecodable input.

    ``charset`` is what the transport said (an HTTP ``charset=``): trusted before the page's own
    declaration, as browsers do, but after strict UTF-8, as a declaration is (servers that send a
    default charset for every page are common); an unknown label is ignored."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom):], (encoding, encoding))
    sample = data[:_SAMPLE]
    wide = _wide_without_bom(sample)
    if wide:
        return _decode_as(data, (wide, wide))
    what = _binary_kind(sample)
    if what:
        raise PageError(f"binary data ({what}), not a text page")
    if data and not data.strip(b"\x00"):
        raise PageError("only NUL bytes (an unfinished or pre-allocated download?)")
    if _looks_binary(sample):
        # UTF-16 Chinese, Japanese or Korean text without a BOM has control bytes in every
        # other position too; it is the one kind of text that looks like this.
        utf16 = _utf16_cjk(data)
        if utf16:
            return _decode_as(data, (utf16, utf16))
        _refuse_nul_hole(sample)
        raise PageError("binary data, not text (an image, archive or executable saved as a page?)")
    # ISO-2022-JP is 7-bit, so it would pass as UTF-8; its escapes give it away.
    if b"\x1b$B" in sample or b"\x1b$@" in sample:
        try:
            return Decoded(data.decode("iso2022_jp"), "iso-2022-jp")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    for declared in (_plausible(_family(charset)) if charset else None, _declared_charset(sample)):
        if declared:
            decoded = _decode_as(data, declared)
            # A multi-byte charset that does not fit the bytes was declared wrongly (templates
            # copied between sites); single-byte ones always "fit" and are taken on trust.
            if decoded.text.count("\ufffd") <= len(decoded.text) // 100:
                return decoded
    text = _mostly_utf8(data)
    if text is not None:
        return Decoded(text, "utf-8")
    family = _chardet(data)
    if family is None:
        raise PageError("no text encoding fits the bytes (binary data?); if it is text, "
                        "convert it to UTF-8")
    return _decode_as(data, family)


def normalise_lines(text: str) -> list[str]:
    """Split into lines: CRLF and CR folded, NULs and other control characters dropped (or made
    spaces where they separate words), ends stripped, mojibake repaired (`repair_line`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = _CONTROLS.search(text) is not None
    if controls:
        text = text.translate(_C0_MAP)  # (the C1 ones stay until the mojibake repair has read them)
    if not _MOJIBAKE.search(text):  # nearly every page
        if controls:
            text = text.translate(_CONTROL_MAP)
        return list(map(str.strip, text.split("\n")))
    return [repair_line(line) if _MOJIBAKE.search(line) else line.translate(_CONTROL_MAP).strip()
            for line in text.split("\n")]


def has_mojibake(line: str) -> bool:
    """Whether a line has the marks a mis-decoding leaves (and `repair_line` has work to do)."""
    return _MOJIBAKE.search(line) is not None


def repair_line(line: str) -> str:
    """One line (its C0 controls already gone) normalised as `normalise_lines` does, with its
    mojibake undone by ftfy's `fix_encoding`. The repair reads the C1 control characters a
    misread leaves inside its marks, so they go only after it; it runs again on what it gives
    until nothing changes, so that a line read a second time is not repaired again."""
    import ftfy

    line = line.strip()
    for _ in range(_REPAIR_ROUNDS):
        if not _MOJIBAKE.search(line):
            break
        fixed = ftfy.fix_encoding(line).translate(_CONTROL_MAP).strip()
        if fixed == line:
            break
        line = fixed
    return line.translate(_CONTROL_MAP).strip()


_REPAIR_ROUNDS = 4  # a text misread twice needs two; more is a text that keeps changing
