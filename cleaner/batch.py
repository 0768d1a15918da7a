"""Cleaning a folder of pages: discovery, output naming, resumable atomic writes, error log.

One bad page never stops a run: every failure becomes a ``PageResult`` with a reason, written to
stderr by the CLI and to ``cleaner-errors.jsonl`` in the output folder. A page's two outputs
are written through temporary files and renamed, with Ctrl-C held back until both are in place,
so an interrupted run leaves only whole pages and a rerun picks up where it stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import multiprocessing
import os
import re
import signal
import stat
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType
from typing import Any

from . import __version__
from .document import Document
from .errors import CleanerError, PageError
from .pipeline import clean
from .reading import (
    COMPRESSED_SUFFIXES,
    DEFAULT_MAX_BYTES,
    read_stream,
    strip_compression_suffix,
)
from .rulebook import Rulebook

ERROR_LOG = "cleaner-errors.jsonl"
STATE_FILE = ".cleaner-state.json"
_TEMP = re.compile(r"\.cleaner-(\d+)-\d+\.tmp")
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class PageResult:
    source: str  # path relative to the input root, with '/' separators
    doc: Document | None = None
    error: str | None = None
    skipped: bool = False  # finished by an earlier run with the same rules


def output_stem(source: str) -> str:
    """'a/b.txt.gz' -> 'a/b': compression suffix dropped, then the last suffix."""
    name = strip_compression_suffix(source)
    head, _, tail = name.rpartition("/")
    stem = tail.rsplit(".", 1)[0] if "." in tail.lstrip(".") else tail
    return f"{head}/{stem}" if head else stem


def _printable_name(name: str) -> str:
    """File names are bytes on POSIX; one that is not UTF-8 carries lone surrogates in Python,
    which no output file, JSON record or terminal can take. U+FFFD stands in for those bytes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def discover(root: Path, exclude: Path | None = None,
             on_error: Callable[[str, str], None] | None = None) -> Iterator[tuple[Path, str]]:
    """Every page file under ``root`` as (path, source), sorted by name, hidden files skipped.

    Symlinked folders are followed, but a folder already walked (a symlink loop, or two links
    to one place) is not walked again. Folders that cannot be listed are reported through
    ``on_error(source, reason)`` rather than skipped in silence. The walk keeps its own stack,
    so however deep the tree, it cannot hit Python's recursion limit.
    """
    if not root.is_dir():
        yield root, _printable_name(root.name)
        return
    seen: set[tuple[int, int]] = set()
    excluded = exclude.resolve() if exclude else None

    def listing(folder: Path, rel: str) -> Iterator[tuple[os.DirEntry[str], str]]:
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                return iter(())
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as entries:
                found = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            if on_error is not None:
                on_error(rel.rstrip("/") or ".", f"cannot list the folder: {exc.strerror or exc}")
            return iter(())
        return ((entry, rel) for entry in found if not entry.name.startswith("."))

    stack = [listing(root, "")]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        entry, rel = item
        source = rel + _printable_name(entry.name)
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows symlinks; a dangling one is not a folder
        except OSError:
            is_dir = False
        if not is_dir:
            yield path, source
        elif excluded is None or path.resolve() != excluded:
            stack.append(listing(path, source + "/"))


def read_file(path: Path, max_bytes: int) -> bytes:
    """The page bytes of a file, decompressed, never reading more than the cap allows."""
    try:
        # O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        raise PageError("file not found (a broken symlink?)") from exc
    except IsADirectoryError as exc:
        raise PageError("is a directory") from exc
    except OSError as exc:
        raise PageError(f"cannot read the file: {exc.strerror or exc}") from exc
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PageError("not a regular file (a pipe, socket or device); only files are pages")
        compressed = path.name.lower().endswith(COMPRESSED_SUFFIXES)
        if not compressed and info.st_size > max_bytes:
            raise PageError(f"file is {info.st_size:,} bytes, over the {max_bytes:,} byte cap; "
                            "raise --max-bytes to clean it")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        try:
            return read_stream(handle, path.name, max_bytes)
        except OSError as exc:
            raise PageError(f"cannot read the file: {exc.strerror or exc}") from exc


@dataclass(frozen=True)
class Job:
    path: str
    source: str
    url: str | None = None


# Worker state: each process loads the rulebook once.
_worker: dict[str, Any] = {}


def _init_worker(rulebook: Rulebook, max_bytes: int) -> None:
    _worker["rulebook"] = rulebook
    _worker["max_bytes"] = max_bytes


