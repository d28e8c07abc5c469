//! Resource rules: ARNs against the catalog's ARN formats, actions against resource types.

mod action_resource_mismatch;
mod arn_validity;

use crate::Rule;

pub static RULES: &[&dyn Rule] = &[
    &action_resource_mismatch::ActionResourceMismatch,
    &arn_validity::ArnValidity,
];
