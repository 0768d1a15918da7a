"""The shapes of a byline's names, shared by the byline search (`cleaner.meta.byline`), and the
forum poster: the member a thread's page says opened it ('Thread starter' then 'jane_doe'),
which `byline.find_authors` takes before any byline-shaped candidate.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import regex

from cleaner import core
from cleaner.lang import lexicon
from cleaner.lazypattern import lazy_re, lazy_regex
from cleaner.meta.date import date_pattern, has_date


def any_of(words: Iterable[str]) -> str:
    """``words`` as regex alternatives, escaped, in the order given."""
    return "|".join(map(lexicon.escape, words))


def word_tree(words: Sequence[str]) -> str:
    """``words`` as one regex that matches each of them and nothing else, their common starts
    said once ('c(?:eo|hef|o(?:ach|o))'): at a place where a word may start, the engine tries
    the few words of one first letter, not each of the list's words in turn."""
    tails: dict[str, list[str]] = {}
    for word in dict.fromkeys(words):
        if word:
            tails.setdefault(word[0], []).append(word[1:])
    branches = [lexicon.escape(first) + word_tree(rest) for first, rest in tails.items()]
    if not branches:
        return ""
    if len(branches) == 1 and "" not in words:
        return branches[0]
    return f"(?:{'|'.join(branches)})?" if "" in words else f"(?:{'|'.join(branches)})"


def first_letters(words: Iterable[str]) -> regex.Pattern[str]:
    """The first letters of ``words``, case aside, as a pattern to match at a text's start: a
    case-insensitive `regex` pattern of the words can match a text only when this one does. (The
    same engine and flag, not ``str.casefold``: their Unicode tables and case foldings differ.)"""
    return lazy_regex(f"(?i:{'|'.join(sorted({regex.escape(word[:1]) for word in words}))})")


# The words of a name are one or two spaces apart: a wider gap is the template's, between blocks
# ("By  Jane Doe     Fact checked"). Lower-case particles may stand between them ('de', 'van',
# 'bin'), each a whole word: 'del' of 'Maria del Carmen' is not read as 'de', where the names
# would end ('Maria de'); one joined to the next name by a hyphen or an apostrophe goes with
# it ('Nasser al-Ahmad'), not without it ('Nasser al').
PARTICLES = "|".join(sorted(map(lexicon.escape, lexicon.words("name-particles")), key=len))
NAME = (rf"\p{{Lu}}[\p{{L}}.'’-]*(?:\s{{1,2}}(?!\s)(?:\p{{Lu}}[\p{{L}}.'’-]*"
        rf"|(?:{PARTICLES})(?:[-'’]\p{{Lu}}[\p{{L}}.'’-]*)?(?![\p{{L}}'’-]))){{0,3}}")
# The languages whose word between two names ('and', 'und') the byline model learnt with.
CONJUNCTIONS = lexicon.words("name-conjunctions", ("en", "de", "fr", "es", "ru", "id"))
AND = "(?:" + "".join(rf"\b{lexicon.escape(word)}\b|" for word in CONJUNCTIONS) + "&)"
NAMES = rf"{NAME}(?:\s*(?:,\s*{AND}?|{AND})\s*{NAME}){{0,3}}"  # "A, B, and C"

# A name ends at a wide gap, a bar or a dash that sets the next block apart ('Jane Doe   March 5,
# 2024', 'Jane Doe | Guest Columnist', 'Jane Doe - Product marketer', 'Jane Doe—10 min read').
BLOCK_GAP = regex.compile(r"\s{3,}|\s+[|•·]\s*|\s[-–—]\s|(?<=\p{Ll})[—–]")


@cache
def first_names() -> frozenset[str]:
    """Given names of many countries, lower-cased: Faker's lists for its 80-odd locales, as
    bench/first_names.py wrote them into the package (importing Faker's providers costs a third
    of a second). A byline starts with one ("Rebecca", "Miguel"); a menu label ("Select Page")
    does not."""
    with Path(__file__).with_name("first_names.json").open(encoding="utf-8") as stream:
        return frozenset(json.load(stream)["names"])


# A forum's label for the member who opened the thread, alone on its line (the name on the
# next) or before the name ('Thread starter jane_doe'); and the thread header's 'started by
# jane_doe, May 26, 2025', the day right after the comma (not prose: 'started by lightning, on
# May 3'). A member's name may be any one token ('jane_marlow', 'j.marlow') or a name's words.
_POSTER_LABEL = lazy_regex(
    rf"(?i)^(?:{any_of(lexicon.words('poster-labels'))})\s*:?\s*(?P<names>\S.{{0,40}})?$")
