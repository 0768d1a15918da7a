"""Files in the cache folder the CLI names (compiled rules, the language model): written whole
or not at all, and only the newest few of a kind kept. A cache that cannot be written is passed
over: the caller works as without one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def store(path: Path, write: Callable[[BinaryIO], None], *, keep: int) -> None:
    """Write ``path`` through ``write`` under a temporary name, then rename it into place (a
    reader never sees half a file); then keep the newest ``keep`` files of its kind (its
    folder's files with the same prefix, up to the first '-', and suffix)."""
    prefix = path.name.split("-", 1)[0] + "-"
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{prefix}", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
        temporary = None
        _prune(path.parent, f"{prefix}*{path.suffix}", keep)
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path, pattern: str, keep: int) -> None:
    stored = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in stored[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
