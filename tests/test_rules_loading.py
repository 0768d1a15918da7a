"""Loading rule files: broken ones are refused with one clear message each (file, line, rule id),
never a traceback; good user folders add rules, from --rules or from CLEANER_RULES.

Each file in fixtures/rules-bad/ holds exactly one mistake, explained in its first comment line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner
from conftest import RULES_BAD

from cleaner import RuleError, clean_text, load_rulebook
from cleaner.cli.app import main
from cleaner.cli.options import ENV_RULES
from cleaner.document import Document
from cleaner.page import Page
from cleaner.read.text import text_lines
from cleaner.rules.load import builtin_rules_dir
from cleaner.rules.run import run_rules


class Bad(NamedTuple):
    file: str
    line: int
    rule: str | None  # None where the file is not even YAML, so no rule can be named
    says: str  # words the message must contain


BAD = [
    Bad("yaml-syntax.yaml", 5, None, "YAML syntax error"),
    Bad("unknown-key.yaml", 8, "bad-unknown-key/share-label", "unknown key 'ignore_cas'"),
    Bad("misspelt-required-key.yaml", 6, "bad-misspelt-key/share-label", "unknown key 'mach'"),
    Bad("wrong-type.yaml", 8, "bad-wrong-type/read-more", "expected integer"),
    Bad("bad-regex.yaml", 7, "bad-regex/sprite", "bad regex"),
    Bad("example-fails.yaml", 10, "bad-example/newsletter-box",
        "'Subscribe to our newsletter' should be dropped"),
    Bad("duplicate-key.yaml", 8, None, "key 'action' appears twice"),
    Bad("duplicate-id.yaml", 11, "bad-duplicate-id/share-label", "rule id used twice"),
    Bad("extract-without-field.yaml", 8, "bad-extract/dateline", "needs 'field'"),
    Bad("python-tag.yaml", 5, None, "python/object"),
    Bad("disable-unknown.yaml", 5, None, "no rule has the id 'generic/share-rows'"),
]


def test_every_bad_file_is_in_the_table() -> None:
    assert sorted(p.name for p in RULES_BAD.glob("*.yaml")) == sorted(b.file for b in BAD)


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.file.removesuffix(".yaml"))
def test_bad_file_gives_one_clear_message(bad: Bad) -> None:
    path = RULES_BAD / bad.file
    with pytest.raises(RuleError) as caught:
        load_rulebook([path], check_examples=True)
    problems = caught.value.problems
    assert len(problems) == 1, "one mistake, one message; got:\n" + str(caught.value)
    problem = problems[0]
    assert Path(problem.path).name == bad.file
    assert problem.line == bad.line, f"line {problem.line}, expected {bad.line}: {problem}"
    if bad.rule is not None:
        assert problem.rule == bad.rule, str(problem)
    assert bad.says in problem.message, str(problem)
    # The printed form leads with where to look: "path:line: [set/id] message".
    text = str(problem)
    assert text.startswith(f"{problem.path}:{bad.line}:"), text
    if bad.rule is not None:
        assert f"[{bad.rule}]" in text


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.file.removesuffix(".yaml"))
def test_rules_check_reports_bad_file_without_traceback(bad: Bad) -> None:
    result = CliRunner().invoke(main, ["rules", "check", str(RULES_BAD / bad.file)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert f"{bad.file}:" in result.stderr and bad.says in result.stderr


def test_python_tags_are_never_run(tmp_path: Path) -> None:
    """Safe loading: a tag that would build a Python object is refused, not executed."""
    marker = tmp_path / "ran"
    rules = tmp_path / "evil.yaml"
    rules.write_text(
        "name: evil\nrules:\n  - id: x\n"
        f"    why: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path "
        f"['{marker}']]\n"
        "    match: {lines: [Share]}\n    action: drop\n    examples: {drop: [Share]}\n",
        encoding="utf-8")
    with pytest.raises(RuleError):
        load_rulebook([rules])
    assert not marker.exists()


def test_the_whole_bad_folder_lists_a_problem_per_file() -> None:
    with pytest.raises(RuleError) as caught:
        load_rulebook([RULES_BAD], check_examples=True)
    named = {Path(p.path).name for p in caught.value.problems}
    # disable is checked once the files themselves load, so it may wait for the others.
    assert {b.file for b in BAD} - {"disable-unknown.yaml"} <= named


def test_unknown_disable_on_the_command_line_is_refused() -> None:
    with pytest.raises(RuleError, match="generic/no-such-rule"):
        load_rulebook(disabled=["generic/no-such-rule"])


def test_missing_rule_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="rule folder not found"):
        load_rulebook([tmp_path / "nowhere"])


# User rule folders.

GAZETTE_RULES = """\
name: example-gazette
description: The Example Gazette's article pages.
site: Example Gazette
applies_to:
  contains: ["The Example Gazette"]
