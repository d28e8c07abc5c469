//! Evaluation answers in their JavaScript shape: the engine's serialised result (the JSON the CLI
//! prints with `--format json`) with every byte range replaced by a UTF-16 [`Range`](crate::utf16::Range):
//! statement and condition ranges index into the policy's own text, `scenarioRange` and scenario
//! errors into the scenario document. Fields the engine adds later pass through unchanged, so the
//! faces cannot drift apart; the TypeScript test checks them against the `.d.ts`.

use std::collections::BTreeMap;

use iamscope_eval::{
    ConditionTrace, Decision, EvalError, EvalResult, Grant, Layer, LayerOutcome, LayerTrace,
    PolicySet, PrincipalSummary, StatementTrace,
};
use iamscope_syntax::TextRange;
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::utf16::{Range, Utf16Index, Utf16Map};

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
    /// The positions of exactly the offsets of one answer (see [`Sources::map_offsets`]).
    map: Option<Utf16Map>,
}

impl Source<'_> {
    fn range(&self, v: &Value) -> Value {
        let idx = self.utf16.get_or_init(|| Utf16Index::new(&self.text));
        convert_range(v, &self.text, idx)
    }

    fn text_range(&self, r: TextRange) -> Range {
        if let Some(map) = &self.map {
            return map.range(r);
        }
        let idx = self.utf16.get_or_init(|| Utf16Index::new(&self.text));
        idx.range(&self.text, r)
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
                    map: None,
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
                    map: None,
                })
                .collect(),
        }
    }

    /// For a single answer: the positions of exactly the statement and condition offsets `result`
    /// refers to, each text swept once up to the last of them (an ASCII stretch word by word),
    /// instead of indexing every line of every policy for a few ranges.
    pub fn map_offsets(&mut self, result: &EvalResult) {
        let mut wanted: Vec<Vec<u32>> = vec![Vec::new(); self.items.len()];
        for l in &result.layers {
            for st in &l.statements {
                let Some(k) = self.position(l.layer, l.level, st.policy_index) else {
                    continue;
                };
                let w = &mut wanted[k];
                w.extend([st.range.start, st.range.end]);
                for c in &st.conditions {
                    w.extend([c.range.start, c.range.end]);
                }
            }
        }
        for (s, w) in self.items.iter_mut().zip(wanted) {
            if !w.is_empty() {
                s.map = Some(Utf16Map::new(&s.text, w));
            }
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
        self.position(layer, level, index).map(|k| &self.items[k])
    }

    fn position(&self, layer: Layer, level: Option<usize>, index: usize) -> Option<usize> {
        self.items.iter().position(|s| {
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

    fn text_range(&mut self, r: TextRange) -> Range {
        let text = self.text;
        let idx = self
            .utf16
            .get_or_insert_with(|| Cow::Owned(Utf16Index::new(text)));
        idx.range(text, r)
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

// The JavaScript shape of an evaluation result: the engine's result types, borrowed, with each
// byte range replaced by a UTF-16 `Range`. Serialising these directly (rather than going through a
// `serde_json::Value` and rewriting it) keeps a prepared request's conversion close to the cost of
// serialising the engine's own result. `tests::same_fields_as_the_engine` checks that every field
// the engine serialises is here too, so the faces cannot drift apart.

fn no_strings(s: &&[String]) -> bool {
    s.is_empty()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsResult<'a> {
    decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    deciding_layer: Option<Layer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deciding_level: Option<usize>,
    reasons: &'a [Cow<'static, str>],
    principal: &'a PrincipalSummary<'a>,
    action: &'a str,
    resource: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_account: Option<&'a str>,
    cross_account: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_policy_required: Option<&'a str>,
    layers: Vec<JsLayer<'a>>,
    missing_context_keys: &'a [String],
    derived_context: &'a BTreeMap<String, Vec<String>>,
    #[serde(skip_serializing_if = "no_strings")]
    warnings: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsLayer<'a> {
    layer: Layer,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<usize>,
    outcome: LayerOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant: Option<Grant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    statements: Vec<JsStatement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsStatement<'a> {
    policy_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<&'a str>,
    statement_index: usize,
    effect: &'a str,
    range: Range,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario_range: Option<Range>,
    pointer: &'a str,
    resource_matched: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal_matched: Option<bool>,
    conditions_matched: bool,
    matched: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant: Option<Grant>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conditions: Vec<JsCondition<'a>>,
    #[serde(skip_serializing_if = "no_strings")]
    notes: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsCondition<'a> {
    operator: &'a str,
    key: &'a str,
    policy_values: &'a [Option<String>],
    request_values: Option<&'a [String]>,
    result: bool,
    missing: bool,
    range: Range,
    #[serde(skip_serializing_if = "no_strings")]
    notes: &'a [String],
}

fn statement<'a>(
    st: &'a StatementTrace,
    src: Option<&Source<'_>>,
    scenario: &mut Option<&mut Document<'_>>,
) -> JsStatement<'a> {
    let empty = Utf16Index::default();
    let convert = |r: TextRange| match src {
        Some(s) => s.text_range(r),
        None => empty.range("", r),
    };
    JsStatement {
        policy_index: st.policy_index,
        policy_name: st.policy_name.as_deref(),
        sid: st.sid.as_deref(),
        statement_index: st.statement_index,
        effect: &st.effect,
        range: convert(st.range),
        scenario_range: match (st.scenario_range, scenario.as_deref_mut()) {
            (Some(r), Some(doc)) => Some(doc.text_range(r)),
            _ => None,
        },
        pointer: &st.pointer,
        resource_matched: st.resource_matched,
        principal_matched: st.principal_matched,
        conditions_matched: st.conditions_matched,
        matched: st.matched,
        grant: st.grant,
        conditions: st
            .conditions
            .iter()
            .map(|c: &ConditionTrace| JsCondition {
                operator: &c.operator,
                key: &c.key,
                policy_values: &c.policy_values,
                request_values: c.request_values.as_deref(),
                result: c.result,
                missing: c.missing,
                range: convert(c.range),
                notes: &c.notes,
            })
            .collect(),
        notes: &st.notes,
    }
}

fn js_result<'a>(
    result: &'a EvalResult,
    sources: &Sources<'_>,
    mut scenario: Option<&mut Document<'_>>,
) -> JsResult<'a> {
    JsResult {
        decision: result.decision,
        deciding_layer: result.deciding_layer,
        deciding_level: result.deciding_level,
        reasons: &result.reasons,
        principal: &result.principal,
        action: &result.action,
        resource: &result.resource,
        resource_account: result.resource_account.as_deref(),
        cross_account: result.cross_account,
        resource_policy_required: result.resource_policy_required.as_deref(),
        layers: result
            .layers
            .iter()
            .map(|l: &LayerTrace| JsLayer {
                layer: l.layer,
                level: l.level,
                outcome: l.outcome,
                grant: l.grant,
                note: l.note.as_deref(),
                statements: l
                    .statements
                    .iter()
                    .map(|st| {
                        let src = sources.find(l.layer, l.level, st.policy_index);
                        statement(st, src, &mut scenario)
                    })
                    .collect(),
            })
            .collect(),
        missing_context_keys: &result.missing_context_keys,
        derived_context: &result.derived_context,
        warnings: &result.warnings,
    }
}

