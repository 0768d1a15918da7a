"""The compiled core (`cleaner._core`, Rust) computes what the pure-Python reference computes,
to the last bit, on any line; the package runs the same without it; `cleaner --version` says which
core runs."""

from __future__ import annotations

import importlib.machinery
import json
import pickle
import shutil
import subprocess
import sys
import types
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import PAGES, ROOT, SEED_BLOG, page_files
from hypothesis import example, given, settings
from hypothesis import strategies as st
from py3langid.langid import visit_counts

import cleaner
from cleaner import Rulebook, clean, core
from cleaner.cli import main
from cleaner.find import finder, linefeatures
from cleaner.find.linefeatures import SHAPE, kernel_shapes, line_shape, shape_rows, words_of
from cleaner.lang import detect
from cleaner.lang.stopwords import stopwords_of
from cleaner.lang.words import python_word_count, word_count
from cleaner.models.trees import TreeEnsemble
from cleaner.read import html, unglue
from cleaner.read.htmlwalk import compiled_walk, walk

KERNEL = core.KERNEL
compiled = pytest.mark.skipif(KERNEL is None, reason="the compiled core is not built (pip install . builds it)")

# Characters where Python's definitions are easy to get wrong: cased letters without a simple
# case (titlecase, final sigma, dotted I), digits that are not decimal, spaces that are not
# ASCII, control characters str.split splits on, CJK and kana (unspaced), Hangul, combining
# marks, emoji, and the punctuation the features look for.
TRICKY = ("ǅǈΣσςİıßﬁẞ²³½٣٤۵०१߁𝟙ⅫⅧ\u00a0\u2003\u3000\u2028\u0085\x1c\x1d\x1e\x1f\x0b\x0c\t\n\r "
          "政府は日所得税案発表カタカナひらがな한국어\u0301\u0308\u200d👍🏽🇫🇷©®|•·»›/>-*–—.,;:!?…\"'”’)。！？」』@_")
WORDS = ("the", "and", "of", "www.example.com", "http://a.b", "x@y.z", "@home.", "(c)", "1999", "2020",
         "12/05/2021", "3.4.99", "1.", "2)", "HomeAboutContact", "ALL", "Caps", "a   b", "c\td", "政府は",
         "の", "は", "iPhone15を", "ΣΟΦΙΑ", "σοφίας", "Überall", "٢٠٢٠")
STOPWORDS = frozenset({"the", "and", "of", "a", "の", "は", "を", "σοφίας", "überall"})

lines_strategy = st.one_of(
    st.text(st.one_of(st.characters(), st.sampled_from(TRICKY)), max_size=80),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(st.sampled_from(TRICKY), max_size=6)), max_size=14)
    .map(" ".join),
)


def reference_rows(lines: list[str], stopwords: frozenset[str]) -> np.ndarray:
    return np.array([line_shape(line, stopwords) for line in lines], dtype=np.float64).reshape(-1, len(SHAPE))


def assert_same_rows(lines: list[str], stopwords: frozenset[str]) -> None:
    shapes = kernel_shapes(lines, stopwords)
    assert shapes is not None
    for rows in (shape_rows(lines, stopwords), shape_rows(lines, stopwords, shapes)):
        expected = reference_rows(lines, stopwords)
        for i, line in enumerate(lines):
            # Bit for bit: the bytes of the floats, not a tolerance.
            assert rows[i].tobytes() == expected[i].tobytes(), (line, rows[i] - expected[i])
    # The words the hand-written finder scores lines by, and so its scores.
    for i, line in enumerate(lines):
        if i not in shapes.skipped:
            count, stops, _, gaps, _ = words_of(line, stopwords)
            assert (shapes.counts[i], shapes.stops[i], shapes.gaps[i]) == (count, stops, gaps), line
    assert finder._scores(lines, stopwords, shapes) == finder._scores(lines, stopwords, None)


