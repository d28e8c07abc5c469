//! The result types: plain data, serialised in camelCase for the CLI's JSON output and the
//! JavaScript API.

use std::collections::BTreeMap;

use iamscope_eval::{Decision, EvalError, Layer, PolicySet, PolicySource, Request};
use iamscope_policy::PolicyKind;
use iamscope_syntax::TextRange;
use serde::{Deserialize, Serialize};

/// A request, in the same JSON shape as the `request` of an `iamscope simulate` scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Witness {
    pub principal: String,
    pub action: String,
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    /// Context keys the request carries (keys AWS derives from the principal and the resource are
    /// left to the evaluator, as in a scenario).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, ContextValue>,
}

/// One context value or several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextValue {
    One(String),
    Many(Vec<String>),
}

impl ContextValue {
    pub fn values(&self) -> Vec<String> {
        match self {
            ContextValue::One(s) => vec![s.clone()],
            ContextValue::Many(v) => v.clone(),
        }
    }
}

impl Witness {
    /// The evaluator's request.
    pub fn to_request(&self) -> Request {
        let mut r = Request::new(&self.principal, &self.action, &self.resource);
        r.resource_account = self.resource_account.clone();
        r.context = self
            .context
            .iter()
            .map(|(k, v)| (k.clone(), v.values()))
            .collect();
        r
    }
}

/// Where a diff or a check of a single policy placed that policy to evaluate a witness (the rules
/// are in the crate docs). The scenario that reproduces the witness's decisions on one side is
/// `{"policies": {"identity": identity, <layer>: that side's policy}, "request": witness}`, with the
/// policy under test in its layer's shape (`identity` after the listed policies, `scp` and `rcp`
/// as the only policy of one level, `vpcEndpoint` in a list) and everything else at its default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    /// The layer the policy under test is placed in (`resource` for resource and trust policies).
    pub layer: Layer,
    /// The identity-based policies placed beside it: none, or one that allows everything (so that
    /// the policy under test is what limits access).
    pub identity: Vec<PlacedPolicy>,
}

/// A policy the diff adds around the policy under test, as in a scenario's `{name, policy}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacedPolicy {
    pub name: String,
    pub policy: String,
}

impl Placement {
    /// How a single policy of `kind` is placed. `cross_account`: the caller is in another account
    /// than the resource (it matters for resource and trust policies only: such callers get the
    /// identity-based policy that allows everything, callers in the resource's account none).
    pub fn of(kind: PolicyKind, cross_account: bool) -> Placement {
        let allow_all = || {
            vec![PlacedPolicy {
                name: crate::side::SYNTHETIC.into(),
                policy: crate::side::ALLOW_ALL.into(),
            }]
        };
        let (layer, identity) = match kind {
            PolicyKind::Identity => (Layer::Identity, Vec::new()),
            PolicyKind::Resource | PolicyKind::Trust if !cross_account => {
                (Layer::Resource, Vec::new())
            }
            PolicyKind::Resource | PolicyKind::Trust => (Layer::Resource, allow_all()),
            PolicyKind::Boundary => (Layer::Boundary, allow_all()),
            PolicyKind::Session => (Layer::Session, allow_all()),
            PolicyKind::Scp => (Layer::Scp, allow_all()),
            PolicyKind::Rcp => (Layer::Rcp, allow_all()),
            PolicyKind::VpcEndpoint => (Layer::VpcEndpoint, allow_all()),
        };
        Placement { layer, identity }
    }

    /// The policy set that holds `policy` (the policy under test) placed this way.
    pub fn policy_set(&self, policy: &str) -> PolicySet {
        let mut set = PolicySet {
            identity: self
                .identity
                .iter()
                .map(|p| PolicySource::named(p.name.clone(), p.policy.clone()))
                .collect(),
            ..PolicySet::default()
        };
        let policy = PolicySource::new(policy);
        match self.layer {
            Layer::Identity => set.identity.push(policy),
            Layer::Resource => set.resource = Some(policy),
            Layer::Boundary => set.boundary = Some(policy),
            Layer::Session => set.session = Some(policy),
            Layer::Scp => set.scp.push(vec![policy]),
            Layer::Rcp => set.rcp.push(vec![policy]),
            Layer::VpcEndpoint => set.vpc_endpoint.push(policy),
        }
        set
    }
}