rules:
  - id: subscribe-box
    why: The Gazette prints a subscription offer in the middle of every article.
    match:
      regex: '^Subscribe to the Gazette from £\\d+ a (?:week|month)$'
    action: drop
    examples:
      drop: ["Subscribe to the Gazette from £1 a week"]
      keep: ["Readers who subscribe to the Gazette from abroad pay more."]
"""

GAZETTE_PAGE = """\
The Example Gazette
Menu

Harbour festival moves to September

The harbour festival will move from July to September next year, the organisers said on Monday, \
after two summers in which heat warnings forced them to cancel the afternoon concerts.

Subscribe to the Gazette from £1 a week

Stalls and boat trips will run as before. The fireworks will start an hour earlier.
"""


@pytest.fixture
def gazette_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "example-gazette.yaml").write_text(GAZETTE_RULES, encoding="utf-8")
    return folder


def _check_gazette(rulebook_sets: list[str], text: str, site: str | None) -> None:
    assert "example-gazette" in rulebook_sets
    assert "Subscribe to the Gazette" not in text
    assert "The fireworks will start an hour earlier." in text
    assert site == "Example Gazette"


def test_rules_option_adds_a_site_rule(gazette_rules: Path) -> None:
    rulebook = load_rulebook([gazette_rules])
    doc = clean_text(GAZETTE_PAGE, rulebook)
    _check_gazette([s.name for s in rulebook.sets], doc.text, doc.site)
    assert doc.removed["example-gazette/subscribe-box"] == 1


def test_environment_variable_adds_a_site_rule_to_the_commands(gazette_rules: Path,
                                                               tmp_path: Path) -> None:
    page = tmp_path / "gazette.txt"
    page.write_text(GAZETTE_PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(page), "--json"],
                                env={ENV_RULES: str(gazette_rules)})
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["removed"]["example-gazette/subscribe-box"] == 1
    _check_gazette(["example-gazette"], record["text"], record["site"])
    listed = CliRunner().invoke(main, ["rules", "list"], env={ENV_RULES: str(gazette_rules)})
    assert "example-gazette/subscribe-box" in listed.stdout


def test_the_library_reads_no_environment(gazette_rules: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_RULES, str(gazette_rules))
    rulebook = load_rulebook()
    assert "example-gazette" not in [s.name for s in rulebook.sets]
    assert "Subscribe to the Gazette" in clean_text(GAZETTE_PAGE, rulebook).text


def test_site_rule_applies_only_where_it_should(gazette_rules: Path) -> None:
    rulebook = load_rulebook([gazette_rules])
    other = GAZETTE_PAGE.replace("The Example Gazette\n", "")
    doc = clean_text(other, rulebook)
    assert doc.site is None
    assert "Subscribe to the Gazette from £1 a week" in doc.text


def test_rules_are_ordered_site_sets_first_then_generic_by_file_name(gazette_rules: Path) -> None:
    rulebook = load_rulebook([gazette_rules])
    names = [s.name for s in rulebook.sets]
    assert names[-1] == "generic"
    assert names[:-1] == ["example-gazette", "blogspot.com", "rt.com"]  # load order: the user's first
    generic = next(s for s in rulebook.sets if s.name == "generic")
    files = [rule.location.rsplit(":", 1)[0] for rule in generic.rules]
    assert files == sorted(files), "generic rules run in file-name order"
    assert all(f.startswith(str(builtin_rules_dir())) for f in files)


AFTER_FINDER_RULES = """\
name: example-after
rules:
  - id: stamp
    why: A comment's time stamp; the finder reads it first.
    match: {regex: '^STAMP \\d+$'}
    where: {after_finder: true}
    action: drop
    examples:
      drop: ["STAMP 1"]
