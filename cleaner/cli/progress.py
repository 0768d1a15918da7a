"""How far `cleaner run` has got: a progress line on a terminal's stderr while it runs, and the
speed figures of the summary line at the end.

The line is drawn by tqdm, and only when stderr is a terminal and the run is not ``-q``: a log
file or a pipe gets the summary alone, never carriage returns.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cleaner.batch.sources import discover
from cleaner.read.kinds import WARC, kind_by_name

if TYPE_CHECKING:
    from tqdm import tqdm

COUNT_BUDGET = 1.0  # seconds the count of a tree's pages may take before the run starts


def stderr_is_terminal() -> bool:
    """Whether a person is watching stderr (the progress line would only clutter a log)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced by an object without it, or closed
        return False


def count_pages(root: Path, exclude: Path | None, follow_links: bool,
                budget: float = COUNT_BUDGET) -> int | None:
    """The pages under ``root``, for the time left; None when they cannot be told in ``budget``
    seconds (a huge tree: the run starts rather than wait) or at all (an archive's records are
    only known as it is read)."""
    deadline = time.monotonic() + budget
    count = 0
    for path, _ in discover(root, exclude=exclude, follow_links=follow_links):
        found = kind_by_name(path.name)
        if found is not None and found[0] == WARC:
            return None
        count += 1
        if count % 256 == 0 and time.monotonic() > deadline:
            return None
    return count


class Progress:
    """The progress line: pages done (cleaned, failed or already done), pages per second, the
    failures, and the time left when the number of pages is known. Does nothing when not
    ``shown``."""

    def __init__(self, shown: bool, total: int | None = None, *, file: TextIO | None = None,
                 every: float = 0.2) -> None:
        self.shown = shown
        self.failed = 0
        self.bar: tqdm[None] | None = None
        if shown:
            from tqdm import tqdm  # here: a run without the line, and `cleaner --help`, skip it

            # leave=False: the summary line takes its place at the end.
            counted = "{n_fmt} pages" if total is None else "{l_bar}{bar}| {n_fmt}/{total_fmt} pages"
            left = "" if total is None else ", {remaining} left"
            self.bar = tqdm(total=total, unit=" pages", file=file or sys.stderr, leave=False,
                            mininterval=every, dynamic_ncols=True, smoothing=0.05,
                            bar_format=counted + " [{elapsed}" + left + ", {rate_noinv_fmt}{postfix}]")
            self.bar.set_postfix_str("0 failed", refresh=False)

    def advance(self, failed: bool = False) -> None:
        """One more page done."""
        if self.bar is None:
            return
        if failed:
            self.failed += 1
            self.bar.set_postfix_str(f"{self.failed} failed", refresh=False)
        self.bar.update(1)

    @contextlib.contextmanager
    def aside(self) -> Iterator[None]:
        """Print a message (an error) above the line, not through it."""
        if self.bar is None:
            yield
            return
        with self.bar.external_write_mode(file=self.bar.fp):
            yield

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def speed(pages: int, size: int, seconds: float) -> str:
    """The summary line's figures: input read, time taken and pages (cleaned or failed) per
    second, e.g. '; 12.4 MB read in 3.1 s, 645.2 pages/s'."""
    megabytes = size / 1e6
    shown_mb = f"{megabytes:.2f}" if megabytes < 10 else f"{megabytes:.1f}"
    rate = pages / seconds if seconds > 0 else 0.0
    return f"; {shown_mb} MB read in {seconds:.1f} s, {rate:.1f} pages/s"
