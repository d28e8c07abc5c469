//! The scenario file: the policies of every layer and one request.
//!
//! ```json
//! {
//!   "policies": {
//!     "identity": [policy, ...],
//!     "resource": policy | null,
//!     "boundary": policy | null,
//!     "session": policy | null,
//!     "scp": [[policies at the root], [at the next OU], ..., [at the account]],
//!     "rcp": [[...], ...],
//!     "vpcEndpoint": [policy, ...]
//!   },
//!   "request": {
//!     "principal": "arn:aws:iam::111122223333:user/alice",
//!     "action": "s3:GetObject",
//!     "resource": "arn:aws:s3:::bucket/key",
//!     "resourceAccount": "111122223333",
//!     "context": {"aws:SourceIp": "10.1.2.3", "aws:TagKeys": ["a", "b"]}
//!   }
//! }
//! ```
//!
//! A policy is JSON text (a string), a JSON value (an object), or `{"name": "...", "policy": ...}`
//! with either form. Optional fields: at the top level `managementAccount` (SCPs do not apply to its
//! principals, RCPs not to its resources), `rcpFullAccess` (default `true`: the AWS-managed
//! `RCPFullAWSAccess` is attached to every RCP level, as AWS always does), `expect`, `doc`, `name`,
//! `description`; in the request `sessionIssuer` (the role or IAM user a session belongs to, when it
//! differs from what the session ARN says), `serviceLinkedRole` (SCPs do not apply), and
//! `deriveContext` (default `true`).

use iamscope_syntax::{Json, JsonKind, Limits, TextRange};
use serde::{Deserialize, Serialize};

use crate::result::{Decision, EvalError, Layer};

/// One policy document as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicySource {
    /// A name for messages and traces (`{"name": ..., "policy": ...}` in the scenario).
    pub name: Option<String>,
    /// The policy text; statement ranges in results are byte offsets into it.
    pub text: String,
    /// When the policy was embedded in a scenario document as a JSON value: the byte offset of the
    /// text within that document (add it to a range to point into the scenario file).
    pub offset: Option<u32>,
}

impl PolicySource {
    pub fn new(text: impl Into<String>) -> PolicySource {
        PolicySource {
            name: None,
            text: text.into(),
            offset: None,
        }
    }

    pub fn named(name: impl Into<String>, text: impl Into<String>) -> PolicySource {
        PolicySource {
            name: Some(name.into()),
            text: text.into(),
            offset: None,
        }
    }
}

/// The policies of every layer, and the organization settings that decide where SCPs and RCPs
/// apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicySet {
    pub identity: Vec<PolicySource>,
    pub resource: Option<PolicySource>,
    pub boundary: Option<PolicySource>,
    pub session: Option<PolicySource>,
    /// SCP levels from the organization root down to the account.
    pub scp: Vec<Vec<PolicySource>>,
    /// RCP levels from the organization root down to the account.
    pub rcp: Vec<Vec<PolicySource>>,
    pub vpc_endpoint: Vec<PolicySource>,
    /// The organization's management account: SCPs do not apply to its principals and RCPs do not
    /// apply to its resources.
    pub management_account: Option<String>,
    /// Attach the AWS-managed `RCPFullAWSAccess` to every RCP level (AWS always does; it cannot be
    /// detached). Default `true`.
    pub rcp_full_access: bool,
}

impl Default for PolicySet {
    fn default() -> Self {
        PolicySet {
            identity: Vec::new(),
            resource: None,
            boundary: None,
            session: None,
            scp: Vec::new(),
            rcp: Vec::new(),
            vpc_endpoint: Vec::new(),
            management_account: None,
            rcp_full_access: true,
        }
    }
}

/// One request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// An ARN (user, role, assumed-role session, federated user, account root), a 12-digit account
    /// id (the root user), a service principal such as `lambda.amazonaws.com`, an identity provider
    /// (`accounts.google.com`, a SAML or OIDC provider ARN), or `anonymous`.
    pub principal: String,
    pub action: String,
    /// An ARN or `*`.
    pub resource: String,
    /// The account that owns the resource; taken from the resource ARN when absent.
    pub resource_account: Option<String>,
    /// Context keys (as written; matched case-insensitively) and their values.
    pub context: Vec<(String, Vec<String>)>,
    /// The role ARN (with its path) or the IAM user ARN that a session belongs to.
    pub session_issuer: Option<String>,
    /// Override the detection of service-linked roles (path `/aws-service-role/`).
    pub service_linked_role: Option<bool>,
    /// Add the context keys AWS sets from the principal and the resource (default `true`).
    pub derive_context: bool,
}

