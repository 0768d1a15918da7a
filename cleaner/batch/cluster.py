"""Cleaning a run's pages on a dask.distributed cluster (``cleaner run --scheduler ADDRESS``).

The run is the same as a local one: this process finds the pages, reads each one, keeps the
books and writes the outputs; the cluster's workers only clean. So the outputs are the same
bytes a local run writes, resume and the error log work as they do locally, and the workers need
no access to the input or output folders (the page's bytes travel with its task, its Document
comes back). The run's settings, the compiled rulebook among them, are sent to each worker once
(scattered, broadcast), not with every page.

Pages are submitted a window at a time (a few per worker thread), so memory stays flat however
many pages the run has, and results are yielded in input order. A worker that dies fails only
the page it had, after dask has retried it elsewhere as its ``distributed.scheduler.allowed-
failures`` setting says.

dask.distributed is an optional dependency: ``pip install 'cleaner[dask]'``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import Any

from cleaner.batch.executors import PageResult, RunSettings, clean_data, deliver, run_record
from cleaner.batch.ledger import input_facts
from cleaner.batch.sinks import OutputFolder
from cleaner.batch.sources import Job, read_file
from cleaner.errors import CleanerError
from cleaner.read.compression import DEFAULT_MAX_BYTES
from cleaner.rules.rulebook import Rulebook
from cleaner.write import TXT, OutputFormat

TASKS_PER_THREAD = 4  # pages in flight per worker thread: enough to hide the round trips
CONNECT_TIMEOUT = "30s"


class ClusterError(CleanerError):
    """The cluster cannot be used: dask is not installed, or the scheduler cannot be reached."""


def _client(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("--scheduler needs dask.distributed, which is not installed; "
                           "pip install 'cleaner[dask]'") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the dask scheduler at {address} ({exc}); start one "
                           "with 'dask scheduler' and workers with 'dask worker ADDRESS'") from None


def clean_jobs_on_cluster(address: str, jobs: Iterable[Job], rulebook: Rulebook, *,
                          max_bytes: int = DEFAULT_MAX_BYTES, output: OutputFolder | None = None,
                          json_lines: bool = False, language: str | None = None,
                          page_timeout: float = 0, output_format: OutputFormat = TXT,
                          on_start: Callable[[int], None] | None = None) -> Generator[PageResult, None, None]:
    """`executors.clean_jobs` on the cluster whose scheduler is at ``address``: the same
    arguments (but ``workers``: the cluster's threads are the workers) and the same results, in
    input order. ``page_timeout`` holds on the workers as in worker processes (a timer in the
    thread that cleans the page). Raises ClusterError before any page when the cluster cannot be
    used."""
    from cleaner.lang.detect import required_code

    if language is not None:
        language = required_code(language)
    settings = RunSettings(rulebook, max_bytes, output, json_lines, language, page_timeout,
                         output_format)
    return in_cluster(jobs, settings, address, on_start)


def in_cluster(jobs: Iterable[Job], settings: RunSettings, address: str,
               on_start: Callable[[int], None] | None = None) -> Generator[PageResult, None, None]:
    """Pages cleaned on the cluster at ``address``, results yielded in input order; the
    cluster is reached here, before any page (ClusterError). ``on_start`` is told how many
    worker threads the cluster has."""
    client = _client(address)
    try:
        threads = sum(client.nthreads().values()) or 1
    except Exception:
        client.close()
        raise
    if on_start is not None:
        on_start(threads)
    return _stream(client, jobs, settings, threads)


def _clean_on_worker(settings: RunSettings, job: Job, data: bytes) -> PageResult:
    """What a worker runs for one page: its Document (or why it failed) goes back. A record of
    an archive carries its payload and comes back as its JSON line, for the archive's shard."""
    if job.record is not None:
        return run_record(job, settings)
    return clean_data(settings, job, data)


def _stream(client: Any, jobs: Iterable[Job], settings: RunSettings, threads: int) -> Generator[PageResult, None, None]:
    from distributed import as_completed

    try:
        remote = client.scatter(dataclasses.replace(settings, output=None, json_lines=False),
                                broadcast=True, hash=False)
        window = threads * TASKS_PER_THREAD
        todo = iter(jobs)
        pending: dict[Any, int] = {}  # future -> index
        local: dict[int, tuple[Job, dict[str, Any] | None, int]] = {}  # index -> job, input facts, size
        finished: dict[int, PageResult] = {}
        next_out = 0
        index = 0
        running = as_completed(loop=client.loop)  # type: ignore[no-untyped-call]

        def submit() -> bool:
            nonlocal index
            job = next(todo, None)
            if job is None:
                return False
            if job.record is not None:  # read already, with the archive
                local[index] = (job, None, len(job.record.payload))
                future = client.submit(_clean_on_worker, remote, job, b"", pure=False)
                pending[future] = index
                running.add(future)  # type: ignore[no-untyped-call]
                index += 1
                return True
            path = Path(job.path)
            try:
                before = path.stat()
                data = read_file(path, settings.max_bytes)
            except OSError as exc:
                finished[index] = PageResult(job.source, error=f"cannot read: {exc.strerror or exc}")
            except CleanerError as exc:
                finished[index] = PageResult(job.source, error=str(exc))
            else:
                local[index] = (job, input_facts(path, data, before), len(data))
                future = client.submit(_clean_on_worker, remote, job, data, pure=False)
                pending[future] = index
                running.add(future)  # type: ignore[no-untyped-call]
            index += 1
            return True

        exhausted = False
        while True:
            while not exhausted and len(pending) < window and len(finished) < window * 2:
                exhausted = not submit()
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
            if not pending:
                if exhausted:
                    return
                continue
            future = next(running)
            at = pending.pop(future)
            job, made_from, size = local.pop(at)
            finished[at] = _outcome(future, job, settings, made_from)
            finished[at].size = size
    finally:
        client.close()


def _outcome(future: Any, job: Job, settings: RunSettings,
             made_from: dict[str, Any] | None) -> PageResult:
    """The page's result from its finished task: outputs delivered here, failures named."""
    try:
        result: PageResult = future.result()
    except Exception as exc:  # the task itself failed: its worker died (KilledWorker) or worse
        name = type(exc).__name__
        if name == "KilledWorker":
            return PageResult(job.source, error="the workers cleaning this page died (out of "
                                                "memory, or a crash in native code)")
        return PageResult(job.source, error=f"cluster error ({name}: {exc})")
    if result.doc is None:
        return result
    return deliver(settings, result.doc, made_from)
