"""The systems being compared: our cleaner and the peers, each turned into one `SystemOutput`.

Every adapter times only the extraction call itself (time.perf_counter), never file reading or
one-off set-up such as loading rules or stop lists, so ms/page compares the work per page.
Each system reads one of the corpus's inputs (`INPUT_OF`): the naive scrape, the WET-style
text, or the HTML.
"""

from __future__ import annotations

import functools
import gzip
import html
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass

import justext

from cleaner import PageError, Rulebook, load_rulebook
from cleaner.bench.corpus import HTML, SCRAPED, WET
from cleaner.bench.losses import cut_removals
from cleaner.pipeline import explain

CLEANER = "cleaner"
CLEANER_WET = "cleaner-wet"
CLEANER_HTML = "cleaner-html"
UNCHANGED = "unchanged"
JUSTEXT = "justext"
TRAFILATURA = "trafilatura-html"
RESILIPARSE = "resiliparse-html"
OURS: tuple[str, ...] = (CLEANER, CLEANER_WET, CLEANER_HTML)
PEERS: tuple[str, ...] = (UNCHANGED, JUSTEXT, TRAFILATURA, RESILIPARSE)
#: Table order: ours first, then the peers, each group by input.
ALL_SYSTEMS: tuple[str, ...] = (*OURS, *PEERS)
#: Systems that produce metadata at all; the others are shown as "-" in the metadata table.
WITH_METADATA: frozenset[str] = frozenset({*OURS, TRAFILATURA})

#: The corpus input each system reads: scraped/ID.txt, scraped-wet/ID.txt or html/ID.html.gz.
INPUT_OF: dict[str, str] = {
    CLEANER: SCRAPED,
    CLEANER_WET: WET,
    CLEANER_HTML: HTML,
    UNCHANGED: SCRAPED,
    JUSTEXT: SCRAPED,
    TRAFILATURA: HTML,
    RESILIPARSE: HTML,
}
#: The importable package each peer needs beyond the cleaner's own dependencies (the `bench` extra).
NEEDS_PACKAGE: dict[str, str] = {
    JUSTEXT: "justext",
    TRAFILATURA: "trafilatura",
    RESILIPARSE: "resiliparse",
}


def systems_for(inputs: Iterable[str], with_peers: bool = True) -> tuple[str, ...]:
    """The systems reading any of the given inputs, in table order; ours alone without peers."""
    wanted = set(inputs)
    return tuple(
        name for name in ALL_SYSTEMS
        if INPUT_OF[name] in wanted and (with_peers or name in OURS)
    )


@dataclass(frozen=True)
class SystemOutput:
    """What one system produced for one page, and how long the extraction took."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    ms: float = 0.0
    # The time of the same job as ours, text and metadata, where `ms` is the text's alone
    # (trafilatura's); None where `ms` already covers both (our cleaner) or there is no metadata.
    ms_with_meta: float | None = None
    error: str | None = None
    rejected: str | None = None
    # Our cleaner's lines removed by a cut rule or the settling pass, as (cause, text)
    # (`cleaner.bench.losses`); empty for the peers.
    removals: tuple[tuple[str, str], ...] = ()


def _elapsed_ms(start: float) -> float:
    """Milliseconds since a perf_counter reading."""
    return (time.perf_counter() - start) * 1000.0


def _failure(exc: Exception, ms: float) -> SystemOutput:
    """A page a system failed on scores as an empty output; the error and the place it was
    raised are kept for the report, since worker processes cannot show a traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return SystemOutput(text="", ms=ms, error=f"{type(exc).__name__}: {exc}{where}")


# --- our cleaner --------------------------------------------------------------------------------


@functools.cache
def _rulebook() -> Rulebook:
    """The built-in rulebook (and $CLEANER_RULES's sets, as the CLI loads them), loaded (and
    validated) once per process."""
    from cleaner.cli.options import env_rule_folders

    return load_rulebook(env_rule_folders())


