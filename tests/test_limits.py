"""Limits that keep one page or one rule file from hanging a run: the per-page time limit
(--page-timeout, for --jobs 1 and worker processes), the limits on rule files (alias expansion,
nesting depth, size), Ctrl-C that lands where Python swallows it, links out of INPUT, and the
reasons for pages that are empty or have a hole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_counts

from cleaner import RuleError, load_rulebook
from cleaner.batch import executors, sources
from cleaner.cli import app, options

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ("The council approved the new budget for schools and libraries on Tuesday after a "
           "long public meeting. Residents asked about roads, bridges and the cost of the plan "
           "over the next ten years, and the mayor answered every question in turn.\n\n") * 5
SLOW_RULES = (
    "name: slow\n"
    "description: Backtracks for about a third of a second on each line of 28 a's and a b.\n"
    "rules:\n"
    "  - id: runs-of-a\n"
    "    why: Lines made of the letter a alone are noise.\n"
    "    match:\n"
    "      regex: '^(?=(a|aa)+$)a'\n"
    "    action: drop\n"
    "    examples:\n"
    "      drop: ['aaaa']\n"
    "      keep: ['aab']\n")


def cleaner(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def error_log(out: Path) -> dict[str, str]:
    lines = (out / "cleaner-errors.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["source"]: e["error"] for e in map(json.loads, lines)}


@pytest.fixture
def slow(tmp_path: Path) -> tuple[Path, Path]:
    """A slow rule, and pages: one with 100 lines each just under --regex-timeout 5 (about
    30 s in all, unbounded before), two fine ones."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "slow.yaml").write_text(SLOW_RULES, encoding="utf-8")
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "a-fine.txt").write_text(ARTICLE, encoding="utf-8")
    (tree / "b-slow.txt").write_text(ARTICLE + ("a" * 28 + "b\n") * 100, encoding="utf-8")
    (tree / "c-fine.txt").write_text(ARTICLE, encoding="utf-8")
    return rules, tree


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_page_timeout_abandons_a_slow_page(slow: tuple[Path, Path], tmp_path: Path,
                                           jobs: str) -> None:
    rules, tree = slow
    out = tmp_path / "out"
    started = time.monotonic()
    result = cleaner("run", tree, out, "--rules", rules, "--regex-timeout", "5",
                     "--page-timeout", "3", "-j", jobs, "-q")
    assert time.monotonic() - started < 25
    assert result.returncode == 1, result.stderr
    log = error_log(out)
    assert list(log) == ["b-slow.txt"]
    assert "page took longer than the 3s limit and was abandoned" in log["b-slow.txt"]
    assert "it was running rule slow/runs-of-a" in log["b-slow.txt"]
    assert (out / "a-fine.txt").is_file() and (out / "c-fine.txt").is_file()
    assert not (out / "b-slow.txt").exists()
    # Abandoned pages are not done: the next run tries them again.
    again = cleaner("run", tree, out, "--rules", rules, "--regex-timeout", "5",
                    "--page-timeout", "3", "-q")
    assert again.stderr.strip().splitlines()[-1].startswith("0 cleaned, 1 failed, 2 already done")


