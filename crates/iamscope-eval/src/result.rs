//! The result of an evaluation: serialisable data (camelCase), rendered by each face.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use iamscope_syntax::TextRange;
use serde::{Deserialize, Serialize};

/// The final decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
        }
    }

    /// Parses `Allow`, `ExplicitDeny`, `ImplicitDeny` (case-insensitive; `Deny` is not accepted
    /// because it is ambiguous).
    pub fn parse(s: &str) -> Option<Decision> {
        // (the one candidate its length and first letter leave, then one comparison: a search of
        // the three names is three comparisons inlined, 1.2 KB of wasm)
        let d = match (s.len(), s.as_bytes().first().map(u8::to_ascii_lowercase)) {
            (5, _) => Decision::Allow,
            (12, Some(b'e')) => Decision::ExplicitDeny,
            (12, _) => Decision::ImplicitDeny,
            _ => return None,
        };
        d.as_str().eq_ignore_ascii_case(s).then_some(d)
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Layer {
    Scp,
    Rcp,
    VpcEndpoint,
    Resource,
    Identity,
    Boundary,
    Session,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Scp => "scp",
            Layer::Rcp => "rcp",
            Layer::VpcEndpoint => "vpcEndpoint",
            Layer::Resource => "resource",
            Layer::Identity => "identity",
            Layer::Boundary => "boundary",
            Layer::Session => "session",
        }
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one layer (or one SCP/RCP level, or one VPC endpoint policy) says about the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LayerOutcome {
    /// A matching Allow statement and no matching Deny.
    Allow,
    /// A matching Deny statement.
    ExplicitDeny,
    /// No matching statement.
    ImplicitDeny,
    /// The layer exists but does not apply to this request (an SCP for a service principal, a
    /// boundary for the root user, ...); `note` says why.
    NotApplicable,
}

/// How a resource-based policy statement names the requesting principal; this decides which
/// implicit denies elsewhere still limit it (evaluation logic page, "Resource-based policies").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Grant {
    /// The principal's account (account ID or `:root` ARN): access is delegated to the account, so
    /// the principal's identity-based policies must also allow (except for the root user).
    Account,
    /// The role ARN of a role session, or the IAM user that created a federated user session:
    /// not limited by the identity-based policies, but by an implicit deny in a permissions
    /// boundary or session policy.
    Issuer,
    /// The principal itself (user ARN, role session ARN, federated user ARN, service, `*`): not
    /// limited by implicit denies in identity-based policies, boundaries or session policies.
    Direct,
}

/// One evaluated condition entry (`operator`, `key`, values).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionTrace {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists` (shared with the compiled
    /// policy: a trace does not copy it).
    pub operator: Arc<str>,
    /// The condition key as written (shared with the compiled policy).
    pub key: Arc<str>,
    /// The policy values after policy-variable substitution (`null` for a variable with no value).
    pub policy_values: Vec<Option<String>>,
    /// The request's values for the key; `null` when the request does not carry it.
    pub request_values: Option<Vec<String>>,
    pub result: bool,
    /// True when the request lacks the key.
    pub missing: bool,
    /// Range of the condition key in the policy text.
    pub range: TextRange,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One statement whose action matched the request (statements that do not mention the action are
/// left out: they cannot apply).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementTrace {
    pub policy_index: usize,
    /// The policy's name, shared with the compiled policy (as are `sid` and `pointer`): a trace
    /// does not copy them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Arc<str>>,
    pub statement_index: usize,
    /// `Allow` or `Deny`.
    pub effect: Cow<'static, str>,
    /// Range of the statement in its policy text.
    pub range: TextRange,
    /// The same range within the scenario document, when the policy was embedded as a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_range: Option<TextRange>,
    pub pointer: Arc<str>,
    pub resource_matched: bool,
    /// `null` in layers without a `Principal` element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_matched: Option<bool>,
    pub conditions_matched: bool,
    /// Action, resource, principal and conditions all matched: the statement applies.
    pub matched: bool,
    /// In resource-based layers: how the statement names the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<Grant>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionTrace>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One layer, or one level of SCPs/RCPs, or one VPC endpoint policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerTrace {
    pub layer: Layer,
    /// SCP/RCP level (0 = organization root) or VPC endpoint policy index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    pub outcome: LayerOutcome,
    /// Resource layer: the strongest grant among the matching Allow statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<Grant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub statements: Vec<StatementTrace>,
}

/// The requesting principal as iamscope understood it. `'r` is the request's lifetime: `id` and
/// `account` borrow from the request's principal where they can (see [`EvalResult`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalSummary<'r> {
    /// `root`, `user`, `role`, `roleSession`, `federatedUser`, `service`, `identityProvider`,
    /// `anonymous`.
    pub kind: Cow<'static, str>,
    pub id: Cow<'r, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Cow<'r, str>>,
}