impl Request {
    pub fn new(
        principal: impl Into<String>,
        action: impl Into<String>,
        resource: impl Into<String>,
    ) -> Request {
        Request {
            principal: principal.into(),
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context: Vec::new(),
            session_issuer: None,
            service_linked_role: None,
            derive_context: true,
        }
    }

    /// Adds (or replaces) a context key.
    pub fn with_context<I, S>(mut self, key: impl Into<String>, values: I) -> Request
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let key = key.into();
        self.context.retain(|(k, _)| !k.eq_ignore_ascii_case(&key));
        self.context
            .push((key, values.into_iter().map(Into::into).collect()));
        self
    }
}

/// A scenario file: policies, a request, and optionally the expected decision and the AWS page
/// section that a test case encodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub policies: PolicySet,
    pub request: Request,
    pub expect: Option<Decision>,
    pub doc: Option<String>,
    pub name: Option<String>,
    /// Unknown top-level or request fields (reported, not fatal).
    pub warnings: Vec<String>,
}

/// The largest scenario document accepted (several large managed policies fit easily).
pub const MAX_SCENARIO_BYTES: usize = 32 * 1024 * 1024;

fn err(message: impl Into<String>, json: Option<&Json>, pointer: &str) -> EvalError {
    EvalError {
        code: "INVALID_SCENARIO".into(),
        message: message.into(),
        layer: None,
        level: None,
        policy_index: None,
        policy_name: None,
        range: json.map(|j| j.range),
        pointer: Some(pointer.to_string()),
    }
}

impl Scenario {
    /// Parses a scenario document. Errors name the offending field with its range in `text`.
    pub fn parse(text: &str) -> Result<Scenario, Vec<EvalError>> {
        Self::parse_with_texts(text, &[])
    }

    /// Parses a scenario document whose policy texts were taken out of it (the JavaScript wrapper
    /// does this so that a large policy is neither escaped into the scenario's JSON nor unescaped
    /// and copied again here): each `(pointer, text)` of `texts` stands for the JSON number found
    /// at `pointer` (`/policies/identity/0`, `/policies/resource`, `/policies/scp/1/0/policy`...),
    /// where a policy goes. A number at a policy place that no pair names is the usual error.
    /// Equal to [`parse`](Self::parse) of the document with each text put back as a JSON string,
    /// except for ranges into the document itself (`scenarioRange`, errors outside policies).
    pub fn parse_with_texts(
        text: &str,
        texts: &[(&str, &str)],
    ) -> Result<Scenario, Vec<EvalError>> {
        // Policy texts are strings inside a scenario: `parse_document` allows them as long as the
        // document.
        let json = parse_document(text, "the scenario")?;
        Self::build(Parser::new(text, texts), &json)
    }

    /// Builds a scenario from an already parsed document (`text` is the text it was parsed from).
    pub fn from_json(text: &str, json: &Json) -> Result<Scenario, Vec<EvalError>> {
        Self::build(Parser::new(text, &[]), json)
    }

    fn build(mut p: Parser<'_>, json: &Json) -> Result<Scenario, Vec<EvalError>> {
        match p.scenario(json) {
            Some(mut s) if p.errors.is_empty() => {
                s.warnings = p.warnings;
                Ok(s)
            }
            _ => Err(p.errors),
        }
    }
}

fn parse_document(text: &str, what: &str) -> Result<Json, Vec<EvalError>> {
    let limits = Limits {
        max_bytes: MAX_SCENARIO_BYTES,
        max_string_bytes: MAX_SCENARIO_BYTES,
        ..Limits::default()
    };
    iamscope_syntax::parse(text, &limits).map_err(|d| {
        vec![EvalError {
            code: d.code.clone(),
            message: format!("{what} is not valid JSON: {}", d.message),
            layer: None,
            level: None,
            policy_index: None,
            policy_name: None,
            range: Some(d.range),
            pointer: None,
        }]
    })
}

