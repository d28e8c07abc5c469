//! "Did you mean" ranking: case-insensitive edit distance (with adjacent transpositions counted as
//! one edit), plus prefix matches for names typed halfway.

/// The most suggestions returned.
pub const MAX_SUGGESTIONS: usize = 5;

/// Optimal string alignment distance between ASCII-lowercased `a` and `b`, or `None` when it is
/// above `limit` (computed cheaply: the length difference alone can exceed it, and then nothing
/// is computed at all).
///
/// A suggestion scores every name of the catalog against what was typed (some thousand condition
/// keys for one unknown key), so this is the inner loop of every "did you mean". Only the cells
/// within `limit` of the diagonal are computed (a cell further off is more than `limit` edits
/// away, so it reads as `limit + 1`, which changes no answer: the recurrence only adds and takes
/// minimums), names of up to 64 bytes are lowercased and their three rows kept on the stack (this
/// used to allocate five vectors per candidate), and a row whose every cell is above the limit
/// ends it. Equal to the allocating full-table definition, which the tests keep as their oracle.
pub fn distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    const SHORT: usize = 64;
    fn lower<'x>(s: &str, buf: &'x mut [u8; SHORT], heap: &'x mut Vec<u8>) -> &'x [u8] {
        if s.len() <= SHORT {
            for (d, c) in buf.iter_mut().zip(s.bytes()) {
                *d = c.to_ascii_lowercase();
            }
            &buf[..s.len()]
        } else {
            *heap = s.as_bytes().to_ascii_lowercase();
            heap
        }
    }
    let (mut abuf, mut bbuf) = ([0u8; SHORT], [0u8; SHORT]);
    let (mut aheap, mut bheap) = (Vec::new(), Vec::new());
    let a = lower(a, &mut abuf, &mut aheap);
    let b = lower(b, &mut bbuf, &mut bheap);
    let (n, cap) = (b.len(), limit.saturating_add(1));
    let w = n + 1;
    let mut stack = [0usize; 3 * (SHORT + 1)];
    let mut heap = Vec::new();
    let rows: &mut [usize] = if 3 * w <= stack.len() {
        &mut stack[..3 * w]
    } else {
        heap.resize(3 * w, 0);
        &mut heap
    };
    let (mut prev2, rest) = rows.split_at_mut(w);
    let (mut prev, mut cur) = rest.split_at_mut(w);
    for (j, x) in prev.iter_mut().enumerate() {
        *x = j.min(cap);
    }
    for i in 1..=a.len() {
        // The band of row i; the cells either side of it that the next rows read hold `cap`.
        let lo = i.saturating_sub(limit).max(1);
        let hi = i.saturating_add(limit).min(n);
        cur[0] = i.min(cap);
        cur[lo - 1] = if lo > 1 { cap } else { cur[0] };
        let mut row_min = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            d = d.min(cap);
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if hi < n {
            cur[hi + 1] = cap;
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[n];
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

    /// The allocating definition `distance` replaced (session 7), kept as its oracle.
    fn distance_reference(a: &str, b: &str, limit: usize) -> Option<usize> {
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

    /// Every pair of strings of up to four letters over an alphabet with case pairs (so
    /// transpositions, case folding and the row cut-off all occur), for every limit up to 5.
    #[test]
    fn distance_equals_the_allocating_definition_exhaustively() {
        let alphabet = ["a", "B", "b", "-"];
        let mut words = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            let next: Vec<String> = last
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(next.iter().cloned());
            last = next;
        }
        for a in &words {
            for b in &words {
                for limit in 0..=5 {
                    assert_eq!(
                        distance(a, b, limit),
                        distance_reference(a, b, limit),
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Longer strings too, across the 64-byte boundary of the rows kept on the stack, and
        /// non-ASCII text (compared by bytes in both).
        #[test]
        fn distance_equals_the_allocating_definition(
            a in "[a-dA-D:/é]{0,80}",
            b in "[a-dA-D:/é]{0,80}",
            limit in 0usize..8,
        ) {
            proptest::prop_assert_eq!(distance(&a, &b, limit), distance_reference(&a, &b, limit));
        }

        /// Near pairs (one string an edit or two of the other), where the distance is in range.
        #[test]
        fn distance_equals_the_allocating_definition_near(
            a in "[a-cA-C]{0,70}",
            at in 0usize..70,
            insert in "[a-cA-C]{0,2}",
            limit in 0usize..6,
        ) {
            let cut = at.min(a.len());
            let b = format!("{}{insert}{}", &a[..cut], &a[(cut + 1).min(a.len())..]);
            proptest::prop_assert_eq!(distance(&a, &b, limit), distance_reference(&a, &b, limit));
        }
    }

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