impl PrincipalSummary<'_> {
    /// The same summary owning its strings (no longer tied to the request).
    pub fn into_owned(self) -> PrincipalSummary<'static> {
        PrincipalSummary {
            kind: self.kind,
            id: Cow::Owned(self.id.into_owned()),
            account: self.account.map(|a| Cow::Owned(a.into_owned())),
        }
    }
}

/// The answer to one request. `'r` is the lifetime of the request it answers: the fields that
/// repeat the request (`principal.id`, `principal.account`, `action`, `resource`,
/// `resource_account`) borrow from it instead of copying it, so a prepared traced evaluation
/// allocates no string for them; [`into_owned`](Self::into_owned) detaches an answer from its
/// request. The serialised form does not depend on whether a field is borrowed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvalResult<'r> {
    pub decision: Decision,
    /// The layer that decided: the one with the explicit deny, or the first that lacked an allow;
    /// for an Allow, the layer that granted it (`resource` or `identity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deciding_layer: Option<Layer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deciding_level: Option<usize>,
    /// The steps of the decision, in order, one sentence each (most are fixed sentences, not
    /// copied per answer).
    pub reasons: Vec<Cow<'static, str>>,
    pub principal: PrincipalSummary<'r>,
    pub action: Cow<'r, str>,
    pub resource: Cow<'r, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<Cow<'r, str>>,
    pub cross_account: bool,
    /// `trust` (role trust policy) or `kms` (key policy) when the resource policy must allow
    /// explicitly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_policy_required: Option<Cow<'static, str>>,
    pub layers: Vec<LayerTrace>,
    /// Context keys that a condition or a policy variable needed but the request did not carry,
    /// sorted and unique (also when the outcome did not depend on them).
    pub missing_context_keys: Vec<String>,
    /// Context keys iamscope set from the principal, the resource or another key, with values.
    pub derived_context: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl EvalResult<'_> {
    /// The same answer owning the strings it borrowed from its request.
    pub fn into_owned(self) -> EvalResult<'static> {
        let own = |s: Cow<'_, str>| Cow::Owned(s.into_owned());
        EvalResult {
            decision: self.decision,
            deciding_layer: self.deciding_layer,
            deciding_level: self.deciding_level,
            reasons: self.reasons,
            principal: self.principal.into_owned(),
            action: own(self.action),
            resource: own(self.resource),
            resource_account: self.resource_account.map(own),
            cross_account: self.cross_account,
            resource_policy_required: self.resource_policy_required,
            layers: self.layers,
            missing_context_keys: self.missing_context_keys,
            derived_context: self.derived_context,
            warnings: self.warnings,
        }
    }
}

/// A problem that prevents evaluation: an invalid scenario, request or policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvalError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Layer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// Range in the policy text (policy errors) or the scenario document (scenario errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<TextRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl EvalError {
    pub fn request(message: impl Into<String>, pointer: &str) -> EvalError {
        EvalError {
            code: "INVALID_REQUEST".into(),
            message: message.into(),
            layer: None,
            level: None,
            policy_index: None,
            policy_name: None,
            range: None,
            pointer: Some(pointer.into()),
        }
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(layer) = self.layer {
            write!(f, "{layer}")?;
            if let Some(l) = self.level {
                write!(f, "[{l}]")?;
            }
            if let Some(i) = self.policy_index {
                write!(f, " policy {i}")?;
            }
            if let Some(n) = &self.policy_name {
                write!(f, " ({n})")?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// The serialised form of an evaluation that could not run: `{"decision": null, "errors": [...]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorResult {
    pub decision: Option<Decision>,
    pub errors: Vec<EvalError>,
}

#[cfg(test)]
mod tests {
    use super::Decision;

    #[test]
    fn decision_parse_takes_the_three_names_in_any_case_only() {
        let all = [
            Decision::Allow,
            Decision::ExplicitDeny,
            Decision::ImplicitDeny,
        ];
        for d in all {
            let name = d.as_str();
            assert_eq!(Decision::parse(name), Some(d));
            assert_eq!(Decision::parse(&name.to_ascii_lowercase()), Some(d));
            assert_eq!(Decision::parse(&name.to_ascii_uppercase()), Some(d));
            assert_eq!(Decision::parse(&format!("{name} ")), None);
            assert_eq!(Decision::parse(&name[1..]), None);
        }
        for other in [
            "",
            "Deny",
            "allow ",
            "Alloz",
            "ExplicitDenx",
            "ImplicitAllo",
            "EmplicitDeny",
            "xmplicitDeny",
            "Explicit\u{e9}en",
            "\u{e9}llo",
            "\u{e9}xplicitDen",
        ] {
            assert_eq!(Decision::parse(other), None, "{other:?}");
        }
    }
}