def _run_job(job: Job) -> PageResult:
    try:
        data = read_file(Path(job.path), _worker["max_bytes"])
        # read_file has undone the compression; the name it goes on with no longer says .gz.
        doc = clean(data, _worker["rulebook"], url=job.url, source=job.source,
                    name=strip_compression_suffix(job.path))
    except CleanerError as exc:
        return PageResult(job.source, error=str(exc))
    except RecursionError:
        return PageResult(job.source, error="page too deeply nested to process")
    except MemoryError:
        return PageResult(job.source, error="out of memory on this page; lower --max-bytes")
    except Exception as exc:  # a bug shown by one page must not cost the rest of the run
        return PageResult(job.source, error=f"internal error ({type(exc).__name__}: {exc}); "
                                            "please report it with this page")
    return PageResult(job.source, doc=doc)


def clean_jobs(jobs: Iterable[Job], rulebook: Rulebook, *, max_bytes: int = DEFAULT_MAX_BYTES,
               workers: int = 1) -> Generator[PageResult, None, None]:
    """Clean pages in order, in this process or in ``workers`` processes."""
    if workers <= 1 or not hasattr(os, "fork"):
        _init_worker(rulebook, max_bytes)
        yield from map(_run_job, jobs)
        return
    yield from _in_workers(jobs, rulebook, max_bytes, workers)


@contextlib.contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back while forking, so that a new worker cannot receive one before it
    has set itself to ignore them."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _serve(conn: Connection, parent: int, rulebook: Rulebook, max_bytes: int) -> None:
    """A worker: clean the pages the parent sends until told to stop or orphaned."""
    # Ctrl-C reaches the whole process group; the parent alone decides what to do with it and
    # stops the workers itself, so they neither die half-way nor print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    _init_worker(rulebook, max_bytes)
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return  # the parent was killed outright: nobody wants the results
            job = conn.recv()
            if job is None:
                return
            conn.send(_run_job(job))
        except (EOFError, OSError):
            return


