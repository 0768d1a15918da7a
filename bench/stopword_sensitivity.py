"""How much the content finder leans on the size of a language's stop-word list.

    python bench/stopword_sensitivity.py ../shared/corpus/wcxb-dev --keep 1.0 0.6 0.4

The finder reads each line's share of stop words in the page language, and the lists of jusText
differ in size from language to language (English 453 words, French 381, Swedish 680), so the
same kind of paragraph has a different share in each. The fitted models have seen English pages
almost only. This script runs the whole pipeline on the article pages with every stop-word list
cut down to a fixed share of its words (the same words each run: a hash of the word decides),
and prints the articles' word F1 and the median stop-word share of the gold paragraphs of 15
words or more under that list. If the figures hold while the share falls, a language whose
prose reads with a lower share than English's is not penalised for it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleaner.bench.corpus import load_gold, read_scraped
from cleaner.bench.metrics import word_prf
from cleaner.bench.peers import run_cleaner
from cleaner.find import finder
from cleaner.find.linefeatures import words_of
from cleaner.lang import detect as language
from cleaner.meta import byline, headline

PARAGRAPH_WORDS = 15


def cut_lists(keep: float) -> Callable[[str | None], frozenset[str]]:
    """A `stopwords_of` whose lists keep ``keep`` of their words."""
    full = language.stopwords_of
    cache: dict[str | None, frozenset[str]] = {}

    def stopwords_of(code: str | None) -> frozenset[str]:
        if code not in cache:
            cache[code] = frozenset(w for w in full(code) if zlib.crc32(w.encode()) % 1000 < keep * 1000)
        return cache[code]
    return stopwords_of


def measure(corpus: Path, keep: float) -> tuple[float, float, int]:
    """Articles' mean word F1, the gold paragraphs' median English stop-word share, list size."""
    stopwords_of = cut_lists(keep)
    scores, shares = [], []
    with patch.object(finder, "stopwords_of", stopwords_of), patch.object(headline, "stopwords_of", stopwords_of), \
            patch.object(byline, "stopwords_of", stopwords_of):
        english = stopwords_of("en")
        for gold in load_gold(corpus):
            if gold.type != "article":
                continue
            out = run_cleaner(read_scraped(corpus, gold.id), gold.id, gold.url)
            scores.append(word_prf(gold.main_content, out.text or "").f1)
            for paragraph in gold.main_content.split("\n"):
                count, stops, *_ = words_of(paragraph, english)
                if count >= PARAGRAPH_WORDS:
                    shares.append(stops / count)
    return statistics.fmean(scores), statistics.median(shares), len(english)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--keep", type=float, nargs="+", default=[1.0, 0.6, 0.4],
                        help="shares of each stop-word list kept, one run each (default 1.0 0.6 0.4)")
    args = parser.parse_args(argv)
    print("kept  English list  median share  article word F1")
    for keep in args.keep:
        f1, share, size = measure(args.corpus, keep)
        print(f"{keep:4.2f}  {size:12d}  {share:12.3f}  {f1:15.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
