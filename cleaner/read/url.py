"""A page's URL, as a caller gives it (`clean(url=...)`, `--url`, a URL list)."""

from __future__ import annotations

from urllib.parse import urlsplit


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot serve as a page's URL, or None when it can."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        return f"{url!r} is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not host:
        return f"{url!r} is not an http(s) URL with a host; write it whole, like https://example.com/news/a"
    return None
