//! # REDUNDANT_RESOURCE
//!
//! Finding type: SUGGESTION
//!
//! An item of a `Resource` (or `NotResource`) list that another item of the same list already
//! covers, such as `arn:aws:iam::111122223333:role/jane-admin` next to
//! `arn:aws:iam::111122223333:role/jane*`, or the same ARN twice. The fix removes the item.
//!
//! ## Why it matters
//! The covered item adds nothing; worse, it suggests that the policy is limited to a fixed list
//! of resources when the wildcard already reaches every future match.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
//!   "Resource": ["arn:aws:iam::111122223333:role/jane*", "arn:aws:iam::111122223333:role/jane-admin"]}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
//!   "Resource": ["arn:aws:iam::111122223333:role/jane-s3only", "arn:aws:iam::111122223333:role/jane-admin"]}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks: "Suggestion – Redundant resource"

use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, remove_list_item_fix};
use crate::{Context, Rule, RuleMeta};

pub struct RedundantResource;

/// Does every string matched by pattern `a` also match pattern `b`? (`*` any run, `?` one
/// character, case-sensitive.) Exact for these patterns: `b`'s `*` may absorb any part of `a`,
/// `b`'s `?` any single non-`*` unit, and a literal only the same literal.
#[cfg(test)]
pub fn covers(b: &str, a: &str) -> bool {
    covers_with(&Item::new(b), &Item::new(a), &mut Vec::new())
}

/// A `Resource` item with the places of its first and last wildcards, found once per item rather
/// than once per pair of items.
struct Item<'a> {
    s: &'a str,
    /// The byte index of the first `*` or `?`, if any.
    first: Option<usize>,
    /// The byte index of the last `*` or `?` (0 when there is none).
    last: usize,
    /// The item has a `?`.
    question: bool,
}

