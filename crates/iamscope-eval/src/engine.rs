//! The decision across all layers (reference_policies_evaluation-logic.md,
//! reference_policies_evaluation-logic-cross-account.md, access_policies_boundaries.md).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use iamscope_policy::Effect;
use iamscope_policy::arn::{Arn, is_account_id};

use crate::compile::{CPolicy, CStatement, compile_policy_for};
use crate::condition::eval_condition;
use crate::context::Context;
use crate::principal::{
    PrincipalKind, PrincipalMemo, RequestPrincipal, not_principal_lists, principal_grant,
};
use crate::result::{
    Decision, EvalError, EvalResult, Grant, Layer, LayerOutcome, LayerTrace, PrincipalSummary,
    StatementTrace,
};
use crate::scenario::{PolicyRef, PolicySet, Request, Scenario, scenario_range};
use iamscope_syntax::bytes::same;

/// A policy set compiled once, for evaluating many requests.
#[derive(Clone, Debug)]
pub struct PreparedPolicySet {
    identity: Vec<CPolicy>,
    resource: Option<CPolicy>,
    boundary: Option<CPolicy>,
    session: Option<CPolicy>,
    scp: Vec<Vec<CPolicy>>,
    rcp: Vec<Vec<CPolicy>>,
    vpc_endpoint: Vec<CPolicy>,
    management_account: Option<String>,
    /// A set made by [`PreparedPolicySet::new`], asked many requests: the principal's parse may
    /// come from the memo of the last one (see [`PrincipalMemo`]). A one-off set of
    /// [`simulate`] parses it (its call keeps nothing from the calls before).
    memo: bool,
}

/// Actions that a role trust policy controls (the trust policy is the role's resource policy and
/// must allow explicitly).
const TRUST_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

impl PreparedPolicySet {
    /// Parses and compiles every policy, and indexes the statements by action so that each
    /// request checks only the statements that can match. Errors name each policy that AWS would
    /// reject (any ERROR diagnostic) and the problem.
    pub fn new(set: &PolicySet) -> Result<PreparedPolicySet, Vec<EvalError>> {
        let mut p = Self::compile(set)?;
        p.for_each_policy(CPolicy::build_index);
        p.memo = true;
        Ok(p)
    }

    fn for_each_policy(&mut self, mut f: impl FnMut(&mut CPolicy)) {
        self.identity.iter_mut().for_each(&mut f);
        self.resource.iter_mut().for_each(&mut f);
        self.boundary.iter_mut().for_each(&mut f);
        self.session.iter_mut().for_each(&mut f);
        self.scp.iter_mut().flatten().for_each(&mut f);
        self.rcp.iter_mut().flatten().for_each(&mut f);
        self.vpc_endpoint.iter_mut().for_each(&mut f);
    }

    fn compile(set: &PolicySet) -> Result<PreparedPolicySet, Vec<EvalError>> {
        Self::compile_for(set, None)
    }

    /// Compiles without the action index: the cheapest form for a single request. With `only`
    /// (the request's action in lower case, ASCII), statements whose `Action` cannot match it are
    /// checked for errors but left out: the set then answers that action only.
    fn compile_for(
        set: &PolicySet,
        only: Option<&str>,
    ) -> Result<PreparedPolicySet, Vec<EvalError>> {
        let mut errors = Vec::new();
        let mut compile = |place, src| match compile_policy_for(place, src, only) {
            Ok(p) => Some(p),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        };
        let mut out = PreparedPolicySet {
            identity: Vec::new(),
            resource: None,
            boundary: None,
            session: None,
            scp: vec![Vec::new(); set.scp.len()],
            rcp: vec![Vec::new(); set.rcp.len()],
            vpc_endpoint: Vec::new(),
            management_account: set.management_account.clone(),
            memo: false,
        };
        for (place, src) in set.iter() {
            let layer = place.layer;
            let level = place.level.unwrap_or(0);
            let Some(p) = compile(place, src) else {
                continue;
            };
            match layer {
                Layer::Identity => out.identity.push(p),
                Layer::Resource => out.resource = Some(p),
                Layer::Boundary => out.boundary = Some(p),
                Layer::Session => out.session = Some(p),
                Layer::Scp => out.scp[level].push(p),
                Layer::Rcp => out.rcp[level].push(p),
                Layer::VpcEndpoint => out.vpc_endpoint.push(p),
            }
        }
        if let Some(m) = &set.management_account
            && !is_account_id(m)
        {
            errors.push(EvalError {
                code: "INVALID_SCENARIO".into(),
                message: format!("managementAccount \"{m}\" is not a 12-digit account id"),
                layer: None,
                level: None,
                policy_index: None,
                policy_name: None,
                range: None,
                pointer: Some("/managementAccount".into()),
            });
        }
        if set.rcp_full_access {
            for (l, level) in out.rcp.iter_mut().enumerate() {
                let mut full = CPolicy::rcp_full_access(l);
                full.place.index = set.rcp[l].len();
                level.push(full);
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Evaluates one request. Errors come from the request only (the policies were checked when
    /// the set was prepared).
    pub fn evaluate<'r>(&self, req: &'r Request) -> Result<EvalResult<'r>, Vec<EvalError>> {
        Evaluation::run(self, &Req::from(req), true, None, None)
    }

    /// The decision and the deciding layer only, without the trace (no statement or condition
    /// traces, no reasons, no missing-key list): the fast path for many requests. Always equal to
    /// the corresponding fields of [`evaluate`](Self::evaluate).
    pub fn decide(&self, req: &Request) -> Result<Verdict, Vec<EvalError>> {
        self.decide_req(&Req::from(req))
    }

    /// [`decide`](Self::decide) for the request `Request::new(principal, action, resource)` with
    /// `resource_account` (no context keys, derived keys on), read from borrowed strings: the
    /// caller builds no owned request (the wasm facade reads the fields straight from its request
    /// buffer).
    pub fn decide_fields(
        &self,
        principal: &str,
        action: &str,
        resource: &str,
        resource_account: Option<&str>,
    ) -> Result<Verdict, Vec<EvalError>> {
        self.decide_req(&Req::fields(principal, action, resource, resource_account))
    }

    /// [`evaluate`](Self::evaluate) for a request given as borrowed fields (see
    /// [`decide_fields`](Self::decide_fields)).
    pub fn evaluate_fields<'r>(
        &self,
        principal: &'r str,
        action: &'r str,
        resource: &'r str,
        resource_account: Option<&'r str>,
    ) -> Result<EvalResult<'r>, Vec<EvalError>> {
        let req = Req::fields(principal, action, resource, resource_account);
        Evaluation::run(self, &req, true, None, None)
    }

