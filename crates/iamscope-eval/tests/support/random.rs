//! A seeded generator of random but valid scenarios (real actions with matching resource ARNs,
//! global condition keys with values of their type), shared by the property tests and the
//! differential test's scenario generator (examples/gen_scenarios.rs).

#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

pub const A: &str = "111111111111";
pub const B: &str = "222222222222";

/// (action, resource, resource account)
const REQUESTS: &[(&str, &str)] = &[
    ("s3:GetObject", "arn:aws:s3:::bucket-a/home/alice/key1"),
    ("s3:PutObject", "arn:aws:s3:::bucket-a/home/bob/key2"),
    ("s3:ListBucket", "arn:aws:s3:::bucket-a"),
    (
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111111111111:queue1",
    ),
    ("sns:Publish", "arn:aws:sns:us-east-1:111111111111:topic1"),
    (
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:111111111111:table/t1",
    ),
    ("iam:GetUser", "arn:aws:iam::111111111111:user/alice"),
    ("ec2:DescribeInstances", "*"),
    ("kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/k1"),
    ("sts:AssumeRole", "arn:aws:iam::111111111111:role/target"),
    (
        "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:us-east-1:111111111111:secret:s1-AbCdEf",
    ),
    (
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:111111111111:function:f1",
    ),
];

const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::111111111111:user/bob",
    "arn:aws:iam::222222222222:user/carol",
    "arn:aws:sts::111111111111:assumed-role/app/s1",
    "arn:aws:sts::222222222222:assumed-role/ext/s2",
    "arn:aws:sts::111111111111:federated-user/fred",
    "arn:aws:iam::111111111111:root",
    "sns.amazonaws.com",
    "anonymous",
];

/// A principal value for a `Principal` element that may or may not name the requester.
const PRINCIPAL_VALUES: &[&str] = &[
    "111111111111",
    "222222222222",
    "arn:aws:iam::111111111111:root",
    "arn:aws:iam::222222222222:root",
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::111111111111:user/bob",
    "arn:aws:iam::222222222222:user/carol",
    "arn:aws:iam::111111111111:role/app",
    "arn:aws:iam::222222222222:role/ext",
    "arn:aws:sts::111111111111:assumed-role/app/s1",
    "arn:aws:sts::111111111111:federated-user/fred",
];

const SERVICES: &[&str] = &[
    "s3",
    "sqs",
    "sns",
    "dynamodb",
    "iam",
    "ec2",
    "kms",
    "sts",
    "secretsmanager",
    "lambda",
];

