//! iamscope's linter: a registry of rules, one file per rule under `rules/<group>/`, each file's
//! leading doc comment being the rule's documentation (extracted by build.rs; its examples run as
//! tests and docs/rules/ is generated from it).
//!
//! [`lint`] parses, lowers, infers or takes the policy kind, runs every selected rule and applies
//! the severity overrides.

// The rule files' examples are fenced as ```` ```json kind=identity ````: the info string gives
// the example tests (docs.rs reads the examples) the policy kind. rustdoc does not know `kind=`
// and warned once per rule file in every `cargo test`; the examples are not Rust, so its check
// does not apply.
#![allow(rustdoc::invalid_codeblock_attributes)]

mod bytes;
pub mod config;
pub mod docs;
pub mod editor;
pub mod facts;
pub mod rules;
pub mod set;
pub mod summary;

use std::collections::BTreeMap;

pub use iamscope_catalog::Catalog;
pub use iamscope_policy::PolicyKind;
use iamscope_policy::{ParsedPolicy, Policy};
pub use iamscope_syntax::{Diagnostic, FindingType};
use serde::{Deserialize, Serialize};
pub use set::{PolicyInput, lint_set, lint_set_with_catalog};
pub use summary::{
    PolicySummary, StatementSummary, summarize, summarize_statements, summarize_with_statements,
};

/// Where rule documentation lives; each diagnostic's `url` is this plus `<CODE>.md`.
pub const DOCS_BASE_URL: &str = "https://github.com/iamscope/iamscope/blob/main/docs/rules/";

/// What a rule declares about itself.
#[derive(Clone, Copy, Debug)]
pub struct RuleMeta {
    /// The codes the rule emits, with their default finding types.
    pub codes: &'static [(&'static str, FindingType)],
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// `file!()` of the rule file (its doc comment is the documentation).
    pub file: &'static str,
}

/// A lint rule. `check` appends diagnostics; it must never panic on any input.
pub trait Rule: Sync + Send {
    fn meta(&self) -> RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Everything a rule may look at.
pub struct Context<'a> {
    /// The policy text (ranges index into it).
    pub text: &'a str,
    pub policy: &'a Policy,
    pub kind: PolicyKind,
    /// True when the kind was inferred rather than given.
    pub kind_inferred: bool,
    /// The AWS service catalog (the embedded one unless the caller loaded another).
    pub catalog: &'a Catalog,
    /// Per-policy data derived once and shared by the rules that need it.
    pub derived: facts::Derived<'a>,
}

impl<'a> Context<'a> {
    /// A context for `policy`, with an empty cache.
    pub fn new(
        text: &'a str,
        policy: &'a Policy,
        kind: PolicyKind,
        kind_inferred: bool,
        catalog: &'a Catalog,
    ) -> Context<'a> {
        Context {
            text,
            policy,
            kind,
            kind_inferred,
            catalog,
            derived: facts::Derived::default(),
        }
    }
}

/// Options of one lint run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LintOptions {
    /// The policy kind; inferred from the text when absent.
    pub kind: Option<PolicyKind>,
    /// When non-empty, only these codes (or finding types such as `SECURITY_WARNING`) are reported.
    pub select: Vec<String>,
    /// Codes (or finding types) never reported.
    pub ignore: Vec<String>,
    /// Finding-type overrides per code.
    pub severity: BTreeMap<String, FindingType>,
}

/// The outcome of [`lint`].
#[derive(Clone, Debug)]
pub struct LintResult {
    pub kind: PolicyKind,
    pub kind_inferred: bool,
    /// Why the kind was inferred as it was (empty when it was given).
    pub kind_reason: String,
    /// Sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
    /// The lowered policy, when the text was JSON.
    pub policy: Option<Policy>,
}

