//! Compiling policies for fast evaluation: wildcard patterns built once, condition values parsed
//! once, statements indexed by action.

use std::collections::HashMap;
use std::sync::Arc;

use iamscope_policy::values::{
    Decimal, IpRange, Timestamp, decode_base64, parse_bool, parse_date, parse_ip_range,
    parse_number,
};
use iamscope_policy::variables::{self, Piece as VarPiece};
use iamscope_policy::wildcard::{Pattern, Token};
use iamscope_policy::{
    BaseOperator, Effect, Operator, OperatorFamily, Policy, PrincipalElement, Statement,
};
use iamscope_syntax::bytes::same;
use iamscope_syntax::{FindingType, TextRange};

use crate::context::Context;
use crate::glob::glob;
use crate::result::{EvalError, Layer};
use crate::scenario::{PolicyRef, PolicySource};

/// A piece of a string that may hold policy variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text whose `*` and `?` are wildcards where the element has wildcards.
    Text(String),
    /// A variable: lower-case key, the key as written, the default value.
    Var {
        key: String,
        name: String,
        default: Option<String>,
    },
    /// `${*}`, `${?}`, `${$}`.
    Escape(char),
}

/// A string with policy variables, or plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Template {
    pub raw: String,
    /// `None` when the string has no variables or escapes (or the policy version does not support
    /// them): then `raw` is the whole value.
    pub pieces: Option<Vec<Piece>>,
}

/// An owned wildcard token after substitution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OTok {
    Lit(String),
    Star,
    Question,
}

impl Template {
    pub fn new(s: &str, variables: bool) -> Template {
        if !variables || !variables::may_contain_variables(s) {
            return Template {
                raw: s.to_string(),
                pieces: None,
            };
        }
        let parsed = variables::parse(s);
        if !parsed.has_variables() && !parsed.has_escapes() {
            return Template {
                raw: s.to_string(),
                pieces: None,
            };
        }
        let pieces = parsed
            .pieces
            .iter()
            .map(|p| match p {
                VarPiece::Text(t) => Piece::Text((*t).to_string()),
                VarPiece::Escape(c) => Piece::Escape(*c),
                VarPiece::Variable(v) => Piece::Var {
                    key: v.name.to_ascii_lowercase(),
                    name: v.name.to_string(),
                    default: v.default.map(str::to_string),
                },
            })
            .collect();
        Template {
            raw: s.to_string(),
            pieces: Some(pieces),
        }
    }

    pub fn is_plain(&self) -> bool {
        self.pieces.is_none()
    }

    /// The value of one variable: the single value of the key, else the default. A key with
    /// several values cannot be a variable (reference_policies_variables.md).
    fn var_value<'c>(
        ctx: &'c Context,
        key: &str,
        name: &str,
        default: Option<&'c str>,
        missing: &mut Vec<String>,
    ) -> Option<&'c str> {
        match ctx.get_lower(key) {
            Some([one]) => Some(one.as_str()),
            Some(_) | None => {
                if ctx.get_lower(key).is_none() {
                    missing.push(name.to_string());
                }
                default
            }
        }
    }

    /// Substitutes variables into plain text (wildcards are not interpreted). `None` when a
    /// variable has no value and no default.
    pub fn resolve_text(&self, ctx: &Context, missing: &mut Vec<String>) -> Option<String> {
        let Some(pieces) = &self.pieces else {
            return Some(self.raw.clone());
        };
        let mut out = String::new();
        let mut ok = true;
        for p in pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Escape(c) => out.push(*c),
                Piece::Var { key, name, default } => {
                    match Self::var_value(ctx, key, name, default.as_deref(), missing) {
                        Some(v) => out.push_str(v),
                        None => ok = false,
                    }
                }
            }
        }
        ok.then_some(out)
    }

    /// Substitutes variables into wildcard tokens: `*` and `?` in the policy text are wildcards,
    /// in substituted values and escapes they are literal.
    pub fn resolve_tokens(&self, ctx: &Context, missing: &mut Vec<String>) -> Option<Vec<OTok>> {
        let mut out = Vec::new();
        let mut ok = true;
        let push_text = |t: &str, out: &mut Vec<OTok>| {
            let mut lit = String::new();
            for c in t.chars() {
                match c {
                    '*' | '?' => {
                        if !lit.is_empty() {
                            out.push(OTok::Lit(std::mem::take(&mut lit)));
                        }
                        out.push(if c == '*' { OTok::Star } else { OTok::Question });
                    }
                    c => lit.push(c),
                }
            }
            if !lit.is_empty() {
                out.push(OTok::Lit(lit));
            }
        };
        match &self.pieces {
            None => push_text(&self.raw, &mut out),
            Some(pieces) => {
                for p in pieces {
                    match p {
                        Piece::Text(t) => push_text(t, &mut out),
                        Piece::Escape(c) => out.push(OTok::Lit(c.to_string())),
                        Piece::Var { key, name, default } => {
                            match Self::var_value(ctx, key, name, default.as_deref(), missing) {
                                Some(v) => out.push(OTok::Lit(v.to_string())),
                                None => ok = false,
                            }
                        }
                    }
                }
            }
        }
        ok.then_some(out)
    }
}

