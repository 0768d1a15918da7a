"""The cache of compiled rule sets: a start whose rules have not changed reads them back instead
of parsing, validating and compiling every file again.

One pickle per key, in a folder the caller gives (the CLI: ``$XDG_CACHE_HOME/cleaner``). The key
covers everything compilation depends on: each rule file's name (rule locations and messages
carry it) and bytes, in load order; the compiling code (every file of this package, the record's
field names, the word counter, the package's version); the Python, ``regex`` and RE2 builds; the
regex timeout. The key is stored in the pickle too and compared on reading, so a hit is never
wrong; a file that cannot be read or unpickled is a miss, and the rules compile as without a
cache. Files are written whole under a temporary name and renamed, so a reader never sees half
of one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

import re2
import regex

from cleaner.cachefiles import store
from cleaner.rules.model import RuleSet

FORMAT = 1  # bump when what is stored changes shape without the code files changing
_PACKAGE = Path(__file__).parents[1]
# Files outside this package whose code decides what a compiled rule is.
_CODE_OUTSIDE = ("__init__.py", "document.py", "lang/words.py", "lang/lexicon.py")
_PREFIX = "rulebook-"
_KEEP = 8  # pickles kept: a few rule configurations (a user's folders, --regex-timeout values)


def key(files: Sequence[tuple[str, str]], timeout: float) -> str:
    """The key of the rule sets compiled from ``files`` (name, text) in that order."""
    digest = hashlib.sha256()

    def add(part: str | bytes) -> None:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)

    add(f"format {FORMAT}; python {sys.version}; regex {regex.__version__}; timeout {timeout!r}")
    for module in (re2, regex):
        stat = os.stat(str(module.__file__))
        add(f"{module.__name__} {stat.st_size} {stat.st_mtime_ns}")
    rules_code = sorted(p for p in Path(__file__).parent.iterdir() if p.suffix in (".py", ".json"))
    # Rules reference the lexicon's words ({lexicon:months}); they are expanded when a rule compiles.
    lexicon_data = sorted((_PACKAGE / "lang" / "lexicon").glob("*.yaml"))
    for path in [*rules_code, *(_PACKAGE / name for name in _CODE_OUTSIDE), *lexicon_data]:
        add(path.name)
        add(path.read_bytes())
    for name, text in files:
        add(name)
        add(text)
    return digest.hexdigest()


def _file(folder: Path, key: str) -> Path:
    return folder / f"{_PREFIX}{key[:32]}.pickle"


def read(folder: Path, key: str) -> list[RuleSet] | None:
    """The rule sets stored under ``key``, or None (none stored, or unreadable: a miss)."""
    try:
        with _file(folder, key).open("rb") as stream:
            stored = pickle.load(stream)
    except Exception:  # a missing, truncated or foreign file, or one from other code: compile
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == FORMAT and stored[1] == key):
        return None
    sets = stored[2]
    if not (isinstance(sets, list) and all(isinstance(s, RuleSet) for s in sets)):
        return None
    return sets


def write(folder: Path, key: str, sets: list[RuleSet]) -> None:
    """Store ``sets`` under ``key``; a folder that cannot be written is left as it is."""
    store(_file(folder, key),
          lambda stream: pickle.dump((FORMAT, key, sets), stream, protocol=pickle.HIGHEST_PROTOCOL),
          keep=_KEEP)