def test_page_timeout_in_clean(slow: tuple[Path, Path]) -> None:
    rules, tree = slow
    result = cleaner("clean", tree / "b-slow.txt", "--rules", rules, "--regex-timeout", "5",
                     "--page-timeout", "3")
    assert result.returncode == 1
    assert "b-slow.txt: page took longer than the 3s limit" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_worker_deaf_to_the_timer_is_killed_and_replaced(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    """Native code that never returns to Python cannot be interrupted by the timer: the parent
    kills that worker once the limit and a grace period are past; the other pages go on."""
    real = executors._run_job

    def stuck(job: sources.Job) -> executors.PageResult:
        if job.source.startswith("stuck"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(120)
        return real(job)

    monkeypatch.setattr(executors, "_run_job", stuck)  # forked workers inherit the patch
    names = ["a.txt", "stuck.txt", "c.txt", "d.txt"]
    for name in names:
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    jobs = [sources.Job(str(tmp_path / name), name) for name in names]
    started = time.monotonic()
    results = list(executors.clean_jobs(jobs, load_rulebook(), workers=2, page_timeout=0.5))
    assert time.monotonic() - started < 30
    assert [r.source for r in results] == names
    assert "limit and was abandoned" in str(results[1].error)
    assert "the worker was stopped and replaced" in str(results[1].error)
    assert all(r.doc is not None for i, r in enumerate(results) if i != 1)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\nname: laughs\nrules: []\n"


@pytest.mark.parametrize(("name", "make", "limit"), [
    ("laughs.yaml", lambda p: p.write_text(billion_laughs(), encoding="utf-8"),
     ":7: its aliases expand to more than 1,000,000 values"),
    ("deep.yaml", lambda p: p.write_text("name: x\nrules: " + "[" * 50_000 + "]" * 50_000 + "\n",
                                          encoding="utf-8"),
     ":2: nested more than 64 levels deep"),
    ("huge.yaml", lambda p: os.truncate(p.touch() or p, 2 * 1024**3),  # sparse: no disk used
     ": the file is 2,147,483,648 bytes, over the 1,000,000-byte limit for a rule file"),
])
def test_hostile_rule_files(tmp_path: Path, name: str, make: object, limit: str) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    path = rules / name
    make(path)  # type: ignore[operator]
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "page.txt").write_text(ARTICLE, encoding="utf-8")
    for command in (["run", tree, tmp_path / "out", "--rules", rules], ["rules", "check", path]):
        result = cleaner(*command, timeout=60)
        assert result.returncode == 2, result.stderr
        assert f"error: {path}{limit}" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("pattern", ["a{65352813}", "(?:x(?:ab{1000}){1000})", "\\d{200000,}"])
def test_huge_counted_repeats_are_refused_quickly(tmp_path: Path, pattern: str) -> None:
    """The regex module compiles counted repeats unrolled: a{65352813} took a minute (found by
    bench/fuzz.py --target rules). Such a pattern is a RuleError naming the file and line, at
    once; large maximum counts, which cost nothing, stay allowed."""
    path = tmp_path / "big.yaml"
    rule = ("name: big\nrules:\n  - id: big\n    why: w\n    match:\n      regex: '{}'\n"
            "    action: drop\n    examples: {{drop: [bcddcddcdd], keep: [x]}}\n")
    path.write_text(rule.format(pattern), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(RuleError) as caught:
        load_rulebook([path], builtin=False, check_examples=True)
    assert time.monotonic() - started < 5
    assert f"{path}:6: [big/big] bad regex: counted repeats" in str(caught.value)
    path.write_text(rule.format("^a{0,1000000}b{1,100000}(?:cd{2}){3}$"), encoding="utf-8")
    assert load_rulebook([path], builtin=False, check_examples=True)


@pytest.mark.parametrize(("text", "problem"), [
    ("name: x\nrules:\n  - id: !!int 'x'\n", ":3: the value tag:yaml.org,2002:int 'x' cannot be built"),
    ("name: x\nrules: []\ndescription: !!timestamp 2026-13-45\n", ":3: the value tag:yaml.org,2002:timestamp"),
    ("name: x\nrules: []\ntests: [{page: " + "x" * 5000 + "}]\n", ":3: tests: no sample page 'xxx"),
])
def test_values_that_cannot_be_built_are_rule_errors(tmp_path: Path, text: str,
                                                     problem: str) -> None:
    """Found by bench/fuzz.py --target rules: a tagged scalar SafeLoader cannot build raised
    ValueError, and a sample page name too long for the file system raised OSError."""
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rulebook([path], builtin=False, check_examples=True)
    assert f"{path}{problem}" in str(caught.value)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_ctrl_c_swallowed_by_a_finalizer_still_exits_130(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    """A KeyboardInterrupt raised in a finalizer is only reported ('Exception ignored in'),
    never raised: the command still ends with 130, before it cleans anything."""
    real = options.load_rulebook

    class Finalized:
        def __del__(self) -> None:
            signal.raise_signal(signal.SIGINT)

    def loading(*args: object, **kwargs: object) -> object:
        Finalized()  # dropped at once: Ctrl-C lands in its finalizer
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(options, "load_rulebook", loading)
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    for command in (["clean", str(page)], ["run", str(tmp_path), str(tmp_path / "out")]):
        result = CliRunner().invoke(app.main, command)
        assert result.exit_code == 130, result.output
        assert "interrupted" in result.output
        assert "cleaned" not in result.output
    assert not (tmp_path / "out").exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_links_out_of_input(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(ARTICLE, encoding="utf-8")
    tree = tmp_path / "in"
    (tree / "sub").mkdir(parents=True)
    (tree / "page.txt").write_text(ARTICLE, encoding="utf-8")
    (tree / "inside.txt").symlink_to(tree / "page.txt")  # stays inside: followed
    (tree / "out-file.txt").symlink_to(outside / "secret.txt")
    (tree / "sub" / "out-folder").symlink_to(outside, target_is_directory=True)
    out = tmp_path / "out"
    result = cleaner("run", tree, out, "-q")
    assert result.returncode == 0, result.stderr
    assert run_counts(result.stderr.strip()).endswith(
        "2 cleaned, 0 failed, 2 links out of INPUT skipped (--follow-links follows them)")
    assert (out / "inside.txt").is_file() and not (out / "out-file.txt").exists()
    followed = cleaner("run", tree, tmp_path / "out2", "-q", "--follow-links")
    assert run_counts(followed.stderr.strip()).endswith("4 cleaned, 0 failed")
    assert (tmp_path / "out2" / "sub" / "out-folder" / "secret.txt").is_file()


def test_invisible_pages_and_nul_holes(tmp_path: Path) -> None:
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "invisible.txt").write_text("\u200b" * 1000 + "\n" + "\u2060\u00ad\ufeff" * 300,
                                        encoding="utf-8")
    (tree / "hole.txt").write_bytes(ARTICLE.encode() + b"\0" * 4096 + ARTICLE.encode())
    out = tmp_path / "out"
    result = cleaner("run", tree, out, "-q")
    log = error_log(out)
    assert result.returncode == 1
    assert log["invisible.txt"].startswith("empty page (only invisible characters")
    assert log["hole.txt"].startswith("text with a hole of NUL bytes at byte 1,")
