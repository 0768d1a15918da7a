"""The words a page writes in lower case, asked of the few words of the byline's name candidates
(`cleaner.meta.byline`): a word a page writes in lower case is a common word ("Comments",
"Guides"), not a name.
"""

from __future__ import annotations

import re

_LETTERS = re.compile(r"[^\W\d_]{2,}")
_LETTER_AT = re.compile(r"[^\W\d_]")


class LowerWords:
    """The words a page writes in lower case (runs of two letters or more, `_LETTERS`), for
    the few words of its name candidates: each is looked for in the page, rather than every
    word of the page listed."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.known: dict[str, bool] = {}

    def written(self, word: str) -> bool:
        """Whether ``word`` is a whole run of letters of the page, in lower case."""
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = word.islower() and bool(_LETTERS.fullmatch(word)) and self._run(word)
        return found

    def _run(self, word: str) -> bool:
        page = self.page
        at = page.find(word)
        while at >= 0:
            after = at + len(word)
            if not (at and _LETTER_AT.match(page, at - 1)) and not _LETTER_AT.match(page, after):
                return True
            at = page.find(word, at + 1)
        return False
