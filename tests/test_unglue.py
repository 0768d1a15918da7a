"""Cutting glued lines of minified pages back into blocks (cleaner/read/unglue.py)."""

from __future__ import annotations

import pytest

from cleaner.read.unglue import split_at_seams, unglue

MENU_AND_ARTICLE = (
    "HomeNewsSportsCultureWeather"
    "City council approves new cycling lanes along the river"
    "March 14, 2024 By Maria Lopez"
    "The city council voted on Tuesday evening to build eleven kilometres of protected cycling lanes."
    "The plan, which passed by nine votes to four, will take three years to complete."
    "Supporters said the lanes would make commuting safer for thousands of residents."
)


def test_a_glued_page_is_cut_where_blocks_meet() -> None:
    pieces = unglue(MENU_AND_ARTICLE)
    assert "City council approves new cycling lanes along the river" in pieces
    assert "The plan, which passed by nine votes to four, will take three years to complete." in pieces
    assert pieces[:2] == ["Home", "News"]
    assert " ".join(pieces).replace(" ", "") == MENU_AND_ARTICLE.replace(" ", "")  # nothing lost


@pytest.mark.parametrize("line", [
    "Short lines are never cut, even HomeNewsSports.",
    # A long paragraph with a brand name or two is prose, not a glued line.
    "The museum posted a video of the restoration on YouTube, and the clip was shared widely on "
    "LinkedIn by conservators from other institutions who had followed the work for years; the "
    "curator said the response had surprised everyone on the team, which had expected a few "
    "hundred views at most and instead received letters from twelve countries within a week.",
])
def test_lines_that_are_not_glued_stay_whole(line: str) -> None:
    assert unglue(line) == [line]


PARAGRAPH = ("The city council voted on Tuesday evening to build eleven kilometres of protected cycling "
             "lanes along both banks of the river, the largest change to the streets in a generation. ")


def test_a_page_flattened_with_blanks_is_cut_at_them() -> None:
    menu = "Home  About us  Admissions Home Apply Online Tuition and Fees  Contact"
    line = f"{menu}  {PARAGRAPH * 8}  7. Ask about their prices {PARAGRAPH * 6}"
    pieces = unglue(line)
    assert pieces[:4] == ["Home", "About us", "Admissions Home Apply Online Tuition and Fees", "Contact"]
    assert pieces[4] == (PARAGRAPH * 8).strip()
    assert pieces[5].startswith("7. Ask about their prices The city council")


def test_a_long_paragraph_with_double_spaces_after_its_sentences_stays_whole() -> None:
    line = (PARAGRAPH.replace(". ", ".  ") * 6).strip()  # typewriter spacing: still prose, under FLAT_LENGTH
    assert len(line) < 1500 and unglue(line) == [line]


def test_elisions_are_not_seams() -> None:
    line = ("Le sommet de l’Union européenne s’est tenu à Bruxelles cette semaine, et les dirigeants "
            "d’Allemagne et de France ont longuement débattu de l’avenir de l’Europe face aux nouvelles "
            "tensions commerciales. Selon plusieurs diplomates, les discussions ont porté sur le budget, "
            "la défense commune et la politique migratoire, sans qu’aucun accord ne soit trouvé.")
    assert unglue(line) == [line]


def test_a_paragraph_with_three_camel_case_names_stays_whole() -> None:
    line = ("We moved the course videos from YouTube to our own site last spring, rebuilt the pages in "
            "WordPress and replaced the old quiz widget with a small JavaScript component that the "
            "students can use offline. The change took four months, cost less than we had feared and "
            "cut the support requests by half, which the team had not expected at all when it began.")
    assert unglue(line) == [line]


def test_an_opening_quote_stays_with_its_sentence() -> None:
    line = ("HomeNewsIntro to the storyHeadline of the pieceByline Person" + '"Quoted words open this paragraph," '
            "said someone who spoke at length about the matter at hand and more. " * 4)
    pieces = unglue(line)
    assert not any(piece == '"' for piece in pieces)
    assert any(piece.startswith('"Quoted words') for piece in pieces)


def test_runs_of_spaces_in_a_glued_line_are_seams_too() -> None:
    """Indented template text glued into one line keeps its indentation between blocks."""
    line = ("Home     Blog     Fitness          How To Use Gym Equipment (With Confidence!)          "
            "By Jane Doe     June 11, 2025     5 min          Share:     "
            + "Gym machines can look confusing on a first visit, but each one is built for one "
              "movement and most have a card that shows how to set it up and use it safely. ")
    pieces = unglue(line)
    assert "How To Use Gym Equipment (With Confidence!)" in pieces
    assert pieces[:3] == ["Home", "Blog", "Fitness"]


