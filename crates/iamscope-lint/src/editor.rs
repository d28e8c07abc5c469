//! Editor support: what is at an offset of a policy text (an action, a condition key, a condition
//! operator, a principal key, an element name, a resource ARN), the completions that fit there and
//! the hover information for it, from the service catalog.
//!
//! It works on text being typed, which is often not valid JSON yet: a tolerant scan from the start
//! of the text to the offset tracks the open objects and arrays and the member keys leading to
//! the offset (`/Statement/0/Condition/StringEquals`), and whether the offset is inside a string.
//! When the whole text parses, the statement around the offset gives context (its actions decide
//! which condition keys and resource ARN formats are offered).
//!
//! Every offset and range here is in bytes of the UTF-8 text; the faces convert them (the wasm
//! facade to UTF-16). No input panics: offsets past the end or inside a character are clamped.

use iamscope_catalog::{Action, ActionInfo, Catalog, ConditionKeySummary};
use iamscope_policy::{BaseOperator, Operator, OperatorFamily, Statement};
use iamscope_syntax::TextRange;
use serde::Serialize;

/// What a completion item inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CompletionKind {
    /// A policy element name (`Version`, `Statement`, `Effect`, `Action`, ...).
    Element,
    /// A fixed value (`2012-10-17`, `Allow`, `true`, `*`).
    Value,
    /// A service prefix (`s3:`), in an `Action`.
    Service,
    /// An action (`s3:GetObject`).
    Action,
    /// A condition operator (`StringEquals`, `ForAnyValue:StringLike`, ...).
    Operator,
    /// A condition key (`aws:SourceIp`, `s3:prefix`).
    ConditionKey,
    /// A principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`).
    PrincipalKey,
    /// A resource ARN format of the statement's actions.
    ResourceArn,
}

/// One completion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Completion {
    /// What the list shows (`s3:GetObject`, `aws:RequestTag/${TagKey}`).
    pub label: String,
    pub kind: CompletionKind,
    /// A short note shown beside the label (access level, key type, service name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The text that replaces [`Completions::range`]: without quotes when the offset is inside a
    /// string, with them otherwise.
    pub insert_text: String,
}

/// The completions at an offset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Completions {
    /// The range the chosen item replaces: the string's content when the offset is inside a string
    /// (so `"s3:Get|Obj"` becomes `"s3:GetObjectAcl"`), else the empty range at the offset.
    pub range: TextRange,
    /// Items whose label starts with the text typed so far (case-insensitive), sorted by label.
    pub items: Vec<Completion>,
}

/// What a hover describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum HoverKind {
    Action,
    ActionPattern,
    UnknownAction,
    ConditionKey,
    UnknownConditionKey,
    Operator,
    PrincipalKey,
    Element,
    Resource,
}

/// Hover information.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hover {
    /// The range of the hovered string, quotes included.
    pub range: TextRange,
    pub kind: HoverKind,
    /// The text to show, in Markdown.
    pub markdown: String,
    /// For [`HoverKind::Action`]: the action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionInfo>,
    /// For [`HoverKind::ConditionKey`]: the key as the catalog knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_key: Option<ConditionKeySummary>,
}

/// The most completion items returned (editors filter further as the user types).
pub const MAX_COMPLETIONS: usize = 1000;

/// Completions at byte `offset` of `text`.
pub fn completions(text: &str, offset: u32, catalog: &Catalog) -> Completions {
    let offset = clamp(text, offset);
    let loc = scan(text, offset, false);
    let (range, typed, quoted) = match &loc.string {
        Some(s) => (s.content, &text[s.content.start as usize..offset], true),
        None => (TextRange::empty(offset as u32), "", false),
    };
    let mut items = Vec::new();
    let mut push = |label: &str, kind, detail: Option<String>, insert: &str| {
        items.push(Completion {
            label: label.to_string(),
            kind,
            detail,
            insert_text: if quoted {
                insert.to_string()
            } else {
                format!("\"{insert}\"")
            },
        });
    };
    let statement = || statement_at(text, offset, catalog);
    match loc.target() {
        Target::Key(path) if path.is_empty() => {
            for (e, d) in TOP_ELEMENTS {
                push(e, CompletionKind::Element, Some(d.to_string()), e);
            }
        }
        Target::Key(path) => match stmt_rest(&path) {
            Some([]) => {
                for (e, d) in STATEMENT_ELEMENTS {
                    push(e, CompletionKind::Element, Some(d.to_string()), e);
                }
            }
            Some([Seg::Key(p)]) if p == "Principal" || p == "NotPrincipal" => {
                for (k, d) in PRINCIPAL_KEYS {
                    push(k, CompletionKind::PrincipalKey, Some(d.to_string()), k);
                }
            }
            Some([Seg::Key(c)]) if c == "Condition" => {
                for name in operator_names() {
                    let detail = Operator::parse(&name)
                        .ok()
                        .map(|o| family_name(o.base.family()));
                    push(
                        &name,
                        CompletionKind::Operator,
                        detail.map(str::to_string),
                        &name,
                    );
                }
            }
            Some([Seg::Key(c), Seg::Key(_)]) if c == "Condition" => {
                let keys = match statement() {
                    Some(keys) => keys.condition_keys,
                    None => catalog.condition_keys().map(|k| k.info()).collect(),
                };
                for k in keys {
                    if starts_with_ci(&k.name, typed)
                        || starts_with_ci(template_head(&k.name), typed)
                    {
                        let detail = format!(
                            "{}{}",
                            k.key_type.as_str(),
                            if k.global { ", global" } else { "" }
                        );
                        push(
                            &k.name,
                            CompletionKind::ConditionKey,
                            Some(detail),
                            template_head(&k.name),
                        );
                    }
                }
            }
            _ => {}
        },
        Target::Value(path) => {
            if path.as_slice() == [Seg::Key("Version".into())] {
                push(
                    "2012-10-17",
                    CompletionKind::Value,
                    Some("current version; supports policy variables".into()),
                    "2012-10-17",
                );
                push(
                    "2008-10-17",
                    CompletionKind::Value,
                    Some("old version; no policy variables".into()),
                    "2008-10-17",
                );
            }
            match stmt_rest(&path) {
                Some([Seg::Key(e)]) if e == "Effect" => {
                    push("Allow", CompletionKind::Value, None, "Allow");
                    push("Deny", CompletionKind::Value, None, "Deny");
                }
                Some([Seg::Key(e)]) if e == "Principal" || e == "NotPrincipal" => {
                    push(
                        "*",
                        CompletionKind::Value,
                        Some("everyone, including anonymous users".into()),
                        "*",
                    );
                }
                Some([Seg::Key(e), rest @ ..])
                    if (e == "Action" || e == "NotAction") && is_item(rest) =>
                {
                    action_completions(catalog, typed, &mut push);
                }
                Some([Seg::Key(e), rest @ ..])
                    if (e == "Resource" || e == "NotResource") && is_item(rest) =>
                {
                    if let Some(st) = statement() {
                        for (arn, rt) in st.arn_formats {
                            if starts_with_ci(&arn, typed) {
                                push(&arn, CompletionKind::ResourceArn, Some(rt), &arn);
                            }
                        }
                    }
                    push(
                        "*",
                        CompletionKind::Value,
                        Some("every resource".into()),
                        "*",
                    );
                }
                Some([Seg::Key(c), Seg::Key(op), Seg::Key(key), rest @ ..])
                    if c == "Condition" && is_item(rest) =>
                {
                    let is_bool = Operator::parse(op).is_ok_and(|o| {
                        o.base == BaseOperator::Bool || o.base == BaseOperator::Null
                    }) || catalog
                        .condition_key(key)
                        .is_some_and(|k| k.key_type().base() == iamscope_catalog::KeyType::Bool);
                    if is_bool {
                        push("true", CompletionKind::Value, None, "true");
                        push("false", CompletionKind::Value, None, "false");
                    }
                }
                _ => {}
            }
        }
        Target::None => {}
    }
    items.retain(|c| quoted_prefix_ok(c, typed, quoted));
    iamscope_syntax::sort::sort_by(&mut items, |a, b| {
        a.label
            .to_ascii_lowercase()
            .cmp(&b.label.to_ascii_lowercase())
            .then(a.label.cmp(&b.label))
    });
    items.dedup_by(|a, b| a.label == b.label);
    items.truncate(MAX_COMPLETIONS);
    Completions { range, items }
}

