"""Metadata from text alone, for what the rules did not find: the headline and the date.

Both are looked for around the start of the main region found by the content finder, where
templates print them: the headline a few lines above the first paragraph (after menus, before
the byline), the date in a byline or dateline next to it. Month names come from dateparser's
locale data for the page's language, so the date search works beyond English.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import math
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import numpy as np
import regex

from cleaner.lang.detect import stemmer_of, stopwords_of
from cleaner.lang.words import HANGUL_CHARS, UNSPACED_CHARS, word_count
from cleaner.meta.fields import parse_date
from cleaner.models.trees import TreeEnsemble, load_trees
from cleaner.read.unglue import LOOSE_SEAMS, split_at_seams

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
MAX_HEADLINE_CHARS = 300
_DOUBLED_PROBE = 8  # characters a headline printed twice must share at its start
MAX_GLUED_CHARS = 1000  # a glued-in headline is looked for this far into a line (bylines: in shorter lines)
# Every separator starts with a space: said first, that is one test at most places of a line.
_SEPARATORS = re.compile(r"(?=\s)(?:\s+[|»›·•–—>/-]\s+|\s{3,}|\t+)")
_WORD = re.compile(r"[^\W_]+")  # "harbour_ferry_times" is three words, as its slug spells it
_LETTER = re.compile(r"[^\W\d_]")
_SEPARATOR_END = tuple(",;|/-–—•·")
# A part of a line that ends like this was cut inside its headline ("Ferry Timetables (", "Harbour Guide –").
_BROKEN_END = (*"([{“‘«„", *_SEPARATOR_END)
_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|от|oleh)\b", re.IGNORECASE)
HEADLINE_MODEL = Path(__file__).parents[1] / "models" / "headline.json"
SLUG_HEADLINE_MODEL = Path(__file__).parents[1] / "models" / "headline-slug.json"
DATE_MODEL = Path(__file__).parents[1] / "models" / "date.json"
BYLINE_MODEL = Path(__file__).parents[1] / "models" / "byline.json"
DATE_TRIES = 5  # best-scored date strings tried with the (slow) date parser
MIN_DATE_SCORE = -4.0  # below this no date-shaped string is taken for the page's date

# What the headline model looks at, in the order of its weights. Each is a generic property of a
# line and its neighbours; none names a site.
HEADLINE_FEATURES = (
    "lines_above_start", "lines_below_start", "is_start", "just_above_start",
    "log_words", "words_2_to_20", "words_under_2", "words_over_25", "capitalised_share",
    "ends_with_period", "ends_with_question_or_exclamation", "has_colon", "ends_with_separator",
    "repeated_on_page", "inside_another_line", "date_in_next_two", "byline_in_next_two",
    "date_in_previous", "has_date", "is_byline", "stopword_share", "digit_share",
    "shares_body_words", "mostly_body_words", "log_chars", "starts_upper",
    "previous_is_short", "next_is_prose", "part_of_line", "starts_line", "ends_line",
    "printed_twice", "beside_a_copy", "rest_is_a_line", "breadcrumb",
)
# With a URL whose slug has words, a second model weighs the same features and how far the
# candidate says what the slug says. Two models rather than one: each gets its own weights and
# threshold, so the text-only case is not a compromise with the URL case.
SLUG_HEADLINE_FEATURES = (*HEADLINE_FEATURES, "words_in_slug", "slug_words_in_line", "slug_match",
                          "slug_words_short_of_best", "slug_match_short_of_best", "longer_than_best")


class Scorer(Protocol):
    """What a candidate model does: a score for each row of features, higher is likelier."""

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]: ...


@dataclass(frozen=True)
class LinearModel:
    """A linear scorer over a fixed list of features; `bench/train_metadata.py` fits the weights."""

    weights: tuple[float, ...]
    intercept: float

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        if not rows:
            return []
        result: list[float] = (np.asarray(rows, dtype=np.float64) @ np.asarray(self.weights)
                               + self.intercept).tolist()
        return result


@dataclass(frozen=True)
class TreeModel:
    """Gradient-boosted trees (`cleaner.trees`); the score is the log-odds."""

    trees: TreeEnsemble

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        if not rows:
            return []
        result: list[float] = self.trees.decision(np.asarray(rows, dtype=np.float64)).tolist()
        return result


@cache
def _load_model(path: Path, features: tuple[str, ...]) -> Scorer:
    """The model in ``path``: trees when the file holds them, else linear weights."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if "trees" in data:
        return TreeModel(load_trees(path, features))
    names = tuple(data["features"])
    if names != features:
        raise RuntimeError(f"{path}: its features {names} are not the ones the code computes; "
                           "run bench/train_metadata.py again")
    return LinearModel(tuple(float(w) for w in data["weights"]), float(data["intercept"]))


# Scripts whose words are compared by their character pairs: Chinese and Japanese, written
# without spaces, and Korean, whose words carry their particles and endings ('소득세를', '소득세').
_PAIRED = re.compile(f"[{UNSPACED_CHARS}{HANGUL_CHARS}]")


def _words(lowered: str) -> list[str]:
    """The words of a lower-cased text; a word of Chinese, Japanese or Korean gives its
    character pairs ('所得税を' -> '所得', '得税', '税を'), which is how a headline's words are
    found in the body in those languages."""
    words = _WORD.findall(lowered)
    if lowered.isascii() or not _PAIRED.search(lowered):
        return words
    split: list[str] = []
    for word in words:
        if len(word) > 2 and _PAIRED.search(word):
            split += [word[i:i + 2] for i in range(len(word) - 1)]
        else:
            split.append(word)
    return split


def _pieces(line: str) -> list[str]:
    """Parts of a line that may be a headline glued to its neighbours: split at separators
    ("Title | Site", "Home » Section » Title", "Blog / Guides / Title") and at seams where two
    blocks were glued ("Why It WorksJane Doe in seo"). Of a longer line (a page glued into a few
    enormous lines) only the head is read, where the headline follows the menu; its last part,
    cut off mid-block, is left out."""
    head = line[:MAX_GLUED_CHARS]
    parts = [p.strip() for p in _SEPARATORS.split(head)]
    pieces = [p for p in parts if p and p != line]
    # A headline with a separator of its own ("Night trains of 2024 — and 5 routes to ride in
    # 2025Rail operators say…"): the line cut at its seams alone.
    for part in [*parts, head] if len(parts) > 1 else parts:
        glued = split_at_seams(part)
        if len(glued) > 1:
            pieces += glued
        doubled = _doubled(part)
        if doubled:
            pieces.append(doubled)
    if len(head) < len(line):
        pieces = [p for p in pieces if not head.endswith(p)]
    return [p for p in dict.fromkeys(pieces) if word_count(p) >= 2 and len(p) <= MAX_HEADLINE_CHARS]


