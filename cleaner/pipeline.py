"""The cleaning pipeline: ``clean(bytes, rulebook) -> Document``.

Steps: decode the bytes, split into lines, pick the rules that apply to this page, run each rule
over the page in order (site rules first, so they win where they speak), then let the content
finder decide what is left, and assemble the record.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from cleaner.batch.urllist import url_problem
from cleaner.document import EXTRACT_FIELDS, LIST_FIELDS, Document
from cleaner.errors import PageError
from cleaner.find.finder import PROSE_WORDS, find_content
from cleaner.lang.detect import detect as detect_language
from cleaner.lang.detect import required_code
from cleaner.lang.words import word_count
from cleaner.meta import fields, metadata
from cleaner.page import FINDER, HEADLINE, SETTLE, Line, Page
from cleaner.read import read_input
from cleaner.read.compression import DEFAULT_MAX_BYTES
from cleaner.read.text import text_lines
from cleaner.rules.load import Rule, Rulebook, Selection

_KEEP_CHARS = str.isalnum
SETTLE_ROUNDS = 20  # rounds of `settle`; nearly every page needs one, a rare page a cascade of several
# (a long reference list cut a few entries per round took 11)


def clean(data: bytes, rulebook: Rulebook, *, url: str | None = None, source: str | None = None,
          name: str = "", max_bytes: int | None = DEFAULT_MAX_BYTES, language: str | None = None) -> Document:
    """Clean one page given as bytes (any encoding; gzip/bzip2/xz are opened, once).

    ``name`` is the file's name, if it has one (compression suffix included): with the content,
    it tells the input's kind (`cleaner.read`); HTML, WARC/WET and JSON Lines are refused until
    they have readers.

    ``max_bytes`` is the largest page accepted, after decompression: the CLI's ``--max-bytes``,
    with its default and its reasons (PageError). ``None`` accepts the bytes as given whatever
    their size, and still caps what they decompress to at the default, against bombs.
    ``language`` (an ISO 639-1 code) is the page's language when the caller knows it; otherwise
    it is detected from the page's words.
    """
    if language is not None:
        language = required_code(language)  # before the page is read: a bad argument is not a bad page
    page = read_input(data, name, max_bytes)
    if not page.text.strip():
        raise PageError("empty page (no text at all)")
    return clean_text(page.text, rulebook, url=url, source=source, encoding=page.encoding,
                      language=language)


def clean_text(text: str, rulebook: Rulebook, *, url: str | None = None,
               source: str | None = None, encoding: str | None = None,
               language: str | None = None) -> Document:
    """Clean one page given as text (``language``: as for `clean`; ValueError when it is not an
    ISO 639-1 code)."""
    problem = url_problem(url) if url else None
    if problem:
        raise PageError(f"url: {problem}")
    if language is not None:
        language = required_code(language)
    doc = Document(source=source, url=url, encoding=encoding)
    page = Page(text_lines(text), doc)
    doc.language = language or detect_language(text)
    selection = rulebook.select((ln.text for ln in page.lines), url)
    run_rules(page, selection)
    find_main(page)
    run_rules(page, selection, after_finder=True)
    settle(page, rulebook, url, language)
    doc.site = doc.site or selection.site or (_host(url) if url else None)
    doc.text = page.text()
    return doc


def settle(page: Page, rulebook: Rulebook, url: str | None, language: str | None = None) -> None:
    """Make the output its own fixed point: cleaning it again must change nothing.

    Some steps judge a line by where it sits (rules with ``where``, the finder, the headline
    pick), and the first pass moves every line. So the output is run through the rules and the
    finder once more, exactly as a second `clean` would see it (one line per block, language
    detected on the output), and what that pass still removes or rewrites is applied here.
    Metadata found on the full page stays; only the text moves. A ``language`` given by the
    caller holds for the output too, as it would for a second `clean` with it.
    """
    for _ in range(SETTLE_ROUNDS):
        live = [i for i, _ in page.live()]
        if not live:
            return
        text = page.text()
        probe = Document(language=language or detect_language(text), url=url)
        again = Page([Line(page.lines[i].text, n) for n, i in enumerate(live)], probe)
        selection = rulebook.select((ln.text for ln in again.lines), url)
        run_rules(again, selection)
        find_main(again, record=False)
        run_rules(again, selection, after_finder=True)
        if again.text() == text:
            return
        # What the probe changed, applied to the page through the same calls, so the trace and
        # the counts say which rule or step the settling pass followed.
        for change in again.trace:
            i = live[change.line]
            if change.removes:
                page.remove(i, change.by, change.action, stage=SETTLE, score=change.score)
            elif again.lines[change.line].alive:
                page.rewrite(i, again.lines[change.line].text, change.by, change.action, stage=SETTLE)
            else:  # rewritten, then removed by a later change: named as the probe named it
                page.doc.removed[change.by] += 0


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def find_main(page: Page, *, record: bool = True) -> None:
    """Drop what the content finder says is not the article (counted as ``finder/outside``),
    and look for a headline and a date around the article's start when no rule found them.
    ``record=False`` (the settling pass) looks only for what changes the text: the
    headline, and only when its copies would leave the text."""
    live = [i for i, _ in page.live()]
    texts = [page.lines[i].text for i in live]
    verdict = find_content(texts, page.doc.language)
    keep = verdict.keep
    taken = taken_lines(page, live)
    doc = page.doc
    found: int | None = None
    title = ""
    # Templates print the headline two or three times; it belongs in the record, not the body.
    # Only on a page that had something cut above the region, by the rules or the finder: a clean
    # article (or this function's own output) keeps its text as it is.
    cut_above = verdict.start < len(texts) and (live[verdict.start] > verdict.start
                                                or not all(keep[:verdict.start]))
    if doc.title is None and verdict.start < len(texts) and (record or cut_above):
        headline = metadata.find_title(texts, verdict.start, doc.language, doc.url, taken=taken)
        if headline is not None:
            found, title = headline
            doc.title = fields.normalise(  # type: ignore[assignment]
                "title", metadata.tidy_title(title, doc.url), doc.language)
            if cut_above and _tops_article(texts, keep, verdict.start, found):
                # The article starts at its headline: the short lines kept above it are the
                # template's (a menu item, a section label) and leave with the headline's copies.
                for j in range(found):
                    if keep[j] and word_count(texts[j]) < PROSE_WORDS:
                        keep[j] = False
                copies = [j for j, text in enumerate(texts) if text == title and keep[j]]
                for j in copies:
                    keep[j] = False
                    page.remove(live[j], "finder/title", stage=HEADLINE)
    if record and doc.date is None:
        doc.date = metadata.url_date(doc.url)  # sites that put the day in the URL put it right
    if record and doc.date is None and verdict.start < len(texts):
        doc.date = metadata.find_date(texts, verdict.start, verdict.end, doc.language, found)
    if record and doc.date is None:
        doc.date = doc.updated  # a page that gives only when it was updated is dated by that
    if record and not doc.authors and verdict.start < len(texts):
        names = metadata.find_authors(texts, verdict.start, verdict.end, doc.language, found, title, taken)
        doc.authors = fields.split_authors(names) or [] if names else []
    scores = verdict.scores
    for n, (i, kept) in enumerate(zip(live, keep, strict=True)):
        if not kept:
            page.remove(i, "finder/outside", stage=FINDER, score=scores[n] if scores else None)


def _tops_article(texts: Sequence[str], keep: Sequence[bool], start: int, headline: int) -> bool:
    """Whether the headline heads the article: it is at or above the region's start, or only
    short lines (no sentence of `finder.PROSE_WORDS` words) are kept between the start and it.
    A heading below the first paragraph is a subheading and stays in the body."""
    return all(word_count(texts[j]) < PROSE_WORDS for j in range(start, headline) if keep[j])


def run_rules(page: Page, selection: Selection, *, after_finder: bool = False) -> None:
    """Apply the selected rules that run before the content finder, or (``after_finder``) those
    that run after it on the lines it kept."""
    chosen = [(number, rule) for number, rule in enumerate(selection.rules) if rule.after_finder == after_finder]
    if not chosen:
        return
    # The prefilter reads the lines once, as they are before any rule runs.
    before = [line.text for line in page.lines]
    candidates = selection.prefilter.candidates(before)
    every = range(len(page.lines))
    for number, rule in chosen:
        if number in selection.prefiltered:
            indexes = candidates.get(number, [])
            if number in selection.loose:
                # The prefilter holds a rule RE2 runs to the lines as they were before the rules
                # ran; a rule on the slow engine reads every line as it is now, so it also gets
                # the lines earlier rules rewrote.
                rewritten = [i for i, line in enumerate(page.lines) if line.text != before[i]]
                if rewritten:
                    indexes = sorted({*indexes, *rewritten})
            if indexes:
                apply_rule(page, rule, indexes)
        elif every:
            apply_rule(page, rule, every)


def _positions(page: Page, rule: Rule) -> set[int] | None:
    """Line indexes allowed by the rule's ``where``; every condition given must hold."""
    if rule.first is None and rule.last is None and rule.below is None:
        return None
    alive = [i for i, _ in page.live()]
    allowed = set(alive)
    if rule.first is not None:
        allowed &= set(alive[: rule.first])
    if rule.last is not None:
        allowed &= set(alive[-rule.last :])
    if rule.below is not None:
        words = [word_count(page.lines[i].text) for i in alive]
        threshold, seen, below = rule.below * sum(words), 0, set()
        for i, count in zip(alive, words, strict=True):
            if seen >= threshold:
                below.add(i)
            seen += count
        allowed &= below
    return allowed