fn pattern_from(tokens: &[OTok], ignore_case: bool) -> Pattern {
    let toks: Vec<Token<'_>> = tokens
        .iter()
        .map(|t| match t {
            OTok::Lit(s) => Token::Literal(s),
            OTok::Star => Token::Star,
            OTok::Question => Token::Question,
        })
        .collect();
    Pattern::from_tokens(&toks, ignore_case)
}

/// Text of tokens for display (wildcards shown as `*` and `?`).
pub(crate) fn tokens_text(tokens: &[OTok]) -> String {
    tokens
        .iter()
        .map(|t| match t {
            OTok::Lit(s) => s.as_str(),
            OTok::Star => "*",
            OTok::Question => "?",
        })
        .collect()
}

/// ARN matching (reference_policies_elements_resource.md, "Using wildcards in resource ARNs";
/// condition operators page, "Amazon Resource Name (ARN) condition operators"): an ARN has six
/// colon-separated fields, the last of which (the resource) takes the rest of the text, colons
/// included. A pattern that starts with `arn:` is split the same way into at most six fields, its
/// last field taking the rest of its text; the value is split into as many fields, its last one
/// again taking the rest; the fields are then matched one by one, with wildcards, case-sensitively.
/// So a wildcard never crosses a colon, except in the pattern's last field: `arn:aws:sqs:*` covers
/// every SQS ARN while `arn:aws:sqs:*:queue1` matches none (its `*` is confined to the region).
/// Any other pattern (`*`, `*queue1`) is matched against the whole value.
#[derive(Clone, Debug)]
pub(crate) enum ArnMatcher {
    /// `*`.
    All,
    /// A pattern without policy variables, matched in place.
    Plain {
        raw: Box<str>,
        /// Byte ranges of the pattern's fields (`None`: not ARN-shaped, match as a whole).
        fields: Option<Vec<(u32, u32)>>,
    },
    /// A pattern built from substituted tokens (literal `*`/`?` possible).
    Tokens {
        fields: Option<Vec<Pattern>>,
        whole: Pattern,
    },
}

/// Byte ranges of at most `max` colon-separated fields (the last takes the rest).
fn split_fields(s: &str, max: usize) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(max);
    let mut start = 0usize;
    for (i, b) in s.bytes().enumerate() {
        if b == b':' && out.len() + 1 < max {
            out.push((start as u32, i as u32));
            start = i + 1;
        }
    }
    out.push((start as u32, s.len() as u32));
    out
}

/// Splits `value` into exactly `n` fields (the last takes the rest), or `None` when it has fewer.
fn value_fields(value: &str, n: usize) -> Option<[(u32, u32); 6]> {
    let mut out = [(0u32, 0u32); 6];
    let mut k = 0;
    let mut start = 0usize;
    for (i, b) in value.bytes().enumerate() {
        if b == b':' && k + 1 < n {
            out[k] = (start as u32, i as u32);
            k += 1;
            start = i + 1;
        }
    }
    if k + 1 != n {
        return None;
    }
    out[k] = (start as u32, value.len() as u32);
    Some(out)
}

impl ArnMatcher {
    /// Compiles a pattern without variables (its `*` and `?` are wildcards).
    pub fn plain(pattern: &str) -> ArnMatcher {
        if pattern == "*" {
            return ArnMatcher::All;
        }
        ArnMatcher::Plain {
            raw: pattern.into(),
            fields: pattern
                .starts_with("arn:")
                .then(|| split_fields(pattern, 6)),
        }
    }

