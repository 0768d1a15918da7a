"""Fit the learned line scorer of the content finder (`cleaner/models/lines.json`) on a corpus with gold text.

    pip install -e '.[train]'
    python bench/train_finder.py ../shared/corpus/wcxb-dev

Every page is read in both of the corpus's text styles (`--styles`, default both): the scraper's
text (`scraped/`, blocks parted by blank lines, inline pieces glued) and the crawler's dump
(`scraped-wet/`, one block a line, no blank lines), so that nothing the scorer learns depends on
blank lines or glued lines. A page's two styles share its host, so they sit in the same fold.
Every page is read and run through the rules exactly as the pipeline does before it calls
`find_content` (decode, `Page.from_text`, `language.detect`, `run_rules` with the rules selected
for the page's URL). The learned finder only decides where the hand-written one cuts, or keeps
the page whole only because its prose is spread over many blocks (elsewhere the page stays
whole), so its lines are taken from those pages only, with the features of
`cleaner/find/linefeatures.py`. A line is labelled article when more than half of its words are
still left in the gold text once the lines above it have taken theirs (so a teaser printed above
the article does not count twice). Lines weigh their word count plus one.

The finder also runs on its own output: cleaning a page again must change nothing (the pipeline's
settling pass applies whatever a second run would still cut). A model fitted on raw pages alone
keeps cutting clean text, because it never saw any. So it is fitted in rounds (`--rounds`,
default 3): round 1 on the pages as scraped; each later round adds every page as the previous
round's model cleaned it (one line per block, rules run again, the way `pipeline.settle` sees
it), labelled against the same gold. That output comes from a model that did not see the page's
host (5 folds grouped by host), so it has the mistakes the final model's output will have on
new sites.

Before writing, the script prints word F1 of the whole pipeline's output against the gold, per
page type, for the hand-written finder alone and after each round (round 1 is the model fitted
on raw pages only), each page cleaned by a model that did not see its host, for each style
apart; and how many outputs the last round's models change when cleaned again. The model
written is fitted on every line of the last round's training set. `--dry-run` prints without
writing.

The features are `cleaner.find.finder.TEXT_FEATURES`: the line features and the run features
(`cleaner/find/runfeatures.py`); the model file names them, and the finder computes what it
names. `--line-cv` compares, on the raw pages' lines alone and in minutes rather than hours, the
scorer with and without the run features (word-weighted log loss, accuracy, precision and recall
at 0.5, 5 folds grouped by host); `--every N` takes every N-th page for a quick look.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402
from train_metadata import export_trees  # noqa: E402  (beside this script)

from cleaner import pipeline  # noqa: E402
from cleaner.bench.corpus import load_gold, read_scraped, read_wet  # noqa: E402
from cleaner.bench.metrics import word_prf, word_tokens  # noqa: E402
from cleaner.document import Document  # noqa: E402
from cleaner.errors import PageError  # noqa: E402
from cleaner.find import finder  # noqa: E402
from cleaner.find.finder import TEXT_FEATURES as FEATURES  # noqa: E402
from cleaner.find.runfeatures import RUN_FEATURES  # noqa: E402
from cleaner.lang import detect as language  # noqa: E402
from cleaner.models.trees import TreeEnsemble  # noqa: E402
from cleaner.page import Line, Page  # noqa: E402
from cleaner.pipeline import clean_text  # noqa: E402
from cleaner.read import read_input  # noqa: E402
from cleaner.rules.load import load_rulebook  # noqa: E402
from cleaner.rules.rulebook import Rulebook  # noqa: E402

TREES = 100  # 300 cross-validate no better
MAX_DEPTH = 8
MAX_LEAVES = 31
MIN_LEAF = 40
LEARNING_RATE = 0.1
L2 = 1.0
LABEL_SHARE = 0.5  # a line is article when more than this share of its words are in the gold
FOLDS = 5
ROUNDS = 3  # round 1 fits raw pages; each further round adds the previous round's output
TYPES = ("article", "collection", "documentation", "forum", "listing", "product", "service")

FloatArray = npt.NDArray[np.float64]


@dataclass
class Source:
    """One corpus page: its scraped text, URL and gold words."""

    kind: str
    style: str  # "scraped" (a scraper's text) or "wet" (a crawler's dump: one block a line)
    host: str
    url: str | None
    text: str
    gold_text: str
    gold: Counter[str]


@dataclass
class Rows:
    """Training lines: features, labels, and the page each came from."""

    width: int = len(FEATURES)  # the first this many columns of FEATURES
    x: list[FloatArray] = field(default_factory=list)
    y: list[npt.NDArray[np.int_]] = field(default_factory=list)
    page: list[npt.NDArray[np.int_]] = field(default_factory=list)

    def add(self, index: int, lines: Sequence[str], lang: str | None, gold: Counter[str]) -> None:
        """The lines of one page as the finder sees them (nothing when the hand-written finder
        keeps the page whole for being small or mostly short lines: the learned one does not
        decide there)."""
        found = finder.heuristic(lines, lang)
        if found.whole and not found.spread:
            return
        x, _ = finder.text_line_features(lines, found)
        self.x.append(x[:, : self.width])
        self.y.append(np.array(labels([Counter(word_tokens(line)) for line in lines], gold)))
        self.page.append(np.full(len(lines), index))

    def arrays(self) -> tuple[FloatArray, npt.NDArray[np.int_], npt.NDArray[np.int_]]:
        return np.concatenate(self.x), np.concatenate(self.y), np.concatenate(self.page)


def labels(bags: Sequence[Counter[str]], gold: Counter[str]) -> list[int]:
    """1 for lines whose words are mostly in the gold text, consumed in page order."""
    left = Counter(gold)
    out = []
    for bag in bags:
        size = bag.total()
        overlap = sum(min(v, left[w]) for w, v in bag.items())
        if size and overlap / size > LABEL_SHARE:
            out.append(1)
            left -= bag
        else:
            out.append(0)
    return out


STYLES = {"scraped": read_scraped, "wet": read_wet}


def load_sources(corpus: Path, styles: Sequence[str], every: int = 1) -> list[Source]:
    """Every ``every``-th page of the corpus, once in each of ``styles`` (a page's two styles share
    its host, so they always fall in the same fold)."""
    out = []
    for gold in load_gold(corpus)[::every]:
        host = (urlsplit(gold.url).hostname or gold.id).removeprefix("www.")
        for style in styles:
            text = read_input(STYLES[style](corpus, gold.id), gold.id).text
            out.append(Source(gold.type, style, host, gold.url or None, text, gold.main_content,
                              Counter(word_tokens(gold.main_content))))
    return out


def first_pass(source: Source, rulebook: Rulebook) -> tuple[list[str], str | None]:
    """The lines `find_content` sees on the scraped page, and the page language: the pipeline's
    own stages, run up to the finder."""
    page = pipeline.prepare_page(source.text, url=source.url)
    pipeline.run_stages(page, rulebook, source.url, until="finder")
    return [ln.text for _, ln in page.live()], page.doc.language


def second_pass(output: str, source: Source, rulebook: Rulebook) -> tuple[list[str], str | None]:
    """The lines `find_content` sees when the cleaner's output is cleaned again (`pipeline.settle`)."""
    lang = language.detect(output)
    page = Page([Line(text, n) for n, text in enumerate(output.split("\n\n"))], Document(language=lang, url=source.url))
    pipeline.run_stages(page, rulebook, source.url, record=False, until="finder")
    return [ln.text for _, ln in page.live()], lang


