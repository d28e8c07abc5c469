//! The least-privilege summary of a policy: for each service, how many actions of each access
//! level (List, Read, Write, Permissions management, Tagging) the policy allows, and for each
//! wildcard how many actions it expands to, computed with the service catalog.
//!
//! Allowed actions are those of the Allow statements (Action patterns expanded; `NotAction` as
//! every action it does not exclude) minus the actions of Deny statements without a condition
//! whose `Resource` is `*`. Conditions and resource scopes of Allow statements are not modelled:
//! the summary says what may be allowed somewhere.

use std::collections::BTreeMap;

use iamscope_catalog::{AccessLevel, Catalog};
use iamscope_policy::model::Policy;
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
    let n = catalog.actions().len();
    let mut allowed = vec![false; n];
    let mut denied = vec![false; n];
    let mut all_res_services: BTreeMap<String, bool> = BTreeMap::new();
    let mut wildcards = Vec::new();
    let mut unknown = Vec::new();
    for st in &policy.statements {
        let Some(a) = &st.action else { continue };
        if st.is_deny() {
            if st.condition.is_none() && st.resource.as_ref().is_some_and(resource_is_star) {
                for i in expand_list(catalog, Some(a)) {
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
        let ids = expand_list(catalog, Some(a));
        for &i in &ids {
            allowed[i as usize] = true;
            if broad && let Some(x) = catalog.action_by_index(i as usize) {
                all_res_services.insert(x.service().prefix().to_string(), true);
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
                write_or_permissions: wp(&ids),
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
                } else if catalog.action(v).is_none() && !unknown.iter().any(|u: &String| u == v) {
                    unknown.push(v.to_string());
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
                on_all_resources: all_res_services.contains_key(svc.prefix()),
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
    fn admin_is_full_access_everywhere() {
        let s = sum(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
        );
        assert_eq!(s.total_actions, Catalog::embedded().actions().len());
        assert!(s.services.iter().all(|x| x.full_access));
    }
}
