//! # PRIVILEGE_ESCALATION
//!
//! Finding type: SECURITY_WARNING
//!
//! An identity policy grants a published privilege-escalation path: a set of actions that,
//! together, let the holder obtain permissions it was not given. The finding names the path and
//! points at the action that grants its first step, with related locations for the others.
//! Paths checked (after Rhino Security Labs' "AWS IAM privilege escalation" research and later
//! publications):
//!
//! | path | actions |
//! |---|---|
//! | new policy version | `iam:CreatePolicyVersion` |
//! | switch policy version | `iam:SetDefaultPolicyVersion` |
//! | attach or put a policy on a user, group or role | `iam:AttachUserPolicy`, `iam:AttachGroupPolicy`, `iam:PutUserPolicy`, `iam:PutGroupPolicy`; `iam:AttachRolePolicy` or `iam:PutRolePolicy` with `sts:AssumeRole` |
//! | join a group | `iam:AddUserToGroup` |
//! | rewrite a trust policy | `iam:UpdateAssumeRolePolicy` with `sts:AssumeRole` |
//! | credentials of other users | `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile` (not limited to `${aws:username}`) |
//! | pass a role to new compute | `iam:PassRole` with `ec2:RunInstances`; `lambda:CreateFunction` + `lambda:InvokeFunction` or `lambda:CreateEventSourceMapping`; `glue:CreateDevEndpoint`; `cloudformation:CreateStack`; `datapipeline:CreatePipeline` + `datapipeline:PutPipelineDefinition`; `sagemaker:CreateNotebookInstance` + `sagemaker:CreatePresignedNotebookInstanceUrl`; `codebuild:CreateProject` + `codebuild:StartBuild`; `ecs:RegisterTaskDefinition` + `ecs:RunTask`; `autoscaling:CreateLaunchConfiguration` + `autoscaling:CreateAutoScalingGroup` |
//! | change code that runs with a role | `lambda:UpdateFunctionCode`; `glue:UpdateDevEndpoint` |
//!
//! An unconditional Deny of one of the actions on `*` in the same policy blocks the path. Paths
//! that need actions from several policies of one principal are found by `lint_set`.
//!
//! ## Why it matters
//! A principal that can escalate effectively has administrator access, whatever else its policy
//! says.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [
//!   {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/*"},
//!   {"Sid": "Run", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [
//!   {"Sid": "Run", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation" (2018)
//! - IAM User Guide, "Granting a user permissions to pass a role to an AWS service"

use std::collections::{BTreeMap, HashMap};

use iamscope_policy::PolicyKind;
use iamscope_policy::model::{Policy, Statement};
use iamscope_policy::wildcard::Pattern;
use iamscope_syntax::{Diagnostic, FindingType, TextRange};

use crate::facts::{diag, list_grants_action, resource_is_star};
use crate::{Context, Rule, RuleMeta};

pub struct PrivilegeEscalation;

/// One published escalation path.
pub struct Path {
    pub name: &'static str,
    /// Every action must be granted.
    pub actions: &'static [&'static str],
}

pub const PATHS: &[Path] = &[
    Path {
        name: "create a new default version of a managed policy",
        actions: &["iam:CreatePolicyVersion"],
    },
    Path {
        name: "switch a managed policy to an older, broader version",
        actions: &["iam:SetDefaultPolicyVersion"],
    },
    Path {
        name: "attach any managed policy to a user",
        actions: &["iam:AttachUserPolicy"],
    },
    Path {
        name: "attach any managed policy to a group",
        actions: &["iam:AttachGroupPolicy"],
    },
    Path {
        name: "attach any managed policy to a role and assume it",
        actions: &["iam:AttachRolePolicy", "sts:AssumeRole"],
    },
    Path {
        name: "write an inline policy on a user",
        actions: &["iam:PutUserPolicy"],
    },
    Path {
        name: "write an inline policy on a group",
        actions: &["iam:PutGroupPolicy"],
    },
    Path {
        name: "write an inline policy on a role and assume it",
        actions: &["iam:PutRolePolicy", "sts:AssumeRole"],
    },
    Path {
        name: "add a user to a more privileged group",
        actions: &["iam:AddUserToGroup"],
    },
    Path {
        name: "rewrite a role's trust policy and assume it",
        actions: &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    },
    Path {
        name: "create access keys for other users",
        actions: &["iam:CreateAccessKey"],
    },
    Path {
        name: "create console passwords for other users",
        actions: &["iam:CreateLoginProfile"],
    },
    Path {
        name: "change other users' console passwords",
        actions: &["iam:UpdateLoginProfile"],
    },
    Path {
        name: "pass a role to a new EC2 instance",
        actions: &["iam:PassRole", "ec2:RunInstances"],
    },
    Path {
        name: "pass a role to a new Lambda function and invoke it",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
        ],
    },
    Path {
        name: "pass a role to a new Lambda function triggered by an event source",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
        ],
    },
    Path {
        name: "replace the code of a Lambda function that runs with a role",
        actions: &["lambda:UpdateFunctionCode"],
    },
    Path {
        name: "pass a role to a new Glue development endpoint",
        actions: &["iam:PassRole", "glue:CreateDevEndpoint"],
    },
    Path {
        name: "take over a Glue development endpoint",
        actions: &["glue:UpdateDevEndpoint"],
    },
    Path {
        name: "pass a role to a new CloudFormation stack",
        actions: &["iam:PassRole", "cloudformation:CreateStack"],
    },
    Path {
        name: "pass a role to a new Data Pipeline",
        actions: &[
            "iam:PassRole",
            "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition",
        ],
    },
    Path {
        name: "pass a role to a new SageMaker notebook and open it",
        actions: &[
            "iam:PassRole",
            "sagemaker:CreateNotebookInstance",
            "sagemaker:CreatePresignedNotebookInstanceUrl",
        ],
    },
    Path {
        name: "pass a role to a new CodeBuild project and run it",
        actions: &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuild",
        ],
    },
    Path {
        name: "pass a role to a new ECS task",
        actions: &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
    },
    Path {
        name: "pass a role to new Auto Scaling instances",
        actions: &[
            "iam:PassRole",
            "autoscaling:CreateLaunchConfiguration",
            "autoscaling:CreateAutoScalingGroup",
        ],
    },
];

