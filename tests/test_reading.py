"""Reading pages: encodings, byte-order marks, broken bytes, line normalisation, compression and
the size cap.

Test pages are real sentences encoded with Python's codecs. Detection is statistical, so every
case uses a few sentences (what a scraped article always has); what short samples do is shown
at the end, honestly. Where the record names a family rather than the exact codec, the accepted
names are listed next to the case and in docs/robustness.md.
"""

# Real sentences in Cyrillic, Greek and CJK scripts are the point of these tests.

from __future__ import annotations

import bz2
import codecs
import contextlib
import gzip
import io
import lzma
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner import Rulebook, clean, pipeline
from cleaner.cli.app import main
from cleaner.errors import PageError
from cleaner.read.compression import (
    DEFAULT_MAX_BYTES,
    read_page,
    read_stream,
    strip_compression_suffix,
)
from cleaner.read.decode import decode, normalise_lines

RUSSIAN = [
    "Москва является столицей России и крупнейшим городом страны.",
    "Город расположен на реке Москве в центре Восточно-Европейской равнины.",
    "В городе много музеев, театров и парков.",
    "Жители любят гулять по набережным летом и зимой.",
    "Вчера в парке прошёл большой концерт под открытым небом.",
    "Учёные обнаружили новый вид бабочек в горах Кавказа.",
    "Правительство объявило о снижении налогов для малого бизнеса.",
    "Футбольная команда одержала уверенную победу в финале кубка.",
    "Погода на выходных будет тёплой и солнечной.",
    "Новая линия метро откроется в конце следующего года.",
    "Ей было всего шесть лет, когда семья переехала в Сибирь.",
    "Цены на хлеб и молоко выросли за последний месяц.",
]
TEXTS = {
    "ru": " ".join(RUSSIAN[:4]),
    "uk": "Київ є столицею України та найбільшим містом країни. Місто розташоване на річці "
          "Дніпро. У місті багато музеїв, театрів і парків. Влітку люди люблять відпочивати "
          "біля води.",
    "bg": "София е столицата на България и най-големият град в страната. Градът се намира в "
          "подножието на планината Витоша.",
    "fr": "Le château se trouve au centre de la forêt, près d'un étang. Les élèves viennent "
          "pêcher le dimanche matin avec leurs frères. L'été dernier, nous avons goûté à la "
          "crème brûlée préparée par la propriétaire.",
    "de": "Die Straße führt über die Brücke zum Bahnhof. Müller ärgert sich über die "
          "Verspätung des Zuges. Die Kinder spielen fröhlich im großen Garten hinter dem Haus.",
    "es": "El niño pequeño comió una manzana en el jardín. Mañana iremos a la montaña con "
          "nuestros amigos de la escuela. ¿Quién sabe qué aventuras nos esperan allí?",
    "pl": "Warszawa jest stolicą Polski i największym miastem kraju. Przez miasto płynie "
          "Wisła, a turyści chętnie odwiedzają Stare Miasto i Łazienki Królewskie.",
    "el": "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και μία από τις αρχαιότερες πόλεις του "
          "κόσμου. Οι επισκέπτες θαυμάζουν την Ακρόπολη και τα μουσεία της.",
    "ja": "東京は日本の首都であり、世界で最も人口の多い都市圏の一つです。多くの観光客が毎年"
          "この街を訪れ、伝統的な寺院や現代的な建物を楽しみます。昨日は雨が降りましたが、"
          "今日はとても良い天気です。",
    "ko": "서울은 대한민국의 수도이며 가장 큰 도시입니다. 많은 사람들이 매년 이 도시를 "
          "방문합니다. 역사적인 궁궐과 현대적인 건물을 즐깁니다. 어제는 비가 왔지만 오늘은 "
          "날씨가 아주 좋습니다.",
    "zh": "北京是中华人民共和国的首都，也是全国的政治和文化中心。每年都有许多游客来到这里参观"
          "故宫和长城，品尝当地的美食。昨天下雨了，但是今天的天气非常好。",
}

