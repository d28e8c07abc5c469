//! # PASS_ROLE_WITH_STAR_IN_RESOURCE, PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE, PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION, PASS_ROLE_WITH_NOT_RESOURCE, PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE, PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE
//!
//! Finding type: SECURITY_WARNING
//!
//! An identity policy's Allow statement grants `iam:PassRole` on every role: `Resource` is `*`
//! (or `arn:aws:iam::<account>:role/*`), or `NotResource` is used, and there is no
//! `iam:PassedToService` condition. The code tells how the action is granted: by name, through a
//! wildcard (`STAR_IN_ACTION`), or through `NotAction`.
//!
//! ## Why it matters
//! Passing a role to a service (EC2, Lambda, Glue, CloudFormation, ...) lets the caller run code
//! with that role's permissions. Permission to pass every role, including administrator roles,
//! is a privilege escalation path.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
//!   "Resource": "arn:aws:iam::111122223333:role/app-instance-role",
//!   "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "Granting a user permissions to pass a role to an AWS service"
//! - Access Analyzer policy checks: "Security Warning – Pass role with ..." (six checks)

use iamscope_syntax::{Diagnostic, FindingType};

use super::{BroadGrant, arn_resource, check_broad_grant};
use crate::{Context, Rule, RuleMeta};

pub struct PassRole;

fn all_roles(s: &str) -> bool {
    s == "*"
        || arn_resource(s)
            .is_some_and(|r| r == "*" || r == "role/*" || r == "role*" || r == "*role/*")
}

const GRANT: BroadGrant = BroadGrant {
    action: "iam:PassRole",
    codes: [
        "PASS_ROLE_WITH_NOT_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
        "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
    ],
    finding_type: FindingType::SecurityWarning,
    scoping_key: "iam:PassedToService",
    broad: all_roles,
    what: "list the role ARNs that may be passed, or add an iam:PassedToService condition",
};

impl Rule for PassRole {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
                    FindingType::SecurityWarning,
                ),
                ("PASS_ROLE_WITH_NOT_RESOURCE", FindingType::SecurityWarning),
                (
                    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
                    FindingType::SecurityWarning,
                ),
                (
                    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
                    FindingType::SecurityWarning,
                ),
                (
                    "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                    FindingType::SecurityWarning,
                ),
                (
                    "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
                    FindingType::SecurityWarning,
                ),
            ],
            summary: "iam:PassRole allowed on every role (Resource * or NotResource) without iam:PassedToService",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        check_broad_grant(cx, &GRANT, out);
    }
}
