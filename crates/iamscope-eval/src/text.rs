//! A plain-text rendering of a result, for the command line.

use std::fmt::Write;

use iamscope_syntax::{LineIndex, TextRange};

use crate::result::{EvalResult, LayerOutcome, StatementTrace};
use crate::scenario::{PolicySource, Scenario};

/// Renders `result`. With the scenario (and the scenario document's text and file name),
/// statement positions are shown as `file:line:column`.
pub fn render_text(
    result: &EvalResult,
    scenario: Option<&Scenario>,
    scenario_text: Option<&str>,
    file: &str,
) -> String {
    let mut out = String::new();
    let index = scenario_text.map(LineIndex::new);
    let locate = |st: &StatementTrace, layer, level: Option<usize>| -> String {
        if let (Some(r), Some(idx)) = (st.scenario_range, &index) {
            let lc = idx.line_col(scenario_text.unwrap_or(""), r.start);
            return format!("{file}:{}:{}", lc.line + 1, lc.col_utf16 + 1);
        }
        let src = scenario.and_then(|s| policy_source(s, layer, level, st.policy_index));
        match src {
            Some(p) => {
                let (line, col) = line_col(&p.text, st.range);
                format!("policy text {line}:{col}")
            }
            None => format!("bytes {}..{}", st.range.start, st.range.end),
        }
    };
    let _ = write!(out, "Decision: {}", result.decision);
    if let Some(l) = result.deciding_layer {
        let _ = write!(out, " (decided by {l}");
        if let Some(level) = result.deciding_level {
            let _ = write!(out, " {level}");
        }
        out.push(')');
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "Request: {} on {} by {} ({}{})",
        result.action,
        result.resource,
        result.principal.id,
        result.principal.kind,
        result
            .principal
            .account
            .as_deref()
            .map(|a| format!(", account {a}"))
            .unwrap_or_default()
    );
    if let Some(ra) = &result.resource_account {
        let _ = writeln!(
            out,
            "Resource account: {ra} ({})",
            if result.cross_account {
                "cross-account"
            } else {
                "same account"
            }
        );
    }
    if let Some(r) = &result.resource_policy_required {
        let _ = writeln!(
            out,
            "The {} must allow explicitly.",
            if r == "trust" {
                "role trust policy"
            } else {
                "KMS key policy"
            }
        );
    }
    out.push_str("\nWhy:\n");
    for r in &result.reasons {
        let _ = writeln!(out, "  - {r}");
    }
    out.push_str("\nLayers:\n");
    for l in &result.layers {
        let name = match l.level {
            Some(level) => format!("{}[{level}]", l.layer),
            None => l.layer.to_string(),
        };
        let outcome = match l.outcome {
            LayerOutcome::Allow => "Allow",
            LayerOutcome::ExplicitDeny => "ExplicitDeny",
            LayerOutcome::ImplicitDeny => "ImplicitDeny (no statement applies)",
            LayerOutcome::NotApplicable => "not applicable",
        };
        let _ = write!(out, "  {name:<14} {outcome}");
        if let Some(g) = l.grant {
            let _ = write!(out, " (grant: {g:?})");
        }
        if let Some(n) = &l.note {
            let _ = write!(out, " - {n}");
        }
        out.push('\n');
        for st in &l.statements {
            let _ = write!(
                out,
                "    {} statement {}",
                if st.matched { "applies:" } else { "no match:" },
                st.statement_index
            );
            if let Some(sid) = &st.sid {
                let _ = write!(out, " (Sid \"{sid}\")");
            }
            let _ = write!(out, " {}", st.effect);
            let _ = write!(out, " in policy {}", st.policy_index);
            if let Some(n) = &st.policy_name {
                let _ = write!(out, " \"{n}\"");
            }
            let _ = writeln!(out, " at {}", locate(st, l.layer, l.level));
            if !st.resource_matched {
                out.push_str("        resource does not match\n");
            }
            if st.principal_matched == Some(false) {
                out.push_str("        principal does not match\n");
            }
            for c in &st.conditions {
                let req = match &c.request_values {
                    Some(v) => format!("{v:?}"),
                    None => "(missing)".into(),
                };
                let pol: Vec<String> = c
                    .policy_values
                    .iter()
                    .map(|v| v.clone().unwrap_or_else(|| "(no value)".into()))
                    .collect();
                let _ = writeln!(
                    out,
                    "        {} {} {} {:?} vs request {} -> {}",
                    if c.result { "ok  " } else { "FAIL" },
                    c.operator,
                    c.key,
                    pol,
                    req,
                    c.result
                );
                for n in &c.notes {
                    let _ = writeln!(out, "             {n}");
                }
            }
            for n in &st.notes {
                let _ = writeln!(out, "        note: {n}");
            }
        }
    }
    if !result.missing_context_keys.is_empty() {
        let _ = writeln!(
            out,
            "\nMissing context keys (add them to request.context to test them): {}",
            result.missing_context_keys.join(", ")
        );
    }
    if !result.derived_context.is_empty() {
        out.push_str("\nDerived context (set by iamscope from the principal and resource):\n");
        for (k, v) in &result.derived_context {
            let _ = writeln!(out, "  {k} = {}", v.join(", "));
        }
    }
    for w in &result.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

fn policy_source(
    s: &Scenario,
    layer: crate::result::Layer,
    level: Option<usize>,
    index: usize,
) -> Option<&PolicySource> {
    use crate::result::Layer;
    let p = &s.policies;
    match layer {
        Layer::Identity => p.identity.get(index),
        Layer::Resource => p.resource.as_ref(),
        Layer::Boundary => p.boundary.as_ref(),
        Layer::Session => p.session.as_ref(),
        Layer::Scp => p.scp.get(level?)?.get(index),
        Layer::Rcp => p.rcp.get(level?)?.get(index),
        Layer::VpcEndpoint => p.vpc_endpoint.get(index),
    }
}

/// Line and column (1-based) of `range` in `text`.
pub fn line_col(text: &str, range: TextRange) -> (u32, u32) {
    let lc = LineIndex::new(text).line_col(text, range.start);
    (lc.line + 1, lc.col_utf16 + 1)
}
