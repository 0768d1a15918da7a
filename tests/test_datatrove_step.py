"""The datatrove step: documents as datatrove's WARC reader gives them (HTML text, URL and date in
metadata) come out as clean text with the record in their metadata; what cannot be cleaned is
dropped and counted."""

from __future__ import annotations

import pytest

datatrove = pytest.importorskip("datatrove")

from datatrove.data import Document  # noqa: E402

from cleaner.datatrove_step import CleanerExtractor  # noqa: E402

PROSE = ("The harbour authority opened the new ferry terminal on Monday after three years of work, "
         "and the first boat left at seven in the morning with more than two hundred people on board. ")
PAGE = ("<html><head><title>Ferry terminal opens | Harbour News</title></head><body><nav><a href='/'>"
        "Home</a></nav><article><h1>Ferry terminal opens</h1><p>" + PROSE * 3 + "</p></article>"
        "<footer>© 2026 Harbour News</footer></body></html>")


def test_documents_come_out_clean_with_their_record() -> None:
    docs = [
        Document(PAGE, "a", metadata={"url": "https://harbour.example/ferry", "date": "2026-03-12"}),
        Document("\x89PNG\r\n\x1a\n" + "\x00" * 100, "b", metadata={"content_type": "image/png"}),
        Document("<html><body><div id='app'></div></body></html>", "c", metadata={}),
    ]
    step = CleanerExtractor()
    out = list(step.run(iter(docs)))
    assert [doc.id for doc in out] == ["a"]
    assert out[0].text.startswith("The harbour authority opened")
    assert "Home" not in out[0].text and "© 2026" not in out[0].text
    record = out[0].metadata["cleaner"]
    assert record["title"] == "Ferry terminal opens"
    assert record["url"] == "https://harbour.example/ferry"
    assert record["crawl_date"] == "2026-03-12" and record["record_id"] == "a"
    stats = step.stats.to_dict()["stats"]
    assert stats["total"] == 3 and stats["clean_error"] == 1 and stats["dropped"] == 1
    assert stats["forwarded"] == 1
