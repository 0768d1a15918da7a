//! `cleaner._core`: the per-line kernels of the content finder, compiled. Each function takes a
//! page's lines at once and returns plain numbers; `cleaner/core.py` decides whether they run,
//! and the pure-Python functions they mirror stay the reference (tests/test_core.py holds the two
//! to the same results).

mod classes;
pub mod kernels;
pub mod langid;
pub mod literals;
pub mod nesting;
pub mod trees;
pub mod unglue;
pub mod walk;

use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFrozenSet, PyString};

/// What `line_shapes` returns: the rows, and per line its words, its stop words, its link gaps;
/// the lines left out.
type Shapes<'py> = (
    Bound<'py, PyBytes>,
    Vec<usize>,
    Vec<usize>,
    Vec<bool>,
    Vec<usize>,
);

/// `cleaner.lang.words.word_count` of one text.
#[pyfunction]
fn word_count(text: &Bound<'_, PyString>) -> PyResult<usize> {
    // A lone surrogate (text decoded with surrogateescape) is neither a space, a word character
    // nor an unspaced one; nor is U+FFFD, which the lossy conversion puts in its place.
    Ok(match text.to_str() {
        Ok(text) => kernels::word_count(text),
        Err(_) => kernels::word_count(&text.to_string_lossy()),
    })
}

/// A stop-word list made ready for `line_shapes` once, rather than on every call.
#[pyclass(frozen, module = "cleaner._core")]
struct StopWords {
    words: kernels::StopList,
}

#[pymethods]
impl StopWords {
    #[new]
    fn new(stopwords: &Bound<'_, PyFrozenSet>) -> PyResult<Self> {
        let words = stopwords
            .iter()
            .map(|word| word.extract::<String>())
            .collect::<PyResult<kernels::WordSet>>()?;
        Ok(StopWords {
            words: kernels::StopList::new(words),
        })
    }
}

/// The first `SHAPE_COLUMNS` columns of `cleaner.find.linefeatures.SHAPE` for every line, as one
/// buffer of native-endian f64 (row after row), the word count of each line (for the cue
/// columns the caller computes), its stop words and whether it has link gaps (`words_of`'s,
/// for the hand-written finder's line score), and the indices of the lines it left out: those
/// with a lone surrogate, whose rows stay zero for the caller to fill with the reference.
#[pyfunction]
fn line_shapes<'py>(
    py: Python<'py>,
    lines: Vec<Bound<'py, PyString>>,
    lowered: Vec<Bound<'py, PyString>>,
    stopwords: &StopWords,
) -> PyResult<Shapes<'py>> {
    if lines.len() != lowered.len() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "lines and lowered differ in length",
        ));
    }
    let stops = &stopwords.words;
    let mut buffer = Vec::with_capacity(lines.len() * kernels::SHAPE_COLUMNS * 8);
    let mut counts = Vec::with_capacity(lines.len());
    let mut stop_counts = Vec::with_capacity(lines.len());
    let mut gaps = Vec::with_capacity(lines.len());
    let mut skipped = Vec::new();
    let mut chars = Vec::new();
    for (i, (line, low)) in lines.iter().zip(&lowered).enumerate() {
        let row = match (line.to_str(), low.to_str()) {
            (Ok(text), Ok(low)) => {
                chars.clear();
                chars.extend(text.chars());
                let words = kernels::words_of(&chars, text, low, stops);
                counts.push(words.count);
                stop_counts.push(words.stops);
                gaps.push(words.gaps);
                kernels::line_shape(&chars, low, words)
            }
            _ => {
                skipped.push(i);
                counts.push(0);
                stop_counts.push(0);
                gaps.push(false);
                [0.0; kernels::SHAPE_COLUMNS]
            }
        };
        buffer.extend(row.iter().flat_map(|value| value.to_ne_bytes()));
    }
    Ok((
        PyBytes::new(py, &buffer),
        counts,
        stop_counts,
        gaps,
        skipped,
    ))
}

