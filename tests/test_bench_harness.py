"""The benchmark harness end to end on a tiny corpus: systems per input, refusals, leakage,
times, the tables and the command line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from cleaner import PageError
from cleaner.bench import PageResult, SystemPageScore, headline, peers, run_pages, summarise
from cleaner.bench.__main__ import main
from cleaner.bench.corpus import HTML, WET, gate_slice, load_gold, select
from cleaner.bench.metrics import PRF, ShingleScore
from cleaner.bench.tables import render

ARTICLE = "Home | Login\nThe quick brown fox jumps over the lazy dog today.\nShare this"


def _write_corpus(root: Path, wet: bool = True) -> None:
    """Two pages: an article with junk lines and an empty-gold page, in all three inputs."""
    gold = [
        {
            "id": "0001",
            "url": "https://example.org/a",
            "type": "article",
            "title": "Fox news",
            "author": "Jane Doe",
            "date": "2025-01-02",
            "main_content": "The quick brown fox jumps over the lazy dog today.",
            "with": ["quick brown fox"],
            "without": ["Share this"],
        },
        {
            "id": "0002",
            "url": "https://example.org/b",
            "type": "listing",
            "title": None,
            "author": None,
            "date": None,
            "main_content": "",
            "with": [],
            "without": ["Login"],
        },
    ]
    text_folders = ["scraped", "scraped-wet"] if wet else ["scraped"]
    for folder in [*text_folders, "html"]:
        (root / folder).mkdir()
    (root / "pages.jsonl").write_text("\n".join(json.dumps(g) for g in gold) + "\n")
    for page_id, text in (("0001", ARTICLE), ("0002", "Login")):
        for folder in text_folders:
            (root / folder / f"{page_id}.txt").write_text(text + "\n", encoding="utf-8")
        body = "".join(f"<p>{line}</p>" for line in text.splitlines())
        page = f"<html><head><title>Fox news</title></head><body>{body}</body></html>"
        (root / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(page.encode()))


def _fake_explain(data: bytes, rulebook: object, *, source: str, url: str | None = None,
                  name: str = "") -> tuple[SimpleNamespace, SimpleNamespace]:
    """Stands in for the cleaner: keeps the longest line, dates and credits a fixed byline,
    refuses one-line pages the way the cleaner refuses empty ones, and refuses HTML files the
    way a cleaner without an HTML reader does."""
    if name.endswith(".html.gz"):
        raise PageError("HTML input is not supported yet")
    lines = data.decode().splitlines()
    if len(lines) < 2:
        raise PageError("too short")
    doc = SimpleNamespace(
        text=max(lines, key=len), title="Fox News", date="2025-01-02T08:00", authors=["Jane Doe"]
    )
    return doc, SimpleNamespace(trace=[])


@pytest.fixture
def fake_cleaner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(peers, "explain", _fake_explain)
    monkeypatch.setattr(peers, "_rulebook", lambda: None)
    peers.warm_up.cache_clear()  # warm up with the fake, not with a cached real run


def test_every_system_on_a_tiny_corpus(tmp_path: Path, fake_cleaner: None) -> None:
    _write_corpus(tmp_path)
    pages = load_gold(tmp_path)
    assert [p.id for p in select(pages, "article", None)] == ["0001"]
    assert [p.id for p in gate_slice(pages, articles=1, per_other_type=0)] == ["0001"]
    report = summarise(run_pages(tmp_path, pages), str(tmp_path), {})
    assert list(report.systems) == list(peers.ALL_SYSTEMS)
    for name in (peers.CLEANER, peers.CLEANER_WET):
        ours = headline(report.systems[name])
        assert ours["all.word_f1"] == 1.0  # exact article text, empty output for the empty gold
        assert (ours["title"], ours["author"], ours["date"]) == (1.0, 1.0, 1.0)
        assert (ours["with"], ours["without"], ours["all.leakage"]) == (1.0, 1.0, 0.0)
        assert (report.systems[name].errors, report.systems[name].rejected) == (0, 1)
    unchanged = headline(report.systems[peers.UNCHANGED])
    assert report.systems[peers.UNCHANGED].metadata is None
    assert unchanged["listing.word_f1"] == 0.0
    assert unchanged["all.leakage"] == 1.0  # "Share this" and "Login" both survive
    assert [p["id"] for p in report.our_pages[peers.CLEANER]] == ["0001", "0002"]
    assert sorted(report.our_pages) == sorted(peers.OURS)
    json.dumps(report.to_json())  # the report must be serialisable


def test_html_the_cleaner_refuses_is_a_rejection_not_a_crash(
    tmp_path: Path, fake_cleaner: None
) -> None:
    _write_corpus(tmp_path)
    report = summarise(run_pages(tmp_path, load_gold(tmp_path)), str(tmp_path), {})
    html = report.systems[peers.CLEANER_HTML]
    assert (html.errors, html.rejected) == (0, 2)
    assert html.overall.word.f1 == 0.5  # nothing for the article, nothing for the empty gold
    assert [p["rejected"] for p in report.our_pages[peers.CLEANER_HTML]] == [
        "HTML input is not supported yet"
    ] * 2


def test_the_real_cleaner_on_html_rejects_or_reads_but_never_raises(tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    results = run_pages(tmp_path, load_gold(tmp_path), [peers.CLEANER_HTML])
    summary = summarise(results, str(tmp_path), {}).systems[peers.CLEANER_HTML]
    assert summary.errors == 0
    if summary.rejected == 0:  # once the HTML reader is in, the article's text must come out
        assert results[0].scores[peers.CLEANER_HTML].word.r == 1.0


def test_resiliparse_and_trafilatura_read_the_html(tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    systems = [peers.TRAFILATURA, peers.RESILIPARSE]
    results = run_pages(tmp_path, load_gold(tmp_path)[:1], systems)
    for name in systems:
        score = results[0].scores[name]
        assert score.error is None
        assert score.word.r == 1.0, name  # the article's sentence is in the output
    assert list(results[0].scores) == systems


def test_systems_are_chosen_by_input() -> None:
    html = peers.systems_for([HTML])
    assert html == (peers.CLEANER_HTML, peers.TRAFILATURA, peers.RESILIPARSE)
    assert peers.systems_for([HTML, WET], with_peers=False) == (
        peers.CLEANER_WET, peers.CLEANER_HTML
    )
    assert set(peers.systems_for(peers.INPUT_OF.values())) == set(peers.ALL_SYSTEMS)


def test_an_unknown_system_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nosuch"):
        run_pages(tmp_path, [], ["nosuch"])


def _score(without_absent: int, ms: float) -> SystemPageScore:
    return SystemPageScore(
        word=PRF(1.0, 1.0, 1.0), shingle=ShingleScore(1.0, 0.0, 0.0), ms=ms,
        meta={"title": None, "author": None, "date": None}, with_found=0,
        without_absent=without_absent,
    )


def test_leakage_counts_pages_and_total_time_adds_up() -> None:
    results = [
        # three `without` snippets, two survive: one leaking page, not two
        PageResult("1", "article", 0, 3, {peers.CLEANER: _score(1, 10.0)}),
        PageResult("2", "article", 0, 2, {peers.CLEANER: _score(2, 20.0)}),
        # no `without` snippets: not counted either way
        PageResult("3", "forum", 0, 0, {peers.CLEANER: _score(0, 30.0)}),
    ]
    summary = summarise(results, "", {}).systems[peers.CLEANER]
    assert (summary.overall.leakage.hits, summary.overall.leakage.total) == (1, 2)
    assert summary.by_type["forum"].leakage.rate is None
    assert summary.total_ms == 60.0
    assert summary.ms_per_page == 20.0


def test_tables_compare_time_with_trafilatura(tmp_path: Path, fake_cleaner: None) -> None:
    _write_corpus(tmp_path)
    report = summarise(run_pages(tmp_path, load_gold(tmp_path)), str(tmp_path), {})
    text = render(report)
    assert "x trafilatura" in text and "leakage" in text
    trafilatura_row = next(line for line in text.splitlines()
                           if line.startswith(peers.TRAFILATURA) and "1.000" in line)
    assert trafilatura_row  # the reference's own share is 1


def test_trafilatura_is_also_timed_with_its_metadata(tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    systems = [peers.CLEANER_HTML, peers.TRAFILATURA]
    results = run_pages(tmp_path, load_gold(tmp_path)[:1], systems)
    traf = results[0].scores[peers.TRAFILATURA]
    assert traf.ms_with_meta is not None and traf.ms_with_meta >= traf.ms > 0
    assert results[0].scores[peers.CLEANER_HTML].ms_with_meta is None  # ours times both at once
    report = summarise(results, str(tmp_path), {})
    reference = report.systems[peers.TRAFILATURA]
    assert reference.total_ms_with_meta == traf.ms_with_meta
    ours = report.to_json()["systems"][peers.CLEANER_HTML]
    cleaner_ms = report.systems[peers.CLEANER_HTML].total_ms
    assert ours["x_trafilatura"] == pytest.approx(cleaner_ms / traf.ms)
    assert ours["x_trafilatura_with_meta"] == pytest.approx(cleaner_ms / traf.ms_with_meta)
    assert report.to_json()["systems"][peers.TRAFILATURA]["x_trafilatura_with_meta"] == 1.0
    header = next(line for line in render(report).splitlines() if "x trafilatura+meta" in line)
    assert header.split()[:4] == ["system", "ms/page", "total", "s"]


def test_command_line_runs_one_input(tmp_path: Path, fake_cleaner: None,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    _write_corpus(tmp_path)
    report_path = tmp_path / "report.json"
    assert main([str(tmp_path), "--input", "html", "--report", str(report_path)]) == 0
    out = capsys.readouterr()
    assert "cleaner-html refused every page" in out.err
    data = json.loads(report_path.read_text())
    assert list(data["systems"]) == [peers.CLEANER_HTML, peers.TRAFILATURA, peers.RESILIPARSE]
    assert data["selection"]["systems"] == list(data["systems"])
    assert main([str(tmp_path), "--systems", "resiliparse-html", "--report",
                 str(report_path)]) == 0
    assert list(json.loads(report_path.read_text())["systems"]) == [peers.RESILIPARSE]


def test_command_line_refuses_what_it_cannot_run(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _write_corpus(tmp_path, wet=False)
    report_path = str(tmp_path / "report.json")
    assert main([str(tmp_path), "--input", "wet", "--report", report_path]) == 2
    assert "no scraped-wet/" in capsys.readouterr().err
    for bad in (["--input", "pdf"], ["--systems", "cleaner,nosuch"]):
        with pytest.raises(SystemExit) as exc:
            main([str(tmp_path), *bad, "--report", report_path])
        assert exc.value.code == 2


def test_command_line_slice_takes_the_gate_pages(tmp_path: Path, fake_cleaner: None) -> None:
    _write_corpus(tmp_path)
    report_path = tmp_path / "report.json"
    assert main([str(tmp_path), "--systems", "cleaner", "--slice", "1,0",
                 "--report", str(report_path)]) == 0
    data = json.loads(report_path.read_text())
    assert data["pages"] == 1 and data["selection"]["slice"] == [1, 0]
    assert [p["id"] for p in data["our_pages"]["cleaner"]] == ["0001"]
    for bad in (["--slice", "200"], ["--slice", "1,0", "--limit", "5"]):
        with pytest.raises(SystemExit):
            main([str(tmp_path), *bad, "--report", str(report_path)])
