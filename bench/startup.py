"""What one `cleaner clean` of a small page costs as a whole process, against a bare Python.

    python bench/startup.py [--runs 5] [--page fixtures/pages/clean/council_budget.txt]

Times ``python -c pass`` and ``python -m cleaner clean PAGE`` (with the compiled rules and the
language detection model already in the cache: one run first fills a cache folder of its own)
as whole runs, and prints the median of each, their ratio, the cleaner's mean CPU time, and the
peak memory (maximum resident set size) of the cleaner's timed runs; then what the first run,
which filled the cache, cost.
The interpreter is this one, with this environment (so PYTHONPATH picks the tree measured),
except that Python may write its bytecode: `pip install` compiles a package's bytecode once, so
a user's runs never compile the sources, and neither do the timed runs here (the first one does).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL_PAGE = ROOT / "fixtures" / "pages" / "clean" / "council_budget.txt"  # 1.2 KB


def _runs(command: list[str], runs: int, env: dict[str, str]) -> tuple[float, float, float]:
    """Median wall time (ms), mean CPU time (ms, user + system) and peak resident set size (MB)
    of ``runs`` whole runs of ``command``: each run's own figures, from wait4."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        walls.append((time.perf_counter() - start) * 1000)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command)
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
        peaks.append(usage.ru_maxrss / 1024)  # Linux gives kilobytes
    return statistics.median(walls), statistics.mean(cpus), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--page", type=Path, default=SMALL_PAGE, help="the page cleaned")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cleaner-startup-") as cache_home:
        env = {**os.environ, "XDG_CACHE_HOME": cache_home}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        bare, bare_cpu, _ = _runs([sys.executable, "-c", "pass"], args.runs, env)
        clean = [sys.executable, "-m", "cleaner", "clean", str(args.page)]
        _, first_cpu, first_peak = _runs(clean, 1, env)  # fills the cache
        cleaner, cpu_ms, peak_mb = _runs(clean, args.runs, env)
    # CPU time is steadier than wall time on a machine that other work shares.
    print(f"python -c pass:           {bare:8.0f} ms (median of {args.runs})")
    print(f"python -m cleaner clean:  {cleaner:8.0f} ms (median of {args.runs}, warm caches; "
          f"{args.page.name}, {args.page.stat().st_size} bytes)")
    print(f"ratio:                    {cleaner / bare:8.1f}x")
    print(f"CPU per cleaner run:      {cpu_ms:8.0f} ms (mean, user + system; "
          f"{cpu_ms / max(bare_cpu, 1.0):.1f}x python -c pass's {bare_cpu:.0f} ms)")
    print(f"peak RSS of the runs:     {peak_mb:8.0f} MB")
    print(f"first run (fills caches): {first_cpu:8.0f} ms CPU, {first_peak:.0f} MB peak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
