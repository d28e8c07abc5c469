//! FROZEN COPY (test oracle) of lowering as it was before the tape parser
//! (crates/iamscope-policy/src/lower.rs at f36b4fb). Do not improve it.
//!
//! Lowering: spanned JSON -> [`Policy`], reporting every structural problem (wrong JSON types,
//! unknown or missing elements, conflicting elements, empty arrays and objects, duplicate keys,
//! unknown condition operators). Kind-specific rules live in `validate`.

use iamscope_syntax::{Diagnostic, FindingType, TextRange};

use super::json::{Json, JsonKind, Member};

use iamscope_policy::model::*;
use iamscope_policy::operator::{Operator, OperatorError};

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

struct Lowerer<'a> {
    source: &'a str,
    diags: Vec<Diagnostic>,
}

/// Lowers a parsed JSON document. `source` is the text `json` was parsed from (used to map
/// positions inside strings). Returns the model (as much as could be understood) and the
/// structural diagnostics.
pub fn lower(source: &str, json: &Json) -> (Policy, Vec<Diagnostic>) {
    let mut l = Lowerer {
        source,
        diags: Vec::new(),
    };
    let policy = l.policy(json);
    (policy, l.diags)
}

fn type_mismatch(what: &str, expected: &str, found: &Json, pointer: &str) -> Diagnostic {
    Diagnostic::error(
        "DATA_TYPE_MISMATCH",
        format!("{what} must be {expected}, found {}", found.type_name()),
        found.range,
        pointer,
    )
}

