//! Access diff answers in their JavaScript shape: the engine's serialised `DiffResult` (the JSON of
//! `iamscope diff --format json`) with each statement's byte range replaced by a UTF-16 range in
//! its side's policy text. Statements of the policies the engine adds around a single policy (the
//! identity policy that allows everything beside a boundary, an SCP, ...) have no text the caller
//! gave; their ranges are zero positions.

use iamscope_diff::{DiffError, DiffOptions};
use iamscope_eval::{Layer, PolicySet};
use iamscope_policy::PolicyKind;
use serde_json::{Map, Value};

use crate::options::{self, Options};
use crate::sim::{Document, Sources, errors_value};
use crate::utf16::Utf16Index;

/// The options `diff` accepts (unknown fields are a misuse).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsDiffOptions {
    pub kind: Option<PolicyKind>,
    pub account: Option<String>,
    pub principals: Vec<String>,
    pub witnesses_per_action: Option<usize>,
    pub max_candidates_per_action: Option<usize>,
    pub max_cells: Option<usize>,
    pub max_solver_states: Option<usize>,
    pub max_principals: Option<usize>,
}

impl Options for JsDiffOptions {
    const FIELDS: &'static [&'static str] = &[
        "kind",
        "account",
        "principals",
        "witnessesPerAction",
        "maxCandidatesPerAction",
        "maxCells",
        "maxSolverStates",
        "maxPrincipals",
    ];

    fn set(&mut self, name: &str, value: iamscope_syntax::json::Value<'_>) -> Result<(), String> {
        match name {
            "kind" => self.kind = crate::shapes::policy_kind(value)?,
            "account" => self.account = options::opt_string(value)?,
            "principals" => self.principals = options::strings(value)?,
            "witnessesPerAction" => self.witnesses_per_action = options::opt_usize(value)?,
            "maxCandidatesPerAction" => self.max_candidates_per_action = options::opt_usize(value)?,
            "maxCells" => self.max_cells = options::opt_usize(value)?,
            "maxSolverStates" => self.max_solver_states = options::opt_usize(value)?,
            _ => self.max_principals = options::opt_usize(value)?,
        }
        Ok(())
    }
}

impl From<JsDiffOptions> for DiffOptions {
    fn from(o: JsDiffOptions) -> DiffOptions {
        let d = DiffOptions::default();
        DiffOptions {
            kind: o.kind.unwrap_or(d.kind),
            account: o.account.unwrap_or(d.account),
            principals: o.principals,
            witnesses_per_action: o.witnesses_per_action.unwrap_or(d.witnesses_per_action),
            max_candidates_per_action: o
                .max_candidates_per_action
                .unwrap_or(d.max_candidates_per_action),
            max_cells: o.max_cells.unwrap_or(d.max_cells),
            max_solver_states: o.max_solver_states.unwrap_or(d.max_solver_states),
            max_principals: o.max_principals.unwrap_or(d.max_principals),
        }
    }
}

/// The policy texts of one side, to convert its statement ranges.
enum SideTexts<'a> {
    /// A single policy of a kind: statements in that kind's layer are in `text`.
    Single {
        layer: Layer,
        text: &'a str,
        utf16: Utf16Index,
    },
    /// A policy set.
    Set(Sources<'a>),
}

impl SideTexts<'_> {
    fn range(&self, statement: &Value) -> Value {
        let layer = statement
            .get("layer")
            .and_then(Value::as_str)
            .and_then(|name| crate::sim::LAYERS.into_iter().find(|l| l.as_str() == name));
        let raw = statement.get("range").cloned().unwrap_or(Value::Null);
        match self {
            SideTexts::Single {
                layer: l,
                text,
                utf16,
            } if layer == Some(*l) => crate::sim::convert_range(&raw, text, utf16),
            SideTexts::Single { .. } => crate::sim::convert_range(&raw, "", &Utf16Index::default()),
            SideTexts::Set(sources) => {
                let level = statement
                    .get("level")
                    .and_then(Value::as_u64)
                    .map(|n| n as usize);
                let index = statement
                    .get("policyIndex")
                    .and_then(Value::as_u64)
                    .map(|n| n as usize);
                match (layer, index) {
                    (Some(l), Some(i)) => sources.range_of(l, level, i, &raw),
                    _ => crate::sim::convert_range(&raw, "", &Utf16Index::default()),
                }
            }
        }
    }
}

