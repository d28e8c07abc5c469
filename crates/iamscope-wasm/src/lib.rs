//! iamscope's WebAssembly facade. It holds no analysis logic: each export converts its JavaScript
//! input to the engine's types, calls one engine function, and converts the answer back, with every
//! byte range of the UTF-8 text turned into UTF-16 line/column/offset positions (the units of
//! JavaScript strings, CodeMirror, VS Code and LSP).
//!
//! These are the raw bindings; the npm package `iamscope` wraps them in a typed API (npm/src/).
//! A bad policy never makes an export fail: it yields diagnostics. A misuse (options of the wrong
//! shape, an unusable catalog file) returns a JavaScript `Error` with a message saying what is wrong.

pub mod diffs;
pub mod lint_answer;
pub mod options;
pub mod shapes;
pub mod sim;
pub mod summary;
pub mod utf16;

use std::cell::RefCell;
use std::rc::Rc;

use iamscope_catalog::Catalog;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The module's allocator: small blocks from size-class free lists, the rest from dlmalloc (Rust's
/// default on wasm32); crates/iamscope-alloc, measured in docs/benchmarks.md ("Session 8, the
/// module's allocator").
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOC: iamscope_alloc::Alloc = iamscope_alloc::Alloc::new();

/// Installs the panic hook, so that a bug (a panic is one) shows its message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

// ---- conversions --------------------------------------------------------------------------------

/// Serialises an answer as JSON text; the typed wrapper turns it into objects with `JSON.parse`,
/// which is faster than building them field by field across the boundary and keeps a second
/// serialiser (and its code size) out of the module.
fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, JsError> {
    serde_json::to_string(value)
        .map_err(|e| JsError::new(&format!("iamscope: could not convert the result: {e}")))
}

/// Parses an options argument, which the typed wrapper hands over as JSON text (it checks the
/// value is JSON data, without cycles, first); `None` gives the defaults. Unknown fields are a
/// misuse: a misspelt option would otherwise be a silent no-op. (`options`: without serde_json's
/// deserializer.)
fn options_from_json<T: options::Options>(json: Option<String>) -> Result<T, JsError> {
    match json {
        None => Ok(T::default()),
        Some(text) => {
            options::parse(&text).map_err(|e| JsError::new(&format!("iamscope: options: {e}")))
        }
    }
}

/// Texts arrive as UTF-8 bytes: the wrapper encodes them with `TextEncoder` (native, and lone
/// surrogates become U+FFFD), and copying bytes into the module is a `memcpy`, where passing a
/// string goes through wasm-bindgen's per-character loop (40% of a simulate call with a 118 KB
/// policy). Invalid UTF-8 can only come from a direct caller of these raw bindings.
fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, JsError> {
    std::str::from_utf8(bytes)
        .map_err(|e| JsError::new(&format!("iamscope: {what} is not UTF-8: {e}")))
}

// ---- the catalog --------------------------------------------------------------------------------

thread_local! {
    /// A catalog loaded with `loadCatalog`, replacing the embedded one.
    static LOADED: RefCell<Option<Rc<Catalog>>> = const { RefCell::new(None) };
}

/// Runs `f` with the active catalog: the loaded one, else the embedded one.
fn with_catalog<R>(f: impl FnOnce(&Catalog) -> R) -> R {
    let loaded = LOADED.with(|c| c.borrow().clone());
    match loaded {
        Some(c) => f(&c),
        None => f(Catalog::embedded()),
    }
}

/// `catalogInfo()`: version, data date and counts of the active catalog.
#[wasm_bindgen(js_name = catalogInfo)]
pub fn catalog_info() -> Result<String, JsError> {
    with_catalog(|c| to_json(&c.info()))
}

/// `loadCatalog(bytes)`: replaces the active catalog with a catalog file of the same binary format
/// (a newer one, say). Returns its info. A file that does not decode throws and leaves the active
/// catalog unchanged.
#[wasm_bindgen(js_name = loadCatalog)]
pub fn load_catalog(bytes: &[u8]) -> Result<String, JsError> {
    let cat = Catalog::from_bytes(bytes)
        .map_err(|e| JsError::new(&format!("iamscope: not a usable catalog: {e}")))?;
    let info = to_json(&cat.info())?;
    LOADED.with(|c| *c.borrow_mut() = Some(Rc::new(cat)));
    Ok(info)
}

/// `resetCatalog()`: back to the embedded catalog.
#[wasm_bindgen(js_name = resetCatalog)]
pub fn reset_catalog() {
    LOADED.with(|c| *c.borrow_mut() = None);
}