/// A tree ensemble in the layout of `cleaner.models.trees.TreeEnsemble` (its per-key arrays as
/// lists), checked once; `leaf_sums` evaluates rows of features with it.
#[pyclass(frozen, module = "cleaner._core")]
struct TreeKernel {
    trees: trees::Trees,
}

#[pymethods]
impl TreeKernel {
    #[new]
    fn new(
        feature: Vec<i64>,
        threshold: Vec<f64>,
        children: Vec<i64>,
        value: Vec<f64>,
        roots: Vec<i64>,
        columns: usize,
    ) -> PyResult<Self> {
        trees::Trees::new(feature, threshold, children, value, roots, columns)
            .map(|trees| TreeKernel { trees })
            .map_err(|bad| pyo3::exceptions::PyValueError::new_err(bad.0))
    }

    /// The leaf values each row reaches, summed as numpy sums them: `rows` is the rows' features
    /// as native-endian f64 (row after row, `columns` each), the result one f64 per row.
    fn leaf_sums<'py>(&self, py: Python<'py>, rows: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let width = 8 * self.trees.columns().max(1);
        if !rows.len().is_multiple_of(width) {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "{} bytes of rows are not whole rows of {} columns",
                rows.len(),
                self.trees.columns()
            )));
        }
        let values: Vec<f64> = rows
            .chunks_exact(8)
            .map(|b| f64::from_ne_bytes(b.try_into().expect("chunks of 8")))
            .collect();
        let sums = py.detach(|| self.trees.leaf_sums(&values));
        let bytes: Vec<u8> = sums.iter().flat_map(|v| v.to_ne_bytes()).collect();
        Ok(PyBytes::new(py, &bytes))
    }
}

/// py3langid's byte automaton: its transition table as the model holds it (a buffer of C
/// unsigned ints, mapped from the cache file or read from py3langid's), not copied, and the
/// small per-state tables copied in, from buffers (a hundred thousand states: a buffer copies in
/// a fraction of a millisecond, a list of Python ints costs a start tens of milliseconds).
#[pyclass(frozen, module = "cleaner._core")]
struct ByteAutomaton {
    nextmove: PyBuffer<u32>,
    rowbase: Vec<usize>,
    output: Vec<i32>,
}

#[pymethods]
impl ByteAutomaton {
    #[new]
    fn new(
        py: Python<'_>,
        nextmove: PyBuffer<u32>,
        row: PyBuffer<u32>,
        output: PyBuffer<i32>,
    ) -> PyResult<Self> {
        if !nextmove.is_c_contiguous() || !nextmove.readonly() {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "the transition table must be a contiguous read-only buffer",
            ));
        }
        Ok(ByteAutomaton {
            nextmove,
            rowbase: row
                .to_vec(py)?
                .into_iter()
                .map(|r| (r as usize) << 8)
                .collect(),
            output: output.to_vec(py)?,
        })
    }

    /// `py3langid.langid.visit_counts` of `text` (UTF-8 bytes): the features in the order they
    /// first appear, and their counts.
    fn visit_counts(&self, py: Python<'_>, text: &[u8]) -> (Vec<usize>, Vec<u32>) {
        let table = self
            .nextmove
            .as_slice_ptr()
            .expect("checked contiguous in new");
        // SAFETY: the buffer is held (so its memory lives) as long as `self`, it is read-only
        // (checked in `new`: no Python code can write it while the walk reads it), and
        // `as_slice_ptr` checked that its format, item size and alignment are u32's.
        let nextmove: &[u32] = unsafe { table.as_ref() };
        py.detach(|| langid::visit_counts(nextmove, &self.rowbase, &self.output, text))
    }

    /// `visit_counts` of `text`, with the features' rows of `table` (the model's per-feature
    /// class scores: IEEE half floats, `classes` a row, C-contiguous) as native-endian f32 bytes,
    /// in the features' order, instead of the features: the rows py3langid's scoring gathers
    /// and casts, gathered and cast here at once.
    fn visit_rows<'py>(
        &self,
        py: Python<'py>,
        text: &[u8],
        table: PyBuffer<u16>,
        classes: usize,
    ) -> PyResult<(Vec<u32>, Bound<'py, PyBytes>)> {
        let (features, counts) = self.visit_counts(py, text);
        let halves = table.as_slice_ptr().ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err("the score table must be C-contiguous u16s")
        })?;
        // SAFETY: `table` holds the buffer (so its memory lives) for the whole call, and
        // `as_slice_ptr` checked its format, item size and alignment; the GIL is held from here
        // to the end of the call (no `detach`), so no Python code can write the buffer meanwhile.
        let halves: &[u16] = unsafe { halves.as_ref() };
        let rows = langid::feature_rows(halves, classes, &features).ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err("a feature has no row in the score table")
        })?;
        Ok((counts, PyBytes::new(py, &rows)))
    }
}

