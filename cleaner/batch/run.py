"""Cleaning a folder of pages: discovery, output naming, resumable atomic writes, error log.

One bad page never stops a run: every failure becomes a ``PageResult`` with a reason, written to
stderr by the CLI and to ``cleaner-errors.jsonl`` in the output folder. A page's two outputs
are written by the process that cleaned it (a worker, with ``--jobs``) through temporary files
and renamed, with Ctrl-C and SIGTERM held back until both are in place, so an interrupted run
leaves only whole pages and a rerun picks up where it stopped.
"""

from __future__ import annotations

import collections
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

from cleaner import __version__
from cleaner.document import Document
from cleaner.errors import CleanerError, PageError
from cleaner.lang.detect import load_model, required_code
from cleaner.pipeline import clean
from cleaner.read.decode import (
    COMPRESSED_SUFFIXES,
    DEFAULT_MAX_BYTES,
    output_stem,
    over_cap,
    read_stream,
    strip_compression_suffix,
)
from cleaner.rules.rulebook import Rulebook

ERROR_LOG = "cleaner-errors.jsonl"
STATE_FILE = ".cleaner-state.json"
_TEMP = re.compile(r"\.cleaner-(\d+)-\d+\.tmp")
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


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

    @property
    def ok(self) -> bool:
        return self.error is None and (self.written or self.line is not None
                                       or self.doc is not None)


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
            raise over_cap(max_bytes, size=info.st_size)  # refused without reading it
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


@dataclass
class _Settings:
    """What every page of a run is cleaned with, and where its outputs go: into ``output``
    (written by whichever process cleaned the page), as a JSON line in the result
    (``json_lines``), or as the Document itself in the result (neither)."""

    rulebook: Rulebook
    max_bytes: int = DEFAULT_MAX_BYTES
    output: OutputFolder | None = None
    json_lines: bool = False
    language: str | None = None  # every page's language, when the caller knows it


# Worker state: each process gets the settings (the compiled rulebook) once.
_worker: dict[str, _Settings] = {}


def _init_worker(settings: _Settings) -> None:
    _worker["settings"] = settings


def _run_job(job: Job) -> PageResult:
    settings = _worker["settings"]
    try:
        data = read_file(Path(job.path), settings.max_bytes)
        # read_file has undone the compression; the name it goes on with no longer says .gz.
        doc = clean(data, settings.rulebook, url=job.url, source=job.source,
                    name=strip_compression_suffix(job.path), max_bytes=settings.max_bytes,
                    language=settings.language)
        if settings.output is not None:
            try:
                settings.output.write(doc)
            except (OSError, PageError) as exc:
                return PageResult(job.source, error=f"cannot write output: {exc}")
            return PageResult(job.source, written=True)
        if settings.json_lines:
            line = json.dumps(doc.record(with_text=True), ensure_ascii=False)
            return PageResult(job.source, line=line)
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
               workers: int = 1, output: OutputFolder | None = None,
               json_lines: bool = False, language: str | None = None) -> Generator[PageResult, None, None]:
    """Clean pages, in this process or in ``workers`` processes; results come in input order.

    With ``output``, each page's outputs are written by the process that cleaned it (so the
    work of writing is shared out too) and its result says only ``written``; with
    ``json_lines``, the result carries the record as one line of JSON; otherwise the Document.
    ``language`` is every page's language (an ISO 639-1 code), instead of detecting each one's;
    a ValueError before any page when it is not one.
    """
    if language is not None:
        language = required_code(language)
    settings = _Settings(rulebook, max_bytes, output, json_lines, language)
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
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _serve(conn: Connection, parent: int, settings: _Settings) -> None:
    """A worker: clean (and write) the pages the parent sends until told to stop or orphaned."""
    # Ctrl-C reaches the whole process group; the parent alone decides what to do with it and
    # stops the workers itself, so they neither die half-way nor print tracebacks. SIGTERM, the
    # parent's way to stop a busy worker, is held back while a page's outputs are written
    # (OutputFolder.write), so a worker never leaves half a page behind.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    _init_worker(settings)
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
    """One worker process, the pipe to it and the pages queued on it, in the order it takes
    them: (input order, job), the first being the one it is cleaning."""

    # Pages queued on a worker: while it cleans one, the next waits in its pipe, so it never
    # idles until the main process gets round to sending more.
    DEPTH = 2

    def __init__(self, context: Any, settings: _Settings) -> None:
        self.conn, child = context.Pipe()
        # Fork: the worker inherits the compiled rulebook (RE2 objects cannot be pickled).
        self.process = context.Process(target=_serve, daemon=True,
                                       args=(child, os.getpid(), settings))
        with _stop_signals_blocked():
            self.process.start()
        child.close()
        self.tasks: collections.deque[tuple[int, Job]] = collections.deque()
        self.ended = False  # the process is gone, or its pipe broke

    def give(self, task: tuple[int, Job]) -> None:
        self.tasks.append(task)
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
        if self.ended and self.tasks:
            index, job = self.tasks.popleft()
            yield index, PageResult(job.source, error=self.death())

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


def _in_workers(jobs: Iterable[Job], settings: _Settings, workers: int) -> Iterator[PageResult]:
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
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for i, worker in enumerate(pool):
                if not worker.tasks or not ({worker.conn, worker.process.sentinel} & ready):
                    continue
                finished.update(worker.collect(ended=worker.process.sentinel in ready))
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


def fingerprint(rule_files: Sequence[Path], options: dict[str, Any]) -> str:
    """Changes when anything that shapes the output changes: the rules (in the order they load,
    which decides which rule takes a line first), the options, and the program with its data
    (code, models, lexicons), so a finished page is only reused when it would come out the same."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    for path in rule_files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    for path in program_files():
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


_PACKAGE = Path(__file__).resolve().parents[1]
_PROGRAM_SUFFIXES = (".py", ".json", ".yaml", ".so", ".pyd")
# The benchmark does not shape outputs; the built-in rules are hashed as rule files, in their order.
_NOT_PROGRAM = ("bench", "_rules", "__pycache__")


def program_files() -> list[Path]:
    """Every file of the installed package that can change an output: code, models, lexicons,
    the rule schema and any compiled extension."""
    return sorted(path for path in _PACKAGE.rglob("*")
                  if path.suffix in _PROGRAM_SUFFIXES and path.is_file()
                  and not any(part in _NOT_PROGRAM for part in path.relative_to(_PACKAGE).parts))


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

    def done(self, source: str, input_path: Path, url: str | None = None) -> bool:
        """Finished by an earlier run with the same fingerprint, not changed since, and cleaned
        with the URL this run gives it (a URL list is checked page by page, so adding or changing
        one entry cleans that page again and no other)."""
        if not self.resume:
            return False
        try:
            txt, record = self.paths(source)
            if record.stat().st_mtime_ns < input_path.stat().st_mtime_ns or not txt.exists():
                return False
            previous = json.loads(record.read_text(encoding="utf-8"))
            return isinstance(previous, dict) and previous.get("url") == url
        except (OSError, ValueError, PageError):
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
