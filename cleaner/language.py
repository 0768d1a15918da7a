"""Language of a page from its own words, without network or models: the stop-word lists that
ship with jusText (about 100 languages) voted per token, plus script checks for languages
written without spaces. Returns ISO 639-1 codes.

Detection runs on every page, and again on its output as it settles, so it reads no more of the
page than the answer needs: prose lines up to the sample's length, and the sample up to its
600th word."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from functools import cache

import justext
import pycountry

# jusText names that pycountry does not resolve to the ISO 639-1 code we want.
_NAME_FIXES = {
    "Norwegian_Bokmal": "nb", "Norwegian_Nynorsk": "nn", "Simple_English": None,
    "Serbo_Croatian": None, "Belarusian_Taraskievica": None, "Western_Panjabi": "pa",
    "West_Frisian": "fy", "Kurdish": "ku", "Malay": "ms", "Haitian": "ht", "Volapuk": "vo",
}
_WORD = re.compile(r"[^\W\d_]+")
_SCRIPT_RANGES = (
    (r"\u3040-\u30ff", "ja"),
    (r"\uac00-\ud7af", "ko"),
    (r"\u4e00-\u9fff", "zh"),
    (r"\u0e00-\u0e7f", "th"),
)
_SCRIPTS = tuple((re.compile(f"[{chars}]"), code) for chars, code in _SCRIPT_RANGES)
_ANY_SCRIPT = re.compile("[" + "".join(chars for chars, _ in _SCRIPT_RANGES) + "]")
_MAX_TOKENS = 600  # words of the sample that vote
_SCAN_CHARS = 200_000  # prose lines are looked for this far into the page
_SAMPLE_CHARS = 12_000  # the sample: this much of the page's prose
_SLICE_CHARS = 16_384  # the page is read this much at a time when looking for prose lines
_FIRST_TOKENS_SLICE = 2_048  # the sample is tokenised from this much on (600 words is ~4,000)
# Votes are added in fixed point: a vote of 1 is _ONE, each language has a _FIELD_BITS field of
# one big integer (600 votes of at most _ONE fit), and scores closer than _NEAR (far more than
# fixed point and float rounding can make of ~600 votes) are compared again exactly.
_ONE = 1 << 40
_FIELD_BITS = 64
_NEAR = 1e-6
_RECENT = 16  # samples whose answers are kept
_recent: dict[str, str | None] = {}
_UNKNOWN = object()


def _script(word: str) -> str:
    """The Unicode script of a word's first letter ('LATIN', 'CYRILLIC', 'DEVANAGARI', ...)."""
    for char in word:
        if char.isalpha():
            return unicodedata.name(char, "?").split(" ")[0]
    return "?"


class _Group:
    """The languages of a stop word, shared by all the words that have the same ones."""

    __slots__ = ("codes", "votes", "weight")

    def __init__(self, codes: tuple[str, ...], fields: dict[str, int]) -> None:
        self.codes = codes
        # A word in many lists (often English) says less.
        self.weight = len(codes) ** -0.5
        # A one in the field of each of its languages in a vote integer (see detect).
        self.votes = sum(1 << (_FIELD_BITS * fields[code]) for code in codes)


@cache
def _table() -> tuple[dict[str, _Group], tuple[str, ...]]:
    """word -> the languages whose stop-word list has it, and every language in field order.
    The lists come from Wikipedia and carry stray foreign words; a word only counts for a
    language written in the word's own script."""
    table: dict[str, list[str]] = {}
    for name in sorted(justext.get_stoplists()):
        code = _NAME_FIXES.get(name, "") if name in _NAME_FIXES else _iso(name)
        if not code:
            continue
        words = [w.lower() for w in justext.get_stoplist(name)]
        script = Counter(_script(w) for w in words).most_common(1)[0][0]
        for word in words:
            if _script(word) == script:
                table.setdefault(word, []).append(code)
    languages = tuple(sorted({code for codes in table.values() for code in codes}))
    fields = {code: i for i, code in enumerate(languages)}
    groups: dict[tuple[str, ...], _Group] = {}
    index: dict[str, _Group] = {}
    for word, codes in table.items():
        key = tuple(codes)
        if key not in groups:
            groups[key] = _Group(key, fields)
        index[word] = groups[key]
    return index, languages


def _index() -> dict[str, _Group]:
    return _table()[0]


def _iso(name: str) -> str | None:
    try:
        lang = pycountry.languages.lookup(name.replace("_", " "))
    except LookupError:
        return None
    code = getattr(lang, "alpha_2", None)
    return str(code) if code else None


