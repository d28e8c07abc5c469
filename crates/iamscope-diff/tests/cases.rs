//! Runs tests/diff/cases/<name>/{old.json,new.json,expect.json}: the diff must report exactly the
//! expected actions, and every witness is re-evaluated here through a scenario document given to
//! `iamscope_eval::simulate_text` (independently of the diff's own check): allowed under the side
//! that grants it, not allowed under the other.
//!
//! expect.json: `doc`, `kind` (default identity), `added`/`removed` (exact action lists) or
//! `addedExpand`/`addedExcept`/`removedExpand`/`removedExcept` (catalog expansions), `exhaustive`,
//! and per-action witness constraints in `witnesses`/`removedWitnesses` (`resourceLike`,
//! `resourceNotLike`, `principalLike`, `contextLike`, `contextNot`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use iamscope_catalog::Catalog;
use iamscope_diff::{
    AccessChange, DiffOptions, DiffResult, NotGrantedQuery, Placement, Witness, check_not_granted,
    describe_change, diff_policies, diff_sets, edit_witness,
};
use iamscope_eval::{Decision, Layer, PolicySet, PolicySource};
use iamscope_policy::PolicyKind;
use iamscope_policy::wildcard::wildcard_match;
use serde_json::{Value, json};

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The scenario in which a single policy of `kind` is evaluated for this witness, following the
/// rules documented in the crate (written out here again on purpose).
fn scenario(kind: PolicyKind, policy: &str, w: &Witness) -> String {
    let p: Value = serde_json::from_str(policy).unwrap();
    let allow_all: Value = serde_json::from_str(ALLOW_ALL).unwrap();
    let policies = match kind {
        PolicyKind::Identity => json!({"identity": [p]}),
        PolicyKind::Boundary => json!({"identity": [allow_all], "boundary": p}),
        PolicyKind::Session => json!({"identity": [allow_all], "session": p}),
        PolicyKind::Scp => json!({"identity": [allow_all], "scp": [[p]]}),
        PolicyKind::Rcp => json!({"identity": [allow_all], "rcp": [[p]]}),
        PolicyKind::VpcEndpoint => json!({"identity": [allow_all], "vpcEndpoint": [p]}),
        PolicyKind::Resource | PolicyKind::Trust => {
            let owner = w.resource_account.clone().or_else(|| {
                w.resource
                    .split(':')
                    .nth(4)
                    .filter(|a| a.len() == 12)
                    .map(str::to_string)
            });
            let caller_account = w
                .principal
                .split(':')
                .nth(4)
                .filter(|a| a.len() == 12)
                .map(str::to_string);
            let cross = matches!((&owner, &caller_account), (Some(o), Some(c)) if o != c);
            if cross {
                json!({"identity": [allow_all], "resource": p})
            } else {
                json!({"resource": p})
            }
        }
    };
    json!({"policies": policies, "request": serde_json::to_value(w).unwrap()}).to_string()
}

/// The scenario a result's placement describes, built as `Placement`'s documentation says.
fn placed_scenario(placement: &Placement, policy: &str, w: &Witness) -> Value {
    let p: Value = serde_json::from_str(policy).unwrap();
    let mut identity: Vec<Value> = placement
        .identity
        .iter()
        .map(|x| json!({"name": x.name, "policy": x.policy}))
        .collect();
    let mut policies = serde_json::Map::new();
    match placement.layer {
        Layer::Identity => identity.push(p),
        Layer::Scp | Layer::Rcp => {
            policies.insert(placement.layer.as_str().into(), json!([[p]]));
        }
        Layer::VpcEndpoint => {
            policies.insert("vpcEndpoint".into(), json!([p]));
        }
        l => {
            policies.insert(l.as_str().into(), p);
        }
    }
    policies.insert("identity".into(), Value::Array(identity));
    json!({"policies": policies, "request": serde_json::to_value(w).unwrap()})
}

