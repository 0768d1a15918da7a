"""Where `cleaner.meta.byline` looks for a name beyond the lines around the region start: a
byline's block printed on lines of its own (the name alone, a short date, job title or reading
time beside it), and an author's box opening with the name alone over a bio; and the names the
page's bios open with, that vouch for a byline's name elsewhere. All are looked for in the whole
page, so each line is first put to a cheap test that it may be one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import regex

from cleaner.lang import lexicon
from cleaner.lazypattern import lazy_regex
from cleaner.meta.date import has_date
from cleaner.meta.names import BLOCK_GAP, NAME, NAMES, first_names, word_tree

# A comma before a job title ends the names: 'Jane Doe, Privacy and Digital Security Expert',
# 'Jane Doe and John Roe, Extension horticulture educators' (the title's words read to the end of
# the byline, past what the name pattern took). Only whether a line holds one is asked, so the
# order of the words does not matter.
ROLE = lazy_regex(rf"(?i)\b{word_tree(lexicon.words('role-words'))}s?\b")
# A byline's block printed on lines of its own: the name alone, and on the line before or after
# it a short date ('Jane Doe' then 'Last Updated: Dec 17, 2025'), a job title ('Content
# Editor'), or a reading time ('5 min read'). Looked for in the whole page, as a template's
# header may stand far from the region the finder chose.
BLOCK_NAME = lazy_regex(rf"^(?:{NAMES})$")
_READ_TIME = regex.compile(r"(?i)\b\d+\s*(?:min(?:ute)?s?|m)\.?\s+read\b")
BLOCK_NEIGHBOUR_WORDS = 8  # a date, job title or reading time line beside a name is this short
BIO_WORDS = 8  # a bio under a name alone is this long
BLOCK_LINE_CHARS = 80  # a line opening with a block's name is this short
BLOCK_NAME_WORDS = 5  # and its name this many words at most
BIO_NAME_CHARS = 40  # a name alone over a bio is this short

# What no name holds: a name pattern (`NAMES`) takes letters, '.', apostrophes, '-', blanks,
# commas and '&' (its particles and conjunctions are letters). One quick search turns a line away
# before the name pattern is tried. These quick tests are `regex` patterns as the patterns they
# guard are: `re` reads an older Unicode, whose letters and digits are fewer.
NOT_NAME = regex.compile(r"[^\p{L}\s.'’,&\-]")
# What `BLOCK_GAP` cuts at: three blanks, or a blank, bar, dot or dash; most lines have none.
_GAP_MARK = regex.compile(r"[|•·—–\-]|\s\s\s")
_DIGIT = regex.compile(r"\d")  # in every reading time (`_READ_TIME`); a date's year is ASCII digits

# A dateline printed as blocks (a date, the name, a category) is this short, in this few blocks.
DATELINE_CHARS, DATELINE_BLOCKS = 160, 4
_SEPARATORS = " \t|•·—–-"
# Its blocks are set apart as a byline's are (`BLOCK_GAP`), or by a bar or dot with no space
# ('Jane Doe•Oct 20, 2025').
_DATELINE_GAP = regex.compile(r"\s{3,}|\s*[|•·]\s*|\s[-–—]\s|(?<=\p{Ll})[—–]")
_TRAILING_WORD = regex.compile(r"\s+\p{Ll}{1,3}$")
# The section a dateline files the post under after the name ('Jane Doe in Project Management').
_IN_SECTION = regex.compile(r"\s+in\s+\p{Lu}.*$")
# A figure among a dateline's blocks: a reading time or a count of words ('30 min', '6279 words').
_FIGURE = regex.compile(r"\d[\d,.]*\s*\p{L}{1,8}\.?(?:\s+\p{L}{1,8})?")
# Names and lower-case words after them; the names taken whole, as a particle between two of
# their words is lower-case too ('Sanne de Boer' stays whole).
_NAME_THEN_WORDS = lazy_regex(rf"^(?P<names>(?>{NAMES}))(?=\s+\p{{Ll}})")


def byline_blocks(lines: Sequence[str], first: int, stop: int, dates: re.Pattern[str]) -> set[int]:
    """The indexes of the lines in ``first`` to ``stop`` that open with a name alone (up to a gap
    or a bar) and have a short date, job title or reading time after the gap or on the line
    before or after: a byline's block."""
    found = set()
    # Whether a line is a partner, asked once: menus make runs of name-shaped lines, each asking
    # of the lines above and below it.
    partners: dict[int, bool] = {}

    def partner(j: int) -> bool:
        if j not in partners:
            partners[j] = _block_partner(lines[j], dates)
        return partners[j]

    for index in range(first, stop):
        line = lines[index]
        if len(line) > BLOCK_LINE_CHARS or not line[:1].isupper():
            continue
        parts = BLOCK_GAP.split(line, maxsplit=1) if _GAP_MARK.search(line) else [line]
        if (len(parts[0].split()) > BLOCK_NAME_WORDS or NOT_NAME.search(parts[0])
                or not BLOCK_NAME.match(parts[0].strip())):
            continue
        if ((len(parts) > 1 and _block_partner(parts[1], dates))
                or any(partner(j) for j in (index - 1, index + 1) if 0 <= j < len(lines))):
            found.add(index)
    return found


