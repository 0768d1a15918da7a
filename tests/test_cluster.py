"""The cluster mode: ``cleaner run --scheduler ADDRESS`` cleans on a dask.distributed cluster
(here a scheduler and two one-thread worker processes on 127.0.0.1) and writes exactly what a
local run writes; failures, resume and the time limit work as locally."""

from __future__ import annotations

import filecmp
import json
import logging
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PAGES

from cleaner.batch.deadline import PageTimeout, page_deadline
from cleaner.cli.app import main

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(PAGES / "news", folder / "news")
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)  # an image
    (folder / "page.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Ferry terminal opens</h1><p>"
        + "The harbour authority opened the new ferry terminal on Monday after three years. " * 3
        + "</p></article></body></html>", encoding="utf-8")
    return folder


def same_tree(left: Path, right: Path) -> None:
    compared = filecmp.dircmp(left, right, ignore=[".cleaner-state.json", "cleaner-errors.jsonl"])
    stack = [compared]
    while stack:
        node = stack.pop()
        assert not node.left_only and not node.right_only, (node.left_only, node.right_only)
        _, mismatch, errors = filecmp.cmpfiles(node.left, node.right, node.common_files, shallow=False)
        assert not mismatch and not errors, mismatch
        stack.extend(node.subdirs.values())


def test_a_cluster_run_writes_what_a_local_run_writes(tmp_path: Path, scheduler: str) -> None:
    folder = pages(tmp_path)
    runner = CliRunner()
    # A generous page time limit: a loaded test machine must not make the two runs differ.
    local = runner.invoke(main, ["run", str(folder), str(tmp_path / "local"), "-q",
                                 "--page-timeout", "120"])
    remote = runner.invoke(main, ["run", str(folder), str(tmp_path / "remote"), "-q",
                                  "--page-timeout", "120", "--scheduler", scheduler])
    assert local.exit_code == remote.exit_code == 1, remote.stderr  # the binary page fails
    same_tree(tmp_path / "local", tmp_path / "remote")
    errors = [json.loads(line) for line in
              (tmp_path / "remote" / "cleaner-errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [entry["source"] for entry in errors] == ["broken.txt"]
    # A rerun finds every page done; JSON Lines on stdout are the local run's lines.
    again = runner.invoke(main, ["run", str(folder), str(tmp_path / "remote"), "--page-timeout", "120",
                                 "--scheduler", scheduler])
    assert "0 cleaned" in again.stderr.splitlines()[-1]
    lines_local = runner.invoke(main, ["run", str(folder), "-", "-q", "--page-timeout", "0"]).stdout
    lines_remote = runner.invoke(main, ["run", str(folder), "-", "-q", "--page-timeout", "0",
                                        "--scheduler", scheduler]).stdout
    assert lines_remote == lines_local and lines_local.count("\n") >= 10


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    folder = pages(tmp_path)
    result = CliRunner().invoke(main, ["run", str(folder), str(tmp_path / "out"),
                                       "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "cannot reach the dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr


def test_dask_info_lines_are_off_unless_dask_is_told_otherwise(tmp_path: Path, scheduler: str) -> None:
    import dask.config

    dask_logger = logging.getLogger("distributed")
    previous = dask_logger.level
    folder = tmp_path / "in"
    shutil.copytree(PAGES / "news", folder)
    try:
        dask_logger.setLevel(logging.INFO)  # dask's default, as in a fresh process
        result = CliRunner().invoke(main, ["run", str(folder), str(tmp_path / "a"), "-q", "--scheduler", scheduler])
        assert result.exit_code == 0, result.stderr
        assert not dask_logger.isEnabledFor(logging.INFO) and dask_logger.isEnabledFor(logging.WARNING)
        # The user's own dask logging config holds.
        dask_logger.setLevel(logging.INFO)
        with dask.config.set({"logging": {"distributed": "info"}}):
            result = CliRunner().invoke(main, ["run", str(folder), str(tmp_path / "b"), "-q", "--scheduler", scheduler])
        assert result.exit_code == 0, result.stderr
        assert dask_logger.isEnabledFor(logging.INFO)
    finally:
        dask_logger.setLevel(previous)


def test_the_page_time_limit_holds_in_a_worker_thread() -> None:
    outcome: list[str] = []

    def slow_page() -> None:
        try:
            with page_deadline(0.2):
                end = time.monotonic() + 5
                while time.monotonic() < end:  # Python work, as a slow rule's loop is
                    sum(range(1000))
            outcome.append("finished")
        except PageTimeout:
            outcome.append("abandoned")
        # The limit is over with the page: the next page in this thread runs on.
        with page_deadline(0.2):
            pass
        time.sleep(0.4)
        outcome.append("next page fine")

    thread = threading.Thread(target=slow_page)
    started = time.monotonic()
    thread.start()
    thread.join(10)
    assert outcome == ["abandoned", "next page fine"]
    assert time.monotonic() - started < 3
