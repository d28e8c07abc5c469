//! Principal rules that go beyond the grammar: OIDC claims, service principals.

mod mismatched_action;
pub(crate) mod oidc_conditions;
mod service_principal_scope;

use crate::Rule;

pub static RULES: &[&dyn Rule] = &[
    &mismatched_action::MismatchedAction,
    &oidc_conditions::OidcConditions,
    &service_principal_scope::ServicePrincipalScope,
];
