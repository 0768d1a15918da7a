"""The run's fingerprint: what a finished page's outputs depend on, so a rerun reuses only
pages that would come out the same."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaner import __version__


def fingerprint(rule_files: Sequence[Path], options: dict[str, Any]) -> str:
    """Changes when anything that shapes the output changes: the rules (in the order they load,
    which decides which rule takes a line first), the options, and the program with its data
    (code, models, lexicons), so a finished page is only reused when it would come out the same."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    for path in rule_files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    for path in program_files():
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


_PACKAGE = Path(__file__).resolve().parents[1]
_PROGRAM_SUFFIXES = (".py", ".json", ".yaml", ".so", ".pyd")
# The benchmark does not shape outputs; the built-in rules are hashed as rule files, in their order.
_NOT_PROGRAM = ("bench", "_rules", "__pycache__")


def program_files() -> list[Path]:
    """Every file of the installed package that can change an output: code, models, lexicons,
    the rule schema and any compiled extension."""
    return sorted(path for path in _PACKAGE.rglob("*")
                  if path.suffix in _PROGRAM_SUFFIXES and path.is_file()
                  and not any(part in _NOT_PROGRAM for part in path.relative_to(_PACKAGE).parts))
