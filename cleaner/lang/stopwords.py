"""The stop words of each language, which the content finder and the metadata search read: the
lists that ship with jusText (about 100 languages), and for Chinese and Japanese, which jusText
has none for, stopwords-iso's single characters (particles, pronouns, function words, which
those languages write without spaces around them).

A page needs one or two languages' words, so each is read when first asked for, from its one
list file: building all of them took two thirds of a second at every start, and importing
jusText (which pulls in its HTML parser) a tenth more, so its files are read where it installed
them without importing it.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

from cleaner.lang.words import UNSPACED

# ISO 639-1 code -> the jusText list of that language: the list's name resolved by pycountry,
# or by hand where pycountry names another code or none (Norwegian_Bokmal, Greek, Malay, ...).
# Lists without an ISO 639-1 code (Aromanian, Simple_English, ...) are left out.
# tests/test_language.py checks this against jusText's lists and pycountry.
JUSTEXT_LISTS = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "an": "Aragonese", "hy": "Armenian",
    "az": "Azerbaijani", "eu": "Basque", "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian",
    "br": "Breton", "bg": "Bulgarian", "ca": "Catalan", "cv": "Chuvash", "hr": "Croatian",
    "cs": "Czech", "da": "Danish", "nl": "Dutch", "en": "English", "eo": "Esperanto",
    "et": "Estonian", "fi": "Finnish", "fr": "French", "gl": "Galician", "ka": "Georgian",
    "de": "German", "el": "Greek", "gu": "Gujarati", "ht": "Haitian", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "is": "Icelandic", "io": "Ido", "ig": "Igbo", "id": "Indonesian",
    "ga": "Irish", "it": "Italian", "jv": "Javanese", "kn": "Kannada", "kk": "Kazakh",
    "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lv": "Latvian",
    "lt": "Lithuanian", "lb": "Luxembourgish", "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam",
    "mt": "Maltese", "mr": "Marathi", "ne": "Nepali", "nb": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "oc": "Occitan", "fa": "Persian", "pl": "Polish", "pt": "Portuguese",
    "qu": "Quechua", "ro": "Romanian", "ru": "Russian", "sr": "Serbian", "sk": "Slovak",
    "sl": "Slovenian", "es": "Spanish", "su": "Sundanese", "sw": "Swahili", "sv": "Swedish",
    "tl": "Tagalog", "ta": "Tamil", "te": "Telugu", "tr": "Turkish", "tk": "Turkmen",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "vo": "Volapuk",
    "wa": "Walloon", "cy": "Welsh", "fy": "West_Frisian", "pa": "Western_Panjabi", "yo": "Yoruba",
}
# Languages written without spaces between words, whose stop words are single characters
# (stopwords-iso's lists, as jusText has none): the finder matches them character by character.
CHARACTER_STOPWORDS = ("zh", "ja")


def script_of(word: str) -> str:
    """The Unicode script of a word's first letter ('LATIN', 'CYRILLIC', 'DEVANAGARI', ...)."""
    for char in word:
        if char.isalpha():
            return unicodedata.name(char, "?").split(" ")[0]
    return "?"


@cache
def stopwords_of(language: str | None) -> frozenset[str]:
    """The stop words of one language (empty when unknown). The jusText lists come from
    Wikipedia and carry stray foreign words; a word only counts for a language written in the
    word's own script."""
    if not language:
        return frozenset()
    if language in CHARACTER_STOPWORDS:
        import stopwordsiso  # reads every language's lists at import: only for these two

        return frozenset(w for w in stopwordsiso.stopwords(language) if len(w) == 1 and UNSPACED.match(w))
    name = JUSTEXT_LISTS.get(language)
    if name is None:
        return frozenset()
    words = [w.lower() for w in justext_list(name)]
    script = Counter(script_of(w) for w in words).most_common(1)[0][0]
    return frozenset(w for w in words if script_of(w) == script)


def justext_list(name: str) -> frozenset[str]:
    """jusText's stop list ``name``, read as its ``get_stoplist`` reads it."""
    data = (_justext_folder() / "stoplists" / f"{name}.txt").read_bytes()
    return frozenset(w.decode("utf8").lower() for w in data.splitlines())


@cache
def _justext_folder() -> Path:
    spec = importlib.util.find_spec("justext")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jusText is not installed", name="justext")
    return Path(next(iter(spec.submodule_search_locations)))
