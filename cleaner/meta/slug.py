"""The words a page's URL says: its slug (the headline as the path spells it) and `fold`,
which spells a line's words as slugs do, so the two compare."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

WORD = re.compile(r"[^\W_]+")  # "harbour_ferry_times" is three words, as its slug spells it
_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$", re.IGNORECASE)


def url_path(url: str) -> str:
    """The path of a URL; empty for a string that is not one (an unclosed '[' in the host)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _latin_folds() -> dict[int, str]:
    """Latin letters with marks (U+00C0 to U+024F, and U+1E00 to U+1EFF: Vietnamese and others)
    -> their base letters, as slugs spell them; and the letters that do not decompose that way."""
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = "".join([c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)])
        if base != chr(code) and base.isascii():
            table[code] = base
    table.update({ord(k): v for k, v in {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l",
                                          "þ": "th", "ð": "d", "ı": "i"}.items()})
    return table


_LATIN_FOLDS = _latin_folds()


def fold(word: str) -> str:
    """A lower-case word as URL slugs spell it: Latin letters without their accents and other
    marks ('älven' -> 'alven', 'sécurité' -> 'securite', 'straße' -> 'strasse'); other scripts
    as they are ('новый' keeps its 'й'). Marks written apart from their letter are joined to it
    first."""
    return word if word.isascii() else unicodedata.normalize("NFC", word).translate(_LATIN_FOLDS)


def slug_words(url: str | None) -> set[str]:
    """The words of a page URL's slug ('/news/2024/03/city-council-approves-lanes.html' ->
    {'city', 'council', 'approves', 'lanes'}), lower-cased and `fold`-ed, percent-escapes undone;
    ids, dates and file suffixes are not words of it. Sites write the headline in the last segment of the path,
    under the sections ('/ideas-that-shape-the-city/river-lanes-explained'), so that is the slug
    when it has two words or more; otherwise ('/some-longer-slug-here/amp', '/p/123456') the
    longest segment with three words or more, or none."""
    return {word for word in slug_phrase(url) if not word.isdigit()}


def headline_slug(url: str | None) -> set[str]:
    """The slug words the headline search compares lines with: `slug_words`, else the one word
    of the path's last segment when that is all it says ('/news', '/support/searching',
    '/genre/Action/'): the name of a section, a listing or a manual's page, which its heading
    usually holds ('Industry News', 'Searching'). A word no line says ('index', 'viewtopic')
    leaves the text alone to decide, as any slug does."""
    words = slug_words(url)
    if words or not url:
        return words
    segments = [segment for segment in unquote(url_path(url)).split("/") if segment]
    if not segments:
        return set()
    named = [fold(w) for w in WORD.findall(_SUFFIX.sub("", segments[-1]).lower()) if not w.isdigit()]
    return set(named) if len(named) == 1 else set()


def slug_phrase(url: str | None) -> list[str]:
    """The words of the slug `slug_words` reads, in order and with its numbers
    ('/2025-top-100-web3-companies' -> ['2025', 'top', '100', 'web3', 'companies'])."""
    if not url:
        return []
    segments: list[tuple[int, list[str]]] = []  # (words that are not numbers, all the words)
    for segment in unquote(url_path(url)).split("/"):
        segment = _SUFFIX.sub("", segment)
        words = [fold(w) for w in WORD.findall(segment.lower())]
        named = sum(not w.isdigit() for w in words)
        if named or segment:
            segments.append((named, words if named else []))
    if segments and segments[-1][0] >= 2:
        return segments[-1][1]
    best: tuple[int, list[str]] = (0, [])
    for named, words in segments:
        if named >= 3 and named > best[0]:
            best = (named, words)
    return best[1]

