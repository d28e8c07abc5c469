//! The parser proper: one linear pass over the bytes that writes a flat "tape" of nodes instead of
//! a tree, so a document costs a handful of allocations whatever its size.
//!
//! - Every value is one [`Node`] in document order; an array or object node records how many
//!   children it has and the index just past its last descendant, so siblings are skipped in O(1).
//!   An object's children alternate key (a string node) and value.
//! - String bodies are scanned eight bytes at a time up to the next `"`, `\` or control character
//!   (plain safe code, so the wasm32 build without SIMD gets it too). A string without escapes is
//!   borrowed from the text; only strings with escapes are unescaped, into one shared buffer.
//! - Runs of indentation spaces are skipped eight at a time.
//!
//! [`Value`] is a copyable handle into a [`Document`]; `Value::to_json` builds the owned
//! [`Json`] tree that [`crate::parse`] returns.

use crate::json::{JSON_SYNTAX_ERROR, Json, JsonKind, Limits, Member};
use crate::{Diagnostic, TextRange};

/// A parsed JSON document that borrows its text: a flat array of nodes in document order.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    text: &'a str,
    nodes: Vec<Node>,
    /// Unescaped contents of the strings that had escape sequences, back to back.
    unescaped: String,
    /// Bytes of white space between tokens (outside strings).
    white_space: usize,
    /// The text has a `$` or a `\u` (see [`Document::has_dollar_or_unicode_escape`]).
    dollar_or_u: bool,
    /// The text is ASCII (see [`Document::is_ascii`]).
    ascii: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Null,
    True,
    False,
    Number,
    /// A string without escapes: its value is the source between the quotes.
    Str,
    /// A string with escapes: its value is `unescaped[a..b]`.
    StrEscaped,
    /// `a` = number of items, `b` = index of the node after the last descendant.
    Array,
    /// `a` = number of members, `b` = index of the node after the last descendant.
    Object,
}

#[derive(Clone, Copy, Debug)]
struct Node {
    tag: Tag,
    range: TextRange,
    a: u32,
    b: u32,
}

impl<'a> Document<'a> {
    /// Parses `text` with the same grammar, limits and diagnostics as [`crate::parse`].
    pub fn parse(text: &'a str, limits: &Limits) -> Result<Document<'a>, Box<Diagnostic>> {
        if text.len() > limits.max_bytes {
            return Err(Box::new(Diagnostic::error(
                JSON_SYNTAX_ERROR,
                format!(
                    "the document is {} bytes, more than the limit of {} bytes",
                    text.len(),
                    limits.max_bytes
                ),
                TextRange::new(0, 0),
                "",
            )));
        }
        let mut p = Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            limits,
            // Pretty-printed policies average one node per 25 to 40 bytes.
            nodes: Vec::with_capacity(text.len() / 24 + 4),
            unescaped: String::new(),
            white_space: 0,
            dollar: 0,
            u_escape: false,
            high: 0,
        };
        if text.starts_with('\u{feff}') {
            p.pos = 3;
        }
        p.skip_ws();
        p.value(1)?;
        p.skip_ws();
        if p.pos < p.bytes.len() {
            return Err(p.err_here("unexpected content after the end of the JSON document"));
        }
        Ok(Document {
            text,
            nodes: p.nodes,
            unescaped: p.unescaped,
            white_space: p.white_space,
            dollar_or_u: p.dollar != 0 || p.u_escape,
            ascii: p.high & HIGHS == 0 && !text.starts_with('\u{feff}'),
        })
    }

    /// `text.is_ascii()`, known from the parse without another pass over the text: outside
    /// strings a JSON document holds only ASCII (white space, punctuation, numbers, `true`,
    /// `false`, `null`) except a leading byte order mark, and the string scan reads every byte
    /// inside them (escapes are ASCII).
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// True when the text holds a `$` or a backslash followed by `u` (`text.contains('$') ||
    /// text.contains("\\u")`), known from the parse without another pass over the text: in a
    /// JSON document both can only be inside strings, every byte of which the string scan reads
    /// (a `$` in a plain run, a `\u` as a `\u` escape or as a `\\` escape followed by `u`). A
    /// policy's text without either spells no policy variable.
    pub fn has_dollar_or_unicode_escape(&self) -> bool {
        self.dollar_or_u
    }

