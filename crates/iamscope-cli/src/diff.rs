//! `iamscope diff old.json new.json`: which actions a policy change newly allows (or no longer
//! allows), each with a request the evaluator confirms. Exit codes: 0 no new access, 1 new
//! access found, 2 the files could not be read or evaluated.
//!
//! `iamscope check-not-granted policy.json --action A --resource R`: requests within the given
//! actions and resources that the policy allows. Exit codes: 0 none, 1 some, 2 errors.
//!
//! A file is a policy (it has `Statement`), a scenario (its `policies` are diffed as a set), or
//! the `policies` object of a scenario.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use iamscope_diff::{
    DiffError, DiffOptions, NotGrantedQuery, check_not_granted, check_not_granted_set,
    describe_change, diff_policies, diff_sets, render_text,
};
use iamscope_eval::PolicySet;
use iamscope_policy::PolicyKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The policy before the change (or a scenario / policy set).
    pub old: PathBuf,
    /// The policy after the change.
    pub new: PathBuf,
    /// The kind of both policies: identity, resource, trust, boundary, session, scp, rcp,
    /// vpc-endpoint.
    #[arg(long, default_value = "identity", value_parser = parse_kind)]
    pub kind: PolicyKind,
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// The account of the caller and of resources whose ARN names none.
    #[arg(long, default_value = "111122223333")]
    pub account: String,
    /// A caller to try (repeatable); replaces the defaults.
    #[arg(long = "principal")]
    pub principals: Vec<String>,
    /// Witnesses per action.
    #[arg(long, default_value_t = 1)]
    pub witnesses: usize,
    /// Text output: at most this many lines per section.
    #[arg(long, default_value_t = 200)]
    pub limit: usize,
}

#[derive(Args)]
pub struct NotGrantedArgs {
    /// The policy (or a scenario / policy set).
    pub policy: PathBuf,
    /// An action that must never be allowed (patterns are expanded; repeatable).
    #[arg(long = "action")]
    pub actions: Vec<String>,
    /// A resource ARN (or ARN pattern) on which those actions must never be allowed
    /// (repeatable; default: any resource).
    #[arg(long = "resource")]
    pub resources: Vec<String>,
    #[arg(long, default_value = "identity", value_parser = parse_kind)]
    pub kind: PolicyKind,
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    #[arg(long, default_value = "111122223333")]
    pub account: String,
    #[arg(long = "principal")]
    pub principals: Vec<String>,
}

fn parse_kind(s: &str) -> Result<PolicyKind, String> {
    PolicyKind::parse(s).ok_or_else(|| {
        format!(
            "unknown policy kind \"{s}\" (identity, resource, trust, boundary, session, scp, rcp, vpc-endpoint)"
        )
    })
}

/// A file's content: one policy, or a policy set.
enum Input {
    Policy(String),
    Set(Box<PolicySet>),
}

fn read(path: &PathBuf) -> Result<Input, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
    let value: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    let Some(obj) = value.as_ref().and_then(|v| v.as_object()) else {
        // not an object: let the policy parser report it
        return Ok(Input::Policy(text));
    };
    if obj.contains_key("Statement") {
        return Ok(Input::Policy(text));
    }
    let set_text = if let Some(p) = obj.get("policies") {
        let mut m = serde_json::Map::new();
        if let Some(layers) = p.as_object() {
            m.extend(layers.clone());
        }
        for k in ["managementAccount", "rcpFullAccess"] {
            if let Some(v) = obj.get(k) {
                m.insert(k.into(), v.clone());
            }
        }
        serde_json::Value::Object(m).to_string()
    } else if [
        "identity",
        "resource",
        "boundary",
        "session",
        "scp",
        "rcp",
        "vpcEndpoint",
    ]
    .iter()
    .any(|k| obj.contains_key(*k))
    {
        text
    } else {
        return Ok(Input::Policy(text));
    };
    match PolicySet::parse(&set_text) {
        Ok((set, _)) => Ok(Input::Set(Box::new(set))),
        Err(errors) => Err(format!(
            "{}: {}",
            path.display(),
            errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}

fn report(e: &DiffError) {
    for err in &e.errors {
        eprintln!("iamscope: {}: {err}", e.side);
    }
}

pub fn run(a: &DiffArgs) -> u8 {
    let opts = DiffOptions {
        kind: a.kind,
        account: a.account.clone(),
        principals: a.principals.clone(),
        witnesses_per_action: a.witnesses.max(1),
        ..DiffOptions::default()
    };
    let (old, new) = match (read(&a.old), read(&a.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("iamscope: {e}");
            return 2;
        }
    };
    let result = match (old, new) {
        (Input::Policy(o), Input::Policy(n)) => diff_policies(&o, &n, &opts),
        (Input::Set(o), Input::Set(n)) => diff_sets(&o, &n, &opts),
        _ => {
            eprintln!(
                "iamscope: compare a policy with a policy, or a policy set (scenario) with a policy set"
            );
            return 2;
        }
    };
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            report(&e);
            return 2;
        }
    };
    match a.format {
        DiffFormat::Json => match serde_json::to_string_pretty(&r) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("iamscope: {e}");
                return 2;
            }
        },
        DiffFormat::Text => print!("{}", render_text(&r, a.limit)),
    }
    u8::from(!r.added.is_empty())
}

pub fn run_not_granted(a: &NotGrantedArgs) -> u8 {
    if a.actions.is_empty() && a.resources.is_empty() {
        eprintln!("iamscope: give at least one --action or --resource");
        return 2;
    }
    let opts = DiffOptions {
        kind: a.kind,
        account: a.account.clone(),
        principals: a.principals.clone(),
        ..DiffOptions::default()
    };
    let query = NotGrantedQuery {
        actions: a.actions.clone(),
        resources: a.resources.clone(),
    };
    let result = match read(&a.policy) {
        Ok(Input::Policy(p)) => check_not_granted(&p, &query, &opts),
        Ok(Input::Set(s)) => check_not_granted_set(&s, &query, &opts),
        Err(e) => {
            eprintln!("iamscope: {e}");
            return 2;
        }
    };
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            report(&e);
            return 2;
        }
    };
    match a.format {
        DiffFormat::Json => match serde_json::to_string_pretty(&r) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("iamscope: {e}");
                return 2;
            }
        },
        DiffFormat::Text => {
            for c in &r.granted {
                println!("granted: {}", describe_change(c, true));
                println!("    as {}", c.witness.principal);
            }
            println!(
                "{} action(s) granted; {} request(s) evaluated ({}).",
                r.granted.len(),
                r.explored.candidates_evaluated,
                if r.exhaustive {
                    "exhaustive"
                } else {
                    "not exhaustive: some conditions or principals were sampled"
                }
            );
            for s in &r.sampled {
                println!("sampled: {} ({} action(s))", s.reason, s.actions);
            }
        }
    }
    u8::from(!r.granted.is_empty())
}