pub struct Gen {
    rng: StdRng,
    /// Only constructs that are valid in every policy grammar iam-simulate checks.
    pub conservative: bool,
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            rng: StdRng::seed_from_u64(seed),
            conservative: false,
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.choose(&mut self.rng).copied().unwrap_or("")
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    /// One scenario in iamscope's format.
    pub fn scenario(&mut self) -> Value {
        let (action, resource) = REQUESTS[self.rng.gen_range(0..REQUESTS.len())];
        let principal = self.pick(PRINCIPALS);
        let is_iam = principal.starts_with("arn:");
        let is_session =
            principal.contains(":assumed-role/") || principal.contains(":federated-user/");
        let mut policies = Map::new();
        if is_iam && !principal.ends_with(":root") {
            let n = self.rng.gen_range(0..=3);
            let ids: Vec<Value> = (0..n)
                .map(|_| self.policy(action, resource, Layer::Identity))
                .collect();
            policies.insert("identity".into(), Value::Array(ids));
            if self.chance(0.2) {
                policies.insert(
                    "boundary".into(),
                    self.policy(action, resource, Layer::Identity),
                );
            }
        }
        if is_session && self.chance(0.3) {
            policies.insert(
                "session".into(),
                self.policy(action, resource, Layer::Identity),
            );
        }
        let needs_resource_policy = action.starts_with("kms:") || action.starts_with("sts:");
        if needs_resource_policy || self.chance(0.6) {
            policies.insert(
                "resource".into(),
                self.policy(action, resource, Layer::Resource),
            );
        }
        if is_iam && self.chance(0.3) {
            let levels = self.rng.gen_range(1..=2);
            let scp: Vec<Value> = (0..levels)
                .map(|_| {
                    let mut level = vec![json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})];
                    if self.chance(0.5) {
                        level.push(self.policy(action, resource, Layer::Scp));
                    }
                    if self.chance(0.2) {
                        // A level with only a narrower allow.
                        level = vec![self.policy(action, resource, Layer::ScpAllow)];
                    }
                    Value::Array(level)
                })
                .collect();
            policies.insert("scp".into(), Value::Array(scp));
        }
        if self.chance(0.1) {
            let vpce = vec![self.policy(action, resource, Layer::VpcEndpoint)];
            policies.insert("vpcEndpoint".into(), Value::Array(vpce));
        }
        if self.chance(0.2) {
            let rcp = vec![Value::Array(vec![self.policy(
                action,
                resource,
                Layer::Rcp,
            )])];
            policies.insert("rcp".into(), Value::Array(rcp));
        }
        let mut request = Map::new();
        request.insert("principal".into(), json!(principal));
        request.insert("action".into(), json!(action));
        request.insert("resource".into(), json!(resource));
        request.insert("resourceAccount".into(), json!(A));
        request.insert("context".into(), self.context());
        json!({"policies": policies, "request": request})
    }

    fn context(&mut self) -> Value {
        let mut ctx = Map::new();
        for (key, kind) in KEYS {
            if !self.chance(0.35) {
                continue;
            }
            let v = match kind {
                KeyType::Multi => {
                    let n = self.rng.gen_range(0..=3);
                    let vals: Vec<Value> = (0..n).map(|_| json!(self.value(*kind))).collect();
                    Value::Array(vals)
                }
                _ => json!(self.value(*kind)),
            };
            ctx.insert((*key).into(), v);
        }
        Value::Object(ctx)
    }

    fn value(&mut self, kind: KeyType) -> String {
        match kind {
            KeyType::Str | KeyType::Multi => self
                .pick(&["red", "blue", "Red", "team-a", "alice", "env", "owner"])
                .into(),
            KeyType::Ip => self
                .pick(&[
                    "10.1.2.3",
                    "10.200.0.1",
                    "192.0.2.10",
                    "203.0.113.7",
                    "2001:db8::1",
                ])
                .into(),
            KeyType::Bool => self.pick(&["true", "false"]).into(),
            KeyType::Date => self
                .pick(&[
                    "2020-01-01T00:00:00Z",
                    "2024-06-01T12:00:00Z",
                    "2030-01-01T00:00:00Z",
                ])
                .into(),
            KeyType::Num => self.pick(&["0", "5", "10", "3600", "7200"]).into(),
            KeyType::Arn => self
                .pick(&[
                    "arn:aws:iam::111111111111:user/alice",
                    "arn:aws:iam::222222222222:role/ext",
                    "arn:aws:sns:us-east-1:111111111111:topic1",
                ])
                .into(),
        }
    }

    fn policy(&mut self, action: &str, resource: &str, layer: Layer) -> Value {
        let n = self.rng.gen_range(1..=3);
        let statements: Vec<Value> = (0..n)
            .map(|_| self.statement(action, resource, layer))
            .collect();
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn statement(&mut self, action: &str, resource: &str, layer: Layer) -> Value {
        let mut st = Map::new();
        let effect = match layer {
            Layer::Rcp | Layer::Scp => "Deny",
            Layer::ScpAllow => "Allow",
            _ => {
                if self.chance(0.3) {
                    "Deny"
                } else {
                    "Allow"
                }
            }
        };
        st.insert("Effect".into(), json!(effect));
        if matches!(layer, Layer::Resource | Layer::Rcp | Layer::VpcEndpoint) {
            let p = if layer == Layer::Rcp || layer == Layer::VpcEndpoint {
                json!("*")
            } else {
                self.principal_element(action)
            };
            if layer == Layer::Resource && effect == "Deny" && self.chance(0.25) {
                // NotPrincipal with Deny: everyone except the listed principals.
                let n = self.rng.gen_range(1..=3);
                let v: Vec<&str> = (0..n).map(|_| self.pick(PRINCIPAL_VALUES)).collect();
                st.insert("NotPrincipal".into(), json!({"AWS": v}));
            } else {
                st.insert("Principal".into(), p);
            }
        }
        let (service, _) = action.split_once(':').unwrap_or(("s3", ""));
        let mut act = self.action_pattern(action, service);
        if layer == Layer::Rcp && act == json!("*") {
            // RCPs allow "*" only in the AWS-managed RCPFullAWSAccess.
            act = json!(format!("{service}:*"));
        }
        if layer != Layer::Rcp && self.chance(0.1) {
            st.insert("NotAction".into(), json!(self.other_action(service)));
        } else {
            st.insert("Action".into(), act);
        }
        let is_trust = action.starts_with("sts:") && layer == Layer::Resource;
        if !is_trust {
            if self.chance(0.08) && layer != Layer::Rcp {
                st.insert(
                    "NotResource".into(),
                    json!(self.resource_pattern(resource, service)),
                );
            } else {
                st.insert(
                    "Resource".into(),
                    json!(self.resource_pattern(resource, service)),
                );
            }
        }
        if self.chance(0.45) {
            st.insert("Condition".into(), self.condition());
        }
        Value::Object(st)
    }

    fn principal_element(&mut self, action: &str) -> Value {
        match self.rng.gen_range(0..10) {
            0 => json!("*"),
            1 => json!({"AWS": "*"}),
            2 => json!({"Service": self.pick(&["sns.amazonaws.com", "lambda.amazonaws.com"])}),
            3 | 4 => {
                let n = self.rng.gen_range(1..=3);
                let v: Vec<&str> = (0..n).map(|_| self.pick(PRINCIPAL_VALUES)).collect();
                json!({"AWS": v})
            }
            _ => {
                let _ = action;
                json!({"AWS": self.pick(PRINCIPAL_VALUES)})
            }
        }
    }

    fn action_pattern(&mut self, action: &str, service: &str) -> Value {
        let name = &action[service.len() + 1..];
        match self.rng.gen_range(0..9) {
            0 => json!("*"),
            1 => json!(format!("{service}:*")),
            2 => json!(format!("{service}:{}*", &name[..name.len().min(3)])),
            3 => json!(action.to_ascii_lowercase()),
            4 => json!([action, self.other_action(service)]),
            5 => json!(self.other_action(service)),
            6 => json!(format!(
                "{service}:*{}",
                &name[name.len().saturating_sub(4)..]
            )),
            _ => json!(action),
        }
    }

    fn other_action(&mut self, service: &str) -> String {
        let others = [
            "s3:DeleteObject",
            "sqs:ReceiveMessage",
            "sns:Subscribe",
            "dynamodb:PutItem",
            "iam:CreateUser",
            "ec2:RunInstances",
            "kms:Encrypt",
            "sts:TagSession",
            "secretsmanager:DescribeSecret",
            "lambda:GetFunction",
        ];
        let same: Vec<&str> = others
            .iter()
            .copied()
            .filter(|a| a.starts_with(&format!("{service}:")))
            .collect();
        if !same.is_empty() && self.chance(0.6) {
            return same[0].to_string();
        }
        self.pick(&others).to_string()
    }

    fn resource_pattern(&mut self, resource: &str, service: &str) -> String {
        if resource == "*" {
            return "*".into();
        }
        match self.rng.gen_range(0..10) {
            0 | 1 => "*".into(),
            2 => {
                // Everything of the service in the account.
                let parts: Vec<&str> = resource.splitn(6, ':').collect();
                format!(
                    "arn:aws:{service}:*:{}:*",
                    parts.get(4).copied().unwrap_or("")
                )
            }
            3 => match resource.rsplit_once('/') {
                Some((head, _)) => format!("{head}/*"),
                None => format!("{resource}*"),
            },
            4 if resource.starts_with("arn:aws:s3:::bucket-a/home/") => {
                "arn:aws:s3:::bucket-a/home/${aws:username}/*".into()
            }
            5 => resource.to_uppercase(),
            6 => format!("arn:aws:{service}:*:222222222222:*"),
            _ => resource.to_string(),
        }
    }

    fn condition(&mut self) -> Value {
        let mut cond = Map::new();
        let n = if self.chance(0.2) { 2 } else { 1 };
        for _ in 0..n {
            let (key, kind) = KEYS[self.rng.gen_range(0..KEYS.len())];
            let mut op = match kind {
                KeyType::Str | KeyType::Multi => self
                    .pick(&[
                        "StringEquals",
                        "StringNotEquals",
                        "StringEqualsIgnoreCase",
                        "StringNotEqualsIgnoreCase",
                        "StringLike",
                        "StringNotLike",
                    ])
                    .to_string(),
                KeyType::Ip => self.pick(&["IpAddress", "NotIpAddress"]).to_string(),
                KeyType::Bool => "Bool".to_string(),
                KeyType::Date => self
                    .pick(&[
                        "DateEquals",
                        "DateNotEquals",
                        "DateLessThan",
                        "DateLessThanEquals",
                        "DateGreaterThan",
                        "DateGreaterThanEquals",
                    ])
                    .to_string(),
                KeyType::Num => self
                    .pick(&[
                        "NumericEquals",
                        "NumericNotEquals",
                        "NumericLessThan",
                        "NumericLessThanEquals",
                        "NumericGreaterThan",
                        "NumericGreaterThanEquals",
                    ])
                    .to_string(),
                KeyType::Arn => self
                    .pick(&["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"])
                    .to_string(),
            };
            if self.chance(0.1) {
                op = "Null".into();
            } else if self.chance(0.25) {
                op.push_str("IfExists");
            }
            if kind == KeyType::Multi && op != "Null" {
                op = format!("{}:{op}", self.pick(&["ForAllValues", "ForAnyValue"]));
            }
            let values: Vec<Value> = if op == "Null" {
                vec![json!(self.pick(&["true", "false"]))]
            } else {
                let m = self.rng.gen_range(1..=2);
                (0..m)
                    .map(|_| json!(self.policy_value(kind, &op)))
                    .collect()
            };
            let block = cond.entry(op).or_insert_with(|| json!({}));
            block.as_object_mut().expect("object").insert(
                key.into(),
                if values.len() == 1 {
                    values[0].clone()
                } else {
                    Value::Array(values)
                },
            );
        }
        Value::Object(cond)
    }

    fn policy_value(&mut self, kind: KeyType, op: &str) -> String {
        match kind {
            KeyType::Str | KeyType::Multi => {
                if op.contains("Like") {
                    self.pick(&["red", "r*", "*a*", "team-?", "${aws:username}", "blu?"])
                        .into()
                } else {
                    self.pick(&["red", "blue", "RED", "team-a", "${aws:username}", "env"])
                        .into()
                }
            }
            KeyType::Ip => self
                .pick(&[
                    "10.0.0.0/8",
                    "10.1.2.3",
                    "192.0.2.0/24",
                    "2001:db8::/32",
                    "203.0.113.0/25",
                ])
                .into(),
            KeyType::Bool => self.pick(&["true", "false"]).into(),
            KeyType::Date => self
                .pick(&[
                    "2022-01-01T00:00:00Z",
                    "2024-06-01T12:00:00Z",
                    "1700000000",
                    "2030-01-01",
                ])
                .into(),
            KeyType::Num => self.pick(&["0", "5", "10", "3600"]).into(),
            KeyType::Arn => self
                .pick(&[
                    "arn:aws:iam::111111111111:user/*",
                    "arn:aws:iam::*:role/ext",
                    "arn:aws:sns:*:111111111111:topic1",
                    "arn:aws:iam::111111111111:user/alice",
                    "arn:aws:*:*:222222222222:*",
                ])
                .into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    Identity,
    VpcEndpoint,
    Resource,
    Scp,
    ScpAllow,
    Rcp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyType {
    Str,
    Multi,
    Ip,
    Bool,
    Date,
    Num,
    Arn,
}

const KEYS: &[(&str, KeyType)] = &[
    ("aws:PrincipalTag/team", KeyType::Str),
    ("aws:RequestTag/env", KeyType::Str),
    ("aws:username", KeyType::Str),
    ("aws:TagKeys", KeyType::Multi),
    ("aws:SourceIp", KeyType::Ip),
    ("aws:SecureTransport", KeyType::Bool),
    ("aws:MultiFactorAuthPresent", KeyType::Bool),
    ("aws:CurrentTime", KeyType::Date),
    ("aws:MultiFactorAuthAge", KeyType::Num),
    ("aws:SourceArn", KeyType::Arn),
    ("aws:PrincipalArn", KeyType::Arn),
];

/// A random extra statement for the property tests.
pub fn extra_statement(seed: u64, effect: &str) -> Value {
    let mut g = Gen::new(seed);
    let (action, resource) = REQUESTS[g.rng.gen_range(0..REQUESTS.len())];
    let mut st = g.statement(action, resource, Layer::Identity);
    st["Effect"] = json!(effect);
    st
}

/// The same, for resource-based layers (with a Principal).
pub fn extra_resource_statement(seed: u64, effect: &str) -> Value {
    let mut g = Gen::new(seed);
    let (action, resource) = REQUESTS[g.rng.gen_range(0..REQUESTS.len())];
    let mut st = g.statement(action, resource, Layer::Resource);
    st["Effect"] = json!(effect);
    st
}

pub fn _unused(_: &[&str]) -> usize {
    SERVICES.len()
}
