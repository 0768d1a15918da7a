//! `cleaner.read.unglue`: the seams where a scraper glued a page's blocks into one line, and the
//! line cut there. Each pattern of the Python module is written out as the test it makes at a
//! place of the line, over its characters (offsets are Python's, in characters). The patterns'
//! classes are the `regex` module's (`classes::rx_*`), the stripping and the test for a letter or
//! digit in a piece `str.strip` and `str.isalnum`, as in the module.

use crate::classes::{is_alnum, is_space, rx_digit, rx_letter, rx_lower, rx_space, rx_upper};

// The figures of cleaner/read/unglue.py.
const MIN_LENGTH: usize = 300;
const MIN_SEAMS: usize = 4;
const CHARS_PER_SEAM: usize = 200;
const FLAT_LENGTH: usize = 1500;

/// `_NAMES`: names with a capital inside, which no cut splits.
const NAMES: [&str; 29] = [
    "LinkedIn",
    "YouTube",
    "TikTok",
    "WhatsApp",
    "PayPal",
    "GitHub",
    "GitLab",
    "WordPress",
    "JavaScript",
    "TypeScript",
    "PowerPoint",
    "SharePoint",
    "OneDrive",
    "PlayStation",
    "SoundCloud",
    "StumbleUpon",
    "HubSpot",
    "MailChimp",
    "DoorDash",
    "FaceTime",
    "AirPods",
    "MacBook",
    "iPhone",
    "iPad",
    "ChatGPT",
    "OpenAI",
    "DeepMind",
    "BlackBerry",
    "DuckDuckGo",
];

/// The character at `i` passes `test` (false past the end).
#[inline]
fn at(chars: &[char], i: usize, test: fn(char) -> bool) -> bool {
    chars.get(i).is_some_and(|&c| test(c))
}

/// The two characters before `p` are lower-case letters (`(?<=\p{Ll}\p{Ll})`).
#[inline]
fn two_lower_before(chars: &[char], p: usize) -> bool {
    p >= 2 && rx_lower(chars[p - 2]) && rx_lower(chars[p - 1])
}

#[inline]
fn sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?')
}

/// `_SEAM` at `p` (0 < p < len).
fn seam(chars: &[char], p: usize) -> bool {
    let closing = |c: char| matches!(c, '.' | '!' | '?' | ':' | ';' | ')' | ']' | '”' | '»' | '|');
    let behind = two_lower_before(chars, p)
        || closing(chars[p - 1])
        || (p >= 2 && sentence_end(chars[p - 2]) && matches!(chars[p - 1], '"' | '’'));
    behind
        && ((rx_upper(chars[p]) && at(chars, p + 1, rx_lower))
            || (matches!(chars[p], '"' | '“' | '«' | '„') && at(chars, p + 1, rx_upper)))
}

/// `LOOSE_SEAMS` at `p` (0 < p < len): any of the module's patterns.
fn loose_seam(chars: &[char], p: usize) -> bool {
    let (before, here) = (chars[p - 1], chars[p]);
    let lower2 = two_lower_before(chars, p);
    let upper2 = p >= 2 && rx_upper(chars[p - 2]) && rx_upper(before);
    seam(chars, p)
        || (lower2 && rx_digit(here))
        || (rx_digit(before) && rx_upper(here) && at(chars, p + 1, rx_lower))
        || (upper2 && rx_upper(here) && at(chars, p + 1, rx_lower) && at(chars, p + 2, rx_lower))
        || (lower2 && rx_upper(here) && at(chars, p + 1, rx_upper))
        || ((lower2 || sentence_end(before)) && rx_upper(here) && at(chars, p + 1, rx_space))
        || (rx_digit(before)
            && rx_upper(here)
            && at(chars, p + 1, rx_upper)
            && at(chars, p + 2, rx_upper))
        || (p >= 2 && rx_lower(chars[p - 2]) && sentence_end(before) && rx_digit(here))
}

