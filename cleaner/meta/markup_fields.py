"""Turning the markup's raw values into record values: the site's names, a title without them,
author names without what is not a person's name, ISO dates, language codes."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from cleaner.lang import lexicon
from cleaner.meta.fields import parse_date, split_authors

# What separates a headline from the site's name in a <title> or og:title: a bar, a dash or a
# similar mark with spaces around it ('Headline | Site', 'Site - Headline', 'Headline :: Site').
_SEPARATOR = re.compile(r"(?<!\d)\s+(?:[|·•»›~]|::|-{1,2}|–|—|/)\s+(?!\d)")  # not '2024 - 2025'
_NOT_ALNUM = re.compile(r"[\W_]+")
_CUE = re.compile(
    rf"(?i)^(?:(?:written|posted|published|reviewed|words|text)\s+by"
    rf"|{lexicon.alternation('byline-cues')}|{lexicon.alternation('author-labels')})\s*:?\s+|^by:?\s*")
_CUE_ONLY = re.compile(rf"(?i)(?:{lexicon.alternation('byline-cues')}|{lexicon.alternation('author-labels')}"
                       r"|(?:written|posted|published|reviewed|words|text|post)(?:\s+by)?)\s*:?")
# Where a byline element's text splits into pieces: runs of spaces between its elements, bars.
_BYLINE_PIECES = re.compile(r"\s*\n\s*|\s{2,}|\s+[-–—|•·]\s+|\xa0\|\xa0")
# What follows the names in a byline: a date (a month's or a day's name, a number not glued to
# a name as in 'InsaneSnow45'), a label.
_DAY_WORDS = f"{lexicon.alternation('months', 'en')}|{lexicon.alternation('weekdays', 'en')}"
_AFTER_NAMES = re.compile(rf"(?i)\b(?:{_DAY_WORDS})\b\.?"
                          r"|(?<![^\W\d_])\d"
                          rf"|\b(?:{lexicon.alternation('updated-labels')}|{lexicon.alternation('published-labels')})\b")
_USER_NAME = re.compile(r"[\w-]+[._][\w.-]+")  # 'jane.doe', 'jdoe_22': an account, not a byline
_ISO = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?"
                  r"\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?\s*")
_LANGUAGE = re.compile(r"([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{2,8})*")


def fold(text: str) -> str:
    """Letters and digits only, lower-cased: 'The Daily-Post' and 'thedailypost' fold alike."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


def host_labels(url: str | None) -> list[str]:
    """The host's names for the site: 'example' and 'newsexample' of news.example.co.uk's labels."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [fold(label) for label in host.split(".") if label not in ("www", "m", "amp")]
    labels = [label for label in labels[:-1] if len(label) >= 3 or label == labels[0]] if len(labels) > 1 else labels
    return labels + ["".join(pair) for pair in itertools.pairwise(labels)]


def site_names(found: Mapping[str, Sequence[tuple[str, str]]], url: str | None) -> list[str]:
    """The site's names, folded: the markup's (og:site_name, the publisher) and the host's."""
    names = [fold(raw) for _, raw in found.get("site", ())]
    return [name for name in dict.fromkeys(names + host_labels(url)) if len(name) >= 2]


def is_site_name(text: str, sites: Sequence[str], *, loose: bool = True) -> bool:
    """True for a site's name or a name the host spells ('Coast Lab' on coastlab.example, 'The
    Gazette' of gazette.example); ``loose``, also a host label inside the name or the name inside
    a label (right for a title's affix, wrong for a whole title: 'Birdbuddy Pro' on birdbuddy)."""
    folded = fold(text)
    if len(folded) < 2:
        return False
    for site in sites:
        if folded == site or folded == "the" + site or folded.removesuffix("com") == site:
            return True
        if not loose:
            continue
        # 'Supermove' of supermoveapp; 'Freightwaves Checkpoint' of freightwaves: a name that is
        # mostly the site's, not a headline with the site's word in it.
        if len(folded) >= 4 and len(site) >= 4 \
                and (folded in site or (site in folded and 2 * len(site) >= len(folded))):
            return True
    return False


