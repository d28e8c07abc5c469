//! The one byte helper the crates above share for their word-at-a-time code (the catalog's name
//! compares, the linter's text scans, the wasm facade's string table).

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

#[cfg(test)]
mod tests {
    use super::word8;

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