def apply_rule(page: Page, rule: Rule, indexes: Sequence[int]) -> None:
    matches: Iterable[tuple[int, Any]] = _matches(page, rule, indexes)
    if rule.at_least is not None or rule.at_most is not None:
        # The rule acts only when enough lines of the page match it, and not too many.
        matches = list(matches)
        too_few = rule.at_least is not None and len(matches) < rule.at_least
        too_many = rule.at_most is not None and len(matches) > rule.at_most
        if too_few or too_many:
            return
    for index, match in matches:
        if page.lines[index].alive and act(page, rule, index, match) and rule.action in ("cut_after", "cut_before"):
            return


def _matches(page: Page, rule: Rule, indexes: Sequence[int]) -> Iterator[tuple[int, Any]]:
    """The lines among ``indexes`` that the rule matches where it applies, with the match, read
    lazily: a line that an earlier action removed is not matched."""
    allowed = _positions(page, rule)
    counts: Counter[str] | None = None
    if rule.repeated is not None:
        counts = Counter(ln.text for _, ln in page.live())
    for index in indexes:
        line = page.lines[index]
        if not line.alive or (allowed is not None and index not in allowed):
            continue
        if counts is not None and counts[line.text] < (rule.repeated or 0):
            continue
        match = rule.find(line.text)
        if match is not None:
            yield index, match


