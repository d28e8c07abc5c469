//! The request context: condition keys with their values. Key names are case-insensitive
//! (reference_policies_elements_condition.md); values keep their case.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

use crate::compile::Fnv;

use iamscope_policy::values::{Timestamp, parse_date};

use crate::principal::{PrincipalKind, RequestPrincipal};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    /// The key as given (or as AWS spells it, for derived keys).
    pub name: String,
    pub values: Vec<String>,
    pub derived: bool,
}

/// Context keys, looked up case-insensitively.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    map: HashMap<String, ContextEntry, BuildHasherDefault<Fnv>>,
}

impl Context {
    pub fn new(given: &[(String, Vec<String>)]) -> Context {
        let mut c = Context::default();
        c.map.reserve(given.len() + 8);
        for (k, v) in given {
            c.map.insert(
                k.to_ascii_lowercase(),
                ContextEntry {
                    name: k.clone(),
                    values: v.clone(),
                    derived: false,
                },
            );
        }
        c
    }

    /// The values of `key` (any case), or `None` when the request does not carry it.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            self.map
                .get(&key.to_ascii_lowercase())
                .map(|e| e.values.as_slice())
        } else {
            self.map.get(key).map(|e| e.values.as_slice())
        }
    }

    /// Looks up a key that is already lower case.
    pub fn get_lower(&self, key_lower: &str) -> Option<&[String]> {
        self.map.get(key_lower).map(|e| e.values.as_slice())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(&key.to_ascii_lowercase())
    }

    /// Sets `key` unless the request already has it; records it as derived.
    fn derive(
        &mut self,
        key: &str,
        values: Vec<String>,
        derived: &mut BTreeMap<String, Vec<String>>,
    ) {
        let lower = key.to_ascii_lowercase();
        if self.map.contains_key(&lower) {
            return;
        }
        derived.insert(key.to_string(), values.clone());
        self.map.insert(
            lower,
            ContextEntry {
                name: key.to_string(),
                values,
                derived: true,
            },
        );
    }

    /// Adds the keys AWS sets from the principal and the resource, and derives `aws:EpochTime`
    /// from `aws:CurrentTime` (and the other way round). The wall clock is never read.
    /// Returns the derived keys with their values.
    pub fn derive_defaults(
        &mut self,
        p: &RequestPrincipal,
        resource_account: Option<&str>,
    ) -> BTreeMap<String, Vec<String>> {
        let mut d = BTreeMap::new();
        let one = |s: &str| vec![s.to_string()];
        if let Some(arn) = p.principal_arn() {
            self.derive("aws:PrincipalArn", one(&arn), &mut d);
        }
        if let Some(acct) = &p.account
            && p.kind.is_iam()
        {
            self.derive("aws:PrincipalAccount", one(acct), &mut d);
        }
        // aws:PrincipalType (reference_policies_variables.md, "Principal key values").
        let ptype = match p.kind {
            PrincipalKind::Root => Some("Account"),
            PrincipalKind::User => Some("User"),
            PrincipalKind::FederatedUser => Some("FederatedUser"),
            PrincipalKind::Role | PrincipalKind::RoleSession => Some("AssumedRole"),
            PrincipalKind::Anonymous => Some("Anonymous"),
            _ => None,
        };
        if let Some(t) = ptype {
            self.derive("aws:PrincipalType", one(t), &mut d);
        }
        match p.kind {
            PrincipalKind::User => {
                if let Some(n) = &p.name {
                    self.derive("aws:username", one(n), &mut d);
                }
            }
            PrincipalKind::Root => {
                if let Some(a) = &p.account {
                    self.derive("aws:userid", one(a), &mut d);
                }
            }
            PrincipalKind::FederatedUser => {
                if let (Some(a), Some(n)) = (&p.account, &p.name) {
                    self.derive("aws:userid", vec![format!("{a}:{n}")], &mut d);
                }
            }
            _ => {}
        }
        match p.kind {
            PrincipalKind::Service => {
                self.derive("aws:PrincipalIsAWSService", one("true"), &mut d);
                self.derive("aws:PrincipalServiceName", one(&p.id), &mut d);
            }
            k if k.is_iam() => {
                self.derive("aws:PrincipalIsAWSService", one("false"), &mut d);
            }
            _ => {}
        }
        if let Some(ra) = resource_account {
            self.derive("aws:ResourceAccount", one(ra), &mut d);
        }
        // One of the two time keys implies the other.
        let current = self
            .get("aws:CurrentTime")
            .and_then(|v| v.first())
            .and_then(|v| parse_date(v));
        let epoch = self
            .get("aws:EpochTime")
            .and_then(|v| v.first())
            .and_then(|v| parse_date(v));
        match (current, epoch) {
            (Some(t), None) => {
                self.derive("aws:EpochTime", vec![t.epoch_seconds().to_string()], &mut d);
            }
            (None, Some(t)) => {
                if let Some(iso) = Timestamp::to_iso8601(&t) {
                    self.derive("aws:CurrentTime", vec![iso], &mut d);
                }
            }
            _ => {}
        }
        d
    }
}