    /// The bytes of white space between the document's tokens (outside strings; a leading byte
    /// order mark is not white space): with the text's length, the size of the document without
    /// white space, as IAM counts a policy's size.
    pub fn white_space(&self) -> usize {
        self.white_space
    }

    /// The text the document was parsed from.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The root value.
    pub fn root(&self) -> Value<'_> {
        Value {
            doc: DocRef {
                text: self.text,
                nodes: &self.nodes,
                unescaped: &self.unescaped,
            },
            index: 0,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct DocRef<'d> {
    text: &'d str,
    nodes: &'d [Node],
    unescaped: &'d str,
}

impl<'d> DocRef<'d> {
    #[inline(always)]
    fn node(&self, index: usize) -> Node {
        // Indexes come from the tape itself and are always in bounds; a null node keeps this
        // total without a panic path.
        self.nodes.get(index).copied().unwrap_or(Node {
            tag: Tag::Null,
            range: TextRange::empty(0),
            a: 0,
            b: 0,
        })
    }

    /// Index of the node after `index` and all its descendants.
    #[inline(always)]
    fn skip(&self, index: usize) -> usize {
        let n = self.node(index);
        match n.tag {
            Tag::Array | Tag::Object => n.b as usize,
            _ => index + 1,
        }
    }

    #[inline(always)]
    fn str_of(&self, n: Node) -> &'d str {
        match n.tag {
            Tag::Str => self
                .text
                .get(n.range.start as usize + 1..(n.range.end as usize).saturating_sub(1))
                .unwrap_or(""),
            Tag::StrEscaped => self.unescaped.get(n.a as usize..n.b as usize).unwrap_or(""),
            _ => "",
        }
    }
}

/// A value of a [`Document`]: a cheap copyable handle.
#[derive(Clone, Copy, Debug)]
pub struct Value<'d> {
    doc: DocRef<'d>,
    index: usize,
}

