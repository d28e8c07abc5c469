//! The `iamscope` command line. Exit codes: 0 no finding at or above the threshold, 1 findings
//! (or a failed expectation), 2 usage or IO errors.

mod catalog_cmds;
mod check;
mod diff;
mod output;
mod simulate;
mod summary;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "iamscope",
    version,
    about = "Check and understand AWS IAM policies, offline"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint policy files (folders are searched for *.json).
    Check(check::CheckArgs),
    /// List every rule with its code, finding type and summary.
    Rules(check::RulesArgs),
    /// Evaluate a request against the policies of every layer (scenario file).
    Simulate(simulate::SimulateArgs),
    /// List the actions an action pattern matches, with their access levels.
    Expand(catalog_cmds::ExpandArgs),
    /// Show an action's access level, resource types with ARN formats, and condition keys.
    Describe(catalog_cmds::DescribeArgs),
    /// Show the AWS service catalog's version, data date and counts.
    Catalog(catalog_cmds::CatalogArgs),
    /// Least-privilege summary of a policy: access levels per service, wildcard expansions.
    Summary(summary::SummaryArgs),
    /// Which actions a policy change newly allows (or no longer allows), with witness requests.
    Diff(diff::DiffArgs),
    /// Requests within given actions/resources that a policy allows (must-never-allow checks).
    CheckNotGranted(diff::NotGrantedArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Rules(a) => check::rules(&a),
        Command::Simulate(a) => simulate::run(&a),
        Command::Expand(a) => catalog_cmds::expand(&a),
        Command::Describe(a) => catalog_cmds::describe(&a),
        Command::Catalog(a) => catalog_cmds::catalog(&a),
        Command::Summary(a) => summary::run(&a),
        Command::Diff(a) => diff::run(&a),
        Command::CheckNotGranted(a) => diff::run_not_granted(&a),
    };
    ExitCode::from(code)
}
