//! A small, strict JSON parser (RFC 8259) that keeps the byte range of every value and key,
//! keeps duplicate keys in source order, and never recurses deeper than [`Limits::max_depth`].
//!
//! serde_json drops duplicate keys and positions, and jsonc-parser accepts comments and trailing
//! commas that AWS rejects, so iamscope has its own; it is one linear pass with no backtracking.

use crate::{Diagnostic, TextRange};

pub use crate::tape::{Document, Items, MemberRef, Members, Value, ValueKind};

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
///
/// This builds an owned tree from a [`Document`] (the flat, borrowing form that
/// `iamscope_policy::parse_policy` lowers directly); both accept and reject exactly the same texts
/// with the same diagnostics.
pub fn parse(text: &str, limits: &Limits) -> Result<Json, Box<Diagnostic>> {
    Ok(Document::parse(text, limits)?.root().to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Json, Box<Diagnostic>> {
        parse(text, &Limits::default())
    }

    #[test]
    fn keeps_duplicates_and_ranges() {
        let text = r#"{"a": 1, "a": [true, null, "x\u00e9"]}"#;
        let v = p(text).unwrap();
        let m = v.as_object().unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].key_range.slice(text), "\"a\"");
        assert_eq!(m[1].value.range.slice(text), r#"[true, null, "x\u00e9"]"#);
        let arr = m[1].value.as_array().unwrap();
        assert_eq!(arr[2].as_str(), Some("x\u{e9}"));
        assert_eq!(v.range, TextRange::new(0, text.len() as u32));
    }

    #[test]
    fn surrogate_pairs() {
        assert_eq!(p(r#""\ud83d\ude00""#).unwrap().as_str(), Some("\u{1F600}"));
        let e = p(r#""ab\ud83d""#).unwrap_err();
        assert_eq!(e.range, TextRange::new(3, 9));
        assert!(e.message.contains("lone surrogate"));
        assert!(p(r#""\udc00""#).is_err());
    }

    #[test]
    fn errors_point_at_the_offending_character() {
        let e = p("{\"a\": 1,}").unwrap_err();
        assert_eq!(e.range, TextRange::new(8, 9));
        assert!(e.message.contains("trailing comma"), "{}", e.message);
        let e = p("[1 2]").unwrap_err();
        assert_eq!(e.range, TextRange::new(3, 4));
        let e = p("[1, // x\n 2]").unwrap_err();
        assert!(e.message.contains("comment"), "{}", e.message);
        let e = p("{\"a\": tru}").unwrap_err();
        assert_eq!(e.range.slice("{\"a\": tru}"), "tru");
        let e = p("").unwrap_err();
        assert_eq!(e.range, TextRange::empty(0));
        let e = p("{} x").unwrap_err();
        assert_eq!(e.range, TextRange::new(3, 4));
        assert!(p("01").is_err());
        assert!(p("1.").is_err());
        assert!(p("\"a\nb\"").is_err());
        let e = p("\"\u{e9}\\x\"").unwrap_err();
        assert!(e.message.contains("invalid escape"), "{}", e.message);
    }

    #[test]
    fn limits() {
        let deep = "[".repeat(100_000);
        let e = p(&deep).unwrap_err();
        assert!(e.message.contains("nesting"));
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        assert!(
            parse("[1,2,3,4,5,6]", &limits)
                .unwrap_err()
                .message
                .contains("bytes")
        );
        let long = format!("\"{}\"", "a".repeat(300_000));
        assert!(p(&long).unwrap_err().message.contains("string longer"));
        let big = format!("{}1", "9".repeat(400));
        assert!(matches!(p(&big).unwrap().kind, JsonKind::Number(_)));
    }

    #[test]
    fn agrees_with_serde_json_on_values() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*","N":-1.5e3}]}"#;
        let ours = p(text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        let back: serde_json::Value = serde_json::from_str(&ours.to_json_string()).unwrap();
        assert_eq!(theirs, back);
    }
}