/// The placement a change carries for each of its witnesses reproduces the decisions the change
/// reports (exactly for the first witness; allowed / not allowed for the others), and it is the
/// placement the crate documents (`scenario`, written out independently), up to the names of the
/// added policies.
fn check_placements(c: &AccessChange, kind: PolicyKind, allowing: &str, other: &str, case: &str) {
    let p = c
        .placement
        .as_ref()
        .unwrap_or_else(|| panic!("{case}: a diff of single policies carries the placement"));
    assert_eq!(c.more_placements.len(), c.more_witnesses.len(), "{case}");
    let (allowing_decision, other_decision) = if c.new_decision == Decision::Allow {
        (c.new_decision, c.old_decision)
    } else {
        (c.old_decision, c.new_decision)
    };
    let placed =
        std::iter::once((&c.witness, p)).chain(c.more_witnesses.iter().zip(&c.more_placements));
    for (i, (w, p)) in placed.enumerate() {
        for (policy, want) in [(allowing, allowing_decision), (other, other_decision)] {
            let s = placed_scenario(p, policy, w);
            let got = iamscope_eval::simulate_text(&s.to_string())
                .unwrap_or_else(|e| panic!("{case}: {e:?}\n{s}"))
                .decision;
            if i == 0 {
                assert_eq!(got, want, "{case}: {w:?} under {s}");
            } else {
                assert_eq!(
                    got == Decision::Allow,
                    want == Decision::Allow,
                    "{case}: {w:?} under {s}"
                );
            }
            // The same layers as the documented placement, the same policies in them.
            let mut documented: Value = serde_json::from_str(&scenario(kind, policy, w)).unwrap();
            let mut placed = s.clone();
            for v in [&mut documented, &mut placed] {
                let policies = v["policies"].as_object_mut().unwrap();
                let ids = policies.entry("identity").or_insert(json!([]));
                for x in ids.as_array_mut().unwrap() {
                    if let Some(text) = x.get("policy").and_then(Value::as_str) {
                        *x = serde_json::from_str(text).unwrap();
                    }
                }
            }
            assert_eq!(placed, documented, "{case}: {w:?}");
        }
    }
}

fn decide(kind: PolicyKind, policy: &str, w: &Witness) -> Decision {
    let s = scenario(kind, policy, w);
    iamscope_eval::simulate_text(&s)
        .unwrap_or_else(|e| panic!("witness does not evaluate: {e:?}\n{s}"))
        .decision
}

fn expected(exp: &Value, which: &str) -> BTreeSet<String> {
    let cat = Catalog::embedded();
    if let Some(list) = exp.get(which).and_then(Value::as_array) {
        return list
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
    }
    let names = |k: &str| -> BTreeSet<String> {
        exp.get(k)
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .flat_map(|p| cat.expand(p.as_str().unwrap()))
                    .map(|a| a.full_name())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut s = names(&format!("{which}Expand"));
    for x in names(&format!("{which}Except")) {
        s.remove(&x);
    }
    s
}

fn check_witness(c: &AccessChange, cons: Option<&Value>, case: &str) {
    let w = &c.witness;
    let Some(cons) = cons else { return };
    if let Some(p) = cons.get("resourceLike").and_then(Value::as_str) {
        assert!(
            wildcard_match(p, &w.resource, false),
            "{case}: {} not in {p}",
            w.resource
        );
    }
    if let Some(p) = cons.get("resourceNotLike").and_then(Value::as_str) {
        assert!(
            !wildcard_match(p, &w.resource, false),
            "{case}: {} in {p}",
            w.resource
        );
    }
    if let Some(p) = cons.get("principalLike").and_then(Value::as_str) {
        assert!(
            wildcard_match(p, &w.principal, false),
            "{case}: {} not {p}",
            w.principal
        );
    }
    for (field, want) in [("contextLike", true), ("contextNot", false)] {
        if let Some(m) = cons.get(field).and_then(Value::as_object) {
            for (k, p) in m {
                let vals = w.context.get(k).map(|v| v.values()).unwrap_or_default();
                let hit = vals
                    .iter()
                    .any(|v| wildcard_match(p.as_str().unwrap(), v, false));
                assert_eq!(hit, want, "{case}: context {k}={vals:?} vs {p}");
            }
        }
    }
}

/// Re-checks every witness of a result: added ones allowed by new and not by old, removed ones
/// the other way round.
fn confirm_all(r: &DiffResult, kind: PolicyKind, old: &str, new: &str, case: &str) -> usize {
    let mut n = 0;
    for (changes, allowing, other) in [(&r.added, new, old), (&r.removed, old, new)] {
        for c in changes {
            for w in std::iter::once(&c.witness).chain(&c.more_witnesses) {
                assert_eq!(w.action, c.action);
                assert_eq!(decide(kind, allowing, w), Decision::Allow, "{case}: {w:?}");
                assert_ne!(decide(kind, other, w), Decision::Allow, "{case}: {w:?}");
                n += 1;
            }
            check_placements(c, kind, allowing, other, case);
        }
    }
    n
}

#[test]
fn diff_cases() {
    let dir = root().join("tests/diff/cases");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "cases in {}", dir.display());
    let mut witnesses = 0;
    for case_dir in &names {
        let case = case_dir.file_name().unwrap().to_string_lossy().to_string();
        let read = |f: &str| std::fs::read_to_string(case_dir.join(f)).unwrap();
        let (old, new) = (read("old.json"), read("new.json"));
        let exp: Value = serde_json::from_str(&read("expect.json")).unwrap();
        assert!(exp.get("doc").is_some(), "{case}: expect.json needs a doc");
        let kind = exp
            .get("kind")
            .and_then(Value::as_str)
            .map(|k| PolicyKind::parse(k).unwrap())
            .unwrap_or(PolicyKind::Identity);
        let opts = DiffOptions {
            kind,
            witnesses_per_action: 2,
            ..DiffOptions::default()
        };
        let r = diff_policies(&old, &new, &opts).unwrap_or_else(|e| panic!("{case}: {e}"));
        let got = |l: &[AccessChange]| -> BTreeSet<String> {
            l.iter().map(|c| c.action.clone()).collect()
        };
        assert_eq!(got(&r.added), expected(&exp, "added"), "{case}: added");
        assert_eq!(
            got(&r.removed),
            expected(&exp, "removed"),
            "{case}: removed"
        );
        if let Some(x) = exp.get("exhaustive").and_then(Value::as_bool) {
            assert_eq!(
                r.exhaustive,
                x,
                "{case}: exhaustive; sampled: {:?}",
                r.sampled.iter().map(|s| &s.reason).collect::<Vec<_>>()
            );
        }
        for c in &r.added {
            check_witness(
                c,
                exp.get("witnesses").and_then(|w| w.get(&c.action)),
                &case,
            );
            assert!(
                !c.new_statements.is_empty(),
                "{case}: the allowing statement is named"
            );
        }
        for c in &r.removed {
            check_witness(
                c,
                exp.get("removedWitnesses").and_then(|w| w.get(&c.action)),
                &case,
            );
        }
        witnesses += confirm_all(&r, kind, &old, &new, &case);
        // the reverse diff swaps added and removed
        let rev = diff_policies(&new, &old, &opts).unwrap();
        assert_eq!(got(&rev.added), got(&r.removed), "{case}: reverse");
        assert_eq!(got(&rev.removed), got(&r.added), "{case}: reverse");
        witnesses += confirm_all(&rev, kind, &new, &old, &case);
    }
    assert!(witnesses > 20, "{witnesses} witnesses confirmed");
}

