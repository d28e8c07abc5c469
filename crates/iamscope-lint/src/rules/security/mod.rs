//! Security checks beyond Access Analyzer: administrator access, NotAction/NotResource allows,
//! open or unscoped trust, privilege escalation, credential exposure.

mod allow_with_not_elements;
mod broad_access_level;
mod credential_exposure;
mod cross_account_external_id;
mod full_admin;
mod open_principal;
pub(crate) mod privilege_escalation;

use crate::Rule;

pub static RULES: &[&dyn Rule] = &[
    &allow_with_not_elements::AllowWithNotElements,
    &broad_access_level::BroadAccessLevel,
    &credential_exposure::CredentialExposure,
    &cross_account_external_id::CrossAccountExternalId,
    &full_admin::FullAdmin,
    &open_principal::OpenPrincipal,
    &privilege_escalation::PrivilegeEscalation,
];
