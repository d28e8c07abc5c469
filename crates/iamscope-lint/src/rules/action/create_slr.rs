//! # CREATE_SLR_WITH_STAR_IN_RESOURCE, CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE, CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION, CREATE_SLR_WITH_NOT_RESOURCE, CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE, CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE
//!
//! Finding type: WARNING
//!
//! An identity policy's Allow statement grants `iam:CreateServiceLinkedRole` for every service:
//! `Resource` is `*` (or every role), or `NotResource` is used, and there is no
//! `iam:AWSServiceName` condition. The code tells how the action is granted: by name, through a
//! wildcard (`STAR_IN_ACTION`), or through `NotAction`.
//!
//! ## Why it matters
//! A service-linked role gives an AWS service permissions in your account. Allowing the creation
//! of any of them lets the caller switch on services (and their access) that were not planned.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*",
//!   "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "Using service-linked roles", "Service-linked role permissions"
//! - Access Analyzer policy checks: "General Warning – Create SLR with ..." (six checks)

use iamscope_syntax::{Diagnostic, FindingType};

use super::{BroadGrant, arn_resource, check_broad_grant};
use crate::{Context, Rule, RuleMeta};

pub struct CreateSlr;

fn all_slrs(s: &str) -> bool {
    s == "*"
        || arn_resource(s).is_some_and(|r| {
            r == "*" || r == "role/*" || r == "role*" || r == "role/aws-service-role/*"
        })
}

const GRANT: BroadGrant = BroadGrant {
    action: "iam:CreateServiceLinkedRole",
    codes: [
        "CREATE_SLR_WITH_NOT_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
        "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
    ],
    finding_type: FindingType::Warning,
    scoping_key: "iam:AWSServiceName",
    broad: all_slrs,
    what: "scope it with an iam:AWSServiceName condition or the service-linked role's ARN",
};

impl Rule for CreateSlr {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE",
                    FindingType::Warning,
                ),
                ("CREATE_SLR_WITH_NOT_RESOURCE", FindingType::Warning),
                (
                    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
                    FindingType::Warning,
                ),
                (
                    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
                    FindingType::Warning,
                ),
                ("CREATE_SLR_WITH_STAR_IN_RESOURCE", FindingType::Warning),
                (
                    "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
                    FindingType::Warning,
                ),
            ],
            summary: "iam:CreateServiceLinkedRole allowed for every service without iam:AWSServiceName",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        check_broad_grant(cx, &GRANT, out);
    }
}
