"""bench/speed.py on a tiny corpus of its own: every system runs on the same pages, the figures
and the ratios the speed targets are about are in the table and the JSON."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import PAGES

ROOT = Path(__file__).resolve().parents[1]


def speed_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("speed_bench", ROOT / "bench" / "speed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["speed_bench"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_lay_out_cycles_the_corpus_to_the_count(tmp_path: Path) -> None:
    speed = speed_module()
    files = sorted((PAGES / "clean").glob("*.txt"))[:2]
    laid = speed.lay_out(files, 5, tmp_path / "in")
    assert len(laid) == 5 and laid == sorted(laid)
    assert [p.read_bytes() for p in laid] == [files[n % 2].read_bytes() for n in range(5)]


def test_speed_bench_on_a_tiny_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    speed = speed_module()
    corpus = tmp_path / "corpus"
    (corpus / "scraped").mkdir(parents=True)
    for page in sorted((PAGES / "clean").glob("*.txt"))[:2]:
        (corpus / "scraped" / page.name).write_bytes(page.read_bytes())
    report = tmp_path / "speed.json"
    assert speed.main(["--corpus", str(corpus), "--sizes", "2,3", "--jobs", "1,2",
                       "--json", str(report)]) == 0
    table = capsys.readouterr().out
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert [(r["input"], r["size"]) for r in figures["runs"]] == [("scraped", 2), ("scraped", 3)]
    for run in figures["runs"]:
        systems = {s["system"]: s for s in run["systems"]}
        assert set(systems) == {"cleaner start-up (1 page)", "cleaner --jobs 1", "cleaner --jobs 2",
                                "jusText (in-process)", "I/O floor (in-process)"}
        for name, found in systems.items():
            assert found["failed"] == 0 and found["pages_per_s"] > 0, name
            assert found["pages"] == (1 if "start-up" in name else run["size"])
        # (Whether a poll catches the --jobs 2 workers of a 3-page run depends on the machine's
        # speed: their memory is not asserted here.)
        assert systems["cleaner --jobs 1"]["worker_rss_mb"] is None  # -j 1 forks none
        assert systems["cleaner --jobs 1"]["peak_pss_mb"] > 0
    for ratio in ("scraped@3 jobs2/jobs1", "scraped@3 jobs1/jusText", "scraped@3 jobs1/io-floor",
                  "scraped cleaner --jobs 2 peak memory 3/2"):
        assert figures["ratios"][ratio] > 0
        assert f"| {ratio} |" in table
