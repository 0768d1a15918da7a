"""What a rule does to a line it matches: one function per ``action`` of the rule schema.

`ACTIONS` is the registry the interpreter (`cleaner.rules.run`) and the example check
(`cleaner.rules.examples`) look actions up in; the schema's ``action`` enum names the same set (a
test holds them equal). Every action takes the page, the rule, the index of the matching line and
the match, changes the page only through `Page.remove` and `Page.rewrite`, and returns False when
it turned out not to apply (a replacement that changes nothing, a value that is no real date).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from cleaner.document import LIST_FIELDS, RULES_SOURCE
from cleaner.lang.words import PROSE_WORDS, word_count
from cleaner.meta import fields
from cleaner.page import Page
from cleaner.rules.model import Rule

Action = Callable[[Page, Rule, int, Any], bool]

# A rewritten line with none of these characters left is dropped: only punctuation or spaces.
_KEEP_CHARS = str.isalnum

_DIGITS = re.compile(r"\d+")
# A cut needs this many words of prose above its marker: an article for the marker to end.
PROSE_BEFORE_CUT = 2 * PROSE_WORDS
# Below an article's end, comment threads, teaser lists and footers print at least this many
# short lines (names, dates, "Reply", headlines, links) for every line of prose (a crawl
# archive's text glues a comment's name and date to it, so a thread there has fewer than one);
# an article that goes on has fewer (a subheading every few paragraphs).
SHORT_PER_PROSE_AFTER = 0.5
# A marker of one word cuts a thread-shaped tail up to this many times the prose above it.
BARE_LABEL_TAIL = 2.0


def drop(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """The line, and the ``and_next`` live lines after it."""
    page.remove(index, rule.id, rule.action)
    following = (i for i in range(index + 1, len(page.lines)) if page.lines[i].alive)
    for _, i in zip(range(rule.and_next), following, strict=False):
        page.remove(i, rule.id, rule.action)
    return True


def drop_block(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """Every live line of the matching line's block."""
    block = page.lines[index].block
    for i, other in page.live():
        if other.block == block:
            page.remove(i, rule.id, rule.action)
    return True


