//! Compiling policies for fast evaluation: wildcard patterns built once, condition values parsed
//! once, statements indexed by action.

use std::collections::HashMap;

use iamscope_policy::values::{
    Decimal, IpRange, Timestamp, decode_base64, parse_bool, parse_date, parse_ip_range,
    parse_number,
};
use iamscope_policy::variables::{self, Piece as VarPiece};
use iamscope_policy::wildcard::{Pattern, Token};
use iamscope_policy::{
    BaseOperator, Effect, Operator, OperatorFamily, Policy, PrincipalElement, Statement,
};
use iamscope_syntax::{FindingType, TextRange};

use crate::context::Context;
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

/// ARN matching: each of the six colon-separated fields is matched on its own, with wildcards,
/// case-sensitively; the resource field takes the rest of the ARN (colons included)
/// (reference_policies_elements_resource.md, "Using wildcards in resource ARNs";
/// condition operators page, "Amazon Resource Name (ARN) condition operators"). A pattern that
/// starts with `arn` but has fewer than six fields matches no ARN (its wildcards cannot reach into
/// the missing fields). A value or pattern that is not ARN-shaped is matched as a whole string.
/// `*` matches everything.
#[derive(Clone, Debug)]
pub(crate) struct ArnMatcher {
    match_all: bool,
    fields: Option<Vec<Pattern>>,
    /// The pattern starts with `arn:` but has fewer than six fields.
    short_arn: bool,
    whole: Pattern,
}

impl ArnMatcher {
    pub fn new(tokens: &[OTok]) -> ArnMatcher {
        let match_all = tokens.len() == 1 && tokens[0] == OTok::Star;
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
        let short_arn =
            fields.len() < 6 && fields.len() > 1 && fields[0] == [OTok::Lit("arn".into())];
        ArnMatcher {
            match_all,
            short_arn,
            fields: (fields.len() == 6)
                .then(|| fields.iter().map(|f| pattern_from(f, false)).collect()),
            whole: pattern_from(tokens, false),
        }
    }

    pub fn matches(&self, value: &str) -> bool {
        if self.match_all {
            return true;
        }
        if let Some(fields) = &self.fields {
            let mut parts = value.splitn(6, ':');
            let mut ok = true;
            let mut n = 0;
            for f in fields {
                match parts.next() {
                    Some(part) => {
                        n += 1;
                        if ok && !f.matches(part) {
                            ok = false;
                        }
                    }
                    None => break,
                }
            }
            if n == 6 {
                return ok;
            }
        }
        if self.short_arn && value.starts_with("arn:") && value.splitn(6, ':').count() == 6 {
            return false;
        }
        self.whole.matches(value)
    }
}

/// A compiled `Resource`/`NotResource` item.
#[derive(Clone, Debug)]
pub(crate) struct ResourceItem {
    pub template: Template,
    /// Compiled when the item has no variables.
    pub matcher: Option<ArnMatcher>,
}

/// A compiled `Action`/`NotAction` item (lower case).
#[derive(Clone, Debug)]
pub(crate) enum ActionItem {
    Exact(String),
    Pattern(Pattern),
}

impl ActionItem {
    pub fn matches(&self, action_lower: &str) -> bool {
        match self {
            ActionItem::Exact(a) => a == action_lower,
            ActionItem::Pattern(p) => p.matches(action_lower),
        }
    }
}