    pub fn new(tokens: &[OTok]) -> ArnMatcher {
        if tokens.len() == 1 && tokens[0] == OTok::Star {
            return ArnMatcher::All;
        }
        let arn_shaped = matches!(tokens.first(), Some(OTok::Lit(s)) if s.starts_with("arn:"));
        // Split the token stream at the first five colons of literal text.
        let mut fields: Vec<Vec<OTok>> = vec![Vec::new()];
        for t in tokens {
            match t {
                OTok::Lit(s) if fields.len() < 6 && s.contains(':') => {
                    let mut rest = s.as_str();
                    while fields.len() < 6 {
                        let Some((a, b)) = rest.split_once(':') else {
                            break;
                        };
                        if !a.is_empty() {
                            fields
                                .last_mut()
                                .expect("non-empty")
                                .push(OTok::Lit(a.into()));
                        }
                        fields.push(Vec::new());
                        rest = b;
                    }
                    if !rest.is_empty() {
                        fields
                            .last_mut()
                            .expect("non-empty")
                            .push(OTok::Lit(rest.into()));
                    }
                }
                t => fields.last_mut().expect("non-empty").push(t.clone()),
            }
        }
        ArnMatcher::Tokens {
            fields: arn_shaped.then(|| fields.iter().map(|f| pattern_from(f, false)).collect()),
            whole: pattern_from(tokens, false),
        }
    }

    pub fn matches(&self, value: &str) -> bool {
        match self {
            ArnMatcher::All => true,
            ArnMatcher::Plain { raw, fields } => match fields {
                None => glob(raw, value, false),
                Some(pf) => match value_fields(value, pf.len()) {
                    None => false,
                    Some(vf) => pf.iter().zip(vf.iter()).all(|(&(ps, pe), &(vs, ve))| {
                        glob(
                            &raw[ps as usize..pe as usize],
                            &value[vs as usize..ve as usize],
                            false,
                        )
                    }),
                },
            },
            ArnMatcher::Tokens { fields, whole } => match fields {
                None => whole.matches(value),
                Some(pf) => match value_fields(value, pf.len()) {
                    None => false,
                    Some(vf) => pf
                        .iter()
                        .zip(vf.iter())
                        .all(|(p, &(vs, ve))| p.matches(&value[vs as usize..ve as usize])),
                },
            },
        }
    }
}

/// A compiled `Resource`/`NotResource` item.
#[derive(Clone, Debug)]
pub(crate) struct ResourceItem {
    pub template: Template,
    /// Compiled when the item has no variables.
    pub matcher: Option<ArnMatcher>,
}

/// The items of an `Action`/`NotAction` element, lower-cased into one buffer.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActionList {
    text: String,
    /// (start, end, has a wildcard) of each item in `text`.
    items: Vec<(u32, u32, bool)>,
}

impl ActionList {
    pub fn new<'a>(items: impl Iterator<Item = &'a str>) -> ActionList {
        let mut l = ActionList::default();
        for item in items {
            let start = l.text.len() as u32;
            l.text.push_str(item);
            l.items
                .push((start, l.text.len() as u32, item.contains(['*', '?'])));
        }
        l.text.make_ascii_lowercase();
        l
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Item `i` (lower case) and whether it has a wildcard.
    pub fn get(&self, i: usize) -> (&str, bool) {
        let (s, e, w) = self.items[i];
        (&self.text[s as usize..e as usize], w)
    }

    pub fn item_matches(&self, i: usize, action_lower: &str) -> bool {
        let (text, wild) = self.get(i);
        if wild {
            glob(text, action_lower, false)
        } else {
            text == action_lower
        }
    }

    pub fn any_match(&self, action_lower: &str) -> bool {
        (0..self.len()).any(|i| self.item_matches(i, action_lower))
    }
}

/// A condition value compiled for its operator family.
#[derive(Clone, Debug)]
pub(crate) enum Typed {
    /// StringEquals / StringNotEquals (and the IgnoreCase forms, lower-cased).
    Str(String),
    /// StringLike without variables: matched in place.
    LikePlain(Box<str>),
    Like(Pattern),
    Arn(ArnMatcher),
    Num(Option<Decimal>),
    Date(Option<Timestamp>),
    Bool(Option<bool>),
    Bin(Option<Vec<u8>>),
    Ip(Option<IpRange>),
    Null(Option<bool>),
}

impl Typed {
    /// Compiles a resolved value (for string/ARN families, from tokens).
    pub fn compile(base: BaseOperator, text: &str, tokens: Option<&[OTok]>) -> Typed {
        use BaseOperator as B;
        match base.family() {
            OperatorFamily::String => match base {
                B::StringLike | B::StringNotLike => match tokens {
                    Some(t) => Typed::Like(pattern_from(t, false)),
                    None => Typed::LikePlain(text.into()),
                },
                B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
                    Typed::Str(text.to_lowercase())
                }
                _ => Typed::Str(text.to_string()),
            },
            OperatorFamily::Arn => Typed::Arn(match tokens {
                Some(t) => ArnMatcher::new(t),
                None => ArnMatcher::plain(text),
            }),
            OperatorFamily::Numeric => Typed::Num(parse_number(text)),
            OperatorFamily::Date => Typed::Date(parse_date(text)),
            OperatorFamily::Bool => Typed::Bool(parse_bool(text)),
            OperatorFamily::Binary => Typed::Bin(decode_base64(text)),
            OperatorFamily::Ip => Typed::Ip(parse_ip_range(text)),
            OperatorFamily::Null => Typed::Null(parse_bool(text)),
        }
    }

    /// A note when the policy value is not of the operator's type.
    pub fn type_error(&self) -> Option<&'static str> {
        match self {
            Typed::Num(None) => Some("not a number"),
            Typed::Date(None) => Some("not a date (ISO 8601 or epoch seconds)"),
            Typed::Bool(None) | Typed::Null(None) => Some("not true or false"),
            Typed::Bin(None) => Some("not base-64"),
            Typed::Ip(None) => Some("not an IP address or CIDR range"),
            _ => None,
        }
    }
}

