//! Evaluation answers in their JavaScript shape: the engine's serialised result (the JSON the CLI
//! prints with `--format json`) with every byte range replaced by a UTF-16 [`Range`](crate::utf16::Range):
//! statement and condition ranges index into the policy's own text, `scenarioRange` and scenario
//! errors into the scenario document. Fields the engine adds later pass through unchanged, so the
//! faces cannot drift apart; the TypeScript test checks them against the `.d.ts`.

use iamscope_eval::{EvalError, EvalResult, Layer, PolicySet};
use std::borrow::Cow;
use std::cell::OnceCell;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::utf16::Utf16Index;

/// The text of each policy of a set, each indexed for range conversion on first use (an answer
/// usually refers to a few of the policies only).
#[derive(Clone, Debug, Default)]
pub struct Sources<'a> {
    items: Vec<Source<'a>>,
}

#[derive(Clone, Debug)]
struct Source<'a> {
    layer: Layer,
    level: Option<usize>,
    index: usize,
    text: Cow<'a, str>,
    utf16: OnceCell<Utf16Index>,
}

impl Source<'_> {
    fn range(&self, v: &Value) -> Value {
        let idx = self.utf16.get_or_init(|| Utf16Index::new(&self.text));
        convert_range(v, &self.text, idx)
    }
}

impl<'a> Sources<'a> {
    /// Borrows the texts of `set`.
    pub fn new(set: &'a PolicySet) -> Sources<'a> {
        Sources {
            items: set
                .iter()
                .map(|(place, src)| Source {
                    layer: place.layer,
                    level: place.level,
                    index: place.index,
                    text: Cow::Borrowed(src.text.as_str()),
                    utf16: OnceCell::new(),
                })
                .collect(),
        }
    }

    /// Owns copies of the texts (for a prepared set that outlives its input).
    pub fn into_owned(self) -> Sources<'static> {
        Sources {
            items: self
                .items
                .into_iter()
                .map(|s| Source {
                    layer: s.layer,
                    level: s.level,
                    index: s.index,
                    text: Cow::Owned(s.text.into_owned()),
                    utf16: s.utf16,
                })
                .collect(),
        }
    }

    /// Converts a byte range of the policy at a place (an empty text when there is none).
    pub(crate) fn range_of(
        &self,
        layer: Layer,
        level: Option<usize>,
        index: usize,
        raw: &Value,
    ) -> Value {
        match self.find(layer, level, index) {
            Some(s) => s.range(raw),
            None => convert_range(raw, "", &Utf16Index::default()),
        }
    }

    /// The policy at a place, as a trace names it: SCP and RCP traces carry their level, the others
    /// only the policy index (a VPC endpoint trace's level is its policy index).
    fn find(&self, layer: Layer, level: Option<usize>, index: usize) -> Option<&Source<'a>> {
        self.items.iter().find(|s| {
            s.layer == layer
                && s.index == index
                && (!matches!(layer, Layer::Scp | Layer::Rcp) || s.level == level)
        })
    }
}

/// A document (scenario, policies or request text) with its index, built on first use.
pub struct Document<'a> {
    pub text: &'a str,
    utf16: Option<Cow<'a, Utf16Index>>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str) -> Document<'a> {
        Document { text, utf16: None }
    }

    /// A document whose index was built before (a prepared set's policies document).
    pub fn indexed(text: &'a str, utf16: &'a Utf16Index) -> Document<'a> {
        Document {
            text,
            utf16: Some(Cow::Borrowed(utf16)),
        }
    }

    fn range(&mut self, v: &Value) -> Value {
        let text = self.text;
        let idx = self
            .utf16
            .get_or_insert_with(|| Cow::Owned(Utf16Index::new(text)));
        convert_range(v, text, idx)
    }
}