/// Guesses the kind of a policy: a Principal in any statement means a resource policy, and a
/// resource policy whose actions are all `sts:AssumeRole*` is a role trust policy; otherwise
/// identity. Returns the kind and a one-line reason.
pub fn infer_kind(policy: &Policy) -> (PolicyKind, String) {
    let with_principal: Vec<_> = policy
        .statements
        .iter()
        .filter(|s| s.principal.is_some())
        .collect();
    if with_principal.is_empty() {
        return (
            PolicyKind::Identity,
            "no statement has a Principal, so it is read as an identity policy".into(),
        );
    }
    let all_assume = with_principal.iter().all(|s| {
        s.action.as_ref().is_some_and(|a| {
            !a.not
                && !a.items.is_empty()
                && a.items.iter().all(|i| {
                    let v = i.value.to_ascii_lowercase();
                    v.starts_with("sts:assumerole")
                        || v == "sts:tagsession"
                        || v == "sts:setsourceidentity"
                        || v == "sts:setcontext"
                })
                && a.items
                    .iter()
                    .any(|i| i.value.to_ascii_lowercase().starts_with("sts:assumerole"))
        })
    });
    if all_assume {
        (PolicyKind::Trust, "every statement allows sts:AssumeRole* to a Principal, so it is read as a role trust policy".into())
    } else {
        (
            PolicyKind::Resource,
            "a statement has a Principal, so it is read as a resource-based policy".into(),
        )
    }
}

/// Lints `text` with every selected rule, against the embedded catalog.
pub fn lint(text: &str, options: &LintOptions) -> LintResult {
    lint_with_catalog(text, options, Catalog::embedded())
}

/// Lints `text` with every selected rule, against `catalog` (for a catalog loaded at run time).
pub fn lint_with_catalog(text: &str, options: &LintOptions, catalog: &Catalog) -> LintResult {
    let parsed: ParsedPolicy = iamscope_policy::parse_policy(text);
    let mut diagnostics = parsed.diagnostics;
    let (kind, kind_inferred, kind_reason) = match (&options.kind, &parsed.policy) {
        (Some(k), _) => (*k, false, String::new()),
        (None, Some(p)) => {
            let (k, why) = infer_kind(p);
            (k, true, why)
        }
        (None, None) => (
            PolicyKind::Identity,
            true,
            "the text is not JSON; identity assumed".into(),
        ),
    };
    if let Some(policy) = &parsed.policy {
        let cx = Context::new(text, policy, kind, kind_inferred, catalog);
        cx.derived.set_white_space(parsed.white_space);
        cx.derived
            .set_dollar_or_escape(parsed.dollar_or_unicode_escape);
        cx.derived.set_ascii(parsed.text_is_ascii);
        for rule in rules::all() {
            rule.check(&cx, &mut diagnostics);
        }
    }
    let diagnostics = finish(diagnostics, options);
    LintResult {
        kind,
        kind_inferred,
        kind_reason,
        diagnostics,
        policy: parsed.policy,
    }
}

fn matches_filter(d: &Diagnostic, filter: &str) -> bool {
    d.code.eq_ignore_ascii_case(filter)
        || FindingType::parse(filter).is_some_and(|t| t == d.finding_type)
        || (filter.ends_with('*')
            && d.code
                .starts_with(&filter[..filter.len() - 1].to_ascii_uppercase()))
}

/// [`finish`] for the modules of this crate that add diagnostics after [`lint`] (`set`).
pub(crate) fn finish_public(diags: Vec<Diagnostic>, options: &LintOptions) -> Vec<Diagnostic> {
    finish(diags, options)
}

/// Applies selection, severity overrides, doc links, sorting and de-duplication.
fn finish(mut diags: Vec<Diagnostic>, options: &LintOptions) -> Vec<Diagnostic> {
    for d in &mut diags {
        if let Some(t) = options.severity.get(&d.code) {
            d.finding_type = *t;
        }
        if d.url.is_none() {
            d.url = Some(format!("{DOCS_BASE_URL}{}.md", d.code));
        }
    }
    diags.retain(|d| {
        (options.select.is_empty() || options.select.iter().any(|f| matches_filter(d, f)))
            && !options.ignore.iter().any(|f| matches_filter(d, f))
    });
    iamscope_syntax::sort_diagnostics(&mut diags);
    diags.dedup_by(|a, b| a.code == b.code && a.range == b.range && a.message == b.message);
    diags
}
