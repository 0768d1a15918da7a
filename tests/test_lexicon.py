"""The lexicon: its files load, its alternations are escaped and longest first, rule regexes
reference it with {lexicon:KIND[/LANGS][:capitalised]}, and a wrong reference is a rule error
naming file, line and rule id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaner import RuleError, load_rulebook
from cleaner.find import linefeatures
from cleaner.lang import lexicon
from cleaner.meta import byline, date, fields, headline, headline_text
from cleaner.rules.patterns import Pattern

CAPITALISED_KINDS = {"job-titles", "job-title-qualifiers"}  # written as bylines print them


def test_every_kind_loads_with_words_in_every_language() -> None:
    assert lexicon.kinds()
    for kind in lexicon.kinds():
        for language in lexicon.languages(kind):
            words = lexicon.words(kind, language)
            assert words, f"{kind}/{language} has no words"
            assert all(word == word.strip() and "  " not in word for word in words), (kind, language)
            if kind not in CAPITALISED_KINDS:
                assert all(word == word.lower() for word in words), f"{kind}/{language}: lower-case words"


def test_every_alternation_compiles_for_re2() -> None:
    # The escaping leaves spaces, hyphens and apostrophes as they are: RE2 must still run a rule
    # that references any kind (else the rule would fall back to the slow engine).
    for kind in lexicon.kinds():
        pattern = Pattern(f"^(?:{lexicon.alternation(kind)})$", f"test/{kind}")
        assert pattern.linear, kind
        assert all(pattern.search(word) for word in lexicon.words(kind)), kind


def test_months_keep_their_numbers_and_forms() -> None:
    english = lexicon.groups("months", "en")
    assert len(english) == 12
    assert english[8] == ("september", "sept", "sep")
    for language in lexicon.languages("months"):
        assert len(lexicon.groups("months", language)) == 12, language
    assert len(lexicon.groups("weekdays", "en")) == 7


def test_words_of_one_several_or_every_language() -> None:
    assert lexicon.words("byline-cues", "de") == ("von",)
    assert lexicon.words("byline-cues", ["en", "de"]) == ("by", "von")
    union = lexicon.words("byline-cues")
    assert len(union) == len(set(union)), "each word once ('por' is Spanish and Portuguese)"
    assert {"by", "von", "par", "por", "oleh"} <= set(union)


def test_alternation_is_escaped_and_longest_first() -> None:
    alternatives = lexicon.alternation("published-labels", "fr").split("|")
    assert alternatives == ["publié le", "publié", "le"]
    assert lexicon.escape("kl. (x)|y") == r"kl\. \(x\)\|y"
    assert lexicon.alternation("byline-cues", ["en", "da"], capitals=True) == "By|Af"
    lengths = [len(w) for w in lexicon.alternation("months").split("|")]
    assert lengths == sorted(lengths, reverse=True)


def test_expand_references() -> None:
    assert lexicon.expand(r"^{lexicon:byline-cues/en,de}\s") == r"^(?:von|by)\s"
    assert lexicon.expand("{lexicon:byline-cues/en:capitalised}") == "(?:By)"
    assert lexicon.expand(r"\{lexicon:byline-cues}") == r"\{lexicon:byline-cues}"  # escaped: literal
    assert lexicon.expand(r"a{2,3}\d{4}") == r"a{2,3}\d{4}"
    whole = re.compile(lexicon.expand("^{lexicon:months/de}$"), re.I)
    assert whole.match("Dezember") and whole.match("mär") and not whole.match("december")


@pytest.mark.parametrize(("reference", "says"), [
    ("{lexicon:nonsense}", "no lexicon kind 'nonsense'"),
    ("{lexicon:months/xx}", "has no words for 'xx'"),
    ("{lexicon:months:shouting}", "unknown form 'shouting'"),
    ("{lexicon:months/}", "write the languages"),
    ("{lexicon:Months}", "not a lexicon kind name"),
])
def test_bad_reference_raises(reference: str, says: str) -> None:
    with pytest.raises(lexicon.LexiconError, match=re.escape(says)):
        lexicon.expand(reference)


RULE_FILE = """\
name: lexicon-test
applies_to:
  hosts: ["example.com"]
rules:
  - id: month-line
    why: A line that is only a month name.
    match:
      regex: '^(?i:{lexicon:months/en})$'
    action: drop
    examples:
      drop: ["September", "Sept"]
      keep: ["Septembre"]

  - id: unknown-kind
    why: A reference to a kind the lexicon does not hold.
    match:
      regex: '^{lexicon:monthz}$'
    action: drop
    examples:
      drop: ["May"]
