"""``cleaner explain PAGE``: every line of a page and what became of it, then the record."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cleaner.batch.sources import read_file
from cleaner.cli.app import _check_url_option, _shown, _stdout_gone
from cleaner.cli.options import _load, interruptible, language_option, rule_options
from cleaner.document import Document
from cleaner.errors import CleanerError
from cleaner.fates import DROPPED, EXTRACTED, KEPT, REWRITTEN, Fate, fates
from cleaner.read.compression import read_raw

# What each fate looks like on a terminal: its mark and colour.
_MARKS = {KEPT: (" ", "green"), DROPPED: ("-", "red"), REWRITTEN: ("~", "yellow"),
          EXTRACTED: (">", "cyan")}
_LABEL_WIDTH = 40


@click.command()
@click.argument("source", metavar="PAGE", type=click.Path(allow_dash=True, path_type=Path))
@rule_options
@click.option("--url", help="The page's URL: picks site rules by host and fills `url`/`site`.")
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: one object per input line, then one with the record.")
@language_option
@interruptible
def explain(source: Path, rule_folders: tuple[Path, ...], disable: tuple[str, ...],
            no_site_rules: bool, regex_timeout: float, max_bytes: int, url: str | None,
            as_json: bool, language: str | None) -> None:
    """Show every line of PAGE (or - for stdin) with its fate: kept, or dropped, rewritten or
    moved into the record by which rule or step; then the record.

        cleaner explain page.txt --url https://www.rt.com/news/1/
    """
    from cleaner.pipeline import explain as explain_page  # not for --help: it loads the models

    if url is not None:
        _check_url_option(url)
    rulebook = _load(rule_folders, disable, no_site_rules, regex_timeout)
    stdin = str(source) == "-"
    name = "<stdin>" if stdin else str(source)
    try:
        data = read_raw(sys.stdin.buffer, "", max_bytes) if stdin else read_file(source, max_bytes)
        doc, page = explain_page(data, rulebook, url=url, source=None if stdin else source.name,
                                 name="" if stdin else name, max_bytes=max_bytes, language=language)
    except CleanerError as exc:
        raise click.ClickException(f"{_shown(name)}: {exc}") from exc
    except OSError as exc:
        raise click.ClickException(f"{_shown(name)}: cannot read: {exc.strerror or exc}") from exc
    lines = fates(page, rulebook)
    try:
        if as_json:
            for fate in lines:
                click.echo(json.dumps(fate.record(), ensure_ascii=False))
            click.echo(json.dumps({"record": doc.record()}, ensure_ascii=False))
        else:
            _show(lines, doc)
    except BrokenPipeError:
        _stdout_gone()


def _show(lines: list[Fate], doc: Document) -> None:
    """The lines, one a row: number, mark, rule or step, text; then the record's fields. Colour
    only on a terminal (click strips it from a pipe)."""
    width = min(_LABEL_WIDTH, max((len(f.reason()) for f in lines), default=0))
    for fate in lines:
        mark, colour = _MARKS[fate.fate]
        label = (fate.reason() or fate.fate).ljust(width)
        text = fate.text
        if fate.fate in (REWRITTEN, EXTRACTED) and fate.result is not None:
            text += f"  => {fate.result!r}"
        row = f"{fate.line:>4} {mark} {label}  {text}"
        click.secho(row, fg=colour, dim=fate.fate == DROPPED and fate.change is not None
                    and fate.change.by.startswith("finder/"))
    kept = sum(1 for f in lines if f.result is not None)
    click.echo(f"\n{kept} of {len(lines)} lines kept; the record:")
    for key, value in doc.record().items():
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
        click.echo(f"  {click.style(key, bold=True)}: {'null' if shown is None else shown}")