@compiled
@settings(max_examples=400, deadline=None)
@given(st.lists(lines_strategy, max_size=12))
@example(["", " ", "\t\t", "Σ", "ΣΑΣ ΣΑΣ", "A", "ǅ", "İstanbul", "ⅫⅧ", "a   b   c   d", "a\tb\tc\td"])
@example(["Posted 12/05/2021 at 5:32 pm", "© 2020 Site", "1. First", "•Home • About", "x\udcff y"])
def test_line_shapes_match_the_reference(lines: list[str]) -> None:
    assert_same_rows(lines, STOPWORDS)


@compiled
@settings(max_examples=400, deadline=None)
@given(lines_strategy)
@example("政府は3日、所得税を引き下げる案を発表")
@example("iPhone15を購入した 한국어 text")
@example("a\udcff b")  # a lone surrogate, as surrogateescape decoding leaves
def test_word_count_matches_the_reference(text: str) -> None:
    assert word_count(text) == python_word_count(text)


@compiled
@pytest.mark.parametrize("path", page_files(), ids=lambda p: str(p.relative_to(PAGES)))
def test_every_line_of_the_fixture_pages_matches(path: Path) -> None:
    lines = path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    for language in ("en", "de", "ja"):
        assert_same_rows(lines, stopwords_of(language))
    assert [word_count(line) for line in lines] == [python_word_count(line) for line in lines]
    assert_same_seams(lines)


# Pieces of glued lines: a seam's sides (lower-case letters, capitals, digits, closing and
# opening punctuation, bullets), runs of blanks before words and numbers, names with a capital
# inside, and letters the `regex` module's newer Unicode tables class otherwise than Python's.
GLUE = ("Home", "about", "Contact", "HTMLParser", "NYC", "IT", "Tried", "I ", "2025", "7", "a", "the end",
        ".", "!", "?", ":", ";", ")", "]", "”", "»", "|", "\"", "’", "“", "«", "„", "•", "·", "›", "(c)", "By",
        "   ", "\t", "  ", " ", " + ", "-", "\x1c", "\u00a0", "\u2003", "YouTube", "iPhone", "LinkedIn",
        "ǅ", "ʕ", "ᲊ", "Ꟍ", "Σσ", "İ", "٣", "𐵀", "政府", "x\udcff")
glued_strategy = st.tuples(
    st.lists(st.one_of(st.sampled_from(GLUE), st.text(st.characters(), max_size=3)), max_size=160),
    st.sampled_from([1, 1, 2, 5]),
).map(lambda pieces_times: "".join(pieces_times[0]) * pieces_times[1])


def assert_same_seams(lines: list[str]) -> None:
    assert KERNEL is not None
    if unglue._kernel() is None:  # the core leaves the seams to Python: nothing to compare
        pytest.skip(unglue.seams_note() or "the seams run in Python")
    for line in lines:
        assert unglue.unglue(line) == unglue.python_unglue(line), line
        # each of the two the kernel gives, or None: the reference then runs
        pieces, seams = KERNEL.split_at_seams(line), KERNEL.loose_seams(line)
        assert pieces is None or tuple(pieces) == unglue.python_split_at_seams(line), line
        assert seams is None or tuple(seams) == unglue.python_loose_seams(line), line
        lone_surrogate = any("\ud800" <= c <= "\udfff" for c in line)
        assert (pieces is None) == (seams is None) == lone_surrogate, line


@compiled
@settings(max_examples=500, deadline=None)
@given(st.lists(glued_strategy, max_size=4))
@example(["HomeNewsSports" * 30, "a.  B" * 400, "Guide 2025PUBLISHED by Jane(tested)by Jane" * 9])
@example(["x" * 299 + "aB", "•" * 400, "ab\tC  +x   5y" * 50, "LinkedIn" * 60, " Ab" * 200 + "\udcff"])
@example(["  ".join(["--"] * 800), "|  " * 700 + "Total 12", "*  *  *  " * 300])
def test_the_seams_match_the_reference(lines: list[str]) -> None:
    assert_same_seams(lines)


def test_a_core_built_with_another_regex_leaves_the_seams_to_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its tables of the `regex` module's classes may class a letter otherwise."""
    monkeypatch.setattr(unglue.regex, "__version__", "0.0")
    assert unglue._kernel() is None
    assert unglue.unglue("HomeAbout" * 40)[:2] == ["Home", "About"]


