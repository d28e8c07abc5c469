//! Completeness against brute force: random pairs of small identity policies (actions, NotAction,
//! resource patterns, NotResource, Deny, conditions on strings, IPs, numbers, booleans) are
//! diffed, and a grid of concrete requests is evaluated under both policies with the evaluator.
//! When the diff says it was exhaustive, every grid request allowed by one side and not the other
//! must be for an action the diff reported in that direction; and every reported witness must be
//! confirmed (soundness). A deterministic generator keeps failures reproducible.

use std::collections::BTreeSet;

use iamscope_diff::{DiffOptions, diff_policies};
use iamscope_eval::{Decision, PolicySet, PolicySource, PreparedPolicySet, Request};
use serde_json::{Value, json};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "sqs:SendMessage",
    "s3:ListAllMyBuckets",
    "s3:Get*",
    "s3:*Object",
    "sqs:*",
    "s3:*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/a*",
    "arn:aws:s3:::b/ab",
    "arn:aws:s3:::c/*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::*/x",
    "arn:aws:sqs:us-east-1:111122223333:q*",
    "arn:aws:sqs:*:*:*",
];

/// (operator, key, value)
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("StringEquals", "aws:PrincipalTag/team", "dev"),
    ("StringLike", "aws:PrincipalTag/team", "dev*"),
    ("StringNotEquals", "aws:PrincipalTag/team", "ops"),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("IpAddress", "aws:SourceIp", "10.1.0.0/16"),
    ("NotIpAddress", "aws:SourceIp", "10.1.0.0/16"),
    ("NumericLessThan", "s3:max-keys", "10"),
    ("NumericLessThanEquals", "s3:max-keys", "50"),
    ("Bool", "aws:SecureTransport", "true"),
    ("StringEqualsIfExists", "aws:RequestedRegion", "eu-west-1"),
    ("Null", "aws:RequestedRegion", "false"),
];

/// Concrete values per key for the grid (`None` = absent).
fn grid_values(key: &str) -> Vec<Option<&'static str>> {
    match key {
        "aws:PrincipalTag/team" => vec![None, Some("dev"), Some("dev-1"), Some("ops")],
        "aws:SourceIp" => vec![
            None,
            Some("10.1.2.3"),
            Some("10.2.0.1"),
            Some("192.168.0.1"),
        ],
        "s3:max-keys" => vec![None, Some("5"), Some("10"), Some("50"), Some("51")],
        "aws:SecureTransport" => vec![None, Some("true"), Some("false")],
        "aws:RequestedRegion" => vec![None, Some("eu-west-1"), Some("us-east-1")],
        _ => vec![None],
    }
}

fn resources_for(action: &str) -> &'static [&'static str] {
    match action {
        "s3:ListBucket" => &["arn:aws:s3:::b", "arn:aws:s3:::c", "arn:aws:s3:::x"],
        "sqs:SendMessage" => &[
            "arn:aws:sqs:us-east-1:111122223333:q1",
            "arn:aws:sqs:eu-west-1:444455556666:other",
        ],
        "s3:ListAllMyBuckets" => &["*"],
        _ => &[
            "arn:aws:s3:::b/ab",
            "arn:aws:s3:::b/ac",
            "arn:aws:s3:::b/a",
            "arn:aws:s3:::b/x",
            "arn:aws:s3:::c/x",
            "arn:aws:s3:::c/ab",
        ],
    }
}

fn random_policy(rng: &mut Rng) -> (String, BTreeSet<&'static str>) {
    let mut keys = BTreeSet::new();
    let n = 1 + rng.below(3);
    let mut stmts = Vec::new();
    for _ in 0..n {
        let effect = if rng.below(5) == 0 { "Deny" } else { "Allow" };
        let mut s = serde_json::Map::new();
        s.insert("Effect".into(), json!(effect));
        let acts: Vec<&str> = (0..1 + rng.below(2)).map(|_| rng.pick(ACTIONS)).collect();
        let akey = if rng.below(10) == 0 {
            "NotAction"
        } else {
            "Action"
        };
        s.insert(akey.into(), json!(acts));
        let res: Vec<&str> = (0..1 + rng.below(2)).map(|_| rng.pick(RESOURCES)).collect();
        let rkey = if rng.below(10) == 0 {
            "NotResource"
        } else {
            "Resource"
        };
        s.insert(rkey.into(), json!(res));
        if rng.below(2) == 0 {
            let (op, key, value) = CONDITIONS[rng.below(CONDITIONS.len())];
            keys.insert(key);
            s.insert("Condition".into(), json!({ op: { key: value } }));
        }
        stmts.push(Value::Object(s));
    }
    (
        json!({"Version": "2012-10-17", "Statement": stmts}).to_string(),
        keys,
    )
}

