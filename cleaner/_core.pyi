# Types of the compiled extension (src/lib.rs); cleaner/core.py decides whether it runs.
UNICODE_VERSION: str
REGEX_VERSION: str
SHAPE_COLUMNS: int

def word_count(text: str, /) -> int: ...
def line_shapes(
    lines: list[str], lowered: list[str], stopwords: StopWords, /
) -> tuple[bytes, list[int], list[int], list[bool], list[int]]: ...

def html_walk(
    markup: str,
    nodes: list[tuple[int, int]],
    text_id: int,
    comment_id: int,
    keep_noscript: bool,
    root_tag: str,
    max_depth: int,
    /,
) -> (
    tuple[
        list[
            tuple[
                int,
                int,
                str,
                str,
                str | None,
                tuple[int, str, int, bool, tuple[int, int, int] | None, bool, bool, int],
            ]
            | None
        ],
        list[tuple[int, list[str], int, int, list[tuple[str, str]]]],
    ]
    | None
): ...
def nesting_depth(text: bytes, /) -> int: ...
def unglue(line: str, /) -> list[str] | None: ...
def split_at_seams(text: str, /) -> list[str] | None: ...
def loose_seams(text: str, /) -> list[int] | None: ...

class StopWords:
    def __init__(self, stopwords: frozenset[str], /) -> None: ...

class TreeKernel:
    def __init__(
        self,
        feature: list[int],
        threshold: list[float],
        children: list[int],
        value: list[float],
        roots: list[int],
        columns: int,
        /,
    ) -> None: ...
    def leaf_sums(self, rows: bytes, /) -> bytes: ...

class ByteAutomaton:
    def __init__(self, nextmove: memoryview, row: memoryview, output: memoryview, /) -> None: ...
    def visit_counts(self, text: bytes, /) -> tuple[list[int], list[int]]: ...
    def visit_rows(self, text: bytes, table: memoryview, classes: int, /) -> tuple[list[int], bytes]: ...

class Literals:
    def __init__(self, lists: list[list[str]], /) -> None: ...
    def held(self, texts: list[str], /) -> list[int]: ...
