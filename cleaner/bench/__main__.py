"""Command line of the benchmark: `python -m cleaner.bench CORPUS_DIR [options]`.

Tables go to stdout so they can be pasted or diffed; progress and messages go to stderr.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cleaner.bench import ProgressFn, Report, SystemSummary, run_pages, summarise
from cleaner.bench.corpus import GOLD_FILE, load_gold, select
from cleaner.bench.metrics import PRF
from cleaner.rules.load import ENV_RULES

DEFAULT_REPORT = "bench-report.json"
PROGRESS_EVERY = 50


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m cleaner.bench",
        description="Score the cleaner (and peer extractors) against a WCXB-layout corpus.",
    )
    parser.add_argument("corpus_dir", type=Path, help="corpus with pages.jsonl, scraped/, html/")
    parser.add_argument("--type", dest="page_type", help="only pages of this type (e.g. article)")
    parser.add_argument("--limit", type=int, help="only the first N selected pages, in id order")
    parser.add_argument(
        "--report", type=Path, default=Path(DEFAULT_REPORT), help="JSON report path"
    )
    parser.add_argument(
        "--peers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the peers: unchanged text, jusText, trafilatura (default: on)",
    )
    parser.add_argument(
        "--urls",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="give every system each page's URL from pages.jsonl, as `cleaner run --urls` "
        "does; --no-urls measures on the text alone (default: on)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.limit is not None and args.limit < 0:
        parser.error("--limit must not be negative")
    return args


def _versions() -> dict[str, str]:
    """Versions of the things that move the figures, recorded in the report."""
    found = {"python": platform.python_version()}
    for dist in ("cleaner", "justext", "trafilatura"):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = "unknown"
    return found


# --- tables -------------------------------------------------------------------------------------


def _num(value: float | None) -> str:
    """Figures with three decimals, '-' where there is nothing to show."""
    return "-" if value is None else f"{value:.3f}"


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    """One table line: first cell left-aligned, the others right-aligned."""
    first, *rest = cells
    parts = [first.ljust(widths[0])] + [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)]
    return "  ".join(parts).rstrip()


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table sized to its contents."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [_row(header, widths), _row(["-" * w for w in widths], widths)]
    lines.extend(_row(r, widths) for r in rows)
    return "\n".join(lines)


def _prf_cells(prf: PRF) -> list[str]:
    """P, R, F1 as table cells."""
    return [_num(prf.p), _num(prf.r), _num(prf.f1)]


def systems_table(report: Report) -> str:
    """Systems as rows: word and shingle P/R/F1, ms/page and failed pages."""
    header = [
        "system",
        "word P",
        "word R",
        "word F1",
        "shingle P",
        "shingle R",
        "shingle F1",
        "ms/page",
        "errors",
        "rejected",
    ]
    rows = [
        [
            name,
            *_prf_cells(s.overall.word),
            *_prf_cells(s.overall.shingle),
            f"{s.ms_per_page:.1f}",
            str(s.errors),
            str(s.rejected),
        ]
        for name, s in report.systems.items()
    ]
    return _table(header, rows)


def type_table(report: Report) -> str:
    """Page types as rows, word F1 of every system as columns, and an 'all' line."""
    names = list(report.systems)
    first = next(iter(report.systems.values()))
    header = ["type", "pages", *names]
    rows = [
        [t, str(part.pages), *(_num(report.systems[n].by_type[t].word.f1) for n in names)]
        for t, part in first.by_type.items()
    ]
    rows.append(
        ["all", str(first.overall.pages), *(_num(report.systems[n].overall.word.f1) for n in names)]
    )
    return _table(header, rows)


def _rate_cells(summary: SystemSummary) -> list[str]:
    """Metadata and snippet pass rates of one system."""
    meta = summary.metadata
    cells = [_num(meta[k].rate) if meta else "-" for k in ("title", "author", "date")]
    return cells + [_num(summary.snippets[k].rate) for k in ("with", "without")]


def meta_table(report: Report) -> str:
    """Metadata exact-match rates and with/without snippet pass rates, totals in the header."""
    first = next(iter(report.systems.values()))
    totals = {k: r.total for k, r in (first.metadata or {}).items()}
    for summary in report.systems.values():
        totals.update({k: r.total for k, r in (summary.metadata or {}).items()})
    totals.update({k: r.total for k, r in first.snippets.items()})
    keys = ("title", "author", "date", "with", "without")
    header = ["system", *(f"{k} (n={totals.get(k, 0)})" for k in keys)]
    rows = [[name, *_rate_cells(s)] for name, s in report.systems.items()]
    return _table(header, rows)


def render(report: Report) -> str:
    """All three tables, titled."""
    return (
        "\n\n".join(
            [
                f"Text extraction, {report.pages} pages (P/R/F1 means over pages)",
                systems_table(report),
                "Word F1 by page type",
                type_table(report),
                "Metadata exact match (pages whose gold has the field) and snippet pass rates",
                meta_table(report),
            ]
        )
        + "\n"
    )


# --- main ---------------------------------------------------------------------------------------


def _progress(started: float) -> ProgressFn:
    """A progress callback printing to stderr every PROGRESS_EVERY pages and at the end."""

    def report(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            elapsed = time.perf_counter() - started
            print(f"scored {done}/{total} pages ({elapsed:.1f} s)", file=sys.stderr, flush=True)

    return report


def _warn_failures(report: Report) -> None:
    """Say on stderr when a system raised, since failed pages silently score as empty."""
    for name, summary in report.systems.items():
        if summary.errors:
            print(f"warning: {name} raised on {summary.errors} page(s)", file=sys.stderr)
    failed = [p for p in report.cleaner_pages if p["error"]]
    for page in failed[:3]:
        print(f"  {page['id']}: {page['error']}", file=sys.stderr)
    if failed:
        print(
            "  (every failure is in the 'error' field of the report's cleaner_pages)",
            file=sys.stderr,
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the tables, write the JSON report; exit status 2 on bad input."""
    args = parse_args(argv)
    if not (args.corpus_dir / GOLD_FILE).is_file():
        print(f"error: no {GOLD_FILE} in {args.corpus_dir}", file=sys.stderr)
        return 2
    if args.peers and importlib.util.find_spec("trafilatura") is None:
        print("error: the peers need the benchmark's extra: pip install 'cleaner[bench]' "
              "(or run without them: --no-peers)", file=sys.stderr)
        return 2
    pages = select(load_gold(args.corpus_dir), args.page_type, args.limit)
    if not pages:
        print("error: no pages match the selection", file=sys.stderr)
        return 2
    extra_rules = os.environ.get(ENV_RULES) or None
    if extra_rules:
        print(f"note: {ENV_RULES} is set, its rules run too: {extra_rules}", file=sys.stderr)
    print(f"benchmarking {len(pages)} pages with {args.jobs} job(s)", file=sys.stderr)
    started = time.perf_counter()
    results = run_pages(
        args.corpus_dir, pages, with_peers=args.peers, with_urls=args.urls, jobs=args.jobs,
        progress=_progress(started)
    )
    selection = {
        "type": args.page_type,
        "limit": args.limit,
        "peers": args.peers,
        "urls": args.urls,
        "jobs": args.jobs,
        "extra_rules": extra_rules,
        "versions": _versions(),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    report = summarise(results, str(args.corpus_dir), selection)
    sys.stdout.write(render(report))
    _warn_failures(report)
    args.report.write_text(json.dumps(report.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"report written to {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