def stopwords_of(language: str | None) -> frozenset[str]:
    """The stop words of one language (empty when unknown)."""
    if not language:
        return frozenset()
    return _stopwords(language)


@cache
def _stopwords(language: str) -> frozenset[str]:
    return frozenset(w for w, group in _index().items() if language in group.codes)


def detect(text: str) -> str | None:
    """ISO 639-1 code of the dominant language, or None when the text gives too little evidence."""
    sample = _sample(text)
    # The answer depends on the sample alone, and a page's output, detected again as it settles,
    # often has the same prose at its head as the page had.
    known = _recent.get(sample, _UNKNOWN)  # one lookup: safe when threads share the cache
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    if len(_recent) >= _RECENT:
        _recent.clear()
    found = _recent[sample] = _detect(sample)
    return found


def _detect(sample: str) -> str | None:
    # Most pages have none of these scripts: one search rules them all out before counting each.
    if not sample.isascii() and _ANY_SCRIPT.search(sample):
        for pattern, code in _SCRIPTS:
            hits = len(pattern.findall(sample))
            if hits > 50 and hits > len(sample) * 0.1:
                if code == "zh" and len(_SCRIPTS[0][0].findall(sample)) > hits * 0.05:
                    return "ja"
                return code
    tokens = _first_tokens(sample, _MAX_TOKENS + 1)
    if len(tokens) < 4:
        return None
    tokens = tokens[:_MAX_TOKENS]
    index, languages = _table()
    groups = Counter(filter(None, map(index.get, tokens)))
    if not groups:
        return None
    # Each stop word votes for its languages, weighted down by how many they are; the language
    # whose stop words cover most of the text wins (~40% of a page in that language). All the
    # languages are counted at once, one multiply-add per group of words in a big integer with
    # a field per language, rather than one float addition per word and language.
    total = 0
    for group, count in groups.items():
        total += round(count * group.weight * _ONE) * group.votes
    scores = memoryview(total.to_bytes(8 * len(languages), sys.byteorder)).cast("Q")
    top = max(scores)
    threshold = 0.03 * len(tokens)
    contenders = {languages[i] for i, score in enumerate(scores) if score >= top - _NEAR * _ONE}
    if len(contenders) == 1 and abs(top / _ONE - threshold) > _NEAR:
        return contenders.pop() if top / _ONE >= threshold else None
    # A near tie, or a score at the threshold: the contenders' votes are added again as floats,
    # token by token, so that the answer is exactly that of such a count; a tie goes to the
    # language voted for first.
    exact: dict[str, float] = {}
    for group in filter(None, map(index.get, tokens)):
        for code in group.codes:
            if code in contenders:
                exact[code] = exact.get(code, 0.0) + group.weight
    best = max(exact, key=exact.__getitem__)
    return best if exact[best] >= threshold else None


def _sample(text: str) -> str:
    """The first 12,000 characters of the page's prose lines (lines with six spaces or more),
    or of the page when it has none; prose lines carry the language, while menus and labels
    are often English on any site. Read in slices, since long pages fill the sample early."""
    head = text[:_SCAN_CHARS]
    prose: list[str] = []
    size = 0  # length of "\n".join(prose), plus one
    start = 0
    while start < len(head) and size <= _SAMPLE_CHARS:
        # Slices end just after a "\n", so that no line (nor a "\r\n") is cut in two.
        end = head.find("\n", start + _SLICE_CHARS) + 1 or len(head)
        # (Most lines of a scrape are blank: filter drops them without a Python-level test.)
        found = [line for line in filter(None, head[start:end].splitlines()) if line.count(" ") >= 6]
        prose += found
        size += sum(map(len, found)) + len(found)
        start = end
    return "\n".join(prose)[:_SAMPLE_CHARS] or text[:_SAMPLE_CHARS]


def _first_tokens(text: str, limit: int) -> list[str]:
    """The first ``limit`` words of ``text`` lower-cased (or all of them), without reading the
    rest: the text is read in slices, each sized for the words still wanted at the rate of
    characters per word seen so far. Slices end at a space, so that no word is cut in two, and
    lower-case the same alone as within the text (a final sigma looks no further than a space).
    """
    tokens: list[str] = []
    start = 0
    size = _FIRST_TOKENS_SLICE
    while start < len(text) and len(tokens) < limit:
        end = text.find(" ", start + size)
        if end < 0:
            end = len(text)
        tokens += _WORD.findall(text[start:end].lower())
        start = end
        size = (limit - len(tokens)) * start // max(len(tokens), 1) * 9 // 8 + 16
    return tokens[:limit]
