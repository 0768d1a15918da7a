"""The cleaning pipeline: ``clean(bytes, rulebook) -> Document``.

A page is read (`cleaner.read`: the bytes become the page model's lines), its language is
detected, and it goes through `STAGES` in order: the rules that apply to it (site rules first,
so they win where they speak), the content finder (with the headline, date and byline around
the article), and the rules that run on what the finder kept. The settling pass then runs the
same stages on the output until cleaning it again would change nothing, and the record is
assembled.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cleaner.document import RULES_SOURCE, URL_SOURCE, Document
from cleaner.errors import PageError
from cleaner.find.finder import PROSE_STOPWORDS, find_content
from cleaner.find.linefeatures import words_of
from cleaner.lang.detect import detect as detect_language
from cleaner.lang.detect import required_code, stopwords_of
from cleaner.lang.words import PROSE_WORDS, word_count
from cleaner.meta import fields
from cleaner.meta.byline import find_authors
from cleaner.meta.date import find_date, url_date
from cleaner.meta.headline import Taken, find_title
from cleaner.meta.headline_text import tidy_title
from cleaner.page import FINDER, HEADLINE, SETTLE, Change, Line, Page
from cleaner.read import read_input
from cleaner.read.compression import DEFAULT_MAX_BYTES
from cleaner.read.text import text_lines
from cleaner.read.url import url_problem
from cleaner.rules import markup
from cleaner.rules.rulebook import Rulebook, Selection
from cleaner.rules.run import run_rules
from cleaner.write.markdown import kept_blocks

if TYPE_CHECKING:
    from cleaner.meta.markup import MarkupMeta

SETTLE_ROUNDS = 20  # rounds of `settle`; nearly every page needs one, a rare page a cascade of several
# (a long reference list cut a few entries per round took 11)


@dataclass
class Pass:
    """One pass of the stages over a page: the page, the rules that apply to it, and whether
    the pass fills the record (a page's first pass) or only moves its text (the settling pass)."""

    page: Page
    selection: Selection
    record: bool = True
    # The main region the finder chose: the first and the last of its lines (indexes into
    # ``page.lines``), None before the finder ran or when it found none.
    region: tuple[int, int] | None = None


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Pass], None]


def _html_rules(run: Pass) -> None:
    markup.run_parts(run.page, ((s.name, s.html) for s in run.selection.sets if s.html is not None))


def _rules_before_finder(run: Pass) -> None:
    run_rules(run.page, run.selection)


def _finder(run: Pass) -> None:
    run.region = find_main(run.page, record=run.record)


def _rules_after_finder(run: Pass) -> None:
    run_rules(run.page, run.selection, after_finder=True)


# The stages a page goes through once it is read, in order. `clean`, the settling pass and the
# trainers in bench/ all run this list (`run_stages`), so they cannot drift apart.
STAGES: tuple[Stage, ...] = (
    Stage("html-rules", _html_rules),  # the selected sets' `html:` selectors (HTML input only)
    Stage("rules", _rules_before_finder),  # the selected rules that run before the finder
    Stage("finder", _finder),  # the content finder; the headline, date and byline around it
    Stage("rules-after-finder", _rules_after_finder),  # rules marked `after_finder`, on what it kept
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)


def run_stages(page: Page, rulebook: Rulebook, url: str | None, *, record: bool = True,
               until: str | None = None) -> Pass:
    """Run the stages over ``page`` (its ``doc.language`` set), with the rules that apply to it;
    ``until`` stops before the stage of that name (the trainers see what the finder sees). The
    pass it returns holds the rules selected and the main region the finder chose."""
    if until is not None and until not in STAGE_NAMES:
        raise ValueError(f"no stage {until!r}; the stages are {', '.join(STAGE_NAMES)}")
    selection = rulebook.select((ln.text for ln in page.lines), url)
    state = Pass(page, selection, record)
    for stage in STAGES:
        if stage.name == until:
            break
        stage.run(state)
    return state


def prepare_page(text: str, *, url: str | None = None, source: str | None = None,
              encoding: str | None = None, language: str | None = None,
              lines: list[Line] | None = None) -> Page:
    """A page ready for the stages: its lines (the reader's ``lines``, else the text reader's)
    and a record with the page's language, the one given or the one its words show."""
    doc = Document(source=source, url=url, encoding=encoding)
    page = Page(text_lines(text) if lines is None else lines, doc)
    doc.language = language or detect_language(text)
    return page