def run_cleaner(data: bytes, page_id: str, url: str | None = None, *,
                file_name: str | None = None) -> SystemOutput:
    """Our cleaner on a page's raw bytes, the way `cleaner run` calls it (with `--urls`,
    when ``url`` is given).

    Without ``file_name`` the bytes are scraped text, recorded as source "ID.txt" and their kind
    told by content, as before there were other inputs; with it (``"ID.html.gz"``) the name is
    both the source and what tells the reader the kind and the compression, so the timed call
    includes undoing the gzip and decoding.

    A page the cleaner refuses with PageError (an empty scrape, or HTML while there is no HTML
    reader) is a deliberate outcome and scores as an empty output; any other exception is
    recorded as a failure.
    """
    rulebook = _rulebook()
    source = file_name or f"{page_id}.txt"
    start = time.perf_counter()
    try:
        # `explain` is `clean` that also hands back the page, whose trace says what the cuts took.
        doc, page = explain(data, rulebook, url=url, source=source, name=file_name or "")
    except PageError as exc:
        return SystemOutput(text="", ms=_elapsed_ms(start), rejected=str(exc))
    except Exception as exc:  # one bad page must not hide the figures of the others
        return _failure(exc, _elapsed_ms(start))
    ms = _elapsed_ms(start)
    return SystemOutput(
        text=doc.text,
        title=_optional_str(doc.title),
        authors=tuple(doc.authors),
        date=_optional_str(doc.date),
        ms=ms,
        removals=cut_removals(page.trace),
    )


def _optional_str(value: object) -> str | None:
    """A metadata value as a string, None when absent or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# --- peers --------------------------------------------------------------------------------------


def decode_scraped(data: bytes) -> str:
    """The scraped bytes as text for the peers (the corpus is UTF-8)."""
    return data.decode("utf-8", errors="replace")


def run_unchanged(data: bytes) -> SystemOutput:
    """The baseline: the scraped text as it is, which every cleaner should beat."""
    return SystemOutput(text=decode_scraped(data))


@functools.cache
def _english_stoplist() -> frozenset[str]:
    """jusText's English stop list, loaded once per process."""
    return frozenset(justext.get_stoplist("English"))


def lines_as_html(text: str) -> str:
    """Each non-empty line of scraped text as one escaped <p>, the paragraphs jusText classifies."""
    paragraphs = (f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines())
    body = "".join(p for p in paragraphs if p != "<p></p>")
    return f"<html><body>{body}</body></html>"


def run_justext(data: bytes) -> SystemOutput:
    """jusText (default parameters, English stop list) on the scraped text, one line a paragraph."""
    text = decode_scraped(data)
    if not text.strip():
        return SystemOutput(text="")
    doc = lines_as_html(text)
    stoplist = _english_stoplist()
    start = time.perf_counter()
    try:
        paragraphs = justext.justext(doc, stoplist)
    except Exception as exc:
        return _failure(exc, _elapsed_ms(start))
    ms = _elapsed_ms(start)
    kept = [str(p.text) for p in paragraphs if not p.is_boilerplate]
    return SystemOutput(text="\n\n".join(kept), ms=ms)


def run_trafilatura(page_html: str, url: str | None = None) -> SystemOutput:
    """trafilatura with default settings on the HTML; metadata from `extract_metadata`.

    `extract` with its defaults (``with_metadata=False``) extracts no metadata, so ``ms`` times
    it alone: the text extraction cost, as in the corpus README's reference figures. The same
    job as our cleaner's, text and title, date, authors, is ``ms_with_meta``: `extract` and
    `extract_metadata` both timed (the latter parses the page again, as a caller wanting both
    from these two calls does). It gets the page's URL exactly when our cleaner does.
    """
    import trafilatura  # the benchmark's extra ('cleaner[bench]'), not a dependency of the cleaner

    start = time.perf_counter()
    try:
        text = trafilatura.extract(page_html, url=url)
    except Exception as exc:
        return _failure(exc, _elapsed_ms(start))
    ms = _elapsed_ms(start)
    start = time.perf_counter()
    try:
        meta = trafilatura.extract_metadata(page_html, default_url=url)
    except Exception:  # metadata failure leaves the text score intact
        meta = None
    meta_ms = _elapsed_ms(start)
    authors = _split_authors(getattr(meta, "author", None))
    return SystemOutput(
        text=str(text or ""),
        title=_optional_str(getattr(meta, "title", None)),
        authors=authors,
        date=_optional_str(getattr(meta, "date", None)),
        ms=ms,
        ms_with_meta=ms + meta_ms,
    )