    /// [`evaluate_fields`](Self::evaluate_fields) with the derived context keys apart: the
    /// result's `derived_context` is left empty, and the keys it would hold come beside it, sorted
    /// by name as the map would order them, each with its one value (a derived key always has
    /// exactly one), borrowed from the request's fields where it can be (the principal's ARN,
    /// account and name, the resource account) or a fixed word: no map, no string per key name,
    /// and no copy of a value that the request already holds.
    #[allow(clippy::type_complexity)]
    pub fn evaluate_fields_derived_apart<'r>(
        &self,
        principal: &'r str,
        action: &'r str,
        resource: &'r str,
        resource_account: Option<&'r str>,
    ) -> Result<(EvalResult<'r>, Vec<(&'static str, Cow<'r, str>)>), Vec<EvalError>> {
        let req = Req::fields(principal, action, resource, resource_account);
        let mut derived = Vec::with_capacity(8);
        let result = Evaluation::run(self, &req, true, Some(&mut derived), None)?;
        Ok((result, derived))
    }

    /// [`evaluate_fields_derived_apart`](Self::evaluate_fields_derived_apart) for a caller that
    /// reads each answer once and then is done with it (the wasm facade's trace writer): the
    /// answer is built in the allocations of the earlier answers, which `lists` keeps (empty),
    /// handed to `read`, and taken back into `lists` after it; `read`'s value is returned. The
    /// answer is the one `evaluate_fields_derived_apart` gives, whatever `lists` held before
    /// (`lists` keeps no element of an answer, only the room its lists had). Callers that keep
    /// their answers use `evaluate_fields_derived_apart`, which pays nothing for this.
    pub fn read_fields_traced<T>(
        &self,
        principal: &str,
        action: &str,
        resource: &str,
        resource_account: Option<&str>,
        lists: &mut AnswerLists,
        read: impl FnOnce(&EvalResult<'_>, &[(&'static str, Cow<'_, str>)]) -> T,
    ) -> Result<T, Vec<EvalError>> {
        let req = Req::fields(principal, action, resource, resource_account);
        // (a list of `'static` values is one of the request's lifetime as it is: only the way
        // back needs `recycle`)
        let mut derived: Vec<(&'static str, Cow<'_, str>)> = std::mem::take(&mut lists.derived);
        let result = Evaluation::run(self, &req, true, Some(&mut derived), Some(lists))?;
        let out = read(&result, &derived);
        lists.give_back(result, derived);
        Ok(out)
    }

    /// Every statement of the set, policy by policy, with its policy's place: the request-independent
    /// fields of any trace of it (`policy_index`, `policy_name`, `sid`, `statement_index`,
    /// `effect`, `range`, `scenario_range`, `pointer`; the others at their defaults). A face can
    /// convert these once per set instead of once per answer. A trace in an [`EvalResult`] names
    /// its statement by the layer and level of its [`LayerTrace`] (the level counts for SCP and RCP
    /// layers only), its `policy_index` and its `statement_index`.
    pub fn statement_sites(&self) -> Vec<(&PolicyRef, StatementTrace)> {
        let mut policies: Vec<&CPolicy> = self.identity.iter().collect();
        policies.extend(&self.resource);
        policies.extend(&self.boundary);
        policies.extend(&self.session);
        policies.extend(self.scp.iter().flatten());
        policies.extend(self.rcp.iter().flatten());
        policies.extend(&self.vpc_endpoint);
        let mut out = Vec::new();
        for pol in policies {
            for st in &pol.statements {
                out.push((&pol.place, site_trace(pol, st)));
            }
        }
        out
    }

    fn decide_req(&self, req: &Req<'_>) -> Result<Verdict, Vec<EvalError>> {
        let EvalResult {
            decision,
            deciding_layer,
            deciding_level,
            derived_context,
            ..
        } = Evaluation::run(self, req, false, None, None)?;
        // An untraced answer's map is the `BTreeMap::new()` that `run` made: it owns no node, so
        // forgetting it leaks nothing, where its drop is a walk of calls (as in
        // `AnswerLists::give_back`).
        if derived_context.is_empty() {
            std::mem::forget(derived_context);
        }
        Ok(Verdict {
            decision,
            deciding_layer,
            deciding_level,
        })
    }
}

/// What the evaluation reads of a request, borrowed: from a [`Request`], or from bare fields
/// (then with `Request::new`'s defaults).
struct Req<'r> {
    principal: &'r str,
    action: &'r str,
    resource: &'r str,
    resource_account: Option<&'r str>,
    context: &'r [(String, Vec<String>)],
    session_issuer: Option<&'r str>,
    service_linked_role: Option<bool>,
    derive_context: bool,
}

impl<'r> From<&'r Request> for Req<'r> {
    fn from(r: &'r Request) -> Req<'r> {
        Req {
            principal: &r.principal,
            action: &r.action,
            resource: &r.resource,
            resource_account: r.resource_account.as_deref(),
            context: &r.context,
            session_issuer: r.session_issuer.as_deref(),
            service_linked_role: r.service_linked_role,
            derive_context: r.derive_context,
        }
    }
}

impl<'r> Req<'r> {
    /// The defaults of `Request::new`.
    fn fields(
        principal: &'r str,
        action: &'r str,
        resource: &'r str,
        resource_account: Option<&'r str>,
    ) -> Req<'r> {
        Req {
            principal,
            action,
            resource,
            resource_account,
            context: &[],
            session_issuer: None,
            service_linked_role: None,
            derive_context: true,
        }
    }
}

/// The lists an evaluation needs, kept from one request to the next on each thread so that a
/// decision allocates nothing once they have grown (each is taken out for an evaluation and put
/// back empty; an evaluation that found them taken would start with new ones).
#[derive(Default)]
struct Scratch {
    /// The request's action in ASCII lower case.
    action_lower: String,
    /// The layers of an untraced evaluation (a traced one builds its answer's list).
    layers: Vec<LayerTrace>,
    candidates: Vec<(u32, bool)>,
}

/// The allocations of traced answers, kept between requests by a caller that reads each answer
/// and is then done with it (see [`PreparedPolicySet::read_fields_traced`]). Every list in it is
/// always empty: it keeps room, never an element of an answer.
#[derive(Debug, Default)]
pub struct AnswerLists {
    reasons: Vec<Cow<'static, str>>,
    layers: Vec<LayerTrace>,
    derived: Vec<(&'static str, Cow<'static, str>)>,
    /// The layers' statement lists, each emptied (at most one per layer of an answer: an answer
    /// takes from here the lists its layers fill, and gives back one per layer).
    statements: Vec<Vec<StatementTrace>>,
    warnings: Vec<String>,
    /// The room of the last warning's text, emptied.
    text: String,
}