# (language, Python codec used to write the page, record names accepted). A set with more than
# one name means the codecs agree on every character of the text, so either answer decodes it
# exactly; the decoded text is checked in every case.
CASES = [
    ("ru", "cp1251", {"windows-1251"}),
    ("ru", "koi8_r", {"koi8-r"}),
    ("uk", "cp1251", {"windows-1251"}),
    ("uk", "koi8_u", {"koi8-u"}),
    ("bg", "cp1251", {"windows-1251"}),
    ("fr", "cp1252", {"windows-1252"}),
    ("fr", "latin-1", {"windows-1252"}),  # ISO-8859-1 is read as its superset, as browsers do
    ("de", "cp1252", {"windows-1252"}),
    ("es", "latin-1", {"windows-1252"}),
    ("pl", "cp1250", {"windows-1250", "iso-8859-2"}),  # no letter of the text differs
    ("el", "cp1253", {"windows-1253", "iso-8859-7"}),  # no letter of the text differs
    ("ja", "shift_jis", {"shift_jis"}),  # decoded with cp932, its superset
    ("ja", "euc_jp", {"euc-jp"}),
    ("ko", "euc_kr", {"euc-kr"}),  # decoded with cp949, its superset
    ("zh", "gb2312", {"gb18030"}),  # GB2312 and GBK are subsets of GB18030
    ("zh", "gb18030", {"gb18030"}),
    ("ru", "utf-16-le", {"utf-16-le"}),  # no BOM: told by the NULs of spaces and punctuation
    ("ru", "utf-16-be", {"utf-16-be"}),
    ("fr", "utf-16-le", {"utf-16-le"}),
    ("ja", "utf-16-le", {"utf-16-le"}),  # no BOM and no ASCII: told by the script's blocks
    ("ko", "utf-16-be", {"utf-16-be"}),
    ("zh", "utf-16-le", {"utf-16-le"}),
    ("fr", "utf-32-le", {"utf-32-le"}),
    ("ru", "utf-32-be", {"utf-32-be"}),
]


@pytest.mark.parametrize(("lang", "codec", "names"), CASES,
                         ids=[f"{lang}-{codec}" for lang, codec, _ in CASES])
def test_detects_the_encoding(lang: str, codec: str, names: set[str]) -> None:
    text = TEXTS[lang]
    decoded = decode(text.encode(codec))
    assert text in decoded.text
    assert decoded.encoding in names


@pytest.mark.parametrize("sentence", RUSSIAN)
@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_koi8r_and_windows1251_are_not_confused(sentence: str, codec: str) -> None:
    """The classic confusion: the same Cyrillic letters sit at other byte values. Every single
    sentence, in either encoding, must come back right."""
    decoded = decode(sentence.encode(codec))
    assert decoded.text == sentence
    assert decoded.encoding == {"cp1251": "windows-1251", "koi8_r": "koi8-r"}[codec]


def test_cyrillic_diluted_by_markup() -> None:
    """A little Cyrillic in a lot of ASCII markup: chardet alone guesses a Latin code page."""
    html = ("<html><head><title>x</title></head><body>" + "<div class='nav'>link</div>" * 40
            + "<p>Привет, мир! Как дела?</p></body></html>")
    for codec, name in (("cp1251", "windows-1251"), ("koi8_r", "koi8-r")):
        decoded = decode(html.encode(codec))
        assert "Привет, мир! Как дела?" in decoded.text
        assert decoded.encoding == name


def test_short_samples_are_a_guess() -> None:
    """What detection cannot do, pinned so that a change shows: a lone word in lower case is
    still right, but a short all-capitals headline gives too little to go on. Either way the
    page decodes without an error."""
    for codec in ("cp1251", "koi8_r"):
        assert decode("Привет".encode(codec)).text == "Привет"
        decoded = decode("ЦЕНЫ ВЫРОСЛИ".encode(codec))
        assert len(decoded.text) == len("ЦЕНЫ ВЫРОСЛИ")


@pytest.mark.parametrize(("bom", "codec", "name"), [
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
])
def test_byte_order_marks(bom: bytes, codec: str, name: str) -> None:
    text = "Привет, мир. " + TEXTS["ja"]
    decoded = decode(bom + text.encode(codec))
    assert decoded.text == text  # the BOM itself is not part of the text
    assert decoded.encoding == name


def test_strict_utf8_comes_first() -> None:
    text = TEXTS["ru"] + " " + TEXTS["ja"] + " café"
    assert decode(text.encode()) == decode(text.encode())
    assert decode(text.encode()).encoding == "utf-8"
    assert decode(text.encode()).text == text


@pytest.mark.parametrize("misread", ["latin-1", "windows-1252"])
def test_text_decoded_with_the_wrong_code_page_before_it_was_saved_is_repaired(misread: str) -> None:
    text = "The investor’s café in Zürich — open from 8 € a day, says “the guide."
    mojibake = text.encode("utf-8").decode(misread)
    assert "investorâ" in mojibake
    assert normalise_lines(decode(mojibake.encode("utf-8")).text) == [text]