fn layer_of_kind(kind: PolicyKind) -> Layer {
    match kind {
        PolicyKind::Identity => Layer::Identity,
        PolicyKind::Resource | PolicyKind::Trust => Layer::Resource,
        PolicyKind::Boundary => Layer::Boundary,
        PolicyKind::Session => Layer::Session,
        PolicyKind::Scp => Layer::Scp,
        PolicyKind::Rcp => Layer::Rcp,
        PolicyKind::VpcEndpoint => Layer::VpcEndpoint,
    }
}

fn convert_statement(st: &mut Value, side: &SideTexts<'_>) {
    let converted = side.range(st);
    if let Some(obj) = st.as_object_mut() {
        obj.insert("range".into(), converted);
    }
}

fn convert_result(v: &mut Value, old: &SideTexts<'_>, new: &SideTexts<'_>) {
    for list in ["added", "removed", "granted"] {
        let Some(changes) = v.get_mut(list).and_then(Value::as_array_mut) else {
            continue;
        };
        for c in changes {
            for (field, side) in [("newStatements", new), ("oldStatements", old)] {
                if let Some(sts) = c.get_mut(field).and_then(Value::as_array_mut) {
                    for st in sts {
                        convert_statement(st, side);
                    }
                }
            }
        }
    }
    if let Some(sampled) = v.get_mut("sampled").and_then(Value::as_array_mut) {
        for s in sampled {
            let side = if s.get("side").and_then(Value::as_str) == Some("old") {
                old
            } else {
                new
            };
            if let Some(st) = s.get_mut("statement").filter(|st| st.is_object()) {
                convert_statement(st, side);
            }
        }
    }
}

/// Why a diff could not run: a misuse (`options`) as an `Err` message, or bad policies as the
/// answer `{side, errors}` with UTF-16 ranges.
fn failure(e: DiffError, old: &SideTexts<'_>, new: &SideTexts<'_>) -> Result<Value, String> {
    if e.side == "options" {
        return Err(e.to_string());
    }
    let side = if e.side == "old" { old } else { new };
    let mut out = Map::new();
    out.insert("side".into(), Value::String(e.side.clone()));
    let errors: Vec<Value> = e
        .errors
        .iter()
        .map(|err| {
            let mut v = serde_json::to_value(err).unwrap_or(Value::Null);
            if let Some(obj) = v.as_object_mut()
                && obj.contains_key("range")
            {
                let converted = side.range(&Value::Object(obj.clone()));
                obj.insert("range".into(), converted);
            }
            v
        })
        .collect();
    out.insert("errors".into(), Value::Array(errors));
    Ok(Value::Object(out))
}

/// `diff(oldText, newText, options)` for two policies of `options.kind`.
pub fn diff_policies(old: &str, new: &str, options: JsDiffOptions) -> Result<Value, String> {
    let options: DiffOptions = options.into();
    let layer = layer_of_kind(options.kind);
    let old_side = SideTexts::Single {
        layer,
        text: old,
        utf16: Utf16Index::new(old),
    };
    let new_side = SideTexts::Single {
        layer,
        text: new,
        utf16: Utf16Index::new(new),
    };
    match iamscope_diff::diff_policies(old, new, &options) {
        Ok(r) => {
            let mut v = serde_json::to_value(&r).unwrap_or(Value::Null);
            convert_result(&mut v, &old_side, &new_side);
            Ok(v)
        }
        Err(e) => failure(e, &old_side, &new_side),
    }
}

