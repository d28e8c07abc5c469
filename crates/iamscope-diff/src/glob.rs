//! Wildcard patterns as small automata, and a solver that finds a string matching some patterns
//! and none of others (or proves there is none).
//!
//! ARN patterns are matched field by field (the first five colons split an ARN into partition,
//! service, region, account and resource; reference_policies_elements_resource.md, "Using
//! wildcards in resource ARNs"). For a pattern with six fields that is the same as matching the
//! whole string where `*` and `?` in the first five fields cannot match a colon, which is how
//! [`Glob::arn`] encodes it, so one product automaton handles every ARN pattern.
//!
//! Characters that appear in no literal of the patterns behave alike (every wildcard class accepts
//! them), so the solver explores the literal characters plus `:`, `/` and one fresh character:
//! when the search space is exhausted the answer "no such string" is exact.

use std::collections::{HashMap, VecDeque};

/// Which characters a wildcard may match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    Any,
    /// Inside one of the first five ARN fields.
    NoColon,
    /// Inside one ARN resource segment (a `${BucketName}` placeholder).
    Segment,
}

impl Class {
    fn allows(self, c: char) -> bool {
        match self {
            Class::Any => true,
            Class::NoColon => c != ':',
            Class::Segment => c != ':' && c != '/',
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Tok {
    Lit(char),
    One(Class),
    Star(Class),
}

/// A compiled pattern. `exact` is false when the pattern only approximates what the evaluator
/// matches (a policy variable stood in for by `*`, a short ARN pattern).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Glob {
    toks: Vec<Tok>,
    pub exact: bool,
}

/// The outcome of a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Solved {
    Found(String),
    /// No string satisfies the constraints (exact).
    Unsat,
    /// The search stopped at its state budget.
    Unknown,
}

impl Glob {
    /// Matches exactly `s`.
    pub fn literal(s: &str) -> Glob {
        Glob {
            toks: s.chars().map(Tok::Lit).collect(),
            exact: true,
        }
    }

    /// A `StringLike` value: `*` and `?` are wildcards over any character.
    pub fn like(s: &str) -> Glob {
        Glob {
            toks: s
                .chars()
                .map(|c| match c {
                    '*' => Tok::Star(Class::Any),
                    '?' => Tok::One(Class::Any),
                    c => Tok::Lit(c),
                })
                .collect(),
            exact: true,
        }
    }

    /// A `Resource` item or `ArnLike` value. Policy variables (`${aws:username}`) stand in as `*`
    /// (the glob is then not exact); the escapes `${*}`, `${?}`, `${$}` are literal characters.
    pub fn arn(s: &str, variables: bool) -> Glob {
        // (char, is_wildcard) units after variable handling.
        let mut units: Vec<(char, bool)> = Vec::new();
        let mut exact = true;
        if variables && iamscope_policy::variables::may_contain_variables(s) {
            let parsed = iamscope_policy::variables::parse(s);
            for p in &parsed.pieces {
                match p {
                    iamscope_policy::variables::Piece::Text(t) => {
                        units.extend(t.chars().map(|c| (c, c == '*' || c == '?')));
                    }
                    iamscope_policy::variables::Piece::Escape(c) => units.push((*c, false)),
                    iamscope_policy::variables::Piece::Variable(_) => {
                        exact = false;
                        units.push(('*', true));
                    }
                }
            }
        } else {
            units.extend(s.chars().map(|c| (c, c == '*' || c == '?')));
        }
        let colons = units.iter().filter(|(c, w)| *c == ':' && !w).count();
        let six_fields = colons >= 5;
        let starts_arn = s.starts_with("arn:");
        if !six_fields && starts_arn && colons >= 1 {
            // A short ARN pattern matches no six-field ARN; as a whole string it may match other
            // text, which the diff never asks for.
            exact = false;
        }
        let mut field = 0;
        let mut toks = Vec::with_capacity(units.len());
        for (c, wild) in units {
            let class = if six_fields && field < 5 {
                Class::NoColon
            } else {
                Class::Any
            };
            toks.push(match (c, wild) {
                ('*', true) => Tok::Star(class),
                ('?', true) => Tok::One(class),
                (c, _) => {
                    if c == ':' {
                        field += 1;
                    }
                    Tok::Lit(c)
                }
            });
        }
        Glob { toks, exact }
    }

