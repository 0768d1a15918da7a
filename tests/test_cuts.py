"""Cuts that end an article, and the settling pass, never take the article itself: a cut needs
prose above its marker and no more article below it, a bare label goes alone, several posts'
footers cut only after the last post, and settling leaves the first pass's main region whole.
The pages are made up; the rules are the built-in ones, or a made-up one where a test says so."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from cleaner import Rulebook, clean_text, pipeline
from cleaner.bench.losses import cut_loss, cut_removals
from cleaner.find.finder import Verdict
from cleaner.page import RULES, SETTLE, Change
from cleaner.pipeline import explain

PARAGRAPHS = [
    "The river rose two metres overnight, and the town's lower streets were under water by dawn.",
    "Volunteers filled sandbags at the fire station while the council opened the school as a shelter.",
    "By noon the rain had eased, but the forecast warned of more storms moving in from the west.",
    "Farmers on the plain said they had not seen the fields flooded like this for thirty years.",
    "The mayor thanked the volunteers and promised that repairs to the old dike would start in spring.",
]
ARTICLE = "\n\n".join(PARAGRAPHS)
HEADLINE = "Floods close the lower town"


def _page(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def test_a_bare_comments_label_under_the_headline_goes_alone(rulebook: Rulebook) -> None:
    menu = "\n\n".join(["Home", "News", "Sport", "Weather", "Culture", "Contact", "About us", "Jobs"])
    cookies = ("We use cookies to remember your settings and to count our visitors. You can change "
               "your choice at any time in the privacy settings at the foot of every page.")
    # The label sits below the page's first fifth of words (the cookie notice is above it), and
    # prose stands above it: only what follows tells that it ends nothing.
    text = _page(menu, cookies, HEADLINE, "Comments", ARTICLE, "Copyright 2024 The Valley Post")
    doc = clean_text(text, rulebook)
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    assert "Comments" not in doc.text.split("\n\n")


def test_a_comment_form_after_the_article_cuts_the_thread(rulebook: Rulebook) -> None:
    thread = [
        "Leave a Reply",
        "Maria", "June 3, 2024 at 9:15 am",
        "We lost the cellar again this year and nobody from the council came to help us at all.",
        "Reply",
        "Tom", "June 3, 2024 at 10:02 am",
        "The dike has needed repairs for a decade, and everybody in the lower town knows it.",
        "Reply",
    ]
    doc = clean_text(_page(HEADLINE, ARTICLE, *thread), rulebook)
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    assert "cellar" not in doc.text and "decade" not in doc.text


def test_a_comment_form_that_more_article_follows_goes_alone(rulebook: Rulebook) -> None:
    # A "Leave a comment" link above most of the article: prose stands above it, but far more
    # article than that follows, with no thread's short lines between the paragraphs.
    text = _page(HEADLINE, PARAGRAPHS[0], PARAGRAPHS[1], "Leave a Comment", *PARAGRAPHS[2:],
                 *(p.replace("river", "stream") for p in PARAGRAPHS))
    doc = clean_text(text, rulebook)
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    assert "Leave a Comment" not in doc.text


def test_several_posts_are_cut_only_after_the_last(rulebook: Rulebook) -> None:
    posts = []
    for n, title in enumerate(["Spring at the allotment", "Our new beehive", "Apple harvest"]):
        body = [f"In post {n}, {p[0].lower()}{p[1:]}" for p in PARAGRAPHS[n : n + 2]]
        posts += [title, *body, "Posted by Anna at 10:15 AM", "No comments:"]
    text = _page(*posts, "Newer Post Older Post Home", "Subscribe to: Posts (Atom)",
                 "Blog archive", "2024 (3)", "About me", "Powered by a blog engine")
    doc = clean_text(text, rulebook)
    assert all(f"In post {n}," in doc.text for n in range(3))
    assert "No comments:" not in doc.text
    assert "Blog archive" not in doc.text and "Powered by" not in doc.text


class _FickleFinder:
    """A finder that keeps the whole page the first time, and then, on the cleaned output, only
    its last line: the settling pass's finder reading the article as chrome beside a comment."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts: Sequence[str], language: str | None, attrs: object = None) -> Verdict:
        self.calls += 1
        keep = [True] * len(texts) if self.calls == 1 else [i == len(texts) - 1 for i in range(len(texts))]
        start = 0 if self.calls == 1 else len(texts) - 1
        return Verdict(keep, start, len(texts))


def test_settling_never_removes_the_main_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "find_content", _FickleFinder())
    comment = "Great piece, thanks for writing it, I shared it with the whole neighbourhood."
    doc, page = explain(_page(ARTICLE, comment).encode(), Rulebook([]), name="page.txt")
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    assert not any(change.stage == SETTLE for change in page.trace)