# The units a slug spells a line's words with: a capitalised word, an acronym, a run of lower-case
# letters or of digits; "GitHubActions" is "Git", "Hub", "Actions" ("github" is two units).
_UNIT = regex.compile(r"\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\d+|\w+")
_BLANKS = re.compile(r"\s{2,}")  # blanks left between two blocks
_MAX_SLUG_HITS = 40  # slug words looked at in one line: the headline is near its head
_span = operator.methodcaller("span")


def _slug_pieces(line: str, slug: set[str], dates: re.Pattern[str]) -> list[str]:
    """Parts of a glued line cut out around what the URL's slug says: the shortest stretch of
    the line that holds every slug word the line says ("0 results  Making Google Sans FlexHow
    seven…" with the slug "google-sans-flex-font"), widened to the block edges around it (seams,
    separators, runs of blanks, dates) up to the first and the second edge after it, since a
    slug often leaves out a headline's first or last words
    ("best-electric-scooters" for "Best Electric Scooters for Commuting in 2025"). Works where
    `_pieces` does not: inside words glued at a case change ("/ResourcesPricing changes for
    GitHub ActionsDecember 15, 2025") and on seams the headline itself has ("GitHub")."""
    head = line[:MAX_GLUED_CHARS]
    if head.isascii():  # (lower-casing ASCII keeps every offset)
        lowered = head.lower()
        units = [(start, end, lowered[start:end]) for start, end in map(_span, _UNIT.finditer(head))]
    else:
        units = [(m.start(), m.end(), fold(m.group().lower())) for m in _UNIT.finditer(head)]
    hits: list[tuple[int, int, str]] = []
    for n, (start, end, word) in enumerate(units):
        if word in slug:
            hits.append((start, end, word))
        elif n + 1 < len(units) and units[n + 1][0] == end and word + units[n + 1][2] in slug:
            hits.append((start, units[n + 1][1], word + units[n + 1][2]))  # "Git" "Hub": "github"
        if len(hits) >= _MAX_SLUG_HITS:
            break
    # The shortest stretch holding every slug word the line says (a sliding window over the hits).
    wanted = len({word for _, _, word in hits})
    if wanted < 2:
        return []
    counts: Counter[str] = Counter()
    have, first = 0, 0
    best: tuple[int, int] | None = None
    for _, end, word in hits:
        counts[word] += 1
        have += counts[word] == 1
        while have == wanted:
            start = hits[first][0]
            if best is None or end - start < best[1] - best[0]:
                best = (start, end)
            counts[hits[first][2]] -= 1
            have -= counts[hits[first][2]] == 0
            first += 1
    assert best is not None
    start, end = best
    edges = {0, len(head)}
    for pattern in (_SEPARATORS, _BLANKS, dates, *LOOSE_SEAMS):
        for m in pattern.finditer(head):
            edges.update((m.start(), m.end()))
    # (A colon is no edge: "Title: its subtitle" is one headline. As an edge that only opens a
    # stretch, "Blog: Title", it measured worse: 0.746 against 0.759 cross-validated.)
    after = sorted(e for e in edges if e >= end)
    before = max(e for e in edges if e <= start)
    stretches = [(before, e) for e in after[:2]]
    return [head[a:b].strip() for a, b in stretches]


_LAST_WORD = regex.compile(r"\p{L}+$")
_FIRST_WORD = regex.compile(r"^\p{Lu}\p{L}*")


def _rejoined(line: str, following: str, slug: set[str]) -> list[str]:
    """``line`` and the line after it glued back together when reading cut a word of the slug in
    two ("Pricing changes for Git" / "Hub Actions", "github" in the slug): a glued page is cut
    where a lower-case letter meets a capital, and names like "GitHub" have that shape. With
    the whole line after, and with its first word only ("…for Giga" / "Gas author")."""
    if not (line[-1:].islower() and following[:1].isupper()):
        return []  # (most lines: no regex search needed)
    last, first = _LAST_WORD.search(line), _FIRST_WORD.match(following)
    if not (last and first and last.group()[-1].islower()):
        return []
    if fold((last.group() + first.group()).lower()) not in slug:
        return []
    return [text for text in dict.fromkeys((line + following, line + first.group()))
            if len(text) <= MAX_HEADLINE_CHARS]


def _doubled(text: str) -> str | None:
    """The start of ``text`` when it is printed twice in a row ("Night trains return Night trains
    return", "Title   Title – Site"): templates print the headline in the breadcrumb and in the
    heading, and a scraper glues the two. None when ``text`` does not start that way."""
    probe = text[:_DOUBLED_PROBE]
    if len(probe) < _DOUBLED_PROBE:
        return None
    at = text.find(probe, 1)
    while at > 0:
        first = text[:at].rstrip()
        if text.startswith(first, at) and len(first.split()) >= 2:
            return first
        at = text.find(probe, at + 1)
    return None


_SITE_SUFFIX = re.compile(r"\s+[|»·•–—-]\s+([^|»·•–—]{3,60})$")
_NOT_ALNUM = re.compile(r"[\W_]+")


def tidy_title(text: str, url: str | None) -> str:
    """The headline without what templates add to it: its own copy ("Title Title", a breadcrumb
    glued to the heading), what a glued word adds beyond where the slug says it ends or starts
    (`_cut_at_slug`), and the site's name when the URL's host spells it, after a separator
    ("Title – Harbourwatch" on harbourwatch.example, "Title | Coast Lab" on coastlab.example) or
    as two words or more at its end ("Title Valley Admissions" on admissions.valley.edu). A name the host
    does not spell stays: it cannot be told from the end of a headline ("Title – Moscow")."""
    text = _doubled(text) or text
    text = _cut_at_slug(text, slug_phrase(url))
    # A dateline glued in front ("November 12, 20247 Healthy Recipes"): a headline does not start
    # with the full date.
    dated = _LEADING_DATE.match(text)
    if dated and len(text[dated.end():].split()) >= 2:
        text = text[dated.end():].lstrip(" |·•–—-:,")
    if not url:
        return text
    # The host's labels, without its last (".com", ".org") and "www".
    labels = [_NOT_ALNUM.sub("", label) for label in (urlsplit(url).hostname or "").split(".")[:-1]
              if label != "www"]
    suffix = _SITE_SUFFIX.search(text)
    if suffix and len(text[:suffix.start()].split()) >= 2:
        name = _NOT_ALNUM.sub("", fold(suffix.group(1).lower()))
        if len(name) >= 3 and (name in labels or name in {a + b for a, b in itertools.pairwise(labels)}):
            return text[:suffix.start()]
    # Two words or more at the end that are each a label of the host, glued on without a
    # separator: "Essay Tips Valley Admissions" on admissions.valley.edu.
    words = text.split()
    named = 0
    while named < len(words) and _NOT_ALNUM.sub("", fold(words[-1 - named].lower())) in labels:
        named += 1
    if named >= 2 and len(words) - named >= 2:
        return " ".join(words[:-named])
    return text


