"""The models that score metadata candidates (headlines, dates, bylines) and how they are loaded.

Each search builds one row of features per candidate, in the order of its feature-name tuple
(`HEADLINE_FEATURES`, `DATE_FEATURES`, `BYLINE_FEATURES`); the model files in `cleaner/models/`
list the same names, in column order, and `load_model` refuses a file whose names differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from cleaner.models.store import read_model
from cleaner.models.trees import TreeEnsemble, check_features

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
    model = read_model(path)
    check_features(tuple(model.fields["features"]), path, features)
    if model.trees is not None:
        return TreeModel(model.trees)
    return LinearModel(tuple(float(w) for w in model.fields["weights"]), float(model.fields["intercept"]))


def column(features: tuple[str, ...], name: str) -> int:
    """Where the feature ``name`` sits in a row built for ``features``: code that reads a row
    reads it by name, through constants made with this, never by a number of its own."""
    try:
        return features.index(name)
    except ValueError:
        raise KeyError(f"no feature {name!r} among {features}") from None
