//! Condition rules: value types and formats, IP ranges, set operators, key hygiene.

mod condition_key_exists;
mod condition_key_hygiene;
mod global_key_status;
mod invalid_date_value;
mod ip_range_format;
mod irrelevant_key;
mod key_action_support;
mod kms_key_value;
pub(crate) mod missing_tag_key;
mod mixed_value_types;
pub(crate) mod oidc_audience;
mod operator_key_type;
mod private_ip;
mod redundant_condition_value_num;
mod sensitive_key_patterns;
mod tag_key_support;
pub(crate) mod value_format;
mod value_type;
mod wildcard_only_value;

use crate::Rule;

pub static RULES: &[&dyn Rule] = &[
    &kms_key_value::KmsKeyValue,
    &sensitive_key_patterns::SensitiveKeyPatterns,
    &condition_key_exists::ConditionKeyExists,
    &global_key_status::GlobalKeyStatus,
    &operator_key_type::OperatorKeyType,
    &key_action_support::KeyActionSupport,
    &tag_key_support::TagKeySupport,
    &irrelevant_key::IrrelevantKey,
    &condition_key_hygiene::ConditionKeyHygiene,
    &invalid_date_value::InvalidDateValue,
    &ip_range_format::IpRangeFormat,
    &missing_tag_key::MissingTagKey,
    &mixed_value_types::MixedValueTypes,
    &oidc_audience::OidcAudience,
    &private_ip::PrivateIp,
    &redundant_condition_value_num::RedundantConditionValueNum,
    &value_format::ValueFormat,
    &value_type::ValueType,
    &wildcard_only_value::WildcardOnlyValue,
];