    /// A resource type's ARN format from the catalog (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
    /// `${Partition}` is `aws`; with `defaults`, `${Region}` and `${Account}` are the given values
    /// (a nicer witness), else any non-empty field. Other placeholders are non-empty; all but the
    /// last stay within one `/` segment.
    pub fn arn_format(format: &str, defaults: Option<(&str, &str)>) -> Glob {
        let mut toks = Vec::new();
        let mut field = 0;
        let mut rest = format;
        let placeholders = format.matches("${").count();
        let mut seen = 0;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("${")
                && let Some(end) = after.find('}')
            {
                let name = &after[..end];
                rest = &after[end + 1..];
                seen += 1;
                let lname = name.to_ascii_lowercase();
                let fixed = match (lname.as_str(), defaults) {
                    ("partition", _) => Some("aws"),
                    ("region", Some((r, _))) if field == 3 => Some(r),
                    ("account" | "accountid", Some((_, a))) if field == 4 => Some(a),
                    _ => None,
                };
                match fixed {
                    Some(v) => toks.extend(v.chars().map(Tok::Lit)),
                    None => {
                        let class = if field < 5 {
                            Class::NoColon
                        } else if seen == placeholders && rest.is_empty() {
                            Class::Any
                        } else {
                            Class::Segment
                        };
                        toks.push(Tok::One(class));
                        toks.push(Tok::Star(class));
                    }
                }
                continue;
            }
            let c = rest.chars().next().expect("non-empty");
            rest = &rest[c.len_utf8()..];
            let class = if field < 5 {
                Class::NoColon
            } else {
                Class::Any
            };
            toks.push(match c {
                '*' => Tok::Star(class),
                '?' => Tok::One(class),
                c => {
                    if c == ':' {
                        field += 1;
                    }
                    Tok::Lit(c)
                }
            });
        }
        Glob { toks, exact: true }
    }

    fn len(&self) -> usize {
        self.toks.len()
    }

    fn closure(&self, set: &mut Bits) {
        for i in 0..self.len() {
            if set.get(i) && matches!(self.toks[i], Tok::Star(_)) {
                set.set(i + 1);
            }
        }
    }

    fn start(&self) -> Bits {
        let mut b = Bits::new(self.len() + 1);
        b.set(0);
        self.closure(&mut b);
        b
    }

    fn step(&self, from: &Bits, c: char) -> Bits {
        let mut out = Bits::new(self.len() + 1);
        for i in 0..self.len() {
            if !from.get(i) {
                continue;
            }
            match self.toks[i] {
                Tok::Lit(l) if l == c => out.set(i + 1),
                Tok::One(cl) if cl.allows(c) => out.set(i + 1),
                Tok::Star(cl) if cl.allows(c) => out.set(i),
                _ => {}
            }
        }
        self.closure(&mut out);
        out
    }

    fn accepts(&self, set: &Bits) -> bool {
        set.get(self.len())
    }

    /// Does `s` match? (Used in tests and to check solver output.)
    pub fn matches(&self, s: &str) -> bool {
        let mut st = self.start();
        for c in s.chars() {
            st = self.step(&st, c);
            if st.is_empty() {
                return false;
            }
        }
        self.accepts(&st)
    }

    /// The literal characters before the first wildcard.
    fn literal_prefix(&self) -> impl Iterator<Item = char> + '_ {
        self.toks.iter().map_while(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    }

    /// The literal characters after the last wildcard, last first.
    fn literal_suffix(&self) -> impl Iterator<Item = char> + '_ {
        self.toks.iter().rev().map_while(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    }

