"""Language detection: what the finder's stop words and the date parser's month names hang on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cleaner import clean_text, load_rulebook
from cleaner.lang import detect as language
from cleaner.lang.detect import detect, stopwords_of

# Invented paragraphs, one per language, of the length of a news paragraph.
PROSE = {
    "en": "The city council voted on Tuesday to build a new bridge over the river. According to the mayor, "
          "work will start in the spring and should be finished within three years.",
    "fr": "Le conseil municipal a voté mardi la construction d'un nouveau pont sur la rivière. Selon le maire, "
          "les travaux commenceront au printemps et devraient être terminés d'ici trois ans.",
    "sv": "Kommunfullmäktige röstade på tisdagen för att bygga en ny bro över älven. Enligt kommunalrådet ska "
          "arbetet börja till våren och vara klart inom tre år.",
    "de": "Der Stadtrat hat am Dienstag den Bau einer neuen Brücke über den Fluss beschlossen. Nach Angaben des "
          "Bürgermeisters beginnen die Arbeiten im Frühjahr und sollen in drei Jahren abgeschlossen sein.",
    "es": "El ayuntamiento votó el martes la construcción de un nuevo puente sobre el río. Según el alcalde, "
          "las obras comenzarán en primavera y deberían terminar en tres años.",
    "nl": "De gemeenteraad heeft dinsdag besloten een nieuwe brug over de rivier te bouwen. Volgens de "
          "burgemeester beginnen de werkzaamheden in het voorjaar en zijn ze binnen drie jaar klaar.",
    "nb": "Bystyret vedtok tirsdag å bygge en ny bro over elva. Ifølge ordføreren skal arbeidet starte til "
          "våren og være ferdig innen tre år.",
    "ru": "Городской совет во вторник проголосовал за строительство нового моста через реку. По словам мэра, "
          "работы начнутся весной и должны завершиться в течение трёх лет.",
}


@pytest.mark.parametrize("code", sorted(PROSE))
def test_detects_the_language_of_prose(code: str) -> None:
    assert detect(PROSE[code]) == code


@pytest.mark.parametrize("code", sorted(PROSE))
def test_the_detected_language_has_stop_words(code: str) -> None:
    """Every language detected here has its own stop words for the finder."""
    assert len(stopwords_of(detect(PROSE[code]))) > 50


def test_english_heavy_in_one_topic_word_stays_english() -> None:
    """Stop-word lists taken from small Wikipedias hold stray English words ("data", "language"),
    so a page that repeats one of them must not be read as that Wikipedia's language."""
    text = ("Data analysis is the process of cleaning, transforming and modelling data to find useful "
            "information. Data teams turn data into decisions, and data quality matters at every step "
            "of the data process. A language learning app teaches a language with short daily lessons.")
    assert detect(text) == "en"


def test_prose_decides_over_menus() -> None:
    """The sample is the page's prose lines: an English menu around a French article does not
    make the page English."""
    menu = "\n".join(["Home", "News", "Sign in", "Subscribe", "Contact", "About us"] * 5)
    assert detect(f"{menu}\n{PROSE['fr']}\n{menu}") == "fr"


@pytest.mark.parametrize("text", ["", "OK", "12 345 678 90", "a b c d e f g", "€ 19,99 — 24,99 € | 3 × 4"])
def test_too_little_evidence_is_no_language(text: str) -> None:
    assert detect(text) is None


def test_codes_are_iso_639_1() -> None:
    """The model also knows languages without a two-letter code; answers stay two letters."""
    arabic = ("صوت مجلس المدينة يوم الثلاثاء على بناء جسر جديد فوق النهر. وقال رئيس البلدية إن العمل سيبدأ "
              "في الربيع وسينتهي خلال ثلاث سنوات.")
    assert detect(arabic) == "ar"
    assert all(len(code) == 2 for code in language._identifier().nb_classes if code != "zxx")


def test_unknown_language_has_no_stop_words() -> None:
    assert stopwords_of(None) == frozenset()
    assert stopwords_of("xx") == frozenset()


