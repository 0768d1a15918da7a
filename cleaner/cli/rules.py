"""``cleaner rules …``: list, check, test and start rule files, and print their schema."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import click

from cleaner.batch.sources import read_file
from cleaner.cli.app import _check_url_option, _shown
from cleaner.cli.options import _load, env_rule_folders, rule_options
from cleaner.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, CleanerError, RuleError
from cleaner.fates import fates
from cleaner.read.compression import DEFAULT_MAX_BYTES
from cleaner.rules.examples import check_examples
from cleaner.rules.load import files_of, load_rulebook, rule_dirs, rule_files
from cleaner.rules.model import Rule
from cleaner.rules.scaffold import host_of, new_rule_set


@click.group()
def rules() -> None:
    """Inspect, check, test and start rule files."""


@rules.command(name="list")
@rule_options
def rules_list(rule_folders: tuple[Path, ...], disable: tuple[str, ...], no_site_rules: bool,
               regex_timeout: float, max_bytes: int) -> None:
    """List every rule id with its action and why it exists (tab-separated)."""
    rulebook = _load(rule_folders, disable, no_site_rules, regex_timeout)
    for rule_set in rulebook.sets:
        for rule in rule_set.rules:
            why = " ".join(rule.why.split())
            click.echo(f"{rule.id}\t{rule.action}\t{why}")


@rules.command(name="check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def rules_check(paths: tuple[Path, ...]) -> None:
    """Validate rule files or folders (schema, regexes, examples) without cleaning anything.

    Folders are searched recursively for .yaml/.yml files, as --rules does.
    """
    # The built-in rules and $CLEANER_RULES load as they would for `run` (so `disable:` can name
    # their ids); a PATH that is one of them or inside one is loaded once, as part of it.
    try:
        rulebook = load_rulebook(env_rule_folders() + paths, builtin=True, check_examples=True)
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    checked = files_of(paths)
    count = sum(1 for rule in rulebook.rules if _rule_file(rule.location) in checked)
    click.echo(f"ok: {count} rule(s) checked, every example holds", err=True)


def _rule_file(location: str) -> Path:
    """The rule file of a rule's location (``path:line``), resolved."""
    return Path(re.sub(r":(?:\d+|None)$", "", location)).resolve()


@rules.command(name="schema")
def rules_schema() -> None:
    """Print the JSON Schema of a rule file (for editors that validate YAML)."""
    schema_file = Path(__file__).parents[1] / "rules" / "ruleset.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))


@rules.command(name="test")
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(exists=True, path_type=Path))
def rules_test(folder: Path | None) -> None:
    """Run every rule's examples and clean each rule set's sample pages (its `tests`), offline.

    DIR (a folder or one rule file) is tested with the built-in rules beside it; without DIR, every
    rule set loaded (the built-in ones and $CLEANER_RULES) is. Exit 1 when something fails, 2 when
    the rules do not load.
    """
    try:
        rulebook = load_rulebook(env_rule_folders() + ((folder,) if folder else ()))
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    from cleaner.rules.samples import check_sample, read_samples  # they clean: not for --help

    files = rule_files([folder]) if folder else rule_files(rule_dirs(env_rule_folders()))
    by_file: dict[Path, list[Rule]] = {}
    for rule in rulebook.rules:
        by_file.setdefault(_rule_file(rule.location), []).append(rule)
    totals = {"rules": 0, "examples": 0, "samples": 0, "failures": 0}
    for path in files:
        mine = by_file.get(path.resolve(), [])
        samples = read_samples(path)
        click.echo(click.style(str(path), bold=True))
        count = 0
        for rule in mine:
            count += sum(len(v) for v in rule.examples.values())
            for message, _ in check_examples(rule):
                _report(False, f"{rule.id}: {message}")
                totals["failures"] += 1
        totals["rules"] += len(mine)
        totals["examples"] += count
        if mine:
            _report(True, f"{len(mine)} rule(s), {count} example(s)")
        for sample in samples:
            failures = check_sample(sample, rulebook)
            for message in failures:
                _report(False, f"sample {sample.page} (line {sample.line}): {message}")
            if not failures:
                _report(True, f"sample {sample.page}" + (f" ({sample.url})" if sample.url else ""))
            totals["samples"] += 1
            totals["failures"] += len(failures)
    summary = (f"{totals['rules']} rule(s), {totals['examples']} example(s), {totals['samples']} "
               f"sample page(s): {totals['failures']} failure(s)")
    click.secho(summary, fg="red" if totals["failures"] else "green")
    sys.exit(EXIT_SOME_FAILED if totals["failures"] else EXIT_OK)


def _report(ok: bool, message: str) -> None:
    click.echo("  " + click.style("ok  " if ok else "FAIL", fg="green" if ok else "red") + "  " + message)


@rules.command(name="new")
@click.argument("host")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder to write HOST.yaml into (made if missing).")
@click.option("--from", "page", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A sample page of the site: its removed lines become commented candidate "
                   "rules, and it is copied to DIR/samples/ as the set's sample.")
@click.option("--url", help="The sample page's URL (default https://HOST/).")
def rules_new(host: str, folder: Path, page: Path | None, url: str | None) -> None:
    """Write a site rule file for HOST (a host name or a URL) to start from: DIR/HOST.yaml.

        cleaner rules new example.com --dir my-rules/ --from page.txt
    """
    found = host_of(host)
    if found is None:
        raise click.BadParameter(f"{host!r} is not a host name (such as example.com)", param_hint="HOST")
    target = folder / f"{found}.yaml"
    if target.exists():
        raise click.ClickException(f"{target} exists already; edit it, or choose another --dir")
    if url is not None:
        _check_url_option(url)
    from cleaner.pipeline import explain as explain_page  # it loads the models: not for --help

    try:
        rulebook = load_rulebook(env_rule_folders())
    except RuleError as exc:
        raise click.ClickException(f"the rules do not load: {exc}") from exc
    taken = {s.name for s in rulebook.sets}
    name = found if found not in taken else f"my-{found}"
    text = new_rule_set(found, name)
    copy = None
    if page is not None:
        url = url or f"https://{found}/"
        try:
            data = read_file(page, DEFAULT_MAX_BYTES)
            doc, cleaned = explain_page(data, rulebook, url=url, source=page.name, name=str(page))
        except CleanerError as exc:
            raise click.ClickException(f"{_shown(str(page))}: {exc}") from exc
        except OSError as exc:
            raise click.ClickException(f"{_shown(str(page))}: cannot read: {exc.strerror or exc}") from exc
        copy = folder / "samples" / page.name
        if copy.exists():
            raise click.ClickException(f"{copy} exists already; choose another --dir")
        text = new_rule_set(found, name, sample=copy.relative_to(folder).as_posix(), url=url,
                            lines=fates(cleaned, rulebook), doc=doc)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if page is not None and copy is not None:
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(page, copy)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {target}" + (f" and its sample page {copy}" if copy else "") +
               f"; next: cleaner rules check {folder} && cleaner rules test {folder}", err=True)
