//! The per-line kernels, in plain Rust: each mirrors a pure-Python function of the package (its
//! reference), step by step, so that the numbers are the same to the last bit.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use crate::classes::{is_decimal, is_space, is_unspaced, is_upper, is_word, str_is_upper};

/// A multiplicative hash (Firefox's "FxHash") for the stop-word sets: their keys are short words
/// of the package's own lists, not input that could be chosen to collide, and every word of every
/// line is looked up, where SipHash (the standard one) costs several times more.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("chunks of 8")));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ (rest.len() as u64) << 59);
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A page's stop words, as `words_of` looks its words up in them.
pub type WordSet = HashSet<String, BuildHasherDefault<WordHasher>>;

/// A stop-word list and the length of its longest word: a longer word (most of a line's
/// letters are in its longer words) is not looked up.
pub struct StopList {
    words: WordSet,
    longest: usize,
}

impl StopList {
    pub fn new(words: WordSet) -> Self {
        let longest = words.iter().map(String::len).max().unwrap_or(0);
        StopList { words, longest }
    }

    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        word.len() <= self.longest && self.words.contains(word)
    }
}

/// Whether `text` has three spaces in a row (`"   " in text`).
fn three_spaces(text: &[u8]) -> bool {
    let mut run = 0;
    for &b in text {
        run = if b == b' ' { run + 1 } else { 0 };
        if run == 3 {
            return true;
        }
    }
    false
}

/// `cleaner.lang.words.UNSPACED_CHARS_PER_WORD`.
const UNSPACED_CHARS_PER_WORD: usize = 2;

/// `cleaner.lang.words.unspaced_words`: the words that `chars` unspaced characters count for.
fn unspaced_words(chars: usize) -> usize {
    chars.div_ceil(UNSPACED_CHARS_PER_WORD)
}

/// The whitespace-separated tokens of `str.split()`.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_space).filter(|token| !token.is_empty())
}

/// Maximal runs of characters that `keep` accepts (what `re.findall` of `[class]+` returns).
fn runs(text: &str, keep: impl Fn(char) -> bool) -> impl Iterator<Item = &str> {
    text.split(move |c: char| !keep(c))
        .filter(|run| !run.is_empty())
}

/// `SPACED_WORD`: a `\w` character that is not an unspaced one.
fn is_spaced_word(c: char) -> bool {
    is_word(c) && !is_unspaced(c)
}

/// `cleaner.lang.words.word_count`.
pub fn word_count(text: &str) -> usize {
    let count = tokens(text).count();
    if text.is_ascii() {
        return count;
    }
    let chars = text.chars().filter(|&c| is_unspaced(c)).count();
    if chars == 0 {
        return count;
    }
    let (mut mixed, mut spaced) = (0, 0);
    for token in tokens(text).filter(|token| token.chars().any(is_unspaced)) {
        mixed += 1;
        spaced += runs(token, is_spaced_word).count();
    }
    count - mixed + spaced + unspaced_words(chars)
}

/// What `cleaner.find.linefeatures.words_of` finds in a line (but the lower-cased line itself,
/// which the caller has).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub count: usize,
    pub stops: usize,
    pub letters: usize,
    pub gaps: bool,
}

/// `linefeatures.words_of`: the `\w+` words of `lowered` (the line lower-cased by Python),
/// how many are in `stopwords`, their length, and whether `line` has three link gaps.
pub fn words_of(line: &[char], line_text: &str, lowered: &str, stopwords: &StopList) -> Words {
    let bytes = line_text.as_bytes();
    let gaps = (three_spaces(bytes) || bytes.contains(&b'\t')) && link_gaps(line) >= 3;
    let is_stop = |word: &str| stopwords.contains(word);
    if !line_text.is_ascii() && line.iter().any(|&c| is_unspaced(c)) {
        let mut buffer = [0u8; 4];
        let (mut chars, mut char_stops) = (0, 0);
        for c in lowered.chars().filter(|&c| is_unspaced(c)) {
            chars += 1;
            char_stops += usize::from(is_stop(c.encode_utf8(&mut buffer)));
        }
        let (mut spaced, mut stops, mut letters) = (0, 0, 0);
        for word in runs(lowered, is_spaced_word) {
            spaced += 1;
            stops += usize::from(is_stop(word));
            letters += word.chars().count();
        }
        return Words {
            count: spaced + unspaced_words(chars),
            stops: stops + unspaced_words(char_stops),
            letters: letters + chars,
            gaps,
        };
    }
    let (mut count, mut stops, mut letters) = (0, 0, 0);
    for word in runs(lowered, is_word) {
        count += 1;
        stops += usize::from(is_stop(word));
        letters += word.chars().count();
    }
    Words {
        count,
        stops,
        letters,
        gaps,
    }
}