/// A statement that decided a witness, with its place and source range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    pub layer: Layer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    pub policy_index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    pub statement_index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
    pub pointer: String,
    /// Byte range of the statement in its policy text.
    pub range: TextRange,
}

/// One action whose access changed, with a request that shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessChange {
    /// `s3:DeleteObject` (canonical case when the catalog knows the action).
    pub action: String,
    /// `List`, `Read`, `Write`, `Permissions management`, `Tagging`; `null` for an action the
    /// catalog does not know.
    pub access_level: Option<String>,
    /// A request allowed on one side and not on the other, confirmed by the evaluator.
    pub witness: Witness,
    /// Further witnesses (other resource types or cells), when more were asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_witnesses: Vec<Witness>,
    /// Diffs and checks of a single policy: where the policy was placed to evaluate `witness`
    /// (absent for policy sets, which are evaluated as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// The same for each of `more_witnesses`, in the same order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_placements: Vec<Placement>,
    pub new_decision: Decision,
    pub old_decision: Decision,
    /// The statements of the new side that decided the witness (the Allow statements that
    /// allowed it, or the Deny statements that denied it).
    pub new_statements: Vec<StatementRef>,
    /// The same for the old side.
    pub old_statements: Vec<StatementRef>,
}

/// What the search covered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Explored {
    /// The catalog the actions were expanded with.
    pub catalog_version: String,
    /// Actions that some statement of either side applies to (Action patterns and NotAction
    /// complements expanded with the catalog), plus uncatalogued action names.
    pub actions_considered: usize,
    /// Actions whose applicable statements are the same on both sides (same effect, resources,
    /// principals and conditions in the same layers): their access is identical, proven without
    /// search.
    pub actions_unchanged: usize,
    /// Actions searched for witnesses.
    pub actions_searched: usize,
    /// (action, resource type) pairs searched.
    pub resource_types_searched: usize,
    /// Cells (conjunctions of resource, principal and condition facts) examined.
    pub cells: usize,
    /// Cells proven empty (no resource ARN of the type can fall in them, or they contradict).
    pub cells_proven_empty: usize,
    /// Requests evaluated (each under both sides).
    pub candidates_evaluated: usize,
    /// Principals tried.
    pub principals: Vec<String>,
    /// Action names in the policies that the catalog does not know (searched with a free-form
    /// resource).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncatalogued_actions: Vec<String>,
    /// Action patterns that match no catalog action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched_action_patterns: Vec<String>,
}

/// Where the search could not be exhaustive: which statements (or conditions) were only sampled
/// and why, aggregated over the actions it happened for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sampled {
    /// `old`, `new`, or `both`.
    pub side: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementRef>,
    /// Condition keys involved, when the reason is a condition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub condition_keys: Vec<String>,
    pub reason: String,
    /// How many actions this applied to, and a few of them.
    pub actions: usize,
    pub example_actions: Vec<String>,
}

/// The answer of [`crate::diff_policies`] and [`crate::diff_sets`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffResult {
    /// Access the new side allows and the old did not, one entry per action.
    pub added: Vec<AccessChange>,
    /// Access the old side allowed and the new does not.
    pub removed: Vec<AccessChange>,
    /// True when every action was decided: a witness was found, or the search proved that no
    /// request differs. False when some part was only sampled (see `sampled`).
    pub exhaustive: bool,
    pub explored: Explored,
    pub sampled: Vec<Sampled>,
    /// How the policies were placed for evaluation (the caller, the accounts, the policies added
    /// around a single policy), so that anyone can re-check a witness with `iamscope simulate`.
    pub assumptions: Vec<String>,
}

/// The answer of [`crate::check_not_granted`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotGrantedResult {
    /// Requests within the forbidden actions and resources that the policy allows, one per
    /// action, each confirmed by the evaluator.
    pub granted: Vec<AccessChange>,
    pub exhaustive: bool,
    pub explored: Explored,
    pub sampled: Vec<Sampled>,
    pub assumptions: Vec<String>,
}

/// Why a diff could not run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffError {
    /// `old`, `new`, `policy` or `options`.
    pub side: String,
    pub errors: Vec<EvalError>,
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {e}", self.side)?;
        }
        Ok(())
    }
}

impl std::error::Error for DiffError {}