/// Hover information for the string at byte `offset` of `text`, if there is something to say.
pub fn hover(text: &str, offset: u32, catalog: &Catalog) -> Option<Hover> {
    let offset = clamp(text, offset);
    let loc = scan(text, offset, true);
    let s = loc.string.clone()?;
    let value = s.value.as_str();
    let range = s.quoted;
    let plain = |kind, markdown: String| Hover {
        range,
        kind,
        markdown,
        action: None,
        condition_key: None,
    };
    match loc.target() {
        Target::Key(path) if path.is_empty() => {
            element_doc(value, TOP_ELEMENTS).map(|d| plain(HoverKind::Element, d))
        }
        Target::Key(path) => match stmt_rest(&path) {
            Some([]) => {
                element_doc(value, STATEMENT_ELEMENTS).map(|d| plain(HoverKind::Element, d))
            }
            Some([Seg::Key(p)]) if p == "Principal" || p == "NotPrincipal" => {
                element_doc(value, PRINCIPAL_KEYS).map(|d| plain(HoverKind::PrincipalKey, d))
            }
            Some([Seg::Key(c)]) if c == "Condition" => Operator::parse(value)
                .ok()
                .map(|op| plain(HoverKind::Operator, operator_doc(&op))),
            Some([Seg::Key(c), Seg::Key(_)]) if c == "Condition" => Some(condition_key_hover(
                catalog,
                value,
                range,
                statement_actions(text, offset, catalog),
            )),
            _ => None,
        },
        Target::Value(path) => match stmt_rest(&path) {
            Some([Seg::Key(e), rest @ ..])
                if (e == "Action" || e == "NotAction") && is_item(rest) =>
            {
                Some(action_hover(catalog, value, range, e == "NotAction"))
            }
            Some([Seg::Key(e), rest @ ..])
                if (e == "Resource" || e == "NotResource") && is_item(rest) =>
            {
                resource_hover(catalog, value).map(|m| plain(HoverKind::Resource, m))
            }
            _ => None,
        },
        Target::None => None,
    }
}

// ---- the tolerant scan ----------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug)]
enum Frame {
    Object { key: Option<String>, colon: bool },
    Array { index: usize },
}

/// A string token at the offset.
#[derive(Clone, Debug)]
struct StrTok {
    /// With the quotes (the closing one only when present).
    quoted: TextRange,
    /// Between the quotes.
    content: TextRange,
    /// The unescaped value.
    value: String,
}

#[derive(Debug)]
struct Location {
    /// Keys and indexes leading to the innermost open container.
    path: Vec<Seg>,
    /// The innermost open container.
    top: Option<Frame>,
    /// The string the offset is in, if any.
    string: Option<StrTok>,
}

/// What the offset is at: a member key of the object at `path`, or a value at `path`.
enum Target {
    Key(Vec<Seg>),
    Value(Vec<Seg>),
    None,
}

impl Location {
    fn target(&self) -> Target {
        match &self.top {
            Some(Frame::Object { key, colon: false }) if key.is_none() || self.string.is_some() => {
                Target::Key(self.path.clone())
            }
            Some(Frame::Object {
                key: Some(k),
                colon: true,
            }) => {
                let mut p = self.path.clone();
                p.push(Seg::Key(k.clone()));
                Target::Value(p)
            }
            Some(Frame::Array { index }) => {
                let mut p = self.path.clone();
                p.push(Seg::Index(*index));
                Target::Value(p)
            }
            _ => Target::None,
        }
    }
}

fn clamp(text: &str, offset: u32) -> usize {
    let mut o = (offset as usize).min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// The end of the string token starting at `start` (a `"`): the index of the closing quote, or of
/// the line break or end of text that cuts it off, and whether it is closed.
fn string_end(b: &[u8], start: usize) -> (usize, bool) {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'"' => return (i, true),
            b'\\' => i += 2,
            b'\n' | b'\r' => return (i, false),
            _ => i += 1,
        }
    }
    (b.len(), false)
}

fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                out.push(c.unwrap_or('\u{fffd}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Scans `text` up to `offset`. With `inclusive`, an offset on a string's opening quote counts as
/// inside it (hover); without, the offset must be after the opening quote (completion: the cursor
/// sits between characters).
fn scan(text: &str, offset: usize, inclusive: bool) -> Location {
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<Seg> = Vec::new();
    let mut i = 0;
    while i < b.len() && i <= offset {
        match b[i] {
            b'"' => {
                let (end, closed) = string_end(b, i);
                let inside = if inclusive {
                    offset >= i && offset <= end
                } else {
                    offset > i && (offset <= end)
                };
                if inside {
                    let content = TextRange::new(i as u32 + 1, end as u32);
                    let quoted = TextRange::new(i as u32, (end + usize::from(closed)) as u32);
                    return Location {
                        path,
                        top: stack.pop(),
                        string: Some(StrTok {
                            quoted,
                            content,
                            value: unescape(content.slice(text)),
                        }),
                    };
                }
                if let Some(Frame::Object { key, colon: false }) = stack.last_mut() {
                    *key = Some(unescape(&text[i + 1..end]));
                }
                i = end + 1;
                continue;
            }
            _ if i == offset => break,
            b'{' | b'[' => {
                if let Some(top) = stack.last() {
                    path.push(match top {
                        Frame::Object { key, .. } => Seg::Key(key.clone().unwrap_or_default()),
                        Frame::Array { index } => Seg::Index(*index),
                    });
                }
                stack.push(if b[i] == b'{' {
                    Frame::Object {
                        key: None,
                        colon: false,
                    }
                } else {
                    Frame::Array { index: 0 }
                });
            }
            b'}' | b']' => {
                stack.pop();
                // one key or index per container below the root
                path.truncate(stack.len().saturating_sub(1));
            }
            b':' => {
                if let Some(Frame::Object { colon, .. }) = stack.last_mut() {
                    *colon = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, colon }) => {
                    *key = None;
                    *colon = false;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    Location {
        path,
        top: stack.pop(),
        string: None,
    }
}

/// The part of a path below a statement (`/Statement/3/...` or `/Statement/...`).
fn stmt_rest(path: &[Seg]) -> Option<&[Seg]> {
    match path {
        [Seg::Key(s), Seg::Index(_), rest @ ..] if s == "Statement" => Some(rest),
        [Seg::Key(s), rest @ ..] if s == "Statement" => Some(rest),
        _ => None,
    }
}

/// A string value or an item of an array of them.
fn is_item(rest: &[Seg]) -> bool {
    matches!(rest, [] | [Seg::Index(_)])
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn quoted_prefix_ok(c: &Completion, typed: &str, quoted: bool) -> bool {
    !quoted
        || typed.is_empty()
        || starts_with_ci(&c.label, typed)
        || starts_with_ci(&c.insert_text, typed)
}

/// A templated key up to its placeholder (`aws:RequestTag/${TagKey}` -> `aws:RequestTag/`).
fn template_head(name: &str) -> &str {
    match name.find(['$', '<']) {
        Some(i) => &name[..i],
        None => name,
    }
}

// ---- context from the parsed statement --------------------------------------------------------

struct StatementContext {
    /// The condition keys that apply to the statement's actions (global keys included).
    condition_keys: Vec<ConditionKeySummary>,
    /// (ARN format, `service resource-type`) of the statement's actions' resource types.
    arn_formats: Vec<(String, String)>,
}

/// The most actions a statement may match for its keys and ARN formats to be listed one by one
/// (`"Action": "*"` would list every key of every service).
const MAX_CONTEXT_ACTIONS: usize = 400;

/// The catalog actions of the `Action` element of the statement around `offset`, when the text
/// parses; `None` for a `NotAction` statement or one without `Action`.
fn statement_actions<'c>(
    text: &str,
    offset: usize,
    catalog: &'c Catalog,
) -> Option<Vec<Action<'c>>> {
    let parsed = iamscope_policy::parse_policy(text);
    let policy = parsed.policy?;
    let st: &Statement = policy
        .statements
        .iter()
        .find(|s| s.range.contains_inclusive(offset as u32))?;
    let list = st.action.as_ref()?;
    if list.not {
        return None;
    }
    let patterns: Vec<&str> = list.strs().collect();
    Some(catalog.expand_any(&patterns))
}

fn statement_at(text: &str, offset: usize, catalog: &Catalog) -> Option<StatementContext> {
    let actions = statement_actions(text, offset, catalog)?;
    if actions.is_empty() || actions.len() > MAX_CONTEXT_ACTIONS {
        return None;
    }
    let mut keys: Vec<ConditionKeySummary> =
        catalog.global_condition_keys().map(|k| k.info()).collect();
    let mut arns = Vec::new();
    for a in &actions {
        keys.extend(a.all_condition_keys().iter().map(|k| k.info()));
        for r in a.resource_types() {
            if let Some(rt) = r.resource_type() {
                for f in rt.arn_formats() {
                    arns.push((
                        f.to_string(),
                        format!("{} {}", rt.service().prefix(), rt.name()),
                    ));
                }
            }
        }
    }
    iamscope_syntax::sort::sort_by(&mut keys, |a, b| {
        a.name
            .to_ascii_lowercase()
            .cmp(&b.name.to_ascii_lowercase())
    });
    keys.dedup_by(|a, b| a.name.eq_ignore_ascii_case(&b.name));
    iamscope_syntax::sort::sort(&mut arns);
    arns.dedup();
    Some(StatementContext {
        condition_keys: keys,
        arn_formats: arns,
    })
}

// ---- completions -------------------------------------------------------------------------------

fn action_completions(
    catalog: &Catalog,
    typed: &str,
    push: &mut impl FnMut(&str, CompletionKind, Option<String>, &str),
) {
    match typed.split_once(':') {
        None => {
            for s in catalog.services() {
                if starts_with_ci(s.prefix(), typed) {
                    let label = format!("{}:", s.prefix());
                    push(
                        &label,
                        CompletionKind::Service,
                        Some(s.name().to_string()),
                        &label,
                    );
                }
            }
            push(
                "*",
                CompletionKind::Value,
                Some("every action of every service".into()),
                "*",
            );
        }
        Some((svc, act)) => {
            let Some(service) = catalog.service(svc) else {
                return;
            };
            wildcard_completions(service, act, push);
            for a in service.actions() {
                if starts_with_ci(a.name(), act) {
                    let full = a.full_name();
                    push(
                        &full,
                        CompletionKind::Action,
                        Some(a.access_level().as_str().to_string()),
                        &full,
                    );
                }
            }
        }
    }
}

/// Action patterns with a trailing `*` for what is typed after `service:`: `s3:*`, each verb that
/// extends the typed text (`s3:Get*`, `s3:List*`: the first word of the action names), and the
/// typed text itself (`s3:GetObj*`) when it covers more than one action. Each with the number of
/// actions it covers, by access level, so the breadth of a wildcard shows before it is written.
fn wildcard_completions(
    service: iamscope_catalog::Service<'_>,
    typed: &str,
    push: &mut impl FnMut(&str, CompletionKind, Option<String>, &str),
) {
    if typed.contains(['*', '?']) {
        return;
    }
    let mut heads: Vec<&str> = Vec::new();
    if !typed.is_empty() {
        heads.push(typed);
    }
    for a in service.actions() {
        let name = a.name();
        if !starts_with_ci(name, typed) {
            continue;
        }
        // the first word: up to the second capital letter (`GetObject` -> `Get`)
        let word = name
            .char_indices()
            .skip(1)
            .find(|(_, c)| c.is_ascii_uppercase())
            .map_or(name, |(i, _)| &name[..i]);
        if word.len() > typed.len() && !heads.contains(&word) {
            heads.push(word);
        }
    }
    let prefix = service.prefix();
    let total = service.actions().len();
    let mut add = |head: &str, min: usize| {
        let mut levels = [0usize; iamscope_catalog::AccessLevel::ALL.len()];
        let mut n = 0;
        for a in service.actions().filter(|a| starts_with_ci(a.name(), head)) {
            n += 1;
            if let Some(k) = iamscope_catalog::AccessLevel::ALL
                .iter()
                .position(|&l| l == a.access_level())
            {
                levels[k] += 1;
            }
        }
        if n < min {
            return;
        }
        let by_level: Vec<String> = iamscope_catalog::AccessLevel::ALL
            .iter()
            .zip(levels)
            .filter(|(_, c)| *c > 0)
            .map(|(l, c)| format!("{c} {}", l.as_str()))
            .collect();
        let label = format!("{prefix}:{head}*");
        let detail = if n == total {
            format!("every {prefix} action: {n} ({})", by_level.join(", "))
        } else {
            format!(
                "{n} action{}: {}",
                if n == 1 { "" } else { "s" },
                by_level.join(", ")
            )
        };
        push(&label, CompletionKind::Action, Some(detail), &label);
    };
    if typed.is_empty() {
        add("", 1);
    }
    for h in heads {
        add(h, 2);
    }
}

fn operator_names() -> Vec<String> {
    let mut out = Vec::new();
    for base in BaseOperator::ALL {
        for qualifier in ["", "ForAnyValue:", "ForAllValues:"] {
            if base == BaseOperator::Null && !qualifier.is_empty() {
                continue;
            }
            out.push(format!("{qualifier}{}", base.as_str()));
            // ...IfExists exists for every operator except Null (condition operators page).
            if base != BaseOperator::Null {
                out.push(format!("{qualifier}{}IfExists", base.as_str()));
            }
        }
    }
    out
}

// ---- hover texts -------------------------------------------------------------------------------

const TOP_ELEMENTS: &[(&str, &str)] = &[
    (
        "Version",
        "The policy language version: use `2012-10-17` (the only one with policy variables).",
    ),
    ("Id", "An optional identifier for the policy."),
    (
        "Statement",
        "The statements: one object or an array of them.",
    ),
];

const STATEMENT_ELEMENTS: &[(&str, &str)] = &[
    (
        "Sid",
        "An optional statement id, unique within the policy (letters and digits).",
    ),
    (
        "Effect",
        "`Allow` or `Deny`. An explicit Deny overrides every Allow.",
    ),
    (
        "Principal",
        "Who the statement applies to (resource-based policies and trust policies only).",
    ),
    (
        "NotPrincipal",
        "Every principal except these. Only with `Deny` in current AWS guidance; avoid it.",
    ),
    (
        "Action",
        "The actions the statement applies to: `service:Action`, with `*` and `?` wildcards.",
    ),
    (
        "NotAction",
        "Every action except these. With `Allow` it grants far more than it seems.",
    ),
    (
        "Resource",
        "The resources the statement applies to: ARNs with `*` and `?` wildcards, or `*`.",
    ),
    ("NotResource", "Every resource except these."),
    (
        "Condition",
        "Conditions on the request context: `{\"Operator\": {\"key\": values}}`; all must hold.",
    ),
];

const PRINCIPAL_KEYS: &[(&str, &str)] = &[
    (
        "AWS",
        "AWS accounts, IAM users, IAM roles, role sessions and federated users, by ARN or account id; `*` for everyone.",
    ),
    (
        "Service",
        "AWS services, by service principal (`lambda.amazonaws.com`).",
    ),
    (
        "Federated",
        "Web identity or SAML identity providers (`cognito-identity.amazonaws.com`, a SAML provider ARN).",
    ),
    ("CanonicalUser", "An Amazon S3 canonical user id."),
];

fn element_doc(name: &str, table: &[(&str, &str)]) -> Option<String> {
    table
        .iter()
        .find(|(e, _)| *e == name)
        .map(|(e, d)| format!("**{e}**\n\n{d}"))
}

fn family_name(f: OperatorFamily) -> &'static str {
    match f {
        OperatorFamily::String => "string",
        OperatorFamily::Numeric => "numeric",
        OperatorFamily::Date => "date",
        OperatorFamily::Bool => "boolean",
        OperatorFamily::Binary => "binary",
        OperatorFamily::Ip => "IP address",
        OperatorFamily::Arn => "ARN",
        OperatorFamily::Null => "key existence",
    }
}

fn operator_doc(op: &Operator) -> String {
    use BaseOperator as B;
    let what = match op.base {
        B::StringEquals => "Exact, case-sensitive string match.",
        B::StringNotEquals => "Negated exact, case-sensitive string match.",
        B::StringEqualsIgnoreCase => "Exact string match, ignoring case.",
        B::StringNotEqualsIgnoreCase => "Negated string match, ignoring case.",
        B::StringLike => "Case-sensitive match with `*` and `?` wildcards.",
        B::StringNotLike => "Negated case-sensitive match with `*` and `?` wildcards.",
        B::NumericEquals => "Numeric equality.",
        B::NumericNotEquals => "Numeric inequality.",
        B::NumericLessThan => "Less than, numerically.",
        B::NumericLessThanEquals => "Less than or equal, numerically.",
        B::NumericGreaterThan => "Greater than, numerically.",
        B::NumericGreaterThanEquals => "Greater than or equal, numerically.",
        B::DateEquals => "The same date and time (ISO 8601 or epoch seconds).",
        B::DateNotEquals => "Not the same date and time.",
        B::DateLessThan => "Before the date and time.",
        B::DateLessThanEquals => "At or before the date and time.",
        B::DateGreaterThan => "After the date and time.",
        B::DateGreaterThanEquals => "At or after the date and time.",
        B::Bool => "Boolean match (`true` or `false`).",
        B::BinaryEquals => "Byte-for-byte match of a base64-encoded value.",
        B::IpAddress => "The IP address is in one of the ranges (CIDR notation).",
        B::NotIpAddress => "The IP address is in none of the ranges (CIDR notation).",
        B::ArnEquals => "ARN match, component by component (wildcards allowed).",
        B::ArnLike => "ARN match, component by component, with `*` and `?` wildcards.",
        B::ArnNotEquals => "Negated ARN match.",
        B::ArnNotLike => "Negated ARN match with wildcards.",
        B::Null => "`true`: the key is absent from the request; `false`: it is present.",
    };
    let mut s = format!(
        "**{}** ({} operator)\n\n{what}",
        op.name(),
        family_name(op.base.family())
    );
    if op.if_exists {
        s.push_str(
            "\n\n`...IfExists`: when the request does not carry the key, the condition is true.",
        );
    } else if op.base != B::Null {
        if op.base.is_negated() {
            s.push_str(
                "\n\nWhen the request does not carry the key, this negated condition is true.",
            );
        } else {
            s.push_str("\n\nWhen the request does not carry the key, the condition is false.");
        }
    }
    match op.qualifier {
        Some(iamscope_policy::SetQualifier::ForAnyValue) => s.push_str(
            "\n\n`ForAnyValue:`: true when at least one value of the multivalued key matches; false when the key is absent or empty.",
        ),
        Some(iamscope_policy::SetQualifier::ForAllValues) => s.push_str(
            "\n\n`ForAllValues:`: true when every value of the multivalued key matches, and also when the key is absent or empty.",
        ),
        None => {}
    }
    s.push_str(&format!(
        "\n\n[Condition operators in the IAM User Guide]({})",
        operator_url(op.base)
    ));
    s
}

/// The Service Authorization Reference page of a service. The catalog holds no URL; the page name
/// is derived from the service name as AWS's own links show it: lower case, letters and digits only
/// (`Amazon S3` -> `list_amazons3.html`, `AWS Key Management Service` ->
/// `list_awskeymanagementservice.html`; IAM User Guide, "Access Analyzer policy check reference" and
/// "Single-valued vs. multivalued context keys"). The page's sections are `#<slug>-actions-as-permissions`,
/// `#<slug>-resources-for-iam-policies` and `#<slug>-policy-keys`.
pub fn service_reference_url(service_name: &str, section: &str) -> String {
    let slug: String = service_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let anchor = if section.is_empty() {
        String::new()
    } else {
        format!("#{slug}-{section}")
    };
    format!(
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_{slug}.html{anchor}"
    )
}

/// The IAM User Guide's section on a global condition key (`aws:SourceIp` ->
/// `#condition-keys-sourceip`, `aws:PrincipalTag/${TagKey}` -> `#condition-keys-principaltag`:
/// the anchors of "AWS global condition context keys").
fn global_key_url(name: &str) -> String {
    let base = name.split_once(':').map_or(name, |(_, k)| k);
    let base = base.split('/').next().unwrap_or(base);
    format!(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-{}",
        base.to_ascii_lowercase()
    )
}

/// The IAM User Guide's condition operators page, at the operator's family.
fn operator_url(base: BaseOperator) -> String {
    use OperatorFamily as F;
    let anchor = match base.family() {
        F::String => "Conditions_String",
        F::Numeric => "Conditions_Numeric",
        F::Date => "Conditions_Date",
        F::Bool => "Conditions_Boolean",
        F::Binary => "Conditions_BinaryEquals",
        F::Ip => "Conditions_IPAddress",
        F::Arn => "Conditions_ARN",
        F::Null => "Conditions_Null",
    };
    format!(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#{anchor}"
    )
}

fn action_markdown(info: &ActionInfo) -> String {
    let mut s = format!(
        "**{}** ({})\n\nAccess level: {}",
        info.name, info.service_name, info.access_level_raw
    );
    if info.resource_types.is_empty() || info.supports_only_star {
        s.push_str("\n\nResource: `*` only (the action has no resource types).");
    } else {
        s.push_str("\n\nResource types:");
        for r in &info.resource_types {
            let formats: Vec<String> = r.arn_formats.iter().map(|f| format!("`{f}`")).collect();
            s.push_str(&format!(
                "\n- {}{} {}",
                r.name,
                if r.required { " (required)" } else { "" },
                formats.join(", ")
            ));
        }
    }
    if !info.condition_keys.is_empty() {
        let keys: Vec<String> = info
            .condition_keys
            .iter()
            .map(|k| format!("`{}`", k.name))
            .collect();
        s.push_str(&format!("\n\nCondition keys: {}", keys.join(", ")));
    }
    s.push_str(&format!(
        "\n\n[{} actions in the Service Authorization Reference]({})",
        info.service_name,
        service_reference_url(&info.service_name, "actions-as-permissions")
    ));
    s
}

/// How many matches an action pattern's hover lists.
const HOVER_LIST: usize = 25;

fn action_hover(catalog: &Catalog, value: &str, range: TextRange, not: bool) -> Hover {
    let not_note = if not {
        "\n\n`NotAction`: the statement applies to every action except these."
    } else {
        ""
    };
    if let Some(a) = catalog.action(value) {
        let info = a.info();
        return Hover {
            range,
            kind: HoverKind::Action,
            markdown: format!("{}{not_note}", action_markdown(&info)),
            action: Some(info),
            condition_key: None,
        };
    }
    if value.contains(['*', '?']) {
        let matches = catalog.expand(value);
        let mut levels: Vec<(&str, usize)> = Vec::new();
        for a in &matches {
            let l = a.access_level().as_str();
            match levels.iter_mut().find(|(n, _)| *n == l) {
                Some(e) => e.1 += 1,
                None => levels.push((l, 1)),
            }
        }
        iamscope_syntax::sort::sort(&mut levels);
        let mut s = format!(
            "**{value}** matches {} action{}",
            matches.len(),
            if matches.len() == 1 { "" } else { "s" }
        );
        if !levels.is_empty() {
            let parts: Vec<String> = levels.iter().map(|(l, n)| format!("{l}: {n}")).collect();
            s.push_str(&format!(" ({})", parts.join(", ")));
        }
        for a in matches.iter().take(HOVER_LIST) {
            s.push_str(&format!(
                "\n- `{}` {}",
                a.full_name(),
                a.access_level().as_str()
            ));
        }
        if matches.len() > HOVER_LIST {
            s.push_str(&format!("\n- ... and {} more", matches.len() - HOVER_LIST));
        }
        s.push_str(not_note);
        return Hover {
            range,
            kind: HoverKind::ActionPattern,
            markdown: s,
            action: None,
            condition_key: None,
        };
    }
    let mut s = format!(
        "**{value}** is not an action of the service catalog ({}).",
        catalog.data_date()
    );
    let suggestions = catalog.suggest_action(value);
    if !suggestions.is_empty() {
        let list: Vec<String> = suggestions.iter().map(|x| format!("`{x}`")).collect();
        s.push_str(&format!("\n\nDid you mean {}?", list.join(", ")));
    }
    Hover {
        range,
        kind: HoverKind::UnknownAction,
        markdown: s,
        action: None,
        condition_key: None,
    }
}

/// How many actions a condition key's hover names per list.
const KEY_ACTIONS_LISTED: usize = 10;

fn name_list(names: &[String]) -> String {
    let mut s: Vec<String> = names
        .iter()
        .take(KEY_ACTIONS_LISTED)
        .map(|n| format!("`{n}`"))
        .collect();
    if names.len() > KEY_ACTIONS_LISTED {
        s.push(format!("and {} more", names.len() - KEY_ACTIONS_LISTED));
    }
    s.join(", ")
}

fn condition_key_hover(
    catalog: &Catalog,
    key: &str,
    range: TextRange,
    statement: Option<Vec<Action<'_>>>,
) -> Hover {
    let Some(k) = catalog.condition_key(key) else {
        let mut s = format!("**{key}** is not a condition key of the service catalog.");
        let suggestions = catalog.suggest_condition_key(key);
        if !suggestions.is_empty() {
            let list: Vec<String> = suggestions.iter().map(|x| format!("`{x}`")).collect();
            s.push_str(&format!("\n\nDid you mean {}?", list.join(", ")));
        }
        return Hover {
            range,
            kind: HoverKind::UnknownConditionKey,
            markdown: s,
            action: None,
            condition_key: None,
        };
    };
    let info = k.info();
    let mut s = format!("**{}**\n\nType: {}", info.name, info.key_type.as_str());
    if info.key_type.is_multivalued() {
        s.push_str(" (multivalued: use `ForAnyValue:` or `ForAllValues:`)");
    }
    let service = key
        .split_once(':')
        .and_then(|(p, _)| catalog.service(p))
        .filter(|_| !info.global);
    match &service {
        _ if info.global => s.push_str("\n\nA global condition key."),
        Some(svc) => s.push_str(&format!(
            "\n\nA condition key of {} (`{}`).",
            svc.name(),
            svc.prefix()
        )),
        None => s.push_str("\n\nA service-specific condition key."),
    }
    if let Some(actions) = statement.filter(|a| !a.is_empty()) {
        let (yes, no): (Vec<&Action<'_>>, Vec<&Action<'_>>) =
            actions.iter().partition(|a| a.supports_key(key));
        let names = |v: &[&Action<'_>]| v.iter().map(|a| a.full_name()).collect::<Vec<_>>();
        if no.is_empty() {
            if actions.len() == 1 {
                s.push_str(&format!(
                    "\n\nSupported by the statement's action `{}`.",
                    actions[0].full_name()
                ));
            } else {
                s.push_str(&format!(
                    "\n\nSupported by all {} of the statement's actions.",
                    actions.len()
                ));
            }
        } else if yes.is_empty() {
            s.push_str(
                "\n\nNone of the statement's actions supports it: the condition may never be true.",
            );
        } else {
            s.push_str(&format!(
                "\n\nSupported by {} of the statement's {} actions: {}.\n\nNot by: {}.",
                yes.len(),
                actions.len(),
                name_list(&names(&yes)),
                name_list(&names(&no))
            ));
        }
    }
    if let Some(svc) = &service {
        let supporting: Vec<String> = svc
            .actions()
            .filter(|a| a.supports_key(key))
            .map(|a| a.full_name())
            .collect();
        if supporting.is_empty() {
            s.push_str(&format!(
                "\n\nNo {} action lists it at the action level (it may apply to requests without one).",
                svc.prefix()
            ));
        } else {
            s.push_str(&format!(
                "\n\n{} of the {} {} actions support it: {}.",
                supporting.len(),
                svc.actions().len(),
                svc.prefix(),
                name_list(&supporting)
            ));
        }
        s.push_str(&format!(
            "\n\n[{} condition keys in the Service Authorization Reference]({})",
            svc.name(),
            service_reference_url(svc.name(), "policy-keys")
        ));
    } else if info.global {
        s.push_str(&format!(
            "\n\n[Global condition keys in the IAM User Guide]({})",
            global_key_url(&info.name)
        ));
    }
    Hover {
        range,
        kind: HoverKind::ConditionKey,
        markdown: s,
        action: None,
        condition_key: Some(info),
    }
}

fn resource_hover(catalog: &Catalog, value: &str) -> Option<String> {
    if value == "*" {
        return Some("**\\***: every resource.".into());
    }
    if !value.starts_with("arn:") {
        return None;
    }
    let types = catalog.resource_types_for_arn_pattern(value);
    if types.is_empty() {
        return Some(format!(
            "`{value}` matches no resource type's ARN format in the service catalog."
        ));
    }
    let mut s = format!(
        "`{value}` may match {} resource type{}:",
        types.len(),
        if types.len() == 1 { "" } else { "s" }
    );
    for rt in types.iter().take(HOVER_LIST) {
        s.push_str(&format!(
            "\n- {} `{}` `{}`",
            rt.service().prefix(),
            rt.name(),
            rt.arn_format()
        ));
    }
    if types.len() > HOVER_LIST {
        s.push_str(&format!("\n- ... and {} more", types.len() - HOVER_LIST));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> &'static Catalog {
        Catalog::embedded()
    }

    /// Splits `text` at the `|` marker: (text without it, byte offset).
    fn at(marked: &str) -> (String, u32) {
        let i = marked.find('|').expect("marker");
        (marked.replacen('|', "", 1), i as u32)
    }

    fn labels(c: &Completions) -> Vec<&str> {
        c.items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn actions_in_a_half_typed_string() {
        let (t, o) = at(r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObj|"#);
        let c = completions(&t, o, cat());
        let l = labels(&c);
        assert!(l.contains(&"s3:GetObject"), "{l:?}");
        assert!(l.iter().all(|x| x.starts_with("s3:GetObj")), "{l:?}");
        assert_eq!(c.range.slice(&t), "s3:GetObj");
        let get = c
            .items
            .iter()
            .find(|i| i.label == "s3:GetObject")
            .expect("s3:GetObject");
        assert_eq!(get.insert_text, get.label);
        assert_eq!(get.kind, CompletionKind::Action);
        assert_eq!(get.detail.as_deref(), Some("Read"));
    }

    #[test]
    fn services_then_actions() {
        let (t, o) = at(r#"{"Statement":{"Action":"dynamo|"}}"#);
        let c = completions(&t, o, cat());
        assert_eq!(labels(&c), ["dynamodb:"]);
        // the range is the whole string content (the cursor may sit mid-string)
        assert_eq!(c.range.slice(&t), "dynamo");
    }

    #[test]
    fn elements_operators_keys_principals() {
        let (t, o) = at(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow", |}]}"#);
        let c = completions(&t, o, cat());
        assert!(labels(&c).contains(&"Condition"));
        assert_eq!(c.items[0].insert_text.chars().next(), Some('"'));
        let (t, o) = at(r#"{"Statement":[{"Condition":{"StringEq|"#);
        let l: Vec<String> = completions(&t, o, cat())
            .items
            .into_iter()
            .map(|i| i.label)
            .collect();
        assert!(
            l.contains(&"StringEquals".into()) && l.contains(&"StringEqualsIfExists".into()),
            "{l:?}"
        );
        assert!(l.contains(&"StringEqualsIgnoreCase".into()));
        let (t, o) = at(r#"{"Statement":[{"Condition":{"ForAnyValue:Str|"#);
        let l: Vec<String> = completions(&t, o, cat())
            .items
            .into_iter()
            .map(|i| i.label)
            .collect();
        assert!(l.contains(&"ForAnyValue:StringLike".into()), "{l:?}");
        let (t, o) = at(r#"{"Statement":[{"Principal":{"Se|"#);
        assert_eq!(labels(&completions(&t, o, cat())), ["Service"]);
        let (t, o) = at(r#"{"Statement":[{"Condition":{"IpAddress":{"aws:SourceI|"#);
        let c = completions(&t, o, cat());
        assert!(labels(&c).contains(&"aws:SourceIp"), "{:?}", labels(&c));
        assert!(labels(&c).iter().all(|k| k.starts_with("aws:SourceI")));
        let (t, o) = at(r#"{"|"#);
        assert_eq!(
            labels(&completions(&t, o, cat())),
            ["Id", "Statement", "Version"]
        );
    }

    #[test]
    fn keys_follow_the_statement_actions() {
        let (t, o) = at(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:|":"x"}}}]}"#,
        );
        let c = completions(&t, o, cat());
        let l = labels(&c);
        assert!(l.contains(&"s3:prefix"), "{l:?}");
        // a key of another s3 action that ListBucket does not list
        assert!(
            !l.iter().any(|k| k.eq_ignore_ascii_case("s3:x-amz-acl")),
            "{l:?}"
        );
        // templated keys insert up to the placeholder
        let (t, o) = at(r#"{"Statement":[{"Condition":{"StringEquals":{"aws:RequestT|"#);
        let c = completions(&t, o, cat());
        let tag = c
            .items
            .iter()
            .find(|i| i.label == "aws:RequestTag/${TagKey}")
            .expect("templated key");
        assert_eq!(tag.insert_text, "aws:RequestTag/");
    }

    #[test]
    fn resource_arns_of_the_actions() {
        let (t, o) =
            at(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:|"}]}"#);
        let c = completions(&t, o, cat());
        assert!(
            c.items
                .iter()
                .any(|i| i.kind == CompletionKind::ResourceArn && i.label.contains(":s3:::")),
            "{:?}",
            labels(&c)
        );
    }

    #[test]
    fn hover_action_pattern_unknown() {
        let t = r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:Get*","s3:GetObjekt"],"Resource":"*"}]}"#;
        let h = hover(t, t.find("GetObject").unwrap() as u32, cat()).expect("hover");
        assert_eq!(h.kind, HoverKind::Action);
        assert_eq!(h.range.slice(t), "\"s3:GetObject\"");
        assert_eq!(h.action.as_ref().unwrap().name, "s3:GetObject");
        assert!(h.markdown.contains("Access level: Read"), "{}", h.markdown);
        let h = hover(t, t.find("s3:Get*").unwrap() as u32, cat()).unwrap();
        assert_eq!(h.kind, HoverKind::ActionPattern);
        assert!(h.markdown.contains("matches"), "{}", h.markdown);
        let h = hover(t, t.find("GetObjekt").unwrap() as u32, cat()).unwrap();
        assert_eq!(h.kind, HoverKind::UnknownAction);
        assert!(h.markdown.contains("s3:GetObject"), "{}", h.markdown);
        // on the opening quote too
        let q = t.find("\"s3:GetObject\"").unwrap() as u32;
        assert_eq!(hover(t, q, cat()).unwrap().kind, HoverKind::Action);
        // outside strings: nothing
        assert!(hover(t, t.find('[').unwrap() as u32, cat()).is_none());
    }

    #[test]
    fn hover_keys_operators_elements() {
        let t = r#"{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Principal":{"AWS":"*"},"Condition":{"ForAnyValue:StringLikeIfExists":{"aws:SourceIp":"1.2.3.4/32","s3:prefix":"x"}}}]}"#;
        let h = hover(t, t.find("aws:SourceIp").unwrap() as u32, cat()).unwrap();
        assert_eq!(h.kind, HoverKind::ConditionKey);
        assert!(
            h.markdown.contains("IPAddress") && h.markdown.contains("global"),
            "{}",
            h.markdown
        );
        let h = hover(t, t.find("ForAnyValue").unwrap() as u32, cat()).unwrap();
        assert_eq!(h.kind, HoverKind::Operator);
        assert!(h.markdown.contains("IfExists") && h.markdown.contains("ForAnyValue"));
        let h = hover(t, t.find("Effect").unwrap() as u32, cat()).unwrap();
        assert_eq!(h.kind, HoverKind::Element);
        let h = hover(t, t.find("AWS").unwrap() as u32, cat()).unwrap();
        assert_eq!(h.kind, HoverKind::PrincipalKey);
        let h = hover(t, t.find("s3:prefix").unwrap() as u32, cat()).unwrap();
        assert!(h.markdown.contains("support it"), "{}", h.markdown);
    }

    #[test]
    fn wildcard_action_completions_with_counts() {
        let (t, o) = at(r#"{"Statement":{"Action":"s3:Get|"}}"#);
        let c = completions(&t, o, cat());
        let get = c
            .items
            .iter()
            .find(|i| i.label == "s3:Get*")
            .expect("s3:Get*");
        let n = cat().expand("s3:Get*").len();
        assert!(n > 10);
        assert!(
            get.detail
                .as_deref()
                .unwrap()
                .starts_with(&format!("{n} actions: ")),
            "{:?}",
            get.detail
        );
        assert!(get.detail.as_deref().unwrap().contains("Read"));
        assert_eq!(get.insert_text, "s3:Get*");
        // verbs that extend what is typed, and their counts
        let (t, o) = at(r#"{"Statement":{"Action":"s3:|"}}"#);
        let c = completions(&t, o, cat());
        let all = c.items.iter().find(|i| i.label == "s3:*").expect("s3:*");
        let total = cat().expand("s3:*").len();
        assert!(
            all.detail
                .as_deref()
                .unwrap()
                .starts_with(&format!("every s3 action: {total} ("))
        );
        for verb in ["s3:Get*", "s3:List*", "s3:Put*", "s3:Delete*"] {
            let item = c.items.iter().find(|i| i.label == verb).expect(verb);
            let n = cat().expand(verb).len();
            assert!(
                item.detail
                    .as_deref()
                    .unwrap()
                    .starts_with(&format!("{n} action")),
                "{verb}: {:?}",
                item.detail
            );
        }
        // a longer prefix gets its own pattern when it covers more than one action
        let (t, o) = at(r#"{"Statement":{"Action":"s3:GetObjectA|"}}"#);
        let l = labels(&completions(&t, o, cat()))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        assert!(l.contains(&"s3:GetObjectA*".to_string()), "{l:?}");
        // no pattern for a single action, nor after a wildcard
        let (t, o) = at(r#"{"Statement":{"Action":"s3:GetObjectAcl|"}}"#);
        assert!(!labels(&completions(&t, o, cat())).contains(&"s3:GetObjectAcl*"));
        let (t, o) = at(r#"{"Statement":{"Action":"s3:Get*|"}}"#);
        assert!(
            completions(&t, o, cat())
                .items
                .iter()
                .all(|i| !i.label.ends_with("**"))
        );
    }

    #[test]
    fn hover_links_and_supporting_actions() {
        let t = r#"{"Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":"*","Condition":{"StringLike":{"s3:prefix":"x","aws:SourceIp":"10.0.0.0/8"}}}]}"#;
        let h = hover(t, t.find("s3:ListBucket").unwrap() as u32, cat()).unwrap();
        assert!(
            h.markdown.contains("(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-actions-as-permissions)"),
            "{}",
            h.markdown
        );
        let h = hover(t, t.find("s3:prefix").unwrap() as u32, cat()).unwrap();
        assert_eq!(h.kind, HoverKind::ConditionKey);
        assert!(
            h.markdown
                .contains("Supported by 1 of the statement's 2 actions: `s3:ListBucket`")
                && h.markdown.contains("Not by: `s3:GetObject`"),
            "{}",
            h.markdown
        );
        let svc = cat().service("s3").unwrap();
        let n = svc
            .actions()
            .filter(|a| a.supports_key("s3:prefix"))
            .count();
        assert!(n >= 2);
        assert!(
            h.markdown.contains(&format!(
                "{n} of the {} s3 actions support it: ",
                svc.actions().len()
            )),
            "{}",
            h.markdown
        );
        assert!(
            h.markdown
                .contains("list_amazons3.html#amazons3-policy-keys")
        );
        let h = hover(t, t.find("aws:SourceIp").unwrap() as u32, cat()).unwrap();
        assert!(
            h.markdown
                .contains("Supported by all 2 of the statement's actions."),
            "{}",
            h.markdown
        );
        assert!(
            h.markdown
                .contains("reference_policies_condition-keys.html#condition-keys-sourceip")
        );
        let h = hover(t, t.find("StringLike").unwrap() as u32, cat()).unwrap();
        assert!(
            h.markdown
                .contains("reference_policies_elements_condition_operators.html#Conditions_String")
        );
        assert_eq!(
            global_key_url("aws:PrincipalTag/${TagKey}"),
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag"
        );
        assert_eq!(
            service_reference_url("AWS Key Management Service", ""),
            "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html"
        );
        // a key none of the statement's actions supports
        let t = r#"{"Statement":{"Action":"s3:GetObject","Condition":{"StringEquals":{"s3:prefix":"x"}}}}"#;
        let h = hover(t, t.find("s3:prefix").unwrap() as u32, cat()).unwrap();
        assert!(
            h.markdown
                .contains("None of the statement's actions supports it"),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn never_panics_on_odd_offsets_and_text() {
        let texts = [
            "",
            "\"",
            "{\"Statement\":[{\"Action\":\"s3:\\u00e9\u{1F600}",
            "]]]}}}{{{",
            "{\"a\\",
            "{\"Statement\":[[[[{\"Action\":[\"*\"]}]]]]}",
        ];
        for t in texts {
            for o in 0..=t.len() as u32 + 3 {
                let _ = completions(t, o, cat());
                let _ = hover(t, o, cat());
            }
        }
        let deep = "[".repeat(100_000);
        let _ = completions(&deep, 99_999, cat());
    }
}
