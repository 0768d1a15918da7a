"""The finder on HTML lines: the markup's features and the HTML line scorer."""

from __future__ import annotations

import numpy as np

from cleaner import load_rulebook
from cleaner.find import finder
from cleaner.find.domfeatures import DOM_FEATURES, FAMILIES, dom_features, families
from cleaner.find.linefeatures import FEATURES
from cleaner.pipeline import clean
from cleaner.read.html import html_lines, parse_html

PARAGRAPHS = [
    "The council voted on Tuesday evening to build eleven kilometres of protected cycling lanes along "
    "both banks of the river, the largest change to the streets of the city in a generation.",
    "The plan, which passed by nine votes to four, will take three years to complete and cost an "
    "estimated 14 million euros, most of it from a regional transport fund set up last spring.",
    "Supporters said the lanes would make commuting safer for the thousands of residents who already "
    "cycle to work, while opponents warned about the loss of parking spaces in the old town.",
    "Work on the first section, between the station and the university, is due to start in the autumn "
    "and should be finished before the end of next year if the weather allows it.",
]
RELATED = ["Ten things to do this weekend in the old town and along the river",
           "Why the price of bread has gone up again this spring, explained",
           "The best places to watch the regatta this summer with children"]


def page() -> str:
    menu = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in ("Home", "News", "Sport", "Weather"))
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    related = "".join(f'<li><a href="/r{i}">{t}</a></li>' for i, t in enumerate(RELATED))
    return (f'<html><body><header class="site-header"><nav class="main-menu"><ul>{menu}</ul></nav></header>'
            f'<main><article class="post-content"><h1>City approves new cycling lanes</h1>{body}</article>'
            f'<aside class="related-posts"><h3>More stories</h3><ul>{related}</ul></aside></main>'
            '<footer id="colophon"><p>About us</p><p>Privacy policy</p><p>© 2024 The Daily Example</p>'
            "</footer></body></html>")


def features(html: str) -> tuple[list[str], np.ndarray]:
    lines = html_lines(parse_html(html))
    texts = [line.text for line in lines]
    words = np.array([len(t.split()) for t in texts], dtype=np.float64)
    stops = np.full(len(texts), 0.4)
    chars = np.array([len(t) for t in texts], dtype=np.float64)
    return texts, dom_features([line.attrs or {} for line in lines], words, stops, chars)


def column(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, DOM_FEATURES.index(name)]


def test_the_content_root_is_the_element_holding_the_prose() -> None:
    texts, x = features(page())
    inside = {t for t, flag in zip(texts, column(x, "root_in"), strict=True) if flag}
    assert inside == {"City approves new cycling lanes", *PARAGRAPHS}
    menu = texts.index("Home")
    assert column(x, "root_above")[menu] > 0 and column(x, "root_below")[menu] == -1


def test_class_words_and_ancestor_tags_become_columns() -> None:
    texts, x = features(page())
    home, story, privacy = texts.index("Home"), texts.index(RELATED[0]), texts.index("Privacy policy")
    assert column(x, "cls_navigation")[home] == 1 and column(x, "in_nav")[home] == 1
    assert column(x, "cls_related")[story] == 1 and column(x, "in_aside")[story] == 1
    assert column(x, "cls_footer")[privacy] == 1 and column(x, "in_footer")[privacy] == 1
    assert column(x, "dom_links")[home] == 1.0 and column(x, "dom_links")[texts.index(PARAGRAPHS[0])] == 0.0
    assert column(x, "dom_heading")[texts.index("City approves new cycling lanes")] == 1
    assert np.isfinite(x).all()


def test_the_token_families_are_data_with_every_family_named() -> None:
    assert tuple(families()) == FAMILIES
    assert all(words and all(w == w.lower() and w.strip() == w for w in words) for words in families().values())


def test_the_html_model_loads_with_the_codes_features() -> None:
    model = finder.html_lines_model()
    assert model.features == FEATURES + DOM_FEATURES
    assert model.depth > 0


def test_an_html_page_keeps_its_article_and_loses_its_chrome() -> None:
    doc = clean(page().encode(), load_rulebook(), name="page.html")
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    kept = doc.text.split("\n\n")
    for chrome in ("Home", "News", "About us", "Privacy policy"):
        assert chrome not in kept


def test_lines_without_markup_take_the_text_path() -> None:
    lines = ["Home", "News", *PARAGRAPHS, "About us", "Privacy policy"]
    assert finder.find_content(lines, "en") == finder.find_content(lines, "en", [None] * len(lines))
