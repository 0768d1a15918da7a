"""Fit the headline, date and byline models (`cleaner/models/*.json`) on a corpus with gold metadata.

    pip install -e '.[train]'
    python bench/train_metadata.py ../shared/corpus/wcxb-dev

Every page is read in both of the corpus's text styles (`scraped/`, inline blocks glued into
long lines, and `scraped-wet/`, one block a line and no blank lines), so that no model learns
to lean on one scraper's blank lines or gluing; both copies of a page are of its host's fold.
`--styles scraped` fits on one. Every copy is run through the rules and the content finder
exactly as `cleaner run --urls` does. Then candidates are labelled against the gold (after the
benchmark's normalisation):

- headline: the lines around the region start (`meta.headline.headline_candidates`), right when
  the line is the gold title once tidied as the pipeline tidies it (`meta.headline_text.tidy_title`:
  the site's name after a separator, a doubled copy, a glued word the slug ends); once on the text
  alone (`headline.json`) and once more with the URL's slug, on pages whose URL has one
  (`headline-slug.json`), both on the copies that are not archive text (`pipeline.archive_text`:
  the scraped ones); and the same two for archive text, whose first line is the page's <title>
  (`headline-archive.json`, `headline-archive-slug.json`), on every copy, each read with its
  first line a candidate and the features that say whether the text is an archive's;
- date: the date-shaped strings of the page (`meta.date.date_candidates`), right when they parse
  to the gold day;
- byline: the name-shaped strings near the headline (`meta.byline.byline_candidates`), right when
  they are the gold author.

All four models are ranking trees (LightGBM's LambdaRank): they learn which candidate of a page
beats the others, not whether each one alone looks like a headline (a date, a byline), so a
section label loses to the headline under it. Their scores are then mapped to the log-odds that
a page's best candidate is right (a logistic fit on the cross-validated best scores, folded into
the trees), so that `MIN_HEADLINE_SCORE`, `MIN_DATE_SCORE` and `MIN_BYLINE_SCORE` stay
probabilities. The byline's calibration also counts the pages whose gold names no author (any
name found there is wrong), so that its threshold weighs how often a page has no author at all:
most listings, shops and service pages, where a menu label in title case ("Select Page",
"Case Studies") otherwise passed for a name. The date's does not: a page whose gold has no
publication date often prints other real days (a game's release, a manual's last update), and
counted so, its threshold would give every page a date all the same (measured: a value on 702 of
702 pages at -4.0 either way).
Before writing, it prints the share of pages whose top candidate is right under 5-fold
cross-validation grouped by host (each host's fold fixed by a hash of its name, so runs on
different versions of the code compare), so that the figure reported is one for sites the
model has not seen, and how many pages get a value at the search's threshold and how many of
those are right. `--dry-run` prints without writing; `--write-only byline` writes one model.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lightgbm  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import PredefinedSplit  # noqa: E402

from cleaner.bench.corpus import load_gold, read_scraped, read_wet  # noqa: E402
from cleaner.bench.metrics import author_matches, normalise_meta  # noqa: E402
from cleaner.find.finder import find_content  # noqa: E402
from cleaner.meta.byline import BYLINE_FEATURES, BYLINE_MODEL, MIN_BYLINE_SCORE, byline_candidates  # noqa: E402
from cleaner.meta.date import DATE_FEATURES, DATE_MODEL, MIN_DATE_SCORE, date_candidates, url_date  # noqa: E402
from cleaner.meta.fields import parse_date, split_authors  # noqa: E402
from cleaner.meta.headline import (  # noqa: E402
    ARCHIVE_HEADLINE_FEATURES,
    ARCHIVE_HEADLINE_MODEL,
    ARCHIVE_SLUG_HEADLINE_FEATURES,
    ARCHIVE_SLUG_HEADLINE_MODEL,
    HEADLINE_FEATURES,
    HEADLINE_MODEL,
    MIN_HEADLINE_SCORE,
    SLUG_HEADLINE_FEATURES,
    SLUG_HEADLINE_MODEL,
    find_title,
    headline_candidates,
    slug_speaks,
)
from cleaner.meta.headline_text import tidy_title  # noqa: E402
from cleaner.meta.scoring import LinearModel, Scorer, TreeModel  # noqa: E402
from cleaner.meta.slug import headline_slug  # noqa: E402
from cleaner.models.trees import TreeEnsemble  # noqa: E402
from cleaner.pipeline import archive_text, prepare_page, run_stages, taken_lines  # noqa: E402
from cleaner.read import read_input  # noqa: E402
from cleaner.rules.load import load_rulebook  # noqa: E402

# The headline rankers: small trees, many of them (7 leaves and 300 trees cross-validate 0.01-0.02
# above 31 leaves or 200 trees, for both models), judged on the order of a page's first five.
RANKER: dict[str, Any] = {"objective": "lambdarank", "n_estimators": 300, "learning_rate": 0.03, "num_leaves": 7,
          "min_child_samples": 40, "lambdarank_truncation_level": 5, "random_state": 0, "verbose": -1}
# The date ranker's leaves may hold fewer candidates: labels it reads are rare (a day of the
# URL's archive month, 'asked' before a day), and 10 cross-validates 0.01 above 40 (778 against
# 766 of 947 page copies right on the fixed folds).
DATE_RANKER: dict[str, Any] = {**RANKER, "min_child_samples": 10}
FOLDS = 5
STYLES = {"scraped": read_scraped, "wet": read_wet}  # the corpus's text styles, each page read in both
MODELS = ("headline", "slug", "headline-archive", "slug-archive", "date", "byline")
REGULARISATION = 1.0  # sklearn's C; 0.1 and 1.0 cross-validate within a point of each other


def host_folds(hosts: Sequence[str], folds: int) -> PredefinedSplit:
    """Cross-validation folds by host, each host's fold fixed by a hash of its name, so that no
    host is in the training and the test part at once and the folds stay the same from one run
    to the next. (Folds balanced by the number of candidates, as GroupKFold makes them, move
    hosts between folds whenever a change adds or drops a candidate anywhere: the figures then
    swung by 0.02 for a change that moved 4 pages on fixed folds.)"""
    return PredefinedSplit(np.array([zlib.crc32(host.encode()) % folds for host in hosts]))


@dataclass
class Samples:
    """Candidates of one model: features, labels, and the page and host each came from."""

    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    kinds: dict[int, str] = field(default_factory=dict)
    styles: dict[int, str] = field(default_factory=dict)
    # Pages whose gold has no value for the field: every candidate of theirs is wrong. They take
    # no part in the ranking (there is nothing to rank), only in the calibration, which then says
    # how likely a page's best candidate is right on any page, not only on pages that have one.
    absent: set[int] = field(default_factory=set)

    def add(self, page: int, host: str, kind: str, features: list[float], label: bool, style: str = "") -> None:
        self.rows.append(features)
        self.labels.append(int(label))
        self.pages.append(page)
        self.hosts.append(host)
        self.kinds[page] = kind
        self.styles[page] = style


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="cross-validate and print, write nothing")
    parser.add_argument("--write-only", choices=MODELS, action="append", default=None, metavar="MODEL",
                        help=f"write only this model ({', '.join(MODELS)}); repeatable. The headline models are "
                             "always fitted, as the date and byline searches read them; the date and byline models "
                             "only when one of them is written")
    parser.add_argument("--styles", default=",".join(STYLES),
                        help=f"the corpus's text styles to fit on, comma-separated (default: {','.join(STYLES)})")
    args = parser.parse_args(argv)
    writes = {name: not args.dry_run and (args.write_only is None or name in args.write_only) for name in MODELS}

    rulebook = load_rulebook()
    titles, slug_titles, dates, bylines = Samples(), Samples(), Samples(), Samples()
    archive_titles, archive_slug_titles = Samples(), Samples()
    styles = [name for name in args.styles.split(",") if name]
    if not styles or any(name not in STYLES for name in styles):
        parser.error(f"--styles takes {', '.join(STYLES)}")
    pages = []
    copies = [(gold, style) for gold in load_gold(args.corpus) for style in styles]
    for number, (gold, style) in enumerate(copies):
        text = read_input(STYLES[style](args.corpus, gold.id), gold.id).text
        page = prepare_page(text, url=gold.url)
        doc = page.doc
        run_stages(page, rulebook, gold.url, until="finder")
        live = [i for i, _ in page.live()]
        lines = [page.lines[i].text for i in live]
        taken = taken_lines(page, live)
        archive = archive_text(page)
        if not lines:
            continue
        verdict = find_content(lines, doc.language)
        start = verdict.start if verdict.start < len(lines) else 0
        host = urlsplit(gold.url).hostname or gold.id
        pages.append((number, gold, style, host, doc, lines, start, verdict.end, taken, archive))
        if gold.title is None:
            continue
        want = normalise_meta(gold.title)
        # The plain headline models read the copies that are not archive text (scraped text);
        # the archive ones every copy, read as an archive's (the first line a candidate), each
        # with its own `archive_text` flag.
        for reads_first, text_samples, slug_samples in ((False, titles, slug_titles),
                                                        (True, archive_titles, archive_slug_titles)):
            if archive and not reads_first:
                continue
            for _, candidate, features in headline_candidates(lines, start, doc.language, None, taken, archive,
                                                              reads_first):
                text_samples.add(number, host, gold.type, features,
                                 normalise_meta(tidy_title(candidate, None)) == want, style)
            with_slug = (headline_candidates(lines, start, doc.language, gold.url, taken, archive, reads_first)
                         if headline_slug(gold.url) else [])
            if slug_speaks(with_slug, reads_first):  # the pages the slug model decides on (see find_title)
                for _, candidate, features in with_slug:
                    right = normalise_meta(tidy_title(candidate, gold.url)) == want
                    slug_samples.add(number, host, gold.type, features, right, style)
    headline_model = fit("headline", titles, HEADLINE_FEATURES, HEADLINE_MODEL, write=writes["headline"],
                         ranker=True, threshold=MIN_HEADLINE_SCORE)
    slug_model = fit("headline, URL with a slug", slug_titles, SLUG_HEADLINE_FEATURES, SLUG_HEADLINE_MODEL,
                     write=writes["slug"], ranker=True, threshold=MIN_HEADLINE_SCORE)
    archive_model = fit("headline, archive text", archive_titles, ARCHIVE_HEADLINE_FEATURES, ARCHIVE_HEADLINE_MODEL,
                        write=writes["headline-archive"], ranker=True, threshold=MIN_HEADLINE_SCORE)
    archive_slug_model = fit("headline, archive text, URL with a slug", archive_slug_titles,
                             ARCHIVE_SLUG_HEADLINE_FEATURES, ARCHIVE_SLUG_HEADLINE_MODEL,
                             write=writes["slug-archive"], ranker=True, threshold=MIN_HEADLINE_SCORE)
    if not (args.dry_run or writes["date"] or writes["byline"]):
        return 0  # (the date and byline models are fitted only to be printed or written)
    # Dates and bylines are looked for next to the headline, picked as the pipeline picks it: by
    # the model just fitted, and only on pages whose rules did not give the title.
    for number, gold, style, host, doc, lines, start, end, taken, archive in pages:
        models = (archive_model, archive_slug_model) if archive else (headline_model, slug_model)
        picked = None if doc.title else find_title(lines, start, doc.language, gold.url, models, taken, archive)
        headline, title = picked if picked else (None, "")
        if not doc.authors:
            for names, features in byline_candidates(lines, start, end, doc.language, headline, title, taken):
                right = gold.author is not None and author_matches(gold.author, split_authors(names) or [])
                bylines.add(number, host, gold.type, features, right, style)
                if gold.author is None:
                    bylines.absent.add(number)
        if gold.date is not None and doc.date is None and url_date(gold.url) is None:
            for value, features in date_candidates(lines, start, end, doc.language, headline, gold.url):
                parsed = parse_date(value, doc.language)
                dates.add(number, host, gold.type, features, parsed is not None and parsed[:10] == gold.date, style)
    fit("date", dates, DATE_FEATURES, DATE_MODEL, write=writes["date"], ranker=True, threshold=MIN_DATE_SCORE,
        settings=DATE_RANKER)
    fit("byline", bylines, BYLINE_FEATURES, BYLINE_MODEL, write=writes["byline"], ranker=True,
        threshold=MIN_BYLINE_SCORE)
    return 0


class _Ranker:
    """LightGBM's LambdaRank over the candidates of each page (rows of a page are contiguous)."""

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.model = lightgbm.LGBMRanker(**(settings or RANKER))

    def fit(self, x: np.ndarray, y: np.ndarray, pages: np.ndarray) -> _Ranker:
        starts = np.flatnonzero(np.r_[True, pages[1:] != pages[:-1]])
        if len(starts) != len(np.unique(pages)):
            raise ValueError("the candidates of a page must be contiguous")
        self.model.fit(x, y, group=np.diff(np.r_[starts, len(pages)]))
        return self

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.predict(x))


