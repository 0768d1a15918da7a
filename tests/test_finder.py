"""The content finder: the hand-written scorer, the learned line scorer and its model file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from cleaner import finder
from cleaner.finder import find_content, heuristic, line_features, lines_model
from cleaner.linefeatures import FEATURES
from cleaner.trees import TreeEnsemble, load_trees

MENU = ["Home", "News", "Sport", "Culture", "Weather", "Contact", "Subscribe", "Log in"]
ARTICLE = [
    "City council approves new cycling lanes along the river",
    "The council voted on Tuesday evening to build eleven kilometres of protected cycling lanes along "
    "both banks of the river, the largest change to the streets of the city in a generation.",
    "The plan, which passed by nine votes to four, will take three years to complete and cost an "
    "estimated 14 million euros, most of it from a regional transport fund set up last spring.",
    "Supporters said the lanes would make commuting safer for the thousands of residents who already "
    "cycle to work, while opponents warned about the loss of parking spaces in the old town.",
    "Work on the first section, between the station and the university, is due to start in the autumn "
    "and should be finished before the end of next year if the weather allows it.",
]
FOOTER = ["About us", "Privacy policy", "Terms of use", "Cookie settings", "Advertise", "Careers",
          "Follow us", "© 2024 The Daily Example"]


def test_the_model_loads_with_the_codes_features() -> None:
    model = lines_model()
    assert model.features == FEATURES
    assert model.depth > 0 and len(model.roots) >= 50


def test_features_have_one_row_per_line_and_one_column_per_name() -> None:
    lines = MENU + ARTICLE + FOOTER
    found = heuristic(lines, "en")
    assert not found.whole
    x, words = line_features(lines, found)
    assert x.shape == (len(lines), len(FEATURES))
    assert np.isfinite(x).all()
    assert words.tolist() == [len(re.findall(r"\w+", line)) for line in lines]
    probabilities = lines_model().predict(x)
    assert probabilities.shape == (len(lines),)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_the_article_stays_and_the_chrome_goes() -> None:
    lines = MENU + ARTICLE + FOOTER
    verdict = find_content(lines, "en")
    kept = [line for line, keep in zip(lines, verdict.keep, strict=True) if keep]
    assert all(line in kept for line in ARTICLE[1:])
    assert not any(line in kept for line in MENU + FOOTER)
    assert lines[verdict.start] in ARTICLE and verdict.end <= len(MENU) + len(ARTICLE)


def test_a_page_the_hand_written_finder_keeps_whole_stays_whole() -> None:
    prose = ARTICLE[1:]
    assert heuristic(prose, "en").whole
    assert find_content(prose, "en").keep == [True] * len(prose)
    short = ["Home", "Contact", "A short note."]
    assert find_content(short, "en").keep == [True, True, True]
    assert find_content([], "en").keep == []


def test_a_model_with_other_features_is_refused_by_name(tmp_path: Path) -> None:
    data = json.loads(finder.LINES_MODEL.read_text(encoding="utf-8"))
    data["features"] = [*data["features"][:-1], "something_else"]
    path = tmp_path / "lines.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"lines\.json.*train_finder"):
        load_trees(path, FEATURES, "bench/train_finder.py")


def test_the_trees_are_walked_as_written() -> None:
    # One stump on feature 1 (x1 <= 0.5 -> -1, else +2) and one leaf alone (+0.5).
    model = TreeEnsemble.from_dict({
        "features": ["a", "b"], "baseline": 0.25,
        "trees": [
            {"feature": [1, -1, -1], "threshold": [0.5, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0],
             "value": [0, -1.0, 2.0]},
            {"feature": [-1], "threshold": [0], "left": [0], "right": [0], "value": [0.5]},
        ],
    })
    x = np.array([[9.0, 0.5], [9.0, 0.6]])
    assert model.decision(x).tolist() == [-0.25, 2.75]
    assert np.allclose(model.predict(x), 1 / (1 + np.exp([0.25, -2.75])))