/// Actions that escalate only when they reach other users (a resource limited to
/// `${aws:username}` is the caller itself).
const OTHER_USERS_ONLY: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
];

/// Where an action is granted: the policy (index in a set), statement and range of the item.
#[derive(Clone, Debug)]
pub struct Grant {
    pub policy: usize,
    pub statement: usize,
    pub label: String,
    pub range: TextRange,
    pub pointer: String,
}

fn self_only(st: &Statement) -> bool {
    st.resource.as_ref().is_some_and(|r| {
        !r.not
            && !r.items.is_empty()
            && r.items.iter().all(|i| {
                let v = i.value.to_ascii_lowercase();
                v.contains("${aws:username}") || v.contains("${aws:userid}")
            })
    })
}

/// The first Allow statement of `policy` that grants `action`.
#[allow(dead_code)]
pub fn find_grant(policy: &Policy, index: usize, action: &str) -> Option<Grant> {
    GrantIndex::new(policy, index).find(action)
}

/// (position, lowercase literal items -> item index, compiled wildcard items with their index).
type IndexedStatement = (usize, HashMap<String, usize>, Vec<(Pattern, usize)>);

/// The Allow statements of one policy prepared for many action queries: literal items in a hash
/// set, wildcard items compiled once.
pub struct GrantIndex<'p> {
    policy: &'p Policy,
    index: usize,
    /// Per Allow statement (position in `policy.statements`): lowercase literal items (with the
    /// item position), compiled wildcard items (with position).
    statements: Vec<IndexedStatement>,
}

