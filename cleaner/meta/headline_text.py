"""What a headline's text is made of on a scraped page: the parts of a line it may be, where a
scraper glued the headline to its neighbours (`line_pieces`, `slug_pieces`, `phrase_piece`,
`rejoined`, `doubled`), and the tidying of the one taken for the title (`tidy_title`), which takes off what
templates add to it.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

import regex

from cleaner.lang import lexicon
from cleaner.lang.detect import stopwords_of
from cleaner.lang.words import HANGUL_CHARS, UNSPACED_CHARS, word_count
from cleaner.lazypattern import lazy_re, lazy_regex
from cleaner.meta.date import MONTH
from cleaner.meta.slug import WORD, fold, slug_phrase
from cleaner.read.unglue import loose_seams, split_at_seams

_WEEKDAY = "|".join(lexicon.escape(lexicon.capitalised(form))
                    for day in lexicon.groups("weekdays", "en") for form in day)
MAX_HEADLINE_CHARS = 300  # characters of a headline: longer candidates are not weighed
_DOUBLED_PROBE = 8  # characters a headline printed twice must share at its start
MAX_GLUED_CHARS = 1000  # a glued-in headline is looked for this far into a line (bylines: in shorter lines)
# Every separator starts with a space: said first, that is one test at most places of a line.
SEPARATORS = re.compile(r"(?=\s)(?:\s+[|»›·•–—>/-]\s+|\s{3,}|\t+)")
_TWO_BLANKS = re.compile(r"\s{2,}")
# Where a capitalised word of two letters meets a capitalised word ("UsRiver", "InFind"); not
# a name's particle or "Mc" glued to the rest of the name ("DeSantis", "LeBron", "DiCaprio",
# "McKinsey"), which is no menu label.
# (The look-ahead first: it turns most places away before the look-behind is tried.)
_SHORT_SEAM = lazy_regex(
    r"(?=\p{Lu}\p{Ll}{2})"
    rf"(?<=(?<!\p{{L}})(?!(?i:{'|'.join(w for w in lexicon.words('name-particles') if len(w) == 2)}|mc)\p{{Lu}})"
    r"\p{Lu}\p{Ll})")
# What every `_SHORT_SEAM` holds in ASCII text: a quick search turns most pieces away.
_ASCII_SHORT_SEAM = re.compile(r"[A-Z][a-z][A-Z][a-z]{2}")


def line_pieces(line: str) -> list[str]:
    """Parts of a line that may be a headline glued to its neighbours: split at separators
    ("Title | Site", "Home » Section » Title", "Blog / Guides / Title") and at seams where two
    blocks were glued ("Why It WorksJane Doe in seo"). Of a longer line (a page glued into a few
    enormous lines) only the head is read, where the headline follows the menu; its last part,
    cut off mid-block, is left out."""
    if line.isascii() and len(line.split(None, 1)) < 2:
        return []  # every part of it is a part of its one word (and an ASCII word counts as one)
    head = line[:MAX_GLUED_CHARS]
    parts = [p.strip() for p in SEPARATORS.split(head)]
    pieces = [p for p in parts if p and p != line]
    # A headline with a separator of its own ("Night trains of 2024 — and 5 routes to ride in
    # 2025Rail operators say…"): the line cut at its seams alone.
    for part in [*parts, head] if len(parts) > 1 else parts:
        glued = split_at_seams(part)
        if len(glued) > 1:
            pieces += glued
        copy = doubled(part)
        if copy:
            pieces.append(copy)
        # Blocks set apart by two blanks ("Guides  Cycling  Title    Title  Body…"), which a
        # scraper leaves between a page's inline blocks as often as three.
        blocks = [b.strip() for b in _TWO_BLANKS.split(part)]
        if len(blocks) > 1:
            pieces += [b for b in blocks if b]
        # A menu's short label glued to the headline ("Find UsTen Ways to Fix a Puncture"): a capitalised word
        # of two letters is too short for the seams, which want two small letters before a capital.
        pieces += [short for piece in glued
                   if (not piece.isascii() or _ASCII_SHORT_SEAM.search(piece)) and _SHORT_SEAM.search(piece)
                   for short in _SHORT_SEAM.split(piece)]
    if len(head) < len(line):
        pieces = [p for p in pieces if not head.endswith(p)]
    return [p for p in dict.fromkeys(pieces) if word_count(p) >= 2 and len(p) <= MAX_HEADLINE_CHARS]


def slug_overlap(shared: int, line: int, slug: int) -> tuple[float, float, float]:
    """Share of a candidate's words in the slug, of the slug's words in it, and their harmonic
    mean (high only when the candidate and the slug say the same thing), of ``shared`` words:
    the headline search's "words_in_slug", "slug_words_in_line" and "slug_match"."""
    precision = shared / line if line else 0.0
    recall = shared / slug if slug else 0.0
    both = 2 * precision * recall / (precision + recall) if shared else 0.0
    return precision, recall, both


