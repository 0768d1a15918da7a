"""The byline's names from text alone, for when the rules found none: the name-shaped strings
around the region start and the headline (after a cue such as "By", alone on a line, on the line
after a cue, or opening an author's box), scored by the byline model
(`cleaner/models/byline.json`), the best taken.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import regex

from cleaner.lang import lexicon
from cleaner.lang.detect import stopwords_of
from cleaner.lazypattern import lazy_regex
from cleaner.meta.byline_blocks import (
    BIO_ARTICLES,
    BIO_VERB_HINT,
    BIO_VERBS,
    BLOCK_NEIGHBOUR_WORDS,
    NOT_NAME,
    LineOpenings,
    bio_openings,
    byline_blocks,
    dateline_names,
    label_neighbours,
    line_words,
    named_bios,
    opens_a_bio,
)
from cleaner.meta.byline_blocks import BLOCK_NAME as _BLOCK_NAME
from cleaner.meta.byline_blocks import ROLE as _ROLE
from cleaner.meta.date import COMMENT_WORD, MONTH_ABBREVIATION, MONTH_LIKE, date_pattern, has_date
from cleaner.meta.headline import NOTHING_TAKEN, Taken
from cleaner.meta.headline_text import MAX_GLUED_CHARS, resembles_title
from cleaner.meta.lower_words import LowerWords
from cleaner.meta.names import BLOCK_GAP as _BLOCK_GAP
from cleaner.meta.names import CONJUNCTIONS as _CONJUNCTIONS
from cleaner.meta.names import NAME as _NAME
from cleaner.meta.names import NAMES as _NAMES
from cleaner.meta.names import any_of as _any
from cleaner.meta.names import first_card, first_letters, forum_poster, word_tree
from cleaner.meta.names import first_names as first_names
from cleaner.meta.scoring import MODELS, load_model
from cleaner.read.unglue import split_at_seams

BYLINE_MODEL = MODELS / "byline.json"

# What the byline model looks at, in the order of its columns (of the rows `byline_candidates` builds).
BYLINE_FEATURES = (
    "lines_above_start", "lines_below_start", "near_headline", "cue_at_line_start", "cue_inside_line",
    "author_label", "bare_name_line", "name_words", "line_words", "date_on_line", "date_next_to_line",
    "name_repeated", "after_region", "comment_word", "more_by_or_about", "all_capitals",
    "has_connector", "is_headline", "words_used_in_lower_case", "has_stopword", "from_glued_piece",
    "starts_with_first_name", "first_names", "capital_inside_word", "after_cue_line",
    "author_bio", "byline_block", "under_headline", "dateline_below", "bio_elsewhere",
    "label_neighbours", "words_line_above", "words_line_below", "opens_other_lines", "in_first_line",
)
BYLINE_ABOVE = 40  # lines above the region start searched for a byline
BYLINE_BELOW = 15  # and below it
CUE_ABOVE, CUE_BELOW = 2000, 30  # and a name after a cue line, this far above the region and below its end
# Below this no candidate is taken for the authors. A wrong name is worse than none: on the
# corpus -1.5 keeps 95% of the right picks of -3.0 and drops 43% of the wrong ones, and names
# no more pages without a gold author than the linear model before the ranking trees did.
MIN_BYLINE_SCORE = -1.5


# The cues before a name: an English verb and 'by' ('Written by'), a byline cue of the languages
# below (not Italian 'di', which the pattern never took), an author's label ('Autor:'). Not
# 'Reviewed by': the reviewer is someone else than the writer (on the corpus the gold author on
# 4 of 28 pages that print one).
_BY_VERBS = ("written", "posted", "published")
# What a credit names before 'by' at a line's start, the writer's ('Text by Jane Doe', 'Words by
# Jane Doe', 'Story by Jane Doe', often at the article's end); inside a line they are prose's
# ('the text by the committee').
_CREDITS = ("text", "words", "story")
_CUE_LANGUAGES = ("en", "de", "fr", "es", "id", "nl", "sv", "da")
_CUES = (*lexicon.words("byline-cues", _CUE_LANGUAGES), *lexicon.words("author-labels"))
_WRITTEN_BY = f"{_BY_VERBS[0]} by"
_CUE = lazy_regex(
    # 'By Jane', 'By: Jane', 'By:Jane'
    # (not the 'By' of 'Reviewed By:', 'Fact checked by': someone else than the writer)
    r"(?:(?:^|(?<=[\s|•·—–-]))(?<!(?i:reviewed|checked)\s)"
    rf"(?i:{_any(f'{verb} by' for verb in _BY_VERBS)}|{_any(_CUES)})(?:\s*:\s*|\s+)"
    # "ByJane Doe", "Written byJane Doe": a scraper glued the cue to the name
    r"|(?:^|(?<=[\s|•·—–-]|\p{Ll}|[.!?:;)\]]))By(?=\p{Lu}\p{Ll})"
    rf"|^(?:{lexicon.alternation('byline-cues', ('da', 'sv', 'de', 'fr', 'es'), capitals=True)})(?=\p{{Lu}}\p{{Ll}})"
    rf"|(?:^|(?<=[\s|•·—–-]|\p{{Ll}}|\d))(?i:{_any(_BY_VERBS)})\s+by(?=\p{{Lu}}\p{{Ll}})"
    rf"|^(?i:{_any(_CREDITS)})\s+by(?:\s*:\s*|\s+)(?=\p{{Lu}})"
    # 'Toolboxby: Jane Doe', 'Toolsby Jane Doe· May 3': a lower-case 'by' glued to the word
    # before it, taken when a colon, or a dot or bar after the name, says it is a byline's.
    r"|(?<=\p{Ll})by(?::\s*|\s(?=[^·•|\n]{3,40}[·•|]))"
    r"|(?<=\p{Lu}{2})By\s+(?=\p{Lu}\p{Ll}))"  # 'Dec 19, 2025 at 04:34 AM ESTBy Jane Doe'
    rf"(?P<names>{_NAMES})")
# Every match of _CUE holds one of its cue words (case aside: 'By', 'Von', 'written by' end in
# one), then blanks or a colon, then the capital of a name. Few lines do: one quick search
# spares the others the full pattern (a third of its time on the corpus).
_CUE_WORDS = (*_CUES, "by", *lexicon.words("byline-cues", ("da", "sv", "de", "fr", "es")))
_CUE_HINT = lazy_regex(rf"(?i:{word_tree(sorted(set(_CUE_WORDS)))})\s*:?\s*\p{{Lu}}")
# A line that opens with a byline's cue and a capital ('By Jane Doe', 'Written by: Jane Doe'):
# a byline wherever it stands on the page, as an article's own byline may sit far from where
# the finder's region starts (below a long lead, or in an author box after the article).
_OPENING_CUE = lazy_regex(
    rf"(?i:{word_tree(sorted({*_CUE_WORDS, *(f'{verb} by' for verb in (*_BY_VERBS, *_CREDITS))}))})"
    r"\s*:?\s*\p{Lu}")
# The letters a cue opening a line starts with, case aside (`_OPENING_CUE` matches letter for
# letter): one look at a line's first letter turns most lines away.
_CUE_FIRSTS = first_letters((*_CUE_WORDS, *_BY_VERBS, *_CREDITS))
_DOUBLED = lazy_regex(r"^(?P<names>\p{Lu}.{3,40}?)[^\p{L}\s]?\s*(?P=names)$")
_BARE_NAME = lazy_regex(rf"^(?P<names>{_NAMES})$")
# A name with capitalised words in brackets, alone on its line: a maiden name, a handle, a
# job title ('Jane (Smith) Doe', 'Jane Doe (JDoeWrites)', 'Jane Doe (Content Editor)'), the
# byline's as a whole.
_BRACKETED_NAME = lazy_regex(rf"^(?P<names>{_NAME}\s?\({_NAME}\)(?:\s{{1,2}}{_NAME})?)$")
# A member's handle alone on the line under a cue ('By', then 'jane_doe42'): one token of letters,
# digits, '_' or '.', with a letter, and a digit or '_' in it, a '.' between words ('jane.doe',
# not 'e.g.') or a lower-case start and five characters or more ('admin', not 'the'), as no
# capitalised name has (not a hyphen: 'index-name' under 'Sort by' is a code's word).
_HANDLE = regex.compile(
    r"(?=[\p{L}\p{N}._]*\p{L})(?=.*[\d_]|.*\p{L}\.\p{L}{2}|\p{Ll}[\p{L}\p{N}._]{4})[\p{L}\p{N}._]{3,30}")
# (not Russian 'текст', which this feature never had)
_LABELS = (*(label for label in lexicon.words("author-labels") if label != "текст"), "written by")
_LABEL = lazy_regex(rf"(?i)^(?:{_any(_LABELS)})\b")
# A byline cue alone on its line, the names on the next ("By" then "Jane Doe": a scraper put
# the cue's element and the name's on lines of their own).
_CUE_LINE = lazy_regex(
    rf"(?i)^(?:(?:article\s+|story\s+|recipe\s+)?(?:{_any((*_BY_VERBS, 'edited'))})\s+by|{_any(_CUES)})\s*:?$")
# (the letters such a line starts with, case aside: one look turns most short lines away)
_CUE_LINE_FIRSTS = first_letters(("article", "story", "recipe", "edited", *_BY_VERBS, *_CUES))
# A byline's cue ending a glued line ('Updated: May 3, 2024Written by:'), the names on the next.
_CUE_LINE_END = lazy_regex(rf"(?i)(?:{_any((*_BY_VERBS, 'edited'))})\s+by\s*:$")
# A credit that ends a paragraph glued into one line with it, after the last sentence's stop ('…
# we are left with only bitter grounds. Text by Jane Doe'): the article's byline at its end.
# Not a 'by' inside the sentence ('a painting by Claude Monet.' ends with its stop).
TAIL_CREDIT_CHARS = 80  # the end of a line looked at for one
_TAIL_CREDIT = lazy_regex(
    rf"(?<=[.!?…”\"’)]\s{{0,3}})(?:(?i:{_any((*_CREDITS, *_BY_VERBS))})\s+by|By)(?:\s*:\s*|\s+)(?P<names>{_NAMES})$")
_NAME_OPENING = lazy_regex(rf"^(?P<names>{_NAME})(?![\p{{L}}\s])")  # 'Jane Doe$5,000 raised'
# The first line of an author's box: "Jane Doe is a reporter at …", "About Jane Doe Jane is …"
# ("About" glued or not), in the languages of the rules.
_BIO = lazy_regex(rf"^(?:About(?:\s+the\s+author:?)?\s*)?(?P<names>{_NAME})\s+{BIO_VERBS}\s+{BIO_ARTICLES}\s")
_MORE_BY = lazy_regex(rf"(?i)\b(?:{lexicon.alternation('more-by-labels')})\b")
_INNER_CAPITAL = regex.compile(r"\p{Ll}{2}\p{Lu}")
# Capitalised, as a byline prints them after a name: the job titles (and the words that open a
# longer one, 'Senior'), English weekdays, and the English months the pattern always took at
# the end of a name: not 'May' ('Curtis LeMay'), nor 'June' and 'July'. Inside a look-ahead,
# whose order of alternatives does not matter.
_JOB_TITLES = _any((*lexicon.words("job-titles"), *lexicon.words("job-title-qualifiers")))
# The words of a role, capitalised as a byline's block prints them ('Founder & Lead Reviewer'),
# and the short ones as acronyms too ('CEO').
_ROLE_WORDS = _any(sorted({form for word in lexicon.words("role-words")
                           for form in (lexicon.capitalised(word), *([word.upper()] if len(word) <= 3 else []))},
                          key=len, reverse=True))
_WEEKDAYS = _any(lexicon.capitalised(day[0]) for day in lexicon.groups("weekdays", "en"))
_ALL_MONTHS = _any(lexicon.capitalised(month[0]) for month in lexicon.groups("months", "en"))
_LONG_MONTHS = _any(name for month in lexicon.groups("months", "en")
                    if (name := lexicon.capitalised(month[0])) not in {"May", "June", "July"})
# A byline word glued after a name is the next block's ("Jane LopezUpdated on", "Jane
# DoeShare"); other capitals inside a word are part of the name ("MaryAnn", "FitzGerald").
# Every word looked ahead for opens with a capital: saying so first ('(?=\p{Lu})') turns the
# places before a lower-case letter or a blank's run before one away before the words are tried.
_GLUED_AFTER_NAME = lazy_regex(
    r"(?<=\p{Ll})(?=\p{Lu})(?=(?:Updated|Published|Posted|Last|Share|Follow|Read|Reviewed|Edited|Fact|Photos?|"
    r"Images?|Comments?|Email|Subscribe|Aktualisiert|Veröffentlicht|Publié|Mis|Publicado|Actualizado|"
    r"Diperbarui|Diterbitkan|Обновлено|Опубликовано|Table|Contents|"
    # a job title glued on: 'Mette JensenJournalist', 'Jane DoeSenior Editor'
    rf"{_JOB_TITLES})(?!\p{{Ll}})"
    r"|In(?=\s\p{Lu})"  # 'Jane DoeIn Travel Tips'
    r"|\p{Lu}{2,}(?=\s)"  # a job title's acronym: 'Jane DoeAI Writer'
    # A dateline glued on: 'Jane DoeDec. 18, 2025', or the month alone at the end of the names
    # a byline cue took ('Jane DoeDec.', 'Jane DoeNovember'; not 'May', for 'Curtis LeMay').
    rf"|{MONTH_LIKE}\s?\d|{MONTH_ABBREVIATION}$|(?:{_LONG_MONTHS})$)"
    # The same words set apart by a space: a name does not go on with 'Last Updated', nor with
    # a weekday that opens a date ('Jane Doe  Friday, November 14'; not 'Nancy Friday'), nor
    # with a dateline ('Jane Doe Dec. 18, 2025', 'Jane Doe Dec.' where the cue took the month).
    # ('Jane Doe  UpdatedJanuary 25': the date glued to the word)
    r"|\s+(?=\p{Lu})(?=(?:Last\s+Updated|Updated|Published|Posted|Reviewed|Edited|Fact[-\s]checked)(?:\b|(?=\p{Lu}))"
    rf"|(?:{_WEEKDAYS}),?\s+(?:\d|{MONTH_LIKE}(?:\s|$))"
    rf"|{MONTH_LIKE}\s\d|{MONTH_ABBREVIATION}$|(?:{_LONG_MONTHS})$)"
    # A job title two blanks after the name is the next block's ('Jane Doe  Senior Editor').
    rf"|\s{{2,}}(?=(?:{_JOB_TITLES}|{_ROLE_WORDS})\b)"
    # and a month after a comma is a dateline's, the day cut off by the name pattern ('Jane Doe, Dec').
    rf"|,\s*(?={MONTH_LIKE}$)"
    # or a hyphen: 'ByJane Doe-June 12, 2025' (whole month names: not 'Jean-Marc')
    rf"|-(?=(?:{_ALL_MONTHS})$)")
# A publisher or agency printed in capitals two blanks after a name written in small letters;
# cut off only after two words or more: 'Jean  DUPONT' is a given name and a surname in capitals
# (the French and Spanish way), not a name and its publisher.
_PUBLISHER_AFTER = regex.compile(r"(?<=\p{Ll})\s{2}(?:\p{Lu}{2,}\s?)+$")
_CLAUSE_END = re.compile(r"[|•·—–.;:!?()\[\]]|\s-\s|\s{3,}")
# An author's label opening a line ('Author: Jane Doe', 'Authors: …'): an author box, anywhere
# the line after a cue is looked for.
_LABEL_LINE = lazy_regex(rf"(?i)^(?:{_any(lexicon.words('author-labels'))})\s*:")
_CONNECTOR = regex.compile(rf"(?i)\s(?:{_any(_CONJUNCTIONS)}|&)\s|,")


def byline_candidates(lines: Sequence[str], start: int, end: int, language: str | None,
                      headline: int | None, title: str = "", taken: Taken = NOTHING_TAKEN
                      ) -> list[tuple[str, list[float]]]:
    """(names, features) of every byline-shaped string around the region start, for `find_authors`;
    ``headline`` is the index of the headline's line, ``title`` the headline itself, ``taken``
    where the rules took a dateline out (a name next to it is a byline's)."""
    dates = date_pattern(language)
    page = "\n".join(lines)
    window = set(range(max(0, start - BYLINE_ABOVE), min(len(lines), start + BYLINE_BELOW + 1)))
    if headline is not None:
        window |= set(range(max(0, headline - 6), min(len(lines), headline + 7)))
    # Beyond that, the line after a cue on its own ("Written by", then the name), anywhere in
    # the article and around it: a template's author box says who wrote the page.
    wide = range(max(0, start - CUE_ABOVE), min(len(lines) - 1, end + CUE_BELOW))
    # A cue alone on its line is looked for in the whole page: an author's box may stand below a
    # long list of references or comments ('Article written by:', then the name).
    window |= {i + 1 for i in range(len(lines) - 1) if len(lines[i]) <= 24
               and _CUE_LINE_FIRSTS.match(lines[i].lstrip()) and _CUE_LINE.match(lines[i].strip())}
    window |= {i for i in wide if ":" in lines[i] and _LABEL_LINE.match(lines[i])}  # (the label's colon)
    glued_cues = {i + 1 for i in wide if lines[i].endswith(":") and _CUE_LINE_END.search(lines[i][-40:])}
    window |= glued_cues
    tail_credits = {i for i in wide if "by" in lines[i][-TAIL_CREDIT_CHARS:].lower()
                    and _TAIL_CREDIT.search(lines[i][-TAIL_CREDIT_CHARS:])}
    window |= tail_credits
    window |= {i for i in wide if _CUE_FIRSTS.match(lines[i])
               and _OPENING_CUE.match(lines[i]) and _CUE.match(lines[i])}
    # and 'written by' inside a line, the writer's name in so many words ('This post was written
    # by Jane Doe, our editor'), wherever it stands.
    window |= {i for i in wide if _WRITTEN_BY in lines[i][:MAX_GLUED_CHARS].lower()
               and _CUE.search(lines[i][:MAX_GLUED_CHARS])}
    # And the first line of an author's box ("Jane Doe is a writer at …"), anywhere there too.
    bios = {i for i in range(wide.start, min(len(lines), wide.stop + 1))
            if BIO_VERB_HINT.search(lines[i], 0, 80) and _BIO.match(lines[i])}
    bios |= named_bios(lines, wide.start, min(len(lines) - 1, wide.stop))
    window |= bios
    blocks = byline_blocks(lines, wide.start, min(len(lines), wide.stop + 1), dates)
    window |= blocks
    stopwords = stopwords_of(language) or stopwords_of("en")
    # Words the page writes in lower case are common words ("Comments", "Guides"), not names.
    lower = LowerWords(page)
    given, openings = first_names(), bio_openings(lines)
    dated: dict[int, bool] = {}
    opened: dict[str, set[int]] = {}  # the lines each name opens, looked for once per name
    openers = LineOpenings(lines)

    def line_dated(index: int) -> bool:
        found = dated.get(index)
        if found is None:
            found = dated[index] = has_date(lines[index], dates)
        return found

    found = []
    # What a line's text gives, by the text and the facts of its place that change it: menus,
    # cards and comment headers print the same lines more than once.
    read: dict[tuple[str, bool, bool, bool, bool, str], list[tuple[str, int, bool, bool]]] = {}
    for index in sorted(window):
        # A page glued into a few enormous lines: its byline is in the head, by the headline.
        line = lines[index][:MAX_GLUED_CHARS]
        under_cue = index > 0 and _CUE_LINE.match(lines[index - 1].strip())
        # (a credit's tail from the whole line: a long last paragraph ends past `line`'s cut)
        credit_end = lines[index][-TAIL_CREDIT_CHARS:] if index in tail_credits else ""
        place = (index in bios, index in blocks or bool(under_cue), bool(under_cue), index in glued_cues, credit_end)
        matches = read.get((line, *place))
        if matches is None:
            matches = read[(line, *place)] = _line_matches(line, *place, dates, stopwords)
        if not matches:
            continue
        # What the features read of the line itself, the same for each of its names:
        # "author_label", then "line_words", "date_on_line", "date_next_to_line", then
        # "after_region", "comment_word", "more_by_or_about".
        dated_beside = float(index in taken.dates or index - 1 in taken.dates or (index > 0 and line_dated(index - 1))
                             or (index + 1 < len(lines) and line_dated(index + 1)))
        after_region = float(index >= end)
        reads = _block_reads(line, line_dated(index), dated_beside, after_region)
        # A credit glued after the paragraph's last sentence is read as the block of its own it
        # was ('Story by Jane Doe'): the paragraph's length and words ('said' is a comment's
        # word) say nothing of it.
        credit = credit_block(credit_end, stopwords) if credit_end else None
        credit_reads = (None if credit is None else
                        _block_reads(credit[1], has_date(credit[1], dates), dated_beside, after_region))
        after_cue = float(bool(under_cue))  # the cue line above, matched once for the one-word names
        # "under_headline", "dateline_below": a byline's own place, right under the headline (or
        # the page's copy of it, worded a little apart from the title) and right above the dateline.
        placed = [float(index > 0 and (index - 1 == headline or resembles_title(lines[index - 1], title))),
                  float(index in taken.dates or (index + 1 < len(lines) and line_dated(index + 1)
                                                 and len(lines[index + 1].split()) <= BLOCK_NEIGHBOUR_WORDS))]
        # "label_neighbours", "words_line_above", "words_line_below": a menu's labels around a
        # name, or a headline, dateline and prose.
        context = [label_neighbours(lines, index), line_words(lines, index - 1), line_words(lines, index + 1)]
        for names, at, is_bare, glued in dict.fromkeys(_unglued(m) for m in matches):
            if names not in opened:
                opened[names] = openers.of(names)
            words = names.split()
            folded = [w.lower() for w in words]
            label, around, marks = credit_reads if credit_reads and credit and names == credit[0] else reads
            found.append((names, [
                math.log1p(max(0, start - index)), math.log1p(max(0, index - start)),
                float(headline is not None and abs(index - headline) <= 4),
                float(not is_bare and at == 0), float(not is_bare and at > 0),
                label, float(is_bare), math.log1p(len(words)), *around,
                math.log1p(max(0, page.count(names) - 1)), *marks, float(names.isupper()),
                float(bool(_CONNECTOR.search(names))), float(index == headline and names in title),
                sum(map(lower.written, folded)) / len(words),
                float(any(w in stopwords for w in folded)), float(glued),
                float(folded[0] in given), sum(w in given for w in folded) / len(words),
                float(bool(_INNER_CAPITAL.search(names))),  # "LopezUpdated", or "MacFarlane"
                after_cue, float(index in bios), float(index in blocks), *placed,
                float(opens_a_bio(names, index, openings)),  # "bio_elsewhere"
                *context, math.log1p(len(opened[names] - {index})), float(names in lines[0]),
            ]))
    return found


def _line_matches(line: str, opens_bio: bool, lonely: bool, under_cue: bool, glued_cue: bool, credit_end: str,
                  dates: re.Pattern[str], stopwords: frozenset[str]) -> list[tuple[str, int, bool, bool]]:
    """The names a window line of `byline_candidates` gives, each as (names, where its cue
    starts, whether it stands bare, whether it was cut out of a glued line): ``opens_bio``, the line
    opens an author's box; ``lonely``, it is in a byline's block or under a cue alone on its line
    (one word alone is a name there); ``under_cue``, under such a cue (a member's handle alone is
    one there); ``glued_cue``, the line before ends with a glued cue;
    ``credit_end``, the line's last characters when it ends with a credit after its last
    sentence (`_TAIL_CREDIT`), else empty."""
    matches = []
    # A byline glued to its neighbours ("Jane DoeUpdated on May 3") is read in its pieces,
    # when the line as a whole gives no name ("MaryAnn Smith" is not cut into "Ann Smith").
    # The whole line's matches are found once: they tell that, and are its candidates.
    own: tuple[regex.Match[str] | None, list[regex.Match[str]]] | None = None
    # Every piece below is a part of the line: a line without a cue's hint has no piece with one.
    hinted = _CUE_HINT.search(line) is not None
    if len(line) <= 300:
        own = _bare_name(line), list(_CUE.finditer(line)) if hinted else []
        pieces = [line] if own[0] or own[1] else [line, *_name_pieces(line)]
    else:
        pieces = [p for p in split_at_seams(line) if p != line]
    if not (own and (own[0] or own[1])):
        # A name set apart from the next block by a gap or a bar ('Jane Doe   March 5, 2024').
        head = _BLOCK_GAP.split(line, maxsplit=1)[0].strip()
        if head and head != line and head not in pieces:
            pieces.append(head)
        if (doubled := _DOUBLED.match(line)) is not None:
            pieces.append(doubled.group("names"))  # 'Jane Doe×Jane Doe': a card's name and its copy
        # A name beside a date in a dateline's blocks ('Dec. 19, 2025 · Jane Doe').
        pieces += [p for p in dateline_names(line, dates) if p not in pieces]
    if own is None and opens_bio:
        pieces.insert(0, line[:MAX_GLUED_CHARS])  # a long bio's first line: its start says the name
    for number, piece in enumerate(pieces):
        # (its length without the wide gaps of names laid out in columns: 'Jane Doe,      John Roe')
        short = 2 <= len(words := piece.split()) <= 10 and len(" ".join(words)) <= 90
        if number == 0 and own is not None:
            bare = own[0] if short else None
            cues: Iterable[regex.Match[str]] = own[1]
        else:
            bare = _bare_name(piece) if short else None
            cues = _cues_in(piece) if hinted else []
        if bare:
            matches.append((_without_role(bare.group("names"), ""), 0, True, number > 0))
        if number == 0 and opens_bio:
            bio = _BIO.match(piece)
            if bio:
                # "About Jane Doe Jane is …": the box's heading glued to the bio's first name.
                names = bio.group("names").split()
                if len(names) >= 3 and names[-1] == names[0]:
                    names.pop()
                # "This is a…", "Detta är en…": a stop word opens a sentence, not a name.
                if names[0].lower() not in stopwords:
                    matches.append((" ".join(names), 0, False, False))
        for match in cues:
            after = piece[match.end():]
            names = _sentence_cut(_without_role(match.group("names"), after), after, stopwords)
            matches.append((names, match.start(), False, number > 0))
    if not matches and lonely:
        # One word alone, in a byline's block or under a cue: 'By' then 'Gabo', 'Author'
        # then the company's name.
        head = _BLOCK_GAP.split(line, maxsplit=1)[0].strip()
        if len(head) <= 40 and _BLOCK_NAME.match(head):
            matches.append((head, 0, True, head != line))
        elif under_cue and _HANDLE.fullmatch(line):
            matches.append((line, 0, True, False))
    if not matches and glued_cue and (opening := _NAME_OPENING.match(line)):
        matches.append((opening.group("names"), 0, True, True))  # the names glued to what follows
    if credit_end and (credit := credit_block(credit_end, stopwords)) is not None:
        # (read as the credit's own block glued on, as WET text prints it on a line of its own,
        # rather than as a 'by' inside the paragraph's line)
        matches = [match for match in matches if match[0] != credit[0]]
        matches.append((credit[0], 0, False, True))
    return matches


def _block_reads(block: str, dated: bool, dated_beside: float,
                 after_region: float) -> tuple[float, list[float], list[float]]:
    """What the byline features read of the block a name stands in (its line, or a credit's own
    block glued to a paragraph): whether it opens with an author's label; its words, whether it
    holds a date, whether one is beside it; whether it is past the region, holds a comment's
    word, a 'more by' or 'about'."""
    return (float(bool(_LABEL.match(block))),
            [math.log1p(len(block.split())), float(dated), dated_beside],
            [after_region, float(bool(COMMENT_WORD.search(block))), float(bool(_MORE_BY.search(block)))])


def credit_block(line_end: str, stopwords: frozenset[str]) -> tuple[str, str] | None:
    """The names of the credit that ends a paragraph's line (`_TAIL_CREDIT`) and the credit's
    own block ('Story by Jane Doe'), from ``line_end``, the line's last characters; or None."""
    tail = _TAIL_CREDIT.search(line_end)
    if tail is None:
        return None
    return _sentence_cut(tail.group("names"), "", stopwords), line_end[tail.start():]


def _bare_name(text: str) -> regex.Match[str] | None:
    """`_BARE_NAME`'s match of ``text``, or `_BRACKETED_NAME`'s: None at once when it holds a
    character no name does."""
    if NOT_NAME.search(text) is None:
        return _BARE_NAME.match(text)
    return _BRACKETED_NAME.match(text) if "(" in text else None


def _cues_in(text: str) -> list[regex.Match[str]]:
    """The matches of `_CUE` in ``text``."""
    return list(_CUE.finditer(text)) if _CUE_HINT.search(text) else []


def _name_pieces(line: str) -> list[str]:
    """The pieces of a glued line where a name may be: its blocks, cut at the seams; but a name
    glued to a byline word ('Rebecca MacFarlanePublished on …') is one piece, not cut at the
    capitals inside it ('Mac', 'Farlane')."""
    pieces = [p for p in split_at_seams(line) if p != line]
    seam = _GLUED_AFTER_NAME.search(line)
    if seam is not None and _BARE_NAME.match(head := line[:seam.start()].strip()):
        pieces = [head, *(p for p in pieces if p not in head)]
    return pieces


# A stop word this short right after a name opens a sentence ('You', 'The', 'It'); a longer one may
# be the surname ('Young', 'King', 'Lange').
SENTENCE_OPENER_CHARS = 3


def _without_role(names: str, after: str) -> str:
    """``names`` without a job title after a comma ('Jane Doe, Security Expert' -> 'Jane Doe'),
    ``after`` being what follows them in the byline ('Authors: Jane Doe and John Roe, Extension
    educators': the pattern took 'Extension' as a name; 'educators' follows)."""
    parts = names.split(",")
    clause = _CLAUSE_END.split(after[:60], maxsplit=1)[0]  # the byline's words, to a separator
    for cut in range(1, len(parts)):
        rest = ",".join(parts[cut:]) + clause
        if _ROLE.search(rest) and parts[0].strip():
            return ",".join(parts[:cut]).strip()
    return names


def _sentence_cut(names: str, after: str, stopwords: frozenset[str]) -> str:
    """``names`` without the capitalised stop word that opens a sentence after them, when a
    lower-case word follows (``after``): 'Written by Jane You are here' -> 'Jane'. After a full
    stop or a block gap any stop word opens one ('Jane Doe. This is', 'Jane Doe  Is this');
    right after a name only a short one that is no given name does: the stop lists hold
    surnames ('By Jane May updated', 'By Neil Young for', 'Von Anna Lange am' stay whole)."""
    words = names.split(" ")
    if len(words) < 2 or not (after[:1].isspace() and after.lstrip()[:1].islower()):
        return names
    last = words[-1].lower()
    after_stop = words[-2] == "" or words[-2][-1:] in ".!?"
    if last in stopwords and (after_stop or (len(last) <= SENTENCE_OPENER_CHARS and last not in first_names())):
        words.pop()
    return " ".join(words).rstrip()


def _unglued(match: tuple[str, int, bool, bool]) -> tuple[str, int, bool, bool]:
    """A name match without what was glued after its last name ('Jane LopezUpdated' -> 'Jane
    Lopez'), nor its copy ('Jane Doe Jane Doe': an avatar's text before the name), nor the
    capitals of the publisher two blanks after it ('Jane Doe  USA TODAY')."""
    publisher = _PUBLISHER_AFTER.search(match[0])
    if publisher is not None and len(match[0][:publisher.start()].split()) >= 2:
        return match[0][:publisher.start()], match[1], match[2], True
    names, at, is_bare, _ = match
    words = names.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half]), at, is_bare, True
    seam = _GLUED_AFTER_NAME.search(names)
    if seam is None or not names[:seam.start()].strip():
        return match
    return names[:seam.start()].strip(), at, is_bare, True


def find_authors(lines: Sequence[str], start: int, end: int, language: str | None,
                 headline: int | None = None, title: str = "", taken: Taken = NOTHING_TAKEN) -> str | None:
    """The byline's names (one string, split into authors by the caller), or None: the
    byline-shaped string near the headline that the byline model scores highest."""
    poster = forum_poster(lines, language)
    if poster is not None:
        return poster  # a thread's page says who opened it in so many words
    model = load_model(BYLINE_MODEL, BYLINE_FEATURES)
    candidates = byline_candidates(lines, start, end, language, headline, title, taken)
    best: tuple[float, str] | None = None
    for (names, _), score in zip(candidates, model.scores([f for _, f in candidates]), strict=True):
        if score >= MIN_BYLINE_SCORE and (best is None or score > best[0]):
            best = (score, names)
    if best is not None:
        return best[1]
    # A forum's first post card names the thread's poster; under an article the same cards are
    # its comments', so they count only on a page without a byline.
    return first_card(lines)
