"""Crawl archives in, JSON Lines shards out: WARC/WET files read record by record, each page
cleaned with its URL, date and id; skipped records counted by reason; damage kept to the archive
it is in; resume per archive; --files-from; the library's `clean_record`."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import README
from fastwarc.stream_io import Lz4Writer, ZstdWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import load_rulebook
from cleaner.batch.archives import clean_archive
from cleaner.cli.app import main
from cleaner.crawl import clean_record
from cleaner.errors import PageError

# warcio leaves the temporary files it computes digests in to the garbage collector.
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning",
                                        "ignore::pytest.PytestUnraisableExceptionWarning")

ARTICLE = ("The council met on Tuesday evening and approved the plan for the new library after a "
           "long public meeting. Residents asked about the cost, the roads and the opening hours, "
           "and the mayor answered each question in turn before the vote was taken.")
HTML = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Library plan approved</title>"
        "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
        "<h1>Library plan approved</h1><p>{body}</p><p>{body}</p></article></body></html>")
# Latin-1 bytes whose page claims UTF-8: only the HTTP charset decodes them right.
LATIN1_PAGE = HTML.format(body=ARTICLE + " Le café était fermé.").encode("latin-1")
WET_TEXT = "Harbour festival moves to September\n\n" + ARTICLE
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def http(status: str, content_type: str, extra: list[tuple[str, str]] | None = None) -> StatusAndHeaders:
    return StatusAndHeaders(status, [("Content-Type", content_type), *(extra or [])], protocol="HTTP/1.1")


def build_warc(*, gzipped: bool = True, cut: int = 0, bad_record: bool = False) -> bytes:
    """An archive of every kind of record: warcinfo, request, two HTML responses (one with an
    HTTP charset), a metadata record, a 404, an image, a conversion (WET) record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "test"}))
    writer.write_record(writer.create_warc_record(
        "https://news.example/plan", "request", payload=io.BytesIO(b"GET /plan HTTP/1.1\r\n\r\n"),
        warc_content_type="application/http; msgtype=request"))
    writer.write_record(writer.create_warc_record(
        "https://news.example/plan", "response", payload=io.BytesIO(LATIN1_PAGE),
        http_headers=http("200 OK", "text/html; charset=ISO-8859-1")))
    if bad_record:  # says HTML, holds an executable
        writer.write_record(writer.create_warc_record(
            "https://news.example/bad", "response", payload=io.BytesIO(b"\x7fELF\x02\x01" + bytes(300)),
            http_headers=http("200 OK", "text/html")))
    writer.write_record(writer.create_warc_record(
        "https://news.example/plan", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\r\n"),
        warc_content_type="application/warc-fields"))
    writer.write_record(writer.create_warc_record(
        "https://news.example/gone", "response", payload=io.BytesIO(b"<html>Not found</html>"),
        http_headers=http("404 Not Found", "text/html")))
    writer.write_record(writer.create_warc_record(
        "https://news.example/logo.png", "response", payload=io.BytesIO(PNG),
        http_headers=http("200 OK", "image/png")))
    writer.write_record(writer.create_warc_record(
        "https://news.example/second", "response",
        payload=io.BytesIO(HTML.format(body=ARTICLE).encode()), http_headers=http("200 OK", "text/html")))
    writer.write_record(writer.create_warc_record(
        "https://harbour.example/festival", "conversion", payload=io.BytesIO(WET_TEXT.encode()),
        warc_content_type="text/plain"))
    data = buffer.getvalue()
    return data[:len(data) - cut] if cut else data


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def shard(path: Path) -> list[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "a.warc.gz").write_bytes(build_warc())
    return folder