def title_heading(lines: Sequence[str], scored: Sequence[tuple[float, int, str]]
                  ) -> tuple[float, int, str] | None:
    """Of the scored candidates (score, line, text) of archive text, whose first line is the
    page's <title>, the best whose text is a part of that title cut at a separator ("Title" of
    "Title - Site") and a line of its own below it: the page's heading, which says what of the
    title is the headline and what the site's name. None when the page prints no such part.
    (A headline of one word is no part `line_pieces` offers: only its heading is weighed.)"""
    parts = {p for p in map(str.strip, SEPARATORS.split(lines[0])) if p} if lines else set()
    if len(parts) < 2:
        return None
    return max((row for row in scored if row[1] > 0 and row[2] in parts and row[2] == lines[row[1]]),
               key=operator.itemgetter(0), default=None)


def may_say(line: str, slug: set[str], every: bool = False) -> bool:
    """False when ``line`` cannot hold a word of ``slug`` (``every``: all of them): an ASCII
    line's words (`folded`) are parts of it lower-cased, so one whose lower-cased text holds
    none of the slug's words holds none of them as words either. Most lines far from the region
    are told so without being split into words."""
    if not line.isascii():
        return True
    lowered = line.lower()
    return (all if every else any)(word in lowered for word in slug)


# A line's parts depend on its text alone, and the settling pass searches the same lines again:
# they are kept for a page's worth of lines (bounded, so a worker's memory stays flat however
# many pages it cleans), as tuples, which no caller can change.
@lru_cache(maxsize=1 << 12)
def pieces_of(line: str) -> tuple[str, ...]:
    """`line_pieces` of ``line``, kept."""
    return tuple(line_pieces(line))


# The units a slug spells a line's words with: a capitalised word, an acronym, a run of lower-case
# letters or of digits; "GitHubActions" is "Git", "Hub", "Actions" ("github" is two units).
_UNIT = lazy_regex(r"\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\d+|\w+")
_BLANKS = re.compile(r"\s{2,}")  # blanks left between two blocks
_FOUR_DIGITS = re.compile(r"\d{4}")
_MAX_SLUG_HITS = 40  # slug words looked at in one line: the headline is near its head
_span = operator.methodcaller("span")


def slug_pieces(line: str, slug: set[str], dates: re.Pattern[str]) -> list[str]:
    """Parts of a glued line cut out around what the URL's slug says: the shortest stretch of
    the line that holds every slug word the line says ("0 results  Making Google Sans FlexHow
    seven…" with the slug "google-sans-flex-font"), widened to the block edges around it (seams,
    separators, runs of blanks, dates) up to the first and the second edge after it, since a
    slug often leaves out a headline's first or last words
    ("best-electric-scooters" for "Best Electric Scooters for Commuting in 2025"). Works where
    `line_pieces` does not: inside words glued at a case change ("/ResourcesPricing changes for
    GitHub ActionsDecember 15, 2025") and on seams the headline itself has ("GitHub").
    ``dates``: the page's `date.date_pattern`, each of whose dates holds a year's four digits."""
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
    edges = {0, len(head), *loose_seams(head)}  # (a seam has no width: it starts where it ends)
    # Every date holds a run of four digits (its year): without one, the date search is spared.
    for pattern in (SEPARATORS, _BLANKS, dates) if _FOUR_DIGITS.search(head) else (SEPARATORS, _BLANKS):
        for m in pattern.finditer(head):
            edges.update((m.start(), m.end()))
    # (A colon is no edge: "Title: its subtitle" is one headline. As an edge that only opens a
    # stretch, "Blog: Title", it measured worse: 0.746 against 0.759 cross-validated.)
    after = sorted(e for e in edges if e >= end)
    before = max(e for e in edges if e <= start)
    stretches = [(before, e) for e in after[:2]]
    return [head[a:b].strip() for a, b in stretches]


def phrase_piece(line: str, phrase: Sequence[str]) -> str | None:
    """The part of ``line`` that spells the URL's slug word for word ("Need a Change? 7 Vital
    Tips on How to Rent a Car" for 'need-a-change-7-vital-tips-on-how-to-rent-a-car'), however
    far into the line, when it starts and ends at a block's edge: the line's ends, a seam (a
    small letter or a digit glued to a capital: "min readNeed a Change?…CarAndrei Zakhareuski"),
    a run of blanks or a separator. Not at a word's edge inside a block: a slug often says only
    the head of its headline ("vegetable-gardening-for-beginners" for "Vegetable Gardening for
    Beginners: The Complete Guide"), and a part cut there would beat the whole. None for a slug
    of fewer than three words (a section's name, which a headline often only starts with)."""
    if len(phrase) < 3:
        return None
    folded = fold(line.lower())
    if len(folded) != len(line):
        return None
    pattern = re.compile(r"[\W_]+".join(map(re.escape, phrase)))
    for found in pattern.finditer(folded):
        start, end = found.span()
        if _at_edge(line, start) and _at_edge(line, end):
            return line[start:end]
    return None


