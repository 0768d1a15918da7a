"""Metadata from an HTML page's markup (cleaner.meta.markup): each source, the order between
them, the site's name taken off titles, authors that are not names left out."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaner.document import Document
from cleaner.meta import jsonld
from cleaner.meta.markup import MarkupMeta, fill_record, markup_metadata
from cleaner.meta.markup_fields import clean_date, language_code, strip_site

URL = "https://www.harbourwatch.example/news/2024/ferry-timetable"


def meta_of(head: str, body: str = "", url: str | None = URL, lang: str = "en") -> MarkupMeta:
    html = f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'
    return markup_metadata(LexborHTMLParser(html), url)


def ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


# --- JSON-LD ------------------------------------------------------------------------------------


def test_json_ld_graph_with_author_by_reference() -> None:
    graph = ld("""{"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "#site", "name": "Harbour Watch"},
        {"@type": "WebPage", "@id": "#page", "name": "Ferry timetable changes - Harbour Watch",
         "datePublished": "2024-03-02T08:15:00+00:00", "inLanguage": "en-GB"},
        {"@type": ["NewsArticle"], "headline": "Ferry timetable changes",
         "author": {"@id": "#jane"}, "dateModified": "2024-03-05T10:00:00Z",
         "image": {"@type": "ImageObject", "url": "https://cdn.example/ferry.jpg"},
         "publisher": {"@type": "Organization", "name": "Harbour Watch"}},
        {"@type": "Person", "@id": "#jane", "name": "Jane Marlow"}]}""")
    meta = meta_of(graph)
    assert meta.title == "Ferry timetable changes"
    assert meta.authors == ("Jane Marlow",)
    assert meta.date == "2024-03-02T08:15"  # the WebPage's date: the article gives none
    assert meta.updated == "2024-03-05T10:00"
    assert meta.image == "https://cdn.example/ferry.jpg"
    assert meta.site == "Harbour Watch"
    assert {meta.sources[f] for f in ("title", "authors", "date", "updated", "image")} == {"json-ld"}


def test_json_ld_author_forms() -> None:
    assert jsonld.names([{"@type": "Person", "name": "A Bee"}, "C Dee", {"name": "E Eff"}]) == (
        "A Bee", "C Dee", "E Eff")
    assert jsonld.names({"@type": "Person", "givenName": "Ola", "familyName": "Nordmann"}) == ("Ola Nordmann",)
    assert jsonld.image_url(["https://x.example/a.jpg", "https://x.example/b.jpg"]) == "https://x.example/a.jpg"


@pytest.mark.parametrize("broken", [
    '{"@type": "BlogPosting", "headline": "Tide tables",}',  # a trailing comma
    '{"@type": "BlogPosting", "headline": "Tide\ntables"}',  # a raw newline in a string
    '<!-- {"@type": "BlogPosting", "headline": "Tide tables"} -->',  # an HTML comment around it
    '//<![CDATA[\n{"@type": "BlogPosting", "headline": "Tide tables"}\n//]]>',
    '{"@type": "Organization", "name": "Harbour Watch"}\n{"@type": "BlogPosting", "headline": "Tide tables"}',
])
def test_broken_json_ld_is_read(broken: str) -> None:
    assert " ".join((meta_of(ld(broken)).title or "").split()) == "Tide tables"


def test_unreadable_json_ld_is_skipped() -> None:
    meta = meta_of(ld('{"@type": "Article", "headline": ') + '<meta property="og:title" content="From OpenGraph">')
    assert (meta.title, meta.sources["title"]) == ("From OpenGraph", "opengraph")


def test_a_blog_index_is_not_its_first_post() -> None:
    posts = ld("""{"@type": "CollectionPage", "name": "All posts",
        "mainEntity": {"@type": "ItemList", "itemListElement": [
            {"@type": "BlogPosting", "headline": "First post"},
            {"@type": "BlogPosting", "headline": "Second post"}]}}""")
    assert meta_of(posts).title == "All posts"


def test_html_entities_in_json_ld_strings() -> None:
    assert meta_of(ld('{"@type": "Article", "headline": "Nets &amp; Lines &#8211; a guide"}')).title == \
        "Nets & Lines – a guide"


# --- meta tags, microdata, <time>, bylines ------------------------------------------------------


def test_opengraph_and_article_tags() -> None:
    meta = meta_of('<meta property="og:title" content="Storm closes the pier | Harbour Watch">'
                   '<meta property="og:site_name" content="Harbour Watch">'
                   '<meta property="og:image" content="/img/pier.jpg">'
                   '<meta property="og:url" content="https://harbourwatch.example/pier">'
                   '<meta property="article:published_time" content="2024-01-09T17:30:00+01:00">'
                   '<meta property="article:modified_time" content="2024-01-10">'
                   '<meta property="article:author" content="https://social.example/janemarlow">'
                   '<meta property="article:author" content="Tom Quay">')
    assert meta.title == "Storm closes the pier"
    assert (meta.date, meta.updated) == ("2024-01-09T17:30", "2024-01-10")
    assert meta.authors == ("Tom Quay",)  # the profile URL is not a name
    assert (meta.image, meta.canonical) == ("/img/pier.jpg", "https://harbourwatch.example/pier")
    assert meta.sources == {"title": "opengraph", "authors": "opengraph", "date": "opengraph",
                            "updated": "opengraph", "site": "opengraph", "image": "opengraph",
                            "canonical": "opengraph", "language": "html-lang"}


def test_other_meta_names() -> None:
    meta = meta_of('<meta name="citation_title" content="Sediment in estuaries">'
                   '<meta name="citation_author" content="Ada Reed">'
                   '<meta name="citation_author" content="Bo Fenn">'
                   '<meta name="DC.date" content="2019-06-30">'
                   '<meta name="description" content="A study of silt.">'
                   '<meta name="twitter:image" content="https://x.example/silt.png">')
    assert (meta.title, meta.authors, meta.date) == ("Sediment in estuaries", ("Ada Reed", "Bo Fenn"), "2019-06-30")
    assert (meta.description, meta.image) == ("A study of silt.", "https://x.example/silt.png")
    assert meta.sources["image"] == "twitter"


def test_microdata() -> None:
    body = ('<article itemscope itemtype="https://schema.org/Article">'
            '<h2 itemprop="headline">Lighthouse keepers</h2>'
            '<span itemprop="author" itemscope><span itemprop="name">Ola Strand</span></span>'
            '<time itemprop="datePublished" datetime="2021-11-03">3 Nov</time></article>')
    meta = meta_of("", body)
    assert (meta.title, meta.authors, meta.date) == ("Lighthouse keepers", ("Ola Strand",), "2021-11-03")
    assert meta.sources["authors"] == meta.sources["date"] == "microdata"


def test_time_elements_published_and_updated() -> None:
    body = ('<aside><time datetime="2020-01-01">sidebar</time></aside>'
            '<article><header><time class="entry-date published" datetime="2023-05-04T09:00:00">May 4</time>'
            '<time class="updated" datetime="2023-06-01">June 1</time></header></article>')
    meta = meta_of("", body)
    assert (meta.date, meta.updated) == ("2023-05-04T09:00", "2023-06-01")
    assert meta.sources["date"] == "time"


def test_time_element_labelled_updated_is_the_update() -> None:
    # The words say which date it is, whatever the template's class says ('pubdate').
    before = ('<article><p>Published <time datetime="2023-05-04">May 4, 2023</time></p>'
              '<p>Updated <time datetime="2024-02-12">February 12, 2024</time></p></article>')
    inside = ('<article><time class="byline__pubdate" datetime="2025-12-17">Last Updated: Dec 17, 2025</time>'
              '</article>')
    german = '<article><p>Aktualisiert am <time datetime="2024-03-01">1. März 2024</time></p></article>'
    assert (meta_of("", before).date, meta_of("", before).updated) == ("2023-05-04", "2024-02-12")
    assert (meta_of("", inside).date, meta_of("", inside).updated) == (None, "2025-12-17")
    assert (meta_of("", german).date, meta_of("", german).updated) == (None, "2024-03-01")


def test_a_time_outside_any_article_is_not_the_date() -> None:
    assert meta_of("", '<footer><time datetime="2020-01-01">x</time></footer>').date is None


def test_a_time_in_a_byline_is_the_published_date_outside_any_article() -> None:
    # a link aggregator's story line: 'via jane <time>1 year ago</time>', no <article> around it
    body = ('<div class="details"><a href="/s/1">Story</a><div class="byline"><span>via</span> <a href="/~jane">'
            'jane</a> <time datetime="2024-08-12 10:00:23">1 year ago</time></div></div>')
    meta = meta_of("", body)
    assert (meta.date, meta.sources["date"]) == ("2024-08-12T10:00", "time")


def test_a_time_in_the_sites_banner_is_not_the_articles_date() -> None:
    # the site's <header> holds a menu of teasers with their dates; the article's own comes later
    body = ('<header><nav><a href="/n/1">Older news <time datetime="2025-01-31">01/31/2025</time></a></nav></header>'
            '<main><article><h1>Candidate experience</h1><div class="meta"><time datetime="2017-03-01T12:00:00Z">'
            '03/01/2017</time></div></article></main>')
    assert meta_of("", body).date == "2017-03-01T12:00"
    headed = '<header><h1>Candidate experience</h1><time datetime="2017-03-01">03/01/2017</time></header>'
    assert meta_of("", headed).date == "2017-03-01"


def test_a_vendor_namespaced_date_meta_is_the_published_date() -> None:
    meta = meta_of('<meta name="vendor.date" content="2025-03-06T00:00:00Z"><meta name="app:date" content="x">', "")
    assert (meta.date, meta.sources["date"]) == ("2025-03-06", "meta")


def test_json_ld_in_a_meta_tags_content_is_read() -> None:
    head = ('<meta name="script:ld+json" content="{&quot;@type&quot;:&quot;Article&quot;,&quot;headline&quot;:'
            '&quot;Electric cars&quot;,&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;}">')
    meta = meta_of(head, "")
    assert (meta.date, meta.sources["date"]) == ("2025-11-17T09:00", "json-ld")


def test_byline_element_cut_to_the_names() -> None:
    body = ('<div class="comment-author">Troll Person</div>'
            '<p class="byline">By Jane Marlow and Tom Quay - June 12, 2025</p>')
    meta = meta_of("", body)
    assert meta.authors == ("Jane Marlow", "Tom Quay")
    assert meta.sources["authors"] == "markup-byline"


def test_a_cue_on_its_own_element() -> None:
    assert meta_of("", '<div class="post-author"><span>Written by</span> <a href="/a">Ola Strand</a></div>'
                   ).authors == ("Ola Strand",)


def test_canonical_link_and_language() -> None:
    meta = meta_of('<link rel="canonical" href="https://harbourwatch.example/a">'
                   '<meta property="og:url" content="https://harbourwatch.example/b">', lang="pt-BR")
    assert (meta.canonical, meta.sources["canonical"]) == ("https://harbourwatch.example/a", "link")
    assert meta.language == "pt"


# --- titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "sites", "want"), [
    ("Ferry timetable changes | Harbour Watch", ["harbourwatch"], "Ferry timetable changes"),
    ("Harbour Watch - Ferry timetable changes", ["harbourwatch"], "Ferry timetable changes"),
    ("Ferry timetable changes | Local news | Harbour Watch", ["harbourwatch"], "Ferry timetable changes"),
    ("Ferry timetable changes – Moscow", ["harbourwatch"], "Ferry timetable changes – Moscow"),
    ("Season 2024 - 2025", ["harbourwatch"], "Season 2024 - 2025"),  # a range, not a separator
])
def test_site_name_taken_off(title: str, sites: list[str], want: str) -> None:
    assert strip_site(title, sites, []) == want


def test_the_part_another_candidate_says_alone() -> None:
    assert strip_site("Ferry timetable changes | Coastal Desk", [], ["Ferry timetable changes"]) == \
        "Ferry timetable changes"


def test_title_tag_without_the_host_name() -> None:
    meta = meta_of("<title>Ferry timetable changes — HarbourWatch</title>")
    assert (meta.title, meta.sources["title"]) == ("Ferry timetable changes", "title-tag")


def test_the_shown_headline_over_the_seo_title() -> None:
    # the h1 says the headline the reader sees; the metadata a search-engine version of it
    meta = meta_of('<meta property="og:title" content="Ferry timetable 2024: all the changes">',
                   "<h1>All the ferry timetable changes this spring</h1>")
    assert (meta.title, meta.sources["title"]) == ("All the ferry timetable changes this spring", "h1")


def test_a_slogan_h1_loses_to_the_metadata() -> None:
    meta = meta_of('<meta property="og:title" content="Boat insurance for small harbours">',
                   "<h1>Sail with confidence</h1>")
    assert (meta.title, meta.sources["title"]) == ("Boat insurance for small harbours", "opengraph")


def test_the_h1_the_metadata_agrees_with() -> None:
    meta = meta_of('<meta property="og:title" content="Tide tables | Harbour Watch">'
                   '<meta property="og:site_name" content="Harbour Watch">',
                   "<h1>Harbour Watch</h1><h1>Tide tables</h1>")
    assert (meta.title, meta.sources["title"]) == ("Tide tables", "h1")


def test_css_inside_a_heading_is_not_its_text() -> None:
    meta = meta_of("", "<h1><style>.x{color:red}</style>Tide <b>tables</b></h1>")
    assert " ".join((meta.title or "").split()) == "Tide tables"


# --- order and author filtering -----------------------------------------------------------------


def test_json_ld_before_opengraph_before_time() -> None:
    head = (ld('{"@type": "Article", "headline": "H", "datePublished": "2022-02-02"}')
            + '<meta property="article:published_time" content="2021-01-01">')
    body = '<article><time class="published" datetime="2020-01-01">x</time></article>'
    meta = meta_of(head, body)
    assert (meta.date, meta.sources["date"]) == ("2022-02-02", "json-ld")
    assert meta_of(head.split("</script>")[1], body).sources["date"] == "opengraph"


def test_a_person_in_the_byline_over_the_publisher_as_author() -> None:
    head = (ld('{"@type": "Article", "headline": "H", "author": {"@type": "Organization", '
               '"name": "Harbour Watch"}}') + '<meta property="og:site_name" content="Harbour Watch">')
    meta = meta_of(head, '<span class="author-name">Jane Marlow</span>')
    assert (meta.authors, meta.sources["authors"]) == (("Jane Marlow",), "markup-byline")
    # the site's name is kept when nothing better says who wrote it
    assert meta_of(head).authors == ("Harbour Watch",)


@pytest.mark.parametrize("bad", ["https://social.example/jane", "jane@harbourwatch.example", "@janemarlow",
                                 "www.harbourwatch.example"])
def test_what_is_not_a_name_is_dropped(bad: str) -> None:
    assert meta_of(f'<meta name="author" content="{bad}">').authors == ()


def test_the_publisher_beside_a_person_is_dropped() -> None:
    meta = meta_of('<meta name="author" content="Jane Marlow, Harbour Watch">'
                   '<meta property="og:site_name" content="Harbour Watch">')
    assert meta.authors == ("Jane Marlow",)


def test_cms_account_names_are_not_bylines() -> None:
    head = ld('{"@type": "Article", "headline": "H", "author": "jmarlow_22"}')
    assert meta_of(head, '<p class="byline">By Jane Marlow</p>').authors == ("Jane Marlow",)


def test_a_forum_thread_is_authored_by_its_first_poster() -> None:
    posts = "".join(f'<div class="post"><span itemprop="author">{name}</span></div>'
                    for name in ("ropewalker_9", "tidewatcher", "gullfan", "keelhaul"))
    assert meta_of("", posts).authors == ("ropewalker_9",)


# --- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "want"), [
    ("2024-03-02", "2024-03-02"),
    ("2024-03-02T00:00:00Z", "2024-03-02"),
    ("2024-03-02T08:15:00.000-04:00", "2024-03-02T08:15"),
    ("2024-03-02 08:15:00", "2024-03-02T08:15"),
    ("March 2, 2024", "2024-03-02"),
    ("2024-13-02", None),
    ("soon", None),
])
def test_clean_date(raw: str, want: str | None) -> None:
    assert clean_date(raw, "en") == want


@pytest.mark.parametrize(("raw", "want"), [("en-US", "en"), ("pt_BR", "pt"), ("DE", "de"), ("x", None)])
def test_language_code(raw: str, want: str | None) -> None:
    assert language_code(raw) == want


def test_no_markup_no_metadata() -> None:
    assert meta_of("", "<p>Just text.</p>", url=None) == MarkupMeta(language="en", sources={"language": "html-lang"})


# --- into the record ----------------------------------------------------------------------------


def test_fill_record_fills_only_what_is_empty() -> None:
    doc = Document(title="From a rule", sources={"title": "rules"})
    meta = MarkupMeta(title="From markup", date="2024-01-02", authors=("Jane Marlow",), image="/i.jpg",
                      canonical="https://x.example/a",
                      sources={"title": "opengraph", "date": "json-ld", "authors": "markup-byline",
                               "image": "opengraph", "canonical": "link"})
    fill_record(doc, meta)
    assert (doc.title, doc.date, doc.authors, doc.image) == ("From a rule", "2024-01-02", ["Jane Marlow"], "/i.jpg")
    doc.description = "found in the text"
    record = doc.record()
    assert record["sources"] == {"title": "rules", "date": "json-ld", "authors": "markup-byline",
                                 "description": "text", "canonical": "link", "image": "opengraph"}
    assert record["canonical"] == "https://x.example/a"


def test_record_has_the_new_fields_when_empty() -> None:
    record = Document().record()
    assert (record["canonical"], record["image"], record["sources"]) == (None, None, {})


def test_the_docs_example_runs_as_shown() -> None:
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "metadata.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", doc, re.S)
    assert block is not None
    scope: dict[str, object] = {"print": lambda *args: None}
    exec(block.group(1), scope)  # the example as a reader would paste it
    meta = scope["meta"]
    assert isinstance(meta, MarkupMeta)
    assert (meta.title, meta.authors, meta.date, meta.language) == (
        "Ferry timetable changes", ("Jane Marlow",), "2024-03-02T08:15", "en")
    assert dict(meta.sources) == {"title": "h1", "authors": "json-ld", "date": "json-ld", "site": "opengraph",
                                  "image": "opengraph", "canonical": "link", "language": "html-lang"}


# --- the title chooser, more byline shapes ------------------------------------------------------


def test_the_title_model_reads_the_features_the_code_computes() -> None:
    from cleaner.meta.markup_title import TITLE_FEATURES, TITLE_MODEL
    from cleaner.meta.scoring import load_model

    model = load_model(TITLE_MODEL, TITLE_FEATURES)  # refuses a file whose feature names differ
    assert len(model.scores([[0.0] * len(TITLE_FEATURES)])) == 1


def test_the_title_every_source_agrees_on_once_the_site_is_cut_off() -> None:
    meta = meta_of('<title>Tide tables for the spring | Harbour Watch</title>'
                   '<meta property="og:title" content="Tide tables for the spring | Harbour Watch">'
                   '<meta property="og:site_name" content="Harbour Watch">',
                   "<h1>Tide tables for the spring</h1><p>Text.</p>")
    assert (meta.title, meta.sources["title"]) == ("Tide tables for the spring", "h1")


def test_title_candidates_each_text_once_with_its_features() -> None:
    from cleaner.meta.markup_fields import site_names
    from cleaner.meta.markup_sources import markup_candidates
    from cleaner.meta.markup_title import TITLE_FEATURES, title_candidates

    html = ('<html><head><title>Tide tables | Harbour Watch</title>'
            '<meta property="og:site_name" content="Harbour Watch"></head>'
            '<body><h1>Tide tables</h1><h1>Harbour Watch</h1></body></html>')
    found = markup_candidates(LexborHTMLParser(html))
    candidates = title_candidates(found, site_names(found, URL), URL)
    texts = [text for text, _, _ in candidates]
    assert texts == ["Tide tables | Harbour Watch", "Tide tables", "Harbour Watch"]
    assert all(len(features) == len(TITLE_FEATURES) for _, _, features in candidates)
    site_name = TITLE_FEATURES.index("site_name")
    assert [features[site_name] for _, _, features in candidates] == [0.0, 0.0, 1.0]


def test_author_from_the_reading_card_written_by() -> None:
    meta = meta_of('<meta name="twitter:label1" content="Written by">'
                   '<meta name="twitter:data1" content="Jane Marlow">'
                   '<meta name="twitter:label2" content="Est. reading time">'
                   '<meta name="twitter:data2" content="4 minutes">')
    assert (meta.authors, meta.sources["authors"]) == (("Jane Marlow",), "twitter")


@pytest.mark.parametrize("body", [
    # an author box: its name element says so, though the box's other parts are skipped
    '<div class="author-box"><div class="author-box__avatar"><img alt="x"></div>'
    '<h4 class="author-box__name">Jane Marlow</h4><div class="author-box__bio">Writes on tides.</div></div>',
    # a link to the author's page
    '<p>Story <a href="/authors/jane-marlow/">Jane Marlow</a></p>',
])
def test_bylines_in_more_shapes(body: str) -> None:
    assert meta_of("", body).authors == ("Jane Marlow",)


def test_a_forum_threads_first_poster_and_not_a_login_forms_label() -> None:
    thread = ('<form><span class="username">Username</span><input class="username"></form>'
              '<div class="post" id="p1"><div class="post-user"><span class="username">tidewatcher</span></div>'
              '<p>When does the ferry run?</p></div>'
              '<div class="post" id="p2"><div class="post-user"><span class="username">skipper_k</span></div></div>')
    assert meta_of("", thread).authors == ("tidewatcher",)
    assert meta_of("", '<form><span class="username">Username</span></form>').authors == ()
