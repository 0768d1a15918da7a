"""Quality gate: the cleaner must not score below the floors pinned in quality_floors.json.

Runs the benchmark harness in-process, without peers, on a fixed type-balanced slice of the
WCXB development corpus: the cleaner on the scraped text (with and without URLs) and on the
HTML (skipped, saying so, while clean() refuses HTML). The corpus lives beside the project
(../shared/corpus/wcxb-dev) or where CLEANER_CORPUS points; without it the gate is skipped, as it
cannot measure anything.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import pytest

import cleaner.read
from cleaner.bench import Report, headline, peers, run_pages, summarise
from cleaner.bench.corpus import GOLD_FILE, gate_slice, load_gold, read_scraped
from cleaner.cli.options import ENV_RULES
from cleaner.errors import PageError
from cleaner.pipeline import clean
from cleaner.read.kinds import HTML as HTML_KIND
from cleaner.rules.load import load_rulebook

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


# The text floors hold twice: for `cleaner run --urls` (each page's URL given, the harness
# default) and for the text alone, which is all a user without URLs has. The HTML floors hold for
# the cleaner on the page's HTML file, with its URL.
MODES: dict[str, tuple[str, bool]] = {
    "floors": (peers.CLEANER, True),
    "floors_without_urls": (peers.CLEANER, False),
    "floors_html": (peers.CLEANER_HTML, True),
}

PROBE_HTML = (
    "<html><head><title>Council meets</title></head><body><article><h1>Council meets</h1>"
    + "<p>The council met on Tuesday evening to discuss the budget for the coming year, and most "
    "members agreed that the library and the parks should keep their funding.</p>" * 3
    + "</article></body></html>"
).encode()


@functools.cache
def _html_refusal() -> str | None:
    """Why clean() refuses HTML on this branch, None once it reads it. Only a refusal of HTML as
    a kind without a reader counts: a plain article refused for any other reason fails."""
    try:
        clean(PROBE_HTML, load_rulebook(), name="probe.html")
    except PageError as exc:
        if HTML_KIND in getattr(cleaner.read, "NOT_YET_READ", {}):
            return str(exc)
        pytest.fail(f"clean() refused a plain HTML article: {exc}")
    return None


def _skip_unless_read(system: str) -> None:
    """Skip the HTML checks while clean() refuses HTML, saying so."""
    if system == peers.CLEANER_HTML:
        refusal = _html_refusal()
        if refusal is not None:
            pytest.skip(f"clean() refuses HTML on this branch, so the HTML floors wait for the "
                        f"HTML reader ({refusal})")


@functools.cache
def _report(system: str, with_urls: bool) -> Report:
    """One system's figures on the gate slice, computed once per mode for all floor checks."""
    corpus = _corpus_dir()
    slice_spec = _floors()["slice"]
    pages = gate_slice(load_gold(corpus), slice_spec["articles"], slice_spec["per_other_type"])
    jobs = min(2, os.cpu_count() or 1)
    with pytest.MonkeyPatch.context() as patch:  # the built-in rules alone, as the floors were
        patch.delenv(ENV_RULES, raising=False)
        results = run_pages(corpus, pages, [system], with_urls=with_urls, jobs=jobs)
    return summarise(results, str(corpus), dict(slice_spec))


@pytest.mark.parametrize(("mode", "name"), [(mode, name) for mode in MODES
                                            for name in sorted(_floors()[mode])])
def test_figure_is_at_or_above_its_floor(mode: str, name: str) -> None:
    system, with_urls = MODES[mode]
    _skip_unless_read(system)
    floor = _floors()[mode][name]
    value = headline(_report(system, with_urls).systems[system]).get(name)
    assert value is not None, f"no figure named {name!r} in the harness output"
    assert value >= floor, f"{name} ({mode}) = {value:.4f} fell below its floor {floor}"


@pytest.mark.parametrize("system", [peers.CLEANER, peers.CLEANER_HTML])
def test_cleaner_does_not_fail_on_any_page(system: str) -> None:
    _skip_unless_read(system)
    pages = _report(system, True).our_pages[system]
    failed = [(p["id"], p["error"]) for p in pages if p["error"]]
    assert not failed, f"{system} raised on {len(failed)} page(s): {failed[:5]}"


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