def _block_partner(text: str, dates: re.Pattern[str]) -> bool:
    """Whether ``text`` is what a byline's block prints beside the name: a short date, job
    title or reading time."""
    text = text.strip()
    if not text:
        return False
    if len(text.split()) > BLOCK_NEIGHBOUR_WORDS:
        # A longer line still is one when it opens with the date ('Mar 4, 2025 • 6 min read
        # Fact checked by …', or a scraper gluing the date to the first sentence: 'December 19,
        # 2025The council voted …'), or its first block is a short date ('Last Updated: Mar 4, 2025 • …').
        head = BLOCK_GAP.split(text, maxsplit=1)[0]
        return bool(dates.match(text)) or (head != text and _block_partner(head, dates))
    # (a date and a reading time hold a digit: most lines beside a name, a menu's, have none)
    return bool((_DIGIT.search(text) and (_READ_TIME.search(text) or has_date(text, dates))) or ROLE.search(text))


def named_bios(lines: Sequence[str], first: int, stop: int) -> set[int]:
    """The lines in ``first`` to ``stop`` that hold a name alone, the next line a bio that opens
    with the name or its first word and a lower-case word ('Jane Doe', then 'Jane is a reporter
    at …' or 'Jane Doe has covered …'). The first word must be a given name: a subheading opens
    its paragraph the same way ('Why Choose Us', then 'Why choose us? We …')."""
    found = set()
    names = first_names()
    for index in range(first, stop):
        line = lines[index]
        if len(line) > BIO_NAME_CHARS or not line[:1].isupper() or " " not in line:
            continue
        # The cheap tests first (a given name, the bio opening with it), the name pattern last.
        bio = lines[index + 1]
        given = line.split()[0]
        if (given.lower() not in names or not bio.startswith((f"{line} ", f"{given} "))
                or len(bio.split()) < BIO_WORDS or not BLOCK_NAME.match(line)):
            continue
        rest = bio[len(line if bio.startswith(f"{line} ") else given):].split(maxsplit=1)
        if rest and rest[0].islower():
            found.add(index)
    return found


# A bio's opening: a name (or a given name alone) and 'is a', 'was the', 'ist ein' ('Jane Doe is
# a reporter at …', 'Jane has covered …' is not one: the verbs are few and sure).
# The byline search's author box (`byline._BIO`) opens with the same words.
BIO_VERBS = word_tree(sorted(lexicon.words("bio-verbs")))
BIO_ARTICLES = word_tree(sorted(lexicon.words("bio-articles")))
_BIO_OPENING = lazy_regex(rf"^(?P<name>{NAME})\s+{BIO_VERBS}\s+{BIO_ARTICLES}\s")
BIO_VERB_HINT = regex.compile(rf" {BIO_VERBS} ")  # one quick search turns most lines away
BIO_OPENING_CHARS = 60  # a bio's verb stands this near its line's start


def bio_openings(lines: Sequence[str]) -> dict[str, set[int]]:
    """The names the page's bios open with ('Jane Doe is a reporter …', 'Jane is an editor …'),
    each with the indexes of its lines: a name a byline prints that an author's box elsewhere
    on the page opens with is the writer's, not a menu label's nor a quoted person's."""
    found: dict[str, set[int]] = {}
    for index, line in enumerate(lines):
        if line[:1].isupper() and BIO_VERB_HINT.search(line, 0, BIO_OPENING_CHARS):
            opening = _BIO_OPENING.match(line)
            if opening is not None:
                found.setdefault(opening.group("name"), set()).add(index)
    return found


def opens_a_bio(names: str, index: int, openings: dict[str, set[int]]) -> bool:
    """Whether a bio on another line than ``index`` opens with ``names``, or with their first
    word when it is a given name ('Jane Doe' over 'Jane is a reporter …')."""
    first = names.split(maxsplit=1)[0]
    for opener in (names, first) if first.lower() in first_names() and first != names else (names,):
        if openings.get(opener, set()) - {index}:
            return True
    return False


