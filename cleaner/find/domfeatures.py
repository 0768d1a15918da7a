"""Per-line features from the markup, for the HTML line scorer (`cleaner/find/finder.py`).

An HTML line carries what the markup says of its block (`cleaner.read.html`: its tag, heading
level, list and table membership, link density, the class and id words of the block and its
ancestors, the ancestors' tags and identities). `dom_features` turns those into columns, in the
order of `DOM_FEATURES`, appended to the text features (`linefeatures.FEATURES`):

- the block itself: its link density and links, heading level, tag, depth, list, table, quote,
  ``pre``;
- where it sits: inside ``nav``, ``footer``, ``aside``, ``header``, ``form``, ``article``,
  ``main``... (its ancestors' tags), and whether its class and id words hold a word of each
  family of `markup-tokens.yaml` (navigation, footer, sidebar, share, related, comment,
  promotion, content...), with the share of the page's words that do (a word on the body
  element marks every line, and says nothing);
- structure (readability's idea): the smallest element that holds most of the page's prose
  words, whether the line sits inside it and how far from it, and what the line's parent and
  grandparent hold: how many lines, words, how much of their text is links, how much is prose;
- window means of the link density, the in-root flag and the chrome families over the lines
  around it.

Everything per page is computed with numpy over (ancestor, line) pairs: one pass over the lines
gathers their attributes, no Python loop walks ancestors line by line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from cleaner.cachefiles import yaml_data
from cleaner.lang.words import PROSE_WORDS

FloatArray = npt.NDArray[np.float64]

TOKENS_FILE = Path(__file__).with_name("markup-tokens.yaml")
# Ancestor tags whose presence around a line is a column each.
AROUND = ("nav", "footer", "aside", "header", "form", "article", "main", "section", "li", "table",
          "blockquote", "figure", "figcaption", "pre", "a", "label", "address", "details", "time",
          "strong", "em", "dl", "menu", "button")
# The block tags told apart (`tag_other` for the rest).
BLOCK_TAGS = ("p", "li", "td", "th", "div", "dd", "dt", "pre", "blockquote", "figcaption", "span",
              "section", "article", "a", "caption", "summary", "legend", "address")


@cache
def families() -> dict[str, frozenset[str]]:
    """The class and id word families, from `markup-tokens.yaml`."""
    data = yaml_data(TOKENS_FILE)  # read at import, by every start: kept in the cache folder
    return {name: frozenset(words) for name, words in data["families"].items()}


FAMILIES = tuple(families())
CHROME = ("navigation", "footer", "header", "sidebar", "share", "related", "comment", "promotion")

BLOCK = ("dom_links", "dom_hrefs_log", "dom_heading", "dom_depth", "dom_list_depth", "dom_table",
         "dom_cell_row_log", "dom_cell_col", "dom_quote", "dom_pre", "dom_same_node")
TAGS = (*tuple(f"tag_{tag}" for tag in BLOCK_TAGS), "tag_heading", "tag_other")
INSIDE = tuple(f"in_{tag}" for tag in AROUND)
FAMILY = tuple(f"cls_{name}" for name in FAMILIES) + tuple(f"cls_{name}_page" for name in FAMILIES) + (
    "cls_chrome", "cls_chrome_and_content")
STRUCTURE = ("root_in", "root_below", "root_above", "root_depth", "root_words_share", "root_prose_share",
             "root_lines_share", "parent_lines_log", "parent_words_log", "parent_links", "parent_prose",
             "grand_lines_log", "grand_words_log", "grand_links", "grand_prose", "page_links",
             "depth_from_median")
WINDOW_OF = ("dom_links", "root_in", "cls_chrome", "in_chrome", "dom_heading")
WINDOWS = (2, 5)
WINDOW_MEANS = tuple(f"{name}~{k}" for k in WINDOWS for name in WINDOW_OF)
DOM_FEATURES: tuple[str, ...] = (BLOCK + TAGS + INSIDE + ("in_chrome",) + FAMILY + STRUCTURE
                                 + WINDOW_MEANS)

_COLUMN = {name: j for j, name in enumerate(DOM_FEATURES)}
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "header", "form"})


def _flags(tokens: frozenset[str], memo: dict[frozenset[str], tuple[float, ...]]) -> tuple[float, ...]:
    """Whether ``tokens`` hold a word of each family (lines of one block share their set)."""
    found = memo.get(tokens)
    if found is None:
        found = tuple(float(not tokens.isdisjoint(words)) for words in families().values())
        memo[tokens] = found
    return found


def _inside(tags: frozenset[str], memo: dict[frozenset[str], tuple[bool, ...]]) -> tuple[bool, ...]:
    """Whether ``tags`` hold each of `AROUND`, then whether they hold a chrome tag."""
    found = memo.get(tags)
    if found is None:
        found = (*(tag in tags for tag in AROUND), not _CHROME_TAGS.isdisjoint(tags))
        memo[tags] = found
    return found


def dom_features(attrs: Sequence[Mapping[str, object]], words: FloatArray, stop_share: FloatArray,
                 chars: FloatArray) -> FloatArray:
    """The `DOM_FEATURES` of every line of a page, from the lines' ``attrs`` (as the HTML reader
    gives them) and their word counts, stop-word shares and character counts."""
    n = len(attrs)
    x = np.zeros((n, len(DOM_FEATURES)))
    if n == 0:
        return x
    c = _COLUMN
    rows: Sequence[Mapping[str, Any]] = attrs  # the reader's values, of the types its doc names
    # One pass over the lines for the per-line values (each list made from the rows is a pass).
    cells = [a.get("cell") or (0, -1, -1) for a in rows]
    values = np.array([
        (a.get("links", 0.0), len(a.get("hrefs", ())), a.get("heading", 0), a.get("depth", 0),
         a.get("list_depth", 0), bool(a.get("table")), cell[1], cell[2], bool(a.get("quote")),
         bool(a.get("pre")))
        for a, cell in zip(rows, cells, strict=True)
    ], dtype=np.float64)
    links = values[:, 0]
    x[:, c["dom_links"]] = links
    x[:, c["dom_hrefs_log"]] = np.log1p(values[:, 1])
    heading = values[:, 2]
    x[:, c["dom_heading"]] = heading
    depth = values[:, 3]
    x[:, c["dom_depth"]] = depth
    x[:, c["dom_list_depth"]] = values[:, 4]
    x[:, c["dom_table"]] = values[:, 5]
    x[:, c["dom_cell_row_log"]] = np.log1p(np.maximum(values[:, 6], -0.5))
    x[:, c["dom_cell_col"]] = np.minimum(values[:, 7], 5)
    x[:, c["dom_quote"]] = values[:, 8]
    x[:, c["dom_pre"]] = values[:, 9]
    nodes = np.array([a.get("node", -1 - i) for i, a in enumerate(rows)], dtype=np.int64)
    _, node_of, node_counts = np.unique(nodes, return_inverse=True, return_counts=True)
    x[:, c["dom_same_node"]] = np.log(node_counts[node_of])

    tags = [str(a.get("tag", "")) for a in rows]
    tag_first = c[TAGS[0]]
    index = {tag: j for j, tag in enumerate(BLOCK_TAGS)}
    tag_column = [index.get(tag, len(BLOCK_TAGS) + 1) for tag in tags]
    x[np.arange(n), np.array(tag_column) + tag_first] = 1.0
    x[:, c["tag_heading"]] = heading > 0
    x[heading > 0, c["tag_other"]] = 0.0
    # The `INSIDE` columns and `in_chrome` after them, once for each set of tags (the lines of a
    # block, and blocks side by side, share theirs).
    inside_memo: dict[frozenset[str], tuple[bool, ...]] = {}
    inside = c[INSIDE[0]]
    x[:, inside : inside + len(AROUND) + 1] = [
        _inside(frozenset(a.get("tags", ())), inside_memo) for a in rows]

    memo: dict[frozenset[str], tuple[float, ...]] = {}
    flags = np.array([_flags(frozenset(a.get("tokens", ())), memo) for a in rows])
    first = c[FAMILY[0]]
    x[:, first : first + len(FAMILIES)] = flags
    total_words = max(words.sum(), 1.0)
    x[:, first + len(FAMILIES) : first + 2 * len(FAMILIES)] = (words @ flags) / total_words
    chrome = flags[:, [FAMILIES.index(name) for name in CHROME]].max(axis=1)
    x[:, c["cls_chrome"]] = chrome
    x[:, c["cls_chrome_and_content"]] = chrome * flags[:, FAMILIES.index("content")]

    _structure(x, rows, nodes, depth, words, stop_share, chars, links)
    for k in WINDOWS:
        for name in WINDOW_OF:
            x[:, c[f"{name}~{k}"]] = _window_mean(x[:, c[name]], k)
    return x


def _structure(x: FloatArray, attrs: Sequence[Mapping[str, Any]], nodes: npt.NDArray[np.int64],
               depth: FloatArray, words: FloatArray, stop_share: FloatArray, chars: FloatArray,
               links: FloatArray) -> None:
    """The `STRUCTURE` columns: the element holding most of the prose, and the lines' parents."""
    c = _COLUMN
    n = len(attrs)
    prose = words * ((words >= PROSE_WORDS) & (stop_share >= 0.15) & (links < 0.5))
    link_chars = links * chars
    # Every line's path from the top: its ancestors, then its own block. (ancestor, line, level)
    # pairs for the whole page at once.
    paths = [(*a.get("ancestors", ()), int(node)) for a, node in zip(attrs, nodes, strict=True)]
    lengths = np.fromiter(map(len, paths), np.int64, n)
    ids = np.fromiter(chain.from_iterable(paths), np.int64, int(lengths.sum()))
    line_of = np.repeat(np.arange(n), lengths)
    level = np.arange(len(ids)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    element, inverse = np.unique(ids, return_inverse=True)
    prose_in = np.bincount(inverse, weights=prose[line_of], minlength=len(element))
    total_prose = prose.sum()
    element_level = np.zeros(len(element), dtype=np.int64)
    element_level[inverse] = level
    if total_prose > 0:
        # The elements holding half the prose or more are nested in one another (two that are not
        # would hold more than all of it between them): the deepest is the content root.
        holding = np.flatnonzero(prose_in >= 0.5 * total_prose)
        root = holding[np.argmax(element_level[holding])]
    else:
        root = inverse[0]  # the top: every line is inside it
    root_level = int(element_level[root])
    root_path = np.zeros(len(element), dtype=bool)
    # The root's own ancestors: the elements at smaller levels on the path of any line inside it.
    inside_pair = inverse == root
    inside = np.zeros(n, dtype=bool)
    inside[line_of[inside_pair]] = True
    first_inside = int(np.argmax(inside))
    root_path[inverse[(line_of == first_inside) & (level <= root_level)]] = True
    shared = np.bincount(line_of, weights=root_path[inverse].astype(np.float64), minlength=n)
    x[:, c["root_in"]] = inside
    x[:, c["root_below"]] = np.where(inside, lengths - 1 - root_level, -1.0)
    x[:, c["root_above"]] = np.where(inside, 0.0, root_level + 1 - shared)
    x[:, c["root_depth"]] = root_level
    total_words = max(words.sum(), 1.0)
    x[:, c["root_words_share"]] = words[inside].sum() / total_words
    x[:, c["root_prose_share"]] = prose[inside].sum() / total_prose if total_prose > 0 else 0.0
    x[:, c["root_lines_share"]] = inside.mean()
    # The line's parent and grandparent: what all the lines under them hold.
    lines_in = np.bincount(inverse, minlength=len(element)).astype(np.float64)
    words_in = np.bincount(inverse, weights=words[line_of], minlength=len(element))
    chars_in = np.bincount(inverse, weights=chars[line_of], minlength=len(element))
    links_in = np.bincount(inverse, weights=link_chars[line_of], minlength=len(element))
    ends = np.cumsum(lengths) - 1  # each line's own block, last on its path
    for prefix, back in (("parent", 1), ("grand", 2)):
        at = np.where(lengths > back, ends - back, ends)
        e = inverse[at]
        x[:, c[f"{prefix}_lines_log"]] = np.log(lines_in[e])
        x[:, c[f"{prefix}_words_log"]] = np.log1p(words_in[e])
        x[:, c[f"{prefix}_links"]] = links_in[e] / np.maximum(chars_in[e], 1.0)
        x[:, c[f"{prefix}_prose"]] = prose_in[e] / np.maximum(words_in[e], 1.0)
    x[:, c["page_links"]] = link_chars.sum() / max(chars.sum(), 1.0)
    median = np.median(depth[prose > 0]) if total_prose > 0 else np.median(depth)
    x[:, c["depth_from_median"]] = depth - median


def _window_mean(values: FloatArray, k: int) -> FloatArray:
    """The mean of ``values`` over each line and the ``k`` lines either side of it."""
    n = len(values)
    sums = np.concatenate(([0.0], np.cumsum(values)))
    index = np.arange(n)
    low, high = np.maximum(0, index - k), np.minimum(n, index + k + 1)
    result: FloatArray = (sums[high] - sums[low]) / (high - low)
    return result
