"""`cleaner rules test`: every rule's examples and each rule set's sample pages (`tests`), offline."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, SEED_RT

from cleaner.cli import main

SET = """\
name: my-rt
site: RT
applies_to:
  hosts: ["rt.com", "*.rt.com"]
  matches: ['^icon bookmark-bicon bookmarkicon cameraicon']
tests:
  - page: samples/rt.txt
    contains: ["More than 16,000 foreign fighters"]
    lacks: [{lacks}]
    fields: {{date: "2022-03-11T09:40", site: RT}}
rules: []
"""


def _folder(tmp_path: Path, lacks: str) -> Path:
    folder = tmp_path / "my-rules"
    (folder / "samples").mkdir(parents=True)
    shutil.copy(SEED_RT, folder / "samples" / "rt.txt")
    (folder / "rt.yaml").write_text(SET.format(lacks=lacks), encoding="utf-8")
    return folder


def test_builtin_rules_and_their_samples_pass() -> None:
    result = CliRunner().invoke(main, ["rules", "test", str(ROOT / "rules")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    assert "ok    sample samples/rt.com.txt" in result.output
    assert "ok    sample samples/blogspot.com.txt" in result.output
    assert result.output.rstrip().endswith(": 0 failure(s)")


def test_a_sample_that_does_not_hold_fails(tmp_path: Path) -> None:
    folder = _folder(tmp_path, '"icon bookmark-bicon", "Putin has agreed"')
    result = CliRunner().invoke(main, ["rules", "test", str(folder)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "FAIL  sample samples/rt.txt (line 7): the text should not contain 'Putin has agreed'" in result.output
    assert "icon bookmark" not in result.output.split("FAIL")[1].splitlines()[0]
    assert result.output.rstrip().endswith(": 1 failure(s)")


def test_a_sample_that_holds_passes(tmp_path: Path) -> None:
    folder = _folder(tmp_path, '"icon bookmark-bicon"')
    result = CliRunner().invoke(main, ["rules", "test", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 sample page(s): 0 failure(s)" in result.output


def test_rules_check_reports_a_missing_sample_page(tmp_path: Path) -> None:
    folder = _folder(tmp_path, '"x"')
    (folder / "samples" / "rt.txt").unlink()
    result = CliRunner().invoke(main, ["rules", "check", str(folder)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "rt.yaml:7: tests: no sample page 'samples/rt.txt'" in result.output
