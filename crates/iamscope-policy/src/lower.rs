//! Lowering: spanned JSON -> [`Policy`], reporting every structural problem (wrong JSON types,
//! unknown or missing elements, conflicting elements, empty arrays and objects, duplicate keys,
//! unknown condition operators). Kind-specific rules live in `validate`.
//!
//! It walks the parser's flat [`Document`] (strings borrowed from the text), copies each string
//! the model keeps exactly once (the Action/Resource items all share one copy of the text, see
//! [`ItemStr`]), and builds a JSON pointer only when a diagnostic needs one ([`Ptr`] is a chain
//! of segments on the stack until then).

use iamscope_syntax::{
    Diagnostic, Document, FindingType, MemberRef, Members, TextRange, Value, ValueKind,
};

use std::sync::Arc;

use crate::model::*;
use crate::operator::{Operator, OperatorError};

/// Top-level elements of a policy document.
pub const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
/// Elements of a statement.
pub const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// A JSON pointer not yet written out: a parent and one segment.
#[derive(Clone, Copy)]
enum Ptr<'p> {
    /// The document root (the empty pointer).
    Root,
    /// A pointer already written out (a statement's).
    Built(&'p str),
    /// `parent/key`, the key escaped when written.
    Key(&'p Ptr<'p>, &'p str),
    /// `parent/index`.
    Index(&'p Ptr<'p>, usize),
}

impl Ptr<'_> {
    fn build(&self) -> String {
        // Room for every pointer of a real policy (`/Statement/12/Condition/StringLike/aws:...`)
        // without regrowing.
        let mut out = String::with_capacity(48);
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match *self {
            Ptr::Root => {}
            Ptr::Built(s) => out.push_str(s),
            Ptr::Key(parent, key) => {
                parent.write(out);
                out.push('/');
                push_escaped(out, key);
            }
            Ptr::Index(parent, i) => {
                parent.write(out);
                out.push('/');
                push_decimal(out, i);
            }
        }
    }
}

/// Appends `n` in decimal (what `write!(out, "{n}")` does, without the formatting machinery,
/// which cost more than the rest of a statement's pointer).
fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
}

fn push_escaped(out: &mut String, segment: &str) {
    if !segment.contains(['~', '/']) {
        out.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

struct Lowerer<'a> {
    source: &'a str,
    /// One copy of `source` that the model's Action/Resource items share (made on the first
    /// item; see [`ItemStr`]).
    shared: Option<Arc<str>>,
    diags: Vec<Diagnostic>,
    /// See [`lower_keeping_actions`]: which `Action`/`NotAction` items the model keeps.
    keep_action: Option<&'a dyn Fn(&str) -> bool>,
}

/// Lowers a parsed JSON document. `source` is the text `json` was parsed from (used to map
/// positions inside strings). Returns the model (as much as could be understood) and the
/// structural diagnostics.
pub fn lower(source: &str, json: &Document<'_>) -> (Policy, Vec<Diagnostic>) {
    lower_with(source, json, None)
}

/// [`lower`] for a caller that needs only some of the `Action`/`NotAction` items (an evaluator
/// answering one request needs those that may match its action): the model's action lists hold
/// the string items for which `keep` is true (with their `source_index`), the others are checked
/// exactly as [`lower`] checks them but not copied. The diagnostics are those of [`lower`]; every
/// other part of the model is the same.
pub fn lower_keeping_actions(
    source: &str,
    json: &Document<'_>,
    keep: &dyn Fn(&str) -> bool,
) -> (Policy, Vec<Diagnostic>) {
    lower_with(source, json, Some(keep))
}

fn lower_with<'a>(
    source: &'a str,
    json: &Document<'_>,
    keep_action: Option<&'a dyn Fn(&str) -> bool>,
) -> (Policy, Vec<Diagnostic>) {
    let mut l = Lowerer {
        source,
        shared: None,
        diags: Vec::new(),
        keep_action,
    };
    let policy = l.policy(json.root());
    (policy, l.diags)
}

