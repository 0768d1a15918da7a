"""Benchmark harness: our cleaner and peer extractors scored against a WCXB-layout corpus.

Run it as `python -m cleaner.bench CORPUS_DIR`; see docs/benchmark.md. The library side lives
here so that the quality gate test can run the same code in-process on its own slice of pages.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cleaner.bench import metrics, peers
from cleaner.bench.corpus import (
    HTML,
    SCRAPED,
    WET,
    GoldPage,
    decode_html,
    html_name,
    read_html_bytes,
    read_scraped,
    read_wet,
)
from cleaner.bench.losses import NO_LOSS, CutLoss, cut_loss
from cleaner.bench.metrics import PRF, ShingleScore
from cleaner.bench.peers import SystemOutput

__all__ = [
    "GuttedPage",
    "PageResult",
    "Rate",
    "Report",
    "SystemPageScore",
    "SystemSummary",
    "evaluate_page",
    "headline",
    "run_pages",
    "summarise",
]

META_FIELDS: tuple[str, ...] = ("title", "author", "date")
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class PageTask:
    """Everything a worker process needs to score one page (picklable)."""

    corpus_dir: Path
    gold: GoldPage
    systems: tuple[str, ...]
    with_urls: bool = True


@dataclass(frozen=True)
class SystemPageScore:
    """One system's scores on one page. Metadata hits are None where the gold has no value
    or the system produces no metadata at all, so they drop out of the rates."""

    word: PRF
    shingle: ShingleScore
    ms: float
    meta: dict[str, bool | None]
    with_found: int
    without_absent: int
    error: str | None = None
    rejected: str | None = None
    cut: CutLoss = NO_LOSS  # the gold words the cut rules and the settling pass took
    ms_with_meta: float | None = None  # text and metadata, where `ms` is the text's alone


@dataclass(frozen=True)
class PageResult:
    """All systems' scores on one page."""

    id: str
    type: str
    n_with: int
    n_without: int
    scores: dict[str, SystemPageScore]


# --- per page -----------------------------------------------------------------------------------


def _meta_hits(gold: GoldPage, out: SystemOutput, has_meta: bool) -> dict[str, bool | None]:
    """Exact-match results of title, author and date; None where they cannot be counted."""
    if not has_meta:
        return dict.fromkeys(META_FIELDS)
    return {
        "title": None if gold.title is None else metrics.text_matches(gold.title, out.title),
        "author": None if gold.author is None else metrics.author_matches(gold.author, out.authors),
        "date": None if gold.date is None else metrics.date_matches(gold.date, out.date),
    }


def score_output(gold: GoldPage, out: SystemOutput, has_meta: bool) -> SystemPageScore:
    """Score one system's output against the gold record of the page."""
    absent = len(gold.without_snippets) - metrics.snippet_hits(gold.without_snippets, out.text)
    return SystemPageScore(
        word=metrics.word_prf(gold.main_content, out.text),
        shingle=metrics.shingle_score(gold.main_content, out.text),
        ms=out.ms,
        meta=_meta_hits(gold, out, has_meta),
        with_found=metrics.snippet_hits(gold.with_snippets, out.text),
        without_absent=absent,
        error=out.error,
        rejected=out.rejected,
        cut=cut_loss(gold.main_content, out.text, out.removals),
        ms_with_meta=out.ms_with_meta,
    )


def _system_outputs(task: PageTask) -> dict[str, SystemOutput]:
    """Run every selected system on the page, in table order; only the inputs they need are
    read, and outside the timed calls."""
    gold = task.gold
    url = (gold.url or None) if task.with_urls else None
    inputs = {peers.INPUT_OF[name] for name in task.systems}
    html_file = read_html_bytes(task.corpus_dir, gold.id) if HTML in inputs else b""
    files = peers.PageFiles(
        page_id=gold.id,
        scraped=read_scraped(task.corpus_dir, gold.id) if SCRAPED in inputs else b"",
        wet=read_wet(task.corpus_dir, gold.id) if WET in inputs else b"",
        html_file=html_file,
        html_name=html_name(gold.id),
        html_text=decode_html(html_file) if HTML in inputs else "",
    )
    peers.warm_up(task.systems)
    return {name: peers.run_system(name, files, url) for name in task.systems}


def evaluate_page(task: PageTask) -> PageResult:
    """Run and score all systems on one page (the unit of work of a worker process)."""
    gold = task.gold
    scores = {
        name: score_output(gold, out, name in peers.WITH_METADATA)
        for name, out in _system_outputs(task).items()
    }
    return PageResult(
        id=gold.id,
        type=gold.type,
        n_with=len(gold.with_snippets),
        n_without=len(gold.without_snippets),
        scores=scores,
    )


