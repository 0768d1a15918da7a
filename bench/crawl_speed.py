"""How fast `cleaner run` cleans crawl archives and runs on a Dask cluster, against its own
baselines, on the same pages in the same run.

    python bench/crawl_speed.py archive [--count 400] [--jobs 2] [--rounds 3]
    python bench/crawl_speed.py cluster [--pages 300] [--input scraped] [--rounds 3]
    python bench/crawl_speed.py memory [--counts 1000,5000] [--jobs 2]

``archive``: a WARC of ``--count`` corpus pages and the same pages as HTML files
(`make_warc.build`), then ``cleaner run`` on the archive and on the files (``--urls``, so both
see the same URLs), alternated round by round (A B B A: a shared machine's load falls on both
alike). Prints each run's pages/s and the median of the archive's over the files' (the target is
at least 0.9), the same for pages per CPU second, and the peak memory of each (see ``memory``),
and checks that the records agree (`make_warc.compare`).

``memory``: the archive run once at each of ``--counts`` pages (a WARC of that many corpus
pages), with the whole run's memory read from /proc while it runs (`speed.MemoryWatch`): the
peak of the summed proportional set size (PSS) of the run's process and its workers (pages the
forked workers share with it counted once), and the peak resident set (VmHWM) of the main
process and of the largest worker. Prints the peak PSS at the largest count over that at the
smallest: the archive's memory is flat when that is at most 1.2 (nothing kept per record).

``cluster``: a dask.distributed cluster of one worker or of two workers, each worker a process
of one thread, on 127.0.0.1, one cluster at a time (an idle one's processes would take CPU from
the measured one); ``cleaner run IN OUT --scheduler ADDRESS`` on each, alternated round by round
(A B B A), each after an untimed run on 8 pages (a cluster's workers load the models on their
first page, then serve run after run) and an untimed run on an empty folder (the run's start-up:
importing dask, loading the rules, reaching the cluster). Prints pages/s and the median of two
workers' over one's (the target is at least 1.7), the same with the start-up taken off each
run's time (the rate a long run settles at), and the CPU per page of the workers, of the
`cleaner run` process and of the scheduler with the nannies (this process), with the share of
the last two. The cluster's processes and the run's own share the machine's cores, as on a
real single machine. dask's INFO log lines are turned off (warnings and errors only).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_warc import CORPUS, build, compare
from speed import MemoryWatch, corpus_files, lay_out

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    """One `cleaner run` as a whole process: wall seconds, CPU seconds of the process and its
    workers (less moved by the machine's load than wall time), and its memory in MB (0 where
    /proc cannot tell): the peak of the summed PSS of the process and its workers, and the
    peak resident set of the main process and of the largest worker."""

    seconds: float
    cpu: float
    peak_pss_mb: float
    main_rss_mb: float
    worker_rss_mb: float


def timed_run(args: Sequence[str], *, watch: bool = True) -> Run:
    """`cleaner run ARGS -q`, timed and (``watch``) its memory watched: the watch reads /proc
    five times a second, CPU that a cluster's timing should not share."""
    command = [sys.executable, "-m", "cleaner", "run", *args, "-q"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = MemoryWatch(process.pid)
    with memory if watch else contextlib.nullcontext():
        assert process.stderr is not None
        with process.stderr:
            stderr = process.stderr.read().decode("utf-8", "replace")  # drained: no pipe stall
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"error: {' '.join(command)} exited with {code}:\n{stderr}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, memory.peak_pss_kb / 1024,
               memory.main_hwm_kb / 1024, memory.worker_hwm_kb / 1024)


def alternate(names: list[str], round_number: int) -> list[str]:
    """The order of a round: A B, then B A (a load that rises or falls through the run favours
    neither)."""
    return names if round_number % 2 == 0 else names[::-1]


def report(names: Sequence[str], rates: dict[str, list[float]], ratio_name: str) -> float:
    for name in names:
        figures = ", ".join(f"{rate:.2f}" for rate in rates[name])
        print(f"{name:>12}: pages/s {figures}; median {statistics.median(rates[name]):.2f}")
    top, bottom = names
    ratio = statistics.median(rates[top]) / statistics.median(rates[bottom])
    per_round = [a / b for a, b in zip(rates[top], rates[bottom], strict=True)]
    print(f"{ratio_name}: {ratio:.3f} (medians); per round {', '.join(f'{r:.3f}' for r in per_round)}")
    return ratio


def archive_run(work: Path, jobs: int) -> Run:
    out = work / "out-warc"
    shutil.rmtree(out, ignore_errors=True)
    return timed_run([str(work / "crawl"), str(out), "--jobs", str(jobs)])


def memory_line(name: str, run: Run) -> str:
    return (f"{name:>12}: peak PSS {run.peak_pss_mb:.0f} MB (process and workers); peak RSS "
            f"main {run.main_rss_mb:.0f} MB, largest worker {run.worker_rss_mb:.0f} MB")


