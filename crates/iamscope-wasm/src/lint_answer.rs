//! The lint's answer as numbers and texts instead of JSON: the same report as
//! [`crate::shapes::lint_report`] (which `lintReport`'s JSON serialises), written into buffers of
//! the module that the npm wrapper reads (`readLint` in npm/src/api.ts) to build the same objects
//! `JSON.parse` would make of that JSON, key order included. Neither serde_json writes the JSON
//! nor `JSON.parse` reads it, and the strings answers repeat (codes, URLs, the kind and its
//! reason, help texts) cross once per session instead of once per diagnostic.
//!
//! Layout (`u32` words, from the address `lintAnswer` returns):
//! - `[0]` address and `[1]` byte length of the answer's text: the UTF-8 of every string sent
//!   FRESH, one after another, which the wrapper decodes once and cuts by UTF-16 lengths;
//! - `[2]` address of the held text: the UTF-8 of every string sent NEW, one after another, each
//!   decoded on its own (a held string is kept for the session: it must not keep a whole answer's
//!   text alive);
//! - `[3]` 1 when the wrapper must first forget the strings it holds (the module forgot its own),
//!   else 0;
//! - the report: kind (string), kindInferred (0/1), kindReason (string), the number of
//!   diagnostics, then each diagnostic: code (string), flags (bits 0-1 the finding type's rank,
//!   4 help, 8 fix, 16 url, 32 the fix is safe), message (string), range (six numbers: start line,
//!   column, offset, end line, column, offset, UTF-16), pointer (string), the number of related
//!   ranges and each as range + message, then help, fix (title, the number of edits and each as
//!   range + newText) and url when their flag is set.
//!
//! A string is one word `k`: below [`NEW`] the index of a string the wrapper holds (it holds, in
//! order, every string an answer sent NEW since the last forget); `NEW | n`: the held text's next
//! `n` bytes, held from now on; `FRESH | n`: the answer text's next `n` UTF-16 units, not held.
//! The wrapper passes the number of strings it holds; any other number than the module's makes
//! the module forget its own and say so, so the two lists cannot drift apart.

use iamscope_lint::LintResult;
use iamscope_syntax::Diagnostic;

use crate::shapes::diagnostic_offsets;
use crate::utf16::{Range, Utf16Map};

/// A string's word: below it, an index into the wrapper's held strings.
pub const NEW: u32 = 0x8000_0000;
/// `FRESH | n`: a string of `n` UTF-16 units of the answer's text, not held.
pub const FRESH: u32 = 0xc000_0000;
/// The largest length a string's word can carry.
pub const LENGTH: u32 = 0x3fff_ffff;
/// At most this many held strings; then both sides start over. Looked up one by one (length
/// first), which in the module is less code than a hash map for the few dozen strings that recur
/// (the managed corpus holds 61).
const MAX_HELD: usize = 512;
/// Only strings up to this many bytes are held (codes, URLs, reasons, help texts are short;
/// messages, which name the policy's values, are longer or do not recur).
const HOLD_BYTES: usize = 200;

/// The buffers of the last answer and the strings the wrapper holds.
#[derive(Debug, Default)]
pub struct LintAnswer {
    pub words: Vec<u32>,
    pub text: Vec<u8>,
    pub held_text: Vec<u8>,
    held: Vec<String>,
}

/// The number of UTF-16 units of `s` (every byte but a continuation byte starts a character;
/// 4-byte characters are two units).
fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.bytes()
        .map(|b| match b {
            0x80..=0xbf => 0,
            0xf0..=0xff => 2,
            _ => 1,
        })
        .sum()
}

/// Buffers larger than this are released before the next answer instead of kept.
const KEEP_BYTES: usize = 4 << 20;

