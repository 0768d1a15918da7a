"""The shapes of a byline's names, shared by the byline search (`cleaner.meta.byline`), and the
forum poster: the member a thread's page says opened it ('Thread starter' then 'jane_doe'),
which `byline.find_authors` takes before any byline-shaped candidate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import regex

from cleaner.lang import lexicon
from cleaner.lazypattern import lazy_regex
from cleaner.meta.date import date_pattern, has_date


def any_of(words: Iterable[str]) -> str:
    """``words`` as regex alternatives, escaped, in the order given."""
    return "|".join(map(lexicon.escape, words))


# The words of a name are one or two spaces apart: a wider gap is the template's, between blocks
# ("By  Jane Doe     Fact checked"). Lower-case particles may stand between them ('de', 'van',
# 'bin'), shortest first: 'de' is tried before 'del', as it always was, and a cue's names end
# there ('By Maria del Carmen' gives 'Maria de'); longest first would change the names found.
PARTICLES = "|".join(sorted(map(lexicon.escape, lexicon.words("name-particles")), key=len))
NAME = rf"\p{{Lu}}[\p{{L}}.'’-]*(?:\s{{1,2}}(?!\s)(?:\p{{Lu}}[\p{{L}}.'’-]*|{PARTICLES})){{0,3}}"
# The languages whose word between two names ('and', 'und') the byline model learnt with.
CONJUNCTIONS = lexicon.words("name-conjunctions", ("en", "de", "fr", "es", "ru", "id"))
AND = "(?:" + "".join(rf"\b{lexicon.escape(word)}\b|" for word in CONJUNCTIONS) + "&)"
NAMES = rf"{NAME}(?:\s*(?:,\s*{AND}?|{AND})\s*{NAME}){{0,3}}"  # "A, B, and C"

# A name ends at a wide gap, a bar or a dash that sets the next block apart ('Jane Doe   March 5,
# 2024', 'Jane Doe | Guest Columnist', 'Jane Doe - Product marketer', 'Jane Doe—10 min read').
BLOCK_GAP = regex.compile(r"\s{3,}|\s+[|•·]\s*|\s[-–—]\s|(?<=\p{Ll})[—–]")


# A forum's label for the member who opened the thread, alone on its line (the name on the
# next) or before the name ('Thread starter jane_doe'); and the thread header's 'started by
# jane_doe, May 26, 2025'. A member's name may be any one token ('paulb203', 'hayley.p') or a
# name's words.
_POSTER_LABEL = lazy_regex(
    rf"(?i)^(?:{any_of(lexicon.words('poster-labels'))})\s*:?\s*(?P<names>\S.{{0,40}})?$")
_STARTED_BY = lazy_regex(rf"(?i)\b(?:{any_of(lexicon.words('starter-verbs'))})\s+(?P<names>[^,\n]{{2,40}}),\s")
_ASKED = lazy_regex(rf"(?i)^(?:{any_of(lexicon.words('asked-labels'))})\s+(?P<day>.{{4,40}})$")
_MEMBER = regex.compile(rf"[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}._-]{{1,39}}|{NAMES}")
_FIRST_POST = regex.compile(r"(?:^|\s)#1(?:\s|$)")
POSTER_DATE_CHARS = 40  # the date after 'started by jane_doe,' is this close
# Any of the words the four shapes above need: most pages have none, and one search of the whole
# page tells so, where the shapes would be tried line by line.
_POSTER_KINDS = ("poster-labels", "starter-verbs", "asked-labels")
_POSTER_WORDS = lazy_regex("(?i)" + any_of([w for kind in _POSTER_KINDS for w in lexicon.words(kind)]) + "|#1")


def forum_poster(lines: Sequence[str], language: str | None) -> str | None:
    """The member who opened a forum thread, as the page names them by a `poster-labels` label,
    a `starter-verbs` header with a date, the first post's header ('#1' and its day), or the
    asker's card of a question ('asked' and the day, `asked-labels`), the name on the next line;
    None when the page has none of them."""
    if _POSTER_WORDS.search("\n".join(lines)) is None:
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
            if _MEMBER.fullmatch(head) and " " not in head:
                return head
        started = _STARTED_BY.search(line)
        if started is not None and has_date(line[started.end():started.end() + POSTER_DATE_CHARS], dates):
            return started.group("names").strip()
    return None