def test_settling_still_trims_the_main_region_s_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    # The settling pass's finder drops the last line alone: a teaser the first pass kept.
    class TrimLast(_FickleFinder):
        def __call__(self, texts: Sequence[str], language: str | None, attrs: object = None) -> Verdict:
            self.calls += 1
            last = self.calls == 1 or len(texts) <= len(PARAGRAPHS)
            return Verdict([last or i < len(texts) - 1 for i in range(len(texts))], 0, len(texts))

    monkeypatch.setattr(pipeline, "find_content", TrimLast())
    teaser = "Read next: how the old dike was built in 1953, and why it needs repairs so often now."
    doc, page = explain(_page(ARTICLE, teaser).encode(), Rulebook([]), name="page.txt")
    assert doc.text == ARTICLE
    assert [change.before for change in page.trace if change.stage == SETTLE] == [teaser]


def test_settling_never_takes_the_main_region_a_few_lines_a_round(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each time the output is cleaned again, the finder drops its last line: round by round
    # the region would go; the pass stops before half of its words are gone.
    class DropLastEachTime(_FickleFinder):
        def __call__(self, texts: Sequence[str], language: str | None, attrs: object = None) -> Verdict:
            self.calls += 1
            return Verdict([self.calls == 1 or i < len(texts) - 1 for i in range(len(texts))], 0, len(texts))

    monkeypatch.setattr(pipeline, "find_content", DropLastEachTime())
    doc, page = explain(ARTICLE.encode(), Rulebook([]), name="page.txt")
    assert sum(paragraph in doc.text for paragraph in PARAGRAPHS) >= len(PARAGRAPHS) / 2
    assert [change.before for change in page.trace if change.stage == SETTLE] == PARAGRAPHS[:2:-1]


def test_settling_never_removes_what_the_first_pass_kept_beside_its_region(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first pass keeps the whole page, but its main region is the notes at the foot (the
    # hand-written finder's pick); cleaned again, the finder keeps only those notes. The article
    # above the region was kept by the first pass, and settling must not take it.
    class RegionAtTheFoot(_FickleFinder):
        def __call__(self, texts: Sequence[str], language: str | None, attrs: object = None) -> Verdict:
            self.calls += 1
            last = len(texts) - 1
            return Verdict([self.calls == 1 or i == last for i in range(len(texts))], last, len(texts))

    monkeypatch.setattr(pipeline, "find_content", RegionAtTheFoot())
    notes = "Notes: the water levels are those the river authority measured at the old bridge every hour."
    doc, page = explain(_page(ARTICLE, notes).encode(), Rulebook([]), name="page.txt")
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    assert not any(change.stage == SETTLE for change in page.trace)


def test_a_bare_label_on_every_card_of_a_listing_cuts_nothing(rulebook: Rulebook) -> None:
    cards = []
    for n, paragraph in enumerate(PARAGRAPHS):
        cards += [f"Story {n + 1} from the valley", paragraph, "Anna Berg", "3 min read", "Comments"]
    doc = clean_text(_page(HEADLINE, *cards, "Copyright 2024 The Valley Post"), rulebook)
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    assert "Comments" not in doc.text.split("\n\n")


def test_a_comments_link_above_the_article_still_lets_the_thread_be_cut(rulebook: Rulebook) -> None:
    # The page prints "Comments" twice, but the copy above the article is a link to the thread
    # under it, not a listing's field: the thread's heading still ends the article.
    thread = ["Maria", "We lost the cellar again this year and nobody from the council came to help us at all.",
              "Tom", "The dike has needed repairs for a decade, and everybody in the lower town knows it."]
    doc = clean_text(_page(HEADLINE, "Comments", ARTICLE, "Comments", *thread), rulebook)
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    assert "cellar" not in doc.text and "decade" not in doc.text


def test_the_cut_loss_counts_the_gold_words_cuts_took() -> None:
    trace = [
        Change(3, "generic/comment-form", "cut_after", RULES, "the dike needs repairs", True),
        Change(4, "generic/comment-form", "cut_after", RULES, "Reply", True),
        Change(1, "generic/date-line", "drop", RULES, "June 3, 2024", True),  # not a cut
        Change(2, "finder/outside", "drop", SETTLE, "volunteers filled sandbags", True),
    ]
    removals = cut_removals(trace)
    assert [cause for cause, _ in removals] == [
        "generic/comment-form", "generic/comment-form", "settle:finder/outside"]
    gold = "the river rose volunteers filled sandbags the dike needs repairs"
    loss = cut_loss(gold, "the river rose", removals)
    assert loss.by == {"generic/comment-form": 0.4, "settle:finder/outside": 0.3}
    assert loss.share == 0.7 and loss.gutted
    assert not cut_loss(gold, gold, removals).gutted  # words the output still has were not lost
