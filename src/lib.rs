//! `cleaner._core`: the per-line kernels of the content finder, compiled. Each function takes a
//! page's lines at once and returns plain numbers; `cleaner/core.py` decides whether they run,
//! and the pure-Python functions they mirror stay the reference (tests/test_core.py holds the two
//! to the same results).

mod classes;
pub mod kernels;

use std::collections::HashSet;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFrozenSet, PyString};

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

/// The first `SHAPE_COLUMNS` columns of `cleaner.find.linefeatures.SHAPE` for every line, as one
/// buffer of native-endian f64 (row after row), the word count of each line (for the cue
/// columns the caller computes), and the indices of the lines it left out: those with a lone
/// surrogate, whose rows stay zero for the caller to fill with the reference.
#[pyfunction]
fn line_shapes<'py>(
    py: Python<'py>,
    lines: Vec<Bound<'py, PyString>>,
    lowered: Vec<Bound<'py, PyString>>,
    stopwords: &Bound<'py, PyFrozenSet>,
) -> PyResult<(Bound<'py, PyBytes>, Vec<usize>, Vec<usize>)> {
    if lines.len() != lowered.len() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "lines and lowered differ in length",
        ));
    }
    let stops = stopwords
        .iter()
        .map(|word| word.extract::<String>())
        .collect::<PyResult<HashSet<String>>>()?;
    let mut buffer = Vec::with_capacity(lines.len() * kernels::SHAPE_COLUMNS * 8);
    let mut counts = Vec::with_capacity(lines.len());
    let mut skipped = Vec::new();
    let mut chars = Vec::new();
    for (i, (line, low)) in lines.iter().zip(&lowered).enumerate() {
        let row = match (line.to_str(), low.to_str()) {
            (Ok(text), Ok(low)) => {
                chars.clear();
                chars.extend(text.chars());
                let words = kernels::words_of(&chars, text, low, &stops);
                counts.push(words.count);
                kernels::line_shape(&chars, low, words)
            }
            _ => {
                skipped.push(i);
                counts.push(0);
                [0.0; kernels::SHAPE_COLUMNS]
            }
        };
        buffer.extend(row.iter().flat_map(|value| value.to_ne_bytes()));
    }
    Ok((PyBytes::new(py, &buffer), counts, skipped))
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("UNICODE_VERSION", classes::UNICODE_VERSION)?;
    m.add("SHAPE_COLUMNS", kernels::SHAPE_COLUMNS)?;
    m.add_function(wrap_pyfunction!(word_count, m)?)?;
    m.add_function(wrap_pyfunction!(line_shapes, m)?)?;
    Ok(())
}