/// One policy value of a condition entry.
#[derive(Clone, Debug)]
pub(crate) struct CValue {
    pub template: Template,
    /// Compiled when the value has no variables.
    pub typed: Option<Typed>,
}

/// One condition entry: operator, key, values.
#[derive(Clone, Debug)]
pub(crate) struct CCondition {
    pub op: Operator,
    pub op_text: Arc<str>,
    pub key: Arc<str>,
    pub key_lower: String,
    pub range: TextRange,
    pub values: Vec<CValue>,
}

/// The principal element of a statement, when present.
#[derive(Clone, Debug)]
pub(crate) struct CPrincipal {
    pub element: PrincipalElement,
}

/// A compiled statement.
#[derive(Clone, Debug)]
pub(crate) struct CStatement {
    pub index: usize,
    /// Shared with every trace of the statement (as is `pointer`).
    pub sid: Option<Arc<str>>,
    pub effect: Effect,
    pub range: TextRange,
    pub pointer: Arc<str>,
    pub not_action: bool,
    pub actions: ActionList,
    /// `None`: no `Resource` element (a trust policy): every resource.
    pub not_resource: bool,
    pub resources: Option<Vec<ResourceItem>>,
    pub principal: Option<CPrincipal>,
    pub conditions: Vec<CCondition>,
}

impl CStatement {
    pub fn action_matches(&self, action_lower: &str) -> bool {
        let any = self.actions.any_match(action_lower);
        any != self.not_action
    }
}

/// A fast hasher for short keys: the index is built from trusted-size policy text, and SipHash
/// dominated compile time. Eight bytes at a time (a multiply per word, the words of a key shorter
/// than eight read as two overlapping halves) rather than FNV-1a's multiply per byte: a prepared
/// request hashes its action and its service once per policy, and byte by byte that was a quarter
/// of the index lookups (session 10). No map hashed with it is ever iterated, so the hash decides
/// no order that an answer shows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher(0xcbf2_9ce4_8422_2325)
    }
}

/// An odd multiplier with well-spread bits (rustc-hash's).
const HASH_K: u64 = 0xf135_7aea_2e62_a9c5;

impl WordHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(HASH_K);
    }
}

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        // the multiply leaves its best bits high; the table takes its bucket from the low ones
        self.0.rotate_left(26)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let word = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        let half = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        if n >= 8 {
            let mut i = 0;
            while i + 8 <= n {
                self.mix(word(i));
                i += 8;
            }
            if i < n {
                // the last eight bytes, overlapping the word before
                self.mix(word(n - 8));
            }
        } else if n >= 4 {
            self.mix(u64::from(half(0)) | (u64::from(half(n - 4)) << 32));
        } else if n > 0 {
            let b = |i: usize| u64::from(bytes[i]);
            self.mix(b(0) | (b(n / 2) << 8) | (b(n - 1) << 16));
        }
        // the length apart: keys that differ only in the overlap above hash apart
        self.mix(n as u64);
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.mix(u64::from(b));
    }
}

type WordMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

/// Statements indexed by action.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActionIndex {
    exact: WordMap<String, Vec<u32>>,
    /// (statement, item, the item is `prefix*` with no other wildcard: a prefix comparison).
    by_service: WordMap<String, Vec<(u32, usize, bool)>>,
    /// Statements with a wildcard in the service part, and `NotAction` statements: always checked.
    always: Vec<u32>,
}

