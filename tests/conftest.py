"""Paths and rulebooks shared by the tests.

Tests never see the user's own rule folders: ``CLEANER_RULES`` is unset for every test, and the
shared rulebooks below are the built-in rules alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaner import Rulebook, load_rulebook
from cleaner.cli.options import ENV_RULES

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "pages"
EXPECTED = ROOT / "fixtures" / "expected"
RULES_BAD = ROOT / "fixtures" / "rules-bad"
DOCS = ROOT / "docs"
README = ROOT / "README.md"

SEED_RT = PAGES / "000_3f013229087c380d.txt"
SEED_BLOG = PAGES / "002_1ea4b6f3b1457c71.txt"
RT_TITLE = "16,000 foreign volunteers want to fight for Russia in Ukraine \N{EN DASH} Moscow"
BLOG_TITLE = ("Thousands of foreign volunteers willing to join "
              "Russia\N{RIGHT SINGLE QUOTATION MARK}s special op \N{EM DASH} politician")


def page_files() -> list[Path]:
    """Every raw page of the golden set, sorted (hidden files skipped, as `cleaner run` does)."""
    return sorted(p for p in PAGES.rglob("*.txt")
                  if not any(part.startswith(".") for part in p.relative_to(PAGES).parts))


def page_name(path: Path) -> str:
    """'junk/icons_dash' for fixtures/pages/junk/icons_dash.txt: the page's test id."""
    return path.relative_to(PAGES).with_suffix("").as_posix()


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole test run: the CLI's caches (compiled rules) fill it once,
    and the user's own cache is never touched."""
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def _no_user_rules(monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    monkeypatch.delenv(ENV_RULES, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))


def _builtin(**options: bool) -> Rulebook:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_RULES, raising=False)
        return load_rulebook(**options)


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    """The built-in rules, as `cleaner run` uses them by default."""
    return _builtin()


@pytest.fixture(scope="session")
def generic_rulebook() -> Rulebook:
    """The built-in rules with site rules switched off (`--no-site-rules`)."""
    return _builtin(site_rules=False)


_SPEED = re.compile(r"; [\d.]+ MB read in [\d.]+ s, [\d.]+ pages/s")


def run_counts(summary: str) -> str:
    """`cleaner run`'s summary line without its speed figures, which differ from run to run."""
    found = _SPEED.findall(summary)
    assert len(found) == 1, f"no speed figures in the summary: {summary!r}"
    return _SPEED.sub("", summary)