impl<'a> Item<'a> {
    fn new(s: &'a str) -> Item<'a> {
        let wild = |c: &u8| *c == b'*' || *c == b'?';
        let b = s.as_bytes();
        Item {
            s,
            first: b.iter().position(wild),
            last: b.iter().rposition(wild).unwrap_or(0),
            question: b.contains(&b'?'),
        }
    }
}

/// [`covers`] with the dynamic program's rows kept in `rows` between calls.
fn covers_with(b: &Item<'_>, a: &Item<'_>, rows: &mut Vec<bool>) -> bool {
    // Fast paths: a literal covers only itself; the literal prefix of `b` must start `a`.
    let Some(first) = b.first else {
        return a.s == b.s;
    };
    if !a.s.as_bytes().starts_with(&b.s.as_bytes()[..first]) || a.first.is_some_and(|f| f < first) {
        return false;
    }
    if b.s == "*" {
        return true;
    }
    // ... and its literal suffix must end `a`.
    let last = b.last;
    let suffix = &b.s.as_bytes()[last + 1..];
    if !a.s.as_bytes().ends_with(suffix) {
        return false;
    }
    // Each literal run of `b` matches a run of `a`'s characters, the runs in order and between
    // `b`'s literal prefix and suffix: the leftmost place of each after the previous is a
    // necessary condition, found without the dynamic program. When `b`'s only wildcard is `*`
    // (b = prefix * run * ... * suffix), it is also sufficient (the classic greedy match: a `*`
    // absorbs anything, `a`'s wildcards included, and taking each run as early as possible
    // leaves the most room for the next), so the dynamic program runs only for `?`.
    let (ab, end) = (a.s.as_bytes(), a.s.len().saturating_sub(suffix.len()));
    if end < first {
        return false;
    }
    let mut from = first;
    for run in b.s.as_bytes()[first..last]
        .split(|&c| c == b'*' || c == b'?')
        .filter(|r| !r.is_empty())
    {
        match ab[from..end].windows(run.len()).position(|w| w == run) {
            Some(at) => from += at + run.len(),
            None => return false,
        }
    }
    if !b.question {
        return true;
    }
    covers_bytes(b.s.as_bytes(), ab, rows)
}

/// The dynamic program of [`covers`] on bytes (`*`, `?` and the delimiters are ASCII, so
/// comparing bytes of UTF-8 text is exact); two rows, reused.
fn covers_bytes(b: &[u8], a: &[u8], rows: &mut Vec<bool>) -> bool {
    rows.clear();
    rows.resize(2 * (a.len() + 1), false);
    let (mut dp, mut next) = rows.split_at_mut(a.len() + 1);
    dp[0] = true;
    for &bc in b {
        next.iter_mut().for_each(|x| *x = false);
        match bc {
            b'*' => {
                let mut any = false;
                for j in 0..=a.len() {
                    any |= dp[j];
                    next[j] = any;
                }
            }
            b'?' => {
                // `?` is one character: skip UTF-8 continuation bytes of `a`.
                for j in 1..=a.len() {
                    if dp[j - 1] && a[j - 1] != b'*' && (a[j - 1] & 0xC0) != 0x80 {
                        let mut k = j;
                        while k < a.len() && (a[k] & 0xC0) == 0x80 {
                            k += 1;
                        }
                        next[k] = true;
                    }
                }
            }
            c => {
                for j in 1..=a.len() {
                    next[j] = dp[j - 1] && a[j - 1] == c;
                }
            }
        }
        std::mem::swap(&mut dp, &mut next);
        if !dp.iter().any(|x| *x) {
            return false;
        }
    }
    dp[a.len()]
}

impl Rule for RedundantResource {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("REDUNDANT_RESOURCE", FindingType::Suggestion)],
            summary: "A Resource item already covered by another item of the list",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for st in &cx.policy.statements {
            let Some(r) = &st.resource else { continue };
            let n = r.items.len();
            if !(2..=500).contains(&n) {
                continue;
            }
            let mut redundant = vec![false; n];
            let variable: Vec<bool> = r
                .items
                .iter()
                .map(|i| crate::facts::has_variable(&i.value))
                .collect();
            let items: Vec<Item<'_>> = r.items.iter().map(|i| Item::new(&i.value)).collect();
            let mut rows = Vec::new();
            for i in 0..n {
                let a = r.items[i].value.as_str();
                if variable[i] {
                    continue;
                }
                let by = (0..n).find(|&j| {
                    j != i
                        && !redundant[j]
                        && !variable[j]
                        && covers_with(&items[j], &items[i], &mut rows)
                        // of two equal items, keep the first
                        && (r.items[j].value != a || j < i)
                });
                let Some(j) = by else { continue };
                redundant[i] = true;
                let item = &r.items[i];
                let mut d = diag(
                    "REDUNDANT_RESOURCE",
                    FindingType::Suggestion,
                    format!(
                        "{} is redundant: {} already covers it",
                        item.value, r.items[j].value
                    ),
                    item.range,
                    r.item_pointer(&st.pointer, i),
                )
                .with_related(r.items[j].range, "the covering resource");
                if let Some(f) =
                    remove_list_item_fix(cx.text, r, i, format!("Remove {}", item.value))
                {
                    d = d.with_fix(f);
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn subsumption() {
        assert!(covers(
            "arn:aws:iam::1:role/jane*",
            "arn:aws:iam::1:role/jane-admin"
        ));
        assert!(covers(
            "arn:aws:iam::1:role/jane*",
            "arn:aws:iam::1:role/jane-*"
        ));
        assert!(!covers(
            "arn:aws:iam::1:role/jane-*",
            "arn:aws:iam::1:role/jane*"
        ));
        assert!(covers("*", "anything*"));
        assert!(covers("a?c", "abc"));
        assert!(!covers("a?c", "a*c"));
        assert!(covers("a*c", "a?c"));
        assert!(!covers("abc", "abd"));
        assert!(!covers("a*xy*z", "ayx*z"));
        assert!(covers("a*xy*z", "a-xy-z"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        /// The fast paths (and the greedy answer for patterns whose only wildcard is `*`) agree
        /// with the dynamic program.
        #[test]
        fn fast_paths_agree_with_the_dynamic_program(b in "[ab*?/é]{0,9}", a in "[ab*?/é]{0,9}") {
            let plain = super::covers_bytes(b.as_bytes(), a.as_bytes(), &mut Vec::new());
            proptest::prop_assert_eq!(covers(&b, &a), plain, "{} {}", b, a);
        }
    }
}