impl LintAnswer {
    /// Writes the report of `r` (a lint of `text`); `known` is the number of strings the wrapper
    /// holds. False when a string is too long for a word (then nothing of this answer may be
    /// read: the wrapper asks for the JSON answer instead, and the next call starts over).
    pub fn write(&mut self, text: &str, r: &LintResult, known: u32) -> bool {
        if self.words.capacity() * 4 > KEEP_BYTES {
            self.words = Vec::new();
        }
        if self.text.capacity() > KEEP_BYTES {
            self.text = Vec::new();
        }
        self.words.clear();
        self.text.clear();
        self.held_text.clear();
        let reset = known as usize != self.held.len() || self.held.len() >= MAX_HELD;
        if reset {
            self.held.clear();
        }
        self.words.extend([0, 0, 0, reset as u32]);
        let ok = self.report(text, r);
        if !ok {
            self.held.clear();
        }
        // the addresses last: the texts may have moved while they grew
        self.words[0] = self.text.as_ptr() as usize as u32;
        self.words[1] = self.text.len() as u32;
        self.words[2] = self.held_text.as_ptr() as usize as u32;
        ok
    }

    fn report(&mut self, text: &str, r: &LintResult) -> bool {
        let map = Utf16Map::new(text, r.diagnostics.iter().flat_map(diagnostic_offsets));
        let mut ok = self.held_str(r.kind.as_str());
        self.words.push(r.kind_inferred as u32);
        ok &= self.held_str(&r.kind_reason);
        self.words.push(r.diagnostics.len() as u32);
        for d in &r.diagnostics {
            ok &= self.diagnostic(&map, d);
        }
        ok
    }

    fn diagnostic(&mut self, map: &Utf16Map, d: &Diagnostic) -> bool {
        let mut ok = self.held_str(&d.code);
        let mut flags = d.finding_type.rank() as u32;
        if d.help.is_some() {
            flags |= 4;
        }
        if let Some(f) = &d.fix {
            flags |= if f.safe { 8 | 32 } else { 8 };
        }
        if d.url.is_some() {
            flags |= 16;
        }
        self.words.push(flags);
        ok &= self.fresh_str(&d.message);
        self.range(map.range(d.range));
        ok &= self.fresh_str(&d.pointer);
        self.words.push(d.related.len() as u32);
        for rel in &d.related {
            self.range(map.range(rel.range));
            ok &= self.fresh_str(&rel.message);
        }
        if let Some(h) = &d.help {
            ok &= self.held_str(h);
        }
        if let Some(f) = &d.fix {
            ok &= self.fresh_str(&f.title);
            self.words.push(f.edits.len() as u32);
            for e in &f.edits {
                self.range(map.range(e.range));
                ok &= self.fresh_str(&e.new_text);
            }
        }
        if let Some(u) = &d.url {
            ok &= self.held_str(u);
        }
        ok
    }

    fn range(&mut self, r: Range) {
        let (a, z) = (r.start, r.end);
        self.words
            .extend([a.line, a.column, a.offset, z.line, z.column, z.offset]);
    }

    /// A string the wrapper does not keep: its UTF-16 length, its bytes to the answer's text.
    fn fresh_str(&mut self, s: &str) -> bool {
        let n = utf16_len(s);
        self.text.extend_from_slice(s.as_bytes());
        self.words.push(FRESH | (n as u32 & LENGTH));
        n <= LENGTH as usize
    }

