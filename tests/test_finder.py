"""The content finder: the hand-written scorer, the learned line scorer and its model file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from cleaner import load_rulebook
from cleaner.find import finder
from cleaner.find.finder import TEXT_FEATURES, find_content, heuristic, line_features, lines_model, text_line_features
from cleaner.find.linefeatures import FEATURES, SHAPE, line_shape
from cleaner.lang.detect import stopwords_of
from cleaner.models.store import load_trees
from cleaner.pipeline import clean_text

MENU = ["Home", "News", "Sport", "Culture", "Weather", "Contact", "Subscribe", "Log in"]
ARTICLE = [
    "City council approves new cycling lanes along the river",
    "The council voted on Tuesday evening to build eleven kilometres of protected cycling lanes along "
    "both banks of the river, the largest change to the streets of the city in a generation.",
    "The plan, which passed by nine votes to four, will take three years to complete and cost an "
    "estimated 14 million euros, most of it from a regional transport fund set up last spring.",
    "Supporters said the lanes would make commuting safer for the thousands of residents who already "
    "cycle to work, while opponents warned about the loss of parking spaces in the old town.",
    "Work on the first section, between the station and the university, is due to start in the autumn "
    "and should be finished before the end of next year if the weather allows it.",
]
FOOTER = ["About us", "Privacy policy", "Terms of use", "Cookie settings", "Advertise", "Careers",
          "Follow us", "© 2024 The Daily Example"]


def test_the_model_loads_with_the_codes_features() -> None:
    model = lines_model()
    # The line features alone, or with the run features (the file names which).
    assert model.features in (FEATURES, TEXT_FEATURES)
    assert model.depth > 0 and len(model.roots) >= 50


def test_features_have_one_row_per_line_and_one_column_per_name() -> None:
    lines = MENU + ARTICLE + FOOTER
    found = heuristic(lines, "en")
    assert not found.whole
    x, words = text_line_features(lines, found)
    assert x.shape == (len(lines), len(TEXT_FEATURES))
    assert np.isfinite(x).all()
    assert (x[:, : len(FEATURES)] == line_features(lines, found)[0]).all()
    x, _ = finder.scorer_features(lines, found, lines_model())
    assert words.tolist() == [len(re.findall(r"\w+", line)) for line in lines]
    probabilities = lines_model().predict(x)
    assert probabilities.shape == (len(lines),)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_the_article_stays_and_the_chrome_goes() -> None:
    doc = clean_text("\n\n".join(MENU + ARTICLE + FOOTER), load_rulebook())
    kept = doc.text.split("\n\n")
    assert kept == ARTICLE[1:]
    assert doc.title == ARTICLE[0]
    verdict = find_content(MENU + ARTICLE + FOOTER, "en")
    assert verdict.end <= len(MENU) + len(ARTICLE)


def test_a_page_the_hand_written_finder_keeps_whole_stays_whole() -> None:
    prose = ARTICLE[1:]
    assert heuristic(prose, "en").whole
    assert find_content(prose, "en").keep == [True] * len(prose)
    short = ["Home", "Contact", "A short note."]
    assert find_content(short, "en").keep == [True, True, True]
    assert find_content([], "en").keep == []


POSTS = [
    "I replaced the chain on my commuter bike last week and now it skips in the two smallest cogs "
    "whenever I pedal hard.",
    "Did you replace the cassette too? A new chain on a worn cassette skips exactly like that, "
    "especially on the small cogs.",
    "No, only the chain. The cassette has about eight thousand kilometres on it, so it is probably "
    "worn as well by now.",
    "That is almost certainly it then. Check the teeth of the small cogs, they will look like shark "
    "fins if they are worn.",
    "Thanks, I had a look this morning and the small cogs are clearly hooked. I will order a new "
    "cassette today.",
    "Let us know how it goes. Also check the chainring teeth while you are at it, they wear out more "
    "slowly but they do.",
]
POST_CHROME = ("Reply", "Quote", "Report")
THREAD = ["Home", "Forums", "Bikes and repair", "Log in", "Register", "Search",
          *[line for n, post in enumerate(POSTS) for line in (f"rider{n}", "Posted 3 days ago", post, *POST_CHROME)],
          "Terms", "Privacy", "Contact us", "© 2024 Bike Forum"]


class _SureOfPosts:
    """A stand-in line scorer: sure that the posts are text and that nothing else is."""

    features = TEXT_FEATURES

    def __init__(self, lines: list[str]) -> None:
        self.p = np.array([0.95 if line in POSTS else 0.05 for line in lines])

    def predict(self, x: np.ndarray) -> np.ndarray:
        assert x.shape == (len(self.p), len(TEXT_FEATURES))
        return self.p


def test_a_thread_of_posts_is_whole_for_the_hand_written_finder_but_the_scorer_decides(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # No post outweighs the others: the hand-written finder cannot choose a main region.
    found = heuristic(THREAD, "en")
    assert found.whole and found.spread
    # The learned scorer still decides there, taking away what it is sure of outside the run of
    # posts (the menu and the footer); the short lines between posts go with their run.
    monkeypatch.setattr(finder, "lines_model", lambda: _SureOfPosts(THREAD))
    kept = [line for line, keep in zip(THREAD, find_content(THREAD, "en").keep, strict=True) if keep]
    assert kept == THREAD[THREAD.index(POSTS[0]):THREAD.index(POSTS[-1]) + 1]
    # With the shipped model every post stays.
    monkeypatch.undo()
    verdict = find_content(THREAD, "en")
    assert all(keep for line, keep in zip(THREAD, verdict.keep, strict=True) if line in POSTS)


def test_a_model_with_other_features_is_refused_by_name(tmp_path: Path) -> None:
    data = json.loads(finder.LINES_MODEL.read_text(encoding="utf-8"))
    data["features"] = [*data["features"][:-1], "something_else"]
    path = tmp_path / "lines.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"lines\.json.*train_finder"):
        load_trees(path, TEXT_FEATURES, "bench/train_finder.py")


def test_the_join_keeps_what_both_agree_on_and_what_the_learned_scorer_is_sure_of() -> None:
    learned = finder.Verdict([True, True, False, False, True, True, False], 4, 6)
    hand_written = finder.Verdict([True, False, True, True, False, False, False], 2, 4)
    probabilities = np.array([0.1, 0.9, 0.31, 0.29, 0.61, 0.59, 0.99])
    joined = finder.join(learned, hand_written, probabilities, 0.3, 0.6)
    # Both keep it (however low its probability); the learned selection's line with a sure
    # probability; a hand-written keep not doubted; a doubted one; another sure one; a weak line
    # the learned run carried; a line neither selection keeps.
    assert joined.keep == [True, True, True, False, True, False, False]
    assert (joined.start, joined.end) == (2, 4)


def test_a_learned_verdict_that_keeps_too_little_gives_way() -> None:
    words = np.array([10.0, 10.0, 10.0, 10.0])
    hand_written = finder.Verdict([True, True, True, True], 0, 4)
    tiny = finder.Verdict([True, False, False, False], 0, 1)
    assert finder.guard(tiny, words, hand_written, 0.3) is hand_written
    fair = finder.Verdict([True, True, False, False], 0, 2)
    assert finder.guard(fair, words, hand_written, 0.3) is fair


# A page of short lines (a fixture list, a catalogue of names) with two lines of prose at its foot:
# the runs of prose the finder finds there are the site's, not an article.
SCHEDULE = [f"{home} v {away}" for home, away in zip(
    ["Arsenal", "Brighton", "Chelsea", "Everton", "Fulham", "Leeds", "Burnley", "Wolves"] * 6,
    ["Spurs", "Villa", "Newcastle", "Brentford", "Palace", "Forest", "Bournemouth", "Sunderland"] * 6,
    strict=True)]
SIGN_UP = ["Stay up to date with the latest news, offers and events from the club by joining our newsletter today.",
           "By subscribing you agree to receive emails from us and accept the terms of our privacy policy."]


def test_a_page_of_short_lines_with_a_little_prose_at_its_foot_stays_whole() -> None:
    lines = ["Fixtures", *SCHEDULE, *SIGN_UP]
    found = heuristic(lines, "en")
    assert not found.whole  # the hand-written finder cuts it to the sign-up prose
    assert find_content(lines, "en").keep == [True] * len(lines)


def test_too_few_words_kept_from_a_larger_page_keep_it_whole() -> None:
    words = np.array([40.0, 30.0, 30.0, 60.0, 40.0])
    small = finder.Verdict([False, True, True, False, False], 1, 3)
    assert finder.no_article_whole(small, words, 100, 0.35).keep == [True] * 5
    # An article's worth of words, or most of a small page's, is a verdict that stands.
    enough = finder.Verdict([True, True, True, False, False], 0, 3)
    assert finder.no_article_whole(enough, words, 100, 0.35) is enough
    assert finder.no_article_whole(small, np.array([5.0, 30.0, 30.0, 5.0, 5.0]), 100, 0.35) is small


def test_a_heading_below_the_first_paragraph_stays_in_the_body() -> None:
    body = [ARTICLE[1], "What happens next", ARTICLE[2], ARTICLE[3], "Who pays for it", ARTICLE[4]]
    doc = clean_text("\n\n".join(MENU + body + FOOTER), load_rulebook())
    assert doc.text.split("\n\n") == body


def _recursive_segments(scores: list[float]) -> set[tuple[int, int]]:
    """The definition `finder._segments` computes in one pass: take the maximum-sum run, then
    the maximum-sum runs left and right of it, and so on, while they are worth more than
    MIN_SEGMENT."""
    found = set()
    stack = [(0, len(scores))]
    while stack:
        lo, hi = stack.pop()
        best, best_start, best_end, running, start = 0.0, lo, lo, 0.0, lo
        for i in range(lo, hi):
            if running <= 0:
                running, start = 0.0, i
            running += scores[i]
            if running > best:
                best, best_start, best_end = running, start, i + 1
        if best > finder.MIN_SEGMENT:
            found.add((best_start, best_end))
            stack += [(lo, best_start), (best_end, hi)]
    return found


@pytest.mark.parametrize("seed", range(6))
def test_segments_are_the_recursive_maximum_sum_runs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(300):
        size = int(rng.integers(0, 80))
        if seed % 2:  # few distinct values: ties everywhere
            scores = rng.choice([-4.0, -1.0, 0.0, 2.0, 5.0, 9.0, 12.0, 30.0], size).tolist()
        else:
            scores = rng.uniform(-8.0, 15.0, size).tolist()
        runs = finder._segments(scores, 0, size)
        assert {(start, end) for _, start, end in runs} == _recursive_segments(scores)
        for total, start, end in runs:
            assert total == pytest.approx(sum(scores[start:end]))


def test_a_page_of_thousands_of_prose_blocks_keeps_every_block() -> None:
    # Each block beats the menu lines between them; the one-pass search finds all 3,000.
    scores = ([25.0, 25.0] + [-4.0] * 15) * 3000
    runs = finder._segments(scores, 0, len(scores))
    assert [(start, end) for _, start, end in runs] == [(17 * k, 17 * k + 2) for k in range(3000)]


def _column(x: np.ndarray, name: str) -> list[float]:
    return [round(float(v), 3) for v in x[:, FEATURES.index(name)]]


def test_cues_mark_short_lines_that_open_what_follows_an_article() -> None:
    lines = [*MENU, *ARTICLE, "3 Comments", "Jane Doe says:", "Reply", "You may also like",
             "About the author", "Share this article", "Comments from readers shaped the final report, "
             "the mayor said on Friday after the vote on the new plan."]
    x, _ = line_features(lines, heuristic(lines, "en"))
    first = len(MENU) + len(ARTICLE)
    assert _column(x, "cue_comments")[first:] == [1, 0, 1, 0, 0, 0, 0]
    assert _column(x, "comment_header")[first:] == [0, 1, 1, 0, 0, 0, 0]
    assert _column(x, "cue_related")[first:] == [0, 0, 0, 1, 0, 0, 0]
    assert _column(x, "cue_author")[first:] == [0, 0, 0, 0, 1, 0, 0]
    assert _column(x, "cue_share")[first:] == [0, 0, 0, 0, 0, 1, 0]
    # A sentence that mentions comments is prose, not a cue.
    assert _column(x, "cue_any")[-1] == 0
    # Counted from the hand-written region's start: none inside the article, one more after each cue.
    since = _column(x, "cues_since_start_log")
    assert since[:first] == [0.0] * first
    assert since[first:] == [round(float(np.log1p(k)), 3) for k in (0, 1, 1, 2, 3, 4, 5)]
    # Words between the last cue above and the line ("Jane Doe says" and "Reply" lie between
    # "3 Comments" and "You may also like"; "Reply" is a cue itself).
    assert _column(x, "words_since_cue_log")[first + 3] == 0.0
    assert _column(x, "words_since_cue_log")[first + 2] == round(float(np.log1p(3)), 3)



@pytest.mark.parametrize(("line", "cue"), [
    ("Комментарии (12)", "cue_comments"), ("Kommentare", "cue_comments"), ("12 comentarios", "cue_comments"),
    ("Читайте также", "cue_related"), ("Keep reading", "cue_related"), ("À lire aussi", "cue_related"),
    ("Läs också", "cue_related"), ("Mest lästa", "cue_related"), ("Les plus lus", "cue_related"),
    ("Автор", "cue_author"), ("Über den Autor", "cue_author"),
    ("Étiquettes", "cue_share"), ("Теги: политика", "cue_share"), ("Etiquetas", "cue_share"),
    ("Anna Lee says:", "comment_header"), ("vor 3 Stunden", "comment_header"), ("Antworten", "comment_header"),
])
def test_cues_in_the_languages_of_the_rules(line: str, cue: str) -> None:
    shape = dict(zip(SHAPE, line_shape(line, stopwords_of("en")), strict=True))
    assert shape[cue] == 1.0
    others = {"cue_comments", "cue_related", "cue_author", "cue_share"} - {cue}
    if cue != "comment_header":
        assert all(shape[name] == 0.0 for name in others)
