"""Quality gate: the cleaner must not score below the floors pinned in quality_floors.json.

Runs the benchmark harness in-process, without peers, on a fixed type-balanced slice of the
WCXB development corpus. The corpus lives beside the project (../shared/corpus/wcxb-dev) or where
CLEANER_CORPUS points; without it the gate is skipped, as it cannot measure anything.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from cleaner.bench import Report, headline, peers, run_pages, summarise
from cleaner.bench.corpus import GOLD_FILE, gate_slice, load_gold, read_scraped
from cleaner.errors import PageError
from cleaner.pipeline import clean
from cleaner.rules.load import ENV_RULES, load_rulebook

FLOORS_FILE = Path(__file__).with_name("quality_floors.json")
CORPUS_ENV = "CLEANER_CORPUS"
DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wcxb-dev"


def _floors() -> dict[str, Any]:
    """The pinned floors file."""
    data: dict[str, Any] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    return data


def _corpus_dir() -> Path:
    """The corpus to measure on; skip when there is none, fail when CLEANER_CORPUS is wrong."""
    configured = os.environ.get(CORPUS_ENV)
    if configured:
        path = Path(configured)
        if not (path / GOLD_FILE).is_file():
            pytest.fail(f"{CORPUS_ENV}={configured} has no {GOLD_FILE}")
        return path
    if not (DEFAULT_CORPUS / GOLD_FILE).is_file():
        pytest.skip(f"WCXB corpus not found at {DEFAULT_CORPUS} (set {CORPUS_ENV} to point to it)")
    return DEFAULT_CORPUS


# The floors hold twice: for `cleaner run --urls` (each page's URL given, the harness default)
# and for the text alone, which is all a user without URLs has.
MODES = {"floors": True, "floors_without_urls": False}


@functools.cache
def _report(with_urls: bool) -> Report:
    """The cleaner's figures on the gate slice, computed once per mode for all floor checks."""
    corpus = _corpus_dir()
    slice_spec = _floors()["slice"]
    pages = gate_slice(load_gold(corpus), slice_spec["articles"], slice_spec["per_other_type"])
    jobs = min(2, os.cpu_count() or 1)
    with pytest.MonkeyPatch.context() as patch:  # the built-in rules alone, as the floors were
        patch.delenv(ENV_RULES, raising=False)
        results = run_pages(corpus, pages, with_peers=False, with_urls=with_urls, jobs=jobs)
    return summarise(results, str(corpus), dict(slice_spec))


@pytest.fixture(scope="module")
def report() -> Report:
    return _report(True)


@pytest.mark.parametrize(("mode", "name"), [(mode, name) for mode in MODES
                                            for name in sorted(_floors()[mode])])
def test_figure_is_at_or_above_its_floor(mode: str, name: str) -> None:
    floor = _floors()[mode][name]
    value = headline(_report(MODES[mode]).systems[peers.CLEANER]).get(name)
    assert value is not None, f"no figure named {name!r} in the harness output"
    assert value >= floor, f"{name} ({mode}) = {value:.4f} fell below its floor {floor}"


def test_cleaner_does_not_fail_on_any_page(report: Report) -> None:
    failed = [(p["id"], p["error"]) for p in report.cleaner_pages if p["error"]]
    assert not failed, f"the cleaner raised on {len(failed)} page(s): {failed[:5]}"


def test_cleaning_real_pages_again_changes_nothing() -> None:
    """Idempotence on real pages of every type, not only on fixtures: a cleaned text fed back
    comes out unchanged (the pages of the gate slice, built-in rules)."""
    corpus = _corpus_dir()
    slice_spec = _floors()["slice"]
    pages = gate_slice(load_gold(corpus), slice_spec["articles"], slice_spec["per_other_type"])
    rulebook = load_rulebook()
    drifted = []
    for page in pages:
        try:
            first = clean(read_scraped(corpus, page.id), rulebook, url=page.url or None)
        except PageError:
            continue
        if first.text and clean(first.text.encode(), rulebook, url=page.url or None).text != first.text:
            drifted.append(page.id)
    assert drifted == []
