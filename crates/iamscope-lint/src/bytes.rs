//! Byte scans over policy text, eight bytes at a time ("SIMD within a register" on `u64`).
//!
//! The whole-text scans of the rules (the size count, "could there be a policy variable?") are a
//! large part of linting a long policy, and in WebAssembly, where the standard library's substring
//! search and `memchr` have no vector code, a plain byte loop is several times slower than
//! natively. These word-at-a-time versions are exact (no false positives) and are checked
//! against the plain byte loops by property tests.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// Eight bytes starting at `i` (zero when fewer remain), the syntax crate's one 8-byte load.
pub(crate) use iamscope_syntax::bytes::word8 as word;

/// The high bit of each byte of `w` that is zero, and no other bit (exact: no borrow between
/// bytes).
#[inline(always)]
pub(crate) fn zero_bytes(w: u64) -> u64 {
    !(((w & LOW7).wrapping_add(LOW7)) | w) & HI
}

/// The high bit of each byte of `w` equal to `c`.
#[inline(always)]
pub(crate) fn eq_bytes(w: u64, c: u8) -> u64 {
    zero_bytes(w ^ (LO * c as u64))
}

/// The high bit of each UTF-8 continuation byte (`10xxxxxx`) of `w`.
#[inline(always)]
pub(crate) fn continuation_bytes(w: u64) -> u64 {
    w & !(w << 1) & HI
}

/// The index of the first byte of `b` equal to `x` or `y`.
pub(crate) fn find2(b: &[u8], x: u8, y: u8) -> Option<usize> {
    let mut i = 0;
    while i + 8 <= b.len() {
        let w = word(b, i);
        let m = eq_bytes(w, x) | eq_bytes(w, y);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..].iter().position(|&c| c == x || c == y).map(|k| i + k)
}

/// Does `s` contain `${` (the start of a policy variable)?
#[inline]
pub(crate) fn has_dollar_brace(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(k) = find2(&b[i..], b'$', b'$') {
        let p = i + k;
        if b.get(p + 1) == Some(&b'{') {
            return true;
        }
        i = p + 1;
    }
    false
}

/// Does `s` contain `$` or `\u`? (The text of a policy that may hold a policy variable, spelt
/// out or escaped.)
pub(crate) fn has_dollar_or_unicode_escape(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(k) = find2(&b[i..], b'$', b'\\') {
        let p = i + k;
        if b[p] == b'$' || b.get(p + 1) == Some(&b'u') {
            return true;
        }
        i = p + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        let w = u64::from_le_bytes(*b"a\0$\x80\xc3\xa9 $");
        assert_eq!(zero_bytes(w), 0x80 << 8);
        assert_eq!(eq_bytes(w, b'$'), (0x80 << 16) | (0x80 << 56));
        assert_eq!(continuation_bytes(w), (0x80 << 24) | (0x80 << 40));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn scans_agree_with_plain_search(t in "[a$\\\\u{}\u{e9}\u{1F600}\0\u{80}]{0,40}") {
            proptest::prop_assert_eq!(has_dollar_brace(&t), t.contains("${"));
            proptest::prop_assert_eq!(
                has_dollar_or_unicode_escape(&t),
                t.contains('$') || t.contains("\\u")
            );
            let b = t.as_bytes();
            for (x, y) in [(b'$', b'\\'), (b'u', b'{'), (0u8, 0x80u8), (0xe9, b'a')] {
                proptest::prop_assert_eq!(find2(b, x, y), b.iter().position(|&c| c == x || c == y));
            }
        }
    }
}
