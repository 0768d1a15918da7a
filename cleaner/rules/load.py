"""Rule files: loading, validation against the schema, compilation, and choosing rules per page.

A *rule set* is one YAML file (``docs/rules.md`` documents every key). A *rulebook* is every rule
set loaded for a run: the built-in ones shipped in ``rules/`` plus the user's folders. Loading
checks everything up front (YAML syntax, the schema, regexes, examples) and reports every problem
with file, line and rule id, so a run never starts with a broken rule.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import regex
import yaml

from cleaner.document import EXTRACT_FIELDS
from cleaner.errors import RuleError, RuleProblem
from cleaner.lang import lexicon
from cleaner.lang.words import CLOSING_PUNCTUATION, word_count
from cleaner.rules import yamlfile
from cleaner.rules.patterns import DEFAULT_TIMEOUT, Pattern, PatternSet

ACTIONS = ("drop", "drop_block", "cut_after", "cut_before", "extract", "replace")
# Group names that are natural in a regex but name a list field in the singular.
FIELD_ALIASES = {"credit": "credits", "author": "authors"}
ENV_RULES = "CLEANER_RULES"
_TERMINAL = CLOSING_PUNCTUATION
LABEL_GAP = r"[\s|•·/]*"  # what may stand between labels of a `joined` lines match


@cache
def _schema() -> dict[str, Any]:
    text = (Path(__file__).with_name("ruleset.schema.json")).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def builtin_rules_dir() -> Path:
    """The shipped rules: inside the package when installed, the repo's ``rules/`` in a checkout."""
    packaged = Path(__file__).parents[1] / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


@dataclass(frozen=True)
class Shape:
    """Cheap line-shape tests (word and character counts, closing punctuation)."""

    min_words: int | None = None
    max_words: int | None = None
    min_chars: int | None = None
    max_chars: int | None = None
    ends_with_punctuation: bool | None = None

    def holds(self, text: str) -> bool:
        words = word_count(text)
        if self.min_words is not None and words < self.min_words:
            return False
        if self.max_words is not None and words > self.max_words:
            return False
        if self.min_chars is not None and len(text) < self.min_chars:
            return False
        if self.max_chars is not None and len(text) > self.max_chars:
            return False
        if self.ends_with_punctuation is not None:
            return text.endswith(_TERMINAL) == self.ends_with_punctuation
        return True


@dataclass
class Rule:
    """One compiled rule. ``id`` is the full id, ``set/rule``."""

    id: str
    why: str
    action: str
    location: str
    patterns: list[Pattern] = default(default_factory=list)  # all must match; the first yields groups
    extracts: bool = False  # the first pattern is a user regex whose groups carry values
    shape: Shape | None = None
    repeated: int | None = None
    at_least: int | None = None  # acts only when this many lines on the page match
    at_most: int | None = None  # acts only when no more than this many lines on the page match
    first: int | None = None
    last: int | None = None
    below: float | None = None
    after_finder: bool = False  # runs on what the content finder kept, after it
    and_next: int = 0
    field: str | None = None
    replacement: str | None = None
    examples: dict[str, Any] = default(default_factory=dict)

    def find(self, text: str) -> Any | None:
        """The match object of the first pattern if every condition holds on ``text`` (position and
        repetition are the page's business, not the line's)."""
        if self.shape is not None and not self.shape.holds(text):
            return None
        found: Any = True
        for i, pattern in enumerate(self.patterns):
            match = pattern.search(text)
            if match is None:
                return None
            if i == 0:
                found = match
        return found

    def values(self, match: Any, text: str) -> dict[str, str]:
        """Field values an extract rule takes from one match: groups named after fields go to
        those fields; otherwise ``field`` takes the first group, or the whole line."""
        out: dict[str, str] = {}
        if self.extracts and match is not True:
            for name, value in match.groupdict().items():
                target = FIELD_ALIASES.get(name, name)
                if value and target in EXTRACT_FIELDS:
                    out[target] = value
            if self.field and self.field not in out and self.patterns[0].groups:
                first = match.group(1)
                if first:
                    out[self.field] = first
        if self.field and not out and not (self.extracts and self.patterns[0].groups):
            out[self.field] = text
        return out

    @property
    def line_scoped(self) -> bool:
        """Extract rules without groups take (and remove) the whole line, not just the match."""
        return not (self.extracts and self.patterns and self.patterns[0].groups)