/// `diff(oldPolicies, newPolicies, options)` for two policy sets (the `policies` of scenarios, as
/// JSON text).
pub fn diff_sets(old: &str, new: &str, options: JsDiffOptions) -> Result<Value, String> {
    let parse = |text: &str, side: &str| -> Result<PolicySet, Value> {
        PolicySet::parse(text).map(|(s, _)| s).map_err(|errors| {
            let mut doc = Document::new(text);
            let mut v = errors_value(&errors, &Sources::default(), &mut doc);
            if let Some(obj) = v.as_object_mut() {
                obj.remove("decision");
                obj.insert("side".into(), Value::String(side.into()));
            }
            v
        })
    };
    let old_set = match parse(old, "old") {
        Ok(s) => s,
        Err(v) => return Ok(v),
    };
    let new_set = match parse(new, "new") {
        Ok(s) => s,
        Err(v) => return Ok(v),
    };
    let old_side = SideTexts::Set(Sources::new(&old_set));
    let new_side = SideTexts::Set(Sources::new(&new_set));
    match iamscope_diff::diff_sets(&old_set, &new_set, &options.into()) {
        Ok(r) => {
            let mut v = serde_json::to_value(&r).unwrap_or(Value::Null);
            convert_result(&mut v, &old_side, &new_side);
            Ok(v)
        }
        Err(e) => failure(e, &old_side, &new_side),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16_of(text: &str, needle: &str) -> u64 {
        text[..text.find(needle).unwrap()].encode_utf16().count() as u64
    }

    #[test]
    fn added_access_with_witness_and_utf16_ranges() {
        let old = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\u{1F600}\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::logs/a*\"}]}";
        let new = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\u{e9}\u{1F600}\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::logs/*\"}]}";
        let v = diff_policies(old, new, JsDiffOptions::default()).unwrap();
        let added = &v["added"][0];
        assert_eq!(added["action"], "s3:GetObject");
        assert!(
            added["witness"]["resource"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:s3:::logs/")
        );
        let st = &added["newStatements"][0];
        assert_eq!(st["range"]["start"]["offset"], utf16_of(new, "{\"Sid"));
        let end = st["range"]["end"]["offset"].as_u64().unwrap();
        assert_eq!(end, new.encode_utf16().count() as u64 - 2);
        assert!(v["removed"].as_array().unwrap().is_empty());
        // where the policy was placed to evaluate the witness (the only identity policy)
        assert_eq!(
            added["placement"],
            serde_json::json!({"layer": "identity", "identity": []})
        );
    }

    #[test]
    fn bad_policies_are_answers_and_bad_options_are_errors() {
        let v = diff_policies("{", "{}", JsDiffOptions::default()).unwrap();
        assert_eq!(v["side"], "old");
        assert!(!v["errors"].as_array().unwrap().is_empty());
        let bad = JsDiffOptions {
            account: Some("12".into()),
            ..JsDiffOptions::default()
        };
        assert!(
            diff_policies("{}", "{}", bad)
                .unwrap_err()
                .contains("12-digit")
        );
        let v = diff_sets("{\"identity\": 5}", "{}", JsDiffOptions::default()).unwrap();
        assert_eq!(v["side"], "old");
    }

    #[test]
    fn options_by_their_camel_case_names() {
        let o: JsDiffOptions = options::parse(
            r#"{"kind":"scp","account":"111122223333","principals":["p"],"witnessesPerAction":1,
                "maxCandidatesPerAction":2,"maxCells":3,"maxSolverStates":4,"maxPrincipals":5}"#,
        )
        .unwrap();
        assert_eq!(
            o,
            JsDiffOptions {
                kind: Some(PolicyKind::Scp),
                account: Some("111122223333".into()),
                principals: vec!["p".into()],
                witnesses_per_action: Some(1),
                max_candidates_per_action: Some(2),
                max_cells: Some(3),
                max_solver_states: Some(4),
                max_principals: Some(5),
            }
        );
        let e = options::parse::<JsDiffOptions>(r#"{"acount":"1"}"#).unwrap_err();
        assert!(
            e.starts_with("unknown field `acount`, expected one of `kind`, `account`"),
            "{e}"
        );
        let e = options::parse::<JsDiffOptions>(r#"{"maxCells":-1}"#).unwrap_err();
        assert_eq!(
            e,
            "field `maxCells`: invalid value: -1, expected a non-negative integer"
        );
    }

    #[test]
    fn layers_by_their_serde_names() {
        for l in crate::sim::LAYERS {
            assert_eq!(serde_json::to_value(l).unwrap(), l.as_str());
        }
    }

    #[test]
    fn policy_sets() {
        let old = r#"{"identity":["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:GetQueueUrl\",\"Resource\":\"*\"}}"]}"#;
        let new = r#"{"identity":["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:GetQueue*\",\"Resource\":\"*\"}}"]}"#;
        let v = diff_sets(old, new, JsDiffOptions::default()).unwrap();
        let actions: Vec<&str> = v["added"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"sqs:GetQueueAttributes"),
            "{actions:?} {v:#}"
        );
        // the range is in the policy's own text, not in the policies document
        let policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:GetQueue*\",\"Resource\":\"*\"}}";
        let range = &v["added"][0]["newStatements"][0]["range"];
        assert_eq!(range["start"]["offset"], utf16_of(policy, "{\"Effect"));
        assert_eq!(range["end"]["offset"], policy.len() as u64 - 1);
    }
}
