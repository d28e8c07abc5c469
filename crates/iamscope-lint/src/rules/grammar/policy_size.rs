//! # POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA, POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA, POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA, POLICY_SIZE_EXCEEDS_SCP_QUOTA, POLICY_SIZE_EXCEEDS_RCP_QUOTA
//!
//! Finding type: WARNING (identity, resource, role trust), ERROR (SCP, RCP)
//!
//! The policy is longer than the quota of its kind. The size is counted in characters, without
//! the white space between JSON tokens (white space inside strings counts), as IAM counts it:
//!
//! | kind | quota | code |
//! |---|---|---|
//! | identity (managed policy), permissions boundary | 6,144 | `POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA` |
//! | role trust | 2,048 (default; can be raised to 4,096) | `POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA` |
//! | SCP | 5,120 | `POLICY_SIZE_EXCEEDS_SCP_QUOTA` |
//! | RCP | 5,120 | `POLICY_SIZE_EXCEEDS_RCP_QUOTA` |
//! | resource-based, VPC endpoint | 20,480 (S3 bucket policies; 32,768 when every action is a `kms:` action, as in KMS key policies) | `POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA` |
//!
//! Session policies (2,048 characters, packed) are not checked: Access Analyzer has no code for
//! them. Inline identity policies share an aggregate quota per user (2,048), group (5,120) or role
//! (10,240) that a single document cannot show. Resource quotas differ per service; iamscope does
//! not know the service of a resource policy, so the S3 figure is the default. AWS Organizations
//! counts white space in SCPs and RCPs saved through the API or CLI (the console removes it), so a
//! pretty-printed SCP can be rejected although this rule does not fire.
//!
//! ## Why it matters
//! AWS rejects a policy over its quota (`LimitExceeded`); the trust policy quota can be raised
//! through Service Quotas.
//!
//! ## Bad
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:role/a-very-long-role-name-number-000", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-001", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-002", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-003", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-004", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-005", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-006", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-007", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-008", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-009", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-010", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-011", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-012", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-013", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-014", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-015", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-016", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-017", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-018", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-019", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-020", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-021", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-022", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-023", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-024", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-025", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-026", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-027", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-028", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-029", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-030", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-031", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-032", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-033", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-034", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-035", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-036", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-037", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-038", "arn:aws:iam::111111111111:role/a-very-long-role-name-number-039"]}, "Action": "sts:AssumeRole"}]}
//! ```
//!
//! ## Good
//! ```json kind=trust
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/a-very-long-role-name-number-0*"}}}]}
//! ```
//!
//! ## References
//! - Access Analyzer policy checks, "General Warning – Policy size exceeds identity policy quota",
//!   "... resource policy quota", "... role trust policy quota", "Error – Policy size exceeds SCP
//!   quota", and POLICY_SIZE_EXCEEDS_RCP_QUOTA (current text)
//! - IAM User Guide, "IAM and AWS STS quotas" (reference_iam-quotas.md): role trust policy length
//!   2,048 (maximum 4,096); managed policy size; "IAM does not count white space"
//! - AWS Organizations quotas: SCP and RCP documents 5,120 characters; Amazon S3 bucket policies
//!   20 KB; AWS KMS key policies 32 KB; VPC endpoint policies 20,480 characters

use iamscope_policy::PolicyKind;
use iamscope_syntax::{Diagnostic, FindingType, TextRange};

use super::util::kind_label;
use crate::{Context, Rule, RuleMeta};

pub struct PolicySize;

/// Characters of `text` without the white space between JSON tokens (a leading byte order mark
/// is not counted either). A character is counted at its first byte.
///
/// Eight bytes at a time, without a branch per quote: a word without a backslash counts its bytes
/// less its UTF-8 continuation bytes and less its white space outside strings, where a byte is
/// inside a string when an odd number of quotes precede it (the prefix XOR of the word's quote
/// bits, flipped when the word starts inside a string). A quote is counted whichever side it is
/// on, so only white space needs the parity. Words with a backslash (escapes) and the tail go
/// byte by byte, as `policy_size_plain` (the tests' reference) counts them.
pub fn policy_size(text: &str) -> usize {
    use crate::bytes::{continuation_bytes, eq_bytes, word};
    const LO: u64 = 0x0101_0101_0101_0101;
    let b = text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes();
    let mut n = 0;
    let mut i = 0;
    let mut in_string = false;
    let mut escaped = false;
    while i < b.len() {
        if !escaped && i + 8 <= b.len() {
            let w = word(b, i);
            if eq_bytes(w, b'\\') == 0 {
                // Low bit of each byte: a quote; then the parity of the quotes up to each byte.
                let quotes = eq_bytes(w, b'"') >> 7;
                let mut inside = quotes ^ (quotes << 8);
                inside ^= inside << 16;
                inside ^= inside << 32;
                if in_string {
                    inside ^= LO;
                }
                let space = (eq_bytes(w, b' ')
                    | eq_bytes(w, b'\t')
                    | eq_bytes(w, b'\n')
                    | eq_bytes(w, b'\r'))
                    >> 7;
                let outside_space = space & !inside & LO;
                n += 8
                    - continuation_bytes(w).count_ones() as usize
                    - outside_space.count_ones() as usize;
                in_string ^= quotes.count_ones() & 1 == 1;
                i += 8;
                continue;
            }
        }
        let c = b[i];
        i += 1;
        if c & 0xC0 == 0x80 {
            continue;
        }
        if in_string {
            n += 1;
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_string = false;
            }
        } else if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            n += 1;
            in_string = c == b'"';
        }
    }
    n
}

