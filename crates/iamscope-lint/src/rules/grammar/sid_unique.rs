//! # UNIQUE_SIDS_REQUIRED, UNIQUE_SIDS_RECOMMENDED
//!
//! Finding type: ERROR (`UNIQUE_SIDS_REQUIRED`), WARNING (`UNIQUE_SIDS_RECOMMENDED`)
//!
//! Two statements have the same `Sid`. The diagnostic points at the second `Sid` value; the
//! related range is the first. Empty Sids are left to `EMPTY_SID_VALUE`.
//!
//! IAM requires unique Sids within a policy, so the duplicate is an error (`UNIQUE_SIDS_REQUIRED`)
//! in the policies IAM and STS take: identity policies, permissions boundaries, session policies
//! and role trust policies. In resource-based, VPC endpoint, SCP and RCP policies it is a warning
//! (`UNIQUE_SIDS_RECOMMENDED`): some services require unique Sids and some do not, and iamscope does
//! not know the service.
//!
//! ## Why it matters
//! Tools and people refer to statements by Sid ("the `DenyUnencrypted` statement"); duplicates make
//! that ambiguous, and IAM rejects them.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "ListBuckets", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "Error – Unique Sids required", "General Warning – Unique Sids recommended"
//! - IAM User Guide, "IAM JSON policy elements: Sid": "In IAM, the Sid value must be unique within
//!   a JSON policy" (reference_policies_elements_sid.md)

use std::collections::HashMap;

use iamscope_syntax::{Diagnostic, FindingType};

use super::util::{a_kind, is_iam_kind};
use crate::{Context, Rule, RuleMeta};

pub struct SidUnique;

impl Rule for SidUnique {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("UNIQUE_SIDS_RECOMMENDED", FindingType::Warning),
                ("UNIQUE_SIDS_REQUIRED", FindingType::Error),
            ],
            summary: "Two statements have the same Sid",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let required = is_iam_kind(cx.kind);
        let mut first = HashMap::new();
        for st in &cx.policy.statements {
            let Some(sid) = &st.sid else { continue };
            if sid.value.is_empty() {
                continue;
            }
            let Some(prev) = first.get(sid.value.as_str()) else {
                first.insert(sid.value.as_str(), (st.index, sid.range));
                continue;
            };
            let (prev_index, prev_range) = *prev;
            let d = if required {
                Diagnostic::error(
                    "UNIQUE_SIDS_REQUIRED",
                    format!(
                        "the Sid \"{}\" is also used by statement {prev_index}: Sids must be unique in {}",
                        sid.value,
                        a_kind(cx.kind)
                    ),
                    sid.range,
                    format!("{}/Sid", st.pointer),
                )
            } else {
                Diagnostic::new(
                    "UNIQUE_SIDS_RECOMMENDED",
                    FindingType::Warning,
                    format!(
                        "the Sid \"{}\" is also used by statement {prev_index}: use unique Sids",
                        sid.value
                    ),
                    sid.range,
                    format!("{}/Sid", st.pointer),
                )
            };
            out.push(d.with_related(prev_range, "first use of this Sid"));
        }
    }
}