def archive(count: int, jobs: int, rounds: int, work: Path) -> None:
    build(CORPUS, count, work)
    rates: dict[str, list[float]] = {"archive": [], "files": []}
    per_cpu: dict[str, list[float]] = {"archive": [], "files": []}
    runs: dict[str, list[Run]] = {"archive": [], "files": []}
    for round_number in range(rounds):
        for name in alternate(list(rates), round_number):
            if name == "archive":
                run = archive_run(work, jobs)
            else:
                out = work / "out-html"
                shutil.rmtree(out, ignore_errors=True)
                run = timed_run([str(work / "html"), str(out), "--jobs", str(jobs),
                                 "--urls", str(work / "urls.txt")])
            rates[name].append(count / run.seconds)
            per_cpu[name].append(count / run.cpu)
            runs[name].append(run)
    report(["archive", "files"], rates, "archive / files")
    print("pages per CPU second (the run's process and its workers):")
    report(["archive", "files"], per_cpu, "archive / files, per CPU second")
    for name, done in runs.items():
        print(memory_line(name, max(done, key=lambda run: run.peak_pss_mb)))
    compare(work)


def memory(counts: Sequence[int], jobs: int, work: Path) -> None:
    peaks = []
    for count in counts:
        folder = work / str(count)
        build(CORPUS, count, folder)
        run = archive_run(folder, jobs)
        print(memory_line(f"{count} pages", run) + f"; {count / run.seconds:.1f} pages/s", flush=True)
        peaks.append(run.peak_pss_mb)
        shutil.rmtree(folder)
    if len(peaks) > 1 and peaks[0]:
        print(f"peak PSS {counts[-1]} / {counts[0]} pages: {peaks[-1] / peaks[0]:.3f} (flat: at most 1.2)")


def process_cpu(pid: int) -> float:
    """CPU seconds a process has used so far (user and system), from /proc; 0 without it."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cluster(pages: int, page_input: str, rounds: int, work: Path) -> None:
    # Warnings and errors only, from this process's scheduler and from the worker processes
    # (which read it from the environment they inherit): dask's INFO lines would bury the figures.
    os.environ["DASK_LOGGING__DISTRIBUTED"] = "warning"
    from distributed import LocalCluster

    pages_dir = work / "pages"
    # Pages with text only: an empty corpus page is a failed page, and a run with a failure
    # exits 1, which would stop the bench (beyond the 500th page at the default order).
    lay_out([path for path in corpus_files(CORPUS, page_input) if path.read_bytes().strip()], pages, pages_dir)
    warm = work / "warm"
    for path in sorted(pages_dir.rglob("*"))[:8]:
        if path.is_file():
            warm.mkdir(exist_ok=True)
            shutil.copyfile(path, warm / path.name)
    empty = work / "empty"
    empty.mkdir()
    names = {"2 workers": 2, "1 worker": 1}
    rates: dict[str, list[float]] = {name: [] for name in names}
    net: dict[str, list[float]] = {name: [] for name in names}
    # CPU ms per page of the workers, of the `cleaner run` process, and of this process (the
    # scheduler and the nannies).
    shares: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}
    for round_number in range(rounds):
        for name in alternate(list(names), round_number):
            # One cluster at a time: an idle one's processes still tick (heartbeats, event-loop
            # and memory monitors) on the cores the measured one needs.
            running = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=names[name], threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=":0", silence_logs=logging.WARNING)
            try:
                address = running.scheduler_address
                for folder in (warm, empty):  # the workers warmed up; the run's start-up alone
                    shutil.rmtree(work / "out-warm", ignore_errors=True)
                    start_up = timed_run([str(folder), str(work / "out-warm"), "--scheduler", address],
                                         watch=False).seconds
                out = work / "out"
                shutil.rmtree(out, ignore_errors=True)
                assert running.scheduler is not None
                workers = [state.pid for state in running.scheduler.workers.values()]
                before = sum(process_cpu(pid) for pid in workers), time.process_time()
                run = timed_run([str(pages_dir), str(out), "--scheduler", address], watch=False)
                worker_cpu = sum(process_cpu(pid) for pid in workers) - before[0]
                shares[name].append((worker_cpu, run.cpu, time.process_time() - before[1]))
            finally:
                running.close()
            rates[name].append(pages / run.seconds)
            net[name].append(pages / max(run.seconds - start_up, 1e-3))
    report(list(names), rates, "2 workers / 1 worker")
    print("start-up excluded (the time of a run on an empty folder taken off):")
    report(list(names), net, "2 workers / 1 worker, start-up excluded")
    print("CPU ms per page (medians): workers, the `cleaner run` process, the scheduler and nannies; "
          "the share around the workers")
    for name, figures in shares.items():
        worker_ms, run_ms, scheduler_ms = (statistics.median(f[i] for f in figures) * 1000 / pages
                                           for i in range(3))
        around = (run_ms + scheduler_ms) / (worker_ms + run_ms + scheduler_ms)
        print(f"{name:>12}: {worker_ms:.1f}, {run_ms:.1f}, {scheduler_ms:.1f}; {around:.1%}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["archive", "cluster", "memory"])
    parser.add_argument("--count", type=int, default=400, help="archive: pages in the WARC")
    parser.add_argument("--jobs", type=int, default=2, help="archive, memory: --jobs of the runs")
    parser.add_argument("--counts", default="1000,5000", help="memory: pages in each WARC, comma-separated")
    parser.add_argument("--pages", type=int, default=300, help="cluster: pages cleaned")
    parser.add_argument("--input", default="scraped", choices=["scraped", "html"], help="cluster: page kind")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crawl-speed-") as tmp:
        if args.mode == "archive":
            archive(args.count, args.jobs, args.rounds, Path(tmp))
        elif args.mode == "memory":
            memory(sorted(int(n) for n in args.counts.split(",")), args.jobs, Path(tmp))
        else:
            cluster(args.pages, args.input, args.rounds, Path(tmp))


if __name__ == "__main__":
    main()