/// What a [`Value`] is, with its contents.
#[derive(Clone, Copy, Debug)]
pub enum ValueKind<'d> {
    Null,
    Bool(bool),
    /// The number exactly as written.
    Number(&'d str),
    /// The unescaped string value.
    String(&'d str),
    Array(Items<'d>),
    /// Members in source order, duplicates included.
    Object(Members<'d>),
}

impl<'d> Value<'d> {
    /// Byte range of the value in the source (for strings, including the quotes).
    #[inline]
    pub fn range(&self) -> TextRange {
        self.doc.node(self.index).range
    }

    #[inline]
    pub fn kind(&self) -> ValueKind<'d> {
        let n = self.doc.node(self.index);
        match n.tag {
            Tag::Null => ValueKind::Null,
            Tag::True => ValueKind::Bool(true),
            Tag::False => ValueKind::Bool(false),
            Tag::Number => ValueKind::Number(n.range.slice(self.doc.text)),
            Tag::Str | Tag::StrEscaped => ValueKind::String(self.doc.str_of(n)),
            Tag::Array => ValueKind::Array(Items {
                doc: self.doc,
                next: self.index + 1,
                left: n.a as usize,
            }),
            Tag::Object => ValueKind::Object(Members {
                doc: self.doc,
                next: self.index + 1,
                left: n.a as usize,
            }),
        }
    }

    /// The value and the source range (quotes included) of a string; `None` for any other
    /// kind. One look-up of the node, where [`Value::as_str`] and [`Value::range`] take two (the
    /// lowering of a 1,500-item `Action` array calls it for each item).
    #[inline(always)]
    pub fn str_and_range(&self) -> Option<(&'d str, TextRange)> {
        let n = self.doc.node(self.index);
        match n.tag {
            Tag::Str | Tag::StrEscaped => Some((self.doc.str_of(n), n.range)),
            _ => None,
        }
    }

    #[inline]
    pub fn as_str(&self) -> Option<&'d str> {
        match self.kind() {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    #[inline]
    pub fn as_array(&self) -> Option<Items<'d>> {
        match self.kind() {
            ValueKind::Array(items) => Some(items),
            _ => None,
        }
    }

    #[inline]
    pub fn as_object(&self) -> Option<Members<'d>> {
        match self.kind() {
            ValueKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// A short name of the value's JSON type, for messages: `string`, `array`, ...
    pub fn type_name(&self) -> &'static str {
        match self.doc.node(self.index).tag {
            Tag::Null => "null",
            Tag::True | Tag::False => "boolean",
            Tag::Number => "number",
            Tag::Str | Tag::StrEscaped => "string",
            Tag::Array => "array",
            Tag::Object => "object",
        }
    }

    /// The owned tree of this value.
    pub fn to_json(&self) -> Json {
        let kind = match self.kind() {
            ValueKind::Null => JsonKind::Null,
            ValueKind::Bool(b) => JsonKind::Bool(b),
            ValueKind::Number(n) => JsonKind::Number(n.to_string()),
            ValueKind::String(s) => JsonKind::String(s.to_string()),
            ValueKind::Array(items) => JsonKind::Array(items.map(|v| v.to_json()).collect()),
            ValueKind::Object(members) => JsonKind::Object(
                members
                    .map(|m| Member {
                        key: m.key.to_string(),
                        key_range: m.key_range,
                        value: m.value.to_json(),
                    })
                    .collect(),
            ),
        };
        Json {
            kind,
            range: self.range(),
        }
    }
}

/// The items of an array, in order.
#[derive(Clone, Copy, Debug)]
pub struct Items<'d> {
    doc: DocRef<'d>,
    next: usize,
    left: usize,
}

impl<'d> Iterator for Items<'d> {
    type Item = Value<'d>;

    #[inline]
    fn next(&mut self) -> Option<Value<'d>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let v = Value {
            doc: self.doc,
            index: self.next,
        };
        self.next = self.doc.skip(self.next);
        Some(v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<'d> Items<'d> {
    /// The next item as its string value and range (`Ok`), or as itself when it is not a string
    /// (`Err`): what `next` then [`Value::str_and_range`] give, with one look-up of its node
    /// (lowering reads the 1,500-item `Action` arrays of the largest policies this way).
    #[inline(always)]
    pub fn next_str(&mut self) -> Option<Result<(&'d str, TextRange), Value<'d>>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let index = self.next;
        let n = self.doc.node(index);
        Some(match n.tag {
            Tag::Str | Tag::StrEscaped => {
                self.next = index + 1;
                Ok((self.doc.str_of(n), n.range))
            }
            Tag::Array | Tag::Object => {
                self.next = n.b as usize;
                Err(Value {
                    doc: self.doc,
                    index,
                })
            }
            _ => {
                self.next = index + 1;
                Err(Value {
                    doc: self.doc,
                    index,
                })
            }
        })
    }
}

impl ExactSizeIterator for Items<'_> {}

/// An object member: the unescaped key with the range of its quoted source, and the value.
#[derive(Clone, Copy, Debug)]
pub struct MemberRef<'d> {
    pub key: &'d str,
    pub key_range: TextRange,
    pub value: Value<'d>,
}

/// The members of an object, in source order, duplicates included.
#[derive(Clone, Copy, Debug)]
pub struct Members<'d> {
    doc: DocRef<'d>,
    next: usize,
    left: usize,
}

impl<'d> Iterator for Members<'d> {
    type Item = MemberRef<'d>;

    #[inline]
    fn next(&mut self) -> Option<MemberRef<'d>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let key = self.doc.node(self.next);
        let value = Value {
            doc: self.doc,
            index: self.next + 1,
        };
        self.next = self.doc.skip(self.next + 1);
        Some(MemberRef {
            key: self.doc.str_of(key),
            key_range: key.range,
            value,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Members<'_> {}

struct Parser<'a, 'l> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    limits: &'l Limits,
    nodes: Vec<Node>,
    unescaped: String,
    /// Bytes skipped by `skip_ws`.
    white_space: usize,
    /// Nonzero when a word or byte the string scan read held a `$` (the bits of `bytes_equal`).
    dollar: u64,
    /// A `\u` escape, or a `\\` escape followed by `u`, was read.
    u_escape: bool,
    /// The bytes the string scan read, or-ed together (bit 7 of a byte: not ASCII).
    high: u64,
}

type PResult<T> = Result<T, Box<Diagnostic>>;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const SPACES: u64 = 0x2020_2020_2020_2020;

/// Bit 7 of each byte of the result is set for bytes of `w` below `n` (n <= 128). Borrows can set
/// false bits only above a true one, so the lowest set bit is always exact.
#[inline]
fn bytes_below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * n as u64) & !w & HIGHS
}

