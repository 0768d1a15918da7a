"""Build a WARC of corpus pages, and the same pages as HTML files, to measure `cleaner run` on
an archive against `cleaner run` on files (texts and records must agree, bar the archive's own
fields).

    python bench/make_warc.py --count 2000 --out /tmp/warc-bench
    cleaner run /tmp/warc-bench/crawl /tmp/warc-bench/out-warc -j2 -q
    cleaner run /tmp/warc-bench/html /tmp/warc-bench/out-html -j2 -q --urls /tmp/warc-bench/urls.txt
    python bench/make_warc.py --compare /tmp/warc-bench

The corpus has fewer pages than asked for? They are taken again, in order, under new names.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wcxb-dev"  # ../shared beside the repo
ARCHIVE_FIELDS = {"source", "crawl_date", "record_id"}


def build(corpus: Path, count: int, out: Path) -> None:
    with open(corpus / "pages.jsonl", encoding="utf-8") as lines:  # (not splitlines: U+2028 in texts)
        pages = [json.loads(line) for line in lines if line.strip()]
    (out / "crawl").mkdir(parents=True, exist_ok=True)
    (out / "html").mkdir(parents=True, exist_ok=True)
    urls = []
    with open(out / "crawl" / "corpus.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n in range(count):
            page = pages[n % len(pages)]
            body = gzip.decompress((corpus / "html" / f"{page['id']}.html.gz").read_bytes())
            name = f"{n:05d}.html"
            (out / "html" / name).write_bytes(body)
            if page.get("url"):  # (a page without one is cleaned without one both ways)
                urls.append(f"{name} {page['url']}\n")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                                  ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(page.get("url") or "", "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    (out / "urls.txt").write_text("".join(urls), encoding="utf-8")


def compare(out: Path) -> int:
    """Records of the archive's shard against the files' records, in order; prints the count of
    pages that differ (bar the archive's fields) and returns it."""
    with gzip.open(out / "out-warc" / "corpus.warc.jsonl.gz", "rt", encoding="utf-8") as lines:
        shard = [json.loads(line) for line in lines]
    differ = 0
    for n, record in enumerate(shard):
        base = out / "out-html" / f"{n:05d}"
        text = (base.with_suffix(".txt")).read_text(encoding="utf-8").removesuffix("\n")
        page = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        mine = {k: v for k, v in record.items() if k not in ARCHIVE_FIELDS | {"text"}}
        theirs = {k: v for k, v in page.items() if k != "source"}
        if mine != theirs or record["text"] != text:
            differ += 1
    print(f"{len(shard)} records, {differ} differ from the files' outputs")
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/warc-bench"))
    parser.add_argument("--compare", type=Path, metavar="OUT", help="compare the two runs' outputs under OUT")
    args = parser.parse_args()
    if args.compare:
        sys.exit(1 if compare(args.compare) else 0)
    build(args.corpus, args.count, args.out)


if __name__ == "__main__":
    main()