@pytest.mark.parametrize("text", [
    "São Paulo: NÃO é possível, disse o prefeito.",
    "« C'est fermé» a dit la maire, « à côté »",
    "Â is a letter of the Romanian alphabet; so are Ă and Î.",
])
def test_text_with_those_letters_in_their_own_right_is_left_alone(text: str) -> None:
    assert normalise_lines(decode(text.encode("utf-8")).text) == [text]


@pytest.mark.parametrize("damage", [
    pytest.param(lambda b: b[:200] + b"\xff\xfe" + b[200:], id="two-bad-bytes"),
    pytest.param(lambda b: b[:-2], id="cut-inside-a-character"),  # '.' and half a 'ц'

    pytest.param(lambda b: b[:300] + "café".encode("latin-1") + b[300:], id="latin1-word-pasted"),
    pytest.param(lambda b: bytes(c if i % 97 else 0xFF for i, c in enumerate(b)),
                 id="one-byte-in-97-broken"),
])
def test_broken_bytes_in_utf8_do_not_lose_the_page(damage: Callable[[bytes], bytes]) -> None:
    text = " ".join(RUSSIAN)
    decoded = decode(damage(text.encode()))
    assert decoded.encoding == "utf-8"
    assert "\ufffd" in decoded.text
    assert RUSSIAN[-1][:20] in decoded.text or RUSSIAN[0][:20] in decoded.text


def test_declared_charset_wins_over_detection() -> None:
    body = "<p>" + TEXTS["ru"] + "</p>"
    page = ("<html><head><meta charset=\"koi8-r\"></head><body>" + body).encode("koi8_r")
    assert decode(page).encoding == "koi8-r"
    page = ("<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>"
            + body).encode("cp1251")
    assert decode(page).encoding == "windows-1251"
    page = ('<?xml version="1.0" encoding="iso-8859-5"?>' + body).encode("iso8859-5")
    assert decode(page).encoding == "iso-8859-5"
    assert TEXTS["ru"] in decode(page).text


def test_implausible_declarations_are_ignored() -> None:
    body = "<p>" + TEXTS["ru"] + "</p>"
    # Markup readable as ASCII is not UTF-16, whatever it says; unknown labels say nothing.
    for label in ("utf-16", "x-user-defined", "no-such-charset"):
        decoded = decode((f"<meta charset={label}>" + body).encode("cp1251"))
        assert decoded.encoding == "windows-1251"
        assert TEXTS["ru"] in decoded.text


def test_a_declaration_that_does_not_fit_is_dropped() -> None:
    """A template copied from a Japanese site onto a Russian one: Shift_JIS declared, the bytes
    are windows-1251 and break Shift_JIS at every other letter."""
    page = ("<meta charset=shift_jis><p>" + TEXTS["ru"] + "</p>").encode("cp1251")
    decoded = decode(page)
    assert decoded.encoding == "windows-1251"
    assert TEXTS["ru"] in decoded.text


def test_only_the_head_of_a_page_can_declare() -> None:
    """Past the first 1024 bytes (where browsers stop looking) '<meta charset=...>' is text."""
    body = ("<p>" + TEXTS["ru"] + "</p>") * 6
    assert len(body.encode("cp1251")) > 1024
    decoded = decode((body + "<meta charset=koi8-r>").encode("cp1251"))
    assert decoded.encoding == "windows-1251"


def test_iso_2022_jp() -> None:
    decoded = decode(TEXTS["ja"].encode("iso2022_jp"))
    assert decoded.encoding == "iso-2022-jp"
    assert decoded.text == TEXTS["ja"]


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(3000), "PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
    (b"PK\x03\x04" + bytes(100), "ZIP archive"),
    (random.Random(2).randbytes(3000), "binary data"),
    (bytes(5000), "only NUL bytes"),
])
def test_binary_data_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(PageError, match=reason):
        decode(data)


def test_a_few_nul_bytes_and_crlf_are_handled() -> None:
    data = b"First line\x00 of text.\r\nSecond\x00 line.\r\rThird line.\n"
    decoded = decode(data)
    assert normalise_lines(decoded.text) == [
        "First line of text.", "Second line.", "", "Third line.", ""]