def random_ensemble(draw: st.DrawFn, columns: int) -> TreeEnsemble:
    """Trees of random shapes (as the trainers write them: node 0 the root, children after their
    parent), random features and thresholds among the values the rows take."""
    trees = []
    for _ in range(draw(st.integers(1, 140))):
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        pending = [0]  # nodes still to fill, in order
        size = draw(st.integers(1, 31))
        while pending:
            node = pending.pop(0)
            for field in (feature, threshold, left, right, value):
                field.append(0)  # type: ignore[arg-type]
            if len(feature) + 2 * (len(pending) + 1) <= size and draw(st.booleans()):
                feature[node] = draw(st.integers(0, columns - 1))
                threshold[node] = draw(st.sampled_from(THRESHOLDS))
                left[node], right[node] = len(feature) + len(pending), len(feature) + len(pending) + 1
                pending += [left[node], right[node]]
            else:
                feature[node], left[node], right[node] = -1, -1, -1
                value[node] = draw(st.floats(-3, 3, allow_nan=False))
        trees.append({"feature": feature, "threshold": threshold, "left": left, "right": right, "value": value})
    names = [f"f{i}" for i in range(columns)]
    return TreeEnsemble.from_dict({"features": names, "baseline": draw(st.floats(-2, 2)), "trees": trees})


THRESHOLDS = (-1.5, 0.0, 0.5, 1.0, 2.0, 1e-9, 37.0)
ROW_VALUES = st.sampled_from((*THRESHOLDS, -0.0, 0.25, 3.0, 1e300, -np.inf, np.inf, np.nan))


@compiled
@settings(max_examples=150, deadline=None)
@given(st.data())
def test_tree_ensembles_match_the_reference(data: st.DataObject) -> None:
    """Any ensemble, any rows (thresholds hit exactly, infinities, NaN): the compiled walk and
    the numpy walk give the same log-odds to the bit, their leaves summed in numpy's order."""
    columns = data.draw(st.integers(1, 9))
    model = data.draw(st.builds(lambda: None).flatmap(lambda _: st.composite(
        lambda draw: random_ensemble(draw, columns))()))
    rows = data.draw(st.integers(0, 40))
    x = np.array(data.draw(st.lists(ROW_VALUES, min_size=rows * columns, max_size=rows * columns)),
                 dtype=np.float64).reshape(rows, columns)
    assert model.compiled is not None
    assert model.decision(x).tobytes() == model.reference_decision(x).tobytes()


@compiled
def test_the_shipped_models_match_the_reference_and_survive_pickling() -> None:
    rng = np.random.default_rng(7)
    for path in sorted((ROOT / "cleaner" / "models").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        model = TreeEnsemble.from_dict(data)
        for rows in (1, 3, 8, 129, 1000):
            x = rng.normal(size=(rows, len(model.features))) * rng.choice([0.01, 1.0, 300.0], size=rows)[:, None]
            assert model.decision(x).tobytes() == model.reference_decision(x).tobytes(), (path.name, rows)
        copy = pickle.loads(pickle.dumps(model))
        assert copy.compiled is not None and copy.features == model.features
        assert copy.decision(x).tobytes() == model.decision(x).tobytes()


@compiled
def test_a_damaged_ensemble_is_refused() -> None:
    assert KERNEL is not None
    with pytest.raises(ValueError, match="outside"):
        KERNEL.TreeKernel([0, 0], [0.5, 0.0], [0, 8], [0.0, 0.0], [0], 1)
    with pytest.raises(ValueError, match="outside"):
        KERNEL.TreeKernel([5, 0, 0, 0], [0.5, 0.0, 0.0, 0.0], [2, 2, 2, 2], [0.0] * 4, [0], 2)
    model = TreeEnsemble.from_dict({"features": ["a", "b"], "baseline": 0.0, "trees": [
        {"feature": [-1], "threshold": [0.0], "left": [-1], "right": [-1], "value": [1.0]}]})
    assert model.compiled is not None
    with pytest.raises(ValueError, match="whole rows"):
        model.compiled.leaf_sums(b"\0" * 24)


@compiled
@settings(max_examples=300, deadline=None)
@given(lines_strategy)
@example("")
@example("Le conseil municipal a approuvé le budget mardi soir après un long débat.")
@example("政府は3日、所得税を引き下げる案を発表した。")
def test_the_language_walk_matches_py3langid(text: str) -> None:
    """The byte walk of the detector counts the features py3langid's counts, in its order."""
    identifier = detect._identifier()
    data = text.encode("utf-8", errors="surrogatepass")
    expected = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data)
    automaton = identifier._compiled()
    assert automaton is not None
    features, counts = automaton.visit_counts(data)
    assert list(zip(features, counts, strict=True)) == list((expected or {}).items())


