"""Fit the HTML line scorer of the content finder (`cleaner/models/lines-html.json`) on a corpus with gold text.

    pip install -e '.[train]'
    python bench/train_finder_html.py ../shared/corpus/wcxb-dev

The same machinery as `bench/train_finder.py` (its labels, trees and export), on the corpus HTML:
every page is read by the HTML reader and run through the rules as the pipeline does before it
calls `find_content`; each line gets the text features (`cleaner/find/linefeatures.py`) and the
markup's (`cleaner/find/domfeatures.py`), and is labelled article when most of its words are
still left in the gold text. Lines come from every page the hand-written finder scores (not only
those it cuts: with the markup to read, the scorer may also decide on pages the text finder keeps
whole; `--settings` says where it does).

One round only: the HTML scorer never sees clean text. The settling pass cleans the output again
as text, with the text scorer (which was fitted in rounds for that); the "unstable" column counts
outputs a second `clean` of the text would still change.

Before writing, it prints word F1 of the whole pipeline's output against the gold, per page type,
each page cleaned with a scorer that did not see its host (5 folds grouped by host), for the text
finder on the HTML lines (no HTML scorer) and for each setting of the HTML finder (gate, threshold,
doubt, sure), and, when ``--reference`` names trafilatura's cached outputs, trafilatura's figures
on the same pages. `--dry-run` prints without writing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402
from train_finder import FOLDS, fit, labels, print_header, print_row  # noqa: E402  (beside this script)
from train_metadata import export_trees  # noqa: E402

from cleaner import pipeline  # noqa: E402
from cleaner.bench.corpus import load_gold  # noqa: E402
from cleaner.bench.metrics import word_prf, word_tokens  # noqa: E402
from cleaner.errors import PageError  # noqa: E402
from cleaner.find import finder  # noqa: E402
from cleaner.models.trees import TreeEnsemble  # noqa: E402
from cleaner.rules.load import load_rulebook  # noqa: E402
from cleaner.rules.rulebook import Rulebook  # noqa: E402

FloatArray = npt.NDArray[np.float64]

# (gate, threshold, doubt, sure, least share of the words kept): the settings measured; the first
# is the shipped one (finder.HTML_*).
Settings = tuple[bool, float, float, float, float]
SETTINGS: dict[str, Settings] = {
    "no-gate": (False, 0.45, 0.3, 0.6, 0.1),
    "gate": (True, 0.45, 0.3, 0.6, 0.1),
    "no-gate-loose": (False, 0.45, 0.45, 0.5, 0.1),
    "guard-0.3": (False, 0.45, 0.3, 0.6, 0.3),
    "guard-0": (False, 0.45, 0.3, 0.6, 0.0),
}


def _pages(corpus: Path) -> list[tuple[str, str, str, str | None, str]]:
    """(id, type, host, url, gold text) of every page."""
    out = []
    for gold in load_gold(corpus):
        host = (urlsplit(gold.url).hostname or gold.id).removeprefix("www.")
        out.append((gold.id, gold.type, host, gold.url or None, gold.main_content))
    return out


_RULEBOOK: list[Rulebook] = []


def _rulebook() -> Rulebook:
    if not _RULEBOOK:
        _RULEBOOK.append(load_rulebook())
    return _RULEBOOK[0]


def _html(corpus: Path, page_id: str) -> bytes:
    return (corpus / "html" / f"{page_id}.html.gz").read_bytes()


def first_pass(job: tuple[Path, str, str | None, str]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int_]]:
    """The HTML scorer's rows of one page (features, labels): the lines `find_content` sees."""
    corpus, page_id, url, gold = job
    from cleaner.read import read_input
    read = read_input(_html(corpus, page_id), f"{page_id}.html.gz")
    lines = read.lines()
    empty = (np.zeros((0, len(finder.HTML_FEATURES)), np.float32), np.zeros(0, np.int_))
    if not lines:
        return empty
    page = pipeline.prepare_page("\n".join(line.text for line in lines), url=url, lines=lines)
    pipeline.run_stages(page, _rulebook(), url, until="finder")
    live = [line for _, line in page.live()]
    texts = [line.text for line in live]
    found = finder.heuristic(texts, page.doc.language)
    if not found.scores:
        return empty
    x, _ = finder.html_line_features(texts, found, [line.attrs or {} for line in live])
    y = labels([Counter(word_tokens(text)) for text in texts], Counter(word_tokens(gold)))
    return x.astype(np.float32), np.array(y)


