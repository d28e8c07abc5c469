//! Lints every policy of a corpus folder and prints, per code, the number of findings and the
//! first few files: `cargo run -p iamscope-lint --release --example corpus_counts -- <folder> [kind] [CODE]`.

use std::collections::BTreeMap;

use iamscope_lint::{LintOptions, PolicyKind, lint};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "tests/corpus/aws-managed-policies".into());
    let kind = args.next().and_then(|k| PolicyKind::parse(&k));
    let show = args.next();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut counts: BTreeMap<(String, String), (usize, Vec<String>)> = BTreeMap::new();
    let opts = LintOptions {
        kind,
        ..LintOptions::default()
    };
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let r = lint(&text, &opts);
        for d in r.diagnostics {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            if show.as_deref() == Some(d.code.as_str()) {
                println!("{name}: {} [{}]", d.message, d.range.slice(&text));
            }
            let e = counts
                .entry((d.finding_type.to_string(), d.code.clone()))
                .or_default();
            e.0 += 1;
            if e.1.len() < 3 && !e.1.contains(&name) {
                e.1.push(name);
            }
        }
    }
    for ((ft, code), (n, ex)) in counts {
        println!("{ft:17} {code:60} {n:6}  {}", ex.join(" "));
    }
}
