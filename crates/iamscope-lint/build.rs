//! Extracts each rule file's leading `//!` doc comment into `$OUT_DIR/rule_docs.rs`, so the doc
//! comment is the single source of a rule's documentation (served by `listRules`, written to
//! docs/rules/, and its examples run as tests). Without the `docs-text` feature every text is
//! empty (the file list stays); npm/scripts/rule-docs.mjs extracts the same text for the npm
//! package, and tests/rule_docs_js.rs checks that the two agree.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let with_text = std::env::var_os("CARGO_FEATURE_DOCS_TEXT").is_some();
    let root = Path::new("src/rules");
    println!("cargo:rerun-if-changed=src/rules");
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// (rule file, doc comment) for every rule file, sorted by path.\npub static RULE_DOCS: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read rule file");
        let doc: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.strip_prefix("//! ")
                    .or_else(|| l.strip_prefix("//!"))
                    .unwrap_or("")
            })
            .collect();
        if doc.is_empty() {
            continue;
        }
        let rel = f
            .strip_prefix("src/")
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let doc = if with_text {
            doc.join("\n")
        } else {
            String::new()
        };
        writeln!(out, "    ({:?}, {:?}),", rel, doc).unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_docs.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        println!("cargo:rerun-if-changed={}", p.display());
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs")
            && p.file_name().is_some_and(|n| n != "mod.rs")
        {
            out.push(p);
        }
    }
}
