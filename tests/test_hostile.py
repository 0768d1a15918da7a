"""The hostile corpus: `cleaner run fixtures/hostile OUT` must write every good page, name every
bad one with its reason, and exit 1. Hostile file-system cases that cannot (or should not) be
committed, such as symlink loops, pipes, huge pages, bombs and names that are not UTF-8, are made
at run time in a copy of the corpus.

The corpus is written by ``corpus()`` below, so that each file is explained where it is made:
``python tests/test_hostile.py`` rewrites fixtures/hostile from it.
"""

# Real sentences in Cyrillic, Greek and CJK scripts are the point of these tests.

from __future__ import annotations

import bz2
import codecs
import gzip
import json
import lzma
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cleaner import PageError, load_rulebook
from cleaner.batch import executors, sinks, sources
from cleaner.read.compression import output_stem

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "fixtures" / "hostile"

ENGLISH = (
    "The city council approved the new budget on Tuesday after a long debate.\n\n"
    "Most of the money will go to schools, libraries and the repair of old bridges. "
    "Council members said the plan balances the needs of families with the cost of "
    "maintaining roads that were built more than fifty years ago.\n\n"
    "The mayor thanked residents who wrote letters and attended the public meetings. "
    "She said the final version of the budget includes many of their suggestions.\n"
)
RUSSIAN = (
    "Москва является столицей России и крупнейшим городом страны.\n\n"
    "Город расположен на реке Москве в центре Восточно-Европейской равнины. В городе много "
    "музеев, театров и парков. Жители любят гулять по набережным летом и зимой.\n\n"
    "Вчера в парке прошёл большой концерт под открытым небом. Цены на хлеб и молоко выросли "
    "за последний месяц.\n"
)
UKRAINIAN = (
    "Київ є столицею України та найбільшим містом країни.\n\n"
    "Місто розташоване на річці Дніпро. У місті багато музеїв, театрів і парків. Влітку люди "
    "люблять відпочивати біля води.\n"
)
FRENCH = (
    "Le château se trouve au centre de la forêt, près d'un étang.\n\n"
    "Les élèves viennent pêcher le dimanche matin avec leurs frères. L'été dernier, nous "
    "avons goûté à la crème brûlée préparée par la propriétaire du café.\n"
)
JAPANESE = (
    "東京は日本の首都であり、世界で最も人口の多い都市圏の一つです。\n\n"
    "多くの観光客が毎年この街を訪れ、伝統的な寺院や現代的な建物を楽しみます。"
    "昨日は雨が降りましたが、今日はとても良い天気です。\n"
)
KOREAN = (
    "서울은 대한민국의 수도이며 가장 큰 도시입니다.\n\n"
    "많은 사람들이 매년 이 도시를 방문합니다. 역사적인 궁궐과 현대적인 건물을 즐깁니다. "
    "어제는 비가 왔지만 오늘은 날씨가 아주 좋습니다.\n"
)
CHINESE = (
    "北京是中华人民共和国的首都，也是全国的政治和文化中心。\n\n"
    "每年都有许多游客来到这里参观故宫和长城，品尝当地的美食。昨天下雨了，但是今天的天气非常好。\n"
)