def _split_authors(value: object) -> tuple[str, ...]:
    """trafilatura joins several authors with '; '."""
    if not value:
        return ()
    return tuple(a.strip() for a in str(value).split(";") if a.strip())


def run_resiliparse(page_html: str) -> SystemOutput:
    """Resiliparse's main-content extraction on the HTML, images' alternative texts left out,
    other options at their defaults (no metadata). Parsing is timed with the extraction, as
    trafilatura's `extract` parses too.

    Without the alt texts it reproduces the corpus README's reference figures for Resiliparse
    (word F1 0.882, shingle F1 0.884 on the articles); with them (its default) it scores 0.874
    and 0.872, as captions' alt texts are rarely part of the gold.
    """
    from resiliparse.extract.html2text import extract_plain_text  # the `bench` extra
    from resiliparse.parse.html import HTMLTree

    start = time.perf_counter()
    try:
        text = extract_plain_text(HTMLTree.parse(page_html), main_content=True, alt_texts=False)
    except Exception as exc:
        return _failure(exc, _elapsed_ms(start))
    return SystemOutput(text=str(text or ""), ms=_elapsed_ms(start))


# --- dispatch -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageFiles:
    """One page's inputs, read before any system runs: the scraped and WET-style texts' bytes,
    the HTML file's bytes (gzip-compressed, as the cleaner is given a file) and its decoded text
    (what the peers are given)."""

    page_id: str
    scraped: bytes = b""
    wet: bytes = b""
    html_file: bytes = b""
    html_name: str = ""
    html_text: str = ""


def run_system(name: str, files: PageFiles, url: str | None) -> SystemOutput:
    """Run one system (a name of `ALL_SYSTEMS`) on its input of the page."""
    if name == CLEANER:
        return run_cleaner(files.scraped, files.page_id, url)
    if name == CLEANER_WET:
        return run_cleaner(files.wet, files.page_id, url)
    if name == CLEANER_HTML:
        return run_cleaner(files.html_file, files.page_id, url, file_name=files.html_name)
    if name == UNCHANGED:
        return run_unchanged(files.scraped)
    if name == JUSTEXT:
        return run_justext(files.scraped)
    if name == TRAFILATURA:
        return run_trafilatura(files.html_text, url)
    if name == RESILIPARSE:
        return run_resiliparse(files.html_text)
    raise ValueError(f"unknown system {name!r}")


_WARM_UP_PARAGRAPH = (
    "The council met on Tuesday evening to discuss the new budget for the coming year, and "
    "most members agreed that the library and the parks should keep their funding."
)
_WARM_UP_HTML = (
    "<html><head><title>Council meets</title></head><body><nav><a href='/'>Home</a></nav>"
    f"<article><h1>Council meets</h1><p>{_WARM_UP_PARAGRAPH}</p><p>{_WARM_UP_PARAGRAPH}</p>"
    "</article><footer>Contact us</footer></body></html>"
)


@functools.cache
def warm_up(systems: tuple[str, ...]) -> None:
    """Run each system once, untimed, on a small made-up page, once per process: the first call
    of a system pays one-off costs (imports, models and rules loaded on first use) that would
    otherwise land on whichever page a worker happens to score first."""
    text = "Council meets\n" + "\n".join([_WARM_UP_PARAGRAPH] * 2) + "\n"
    files = PageFiles(
        page_id="warm-up",
        scraped=text.encode(),
        wet=text.encode(),
        html_file=gzip.compress(_WARM_UP_HTML.encode()),
        html_name="warm-up.html.gz",
        html_text=_WARM_UP_HTML,
    )
    for name in systems:
        run_system(name, files, "https://example.org/news/council-meets")
