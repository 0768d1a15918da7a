//! Character classes as Python sees them (tables written by build.rs from the interpreter's
//! `unicodedata`): `\w`, `\d`, `\s` of the `re` module, `str.isspace` (which `str.split` uses),
//! and the cased flags behind `str.isupper`.

mod tables {
    include!(concat!(env!("OUT_DIR"), "/tables.rs"));
}

pub use tables::{REGEX_VERSION, UNICODE_VERSION};

const WORD: u8 = 1;
const DECIMAL: u8 = 2;
const SPACE: u8 = 4;
const UPPER: u8 = 8;
const LOWER: u8 = 16;
const TITLE: u8 = 32;

#[inline]
fn flags(c: char) -> u8 {
    let code = c as usize;
    let block = tables::BLOCKS[code >> 8] as usize;
    tables::FLAGS[(block << 8) | (code & 0xff)]
}

/// `\w`: `str.isalnum()` or the underscore.
#[inline]
pub fn is_word(c: char) -> bool {
    flags(c) & WORD != 0
}

/// `\d`: `str.isdecimal()`.
#[inline]
pub fn is_decimal(c: char) -> bool {
    flags(c) & DECIMAL != 0
}

/// `str.isalnum()`: `\w` but the underscore.
#[inline]
pub fn is_alnum(c: char) -> bool {
    c != '_' && is_word(c)
}

/// `\s` and the separators of `str.split()`: `str.isspace()`.
#[inline]
pub fn is_space(c: char) -> bool {
    flags(c) & SPACE != 0
}

/// `str.isupper()` of the character alone.
#[inline]
pub fn is_upper(c: char) -> bool {
    flags(c) & UPPER != 0
}

/// `str.isupper()` of a whole string: at least one cased character, and none lower- or
/// titlecase (CPython's `unicode_isupper_impl`, its one-character shortcut included).
pub fn str_is_upper(chars: &[char]) -> bool {
    if let [c] = chars {
        return is_upper(*c);
    }
    let mut cased = false;
    for &c in chars {
        let f = flags(c);
        if f & (LOWER | TITLE) != 0 {
            return false;
        }
        cased |= f & UPPER != 0;
    }
    cased
}

/// The characters written without spaces between words (`cleaner.lang.words.UNSPACED_CHARS`):
/// hiragana, katakana and the CJK ideographs.
#[inline]
pub fn is_unspaced(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

// The `regex` module's classes (its own Unicode database: `REGEX_VERSION` names the module the
// tables come from), one bit each as src/unicode_tables.py writes them.
const RX_LOWER: u8 = 1;
const RX_UPPER: u8 = 2;
const RX_LETTER: u8 = 4;
const RX_DIGIT: u8 = 8;
const RX_SPACE: u8 = 16;

#[inline]
fn regex_flags(c: char) -> u8 {
    let code = c as usize;
    let block = tables::REGEX_BLOCKS[code >> 8] as usize;
    tables::REGEX_FLAGS[(block << 8) | (code & 0xff)]
}

/// `\p{Ll}` of the `regex` module.
#[inline]
pub fn rx_lower(c: char) -> bool {
    regex_flags(c) & RX_LOWER != 0
}

/// `\p{Lu}` of the `regex` module.
#[inline]
pub fn rx_upper(c: char) -> bool {
    regex_flags(c) & RX_UPPER != 0
}

/// `\p{L}` of the `regex` module.
#[inline]
pub fn rx_letter(c: char) -> bool {
    regex_flags(c) & RX_LETTER != 0
}

/// `\d` of the `regex` module.
#[inline]
pub fn rx_digit(c: char) -> bool {
    regex_flags(c) & RX_DIGIT != 0
}

/// `\s` of the `regex` module.
#[inline]
pub fn rx_space(c: char) -> bool {
    regex_flags(c) & RX_SPACE != 0
}
