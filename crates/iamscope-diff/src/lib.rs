//! Access diff: does a policy change grant new access? For two policies (or two policy sets), every
//! action whose access changed, each with a concrete request that the evaluator confirms is
//! allowed on one side and not on the other; and "access not granted" checks.
//!
//! ```
//! use iamscope_diff::{DiffOptions, diff_policies};
//!
//! let old = r#"{"Version":"2012-10-17","Statement":[
//!   {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/a*"}]}"#;
//! let new = r#"{"Version":"2012-10-17","Statement":[
//!   {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*"}]}"#;
//! let r = diff_policies(old, new, &DiffOptions::default()).unwrap();
//! assert_eq!(r.added.len(), 1);
//! let w = &r.added[0].witness;
//! assert!(w.resource.starts_with("arn:aws:s3:::logs/") && !w.resource.starts_with("arn:aws:s3:::logs/a"));
//! assert!(r.removed.is_empty() && r.exhaustive);
//! ```
//!
//! # How the search works
//!
//! 1. **Actions.** Every `Action` pattern of every statement on both sides is expanded with the
//!    catalog, and every `NotAction` to its complement; action names the catalog does not know are
//!    kept and searched with a free-form resource. Nothing is capped.
//! 2. **Unchanged actions.** For each action, the statements that apply to it are compared on both
//!    sides, without their `Sid` and `Action`: same layer, effect, resources, principal, conditions
//!    and policy version. When the two sets are equal, every request for the action gets the same
//!    decision on both sides, so the action is proven unchanged without search (this is what makes
//!    a diff of two versions of a large managed policy fast).
//! 3. **Cells.** For a changed action, "allowed by new and not by old" is written as a boolean
//!    formula over facts: the resource matches pattern P, condition entry C holds, principal
//!    element E names the caller. Facts are interned by content, so an identical condition or
//!    pattern on both sides is one fact. The formula's disjunctive normal form lists cells (one
//!    conjunction of facts each); a contradictory cell is dropped.
//! 4. **Resources.** For each of the action's resource types, a cell's resource facts plus the
//!    type's ARN format (from the catalog) are solved exactly by a small automaton search
//!    (`glob` module): a concrete ARN that matches the positive patterns and none of the negative
//!    ones, or a proof that there is none. ARN fields are matched field by field, as AWS does.
//! 5. **Callers and context.** Condition facts are satisfied per key with values derived from the
//!    policies' own condition values (the value itself, an instantiation of a `StringLike` pattern
//!    that escapes the other side's values, the bounds of each CIDR and the addresses just outside
//!    every other range, numbers and dates one step either side, both booleans, the key absent).
//!    Keys that AWS derives from the caller (`aws:PrincipalArn`, `aws:PrincipalAccount`, ...) are
//!    never set by hand: the caller is varied instead.
//! 6. **Confirmation.** Each candidate is evaluated under both sides with `iamscope-eval`; only
//!    requests with the claimed decisions are reported.
//!
//! `exhaustive` is true when every searched action was decided: a witness was found, or every cell
//! was proven empty. Cells with condition or principal facts are sampled, not enumerated, and are
//! listed in `sampled` with the statements and condition keys involved.
//!
//! # How a single policy is evaluated
//!
//! [`diff_policies`] and [`check_not_granted`] place one policy in a policy set by its kind
//! (`DiffResult::assumptions` repeats the rules for each run):
//! - `identity`: the caller's only identity-based policy; caller `arn:aws:iam::<account>:role/iamscope-diff`.
//! - `boundary`, `session`, `scp`, `rcp`, `vpc-endpoint`: that layer, with an identity-based policy
//!   that allows everything (so the policy under test is what limits access); a `session` caller is
//!   a role session.
//! - `resource`, `trust`: the resource's policy; callers are every principal it names, an outsider
//!   and anonymous. Callers from another account are given an identity-based policy that allows
//!   everything (so the resource policy decides); callers in the resource's account get none (so
//!   only a grant to them in the resource policy allows).
//!
//! The account is `111122223333` unless [`DiffOptions::account`] says otherwise.
//!
//! Each change carries the [`Placement`] of each of its witnesses (`AccessChange::placement`,
//! `more_placements`): the scenario it describes reproduces the reported decisions.

mod cond;
mod formula;
mod glob;
mod search;
mod side;
mod text;
mod types;

pub use text::render_text;
pub use types::{
    AccessChange, ContextValue, DiffError, DiffResult, Explored, NotGrantedResult, PlacedPolicy,
    Placement, Sampled, StatementRef, Witness,
};