def _estimator(ranker: bool, settings: dict[str, Any] | None = None) -> LogisticRegression | _Ranker:
    return _Ranker(settings) if ranker else LogisticRegression(C=REGULARISATION, max_iter=5000)


def _fitted(ranker: bool, x: np.ndarray, y: np.ndarray, pages: np.ndarray,
            settings: dict[str, Any] | None = None) -> LogisticRegression | _Ranker:
    model = _estimator(ranker, settings)
    return model.fit(x, y, pages) if isinstance(model, _Ranker) else model.fit(x, y)


def fit(name: str, samples: Samples, features: tuple[str, ...], path: Path, *, write: bool,
        ranker: bool = False, threshold: float | None = None, settings: dict[str, Any] | None = None) -> Scorer:
    """Cross-validate, print, fit on every page, write (unless a dry run); the fitted model.
    ``ranker`` fits ranking trees, calibrated on the cross-validated scores, instead of a
    logistic regression. ``threshold``: the score the search asks of a page's best candidate; how
    many pages it gives a value, and how many of those are right, are printed. ``settings``: the
    ranker's, when not `RANKER`."""
    x, y, page_of = np.array(samples.rows), np.array(samples.labels), np.array(samples.pages)
    ranked = ~np.isin(page_of, list(samples.absent))  # the rows of pages whose gold has a value
    scores = np.zeros(len(y))
    for train, test in host_folds(samples.hosts, FOLDS).split():
        train = train[ranked[train]]
        scores[test] = _fitted(ranker, x[train], y[train], page_of[train], settings).decision_function(x[test])
    by_type: dict[str, list[bool]] = {}
    by_style: dict[str, list[bool]] = {}
    best_scores, best_right = [], []
    for page, kind in samples.kinds.items():
        mine = page_of == page
        best = int(np.argmax(scores[mine]))
        if page not in samples.absent:
            by_type.setdefault(kind, []).append(bool(y[mine][best]))
            by_style.setdefault(f"{samples.styles[page]}, {'articles' if kind == 'article' else 'others'}",
                                []).append(bool(y[mine][best]))
        best_scores.append(scores[mine][best])
        best_right.append(int(y[mine][best]))
    print(f"{name}: {len(samples.kinds) - len(samples.absent)} pages with candidates, "
          f"{int(ranked.sum())} candidates", file=sys.stderr)
    if samples.absent:
        print(f"  and {len(samples.absent)} pages whose gold has none, in the calibration", file=sys.stderr)
    for kind, values in sorted(by_type.items()):
        print(f"  {kind:14} cross-validated top-1 = {np.mean(values):.3f} ({len(values)} pages)", file=sys.stderr)
    overall = float(np.mean([v for values in by_type.values() for v in values]))
    print(f"  {'all':14} cross-validated top-1 = {overall:.3f}", file=sys.stderr)
    for style, values in sorted(by_style.items()):
        print(f"    {style:16} {np.mean(values):.3f} ({len(values)} pages)", file=sys.stderr)
    model = _fitted(ranker, x[ranked], y[ranked], page_of[ranked], settings)
    trained_on = {"pages_with_candidates": len(samples.kinds) - len(samples.absent), "candidates": int(ranked.sum()),
                  **({"calibrated_with_pages_without_one": len(samples.absent)} if samples.absent else {}),
                  "cross_validated_top1": round(overall, 3),
                  "cross_validated_top1_by_type": {k: round(float(np.mean(v)), 3) for k, v in sorted(by_type.items())},
                  "cross_validated_top1_by_style": {k: round(float(np.mean(v)), 3)
                                                    for k, v in sorted(by_style.items())}}
    if isinstance(model, _Ranker):
        # Ranking scores have no scale of their own: map them to the log-odds that a page's
        # best candidate is right, as seen across the folds.
        calibration = LogisticRegression(C=1e6).fit(np.array(best_scores)[:, None], best_right)
        scale, shift = float(calibration.coef_[0][0]), float(calibration.intercept_[0])
        if threshold is not None:
            given = scale * np.array(best_scores) + shift >= threshold
            right = given & np.array(best_right, dtype=bool)
            print(f"  at the threshold {threshold}: a value on {int(given.sum())} of {len(best_scores)} pages, "
                  f"right on {int(right.sum())} ({right.sum() / max(1, given.sum()):.3f} of them)", file=sys.stderr)
        data = {"about": f"Ranking trees for the {name} search of cleaner.meta (cleaner.models.trees format): "
                         "the score of a page's best candidate is the log-odds that it is right; "
                         "written by bench/train_metadata.py.",
                "features": list(features), **export_ranker(model.model, scale, shift),
                "trained_on": {**trained_on, "calibration": {"scale": round(scale, 4), "shift": round(shift, 4)}}}
        ensemble = TreeEnsemble.from_dict(data)
        if not np.allclose(ensemble.decision(x), scale * model.decision_function(x) + shift, atol=1e-6):
            raise RuntimeError(f"{name}: the exported trees do not score as LightGBM does")
        fitted: Scorer = TreeModel(ensemble)
    else:
        data = {"about": f"Linear {name} scorer for cleaner.meta; written by bench/train_metadata.py.",
                "features": list(features),
                "weights": [round(float(w), 4) for w in model.coef_[0]],
                "intercept": round(float(model.intercept_[0]), 4), "trained_on": trained_on}
        fitted = LinearModel(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]))
    if write:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(data, indent=None if ranker else 1) + "\n", encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return fitted