# English month names: written out or cut short ('Dec.'); the short forms without 'May', which
# ends names ('Curtis LeMay'); and any word that starts as a month does, for a dateline glued
# on whose figures follow ('Jane DoeDec. 18').
_MONTH_ABBREVIATION = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\."
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          rf"|{_MONTH_ABBREVIATION}?)")
_MONTH_LIKE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\p{Ll}{0,6}\.?"
# The date must be glued to what follows or set apart by a separator: "May 4, 1970: The Kent
# State shootings" and "September 11, 2001 attacks" are headlines about a day.
_LEADING_DATE = regex.compile(
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:(?=[\p{L}\d])|\s*[|·•–—]\s*)")
_GLUED_AFTER = regex.compile(r"\p{Lu}|\p{L}{5,}|(?:by|von|par|por|av|door|oleh)(?=\s+\p{Lu})")  # "…& Moreby Jane Doe"
_GLUED_BEFORE = regex.compile(r"(?:\p{Ll}|\p{L}{5,})$")


def _cut_at_slug(text: str, phrase: list[str]) -> str:
    """``text`` cut where the URL's slug says its headline ends or starts inside a glued word:
    with the slug 'night-trains-return-to-the-alps', "…Return to the Alpsrailway news" ends at
    "Alps", and with 'ferries-are-running-again', "NewsFerries Are Running Again" starts at
    "Ferries". Only at a glued side: a small letter against a capital, a run of five letters or
    more across the slug's edge, or a glued byline ("…& Moreby Jane Doe"); "Watches" for the
    slug's "watch" is no seam. And only for a slug of three
    words or more: a slug often leaves out a headline's first or last words."""
    if len(phrase) < 3:
        return text
    folded = fold(text.lower())
    if len(folded) != len(text):
        return text
    found = re.search(r"[\W_]+".join(map(re.escape, phrase)), folded)
    if found is None:
        return text
    start, end = found.span()
    glued = _GLUED_AFTER.match(text, end)
    if glued is None or not (text[end - 1].islower() or len(glued.group()) >= 5):
        end = len(text)
    glued = _GLUED_BEFORE.search(text, 0, start)
    if glued is None or not (text[start].isupper() or len(glued.group()) >= 5):
        start = 0
    return text[start:end].strip()