/// `expandAction(pattern)`: the actions an `Action` pattern matches, in catalog order.
#[wasm_bindgen(js_name = expandAction)]
pub fn expand_action(pattern: &str) -> Result<String, JsError> {
    with_catalog(|c| {
        let infos: Vec<_> = c.expand(pattern).iter().map(|a| a.info()).collect();
        to_json(&infos)
    })
}

/// `describeAction(name)`: one action (case-insensitive), or `undefined`.
#[wasm_bindgen(js_name = describeAction)]
pub fn describe_action(name: &str) -> Result<Option<String>, JsError> {
    with_catalog(|c| match c.action(name) {
        Some(a) => to_json(&a.info()).map(Some),
        None => Ok(None),
    })
}

// ---- lint ---------------------------------------------------------------------------------------

/// `lintReport(text, optionsJson)`: the policy kind used (given or inferred, with the reason) and the
/// diagnostics with UTF-16 ranges.
#[wasm_bindgen(js_name = lintReport)]
pub fn lint_report(text: &[u8], options: Option<String>) -> Result<String, JsError> {
    let text = utf8(text, "text")?;
    let options: shapes::JsLintOptions = options_from_json(options)?;
    let result = with_catalog(|cat| iamscope_lint::lint_with_catalog(text, &options.into(), cat));
    to_json(&shapes::lint_report(text, &result))
}

