//! The HTML reader's walk (`cleaner.read.htmlwalk.walk`) over the page's body as selectolax
//! serializes it.
//!
//! The serialization is the parser's own, so it is regular: every non-void element has its end
//! tag, attribute values are double-quoted, and text escapes `&`, `<`, `>` and U+00A0 (but for the
//! children of raw-text elements, written as they are). Two text nodes side by side would be one
//! run of text in it, so the walk is also given the tree's nodes in document order (their kind
//! and identity, as selectolax's `traverse` gives them) and checks the markup against them:
//! whenever the two disagree, or the markup holds anything this reading does not expect, the walk
//! gives up (`None`) and the caller runs the reference.

use std::borrow::Cow;

use crate::classes::is_space;

/// Elements the reader never shows (`cleaner.read.html.SKIPPED`); `noscript` is decided per page.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "svg", "math", "canvas", "iframe", "object", "embed", "audio",
    "video", "map", "select", "option", "datalist", "textarea", "input", "button", "head", "title",
    "meta", "link", "img", "picture", "source", "track", "dialog",
];
/// Block elements (`cleaner.read.htmlwalk.BLOCKS`).
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "caption",
    "frameset",
    "noframes",
    "search",
];
/// Elements the serializer writes without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "basefont", "bgsound", "frame", "keygen",
];
/// Elements whose text the serializer writes unescaped, up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "xmp", "iframe", "noembed", "noframes"];

/// A block's context (`cleaner.read.htmlwalk._Context` but for what Python derives: tokens, tags,
/// ancestors), with `parent` the index of the context it opened in.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub parent: usize,
    pub tag: &'a str,
    pub names: String,
    /// `class_tokens` of `names` when it is ASCII (None otherwise: the caller computes them).
    pub tokens: Option<Vec<String>>,
    pub node: u64,
    pub heading: u8,
    pub list: &'static str,
    pub list_depth: u32,
    pub table: bool,
    pub cell: Option<(i64, i64, i64)>,
    pub quote: bool,
    pub pre: bool,
    pub depth: usize,
    /// Index into the walk's table counters when this context is a table's.
    table_state: Option<usize>,
}

/// One gathered line (`_Builder.flush`'s input): its context, its text as the pieces joined,
/// its link characters and its links.
#[derive(Debug)]
pub struct Flushed {
    pub context: usize,
    /// The line's text as `_emit` cuts it: white space collapsed and stripped, or in `<pre>` the
    /// text's lines with their ends stripped.
    pub pieces: Vec<String>,
    /// The pieces' characters, at least 1.
    pub text_chars: usize,
    pub link_chars: usize,
    pub hrefs: Vec<(String, String)>,
}

/// What the walk gives: the contexts (the first is the top one, the root's) and the lines.
#[derive(Debug, Default)]
pub struct Walk<'a> {
    pub contexts: Vec<Context<'a>>,
    pub lines: Vec<Flushed>,
}

/// A node of the tree as selectolax's `traverse(include_text=True)` gives it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Element,
    Text,
    Comment,
}

struct Builder<'a> {
    parts: Vec<Cow<'a, str>>,
    link_chars: usize,
    hrefs: Vec<(String, String)>,
    context: Option<usize>,
    lines: Vec<Flushed>,
}

impl<'a> Builder<'a> {
    fn add(&mut self, text: Cow<'a, str>, context: usize, link: bool) {
        if self.context.is_none() {
            if text.chars().all(is_space) {
                return; // (text is never empty here)
            }
            self.context = Some(context);
        }
        if link {
            self.link_chars += text.trim_matches(is_space).chars().count();
        }
        self.parts.push(text);
    }

    fn flush(&mut self, pre: impl Fn(usize) -> bool) {
        let Some(context) = self.context.take() else {
            self.parts.clear();
            return;
        };
        let raw = self.parts.concat();
        self.parts.clear();
        let pieces: Vec<String> = if pre(context) {
            raw.trim_matches('\n')
                .split('\n')
                .map(|piece| piece.trim_end_matches(is_space).to_owned())
                .collect()
        } else {
            vec![collapse(&raw)]
        };
        let text_chars = pieces
            .iter()
            .map(|piece| piece.chars().count())
            .sum::<usize>()
            .max(1);
        self.lines.push(Flushed {
            context,
            pieces,
            text_chars,
            link_chars: std::mem::take(&mut self.link_chars),
            hrefs: std::mem::take(&mut self.hrefs),
        });
    }
}

/// What an open element does when it closes.
enum Close {
    /// Nothing (an inline element, or one inside what is skipped).
    Nothing,
    /// A block: the line ends.
    Flush,
    /// A link: its label and href are kept.
    Anchor,
}

struct Frame<'a> {
    name: &'a str,
    close: Close,
    skip: bool,
    context: usize,
    link: bool,
}