def test_control_characters_never_reach_the_lines() -> None:
    text = "a\x01b\x0bc\x0cd\x1be\x7ff\x85g\u2028h\u2029i\tj"
    (line,) = normalise_lines(text)
    assert line == "ab c d e f g h i\tj"
    assert all(c.isprintable() or c == "\t" for c in line)


def test_lines_are_stripped_and_split_on_every_line_end() -> None:
    assert normalise_lines("  a  \r\n b\rc\n\n") == ["a", "b", "c", "", ""]


# --- compression and the size cap -------------------------------------------------------------

PAGE = ("A paragraph of a perfectly ordinary page. " * 200).encode()
COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_compressed_pages_read_transparently(suffix: str) -> None:
    packed = COMPRESSORS[suffix](PAGE)
    assert read_page(packed, "page.txt" + suffix) == PAGE
    assert read_page(packed, "page.txt") == PAGE  # by magic number, whatever the name
    assert read_page(packed + COMPRESSORS[suffix](b"more"), "p" + suffix) == PAGE + b"more"
    assert strip_compression_suffix("a/page.txt" + suffix) == "a/page.txt"


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_truncated_archives_are_a_clear_error(suffix: str) -> None:
    packed = COMPRESSORS[suffix](PAGE)
    for cut in (len(packed) // 2, 5):
        with pytest.raises(PageError, match="truncated"):
            read_page(packed[:cut], "page" + suffix)


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_corrupt_archives_are_a_clear_error(suffix: str) -> None:
    packed = COMPRESSORS[suffix](PAGE)
    broken = packed[:24] + bytes(64) + packed[88:]
    with pytest.raises(PageError, match=r"corrupt|truncated"):
        read_page(broken, "page" + suffix)


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_a_mislabelled_archive_is_a_clear_error(suffix: str) -> None:
    with pytest.raises(PageError, match=f"the name ends in {suffix} but the data is not"):
        read_page(PAGE, "page.txt" + suffix)
    with pytest.raises(PageError, match="empty"):
        read_page(b"", "page.txt" + suffix)


def test_text_that_starts_like_bzip2_is_text() -> None:
    assert read_page(b"BZh, said the bee.", "bee.txt") == b"BZh, said the bee."


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_decompression_bombs_stop_at_the_cap(suffix: str) -> None:
    bomb = COMPRESSORS[suffix](bytes(20 * 1024 * 1024))
    assert len(bomb) < 100_000
    with pytest.raises(PageError, match="expands past 1,000,000 bytes"):
        read_page(bomb, "bomb" + suffix, max_bytes=1_000_000)


def test_plain_pages_over_the_cap_are_refused_without_reading_them_whole() -> None:
    class Endless(io.BytesIO):
        """A file that never ends; reading it whole would never return."""

        read_so_far = 0

        def read(self, size: int | None = -1, /) -> bytes:
            assert size is not None and size >= 0, "read without a limit"
            self.read_so_far += size
            return b"a" * size

    endless = Endless()
    with pytest.raises(PageError, match="over the 1,000 byte cap"):
        read_stream(endless, "page.txt", max_bytes=1000)
    assert endless.read_so_far < 1_000_000


def test_the_cap_is_inclusive() -> None:
    assert read_stream(io.BytesIO(b"x" * 1000), "p.txt", max_bytes=1000) == b"x" * 1000
    assert read_page(gzip.compress(b"x" * 1000), "p.gz", max_bytes=1000) == b"x" * 1000
    with pytest.raises(PageError):
        read_page(gzip.compress(b"x" * 1001), "p.gz", max_bytes=1000)


def test_in_memory_pages_are_capped_like_files() -> None:
    """Bytes in memory meet the cap that files and stdin meet, with the same reason: the
    default (the CLI's) unless told otherwise; ``None`` lets plain bytes of any size through,
    but not a bomb."""
    assert read_page(b"x" * 10, "p.txt") == b"x" * 10
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    huge = bytes(DEFAULT_MAX_BYTES + 1)
    with pytest.raises(PageError, match="page is 52,428,801 bytes, over the 52,428,800 byte cap"):
        read_page(huge, "p.txt")
    assert read_page(huge, "p.txt", max_bytes=None) is huge  # no copy, no cap
    bomb = gzip.compress(huge)
    for cap in (DEFAULT_MAX_BYTES, None):
        with pytest.raises(PageError, match="expands past 52,428,800 bytes"):
            read_page(bomb, "bomb.gz", max_bytes=cap)
    with pytest.raises(PageError, match="over the 1,000 byte cap"):
        read_page(b"x" * 1001, "p.txt", max_bytes=1000)


def test_clean_enforces_the_cap_with_the_cli_default(rulebook: Rulebook) -> None:
    """``clean(bytes)`` refuses a page over the CLI's default cap, from its length alone (these
    NUL bytes would otherwise be refused as 'only NUL bytes', after a scan of 50 MB)."""
    with pytest.raises(PageError, match=r"over the 52,428,800 byte cap; .*--max-bytes"):
        clean(bytes(DEFAULT_MAX_BYTES + 1), rulebook)


def test_clean_takes_max_bytes_and_says_how_to_raise_it(rulebook: Rulebook) -> None:
    page = "\n\n".join(RUSSIAN).encode("utf-8")
    assert clean(page, rulebook, max_bytes=len(page)).text  # the cap is inclusive
    assert clean(page, rulebook, max_bytes=None).text
    with pytest.raises(PageError) as refused:
        clean(page, rulebook, max_bytes=len(page) - 1)
    reason = str(refused.value)
    assert f"page is {len(page):,} bytes, over the {len(page) - 1:,} byte cap" in reason
    assert "--max-bytes" in reason and "max_bytes=" in reason
    with pytest.raises(PageError, match="gzip data expands past 1,000 bytes"):
        clean(gzip.compress(bytes(100_000)), rulebook, name="p.gz", max_bytes=1000)


def test_the_cli_and_the_library_refuse_with_one_reason(rulebook: Rulebook,
                                                       tmp_path: Path) -> None:
    """One mechanism: `cleaner clean FILE`, `cleaner clean -`, `cleaner run` and ``clean()``
    give the same reason for a page over --max-bytes."""
    page = "\n\n".join(RUSSIAN).encode("utf-8")
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "page.txt"
    path.write_bytes(page)
    with pytest.raises(PageError) as refused:
        clean(page, rulebook, max_bytes=1000)
    reason = str(refused.value)
    runner = CliRunner()
    result = runner.invoke(main, ["clean", str(path), "--max-bytes", "1000"])
    assert result.exit_code == 1 and reason in result.stderr, result.stderr
    result = runner.invoke(main, ["clean", "-", "--max-bytes", "1000"], input=page)
    assert result.exit_code == 1 and "over the 1,000 byte cap" in result.stderr
    assert reason.split("; ", 1)[1] in result.stderr  # how to raise it: the same words
    result = runner.invoke(main, ["run", str(tmp_path / "in"), str(tmp_path / "out"),
                                  "--max-bytes", "1000"])
    assert result.exit_code == 1 and f"error: page.txt: {reason}" in result.stderr


def test_the_cli_passes_max_bytes_to_clean(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    """A --max-bytes above the default must reach ``clean()`` too, or pages between the two
    caps would be read and then refused. The stand-in for ``clean()`` answers with what it got,
    through the error message, which also comes back from a forked worker."""

    def reporting(*args: Any, **kwargs: Any) -> Any:
        raise PageError(f"clean() got max_bytes={kwargs.get('max_bytes')}")

    # (The CLI and the workers import `clean` from the pipeline when they first clean a page.)
    monkeypatch.setattr(pipeline, "clean", reporting)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text("\n\n".join(RUSSIAN), encoding="utf-8")
    # A second page: a run of one page cleans it in the main process whatever --jobs says.
    (folder / "page2.txt").write_text("\n\n".join(RUSSIAN), encoding="utf-8")
    cap = str(DEFAULT_MAX_BYTES * 2)
    runner = CliRunner()
    for args, stdin in [(["clean", str(folder / "page.txt")], None),
                        (["clean", "-"], (folder / "page.txt").read_bytes()),
                        (["run", str(folder), "-"], None),
                        (["run", str(folder), "-", "--jobs", "2"], None)]:
        result = runner.invoke(main, [*args, "--max-bytes", cap], input=stdin)
        assert result.exit_code == 1, result.stderr
        assert f"clean() got max_bytes={cap}" in result.stderr, args


def test_random_bytes_never_escape_as_another_exception() -> None:
    rng = random.Random(7)
    for _ in range(300):
        data = rng.randbytes(rng.randrange(0, 400))
        if rng.random() < 0.3:
            data = rng.choice([b"\x1f\x8b", b"BZh91AY&SY", b"\xfd7zXZ\x00", b"\xff\xfe"]) + data
        with contextlib.suppress(PageError):
            decode(read_page(data, rng.choice(["p.txt", "p.gz", "p.bz2", "p.xz"])))

