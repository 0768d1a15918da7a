"""The language detection model kept ready to map, between starts.

py3langid ships its model as an LZMA-compressed archive: decompressing it, then cutting it down
to the languages the cleaner answers with, took a second and 90 MB at every start. The cut-down
arrays are stored here once, uncompressed, in one file of the folder the caller gives (the CLI:
its cache folder, `cleaner.cachefiles.folder`, which the compiled rules share), and mapped on
later starts: the operating system reads only the pages a page's text touches, and processes
on one machine share them.

The file holds a JSON header (the key, the class labels, where each array lies) and then each
array's bytes, as they are in memory. The key covers the model file (path, size, modification
time), the py3langid code that reads it, this module's format and the machine's byte order; it
is compared on reading, so a hit is never wrong, and a file that cannot be read is a miss (the
model loads from py3langid's file as without a cache). Files are written whole under a
temporary name and renamed. This module imports nothing heavy, so that the CLI can name the
folder without loading numpy.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.cachefiles import store

FORMAT = 2  # bump when what is stored, or how the model is cut down, changes (2: rows laid out whole)
_PREFIX = "langid-"
_HEADER_BYTES = 8  # the header's length, before it
_ALIGN = 64  # each array starts at a multiple of this
_KEEP = 2  # files kept: one per py3langid install that used this folder, recently

@dataclass(frozen=True)
class Arrays:
    """A cut-down py3langid model: what `LanguageIdentifier` is built from. ``nextmove``,
    ``row`` and ``output`` are indexed a byte at a time in Python, so they are sequences of
    ints (a stdlib array or a memoryview), not numpy arrays."""

    ptc: Any  # numpy float16, (features, classes)
    pc: Any  # numpy float32, (classes,)
    classes: list[str]
    nextmove: Any  # unsigned ints: the DFA's transition rows
    row: Any  # unsigned ints: each state's row
    output: Any  # ints: each state's feature, or -1


def key(model_file: Path, reader_file: Path) -> str:
    """The key of the model stored from ``model_file`` as read by ``reader_file``'s code."""
    digest = hashlib.sha256(f"format {FORMAT}; {sys.byteorder}".encode())
    for path in (model_file, reader_file):
        stat = os.stat(path)
        digest.update(f"\n{os.path.abspath(path)} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _file(folder: Path, key: str) -> Path:
    return folder / f"{_PREFIX}{key[:32]}.bin"


def read(folder: Path, key: str) -> Arrays | None:
    """The model stored under ``key``, mapped, or None (none stored, or unreadable: a miss)."""
    import numpy as np

    try:
        with _file(folder, key).open("rb") as stream:
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        size = int.from_bytes(mapped[:_HEADER_BYTES], "little")
        header = json.loads(mapped[_HEADER_BYTES:_HEADER_BYTES + size])
        if header.get("key") != key:
            return None
        base = _aligned(_HEADER_BYTES + size)
        found: dict[str, Any] = {}
        for name, (kind, shape, order, start, nbytes) in header["arrays"].items():
            start += base
            if start + nbytes > len(mapped):
                return None
            if kind.startswith("numpy-"):
                dtype = np.dtype(kind.removeprefix("numpy-"))
                flat = np.frombuffer(mapped, dtype=dtype, count=nbytes // dtype.itemsize, offset=start)
                found[name] = flat.reshape(shape, order=order)
            else:  # a typecode of the stdlib's array: read as a memoryview of that type
                found[name] = memoryview(mapped)[start:start + nbytes].cast(kind)
        return Arrays(classes=[str(c) for c in header["classes"]], **found)
    except Exception:  # a missing, truncated or foreign file: load the model the slow way
        return None


def write(folder: Path, key: str, arrays: Arrays) -> None:
    """Store ``arrays`` under ``key``; a folder that cannot be written is left as it is."""
    import numpy as np

    parts: list[tuple[str, tuple[str, list[int], str], bytes]] = []
    for name in ("ptc", "pc"):
        value = getattr(arrays, name)
        # Stored in the layout it has (`detect` lays the table's rows out whole), so that the
        # arrays mapped back are the same in every respect.
        fortran = bool(value.flags.f_contiguous and not value.flags.c_contiguous)
        data = np.asarray(value).tobytes(order="F" if fortran else "C")
        parts.append((name, (f"numpy-{value.dtype.name}", list(value.shape), "F" if fortran else "C"), data))
    for name in ("nextmove", "row", "output"):
        value = getattr(arrays, name)
        stored = value if isinstance(value, array) else array("i", value)  # (a list of ints)
        parts.append((name, (stored.typecode, [len(stored)], "C"), stored.tobytes()))
    table: dict[str, list[Any]] = {}
    start = 0  # from the end of the header, aligned
    for name, (kind, shape, order), data in parts:
        table[name] = [kind, shape, order, start, len(data)]
        start = _aligned(start + len(data))
    header = json.dumps({"key": key, "classes": arrays.classes, "arrays": table}).encode()
    base = _aligned(_HEADER_BYTES + len(header))

    def write_parts(stream: BinaryIO) -> None:
        stream.write(len(header).to_bytes(_HEADER_BYTES, "little"))
        stream.write(header)
        for name, _, data in parts:
            stream.seek(base + table[name][3])
            stream.write(data)

    store(_file(folder, key), write_parts, keep=_KEEP)


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN
