//! Matching ARNs against resource type ARN formats such as
//! `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
//!
//! Two questions:
//! - **Which resource types is this concrete ARN?** ([`ArnFormat::matches`]) A variable matches one
//!   or more characters other than `:`; the resource part is split at `:` on both sides and the
//!   pieces are matched pairwise, except that a format whose last variable is path-like (its name
//!   contains `Path`, or is `ObjectName`) lets that variable take the remaining colons too. Literal
//!   text is case-sensitive, as AWS compares ARNs.
//!   Several formats can match (`${BucketName}` also matches `b/k`); the catalog then keeps those
//!   with the most literal characters (the object format, which needs the `/`).
//! - **Could this policy ARN pattern match this format?** ([`pattern_may_match`]) The pattern may
//!   hold `*`, `?` and policy variables. The answer is conservative: it is `false` only when no
//!   string can match both. Variables in the pattern count as `*`, variables in the format as
//!   "one or more of anything", and letters compare case-insensitively.

use iamscope_policy::variables::{self, Piece};
use iamscope_policy::wildcard::{Pattern, Token};

/// A compiled ARN format.
#[derive(Clone, Debug)]
pub(crate) struct ArnFormat {
    /// partition, service, region, account
    head: [Pattern; 4],
    /// The resource part split at `:`.
    pieces: Vec<Pattern>,
    /// The last piece may also absorb further `:`-separated pieces.
    tail_takes_colons: bool,
    /// Number of literal characters: the tie-breaker between several matching formats.
    pub literal_len: usize,
}

impl ArnFormat {
    /// Compiles a format; `None` when it is not shaped like an ARN.
    pub fn compile(format: &str) -> Option<ArnFormat> {
        let mut parts = format.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let mut literal_len = 4;
        let mut head_src = [""; 4];
        for h in &mut head_src {
            *h = parts.next()?;
        }
        let resource = parts.next()?;
        let head = head_src.map(|h| compile_piece(h, &mut literal_len));
        let raw_pieces: Vec<&str> = resource.split(':').collect();
        literal_len += raw_pieces.len() - 1 + 4;
        let pieces = raw_pieces
            .iter()
            .map(|p| compile_piece(p, &mut literal_len))
            .collect();
        let tail_takes_colons = raw_pieces
            .last()
            .and_then(|p| last_variable(p))
            .is_some_and(|v| v.contains("Path") || v == "ObjectName")
            && raw_pieces.last().is_some_and(|p| p.ends_with('}'));
        Some(ArnFormat {
            head,
            pieces,
            tail_takes_colons,
            literal_len,
        })
    }

    /// Does the concrete ARN match this format?
    pub fn matches(&self, arn: &str) -> bool {
        let mut parts = arn.splitn(6, ':');
        if parts.next() != Some("arn") {
            return false;
        }
        for h in &self.head {
            match parts.next() {
                Some(p) if h.matches(p) => {}
                _ => return false,
            }
        }
        let Some(resource) = parts.next() else {
            return false;
        };
        let n = self.pieces.len();
        let mut it = resource.splitn(
            if self.tail_takes_colons {
                n
            } else {
                usize::MAX
            },
            ':',
        );
        for piece in &self.pieces {
            match it.next() {
                Some(p) if piece.matches(p) => {}
                _ => return false,
            }
        }
        it.next().is_none()
    }
}

/// The variable name of the last `${...}` in a piece.
fn last_variable(piece: &str) -> Option<&str> {
    let start = piece.rfind("${")?;
    let end = piece[start..].find('}')? + start;
    Some(&piece[start + 2..end])
}

/// A piece of a format: `${Var}` becomes "one or more characters" (`?` then `*`), the rest is
/// literal (case-sensitive).
fn compile_piece(piece: &str, literal_len: &mut usize) -> Pattern {
    let mut tokens = Vec::new();
    let mut rest = piece;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            tokens.push(Token::Literal(&rest[..start]));
            *literal_len += rest[..start].chars().count();
        }
        tokens.push(Token::Question);
        tokens.push(Token::Star);
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        tokens.push(Token::Literal(rest));
        *literal_len += rest.chars().count();
    }
    Pattern::from_tokens(&tokens, false)
}

