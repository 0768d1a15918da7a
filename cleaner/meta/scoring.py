"""The models that score metadata candidates (headlines, dates, bylines) and how they are loaded.

Each search builds one row of features per candidate, in the order of its feature-name tuple
(`HEADLINE_FEATURES`, `DATE_FEATURES`, `BYLINE_FEATURES`); the model files in `cleaner/models/`
list the same names, in column order, and `load_model` refuses a file whose names differ.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from cleaner.models.trees import TreeEnsemble, trees_from_data

MODELS = Path(__file__).parents[1] / "models"  # the fitted models, written by bench/train_metadata.py


class Scorer(Protocol):
    """What a candidate model does: a score for each row of features, higher is likelier."""

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]: ...


@dataclass(frozen=True)
class LinearModel:
    """A linear scorer over a fixed list of features; `bench/train_metadata.py` fits the weights."""

    weights: tuple[float, ...]
    intercept: float

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        if not rows:
            return []
        result: list[float] = (np.asarray(rows, dtype=np.float64) @ np.asarray(self.weights)
                               + self.intercept).tolist()
        return result


@dataclass(frozen=True)
class TreeModel:
    """Gradient-boosted trees (`cleaner.models.trees`); the score is the log-odds."""

    trees: TreeEnsemble

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        if not rows:
            return []
        result: list[float] = self.trees.decision(np.asarray(rows, dtype=np.float64)).tolist()
        return result


@cache
def load_model(path: Path, features: tuple[str, ...]) -> Scorer:
    """The model in ``path``: trees when the file holds them, else linear weights."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if "trees" in data:
        return TreeModel(trees_from_data(data, path, features))
    names = tuple(data["features"])
    if names != features:
        raise RuntimeError(f"{path}: its features {names} are not the ones the code computes; "
                           "run bench/train_metadata.py again")
    return LinearModel(tuple(float(w) for w in data["weights"]), float(data["intercept"]))


def column(features: tuple[str, ...], name: str) -> int:
    """Where the feature ``name`` sits in a row built for ``features``: code that reads a row
    reads it by name, through constants made with this, never by a number of its own."""
    try:
        return features.index(name)
    except ValueError:
        raise KeyError(f"no feature {name!r} among {features}") from None