/// A start tag read from the markup.
struct Tag<'a> {
    name: &'a str,
    class: Option<&'a str>,
    id: Option<&'a str>,
    href: Option<&'a str>,
    hidden: bool,
}

struct Reader<'a> {
    markup: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.markup[self.pos..]
    }

    /// Text up to the next `<`, entities decoded; None on an entity the serializer never writes.
    fn text(&mut self) -> Option<Cow<'a, str>> {
        let rest = self.rest();
        let end = rest.find('<').unwrap_or(rest.len());
        let text = decode(&rest[..end])?;
        self.pos += end;
        Some(text)
    }

    /// The start tag at `<` (pos at its `<`).
    fn start_tag(&mut self) -> Option<Tag<'a>> {
        let rest = &self.markup[self.pos + 1..];
        let end = rest.find([' ', '>'])?;
        let mut tag = Tag {
            name: &rest[..end],
            class: None,
            id: None,
            href: None,
            hidden: false,
        };
        let mut at = end;
        loop {
            let here = &rest[at..];
            if here.starts_with('>') {
                self.pos += 1 + at + 1;
                return Some(tag);
            }
            let here = here.strip_prefix(' ')?;
            // A name is at least one character (which may be `=`), then up to `="`.
            let first = here.chars().next()?;
            let name_end = first.len_utf8() + here[first.len_utf8()..].find("=\"")?;
            let name = &here[..name_end];
            let value_start = name_end + 2;
            let value_len = here[value_start..].find('"')?;
            let value = &here[value_start..value_start + value_len];
            match name {
                "class" => tag.class = Some(value),
                "id" => tag.id = Some(value),
                "href" => tag.href = Some(value),
                "hidden" => tag.hidden = true,
                "style" => {
                    // (Entities do not matter: none decodes to a character of these.)
                    let style = value.to_ascii_lowercase();
                    if [
                        "display:none",
                        "display: none",
                        "visibility:hidden",
                        "visibility: hidden",
                    ]
                    .iter()
                    .any(|hide| style.contains(hide))
                    {
                        tag.hidden = true;
                    }
                }
                _ => {}
            }
            at += 1 + value_start + value_len + 1;
        }
    }
}

/// Text with the serializer's entities decoded.
fn decode(text: &str) -> Option<Cow<'_, str>> {
    if !text.contains('&') {
        return Some(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (entity, len) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&nbsp;", '\u{a0}'),
        ]
        .iter()
        .find(|(name, _)| rest.starts_with(name))
        .map(|(name, c)| (*c, name.len()))?;
        out.push(entity);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// Where the markup goes on after the SVG or MathML element `name` whose content starts at `at`:
/// past the end tag that closes it, the same elements opened inside counted.
fn foreign_end(markup: &str, mut at: usize, name: &str) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        at += markup[at..].find('<')?;
        let rest = &markup[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at += 4 + comment.find("-->")? + 3;
        } else if let Some(end) = rest.strip_prefix("</").and_then(|r| r.strip_prefix(name)) {
            at += 2 + name.len();
            if end.starts_with('>') {
                at += 1;
                if depth == 0 {
                    return Some(at);
                }
                depth -= 1;
            }
        } else if let Some(start) = rest.strip_prefix('<').and_then(|r| r.strip_prefix(name)) {
            at += 1 + name.len();
            if start.starts_with([' ', '>']) {
                depth += 1;
            }
        } else {
            at += 1;
        }
    }
}

/// `_SPACES.sub(" ", text).strip()`: runs of white space one space, none at the ends.
fn collapse(text: &str) -> String {
    text.split(is_space)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `cleaner.read.htmlwalk.class_tokens` of an ASCII value (other values: None): each name lower-cased,
/// and its words, split at `-`, `_`, `:`, `.` and where a lower-case letter meets an upper-case one.
fn class_tokens(value: &str) -> Option<Vec<String>> {
    if !value.is_ascii() {
        return None;
    }
    let mut tokens = Vec::new();
    // ASCII white space as `str.split` sees it: also the separators 0x1c-0x1f.
    for name in value
        .split(|c: char| {
            c.is_ascii_whitespace()
                || ('\x0b'..='\x0d').contains(&c)
                || ('\x1c'..='\x1f').contains(&c)
        })
        .filter(|name| !name.is_empty())
    {
        tokens.push(name.to_ascii_lowercase());
        for part in name.split(['-', '_', ':', '.']) {
            let bytes = part.as_bytes();
            let mut start = 0;
            for i in 1..bytes.len() {
                if bytes[i - 1].is_ascii_lowercase() && bytes[i].is_ascii_uppercase() {
                    tokens.push(part[start..i].to_ascii_lowercase());
                    start = i;
                }
            }
            if start < part.len() {
                tokens.push(part[start..].to_ascii_lowercase());
            }
        }
    }
    Some(tokens)
}

fn heading_level(tag: &str) -> u8 {
    match tag {
        "h1" => 1,
        "h2" => 2,
        "h3" => 3,
        "h4" => 4,
        "h5" => 5,
        "h6" => 6,
        _ => 0,
    }
}

/// The walk's state besides the markup.
struct State<'a> {
    nodes: &'a [(u64, Kind)],
    next_node: usize,
    contexts: Vec<Context<'a>>,
    tables: Vec<[i64; 3]>,
    table_count: i64,
    out: Builder<'a>,
    anchors: Vec<(usize, String)>,
    max_depth: usize,
}

