//! Byte offsets of the UTF-8 text the engine works on, converted to the units of JavaScript strings:
//! UTF-16 code units, as VS Code, LSP and CodeMirror count them.
//!
//! A [`Utf16Map`] is built for the offsets one answer needs (every diagnostic's start and end, the
//! related ranges, the fix edits) in one pass over the text, so converting `k` offsets of an `n`-byte
//! text costs `O(n + k log k)` whatever the shape of the text (one 10 MB line included).

use iamscope_syntax::TextRange;
use serde::Serialize;

/// A position in the text as JavaScript counts it, all zero-based: the line (lines end at `\n`),
/// the column in UTF-16 code units from the start of the line, and the offset in UTF-16 code units
/// from the start of the text (`text.slice(0, offset)` in JavaScript).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// A half-open range `[start, end)` of [`Position`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// Positions of a set of byte offsets, computed in one sweep.
#[derive(Clone, Debug, Default)]
pub struct Utf16Map {
    /// (byte offset, position), sorted by byte offset, without duplicates.
    entries: Vec<(u32, Position)>,
}

impl Utf16Map {
    /// Computes the position of every offset in `offsets` (in any order, duplicates allowed). An
    /// offset inside a multi-byte character is rounded down to the character's start; an offset
    /// past the end maps to the end of the text.
    pub fn new(text: &str, offsets: impl IntoIterator<Item = u32>) -> Utf16Map {
        let mut wanted: Vec<u32> = offsets.into_iter().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut entries = Vec::with_capacity(wanted.len());
        let bytes = text.as_bytes();
        let mut pos = Position::default();
        let mut i = 0usize; // byte index of the character at `pos`
        for &want in &wanted {
            let target = (want as usize).min(bytes.len());
            // ASCII up to the target (most of a policy): lines and units without a per-byte loop
            if let Some(chunk) = bytes.get(i..target)
                && let Some((newlines, last)) = ascii_newlines(chunk)
            {
                match last {
                    Some(last) => {
                        pos.line += newlines;
                        pos.column = (chunk.len() - last - 1) as u32;
                    }
                    None => pos.column += chunk.len() as u32,
                }
                pos.offset += chunk.len() as u32;
                i = target;
            }
            while i < target {
                let b = bytes[i];
                let (width, units) = match b {
                    0x00..=0x7f => (1, 1),
                    0xc0..=0xdf => (2, 1),
                    0xe0..=0xef => (3, 1),
                    _ => (4, 2),
                };
                if i + width > target {
                    break; // `target` is inside this character: round down
                }
                if b == b'\n' {
                    pos.line += 1;
                    pos.column = 0;
                } else {
                    pos.column += units;
                }
                pos.offset += units;
                i += width;
            }
            entries.push((want, pos));
        }
        Utf16Map { entries }
    }

    /// The position of a byte offset given to [`Utf16Map::new`]. Offsets that were not given get
    /// the position of the nearest given offset below them (never a wrong answer for given ones).
    pub fn position(&self, offset: u32) -> Position {
        match self.entries.binary_search_by_key(&offset, |e| e.0) {
            Ok(i) => self.entries[i].1,
            Err(0) => Position::default(),
            Err(i) => self.entries[i - 1].1,
        }
    }

