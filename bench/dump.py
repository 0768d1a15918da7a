"""Every Nth corpus page cleaned with its URL, text and record written to one JSON Lines file:
run on two checkouts and diff the files to show a change leaves the outputs as they were.

    PYTHONPATH=/work/main python bench/dump.py --out base.jsonl
    PYTHONPATH=. python bench/dump.py --out new.jsonl && cmp base.jsonl new.jsonl

``--input`` picks the page's form: ``html`` (the page as fetched, the default), ``scraped`` (the
naive scrape) or ``wet`` (crawl-archive text); ``--no-urls`` cleans without the page's URL.

``--profile FILE`` also writes a cProfile of the cleaning calls (after one untimed warm-up page),
to read with ``python -m pstats FILE``; ``--repeat`` cleans the pages that many times.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import time
from pathlib import Path

from cleaner import PageError, load_rulebook
from cleaner.pipeline import clean

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"


# Where each form of a page lives in the corpus, and the name it is cleaned under.
FORMS = {"html": ("html", ".html.gz"), "scraped": ("scraped", ".txt"), "wet": ("scraped-wet", ".txt")}


def pages(corpus: Path, stride: int, first: int = 0, form: str = "html") -> list[tuple[str, str, bytes]]:
    """Every ``stride``-th page of the corpus from the ``first``, as (id, url, the bytes of the
    page in ``form``: gzip-compressed HTML, or text)."""
    folder, suffix = FORMS[form]
    # Split on newlines alone: the gold texts hold other characters str.splitlines breaks at.
    lines = (corpus / "pages.jsonl").read_text(encoding="utf-8").split("\n")
    rows = [json.loads(line) for line in lines if line]
    return [(row["id"], row["url"], (corpus / folder / f"{row['id']}{suffix}").read_bytes())
            for row in rows[first::stride]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--stride", type=int, default=10)
    parser.add_argument("--input", choices=sorted(FORMS), default="html")
    parser.add_argument("--no-urls", action="store_true", help="clean each page without its URL")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--warm-up", type=int, default=1,
                        help="pages cleaned untimed first, from between the chosen ones")
    args = parser.parse_args()
    rulebook = load_rulebook()
    chosen = pages(args.corpus, args.stride, form=args.input)
    suffix = FORMS[args.input][1]
    # Models, and dateparser's locales, load on first use: a long run pays that once.
    for page_id, url, data in pages(args.corpus, args.stride, args.stride // 2, args.input)[:args.warm_up]:
        with contextlib.suppress(PageError):
            clean(data, rulebook, url=url, name=f"{page_id}{suffix}")
    profiler = cProfile.Profile() if args.profile else None
    lines: list[str] = []
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        lines = []
        for page_id, url, data in chosen:
            if profiler:
                profiler.enable()
            try:
                doc = clean(data, rulebook, url=None if args.no_urls else url, name=f"{page_id}{suffix}")
                row = {"id": page_id, "text": doc.text, "record": doc.record()}
            except PageError as exc:
                row = {"id": page_id, "error": str(exc)}
            if profiler:
                profiler.disable()
            lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    args.out.write_text("\n".join(lines) + "\n")
    if profiler and args.profile:
        profiler.dump_stats(str(args.profile))
    runs = len(chosen) * args.repeat
    # CPU time as well as wall time: on a machine other jobs share, the wall time is theirs too.
    print(f"{len(chosen)} pages x {args.repeat}: {elapsed * 1000 / runs:.2f} ms/page, "
          f"{cpu * 1000 / runs:.2f} ms/page of CPU")


if __name__ == "__main__":
    main()
