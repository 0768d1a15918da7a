"""The learned models' files, read once and kept ready between starts.

A model ships as JSON (`cleaner.models.trees` describes the trees' layout): parsing it and laying
its trees out for the walk took 8 to 10 ms a model, about 50 ms of a one-page run of the command
line. When the caller names a cache folder (`cleaner.cachefiles.use_folder`; the CLI does), each
model read is stored there, ready to use, and read back on later starts in about a millisecond.

The key covers the model file's bytes and the code that lays trees out (this module and
`trees.py`), numpy's version (the arrays are pickled) and this module's format; it is stored in
the file and compared on reading, so a hit is never wrong, and a file that cannot be read is a
miss: the model is read from its JSON as without a cache.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cleaner import cachefiles
from cleaner.models.trees import TreeEnsemble, check_features

FORMAT = 1  # bump when what is stored changes shape without the code files changing
_PREFIX = "model-"
_KEEP = 24  # files kept: every shipped model, about twice over (a model retrained, an upgrade)
_CODE = (Path(__file__), Path(__file__).with_name("trees.py"))


@dataclass(frozen=True)
class ModelFile:
    """What one model file holds: its trees laid out for the walk (None for a linear model) and
    the rest of its JSON (``features``, ``baseline``, a linear model's ``weights``…)."""

    fields: dict[str, Any]
    trees: TreeEnsemble | None


def read_model(path: Path) -> ModelFile:
    """The model in ``path``: from the cache folder when it is stored there, else parsed from
    the file (and stored, when there is a folder)."""
    data = path.read_bytes()
    folder = cachefiles.folder()
    key = _key(data) if folder is not None else ""
    if folder is not None:
        stored = _read(_file(folder, key), key)
        if stored is not None:
            return stored
    parsed = json.loads(data)
    trees = TreeEnsemble.from_dict(parsed) if "trees" in parsed else None
    model = ModelFile({name: value for name, value in parsed.items() if name != "trees"}, trees)
    if folder is not None:
        cachefiles.store(_file(folder, key), lambda stream: pickle.dump(
            (FORMAT, key, model), stream, protocol=pickle.HIGHEST_PROTOCOL), keep=_KEEP)
    return model


def load_trees(path: Path, features: tuple[str, ...], trainer: str = "bench/train_metadata.py") -> TreeEnsemble:
    """The trees in ``path``; a RuntimeError naming the file when they hold no trees or their
    features are not ``features``."""
    return trees_of(read_model(path), path, features, trainer)


def trees_of(model: ModelFile, path: Path, features: tuple[str, ...],
             trainer: str = "bench/train_metadata.py") -> TreeEnsemble:
    """The trees of ``model``, read from ``path``; a RuntimeError naming the file when they are
    none or their features are not ``features``."""
    check_features(tuple(model.fields["features"]), path, features, trainer)
    if model.trees is None:
        raise RuntimeError(f"{path}: it holds no trees; run {trainer} again")
    return model.trees


def _key(data: bytes) -> str:
    digest = hashlib.sha256(f"format {FORMAT}; python {sys.version}; numpy {np.__version__}".encode())
    for code in _CODE:
        digest.update(code.read_bytes())
    digest.update(data)
    return digest.hexdigest()


def _file(folder: Path, key: str) -> Path:
    return folder / f"{_PREFIX}{key[:32]}.pickle"


def _read(path: Path, key: str) -> ModelFile | None:
    try:
        with path.open("rb") as stream:
            stored = pickle.load(stream)
    except Exception:  # a missing, truncated or foreign file: read the model's JSON
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (FORMAT, key)
            and isinstance(stored[2], ModelFile)):
        return None
    return stored[2]
