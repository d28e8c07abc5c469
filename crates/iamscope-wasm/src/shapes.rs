//! The JavaScript shapes of the engine's answers: the engine's serde types with every byte range
//! replaced by a UTF-16 [`Range`]. Plain Rust (no JS types), so the conversions are tested natively.
//! The TypeScript interfaces in `npm/src/types.ts` mirror these structs; `npm/test/types.test.mjs`
//! type-checks real answers of the built package against them with `tsc --strict`.

use std::collections::BTreeMap;

use iamscope_catalog::{ActionInfo, ConditionKeySummary};
use iamscope_lint::editor::{Completion, Completions, Hover, HoverKind};
use iamscope_lint::{FindingType, LintOptions, LintResult, PolicyKind};
use iamscope_syntax::{Diagnostic, TextRange};
use serde::Serialize;

use crate::options::{self, Options};
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsLintOptions {
    pub kind: Option<PolicyKind>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, FindingType>,
}

impl Options for JsLintOptions {
    const FIELDS: &'static [&'static str] = &["kind", "select", "ignore", "severity"];

    fn set(&mut self, name: &str, value: iamscope_syntax::json::Value<'_>) -> Result<(), String> {
        match name {
            "kind" => self.kind = policy_kind(value)?,
            "select" => self.select = options::strings(value)?,
            "ignore" => self.ignore = options::strings(value)?,
            _ => {
                let Some(members) = value.as_object() else {
                    return Err(options::invalid_type(value, "an object"));
                };
                let names = FindingType::ALL.map(FindingType::as_str);
                let mut severity = BTreeMap::new();
                for m in members {
                    let t = options::variant(m.value, &names)
                        .map_err(|e| format!("`{}`: {e}", m.key))?;
                    severity.insert(m.key.to_string(), FindingType::ALL[t]);
                }
                self.severity = severity;
            }
        }
        Ok(())
    }
}

/// An optional policy kind by its name (`identity`, ..., `vpc-endpoint`), `null` for `None`.
pub(crate) fn policy_kind(
    value: iamscope_syntax::json::Value<'_>,
) -> Result<Option<PolicyKind>, String> {
    if matches!(value.kind(), iamscope_syntax::json::ValueKind::Null) {
        return Ok(None);
    }
    let names = PolicyKind::ALL.map(PolicyKind::as_str);
    Ok(Some(PolicyKind::ALL[options::variant(value, &names)?]))
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
        let e = options::parse::<JsLintOptions>(r#"{"selct":["X"]}"#).unwrap_err();
        assert_eq!(
            e,
            "unknown field `selct`, expected one of `kind`, `select`, `ignore`, `severity`"
        );
        let o: JsLintOptions = options::parse(
            r#"{"kind":"scp","select":["A"],"ignore":["B","C"],"severity":{"X":"WARNING","Y":"SECURITY_WARNING"}}"#,
        )
        .unwrap();
        let o = LintOptions::from(o);
        assert_eq!(o.kind, Some(PolicyKind::Scp));
        assert_eq!(
            (o.select, o.ignore),
            (vec!["A".into()], vec!["B".into(), "C".into()])
        );
        assert_eq!(
            o.severity.into_iter().collect::<Vec<_>>(),
            [
                ("X".to_string(), FindingType::Warning),
                ("Y".to_string(), FindingType::SecurityWarning)
            ]
        );
        // every kind and finding type by its serde name, and only by it
        for k in PolicyKind::ALL {
            let json = serde_json::json!({ "kind": k }).to_string();
            assert_eq!(
                options::parse::<JsLintOptions>(&json).unwrap().kind,
                Some(k)
            );
        }
        for t in FindingType::ALL {
            let json = serde_json::json!({ "severity": { "R": t } }).to_string();
            let o = options::parse::<JsLintOptions>(&json).unwrap();
            assert_eq!(o.severity["R"], t);
        }
        assert_eq!(
            options::parse::<JsLintOptions>(r#"{"kind":null}"#),
            Ok(JsLintOptions::default())
        );
        let e = options::parse::<JsLintOptions>(r#"{"kind":"Identity"}"#).unwrap_err();
        assert!(
            e.starts_with("field `kind`: unknown variant `Identity`, expected one of `identity`"),
            "{e}"
        );
        let e = options::parse::<JsLintOptions>(r#"{"severity":{"R":"warning"}}"#).unwrap_err();
        assert!(
            e.starts_with(
                "field `severity`: `R`: unknown variant `warning`, expected one of `ERROR`"
            ),
            "{e}"
        );
    }
}
