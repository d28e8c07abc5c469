//! The least-privilege summary of a policy: for each service, how many actions of each access
//! level (List, Read, Write, Permissions management, Tagging) the policy allows, and for each
//! wildcard how many actions it expands to, computed with the service catalog.
//!
//! Allowed actions are those of the Allow statements (Action patterns expanded; `NotAction` as
//! every action it does not exclude) minus the actions of Deny statements without a condition
//! whose `Resource` is `*`. Conditions and resource scopes of Allow statements are not modelled:
//! the summary says what may be allowed somewhere.

use std::collections::{BTreeMap, BTreeSet};

use iamscope_catalog::{AccessLevel, Catalog};
use iamscope_policy::model::{Policy, Statement};
use iamscope_syntax::TextRange;
use serde::Serialize;

use crate::facts::{expand_list, resource_is_star};

/// The summary of one policy.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    /// The catalog's version and data date the counts come from.
    pub catalog_version: String,
    pub catalog_data_date: String,
    /// Every allowed action, counted once.
    pub total_actions: usize,
    /// Per service prefix, sorted.
    pub services: Vec<ServiceSummary>,
    /// Every Action pattern with a wildcard (and every NotAction list) of an Allow statement.
    pub wildcards: Vec<WildcardExpansion>,
    /// Action names of Allow statements that the catalog does not know.
    pub unknown_actions: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSummary {
    pub prefix: String,
    pub name: String,
    /// Allowed actions of this service.
    pub allowed: usize,
    /// All actions of this service in the catalog.
    pub total: usize,
    /// Per access level present: allowed and available counts, in AWS's level order.
    pub levels: Vec<LevelCount>,
    /// True when every action of the service is allowed.
    pub full_access: bool,
    /// True when some allowing statement has `Resource: "*"` or `NotResource`.
    pub on_all_resources: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LevelCount {
    /// `List`, `Read`, `Write`, `Permissions management` or `Tagging`.
    pub level: String,
    pub allowed: usize,
    pub total: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WildcardExpansion {
    /// The pattern as written (`s3:Get*`), or `NotAction: a, b` for a NotAction list.
    pub pattern: String,
    /// The statement index.
    pub statement: usize,
    /// How many catalog actions it matches.
    pub expands_to: usize,
    /// How many of those are Write or Permissions management.
    pub write_or_permissions: usize,
}

/// Summarizes `policy` with `catalog`.
pub fn summarize(policy: &Policy, catalog: &Catalog) -> PolicySummary {
    summarize_expanded(policy, catalog, &expand_statements(policy, catalog))
}

/// [`summarize`] and [`summarize_statements`] together, expanding each statement's actions once.
pub fn summarize_with_statements(
    policy: &Policy,
    catalog: &Catalog,
) -> (PolicySummary, Vec<StatementSummary>) {
    let expanded = expand_statements(policy, catalog);
    let statements = policy
        .statements
        .iter()
        .zip(&expanded)
        .map(|(st, e)| summarize_statement(st, catalog, e))
        .collect();
    (summarize_expanded(policy, catalog, &expanded), statements)
}

/// One statement's `Action`/`NotAction` in catalog terms.
struct Expanded {
    /// The catalog actions it matches, sorted, without duplicates.
    ids: Vec<u32>,
    /// Its names without a wildcard that the catalog does not know (not for `NotAction`).
    unknown: Vec<String>,
}

/// Each statement's actions, looking every literal name up once.
fn expand_statements(policy: &Policy, catalog: &Catalog) -> Vec<Expanded> {
    policy
        .statements
        .iter()
        .map(|st| {
            let mut unknown: Vec<String> = Vec::new();
            let ids = match &st.action {
                None => Vec::new(),
                Some(a) if a.not => expand_list(catalog, Some(a)),
                Some(a) => {
                    let mut ids: Vec<u32> = Vec::with_capacity(a.items.len());
                    for v in a.strs() {
                        if v.contains(['*', '?']) {
                            ids.extend(catalog.expand(v).iter().map(|x| x.index() as u32));
                        } else if let Some(x) = catalog.action(v) {
                            ids.push(x.index() as u32);
                        } else if !unknown.iter().any(|u| u == v) {
                            unknown.push(v.to_string());
                        }
                    }
                    ids.sort_unstable();
                    ids.dedup();
                    ids
                }
            };
            Expanded { ids, unknown }
        })
        .collect()
}

fn summarize_expanded(policy: &Policy, catalog: &Catalog, expanded: &[Expanded]) -> PolicySummary {
    let n = catalog.actions().len();
    let mut allowed = vec![false; n];
    let mut denied = vec![false; n];
    let mut all_res_services: BTreeSet<&str> = BTreeSet::new();
    let mut wildcards = Vec::new();
    let mut unknown = Vec::new();
    for (st, ex) in policy.statements.iter().zip(expanded) {
        let Some(a) = &st.action else { continue };
        if st.is_deny() {
            if st.condition.is_none() && st.resource.as_ref().is_some_and(resource_is_star) {
                for &i in &ex.ids {
                    denied[i as usize] = true;
                }
            }
            continue;
        }
        if !st.is_allow() {
            continue;
        }
        let broad = st
            .resource
            .as_ref()
            .is_some_and(|r| r.not || resource_is_star(r))
            || st.resource.is_none();
        let ids = &ex.ids;
        for &i in ids {
            allowed[i as usize] = true;
            if broad && let Some(x) = catalog.action_by_index(i as usize) {
                all_res_services.insert(x.service().prefix());
            }
        }
        let wp = |ids: &[u32]| {
            ids.iter()
                .filter_map(|&i| catalog.action_by_index(i as usize))
                .filter(|x| {
                    matches!(
                        x.access_level(),
                        AccessLevel::Write | AccessLevel::PermissionsManagement
                    )
                })
                .count()
        };
        if a.not {
            wildcards.push(WildcardExpansion {
                pattern: format!("NotAction: {}", a.strs().collect::<Vec<_>>().join(", ")),
                statement: st.index,
                expands_to: ids.len(),
                write_or_permissions: wp(ids),
            });
        } else {
            for item in &a.items {
                let v = item.value.as_str();
                if v.contains(['*', '?']) {
                    let e: Vec<u32> = catalog.expand(v).iter().map(|x| x.index() as u32).collect();
                    wildcards.push(WildcardExpansion {
                        pattern: v.to_string(),
                        statement: st.index,
                        expands_to: e.len(),
                        write_or_permissions: wp(&e),
                    });
                }
            }
            for u in &ex.unknown {
                if !unknown.contains(u) {
                    unknown.push(u.clone());
                }
            }
        }
    }
    let mut services: BTreeMap<String, ServiceSummary> = BTreeMap::new();
    let mut total_actions = 0;
    for (i, ok) in allowed.iter().enumerate() {
        if !*ok || denied[i] {
            continue;
        }
        let Some(x) = catalog.action_by_index(i) else {
            continue;
        };
        total_actions += 1;
        let svc = x.service();
        let entry = services.entry(svc.prefix().to_string()).or_insert_with(|| {
            let mut levels: Vec<LevelCount> = Vec::new();
            for l in AccessLevel::ALL {
                let total = svc.actions().filter(|y| y.access_level() == l).count();
                if total > 0 {
                    levels.push(LevelCount {
                        level: l.as_str().to_string(),
                        allowed: 0,
                        total,
                    });
                }
            }
            ServiceSummary {
                prefix: svc.prefix().to_string(),
                name: svc.name().to_string(),
                allowed: 0,
                total: svc.actions().len(),
                levels,
                full_access: false,
                on_all_resources: all_res_services.contains(svc.prefix()),
            }
        });
        entry.allowed += 1;
        if let Some(l) = entry
            .levels
            .iter_mut()
            .find(|l| l.level == x.access_level().as_str())
        {
            l.allowed += 1;
        }
    }
    let mut services: Vec<ServiceSummary> = services.into_values().collect();
    for s in &mut services {
        s.full_access = s.allowed == s.total;
        s.levels.retain(|l| l.allowed > 0);
    }
    PolicySummary {
        catalog_version: catalog.version().to_string(),
        catalog_data_date: catalog.data_date().to_string(),
        total_actions,
        services,
        wildcards,
        unknown_actions: unknown,
    }
}

/// What one statement's `Action` (or `NotAction`) covers on its own, for an editor's code lens
/// on the statement. Like [`summarize`], the `Resource` scope and the `Condition` are not
/// modelled, only reported (`on_all_resources`, `conditional`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatementSummary {
    /// The statement's index (0 when `Statement` is a single object) and JSON pointer.
    pub index: usize,
    pub pointer: String,
    /// The statement object's range.
    pub range: TextRange,
    pub sid: Option<String>,
    /// `Allow` or `Deny`; `None` when `Effect` is missing or invalid.
    pub effect: Option<&'static str>,
    /// True when the statement uses `NotAction`.
    pub not_action: bool,
    /// True when the statement has no `Action` or `NotAction` element.
    pub no_action: bool,
    /// Catalog actions the statement's action list matches, counted once.
    pub total_actions: usize,
    /// Per access level present (in AWS's level order): matched actions.
    pub levels: Vec<StatementLevel>,
    /// Per service prefix (sorted): matched actions and the service's total.
    pub services: Vec<StatementService>,
    /// True when `Resource` is `*` (or absent, or a `NotResource`).
    pub on_all_resources: bool,
    /// True when the statement has a `Condition` element.
    pub conditional: bool,
    /// Action names without a wildcard that the catalog does not know.
    pub unknown_actions: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatementLevel {
    /// `List`, `Read`, `Write`, `Permissions management` or `Tagging`.
    pub level: String,
    pub matched: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatementService {
    pub prefix: String,
    pub matched: usize,
    pub total: usize,
}

/// One [`StatementSummary`] per statement, in document order.
pub fn summarize_statements(policy: &Policy, catalog: &Catalog) -> Vec<StatementSummary> {
    summarize_with_statements(policy, catalog).1
}

fn summarize_statement(st: &Statement, catalog: &Catalog, ex: &Expanded) -> StatementSummary {
    let ids = &ex.ids;
    let mut level_counts = [0usize; AccessLevel::ALL.len()];
    let mut services: Vec<StatementService> = Vec::new();
    for &i in ids {
        let Some(x) = catalog.action_by_index(i as usize) else {
            continue;
        };
        if let Some(k) = AccessLevel::ALL.iter().position(|&l| l == x.access_level()) {
            level_counts[k] += 1;
        }
        let svc = x.service();
        // `ids` is in catalog order, where a service's actions are contiguous
        match services.last_mut() {
            Some(s) if s.prefix == svc.prefix() => s.matched += 1,
            _ => services.push(StatementService {
                prefix: svc.prefix().to_string(),
                matched: 1,
                total: svc.actions().len(),
            }),
        }
    }
    iamscope_syntax::sort::sort_by(&mut services, |a, b| a.prefix.cmp(&b.prefix));
    services.dedup_by(|b, a| {
        let same = a.prefix == b.prefix;
        if same {
            a.matched += b.matched;
        }
        same
    });
    let levels = AccessLevel::ALL
        .iter()
        .zip(level_counts)
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| StatementLevel {
            level: l.as_str().to_string(),
            matched: n,
        })
        .collect();
    StatementSummary {
        index: st.index,
        pointer: st.pointer.clone(),
        range: st.range,
        sid: st.sid.as_ref().map(|s| s.value.clone()),
        effect: st.effect.as_ref().map(|e| e.value.as_str()),
        not_action: st.action.as_ref().is_some_and(|a| a.not),
        no_action: st.action.is_none(),
        total_actions: ids.len(),
        levels,
        services,
        on_all_resources: st
            .resource
            .as_ref()
            .is_none_or(|r| r.not || resource_is_star(r)),
        conditional: st.condition.is_some(),
        unknown_actions: ex.unknown.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(text: &str) -> PolicySummary {
        let p = iamscope_policy::parse_policy(text).policy.expect("json");
        summarize(&p, Catalog::embedded())
    }

    #[test]
    fn counts_levels_and_wildcards() {
        let s = sum(r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket", "iam:PassRole", "nope:Thing"], "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}"#);
        let s3 = s.services.iter().find(|x| x.prefix == "s3").expect("s3");
        let expanded = Catalog::embedded().expand("s3:Get*").len();
        // s3:Get* plus ListBucket, minus the denied GetObject.
        assert_eq!(s3.allowed, expanded + 1 - 1);
        assert!(s3.on_all_resources);
        assert!(!s3.full_access);
        let list = s3.levels.iter().find(|l| l.level == "List").expect("List");
        assert!(list.allowed >= 1);
        let iam = s.services.iter().find(|x| x.prefix == "iam").expect("iam");
        assert_eq!(
            iam.levels,
            vec![LevelCount {
                level: "Write".into(),
                allowed: 1,
                total: iam.levels[0].total
            }]
        );
        assert_eq!(s.wildcards.len(), 1);
        assert_eq!(s.wildcards[0].pattern, "s3:Get*");
        assert_eq!(s.wildcards[0].expands_to, expanded);
        assert_eq!(s.unknown_actions, vec!["nope:Thing".to_string()]);
        assert_eq!(
            s.total_actions,
            s.services.iter().map(|x| x.allowed).sum::<usize>()
        );
    }

    #[test]
    fn statements_count_their_own_actions() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "Reads", "Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket", "nope:Thing"], "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            {"Effect": "Allow", "Resource": "*"}]}"#;
        let p = iamscope_policy::parse_policy(text).policy.expect("json");
        let cat = Catalog::embedded();
        let s = summarize_statements(&p, cat);
        assert_eq!(s.len(), 4);
        let get = cat.expand("s3:Get*").len();
        assert_eq!(s[0].total_actions, get + 1);
        assert_eq!(s[0].sid.as_deref(), Some("Reads"));
        assert_eq!(s[0].effect, Some("Allow"));
        assert_eq!(s[0].pointer, "/Statement/0");
        assert_eq!(&text[s[0].range.start as usize..][..1], "{");
        assert_eq!(s[0].services.len(), 1);
        assert_eq!(s[0].services[0].matched, get + 1);
        assert!(!s[0].on_all_resources);
        assert_eq!(s[0].unknown_actions, vec!["nope:Thing".to_string()]);
        let list = s[0]
            .levels
            .iter()
            .find(|l| l.level == "List")
            .expect("List");
        assert_eq!(list.matched, 1);
        assert_eq!(
            s[0].levels.iter().map(|l| l.matched).sum::<usize>(),
            s[0].total_actions
        );
        assert_eq!(s[1].effect, Some("Deny"));
        assert_eq!(s[1].total_actions, 1);
        assert!(s[1].conditional && s[1].on_all_resources);
        let iam = cat.expand("iam:*").len();
        assert!(s[2].not_action);
        assert_eq!(s[2].total_actions, cat.actions().len() - iam);
        assert!(s[2].services.iter().all(|x| x.prefix != "iam"));
        assert!(s[2].services.windows(2).all(|w| w[0].prefix < w[1].prefix));
        assert!(s[3].no_action);
        assert_eq!(s[3].total_actions, 0);
    }

    #[test]
    fn admin_is_full_access_everywhere() {
        let s = sum(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
        );
        assert_eq!(s.total_actions, Catalog::embedded().actions().len());
        assert!(s.services.iter().all(|x| x.full_access));
    }
}
