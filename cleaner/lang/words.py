"""How many words a line holds, in scripts written with spaces between words and without.

Chinese and Japanese put no spaces between words, so a whole paragraph is one whitespace token
and one ``\\w+`` run. Every count the cleaner takes of a line (the finder's prose threshold,
rule shapes such as ``max_words``, a page's word count) reads such a run as a word per
`UNSPACED_CHARS_PER_WORD` characters, about the length of a word in those languages; a line
without those characters counts its whitespace-separated tokens, as before.
"""

from __future__ import annotations

from cleaner import core
from cleaner.lazypattern import lazy_re

# Hiragana, katakana and the CJK ideographs (with their extensions and compatibility forms), as
# the inside of a character class; and Hangul syllables (Korean, written with spaces).
UNSPACED_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HANGUL_CHARS = "\uac00-\ud7af"
UNSPACED = lazy_re(f"[{UNSPACED_CHARS}]")
SPACED_WORD = lazy_re(f"[^\\W{UNSPACED_CHARS}]+")  # a \w+ run without UNSPACED characters
UNSPACED_CHARS_PER_WORD = 2
# What a line of prose ends with; the full stop, marks and closing brackets of Chinese and
# Japanese among them.
# A line this long (in words) reads as a sentence of prose, to the finder, its features and the cuts.
PROSE_WORDS = 10

CLOSING_PUNCTUATION = tuple(".!?…:;\"'”’»)。！？」』")


def unspaced_words(chars: int) -> int:
    """The words that ``chars`` characters of an unspaced script count for (at least one)."""
    return -(-chars // UNSPACED_CHARS_PER_WORD)


def word_count(text: str) -> int:
    """Whitespace-separated tokens of ``text``; in a token with Chinese or Japanese characters,
    its other words (`SPACED_WORD` runs) and `unspaced_words` of those characters
    ('政府は3日、所得税を引き下げる案を発表' is 10 words, 'iPhone15を購入した' 4), as the
    finder's line features count them. The compiled core counts when it runs (`cleaner.core`),
    else `python_word_count`, the reference."""
    kernel = core.KERNEL
    return python_word_count(text) if kernel is None else kernel.word_count(text)


def python_word_count(text: str) -> int:
    """`word_count` in Python: the reference the compiled core is tested against."""
    count = len(text.split())
    if text.isascii():
        return count
    chars = len(UNSPACED.findall(text))
    if not chars:
        return count
    mixed = [token for token in text.split() if UNSPACED.search(token)]
    spaced = sum(len(SPACED_WORD.findall(token)) for token in mixed)
    return count - len(mixed) + spaced + unspaced_words(chars)
