"""Cleaning a folder of pages: discovery, output naming, resumable atomic writes, error log.

One bad page never stops a run: every failure becomes a ``PageResult`` with a reason, written to
stderr by the CLI and to ``cleaner-errors.jsonl`` in the output folder.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .document import Document
from .errors import CleanerError, PageError
from .pipeline import clean
from .reading import COMPRESSED_SUFFIXES, DEFAULT_MAX_BYTES, strip_compression_suffix
from .rulebook import Rulebook

ERROR_LOG = "cleaner-errors.jsonl"
STATE_FILE = ".cleaner-state.json"


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


def discover(root: Path, exclude: Path | None = None) -> Iterator[tuple[Path, str]]:
    """Every page file under ``root`` as (path, source), sorted, hidden files skipped. Symlinked
    folders are followed once (a loop is not walked twice)."""
    if root.is_file():
        yield root, root.name
        return
    seen: set[tuple[int, int]] = set()
    excluded = exclude.resolve() if exclude else None

    def walk(folder: Path, rel: str) -> Iterator[tuple[Path, str]]:
        try:
            stat = folder.stat()
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        if (stat.st_dev, stat.st_ino) in seen:
            return
        seen.add((stat.st_dev, stat.st_ino))
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            source = f"{rel}{entry.name}"
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if excluded is not None and path.resolve() == excluded:
                    continue
                yield from walk(path, source + "/")
            else:
                yield path, source

    yield from walk(root, "")


def read_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing files over the cap before reading them whole."""
    compressed = path.name.lower().endswith(COMPRESSED_SUFFIXES)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise PageError("file not found (a broken symlink?)") from exc
    except IsADirectoryError as exc:
        raise PageError("is a directory") from exc
    except OSError as exc:
        raise PageError(f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes and not compressed:
        raise PageError(f"file is over the {max_bytes:,} byte cap; raise --max-bytes to clean it")
    return data


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
        doc = clean(data, _worker["rulebook"], url=job.url, source=job.source, name=job.path)
    except CleanerError as exc:
        return PageResult(job.source, error=str(exc))
    except RecursionError:
        return PageResult(job.source, error="page too deeply nested to process")
    except MemoryError:
        return PageResult(job.source, error="out of memory on this page; lower --max-bytes")
    return PageResult(job.source, doc=doc)


def clean_jobs(jobs: Iterable[Job], rulebook: Rulebook, *, max_bytes: int = DEFAULT_MAX_BYTES,
               workers: int = 1) -> Iterator[PageResult]:
    """Clean pages in order, in this process or in ``workers`` processes."""
    if workers <= 1:
        _init_worker(rulebook, max_bytes)
        yield from map(_run_job, jobs)
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(rulebook, max_bytes)) as pool:
        yield from pool.imap(_run_job, jobs, chunksize=4)


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


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


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
        write_atomic(self.root / STATE_FILE, json.dumps({"fingerprint": self.stamp}) + "\n")

    def paths(self, source: str) -> tuple[Path, Path]:
        stem = output_stem(source)
        target = (self.root / stem).resolve()
        # Names come from the input tree, but never trust them to stay inside OUT.
        if self.root not in target.parents:
            raise PageError("output path would fall outside the output folder; rename the file")
        return target.with_name(target.name + ".txt"), target.with_name(target.name + ".json")

    def claim(self, source: str) -> str | None:
        """None, or why this page cannot be written (another input maps to the same output)."""
        stem = output_stem(source)
        other = self.claimed.setdefault(stem, source)
        if other != source:
            return f"its output name {stem}.txt is already used by {other}; rename one of them"
        return None

    def done(self, source: str, input_path: Path) -> bool:
        if not self.resume:
            return False
        try:
            txt, record = self.paths(source)
            return record.stat().st_mtime >= input_path.stat().st_mtime and txt.exists()
        except (OSError, PageError):
            return False

    def write(self, doc: Document) -> None:
        assert doc.source is not None
        txt, record = self.paths(doc.source)
        write_atomic(txt, doc.text + "\n" if doc.text else "")
        write_atomic(record, json.dumps(doc.record(), ensure_ascii=False, indent=2) + "\n")

    def write_errors(self, failures: list[PageResult]) -> Path:
        log = self.root / ERROR_LOG
        lines = (json.dumps({"source": f.source, "error": f.error}, ensure_ascii=False) for f in failures)
        write_atomic(log, "".join(line + "\n" for line in lines))
        return log
