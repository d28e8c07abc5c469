//! The prepared decide and evaluate calls of bench/node's simulate scenario (ReadOnlyAccess +
//! AmazonS3FullAccess + a Deny, six requests by one principal), natively, for instruction counts:
//!
//!   cargo build --release -p iamscope-eval --example decide_loop
//!   valgrind --tool=callgrind target/release/examples/decide_loop decide 1000
//!
//! Modes: `decide` (the verdict only), `evaluate` (with the trace), `apart` (with the trace:
//! `evaluate_fields_derived_apart` on the request's fields, each answer dropped), `reuse` (the
//! same answers through `read_fields_traced`, each read and its lists kept for the next: the call
//! the wasm facade's `simulateTrace` makes), `none` (prepare only, to subtract). Prints the
//! decisions so that a run shows it did the work.

use iamscope_eval::{AnswerLists, PolicySet, PolicySource, PreparedPolicySet, Request};
use std::hint::black_box;

#[path = "../../../bench/node/scenario.rs"]
mod scenario;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "decide".into());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let scenario = scenario::load();
    let set = PolicySet {
        identity: scenario
            .policies
            .into_iter()
            .map(PolicySource::new)
            .collect(),
        ..PolicySet::default()
    };
    let prepared = PreparedPolicySet::new(&set).expect("valid policies");
    let requests: Vec<Request> = scenario
        .requests
        .iter()
        .map(|(a, r)| Request::new(scenario.principal.as_str(), a.as_str(), r.as_str()))
        .collect();
    let decisions: Vec<String> = requests
        .iter()
        .map(|r| format!("{:?}", prepared.decide(r).expect("valid request").decision))
        .collect();
    println!("{}", decisions.join(","));
    let mut lists = AnswerLists::default();
    for _ in 0..rounds {
        for r in &requests {
            match mode.as_str() {
                "decide" => {
                    black_box(prepared.decide(black_box(r)).ok());
                }
                "evaluate" => {
                    black_box(prepared.evaluate(black_box(r)).ok());
                }
                "apart" => {
                    black_box(
                        prepared
                            .evaluate_fields_derived_apart(
                                black_box(&r.principal),
                                black_box(&r.action),
                                black_box(&r.resource),
                                None,
                            )
                            .ok(),
                    );
                }
                "reuse" => {
                    black_box(
                        prepared
                            .read_fields_traced(
                                black_box(&r.principal),
                                black_box(&r.action),
                                black_box(&r.resource),
                                None,
                                &mut lists,
                                |result, derived| black_box((result.layers.len(), derived.len())),
                            )
                            .ok(),
                    );
                }
                _ => {}
            }
        }
    }
}