_GAP_AFTER = re.compile(r"\s{2,}|\s+[|»›·•–—>/-]\s|\t")
_GAP_BEFORE = re.compile(r"(?:\s{2,}|\s[|»›·•–—>/-]\s+|\t)$")


def _at_edge(line: str, at: int) -> bool:
    """Whether offset ``at`` of ``line`` is a block's edge: an end of the line, a seam ("Car|Andrei",
    "read|Need"; not "Car|eers"), or blanks or a separator on the side away from the part."""
    if at == 0 or at == len(line):
        return True
    before, after = line[at - 1], line[at]
    if before.isalnum() and after.isalnum():
        return (before.islower() or before.isdigit()) and after.isupper()
    return bool(_GAP_AFTER.match(line, at) or _GAP_BEFORE.search(line, max(0, at - 20), at))


_LAST_WORD = regex.compile(r"(?r)\p{L}+$")  # (searched from the end: a long line is not read through)
_FIRST_WORD = regex.compile(r"^\p{Lu}\p{L}*")


def rejoined(line: str, following: str, slug: set[str]) -> list[str]:
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


def doubled(text: str) -> str | None:
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


# (A colon with a space on both sides too: "Science : Harbour Radio"; a headline's own colon has none before it.)
_SITE_SUFFIX = re.compile(r"\s+[|»·•–—:-]\s+([^|»·•–—]{3,60})$")
_SITE_PREFIX = re.compile(r"^([^|»·•–—:]{3,60}?)\s+[|»·•–—:-]\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")


def tidy_title(text: str, url: str | None) -> str:
    """The headline without what templates add to it: its own copy ("Title Title", a breadcrumb
    glued to the heading), what a glued word adds beyond where the slug says it ends or starts
    (`_cut_at_slug`), a date glued before or after it, a shop's price glued to its last word, and
    the site's name when the URL's host spells it, after a separator or a spaced colon ("Title –
    Harbourwatch" on harbourwatch.example, "Title | Coast Lab" on coastlab.example, "Title :
    Harbourwatch"), before one ("Harbourwatch | Title"), or as two words or more at its end
    ("Title Valley Admissions" on admissions.valley.edu). A name the host does not spell stays:
    it cannot be told from the end of a headline ("Title – Moscow")."""
    text = doubled(text) or text
    text = _cut_at_slug(text, slug_phrase(url))
    # A dateline glued in front ("November 12, 20247 Healthy Recipes"): a headline does not start
    # with the full date.
    dated = _LEADING_DATE.match(text)
    if dated and len(text[dated.end():].split()) >= 2:
        text = text[dated.end():].lstrip(" |·•–—-:,")
    # And one glued or set after it ("Configure your repositories Dec 19, 2025"), unless the
    # headline's own words lead to it ("What happened on May 4, 1970").
    trailing = _TRAILING_DATE.search(text)
    if (trailing and len(text[:trailing.start()].split()) >= 2
            and text[:trailing.start()].split()[-1].lower().strip(",") not in _DATE_LEAD_WORDS):
        text = text[:trailing.start()].rstrip(" |·•–—-:,")
    # A shop's price glued after the name ("Drop Pendant$1,240.00", "Lantern Duo€48€64"): a
    # headline does not end with an amount glued to its last word.
    price = _GLUED_PRICE.search(text)
    if price:
        text = text[:price.start()]
    # A listing's count in brackets after its heading ("Hiking Boots(338 products)", "Kayaks (43
    # items)"): the number of entries a shop or an archive shows, not the heading's words.
    count = _LISTING_COUNT.search(text)
    if count and count.start() > 0:
        text = text[:count.start()]
    if not url:
        return text
    # The host's labels, without its last (".com", ".org") and "www".
    labels = [_NOT_ALNUM.sub("", label) for label in (urlsplit(url).hostname or "").split(".")[:-1]
              if label != "www"]
    suffix = _SITE_SUFFIX.search(text)
    if suffix and text[:suffix.start()].strip() and _host_spells(suffix.group(1), labels):
        return text[:suffix.start()]
    # And before it, as some templates print it ("Harbourwatch | Title" on harbourwatch.example).
    prefix = _SITE_PREFIX.match(text)
    if prefix and len(text[prefix.end():].split()) >= 2 and _host_spells(prefix.group(1), labels):
        return text[prefix.end():]
    # Two words or more at the end that are each a label of the host, glued on without a
    # separator: "Essay Tips Valley Admissions" on admissions.valley.edu.
    words = text.split()
    named = 0
    while named < len(words) and _NOT_ALNUM.sub("", fold(words[-1 - named].lower())) in labels:
        named += 1
    if named >= 2 and len(words) - named >= 2:
        return " ".join(words[:-named])
    return text


