"""Patterns compiled at first use behave as the compiled patterns they stand for."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys

import regex

from cleaner.lazypattern import LazyPattern, lazy_re, lazy_regex


def test_lazy_pattern_compiles_at_first_use_and_matches_as_compiled() -> None:
    calls: list[str] = []

    def compile_counted(source: str, flags: int) -> re.Pattern[str]:
        calls.append(source)
        return re.compile(source, flags)

    lazy = LazyPattern(compile_counted, r"(?P<word>b\w+)", re.IGNORECASE)
    assert lazy.pattern == r"(?P<word>b\w+)" and calls == []  # the source, without compiling
    found = lazy.search("a Big cat")
    assert found is not None and found.group("word") == "Big"
    assert lazy.findall("bat ball") == ["bat", "ball"] and lazy.groupindex == {"word": 1}
    assert lazy.sub("-", "a bee") == "a -"
    assert calls == [r"(?P<word>b\w+)"]  # compiled once


def test_lazy_patterns_pickle_and_keep_their_flags() -> None:
    for pattern in (lazy_re(r"café", re.IGNORECASE), lazy_regex(r"\p{Lu}\p{Ll}+", regex.IGNORECASE)):
        copy = pickle.loads(pickle.dumps(pattern))
        assert copy.pattern == pattern.pattern
        assert bool(copy.search("CAFÉ Paris")) and bool(pattern.search("CAFÉ Paris"))


def test_importing_the_cleaner_compiles_no_lexicon_pattern() -> None:
    # The byline's role words: a long lexicon alternation, needed only on pages with a byline.
    # A fresh process, as this one may have used it already.
    program = ("import cleaner.pipeline; from cleaner.meta import byline; "
               "print('search' in vars(byline._ROLE)); byline._ROLE.search('Jane Doe, Editor'); "
               "print('search' in vars(byline._ROLE))")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]