@compiled
@settings(max_examples=200, deadline=None)
@given(lines_strategy, st.integers(min_value=0, max_value=2**16 - 1))
@example("Le conseil municipal a approuvé le budget mardi soir après un long débat.", 0)
def test_the_language_walk_gathers_the_rows_numpy_gathers(text: str, shift: int) -> None:
    """`visit_rows` gives the walk's counts and its features' score rows as f32, bit for bit
    what numpy's gather and half-to-float cast give: every half float, NaNs and subnormals too
    (the table's entries are all 65,536 bit patterns, rolled by ``shift``)."""
    identifier = detect._identifier()
    automaton = identifier._compiled()
    assert automaton is not None
    data = text.encode("utf-8", errors="surrogatepass")
    features, counts = automaton.visit_counts(data)
    rows, classes = identifier.nb_ptc.shape
    halves = np.roll(np.arange(rows * classes, dtype=np.uint16), shift).reshape(rows, classes)
    got_counts, gathered = automaton.visit_rows(data, memoryview(halves), classes)
    assert got_counts == counts
    expected = halves.view(np.float16)[np.array(features, dtype=np.intp)].astype(np.float32)
    assert gathered == expected.tobytes()


@compiled
def test_pages_get_the_language_py3langid_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = [detect._sample(path.read_text(encoding="utf-8", errors="replace")) for path in page_files()]
    identifier = detect._identifier()
    # The model's table is read by the walk's rows (`visit_rows`), the path users run, so the
    # comparison below is of that path with the reference.
    assert identifier._half_table() is not None
    with_core = [identifier.classify(sample) for sample in samples]
    raw = [identifier._raw_score(identifier._encode(sample)).tobytes() for sample in samples]
    monkeypatch.setattr(core, "KERNEL", None)
    assert [identifier.classify(sample) for sample in samples] == with_core
    # The scores themselves, bit for bit: the core's walk feeds py3langid's sum without its dict.
    assert [identifier._raw_score(identifier._encode(sample)).tobytes() for sample in samples] == raw
    assert {code for code, _ in with_core} >= {"en", "de"}


def test_the_package_runs_without_the_compiled_core(monkeypatch: pytest.MonkeyPatch, rulebook: Rulebook) -> None:
    """The reference alone cleans a page to the same document as the compiled core does."""
    data = SEED_BLOG.read_bytes()
    with_core = clean(data, rulebook).record()
    monkeypatch.setattr(core, "KERNEL", None)
    assert core.name() == "python"
    without = clean(data, rulebook).record()
    assert without == with_core
    assert without["word_count"] > 100


def test_version_names_the_core(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    assert f"({core.name()} core)" in runner.invoke(main, ["--version"]).output
    monkeypatch.setattr(core, "KERNEL", None)
    assert runner.invoke(main, ["--version"]).output.strip().endswith("(python core)")


def test_an_installed_package_has_the_compiled_core() -> None:
    """`pip install .` builds the extension: a package imported from outside the checkout (an
    installed wheel) runs the compiled core."""
    package = Path(cleaner.__file__).resolve().parent
    built = [path for suffix in importlib.machinery.EXTENSION_SUFFIXES
             for path in package.glob(f"_core{suffix}")]
    if package.parent == ROOT and not built:
        pytest.skip("running from a checkout without the extension built")
    assert core.name() == "rust"


@pytest.mark.skipif(shutil.which("cargo") is None, reason="no Rust toolchain")
def test_rust_code_is_formatted() -> None:
    """rustfmt's layout (clippy runs in .ci/run: it compiles, which a test should not)."""
    done = subprocess.run(["cargo", "fmt", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


CUE_WORDS = ("comments", "reply", "leave a", "комментарии", "related", "관련 기사", "관련기사", "author",
             "written by", "share", "subscribe", "tagged", "you may also like", "xcomments", "authors_")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CUE_WORDS), st.sampled_from(WORDS),
                          st.text(st.sampled_from(TRICKY), max_size=4)), max_size=8).map(" ".join))
