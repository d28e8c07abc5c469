//! # INVALID_ARN_SERVICE_CASE, INVALID_ARN_REGION, INVALID_ARN_RESOURCE, ARN_REGION_NOT_ALLOWED, ARN_ACCOUNT_NOT_ALLOWED, MISSING_ARN_REGION, MISSING_ARN_ACCOUNT
//!
//! Finding type: ERROR
//!
//! A `Resource` or `NotResource` ARN that cannot name a resource of its service, checked against
//! the ARN formats of the service catalog (wildcards and policy variables match anything):
//! - `INVALID_ARN_SERVICE_CASE`: the service is written with capitals (`arn:aws:S3:::b`); the fix
//!   lowercases it;
//! - `INVALID_ARN_REGION`: the region is not an AWS Region (`us-east-7`);
//! - `ARN_REGION_NOT_ALLOWED` / `ARN_ACCOUNT_NOT_ALLOWED`: the service's ARNs have no region (IAM,
//!   S3 buckets) or no account (S3) but one is given;
//! - `MISSING_ARN_REGION` / `MISSING_ARN_ACCOUNT`: every ARN of the service has a region or an
//!   account, but the field is empty;
//! - `INVALID_ARN_RESOURCE`: otherwise, when the resource part fits no resource type of the service.
//!
//! ## Why it matters
//! An ARN that no resource can have matches nothing, so the statement does not apply where it was
//! meant to.
//!
//! ## Bad
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
//!   "Resource": ["arn:aws:s3:us-east-1::bucket/*", "arn:aws:iam::111122223333:group-of-roles/x"]}]}
//! ```
//!
//! ## Good
//! ```json kind=identity
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
//!   "Resource": ["arn:aws:s3:::bucket/*", "arn:aws:iam::111122223333:role/x"]}]}
//! ```
//!
//! ## References
//! - IAM User Guide, "IAM JSON policy elements: Resource" (reference_policies_elements_resource.md)
//! - Service Authorization Reference: the resource types table (ARN formats) of each service
//! - Access Analyzer policy checks: "Error – Invalid ARN resource", "Error – ARN Region not
//!   allowed", "Error – Missing ARN Region", ...

use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit};

use crate::facts::{diag, has_variable, has_wildcard, is_region};
use crate::{Context, Rule, RuleMeta};

pub struct ArnValidity;

/// The fields of an ARN format or value: (partition, service, region, account, resource).
use crate::facts::arn_fields as fields;

fn flexible(s: &str) -> bool {
    has_wildcard(s) || has_variable(s)
}

