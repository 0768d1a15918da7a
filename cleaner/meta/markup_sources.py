"""Where the markup's metadata is: every element each source reads, found in one query.

`markup_candidates` returns each source's raw values (nothing normalised: `markup.choose` reads
only those of the sources it prefers). The sources: JSON-LD (`jsonld`), OpenGraph and Twitter
card meta tags, other meta tags (Dublin Core, citation_*, Parse.ly, Sailthru), microdata
(itemprop), ``<link rel=canonical>``, ``<html lang>``, ``<time>`` elements, elements marked as
a byline or an author's, ``<title>`` and ``<h1>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.lang import lexicon
from cleaner.meta import jsonld

FIELDS = ("title", "authors", "date", "updated", "description", "site", "image", "canonical", "language")

JSON_LD = "json-ld"
OPENGRAPH = "opengraph"
TWITTER = "twitter"
META = "meta"
MICRODATA = "microdata"
TIME = "time"
BYLINE = "markup-byline"
LINK = "link"
HTML_LANG = "html-lang"
TITLE_TAG = "title-tag"
H1 = "h1"

# meta name/property (lower-cased) -> (field, source).
_META_KEYS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("og:title",), ("title", OPENGRAPH)),
    **dict.fromkeys(("twitter:title",), ("title", TWITTER)),
    **dict.fromkeys(("title", "dc.title", "dcterms.title", "citation_title", "parsely-title", "sailthru.title",
                     "headline"), ("title", META)),
    **dict.fromkeys(("article:author", "og:article:author"), ("authors", OPENGRAPH)),
    **dict.fromkeys(("author", "dc.creator", "dcterms.creator", "citation_author", "parsely-author",
                     "sailthru.author", "byl", "article.author", "dc.contributor"), ("authors", META)),
    **dict.fromkeys(("article:published_time", "og:published_time", "og:article:published_time"),
                    ("date", OPENGRAPH)),
    **dict.fromkeys(("date", "pubdate", "publish-date", "publish_date", "publishdate", "publication_date",
                     "published_time", "published-date", "dc.date", "dc.date.issued", "dc.date.created",
                     "dcterms.date", "dcterms.issued", "dcterms.created", "citation_publication_date",
                     "citation_date", "citation_online_date", "parsely-pub-date", "sailthru.date",
                     "article.published", "article_date_original", "original-publish-date", "datepublished",
                     "created", "release_date", "date.available"), ("date", META)),
    **dict.fromkeys(("article:modified_time", "og:updated_time", "og:article:modified_time"),
                    ("updated", OPENGRAPH)),
    **dict.fromkeys(("dc.date.modified", "dcterms.modified", "last-modified", "article.updated",
                     "lastmod", "datemodified", "revised"), ("updated", META)),
    **dict.fromkeys(("og:description",), ("description", OPENGRAPH)),
    **dict.fromkeys(("twitter:description",), ("description", TWITTER)),
    **dict.fromkeys(("description", "dc.description", "dcterms.description"), ("description", META)),
    **dict.fromkeys(("og:site_name",), ("site", OPENGRAPH)),
    **dict.fromkeys(("application-name", "apple-mobile-web-app-title", "publisher", "dc.publisher",
                     "citation_journal_title"), ("site", META)),
    **dict.fromkeys(("og:image", "og:image:url", "og:image:secure_url"), ("image", OPENGRAPH)),
    **dict.fromkeys(("twitter:image", "twitter:image:src"), ("image", TWITTER)),
    **dict.fromkeys(("og:url",), ("canonical", OPENGRAPH)),
    **dict.fromkeys(("content-language", "language", "dc.language", "dcterms.language"), ("language", META)),
}
# itemprop -> field; the value is the element's content/datetime/href/src, else its text.
_ITEMPROPS = {"headline": "title", "author": "authors", "creator": "authors", "datepublished": "date",
              "datecreated": "date", "datemodified": "updated", "description": "description",
              "image": "image", "inlanguage": "language"}
# Every element a source reads, in one query (see `markup_candidates`).
_QUERY = ('meta, script[type="application/ld+json"], link[rel], title, h1, time, [itemprop], [rel~="author"], '
          '[class*="byline"], [class*="author"], [id*="byline"], [id*="author"], a[href*="/author"], '
          '[class*="username" i], [class*="user-name" i]')
_SVG_TAGS = frozenset({"svg", "g", "symbol", "a", "path", "use"})
_ARTICLE_KINDS = frozenset({"article", "blog", "blogposting", "newsarticle", "post"})
_BYLINE_ATTRS = re.compile(r"byline|author")
_WRITTEN_BY = re.compile(r"written by|author")
_POSTER_ATTRS = re.compile(r"user-?name")  # a forum post's poster ('username', 'PostUser-name')
_POST_TOKEN = re.compile(r"post|message|thread|topic")
_NAME_TOKEN = re.compile(r"name|fn\b")
_SKIP_TOKEN = re.compile(r"comment|avatar|bio\b|about|image|photo|img|more|widget|box|social|share")
# A link to the author's page: '/author/jane-doe', '/authors/jane-doe/'.
_AUTHOR_PATH = re.compile(r"/authors?/[^/?#]+/?(?:[?#]|$)")
_PUBLISHED_TOKEN = re.compile(r"publish|pubdate|posted|entry-date|created|post-date|date-post|released|byline")
_UPDATED_TOKEN = re.compile(r"updat|modif|revis|edited")
# The label a page prints before a <time> it was changed on, inside the element ('Last Updated:
# Dec 17, 2025') or just before it ('Updated <time>February 12, 2026</time>'): the template's
# class says 'pubdate' or nothing at all, the words say which date it is.
_UPDATED_WORD = rf"(?i)\b(?:{lexicon.alternation('updated-labels')}|modified|last edited|revised)\b"
# What may stand between a label and its date: the word for 'on' of the labels' languages
# ('Updated on', 'Mis à jour le', 'Aktualisiert am', 'Publicerad den').
LABEL_END = r"\W{0,3}(?:on|le|am|el|em|den|il|op)?\W{0,3}$"
UPDATED_LABEL = re.compile(_UPDATED_WORD + LABEL_END)
_UPDATED_HEAD = re.compile(_UPDATED_WORD)
LABEL_REACH = 30  # characters of the parent's text before a <time> its label may start
MAX_TIMES = 30  # <time> elements looked at: an archive page has hundreds
MAX_BYLINES = 40
MAX_HEADINGS = 5  # h1 elements read: a page of cards may make every card's title one
MAX_VALUE_CHARS = 2000


Candidates = dict[str, list[tuple[str, str]]]  # field -> (source, raw value) in document order
_Add = Callable[[str, str, str | None], None]  # adds one raw value: field, source, value


def markup_candidates(tree: LexborHTMLParser) -> Candidates:
    """Every value every source offers, raw, for `choose` (and the benchmark's per-source rates).

    One CSS query finds every element any source reads (each query is a walk over the whole
    page, so one walk instead of a dozen); each element is then handed to the sources it
    concerns, in document order."""
    # kind: "article" when a source says so; item: what the JSON-LD's main item is, og:type's product
    found: Candidates = {name: [] for name in (*FIELDS, "kind", "item")}

    def add(name: str, source: str, value: str | None) -> None:
        if value and (value := value.strip()):
            found[name].append((source, value[:MAX_VALUE_CHARS]))

    scripts: list[str] = []
    labels: dict[str, str] = {}  # twitter:labelN -> its text ('Written by'), for twitter:dataN
    times: list[LexborNode] = []
    bylines: list[LexborNode] = []
    headings = 0
    title: str | None = None
    for node in tree.css(_QUERY):
        tag = node.tag
        attrs = node.attributes
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("http-equiv") or "").lower()
            if key == "og:type" and (attrs.get("content") or "").lower().strip() in _ARTICLE_KINDS:
                found["kind"].append((OPENGRAPH, "article"))
            elif key == "og:type" and "product" in (attrs.get("content") or "").lower():
                found["item"].append((OPENGRAPH, "content"))
            if key in _META_KEYS:
                name, source = _META_KEYS[key]
                add(name, source, attrs.get("content"))
            elif key.endswith("ld+json"):
                # JSON-LD a page framework writes into a meta tag's content instead of a script
                # ('<meta name="script:ld+json" content="{&quot;@type&quot;: …}">'): read as the scripts
                scripts.append(attrs.get("content") or "")
            elif coined := _coined_date_name(key):
                add(coined, META, attrs.get("content"))
            elif key.startswith("twitter:label"):
                labels[key.removeprefix("twitter:label")] = (attrs.get("content") or "").lower()
            elif key.startswith("twitter:data") and _WRITTEN_BY.search(labels.get(key[len("twitter:data"):], "")):
                # Yoast's reading card: 'Written by' in twitter:label1, the author in twitter:data1
                add("authors", TWITTER, attrs.get("content"))
        elif tag == "script":
            scripts.append(node.text())
            continue
        elif tag == "link":
            if "canonical" in (attrs.get("rel") or "").lower().split():
                add("canonical", LINK, attrs.get("href"))
            continue
        elif tag == "title":
            # the document's <title>, not an SVG image's (<svg><title>Logo</title>)
            if title is None and node.parent is not None and node.parent.tag not in _SVG_TAGS:
                title = node.text()
            continue
        elif tag == "h1":
            headings += 1
            if headings <= MAX_HEADINGS:
                add("title", H1, _shown_text(node))
        elif tag == "time" and len(times) < MAX_TIMES:
            times.append(node)
        if attrs.get("itemprop"):
            _add_itemprop(node, attrs, add)
        marks = " ".join(attrs.get(a) or "" for a in ("class", "id", "rel")).lower()
        if tag not in ("meta", "time", "input", "label") and len(bylines) < MAX_BYLINES and (
                _BYLINE_ATTRS.search(marks) or _POSTER_ATTRS.search(marks)
                or (tag == "a" and _AUTHOR_PATH.search(attrs.get("href") or ""))):
            bylines.append(node)
    if scripts:
        _add_linked_data(scripts, add)
    add("title", TITLE_TAG, title)
    html = tree.root
    if html is not None and html.tag == "html":
        add("language", HTML_LANG, html.attributes.get("lang") or html.attributes.get("xml:lang"))
    _add_times(times, add)
    _add_bylines(bylines, add)
    return found


def _shown_text(node: LexborNode) -> str:
    """The element's text without what a browser does not show: the CSS of a <style> inside a
    heading (CSS-in-JS puts it there), a <script>'s code."""
    if node.css_first("style, script, noscript, template") is None:
        return node.text(separator=" ")
    return " ".join(piece.text_content or "" for piece in node.traverse(include_text=True)
                    if piece.tag == "-text" and piece.parent is not None
                    and piece.parent.tag not in ("style", "script", "noscript", "template"))


def _add_linked_data(scripts: list[str], add: _Add) -> None:
    data = jsonld.linked_data(scripts)
    if data.article:
        add("kind", JSON_LD, "article")
    if data.item in (1, 2):
        add("item", JSON_LD, "content" if data.item == 1 else "page")
    add("title", JSON_LD, data.title)
    for name in data.authors:
        add("authors", JSON_LD, name)
    add("date", JSON_LD, data.published or data.created)
    add("updated", JSON_LD, data.modified)
    add("description", JSON_LD, data.description)
    add("site", JSON_LD, data.site)
    add("image", JSON_LD, data.image)
    add("canonical", JSON_LD, data.url)
    add("language", JSON_LD, data.language)


# The names a CMS or a vendor coins for its dates, read as their letters alone when no known name
# matched: 'publish_time', 'published_at', 'date-pub', 'cxenseparse:publishtime', 'w-published-date',
# 'releasedate'; 'updated_at', 'last-modified-date', 'modified-time'. A value that is not a date
# ('published': 'true') is dropped where the dates are read (`markup_fields.clean_date`).
_COINED_PUBLISHED = re.compile(r"(?:publish(?:ed)?|publication|released?|upload(?:ed)?|created|creation|pub)"
                               r"(?:date|time|at|datetime)$|^date(?:published|created|pub)$|^published$")
_COINED_UPDATED = re.compile(r"(?:updated?|modified|lastmod|revised)(?:date|time|at|datetime)$|^(?:last)?updated$")
_NOT_LETTERS = re.compile(r"[^a-z]+")


# A vendor's own namespace for the date, as Dublin Core's 'DC.date': 'vendor.date', 'vendor:date'.
_NAMESPACED_DATE = re.compile(r"[a-z0-9_-]+[.:]date")


def _coined_date_name(key: str) -> str | None:
    if _NAMESPACED_DATE.fullmatch(key):
        return "date"
    letters = _NOT_LETTERS.sub("", key)
    if _COINED_PUBLISHED.search(letters):
        return "date"
    if _COINED_UPDATED.search(letters):
        return "updated"
    return None


def _add_itemprop(node: LexborNode, attrs: Mapping[str, str | None], add: _Add) -> None:
    for prop in (attrs.get("itemprop") or "").lower().split():
        name = _ITEMPROPS.get(prop)
        if name is None:
            continue
        value = attrs.get("content") or attrs.get("datetime")
        if name == "image":
            value = value or attrs.get("src") or attrs.get("href")
        if name == "authors" and not value:
            inner = node.css_first('[itemprop~="name"]')
            value = (inner.attributes.get("content") or inner.text()) if inner is not None else None
        add(name, MICRODATA, value or node.text(separator=" "))


def _tokens(node: LexborNode | None, levels: int) -> str:
    """The class, id, itemprop and rel of the node and its nearest ancestors, lower-cased."""
    words: list[str] = []
    for _ in range(levels):
        if node is None or node.tag in ("body", "html"):
            break
        attrs = node.attributes
        words.extend(attrs.get(a) or "" for a in ("class", "id", "itemprop", "rel"))
        node = node.parent
    return " ".join(words).lower()


def _add_times(nodes: list[LexborNode], add: _Add) -> None:
    """``<time>`` elements: those marked as published or updated (by their own or their parents'
    class, id or itemprop) first, then the first one inside an ``<article>`` or its header."""
    marked: list[tuple[str, str]] = []
    plain: list[str] = []
    for node in nodes:
        value = node.attributes.get("datetime") or node.text()
        if not value:
            continue
        tokens = _tokens(node, 3)
        if "comment" in tokens:
            continue
        if _UPDATED_TOKEN.search(tokens) or _labelled_updated(node):
            marked.append(("updated", value))
        elif _PUBLISHED_TOKEN.search(tokens):
            marked.append(("date", value))
        elif _inside_article(node):
            plain.append(value)
    for name, value in marked:
        add(name, TIME, value)
    for value in plain[:1]:
        add("date", TIME, value)


def _labelled_updated(node: LexborNode) -> bool:
    """Whether the words before the <time>'s date, in its own text or its parent's just before
    it, say it is the day the page was updated."""
    own = node.text(separator=" ")
    digit = next((i for i, char in enumerate(own) if char.isdigit()), len(own))
    head = own[:digit][:LABEL_REACH]  # 'Last Updated: Dec ' of 'Last Updated: Dec 17, 2025'
    parent = node.parent
    before = ""
    if parent is not None:
        around = parent.text(separator=" ")
        at = around.find(own) if own.strip() else -1
        before = around[max(0, at - LABEL_REACH):at] if at > 0 else ""
    return bool(_UPDATED_HEAD.search(head) or UPDATED_LABEL.search(before.rstrip()))


def _inside_article(node: LexborNode) -> bool:
    """Inside an ``<article>`` or ``<main>``, or a ``<header>`` with a headline: the site's
    banner is a ``<header>`` too, and its menu's teasers carry their own ``<time>``s."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.tag in ("article", "main") or (parent.tag == "header" and parent.css_first("h1") is not None):
            return True
        parent = parent.parent
    return False


def _add_bylines(nodes: list[LexborNode], add: _Add) -> None:
    """Elements whose class or id says author or byline, and rel=author links: the named ones
    ('author-name') first; never those of comments, bios and avatars."""
    named: list[str] = []
    others: list[str] = []
    posters: list[str] = []
    for node in nodes:
        tokens = _tokens(node, 1)
        if (not _BYLINE_ATTRS.search(tokens) and node.tag != "a") or _POSTER_ATTRS.search(tokens):
            # a user name: a forum post's poster when it sits in a post, not a login form's
            if _POSTER_ATTRS.search(tokens) and _POST_TOKEN.search(_tokens(node.parent, 6)):
                text = node.text(separator=" ").strip()
                if text and len(text) <= 60:
                    posters.append(text)
            continue
        named_one = _NAME_TOKEN.search(tokens) is not None
        if (_SKIP_TOKEN.search(tokens) and not named_one) or "comment" in _tokens(node, 4):
            continue
        text = node.text(separator=" ").strip()
        if not text or len(text) > 100:
            continue
        (named if named_one or node.tag == "a" else others).append(text)
    for text in named[:1] or others[:1] or posters[:1]:
        add("authors", BYLINE, text)