"""


def test_a_rule_after_the_finder_runs_on_what_the_finder_kept(tmp_path: Path) -> None:
    (tmp_path / "after.yaml").write_text(AFTER_FINDER_RULES, encoding="utf-8")
    rulebook = load_rulebook([tmp_path])
    rule = next(r for r in rulebook.select([], None).rules if r.id == "example-after/stamp")
    assert rule.after_finder
    page = Page(text_lines("STAMP 1\n\nSome text here."), Document())
    selection = rulebook.select((ln.text for ln in page.lines), None)
    run_rules(page, selection)  # the rules before the finder leave it
    assert page.lines[0].alive
    run_rules(page, selection, after_finder=True)
    assert not page.lines[0].alive
    doc = clean_text("A heading\n\n" + "A sentence of the article that goes on for a while. " * 8
                     + "\n\nSTAMP 7\n\nThe article goes on after it, with more words in it. " * 3, rulebook)
    assert "STAMP" not in doc.text


AT_LEAST_RULES = """\
name: example-at-least
rules:
  - id: thread
    why: Every comment opens with its author; two of them make a thread.
    match:
      regex: '^\\w+ says:$'
      at_least: 2
    action: cut_after
    examples:
      drop: ["Jane says:"]
"""


def test_a_rule_with_at_least_acts_only_when_enough_lines_match(tmp_path: Path) -> None:
    (tmp_path / "thread.yaml").write_text(AT_LEAST_RULES, encoding="utf-8")
    rulebook = load_rulebook([tmp_path])
    # Two sentences: a cut needs an article above its marker (docs/rules.md, cut_after).
    article = "The article, with a sentence that goes on for a while. And a second one, as long as the first.\n\n"
    once = clean_text(article + "Jane says:\n\nA quote from Jane.", rulebook, url=None)
    assert "Jane says:" in once.text
    thread = clean_text(article + "Jane says:\n\nFirst comment.\n\nJohn says:\n\nSecond comment.", rulebook)
    assert "says" not in thread.text and "comment" not in thread.text
    assert thread.text.startswith("The article")


AT_MOST_RULES = """\
name: example-at-most
rules:
  - id: thread-heading
    why: One count heads a news site's comment thread; a Q&A page prints one under every answer.
    match:
      regex: '^\\d+ comments$'
      at_most: 1
    action: cut_after
    examples:
      drop: ["14 comments"]
"""


def test_a_rule_with_at_most_acts_only_when_few_enough_lines_match(tmp_path: Path) -> None:
    (tmp_path / "heading.yaml").write_text(AT_MOST_RULES, encoding="utf-8")
    rulebook = load_rulebook([tmp_path])
    # Two sentences: a cut needs an article above its marker (docs/rules.md, cut_after).
    article = "The article, with a sentence that goes on for a while. And a second one, as long as the first.\n\n"
    thread = clean_text(article + "14 comments\n\nFirst comment.\n\nSecond comment.", rulebook)
    assert thread.text == article.strip()
    answers = article + "3 comments\n\nA comment on the question.\n\nAn answer.\n\n2 comments\n\nA comment on it."
    assert clean_text(answers, rulebook).text == clean_text(answers, load_rulebook([])).text


JOINED_RULES = """\
name: example-joined
rules:
  - id: menu
    why: A menu a scraper glued into one line.
    match:
      lines: [Home, News, Contact us]
      joined: true
    action: drop
    examples:
      drop: ["HomeNewsContact us", "Home | News", "News"]
      keep: ["Home news from the council", "HomeNewsletter"]