def test_a_paragraph_with_double_spaces_is_not_cut() -> None:
    line = ("The council voted on Tuesday.  It will build eleven kilometres of protected lanes "
            "along both banks of the River Avon.  The work will take three years.  Most of it is "
            "paid for by a regional fund that was set up last spring by the Transport Board.  "
            "Opponents warned about parking.  Shops on Bridge Street said they would lose trade.  "
            "The Mayor said the plan would be reviewed after the first year of work.")
    assert len(line) >= 300
    assert unglue(line) == [line]


def test_names_with_a_capital_inside_stay_whole() -> None:
    line = ("Follow usTwitterYouTubeThe council voted on Tuesday to build new cycling lanes. "
            "The plan will take three years.More about GitHub ActionsShare on WhatsAppRead the report. ") * 3
    pieces = unglue(line)
    assert pieces[:3] == ["Follow us", "Twitter", "YouTube"]
    assert "Share on WhatsApp" in pieces and "More about GitHub Actions" in pieces
    assert "Pricing changes for GitHub Actions" in split_at_seams("NewsPricing changes for GitHub Actions")


def test_a_decimal_number_is_no_seam() -> None:
    assert split_at_seams("Version 3.5 of the tool runs 2.5 times faster") == [
        "Version 3.5 of the tool runs 2.5 times faster"]


def test_the_columns_of_a_table_row_stay_on_one_line() -> None:
    row = "    ".join(["2019-01-01", "12.5", "13.1", "12.9", "14.0", "15.2", "16.8", "17.1", "18.3",
                       "19.0", "20.4", "21.7", "22.2", "23.9", "24.1", "25.6", "26.3", "27.0",
                       "28.8", "29.4", "30.1", "31.5", "32.2", "33.7", "34.9", "35.3", "36.0"] * 2)
    assert len(row) >= 300
    assert unglue(row) == [row]


@pytest.mark.parametrize(("text", "piece"), [
    ("Connecticut7 On Your Side: Movers under investigation", "7 On Your Side: Movers under investigation"),
    ("The Best Tax Prep Software of 2025By Genevieve Carlton", "The Best Tax Prep Software of 2025"),
    ("SecurityIT & Cybersecurity Best Practices", "IT & Cybersecurity Best Practices"),
    ("Certificate programs in NYCFrom Microsoft to Adobe", "Certificate programs in NYC"),
    ("Best Language Learning App (tested by experts)by Christian Roth",
     "Best Language Learning App (tested by experts)"),
    ("Strength TrainingI Tried Amp, the Strength Training System", "I Tried Amp, the Strength Training System"),
    ("How Much Should You Charge For A Yoga Class?A guide on pricing", "How Much Should You Charge For A Yoga Class?"),
    ("Mobile UX Design: The Ultimate Guide 2025PUBLISHED", "Mobile UX Design: The Ultimate Guide 2025"),
    ("What are you looking for?10 Best Car Rentals in 2025", "10 Best Car Rentals in 2025"),
    ("Use tab to navigate the menu.001 Night trains return", "001 Night trains return"),
    ("Agencies•11 Best Social Media Agencies in 2025", "11 Best Social Media Agencies in 2025"),
])
def test_the_headline_search_sees_pieces_glued_at_numbers_acronyms_and_brackets(text: str, piece: str) -> None:
    assert piece in split_at_seams(text)
    assert unglue(text) == [text]  # the text itself is not cut at these looser seams


def test_the_text_reader_numbers_blocks_by_the_blank_lines_above_them() -> None:
    """Lines between the same blank lines are one block (a scraper's paragraph), whatever the
    number of blanks between blocks; the pieces of a glued line keep its block."""
    from cleaner.read.text import text_lines

    glued = ("HomeAboutContactGardening NewsMay 3, 2017 By Jane Doe" + "Tomatoes need sun. " * 14
             + "Water them in the morning.Read MoreShareTweetFooter Links")
    lines = text_lines(f"\n\nFirst line\nSecond line\n\n\n\nAfter three blanks\n \n{glued}\n")
    assert [(line.text, line.block) for line in lines[:3]] == [
        ("First line", 2), ("Second line", 2), ("After three blanks", 5)]
    assert len(lines) > 4 and {line.block for line in lines[3:]} == {6}
    assert text_lines("") == [] and text_lines("\n\n \n") == []


@pytest.mark.parametrize("row", ["  ".join(["--"] * 800), "|  " * 700 + "Total 12", "=  " * 900],
                         ids=["dashes", "empty-cells", "rule"])
def test_a_long_row_of_empty_cells_is_read_and_the_page_cleaned(row: str) -> None:
    # A flattened table of empty cells: no block before its last gap has a letter or a digit,
    # so the only block is the row itself, which must not be read again and again.
    from cleaner import clean, load_rulebook

    assert unglue(row.strip()) == [row.strip()]
    page = ("A short story about the harbour and the people who keep it running every day.\n\n"
            f"{row}\n\nThe ferry leaves at eight and returns at noon, unless the weather turns.\n")
    doc = clean(page.encode(), load_rulebook())
    assert "ferry leaves at eight" in doc.text
