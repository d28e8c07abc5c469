//! One side of a diff: its policy set, prepared for the evaluator, and its statements reduced to
//! the facts the search reasons about (interned resource patterns, principal elements and
//! condition entries).

use std::collections::HashMap;

use iamscope_eval::{Layer, PolicySet, PreparedPolicySet};
use iamscope_policy::{Effect, PolicyKind, PrincipalElement, PrincipalValue};
use iamscope_syntax::TextRange;

use crate::cond::CondEntry;
use crate::glob::Glob;
use crate::types::{DiffError, Placement, StatementRef};

/// Name of the policies the diff adds around a single policy (they never appear in results).
pub(crate) const SYNTHETIC: &str = "iamscope-diff: allow everything";
pub(crate) const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// Interned facts shared by both sides.
#[derive(Default)]
pub(crate) struct Atoms {
    pub res: Vec<(String, Glob)>,
    res_idx: HashMap<(String, bool), usize>,
    pub conds: Vec<CondEntry>,
    cond_idx: HashMap<String, usize>,
    pub prins: Vec<String>,
    prin_idx: HashMap<String, usize>,
    bodies: HashMap<String, usize>,
}

impl Atoms {
    pub fn res(&mut self, raw: &str, vars: bool) -> usize {
        let key = (raw.to_string(), vars);
        if let Some(&i) = self.res_idx.get(&key) {
            return i;
        }
        self.res.push((raw.to_string(), Glob::arn(raw, vars)));
        self.res_idx.insert(key, self.res.len() - 1);
        self.res.len() - 1
    }

    fn cond(&mut self, e: CondEntry) -> usize {
        let key = e.canonical();
        if let Some(&i) = self.cond_idx.get(&key) {
            return i;
        }
        self.conds.push(e);
        self.cond_idx.insert(key, self.conds.len() - 1);
        self.conds.len() - 1
    }

    fn body(&mut self, body: String) -> usize {
        let n = self.bodies.len();
        *self.bodies.entry(body).or_insert(n)
    }

    fn prin(&mut self, canonical: String) -> usize {
        if let Some(&i) = self.prin_idx.get(&canonical) {
            return i;
        }
        self.prins.push(canonical.clone());
        self.prin_idx.insert(canonical, self.prins.len() - 1);
        self.prins.len() - 1
    }
}

/// A statement reduced for the search.
#[derive(Clone, Debug)]
pub(crate) struct Stmt {
    pub layer: Layer,
    pub level: Option<usize>,
    pub policy_index: usize,
    pub policy_name: Option<String>,
    pub synthetic: bool,
    pub index: usize,
    pub sid: Option<String>,
    pub pointer: String,
    pub range: TextRange,
    pub effect: Effect,
    pub not_action: bool,
    /// Action items as written.
    pub actions: Vec<String>,
    pub not_resource: bool,
    /// Resource atoms; `None` when the statement has no Resource element (trust policies).
    pub resources: Option<Vec<usize>>,
    /// Principal atom, in layers where the Principal element counts.
    pub principal: Option<usize>,
    pub conds: Vec<usize>,
    /// Everything but the actions and the Sid (interned), for the "same statements" test.
    pub body: usize,
    /// Named principals (for candidate callers).
    pub named: Vec<(String, String)>,
}

impl Stmt {
    pub fn to_ref(&self) -> StatementRef {
        StatementRef {
            layer: self.layer,
            level: self.level,
            policy_index: self.policy_index,
            policy_name: self.policy_name.clone(),
            statement_index: self.index,
            sid: self.sid.clone(),
            effect: self.effect.as_str().into(),
            pointer: self.pointer.clone(),
            range: self.range,
        }
    }
}

pub(crate) struct Side {
    pub prepared: PreparedPolicySet,
    /// Resource-policy diffs: the same set without the allow-all identity policy, for callers in
    /// the resource's own account.
    pub prepared_same_account: Option<PreparedPolicySet>,
    pub stmts: Vec<Stmt>,
    /// The layers present and the organisation settings (two sides with different shapes are
    /// never compared statement by statement).
    pub shape: String,
    pub has_resource_policy: bool,
    pub rcp_full_access: bool,
    pub boundary: bool,
    pub session: bool,
    pub scp_levels: usize,
    pub rcp_levels: usize,
    pub vpce: usize,
}

pub(crate) fn uses_principal(layer: Layer) -> bool {
    matches!(layer, Layer::Resource | Layer::Rcp | Layer::VpcEndpoint)
}

/// Places a single policy of `kind` in a policy set (see the crate docs for the rules): the set for
/// every caller and, for resource and trust policies, the set for callers in the resource's own
/// account (see [`Placement::of`]).
pub(crate) fn wrap(text: &str, kind: PolicyKind) -> (PolicySet, Option<PolicySet>) {
    let set = Placement::of(kind, true).policy_set(text);
    let same = matches!(kind, PolicyKind::Resource | PolicyKind::Trust)
        .then(|| Placement::of(kind, false).policy_set(text));
    (set, same)
}

