"""Compiled rules: cached between starts (never a wrong hit), loaded once however often a folder
is named, picklable at any time (worker processes get the same rules), and the interpreter's
actions the ones the schema allows."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PAGES, ROOT, RULES_BAD, page_files

from cleaner import Rulebook, RuleError, clean, load_rulebook
from cleaner.cli.app import main
from cleaner.rules import cache, compile
from cleaner.rules.actions import ACTIONS
from cleaner.rules.load import builtin_rules_dir

USER_RULES = """\
name: example-cache
rules:
  - id: stamp
    why: A stamp line that a test site prints under every article.
    match:
      lines: ["STAMP 1"]
    action: drop
    examples:
      drop: ["STAMP 1"]
"""


def _ids(rulebook: Rulebook) -> list[str]:
    return [rule.id for rule in rulebook.rules]


def _outputs(rulebook: Rulebook, paths: list[Path]) -> list[str]:
    return [_cleaned(rulebook, path) for path in paths]


def _cleaned(rulebook: Rulebook, path: Path) -> str:
    doc = clean(path.read_bytes(), rulebook, source=path.name)
    return json.dumps(doc.record(with_text=True), ensure_ascii=False, sort_keys=True)


def _no_compiling(*args: object, **kwargs: object) -> None:
    raise AssertionError("the rules were compiled again")


# The cache of compiled rules.

def test_a_second_start_reads_the_rules_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_rulebook(cache_dir=tmp_path)
    assert len(list(tmp_path.glob("rulebook-*.pickle"))) == 1
    monkeypatch.setattr(compile, "load_rule_file", _no_compiling)
    again = load_rulebook(cache_dir=tmp_path)
    assert _ids(again) == _ids(first)
    page = PAGES / "clean" / "council_budget.txt"
    assert _cleaned(again, page) == _cleaned(first, page)


def test_a_changed_rule_file_is_compiled_again(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "site.yaml").write_text(USER_RULES, encoding="utf-8")
    assert "example-cache/stamp" in _ids(load_rulebook([folder], cache_dir=tmp_path / "cache"))
    (folder / "site.yaml").write_text(USER_RULES.replace("id: stamp", "id: stamp-line"), encoding="utf-8")
    ids = _ids(load_rulebook([folder], cache_dir=tmp_path / "cache"))
    assert "example-cache/stamp-line" in ids and "example-cache/stamp" not in ids


def test_the_timeout_is_part_of_the_key(tmp_path: Path) -> None:
    load_rulebook(cache_dir=tmp_path)
    rulebook = load_rulebook(cache_dir=tmp_path, timeout=2.0)
    assert {p.timeout for r in rulebook.rules for p in r.patterns} == {2.0}
    assert len(list(tmp_path.glob("rulebook-*.pickle"))) == 2


def test_a_corrupt_cache_is_rebuilt_silently(tmp_path: Path) -> None:
    expected = _ids(load_rulebook(cache_dir=tmp_path))
    (stored,) = tmp_path.glob("rulebook-*.pickle")
    for garbage in (b"", b"not a pickle", pickle.dumps(("someone else's", 1)), stored.read_bytes()[:100]):
        stored.write_bytes(garbage)
        assert _ids(load_rulebook(cache_dir=tmp_path)) == expected
        assert pickle.loads(stored.read_bytes())[0] == cache.FORMAT  # written anew, whole


def test_a_cache_that_cannot_be_written_is_passed_over(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way", encoding="utf-8")
    assert _ids(load_rulebook(cache_dir=blocked / "cleaner")) == _ids(load_rulebook())


def test_broken_rules_are_never_cached(tmp_path: Path) -> None:
    with pytest.raises(RuleError):
        load_rulebook([RULES_BAD / "bad-regex.yaml"], cache_dir=tmp_path)
    assert not list(tmp_path.glob("rulebook-*.pickle"))


def test_examples_are_checked_when_asked_not_at_every_start() -> None:
    failing = RULES_BAD / "example-fails.yaml"
    load_rulebook([failing])  # a run does not run the examples
    with pytest.raises(RuleError, match="should be dropped"):
        load_rulebook([failing], check_examples=True)


def test_the_cli_keeps_its_cache_under_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    page = PAGES / "clean" / "council_budget.txt"
    first = CliRunner().invoke(main, ["clean", str(page)])
    assert first.exit_code == 0, first.output
    assert list((tmp_path / "cleaner").glob("rulebook-*.pickle"))
    monkeypatch.setattr(compile, "load_rule_file", _no_compiling)
    again = CliRunner().invoke(main, ["clean", str(page)])
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout


# A folder that is already loaded is not loaded twice.

def test_the_builtin_folder_named_again_loads_once() -> None:
    expected = _ids(load_rulebook())
    assert _ids(load_rulebook([builtin_rules_dir()])) == expected
    assert _ids(load_rulebook([builtin_rules_dir(), builtin_rules_dir() / "generic" / ".." / "generic"])) == expected
    one_file = next((builtin_rules_dir() / "generic").glob("*.yaml"))
    assert _ids(load_rulebook([one_file, one_file])) == expected


def test_a_user_folder_given_twice_loads_once(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(USER_RULES, encoding="utf-8")
    assert _ids(load_rulebook([tmp_path, tmp_path / "site.yaml"])).count("example-cache/stamp") == 1


@pytest.mark.parametrize("path", [str(ROOT / "rules"), "rules/", "rules/generic"])
def test_rules_check_of_the_builtin_folder_passes(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["rules", "check", path])
    assert result.exit_code == 0, result.output
    assert "every example holds" in result.stderr


# Pickling: worker processes and the cache get the rules as they are.

def test_a_rulebook_that_cleaned_pages_pickles_and_cleans_the_same(rulebook: Rulebook) -> None:
    pages = page_files()[:12]
    before = _outputs(rulebook, pages)  # selections made, prefilters and patterns compiled
    copy = pickle.loads(pickle.dumps(rulebook))
    assert _outputs(copy, pages) == before
    assert _outputs(pickle.loads(pickle.dumps(copy)), pages) == before


_worker_rulebook: Rulebook | None = None


def _start_worker(data: bytes) -> None:
    global _worker_rulebook
    _worker_rulebook = pickle.loads(data)


def _clean_in_worker(path: Path) -> str:
    assert _worker_rulebook is not None
    return _cleaned(_worker_rulebook, path)


def test_a_spawned_pool_cleans_byte_identically(rulebook: Rulebook) -> None:
    pages = page_files()
    alone = _outputs(rulebook, pages)
    context = multiprocessing.get_context("spawn")
    with context.Pool(2, initializer=_start_worker, initargs=(pickle.dumps(rulebook),)) as pool:
        pooled = pool.map(_clean_in_worker, pages, chunksize=8)
    assert pooled == alone


# The interpreter.

def test_the_action_registry_is_the_schema_enum() -> None:
    schema = json.loads((ROOT / "cleaner" / "rules" / "ruleset.schema.json").read_text(encoding="utf-8"))
    enums = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "action" in node.get("properties", {}):
                enums.append(node["properties"]["action"]["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert enums and all(sorted(enum) == sorted(ACTIONS) for enum in enums)