def drop_copy(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """The line, where a live line below it has the same text: the last copy stays, and a line
    printed once is left alone (False). Pages open with their chrome, so of a text printed twice
    the earlier copy is the teaser, the header's dek or the menu, the later one the article's."""
    text = page.lines[index].text
    if not any(line.alive and line.text == text for line in page.lines[index + 1:]):
        return False
    page.remove(index, rule.id, rule.action)
    return True


def ends_article(page: Page, index: int) -> bool:
    """Whether the line at ``index`` may end the article, for a cut below it: prose stands above
    it (`PROSE_BEFORE_CUT` words), and what follows it is no more article: less prose than
    above, or the shape of a comment thread, a teaser list or a footer (`SHORT_PER_PROSE_AFTER`
    short lines or more for each line of prose), no longer than `BARE_LABEL_TAIL` times the
    prose above for a marker of one word."""
    before = after = 0
    short_after = prose_after = 0
    for i, line in page.live():
        if i == index:
            continue
        words = word_count(line.text)
        prose = words >= PROSE_WORDS
        if i < index:
            before += words if prose else 0
        elif prose:
            after += words
            prose_after += 1
        else:
            short_after += 1
    if before < PROSE_BEFORE_CUT or _card_label(page, index):
        return False
    if after <= before:
        return True
    thread = short_after >= SHORT_PER_PROSE_AFTER * prose_after
    # A bare label ("Comments") says too little to cut a thread much longer than the article:
    # a forum's answers under it are the page.
    bare = word_count(page.lines[index].text) <= 1
    return thread and (not bare or after <= BARE_LABEL_TAIL * before)


def _card_label(page: Page, index: int) -> bool:
    """Whether the marker at ``index`` is a bare label (one word) the page prints again below
    it: a field of every card of a listing ("Comments" under each post's teaser), which ends no
    article; its line goes alone. A copy above it does not count: a "Comments" link over the
    article jumps to the thread that this marker opens."""
    text = page.lines[index].text
    if word_count(text) > 1:
        return False
    return any(line.alive and line.text == text for line in page.lines[index + 1:])


def post_footers(page: Page, indexes: Sequence[int]) -> bool:
    """Whether the marker lines at ``indexes`` (in order) close posts of one page: two or more
    of one text, with prose (`PROSE_BEFORE_CUT` words) above each. A blog's home page prints the comment
    count or form under every post; only the last one ends the page's articles."""
    if len(indexes) < 2:
        return False
    # One marker repeated (its counts aside): "No comments:" under each post. Different markers
    # of one rule ("Comments" above a thread, "Post a comment" below it) close one section.
    kinds = {_DIGITS.sub("#", page.lines[i].text.casefold()) for i in indexes}
    if len(kinds) > 1:
        return False
    bounds = iter(indexes)
    bound = next(bounds, None)
    prose = 0
    for i, line in page.live():
        if bound is None:
            break
        if i == bound:
            if prose < PROSE_BEFORE_CUT:
                return False
            prose, bound = 0, next(bounds, None)
            continue
        words = word_count(line.text)
        prose += words if words >= PROSE_WORDS else 0
    return True


def cut_after(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """The line and everything below it, where the line may end the article (`ends_article`);
    else the line alone: a marker under the headline or inside the article is a label."""
    if not ends_article(page, index):
        page.remove(index, rule.id, "drop")
        return True
    for i in range(index, len(page.lines)):
        page.remove(i, rule.id, rule.action)
    return True


def cut_before(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """The line and everything above it."""
    for i in range(index + 1):
        page.remove(i, rule.id, rule.action)
    return True


def replace(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """The line with the rule's regex replaced by its ``with`` (dropped when nothing is left)."""
    line = page.lines[index]
    assert rule.replacement is not None
    new = rule.patterns[0].sub(rule.replacement, line.text).strip()
    if new == line.text:
        return False
    if any(map(_KEEP_CHARS, new)):
        page.rewrite(index, new, rule.id)
    else:
        page.remove(index, rule.id, rule.action)
    return True


def extract(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """Move the rule's values into the record and take the matched text out of the line."""
    line = page.lines[index]
    values = rule.values(match, line.text)
    doc = page.doc
    normalised: dict[str, Any] = {}
    for name, raw in values.items():
        value = fields.normalise(name, raw, doc.language)
        if value is None:
            return False  # not a real date/credit/...: the line stays as it is
        normalised[name] = value
    if not normalised:
        return False
    for name, value in normalised.items():
        if name in LIST_FIELDS:
            current: list[str] = getattr(doc, name)
            current.extend(v for v in value if v not in current)
            doc.sources.setdefault(name, RULES_SOURCE)
        elif getattr(doc, name) is None:
            setattr(doc, name, value)
            doc.sources[name] = RULES_SOURCE
    start, end = (0, len(line.text)) if match is True or rule.line_scoped else match.span()
    rest = fields.tidy(line.text[:start] + " " + line.text[end:]) if (start, end) != (0, len(line.text)) else ""
    if rest and any(map(_KEEP_CHARS, rest)):
        page.rewrite(index, (line.text[:start].rstrip() + " " + line.text[end:].lstrip()).strip(),
                     rule.id, "extract-part")
    else:
        page.remove(index, rule.id, rule.action)
        page.taken[index] = frozenset(normalised)
    return True


ACTIONS: dict[str, Action] = {
    "drop": drop,
    "drop_block": drop_block,
    "drop_copy": drop_copy,
    "cut_after": cut_after,
    "cut_before": cut_before,
    "replace": replace,
    "extract": extract,
}
# Actions after which the rule stops at its first match that cut: the page has no more below or
# above. (A `cut_after` marker that ends no article removes its own line only, and the rule goes on.)
STOPS_AT_FIRST = frozenset({"cut_after", "cut_before"})


def act(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """Carry out the rule's action on one matching line; False when it turned out not to apply."""
    return ACTIONS[rule.action](page, rule, index, match)