def corpus() -> dict[str, bytes]:
    """Every file of fixtures/hostile: relative path -> bytes. Small on purpose (a few KB)."""
    rng = random.Random(20240601)  # fixed: the corpus is the same every time it is written
    english = ENGLISH.encode()

    def gz(data: bytes) -> bytes:
        return gzip.compress(data, mtime=0)

    return {
        # Good pages, one per encoding the detector has to get right.
        "good/english-utf-8.txt": english,
        "good/russian-windows-1251.txt": RUSSIAN.encode("cp1251"),
        "good/russian-koi8-r.txt": RUSSIAN.encode("koi8_r"),
        "good/french-latin-1.txt": FRENCH.encode("latin-1"),
        "good/japanese-shift_jis.txt": JAPANESE.encode("shift_jis"),
        "good/korean-euc-kr.txt": KOREAN.encode("euc_kr"),
        "good/chinese-gb18030.txt": CHINESE.encode("gb18030"),
        "good/ukrainian-utf-16-bom.txt": codecs.BOM_UTF16_LE + UKRAINIAN.encode("utf-16-le"),
        "good/russian-utf-16-no-bom.txt": RUSSIAN.encode("utf-16-le"),
        "good/english-bom-crlf.txt": codecs.BOM_UTF8 + ENGLISH.replace("\n", "\r\n").encode(),
        # UTF-8 with bytes broken by a bad copy: the page survives, the bad bytes become U+FFFD.
        "good/broken-utf-8.txt": RUSSIAN.encode()[:150] + b"\xff\xfe" + RUSSIAN.encode()[150:],
        "good/nul-bytes.txt": english[:100] + b"\x00" + english[100:200] + b"\x00\x00"
                              + english[200:],
        # Compressed pages, read through; the output name drops the compression suffix.
        "compressed/article-gz.txt.gz": gz(english),
        "compressed/article-bz2.txt.bz2": bz2.compress(english),
        "compressed/article-xz.txt.xz": lzma.compress(english),
        "compressed/truncated-gz.txt.gz": gz(english * 4)[:200],
        "compressed/truncated-bz2.txt.bz2": bz2.compress(english * 4)[:200],
        "compressed/truncated-xz.txt.xz": lzma.compress(english * 4)[:200],
        "compressed/not-really-gzip.txt.gz": english,
        # Binary files saved as pages.
        "binary/photo.png": b"\x89PNG\r\n\x1a\n" + rng.randbytes(1500),
        "binary/random.bin": rng.randbytes(2000),
        # Nothing to clean.
        "empty/empty.txt": b"",
        "empty/blank.txt": b"  \n\t\n   \r\n\n",
        # Names that break naive scripts.
        "names/with spaces in the name.txt": english,
        "names/café – ünïcödé.txt": FRENCH.encode(),
        "names/Новости дня.txt": RUSSIAN.encode(),
        "names/dots..in..the..name.txt": english,
        # Inputs of other kinds, by name or by content: HTML is read as HTML (its charset from its
        # <meta>), an archive becomes a shard, JSON Lines are refused; none is cleaned as text.
        "kinds/russian-meta-koi8-r.html": (
            '<html><head><meta charset="koi8-r"><title>Москва</title></head><body>\n'
            + RUSSIAN + "</body></html>\n").encode("koi8_r"),
        "kinds/saved-page.txt": (
            "<!DOCTYPE html>\n<html><head><title>Budget</title></head><body><p>"
            + ENGLISH.replace("\n\n", "</p><p>") + "</p></body></html>\n").encode(),
        "kinds/crawl.warc.gz": gz(
            b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://news.example/budget"
            b"\r\nContent-Type: text/plain\r\nContent-Length: " + str(len(english)).encode()
            + b"\r\n\r\n" + english + b"\r\n\r\n"),
        "kinds/records.txt": b"".join(
            json.dumps({"url": f"https://news.example/{n}", "text": block}).encode() + b"\n"
            for n, block in enumerate(ENGLISH.split("\n\n"))),
        # Two inputs, one output name: the first in name order (story.md) is kept.
        "clash/story.md": english,
        "clash/story.txt": english,
        "nested/a/b/c/deep.txt": english,
    }


