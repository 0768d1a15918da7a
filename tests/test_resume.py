"""Resuming a run (`cleaner.batch.ledger`): a page counts as done only when its own line in the
state file says it was made from this input with this fingerprint, and both its outputs are as
written; two runs never share an output folder; two input names never share an output.

Each check is a real ``python -m cleaner run`` on a few pages, so each takes seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_counts

from cleaner.batch.ledger import LOCK_FILE, STATE_FILE, Lock

ROOT = Path(__file__).resolve().parents[1]
PAGES = 120
ARTICLE = ("The council approved the new budget for schools and libraries on Tuesday after a "
           "long public meeting. Residents asked about roads, bridges and the cost of the plan "
           "over the next ten years, and the mayor answered every question in turn.\n\n")
ZEBRA_RULES = (
    "name: zebra\n"
    "description: Drops the zebra line, so outputs made with it differ from those made without.\n"
    "rules:\n"
    "  - id: zebra-line\n"
    "    why: The zebra line marks which rules a page was cleaned with.\n"
    "    match:\n"
    "      regex: 'zebra crossing'\n"
    "    action: drop\n"
    "    examples:\n"
    "      drop: ['A zebra crossing line.']\n"
    "      keep: ['A horse line.']\n")


def run(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", "run", "-q", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def summary(result: subprocess.CompletedProcess[str]) -> str:
    return run_counts(result.stderr.strip().splitlines()[-1])


def make_pages(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for number in range(count):
        text = (f"Page number {number}\n\n" + ARTICLE * 6
                + "Readers saw a zebra crossing on the square that morning.\n\n" + ARTICLE * 4)
        (folder / f"page-{number:03d}.txt").write_text(text, encoding="utf-8")


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    make_pages(tmp_path / "in", 8)
    return tmp_path / "in"


@pytest.fixture
def zebra(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "zebra.yaml").write_text(ZEBRA_RULES, encoding="utf-8")
    return rules


def with_zebra(out: Path) -> list[str]:
    """The outputs in OUT that still hold the zebra line (made without the zebra rule)."""
    return sorted(p.name for p in out.glob("*.txt") if "zebra" in p.read_text(encoding="utf-8"))


def state_lines(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / STATE_FILE).read_text(encoding="utf-8").splitlines()]


def test_changed_rules_then_interrupt_then_rerun(tmp_path: Path, zebra: Path) -> None:
    """The bug: a run with other rules, interrupted, then run again, called every page done and
    kept those made with the old rules. Now the rerun redoes exactly the pages the interrupted
    run had not remade, and every output is made with the new rules."""
    pages = tmp_path / "many"
    make_pages(pages, PAGES)
    out = tmp_path / "out"
    first = run(pages, out)
    assert first.returncode == 0, first.stderr
    assert len(with_zebra(out)) == PAGES
    old = state_lines(out)[0]["fingerprint"]
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "run", "-q", str(pages), str(out),
                             "--rules", str(zebra)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        with_new = [e for e in state_lines(out) if e.get("fingerprint") != old]
        if len(with_new) >= 6:  # the header and five pages
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    remade = PAGES - len(with_zebra(out))
    assert 5 <= remade < PAGES
    again = run(pages, out, "--rules", zebra)
    assert again.returncode == 0, again.stderr
    assert summary(again) == f"{PAGES - remade} cleaned, 0 failed, {remade} already done"
    assert with_zebra(out) == []
    # And back to the old rules: nothing made with the zebra rule is served.
    back = run(pages, out)
    assert summary(back) == f"{PAGES} cleaned, 0 failed"
    assert len(with_zebra(out)) == PAGES


def test_damaged_outputs_and_changed_inputs_are_redone(tmp_path: Path, pages: Path) -> None:
    out = tmp_path / "out"
    assert run(pages, out).returncode == 0
    whole = (out / "page-001.txt").read_text(encoding="utf-8")
    with open(out / "page-001.txt", "r+b") as handle:  # cut short, its .json left intact
        handle.truncate(100)
    (out / "page-002.json").write_text("{}", encoding="utf-8")  # a record edited by hand
    os.utime(pages / "page-003.txt")  # touched, not changed: still done (same content hash)
    text = (pages / "page-004.txt").read_text(encoding="utf-8")
    stat = (pages / "page-004.txt").stat()
    (pages / "page-004.txt").write_text(text.replace("Tuesday", "Thursday"), encoding="utf-8")
    os.utime(pages / "page-004.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    again = run(pages, out)
    assert summary(again) == "3 cleaned, 0 failed, 5 already done", again.stderr
    assert (out / "page-001.txt").read_text(encoding="utf-8") == whole
    assert json.loads((out / "page-002.json").read_text(encoding="utf-8"))["source"] == "page-002.txt"
    assert "Thursday" in (out / "page-004.txt").read_text(encoding="utf-8")


def test_a_cut_state_file_costs_only_work(tmp_path: Path, pages: Path) -> None:
    """A crash mid-line (power cut) leaves half a line: that page is done again, the rest not."""
    out = tmp_path / "out"
    assert run(pages, out).returncode == 0
    state = (out / STATE_FILE).read_text(encoding="utf-8")
    (out / STATE_FILE).write_text(state[: len(state) - 40], encoding="utf-8")
    assert summary(run(pages, out)) == "1 cleaned, 0 failed, 7 already done"


def test_a_second_run_into_a_held_folder_is_refused(tmp_path: Path, pages: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    lock = Lock(out.resolve())
    lock.take()  # another run holds the folder
    try:
        refused = run(pages, out)
    finally:
        lock.release()
    assert refused.returncode == 2
    assert f"in use by another cleaner run (pid {os.getpid()})" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not list(out.glob("*.txt"))  # nothing written, nothing mixed
    # The lock of a run that died (its pid in the file, nobody holding it) is taken over.
    (out / LOCK_FILE).write_text("999999\n", encoding="utf-8")
    taken = run(pages, out)
    assert summary(taken) == "8 cleaned, 0 failed", taken.stderr
    assert not (out / LOCK_FILE).exists()  # let go at the end


def test_concurrent_runs_with_different_rules(tmp_path: Path, zebra: Path) -> None:
    """Two runs started together into one folder: one works, the other is refused (exit 2);
    the outputs are all of the one that worked."""
    pages = tmp_path / "many"
    make_pages(pages, 40)
    out = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, "-m", "cleaner", "run", "-q", str(pages), str(out),
                               *extra], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for extra in ([], ["--rules", str(zebra)])]
    codes = []
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        codes.append(proc.returncode)
        assert "Traceback" not in stderr
    if sorted(codes) == [0, 2]:
        winner_used_zebra = codes[1] == 0
        assert len(with_zebra(out)) == (0 if winner_used_zebra else 40)
    else:  # one ran after the other had finished: the second redid every page
        assert codes == [0, 0]
        assert len(with_zebra(out)) in (0, 40)
    assert len(list(out.glob("*.txt"))) == 40


def test_names_differing_only_in_undecodable_bytes(tmp_path: Path, pages: Path) -> None:
    """b\\xfe.txt and b\\xff.txt (bytes that are not UTF-8) get an output each, named with the
    bytes escaped; a name that clashes all the same is an error for that page, not an overwrite."""
    for folder in ("distinct", "clash"):
        (pages / folder).mkdir()
        for byte in (b"\xfe", b"\xff"):
            if folder == "clash" and byte == b"\xff":
                continue
            with open(os.fsencode(pages / folder) + b"/b" + byte + b".txt", "wb") as handle:
                handle.write((ARTICLE * 3 + f"The {byte.hex()} marker is here.\n\n" + ARTICLE * 3)
                             .encode())
    # A name that is literally the escape of another.
    (pages / "clash" / "b\\xfe.md").write_text(ARTICLE * 5, encoding="utf-8")
    out = tmp_path / "out"
    result = run(pages, out)
    assert result.returncode == 1
    log = [json.loads(line) for line in (out / "cleaner-errors.jsonl").read_text().splitlines()]
    assert [entry["source"] for entry in log] == ["clash/b\\xfe.txt"]
    assert "its output name clash/b\\xfe.txt is already used by clash/b\\xfe.md" in log[0]["error"]
    for byte in ("fe", "ff"):
        assert f"The {byte} marker" in (out / f"distinct/b\\x{byte}.txt").read_text(encoding="utf-8")
        record = json.loads((out / f"distinct/b\\x{byte}.json").read_text(encoding="utf-8"))
        assert record["source"] == f"distinct/b\\x{byte}.txt"
    again = run(pages, out)
    assert summary(again).startswith("0 cleaned, 1 failed, 11 already done"), again.stderr


def test_fsync_run_and_a_state_file_that_is_a_folder(tmp_path: Path, pages: Path) -> None:
    out = tmp_path / "out"
    assert summary(run(pages, out, "--fsync")) == "8 cleaned, 0 failed"
    assert summary(run(pages, out, "--fsync")) == "0 cleaned, 0 failed, 8 already done"
    broken = tmp_path / "broken"
    (broken / STATE_FILE).mkdir(parents=True)
    result = run(pages, broken)
    assert result.returncode == 2
    assert "the state file is a folder; remove it" in result.stderr
    assert STATE_FILE in result.stderr and "Traceback" not in result.stderr


def test_rule_folder_order_is_in_the_fingerprint(tmp_path: Path) -> None:
    """Swapping two --rules folders changes which rule takes a line first: other outputs."""
    from cleaner.batch.fingerprint import fingerprint

    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text("name: one\n", encoding="utf-8")
    two.write_text("name: two\n", encoding="utf-8")
    assert fingerprint([one, two], {}) != fingerprint([two, one], {})
    assert fingerprint([one, two], {}) == fingerprint([one, two], {})