# Invented pages: menu, headline, byline, dateline, three paragraphs, share row and footer.
PAGES = {
    "fr": ([
        "Accueil", "Politique", "Le conseil vote la construction d'un nouveau pont", "Par Marie Dupont",
        "Publié le 2 décembre 2026 à 10h32, mis à jour le 3 décembre 2026 à 08h15",
        PROSE["fr"],
        "Les habitants du quartier attendaient ce projet depuis longtemps, car l'ancien pont est fermé aux "
        "camions depuis deux ans et les détours allongent chaque trajet.",
        "Le coût total est estimé à vingt millions d'euros, dont la moitié sera financée par la région et "
        "l'État, a précisé l'adjoint chargé des finances lors de la séance.",
        "Partager sur Facebook", "À lire aussi", "Mentions légales",
    ], "Le conseil vote la construction d'un nouveau pont", "2026-12-02T10:32", ["Marie Dupont"]),
    "sv": ([
        "Start", "Nyheter", "Kommunen bygger ny bro över älven", "Av Anna Svensson",
        "Publicerad 2 december 2026 kl. 10.32",
        PROSE["sv"],
        "Invånarna i stadsdelen har länge väntat på projektet, eftersom den gamla bron har varit stängd för "
        "lastbilar i två år och omvägarna gör varje resa längre.",
        "Den totala kostnaden beräknas till tvåhundra miljoner kronor, varav hälften betalas av regionen "
        "och staten, sade kommunalrådet under sammanträdet.",
        "Dela på Facebook", "Läs också", "Kontakta oss",
    ], "Kommunen bygger ny bro över älven", "2026-12-02T10:32", ["Anna Svensson"]),
}


@pytest.mark.parametrize("code", sorted(PAGES))
def test_a_page_in_another_language_cleans_end_to_end(code: str) -> None:
    lines, title, date, authors = PAGES[code]
    doc = clean_text("\n".join(lines), load_rulebook())
    assert (doc.language, doc.title, doc.date, doc.authors) == (code, title, date, authors)
    assert doc.text.split("\n\n") == lines[5:8]


def test_a_given_language_is_used_instead_of_detected() -> None:
    """`language=` holds for the page and for its settling: the output cleaned again with the
    same language is unchanged."""
    lines, *_ = PAGES["sv"]
    rulebook = load_rulebook()
    doc = clean_text("\n".join(lines), rulebook, language="SV")
    assert doc.language == "sv"
    english = clean_text(PROSE["en"] + "\n" + PROSE["en"].replace("river", "lake"), rulebook, language="de")
    assert english.language == "de"
    assert clean_text(doc.text, rulebook, language="sv").text == doc.text


@pytest.mark.parametrize("code", ["english", "xx", "", "e1"])
def test_an_unknown_language_code_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="ISO 639-1"):
        clean_text(PROSE["en"], load_rulebook(), language=code)


def test_every_language_with_a_stop_word_list_gets_it() -> None:
    """A language the model can answer and jusText has a list for reads that list (its name in
    jusText is resolved to the same code)."""
    import justext

    named = {name.replace("_", " ").lower() for name in justext.get_stoplists()}
    for code, expected in [("el", "greek"), ("sw", "swahili"), ("ne", "nepali"), ("ky", "kyrgyz"), ("oc", "occitan")]:
        assert expected in named
        assert code in language._identifier().nb_classes
        assert len(stopwords_of(code)) > 50, code


def test_a_run_refuses_a_bad_code_before_any_page() -> None:
    from cleaner.batch.executors import clean_jobs

    with pytest.raises(ValueError, match="ISO 639-1"):
        next(clean_jobs(iter([]), load_rulebook(), language="english"))


@pytest.mark.parametrize(("code", "forms"), [
    ("sv", ["reglerna", "regler"]),
    ("fr", ["trottinettes", "trottinette"]),
    ("de", ["städten", "städte"]),
])
def test_inflected_forms_share_a_stem(code: str, forms: list[str]) -> None:
    stem = language.stemmer_of(code)
    assert stem is not None
    assert len(set(stem(forms))) == 1


def test_english_and_languages_without_a_stemmer_compare_words_as_they_are() -> None:
    assert language.stemmer_of("en") is None
    assert language.stemmer_of("ja") is None
    assert language.stemmer_of(None) is None