impl AnswerLists {
    /// Whether every list kept is empty: always true between evaluations (the lists keep room,
    /// never an element of an answer). For tests.
    pub fn is_empty(&self) -> bool {
        self.reasons.is_empty()
            && self.layers.is_empty()
            && self.derived.is_empty()
            && self.statements.iter().all(Vec::is_empty)
            && self.warnings.is_empty()
            && self.text.is_empty()
    }

    /// Takes the room of `result`'s lists and of `derived` back, dropping their elements.
    fn give_back(
        &mut self,
        mut result: EvalResult<'_>,
        derived: Vec<(&'static str, Cow<'_, str>)>,
    ) {
        use std::mem::swap;
        self.derived = recycle(derived);
        // (last layer first: the next answer's first layer takes the list of this one's first)
        for layer in result.layers.drain(..).rev() {
            let mut statements = layer.statements;
            statements.clear();
            self.statements.push(statements);
        }
        if let Some(mut text) = result.warnings.pop() {
            text.clear();
            self.text = text;
        }
        // (swapped rather than assigned: what `self` holds here is empty, and is dropped with
        // `result`)
        result.reasons.clear();
        result.warnings.clear();
        swap(&mut self.reasons, &mut result.reasons);
        swap(&mut self.layers, &mut result.layers);
        swap(&mut self.warnings, &mut result.warnings);
        // The answers given back here have their derived keys apart: their map is the
        // `BTreeMap::new()` that `run` made, into which nothing was inserted, so it owns no node
        // and forgetting it leaks nothing; its drop would still be a walk of calls (65 native
        // instructions a traced call). A map holding keys is dropped as usual.
        let map = result.derived_context;
        if map.is_empty() {
            std::mem::forget(map);
        }
    }
}

/// An empty list of another lifetime in the room of `list`, whose elements are dropped (the
/// standard library collects a list's own iterator into its allocation when the element types
/// have one layout; where it would not, this is an empty list without room, as correct).
fn recycle<'a>(list: Vec<(&'static str, Cow<'_, str>)>) -> Vec<(&'static str, Cow<'a, str>)> {
    // (`filter` would keep the lifetime)
    #[allow(clippy::unnecessary_filter_map)]
    list.into_iter().filter_map(|_| None).collect()
}

thread_local! {
    /// The last principal parsed (see [`PrincipalMemo`]): a request by the principal of the
    /// request before skips its parse.
    static MEMO: RefCell<PrincipalMemo> = RefCell::new(PrincipalMemo::default());
    static SCRATCH: Cell<Scratch> = const {
        Cell::new(Scratch {
            action_lower: String::new(),
            layers: Vec::new(),
            candidates: Vec::new(),
        })
    };
}

/// The decision without its explanation (see [`PreparedPolicySet::decide`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub decision: Decision,
    pub deciding_layer: Option<Layer>,
    pub deciding_level: Option<usize>,
}

/// Parses, compiles and evaluates a scenario.
pub fn simulate(scenario: &Scenario) -> Result<EvalResult<'_>, Vec<EvalError>> {
    // One request: compile only the statements its action can reach (a trace shows no others).
    let action = scenario.request.action.to_ascii_lowercase();
    let only = action.is_ascii().then_some(action.as_str());
    PreparedPolicySet::compile_for(&scenario.policies, only)?.evaluate(&scenario.request)
}

/// The reasons of a decision, built only when tracing.
struct Reasons {
    on: bool,
    list: Vec<Cow<'static, str>>,
}

impl Reasons {
    fn push(&mut self, f: impl FnOnce() -> Cow<'static, str>) {
        if self.on {
            self.list.push(f());
        }
    }
}

struct Env<'a> {
    trace: bool,
    action_lower: &'a str,
    /// `action_lower` up to its first colon.
    service: Option<&'a str>,
    resource: &'a str,
    ctx: Context<'a>,
    principal: &'a RequestPrincipal<'a>,
    missing: Vec<String>,
    /// The candidate statements of the policy being evaluated (kept to reuse its allocation).
    candidates: Vec<(u32, bool)>,
    /// Emptied statement lists of earlier answers, for the layers' traces (the caller's
    /// [`AnswerLists`], when it keeps them).
    spare: Option<&'a mut Vec<Vec<StatementTrace>>>,
}

struct Evaluation;

