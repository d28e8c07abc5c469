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

/// For an `Action` item: `None` when `b` has no `:`, else whether a `*` or `?` comes before its
/// first `:` (a wildcard in the service prefix). Eight bytes at a time: every item of a long list
/// is checked, and the byte loop was a tenth of linting the largest managed policy.
pub(crate) fn wildcard_before_colon(b: &[u8]) -> Option<bool> {
    let mut i = 0;
    while i + 8 <= b.len() {
        let w = word(b, i);
        let colon = eq_bytes(w, b':');
        let wild = eq_bytes(w, b'*') | eq_bytes(w, b'?');
        if colon != 0 {
            // the bits below the first colon's: the earlier bytes of this word
            return Some(wild & ((colon & colon.wrapping_neg()) - 1) != 0);
        }
        if wild != 0 {
            return find2(&b[i + 8..], b':', b':').map(|_| true);
        }
        i += 8;
    }
    let mut wild = false;
    b[i..].iter().position(|&c| {
        wild |= c == b'*' || c == b'?';
        c == b':'
    })?;
    Some(wild)
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

/// A multiply-rotate hasher (the scheme of rustc's FxHash) for the linter's own maps and
/// fingerprints whose keys are catalog data (action ids, ARN formats) or whose collisions cost
/// only time because the keys are compared again exactly: several times cheaper than the standard
/// SipHash, which was 4% of a whole-corpus lint, mostly in hashing statements' action ids.
/// Not for keys an author writes freely (Sids, condition keys): those keep the keyed default.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

impl FastHasher {
    #[inline(always)]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i + 8 <= bytes.len() {
            self.add(word(bytes, i));
            i += 8;
        }
        if i < bytes.len() {
            // The last bytes, zero-padded (`str` and slices also hash a terminator or their
            // length, so padding makes no two keys equal).
            let tail = bytes[i..]
                .iter()
                .rev()
                .fold(0u64, |w, &c| (w << 8) | u64::from(c));
            self.add(tail);
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The product's high bits mix every input bit; hash tables take their bucket from the
        // low bits, so those move down.
        self.0.rotate_left(26)
    }
}

/// Every `.json` file under `dir` (relative to the repository's root), with its text, for tests
/// that compare a fast path with its oracle over the corpus and the fixtures.
#[cfg(test)]
pub(crate) fn json_texts_under(dir: &str) -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stack = vec![root.join(dir)];
    let mut found = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&p).unwrap();
                found.push((p, text));
            }
        }
    }
    found
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

    /// The byte loop [`wildcard_before_colon`] replaced (its oracle).
    fn wildcard_before_colon_plain(b: &[u8]) -> Option<bool> {
        let mut wild = false;
        b.iter().position(|&c| {
            wild |= c == b'*' || c == b'?';
            c == b':'
        })?;
        Some(wild)
    }

    #[test]
    fn wildcard_before_colon_at_every_offset() {
        // each special byte (and pairs of them) at every offset of a 20-byte item
        for n in 0..20 {
            for i in 0..n {
                for j in 0..n {
                    for (x, y) in [
                        (b':', b'*'),
                        (b'*', b':'),
                        (b'?', b':'),
                        (b':', b':'),
                        (b'*', b'?'),
                    ] {
                        let mut b = vec![b'a'; n];
                        b[i] = x;
                        b[j] = y;
                        assert_eq!(
                            wildcard_before_colon(&b),
                            wildcard_before_colon_plain(&b),
                            "{b:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(wildcard_before_colon(b"s3:GetObject"), Some(false));
        assert_eq!(wildcard_before_colon(b"ec2*:Describe*"), Some(true));
        assert_eq!(wildcard_before_colon(b"access-analyzer*"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn scans_agree_with_plain_search(t in "[a$\\\\u{}:*?\u{e9}\u{1F600}\0\u{80}]{0,40}") {
            proptest::prop_assert_eq!(has_dollar_brace(&t), t.contains("${"));
            proptest::prop_assert_eq!(
                has_dollar_or_unicode_escape(&t),
                t.contains('$') || t.contains("\\u")
            );
            let b = t.as_bytes();
            proptest::prop_assert_eq!(wildcard_before_colon(b), wildcard_before_colon_plain(b));
            for (x, y) in [(b'$', b'\\'), (b'u', b'{'), (0u8, 0x80u8), (0xe9, b'a')] {
                proptest::prop_assert_eq!(find2(b, x, y), b.iter().position(|&c| c == x || c == y));
            }
        }
    }

    /// The parser's answer ([`iamscope_policy::ParsedPolicy::dollar_or_unicode_escape`], which
    /// `lint` passes on instead of scanning the text) equals this scan on every corpus policy and
    /// fixture that parses.
    #[test]
    fn parser_dollar_or_escape_agrees_with_the_scan() {
        let (mut seen, mut yes) = (0, 0);
        for (p, text) in super::json_texts_under("tests") {
            let parsed = iamscope_policy::parse_policy(&text);
            if parsed.policy.is_some() {
                let want = has_dollar_or_unicode_escape(&text);
                assert_eq!(parsed.dollar_or_unicode_escape, want, "{}", p.display());
                assert_eq!(parsed.text_is_ascii, text.is_ascii(), "{}", p.display());
                seen += 1;
                yes += usize::from(want);
            }
        }
        assert!(seen > 1000 && yes > 10, "{seen} {yes}");
    }

    #[test]
    fn fast_hasher_is_a_function_of_its_input_and_spreads_ids() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let b = BuildHasherDefault::<super::FastHasher>::default();
        let ids: Vec<u32> = (0..3000).collect();
        assert_eq!(b.hash_one(&ids[..]), b.hash_one(&ids.clone()[..]));
        assert_ne!(b.hash_one(&ids[..]), b.hash_one(&ids[1..]));
        assert_ne!(b.hash_one("arn:aws:s3:::a"), b.hash_one("arn:aws:s3:::b"));
        assert_eq!(
            b.hash_one("arn:aws:s3:::a"),
            b.hash_one(String::from("arn:aws:s3:::a"))
        );
        // Distinct ids land in many buckets of a small table (the low bits vary).
        let mut buckets: Vec<u64> = ids.iter().map(|i| b.hash_one(i) & 63).collect();
        buckets.sort_unstable();
        buckets.dedup();
        assert_eq!(buckets.len(), 64);
    }
}