@dataclass
class RuleSet:
    name: str
    path: str
    description: str = ""
    site: str | None = None
    hosts: list[str] = default(default_factory=list)
    contains: list[str] = default(default_factory=list)
    matches: list[Pattern] = default(default_factory=list)
    disable: list[str] = default(default_factory=list)
    disable_lines: list[int | None] = default(default_factory=list)
    rules: list[Rule] = default(default_factory=list)

    @property
    def generic(self) -> bool:
        return not (self.hosts or self.contains or self.matches)

    def applies(self, host: str | None, lines: frozenset[str], text: str) -> bool:
        """Hosts decide when the URL is known; otherwise a line the page must contain, or a
        ``matches`` regex (run once over the whole text, line by line via multi-line mode)."""
        if self.generic:
            return True
        if host and self.hosts:
            return any(fnmatch.fnmatchcase(host, glob) or host == glob.removeprefix("*.")
                       for glob in self.hosts)
        if any(needle in lines for needle in self.contains):
            return True
        return any(p.search(text) for p in self.matches)


@dataclass
class Selection:
    """The rules that apply to one page, in order, with the automaton that pre-filters them."""

    rules: list[Rule]
    sets: list[RuleSet]
    prefilter: PatternSet
    prefiltered: frozenset[int]  # indexes of rules whose first pattern is in the prefilter
    # Of those, the rules whose first pattern needs the slow engine: the prefilter has a looser
    # copy of it, which only rules lines out.
    loose: frozenset[int] = frozenset()

    @property
    def site(self) -> str | None:
        return next((s.site or s.name for s in self.sets if not s.generic), None)


class Rulebook:
    """Every rule set of a run. ``select`` picks what applies to one page: site sets whose
    ``applies_to`` matches (in load order), then the generic sets; minus disabled rule ids."""

    def __init__(self, sets: list[RuleSet], *, disabled: Sequence[str] = (),
                 site_rules: bool = True) -> None:
        self.sets = sets
        self.disabled = list(disabled)
        self.site_rules = site_rules
        self._cache: dict[tuple[str, ...], Selection] = {}

    @property
    def rules(self) -> list[Rule]:
        return [rule for s in self.sets for rule in s.rules]

    def select(self, lines: Iterable[str], url: str | None = None) -> Selection:
        host = urlsplit(url).hostname if url else None
        ordered = [line for line in lines if line]
        present = frozenset(ordered)
        text = "\n".join(ordered) if self.site_rules else ""
        chosen = [s for s in self.sets
                  if not s.generic and self.site_rules and s.applies(host, present, text)]
        chosen += [s for s in self.sets if s.generic]
        key = tuple(s.name for s in chosen)
        if key not in self._cache:
            disabled = self.disabled + [d for s in chosen for d in s.disable]
            rules = [r for s in chosen for r in s.rules
                     if not any(fnmatch.fnmatchcase(r.id, d) for d in disabled)]
            fast = [(i, r.patterns[0]) for i, r in enumerate(rules)
                    if r.patterns and r.patterns[0].prefilter_source is not None]
            self._cache[key] = Selection(rules, chosen, PatternSet(fast), frozenset(i for i, _ in fast),
                                         frozenset(i for i, pattern in fast if not pattern.linear))
        return self._cache[key]