"""


def test_unknown_reference_is_a_rule_error_with_file_line_and_id(tmp_path: Path) -> None:
    path = tmp_path / "lexicon-test.yaml"
    path.write_text(RULE_FILE, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rulebook([path], builtin=False)
    problems = caught.value.problems
    assert len(problems) == 1, str(caught.value)
    problem = problems[0]
    assert Path(problem.path) == path
    assert problem.line == 17  # the line of its regex
    assert problem.rule == "lexicon-test/unknown-kind"
    assert "{lexicon:monthz}" in problem.message and "no lexicon kind 'monthz'" in problem.message


def test_a_rule_with_a_reference_runs(tmp_path: Path) -> None:
    path = tmp_path / "lexicon-test.yaml"
    path.write_text(RULE_FILE.split("\n  - id: unknown-kind")[0] + "\n", encoding="utf-8")
    book = load_rulebook([path], builtin=False)
    (rule,) = book.rules
    assert rule.patterns[0].source.startswith("^(?i:(?:september|")
    assert rule.find("SEPTEMBER") and not rule.find("Septembre")


def test_python_patterns_read_the_lexicon() -> None:
    assert fields.split_authors("Jane Doe und John Roe") == ["Jane Doe", "John Roe"]
    assert fields.parse_date("Friday, Sept. 19, 2025", "en") == "2025-09-19"
    assert linefeatures._COMMENT_CUE.search("3 kommentare")
    assert linefeatures._RELATED_CUE.search("lire aussi")
    assert linefeatures._AUTHOR_CUE.search("об авторе")
    assert linefeatures._SHARE_CUE.search("suscribete")
    assert linefeatures._COMMENT_HEADER.search("vor 3 stunden")
    assert not linefeatures._COMMENT_HEADER.search("vor dem haus")


def test_metadata_patterns_read_the_lexicon_with_the_words_their_models_learnt() -> None:
    # The date and byline models were trained on features these patterns compute: a lexicon edit
    # that changes their words changes the metadata, and wants the models trained again.
    assert date.MONTH_ABBREVIATION == r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\."
    assert date.MONTH.startswith("(?:January|February|March|April|May|June|July|August|September|")
    assert date._URL_MONTHS[4] == "may" and len(date._URL_MONTHS) == 12
    assert set(date._UPDATED_WORDS) == {"updated", "update", "modified", "last edited", "last reviewed",
                                        "aktualisiert", "mis à jour", "actualizado", "обновлено", "diperbarui"}
    assert set(date._BYLINE_WORDS) == {"by", "posted", "published", "written", "von", "par", "por", "publié",
                                       "publicado", "veröffentlicht", "опубликовано", "автор", "oleh", "diterbitkan"}
    assert set(date._COMMENT_WORDS) == {"says", "said", "reply", "replied", "comments", "comment", "antworten",
                                        "répondre", "responder", "ответить", "balas"}
    assert date.COMMENT_WORD.search("Jane at 10:45") and not date.COMMENT_WORD.search("Jane wrote")
    assert headline._BYLINE.match("от редакции") and not headline._BYLINE.match("Différence")
    assert headline_text._GLUED_AFTER.match("oleh Budi", 0) and not headline_text._GLUED_AFTER.match("af Mette", 0)
    # A particle is a whole word: 'del' is not read as 'de', where the names would end.
    assert byline._CUE.search("By Maria del Carmen")["names"] == "Maria del Carmen"
    assert byline._CUE.search("Autorka: Anna Nowak")["names"] == "Anna Nowak"
    assert not byline._CUE.search("di Mario Rossi")
    assert byline._LABEL.match("Written by") and not byline._LABEL.match("Текст: Иван")
    assert byline._BIO.match("Anna Berg är en reporter")["names"] == "Anna Berg"
    assert byline._MORE_BY.search("Posts by Jane") and byline._CONNECTOR.search("Ana y Pedro")
    assert byline._GLUED_AFTER_NAME.search("Mette JensenJournalist")
    assert not byline._GLUED_AFTER_NAME.search("Curtis LeMay") and not byline._GLUED_AFTER_NAME.search("Ann June")


def test_yaml_data_is_kept_in_the_cache_folder_and_never_served_stale(tmp_path: Path) -> None:
    """A start that finds a data file stored reads it back as the YAML parser would have read the
    file; a damaged stored file is a miss, an edited YAML file is read afresh, and data JSON would
    change (a date) is not stored."""
    import datetime

    from cleaner import cachefiles

    source = tmp_path / "words.yaml"
    source.write_text("description: x\nwords:\n  en: [[may], by]\n  'no': [av]\n", encoding="utf-8")
    folder = tmp_path / "cache"
    previous = cachefiles.folder()
    cachefiles.use_folder(folder)
    try:
        expected = {"description": "x", "words": {"en": [["may"], "by"], "no": ["av"]}}
        assert cachefiles.yaml_data(source) == expected
        [stored] = folder.glob("data-*.json")
        assert cachefiles.yaml_data(source) == expected
        stored.write_text("{not json", encoding="utf-8")
        assert cachefiles.yaml_data(source) == expected
        source.write_text("words: {en: [von]}\n", encoding="utf-8")
        assert cachefiles.yaml_data(source) == {"words": {"en": ["von"]}}
        dated = tmp_path / "dated.yaml"
        dated.write_text("when: 2024-03-01\n", encoding="utf-8")
        before = set(folder.glob("data-*.json"))
        assert cachefiles.yaml_data(dated) == {"when": datetime.date(2024, 3, 1)}
        assert set(folder.glob("data-*.json")) == before
    finally:
        cachefiles.use_folder(previous)
