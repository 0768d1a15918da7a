"""Reading schema.org JSON-LD as pages write it: the page's main item and what it says.

Pages get JSON-LD wrong in a handful of ways that browsers and search engines forgive, so this
does too: HTML comments or CDATA markers around the JSON, raw control characters (newlines) in
strings, trailing commas, several objects one after the other in one script. The items are
found wherever they are nested (``@graph``, arrays, ``mainEntity``), and the page's main one is
the first article-like item, else the first other content item, else the first web page item.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_DECODER = json.JSONDecoder(strict=False)  # strict=False: raw newlines and tabs inside strings
_WRAPPING = re.compile(r"<!--|-->|//\s*<!\[CDATA\[|//\s*\]\]>|<!\[CDATA\[|\]\]>")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_BETWEEN_OBJECTS = " \t\r\n,;"
MAX_OBJECTS = 500  # objects looked at per script: a catalogue or a data table holds thousands

# Types whose item is the page's content: articles and posts first (every type named
# '...Article' or '...Posting' counts, as schema.org names its subtypes that way).
_ARTICLE_TYPES = frozenset({"report", "blog", "review", "newsarticle", "liveblogposting", "scholarlyarticle",
                            "creativework", "thesis", "podcastepisode", "episode"})
_CONTENT_TYPES = frozenset({"product", "recipe", "event", "course", "jobposting", "videoobject", "book",
                            "howto", "softwareapplication", "movie", "musicrecording", "dataset",
                            "localbusiness", "service", "musicalbum", "game", "tvseries"})
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "faqpage", "profilepage",
                         "qapage", "contactpage", "searchresultspage", "medicalwebpage", "checkoutpage",
                         "realestatelisting"})
_SITE_TYPES = frozenset({"website", "organization", "newsmediaorganization", "corporation"})


def _type_names(item: dict[str, Any]) -> list[str]:
    kind = item.get("@type")
    names = kind if isinstance(kind, list) else [kind]
    return [name.rsplit("/", 1)[-1].lower() for name in names if isinstance(name, str)]


def rank(item: dict[str, Any]) -> int:
    """0 for an article-like item, 1 other content, 2 a web page, 3 anything else."""
    names = _type_names(item)
    if any(n.endswith(("article", "posting")) or n in _ARTICLE_TYPES for n in names):
        return 0
    if any(n in _CONTENT_TYPES for n in names):
        return 1
    if any(n in _PAGE_TYPES for n in names):
        return 2
    return 3


def is_site(item: dict[str, Any]) -> bool:
    return any(n in _SITE_TYPES for n in _type_names(item))


def loads(script: str) -> list[Any]:
    """Every JSON value in a JSON-LD script's text, read as forgivingly as browsers do."""
    text = _WRAPPING.sub(" ", script).strip()
    values = _values(text)
    if values is None and "," in text:
        values = _values(_TRAILING_COMMA.sub(r"\1", text))
    return values or []


def _values(text: str) -> list[Any] | None:
    values: list[Any] = []
    at = 0
    while True:
        while at < len(text) and text[at] in _BETWEEN_OBJECTS:
            at += 1
        if at >= len(text):
            return values
        try:
            value, at = _DECODER.raw_decode(text, at)
        except (ValueError, RecursionError):
            return values or None
        values.append(value)


def items(values: list[Any]) -> Iterator[dict[str, Any]]:
    """Every object with an ``@type``, outermost first, wherever it is nested."""
    stack: list[Any] = list(reversed(values))
    seen = 0
    while stack and seen < MAX_OBJECTS:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            seen += 1
            if "@type" in value:
                yield value
            stack.extend(reversed([v for v in value.values() if isinstance(v, (dict, list))]))


@dataclass(frozen=True)
class LinkedData:
    """What a page's JSON-LD says about the page (strings as written, nothing normalised)."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    created: str | None = None
    modified: str | None = None
    description: str | None = None
    site: str | None = None
    publisher: str | None = None
    image: str | None = None
    language: str | None = None
    url: str | None = None
    article: bool = False  # the main item is an article or a post
    item: int = 3  # the main item's `rank`: 0 an article, 1 other content, 2 a web page, 3 none


def text(value: Any) -> str | None:
    """A string property's value: a string, the first of a list, or an object's name/@value."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return None
    # Many CMSs escape HTML entities in JSON-LD strings ('Tips &amp; Tricks', '&#8211;').
    return (html.unescape(value) if "&" in value else value).strip() or None


def names(value: Any) -> tuple[str, ...]:
    """The names of an ``author``: a Person, an Organization, a list of them, a string."""
    found = []
    for one in value if isinstance(value, list) else [value]:
        if isinstance(one, dict):
            name = text(one.get("name"))
            if name is None and isinstance(one.get("givenName"), str):
                name = f"{one['givenName']} {one.get('familyName') or ''}".strip()
        else:
            name = text(one)
        if name:
            found.append(name)
    return tuple(found)


def image_url(value: Any) -> str | None:
    """An ``image``: a URL, an ImageObject (url or contentUrl), or a list of either."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
        if isinstance(value, list):
            value = next(iter(value), None)
    return value.strip() or None if isinstance(value, str) else None


def linked_data(scripts: list[str]) -> LinkedData:
    """The page's main item's properties, from the text of its JSON-LD scripts.

    The main item is the first of the best rank (`rank`), except that on a page listing several
    articles (a blog's index) it is the page's own item. A property the main item lacks is taken
    from the other content and page items, best rank first (Yoast puts the dates on the WebPage
    and the headline on the Article); an author given by reference ({"@id": ...}) is looked up.
    """
    found = [item for script in scripts for item in items(loads(script))]
    ranked = sorted((item for item in found if rank(item) < 3), key=rank)
    site = next((text(item.get("name")) for item in found if is_site(item) and item.get("name")), None)
    if not ranked:
        return LinkedData(site=site)
    articles = {text(item.get("headline")) or text(item.get("name")) for item in ranked if rank(item) == 0}
    if len(articles) > 1 and any(rank(item) == 2 for item in ranked):
        ranked = sorted(ranked, key=lambda item: rank(item) != 2)
    by_id = {item["@id"]: item for item in found if isinstance(item.get("@id"), str)}
    main = ranked[0]

    def first(*keys: str) -> Any:
        for key in keys:
            for item in ranked:
                if item.get(key):
                    return item[key]
        return None

    author = main.get("author") or main.get("creator") or first("author", "creator")
    publisher = text(_resolved(main.get("publisher") or first("publisher"), by_id))
    return LinkedData(
        title=text(main.get("headline")) or text(main.get("name")),
        authors=names(_resolved(author, by_id)),
        published=text(first("datePublished", "uploadDate")),
        created=text(first("dateCreated")),
        modified=text(first("dateModified")),
        description=text(main.get("description")),
        site=site or publisher,
        publisher=publisher,
        image=image_url(first("image", "thumbnailUrl")),
        language=text(first("inLanguage")),
        url=text(main.get("url")) or text(main.get("mainEntityOfPage")),
        article=rank(main) == 0,
        item=rank(main),
    )


def _resolved(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    """``value`` with objects that only point at an item ({"@id": ...}) replaced by that item."""
    if isinstance(value, list):
        return [_resolved(one, by_id) for one in value]
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        return by_id.get(value["@id"], value)
    return value