impl Evaluation {
    /// With `derived_apart`, the derived context keys go there (sorted by name) instead of into
    /// the result's map. A traced answer's lists are taken from `lists` (empty, perhaps with
    /// room) instead of being allocated.
    fn run<'r>(
        set: &PreparedPolicySet,
        req: &Req<'r>,
        trace: bool,
        derived_apart: Option<&mut Vec<(&'static str, Cow<'r, str>)>>,
        lists: Option<&mut AnswerLists>,
    ) -> Result<EvalResult<'r>, Vec<EvalError>> {
        let mut errors = Vec::new();
        // (read through a reference from here: the principal is not moved again)
        let parsed = if set.memo {
            MEMO.with_borrow_mut(|m| m.parse(req.principal, req.session_issuer))
        } else {
            RequestPrincipal::parse(req.principal, req.session_issuer)
        };
        // One action: `service:name`, no wildcard, no whitespace (one pass over the characters).
        let colon = req.action.bytes().position(|b| b == b':');
        match colon {
            Some(i)
                if i > 0
                    && i + 1 < req.action.len()
                    && no_wildcard_or_space(req.action) => {}
            _ => errors.push(EvalError::request(
                format!(
                    "request.action \"{}\" must be one action such as \"s3:GetObject\" (service prefix, colon, action name, no wildcards)",
                    req.action
                ),
                "/request/action",
            )),
        }
        if req.resource.is_empty() {
            errors.push(EvalError::request(
                "request.resource is empty: give an ARN or \"*\"",
                "/request/resource",
            ));
        }
        if let Some(ra) = req.resource_account
            && !is_account_id(ra)
        {
            errors.push(EvalError::request(
                format!("request.resourceAccount \"{ra}\" is not a 12-digit account id"),
                "/request/resourceAccount",
            ));
        }
        let principal = match parsed {
            Ok(ref p) if errors.is_empty() => p,
            Ok(_) => return Err(errors),
            Err(e) => {
                // the principal's error first, in the order the fields are checked
                errors.insert(0, *e);
                return Err(errors);
            }
        };
        // A traced answer is built in the lists an earlier one gave back (empty, with room), or
        // in new ones.
        let mut lists = lists.filter(|_| trace);
        let mut warnings = match lists.as_deref_mut() {
            Some(l) => std::mem::take(&mut l.warnings),
            None => Vec::new(),
        };
        let resource_arn = Arn::parse(req.resource).ok();
        let arn_account = resource_arn
            .as_ref()
            .map(|a| a.account)
            .filter(|a| is_account_id(a));
        if let (true, Some(given), Some(from_arn)) = (trace, req.resource_account, arn_account)
            && given != from_arn
        {
            warnings.push(
                [
                    "request.resourceAccount ",
                    given,
                    " differs from the account in the resource ARN (",
                    from_arn,
                    "); using ",
                    given,
                ]
                .concat(),
            );
        }
        let resource_account = req.resource_account.or(arn_account).or_else(|| {
            let a = principal.account;
            if let (true, Some(a)) = (trace, a) {
                // one string of the right size (not `concat`: half of a traced scenario's
                // requests, e.g. S3 objects, take this warning), in the room of an earlier one
                const ASSUMING: &str = "the resource ARN names no account and request.resourceAccount is absent: assuming the principal's account ";
                let need = ASSUMING.len() + a.len();
                let mut w = match lists.as_deref_mut() {
                    Some(l) => std::mem::take(&mut l.text),
                    None => String::with_capacity(need),
                };
                w.reserve(need);
                w.push_str(ASSUMING);
                w.push_str(a);
                if warnings.capacity() == 0 {
                    warnings = vec![w];
                } else {
                    warnings.push(w);
                }
            }
            a
        });
        let mut ctx = Context::new(req.context);
        if req.derive_context {
            ctx.derive_lazily(principal, resource_account);
        }
        let Scratch {
            mut action_lower,
            layers: mut untraced,
            candidates,
        } = SCRATCH.take();
        // A traced answer's layers and reasons are built in the answer's own lists (given back
        // by an earlier answer, or new), of the right size from the start: the set's SCP and RCP
        // levels, VPC endpoint policies and at most four layers; most decisions take two to four
        // steps.
        let n = set.scp.len() + set.rcp.len() + set.vpc_endpoint.len() + 4;
        let (mut layers, reasons) = match lists.as_deref_mut() {
            Some(l) => {
                let (mut layers, mut reasons) = (
                    std::mem::take(&mut l.layers),
                    std::mem::take(&mut l.reasons),
                );
                layers.reserve(n);
                reasons.reserve(4);
                (layers, reasons)
            }
            None if trace => (Vec::with_capacity(n), Vec::with_capacity(4)),
            None => (std::mem::take(&mut untraced), Vec::new()),
        };
        action_lower.push_str(req.action);
        action_lower.make_ascii_lowercase();
        // (the colon found above is the first of the lower-case action too)
        let service = colon.map(|i| &action_lower[..i]);
        debug_assert_eq!(service, crate::compile::service_of(&action_lower));
        let mut env = Env {
            trace,
            action_lower: &action_lower,
            service,
            resource: req.resource,
            ctx,
            principal,
            missing: Vec::new(),
            candidates,
            spare: lists.map(|l| &mut l.statements),
        };
        let p = env.principal;
        let kind = p.kind;
        let cross_account = p.kind.is_iam()
            && matches!((&p.account, &resource_account), (Some(a), Some(b)) if !same(a.as_bytes(), b.as_bytes()));
        let required = if env.action_lower.starts_with("sts:")
            && TRUST_ACTIONS.contains(&env.action_lower)
            && resource_arn
                .as_ref()
                .is_some_and(|a| a.service == "iam" && a.resource.starts_with("role/"))
        {
            Some("trust")
        } else if env.action_lower.starts_with("kms:")
            && resource_arn
                .as_ref()
                .is_some_and(|a| a.service == "kms" && a.resource.starts_with("key/"))
        {
            Some("kms")
        } else {
            None
        };
        let in_management =
            |acct: Option<&str>| acct.is_some() && acct == set.management_account.as_deref();
        let slr = req
            .service_linked_role
            .unwrap_or_else(|| p.is_service_linked_role());
        // Why a layer does not apply: explanation text, built only when tracing (the decision
        // depends on whether a layer applies, not on the words).
        let note = |f: &dyn Fn() -> String| if trace { f() } else { String::new() };
        let scp_na: Option<String> = if !kind.is_iam() {
            Some(note(&|| {
                format!(
                    "SCPs apply only to principals in member accounts, not to a {} principal",
                    kind.as_str()
                )
            }))
        } else if in_management(p.account) {
            Some(note(&|| {
                "SCPs do not apply to principals in the management account".into()
            }))
        } else if slr {
            Some(note(&|| "SCPs do not apply to service-linked roles".into()))
        } else {
            None
        };
        let rcp_na: Option<String> = in_management(resource_account)
            .then(|| note(&|| "RCPs do not apply to resources in the management account".into()));
        let identity_na: Option<String> = match kind {
            PrincipalKind::Root => Some(note(&|| {
                "the account root user has no identity-based policies; it has full access in its own account".into()
            })),
            k if !k.is_iam() => Some(note(&|| {
                format!("a {} principal has no identity-based policies", k.as_str())
            })),
            _ => None,
        };
        // The boundary's and the session policy's notes are read only when the set has that
        // layer (its trace, or a warning that it was given): not written otherwise.
        let boundary_na: Option<String> = match kind {
            _ if set.boundary.is_none() => None,
            PrincipalKind::Root => Some(note(&|| {
                "the account root user cannot have a permissions boundary".into()
            })),
            k if !k.is_iam() => Some(note(&|| {
                format!("a {} principal has no permissions boundary", k.as_str())
            })),
            _ => None,
        };
        let session_na: Option<String> = (set.session.is_some() && !kind.is_session()).then(|| {
            note(&|| {
                format!("session policies exist only for role sessions and federated user sessions, not for a {} principal", kind.as_str())
            })
        });

        // Evaluate every layer.
        let mut scp_idx = Vec::new();
        for (l, level) in set.scp.iter().enumerate() {
            scp_idx.push(layers.len());
            layers.push(eval_layer(
                &mut env,
                Layer::Scp,
                Some(l),
                level,
                scp_na.clone(),
            ));
        }
        let mut rcp_idx = Vec::new();
        for (l, level) in set.rcp.iter().enumerate() {
            rcp_idx.push(layers.len());
            layers.push(eval_layer(
                &mut env,
                Layer::Rcp,
                Some(l),
                level,
                rcp_na.clone(),
            ));
        }
        let mut vpce_idx = Vec::new();
        for (i, pol) in set.vpc_endpoint.iter().enumerate() {
            vpce_idx.push(layers.len());
            layers.push(eval_layer(
                &mut env,
                Layer::VpcEndpoint,
                Some(i),
                std::slice::from_ref(pol),
                None,
            ));
        }
        let res_idx = set.resource.as_ref().map(|pol| {
            layers.push(eval_layer(
                &mut env,
                Layer::Resource,
                None,
                std::slice::from_ref(pol),
                None,
            ));
            layers.len() - 1
        });
        let id_idx = (!set.identity.is_empty() || identity_na.is_none()).then(|| {
            layers.push(eval_layer(
                &mut env,
                Layer::Identity,
                None,
                &set.identity,
                identity_na.clone(),
            ));
            layers.len() - 1
        });
        let bnd_idx = set.boundary.as_ref().map(|pol| {
            layers.push(eval_layer(
                &mut env,
                Layer::Boundary,
                None,
                std::slice::from_ref(pol),
                boundary_na.clone(),
            ));
            layers.len() - 1
        });
        let ses_idx = set.session.as_ref().map(|pol| {
            layers.push(eval_layer(
                &mut env,
                Layer::Session,
                None,
                std::slice::from_ref(pol),
                session_na.clone(),
            ));
            layers.len() - 1
        });
        for (na, present, what) in [
            (
                &identity_na,
                !set.identity.is_empty(),
                "identity-based policies",
            ),
            (
                &boundary_na,
                set.boundary.is_some(),
                "a permissions boundary",
            ),
            (&session_na, set.session.is_some(), "a session policy"),
        ] {
            if let (true, Some(why), true) = (trace, na, present) {
                warnings.push(format!("{what} given but not applicable: {why}"));
            }
        }

        let mut reasons = Reasons {
            on: trace,
            list: reasons,
        };
        let decide = |decision: Decision,
                      layer: Option<(Layer, Option<usize>)>,
                      reasons: Reasons| { (decision, layer, reasons) };
        let (decision, deciding, reasons) = 'decide: {
            // 1. An explicit deny anywhere.
            // `layers` is in the order SCP levels, RCP levels, VPC endpoint policies, resource,
            // identity, boundary, session: the order in which the denies are reported.
            let mut denying = layers
                .iter()
                .filter(|l| l.outcome == LayerOutcome::ExplicitDeny)
                .peekable();
            if let Some(first) = denying.peek() {
                let first = (first.layer, first.level);
                for l in denying {
                    reasons.push(|| deny_reason(l.layer, l.level));
                }
                break 'decide decide(Decision::ExplicitDeny, Some(first), reasons);
            }
            reasons.push(|| "no Deny statement applies in any policy".into());
            if kind == PrincipalKind::Root && required == Some("trust") {
                reasons.push(||
                    "the account root user cannot assume a role (AssumeRole needs IAM user or role credentials)".into(),
                );
                break 'decide decide(
                    Decision::ImplicitDeny,
                    Some((Layer::Identity, None)),
                    reasons,
                );
            }
            // 2. RCPs: every level must allow.
            for &i in &rcp_idx {
                let l = &layers[i];
                if l.outcome == LayerOutcome::NotApplicable {
                    continue;
                }
                if l.outcome != LayerOutcome::Allow {
                    reasons.push(|| {
                        format!(
                            "{} has no Allow statement for this request: every RCP level must allow",
                            layer_label(Layer::Rcp, l.level)
                        )
                        .into()
                    });
                    break 'decide decide(
                        Decision::ImplicitDeny,
                        Some((Layer::Rcp, l.level)),
                        reasons,
                    );
                }
            }
            if !rcp_idx.is_empty() {
                reasons.push(|| match &rcp_na {
                    Some(why) => why.clone().into(),
                    None => "every RCP level allows".into(),
                });
            }
            // 3. SCPs: every level must allow.
            for &i in &scp_idx {
                let l = &layers[i];
                if l.outcome == LayerOutcome::NotApplicable {
                    continue;
                }
                if l.outcome != LayerOutcome::Allow {
                    reasons.push(|| {
                        format!(
                            "{} has no Allow statement for this request: every SCP level must allow",
                            layer_label(Layer::Scp, l.level)
                        )
                        .into()
                    });
                    break 'decide decide(
                        Decision::ImplicitDeny,
                        Some((Layer::Scp, l.level)),
                        reasons,
                    );
                }
            }
            if !scp_idx.is_empty() {
                reasons.push(|| match &scp_na {
                    Some(why) => why.clone().into(),
                    None => "every SCP level allows".into(),
                });
            }
            // 4. VPC endpoint policies: each must allow.
            for &i in &vpce_idx {
                let l = &layers[i];
                if l.outcome != LayerOutcome::Allow {
                    reasons.push(|| {
                        format!(
                            "{} does not allow this request through the endpoint",
                            layer_label(Layer::VpcEndpoint, l.level)
                        )
                        .into()
                    });
                    break 'decide decide(
                        Decision::ImplicitDeny,
                        Some((Layer::VpcEndpoint, l.level)),
                        reasons,
                    );
                }
            }
            // 5. Resource-based policy, identity-based policies, boundary, session policy.
            // from here on no layer denies: a layer allows when its outcome is Allow (and only then
            // has a grant)
            let allows = |i: usize| layers[i].outcome == LayerOutcome::Allow;
            let grant = res_idx.and_then(|i| layers[i].grant.filter(|_| allows(i)));
            match (grant, required) {
                (Some(g), _) => reasons.push(|| grant_reason(g, kind).into()),
                (None, Some(r)) => {
                    reasons.push(|| {
                        match (r == "trust", res_idx.is_some()) {
                            (true, true) => "the role trust policy must allow explicitly, and no statement allows this principal",
                            (true, false) => "the role trust policy must allow explicitly, and none was given",
                            (false, true) => "the KMS key policy must allow explicitly, and no statement allows this principal",
                            (false, false) => "the KMS key policy must allow explicitly, and none was given",
                        }
                        .into()
                    });
                    break 'decide decide(
                        Decision::ImplicitDeny,
                        Some((Layer::Resource, None)),
                        reasons,
                    );
                }
                (None, None) => reasons.push(|| {
                    if res_idx.is_some() {
                        "the resource-based policy does not allow this principal".into()
                    } else {
                        "no resource-based policy".into()
                    }
                }),
            }
            if !kind.is_iam() {
                if grant.is_some() {
                    break 'decide decide(Decision::Allow, Some((Layer::Resource, None)), reasons);
                }
                reasons.push(|| {
                    format!(
                        "a {} principal has no identity-based permissions: only a resource-based policy can allow it",
                        kind.as_str()
                    )
                    .into()
                });
                break 'decide decide(
                    Decision::ImplicitDeny,
                    Some((Layer::Resource, None)),
                    reasons,
                );
            }
            if cross_account && grant.is_none() {
                reasons.push(|| "cross-account request: the resource-based policy in the resource's account must allow the principal".into());
                break 'decide decide(
                    Decision::ImplicitDeny,
                    Some((Layer::Resource, None)),
                    reasons,
                );
            }
            let allowed = |i: Option<usize>| i.is_some_and(allows);
            let applicable = |i: Option<usize>| {
                i.is_some_and(|i| layers[i].outcome != LayerOutcome::NotApplicable)
            };
            let id_allow = kind == PrincipalKind::Root || allowed(id_idx);
            let boundary_ok = !applicable(bnd_idx) || allowed(bnd_idx);
            let session_ok = if kind == PrincipalKind::FederatedUser {
                allowed(ses_idx)
            } else {
                !applicable(ses_idx) || allowed(ses_idx)
            };
            let session_reason = || -> Cow<'static, str> {
                if kind == PrincipalKind::FederatedUser && ses_idx.is_none() {
                    "a federated user session without a session policy has no permissions beyond what resource-based policies grant to the session itself".into()
                } else {
                    "the session policy does not allow the action: a session's permissions are the intersection of its identity-based policies and its session policy".into()
                }
            };
            if !cross_account && grant == Some(Grant::Direct) {
                reasons.push(|| "same account: a resource-based policy that names the principal itself is not limited by implicit denies in identity-based policies, boundaries or session policies".into());
                break 'decide decide(Decision::Allow, Some((Layer::Resource, None)), reasons);
            }
            if !cross_account && grant == Some(Grant::Issuer) {
                if !boundary_ok {
                    reasons.push(|| "the grant names the role (or the IAM user behind the session), so an implicit deny in the permissions boundary limits it".into());
                    break 'decide decide(
                        Decision::ImplicitDeny,
                        Some((Layer::Boundary, None)),
                        reasons,
                    );
                }
                if !session_ok {
                    reasons.push(session_reason);
                    break 'decide decide(
                        Decision::ImplicitDeny,
                        Some((Layer::Session, None)),
                        reasons,
                    );
                }
                reasons.push(|| "same account: the grant to the role (or IAM user) is not limited by the identity-based policies, and no boundary or session policy denies implicitly".into());
                break 'decide decide(Decision::Allow, Some((Layer::Resource, None)), reasons);
            }
            if cross_account {
                reasons.push(|| {
                    "cross-account request: the principal's own account must allow it too".into()
                });
            } else if grant == Some(Grant::Account) {
                reasons.push(|| "the grant names the account, which delegates to the account's identity-based policies".into());
            }
            if !id_allow {
                reasons.push(|| "no identity-based policy allows the action".into());
                break 'decide decide(
                    Decision::ImplicitDeny,
                    Some((Layer::Identity, None)),
                    reasons,
                );
            }
            reasons.push(|| {
                if kind == PrincipalKind::Root {
                    "the account root user has full access in its own account".into()
                } else {
                    "an identity-based policy allows the action".into()
                }
            });
            if !boundary_ok {
                reasons.push(|| "the permissions boundary does not allow the action: permissions are the intersection of identity-based policies and the boundary".into());
                break 'decide decide(
                    Decision::ImplicitDeny,
                    Some((Layer::Boundary, None)),
                    reasons,
                );
            }
            if applicable(bnd_idx) {
                reasons.push(|| "the permissions boundary allows the action".into());
            }
            if !session_ok {
                reasons.push(session_reason);
                break 'decide decide(
                    Decision::ImplicitDeny,
                    Some((Layer::Session, None)),
                    reasons,
                );
            }
            if applicable(ses_idx) {
                reasons.push(|| "the session policy allows the action".into());
            }
            let layer = if grant.is_some() && !cross_account && !id_allow {
                Layer::Resource
            } else {
                Layer::Identity
            };
            decide(Decision::Allow, Some((layer, None)), reasons)
        };

        // The derived keys are part of the explanation only (a verdict does not carry them).
        let derived_context = match (trace, derived_apart) {
            (true, Some(apart)) => {
                env.ctx
                    .derived_sorted_into(principal, resource_account, apart);
                BTreeMap::new()
            }
            (true, None) => env.ctx.take_derived_map(),
            (false, _) => BTreeMap::new(),
        };
        let Env {
            ctx,
            mut missing,
            mut candidates,
            ..
        } = env;
        drop(ctx);
        // Without a trace only the verdict is read (`decide`): the descriptive fields stay empty
        // rather than being copied for nothing.
        let (principal, action, resource, traces, resource_account, required) = if trace {
            if !missing.is_empty() {
                let mut seen = std::collections::HashSet::new();
                missing.retain(|k| seen.insert(k.to_ascii_lowercase()));
                missing.sort_by_key(|k| k.to_ascii_lowercase());
            }
            (
                principal.summary(),
                Cow::Borrowed(req.action),
                Cow::Borrowed(req.resource),
                layers,
                resource_account.map(Cow::Borrowed),
                required.map(Cow::Borrowed),
            )
        } else {
            missing.clear();
            layers.clear();
            untraced = layers;
            let none = PrincipalSummary {
                kind: Cow::Borrowed(""),
                id: Cow::Borrowed(""),
                account: None,
            };
            let empty = Cow::Borrowed("");
            (none, empty.clone(), empty, Vec::new(), None, None)
        };

        action_lower.clear();
        untraced.clear();
        candidates.clear();
        SCRATCH.set(Scratch {
            action_lower,
            layers: untraced,
            candidates,
        });
        Ok(EvalResult {
            decision,
            deciding_layer: deciding.map(|d| d.0),
            deciding_level: deciding.and_then(|d| d.1),
            reasons: reasons.list,
            principal,
            action,
            resource,
            resource_account,
            cross_account,
            resource_policy_required: required,
            layers: traces,
            missing_context_keys: missing,
            derived_context,
            warnings,
        })
    }
}

