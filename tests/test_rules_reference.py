"""Editor support: the schema ships in the package, every built-in rule file names it for the YAML
language server, and docs/rules-reference.md is what the schema says (regenerate it with
``python -m cleaner.rules.reference > docs/rules-reference.md``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import DOCS, ROOT

from cleaner.rules.load import builtin_rules_dir
from cleaner.rules.reference import SCHEMA, render

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def test_the_reference_is_generated_from_the_schema() -> None:
    expected = render(json.loads(SCHEMA.read_text(encoding="utf-8")))
    written = (DOCS / "rules-reference.md").read_text(encoding="utf-8")
    assert written == expected, ("docs/rules-reference.md is out of date with the schema; run "
                                 "python -m cleaner.rules.reference > docs/rules-reference.md")


def test_the_schema_ships_in_the_package() -> None:
    import cleaner

    assert SCHEMA.is_file() and SCHEMA.parent == Path(cleaner.__file__).parent / "rules"
    assert json.loads(SCHEMA.read_text(encoding="utf-8"))["title"] == "cleaner rule set"


def test_every_builtin_rule_file_names_the_schema() -> None:
    """The rule files as a checkout holds them (where they are edited) name the schema beside
    them; the installed copies carry the same line."""
    files = sorted((ROOT / "rules").rglob("*.yaml"))
    assert files and len(files) == len(list(builtin_rules_dir().rglob("*.yaml")))
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        found = SCHEMA_LINE.match(first)
        assert found, f"{path}: the first line should be '# yaml-language-server: $schema=…'"
        assert (path.parent / found.group(1)).resolve() == (ROOT / "cleaner" / "rules" / SCHEMA.name).resolve(), path


def test_every_schema_key_has_a_description() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    missing: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                if "description" not in value:
                    missing.append(f"{where}.{key}")
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(schema, "")
    assert not missing, missing