impl<'p> GrantIndex<'p> {
    pub fn new(policy: &'p Policy, index: usize) -> GrantIndex<'p> {
        let mut statements = Vec::new();
        for (pos, st) in policy.statements.iter().enumerate() {
            if !st.is_allow() || st.principal.is_some() || st.resource.is_none() {
                continue;
            }
            let Some(a) = &st.action else { continue };
            let mut lit = HashMap::new();
            let mut wild = Vec::new();
            for (i, item) in a.items.iter().enumerate() {
                if crate::facts::has_wildcard(&item.value) {
                    wild.push((Pattern::new(&item.value, true), i));
                } else {
                    lit.entry(item.value.to_ascii_lowercase()).or_insert(i);
                }
            }
            statements.push((pos, lit, wild));
        }
        GrantIndex {
            policy,
            index,
            statements,
        }
    }

    pub fn find(&self, action: &str) -> Option<Grant> {
        let other_only = OTHER_USERS_ONLY
            .iter()
            .any(|a| a.eq_ignore_ascii_case(action));
        let lower = action.to_ascii_lowercase();
        for (pos, lit, wild) in &self.statements {
            let st = &self.policy.statements[*pos];
            let Some(a) = &st.action else { continue };
            let hit = lit.get(&lower).copied().or_else(|| {
                wild.iter()
                    .find(|(p, _)| p.matches(action))
                    .map(|(_, i)| *i)
            });
            let granted = if a.not { hit.is_none() } else { hit.is_some() };
            if !granted || (other_only && self_only(st)) {
                continue;
            }
            let (range, pointer) = match (a.not, hit) {
                (false, Some(i)) => (a.items[i].range, a.item_pointer(&st.pointer, i)),
                _ => (a.span.key, a.pointer(&st.pointer)),
            };
            return Some(Grant {
                policy: self.index,
                statement: st.index,
                label: st.label(),
                range,
                pointer,
            });
        }
        None
    }
}

/// True when `policy` denies `action` on every resource without a condition.
pub fn denies(policy: &Policy, action: &str) -> bool {
    policy.statements.iter().any(|st| {
        st.is_deny()
            && st.condition.is_none()
            && st
                .action
                .as_ref()
                .is_some_and(|a| list_grants_action(a, action))
            && st.resource.as_ref().is_some_and(resource_is_star)
    })
}

/// For every path granted, the grants of its actions (in path order).
/// A granted path and the grants of its actions.
pub type GrantedPath = (&'static Path, Vec<Grant>);

pub fn granted_paths(
    grant: impl Fn(&str) -> Option<Grant>,
    denied: impl Fn(&str) -> bool,
) -> Vec<GrantedPath> {
    let mut out = Vec::new();
    'paths: for p in PATHS {
        let mut gs = Vec::with_capacity(p.actions.len());
        for a in p.actions {
            if denied(a) {
                continue 'paths;
            }
            match grant(a) {
                Some(g) => gs.push(g),
                None => continue 'paths,
            }
        }
        out.push((p, gs));
    }
    out
}

/// Groups granted paths by the set of places that grant them and builds one diagnostic per
/// group, anchored at the first grant; `name_of` names a policy for related locations.
pub fn diagnostics_for(
    paths: Vec<GrantedPath>,
    anchor_policy: usize,
    name_of: impl Fn(usize) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<Vec<(usize, usize)>, Vec<GrantedPath>> = BTreeMap::new();
    for (p, gs) in paths {
        let mut key: Vec<(usize, usize)> = gs.iter().map(|g| (g.policy, g.statement)).collect();
        key.sort_unstable();
        key.dedup();
        groups.entry(key).or_default().push((p, gs));
    }
    let mut out = Vec::new();
    for (_, ps) in groups {
        let Some(first) = ps[0].1.iter().find(|g| g.policy == anchor_policy).cloned() else {
            continue;
        };
        let names: Vec<&str> = ps.iter().map(|(p, _)| p.name).collect();
        let mut steps: Vec<String> = Vec::new();
        for (p, _) in &ps {
            steps.push(p.actions.join(" + "));
        }
        let msg = if ps.len() == 1 {
            format!(
                "privilege escalation: {} ({}) lets the holder {}",
                first.label, steps[0], names[0]
            )
        } else {
            format!(
                "privilege escalation: {} grants {} escalation paths: {}",
                first.label,
                ps.len(),
                names.join("; ")
            )
        };
        let mut d = diag(
            "PRIVILEGE_ESCALATION",
            FindingType::SecurityWarning,
            msg,
            first.range,
            first.pointer.clone(),
        )
        .with_help("remove one action of each path, or limit its resources to what is needed");
        let mut seen = vec![(first.policy, first.range)];
        for (p, gs) in &ps {
            for (a, g) in p.actions.iter().zip(gs) {
                if seen.contains(&(g.policy, g.range)) {
                    continue;
                }
                seen.push((g.policy, g.range));
                let place = match name_of(g.policy) {
                    Some(n) if g.policy != anchor_policy => format!("{} of policy {n}", g.label),
                    _ => g.label.clone(),
                };
                let message = format!("{a} is granted by {place}");
                d = if g.policy == anchor_policy {
                    d.with_related(g.range, message)
                } else {
                    d.with_related_in(g.policy as u32, g.range, message)
                };
            }
        }
        out.push(d);
    }
    out
}

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("PRIVILEGE_ESCALATION", FindingType::SecurityWarning)],
            summary: "The policy grants a known privilege-escalation path (names the statements that grant it)",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Identity {
            return;
        }
        let p = cx.policy;
        // What `granted_paths` with the catalog's expansions answers, with each distinct action
        // of the paths looked up once (their catalog indexes once per program for the embedded
        // catalog) and a grant's label and pointer written only for paths granted in full.
        let (names, path_actions) = path_names();
        let owned;
        let ids: &[Option<u32>] = if std::ptr::eq(cx.catalog, iamscope_catalog::Catalog::embedded())
        {
            static EMBEDDED: std::sync::OnceLock<Vec<Option<u32>>> = std::sync::OnceLock::new();
            EMBEDDED.get_or_init(|| catalog_ids(iamscope_catalog::Catalog::embedded(), names))
        } else {
            owned = catalog_ids(cx.catalog, names);
            &owned
        };
        // Names the catalog lacks (a catalog loaded at run time may) go through the text index.
        let fallback = std::cell::OnceCell::new();
        let text_index = || fallback.get_or_init(|| GrantIndex::new(p, 0));
        let found: Vec<Option<Found>> = names
            .iter()
            .zip(ids)
            .map(|(a, id)| match *id {
                Some(id) if denies_in(cx, id) => None,
                Some(id) => grant_place(cx, a, id).map(|(pos, i)| Found::At(pos, i)),
                None if denies(p, a) => None,
                None => text_index().find(a).map(Found::Text),
            })
            .collect();
        let paths: Vec<GrantedPath> = PATHS
            .iter()
            .zip(path_actions)
            .filter(|(_, ks)| ks.iter().all(|&k| found[k].is_some()))
            .map(|(path, ks)| {
                let gs = ks
                    .iter()
                    .filter_map(|&k| match &found[k] {
                        Some(Found::At(pos, i)) => Some(grant_at(cx, *pos, *i)),
                        Some(Found::Text(g)) => Some(g.clone()),
                        None => None,
                    })
                    .collect();
                (path, gs)
            })
            .collect();
        out.extend(diagnostics_for(paths, 0, |_| None));
    }
}

