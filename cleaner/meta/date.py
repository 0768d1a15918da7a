"""The page's date from text alone, for when the rules found none: the date-shaped strings of
the page, scored by the date model (`cleaner/models/date.json`), the best that parses taken; and
the day a URL's path says (`url_date`). Month names come from dateparser's locale data for the
page's language, so the search works beyond English. The date pattern (`date_pattern`) is read
by the headline and byline searches too: a dateline next to a line says what the line is.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from cleaner.lang import lexicon
from cleaner.lazypattern import lazy_re
from cleaner.meta.fields import parse_date
from cleaner.meta.scoring import MODELS, load_model
from cleaner.meta.slug import url_path

DATE_MODEL = MODELS / "date.json"
DATE_TRIES = 5  # best-scored date strings tried with the (slow) date parser
MIN_DATE_SCORE = -4.0  # below this no date-shaped string is taken for the page's date

# English month names: written out or cut short ('Dec.'); the short forms without 'May', which
# ends names ('Curtis LeMay'); and any word that starts as a month does, for a dateline glued
# on whose figures follow ('Jane DoeDec. 18'). (Read by the headline's tidying and the byline
# search, for datelines glued to a headline or a name.)
_ENGLISH_MONTHS = lexicon.groups("months", "en")
_MONTH_NAMES = [lexicon.capitalised(month[0]) for month in _ENGLISH_MONTHS]
# The forms after a month's first ('Jan', 'Sept', 'Sep'): May has none.
_SHORT_MONTHS = [lexicon.capitalised(form) for month in _ENGLISH_MONTHS for form in month[1:]]
MONTH_ABBREVIATION = rf"(?:{'|'.join(map(lexicon.escape, _SHORT_MONTHS))})\."
MONTH = rf"(?:{'|'.join(map(lexicon.escape, _MONTH_NAMES))}|{MONTH_ABBREVIATION}?)"
# Three letters, however the page shortens the month ('Sept.', 'Sep.') or glues it on.
_MONTHS_3 = tuple(month[0][:3] for month in _ENGLISH_MONTHS)
MONTH_LIKE = rf"(?:{'|'.join(map(lexicon.capitalised, _MONTHS_3))})\p{{Ll}}{{0,6}}\.?"


@cache
def date_pattern(language: str | None) -> re.Pattern[str]:
    """Dates inside a line: '16 February 2026', 'February 16, 2026', '16-Feb-2026', '2026-02-16',
    '2026.02.16', '16.02.2026', '16-02-2026', '16. 2. 2026', the year first ('2026/02/16',
    '2026. február 16.', '2026 Feb 16', '2026年2月16日', '2026년 2월 16일'), with the month names of
    English and of the page's language.

    Scrapers glue inline blocks together, so a date is often stuck to its neighbours: to a name
    before it ('Jane DoeFebruary 16, 2026', 'Zig2026-02-16') or to a reading time after it
    ('Feb 16, 20268 min read'). A month name may follow a letter or a digit when it starts a new
    capitalised word ('4ce5Dec 16, 2025'), a day may follow two lower-case letters or three
    capitals ('PUBLISHED3 January, 2025'; not 'S24 May', 'Q1 March'), an ISO date may
    follow a letter, and a year written after a month name may be followed by more digits; a
    date never starts inside a number.
    """
    names = set(_month_names("en"))
    if language and language != "en":
        names |= set(_month_names(language))
    names = {n for n in names if len(n) >= 3}
    months = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    day = r"\d{1,2}(?:st|nd|rd|th)?\.?"
    year = r"(?:1[89]|2[01])\d\d"  # glued digits after it are another block's ('20268 min read')
    gap = r"[^\S\n]"
    # A date starts with a digit or with a month name's first two letters. Said first, that
    # turns most places away at once: without it every month name is tried at every letter.
    firsts = "".join(sorted({re.escape(n[0]) for n in names}))
    seconds = "".join(sorted({re.escape(n[1]) for n in names}))
    start = rf"(?=\d|[{firsts}][{seconds}])" if names else ""
    return re.compile(
        rf"{start}(?:(?:(?<![\w.])|(?-i:(?<=[a-zß-öø-ÿа-яё]{{2}})|(?<=[A-ZÀ-ÖØ-ÞА-ЯЁ]{{3}}))){day}(?:{gap}*|-)(?:de{gap}+)?(?:{months})\.?(?:,?{gap}*|-)(?:de{gap}+)?{year}"
        rf"|(?:(?<!\w)|(?-i:(?<=[^\W_])(?=[A-ZÀ-ÖØ-ÞА-ЯЁ])))(?:{months})\.?{gap}+{day},?{gap}*{year}"
        # The year first, before a month name ('2026. december 3.', '2026 m. gruodžio 3 d.',
        # '2023 Jan 7' in a citation)
        rf"|(?<!\w){year}(?:\.|{gap}+m\.){gap}*(?:{months})\.?{gap}+\d{{1,2}}(?!\d)"
        # (with no mark after the year, a capital: 'By 2030 may 10 million' is no date)
        rf"|(?<!\w){year}{gap}+(?-i:(?=[A-ZÀ-ÖØ-ÞА-ЯЁ]))(?:{months})\.?{gap}+\d{{1,2}}(?!\d)"
        # or in figures: East Asian ('2026年12月3日', '2026년 12월 3일'), and '2026/12/03', '2026. 12. 3.'
        rf"|(?<![\d.]){year}{gap}?(?:年{gap}?\d{{1,2}}{gap}?月{gap}?\d{{1,2}}{gap}?日|년{gap}?\d{{1,2}}{gap}?월{gap}?\d{{1,2}}{gap}?일)"
        rf"|(?<![\d.])(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}/\d{{1,2}}/\d{{1,2}}|\d{{4}}\.{gap}?\d{{1,2}}\.{gap}?\d{{1,2}}"
        # and the day first: '16.02.2026', '16/02/2026', '16-02-2026', '3. 12. 2026'
        rf"|\d{{1,2}}\.{gap}?\d{{1,2}}\.{gap}?\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{1,2}}-\d{{1,2}}-\d{{4}})(?!\d))",
        re.IGNORECASE,
    )


# A year not inside a number, '(?<!\d)(?:1[89]|2[01])\d\d', written to start with its first
# digit: the engine skips to the next '1' or '2' rather than trying every place.
_YEAR_START = re.compile(r"[12](?<!\d[12])(?:(?<=1)[89]|(?<=2)[01])\d\d")
DATE_REACH = 50  # characters a date may start before its year ('16 de septiembre de 2026')
YEAR_FIRST_REACH = 20  # characters a date written year first may run on past its year
DENSE_YEARS = 100  # with a year every this many characters or more, one search over the text is cheaper


def _find_dates(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """``pattern``'s matches in ``text``, as ``pattern.finditer(text)`` finds them on real pages,
    found faster: every date holds a year, so the pattern is only tried in a window around each
    year of the text rather than at every letter of it (month names make it slow to try)."""
    years = list(_YEAR_START.finditer(text))
    if len(years) * DENSE_YEARS > len(text):
        # Years everywhere (tables of figures): the windows would cover the text many times over.
        yield from pattern.finditer(text)
        return
    done = 0
    for year in years:
        if year.start() < done:
            continue
        reach = max(0, year.start() - DATE_REACH)
        lo = max(done, text.rfind("\n", reach, year.start()) + 1, reach)
        # Past the year: the month and day of a date written year first ('-02-16', '. december 3',
        # '年12月3日'), and one more character for the look-ahead.
        hi = min(len(text), year.end() + YEAR_FIRST_REACH)
        for match in pattern.finditer(text, lo, hi):
            if match.start() <= year.start() < match.end():
                yield match
                done = match.end()
                break


def has_date(text: str, pattern: re.Pattern[str]) -> bool:
    # Every date holds a year: most lines have none, and are done with one quick search.
    return _YEAR_START.search(text) is not None and next(_find_dates(text, pattern), None) is not None


def _month_names(language: str) -> list[str]:
    """The month names and short forms of ``language``: the lexicon's where it holds the
    language's months, else dateparser's locale data (imported only then: about 50 ms of a start)."""
    if language in lexicon.languages("months"):
        return [form for forms in lexicon.groups("months", language) for form in forms]
    try:
        from dateparser.languages import default_loader

        info = default_loader.get_locale(language).info
    except (ValueError, KeyError, ImportError):
        return []
    months = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
    return [str(name) for month in months for name in info.get(month, [])]


_URL_DATE = re.compile(r"(?<![\d])((?:19|20)\d\d)([/_-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?![\d])")
# The month as an English word: '/news/2024/mar/14/slug', '/blog/2024/march/14/slug'.
_URL_MONTHS = _MONTHS_3
_URL_NAMED_DATE = re.compile(
    # The endings are a loose grammar of their own (they would take 'jane'), which the pages'
    # paths were read with: the lexicon's full names would be stricter.
    rf"(?i)(?<![\d])((?:19|20)\d\d)/({'|'.join(_URL_MONTHS)})(?:uary|ruary|ch|il|e|y|ust|t|"
    r"tember|ober|ember)?/(0?[1-9]|[12]\d|3[01])(?=/|$)")


def url_date(url: str | None) -> str | None:
    """The day written in a URL's path ('/2024/03/14/slug', '/news/20240314-slug',
    '/2024-03-14-slug', '/2024/mar/14/slug'), as 'YYYY-MM-DD', or None. Only a whole, valid day counts: a
    year and month alone are an archive, not a publication date."""
    if not url:
        return None
    path = url_path(url)
    days = [(year, int(month), day) for year, _, month, day in _URL_DATE.findall(path)]
    days += [(year, _URL_MONTHS.index(month.lower()) + 1, day) for year, month, day in _URL_NAMED_DATE.findall(path)]
    for year, month, day in days:
        try:
            return datetime.date(int(year), month, int(day)).isoformat()
        except ValueError:
            continue
    return None


# What the date model looks at, in the order of its columns (of the rows `date_candidates` builds).
DATE_FEATURES = (
    "lines_above_start", "lines_below_start", "within_three_of_start", "log_line_words",
    "short_line", "line_starts_with_date", "byline_word", "updated_word", "comment_word",
    "near_headline", "first_date_on_page", "log_times_on_page", "latest_year",
    "has_time", "numeric_form", "after_region", "dates_on_line",
    "updated_label_before", "published_label_before", "earlier_date_near", "later_date_near",
    "url_month", "asked_label_before",
)


def _first_letters(words: Iterable[str]) -> str:
    """The letters ``words`` start with, as a character class's inside."""
    return "".join(sorted({re.escape(word[0].lower()) for word in words}))