def clean_page(job: tuple[Path, str, str | None, str | None, Settings | None]
               ) -> tuple[str, bool, float]:
    """One page cleaned as HTML with the model in ``model_path`` and the settings given (None:
    the text finder on the HTML lines); its text, whether a second clean leaves it, and the time."""
    corpus, page_id, url, model_path, settings = job
    started = time.perf_counter()
    with _scorer(model_path, settings):
        try:
            text = pipeline.clean(_html(corpus, page_id), _rulebook(), url=url, name=f"{page_id}.html.gz").text
        except PageError:
            text = ""
        seconds = time.perf_counter() - started
        try:
            steady = not text.strip() or pipeline.clean_text(text, _rulebook(), url=url).text == text
        except PageError:
            steady = False
    return text, steady, seconds


_MODELS: dict[str, TreeEnsemble] = {}


def _text_finder(lines: Sequence[str], language: str | None, attrs: object = None) -> finder.Verdict:
    """`find_content` as it was before HTML lines had a scorer: their markup is not passed on."""
    return finder.find_content(lines, language)


def _scorer(model_path: str | None, settings: Settings | None) -> ExitStack:
    """The pipeline with the HTML scorer in ``model_path`` and ``settings``; None: without it."""
    stack = ExitStack()
    if model_path is None or settings is None:
        stack.enter_context(patch.object(pipeline, "find_content", _text_finder))
        return stack
    if model_path not in _MODELS:
        _MODELS[model_path] = TreeEnsemble.from_dict(json.loads(Path(model_path).read_text()))
    ensemble = _MODELS[model_path]
    gate, threshold, doubt, sure, least = settings
    stack.enter_context(patch.object(finder, "html_lines_model", lambda: ensemble))
    for name, value in (("HTML_GATE", gate), ("HTML_THRESHOLD", threshold), ("HTML_DOUBT", doubt),
                        ("HTML_SURE", sure), ("HTML_MIN_KEPT_SHARE", least)):
        stack.enter_context(patch.object(finder, name, value))
    return stack


def export(fitted: object, figures: dict[str, float], lines: int, settings: str) -> dict[str, object]:
    return {
        "about": "HTML line scorer of cleaner.find.finder (probability that a line is article text); "
                 "written by bench/train_finder_html.py.",
        "features": list(finder.HTML_FEATURES),
        "trained_on": {"lines": lines, "settings": settings,
                       "cross_validated_word_f1": {k: round(v, 4) for k, v in figures.items()}},
        **export_trees(fitted),
    }


