"""The byline search's cheap tests and compacted patterns answer as the plain ones did: a quick
test may turn a line away only when the full pattern would have found nothing there."""

from __future__ import annotations

import itertools
import re

import regex

from cleaner.meta import byline_blocks, names


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


def test_poster_places_answer_as_the_whole_page_search() -> None:
    # Pieces a forum page is made of, glued every way: labels alone or with their colon on the
    # next line, '#1' at a line's end, a starter verb before a newline.
    pieces = ["posts", ":", " ", "\n", "admin", "#1", "started by", "thread starter", "x", "online", "\t"]
    whole = re.compile(names._POSTER_PLACES.pattern)
    for size in range(1, 5):
        for parts in itertools.product(pieces, repeat=size):
            page = "".join(parts)
            assert names._has_poster_place(page) == bool(whole.search(page)), page