#[test]
fn read_only_access_minus_one_action() {
    let text = std::fs::read_to_string(
        root().join("tests/corpus/aws-managed-policies/ReadOnlyAccess.json"),
    )
    .unwrap();
    let new = text.replacen("\"sts:GetCallerIdentity\",", "", 1);
    assert!(
        new.len() < text.len(),
        "the corpus policy lists sts:GetCallerIdentity"
    );
    let r = diff_policies(&text, &new, &DiffOptions::default()).unwrap();
    assert!(r.added.is_empty());
    let removed: Vec<&str> = r.removed.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(removed, ["sts:GetCallerIdentity"]);
    assert_eq!(r.removed[0].witness.resource, "*");
    assert!(r.exhaustive);
    assert!(r.explored.actions_unchanged > 1000);
    confirm_all(&r, PolicyKind::Identity, &text, &new, "ReadOnlyAccess");
}

#[test]
fn check_not_granted_finds_a_forbidden_request() {
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"Admin","Effect":"Allow","Action":"s3:*","Resource":"*"},
        {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::prod-*"}]}"#;
    let q = NotGrantedQuery {
        actions: vec!["s3:DeleteBucket".into()],
        resources: vec!["arn:aws:s3:::*".into()],
    };
    let r = check_not_granted(policy, &q, &DiffOptions::default()).unwrap();
    assert_eq!(r.granted.len(), 1);
    let w = &r.granted[0].witness;
    assert!(!w.resource.starts_with("arn:aws:s3:::prod-"), "{w:?}");
    assert_eq!(decide(PolicyKind::Identity, policy, w), Decision::Allow);
    assert!(r.exhaustive);
    // only prod buckets: the Deny covers them all, so nothing is granted, provably
    let q = NotGrantedQuery {
        actions: vec!["s3:DeleteBucket".into()],
        resources: vec!["arn:aws:s3:::prod-*".into()],
    };
    let r = check_not_granted(policy, &q, &DiffOptions::default()).unwrap();
    assert!(r.granted.is_empty() && r.exhaustive, "{r:#?}");
    // action patterns are expanded; resources default to any
    let q = NotGrantedQuery {
        actions: vec!["s3:Delete*".into(), "iam:*".into()],
        resources: vec![],
    };
    let r = check_not_granted(policy, &q, &DiffOptions::default()).unwrap();
    let names: Vec<&str> = r.granted.iter().map(|c| c.action.as_str()).collect();
    assert!(names.contains(&"s3:DeleteBucket") && names.contains(&"s3:DeleteObject"));
    assert!(!names.iter().any(|n| n.starts_with("iam:")));
    for c in &r.granted {
        assert_eq!(
            decide(PolicyKind::Identity, policy, &c.witness),
            Decision::Allow
        );
    }
}

