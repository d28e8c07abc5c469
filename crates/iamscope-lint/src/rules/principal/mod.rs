//! Principal rules that go beyond the grammar: OIDC claims, service principals.

pub(crate) mod oidc_conditions;
mod service_principal_scope;

use crate::Rule;

pub static RULES: &[&dyn Rule] = &[
    &oidc_conditions::OidcConditions,
    &service_principal_scope::ServicePrincipalScope,
];