    /// A string the wrapper keeps when it is short: its index if sent before, else sent NEW.
    fn held_str(&mut self, s: &str) -> bool {
        if s.len() > HOLD_BYTES {
            return self.fresh_str(s);
        }
        if let Some(k) = self.held.iter().position(|h| h.len() == s.len() && h == s) {
            self.words.push(k as u32);
            return true;
        }
        self.held.push(s.to_owned());
        self.held_text.extend_from_slice(s.as_bytes());
        self.words.push(NEW | s.len() as u32);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamscope_lint::LintOptions;

    /// Reads an answer back the way the wrapper does, into the JSON `JSON.stringify` would write
    /// of the wrapper's objects; `held` plays the wrapper's list.
    fn read(a: &LintAnswer, held: &mut Vec<String>) -> serde_json::Value {
        use serde_json::{Value, json};
        let w = &a.words;
        let text: Vec<u16> = std::str::from_utf8(&a.text)
            .unwrap()
            .encode_utf16()
            .collect();
        let (mut i, mut at, mut held_at) = (4usize, 0usize, 0usize);
        if w[3] == 1 {
            held.clear();
        }
        let mut next = || {
            i += 1;
            w[i - 1]
        };
        let mut s = |k: u32, held: &mut Vec<String>| -> String {
            if k < NEW {
                held[k as usize].clone()
            } else if k < FRESH {
                let n = (k & LENGTH) as usize;
                let s = std::str::from_utf8(&a.held_text[held_at..held_at + n])
                    .unwrap()
                    .to_owned();
                held_at += n;
                held.push(s.clone());
                s
            } else {
                let n = (k & LENGTH) as usize;
                at += n;
                String::from_utf16(&text[at - n..at]).unwrap()
            }
        };
        let range = |next: &mut dyn FnMut() -> u32| {
            let v: Vec<u32> = (0..6).map(|_| next()).collect();
            json!({"start": {"line": v[0], "column": v[1], "offset": v[2]},
                   "end": {"line": v[3], "column": v[4], "offset": v[5]}})
        };
        let kind = s(next(), held);
        let inferred = next() == 1;
        let reason = s(next(), held);
        let n = next();
        let mut diags = Vec::new();
        for _ in 0..n {
            let mut d = serde_json::Map::new();
            d.insert("code".into(), Value::String(s(next(), held)));
            let flags = next();
            let ft = ["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"][(flags & 3) as usize];
            d.insert("findingType".into(), json!(ft));
            d.insert("message".into(), Value::String(s(next(), held)));
            d.insert("range".into(), range(&mut next));
            d.insert("pointer".into(), Value::String(s(next(), held)));
            let nr = next();
            if nr > 0 {
                let rel: Vec<Value> = (0..nr)
                    .map(|_| {
                        let r = range(&mut next);
                        json!({"range": r, "message": s(next(), held)})
                    })
                    .collect();
                d.insert("related".into(), Value::Array(rel));
            }
            if flags & 4 != 0 {
                d.insert("help".into(), Value::String(s(next(), held)));
            }
            if flags & 8 != 0 {
                let title = s(next(), held);
                let ne = next();
                let edits: Vec<Value> = (0..ne)
                    .map(|_| {
                        let r = range(&mut next);
                        json!({"range": r, "newText": s(next(), held)})
                    })
                    .collect();
                d.insert(
                    "fix".into(),
                    json!({"title": title, "edits": edits, "safe": flags & 32 != 0}),
                );
            }
            if flags & 16 != 0 {
                d.insert("url".into(), Value::String(s(next(), held)));
            }
            diags.push(Value::Object(d));
        }
        assert_eq!(i, w.len(), "every word read");
        assert_eq!(at, text.len(), "the whole text read");
        assert_eq!(held_at, a.held_text.len(), "the whole held text read");
        json!({"kind": kind, "kindInferred": inferred, "kindReason": reason, "diagnostics": diags})
    }

    /// The answer read back equals the JSON answer, for policies with related ranges, fixes, help,
    /// text outside ASCII, and in a session whose held strings carry over and start over.
    #[test]
    fn reads_back_as_the_json_answer() {
        let texts = [
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"caf\u{e9}\u{1F600}\",\"Effect\":\"Alow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:GetObject\",\"s3:get*\"],\"Resource\":[\"arn:aws:s3:::b/*\",\"arn:aws:s3:::b/*\"]},{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:GetObject\",\"s3:get*\"],\"Resource\":[\"arn:aws:s3:::b/*\",\"arn:aws:s3:::b/*\"]}]}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:username\":\"\u{4e2d}\"}}}}",
            "not json \u{1F600}",
            "",
        ];
        let mut a = LintAnswer::default();
        let mut held = Vec::new();
        for round in 0..3 {
            for (k, t) in texts.iter().enumerate() {
                let r = iamscope_lint::lint(t, &LintOptions::default());
                // the third round: a wrong count makes both sides start over
                let known = if round == 2 && k == 1 {
                    9999
                } else {
                    held.len() as u32
                };
                assert!(a.write(t, &r, known));
                assert_eq!(a.words[3] == 1, known == 9999);
                let json = serde_json::to_value(crate::shapes::lint_report(t, &r)).unwrap();
                assert_eq!(read(&a, &mut held), json, "{t}");
                assert_eq!(held.len(), a.held.len());
            }
        }
    }

    #[test]
    fn utf16_lengths() {
        for s in ["", "abc", "caf\u{e9}", "\u{4e2d}x", "a\u{1F600}b"] {
            assert_eq!(utf16_len(s), s.encode_utf16().count(), "{s}");
        }
    }
}