/// The runs of `\s` of the line, as (start, end).
fn space_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if rx_space(chars[i]) {
            let start = i;
            while i < chars.len() && rx_space(chars[i]) {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// The starts of `_GAP`'s matches, `(?:\s{3,}|\t)(?=[^\d\s+-])`: a run of three blanks or more,
/// else its last tab, before a character that is no digit, blank, plus or minus.
fn gaps<'a>(runs: &'a [(usize, usize)], chars: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    runs.iter().filter_map(move |&(start, end)| {
        let after = *chars.get(end)?;
        if rx_digit(after) || matches!(after, '+' | '-') {
            None
        } else if end - start >= 3 {
            Some(start)
        } else if chars[end - 1] == '\t' {
            Some(end - 1)
        } else {
            None
        }
    })
}

/// The starts of `_FLAT_GAP`'s matches, `(?<=\S)\s{2,}(?=\S)`: runs of two blanks or more
/// inside the line.
fn flat_gaps(runs: &[(usize, usize)], chars: &[char]) -> Vec<usize> {
    runs.iter()
        .filter(|&&(start, end)| start > 0 && end < chars.len() && end - start >= 2)
        .map(|&(start, _)| start)
        .collect()
}

/// `str.strip()` of `chars[start..end]`, as (start, end).
fn strip(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && is_space(chars[start]) {
        start += 1;
    }
    while end > start && is_space(chars[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// The offsets inside `_NAMES`' matches (after a name's first character, up to its last).
fn inside_names(chars: &[char]) -> Vec<bool> {
    let mut inside = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // (every name starts with an ASCII capital or "i")
        let first = chars[i];
        if !(first.is_ascii_uppercase() || first == 'i') {
            i += 1;
            continue;
        }
        let rest = &chars[i..];
        let name = NAMES
            .iter()
            .find(|name| name.len() <= rest.len() && name.chars().zip(rest).all(|(a, &b)| a == b));
        match name {
            Some(name) => {
                if inside.is_empty() {
                    inside = vec![false; chars.len() + 1];
                }
                let end = i + name.len();
                inside[i + 1..end].iter_mut().for_each(|flag| *flag = true);
                i = end;
            }
            None => i += 1,
        }
    }
    inside
}

/// `_cut`: the line's pieces between `seams` (ascending), stripped, as (start, end); a piece
/// without a letter or digit stays with the next.
fn cut(chars: &[char], seams: &[usize]) -> Vec<(usize, usize)> {
    let inside = if seams.is_empty() {
        Vec::new()
    } else {
        inside_names(chars)
    };
    let mut pieces = Vec::new();
    let mut last = 0;
    for &at in seams {
        if inside.get(at).copied().unwrap_or(false) {
            continue;
        }
        let (start, end) = strip(chars, last, at.max(last));
        if chars[start..end].iter().any(|&c| is_alnum(c)) {
            pieces.push((start, end));
            last = at;
        }
    }
    let (start, end) = strip(chars, last, chars.len());
    if start < end {
        pieces.push((start, end));
    }
    pieces
}

/// `unglue`'s pieces of `chars`, offset by `base`, added to `out`.
fn unglue_into(chars: &[char], base: usize, out: &mut Vec<(usize, usize)>) {
    let n = chars.len();
    if n < MIN_LENGTH {
        out.push((base, base + n));
        return;
    }
    let runs = space_runs(chars);
    let mut seams: Vec<usize> = (1..n).filter(|&p| seam(chars, p)).collect();
    seams.extend(gaps(&runs, chars));
    seams.sort_unstable();
    seams.dedup();
    if seams.len() < MIN_SEAMS || seams.len() * CHARS_PER_SEAM < n {
        if n >= FLAT_LENGTH {
            let flat = flat_gaps(&runs, chars);
            if flat.len() >= MIN_SEAMS {
                for (start, end) in cut(chars, &flat) {
                    if end - start == n {
                        // The whole line again (no letter or digit before its last gap): kept
                        // whole, as the reference does, or the recursion never ends.
                        out.push((base + start, base + end));
                    } else {
                        unglue_into(&chars[start..end], base + start, out);
                    }
                }
                return;
            }
        }
        out.push((base, base + n));
        return;
    }
    out.extend(
        cut(chars, &seams)
            .into_iter()
            .map(|(s, e)| (base + s, base + e)),
    );
}

/// `unglue` of a line: its pieces as (start, end), or None when it is left whole.
pub fn unglue(chars: &[char]) -> Option<Vec<(usize, usize)>> {
    if chars.len() < MIN_LENGTH {
        return None;
    }
    let mut out = Vec::new();
    unglue_into(chars, 0, &mut out);
    (out != [(0, chars.len())]).then_some(out)
}

/// `_ANY_SEAM`: a place where a loose seam may be.
fn any_seam(chars: &[char]) -> bool {
    let left = |c: char| {
        rx_lower(c)
            || rx_upper(c)
            || rx_digit(c)
            || matches!(
                c,
                '.' | '!' | '?' | ':' | ';' | ')' | ']' | '”' | '»' | '|' | '"' | '’'
            )
    };
    let right = |c: char| rx_upper(c) || rx_digit(c) || matches!(c, '"' | '“' | '«' | '„');
    let bullet = |c: char| matches!(c, '•' | '·' | '›' | '»' | '|');
    chars.windows(2).enumerate().any(|(i, pair)| {
        let (a, b) = (pair[0], pair[1]);
        (left(a) && right(b))
            || (matches!(a, ')' | ']') && rx_letter(b))
            || (!rx_space(a) && bullet(b) && at(chars, i + 2, |c| !rx_space(c)))
    })
}

/// `loose_seams` of a text.
pub fn loose_seams(chars: &[char]) -> Vec<usize> {
    if !any_seam(chars) {
        return Vec::new();
    }
    (1..chars.len()).filter(|&p| loose_seam(chars, p)).collect()
}

/// `_split_at_seams` of a text: its pieces as (start, end).
pub fn split_at_seams(chars: &[char]) -> Vec<(usize, usize)> {
    if !any_seam(chars) {
        let (start, end) = strip(chars, 0, chars.len());
        return if start < end {
            vec![(0, chars.len())]
        } else {
            Vec::new()
        };
    }
    // `_AFTER_BRACKET`: after a closing bracket or a bullet before a letter or digit.
    let mut seams: Vec<usize> = (1..chars.len())
        .filter(|&p| {
            loose_seam(chars, p)
                || (matches!(chars[p - 1], ')' | ']' | '•' | '·' | '›' | '»' | '|')
                    && (rx_letter(chars[p]) || rx_digit(chars[p])))
        })
        .collect();
    seams.dedup();
    cut(chars, &seams)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, spans: &[(usize, usize)]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        spans
            .iter()
            .map(|&(s, e)| chars[s..e].iter().collect())
            .collect()
    }

    #[test]
    fn a_glued_title_and_byline_come_apart() {
        let text = "My HeadlineMay 3, 2017By Jane";
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(
            pieces(text, &split_at_seams(&chars)),
            ["My Headline", "May 3, 2017", "By Jane"]
        );
    }

    #[test]
    fn names_with_a_capital_inside_stay_whole() {
        let text = "watch on YouTube now";
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(pieces(text, &split_at_seams(&chars)), [text]);
    }

    #[test]
    fn a_short_line_is_left_whole() {
        let chars: Vec<char> = "HomeAboutContact".chars().collect();
        assert_eq!(unglue(&chars), None);
    }
}
