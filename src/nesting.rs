//! The check of the HTML reader before a page is parsed (`cleaner.read.html.nesting_depth`).

/// `nesting_depth` of `cleaner.read.html`: how deep the tags as written nest at most, read as
/// the pattern `<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>` finds them (void elements and
/// self-closed tags open nothing).
pub fn nesting_depth(text: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while i < text.len() {
        if text[i] != b'<' {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let closing = text.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        if !text.get(j).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let name_start = j;
        while text
            .get(j)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'-')
        {
            j += 1;
        }
        let name_end = j;
        while j < text.len() && text[j] != b'<' && text[j] != b'>' {
            j += 1;
        }
        if j >= text.len() || text[j] == b'<' {
            i += 1; // no match here: the search goes on from the next character
            continue;
        }
        let selfclosed = j > name_end && text[j - 1] == b'/';
        if closing {
            depth = depth.saturating_sub(1);
        } else if !selfclosed && !is_void_name(&text[name_start..name_end]) {
            depth += 1;
            deepest = deepest.max(depth);
        }
        i = j + 1;
    }
    deepest
}

/// Whether a tag name is one of `_VOID` of `cleaner.read.html`, case aside.
fn is_void_name(name: &[u8]) -> bool {
    const NAMES: &[&[u8]] = &[
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"param", b"source", b"track", b"wbr",
    ];
    NAMES.iter().any(|void| void.eq_ignore_ascii_case(name))
}
