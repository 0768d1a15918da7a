"""cleaner: clean article text and metadata from raw scraped web pages.

    >>> from cleaner import clean, load_rulebook
    >>> doc = clean(b"Home\\nMenu\\nA sentence of the article.", load_rulebook())
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cleaner.errors import CleanerError, PageError, RuleError, RuleTimeout

if TYPE_CHECKING:
    from cleaner.document import Document
    from cleaner.pipeline import clean, clean_text
    from cleaner.rules.load import load_rulebook
    from cleaner.rules.rulebook import Rulebook

__all__ = [
    "CleanerError",
    "Document",
    "PageError",
    "RuleError",
    "RuleTimeout",
    "Rulebook",
    "clean",
    "clean_text",
    "load_rulebook",
]
__version__ = "0.1.0"

# Imported on first use: `python -m cleaner --help` (which imports this package first) and the
# commands that clean nothing need neither the pipeline nor its models.
_LAZY = {
    "Document": "cleaner.document",
    "clean": "cleaner.pipeline",
    "clean_text": "cleaner.pipeline",
    "load_rulebook": "cleaner.rules.load",
    "Rulebook": "cleaner.rules.rulebook",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
