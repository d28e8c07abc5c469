//! The byte helpers the crates above share for their word-at-a-time code (the catalog's name
//! compares, the linter's text scans, the evaluator's and the trace writer's text comparisons).

/// The eight bytes of `s` from `i` as a little-endian word (zero when fewer remain). One 8-byte
/// load: `copy_from_slice` into an array stays a call at the wasm build's opt-level (it was a
/// tenth of linting the largest managed policy in Node), a conversion to `[u8; 8]` does not.
/// Little-endian on every target, because WebAssembly has no byte swap instruction.
#[inline(always)]
pub fn word8(s: &[u8], i: usize) -> u64 {
    s.get(i..i.wrapping_add(8))
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
        .map_or(0, u64::from_le_bytes)
}

/// Whether two byte strings are equal, 8 bytes at a time: in the WebAssembly module a slice's `==`
/// is a `memcmp` that goes byte by byte. The bytes after the last whole word are compared as the
/// last 8 (or, for strings of 4 to 7 bytes, the first and last 4) bytes, overlapping the ones
/// compared before, rather than one by one (a short string's tail loop was most of the trace
/// writer's check of a held string). Used where a prepared request compares texts: the trace
/// writer's held strings, the evaluator's principal memo, its index's `prefix*` items and its
/// account ids.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if word8(a, i) != word8(b, i) {
                return false;
            }
            i += 8;
        }
        return word8(a, n - 8) == word8(b, n - 8);
    }
    if n >= 4 {
        return word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4);
    }
    (0..n).all(|i| a.get(i) == b.get(i))
}

/// [`word8`]'s 4-byte counterpart (0 past the end).
#[inline(always)]
fn word4(s: &[u8], i: usize) -> u32 {
    s.get(i..i.wrapping_add(4))
        .and_then(|c| <[u8; 4]>::try_from(c).ok())
        .map_or(0, u32::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::{same, word8};

    /// `same` is `==` for every pair of lengths up to five words, whichever byte differs.
    #[test]
    fn same_is_equality() {
        let texts: Vec<Vec<u8>> = (0..40)
            .map(|n| (0..n).map(|i| (i * 7 % 251) as u8).collect())
            .collect();
        for a in &texts {
            for b in &texts {
                assert_eq!(same(a, b), a == b);
            }
            for i in 0..a.len() {
                let mut c = a.clone();
                c[i] ^= 1;
                assert!(!same(a, &c), "{i}");
            }
        }
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=text.len() {
            let a = &text[..n];
            assert!(same(a, a), "{n}");
            assert!(!same(a, &text[..n.saturating_sub(1)]) || n == 0, "{n}");
        }
    }

    #[test]
    fn eight_bytes_little_endian_or_zero() {
        let b = b"abcdefghij";
        assert_eq!(word8(b, 0), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(word8(b, 2), u64::from_le_bytes(*b"cdefghij"));
        assert_eq!(word8(b, 3), 0, "fewer than eight bytes remain");
        assert_eq!(word8(b, usize::MAX), 0, "no overflow");
        assert_eq!(word8(b"", 0), 0);
    }
}
