//! Quick timings that hold up on a busy machine: the minimum wall time over many runs. `cargo run --release -p iamscope-catalog --example timing`.
//! The criterion benchmark (`cargo bench -p iamscope-catalog`) measures the same operations.

use iamscope_catalog::Catalog;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn min_of<T>(n: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn row(name: &str, min: Duration) {
    println!("| {name} | {min:.2?} |");
}

fn main() {
    let bytes = Catalog::embedded_bytes();
    println!("| operation | time (minimum of repeated runs) |");
    println!("|---|---|");
    row(
        "decode embedded (first use)",
        min_of(100, Catalog::decode_embedded),
    );
    let validating = || Catalog::from_bytes(bytes).unwrap();
    row(
        "decode + validate (`from_bytes`, runtime override)",
        min_of(50, validating),
    );
    let arn_first = || {
        Catalog::decode_embedded()
            .resource_types_for_arn("arn:aws:s3:::b/k")
            .len()
    };
    row(
        "decode + first ARN query (index + s3 matchers)",
        min_of(50, arn_first),
    );
    let arn_index = || {
        Catalog::decode_embedded()
            .resource_types_for_arn("arn:aws:zzz:::x")
            .len()
    };
    row("decode + ARN group index only", min_of(50, arn_index));
    let cat = Catalog::embedded();
    let n = 1000u32;
    let lookups = |name: &'static str| {
        move || {
            (0..n)
                .filter(|_| cat.action(black_box(name)).is_some())
                .count()
        }
    };
    row(
        "action lookup `s3:GetObject`",
        min_of(100, lookups("s3:GetObject")) / n,
    );
    row(
        "action lookup `EC2:describeinstances`",
        min_of(100, lookups("EC2:describeinstances")) / n,
    );
    // A long list of literal names: every Action item of the largest managed policy, looked up
    // one after another (the shared facts of a lint do this for each item).
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/aws-managed-policies/AWSSupportServiceRolePolicy.json"
    );
    let policy: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read the policy"))
            .expect("the policy is JSON");
    let names: Vec<&str> = policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|st| st["Action"].as_array())
        .flatten()
        .filter_map(|a| a.as_str())
        .collect();
    let each = || names.iter().filter(|q| cat.action(q).is_some()).count();
    row(
        &format!(
            "action lookup, each of AWSSupportServiceRolePolicy's {} names",
            names.len()
        ),
        min_of(200, each) / names.len().max(1) as u32,
    );
    let get_all = || cat.expand("*:Get*").len();
    row(
        &format!("expand `*:Get*` ({} actions)", get_all()),
        min_of(100, get_all),
    );
    let s3_get = || cat.expand("s3:Get*").len();
    row(
        &format!("expand `s3:Get*` ({} actions)", s3_get()),
        min_of(100, s3_get),
    );
    let not = || cat.expand_not(&["s3:*", "iam:*"]).len();
    row("expand_not `[s3:*, iam:*]`", min_of(50, not));
    let arn = || {
        cat.resource_types_for_arn("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc")
            .len()
    };
    row("ARN -> resource types (ec2 instance)", min_of(200, arn));
    let key = || cat.condition_key("aws:RequestTag/team").is_some();
    row(
        "condition key `aws:RequestTag/team` (templated)",
        min_of(200, key),
    );
    let sug = || cat.suggest_action("s3:GetObjcet").len();
    row("suggest_action `s3:GetObjcet`", min_of(50, sug));
}
