//! Every safe fix that a rule offers on the fixture policies of tests/fixtures/lint (with every
//! policy kind) keeps the text valid JSON and removes one finding of its code.

use std::path::Path;

use iamscope_lint::{LintOptions, PolicyKind, lint};

#[test]
fn safe_fixes_remove_their_finding_and_keep_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut files = Vec::new();
    for group in ["lint"] {
        for d in std::fs::read_dir(root.join(group)).expect("fixtures") {
            let d = d.expect("entry").path();
            if !d.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&d).expect("folder") {
                let f = f.expect("entry").path();
                if f.extension().is_some_and(|x| x == "json")
                    && f.file_name().is_some_and(|n| n != "expect.json")
                {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    let mut checked = 0;
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        for kind in PolicyKind::ALL {
            let opts = LintOptions {
                kind: Some(kind),
                ..LintOptions::default()
            };
            let before = lint(&text, &opts);
            for d in &before.diagnostics {
                let Some(fix) = d.fix.as_ref().filter(|x| x.safe) else {
                    continue;
                };
                let mut edits = fix.edits.clone();
                edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
                let mut fixed = text.clone();
                for e in &edits {
                    fixed.replace_range(e.range.start as usize..e.range.end as usize, &e.new_text);
                }
                checked += 1;
                let after = lint(&fixed, &opts);
                let name = f.strip_prefix(&root).unwrap_or(f).display().to_string();
                if after.policy.is_none() {
                    problems.push(format!(
                        "{name} ({kind}): the fix of {} breaks the JSON",
                        d.code
                    ));
                    continue;
                }
                let n = |r: &iamscope_lint::LintResult| {
                    r.diagnostics.iter().filter(|x| x.code == d.code).count()
                };
                if n(&after) >= n(&before) {
                    problems.push(format!(
                        "{name} ({kind}): the fix of {} does not remove it",
                        d.code
                    ));
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} safe fixes exercised");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
