"""Regular expressions compiled at their first use rather than when their module is imported.

Python compiles a pattern with a parser written in Python: the long alternations built from the
lexicon (byline cues, job titles, month names) and the wide Unicode classes take milliseconds
each, about a tenth of a start of `cleaner clean`, and a page uses only some of them (the byline
patterns behind a quick cue search, for example, only on pages with a cue). A `LazyPattern`
stands where the compiled pattern stood and compiles on the first attribute asked of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import regex

# What a compiled pattern offers that the cleaner calls; copied onto the lazy pattern at its
# first use, so that later calls cost the same look-up as on the pattern itself.
_API = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
        "flags", "groups", "groupindex")


class LazyPattern:
    """A pattern (``compile(source, flags)``) compiled when first used. Its ``pattern`` (the
    source) is known without compiling, so other patterns can be built from it."""

    def __init__(self, compile: Callable[[str, int], Any], source: str, flags: int = 0) -> None:
        self._compile = compile
        self._flags = flags
        self.pattern = source

    def __getattr__(self, name: str) -> Any:
        # Only called for a name this object does not hold yet, that is before the first use:
        # compile, then hold the pattern's own methods.
        compiled = self._compile(self.pattern, self._flags)
        for attribute in _API:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyPattern, (self._compile, self.pattern, self._flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


def lazy_re(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, done at the pattern's first use."""
    return cast("re.Pattern[str]", LazyPattern(re.compile, source, flags))


def lazy_regex(source: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(source, flags)`` (the `regex` module: Unicode properties, variable-width
    look-behind), done at the pattern's first use."""
    return cast("regex.Pattern[str]", LazyPattern(regex.compile, source, flags))
