//! Allocation-free wildcard matching on ASCII text (`*` any run, `?` one character), used on the
//! hot path for actions and ARN fields. Non-ASCII input falls back to
//! [`iamscope_policy::wildcard::Pattern`], which counts characters. Both never backtrack: the
//! pattern is split at its stars, the first piece anchored at the start, the last at the end, and
//! each middle piece placed at its leftmost match (O(n * k) for a text of n bytes and a longest
//! piece of k).

use iamscope_policy::wildcard::Pattern;

#[inline]
fn byte_eq(p: u8, t: u8, icase: bool) -> bool {
    p == b'?' || p == t || (icase && p.eq_ignore_ascii_case(&t))
}

#[inline]
fn piece_at(piece: &[u8], text: &[u8], icase: bool) -> bool {
    piece.len() == text.len() && piece.iter().zip(text).all(|(&p, &t)| byte_eq(p, t, icase))
}

/// Does `pattern` match all of `text`? `icase` folds ASCII case.
pub(crate) fn glob(pattern: &str, text: &str, icase: bool) -> bool {
    // The commonest wildcard, `prefix*` (`s3:Get*`, `ec2:Describe*`): a prefix comparison, for
    // any text (a byte prefix that is whole UTF-8 is a character prefix).
    if !icase
        && let Some(head) = pattern.strip_suffix('*')
        && !head.bytes().any(|b| b == b'*' || b == b'?')
    {
        return text.starts_with(head);
    }
    if !pattern.is_ascii() || !text.is_ascii() {
        return Pattern::new(pattern, icase).matches(text);
    }
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let Some(first_star) = p.iter().position(|&b| b == b'*') else {
        return piece_at(p, t, icase);
    };
    let last_star = p.iter().rposition(|&b| b == b'*').unwrap_or(first_star);
    let (head, tail) = (&p[..first_star], &p[last_star + 1..]);
    if head.len() + tail.len() > t.len()
        || !piece_at(head, &t[..head.len()], icase)
        || !piece_at(tail, &t[t.len() - tail.len()..], icase)
    {
        return false;
    }
    let mut pos = head.len();
    let end = t.len() - tail.len();
    for piece in p[first_star + 1..last_star.max(first_star + 1)].split(|&b| b == b'*') {
        if piece.is_empty() {
            continue;
        }
        let mut found = None;
        let mut i = pos;
        while i + piece.len() <= end {
            if piece_at(piece, &t[i..i + piece.len()], icase) {
                found = Some(i);
                break;
            }
            i += 1;
        }
        match found {
            Some(i) => pos = i + piece.len(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basics() {
        assert!(glob("*", "", false));
        assert!(glob("a*c", "abc", false));
        assert!(glob("a*c", "ac", false));
        assert!(!glob("a*c", "ab", false));
        assert!(glob("a?c", "abc", false));
        assert!(glob("*a*b*c*", "xxaxxbxxcxx", false));
        assert!(!glob("*a*b*c*", "xxcxxbxxaxx", false));
        assert!(!glob("ab*ba", "aba", false));
        assert!(glob("ab*ba", "abba", false));
        assert!(glob("S3:get*", "s3:GetObject", true));
        assert!(!glob("S3:get*", "s3:GetObject", false));
        assert!(glob("?\u{e9}*", "x\u{e9}y", false));
        assert!(glob("s3:get*", "s3:getobject", false));
        assert!(glob("s3:get*", "s3:get", false));
        assert!(!glob("s3:get*", "s3:ge", false));
        assert!(!glob("s3:get*", "s3:Getobject", false));
        assert!(glob("caf\u{e9}*", "caf\u{e9}\u{e9}", false));
        assert!(!glob("caf\u{e9}*", "cafe", false));
        let pat = format!("{}b", "*a".repeat(5000));
        assert!(!glob(&pat, &"a".repeat(100_000), false));
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_pattern(p in "[aAb\u{e9}*?]{0,8}", t in "[aAb\u{e9}]{0,10}", icase in proptest::bool::ANY) {
            proptest::prop_assert_eq!(glob(&p, &t, icase), Pattern::new(&p, icase).matches(&t));
        }
    }
}
