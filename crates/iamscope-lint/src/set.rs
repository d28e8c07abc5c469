//! Linting several policies of one principal together: each policy gets its own diagnostics, and
//! privilege-escalation paths that only the combination grants (iam:PassRole in one policy,
//! ec2:RunInstances in another) are reported on the policy that grants the path's first action,
//! with related locations naming the other policies.

use iamscope_catalog::Catalog;
use iamscope_policy::PolicyKind;

use crate::rules::security::privilege_escalation::{
    GrantIndex, denies, diagnostics_for, granted_paths,
};
use crate::{LintOptions, LintResult, finish_public, lint_with_catalog};

/// One policy of a set.
#[derive(Clone, Copy, Debug)]
pub struct PolicyInput<'a> {
    /// A name for messages (a file name, a policy name).
    pub name: &'a str,
    pub text: &'a str,
    /// The kind; inferred when `None`.
    pub kind: Option<PolicyKind>,
}

/// Lints every policy (as [`crate::lint`] does) and adds the cross-policy findings. The results
/// are in input order.
pub fn lint_set(policies: &[PolicyInput<'_>], options: &LintOptions) -> Vec<LintResult> {
    lint_set_with_catalog(policies, options, Catalog::embedded())
}

/// [`lint_set`] against a given catalog.
pub fn lint_set_with_catalog(
    policies: &[PolicyInput<'_>],
    options: &LintOptions,
    catalog: &Catalog,
) -> Vec<LintResult> {
    let mut results: Vec<LintResult> = policies
        .iter()
        .map(|p| {
            let o = LintOptions {
                kind: p.kind.or(options.kind),
                ..options.clone()
            };
            lint_with_catalog(p.text, &o, catalog)
        })
        .collect();
    // Only identity policies grant a principal permissions.
    let identity: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == PolicyKind::Identity && r.policy.is_some())
        .map(|(i, _)| i)
        .collect();
    if identity.len() < 2 {
        return results;
    }
    let indexes: Vec<GrantIndex<'_>> = identity
        .iter()
        .filter_map(|&i| results[i].policy.as_ref().map(|p| GrantIndex::new(p, i)))
        .collect();
    let grant = |action: &str| indexes.iter().find_map(|g| g.find(action));
    let denied = |action: &str| {
        identity.iter().any(|&i| {
            results[i]
                .policy
                .as_ref()
                .is_some_and(|p| denies(p, action))
        })
    };
    // Paths that need more than one policy.
    let paths: Vec<_> = granted_paths(grant, denied)
        .into_iter()
        .filter(|(_, gs)| gs.iter().any(|g| g.policy != gs[0].policy))
        .collect();
    let mut extra: Vec<(usize, Vec<iamscope_syntax::Diagnostic>)> = Vec::new();
    for &anchor in &identity {
        let mine: Vec<_> = paths
            .iter()
            .filter(|(_, gs)| gs[0].policy == anchor)
            .cloned()
            .collect();
        if mine.is_empty() {
            continue;
        }
        let ds = diagnostics_for(mine, anchor, |i| {
            policies.get(i).map(|p| p.name.to_string())
        });
        extra.push((anchor, ds));
    }
    for (i, ds) in extra {
        let r = &mut results[i];
        let mut all = std::mem::take(&mut r.diagnostics);
        all.extend(ds);
        r.diagnostics = finish_public(all, options);
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_across_two_policies() {
        let a = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/*"}]}"#;
        let b = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}"#;
        let set = [
            PolicyInput {
                name: "pass.json",
                text: a,
                kind: Some(PolicyKind::Identity),
            },
            PolicyInput {
                name: "run.json",
                text: b,
                kind: Some(PolicyKind::Identity),
            },
        ];
        let alone: Vec<_> = crate::lint(a, &LintOptions::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "PRIVILEGE_ESCALATION")
            .collect();
        assert!(alone.is_empty());
        let r = lint_set(&set, &LintOptions::default());
        let esc: Vec<_> = r[0]
            .diagnostics
            .iter()
            .filter(|d| d.code == "PRIVILEGE_ESCALATION")
            .collect();
        assert_eq!(esc.len(), 1, "{esc:?}");
        assert_eq!(esc[0].range.slice(a), "\"iam:PassRole\"");
        assert!(esc[0].related[0].message.contains("run.json"));
        assert_eq!(esc[0].related[0].range.slice(b), "\"ec2:RunInstances\"");
        assert!(
            r[1].diagnostics
                .iter()
                .all(|d| d.code != "PRIVILEGE_ESCALATION")
        );
        // A Deny in either policy blocks the path.
        let deny = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}]}"#;
        let set = [
            set[0],
            PolicyInput {
                name: "run.json",
                text: deny,
                kind: Some(PolicyKind::Identity),
            },
        ];
        let r = lint_set(&set, &LintOptions::default());
        assert!(
            r[0].diagnostics
                .iter()
                .all(|d| d.code != "PRIVILEGE_ESCALATION")
        );
    }
}