fn to_value<T: Serialize>(v: &T) -> Value {
    // The engine's result types are plain data (strings, numbers, maps with string keys):
    // serialising them to a JSON value cannot fail.
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// `{"start": byte, "end": byte}` -> `{"start": Position, "end": Position}`.
pub(crate) fn convert_range(v: &Value, text: &str, idx: &Utf16Index) -> Value {
    let get = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0) as u32;
    to_value(&idx.range(
        text,
        iamscope_syntax::TextRange::new(get("start"), get("end")),
    ))
}

fn layer_of(v: &Value) -> Option<Layer> {
    serde_json::from_value(v.get("layer")?.clone()).ok()
}

fn usize_of(v: &Value, key: &str) -> Option<usize> {
    v.get(key).and_then(Value::as_u64).map(|n| n as usize)
}

/// An evaluation result with UTF-16 ranges. `scenario` is the scenario document when the policies
/// came from one (for `scenarioRange`).
pub fn result_value(
    result: &EvalResult,
    sources: &Sources<'_>,
    scenario: Option<&mut Document<'_>>,
) -> Value {
    let mut v = to_value(result);
    let mut scenario = scenario;
    if let Some(layers) = v.get_mut("layers").and_then(Value::as_array_mut) {
        for layer in layers {
            let kind = layer_of(layer);
            let level = usize_of(layer, "level");
            let Some(statements) = layer.get_mut("statements").and_then(Value::as_array_mut) else {
                continue;
            };
            for st in statements {
                let src = kind.and_then(|k| {
                    usize_of(st, "policyIndex").and_then(|i| sources.find(k, level, i))
                });
                let Some(obj) = st.as_object_mut() else {
                    continue;
                };
                convert_policy_ranges(obj, src);
                if let (Some(doc), Some(r)) = (scenario.as_deref_mut(), obj.get("scenarioRange")) {
                    let converted = doc.range(r);
                    obj.insert("scenarioRange".into(), converted);
                }
            }
        }
    }
    v
}

/// A statement's `range` and its conditions' ranges, in its policy's text (or an empty text when
/// the policy is not one of the set's, as for the `RCPFullAWSAccess` that AWS attaches).
fn convert_policy_ranges(st: &mut Map<String, Value>, src: Option<&Source<'_>>) {
    let empty = Utf16Index::default();
    let convert = |r: &Value| match src {
        Some(s) => s.range(r),
        None => convert_range(r, "", &empty),
    };
    if let Some(r) = st.get("range") {
        let converted = convert(r);
        st.insert("range".into(), converted);
    }
    if let Some(conds) = st.get_mut("conditions").and_then(Value::as_array_mut) {
        for c in conds {
            if let Some(obj) = c.as_object_mut()
                && let Some(r) = obj.get("range")
            {
                let converted = convert(r);
                obj.insert("range".into(), converted);
            }
        }
    }
}

/// `{"decision": null, "errors": [...]}` with UTF-16 ranges: a policy error's range is in its
/// policy's text, any other error's in `doc` (the scenario, policies or request document).
pub fn errors_value(errors: &[EvalError], sources: &Sources<'_>, doc: &mut Document<'_>) -> Value {
    let list = errors
        .iter()
        .map(|e| {
            let mut v = to_value(e);
            if let (Some(obj), Some(r)) = (v.as_object_mut(), e.range) {
                let raw = to_value(&r);
                let converted = match (e.layer, e.policy_index) {
                    (Some(layer), Some(i)) => match sources.find(layer, e.level, i) {
                        Some(s) => s.range(&raw),
                        None => doc.range(&raw),
                    },
                    _ => doc.range(&raw),
                };
                obj.insert("range".into(), converted);
            }
            v
        })
        .collect();
    let mut out = Map::new();
    out.insert("decision".into(), Value::Null);
    out.insert("errors".into(), Value::Array(list));
    Value::Object(out)
}

