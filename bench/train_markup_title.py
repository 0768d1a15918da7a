"""Fit the ranker that picks an HTML page's title among its markup's candidates
(`cleaner/models/markup-title.json`, read by `cleaner.meta.markup_title.pick_title`).

    pip install -e '.[train]'
    python bench/train_markup_title.py /work/shared/corpus/wcxb-dev [--dry-run]

Every page with a gold title gives its candidates (`markup_title.title_candidates` on the page's
`markup_sources.markup_candidates`); a candidate is right when it is the gold title after the
benchmark's normalisation. The model is LambdaRank trees, as the other metadata models
(`train_metadata.RANKER`). Printed: the share of pages whose top candidate is right, under 5-fold
cross-validation grouped by host (`train_metadata.host_folds`: no site in the training and the
test part at once) and in-sample, beside the share of pages that have a right candidate at all
and the rule the ranker replaced (`markup.PRIORITY` order with the h1 preferred where the
metadata agrees). Pages without a right candidate count as misses everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lightgbm  # noqa: E402
import numpy as np  # noqa: E402
from selectolax.lexbor import LexborHTMLParser  # noqa: E402
from train_metadata import RANKER, export_ranker, host_folds  # noqa: E402  (beside this script)

from cleaner.bench.corpus import load_gold, read_html  # noqa: E402
from cleaner.bench.metrics import normalise_meta  # noqa: E402
from cleaner.meta import markup  # noqa: E402
from cleaner.meta.markup_fields import site_names  # noqa: E402
from cleaner.meta.markup_sources import markup_candidates  # noqa: E402
from cleaner.meta.markup_title import TITLE_FEATURES, TITLE_MODEL, title_candidates  # noqa: E402
from cleaner.models.trees import TreeEnsemble  # noqa: E402

FOLDS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="cross-validate and print, write nothing")
    args = parser.parse_args()
    rows: list[list[float]] = []
    labels: list[int] = []
    page_of: list[int] = []
    hosts: list[str] = []  # per page
    rule_hits: list[bool] = []  # per page: the former rule's pick is right
    for gold in load_gold(args.corpus):
        if gold.title is None:
            continue
        found = markup_candidates(LexborHTMLParser(read_html(args.corpus, gold.id)))
        url = gold.url or None
        want = normalise_meta(gold.title)
        number = len(hosts)
        hosts.append(urlsplit(gold.url).hostname or gold.id)
        rule = markup.choose(found, url, {"title": markup.PRIORITY["title"]}, ranked_title=False).title
        rule_hits.append(rule is not None and normalise_meta(rule) == want)
        for text, _, features in title_candidates(found, site_names(found, url), url):
            rows.append(features)
            labels.append(int(normalise_meta(text) == want))
            page_of.append(number)
    x, y, pages = np.array(rows), np.array(labels), np.array(page_of)
    answerable = {int(p) for p in pages[y == 1]}
    trainable = np.isin(pages, list(answerable))
    page_hosts = [hosts[p] for p in pages]
    scores = np.zeros(len(y))
    for train, test in host_folds(page_hosts, FOLDS).split():
        train = train[trainable[train]]
        scores[test] = _ranker(x[train], y[train], pages[train]).predict(x[test])
    cross = _top1(scores, y, pages, len(hosts))
    model = _ranker(x[trainable], y[trainable], pages[trainable])
    inside = _top1(np.asarray(model.predict(x)), y, pages, len(hosts))
    print(f"{len(hosts)} pages with a gold title, {len(y)} candidates; a right candidate on "
          f"{len(answerable) / len(hosts):.3f} of the pages", file=sys.stderr)
    print(f"  former rule {np.mean(rule_hits):.3f}; ranker: cross-validated by host {cross:.3f}, "
          f"in-sample {inside:.3f}", file=sys.stderr)
    data = {"about": "Ranking trees for the title among an HTML page's markup candidates "
                     "(cleaner.meta.markup_title; cleaner.models.trees format); "
                     "written by bench/train_markup_title.py.",
            "features": list(TITLE_FEATURES), **export_ranker(model),
            "trained_on": {"pages": len(hosts), "candidates": len(y),
                           "answerable": round(len(answerable) / len(hosts), 3),
                           "cross_validated_top1": round(cross, 3),
                           "in_sample_top1": round(inside, 3)}}
    ensemble = TreeEnsemble.from_dict(data)
    if not np.allclose(ensemble.decision(x), model.predict(x), atol=1e-6):
        raise RuntimeError("the exported trees do not score as LightGBM does")
    if not args.dry_run:
        TITLE_MODEL.write_text(json.dumps(data) + "\n", encoding="utf-8")
        print(f"wrote {TITLE_MODEL}", file=sys.stderr)
    return 0


def _ranker(x: np.ndarray, y: np.ndarray, pages: np.ndarray) -> lightgbm.LGBMRanker:
    starts = np.flatnonzero(np.r_[True, pages[1:] != pages[:-1]])
    return lightgbm.LGBMRanker(**RANKER).fit(x, y, group=np.diff(np.r_[starts, len(pages)]))


def _top1(scores: np.ndarray, y: np.ndarray, pages: np.ndarray, count: int) -> float:
    """Share of the ``count`` pages whose best-scored candidate is right (the first on ties)."""
    right = 0
    for page in np.unique(pages):
        mine = np.flatnonzero(pages == page)
        right += int(y[mine[int(np.argmax(scores[mine]))]])
    return right / count


if __name__ == "__main__":
    raise SystemExit(main())
