//! # EMPTY_ARRAY_ACTION, EMPTY_ARRAY_RESOURCE, EMPTY_ARRAY_PRINCIPAL, EMPTY_OBJECT_PRINCIPAL, EMPTY_OBJECT_CONDITION, EMPTY_ARRAY_CONDITION, EMPTY_ARRAY_CONDITION_FORALLVALUES, EMPTY_ARRAY_CONDITION_FORANYVALUE, EMPTY_ARRAY_CONDITION_IFEXISTS
//!
//! Finding type: SUGGESTION
//!
//! An element is present but empty:
//! - `EMPTY_ARRAY_ACTION` / `EMPTY_ARRAY_RESOURCE`: `"Action": []`, `"NotResource": []`, ...
//! - `EMPTY_ARRAY_PRINCIPAL`: a principal type with no values, `{"AWS": []}`.
//! - `EMPTY_OBJECT_PRINCIPAL`: `"Principal": {}`.
//! - `EMPTY_OBJECT_CONDITION`: `"Condition": {}` or an operator block with no keys.
//! - `EMPTY_ARRAY_CONDITION`: a condition key with no values, `{"StringEquals": {"aws:PrincipalTag/team": []}}`.
//! - `EMPTY_ARRAY_CONDITION_FORALLVALUES`: the same under `ForAllValues:`, which then matches only
//!   when the key is absent from the request.
//! - `EMPTY_ARRAY_CONDITION_FORANYVALUE`: the same under `ForAnyValue:`, which then never matches.
//! - `EMPTY_ARRAY_CONDITION_IFEXISTS`: the same with an `...IfExists` operator, which then matches
//!   only when the key is absent.
//!
//! ## Why it matters
//! An empty list usually means a template rendered no values: the statement then has no effect
//! (no actions, no resources, no principals) or its condition means something other than intended.
//! Use the `Null` operator to test whether a key is present.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}
//! ```
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": []}}}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Null": {"aws:TagKeys": "true"}}}]}
//! ```
//!
//! ## Notes
//! Emitted by lowering (`iamscope_policy::lower`); this rule documents them.
//!
//! ## References
//! - Access Analyzer policy checks, "Suggestion – Empty array action", "Empty array resource",
//!   "Empty array principal", "Empty object principal", "Empty object condition", "Empty array
//!   condition", "Empty array condition ForAllValues", "Empty array condition ForAnyValue",
//!   "Empty array condition IfExists"

use iamscope_syntax::{Diagnostic, FindingType};

use crate::{Context, Rule, RuleMeta};

pub struct EmptyValues;

impl Rule for EmptyValues {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("EMPTY_ARRAY_ACTION", FindingType::Suggestion),
                ("EMPTY_ARRAY_CONDITION", FindingType::Suggestion),
                (
                    "EMPTY_ARRAY_CONDITION_FORALLVALUES",
                    FindingType::Suggestion,
                ),
                ("EMPTY_ARRAY_CONDITION_FORANYVALUE", FindingType::Suggestion),
                ("EMPTY_ARRAY_CONDITION_IFEXISTS", FindingType::Suggestion),
                ("EMPTY_ARRAY_PRINCIPAL", FindingType::Suggestion),
                ("EMPTY_ARRAY_RESOURCE", FindingType::Suggestion),
                ("EMPTY_OBJECT_CONDITION", FindingType::Suggestion),
                ("EMPTY_OBJECT_PRINCIPAL", FindingType::Suggestion),
            ],
            summary: "An Action, Resource, Principal or Condition element (or a condition key) is present but empty",
            file: file!(),
        }
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Emitted by lowering.
    }
}
