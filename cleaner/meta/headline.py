"""The headline from text alone, for when the rules found none.

It is looked for around the start of the main region found by the content finder, where
templates print it: a few lines above the first paragraph (after menus, before the byline).
Every line there, and every part of a line a scraper glued it into (`headline_text`), is a
candidate; the headline model (`cleaner/models/headline.json`, or `headline-slug.json` when the
URL's slug shares words with the candidates) scores them, and the best is taken.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.lang import lexicon
from cleaner.lang.detect import stemmer_of, stopwords_of
from cleaner.lang.words import word_count
from cleaner.meta.date import date_pattern, has_date
from cleaner.meta.headline_layout import LAYOUT_FEATURES, Layout, Near, reads_as_paragraph
from cleaner.meta.headline_text import (
    MAX_HEADLINE_CHARS,
    SEPARATORS,
    may_say,
    phrase_piece,
    pieces_of,
    rejoined,
    rest_of_line,
    slug_overlap,
    slug_pieces,
    title_heading,
    whole_if_continued,
    words_of,
)
from cleaner.meta.scoring import MODELS, Scorer, column, load_model
from cleaner.meta.slug import fold, headline_slug, slug_phrase

TITLE_ABOVE = 60  # lines above the main region's start searched for the headline
TITLE_BELOW = 5  # and below it (a region can open with a standfirst above the headline)
# With a slug to go by, a wider search finds headlines far from where the finder's region starts.
SLUG_TITLE_ABOVE = 300
SLUG_TITLE_BELOW = 30
BODY_LINES = 40  # lines of the region whose words a headline is expected to share
# Below this score no line is taken for the headline: a clean page without one keeps `title`
# empty rather than getting a subheading or its first sentence. Both headline models are ranking
# trees whose scores are calibrated as the log-odds that a page's best candidate is right, so
# this is a probability of about 0.08. On the corpus it turns away a tenth of the wrong picks
# of the text-only model for 1% of its right ones, and almost nothing with a slug.
MIN_HEADLINE_SCORE = -2.5
_SCORE = operator.itemgetter(0)  # of a (score, index, text) row
COPY_REACH = 3  # lines above the headline picked where its first copy may stand
_LETTER = re.compile(r"[^\W\d_]")
_SEPARATOR_END = tuple(",;|/-–—•·")
# A part of a line that ends like this was cut inside its headline ("Ferry Timetables (", "Harbour Guide –").
_BROKEN_END = (*"([{“‘«„", *_SEPARATOR_END)
# A line that opens as a byline does. Russian "от" is spelled out: in the lexicon's byline cues it
# would reach the byline rule too, which takes every language's cues.
_BYLINE = re.compile(rf"^(?:{lexicon.alternation('byline-cues')}|от)\b", re.IGNORECASE)
HEADLINE_MODEL = MODELS / "headline.json"
SLUG_HEADLINE_MODEL = MODELS / "headline-slug.json"
ARCHIVE_HEADLINE_MODEL = MODELS / "headline-archive.json"
ARCHIVE_SLUG_HEADLINE_MODEL = MODELS / "headline-archive-slug.json"

# What the headline model looks at, in the order of its columns. Each is a generic property of a
# line and its neighbours; none names a site. A candidate's row is built in blocks
# (`_Headlines.candidates`), one group of names each, and HEADLINE_FEATURES lists them in order.
_PLACE_FEATURES = ("lines_above_start", "lines_below_start", "is_start", "just_above_start")
# What a candidate's text alone says (`_Headlines.text_features`, worked out once for a text).
_TEXT_FEATURES = (
    "log_words", "words_2_to_20", "words_under_2", "words_over_25", "capitalised_share",
    "ends_with_period", "ends_with_question_or_exclamation", "has_colon", "ends_with_separator",
    "repeated_on_page",
)
_MORE_TEXT_FEATURES = ("is_byline", "stopword_share", "digit_share", "shares_body_words", "mostly_body_words",
                       "log_chars", "starts_upper")
_CONTEXT_FEATURES = ("date_in_next_two", "byline_in_next_two", "date_in_previous")
_NEIGHBOUR_FEATURES = ("previous_is_short", "next_is_prose")
# How the candidate sits in its line, and the copies of it the page prints.
_IN_LINE_FEATURES = ("part_of_line", "starts_line", "ends_line", "printed_twice", "beside_a_copy",
                     "rest_is_a_line", "breadcrumb")
HEADLINE_FEATURES = (
    *_PLACE_FEATURES, *_TEXT_FEATURES, "inside_another_line", *_CONTEXT_FEATURES, "has_date",
    *_MORE_TEXT_FEATURES, *_NEIGHBOUR_FEATURES, *_IN_LINE_FEATURES, *LAYOUT_FEATURES,
)
# Text written as crawl archives write it (one block a line, no blank line: WET records) opens
# with the page's <title>: there the first line, without the site's name, is the headline more
# often than not, and so is the heading that repeats it. Such text gets models of its own
# (`ARCHIVE_HEADLINE_MODEL`, `ARCHIVE_SLUG_HEADLINE_MODEL`) that also weigh whether a candidate
# is the first line or printed inside it, and whether the text is an archive's (they are fitted
# on scraped text as well, where the first line is a menu's). Scraped text keeps the models
# fitted on it alone: fitted on both kinds of text, one model lost on scraped text (articles
# 0.601 -> 0.583, cross-validated) what it gained on archive text.
_FIRST_LINE_FEATURES = ("first_line", "archive_text", "in_first_line", "words_in_first_line",
                        "first_line_words_in_it")
ARCHIVE_HEADLINE_FEATURES = (*HEADLINE_FEATURES, *_FIRST_LINE_FEATURES)
# With a URL whose slug has words, a second model weighs the same features and how far the
# candidate says what the slug says (`_overlap`), and how that compares with the page's other
# candidates (`_against_best`). Two models rather than one: each gets its own weights and
# threshold, so the text-only case is not a compromise with the URL case.
_OVERLAP_FEATURES = ("words_in_slug", "slug_words_in_line", "slug_match")
_AGAINST_BEST_FEATURES = ("slug_words_short_of_best", "slug_match_short_of_best", "longer_than_best")
# The scraped text's slug model weighs no `LAYOUT_FEATURES`: with the slug's words to go by, the
# model refitted with them lost titles the one without them had (scraped, with URLs, 0.649 -> 0.648).
_LAYOUT = slice(column(HEADLINE_FEATURES, LAYOUT_FEATURES[0]), len(HEADLINE_FEATURES))
SLUG_HEADLINE_FEATURES = (*HEADLINE_FEATURES[:_LAYOUT.start], *_OVERLAP_FEATURES, *_AGAINST_BEST_FEATURES)
ARCHIVE_SLUG_HEADLINE_FEATURES = (*ARCHIVE_HEADLINE_FEATURES, *_OVERLAP_FEATURES, *_AGAINST_BEST_FEATURES)
# The columns read back from a candidate's row, by name (in both layouts).
LOG_WORDS = column(HEADLINE_FEATURES, "log_words")


@dataclass(frozen=True)
class _SlugColumns:
    """Where a row of one layout holds its slug features."""

    words_in_slug: int
    slug_words_in_line: int
    slug_match: int

    @classmethod
    def of(cls, features: tuple[str, ...]) -> _SlugColumns:
        return cls(*(column(features, name) for name in _OVERLAP_FEATURES))


_SLUG_COLUMNS = {False: _SlugColumns.of(SLUG_HEADLINE_FEATURES), True: _SlugColumns.of(ARCHIVE_SLUG_HEADLINE_FEATURES)}


@dataclass(frozen=True)
class Taken:
    """Where the rules took a dateline or a byline out of the page into the record: the indexes
    of the lines (among those left) right after which such a line was. A headline is followed
    by its dateline and byline, and these say so even when the lines have left the text."""

    dates: frozenset[int] = frozenset()
    bylines: frozenset[int] = frozenset()


NOTHING_TAKEN = Taken()


def headline_candidates(lines: Sequence[str], start: int, language: str | None,
                        url: str | None = None, taken: Taken = NOTHING_TAKEN,
                        archive: bool = False, first_line: bool | None = None) -> list[tuple[int, str, list[float]]]:
    """(index, text, features) of every line, or part of a line, that may be the headline of a
    region starting at ``start``: the features are SLUG_HEADLINE_FEATURES when the page's
    ``url`` has a slug with words, HEADLINE_FEATURES otherwise. ``archive``: the text is written
    as crawl archives write it (`pipeline.archive_text`), its first line the page's <title>;
    ``first_line`` (by default ``archive``): the search reads the first line as the archive
    models do, and the rows are ARCHIVE_SLUG_HEADLINE_FEATURES or ARCHIVE_HEADLINE_FEATURES
    (their trainer reads scraped text so too)."""
    reads_first = archive if first_line is None else first_line
    search = _Headlines(lines, start, language, taken, archive, reads_first, slug_phrase(url))
    return search.candidates(headline_slug(url))


STEM_PREFIX = 5  # letters of a stem that match it to a body word's stem in an inflecting language


class _Headlines:
    """The headline search on one page. What a candidate's features read of its text and of
    its line is worked out once and kept: when the slug says nothing, the search without it
    reads the same lines again."""

    def __init__(self, lines: Sequence[str], start: int, language: str | None,
                 taken: Taken = NOTHING_TAKEN, archive: bool = False, first_line: bool = False,
                 phrase: Sequence[str] = ()) -> None:
        self.lines = lines
        self.phrase = phrase  # the URL's slug in order (`slug_phrase`), for `phrase_piece`
        self.start = start
        self.taken = taken
        self.archive = archive
        self.first_line = first_line
        self.stopwords = stopwords_of(language) or stopwords_of("en")
        self.dates = date_pattern(language)
        self.counts = Counter(lines)
        self.layout = Layout(lines, self.dates, language)
        # One search over the region's head: a word never spans lines, and lower-casing lines
        # joined by newlines is lower-casing each one (a newline ends a final sigma as the end does).
        head = "\n".join(lines[start:start + BODY_LINES]).lower()
        # Words are compared by their stems where the language inflects more than English
        # ("reglerna" in a headline, "regler" in the body).
        self.stem = stemmer_of(language)
        # Stop words go before stemming, as in a candidate's words: a stem may be a stop word
        # that its inflected form is not ('regeln' -> 'regel', as in 'in der Regel').
        words = list(set(words_of(head)).difference(self.stopwords))  # (each stemmed once)
        self.body = set(self.stem(words) if self.stem else words)
        # Snowball's stems still differ where inflection changes a word's middle ('obniżyć',
        # 'obniżone'); in those languages a stem's first letters find it too.
        self.prefixes = {w[:STEM_PREFIX] for w in self.body if len(w) >= STEM_PREFIX} if self.stem else set()
        # What is read of a line, by its text: menus and headings are printed more than once.
        self._dated: dict[str, bool] = {}
        self._byline: dict[str, bool] = {}
        self._tokens: dict[str, list[str]] = {}
        self._folded: dict[str, frozenset[str]] = {}
        self._texts: dict[str, tuple[list[float], list[float], list[str]]] = {}

    def dated(self, index: int) -> bool:
        """Whether line ``index`` holds a date."""
        line = self.lines[index]
        found = self._dated.get(line)
        if found is None:
            found = self._dated[line] = has_date(line, self.dates)
        return found

    def byline(self, index: int) -> bool:
        """Whether line ``index`` starts with a byline word."""
        line = self.lines[index]
        found = self._byline.get(line)
        if found is None:
            found = self._byline[line] = bool(_BYLINE.match(line))
        return found

    def tokens(self, index: int) -> list[str]:
        """Line ``index``'s words, lower-cased."""
        line = self.lines[index]
        found = self._tokens.get(line)
        if found is None:
            found = self._tokens[line] = words_of(line.lower())
        return found

    def folded(self, index: int) -> frozenset[str]:
        """Line ``index``'s words as slugs spell them (`fold`), as a set: they are only ever
        compared with a slug's, for each of many rows."""
        line = self.lines[index]
        found = self._folded.get(line)
        if found is None:
            tokens = self.tokens(index)
            found = self._folded[line] = frozenset(tokens if line.isascii() else map(fold, set(tokens)))
        return found

    def saying_slug(self, slug: set[str]) -> list[int]:
        """Lines anywhere on the page that hold every word of a slug of two words or more (all
        but one of five or more): a region found far from its headline (an intro or a table of
        contents between them) still gets it as a candidate."""
        if len(slug) < 2:
            return []
        lowered = [line.lower() for line in self.lines]
        text = "\n".join(lowered)
        if not text.isascii():  # (folding may change a line's length)
            lowered = list(map(fold, lowered))
            text = "\n".join(lowered)
        ends = list(itertools.accumulate(len(line) + 1 for line in lowered))
        words: dict[int, set[str]] = {}
        alternatives = "|".join(map(re.escape, sorted(slug, key=len, reverse=True)))
        for m in re.finditer(rf"\b(?:{alternatives})\b", text):
            words.setdefault(bisect.bisect_right(ends, m.start()), set()).add(m.group())
        need = len(slug) - (len(slug) >= 5)
        return sorted(i for i, said in words.items() if len(said) >= need)

    def pieces(self, index: int) -> tuple[str, ...]:
        """`line_pieces` of line ``index``."""
        return pieces_of(self.lines[index])

    def text_features(self, text: str, tokens: list[str] | None
                      ) -> tuple[list[float], list[float], list[str]]:
        """The features of a candidate that depend on its text alone (`_TEXT_FEATURES` and
        `_MORE_TEXT_FEATURES`), and its words lower-cased; ``tokens`` are those words when
        already known."""
        known = self._texts.get(text)
        if known is not None:
            return known
        words = text.split()
        n = len(words) if text.isascii() else word_count(text)
        if tokens is None:
            tokens = words_of(text.lower())
        stopwords = self.stopwords
        content = [w for w in tokens if w not in stopwords]
        stems = self.stem(content) if self.stem else content
        body, prefixes = self.body, self.prefixes
        shared = sum(1 for w in stems if w in body or (len(w) > STEM_PREFIX and w[:STEM_PREFIX] in prefixes)
                     ) / len(content) if content else 0.0
        if text.isascii():  # the only digits of ASCII; ten counts are quicker than a test per character
            digits = sum(map(text.count, "0123456789"))
        else:
            digits = sum(map(str.isdigit, text))
        known = self._texts[text] = ([
            math.log1p(n), float(2 <= n <= 20), float(n < 2), float(n > 25),
            len([w for w in words if w[0].isupper()]) / n if n else 0.0,
            float(text.endswith((".", "。"))), float(text.endswith(("?", "!", "？", "！"))), float(":" in text),
            float(text.endswith(_SEPARATOR_END)), float(self.counts[text] > 1),
        ], [
            float(bool(_BYLINE.match(text))),
            (len(tokens) - len(content)) / len(tokens) if tokens else 0.0,
            digits / len(text) if text else 0.0,
            shared, float(len(content) >= 2 and shared > 0.5),
            # A letter of a script without case (Chinese, Japanese, Korean, Arabic) counts as a
            # capital: a headline in it starts as a headline in English does.
            math.log1p(len(text)), float(text[:1].isupper() or (text[:1].isalpha() and not text[:1].islower())),
        ], tokens)
        return known

    def candidates(self, slug: set[str], usable: bool = False) -> list[tuple[int, str, list[float]]]:
        """`headline_candidates` for the URL slug ``slug``; ``usable``: only the candidates
        `find_title` weighs (with a letter, not too long)."""
        lines, start = self.lines, self.start
        above, below = (SLUG_TITLE_ABOVE, SLUG_TITLE_BELOW) if slug else (TITLE_ABOVE, TITLE_BELOW)
        near = Near(lines[max(0, start - 2 * above):start + 2 * above])
        lo, hi = max(0, start - above), min(len(lines), start + below + 1)
        found = []
        rows: Sequence[int] = range(lo, hi)
        if slug and not any(may_say(lines[i], slug, every=True) and slug.issubset(self.folded(i)) for i in rows):
            # No line near the region says the whole slug: one far from it may (the region
            # found after an intro or a table of contents that follows the headline).
            rows = [*rows, *(i for i in self.saying_slug(slug) if not lo <= i < hi)]
        reads_first = self.first_line
        if reads_first and lo > 0 and lines and 0 not in rows:
            rows = [0, *rows]  # the first line, however far above: an archive's <title>
        first = lines[0] if lines else ""
        # The first line's words: a heading that says the words of an archive's <title> (all of
        # them, or only some: a section label, a shortened headline) is told by how many it shares.
        first_words = set(self.tokens(0)) if reads_first and lines else set()
        archive = float(self.archive)
        # Read once here rather than on every row: the loop runs over hundreds of lines.
        taken, layout, counts, near_lines = self.taken, self.layout, self.counts, near.distinct
        n, slug_size = len(lines), len(slug)
        for i in rows:
            if slug and i and not (start - TITLE_ABOVE <= i <= start + TITLE_BELOW) and (
                    not may_say(lines[i], slug) or slug.isdisjoint(self.folded(i))):
                continue  # beyond the text-only window, only lines that share a word with the slug
            folded = self.folded(i) if slug else frozenset()
            whole = lines[i]
            pieces: Sequence[str] = self.pieces(i)
            said = len(slug.intersection(folded)) if slug else 0  # slug words the whole line says
            if said >= 2:
                pieces = list(dict.fromkeys([*pieces, *(p for p in slug_pieces(whole, slug, self.dates)
                                                        if p != whole and len(p.split()) >= 2)]))
            if slug and i + 1 < n:
                pieces = [*pieces, *rejoined(whole, lines[i + 1], slug)]
            if slug and said == slug_size:
                spelt = phrase_piece(whole, self.phrase)
                if spelt and spelt != whole and spelt not in pieces:
                    pieces = [*pieces, spelt]
            if usable and not (len(whole) <= MAX_HEADLINE_CHARS and _LETTER.search(whole)) and not any(
                    len(p) <= MAX_HEADLINE_CHARS and not p.endswith(_BROKEN_END) and _LETTER.search(p) for p in pieces):
                continue  # no text of the row is weighed (a long paragraph, no short part): its figures go unread
            # The row's blocks, each in the order of its group of names (HEADLINE_FEATURES).
            place = [math.log1p(max(0, start - i)), math.log1p(max(0, i - start)), float(i == start),
                     float(i == start - 1)]
            following = range(i + 1, min(i + 3, n))
            context = [  # _CONTEXT_FEATURES
                float(i in taken.dates or i + 1 in taken.dates or any(map(self.dated, following))),
                float(i in taken.bylines or i + 1 in taken.bylines or any(map(self.byline, following))),
                float(i - 1 in taken.dates or (i > 0 and self.dated(i - 1))),
            ]
            # Whether the line before has at most 3 words and the one after at least 15 (a split
            # stopped after enough words tells).
            neighbours = [float(i == 0 or len(lines[i - 1].split(None, 3)) <= 3),
                          float(i + 1 < n and len(lines[i + 1].split(None, 14)) >= 15)]
            dated = self.dated(i)
            beside = {lines[j] for j in (i - 1, i + 1) if 0 <= j < n}
            # Two separators or more: a trail ("Home > News > Title"), whose last item may be
            # the headline; one may end a headline ("Title – Moscow").
            trail = float(len(SEPARATORS.findall(whole, 0, MAX_HEADLINE_CHARS)) >= 2)
            around, to_prose, prose_above = layout.place(i)  # (the same for every part of the line)
            for number, line in enumerate([whole, *pieces]):
                if usable and not (len(line) <= MAX_HEADLINE_CHARS and _LETTER.search(line)):
                    continue
                if number == 0:
                    text, more, tokens = self.text_features(line, self.tokens(i))
                    inside = near.inside(line)
                    in_line = [  # _IN_LINE_FEATURES, then LAYOUT_FEATURES
                        0.0, 0.0, 0.0,
                        float(inside or counts[line] > 1),  # inside_another_line or repeated_on_page
                        # A heading printed twice in a row: the page's headline and its copy.
                        float(line in beside), 0.0, trail, around, to_prose, 0.0, prose_above,
                    ]
                    row = [*place, *text, float(inside), *context, float(dated), *more, *neighbours, *in_line]
                    if slug:
                        shared = said
                else:
                    if line.endswith(_BROKEN_END):
                        continue
                    text, more, tokens = self.text_features(line, None)
                    # Templates print the headline twice (a breadcrumb's last item, then the
                    # heading): glued, the copy is in the same line, or it is a line of its own.
                    copied = whole.count(line) > 1
                    in_line = [
                        1.0, float(whole.startswith(line)), float(whole.endswith(line)),
                        float(line in near_lines or copied), float(line in beside or copied),
                        # What a part leaves of its line is printed on a line of its own elsewhere:
                        # a site name ("Title | Site", and "Site" in the header), not the end of a
                        # headline ("Title – Moscow").
                        float(rest_of_line(whole, line) in counts),
                        0.0,  # breadcrumb: parts are cut at the separators
                        around, to_prose, layout.after(whole, line), prose_above,
                    ]
                    row = [*place, *text, 1.0, *context, float(dated and has_date(line, self.dates)), *more,
                           *neighbours, *in_line]
                    if slug:
                        # (`fold` keeps ASCII words as they are)
                        shared = len(slug.intersection(tokens if line.isascii() else map(fold, tokens)))
                if slug and not reads_first:
                    del row[_LAYOUT]
                if reads_first:
                    # _FIRST_LINE_FEATURES: a heading that repeats the first line (or a part
                    # of it, without the site's name) says what an archive's <title> says.
                    row += (float(i == 0), archive, float(i > 0 and line in first),
                            *_shared_words(set(tokens), first_words))
                if slug:  # _OVERLAP_FEATURES; `_against_best` adds the last ones
                    row += slug_overlap(shared, len(set(tokens)), slug_size)
                found.append((i, line, row))
        if slug:
            _against_best(found, len(slug), _SLUG_COLUMNS[reads_first])
        return found


