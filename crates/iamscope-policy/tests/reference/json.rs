//! FROZEN COPY (test oracle) of the tree-building parser as it was before the tape parser
//! (crates/iamscope-syntax/src/json.rs at f36b4fb). Do not improve it: the differential test checks
//! that the fast path gives exactly the same values and diagnostics.
//!
//! A small, strict JSON parser (RFC 8259) that keeps the byte range of every value and key,
//! keeps duplicate keys in source order, and never recurses deeper than [`Limits::max_depth`].
//!
//! serde_json drops duplicate keys and positions, and jsonc-parser accepts comments and trailing
//! commas that AWS rejects, so iamscope has its own; it is one linear pass with no backtracking.

use iamscope_syntax::{Diagnostic, TextRange};

/// The code of every syntax and limit error.
pub const JSON_SYNTAX_ERROR: &str = "JSON_SYNTAX_ERROR";

/// Limits that keep hostile input cheap. Exceeding one yields a diagnostic, never a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest allowed nesting of arrays and objects (the root is depth 1).
    pub max_depth: u32,
    /// Largest document, in bytes.
    pub max_bytes: usize,
    /// Longest string (key or value), in bytes of source text.
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // No valid IAM policy of any kind comes near these: the largest quota is 32 KB (KMS key
        // policies) and policies nest at most 6 levels.
        Limits {
            max_depth: 64,
            max_bytes: 4 * 1024 * 1024,
            max_string_bytes: 256 * 1024,
        }
    }
}

/// A JSON value with its byte range in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Json {
    pub kind: JsonKind,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JsonKind {
    Null,
    Bool(bool),
    /// The number exactly as written (JSON numbers can exceed every machine type).
    Number(String),
    /// The unescaped string value.
    String(String),
    Array(Vec<Json>),
    /// Members in source order, duplicates included.
    Object(Vec<Member>),
}

/// An object member: the unescaped key with the range of its quoted source, and the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_range: TextRange,
    pub value: Json,
}

