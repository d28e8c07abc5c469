//! Redundancy suggestions: actions, resources and statements that add nothing.

mod redundant_action;
pub(crate) mod redundant_resource;
mod redundant_statement;

use crate::Rule;

pub static RULES: &[&dyn Rule] = &[
    &redundant_action::RedundantAction,
    &redundant_resource::RedundantResource,
    &redundant_statement::RedundantStatement,
];