def _against_best(found: list[tuple[int, str, list[float]]], slug: int, columns: _SlugColumns) -> None:
    """Append to each candidate's features how it compares with the page's candidates that say
    most of the slug: how many slug words it lacks, how far its match falls short, and, among
    those saying most, how many words longer than the shortest it is (a headline with a menu
    item or a site name glued to it says the slug as well as the headline alone). Only the
    candidates `find_title` weighs count, so training and search see the same figures."""
    usable = [f for _, text, f in found if len(text) <= MAX_HEADLINE_CHARS and _LETTER.search(text)]
    in_line, match = columns.slug_words_in_line, columns.slug_match
    shared = {id(f): round(f[in_line] * slug) for f in usable}
    most = max(shared.values(), default=0)
    best = max((f[match] for f in usable), default=0.0)
    shortest = min((f[LOG_WORDS] for f in usable if shared[id(f)] == most), default=0.0)
    for _, _, features in found:
        have = shared.get(id(features), round(features[in_line] * slug))
        features += [float(most - have), best - features[match],  # _AGAINST_BEST_FEATURES
                     features[LOG_WORDS] - shortest if have == most and most else 0.0]


def _shared_words(words: set[str], first: set[str]) -> tuple[float, float]:
    """Share of a candidate's words in the first line, and of the first line's words in the
    candidate: "words_in_first_line" and "first_line_words_in_it"."""
    shared = len(words & first)
    return (shared / len(words) if words else 0.0), (shared / len(first) if first else 0.0)


