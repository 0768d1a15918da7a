"""The command line, table-driven: each row is one invocation of `cleaner` (through click's
CliRunner, stdout and stderr apart) with its exit code and what stdout and stderr must hold.

Then: every command and long option must be documented in README.md or docs/*.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import (
    DOCS,
    EXPECTED,
    PAGES,
    README,
    RT_TITLE,
    RULES_BAD,
    SEED_BLOG,
    SEED_RT,
    page_files,
)

from cleaner import load_rulebook
from cleaner.cli.app import main
from cleaner.rules.load import builtin_rules_dir

RECORD_FIELDS = {"source", "title", "date", "updated", "authors", "description", "site", "url", "canonical",
                 "image", "language", "credits", "encoding", "word_count", "removed", "sources"}
SCHEMA = Path(__file__).resolve().parents[1] / "cleaner" / "rules" / "ruleset.schema.json"
BUILTIN = builtin_rules_dir()
RT_URL = "https://www.rt.com/russia/551482-foreign-volunteers-fight-ukraine/"
USER_RULES = """\
name: example-gazette
site: Example Gazette
applies_to:
  contains: ["The Example Gazette"]
rules:
  - id: subscribe-box
    why: The Gazette prints a subscription offer in the middle of every article.
    match: {regex: '^Subscribe to the Gazette from £\\d+ a week$'}
    action: drop
    examples:
      drop: ["Subscribe to the Gazette from £1 a week"]
