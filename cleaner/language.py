"""Language of a page from its own words, without network or models: the stop-word lists that
ship with jusText (about 100 languages) voted per token, plus script checks for languages
written without spaces. Returns ISO 639-1 codes."""

from __future__ import annotations

import re
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
_SCRIPTS = (
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
)
_MAX_TOKENS = 600


def _script(word: str) -> str:
    """The Unicode script of a word's first letter ('LATIN', 'CYRILLIC', 'DEVANAGARI', ...)."""
    for char in word:
        if char.isalpha():
            return unicodedata.name(char, "?").split(" ")[0]
    return "?"


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """word -> languages whose stop-word list has it. The lists come from Wikipedia and carry
    stray foreign words; a word only counts for a language written in the word's own script."""
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
    return {w: tuple(codes) for w, codes in table.items()}


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
    return frozenset(w for w, codes in _index().items() if language in codes)


def detect(text: str) -> str | None:
    """ISO 639-1 code of the dominant language, or None when the text gives too little evidence."""
    # Prose lines carry the language; menus and labels are often English on any site.
    prose = [line for line in text[:200000].splitlines() if line.count(" ") >= 6]
    sample = "\n".join(prose)[:12000] or text[:12000]
    for pattern, code in _SCRIPTS:
        hits = len(pattern.findall(sample))
        if hits > 50 and hits > len(sample) * 0.1:
            if code == "zh" and len(_SCRIPTS[0][0].findall(sample)) > hits * 0.05:
                return "ja"
            return code
    index = _index()
    votes: Counter[str] = Counter()
    tokens = 0
    for token in _WORD.findall(sample.lower()):
        tokens += 1
        if tokens > _MAX_TOKENS:
            break
        codes = index.get(token)
        if codes:
            weight = len(codes) ** -0.5  # a word in many lists (often English) says less
            for code in codes:
                votes[code] += weight
    if not votes or tokens < 4:
        return None
    # The language whose stop words cover most of the text (~40% of a page in that language),
    # each hit weighted down by how many lists share the word.
    best, hits = votes.most_common(1)[0]
    if hits < 0.03 * min(tokens, _MAX_TOKENS):
        return None
    return best