impl Json {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.kind {
            JsonKind::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            JsonKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The first member named exactly `key`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// A short name of the value's JSON type, for messages: `string`, `array`, ...
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "boolean",
            JsonKind::Number(_) => "number",
            JsonKind::String(_) => "string",
            JsonKind::Array(_) => "array",
            JsonKind::Object(_) => "object",
        }
    }

    /// Compact JSON text of the value (keys in source order, duplicates kept).
    pub fn to_json_string(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match &self.kind {
            JsonKind::Null => out.push_str("null"),
            JsonKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            JsonKind::Number(n) => out.push_str(n),
            JsonKind::String(s) => write_json_string(s, out),
            JsonKind::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            JsonKind::Object(members) => {
                out.push('{');
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(&m.key, out);
                    out.push(':');
                    m.value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// Appends `s` as a quoted JSON string.
pub fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Parses `text`. Returns the root value, or `None` and one `JSON_SYNTAX_ERROR` diagnostic whose
/// range points at the offending character (an empty range at the end for truncated input).
/// A leading UTF-8 byte order mark is skipped.
pub fn parse(text: &str, limits: &Limits) -> Result<Json, Box<Diagnostic>> {
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
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.skip_ws();
    let value = p.value(1)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.err_here("unexpected content after the end of the JSON document"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    limits: &'a Limits,
}

type PResult<T> = Result<T, Box<Diagnostic>>;

impl<'a> Parser<'a> {
    fn err(&self, range: TextRange, message: impl Into<String>) -> Box<Diagnostic> {
        Box::new(Diagnostic::error(JSON_SYNTAX_ERROR, message, range, ""))
    }

    /// An error at the current character (or at the end of the text).
    fn err_here(&self, message: &str) -> Box<Diagnostic> {
        let range = match self.text[self.pos..].chars().next() {
            Some(c) => TextRange::new(self.pos as u32, (self.pos + c.len_utf8()) as u32),
            None => TextRange::empty(self.pos as u32),
        };
        self.err(range, message.to_string())
    }

    fn found(&self) -> String {
        match self.text[self.pos..].chars().next() {
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

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: u32) -> PResult<Json> {
        let start = self.pos;
        match self.bytes.get(self.pos) {
            None => Err(self.err_here("expected a JSON value, found the end of the text")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Json {
                    kind: JsonKind::String(s),
                    range: TextRange::new(start as u32, self.pos as u32),
                })
            }
            Some(b't') => self.literal("true", JsonKind::Bool(true)),
            Some(b'f') => self.literal("false", JsonKind::Bool(false)),
            Some(b'n') => self.literal("null", JsonKind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                Err(self.err_here(&format!("expected a JSON value, found {}", self.found())))
            }
        }
    }

    fn literal(&mut self, word: &str, kind: JsonKind) -> PResult<Json> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Json {
                kind,
                range: TextRange::new(start as u32, self.pos as u32),
            })
        } else {
            let mut end = self.pos;
            while end < self.bytes.len() && self.bytes[end].is_ascii_alphanumeric() {
                end += 1;
            }
            let end = end.max(self.pos + 1).min(self.bytes.len());
            let word_found = &self.text[self.pos..self.text.ceil_char_boundary(end)];
            Err(self.err(
                TextRange::new(self.pos as u32, self.text.ceil_char_boundary(end) as u32),
                format!("expected a JSON value, found '{word_found}' (strings need double quotes)"),
            ))
        }
    }

    fn number(&mut self) -> PResult<Json> {
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
        Ok(Json {
            kind: JsonKind::Number(self.text[start..i].to_string()),
            range: TextRange::new(start as u32, i as u32),
        })
    }

    /// Parses a string starting at the opening quote; returns the unescaped value.
    fn string(&mut self) -> PResult<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            if self.pos - start > self.limits.max_string_bytes {
                return Err(self.err(
                    TextRange::new(start as u32, self.pos as u32),
                    format!(
                        "string longer than the limit of {} bytes",
                        self.limits.max_string_bytes
                    ),
                ));
            }
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.err(
                    TextRange::empty(self.pos as u32),
                    "unterminated string: missing closing '\"'",
                ));
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.escape(&mut out)?;
                    run_start = self.pos;
                }
                0x00..=0x1f => {
                    let msg = if b == b'\n' {
                        "unterminated string: a line break inside a string must be written as \\n"
                            .to_string()
                    } else {
                        format!("control character U+{b:04X} must be escaped inside a string")
                    };
                    return Err(self.err(TextRange::new(self.pos as u32, self.pos as u32 + 1), msg));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> PResult<()> {
        let esc_start = self.pos;
        self.pos += 1;
        let Some(&c) = self.bytes.get(self.pos) else {
            return Err(self.err(
                TextRange::empty(self.pos as u32),
                "unterminated escape sequence",
            ));
        };
        self.pos += 1;
        match c {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
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
                            out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
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
                out.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
            }
            _ => {
                let end = self.text.ceil_char_boundary(self.pos);
                return Err(self.err(
                    TextRange::new(esc_start as u32, end as u32),
                    format!("invalid escape sequence '{}'", &self.text[esc_start..end]),
                ));
            }
        }
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

    fn array(&mut self, depth: u32) -> PResult<Json> {
        self.check_depth(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Json {
                kind: JsonKind::Array(items),
                range: TextRange::new(start as u32, self.pos as u32),
            });
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) == Some(&b']') {
                return Err(
                    self.err_here("trailing comma: expected a value after ',' in the array")
                );
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json {
                        kind: JsonKind::Array(items),
                        range: TextRange::new(start as u32, self.pos as u32),
                    });
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

    fn object(&mut self, depth: u32) -> PResult<Json> {
        self.check_depth(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Json {
                kind: JsonKind::Object(members),
                range: TextRange::new(start as u32, self.pos as u32),
            });
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
            let key = self.string()?;
            let key_range = TextRange::new(key_start as u32, self.pos as u32);
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.err_here(&format!(
                    "expected ':' after the key \"{key}\", found {}",
                    self.found()
                )));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_range,
                value,
            });
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json {
                        kind: JsonKind::Object(members),
                        range: TextRange::new(start as u32, self.pos as u32),
                    });
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
