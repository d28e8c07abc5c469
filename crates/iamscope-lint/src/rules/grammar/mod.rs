//! Grammar rules: everything that needs no service catalog. Codes that lowering
//! (`iamscope_policy::lower`) or the JSON parser already emit have a rule file here that documents
//! them (its `check` does nothing), so that every code has a page, fixtures and examples.

mod arn_format;
mod character_set;
mod condition_key_case;
mod condition_key_format;
mod condition_operator;
mod data_type_mismatch;
mod duplicate_key;
mod effect;
mod element_combination;
mod empty_values;
mod federated_principal;
mod invalid_policy_element;
mod invalid_version;
mod json_syntax_error;
mod missing_action;
mod missing_principal;
mod missing_qualifier;
mod missing_resource;
mod missing_statement;
mod missing_version;
mod multiple_boolean;
mod not_principal_allow;
mod null_operator;
mod policy_size;
mod principal_format;
mod principal_reference;
mod principal_wildcard;
mod rcp_syntax;
mod redundant_principal;
mod roles_anywhere;
mod scp_principal;
mod sid_unique;
mod sid_value;
mod trust_policy;
mod unsupported_principal;
mod util;
mod variable_placement;
mod variable_syntax;
mod wildcard_without_like;

pub use character_set::is_allowed_char;
pub use condition_key_format::key_format_error;
pub use missing_qualifier::MULTIVALUED_GLOBAL_KEYS;
pub use policy_size::policy_size;

use crate::Rule;

/// The grammar rules, in a stable order.
pub static RULES: &[&dyn Rule] = &[
    &json_syntax_error::JsonSyntaxError,
    &duplicate_key::DuplicateKey,
    &data_type_mismatch::DataTypeMismatch,
    &invalid_policy_element::InvalidPolicyElement,
    &missing_statement::MissingStatement,
    &missing_version::MissingVersion,
    &invalid_version::InvalidVersion,
    &effect::Effect,
    &missing_action::MissingAction,
    &missing_resource::MissingResource,
    &missing_principal::MissingPrincipal,
    &element_combination::ElementCombination,
    &empty_values::EmptyValues,
    &sid_unique::SidUnique,
    &sid_value::SidValue,
    &arn_format::ArnFormat,
    &variable_syntax::VariableSyntax,
    &variable_placement::VariablePlacement,
    &condition_operator::ConditionOperator,
    &null_operator::NullOperator,
    &condition_key_case::ConditionKeyCase,
    &condition_key_format::ConditionKeyFormat,
    &wildcard_without_like::WildcardWithoutLike,
    &multiple_boolean::MultipleBoolean,
    &missing_qualifier::MissingQualifier,
    &principal_format::PrincipalFormat,
    &principal_wildcard::PrincipalWildcard,
    &principal_reference::PrincipalReference,
    &federated_principal::FederatedPrincipal,
    &unsupported_principal::UnsupportedPrincipal,
    &not_principal_allow::NotPrincipalAllow,
    &trust_policy::TrustPolicy,
    &redundant_principal::RedundantPrincipal,
    &roles_anywhere::RolesAnywhere,
    &scp_principal::ScpPrincipal,
    &rcp_syntax::RcpSyntax,
    &policy_size::PolicySize,
    &character_set::CharacterSet,
];