def clean(data: bytes, rulebook: Rulebook, *, url: str | None = None, source: str | None = None,
          name: str = "", max_bytes: int | None = DEFAULT_MAX_BYTES, language: str | None = None,
          charset: str | None = None) -> Document:
    """Clean one page given as bytes (any encoding; gzip/bzip2/xz are opened, once).

    ``name`` is the file's name, if it has one (compression suffix included): with the content,
    it tells the input's kind (`cleaner.read`): text or HTML; WARC/WET and JSON Lines are
    refused until they have readers. An HTML page that shows no text gives an empty text.

    ``max_bytes`` is the largest page accepted, after decompression: the CLI's ``--max-bytes``,
    with its default and its reasons (PageError). ``None`` accepts the bytes as given whatever
    their size, and still caps what they decompress to at the default, against bombs.
    ``language`` (an ISO 639-1 code) is the page's language when the caller knows it; otherwise
    it is detected from the page's words. ``charset`` is the one the page came with, if any (an
    HTTP ``Content-Type``'s), tried before the page's own declaration (`cleaner.read.decode`).
    """
    if language is not None:
        language = required_code(language)  # before the page is read: a bad argument is not a bad page
    return _clean_input(data, name, max_bytes, rulebook, url=url, source=source, language=language,
                        charset=charset)[0]


def clean_text(text: str, rulebook: Rulebook, *, url: str | None = None,
               source: str | None = None, encoding: str | None = None,
               language: str | None = None) -> Document:
    """Clean one page given as text (``language``: as for `clean`; ValueError when it is not an
    ISO 639-1 code)."""
    if language is not None:
        language = required_code(language)
    return _clean(text, rulebook, url=url, source=source, encoding=encoding, language=language)[0]


def explain(data: bytes, rulebook: Rulebook, *, url: str | None = None, source: str | None = None,
            name: str = "", max_bytes: int | None = DEFAULT_MAX_BYTES,
            language: str | None = None) -> tuple[Document, Page]:
    """`clean`, and the page it cleaned: every line with the trace of what took or changed it
    (what ``cleaner explain`` shows)."""
    if language is not None:
        language = required_code(language)
    return _clean_input(data, name, max_bytes, rulebook, url=url, source=source, language=language)


def _clean_input(data: bytes, name: str, max_bytes: int | None, rulebook: Rulebook, *,
                 url: str | None, source: str | None, language: str | None,
                 charset: str | None = None) -> tuple[Document, Page]:
    read = read_input(data, name, max_bytes, charset)
    if not read.text.strip():
        raise PageError("empty page (no text at all)")
    # The markup's metadata is read before the lines: reading them takes out what never shows.
    meta = None
    if read.tree is not None:
        # The markup's metadata readers load with the first HTML page: text runs do without.
        from cleaner.meta.markup import markup_metadata

        meta = markup_metadata(read.tree, url)
    lines = read.lines()
    # The language is told from what the page says: for HTML, its lines' text, not its markup.
    text = read.text if read.tree is None else "\n".join(line.text for line in lines)
    # An HTML page that shows no text (a shell its scripts fill) is not an error: its record
    # still says what the markup does, and its text is empty, as a browser without scripts shows.
    return _clean(text, rulebook, url=url, source=source, encoding=read.encoding,
                  language=language, lines=lines, tree=read.tree, meta=meta)


def _clean(text: str, rulebook: Rulebook, *, url: str | None, source: str | None,
           encoding: str | None, language: str | None,
           lines: list[Line] | None = None, tree: object = None,
           meta: MarkupMeta | None = None) -> tuple[Document, Page]:
    problem = url_problem(url) if url else None
    if problem:
        raise PageError(f"url: {problem}")
    page = prepare_page(text, url=url, source=source, encoding=encoding, language=language, lines=lines)
    page.tree = tree
    if meta is not None:
        # The text's rules and models fill only what it leaves; a date it does not confirm waits.
        from cleaner.meta.markup import fill_record

        page.markup_date = fill_record(page.doc, meta, [line.text for line in page.lines])
    first = run_stages(page, rulebook, url)
    selection = first.selection
    if tree is None:
        # Text: the output must be its own fixed point. HTML is read with its markup, which its
        # text output no longer has: cleaning that text again is cleaning another page, and
        # settling an HTML page by it cost 0.02 word F1 on the corpus (docs/finder.md).
        settle(page, rulebook, url, language, region=first.region)
    doc = page.doc
    if not doc.site:
        doc.site = selection.site or (_host(url) if url else None)
        if doc.site:
            doc.sources["site"] = RULES_SOURCE if selection.site else URL_SOURCE
    doc.text = page.text()
    doc.blocks = kept_blocks(page)
    return doc, page