def act(page: Page, rule: Rule, index: int, match: Any) -> bool:
    """Carry out the rule's action on one matching line; False when it turned out not to apply."""
    line = page.lines[index]
    action = rule.action
    if action == "drop":
        page.remove(index, rule.id, rule.action)
        following = (i for i in range(index + 1, len(page.lines)) if page.lines[i].alive)
        for _, i in zip(range(rule.and_next), following, strict=False):
            page.remove(i, rule.id, rule.action)
    elif action == "drop_block":
        for i, other in page.live():
            if other.block == line.block:
                page.remove(i, rule.id, rule.action)
    elif action == "cut_after":
        for i in range(index, len(page.lines)):
            page.remove(i, rule.id, rule.action)
    elif action == "cut_before":
        for i in range(index + 1):
            page.remove(i, rule.id, rule.action)
    elif action == "replace":
        assert rule.replacement is not None
        new = rule.patterns[0].sub(rule.replacement, line.text).strip()
        if new == line.text:
            return False
        _rewrite(page, index, new, rule)
    elif action == "extract":
        return extract(page, rule, index, match)
    return True


def _rewrite(page: Page, index: int, new: str, rule: Rule) -> None:
    if any(map(_KEEP_CHARS, new)):
        page.rewrite(index, new, rule.id)
    else:
        page.remove(index, rule.id, rule.action)


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
        elif getattr(doc, name) is None:
            setattr(doc, name, value)
    start, end = (0, len(line.text)) if match is True or rule.line_scoped else match.span()
    rest = fields.tidy(line.text[:start] + " " + line.text[end:]) if (start, end) != (0, len(line.text)) else ""
    if rest and any(map(_KEEP_CHARS, rest)):
        page.rewrite(index, (line.text[:start].rstrip() + " " + line.text[end:].lstrip()).strip(),
                     rule.id, "extract-part")
    else:
        page.remove(index, rule.id, rule.action)
        page.taken[index] = frozenset(normalised)
    return True


