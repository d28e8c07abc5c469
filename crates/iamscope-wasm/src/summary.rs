//! `summarize`: the least-privilege summary of a policy (the engine's `summarize`, as `iamscope
//! summary` prints it) plus what each statement's action list covers on its own, with the
//! statement ranges in UTF-16 for an editor's code lens.

use iamscope_catalog::Catalog;
use iamscope_lint::summary::{StatementLevel, StatementService, StatementSummary};
use iamscope_lint::{PolicySummary, summarize, summarize_with_statements};
use serde::Serialize;

use crate::options::{self, Options};
use crate::shapes::{self, JsDiagnostic};
use crate::utf16::{Range, Utf16Map};

/// The options `summarize` accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsSummaryOptions {
    /// Whether to include the per-statement summaries (default true).
    pub statements: bool,
}

impl Default for JsSummaryOptions {
    fn default() -> JsSummaryOptions {
        JsSummaryOptions { statements: true }
    }
}

impl Options for JsSummaryOptions {
    const FIELDS: &'static [&'static str] = &["statements"];

    fn set(&mut self, _: &str, value: iamscope_syntax::json::Value<'_>) -> Result<(), String> {
        self.statements = options::boolean(value)?;
        Ok(())
    }
}

/// What `summarize` returns.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsSummary {
    #[serde(flatten)]
    pub policy: PolicySummary,
    pub statements: Vec<JsStatementSummary>,
    /// The JSON syntax error when the text is not JSON (the counts are then zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<JsDiagnostic>,
}

/// `StatementSummary` with a UTF-16 range (the engine's type holds a byte range).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsStatementSummary {
    pub index: usize,
    pub pointer: String,
    pub range: Range,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<&'static str>,
    pub not_action: bool,
    pub no_action: bool,
    pub total_actions: usize,
    pub levels: Vec<StatementLevel>,
    pub services: Vec<StatementService>,
    pub on_all_resources: bool,
    pub conditional: bool,
    pub unknown_actions: Vec<String>,
}

/// Summarizes `text` with `catalog`.
pub fn summarize_text(text: &str, options: &JsSummaryOptions, catalog: &Catalog) -> JsSummary {
    let parsed = iamscope_policy::parse_policy(text);
    let Some(policy) = parsed.policy else {
        return JsSummary {
            policy: PolicySummary {
                catalog_version: catalog.version().to_string(),
                catalog_data_date: catalog.data_date().to_string(),
                total_actions: 0,
                services: Vec::new(),
                wildcards: Vec::new(),
                unknown_actions: Vec::new(),
            },
            statements: Vec::new(),
            error: shapes::diagnostics(text, &parsed.diagnostics)
                .into_iter()
                .next(),
        };
    };
    let (summary, per_statement) = if options.statements {
        summarize_with_statements(&policy, catalog)
    } else {
        (summarize(&policy, catalog), Vec::new())
    };
    let map = Utf16Map::new(
        text,
        per_statement
            .iter()
            .flat_map(|s| [s.range.start, s.range.end]),
    );
    JsSummary {
        policy: summary,
        statements: per_statement
            .into_iter()
            .map(|s| statement(&map, s))
            .collect(),
        error: None,
    }
}

fn statement(map: &Utf16Map, s: StatementSummary) -> JsStatementSummary {
    JsStatementSummary {
        index: s.index,
        pointer: s.pointer,
        range: map.range(s.range),
        sid: s.sid,
        effect: s.effect,
        not_action: s.not_action,
        no_action: s.no_action,
        total_actions: s.total_actions,
        levels: s.levels,
        services: s.services,
        on_all_resources: s.on_all_resources,
        conditional: s.conditional,
        unknown_actions: s.unknown_actions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_ranges_are_utf16() {
        let text = "{\"Id\":\"\u{1F600}\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}";
        let s = summarize_text(text, &JsSummaryOptions::default(), Catalog::embedded());
        assert!(s.error.is_none());
        assert_eq!(s.statements.len(), 1);
        let start = text.find("[{").unwrap() + 1;
        // the emoji: 4 bytes, 2 UTF-16 units
        assert_eq!(s.statements[0].range.start.offset as usize, start - 2);
        assert_eq!(
            s.statements[0].range.end.offset as usize,
            text.len() - 2 - 2
        );
        let n = Catalog::embedded().expand("s3:Get*").len();
        assert_eq!(s.statements[0].total_actions, n);
        assert_eq!(s.policy.total_actions, n);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["totalActions"], n);
        assert_eq!(json["statements"][0]["effect"], "Allow");
        assert_eq!(json["statements"][0]["range"]["start"]["line"], 0);
    }

    #[test]
    fn not_json_gives_the_syntax_error() {
        let s = summarize_text(
            "{\"Statement\": [",
            &JsSummaryOptions::default(),
            Catalog::embedded(),
        );
        assert_eq!(
            s.error.as_ref().map(|e| e.code.as_str()),
            Some("JSON_SYNTAX_ERROR")
        );
        assert_eq!(s.policy.total_actions, 0);
        let opts: JsSummaryOptions = options::parse(r#"{"statements":false}"#).unwrap();
        let s = summarize_text(
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
            &opts,
            Catalog::embedded(),
        );
        assert!(s.statements.is_empty());
        assert_eq!(s.policy.total_actions, Catalog::embedded().actions().len());
        assert_eq!(
            options::parse::<JsSummaryOptions>(r#"{"statement":true}"#),
            Err("unknown field `statement`, expected `statements`".into())
        );
        assert_eq!(
            options::parse::<JsSummaryOptions>("{}"),
            Ok(JsSummaryOptions::default())
        );
    }
}