fn type_mismatch(what: &str, expected: &str, found: Value<'_>, pointer: Ptr<'_>) -> Diagnostic {
    Diagnostic::error(
        "DATA_TYPE_MISMATCH",
        format!("{what} must be {expected}, found {}", found.type_name()),
        found.range(),
        pointer.build(),
    )
}

/// The members of an object, each key once (see [`Lowerer::dedupe`]).
enum Deduped<'d> {
    /// No key repeats: the members as they are.
    Unique(Members<'d>),
    Kept(std::vec::IntoIter<MemberRef<'d>>),
}

impl<'d> Iterator for Deduped<'d> {
    type Item = MemberRef<'d>;

    fn next(&mut self) -> Option<MemberRef<'d>> {
        match self {
            Deduped::Unique(m) => m.next(),
            Deduped::Kept(m) => m.next(),
        }
    }
}

/// Objects up to this many members are checked for repeated keys pairwise, without allocating.
const SMALL_OBJECT: usize = 16;

impl Lowerer<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Reports duplicate keys (exact repeats) and returns, for each distinct key, the last member
    /// with that key (the one JSON parsers keep), in the order of first appearance. Linear in the
    /// number of members (a hash map of positions), so hostile objects with many keys stay cheap;
    /// small objects without repeats (every real policy) are passed through without allocating.
    fn dedupe<'d>(&mut self, members: Members<'d>, pointer: Ptr<'_>) -> Deduped<'d> {
        let n = members.len();
        if n <= SMALL_OBJECT {
            let mut keys: [&str; SMALL_OBJECT] = [""; SMALL_OBJECT];
            let mut repeat = false;
            for (i, m) in members.enumerate() {
                if keys[..i].contains(&m.key) {
                    repeat = true;
                    break;
                }
                keys[i] = m.key;
            }
            if !repeat {
                return Deduped::Unique(members);
            }
        }
        let mut out: Vec<MemberRef<'d>> = Vec::with_capacity(n);
        let large = n > SMALL_OBJECT;
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for m in members {
            let earlier = if large {
                seen.get(m.key).copied()
            } else {
                out.iter().position(|o| o.key == m.key)
            };
            if let Some(pos) = earlier {
                let first = out[pos];
                self.push(
                    Diagnostic::error(
                        "DUPLICATE_KEY",
                        format!(
                            "duplicate key \"{}\": JSON parsers keep only one of them",
                            m.key
                        ),
                        m.key_range,
                        Ptr::Key(&pointer, m.key).build(),
                    )
                    .with_related(first.key_range, "first occurrence")
                    .with_help("Merge the two values into one element."),
                );
                out[pos] = m;
            } else {
                if large {
                    seen.insert(m.key, out.len());
                }
                out.push(m);
            }
        }
        Deduped::Kept(out.into_iter())
    }

    fn unknown_element(&mut self, m: &MemberRef<'_>, known: &[&str], pointer: Ptr<'_>, what: &str) {
        let mut d = Diagnostic::error(
            "INVALID_POLICY_ELEMENT",
            format!("\"{}\" is not a valid {what} element", m.key),
            m.key_range,
            Ptr::Key(&pointer, m.key).build(),
        );
        if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(m.key)) {
            d.message = format!(
                "\"{}\" is not a valid {what} element; element names are case-sensitive: use \"{k}\"",
                m.key
            );
            d = d.with_fix(iamscope_syntax::Fix {
                title: format!("Rename to \"{k}\""),
                edits: vec![iamscope_syntax::TextEdit {
                    range: m.key_range,
                    new_text: format!("\"{k}\""),
                }],
                safe: true,
            });
        } else {
            d = d.with_help(format!("Valid {what} elements: {}.", known.join(", ")));
        }
        self.push(d);
    }

    fn string(&mut self, v: Value<'_>, what: &str, pointer: Ptr<'_>) -> Option<Spanned<String>> {
        match v.kind() {
            ValueKind::String(s) => Some(Spanned::new(s.to_owned(), v.range())),
            _ => {
                self.push(type_mismatch(what, "a string", v, pointer));
                None
            }
        }
    }

    fn policy(&mut self, json: Value<'_>) -> Policy {
        let mut policy = Policy {
            range: json.range(),
            ..Policy::default()
        };
        let Some(members) = json.as_object() else {
            self.push(type_mismatch("A policy", "a JSON object", json, Ptr::Root));
            return policy;
        };
        for m in self.dedupe(members, Ptr::Root) {
            let ptr = Ptr::Key(&Ptr::Root, m.key);
            match m.key {
                "Version" => {
                    policy.version_element = Some(ElementSpan {
                        key: m.key_range,
                        value: m.value.range(),
                    });
                    policy.version = self.string(m.value, "Version", ptr);
                }
                "Id" => policy.id = self.string(m.value, "Id", ptr),
                "Statement" => {
                    policy.statement_element = Some(ElementSpan {
                        key: m.key_range,
                        value: m.value.range(),
                    });
                    match m.value.kind() {
                        ValueKind::Object(_) => {
                            if let Some(s) = self.statement(m.value, 0, Ptr::Built("/Statement")) {
                                policy.statements.push(s);
                            }
                        }
                        ValueKind::Array(items) => {
                            policy.statement_is_array = true;
                            if items.len() == 0 {
                                self.push(Diagnostic::error(
                                    "MISSING_STATEMENT",
                                    "the Statement array is empty: a policy needs at least one statement",
                                    m.value.range(),
                                    "/Statement",
                                ));
                            }
                            policy.statements.reserve(items.len());
                            for (i, item) in items.enumerate() {
                                let sptr = Ptr::Index(&Ptr::Built("/Statement"), i);
                                if let Some(s) = self.statement(item, i, sptr) {
                                    policy.statements.push(s);
                                }
                            }
                        }
                        _ => self.push(type_mismatch(
                            "Statement",
                            "an object or an array of objects",
                            m.value,
                            Ptr::Built("/Statement"),
                        )),
                    }
                }
                _ => self.unknown_element(&m, POLICY_ELEMENTS, Ptr::Root, "policy"),
            }
        }
        if policy.statement_element.is_none() {
            self.push(Diagnostic::error(
                "MISSING_STATEMENT",
                "the policy has no Statement element",
                first_brace(json.range()),
                "",
            ));
        }
        policy
    }

    fn statement(&mut self, json: Value<'_>, index: usize, sptr: Ptr<'_>) -> Option<Statement> {
        let Some(members) = json.as_object() else {
            self.push(type_mismatch("A statement", "a JSON object", json, sptr));
            return None;
        };
        let mut st = Statement {
            index,
            pointer: sptr.build(),
            range: json.range(),
            sid: None,
            sid_element: None,
            effect: None,
            effect_element: None,
            principal: None,
            action: None,
            resource: None,
            condition: None,
            has_conflicting_elements: false,
        };
        let mut seen_pairs: [Option<(&'static str, TextRange)>; 3] = [None; 3];
        for m in self.dedupe(members, sptr) {
            let ptr = Ptr::Key(&sptr, m.key);
            let span = ElementSpan {
                key: m.key_range,
                value: m.value.range(),
            };
            match m.key {
                "Sid" => {
                    st.sid_element = Some(span);
                    st.sid = match m.value.kind() {
                        ValueKind::String(s) => Some(Spanned::new(s.to_owned(), m.value.range())),
                        // Numbers are accepted by some services; report the type but keep the text.
                        _ => self.string(m.value, "Sid", ptr),
                    };
                }
                "Effect" => {
                    st.effect_element = Some(span);
                    let range = m.value.range();
                    match m.value.kind() {
                        ValueKind::String("Allow") => {
                            st.effect = Some(Spanned::new(Effect::Allow, range))
                        }
                        ValueKind::String("Deny") => {
                            st.effect = Some(Spanned::new(Effect::Deny, range))
                        }
                        ValueKind::String(other) => {
                            let mut d = Diagnostic::error(
                                "INVALID_EFFECT",
                                format!("Effect must be \"Allow\" or \"Deny\", found \"{other}\""),
                                range,
                                ptr.build(),
                            );
                            let fixed = if other.eq_ignore_ascii_case("allow") {
                                Some("Allow")
                            } else if other.eq_ignore_ascii_case("deny") {
                                Some("Deny")
                            } else {
                                None
                            };
                            if let Some(f) = fixed {
                                d = d.with_fix(iamscope_syntax::Fix {
                                    title: format!("Change to \"{f}\""),
                                    edits: vec![iamscope_syntax::TextEdit {
                                        range,
                                        new_text: format!("\"{f}\""),
                                    }],
                                    safe: true,
                                });
                            }
                            self.push(d);
                        }
                        _ => self.push(type_mismatch("Effect", "a string", m.value, ptr)),
                    }
                }
                "Principal" | "NotPrincipal" => {
                    let name = if m.key == "Principal" {
                        "Principal"
                    } else {
                        "NotPrincipal"
                    };
                    if self.conflict(&mut seen_pairs[0], "Principal", &m, ptr) {
                        st.has_conflicting_elements = true;
                        continue;
                    }
                    st.principal = self.principal(&m, name, span, ptr);
                }
                "Action" | "NotAction" => {
                    let name = if m.key == "Action" {
                        "Action"
                    } else {
                        "NotAction"
                    };
                    if self.conflict(&mut seen_pairs[1], "Action", &m, ptr) {
                        st.has_conflicting_elements = true;
                        continue;
                    }
                    let keep = self.keep_action;
                    st.action =
                        Some(self.value_list(&m, name, span, ptr, "EMPTY_ARRAY_ACTION", keep));
                }
                "Resource" | "NotResource" => {
                    let name = if m.key == "Resource" {
                        "Resource"
                    } else {
                        "NotResource"
                    };
                    if self.conflict(&mut seen_pairs[2], "Resource", &m, ptr) {
                        st.has_conflicting_elements = true;
                        continue;
                    }
                    st.resource =
                        Some(self.value_list(&m, name, span, ptr, "EMPTY_ARRAY_RESOURCE", None));
                }
                "Condition" => st.condition = self.condition(&m, span, ptr),
                _ => self.unknown_element(&m, STATEMENT_ELEMENTS, sptr, "statement"),
            }
        }
        let brace = first_brace(json.range());
        if st.effect_element.is_none() {
            self.push(Diagnostic::error(
                "MISSING_EFFECT",
                format!("{} has no Effect element", st.label()),
                brace,
                st.pointer.clone(),
            ));
        }
        if st.action.is_none() {
            self.push(Diagnostic::error(
                "MISSING_ACTION",
                format!("{} has no Action or NotAction element", st.label()),
                brace,
                st.pointer.clone(),
            ));
        }
        Some(st)
    }

    /// Reports `Action` together with `NotAction` (and the like). Returns true for the second one.
    /// `seen` holds the first element of the family, if any.
    fn conflict(
        &mut self,
        seen: &mut Option<(&'static str, TextRange)>,
        family: &'static str,
        m: &MemberRef<'_>,
        ptr: Ptr<'_>,
    ) -> bool {
        if let Some((_, first)) = seen {
            self.push(
                Diagnostic::error(
                    "UNSUPPORTED_ELEMENT_COMBINATION",
                    format!(
                        "a statement cannot have both {family} and Not{family}; \"{}\" is ignored",
                        m.key
                    ),
                    m.key_range,
                    ptr.build(),
                )
                .with_related(*first, "the other element"),
            );
            return true;
        }
        *seen = Some((family, m.key_range));
        false
    }

    /// An Action/Resource item's text: a piece of the shared copy of the source when `s` is a piece
    /// of the source (a string without escapes, which the parser borrows from the text), else a
    /// copy of its own. A model lowered for some of its actions ([`lower_keeping_actions`]: an
    /// evaluator answering one request) keeps few items of what may be a large text, so its
    /// items are always their own copies.
    #[inline]
    fn item(&mut self, s: &str) -> ItemStr {
        if self.keep_action.is_none() {
            // `s` lies inside `source` when the parser borrowed it from the text; a `str` inside
            // a `str` starts and ends on its character boundaries.
            let start = (s.as_ptr() as usize).wrapping_sub(self.source.as_ptr() as usize);
            if let Some(end) = start.checked_add(s.len())
                && end <= self.source.len()
            {
                let text = self.shared.get_or_insert_with(|| Arc::from(self.source));
                return ItemStr::piece(text, start, end);
            }
        }
        ItemStr::new(s)
    }

    fn value_list(
        &mut self,
        m: &MemberRef<'_>,
        name: &'static str,
        span: ElementSpan,
        ptr: Ptr<'_>,
        empty_code: &str,
        keep: Option<&dyn Fn(&str) -> bool>,
    ) -> ValueList {
        let mut list = ValueList {
            not: name.starts_with("Not"),
            name,
            span,
            is_array: false,
            items: Vec::new(),
            source_index: Vec::new(),
        };
        match m.value.kind() {
            ValueKind::String(s) => {
                if keep.is_none_or(|k| k(s)) {
                    list.items = vec![Spanned::new(self.item(s), m.value.range())];
                    list.source_index = vec![0];
                }
            }
            ValueKind::Array(mut items) => {
                list.is_array = true;
                if items.len() == 0 {
                    self.push(Diagnostic::new(
                        empty_code,
                        FindingType::Suggestion,
                        format!("the {name} array is empty"),
                        m.value.range(),
                        ptr.build(),
                    ));
                }
                if keep.is_none() {
                    list.items.reserve_exact(items.len());
                    list.source_index.reserve_exact(items.len());
                }
                let mut i = 0;
                while let Some(item) = items.next_str() {
                    match item {
                        Ok((s, range)) => {
                            if keep.is_none_or(|k| k(s)) {
                                list.items.push(Spanned::new(self.item(s), range));
                                list.source_index.push(i);
                            }
                        }
                        Err(item) => self.push(type_mismatch(
                            &format!("Each {name} entry"),
                            "a string",
                            item,
                            Ptr::Index(&ptr, i),
                        )),
                    }
                    i += 1;
                }
            }
            _ => self.push(type_mismatch(
                name,
                "a string or an array of strings",
                m.value,
                ptr,
            )),
        }
        list
    }

    fn principal(
        &mut self,
        m: &MemberRef<'_>,
        name: &'static str,
        span: ElementSpan,
        ptr: Ptr<'_>,
    ) -> Option<PrincipalElement> {
        let value = match m.value.kind() {
            ValueKind::String("*") => PrincipalValue::Wildcard(m.value.range()),
            ValueKind::String(s) => {
                self.push(
                    Diagnostic::error(
                        "INVALID_PRINCIPAL_FORMAT",
                        format!("{name} must be \"*\" or an object such as {{\"AWS\": \"{s}\"}}, found the string \"{s}\""),
                        m.value.range(),
                        ptr.build(),
                    )
                    .with_help("Use a key-value pair: {\"AWS\": ...}, {\"Service\": ...}, {\"Federated\": ...} or {\"CanonicalUser\": ...}."),
                );
                // Keep the element (it is present, so kind rules still see it) but with no
                // principals: an invalid principal matches nobody.
                PrincipalValue::Map(Vec::new())
            }
            ValueKind::Object(members) => {
                if members.len() == 0 {
                    self.push(Diagnostic::new(
                        "EMPTY_OBJECT_PRINCIPAL",
                        FindingType::Suggestion,
                        format!("the {name} object is empty"),
                        m.value.range(),
                        ptr.build(),
                    ));
                }
                let mut entries = Vec::with_capacity(members.len());
                for e in self.dedupe(members, ptr) {
                    let eptr = Ptr::Key(&ptr, e.key);
                    let kind = crate::model::PrincipalType::parse(e.key);
                    if kind.is_none() {
                        let mut d = Diagnostic::error(
                            "INVALID_PRINCIPAL_KEY",
                            format!(
                                "\"{}\" is not a principal type: use AWS, Service, Federated or CanonicalUser",
                                e.key
                            ),
                            e.key_range,
                            eptr.build(),
                        );
                        if let Some(k) = ["AWS", "Service", "Federated", "CanonicalUser"]
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(e.key))
                        {
                            d = d.with_fix(iamscope_syntax::Fix {
                                title: format!("Rename to \"{k}\""),
                                edits: vec![iamscope_syntax::TextEdit {
                                    range: e.key_range,
                                    new_text: format!("\"{k}\""),
                                }],
                                safe: true,
                            });
                        }
                        self.push(d);
                    }
                    let mut entry = PrincipalEntry {
                        key: Spanned::new(e.key.to_owned(), e.key_range),
                        kind,
                        value_range: e.value.range(),
                        is_array: false,
                        values: Vec::new(),
                        source_index: Vec::new(),
                    };
                    match e.value.kind() {
                        ValueKind::String(s) => {
                            entry.values = vec![Spanned::new(s.to_owned(), e.value.range())];
                            entry.source_index = vec![0];
                        }
                        ValueKind::Array(items) => {
                            entry.is_array = true;
                            if items.len() == 0 {
                                self.push(Diagnostic::new(
                                    "EMPTY_ARRAY_PRINCIPAL",
                                    FindingType::Suggestion,
                                    format!("the {} principal array is empty", e.key),
                                    e.value.range(),
                                    eptr.build(),
                                ));
                            }
                            entry.values.reserve_exact(items.len());
                            entry.source_index.reserve_exact(items.len());
                            for (i, item) in items.enumerate() {
                                match item.kind() {
                                    ValueKind::String(s) => {
                                        entry.values.push(Spanned::new(s.to_owned(), item.range()));
                                        entry.source_index.push(i);
                                    }
                                    _ => self.push(type_mismatch(
                                        "Each principal",
                                        "a string",
                                        item,
                                        Ptr::Index(&eptr, i),
                                    )),
                                }
                            }
                        }
                        _ => self.push(type_mismatch(
                            &format!("The {} principal", e.key),
                            "a string or an array of strings",
                            e.value,
                            eptr,
                        )),
                    }
                    entries.push(entry);
                }
                PrincipalValue::Map(entries)
            }
            _ => {
                self.push(type_mismatch(name, "\"*\" or an object", m.value, ptr));
                PrincipalValue::Map(Vec::new())
            }
        };
        Some(PrincipalElement {
            not: name == "NotPrincipal",
            name,
            span,
            value,
        })
    }

    fn condition(
        &mut self,
        m: &MemberRef<'_>,
        span: ElementSpan,
        ptr: Ptr<'_>,
    ) -> Option<ConditionElement> {
        let Some(members) = m.value.as_object() else {
            self.push(type_mismatch("Condition", "an object", m.value, ptr));
            return None;
        };
        if members.len() == 0 {
            self.push(Diagnostic::new(
                "EMPTY_OBJECT_CONDITION",
                FindingType::Suggestion,
                "the Condition object is empty",
                m.value.range(),
                ptr.build(),
            ));
        }
        let mut blocks = Vec::with_capacity(members.len());
        for b in self.dedupe(members, ptr) {
            let bptr = Ptr::Key(&ptr, b.key);
            let op = match Operator::parse(b.key) {
                Ok(op) => Some(op),
                Err(e) => {
                    let mut d = Diagnostic::error(
                        "INVALID_CONDITION_OPERATOR",
                        match &e {
                            OperatorError::Unknown { .. } => {
                                format!("\"{}\" is not a condition operator", b.key)
                            }
                            OperatorError::UnknownQualifier(q) => {
                                format!(
                                    "\"{q}\" is not a set qualifier: use ForAllValues or ForAnyValue"
                                )
                            }
                        },
                        b.key_range,
                        bptr.build(),
                    );
                    if let OperatorError::Unknown {
                        suggestion: Some(s),
                    } = &e
                    {
                        let prefix = b
                            .key
                            .split_once(':')
                            .map(|(q, _)| format!("{q}:"))
                            .unwrap_or_default();
                        let fixed = format!("{prefix}{s}");
                        d.message.push_str(&format!("; did you mean \"{fixed}\"?"));
                        d = d.with_fix(iamscope_syntax::Fix {
                            title: format!("Change to \"{fixed}\""),
                            edits: vec![iamscope_syntax::TextEdit {
                                range: b.key_range,
                                new_text: format!("\"{fixed}\""),
                            }],
                            safe: true,
                        });
                    }
                    self.push(d);
                    None
                }
            };
            let Some(entries_json) = b.value.as_object() else {
                self.push(type_mismatch(
                    &format!("The {} block", b.key),
                    "an object of condition keys",
                    b.value,
                    bptr,
                ));
                continue;
            };
            if entries_json.len() == 0 {
                self.push(Diagnostic::new(
                    "EMPTY_OBJECT_CONDITION",
                    FindingType::Suggestion,
                    format!("the {} block is empty", b.key),
                    b.value.range(),
                    bptr.build(),
                ));
            }
            let mut entries = Vec::with_capacity(entries_json.len());
            for e in self.dedupe(entries_json, bptr) {
                let eptr = Ptr::Key(&bptr, e.key);
                let mut entry = ConditionEntry {
                    key: Spanned::new(e.key.to_owned(), e.key_range),
                    value_range: e.value.range(),
                    is_array: false,
                    values: Vec::new(),
                    source_index: Vec::new(),
                };
                match e.value.kind() {
                    ValueKind::Array(items) => {
                        entry.is_array = true;
                        if items.len() == 0 {
                            let code = match op {
                                Some(Operator {
                                    qualifier: Some(crate::operator::SetQualifier::ForAllValues),
                                    ..
                                }) => "EMPTY_ARRAY_CONDITION_FORALLVALUES",
                                Some(Operator {
                                    qualifier: Some(crate::operator::SetQualifier::ForAnyValue),
                                    ..
                                }) => "EMPTY_ARRAY_CONDITION_FORANYVALUE",
                                Some(Operator {
                                    if_exists: true, ..
                                }) => "EMPTY_ARRAY_CONDITION_IFEXISTS",
                                _ => "EMPTY_ARRAY_CONDITION",
                            };
                            self.push(Diagnostic::new(
                                code,
                                FindingType::Suggestion,
                                format!(
                                    "the values of condition key \"{}\" are an empty array",
                                    e.key
                                ),
                                e.value.range(),
                                eptr.build(),
                            ));
                        }
                        entry.values.reserve_exact(items.len());
                        entry.source_index.reserve_exact(items.len());
                        for (i, item) in items.enumerate() {
                            if let Some(v) = self.condition_value(item, Ptr::Index(&eptr, i)) {
                                entry.values.push(v);
                                entry.source_index.push(i);
                            }
                        }
                    }
                    _ => {
                        if let Some(v) = self.condition_value(e.value, eptr) {
                            entry.values = vec![v];
                            entry.source_index = vec![0];
                        }
                    }
                }
                entries.push(entry);
            }
            blocks.push(ConditionBlock {
                operator: Spanned::new(b.key.to_owned(), b.key_range),
                op,
                value_range: b.value.range(),
                entries,
            });
        }
        Some(ConditionElement { span, blocks })
    }

    fn condition_value(&mut self, v: Value<'_>, ptr: Ptr<'_>) -> Option<Spanned<ConditionValue>> {
        let value = match v.kind() {
            ValueKind::String(s) => ConditionValue::String(s.to_owned()),
            ValueKind::Bool(b) => ConditionValue::Bool(b),
            ValueKind::Number(n) => ConditionValue::Number(n.to_owned()),
            _ => {
                self.push(type_mismatch(
                    "A condition value",
                    "a string, number or boolean",
                    v,
                    ptr,
                ));
                return None;
            }
        };
        let _ = self.source;
        Some(Spanned::new(value, v.range()))
    }
}

/// `parent/segment` with the segment escaped (`~` -> `~0`, `/` -> `~1`), in one allocation.
#[cfg(test)]
fn child_pointer(parent: &str, segment: &str) -> String {
    Ptr::Key(&Ptr::Built(parent), segment).build()
}

/// The range of an object's opening brace (where "missing element" diagnostics point).
pub fn first_brace(range: TextRange) -> TextRange {
    TextRange::new(range.start, (range.start + 1).min(range.end))
}

#[cfg(test)]
mod tests {
    use super::child_pointer;
    use crate::parse_policy;

    #[test]
    fn decimal_segments() {
        for n in [0usize, 7, 10, 99, 100, 12_345, usize::MAX] {
            let mut out = String::new();
            super::push_decimal(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn pointers_escape_segments() {
        assert_eq!(child_pointer("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(child_pointer("", "Version"), "/Version");
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/a~b": [null]}}}]}"#;
        let parsed = parse_policy(text);
        let d = parsed
            .diagnostics
            .iter()
            .find(|d| d.code == "DATA_TYPE_MISMATCH")
            .expect("null condition value");
        assert_eq!(
            d.pointer,
            "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1a~0b/0"
        );
    }

    #[test]
    fn version_element_is_kept_whatever_its_type() {
        fn element(text: &str) -> (Option<(&str, &str)>, Option<String>) {
            let p = parse_policy(text).policy.expect("policy");
            let e = p
                .version_element
                .map(|e| (e.key.slice(text), e.value.slice(text)));
            (e, p.version_str().map(str::to_owned))
        }
        assert_eq!(
            element(r#"{"Version": "2012-10-17", "Statement": []}"#),
            (
                Some(("\"Version\"", "\"2012-10-17\"")),
                Some("2012-10-17".into())
            )
        );
        assert_eq!(
            element(r#"{"Version": 2012, "Statement": []}"#),
            (Some(("\"Version\"", "2012")), None)
        );
        // Duplicates: the last member, the one lowering keeps.
        assert_eq!(
            element(r#"{"Version": "2012-10-17", "Statement": [], "Version": [1]}"#),
            (Some(("\"Version\"", "[1]")), None)
        );
        assert_eq!(element(r#"{"version": 1, "Statement": []}"#), (None, None));
    }

    #[test]
    fn duplicate_keys_in_large_and_small_objects() {
        for n in [3usize, 40] {
            let mut members: Vec<String> = (0..n).map(|i| format!("\"K{i}\": 1")).collect();
            members.push("\"K1\": 2".into());
            let text = format!(
                r#"{{"Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {{"StringEquals": {{{}}}}}}}]}}"#,
                members.join(", ")
            );
            let parsed = parse_policy(&text);
            let dups: Vec<_> = parsed
                .diagnostics
                .iter()
                .filter(|d| d.code == "DUPLICATE_KEY")
                .collect();
            assert_eq!(dups.len(), 1, "{n}");
            assert_eq!(dups[0].range.slice(&text), "\"K1\"");
            assert_eq!(dups[0].related[0].range.slice(&text), "\"K1\"");
            assert!(dups[0].related[0].range.start < dups[0].range.start);
            let policy = parsed.policy.expect("policy");
            let block = &policy.statements[0]
                .condition
                .as_ref()
                .expect("condition")
                .blocks[0];
            assert_eq!(block.entries.len(), n, "one entry per distinct key");
        }
    }
}
