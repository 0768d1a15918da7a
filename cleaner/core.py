"""Which core runs the per-line kernels: the compiled extension `cleaner._core` (Rust, built by
`pip install .`) or, without it, the pure-Python functions it mirrors, which stay the reference.

The kernels are the HTML reader's walk over a page's body and its nesting check
(`cleaner.read.html`), the line shape of the learned finder (`cleaner.find.linefeatures.line_shape`,
its cue columns aside but for the words they look for; its words, stop words and link gaps also score the lines of the
hand-written finder), the word count (`cleaner.lang.words.word_count`), the evaluation of
the tree ensembles every model is (`cleaner.models.trees.TreeEnsemble.decision`), the byte
walk of the language detector (`cleaner.lang.detect`, py3langid's `visit_counts`) and the seams of
glued lines (`cleaner.read.unglue`); their callers read `KERNEL` on every call, so a test can set
it to None to run the reference. The extension holds the Unicode tables of the interpreter it was
built for; built for another Unicode version it would class some characters otherwise than `str`
methods and `re` do here, and is not used. The seams' patterns are the `regex` module's, which
has Unicode tables of its own: the extension holds those of the `regex` it was built with
(`REGEX_VERSION`), and `cleaner.read.unglue` leaves its seams to the reference under another.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any, Protocol


class TreeKernel(Protocol):
    """A tree ensemble compiled from `cleaner.models.trees.TreeEnsemble`'s arrays (src/trees.rs)."""

    def leaf_sums(self, rows: bytes, /) -> bytes: ...


class StopWords(Protocol):
    """A stop-word list made ready for `Kernels.line_shapes` (src/lib.rs)."""


class Literals(Protocol):
    """Lists of words, for the lists of which each text holds a word (src/literals.rs)."""

    def held(self, texts: list[str], /) -> list[int]: ...


class ByteAutomaton(Protocol):
    """py3langid's byte automaton over the model's tables (src/langid.rs)."""

    def visit_counts(self, text: bytes, /) -> tuple[list[int], list[int]]: ...
    def visit_rows(self, text: bytes, table: memoryview, classes: int, /) -> tuple[list[int], bytes]: ...


# A block context of `Kernels.html_walk`: its parent's row (-1 for the top one), node (mem_id),
# tag, class and id names, their `class_tokens` joined by spaces (None: left to the caller), and
# its heading, list, list depth, table, cell, quote, pre and depth. The walk gives None in place
# of the contexts no line sits in, inside or below.
ContextRow = tuple[int, int, str, str, "str | None",
                   tuple[int, str, int, bool, "tuple[int, int, int] | None", bool, bool, int]]
# A line of `Kernels.html_walk`: its context's row, its text cut in pieces (see `_emit` of
# `cleaner.read.htmlwalk`), their characters (at least 1), its link characters, its links.
LineRow = tuple[int, list[str], int, int, list[tuple[str, str]]]


class Kernels(Protocol):
    """What `cleaner._core` offers (see src/lib.rs)."""

    UNICODE_VERSION: str
    REGEX_VERSION: str
    SHAPE_COLUMNS: int

    def word_count(self, text: str, /) -> int: ...

    def line_shapes(
        self, lines: list[str], lowered: list[str], stopwords: Any, /
    ) -> tuple[bytes, list[int], list[int], list[bool], list[int]]:
        """``stopwords``: what the extension's `StopWords` made (Any: a protocol cannot name
        the extension's own class as the one argument it takes)."""

    def html_walk(
        self, markup: str, nodes: list[tuple[int, int]], text_id: int, comment_id: int,
        keep_noscript: bool, root_tag: str, max_depth: int, /,
    ) -> tuple[list[ContextRow | None], list[LineRow]] | None:
        """`cleaner.read.htmlwalk.walk`'s contexts and gathered lines, read from the root's markup."""

    def nesting_depth(self, text: bytes, /) -> int: ...

    def unglue(self, line: str, /) -> list[str] | None:
        """`cleaner.read.unglue.unglue`'s pieces, [] for a line left whole, None when the
        reference must cut it (a lone surrogate)."""

    def split_at_seams(self, text: str, /) -> list[str] | None:
        """`cleaner.read.unglue`'s split at loose seams; None: the reference must split it."""

    def loose_seams(self, text: str, /) -> list[int] | None:
        """`cleaner.read.unglue.loose_seams`; None: the reference must find them."""

    @property
    def StopWords(self) -> Callable[[frozenset[str]], StopWords]:
        """The extension's class, called with a frozenset of stop words."""

    @property
    def TreeKernel(self) -> Callable[[list[int], list[float], list[int], list[float], list[int], int],
                                     TreeKernel]:
        """The extension's class, called to compile an ensemble."""

    @property
    def Literals(self) -> Callable[[list[list[str]]], Literals]:
        """The extension's class, called with the lists of words."""

    @property
    def ByteAutomaton(self) -> Callable[[memoryview, memoryview, memoryview], ByteAutomaton]:
        """The extension's class, called with py3langid's tables."""


def load() -> Kernels | None:
    """The compiled kernels, or None when the extension is missing, built from older sources, or
    built for another Unicode database than this interpreter's."""
    try:
        from cleaner import _core
    except ImportError:
        return None
    kernels: Kernels = _core
    if (not hasattr(kernels, "html_walk") or not hasattr(kernels.ByteAutomaton, "visit_rows")
            or not hasattr(kernels, "unglue") or not hasattr(kernels, "Literals")):
        # built from older sources (without the HTML walk, with an older line_shapes, a byte
        # walk without its rows, without the seams of glued lines or the cues' word lists): rebuild
        return None
    return kernels if unicodedata.unidata_version == kernels.UNICODE_VERSION else None


KERNEL: Kernels | None = load()


def name() -> str:
    """The core in use, as `cleaner --version` reports it: "rust" or "python"."""
    return "python" if KERNEL is None else "rust"
