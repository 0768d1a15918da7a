"""`cleaner run`: every page under a folder (or listed, or in crawl archives) cleaned into an
output folder or JSON Lines, in parallel, resumably. A module of its own, loaded when the command
runs, so that `cleaner clean` does not import the batch machinery (processes, archives, ledgers)."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TextIO

import click

from cleaner.batch.archives import Archives, is_archive
from cleaner.batch.executors import PageResult, clean_jobs, usable_cores
from cleaner.batch.fingerprint import fingerprint
from cleaner.batch.ledger import FolderBusy
from cleaner.batch.sinks import ERROR_LOG, OutputFolder
from cleaner.batch.sources import Job, discover, listed_files
from cleaner.batch.urllist import UrlList, UrlListError, load_url_list
from cleaner.cli.app import _shown, _stdout_gone
from cleaner.cli.crawl import archive_jobs, archive_run
from cleaner.cli.options import (
    _load,
    _output_format,
    format_options,
    interruptible,
    language_option,
    page_timeout_option,
    rule_options,
)
from cleaner.cli.progress import Progress, count_pages, speed, stderr_is_terminal
from cleaner.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_SOME_FAILED, EXIT_TERMINATED, EXIT_USAGE
from cleaner.rules.load import rule_dirs


@click.command()
@click.argument("input_path", metavar="[INPUT]", required=False, type=click.Path(path_type=Path))
@click.argument("output", metavar="OUTPUT", required=False)
@click.option("--files-from", "files_from", type=click.File("r", encoding="utf-8", errors="surrogateescape"),
              help="Clean the files listed in FILE, one path a line (- reads the list from "
                   "stdin), instead of the files under INPUT.")
@rule_options
@click.option("--force", is_flag=True,
              help="Clean every page again, even those a previous run finished.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=usable_cores,
              help="Pages cleaned in parallel (processes); 1 cleans in this process. Default: "
                   f"{usable_cores()}, the processors this process may use.")
@click.option("--urls", "url_list_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File giving each page's URL ('PATH URL' lines or JSON Lines with path/id "
                   "and url): picks site rules by host, and the URL's slug and date are evidence.")
@click.option("-q", "--quiet", is_flag=True,
              help="Only errors and the summary on stderr (no progress line, no page names).")
@click.option("--follow-links", is_flag=True,
              help="Follow symlinks that lead out of INPUT (skipped and counted otherwise).")
@click.option("--fsync", is_flag=True, help="Flush every output and the state file to the disk "
              "before a page counts as done (slower; for crawls that must survive a power cut).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Clean on a dask.distributed cluster (tcp://HOST:8786) instead of local "
                   "processes; this process still reads the pages and writes the outputs. "
                   "Needs 'cleaner[dask]'.")
@format_options
@page_timeout_option
@language_option
@interruptible
def run(input_path: Path | None, output: str | None, rule_folders: tuple[Path, ...], disable: tuple[str, ...],
        no_site_rules: bool, regex_timeout: float, max_bytes: int, force: bool, jobs: int,
        url_list_path: Path | None, quiet: bool, follow_links: bool, fsync: bool,
        scheduler: str | None, page_timeout: float, language: str | None, format_name: str,
        links: bool, files_from: TextIO | None = None) -> None:
    """Clean every page under INPUT into OUTPUT (a folder, or - for JSON Lines on stdout).

    For INPUT/a/b.txt the folder gets OUTPUT/a/b.txt (the clean text) and OUTPUT/a/b.json (the
    record); with --format markdown, OUTPUT/a/b.md instead of the .txt. A rerun skips pages
    already finished with the same rules and options. Exit codes: 0 all pages
    cleaned, 1 some pages failed (see OUTPUT/cleaner-errors.jsonl), 2 usage or rule errors,
    130 interrupted (143 on SIGTERM).

    WARC and WET archives (.warc, .warc.gz, .wet, .warc.wet.gz, or told by their first line)
    become one JSON Lines shard each, OUTPUT/<archive name>.jsonl.gz, a record per page.
    """
    started = time.perf_counter()
    output_format = _output_format(format_name, links)
    input_path, output = _inputs(input_path, output, files_from)
    assert output is not None
    rulebook = _load(rule_folders, disable, no_site_rules, regex_timeout)
    url_list = None
    if url_list_path is not None:
        try:
            url_list = load_url_list(url_list_path)
        except UrlListError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
    to_stdout = output == "-"
    folder = None
    if not to_stdout:
        out = Path(output)
        if out.exists() and not out.is_dir():
            raise click.UsageError(f"OUTPUT {output} exists and is not a folder")
        if input_path is not None:
            _check_apart(input_path, out)
        files = [p for d in rule_dirs(rule_folders) for p in _rule_files(d)]
        # Page URLs are not in the fingerprint: each page's record says which URL it was cleaned
        # with, and `OutputFolder.done` compares that one.
        options = {"disable": sorted(disable), "site_rules": not no_site_rules, "max_bytes": max_bytes,
                   "language": language, "format": output_format.name, "links": output_format.links}
        folder = OutputFolder(out, fingerprint(files, options), force=force, fsync=fsync,
                              output_format=output_format)
        try:
            folder.start()
        except FolderBusy as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        except OSError as exc:
            where = exc.filename or output
            click.echo(f"error: cannot prepare the output folder {output} ({where}: "
                       f"{exc.strerror or exc}); free space, fix permissions or remove it",
                       err=True)
            sys.exit(EXIT_USAGE)
    # On a terminal the progress line stands in for the page-by-page 'cleaned' lines.
    terminal = not quiet and stderr_is_terminal()
    total = None
    if terminal and input_path is not None:
        total = count_pages(input_path, folder.root if folder else None, follow_links)
    tally = _Tally(folder, quiet, Progress(terminal, total), started)
    tally.archives = archive_run(folder, max_bytes, tally, _shown)

    def link_out(source: str) -> None:
        tally.links_out += 1

    def jobs_to_do() -> Iterator[Job]:
        inputs = (listed_files(files_from, on_error=tally.fail) if files_from is not None else
                  discover(input_path or Path("."), exclude=folder.root if folder else None,
                           on_error=tally.fail, follow_links=follow_links, on_link_out=link_out))
        for path, source in inputs:
            if is_archive(path):
                yield from archive_jobs(tally.archives, path, source, tally)
                continue
            url = url_list.url_for(source) if url_list else None
            if folder is not None:
                clash = folder.claim(source)
                if clash:
                    tally.fail(source, clash)
                    continue
                if folder.done(source, path, url):
                    tally.skipped += 1
                    tally.progress.advance()
                    continue
            yield Job(str(path), source, url)

    # SIGTERM (a scheduler's or `kill`'s way to stop a run) takes the same orderly way out as
    # Ctrl-C: the page being written is finished, the error log is written.
    def terminate(signum: int, frame: FrameType | None) -> None:
        tally.stopped_by = signal.SIGTERM
        raise KeyboardInterrupt

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGTERM, terminate)
    try:
        if scheduler:
            # The cluster cleans; this process reads each page, writes its outputs, keeps the books.
            from cleaner.batch.cluster import ClusterError, clean_jobs_on_cluster

            _quiet_dask()
            try:
                results = clean_jobs_on_cluster(
                    scheduler, jobs_to_do(), rulebook, max_bytes=max_bytes, output=folder,
                    json_lines=to_stdout, language=language, page_timeout=page_timeout,
                    output_format=output_format)
            except ClusterError as exc:
                click.echo(f"error: {exc}", err=True)
                sys.exit(EXIT_USAGE)
        else:
            # Each page is written by the process that cleaned it; this one keeps the books.
            results = clean_jobs(jobs_to_do(), rulebook, max_bytes=max_bytes, workers=jobs,
                                 output=folder, json_lines=to_stdout, language=language,
                                 page_timeout=page_timeout, output_format=output_format)
        _run_pages(results, tally, url_list)
    finally:
        tally.progress.close()
        tally.archives.close()
        if folder is not None:
            folder.finish()
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


@dataclass
class _Tally:
    """What a run has done so far, for the summary line and the error log."""

    folder: OutputFolder | None
    quiet: bool
    progress: Progress = field(default_factory=lambda: Progress(False))
    started: float = field(default_factory=time.perf_counter)
    cleaned: int = 0
    read: int = 0  # bytes of input read
    skipped: int = 0
    links_out: int = 0  # symlinks leading out of INPUT, not followed
    failures: list[PageResult] = field(default_factory=list)
    stopped_by: signal.Signals = signal.SIGINT
    archives: Archives = field(default_factory=Archives)

    def fail(self, source: str, reason: str) -> None:
        self.failures.append(PageResult(source, error=reason))
        self.progress.advance(failed=True)
        with self.progress.aside():
            click.echo(f"error: {_shown(source)}: {reason}", err=True)

    def take(self, result: PageResult) -> None:
        """One page's result, in input order: its outputs are written already (or its JSON
        line is here, for stdout)."""
        self.read += result.size
        if self.archives.take(result):
            self.progress.advance(failed=not result.ok)
            return
        if not result.ok:
            self.fail(result.source, result.error or "no result")
            return
        self.progress.advance()
        if result.line is not None:
            with self.progress.aside():  # stdout may be the same terminal
                click.echo(result.line)
        self.cleaned += 1
        if not self.quiet and not self.progress.shown and self.folder is not None:
            click.echo(f"cleaned {_shown(result.source)}", err=True)


def _run_pages(results: Generator[PageResult, None, None], tally: _Tally,
               url_list: UrlList | None = None) -> None:
    """Take each result as it comes, then write the error log and the summary; exits."""
    folder = tally.folder
    try:
        with contextlib.closing(results):  # stops the workers, however the loop ends
            for result in results:
                tally.take(result)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the log
        tally.progress.close()
        if folder is not None:
            with contextlib.suppress(OSError):
                folder.write_errors(tally.failures)
        click.echo(f"interrupted after {tally.cleaned} cleaned, {len(tally.failures)} failed; "
                   "finished pages are kept, run the same command again to complete the job",
                   err=True)
        sys.exit(EXIT_INTERRUPTED if tally.stopped_by == signal.SIGINT else EXIT_TERMINATED)
    except BrokenPipeError:
        _stdout_gone()
    tally.progress.close()
    unused = url_list.unused() if url_list else []
    if unused and not tally.quiet:
        click.echo(f"note: {len(unused)} entr{'y' if len(unused) == 1 else 'ies'} of the URL list "
                   f"{url_list.path if url_list else ''} matched no page (first: {_shown(unused[0])}; "
                   "paths are matched relative to INPUT)", err=True)
    if url_list and url_list.without_url and not tally.quiet:
        click.echo(f"note: {url_list.without_url} entr{'y' if url_list.without_url == 1 else 'ies'} "
                   f"of the URL list {url_list.path} had no URL", err=True)
    summary = f"{tally.cleaned} cleaned, {len(tally.failures)} failed"
    if tally.skipped:
        summary += f", {tally.skipped} already done"
    summary += tally.archives.summary()
    if tally.links_out:
        summary += (f", {tally.links_out} link{'s' if tally.links_out > 1 else ''} out of INPUT "
                    "skipped (--follow-links follows them)")
    done = tally.cleaned + tally.archives.cleaned + len(tally.failures)
    summary += speed(done, tally.read, time.perf_counter() - tally.started)
    if folder is not None:
        try:
            log = folder.write_errors(tally.failures)
            if tally.failures:
                summary += f"; reasons in {log}"
        except OSError as exc:
            summary += f"; the error log could not be written ({exc.strerror or exc})"
            tally.failures.append(PageResult(ERROR_LOG, error=str(exc)))
    click.echo(summary, err=True)
    sys.exit(EXIT_SOME_FAILED if tally.failures else EXIT_OK)


def _quiet_dask() -> None:
    """dask's INFO log lines (a connection closed, with its traceback) are not the run's to
    show: warnings and errors only, unless dask's own logging config is set (say
    ``DASK_LOGGING__DISTRIBUTED=info``), which then holds. Nothing when dask is missing (the run
    then stops with the reason)."""
    try:
        import dask.config
        import distributed  # noqa: F401 - sets up dask's loggers from its config
    except ImportError:
        return
    if (dask.config.get("logging", default=None) is None
            and dask.config.get("distributed.logging", default=None) is None):
        logging.getLogger("distributed").setLevel(logging.WARNING)


def _inputs(input_path: Path | None, output: str | None,
            files_from: TextIO | None) -> tuple[Path | None, str]:
    """(INPUT, OUTPUT) of `run`: with --files-from the one argument is OUTPUT."""
    if files_from is not None:
        if output is not None:
            raise click.UsageError("give INPUT or --files-from, not both")
        if input_path is None:
            raise click.UsageError("Missing argument 'OUTPUT'.")
        return None, str(input_path)
    if input_path is None or output is None:
        if input_path is None:
            raise click.UsageError("Missing argument 'INPUT' (or --files-from FILE).")
        raise click.UsageError("Missing argument 'OUTPUT'.")
    if not input_path.exists():
        raise click.BadParameter(f"path {str(input_path)!r} does not exist", param_hint="INPUT")
    return input_path, output


def _check_apart(input_path: Path, out: Path) -> None:
    """OUTPUT inside INPUT is fine (the walk skips it), but OUTPUT equal to INPUT or holding it
    would have outputs overwrite the pages they come from."""
    source, target = input_path.resolve(), out.resolve()
    if source == target or target in source.parents:
        raise click.UsageError(f"OUTPUT {out} is or contains INPUT {input_path}; the outputs "
                               "would overwrite the pages. Choose another folder")


def _rule_files(folder: Path) -> list[Path]:
    """The files load_rulebook reads for one --rules path (the run's fingerprint hashes them)."""
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