# Good pages: output stem -> (a sentence the clean text must hold, the record's encoding).
GOOD = {
    "good/english-utf-8": ("approved the new budget", "utf-8"),
    "good/russian-windows-1251": ("крупнейшим городом страны", "windows-1251"),
    "good/russian-koi8-r": ("крупнейшим городом страны", "koi8-r"),
    "good/french-latin-1": ("crème brûlée", "windows-1252"),
    "good/japanese-shift_jis": ("伝統的な寺院", "shift_jis"),
    "good/korean-euc-kr": ("대한민국의 수도", "euc-kr"),
    "good/chinese-gb18030": ("参观故宫和长城", "gb18030"),
    "good/ukrainian-utf-16-bom": ("розташоване на річці Дніпро", "utf-16-le"),
    "good/russian-utf-16-no-bom": ("крупнейшим городом страны", "utf-16-le"),
    "good/english-bom-crlf": ("approved the new budget", "utf-8"),
    "good/broken-utf-8": ("за последний месяц", "utf-8"),
    "good/nul-bytes": ("approved the new budget", "utf-8"),
    "compressed/article-gz": ("approved the new budget", "utf-8"),
    "compressed/article-bz2": ("approved the new budget", "utf-8"),
    "compressed/article-xz": ("approved the new budget", "utf-8"),
    "names/with spaces in the name": ("approved the new budget", "utf-8"),
    "names/café – ünïcödé": ("crème brûlée", "utf-8"),
    "names/Новости дня": ("крупнейшим городом страны", "utf-8"),
    "names/dots..in..the..name": ("approved the new budget", "utf-8"),
    "clash/story": ("approved the new budget", "utf-8"),
    "nested/a/b/c/deep": ("approved the new budget", "utf-8"),
    "kinds/russian-meta-koi8-r": ("крупнейшим городом страны", "koi8-r"),
    "kinds/saved-page": ("approved the new budget", "utf-8"),
}
# Bad pages: source -> a phrase its reason must contain.
BAD = {
    "compressed/truncated-gz.txt.gz": "truncated gzip data",
    "compressed/truncated-bz2.txt.bz2": "truncated bzip2 data",
    "compressed/truncated-xz.txt.xz": "truncated xz data",
    "compressed/not-really-gzip.txt.gz": "not gzip-compressed",
    "binary/photo.png": "PNG image",
    "binary/random.bin": "binary data",
    "empty/empty.txt": "empty page",
    "empty/blank.txt": "empty page",
    "clash/story.txt": "already used by clash/story.md",
    "kinds/records.txt": "JSON Lines input is not supported yet",
}