class _Worker:
    """One worker process, the pipe to it and the page it is busy with (input order, job)."""

    def __init__(self, context: Any, rulebook: Rulebook, max_bytes: int) -> None:
        self.conn, child = context.Pipe()
        # Fork: the worker inherits the compiled rulebook (RE2 objects cannot be pickled).
        self.process = context.Process(target=_serve, daemon=True,
                                       args=(child, os.getpid(), rulebook, max_bytes))
        with _stop_signals_blocked():
            self.process.start()
        child.close()
        self.task: tuple[int, Job] | None = None

    def give(self, task: tuple[int, Job]) -> None:
        self.task = task
        with contextlib.suppress(OSError):  # a dead worker shows through its sentinel
            self.conn.send(task[1])

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            if self.task is None and self.process.is_alive():
                self.conn.send(None)
        self.process.join(0.2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(2)
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


def _in_workers(jobs: Iterable[Job], rulebook: Rulebook, max_bytes: int,
                workers: int) -> Iterator[PageResult]:
    """Pages cleaned in worker processes, results yielded in input order.

    Not multiprocessing.Pool: a Pool waits forever for a page whose worker died (the kernel's
    OOM killer, a segfault in a native library), while here the death is seen, that one page
    fails with the reason and a new worker takes over. The job list is also consumed in this
    thread, so the caller's bookkeeping while jobs are produced needs no locks.
    """
    context = multiprocessing.get_context("fork")
    todo = enumerate(jobs)
    finished: dict[int, PageResult] = {}
    window = workers * 8  # finished pages held back waiting for a slow earlier one
    next_out = 0
    exhausted = False
    pool: list[_Worker] = []
    try:
        for _ in range(workers):
            with contextlib.suppress(OSError):  # out of processes: go on with fewer workers
                pool.append(_Worker(context, rulebook, max_bytes))
        while pool:
            for worker in pool:
                if worker.task is None and not exhausted and len(finished) < window:
                    task = next(todo, None)
                    if task is None:
                        exhausted = True
                    else:
                        worker.give(task)
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
            busy = [w for w in pool if w.task is not None]
            if not busy:
                if exhausted:
                    return
                continue
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for i, worker in enumerate(pool):
                if worker.task is None or not ({worker.conn, worker.process.sentinel} & ready):
                    continue
                index, job = worker.task
                result: PageResult | None = None
                if worker.conn.poll():
                    with contextlib.suppress(EOFError, OSError):
                        result = worker.conn.recv()
                worker.task = None
                if result is None:
                    result = PageResult(job.source, error=worker.death())
                    worker.stop()
                    try:
                        pool[i] = _Worker(context, rulebook, max_bytes)
                    except OSError:
                        pool[i] = worker  # stopped; dropped below
                finished[index] = result
            pool = [w for w in pool if w.process.is_alive() or w.task is not None]
    finally:
        for worker in pool:
            worker.stop()
    # No worker could be started (or kept): the rest of the pages are cleaned here.
    _init_worker(rulebook, max_bytes)
    for index, job in todo:
        finished[index] = _run_job(job)
    for index in sorted(finished):
        yield finished[index]


def fingerprint(rule_files: Sequence[Path], options: dict[str, Any]) -> str:
    """Changes when the rules, the options or the program change: a finished page is only
    reused when it would come out the same."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    for path in sorted(rule_files):
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def stop_signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM until the block is done, then deliver them: what the
    block writes lands whole. Only the main thread can handle signals; elsewhere this is a
    no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = {sig: signal.signal(sig, note) for sig in _STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        if caught:
            signal.raise_signal(caught[0])


_temp_numbers = itertools.count()


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves half a file.
    The temporary name is short (a long page name plus a suffix could pass the file system's
    name limit) and hidden, and carries the pid so that a later run can sweep it up."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".cleaner-{os.getpid()}-{next(_temp_numbers)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
        # errors='replace': a stray surrogate must cost one character, not the page.
        with open(fd, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class OutputFolder:
    """Where a run writes: OUT/<stem>.txt and OUT/<stem>.json per page, plus the error log."""

    def __init__(self, root: Path, stamp: str, *, force: bool = False) -> None:
        self.root = root.resolve()
        self.stamp = stamp
        state = self.root / STATE_FILE
        previous = None
        if state.is_file():
            try:
                previous = json.loads(state.read_text(encoding="utf-8")).get("fingerprint")
            except (OSError, ValueError, AttributeError):
                previous = None
        self.resume = not force and previous == stamp
        self.claimed: dict[str, str] = {}

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self._sweep()
        write_atomic(self.root / STATE_FILE, json.dumps({"fingerprint": self.stamp}) + "\n")

    def _sweep(self) -> None:
        """Remove temporary files left by a run that was killed outright (SIGKILL, power cut);
        those of a run still going (its pid alive) are left alone."""
        for folder, _, files in os.walk(self.root):
            for name in files:
                match = _TEMP.fullmatch(name)
                if match and not _alive(int(match.group(1))):
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(folder, name))

    def paths(self, source: str) -> tuple[Path, Path]:
        stem = output_stem(source)
        target = (self.root / stem).resolve()
        # Names come from the input tree, but never trust them to stay inside OUT (a symlink
        # already in OUT could point anywhere).
        if self.root not in target.parents:
            raise PageError("output path would fall outside the output folder; rename the file")
        return target.with_name(target.name + ".txt"), target.with_name(target.name + ".json")

    def claim(self, source: str) -> str | None:
        """None, or why this page cannot be written (an earlier input, in name order, maps to
        the same output)."""
        stem = output_stem(source)
        other = self.claimed.setdefault(stem, source)
        if other != source:
            return f"its output name {stem}.txt is already used by {other}; rename one of them"
        return None

    def done(self, source: str, input_path: Path) -> bool:
        """Finished by an earlier run with the same fingerprint, and not changed since."""
        if not self.resume:
            return False
        try:
            txt, record = self.paths(source)
            return (record.stat().st_mtime_ns >= input_path.stat().st_mtime_ns
                    and txt.exists())
        except (OSError, PageError):
            return False

    def write(self, doc: Document) -> None:
        assert doc.source is not None
        txt, record = self.paths(doc.source)
        # The record goes last and marks the page done; no signal may split the pair.
        with stop_signals_deferred():
            write_atomic(txt, doc.text + "\n" if doc.text else "")
            write_atomic(record, json.dumps(doc.record(), ensure_ascii=False, indent=2) + "\n")

    def write_errors(self, failures: list[PageResult]) -> Path:
        """One JSON object per line, sorted by source: the same run gives the same log, with
        any number of workers."""
        log = self.root / ERROR_LOG
        lines = (json.dumps({"source": f.source, "error": f.error}, ensure_ascii=False)
                 for f in sorted(failures, key=lambda f: f.source))
        with stop_signals_deferred():
            write_atomic(log, "".join(line + "\n" for line in lines))
        return log


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True