    fn literal_chars(&self, out: &mut Vec<char>) {
        for t in &self.toks {
            if let Tok::Lit(c) = t {
                out.push(*c);
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

/// Characters tried first for the free parts of a witness, in order.
const FRESH: &str = "xyzqjkwvXYZ0123456789";

/// Finds the shortest string (preferring fresh characters) that matches every pattern in `pos`
/// and none in `neg`, exploring at most `max_states` automaton states.
pub(crate) fn solve(pos: &[&Glob], neg: &[&Glob], max_states: usize) -> Solved {
    // Quick exact refutation: two positive patterns whose literal starts (or ends) disagree
    // cannot match one string.
    for (i, a) in pos.iter().enumerate() {
        for b in &pos[i + 1..] {
            let clash = |x: &mut dyn Iterator<Item = char>, y: &mut dyn Iterator<Item = char>| {
                x.zip(y).any(|(p, q)| p != q)
            };
            if clash(&mut a.literal_prefix(), &mut b.literal_prefix())
                || clash(&mut a.literal_suffix(), &mut b.literal_suffix())
            {
                return Solved::Unsat;
            }
        }
    }
    let mut lits = Vec::new();
    for g in pos.iter().chain(neg) {
        g.literal_chars(&mut lits);
    }
    iamscope_syntax::sort::sort(&mut lits);
    lits.dedup();
    let fresh = FRESH
        .chars()
        .find(|c| lits.binary_search(c).is_err())
        .or_else(|| {
            // every preferred character is a literal: any other one will do
            ('a'..='~')
                .chain('\u{a1}'..'\u{2000}')
                .find(|c| *c != ':' && *c != '/' && lits.binary_search(c).is_err())
        });
    let mut alphabet: Vec<char> = fresh.into_iter().collect();
    for c in [':', '/'] {
        if lits.binary_search(&c).is_err() {
            alphabet.push(c);
        }
    }
    // Literal characters: lower-case letters and digits first (nicer witnesses).
    let mut ordered = lits.clone();
    iamscope_syntax::sort::sort_by(&mut ordered, |a, b| {
        (!a.is_ascii_alphanumeric(), *a).cmp(&(!b.is_ascii_alphanumeric(), *b))
    });
    alphabet.extend(ordered);

    let all: Vec<&Glob> = pos.iter().chain(neg).copied().collect();
    let npos = pos.len();
    let start: Vec<Bits> = all.iter().map(|g| g.start()).collect();
    let goal = |s: &[Bits]| {
        s[..npos].iter().zip(pos).all(|(b, g)| g.accepts(b))
            && s[npos..].iter().zip(neg).all(|(b, g)| !g.accepts(b))
    };
    let dead = |s: &[Bits]| s[..npos].iter().any(Bits::is_empty);
    if dead(&start) {
        return Solved::Unsat;
    }
    // BFS over product states; parents kept to rebuild the string.
    let mut states: Vec<(Vec<Bits>, usize, char)> = vec![(start.clone(), usize::MAX, '\0')];
    let mut seen: HashMap<Vec<Bits>, usize> = HashMap::new();
    seen.insert(start, 0);
    let mut queue = VecDeque::from([0usize]);
    while let Some(id) = queue.pop_front() {
        if goal(&states[id].0) {
            let mut chars = Vec::new();
            let mut cur = id;
            while states[cur].1 != usize::MAX {
                chars.push(states[cur].2);
                cur = states[cur].1;
            }
            chars.reverse();
            return Solved::Found(chars.into_iter().collect());
        }
        for &c in &alphabet {
            let next: Vec<Bits> = states[id]
                .0
                .iter()
                .zip(&all)
                .map(|(b, g)| g.step(b, c))
                .collect();
            if dead(&next) || seen.contains_key(&next) {
                continue;
            }
            if states.len() >= max_states {
                return Solved::Unknown;
            }
            let nid = states.len();
            seen.insert(next.clone(), nid);
            states.push((next, id, c));
            queue.push_back(nid);
        }
    }
    Solved::Unsat
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pos: &[&Glob], neg: &[&Glob]) -> String {
        match solve(pos, neg, 10_000) {
            Solved::Found(s) => {
                assert!(pos.iter().all(|g| g.matches(&s)), "{s}");
                assert!(neg.iter().all(|g| !g.matches(&s)), "{s}");
                s
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn arn_fields_do_not_cross_colons() {
        let p = Glob::arn("arn:aws:iam::*:role/*", true);
        assert!(p.matches("arn:aws:iam::123456789012:role/a/b"));
        assert!(!p.matches("arn:aws:iam::1:2:role/a"));
        assert!(Glob::arn("arn:aws:s3:::b/*", true).matches("arn:aws:s3:::b/k:with:colons"));
        assert!(Glob::arn("*", true).matches("arn:aws:s3:::b"));
    }

    #[test]
    fn widening_a_prefix() {
        let fmt = Glob::arn_format(
            "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
            Some(("us-east-1", "111122223333")),
        );
        let new = Glob::arn("arn:aws:s3:::logs/*", true);
        let old = Glob::arn("arn:aws:s3:::logs/a*", true);
        let s = found(&[&fmt, &new], &[&old]);
        assert!(s.starts_with("arn:aws:s3:::logs/"), "{s}");
        assert_eq!(
            solve(&[&fmt, &old], &[&new], 10_000),
            Solved::Unsat,
            "logs/a* lies inside logs/*"
        );
    }

    #[test]
    fn formats_with_region_and_account() {
        let fmt = Glob::arn_format(
            "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}",
            Some(("us-east-1", "111122223333")),
        );
        assert_eq!(
            found(&[&fmt, &Glob::like("*")], &[]),
            "arn:aws:sqs:us-east-1:111122223333:x"
        );
        let generic = Glob::arn_format(
            "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}",
            None,
        );
        let p = Glob::arn("arn:aws:sqs:eu-west-1:444455556666:q-*", true);
        assert_eq!(
            found(&[&generic, &p], &[]),
            "arn:aws:sqs:eu-west-1:444455556666:q-"
        );
    }

    #[test]
    fn like_versus_equals() {
        let like = Glob::like("dev-*");
        let eq = Glob::literal("dev-1");
        let s = found(&[&like], &[&eq]);
        assert_ne!(s, "dev-1");
        assert_eq!(solve(&[&eq], &[&like], 1000), Solved::Unsat);
    }

    #[test]
    fn fresh_character_escapes_every_literal() {
        let s = found(
            &[&Glob::like("*")],
            &[&Glob::like("x*"), &Glob::like("y*"), &Glob::like("")],
        );
        assert!(!s.starts_with('x') && !s.starts_with('y') && !s.is_empty());
    }
}