def _url_path(url: str) -> str:
    """The path of a URL; empty for a string that is not one (an unclosed '[' in the host)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _latin_folds() -> dict[int, str]:
    """Latin letters with marks (U+00C0 to U+024F, and U+1E00 to U+1EFF: Vietnamese and others)
    -> their base letters, as slugs spell them; and the letters that do not decompose that way."""
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = "".join([c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)])
        if base != chr(code) and base.isascii():
            table[code] = base
    table.update({ord(k): v for k, v in {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l",
                                          "þ": "th", "ð": "d", "ı": "i"}.items()})
    return table


_LATIN_FOLDS = _latin_folds()


def fold(word: str) -> str:
    """A lower-case word as URL slugs spell it: Latin letters without their accents and other
    marks ('älven' -> 'alven', 'sécurité' -> 'securite', 'straße' -> 'strasse'); other scripts
    as they are ('новый' keeps its 'й'). Marks written apart from their letter are joined to it
    first."""
    return word if word.isascii() else unicodedata.normalize("NFC", word).translate(_LATIN_FOLDS)


def slug_words(url: str | None) -> set[str]:
    """The words of a page URL's slug ('/news/2024/03/city-council-approves-lanes.html' ->
    {'city', 'council', 'approves', 'lanes'}), lower-cased and `fold`-ed, percent-escapes undone;
    ids, dates and file suffixes are not words of it. Sites write the headline in the last segment of the path,
    under the sections ('/ideas-that-shape-the-city/river-lanes-explained'), so that is the slug
    when it has two words or more; otherwise ('/some-longer-slug-here/amp', '/p/123456') the
    longest segment with three words or more, or none."""
    return {word for word in slug_phrase(url) if not word.isdigit()}


def slug_phrase(url: str | None) -> list[str]:
    """The words of the slug `slug_words` reads, in order and with its numbers
    ('/2025-top-100-web3-companies' -> ['2025', 'top', '100', 'web3', 'companies'])."""
    if not url:
        return []
    segments: list[tuple[int, list[str]]] = []  # (words that are not numbers, all the words)
    for segment in unquote(_url_path(url)).split("/"):
        segment = _SUFFIX.sub("", segment)
        words = [fold(w) for w in _WORD.findall(segment.lower())]
        named = sum(not w.isdigit() for w in words)
        if named or segment:
            segments.append((named, words if named else []))
    if segments and segments[-1][0] >= 2:
        return segments[-1][1]
    best: tuple[int, list[str]] = (0, [])
    for named, words in segments:
        if named >= 3 and named > best[0]:
            best = (named, words)
    return best[1]


@dataclass(frozen=True)
class Taken:
    """Where the rules took a dateline or a byline out of the page into the record: the indexes
    of the lines (among those left) right after which such a line was. A headline is followed
    by its dateline and byline, and these say so even when the lines have left the text."""

    dates: frozenset[int] = frozenset()
    bylines: frozenset[int] = frozenset()


NOTHING_TAKEN = Taken()


def headline_candidates(lines: Sequence[str], start: int, language: str | None,
                        url: str | None = None, taken: Taken = NOTHING_TAKEN) -> list[tuple[int, str, list[float]]]:
    """(index, text, features) of every line, or part of a line, that may be the headline of a
    region starting at ``start``: the features are SLUG_HEADLINE_FEATURES when the page's
    ``url`` has a slug with words, HEADLINE_FEATURES otherwise."""
    return _Headlines(lines, start, language, taken).candidates(slug_words(url))


STEM_PREFIX = 5  # letters of a stem that match it to a body word's stem in an inflecting language


class _Headlines:
    """The headline search on one page. What a candidate's features read of its text and of
    its line is worked out once and kept: when the slug says nothing, the search without it
    reads the same lines again."""

    def __init__(self, lines: Sequence[str], start: int, language: str | None,
                 taken: Taken = NOTHING_TAKEN) -> None:
        self.lines = lines
        self.start = start
        self.taken = taken
        self.stopwords = stopwords_of(language) or stopwords_of("en")
        self.dates = _date_pattern(language)
        self.counts = Counter(lines)
        # One search over the region's head: a word never spans lines, and lower-casing lines
        # joined by newlines is lower-casing each one (a newline ends a final sigma as the end does).
        head = "\n".join(lines[start:start + BODY_LINES]).lower()
        # Words are compared by their stems where the language inflects more than English
        # ("reglerna" in a headline, "regler" in the body).
        self.stem = stemmer_of(language)
        # Stop words go before stemming, as in a candidate's words: a stem may be a stop word
        # that its inflected form is not ('regeln' -> 'regel', as in 'in der Regel').
        words = [w for w in _words(head) if w not in self.stopwords]
        self.body = set(self.stem(words) if self.stem else words)
        # Snowball's stems still differ where inflection changes a word's middle ('obniżyć',
        # 'obniżone'); in those languages a stem's first letters find it too.
        self.prefixes = {w[:STEM_PREFIX] for w in self.body if len(w) >= STEM_PREFIX} if self.stem else set()
        self._dated: dict[int, bool] = {}
        self._byline: dict[int, bool] = {}
        self._tokens: dict[int, list[str]] = {}
        self._folded: dict[int, list[str]] = {}
        self._pieces: dict[int, list[str]] = {}
        self._texts: dict[str, tuple[list[float], list[float], list[str]]] = {}

    def dated(self, index: int) -> bool:
        """Whether line ``index`` holds a date."""
        found = self._dated.get(index)
        if found is None:
            found = self._dated[index] = _has_date(self.lines[index], self.dates)
        return found

    def byline(self, index: int) -> bool:
        """Whether line ``index`` starts with a byline word."""
        found = self._byline.get(index)
        if found is None:
            found = self._byline[index] = bool(_BYLINE.match(self.lines[index]))
        return found

    def tokens(self, index: int) -> list[str]:
        """Line ``index``'s words, lower-cased."""
        found = self._tokens.get(index)
        if found is None:
            found = self._tokens[index] = _words(self.lines[index].lower())
        return found

    def folded(self, index: int) -> list[str]:
        """Line ``index``'s words as slugs spell them (`fold`)."""
        found = self._folded.get(index)
        if found is None:
            tokens = self.tokens(index)
            found = self._folded[index] = tokens if self.lines[index].isascii() else list(map(fold, tokens))
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

    def pieces(self, index: int) -> list[str]:
        """`_pieces` of line ``index``."""
        found = self._pieces.get(index)
        if found is None:
            found = self._pieces[index] = _pieces(self.lines[index])
        return found

    def text_features(self, text: str, tokens: list[str] | None
                      ) -> tuple[list[float], list[float], list[str]]:
        """The features of a candidate that depend on its text alone (HEADLINE_FEATURES from
        "log_words" to "repeated_on_page", and from "is_byline" to "starts_upper"), and its
        words lower-cased; ``tokens`` are those words when already known."""
        known = self._texts.get(text)
        if known is not None:
            return known
        words = text.split()
        n = len(words) if text.isascii() else word_count(text)
        if tokens is None:
            tokens = _words(text.lower())
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
        near = _Near(lines[max(0, start - 2 * above):start + 2 * above])
        lo, hi = max(0, start - above), min(len(lines), start + below + 1)
        found = []
        rows: Sequence[int] = range(lo, hi)
        if slug and not any(slug.issubset(self.folded(i)) for i in rows):
            # No line near the region says the whole slug: one far from it may (the region
            # found after an intro or a table of contents that follows the headline).
            rows = [*rows, *(i for i in self.saying_slug(slug) if not lo <= i < hi)]
        for i in rows:
            if slug and not (start - TITLE_ABOVE <= i <= start + TITLE_BELOW) and \
                    slug.isdisjoint(self.folded(i)):
                continue  # beyond the text-only window, only lines that share a word with the slug
            whole = lines[i]
            place = [math.log1p(max(0, start - i)), math.log1p(max(0, i - start)), float(i == start),
                     float(i == start - 1)]
            following = range(i + 1, min(i + 3, len(lines)))
            taken = self.taken
            context = [
                float(i in taken.dates or i + 1 in taken.dates or any(map(self.dated, following))),
                float(i in taken.bylines or i + 1 in taken.bylines or any(map(self.byline, following))),
                float(i - 1 in taken.dates or (i > 0 and self.dated(i - 1))),
            ]
            # Whether the line before has at most 3 words and the one after at least 15 (a split
            # stopped after enough words tells).
            neighbours = [float(i == 0 or len(lines[i - 1].split(None, 3)) <= 3),
                          float(i + 1 < len(lines) and len(lines[i + 1].split(None, 14)) >= 15)]
            dated = self.dated(i)
            beside = {lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)}
            # Two separators or more: a trail ("Home > News > Title"), whose last item may be
            # the headline; one may end a headline ("Title – Moscow").
            trail = float(len(_SEPARATORS.findall(whole, 0, MAX_HEADLINE_CHARS)) >= 2)
            pieces = self.pieces(i)
            if slug and len(slug.intersection(self.folded(i))) >= 2:
                pieces = list(dict.fromkeys([*pieces, *(p for p in _slug_pieces(whole, slug, self.dates)
                                                        if p != whole and len(p.split()) >= 2)]))
            if slug and i + 1 < len(lines):
                pieces = [*pieces, *_rejoined(whole, lines[i + 1], slug)]
            for number, line in enumerate([whole, *pieces]):
                if usable and not (len(line) <= MAX_HEADLINE_CHARS and _LETTER.search(line)):
                    continue
                if number > 0 and line.endswith(_BROKEN_END):
                    continue
                if number == 0:
                    text, more, tokens = self.text_features(line, self.tokens(i))
                    inside, has_date = near.inside(line), dated
                    twice = inside or self.counts[line] > 1  # inside_another_line or repeated_on_page
                else:
                    text, more, tokens = self.text_features(line, None)
                    inside, has_date = True, dated and _has_date(line, self.dates)
                    # Templates print the headline twice (a breadcrumb's last item, then the
                    # heading): glued, the copy is in the same line, or it is a line of its own.
                    twice = line in near.distinct or whole.count(line) > 1
                found.append((i, line, [
                    *place, *text, float(inside), *context, float(has_date), *more, *neighbours,
                    float(number > 0), float(number > 0 and whole.startswith(line)),
                    float(number > 0 and whole.endswith(line)), float(twice),
                    # A heading printed twice in a row: the page's headline and its copy.
                    float(line in beside or (number > 0 and whole.count(line) > 1)),
                    # What a part leaves of its line is printed on a line of its own elsewhere:
                    # a site name ("Title | Site", and "Site" in the header), not the end of a
                    # headline ("Title – Moscow").
                    float(number > 0 and _rest(whole, line) in self.counts),
                    trail if number == 0 else 0.0,  # (parts are cut at the separators)
                    *(_overlap(len(slug.intersection(self.folded(i) if number == 0 else map(fold, tokens))),
                               len(set(tokens)), len(slug)) if slug else ()),
                ]))
        if slug:
            _against_best(found, len(slug))
        return found


