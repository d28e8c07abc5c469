//! `iamscope summary <file>`: the least-privilege summary of a policy (per service, the actions
//! allowed at each access level; per wildcard, how many actions it expands to).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use iamscope_lint::{Catalog, summarize};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct SummaryArgs {
    /// The policy file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SummaryFormat,
}

pub fn run(a: &SummaryArgs) -> u8 {
    let text = match std::fs::read(&a.file) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("iamscope: {}: {e}", a.file.display());
            return 2;
        }
    };
    let parsed = iamscope_policy::parse_policy(&text);
    let Some(policy) = parsed.policy else {
        eprintln!("iamscope: {}: not a JSON policy", a.file.display());
        return 2;
    };
    let s = summarize(&policy, Catalog::embedded());
    match a.format {
        SummaryFormat::Json => match serde_json::to_string_pretty(&s) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("iamscope: {e}");
                return 2;
            }
        },
        SummaryFormat::Text => {
            println!(
                "{}: {} actions allowed in {} services (catalog {}, {})",
                a.file.display(),
                s.total_actions,
                s.services.len(),
                s.catalog_version,
                s.catalog_data_date
            );
            for svc in &s.services {
                let levels: Vec<String> = svc
                    .levels
                    .iter()
                    .map(|l| format!("{} {}/{}", l.level, l.allowed, l.total))
                    .collect();
                println!(
                    "  {:<24} {:>4}/{:<4} {}{}{}",
                    svc.prefix,
                    svc.allowed,
                    svc.total,
                    levels.join(", "),
                    if svc.full_access {
                        "  [full access]"
                    } else {
                        ""
                    },
                    if svc.on_all_resources {
                        "  [on all resources]"
                    } else {
                        ""
                    }
                );
            }
            if !s.wildcards.is_empty() {
                println!("wildcards:");
                for w in &s.wildcards {
                    println!(
                        "  statement {}: {} -> {} actions ({} write or permissions management)",
                        w.statement, w.pattern, w.expands_to, w.write_or_permissions
                    );
                }
            }
            if !s.unknown_actions.is_empty() {
                println!("not in the catalog: {}", s.unknown_actions.join(", "));
            }
        }
    }
    0
}
