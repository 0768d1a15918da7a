"""The rule files' reference (docs/rules-reference.md), generated from the JSON Schema so that the
two cannot drift apart (tests/test_rules_reference.py fails when they do). Regenerate it with:

    python -m cleaner.rules.reference > docs/rules-reference.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).with_name("ruleset.schema.json")

HEAD = """\
# Rule file reference

<!-- Generated from cleaner/rules/ruleset.schema.json by
     `python -m cleaner.rules.reference > docs/rules-reference.md`; do not edit by hand. -->

Every key of a rule file, from the JSON Schema the loader checks files against (`cleaner rules
schema` prints it; the package ships it as `cleaner/rules/ruleset.schema.json`). The guide with
examples is [rules.md](rules.md).
"""


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = schema
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    merged: dict[str, Any] = {**_resolve(schema, target), **{k: v for k, v in node.items() if k != "$ref"}}
    return merged


def _type(schema: dict[str, Any], node: dict[str, Any], heading: str | None) -> str:
    node = _resolve(schema, node)
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "oneOf" in node:
        return " or ".join(_type(schema, option, None) for option in node["oneOf"])
    kind = node.get("type")
    if isinstance(kind, list):
        return " or ".join(map(str, kind))
    if kind == "array":
        items = _resolve(schema, node.get("items", {}))
        inner = _type(schema, items, heading)
        return f"list of {inner}" + (" (one or more)" if node.get("minItems") else "")
    if kind == "object" and "properties" in node:
        return f"mapping ([{heading}](#{_anchor(heading)}))" if heading else "mapping"
    limits = [f"{word} {node[key]}" for key, word in (("minimum", "≥"), ("exclusiveMinimum", ">"),
                                                       ("maximum", "≤"), ("exclusiveMaximum", "<"))
              if key in node]
    if "pattern" in node:
        limits.append(f"matching `{node['pattern']}`")
    return str(kind) + (f" ({', '.join(limits)})" if limits else "")


def _anchor(heading: str) -> str:
    return "".join(c for c in heading.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def render(schema: dict[str, Any]) -> str:
    """The reference as Markdown: one table per mapping of the schema, in the order met."""
    out = [HEAD]
    queue: list[tuple[str, dict[str, Any]]] = [("A rule set", schema)]
    done: set[str] = set()
    while queue:
        heading, node = queue.pop(0)
        node = _resolve(schema, node)
        if heading in done:
            continue
        done.add(heading)
        out += [f"## {heading}", ""]
        if node.get("description"):
            out += [node["description"], ""]
        out += ["| key | required | type | meaning |", "| --- | --- | --- | --- |"]
        required = set(node.get("required", []))
        for key, prop in node["properties"].items():
            target = _resolve(schema, prop)
            if target.get("type") == "array":
                target = _resolve(schema, target.get("items", {}))
            sub = None
            if target.get("type") == "object" and "properties" in target:
                sub = f"`{key}`" if key != "rules" else "A rule"
                sub = sub if sub not in done else f"{sub} ({heading})"
                queue.append((sub, target))
            described = _resolve(schema, prop).get("description", "")
            out.append(f"| `{key}` | {'yes' if key in required else 'no'} | {_type(schema, prop, sub)} "
                       f"| {described.replace('|', '&#124;')} |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    sys.stdout.write(render(json.loads(SCHEMA.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