def model() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=TREES, learning_rate=LEARNING_RATE, max_depth=MAX_DEPTH,
                                          max_leaf_nodes=MAX_LEAVES, min_samples_leaf=MIN_LEAF, l2_regularization=L2,
                                          early_stopping=False, random_state=0)


PAGE_WEIGHT = 1.0  # a page's lines weigh its words to this power in all (1: every word alike)


def line_weights(x: FloatArray, page: npt.NDArray[np.int_], power: float = PAGE_WEIGHT) -> FloatArray:
    """Each line weighs its words plus one, scaled so that a page's lines together weigh the page's
    words to ``power``: at 1 a long page counts by its length, at 0 every page counts alike, as
    the benchmark's mean word F1 over pages does; the scale keeps the mean weight a line has."""
    weight = np.rint(np.expm1(x[:, FEATURES.index("words_log")])) + 1.0
    if power == 1.0:
        return weight
    _, index = np.unique(page, return_inverse=True)
    total = np.bincount(index, weights=weight)
    scaled = weight * (total ** (power - 1.0))[index]
    out: FloatArray = scaled * (weight.sum() / scaled.sum())
    return out


def fit(x: FloatArray, y: npt.NDArray[np.int_], page: npt.NDArray[np.int_], power: float = PAGE_WEIGHT,
        ) -> HistGradientBoostingClassifier:
    return model().fit(x, y, sample_weight=line_weights(x, page, power))


def export(fitted: HistGradientBoostingClassifier, figures: dict[str, dict[str, float]], lines: int,
           ) -> dict[str, object]:
    """The fitted trees in the format of `cleaner.models.trees`, with what they were fitted on."""
    return {
        "about": "Line scorer of cleaner.find.finder (probability that a line is article text); "
                 "written by bench/train_finder.py.",
        "features": list(FEATURES[: fitted.n_features_in_]),  # with the run features or without
        "trained_on": {"lines": lines, "trees": TREES, "max_depth": MAX_DEPTH,
                       "cross_validated_word_f1": {
                           style: {k: round(v, 4) for k, v in row.items()} for style, row in figures.items()}},
        **export_trees(fitted),
    }