def settle(page: Page, rulebook: Rulebook, url: str | None, language: str | None = None, *,
           region: tuple[int, int] | None = None) -> None:
    """Make the output its own fixed point: cleaning it again must change nothing.

    Some steps judge a line by where it sits (rules with ``where``, the finder, the headline
    pick), and the first pass moves every line. So the output is run through the stages once
    more, exactly as a second `clean` would see it (one line per block, language detected on
    the output), and what that pass still removes or rewrites is applied here. Metadata found
    on the full page stays; only the text moves. A ``language`` given by the caller holds for
    the output too, as it would for a second `clean` with it.

    ``region`` is the main region the first pass's finder chose (`Pass.region`): no settling
    round's finder removes half the words the first pass kept from its first line of prose to
    its last (the main region and the runs the learned finder kept beside it), in one round or
    over several, since what cleaning the output again reads as chrome there (the whole article
    beside its comments, a long table, a listing taken a few lines a round, the table under an
    intro when the hand-written region was the notes below it) is what the first pass, which
    saw the whole page, chose as the article. Smaller
    removals still settle (a caption, a teaser the first pass kept beside the prose). Such a
    page is then not quite its own fixed point; losing the article would be worse.
    """
    protected, region_words = _inside(page, region)
    for _ in range(SETTLE_ROUNDS):
        live = page.live_indexes()
        if not live:
            return
        text = page.text()
        probe = Document(language=language or detect_language(text), url=url)
        again = Page([Line(page.lines[i].text, n) for n, i in enumerate(live)], probe)
        run_stages(again, rulebook, url, record=False)
        if again.text() == text:
            return
        # What the probe changed, applied to the page through the same calls, so the trace and
        # the counts say which rule or step the settling pass followed.
        moved = False
        held = _held(page, protected, region_words,
                     {live[c.line] for c in again.trace if c.removes and _wholesale(c)})
        for change in again.trace:
            i = live[change.line]
            if change.removes and i in held and _wholesale(change):
                continue
            moved = True
            if change.removes:
                if i in protected and not _wholesale(change):
                    # A rule's removal (a comment section cut at its heading) is no finder taking
                    # the region: the hold then bounds the finder by what is left of the region.
                    protected.discard(i)
                    region_words -= word_count(page.lines[i].text)
                page.remove(i, change.by, change.action, stage=SETTLE, score=change.score)
            elif again.lines[change.line].alive:
                page.rewrite(i, again.lines[change.line].text, change.by, change.action, stage=SETTLE)
            else:  # rewritten, then removed by a later change: named as the probe named it
                page.doc.removed[change.by] += 0
        if not moved:
            return  # the probe would only take the main region: nothing more to settle


def _inside(page: Page, region: tuple[int, int] | None) -> tuple[set[int], int]:
    """The live lines from the first line of prose the first pass kept to its last, and their
    words, when the finder chose a main ``region``. Not only the region's: the learned finder
    keeps runs the hand-written region missed (a table under the intro, while the hand-written
    finder took the notes below it for the article), and a settling round, which sees only the
    output, reads those runs as chrome."""
    if region is None:
        return set(), 0
    words = {i: word_count(page.lines[i].text) for i in page.live_indexes()}
    stopwords = stopwords_of(page.doc.language)
    # Inside the region, a long line is prose as the first pass read it; beside it, where the
    # learned finder keeps runs, only a line that reads as prose bounds what is held.
    prose = [i for i, count in words.items()
             if count >= PROSE_WORDS and (region[0] <= i <= region[1] or _prose(page.lines[i].text, stopwords))]
    if not prose:
        return set(), 0
    inside = {i for i in words if prose[0] <= i <= prose[-1]}
    return inside, sum(words[i] for i in inside)


def _prose(text: str, stopwords: frozenset[str]) -> bool:
    """Whether a line reads as prose as the finder scores lines (`cleaner.find.finder`):
    `PROSE_WORDS` words or more, `PROSE_STOPWORDS` of them stop words when the language has a
    list of its own, and no link gaps. A footer's links glued into one line have the words
    but hardly a stop word: such a line bounds no article."""
    count, stops, _, gaps, _ = words_of(text, stopwords)
    return count >= PROSE_WORDS and not gaps and (not stopwords or stops >= PROSE_STOPWORDS * count)


def _held(page: Page, protected: set[int], region_words: int, wanted: set[int]) -> set[int]:
    """The ``protected`` lines a settling round may not remove of those it ``wanted`` to: all of
    them when, with what earlier rounds' finders took of the region, they make half the region's
    ``region_words`` or more (that is the region itself going, all at once or a few lines a
    round), else none (a caption, an ad label, a teaser the first pass kept beside the prose).
    Lines a settling round's rules removed are out of ``protected`` and ``region_words`` both:
    a comment section cut by a rule is not the finder taking the article, and counting it held
    the menu line left after it, which cleaning the output again then removed."""
    taken = wanted & protected
    if not taken:
        return set()
    left = sum(word_count(line.text) for i, line in page.live() if i in protected)
    gone = region_words - left + sum(word_count(page.lines[i].text) for i in taken)
    return taken if 2 * gone >= region_words else set()