def run(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", "run", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def error_log(out: Path) -> dict[str, str]:
    lines = (out / "cleaner-errors.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert all(set(entry) == {"source", "error"} for entry in entries)
    return {entry["source"]: entry["error"] for entry in entries}


def outputs(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}


def test_corpus_is_what_the_recipe_writes() -> None:
    on_disk = {str(p.relative_to(HOSTILE)) for p in HOSTILE.rglob("*") if p.is_file()}
    assert on_disk == set(corpus())
    assert sum(len(data) for data in corpus().values()) < 300_000
    for name, data in corpus().items():
        if not name.endswith((".gz", ".bz2", ".xz")):  # compressors may differ across builds
            assert (HOSTILE / name).read_bytes() == data, name


def test_the_hostile_corpus(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(HOSTILE, out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for stem, (sentence, encoding) in GOOD.items():
        text = (out / f"{stem}.txt").read_text(encoding="utf-8")
        record = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        assert sentence in text, stem
        assert record["encoding"] == encoding, stem
        assert "\x00" not in text and "\r" not in text and "\ufeff" not in text
    assert "\ufffd" in (out / "good/broken-utf-8.txt").read_text(encoding="utf-8")
    log = error_log(out)
    assert set(log) == set(BAD)
    for source, reason in BAD.items():
        assert reason in log[source], (source, log[source])
        assert f"error: {source}: {log[source]}" in result.stderr
    written = {name.rsplit(".", 1)[0] for name in outputs(out)
               if name.endswith((".txt", ".json")) and not name.startswith(".")}
    assert written == set(GOOD)
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"{len(GOOD)} cleaned, {len(BAD)} failed")
    assert "cleaner-errors.jsonl" in summary


def test_the_hostile_corpus_in_parallel_gives_the_same(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(HOSTILE, one, "-q").returncode == 1
    assert run(HOSTILE, two, "-q", "--jobs", "3").returncode == 1
    for name in outputs(one) - {".cleaner-state.json"}:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    """A copy of the corpus plus what cannot be committed. Returns the input folder."""
    tree = tmp_path / "in"
    shutil.copytree(HOSTILE, tree, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "far-away.txt").write_text(ENGLISH, encoding="utf-8")
    links = tree / "links"
    links.mkdir()
    (links / "loop").symlink_to("..", target_is_directory=True)  # a cycle in the tree
    (links / "self").symlink_to("self")  # a link to itself
    (links / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (links / "absolute.txt").symlink_to(outside / "far-away.txt")  # absolute, outside the input
    (links / "outside-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(tree / "links" / "pipe.txt")  # opening it naively would hang the run
    (tree / "huge.txt").write_bytes(b"A very long page indeed. " * 50_000)  # 1.25 MB
    (tree / "bomb.txt.gz").write_bytes(gzip.compress(bytes(30 * 1024 * 1024)))
    (tree / "over-cap-compressed.txt.gz").write_bytes(gzip.compress(ENGLISH.encode() * 5000))
    deep = tree.joinpath(*["d"] * 60)
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_text(ENGLISH, encoding="utf-8")
    (tree / ".hidden.txt").write_text(ENGLISH, encoding="utf-8")
    os.makedirs(tree / "unlistable")
    (tree / "unlistable" / "page.txt").write_text(ENGLISH, encoding="utf-8")
    return tree


def test_file_system_hazards(hostile_tree: Path, tmp_path: Path) -> None:
    # The name is not valid UTF-8: a file system holds bytes, not text.
    with open(os.fsencode(hostile_tree) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(ENGLISH.encode())
    out = tmp_path / "out"
    result = run(hostile_tree, out, "--max-bytes", "1000000", timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    log = error_log(out)
    assert "file not found (a broken symlink?)" in log["links/dangling.txt"]
    assert "cannot read the file" in log["links/self"]
    assert "not a regular file" in log["links/pipe.txt"]
    assert "over the 1,000,000 byte cap" in log["huge.txt"]
    assert "expands past 1,000,000 bytes" in log["bomb.txt.gz"]
    assert "expands past 1,000,000 bytes" in log["over-cap-compressed.txt.gz"]
    # Links that lead out of INPUT are not followed, but counted; the loop is walked once.
    assert not (out / "links/absolute.txt").exists()
    assert not (out / "links/outside-folder").exists()
    assert "2 links out of INPUT skipped (--follow-links follows them)" in result.stderr
    assert not any("loop/loop" in name for name in outputs(out))
    assert (out / "/".join(["d"] * 60) / "bottom.txt").is_file()
    assert not (out / ".hidden.txt").exists()
    assert (out / "caf\\xe9.txt").is_file()  # the undecodable byte is escaped, reversibly
    assert json.loads((out / "caf\\xe9.json").read_text(encoding="utf-8"))["source"] == \
        "caf\\xe9.txt"
    for stem in GOOD:
        assert (out / f"{stem}.txt").is_file(), stem
    everything = [p.resolve() for p in tmp_path.rglob("*") if p.is_file()]
    assert not [p for p in everything if p.name.endswith(".tmp")]
    # Nothing was written outside OUT: the only files are the inputs and the outputs.
    assert (tmp_path / "outside").resolve() in [p.parent for p in everything]
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["far-away.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_files_and_folders_are_reported(hostile_tree: Path, tmp_path: Path) -> None:
    (hostile_tree / "good/english-utf-8.txt").chmod(0)
    (hostile_tree / "unlistable").chmod(0)
    try:
        result = run(hostile_tree, tmp_path / "out", "-q")
    finally:
        (hostile_tree / "unlistable").chmod(0o755)
    log = error_log(tmp_path / "out")
    assert result.returncode == 1
    assert "Permission denied" in log["good/english-utf-8.txt"]
    assert "cannot list the folder" in log["unlistable"]


def test_outputs_never_leave_the_output_folder(tmp_path: Path) -> None:
    """OUT may already hold a symlink where an output would go; the output is refused rather
    than written through it."""
    tree, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elsewhere"
    (tree / "evil").mkdir(parents=True)
    (tree / "evil" / "page.txt").write_text(ENGLISH, encoding="utf-8")
    (tree / "fine.txt").write_text(ENGLISH, encoding="utf-8")
    elsewhere.mkdir()
    out.mkdir()
    (out / "evil").symlink_to(elsewhere, target_is_directory=True)
    result = run(tree, out, "-q")
    assert result.returncode == 1
    assert "outside the output folder" in error_log(out)["evil/page.txt"]
    assert list(elsewhere.iterdir()) == []
    assert (out / "fine.txt").is_file()


def test_temporary_files_of_a_killed_run_are_swept(tmp_path: Path) -> None:
    """A run killed outright (SIGKILL) cannot remove its temporary files; the next run does,
    and leaves those of a run still going (its pid alive) alone."""
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / "sub" / f".cleaner-{dead.pid}-0.tmp"
    stale.write_text("half a page", encoding="utf-8")
    live = out / f".cleaner-{os.getpid()}-7.tmp"
    live.write_text("being written", encoding="utf-8")
    assert run(HOSTILE / "good", out, "-q").returncode == 0
    assert not stale.exists()
    assert live.exists()


def test_output_inside_the_input_is_not_read_back(tmp_path: Path) -> None:
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "page.txt").write_text(ENGLISH, encoding="utf-8")
    for _ in range(2):  # the second run must not take the first run's outputs for pages
        result = run(tree, tree / "out")
        assert result.returncode == 0, result.stderr
    assert outputs(tree / "out") == {"page.txt", "page.json", "cleaner-errors.jsonl",
                                     ".cleaner-state.json"}


@pytest.mark.parametrize("where", ["same", "parent"])
def test_output_that_would_overwrite_the_input_is_a_usage_error(tmp_path: Path,
                                                                  where: str) -> None:
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "page.txt").write_text(ENGLISH, encoding="utf-8")
    result = run(tree, tree if where == "same" else tmp_path)
    assert result.returncode == 2
    assert "would overwrite the pages" in result.stderr
    assert (tree / "page.txt").read_text(encoding="utf-8") == ENGLISH
    assert sorted(p.name for p in tree.iterdir()) == ["page.txt"]


def test_an_output_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = run(HOSTILE / "good", tmp_path / "out")
    assert result.returncode == 2
    assert "exists and is not a folder" in result.stderr


def test_a_rule_error_writes_nothing(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text("name: bad\nrules: [{id: x}]\n", encoding="utf-8")
    result = run(HOSTILE / "good", tmp_path / "out", "--rules", rules)
    assert result.returncode == 2
    assert not (tmp_path / "out").exists()


def test_catastrophic_user_regex_fails_only_its_page(tmp_path: Path) -> None:
    """A user rule RE2 cannot run (a look-ahead sends it to the time-budgeted engine; the
    prefilter, which drops the look-ahead, lets every line starting with 'a' through) that
    backtracks exponentially on one line: that page fails naming the rule, the run goes on."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "slow.yaml").write_text(
        "name: slow\n"
        "description: A rule whose regex backtracks exponentially on long runs of 'a'.\n"
        "rules:\n"
        "  - id: runs-of-a\n"
        "    why: Lines made of the letter a alone are noise.\n"
        "    match:\n"
        "      regex: '^(?=(a|aa)+$)a'\n"
        "    action: drop\n"
        "    examples:\n"
        "      drop: ['aaaa']\n"
        "      keep: ['aab']\n", encoding="utf-8")
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "a-fine.txt").write_text(ENGLISH, encoding="utf-8")
    (tree / "b-slow.txt").write_text(ENGLISH + "\n" + "a" * 60 + "b\n", encoding="utf-8")
    (tree / "c-fine.txt").write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "out"
    result = run(tree, out, "--rules", rules, "--regex-timeout", "0.2", timeout=60)
    assert result.returncode == 1, result.stderr
    log = error_log(out)
    assert list(log) == ["b-slow.txt"]
    assert "rule slow/runs-of-a took longer than 0.2s" in log["b-slow.txt"]
    assert (out / "a-fine.txt").is_file() and (out / "c-fine.txt").is_file()


def test_json_lines_to_stdout(tmp_path: Path) -> None:
    result = run(HOSTILE / "good", "-")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == sum(1 for stem in GOOD if stem.startswith("good/"))
    assert all("text" in r and r["text"] for r in records)
    assert not (tmp_path / "cleaner-errors.jsonl").exists()


def test_clean_one_compressed_file_and_stdin(tmp_path: Path) -> None:
    base = [sys.executable, "-m", "cleaner", "clean"]
    page = HOSTILE / "compressed/article-xz.txt.xz"
    result = subprocess.run([*base, str(page)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "approved the new budget" in result.stdout
    piped = subprocess.run([*base, "-"], input=page.read_bytes(), capture_output=True, cwd=ROOT)
    assert piped.returncode == 0
    assert "approved the new budget" in piped.stdout.decode()
    result = subprocess.run([*base, str(HOSTILE / "binary/photo.png")], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "PNG image" in result.stderr and "Traceback" not in result.stderr


def test_unreadable_files_and_folders_as_root(hostile_tree: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads whatever the mode says, so the refusals are simulated in-process."""
    real_open, real_scandir = os.open, os.scandir

    def refusing_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith("english-utf-8.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    def refusing_scandir(path: Any = ".") -> Any:
        if str(path).endswith("unlistable"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "open", refusing_open)
    monkeypatch.setattr(sources.os, "scandir", refusing_scandir)
    found: list[tuple[str, str]] = []
    listed = [source for _, source in sources.discover(hostile_tree, on_error=lambda s, r:
                                                     found.append((s, r)))]
    assert found == [("unlistable", "cannot list the folder: Permission denied")]
    assert "good/english-utf-8.txt" in listed
    with pytest.raises(PageError, match="cannot read the file: Permission denied"):
        sources.read_file(hostile_tree / "good/english-utf-8.txt", 1000)


@pytest.mark.parametrize("source", ["../x.txt", "a/../../x.txt", "/etc/passwd", "a/../..",
                                    "../../../../../../tmp/x.gz"])
def test_output_paths_refuse_to_climb_out(tmp_path: Path, source: str) -> None:
    """Sources come from directory entries and cannot hold these; the check does not rely
    on that."""
    folder = sinks.OutputFolder(tmp_path / "out", "stamp")
    with pytest.raises(PageError, match="outside the output folder"):
        folder.paths(source)


def test_output_names() -> None:
    assert output_stem("a/b.txt.gz") == "a/b"
    assert output_stem("a/b.tar.xz") == "a/b"
    assert output_stem("with spaces.html") == "with spaces"
    assert output_stem("no-suffix") == "no-suffix"
    assert output_stem("dots..in..name.txt") == "dots..in..name"
    assert output_stem("x.TXT.GZ") == "x"


def test_a_worker_that_dies_fails_its_page_only(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    """The OOM killer or a crash in a native library takes a worker down mid-page: that page
    fails with the reason, a new worker takes over, every other page comes through in order."""
    real = executors._run_job

    def fragile(job: sources.Job) -> executors.PageResult:
        if job.source.startswith("die"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(job)

    monkeypatch.setattr(executors, "_run_job", fragile)  # forked workers inherit the patch
    names = [f"page-{i}.txt" for i in range(6)]
    names[1], names[4] = "die-1.txt", "die-4.txt"
    jobs = []
    for name in names:
        (tmp_path / name).write_text(ENGLISH, encoding="utf-8")
        jobs.append(sources.Job(str(tmp_path / name), name))
    results = list(executors.clean_jobs(jobs, load_rulebook(), workers=2))
    assert [r.source for r in results] == names
    for result in results:
        if result.source.startswith("die"):
            assert result.error is not None and "killed by SIGKILL" in result.error
        else:
            assert result.error is None and result.doc is not None


def test_workers_write_their_own_pages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With --jobs the worker that cleans a page writes its outputs (the main process only keeps
    the books), results still come in input order, a page that cannot be written fails alone,
    and the outputs are those of a serial run."""
    writers = tmp_path / "writers"

    real_write = sinks.write_atomic

    def noting(path: Path, text: str, **options: bool) -> None:
        with open(writers, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\n")
        real_write(path, text, **options)

    monkeypatch.setattr(sinks, "write_atomic", noting)  # forked workers inherit the patch
    pages = tmp_path / "in"
    pages.mkdir()
    names = [f"page-{i:02d}.txt" for i in range(12)]
    for name in names:
        (pages / name).write_text(ENGLISH, encoding="utf-8")
    (pages / "page-03.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    rulebook = load_rulebook()
    jobs = [sources.Job(str(pages / name), name) for name in names]
    serial = sinks.OutputFolder(tmp_path / "serial", "stamp")
    serial.start()
    for result in executors.clean_jobs(jobs, rulebook, output=serial):
        assert result.doc is None and result.written == (result.error is None)
    parallel = sinks.OutputFolder(tmp_path / "parallel", "stamp")
    parallel.start()
    (tmp_path / "parallel" / "page-07.txt").mkdir()  # the .txt cannot be put in place
    writers.unlink()
    results = list(executors.clean_jobs(jobs, rulebook, workers=2, output=parallel))
    assert [r.source for r in results] == names
    failed = {r.source: r.error for r in results if not r.written}
    assert set(failed) == {"page-03.txt", "page-07.txt"}
    assert "PNG image" in str(failed["page-03.txt"])
    assert str(failed["page-07.txt"]).startswith("cannot write output: ")
    assert all(r.doc is None and r.ok for r in results if r.written)  # small results only
    pids = set(writers.read_text(encoding="utf-8").split())
    assert pids and str(os.getpid()) not in pids
    for name in names:
        if name not in failed:
            for suffix in (".txt", ".json"):
                stem = name.removesuffix(".txt")
                assert ((tmp_path / "parallel" / (stem + suffix)).read_bytes()
                        == (tmp_path / "serial" / (stem + suffix)).read_bytes())


def test_pages_queued_behind_a_dying_worker_are_cleaned(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    """A worker holds the next page in its pipe while it cleans one; when it dies, only the page
    it had fails and the queued ones go to the new worker."""
    real = executors._run_job

    def fragile(job: sources.Job) -> executors.PageResult:
        if job.source.startswith("die"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(job)

    monkeypatch.setattr(executors, "_run_job", fragile)
    names = ["die-0.txt", "die-1.txt", "page-2.txt", "die-3.txt", "page-4.txt", "page-5.txt",
             "die-6.txt", "page-7.txt"]
    jobs = []
    for name in names:
        (tmp_path / name).write_text(ENGLISH, encoding="utf-8")
        jobs.append(sources.Job(str(tmp_path / name), name))
    folder = sinks.OutputFolder(tmp_path / "out", "stamp")
    folder.start()
    results = list(executors.clean_jobs(jobs, load_rulebook(), workers=2, output=folder))
    assert [r.source for r in results] == names
    for result in results:
        if result.source.startswith("die"):
            assert result.error is not None and "killed by SIGKILL" in result.error
        else:
            assert result.written, result.error
            assert (tmp_path / "out" / result.source).is_file()


def write_corpus() -> None:
    if HOSTILE.exists():
        shutil.rmtree(HOSTILE)
    for name, data in corpus().items():
        path = HOSTILE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    write_corpus()
    print(f"wrote {len(corpus())} files to {HOSTILE}", file=sys.stderr)