/// Whether `action` holds no `*`, `?` or whitespace (`char::is_whitespace`): a table lookup per
/// byte for ASCII text (the whitespace among ASCII characters is `\t` to `\r` and the space), a
/// character at a time only for text with other characters and none of those. Decoding every
/// character of every request's action was a tenth of a prepared decision's own work (session
/// 10).
fn no_wildcard_or_space(action: &str) -> bool {
    let seen = action
        .bytes()
        .fold(0u8, |seen, b| seen | ACTION_BYTE[b as usize]);
    match seen {
        0 => true,
        NON_ASCII => action
            .chars()
            .all(|c| c != '*' && c != '?' && !c.is_whitespace()),
        _ => false,
    }
}

/// A byte of a character other than ASCII, in [`ACTION_BYTE`].
const NON_ASCII: u8 = 2;

/// Per byte value: 1 for `*`, `?` and the ASCII whitespace, [`NON_ASCII`] for the bytes of other
/// characters, 0 for the rest.
static ACTION_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0x80;
    while i < 256 {
        t[i] = NON_ASCII;
        i += 1;
    }
    let mut i = b'\t';
    while i <= b'\r' {
        t[i as usize] = 1;
        i += 1;
    }
    t[b' ' as usize] = 1;
    t[b'*' as usize] = 1;
    t[b'?' as usize] = 1;
    t
};

