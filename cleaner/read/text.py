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
    raws = normalise_lines(text)
    # A line's block is the number of blank lines above it. Most lines of a scrape are blank
    # (a scraper keeps the blank lines of the markup's layout): they are counted from the
    # places of the others, not visited.
    filled = [number for number, raw in enumerate(raws) if raw]
    for above, number in enumerate(filled):
        block = number - above
        pieces = unglue(raws[number])
        if len(pieces) == 1:  # nearly every line
            lines.append(Line(pieces[0], block))
        else:
            lines.extend(Line(piece, block) for piece in pieces)
    return lines
