//! The search: which actions to look at, which cells of the request space can differ, and a
//! concrete request per cell, confirmed by the evaluator.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use iamscope_catalog::{Action, Catalog};
use iamscope_eval::{Context, Decision, EvalResult, Layer, PreparedPolicySet, RequestPrincipal};
use iamscope_policy::arn::{Arn, is_account_id};
use iamscope_policy::wildcard::{Pattern, wildcard_match};
use iamscope_policy::{Effect, PolicyKind};

use crate::DiffOptions;
use crate::cond::{CondEntry, KeySolve, Value, candidates, solve_key};
use crate::formula::{Atom, Conj, F, dnf};
use crate::glob::{Glob, Solved, solve};
use crate::side::{Atoms, SYNTHETIC, Side, Stmt, uses_principal};
use crate::types::{
    AccessChange, ContextValue, Explored, Placement, Sampled, StatementRef, Witness,
};

/// How the sides were built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// One policy of this kind, placed in a set by [`crate::side::wrap`].
    Wrapped(PolicyKind),
    /// Whole policy sets as given.
    Sets,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Added,
    Removed,
}

/// Keys AWS sets from the principal or the resource: their values follow the caller.
const DERIVED: &[&str] = &[
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:username",
    "aws:userid",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:resourceaccount",
];

pub(crate) struct Engine<'a> {
    pub cat: &'a Catalog,
    pub opts: &'a DiffOptions,
    pub mode: Mode,
    pub atoms: Atoms,
    pub old: Option<Side>,
    pub new: Side,
    /// check-not-granted: only these actions (catalog indexes) and names.
    pub only_actions: Option<(Vec<bool>, Vec<String>)>,
    /// Only actions this pattern matches (editors asking about one action).
    pub action_filter: Option<Pattern>,
    /// check-not-granted: the request resource must match one of these atoms.
    pub only_resources: Vec<usize>,
    pub explored: Explored,
    sampled: BTreeMap<(String, String, String), SampledAcc>,
    principals: Vec<String>,
    derived_cache: HashMap<(String, String), Derived>,
    value_cache: HashMap<String, Vec<Value>>,
    /// Resource solutions by (format, preferred defaults, positive atoms, negative atoms).
    solve_cache: HashMap<(String, bool, Vec<usize>, Vec<usize>), Solved>,
    /// Compiled ARN formats: (preferred, generic).
    format_cache: HashMap<String, (Glob, Glob)>,
    /// Cells by (old statements, new statements, direction).
    cell_cache: HashMap<CellKey, (Vec<Conj>, bool)>,
    pub assumptions: Vec<String>,
    /// Set by `confirm` when a candidate was refused on both sides because the action needs a
    /// resource-based policy (role trust policy, KMS key policy) that neither side has.
    needs_resource_policy: bool,
}

struct SampledAcc {
    side: String,
    statement: Option<StatementRef>,
    keys: BTreeSet<String>,
    reason: String,
    actions: usize,
    examples: Vec<String>,
}

/// (old statements, new statements, added direction).
type CellKey = (Vec<usize>, Vec<usize>, bool);

/// Context keys derived from a caller and a resource account (lower-case keys).
type Derived = Vec<(String, Vec<String>)>;

/// One action to search: a catalog action or a name the catalog does not know.
struct Target<'c> {
    name: String,
    action: Option<Action<'c>>,
}

/// What trying one cell gave.
enum Cell {
    Witness,
    /// Proven empty (a condition key no request value can satisfy).
    Empty,
    /// Not decided: principals, derived keys or keys outside the exact solver were sampled.
    Sampled,
    /// Every fact was solved exactly but the evaluator did not confirm the request.
    Unconfirmed,
}

/// A confirmed witness: the request, where a single policy was placed to evaluate it, and the
/// results on the new and the old side.
type Confirmed = (Witness, Option<Placement>, Outcome, Option<Outcome>);

/// What an access change reports of one side's answer: the decision and the statements that
/// decided it (the answer itself borrows from the witness's request, which is not kept).
type Outcome = (Decision, Vec<StatementRef>);

/// Per (action, direction): the outcome.
#[derive(Default)]
struct Found {
    witnesses: Vec<Confirmed>,
    decided: bool,
}

