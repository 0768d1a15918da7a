"""What the byline model reads of a bare name's surroundings: a name alone on its line
is a byline's under a headline and over prose, an author box's when the box opens with it again,
a menu's item among short labels."""

from __future__ import annotations

from cleaner.meta import byline
from cleaner.meta.byline import byline_candidates
from cleaner.meta.byline_blocks import label_neighbours, name_openings

PARAGRAPH = ("The council voted on Tuesday evening to build eleven kilometres of protected cycling "
             "lanes along both banks of the river, the largest change to the streets in a generation.")
MORE = ("The plan, which passed by nine votes to four, will take three years to complete and cost an "
        "estimated 14 million euros, most of it from a regional transport fund.")
HEADLINE = "Council approves the new river bridge"
MENU = ["Home", "Our Services", "Jane Marlow", "Contact Us", "Careers"]


def _rows(lines: list[str], start: int, end: int, headline: int | None = 0) -> dict[str, dict[str, float]]:
    return {names: dict(zip(byline.BYLINE_FEATURES, features, strict=True))
            for names, features in byline_candidates(lines, start, end, "en", headline)}


def test_a_name_among_a_menus_labels_is_marked_so() -> None:
    """A name alone among a menu's short labels reads as one of them; the same name under the
    headline, over the article's prose, does not."""
    assert label_neighbours(MENU, 2) == 1.0
    assert label_neighbours([HEADLINE + " on Tuesday", "Jane Marlow", PARAGRAPH, MORE], 1) == 0.0


def test_a_bare_names_neighbours_are_read() -> None:
    """The words of the lines above and below a bare name: prose under a byline, a label under a
    menu's item."""
    lines = [*MENU, HEADLINE, "Jane Marlow", PARAGRAPH, MORE]
    row = _rows(lines, 7, 9, 5)["Jane Marlow"]
    assert row["words_line_below"] > row["words_line_above"] > 0.0
    assert row["label_neighbours"] < 1.0


def test_a_name_that_opens_an_author_box_again_is_counted() -> None:
    """An author's box under the article opens with the byline's name (its line alone, or the
    name and a job title); a name inside a sentence, or a longer name it begins, does not count."""
    lines = [HEADLINE, "Jane Marlow", PARAGRAPH, "Jane Marlowe said so.", "As Jane Marlow said.",
             "Jane Marlow", "Transport reporter"]
    assert name_openings(lines, "Jane Marlow") == {1, 5}
    assert _rows(lines, 2, 3)["Jane Marlow"]["opens_other_lines"] > 0.0


def test_a_name_in_the_pages_title_line_is_marked_so() -> None:
    """A personal site's title names its writer ('Sourdough loaves - Jane Marlow'), as archive text
    prints it first."""
    lines = ["Sourdough loaves - Jane Marlow", HEADLINE, "Jane Marlow", PARAGRAPH, MORE]
    assert _rows(lines, 3, 5, 1)["Jane Marlow"]["in_first_line"] == 1.0
    assert _rows(lines[1:], 2, 4, 0)["Jane Marlow"]["in_first_line"] == 0.0