#[test]
fn policy_sets_with_layers() {
    let mut old = PolicySet::default();
    old.identity.push(PolicySource::new(ALLOW_ALL));
    old.scp.push(vec![PolicySource::new(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","sqs:*"],"Resource":"*"}]}"#,
    )]);
    let mut new = old.clone();
    new.boundary = Some(PolicySource::new(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
    ));
    let r = diff_sets(&old, &new, &DiffOptions::default()).unwrap();
    assert!(r.added.is_empty());
    let sqs = Catalog::embedded().expand("sqs:*").len();
    assert_eq!(
        r.removed.len(),
        sqs,
        "the boundary removes every SQS action"
    );
    for c in &r.removed {
        // Sets are evaluated as given: no placement.
        assert!(c.placement.is_none() && c.more_placements.is_empty());
        let req = c.witness.to_request();
        let eval = |s: &PolicySet| {
            iamscope_eval::PreparedPolicySet::new(s)
                .unwrap()
                .evaluate(&req)
                .unwrap()
                .decision
        };
        assert_eq!(eval(&old), Decision::Allow);
        assert_ne!(eval(&new), Decision::Allow);
    }
    assert!(r.exhaustive);
}

#[test]
fn invalid_policies_are_errors_not_panics() {
    let good = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    for bad in [
        "",
        "{",
        "[]",
        r#"{"Statement":[{"Effect":"Maybe"}]}"#,
        "null",
    ] {
        let e = diff_policies(bad, good, &DiffOptions::default()).unwrap_err();
        assert_eq!(e.side, "old");
        let e = diff_policies(good, bad, &DiffOptions::default()).unwrap_err();
        assert_eq!(e.side, "new");
    }
    let opts = DiffOptions {
        account: "nope".into(),
        ..DiffOptions::default()
    };
    assert!(diff_policies(good, good, &opts).is_err());
}

#[test]
fn options_deserialise_from_camel_case_json() {
    let o: DiffOptions =
        serde_json::from_str(r#"{"kind":"resource","witnessesPerAction":3}"#).unwrap();
    assert_eq!(o.kind, PolicyKind::Resource);
    assert_eq!(o.witnesses_per_action, 3);
    assert_eq!(o.account, DiffOptions::default().account);
    assert!(serde_json::from_str::<DiffOptions>(r#"{"bogus":1}"#).is_err());
    let q: NotGrantedQuery = serde_json::from_str(r#"{"actions":["s3:*"]}"#).unwrap();
    assert_eq!(q.actions, ["s3:*"]);
    assert!(q.resources.is_empty());
}

#[test]
fn edit_witness_for_one_action() {
    let old = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Logs","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*"}]}"#;
    let new = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Logs","Effect":"Allow","Action":["s3:GetObject","s3:DeleteObject","s3:PutObject"],"Resource":"arn:aws:s3:::logs/*"}]}"#;
    let r = edit_witness(old, new, "s3:DeleteObject", &DiffOptions::default()).unwrap();
    assert_eq!(r.added.len(), 1);
    assert_eq!(r.explored.actions_considered, 1);
    let line = describe_change(&r.added[0], true);
    assert!(
        line.starts_with("s3:DeleteObject on arn:aws:s3:::logs/")
            && line.ends_with("(statement 0 \"Logs\")"),
        "{line}"
    );
    assert_eq!(
        decide(PolicyKind::Identity, new, &r.added[0].witness),
        Decision::Allow
    );
    let r = edit_witness(old, new, "s3:*Object", &DiffOptions::default()).unwrap();
    assert_eq!(r.added.len(), 2);
}