impl ActionIndex {
    fn build(statements: &[CStatement]) -> ActionIndex {
        let mut idx = ActionIndex::default();
        for (si, st) in statements.iter().enumerate() {
            let si = si as u32;
            if st.not_action {
                idx.always.push(si);
                continue;
            }
            for ai in 0..st.actions.len() {
                let (text, wild) = st.actions.get(ai);
                if !wild {
                    match idx.exact.get_mut(text) {
                        Some(v) => v.push(si),
                        None => {
                            idx.exact.insert(text.to_string(), vec![si]);
                        }
                    }
                    continue;
                }
                let service = text
                    .split_once(':')
                    .map(|(svc, _)| svc)
                    .filter(|svc| !svc.contains(['*', '?']));
                let prefix = text
                    .strip_suffix('*')
                    .is_some_and(|head| !head.contains(['*', '?']));
                match service {
                    Some(svc) => match idx.by_service.get_mut(svc) {
                        Some(v) => v.push((si, ai, prefix)),
                        None => {
                            idx.by_service
                                .insert(svc.to_string(), vec![(si, ai, prefix)]);
                        }
                    },
                    None => idx.always.push(si),
                }
            }
        }
        idx.always.dedup();
        idx
    }

    /// The statements whose `Action` could match, sorted and unique, each with `true` when the
    /// index already proved that an `Action` item matches (else the caller checks, as for
    /// `NotAction`).
    /// `service` is `action_lower` up to its first colon (the caller splits it once for every
    /// policy), or `None` when it has no colon.
    pub fn candidates(
        &self,
        statements: &[CStatement],
        action_lower: &str,
        service: Option<&str>,
        out: &mut Vec<(u32, bool)>,
    ) {
        out.clear();
        if let Some(v) = self.exact.get(action_lower) {
            out.extend(v.iter().map(|&si| (si, true)));
        }
        if let Some(service) = service
            && let Some(v) = self.by_service.get(service)
        {
            // `v` is in statement order: once an item of a statement matched, its other items
            // cannot change the answer.
            let mut proven = None;
            for &(si, ai, prefix) in v {
                if proven == Some(si) {
                    continue;
                }
                let actions = &statements[si as usize].actions;
                let matched = if prefix {
                    // `glob(head*, action)` without a wildcard in `head`
                    let (text, _) = actions.get(ai);
                    text.strip_suffix('*').is_some_and(|head| {
                        action_lower.len() >= head.len()
                            && same(&action_lower.as_bytes()[..head.len()], head.as_bytes())
                    })
                } else {
                    actions.item_matches(ai, action_lower)
                };
                if matched {
                    out.push((si, true));
                    proven = Some(si);
                }
            }
        }
        out.extend(self.always.iter().map(|&si| (si, false)));
        // Sort by statement, proven matches first, then keep one entry per statement.
        if out.len() > 1 {
            out.sort_unstable_by_key(|&(si, proven)| (si, !proven));
            out.dedup_by_key(|&mut (si, _)| si);
        }
    }
}

/// The service of an action (the text before its first colon), or `None` without a colon: what
/// [`CPolicy::candidates`] looks up in the index by service.
pub(crate) fn service_of(action: &str) -> Option<&str> {
    action.split_once(':').map(|(service, _)| service)
}

/// A compiled policy.
#[derive(Clone, Debug)]
pub(crate) struct CPolicy {
    pub place: PolicyRef,
    /// `place.name`, shared with every trace of the policy's statements.
    pub name: Option<Arc<str>>,
    pub statements: Vec<CStatement>,
    /// `None`: no index; every statement is checked (cheaper for a single request).
    pub index: Option<ActionIndex>,
}

impl CPolicy {
    /// The statements whose action matches, in order, each with `true` when the match is proven.
    /// `out` is cleared first; the caller reuses it from one policy to the next (no list is
    /// allocated per policy and request). `service`: `action_lower` up to its first colon, or
    /// `None` when it has none (see [`service_of`]).
    pub fn candidates(
        &self,
        action_lower: &str,
        service: Option<&str>,
        out: &mut Vec<(u32, bool)>,
    ) {
        match &self.index {
            Some(idx) => idx.candidates(&self.statements, action_lower, service, out),
            None => {
                out.clear();
                out.extend(
                    self.statements
                        .iter()
                        .enumerate()
                        .filter(|(_, st)| st.action_matches(action_lower))
                        .map(|(i, _)| (i as u32, true)),
                );
            }
        }
    }

    pub fn build_index(&mut self) {
        if self.index.is_none() {
            self.index = Some(ActionIndex::build(&self.statements));
        }
    }
}

