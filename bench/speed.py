"""How fast `cleaner run` goes, and in how much memory, beside jusText and the I/O floor.

    python bench/speed.py [--corpus ../shared/corpus/wcxb-dev] [--sizes 2000,10000] [--pages 300]
                          [--jobs 1,2] [--input scraped,html] [--json speed.json]

For each size N the corpus's pages (scraped/ID.txt; html/ID.html.gz with ``--input html``) are
cycled to N pages in a temporary folder, then on the same N pages:

- ``cleaner run IN OUT -q --jobs J`` for each J, as a whole process (start-up included): wall
  time, CPU time, and memory, read from /proc while it runs: the peak of the run's proportional
  set size (PSS: shared pages counted once across the forked workers) and each process's peak
  resident set (VmHWM), the main process's and the largest worker's;
- the peer, in this process, timed over the whole loop (read the file, decode, extract):
  jusText on the scraped text as `cleaner.bench.peers` runs it (one line a paragraph), or
  trafilatura on the HTML;
- the I/O floor, in this process: read each page, write its two outputs atomically through
  `cleaner.batch.sinks.write_atomic`, the path every cleaned page takes.

Pages/s and MB/s (input bytes as on disk) come with the ratios the targets are about: --jobs 2
over --jobs 1, --jobs 1 over the peer, --jobs 1 over the I/O floor, and the peak memory at the
largest N over that at the smallest. On a shared machine the absolute figures move with the
load; the ratios within one run are what compare.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
INPUT_FOLDERS = {"scraped": ("scraped", ".txt"), "html": ("html", ".html.gz")}
PEER_OF = {"scraped": "jusText", "html": "trafilatura"}
PER_FOLDER = 1000  # pages per subfolder of the temporary input, as a crawl would shard them
POLL = 0.2  # seconds between two looks at the run's memory


@dataclass
class Figures:
    """One system on one set of pages."""

    system: str
    pages: int
    megabytes: float  # input read, as on disk
    seconds: float  # wall time
    cpu_seconds: float | None = None
    failed: int = 0
    peak_pss_mb: float | None = None  # the whole run (main process and workers) at its peak
    main_rss_mb: float | None = None  # the main process's peak resident set
    worker_rss_mb: float | None = None  # the largest worker's peak resident set

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def pages_per_cpu_s(self) -> float:
        """Pages per second of CPU time (all processes): steadier than wall time on a machine
        that other work shares, but blind to what parallel work gains."""
        return self.pages / self.cpu_seconds if self.cpu_seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        found = asdict(self)
        found.update(pages_per_s=round(self.pages_per_s, 2), mb_per_s=round(self.mb_per_s, 3),
                     pages_per_cpu_s=round(self.pages_per_cpu_s, 2))
        return found


@dataclass
class SizeRun:
    """All systems on one input at one size."""

    page_input: str
    size: int
    systems: list[Figures] = field(default_factory=list)

    def find(self, prefix: str) -> Figures | None:
        return next((f for f in self.systems if f.system.startswith(prefix)), None)


# --- the pages ----------------------------------------------------------------------------------


def corpus_files(corpus: Path, page_input: str) -> list[Path]:
    folder, suffix = INPUT_FOLDERS[page_input]
    files = sorted(p for p in (corpus / folder).iterdir() if p.name.endswith(suffix))
    if not files:
        raise SystemExit(f"error: no {folder}/*{suffix} in {corpus}")
    return files


def lay_out(files: Sequence[Path], count: int, target: Path) -> list[Path]:
    """The corpus files cycled to ``count`` pages under ``target`` (hard links where the file
    system allows, copies elsewhere), in subfolders of PER_FOLDER; their paths, in name order."""
    suffix = "".join(files[0].suffixes)
    laid = []
    for number in range(count):
        path = target / f"{number // PER_FOLDER:03d}" / f"{number:06d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        source = files[number % len(files)]
        try:
            os.link(source, path)
        except OSError:
            shutil.copyfile(source, path)
        laid.append(path)
    return laid


def megabytes(paths: Sequence[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


# --- memory of a process tree, from /proc ---------------------------------------------------------


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


class MemoryWatch:
    """Polls a process and its children while it runs: the peak of their summed PSS and each
    one's peak resident set (the kernel's own high-water mark, VmHWM, so no peak is missed
    between two looks). Needs /proc (Linux); elsewhere it records nothing."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_pss_kb = 0
        self.main_hwm_kb = 0
        self.worker_hwm_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemoryWatch:
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def look(self) -> None:
        workers = _children(self.pid)
        self.main_hwm_kb = max(self.main_hwm_kb, _status_kb(self.pid, "VmHWM"))
        for worker in workers:
            self.worker_hwm_kb = max(self.worker_hwm_kb, _status_kb(worker, "VmHWM"))
        total = _pss_kb(self.pid) + sum(_pss_kb(w) for w in workers)
        self.peak_pss_kb = max(self.peak_pss_kb, total)

    def _run(self) -> None:
        while not self._stop.wait(POLL):
            self.look()