impl Lowerer<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Reports duplicate keys (exact repeats) and returns, for each distinct key, the last member
    /// with that key (the one JSON parsers keep), in the order of first appearance. Linear in the
    /// number of members (a hash map of positions), so hostile objects with many keys stay cheap.
    fn dedupe<'j>(&mut self, members: &'j [Member], pointer: &str) -> Vec<&'j Member> {
        let mut out: Vec<&Member> = Vec::with_capacity(members.len());
        // Small objects (every real policy) are scanned; large ones use a map.
        let large = members.len() > 16;
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for m in members {
            let earlier = if large {
                seen.get(m.key.as_str()).copied()
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
                        child_pointer(pointer, &m.key),
                    )
                    .with_related(first.key_range, "first occurrence")
                    .with_help("Merge the two values into one element."),
                );
                out[pos] = m;
            } else {
                if large {
                    seen.insert(m.key.as_str(), out.len());
                }
                out.push(m);
            }
        }
        out
    }

    fn unknown_element(&mut self, m: &Member, known: &[&str], pointer: &str, what: &str) {
        let mut d = Diagnostic::error(
            "INVALID_POLICY_ELEMENT",
            format!("\"{}\" is not a valid {what} element", m.key),
            m.key_range,
            child_pointer(pointer, &m.key),
        );
        if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(&m.key)) {
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

    fn string(&mut self, v: &Json, what: &str, pointer: &str) -> Option<Spanned<String>> {
        match &v.kind {
            JsonKind::String(s) => Some(Spanned::new(s.clone(), v.range)),
            _ => {
                self.push(type_mismatch(what, "a string", v, pointer));
                None
            }
        }
    }

    fn policy(&mut self, json: &Json) -> Policy {
        let mut policy = Policy {
            range: json.range,
            ..Policy::default()
        };
        let Some(members) = json.as_object() else {
            self.push(type_mismatch("A policy", "a JSON object", json, ""));
            return policy;
        };
        for m in self.dedupe(members, "") {
            let ptr = child_pointer("", &m.key);
            match m.key.as_str() {
                "Version" => policy.version = self.string(&m.value, "Version", &ptr),
                "Id" => policy.id = self.string(&m.value, "Id", &ptr),
                "Statement" => {
                    policy.statement_element = Some(ElementSpan {
                        key: m.key_range,
                        value: m.value.range,
                    });
                    match &m.value.kind {
                        JsonKind::Object(_) => {
                            if let Some(s) = self.statement(&m.value, 0, "/Statement".to_string()) {
                                policy.statements.push(s);
                            }
                        }
                        JsonKind::Array(items) => {
                            policy.statement_is_array = true;
                            if items.is_empty() {
                                self.push(Diagnostic::error(
                                    "MISSING_STATEMENT",
                                    "the Statement array is empty: a policy needs at least one statement",
                                    m.value.range,
                                    "/Statement",
                                ));
                            }
                            for (i, item) in items.iter().enumerate() {
                                if let Some(s) = self.statement(item, i, format!("/Statement/{i}"))
                                {
                                    policy.statements.push(s);
                                }
                            }
                        }
                        _ => self.push(type_mismatch(
                            "Statement",
                            "an object or an array of objects",
                            &m.value,
                            "/Statement",
                        )),
                    }
                }
                _ => self.unknown_element(m, POLICY_ELEMENTS, "", "policy"),
            }
        }
        if policy.statement_element.is_none() {
            self.push(Diagnostic::error(
                "MISSING_STATEMENT",
                "the policy has no Statement element",
                first_brace(json.range),
                "",
            ));
        }
        policy
    }

    fn statement(&mut self, json: &Json, index: usize, pointer: String) -> Option<Statement> {
        let Some(members) = json.as_object() else {
            self.push(type_mismatch(
                "A statement",
                "a JSON object",
                json,
                &pointer,
            ));
            return None;
        };
        let mut st = Statement {
            index,
            pointer: pointer.clone(),
            range: json.range,
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
        let mut seen_pairs: Vec<(&'static str, TextRange)> = Vec::new();
        for m in self.dedupe(members, &pointer) {
            let ptr = child_pointer(&pointer, &m.key);
            let span = ElementSpan {
                key: m.key_range,
                value: m.value.range,
            };
            match m.key.as_str() {
                "Sid" => {
                    st.sid_element = Some(span);
                    st.sid = match &m.value.kind {
                        JsonKind::String(s) => Some(Spanned::new(s.clone(), m.value.range)),
                        // Numbers are accepted by some services; report the type but keep the text.
                        _ => self.string(&m.value, "Sid", &ptr),
                    };
                }
                "Effect" => {
                    st.effect_element = Some(span);
                    if let Some(s) = self.string(&m.value, "Effect", &ptr) {
                        match s.value.as_str() {
                            "Allow" => st.effect = Some(Spanned::new(Effect::Allow, s.range)),
                            "Deny" => st.effect = Some(Spanned::new(Effect::Deny, s.range)),
                            other => {
                                let mut d = Diagnostic::error(
                                    "INVALID_EFFECT",
                                    format!(
                                        "Effect must be \"Allow\" or \"Deny\", found \"{other}\""
                                    ),
                                    s.range,
                                    ptr.clone(),
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
                                            range: s.range,
                                            new_text: format!("\"{f}\""),
                                        }],
                                        safe: true,
                                    });
                                }
                                self.push(d);
                            }
                        }
                    }
                }
                "Principal" | "NotPrincipal" => {
                    let name = if m.key == "Principal" {
                        "Principal"
                    } else {
                        "NotPrincipal"
                    };
                    if self.conflict(&mut seen_pairs, "Principal", m, &ptr) {
                        st.has_conflicting_elements = true;
                        continue;
                    }
                    st.principal = self.principal(m, name, span, &ptr);
                }
                "Action" | "NotAction" => {
                    let name = if m.key == "Action" {
                        "Action"
                    } else {
                        "NotAction"
                    };
                    if self.conflict(&mut seen_pairs, "Action", m, &ptr) {
                        st.has_conflicting_elements = true;
                        continue;
                    }
                    st.action = Some(self.value_list(m, name, span, &ptr, "EMPTY_ARRAY_ACTION"));
                }
                "Resource" | "NotResource" => {
                    let name = if m.key == "Resource" {
                        "Resource"
                    } else {
                        "NotResource"
                    };
                    if self.conflict(&mut seen_pairs, "Resource", m, &ptr) {
                        st.has_conflicting_elements = true;
                        continue;
                    }
                    st.resource =
                        Some(self.value_list(m, name, span, &ptr, "EMPTY_ARRAY_RESOURCE"));
                }
                "Condition" => st.condition = self.condition(m, span, &ptr),
                _ => self.unknown_element(m, STATEMENT_ELEMENTS, &pointer, "statement"),
            }
        }
        let brace = first_brace(json.range);
        if st.effect_element.is_none() {
            self.push(Diagnostic::error(
                "MISSING_EFFECT",
                format!("{} has no Effect element", st.label()),
                brace,
                &pointer,
            ));
        }
        if st.action.is_none() {
            self.push(Diagnostic::error(
                "MISSING_ACTION",
                format!("{} has no Action or NotAction element", st.label()),
                brace,
                &pointer,
            ));
        }
        Some(st)
    }

    /// Reports `Action` together with `NotAction` (and the like). Returns true for the second one.
    fn conflict(
        &mut self,
        seen: &mut Vec<(&'static str, TextRange)>,
        family: &'static str,
        m: &Member,
        ptr: &str,
    ) -> bool {
        if let Some((_, first)) = seen.iter().find(|(f, _)| *f == family) {
            self.push(
                Diagnostic::error(
                    "UNSUPPORTED_ELEMENT_COMBINATION",
                    format!(
                        "a statement cannot have both {family} and Not{family}; \"{}\" is ignored",
                        m.key
                    ),
                    m.key_range,
                    ptr,
                )
                .with_related(*first, "the other element"),
            );
            return true;
        }
        seen.push((family, m.key_range));
        false
    }

    fn value_list(
        &mut self,
        m: &Member,
        name: &'static str,
        span: ElementSpan,
        ptr: &str,
        empty_code: &str,
    ) -> ValueList {
        let mut list = ValueList {
            not: name.starts_with("Not"),
            name,
            span,
            is_array: false,
            items: Vec::new(),
            source_index: Vec::new(),
        };
        match &m.value.kind {
            JsonKind::String(s) => {
                list.items
                    .push(Spanned::new(ItemStr::from(s.as_str()), m.value.range));
                list.source_index.push(0);
            }
            JsonKind::Array(items) => {
                list.is_array = true;
                if items.is_empty() {
                    self.push(Diagnostic::new(
                        empty_code,
                        FindingType::Suggestion,
                        format!("the {name} array is empty"),
                        m.value.range,
                        ptr,
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    match &item.kind {
                        JsonKind::String(s) => {
                            list.items
                                .push(Spanned::new(ItemStr::from(s.as_str()), item.range));
                            list.source_index.push(i);
                        }
                        _ => self.push(type_mismatch(
                            &format!("Each {name} entry"),
                            "a string",
                            item,
                            &format!("{ptr}/{i}"),
                        )),
                    }
                }
            }
            _ => self.push(type_mismatch(
                name,
                "a string or an array of strings",
                &m.value,
                ptr,
            )),
        }
        list
    }

    fn principal(
        &mut self,
        m: &Member,
        name: &'static str,
        span: ElementSpan,
        ptr: &str,
    ) -> Option<PrincipalElement> {
        let value = match &m.value.kind {
            JsonKind::String(s) if s == "*" => PrincipalValue::Wildcard(m.value.range),
            JsonKind::String(s) => {
                self.push(
                    Diagnostic::error(
                        "INVALID_PRINCIPAL_FORMAT",
                        format!("{name} must be \"*\" or an object such as {{\"AWS\": \"{s}\"}}, found the string \"{s}\""),
                        m.value.range,
                        ptr,
                    )
                    .with_help("Use a key-value pair: {\"AWS\": ...}, {\"Service\": ...}, {\"Federated\": ...} or {\"CanonicalUser\": ...}."),
                );
                // Keep the element (it is present, so kind rules still see it) but with no
                // principals: an invalid principal matches nobody.
                PrincipalValue::Map(Vec::new())
            }
            JsonKind::Object(members) => {
                if members.is_empty() {
                    self.push(Diagnostic::new(
                        "EMPTY_OBJECT_PRINCIPAL",
                        FindingType::Suggestion,
                        format!("the {name} object is empty"),
                        m.value.range,
                        ptr,
                    ));
                }
                let mut entries = Vec::new();
                for e in self.dedupe(members, ptr) {
                    let eptr = child_pointer(ptr, &e.key);
                    let kind = iamscope_policy::model::PrincipalType::parse(&e.key);
                    if kind.is_none() {
                        let mut d = Diagnostic::error(
                            "INVALID_PRINCIPAL_KEY",
                            format!(
                                "\"{}\" is not a principal type: use AWS, Service, Federated or CanonicalUser",
                                e.key
                            ),
                            e.key_range,
                            &eptr,
                        );
                        if let Some(k) = ["AWS", "Service", "Federated", "CanonicalUser"]
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(&e.key))
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
                        key: Spanned::new(e.key.clone(), e.key_range),
                        kind,
                        value_range: e.value.range,
                        is_array: false,
                        values: Vec::new(),
                        source_index: Vec::new(),
                    };
                    match &e.value.kind {
                        JsonKind::String(s) => {
                            entry.values.push(Spanned::new(s.clone(), e.value.range));
                            entry.source_index.push(0);
                        }
                        JsonKind::Array(items) => {
                            entry.is_array = true;
                            if items.is_empty() {
                                self.push(Diagnostic::new(
                                    "EMPTY_ARRAY_PRINCIPAL",
                                    FindingType::Suggestion,
                                    format!("the {} principal array is empty", e.key),
                                    e.value.range,
                                    &eptr,
                                ));
                            }
                            for (i, item) in items.iter().enumerate() {
                                match &item.kind {
                                    JsonKind::String(s) => {
                                        entry.values.push(Spanned::new(s.clone(), item.range));
                                        entry.source_index.push(i);
                                    }
                                    _ => self.push(type_mismatch(
                                        "Each principal",
                                        "a string",
                                        item,
                                        &format!("{eptr}/{i}"),
                                    )),
                                }
                            }
                        }
                        _ => self.push(type_mismatch(
                            &format!("The {} principal", e.key),
                            "a string or an array of strings",
                            &e.value,
                            &eptr,
                        )),
                    }
                    entries.push(entry);
                }
                PrincipalValue::Map(entries)
            }
            _ => {
                self.push(type_mismatch(name, "\"*\" or an object", &m.value, ptr));
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

    fn condition(&mut self, m: &Member, span: ElementSpan, ptr: &str) -> Option<ConditionElement> {
        let Some(members) = m.value.as_object() else {
            self.push(type_mismatch("Condition", "an object", &m.value, ptr));
            return None;
        };
        if members.is_empty() {
            self.push(Diagnostic::new(
                "EMPTY_OBJECT_CONDITION",
                FindingType::Suggestion,
                "the Condition object is empty",
                m.value.range,
                ptr,
            ));
        }
        let mut blocks = Vec::new();
        for b in self.dedupe(members, ptr) {
            let bptr = child_pointer(ptr, &b.key);
            let op = match Operator::parse(&b.key) {
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
                        &bptr,
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
                    &b.value,
                    &bptr,
                ));
                continue;
            };
            if entries_json.is_empty() {
                self.push(Diagnostic::new(
                    "EMPTY_OBJECT_CONDITION",
                    FindingType::Suggestion,
                    format!("the {} block is empty", b.key),
                    b.value.range,
                    &bptr,
                ));
            }
            let mut entries = Vec::new();
            for e in self.dedupe(entries_json, &bptr) {
                let eptr = child_pointer(&bptr, &e.key);
                let mut entry = ConditionEntry {
                    key: Spanned::new(e.key.clone(), e.key_range),
                    value_range: e.value.range,
                    is_array: false,
                    values: Vec::new(),
                    source_index: Vec::new(),
                };
                match &e.value.kind {
                    JsonKind::Array(items) => {
                        entry.is_array = true;
                        if items.is_empty() {
                            let code = match op {
                                Some(Operator {
                                    qualifier:
                                        Some(iamscope_policy::operator::SetQualifier::ForAllValues),
                                    ..
                                }) => "EMPTY_ARRAY_CONDITION_FORALLVALUES",
                                Some(Operator {
                                    qualifier:
                                        Some(iamscope_policy::operator::SetQualifier::ForAnyValue),
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
                                e.value.range,
                                &eptr,
                            ));
                        }
                        for (i, item) in items.iter().enumerate() {
                            if let Some(v) = self.condition_value(item, &format!("{eptr}/{i}")) {
                                entry.values.push(v);
                                entry.source_index.push(i);
                            }
                        }
                    }
                    _ => {
                        if let Some(v) = self.condition_value(&e.value, &eptr) {
                            entry.values.push(v);
                            entry.source_index.push(0);
                        }
                    }
                }
                entries.push(entry);
            }
            blocks.push(ConditionBlock {
                operator: Spanned::new(b.key.clone(), b.key_range),
                op,
                value_range: b.value.range,
                entries,
            });
        }
        Some(ConditionElement { span, blocks })
    }

    fn condition_value(&mut self, v: &Json, ptr: &str) -> Option<Spanned<ConditionValue>> {
        let value = match &v.kind {
            JsonKind::String(s) => ConditionValue::String(s.clone()),
            JsonKind::Bool(b) => ConditionValue::Bool(*b),
            JsonKind::Number(n) => ConditionValue::Number(n.clone()),
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
        Some(Spanned::new(value, v.range))
    }
}

/// `parent/segment` with the segment escaped (`~` -> `~0`, `/` -> `~1`), in one allocation.
fn child_pointer(parent: &str, segment: &str) -> String {
    let mut out = String::with_capacity(parent.len() + 1 + segment.len());
    out.push_str(parent);
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The range of an object's opening brace (where "missing element" diagnostics point).
pub fn first_brace(range: TextRange) -> TextRange {
    TextRange::new(range.start, (range.start + 1).min(range.end))
}
