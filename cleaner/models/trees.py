"""A small gradient-boosted tree ensemble, read from JSON and evaluated with numpy.

The model file holds the trees as flat arrays, one list per tree and field (the layout
scikit-learn's HistGradientBoostingClassifier uses inside; `bench/train_finder.py` writes it from
scikit-learn, `bench/train_metadata.py` from LightGBM's ranking trees):

    {"features": [...names...], "baseline": -0.3,
     "trees": [{"feature": [...], "threshold": [...], "left": [...], "right": [...],
                "value": [...]}, ...]}

Node 0 is the root. An inner node sends a row left when ``x[feature] <= threshold``, else right;
a leaf has ``feature`` -1 and its ``value`` (the learning rate is already applied). The score of a
row is ``baseline + sum of its leaves``, a log-odds (for the headline rankers, calibrated: that a
page's best candidate is right); `predict` returns the probability. Features
must be finite (the code computing them never gives NaN, so there is no missing-value branch).

All rows and all trees move down together: one gather per level of depth, so a page of a few
hundred lines costs a handful of numpy operations whatever the number of trees. With the compiled
core (`cleaner.core`), the same arrays are walked row by row in Rust and the leaves summed as
numpy sums them, to the same bits; the numpy walk stays the reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from cleaner import core

FIELDS = ("feature", "threshold", "left", "right", "value")


@dataclass(frozen=True)
class TreeEnsemble:
    """Trees padded to one width and laid end to end: node ``t * width + i`` is node i of tree t.
    Leaves point to themselves, so rows that reach one early just stay there.

    A node is named by twice its flat id (its "key"), so that a row's next node is
    ``children[key + goes_left]`` with no multiplication on the way down; the per-node arrays are
    indexed by key (their odd entries are padding, never read)."""

    features: tuple[str, ...]
    baseline: float
    feature: npt.NDArray[np.intp]  # per key; 0 at leaves (never read: their threshold is +inf)
    threshold: npt.NDArray[np.float64]
    # Keys of the children: the right child of the node with key k at k, its left child at k + 1.
    children: npt.NDArray[np.intp]
    value: npt.NDArray[np.float64]
    roots: npt.NDArray[np.intp]  # keys
    depth: int
    # The compiled walk of these arrays (None without the compiled core); made again on unpickling.
    compiled: core.TreeKernel | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.compiled is None and core.KERNEL is not None:
            object.__setattr__(self, "compiled", core.KERNEL.TreeKernel(
                self.feature.tolist(), self.threshold.tolist(), self.children.tolist(),
                self.value.tolist(), self.roots.tolist(), len(self.features)))

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "compiled": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        trees = data["trees"]
        width = max((len(tree["feature"]) for tree in trees), default=1)
        count = len(trees)
        # Each field of every tree in one (trees, width) array, padded with leaves: a few numpy
        # passes over all the nodes rather than a dozen calls per tree (a model loads at every
        # start of the command line).
        f = _padded(trees, "feature", width, -1, np.intp)
        inner = f >= 0
        offset = (np.arange(count, dtype=np.intp) * width)[:, None]
        own = np.arange(count * width, dtype=np.intp).reshape(count, width)  # leaves loop on themselves
        feature = np.where(inner, f, 0).ravel()
        threshold = np.where(inner, _padded(trees, "threshold", width, np.inf, np.float64), np.inf).ravel()
        left = np.where(inner, offset + _padded(trees, "left", width, 0, np.intp), own).ravel()
        right = np.where(inner, offset + _padded(trees, "right", width, 0, np.intp), own).ravel()
        value = np.where(inner, 0.0, _padded(trees, "value", width, 0.0, np.float64)).ravel()
        depth = max((_depth(tree) for tree in trees), default=0)
        children = np.stack([right, left], axis=1).ravel() * 2
        return cls(tuple(data["features"]), float(data["baseline"]), _by_key(feature), _by_key(threshold),
                   children, _by_key(value), np.arange(count, dtype=np.intp) * (2 * width), depth)

    def decision(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Log-odds of every row of ``x`` (rows: samples, columns: `features` in order)."""
        rows, columns = x.shape
        if columns != len(self.features):
            raise ValueError(f"{columns} feature columns given, the model has {len(self.features)}")
        values = np.ascontiguousarray(x, dtype=np.float64)
        if self.compiled is not None and core.KERNEL is not None and rows:
            sums = np.frombuffer(self.compiled.leaf_sums(values.tobytes()), dtype=np.float64)
            compiled: npt.NDArray[np.float64] = self.baseline + sums
            return compiled
        return self.reference_decision(values)

    def reference_decision(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """`decision` by the numpy walk (the reference of the compiled one), of C-contiguous
        float64 rows."""
        rows, columns = values.shape
        flat = values.ravel()
        row_start = (np.arange(rows, dtype=np.intp) * columns)[:, None]
        if self.depth == 0:
            key = np.broadcast_to(self.roots, (rows, len(self.roots)))
        else:
            # Every row starts at the roots: their columns and thresholds are the same for all.
            root_feature, root_threshold = self.feature[self.roots], self.threshold[self.roots]
            key = self.children.take(self.roots + (values[:, root_feature] <= root_threshold))
        # take() and in-place arithmetic rather than fancy indexing and np.where: fewer and
        # cheaper passes over the (rows, trees) node keys at each level.
        for _ in range(self.depth - 1):
            column = self.feature.take(key)
            column += row_start
            goes_left = flat.take(column) <= self.threshold.take(key)
            key += goes_left
            key = self.children.take(key)
        result: npt.NDArray[np.float64] = self.baseline + self.value.take(key).sum(axis=1)
        return result

    def predict(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Probability of the positive class for every row of ``x``."""
        result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-self.decision(x)))
        return result


def _padded(trees: list[dict[str, Any]], field: str, width: int, fill: float,
            dtype: type[Any]) -> npt.NDArray[Any]:
    """``field`` of every tree as a row of a (trees, width) array, ``fill`` after its nodes."""
    result = np.full((len(trees), width), fill, dtype=dtype)
    for row, tree in zip(result, trees, strict=True):
        row[: len(tree[field])] = tree[field]
    return result


def _by_key(per_node: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """A per-node array indexed by key (twice the flat node id)."""
    result = np.zeros(2 * len(per_node), dtype=per_node.dtype)
    result[::2] = per_node
    return result


def _depth(tree: dict[str, Any]) -> int:
    """Longest root-to-leaf path (edges) of one tree."""
    feature, left, right = tree["feature"], tree["left"], tree["right"]
    deepest, stack = 0, [(0, 0)]
    while stack:
        node, level = stack.pop()
        if feature[node] < 0:
            deepest = max(deepest, level)
        else:
            stack += [(left[node], level + 1), (right[node], level + 1)]
    return deepest


def check_features(names: tuple[str, ...], path: Path, features: tuple[str, ...],
                   trainer: str = "bench/train_metadata.py") -> None:
    """A RuntimeError naming the model file ``path`` when the columns it was fitted on
    (``names``) are not ``features`` (the code computes different columns than the model read)."""
    if names != features:
        missing = [f for f in features if f not in names]
        extra = [f for f in names if f not in features]
        raise RuntimeError(f"{path}: its features are not the ones the code computes (missing {missing}, "
                           f"unknown {extra}, or another order); run {trainer} again")