def _against_best(found: list[tuple[int, str, list[float]]], slug: int) -> None:
    """Append to each candidate's features how it compares with the page's candidates that say
    most of the slug: how many slug words it lacks, how far its match falls short, and, among
    those saying most, how many words longer than the shortest it is (a headline with a menu
    item or a site name glued to it says the slug as well as the headline alone). Only the
    candidates `find_title` weighs count, so training and search see the same figures."""
    usable = [f for _, text, f in found if len(text) <= MAX_HEADLINE_CHARS and _LETTER.search(text)]
    at = len(HEADLINE_FEATURES)
    shared = {id(f): round(f[at + 1] * slug) for f in usable}
    most = max(shared.values(), default=0)
    best = max((f[at + 2] for f in usable), default=0.0)
    shortest = min((f[4] for f in usable if shared[id(f)] == most), default=0.0)  # log_words
    for _, _, features in found:
        have = shared.get(id(features), round(features[at + 1] * slug))
        features += [float(most - have), best - features[at + 2],
                     features[4] - shortest if have == most and most else 0.0]


def _rest(whole: str, part: str) -> str:
    """What is left of ``whole`` around ``part``, without the separators at its ends."""
    return whole.replace(part, " ", 1).strip(" \t|»›·•–—>/-:")


class _Near:
    """The distinct lines around the region, for telling whether one of them is also printed
    inside another (a breadcrumb, a "Title | Site" line): only a longer line can hold it, so
    they are joined longest first and a line is looked for among those longer than itself."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.distinct = set(lines)
        ordered = sorted(self.distinct, key=len, reverse=True)
        self.text = "\n".join(ordered)
        self.lengths = [-len(line) for line in ordered]  # ascending, for bisect
        self.ends = list(itertools.accumulate(len(line) + 1 for line in ordered))

    def inside(self, line: str) -> bool:
        """Whether ``line`` occurs more than once in the distinct lines joined by newlines."""
        if not line or "\n" in line or line not in self.distinct:
            return "\n".join(self.distinct).count(line) > 1
        # Found once in itself: more is in another line, which is longer.
        longer = bisect.bisect_left(self.lengths, -len(line))
        return longer > 0 and self.text.find(line, 0, self.ends[longer - 1] - 1) >= 0


def _overlap(shared: int, line: int, slug: int) -> tuple[float, float, float]:
    """Share of the line's words in the slug, of the slug's words in the line, and their
    harmonic mean (high only when the line and the slug say the same thing)."""
    precision = shared / line if line else 0.0
    recall = shared / slug if slug else 0.0
    both = 2 * precision * recall / (precision + recall) if shared else 0.0
    return precision, recall, both


def slug_speaks(candidates: Sequence[tuple[int, str, list[float]]]) -> bool:
    """Whether a slug shares a word with one of the headline candidates computed with it."""
    return any(features[len(HEADLINE_FEATURES)] > 0 for _, _, features in candidates
               if len(features) > len(HEADLINE_FEATURES))


def find_title(lines: Sequence[str], start: int, language: str | None = None,
               url: str | None = None, models: tuple[Scorer, Scorer] | None = None,
               taken: Taken = NOTHING_TAKEN) -> tuple[int, str] | None:
    """The headline near ``start``: (index of its line in ``lines``, its text), the text being
    the whole line or a part of it glued to other blocks. The candidate the headline model
    scores highest, or None when none scores high enough. When the URL's slug shares words with
    the candidates, the slug model weighs them too. ``models`` (text, slug) replace the shipped
    ones (training); ``taken`` says where the rules took a dateline or a byline out."""
    text_model, slug_model = models or (_load_model(HEADLINE_MODEL, HEADLINE_FEATURES),
                                        _load_model(SLUG_HEADLINE_MODEL, SLUG_HEADLINE_FEATURES))
    search = _Headlines(lines, start, language, taken)
    slug = slug_words(url)
    candidates = search.candidates(slug, usable=True)
    if candidates and slug and slug_speaks(candidates):
        model = slug_model
    else:
        # No slug, or one that shares no word with any candidate (a category path, another
        # language's transliteration): the text alone decides.
        if slug and candidates:  # (a URL without slug words gave the text-only ones already)
            candidates = search.candidates(set(), usable=True)
        model = text_model
    best: tuple[float, int, str] | None = None
    for (index, text, _), score in zip(candidates, model.scores([f for _, _, f in candidates]), strict=True):
        if score >= MIN_HEADLINE_SCORE and (best is None or score > best[0]):
            best = (score, index, text)
    return (best[1], _whole_if_continued(lines[best[1]], best[2])) if best else None


# A dash after a part of a line, then a short lower-case run of words to the line's end.
_CONTINUED = regex.compile(r"\s+[–—-]\s+\p{Ll}[^|»·•–—.!?]*")
_MAX_CONTINUATION_WORDS = 6


def _whole_if_continued(line: str, part: str) -> str:
    """The whole line when the headline ``part`` opens it and what follows is a dash and a
    few words in lower case ("Food prices rise again – first increase since spring"): a site
    or section name after a separator starts with a capital, so that is the headline's own
    second half, which headlines in French, Swedish and other languages written in sentence
    case often have. Otherwise ``part``."""
    if part == line or not line.startswith(part) or len(line) > MAX_HEADLINE_CHARS:
        return part
    rest = _CONTINUED.fullmatch(line, len(part))
    if rest is None or len(line[len(part):].split()) - 1 > _MAX_CONTINUATION_WORDS:
        return part
    return line


@cache
def _date_pattern(language: str | None) -> re.Pattern[str]:
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


def _has_date(text: str, pattern: re.Pattern[str]) -> bool:
    # Every date holds a year: most lines have none, and are done with one quick search.
    return _YEAR_START.search(text) is not None and next(_find_dates(text, pattern), None) is not None


def _month_names(language: str) -> list[str]:
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
_URL_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_URL_NAMED_DATE = re.compile(
    r"(?i)(?<![\d])((?:19|20)\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|t|"
    r"tember|ober|ember)?/(0?[1-9]|[12]\d|3[01])(?=/|$)")


def url_date(url: str | None) -> str | None:
    """The day written in a URL's path ('/2024/03/14/slug', '/news/20240314-slug',
    '/2024-03-14-slug', '/2024/mar/14/slug'), as 'YYYY-MM-DD', or None. Only a whole, valid day counts: a
    year and month alone are an archive, not a publication date."""
    if not url:
        return None
    path = _url_path(url)
    days = [(year, int(month), day) for year, _, month, day in _URL_DATE.findall(path)]
    days += [(year, _URL_MONTHS.index(month.lower()) + 1, day) for year, month, day in _URL_NAMED_DATE.findall(path)]
    for year, month, day in days:
        try:
            return datetime.date(int(year), month, int(day)).isoformat()
        except ValueError:
            continue
    return None


# What the date model looks at, in the order of its weights.
DATE_FEATURES = (
    "lines_above_start", "lines_below_start", "within_three_of_start", "log_line_words",
    "short_line", "line_starts_with_date", "byline_word", "updated_word", "comment_word",
    "near_headline", "first_date_on_page", "log_times_on_page", "latest_year",
    "has_time", "numeric_form", "after_region", "dates_on_line",
)
# Each of these word patterns says first which letters its words start with (Cyrillic ones
# included): one test turns most places of a line away before every word is tried there.
_UPDATED = re.compile(r"(?i)(?=[umlaоd])\b(?:updated?|modified|last (?:edited|reviewed)|aktualisiert|"
                      r"mis à jour|actualizado|обновлено|diperbarui)\b")
_BYLINE_WORD = re.compile(r"(?i)(?=[bpwvoоаd])\b(?:by|posted|published|written|von|par|por|publié|publicado|"
                          r"veröffentlicht|опубликовано|автор|oleh|diterbitkan)\b")
_COMMENT_WORD = re.compile(r"(?i)(?=[srcaоb])(?:\b(?:says|said|reply|replied|comments?|antworten|répondre|"
                           r"responder|ответить|balas)\b|\bat \d{1,2}:\d{2})")
_NUMERIC_DATE = re.compile(r"^\d")
_TIME = re.compile(r"\d\d?:\d{2}")  # \d{1,2}, written to start with a digit the engine skips to
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
DATE_CANDIDATES = 60  # date matches looked at per page: the first ones, in page order


def date_candidates(lines: Sequence[str], start: int, end: int, language: str | None,
                    headline: int | None) -> list[tuple[str, list[float]]]:
    """(matched text, features) of every date-shaped string on the page, for `find_date`."""
    pattern = _date_pattern(language)
    # One search over the whole page (lines joined by newlines, which the pattern never crosses) is much
    # cheaper than one per line; line numbers come back from the offsets.
    page = "\n".join(lines)
    offsets = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    matches = []
    for match in itertools.islice(_find_dates(page, pattern), DATE_CANDIDATES):
        index = bisect.bisect_right(offsets, match.start()) - 1
        matches.append((index, match.group(0), match.start() == offsets[index]))
    texts = Counter(value for _, value, _ in matches)
    years = [int(y) for _, value, _ in matches for y in _YEAR.findall(value)]
    latest = max(years, default=0)
    per_line = Counter(index for index, _, _ in matches)
    found = []
    for order, (index, value, at_line_start) in enumerate(matches):
        line = lines[index]
        words = len(line.split())
        year = _YEAR.search(value)
        found.append((value, [
            math.log1p(max(0, start - index)), math.log1p(max(0, index - start)),
            float(abs(index - start) <= 3), math.log1p(words), float(words <= 12),
            float(at_line_start), float(bool(_BYLINE_WORD.search(line))),
            float(bool(_UPDATED.search(line))), float(bool(_COMMENT_WORD.search(line))),
            float(headline is not None and abs(index - headline) <= 3), float(order == 0),
            math.log1p(texts[value]), float(year is not None and int(year.group(0)) == latest),
            float(bool(_TIME.search(line))), float(bool(_NUMERIC_DATE.match(value))),
            float(index >= end), math.log1p(per_line[index]),
        ]))
    return found


def find_date(lines: Sequence[str], start: int, end: int, language: str | None,
              headline: int | None = None) -> str | None:
    """The page's date: of the date-shaped strings on the page, the one the date model scores
    highest that parses as a real date (a day, 'YYYY-MM-DD')."""
    model = _load_model(DATE_MODEL, DATE_FEATURES)
    candidates = date_candidates(lines, start, end, language, headline)
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


# --- bylines ------------------------------------------------------------------------------------

# What the byline model looks at, in the order of its weights.
BYLINE_FEATURES = (
    "lines_above_start", "lines_below_start", "near_headline", "cue_at_line_start", "cue_inside_line",
    "author_label", "bare_name_line", "name_words", "line_words", "date_on_line", "date_next_to_line",
    "name_repeated", "after_region", "comment_word", "more_by_or_about", "all_capitals",
    "has_connector", "is_headline", "words_used_in_lower_case", "has_stopword", "from_glued_piece",
    "starts_with_first_name", "first_names", "capital_inside_word", "after_cue_line",
    "author_bio",
)
BYLINE_ABOVE = 40  # lines above the region start searched for a byline
BYLINE_BELOW = 15  # and below it
CUE_ABOVE, CUE_BELOW = 300, 30  # and a name after a cue line, this far above the region and below its end
# Below this no candidate is taken for the authors. A wrong name is worse than none: on the
# corpus -1.5 keeps 95% of the right picks of -3.0 and drops 43% of the wrong ones, and names
# no more pages without a gold author than the linear model before the ranking trees did.
MIN_BYLINE_SCORE = -1.5
# The words of a name are one or two spaces apart: a wider gap is the template's, between blocks
# ("By  Jane Doe     Fact checked").
_NAME = (r"\p{Lu}[\p{L}.'’-]*(?:\s{1,2}(?!\s)(?:\p{Lu}[\p{L}.'’-]*|de|van|von|der|den|da|di|del|la|le|bin|al|el)){0,3}")
_AND = r"(?:\band\b|\bund\b|\bet\b|\by\b|\bи\b|\bdan\b|&)"
_NAMES = rf"{_NAME}(?:\s*(?:,\s*{_AND}?|{_AND})\s*{_NAME}){{0,3}}"  # "A, B, and C"
_CUE = regex.compile(
    r"(?:(?:^|(?<=[\s|•·—–-]))(?i:written by|posted by|published by|reviewed by|by|von|par|por|oleh|door|av|af|"
    # 'By Jane', 'By: Jane', 'By:Jane'
    r"author|authors|autor|autorka|auteur|автор|текст|teksti|szerző|yazar)(?:\s*:\s*|\s+)"
    # "ByJane Doe", "Written byJane Doe": a scraper glued the cue to the name
    r"|(?:^|(?<=[\s|•·—–-]|\p{Ll}|[.!?:;)\]]))By(?=\p{Lu}\p{Ll})|^(?:Af|Av|Von|Par|Por)(?=\p{Lu}\p{Ll})"
    r"|(?:^|(?<=[\s|•·—–-]|\p{Ll}|\d))(?i:written|posted|published|reviewed)\s+by(?=\p{Lu}\p{Ll}))"
    rf"(?P<names>{_NAMES})")
_BARE_NAME = regex.compile(rf"^(?P<names>{_NAMES})$")
_LABEL = regex.compile(r"(?i)^(?:author|authors|autor|autorka|auteur|автор|written by|teksti|szerző|yazar)\b")
# A byline cue alone on its line, the names on the next ("By" then "Jane Doe": a scraper put
# the cue's element and the name's on lines of their own).
_CUE_LINE = regex.compile(
    r"(?i)^(?:(?:article\s+|story\s+|recipe\s+)?(?:written|posted|published|reviewed|edited)\s+by|by|"
    r"author|authors|autor|autorka|auteur|автор|von|par|por|oleh|door|av|af|текст|teksti|szerző|yazar)\s*:?$")
# The first line of an author's box: "Jane Doe is a reporter at …", "About Jane Doe Jane is …"
# ("About" glued or not), in the languages of the rules.
_BIO_VERB = r"(?:is|was|est|är|var|er|ist|war|es|fue|è|é|adalah)"
_BIO = regex.compile(
    rf"^(?:About(?:\s+the\s+author:?)?\s*)?(?P<names>{_NAME})\s+{_BIO_VERB}"
    r"\s+(?:a|an|the|our|un|une|en|ett|et|ei|een|ein|eine|uno|una|um|uma|seorang)\s")
_BIO_HINT = re.compile(rf" {_BIO_VERB} ")  # one quick search turns most lines away before _BIO
_MORE_BY = regex.compile(r"(?i)\b(?:more by|about the author|about|articles by|posts by)\b")
_INNER_CAPITAL = regex.compile(r"\p{Ll}{2}\p{Lu}")
# A byline word glued after a name is the next block's ("Jane LopezUpdated on", "Jane
# DoeShare"); other capitals inside a word are part of the name ("MaryAnn", "FitzGerald").
_GLUED_AFTER_NAME = regex.compile(
    r"(?<=\p{Ll})(?=(?:Updated|Published|Posted|Last|Share|Follow|Read|Reviewed|Edited|Fact|Photos?|"
    r"Images?|Comments?|Email|Subscribe|Aktualisiert|Veröffentlicht|Publié|Mis|Publicado|Actualizado|"
    r"Diperbarui|Diterbitkan|Обновлено|Опубликовано|Table|Contents|"
    # a job title glued on: 'Mette JensenJournalist', 'Jane DoeSenior Editor'
    r"Journalist|Journaliste|Reporter|Redakteur|Redakteurin|Redaktør|Redaktör|Periodista|Giornalista|"
    r"Correspondent|Korrespondent|Editor|Writer|Contributor|Photographer|Fotograf|Staff|Senior)(?!\p{Ll})"
    r"|In(?=\s\p{Lu})"  # 'Jane DoeIn Travel Tips'
    r"|\p{Lu}{2,}(?=\s)"  # a job title's acronym: 'Jane DoeAI Writer'
    # A dateline glued on: 'Jane DoeDec. 18, 2025', or the month alone at the end of the names
    # a byline cue took ('Jane DoeDec.', 'Jane DoeNovember'; not 'May', for 'Curtis LeMay').
    rf"|{_MONTH_LIKE}\s?\d|{_MONTH_ABBREVIATION}$"
    r"|(?:January|February|March|April|August|September|October|November|December)$)"
    # The same words set apart by a space: a name does not go on with 'Last Updated', nor with
    # a weekday that opens a date ('Jane Doe  Friday, November 14'; not 'Nancy Friday'), nor
    # with a dateline ('Jane Doe Dec. 18, 2025', 'Jane Doe Dec.' where the cue took the month).
    r"|\s+(?=(?:Last\s+Updated|Updated|Published|Posted|Reviewed|Edited|Fact[-\s]checked)\b"
    rf"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:\d|{_MONTH_LIKE}(?:\s|$))"
    rf"|{_MONTH_LIKE}\s\d|{_MONTH_ABBREVIATION}$)")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_CONNECTOR = regex.compile(r"(?i)\s(?:and|und|et|y|и|dan|&)\s|,")


def byline_candidates(lines: Sequence[str], start: int, end: int, language: str | None,
                      headline: int | None, title: str = "", taken: Taken = NOTHING_TAKEN
                      ) -> list[tuple[str, list[float]]]:
    """(names, features) of every byline-shaped string around the region start, for `find_authors`;
    ``headline`` is the index of the headline's line, ``title`` the headline itself, ``taken``
    where the rules took a dateline out (a name next to it is a byline's)."""
    dates = _date_pattern(language)
    page = "\n".join(lines)
    window = set(range(max(0, start - BYLINE_ABOVE), min(len(lines), start + BYLINE_BELOW + 1)))
    if headline is not None:
        window |= set(range(max(0, headline - 6), min(len(lines), headline + 7)))
    # Beyond that, the line after a cue on its own ("Written by", then the name), anywhere in
    # the article and around it: a template's author box says who wrote the page.
    wide = range(max(0, start - CUE_ABOVE), min(len(lines) - 1, end + CUE_BELOW))
    window |= {i + 1 for i in wide if len(lines[i]) <= 24 and _CUE_LINE.match(lines[i].strip())}
    # And the first line of an author's box ("Jane Doe is a writer at …"), anywhere there too.
    bios = {i for i in range(wide.start, min(len(lines), wide.stop + 1))
            if _BIO_HINT.search(lines[i], 0, 80) and _BIO.match(lines[i])}
    window |= bios
    stopwords = stopwords_of(language) or stopwords_of("en")
    # Words the page writes in lower case are common words ("Comments", "Guides"), not names.
    lower = _LowerWords(page)
    given = first_names()
    dated: dict[int, bool] = {}

    def has_date(index: int) -> bool:
        found = dated.get(index)
        if found is None:
            found = dated[index] = _has_date(lines[index], dates)
        return found

    found = []
    for index in sorted(window):
        line = lines[index]
        if len(line) > MAX_GLUED_CHARS:
            # A page glued into a few enormous lines: its byline is in the head, by the headline.
            line = line[:MAX_GLUED_CHARS]
        matches = []
        # A byline glued to its neighbours ("Jane DoeUpdated on May 3") is read in its pieces,
        # when the line as a whole gives no name ("MaryAnn Smith" is not cut into "Ann Smith").
        # The whole line's matches are found once: they tell that, and are its candidates.
        own: tuple[regex.Match[str] | None, list[regex.Match[str]]] | None = None
        if len(line) <= 300:
            own = _BARE_NAME.match(line), list(_CUE.finditer(line))
            pieces = [line] if own[0] or own[1] else [line, *_name_pieces(line)]
        else:
            pieces = [p for p in split_at_seams(line) if p != line]
        for number, piece in enumerate(pieces):
            short = 2 <= len(piece.split()) <= 8 and len(piece) <= 80
            if number == 0 and own is not None:
                bare = own[0] if short else None
                cues: Iterable[regex.Match[str]] = own[1]
            else:
                bare = _BARE_NAME.match(piece) if short else None
                cues = _CUE.finditer(piece)
            if bare:
                matches.append((bare.group("names"), 0, True, number > 0))
            if number == 0 and index in bios:
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
                matches.append((match.group("names"), match.start(), False, number > 0))
        if not matches:
            continue
        # What the features read of the line itself, the same for each of its names.
        around = [float(bool(_LABEL.match(line))), math.log1p(len(line.split())), float(has_date(index)),
                  float(index in taken.dates or index - 1 in taken.dates or (index > 0 and has_date(index - 1))
                        or (index + 1 < len(lines) and has_date(index + 1)))]
        marks = [float(index >= end), float(bool(_COMMENT_WORD.search(line))), float(bool(_MORE_BY.search(line)))]
        after_cue = float(index > 0 and bool(_CUE_LINE.match(lines[index - 1].strip())))
        for names, at, is_bare, glued in dict.fromkeys(_unglued(m) for m in matches):
            words = names.split()
            folded = [w.lower() for w in words]
            found.append((names, [
                math.log1p(max(0, start - index)), math.log1p(max(0, index - start)),
                float(headline is not None and abs(index - headline) <= 4),
                float(not is_bare and at == 0), float(not is_bare and at > 0),
                around[0], float(is_bare), math.log1p(len(words)), *around[1:],
                math.log1p(max(0, page.count(names) - 1)), *marks, float(names.isupper()),
                float(bool(_CONNECTOR.search(names))), float(index == headline and names in title),
                sum(map(lower.written, folded)) / len(words),
                float(any(w in stopwords for w in folded)), float(glued),
                float(folded[0] in given), sum(w in given for w in folded) / len(words),
                float(bool(_INNER_CAPITAL.search(names))),  # "LopezUpdated", or "MacFarlane"
                after_cue, float(index in bios),
            ]))
    return found


_LETTER_AT = re.compile(r"[^\W\d_]")


class _LowerWords:
    """The words a page writes in lower case (runs of two letters or more, `_LETTERS`), for
    the few words of its name candidates: each is looked for in the page, rather than every
    word of the page listed."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.known: dict[str, bool] = {}

    def written(self, word: str) -> bool:
        """Whether ``word`` is a whole run of letters of the page, in lower case."""
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = word.islower() and bool(_LETTERS.fullmatch(word)) and self._run(word)
        return found

    def _run(self, word: str) -> bool:
        page = self.page
        at = page.find(word)
        while at >= 0:
            after = at + len(word)
            if not (at and _LETTER_AT.match(page, at - 1)) and not _LETTER_AT.match(page, after):
                return True
            at = page.find(word, at + 1)
        return False


def _name_pieces(line: str) -> list[str]:
    """The pieces of a glued line where a name may be: its blocks, cut at the seams; but a name
    glued to a byline word ('Rebecca MacFarlanePublished on …') is one piece, not cut at the
    capitals inside it ('Mac', 'Farlane')."""
    pieces = [p for p in split_at_seams(line) if p != line]
    seam = _GLUED_AFTER_NAME.search(line)
    if seam is not None and _BARE_NAME.match(head := line[:seam.start()].strip()):
        pieces = [head, *(p for p in pieces if p not in head)]
    return pieces


def _unglued(match: tuple[str, int, bool, bool]) -> tuple[str, int, bool, bool]:
    """A name match without what was glued after its last name ('Jane LopezUpdated' -> 'Jane Lopez')."""
    names, at, is_bare, _ = match
    seam = _GLUED_AFTER_NAME.search(names)
    if seam is None or not names[:seam.start()].strip():
        return match
    return names[:seam.start()].strip(), at, is_bare, True


@cache
def first_names() -> frozenset[str]:
    """Given names of many countries, lower-cased: Faker's lists for its 80-odd locales. A
    byline starts with one ("Rebecca", "Miguel"); a menu label ("Select Page") does not."""
    import importlib
    import pkgutil

    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = vars(provider).get(attribute) if provider is not None else None
            if isinstance(value, (dict, list, tuple, set, frozenset)):
                names.update(str(name).lower() for name in value)
    return frozenset(names)


def find_authors(lines: Sequence[str], start: int, end: int, language: str | None,
                 headline: int | None = None, title: str = "", taken: Taken = NOTHING_TAKEN) -> str | None:
    """The byline's names (one string, split into authors by the caller), or None: the
    byline-shaped string near the headline that the byline model scores highest."""
    model = _load_model(BYLINE_MODEL, BYLINE_FEATURES)
    candidates = byline_candidates(lines, start, end, language, headline, title, taken)
    best: tuple[float, str] | None = None
    for (names, _), score in zip(candidates, model.scores([f for _, f in candidates]), strict=True):
        if score >= MIN_BYLINE_SCORE and (best is None or score > best[0]):
            best = (score, names)
    return best[1] if best else None
