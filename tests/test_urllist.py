"""URL lists for `cleaner run --urls` (cleaner/batch/urllist.py): both formats, how pages are found,
and an error naming the file, the line and the fix for every way a list can be unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.batch.urllist import UrlListError, load_url_list


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "urls.txt"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_both_formats_comments_and_blank_lines(tmp_path: Path) -> None:
    urls = load_url_list(write(tmp_path, (
        "# crawl of 2024-03-14\n"
        "\n"
        "news/a.txt https://example.org/a\n"
        "my page.txt\thttps://example.org/b\n"
        '{"path": "c.txt.gz", "url": "https://example.org/c"}\n'
        '{"id": "0004", "url": "https://example.org/d", "title": "ignored"}\n'
    )))
    assert urls.url_for("news/a.txt") == "https://example.org/a"
    assert urls.url_for("my page.txt") == "https://example.org/b"
    assert urls.url_for("c.txt.gz") == "https://example.org/c"
    assert urls.url_for("0004.txt") == "https://example.org/d"  # an id is the output stem
    assert urls.url_for("other.txt") is None
    assert urls.unused() == []


def test_a_dataset_file_serves_as_it_is(tmp_path: Path) -> None:
    """Records with more fields, numeric ids, a null path, empty or null URLs (skipped and
    counted), and line breaks such as U+2028 inside a JSON string."""
    urls = load_url_list(write(tmp_path, (
        '{"id": 7, "url": "https://example.org/7", "text": "one\u2028two"}\n'
        '{"id": "a", "path": null, "url": "https://example.org/a"}\n'
        '{"id": "b", "url": ""}\n'
        '{"id": "c", "url": null}\n'
        '{"id": "d", "text": "a line break inside a string", "url": "https://example.org/d"}\n'
    )))
    assert urls.url_for("7.txt") == "https://example.org/7"
    assert urls.url_for("a.txt") == "https://example.org/a"
    assert urls.url_for("d.txt") == "https://example.org/d"
    assert urls.url_for("b.txt") is None
    assert urls.without_url == 2


def test_entries_no_page_used_are_reported(tmp_path: Path) -> None:
    urls = load_url_list(write(tmp_path, "a.txt https://example.org/a\nb.txt https://example.org/b\n"))
    urls.url_for("a.txt")
    assert urls.unused() == ["b.txt"]


def test_a_byte_order_mark_and_windows_paths_are_fine(tmp_path: Path) -> None:
    urls = load_url_list(write(tmp_path, "\ufeffnews\\a.txt https://example.org/a\r\n"))
    assert urls.url_for("news/a.txt") == "https://example.org/a"


@pytest.mark.parametrize(("text", "message"), [
    ("a.txt\n", "urls.txt:1: expected 'PATH URL'"),
    ("a.txt example.org/a\n", "urls.txt:1: 'example.org/a' is not an http(s) URL with a host"),
    ("# ok\na.txt ftp://example.org/a\n", "urls.txt:2: 'ftp://example.org/a' is not an http(s) URL"),
    ("a.txt https://example.org/a\na.txt https://example.org/b\n",
     "urls.txt:2: 'a.txt' already has the URL 'https://example.org/a'; give each page one URL"),
    ('{"path": "a.txt", "url": }\n', "urls.txt:1: not valid JSON"),
    ('["a.txt", "https://example.org/a"]\n', "urls.txt:1: '\"https://example.org/a\"]' is not an http(s) URL"),
    ('{"url": "https://example.org/a"}\n', 'urls.txt:1: the object has no "path" (or "id") string'),
    ('{"path": "a.txt", "url": 3}\n', 'urls.txt:1: "url" is not a string'),
    ("a.txt https://[::1/a\n", "urls.txt:1: 'https://[::1/a' is not a URL"),
])
def test_unusable_lists_name_the_line_and_the_fix(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UrlListError) as error:
        load_url_list(write(tmp_path, text))
    assert message in str(error.value)


def test_a_list_that_is_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(UrlListError, match=r"urls\.txt: the URL list is not UTF-8 text"):
        load_url_list(write(tmp_path, "a.txt https://example.org/\xe9\n".encode("latin-1")))


def test_a_missing_list(tmp_path: Path) -> None:
    with pytest.raises(UrlListError, match="cannot read the URL list"):
        load_url_list(tmp_path / "nope.txt")


def test_the_library_refuses_a_url_that_is_not_one() -> None:
    from cleaner import PageError, clean, load_rulebook

    with pytest.raises(PageError, match=r"url: 'http://\[::1' is not a URL"):
        clean(b"A page of text.", load_rulebook(), url="http://[::1")
