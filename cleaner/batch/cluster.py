"""Cleaning a run's pages on a dask.distributed cluster (``cleaner run --scheduler ADDRESS``).

The run is the same as a local one: this process finds the pages, reads each one, keeps the
books and writes the outputs; the cluster's workers only clean. So the outputs are the same
bytes a local run writes, resume and the error log work as they do locally, and the workers need
no access to the input or output folders (the page's bytes travel with its task, its Document
comes back). The run's settings, the compiled rulebook among them, are sent to each worker once
(scattered, broadcast), not with every page.

A task is a few pages in a row, as many as take about `TASK_SECONDS` (by the time per page the
workers report): one task a page would cost the scheduler and this process a share of the CPU
that the workers need. Tasks are submitted a window at a time (a few per worker thread), so
memory stays flat however many pages the run has, and results are yielded in input order. A
worker that dies fails only the page it had: a task that fails is handed out again one page a
task, and the page whose workers die, after dask has retried it elsewhere as its
``distributed.scheduler.allowed-failures`` setting says, fails alone.

dask.distributed is an optional dependency: ``pip install 'cleaner[dask]'``.
"""

from __future__ import annotations

import collections
import dataclasses
import time
import weakref
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.batch.executors import PageResult, RunSettings, clean_data, deliver, run_record, warm_up
from cleaner.batch.ledger import input_facts
from cleaner.batch.sinks import OutputFolder
from cleaner.batch.sources import Job, read_file
from cleaner.errors import CleanerError
from cleaner.read.compression import DEFAULT_MAX_BYTES
from cleaner.rules.rulebook import Rulebook
from cleaner.write import TXT, OutputFormat

TASKS_PER_THREAD = 4  # tasks in flight per worker thread: enough to hide the round trips
# A task is a few pages: one task a page costs the scheduler and this process a few ms of CPU
# each, a fair share of a page that takes tens of ms; pages are batched to about this much work.
TASK_SECONDS = 0.3
MAX_TASK_PAGES = 64
MAX_TASK_BYTES = 16 << 20  # bytes of input in one task, at most (bar a single larger page)
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


def _clean_batch(settings: RunSettings, batch: list[tuple[Job, bytes]]) -> tuple[list[PageResult], float]:
    """What a worker runs for one task: a few pages in a row, their results in that order, and
    the CPU seconds they took (so the next tasks can be sized: CPU, not wall time, which a
    loaded machine stretches)."""
    _warm_up_once(settings)
    start = time.thread_time()
    results = [_clean_on_worker(settings, job, data) for job, data in batch]
    return results, time.thread_time() - start


# The run settings this worker process has warmed up for (by id, while they live): a worker
# serves run after run, each with its own copy of the rulebook, whose compiled patterns and
# caches are made again on first use.
_warmed: dict[int, weakref.ref[RunSettings]] = {}


def _warm_up_once(settings: RunSettings) -> None:
    """`executors.warm_up` the first time a worker process sees these settings: models and
    the rulebook's patterns loaded before the first page, not on its clock (nor on the time
    that sizes the tasks)."""
    known = _warmed.get(id(settings))
    if known is not None and known() is settings:
        return
    warm_up(settings.rulebook, settings.language)
    _warmed[id(settings)] = weakref.ref(settings)


class _Sizer:
    """How many pages go into the next task: as many as the workers clean in about
    `TASK_SECONDS` of CPU, by the time per page of the latest tasks (one page a task until a
    first task has come back)."""

    def __init__(self) -> None:
        self.per_page: float | None = None  # seconds, a moving mean of the tasks that came back

    def seen(self, pages: int, seconds: float) -> None:
        latest = seconds / max(pages, 1)
        self.per_page = latest if self.per_page is None else (self.per_page + latest) / 2

    def size(self) -> int:
        if self.per_page is None:
            return 1
        if self.per_page <= 0:
            return MAX_TASK_PAGES
        return max(1, min(MAX_TASK_PAGES, int(TASK_SECONDS / self.per_page)))


@dataclass
class _Page:
    """A page handed to the cluster: its place in the input order, its job and bytes, and what
    the main process keeps for its result (the input's facts, the bytes read)."""

    index: int
    job: Job
    data: bytes
    made_from: dict[str, Any] | None
    size: int


def _stream(client: Any, jobs: Iterable[Job], settings: RunSettings, threads: int) -> Generator[PageResult, None, None]:
    from distributed import as_completed

    try:
        remote = client.scatter(dataclasses.replace(settings, output=None, json_lines=False),
                                broadcast=True, hash=False)
        window = threads * TASKS_PER_THREAD
        todo = enumerate(jobs)
        again: collections.deque[_Page] = collections.deque()  # pages of a failed task, one a task now
        pending: dict[Any, list[_Page]] = {}  # future -> its pages
        finished: dict[int, PageResult] = {}
        sizer = _Sizer()
        next_out = 0
        running = as_completed(loop=client.loop)  # type: ignore[no-untyped-call]

        def read(index: int, job: Job) -> _Page | None:
            """The page with its bytes (a record: read already, with the archive), or None
            with its failure in ``finished``."""
            if job.record is not None:
                return _Page(index, job, b"", None, len(job.record.payload))
            path = Path(job.path)
            try:
                before = path.stat()
                data = read_file(path, settings.max_bytes)
            except OSError as exc:
                finished[index] = PageResult(job.source, error=f"cannot read: {exc.strerror or exc}")
            except CleanerError as exc:
                finished[index] = PageResult(job.source, error=str(exc))
            else:
                return _Page(index, job, data, input_facts(path, data, before), len(data))
            return None

        def submit() -> bool:
            """Hand out the next task (a page to retry alone, or the next few pages); False
            when there is none."""
            if again:
                batch = [again.popleft()]
            else:
                batch = []
                count, size = sizer.size(), 0
                while len(batch) < count and size < MAX_TASK_BYTES:
                    item = next(todo, None)
                    if item is None:
                        break
                    page = read(*item)
                    if page is not None:
                        batch.append(page)
                        size += page.size
                    elif not batch:
                        return True  # a page that failed here: done, and counted as a task handed out
                if not batch:
                    return False
            future = client.submit(_clean_batch, remote, [(p.job, p.data) for p in batch], pure=False)
            pending[future] = batch
            running.add(future)  # type: ignore[no-untyped-call]
            return True

        exhausted = False
        while True:
            # Pages to retry come first and are never held back: they are the earliest missing.
            while len(pending) < window and (again or (not exhausted and len(finished) < window * MAX_TASK_PAGES)):
                exhausted = not submit() and not again
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
            if not pending:
                if exhausted and not again:
                    return
                continue
            future = next(running)
            batch = pending.pop(future)
            try:
                results, seconds = future.result()
            except Exception as exc:  # the task itself failed: its worker died (KilledWorker) or worse
                if len(batch) > 1:
                    again.extend(batch)  # each page alone now: only the one that kills fails
                    continue
                results, seconds = [_task_failure(exc, batch[0].job)], 0.0
            sizer.seen(len(batch), seconds)
            for page, result in zip(batch, results, strict=True):
                if result.doc is not None:
                    result = deliver(settings, result.doc, page.made_from)
                result.size = page.size
                finished[page.index] = result
    finally:
        client.close()


def _task_failure(exc: Exception, job: Job) -> PageResult:
    """Why a page's task failed: its workers died (KilledWorker) or worse."""
    name = type(exc).__name__
    if name == "KilledWorker":
        return PageResult(job.source, error="the workers cleaning this page died (out of "
                                            "memory, or a crash in native code)")
    return PageResult(job.source, error=f"cluster error ({name}: {exc})")
