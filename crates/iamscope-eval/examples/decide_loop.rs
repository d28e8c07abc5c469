//! The prepared decide and evaluate calls of bench/node's simulate scenario (ReadOnlyAccess +
//! AmazonS3FullAccess + a Deny, six requests by one principal), natively, for instruction counts:
//!
//!   cargo build --release -p iamscope-eval --example decide_loop
//!   valgrind --tool=callgrind target/release/examples/decide_loop decide 1000
//!
//! Modes: `decide` (the verdict only), `evaluate` (with the trace), `none` (prepare only, to
//! subtract). Prints the decisions so that a run shows it did the work.

use std::hint::black_box;
use std::path::PathBuf;

use iamscope_eval::{PolicySet, PolicySource, PreparedPolicySet, Request};

fn corpus(name: &str) -> PolicySource {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/aws-managed-policies")
        .join(format!("{name}.json"));
    PolicySource::new(std::fs::read_to_string(path).expect("corpus policy"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "decide".into());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoBucketDeletion","Effect":"Deny","Action":["s3:DeleteBucket","s3:DeleteBucketPolicy"],"Resource":"*"}]}"#;
    let set = PolicySet {
        identity: vec![
            corpus("ReadOnlyAccess"),
            corpus("AmazonS3FullAccess"),
            PolicySource::new(deny),
        ],
        ..PolicySet::default()
    };
    let prepared = PreparedPolicySet::new(&set).expect("valid policies");
    let principal = "arn:aws:iam::111122223333:user/alice";
    let requests: Vec<Request> = [
        ("s3:GetObject", "arn:aws:s3:::reports/2024/q1.csv"),
        ("s3:DeleteBucket", "arn:aws:s3:::reports"),
        ("ec2:DescribeInstances", "*"),
        ("iam:CreateUser", "arn:aws:iam::111122223333:user/bob"),
        (
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-1:111122223333:table/t",
        ),
        (
            "lambda:InvokeFunction",
            "arn:aws:lambda:us-east-1:111122223333:function:f",
        ),
    ]
    .iter()
    .map(|(a, r)| Request::new(principal, *a, *r))
    .collect();
    let decisions: Vec<String> = requests
        .iter()
        .map(|r| format!("{:?}", prepared.decide(r).expect("valid request").decision))
        .collect();
    println!("{}", decisions.join(","));
    for _ in 0..rounds {
        for r in &requests {
            match mode.as_str() {
                "decide" => {
                    black_box(prepared.decide(black_box(r)).ok());
                }
                "evaluate" => {
                    black_box(prepared.evaluate(black_box(r)).ok());
                }
                _ => {}
            }
        }
    }
}
