"""A site rule file to start from (``cleaner rules new``): the set's head for one host, and, from
a sample page, each line the rules and the content finder removed on it as a commented candidate
rule, with the page as the set's sample (its ``tests``)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from cleaner.document import Document
from cleaner.fates import DROPPED, EXTRACTED, KEPT, Fate
from cleaner.page import HEADLINE

SCHEMA = Path(__file__).with_name("ruleset.schema.json")
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")
_SNIPPET = 60  # characters of a line quoted in `contains` / `lacks`
_LACKS = 10  # removed lines a sample names in `lacks`


def host_of(value: str) -> str | None:
    """The host a rule set is for, from a host name or a URL (``www.`` dropped); None when it is
    not a host name."""
    host = (urlsplit(value).hostname or "") if "://" in value else value.strip().lower().rstrip(".")
    host = host.removeprefix("www.")
    return host if _HOST.match(host) else None


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def new_rule_set(host: str, name: str, *, sample: str | None = None, url: str | None = None,
                 lines: Sequence[Fate] = (), doc: Document | None = None) -> str:
    """The rule file's text. ``sample`` is the sample page's path relative to the file, ``lines``
    what became of its lines and ``doc`` its record, cleaned with the rules as they are."""
    out = [f"# yaml-language-server: $schema={SCHEMA.resolve().as_uri()}",
           f"# Rules for {host}, started by `cleaner rules new`. Every key: docs/rules.md.",
           f"name: {name}",
           f"description: Article pages of {host}.",
           f"site: {host}",
           "applies_to:",
           f'  hosts: ["{host}", "*.{host}"]']
    if url:
        out.append(f"test_url: {url}")
    if sample is not None and doc is not None:
        out += _tests(sample, url, lines, doc)
    removed = [f for f in lines if f.fate in (DROPPED, EXTRACTED) and f.result is None]
    out.append("rules: []  # remove the [] when you uncomment a rule below" if removed else "rules: []")
    if removed:
        out += ["",
                "# Candidates: each line the built-in rules or the content finder removed on the sample",
                "# page. Uncomment the rules for lines this site prints on every page, say why in `why`,",
                "# and loosen `match` where the line varies (a regex); then `cleaner rules test`."]
        used: set[str] = set()
        seen: dict[str, list[int]] = {}
        for fate in removed:
            seen.setdefault(fate.text, []).append(fate.line)
        for fate in removed:
            numbers = seen.pop(fate.text, None)
            if numbers is None:  # a line printed again: one candidate for all its copies
                continue
            where = f"line{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
            if fate.change is not None and fate.change.stage == HEADLINE:
                out.append(f"#  # {where}: the headline, moved into `title` by the finder; no rule needed")
                continue
            out += [f"#  # {where}: removed by {fate.reason()}"] + [
                "#" + row for row in _candidate(fate, used)]
    return "\n".join(out) + "\n"


def _tests(sample: str, url: str | None, lines: Sequence[Fate], doc: Document) -> list[str]:
    out = ["tests:", f"  - page: {_quote(sample)}"]
    if url:
        out.append(f"    url: {_quote(url)}")
    kept = next((f.result for f in lines if f.fate == KEPT and f.result), None)
    if kept:
        out.append(f"    contains: [{_quote(kept[:_SNIPPET])}]")
    lacks: list[str] = []
    for fate in lines:
        snippet = fate.text[:_SNIPPET].strip()
        if fate.result is None and snippet and snippet not in doc.text and snippet not in lacks:
            lacks.append(snippet)
    if lacks:
        out.append("    lacks:")
        out += [f"      - {_quote(text)}" for text in lacks[:_LACKS]]
    fields = {k: getattr(doc, k) for k in ("title", "date") if getattr(doc, k)}
    if fields:
        out.append("    fields:")
        out += [f"      {key}: {_quote(str(value))}" for key, value in fields.items()]
    return out


def _candidate(fate: Fate, used: set[str]) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fate.text.lower())[:4]
    base = "-".join(words) or f"line-{fate.line}"
    rule_id, n = base, 2
    while rule_id in used:
        rule_id, n = f"{base}-{n}", n + 1
    used.add(rule_id)
    text = _quote(fate.text)
    rows = [f"  - id: {rule_id}",
            f"    why: {_quote('TODO: why this line is never article text on ' + 'this site')}",
            f"    match: {{lines: [{text}]}}"]
    if fate.fate == EXTRACTED and fate.fields:
        rows += ["    action: extract", f"    field: {fate.fields[0]}"]
    else:
        rows.append("    action: drop")
    rows += ["    examples:", f"      drop: [{text}]"]
    return rows