def rule_dirs(extra: Sequence[str | Path] = (), *, builtin: bool = True) -> list[Path]:
    """Folders to load, in order: built-in, then CLEANER_RULES, then ``extra`` (--rules)."""
    dirs = [builtin_rules_dir()] if builtin else []
    env = os.environ.get(ENV_RULES, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += [Path(p) for p in extra]
    return dirs


def load_rulebook(extra: Sequence[str | Path] = (), *, builtin: bool = True,
                  disabled: Sequence[str] = (), site_rules: bool = True,
                  timeout: float = DEFAULT_TIMEOUT, check_examples: bool = True) -> Rulebook:
    """Load and validate every rule file; raises RuleError listing every problem found."""
    problems: list[RuleProblem] = []
    files: list[Path] = []
    for folder in rule_dirs(extra, builtin=builtin):
        if folder.is_file():
            files.append(folder)
        elif folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            problems.append(RuleProblem(str(folder), None, None,
                                        "rule folder not found; check the --rules path or CLEANER_RULES"))
    sets: list[RuleSet] = []
    for path in files:
        loaded = load_rule_file(path, problems, timeout=timeout, check_examples=check_examples)
        if loaded is not None:
            sets.append(loaded)
    sets = _merge(sets, problems)
    known = {r.id for s in sets for r in s.rules}
    hint = "list the ids with 'cleaner rules list'"
    for rule_set in sets:
        for pattern, line in zip(rule_set.disable, rule_set.disable_lines, strict=False):
            if not any(fnmatch.fnmatchcase(rid, pattern) for rid in known):
                problems.append(RuleProblem(rule_set.path, line, None,
                                            f"disable: no rule has the id {pattern!r}; {hint}"))
    for pattern in disabled:
        if not any(fnmatch.fnmatchcase(rid, pattern) for rid in known):
            problems.append(RuleProblem("--disable", None, None,
                                        f"no rule has the id {pattern!r}; {hint}"))
    if problems:
        raise RuleError(problems)
    return Rulebook(sets, disabled=disabled, site_rules=site_rules)


def _merge(sets: list[RuleSet], problems: list[RuleProblem]) -> list[RuleSet]:
    """Generic sets may be split across files that share a name; site sets must be unique."""
    merged: dict[str, RuleSet] = {}
    for rule_set in sets:
        seen = merged.get(rule_set.name)
        if seen is None:
            merged[rule_set.name] = rule_set
        elif seen.generic and rule_set.generic:
            ids = {r.id: r.location for r in seen.rules}
            for rule in rule_set.rules:
                if rule.id in ids:
                    path, _, line = rule.location.rpartition(":")
                    problems.append(RuleProblem(path, int(line) if line.isdigit() else None, rule.id,
                                                f"rule id already used at {ids[rule.id]}; rename one"))
            seen.rules += rule_set.rules
            seen.disable += rule_set.disable
            seen.disable_lines += rule_set.disable_lines
        else:
            problems.append(RuleProblem(rule_set.path, None, None,
                                        f"rule set name {rule_set.name!r} is already used by "
                                        f"{seen.path}; give each site its own name"))
    # Site sets first so that they win where they speak; generic sets keep their order.
    ordered = list(merged.values())
    return [s for s in ordered if not s.generic] + [s for s in ordered if s.generic]


def load_rule_file(path: Path, problems: list[RuleProblem], *,
                   timeout: float = DEFAULT_TIMEOUT, check_examples: bool = True) -> RuleSet | None:
    """Parse, validate and compile one rule file, appending problems instead of raising."""
    name = str(path)
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(RuleProblem(name, None, None, f"cannot read the file: {exc}"))
        return None
    except yamlfile.DuplicateKey as exc:
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
    seen: set[str] = set()
    for i, raw in enumerate(data["rules"]):
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
            from cleaner.pipeline import check_examples as check  # the examples run the real pipeline

            for message, example_path in check(rule):
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
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "type":
        return f"{where}: expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    if error.validator == "pattern":
        return f"{where}: {error.instance!r} must match {error.validator_value} (lower-case letters, digits, '-')"
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
        repeated=match.get("repeated"), at_least=match.get("at_least"), at_most=match.get("at_most"),
        first=where.get("first"), last=where.get("last"), below=where.get("below"),
        after_finder=bool(where.get("after_finder", False)),
        and_next=raw.get("and_next", 0),
        field=raw.get("field"), replacement=raw.get("with"), examples=dict(raw.get("examples", {})),
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
