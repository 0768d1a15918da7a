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

from cleaner.bench import ProgressFn, Report, peers, run_pages, summarise
from cleaner.bench.corpus import GOLD_FILE, INPUT_DIRS, INPUTS, gate_slice, load_gold, select
from cleaner.bench.tables import render
from cleaner.cli.options import ENV_RULES

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
        "--slice",
        dest="gate_slice",
        metavar="ARTICLES,PER_TYPE",
        help="the quality gate's slice instead: the first ARTICLES article pages and the first "
        "PER_TYPE pages of every other type (tests/quality_floors.json has the gate's numbers)",
    )
    parser.add_argument(
        "--report", type=Path, default=Path(DEFAULT_REPORT), help="JSON report path"
    )
    parser.add_argument(
        "--input",
        dest="inputs",
        default="all",
        help="which inputs to run on, comma-separated: scraped (scraped/ID.txt), wet "
        "(scraped-wet/ID.txt), html (html/ID.html.gz), or all (default)",
    )
    parser.add_argument(
        "--peers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the peers of the chosen inputs: unchanged text and jusText on the "
        "scraped text, trafilatura and Resiliparse on the HTML (default: on)",
    )
    parser.add_argument(
        "--systems",
        help="run exactly these systems, comma-separated (overrides --input and --peers): "
        + ", ".join(peers.ALL_SYSTEMS),
    )
    parser.add_argument(
        "--urls",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="give every system each page's URL from pages.jsonl, as `cleaner run --urls` "
        "does; --no-urls measures on the page alone (default: on)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.limit is not None and args.limit < 0:
        parser.error("--limit must not be negative")
    try:
        args.systems = _chosen_systems(args.inputs, args.peers, args.systems)
        args.gate_slice = _slice_counts(args.gate_slice)
    except ValueError as exc:
        parser.error(str(exc))
    if args.gate_slice and (args.page_type or args.limit is not None):
        parser.error("--slice picks its own pages: leave out --type and --limit")
    return args


def _slice_counts(value: str | None) -> tuple[int, int] | None:
    """The two counts of --slice, None when it is not given."""
    if value is None:
        return None
    parts = value.split(",")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"--slice wants two counts, ARTICLES,PER_TYPE (e.g. 200,30), not {value!r}")
    return int(parts[0]), int(parts[1])


def _names(value: str) -> list[str]:
    """A comma-separated option value as a list of names."""
    return [name.strip() for name in value.split(",") if name.strip()]


def _chosen_systems(inputs: str, with_peers: bool, systems: str | None) -> tuple[str, ...]:
    """The systems to run, in table order; ValueError naming what is unknown."""
    if systems is not None:
        wanted = _names(systems)
        unknown = [name for name in wanted if name not in peers.ALL_SYSTEMS]
        if unknown or not wanted:
            raise ValueError(f"--systems: unknown {', '.join(unknown) or 'empty list'} "
                             f"(known: {', '.join(peers.ALL_SYSTEMS)})")
        return tuple(name for name in peers.ALL_SYSTEMS if name in wanted)
    chosen = _names(inputs)
    if chosen == ["all"]:
        chosen = list(INPUTS)
    unknown = [name for name in chosen if name not in INPUTS]
    if unknown or not chosen:
        raise ValueError(f"--input: unknown {', '.join(unknown) or 'empty list'} "
                         f"(known: {', '.join(INPUTS)}, all)")
    return peers.systems_for(chosen, with_peers)


def _versions() -> dict[str, str]:
    """Versions of the things that move the figures, recorded in the report."""
    found = {"python": platform.python_version()}
    for dist in ("cleaner", "justext", "trafilatura", "resiliparse", "selectolax"):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = "unknown"
    return found


# --- main ---------------------------------------------------------------------------------------


def _progress(started: float) -> ProgressFn:
    """A progress callback printing to stderr every PROGRESS_EVERY pages and at the end."""

    def report(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            elapsed = time.perf_counter() - started
            print(f"scored {done}/{total} pages ({elapsed:.1f} s)", file=sys.stderr, flush=True)

    return report


def _warn_failures(report: Report) -> None:
    """Say on stderr when a system raised, since failed pages silently score as empty, and
    when one refused every page (the cleaner on an input it has no reader for)."""
    for name, summary in report.systems.items():
        if summary.errors:
            print(f"warning: {name} raised on {summary.errors} page(s)", file=sys.stderr)
    for name, pages in report.our_pages.items():
        failed = [p for p in pages if p["error"]]
        for page in failed[:3]:
            print(f"  {name} {page['id']}: {page['error']}", file=sys.stderr)
        if failed:
            print(f"  (every failure is in the 'error' field of the report's our_pages.{name})",
                  file=sys.stderr)
        if pages and all(p["rejected"] for p in pages):
            print(f"warning: {name} refused every page, e.g.: {pages[0]['rejected']}",
                  file=sys.stderr)


def _missing(corpus_dir: Path, systems: Sequence[str]) -> str | None:
    """What the run would lack: an input folder or a peer's package; None when all is there."""
    for page_input in sorted({peers.INPUT_OF[name] for name in systems}):
        folder = corpus_dir / INPUT_DIRS[page_input]
        if not folder.is_dir():
            return f"no {INPUT_DIRS[page_input]}/ in {corpus_dir} (leave out --input {page_input})"
    for name in systems:
        package = peers.NEEDS_PACKAGE.get(name)
        if package and importlib.util.find_spec(package) is None:
            return (f"{name} needs the benchmark's extra: pip install 'cleaner[bench]' "
                    "(or run without the peers: --no-peers)")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the tables, write the JSON report; exit status 2 on bad input."""
    args = parse_args(argv)
    if not (args.corpus_dir / GOLD_FILE).is_file():
        print(f"error: no {GOLD_FILE} in {args.corpus_dir}", file=sys.stderr)
        return 2
    missing = _missing(args.corpus_dir, args.systems)
    if missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    gold = load_gold(args.corpus_dir)
    if args.gate_slice:
        pages = gate_slice(gold, *args.gate_slice)
    else:
        pages = select(gold, args.page_type, args.limit)
    if not pages:
        print("error: no pages match the selection", file=sys.stderr)
        return 2
    extra_rules = os.environ.get(ENV_RULES) or None
    if extra_rules:
        print(f"note: {ENV_RULES} is set, its rules run too: {extra_rules}", file=sys.stderr)
    print(f"benchmarking {len(pages)} pages with {args.jobs} job(s): {', '.join(args.systems)}",
          file=sys.stderr)
    started = time.perf_counter()
    results = run_pages(
        args.corpus_dir, pages, args.systems, with_urls=args.urls, jobs=args.jobs,
        progress=_progress(started)
    )
    selection = {
        "type": args.page_type,
        "limit": args.limit,
        "slice": args.gate_slice,
        "systems": list(args.systems),
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