/// Bit 7 of each byte is set where `w` has the byte `b` (lowest set bit exact, as above).
#[inline]
fn bytes_equal(w: u64, b: u8) -> u64 {
    bytes_below(w ^ (ONES * b as u64), 1)
}

/// Index of the first byte at or after `i` that ends a plain run inside a string: `"`, `\`, a
/// control character below U+0020, or the end of the text. Marks `dollar` (nonzero) when a byte
/// it read is a `$` (the words read may reach past the run, but not past the text).
#[inline]
fn plain_run_end(b: &[u8], mut i: usize, dollar: &mut u64, high: &mut u64) -> usize {
    while let Some(chunk) = b.get(i..).and_then(|s| s.first_chunk::<8>()) {
        let w = u64::from_le_bytes(*chunk);
        // nonzero exactly when `w` has a `$` (the lowest bit of `bytes_equal` is exact)
        *dollar |= bytes_equal(w, b'$');
        *high |= w;
        let hits = bytes_equal(w, b'"') | bytes_equal(w, b'\\') | bytes_below(w, 0x20);
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        *dollar |= u64::from(c == b'$');
        *high |= u64::from(c);
        i += 1;
    }
    i
}

impl<'a> Parser<'a, '_> {
    fn err(&self, range: TextRange, message: impl Into<String>) -> Box<Diagnostic> {
        Box::new(Diagnostic::error(JSON_SYNTAX_ERROR, message, range, ""))
    }

    /// An error at the current character (or at the end of the text).
    fn err_here(&self, message: &str) -> Box<Diagnostic> {
        let range = match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) => TextRange::new(self.pos as u32, (self.pos + c.len_utf8()) as u32),
            None => TextRange::empty(self.pos as u32),
        };
        self.err(range, message.to_string())
    }

    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "the end of the text".to_string(),
            Some('/')
                if self.bytes.get(self.pos + 1) == Some(&b'/')
                    || self.bytes.get(self.pos + 1) == Some(&b'*') =>
            {
                "a comment (JSON has no comments)".to_string()
            }
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) => format!("'{c}'"),
        }
    }

    #[inline]
    fn skip_ws(&mut self) {
        let b = self.bytes;
        let start = self.pos;
        while let Some(&c) = b.get(self.pos) {
            match c {
                b' ' => {
                    // Indentation: eight spaces at a time.
                    match b.get(self.pos..).and_then(|s| s.first_chunk::<8>()) {
                        Some(chunk) if u64::from_le_bytes(*chunk) == SPACES => self.pos += 8,
                        _ => self.pos += 1,
                    }
                }
                b'\t' | b'\n' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
        self.white_space += self.pos - start;
    }

    #[inline]
    fn push(&mut self, tag: Tag, start: usize, a: u32, b: u32) {
        self.nodes.push(Node {
            tag,
            range: TextRange::new(start as u32, self.pos as u32),
            a,
            b,
        });
    }

    /// Parses one value at the current position (whitespace already skipped) onto the tape.
    fn value(&mut self, depth: u32) -> PResult<()> {
        let start = self.pos;
        match self.bytes.get(self.pos) {
            None => Err(self.err_here("expected a JSON value, found the end of the text")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let (tag, a, b) = self.string()?;
                self.push(tag, start, a, b);
                Ok(())
            }
            Some(b't') => self.literal("true", Tag::True),
            Some(b'f') => self.literal("false", Tag::False),
            Some(b'n') => self.literal("null", Tag::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                Err(self.err_here(&format!("expected a JSON value, found {}", self.found())))
            }
        }
    }

    fn literal(&mut self, word: &str, tag: Tag) -> PResult<()> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            self.push(tag, start, 0, 0);
            Ok(())
        } else {
            let mut end = self.pos;
            while end < self.bytes.len() && self.bytes[end].is_ascii_alphanumeric() {
                end += 1;
            }
            let end = end.max(self.pos + 1).min(self.bytes.len());
            let end = self.text.ceil_char_boundary(end);
            let word_found = self.text.get(self.pos..end).unwrap_or("");
            Err(self.err(
                TextRange::new(self.pos as u32, end as u32),
                format!("expected a JSON value, found '{word_found}' (strings need double quotes)"),
            ))
        }
    }

    fn number(&mut self) -> PResult<()> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return Err(self.err_here("invalid number: expected a digit"));
            }
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.pos = i;
                return Err(
                    self.err_here("invalid number: expected a digit after the decimal point")
                );
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.pos = i;
                return Err(self.err_here("invalid number: expected a digit in the exponent"));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'0'..=b'9')) {
            self.pos = i;
            return Err(self.err_here("invalid number: leading zeros are not allowed"));
        }
        self.pos = i;
        self.push(Tag::Number, start, 0, 0);
        Ok(())
    }

    /// Parses a string starting at the opening quote. Returns `(Str, 0, 0)` when the value is the
    /// source between the quotes, or `(StrEscaped, a, b)` when it was unescaped into
    /// `unescaped[a..b]`.
    ///
    /// The length limit is checked exactly where a byte-at-a-time loop would check it: before
    /// each byte of a plain run and after each escape sequence, the first position more than
    /// `max_string_bytes` past the opening quote fails with the range up to that position.
    fn string(&mut self) -> PResult<(Tag, u32, u32)> {
        let start = self.pos;
        let max = self.limits.max_string_bytes;
        // Most strings have no escape: one plain run up to the closing quote, within the limit,
        // is the whole answer (the loop below would find the same).
        let end = plain_run_end(self.bytes, start + 1, &mut self.dollar, &mut self.high);
        if end - start <= max && self.bytes.get(end) == Some(&b'"') {
            self.pos = end + 1;
            return Ok((Tag::Str, 0, 0));
        }
        self.pos += 1;
        let mut run_start = self.pos;
        let mut escaped_from: Option<usize> = None;
        loop {
            if self.pos - start > max {
                return Err(self.too_long(start, self.pos));
            }
            let end = plain_run_end(self.bytes, self.pos, &mut self.dollar, &mut self.high);
            if end - start > max {
                return Err(self.too_long(start, start + max + 1));
            }
            self.pos = end;
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.err(
                    TextRange::empty(self.pos as u32),
                    "unterminated string: missing closing '\"'",
                ));
            };
            match b {
                b'"' => {
                    let run = &self.text[run_start..self.pos];
                    self.pos += 1;
                    return Ok(match escaped_from {
                        None => (Tag::Str, 0, 0),
                        Some(from) => {
                            self.unescaped.push_str(run);
                            (Tag::StrEscaped, from as u32, self.unescaped.len() as u32)
                        }
                    });
                }
                b'\\' => {
                    if escaped_from.is_none() {
                        escaped_from = Some(self.unescaped.len());
                    }
                    let run = &self.text[run_start..self.pos];
                    self.unescaped.push_str(run);
                    self.escape()?;
                    run_start = self.pos;
                }
                _ => {
                    let msg = if b == b'\n' {
                        "unterminated string: a line break inside a string must be written as \\n"
                            .to_string()
                    } else {
                        format!("control character U+{b:04X} must be escaped inside a string")
                    };
                    return Err(self.err(TextRange::new(self.pos as u32, self.pos as u32 + 1), msg));
                }
            }
        }
    }

    fn too_long(&self, start: usize, at: usize) -> Box<Diagnostic> {
        self.err(
            TextRange::new(start as u32, at as u32),
            format!(
                "string longer than the limit of {} bytes",
                self.limits.max_string_bytes
            ),
        )
    }

    /// Unescapes the escape sequence at the current position into `unescaped`.
    fn escape(&mut self) -> PResult<()> {
        let esc_start = self.pos;
        self.pos += 1;
        let Some(&c) = self.bytes.get(self.pos) else {
            return Err(self.err(
                TextRange::empty(self.pos as u32),
                "unterminated escape sequence",
            ));
        };
        self.pos += 1;
        // `\u`, or `\\` then `u`: the text holds a backslash followed by `u`
        self.u_escape |= c == b'u' || (c == b'\\' && self.bytes.get(self.pos) == Some(&b'u'));
        let out = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4(esc_start)?;
                if (0xD800..0xDC00).contains(&hi) {
                    // A high surrogate must be followed by \u and a low surrogate.
                    if self.bytes.get(self.pos) == Some(&b'\\')
                        && self.bytes.get(self.pos + 1) == Some(&b'u')
                    {
                        let lo_start = self.pos;
                        self.pos += 2;
                        let lo = self.hex4(lo_start)?;
                        if (0xDC00..0xE000).contains(&lo) {
                            let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            self.unescaped
                                .push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                            return Ok(());
                        }
                    }
                    return Err(self.err(
                        TextRange::new(esc_start as u32, esc_start as u32 + 6),
                        format!("lone surrogate \\u{hi:04X}: a high surrogate must be followed by a low surrogate escape"),
                    ));
                }
                if (0xDC00..0xE000).contains(&hi) {
                    return Err(self.err(
                        TextRange::new(esc_start as u32, esc_start as u32 + 6),
                        format!("lone surrogate \\u{hi:04X}: a low surrogate without a preceding high surrogate"),
                    ));
                }
                char::from_u32(hi).unwrap_or('\u{fffd}')
            }
            _ => {
                let end = self.text.ceil_char_boundary(self.pos);
                return Err(self.err(
                    TextRange::new(esc_start as u32, end as u32),
                    format!(
                        "invalid escape sequence '{}'",
                        self.text.get(esc_start..end).unwrap_or("")
                    ),
                ));
            }
        };
        self.unescaped.push(out);
        Ok(())
    }

    fn hex4(&mut self, esc_start: usize) -> PResult<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.bytes.get(self.pos) {
                Some(b) if b.is_ascii_hexdigit() => (*b as char).to_digit(16).unwrap_or(0),
                _ => {
                    let end = self
                        .text
                        .ceil_char_boundary((self.pos + 1).min(self.bytes.len()));
                    return Err(self.err(
                        TextRange::new(esc_start as u32, end as u32),
                        "invalid \\u escape: expected four hexadecimal digits",
                    ));
                }
            };
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    fn check_depth(&self, depth: u32) -> PResult<()> {
        if depth > self.limits.max_depth {
            return Err(self.err(
                TextRange::new(self.pos as u32, self.pos as u32 + 1),
                format!(
                    "nesting deeper than the limit of {} levels",
                    self.limits.max_depth
                ),
            ));
        }
        Ok(())
    }

    /// Pushes a container node to be completed by [`Parser::close`]; returns its index.
    fn open(&mut self, tag: Tag) -> usize {
        let at = self.nodes.len();
        self.push(tag, self.pos, 0, 0);
        at
    }

    /// Completes the container at `at` (the closing bracket was just consumed).
    fn close(&mut self, at: usize, count: u32) {
        let end = self.nodes.len() as u32;
        let pos = self.pos as u32;
        if let Some(n) = self.nodes.get_mut(at) {
            n.range.end = pos;
            n.a = count;
            n.b = end;
        }
    }

    fn array(&mut self, depth: u32) -> PResult<()> {
        self.check_depth(depth)?;
        let at = self.open(Tag::Array);
        self.pos += 1;
        let mut count = 0u32;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.close(at, 0);
            return Ok(());
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) == Some(&b']') {
                return Err(
                    self.err_here("trailing comma: expected a value after ',' in the array")
                );
            }
            if self.bytes.get(self.pos) == Some(&b'"') {
                // An array of strings (Action, Resource): no dispatch through `value`.
                let start = self.pos;
                let (tag, a, b) = self.string()?;
                self.push(tag, start, a, b);
            } else {
                self.value(depth + 1)?;
            }
            count += 1;
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.close(at, count);
                    return Ok(());
                }
                None => {
                    return Err(self.err(
                        TextRange::empty(self.pos as u32),
                        "unterminated array: expected ',' or ']' before the end of the text",
                    ));
                }
                _ => {
                    return Err(self.err_here(&format!(
                        "expected ',' or ']' after an array element, found {}",
                        self.found()
                    )));
                }
            }
        }
    }

    fn object(&mut self, depth: u32) -> PResult<()> {
        self.check_depth(depth)?;
        let at = self.open(Tag::Object);
        self.pos += 1;
        let mut count = 0u32;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.close(at, 0);
            return Ok(());
        }
        loop {
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b'"') => {}
                Some(b'}') => {
                    return Err(
                        self.err_here("trailing comma: expected a key after ',' in the object")
                    );
                }
                None => {
                    return Err(self.err(
                        TextRange::empty(self.pos as u32),
                        "unterminated object: expected a key",
                    ));
                }
                _ => {
                    return Err(self.err_here(&format!(
                        "expected a key in double quotes, found {}",
                        self.found()
                    )));
                }
            }
            let key_start = self.pos;
            let (tag, a, b) = self.string()?;
            self.push(tag, key_start, a, b);
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                let key = DocRef {
                    text: self.text,
                    nodes: &self.nodes,
                    unescaped: &self.unescaped,
                };
                let key = key.str_of(key.node(self.nodes.len() - 1));
                return Err(self.err_here(&format!(
                    "expected ':' after the key \"{key}\", found {}",
                    self.found()
                )));
            }
            self.pos += 1;
            self.skip_ws();
            self.value(depth + 1)?;
            count += 1;
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.close(at, count);
                    return Ok(());
                }
                None => {
                    return Err(self.err(
                        TextRange::empty(self.pos as u32),
                        "unterminated object: expected ',' or '}' before the end of the text",
                    ));
                }
                _ => {
                    return Err(self.err_here(&format!(
                        "expected ',' or '}}' after an object member, found {}",
                        self.found()
                    )));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Document::has_dollar_or_unicode_escape` stands for.
    fn dollar_or_u_plain(text: &str) -> bool {
        text.contains('$') || text.contains("\\u")
    }

    #[test]
    fn dollar_or_unicode_escape_agrees_with_the_text() {
        for (text, want) in [
            (r#"["a"]"#, false),
            (r#"["${aws:username}"]"#, true),
            (r#"{"$k": 1}"#, true),
            (r#"["\u0024{x}"]"#, true),
            (r#"["\\u"]"#, true),
            (r#"["\\", "u"]"#, false),
            (r#"["\n\"u"]"#, false),
            (r#"["\uD83D\uDE00"]"#, true),
            (r#"["abcdefghijklmnopqrstuvwxyz$"]"#, true),
            (r#"["abcdefghijklmnop", "$"]"#, true),
            (r#"["abcdefghijklmnop", "é"]"#, false),
            ("[\"abcdefghijklmnopqrstuvwxyz\u{80}\"]", false),
        ] {
            let doc = Document::parse(text, &Limits::default()).unwrap();
            assert_eq!(doc.has_dollar_or_unicode_escape(), want, "{text}");
            assert_eq!(doc.is_ascii(), text.is_ascii(), "{text}");
            assert_eq!(dollar_or_u_plain(text), want, "{text}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Strings and keys made of pieces that spell `$`, `\u` escapes, `\\` escapes next to a
        /// `u`, other escapes and plain bytes, at every length (so across the scan's words).
        #[test]
        fn dollar_or_unicode_escape_of_generated_documents(
            strs in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!["a", "$", "u", "\\u0024", "\\\\", "\\\"", "\\n", "é", "abcdefg"]),
                    0..12,
                ),
                1..5,
            ),
        ) {
            let items: Vec<String> = strs.iter().map(|s| format!("\"{}\"", s.concat())).collect();
            let text = format!("{{{}: [{}]}}", items[0], items[1..].join(",\n  "));
            let doc = Document::parse(&text, &Limits::default()).unwrap();
            proptest::prop_assert_eq!(doc.has_dollar_or_unicode_escape(), dollar_or_u_plain(&text), "{}", text);
            proptest::prop_assert_eq!(doc.is_ascii(), text.is_ascii(), "{}", text);
            let bom = format!("\u{feff}{text}");
            proptest::prop_assert!(!Document::parse(&bom, &Limits::default()).unwrap().is_ascii());
        }
    }

    fn naive_plain_run_end(b: &[u8], mut i: usize) -> usize {
        while i < b.len() && !(b[i] == b'"' || b[i] == b'\\' || b[i] < 0x20) {
            i += 1;
        }
        i
    }

    #[test]
    fn next_str_agrees_with_next_and_str_and_range() {
        let text = r#"["a", 1, ["x", ["y"]], "b\u0041", {"k": ["z"]}, null, "", true, "c"]"#;
        let doc = Document::parse(text, &Limits::default()).unwrap();
        let items = doc.root().as_array().unwrap();
        let mut fast = items;
        let mut seen = 0;
        for item in items {
            let got = fast.next_str().unwrap();
            match (item.str_and_range(), got) {
                (Some(want), Ok(got)) => assert_eq!(want, got),
                (None, Err(got)) => {
                    assert_eq!(item.range(), got.range());
                    assert_eq!(item.type_name(), got.type_name());
                }
                (want, got) => panic!("{want:?} against {got:?}"),
            }
            seen += 1;
        }
        assert_eq!(seen, 9);
        assert!(fast.next_str().is_none());
        assert_eq!(
            doc.root().as_array().unwrap().nth(3).unwrap().as_str(),
            Some("bA")
        );
    }

    #[test]
    fn word_scan_agrees_with_the_byte_loop() {
        // Every special byte at every offset of a 20-byte window, over plain bytes of several
        // kinds (ASCII, UTF-8 continuation bytes, bytes just above each special one).
        for filler in [b'a', 0x80, 0xff, 0x21, 0x5d, 0x20, 0x7f] {
            for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                for at in 0..20 {
                    let mut text = vec![filler; 20];
                    text[at] = special;
                    for from in 0..=at {
                        assert_eq!(
                            plain_run_end(&text, from, &mut 0, &mut 0),
                            naive_plain_run_end(&text, from),
                            "filler {filler:#x} special {special:#x} at {at} from {from}"
                        );
                    }
                }
                let text = vec![filler; 20];
                assert_eq!(plain_run_end(&text, 3, &mut 0, &mut 0), 20);
            }
        }
    }

    #[test]
    fn borrowed_and_unescaped_strings() {
        let text = r#"{"a\"b": ["plain", "x\u00e9y", "", "\\"], "n": -1.5e3, "t": true}"#;
        let doc = Document::parse(text, &Limits::default()).unwrap();
        let root = doc.root();
        let members: Vec<_> = root.as_object().unwrap().collect();
        assert_eq!(members.len(), 3);
        assert_eq!(members[0].key, "a\"b");
        assert_eq!(members[0].key_range.slice(text), r#""a\"b""#);
        let items: Vec<_> = members[0]
            .value
            .as_array()
            .unwrap()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(items, ["plain", "x\u{e9}y", "", "\\"]);
        assert!(matches!(
            members[1].value.kind(),
            ValueKind::Number("-1.5e3")
        ));
        assert!(matches!(members[2].value.kind(), ValueKind::Bool(true)));
        assert_eq!(root.range(), TextRange::new(0, text.len() as u32));
        assert_eq!(members[2].value.type_name(), "boolean");
    }

    #[test]
    fn string_limit_is_exact() {
        let limits = Limits {
            max_string_bytes: 10,
            ..Limits::default()
        };
        // Content of 9 bytes passes; 10 fails (the closing quote sits 11 bytes past the opening).
        assert!(Document::parse(&format!("\"{}\"", "a".repeat(9)), &limits).is_ok());
        let e = Document::parse(&format!("\"{}\"", "a".repeat(10)), &limits).unwrap_err();
        assert_eq!(e.range, TextRange::new(0, 11));
        let e = Document::parse(&format!("\"{}\"", "a".repeat(40)), &limits).unwrap_err();
        assert_eq!(e.range, TextRange::new(0, 11));
        // An escape that jumps past the limit fails at the position after it.
        let e = Document::parse(r#""aaaaaaaa\u0041bbbbbb""#, &limits).unwrap_err();
        assert_eq!(e.range, TextRange::new(0, 15));
    }
}
