//! The npm package's WebAssembly module is built without the rule documentation text (feature
//! `docs-text` off); its JavaScript wrapper takes the text from npm/scripts/rule-docs.mjs instead.
//! Here both extractions must give the same text for every rule, so that `listRules()` in the
//! npm package answers exactly what `docs::list_rules` does natively.

use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn npm_rule_docs_match_the_rust_extraction() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../npm/scripts/rule-docs.mjs");
    let Ok(out) = std::process::Command::new("node")
        .arg(&script)
        .arg("--json")
        .output()
    else {
        eprintln!("note: node is not installed; the npm rule docs are not checked");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();

    let rules = iamscope_lint::docs::list_rules();
    assert!(rules.len() > 50);
    let mut files = BTreeMap::new();
    for r in &rules {
        assert!(!r.docs.is_empty(), "{} has no documentation", r.code);
        // what npm/src/api.ts does: the text for the rule's file
        assert_eq!(
            js.get(&r.file),
            Some(&r.docs),
            "npm/scripts/rule-docs.mjs gives other docs for {} ({})",
            r.code,
            r.file
        );
        files.insert(r.file.clone(), ());
    }
    // and nothing the Rust side does not know (a stray file would ship dead text)
    for f in js.keys() {
        assert!(
            files.contains_key(f) || iamscope_lint::docs::doc_of(f).is_some(),
            "npm/scripts/rule-docs.mjs documents {f}, which no rule names"
        );
    }
}
