//! The IAM policy model: typed nodes with ranges and JSON pointers, lowered from the spanned JSON
//! of `iamscope-syntax`; grammar validation for every policy kind; ARN parsing; wildcard matching;
//! policy variables.

pub mod arn;
pub mod variables;
pub mod wildcard;