_STARTED_BY = lazy_regex(rf"(?i)\b(?:{any_of(lexicon.words('starter-verbs'))})\s+(?P<names>[^,\n]{{2,40}}),\s*")
_ASKED = lazy_regex(rf"(?i)^(?:{any_of(lexicon.words('asked-labels'))})\s+(?P<day>.{{4,40}})$")
_MEMBER = regex.compile(rf"[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}._-]{{1,39}}|{NAMES}")
_FIRST_POST = regex.compile(r"(?:^|\s)#1(?:\s|$)")
# The mark a forum prints after the name of the thread's starter, set apart by a wide gap or a bar
# ('jane_doe   Discussion starter', 'jane_doe | Original poster'). A wide gap is two blanks right
# before the mark, and the blanks before a bar are left to the strip: a searched '\s{2,}' or
# '\s*[|•·]' starts at every blank of a long run and reads the run to its end each time (minutes
# on a line of 40,000 blanks).
_STARTER_MARK = lazy_regex(rf"(?i)(?:\s\s|[|•·]\s*)(?:{any_of(lexicon.words('starter-marks'))})$")
# A member's handle rather than a heading ('Overview' under a listicle's '#1 Released March 3'):
# a digit, underscore or dot in it, or a lower-case first letter.
_HANDLE = regex.compile(r"[\d_.]|^\p{Ll}")
# What the four shapes above need, where they need it: the labels and 'asked' opening a line,
# '#1' set apart, a starter verb as words. Most pages have none, and a look at the whole page (its
# lines joined, lower-cased as the lexicon's words are) tells so, where the shapes would be tried
# line by line: each word (or '#1') found as a plain substring, then this pattern (`re`,
# case-sensitive) tried on that word's line alone (`_has_poster_place`). Every match holds one of
# the words, and a long alternation tried at every place of a long page costs milliseconds.
_POSTER_WORDS = (*(word for kind in ("poster-labels", "asked-labels", "starter-verbs", "member-card-labels",
                                      "member-count-labels", "presence-labels", "starter-marks")
                   for word in lexicon.words(kind)), "#1")
# The words looked for: a line that holds a word holding another ('administrator', 'admin') holds
# that other too, so the shorter alone finds the same lines.
_POSTER_SCAN = tuple(word for word in dict.fromkeys(_POSTER_WORDS)
                     if not any(other != word and other in word for other in _POSTER_WORDS))
_POSTER_PLACES = lazy_re(
    rf"(?m)^\s*(?:{any_of([*lexicon.words('poster-labels'), *lexicon.words('asked-labels')])})"
    rf"|^(?:{any_of(lexicon.words('member-card-labels'))})$|^(?:{any_of(lexicon.words('member-count-labels'))})\s*:"
    rf"|^(?:{any_of(lexicon.words('presence-labels'))})$"
    r"|(?:^|\s)#1(?:\s|$)"
    rf"|(?:\s\s|[|•·]\s*)(?:{any_of(lexicon.words('starter-marks'))})$"  # (`_STARTER_MARK`'s gap)
    rf"|\b(?:{any_of(lexicon.words('starter-verbs'))})\s")
_INK = re.compile(r"\S")


def _has_poster_place(page: str) -> bool:
    """Whether `_POSTER_PLACES` matches in ``page`` (lower-cased), as a search of the whole page
    would tell: tried around each line that holds one of its words, from the line's start to the
    end of the line that holds the first character after it that is not a blank (a count label's
    colon may stand there, 'posts' then ':'; a pattern's blank after the word may be the newline).
    The search ends at a line's end, where '$' and '\\b' hold on the whole page too."""
    for start in _word_lines(page):
        line_end = page.find("\n", start)
        ink = _INK.search(page, line_end) if line_end >= 0 else None
        stop = page.find("\n", ink.end()) if ink is not None else -1
        if _POSTER_PLACES.search(page, start, stop if stop >= 0 else len(page)) is not None:
            return True
    return False


_POSTER_LITERALS: list[core.Literals] = []  # the compiled core's automaton of the words, made on first use


def _word_lines(page: str) -> Iterable[int]:
    """Where each line of ``page`` that holds one of `_POSTER_SCAN`'s words starts: the compiled
    core reads the page once for all of them, where a search of the page for each word reads it
    once a word."""
    kernel = core.KERNEL
    if kernel is None:
        found = set()
        for word in _POSTER_SCAN:
            at = page.find(word)
            while at >= 0:
                found.add(page.rfind("\n", 0, at) + 1)
                line_end = page.find("\n", at)
                at = page.find(word, line_end) if line_end >= 0 else -1
        return sorted(found)
    if not _POSTER_LITERALS:
        _POSTER_LITERALS.append(kernel.Literals([list(_POSTER_SCAN)]))
    literals = _POSTER_LITERALS[0]
    if not literals.held([page])[0]:
        return []  # (most pages: one reading of the page tells)
    lines = page.split("\n")
    held = literals.held(lines)
    # A line's start: the characters of the lines above it and their newlines.
    ends = [0, *itertools.accumulate(map(len, lines))]
    # (a line the core cannot read, with a lone surrogate, is said to hold every word)
    starts = [ends[k] + k for k, bits in enumerate(held)
              if bits and any(word in lines[k] for word in _POSTER_SCAN)]
    return starts