impl<'a> State<'a> {
    /// The next node of the tree, which must be of `kind`.
    fn node(&mut self, kind: Kind) -> Option<u64> {
        let &(id, found) = self.nodes.get(self.next_node)?;
        self.next_node += 1;
        (found == kind).then_some(id)
    }

    /// The table counters of the innermost table around `context` (`_row_state`).
    fn row_state(&self, mut context: usize) -> Option<usize> {
        loop {
            let ctx = &self.contexts[context];
            if ctx.table_state.is_some() {
                return ctx.table_state;
            }
            if ctx.parent == usize::MAX {
                return None;
            }
            context = ctx.parent;
        }
    }

    /// A block element's context, opened inside `outer` (`_Context.inner` and `_structure`).
    fn open_block(&mut self, outer: usize, tag: &Tag<'a>, node: u64) -> Option<usize> {
        let o = &self.contexts[outer];
        let names = match (
            tag.class.filter(|v| !v.is_empty()),
            tag.id.filter(|v| !v.is_empty()),
        ) {
            (None, None) => String::new(),
            (Some(one), None) | (None, Some(one)) => decode(one)?.into_owned(),
            (Some(class), Some(id)) => format!("{} {}", decode(class)?, decode(id)?),
        };
        let mut inner = Context {
            parent: outer,
            tag: tag.name,
            tokens: if names.is_empty() {
                None
            } else {
                class_tokens(&names)
            },
            names,
            node,
            heading: o.heading,
            list: o.list,
            list_depth: o.list_depth,
            table: o.table,
            cell: o.cell,
            quote: o.quote,
            pre: o.pre,
            depth: o.depth + 1,
            table_state: None,
        };
        let outer_cell = o.cell;
        let outer_list_depth = o.list_depth;
        match tag.name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => inner.heading = heading_level(tag.name),
            "ul" | "ol" | "menu" | "dir" => {
                inner.list = if tag.name == "ol" { "ol" } else { "ul" };
                inner.list_depth = outer_list_depth + 1;
            }
            "table" => {
                self.table_count += 1;
                inner.table = true;
                self.tables.push([-1, -1, self.table_count]);
                inner.table_state = Some(self.tables.len() - 1);
                inner.cell = Some((self.table_count, -1, -1));
            }
            "tr" if outer_cell.is_some() => {
                if let Some(state) = self.row_state(outer) {
                    self.tables[state][0] += 1;
                    self.tables[state][1] = -1;
                }
            }
            "td" | "th" if outer_cell.is_some() => {
                if let Some(state) = self.row_state(outer) {
                    let counters = &mut self.tables[state];
                    counters[1] += 1;
                    inner.cell = Some((counters[2], counters[0].max(0), counters[1]));
                }
            }
            "blockquote" => inner.quote = true,
            "pre" => inner.pre = true,
            _ => {}
        }
        self.contexts.push(inner);
        Some(self.contexts.len() - 1)
    }

    fn flush(&mut self) {
        let contexts = &self.contexts;
        self.out.flush(|context| contexts[context].pre);
    }

    fn close_anchor(&mut self) {
        let Some((start, href)) = self.anchors.pop() else {
            return;
        };
        let parts = self.out.parts.get(start..).unwrap_or(&[]).concat();
        let label = parts
            .split(is_space)
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !label.is_empty() && !href.is_empty() {
            self.out.hrefs.push((label, href));
        }
    }
}