thread_local! {
    /// The text buffer of `lintAnswer` (see `textBuffer`).
    static TEXT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A text buffer larger than this is released after its call instead of kept for the next.
const KEEP_TEXT_BUFFER: usize = 4 << 20;

/// `textBuffer(len)`: the address of the text buffer with room for at least `len` bytes, into
/// which the wrapper encodes a policy for `lintAnswer` (`TextEncoder.encodeInto`: no
/// intermediate byte array per call, which in Node is garbage the size of the text); 0 when the
/// room cannot be had (then pass the text to `lintReport`). Valid until the next call into the
/// module.
#[wasm_bindgen(js_name = textBuffer)]
pub fn text_buffer(len: usize) -> usize {
    TEXT.with(|t| {
        let mut buf = t.borrow_mut();
        let have = buf.len();
        if have < len {
            if buf.try_reserve(len - have).is_err() {
                return 0;
            }
            buf.resize(len, 0);
        }
        buf.as_mut_ptr() as usize
    })
}

thread_local! {
    /// The last answer of `lintAnswer` and the strings the wrapper holds.
    static LINT_ANSWER: RefCell<lint_answer::LintAnswer> = RefCell::new(Default::default());
}

/// `lintAnswer(len, optionsJson, known)`: `lintReport` of the first `len` bytes of the text
/// buffer (UTF-8, written by the caller after `textBuffer`), written as numbers and texts into
/// buffers of the module (layout in `lint_answer`) that the wrapper reads instead of JSON; `known`
/// is the number of strings the wrapper holds. The address of the answer, valid until the next
/// call into the module, or 0 when a string is too long for the layout (then ask `lintReport`).
/// Errors are `lintReport`'s.
#[wasm_bindgen(js_name = lintAnswer)]
pub fn lint_answer(len: usize, options: Option<String>, known: u32) -> Result<usize, JsError> {
    let answer = TEXT.with(|t| {
        let buf = t.borrow();
        let text = buf.get(..len).ok_or_else(|| {
            JsError::new("iamscope: lintAnswer: the length is larger than the text buffer")
        })?;
        let text = utf8(text, "text")?;
        let options: shapes::JsLintOptions = options_from_json(options)?;
        let result =
            with_catalog(|cat| iamscope_lint::lint_with_catalog(text, &options.into(), cat));
        Ok(LINT_ANSWER.with(|a| {
            let mut a = a.borrow_mut();
            match a.write(text, &result, known) {
                true => a.words.as_ptr() as usize,
                false => 0,
            }
        }))
    });
    TEXT.with(|t| {
        let mut buf = t.borrow_mut();
        if buf.capacity() > KEEP_TEXT_BUFFER {
            *buf = Vec::new();
        }
    });
    answer
}

// ---- simulate ---------------------------------------------------------------------------------

/// Converts a JSON value (an evaluation answer) to a JavaScript value.
fn json_to_json(v: &serde_json::Value) -> Result<String, JsError> {
    to_json(v)
}

/// `simulate(scenarioText)`: evaluates a scenario document (the format of `iamscope simulate`;
/// the typed wrapper serialises scenario objects) and returns the answer as JSON text (which
/// `JSON.parse` turns into objects faster than building them field by field across the boundary).
/// A bad scenario, policy or request is an answer `{decision: null, errors}`, not an exception.
#[wasm_bindgen]
pub fn simulate(scenario: &[u8]) -> Result<String, JsError> {
    Ok(sim::simulate(utf8(scenario, "scenario")?))
}

/// `simulateParts(skeleton, texts, ends, pointers)`: `simulate` for a scenario document whose
/// policy texts were taken out by the wrapper (so that a large policy is neither escaped into the
/// scenario's JSON nor unescaped again here). Text `i` is `texts[ends[i-1]..ends[i]]` (UTF-8) and
/// stands for the JSON number at the `i`-th of the `\n`-separated `pointers` in `skeleton`. The
/// answer as JSON text, or `undefined` when it would refer to the document (an error, an embedded
/// policy object): then ask `simulate` with the whole document.
#[wasm_bindgen(js_name = simulateParts)]
pub fn simulate_parts(
    skeleton: &[u8],
    texts: &[u8],
    ends: &[u32],
    pointers: &str,
) -> Result<Option<String>, JsError> {
    let skeleton = utf8(skeleton, "scenario")?;
    let all = utf8(texts, "policy texts")?;
    let mut parts = Vec::with_capacity(ends.len());
    let mut start = 0usize;
    let mut names = pointers.split('\n');
    for &end in ends {
        let (Some(text), Some(pointer)) = (all.get(start..end as usize), names.next()) else {
            return Err(JsError::new(
                "iamscope: simulateParts: the text ends and pointers do not fit the texts",
            ));
        };
        parts.push((pointer, text));
        start = end as usize;
    }
    Ok(sim::simulate_parts(skeleton, &parts))
}

/// A policy set compiled once by `prepare`; its `simulate(requestText)` evaluates one request.
#[wasm_bindgen]
pub struct PreparedPolicies {
    inner: sim::Prepared,
}

#[wasm_bindgen]
impl PreparedPolicies {
    /// Evaluates the `request` object of a scenario (as JSON text); the answer as JSON text.
    pub fn simulate(&self, request: &str) -> String {
        self.inner.simulate(request)
    }

    /// The decision and the deciding layer only (no trace), as JSON text: the fast path.
    pub fn decide(&self, request: &str) -> String {
        self.inner.decide(request)
    }

    /// The address of the request buffer with room for at least `len` bytes (see
    /// `decideBuffer`); valid until a call asks for more room.
    #[wasm_bindgen(js_name = requestBuffer)]
    pub fn request_buffer(&self, len: usize) -> usize {
        self.inner.request_buffer(len) as usize
    }

    /// `decide` for the request whose fields the caller wrote into the request buffer (UTF-8, one
    /// after the other: principal, action, resource, resourceAccount) with these byte lengths
    /// (`resource_account` 0xFFFFFFFF: none), as a number: no string crosses the boundary
    /// (`verdictNames` says what the codes stand for; 0xFFFFFFFF: no verdict, ask `decide` for the
    /// explanation).
    #[wasm_bindgen(js_name = decideBuffer)]
    pub fn decide_buffer(
        &self,
        principal: u32,
        action: u32,
        resource: u32,
        resource_account: u32,
    ) -> u32 {
        self.inner
            .decide_buffer([principal, action, resource, resource_account])
    }

    /// `simulate` for the request in the request buffer (see `decideBuffer`), without JSON text:
    /// numbers and one UTF-8 text in the module's memory, at the address returned (0: no answer,
    /// ask `simulate` for the explanation). The first four numbers are the text's address, its
    /// length in bytes, the count of numbers and whether the caller must forget the strings it
    /// holds for this set; `known` is how many it holds (the strings of earlier answers, which
    /// this one names by index); the layout is described in crates/iamscope-trace. Valid until
    /// the next call on this set.
    #[wasm_bindgen(js_name = simulateTrace)]
    pub fn simulate_trace(
        &self,
        principal: u32,
        action: u32,
        resource: u32,
        resource_account: u32,
        known: u32,
    ) -> usize {
        self.inner
            .simulate_trace([principal, action, resource, resource_account], known)
    }

    /// The set's statements as JSON text, in the order `simulateTrace` numbers them: the fields of
    /// a statement's trace that do not depend on the request.
    #[wasm_bindgen(js_name = statementTable)]
    pub fn statement_table(&self) -> String {
        self.inner.statement_table()
    }

    /// The problems that keep the set from being evaluated (empty when it is usable).
    pub fn errors(&self) -> Result<String, JsError> {
        json_to_json(&self.inner.errors())
    }

    /// Unknown fields in the policies object.
    pub fn warnings(&self) -> Vec<String> {
        self.inner.warnings().to_vec()
    }
}

/// `verdictNames()`: what the numbers of `PreparedPolicies.decideBuffer` stand for, as JSON text
/// `{"decisions": [...], "layers": [...]}`.
#[wasm_bindgen(js_name = verdictNames)]
pub fn verdict_names() -> String {
    sim::verdict_names()
}

/// `prepare(policiesText)`: parses and compiles the `policies` object of a scenario (plus
/// `managementAccount` and `rcpFullAccess`) once.
#[wasm_bindgen]
pub fn prepare(policies: &[u8]) -> Result<PreparedPolicies, JsError> {
    Ok(PreparedPolicies {
        inner: sim::Prepared::new(utf8(policies, "policies")?),
    })
}

// ---- access diff --------------------------------------------------------------------------------

/// `diffPolicies(oldText, newText, options)`: the access diff of two policies of one kind, as
/// JSON text (witness requests, deciding statements with UTF-16 ranges). Policies that cannot be
/// evaluated give `{side, errors}`; invalid options throw.
#[wasm_bindgen(js_name = diffPolicies)]
pub fn diff_policies(old: &[u8], new: &[u8], options: Option<String>) -> Result<String, JsError> {
    let (old, new) = (utf8(old, "oldPolicy")?, utf8(new, "newPolicy")?);
    let options: diffs::JsDiffOptions = options_from_json(options)?;
    diffs::diff_policies(old, new, options)
        .map(|v| v.to_string())
        .map_err(|e| JsError::new(&format!("iamscope: {e}")))
}

/// `diffSets(oldPoliciesJson, newPoliciesJson, options)`: the access diff of two policy sets (the
/// `policies` objects of scenarios, as JSON text).
#[wasm_bindgen(js_name = diffSets)]
pub fn diff_sets(old: &[u8], new: &[u8], options: Option<String>) -> Result<String, JsError> {
    let (old, new) = (utf8(old, "oldPolicies")?, utf8(new, "newPolicies")?);
    let options: diffs::JsDiffOptions = options_from_json(options)?;
    diffs::diff_sets(old, new, options)
        .map(|v| v.to_string())
        .map_err(|e| JsError::new(&format!("iamscope: {e}")))
}

// ---- editor support -----------------------------------------------------------------------------

/// `completions(text, offset)`: what fits at a UTF-16 offset (actions, condition keys, operators,
/// element names, ...), and the UTF-16 range an item replaces.
#[wasm_bindgen]
pub fn completions(text: &[u8], offset: u32) -> Result<String, JsError> {
    let text = utf8(text, "text")?;
    let byte = utf16::byte_offset(text, offset);
    let c = with_catalog(|cat| iamscope_lint::editor::completions(text, byte, cat));
    to_json(&shapes::completions(text, c))
}

/// `hover(text, offset)`: Markdown about the string at a UTF-16 offset, or `undefined`.
#[wasm_bindgen]
pub fn hover(text: &[u8], offset: u32) -> Result<Option<String>, JsError> {
    let text = utf8(text, "text")?;
    let byte = utf16::byte_offset(text, offset);
    match with_catalog(|cat| iamscope_lint::editor::hover(text, byte, cat)) {
        Some(h) => to_json(&shapes::hover(text, h)).map(Some),
        None => Ok(None),
    }
}

/// `summarize(text, optionsJson)`: the least-privilege summary (per service and access level,
/// wildcard expansions) and what each statement's action list covers, with UTF-16 statement ranges.
#[wasm_bindgen]
pub fn summarize(text: &[u8], options: Option<String>) -> Result<String, JsError> {
    let text = utf8(text, "text")?;
    let options: summary::JsSummaryOptions = options_from_json(options)?;
    to_json(&with_catalog(|cat| {
        summary::summarize_text(text, &options, cat)
    }))
}

/// `listRules()`: every rule code with its finding type, summary, documentation and URL.
#[wasm_bindgen(js_name = listRules)]
pub fn list_rules() -> Result<String, JsError> {
    to_json(&iamscope_lint::docs::list_rules())
}

/// The version of this build (the Cargo workspace version, which the npm package also carries).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
