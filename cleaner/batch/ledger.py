"""A run's books in its output folder: which pages are finished, made from which input with
which fingerprint (the state file), and which run holds the folder (the lock).

The state file (``OUT/.cleaner-state.json``) is JSON Lines: a header with the run's fingerprint,
then one line per finished page, appended by the process that wrote the page, right after its
two outputs and inside the same signal-proof block. A page counts as done only when its latest
line carries this run's fingerprint and URL, its input still has the size and the mtime (or,
failing that, the content hash) it was cleaned from, and both outputs still have the size and
hash written. Anything else (a line cut by a crash, an output edited or truncated, an input
changed, other rules) cleans the page again: the books can only cause extra work, never a stale
or lost page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

STATE_FILE = ".cleaner-state.json"
LOCK_FILE = ".cleaner-lock"
STATE_VERSION = 2


class FolderBusy(CleanerError):
    """Another run holds the output folder."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_facts(path: Path) -> dict[str, Any]:
    """Size and hash of a file as it is on disk (read in blocks: an archive's shard can be
    large)."""
    hasher = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            hasher.update(block)
            size += len(block)
    return {"size": size, "sha256": hasher.hexdigest()}


class Ledger:
    """The state file: loaded once at the start of a run, compacted, then appended to."""

    def __init__(self, root: Path, stamp: str, *, fsync: bool = False) -> None:
        self.path = root / STATE_FILE
        self.stamp = stamp
        self.fsync = fsync
        self.entries: dict[str, dict[str, Any]] = {}
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if self.path.is_file():
                self._read(self.path.read_text(encoding="utf-8"))

    def _read(self, text: str) -> None:
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut by a crash: that page is simply done again
            if isinstance(entry, dict) and isinstance(entry.get("source"), str):
                self.entries[entry["source"]] = entry

    def start(self, write: Any) -> None:
        """Rewrite the file (atomically, with ``write(path, text)``): a header, then the latest
        line of every page still made with this fingerprint."""
        if self.path.is_dir():
            raise IsADirectoryError(21, "the state file is a folder; remove it", str(self.path))
        keep = [e for e in self.entries.values() if e.get("fingerprint") == self.stamp]
        lines = [json.dumps({"fingerprint": self.stamp, "version": STATE_VERSION})]
        lines += [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in keep]
        write(self.path, "".join(line + "\n" for line in lines))

    def append(self, entry: dict[str, Any]) -> None:
        """One page finished: one line, written with one call in append mode, so lines from
        several worker processes never interleave."""
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            os.write(fd, line)
            if self.fsync:
                os.fsync(fd)
        finally:
            os.close(fd)

    def done(self, source: str, input_path: Path, url: str | None,
             outputs: tuple[Path, Path]) -> bool:
        return self._done(source, input_path, url, dict(zip(("txt", "json"), outputs, strict=True)))

    def shard_done(self, source: str, input_path: Path, shard: Path) -> bool:
        """An archive's shard: done on the same terms as a page (this fingerprint, the input
        unchanged, the shard as it was written)."""
        return self._done(source, input_path, None, {"shard": shard})

    def _done(self, source: str, input_path: Path, url: str | None, outputs: dict[str, Path]) -> bool:
        entry = self.entries.get(source)
        if entry is None or entry.get("fingerprint") != self.stamp or entry.get("url") != url:
            return False
        try:
            made = entry["input"]
            info = input_path.stat()
            if info.st_size != made["size"]:
                return False
            if info.st_mtime_ns != made["mtime_ns"] and file_facts(input_path)["sha256"] != made["sha256"]:
                return False
            return all(file_facts(path) == entry[kind] for kind, path in outputs.items())
        except (OSError, KeyError, TypeError):
            return False


def input_facts(path: Path, data: bytes, before: os.stat_result) -> dict[str, Any]:
    """What a page was made from: the input's size and mtime as stat'ed before it was read,
    and the hash of the bytes read."""
    return {"size": before.st_size, "mtime_ns": before.st_mtime_ns, "sha256": digest(data)}


class Lock:
    """``OUT/.cleaner-lock``: held (flock) by one run at a time, with its pid inside for the
    message. The kernel lets go of it when the process ends, however it ends, so the lock of a
    dead run is simply taken over."""

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_FILE
        self.fd: int | None = None

    def take(self) -> None:
        if fcntl is None:  # pragma: no cover - no flock: no lock
            return
        for _ in range(5):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise FolderBusy(
                    f"the output folder {self.path.parent} is in use by another cleaner run "
                    f"(pid {holder}); wait for it to end or choose another OUTPUT (two runs "
                    "into one folder would mix their outputs)") from None
            except OSError:  # a file system without locks (some network mounts): run unlocked
                os.close(fd)
                return
            # The file may have been removed by the run that held it, after we opened it.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except OSError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self.fd = fd
                return
            os.close(fd)
        raise FolderBusy(f"cannot take the lock {self.path}; other runs keep replacing it")

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self.fd)
        self.fd = None
