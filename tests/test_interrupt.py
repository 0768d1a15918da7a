"""Interrupting a run: Ctrl-C (SIGINT) or SIGTERM in the middle of a batch leaves only whole
pages (no temporary files, no .txt without its .json), exits 130 (143 for SIGTERM) without a
traceback, and the same command run again finishes the job without redoing finished pages.

Each run is a real ``python -m cleaner run`` in its own process group; the signal is sent once
the first outputs appear, so it lands while pages are being cleaned and written.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_counts

ROOT = Path(__file__).resolve().parents[1]
PAGES = 300
WORDS = ["the", "council", "approved", "budget", "schools", "libraries", "bridges", "residents",
         "meeting", "mayor", "plan", "roads", "families", "cost", "years", "river", "city",
         "new", "old", "long", "public", "final", "version", "letters", "station", "museum",
         "weather", "market", "teachers"]


def make_pages(folder: Path) -> None:
    """PAGES articles of about 13 KB each: enough work for a signal to land mid-run."""
    rng = random.Random(300)
    folder.mkdir()
    for number in range(PAGES):
        paragraphs = []
        for _ in range(30):
            sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
                         .capitalize() + "." for _ in range(rng.randint(3, 6))]
            paragraphs.append(" ".join(sentences))
        text = f"Page number {number}\n\nHome\nNews\n\n" + "\n\n".join(paragraphs) + "\n"
        sub = folder / f"part-{number % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"page-{number:03d}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("interrupt") / "pages"
    make_pages(folder)
    return folder


def start(pages: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    # A process group of its own: signalling the group is what a terminal's Ctrl-C does.
    return subprocess.Popen([sys.executable, "-m", "cleaner", "run", str(pages), str(out), "-q",
                             *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def done(out: Path) -> int:
    """Pages finished so far (their records; the hidden state file is not one)."""
    if not out.exists():
        return 0
    return sum(1 for p in out.rglob("*.json") if not p.name.startswith("."))


def interrupt(proc: subprocess.Popen[str], out: Path, sig: signal.Signals, *,
              group: bool, after: int) -> tuple[int, str]:
    """Send ``sig`` once this run has finished ``after`` more pages (so the signal lands in
    the page loop, not while the rules load); the exit status and stderr."""
    target = done(out) + after
    deadline = time.monotonic() + 60
    while done(out) < target and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    return proc.returncode, stderr


def check_whole(out: Path) -> int:
    """Only whole pages in OUT; returns how many."""
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    records = {p.relative_to(out).with_suffix("") for p in out.rglob("*.json")
               if not p.name.startswith(".")}
    texts = {p.relative_to(out).with_suffix("") for p in out.rglob("*.txt")}
    assert records == texts
    for stem in records:
        record = json.loads((out / stem).with_suffix(".json").read_text(encoding="utf-8"))
        assert record["source"] == f"{stem.as_posix()}.txt"
        text = (out / stem).with_suffix(".txt").read_text(encoding="utf-8")
        assert text.endswith(".\n")  # the whole text, not a cut one
        assert record["word_count"] == len(text.split()) > 100
    return len(records)


def finish(pages: Path, out: Path, finished: int, *extra: str) -> None:
    """The same command again completes the job, redoing nothing already finished."""
    result = subprocess.run([sys.executable, "-m", "cleaner", "run", str(pages), str(out), "-q",
                             *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    summary = run_counts(result.stderr.strip().splitlines()[-1])
    assert summary == f"{PAGES - finished} cleaned, 0 failed, {finished} already done"
    assert check_whole(out) == PAGES


def assert_clean_exit(code: int, stderr: str, expected: int) -> None:
    assert code == expected, stderr
    assert "Traceback" not in stderr
    assert re.search(r"interrupted after \d+ cleaned, 0 failed; finished pages are kept", stderr)


def test_ctrl_c_then_rerun(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stderr = interrupt(start(pages, out), out, signal.SIGINT, group=False, after=20)
    assert_clean_exit(code, stderr, 130)
    finished = check_whole(out)
    assert 20 <= finished < PAGES
    assert (out / "cleaner-errors.jsonl").read_text(encoding="utf-8") == ""
    finish(pages, out, finished)


def test_ctrl_c_to_the_process_group_with_workers(pages: Path, tmp_path: Path) -> None:
    """A terminal's Ctrl-C reaches the workers too: they ignore it, the parent stops them."""
    out = tmp_path / "out"
    code, stderr = interrupt(start(pages, out, "--jobs", "2"), out, signal.SIGINT, group=True,
                             after=20)
    assert_clean_exit(code, stderr, 130)
    finished = check_whole(out)
    assert finished < PAGES
    finish(pages, out, finished, "--jobs", "2")


def test_sigterm_with_workers(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stderr = interrupt(start(pages, out, "--jobs", "2"), out, signal.SIGTERM, group=False,
                             after=20)
    assert_clean_exit(code, stderr, 143)
    finished = check_whole(out)
    assert finished < PAGES
    finish(pages, out, finished)


def test_many_interruptions_give_what_one_run_gives(pages: Path, tmp_path: Path) -> None:
    """Stopped again and again at different points, serial and parallel, then finished: the
    outputs are byte for byte those of one uninterrupted run."""
    whole, pieces = tmp_path / "whole", tmp_path / "pieces"
    result = subprocess.run([sys.executable, "-m", "cleaner", "run", str(pages), str(whole),
                             "-q"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for round_, after in enumerate((5, 50, 80)):
        extra = ("--jobs", "2") if round_ % 2 else ()
        code, stderr = interrupt(start(pages, pieces, *extra), pieces, signal.SIGINT,
                                 group=bool(round_ % 2), after=after)
        assert_clean_exit(code, stderr, 130)
        check_whole(pieces)
    finish(pages, pieces, check_whole(pieces))
    names = {p.relative_to(whole) for p in whole.rglob("*") if p.is_file()}
    assert names == {p.relative_to(pieces) for p in pieces.rglob("*") if p.is_file()}
    for name in names:
        if name.name != ".cleaner-state.json":
            assert (whole / name).read_bytes() == (pieces / name).read_bytes(), name


def test_ctrl_c_outside_the_page_loop_exits_130() -> None:
    """``cleaner clean -`` waiting on stdin (after loading the rules, or still loading them):
    Ctrl-C gives 130 and one line, not click's 'Aborted!' and status 1."""
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", "-"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    wchan = Path(f"/proc/{proc.pid}/wchan")
    deadline = time.monotonic() + 10
    # Wait until it is blocked reading the pipe (Linux tells through /proc), else a while.
    while time.monotonic() < deadline and proc.poll() is None:
        if wchan.exists() and "pipe" in wchan.read_text():
            break
        time.sleep(0.05 if wchan.exists() else 3)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stderr.strip() == "interrupted"