def cross_validate(args: argparse.Namespace, pages: Sequence[tuple[str, str, str, str | None, str]],
                   x: FloatArray, y: npt.NDArray[np.int_], page_of: npt.NDArray[np.int_]) -> dict[str, float]:
    """Print word F1 per page type, each page cleaned with a scorer that did not see its host;
    the figures of the first setting."""
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr)

    hosts = [p[2] for p in pages]
    folds = list(GroupKFold(FOLDS).split(np.zeros(len(pages)), groups=hosts))
    kinds = [p[1] for p in pages]

    def by_type(values: Sequence[float]) -> dict[str, float]:
        groups: dict[str, list[float]] = {}
        for kind, value in zip(kinds, values, strict=True):
            groups.setdefault(kind, []).append(value)
        row = {kind: float(np.mean(v)) for kind, v in groups.items()}
        row["all"] = float(np.mean(values))
        return row

    def f1(outputs: Sequence[str]) -> list[float]:
        return [word_prf(p[4], out).f1 for p, out in zip(pages, outputs, strict=True)]

    print_header()
    if args.reference:
        cached = json.loads(args.reference.read_text())
        reference = [cached.get(p[0], ["", 0.0]) for p in pages]
        print_row("trafilatura", by_type(f1([r[0] for r in reference])),
                  f"{sum(r[1] for r in reference) / 1000:.0f} s")

    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(args.jobs) as pool:
        paths = []
        for k, (_, test) in enumerate(folds):
            train = ~np.isin(page_of, test)
            path = os.path.join(tmp, f"fold{k}.json")
            Path(path).write_text(json.dumps(export(fit(x[train], y[train], page_of[train]), {}, 0, "")))
            paths.append(path)
        say("fitted the folds' scorers")

        def run(settings: Settings | None) -> tuple[list[str], list[bool], float]:
            jobs = [(args.corpus, pages[i][0], pages[i][3], paths[k] if settings else None, settings)
                    for k, (_, test) in enumerate(folds) for i in test]
            order = [i for _, test in folds for i in test]
            outputs, steady, seconds = [""] * len(pages), [True] * len(pages), 0.0
            for i, (text, ok, sec) in zip(order, pool.map(clean_page, jobs, chunksize=8), strict=True):
                outputs[i], steady[i], seconds = text, ok, seconds + sec
            return outputs, steady, seconds

        if not args.no_baseline:
            outputs, steady, seconds = run(None)
            print_row("text finder on HTML", by_type(f1(outputs)),
                      f"unstable {steady.count(False)}, {seconds:.0f} s")
        figures: dict[str, float] = {}
        for name in args.settings.split(","):
            outputs, steady, seconds = run(SETTINGS[name])
            row = by_type(f1(outputs))
            figures = figures or row
            print_row(f"HTML scorer, {name}", row, f"unstable {steady.count(False)}, {seconds:.0f} s")

    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--settings", default=",".join(SETTINGS), help="settings to measure, comma-separated")
    parser.add_argument("--reference", type=Path, help="trafilatura's outputs: JSON {id: [text, ms]}")
    parser.add_argument("--no-baseline", action="store_true", help="skip the text finder's row")
    parser.add_argument("--every", type=int, default=1, help="every Kth page only (a quick look)")
    parser.add_argument("--no-cv", action="store_true", help="fit and write the scorer without measuring it")
    parser.add_argument("--rows", type=Path, help="keep the first pass's lines in this .npz (read it when it exists)")
    parser.add_argument("--dry-run", action="store_true", help="cross-validate and print, write nothing")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr)

    pages = _pages(args.corpus)[:: args.every]
    if args.rows and args.rows.exists():
        with np.load(args.rows) as kept:
            x, y, page_of = kept["x"].astype(np.float64), kept["y"], kept["page"]
    else:
        with ProcessPoolExecutor(args.jobs) as pool:
            rows = list(pool.map(first_pass, [(args.corpus, p[0], p[3], p[4]) for p in pages], chunksize=8))
        page_of = np.concatenate([np.full(len(y), i) for i, (_, y) in enumerate(rows)])
        x = np.concatenate([r[0] for r in rows]).astype(np.float64)
        y = np.concatenate([r[1] for r in rows])
        del rows
        if args.rows:
            np.savez(args.rows, x=x.astype(np.float32), y=y, page=page_of)
    say(f"{len(pages)} pages: {len(y)} lines ({y.mean():.3f} article), {x.shape[1]} features")

    figures: dict[str, float] = {}
    if not args.no_cv:
        figures = cross_validate(args, pages, x, y, page_of)
    fitted = fit(x, y, page_of)
    first = args.settings.split(",")[0]
    data = export(fitted, figures, len(y), f"{first}: {SETTINGS[first]}")
    say(f"fitted on {len(y)} lines")
    if args.dry_run:
        return 0
    finder.HTML_LINES_MODEL.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    say(f"wrote {finder.HTML_LINES_MODEL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
