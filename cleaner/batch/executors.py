"""Cleaning a run's pages, in this process or in worker processes; results in input order.

One bad page never stops a run: every failure becomes a ``PageResult`` with a reason. A worker
that dies (the OOM killer, a crash in a native library) fails only the page it was cleaning;
the pages queued behind it go to a new worker.
"""

from __future__ import annotations

import collections
import contextlib
import importlib
import itertools
import json
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from cleaner.batch.deadline import PageTimeout, page_deadline, timeout_reason
from cleaner.batch.ledger import input_facts
from cleaner.batch.sinks import STOP_SIGNALS, OutputFolder
from cleaner.batch.sources import Job, read_file
from cleaner.document import Document
from cleaner.errors import CleanerError, PageError
from cleaner.read.compression import DEFAULT_MAX_BYTES
from cleaner.rules.rulebook import Rulebook
from cleaner.write import TXT, OutputFormat


@dataclass
class PageResult:
    """What became of one page. A worker sends this back to the main process, so when it has
    written the outputs itself the result stays small: no document, just ``written``."""

    source: str  # path relative to the input root, with '/' separators
    doc: Document | None = None
    error: str | None = None
    skipped: bool = False  # finished by an earlier run with the same rules
    written: bool = False  # the outputs are in the output folder
    line: str | None = None  # the record with its text as one line of JSON (JSON Lines output)
    record_id: str | None = None  # for a record of an archive (``source`` is the archive's)
    size: int = 0  # bytes of input read for this page (as on disk; a record's payload)

    @property
    def ok(self) -> bool:
        return self.error is None and (self.written or self.line is not None
                                       or self.doc is not None)


@dataclass
class RunSettings:
    """What every page of a run is cleaned with, and where its outputs go: into ``output``
    (written by whichever process cleaned the page), as a JSON line in the result
    (``json_lines``), or as the Document itself in the result (neither)."""

    rulebook: Rulebook
    max_bytes: int = DEFAULT_MAX_BYTES
    output: OutputFolder | None = None
    json_lines: bool = False
    language: str | None = None  # every page's language, when the caller knows it
    page_timeout: float = 0  # seconds one page may take; 0: no limit
    output_format: OutputFormat = TXT  # how a JSON line's text is written



def usable_cores() -> int:
    """The processors this process may run on: its CPU affinity where the system tells it (a
    container or `taskset` may allow fewer than the machine has), else the machine's count."""
    if hasattr(os, "sched_getaffinity"):
        with contextlib.suppress(OSError):
            return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
_GRACE = 5.0  # beyond the limit, a worker that has not given up its page is killed


_WARM_UP = ("Home\nNews\n\nCouncil approves the new library plan\n\nBy Rebecca Lopez\n"
            "Published 4 March 2024, 10:30\n\n" + "The council met on Tuesday and approved the "
            "plan for the new library after a long public meeting. Residents asked about the "
            "cost, the roads and the opening hours, and the mayor answered in turn.\n\n" * 4
            + "Share this article\nRelated: Schools reopen\n")


def warm_up(rulebook: Rulebook, language: str | None = None) -> None:
    """Clean a tiny page once, so that what loads on first use (models, lexicons, the rules'
    prefilter) loads now and not on the clock of the first page; in the main process, before
    workers are forked, so they inherit it."""
    from cleaner.lang.detect import load_model
    from cleaner.meta.byline import first_names
    from cleaner.pipeline import clean_text

    if language is None:
        load_model()
    with contextlib.suppress(Exception):
        clean_text(_WARM_UP, rulebook, language=language)
        first_names()  # Faker's name lists: read on the first page whose byline is unclear


# Worker state: each process gets the settings (the compiled rulebook) once.
_worker: dict[str, RunSettings] = {}


def _init_worker(settings: RunSettings) -> None:
    _worker["settings"] = settings