/// The literal service component of a format or ARN, when it has one.
pub(crate) fn service_component(s: &str) -> Option<&str> {
    let mut it = s.splitn(4, ':');
    if it.next()? != "arn" {
        return None;
    }
    it.next()?;
    let svc = it.next()?;
    it.next()?;
    Some(svc)
}

/// A glob token. The `Nc` forms do not match `:` (variables in the head of an ARN format:
/// partition, service, region and account never contain a colon).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum G {
    Lit(char),
    Any,
    Star,
    AnyNc,
    StarNc,
}

impl G {
    fn is_star(self) -> bool {
        matches!(self, G::Star | G::StarNc)
    }

    fn no_colon(self) -> bool {
        matches!(self, G::AnyNc | G::StarNc)
    }
}

fn push_text(out: &mut Vec<G>, text: &str, wildcards: bool) {
    for c in text.chars() {
        out.push(match c {
            '*' if wildcards => G::Star,
            '?' if wildcards => G::Any,
            c => G::Lit(c.to_ascii_lowercase()),
        });
    }
}

fn pattern_tokens(pattern: &str) -> Vec<G> {
    let mut out = Vec::with_capacity(pattern.len());
    if !variables::may_contain_variables(pattern) {
        push_text(&mut out, pattern, true);
        return out;
    }
    for piece in variables::parse(pattern).pieces {
        match piece {
            Piece::Text(t) => push_text(&mut out, t, true),
            Piece::Escape(c) => out.push(G::Lit(c.to_ascii_lowercase())),
            Piece::Variable(_) => out.push(G::Star),
        }
    }
    out
}

fn format_tokens(format: &str) -> Vec<G> {
    let mut out = Vec::with_capacity(format.len());
    let mut rest = format;
    let mut colons = 0;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        push_text(&mut out, &rest[..start], false);
        colons += rest[..start].matches(':').count();
        if colons < 5 {
            out.extend([G::AnyNc, G::StarNc]);
        } else {
            out.extend([G::Any, G::Star]);
        }
        rest = &rest[start + len + 1..];
    }
    push_text(&mut out, rest, false);
    out
}

/// Could some ARN match both the policy pattern and the resource type's ARN format? Conservative
/// (see the module documentation): `false` means "certainly not".
pub fn pattern_may_match(pattern: &str, format: &str) -> bool {
    tokens_may_match(&PatternTokens::new(pattern), format)
}

/// A policy pattern tokenized once, for [`tokens_may_match`] against many formats.
pub(crate) struct PatternTokens(Option<Vec<G>>);

impl PatternTokens {
    pub(crate) fn new(pattern: &str) -> PatternTokens {
        // `*` alone may match anything: no tokens needed.
        PatternTokens((pattern != "*").then(|| pattern_tokens(pattern)))
    }
}

/// [`pattern_may_match`] with the pattern tokenized beforehand.
pub(crate) fn tokens_may_match(p: &PatternTokens, format: &str) -> bool {
    match &p.0 {
        None => true,
        Some(p) => intersects(p, &format_tokens(format)),
    }
}