# --- the systems --------------------------------------------------------------------------------


def run_cleaner(pages_dir: Path, out: Path, jobs: int, count: int, size_mb: float) -> Figures:
    """`cleaner run` as a whole process on the pages, with its wall and CPU time and memory."""
    command = [sys.executable, "-m", "cleaner", "run", str(pages_dir), str(out), "-q",
               "--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with MemoryWatch(process.pid) as watch:
        assert process.stderr is not None
        with process.stderr:
            stderr = process.stderr.read().decode("utf-8", "replace")  # drained: no pipe stall
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: some pages failed, counted below
        raise SystemExit(f"error: {' '.join(command)} exited with {process.returncode}:\n{stderr}")
    summary = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    failed = int(summary.split(" cleaned, ")[1].split(" failed")[0]) if " cleaned, " in summary else 0
    # wait4's maxrss is the largest one process (main or a worker) reached: the fallback for
    # systems without /proc.
    fallback = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return Figures(
        system=f"cleaner --jobs {jobs}", pages=count, megabytes=size_mb, seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime, failed=failed,
        peak_pss_mb=watch.peak_pss_kb / 1024 or None,
        main_rss_mb=watch.main_hwm_kb / 1024 or fallback,
        worker_rss_mb=watch.worker_hwm_kb / 1024 or None)


def _timed_loop(name: str, paths: Sequence[Path], size_mb: float,
                work: Callable[[Path, int], None]) -> Figures:
    cpu = time.process_time()
    start = time.perf_counter()
    failed = 0
    for number, path in enumerate(paths):
        try:
            work(path, number)
        except Exception:  # one bad page must not stop the measurement; counted
            failed += 1
    return Figures(system=name, pages=len(paths), megabytes=size_mb,
                   seconds=time.perf_counter() - start, cpu_seconds=time.process_time() - cpu,
                   failed=failed)


def run_peer(page_input: str, paths: Sequence[Path], size_mb: float) -> Figures:
    """The peer on the same pages, in this process: read, decode, extract (one core)."""
    if page_input == "scraped":
        from cleaner.bench.peers import run_justext, warm_up

        warm_up(("justext",))

        def justext_page(path: Path, number: int) -> None:
            result = run_justext(path.read_bytes())
            if result.error:
                raise RuntimeError(result.error)

        return _timed_loop("jusText (in-process)", paths, size_mb, justext_page)
    import trafilatura  # the benchmark's extra, 'cleaner[bench]'

    trafilatura.extract("<html><body><article><p>" + "Warm up the extractor. " * 20
                        + "</p></article></body></html>")

    def trafilatura_page(path: Path, number: int) -> None:
        trafilatura.extract(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))

    return _timed_loop("trafilatura (in-process)", paths, size_mb, trafilatura_page)


def run_io_floor(paths: Sequence[Path], out: Path, size_mb: float) -> Figures:
    """Read each page and write two outputs of its size through the cleaner's atomic write
    path: what no cleaning can go below."""
    from cleaner.batch.sinks import write_atomic

    def copy_page(path: Path, number: int) -> None:
        text = path.read_bytes().decode("utf-8", "replace")
        stem = out / f"{number // PER_FOLDER:03d}" / f"{number:06d}"
        write_atomic(stem.with_suffix(".txt"), text)
        write_atomic(stem.with_suffix(".json"), json.dumps({"source": path.name, "size": len(text)}))

    return _timed_loop("I/O floor (in-process)", paths, size_mb, copy_page)


# --- one size, all sizes ------------------------------------------------------------------------


def run_size(corpus: Path, page_input: str, size: int, jobs: Sequence[int], with_peer: bool,
             scratch: Path) -> SizeRun:
    found = SizeRun(page_input, size)
    pages_dir = scratch / f"{page_input}-{size}"
    paths = lay_out(corpus_files(corpus, page_input), size, pages_dir)
    size_mb = megabytes(paths)
    note(f"{page_input}: cleaner start-up (one page)")
    one = run_cleaner(paths[0], scratch / f"out-{page_input}-{size}-one", 1, 1, paths[0].stat().st_size / 1e6)
    one.system = "cleaner start-up (1 page)"
    found.systems.append(one)
    for count in jobs:
        note(f"{page_input}, {size} pages: cleaner --jobs {count}")
        found.systems.append(run_cleaner(pages_dir, scratch / f"out-{page_input}-{size}-j{count}",
                                         count, size, size_mb))
    if with_peer:
        note(f"{page_input}, {size} pages: {PEER_OF[page_input]}")
        found.systems.append(run_peer(page_input, paths, size_mb))
    note(f"{page_input}, {size} pages: I/O floor")
    found.systems.append(run_io_floor(paths, scratch / f"floor-{page_input}-{size}", size_mb))
    for folder in [pages_dir, *scratch.glob(f"*-{page_input}-{size}*")]:
        shutil.rmtree(folder, ignore_errors=True)  # the next size gets the disk space back
    return found