def _results(tasks: Sequence[PageTask], jobs: int) -> Iterator[PageResult]:
    """Results in task order, computed in this process or in a pool of `jobs` processes."""
    if jobs <= 1:
        yield from map(evaluate_page, tasks)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(evaluate_page, tasks, chunksize=4)


def run_pages(
    corpus_dir: Path,
    pages: Sequence[GoldPage],
    systems: Sequence[str] = peers.ALL_SYSTEMS,
    *,
    with_urls: bool = True,
    jobs: int = 1,
    progress: ProgressFn | None = None,
) -> list[PageResult]:
    """Score the given pages with the given systems (names of `peers.ALL_SYSTEMS`), in page
    order; `progress(done, total)` is called after each page. ``with_urls`` gives every system
    the page's URL, as `cleaner run --urls` does."""
    unknown = [name for name in systems if name not in peers.INPUT_OF]
    if unknown:
        raise ValueError(f"unknown system(s): {', '.join(unknown)}")
    chosen = tuple(name for name in peers.ALL_SYSTEMS if name in systems)
    tasks = [PageTask(corpus_dir, page, chosen, with_urls) for page in pages]
    results: list[PageResult] = []
    for result in _results(tasks, jobs):
        results.append(result)
        if progress is not None:
            progress(len(results), len(tasks))
    return results


# --- corpus figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A pass rate: hits out of the cases that could be counted (rate None when there are none)."""

    hits: int
    total: int

    @property
    def rate(self) -> float | None:
        """hits / total, or None for an empty denominator."""
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class TypeSummary:
    """Text figures of one system over the pages of one type (or all pages). ``leakage``
    counts the pages whose gold has `without` snippets and where one at least survived."""

    pages: int
    word: PRF
    shingle: PRF
    leakage: Rate


@dataclass(frozen=True)
class GuttedPage:
    """A page that lost more than half its gold words to the cut rules and the settling pass
    (`cleaner.bench.losses`): the share lost, and the causes that took words, most first."""

    id: str
    type: str
    share: float
    causes: list[str]


@dataclass(frozen=True)
class SystemSummary:
    """Every corpus figure of one system."""

    overall: TypeSummary
    by_type: dict[str, TypeSummary]
    ms_per_page: float
    total_ms: float
    errors: int
    rejected: int
    metadata: dict[str, Rate] | None
    snippets: dict[str, Rate]
    gutted: list[GuttedPage] = field(default_factory=list)
    # The total time of text and metadata, for a system whose `total_ms` is its text's alone
    # (trafilatura's); None for the others, whose time covers whatever they extract.
    total_ms_with_meta: float | None = None


@dataclass(frozen=True)
class Report:
    """The benchmark outcome: settings, per-system figures and, for each of our systems that
    ran (the cleaner on each input), its per-page scores."""

    corpus: str
    selection: dict[str, Any]
    pages: int
    systems: dict[str, SystemSummary]
    our_pages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, with rates and headline figures spelled out for its readers."""
        data = asdict(self)
        for name, summary in self.systems.items():
            entry = data["systems"][name]
            entry["headline"] = headline(summary)
            if summary.metadata is not None:
                for key, rate in summary.metadata.items():
                    entry["metadata"][key]["rate"] = rate.rate
            for key, rate in summary.snippets.items():
                entry["snippets"][key]["rate"] = rate.rate
            entry["overall"]["leakage"]["rate"] = summary.overall.leakage.rate
            entry.update(time_shares(summary, self.systems.get(peers.TRAFILATURA)))
            for page_type, part in summary.by_type.items():
                entry["by_type"][page_type]["leakage"]["rate"] = part.leakage.rate
        return data


def _type_summary(pairs: Sequence[tuple[PageResult, SystemPageScore]]) -> TypeSummary:
    """Corpus word and shingle figures and the leakage rate over some pages."""
    scores = [s for _, s in pairs]
    guarded = [(r, s) for r, s in pairs if r.n_without]
    return TypeSummary(
        pages=len(scores),
        word=metrics.corpus_word([s.word for s in scores]),
        shingle=metrics.corpus_shingle([s.shingle for s in scores]),
        leakage=Rate(sum(1 for r, s in guarded if s.without_absent < r.n_without), len(guarded)),
    )


def _meta_rates(scores: Iterable[SystemPageScore]) -> dict[str, Rate]:
    """Exact-match rates of each metadata field over the pages whose gold has it."""
    rates: dict[str, Rate] = {}
    for name in META_FIELDS:
        counted = [s.meta[name] for s in scores if s.meta[name] is not None]
        rates[name] = Rate(hits=sum(1 for hit in counted if hit), total=len(counted))
    return rates


def _system_summary(results: Sequence[PageResult], system: str) -> SystemSummary:
    """Aggregate one system's per-page scores, overall and per page type."""
    pairs = [(r, r.scores[system]) for r in results if system in r.scores]
    scores = [s for _, s in pairs]
    types = sorted({r.type for r, _ in pairs})
    by_type = {t: _type_summary([(r, s) for r, s in pairs if r.type == t]) for t in types}
    has_meta = system in peers.WITH_METADATA
    snippets = {
        "with": Rate(sum(s.with_found for s in scores), sum(r.n_with for r, _ in pairs)),
        "without": Rate(sum(s.without_absent for s in scores), sum(r.n_without for r, _ in pairs)),
    }
    return SystemSummary(
        overall=_type_summary(pairs),
        by_type=by_type,
        ms_per_page=metrics.mean(s.ms for s in scores),
        total_ms=sum(s.ms for s in scores),
        errors=sum(1 for s in scores if s.error is not None),
        rejected=sum(1 for s in scores if s.rejected is not None),
        metadata=_meta_rates(scores) if has_meta else None,
        snippets=snippets,
        gutted=_gutted(pairs),
        total_ms_with_meta=_total_with_meta(scores),
    )