def run_record(job: Job, settings: RunSettings) -> PageResult:
    """A record of an archive: cleaned into its JSON line (`cleaner.crawl`), on the clock of a
    page and with its size cap; the archive's shard is written by the process that reads it."""
    from cleaner.crawl import clean_archive_record

    assert job.record is not None
    record_id = job.record.record_id
    try:
        with page_deadline(settings.page_timeout):
            record = clean_archive_record(job.record, settings.rulebook, source=job.source,
                                          max_bytes=settings.max_bytes, language=settings.language)
    except PageTimeout as exc:
        return PageResult(job.source, error=timeout_reason(settings.page_timeout, exc.rule),
                          record_id=record_id)
    except Exception as exc:
        return PageResult(job.source, error=_failure(exc), record_id=record_id)
    return PageResult(job.source, line=json.dumps(record, ensure_ascii=False), record_id=record_id,
                      size=len(job.record.payload))


def _failure(exc: Exception) -> str:
    """Why a page failed, for the error log."""
    if isinstance(exc, CleanerError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "page too deeply nested to process"
    if isinstance(exc, MemoryError):
        return "out of memory on this page; lower --max-bytes"
    return f"internal error ({type(exc).__name__}: {exc}); please report it with this page"


def _run_job(job: Job) -> PageResult:
    settings = _worker["settings"]
    if job.record is not None:
        return run_record(job, settings)
    try:
        # The bytes as on disk: clean() decompresses them (once) and tells their kind by the
        # name and the content. The input is stat'ed before it is read: a change while it is
        # read shows at the next run.
        path = Path(job.path)
        try:
            before = path.stat()
        except OSError:
            before = None  # read_file says why
        data = read_file(path, settings.max_bytes)
    except CleanerError as exc:
        return PageResult(job.source, error=str(exc))
    result = clean_data(settings, job, data)
    if result.doc is not None:
        result = deliver(settings, result.doc,
                         input_facts(path, data, before) if before is not None else None)
    result.size = len(data)
    return result


def clean_data(settings: RunSettings, job: Job, data: bytes) -> PageResult:
    """Clean one page's bytes: its Document in the result, or the reason it failed. Runs
    where the page is cleaned (this process, a worker process, a cluster's worker)."""
    from cleaner.pipeline import clean  # imported on first use: `cleaner --help` needs no models

    try:
        with page_deadline(settings.page_timeout):
            doc = clean(data, settings.rulebook, url=job.url, source=job.source,
                        name=job.path, max_bytes=settings.max_bytes, language=settings.language)
    except PageTimeout as exc:
        return PageResult(job.source, error=timeout_reason(settings.page_timeout, exc.rule))
    except Exception as exc:  # a bug shown by one page must not cost the rest of the run
        return PageResult(job.source, error=_failure(exc))
    return PageResult(job.source, doc=doc)


def deliver(settings: RunSettings, doc: Document, made_from: dict[str, Any] | None) -> PageResult:
    """A cleaned page's outputs: written into the output folder (``made_from``: the input's
    facts, which book it as done), or its record as a JSON line, or the Document itself."""
    assert doc.source is not None
    if settings.output is not None:
        try:
            settings.output.write(doc, made_from)
        except (OSError, PageError) as exc:
            return PageResult(doc.source, error=f"cannot write output: {exc}")
        return PageResult(doc.source, written=True)
    if settings.json_lines:
        record = doc.record(with_text=True)
        record["text"] = settings.output_format.body(doc)
        return PageResult(doc.source, line=json.dumps(record, ensure_ascii=False))
    return PageResult(doc.source, doc=doc)


def clean_jobs(jobs: Iterable[Job], rulebook: Rulebook, *, max_bytes: int = DEFAULT_MAX_BYTES,
               workers: int = 1, output: OutputFolder | None = None,
               json_lines: bool = False, language: str | None = None,
               page_timeout: float = 0,
               output_format: OutputFormat = TXT) -> Generator[PageResult, None, None]:
    """Clean pages, in this process or in ``workers`` processes; results come in input order.

    With ``output``, each page's outputs are written by the process that cleaned it (so the
    work of writing is shared out too) and its result says only ``written``; with
    ``json_lines``, the result carries the record as one line of JSON; otherwise the Document.
    ``language`` is every page's language (an ISO 639-1 code), instead of detecting each one's;
    a ValueError before any page when it is not one. ``page_timeout`` (seconds, 0 = none)
    abandons a page that takes longer, with the reason naming the rule that was running: the
    cleaning process is interrupted by a timer, and a worker that still has not given the page
    up a few seconds later (stuck in native code) is killed and replaced. ``output_format``:
    how a JSON line's ``text`` is written (the output folder has its own).
    """
    from cleaner.lang.detect import load_model, required_code  # (as `clean` in `_run_job`)

    importlib.import_module("cleaner.pipeline")  # here, before the workers fork: they share it
    if language is not None:
        language = required_code(language)
    settings = RunSettings(rulebook, max_bytes, output, json_lines, language, page_timeout,
                         output_format)
    if page_timeout > 0:
        jobs = iter(jobs)
        first = next(jobs, None)
        if first is None:
            return  # nothing to clean (a rerun with every page done): no warm-up
        warm_up(rulebook, language)
        jobs = itertools.chain([first], jobs)
    if workers > 1:
        # A run of fewer pages than workers (often one page) needs no more processes than pages.
        jobs = iter(jobs)
        ahead = list(itertools.islice(jobs, workers))
        workers = min(workers, len(ahead))
        jobs = itertools.chain(ahead, jobs)
    if workers <= 1 or not hasattr(os, "fork"):
        _init_worker(settings)
        yield from map(_run_job, jobs)
        return
    if language is None:
        load_model()  # once here, not once in every worker
    yield from _in_workers(jobs, settings, workers)


@contextlib.contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back while forking, so that a new worker cannot receive one before it
    has set itself to ignore them."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _serve(conn: Connection, parent: int, settings: RunSettings) -> None:
    """A worker: clean (and write) the pages the parent sends until told to stop or orphaned."""
    # Ctrl-C reaches the whole process group; the parent alone decides what to do with it and
    # stops the workers itself, so they neither die half-way nor print tracebacks. SIGTERM, the
    # parent's way to stop a busy worker, is held back while a page's outputs are written
    # (OutputFolder.write), so a worker never leaves half a page behind.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    _init_worker(settings)
    # Jobs are taken off the pipe as they come, by a thread of their own: a job larger than the
    # pipe's buffer (a record of an archive carries its payload) would otherwise keep the parent
    # blocked in its send until this worker finished its page, and the other workers waiting.
    # The pages are cleaned in this (the main) thread, where the page time limit is a signal.
    inbox: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
    threading.Thread(target=_take_jobs, args=(conn, parent, inbox), daemon=True).start()
    while True:
        job = inbox.get()
        if job is None:
            return
        try:
            conn.send(_run_job(job))
        except (EOFError, OSError):
            return


def _take_jobs(conn: Connection, parent: int, inbox: queue.SimpleQueue[Job | None]) -> None:
    """A worker's jobs from the pipe into ``inbox``, then None: told to stop, the pipe gone, or
    the parent gone (killed outright: nobody wants the results)."""
    try:
        while True:
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return
            job = conn.recv()
            if job is None:
                return
            inbox.put(job)
    except (EOFError, OSError):
        return
    finally:
        inbox.put(None)


class _Worker:
    """One worker process, the pipe to it and the pages queued on it, in the order it takes
    them: (input order, job), the first being the one it is cleaning."""

    # Pages queued on a worker: while it cleans one, the next waits in its pipe, so it never
    # idles until the main process gets round to sending more.
    DEPTH = 2

    def __init__(self, context: Any, settings: RunSettings) -> None:
        self.conn, child = context.Pipe()
        # Fork: the worker inherits the compiled rulebook (RE2 objects cannot be pickled).
        self.process = context.Process(target=_serve, daemon=True,
                                       args=(child, os.getpid(), settings))
        with _stop_signals_blocked():
            self.process.start()
        child.close()
        self.tasks: collections.deque[tuple[int, Job]] = collections.deque()
        self.ended = False  # the process is gone, or its pipe broke
        self.started = 0.0  # when the worker took up the page it is cleaning (monotonic)
        self.overdue: str | None = None  # why it was killed, when the parent did it

    def give(self, task: tuple[int, Job]) -> None:
        self.tasks.append(task)
        if len(self.tasks) == 1:
            self.started = time.monotonic()
        with contextlib.suppress(OSError):  # a dead worker shows through its sentinel
            self.conn.send(task[1])

    def collect(self, ended: bool) -> Iterator[tuple[int, PageResult]]:
        """Results that have come in, with their input order. When the process has ``ended``
        (or its pipe breaks) with pages still queued, the first of them fails with the reason
        and the rest stay queued, untouched, for the caller to hand out again."""
        self.ended = self.ended or ended
        while self.tasks:
            try:
                if not self.conn.poll():
                    break
                result = self.conn.recv()
            except (EOFError, OSError):
                self.ended = True
                break
            yield self.tasks.popleft()[0], result
            self.started = time.monotonic()
        if self.ended and self.tasks:
            index, job = self.tasks.popleft()
            yield index, PageResult(job.source, error=self.overdue or self.death())

    def watch(self, limit: float) -> bool:
        """Kill the worker when its page has run ``limit`` seconds past the page time limit;
        True when it did."""
        if not limit or not self.tasks or time.monotonic() - self.started < limit + _GRACE:
            return False
        self.overdue = timeout_reason(limit, None) + " (the worker was stopped and replaced)"
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.join(5)
        return True

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            if not self.tasks and self.process.is_alive():
                self.conn.send(None)
        self.process.join(0.2)
        if self.process.is_alive():
            self.process.terminate()  # held back until a page being written is whole
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()

    def death(self) -> str:
        self.process.join(1)
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        return (f"the worker process {how} while cleaning this page (out of memory, or a crash "
                "in a native library); try it alone with 'cleaner clean'")


def _in_workers(jobs: Iterable[Job], settings: RunSettings, workers: int) -> Iterator[PageResult]:
    """Pages cleaned in worker processes, results yielded in input order.

    Not multiprocessing.Pool: a Pool waits forever for a page whose worker died (the kernel's
    OOM killer, a segfault in a native library), while here the death is seen, that one page
    fails with the reason and a new worker takes over (with the pages that were queued behind
    it). The job list is also consumed in this thread, so the caller's bookkeeping while jobs
    are produced needs no locks.
    """
    context = multiprocessing.get_context("fork")
    todo: Iterator[tuple[int, Job]] = enumerate(jobs)
    again: collections.deque[tuple[int, Job]] = collections.deque()  # queued on a dead worker
    finished: dict[int, PageResult] = {}
    window = workers * 8  # finished pages held back waiting for a slow earlier one
    next_out = 0
    exhausted = False
    pool: list[_Worker] = []
    try:
        for _ in range(workers):
            with contextlib.suppress(OSError):  # out of processes: go on with fewer workers
                pool.append(_Worker(context, settings))
        while pool:
            for worker in pool:
                while len(worker.tasks) < worker.DEPTH:
                    if again:  # earlier pages than any still to come: never held back
                        worker.give(again.popleft())
                        continue
                    if exhausted or len(finished) >= window:
                        break
                    task = next(todo, None)
                    if task is None:
                        exhausted = True
                        break
                    worker.give(task)
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
            busy = [w for w in pool if w.tasks]
            if not busy:
                if exhausted and not again:
                    return
                continue
            limit = settings.page_timeout
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                             timeout=1.0 if limit else None))
            for i, worker in enumerate(pool):
                killed = worker.watch(limit)
                if not worker.tasks or not ({worker.conn, worker.process.sentinel} & ready
                                            or killed):
                    continue
                finished.update(worker.collect(ended=killed or worker.process.sentinel in ready))
                if not worker.ended:
                    continue
                again.extendleft(reversed(worker.tasks))
                worker.tasks.clear()
                worker.stop()
                with contextlib.suppress(OSError):  # else dropped below
                    pool[i] = _Worker(context, settings)
            pool = [w for w in pool if w.process.is_alive() or w.tasks]
    finally:
        for worker in pool:
            worker.stop()
    # No worker could be started (or kept): the rest of the pages are cleaned here.
    _init_worker(settings)
    for index, job in itertools.chain(again, todo):
        finished[index] = _run_job(job)
    for index in sorted(finished):
        yield finished[index]