def export_ranker(fitted: lightgbm.LGBMRanker, scale: float = 1.0, shift: float = 0.0) -> dict[str, object]:
    """LightGBM's trees as flat arrays (the format of `cleaner.models.trees`), every leaf multiplied by
    ``scale`` and ``shift`` as the baseline: the ensemble scores ``scale * raw + shift``."""
    trees = []
    for info in fitted.booster_.dump_model()["tree_info"]:
        tree: dict[str, list[Any]] = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}
        _add_node(tree, info["tree_structure"], scale)
        trees.append(tree)
    return {"baseline": shift, "trees": trees}


def _add_node(tree: dict[str, list[Any]], node: dict[str, Any], scale: float) -> int:
    """Append LightGBM's ``node`` (and, for a split, its subtrees) to the flat arrays of
    ``tree``; its index there."""
    index = len(tree["feature"])
    for name, empty in (("feature", -1), ("threshold", 0.0), ("left", 0), ("right", 0), ("value", 0.0)):
        tree[name].append(empty)
    if "leaf_value" in node:
        tree["value"][index] = round(scale * float(node["leaf_value"]), 9)
        return index
    if node["decision_type"] != "<=":
        raise ValueError(f"unsupported split {node['decision_type']!r}")
    tree["feature"][index] = int(node["split_feature"])
    tree["threshold"][index] = float(node["threshold"])
    tree["left"][index] = _add_node(tree, node["left_child"], scale)
    tree["right"][index] = _add_node(tree, node["right_child"], scale)
    return index


def export_trees(fitted: HistGradientBoostingClassifier) -> dict[str, object]:
    """The fitted trees as flat arrays (the format of `cleaner.models.trees`)."""
    trees = []
    for (predictor,) in fitted._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({
            "feature": np.where(leaf, -1, nodes["feature_idx"]).tolist(),
            "threshold": np.where(leaf, 0.0, nodes["num_threshold"]).tolist(),  # exact: ties decide
            "left": np.where(leaf, 0, nodes["left"]).tolist(),
            "right": np.where(leaf, 0, nodes["right"]).tolist(),
            "value": [round(float(v), 6) for v in np.where(leaf, nodes["value"], 0.0)],
        })
    return {"baseline": float(np.ravel(fitted._baseline_prediction)[0]), "trees": trees}


if __name__ == "__main__":
    raise SystemExit(main())