/// Is the intersection of two glob languages non-empty? A search over pairs of positions, so
/// O(|p| * |f|) with no backtracking.
fn intersects(p: &[G], f: &[G]) -> bool {
    let (n, m) = (p.len(), f.len());
    let w = m + 1;
    let mut seen = vec![false; (n + 1) * w];
    let mut stack = vec![(0usize, 0usize)];
    seen[0] = true;
    while let Some((i, j)) = stack.pop() {
        if i == n && j == m {
            return true;
        }
        let mut visit = |a: usize, b: usize, stack: &mut Vec<(usize, usize)>| {
            if !seen[a * w + b] {
                seen[a * w + b] = true;
                stack.push((a, b));
            }
        };
        let (pi, fj) = (p.get(i).copied(), f.get(j).copied());
        if pi.is_some_and(G::is_star) {
            visit(i + 1, j, &mut stack);
        }
        if fj.is_some_and(G::is_star) {
            visit(i, j + 1, &mut stack);
        }
        if let (Some(a), Some(b)) = (pi, fj) {
            // is there one character both accept?
            let compatible = match (a, b) {
                (G::Lit(x), G::Lit(y)) => x == y,
                (G::Lit(x), o) | (o, G::Lit(x)) => !(o.no_colon() && x == ':'),
                _ => true,
            };
            if compatible {
                let ni = if a.is_star() { i } else { i + 1 };
                let nj = if b.is_star() { j } else { j + 1 };
                if (ni, nj) != (i, j) {
                    visit(ni, nj, &mut stack);
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";

    #[test]
    fn concrete() {
        let obj = ArnFormat::compile(OBJECT).unwrap();
        let bucket = ArnFormat::compile(BUCKET).unwrap();
        assert!(obj.matches("arn:aws:s3:::b/k"));
        assert!(obj.matches("arn:aws:s3:::b/k/with:colon"));
        assert!(!obj.matches("arn:aws:s3:::b"));
        assert!(bucket.matches("arn:aws:s3:::b"));
        assert!(bucket.matches("arn:aws:s3:::b/k"));
        assert!(obj.literal_len > bucket.literal_len);
        assert!(!bucket.matches("arn:aws:s3:us-east-1::b"));
        let f = ArnFormat::compile(
            "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
        )
        .unwrap();
        assert!(f.matches("arn:aws:lambda:us-east-1:123456789012:function:f"));
        assert!(!f.matches("arn:aws:lambda:us-east-1:123456789012:function:f:1"));
        assert!(!f.matches("arn:aws:lambda:us-east-1:123456789012:Function:f"));
        let role = ArnFormat::compile("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}")
            .unwrap();
        assert!(role.matches("arn:aws:iam::123456789012:role/a/b/c"));
        assert!(!role.matches("arn:aws:iam::123456789012:user/a"));
        assert!(ArnFormat::compile("*").is_none());
    }

    #[test]
    fn patterns() {
        assert!(pattern_may_match("arn:aws:s3:::bucket/*", OBJECT));
        assert!(pattern_may_match("arn:aws:s3:::bucket/*", BUCKET)); // a bucket named "bucket/x"? conservative
        assert!(!pattern_may_match("arn:aws:s3:::bucket", OBJECT));
        assert!(pattern_may_match("arn:aws:s3:::bucket", BUCKET));
        assert!(pattern_may_match("*", OBJECT));
        assert!(pattern_may_match(
            "arn:*:s3:::*/home/${aws:username}/*",
            OBJECT
        ));
        assert!(!pattern_may_match("arn:aws:iam::*:role/*", OBJECT));
        assert!(pattern_may_match("ARN:AWS:S3:::B/K", OBJECT));
        assert!(
            !pattern_may_match("arn:aws:s3:::b${?}", BUCKET)
                || pattern_may_match("arn:aws:s3:::b?", BUCKET)
        );
        assert!(!pattern_may_match("arn:aws:s3:::", BUCKET));
        assert!(pattern_may_match("arn:aws:s3:::?", BUCKET));
        assert!(!pattern_may_match("arn:aws:s3:::?", OBJECT));
        assert!(pattern_may_match("arn:aws:s3:::???", OBJECT));
    }

    #[test]
    fn pathological_patterns_are_fast() {
        let p = format!("{}x", "*a".repeat(2000));
        assert!(!pattern_may_match(&p, "arn:aws:s3:::bucket"));
        assert!(pattern_may_match(&p, BUCKET));
    }
}