fn prepared(text: &str) -> PreparedPolicySet {
    let mut set = PolicySet::default();
    set.identity.push(PolicySource::new(text));
    PreparedPolicySet::new(&set).unwrap()
}

#[test]
fn exhaustive_results_miss_no_grid_request() {
    let mut rng = Rng(0x1a2b_3c4d_5e6f_7788);
    let principal = "arn:aws:iam::111122223333:role/iamscope-diff";
    let concrete = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "sqs:SendMessage",
        "s3:ListAllMyBuckets",
    ];
    let (mut exhaustive_runs, mut differing_requests) = (0, 0);
    // Fewer rounds in debug builds (CI); `cargo test --release` runs the full set.
    let rounds = if cfg!(debug_assertions) { 10 } else { 60 };
    for round in 0..rounds {
        let (old, k1) = random_policy(&mut rng);
        let (new, k2) = random_policy(&mut rng);
        let r = diff_policies(&old, &new, &DiffOptions::default())
            .unwrap_or_else(|e| panic!("round {round}: {e}\n{old}\n{new}"));
        let (po, pn) = (prepared(&old), prepared(&new));
        // soundness: every witness (already confirmed inside) holds here too
        for c in &r.added {
            let req = c.witness.to_request();
            assert_eq!(pn.evaluate(&req).unwrap().decision, Decision::Allow);
            assert_ne!(po.evaluate(&req).unwrap().decision, Decision::Allow);
        }
        for c in &r.removed {
            let req = c.witness.to_request();
            assert_eq!(po.evaluate(&req).unwrap().decision, Decision::Allow);
            assert_ne!(pn.evaluate(&req).unwrap().decision, Decision::Allow);
        }
        if !r.exhaustive {
            continue;
        }
        exhaustive_runs += 1;
        let added: BTreeSet<&str> = r.added.iter().map(|c| c.action.as_str()).collect();
        let removed: BTreeSet<&str> = r.removed.iter().map(|c| c.action.as_str()).collect();
        let keys: Vec<&str> = k1.union(&k2).copied().collect();
        for action in concrete {
            for resource in resources_for(action) {
                // every combination of the keys either policy uses
                let mut combos: Vec<Vec<(&str, &str)>> = vec![Vec::new()];
                for k in &keys {
                    let mut next = Vec::new();
                    for c in &combos {
                        for v in grid_values(k) {
                            let mut c2 = c.clone();
                            if let Some(v) = v {
                                c2.push((*k, v));
                            }
                            next.push(c2);
                        }
                    }
                    combos = next;
                }
                for ctx in combos {
                    let mut req = Request::new(principal, action, *resource);
                    if !resource.contains(":111122223333:") {
                        req.resource_account = Some("111122223333".into());
                    }
                    for (k, v) in &ctx {
                        req = req.with_context(*k, [*v]);
                    }
                    let o = po.evaluate(&req).unwrap().decision == Decision::Allow;
                    let n = pn.evaluate(&req).unwrap().decision == Decision::Allow;
                    if n && !o {
                        differing_requests += 1;
                        assert!(
                            added.contains(action),
                            "round {round}: {action} on {resource} {ctx:?} is new access but the exhaustive diff missed it\nold {old}\nnew {new}"
                        );
                    }
                    if o && !n {
                        differing_requests += 1;
                        assert!(
                            removed.contains(action),
                            "round {round}: {action} on {resource} {ctx:?} is removed access but the exhaustive diff missed it\nold {old}\nnew {new}"
                        );
                    }
                }
            }
        }
    }
    assert!(
        exhaustive_runs * 10 >= rounds * 9,
        "{exhaustive_runs} of {rounds} runs exhaustive"
    );
    assert!(differing_requests > rounds * 2, "{differing_requests}");
}