"""


def test_a_joined_lines_match_takes_labels_glued_or_set_apart(tmp_path: Path) -> None:
    (tmp_path / "menu.yaml").write_text(JOINED_RULES, encoding="utf-8")
    rulebook = load_rulebook([tmp_path])
    page = "HomeNewsContact us\n\nThe article, with a sentence that goes on for a while.\n\nHome · News"
    assert clean_text(page, rulebook).text == "The article, with a sentence that goes on for a while."


def test_joined_without_lines_names_the_rule_and_the_fix(tmp_path: Path) -> None:
    bad = JOINED_RULES.replace("lines: [Home, News, Contact us]", "regex: '^Home$'")
    (tmp_path / "menu.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rulebook([tmp_path])
    message = str(caught.value)
    assert "menu.yaml" in message and "example-joined/menu" in message and "joined needs lines" in message


def test_distinct_without_a_count_names_the_rule_and_the_fix(tmp_path: Path) -> None:
    bad = JOINED_RULES.replace("joined: true", "distinct: true")
    assert bad != JOINED_RULES
    (tmp_path / "menu.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rulebook([tmp_path])
    message = str(caught.value)
    assert "menu.yaml" in message and "example-joined/menu" in message and "distinct needs at_least" in message


def test_a_copy_of_the_builtin_rules_checks_as_the_builtin_rules(tmp_path: Path) -> None:
    """A checkout's rules/ beside an installed package holds copies of the built-in files:
    `cleaner rules check rules/` checks them as the built-in rules, not as a second set with
    the same ids; a copy that was edited is a set of its own (and its ids clash)."""
    import shutil

    copy = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), copy)
    result = CliRunner().invoke(main, ["rules", "check", str(copy)])
    assert result.exit_code == 0, result.output
    count = sum(len(rule_set.rules) for rule_set in load_rulebook().sets)
    assert f"ok: {count} rule(s) checked" in result.output
    edited = copy / "sites" / "rt.com.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "check", str(copy)])
    assert result.exit_code == 2
    assert "already used" in result.output


LANGUAGE_RULES = """\
name: example-languages
rules:
  - id: door-byline
    why: '"Door" opens a Dutch byline; on an English page it is a door.'
    match:
      regex: '^Door (?P<authors>\\\\p{Lu}\\\\pL+ \\\\p{Lu}\\\\pL+)$'
    where: {languages: [nl]}
    action: extract
    examples:
      extract:
        - {line: "Door Jan Visser", value: "Jan Visser"}
"""


@pytest.mark.parametrize(("language", "authors"), [("nl", ["Jan Visser"]), ("en", []), (None, [])])
def test_a_rule_for_some_languages_runs_only_on_their_pages(tmp_path: Path, language: str | None,
                                                             authors: list[str]) -> None:
    (tmp_path / "languages.yaml").write_text(LANGUAGE_RULES, encoding="utf-8")
    rulebook = load_rulebook([tmp_path])  # the example, read as a Dutch page, holds
    page = Page(text_lines("Door Jan Visser\n\nSome text here."), Document(language=language))
    run_rules(page, rulebook.select((ln.text for ln in page.lines), None))
    assert page.doc.authors == authors
    assert page.lines[0].alive is (not authors)


def test_a_language_that_is_no_code_is_refused(tmp_path: Path) -> None:
    (tmp_path / "languages.yaml").write_text(LANGUAGE_RULES.replace("[nl]", "[Dutch]"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"languages.*ISO 639-1 language code"):
        load_rulebook([tmp_path])


def test_a_site_set_is_chosen_by_the_url_host_alone_or_else_by_the_page_text() -> None:
    """With the URL, a set that names hosts is chosen by the host (the page's lines are not even
    read: the selection is made again at every settling round); without it, by a line the page
    contains or a ``matches`` regex."""
    rulebook = load_rulebook()

    def unread() -> Iterator[str]:
        raise AssertionError("the page's lines were read")
        yield ""

    by_host = rulebook.select(unread(), "https://someone.blogspot.com/2024/05/harbour.html")
    assert [s.name for s in by_host.sets] == ["blogspot.com", "generic"]
    elsewhere = rulebook.select(["Post a Comment"], "https://harbour.example/news")
    assert [s.name for s in elsewhere.sets] == ["generic"]  # the host decides
    by_line = rulebook.select(["Harbour news", "", "Post a Comment"], None)
    assert [s.name for s in by_line.sets] == ["blogspot.com", "generic"]
    by_regex = rulebook.select(["icon bookmark-bicon bookmarkicon cameraicon"], None)
    assert [s.name for s in by_regex.sets] == ["rt.com", "generic"]
    assert [s.name for s in rulebook.select(["Harbour news"], None).sets] == ["generic"]
