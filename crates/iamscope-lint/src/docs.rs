//! Rule documentation, taken from each rule file's leading doc comment (see build.rs), and the
//! generated pages under docs/rules/.

use serde::Serialize;

use crate::rules;
use iamscope_syntax::FindingType;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

/// One example from a rule's documentation.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    /// `true` for examples under a "Bad" heading (they must produce the rule's code).
    pub bad: bool,
    /// The kind given as `kind=...` after the fence's language, if any.
    pub kind: Option<String>,
    pub text: String,
}

/// A rule as users see it: `listRules()`, `iamscope rules`, docs/rules.md.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleInfo {
    pub code: &'static str,
    pub finding_type: FindingType,
    pub summary: &'static str,
    /// The rule file relative to the crate's src/ (e.g. `rules/grammar/missing_version.rs`).
    pub file: String,
    /// The whole documentation in Markdown.
    pub docs: String,
    pub url: String,
}

/// The documentation of a rule file, found by its `file!()` path.
pub fn doc_of(file: &str) -> Option<&'static str> {
    let file = file.replace('\\', "/");
    generated::RULE_DOCS
        .iter()
        .find(|(f, _)| file.ends_with(f))
        .map(|(_, d)| *d)
}

/// Every code of every rule, sorted by code.
pub fn list_rules() -> Vec<RuleInfo> {
    let mut out = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        let docs = doc_of(meta.file).unwrap_or("").to_string();
        let file = meta.file.replace('\\', "/");
        let file = file.split("src/").last().unwrap_or(&file).to_string();
        for (code, ft) in meta.codes {
            out.push(RuleInfo {
                code,
                finding_type: *ft,
                summary: meta.summary,
                file: file.clone(),
                docs: docs.clone(),
                url: format!("{}{code}.md", crate::DOCS_BASE_URL),
            });
        }
    }
    iamscope_syntax::sort::sort_by(&mut out, |a, b| a.code.cmp(b.code));
    out
}

/// The fenced `json` examples of a doc comment, with whether each is under a "Bad" heading.
pub fn examples(docs: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut bad: Option<bool> = None;
    let mut current: Option<Example> = None;
    for line in docs.lines() {
        if let Some(ex) = current.as_mut() {
            if line.trim_start().starts_with("```") {
                out.push(current.take().expect("some"));
            } else {
                ex.text.push_str(line);
                ex.text.push('\n');
            }
            continue;
        }
        let t = line.trim();
        if let Some(h) = t.strip_prefix("## ") {
            let h = h.to_ascii_lowercase();
            bad = if h.starts_with("bad") || h.starts_with("fail") {
                Some(true)
            } else if h.starts_with("good") || h.starts_with("pass") {
                Some(false)
            } else {
                None
            };
        } else if let Some(info) = t.strip_prefix("```json")
            && let Some(b) = bad
        {
            let kind = info
                .split_whitespace()
                .find_map(|w| w.strip_prefix("kind="))
                .map(str::to_string);
            current = Some(Example {
                bad: b,
                kind,
                text: String::new(),
            });
        }
    }
    out
}

/// The Markdown of docs/rules.md (the index).
pub fn render_index() -> String {
    let mut s = String::from(
        "# iamscope rules\n\nGenerated from the rule files' doc comments by `cargo run -p iamscope-cli -- rules --write-docs docs`; a test checks it is fresh.\n\n| Code | Finding type | What it checks |\n|---|---|---|\n",
    );
    for r in list_rules() {
        s.push_str(&format!(
            "| [{0}](rules/{0}.md) | {1} | {2} |\n",
            r.code,
            r.finding_type,
            r.summary.replace('|', "\\|")
        ));
    }
    s
}

/// The Markdown of docs/rules/<CODE>.md.
pub fn render_page(r: &RuleInfo) -> String {
    let mut s = String::new();
    if !r.docs.starts_with("# ") {
        s.push_str(&format!("# {}\n\n", r.code));
    }
    s.push_str(&r.docs);
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s.push_str(&format!(
        "\n---\nSource: `crates/iamscope-lint/src/{}`\n",
        r.file
    ));
    s
}

/// Every generated docs file as (path relative to the docs folder, content).
pub fn generated_files() -> Vec<(String, String)> {
    let mut v = vec![("rules.md".to_string(), render_index())];
    for r in list_rules() {
        v.push((format!("rules/{}.md", r.code), render_page(&r)));
    }
    v
}