def _wholesale(change: Change) -> bool:
    """Whether a change is the finder's verdict on a region, not a rule's on the line. (A cut
    is a rule's: it checks by itself that it ends an article, `cleaner.rules.actions`.)"""
    return change.stage == FINDER


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def find_main(page: Page, *, record: bool = True) -> tuple[int, int] | None:
    """Drop what the content finder says is not the article (counted as ``finder/outside``),
    and look for a headline and a date around the article's start when no rule found them.
    ``record=False`` (the settling pass) looks only for what changes the text: the
    headline, and only when its copies would leave the text. Returns the main region the
    finder chose: its first and last lines (indexes into ``page.lines``), None when none."""
    live = page.live_indexes()
    texts = [page.lines[i].text for i in live]
    verdict = find_content(texts, page.doc.language, [page.lines[i].attrs for i in live])
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
        headline = find_title(texts, verdict.start, doc.language, doc.url, taken=taken,
                              archive=archive_text(page))
        if headline is not None:
            found, title = headline
            doc.title = fields.normalise(  # type: ignore[assignment]
                "title", tidy_title(title, doc.url), doc.language)
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
    elif doc.title and page.tree is not None and verdict.start < len(texts):
        # HTML whose markup named the title: the template's copies of it (the page's <h1>, a
        # breadcrumb's last item) leave the body, where they sit at or above the article's start
        # or are headings.
        found = _drop_title_copies(page, live, texts, keep, verdict.start, doc.title)
    if record and doc.date is None:
        doc.date = url_date(doc.url)  # sites that put the day in the URL put it right
        if doc.date:
            doc.sources["date"] = URL_SOURCE
    if record and doc.date is None and verdict.start < len(texts):
        doc.date = find_date(texts, verdict.start, verdict.end, doc.language, found, doc.url)
    if record and doc.date is None and page.markup_date:
        doc.date, doc.sources["date"] = page.markup_date  # the markup's, that the text did not overrule
    if record and doc.date is None and doc.updated:
        doc.date = doc.updated  # a page that gives only when it was updated is dated by that
        if "updated" in doc.sources:
            doc.sources["date"] = doc.sources["updated"]
    if record and not doc.authors and verdict.start < len(texts):
        names = find_authors(texts, verdict.start, verdict.end, doc.language, found, title, taken)
        doc.authors = fields.split_authors(names) or [] if names else []
    scores = verdict.scores
    for n, (i, kept) in enumerate(zip(live, keep, strict=True)):
        if not kept:
            page.remove(i, "finder/outside", stage=FINDER, score=scores[n] if scores else None)
    if verdict.start >= min(verdict.end, len(live)):
        return None
    return live[verdict.start], live[verdict.end - 1]


def _title_key(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .:|-–—")


def _drop_title_copies(page: Page, live: Sequence[int], texts: Sequence[str], keep: list[bool],
                       start: int, title: str) -> int | None:
    """Remove the lines that repeat ``title`` at or above ``start`` (and headings anywhere); the
    first one's place, where the headline stands, or None."""
    key = _title_key(title)
    first = None
    for j, text in enumerate(texts):
        line = page.lines[live[j]]
        heading = bool(line.attrs and line.attrs.get("heading"))
        if _title_key(text) == key and (j <= start or heading):
            first = j if first is None else first
            if keep[j]:
                keep[j] = False
                page.remove(live[j], "finder/title", stage=HEADLINE)
    return first


def _tops_article(texts: Sequence[str], keep: Sequence[bool], start: int, headline: int) -> bool:
    """Whether the headline heads the article: it is at or above the region's start, or only
    short lines (no sentence of `words.PROSE_WORDS` words) are kept between the start and it.
    A heading below the first paragraph is a subheading and stays in the body."""
    return all(word_count(texts[j]) < PROSE_WORDS for j in range(start, headline) if keep[j])


def archive_text(page: Page) -> bool:
    """Whether the page is text written as crawl archives (WET records) write it: one block a
    line and not one blank line between them, the page's <title> on the first line. (A scrape
    keeps the blank lines between a page's blocks; markup says its title itself.)"""
    if page.tree is not None or len(page.lines) < 2:
        return False
    block = page.lines[0].block
    return all(line.block == block for line in page.lines)


def taken_lines(page: Page, live: Sequence[int]) -> Taken:
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
    return Taken(frozenset(dates), frozenset(bylines))