fn layer_label(layer: Layer, level: Option<usize>) -> String {
    match (layer, level) {
        (Layer::Scp, Some(l)) => format!("SCP level {l}"),
        (Layer::Rcp, Some(l)) => format!("RCP level {l}"),
        (Layer::VpcEndpoint, Some(l)) => format!("VPC endpoint policy {l}"),
        (Layer::Resource, _) => "the resource-based policy".into(),
        (Layer::Identity, _) => "the identity-based policies".into(),
        (Layer::Boundary, _) => "the permissions boundary".into(),
        (Layer::Session, _) => "the session policy".into(),
        (l, _) => l.as_str().into(),
    }
}

/// The reason for an explicit deny in a layer: a fixed sentence except for the layers with levels.
fn deny_reason(layer: Layer, level: Option<usize>) -> Cow<'static, str> {
    const TAIL: &str = ": an explicit deny in any policy overrides every allow";
    match (layer, level) {
        (Layer::Scp | Layer::Rcp | Layer::VpcEndpoint, Some(_)) => {
            format!("explicit Deny in {}{TAIL}", layer_label(layer, level)).into()
        }
        (Layer::Resource, _) => {
            "explicit Deny in the resource-based policy: an explicit deny in any policy overrides every allow".into()
        }
        (Layer::Identity, _) => {
            "explicit Deny in the identity-based policies: an explicit deny in any policy overrides every allow".into()
        }
        (Layer::Boundary, _) => {
            "explicit Deny in the permissions boundary: an explicit deny in any policy overrides every allow".into()
        }
        (Layer::Session, _) => {
            "explicit Deny in the session policy: an explicit deny in any policy overrides every allow".into()
        }
        (l, _) => format!("explicit Deny in {}{TAIL}", l.as_str()).into(),
    }
}

