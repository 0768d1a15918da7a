"""What the compiled core (cleaner._core, Rust) saves, and that it changes no output.

    python bench/core_speed.py [--corpus /work/shared/corpus/wcxb-dev/scraped] [--pages 300] [--run-pages 200]

On the first ``--pages`` pages of the corpus folder, in one process, with the compiled core and
with the pure-Python reference (`cleaner.core.KERNEL` set to None), each with the per-line caches
emptied first:
- the finder: the hand-written finder's pass and the learned finder's features of every line
  (`finder.heuristic` + `finder.line_features`), and whether the feature matrices are the same
  bytes;
- `clean()` of each page, and whether the records are the same;
(each mode twice, in turns, the quicker run kept);
then `cleaner run -j 1` of the first ``--run-pages`` pages in both modes, and whether the two
output folders hold the same bytes. Exits 1 when any output differs. Needs the extension built
(`pip install .`, or `maturin develop`).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from cleaner import Rulebook, clean, core, load_rulebook
from cleaner.cli import main as cli
from cleaner.find import finder, linefeatures
from cleaner.lang.detect import detect
from cleaner.read import unglue

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wcxb-dev" / "scraped"  # ../shared beside the repo
Page = tuple[list[str], str | None]


def _empty_caches() -> None:
    for cached in (linefeatures.line_shape, linefeatures.words_of, finder._score, unglue._split_at_seams,
                   unglue.loose_seams):
        cached.cache_clear()


def _timed(kernel: core.Kernels | None, work: Callable[[], list[bytes]]) -> tuple[float, list[bytes]]:
    core.KERNEL = kernel
    _empty_caches()
    start = time.perf_counter()
    out = work()
    return time.perf_counter() - start, out


def _finder(pages: list[Page]) -> list[bytes]:
    out = []
    for lines, language in pages:
        found = finder.heuristic(lines, language)
        if found.scores:  # the learned finder reads only pages the hand-written one scored
            x, words = finder.line_features(lines, found)
            out.append(x.tobytes() + words.tobytes())
    return out


def _clean(data: list[bytes], rulebook: Rulebook) -> list[bytes]:
    return [json.dumps(clean(page, rulebook).record(), sort_keys=True).encode() for page in data]


def _run(files: list[Path], out: Path) -> None:
    listing = out.with_suffix(".list")
    listing.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--files-from", str(listing), str(out), "-j", "1", "-q"])
    if result.exit_code != 0:
        raise SystemExit(f"cleaner run failed: {result.output}")


def _same_folders(a: Path, b: Path) -> tuple[int, list[str]]:
    """Outputs compared byte for byte (the run's bookkeeping, which holds times, aside)."""
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.suffix in (".txt", ".json"))
    differ = [str(n) for n in names if not (b / n).is_file() or not filecmp.cmp(a / n, b / n, shallow=False)]
    return len(names), differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--run-pages", type=int, default=200)
    args = parser.parse_args()
    compiled = core.KERNEL
    if compiled is None:
        raise SystemExit("the compiled core is not built: pip install . (or maturin develop) first")
    files = sorted(args.corpus.glob("*.txt"))[: args.pages]
    data = [f.read_bytes() for f in files]
    texts = [d.decode("utf-8", errors="replace") for d in data]
    pages = [([s for s in (line.strip() for line in t.splitlines()) if s], detect(t)) for t in texts]
    rulebook = load_rulebook()
    _finder(pages[:5])  # models and stop-word lists loaded before any timing
    lines = sum(len(p[0]) for p in pages)
    print(f"{len(files)} pages, {lines} lines, from {args.corpus}")
    failed = False
    for label, work in (("finder (heuristic + line features)", lambda: _finder(pages)),
                        ("clean() of each page", lambda: _clean(data, rulebook))):
        # Each mode twice, in turns, the quicker run of each kept: the first runs warm shared
        # caches (compiled rules, models) for both.
        slow, slow_out = _timed(None, work)
        fast, fast_out = _timed(compiled, work)
        slow = min(slow, _timed(None, work)[0])
        fast = min(fast, _timed(compiled, work)[0])
        same = fast_out == slow_out
        failed |= not same
        print(f"{label}: rust {fast:.2f} s, python {slow:.2f} s, {slow / fast:.2f}x; "
              f"outputs {'identical' if same else 'DIFFER'}")
    with tempfile.TemporaryDirectory() as tmp:
        runs = {}
        _run(files[:3], Path(tmp) / "warm-up")
        for name, kernel in (("rust", compiled), ("python", None)):
            core.KERNEL = kernel
            _empty_caches()
            start = time.perf_counter()
            _run(files[: args.run_pages], Path(tmp) / name)
            runs[name] = time.perf_counter() - start
        count, differ = _same_folders(Path(tmp) / "rust", Path(tmp) / "python")
        failed |= bool(differ) or count == 0
        print(f"cleaner run -j 1 of {args.run_pages} pages: rust {runs['rust']:.2f} s, python {runs['python']:.2f} s; "
              f"{count} output files, {len(differ)} differ {differ[:5]}")
    core.KERNEL = compiled
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
