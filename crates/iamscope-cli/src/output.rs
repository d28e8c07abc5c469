//! Rendering diagnostics: text with the source line underlined, JSON, and SARIF 2.1.0.

use iamscope_syntax::{Diagnostic, LineIndex};
use serde_json::{Value, json};

/// A 1-based position as editors show it (column in characters).
pub fn position(text: &str, index: &LineIndex, offset: u32) -> Value {
    let lc = index.line_col(text, offset);
    let line_start = index.line_start(lc.line).unwrap_or(0) as usize;
    let end = (line_start + lc.col_utf8 as usize).min(text.len());
    let col_chars = text
        .get(line_start..end)
        .map(|s| s.chars().count())
        .unwrap_or(0);
    json!({"line": lc.line + 1, "column": col_chars + 1, "offset": offset})
}

/// A document that related locations may point into: its path, text and line index.
pub struct Doc<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub index: LineIndex,
}

impl<'a> Doc<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Doc<'a> {
        Doc {
            path,
            text,
            index: LineIndex::new(text),
        }
    }
}

/// The document a related location lies in: another policy of the set (`set[i]` is the document
/// of the set's policy `i`) or, when `None` or unknown, the diagnostic's own.
fn related_doc<'d>(
    r: &iamscope_syntax::Related,
    own: &'d Doc<'d>,
    set: &'d [Doc<'d>],
) -> &'d Doc<'d> {
    r.policy.and_then(|i| set.get(i as usize)).unwrap_or(own)
}

/// The JSON form of one diagnostic (lines and columns 1-based). Related locations in another
/// policy of `set` (the files checked together with `--principal`) carry that file's `path`.
pub fn diagnostic_json(doc: &Doc<'_>, set: &[Doc<'_>], d: &Diagnostic) -> Value {
    let (text, index) = (doc.text, &doc.index);
    let mut v = json!({
        "code": d.code,
        "findingType": d.finding_type.as_str(),
        "message": d.message,
        "range": {"start": position(text, index, d.range.start), "end": position(text, index, d.range.end)},
        "pointer": d.pointer,
    });
    let obj = v.as_object_mut().expect("object");
    if !d.related.is_empty() {
        obj.insert(
            "related".into(),
            Value::Array(
                d.related
                    .iter()
                    .map(|r| {
                        let rd = related_doc(r, doc, set);
                        let mut v = json!({"message": r.message, "range": {"start": position(rd.text, &rd.index, r.range.start), "end": position(rd.text, &rd.index, r.range.end)}});
                        if !std::ptr::eq(rd, doc) {
                            v["path"] = json!(rd.path);
                        }
                        v
                    })
                    .collect(),
            ),
        );
    }
    if let Some(h) = &d.help {
        obj.insert("help".into(), json!(h));
    }
    if let Some(f) = &d.fix {
        obj.insert(
            "fix".into(),
            json!({"title": f.title, "safe": f.safe, "edits": f.edits.iter().map(|e| json!({
                "range": {"start": position(text, index, e.range.start), "end": position(text, index, e.range.end)},
                "newText": e.new_text})).collect::<Vec<_>>()}),
        );
    }
    if let Some(u) = &d.url {
        obj.insert("url".into(), json!(u));
    }
    v
}

/// Text rendering: `path:line:col: TYPE CODE message`, the source line, and a caret underline.
pub fn render_text(doc: &Doc<'_>, set: &[Doc<'_>], d: &Diagnostic, color: bool) -> String {
    let (path, text, index) = (doc.path, doc.text, &doc.index);
    let lc = index.line_col(text, d.range.start);
    let line_start = index.line_start(lc.line).unwrap_or(0) as usize;
    let line_end = text[line_start..]
        .find('\n')
        .map(|i| line_start + i)
        .unwrap_or(text.len());
    let line = text[line_start..line_end].trim_end_matches('\r');
    // line_col rounds into character boundaries; clamp the end the same way.
    let start = (line_start + lc.col_utf8 as usize).min(line_start + line.len());
    let col = text[line_start..start].chars().count();
    let mut end = (d.range.end as usize).clamp(start, line_start + line.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let width = text[start..end].chars().count().max(1);
    let (b, r) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let ft = d.finding_type.as_str();
    let mut s = format!(
        "{b}{path}:{}:{}{r}: {ft} {b}{}{r} {}\n",
        lc.line + 1,
        col + 1,
        d.code,
        d.message
    );
    let gutter = format!("{}", lc.line + 1);
    let shown: String = line.chars().take(200).collect();
    s.push_str(&format!("  {gutter} | {shown}\n"));
    if col < 200 {
        s.push_str(&format!(
            "  {} | {}{}\n",
            " ".repeat(gutter.len()),
            " ".repeat(col),
            "^".repeat(width.min(200 - col))
        ));
    }
    for r in &d.related {
        let rd = related_doc(r, doc, set);
        let p = position(rd.text, &rd.index, r.range.start);
        s.push_str(&format!(
            "  note: {}:{}:{}: {}\n",
            rd.path, p["line"], p["column"], r.message
        ));
    }
    if let Some(h) = &d.help {
        s.push_str(&format!("  help: {h}\n"));
    }
    if let Some(f) = &d.fix {
        s.push_str(&format!(
            "  fix{}: {}\n",
            if f.safe { "" } else { " (review)" },
            f.title
        ));
    }
    s
}

/// SARIF 2.1.0 log for code scanning: one document and its diagnostics per file; `set` are the
/// documents of the policies checked together (`--principal`), which related locations of a
/// diagnostic may point into (empty otherwise).
pub fn sarif(files: &[(&Doc<'_>, &[Diagnostic])], set: &[Doc<'_>]) -> Value {
    let rules = iamscope_lint::docs::list_rules();
    let mut results = Vec::new();
    let region = |doc: &Doc<'_>, r: iamscope_syntax::TextRange| {
        let s = position(doc.text, &doc.index, r.start);
        let e = position(doc.text, &doc.index, r.end);
        json!({"startLine": s["line"], "startColumn": s["column"], "endLine": e["line"], "endColumn": e["column"]})
    };
    for (doc, diags) in files {
        let path = doc.path;
        for d in diags.iter() {
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let rd = related_doc(r, doc, set);
                    json!({"id": i, "message": {"text": r.message}, "physicalLocation": {
                        "artifactLocation": {"uri": rd.path.replace('\\', "/")},
                        "region": region(rd, r.range)
                    }})
                })
                .collect();
            results.push(json!({
                "ruleId": d.code,
                "level": match d.finding_type {
                    iamscope_syntax::FindingType::Error => "error",
                    iamscope_syntax::FindingType::SecurityWarning | iamscope_syntax::FindingType::Warning => "warning",
                    iamscope_syntax::FindingType::Suggestion => "note",
                },
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": path.replace('\\', "/")},
                    "region": region(doc, d.range)
                }}],
                "relatedLocations": related,
                "properties": {"findingType": d.finding_type.as_str(), "pointer": d.pointer}
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "iamscope",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/iamscope/iamscope",
                "rules": rules.iter().map(|r| json!({
                    "id": r.code,
                    "shortDescription": {"text": r.summary},
                    "helpUri": r.url,
                    "properties": {"findingType": r.finding_type.as_str()},
                    "defaultConfiguration": {"level": match r.finding_type {
                        iamscope_syntax::FindingType::Error => "error",
                        iamscope_syntax::FindingType::Suggestion => "note",
                        _ => "warning",
                    }}
                })).collect::<Vec<_>>()
            }},
            "results": results
        }]
    })
}