def _whole_words(words: Sequence[str]) -> str:
    """``words`` as alternatives, escaped, longest first (where one starts another, 'update' and
    'updated', the longer is tried first)."""
    return "|".join(sorted(map(lexicon.escape, dict.fromkeys(words)), key=len, reverse=True))


# Each of these word patterns says first which letters its words start with (Cyrillic ones
# included): one test turns most places of a line away before every word is tried there. The
# date model learnt its features with exactly these words: a word more or less is another
# feature, so each list takes only the languages of the lexicon it always had.
_UPDATED_WORDS = (
    # 'last updated' is left out: 'updated' finds the same lines, and the match starts there.
    *(word for word in lexicon.words("updated-labels", ("en", "de", "es", "ru", "id")) if word != "last updated"),
    "mis à jour",  # not the rest of the French ('modifié')
    "update", "modified", "last edited", "last reviewed")
_UPDATED = lazy_re(rf"(?i)(?=[{_first_letters(_UPDATED_WORDS)}])\b(?:{_whole_words(_UPDATED_WORDS)})\b")
_BYLINE_WORDS = (
    *lexicon.words("byline-cues", ("en", "de", "fr", "es", "id")),
    # published-labels of the languages whose every label is a word here; the others' lists hold
    # 'date', 'le', 'dipublikasikan', which are not.
    *lexicon.words("published-labels", ("de", "es", "ru")),
    "posted", "published", "publié", "diterbitkan", "written", "автор")
