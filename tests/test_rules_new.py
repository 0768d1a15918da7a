"""`cleaner rules new HOST`: a site rule file to start from, which passes `rules check` and
`rules test` as written; with `--from`, the removed lines as commented candidates and the page
as its sample."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import SEED_BLOG, SEED_RT

from cleaner.cli import main


def _cleaner(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


@pytest.mark.parametrize(("host", "page"), [("news.example", SEED_BLOG), ("https://www.rt.com/x/", SEED_RT)])
def test_scaffold_from_a_page_passes_check_and_test(tmp_path: Path, host: str, page: Path) -> None:
    folder = tmp_path / "my-rules"
    _cleaner("rules", "new", host, "--dir", str(folder), "--from", str(page))
    [written] = folder.glob("*.yaml")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    data = yaml.safe_load(text)
    assert data["rules"] == []
    assert (folder / data["tests"][0]["page"]).read_bytes() == page.read_bytes()
    assert data["tests"][0]["fields"]["title"]
    assert re.search(r"^#  - id: ", text, re.M)  # candidates, commented
    _cleaner("rules", "check", str(folder))
    assert "0 failure(s)" in _cleaner("rules", "test", str(folder))


def test_rt_scaffold_gets_its_own_name_and_its_candidates_hold(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    _cleaner("rules", "new", "rt.com", "--dir", str(folder), "--from", str(SEED_RT))
    written = folder / "rt.com.yaml"
    text = written.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["name"] == "my-rt.com"  # the built-in set has `rt.com`
    assert "removed by generic/icon-sprite" in text
    assert "the headline, moved into `title`" in text
    # Uncommented, the candidates are rules whose examples hold.
    live = re.sub(r"^#(  [- ] )", r"\1", text, flags=re.M).replace("rules: []", "rules:")
    live = "\n".join(row for row in live.splitlines() if not row.startswith("#"))
    written.write_text(live, encoding="utf-8")
    assert yaml.safe_load(live)["rules"]
    _cleaner("rules", "check", str(folder))


def test_scaffold_without_a_page_and_refusals(tmp_path: Path) -> None:
    _cleaner("rules", "new", "example.org", "--dir", str(tmp_path))
    _cleaner("rules", "check", str(tmp_path / "example.org.yaml"))
    again = CliRunner().invoke(main, ["rules", "new", "example.org", "--dir", str(tmp_path)])
    assert again.exit_code == 1 and "exists already" in again.output
    bad = CliRunner().invoke(main, ["rules", "new", "not a host", "--dir", str(tmp_path)])
    assert bad.exit_code == 2 and "is not a host name" in bad.output