/// How many matches `re.findall(r"\S {3,}(?=\S)|\S\t+(?=\S)", line)` finds.
fn link_gaps(line: &[char]) -> usize {
    let run_of = |from: usize, c: char| {
        line[from.min(line.len())..]
            .iter()
            .take_while(|&&x| x == c)
            .count()
    };
    let solid_at = |i: usize| i < line.len() && !is_space(line[i]);
    let (mut found, mut i) = (0, 0);
    while i < line.len() {
        if solid_at(i) {
            let spaces = run_of(i + 1, ' ');
            if spaces >= 3 && solid_at(i + 1 + spaces) {
                found += 1;
                i += 1 + spaces;
                continue;
            }
            let tabs = run_of(i + 1, '\t');
            if tabs >= 1 && solid_at(i + 1 + tabs) {
                found += 1;
                i += 1 + tabs;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// The columns of `linefeatures.SHAPE` before its cue columns (which stay in Python: they are
/// regexes of the lexicon's word lists).
pub const SHAPE_COLUMNS: usize = 21;

const TERMINAL: &[char] = &[
    '.', '!', '?', '…', ':', ';', '"', '\'', '”', '’', '»', ')', '。', '！', '？', '」', '』',
];
const SENTENCE_END: &[char] = &['.', '!', '?', '…', '。', '！', '？'];
const QUOTE_END: &[char] = &['"', '\'', '”', '’', '»', ')'];
const BULLETS: &[char] = &['-', '•', '*', '·', '–', '—', '>'];
const SEPARATORS: &[char] = &['|', '•', '·', '»', '›', '/', '>'];

fn flag(value: bool) -> f64 {
    if value {
        1.0
    } else {
        0.0
    }
}

/// `linefeatures.line_shape` but its cue columns: the first `SHAPE_COLUMNS` features of a line,
/// from the line's characters, the line lower-cased and its words.
pub fn line_shape(line: &[char], lowered: &str, words: Words) -> [f64; SHAPE_COLUMNS] {
    let Words {
        count,
        stops,
        letters,
        gaps,
    } = words;
    let chars = line.len();
    let per_char = if chars > 0 { 1.0 / chars as f64 } else { 0.0 };
    let (mut ntok, mut capitals) = (0usize, 0usize);
    let mut previous_space = true;
    let (mut digits, mut separators, mut punctuation, mut seams, mut commas) = (0usize, 0, 0, 0, 0);
    let mut previous = '\0';
    for &c in line {
        let space = is_space(c);
        if previous_space && !space {
            ntok += 1;
            capitals += usize::from(is_upper(c));
        }
        previous_space = space;
        digits += usize::from(is_decimal(c));
        separators += usize::from(SEPARATORS.contains(&c));
        punctuation += usize::from(!is_word(c) && !space);
        seams += usize::from(previous.is_ascii_lowercase() && c.is_ascii_uppercase());
        commas += usize::from(c == ',');
        // A seam's upper-case letter cannot start another seam: matches of [a-z][A-Z] never overlap.
        previous = c;
    }
    let ntok = ntok.max(1) as f64;
    let last = line.last().copied();
    let ends_with = |set: &[char]| last.is_some_and(|c| set.contains(&c));
    let share = |part: usize, whole: usize| {
        if whole > 0 {
            part as f64 / whole as f64
        } else {
            0.0
        }
    };
    [
        (count as f64).ln_1p(),
        (chars as f64).ln_1p(),
        share(stops, count),
        flag(ends_with(TERMINAL)),
        flag(ends_with(SENTENCE_END)),
        flag(last == Some(':')),
        flag(ends_with(QUOTE_END)),
        flag(gaps),
        capitals as f64 / ntok,
        digits as f64 * per_char,
        punctuation as f64 * per_char,
        share(letters, count),
        flag(line.first().is_some_and(|&c| is_upper(c))),
        separators as f64 / ntok,
        flag(
            line.contains(&'©') || (lowered.as_bytes().contains(&b'(') && lowered.contains("(c)")),
        ),
        seams as f64 / ntok,
        flag(has_url(lowered)),
        flag(digits > 0 && has_date(line)),
        flag(line.first().is_some_and(|c| BULLETS.contains(c)) || (digits > 0 && numbered(line))),
        flag(count > 0 && str_is_upper(line)),
        commas as f64 / ntok,
    ]
}

/// `re.search(r"https?://|www\.|\.com\b|@\w+\.", lowered)`.
fn has_url(lowered: &str) -> bool {
    // Each string looked for holds a ':', a '.' or an '@': most lines are told by a byte scan.
    let bytes = lowered.as_bytes();
    if bytes.contains(&b':') && (lowered.contains("http://") || lowered.contains("https://")) {
        return true;
    }
    // "www." and ".com" at each '.' ("\.com\b": no word character after it).
    let dotted = bytes.iter().enumerate().any(|(at, &b)| {
        b == b'.'
            && (bytes[..at].ends_with(b"www")
                || (bytes[at..].starts_with(b".com")
                    && !lowered[at + 4..].chars().next().is_some_and(is_word)))
    });
    dotted
        || bytes.contains(&b'@')
            && lowered.match_indices('@').any(|(at, _)| {
                let rest = &lowered[at + 1..];
                let run = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
                run > 0 && rest[run..].starts_with('.')
            })
}

/// Decimal digits from `from` on (none past the end).
fn decimal_run(line: &[char], from: usize) -> usize {
    line.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|&&c| is_decimal(c)).count()
    })
}

/// `\b` of the `re` module at `at`: a word character on one side only.
fn boundary(line: &[char], at: usize) -> bool {
    let before = at > 0 && is_word(line[at - 1]);
    let after = at < line.len() && is_word(line[at]);
    before != after
}

/// `re.search(r"\b(?:19|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b", line)`. A run of
/// `\d{1,2}` before a separator, or of `\d{2,4}` before `\b`, can only be a whole run of digits
/// (a digit is a word character), which spares the regex's backtracking.
fn has_date(line: &[char]) -> bool {
    let is_separator = |at: usize| matches!(line.get(at), Some('.' | '/' | '-'));
    (0..line.len()).any(|i| {
        if !boundary(line, i) {
            return false;
        }
        let year = matches!(line[i..], ['1', '9', ..] | ['2', '0', ..])
            && line.len() >= i + 4
            && is_decimal(line[i + 2])
            && is_decimal(line[i + 3])
            && boundary(line, i + 4);
        if year {
            return true;
        }
        let day = decimal_run(line, i);
        if !(1..=2).contains(&day) || !is_separator(i + day) {
            return false;
        }
        let second = i + day + 1;
        let month = decimal_run(line, second);
        if !(1..=2).contains(&month) || !is_separator(second + month) {
            return false;
        }
        let third = second + month + 1;
        let year = decimal_run(line, third);
        (2..=4).contains(&year) && boundary(line, third + year)
    })
}

/// `re.match(r"\d+[.)] ", line)`.
fn numbered(line: &[char]) -> bool {
    let digits = decimal_run(line, 0);
    digits > 0 && matches!(line.get(digits), Some('.' | ')')) && line.get(digits + 1) == Some(&' ')
}
