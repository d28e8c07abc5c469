//! Every diagnostic of every JSON file under tests/ (the corpus and the fixtures), linted with the
//! kind inferred and with each policy kind given, plus the set lint of each corpus folder, as one
//! JSON line per (file, kind). Used to check that a change to the rules or the catalog keeps every
//! result identical: dump before, dump after, compare the two files.
//!
//! `cargo run --release -p iamscope-lint --example dump_diagnostics > before.jsonl`

use std::path::{Path, PathBuf};

use iamscope_lint::{LintOptions, PolicyInput, PolicyKind, lint, lint_set};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    let mut kinds: Vec<Option<PolicyKind>> = vec![None];
    kinds.extend(PolicyKind::ALL.iter().copied().map(Some));
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let name = p.strip_prefix(&root).unwrap_or(p).display().to_string();
        for k in &kinds {
            let r = lint(
                &text,
                &LintOptions {
                    kind: *k,
                    ..LintOptions::default()
                },
            );
            let line = serde_json::json!({
                "file": name,
                "kind": format!("{k:?}"),
                "inferred": format!("{:?} {}", r.kind, r.kind_reason),
                "diagnostics": r.diagnostics,
            });
            println!("{line}");
        }
    }
    // Sets: the examples folder and chunks of the managed corpus, as identity policies.
    for dir in ["corpus/examples", "corpus/aws-managed-policies"] {
        let mut ps = Vec::new();
        files(&root.join(dir), &mut ps);
        for chunk in ps.chunks(40) {
            let texts: Vec<(String, String)> = chunk
                .iter()
                .filter_map(|p| {
                    Some((
                        p.file_name()?.to_string_lossy().to_string(),
                        std::fs::read_to_string(p).ok()?,
                    ))
                })
                .collect();
            let inputs: Vec<PolicyInput> = texts
                .iter()
                .map(|(n, t)| PolicyInput {
                    name: n,
                    text: t,
                    kind: Some(PolicyKind::Identity),
                })
                .collect();
            let r = lint_set(&inputs, &LintOptions::default());
            for (t, res) in texts.iter().zip(&r) {
                let line = serde_json::json!({
                    "set": dir,
                    "file": t.0,
                    "diagnostics": res.diagnostics,
                });
                println!("{line}");
            }
        }
    }
}
