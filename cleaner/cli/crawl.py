"""`cleaner run` over archives: the glue between the run's books (the tally in `cli.app`) and
the archive job (`cleaner.batch.archives`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import click

from cleaner.batch.archives import ArchiveReport, Archives, shard_name
from cleaner.batch.executors import PageResult
from cleaner.batch.sinks import OutputFolder
from cleaner.batch.sources import Job
from cleaner.errors import PageError


class _Books(Protocol):
    """What the run keeps (`app._Tally`)."""

    quiet: bool
    skipped: int
    failures: list[PageResult]

    def fail(self, source: str, reason: str) -> None: ...


def archive_run(folder: OutputFolder | None, max_bytes: int, books: _Books,
                shown: Callable[[str], str]) -> Archives:
    """The run's archives: shards in ``folder`` (records on stdout without one), failures in
    the books and on stderr, one line per archive finished."""

    def shard_for(source: str) -> Path:
        assert folder is not None
        target = (folder.root / shard_name(source)).resolve()
        if folder.root not in target.parents:  # as `OutputFolder.paths`
            raise PageError("shard path would fall outside the output folder; rename the file")
        return target

    def failed(result: PageResult) -> None:
        books.failures.append(result)
        where = f" {shown(result.record_id)}" if result.record_id else ""
        click.echo(f"error: {shown(result.source)}{where}: {result.error}", err=True)

    def finished(report: ArchiveReport) -> None:
        if books.quiet or folder is None or report.shard is None:
            return
        skipped = sum(report.skipped.values())
        failed = len(report.failures) - (report.damage is not None)
        damaged = " (damaged: the records before the damage)" if report.damage else ""
        click.echo(f"cleaned {shown(report.source)}{damaged}: {report.cleaned} records, "
                   f"{failed} failed, {skipped} skipped, into {shown(shard_name(report.source))}",
                   err=True)

    emit: Callable[[str], Any] | None = click.echo if folder is None else None
    return Archives(shard_for=shard_for if folder is not None else None, folder=folder, emit=emit,
                    on_failure=failed, on_finish=finished, max_bytes=max_bytes)


def archive_jobs(archives: Archives, path: Path, source: str, books: _Books) -> Iterator[Job]:
    """An archive's record jobs, unless its shard name is taken or an earlier run finished it."""
    if archives.folder is not None:
        clash = archives.claim(source)
        if clash:
            books.fail(source, clash)
            return
        if archives.done(source, path):
            books.skipped += 1
            return
    yield from archives.jobs(path, source)
