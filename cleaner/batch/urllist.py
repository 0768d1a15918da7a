"""The URL list of a batch run (`cleaner run --urls FILE`): which address each page came from.

A crawler knows every page's URL; a folder of text files does not. The list gives it back, and
with it the site rules of the page's host, the words of its slug (headline evidence) and a day
written in its path (the date). Two formats, told apart line by line:

- ``PATH URL``: the page's path under INPUT, whitespace, its URL (the URL is the last field, so
  paths may hold spaces); lines starting with ``#`` are comments;
- JSON Lines: ``{"path": "a/b.txt", "url": "https://…"}``; ``"id"`` (a string or a number) may
  stand for ``"path"``; an entry whose ``"url"`` is empty or null is skipped (counted).

A page is found by its path as written (``news/a.txt.gz``) or by the stem its outputs get
(``news/a``, as ids often are), so ``pages.jsonl`` files with ``id`` and ``url`` serve as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.errors import CleanerError
from cleaner.read.compression import output_stem
from cleaner.read.url import url_problem as url_problem  # also the CLI's check of --url


class UrlListError(CleanerError):
    """The URL list cannot be used; the message names the file, the line and the fix."""


@dataclass
class UrlList:
    """Page path -> URL, and which entries a run has used (to report the ones that matched
    no page)."""

    path: str
    urls: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    without_url: int = 0  # JSON entries whose url is empty or null: pages known to have none

    def url_for(self, source: str) -> str | None:
        """The URL of the page at ``source`` (its path under INPUT, '/'-separated)."""
        for key in (source, output_stem(source)):
            url = self.urls.get(key)
            if url is not None:
                self.used.add(key)
                return url
        return None

    def unused(self) -> list[str]:
        return [key for key in self.urls if key not in self.used]


def load_url_list(path: Path) -> UrlList:
    """Read a URL list; UrlListError (naming the file and line) when it cannot be used."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UrlListError(f"{path}: cannot read the URL list: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UrlListError(f"{path}: the URL list is not UTF-8 text (byte {exc.start}); "
                           "save it as UTF-8") from exc
    found = UrlList(str(path))
    # Lines end at "\n" only: JSON strings may hold U+2028 and the other breaks splitlines() knows.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path}:{number}"
        key, url = _json_entry(line, where) if line.startswith("{") else _text_entry(line, where)
        if url is None:
            found.without_url += 1
            continue
        key = key.replace("\\", "/").removeprefix("./")
        _check_url(url, where)
        if found.urls.get(key, url) != url:
            raise UrlListError(f"{where}: {key!r} already has the URL {found.urls[key]!r}; "
                               "give each page one URL")
        found.urls[key] = url
    return found


def _json_entry(line: str, where: str) -> tuple[str, str | None]:
    """(path, url) of a JSON line; the url is None when the entry gives it as empty or null (a
    record of a page whose address is unknown, as datasets have)."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UrlListError(f"{where}: not valid JSON ({exc.msg}); write one object per line, "
                           'like {"path": "a.txt", "url": "https://example.com/a"}') from exc
    if not isinstance(entry, dict):
        raise UrlListError(f"{where}: expected a JSON object with \"path\" (or \"id\") and \"url\"")
    key = entry.get("path")
    if key is None:
        key = entry.get("id")
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    if not isinstance(key, str) or not key:
        raise UrlListError(f"{where}: the object has no \"path\" (or \"id\") string; add the "
                           "page's path under INPUT")
    url = entry.get("url")
    if url is None or url == "":
        return key, None
    if not isinstance(url, str):
        raise UrlListError(f"{where}: \"url\" is not a string; give the page's URL")
    return key, url


def _text_entry(line: str, where: str) -> tuple[str, str]:
    parts = line.rsplit(None, 1)
    if len(parts) != 2:
        raise UrlListError(f"{where}: expected 'PATH URL' (the page's path under INPUT, then its "
                           f"URL), got {line!r}")
    return parts[0], parts[1]


def _check_url(url: str, where: str) -> None:
    problem = url_problem(url)
    if problem:
        raise UrlListError(f"{where}: {problem}")