def ratios(runs: Sequence[SizeRun]) -> dict[str, float]:
    """The ratios the targets are about, per input and size (and, for memory, across sizes)."""
    found: dict[str, float] = {}

    def share(name: str, top: Figures | None, bottom: Figures | None, attr: str = "pages_per_s") -> None:
        a, b = (getattr(top, attr, None), getattr(bottom, attr, None))
        if a and b:
            found[name] = float(f"{a / b:.3g}")

    for run in runs:
        key = f"{run.page_input}@{run.size}"
        one, two = run.find("cleaner --jobs 1"), run.find("cleaner --jobs 2")
        share(f"{key} jobs2/jobs1", two, one)
        peer, floor = run.find(PEER_OF[run.page_input]), run.find("I/O floor")
        share(f"{key} jobs1/{PEER_OF[run.page_input]}", one, peer)
        share(f"{key} jobs1/{PEER_OF[run.page_input]} (per CPU second)", one, peer, "pages_per_cpu_s")
        share(f"{key} jobs1/io-floor", one, floor)
    for page_input in {r.page_input for r in runs}:
        mine = sorted((r for r in runs if r.page_input == page_input), key=lambda r: r.size)
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        for system in (f.system for f in large.systems if f.peak_pss_mb and "--jobs" in f.system):
            share(f"{page_input} {system} peak memory {large.size}/{small.size}",
                  large.find(system), small.find(system), "peak_pss_mb")
    return found


# --- output -------------------------------------------------------------------------------------


def _mb(value: float | None) -> str:
    return f"{value:.0f}" if value else "-"


def table(runs: Sequence[SizeRun], found: dict[str, float]) -> str:
    lines = []
    for run in runs:
        size_mb = run.systems[-1].megabytes
        lines += ["", f"### {run.page_input}, {run.size} pages ({size_mb:.1f} MB)", "",
                  "| system | pages/s | MB/s | pages/CPU-s | wall s | CPU s | failed | peak PSS MB "
                  "| main RSS MB | worker RSS MB |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for f in run.systems:
            cpu = f"{f.cpu_seconds:.1f}" if f.cpu_seconds is not None else "-"
            lines.append(f"| {f.system} | {f.pages_per_s:.1f} | {f.mb_per_s:.2f} "
                         f"| {f.pages_per_cpu_s:.1f} | {f.seconds:.1f} "
                         f"| {cpu} | {f.failed} | {_mb(f.peak_pss_mb)} | {_mb(f.main_rss_mb)} "
                         f"| {_mb(f.worker_rss_mb)} |")
    lines += ["", "| ratio | value |", "| --- | --- |"]
    lines += [f"| {name} | {value:.3g} |" for name, value in found.items()]
    return "\n".join(lines) + "\n"


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _counts(value: str) -> list[int]:
    try:
        counts = [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"want counts separated by commas, not {value!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("want counts of at least 1")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="a corpus with scraped/ID.txt (and html/ID.html.gz) (default: %(default)s)")
    parser.add_argument("--sizes", type=_counts, default=[2000, 10000],
                        help="page counts, comma-separated (default 2000,10000)")
    parser.add_argument("--pages", type=_counts, help="a quick run: this one size (e.g. 300)")
    parser.add_argument("--jobs", type=_counts, default=[1, 2], help="--jobs values (default 1,2)")
    parser.add_argument("--input", dest="inputs", default="scraped",
                        help="scraped, html or both, comma-separated (default scraped)")
    parser.add_argument("--no-peer", dest="peer", action="store_false",
                        help="leave out jusText / trafilatura")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    inputs = [i.strip() for i in args.inputs.split(",") if i.strip()]
    if not inputs or any(i not in INPUT_FOLDERS for i in inputs):
        parser.error(f"--input: one or more of {', '.join(INPUT_FOLDERS)}")
    sizes = args.pages or args.sizes
    started = time.perf_counter()
    runs = []
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as scratch:
        for page_input in inputs:
            for size in sizes:
                runs.append(run_size(args.corpus, page_input, size, args.jobs, args.peer, Path(scratch)))
                if args.json:  # what is measured so far, should a long run be stopped
                    write_report(args.json, args.corpus, runs, started)
    found = ratios(runs)
    sys.stdout.write(table(runs, found))
    if args.json:
        write_report(args.json, args.corpus, runs, started)
        note(f"figures written to {args.json}")
    return 0


def write_report(path: Path, corpus: Path, runs: Sequence[SizeRun], started: float) -> None:
    report = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                          "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None},
              "corpus": str(corpus), "wall_seconds": round(time.perf_counter() - started, 1),
              "runs": [{"input": r.page_input, "size": r.size,
                        "systems": [f.to_json() for f in r.systems]} for r in runs],
              "ratios": ratios(runs)}
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