_BYLINE_WORD = lazy_re(rf"(?i)(?=[{_first_letters(_BYLINE_WORDS)}])\b(?:{_whole_words(_BYLINE_WORDS)})\b")
# (not commenter-verbs/en, which has 'writes' and 'wrote' as well)
_COMMENT_WORDS = (*lexicon.words("reply-words", ("en", "de", "fr", "es", "ru", "id")),
                  "says", "said", "replied", "comments", "comment")
COMMENT_WORD = lazy_re(rf"(?i)(?=[{_first_letters((*_COMMENT_WORDS, 'at'))}])"
                          rf"(?:\b(?:{_whole_words(_COMMENT_WORDS)})\b|\bat \d{{1,2}}:\d{{2}})")
_NUMERIC_DATE = re.compile(r"^\d")
_TIME = re.compile(r"\d\d?:\d{2}")  # \d{1,2}, written to start with a digit the engine skips to
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
# The label right before a date says which of a dateline's dates it is ('Published May 3, 2024
# Updated June 9, 2024': the line has both words; each date has its own label before it). Every
# language of the lexicons: these features are new, no model learnt them with fewer.
LABEL_REACH = 30  # characters before a date its label may start
_UPDATED_LABEL = lazy_re(rf"(?i)\b(?:{_whole_words(lexicon.words('updated-labels'))}|modified|last edited|"
                            rf"last reviewed|update)\b\W{{0,3}}(?:on|le|am|el|em|den|il|op)?\W{{0,3}}$")
_PUBLISHED_LABEL = lazy_re(rf"(?i)(?:\b(?:{_whole_words(lexicon.words('published-labels'))})|"
                              rf"\b(?:{_whole_words(lexicon.words('byline-cues'))})\b[^\n]{{2,40}}?)"
                              rf"\W{{0,3}}(?:on|le|am|el|em|den|il|op)?\W{{0,3}}$")