"""
USER_PAGE = (
    "The Example Gazette\n\nHarbour festival moves to September\n\n"
    "The harbour festival will move from July to September next year, the organisers said on "
    "Monday, after two summers in which heat warnings forced them to cancel the concerts.\n\n"
    "Subscribe to the Gazette from £1 a week\n\n"
    "Stalls and boat trips will run as before. The fireworks will start an hour earlier.\n"
).encode()


@dataclass
class Env:
    """Where a case runs: a scratch output folder and a folder of user rules."""

    out: Path
    user_rules: Path
    urls: Path
    bad_urls: Path

    def expand(self, args: list[str]) -> list[str]:
        values = {"pages": str(PAGES), "out": str(self.out), "rt": str(SEED_RT),
                  "urls": str(self.urls), "bad_urls": str(self.bad_urls),
                  "blog": str(SEED_BLOG), "bad": str(RULES_BAD / "bad-regex.yaml"),
                  "bad_folder": str(RULES_BAD),
                  "user": str(self.user_rules), "builtin": str(BUILTIN)}
        return [a.format(**values) for a in args]


Check = Callable[[Result, Env], None]


@dataclass
class Case:
    id: str
    args: list[str]
    exit: int = 0
    stdin: bytes | None = None
    env: dict[str, str] = field(default_factory=dict)
    stdout: list[str] = field(default_factory=list)  # substrings stdout must contain
    stderr: list[str] = field(default_factory=list)  # substrings stderr must contain
    stdout_empty: bool = False
    check: Check | None = None


def _pages() -> list[str]:
    return [p.relative_to(PAGES).with_suffix("").as_posix() for p in page_files()]


def check_output_folder(result: Result, env: Env) -> None:
    """`run IN OUT` writes OUT/<page>.txt and .json for every page: the golden files, exactly."""
    for name in _pages():
        for suffix in (".txt", ".json"):
            written = env.out / f"{name}{suffix}"
            assert written.is_file(), f"{written} not written"
            golden = EXPECTED / f"{name}{suffix}"
            assert written.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8"), name
    record = json.loads((env.out / "000_3f013229087c380d.json").read_text(encoding="utf-8"))
    assert set(record) == RECORD_FIELDS
    assert f"{len(_pages())} cleaned, 0 failed" in result.stderr


def check_json_lines(result: Result, env: Env) -> None:
    lines = result.stdout.splitlines()
    assert len(lines) == len(_pages())
    records = [json.loads(line) for line in lines]
    for record in records:
        assert set(record) == RECORD_FIELDS | {"text"}
    assert sorted(r["source"] for r in records) == sorted(
        p.relative_to(PAGES).as_posix() for p in page_files())
    assert not env.out.exists(), "nothing is written to disk with OUTPUT -"
    assert "{" not in result.stderr, "records go to stdout only"


def check_quiet(result: Result, env: Env) -> None:
    assert "cleaned 000" not in result.stderr, "no progress lines with --quiet"
    assert (env.out / "000_3f013229087c380d.txt").is_file()


def check_clean_json(result: Result, env: Env) -> None:
    record = json.loads(result.stdout)
    assert set(record) == RECORD_FIELDS | {"text"}
    assert record["title"] == RT_TITLE
    assert record["date"] == "2022-03-11T09:40"
    assert record["source"] is None  # stdin has no file name
    assert record["text"] == (EXPECTED / "000_3f013229087c380d.txt").read_text("utf-8").rstrip("\n")


def check_clean_text(result: Result, env: Env) -> None:
    assert result.stdout == (EXPECTED / "002_1ea4b6f3b1457c71.txt").read_text(encoding="utf-8")


def check_nothing_written(result: Result, env: Env) -> None:
    assert not env.out.exists(), "a run with broken rules must not create OUTPUT"
    assert re.search(r"bad-regex\.yaml:\d+:", result.stderr), "message names file and line"
    assert "Traceback" not in result.stderr


def check_no_site_rules(result: Result, env: Env) -> None:
    record = json.loads(result.stdout)
    assert record["site"] is None
    assert not any(rule.startswith("rt.com/") for rule in record["removed"])
    assert record["date"] == "2022-03-11T09:40"  # the generic date-line rule stands in


def check_disabled(result: Result, env: Env) -> None:
    record = json.loads(result.stdout)
    assert record["credits"] == []
    assert not any(rule.endswith("-credit") for rule in record["removed"])


def check_rules_list(result: Result, env: Env) -> None:
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == 3 for row in rows)
    ids = [row[0] for row in rows]
    assert len(ids) == len(set(ids))
    assert ids.index("rt.com/dateline") < ids.index("generic/icon-sprite")  # site sets first


def _checked(result: Result) -> int:
    found = re.search(r"^ok: (\d+) rule\(s\) checked, every example holds$", result.stderr, re.M)
    assert found, result.stderr
    return int(found.group(1))


def check_builtin_rules(result: Result, env: Env) -> None:
    """The shipped rules sit in subfolders (generic/, sites/): every one of them is counted."""
    assert _checked(result) == len(load_rulebook(builtin=True).rules) > 0


def check_builtin_subfolder(result: Result, env: Env) -> None:
    """A folder inside the shipped rules is checked once, not loaded again beside itself."""
    generic = [r for r in load_rulebook(builtin=True).rules if r.id.startswith("generic/")]
    assert _checked(result) == len(generic) > 0


def check_nested_user_rules(result: Result, env: Env) -> None:
    assert _checked(result) == 1


def check_schema(result: Result, env: Env) -> None:
    assert json.loads(result.stdout) == json.loads(SCHEMA.read_text(encoding="utf-8"))


def check_user_site(result: Result, env: Env) -> None:
    record = json.loads(result.stdout)
    assert record["site"] == "Example Gazette"
    assert "Subscribe to the Gazette" not in record["text"]
    assert record["removed"].get("example-gazette/subscribe-box") == 1


def check_url_list(result: Result, env: Env) -> None:
    """A page named in the URL list (by path, or by id without the suffix) gets its URL, and
    with it the site rules of its host; the others get none."""
    records = {r["source"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert records["000_3f013229087c380d.txt"]["url"] == RT_URL
    assert records["000_3f013229087c380d.txt"]["site"] == "RT"
    assert records["clean/council_budget.txt"]["url"] == "https://example.org/2024/03/14/news"
    assert all(r["url"] is None for s, r in records.items()
               if s not in ("000_3f013229087c380d.txt", "clean/council_budget.txt"))


def check_every_page_german(result: Result, env: Env) -> None:
    """--language holds for every page, whatever its words say."""
    languages = {json.loads(line)["language"] for line in result.stdout.splitlines()}
    assert languages == {"de"}


def check_nothing_created(result: Result, env: Env) -> None:
    assert not env.out.exists(), "a run with a broken URL list must not create OUTPUT"


CASES = [
    Case("run-folder", ["run", "{pages}", "{out}"], stdout_empty=True,
         stderr=["cleaned 000_3f013229087c380d.txt", "cleaned lang/ru_cp1251.txt"],
         check=check_output_folder),
    Case("run-quiet", ["run", "{pages}", "{out}", "-q"], stdout_empty=True,
         stderr=["cleaned, 0 failed"], check=check_quiet),
    Case("run-jsonl", ["run", "{pages}", "-"], stderr=["cleaned, 0 failed"],
         check=check_json_lines),
    Case("run-jsonl-parallel", ["run", "{pages}", "-", "--jobs", "2"], check=check_json_lines),
    Case("clean-stdin", ["clean", "-"], stdin=SEED_BLOG.read_bytes(), check=check_clean_text),
    Case("clean-stdin-json", ["clean", "-", "--json"], stdin=SEED_RT.read_bytes(),
         check=check_clean_json),
    Case("clean-file", ["clean", "{blog}"], check=check_clean_text),
    Case("clean-url", ["clean", "-", "--json", "--url", "https://www.rt.com/russia/1-a/"],
         stdin=SEED_RT.read_bytes(),
         stdout=['"url": "https://www.rt.com/russia/1-a/"', '"site": "RT"']),
    Case("clean-url-generic", ["clean", "-", "--json", "--no-site-rules",
                               "--url", "https://www.rt.com/russia/1-a/"],
         stdin=SEED_RT.read_bytes(), stdout=['"site": "rt.com"']),
    Case("run-bad-rule-folder", ["run", "{pages}", "{out}", "--rules", "{bad_folder}"], exit=2,
         stdout_empty=True, stderr=["bad regex", "nothing was cleaned", "yaml-syntax.yaml:5:"],
         check=check_nothing_written),
    Case("run-bad-rule-file", ["run", "{pages}", "{out}", "--rules", "{bad}"], exit=2,
         stdout_empty=True, stderr=["1 problem(s)"], check=check_nothing_written),
    Case("clean-bad-rules", ["clean", "{rt}", "--rules", "{bad}"], exit=2, stdout_empty=True,
         stderr=["bad-regex.yaml:7: [bad-regex/sprite]"]),
    Case("no-site-rules", ["clean", "{rt}", "--json", "--no-site-rules"],
         check=check_no_site_rules),
    Case("disable-glob", ["clean", "{blog}", "--json", "--disable", "generic/*-credit"],
         check=check_disabled),
    Case("disable-unknown", ["clean", "{blog}", "--disable", "generic/no-such-rule"], exit=2,
         stdout_empty=True, stderr=["generic/no-such-rule"]),
    Case("user-rules-option", ["clean", "-", "--json", "--rules", "{user}"], stdin=USER_PAGE,
         check=check_user_site),
    Case("user-rules-env", ["clean", "-", "--json"], stdin=USER_PAGE,
         env={"CLEANER_RULES": "{user}"}, check=check_user_site),
    Case("rules-list", ["rules", "list"], stdout=["generic/icon-sprite\tdrop\t"],
         check=check_rules_list),
    Case("rules-list-user", ["rules", "list", "--rules", "{user}"],
         stdout=["example-gazette/subscribe-box\tdrop\t"]),
    Case("rules-check-good", ["rules", "check", "{user}"], stdout_empty=True,
         stderr=["ok: 1 rule(s) checked"]),
    Case("rules-check-builtin", ["rules", "check", "{builtin}"], stdout_empty=True,
         check=check_builtin_rules),
    Case("rules-check-builtin-subfolder", ["rules", "check", "{builtin}/generic"],
         stdout_empty=True, check=check_builtin_subfolder),
    Case("rules-check-nested", ["rules", "check", "{user}/.."], stdout_empty=True,
         check=check_nested_user_rules),
    Case("rules-check-bad", ["rules", "check", str(RULES_BAD)], exit=2, stdout_empty=True,
         stderr=["yaml-syntax.yaml:5:", "bad-regex.yaml:7:"]),
    Case("rules-schema", ["rules", "schema"], check=check_schema),
    Case("run-url-list", ["run", "{pages}", "-", "--urls", "{urls}"],
         stderr=["1 entry of the URL list", "(first: missing/page.txt;"], check=check_url_list),
    Case("clean-bad-url", ["clean", "{blog}", "--url", "http://[::1"], exit=2, stdout_empty=True,
         stderr=["Invalid value for --url", "is not a URL"]),
    Case("run-bad-url-list", ["run", "{pages}", "{out}", "--urls", "{bad_urls}"], exit=2,
         stdout_empty=True, stderr=["bad-urls.txt:2: 'www.example.org/a' is not an http(s) URL"],
         check=check_nothing_created),
    Case("clean-language", ["clean", "{blog}", "--json", "--language", "FR"], stdout=['"language": "fr"']),
    Case("clean-language-norwegian", ["clean", "{blog}", "--json", "--language", "no"],
         stdout=['"language": "nb"']),
    Case("clean-bad-language", ["clean", "{blog}", "--language", "english"], exit=2, stdout_empty=True,
         stderr=["Invalid value for '--language'", "'english' is not an ISO 639-1 language code"]),
    Case("run-language", ["run", "{pages}", "-", "--language", "de"], check=check_every_page_german),
    Case("run-bad-language", ["run", "{pages}", "{out}", "--language", "xx"], exit=2, stdout_empty=True,
         stderr=["'xx' is not an ISO 639-1 language code"], check=check_nothing_created),
    Case("version", ["--version"], stdout=["cleaner"]),
    Case("no-arguments", ["run"], exit=2, stdout_empty=True, stderr=["Missing argument"]),
]


@pytest.fixture
def env(tmp_path: Path) -> Env:
    user = tmp_path / "my-rules"
    user.mkdir()
    (user / "example-gazette.yaml").write_text(USER_RULES, encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# page URLs\n000_3f013229087c380d.txt {RT_URL}\n"
                    '{"id": "clean/council_budget", "url": "https://example.org/2024/03/14/news"}\n'
                    "missing/page.txt https://example.org/missing\n", encoding="utf-8")
    bad_urls = tmp_path / "bad-urls.txt"
    bad_urls.write_text("a.txt https://example.org/a\nb.txt www.example.org/a\n", encoding="utf-8")
    return Env(out=tmp_path / "out", user_rules=user, urls=urls, bad_urls=bad_urls)


def invoke(args: list[str], stdin: bytes | None = None,
           extra_env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, args, input=stdin, env=extra_env, catch_exceptions=False)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cli(case: Case, env: Env) -> None:
    extra = {k: env.expand([v])[0] for k, v in case.env.items()}
    result = invoke(env.expand(case.args), case.stdin, extra)
    where = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.exit_code == case.exit, where
    assert "Traceback" not in result.stderr
    if case.stdout_empty:
        assert result.stdout == "", where
    for text in case.stdout:
        assert text in result.stdout, where
    for text in case.stderr:
        assert text in result.stderr, where
    if case.check is not None:
        case.check(result, env)


def test_rerun_skips_finished_pages(env: Env) -> None:
    args = env.expand(["run", "{pages}", "{out}"])
    first = invoke(args)
    assert first.exit_code == 0, first.stderr
    second = invoke(args)
    assert second.exit_code == 0, second.stderr
    assert f"0 cleaned, 0 failed, {len(_pages())} already done" in second.stderr
    assert "cleaned 000" not in second.stderr
    forced = invoke([*args, "--force"])
    assert f"{len(_pages())} cleaned, 0 failed" in forced.stderr
    assert "already done" not in forced.stderr


def test_rerun_with_other_rules_cleans_again(env: Env) -> None:
    args = env.expand(["run", "{pages}", "{out}"])
    assert invoke(args).exit_code == 0
    again = invoke([*args, "--no-site-rules"])
    assert "already done" not in again.stderr
    record = json.loads((env.out / "000_3f013229087c380d.json").read_text(encoding="utf-8"))
    assert record["site"] is None


def test_rerun_with_another_language_cleans_again(env: Env) -> None:
    args = env.expand(["run", "{pages}", "{out}", "--language", "en"])
    assert invoke(args).exit_code == 0
    again = invoke([*args[:-1], "sv"])
    assert "already done" not in again.stderr
    record = json.loads((env.out / "000_3f013229087c380d.json").read_text(encoding="utf-8"))
    assert record["language"] == "sv"


def test_rerun_with_a_changed_url_list_cleans_only_the_pages_whose_url_changed(env: Env,
                                                                               tmp_path: Path) -> None:
    args = env.expand(["run", "{pages}", "{out}", "--urls", "{urls}"])
    assert invoke(args).exit_code == 0
    pages = len(_pages())
    same = invoke(args)
    assert f"0 cleaned, 0 failed, {pages} already done" in same.stderr
    # One entry changes, one is added for a page that had none, and an unrelated one is added.
    other = tmp_path / "other-urls.txt"
    other.write_text(env.urls.read_text(encoding="utf-8")
                     .replace("2024/03/14/news", "2024/03/15/news")
                     + "clean/museum_gallery https://example.org/2024/01/02/gallery\n"
                     + "nowhere/page.txt https://example.org/nowhere\n", encoding="utf-8")
    changed = invoke([*args[:-1], str(other)])
    assert f"2 cleaned, 0 failed, {pages - 2} already done" in changed.stderr, changed.stderr
    record = json.loads((env.out / "clean/council_budget.json").read_text(encoding="utf-8"))
    assert record["url"] == "https://example.org/2024/03/15/news"
    # Without the list, the pages that had a URL are cleaned again without one.
    bare = invoke(args[:-2])
    assert f"3 cleaned, 0 failed, {pages - 3} already done" in bare.stderr, bare.stderr
    record = json.loads((env.out / "000_3f013229087c380d.json").read_text(encoding="utf-8"))
    assert record["url"] is None


# Documentation: every command and long option appears in README.md or docs/*.md.

def _commands(group: click.Group, prefix: str = "cleaner") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = [(prefix, group)]
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found += _commands(command, path)
        else:
            found.append((path, command))
    return found


def _documented() -> list[pytest.ParameterSet]:
    cases = []
    for path, command in _commands(main):
        if path != "cleaner":
            cases.append(pytest.param(path, id=path))
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in [*param.opts, *param.secondary_opts]:
                    if opt.startswith("--") and opt != "--help":
                        cases.append(pytest.param(opt, id=f"{path} {opt}"))
    return cases


def _docs_text() -> str:
    texts = [README.read_text(encoding="utf-8")] if README.is_file() else []
    texts += [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))]
    return "\n".join(texts)


@pytest.mark.parametrize("needle", _documented())
def test_command_and_option_are_documented(needle: str) -> None:
    pattern = re.escape(needle) + (r"(?![\w-])" if needle.startswith("--") else r"\b")
    assert re.search(pattern, _docs_text()), (
        f"`{needle}` is not documented: mention it in README.md or docs/*.md")


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], ["rules", "list"], ["clean", "--help"]])
def test_commands_that_clean_nothing_import_no_pipeline(arguments: list[str], tmp_path: Path) -> None:
    """Start-up: `cleaner --help`, `--version` and `rules …` load neither the pipeline nor its
    models and libraries (numpy, the language detector, dateparser)."""
    import os
    import subprocess
    import sys

    script = ("import sys\nfrom cleaner.cli.app import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
              "heavy = {'cleaner.pipeline', 'numpy', 'py3langid', 'dateparser', 'ftfy', 'faker'}\n"
              "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script, *arguments], env=env, capture_output=True,
                          text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
