"""Bylines from text in more of the shapes templates print them: made-up pages, each
shape with a look-alike that must give no name."""

from __future__ import annotations

import time

import pytest

from cleaner import Rulebook, clean_text
from cleaner.meta import byline
from cleaner.meta.byline import byline_candidates
from cleaner.meta.names import forum_poster

PARAGRAPH = ("The council voted on Tuesday evening to build eleven kilometres of protected cycling "
             "lanes along both banks of the river, the largest change to the streets in a generation.")
MORE = ("The plan, which passed by nine votes to four, will take three years to complete and cost an "
        "estimated 14 million euros, most of it from a regional transport fund.")
HEADLINE = "Council approves the new river bridge"


def _names(lines: list[str], start: int, end: int, headline: int | None = 0) -> set[str]:
    return {names for names, _ in byline_candidates(lines, start, end, "en", headline)}


@pytest.mark.parametrize("credit", ["Text by Jane Marlow", "Words by: Jane Marlow", "Story by Jane Marlow"])
def test_a_credit_after_the_article_names_its_writer(credit: str) -> None:
    """'Text by', 'Words by', 'Story by' at a line's start credit the writer, as 'Written by' does,
    and read as a cue at the line's start (not a 'by' inside a sentence)."""
    lines = [HEADLINE, PARAGRAPH, MORE, credit, "Enjoyed this piece? Support us."]
    found = dict(byline_candidates(lines, 1, 3, "en", 0))
    features = dict(zip(byline.BYLINE_FEATURES, found["Jane Marlow"], strict=True))
    assert features["cue_at_line_start"] == 1.0 and features["cue_inside_line"] == 0.0


def test_a_credit_word_inside_a_sentence_is_no_cue_of_its_own() -> None:
    """'the text by' in prose reads no more than the plain 'by' always did: no name at the line's start."""
    match = byline._CUE.search("We compared the text by Jane Marlow with the draft.")
    assert match is None or match.start() > 0


@pytest.mark.parametrize("dateline", [
    "Dec 26, 2025 •  Jane Marlow in Project Management", "May 3, 2024 | Jane Marlow in News"])
def test_a_datelines_section_after_the_name_is_cut_off(dateline: str) -> None:
    """A dateline that files the post under a section after the name ('… Jane Marlow in
    Project Management') offers the name alone."""
    lines = [HEADLINE, dateline, PARAGRAPH, MORE]
    assert "Jane Marlow" in _names(lines, 2, 4)


@pytest.mark.parametrize(("card", "poster"), [
    ("jane_marlow42   Discussion starter", "jane_marlow42"),
    ("JMarlow13 | Original poster", "JMarlow13"),
])
def test_a_starter_mark_after_a_members_name_names_the_poster(card: str, poster: str) -> None:
    """A forum marks the starter's name in each card of theirs ('jane_doe   Discussion starter'),
    under a header whose last reply is someone else's."""
    lines = ["Replacement projector recommendations", "12 replies   last post by tom_reed Jan 8, 2026",
             card, "28 posts · Joined 2023", PARAGRAPH, "tom_reed", MORE]
    assert forum_poster(lines, "en") == poster


def test_a_sentence_ending_with_the_words_of_a_starter_mark_names_no_poster() -> None:
    lines = ["Replacement projector recommendations", "A good question makes a discussion starter",
             "Why the original poster", PARAGRAPH]
    assert forum_poster(lines, "en") is None


def test_a_credit_glued_to_the_end_of_the_last_paragraph_names_the_writer() -> None:
    """A scraper glues the credit under the article to its last paragraph ('… bitter grounds. Text
    by Jane Marlow'): read as the credit's own block, far below the region's start."""
    lines = [HEADLINE, *[PARAGRAPH, MORE] * 10, f"{MORE} Text by Jane Marlow", "Share this page"]
    found = dict(byline_candidates(lines, 1, 21, "en", 0))
    features = dict(zip(byline.BYLINE_FEATURES, found["Jane Marlow"], strict=True))
    assert features["cue_at_line_start"] == 1.0 and features["from_glued_piece"] == 1.0


