"""The README's worked example ("Adding a site rule"), followed word for word: the file it says to
write, the commands it says to run; the user's `my-rt` rule takes RT's dateline before the
built-in `rt.com/dateline` can (user rule sets run first)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import README, ROOT

from cleaner.cli import main


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Adding a site rule")
    return text[start:text.index("\n## ", start)]


def test_readme_site_rule_example_changes_the_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = _section()
    target = re.search(r"Write\s+`([^`]+)`", section)
    assert target is not None
    source = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert source is not None
    commands = re.search(r"Check it, then use it:\s*```\n(.*?)```", section, re.S)
    assert commands is not None
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / target.group(1)
    path.parent.mkdir(parents=True)
    path.write_text(source.group(1), encoding="utf-8")
    for command in commands.group(1).strip().splitlines():
        args = shlex.split(command)
        assert args[0] == "cleaner"
        result = CliRunner().invoke(main, args[1:], catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output)
    record = json.loads((tmp_path / "out" / "000_3f013229087c380d.json").read_text(encoding="utf-8"))
    assert record["removed"].get("my-rt/dateline") == 1, record["removed"]
    assert "rt.com/dateline" not in record["removed"]
    assert record["date"] == "2022-03-11T09:40"
    assert '"my-rt/dateline": 1' in section


def test_readme_new_site_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Starting a rule set for a new site": its commands, word for word, each exit 0."""
    text = README.read_text(encoding="utf-8")
    start = text.index("### Starting a rule set for a new site")
    block = re.search(r"```\n(.*?)```", text[start:], re.S)
    assert block is not None
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    monkeypatch.chdir(tmp_path)
    outputs = []
    for line in block.group(1).strip().splitlines():
        for command in line.split(" && "):
            args = shlex.split(command)
            assert args[0] == "cleaner"
            result = CliRunner().invoke(main, args[1:], catch_exceptions=False)
            assert result.exit_code == 0, (command, result.output)
            outputs.append(result.output)
    assert (tmp_path / "my-rules" / "example.blogspot.com.yaml").is_file()
    assert "0 failure(s)" in outputs[2]
    assert "generic/copyright-credit" in outputs[3]
