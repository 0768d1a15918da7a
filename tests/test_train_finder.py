"""bench/train_finder.py's line weights: what ``--page-weight`` promises of a page's lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest


def _line_weights() -> tuple[Any, Any]:
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from train_finder import FEATURES, line_weights
    return FEATURES, line_weights


def test_page_weight_one_weighs_each_line_by_its_words_and_zero_each_page_alike() -> None:
    features, line_weights = _line_weights()
    words = np.array([9.0, 99.0, 0.0, 4.0, 4.0])  # a long page of two lines, a short one of three
    page = np.array([7, 7, 3, 3, 3])
    x = np.zeros((len(words), len(features)))
    x[:, features.index("words_log")] = np.log1p(words)
    assert np.array_equal(line_weights(x, page, 1.0), words + 1)
    even = line_weights(x, page, 0.0)
    assert even[:2].sum() == pytest.approx(even[2:].sum())  # each page weighs alike
    assert even[1] / even[0] == pytest.approx(10.0)  # inside a page, lines still by their words
    assert even.mean() == pytest.approx((words + 1).mean())  # the mean weight a line has is kept


def test_fit_styles_outside_the_measured_styles_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt --fit-styles would fit the scorer on no line: it is refused before any work."""
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from train_finder import main

    with pytest.raises(SystemExit) as exited:
        main(["--styles", "scraped,wet", "--fit-styles", "scrapd", "--dry-run"])
    assert exited.value.code == 2
    assert "--fit-styles" in capsys.readouterr().err
