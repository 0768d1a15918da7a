"""The YAML examples in docs/rules.md are real: every ```yaml block that is a whole rule set (it
has a top-level `name:`) goes through the loader, with the built-in rules beside it, so schema,
regexes and examples are all checked. A doc example that stops loading fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import DOCS

from cleaner import load_rulebook

RULES_DOC = DOCS / "rules.md"
_BLOCK = re.compile(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


def _blocks() -> list[tuple[int, str]]:
    text = RULES_DOC.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _BLOCK.finditer(text)]


def _rule_sets() -> list[pytest.ParameterSet]:
    return [pytest.param(source, id=f"rules.md:{line}") for line, source in _blocks()
            if re.search(r"^name:", source, re.M)]


def test_rules_doc_has_rule_set_examples() -> None:
    assert len(_rule_sets()) >= 5


@pytest.mark.parametrize("source", _rule_sets())
def test_doc_rule_set_loads(source: str, tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(source, encoding="utf-8")
    for sample in yaml.safe_load(source).get("tests", []):  # the sample pages it names, made empty
        (tmp_path / sample["page"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / sample["page"]).write_text("", encoding="utf-8")
    rulebook = load_rulebook([path], check_examples=True)  # RuleError (file, line, rule id) if broken
    name = yaml.safe_load(source)["name"]
    loaded = next(s for s in rulebook.sets if s.name == name)
    assert len(loaded.rules) == len(yaml.safe_load(source)["rules"])


@pytest.mark.parametrize("line_source", _blocks(), ids=lambda b: f"rules.md:{b[0]}")
def test_every_yaml_block_parses(line_source: tuple[int, str]) -> None:
    yaml.safe_load(line_source[1])


def test_rules_doc_covers_every_schema_key() -> None:
    """Each key of the rule-file schema is named in docs/rules.md (as `key`)."""
    import json

    schema = json.loads((Path(__file__).resolve().parents[1] / "cleaner" / "rules" / "ruleset.schema.json")
                        .read_text(encoding="utf-8"))
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                keys.add(key)
                walk(value)
            for value in node.values():
                if isinstance(value, dict | list):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    text = RULES_DOC.read_text(encoding="utf-8")
    missing = sorted(k for k in keys if f"`{k}`" not in text)
    assert not missing, f"schema keys not documented in docs/rules.md: {missing}"
    actions = schema["$defs"]["rule"]["properties"]["action"]["enum"]
    assert all(f"`{a}`" in text for a in actions)