def _total_with_meta(scores: Sequence[SystemPageScore]) -> float | None:
    """The total of text and metadata times, when the system timed them apart on every page
    (a page it failed on counts with its text time, all it spent)."""
    timed = [s.ms_with_meta for s in scores if s.ms_with_meta is not None]
    if not timed:
        return None
    return sum(timed) + sum(s.ms for s in scores if s.ms_with_meta is None)


def _gutted(pairs: Sequence[tuple[PageResult, SystemPageScore]]) -> list[GuttedPage]:
    """The pages the cuts and the settling pass took more than half the gold of, worst first."""
    pages = [
        GuttedPage(r.id, r.type, s.cut.share, sorted(s.cut.by, key=lambda c: -s.cut.by[c]))
        for r, s in pairs if s.cut.gutted
    ]
    return sorted(pages, key=lambda page: (-page.share, page.id))


def _system_page(result: PageResult, system: str) -> dict[str, Any]:
    """One system's scores on one page, for inspecting regressions in the JSON report."""
    score = result.scores[system]
    return {
        "id": result.id,
        "type": result.type,
        "word": asdict(score.word),
        "shingle": {"p": score.shingle.p, "r": score.shingle.r, "f1": score.shingle.f1},
        "ms": round(score.ms, 3),
        "meta": score.meta,
        "leaked": score.without_absent < result.n_without,
        "cut_loss": asdict(score.cut),
        "error": score.error,
        "rejected": score.rejected,
    }


def summarise(results: Sequence[PageResult], corpus: str, selection: dict[str, Any]) -> Report:
    """Corpus figures of every system that ran, plus each of our systems' per-page scores."""
    systems = [name for name in peers.ALL_SYSTEMS if any(name in r.scores for r in results)]
    return Report(
        corpus=corpus,
        selection=selection,
        pages=len(results),
        systems={name: _system_summary(results, name) for name in systems},
        our_pages={
            name: [_system_page(r, name) for r in results if name in r.scores]
            for name in systems
            if name in peers.OURS
        },
    )


def time_shares(summary: SystemSummary, reference: SystemSummary | None) -> dict[str, float | None]:
    """A system's total time as a share of trafilatura's (``reference``): ``x_trafilatura``,
    over its text extraction alone (the corpus README's reference figures), and
    ``x_trafilatura_with_meta``, over its text and metadata, the same job as our cleaner's
    (a system that times its metadata apart, trafilatura itself, is counted with it there).
    None where trafilatura did not run or took no time."""
    text = reference.total_ms if reference else None
    both = reference.total_ms_with_meta if reference else None
    own = summary.total_ms if summary.total_ms_with_meta is None else summary.total_ms_with_meta
    return {
        "x_trafilatura": summary.total_ms / text if text else None,
        "x_trafilatura_with_meta": own / both if both else None,
    }


def headline(summary: SystemSummary) -> dict[str, float | None]:
    """Flat named figures ('all.word_f1', 'article.shingle_f1', 'all.leakage', 'title', ...)
    of one system. Leakage, times and 'cut.gutted_pages' (pages that lost more than half their
    gold words to cut rules and the settling pass) are lower-is-better; the others
    higher-is-better.

    The quality gate's floors refer to these names, so new floors need no new code.
    """
    figures: dict[str, float | None] = {}
    groups = {"all": summary.overall, **summary.by_type}
    for group, part in groups.items():
        figures[f"{group}.word_f1"] = part.word.f1
        figures[f"{group}.shingle_f1"] = part.shingle.f1
        figures[f"{group}.leakage"] = part.leakage.rate
    for key, rate in (summary.metadata or {}).items():
        figures[key] = rate.rate
    for key, rate in summary.snippets.items():
        figures[key] = rate.rate
    figures["cut.gutted_pages"] = len(summary.gutted)
    figures["ms_per_page"] = summary.ms_per_page
    figures["total_ms"] = summary.total_ms
    return figures