# The word before the day a question was asked ('asked Mar 28, 2014'): the question's day is the
# page's, not the answers' or the edit's after it.
_ASKED_LABEL = lazy_re(rf"(?i)\b(?:{_whole_words(lexicon.words('asked-labels'))})\W{{0,3}}$")
# A blog's archive path names the year and month of the post ('/2015/07/slug'): a day of that
# month is the post's, not a comment's of later years.
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")
DATE_NEIGHBOURS = 2  # lines apart two dates may be to be read as a dateline's pair (published, updated)
DATE_CANDIDATES = 60  # date matches looked at per page: the first ones, in page order


def date_candidates(lines: Sequence[str], start: int, end: int, language: str | None,
                    headline: int | None, url: str | None = None) -> list[tuple[str, list[float]]]:
    """(matched text, features) of every date-shaped string on the page, for `find_date`;
    ``url`` (the page's address, when known) says the month of a blog's archive path."""
    pattern = date_pattern(language)
    # One search over the whole page (lines joined by newlines, which the pattern never crosses) is much
    # cheaper than one per line; line numbers come back from the offsets.
    page = "\n".join(lines)
    offsets = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    matches = []
    for match in itertools.islice(_find_dates(page, pattern), DATE_CANDIDATES):
        index = bisect.bisect_right(offsets, match.start()) - 1
        matches.append((index, match.group(0), match.start() == offsets[index], match.start() - offsets[index]))
    texts = Counter(value for _, value, _, _ in matches)
    years = [int(y) for _, value, _, _ in matches for y in _YEAR.findall(value)]
    latest = max(years, default=0)
    per_line = Counter(index for index, _, _, _ in matches)
    # Every candidate's day, parsed once per distinct string (most pages repeat theirs).
    all_days = {value: day[:10] for value in texts if (day := parse_date(value, language))}
    days = _paired_days(matches, all_days)
    archive = _URL_MONTH.search(url_path(url)) if url else None
    url_month = f"{archive[1]}-{archive[2]}" if archive else None
    found = []
    for order, (index, value, at_line_start, at) in enumerate(matches):
        line = lines[index]
        before = line[max(0, at - LABEL_REACH):at]
        day = days.get(order)
        near = [days[other] for other, (j, _, _, _) in enumerate(matches)
                if other != order and other in days and abs(j - index) <= DATE_NEIGHBOURS]
        words = len(line.split())
        year = _YEAR.search(value)
        found.append((value, [
            math.log1p(max(0, start - index)), math.log1p(max(0, index - start)),
            float(abs(index - start) <= 3), math.log1p(words), float(words <= 12),
            float(at_line_start), float(bool(_BYLINE_WORD.search(line))),
            float(bool(_UPDATED.search(line))), float(bool(COMMENT_WORD.search(line))),
            float(headline is not None and abs(index - headline) <= 3), float(order == 0),
            math.log1p(texts[value]), float(year is not None and int(year.group(0)) == latest),
            float(bool(_TIME.search(line))), float(bool(_NUMERIC_DATE.match(value))),
            float(index >= end), math.log1p(per_line[index]),
            float(bool(_UPDATED_LABEL.search(before))), float(bool(_PUBLISHED_LABEL.search(before))),
            float(day is not None and any(other < day for other in near)),
            float(day is not None and any(other > day for other in near)),
            float(url_month is not None and all_days.get(value, "")[:7] == url_month),
            float(bool(_ASKED_LABEL.search(before))),
        ]))
    return found


def _paired_days(matches: Sequence[tuple[int, str, bool, int]], all_days: dict[str, str]) -> dict[int, str]:
    """The days (YYYY-MM-DD, of ``all_days``: each match's text's) of the date matches that have
    another within `DATE_NEIGHBOURS` lines, by their order: a page was published before it was
    updated, so of a dateline's two dates the earlier is the publication's ('May 21, 2025April
    24, 2025')."""
    days = {}
    for order, (index, value, _, _) in enumerate(matches):
        if value in all_days and any(other != order and abs(j - index) <= DATE_NEIGHBOURS and v != value
                                     for other, (j, v, _, _) in enumerate(matches)):
            days[order] = all_days[value]
    return days


def find_date(lines: Sequence[str], start: int, end: int, language: str | None,
              headline: int | None = None, url: str | None = None) -> str | None:
    """The page's date: of the date-shaped strings on the page, the one the date model scores
    highest that parses as a real date (a day, 'YYYY-MM-DD')."""
    model = load_model(DATE_MODEL, DATE_FEATURES)
    candidates = date_candidates(lines, start, end, language, headline, url)
    scored = sorted(((score, n, value) for n, ((value, _), score) in
                     enumerate(zip(candidates, model.scores([f for _, f in candidates]), strict=True))),
                    reverse=True)
    for score, _, value in scored[:DATE_TRIES]:
        if score < MIN_DATE_SCORE:
            break
        found = parse_date(value, language)
        if found:
            return found[:10]
    return None