def _host_spells(name: str, labels: Sequence[str]) -> bool:
    """Whether the host's ``labels`` spell ``name`` (three letters or more), in one label or two
    in a row ("Coast Lab" on coastlab.example or coast.lab.example)."""
    name = _NOT_ALNUM.sub("", fold(name.lower()))
    return len(name) >= 3 and (name in labels or name in {a + b for a, b in itertools.pairwise(labels)})


# A currency sign glued to a word's small letter (or its closing bracket) and an amount: a price
# after a product's name. Not after a capital, which is the currency's own prefix in a headline
# ("US$100", "HK$2 billion", "R$ 5 bilhões", "A$1.5bn").
_GLUED_PRICE = lazy_regex(r"(?<=[\p{Ll})])[$€£¥₹]\s?\d[\d.,\s]*(?:\S.*)?$")
_LISTING_COUNT = lazy_regex(
    rf"\s*\(\s*\d[\d.,\s]*\s(?i:{lexicon.alternation('listing-counts')})\s*\)\s*$")
# The date must be glued to what follows or set apart by a separator: "May 4, 1970: The Kent
# State shootings" and "September 11, 2001 attacks" are headlines about a day.
_LEADING_DATE = lazy_regex(
    rf"(?:{MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:(?=[\p{L}\d])|\s*[|·•–—]\s*)")
_TRAILING_DATE = lazy_regex(
    r"(?:(?<=\p{Ll})|\s*[|·•–—-]\s*|\s+)(?:(?:" + _WEEKDAY + r"),?\s+)?"
    rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s*$")
# The words a headline's own date follows ('on', 'since', 'until'…): English stop words, the
# language whose months the pattern reads.
_DATE_LEAD_WORDS = stopwords_of("en") or frozenset()
# The byline cues that may be glued after a headline ("…& Moreby Jane Doe"): the languages it always took.
_GLUED_CUES = lexicon.alternation("byline-cues", ("en", "de", "fr", "es", "sv", "nl", "id"))
_GLUED_AFTER = lazy_regex(rf"\p{{Lu}}|\p{{L}}{{5,}}|(?:{_GLUED_CUES})(?=\s+\p{{Lu}})")
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


# Scripts whose words are compared by their character pairs: Chinese and Japanese, written
# without spaces, and Korean, whose words carry their particles and endings ('소득세를', '소득세').
_PAIRED = lazy_re(f"[{UNSPACED_CHARS}{HANGUL_CHARS}]")
# `WORD` in an ASCII text, where its letters and digits are these: the plain class is quicker.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def words_of(lowered: str) -> list[str]:
    """The words of a lower-cased text; a word of Chinese, Japanese or Korean gives its
    character pairs ('所得税を' -> '所得', '得税', '税を'), which is how a headline's words are
    found in the body in those languages."""
    if lowered.isascii():
        return _ASCII_WORD.findall(lowered)
    words = WORD.findall(lowered)
    if not _PAIRED.search(lowered):
        return words
    split: list[str] = []
    for word in words:
        if len(word) > 2 and _PAIRED.search(word):
            split += [word[i:i + 2] for i in range(len(word) - 1)]
        else:
            split.append(word)
    return split


def rest_of_line(whole: str, part: str) -> str:
    """What is left of ``whole`` around ``part``, without the separators at its ends."""
    return whole.replace(part, " ", 1).strip(" \t|»›·•–—>/-:")


# A dash after a part of a line, then a short lower-case run of words to the line's end.
_CONTINUED = regex.compile(r"\s+[–—-]\s+\p{Ll}[^|»·•–—.!?]*")
_MAX_CONTINUATION_WORDS = 6


def whole_if_continued(line: str, part: str) -> str:
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


TITLE_SHARE = 0.6  # a line holding this share of the title's words is the page's copy of the headline
_WORD_RUN = regex.compile(r"\w+")


def resembles_title(line: str, title: str) -> bool:
    """Whether ``line`` is the page's copy of the headline ``title``: most of the title's words,
    and not much more ('How Machine Learning Personalizes Shopping' under the title 'Using Machine
    Learning To Personalize Shopping')."""
    if not title or len(line) > 2 * len(title) + 20:
        return False
    want = set(_WORD_RUN.findall(title.lower()))
    return bool(want) and len(want & set(_WORD_RUN.findall(line.lower()))) >= TITLE_SHARE * len(want)