/// An evaluation result with UTF-16 ranges, as JSON text. `scenario` is the document the
/// policies came from (for `scenarioRange`).
pub fn result_json(
    result: &EvalResult,
    sources: &Sources<'_>,
    scenario: Option<&mut Document<'_>>,
) -> String {
    // Plain data with string keys: serialising cannot fail.
    serde_json::to_string(&js_result(result, sources, scenario)).unwrap_or_default()
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

/// `simulate(scenarioText)`: parse, evaluate, convert; the answer as JSON text. Never fails:
/// problems are an error answer.
pub fn simulate(scenario_text: &str) -> String {
    let mut doc = Document::new(scenario_text);
    let scenario = match iamscope_eval::Scenario::parse(scenario_text) {
        Ok(s) => s,
        Err(errors) => return errors_value(&errors, &Sources::default(), &mut doc).to_string(),
    };
    let mut sources = Sources::new(&scenario.policies);
    match iamscope_eval::simulate(&scenario) {
        Ok(mut result) => {
            result
                .warnings
                .splice(0..0, scenario.warnings.iter().cloned());
            sources.map_offsets(&result);
            result_json(&result, &sources, Some(&mut doc))
        }
        Err(errors) => errors_value(&errors, &sources, &mut doc).to_string(),
    }
}

/// [`simulate`] for a scenario whose policy texts were taken out of the document (see
/// `Scenario::parse_with_texts`): `Some(answer)` equal to what [`simulate`] answers for the
/// document with the texts put back, or `None` when the answer would refer to the document itself
/// (an error, a policy embedded as an object with its `scenarioRange`): the caller then asks
/// [`simulate`] with the whole document, whose ranges it can point into.
pub fn simulate_parts(skeleton: &str, texts: &[(&str, &str)]) -> Option<String> {
    // The whole document's size limit: each text's JSON string is at most 6 bytes per byte
    // (`\u001f`); near the limit the document itself decides.
    let most = texts.iter().map(|(_, t)| t.len() * 6 + 2).sum::<usize>() + skeleton.len();
    if most > iamscope_eval::MAX_SCENARIO_BYTES {
        return None;
    }
    let scenario = iamscope_eval::Scenario::parse_with_texts(skeleton, texts).ok()?;
    if scenario
        .policies
        .iter()
        .any(|(_, src)| src.offset.is_some())
    {
        return None;
    }
    let mut sources = Sources::new(&scenario.policies);
    let mut result = iamscope_eval::simulate(&scenario).ok()?;
    result
        .warnings
        .splice(0..0, scenario.warnings.iter().cloned());
    sources.map_offsets(&result);
    Some(result_json(&result, &sources, None))
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
    /// Where the wrapper writes a request's fields as UTF-8 (see [`Prepared::request_buffer`]),
    /// reused from one request to the next.
    request: RefCell<Vec<u8>>,
    /// The request-independent part of every statement's trace, converted once (see
    /// [`new_sites`]).
    sites: OnceCell<(Sites, String)>,
    /// Where [`Prepared::simulate_trace`] writes an answer, reused from one request to the next.
    out: RefCell<TraceOut>,
    /// The room of the engine's traced answers, handed back after each is written (see
    /// `PreparedPolicySet::read_fields_traced`).
    lists: RefCell<iamscope_eval::AnswerLists>,
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
                request: RefCell::default(),
                sites: OnceCell::new(),
                out: RefCell::default(),
                lists: RefCell::default(),
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
                    request: RefCell::default(),
                    sites: OnceCell::new(),
                    out: RefCell::default(),
                    lists: RefCell::default(),
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

    /// Evaluates one request (the `request` object of a scenario, as JSON text); the answer as
    /// JSON text.
    pub fn simulate(&self, request_text: &str) -> String {
        let set = match &self.set {
            Ok(s) => s,
            Err(v) => return v.to_string(),
        };
        let mut doc = Document::new(request_text);
        let (request, mut warnings) = match iamscope_eval::Request::parse(request_text) {
            Ok(r) => r,
            Err(errors) => return errors_value(&errors, &self.sources, &mut doc).to_string(),
        };
        match set.evaluate(&request) {
            Ok(mut result) => {
                warnings.splice(0..0, self.warnings.iter().cloned());
                result.warnings.splice(0..0, warnings);
                let mut doc = Document::indexed(&self.text, &self.utf16);
                result_json(&result, &self.sources, Some(&mut doc))
            }
            Err(errors) => errors_value(&errors, &self.sources, &mut doc).to_string(),
        }
    }
}

impl Prepared {
    /// The decision and deciding layer only, without the trace: `{decision, decidingLayer,
    /// decidingLevel}` (the engine's fast path), or the error answer.
    pub fn decide(&self, request_text: &str) -> String {
        let set = match &self.set {
            Ok(s) => s,
            Err(v) => return v.to_string(),
        };
        let mut doc = Document::new(request_text);
        let request = match iamscope_eval::Request::parse(request_text) {
            Ok((r, _)) => r,
            Err(errors) => return errors_value(&errors, &self.sources, &mut doc).to_string(),
        };
        match set.decide(&request) {
            Ok(verdict) => serde_json::to_string(&verdict).unwrap_or_default(),
            Err(errors) => errors_value(&errors, &self.sources, &mut doc).to_string(),
        }
    }
}

/// A verdict as one number, so that `decide` with the request given as fields crosses the boundary
/// without text: bits 0-1 the decision ([`DECISIONS`] index), bits 2-4 the deciding layer (0 for
/// none, else 1 + [`LAYERS`] index), bits 5 and up the deciding level (0 for none, else 1 + level).
/// [`VERDICT_NONE`] means no verdict (an invalid request, an unusable set, a level too large to
/// encode): the caller asks again through the JSON path, which explains the problem.
pub const VERDICT_NONE: u32 = u32::MAX;

/// Encodes a verdict (see [`VERDICT_NONE`]).
pub fn encode_verdict(v: &iamscope_eval::Verdict) -> u32 {
    let decision = DECISIONS.iter().position(|d| *d == v.decision).unwrap_or(0) as u32;
    let layer = match v.deciding_layer {
        None => 0,
        Some(l) => 1 + LAYERS.iter().position(|x| *x == l).unwrap_or(0) as u32,
    };
    let level = match v.deciding_level {
        None => 0,
        Some(l) if l < (1 << 26) - 2 => l as u32 + 1,
        Some(_) => return VERDICT_NONE,
    };
    decision | (layer << 2) | (level << 5)
}

/// The names the codes stand for, as JSON text: `{"decisions": [...], "layers": [...],
/// "outcomes": [...], "grants": [...]}` (the engine's own serialisation of each value, so the
/// wrapper cannot drift from it).
pub fn verdict_names() -> String {
    let value = serde_json::json!({ "decisions": DECISIONS, "layers": LAYERS, "outcomes": OUTCOMES, "grants": GRANTS });
    value.to_string()
}

// (`ABSENT`: the length that stands for an absent `resourceAccount` in the request buffer)
pub use iamscope_trace::ABSENT;

impl Prepared {
    /// The address of the request buffer, with room for at least `len` bytes: the wrapper writes
    /// a request's fields there (UTF-8, one after the other) and then calls
    /// [`decide_buffer`](Self::decide_buffer) with their lengths, so that a request crosses into
    /// the module without an allocation or a copy on either side. The address stays valid until
    /// the next call asks for more room.
    pub fn request_buffer(&self, len: usize) -> *mut u8 {
        let mut buf = self.request.borrow_mut();
        if buf.len() < len {
            buf.resize(len, 0);
        }
        buf.as_mut_ptr()
    }

    /// The request buffer's fields: `principal`, `action`, `resource` and `resourceAccount`
    /// ([`ABSENT`]: none) bytes, in that order; `None` when they do not fit or are not UTF-8.
    fn with_fields<T>(
        &self,
        lens: [u32; 4],
        f: impl FnOnce([&str; 3], Option<&str>) -> Option<T>,
    ) -> Option<T> {
        let buf = self.request.borrow();
        let (fields, resource_account) = iamscope_trace::fields(&buf, lens)?;
        f(fields, resource_account)
    }

    /// [`decide`](Self::decide) for the request whose fields are in the request buffer (see
    /// [`request_buffer`](Self::request_buffer)), as a number (see [`VERDICT_NONE`]).
    pub fn decide_buffer(&self, lens: [u32; 4]) -> u32 {
        self.with_fields(lens, |[p, a, r], ra| Some(self.decide_fields(p, a, r, ra)))
            .unwrap_or(VERDICT_NONE)
    }

    /// [`simulate`](Self::simulate) for the request whose fields are in the request buffer; `None`
    /// when the request or the set has problems (the JSON path then reports them with their
    /// ranges).
    pub fn simulate_buffer(&self, lens: [u32; 4]) -> Option<String> {
        self.with_fields(lens, |[p, a, r], ra| self.simulate_fields(p, a, r, ra))
    }

    /// [`decide`](Self::decide) for a request given as fields, as a number (see
    /// [`VERDICT_NONE`]).
    pub fn decide_fields(
        &self,
        principal: &str,
        action: &str,
        resource: &str,
        resource_account: Option<&str>,
    ) -> u32 {
        let Ok(set) = &self.set else {
            return VERDICT_NONE;
        };
        match set.decide_fields(principal, action, resource, resource_account) {
            Ok(v) => encode_verdict(&v),
            Err(_) => VERDICT_NONE,
        }
    }

    /// [`simulate`](Self::simulate) for a request given as fields; `None` when the request or the
    /// set has problems.
    pub fn simulate_fields(
        &self,
        principal: &str,
        action: &str,
        resource: &str,
        resource_account: Option<&str>,
    ) -> Option<String> {
        let set = self.set.as_ref().ok()?;
        let mut result = set
            .evaluate_fields(principal, action, resource, resource_account)
            .ok()?;
        result.warnings.splice(0..0, self.warnings.iter().cloned());
        let mut doc = Document::indexed(&self.text, &self.utf16);
        Some(result_json(&result, &self.sources, Some(&mut doc)))
    }
}

// ---- the prepared set's answer as numbers ---------------------------------------------------------
//
// `simulate_trace` writes the same answer as `simulate_fields`, not as JSON text but as numbers
// and one UTF-8 text, with iamscope-trace's `TraceOut` (the layout is described there), a crate of
// its own so that the module compiles the writer for speed.

pub use iamscope_trace::{DECISIONS, FRESH, GRANTS, LAYERS, NEW, NONE, OUTCOMES, REQUEST};
use iamscope_trace::{Sites, TraceOut};

/// The statements of a prepared set: their places (see [`Sites`]) and the table as JSON text (each
/// statement's trace fields that do not depend on the request, in the JavaScript shape).
fn new_sites(
    set: &iamscope_eval::PreparedPolicySet,
    sources: &Sources<'_>,
    scenario: &mut Document<'_>,
) -> (Sites, String) {
    let sites = set.statement_sites();
    let mut places = Sites::default();
    let mut table = Vec::with_capacity(sites.len());
    let mut scenario = Some(scenario);
    for (place, st) in &sites {
        places.push(place.layer, place.level, place.index, st.statement_index);
        let src = sources.find(place.layer, place.level, place.index);
        table.push(statement(st, src, &mut scenario));
    }
    (places, serde_json::to_string(&table).unwrap_or_default())
}

impl Prepared {
    fn sites(&self) -> Option<&(Sites, String)> {
        let set = self.set.as_ref().ok()?;
        Some(self.sites.get_or_init(|| {
            let mut doc = Document::indexed(&self.text, &self.utf16);
            new_sites(set, &self.sources, &mut doc)
        }))
    }

    /// The table of the set's statements as JSON text: for each, the fields of its traces that do
    /// not depend on the request, in the JavaScript shape (an empty list for a set with errors).
    pub fn statement_table(&self) -> String {
        match self.sites() {
            Some((_, json)) => json.clone(),
            None => "[]".into(),
        }
    }

    /// [`simulate_buffer`](Self::simulate_buffer)'s answer as numbers and one text (see the layout
    /// above), for a wrapper that holds `known` strings of this set: the address of the numbers,
    /// whose first four are the text's address, its length in bytes, their own count and the
    /// reset flag; 0 when there is no answer (then ask `simulate`).
    pub fn simulate_trace(&self, lens: [u32; 4], known: u32) -> usize {
        self.with_fields(lens, |[p, a, r], ra| self.trace_fields(p, a, r, ra, known))
            .unwrap_or(0)
    }

    /// [`simulate_trace`](Self::simulate_trace) for a request given as fields; `None` when the
    /// request or the set has problems.
    pub fn trace_fields(
        &self,
        principal: &str,
        action: &str,
        resource: &str,
        resource_account: Option<&str>,
        known: u32,
    ) -> Option<usize> {
        let set = self.set.as_ref().ok()?;
        let (sites, _) = self.sites()?;
        self.out.borrow_mut().evaluate(
            set,
            &mut self.lists.borrow_mut(),
            [principal, action, resource],
            resource_account,
            &self.warnings,
            sites,
            &|layer, level, index, r| {
                let r = match self.sources.find(layer, level, index) {
                    Some(s) => s.text_range(r),
                    None => Utf16Index::default().range("", r),
                };
                let (a, b) = (r.start, r.end);
                [a.line, a.column, a.offset, b.line, b.column, b.offset]
            },
            known,
        )
    }

    /// How many strings a wrapper that read every answer of this set holds (see [`Strings`]).
    pub fn strings_held(&self) -> u32 {
        self.out.borrow().held() as u32
    }

    /// The numbers and the text of the last [`simulate_trace`](Self::simulate_trace) answer.
    pub fn trace_parts(&self) -> (Vec<u32>, String) {
        let out = self.out.borrow();
        (
            out.words().to_vec(),
            String::from_utf8_lossy(out.text()).into_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamscope_trace::MAX_STRING_BYTES;

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

    fn j(s: String) -> Value {
        serde_json::from_str(&s).expect("JSON answer")
    }

    #[test]
    fn statement_and_condition_ranges_are_utf16_in_the_policy_text() {
        let v = j(simulate(&scenario()));
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
        let v = j(simulate(text));
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
        let v = j(simulate(text));
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
        let v = j(simulate("{\"policies\":{},\"request\":{\"principal\":1}}"));
        assert!(v["decision"].is_null());
        assert!(!v["errors"].as_array().unwrap().is_empty());
        let v = j(simulate("not json \u{1F600}"));
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
        assert_eq!(j(p.simulate(req)), j(simulate(&scenario())));
        let full = j(p.simulate(req));
        let verdict = j(p.decide(req));
        assert_eq!(verdict["decision"], full["decision"]);
        assert_eq!(verdict["decidingLayer"], full["decidingLayer"]);
        assert!(j(p.decide("{}"))["decision"].is_null());
        let bad = j(p.simulate("{\"principal\":\"x\"}"));
        assert!(bad["decision"].is_null());
        let broken = Prepared::new("{\"identity\":[\"{\\\"Statement\\\":5}\"]}");
        assert!(!broken.errors().as_array().unwrap().is_empty());
        assert!(j(broken.simulate(req))["decision"].is_null());
    }

    #[test]
    fn fields_paths_equal_the_json_paths() {
        let p = Prepared::new(
            r#"{"identity":["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}]}"],"scp":[["{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}}"]]}"#,
        );
        assert_eq!(p.errors(), Value::Array(vec![]));
        let names = j(verdict_names());
        for (action, ra) in [
            ("s3:GetObject", None),
            ("s3:DeleteBucket", None),
            ("s3:PutObject", Some("111122223333")),
            ("ec2:DescribeInstances", Some("444455556666")),
        ] {
            let principal = "arn:aws:iam::111122223333:user/alice";
            let resource = "arn:aws:s3:::b/k";
            let mut req =
                serde_json::json!({"principal": principal, "action": action, "resource": resource});
            if let Some(a) = ra {
                req["resourceAccount"] = a.into();
            }
            let text = req.to_string();
            let fields = p
                .simulate_fields(principal, action, resource, ra)
                .expect("a valid request");
            assert_eq!(j(fields), j(p.simulate(&text)));
            let code = p.decide_fields(principal, action, resource, ra);
            assert_ne!(code, VERDICT_NONE);
            let verdict = j(p.decide(&text));
            assert_eq!(names["decisions"][(code & 3) as usize], verdict["decision"]);
            let layer = (code >> 2) & 7;
            let level = code >> 5;
            assert_eq!(
                if layer == 0 {
                    Value::Null
                } else {
                    names["layers"][(layer - 1) as usize].clone()
                },
                verdict["decidingLayer"]
            );
            assert_eq!(
                if level == 0 {
                    Value::Null
                } else {
                    Value::from(level - 1)
                },
                verdict["decidingLevel"]
            );
        }
        // invalid requests have no verdict code and no fields answer
        assert_eq!(
            p.decide_fields("nobody", "s3:GetObject", "*", None),
            VERDICT_NONE
        );
        assert!(
            p.simulate_fields("nobody", "s3:GetObject", "*", None)
                .is_none()
        );
        assert_eq!(
            p.decide_fields("arn:aws:iam::111122223333:user/a", "s3:*", "*", None),
            VERDICT_NONE
        );
    }

    /// Writes a request's fields into the request buffer the way the npm wrapper does (one after
    /// the other, UTF-8); their lengths.
    fn put_request(p: &Prepared, fields: [&str; 3], ra: Option<&str>) -> [u32; 4] {
        let total: usize = fields.iter().map(|f| f.len()).sum::<usize>() + ra.map_or(0, str::len);
        p.request_buffer(total);
        let mut buf = p.request.borrow_mut();
        let mut at = 0;
        for f in fields.iter().chain(ra.iter()) {
            buf[at..at + f.len()].copy_from_slice(f.as_bytes());
            at += f.len();
        }
        let len = |f: &str| f.len() as u32;
        [
            len(fields[0]),
            len(fields[1]),
            len(fields[2]),
            ra.map_or(ABSENT, len),
        ]
    }

    #[test]
    fn buffer_paths_equal_the_fields_paths() {
        let p = Prepared::new(
            r#"{"identity":["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"arn:aws:s3:::caf\u00e9\"}]}"]}"#,
        );
        assert_eq!(p.errors(), Value::Array(vec![]));
        let alice = "arn:aws:iam::111122223333:user/alice";
        let cases: [([&str; 3], Option<&str>); 6] = [
            ([alice, "s3:GetObject", "arn:aws:s3:::b/k"], None),
            ([alice, "s3:DeleteBucket", "arn:aws:s3:::caf\u{e9}"], None),
            ([alice, "s3:DeleteBucket", "arn:aws:s3:::cafe"], None),
            ([alice, "ec2:RunInstances", "*"], Some("444455556666")),
            (
                [
                    "arn:aws:iam::111122223333:user/\u{1F600}",
                    "s3:PutObject",
                    "*",
                ],
                Some("111122223333"),
            ),
            // a long request: the buffer grows
            (
                [alice, "s3:GetObject", &"arn:aws:s3:::b/".repeat(500)],
                None,
            ),
        ];
        for ([pr, a, r], ra) in cases {
            let lens = put_request(&p, [pr, a, r], ra);
            let code = p.decide_buffer(lens);
            assert_ne!(code, VERDICT_NONE, "{a} {r}");
            assert_eq!(code, p.decide_fields(pr, a, r, ra), "{a} {r}");
            let lens = put_request(&p, [pr, a, r], ra);
            assert_eq!(
                p.simulate_buffer(lens),
                p.simulate_fields(pr, a, r, ra),
                "{a} {r}"
            );
        }
        let codes: Vec<u32> = cases[..3]
            .iter()
            .map(|([pr, a, r], ra)| p.decide_fields(pr, a, r, *ra))
            .collect();
        assert_eq!(
            codes.iter().map(|c| c & 3).collect::<Vec<_>>(),
            [0, 1, 0],
            "Allow, ExplicitDeny (the non-ASCII resource), Allow"
        );
        // an invalid request has no answer, like on the fields path
        let lens = put_request(&p, ["nobody", "s3:GetObject", "*"], None);
        assert_eq!(p.decide_buffer(lens), VERDICT_NONE);
        assert_eq!(p.simulate_buffer(lens), None);
        // lengths beyond the buffer, and bytes that are not UTF-8, have no answer either
        let lens = put_request(&p, [alice, "s3:GetObject", "*"], None);
        let room = p.request.borrow().len() as u32;
        assert_eq!(
            p.decide_buffer([lens[0], lens[1], room, ABSENT]),
            VERDICT_NONE
        );
        assert_eq!(
            p.decide_buffer([lens[0], lens[1], lens[2], room]),
            VERDICT_NONE
        );
        assert_eq!(p.decide_buffer([u32::MAX - 1, 0, 0, ABSENT]), VERDICT_NONE);
        p.request.borrow_mut()[0] = 0xff;
        assert_eq!(p.decide_buffer(lens), VERDICT_NONE);
        // a set that cannot be evaluated has no answer
        let broken = Prepared::new("{\"identity\":[\"{\\\"Statement\\\":5}\"]}");
        let lens = put_request(&broken, [alice, "s3:GetObject", "*"], None);
        assert_eq!(broken.decide_buffer(lens), VERDICT_NONE);
        assert_eq!(broken.simulate_buffer(lens), None);
    }

    /// Scenarios whose policies are text (so that the answers hold no range into the scenario
    /// document): several layers, non-ASCII text before and inside the statements that match
    /// (UTF-16 ranges), named policies, conditions, each with several requests.
    fn text_scenarios() -> Vec<(Value, Vec<(String, String)>)> {
        let id = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"caf\u{e9}\u{1F600}\",\"Effect\":\"Allow\",\"Action\":[\"ec2:*\",\"s3:Get*\"],\"Resource\":\"*\"},\n{\"Sid\":\"\u{4e2d}\u{6587}\",\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::secret/*\",\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"\u{e9}quipe\"}}},\n{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"arn:aws:sqs:*\"}]}";
        let boundary = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"sqs:*\"],\"Resource\":\"*\"}}";
        let scp = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"ec2:Terminate*\",\"Resource\":\"*\"}]}";
        let resource = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"\u{1F511}\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}";
        let broken = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"a:b\":\"c\"}}}}";
        let mut out = Vec::new();
        let requests = [
            (
                "arn:aws:iam::111122223333:user/alice",
                "s3:GetObject",
                "arn:aws:s3:::b/k",
            ),
            (
                "arn:aws:iam::111122223333:user/alice",
                "s3:GetObject",
                "arn:aws:s3:::secret/k",
            ),
            (
                "arn:aws:iam::111122223333:user/alice",
                "ec2:TerminateInstances",
                "*",
            ),
            (
                "arn:aws:iam::111122223333:user/alice",
                "sqs:SendMessage",
                "arn:aws:sqs:us-east-1:111122223333:q",
            ),
            (
                "arn:aws:iam::444455556666:user/bob",
                "s3:GetObject",
                "arn:aws:s3:::b/k",
            ),
            (
                "arn:aws:iam::111122223333:user/alice",
                "iam:CreateUser",
                "*",
            ),
        ];
        for (principal, action, res) in requests {
            let request = serde_json::json!({"principal": principal, "action": action, "resource": res, "resourceAccount": "111122223333"});
            out.push((
                serde_json::json!({"policies": {"identity": [id, {"name": "bound\u{e9}", "policy": boundary}]}, "request": request}),
                vec![],
            ));
            out.push((
                serde_json::json!({"policies": {"identity": id, "boundary": boundary, "scp": [[scp], [scp, scp]], "resource": resource, "rcp": [[]]}, "request": request, "bogus": 1}),
                vec![],
            ));
            out.push((
                serde_json::json!({"policies": {"identity": [id, broken]}, "request": request}),
                vec![],
            ));
        }
        // Take the texts out: every string at a policy place becomes its number.
        for (scenario, parts) in &mut out {
            fn take(v: &mut Value, pointer: String, parts: &mut Vec<(String, String)>) {
                match v {
                    Value::String(s) => {
                        parts.push((pointer, std::mem::take(s)));
                        *v = Value::from(parts.len() - 1);
                    }
                    Value::Object(m) if m.contains_key("policy") => {
                        take(&mut m["policy"], format!("{pointer}/policy"), parts)
                    }
                    _ => {}
                }
            }
            let full = scenario.clone();
            let p = &mut scenario["policies"];
            for layer in ["identity", "resource", "boundary"] {
                let ptr = format!("/policies/{layer}");
                match p.get_mut(layer) {
                    Some(Value::Array(items)) => {
                        for (i, item) in items.iter_mut().enumerate() {
                            take(item, format!("{ptr}/{i}"), parts);
                        }
                    }
                    Some(v) => take(v, ptr, parts),
                    None => {}
                }
            }
            if let Some(Value::Array(levels)) = p.get_mut("scp") {
                for (l, level) in levels.iter_mut().enumerate() {
                    for (i, item) in level.as_array_mut().unwrap().iter_mut().enumerate() {
                        take(item, format!("/policies/scp/{l}/{i}"), parts);
                    }
                }
            }
            assert!(!parts.is_empty());
            parts.push(("full".into(), full.to_string()));
        }
        out
    }

    #[test]
    fn policy_texts_apart_answer_as_the_whole_document() {
        let mut answered = 0;
        for (skeleton, parts) in text_scenarios() {
            let (full, texts) = parts.split_last().unwrap();
            let texts: Vec<(&str, &str)> = texts
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect();
            let whole = j(simulate(&full.1));
            match simulate_parts(&skeleton.to_string(), &texts) {
                Some(answer) => {
                    assert_eq!(j(answer), whole, "{}", full.1);
                    answered += 1;
                }
                // only an error answer (which points into the document) is left to the document
                None => assert!(whole["decision"].is_null(), "{whole:#}"),
            }
            // a number that no text names is the usual error, never another policy
            let unnamed = &texts[..texts.len() - 1];
            if let Some(a) = simulate_parts(&skeleton.to_string(), unnamed) {
                panic!("answered without a policy text: {a}");
            }
        }
        assert!(answered >= 12, "{answered}");
        // an embedded policy object has a range into the document: the document answers
        let text = "{\"policies\":{\"identity\":[0,{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}]},\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/a\",\"action\":\"s3:GetObject\",\"resource\":\"*\"}}";
        assert!(simulate_parts(text, &[("/policies/identity/0", SID_EMOJI)]).is_none());
    }

    #[test]
    fn one_request_answers_equal_the_prepared_answers() {
        // `simulate` maps only the offsets of its answer and compiles only the statements the
        // action reaches; a prepared set indexes every line and statement: same answers.
        for (_, parts) in text_scenarios() {
            let full: Value = serde_json::from_str(&parts.last().unwrap().1).unwrap();
            let whole = j(simulate(&full.to_string()));
            let p = Prepared::new(&full["policies"].to_string());
            let prepared = j(p.simulate(&full["request"].to_string()));
            if whole["decision"].is_null() {
                assert!(prepared["decision"].is_null());
                assert_eq!(
                    whole["errors"].as_array().map(Vec::len),
                    prepared["errors"].as_array().map(Vec::len)
                );
                continue;
            }
            let mut whole = whole;
            // the whole document's unknown top-level field is not in a policies document
            match prepared.get("warnings") {
                Some(w) => whole["warnings"] = w.clone(),
                None => {
                    whole.as_object_mut().unwrap().remove("warnings");
                }
            }
            assert_eq!(whole, prepared, "{full}");
        }
    }

    #[test]
    fn the_statement_table_holds_each_traced_statement() {
        // Every statement of every answer is in the set's table, and the table's entry has the
        // statement's request-independent fields as the JSON answer has them.
        let fixed = [
            "policyIndex",
            "policyName",
            "sid",
            "statementIndex",
            "effect",
            "range",
            "scenarioRange",
            "pointer",
        ];
        let mut checked = 0;
        for (_, parts) in text_scenarios() {
            let full: Value = serde_json::from_str(&parts.last().unwrap().1).unwrap();
            let p = Prepared::new(&full["policies"].to_string());
            let Ok(set) = &p.set else { continue };
            let table = j(p.statement_table());
            let sites = p.sites().expect("a usable set");
            let answer = j(p.simulate(&full["request"].to_string()));
            let request: iamscope_eval::Request =
                iamscope_eval::Request::parse(&full["request"].to_string())
                    .unwrap()
                    .0;
            let result = set.evaluate(&request).unwrap();
            for (l, layer) in result.layers.iter().enumerate() {
                for (k, st) in layer.statements.iter().enumerate() {
                    let id = sites
                        .0
                        .find(layer.layer, layer.level, st)
                        .expect("in the table");
                    let entry = &table[id as usize];
                    let traced = &answer["layers"][l]["statements"][k];
                    for key in fixed {
                        assert_eq!(entry.get(key), traced.get(key), "{key} {full}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 20, "{checked}");
    }

    /// The new strings of a trace answer: for each string number of `words` with a tag, the tag
    /// and its text.
    fn new_strings(words: &[u32], text: &str) -> Vec<(u32, String)> {
        let mut at = 0;
        let mut out = Vec::new();
        for &w in &words[4..] {
            if w != NONE && w >= NEW {
                let n = (w & 0x3FFF_FFFF) as usize;
                out.push((w & FRESH, text[at..at + n].to_string()));
                at += n;
            }
        }
        assert_eq!(
            at,
            text.len(),
            "the text is the new strings, one after the other"
        );
        out
    }

    #[test]
    fn trace_answers_send_each_string_once_and_start_over_when_out_of_step() {
        let mut policies = String::from("{\"identity\":[");
        iamscope_syntax::json::write_json_string(SID_EMOJI, &mut policies);
        policies.push_str("]}");
        let p = Prepared::new(&policies);
        let alice = "arn:aws:iam::111122223333:user/\u{e9}\u{1F600}";
        let ask = |principal: &str, resource: &str, known: u32| {
            p.trace_fields(principal, "s3:GetObject", resource, None, known)
                .expect("an answer");
            p.trace_parts()
        };
        let (words, text) = ask(alice, "arn:aws:s3:::b/k", 0);
        assert_eq!(words[3], 0, "in step: no reset");
        let first = new_strings(&words, &text);
        assert!(
            first.iter().any(|(_, s)| s == "\u{e9}\u{1F600}"),
            "{first:?}"
        );
        assert!(first.iter().all(|(tag, _)| *tag == NEW), "all held");
        // the request's own fields are never sent: the principal's id, the action, the resource
        // and the derived aws:PrincipalArn name them
        assert!(
            !first
                .iter()
                .any(|(_, s)| s == alice || s.starts_with("arn:aws:s3"))
        );
        let request_tags = |words: &[u32]| {
            (0..4)
                .map(|k| words.iter().filter(|w| **w == REQUEST + k).count())
                .collect::<Vec<_>>()
        };
        assert_eq!(request_tags(&words), [2, 1, 1, 0]);
        let held = p.strings_held();
        assert_eq!(held as usize, first.len());
        // the same request again: every string by index, no text
        let (words, text) = ask(alice, "arn:aws:s3:::b/k", held);
        assert_eq!((words[3], text.as_str()), (0, ""));
        assert!(new_strings(&words, &text).is_empty());
        // another resource: nothing new (the resource is the request's)
        let (words, text) = ask(alice, "arn:aws:s3:::b/\u{1F511}", held);
        assert_eq!((words[3], text.as_str()), (0, ""));
        assert_eq!(p.strings_held(), held);
        // another user: only the user name (aws:username) is new
        let bob = "arn:aws:iam::111122223333:user/b\u{f6}b";
        let (words, text) = ask(bob, "arn:aws:s3:::b/k", held);
        assert_eq!(new_strings(&words, &text), [(NEW, "b\u{f6}b".into())]);
        assert_eq!(p.strings_held(), held + 1);
        // a wrapper out of step (it holds another count): both start over
        let (words, text) = ask(alice, "arn:aws:s3:::b/k", held);
        assert_eq!(words[3], 1, "reset");
        assert_eq!(new_strings(&words, &text), first);
        assert_eq!(p.strings_held(), held);
        // after a start-over the fixed strings (found by address before) are sent again, then
        // named by their new indexes
        let (words, text) = ask(alice, "arn:aws:s3:::b/k", held + 7);
        assert_eq!(words[3], 1, "reset");
        assert_eq!(new_strings(&words, &text), first);
        let (again, text) = ask(alice, "arn:aws:s3:::b/k", held);
        assert_eq!((again[3], text.as_str(), again.len()), (0, "", words.len()));
        let mut k = 0;
        for (w, a) in words[4..].iter().zip(&again[4..]) {
            if *w != NONE && *w >= NEW {
                assert_eq!(*a, k, "the k-th new string is held at k");
                k += 1;
            }
        }
        assert_eq!(k, held);
        // a string too long to be held is sent each time, and not held
        let long = format!(
            "arn:aws:iam::111122223333:user/{}",
            "\u{e9}".repeat(MAX_STRING_BYTES)
        );
        let (words, text) = ask(&long, "arn:aws:s3:::b/k", held);
        let name = "\u{e9}".repeat(MAX_STRING_BYTES);
        assert_eq!(new_strings(&words, &text), [(FRESH, name.clone())]);
        assert_eq!(p.strings_held(), held);
        let (words, text) = ask(&long, "arn:aws:s3:::b/k", held);
        assert_eq!(words[3], 0);
        assert_eq!(new_strings(&words, &text), [(FRESH, name)]);
    }

    /// Every key path of a JSON value (array items as `[]`), ranges' insides left out.
    fn key_paths(v: &Value, path: String, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = format!("{path}/{k}");
                    out.insert(p.clone());
                    if k != "range" && k != "scenarioRange" {
                        key_paths(x, p, out);
                    }
                }
            }
            Value::Array(items) => {
                for x in items {
                    key_paths(x, format!("{path}/[]"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn same_fields_as_the_engine() {
        // A scenario that makes the engine emit every optional field: levels, grants, notes,
        // conditions with missing keys, warnings, a resource account, scenario ranges.
        let text = r#"{"policies":{
            "identity":[{"name":"id","policy":{"Version":"2012-10-17","Statement":[
              {"Sid":"a","Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"},
              {"Effect":"Deny","Action":"s3:Delete*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/t":"x"}}}]}}],
            "resource":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:*","Resource":"*"}]},
            "scp":[["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"]],
            "rcp":[[]],
            "bogus":1},
          "request":{"principal":"arn:aws:iam::444455556666:user/bob","action":"s3:DeleteObject","resource":"arn:aws:s3:::b/k","resourceAccount":"111122223333","sessionIssuer":null}}"#;
        let scenario = iamscope_eval::Scenario::parse(text).expect("scenario");
        let engine = iamscope_eval::simulate(&scenario).expect("evaluates");
        let mut engine_value = serde_json::to_value(&engine).unwrap();
        engine_value["warnings"] = serde_json::json!(scenario.warnings);
        let ours = j(simulate(text));
        let (mut a, mut b) = (Default::default(), Default::default());
        key_paths(&engine_value, String::new(), &mut a);
        key_paths(&ours, String::new(), &mut b);
        assert_eq!(a, b);
        for needle in [
            "/layers/[]/level",
            "/layers/[]/statements/[]/conditions/[]/requestValues",
            "/layers/[]/statements/[]/scenarioRange",
            "/resourceAccount",
            "/warnings",
        ] {
            assert!(
                b.contains(needle),
                "the scenario does not exercise {needle}: {b:?}"
            );
        }
    }
}