@contextmanager
def finder_model(fitted: HistGradientBoostingClassifier | None) -> Iterator[None]:
    """The pipeline with this model as its line scorer (None: the hand-written finder alone)."""
    if fitted is None:
        def hand_written(lines: Sequence[str], lang: str | None, attrs: object = None) -> finder.Verdict:
            return finder.heuristic(lines, lang).verdict  # (text pages: no markup attributes)
        with patch.object(pipeline, "find_content", hand_written):
            yield
        return
    ensemble = TreeEnsemble.from_dict(export(fitted, {}, 0))
    with patch.object(finder, "lines_model", lambda: ensemble):
        yield


def cleaned(source: Source, rulebook: Rulebook) -> str:
    try:
        return clean_text(source.text, rulebook, url=source.url).text
    except PageError:
        return ""


def stable(output: str, source: Source, rulebook: Rulebook) -> bool:
    """Whether cleaning the output again leaves it as it is."""
    if not output.strip():
        return True
    try:
        return clean_text(output, rulebook, url=source.url).text == output
    except PageError:
        return False


def by_type(sources: Sequence[Source], values: Sequence[float]) -> dict[str, float]:
    groups: dict[str, list[float]] = {}
    for source, value in zip(sources, values, strict=True):
        groups.setdefault(source.kind, []).append(value)
    row = {kind: float(np.mean(v)) for kind, v in groups.items()}
    row["all"] = float(np.mean(values))
    return row


def by_style(sources: Sequence[Source], values: Sequence[float]) -> dict[str, dict[str, float]]:
    """`by_type` for each input style apart."""
    styles = dict.fromkeys(source.style for source in sources)
    return {style: by_type([s for s in sources if s.style == style],
                           [v for s, v in zip(sources, values, strict=True) if s.style == style])
            for style in styles}


def print_header() -> None:
    print(f"word F1 of the cleaned text, {FOLDS} folds grouped by host (unstable: outputs a second run "
          "changes)", file=sys.stderr)
    print(f"  {'':24} {'article':>7} {'all':>7} " + " ".join(f"{k[:7]:>7}" for k in TYPES[1:]), file=sys.stderr)


def print_row(name: str, row: dict[str, float], extra: str = "") -> None:
    cells = " ".join(f"{row.get(kind, float('nan')):7.4f}" for kind in ("article", "all", *TYPES[1:]))
    print(f"  {name:24} {cells} {extra}", file=sys.stderr)


def print_rows(name: str, rows: dict[str, dict[str, float]], extra: str = "") -> None:
    """`print_row` for each input style."""
    for style, row in rows.items():
        print_row(f"{name}, {style}", row, extra)