/// `simulate(scenarioText)`: parse, evaluate, convert. Never fails: problems are an error result.
pub fn simulate(scenario_text: &str) -> Value {
    let mut doc = Document::new(scenario_text);
    let scenario = match iamscope_eval::Scenario::parse(scenario_text) {
        Ok(s) => s,
        Err(errors) => return errors_value(&errors, &Sources::default(), &mut doc),
    };
    let sources = Sources::new(&scenario.policies);
    match iamscope_eval::simulate(&scenario) {
        Ok(mut result) => {
            result
                .warnings
                .splice(0..0, scenario.warnings.iter().cloned());
            result_value(&result, &sources, Some(&mut doc))
        }
        Err(errors) => errors_value(&errors, &sources, &mut doc),
    }
}

/// A policy set prepared once (`prepare(policies)`), for evaluating many requests.
pub struct Prepared {
    /// The compiled set, or why it could not be compiled.
    set: Result<iamscope_eval::PreparedPolicySet, Value>,
    sources: Sources<'static>,
    warnings: Vec<String>,
    /// The policies document (policies embedded as objects have `scenarioRange`s into it).
    text: String,
    utf16: Utf16Index,
}

impl Prepared {
    pub fn new(policies_text: &str) -> Prepared {
        let mut doc = Document::new(policies_text);
        match iamscope_eval::PolicySet::parse(policies_text) {
            Err(errors) => Prepared {
                set: Err(errors_value(&errors, &Sources::default(), &mut doc)),
                sources: Sources::default(),
                warnings: Vec::new(),
                text: String::new(),
                utf16: Utf16Index::default(),
            },
            Ok((set, warnings)) => {
                let sources = Sources::new(&set);
                let compiled = iamscope_eval::PreparedPolicySet::new(&set)
                    .map_err(|errors| errors_value(&errors, &sources, &mut doc));
                Prepared {
                    set: compiled,
                    sources: sources.into_owned(),
                    warnings,
                    text: policies_text.to_string(),
                    utf16: Utf16Index::new(policies_text),
                }
            }
        }
    }

    /// The problems that keep the set from being evaluated (empty when it is usable).
    pub fn errors(&self) -> Value {
        match &self.set {
            Ok(_) => Value::Array(Vec::new()),
            Err(v) => v.get("errors").cloned().unwrap_or(Value::Array(Vec::new())),
        }
    }

    /// Unknown fields in the policies object.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Evaluates one request (the `request` object of a scenario, as JSON text).
    pub fn simulate(&self, request_text: &str) -> Value {
        let set = match &self.set {
            Ok(s) => s,
            Err(v) => return v.clone(),
        };
        let mut doc = Document::new(request_text);
        let (request, mut warnings) = match iamscope_eval::Request::parse(request_text) {
            Ok(r) => r,
            Err(errors) => return errors_value(&errors, &self.sources, &mut doc),
        };
        match set.evaluate(&request) {
            Ok(mut result) => {
                warnings.splice(0..0, self.warnings.iter().cloned());
                result.warnings.splice(0..0, warnings);
                let mut doc = Document::indexed(&self.text, &self.utf16);
                result_value(&result, &self.sources, Some(&mut doc))
            }
            Err(errors) => errors_value(&errors, &self.sources, &mut doc),
        }
    }
}

