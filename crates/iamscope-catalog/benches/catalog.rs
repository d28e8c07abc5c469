//! `cargo bench -p iamscope-catalog --bench catalog`; results go to docs/benchmarks.md (## Catalog).

use criterion::{BatchSize, Criterion, black_box, criterion_group, criterion_main};
use iamscope_catalog::Catalog;

fn benches(c: &mut Criterion) {
    let bytes = Catalog::embedded_bytes();
    c.bench_function("decode, validating (from_bytes)", |b| {
        b.iter(|| Catalog::from_bytes(black_box(bytes)).unwrap())
    });
    c.bench_function("decode embedded (first use)", |b| {
        b.iter(Catalog::decode_embedded)
    });
    c.bench_function("ARN index build (first ARN query)", |b| {
        b.iter_batched(
            Catalog::decode_embedded,
            |cat| cat.resource_types_for_arn("arn:aws:s3:::b/k").len(),
            BatchSize::LargeInput,
        )
    });

    let cat = Catalog::embedded();
    c.bench_function("action lookup s3:GetObject", |b| {
        b.iter(|| cat.action(black_box("s3:GetObject")))
    });
    c.bench_function("action lookup EC2:describeinstances", |b| {
        b.iter(|| cat.action(black_box("EC2:describeinstances")))
    });
    c.bench_function("action lookup unknown", |b| {
        b.iter(|| cat.action(black_box("s3:NoSuchAction")))
    });
    c.bench_function("expand *:Get*", |b| {
        b.iter(|| cat.expand(black_box("*:Get*")).len())
    });
    c.bench_function("expand s3:Get*", |b| {
        b.iter(|| cat.expand(black_box("s3:Get*")).len())
    });
    c.bench_function("expand *Object* (no colon)", |b| {
        b.iter(|| cat.expand(black_box("*Object*")).len())
    });
    c.bench_function("expand_not [s3:*, iam:*]", |b| {
        b.iter(|| cat.expand_not(black_box(&["s3:*", "iam:*"])).len())
    });
    c.bench_function("condition key aws:SourceIp", |b| {
        b.iter(|| cat.condition_key(black_box("aws:SourceIp")))
    });
    c.bench_function("condition key aws:RequestTag/team (templated)", |b| {
        b.iter(|| cat.condition_key(black_box("aws:RequestTag/team")))
    });
    let _ = cat.resource_types_for_arn("arn:aws:s3:::warm/up");
    c.bench_function("ARN -> resource types (s3 object)", |b| {
        b.iter(|| {
            cat.resource_types_for_arn(black_box("arn:aws:s3:::my-bucket/a/b/c.txt"))
                .len()
        })
    });
    c.bench_function("ARN -> resource types (ec2 instance)", |b| {
        b.iter(|| {
            cat.resource_types_for_arn(black_box(
                "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
            ))
            .len()
        })
    });
    c.bench_function("ARN pattern -> resource types (arn:aws:s3:::b/*)", |b| {
        b.iter(|| {
            cat.resource_types_for_arn_pattern(black_box("arn:aws:s3:::b/*"))
                .len()
        })
    });
    c.bench_function("suggest_action s3:GetObjcet", |b| {
        b.iter(|| cat.suggest_action(black_box("s3:GetObjcet")))
    });
}

criterion_group!(catalog, benches);
criterion_main!(catalog);
