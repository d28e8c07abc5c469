//! "Did you mean" ranking: case-insensitive edit distance (with adjacent transpositions counted as
//! one edit), plus prefix matches for names typed halfway.

/// The most suggestions returned.
pub const MAX_SUGGESTIONS: usize = 5;

/// Optimal string alignment distance between ASCII-lowercased `a` and `b`, or `None` when it is
/// above `limit` (computed cheaply: the length difference alone can exceed it).
pub fn distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

/// How many edits a name of this length may be away from a suggestion.
pub fn limit_for(name: &str) -> usize {
    match name.len() {
        0..=3 => 1,
        4..=8 => 2,
        9..=16 => 3,
        _ => 4,
    }
}

/// Collects ranked candidates: `(score, text)` with lower scores first, deduplicated, at most
/// [`MAX_SUGGESTIONS`].
#[derive(Default)]
pub struct Ranked {
    items: Vec<(usize, String)>,
}

impl Ranked {
    pub fn push(&mut self, score: usize, text: String) {
        self.items.push((score, text));
    }

    /// Scores `candidate` against `typed` and keeps it when close: an exact case-insensitive match
    /// scores 0, a candidate that starts with what was typed scores by the missing length, else
    /// the edit distance.
    pub fn consider(&mut self, typed: &str, candidate: &str, display: impl FnOnce() -> String) {
        if typed.eq_ignore_ascii_case(candidate) {
            self.push(0, display());
        } else if let Some(d) = distance(typed, candidate, limit_for(typed)) {
            self.push(d * 2, display());
        } else if typed.len() >= 3
            && candidate.len() > typed.len()
            && candidate.as_bytes()[..typed.len()].eq_ignore_ascii_case(typed.as_bytes())
        {
            self.push(
                2 * limit_for(typed) + 1 + (candidate.len() - typed.len()).min(20),
                display(),
            );
        }
    }

    pub fn finish(mut self) -> Vec<String> {
        iamscope_syntax::sort::sort(&mut self.items);
        let mut out: Vec<String> = Vec::new();
        for (_, s) in self.items {
            if !out.contains(&s) {
                out.push(s);
            }
            if out.len() == MAX_SUGGESTIONS {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("GetObject", "getobject", 2), Some(0));
        assert_eq!(distance("GetObjcet", "GetObject", 2), Some(1));
        assert_eq!(distance("GetObjet", "GetObject", 2), Some(1));
        assert_eq!(distance("PutObject", "GetObject", 2), Some(2));
        assert_eq!(distance("PutObject", "GetObject", 1), None);
        assert_eq!(distance("abc", "abcdefgh", 2), None);
        assert_eq!(distance("", "ab", 2), Some(2));
    }
}