# jusText names that pycountry does not resolve to the ISO 639-1 code the cleaner uses.
_NAME_FIXES = {
    "Norwegian_Bokmal": "nb", "Norwegian_Nynorsk": "nn", "Simple_English": None,
    "Serbo_Croatian": None, "Belarusian_Taraskievica": None, "Western_Panjabi": "pa",
    "West_Frisian": "fy", "Kurdish": "ku", "Malay": "ms", "Haitian": "ht", "Volapuk": "vo",
    "Greek": "el", "Nepali": "ne", "Occitan": "oc", "Swahili": "sw", "Kyrgyz": "ky",
}


def _table_from_the_packages() -> dict[str, frozenset[str]]:
    """Every language's stop words built at once from jusText, pycountry and stopwords-iso, as
    the cleaner built them before it read them language by language."""
    import justext
    import pycountry
    import stopwordsiso

    from cleaner.lang.stopwords import script_of
    from cleaner.lang.words import UNSPACED

    def iso(name: str) -> str | None:
        try:
            found = pycountry.languages.lookup(name.replace("_", " "))
        except LookupError:
            return None
        code = getattr(found, "alpha_2", None)
        return str(code) if code else None

    table: dict[str, set[str]] = {}
    for name in sorted(justext.get_stoplists()):
        code = _NAME_FIXES.get(name, "") if name in _NAME_FIXES else iso(name)
        if not code:
            continue
        words = [w.lower() for w in justext.get_stoplist(name)]
        script = Counter(script_of(w) for w in words).most_common(1)[0][0]
        table.setdefault(code, set()).update(w for w in words if script_of(w) == script)
    for code in ("zh", "ja"):
        table[code] = {w for w in stopwordsiso.stopwords(code) if len(w) == 1 and UNSPACED.match(w)}
    return {code: frozenset(words) for code, words in table.items()}


def test_stop_words_read_language_by_language_are_the_packages_lists() -> None:
    """`stopwords.JUSTEXT_LISTS` names each language's jusText list as pycountry does (with
    the fixes above), and each language's words, read alone, are those of the whole table."""
    import justext

    from cleaner.lang.stopwords import JUSTEXT_LISTS, justext_list

    expected = _table_from_the_packages()
    assert set(expected) == set(JUSTEXT_LISTS) | {"zh", "ja"}
    for code, words in expected.items():
        assert stopwords_of(code) == words, code
    assert justext_list("English") == justext.get_stoplist("English")


def test_the_model_mapped_from_the_cache_folder_answers_as_the_one_read(tmp_path: Path) -> None:
    """The cut-down model stored by `modelcache` and mapped back has the same arrays, in the
    same layout, and gives the same probabilities; a damaged file is a miss."""
    import numpy as np

    from cleaner import cachefiles
    from cleaner.lang import modelcache

    read = language._identifier()
    model_file = Path(language.langid.MODEL_DIR) / language.MODEL_FILE
    key = modelcache.key(model_file, Path(str(language.langid.__file__)))
    modelcache.write(tmp_path, key, modelcache.Arrays(read.nb_ptc, read.nb_pc, read.nb_classes,
                                                      read.tk_nextmove, read.tk_row, read.tk_output))
    stored = modelcache.read(tmp_path, key)
    assert stored is not None
    assert stored.classes == read.nb_classes
    assert stored.ptc.dtype == read.nb_ptc.dtype and stored.ptc.strides == read.nb_ptc.strides
    assert np.array_equal(stored.ptc, read.nb_ptc) and np.array_equal(stored.pc, read.nb_pc)
    for mapped, loaded in ((stored.nextmove, read.tk_nextmove), (stored.row, read.tk_row),
                           (stored.output, read.tk_output)):
        assert list(mapped) == list(loaded)
    previous = cachefiles.folder()
    cachefiles.use_folder(tmp_path)
    language._identifier.cache_clear()
    try:
        mapped = language._identifier()
        assert isinstance(mapped.tk_nextmove, memoryview)  # from the file, not rebuilt
        for text in [*PROSE.values(), "Home | News | Sport | Contact", "1234 5678"]:
            assert np.array_equal(mapped._decide(text), read._decide(text)), text
    finally:
        cachefiles.use_folder(previous)
        language._identifier.cache_clear()
    assert modelcache.read(tmp_path, "another key") is None
    stored_file = next(tmp_path.glob("langid-*.bin"))
    stored_file.write_bytes(stored_file.read_bytes()[:5000])
    assert modelcache.read(tmp_path, key) is None
