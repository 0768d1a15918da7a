"""Files in the cache folder the CLI names (compiled rules, the language model, the learned
models): written whole or not at all, and only the newest few of a kind kept. A cache that cannot
be written is passed over: the caller works as without one. The library has no cache folder of
its own: a caller names one (`use_folder`), as the command line names ``$XDG_CACHE_HOME/cleaner``."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

_folder: Path | None = None


def use_folder(folder: Path | None) -> None:
    """Keep this process's caches (the language model, the learned models) in ``folder``; None:
    read them from the package at every start."""
    global _folder
    _folder = folder


def folder() -> Path | None:
    """The folder `use_folder` named, if any."""
    return _folder


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
