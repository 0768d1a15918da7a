"""How fast `cleaner run` cleans crawl archives and runs on a Dask cluster, against its own
baselines, on the same pages in the same run.

    python bench/crawl_speed.py archive [--count 400] [--jobs 2] [--rounds 3]
    python bench/crawl_speed.py cluster [--pages 300] [--input scraped] [--rounds 3]

``archive``: a WARC of ``--count`` corpus pages and the same pages as HTML files
(`make_warc.build`), then ``cleaner run`` on the archive and on the files (``--urls``, so both
see the same URLs), alternated round by round (A B B A: a shared machine's load falls on both
alike). Prints each run's pages/s and the median of the archive's over the files' (the target is
at least 0.9), the same for pages per CPU second, and checks that the records agree (`make_warc.compare`).

``cluster``: a dask.distributed cluster of one worker and one of two workers, each worker a
process of one thread, on 127.0.0.1; ``cleaner run IN OUT --scheduler ADDRESS`` on each, alternated
round by round (A B B A) after one untimed run each (a cluster's workers load the models once, on their
first page, and serve run after run). Prints pages/s and the median of two workers' over one's
(the target is at least 1.7). The clusters' processes and the run's own share the machine's
cores, as on a real single machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_warc import CORPUS, build, compare
from speed import corpus_files, lay_out

ROOT = Path(__file__).resolve().parents[1]


def timed_run(args: Sequence[str]) -> tuple[float, float]:
    """Seconds `cleaner run ARGS -q` takes as a whole process: wall time, and CPU time of the
    process and its workers (less moved by the machine's load than wall time)."""
    command = [sys.executable, "-m", "cleaner", "run", *args, "-q"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    with process.stderr:
        stderr = process.stderr.read().decode("utf-8", "replace")  # drained: no pipe stall
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"error: {' '.join(command)} exited with {code}:\n{stderr}")
    return seconds, usage.ru_utime + usage.ru_stime


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


def archive(count: int, jobs: int, rounds: int, work: Path) -> None:
    build(CORPUS, count, work)
    rates: dict[str, list[float]] = {"archive": [], "files": []}
    per_cpu: dict[str, list[float]] = {"archive": [], "files": []}
    for round_number in range(rounds):
        for name in alternate(list(rates), round_number):
            out = work / ("out-warc" if name == "archive" else "out-html")
            shutil.rmtree(out, ignore_errors=True)
            if name == "archive":
                seconds, cpu = timed_run([str(work / "crawl"), str(out), "--jobs", str(jobs)])
            else:
                seconds, cpu = timed_run([str(work / "html"), str(out), "--jobs", str(jobs),
                                          "--urls", str(work / "urls.txt")])
            rates[name].append(count / seconds)
            per_cpu[name].append(count / cpu)
    report(["archive", "files"], rates, "archive / files")
    print("pages per CPU second (the run's process and its workers):")
    report(["archive", "files"], per_cpu, "archive / files, per CPU second")
    compare(work)


def cluster(pages: int, page_input: str, rounds: int, work: Path) -> None:
    from distributed import LocalCluster

    pages_dir = work / "pages"
    lay_out(corpus_files(CORPUS, page_input), pages, pages_dir)
    warm = work / "warm"
    for path in sorted(pages_dir.rglob("*"))[:8]:
        if path.is_file():
            warm.mkdir(exist_ok=True)
            shutil.copyfile(path, warm / path.name)
    clusters = {f"{n} worker{'s' if n > 1 else ''}": LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0")
        for n in (2, 1)}
    try:
        for running in clusters.values():
            shutil.rmtree(work / "out-warm", ignore_errors=True)
            timed_run([str(warm), str(work / "out-warm"), "--scheduler", running.scheduler_address])
        rates: dict[str, list[float]] = {name: [] for name in clusters}
        for round_number in range(rounds):
            for name in alternate(list(clusters), round_number):
                running = clusters[name]
                out = work / f"out-{name.split()[0]}"
                shutil.rmtree(out, ignore_errors=True)
                seconds, _ = timed_run([str(pages_dir), str(out), "--scheduler", running.scheduler_address])
                rates[name].append(pages / seconds)
        report(list(clusters), rates, "2 workers / 1 worker")
    finally:
        for running in clusters.values():
            running.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["archive", "cluster"])
    parser.add_argument("--count", type=int, default=400, help="archive: pages in the WARC")
    parser.add_argument("--jobs", type=int, default=2, help="archive: --jobs of both runs")
    parser.add_argument("--pages", type=int, default=300, help="cluster: pages cleaned")
    parser.add_argument("--input", default="scraped", choices=["scraped", "html"], help="cluster: page kind")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crawl-speed-") as tmp:
        if args.mode == "archive":
            archive(args.count, args.jobs, args.rounds, Path(tmp))
        else:
            cluster(args.pages, args.input, args.rounds, Path(tmp))


if __name__ == "__main__":
    main()
