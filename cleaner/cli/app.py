"""The command line: a thin edge over the library. Only this package knows click; human messages
go to stderr so that stdout carries data alone (clean text or JSON Lines). This module holds the
main group and `clean`; the other commands live in modules of their own, imported when called."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
from pathlib import Path
from typing import ClassVar

import click

from cleaner import __version__, core
from cleaner.batch.deadline import PageTimeout, page_deadline, timeout_reason
from cleaner.batch.sources import read_file
from cleaner.batch.urllist import url_problem
from cleaner.cli.options import (
    _load,
    _output_format,
    format_options,
    interruptible,
    language_option,
    page_timeout_option,
    rule_options,
)
from cleaner.errors import EXIT_SOME_FAILED, CleanerError
from cleaner.read.compression import read_raw


class _Commands(click.Group):
    """The main group. The commands in modules of their own (`run`, with the batch machinery it
    needs; `rules`; `explain`) are imported when they are called or listed, so that a start that
    cleans one page loads only what one page needs."""

    modules: ClassVar[dict[str, str]] = {
        "run": "cleaner.cli.run", "rules": "cleaner.cli.rules", "explain": "cleaner.cli.explain"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.modules})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.modules and cmd_name not in self.commands:
            self.add_command(getattr(importlib.import_module(self.modules[cmd_name]), cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)


def _version(context: click.Context, _: click.Parameter, value: bool) -> None:
    """`--version`: the release, and which core runs the per-line kernels (see cleaner/core.py)."""
    if value and not context.resilient_parsing:
        from cleaner.read.unglue import seams_note  # imports `regex`: only when asked

        note = seams_note()
        click.echo(f"cleaner, version {__version__} ({core.name()} core{'; ' + note if note else ''})")
        context.exit()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and which core runs (rust: the compiled one; python) and exit.")
def main() -> None:
    """Turn raw scraped web pages into clean article text and a metadata record."""


def _check_url_option(url: str) -> None:
    problem = url_problem(url)
    if problem:
        raise click.BadParameter(problem, param_hint="--url")


def _shown(source: str) -> str:
    """A source name fit for one line of stderr (file names may hold newlines or escapes)."""
    if source.isprintable():
        return source
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in source)


def _stdout_gone() -> None:
    """The reader of stdout went away (``| head``): stop quietly, as Unix tools do."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_SOME_FAILED)


@main.command(name="clean")
@click.argument("source", metavar="FILE", type=click.Path(allow_dash=True, path_type=Path))
@rule_options
@click.option("--json", "as_json", is_flag=True,
              help="Print the record (with text) as JSON instead.")
@click.option("--url", help="The page's URL: picks site rules by host and fills `url`/`site`.")
@format_options
@page_timeout_option
@language_option
@interruptible
def clean_command(source: Path, rule_folders: tuple[Path, ...], disable: tuple[str, ...],
                  no_site_rules: bool, regex_timeout: float, max_bytes: int, as_json: bool,
                  url: str | None, page_timeout: float, language: str | None, format_name: str,
                  links: bool) -> None:
    """Clean one page (FILE, or - for stdin) and print the clean text (or its Markdown).

        cat page.txt | cleaner clean -
    """
    if url is not None:
        _check_url_option(url)
    output_format = _output_format(format_name, links)
    rulebook = _load(rule_folders, disable, no_site_rules, regex_timeout)
    name = "<stdin>" if str(source) == "-" else str(source)
    from cleaner.pipeline import clean  # not at the top: the commands that clean nothing skip it

    try:
        # The bytes as given: clean() decompresses them (once) and tells their kind by the name
        # (none for stdin) and the content.
        if str(source) == "-":
            data = read_raw(sys.stdin.buffer, "", max_bytes)
        else:
            data = read_file(source, max_bytes)
        # No warm-up here, unlike `run`: for one page it would double the work, and what loads on
        # first use (models, the rules' prefilter; under a second) fits well inside any sane limit.
        with page_deadline(page_timeout):
            doc = clean(data, rulebook, url=url, source=None if name == "<stdin>" else source.name,
                        name="" if name == "<stdin>" else name, max_bytes=max_bytes,
                        language=language)
    except PageTimeout as exc:
        raise click.ClickException(f"{_shown(name)}: {timeout_reason(page_timeout, exc.rule)}") from None
    except CleanerError as exc:
        raise click.ClickException(f"{_shown(name)}: {exc}") from exc
    except OSError as exc:
        raise click.ClickException(f"{_shown(name)}: cannot read: {exc.strerror or exc}") from exc
    body = output_format.body(doc)
    try:
        if as_json:
            record = doc.record(with_text=True)
            record["text"] = body
            click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        elif body:
            click.echo(body)
    except BrokenPipeError:
        _stdout_gone()


if __name__ == "__main__":
    main()
