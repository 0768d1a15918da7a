"""What one `cleaner clean` of a small page costs as a whole process, against a bare Python.

    python bench/startup.py [--runs 5] [--page fixtures/pages/clean/council_budget.txt]

Times ``python -c pass`` and ``python -m cleaner clean PAGE`` (with the compiled rules already in
the cache: one run first fills a cache folder of its own) as whole runs, and prints the median
of each, their ratio, the cleaner's mean CPU time, and the peak memory (maximum resident set
size) of the cleaner's runs.
The interpreter is this one, with this environment (so PYTHONPATH picks the tree measured).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL_PAGE = ROOT / "fixtures" / "pages" / "clean" / "council_budget.txt"  # 1.2 KB


def _median_ms(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--page", type=Path, default=SMALL_PAGE, help="the page cleaned")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cleaner-startup-") as cache_home:
        env = {**os.environ, "XDG_CACHE_HOME": cache_home}
        bare = _median_ms([sys.executable, "-c", "pass"], args.runs, env)
        clean = [sys.executable, "-m", "cleaner", "clean", str(args.page)]
        subprocess.run(clean, env=env, check=True, stdout=subprocess.DEVNULL)  # fills the cache
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cleaner = _median_ms(clean, args.runs, env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time is steadier than wall time on a machine that other work shares.
    cpu_ms = ((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)) * 1000 / args.runs
    # Linux gives kilobytes; the largest child is a cleaner run (python -c pass is far smaller).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"python -c pass:           {bare:8.0f} ms (median of {args.runs})")
    print(f"python -m cleaner clean:  {cleaner:8.0f} ms (median of {args.runs}, warm rule cache; "
          f"{args.page.name}, {args.page.stat().st_size} bytes)")
    print(f"ratio:                    {cleaner / bare:8.1f}x")
    print(f"CPU per cleaner run:      {cpu_ms:8.0f} ms (mean, user + system)")
    print(f"peak RSS of the runs:     {peak_mb:8.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
