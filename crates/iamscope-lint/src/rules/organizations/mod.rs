//! AWS Organizations policies (SCPs and RCPs): catalog-backed checks.

mod rcp_action;
mod rcp_conditions;

use crate::Rule;

pub static RULES: &[&dyn Rule] = &[&rcp_action::RcpAction, &rcp_conditions::RcpConditions];