impl Prepared {
    /// The decision and deciding layer only, without the trace: `{decision, decidingLayer,
    /// decidingLevel}` (the engine's fast path), or the error answer.
    pub fn decide(&self, request_text: &str) -> Value {
        let set = match &self.set {
            Ok(s) => s,
            Err(v) => return v.clone(),
        };
        let mut doc = Document::new(request_text);
        let request = match iamscope_eval::Request::parse(request_text) {
            Ok((r, _)) => r,
            Err(errors) => return errors_value(&errors, &self.sources, &mut doc),
        };
        match set.decide(&request) {
            Ok(verdict) => to_value(&verdict),
            Err(errors) => errors_value(&errors, &self.sources, &mut doc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SID_EMOJI: &str = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\u{e9}\u{1F600}x\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"a\"}}}]}";

    fn scenario() -> String {
        let mut s = String::from("{\"policies\":{\"identity\":[");
        iamscope_syntax::json::write_json_string(SID_EMOJI, &mut s);
        s.push_str("]},\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/alice\",\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::b/k\"}}");
        s
    }

    fn utf16_of(text: &str, needle: &str) -> u64 {
        text[..text.find(needle).unwrap()].encode_utf16().count() as u64
    }

    #[test]
    fn statement_and_condition_ranges_are_utf16_in_the_policy_text() {
        let v = simulate(&scenario());
        assert_eq!(v["decision"], "ImplicitDeny", "{v:#}");
        assert_eq!(v["missingContextKeys"][0], "aws:PrincipalTag/team");
        let st = &v["layers"][0]["statements"][0];
        assert_eq!(
            st["range"]["start"]["offset"],
            utf16_of(SID_EMOJI, "{\"Sid")
        );
        let key = &st["conditions"][0]["range"]["start"]["offset"];
        assert_eq!(*key, utf16_of(SID_EMOJI, "\"aws:Principal"));
        // the emoji and the é: 3 bytes more than UTF-16 units before the key
        let bytes = SID_EMOJI.find("\"aws:Principal").unwrap() as u64;
        assert_eq!(key.as_u64().unwrap() + 3, bytes);
        assert!(st.get("scenarioRange").is_none());
    }

    #[test]
    fn embedded_policy_objects_get_scenario_ranges() {
        let text = "{\"policies\":{\"identity\":[{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"\u{1F600}\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}]},\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/a\",\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::b/k\"}}";
        let v = simulate(text);
        assert_eq!(v["decision"], "Allow");
        let st = &v["layers"][0]["statements"][0];
        assert_eq!(
            st["scenarioRange"]["start"]["offset"],
            utf16_of(text, "{\"Sid")
        );
    }

    #[test]
    fn rcp_full_access_has_no_text_and_zero_ranges() {
        // RCP levels get AWS's RCPFullAWSAccess, which is not in the scenario: its statement's
        // range converts against the empty text.
        let text = "{\"policies\":{\"identity\":[\"{\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}}\"],\"rcp\":[[]]},\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/a\",\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::b/k\"}}";
        let v = simulate(text);
        assert_eq!(v["decision"], "Allow", "{v:#}");
        let rcp = v["layers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["layer"] == "rcp")
            .expect("rcp layer");
        assert_eq!(rcp["statements"][0]["range"]["end"]["offset"], 0);
    }

    #[test]
    fn bad_input_is_an_error_result() {
        let v = simulate("{\"policies\":{},\"request\":{\"principal\":1}}");
        assert!(v["decision"].is_null());
        assert!(!v["errors"].as_array().unwrap().is_empty());
        let v = simulate("not json \u{1F600}");
        assert_eq!(v["errors"][0]["code"], "JSON_SYNTAX_ERROR");
        assert!(v["errors"][0]["range"]["start"]["offset"].is_u64());
    }

    #[test]
    fn prepared_matches_simulate() {
        let mut policies = String::from("{\"identity\":[");
        iamscope_syntax::json::write_json_string(SID_EMOJI, &mut policies);
        policies.push_str("]}");
        let p = Prepared::new(&policies);
        assert_eq!(p.errors(), Value::Array(vec![]));
        let req = "{\"principal\":\"arn:aws:iam::111122223333:user/alice\",\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::b/k\"}";
        assert_eq!(p.simulate(req), simulate(&scenario()));
        let full = p.simulate(req);
        let verdict = p.decide(req);
        assert_eq!(verdict["decision"], full["decision"]);
        assert_eq!(verdict["decidingLayer"], full["decidingLayer"]);
        assert!(p.decide("{}")["decision"].is_null());
        let bad = p.simulate("{\"principal\":\"x\"}");
        assert!(bad["decision"].is_null());
        let broken = Prepared::new("{\"identity\":[\"{\\\"Statement\\\":5}\"]}");
        assert!(!broken.errors().as_array().unwrap().is_empty());
        assert!(broken.simulate(req)["decision"].is_null());
    }
}
