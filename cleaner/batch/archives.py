"""The archive job: a WARC or WET file in, one JSON Lines shard out (``OUT/<name>.jsonl.gz``).

An archive is read in the process that keeps the books (`read.archive.read_archive`); each of
its pages becomes a `Job` carrying the record, cleaned wherever pages are cleaned (this process
or a worker: `executors.clean_jobs`), and its result comes back in order as one JSON line. The
lines go into the shard through a temporary file that is renamed when the archive's last
result is in, so a shard under its own name is always whole. A shard is booked as done (the
ledger, `Ledger.shard_done`) on the terms a page is: same fingerprint, archive unchanged, shard
as written, and no record failed; anything else is done again on the next run.

`clean_archive` is the job as one call, (archive, rulebook, options) -> shard, for schedulers
that hand out one archive per task.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import os
import stat
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.batch.executors import PageResult, clean_jobs
from cleaner.batch.ledger import file_facts
from cleaner.batch.sinks import OutputFolder, stop_signals_deferred, temp_path
from cleaner.batch.sources import Job
from cleaner.errors import PageError
from cleaner.read.archive import ArchiveDamaged, ArchiveRecord, SkippedRecord, read_archive
from cleaner.read.compression import DEFAULT_MAX_BYTES, sniff_compression, strip_compression_suffix
from cleaner.read.kinds import WARC, kind_by_bytes, kind_by_name
from cleaner.rules.rulebook import Rulebook

SHARD_SUFFIX = ".jsonl.gz"
SHARD_GZIP_LEVEL = 3
_SNIFF = 4096  # bytes of a file's (decompressed) start read to tell an archive by its content


# Compressions FastWARC reads that pages never come in: an archive's name may end in them.
_ARCHIVE_ONLY_SUFFIXES = (".lz4", ".zst")


def _archive_stem(name: str) -> str:
    """The name without an archive-only compression suffix ('a.warc.lz4' -> 'a.warc')."""
    lower = name.lower()
    return next((name[: -len(s)] for s in _ARCHIVE_ONLY_SUFFIXES if lower.endswith(s)), name)


def is_archive(path: Path) -> bool:
    """A WARC or WET file, by its name (``.warc``, ``.wet``, compressed by gzip, bzip2, xz, LZ4
    or Zstandard, or not) or, failing that, by its first line (`kinds.kind_by_bytes`)."""
    found = kind_by_name(_archive_stem(path.name))
    if found is not None:
        return found[0] == WARC
    try:
        # O_NONBLOCK and regular files only: a named pipe must not hang the run (the page
        # reader reports it).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return False
            head = handle.read(_SNIFF)
        compression = sniff_compression(head[:16])
        if compression is not None:
            # The start of the compressed stream gives the start of the file: enough to sniff.
            head = _DECOMPRESSORS[compression]().decompress(head, _SNIFF)
    except (OSError, ValueError, EOFError, zlib.error, lzma.LZMAError):
        return False  # not an archive; the page reader says what is wrong with it
    return kind_by_bytes(head) is not None


_DECOMPRESSORS: dict[str, Callable[[], Any]] = {
    "gzip": lambda: zlib.decompressobj(wbits=47),
    "bzip2": lambda: _Limited(bz2.BZ2Decompressor()),
    "xz": lambda: lzma.LZMADecompressor(),
}


class _Limited:
    """A decompressor whose ``decompress(data, max_length)`` takes the length as zlib's does."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return bytes(self.inner.decompress(data, max_length))


def shard_name(source: str) -> str:
    """'a/b.warc.gz' -> 'a/b.warc.jsonl.gz': the archive's name, compression suffix dropped."""
    return strip_compression_suffix(_archive_stem(source)) + SHARD_SUFFIX