def test_one_search_tells_a_line_without_cues(line: str) -> None:
    # The cue columns skip their four searches where the joined one finds nothing.
    lowered = line.lower()
    assert (linefeatures._ANY_CUE.search(lowered) is None) == all(
        pattern.search(lowered) is None for pattern in linefeatures._CUE_PATTERNS)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CUE_WORDS), st.sampled_from(WORDS),
                          st.sampled_from(linefeatures._HEADER_WORDS),
                          st.text(st.sampled_from(TRICKY), max_size=4)), max_size=8).map(" ".join))
@example("комментарии \udc80")
@example("Jane wrote:")
def test_the_word_automaton_tells_what_the_searches_need(line: str) -> None:
    # The cue columns search a line for its header and its cues only where RE2's automaton of
    # their words finds one: the header's words exactly where the hint's search does, a cue's
    # word in every line a cue pattern matches.
    lowered = line.lower()
    held = linefeatures._HINTS.held(lowered)
    header_words, cue_words = linefeatures._HEADER_LIST in held, linefeatures._CUE_LIST in held
    try:
        lowered.encode()
    except UnicodeEncodeError:
        assert header_words and cue_words
        return
    assert header_words == (linefeatures._HEADER_HINT.search(lowered) is not None)
    assert cue_words or linefeatures._ANY_CUE.search(lowered) is None


@compiled
@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(CUE_WORDS), st.sampled_from(linefeatures._HEADER_WORDS),
                                   st.text(st.sampled_from(TRICKY), max_size=4)), max_size=6).map("".join),
                max_size=6))
@example(["комментарии \udc80", "", "jane wrote:", "관련기사"])
def test_the_core_tells_the_words_a_line_holds_as_the_automaton_does(lines: list[str]) -> None:
    # A page's lines at once, glued to one another's words ("reply3 comments").
    hints = linefeatures._HINTS
    bits = [sum(1 << i for i in hints.held(line)) for line in lines]
    assert hints.held_bits(lines) == bits
    assert KERNEL is not None and KERNEL.Literals([["", "x"], ["y"]]).held(["", "a"]) == [1, 1]


# The HTML reader's walk: markup built from the pieces that change what it gives (blocks, inline
# elements, links, line breaks, preformatted text, tables, lists, what never shows, hidden
# elements, noscript, comments, entities, class and id names of every kind, raw-text elements).
HTML_TAGS = ("div", "p", "span", "b", "a", "li", "ul", "ol", "pre", "table", "tr", "td", "th", "h2", "blockquote",
             "nav", "footer", "section", "script", "style", "noscript", "template", "svg", "button", "xmp",
             "noframes", "iframe", "em", "article", "hr", "br", "img", "wbr")
HTML_ATTRS = ('', ' class="post-footer commentList"', ' id="Main_Body"', ' class="İnfo ΣΟΦΙΑ x"', ' hidden',
              ' style="color:red; DISPLAY: NONE"', ' style="visibility:hidden"', ' href="/a?b=1&amp;c=2"',
              ' class=""', ' id', ' class="a\u00a0b c\x1cd"', " class='x\"y'", ' data-x="<p>"')
HTML_TEXT = st.text(st.sampled_from("ab Σ\u00a0\n\t&<>\"'é日 \u2003"), max_size=8).map(
    lambda t: t.replace("&", "&amp;").replace("<", "&lt;"))