# A member's card beside a post: the name alone, a `member-card-labels` label alone on the line
# under it ('Registered User') or a `member-count-labels` one and its value ('Posts: 12'), or a
# `presence-labels` one above a handle ('Offline').
_CARD_LABEL = lazy_regex(rf"(?i)^(?:{any_of(lexicon.words('member-card-labels'))})$"
                         rf"|^(?i:{any_of(lexicon.words('member-count-labels'))})\s*:\s*\S")
_STATUS = lazy_regex(rf"(?i)^(?:{any_of(lexicon.words('member-card-labels'))})$")
_PRESENCE = lazy_regex(rf"(?i)^(?:{any_of(lexicon.words('presence-labels'))})$")
# A line that is a card's status or presence label alone is no longer than the longest label (case
# aside, a label matches letter for letter); a count label has its colon.
_STATUS_CHARS = max(map(len, lexicon.words("member-card-labels")))
_PRESENCE_CHARS = max(map(len, lexicon.words("presence-labels")))
CARD_NAME_WORDS = 3  # a member's name in a card is this short


def forum_poster(lines: Sequence[str], language: str | None) -> str | None:
    """The member who opened a forum thread, as the page names them by a `poster-labels` label,
    a `starter-verbs` header with a date right after the name's comma, the first post's header
    ('#1' and its day, the poster's handle or given name under it), or the asker's card of a
    question ('asked' and the day, `asked-labels`), the name on the next line, or a `starter-marks`
    mark after the name on its line ('jane_doe   Discussion starter'); None when the page has none
    of them."""
    if not _has_poster_place("\n".join(lines).lower()):
        return None
    dates = date_pattern(language)
    for index, line in enumerate(lines):
        label = _POSTER_LABEL.match(line.strip())
        asked = _ASKED.match(line.strip()) if label is None else None
        if asked is not None and not has_date(asked.group("day"), dates):
            asked = None
        if label is not None or asked is not None:
            names = (label and label.group("names")) or (lines[index + 1].strip() if index + 1 < len(lines) else "")
            head = BLOCK_GAP.split(names, maxsplit=1)[0].strip()
            if head and _MEMBER.fullmatch(head):
                return head
        if _FIRST_POST.search(line) and has_date(line, dates) and index + 1 < len(lines):
            # the first post's header ('#1 2025-11-01 15:14:37'), its poster's name under it
            head = BLOCK_GAP.split(lines[index + 1].strip(), maxsplit=1)[0].strip()
            if (_MEMBER.fullmatch(head) and " " not in head
                    and (_HANDLE.search(head) or head.lower() in first_names())):
                return head
        if (mark := _STARTER_MARK.search(line)) is not None:
            head = line[:mark.start()].strip()
            if head and len(head.split()) <= CARD_NAME_WORDS and _MEMBER.fullmatch(head):
                return head
        started = _STARTED_BY.search(line)
        if started is not None:
            name = started.group("names").strip()
            if _MEMBER.fullmatch(name) and dates.match(line, started.end()):
                return name
    return None


def first_card(lines: Sequence[str]) -> str | None:
    """The member of the page's first post card, the first line with a card's label deciding: a
    one-word name alone on the line over a `member-card-labels` status ('jane_doe' then
    'Registered User'; not 'Tom Reed' over 'Administrator', a staff list's job title, nor a
    German show's presenter over 'Moderator'), a handle (a digit, `_` or `.` in it, or in lower
    case) over a `member-count-labels` count ('j.doe' then 'Posts: 12'; a name over it may be a
    rank the forum gave, 'Veteran'), or under a `presence-labels` mark ('Offline' then
    'jane_doe'). None when that first card's name is not so plain: a later card is a reply's.
    Weaker evidence than `forum_poster`'s: an article's comment cards look the same, so the caller
    asks only when the page has no byline."""
    for index in range(1, len(lines)):
        line = lines[index].strip()
        if len(line) > _STATUS_CHARS and len(line) > _PRESENCE_CHARS and ":" not in line:
            continue
        if _CARD_LABEL.match(line):
            name = lines[index - 1].strip()
            # A status under a name of several words is a job title under a person's name.
            if _card_name(name) and (_HANDLE.search(name) or (_STATUS.match(line) and " " not in name)):
                return name
            return None
        if _PRESENCE.match(line) and index + 1 < len(lines):
            name = lines[index + 1].strip()
            return name if _card_name(name) and " " not in name and _HANDLE.search(name) else None
    return None


def _card_name(name: str) -> bool:
    """Whether ``name`` may be a member's name in a card: short, name- or handle-shaped, no label."""
    return (bool(name) and len(name) <= 40 and len(name.split()) <= CARD_NAME_WORDS and bool(_MEMBER.fullmatch(name))
            and not _CARD_LABEL.match(name) and not _PRESENCE.match(name))