/// A block context of `html_walk`: its parent's index (-1 for the top one), node, tag, class and
/// id names, their tokens joined by spaces (None: not computed), and its heading, list, list
/// depth, table, cell, quote, pre, depth.
type ContextRow = (
    i64,
    u64,
    String,
    String,
    Option<String>,
    (
        u8,
        &'static str,
        u32,
        bool,
        Option<(i64, i64, i64)>,
        bool,
        bool,
        usize,
    ),
);
/// A line of `html_walk`: its context's index, its pieces, their characters, its link
/// characters, its links.
type LineRow = (usize, Vec<String>, usize, usize, Vec<(String, String)>);

/// `cleaner.read.htmlwalk.walk` over `markup`, the root element as selectolax serializes it, with
/// `nodes` the (mem_id, tag_id) of the tree's nodes in `traverse(include_text=True)` order
/// (`text_id` and `comment_id` the tag ids of text and comment nodes). None when the markup is
/// not what the walk expects: the caller then walks the tree itself.
///
/// Only the contexts a line sits in, and their outer ones, are rows: the others (blocks with no
/// text of their own) are None, as making Python objects is much of the walk's cost.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn html_walk(
    py: Python<'_>,
    markup: &str,
    nodes: Vec<(u64, u64)>,
    text_id: u64,
    comment_id: u64,
    keep_noscript: bool,
    root_tag: &str,
    max_depth: usize,
) -> Option<(Vec<Option<ContextRow>>, Vec<LineRow>)> {
    let kinds: Vec<(u64, walk::Kind)> = nodes
        .into_iter()
        .map(|(id, tag)| {
            let kind = if tag == text_id {
                walk::Kind::Text
            } else if tag == comment_id {
                walk::Kind::Comment
            } else {
                walk::Kind::Element
            };
            (id, kind)
        })
        .collect();
    let walked = py.detach(|| walk::walk(markup, &kinds, keep_noscript, root_tag, max_depth))?;
    let mut needed = vec![false; walked.contexts.len()];
    for line in &walked.lines {
        let mut at = line.context;
        while at != usize::MAX && !needed[at] {
            needed[at] = true;
            at = walked.contexts[at].parent;
        }
    }
    let contexts = walked
        .contexts
        .into_iter()
        .zip(needed)
        .map(|(c, needed)| {
            if !needed {
                return None;
            }
            let parent = if c.parent == usize::MAX {
                -1
            } else {
                c.parent as i64
            };
            Some((
                parent,
                c.node,
                c.tag.to_owned(),
                c.names,
                c.tokens.map(|tokens| tokens.join(" ")),
                (
                    c.heading,
                    c.list,
                    c.list_depth,
                    c.table,
                    c.cell,
                    c.quote,
                    c.pre,
                    c.depth,
                ),
            ))
        })
        .collect();
    let lines = walked
        .lines
        .into_iter()
        .map(|l| (l.context, l.pieces, l.text_chars, l.link_chars, l.hrefs))
        .collect();
    Some((contexts, lines))
}