def dateline_names(line: str, dates: re.Pattern[str]) -> list[str]:
    """The blocks of a short dateline that stand beside its date ('Dec. 19, 2025 · Jane Doe',
    'May 3, 2024   |   Jane Doe   in'), without a short lower-case word trailing the name (the
    'in' of 'in Category', the category on the next line) nor the category after it ('Jane Doe in
    Project Management')."""
    if len(line) > DATELINE_CHARS or not _DATELINE_GAP.search(line):
        return []
    parts = [part for piece in _DATELINE_GAP.split(line) if (part := piece.strip(_SEPARATORS))]
    if not 2 <= len(parts) <= DATELINE_BLOCKS:
        return []
    dated = [has_date(part, dates) for part in parts]
    if any(dated):
        # A dateline's other figures stand among its blocks as the date does ('December 15, 2025 ·
        # 30 min · 6279 words · Jane Doe'): a name beside them is the dateline's too.
        dated = [on or _FIGURE.fullmatch(part) is not None for on, part in zip(dated, parts, strict=True)]
    found = []
    for at, part in enumerate(parts):
        beside = (at > 0 and dated[at - 1]) or (at + 1 < len(parts) and dated[at + 1])
        if not dated[at] and beside:
            part = _IN_SECTION.sub("", _TRAILING_WORD.sub("", part))
            # (and without what the dateline says after the name: 'Jane Doe on behalf of the team')
            named = _NAME_THEN_WORDS.match(part)
            found.append(named.group("names") if named is not None else part)
    return found


# A menu's or a card's label: a line of a few capitalised words, no digit, no sentence's stop.
LABEL_WORDS = 3
_LABEL_LINE = regex.compile(r"^\p{Lu}[^\d.!?:;,]*$")
NEIGHBOURS = 2  # the lines above and below a name looked at for a menu's labels


def label_neighbours(lines: Sequence[str], index: int) -> float:
    """The share of the lines around ``index`` (`NEIGHBOURS` on each side) that are a menu's
    short labels ('Home', 'Our Services'): a name among them is a menu's or a team list's item,
    where a byline's neighbours are a headline, a date, a job title or prose."""
    around = [lines[j] for j in range(index - NEIGHBOURS, index + NEIGHBOURS + 1)
              if j != index and 0 <= j < len(lines)]
    if not around:
        return 0.0
    labels = sum(1 for line in around
                 if len(line.split()) <= LABEL_WORDS and _LABEL_LINE.match(line.strip()) is not None)
    return labels / len(around)


def line_words(lines: Sequence[str], index: int) -> float:
    """The words of line ``index`` (log1p), 0 past the page's ends: a byline stands over the
    article's first paragraph or a dateline, a menu's item among short labels."""
    return math.log1p(len(lines[index].split())) if 0 <= index < len(lines) else 0.0


def name_openings(lines: Sequence[str], names: str) -> set[int]:
    """The indexes of the lines that open with ``names`` followed by the line's end, a gap or a
    word ('Jane Doe', 'Jane Doe is a reporter …', 'Jane Doe  Editor'): an author's box or a
    byline's other copy names the writer as a line's opening, where a quoted person stands
    inside the prose."""
    return LineOpenings(lines).of(names)


class LineOpenings:
    """`name_openings` on one page, for each of many names: the page is joined once, and each
    name is found by searching the joined text for a newline and the name, not by reading every line."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.text = "\n" + "\n".join(lines)
        # A line's opening is found in the text only when no line holds a newline of its own.
        self.plain = self.text.count("\n") == len(lines)
        self.at: dict[int, int] = {}  # the offset of the newline before each line, to its index
        offset = 0
        for index, line in enumerate(lines):
            self.at[offset] = index
            offset += len(line) + 1

    def of(self, names: str) -> set[int]:
        """`name_openings` of ``names``."""
        size = len(names)
        if not self.plain or "\n" in names:
            return {j for j, line in enumerate(self.lines)
                    if line.startswith(names) and (len(line) == size or not line[size].isalnum())}
        text, at, found = self.text, self.at, set()
        end = len(text)
        wanted = "\n" + names
        hit = text.find(wanted)
        while hit >= 0:
            after = hit + 1 + size  # (a newline is not alphanumeric: the line's end passes)
            if after >= end or not text[after].isalnum():
                found.add(at[hit])
            hit = text.find(wanted, hit + 1)
        return found