def test_a_credit_glued_to_a_long_last_paragraph_names_the_writer() -> None:
    """The credit ends the whole line, past the first characters a glued line is read in for a
    byline (`MAX_GLUED_CHARS`): a last paragraph of 1,800 characters still gives it."""
    long_paragraph = " ".join([PARAGRAPH, MORE] * 6)
    assert len(long_paragraph) > 1500
    lines = [HEADLINE, *[PARAGRAPH, MORE] * 10, f"{long_paragraph} Text by Jane Marlow", "Share this page"]
    found = dict(byline_candidates(lines, 1, 21, "en", 0))
    assert "Jane Marlow" in found


@pytest.mark.parametrize("ending", ["a painting by Claude Monet", "Image by Tom Reed from Pixabay"])
def test_a_by_inside_the_last_sentence_is_no_credit_at_the_end(ending: str) -> None:
    lines = [HEADLINE, *[PARAGRAPH, MORE] * 10, f"{MORE} It shows {ending}", "Share this page"]
    found = dict(byline_candidates(lines, 1, 21, "en", 0))
    assert all(features[BYLINE_AT_START] == 0.0 for features in found.values())


BYLINE_AT_START = byline.BYLINE_FEATURES.index("cue_at_line_start")


@pytest.mark.parametrize("line", ["Jane Marlow  USA TODAY", "Jane Marlow  AP"])
def test_a_publisher_in_capitals_after_the_name_is_left_out(line: str) -> None:
    """A byline names the publisher or agency in capitals two blanks after the writer."""
    assert "Jane Marlow" in _names([HEADLINE, line, PARAGRAPH, MORE], 2, 4)


def test_a_name_in_capitals_keeps_its_words() -> None:
    assert "JANE MARLOW" in _names([HEADLINE, "By JANE MARLOW", PARAGRAPH, MORE], 2, 4)


def test_a_surname_in_capitals_after_a_given_name_is_no_publisher() -> None:
    """'Jean  DUPONT' (the French and Spanish way of writing the surname) keeps its surname: a
    publisher is cut off only after a name of two words or more."""
    assert "Jean" not in _names([HEADLINE, "Par Jean  DUPONT", PARAGRAPH, MORE], 2, 4)
    assert byline._unglued(("Jean  DUPONT", 0, True, False))[0] != "Jean"


def test_a_name_that_opens_a_bio_elsewhere_on_the_page_is_marked_so() -> None:
    """An author's box under the article ('Jane Marlow is a reporter …', or 'Jane is …' with her
    given name) vouches for the name alone under the headline; a menu's label opens no bio."""
    bio = "Jane is a reporter who has covered the city's transport for ten years."
    lines = [HEADLINE, "Jane Marlow", "Select Page", PARAGRAPH, MORE, "About the author", bio]
    rows = {names: dict(zip(byline.BYLINE_FEATURES, features, strict=True))
            for names, features in byline_candidates(lines, 3, 5, "en", 0)}
    assert rows["Jane Marlow"]["bio_elsewhere"] == 1.0
    assert rows.get("Select Page", {"bio_elsewhere": 0.0})["bio_elsewhere"] == 0.0



def test_a_long_run_of_blanks_is_read_once_for_a_starter_mark() -> None:
    """A page with a line of tens of thousands of blanks (a scraper's layout padding) is read in
    linear time: a gap searched as '\\s{2,}' read the run again from each of its blanks (minutes)."""
    padded = ["Replacement projector recommendations", "x" + " " * 60_000 + "y", PARAGRAPH,
              "jane_marlow42" + " " * 60_000 + "Discussion starter", MORE]
    started = time.perf_counter()
    assert forum_poster(padded, "en") == "jane_marlow42"
    assert time.perf_counter() - started < 5.0


def test_a_credit_glued_to_the_last_paragraph_is_read_as_its_own_block() -> None:
    """A credit glued after the last sentence is read as the short block it was: the paragraph's
    length and its words ('said') do not count against the name."""
    ending = f"{PARAGRAPH} {MORE} The work starts in spring, the mayor said. Story by Jane Marlow"
    found = dict(byline_candidates([HEADLINE, PARAGRAPH, ending, "Share this page"], 1, 3, "en", 0))
    features = dict(zip(byline.BYLINE_FEATURES, found["Jane Marlow"], strict=True))
    assert features["comment_word"] == 0.0
    assert features["line_words"] < 2.0  # log1p of the credit's four words, not the paragraph's


@pytest.mark.parametrize("dateline", [
    "March 2, 2026 · 12 min · 2480 words · Jane Marlow",
    "Mar. 2, 2026 · Jane Marlow on behalf of the editorial board"])