/// The lines of the element `markup` serializes (the walk's root), given the tree's nodes in
/// document order (the root first), whether `<noscript>` is read, the root's tag for the top
/// context, and `MAX_DEPTH`. None when the markup is not what this reading expects.
pub fn walk<'a>(
    markup: &'a str,
    nodes: &'a [(u64, Kind)],
    keep_noscript: bool,
    root_tag: &'a str,
    max_depth: usize,
) -> Option<Walk<'a>> {
    if markup.contains("<plaintext") {
        return None; // its text runs to the end of the markup, end tags and all
    }
    let mut reader = Reader { markup, pos: 0 };
    if !reader.rest().starts_with('<') {
        return None;
    }
    let root = reader.start_tag()?;
    if root.hidden || VOID.contains(&root.name) {
        return None;
    }
    let mut state = State {
        nodes,
        next_node: 0,
        contexts: Vec::new(),
        tables: Vec::new(),
        table_count: 0,
        out: Builder {
            parts: Vec::new(),
            link_chars: 0,
            hrefs: Vec::new(),
            context: None,
            lines: Vec::new(),
        },
        anchors: Vec::new(),
        max_depth,
    };
    let root_node = state.node(Kind::Element)?;
    state.contexts.push(Context {
        parent: usize::MAX,
        tag: root_tag,
        names: String::new(),
        tokens: None,
        node: root_node,
        heading: 0,
        list: "",
        list_depth: 0,
        table: false,
        cell: None,
        quote: false,
        pre: false,
        depth: 0,
        table_state: None,
    });
    let mut frames = vec![Frame {
        name: root.name,
        close: Close::Nothing,
        skip: false,
        context: 0,
        link: false,
    }];
    let mut skipping = 0usize; // open frames that skip
    let (mut context, mut link) = (0usize, false);
    loop {
        let rest = reader.rest();
        if rest.is_empty() {
            return None; // the root never closed
        }
        if !rest.starts_with('<') {
            let text = reader.text()?;
            if skipping == 0 {
                state.node(Kind::Text)?;
                state.out.add(text, context, link);
            }
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->")?;
            reader.pos += 4 + end + 3;
            if skipping == 0 {
                state.node(Kind::Comment)?;
            }
            continue;
        }
        if let Some(closing) = rest.strip_prefix("</") {
            let end = closing.find('>')?;
            let name = &closing[..end];
            let frame = frames.pop()?;
            if frame.name != name {
                return None;
            }
            reader.pos += 2 + end + 1;
            if frame.skip {
                skipping -= 1;
            } else if skipping == 0 {
                match frame.close {
                    Close::Nothing => {}
                    Close::Flush => state.flush(),
                    Close::Anchor => state.close_anchor(),
                }
            }
            context = frame.context;
            link = frame.link;
            if frames.is_empty() {
                state.flush();
                break;
            }
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            return None;
        }
        let tag = reader.start_tag()?;
        let name = tag.name;
        if name == "svg" || name == "math" {
            // Never shown, and what is inside is not HTML (a `<wbr>` there has an end tag and
            // may have children): passed over whole, to its own end tag.
            reader.pos = foreign_end(markup, reader.pos, name)?;
            continue;
        }
        let void = VOID.contains(&name);
        let raw = RAW_TEXT.contains(&name);
        let skip = skipping > 0
            || SKIPPED.contains(&name)
            || tag.hidden
            || (name == "noscript" && !keep_noscript);
        let mut frame = Frame {
            name: tag.name,
            close: Close::Nothing,
            skip: skip && skipping == 0,
            context,
            link,
        };
        if !skip {
            let node = state.node(Kind::Element)?;
            if name == "br" {
                if state.contexts[context].pre {
                    state.out.add(Cow::Borrowed("\n"), context, link);
                } else {
                    state.flush();
                }
            } else if BLOCKS.contains(&name) {
                state.flush();
                frame.close = Close::Flush;
                if state.contexts[context].depth < state.max_depth {
                    context = state.open_block(context, &tag, node)?;
                    link = false;
                }
            } else if name == "a" {
                state.anchors.push((
                    state.out.parts.len(),
                    decode(tag.href.unwrap_or_default())?.into_owned(),
                ));
                frame.close = Close::Anchor;
                link = true;
            }
        }
        if void {
            // Opened and closed at once (a void block, `hr`, ends its line twice). An element of
            // that name in SVG or MathML is not void: written with its end tag, empty or not
            // (then the end tags disagree and the walk gives up).
            if let Some(after) = reader.rest().strip_prefix("</") {
                if after
                    .strip_prefix(name)
                    .is_some_and(|end| end.starts_with('>'))
                {
                    reader.pos += 2 + name.len() + 1;
                }
            }
            if !skip {
                if let Close::Flush = frame.close {
                    state.flush();
                }
            }
            context = frame.context;
            link = frame.link;
            continue;
        }
        if frame.skip {
            skipping += 1;
        }
        frames.push(frame);
        if raw {
            let rest = reader.rest();
            let end = rest.find(&format!("</{name}>"))?;
            if end > 0 {
                let text = Cow::Borrowed(&rest[..end]);
                reader.pos += end;
                if skipping == 0 {
                    state.node(Kind::Text)?;
                    state.out.add(text, context, link);
                }
            }
        }
    }
    if !reader.rest().is_empty() || state.next_node != nodes.len() {
        return None;
    }
    Some(Walk {
        contexts: state.contexts,
        lines: state.out.lines,
    })
}