use iamscope_catalog::Catalog;
use iamscope_eval::{EvalError, PolicySet};
use iamscope_policy::PolicyKind;
use search::{Engine, Mode};
use side::{Atoms, Side, wrap};

/// Options of a diff or a check. Deserialises from camelCase JSON with every field optional
/// (`{"kind": "resource", "witnessesPerAction": 3}`), for the JavaScript API.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct DiffOptions {
    /// The kind of the policies given as text (ignored for policy sets).
    pub kind: PolicyKind,
    /// The account of the caller and of resources whose ARN names no account.
    pub account: String,
    /// Callers to try instead of the defaults (ARNs, account ids, service principals,
    /// `anonymous`).
    pub principals: Vec<String>,
    /// Witnesses to collect per action (the first goes in `witness`, the rest in `moreWitnesses`).
    pub witnesses_per_action: usize,
    /// Requests evaluated per action and direction before the search gives up on it (and says so).
    pub max_candidates_per_action: usize,
    /// Cells per action and direction.
    pub max_cells: usize,
    /// Automaton states per resource search.
    pub max_solver_states: usize,
    /// Callers tried.
    pub max_principals: usize,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            kind: PolicyKind::Identity,
            account: "111122223333".into(),
            principals: Vec::new(),
            witnesses_per_action: 1,
            max_candidates_per_action: 256,
            max_cells: 256,
            max_solver_states: 20_000,
            max_principals: 24,
        }
    }
}

fn check_options(opts: &DiffOptions) -> Result<(), DiffError> {
    if !iamscope_policy::arn::is_account_id(&opts.account) {
        return Err(DiffError {
            side: "options".into(),
            errors: vec![EvalError::request(
                format!("account \"{}\" is not a 12-digit account id", opts.account),
                "/account",
            )],
        });
    }
    Ok(())
}

fn assumptions(mode: Mode, opts: &DiffOptions, principals: &[String]) -> Vec<String> {
    let a = &opts.account;
    let mut out = Vec::new();
    match mode {
        Mode::Wrapped(PolicyKind::Identity) => out.push(format!(
            "the policy is the caller's only identity-based policy; the caller is in account {a}"
        )),
        Mode::Wrapped(k @ (PolicyKind::Resource | PolicyKind::Trust)) => out.push(format!(
            "the policy is the {} of a resource in account {a}; callers from other accounts have an identity-based policy that allows everything, callers in {a} have none",
            if k == PolicyKind::Trust { "role trust policy" } else { "resource-based policy" }
        )),
        Mode::Wrapped(k) => out.push(format!(
            "the policy is the caller's {} and the caller's identity-based policy allows everything; the caller is in account {a}",
            match k {
                PolicyKind::Boundary => "permissions boundary",
                PolicyKind::Session => "session policy",
                PolicyKind::Scp => "only SCP (one level)",
                PolicyKind::Rcp => "only RCP (one level, with the AWS-managed RCPFullAWSAccess beside it)",
                _ => "VPC endpoint policy",
            }
        )),
        Mode::Sets => out.push("the policy sets are evaluated as given".into()),
    }
    out.push(format!(
        "resources whose ARN names no account belong to account {a}; other ARN fields take us-east-1 and {a} where the policies allow"
    ));
    out.push(format!("callers tried: {}", principals.join(", ")));
    out
}

fn finish(mut e: Engine<'_>) -> DiffResult {
    let (added, removed, exhaustive) = e.run();
    let assumptions = assumptions(e.mode, e.opts, &e.explored.principals);
    e.assumptions = assumptions.clone();
    DiffResult {
        added,
        removed,
        exhaustive,
        sampled: e.sampled(),
        explored: e.explored,
        assumptions,
    }
}

/// Diffs two policies of `options.kind`.
pub fn diff_policies(old: &str, new: &str, options: &DiffOptions) -> Result<DiffResult, DiffError> {
    check_options(options)?;
    let mut atoms = Atoms::default();
    let (old_set, old_same) = wrap(old, options.kind);
    let (new_set, new_same) = wrap(new, options.kind);
    let old = Side::build(&old_set, old_same.as_ref(), &mut atoms, "old")?;
    let new = Side::build(&new_set, new_same.as_ref(), &mut atoms, "new")?;
    let cat = Catalog::embedded();
    Ok(finish(Engine::new(
        cat,
        options,
        Mode::Wrapped(options.kind),
        atoms,
        Some(old),
        new,
    )))
}

