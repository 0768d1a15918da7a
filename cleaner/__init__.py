"""cleaner: clean article text and metadata from raw scraped web pages.

    >>> from cleaner import clean, load_rulebook
    >>> doc = clean(b"Home\\nMenu\\nA sentence of the article.", load_rulebook())
"""

from cleaner.document import Document
from cleaner.errors import CleanerError, PageError, RuleError, RuleTimeout
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
