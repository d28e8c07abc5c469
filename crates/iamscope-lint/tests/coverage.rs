//! docs/access-analyzer-coverage.md is fresh; every Access Analyzer code is either reported by a
//! rule with a fixture folder or carries a reason; at least 110 of the 157 are reported.

#[path = "support/coverage.rs"]
mod coverage;

use iamscope_lint::docs::list_rules;

#[test]
fn coverage_is_consistent_and_fresh() {
    let declared: std::collections::BTreeSet<&str> =
        list_rules().into_iter().map(|r| r.code).collect();
    let codes = coverage::codes();
    assert_eq!(codes.len(), 157, "the Access Analyzer list has 157 codes");
    let mut problems = Vec::new();
    let mut implemented = 0;
    for (code, _, reason) in &codes {
        let has_rule = declared.contains(code.as_str());
        if has_rule {
            implemented += 1;
            if !reason.is_empty() {
                problems.push(format!("{code}: implemented, remove its reason"));
            }
            if coverage::fixture(code).is_none() {
                problems.push(format!("{code}: no fixture folder"));
            }
        } else if reason.is_empty() {
            problems.push(format!("{code}: not implemented and no reason"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(implemented >= 110, "only {implemented} codes implemented");
    let on_disk =
        std::fs::read_to_string(coverage::root().join("docs/access-analyzer-coverage.md"))
            .unwrap_or_default();
    assert_eq!(
        on_disk,
        coverage::render(),
        "stale: run `cargo run -p iamscope-lint --example coverage_doc -- --write`"
    );
}