def slug_speaks(candidates: Sequence[tuple[int, str, list[float]]], first_line: bool = False) -> bool:
    """Whether a slug shares a word with one of the headline candidates computed with it
    (``first_line``: in the archive models' layout)."""
    at = _SLUG_COLUMNS[first_line].words_in_slug
    return any(features[at] > 0 for _, _, features in candidates if len(features) > at)


def find_title(lines: Sequence[str], start: int, language: str | None = None,
               url: str | None = None, models: tuple[Scorer, Scorer] | None = None,
               taken: Taken = NOTHING_TAKEN, archive: bool = False) -> tuple[int, str] | None:
    """The headline near ``start``: (index of its line in ``lines``, its text), the text being
    the whole line or a part of it glued to other blocks. The candidate the headline model
    scores highest, or None when none scores high enough. When the URL's slug shares words with
    the candidates, the slug model weighs them too. ``models`` (text, slug) replace the shipped
    ones (training: the archive ones for ``archive`` text); ``taken`` says where the rules took
    a dateline or a byline out; ``archive``: the text is written as crawl archives write it
    (`headline_candidates`), and the archive models weigh its candidates."""
    if models is None:
        models = ((load_model(ARCHIVE_HEADLINE_MODEL, ARCHIVE_HEADLINE_FEATURES),
                   load_model(ARCHIVE_SLUG_HEADLINE_MODEL, ARCHIVE_SLUG_HEADLINE_FEATURES)) if archive else
                  (load_model(HEADLINE_MODEL, HEADLINE_FEATURES),
                   load_model(SLUG_HEADLINE_MODEL, SLUG_HEADLINE_FEATURES)))
    text_model, slug_model = models
    search = _Headlines(lines, start, language, taken, archive, archive, slug_phrase(url))
    slug = headline_slug(url)
    candidates = search.candidates(slug, usable=True)
    if candidates and slug and slug_speaks(candidates, archive):
        model = slug_model
    else:
        # No slug, or one that shares no word with any candidate (a category path, another
        # language's transliteration): the text alone decides.
        if slug and candidates:  # (a URL without slug words gave the text-only ones already)
            candidates = search.candidates(set(), usable=True)
        model = text_model
    # Text that opens with a paragraph where the article starts (an article body without its
    # page around it) has no headline above the article: a heading under that paragraph is a
    # subheading, unless the URL's slug says it is the headline (the region may start at an
    # intro printed above the headline).
    opens_with_prose = model is text_model and start == 0 and bool(lines) and reads_as_paragraph(lines[0])
    scored = [(score, index, text) for (index, text, _), score
              in zip(candidates, model.scores([f for _, _, f in candidates]), strict=True)
              if not (opens_with_prose and index > 0)]
    best = max((row for row in scored if row[0] >= MIN_HEADLINE_SCORE), key=_SCORE, default=None)
    if best is None:
        return None
    if archive and best[1] == 0 and best[2] == lines[0]:
        # An archive's <title> whole is the headline and the site's name ("Title - Site").
        best = title_heading(lines, scored) or best
    index = best[1]
    if archive and index == 0:
        # An archive's <title>: the heading that prints the same words stands where the article
        # starts, which the date and byline searches look around.
        index = next((j for j in range(1, len(lines)) if lines[j] == best[2]), 0)
    # A heading printed twice (the headline and its copy, in a row or around a standfirst)
    # stands at its first copy: what is above the headline is the template's, and its copies
    # leave the text with it.
    while lines[index] == best[2] and (copy := next((j for j in range(max(0, index - COPY_REACH), index)
                                                     if lines[j] == best[2]), None)) is not None:
        index = copy
    return index, whole_if_continued(lines[index], best[2])
