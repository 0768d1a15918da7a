"""The text reader: a page saved as text (a scraper's output) becomes the page model's lines.

Blank lines separate blocks; a line a scraper glued together from several blocks of a minified
page is cut back into its pieces (`cleaner.read.unglue`), which keep their block.
"""

from __future__ import annotations

from cleaner.page import Line
from cleaner.read.decode import normalise_lines
from cleaner.read.unglue import unglue


def text_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    block = 0
    for raw in normalise_lines(text):
        if not raw:
            block += 1
            continue
        pieces = unglue(raw)
        if len(pieces) == 1:  # nearly every line
            lines.append(Line(pieces[0], block))
        else:
            lines.extend(Line(piece, block) for piece in pieces)
    return lines
