//! Lowering the whole corpus: AWS accepted every managed policy, so no structural ERROR may appear.

use std::path::PathBuf;

fn corpus(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(sub)
}

#[test]
fn managed_policies_lower_without_errors() {
    let mut n = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(corpus("aws-managed-policies")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = iamscope_policy::parse_policy(&text);
        n += 1;
        for d in parsed
            .diagnostics
            .iter()
            .filter(|d| d.finding_type == iamscope_syntax::FindingType::Error)
        {
            failures.push(format!("{}: {} {}", path.display(), d.code, d.message));
        }
        assert!(parsed.policy.is_some(), "{}", path.display());
    }
    assert_eq!(n, 1568);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
