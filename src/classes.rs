//! Character classes as Python sees them (tables written by build.rs from the interpreter's
//! `unicodedata`): `\w`, `\d`, `\s` of the `re` module, `str.isspace` (which `str.split` uses),
//! and the cased flags behind `str.isupper`.

mod tables {
    include!(concat!(env!("OUT_DIR"), "/tables.rs"));
}

pub use tables::UNICODE_VERSION;

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
