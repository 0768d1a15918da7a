"""Where a run's results go: the output folder (each page's .txt and .json, written atomically
by the process that cleaned it), the run's state file and the error log.

A page's two outputs are written through temporary files and renamed, with Ctrl-C and SIGTERM
held back until both are in place, so an interrupted run leaves only whole pages and a rerun
picks up where it stopped.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from cleaner.batch.ledger import STATE_FILE, Ledger, Lock, digest
from cleaner.document import Document
from cleaner.errors import PageError
from cleaner.read.compression import output_stem
from cleaner.write import TXT, OutputFormat

ERROR_LOG = "cleaner-errors.jsonl"
__all__ = ["ERROR_LOG", "STATE_FILE", "STOP_SIGNALS", "OutputFolder", "stop_signals_deferred",
           "write_atomic"]
_TEMP = re.compile(r"\.cleaner-(\d+)-\d+\.tmp")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Failure(Protocol):
    """A failed page, as the error log needs it (`executors.PageResult`)."""

    source: str
    error: str | None


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

    previous = {sig: signal.signal(sig, note) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        if caught:
            signal.raise_signal(caught[0])


_temp_numbers = itertools.count()


def temp_path(path: Path) -> Path:
    """A temporary name beside ``path`` for writing it: short, hidden, with this process's pid
    (`OutputFolder.start` sweeps those of runs that were killed)."""
    return path.with_name(f".cleaner-{os.getpid()}-{next(_temp_numbers)}.tmp")


def write_atomic(path: Path, text: str, *, fsync: bool = False) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves half a file.
    The temporary name is short (a long page name plus a suffix could pass the file system's
    name limit) and hidden, and carries the pid so that a later run can sweep it up. ``fsync``:
    the file, then its folder, are flushed to the disk before this returns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
        # errors='replace': a stray surrogate must cost one character, not the page.
        with open(fd, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(text)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        if fsync:
            _fsync_folder(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class OutputFolder:
    """Where a run writes: OUT/<stem>.txt (or .md, for Markdown) and OUT/<stem>.json per page,
    plus the error log and the books (`cleaner.batch.ledger`): which pages are done, and the
    lock of the run. The output format must be in ``stamp`` (the run's fingerprint), so that
    a rerun in another format cleans the pages again."""

    def __init__(self, root: Path, stamp: str, *, force: bool = False, fsync: bool = False,
                 output_format: OutputFormat = TXT) -> None:
        self.root = root.resolve()
        self.output_format = output_format
        self.stamp = stamp
        self.force = force
        self.fsync = fsync
        self.ledger = Ledger(self.root, stamp, fsync=fsync)
        self.lock = Lock(self.root)
        self.claimed: dict[str, str] = {}

    def start(self) -> None:
        """Create the folder, take its lock (FolderBusy when another run holds it), sweep
        leftovers of killed runs and rewrite the books."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock.take()
        self._sweep()
        self.ledger.start(lambda path, text: write_atomic(path, text, fsync=self.fsync))

    def finish(self) -> None:
        """Let go of the folder (the lock); the process that took it only."""
        self.lock.release()

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
        return (target.with_name(target.name + self.output_format.suffix),
                target.with_name(target.name + ".json"))

    def claim(self, source: str) -> str | None:
        """None, or why this page cannot be written (an earlier input, in name order, maps to
        the same output)."""
        stem = output_stem(source)
        other = self.claimed.setdefault(stem, source)
        if other != source:
            return (f"its output name {stem}{self.output_format.suffix} is already used by "
                    f"{other}; rename one of them")
        return None

    def done(self, source: str, input_path: Path, url: str | None = None) -> bool:
        """Finished by an earlier run, by the books (`Ledger.done`): same fingerprint, same URL
        (a URL list is checked page by page, so changing one entry cleans that page again and
        no other), the input unchanged and both outputs as they were written."""
        if self.force:
            return False
        try:
            return self.ledger.done(source, input_path, url, self.paths(source))
        except PageError:
            return False

    def write(self, doc: Document, made_from: dict[str, Any] | None = None) -> None:
        """Write a page's outputs, then its line in the books (``made_from``: the input's
        facts, `ledger.input_facts`; without them the page is not booked as done)."""
        assert doc.source is not None
        txt, record = self.paths(doc.source)
        body = self.output_format.body(doc)
        text = body + "\n" if body else ""
        data = json.dumps(doc.record(), ensure_ascii=False, indent=2) + "\n"
        # The record goes last, then the books; no signal may split them.
        with stop_signals_deferred():
            write_atomic(txt, text, fsync=self.fsync)
            write_atomic(record, data, fsync=self.fsync)
            if made_from is not None:
                self.ledger.append({
                    "source": doc.source, "fingerprint": self.stamp, "url": doc.url,
                    "input": made_from, "txt": _facts(text), "json": _facts(data)})

    def write_errors(self, failures: Sequence[_Failure]) -> Path:
        """One JSON object per line, sorted by source (a failed record of an archive also
        names its ``record_id``): the same run gives the same log, with any number of workers."""
        log = self.root / ERROR_LOG
        lines = (json.dumps(_failure_entry(f), ensure_ascii=False)
                 for f in sorted(failures, key=lambda f: f.source))
        with stop_signals_deferred():
            write_atomic(log, "".join(line + "\n" for line in lines))
        return log


def _failure_entry(failure: _Failure) -> dict[str, Any]:
    entry = {"source": failure.source, "error": failure.error}
    record_id = getattr(failure, "record_id", None)
    if record_id is not None:
        entry = {"source": failure.source, "record_id": record_id, "error": failure.error}
    return entry


def _facts(text: str) -> dict[str, Any]:
    data = text.encode("utf-8", "replace")  # as write_atomic writes it
    return {"size": len(data), "sha256": digest(data)}


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
