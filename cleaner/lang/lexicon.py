"""The lexicon: the words of each language the cleaner looks for, as data.

Byline cues ("By", "Von", "Par"), job titles, month and weekday names, the labels of a dateline
("Published", "Mis à jour"), the words of page furniture (comments, related links, share
buttons) live in ``cleaner/lang/lexicon/<kind>.yaml``, one file per kind, each word under the
languages that use it. Rules reference a kind inside their regexes (``{lexicon:months}``,
expanded by `expand`); Python code builds its patterns with `alternation`. The grammar (what
comes before and after a word, the case flags, ``\\b``) stays where the pattern is written.

A kind's file::

    description: What the words are for.
    words:
      en: [by]
      de: [von]
      fr: [par]

An item may be a list of words that name one thing (the forms of one month:
``[september, sept, sep]``); `groups` keeps them together, `words` flattens them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from cleaner.cachefiles import yaml_data

LEXICON_DIR = Path(__file__).with_name("lexicon")
_KIND = re.compile(r"[a-z][a-z0-9-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
# Characters with a meaning in a regex outside a character class. Everything else (spaces,
# hyphens, apostrophes, letters of any script) stands for itself, so an expanded pattern reads
# as the words were written, and RE2 and Python's engines read it alike.
_SPECIAL = re.compile(r"([\\.^$*+?{}\[\]|()])")
# A reference in a rule regex: '{lexicon:KIND}' or '{lexicon:KIND/LANG,LANG}'. A '{' that does
# not open a count ('{2}', '{1,3}') is a literal character in a regex, and no rule means the
# literal text '{lexicon:', so the form cannot clash with regex syntax; '\{lexicon:…}' stays
# literal.
_REFERENCE = re.compile(r"\\.|\{lexicon:([^{}]*)\}", re.DOTALL)


class LexiconError(ValueError):
    """An unknown kind or language, or a malformed lexicon file or reference."""


Words = tuple[str, ...]


@cache
def _load(kind: str) -> dict[str, tuple[Words, ...]]:
    """A kind's file: language -> its items, each a tuple of words (one word, or the forms of
    one thing)."""
    if not _KIND.fullmatch(kind):
        raise LexiconError(f"{kind!r} is not a lexicon kind name (lower-case letters, digits, '-')")
    path = LEXICON_DIR / f"{kind}.yaml"
    if not path.is_file():
        raise LexiconError(f"no lexicon kind {kind!r}; the kinds are: {', '.join(kinds())}")
    data = yaml_data(path)
    if not isinstance(data, dict) or not isinstance(data.get("words"), dict):
        raise LexiconError(f"{path}: a lexicon file is a mapping with 'description' and 'words'")
    table: dict[str, tuple[Words, ...]] = {}
    for language, items in data["words"].items():
        if not isinstance(language, str) or not _LANGUAGE.fullmatch(language) or not isinstance(items, list):
            raise LexiconError(f"{path}: 'words' maps language codes ('en', 'de') to lists of words")
        groups = []
        for item in items:
            group = tuple(item) if isinstance(item, list) else (item,)
            if not group or not all(isinstance(word, str) and word for word in group):
                raise LexiconError(f"{path}: {language}: {item!r} is not a word or a list of words")
            groups.append(group)
        table[language] = tuple(groups)
    return table


def kinds() -> list[str]:
    """Every kind of word the lexicon holds."""
    return sorted(p.stem for p in LEXICON_DIR.glob("*.yaml"))


def languages(kind: str) -> list[str]:
    """The languages that have words of ``kind``, in the order of its file."""
    return list(_load(kind))


def _chosen(kind: str, language: str | Iterable[str] | None) -> list[str]:
    table = _load(kind)
    if language is None:
        return list(table)
    chosen = [language] if isinstance(language, str) else list(language)
    unknown = [code for code in chosen if code not in table]
    if unknown:
        raise LexiconError(f"lexicon kind {kind!r} has no words for {', '.join(map(repr, unknown))}; "
                           f"its languages are: {', '.join(table)}")
    return chosen


def groups(kind: str, language: str) -> tuple[Words, ...]:
    """The items of ``kind`` in one language, each the words that name one thing, in the order
    of the file (the twelve months, each with its forms: ``('september', 'sept', 'sep')``)."""
    return _load(kind)[_chosen(kind, language)[0]]


@cache
def _words(kind: str, chosen: tuple[str, ...]) -> Words:
    table = _load(kind)
    return tuple(dict.fromkeys(word for code in chosen for group in table[code] for word in group))


def words(kind: str, language: str | Iterable[str] | None = None) -> Words:
    """The words of ``kind``: of one language, of several, or (None) of every language, in the
    order of the file, each once."""
    return _words(kind, tuple(_chosen(kind, language)))


def escape(word: str) -> str:
    """``word`` as a regex that matches it literally."""
    return _SPECIAL.sub(r"\\\1", word)


def capitalised(word: str) -> str:
    """``word`` with its first letter a capital ('mis à jour' -> 'Mis à jour'), the rest as written."""
    return word[:1].upper() + word[1:]


@cache
def _alternation(kind: str, chosen: tuple[str, ...], capitals: bool) -> str:
    forms = map(capitalised, _words(kind, chosen)) if capitals else _words(kind, chosen)
    # Longest first: where one word starts another ('publié le', 'publié'), the longer one is
    # tried first, as a reader would take it. Words of one length keep the file's order.
    ordered = sorted(dict.fromkeys(forms), key=len, reverse=True)
    return "|".join(map(escape, ordered))


def alternation(kind: str, language: str | Iterable[str] | None = None, *, capitals: bool = False) -> str:
    """The words of ``kind`` (as `words` chooses them) as regex alternatives, escaped, longest
    first, without a group around them: ``'september|january|…|may'``; with ``capitals``, each
    word's first letter a capital (for a case-sensitive pattern: 'September|January|…')."""
    return _alternation(kind, tuple(_chosen(kind, language)), capitals)


FORMS = ("capitalised",)  # what may follow a reference's kind and languages after a ':'


def reference_alternation(reference: str) -> str:
    """The group a reference's inside stands for: ``'months/de,fr'`` -> ``'(?:januar|…)'``,
    ``'months/en:capitalised'`` -> ``'(?:September|…)'``."""
    body, colon, form = reference.partition(":")
    kind, slash, codes = body.partition("/")
    chosen: list[str] | None = None
    if slash:
        chosen = [code.strip() for code in codes.split(",")]
        if not all(chosen):
            raise LexiconError(f"{{lexicon:{reference}}}: write the languages as 'KIND/en,de'")
    if colon and form not in FORMS:
        raise LexiconError(f"{{lexicon:{reference}}}: unknown form {form!r}; the forms are: {', '.join(FORMS)}")
    try:
        return f"(?:{alternation(kind.strip(), chosen, capitals=bool(colon))})"
    except LexiconError as exc:
        raise LexiconError(f"{{lexicon:{reference}}}: {exc}") from None


def expand(pattern: str) -> str:
    """``pattern`` with every ``{lexicon:KIND}``, ``{lexicon:KIND/LANG,LANG}`` or
    ``{lexicon:KIND/LANG:capitalised}`` replaced by a non-capturing group of the words (of every
    language, or of those named; capitalised on request). Raises LexiconError naming the
    reference when a kind, language or form is unknown."""
    if "{lexicon:" not in pattern:
        return pattern
    return _REFERENCE.sub(lambda m: m[0] if m[1] is None else reference_alternation(m[1]), pattern)