def line_cv(x: FloatArray, y: npt.NDArray[np.int_], page: npt.NDArray[np.int_], hosts: Sequence[str]) -> None:
    """Word-weighted log loss and accuracy of the line scorer on the raw pages' lines, 5 folds
    grouped by host, with every feature and without the run features: a quick comparison of
    feature sets before the whole pipeline is run."""
    groups = np.array(hosts)[page]
    weight = np.rint(np.expm1(x[:, FEATURES.index("words_log")])) + 1.0
    without = np.array([name not in RUN_FEATURES for name in FEATURES])
    for name, columns in (("every feature", np.ones(len(FEATURES), bool)), ("without run features", without)):
        p = np.zeros(len(y))
        for train, test in GroupKFold(FOLDS).split(x, y, groups):
            fitted = model().fit(x[train][:, columns], y[train], sample_weight=weight[train])
            p[test] = fitted.predict_proba(x[test][:, columns])[:, 1]
        p = np.clip(p, 1e-6, 1 - 1e-6)
        loss = -np.average(y * np.log(p) + (1 - y) * np.log(1 - p), weights=weight)
        accuracy = np.average((p >= 0.5) == y, weights=weight)
        kept = p >= 0.5
        precision = weight[kept & (y == 1)].sum() / max(weight[kept].sum(), 1.0)
        recall = weight[kept & (y == 1)].sum() / max(weight[y == 1].sum(), 1.0)
        print(f"  {name:24} log loss {loss:.4f}  accuracy {accuracy:.4f}  words P {precision:.4f} R {recall:.4f}",
              file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds of fitting (default {ROUNDS})")
    parser.add_argument("--dry-run", action="store_true", help="cross-validate and print, write nothing")
    parser.add_argument("--styles", default=",".join(STYLES),
                        help="input styles to fit and measure on, comma-separated (default: scraped,wet)")
    parser.add_argument("--fit-styles", default=None,
                        help="styles whose lines the scorer is fitted on (default: --styles); every one of "
                             "--styles is still measured, so a recipe fitted on one style is judged on both")
    parser.add_argument("--every", type=int, default=1, help="use every N-th page only (quick looks)")
    parser.add_argument("--line-cv", action="store_true",
                        help="only compare feature sets on the raw pages' lines (cross-validated), then stop")
    parser.add_argument("--without-run-features", action="store_true",
                        help="fit on the line features alone (a model the finder reads as well)")
    parser.add_argument("--page-weight", type=float, default=PAGE_WEIGHT,
                        help=f"a page's lines weigh its words to this power in all (default {PAGE_WEIGHT}; "
                             "0: every page alike)")
    parser.add_argument("--skip-hand-written", action="store_true",
                        help="do not measure the hand-written finder alone")
    args = parser.parse_args(argv)

    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr)

    fit_styles = set((args.fit_styles or args.styles).split(","))
    if not fit_styles <= set(args.styles.split(",")):
        # (a misspelt style would fit the scorer on no line at all)
        parser.error(f"--fit-styles must be some of --styles ({args.styles})")
    rulebook = load_rulebook()
    sources = load_sources(args.corpus, args.styles.split(","), args.every)
    width = len(FEATURES) - len(RUN_FEATURES) if args.without_run_features else len(FEATURES)
    raw = Rows(width)
    for i, source in enumerate(sources):
        if source.style in fit_styles:
            raw.add(i, *first_pass(source, rulebook), source.gold)
    x1, y1, page1 = raw.arrays()
    say(f"{len(sources)} pages; {len(np.unique(page1))} cut by the hand-written finder: {len(y1)} lines "
        f"({y1.mean():.3f} article), {width} features")

    hosts = [source.host for source in sources]
    if args.line_cv:
        line_cv(x1, y1, page1, hosts)
        say("done")
        return 0
    folds = list(GroupKFold(FOLDS).split(np.zeros(len(sources)), groups=hosts))

    def run(models: Sequence[HistGradientBoostingClassifier | None], check: bool = False,
            ) -> tuple[list[str], list[bool]]:
        """Every page cleaned by its fold's model; and whether each output is its own fixed point."""
        outputs = [""] * len(sources)
        steady = [True] * len(sources)
        for (_, test), fitted in zip(folds, models, strict=True):
            with finder_model(fitted):
                for i in test:
                    outputs[i] = cleaned(sources[i], rulebook)
                    if check:
                        steady[i] = stable(outputs[i], sources[i], rulebook)
        return outputs, steady

    def f1(outputs: Sequence[str]) -> list[float]:
        return [word_prf(s.gold_text, out).f1 for s, out in zip(sources, outputs, strict=True)]

    print_header()
    if not args.skip_hand_written:
        hand_written, hand_steady = run([None] * FOLDS, check=True)
        print_rows("hand-written", by_style(sources, f1(hand_written)), f"unstable {hand_steady.count(False)}")

    def fit_without(fold: int, x: FloatArray, y: npt.NDArray[np.int_], page: npt.NDArray[np.int_]
                    ) -> HistGradientBoostingClassifier:
        train = ~np.isin(page, folds[fold][1])
        return fit(x[train], y[train], page[train], args.page_weight)

    x, y, page = x1, y1, page1
    for round_ in range(1, args.rounds + 1):
        models = [fit_without(k, x, y, page) for k in range(FOLDS)]
        # Stability is what the last round's model leaves; earlier rounds only feed the next one.
        last = round_ == args.rounds
        outputs, steady = run(models, check=last)
        learned = by_style(sources, f1(outputs))
        print_rows(f"learned, round {round_}", learned,
                   f"unstable {steady.count(False)}, {len(y)} lines" if last else f"{len(y)} lines")
        if last:
            break
        # The next round also learns from this round's output, cleaned again.
        again = Rows(width)
        for i, (source, output) in enumerate(zip(sources, outputs, strict=True)):
            if output.strip() and source.style in fit_styles:
                again.add(i, *second_pass(output, source, rulebook), source.gold)
        x2, y2, page2 = again.arrays()
        x, y, page = np.concatenate([x, x2]), np.concatenate([y, y2]), np.concatenate([page, page2])

    fitted = fit(x, y, page, args.page_weight)
    data = export(fitted, learned, len(y))
    gap = np.abs(TreeEnsemble.from_dict(data).predict(x) - fitted.predict_proba(x)[:, 1]).max()
    say(f"{TREES} trees on {len(y)} lines; numpy evaluator vs sklearn: max |difference| {gap:.1e}")
    if args.dry_run:
        return 0
    finder.LINES_MODEL.parent.mkdir(exist_ok=True)
    finder.LINES_MODEL.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    say(f"wrote {finder.LINES_MODEL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