    pub fn range(&self, r: TextRange) -> Range {
        Range {
            start: self.position(r.start),
            end: self.position(r.end),
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// For an ASCII `bytes`: the number of its `\n` bytes and the index of the last one; `None` when
/// it is not ASCII. One pass eight bytes at a time: a lint answer's offsets span the whole text, and
/// the separate passes this replaces (the standard library's `is_ascii`, which reads four bytes at
/// a time in wasm32, a backward byte search and a newline count) were 5% of the instructions of
/// linting the largest managed policy in the module.
fn ascii_newlines(bytes: &[u8]) -> Option<(u32, Option<usize>)> {
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut n = 0u32;
    let mut high = 0u64;
    let mut last = None;
    let mut chunks = bytes.chunks_exact(8);
    for (k, c) in (&mut chunks).enumerate() {
        // an 8-byte load (`copy_from_slice` stays a call at the wasm build's opt-level)
        let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
        high |= w;
        let x = w ^ (ONES * b'\n' as u64);
        // the high bit of each byte that is zero in `x` (exact, unlike the "any zero" test)
        let zero = !(((x & LOWS) + LOWS) | x | LOWS);
        if zero != 0 {
            n += zero.count_ones();
            // the highest set bit is the last newline's (little-endian: later bytes are higher)
            last = Some(k * 8 + (63 - zero.leading_zeros() as usize) / 8);
        }
    }
    let base = bytes.len() - chunks.remainder().len();
    for (k, &b) in chunks.remainder().iter().enumerate() {
        high |= u64::from(b);
        if b == b'\n' {
            n += 1;
            last = Some(base + k);
        }
    }
    (high & HIGHS == 0).then_some((n, last))
}

/// The index of the first `\n` at or after `from`, or `bytes.len()`.
fn find_newline(bytes: &[u8], from: usize) -> usize {
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i + 8 <= bytes.len() {
        let word = bytes[i..i + 8].try_into().unwrap_or_default();
        let x = u64::from_le_bytes(word) ^ (ONES * b'\n' as u64);
        // a zero byte in `x` is a newline (the classic has-zero-byte test: exact for "any")
        if (x.wrapping_sub(ONES) & !x & HIGHS) != 0 {
            break;
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p)
}

/// The byte offset of a UTF-16 offset into `text` (the inverse of [`Position::offset`]). An offset
/// between the two halves of a surrogate pair is rounded down to the character's start; an offset
/// past the end maps to the end of the text.
pub fn byte_offset(text: &str, utf16_offset: u32) -> u32 {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        let next = units + c.len_utf16() as u32;
        if next > utf16_offset {
            return i as u32;
        }
        units = next;
    }
    text.len() as u32
}

/// A reusable index of one text for converting any number of byte offsets later, each in
/// `O(log lines)` (plus the length of the line before the offset when the line is not ASCII).
/// Built once per policy of a prepared policy set, so evaluating a request never rescans its text.
#[derive(Clone, Debug)]
pub struct Utf16Index {
    /// Byte offset where each line starts.
    line_starts: Vec<u32>,
    /// UTF-16 offset where each line starts.
    line_units: Vec<u32>,
    /// Whether each line is pure ASCII (then columns in bytes and in UTF-16 units agree).
    ascii: Vec<bool>,
}

impl Default for Utf16Index {
    /// The index of the empty text.
    fn default() -> Utf16Index {
        Utf16Index::new("")
    }
}

impl Utf16Index {
    pub fn new(text: &str) -> Utf16Index {
        let mut idx = Utf16Index {
            line_starts: vec![0],
            line_units: vec![0],
            ascii: Vec::new(),
        };
        // Line by line: the end of a line is found eight bytes at a time and an ASCII line (most
        // of a policy) is checked word by word, so only lines with other characters are counted
        // character by character (a 118 KB policy: a fifth of the per-byte loop's work).
        let bytes = text.as_bytes();
        let mut start = 0usize;
        let mut units = 0u32;
        loop {
            let end = find_newline(bytes, start);
            let line = &bytes[start..end];
            let ascii = line.is_ascii();
            units += if ascii {
                line.len() as u32
            } else {
                // every byte but a continuation byte starts a character; 4-byte ones are 2 units
                line.iter()
                    .map(|&b| match b {
                        0x00..=0x7f | 0xc0..=0xef => 1,
                        0x80..=0xbf => 0,
                        _ => 2,
                    })
                    .sum::<u32>()
            };
            idx.ascii.push(ascii);
            if end == bytes.len() {
                break;
            }
            units += 1;
            start = end + 1;
            idx.line_starts.push(start as u32);
            idx.line_units.push(units);
        }
        idx
    }

    /// The position of a byte offset of `text` (the text the index was built from). Offsets inside
    /// a character round down; offsets past the end map to the end.
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let mut o = (offset as usize).min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        let line = match self.line_starts.binary_search(&(o as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts[line] as usize;
        let column = if self.ascii[line] {
            (o - start) as u32
        } else {
            text[start..o].chars().map(|c| c.len_utf16() as u32).sum()
        };
        Position {
            line: line as u32,
            column,
            offset: self.line_units[line] + column,
        }
    }

    pub fn range(&self, text: &str, r: TextRange) -> Range {
        Range {
            start: self.position(text, r.start),
            end: self.position(text, r.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: positions computed from UTF-16 code units directly.
    fn reference(text: &str, byte: usize) -> Position {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let before = &text[..byte];
        let line = before.matches('\n').count() as u32;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        Position {
            line,
            column: before[line_start..].encode_utf16().count() as u32,
            offset: before.encode_utf16().count() as u32,
        }
    }

    #[test]
    fn matches_reference_on_every_offset() {
        let text = "{\n  \"Sid\": \"caf\u{e9} \u{1F600}\u{4e2d}\",\r\n\t\"x\": 1\n}\u{1F600}";
        let all: Vec<u32> = (0..=text.len() as u32 + 2).collect();
        let map = Utf16Map::new(text, all.iter().rev().copied());
        let index = Utf16Index::new(text);
        for &o in &all {
            assert_eq!(map.position(o), reference(text, o as usize), "offset {o}");
            assert_eq!(
                index.position(text, o),
                reference(text, o as usize),
                "offset {o}"
            );
        }
    }

    #[test]
    fn index_matches_reference_on_long_mixed_lines() {
        // lines longer than the eight-byte steps of the newline search, newlines at every
        // alignment, ASCII lines next to lines with 2-, 3- and 4-byte characters, a last line
        // with and without a newline
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&"x".repeat(i % 19));
            match i % 4 {
                0 => text.push('\u{e9}'),
                1 => text.push_str("\u{1F600}ab"),
                2 => text.push('\u{4e2d}'),
                _ => {}
            }
            text.push_str(&"y".repeat(i % 11));
            text.push('\n');
        }
        for t in [
            text.as_str(),
            text.trim_end(),
            "\n\n",
            "\n",
            "abcdefghijklmnop",
        ] {
            let index = Utf16Index::new(t);
            let all = Utf16Map::new(t, 0..=t.len() as u32 + 1);
            for o in 0..=t.len() as u32 + 1 {
                assert_eq!(index.position(t, o), reference(t, o as usize), "offset {o}");
                assert_eq!(all.position(o), reference(t, o as usize), "offset {o}");
                // a map of a few offsets sweeps long stretches at once
                let few = Utf16Map::new(t, [o / 3, o, o + 17]);
                assert_eq!(few.position(o), reference(t, o as usize), "offset {o}");
                assert_eq!(few.position(o / 3), reference(t, (o / 3) as usize));
            }
        }
    }

    #[test]
    fn ascii_newlines_equals_the_separate_passes() {
        // newlines and one non-ASCII byte at every alignment of texts of every length up to 40
        for len in 0..40usize {
            for nl in 0..=len {
                for high in (0..=len).step_by(3) {
                    let mut b: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                    if nl < len {
                        b[nl] = b'\n';
                        if nl + 9 < len {
                            b[nl + 9] = b'\n';
                        }
                    }
                    if high < len && high % 2 == 0 {
                        b[high] = 0x80 | (high as u8);
                    }
                    let want = b.is_ascii().then(|| {
                        (
                            b.iter().filter(|&&c| c == b'\n').count() as u32,
                            b.iter().rposition(|&c| c == b'\n'),
                        )
                    });
                    assert_eq!(ascii_newlines(&b), want, "{b:?}");
                }
            }
        }
    }

    #[test]
    fn emoji_is_two_units_and_round_trips() {
        let text = "a\u{1F600}b";
        let b = text.find('b').unwrap() as u32;
        let map = Utf16Map::new(text, [b]);
        assert_eq!(
            map.position(b),
            Position {
                line: 0,
                column: 3,
                offset: 3
            }
        );
        assert_eq!(byte_offset(text, 3), b);
        // between the surrogates: the emoji's start
        assert_eq!(byte_offset(text, 2), 1);
        assert_eq!(byte_offset(text, 99), text.len() as u32);
        assert_eq!(byte_offset("", 0), 0);
    }

    #[test]
    fn default_index_is_the_empty_text() {
        let idx = Utf16Index::default();
        assert_eq!(idx.position("", 7), Position::default());
        assert_eq!(idx.range("", TextRange::new(3, 9)), Range::default());
    }

    #[test]
    fn empty_and_unsorted_inputs() {
        let map = Utf16Map::new("", [5, 0, 5]);
        assert_eq!(map.position(5), Position::default());
        let map = Utf16Map::new("ab\ncd", [4, 1]);
        assert_eq!(
            map.range(TextRange::new(1, 4)),
            Range {
                start: Position {
                    line: 0,
                    column: 1,
                    offset: 1
                },
                end: Position {
                    line: 1,
                    column: 1,
                    offset: 4
                }
            }
        );
    }
}