def strip_site(title: str, sites: Sequence[str], others: Sequence[str]) -> str:
    """``title`` without the site's name before or after a separator ('Headline | Site',
    'Site - Headline'); when no part is the site's, the part another candidate says alone
    ('Headline | Section' beside an h1 'Headline')."""
    title = " ".join(title.split())
    parts = _SEPARATOR.split(title)
    if len(parts) == 1:
        return title
    seams = [m.group() for m in _SEPARATOR.finditer(title)]
    start, end = 0, len(parts)
    while end - start > 1 and is_site_name(parts[end - 1], sites):
        end -= 1
    while end - start > 1 and is_site_name(parts[start], sites):
        start += 1
    if (start, end) != (0, len(parts)) and end - start > 1:
        # 'Headline | Section | Site', 'Headline - Subtitle - Site': the headline is the first part
        end = start + 1
    if (start, end) == (0, len(parts)):
        folded_others = {fold(other) for other in others}
        for a, b in [(0, k) for k in range(len(parts) - 1, 0, -1)] + [(k, len(parts)) for k in range(1, len(parts))]:
            if fold(_join(parts, seams, a, b)) in folded_others:
                start, end = a, b
                break
    return _join(parts, seams, start, end)


def _join(parts: Sequence[str], seams: Sequence[str], start: int, end: int) -> str:
    out = parts[start]
    for i in range(start + 1, end):
        out += seams[i - 1] + parts[i]
    return out.strip()


def author_names(values: Sequence[str], sites: Sequence[str], *, free_text: bool = False,
                 accounts: bool = True) -> tuple[str, ...]:
    """Person (or organisation) names of an author source's values, split ('A and B'), without
    URLs, e-mail addresses and handles, and without the site's or publisher's name beside a
    person's ('Jane Doe, The Gazette'). A site's name alone stays: pages that sign with it show
    it as their byline. Not ``accounts``: without user names ('jane.doe', 'jdoe_22'), which a
    CMS puts in its metadata and a forum shows as its posters' names. ``free_text`` values (a
    byline element's text) are cut to the names: the cue before them ('By'), a date or a label
    after them ('- June 12, 2025')."""
    names: list[str] = []
    for raw in values:
        raw = _byline_names(raw) if free_text else " ".join(raw.split())
        if _not_a_name(raw, accounts):
            continue
        for name in split_authors(raw) or []:
            if not _not_a_name(name, accounts) and name not in names:
                names.append(name)
    people = [name for name in names if not is_site_name(name, sites)]
    return tuple(people or names)


def _byline_names(text: str) -> str:
    pieces = [piece.strip() for piece in _BYLINE_PIECES.split(text)]
    # The names follow a cue that stands alone ('By', then the name's own element).
    after_cue = [pieces[i + 1] for i in range(len(pieces) - 1) if _CUE_ONLY.fullmatch(pieces[i])]
    for piece in after_cue or pieces:
        piece = _CUE.sub("", piece)
        piece = _CUE.sub("", piece)  # 'Author: Posted by'
        piece = _AFTER_NAMES.split(piece, 1)[0].strip(" ,;:-–—")
        if piece and not _CUE_ONLY.fullmatch(piece):
            return piece
    return ""


def _not_a_name(text: str, accounts: bool = True) -> bool:
    return (not text or "://" in text or text.startswith(("www.", "@", "/")) or "@" in text
            or "{" in text or (not accounts and _USER_NAME.fullmatch(text) is not None)
            or not any(c.isalpha() for c in text))


def clean_date(raw: str, language: str | None) -> str | None:
    """'YYYY-MM-DD', or with 'THH:MM' when the value has a time other than midnight. ISO values
    (nearly all markup dates) are read here; the rest by `fields.parse_date`."""
    if match := _ISO.fullmatch(raw):
        year, month, day, hour, minute = match.groups()
        if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31 and 1800 <= int(year) <= 2100):
            return None
        day_text = f"{year}-{month}-{day}"
        return f"{day_text}T{hour}:{minute}" if hour and (hour, minute) != ("00", "00") else day_text
    return parse_date(raw, language)


def language_code(raw: str) -> str | None:
    """'en' of 'en-US', 'en_GB' or 'EN'; None for what is not a language tag."""
    match = _LANGUAGE.fullmatch(raw.strip().split(",")[0].strip())
    return match.group(1).lower() if match else None
