"""Fit the headline model (`cleaner/models/headline.json`) on a corpus with gold titles.

    pip install -e '.[train]'
    python bench/train_headline.py ../shared/corpus/wcxb-dev

Every page is run through the rules and the content finder exactly as `cleaner run` does; the
candidate lines around the region start (`cleaner.metadata.headline_candidates`) are labelled
by whether they equal the gold title (after the benchmark's normalisation), and a logistic
regression is fitted on their features. Before writing, it prints the share of pages whose top
candidate is the gold title under 5-fold cross-validation grouped by host, so that the figure
reported is one for sites the model has not seen. `--dry-run` prints without writing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from cleaner import language  # noqa: E402
from cleaner.bench.corpus import load_gold, read_scraped  # noqa: E402
from cleaner.bench.metrics import normalise_meta  # noqa: E402
from cleaner.document import Document  # noqa: E402
from cleaner.finder import find_content  # noqa: E402
from cleaner.metadata import _MODEL, HEADLINE_FEATURES, headline_candidates  # noqa: E402
from cleaner.pipeline import Page, run_rules  # noqa: E402
from cleaner.reading import decode, read_page  # noqa: E402
from cleaner.rulebook import load_rulebook  # noqa: E402

REGULARISATION = 1.0  # sklearn's C; 0.1 and 1.0 cross-validate within a point of each other


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="cross-validate and print, write nothing")
    args = parser.parse_args(argv)

    rulebook = load_rulebook()
    rows: list[list[float]] = []
    labels: list[int] = []
    pages: list[int] = []
    hosts: list[str] = []
    kinds: list[str] = []
    for number, gold in enumerate(load_gold(args.corpus)):
        if gold.title is None:
            continue
        text = decode(read_page(read_scraped(args.corpus, gold.id), gold.id)).text
        doc = Document()
        page = Page.from_text(text, doc)
        doc.language = language.detect(text)
        run_rules(page, rulebook.select((ln.text for ln in page.lines), None))
        lines = [ln.text for _, ln in page.live()]
        if not lines:
            continue
        verdict = find_content(lines, doc.language)
        start = verdict.start if verdict.start < len(lines) else 0
        want = normalise_meta(gold.title)
        for index, features in headline_candidates(lines, start, doc.language):
            rows.append(features)
            labels.append(int(normalise_meta(lines[index]) == want))
            pages.append(number)
            hosts.append(urlsplit(gold.url).hostname or gold.id)
        kinds.append(gold.type)
    x, y, page_of = np.array(rows), np.array(labels), np.array(pages)
    scores = np.zeros(len(y))
    for train, test in GroupKFold(5).split(x, y, np.array(hosts)):
        model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(x[train], y[train])
        scores[test] = model.decision_function(x[test])
    page_ids = sorted(set(pages))
    hits = {p: bool(y[np.flatnonzero(page_of == p)][np.argmax(scores[page_of == p])]) for p in page_ids}
    by_type: dict[str, list[bool]] = {}
    for p, kind in zip(page_ids, kinds, strict=True):
        by_type.setdefault(kind, []).append(hits[p])
    print(f"pages with a gold title: {len(page_ids)}; candidates: {len(y)}", file=sys.stderr)
    for kind, values in sorted(by_type.items()):
        print(f"  {kind:14} cross-validated top-1 = {np.mean(values):.3f} ({len(values)} pages)", file=sys.stderr)
    overall = float(np.mean(list(hits.values())))
    print(f"  {'all':14} cross-validated top-1 = {overall:.3f}", file=sys.stderr)
    if args.dry_run:
        return 0
    model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(x, y)
    _MODEL.parent.mkdir(exist_ok=True)
    _MODEL.write_text(json.dumps({
        "about": "Linear headline scorer for cleaner.metadata.find_title; written by bench/train_headline.py.",
        "features": list(HEADLINE_FEATURES),
        "weights": [round(float(w), 4) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 4),
        "trained_on": {"pages": len(page_ids), "candidates": len(y),
                       "cross_validated_top1": round(overall, 3),
                       "cross_validated_top1_by_type": {k: round(float(np.mean(v)), 3)
                                                        for k, v in sorted(by_type.items())}},
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {_MODEL}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
