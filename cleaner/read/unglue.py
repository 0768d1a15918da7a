"""Splitting the glued lines of minified pages back into their pieces.

A naive scraper joins inline text with no separator, and a page whose HTML has no line breaks
(minified templates, single-line CMS output) comes out as a handful of enormous lines: menu
items, headline, byline, paragraphs and footer run together as ``HomeAboutContactMy
HeadlineMay 3, 2017 By Jane DoeThe first paragraph…``. Nothing line-based (rules, the content
finder, the headline search) can work on such a line, so it is cut where one block visibly ends
and the next begins: a lower-case letter, or a sentence's closing punctuation, followed directly
by a capitalised word.

Runs of three or more spaces (or a tab) count as seams too, except before a number (the columns
of a table row): indented template text glued into one line keeps its indentation between blocks.

Only long lines dense with such seams are cut. A normal paragraph with one ``YouTube`` or
``JavaScript`` in it is left alone; in a glued line those words are cut too, a cost paid for
getting the page's blocks back.

A page flattened with spaces instead (its HTML on one line, blocks joined by the blanks between
tags: ``…Tuition and Fees  Scholarships and Grants  Event management is defined as…``) has too
few seams for that, but a very long line (`FLAT_LENGTH`) with a few runs of two or more blanks in
it is cut at those runs: a paragraph of prose has single spaces between its words.

The compiled core finds the seams and cuts the lines when it runs (`cleaner.core`); the functions
here named ``python_*`` are the reference it is tested against.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from cleaner import core
from cleaner.lazypattern import lazy_regex

MIN_LENGTH = 300  # shorter lines are left as they are
MIN_SEAMS = 4  # a paragraph with a few brand names in it is not a glued line
CHARS_PER_SEAM = 200  # a line is cut only with at least one seam per this many characters

# A seam: two lower-case letters, or closing punctuation, then a capitalised word (upper then
# lower case), or an opening quote before one. Two lower-case letters on the left keep "iPhone"
# and "McDonald" whole; upper followed by lower on the right keeps acronyms ("HTMLParser")
# whole. A straight double quote or an apostrophe closes only after a sentence's end ('."');
# between letters an apostrophe elides (French "l’Union", Italian "dell’Italia"), and a double
# quote before a capital opens, with the seam in front of it.
_SEAM = regex.compile(r"(?:(?<=\p{Ll}\p{Ll})|(?<=[.!?:;)\]”»|])|(?<=[.!?][\"’]))(?=\p{Lu}\p{Ll}|[\"“«„]\p{Lu})")


# The source's indentation left between glued blocks; not before a number, so that the aligned
# columns of a table row stay one line.
_GAP = regex.compile(r"(?:\s{3,}|\t)(?=[^\d\s+-])")


# A line this long that is no paragraph (few seams) is a flattened page when it has MIN_SEAMS
# runs of blanks; 800 and 3000 characters measured no better on the corpus than 1500.
FLAT_LENGTH = 1500
_FLAT_GAP = regex.compile(r"(?<=\S)\s{2,}(?=\S)")  # before numbers too ("possible.  7. Ask about")


def _kernel() -> core.Kernels | None:
    """The compiled core, when its tables of the `regex` module's classes are this module's (a
    newer `regex` may class new letters otherwise)."""
    kernel = core.KERNEL
    return kernel if kernel is not None and regex.__version__ == kernel.REGEX_VERSION else None


def seams_note() -> str | None:
    """Why the compiled core leaves the seams to Python although it is loaded (its tables are of
    another `regex` than the installed one), for `cleaner --version`; None when it does not."""
    kernel = core.KERNEL
    if kernel is None or _kernel() is not None:
        return None
    built = kernel.REGEX_VERSION or "none"
    return (f"glued-line seams in Python: the core was built with regex {built}, regex {regex.__version__} "
            "is installed; reinstall cleaner to rebuild it")


def unglue(line: str) -> list[str]:
    """The pieces of a glued line, or the line itself when it does not look glued."""
    if len(line) < MIN_LENGTH:
        return [line]
    kernel = _kernel()
    pieces = None if kernel is None else kernel.unglue(line)
    if pieces is None:
        return python_unglue(line)
    return pieces or [line]


def python_unglue(line: str) -> list[str]:
    """`unglue` in Python: the reference the compiled core is tested against."""
    if len(line) < MIN_LENGTH:
        return [line]
    seams = sorted({m.start() for m in _SEAM.finditer(line)} | {m.start() for m in _GAP.finditer(line)})
    if len(seams) < MIN_SEAMS or len(seams) * CHARS_PER_SEAM < len(line):
        if len(line) >= FLAT_LENGTH:
            gaps = [m.start() for m in _FLAT_GAP.finditer(line)]
            if len(gaps) >= MIN_SEAMS:
                # Each block is looked at again as a line of its own, as a second reading of
                # the output will: one may be dense with seams that the whole line was not. A
                # block that is the whole line (every gap before it cut nothing with a letter or
                # a digit: a row of empty table cells) stays whole, or the reading never ends.
                return [piece for block in _cut(line, gaps)
                        for piece in (python_unglue(block) if block != line else [block])]
        return [line]
    return _cut(line, seams)


# Looser seams, for finding a headline inside a line without changing the line: also a number
# glued to a word on either side ("Connecticut7 On Your Side", "Tax Software of 2025By Jane"), a
# capitalised word after an acronym or an acronym after a word ("in NYCFrom Microsoft",
# "SecurityIT Best Practices"), a one-letter capital word after a word or a sentence's end
# ("Strength TrainingI Tried Amp", "a Yoga Class?A guide"), and a word after a closing bracket
# ("(tested)by Jane"). One pattern per kind, and a seam wherever one of them is: the regex module
# finds each alone several times faster than their alternation.
LOOSE_SEAMS = (
    _SEAM,
    regex.compile(r"(?<=\p{Ll}\p{Ll})(?=\d)"),
    regex.compile(r"(?<=\d)(?=\p{Lu}\p{Ll})"),
    regex.compile(r"(?<=\p{Lu}\p{Lu})(?=\p{Lu}\p{Ll}{2})"),
    regex.compile(r"(?<=\p{Ll}\p{Ll})(?=\p{Lu}\p{Lu})"),
    regex.compile(r"(?<=\p{Ll}\p{Ll}|[.!?])(?=\p{Lu}\s)"),
    # an all-capitals label after a number ("Guide 2025PUBLISHED"), a number after a sentence's
    # end ("looking for?10 Best", "menu items.001"; not "3.5"), a bullet between two words
    # ("Agencies•11 Best": cut after it, as after a closing bracket)
    regex.compile(r"(?<=\d)(?=\p{Lu}{3})"),
    regex.compile(r"(?<=\p{Ll}[.!?])(?=\d)"),
)
_AFTER_BRACKET = regex.compile(r"[)\]•·›»|](?=[\p{L}\d])")  # the seam is at its end (quicker than a look-behind)


# Every loose seam has a capital or a digit right after it, or a bracket or a bullet beside it: most
# lines without a seam are told apart by this cheap search.
_ANY_SEAM = regex.compile(r"[\p{Ll}\p{Lu}\d.!?:;)\]”»|\"’][\p{Lu}\d\"“«„]|[)\]]\p{L}|\S[•·›»|]\S")


def split_at_seams(text: str) -> list[str]:
    """``text`` cut at every seam, loose ones included, however short or sparse (for the
    headline and byline search, which look at parts of lines without changing them)."""
    return list(_split_at_seams(text))


@lru_cache(maxsize=1 << 14)
def _split_at_seams(text: str) -> tuple[str, ...]:
    # Cached: the headline and byline searches, and the settling pass, split the same lines.
    kernel = _kernel()
    pieces = None if kernel is None else kernel.split_at_seams(text)
    return python_split_at_seams(text) if pieces is None else tuple(pieces)


def python_split_at_seams(text: str) -> tuple[str, ...]:
    """`split_at_seams` in Python: the reference the compiled core is tested against."""
    if not _ANY_SEAM.search(text):
        return (text,) if text.strip() else ()
    seams = {*python_loose_seams(text), *(m.end() for m in _AFTER_BRACKET.finditer(text))}
    return tuple(_cut(text, sorted(seams)))


@lru_cache(maxsize=1 << 14)
def loose_seams(text: str) -> tuple[int, ...]:
    """The offsets of ``text``'s loose seams (`LOOSE_SEAMS`), in order. Cached: the headline
    search cuts a line at them, then looks for a slug's words between them in the same line."""
    kernel = _kernel()
    seams = None if kernel is None else kernel.loose_seams(text)
    return python_loose_seams(text) if seams is None else tuple(seams)


