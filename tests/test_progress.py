"""What `cleaner run` tells while it works and when it is done: the progress line on a terminal
(and nothing of it in a log or with -q), the summary's speed figures, and how many processes
--jobs starts."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import run_counts

from cleaner.batch import executors
from cleaner.batch.sources import Job
from cleaner.cli import main
from cleaner.cli import run as run_command
from cleaner.cli.progress import Progress, count_pages

SENTENCE = ("The council met on Tuesday and approved the plan for the new library after a long "
            "public meeting that went on late into the evening.\n\n")


def make_pages(folder: Path, count: int, size: int = 2000) -> int:
    """``count`` article pages of about ``size`` bytes each; their total size."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(count):
        body = f"Library plan number {number}\n\n" + SENTENCE * (size // len(SENTENCE) + 1)
        data = body[:size].encode()
        (folder / f"page{number:02d}.txt").write_bytes(data)
        total += len(data)
    return total


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_command, "stderr_is_terminal", lambda: True)


def test_progress_line_counts_pages_failures_and_time_left() -> None:
    screen = io.StringIO()
    progress = Progress(True, total=3, file=screen, every=0)
    progress.advance()
    progress.advance(failed=True)
    progress.advance()
    shown = screen.getvalue()
    progress.close()
    last = shown.split("\r")[-1]
    assert "3/3" in last and "1 failed" in last, last
    assert re.search(r"pages/s", last), last
    assert re.search(r"\d\d:\d\d left", last), last  # the time left, known from the total


def test_progress_line_without_total_has_no_time_left() -> None:
    screen = io.StringIO()
    progress = Progress(True, file=screen, every=0)
    progress.advance()
    last = screen.getvalue().split("\r")[-1]
    progress.close()
    assert "1 pages" in last and "0 failed" in last, last
    assert "left" not in last, last


def test_no_progress_line_when_not_shown() -> None:
    screen = io.StringIO()
    progress = Progress(False, total=3, file=screen, every=0)
    progress.advance(failed=True)
    with progress.aside():
        pass
    progress.close()
    assert screen.getvalue() == ""


def test_run_on_a_terminal_draws_the_line_instead_of_page_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_pages(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")  # fails: an empty page
    on_a_terminal(monkeypatch)
    result = invoke("run", tmp_path / "in", tmp_path / "out", "-j", "1")
    assert result.exit_code == 1, result.stderr
    assert "\r" in result.stderr and "/4" in result.stderr  # the line, with the pages counted first
    assert "cleaned page00.txt" not in result.stderr
    assert "error: empty.txt" in result.stderr  # errors are still printed, above the line
    summary = result.stderr.strip().split("\n")[-1].split("\r")[-1]
    assert run_counts(summary).startswith("3 cleaned, 1 failed")


def test_quiet_or_piped_stderr_gets_no_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_pages(tmp_path / "in", 2)
    piped = invoke("run", tmp_path / "in", tmp_path / "out1", "-j", "1")  # CliRunner: not a TTY
    assert "\r" not in piped.stderr and "cleaned page00.txt" in piped.stderr
    on_a_terminal(monkeypatch)
    quiet = invoke("run", tmp_path / "in", tmp_path / "out2", "-j", "1", "-q")
    assert "\r" not in quiet.stderr
    assert run_counts(quiet.stderr.strip()) == "2 cleaned, 0 failed"


def test_summary_gives_megabytes_read_time_and_rate(tmp_path: Path) -> None:
    size = make_pages(tmp_path / "in", 4, size=30_000)
    result = invoke("run", tmp_path / "in", tmp_path / "out", "-q", "-j", "1")
    summary = result.stderr.strip().splitlines()[-1]
    found = re.fullmatch(r"4 cleaned, 0 failed; ([\d.]+) MB read in ([\d.]+) s, ([\d.]+) pages/s", summary)
    assert found, summary
    assert float(found.group(1)) == pytest.approx(size / 1e6, abs=0.005)
    seconds, rate = float(found.group(2)), float(found.group(3))
    assert rate > 0 and rate * max(seconds, 0.05) == pytest.approx(4, rel=0.6)
    # Pages already done are not read again: nothing read, nothing counted in the rate.
    again = invoke("run", tmp_path / "in", tmp_path / "out", "-q", "-j", "1")
    assert again.stderr.strip().splitlines()[-1].startswith(
        "0 cleaned, 0 failed, 4 already done; 0.00 MB read in")


def test_count_pages(tmp_path: Path) -> None:
    make_pages(tmp_path / "in", 3)
    (tmp_path / "in" / ".hidden.txt").write_text("skipped")
    assert count_pages(tmp_path / "in", None, follow_links=False) == 3
    assert count_pages(tmp_path / "in" / "page00.txt", None, follow_links=False) == 1
    (tmp_path / "in" / "crawl.warc.gz").write_bytes(b"")
    assert count_pages(tmp_path / "in", None, follow_links=False) is None  # records unknown


def test_count_pages_gives_up_on_a_tree_too_large_to_count_in_time(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(600):
        (folder / f"{number}.txt").write_bytes(b"x")
    assert count_pages(folder, None, follow_links=False, budget=0) is None
    assert count_pages(folder, None, follow_links=False) == 600


def test_jobs_default_is_the_usable_cores() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert executors.usable_cores() == expected
    help_text = invoke("run", "--help").output
    assert f"Default: {expected}, the processors" in " ".join(help_text.split())


def test_fewer_pages_than_jobs_start_no_more_workers(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path, rulebook: object) -> None:
    make_pages(tmp_path, 1)
    started: list[int] = []
    real = executors._in_workers

    def counted(jobs: object, settings: object, workers: int) -> object:
        started.append(workers)
        return real(jobs, settings, workers)  # type: ignore[arg-type]

    monkeypatch.setattr(executors, "_in_workers", counted)
    page = tmp_path / "page00.txt"
    one = list(executors.clean_jobs([Job(str(page), "page00.txt")], rulebook, workers=4))  # type: ignore[arg-type]
    assert [r.ok for r in one] == [True] and started == []  # cleaned here, no process forked
    make_pages(tmp_path, 3)
    jobs = [Job(str(tmp_path / f"page{n:02d}.txt"), f"page{n:02d}.txt") for n in range(3)]
    three = list(executors.clean_jobs(jobs, rulebook, workers=8))  # type: ignore[arg-type]
    assert [r.source for r in three] == [j.source for j in jobs] and all(r.ok for r in three)
    assert started == [3]
    assert [r.size for r in three] == [(tmp_path / j.source).stat().st_size for j in jobs]