fn principal_canonical(p: &PrincipalElement) -> (String, Vec<(String, String)>) {
    let mut named = Vec::new();
    let body = match &p.value {
        PrincipalValue::Wildcard(_) => "*".to_string(),
        PrincipalValue::Map(entries) => {
            let mut items: Vec<String> = Vec::new();
            for e in entries {
                for v in &e.values {
                    items.push(format!("{}={}", e.key.value, v.value));
                    named.push((e.key.value.clone(), v.value.clone()));
                }
            }
            iamscope_syntax::sort::sort(&mut items);
            items.dedup();
            items.join(",")
        }
    };
    (format!("{}:{}", p.name, body), named)
}

impl Side {
    pub fn build(
        set: &PolicySet,
        same_account: Option<&PolicySet>,
        atoms: &mut Atoms,
        side: &str,
    ) -> Result<Side, DiffError> {
        let err = |errors| DiffError {
            side: side.to_string(),
            errors,
        };
        let prepared = PreparedPolicySet::new(set).map_err(err)?;
        let prepared_same_account = match same_account {
            Some(s) => Some(PreparedPolicySet::new(s).map_err(err)?),
            None => None,
        };
        let mut stmts = Vec::new();
        for (place, src) in set.iter() {
            let parsed = iamscope_policy::parse_policy(&src.text);
            let Some(policy) = parsed.policy else {
                continue;
            };
            let vars = policy.supports_variables();
            let synthetic = src.name.as_deref() == Some(SYNTHETIC);
            for st in &policy.statements {
                let (Some(effect), Some(action)) = (st.effect.as_ref(), st.action.as_ref()) else {
                    continue;
                };
                let effect = effect.value;
                let resources = st.resource.as_ref().map(|r| {
                    r.items
                        .iter()
                        .map(|i| atoms.res(&i.value, vars))
                        .collect::<Vec<usize>>()
                });
                let not_resource = st.resource.as_ref().is_some_and(|r| r.not);
                let mut resource_text: Vec<String> = st
                    .resource
                    .as_ref()
                    .map(|r| r.items.iter().map(|i| i.value.to_string()).collect())
                    .unwrap_or_else(|| vec!["<none>".into()]);
                iamscope_syntax::sort::sort(&mut resource_text);
                resource_text.dedup();
                let (principal, prin_text, named) = match &st.principal {
                    Some(p) if uses_principal(place.layer) => {
                        let (canon, named) = principal_canonical(p);
                        (Some(atoms.prin(canon.clone())), canon, named)
                    }
                    _ => (None, String::new(), Vec::new()),
                };
                let mut conds = Vec::new();
                if let Some(c) = &st.condition {
                    for (block, entry) in c.entries() {
                        let Some(op) = block.op else { continue };
                        let values: Vec<String> = entry
                            .values
                            .iter()
                            .map(|v| v.value.as_text().to_string())
                            .collect();
                        let ev = vars
                            && values
                                .iter()
                                .any(|v| iamscope_policy::variables::may_contain_variables(v));
                        conds.push(atoms.cond(CondEntry {
                            op,
                            key: entry.key.value.clone(),
                            key_lower: entry.key.value.to_ascii_lowercase(),
                            values,
                            has_variables: ev,
                        }));
                    }
                }
                iamscope_syntax::sort::sort(&mut conds);
                conds.dedup();
                let cond_text: Vec<String> =
                    conds.iter().map(|&c| atoms.conds[c].canonical()).collect();
                // VPC endpoint policies are each a gate of their own: the policy counts
                let gate = (place.layer == Layer::VpcEndpoint).then_some(place.index);
                let body = format!(
                    "{}|{:?}|{:?}|{}|{}|{}|{}|{}|{}",
                    place.layer.as_str(),
                    place.level,
                    gate,
                    effect.as_str(),
                    not_resource,
                    resource_text.join("\u{2}"),
                    prin_text,
                    {
                        let mut c = cond_text;
                        iamscope_syntax::sort::sort(&mut c);
                        c.join("\u{3}")
                    },
                    vars
                );
                stmts.push(Stmt {
                    layer: place.layer,
                    level: place.level,
                    policy_index: place.index,
                    policy_name: place.name.clone(),
                    synthetic,
                    index: st.index,
                    sid: st.sid.as_ref().map(|s| s.value.clone()),
                    pointer: st.pointer.clone(),
                    range: st.range,
                    effect,
                    not_action: action.not,
                    actions: action.items.iter().map(|a| a.value.to_string()).collect(),
                    not_resource,
                    resources,
                    principal,
                    conds,
                    body: atoms.body(body),
                    named,
                });
            }
        }
        let shape = format!(
            "id{}|res{}|b{}|s{}|scp{}|rcp{}|v{}|m{:?}|f{}",
            !set.identity.is_empty(),
            set.resource.is_some(),
            set.boundary.is_some(),
            set.session.is_some(),
            set.scp.len(),
            set.rcp.len(),
            set.vpc_endpoint.len(),
            set.management_account,
            set.rcp_full_access
        );
        Ok(Side {
            prepared,
            prepared_same_account,
            stmts,
            shape,
            has_resource_policy: set.resource.is_some(),
            rcp_full_access: set.rcp_full_access,
            boundary: set.boundary.is_some(),
            session: set.session.is_some(),
            scp_levels: set.scp.len(),
            rcp_levels: set.rcp.len(),
            vpce: set.vpc_endpoint.len(),
        })
    }
}
