//! Plain-text rendering of a diff (the CLI's `--format text`).

use std::fmt::Write;

use crate::describe_change;
use crate::types::{AccessChange, DiffResult, Witness};

fn request_details(w: &Witness) -> String {
    let mut s = format!("    as {}", w.principal);
    if let Some(a) = &w.resource_account {
        let _ = write!(s, ", resource account {a}");
    }
    for (k, v) in &w.context {
        let _ = write!(s, ", {k}={}", v.values().join("|"));
    }
    s
}

fn section(out: &mut String, label: &str, changes: &[AccessChange], new_side: bool, limit: usize) {
    for (i, c) in changes.iter().enumerate() {
        if i == limit {
            let _ = writeln!(out, "... and {} more ({label})", changes.len() - limit);
            break;
        }
        let _ = writeln!(out, "{label}: {}", describe_change(c, new_side));
        let _ = writeln!(out, "{}", request_details(&c.witness));
    }
}

/// Renders the changes (at most `limit` lines per section), the exploration summary and what was
/// only sampled.
pub fn render_text(r: &DiffResult, limit: usize) -> String {
    let mut out = String::new();
    section(&mut out, "new access", &r.added, true, limit);
    section(&mut out, "removed access", &r.removed, false, limit);
    let e = &r.explored;
    let _ = writeln!(
        out,
        "{} action(s) with new access, {} with removed access; {} action(s) considered, {} unchanged, {} searched, {} request(s) evaluated ({}).",
        r.added.len(),
        r.removed.len(),
        e.actions_considered,
        e.actions_unchanged,
        e.actions_searched,
        e.candidates_evaluated,
        if r.exhaustive {
            "exhaustive"
        } else {
            "not exhaustive: see below"
        }
    );
    for s in &r.sampled {
        let what = match &s.statement {
            Some(st) => match &st.sid {
                Some(sid) => format!("{} statement {} \"{sid}\"", s.side, st.statement_index),
                None => format!("{} statement {}", s.side, st.statement_index),
            },
            None => s.side.clone(),
        };
        let keys = if s.condition_keys.is_empty() {
            String::new()
        } else {
            format!(" [{}]", s.condition_keys.join(", "))
        };
        let _ = writeln!(
            out,
            "sampled: {what}{keys}: {} ({} action(s), e.g. {})",
            s.reason,
            s.actions,
            s.example_actions.join(", ")
        );
    }
    out
}