impl Rule for ArnValidity {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            codes: &[
                ("INVALID_ARN_SERVICE_CASE", FindingType::Error),
                ("INVALID_ARN_REGION", FindingType::Error),
                ("INVALID_ARN_RESOURCE", FindingType::Error),
                ("ARN_REGION_NOT_ALLOWED", FindingType::Error),
                ("ARN_ACCOUNT_NOT_ALLOWED", FindingType::Error),
                ("MISSING_ARN_REGION", FindingType::Error),
                ("MISSING_ARN_ACCOUNT", FindingType::Error),
            ],
            summary: "Resource ARNs must fit an ARN format of their service",
            file: file!(),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cat = cx.catalog;
        let mut last_formats: Option<(
            iamscope_catalog::Service<'_>,
            std::sync::Arc<Vec<[&str; 5]>>,
        )> = None;
        for st in &cx.policy.statements {
            let Some(r) = &st.resource else { continue };
            for (i, item) in r.items.iter().enumerate() {
                let sanitized = crate::facts::variables_as_stars(&item.value);
                let v: &str = &sanitized;
                let Some([partition, svc, region, account, resource]) = fields(v) else {
                    continue;
                };
                if svc.is_empty() || flexible(svc) {
                    continue;
                }
                let ptr = || r.item_pointer(&st.pointer, i);
                let Some(service) = cat.service(svc) else {
                    continue;
                };
                if svc.bytes().any(|b| b.is_ascii_uppercase()) {
                    let lower = svc.to_ascii_lowercase();
                    let start = item.range.start
                        + 1
                        + "arn:".len() as u32
                        + v[4..].find(':').unwrap_or(0) as u32
                        + 1;
                    let src = item.range.slice(cx.text);
                    let fix = (src.get(1..src.len().saturating_sub(1)) == Some(v)).then(|| Fix {
                        title: format!("Write the service as {lower}"),
                        edits: vec![TextEdit {
                            range: iamscope_syntax::TextRange::new(start, start + svc.len() as u32),
                            new_text: lower.clone(),
                        }],
                        safe: true,
                    });
                    let mut d = diag(
                        "INVALID_ARN_SERVICE_CASE",
                        FindingType::Error,
                        format!("the service {svc} in the resource ARN must be lowercase: {lower}"),
                        item.range,
                        ptr(),
                    );
                    if let Some(f) = fix {
                        d = d.with_fix(f);
                    }
                    out.push(d);
                    continue;
                }
                if !region.is_empty() && !flexible(region) && !is_region(region) {
                    out.push(diag(
                        "INVALID_ARN_REGION",
                        FindingType::Error,
                        format!("the Region {region} in the resource ARN is not an AWS Region"),
                        item.range,
                        ptr(),
                    ));
                    continue;
                }
                let vf = [partition, svc, region, account, resource];
                // Consecutive items usually name one service: keep its formats at hand.
                let formats = match &last_formats {
                    Some((s, f)) if *s == service => f.clone(),
                    _ => {
                        let f = cx.service_arn_formats(&service);
                        last_formats = Some((service, f.clone()));
                        f
                    }
                };
                let value = crate::facts::ArnValue::new(vf);
                let fits = formats.iter().any(|f| value.fits(f));
                // The fast check is strict about empty fields; the catalog's matcher is the
                // conservative judge (AWS-owned resources such as public SSM documents have no
                // account).
                if fits || cat.any_resource_type_for_arn_pattern(&item.value) {
                    continue;
                }
                // Formats of this service whose service field is the ARN's and whose resource part
                // fits: what remains to explain is the region or the account.
                let all_formats: Vec<&str> = service
                    .resource_types()
                    .map(|rt| rt.arn_format())
                    .filter(|f| fields(f).is_some_and(|x| x[1].eq_ignore_ascii_case(svc)))
                    .collect();
                if all_formats.is_empty() {
                    continue;
                }
                let fitting: Vec<[&str; 5]> = all_formats
                    .iter()
                    .filter_map(|f| fields(f))
                    .filter(|f| {
                        // Concrete region and account, so that only the resource part is compared.
                        let concrete = |x: &str, sample: &'static str| {
                            if x.contains('$') { sample } else { "" }
                        };
                        let rg = if f[2].contains('$') {
                            concrete(f[2], "us-east-1")
                        } else {
                            f[2]
                        };
                        let ac = if f[3].contains('$') {
                            concrete(f[3], "123456789012")
                        } else {
                            f[3]
                        };
                        let probe = format!("arn:aws:{svc}:{rg}:{ac}:{resource}");
                        iamscope_catalog::arn_pattern_may_match_format(
                            &probe,
                            &format!("arn:{}:{}:{}:{}:{}", f[0], f[1], f[2], f[3], f[4]),
                        )
                    })
                    .collect();
                let formats = if fitting.is_empty() {
                    all_formats.iter().filter_map(|f| fields(f)).collect()
                } else {
                    fitting
                };
                let all = |p: fn(&str) -> bool, idx: usize| formats.iter().all(|f| p(f[idx]));
                let (code, msg) = if !region.is_empty()
                    && !flexible(region)
                    && all(str::is_empty, 2)
                {
                    (
                        "ARN_REGION_NOT_ALLOWED",
                        format!(
                            "{} resource ARNs have no Region; remove {region}",
                            service.prefix()
                        ),
                    )
                } else if !account.is_empty() && !flexible(account) && all(str::is_empty, 3) {
                    (
                        "ARN_ACCOUNT_NOT_ALLOWED",
                        format!(
                            "{} resource ARNs have no account ID; remove {account}",
                            service.prefix()
                        ),
                    )
                } else if region.is_empty() && all(|f| !f.is_empty(), 2) {
                    (
                        "MISSING_ARN_REGION",
                        format!(
                            "{} resource ARNs need a Region (use * for any)",
                            service.prefix()
                        ),
                    )
                } else if account.is_empty() && all(|f| !f.is_empty(), 3) {
                    (
                        "MISSING_ARN_ACCOUNT",
                        format!(
                            "{} resource ARNs need an account ID (use * for any)",
                            service.prefix()
                        ),
                    )
                } else {
                    let sample: Vec<&str> = service
                        .resource_types()
                        .take(3)
                        .map(|rt| rt.arn_format())
                        .collect();
                    (
                        "INVALID_ARN_RESOURCE",
                        format!(
                            "the resource part \"{resource}\" matches no {} resource type; expected a format such as {}",
                            service.prefix(),
                            sample.join(", ")
                        ),
                    )
                };
                out.push(diag(code, FindingType::Error, msg, item.range, ptr()));
            }
        }
    }
}