def test_a_name_among_a_datelines_figures_or_before_its_words_is_offered_alone(dateline: str) -> None:
    """A dateline's reading time and word count stand among its blocks as the date does, and the
    words after the name ('on behalf of …') are not the name's."""
    assert "Jane Marlow" in _names([HEADLINE, dateline, PARAGRAPH, MORE], 2, 4)


def test_a_particle_inside_a_name_is_read_as_a_whole_word() -> None:
    """'del' and 'van der' keep the names whole ('Maria del Carmen', not 'Maria de')."""
    assert "Maria del Carmen Ruiz" in _names([HEADLINE, "By Maria del Carmen Ruiz", PARAGRAPH, MORE], 2, 4)
    assert "Anneke van der Berg" in _names([HEADLINE, "By Anneke van der Berg", PARAGRAPH, MORE], 2, 4)
    # a particle joined to the next name by a hyphen goes with it: not 'Nasser al'
    assert "Nasser al-Ahmad" in _names([HEADLINE, "By Nasser al-Ahmad", PARAGRAPH, MORE], 2, 4)


@pytest.mark.parametrize("byline_line", [
    "Written by: Jane Marlow  Senior Product Manager", "By Jane Marlow  Head of Content",
    "ByJane Marlow  UpdatedMarch 2, 2026"])
def test_a_job_title_or_update_two_blanks_after_the_name_is_left_out(byline_line: str) -> None:
    """A job title or an update line set two blanks after the name is the next block's."""
    assert "Jane Marlow" in _names([HEADLINE, byline_line, PARAGRAPH, MORE], 2, 4)


@pytest.mark.parametrize("name", ["Jane (Holt) Marlow", "Jane Marlow (JMWrites)", "Jane Marlow (Content Editor)"])
def test_a_name_with_capitalised_words_in_brackets_is_offered_whole(name: str) -> None:
    """A maiden name, handle or job title in brackets beside the name is the byline's, whole."""
    assert name in _names([HEADLINE, name, "March 2, 2026", PARAGRAPH, MORE], 3, 5)


def test_a_members_handle_under_a_cue_line_is_offered() -> None:
    """'By' alone on its line, then a member's handle ('jane_marlow42'): the handle is the name;
    a code's word with a hyphen under a 'Sort by' is not."""
    assert "jane_marlow42" in _names([HEADLINE, "By", "jane_marlow42", PARAGRAPH, MORE], 3, 5)
    assert "index-name" not in _names([HEADLINE, "By", "index-name", PARAGRAPH, MORE], 3, 5)
    # a short lower-case word or an abbreviation under a lone 'By' is no handle
    assert not {"the", "e.g."} & _names([HEADLINE, "Sort by", "the", "e.g.", PARAGRAPH, MORE], 4, 6)


def test_written_by_inside_a_line_far_below_the_start_is_read() -> None:
    """'This post was written by Jane Marlow, …' names the writer wherever it stands."""
    lines = [HEADLINE, *[PARAGRAPH, MORE] * 12, "This post was written by Jane Marlow, our editor.", "Share"]
    assert "Jane Marlow" in _names(lines, 1, 25)


def test_a_role_two_blanks_after_the_name_is_left_out() -> None:
    """'Jane Marlow  Founder & Lead Reviewer': the role is the next block's."""
    assert "Jane Marlow" in _names([HEADLINE, "By Jane Marlow  Founder & Lead Reviewer", PARAGRAPH, MORE], 2, 4)


def test_a_role_in_capitals_two_blanks_after_the_name_is_left_out() -> None:
    """'Jane Marlow  CEO': an acronym of a role word ends the name as the word does."""
    assert "Jane Marlow" in _names([HEADLINE, "By Jane Marlow  CEO", PARAGRAPH, MORE], 2, 4)


def test_a_bracketed_job_title_stays_whole_in_the_record(rulebook: Rulebook) -> None:
    """The record's author keeps the closing bracket of a name's bracketed part: tidying the
    value's edges takes a stray bracket, not one that closes the value's own."""
    text = "\n\n".join([HEADLINE, "Jane Marlow (Content Editor)", "March 2, 2026", PARAGRAPH, MORE,
                        PARAGRAPH.replace("Tuesday", "Monday"), "Share this article"]) + "\n"
    assert clean_text(text, rulebook).authors == ["Jane Marlow (Content Editor)"]
