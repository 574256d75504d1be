//! `rulec test PATH...`: run the golden cases under the paths (docs/cases.md).

use std::path::PathBuf;

use kaohe::cases::{run_suite, SuiteOptions};

use kaohe::error::{ErrorRecord, ToErrorRecords};

use crate::exit::Exit;
use crate::output::{ErrorFormat, Failure};
use crate::render::cases::{self, TestFormat};

/// Arguments of `rulec test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Case files (`*.toml`), rulesets (`*.rules`, for `--coverage`) or folders
    /// to search: under a folder, every `*.toml` inside a `cases` folder is a case.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Write the actual results into the cases' expected blocks.
    #[arg(long)]
    bless: bool,
    /// Also list the clause ids each ruleset cites that no case exercises, and
    /// fail if there are any.
    #[arg(long)]
    coverage: bool,
    /// Output format; with `json`, the report and its errors are data on standard output.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    format: TestFormat,
}

/// Runs `rulec test`.
pub fn run(args: &Args) -> Exit {
    let options = SuiteOptions {
        bless: args.bless,
        coverage: args.coverage,
    };
    let errors = if args.format == TestFormat::Json {
        ErrorFormat::Json
    } else {
        ErrorFormat::Human
    };
    let report = match run_suite(&args.paths, &options) {
        Ok(report) => report,
        Err(error) => {
            return Failure {
                exit: Exit::Usage,
                records: error.error_records(),
                human: format!(
                    "{}\n",
                    crate::lang::error_line("kaohe::cli::io", &error.to_string())
                ),
            }
            .report(errors);
        }
    };
    if report.cases.is_empty() && report.coverage.is_empty() {
        let paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        return Failure::one(
            Exit::Failure,
            ErrorRecord::new(
                "kaohe::cli::no_cases",
                format!("no cases found under {}", paths.join(", ")),
            )
            .with_help("cases are `*.toml` files inside a `cases` folder (docs/cases.md)"),
        )
        .report(errors);
    }
    match args.format {
        TestFormat::Human => crate::output::print(&cases::human(&report)),
        TestFormat::Junit => crate::output::print(&cases::junit(&report)),
        TestFormat::Json => crate::output::println(&cases::json(&report)),
    }
    if report.passed() && !report.cases.is_empty() {
        Exit::Ok
    } else {
        Exit::Failure
    }
}