/// Why the resource-based policy allows: a fixed sentence per grant.
fn grant_reason(g: Grant, kind: PrincipalKind) -> &'static str {
    match g {
        Grant::Direct => {
            "the resource-based policy allows: it names the principal itself (or all principals)"
        }
        Grant::Issuer if kind == PrincipalKind::FederatedUser => {
            "the resource-based policy allows: it names the IAM user that created the federated session"
        }
        Grant::Issuer => "the resource-based policy allows: it names the role of the session",
        Grant::Account => "the resource-based policy allows: it names the principal's account",
    }
}

fn uses_principal(layer: Layer) -> bool {
    matches!(layer, Layer::Resource | Layer::Rcp | Layer::VpcEndpoint)
}

fn eval_layer(
    env: &mut Env<'_>,
    layer: Layer,
    level: Option<usize>,
    policies: &[CPolicy],
    not_applicable: Option<String>,
) -> LayerTrace {
    let mut trace = LayerTrace {
        layer,
        level,
        outcome: LayerOutcome::ImplicitDeny,
        grant: None,
        note: None,
        statements: Vec::new(),
    };
    if let Some(why) = not_applicable {
        trace.outcome = LayerOutcome::NotApplicable;
        trace.note = Some(why);
        return trace;
    }
    if let Some(spare) = env.spare.as_deref_mut() {
        trace.statements = spare.pop().unwrap_or_default();
    }
    let (mut allow, mut deny) = (false, false);
    for pol in policies {
        pol.candidates(env.action_lower, env.service, &mut env.candidates);
        // (by index: the list stays in `env`, which each statement's evaluation borrows, instead
        // of being taken out and put back for each policy)
        for k in 0..env.candidates.len() {
            let (si, proven) = env.candidates[k];
            let st = &pol.statements[si as usize];
            if !proven && !st.action_matches(env.action_lower) {
                continue;
            }
            let t = eval_statement(env, pol, st, layer);
            if t.matched {
                match st.effect {
                    Effect::Allow => {
                        allow = true;
                        if let Some(g) = t.grant {
                            trace.grant = Some(trace.grant.map_or(g, |old| old.max(g)));
                        }
                    }
                    Effect::Deny => deny = true,
                }
            }
            if let Some(t) = t.trace {
                trace.statements.push(t);
            }
        }
    }
    trace.outcome = if deny {
        LayerOutcome::ExplicitDeny
    } else if allow {
        LayerOutcome::Allow
    } else {
        LayerOutcome::ImplicitDeny
    };
    if !allow {
        trace.grant = None;
    }
    // (the decision reads `allow` and `deny` back from the outcome: a layer that denies is
    // `ExplicitDeny`, and once none denies, one that allows is `Allow`)
    trace
}

/// What one statement found: whether it matched, the grant of a matching Allow, and its trace
/// (built only when tracing).
struct StatementEval {
    matched: bool,
    grant: Option<Grant>,
    trace: Option<StatementTrace>,
}

fn eval_statement(
    env: &mut Env<'_>,
    pol: &CPolicy,
    st: &CStatement,
    layer: Layer,
) -> StatementEval {
    let tracing = env.trace;
    let mut notes = Vec::new();
    let mut note = |f: &dyn Fn() -> String| {
        if tracing {
            notes.push(f());
        }
    };
    let resource_matched = match &st.resources {
        None => true,
        Some(items) => {
            let any = items.iter().any(|item| match &item.matcher {
                Some(m) => m.matches(env.resource),
                None => match item.template.resolve_tokens(&env.ctx, &mut env.missing) {
                    Some(toks) => crate::compile::ArnMatcher::new(&toks).matches(env.resource),
                    None => {
                        note(&|| {
                            format!(
                                "{} {:?} uses a policy variable the request does not carry: it matches no resource",
                                if st.not_resource { "NotResource" } else { "Resource" },
                                item.template.raw
                            )
                        });
                        false
                    }
                },
            });
            any != st.not_resource
        }
    };
    let (principal_matched, grant) = if uses_principal(layer) {
        match &st.principal {
            None => {
                note(&|| "no Principal element: the statement names no principal".into());
                (Some(false), None)
            }
            Some(p) if p.element.not => {
                let listed = not_principal_lists(&p.element, env.principal);
                (Some(!listed), (!listed).then_some(Grant::Direct))
            }
            Some(p) => {
                let g = principal_grant(&p.element, env.principal);
                (Some(g.is_some()), g)
            }
        }
    } else {
        if st.principal.is_some() {
            note(&|| {
                format!(
                    "a Principal element has no meaning in {} policies and is ignored",
                    layer.as_str()
                )
            });
        }
        (None, None)
    };
    let mut conditions = Vec::new();
    let mut conditions_matched = true;
    if resource_matched && principal_matched != Some(false) {
        for c in &st.conditions {
            let (ok, t) = eval_condition(c, &env.ctx, &mut env.missing, env.trace);
            conditions_matched &= ok;
            conditions.extend(t);
            if !ok && !env.trace {
                break;
            }
        }
    } else if !st.conditions.is_empty() {
        conditions_matched = false;
        note(&|| {
            "conditions not evaluated: the statement does not apply to this resource or principal"
                .into()
        });
    }
    let matched = resource_matched && principal_matched != Some(false) && conditions_matched;
    let grant = if matched && st.effect == Effect::Allow {
        grant
    } else {
        None
    };
    let trace = tracing.then(|| StatementTrace {
        resource_matched,
        principal_matched,
        conditions_matched,
        matched,
        grant,
        conditions,
        notes,
        ..site_trace(pol, st)
    });
    StatementEval {
        matched,
        grant,
        trace,
    }
}