impl CPolicy {
    /// A synthetic policy (the implicit `RCPFullAWSAccess`).
    pub fn rcp_full_access(level: usize) -> CPolicy {
        let st = CStatement {
            index: 0,
            sid: None,
            effect: Effect::Allow,
            range: TextRange::default(),
            pointer: "/Statement/0".into(),
            not_action: false,
            actions: ActionList::new(["*"].into_iter()),
            not_resource: false,
            resources: Some(vec![ResourceItem {
                template: Template::new("*", false),
                matcher: Some(ArnMatcher::All),
            }]),
            principal: Some(CPrincipal {
                element: PrincipalElement {
                    not: false,
                    name: "Principal",
                    span: Default::default(),
                    value: iamscope_policy::PrincipalValue::Wildcard(TextRange::default()),
                },
            }),
            conditions: Vec::new(),
        };
        let statements = vec![st];
        let index = Some(ActionIndex::build(&statements));
        const NAME: &str = "RCPFullAWSAccess (implicit)";
        CPolicy {
            place: PolicyRef {
                layer: Layer::Rcp,
                level: Some(level),
                index: usize::MAX,
                name: Some(NAME.into()),
                offset: None,
            },
            name: Some(NAME.into()),
            statements,
            index,
        }
    }
}

fn policy_error(
    place: &PolicyRef,
    code: &str,
    message: String,
    range: Option<TextRange>,
    pointer: Option<String>,
) -> EvalError {
    EvalError {
        code: code.into(),
        message,
        layer: Some(place.layer),
        level: place.level,
        policy_index: Some(place.index),
        policy_name: place.name.clone(),
        range,
        pointer,
    }
}

