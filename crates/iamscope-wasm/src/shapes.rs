//! The JavaScript shapes of the engine's answers: the engine's serde types with every byte range
//! replaced by a UTF-16 [`Range`]. Plain Rust (no JS types), so the conversions are tested natively.
//! The TypeScript interfaces in `npm/src/types.ts` mirror these structs; `npm/test/types.test.mjs`
//! type-checks real answers of the built package against them with `tsc --strict`.

use std::collections::BTreeMap;

use iamscope_catalog::{ActionInfo, ConditionKeySummary};
use iamscope_lint::editor::{Completion, Completions, Hover, HoverKind};
use iamscope_lint::{FindingType, LintOptions, LintResult, PolicyKind};
use iamscope_syntax::{Diagnostic, TextRange};
use serde::{Deserialize, Serialize};

use crate::utf16::{Range, Utf16Map};

/// `Diagnostic` with UTF-16 ranges.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsDiagnostic {
    pub code: String,
    pub finding_type: FindingType,
    pub message: String,
    pub range: Range,
    pub pointer: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsRelated>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsFix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JsRelated {
    pub range: Range,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JsFix {
    pub title: String,
    pub edits: Vec<JsTextEdit>,
    pub safe: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsTextEdit {
    pub range: Range,
    pub new_text: String,
}

/// What `lintReport` returns (`lint` returns its `diagnostics`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsLintReport {
    pub kind: PolicyKind,
    pub kind_inferred: bool,
    pub kind_reason: String,
    pub diagnostics: Vec<JsDiagnostic>,
}

/// The options `lint` accepts. Unknown fields are a misuse (a typo such as `selct` would otherwise
/// silently select everything).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct JsLintOptions {
    pub kind: Option<PolicyKind>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, FindingType>,
}

impl From<JsLintOptions> for LintOptions {
    fn from(o: JsLintOptions) -> LintOptions {
        LintOptions {
            kind: o.kind,
            select: o.select,
            ignore: o.ignore,
            severity: o.severity,
        }
    }
}

/// Every byte offset a diagnostic refers to.
pub(crate) fn diagnostic_offsets(d: &Diagnostic) -> impl Iterator<Item = u32> + '_ {
    let mut ranges: Vec<TextRange> = vec![d.range];
    ranges.extend(d.related.iter().map(|r| r.range));
    if let Some(f) = &d.fix {
        ranges.extend(f.edits.iter().map(|e| e.range));
    }
    ranges.into_iter().flat_map(|r| [r.start, r.end])
}

/// Converts diagnostics of `text` to their JavaScript shape.
pub fn diagnostics(text: &str, diags: &[Diagnostic]) -> Vec<JsDiagnostic> {
    let map = Utf16Map::new(text, diags.iter().flat_map(diagnostic_offsets));
    diags.iter().map(|d| diagnostic(&map, d)).collect()
}

/// Converts one diagnostic with a map that holds its offsets.
pub fn diagnostic(map: &Utf16Map, d: &Diagnostic) -> JsDiagnostic {
    JsDiagnostic {
        code: d.code.clone(),
        finding_type: d.finding_type,
        message: d.message.clone(),
        range: map.range(d.range),
        pointer: d.pointer.clone(),
        related: d
            .related
            .iter()
            .map(|r| JsRelated {
                range: map.range(r.range),
                message: r.message.clone(),
            })
            .collect(),
        help: d.help.clone(),
        fix: d.fix.as_ref().map(|f| JsFix {
            title: f.title.clone(),
            edits: f
                .edits
                .iter()
                .map(|e| JsTextEdit {
                    range: map.range(e.range),
                    new_text: e.new_text.clone(),
                })
                .collect(),
            safe: f.safe,
        }),
        url: d.url.clone(),
    }
}

/// Converts a lint result.
pub fn lint_report(text: &str, r: &LintResult) -> JsLintReport {
    JsLintReport {
        kind: r.kind,
        kind_inferred: r.kind_inferred,
        kind_reason: r.kind_reason.clone(),
        diagnostics: diagnostics(text, &r.diagnostics),
    }
}

/// `Completions` with a UTF-16 range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JsCompletions {
    pub range: Range,
    pub items: Vec<Completion>,
}

pub fn completions(text: &str, c: Completions) -> JsCompletions {
    let map = Utf16Map::new(text, [c.range.start, c.range.end]);
    JsCompletions {
        range: map.range(c.range),
        items: c.items,
    }
}

/// `Hover` with a UTF-16 range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsHover {
    pub range: Range,
    pub kind: HoverKind,
    pub markdown: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_key: Option<ConditionKeySummary>,
}

pub fn hover(text: &str, h: Hover) -> JsHover {
    let map = Utf16Map::new(text, [h.range.start, h.range.end]);
    JsHover {
        range: map.range(h.range),
        kind: h.kind,
        markdown: h.markdown,
        action: h.action,
        condition_key: h.condition_key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::utf16::Position;

    #[test]
    fn lint_ranges_are_utf16() {
        // The Sid holds an accented letter and an emoji before the bad Effect value.
        let text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"caf\u{e9}\u{1F600}\",\"Effect\":\"Alow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        let r = iamscope_lint::lint(text, &LintOptions::default());
        let js = lint_report(text, &r);
        let d = js
            .diagnostics
            .iter()
            .find(|d| d.code == "INVALID_EFFECT")
            .expect("INVALID_EFFECT");
        let start16 = text[..text.find("\"Alow\"").unwrap()]
            .encode_utf16()
            .count() as u32;
        assert_eq!(
            d.range.start,
            Position {
                line: 0,
                column: start16,
                offset: start16
            }
        );
        assert_eq!(d.range.end.offset, start16 + 6);
        // bytes and UTF-16 differ by 1 (é: 2 bytes, 1 unit) + 2 (emoji: 4 bytes, 2 units)
        let byte = r
            .diagnostics
            .iter()
            .find(|d| d.code == "INVALID_EFFECT")
            .unwrap()
            .range
            .start;
        assert_eq!(byte, start16 + 3);
    }

    #[test]
    fn editor_ranges_are_utf16() {
        let text = "{\"Sid\":\"\u{1F600}\",\"Statement\":{\"Action\":\"s3:GetObject\"}}";
        let cat = iamscope_catalog::Catalog::embedded();
        let byte = text.find("s3:Get").unwrap() as u32;
        let h = hover(text, iamscope_lint::editor::hover(text, byte, cat).unwrap());
        // the emoji is 4 bytes but 2 UTF-16 units
        assert_eq!(h.range.start.offset, byte - 1 - 2);
        assert_eq!(h.range.end.offset - h.range.start.offset, 14);
        let c = completions(
            text,
            iamscope_lint::editor::completions(text, byte + 6, cat),
        );
        assert_eq!(c.range.start.offset, byte - 2);
        assert!(c.items.iter().any(|i| i.label == "s3:GetObject"));
    }

    #[test]
    fn options_reject_unknown_fields() {
        let e = serde_json::from_str::<JsLintOptions>(r#"{"selct":["X"]}"#).unwrap_err();
        assert!(e.to_string().contains("selct"), "{e}");
        let o: JsLintOptions =
            serde_json::from_str(r#"{"kind":"scp","severity":{"X":"WARNING"}}"#).unwrap();
        assert_eq!(LintOptions::from(o).kind, Some(PolicyKind::Scp));
    }
}
