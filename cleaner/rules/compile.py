"""One rule file into a `RuleSet`: YAML parsed with the line of every key, checked against the
schema (``ruleset.schema.json``), every rule compiled and, when asked, its examples run. Every
problem is reported with file, line and rule id, and loading goes on to find the others."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import regex
import yaml

from cleaner.document import EXTRACT_FIELDS
from cleaner.errors import RuleProblem
from cleaner.lang import lexicon
from cleaner.rules import examples, markup, yamlfile
from cleaner.rules.model import FIELD_ALIASES, Rule, RuleSet, Shape
from cleaner.rules.patterns import DEFAULT_TIMEOUT, Pattern

LABEL_GAP = r"[\s|•·/]*"  # what may stand between labels of a `joined` lines match


@cache
def _schema() -> dict[str, Any]:
    text = (Path(__file__).with_name("ruleset.schema.json")).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def load_rule_file(path: Path, problems: list[RuleProblem], *, timeout: float = DEFAULT_TIMEOUT,
                   check_examples: bool = True, text: str | None = None) -> RuleSet | None:
    """Parse, validate and compile one rule file (``text``: its content, when read already),
    appending problems instead of raising."""
    name = str(path)
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8") if text is None else text)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(RuleProblem(name, None, None, f"cannot read the file: {exc}"))
        return None
    except (yamlfile.DuplicateKey, yamlfile.LimitError, yamlfile.BadValue) as exc:
        problems.append(RuleProblem(name, exc.line, None, str(exc)))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, yaml.constructor.ConstructorError):
            problems.append(RuleProblem(name, line, None, f"YAML tag not allowed ({what}); rule "
                                        "files hold plain data: strings, numbers, lists, mappings"))
        else:
            problems.append(RuleProblem(name, line, None, f"YAML syntax error: {what}"))
        return None
    if not isinstance(data, dict):
        problems.append(RuleProblem(name, None, None,
                                    "a rule file is a mapping with 'name' and 'rules' keys"))
        return None
    before = len(problems)
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    # A misspelt key is one mistake: report the unknown key, not also the missing one.
    misspelt = {tuple(e.absolute_path) for e in errors if e.validator == "additionalProperties"}
    for error in errors:
        path_ = list(error.absolute_path)
        if error.validator == "required" and tuple(path_) in misspelt:
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            path_ += [next((k for k in error.instance if k not in allowed), "")]
        problems.append(RuleProblem(name, yamlfile.line_of(data, path_), _rule_id(data, path_),
                                    _explain(error)))
    if len(problems) > before:
        return None
    rule_set = RuleSet(
        name=data["name"], path=name, description=data.get("description", ""),
        site=data.get("site"), disable=list(data.get("disable", [])),
    )
    rule_set.disable_lines = [yamlfile.line_of(data, ["disable", i]) for i in range(len(rule_set.disable))]
    applies = data.get("applies_to", {})
    rule_set.hosts = list(applies.get("hosts", []))
    rule_set.contains = list(applies.get("contains", []))
    for i, source in enumerate(applies.get("matches", [])):
        try:
            rule_set.matches.append(Pattern("(?m)" + source, f"{rule_set.name}/applies_to",
                                            timeout=timeout))
        except regex.error as exc:
            line = yamlfile.line_of(data, ["applies_to", "matches", i])
            problems.append(RuleProblem(name, line, None, f"bad regex in applies_to.matches: {exc}"))
    if check_examples:  # `cleaner rules check`: a sample page named in `tests` must be there
        for i, sample in enumerate(data.get("tests", [])):
            try:
                there = (path.parent / sample["page"]).is_file()
            except OSError:  # a name too long for the file system
                there = False
            if not there:
                problems.append(RuleProblem(name, yamlfile.line_of(data, ["tests", i, "page"]), None,
                                            f"tests: no sample page {sample['page']!r} in "
                                            f"{path.parent} (the path is relative to the rule file)"))
    if "html" in data:
        part, part_problems = markup.compile_part(data["html"])
        if check_examples and not part_problems:
            part_problems = markup.check_examples(rule_set.name, part)
        for message, where in part_problems:
            problems.append(RuleProblem(name, yamlfile.line_of(data, ["html", *where]), None, message))
        rule_set.html = part
    seen: set[str] = set()
    for i, raw in enumerate(data.get("rules", [])):
        rule_id = f"{rule_set.name}/{raw['id']}"
        if rule_id in seen:
            problems.append(RuleProblem(name, yamlfile.line_of(data, ["rules", i]), rule_id,
                                        "rule id used twice in this file; ids must be unique"))
            continue
        seen.add(rule_id)
        rule = _compile_rule(raw, rule_id, name, data, i, problems, timeout)
        if rule is None:
            continue
        if check_examples:
            for message, example_path in examples.check_examples(rule):
                line = yamlfile.line_of(data, ["rules", i, "examples", *example_path])
                problems.append(RuleProblem(name, line, rule_id, message))
        rule_set.rules.append(rule)
    return rule_set if len(problems) == before else None


def _rule_id(data: Any, path: list[Any]) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        try:
            return f"{data['name']}/{data['rules'][path[1]]['id']}"
        except (KeyError, IndexError, TypeError):
            return None
    return None


# What the schema's patterns ask for, in words, for the message that names one.
_PATTERN_WORDS = {
    "^[a-z0-9][a-z0-9-]*$": " (lower-case letters, digits, '-')",
    "^[A-Za-z0-9][A-Za-z0-9._-]*$": " (letters, digits, '.', '_', '-')",
    "^[a-z]{2}$": " (a two-letter ISO 639-1 language code, such as 'nl')",
}


def _explain(error: jsonschema.ValidationError) -> str:
    """A schema error in words a rule author can act on."""
    where = ".".join(str(p) for p in error.absolute_path) or "top level"
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        extra = sorted(set(error.instance) - set(schema.get("properties", {})))
        return f"{where}: unknown key {', '.join(map(repr, extra))}; allowed keys: {allowed}"
    if error.validator == "required":
        return f"{where}: {error.message}"
    if error.validator == "anyOf" and not error.absolute_path:
        return "top level: a rule file needs 'rules' (text rules), 'html' (selectors for HTML input), or both"
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "type":
        return f"{where}: expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    if error.validator == "pattern":
        what = _PATTERN_WORDS.get(error.validator_value, "")
        return f"{where}: {error.instance!r} must match {error.validator_value}{what}"
    return f"{where}: {error.message}"


def _compile_rule(raw: dict[str, Any], rule_id: str, path: str, data: Any, index: int,
                  problems: list[RuleProblem], timeout: float) -> Rule | None:
    def problem(message: str, *keys: str | int) -> None:
        problems.append(RuleProblem(path, yamlfile.line_of(data, ["rules", index, *keys]), rule_id, message))

    before = len(problems)
    match = raw["match"]
    where = raw.get("where", {})
    rule = Rule(
        id=rule_id, why=raw["why"], action=raw["action"],
        location=f"{path}:{yamlfile.line_of(data, ['rules', index])}",
        repeated=match.get("repeated"), repeated_at_most=match.get("repeated_at_most"),
        at_least=match.get("at_least"), at_most=match.get("at_most"),
        distinct=bool(match.get("distinct", False)),
        first=where.get("first"), last=where.get("last"), below=where.get("below"),
        after_finder=bool(where.get("after_finder", False)),
        languages=tuple(where["languages"]) if "languages" in where else None,
        and_next=raw.get("and_next", 0),
        field=raw.get("field"), replacement=raw.get("with"), examples=_plain(raw.get("examples", {})),
    )
    if "shape" in match:
        rule.shape = Shape(**match["shape"])
    ignore_case = bool(match.get("ignore_case", False))
    sources: list[tuple[str, str]] = []
    if "regex" in match:
        sources.append(("regex", match["regex"]))
        rule.extracts = True
    if "lines" in match:
        one = "(?:" + "|".join(regex.escape(s.strip()) for s in match["lines"]) + ")"
        # joined: the line is several of them, glued by a scraper or set apart by spaces or bars.
        line = f"^{one}(?:{LABEL_GAP}{one})*$" if match.get("joined") else f"^{one}$"
        sources.append(("lines", line))
    elif match.get("joined"):
        problem("joined needs lines: it says the line may be several of them", "match", "joined")
    if rule.distinct and rule.at_least is None and rule.at_most is None:
        problem("distinct needs at_least or at_most: it says how their lines are counted", "match", "distinct")
    if "contains" in match:
        sources.append(("contains", "|".join(regex.escape(s) for s in match["contains"])))
    for key, source in sources:
        try:
            rule.patterns.append(Pattern(lexicon.expand(source), rule_id, ignore_case=ignore_case, timeout=timeout))
        except lexicon.LexiconError as exc:
            problem(f"{exc}; see docs/rules.md#lexicon-references", "match", key)
        except regex.error as exc:
            problem(f"bad regex: {exc}; see https://docs.python.org/3/library/re.html", "match", key)
    if not sources and rule.shape is None and rule.repeated is None:
        problem("match needs one of regex, lines, contains, shape or repeated", "match")
    if rule.action == "replace":
        if "regex" not in match or rule.replacement is None:
            problem("action replace needs match.regex and a 'with' replacement", "action")
    elif rule.replacement is not None:
        problem("'with' only goes with action replace", "with")
    if rule.action == "extract":
        groups = set(rule.patterns[0].group_names) if rule.extracts and rule.patterns else set()
        targets = {FIELD_ALIASES.get(g, g) for g in groups} & set(EXTRACT_FIELDS)
        if rule.field is None and not targets:
            problem("action extract needs 'field' (one of " + ", ".join(EXTRACT_FIELDS)
                    + ") or regex groups named after fields, like (?P<date>...)", "action")
    elif rule.field is not None:
        problem("'field' only goes with action extract", "field")
    if rule.and_next and rule.action != "drop":
        problem("'and_next' only goes with action drop", "and_next")
    if not rule.examples:
        problem("every rule needs examples (drop/keep lines) so it is tested; add 'examples'")
    return rule if len(problems) == before else None


def _plain(value: Any) -> Any:
    """YAML data as plain dicts and lists (the loader's carry line numbers), so that a compiled
    rule pickles without the YAML module."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