/// Diffs two policy sets (all layers of a scenario). The formula that guides the search is exact
/// for sets without a resource-based policy; with one, a result without witnesses is not a proof
/// and `exhaustive` is false.
pub fn diff_sets(
    old: &PolicySet,
    new: &PolicySet,
    options: &DiffOptions,
) -> Result<DiffResult, DiffError> {
    check_options(options)?;
    let mut atoms = Atoms::default();
    let old = Side::build(old, None, &mut atoms, "old")?;
    let new = Side::build(new, None, &mut atoms, "new")?;
    Ok(finish(Engine::new(
        Catalog::embedded(),
        options,
        Mode::Sets,
        atoms,
        Some(old),
        new,
    )))
}

/// What must never be allowed: actions (patterns allowed, expanded with the catalog) and/or
/// resources (ARNs or ARN patterns). An empty list means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct NotGrantedQuery {
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

fn not_granted(
    set: &PolicySet,
    same: Option<&PolicySet>,
    mode: Mode,
    query: &NotGrantedQuery,
    options: &DiffOptions,
) -> Result<NotGrantedResult, DiffError> {
    check_options(options)?;
    let cat = Catalog::embedded();
    let mut atoms = Atoms::default();
    let side = Side::build(set, same, &mut atoms, "policy")?;
    let only_resources: Vec<usize> = query
        .resources
        .iter()
        .map(|r| atoms.res(r, false))
        .collect();
    let mut e = Engine::new(cat, options, mode, atoms, None, side);
    if !query.actions.is_empty() {
        let mut mask = vec![false; cat.actions().len()];
        for q in &query.actions {
            if q == "*" {
                mask.iter_mut().for_each(|b| *b = true);
            }
            for a in cat.expand(q) {
                mask[a.index()] = true;
            }
        }
        e.only_actions = Some((mask, query.actions.clone()));
    }
    e.only_resources = only_resources;
    let r = finish(e);
    Ok(NotGrantedResult {
        granted: r.added,
        exhaustive: r.exhaustive,
        explored: r.explored,
        sampled: r.sampled,
        assumptions: r.assumptions,
    })
}

/// Requests within `query` that a policy of `options.kind` allows: one witness per action, each
/// confirmed by the evaluator. Empty `granted` with `exhaustive` means none exists.
pub fn check_not_granted(
    policy: &str,
    query: &NotGrantedQuery,
    options: &DiffOptions,
) -> Result<NotGrantedResult, DiffError> {
    let (set, same) = wrap(policy, options.kind);
    not_granted(
        &set,
        same.as_ref(),
        Mode::Wrapped(options.kind),
        query,
        options,
    )
}

/// [`check_not_granted`] for a whole policy set.
pub fn check_not_granted_set(
    set: &PolicySet,
    query: &NotGrantedQuery,
    options: &DiffOptions,
) -> Result<NotGrantedResult, DiffError> {
    not_granted(set, None, Mode::Sets, query, options)
}

/// For editors and the playground: what an edit does to the actions `action` matches (an action
/// or a pattern). The result is a [`DiffResult`] restricted to those actions; each entry of
/// `added` reads "this edit newly allows s3:DeleteObject on arn:aws:s3:::logs/x" (see
/// [`describe_change`]).
pub fn edit_witness(
    old: &str,
    new: &str,
    action: &str,
    options: &DiffOptions,
) -> Result<DiffResult, DiffError> {
    check_options(options)?;
    let mut atoms = Atoms::default();
    let (old_set, old_same) = wrap(old, options.kind);
    let (new_set, new_same) = wrap(new, options.kind);
    let old = Side::build(&old_set, old_same.as_ref(), &mut atoms, "old")?;
    let new = Side::build(&new_set, new_same.as_ref(), &mut atoms, "new")?;
    let mut e = Engine::new(
        Catalog::embedded(),
        options,
        Mode::Wrapped(options.kind),
        atoms,
        Some(old),
        new,
    );
    e.action_filter = Some(iamscope_policy::wildcard::Pattern::new(action, true));
    Ok(finish(e))
}

/// One line for an access change: `s3:DeleteObject on arn:aws:s3:::logs/x (statement 1 "AllowLogs")`.
pub fn describe_change(c: &AccessChange, allowing_new: bool) -> String {
    let stmts = if allowing_new {
        &c.new_statements
    } else {
        &c.old_statements
    };
    let mut s = format!("{} on {}", c.action, c.witness.resource);
    let by: Vec<String> = stmts
        .iter()
        .map(|st| match &st.sid {
            Some(sid) if !sid.is_empty() => format!("statement {} \"{}\"", st.statement_index, sid),
            _ => format!("statement {}", st.statement_index),
        })
        .collect();
    if !by.is_empty() {
        s.push_str(&format!(" ({})", by.join(", ")));
    }
    s
}
