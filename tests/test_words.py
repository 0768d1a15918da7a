"""Word counts and stop words in scripts written without spaces (cleaner/lang/words.py)."""

from __future__ import annotations

import pytest

from cleaner.find.linefeatures import words_of
from cleaner.lang.detect import stopwords_of
from cleaner.lang.words import word_count
from cleaner.meta.fields import split_authors


@pytest.mark.parametrize(("text", "words"), [
    ("The council voted on Tuesday.", 5),
    ("Le conseil a voté mardi.", 5),
    ("", 0),
    ("政府は3日、所得税を引き下げる案を発表", 10),  # 17 kana and ideographs, a word per two, and "3"
    ("政府、来年度から所得税を引き下げへ　中間層の負担軽減狙う", 13),  # 26 characters
    ("日本語 (日本)", 3),
    ("iPhone15を購入した", 4),  # as the finder's line features count it
    ("도서관 운영 시간 밤 10시까지 연장된다", 6),  # Korean is written with spaces
])
def test_word_count(text: str, words: int) -> None:
    assert word_count(text) == words


def test_a_chinese_paragraph_is_prose_to_the_finder() -> None:
    """Its stop words are single characters, matched one by one: a paragraph has many of them,
    a menu item none."""
    stopwords = stopwords_of("zh")
    assert {"的", "了", "是"} <= stopwords
    paragraph = "据市交通局介绍，新线路开通后，沿线居民前往市中心的通勤时间将从一个多小时缩短到三十分钟左右。"
    count, stops, _, _, _ = words_of(paragraph, stopwords)
    assert count >= 20 and stops / count >= 0.15
    count, stops, _, _, _ = words_of("隐私政策", stopwords)
    assert count == 2 and stops == 0


def test_japanese_stop_words_are_its_particles() -> None:
    assert {"の", "は", "を", "に"} <= stopwords_of("ja")


@pytest.mark.parametrize(("value", "names"), [
    ("李华、陈静", ["李华", "陈静"]),
    ("王小明 李华", ["王小明", "李华"]),
    ("김민수, 이영희", ["김민수", "이영희"]),
    ("Jane Doe, PhD", ["Jane Doe, PhD"]),
])
def test_east_asian_author_lists_split(value: str, names: list[str]) -> None:
    assert split_authors(value) == names
