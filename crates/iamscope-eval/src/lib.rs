//! iamscope's evaluator: given the policies of every layer and one request, the decision AWS
//! would make (`Allow`, `ExplicitDeny`, `ImplicitDeny`), which layer decided, and a trace of every
//! statement and condition that took part.
//!
//! Ground truth is the AWS IAM User Guide (evaluation logic, cross-account logic, permissions
//! boundaries, condition operators, multi-value conditions, policy variables, Principal,
//! NotPrincipal, NotAction, NotResource) plus the 2024 RCPs and 2025 SCP language changes.
//!
//! ```
//! use iamscope_eval::{Decision, PolicySet, PolicySource, PreparedPolicySet, Request};
//!
//! let mut set = PolicySet::default();
//! set.identity.push(PolicySource::new(
//!     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}"#,
//! ));
//! let prepared = PreparedPolicySet::new(&set).unwrap();
//! let req = Request::new("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::b/k");
//! let result = prepared.evaluate(&req).unwrap();
//! assert_eq!(result.decision, Decision::Allow);
//! ```
//!
//! # Result JSON
//!
//! [`EvalResult`] serialises (serde, camelCase) as:
//!
//! ```text
//! {
//!   "decision": "Allow" | "ExplicitDeny" | "ImplicitDeny",
//!   "decidingLayer": "scp" | "rcp" | "vpcEndpoint" | "resource" | "identity" | "boundary" | "session",
//!   "decidingLevel": 0,                       // SCP/RCP level or VPC endpoint policy index, if any
//!   "reasons": ["no Deny statement applies in any policy", ...],
//!   "principal": {"kind": "user", "id": "arn:...", "account": "111122223333"},
//!   "action": "s3:GetObject", "resource": "arn:...", "resourceAccount": "111122223333",
//!   "crossAccount": false,
//!   "resourcePolicyRequired": "trust" | "kms",   // absent for ordinary resources
//!   "layers": [{
//!     "layer": "identity", "level": 0?, "outcome": "Allow" | "ExplicitDeny" | "ImplicitDeny" | "NotApplicable",
//!     "grant": "account" | "issuer" | "direct",   // resource-based layers, when an Allow matched
//!     "note": "why the layer does not apply"?,
//!     "statements": [{
//!       "policyIndex": 0, "policyName": "..."?, "sid": "..."?, "statementIndex": 1,
//!       "effect": "Allow", "range": {"start": 10, "end": 90}, "scenarioRange": {...}?,
//!       "pointer": "/Statement/1", "resourceMatched": true, "principalMatched": true?,
//!       "conditionsMatched": false, "matched": false, "grant": "direct"?,
//!       "conditions": [{"operator": "StringEquals", "key": "aws:SourceVpc",
//!                       "policyValues": ["vpc-1"], "requestValues": null, "result": false,
//!                       "missing": true, "range": {...}, "notes": [...]}],
//!       "notes": [...]
//!     }]
//!   }],
//!   "missingContextKeys": ["aws:SourceVpc"],
//!   "derivedContext": {"aws:PrincipalArn": ["arn:..."], ...},
//!   "warnings": [...]
//! }
//! ```
//!
//! Statements appear in a layer's trace when their `Action`/`NotAction` matches the request
//! (others cannot apply). `range` is a byte range in the policy text; `scenarioRange` is the same
//! range in the scenario document when the policy was embedded there as a JSON value. When the
//! evaluation cannot run (an invalid scenario, request or policy), the serialised form is
//! [`ErrorResult`]: `{"decision": null, "errors": [EvalError...]}`.
//!
//! # Decision
//!
//! 1. An explicit `Deny` in any applicable policy decides `ExplicitDeny`.
//! 2. Every RCP level must allow (AWS attaches `RCPFullAWSAccess` to every level; see
//!    [`PolicySet::rcp_full_access`]); RCPs do not apply to resources in the management account.
//! 3. Every SCP level must allow; SCPs do not apply to the management account's principals,
//!    service-linked roles, service principals or anonymous requests.
//! 4. Every VPC endpoint policy must allow.
//! 5. Same account: a resource-based policy that names the principal itself (user ARN, role
//!    session ARN, federated user ARN, `*`, a service) allows on its own; one that names the role
//!    of a session (or the IAM user behind a federated user) is limited by the boundary and the
//!    session policy; one that names the account delegates to the identity-based policies. Role
//!    trust policies (`sts:AssumeRole*` on a role) and KMS key policies must allow explicitly.
//!    Otherwise an identity-based policy must allow, within the boundary and the session policy;
//!    a federated user session without a session policy has no identity-based permissions. The
//!    account root user has full access in its own account (but cannot assume roles).
//! 6. Cross account: the resource-based policy must allow the principal, and the principal's own
//!    account (identity-based policies, boundary, session policy, SCPs) must allow too.
//!
//! [`PreparedPolicySet::decide`] returns the same decision without building the trace.
//!
//! # Readings where the documentation leaves room
//!
//! Each is checked against an independent simulator in docs/fidelity.md.
//! - A grant to an account (ID or `:root` ARN) delegates to that account's identity-based
//!   policies, in the same account too (as KMS key policies document); the root user itself has
//!   full access in its own account.
//! - `NotPrincipal`: a principal escapes a `NotPrincipal` statement only when its account, its
//!   role (for a role session) and itself are all listed (NotPrincipal page, "NotPrincipal With
//!   Deny").
//! - `...IfExists` makes a condition on a missing key true, also with `ForAnyValue:`.
//! - A key given as an empty list, or only empty strings, is a null value: `Null: true` holds and
//!   set operators see an empty set.
//! - A key with several values under an operator without `ForAllValues:`/`ForAnyValue:` matches
//!   when any value matches (negated operators: when none does); the trace says so.
//! - A policy variable with no value and no default equals nothing: positive operators fail,
//!   negated ones hold; in `Resource` the entry matches nothing, in `NotResource` it excludes
//!   nothing. A variable over a key with several values has no value. Variables work in string,
//!   ARN and `Bool` values (the condition operators page allows them for `Bool`), only under
//!   `Version` `2012-10-17`.
//! - ARN patterns (in `Resource` and the ARN operators) match field by field; a pattern with fewer
//!   than six fields lets its last field take the rest of the value (`arn:aws:sqs:*` covers every
//!   queue, `arn:aws:sqs:*:queue1` none).
//! - The account root user cannot call `sts:AssumeRole*` (AWS STS API reference).
//! - A missing `resourceAccount` is taken from the resource ARN, else assumed to be the
//!   principal's account (with a warning); `aws:CurrentTime`/`aws:EpochTime` are never read from
//!   the clock.

mod compile;
mod condition;
mod context;
mod engine;
mod glob;
mod principal;
mod result;
mod scenario;
mod text;

pub use context::Context;
pub use engine::{AnswerLists, PreparedPolicySet, Verdict, simulate};
pub use principal::{PrincipalKind, RequestPrincipal};
pub use result::{
    ConditionTrace, Decision, ErrorResult, EvalError, EvalResult, Grant, Layer, LayerOutcome,
    LayerTrace, PrincipalSummary, StatementTrace,
};
pub use scenario::{MAX_SCENARIO_BYTES, PolicyRef, PolicySet, PolicySource, Request, Scenario};
pub use text::{line_col, render_text};

/// Evaluates a scenario document: parse, compile, evaluate. The `Err` side lists every problem
/// that prevented evaluation.
pub fn simulate_text(text: &str) -> Result<EvalResult<'static>, Vec<EvalError>> {
    let scenario = Scenario::parse(text)?;
    let mut result = simulate(&scenario)?.into_owned();
    result
        .warnings
        .splice(0..0, scenario.warnings.iter().cloned());
    Ok(result)
}
