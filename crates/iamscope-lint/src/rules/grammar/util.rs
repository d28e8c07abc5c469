// Helpers shared by the grammar rules (no leading doc comment: this file is not a rule).

use iamscope_policy::{PolicyKind, model::subrange};
use iamscope_syntax::TextRange;

use crate::Context;

/// How a policy kind is named in messages.
pub(crate) fn kind_label(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity policy",
        PolicyKind::Resource => "resource-based policy",
        PolicyKind::Trust => "role trust policy",
        PolicyKind::Boundary => "permissions boundary",
        PolicyKind::Session => "session policy",
        PolicyKind::Scp => "service control policy (SCP)",
        PolicyKind::Rcp => "resource control policy (RCP)",
        PolicyKind::VpcEndpoint => "VPC endpoint policy",
    }
}

/// The kind's name with its article: "an identity policy", "a role trust policy".
pub(crate) fn a_kind(kind: PolicyKind) -> String {
    let label = kind_label(kind);
    let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {label}")
}

/// Kinds whose documents IAM or STS store or accept (the IAM character set, IAM Sid rules).
pub(crate) fn is_iam_kind(kind: PolicyKind) -> bool {
    matches!(
        kind,
        PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session | PolicyKind::Trust
    )
}

/// The range of bytes `start..end` of the string value `value` whose quoted source is `range`
/// (the whole value when the source uses escapes).
pub(crate) fn sub(
    cx: &Context<'_>,
    range: TextRange,
    value: &str,
    start: usize,
    end: usize,
) -> TextRange {
    subrange(cx.text, range, value, start, end)
}

/// True when `s` holds a `*` or `?` wildcard.
pub(crate) fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

/// The first statement brace of an object range (where "missing element" diagnostics point).
pub(crate) fn brace(range: TextRange) -> TextRange {
    iamscope_policy::lower::first_brace(range)
}

use iamscope_policy::{ConditionBlock, ConditionElement, Policy, PrincipalValue};

/// Where a string value sits in a statement.
#[derive(Clone, Copy)]
pub(crate) enum Site<'p> {
    /// `Action` or `NotAction`.
    Action,
    /// `Resource` or `NotResource`.
    Resource,
    /// A value of `Principal` or `NotPrincipal`.
    Principal,
    /// A value of a condition block.
    Condition(&'p ConditionBlock),
    /// As a filter of [`for_each_string`]: every site.
    Any,
}

/// One string value of a statement, with a lazily built JSON pointer.
pub(crate) struct StrValue<'p, 'f> {
    pub site: Site<'p>,
    pub text: &'p str,
    pub range: TextRange,
    pub pointer: &'f dyn Fn() -> String,
}

/// Calls `f` for every string value of every statement (actions, resources, principals and
/// condition values), in source order within each element.
/// `only` restricts the walk to one kind of site (`Site::Any` for all; the block of a
/// `Site::Condition` filter is ignored).
pub(crate) fn for_each_string<'p>(
    policy: &'p Policy,
    only: Site<'_>,
    mut f: impl FnMut(StrValue<'p, '_>),
) {
    let want = |site: &Site<'_>| {
        matches!(only, Site::Any) || std::mem::discriminant(&only) == std::mem::discriminant(site)
    };
    for st in &policy.statements {
        if want(&Site::Principal)
            && let Some(p) = &st.principal
            && let PrincipalValue::Map(entries) = &p.value
        {
            for entry in entries {
                for (i, v) in entry.values.iter().enumerate() {
                    let ptr = || p.value_pointer(&st.pointer, entry, i);
                    f(StrValue {
                        site: Site::Principal,
                        text: &v.value,
                        range: v.range,
                        pointer: &ptr,
                    });
                }
            }
        }
        for (list, site) in [(&st.action, Site::Action), (&st.resource, Site::Resource)] {
            if !want(&site) {
                continue;
            }
            if let Some(list) = list {
                for (i, item) in list.items.iter().enumerate() {
                    let ptr = || list.item_pointer(&st.pointer, i);
                    f(StrValue {
                        site,
                        text: &item.value,
                        range: item.range,
                        pointer: &ptr,
                    });
                }
            }
        }
        if let Some(c) = &st.condition
            && matches!(only, Site::Any | Site::Condition(_))
        {
            for (block, entry) in c.entries() {
                for (i, v) in entry.values.iter().enumerate() {
                    let ptr = || ConditionElement::value_pointer(&st.pointer, block, entry, i);
                    f(StrValue {
                        site: Site::Condition(block),
                        text: v.value.as_text(),
                        range: v.range,
                        pointer: &ptr,
                    });
                }
            }
        }
    }
}

/// Could the policy hold a policy variable? False when the text has no `$` and no `\u` escape
/// (which could spell one), so the variable rules can skip the policy. The text is scanned once
/// per lint (the answer is kept in the context), not once per rule.
pub(crate) fn may_have_variables(cx: &crate::Context<'_>) -> bool {
    cx.text_may_have_variables()
}

/// Does `s` contain `${`? (A byte scan; cheaper than a substring search for short strings.)
pub(crate) fn has_dollar_brace(s: &str) -> bool {
    crate::bytes::has_dollar_brace(s)
}