/// `cleaner.read.html.nesting_depth` of a page's text as UTF-8 bytes.
#[pyfunction]
fn nesting_depth(py: Python<'_>, text: &[u8]) -> usize {
    py.detach(|| nesting::nesting_depth(text))
}

/// Lists of words, for the lists of which each of many texts holds a word as a substring.
#[pyclass(frozen, module = "cleaner._core")]
struct Literals {
    literals: literals::Literals,
}

#[pymethods]
impl Literals {
    #[new]
    fn new(lists: Vec<Vec<String>>) -> PyResult<Self> {
        literals::Literals::new(&lists)
            .map(|literals| Literals { literals })
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("more than 32 lists"))
    }

    /// Per text, bit i set when it holds a word of list i; every bit for a text with a lone
    /// surrogate (as the reference, whose automaton reads UTF-8, answers).
    fn held(&self, texts: Vec<Bound<'_, PyString>>) -> Vec<u32> {
        texts
            .iter()
            .map(|text| match text.to_str() {
                Ok(text) => self.literals.held(text),
                Err(_) => self.literals.every(),
            })
            .collect()
    }
}

/// A text's characters, or None when it holds a lone surrogate (left to the reference).
fn chars_of(text: &Bound<'_, PyString>) -> Option<Vec<char>> {
    text.to_str().ok().map(|text| text.chars().collect())
}

fn pieces_of(chars: &[char], spans: Vec<(usize, usize)>) -> Vec<String> {
    spans
        .into_iter()
        .map(|(start, end)| chars[start..end].iter().collect())
        .collect()
}

/// `cleaner.read.unglue.unglue` of a line: its pieces, or an empty list when it stays whole;
/// None when the reference must cut it (a lone surrogate).
#[pyfunction]
#[pyo3(name = "unglue")]
fn unglue_line(line: &Bound<'_, PyString>) -> Option<Vec<String>> {
    let chars = chars_of(line)?;
    Some(unglue::unglue(&chars).map_or_else(Vec::new, |spans| pieces_of(&chars, spans)))
}

/// `cleaner.read.unglue._split_at_seams` of a text; None when the reference must split it.
#[pyfunction]
fn split_at_seams(text: &Bound<'_, PyString>) -> Option<Vec<String>> {
    let chars = chars_of(text)?;
    let spans = unglue::split_at_seams(&chars);
    Some(pieces_of(&chars, spans))
}

/// `cleaner.read.unglue.loose_seams` of a text; None when the reference must find them.
#[pyfunction]
fn loose_seams(text: &Bound<'_, PyString>) -> Option<Vec<usize>> {
    Some(unglue::loose_seams(&chars_of(text)?))
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("UNICODE_VERSION", classes::UNICODE_VERSION)?;
    m.add("REGEX_VERSION", classes::REGEX_VERSION)?;
    m.add("SHAPE_COLUMNS", kernels::SHAPE_COLUMNS)?;
    m.add_function(wrap_pyfunction!(word_count, m)?)?;
    m.add_function(wrap_pyfunction!(line_shapes, m)?)?;
    m.add_function(wrap_pyfunction!(html_walk, m)?)?;
    m.add_function(wrap_pyfunction!(nesting_depth, m)?)?;
    m.add_function(wrap_pyfunction!(unglue_line, m)?)?;
    m.add_function(wrap_pyfunction!(split_at_seams, m)?)?;
    m.add_function(wrap_pyfunction!(loose_seams, m)?)?;
    m.add_class::<StopWords>()?;
    m.add_class::<TreeKernel>()?;
    m.add_class::<ByteAutomaton>()?;
    m.add_class::<Literals>()?;
    Ok(())
}