/// The fields of a statement's trace that do not depend on the request (its place, sid, effect,
/// range, pointer), the others at their defaults: what [`PreparedPolicySet::statement_sites`] lists,
/// and what every trace of the statement starts from.
fn site_trace(pol: &CPolicy, st: &CStatement) -> StatementTrace {
    StatementTrace {
        policy_index: pol.place.index,
        policy_name: pol.name.clone(),
        sid: st.sid.clone(),
        statement_index: st.index,
        effect: Cow::Borrowed(st.effect.as_str()),
        range: st.range,
        scenario_range: scenario_range(pol.place.offset, st.range),
        pointer: st.pointer.clone(),
        resource_matched: false,
        principal_matched: None,
        conditions_matched: false,
        matched: false,
        grant: None,
        conditions: Vec::new(),
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-off `simulate` (policies compiled for that call) parses its principal and leaves
    /// the memo as the prepared set's last request left it: nothing of its call is kept for the
    /// next (issue #10's "nothing cached between calls" for policies given each call), while a
    /// prepared set's request takes the memo.
    #[test]
    fn only_a_prepared_set_uses_the_principal_memo() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let set = PolicySet {
            identity: vec![crate::scenario::PolicySource::new(text)],
            ..PolicySet::default()
        };
        let alice = "arn:aws:iam::111122223333:user/alice";
        let bob = "arn:aws:iam::111122223333:user/bob";
        let p = PreparedPolicySet::new(&set).expect("valid");
        p.decide_fields(alice, "s3:GetObject", "arn:aws:s3:::b/k", None)
            .expect("valid");
        assert_eq!(MEMO.with_borrow(|m| m.held().to_string()), alice);
        let scenario = Scenario {
            policies: set.clone(),
            request: Request::new(bob, "s3:GetObject", "arn:aws:s3:::b/k"),
            expect: None,
            doc: None,
            name: None,
            warnings: Vec::new(),
        };
        let r = simulate(&scenario).expect("valid");
        assert_eq!(
            (r.decision, r.principal.id.as_ref()),
            (Decision::Allow, bob)
        );
        assert_eq!(MEMO.with_borrow(|m| m.held().to_string()), alice);
        p.decide_fields(bob, "s3:GetObject", "arn:aws:s3:::b/k", None)
            .expect("valid");
        assert_eq!(MEMO.with_borrow(|m| m.held().to_string()), bob);
    }

    /// A request by another principal than the one before, of the same length, is answered for
    /// that principal (the principal memo compares the bytes), in every entry point; and the one
    /// before again for the one before.
    #[test]
    fn a_changed_principal_of_the_same_length_is_parsed_again() {
        let set = PolicySet {
            identity: vec![crate::scenario::PolicySource::new(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}"#,
            )],
            ..PolicySet::default()
        };
        let p = PreparedPolicySet::new(&set).expect("valid");
        let alice = "arn:aws:iam::111122223333:user/alice";
        let carol = "arn:aws:iam::111122223333:user/carol";
        // (a role has no aws:username: the policy variable matches nothing)
        let role = "arn:aws:iam::111122223333:role/alice";
        let resource = "arn:aws:s3:::b/alice/x";
        let mut lists = AnswerLists::default();
        for (principal, want) in [
            (alice, Decision::Allow),
            (carol, Decision::ImplicitDeny),
            (carol, Decision::ImplicitDeny),
            (role, Decision::ImplicitDeny),
            (alice, Decision::Allow),
        ] {
            let principal = principal.to_string();
            let v = p.decide_fields(&principal, "s3:GetObject", resource, None);
            assert_eq!(v.expect("valid").decision, want, "{principal}");
            let r = p
                .evaluate_fields(&principal, "s3:GetObject", resource, None)
                .expect("valid");
            assert_eq!((r.decision, r.principal.id.as_ref()), (want, &*principal));
            let name = Some(&principal[principal.len() - 5..]).filter(|_| principal != role);
            let user = r.derived_context.get("aws:username");
            assert_eq!(user.map(|v| v[0].as_str()), name, "{principal}");
            let read = p.read_fields_traced(
                &principal,
                "s3:GetObject",
                resource,
                None,
                &mut lists,
                |r, derived| {
                    let user = derived.iter().find(|d| d.0 == "aws:username");
                    (r.decision, user.map(|d| d.1.to_string()))
                },
            );
            assert_eq!(read.expect("valid"), (want, name.map(str::to_string)));
        }
    }

    /// The byte test is the character test it replaced, for every character alone, and in ASCII
    /// and other text.
    #[test]
    fn no_wildcard_or_space_is_the_character_test() {
        let oracle = |s: &str| {
            s.chars()
                .all(|c| c != '*' && c != '?' && !c.is_whitespace())
        };
        for c in (0..0x3100).filter_map(char::from_u32) {
            for s in [
                c.to_string(),
                format!("s3:Get{c}Object"),
                format!("s3:Get\u{e9}{c}"),
            ] {
                assert_eq!(no_wildcard_or_space(&s), oracle(&s), "{s:?}");
            }
        }
    }

    /// `deny_reason` spells the fixed layers' sentences out whole (no allocation per traced
    /// request); they must stay the sentence `layer_label` makes, for every layer and level.
    #[test]
    fn deny_reason_is_the_sentence_of_layer_label() {
        let layers = [
            Layer::Scp,
            Layer::Rcp,
            Layer::VpcEndpoint,
            Layer::Resource,
            Layer::Identity,
            Layer::Boundary,
            Layer::Session,
        ];
        for layer in layers {
            for level in [None, Some(0), Some(3)] {
                assert_eq!(
                    deny_reason(layer, level),
                    format!(
                        "explicit Deny in {}: an explicit deny in any policy overrides every allow",
                        layer_label(layer, level)
                    ),
                    "{layer:?} {level:?}"
                );
            }
        }
    }
}
