//! IAM wildcard patterns: `*` matches any run of characters (including none), `?` matches exactly
//! one character. Used for actions (case-insensitive), resource ARNs and `StringLike`/`ArnLike`
//! values (case-sensitive).
//!
//! Matching never backtracks: the pattern is split at its stars into fixed-length segments; the
//! first is anchored at the start, the last at the end, and each middle one is placed at its
//! leftmost match after the previous one (leftmost placement is always safe because later segments
//! only get more room). The cost is O(n * k) for a text of n characters and a longest segment of k,
//! so `*a*a*a*...*b` against `aaaa...` is linear.

/// One unit of a segment: a literal character or `?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Char(char),
    AnyChar,
}

/// A piece of a pattern before compilation: a literal text (where `*` and `?` are literal), one
/// `*`, or one `?`. Policy-variable substitution produces literals, so `${*}` means a literal star.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    Literal(&'a str),
    Star,
    Question,
}

/// A compiled wildcard pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Star-free segments; there are `segments.len() - 1` stars between them.
    segments: Vec<Vec<Unit>>,
    ignore_case: bool,
}

impl Pattern {
    /// Compiles `pattern`, where every `*` and `?` is a wildcard.
    pub fn new(pattern: &str, ignore_case: bool) -> Pattern {
        let mut segments = vec![Vec::new()];
        for c in pattern.chars() {
            match c {
                '*' => segments.push(Vec::new()),
                '?' => segments.last_mut().expect("non-empty").push(Unit::AnyChar),
                c => segments
                    .last_mut()
                    .expect("non-empty")
                    .push(Unit::Char(fold(c, ignore_case))),
            }
        }
        Pattern {
            segments,
            ignore_case,
        }
    }

    /// Compiles a sequence of tokens (literal text is matched literally).
    pub fn from_tokens(tokens: &[Token<'_>], ignore_case: bool) -> Pattern {
        let mut segments = vec![Vec::new()];
        for t in tokens {
            match t {
                Token::Star => segments.push(Vec::new()),
                Token::Question => segments.last_mut().expect("non-empty").push(Unit::AnyChar),
                Token::Literal(s) => {
                    let seg = segments.last_mut().expect("non-empty");
                    seg.extend(s.chars().map(|c| Unit::Char(fold(c, ignore_case))));
                }
            }
        }
        Pattern {
            segments,
            ignore_case,
        }
    }

    /// True when the pattern has no `*` and no `?`.
    pub fn is_literal(&self) -> bool {
        self.segments.len() == 1 && self.segments[0].iter().all(|u| matches!(u, Unit::Char(_)))
    }

    /// True when the pattern is exactly `*`.
    pub fn is_match_all(&self) -> bool {
        self.segments.len() == 2 && self.segments.iter().all(|s| s.is_empty())
    }

    /// The literal prefix before the first wildcard (folded to lower case when case-insensitive).
    pub fn literal_prefix(&self) -> String {
        self.segments[0]
            .iter()
            .map_while(|u| match u {
                Unit::Char(c) => Some(*c),
                Unit::AnyChar => None,
            })
            .collect()
    }

    pub fn ignore_case(&self) -> bool {
        self.ignore_case
    }

    /// Does the pattern match all of `text`?
    pub fn matches(&self, text: &str) -> bool {
        if text.is_ascii() {
            let units: &[u8] = text.as_bytes();
            self.match_units(units.len(), |i| units[i] as char)
        } else {
            let chars: Vec<char> = text.chars().collect();
            self.match_units(chars.len(), |i| chars[i])
        }
    }

    fn match_units(&self, n: usize, at: impl Fn(usize) -> char) -> bool {
        let ic = self.ignore_case;
        let seg_at = |seg: &[Unit], pos: usize| -> bool {
            seg.iter().enumerate().all(|(j, u)| match u {
                Unit::AnyChar => true,
                Unit::Char(c) => fold(at(pos + j), ic) == *c,
            })
        };
        let segs = &self.segments;
        if segs.len() == 1 {
            return segs[0].len() == n && seg_at(&segs[0], 0);
        }
        let first = &segs[0];
        let last = &segs[segs.len() - 1];
        if first.len() + last.len() > n || !seg_at(first, 0) || !seg_at(last, n - last.len()) {
            return false;
        }
        let mut pos = first.len();
        let end = n - last.len();
        for seg in &segs[1..segs.len() - 1] {
            if seg.is_empty() {
                continue;
            }
            let mut found = None;
            let mut p = pos;
            while p + seg.len() <= end {
                if seg_at(seg, p) {
                    found = Some(p);
                    break;
                }
                p += 1;
            }
            match found {
                Some(p) => pos = p + seg.len(),
                None => return false,
            }
        }
        true
    }
}

fn fold(c: char, ignore_case: bool) -> char {
    if ignore_case {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

/// One-shot match of a wildcard pattern against a text.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if !pattern.contains(['*', '?']) {
        return if ignore_case {
            pattern.eq_ignore_ascii_case(text)
        } else {
            pattern == text
        };
    }
    Pattern::new(pattern, ignore_case).matches(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        wildcard_match(p, t, false)
    }

    #[test]
    fn basics() {
        assert!(m("*", ""));
        assert!(m("*", "anything"));
        assert!(m("a*", "a"));
        assert!(m("a*c", "abc"));
        assert!(m("a*c", "ac"));
        assert!(!m("a*c", "ab"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*a*b*c*", "xxaxxbxxcxx"));
        assert!(!m("*a*b*c*", "xxcxxbxxaxx"));
        assert!(m(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/key/with/slashes"
        ));
        assert!(!m("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(!m("ab*ba", "aba"));
        assert!(m("ab*ba", "abba"));
        assert!(m("?\u{e9}*", "x\u{e9}y"));
        assert!(m("??", "\u{1F600}\u{e9}"));
        assert!(!m("a", "A"));
        assert!(wildcard_match("S3:get*", "s3:GetObject", true));
        assert!(!wildcard_match("s3:get*", "s3:ListBucket", true));
    }

    #[test]
    fn literal_tokens() {
        let p = Pattern::from_tokens(&[Token::Literal("a*b"), Token::Star], false);
        assert!(p.matches("a*bxyz"));
        assert!(!p.matches("axbxyz"));
    }

    #[test]
    fn pathological_is_fast() {
        let pat = format!("{}b", "*a".repeat(5000));
        let text = "a".repeat(100_000);
        assert!(!m(&pat, &text));
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_a_reference_matcher(p in "[ab*?]{0,8}", t in "[ab]{0,10}") {
            proptest::prop_assert_eq!(m(&p, &t), reference(p.as_bytes(), t.as_bytes()));
        }
    }

    fn reference(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (None, Some(_)) => false,
            (Some(b'*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
            (Some(b'?'), Some(_)) => reference(&p[1..], &t[1..]),
            (Some(c), Some(d)) => c == d && reference(&p[1..], &t[1..]),
            (Some(_), None) => false,
        }
    }
}