def python_loose_seams(text: str) -> tuple[int, ...]:
    """`loose_seams` in Python: the reference the compiled core is tested against."""
    if not _ANY_SEAM.search(text):
        return ()
    return tuple(sorted({m.start() for pattern in LOOSE_SEAMS for m in pattern.finditer(text)}))


# Names written with a capital inside them, which a seam would cut in two ("Linked" / "In") so
# that no rule knows them any more: the web's commonest ones stay whole.
_NAMES = lazy_regex(
    r"LinkedIn|YouTube|TikTok|WhatsApp|PayPal|GitHub|GitLab|WordPress|JavaScript|TypeScript|"
    r"PowerPoint|SharePoint|OneDrive|PlayStation|SoundCloud|StumbleUpon|HubSpot|MailChimp|"
    r"DoorDash|FaceTime|AirPods|MacBook|iPhone|iPad|ChatGPT|OpenAI|DeepMind|BlackBerry|DuckDuckGo")


def _cut(line: str, seams: list[int]) -> list[str]:
    if seams and _NAMES.search(line):
        inside = {at for m in _NAMES.finditer(line) for at in range(m.start() + 1, m.end())}
        seams = [seam for seam in seams if seam not in inside]
    pieces = []
    last = 0
    for seam in seams:
        piece = line[last:seam].strip()
        if any(map(str.isalnum, piece)):  # an opening quote or bracket stays with what it opens
            pieces.append(piece)
            last = seam
    tail = line[last:].strip()
    if tail:
        pieces.append(tail)
    return pieces