impl PolicySet {
    /// Parses the `policies` object of a scenario on its own, for preparing a set once and
    /// evaluating many requests (the JavaScript `prepare`). Besides the layers it accepts the
    /// scenario's top-level `managementAccount` and `rcpFullAccess`. Returns the set and warnings
    /// (unknown fields); errors point into `text` with the scenario's pointers (`/policies/...`).
    pub fn parse(text: &str) -> Result<(PolicySet, Vec<String>), Vec<EvalError>> {
        let json = parse_document(text, "the policies")?;
        let mut p = Parser::new(text, &[]);
        let mut layers = json.clone();
        if let JsonKind::Object(members) = &mut layers.kind {
            members.retain(|m| m.key != "managementAccount" && m.key != "rcpFullAccess");
        }
        let mut set = p.policies(&layers);
        if let Some(m) = json.get("managementAccount") {
            set.management_account = p.opt_string(m, "/managementAccount");
        }
        if let Some(v) = json.get("rcpFullAccess") {
            match v.kind {
                JsonKind::Bool(b) => set.rcp_full_access = b,
                _ => p.fail(
                    "rcpFullAccess must be true or false",
                    Some(v),
                    "/rcpFullAccess",
                ),
            }
        }
        if p.errors.is_empty() {
            Ok((set, p.warnings))
        } else {
            Err(p.errors)
        }
    }
}

