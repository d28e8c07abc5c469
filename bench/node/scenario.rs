//! The benchmarks' simulate scenario (bench/node/scenario.json, which bench/node/scenario.mjs reads
//! too), for the native examples that profile the same calls: included by
//! `crates/iamscope-eval/examples/decide_loop.rs` and `crates/iamscope-wasm/examples/probe_bench.rs`
//! with `#[path]`, from their crate folder.

use std::path::PathBuf;

pub struct Scenario {
    /// ReadOnlyAccess, AmazonS3FullAccess and the Deny, as text.
    pub policies: Vec<String>,
    pub principal: String,
    /// (action, resource) pairs.
    pub requests: Vec<(String, String)>,
}

pub fn load() -> Scenario {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("scenario.json")).expect("bench/node/scenario.json");
    let text = |v: &serde_json::Value| v.as_str().expect("a string").to_string();
    let corpus =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/aws-managed-policies");
    let mut policies: Vec<String> = json["managed"]
        .as_array()
        .expect("managed")
        .iter()
        .map(|name| std::fs::read_to_string(corpus.join(text(name))).expect("corpus policy"))
        .collect();
    policies.push(text(&json["deny"]));
    let requests = json["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|pair| (text(&pair[0]), text(&pair[1])))
        .collect();
    Scenario {
        policies,
        principal: text(&json["principal"]),
        requests,
    }
}
