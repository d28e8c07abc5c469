//! # REDUNDANT_STATEMENT
//!
//! Finding type: SUGGESTION
//!
//! A statement that repeats an earlier one: the same effect, principals, actions, resources and
//! condition (order, `Sid` and the case of action names do not matter). The fix removes the
//! later statement.
//!
//! ## Why it matters
//! When one copy is later edited and the other is not, the policy keeps granting what the edit
//! was meant to remove.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [
//!   {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"},
//!   {"Sid": "ReadAgain", "Effect": "Allow", "Action": ["s3:listbucket", "s3:GetObject"], "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [
//!   {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks: "Suggestion – Redundant statement"

use iamscope_policy::model::{ConditionValue, Statement, ValueList};
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit, TextRange};

use crate::facts::{diag, remove_array_item, statement_anchor};
use crate::{Context, Rule, RuleMeta};

pub struct RedundantStatement;

fn list_key(l: &Option<ValueList>, fold: bool) -> (bool, Vec<String>) {
    match l {
        None => (false, Vec::new()),
        Some(l) => {
            let mut v: Vec<String> = l
                .items
                .iter()
                .map(|i| {
                    if fold {
                        i.value.to_ascii_lowercase()
                    } else {
                        i.value.to_string()
                    }
                })
                .collect();
            iamscope_syntax::sort::sort(&mut v);
            v.dedup();
            (l.not, v)
        }
    }
}

type Key = (
    Option<&'static str>,
    Option<(bool, Vec<(String, String)>, bool)>,
    (bool, Vec<String>),
    (bool, Vec<String>),
    Vec<(String, String, Vec<String>)>,
);

fn key(st: &Statement) -> Key {
    let effect = st.effect.as_ref().map(|e| e.value.as_str());
    let principal = st.principal.as_ref().map(|p| {
        let mut v: Vec<(String, String)> = p
            .values()
            .map(|(e, v)| (e.key.value.clone(), v.value.clone()))
            .collect();
        iamscope_syntax::sort::sort(&mut v);
        v.dedup();
        (p.not, v, p.is_wildcard())
    });
    let mut cond: Vec<(String, String, Vec<String>)> = st
        .condition
        .iter()
        .flat_map(|c| c.entries())
        .map(|(b, e)| {
            let mut vals: Vec<String> = e
                .values
                .iter()
                .map(|v| match &v.value {
                    ConditionValue::String(s) => s.clone(),
                    other => other.as_text().to_string(),
                })
                .collect();
            iamscope_syntax::sort::sort(&mut vals);
            vals.dedup();
            (
                b.operator.value.clone(),
                e.key.value.to_ascii_lowercase(),
                vals,
            )
        })
        .collect();
    iamscope_syntax::sort::sort(&mut cond);
    (
        effect,
        principal,
        list_key(&st.action, true),
        list_key(&st.resource, false),
        cond,
    )
}

/// A hash of what [`key`] compares that does not depend on item order or repeats and costs no
/// allocation: the effect, which elements are present and negated, the catalog actions of the
/// Action list (equal item sets have equal expansions), the smallest and largest Resource item,
/// and the number of condition entries.
fn fingerprint(cx: &Context<'_>, pos: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let st = &cx.policy.statements[pos];
    // Equal fingerprints are compared again by their keys, so a collision costs only time.
    let mut h = crate::bytes::FastHasher::default();
    st.effect.as_ref().map(|e| e.value.as_str()).hash(&mut h);
    st.principal.as_ref().map(|p| p.not).hash(&mut h);
    st.action.as_ref().map(|a| a.not).hash(&mut h);
    cx.statement_actions(pos).hash(&mut h);
    st.resource.as_ref().map(|r| r.not).hash(&mut h);
    if let Some(r) = &st.resource {
        r.strs().min().hash(&mut h);
        r.strs().max().hash(&mut h);
    }
    st.condition
        .iter()
        .flat_map(|c| c.entries())
        .count()
        .hash(&mut h);
    h.finish()
}

impl Rule for RedundantStatement {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("REDUNDANT_STATEMENT", FindingType::Suggestion)],
            summary: "A statement identical to an earlier one",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let sts = &cx.policy.statements;
        if sts.len() < 2 {
            return;
        }
        // Statements with equal keys have equal fingerprints, so only those whose fingerprint
        // another statement shares need their (allocating) key.
        let prints: Vec<u64> = (0..sts.len()).map(|i| fingerprint(cx, i)).collect();
        let mut sorted = prints.clone();
        sorted.sort_unstable();
        let shared = |p: &u64| {
            let at = sorted.partition_point(|x| x < p);
            sorted.get(at + 1) == Some(p)
        };
        if !prints.iter().any(shared) {
            return;
        }
        let keys: Vec<Option<Key>> = sts
            .iter()
            .zip(&prints)
            .map(|(st, p)| shared(p).then(|| key(st)))
            .collect();
        // First statement of each content: one hash lookup per statement.
        let mut first: std::collections::HashMap<&Key, usize> =
            std::collections::HashMap::with_capacity(keys.len());
        let ranges: Vec<TextRange> = sts.iter().map(|s| s.range).collect();
        for i in 0..sts.len() {
            let Some(k) = &keys[i] else { continue };
            let j = *first.entry(k).or_insert(i);
            if j == i || sts[i].effect.is_none() || sts[i].action.is_none() {
                continue;
            }
            let mut d = diag(
                "REDUNDANT_STATEMENT",
                FindingType::Suggestion,
                format!(
                    "{} repeats {}: it grants identical permissions; remove it",
                    sts[i].label(),
                    sts[j].label()
                ),
                statement_anchor(&sts[i]),
                sts[i].pointer.clone(),
            )
            .with_related(
                statement_anchor(&sts[j]),
                format!("{} is the first copy", sts[j].label()),
            );
            if cx.policy.statement_is_array
                && let Some(e) = remove_array_item(cx.text, &ranges, i)
            {
                {
                    d = d.with_fix(Fix {
                        title: format!("Remove {}", sts[i].label()),
                        edits: vec![TextEdit {
                            range: e.range,
                            new_text: e.new_text,
                        }],
                        safe: true,
                    });
                }
            }
            out.push(d);
        }
    }
}
