"""Where a run's pages come from: the files under INPUT, in name order, and their bytes.

A page's bytes are read here as they are on disk (never past what the size cap allows) and are
decompressed and decoded by the reading seam (`cleaner.read`), once, in the process that cleans
the page.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.errors import PageError
from cleaner.read.compression import COMPRESSED_SUFFIXES, over_cap, read_raw

if TYPE_CHECKING:
    from cleaner.read.archive import ArchiveRecord


@dataclass(frozen=True)
class Job:
    """A page to clean: a file (``path``), or a record of an archive (``record``, read already;
    ``path`` and ``source`` are the archive's)."""

    path: str
    source: str
    url: str | None = None
    record: ArchiveRecord | None = None


def _printable_name(name: str) -> str:
    """File names are bytes on POSIX; one that is not UTF-8 carries lone surrogates in Python,
    which no output file, JSON record or terminal can take. Each such byte is written as
    ``\\xNN`` (``b\\xfe.txt``), which keeps two names that differ only there apart, and can be
    turned back into the bytes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(root: Path, exclude: Path | None = None,
             on_error: Callable[[str, str], None] | None = None, *,
             follow_links: bool = True,
             on_link_out: Callable[[str], None] | None = None) -> Iterator[tuple[Path, str]]:
    """Every page file under ``root`` as (path, source), sorted by name, hidden files skipped.

    Symlinked folders are followed, but a folder already walked (a symlink loop, or two links
    to one place) is not walked again. Without ``follow_links``, a symlink (to a file or a
    folder) that leads out of ``root`` is not followed but reported to ``on_link_out(source)``.
    Folders that cannot be listed are reported through ``on_error(source, reason)`` rather than
    skipped in silence. The walk keeps its own stack, so however deep the tree, it cannot hit
    Python's recursion limit.
    """
    if not root.is_dir():
        yield root, _printable_name(root.name)
        return
    seen: set[tuple[int, int]] = set()
    excluded = exclude.resolve() if exclude else None
    inside = root.resolve()

    def leaves(path: Path) -> bool:
        try:
            target = path.resolve()
        except (OSError, RuntimeError):
            return False  # a loop: reported when read
        # A dangling link is reported when read ('a broken symlink?'), wherever it points.
        return target.exists() and target != inside and inside not in target.parents

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
        if not follow_links and entry.is_symlink() and leaves(path):
            if on_link_out is not None:
                on_link_out(source)
            continue
        try:
            is_dir = entry.is_dir()  # follows symlinks; a dangling one is not a folder
        except OSError:
            is_dir = False
        if not is_dir:
            yield path, source
        elif excluded is None or path.resolve() != excluded:
            stack.append(listing(path, source + "/"))


def listed_files(listing: Iterable[str],
                 on_error: Callable[[str, str], None] | None = None) -> Iterator[tuple[Path, str]]:
    """The files named in ``listing`` (one path a line, as ``find`` prints them; blank lines
    skipped), as (path, source), in the order listed; a listed folder gives its files
    (`discover`). The source (and so the output's name) is the path as listed, made relative:
    without a leading ``/`` or ``./``, and without ``..`` parts."""
    for line in listing:
        name = line.rstrip("\r\n")
        if not name.strip():
            continue
        path = Path(name)
        source = "/".join(part for part in path.parts if part not in ("/", ".", "..")) or "."
        source = _printable_name(source)
        if path.is_dir():
            for inner, rel in discover(path, on_error=on_error):
                yield inner, f"{source}/{rel}"
        else:
            yield path, source


def read_file(path: Path, max_bytes: int) -> bytes:
    """A file's bytes as they are on disk (compressed or not: `cleaner.read` opens them), never
    reading more than the cap allows."""
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
            return read_raw(handle, path.name, max_bytes)
        except OSError as exc:
            raise PageError(f"cannot read the file: {exc.strerror or exc}") from exc
