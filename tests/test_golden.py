"""Golden tests: each raw page under fixtures/pages is cleaned and compared with its expected
output under fixtures/expected, in the layout `cleaner run` writes: for
fixtures/pages/junk/icons_dash.txt, fixtures/expected/junk/icons_dash.txt (the clean text) and
fixtures/expected/junk/icons_dash.json (the record, every field compared).

Pages are found by glob, so adding a page adds a test: put the raw scrape in fixtures/pages, write
down what a careful reader would keep, then regenerate the expected files and check them against
that.

To regenerate after a deliberate change to the rules or the code:

    cleaner run fixtures/pages fixtures/expected --force

then review `git diff fixtures/expected` by hand, page by page: every changed line must be an
improvement you can explain. Never regenerate just to make a failing test pass.

The seed pages also get explicit assertions below, so that what matters about them is stated
once in words and does not hang on the golden files alone.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    BLOG_TITLE,
    EXPECTED,
    PAGES,
    RT_TITLE,
    SEED_BLOG,
    SEED_RT,
    page_files,
    page_name,
)

from cleaner import Document, Rulebook, clean

REGENERATE = "cleaner run fixtures/pages fixtures/expected --force"
# Files `cleaner run` writes into the output folder besides the pages' own outputs.
BOOKKEEPING = {".cleaner-state.json", "cleaner-errors.jsonl"}


def run_page(path: Path, rulebook: Rulebook) -> Document:
    """Clean one page exactly as `cleaner run fixtures/pages OUT` does."""
    source = path.relative_to(PAGES).as_posix()
    return clean(path.read_bytes(), rulebook, source=source, name=str(path))


def _text_diff(expected: str, got: str, name: str) -> str:
    lines = difflib.unified_diff(expected.splitlines(), got.splitlines(),
                                 f"expected/{name}.txt", f"cleaned/{name}.txt", lineterm="", n=1)
    return "\n".join(lines)


def _record_diff(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    out = []
    for key in [*expected, *(k for k in got if k not in expected)]:
        want, have = expected.get(key, "<missing>"), got.get(key, "<missing>")
        if want != have:
            out.append(f"  {key}:\n    expected {json.dumps(want, ensure_ascii=False)}\n"
                       f"    got      {json.dumps(have, ensure_ascii=False)}")
    return out


@pytest.mark.parametrize("page", page_files(), ids=page_name)
def test_page_matches_golden(page: Path, rulebook: Rulebook) -> None:
    name = page_name(page)
    txt, record = EXPECTED / f"{name}.txt", EXPECTED / f"{name}.json"
    missing = [str(p.relative_to(EXPECTED.parent.parent)) for p in (txt, record) if not p.is_file()]
    if missing:
        pytest.fail(f"no golden output for {name}: {', '.join(missing)} missing; run "
                    f"`{REGENERATE}` and review what it wrote", pytrace=False)
    doc = run_page(page, rulebook)
    problems = []
    # `cleaner run` writes the text with a final newline (nothing at all for an empty text).
    got_text = doc.text + "\n" if doc.text else ""
    expected_text = txt.read_text(encoding="utf-8")
    if got_text != expected_text:
        diff = _text_diff(expected_text, got_text, name)
        problems.append(f"text differs from {txt.name}:\n{diff}")
    got_record = json.loads(json.dumps(doc.record(), ensure_ascii=False))
    differences = _record_diff(json.loads(record.read_text(encoding="utf-8")), got_record)
    if differences:
        problems.append(f"record differs from {record.name}:\n" + "\n".join(differences))
    if problems:
        pytest.fail(f"{name}: " + "\n\n".join(problems)
                    + f"\n\nIf the change is intended: `{REGENERATE}`, then review the diff.",
                    pytrace=False)


def test_every_golden_output_has_its_page() -> None:
    pages = {page_name(p) for p in page_files()}
    orphans = sorted(
        p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*")
        if p.is_file() and p.name not in BOOKKEEPING
        and (p.suffix not in (".txt", ".json")
             or p.relative_to(EXPECTED).with_suffix("").as_posix() not in pages)
    )
    assert not orphans, f"expected outputs without a page in fixtures/pages: {orphans}"


def test_golden_set_covers_every_kind_of_page() -> None:
    names = {page_name(p) for p in page_files()}
    assert {"000_3f013229087c380d", "002_1ea4b6f3b1457c71"} <= names
    assert len(names) >= 16


# The seeds: what must hold, in words.


def _paragraphs(doc: Document) -> list[str]:
    return doc.text.split("\n\n")


def test_rt_seed(rulebook: Rulebook) -> None:
    doc = run_page(SEED_RT, rulebook)
    assert doc.title == RT_TITLE
    assert doc.date == "2022-03-11T09:40"
    assert doc.site == "RT"
    assert doc.text.endswith("was planning to retake the two republics by force.")
    paragraphs = _paragraphs(doc)
    assert not any("bookmarkicon" in p or "cameraicon" in p for p in paragraphs), "sprite line kept"
    assert "11 Mar, 2022 09:40" not in doc.text, "date line kept"
    assert RT_TITLE not in paragraphs, "headline kept in the text"
    assert paragraphs[1].startswith("More than 16,000 foreign fighters")


def test_blog_seed(rulebook: Rulebook) -> None:
    doc = run_page(SEED_BLOG, rulebook)
    assert doc.title == BLOG_TITLE
    assert doc.date == "2023-02-11"
    assert "Stanislav Krasilnikov/TASS" in doc.credits
    assert doc.text.startswith("Several thousands of volunteers")
    # The two news items printed under the article stay.
    assert "The Russian Armed Forces have killed over 140 Ukrainian servicemen" in doc.text
    assert "The Russian armed forces conducted a massive strike" in doc.text
    assert doc.text.endswith("by rail to combat areas has also been blocked,\" the ministry said.")
    for junk in ("Laman", "Saturday, 11 February 2023", "Krasilnikov", "No comments:",
                 "Post a Comment"):
        assert junk not in doc.text, f"{junk!r} kept"
    assert BLOG_TITLE not in doc.text, "headline kept in the text"


@pytest.mark.parametrize("seed", [SEED_RT, SEED_BLOG], ids=page_name)
def test_seed_without_site_rules(seed: Path, generic_rulebook: Rulebook) -> None:
    """The generic rules alone still remove the sprite line, the photo credit and the footer."""
    doc = run_page(seed, generic_rulebook)
    assert doc.site is None
    assert not any("bookmarkicon" in p or "cameraicon" in p for p in _paragraphs(doc))
    assert not any(p.startswith("©") or p.endswith("/TASS") for p in _paragraphs(doc))
    for footer in ("No comments:", "Post a Comment"):
        assert footer not in doc.text
    if seed == SEED_BLOG:
        assert doc.credits == ["Stanislav Krasilnikov/TASS"]
        assert "Laman" not in doc.text
        assert doc.text.startswith("Several thousands of volunteers")
    else:
        assert doc.title == RT_TITLE
        assert doc.date == "2022-03-11T09:40"
