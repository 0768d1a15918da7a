"""The command line: a thin edge over the library. Only this module knows click; human messages
go to stderr so that stdout carries data alone (clean text or JSON Lines)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .batch import Job, OutputFolder, PageResult, clean_jobs, discover, fingerprint, read_file
from .errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    CleanerError,
    PageError,
    RuleError,
)
from .patterns import DEFAULT_TIMEOUT
from .pipeline import clean
from .reading import DEFAULT_MAX_BYTES
from .rulebook import Rulebook, builtin_rules_dir, load_rulebook, rule_dirs

F = TypeVar("F", bound=Callable[..., Any])


def rule_options(func: F) -> F:
    """The options every command that cleans shares: which rules to use."""

    @click.option("--rules", "rule_folders", multiple=True, type=click.Path(path_type=Path),
                  help="Extra folder (or file) of YAML rule sets; repeatable. Also $CLEANER_RULES.")
    @click.option("--disable", multiple=True, metavar="ID",
                  help="Switch off a rule by id (globs work: 'generic/share-*'); repeatable.")
    @click.option("--no-site-rules", is_flag=True, help="Use the generic rules only.")
    @click.option("--regex-timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True,
                  help="Seconds a rule regex that RE2 cannot run may spend on one line.")
    @click.option("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, show_default=True,
                  help="Largest page accepted, after decompression.")
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _load(rule_folders: tuple[Path, ...], disable: tuple[str, ...], no_site_rules: bool,
          regex_timeout: float) -> Rulebook:
    try:
        return load_rulebook(rule_folders, disabled=disable, site_rules=not no_site_rules,
                             timeout=regex_timeout)
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"{len(exc.problems)} problem(s) in the rule files; nothing was cleaned.", err=True)
        sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Turn raw scraped web pages into clean article text and a metadata record."""


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.argument("output", metavar="OUTPUT")
@rule_options
@click.option("--force", is_flag=True, help="Clean every page again, even those a previous run finished.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Pages cleaned in parallel (processes).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the summary on stderr.")
def run(input_path: Path, output: str, rule_folders: tuple[Path, ...], disable: tuple[str, ...],
        no_site_rules: bool, regex_timeout: float, max_bytes: int, force: bool, jobs: int,
        quiet: bool) -> None:
    """Clean every page under INPUT into OUTPUT (a folder, or - for JSON Lines on stdout).

    For INPUT/a/b.txt the folder gets OUTPUT/a/b.txt (the clean text) and OUTPUT/a/b.json (the
    record). A rerun skips pages already finished with the same rules. Exit codes: 0 all pages
    cleaned, 1 some pages failed (see OUTPUT/cleaner-errors.jsonl), 2 usage or rule errors,
    130 interrupted.
    """
    rulebook = _load(rule_folders, disable, no_site_rules, regex_timeout)
    to_stdout = output == "-"
    folder = None
    if not to_stdout:
        out = Path(output)
        if out.exists() and not out.is_dir():
            raise click.UsageError(f"OUTPUT {output} exists and is not a folder")
        files = [p for d in rule_dirs(rule_folders) for p in _rule_files(d)]
        options = {"disable": sorted(disable), "site_rules": not no_site_rules, "max_bytes": max_bytes}
        folder = OutputFolder(out, fingerprint(files, options), force=force)
        folder.start()
    failures: list[PageResult] = []
    counts = {"cleaned": 0, "skipped": 0}

    def jobs_to_do() -> Iterator[Job]:
        for path, source in discover(input_path, exclude=folder.root if folder else None):
            if folder is not None:
                clash = folder.claim(source)
                if clash:
                    failures.append(PageResult(source, error=clash))
                    click.echo(f"error: {source}: {clash}", err=True)
                    continue
                if folder.done(source, path):
                    counts["skipped"] += 1
                    continue
            yield Job(str(path), source)

    try:
        for result in clean_jobs(jobs_to_do(), rulebook, max_bytes=max_bytes, workers=jobs):
            if result.error or result.doc is None:
                failures.append(result)
                click.echo(f"error: {result.source}: {result.error}", err=True)
                continue
            if folder is None:
                click.echo(json.dumps(result.doc.record(with_text=True), ensure_ascii=False))
            else:
                try:
                    folder.write(result.doc)
                except (OSError, PageError) as exc:
                    failures.append(PageResult(result.source, error=f"cannot write output: {exc}"))
                    click.echo(f"error: {result.source}: cannot write output: {exc}", err=True)
                    continue
            counts["cleaned"] += 1
            if not quiet and folder is not None:
                click.echo(f"cleaned {result.source}", err=True)
    except KeyboardInterrupt:
        click.echo("interrupted; finished pages are kept, run the same command again to "
                   "complete the job", err=True)
        sys.exit(EXIT_INTERRUPTED)
    summary = f"{counts['cleaned']} cleaned, {len(failures)} failed"
    if counts["skipped"]:
        summary += f", {counts['skipped']} already done"
    if folder is not None:
        log = folder.write_errors(failures)
        if failures:
            summary += f"; reasons in {log}"
    click.echo(summary, err=True)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


def _rule_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))


@main.command(name="clean")
@click.argument("source", metavar="FILE", type=click.Path(allow_dash=True, path_type=Path))
@rule_options
@click.option("--json", "as_json", is_flag=True, help="Print the record (with text) as JSON instead.")
@click.option("--url", help="The page's URL: picks site rules by host and fills `url`/`site`.")
def clean_command(source: Path, rule_folders: tuple[Path, ...], disable: tuple[str, ...],
                  no_site_rules: bool, regex_timeout: float, max_bytes: int, as_json: bool,
                  url: str | None) -> None:
    """Clean one page (FILE, or - for stdin) and print the clean text.

        cat page.txt | cleaner clean -
    """
    rulebook = _load(rule_folders, disable, no_site_rules, regex_timeout)
    name = "<stdin>" if str(source) == "-" else str(source)
    try:
        if str(source) == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise PageError(f"input is over the {max_bytes:,} byte cap; raise --max-bytes")
        else:
            data = read_file(source, max_bytes)
        doc = clean(data, rulebook, url=url, source=None if name == "<stdin>" else source.name,
                    name=name)
    except CleanerError as exc:
        raise click.ClickException(f"{name}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(doc.record(with_text=True), ensure_ascii=False, indent=2))
    elif doc.text:
        click.echo(doc.text)


@main.group()
def rules() -> None:
    """Inspect and check rule files."""


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
    """Validate rule files or folders (schema, regexes, examples) without cleaning anything."""
    try:
        rulebook = load_rulebook(paths, builtin=True)
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    count = sum(len(s.rules) for s in rulebook.sets if not str(s.path).startswith(str(builtin_rules_dir())))
    click.echo(f"ok: {count} rule(s) checked, every example holds", err=True)


@rules.command(name="schema")
def rules_schema() -> None:
    """Print the JSON Schema of a rule file (for editors that validate YAML)."""
    schema = json.loads((Path(__file__).with_name("ruleset.schema.json")).read_text(encoding="utf-8"))
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
