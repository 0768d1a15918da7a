"""What the settling pass holds back: the first pass's lines from its first line of prose to
its last, prose as the finder reads it. A footer's links glued into one long line have words
enough but are no prose, and bound nothing: cleaned again, the page must not lose its footer
then. The pages are made up; the finder is a stand-in that reads a page as the real one may."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from cleaner import Rulebook, pipeline
from cleaner.find.finder import Verdict
from cleaner.pipeline import explain

PARAGRAPH = ("The Harbour Club is the town's student sailing society, and it has met every Thursday "
             "since it was founded by a few students of the college who kept a boat at the old pier.")
FOOTER = [
    "Resources", "Campus Map", "Directory", "Visitor Parking", "Sailing Calendar", "Boat House Hours",
    "Regatta Results Archive", "Membership Fees and Forms", "Safety on the Water", "Alumni Network News",
    "Emergency InformationLegal & Privacy InformationAccessibilityAccountabilityAccreditation"
    "EmploymentStaff LoginStudent Login© Harbour College Brantwick Campus",
]


class _ArticleOnSecondReading:
    """The first time, the whole page is kept and the paragraph is the main region; on the
    cleaned output, only the paragraph: the footer is chrome."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts: Sequence[str], language: str | None, attrs: object = None) -> Verdict:
        self.calls += 1
        keep = [self.calls == 1 or text == PARAGRAPH for text in texts]
        return Verdict(keep, texts.index(PARAGRAPH), texts.index(PARAGRAPH) + 1)


def test_a_glued_footer_line_does_not_hold_the_footer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "find_content", _ArticleOnSecondReading())
    doc, _ = explain("\n\n".join([PARAGRAPH, *FOOTER]).encode(), Rulebook([]), name="page.txt")
    assert doc.text == PARAGRAPH


def test_a_line_of_prose_bounds_what_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same page with a sentence after the footer's lines: they stand between two lines of
    # prose, and settling keeps them, as it keeps a table between an intro and its notes.
    closing = "The club thanks everyone who came to the open day, and hopes to see you all again in the spring."
    monkeypatch.setattr(pipeline, "find_content", _ArticleOnSecondReading())
    doc, _ = explain("\n\n".join([PARAGRAPH, *FOOTER, closing]).encode(), Rulebook([]), name="page.txt")
    assert FOOTER[-1] in doc.text