/// The plain byte-at-a-time count [`policy_size`] must agree with.
#[cfg(test)]
fn policy_size_plain(text: &str) -> usize {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut n = 0;
    let mut in_string = false;
    let mut escaped = false;
    for &b in text.as_bytes() {
        if b & 0xC0 == 0x80 {
            continue;
        }
        if in_string {
            n += 1;
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            n += 1;
            if b == b'"' {
                in_string = true;
            }
        }
    }
    n
}

impl Rule for PolicySize {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                (
                    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                    FindingType::Warning,
                ),
                ("POLICY_SIZE_EXCEEDS_RCP_QUOTA", FindingType::Error),
                (
                    "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
                    FindingType::Warning,
                ),
                (
                    "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
                    FindingType::Warning,
                ),
                ("POLICY_SIZE_EXCEEDS_SCP_QUOTA", FindingType::Error),
            ],
            summary: "The policy, without white space, is longer than the size quota of its kind",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let all_kms = || {
            let mut any = false;
            let all = cx.policy.statements.iter().all(|st| {
                st.action.as_ref().is_some_and(|a| {
                    !a.not
                        && a.strs().all(|s| {
                            any = true;
                            s.len() > 4 && s[..4].eq_ignore_ascii_case("kms:")
                        })
                })
            });
            all && any
        };
        let (code, ft, quota) = match cx.kind {
            PolicyKind::Identity | PolicyKind::Boundary => (
                "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                FindingType::Warning,
                6_144,
            ),
            PolicyKind::Trust => (
                "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
                FindingType::Warning,
                2_048,
            ),
            PolicyKind::Scp => ("POLICY_SIZE_EXCEEDS_SCP_QUOTA", FindingType::Error, 5_120),
            PolicyKind::Rcp => ("POLICY_SIZE_EXCEEDS_RCP_QUOTA", FindingType::Error, 5_120),
            PolicyKind::Resource | PolicyKind::VpcEndpoint => (
                "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
                FindingType::Warning,
                if cx.kind == PolicyKind::Resource && all_kms() {
                    32_768
                } else {
                    20_480
                },
            ),
            PolicyKind::Session => return,
        };
        // The size is at most the byte length: most policies need no count at all.
        if cx.text.len() <= quota {
            return;
        }
        let size = cx.policy_size();
        if size <= quota {
            return;
        }
        let start = cx.policy.range.start;
        out.push(Diagnostic::new(
            code,
            ft,
            format!(
                "the {} has {size} characters without white space, more than the quota of {quota}: split it into several policies",
                kind_label(cx.kind)
            ),
            TextRange::new(start, (start + 1).min(cx.policy.range.end)),
            "",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::policy_size;

    #[test]
    fn counts_characters_outside_white_space() {
        assert_eq!(policy_size("{ \"a b\" :\n [ 1 ,\t2 ] }"), 13);
        // Escaped quotes do not end the string; multi-byte characters count once.
        assert_eq!(policy_size("[\"\\\" x\"]"), 8);
        assert_eq!(policy_size("[\"caf\u{e9} \u{1F600}\"]"), 10);
        assert_eq!(policy_size("\u{feff}{}"), 2);
    }

    /// The size from the parser's white-space count agrees with the count of the text, on every
    /// corpus policy (ASCII or not, pretty-printed or minified) and on generated documents.
    #[test]
    fn parser_white_space_gives_the_size() {
        let mut seen = 0;
        for (_, text) in crate::bytes::json_texts_under("tests/corpus") {
            check(&text);
            seen += 1;
        }
        assert!(seen > 1000, "{seen}");
        check("\u{feff}{\"Version\": \"2012-10-17\"}");
    }

    fn check(text: &str) -> bool {
        let parsed = iamscope_policy::parse_policy(text);
        let Some(policy) = &parsed.policy else {
            return false;
        };
        let cat = crate::Catalog::embedded();
        let cx = crate::Context::new(text, policy, crate::PolicyKind::Identity, false, cat);
        cx.derived.set_white_space(parsed.white_space);
        assert_eq!(cx.policy_size(), super::policy_size_plain(text), "{text}");
        if text.is_ascii() {
            assert_eq!(text.len() - parsed.white_space, policy_size(text));
        }
        true
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn parser_white_space_gives_the_size_of_generated_documents(
            ws in proptest::collection::vec("[ \t\n\r]{0,3}", 16),
            strs in proptest::collection::vec("[a-z:*\\\\\" é/]{0,6}", 3),
        ) {
            let q = |s: &str| serde_json::to_string(s).unwrap();
            let text = format!(
                "{}{{{}\"Statement\"{}:{}[{}{{\"Effect\":{}\"Allow\"{},{}\"Action\"{}:{}[{}{},{}{}{}]{}}}{}]{},\"Id\":{}{}}}{}",
                ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7], ws[8], ws[9],
                q(&strs[0]), ws[10], q(&strs[1]), ws[11], ws[12], ws[13], ws[14], ws[15],
                q(&strs[2]), ws[10], ws[0]
            );
            proptest::prop_assert!(check(&text), "{}", text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn agrees_with_the_plain_count(t in "[ \t\n\\\\\"a{}:é😀]{0,120}") {
            proptest::prop_assert_eq!(policy_size(&t), super::policy_size_plain(&t));
        }
    }
}
