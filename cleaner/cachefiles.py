"""Files in the cache folder the CLI names (compiled rules, the language model, the learned
models): written whole or not at all, and only the newest few of a kind kept. A cache that cannot
be written is passed over: the caller works as without one. The library has no cache folder of
its own: a caller names one (`use_folder`), as the command line names ``$XDG_CACHE_HOME/cleaner``."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

_folder: Path | None = None


def use_folder(folder: Path | None) -> None:
    """Keep this process's caches (the language model, the learned models) in ``folder``; None:
    read them from the package at every start."""
    global _folder
    _folder = folder


def folder() -> Path | None:
    """The folder `use_folder` named, if any."""
    return _folder


_DATA_FORMAT = 1  # bump when what `yaml_data` stores changes
_DATA_KEEP = 64  # files kept: every YAML data file of the package (two dozen), about twice over


def yaml_data(path: Path) -> Any:
    """The data of a YAML file that ships in the package (the lexicon, the markup tokens): stored
    in the cache folder as JSON, when there is one, and read back from there on later starts,
    which then import no YAML parser (about 40 ms of every start for the lexicon). The key is the
    file's bytes; data that JSON cannot hold as it is (a date, a number as a key) is not stored."""
    text = path.read_bytes()
    key = hashlib.sha256(f"format {_DATA_FORMAT}\n".encode() + text).hexdigest()
    stored = _folder / f"data-{key[:32]}.json" if _folder is not None else None
    if stored is not None:
        with contextlib.suppress(OSError, ValueError):
            found = json.loads(stored.read_bytes())
            if isinstance(found, dict) and found.get("key") == key:
                return found["data"]
    import yaml  # here: a start that finds its data stored does without it

    # libyaml's safe loader where PyYAML was built with it: the same data, ten times faster.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if stored is None:
        return data
    try:
        encoded = json.dumps({"key": key, "data": data}, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):
        return data

    def write(stream: BinaryIO) -> None:
        stream.write(encoded)

    if json.loads(encoded)["data"] == data:
        store(stored, write, keep=_DATA_KEEP)
    return data


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