/// A condition value compiled for its operator family.
#[derive(Clone, Debug)]
pub(crate) enum Typed {
    /// StringEquals / StringNotEquals (and the IgnoreCase forms, lower-cased).
    Str(String),
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
                B::StringLike | B::StringNotLike => Typed::Like(match tokens {
                    Some(t) => pattern_from(t, false),
                    None => Pattern::new(text, false),
                }),
                B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
                    Typed::Str(text.to_lowercase())
                }
                _ => Typed::Str(text.to_string()),
            },
            OperatorFamily::Arn => Typed::Arn(match tokens {
                Some(t) => ArnMatcher::new(t),
                None => ArnMatcher::new(
                    &Template::new(text, false)
                        .resolve_tokens(&Context::default(), &mut Vec::new())
                        .unwrap_or_default(),
                ),
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
    pub op_text: String,
    pub key: String,
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
    pub sid: Option<String>,
    pub effect: Effect,
    pub range: TextRange,
    pub pointer: String,
    pub not_action: bool,
    pub actions: Vec<ActionItem>,
    /// `None`: no `Resource` element (a trust policy): every resource.
    pub not_resource: bool,
    pub resources: Option<Vec<ResourceItem>>,
    pub principal: Option<CPrincipal>,
    pub conditions: Vec<CCondition>,
}

impl CStatement {
    pub fn action_matches(&self, action_lower: &str) -> bool {
        let any = self.actions.iter().any(|a| a.matches(action_lower));
        any != self.not_action
    }
}

/// Statements indexed by action.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActionIndex {
    exact: HashMap<String, Vec<u32>>,
    by_service: HashMap<String, Vec<(u32, usize)>>,
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
            for (ai, item) in st.actions.iter().enumerate() {
                match item {
                    ActionItem::Exact(a) => idx.exact.entry(a.clone()).or_default().push(si),
                    ActionItem::Pattern(p) => {
                        let prefix = p.literal_prefix();
                        match prefix.split_once(':') {
                            Some((service, _)) => idx
                                .by_service
                                .entry(service.to_string())
                                .or_default()
                                .push((si, ai)),
                            None => idx.always.push(si),
                        }
                    }
                }
            }
        }
        idx
    }

    /// The statements whose `Action` could match, sorted and unique (a superset for `NotAction`).
    pub fn candidates(&self, statements: &[CStatement], action_lower: &str) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        if let Some(v) = self.exact.get(action_lower) {
            out.extend_from_slice(v);
        }
        if let Some((service, _)) = action_lower.split_once(':')
            && let Some(v) = self.by_service.get(service)
        {
            for &(si, ai) in v {
                if statements[si as usize].actions[ai].matches(action_lower) {
                    out.push(si);
                }
            }
        }
        out.extend_from_slice(&self.always);
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A compiled policy.
#[derive(Clone, Debug)]
pub(crate) struct CPolicy {
    pub place: PolicyRef,
    pub statements: Vec<CStatement>,
    pub index: ActionIndex,
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
            actions: vec![ActionItem::Pattern(Pattern::new("*", true))],
            not_resource: false,
            resources: Some(vec![ResourceItem {
                template: Template::new("*", false),
                matcher: Some(ArnMatcher::new(&[OTok::Star])),
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
        let index = ActionIndex::build(&statements);
        CPolicy {
            place: PolicyRef {
                layer: Layer::Rcp,
                level: Some(level),
                index: usize::MAX,
                name: Some("RCPFullAWSAccess (implicit)".into()),
                offset: None,
            },
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
/// error naming the policy.
pub(crate) fn compile_policy(
    place: PolicyRef,
    src: &PolicySource,
) -> Result<CPolicy, Vec<EvalError>> {
    let parsed = iamscope_policy::parse_policy(&src.text);
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
    compile_model(place, &policy)
}

/// Compiles an already parsed policy.
pub(crate) fn compile_model(place: PolicyRef, policy: &Policy) -> Result<CPolicy, Vec<EvalError>> {
    let vars = policy.supports_variables();
    let mut statements = Vec::with_capacity(policy.statements.len());
    let mut errors = Vec::new();
    for st in &policy.statements {
        match compile_statement(st, vars) {
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
    let index = ActionIndex::build(&statements);
    Ok(CPolicy {
        place,
        statements,
        index,
    })
}

fn compile_statement(st: &Statement, vars: bool) -> Result<CStatement, (String, TextRange)> {
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
    let actions = action
        .items
        .iter()
        .map(|a| {
            let lower = a.value.to_ascii_lowercase();
            if lower.contains(['*', '?']) {
                ActionItem::Pattern(Pattern::new(&lower, true))
            } else {
                ActionItem::Exact(lower)
            }
        })
        .collect();
    let (not_resource, resources) = match &st.resource {
        None => (false, None),
        Some(r) => (
            r.not,
            Some(
                r.items
                    .iter()
                    .map(|i| {
                        let template = Template::new(&i.value, vars);
                        let matcher = template.is_plain().then(|| {
                            ArnMatcher::new(
                                &template
                                    .resolve_tokens(&Context::default(), &mut Vec::new())
                                    .unwrap_or_default(),
                            )
                        });
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
                op_text: block.operator.value.clone(),
                key: entry.key.value.clone(),
                key_lower: entry.key.value.to_ascii_lowercase(),
                range: entry.key.range,
                values,
            });
        }
    }
    Ok(CStatement {
        index: st.index,
        sid: st.sid.as_ref().map(|s| s.value.clone()),
        effect,
        range: st.range,
        pointer: st.pointer.clone(),
        not_action: action.not,
        actions,
        not_resource,
        resources,
        principal: st.principal.clone().map(|element| CPrincipal { element }),
        conditions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(p: &str, v: &str) -> bool {
        ArnMatcher::new(
            &Template::new(p, false)
                .resolve_tokens(&Context::default(), &mut Vec::new())
                .unwrap(),
        )
        .matches(v)
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