impl Request {
    /// Parses the `request` object of a scenario on its own. Returns the request and warnings
    /// (unknown fields).
    pub fn parse(text: &str) -> Result<(Request, Vec<String>), Vec<EvalError>> {
        let json = parse_document(text, "the request")?;
        let mut p = Parser::new(text, &[]);
        match p.request(&json) {
            Some(r) if p.errors.is_empty() => Ok((r, p.warnings)),
            _ => Err(p.errors),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    /// Policy texts given apart from the document, by the pointer of their place (see
    /// [`Scenario::parse_with_texts`]).
    texts: &'a [(&'a str, &'a str)],
    errors: Vec<EvalError>,
    warnings: Vec<String>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, texts: &'a [(&'a str, &'a str)]) -> Self {
        Parser {
            text,
            texts,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

const TOP_FIELDS: &[&str] = &[
    "policies",
    "request",
    "expect",
    "doc",
    "name",
    "description",
    "managementAccount",
    "rcpFullAccess",
    // Checked by the test-case runner (tests/eval/cases).
    "expectDecidingLayer",
    "expectDecidingLevel",
    "expectMissingContextKeys",
];
const POLICY_FIELDS: &[&str] = &[
    "identity",
    "resource",
    "boundary",
    "session",
    "scp",
    "rcp",
    "vpcEndpoint",
];
const REQUEST_FIELDS: &[&str] = &[
    "principal",
    "action",
    "resource",
    "resourceAccount",
    "context",
    "sessionIssuer",
    "serviceLinkedRole",
    "deriveContext",
];

impl Parser<'_> {
    fn fail(&mut self, message: impl Into<String>, json: Option<&Json>, pointer: &str) {
        self.errors.push(err(message, json, pointer));
    }

    fn unknown_fields(&mut self, json: &Json, known: &[&str], pointer: &str) {
        if let Some(members) = json.as_object() {
            for m in members {
                if !known.contains(&m.key.as_str()) {
                    self.warnings.push(format!(
                        "unknown field \"{}\" at {pointer}/ is ignored (known: {})",
                        m.key,
                        known.join(", ")
                    ));
                }
            }
        }
    }

    fn scenario(&mut self, json: &Json) -> Option<Scenario> {
        if json.as_object().is_none() {
            self.fail("a scenario must be a JSON object", Some(json), "");
            return None;
        }
        self.unknown_fields(json, TOP_FIELDS, "");
        let mut policies = match json.get("policies") {
            None => PolicySet::default(),
            Some(p) => self.policies(p),
        };
        if let Some(m) = json.get("managementAccount") {
            policies.management_account = self.opt_string(m, "/managementAccount");
        }
        if let Some(v) = json.get("rcpFullAccess") {
            match v.kind {
                JsonKind::Bool(b) => policies.rcp_full_access = b,
                _ => self.fail(
                    "rcpFullAccess must be true or false",
                    Some(v),
                    "/rcpFullAccess",
                ),
            }
        }
        let request = match json.get("request") {
            Some(r) => self.request(r),
            None => {
                self.fail("the scenario has no \"request\"", Some(json), "");
                None
            }
        };
        let expect = match json.get("expect") {
            None => None,
            Some(v) => match v.as_str().and_then(Decision::parse) {
                Some(d) => Some(d),
                None => {
                    self.fail(
                        "expect must be \"Allow\", \"ExplicitDeny\" or \"ImplicitDeny\"",
                        Some(v),
                        "/expect",
                    );
                    None
                }
            },
        };
        let doc = json.get("doc").and_then(|d| self.opt_string(d, "/doc"));
        let name = json.get("name").and_then(|d| self.opt_string(d, "/name"));
        Some(Scenario {
            policies,
            request: request?,
            expect,
            doc,
            name,
            warnings: Vec::new(),
        })
    }

    fn opt_string(&mut self, v: &Json, pointer: &str) -> Option<String> {
        match &v.kind {
            JsonKind::String(s) => Some(s.clone()),
            JsonKind::Null => None,
            _ => {
                self.fail(format!("{pointer} must be a string"), Some(v), pointer);
                None
            }
        }
    }

    fn policies(&mut self, json: &Json) -> PolicySet {
        let mut set = PolicySet::default();
        if json.as_object().is_none() {
            self.fail("\"policies\" must be an object", Some(json), "/policies");
            return set;
        }
        self.unknown_fields(json, POLICY_FIELDS, "/policies");
        if let Some(v) = json.get("identity") {
            set.identity = self.policy_list(v, "/policies/identity");
        }
        for (field, slot) in [
            ("resource", &mut set.resource),
            ("boundary", &mut set.boundary),
            ("session", &mut set.session),
        ] {
            if let Some(v) = json.get(field) {
                *slot = match v.kind {
                    JsonKind::Null => None,
                    _ => self.policy(v, &format!("/policies/{field}")),
                };
            }
        }
        for (field, slot) in [("scp", &mut set.scp), ("rcp", &mut set.rcp)] {
            if let Some(v) = json.get(field) {
                let ptr = format!("/policies/{field}");
                match &v.kind {
                    JsonKind::Null => {}
                    JsonKind::Array(levels) => {
                        for (i, level) in levels.iter().enumerate() {
                            let p = format!("{ptr}/{i}");
                            let list = self.policy_list(level, &p);
                            slot.push(list);
                        }
                    }
                    _ => self.fail(
                        format!(
                            "\"{field}\" must be an array of levels (each an array of policies), from the organization root to the account"
                        ),
                        Some(v),
                        &ptr,
                    ),
                }
            }
        }
        if let Some(v) = json.get("vpcEndpoint") {
            set.vpc_endpoint = self.policy_list(v, "/policies/vpcEndpoint");
        }
        set
    }

    /// An array of policies; a single policy is accepted as a list of one.
    fn policy_list(&mut self, json: &Json, pointer: &str) -> Vec<PolicySource> {
        match &json.kind {
            JsonKind::Null => Vec::new(),
            JsonKind::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.policy(item, &format!("{pointer}/{i}")))
                .collect(),
            _ => self.policy(json, pointer).into_iter().collect(),
        }
    }

    fn policy(&mut self, json: &Json, pointer: &str) -> Option<PolicySource> {
        match &json.kind {
            JsonKind::String(s) => Some(PolicySource::new(s.clone())),
            JsonKind::Number(_) if self.texts.iter().any(|(p, _)| *p == pointer) => self
                .texts
                .iter()
                .find(|(p, _)| *p == pointer)
                .map(|(_, t)| PolicySource::new(*t)),
            JsonKind::Object(_)
                if json.get("policy").is_some() && json.get("Statement").is_none() =>
            {
                let name = json
                    .get("name")
                    .and_then(|n| self.opt_string(n, &format!("{pointer}/name")));
                let inner = json.get("policy").expect("checked");
                let mut p = self.policy(inner, &format!("{pointer}/policy"))?;
                p.name = name;
                Some(p)
            }
            JsonKind::Object(_) => {
                let range = json.range;
                Some(PolicySource {
                    name: None,
                    text: range.slice(self.text).to_string(),
                    offset: Some(range.start),
                })
            }
            _ => {
                self.fail(
                    format!(
                        "a policy must be JSON text (a string), a policy object, or {{\"name\": ..., \"policy\": ...}}; found {}",
                        json.type_name()
                    ),
                    Some(json),
                    pointer,
                );
                None
            }
        }
    }

    fn request(&mut self, json: &Json) -> Option<Request> {
        if json.as_object().is_none() {
            self.fail("\"request\" must be an object", Some(json), "/request");
            return None;
        }
        self.unknown_fields(json, REQUEST_FIELDS, "/request");
        let mut required = |field: &str| -> Option<String> {
            match json.get(field) {
                Some(Json {
                    kind: JsonKind::String(s),
                    ..
                }) => Some(s.clone()),
                Some(other) => {
                    self.fail(
                        format!("request.{field} must be a string"),
                        Some(other),
                        &format!("/request/{field}"),
                    );
                    None
                }
                None => {
                    self.fail(
                        format!("the request has no \"{field}\""),
                        Some(json),
                        "/request",
                    );
                    None
                }
            }
        };
        let principal = required("principal");
        let action = required("action");
        let resource = required("resource");
        let resource_account = json
            .get("resourceAccount")
            .and_then(|v| self.opt_string(v, "/request/resourceAccount"));
        let session_issuer = json
            .get("sessionIssuer")
            .and_then(|v| self.opt_string(v, "/request/sessionIssuer"));
        let mut service_linked_role = None;
        if let Some(v) = json.get("serviceLinkedRole") {
            match v.kind {
                JsonKind::Bool(b) => service_linked_role = Some(b),
                JsonKind::Null => {}
                _ => self.fail(
                    "serviceLinkedRole must be true or false",
                    Some(v),
                    "/request/serviceLinkedRole",
                ),
            }
        }
        let mut derive_context = true;
        if let Some(v) = json.get("deriveContext") {
            match v.kind {
                JsonKind::Bool(b) => derive_context = b,
                _ => self.fail(
                    "deriveContext must be true or false",
                    Some(v),
                    "/request/deriveContext",
                ),
            }
        }
        let mut context = Vec::new();
        if let Some(c) = json.get("context") {
            match &c.kind {
                JsonKind::Null => {}
                JsonKind::Object(members) => {
                    for m in members {
                        let ptr = format!(
                            "/request/context/{}",
                            iamscope_policy::escape_pointer(&m.key)
                        );
                        let values = match &m.value.kind {
                            JsonKind::Array(items) => items
                                .iter()
                                .enumerate()
                                .filter_map(|(i, v)| self.context_value(v, &format!("{ptr}/{i}")))
                                .collect(),
                            _ => self.context_value(&m.value, &ptr).into_iter().collect(),
                        };
                        context.retain(|(k, _): &(String, Vec<String>)| {
                            !k.eq_ignore_ascii_case(&m.key)
                        });
                        context.push((m.key.clone(), values));
                    }
                }
                _ => self.fail(
                    "request.context must be an object of key: value or key: [values]",
                    Some(c),
                    "/request/context",
                ),
            }
        }
        Some(Request {
            principal: principal?,
            action: action?,
            resource: resource?,
            resource_account,
            context,
            session_issuer,
            service_linked_role,
            derive_context,
        })
    }

    fn context_value(&mut self, v: &Json, pointer: &str) -> Option<String> {
        match &v.kind {
            JsonKind::String(s) => Some(s.clone()),
            JsonKind::Number(n) => Some(n.clone()),
            JsonKind::Bool(b) => Some(b.to_string()),
            _ => {
                self.fail(
                    format!(
                        "a context value must be a string, number or boolean, found {}",
                        v.type_name()
                    ),
                    Some(v),
                    pointer,
                );
                None
            }
        }
    }
}

/// Where a policy sits: its layer, its level (SCP and RCP) and its position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRef {
    pub layer: Layer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    pub index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Byte offset of the policy text in the scenario document, when it was embedded as a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
}

impl PolicySet {
    /// Every policy with its place, in layer order.
    pub fn iter(&self) -> impl Iterator<Item = (PolicyRef, &PolicySource)> {
        let mut items: Vec<(Layer, Option<usize>, usize, &PolicySource)> = Vec::new();
        for (i, p) in self.identity.iter().enumerate() {
            items.push((Layer::Identity, None, i, p));
        }
        if let Some(p) = &self.resource {
            items.push((Layer::Resource, None, 0, p));
        }
        if let Some(p) = &self.boundary {
            items.push((Layer::Boundary, None, 0, p));
        }
        if let Some(p) = &self.session {
            items.push((Layer::Session, None, 0, p));
        }
        for (l, level) in self.scp.iter().enumerate() {
            for (i, p) in level.iter().enumerate() {
                items.push((Layer::Scp, Some(l), i, p));
            }
        }
        for (l, level) in self.rcp.iter().enumerate() {
            for (i, p) in level.iter().enumerate() {
                items.push((Layer::Rcp, Some(l), i, p));
            }
        }
        for (i, p) in self.vpc_endpoint.iter().enumerate() {
            items.push((Layer::VpcEndpoint, None, i, p));
        }
        items.into_iter().map(|(layer, level, index, p)| {
            (
                PolicyRef {
                    layer,
                    level,
                    index,
                    name: p.name.clone(),
                    offset: p.offset,
                },
                p,
            )
        })
    }
}

/// The range of `range` (relative to a policy text) within the scenario document, when known.
pub fn scenario_range(offset: Option<u32>, range: TextRange) -> Option<TextRange> {
    offset.map(|o| range.shifted(o))
}
