use serde::{Deserialize, Serialize};

/// A position in the text: zero-based line, and the column counted in UTF-8 bytes and in UTF-16 code
/// units (the unit of JavaScript strings, LSP, VS Code and CodeMirror).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCol {
    /// Zero-based line number.
    pub line: u32,
    /// Zero-based column in UTF-8 bytes.
    pub col_utf8: u32,
    /// Zero-based column in UTF-16 code units.
    pub col_utf16: u32,
}

/// Converts byte offsets to line/column and UTF-16 offsets. Lines end at `\n`; a `\r` before it
/// belongs to the line ending. Building it is one pass over the text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    line_starts: Vec<u32>,
    /// For each line, whether it is pure ASCII (then UTF-16 column == byte column).
    ascii_lines: Vec<bool>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0u32];
        let mut ascii_lines = Vec::new();
        let mut ascii = true;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
                ascii_lines.push(ascii);
                ascii = true;
            } else if b >= 0x80 {
                ascii = false;
            }
        }
        ascii_lines.push(ascii);
        LineIndex {
            line_starts,
            ascii_lines,
            len: bytes.len() as u32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where line `line` (zero-based) starts, if it exists.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts.get(line as usize).copied()
    }

    /// The line (zero-based) that contains `offset`. Offsets past the end map to the last line.
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32,
            Err(i) => (i - 1) as u32,
        }
    }

    /// Line and columns of a byte offset. `text` must be the text the index was built from. An offset
    /// inside a multi-byte character is rounded down to the character start.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize];
        let mut col_utf8 = offset - start;
        let col_utf16 = if self.ascii_lines[line as usize] {
            col_utf8
        } else {
            let mut end = offset as usize;
            while end > start as usize && !text.is_char_boundary(end) {
                end -= 1;
            }
            col_utf8 = end as u32 - start;
            text[start as usize..end]
                .chars()
                .map(|c| c.len_utf16() as u32)
                .sum()
        };
        LineCol {
            line,
            col_utf8,
            col_utf16,
        }
    }

    /// The offset in UTF-16 code units from the start of the text.
    pub fn utf16_offset(&self, text: &str, offset: u32) -> u32 {
        let lc = self.line_col(text, offset);
        let mut total = 0u32;
        for l in 0..lc.line as usize {
            let s = self.line_starts[l] as usize;
            let e = self.line_starts[l + 1] as usize;
            total += if self.ascii_lines[l] {
                (e - s) as u32
            } else {
                text[s..e].chars().map(|c| c.len_utf16() as u32).sum()
            };
        }
        total + lc.col_utf16
    }

    /// The byte offset of a (line, UTF-16 column) position, clamped to the line. The inverse of
    /// [`line_col`](Self::line_col) for editors that speak UTF-16.
    pub fn offset_of_utf16(&self, text: &str, line: u32, col_utf16: u32) -> u32 {
        let Some(&start) = self.line_starts.get(line as usize) else {
            return self.len;
        };
        let end = self
            .line_starts
            .get(line as usize + 1)
            .copied()
            .unwrap_or(self.len);
        let mut units = 0u32;
        for (i, c) in text[start as usize..end as usize].char_indices() {
            if units >= col_utf16 || c == '\n' {
                return start + i as u32;
            }
            units += c.len_utf16() as u32;
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_multibyte_columns() {
        let text = "ab\n\u{e9}x\u{1F600}y\r\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(
            idx.line_col(text, 1),
            LineCol {
                line: 0,
                col_utf8: 1,
                col_utf16: 1
            }
        );
        // 'x' after é (2 bytes)
        let x = text.find('x').unwrap() as u32;
        assert_eq!(
            idx.line_col(text, x),
            LineCol {
                line: 1,
                col_utf8: 2,
                col_utf16: 1
            }
        );
        // 'y' after the emoji (4 bytes, 2 UTF-16 units)
        let y = text.find('y').unwrap() as u32;
        assert_eq!(
            idx.line_col(text, y),
            LineCol {
                line: 1,
                col_utf8: 7,
                col_utf16: 4
            }
        );
        let z = text.find('z').unwrap() as u32;
        assert_eq!(
            idx.line_col(text, z),
            LineCol {
                line: 2,
                col_utf8: 0,
                col_utf16: 0
            }
        );
        // UTF-16 offset of z: "ab\n" = 3, "éx😀y\r\n" = 1+1+2+1+2 = 7
        assert_eq!(idx.utf16_offset(text, z), 10);
        assert_eq!(idx.offset_of_utf16(text, 1, 4), y);
        // inside the emoji rounds down
        assert_eq!(idx.line_col(text, y - 1).col_utf16, 2);
    }

    #[test]
    fn offsets_past_end_clamp() {
        let text = "a\nb";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.line_col(text, 99),
            LineCol {
                line: 1,
                col_utf8: 1,
                col_utf16: 1
            }
        );
    }
}
