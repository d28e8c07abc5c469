//! # RCP_SYNTAX_ERROR_ACTION
//!
//! Finding type: ERROR
//!
//! A resource control policy names an action of a service that does not support RCPs. RCPs apply
//! only to the services AWS lists as supporting them (Amazon S3, AWS STS, AWS KMS, Amazon SQS,
//! AWS Secrets Manager and others, per the service catalog); `"*"` is allowed.
//!
//! ## Why it matters
//! AWS Organizations rejects such an RCP.
//!
//! ## Bad
//! ```json kind=rcp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": ["s3:PutObject", "ec2:RunInstances"], "Resource": "*",
//!   "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}
//! ```
//!
//! ## Good
//! ```json kind=rcp
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": ["s3:PutObject", "sqs:SendMessage"], "Resource": "*",
//!   "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}
//! ```
//!
//! ## References
//! - AWS Organizations User Guide, "Resource control policies (RCPs)": supported services
//! - Access Analyzer policy checks: RCP_SYNTAX_ERROR_ACTION

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType};

use crate::facts::{diag, has_wildcard};
use crate::{Context, Rule, RuleMeta};

pub struct RcpAction;

impl Rule for RcpAction {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[("RCP_SYNTAX_ERROR_ACTION", FindingType::Error)],
            summary: "RCP actions must belong to services that support resource control policies",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.kind != PolicyKind::Rcp {
            return;
        }
        for st in &cx.policy.statements {
            let Some(a) = &st.action else { continue };
            for (i, item) in a.items.iter().enumerate() {
                let Some((svc, _)) = item.value.split_once(':') else {
                    continue;
                };
                if has_wildcard(svc) {
                    continue;
                }
                let Some(s) = cx.catalog.service(svc) else {
                    continue;
                };
                if s.supports_rcp() {
                    continue;
                }
                let supported: Vec<&str> = cx
                    .catalog
                    .rcp_services()
                    .take(8)
                    .map(|s| s.prefix())
                    .collect();
                out.push(diag(
                    "RCP_SYNTAX_ERROR_ACTION",
                    FindingType::Error,
                    format!("{} does not support resource control policies; RCP actions must be of supported services such as {}", s.prefix(), supported.join(", ")),
                    item.range,
                    a.item_pointer(&st.pointer, i),
                ));
            }
        }
    }
}