def test_an_archive_becomes_one_shard_of_its_pages(crawl: Path, tmp_path: Path) -> None:
    result = invoke("run", str(crawl), str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    records = shard(tmp_path / "out" / "a.warc.jsonl.gz")
    assert [r["url"] for r in records] == ["https://news.example/plan", "https://news.example/second",
                                            "https://harbour.example/festival"]
    first = records[0]
    assert "Le café était fermé." in str(first["text"])  # the HTTP charset, not the page's claim
    assert first["encoding"] == "windows-1252"
    assert str(first["record_id"]).startswith("<urn:uuid:")
    assert first["crawl_date"] and str(first["crawl_date"]).endswith("Z")
    assert first["site"] == "news.example"
    assert "Home" not in str(first["text"])  # cleaned as HTML: the menu is gone
    assert str(records[2]["text"]).startswith("Harbour festival")  # WET text cleaned as text
    # Skipped records are counted by reason in the summary.
    summary = result.stderr.strip().splitlines()[-1]
    for reason in ("1 request", "1 metadata", "1 warcinfo", "1 HTTP 404", "1 not a text page: image/png"):
        assert reason in summary, summary
    assert "3 records cleaned" in summary


def test_records_are_the_records_a_page_gets(crawl: Path, tmp_path: Path) -> None:
    """The same record `cleaner run IN -` prints for the page, plus the archive's fields."""
    page = tmp_path / "pages" / "second.html"
    page.parent.mkdir()
    page.write_text(HTML.format(body=ARTICLE), encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text("second.html https://news.example/second\n", encoding="utf-8")
    as_page = json.loads(invoke("run", str(page.parent), "-", "--urls", str(urls)).stdout)
    from_archive = [json.loads(line) for line in invoke("run", str(crawl), "-").stdout.splitlines()]
    second = from_archive[1]
    assert {k: v for k, v in second.items() if k not in ("source", "crawl_date", "record_id")} == \
        {k: v for k, v in as_page.items() if k != "source"}


def test_plain_archives_and_wet_names(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "b.warc").write_bytes(build_warc(gzipped=False))
    (crawl / "c.warc.wet.gz").write_bytes(build_warc())
    (crawl / "d.bin").write_bytes(build_warc(gzipped=False))  # told by its first line
    result = invoke("run", str(crawl), str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    for name in ("b.warc.jsonl.gz", "c.warc.wet.jsonl.gz", "d.bin.jsonl.gz"):
        assert len(shard(tmp_path / "out" / name)) == 3, name


def test_bzip2_xz_lz4_and_zstd_archives_are_read_as_gzip_ones_are(crawl: Path, tmp_path: Path) -> None:
    plain = build_warc(gzipped=False)
    (crawl / "b.warc.bz2").write_bytes(bz2.compress(plain))
    (crawl / "c.warc.xz").write_bytes(lzma.compress(plain))
    for writer, name in ((Lz4Writer, "d.warc.lz4"), (ZstdWriter, "e.warc.zst")):
        stream = writer(str(crawl / name))
        stream.write(plain)
        stream.close()
    result = invoke("run", str(crawl), str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    # Each build of the archive has record ids and dates of its own; the rest is the same.
    own = ("source", "record_id", "crawl_date")
    expected = [{k: v for k, v in r.items() if k not in own} for r in shard(tmp_path / "out" / "a.warc.jsonl.gz")]
    assert len(expected) == 3
    for name in ("b.warc.jsonl.gz", "c.warc.jsonl.gz", "d.warc.jsonl.gz", "e.warc.jsonl.gz"):
        assert [{k: v for k, v in r.items() if k not in own} for r in shard(tmp_path / "out" / name)] == expected


def test_a_cut_archive_keeps_what_came_before_and_the_run_goes_on(crawl: Path, tmp_path: Path) -> None:
    (crawl / "b-cut.warc.gz").write_bytes(build_warc(cut=60))
    (crawl / "c-cut.warc").write_bytes(build_warc(gzipped=False, cut=60))
    out = tmp_path / "out"
    result = invoke("run", str(crawl), str(out))
    assert result.exit_code == 1
    assert len(shard(out / "a.warc.jsonl.gz")) == 3
    for name in ("b-cut.warc.jsonl.gz", "c-cut.warc.jsonl.gz"):
        assert [r["url"] for r in shard(out / name)] == ["https://news.example/plan", "https://news.example/second"]
    log = [json.loads(line) for line in (out / "cleaner-errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {e["source"] for e in log} == {"b-cut.warc.gz", "c-cut.warc"}
    assert all("cut short" in e["error"] for e in log)
    # A damaged archive is not booked as done: the next run reads it again (and says so again).
    again = invoke("run", str(crawl), str(out))
    assert "1 already done" in again.stderr and "cut short" in again.stderr


def test_garbage_inside_an_archive_is_damage(tmp_path: Path) -> None:
    data = build_warc(gzipped=False)
    at = data.index(b"WARC/1.0", data.index(b"metadata"))
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "g.warc").write_bytes(data[:at] + b"this is no record\r\n\r\n" + data[at:])
    result = invoke("run", str(crawl), str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "unreadable archive" in result.stderr
    assert len(shard(tmp_path / "out" / "g.warc.jsonl.gz")) == 1  # the page before the garbage


def test_a_failed_record_is_logged_with_its_id_and_the_archive_goes_on(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "a.warc.gz").write_bytes(build_warc(bad_record=True))
    out = tmp_path / "out"
    result = invoke("run", str(crawl), str(out))
    assert result.exit_code == 1
    assert len(shard(out / "a.warc.jsonl.gz")) == 3
    (entry,) = [json.loads(line) for line in (out / "cleaner-errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert entry["source"] == "a.warc.gz"
    assert entry["record_id"].startswith("<urn:uuid:")
    assert "binary" in entry["error"]
    assert entry["record_id"] in result.stderr


def test_max_bytes_applies_per_record(crawl: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cap = len(WET_TEXT.encode()) + 10  # under every HTML page of the archive
    result = invoke("run", str(crawl), str(out), "--max-bytes", str(cap))
    assert result.exit_code == 1
    records = shard(out / "a.warc.jsonl.gz")
    assert [r["url"] for r in records] == ["https://harbour.example/festival"]  # the short one
    assert result.stderr.count("--max-bytes") == 2


def test_a_finished_shard_is_skipped_and_redone_when_options_change(crawl: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", str(crawl), str(out)).exit_code == 0
    shard_file = out / "a.warc.jsonl.gz"
    written = shard_file.stat().st_mtime_ns
    again = invoke("run", str(crawl), str(out))
    assert "1 already done" in again.stderr and shard_file.stat().st_mtime_ns == written
    changed = invoke("run", str(crawl), str(out), "--max-bytes", "99999999")
    assert "already done" not in changed.stderr
    # A shard that is not as written (cut by hand, or half-written by a killed run) is redone.
    shard_file.write_bytes(shard_file.read_bytes()[:20])
    redo = invoke("run", str(crawl), str(out), "--max-bytes", "99999999")
    assert "already done" not in redo.stderr and len(shard(shard_file)) == 3


def test_an_interrupted_shard_never_shows_under_its_name(crawl: Path, tmp_path: Path) -> None:
    """The shard is written under a temporary name: a run killed half-way leaves no shard, and
    its leftover is swept by the next run."""
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / ".cleaner-999999999-0.tmp"
    leftover.write_bytes(b"half")
    assert invoke("run", str(crawl), str(out)).exit_code == 0
    assert not leftover.exists()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        ["a.warc.jsonl.gz", "cleaner-errors.jsonl"]


def test_files_from_mixes_pages_and_archives(crawl: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML.format(body=ARTICLE), encoding="utf-8")
    listing = f"{crawl / 'a.warc.gz'}\n{page}\n\n"
    out = tmp_path / "out"
    result = invoke("run", "--files-from", "-", str(out), stdin=listing)
    assert result.exit_code == 0, result.stderr
    rel = lambda p: str(p).lstrip("/")  # noqa: E731 - the listed path, made relative
    assert len(shard(out / (rel(crawl / "a.warc") + ".jsonl.gz"))) == 3
    assert "The council met" in (out / (rel(tmp_path / "page") + ".txt")).read_text(encoding="utf-8")
    listed = tmp_path / "list.txt"
    listed.write_text(listing, encoding="utf-8")
    to_stdout = invoke("run", "--files-from", str(listed), "-")
    assert len(to_stdout.stdout.splitlines()) == 4
    assert invoke("run", str(crawl), str(out), "--files-from", str(listed)).exit_code == 2


def test_clean_record_is_the_library_way_in() -> None:
    rulebook = load_rulebook()
    record = clean_record(LATIN1_PAGE, rulebook, url="https://news.example/plan",
                          content_type="text/html; charset=ISO-8859-1", crawl_date="2026-03-12T10:00:00Z",
                          record_id="<urn:uuid:1>")
    assert "Le café était fermé." in record["text"]
    assert (record["url"], record["crawl_date"], record["record_id"]) == \
        ("https://news.example/plan", "2026-03-12T10:00:00Z", "<urn:uuid:1>")
    text = clean_record(WET_TEXT.encode(), rulebook, content_type="text/plain")
    assert text["text"].startswith("Harbour festival")
    with pytest.raises(PageError, match="not a text page: image/png"):
        clean_record(PNG, rulebook, content_type="image/png")


def test_clean_archive_is_one_task(crawl: Path, tmp_path: Path) -> None:
    target = tmp_path / "shards" / "a.jsonl.gz"
    report = clean_archive(crawl / "a.warc.gz", load_rulebook(), target)
    assert report.cleaned == 3 and not report.failures and report.damage is None
    assert sum(report.skipped.values()) == 5
    assert len(shard(target)) == 3


def test_the_readme_documents_archives() -> None:
    text = README.read_text(encoding="utf-8")
    for needle in ("--files-from", ".warc.gz", ".jsonl.gz", "crawl_date", "record_id", "clean_record"):
        assert needle in text, needle



def test_a_real_common_crawl_record_gives_one_clean_record(tmp_path: Path) -> None:
    # Four records cut from a Common Crawl archive (fixtures/commoncrawl/README.md): warcinfo,
    # then one page's request, response and metadata.
    crawl = Path(__file__).resolve().parents[1] / "fixtures" / "commoncrawl"
    result = invoke("run", str(crawl), str(tmp_path / "out"), "-j1")
    assert result.exit_code == 0, result.stderr
    assert "1 records cleaned" in result.stderr and "1 metadata, 1 request, 1 warcinfo" in result.stderr
    [record] = shard(tmp_path / "out" / "CC-MAIN-20200808165417-20200808195417-00395.excerpt.warc.jsonl.gz")
    assert record["url"] == "http://0900-hovenier.nl/gelderland/oosterbeek/"
    assert record["crawl_date"] == "2020-08-08T18:02:09Z"
    assert str(record["record_id"]).startswith("<urn:uuid:")
    assert record["language"] == "nl" and int(str(record["word_count"])) > 50
    for header in ("WARC/1.0", "WARC-", "HTTP/1.", "Content-Type:", "Content-Length:"):
        assert header not in str(record["text"])


def test_a_real_common_crawl_warc_and_its_wet_file_give_the_same_clean_page(tmp_path: Path) -> None:
    # Common Crawl's WARC excerpt and WET file for one page (fixtures/commoncrawl-wet/README.md):
    # the HTML in the response record and the text of the conversion record must each give one
    # record with the page's address and crawl date, the article, and neither the archive's
    # headers nor the page's menus and footer.
    crawl = Path(__file__).resolve().parents[1] / "fixtures" / "commoncrawl-wet"
    result = invoke("run", str(crawl), str(tmp_path / "out"), "-j1")
    assert result.exit_code == 0, result.stderr
    assert "2 records cleaned" in result.stderr, result.stderr
    stem = "CC-MAIN-20240517233122-20240518023122-00000.excerpt"
    [from_html] = shard(tmp_path / "out" / f"{stem}.warc.jsonl.gz")
    [from_wet] = shard(tmp_path / "out" / f"{stem}.warc.wet.jsonl.gz")
    assert from_html["record_id"] != from_wet["record_id"]
    texts = []
    for record in (from_html, from_wet):
        assert record["url"] == "https://an.wikipedia.org/wiki/Escopete"
        assert record["crawl_date"] == "2024-05-18T01:58:10Z"
        assert record["title"] == "Escopete" and record["language"] == "an"
        text = str(record["text"])
        assert "Escopete ye un municipio d'a provincia de Guadalachara" in text
        assert "Ilesia parroquial de l'Asunción" in text
        for junk in (
            "WARC-", "Content-Length:", "HTTP/1.",  # the archive's and the response's headers
            "Ir al contenido", "Menú principal", "Asturianu", "Descargar como PDF",  # menus
            "Obteniu de", "Zaguera edición", "Licencia Creative Commons",  # the wiki's footer
        ):
            assert junk not in text, junk
        texts.append(set(text.split()))
    # The two roads reach the same article: the WET text's words are nearly all in the text from
    # the HTML, which also keeps the infobox that Common Crawl's text extraction lays out apart.
    from_html_words, from_wet_words = texts
    assert len(from_wet_words & from_html_words) / len(from_wet_words) > 0.9