impl<'a> Engine<'a> {
    pub fn new(
        cat: &'a Catalog,
        opts: &'a DiffOptions,
        mode: Mode,
        atoms: Atoms,
        old: Option<Side>,
        new: Side,
    ) -> Engine<'a> {
        Engine {
            cat,
            opts,
            mode,
            atoms,
            old,
            new,
            only_actions: None,
            action_filter: None,
            only_resources: Vec::new(),
            explored: Explored {
                catalog_version: cat.version().to_string(),
                ..Explored::default()
            },
            sampled: BTreeMap::new(),
            principals: Vec::new(),
            derived_cache: HashMap::new(),
            value_cache: HashMap::new(),
            solve_cache: HashMap::new(),
            format_cache: HashMap::new(),
            cell_cache: HashMap::new(),
            assumptions: Vec::new(),
            needs_resource_policy: false,
        }
    }

    fn all_stmts(&self) -> impl Iterator<Item = (&'static str, &Stmt)> {
        self.old
            .iter()
            .flat_map(|s| s.stmts.iter().map(|st| ("old", st)))
            .chain(self.new.stmts.iter().map(|st| ("new", st)))
    }

    /// Runs the search; returns (added, removed, exhaustive).
    pub fn run(&mut self) -> (Vec<AccessChange>, Vec<AccessChange>, bool) {
        self.choose_principals();
        let n = self.cat.actions().len();
        // Per statement: the catalog actions it applies to.
        let mut unmatched: BTreeSet<String> = BTreeSet::new();
        let mut uncatalogued: BTreeMap<String, String> = BTreeMap::new();
        let mut masks: HashMap<(bool, Vec<String>), Vec<bool>> = HashMap::new();
        let mut stmt_masks: Vec<(bool, usize, Vec<bool>)> = Vec::new(); // (is_new, idx, mask)
        let sides: Vec<(bool, &Side)> = self
            .old
            .iter()
            .map(|s| (false, s))
            .chain([(true, &self.new)])
            .collect();
        for (is_new, side) in &sides {
            for (i, st) in side.stmts.iter().enumerate() {
                if st.synthetic {
                    // the allow-all policy placed around a single policy is the same on both
                    // sides and only lets the policy under test decide
                    continue;
                }
                let key = (st.not_action, st.actions.clone());
                let mask = masks
                    .entry(key)
                    .or_insert_with(|| {
                        let mut m = vec![false; n];
                        for item in &st.actions {
                            if item == "*" {
                                m.iter_mut().for_each(|b| *b = true);
                                continue;
                            }
                            let hits = self.cat.expand(item);
                            if hits.is_empty() {
                                if item.contains(['*', '?']) {
                                    unmatched.insert(item.clone());
                                } else if item.contains(':') {
                                    uncatalogued
                                        .entry(item.to_ascii_lowercase())
                                        .or_insert_with(|| item.clone());
                                }
                            }
                            for a in hits {
                                m[a.index()] = true;
                            }
                        }
                        if st.not_action {
                            m.iter_mut().for_each(|b| *b = !*b);
                        }
                        m
                    })
                    .clone();
                stmt_masks.push((*is_new, i, mask));
            }
        }
        self.explored.unmatched_action_patterns = unmatched.into_iter().collect();
        self.explored.uncatalogued_actions = uncatalogued.values().cloned().collect();

        let mut targets: Vec<(Target<'a>, Vec<usize>, Vec<usize>)> = Vec::new();
        for idx in 0..n {
            if let Some((only, _)) = &self.only_actions
                && !only[idx]
            {
                continue;
            }
            let mut old_rel = Vec::new();
            let mut new_rel = Vec::new();
            for (is_new, i, m) in &stmt_masks {
                if m[idx] {
                    if *is_new {
                        new_rel.push(*i);
                    } else {
                        old_rel.push(*i);
                    }
                }
            }
            if old_rel.is_empty() && new_rel.is_empty() {
                continue;
            }
            let Some(action) = self.cat.action_by_index(idx) else {
                continue;
            };
            targets.push((
                Target {
                    name: action.full_name(),
                    action: Some(action),
                },
                old_rel,
                new_rel,
            ));
        }
        let mut extra_names: Vec<String> = uncatalogued.values().cloned().collect();
        if let Some((_, names)) = &self.only_actions {
            extra_names.retain(|n| names.iter().any(|q| wildcard_match(q, n, true)));
            for q in names {
                if !q.contains(['*', '?'])
                    && self.cat.action(q).is_none()
                    && !extra_names.iter().any(|n| n.eq_ignore_ascii_case(q))
                {
                    extra_names.push(q.clone());
                }
            }
        }
        // Statement action patterns compiled once for the names the catalog does not know.
        let compile = |side: &Side| -> Vec<Vec<Pattern>> {
            side.stmts
                .iter()
                .map(|st| st.actions.iter().map(|a| Pattern::new(a, true)).collect())
                .collect()
        };
        let old_pats = if extra_names.is_empty() {
            Vec::new()
        } else {
            self.old.as_ref().map(compile).unwrap_or_default()
        };
        let new_pats = if extra_names.is_empty() {
            Vec::new()
        } else {
            compile(&self.new)
        };
        for name in extra_names {
            let rel = |side: &Side, pats: &[Vec<Pattern>]| -> Vec<usize> {
                side.stmts
                    .iter()
                    .zip(pats)
                    .enumerate()
                    .filter(|(_, (st, p))| {
                        !st.synthetic && p.iter().any(|p| p.matches(&name)) != st.not_action
                    })
                    .map(|(i, _)| i)
                    .collect()
            };
            let old_rel = self
                .old
                .as_ref()
                .map(|o| rel(o, &old_pats))
                .unwrap_or_default();
            let new_rel = rel(&self.new, &new_pats);
            if old_rel.is_empty() && new_rel.is_empty() {
                continue;
            }
            targets.push((Target { name, action: None }, old_rel, new_rel));
        }
        let mut added = Vec::new();
        let mut removed = Vec::new();
        let mut exhaustive = true;
        let same_shape = self.old.as_ref().is_some_and(|o| o.shape == self.new.shape);
        for (target, old_rel, new_rel) in targets {
            if self
                .action_filter
                .as_ref()
                .is_some_and(|p| !p.matches(&target.name))
            {
                continue;
            }
            self.explored.actions_considered += 1;
            if same_shape && self.only_actions.is_none() {
                let bodies = |side: &Side, rel: &[usize]| -> Vec<usize> {
                    let mut b: Vec<usize> = rel.iter().map(|&i| side.stmts[i].body).collect();
                    iamscope_syntax::sort::sort(&mut b);
                    b.dedup();
                    b
                };
                let old = self.old.as_ref().expect("same shape implies old");
                if bodies(old, &old_rel) == bodies(&self.new, &new_rel) {
                    self.explored.actions_unchanged += 1;
                    continue;
                }
            }
            self.explored.actions_searched += 1;
            let dirs: &[Dir] = if self.old.is_some() && self.only_actions.is_none() {
                &[Dir::Added, Dir::Removed]
            } else {
                &[Dir::Added]
            };
            for &dir in dirs {
                let found = self.search(&target, &old_rel, &new_rel, dir);
                exhaustive &= found.decided;
                if let Some(change) = self.change(&target, found) {
                    match dir {
                        Dir::Added => added.push(change),
                        Dir::Removed => removed.push(change),
                    }
                }
            }
        }
        (added, removed, exhaustive)
    }

    pub fn sampled(&self) -> Vec<Sampled> {
        self.sampled
            .values()
            .map(|s| Sampled {
                side: s.side.clone(),
                statement: s.statement.clone(),
                condition_keys: s.keys.iter().cloned().collect(),
                reason: s.reason.clone(),
                actions: s.actions,
                example_actions: s.examples.clone(),
            })
            .collect()
    }

    fn note(&mut self, side: &str, st: Option<&Stmt>, keys: &[String], reason: &str, action: &str) {
        let key = (
            side.to_string(),
            st.map(|s| format!("{:?}{:?}{}{}", s.layer, s.level, s.policy_index, s.index))
                .unwrap_or_default(),
            reason.to_string(),
        );
        let acc = self.sampled.entry(key).or_insert_with(|| SampledAcc {
            side: side.to_string(),
            statement: st.map(Stmt::to_ref),
            keys: BTreeSet::new(),
            reason: reason.to_string(),
            actions: 0,
            examples: Vec::new(),
        });
        acc.keys.extend(keys.iter().cloned());
        if !acc.examples.iter().any(|a| a == action) {
            acc.actions += 1;
            if acc.examples.len() < 3 {
                acc.examples.push(action.to_string());
            }
        }
    }

    /// The callers to try: the default for the kind, every principal the policies name, callers
    /// taken from conditions on the principal's ARN or account, and an outsider.
    fn choose_principals(&mut self) {
        let acct = self.opts.account.clone();
        let mut named_accounts: BTreeSet<String> = BTreeSet::new();
        let mut out: Vec<String> = Vec::new();
        let push = |p: String, out: &mut Vec<String>| {
            if !out.contains(&p) && RequestPrincipal::parse(&p, None).is_ok() {
                out.push(p);
            }
        };
        if !self.opts.principals.is_empty() {
            for p in &self.opts.principals {
                push(p.clone(), &mut out);
            }
            self.principals = out;
            self.explored.principals = self.principals.clone();
            return;
        }
        let default = match self.mode {
            Mode::Wrapped(PolicyKind::Session) => {
                format!("arn:aws:sts::{acct}:assumed-role/iamscope-diff/iamscope-session")
            }
            _ => format!("arn:aws:iam::{acct}:role/iamscope-diff"),
        };
        push(default, &mut out);
        let stmts: Vec<Stmt> = self.all_stmts().map(|(_, s)| s.clone()).collect();
        for st in &stmts {
            for (kind, value) in &st.named {
                match kind.as_str() {
                    "AWS" if value == "*" => {}
                    "AWS" if is_account_id(value) => {
                        named_accounts.insert(value.clone());
                        push(format!("arn:aws:iam::{value}:role/iamscope-diff"), &mut out);
                    }
                    "AWS" => {
                        if let Ok(arn) = Arn::parse(value) {
                            named_accounts.insert(arn.account.to_string());
                            if arn.resource == "root" {
                                push(
                                    format!(
                                        "arn:{}:iam::{}:role/iamscope-diff",
                                        arn.partition, arn.account
                                    ),
                                    &mut out,
                                );
                            } else {
                                push(value.clone(), &mut out);
                            }
                        }
                    }
                    "Service" | "Federated" => push(value.clone(), &mut out),
                    _ => {}
                }
            }
            for &c in &st.conds {
                let e = &self.atoms.conds[c];
                for v in &e.values {
                    match e.key_lower.as_str() {
                        "aws:principalarn" | "aws:sourcearn"
                            if e.key_lower == "aws:principalarn" =>
                        {
                            if let Solved::Found(s) = solve(&[&Glob::arn(v, false)], &[], 2_000) {
                                push(s, &mut out);
                            }
                        }
                        "aws:principalaccount" if is_account_id(v) => {
                            named_accounts.insert(v.clone());
                            push(format!("arn:aws:iam::{v}:role/iamscope-diff"), &mut out);
                        }
                        "aws:username" if !v.contains("${") => {
                            if let Solved::Found(s) = solve(&[&Glob::like(v)], &[], 2_000)
                                && !s.is_empty()
                                && !s.contains(['/', ':'])
                            {
                                push(format!("arn:aws:iam::{acct}:user/{s}"), &mut out);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let uses_principals = stmts.iter().any(|s| s.principal.is_some());
        if uses_principals {
            let outsider = ["444455556666", "777788889999", "121212121212"]
                .into_iter()
                .find(|a| *a != acct && !named_accounts.contains(*a))
                .unwrap_or("444455556666");
            push(
                format!("arn:aws:iam::{outsider}:role/iamscope-outsider"),
                &mut out,
            );
            push("anonymous".into(), &mut out);
        }
        if out.len() > self.opts.max_principals {
            out.truncate(self.opts.max_principals);
            self.note(
                "both",
                None,
                &[],
                "more principals are named than the search tries: only the first ones were tried",
                "*",
            );
        }
        self.principals = out;
        self.explored.principals = self.principals.clone();
    }

    /// The region (resource, principal, conditions) where a statement applies.
    fn region(&self, st: &Stmt) -> F {
        let mut parts = Vec::new();
        if let Some(res) = &st.resources {
            let items: Vec<F> = res.iter().map(|&r| F::Atom(Atom::Res(r))).collect();
            parts.push(if st.not_resource {
                F::not(F::or(items))
            } else {
                F::or(items)
            });
        }
        if let Some(p) = st.principal {
            parts.push(F::Atom(Atom::Prin(p)));
        } else if uses_principal(st.layer) {
            // a statement without Principal in a resource-based layer names nobody
            parts.push(F::False);
        }
        for &c in &st.conds {
            parts.push(F::Atom(Atom::Cond(c)));
        }
        F::and(parts)
    }

    /// When the side allows a request of the action, as a formula over the facts. Exact for a
    /// single identity-like policy; for resource policies and layered sets the principal facts
    /// and the layer combination make it an approximation (the evaluator decides).
    fn allowed(&self, side: &Side, rel: &[usize]) -> F {
        let stmts: Vec<&Stmt> = rel.iter().map(|&i| &side.stmts[i]).collect();
        let deny = F::or(
            stmts
                .iter()
                .filter(|s| s.effect == Effect::Deny)
                .map(|s| self.region(s))
                .collect(),
        );
        let allows = |pred: &dyn Fn(&Stmt) -> bool| -> F {
            F::or(
                stmts
                    .iter()
                    .filter(|s| s.effect == Effect::Allow && pred(s))
                    .map(|s| self.region(s))
                    .collect(),
            )
        };
        match self.mode {
            Mode::Wrapped(PolicyKind::Rcp) => F::not(deny),
            Mode::Wrapped(_) => F::and(vec![allows(&|s| !s.synthetic), F::not(deny)]),
            Mode::Sets => {
                let mut parts = vec![allows(&|s| {
                    matches!(s.layer, Layer::Identity | Layer::Resource)
                })];
                if side.boundary {
                    parts.push(allows(&|s| s.layer == Layer::Boundary));
                }
                if side.session {
                    parts.push(allows(&|s| s.layer == Layer::Session));
                }
                for l in 0..side.scp_levels {
                    parts.push(allows(&|s| s.layer == Layer::Scp && s.level == Some(l)));
                }
                if !side.rcp_full_access {
                    for l in 0..side.rcp_levels {
                        parts.push(allows(&|s| s.layer == Layer::Rcp && s.level == Some(l)));
                    }
                }
                for v in 0..side.vpce {
                    parts.push(allows(&|s| {
                        s.layer == Layer::VpcEndpoint && s.policy_index == v
                    }));
                }
                parts.push(F::not(deny));
                F::and(parts)
            }
        }
    }

    /// Is the formula exact for this side (a proof of emptiness is a proof)?
    fn formula_exact(&self) -> bool {
        match self.mode {
            Mode::Wrapped(_) => true,
            Mode::Sets => {
                !self.new.has_resource_policy
                    && self.old.as_ref().is_none_or(|o| !o.has_resource_policy)
            }
        }
    }

    /// Resource formats to search for an action, by format text (`*` for actions without
    /// resource types, `<any>` for actions the catalog does not know).
    fn formats(&mut self, target: &Target<'_>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        match &target.action {
            Some(a) if !a.supports_only_star() => {
                for r in a.resource_types() {
                    let Some(rt) = r.resource_type() else {
                        continue;
                    };
                    let f = rt.arn_format();
                    if !out.iter().any(|g| g == f) {
                        out.push(f.to_string());
                    }
                }
                if out.is_empty() {
                    out.push("*".into());
                }
            }
            Some(_) => out.push("*".into()),
            None => out.push("<any>".into()),
        }
        for f in &out {
            if !self.format_cache.contains_key(f) {
                let globs = match f.as_str() {
                    "*" => (Glob::literal("*"), Glob::literal("*")),
                    "<any>" => (Glob::like("?*"), Glob::like("?*")),
                    _ => (
                        Glob::arn_format(f, Some(("us-east-1", self.opts.account.as_str()))),
                        Glob::arn_format(f, None),
                    ),
                };
                self.format_cache.insert(f.clone(), globs);
            }
        }
        out
    }

    fn solve_resource(
        &mut self,
        format: &str,
        preferred: bool,
        pos: &[usize],
        neg: &[usize],
    ) -> Solved {
        let key = (format.to_string(), preferred, pos.to_vec(), neg.to_vec());
        if let Some(s) = self.solve_cache.get(&key) {
            return s.clone();
        }
        let (pref, generic) = &self.format_cache[format];
        let f = if preferred { pref } else { generic };
        let mut p = vec![f];
        p.extend(pos.iter().map(|&r| &self.atoms.res[r].1));
        let n: Vec<&Glob> = neg.iter().map(|&r| &self.atoms.res[r].1).collect();
        let s = solve(&p, &n, self.opts.max_solver_states);
        self.solve_cache.insert(key, s.clone());
        s
    }

    fn search(
        &mut self,
        target: &Target<'a>,
        old_rel: &[usize],
        new_rel: &[usize],
        dir: Dir,
    ) -> Found {
        let new_allowed = self.allowed(&self.new, new_rel);
        let old_allowed = match &self.old {
            Some(o) => self.allowed(o, old_rel),
            None => F::False,
        };
        let (yes, no) = match dir {
            Dir::Added => (new_allowed, old_allowed),
            Dir::Removed => (old_allowed, new_allowed),
        };
        let mut f = vec![yes, F::not(no)];
        if !self.only_resources.is_empty() {
            f.push(F::or(
                self.only_resources
                    .iter()
                    .map(|&r| F::Atom(Atom::Res(r)))
                    .collect(),
            ));
        }
        let cache_key = (old_rel.to_vec(), new_rel.to_vec(), dir == Dir::Added);
        let (cells, complete) = match self.cell_cache.get(&cache_key) {
            Some(c) => c.clone(),
            None => {
                let c = dnf(&F::and(f), self.opts.max_cells);
                self.cell_cache.insert(cache_key, c.clone());
                c
            }
        };
        let mut found = Found::default();
        let mut undecided = !complete;
        if !complete {
            self.note_all(
                target,
                old_rel,
                new_rel,
                "too many cells: only the first ones were searched",
            );
        }
        let exact = self.formula_exact();
        let mut budget = self.opts.max_candidates_per_action;
        let formats = self.formats(target);
        'formats: for format in &formats {
            self.explored.resource_types_searched += 1;
            for cell in &cells {
                self.explored.cells += 1;
                let pos: Vec<usize> = lits(cell, true, |a| match a {
                    Atom::Res(r) => Some(r),
                    _ => None,
                });
                let neg: Vec<usize> = lits(cell, false, |a| match a {
                    Atom::Res(r) => Some(r),
                    _ => None,
                });
                let inexact = pos.iter().chain(&neg).any(|&r| !self.atoms.res[r].1.exact);
                let resource = match self.solve_resource(format, true, &pos, &neg) {
                    Solved::Found(s) => Some(s),
                    Solved::Unsat | Solved::Unknown => {
                        match self.solve_resource(format, false, &pos, &neg) {
                            Solved::Found(s) => Some(s),
                            Solved::Unsat => None,
                            Solved::Unknown => {
                                undecided = true;
                                self.note_cell(
                                    target,
                                    cell,
                                    old_rel,
                                    new_rel,
                                    "the resource search reached its budget",
                                );
                                None
                            }
                        }
                    }
                };
                let Some(resource) = resource else {
                    if inexact {
                        undecided = true;
                        self.note_cell(
                            target,
                            cell,
                            old_rel,
                            new_rel,
                            "Resource uses policy variables: approximated by wildcards",
                        );
                    } else {
                        self.explored.cells_proven_empty += 1;
                    }
                    continue;
                };
                match self.try_cell(target, cell, &resource, dir, &mut budget, &mut found) {
                    Cell::Witness => {
                        if found.witnesses.len() >= self.opts.witnesses_per_action {
                            break 'formats;
                        }
                        continue;
                    }
                    Cell::Empty => {
                        if inexact {
                            undecided = true;
                            self.note_cell(
                                target,
                                cell,
                                old_rel,
                                new_rel,
                                "Resource uses policy variables: approximated by wildcards",
                            );
                        } else {
                            self.explored.cells_proven_empty += 1;
                        }
                        continue;
                    }
                    Cell::Sampled => {
                        undecided = true;
                        self.note_cell(target, cell, old_rel, new_rel, "");
                    }
                    Cell::Unconfirmed => {
                        undecided = true;
                        self.note_all(
                            target,
                            old_rel,
                            new_rel,
                            "a candidate request in a differing cell was not confirmed by the evaluator",
                        );
                    }
                }
                if budget == 0 {
                    self.note_all(
                        target,
                        old_rel,
                        new_rel,
                        "the candidate budget for the action was used up",
                    );
                    break 'formats;
                }
            }
        }
        found.decided = !found.witnesses.is_empty() || (!undecided && exact);
        if found.witnesses.is_empty() && !undecided && !exact {
            self.note_all(
                target,
                old_rel,
                new_rel,
                "layered policy set with a resource-based policy: the search approximates how the layers combine",
            );
        }
        found
    }

    fn note_all(
        &mut self,
        target: &Target<'_>,
        old_rel: &[usize],
        new_rel: &[usize],
        reason: &str,
    ) {
        let _ = (old_rel, new_rel);
        self.note("both", None, &[], reason, &target.name);
    }

    /// Records why a cell with condition or principal facts was only sampled, per statement.
    fn note_cell(
        &mut self,
        target: &Target<'_>,
        cell: &Conj,
        old_rel: &[usize],
        new_rel: &[usize],
        reason: &str,
    ) {
        let mut hits: Vec<(&'static str, Stmt, Vec<String>, String)> = Vec::new();
        for (side_name, side, rel) in [
            ("old", self.old.as_ref(), old_rel),
            ("new", Some(&self.new), new_rel),
        ] {
            let Some(side) = side else { continue };
            for &i in rel {
                let st = &side.stmts[i];
                let keys: Vec<String> = st
                    .conds
                    .iter()
                    .filter(|c| cell.iter().any(|(a, _)| *a == Atom::Cond(**c)))
                    .map(|&c| self.atoms.conds[c].key.clone())
                    .collect();
                let prin = st
                    .principal
                    .is_some_and(|p| cell.iter().any(|(a, _)| *a == Atom::Prin(p)));
                let vars = st.resources.as_ref().is_some_and(|r| {
                    r.iter().any(|x| {
                        !self.atoms.res[*x].1.exact && cell.iter().any(|(a, _)| *a == Atom::Res(*x))
                    })
                });
                let why = if !reason.is_empty() {
                    if vars || !keys.is_empty() || prin {
                        reason.to_string()
                    } else {
                        continue;
                    }
                } else if !keys.is_empty() {
                    "conditions: context values were sampled (values derived from the policies' condition values), not enumerated".to_string()
                } else if prin {
                    "principals: only the named principals, an outsider and anonymous were tried"
                        .to_string()
                } else {
                    continue;
                };
                hits.push((side_name, st.clone(), keys, why));
            }
        }
        if hits.is_empty() {
            self.note(
                "both",
                None,
                &[],
                if reason.is_empty() {
                    "a cell could not be decided"
                } else {
                    reason
                },
                &target.name,
            );
        }
        for (side, st, keys, why) in hits {
            self.note(side, Some(&st), &keys, &why, &target.name);
        }
    }

    fn derived(&mut self, principal: &str, resource_account: &str) -> Vec<(String, Vec<String>)> {
        let key = (principal.to_string(), resource_account.to_string());
        if let Some(v) = self.derived_cache.get(&key) {
            return v.clone();
        }
        let out = match RequestPrincipal::parse(principal, None) {
            Ok(p) => Context::new(&[])
                .derive_defaults(&p, Some(resource_account))
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            Err(_) => Vec::new(),
        };
        self.derived_cache.insert(key, out.clone());
        out
    }

    fn values_for(&mut self, key_lower: &str) -> Vec<Value> {
        if let Some(v) = self.value_cache.get(key_lower) {
            return v.clone();
        }
        let entries: Vec<&crate::cond::CondEntry> = self
            .atoms
            .conds
            .iter()
            .filter(|e| e.key_lower == key_lower)
            .collect();
        let v = candidates(&entries);
        self.value_cache.insert(key_lower.to_string(), v.clone());
        v
    }

    /// Tries the callers and context values for one cell.
    fn try_cell(
        &mut self,
        target: &Target<'_>,
        cell: &Conj,
        resource: &str,
        dir: Dir,
        budget: &mut usize,
        found: &mut Found,
    ) -> Cell {
        let resource_account = Arn::parse(resource)
            .ok()
            .map(|a| a.account.to_string())
            .filter(|a| is_account_id(a));
        let owner = resource_account
            .clone()
            .unwrap_or_else(|| self.opts.account.clone());
        // Condition facts by key.
        let mut by_key: BTreeMap<String, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for &(a, pol) in cell {
            if let Atom::Cond(c) = a {
                let k = self.atoms.conds[c].key_lower.clone();
                let e = by_key.entry(k).or_default();
                if pol {
                    e.0.push(c);
                } else {
                    e.1.push(c);
                }
            }
        }
        // Keys the request sets: solved exactly where possible.
        let mut exact = !cell.iter().any(|(a, _)| matches!(a, Atom::Prin(_)));
        let mut fixed: Vec<(String, Value)> = Vec::new();
        let mut sampled_keys: Vec<String> = Vec::new();
        for (k, (pos, neg)) in &by_key {
            if DERIVED.contains(&k.as_str()) {
                exact = false;
                continue;
            }
            let pe: Vec<&CondEntry> = pos.iter().map(|&c| &self.atoms.conds[c]).collect();
            let ne: Vec<&CondEntry> = neg.iter().map(|&c| &self.atoms.conds[c]).collect();
            match solve_key(&pe, &ne, self.opts.max_solver_states) {
                KeySolve::Empty => return Cell::Empty,
                KeySolve::Value(v) => fixed.push((k.clone(), v)),
                KeySolve::Unknown => {
                    exact = false;
                    sampled_keys.push(k.clone());
                }
            }
        }
        let has_prin = cell.iter().any(|(a, _)| matches!(a, Atom::Prin(_)));
        let derived_keys = by_key.keys().any(|k| DERIVED.contains(&k.as_str()));
        let principals: Vec<String> = if has_prin || derived_keys {
            self.principals.clone()
        } else {
            self.principals.iter().take(1).cloned().collect()
        };
        let key_name = |me: &Self, k: &str| -> String {
            me.atoms
                .conds
                .iter()
                .find(|e| e.key_lower == k)
                .map(|e| e.key.clone())
                .unwrap_or_else(|| k.to_string())
        };
        for principal in principals {
            if *budget == 0 {
                break;
            }
            let derived = self.derived(&principal, &owner);
            let mut ctx: Vec<(String, Vec<String>)> = Vec::new();
            for (k, v) in &fixed {
                if let Some(v) = v {
                    ctx.push((key_name(self, k), v.clone()));
                }
            }
            let mut alt = ctx.clone();
            let mut ok = true;
            for (k, (pos, neg)) in &by_key {
                let check = |v: Option<&[String]>, me: &Self| {
                    pos.iter().all(|&c| me.atoms.conds[c].holds(v))
                        && neg.iter().all(|&c| !me.atoms.conds[c].holds(v))
                };
                if DERIVED.contains(&k.as_str()) {
                    let v = derived
                        .iter()
                        .find(|(dk, _)| dk == k)
                        .map(|(_, v)| v.as_slice());
                    ok &= check(v, self);
                    continue;
                }
                if !sampled_keys.contains(k) {
                    continue;
                }
                let name = key_name(self, k);
                let vals = self.values_for(k);
                let good: Vec<&Value> = vals.iter().filter(|v| check(v.as_deref(), self)).collect();
                match good.first() {
                    Some(Some(v)) => ctx.push((name.clone(), v.clone())),
                    Some(None) => {}
                    None => ok = false,
                }
                // a second choice, in case the quick check and the evaluator disagree
                if let Some(Some(v)) = good.get(1).or(good.first()) {
                    alt.push((name, v.clone()));
                }
            }
            if !ok && (derived_keys || has_prin) && principal != self.principals[0] {
                continue;
            }
            let mut contexts = vec![ctx.clone()];
            if alt != ctx {
                contexts.push(alt);
            }
            for c in contexts {
                if *budget == 0 {
                    break;
                }
                *budget -= 1;
                let w = Witness {
                    principal: principal.clone(),
                    action: target.name.clone(),
                    resource: resource.to_string(),
                    resource_account: if resource_account.is_none() && resource != "*" {
                        Some(owner.clone())
                    } else {
                        None
                    },
                    // Inserted one by one rather than collected: `collect` into a BTreeMap sorts
                    // with its own copy of the standard sort (about 5 KB of wasm); the map is the
                    // same (a later equal key replaces the value either way).
                    context: c.iter().fold(BTreeMap::new(), |mut m, (k, v)| {
                        m.insert(
                            k.clone(),
                            if v.len() == 1 {
                                ContextValue::One(v[0].clone())
                            } else {
                                ContextValue::Many(v.clone())
                            },
                        );
                        m
                    }),
                };
                if found.witnesses.iter().any(|(x, ..)| *x == w) {
                    return Cell::Witness;
                }
                if let Some((placement, new, old)) = self.confirm(&w, dir) {
                    found.witnesses.push((w, placement, new, old));
                    return Cell::Witness;
                }
            }
        }
        if exact && self.needs_resource_policy {
            // Neither side has the role trust policy or KMS key policy the action needs on this
            // resource type: no request of the cell is allowed on either side.
            Cell::Empty
        } else if exact {
            Cell::Unconfirmed
        } else {
            Cell::Sampled
        }
    }

    /// Evaluates a witness on both sides; `Some((placement, new result, old result))` when it is
    /// allowed on the side the direction asks for and not allowed on the other.
    fn confirm(
        &mut self,
        w: &Witness,
        dir: Dir,
    ) -> Option<(Option<Placement>, Outcome, Option<Outcome>)> {
        self.explored.candidates_evaluated += 1;
        let req = w.to_request();
        // Both sides place a single policy the same way (for resource and trust policies, the
        // placement depends on the caller's account).
        let cross = !matches!(
            self.mode,
            Mode::Wrapped(PolicyKind::Resource | PolicyKind::Trust)
        ) || cross_account(&req.principal, w);
        let eval = |side: &Side| -> Option<EvalResult<'_>> {
            let set = pick(side, cross, self.mode);
            set.evaluate(&req).ok()
        };
        let new = eval(&self.new)?;
        let old = match &self.old {
            Some(o) => Some(eval(o)?),
            None => None,
        };
        let old_allows = old.as_ref().is_some_and(|r| r.decision == Decision::Allow);
        let new_allows = new.decision == Decision::Allow;
        let ok = match dir {
            Dir::Added => new_allows && !old_allows,
            Dir::Removed => old_allows && !new_allows,
        };
        let no_resource_policy = !self.new.has_resource_policy
            && self.old.as_ref().is_none_or(|o| !o.has_resource_policy);
        self.needs_resource_policy = !ok
            && no_resource_policy
            && new.resource_policy_required.is_some()
            && old
                .as_ref()
                .is_none_or(|o| o.resource_policy_required.is_some());
        if !ok {
            return None;
        }
        let placement = match self.mode {
            Mode::Wrapped(kind) => Some(Placement::of(kind, cross)),
            Mode::Sets => None,
        };
        let outcome = |r: &EvalResult<'_>| (r.decision, deciding(r));
        Some((placement, outcome(&new), old.as_ref().map(outcome)))
    }

    fn change(&self, target: &Target<'_>, found: Found) -> Option<AccessChange> {
        let mut it = found.witnesses.into_iter();
        let (w, placement, new_r, old_r) = it.next()?;
        let (more, more_placements): (Vec<Witness>, Vec<Option<Placement>>) =
            it.map(|(w, p, ..)| (w, p)).unzip();
        Some(AccessChange {
            action: target.name.clone(),
            access_level: target.action.map(|a| a.access_level().as_str().to_string()),
            witness: w,
            more_witnesses: more,
            placement,
            more_placements: more_placements.into_iter().flatten().collect(),
            new_decision: new_r.0,
            old_decision: old_r.as_ref().map_or(Decision::ImplicitDeny, |r| r.0),
            new_statements: new_r.1,
            old_statements: old_r.map(|r| r.1).unwrap_or_default(),
        })
    }
}

/// Is the caller in another account than the resource? (Unknown accounts count as the same.)
fn cross_account(principal: &str, w: &Witness) -> bool {
    let caller = RequestPrincipal::parse(principal, None).ok();
    let owner = w.resource_account.clone().or_else(|| {
        Arn::parse(&w.resource)
            .ok()
            .map(|a| a.account.to_string())
            .filter(|a| is_account_id(a))
    });
    match caller.as_ref().and_then(|c| c.account) {
        Some(a) => owner.is_some_and(|o| o != a),
        None => false,
    }
}

/// The prepared set to evaluate a request with: for a single resource-based policy, callers in
/// the resource's account are evaluated without the allow-all identity policy (the set of
/// [`Placement::of`]`(kind, cross)`).
fn pick(side: &Side, cross: bool, mode: Mode) -> &PreparedPolicySet {
    if let (Some(same), Mode::Wrapped(PolicyKind::Resource | PolicyKind::Trust)) =
        (&side.prepared_same_account, mode)
        && !cross
    {
        return same;
    }
    &side.prepared
}

/// The statements that decided a result: matched Allow statements for an Allow, matched Deny
/// statements for an explicit deny (the synthetic policies are left out).
fn deciding(r: &EvalResult<'_>) -> Vec<StatementRef> {
    let want = if r.decision == Decision::ExplicitDeny {
        "Deny"
    } else {
        "Allow"
    };
    let mut out = Vec::new();
    for l in &r.layers {
        for s in &l.statements {
            if !s.matched || s.effect != want || s.policy_index == usize::MAX {
                continue;
            }
            if s.policy_name.as_deref() == Some(SYNTHETIC) {
                continue;
            }
            out.push(StatementRef {
                layer: l.layer,
                level: if matches!(l.layer, Layer::Scp | Layer::Rcp) {
                    l.level
                } else {
                    None
                },
                policy_index: s.policy_index,
                policy_name: s.policy_name.as_deref().map(str::to_string),
                statement_index: s.statement_index,
                sid: s.sid.as_deref().map(str::to_string),
                effect: s.effect.to_string(),
                pointer: s.pointer.to_string(),
                range: s.range,
            });
        }
    }
    out
}

fn lits(cell: &Conj, pol: bool, f: impl Fn(Atom) -> Option<usize>) -> Vec<usize> {
    cell.iter()
        .filter(|(_, p)| *p == pol)
        .filter_map(|(a, _)| f(*a))
        .collect()
}