def taken_lines(page: Page, live: Sequence[int]) -> metadata.Taken:
    """Where the rules took a dateline or a byline out into the record, as the headline search
    reads it: the places, among the ``live`` lines (indexes into ``page.lines``, in order),
    of the lines right above each such line."""
    dates: set[int] = set()
    bylines: set[int] = set()
    for index, names in page.taken.items():
        above = bisect.bisect_left(live, index) - 1
        if above >= 0:
            if "date" in names:
                dates.add(above)
            if "authors" in names:
                bylines.add(above)
    return metadata.Taken(frozenset(dates), frozenset(bylines))


def check_examples(rule: Rule) -> list[tuple[str, list[str | int]]]:
    """Run a rule's examples; each failure is (message, path inside ``examples``)."""
    failures: list[tuple[str, list[str | int]]] = []

    def run(text: str) -> tuple[Page, bool]:
        page = Page([Line(text, 0)], Document(language=detect_language(text)))
        match = rule.find(text)
        fired = match is not None and act(page, rule, 0, match)
        return page, fired

    for i, text in enumerate(rule.examples.get("drop", [])):
        page, fired = run(text)
        if not fired or page.lines[0].alive:
            failures.append((f"example {text!r} should be dropped but the rule does not remove it",
                             ["drop", i]))
    for i, text in enumerate(rule.examples.get("keep", [])):
        page, fired = run(text)
        if fired:
            failures.append((f"example {text!r} should be kept but the rule fires on it", ["keep", i]))
    for i, case in enumerate(rule.examples.get("extract", [])):
        page, fired = run(case["line"])
        got = [str(v) for f in EXTRACT_FIELDS
               for v in _as_list(getattr(page.doc, f))]
        if not fired or case["value"] not in got:
            failures.append((f"example {case['line']!r} should extract {case['value']!r}, got {got}",
                             ["extract", i]))
            continue
        rest = page.lines[0].text if page.lines[0].alive else ""
        if rest != case.get("rest", ""):
            failures.append((f"example {case['line']!r} should leave {case.get('rest', '')!r} "
                             f"in the text, left {rest!r}", ["extract", i]))
    for i, case in enumerate(rule.examples.get("replace", [])):
        page, _ = run(case["line"])
        result = page.lines[0].text if page.lines[0].alive else ""
        if result != case["result"]:
            failures.append((f"example {case['line']!r} should become {case['result']!r}, "
                             f"became {result!r}", ["replace", i]))
    return failures


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
