"""The tree ensembles of cleaner/models/trees.py: read from JSON, evaluated with numpy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cleaner.meta.headline import HEADLINE_FEATURES, HEADLINE_MODEL
from cleaner.meta.scoring import load_model
from cleaner.models.store import load_trees
from cleaner.models.trees import TreeEnsemble

# Two stumps and one tree of depth two, over features a and b.
MODEL = {
    "features": ["a", "b"],
    "baseline": -1.0,
    "trees": [
        {"feature": [0, -1, -1], "threshold": [0.5, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0],
         "value": [0, -0.5, 0.5]},
        {"feature": [1, -1, -1], "threshold": [10.0, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0],
         "value": [0, 0.25, -0.25]},
        {"feature": [0, 1, -1, -1, -1], "threshold": [2.0, 3.0, 0, 0, 0], "left": [1, 2, 0, 0, 0],
         "right": [4, 3, 0, 0, 0], "value": [0, 0, 1.0, 2.0, 3.0]},
    ],
}


def by_hand(a: float, b: float) -> float:
    first = -0.5 if a <= 0.5 else 0.5
    second = 0.25 if b <= 10.0 else -0.25
    third = (1.0 if b <= 3.0 else 2.0) if a <= 2.0 else 3.0
    return -1.0 + first + second + third


@pytest.mark.parametrize(("a", "b"), [(0.0, 0.0), (0.5, 3.0), (1.0, 3.5), (2.0, 11.0), (5.0, -1.0)])
def test_every_row_goes_down_every_tree(a: float, b: float) -> None:
    ensemble = TreeEnsemble.from_dict(MODEL)
    assert ensemble.decision(np.array([[a, b]]))[0] == pytest.approx(by_hand(a, b))


def test_a_page_of_rows_at_once() -> None:
    rows = np.array([[0.0, 0.0], [1.0, 3.5], [5.0, -1.0]])
    ensemble = TreeEnsemble.from_dict(MODEL)
    assert ensemble.decision(rows).tolist() == pytest.approx([by_hand(*row) for row in rows])
    probability = ensemble.predict(rows)
    assert ((probability > 0) & (probability < 1)).all()


def test_a_model_for_other_features_names_its_file(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(MODEL), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"model\.json: its features are not the ones the code computes"):
        load_trees(path, ("a", "c"))


def test_the_shipped_headline_model_loads() -> None:
    model = load_model(HEADLINE_MODEL, HEADLINE_FEATURES)
    assert len(model.scores([[0.0] * len(HEADLINE_FEATURES)])) == 1


def test_the_export_matches_scikit_learn() -> None:
    """What bench/train_metadata.py and bench/train_finder.py write scores as the fitted model does."""
    pytest.importorskip("sklearn")
    import sys

    from sklearn.ensemble import HistGradientBoostingClassifier

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from train_metadata import export_trees

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    fitted = HistGradientBoostingClassifier(max_iter=20, max_depth=4, random_state=0).fit(x, y)
    ensemble = TreeEnsemble.from_dict({"features": ["a", "b", "c"], **export_trees(fitted)})
    assert np.allclose(ensemble.decision(x), fitted.decision_function(x), atol=1e-4)


def test_the_ranker_export_matches_lightgbm() -> None:
    """What bench/train_metadata.py writes for a headline ranker scores as LightGBM does, with
    its calibration (scale, shift) applied."""
    pytest.importorskip("lightgbm")
    import sys

    import lightgbm

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from train_metadata import export_ranker

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 1).astype(int)
    fitted = lightgbm.LGBMRanker(n_estimators=20, num_leaves=5, min_child_samples=5, verbose=-1)
    fitted.fit(x, y, group=[20] * 20)
    ensemble = TreeEnsemble.from_dict({"features": ["a", "b", "c"], **export_ranker(fitted, 0.5, -1.0)})
    assert np.allclose(ensemble.decision(x), 0.5 * fitted.predict(x) - 1.0, atol=1e-6)


def test_a_model_stored_in_the_cache_folder_reads_back_the_same(tmp_path: Path) -> None:
    """With a cache folder, a model's trees are stored once and read back on later starts the
    same (and scored the same); a damaged stored file is a miss, and a changed model file is
    read afresh, never served from the old one's store."""
    from cleaner import cachefiles
    from cleaner.models.store import read_model

    path = tmp_path / "model.json"
    path.write_text(json.dumps(MODEL), encoding="utf-8")
    rows = np.array([[0.0, 0.0], [1.0, 3.5], [5.0, -1.0]])
    expected = TreeEnsemble.from_dict(MODEL).decision(rows).tolist()
    folder = tmp_path / "cache"
    previous = cachefiles.folder()
    cachefiles.use_folder(folder)
    try:
        first = read_model(path)
        [stored] = folder.glob("model-*.pickle")
        again = read_model(path)
        assert again.trees is not None and again.trees.decision(rows).tolist() == expected
        assert again.fields == first.fields == {k: v for k, v in MODEL.items() if k != "trees"}
        stored.write_bytes(b"not a pickle")
        assert read_model(path).trees is not None  # a miss: read from the JSON
        changed = {**MODEL, "baseline": float(MODEL["baseline"]) + 1.0}  # type: ignore[arg-type]
        path.write_text(json.dumps(changed), encoding="utf-8")
        moved = read_model(path)
        assert moved.trees is not None
        assert moved.trees.decision(rows).tolist() == pytest.approx([v + 1.0 for v in expected])
    finally:
        cachefiles.use_folder(previous)
