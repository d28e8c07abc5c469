//! Action rules: iam:PassRole and iam:CreateServiceLinkedRole scope, wildcards in service names,
//! and (with the catalog) unknown actions and services.

mod create_slr;
mod invalid_action;
mod pass_role;
mod wildcard_in_service_name;

use iamscope_policy::PolicyKind;
use iamscope_policy::model::Statement;
use iamscope_policy::wildcard::wildcard_match;
use iamscope_syntax::{Diagnostic, FindingType, TextRange};

use crate::facts::{diag, has_key};
use crate::{Context, Rule};

pub static RULES: &[&dyn Rule] = &[
    &create_slr::CreateSlr,
    &invalid_action::InvalidAction,
    &pass_role::PassRole,
    &wildcard_in_service_name::WildcardInServiceName,
];

/// The six codes of a "sensitive action with broad resource" family, in the order
/// [NotResource, StarInAction+NotResource, NotAction+NotResource, StarInResource,
/// StarInAction+Resource, StarInResource+NotAction].
pub(crate) struct BroadGrant {
    pub action: &'static str,
    pub codes: [&'static str; 6],
    pub finding_type: FindingType,
    /// A condition key that scopes the action well enough (suppresses the findings).
    pub scoping_key: &'static str,
    /// True when a resource pattern covers every resource the action applies to.
    pub broad: fn(&str) -> bool,
    pub what: &'static str,
}

/// The resource part of an ARN pattern (`role/x` of `arn:aws:iam::1:role/x`).
pub(crate) fn arn_resource(s: &str) -> Option<&str> {
    s.strip_prefix("arn:")?.splitn(5, ':').nth(4)
}

pub(crate) fn check_broad_grant(cx: &Context<'_>, g: &BroadGrant, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::Identity {
        return;
    }
    // The action's catalog index: statements whose actions do not include it are skipped
    // without looking at their items (a catalog loaded at run time may lack the action).
    let id = cx.catalog.action(g.action).map(|x| x.index() as u32);
    for (pos, st) in cx.policy.statements.iter().enumerate() {
        if !st.is_allow() || has_key(st, g.scoping_key) {
            continue;
        }
        let (Some(a), Some(r)) = (&st.action, &st.resource) else {
            continue;
        };
        if let Some(id) = id
            && !cx.statement_applies_to(pos, id)
        {
            continue;
        }
        // How the action is granted: exactly, through a wildcard, or through NotAction.
        let (mode, range, ptr) = if a.not {
            if a.items
                .iter()
                .any(|i| wildcard_match(&i.value, g.action, true))
            {
                continue;
            }
            (2usize, a.span.key, a.pointer(&st.pointer))
        } else {
            let mut found = None;
            for (i, item) in a.items.iter().enumerate() {
                if wildcard_match(&item.value, g.action, true) {
                    let exact = !crate::facts::has_wildcard(&item.value);
                    if exact || found.is_none() {
                        found = Some((i, exact));
                    }
                    if exact {
                        break;
                    }
                }
            }
            let Some((i, exact)) = found else { continue };
            (
                if exact { 0 } else { 1 },
                a.items[i].range,
                a.item_pointer(&st.pointer, i),
            )
        };
        let code = if r.not {
            if r.items.iter().any(|i| (g.broad)(&i.value)) {
                continue; // every such resource is excluded
            }
            g.codes[[0, 1, 2][mode]]
        } else if r.items.iter().any(|i| (g.broad)(&i.value)) {
            g.codes[[3, 4, 5][mode]]
        } else {
            continue;
        };
        out.push(broad_diag(st, g, code, mode, r.not, range, ptr));
    }
}

fn broad_diag(
    st: &Statement,
    g: &BroadGrant,
    code: &str,
    mode: usize,
    not_resource: bool,
    range: TextRange,
    ptr: String,
) -> Diagnostic {
    let how = match mode {
        0 => format!("{} is allowed", g.action),
        1 => format!("a wildcard action allows {}", g.action),
        _ => format!("NotAction allows {}", g.action),
    };
    let scope = if not_resource {
        "with NotResource"
    } else {
        "on every resource (*)"
    };
    diag(
        code,
        g.finding_type,
        format!(
            "in {}, {how} {scope}: this can be overly permissive; {}",
            st.label(),
            g.what
        ),
        range,
        ptr,
    )
}
