"""Loading a rulebook: which rule files, in which order, each once; compiled (`cleaner.rules.compile`)
or read back from the cache of compiled rules (`cleaner.rules.cache`); ``disable`` ids checked.

A *rule set* is one YAML file (``docs/rules.md`` documents every key). A *rulebook* is every rule
set loaded for a run: the built-in ones shipped in ``rules/`` plus the user's folders. Loading
checks everything up front (YAML syntax, the schema, regexes; examples too when asked, as
``cleaner rules check`` does) and reports every problem with file, line and rule id, so a run
never starts with a broken rule. Given a cache folder, the compiled rule sets are kept there and
read back while the rule files, the code that compiles them and the options are the same
(`cleaner.rules.cache`).
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Sequence
from pathlib import Path

from cleaner.errors import RuleError, RuleProblem
from cleaner.rules import cache as compiled
from cleaner.rules.model import RuleSet
from cleaner.rules.patterns import DEFAULT_TIMEOUT
from cleaner.rules.rulebook import Rulebook

RULE_SUFFIXES = (".yaml", ".yml")
# Limits on a rule file, checked before it is validated: its size here; nesting depth and alias
# expansion while the YAML is read (`cleaner.rules.yamlfile`). Built-in files are under 30 KB.
MAX_FILE_BYTES = 1_000_000


def builtin_rules_dir() -> Path:
    """The shipped rules: inside the package when installed, the repo's ``rules/`` in a checkout."""
    packaged = Path(__file__).parents[1] / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def rule_dirs(extra: Sequence[str | Path] = (), *, builtin: bool = True) -> list[Path]:
    """Folders to load, in order: ``extra`` (the CLI passes $CLEANER_RULES's, then --rules'),
    then the built-in rules. The user's sets come first so that they win: a user's site rule
    takes a line before a built-in rule for the same site can (site sets still run before
    generic ones)."""
    dirs = [Path(p) for p in extra]
    if builtin:
        # A built-in folder or file named again (`cleaner rules check rules/`) keeps its built-in
        # place: it is loaded once, as part of the built-in rules.
        home = builtin_rules_dir().resolve()
        dirs = [d for d in dirs if not (d.resolve() == home or home in d.resolve().parents)]
        dirs.append(builtin_rules_dir())
    return dirs


def rule_files(folders: Sequence[Path], problems: list[RuleProblem] | None = None) -> list[Path]:
    """The rule files of ``folders`` (a folder is searched recursively; a file is itself), in
    load order, each once: a file reached again (the same folder or file given twice, or one
    inside a folder already given) keeps its first place and name.
    A path that does not exist is a problem (when ``problems`` is given)."""
    files: list[Path] = []
    seen: set[Path] = set()
    builtin = _builtin_copies(folders)
    for folder in folders:
        if folder.is_file():
            found = [folder]
        elif folder.is_dir():
            found = sorted(p for p in folder.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file())
        else:
            if problems is not None:
                problems.append(RuleProblem(str(folder), None, None,
                                            "rule folder not found; check the --rules path or $CLEANER_RULES"))
            continue
        for path in found:
            resolved = path.resolve()
            if resolved in seen or (builtin and resolved not in builtin.values()
                                    and builtin.get(_identity(path)) is not None):
                continue
            seen.add(resolved)
            files.append(path)
    return files


def files_of(paths: Sequence[Path]) -> set[Path]:
    """The rule files ``paths`` hold, resolved, and the built-in files any of them is a copy of
    (as `rule_files` loads it): what `cleaner rules check PATH` reports on."""
    files = rule_files(paths)
    copies = _builtin_copies([builtin_rules_dir()])
    return {path.resolve() for path in files} | {copies[key] for path in files
                                                  if (key := _identity(path)) in copies}


def _identity(path: Path) -> tuple[str, str]:
    return path.name, hashlib.sha256(path.read_bytes()).hexdigest()


def _builtin_copies(folders: Sequence[Path]) -> dict[tuple[str, str], Path]:
    """The built-in rule files by name and content, when the built-in folder is among
    ``folders``: a byte-identical copy of one of them elsewhere (a checkout's ``rules/`` beside
    an installed package) is that file, loaded once, in its built-in place."""
    home = builtin_rules_dir().resolve()
    if not any(folder.resolve() == home for folder in folders):
        return {}
    return {_identity(path): path.resolve()
            for path in home.rglob("*") if path.suffix in RULE_SUFFIXES and path.is_file()}


def load_rulebook(extra: Sequence[str | Path] = (), *, builtin: bool = True,
                  disabled: Sequence[str] = (), site_rules: bool = True,
                  timeout: float = DEFAULT_TIMEOUT, check_examples: bool = False,
                  cache_dir: Path | None = None) -> Rulebook:
    """Load and validate every rule file; raises RuleError listing every problem found.

    ``check_examples`` runs every rule's examples too (``cleaner rules check`` and the tests do;
    a run does not). ``cache_dir``: a folder where the compiled rule sets are kept and read
    back, keyed by the files' names and bytes, the compiling code and ``timeout``; a cache that
    cannot be read or written is passed over (the rules compile as without one).
    """
    problems: list[RuleProblem] = []
    texts: list[tuple[Path, str | None]] = []
    for path in rule_files(rule_dirs(extra, builtin=builtin), problems):
        try:
            texts.append((path, _read(path)))
        except _TooBig as exc:
            problems.append(RuleProblem(str(path), None, None, str(exc)))
            texts.append((path, None))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(RuleProblem(str(path), None, None, f"cannot read the file: {exc}"))
            texts.append((path, None))
    key = None
    sets: list[RuleSet] | None = None
    if cache_dir is not None and not problems:
        key = compiled.key([(str(path), text or "") for path, text in texts], timeout)
        if not check_examples:
            sets = compiled.read(cache_dir, key)
    if sets is None:
        # Compiling needs YAML and the schema validator, which a start that finds its rules in
        # the cache does without.
        from cleaner.rules.compile import load_rule_file

        loaded = []
        for path, text in texts:
            if text is None:
                continue
            rule_set = load_rule_file(path, problems, timeout=timeout, check_examples=check_examples,
                                      text=text)
            if rule_set is not None:
                loaded.append(rule_set)
        sets = _merge(loaded, problems)
        if cache_dir is not None and key is not None and not problems:
            compiled.write(cache_dir, key, sets)
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


class _TooBig(Exception):
    pass


def _read(path: Path) -> str:
    """A rule file's text, refused unread past MAX_FILE_BYTES (a 2 GB file is a mistake, and
    would be held in memory several times over)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        size = path.stat().st_size
        raise _TooBig(f"the file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for a "
                      "rule file; split it into several files")
    return data.decode("utf-8")


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
    # Site sets first so that they win where they speak; within each kind, load order (the
    # user's sets before the built-in ones).
    ordered = list(merged.values())
    return [s for s in ordered if not s.generic] + [s for s in ordered if s.generic]
