//! Structure-aware scenario generation for the fuzz targets: `arbitrary` picks a small
//! structure (layers, statements, conditions, a request) from pools of realistic values mixed
//! with raw fuzzer strings, and [`GenScenario::to_json`] writes the scenario document that
//! `iamscope_eval::Scenario::parse` reads.

use arbitrary::{Arbitrary, Unstructured};
use serde_json::{Map, Value, json};

const ACCOUNTS: &[&str] = &["111122223333", "444455556666", "777788889999"];
const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:*",
    "s3:Get*",
    "*",
    "iam:PassRole",
    "sts:AssumeRole",
    "kms:Decrypt",
    "ec2:RunInstances",
    "ec2:Describe*",
    "*:Get*",
    "s3:?etObject",
    "dynamodb:GetItem",
    "lambda:InvokeFunction",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::${aws:username}/*",
    "arn:aws:iam::111122223333:role/admin",
    "arn:aws:iam::444455556666:role/*",
    "arn:aws:kms:us-east-1:111122223333:key/1234",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:dynamodb:us-east-1:111122223333:table/t",
];
const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:role/admin",
    "arn:aws:sts::111122223333:assumed-role/admin/session",
    "arn:aws:iam::444455556666:user/bob",
    "arn:aws:iam::111122223333:root",
    "111122223333",
    "lambda.amazonaws.com",
    "anonymous",
    "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
    "arn:aws:sts::111122223333:federated-user/fed",
];
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringLike",
    "StringEqualsIfExists",
    "ArnLike",
    "ArnNotEquals",
    "NumericLessThan",
    "NumericGreaterThanEquals",
    "DateGreaterThan",
    "DateLessThanEquals",
    "Bool",
    "BoolIfExists",
    "IpAddress",
    "NotIpAddress",
    "Null",
    "BinaryEquals",
    "ForAnyValue:StringLikeIfExists",
];
const KEYS: &[&str] = &[
    "aws:username",
    "aws:PrincipalTag/team",
    "aws:SourceIp",
    "aws:SecureTransport",
    "aws:CurrentTime",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:ResourceAccount",
    "aws:SourceVpc",
    "s3:prefix",
    "s3:max-keys",
    "aws:TagKeys",
    "aws:MultiFactorAuthAge",
    "aws:PrincipalOrgID",
];
const VALUES: &[&str] = &[
    "alice",
    "true",
    "false",
    "10",
    "-3.5",
    "203.0.113.0/24",
    "203.0.113.7",
    "2001:db8::/32",
    "2020-01-01T00:00:00Z",
    "1700000000",
    "arn:aws:iam::111122223333:*",
    "${aws:username}",
    "*",
    "a*b?",
    "o-abc",
    "dGVzdA==",
    "111122223333",
];

/// A string from a pool, or (one time in four) raw fuzzer text.
#[derive(Debug)]
pub struct Pick<const P: u8>(pub String);

fn pool(p: u8) -> &'static [&'static str] {
    match p {
        0 => ACCOUNTS,
        1 => ACTIONS,
        2 => RESOURCES,
        3 => PRINCIPALS,
        4 => OPERATORS,
        5 => KEYS,
        _ => VALUES,
    }
}

impl<'a, const P: u8> Arbitrary<'a> for Pick<P> {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let items = pool(P);
        if u.ratio(1, 4)? {
            let s: String = u.arbitrary()?;
            Ok(Pick(s.chars().take(64).collect()))
        } else {
            Ok(Pick((*u.choose(items)?).to_string()))
        }
    }
}

type Action = Pick<1>;
type Resource = Pick<2>;
type Principal = Pick<3>;
type Operator = Pick<4>;
type Key = Pick<5>;
type CValue = Pick<6>;

#[derive(Debug, Arbitrary)]
pub struct GenCondition {
    pub operator: Operator,
    pub key: Key,
    pub values: Vec<CValue>,
    pub as_array: bool,
}

#[derive(Debug, Arbitrary)]
pub enum GenPrincipal {
    Star,
    Aws(Vec<Principal>),
    Service(Principal),
}

#[derive(Debug, Arbitrary)]
pub struct GenStatement {
    pub deny: bool,
    pub not_action: bool,
    pub actions: Vec<Action>,
    pub not_resource: bool,
    pub resources: Vec<Resource>,
    pub principal: Option<GenPrincipal>,
    pub not_principal: bool,
    pub conditions: Vec<GenCondition>,
}

#[derive(Debug, Arbitrary)]
pub struct GenPolicy {
    pub statements: Vec<GenStatement>,
}

#[derive(Debug, Arbitrary)]
pub struct GenRequest {
    pub principal: Principal,
    pub action: Action,
    pub resource: Resource,
    pub context: Vec<(Key, Vec<CValue>)>,
    pub session_issuer: Option<Principal>,
    pub resource_account: Option<Pick<0>>,
    pub derive_context: bool,
}

#[derive(Debug, Arbitrary)]
pub struct GenScenario {
    pub identity: Vec<GenPolicy>,
    pub resource: Option<GenPolicy>,
    pub boundary: Option<GenPolicy>,
    pub session: Option<GenPolicy>,
    pub scp: Vec<Vec<GenPolicy>>,
    pub rcp: Vec<Vec<GenPolicy>>,
    pub vpc_endpoint: Vec<GenPolicy>,
    pub management_account: Option<Pick<0>>,
    pub rcp_full_access: bool,
    pub request: GenRequest,
}

fn list(items: &[Pick<1>]) -> Value {
    one_or_many(
        items.iter().map(|p| p.0.clone()).collect(),
        items.len() != 1,
    )
}

fn one_or_many(items: Vec<String>, array: bool) -> Value {
    if !array && items.len() == 1 {
        Value::String(items[0].clone())
    } else {
        Value::Array(items.into_iter().map(Value::String).collect())
    }
}

impl GenStatement {
    fn to_json(&self) -> Value {
        let mut s = Map::new();
        s.insert(
            "Effect".into(),
            json!(if self.deny { "Deny" } else { "Allow" }),
        );
        let a = if self.not_action {
            "NotAction"
        } else {
            "Action"
        };
        s.insert(a.into(), list(&self.actions));
        let r = if self.not_resource {
            "NotResource"
        } else {
            "Resource"
        };
        s.insert(
            r.into(),
            one_or_many(self.resources.iter().map(|p| p.0.clone()).collect(), false),
        );
        if let Some(p) = &self.principal {
            let v = match p {
                GenPrincipal::Star => json!("*"),
                GenPrincipal::Aws(list) => {
                    json!({"AWS": one_or_many(list.iter().map(|p| p.0.clone()).collect(), false)})
                }
                GenPrincipal::Service(s) => json!({"Service": s.0}),
            };
            let k = if self.not_principal {
                "NotPrincipal"
            } else {
                "Principal"
            };
            s.insert(k.into(), v);
        }
        if !self.conditions.is_empty() {
            let mut c: Map<String, Value> = Map::new();
            for cond in &self.conditions {
                let block = c
                    .entry(cond.operator.0.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(block) = block {
                    block.insert(
                        cond.key.0.clone(),
                        one_or_many(
                            cond.values.iter().map(|v| v.0.clone()).collect(),
                            cond.as_array,
                        ),
                    );
                }
            }
            s.insert("Condition".into(), Value::Object(c));
        }
        Value::Object(s)
    }
}

impl GenPolicy {
    pub fn to_json(&self) -> Value {
        json!({
            "Version": "2012-10-17",
            "Statement": self.statements.iter().map(GenStatement::to_json).collect::<Vec<_>>(),
        })
    }
}

impl GenScenario {
    /// The scenario document.
    pub fn to_json(&self) -> String {
        let mut policies = Map::new();
        let many = |ps: &[GenPolicy]| Value::Array(ps.iter().map(GenPolicy::to_json).collect());
        policies.insert("identity".into(), many(&self.identity));
        for (name, p) in [
            ("resource", &self.resource),
            ("boundary", &self.boundary),
            ("session", &self.session),
        ] {
            if let Some(p) = p {
                policies.insert(name.into(), p.to_json());
            }
        }
        if !self.scp.is_empty() {
            policies.insert(
                "scp".into(),
                Value::Array(self.scp.iter().map(|l| many(l)).collect()),
            );
        }
        if !self.rcp.is_empty() {
            policies.insert(
                "rcp".into(),
                Value::Array(self.rcp.iter().map(|l| many(l)).collect()),
            );
        }
        if !self.vpc_endpoint.is_empty() {
            policies.insert("vpcEndpoint".into(), many(&self.vpc_endpoint));
        }
        if let Some(m) = &self.management_account {
            policies.insert("managementAccount".into(), json!(m.0));
        }
        policies.insert("rcpFullAccess".into(), json!(self.rcp_full_access));
        let r = &self.request;
        let mut request = Map::new();
        request.insert("principal".into(), json!(r.principal.0));
        request.insert("action".into(), json!(r.action.0));
        request.insert("resource".into(), json!(r.resource.0));
        if !r.context.is_empty() {
            let mut c = Map::new();
            for (k, vs) in &r.context {
                c.insert(
                    k.0.clone(),
                    one_or_many(vs.iter().map(|v| v.0.clone()).collect(), vs.len() != 1),
                );
            }
            request.insert("context".into(), Value::Object(c));
        }
        if let Some(s) = &r.session_issuer {
            request.insert("sessionIssuer".into(), json!(s.0));
        }
        if let Some(a) = &r.resource_account {
            request.insert("resourceAccount".into(), json!(a.0));
        }
        request.insert("deriveContext".into(), json!(r.derive_context));
        json!({"policies": Value::Object(policies), "request": Value::Object(request)}).to_string()
    }
}

/// An oracle for IAM wildcards written apart from `iamscope_policy::wildcard`: `*` matches any
/// run of characters, `?` exactly one, other characters themselves (ASCII case folded when
/// `ignore_case`). Greedy scan that returns to the last star on a mismatch: O(|pattern| *
/// |text|) at worst, which is fine for action names.
pub struct NaiveWildcard {
    p: Vec<char>,
    ignore_case: bool,
}

impl NaiveWildcard {
    pub fn new(pattern: &str, ignore_case: bool) -> NaiveWildcard {
        NaiveWildcard {
            p: pattern.chars().collect(),
            ignore_case,
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        if text.is_ascii() {
            let t = text.as_bytes();
            self.run(t.len(), |j| t[j] as char)
        } else {
            let t: Vec<char> = text.chars().collect();
            self.run(t.len(), |j| t[j])
        }
    }

    fn run(&self, n: usize, at: impl Fn(usize) -> char) -> bool {
        let p = &self.p;
        let same = |a: char, b: char| {
            if self.ignore_case {
                a.eq_ignore_ascii_case(&b)
            } else {
                a == b
            }
        };
        let (mut i, mut j) = (0usize, 0usize);
        // (pattern index after the last star, text index that star currently stops at)
        let mut star: Option<(usize, usize)> = None;
        while j < n {
            if i < p.len() && p[i] == '*' {
                star = Some((i + 1, j));
                i += 1;
            } else if i < p.len() && (p[i] == '?' || same(p[i], at(j))) {
                i += 1;
                j += 1;
            } else if let Some((si, sj)) = star {
                // let the last star swallow one more character and retry from there
                i = si;
                j = sj + 1;
                star = Some((si, sj + 1));
            } else {
                return false;
            }
        }
        p[i..].iter().all(|&c| c == '*')
    }
}

/// One-shot [`NaiveWildcard`] match.
pub fn naive_wildcard(pattern: &str, text: &str, ignore_case: bool) -> bool {
    NaiveWildcard::new(pattern, ignore_case).matches(text)
}

#[cfg(test)]
mod tests {
    use super::naive_wildcard as m;

    #[test]
    fn naive_wildcard_cases() {
        assert!(m("*", "", true));
        assert!(m("*", "s3:GetObject", true));
        assert!(m("s3:get*", "s3:GetObject", true));
        assert!(!m("s3:get*", "s3:GetObject", false));
        assert!(m("s3:?etObject", "s3:GetObject", true));
        assert!(!m("s3:?etObject", "s3:etObject", true));
        assert!(m("*a*b", "xxaxxb", true));
        assert!(!m("*a*b", "xxaxxbc", true));
        assert!(m("a*b*c", "abbbc", true));
        assert!(!m("a*b*c", "acb", true));
        assert!(m("é?", "éx", true));
        assert!(!m("", "x", true));
        assert!(m("**", "", true));
        assert!(!m("?", "", true));
    }
}
