"""Exact-match rates of title, author and date from the HTML's markup, on a WCXB-layout corpus.

    python bench/markup_meta.py /work/shared/corpus/wcxb-dev [--limit N] [--no-trafilatura]
        [--misses FIELD]

One row per markup source alone (`cleaner.meta.markup.choose` with that source only), one for the
combined order (`PRIORITY`), and trafilatura's `extract_metadata` on the same pages, scored as the
benchmark scores them (`cleaner.bench.metrics`). Each rate is over the pages whose gold has the
field. Also the time `markup_metadata` takes a page (parsing not included; the reader parses once).
``--misses title`` prints the pages where the combined pick misses, with what each source said.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from cleaner.bench import metrics
from cleaner.bench.corpus import GoldPage, load_gold, read_html
from cleaner.meta import markup, markup_sources

SOURCES = (markup_sources.JSON_LD, markup_sources.OPENGRAPH, markup_sources.TWITTER, markup_sources.META,
           markup_sources.MICRODATA, markup_sources.TIME, markup_sources.BYLINE, markup_sources.TITLE_TAG,
           markup_sources.H1)
Hit = Callable[[GoldPage, str | None, Sequence[str], str | None], bool | None]


def hits(gold: GoldPage, title: str | None, authors: Sequence[str], date: str | None) -> dict[str, bool | None]:
    """As `cleaner.bench._meta_hits` scores them; None where the gold has no value."""
    return {
        "title": None if gold.title is None else metrics.text_matches(gold.title, title),
        "author": None if gold.author is None else metrics.author_matches(gold.author, authors),
        "date": None if gold.date is None else metrics.date_matches(gold.date, date),
    }


def scored(gold: GoldPage, meta: markup.MarkupMeta) -> dict[str, bool | None]:
    return hits(gold, meta.title, meta.authors, meta.date or meta.updated)


def trafilatura_hits(gold: GoldPage, html: str) -> dict[str, bool | None]:
    import trafilatura

    try:
        meta = trafilatura.extract_metadata(html, default_url=gold.url or None)
    except Exception:  # a failure is a miss, as in the benchmark
        meta = None
    author = getattr(meta, "author", None)
    return hits(gold, getattr(meta, "title", None), [a.strip() for a in author.split(";")] if author else [],
                getattr(meta, "date", None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--misses", choices=("title", "author", "date"))
    args = parser.parse_args()
    pages = load_gold(args.corpus)[: args.limit]
    rows: dict[str, dict[str, list[bool]]] = {}
    spent = 0.0

    def count(row: str, result: dict[str, bool | None]) -> None:
        for name, hit in result.items():
            if hit is not None:
                rows.setdefault(row, {}).setdefault(name, []).append(hit)

    for gold in pages:
        html = read_html(args.corpus, gold.id)
        tree = LexborHTMLParser(html)
        start = time.perf_counter()
        found = markup_sources.markup_candidates(tree)
        meta = markup.choose(found, gold.url or None)
        spent += time.perf_counter() - start
        result = scored(gold, meta)
        count("combined", result)
        for source in SOURCES:
            alone = {name: (source,) for name in markup.PRIORITY}
            count(source, scored(gold, markup.choose(found, gold.url or None, alone, ranked_title=False)))
        if not args.no_trafilatura:
            count("trafilatura", trafilatura_hits(gold, html))
        if args.misses and result[args.misses] is False:
            want = {"title": gold.title, "author": gold.author, "date": gold.date}[args.misses]
            key = {"title": "title", "author": "authors", "date": "date"}[args.misses]
            print(f"{gold.id} {gold.url}\n  gold   {want!r}\n  picked {getattr(meta, key)!r} "
                  f"({meta.sources.get(key)})")
            for source, raw in found[key] + (found["updated"] if key == "date" else []):
                print(f"    {source:14} {raw[:120]!r}")
    print(f"{'source':14} {'title':>14} {'author':>14} {'date':>14}")
    for row, fields in rows.items():
        cells = []
        for name in ("title", "author", "date"):
            got = fields.get(name, [])
            cells.append(f"{sum(got) / len(got):.3f} ({len(got):4})" if got else f"{'-':>14}")
        print(f"{row:14} " + " ".join(f"{c:>14}" for c in cells))
    print(f"markup_metadata: {1000 * spent / max(1, len(pages)):.2f} ms a page over {len(pages)} pages")


if __name__ == "__main__":
    main()
