//! Access diff benchmarks (docs/benchmarks.md, "Access diff"):
//! - `readonly_minus_one`: ReadOnlyAccess (tests/corpus/aws-managed-policies) against a copy with
//!   one action removed: almost every action is proven unchanged without search.
//! - `star_to_notaction_iam`: `Allow *` against `Allow NotAction iam:*`: every IAM action is
//!   searched and gets a witness.
//! - `widen_cidr_condition`: a small policy whose condition changes (cells with context facts).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use iamscope_diff::{DiffOptions, diff_policies};

fn read_only() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/aws-managed-policies/ReadOnlyAccess.json"
    );
    std::fs::read_to_string(path).expect("the corpus has ReadOnlyAccess.json")
}

fn bench(c: &mut Criterion) {
    let opts = DiffOptions::default();
    let old = read_only();
    let new = old.replacen("\"sts:GetCallerIdentity\",", "", 1);
    assert!(new.len() < old.len());
    // warm the catalog so the first sample does not pay for decoding
    let r = diff_policies(&old, &new, &opts).unwrap();
    assert_eq!(r.removed.len(), 1);
    c.bench_function("readonly_minus_one", |b| {
        b.iter(|| diff_policies(black_box(&old), black_box(&new), &opts).unwrap())
    });

    let star =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let not_iam = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#;
    let r = diff_policies(star, not_iam, &opts).unwrap();
    assert!(r.removed.len() > 100);
    c.bench_function("star_to_notaction_iam", |b| {
        b.iter(|| diff_policies(black_box(star), black_box(not_iam), &opts).unwrap())
    });

    let small = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::uploads/*","Condition":{"IpAddress":{"aws:SourceIp":"10.1.2.0/24"}}}]}"#;
    let big = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::uploads/*","Condition":{"IpAddress":{"aws:SourceIp":"10.1.0.0/16"}}}]}"#;
    c.bench_function("widen_cidr_condition", |b| {
        b.iter(|| diff_policies(black_box(small), black_box(big), &opts).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
