"""Language of a page from its own words, without network access: py3langid's model (a naive
Bayes classifier over byte n-grams, shipped in the package; 116 of its languages have an ISO 639-1
code) reads a sample of the page's prose. Returns ISO 639-1 codes.

The stop words of each language come from `stopwords.py` (re-exported here); word stems, which
the headline search reads in languages other than English, from the Snowball stemmers
(PyStemmer).

Detection runs on every page, and again on its output as it settles, so it reads no more of the
page than the answer needs: prose lines up to 2,000 characters (on all but 5 of 1,497 pages,
the model says the same of 12,000)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, cached_property
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import Stemmer
from py3langid import langid
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from cleaner import cachefiles, core
from cleaner.lang import modelcache
from cleaner.lang.stopwords import stopwords_of

__all__ = ["detect", "language_code", "load_model", "required_code", "stemmer_of", "stopwords_of"]

# py3langid codes named otherwise here: Norwegian is written in Bokmål by most.
_CODE_FIXES = {"no": "nb"}
_NO_LANGUAGE = "zxx"  # py3langid's class for text without language (codes, markup, numbers)
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_MIN_WORDS = 4  # words of two letters or more the sample needs before it says anything
# Below this probability the model is guessing (menus of product names, lists of numbers).
MIN_CONFIDENCE = 0.5
_SCAN_CHARS = 200_000  # prose lines are looked for this far into the page
_SAMPLE_CHARS = 2_000  # the sample: this much of the page's prose
_SLICE_CHARS = 16_384  # the page is read this much at a time when looking for prose lines
_RECENT = 16  # samples whose answers are kept
_recent: dict[str, str | None] = {}
_UNKNOWN = object()


def language_code(name: str) -> str | None:
    """The ISO 639-1 code the cleaner uses for a language a caller names by its code ("sv",
    "SV", "no" -> "nb"), or None when ISO 639-1 has no such code."""
    import pycountry  # loads its tables at import: only when a caller names a language

    code = name.strip().lower()
    code = _CODE_FIXES.get(code, code)
    if len(code) != 2 or not code.isalpha() or pycountry.languages.get(alpha_2=code) is None:
        return None
    return code


def required_code(name: str) -> str:
    """`language_code` of ``name``; a ValueError saying what to give when it has none."""
    code = language_code(name)
    if code is None:
        raise ValueError(f"unknown language code {name!r}: give an ISO 639-1 code such as en, fr or sv")
    return code


# The Snowball stemmer of each language that has one, by ISO 639-1 code. English is left out: its
# words change little, and the shipped headline models were fitted on English pages comparing
# words as they are (with English stems too, their cross-validated top-1 on articles was 0.600
# against 0.597, within the noise between fits).
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german", "el": "greek",
    "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian", "fa": "persian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


@cache
def stemmer_of(language: str | None) -> Callable[[list[str]], list[str]] | None:
    """A function from lower-case words to their stems in ``language`` ("reglerna", "regler"
    -> "regl"), or None for English and for languages without a Snowball stemmer: words that
    differ only in their inflection are the same word to it."""
    name = _SNOWBALL.get(language or "")
    if name is None:
        return None
    stem_words: Callable[[list[str]], list[str]] = Stemmer.Stemmer(name).stemWords
    return stem_words


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
    # (the first few words tell: a sample runs to 2,000 characters)
    if sum(1 for _ in islice(_LETTERS.finditer(sample), _MIN_WORDS)) < _MIN_WORDS:
        return None
    code: str
    probability: float
    code, probability = _identifier().classify(sample)
    if probability < MIN_CONFIDENCE or code == _NO_LANGUAGE:
        return None
    return _CODE_FIXES.get(code, code)


class _Identifier(LanguageIdentifier):  # type: ignore[misc]
    """py3langid's identifier, its byte walk (`visit_counts`, most of its time) run by the
    compiled core when there is one: the same features in the same order, so the same scores."""

    _automaton: core.ByteAutomaton | None = None  # made on first use

    def __init__(self, *args: Any, tk_row: Any, **kwargs: Any) -> None:
        # py3langid turns every state's row into a list of Python ints at once (a hundred
        # thousand of them, tens of milliseconds of every start), which only its own byte walk
        # reads: it is made on first use instead (`_rowbase`), and the compiled walk never asks.
        super().__init__(*args, tk_row=(), **kwargs)
        self.tk_row = tk_row
        del self._rowbase

    @cached_property
    def _rowbase(self) -> list[int]:
        return [row << 8 for row in self.tk_row]

    def _raw_score(self, text: bytes) -> Any:
        automaton = self._compiled() if core.KERNEL is not None else None
        if automaton is None:
            return super()._raw_score(text)
        table = self._half_table()
        if table is None:
            features, counts = automaton.visit_counts(text)
            if not features:
                return super()._raw_score(b"")  # py3langid's answer for a text without features
            rows = self.nb_ptc[np.array(features, dtype=np.intp)]
        else:
            # The walk gathers the features' rows and casts them to f32 itself: numpy's gather
            # and half-to-float cast took as long as the walk (the same floats: tests/test_core.py).
            counts, gathered = automaton.visit_rows(text, table, self.nb_ptc.shape[1])
            if not counts:
                return super()._raw_score(b"")
            rows = np.frombuffer(gathered, np.float32).reshape(len(counts), self.nb_ptc.shape[1])
        # py3langid's `_sparse_score` on the walk's lists as they come (its features are distinct,
        # in the order they first appear, as its dict's keys are): no dict made and read again.
        weights = np.log1p(np.array(counts, dtype=np.float32))
        return weights @ rows + self.nb_pc

    def _half_table(self) -> memoryview | None:
        """The model's class scores as the compiled walk reads them (their IEEE half floats'
        bits, row after row), or None when they are kept otherwise (the reference runs)."""
        scores = self.nb_ptc
        if scores.dtype != np.float16 or not scores.flags.c_contiguous or scores.ndim != 2:
            return None
        return memoryview(scores.view(np.uint16))

    def _compiled(self) -> core.ByteAutomaton | None:
        """The compiled automaton of the model's tables; its transition table (tens of
        megabytes, mapped from the cache file when there is one) is shared, not copied."""
        if self._automaton is None and core.KERNEL is not None:
            nextmove = memoryview(self.tk_nextmove)
            if nextmove.format != "I" or nextmove.itemsize != 4:
                return None
            self._automaton = core.KERNEL.ByteAutomaton(
                nextmove.toreadonly(), np.ascontiguousarray(self.tk_row, dtype=np.uint32).data,
                np.ascontiguousarray(self.tk_output, dtype=np.int32).data)
        return self._automaton


@cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model, restricted to the languages with an ISO 639-1 code (its other classes,
    regional languages and dialects, go to the nearest of those), plus "zxx" (no linguistic
    content), which detects as no language. Loaded once per process, on first use: mapped from
    the cache folder the caller named (`cachefiles.folder`; stored by `modelcache`), else read
    from py3langid's file (and stored in that folder for the next start)."""
    folder = cachefiles.folder()
    model_file = Path(langid.MODEL_DIR) / MODEL_FILE
    key = modelcache.key(model_file, Path(str(langid.__file__))) if folder is not None else ""
    stored = modelcache.read(folder, key) if folder is not None else None
    if stored is not None:
        return _Identifier(stored.ptc, stored.pc, stored.classes, stored.nextmove, stored.output,
                           norm_probs=True, tk_row=stored.row)
    found = _Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    found.set_languages([code for code in found.nb_classes if len(code) == 2 or code == _NO_LANGUAGE])
    # Scoring gathers the rows of a text's features: cut down, the table is Fortran-ordered, where
    # one row's classes lie a whole column apart (a cache miss each), four times slower to gather
    # than rows laid out whole. The rows gathered are the same values in the same layout either
    # way, so the scores are the same to the bit.
    found.nb_ptc = np.ascontiguousarray(found.nb_ptc)
    if folder is not None:
        modelcache.write(folder, key, modelcache.Arrays(found.nb_ptc, found.nb_pc, found.nb_classes,
                                                        found.tk_nextmove, found.tk_row, found.tk_output))
    return found


def load_model() -> None:
    """Load the detection model now (a parent process does it before forking its workers, so
    that each does not load it again)."""
    _identifier()


def _sample(text: str) -> str:
    """The first 2,000 characters of the page's prose lines (six spaces or more between words),
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
        found = [line for line in filter(None, head[start:end].splitlines())
                 if line.count(" ") >= 6 and line.strip().count(" ") >= 6]
        prose += found
        size += sum(map(len, found)) + len(found)
        start = end
    return "\n".join(prose)[:_SAMPLE_CHARS] or text[:_SAMPLE_CHARS]