/// Where an action of the paths is granted in the linted policy.
enum Found {
    /// Statement position and item (`None`: the list itself, for NotAction).
    At(usize, Option<usize>),
    /// Found through the text index (an action the catalog lacks).
    Text(Grant),
}

/// The distinct action names of [`PATHS`], and for each path the positions of its actions among
/// them (catalog-independent, computed once).
fn path_names() -> &'static (Vec<&'static str>, Vec<Vec<usize>>) {
    static NAMES: std::sync::OnceLock<(Vec<&'static str>, Vec<Vec<usize>>)> =
        std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = Vec::new();
        let per_path = PATHS
            .iter()
            .map(|p| {
                p.actions
                    .iter()
                    .map(|a| match names.iter().position(|n| n == a) {
                        Some(k) => k,
                        None => {
                            names.push(a);
                            names.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        (names, per_path)
    })
}

/// The catalog index of each name, if the catalog has the action.
fn catalog_ids(cat: &iamscope_catalog::Catalog, names: &[&str]) -> Vec<Option<u32>> {
    names
        .iter()
        .map(|a| cat.action(a).map(|x| x.index() as u32))
        .collect()
}

/// Where the linted policy grants an action of the catalog (index `id`), as [`GrantIndex::find`]
/// would find it, from the shared expansions: the first Allow statement that applies to it, and
/// there an item whose expansion holds `id` (the case-insensitive wildcard match of the item
/// against the action's name), a literal item before a wildcard one; `None` as the item for
/// NotAction or when no item holds it.
fn grant_place(cx: &Context<'_>, action: &str, id: u32) -> Option<(usize, Option<usize>)> {
    let other_only = OTHER_USERS_ONLY
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action));
    for (pos, st) in cx.policy.statements.iter().enumerate() {
        if !st.is_allow() || st.principal.is_some() || st.resource.is_none() {
            continue;
        }
        let Some(a) = &st.action else { continue };
        // The statement's actions: the union of its items, or the complement of its NotAction.
        if !cx.statement_applies_to(pos, id) {
            continue;
        }
        if other_only && self_only(st) {
            continue;
        }
        if a.not {
            return Some((pos, None));
        }
        let holds = |i: &usize| cx.item_actions(pos, *i).binary_search(&id).is_ok();
        let wild = |i: &usize| crate::facts::has_wildcard(&a.items[*i].value);
        let hit = (0..a.items.len())
            .filter(|i| !wild(i))
            .find(holds)
            .or_else(|| (0..a.items.len()).filter(wild).find(holds));
        return Some((pos, hit));
    }
    None
}

/// The grant at statement `pos`, item `item` (the list's key when `None`).
fn grant_at(cx: &Context<'_>, pos: usize, item: Option<usize>) -> Grant {
    let st = &cx.policy.statements[pos];
    let (range, pointer) = match (&st.action, item) {
        (Some(a), Some(i)) => (a.items[i].range, a.item_pointer(&st.pointer, i)),
        (Some(a), None) => (a.span.key, a.pointer(&st.pointer)),
        (None, _) => (st.range, st.pointer.clone()),
    };
    Grant {
        policy: 0,
        statement: st.index,
        label: st.label(),
        range,
        pointer,
    }
}

/// [`denies`] for an action of the catalog (index `id`), from the shared expansions.
fn denies_in(cx: &Context<'_>, id: u32) -> bool {
    cx.policy.statements.iter().enumerate().any(|(pos, st)| {
        st.is_deny()
            && st.condition.is_none()
            && st.action.is_some()
            && st.resource.as_ref().is_some_and(resource_is_star)
            && cx.statement_applies_to(pos, id)
    })
}
