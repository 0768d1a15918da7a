"""The chrome that question-and-answer sites, forums and consent banners print around the posts
goes, the posts stay: signatures, badges and time stamps of a Q&A thread, a forum's per-post
labels, the consent framework's purposes, a journal's licence notice. The pages are made up."""

from __future__ import annotations

from cleaner import Rulebook, clean_text, load_rulebook

QUESTION = ("How do I keep the sourdough starter alive while I am away for two weeks in the summer, "
            "when the kitchen gets very warm during the day and nobody can feed it for me?")
ANSWERS = [
    "Put it in the fridge after a last feeding. A cold starter slows down so much that two weeks "
    "without food do it no harm, and it wakes up after two or three feedings at room temperature.",
    "You can also dry it: spread a thin layer on baking paper, let it dry for a day, break it into "
    "flakes and keep them in a jar. Flakes keep for months and come back with flour and water.",
]


def _page(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def test_a_q_and_a_thread_keeps_its_posts_without_their_signatures(rulebook: Rulebook) -> None:
    text = _page(
        "Keeping a starter alive on holiday", QUESTION, "Improve this question",
        "asked Jun 2, 2021 at 8:14", "Asked 3 years, 2 months ago", "Viewed 12k times",
        "2 Answers", "Sorted by:", "Highest score (default)",
        ANSWERS[0], "Improve this answer", "answered Jun 2, 2021 at 9:30", "breadfan",
        "12.3k44 gold badges5656 silver badges9090 bronze badges",
        ANSWERS[1], "Improve this answer", "edited Jun 4, 2021 at 11:02", "2021-06-04 11:02:13 +00:00",
        "Commented Jun 4, 2021 at 11:05")
    doc = clean_text(text, rulebook)
    assert QUESTION in doc.text and all(answer in doc.text for answer in ANSWERS)
    for chrome in ("Improve this", "answered Jun", "badges", "Viewed 12k", "+00:00", "Highest score"):
        assert chrome not in doc.text


REPLIES = [
    *ANSWERS,
    "I leave mine with a neighbour who bakes too. She feeds it twice a week and I bring her a loaf "
    "when I am back, which has worked for three summers now without any trouble at all.",
]


def _thread(labels: list[str]) -> str:
    return _page("Keeping a starter alive on holiday", *(part for reply in REPLIES for part in (reply, *labels)))


def _short_lines(text: str) -> list[str]:
    return [line for line in text.split("\n\n") if len(line) < 20]


def test_a_forum_s_post_labels_go_when_every_post_prints_them(rulebook: Rulebook) -> None:
    """Between posts the finder keeps, 'Reply', 'Quote', 'Report' under each go by the rule."""
    doc = clean_text(_thread(["Reply", "Quote", "Report"]), rulebook)
    assert all(reply in doc.text for reply in REPLIES)
    assert _short_lines(doc.text) == []
    without = load_rulebook(disabled=["generic/forum-post-labels"])
    assert "Reply" in _short_lines(clean_text(_thread(["Reply", "Quote", "Report"]), without).text)


def test_one_label_printed_again_and_again_stays(rulebook: Rulebook) -> None:
    """Three copies of one heading ('Location' under each hotel of a guide) are not three of a
    forum's different labels."""
    doc = clean_text(_thread(["Location"]), rulebook)
    assert "generic/forum-post-labels" not in doc.removed
    assert "Location" in _short_lines(doc.text)
    labels = clean_text(_thread(["Location", "Joined:", "Posts:"]), rulebook)
    assert labels.removed["generic/forum-post-labels"] >= 6


def test_a_forum_s_member_panels_go(rulebook: Rulebook) -> None:
    posts = []
    for name, answer in zip(("breadfan", "ovenmitt", "crumb"), (*ANSWERS, QUESTION), strict=True):
        posts += [name, "Joined:", "Mar 2019", "Messages:", "1,204", answer, "Reply", "Quote"]
    doc = clean_text(_page("Keeping a starter alive on holiday", *posts), rulebook)
    lines = doc.text.split("\n\n")
    assert all(answer in doc.text for answer in ANSWERS)
    assert not {"Joined:", "Messages:", "Reply", "Quote"} & set(lines)


def test_an_event_s_single_location_heading_stays(rulebook: Rulebook) -> None:
    text = _page("Bread festival in the old market", ANSWERS[0], "Location", ANSWERS[1])
    assert "Location" in clean_text(text, rulebook).text.split("\n\n")


def test_consent_purposes_and_a_journal_licence_go(rulebook: Rulebook) -> None:
    text = _page(
        "Starter cultures in home baking", QUESTION, *ANSWERS,
        "This is an open access article distributed under the terms of the Creative Commons "
        "Attribution License, which permits unrestricted use, provided the original work is cited.",
        "We and our partners process data to provide:", "Store and/or access information on a device",
        "Use profiles to select personalised advertising 48 partners can use this purpose")
    doc = clean_text(text, rulebook)
    assert all(answer in doc.text for answer in ANSWERS)
    assert "open access" not in doc.text and "partners" not in doc.text and "information on a device" not in doc.text


def test_a_single_consent_purpose_read_as_a_heading_stays(rulebook: Rulebook) -> None:
    """'Measure content performance' alone heads a section of an analytics article."""
    text = _page("Analytics for small publishers", ANSWERS[0], "Measure content performance", ANSWERS[1])
    assert "Measure content performance" in clean_text(text, rulebook).text.split("\n\n")
