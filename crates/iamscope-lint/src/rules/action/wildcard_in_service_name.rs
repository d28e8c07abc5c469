//! # WILDCARD_IN_SERVICE_NAME
//!
//! Finding type: SUGGESTION
//!
//! An action whose service prefix contains a wildcard, such as `*code*:Get*` or `s3*:List*`
//! (the bare `*` for all actions is not reported).
//!
//! ## Why it matters
//! A wildcard in the service name grants the same actions in every service whose name matches,
//! today and in the future: more than a dozen services contain `code`.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "code*:List*", "Resource": "*"}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["codecommit:List*", "codebuild:List*"], "Resource": "*"}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Action" (reference_policies_elements_action.md)
//! - Access Analyzer policy checks: "Suggestion – Wildcard in service name"

use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::diag;
use crate::{Context, Rule, RuleMeta};

pub struct WildcardInServiceName;

impl Rule for WildcardInServiceName {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("WILDCARD_IN_SERVICE_NAME", FindingType::Suggestion)],
            summary: "Wildcards in an action's service prefix match other services",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (pos, st) in cx.policy.statements.iter().enumerate() {
            let Some(a) = &st.action else { continue };
            // A list whose items all name catalog actions has no wildcard (INVALID_ACTION, which
            // runs before, expanded them: in a long list this skips a scan of every item).
            if cx.action_items_named_if_expanded(pos) {
                continue;
            }
            for (i, item) in a.items.iter().enumerate() {
                // Is there a wildcard before the first colon?
                if crate::bytes::wildcard_before_colon(item.value.as_bytes()) == Some(true) {
                    let svc = item.value.split(':').next().unwrap_or_default();
                    out.push(diag(
                        "WILDCARD_IN_SERVICE_NAME",
                        FindingType::Suggestion,
                        format!(
                            "the wildcard in the service name \"{svc}\" of {} can match other AWS services; name the services",
                            item.value
                        ),
                        item.range,
                        a.item_pointer(&st.pointer, i),
                    ));
                }
            }
        }
    }
}
