"""The byline search's cheap tests and compacted patterns answer as the plain ones did: a quick
test may turn a line away only when the full pattern would have found nothing there."""

from __future__ import annotations

import itertools
import re
from unittest.mock import patch

import pytest
import regex

from cleaner import core
from cleaner.lang import lexicon
from cleaner.meta import byline, byline_blocks, names
from cleaner.meta.date import date_pattern


def test_word_tree_matches_the_words_and_nothing_else() -> None:
    words = ["editor", "editors", "edit", "ceo", "chef", "co-founder", "über"]
    tree = regex.compile(rf"(?i)^{names.word_tree(words)}$")
    for word in words:
        assert tree.match(word) and tree.match(word.upper())
    for other in ("", "e", "edi", "editorial", "co", "cfounder", "uber", "ceos"):
        assert not tree.match(other)


def test_role_pattern_keeps_its_words() -> None:
    assert byline_blocks.ROLE.search("Jane Doe, Senior Editors")
    assert byline_blocks.ROLE.search("CO-FOUNDER")
    assert not byline_blocks.ROLE.search("Editorial board")


@pytest.mark.parametrize("compiled", [True, False])
def test_poster_places_answer_as_the_whole_page_search(compiled: bool) -> None:
    if not compiled:  # the words found by a search of the page each, as without the compiled core
        with patch.object(core, "KERNEL", None):
            test_poster_places_answer_as_the_whole_page_search(True)
        return
    # Pieces a forum page is made of, glued every way: labels alone or with their colon on the
    # next line, '#1' at a line's end, a starter verb before a newline.
    pieces = ["posts", ":", " ", "\n", "admin", "#1", "started by", "thread starter", "x", "online", "\t"]
    whole = re.compile(names._POSTER_PLACES.pattern)
    # A label of one character alone on the line after a word's: the part of the page searched
    # around the word must not end right after it, where '$' would hold when it does not.
    with_one_char_label = re.compile(whole.pattern + "|^(?:z)$", re.M)
    for page in ("posts x\nz2", "online x\n\nzz", "posts x\nz"):
        with patch.object(names, "_POSTER_PLACES", with_one_char_label):
            assert names._has_poster_place(page) == bool(with_one_char_label.search(page)), page
    # A lone surrogate, which the compiled core cannot read: the lines around it are searched still.
    for page in ("x\ud800 posts\n:", "\ud800\nstarted by x", "#1 \ud800", "posts\ud800\n:", "\ud800 x\n"):
        assert names._has_poster_place(page) == bool(whole.search(page)), page
    for size in range(1, 5):
        for parts in itertools.product(pieces, repeat=size):
            page = "".join(parts)
            assert names._has_poster_place(page) == bool(whole.search(page)), page


# Every character Unicode has (but the surrogates, which no text decoded from bytes holds), for
# the quick tests that must let through every character the pattern they guard takes.
_EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def _taken(pattern: str) -> list[str]:
    """The characters `regex` (the engine of the guarded patterns) takes for ``pattern``."""
    return [m.group() for m in regex.finditer(pattern, _EVERY_CHARACTER)]


@pytest.mark.parametrize("words", [
    (*byline._CUE_WORDS, *byline._BY_VERBS),
    ("article", "story", "recipe", "edited", *byline._BY_VERBS, *byline._CUES),
    # first letters whose case folding is no one letter, or that a case-insensitive pattern
    # takes for another letter: 'ß' and 'ẞ', 'İ', the long s, the Kelvin sign
    ("ßa", "İb", "ſc", "kd", "ǅe"),
])
def test_a_line_opening_with_a_cue_passes_the_first_letter_test(words: tuple[str, ...]) -> None:
    letters = names.first_letters(words)
    firsts = "".join(regex.escape(word[0]) for word in words)
    opening = _taken(rf"(?i)[{firsts}]")
    assert len(opening) >= len(words)
    assert not [c for c in opening if not letters.match(c + "x")]
    assert not letters.match("x") and not letters.match(" " + words[0])


def test_no_character_of_a_name_is_taken_for_one_no_name_holds() -> None:
    assert not [c for c in _taken(r"[\p{L}\s]") if byline_blocks.NOT_NAME.search(c)]
    # the lexicon's words that stand between a name's words
    for word in (*names.PARTICLES.split("|"), *names.CONJUNCTIONS):
        assert not byline_blocks.NOT_NAME.search(word.replace("\\", "")), word
    assert byline._bare_name("Jane Doe") and byline._bare_name("Ꟍalia Doe")  # (a letter since Unicode 16)
    assert byline._bare_name("Jane Doe 3") is None


def test_the_gap_and_digit_marks_see_what_the_gap_and_reading_time_patterns_take() -> None:
    assert not [c for c in _taken(r"\s") if not byline_blocks._GAP_MARK.search(c * 3)]
    assert not [c for c in _taken(r"\d") if not byline_blocks._DIGIT.search(c)]
    dates = date_pattern("en")
    assert byline_blocks._block_partner("\U0001e4f5 min read", dates)  # a digit since Unicode 15


def test_every_job_title_glued_to_a_name_is_cut_off() -> None:
    # `_GLUED_AFTER_NAME` asks for a capital before the words it looks ahead for: a job title
    # that did not open with one would never be found.
    for title in (*lexicon.words("job-titles"), *lexicon.words("job-title-qualifiers")):
        seam = byline._GLUED_AFTER_NAME.search(f"Jane Doe{title} x")
        assert seam is not None and seam.start() == len("Jane Doe"), title


def test_a_card_label_line_is_no_longer_than_its_label() -> None:
    # `first_card` skips lines longer than any status or presence label: true while the labels
    # match a line character for character (simple case folding; full folding matches 'ß' to 'ss').
    for pattern in (names._CARD_LABEL, names._STATUS, names._PRESENCE):
        assert not pattern.flags & regex.FULLCASE
    for label in lexicon.words("member-card-labels"):
        assert names._STATUS.match(label.upper()) and not names._STATUS.match(label + "s")
    status = lexicon.words("member-card-labels")[0]
    assert names.first_card(["jane_doe", f"  {status.upper()}  "]) == "jane_doe"


@pytest.mark.parametrize("lines", [
    ["Jane Doe", "Jane Doe is a reporter", "Jane Does", "Jane Doe-Roe", "x Jane Doe", "Jane Doe  Editor", "Jane Doe"],
    ["Jane Doe\nJane Doe", "Jane Doe", ""],  # a line holding a newline of its own
    [],
])
def test_line_openings_answer_as_each_line_read(lines: list[str]) -> None:
    openings = byline_blocks.LineOpenings(lines)
    for names_ in ("Jane Doe", "Jane", "Doe", "Jane Doe\nJane", "J"):
        size = len(names_)
        assert openings.of(names_) == {j for j, line in enumerate(lines) if line.startswith(names_)
                                        and (len(line) == size or not line[size].isalnum())}