/// Parses and compiles one policy. Any ERROR diagnostic (AWS would reject the policy) is an
/// error naming the policy. With `only` (one request's action, lower case) statements whose
/// `Action` cannot match it are checked for errors but not compiled (they cannot take part in
/// the evaluation or its trace); `None` compiles every statement.
pub(crate) fn compile_policy_for(
    place: PolicyRef,
    src: &PolicySource,
    only: Option<&str>,
) -> Result<CPolicy, Vec<EvalError>> {
    // With one action, the model keeps only the action items that may match it (the others
    // are checked, not copied): compile_statement would drop them anyway.
    let parsed = match only {
        None => iamscope_policy::parse_policy(&src.text),
        Some(action) => iamscope_policy::parse_policy_keeping_actions(&src.text, &|item| {
            item_may_match(item, action)
        }),
    };
    let errors: Vec<EvalError> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.finding_type == FindingType::Error)
        .map(|d| {
            policy_error(
                &place,
                &d.code,
                d.message.clone(),
                Some(d.range),
                Some(d.pointer.clone()),
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(policy) = parsed.policy else {
        return Err(vec![policy_error(
            &place,
            "JSON_SYNTAX_ERROR",
            "the policy is not valid JSON".into(),
            None,
            None,
        )]);
    };
    compile_model_for(place, &policy, only)
}

/// Whether an `Action`/`NotAction` item may match `action_lower` (an ASCII action in lower case):
/// exactly [`ActionList::item_matches`] for an ASCII item; a non-ASCII item is kept for it.
#[inline]
fn item_may_match(item: &str, action_lower: &str) -> bool {
    let v = item.as_bytes();
    let a = action_lower.as_bytes();
    match (v.first(), a.first()) {
        // most items fail on their first character (another service); a non-ASCII first byte
        // cannot equal the ASCII action's either
        (Some(&p), Some(&c)) if p != b'*' && p != b'?' && p.to_ascii_lowercase() != c => false,
        _ => {
            // Most of the others fail within the service name: a difference in the literal
            // ASCII start of the item (before any wildcard) is what `glob` would find for an
            // ASCII item; a non-ASCII item is kept, as below.
            for (k, &p) in v.iter().enumerate() {
                if p == b'*' || p == b'?' || !p.is_ascii() {
                    break;
                }
                if a.get(k) != Some(&p.to_ascii_lowercase()) {
                    return !item.is_ascii();
                }
            }
            !item.is_ascii() || glob(item, action_lower, true)
        }
    }
}

/// Whether the `Action` of a statement may match `action_lower` (see [`item_may_match`]);
/// `NotAction` statements are always compiled.
fn may_match_action(st: &Statement, action_lower: &str) -> bool {
    match &st.action {
        None => true,
        Some(a) => {
            a.not
                || a.items
                    .iter()
                    .any(|i| item_may_match(&i.value, action_lower))
        }
    }
}

/// The first problem [`compile_statement`] would report, without compiling.
fn statement_error(st: &Statement) -> Option<(String, TextRange)> {
    if st.effect.is_none() {
        return Some((format!("{} has no valid Effect", st.label()), st.range));
    }
    if st.action.is_none() {
        return Some((
            format!("{} has no Action or NotAction", st.label()),
            st.range,
        ));
    }
    let c = st.condition.as_ref()?;
    c.entries().find(|(b, _)| b.op.is_none()).map(|(b, _)| {
        (
            format!("\"{}\" is not a condition operator", b.operator.value),
            b.operator.range,
        )
    })
}

/// Compiles an already parsed policy (`only`: see [`compile_policy_for`]).
fn compile_model_for(
    place: PolicyRef,
    policy: &Policy,
    only: Option<&str>,
) -> Result<CPolicy, Vec<EvalError>> {
    let vars = policy.supports_variables();
    let mut statements = Vec::with_capacity(policy.statements.len());
    let mut errors = Vec::new();
    for st in &policy.statements {
        let compiled = match only {
            Some(action) if !may_match_action(st, action) => match statement_error(st) {
                None => continue,
                Some(e) => Err(e),
            },
            _ => compile_statement(st, vars, only),
        };
        match compiled {
            Ok(s) => statements.push(s),
            Err((msg, range)) => errors.push(policy_error(
                &place,
                "UNEVALUABLE_STATEMENT",
                msg,
                Some(range),
                Some(st.pointer.clone()),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CPolicy {
        name: place.name.as_deref().map(Arc::from),
        place,
        statements,
        index: None,
    })
}

/// Compiles a statement; with `only` (see [`compile_model_for`]) its action list keeps the items
/// that may match that action, which decide [`CStatement::action_matches`] for it alone.
fn compile_statement(
    st: &Statement,
    vars: bool,
    only: Option<&str>,
) -> Result<CStatement, (String, TextRange)> {
    let effect = st
        .effect
        .as_ref()
        .map(|e| e.value)
        .ok_or_else(|| (format!("{} has no valid Effect", st.label()), st.range))?;
    let action = st.action.as_ref().ok_or_else(|| {
        (
            format!("{} has no Action or NotAction", st.label()),
            st.range,
        )
    })?;
    let actions = ActionList::new(
        action
            .items
            .iter()
            .map(|a| a.value.as_str())
            .filter(|a| only.is_none_or(|o| item_may_match(a, o))),
    );
    let (not_resource, resources) = match &st.resource {
        None => (false, None),
        Some(r) => (
            r.not,
            Some(
                r.items
                    .iter()
                    .map(|i| {
                        let template = Template::new(&i.value, vars);
                        let matcher = template
                            .is_plain()
                            .then(|| ArnMatcher::plain(&template.raw));
                        ResourceItem { template, matcher }
                    })
                    .collect(),
            ),
        ),
    };
    let mut conditions = Vec::new();
    if let Some(c) = &st.condition {
        for (block, entry) in c.entries() {
            let Some(op) = block.op else {
                return Err((
                    format!("\"{}\" is not a condition operator", block.operator.value),
                    block.operator.range,
                ));
            };
            let var_ok = vars
                && matches!(
                    op.base.family(),
                    OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool
                );
            let values = entry
                .values
                .iter()
                .map(|v| {
                    let template = Template::new(v.value.as_text(), var_ok);
                    let typed = template
                        .is_plain()
                        .then(|| Typed::compile(op.base, &template.raw, None));
                    CValue { template, typed }
                })
                .collect();
            conditions.push(CCondition {
                op,
                op_text: block.operator.value.as_str().into(),
                key: entry.key.value.as_str().into(),
                key_lower: entry.key.value.to_ascii_lowercase(),
                range: entry.key.range,
                values,
            });
        }
    }
    Ok(CStatement {
        index: st.index,
        sid: st.sid.as_ref().map(|s| s.value.as_str().into()),
        effect,
        range: st.range,
        pointer: st.pointer.as_str().into(),
        not_action: action.not,
        actions,
        not_resource,
        resources,
        principal: st.principal.clone().map(|element| CPrincipal { element }),
        conditions,
    })
}

/// Case-sensitive wildcard match of a plain (variable-free) pattern.
pub(crate) fn glob_plain(pattern: &str, text: &str) -> bool {
    glob(pattern, text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index's hasher reads every byte of a key of any length (a byte it skipped would put
    /// keys that differ only there in one bucket: still correct, but a slow index), and the
    /// length apart.
    #[test]
    fn the_hasher_reads_every_byte_and_the_length() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = |s: &[u8]| BuildHasherDefault::<WordHasher>::default().hash_one(s);
        let text = b"dynamodb:batchgetitem-and-more";
        let mut seen = std::collections::HashSet::new();
        for n in 0..=text.len() {
            let key = &text[..n];
            assert!(seen.insert(hash(key)), "length {n}");
            for i in 0..n {
                let mut other = key.to_vec();
                other[i] ^= 0x20;
                assert_ne!(hash(key), hash(&other), "length {n}, byte {i}");
            }
        }
    }

    #[test]
    fn item_may_match_is_the_first_byte_test_then_glob() {
        // The filter before the literal-prefix check: exactly what it must still answer.
        let reference =
            |item: &str, action: &str| match (item.bytes().next(), action.bytes().next()) {
                (Some(p), Some(c)) if p != b'*' && p != b'?' && p.to_ascii_lowercase() != c => {
                    false
                }
                _ => !item.is_ascii() || glob(item, action, true),
            };
        let items = [
            "",
            "*",
            "?",
            "s3:*",
            "S3:GetObject",
            "s3:Get*",
            "s3:get?bject",
            "sqs:*",
            "s*:Get*",
            "s3:GetObjectAcl",
            "s3",
            "s3:",
            "ec2:*",
            "s3:GetObject*",
            "s\u{212A}3:x",
            "s3:G\u{e9}t",
            "\u{e9}3:x",
            "S3:GETOBJECT",
            "s3*",
            "s3:Get?*",
            "sagemaker:List*",
            "sa\u{e9}:x",
        ];
        let mut kept = 0;
        for action in ["s3:getobject", "", "s", "s3:", "ec2:describeinstances"] {
            for item in items {
                let got = item_may_match(item, action);
                assert_eq!(got, reference(item, action), "{item:?} for {action:?}");
                kept += usize::from(got);
            }
        }
        assert!(kept > 10, "{kept}");
    }

    fn arn(p: &str, v: &str) -> bool {
        let tokens = ArnMatcher::new(
            &Template::new(p, false)
                .resolve_tokens(&Context::default(), &mut Vec::new())
                .unwrap(),
        )
        .matches(v);
        assert_eq!(tokens, ArnMatcher::plain(p).matches(v), "{p} vs {v}");
        tokens
    }

    #[test]
    fn arn_matching_is_field_wise() {
        assert!(arn(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:role/a/b"
        ));
        assert!(!arn(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:user/a"
        ));
        assert!(!arn(
            "arn:aws:someservice:*:111122223333:finance/*",
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
        ));
        assert!(arn("arn:aws:s3:::b/*", "arn:aws:s3:::b/k:with:colons"));
        assert!(arn("*", "anything"));
        assert!(!arn("arn:aws:s3:::B", "arn:aws:s3:::b"));
        assert!(arn(
            "arn:aws:s3:::b/*/test/*",
            "arn:aws:s3:::b/1///test///object.jpg"
        ));
        assert!(!arn(
            "arn:aws:s3:::b/*/test/*",
            "arn:aws:s3:::b/test/object.jpg"
        ));
        assert!(!arn(
            "arn:aws:sqs:*:q",
            "arn:aws:sqs:us-east-1:111122223333:q"
        ));
        assert!(arn("arn:aws:sqs:*", "arn:aws:sqs:us-east-1:111122223333:q"));
        assert!(arn(
            "arn:aws:sqs:us-east-1:*",
            "arn:aws:sqs:us-east-1:111122223333:q"
        ));
        assert!(!arn(
            "arn:aws:sqs:us-west-2:*",
            "arn:aws:sqs:us-east-1:111122223333:q"
        ));
        assert!(arn("arn:*", "arn:aws:s3:::b"));
        assert!(!arn("arn:aws:s3:::b/*", "arn:aws:s3"));
        assert!(arn("a*", "abc"));
        assert!(arn("*queue1", "arn:aws:sqs:us-east-1:111122223333:queue1"));
        assert!(!arn("arn:aws:s3:::b", "not-an-arn"));
    }

    #[test]
    fn templates() {
        let ctx = Context::new(&[("aws:username".into(), vec!["al*ce".into()])]);
        let t = Template::new("home/${aws:UserName}/${*}x", true);
        let mut missing = Vec::new();
        assert_eq!(t.resolve_text(&ctx, &mut missing).unwrap(), "home/al*ce/*x");
        let toks = t.resolve_tokens(&ctx, &mut missing).unwrap();
        let p = pattern_from(&toks, false);
        assert!(p.matches("home/al*ce/*x"));
        assert!(!p.matches("home/alice/*x"));
        let t = Template::new("${aws:PrincipalTag/team, 'company-wide'}", true);
        assert_eq!(t.resolve_text(&ctx, &mut missing).unwrap(), "company-wide");
        assert_eq!(missing, vec!["aws:PrincipalTag/team".to_string()]);
        let t = Template::new("${aws:PrincipalTag/team}", true);
        assert!(t.resolve_text(&ctx, &mut missing).is_none());
        let t = Template::new("${aws:username}", false);
        assert_eq!(
            t.resolve_text(&ctx, &mut missing).unwrap(),
            "${aws:username}"
        );
    }
}