@dataclass
class ArchiveReport:
    """What became of one archive: records cleaned, failed (record id, reason) and skipped (by
    reason), the damage that stopped the reading if any, and the shard written."""

    source: str
    shard: Path | None = None
    cleaned: int = 0
    failures: list[tuple[str | None, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    damage: str | None = None


class ShardWriter:
    """A shard being written: gzip-compressed JSON Lines under a temporary name, renamed to
    ``target`` by `finish` (never before its last line)."""

    def __init__(self, target: Path, *, fsync: bool = False) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        self.target = target
        self.fsync = fsync
        self.tmp = temp_path(target)
        self.raw = open(self.tmp, "xb")  # noqa: SIM115 - closed by finish or abandon
        # mtime=0 and no file name in the header (the temporary one would differ from run to
        # run): the same records give the same bytes (and the same hash in the books).
        # Level 3: a third of level 6's time (the process writing the shard also reads the
        # archive and hands out its records) for a shard about a tenth larger.
        self.zipped = gzip.GzipFile(filename="", fileobj=self.raw, mode="wb", compresslevel=SHARD_GZIP_LEVEL,
                                    mtime=0)

    def add(self, line: str) -> None:
        self.zipped.write(line.encode("utf-8", "replace") + b"\n")

    def finish(self) -> None:
        self.zipped.close()
        if self.fsync:
            self.raw.flush()
            os.fsync(self.raw.fileno())
        self.raw.close()
        os.replace(self.tmp, self.target)

    def abandon(self) -> None:
        with contextlib.suppress(OSError):
            self.zipped.close()
            self.raw.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()


@dataclass
class _Open:
    """An archive being read: its report, its shard, and how many of its records were handed
    out and have come back."""

    report: ArchiveReport
    path: Path
    before: os.stat_result
    writer: ShardWriter | None
    queued: int = 0
    back: int = 0
    read: bool = False


class Archives:
    """The archives of a run: turns each into record jobs (`jobs`), takes their results as they
    come back in order (`take`), and finishes each shard when its last result is in.

    ``shard_for(source)`` is where an archive's shard goes (None: no shard, the lines go to
    ``emit``, e.g. stdout); ``folder`` keeps the books of finished shards; ``on_failure`` gets
    every failed record and damaged archive (as a PageResult, with ``record_id``);
    ``on_finish`` every archive's report."""

    def __init__(self, *, shard_for: Callable[[str], Path] | None = None,
                 folder: OutputFolder | None = None, emit: Callable[[str], None] | None = None,
                 on_failure: Callable[[PageResult], None] | None = None,
                 on_finish: Callable[[ArchiveReport], None] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.shard_for = shard_for
        self.folder = folder
        self.emit = emit
        self.on_failure = on_failure
        self.on_finish = on_finish
        self.max_bytes = max_bytes
        self.open: dict[str, _Open] = {}
        self.claimed: dict[str, str] = {}
        self.archives = 0
        self.cleaned = 0
        self.failed = 0
        self.skipped: Counter[str] = Counter()

    def claim(self, source: str) -> str | None:
        """None, or why this archive's shard cannot be written (an earlier one has its name)."""
        name = shard_name(source)
        other = self.claimed.setdefault(name, source)
        if other != source:
            return f"its shard name {name} is already used by {other}; rename one of them"
        return None

    def done(self, source: str, path: Path) -> bool:
        """Finished by an earlier run (`Ledger.shard_done`), and --force not given."""
        if self.folder is None or self.folder.force or self.shard_for is None:
            return False
        try:
            return self.folder.ledger.shard_done(source, path, self.shard_for(source))
        except PageError:
            return False

    def jobs(self, path: Path, source: str) -> Iterator[Job]:
        """The archive's pages as jobs, in order; skipped records are counted, records that
        cannot be read and the damage that ends the reading are failures."""
        report = ArchiveReport(source)
        try:
            before = path.stat()
        except OSError as exc:
            self._fail(report, None, f"cannot read the file: {exc.strerror or exc}", damage=True)
            if self.on_finish is not None:
                self.on_finish(report)
            return
        writer = None
        if self.shard_for is not None:
            try:
                report.shard = self.shard_for(source)
                writer = ShardWriter(report.shard, fsync=self.folder.fsync if self.folder else False)
            except (OSError, PageError) as exc:
                self._fail(report, None, f"cannot write the shard: {exc}", damage=True)
                if self.on_finish is not None:
                    self.on_finish(report)
                return
        state = _Open(report, path, before, writer)
        self.open[source] = state
        self.archives += 1
        try:
            for item in read_archive(path, self.max_bytes):
                if isinstance(item, ArchiveRecord):
                    state.queued += 1
                    yield Job(str(path), source, item.url, record=item)
                elif isinstance(item, SkippedRecord):
                    report.skipped[item.reason] += 1
                else:
                    self._fail(report, item.record_id, item.reason)
        except ArchiveDamaged as exc:
            report.damage = f"{exc}; the records before it were kept"
            self._fail(report, None, report.damage, damage=True)
        state.read = True
        self._finish_if_complete(state)

    def take(self, result: PageResult) -> bool:
        """A result of a record job: into its shard (or to ``emit``), or a failure; False for a
        result that is not an archive's (a page's)."""
        state = self.open.get(result.source)
        if state is None:
            return False
        state.back += 1
        if result.ok and result.line is not None:
            state.report.cleaned += 1
            self.cleaned += 1
            if state.writer is not None:
                state.writer.add(result.line)
            elif self.emit is not None:
                self.emit(result.line)
        else:
            self._fail(state.report, result.record_id, result.error or "no result")
        self._finish_if_complete(state)
        return True

    def close(self) -> None:
        """Drop the shards still being written (an interrupted run): none is left half-made."""
        for state in self.open.values():
            if state.writer is not None:
                state.writer.abandon()
        self.open.clear()

    def summary(self) -> str:
        """The archives' part of the run's summary line."""
        if not self.archives:
            return ""
        text = (f"; {self.archives} archive{'s' if self.archives != 1 else ''}: "
                f"{self.cleaned} records cleaned, {self.failed} failed")
        if self.skipped:
            reasons = ", ".join(f"{n} {reason}" for reason, n in
                                sorted(self.skipped.items(), key=lambda item: (-item[1], item[0])))
            text += f", {sum(self.skipped.values())} skipped ({reasons})"
        return text

    def _fail(self, report: ArchiveReport, record_id: str | None, reason: str, *,
              damage: bool = False) -> None:
        """A record failed (or, ``damage``, the archive itself)."""
        report.failures.append((record_id, reason))
        self.failed += not damage
        if self.on_failure is not None:
            self.on_failure(PageResult(report.source, error=reason, record_id=record_id))

    def _finish_if_complete(self, state: _Open) -> None:
        if not state.read or state.back < state.queued:
            return
        report = state.report
        del self.open[report.source]
        self.skipped.update(report.skipped)
        if state.writer is not None:
            try:
                with stop_signals_deferred():
                    state.writer.finish()
                    self._book(state)
            except OSError as exc:
                state.writer.abandon()
                self._fail(report, None, f"cannot write the shard: {exc.strerror or exc}", damage=True)
        if self.on_finish is not None:
            self.on_finish(report)

    def _book(self, state: _Open) -> None:
        """The shard's line in the books, when the archive was read whole without a failure
        and did not change while it was read."""
        report = state.report
        if self.folder is None or report.failures or report.shard is None:
            return
        after = state.path.stat()
        if (after.st_size, after.st_mtime_ns) != (state.before.st_size, state.before.st_mtime_ns):
            return
        made = {"size": after.st_size, "mtime_ns": after.st_mtime_ns,
                "sha256": file_facts(state.path)["sha256"]}
        self.folder.ledger.append({"source": report.source, "fingerprint": self.folder.stamp,
                                   "url": None, "input": made, "shard": file_facts(report.shard)})


def clean_archive(path: Path, rulebook: Rulebook, shard: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                  language: str | None = None, page_timeout: float = 0) -> ArchiveReport:
    """Clean one archive into ``shard`` (JSON Lines, gzip; written whole or not at all), in this
    process: the job a scheduler hands out per archive. Returns its report; the failures are in
    it, not raised."""
    reports: list[ArchiveReport] = []
    archives = Archives(shard_for=lambda source: shard, on_finish=reports.append, max_bytes=max_bytes)
    results = clean_jobs(archives.jobs(path, path.name), rulebook, max_bytes=max_bytes,
                         language=language, page_timeout=page_timeout)
    try:
        for result in results:
            archives.take(result)
    finally:
        archives.close()
    return reports[0]