@st.composite
def html_soup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 9))
        if kind < 4 or depth > 4:
            parts.append(draw(HTML_TEXT))
        elif kind == 4:
            parts.append(draw(st.sampled_from(("<!-- c -->", "&nbsp;", "&amp;amp;", "<br>", "</p>", "<p>"))))
        else:
            tag = draw(st.sampled_from(HTML_TAGS))
            attrs = "".join(draw(st.lists(st.sampled_from(HTML_ATTRS), max_size=2)))
            parts.append(f"<{tag}{attrs}>{draw(html_soup(depth + 1))}</{tag}>")
    return "".join(parts)


def assert_same_walk(markup: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """The lines of the compiled walk are the reference's; whether the compiled walk took the page."""
    taken = []

    def recorded(*args: object) -> object:
        lines = compiled_walk(*args)  # type: ignore[arg-type]
        taken.append(lines is not None)
        return lines

    monkeypatch.setattr(html, "compiled_walk", recorded)
    tree = html.parse_html(markup)
    lines = html.html_lines(tree)
    root = tree.body or tree.root
    assert root is not None
    expected = walk(root)  # the same tree, as the reader left it
    assert [(line.text, line.block, line.attrs) for line in lines] == [
        (line.text, line.block, line.attrs) for line in expected]
    return taken == [True]


@compiled
@settings(max_examples=500, deadline=None)
@given(html_soup())
@example('<p>a<script>x</script>b</p><pre> a<b> b</b>\n  c<img>\n</pre><table><tr><td>1<td>2</table>')
@example('<svg><wbr>&lt;<svg><g>x</g></svg></wbr><foreignObject><p>in<br>svg</p></foreignObject></svg>after')
@example('<div class="nav">a <a href="/x">one</a><a href="">two</a> <a href="/y"><p>in</p>out</a></div>')
def test_the_html_walk_matches_the_reference(markup: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert assert_same_walk(f"<html><body>{markup}</body></html>", monkeypatch)


@compiled
@pytest.mark.parametrize("markup", [
    "<body><plaintext>a</p>b",  # text to the end of the markup, end tags and all
    '<body hidden><p>a</p></body>',  # the reader takes the body itself out
])
def test_markup_the_compiled_walk_does_not_take_is_walked_by_the_reference(markup: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert not assert_same_walk(markup, monkeypatch)


@compiled
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<", ">", "/", "div", "br", "BR", "a-b", " x", "\u00e9", "<p>", "</p>", "<img/>"]),
                max_size=60).map("".join))
@example("<div><p><br></p><x/></div><DIV a='>'>")
def test_the_nesting_check_matches_the_reference(text: str) -> None:
    assert KERNEL is not None
    assert KERNEL.nesting_depth(text.encode("utf-8", "surrogatepass")) == html.tag_depth(text)


def test_a_core_whose_byte_walk_gives_no_rows_is_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A core built from older sources (its byte walk without `visit_rows`) is left unused, so
    the language detection never calls what it lacks; the same core with it is loaded."""
    class OldAutomaton:
        def visit_counts(self, text: bytes, /) -> tuple[list[int], list[int]]:
            return [], []

    class NewAutomaton(OldAutomaton):
        def visit_rows(self, text: bytes, table: memoryview, classes: int, /) -> tuple[list[int], bytes]:
            return [], b""

    for automaton, loaded in ((OldAutomaton, False), (NewAutomaton, True)):
        fake = types.ModuleType("cleaner._core")
        fake.html_walk = lambda *args: None  # type: ignore[attr-defined]
        fake.unglue = lambda line: None  # type: ignore[attr-defined]
        fake.Literals = object  # type: ignore[attr-defined]
        fake.ByteAutomaton = automaton  # type: ignore[attr-defined]
        fake.UNICODE_VERSION = unicodedata.unidata_version  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "cleaner._core", fake)
        monkeypatch.setattr(cleaner, "_core", fake, raising=False)
        assert (core.load() is fake) is loaded


@compiled
def test_a_core_built_with_another_regex_says_so_in_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unglue.regex, "__version__", "1999.1.1")
    note = unglue.seams_note()
    assert note is not None and "regex 1999.1.1 is installed" in note and "reinstall" in note
    from click.testing import CliRunner

    from cleaner.cli import app

    out = CliRunner().invoke(app.main, ["--version"]).output
    assert "rust core; glued-line seams in Python" in out
