//! `rulec test PATH...`: run the golden cases under the paths (docs/cases.md).

use std::path::PathBuf;

use kaohe::cases::{run_suite, SuiteOptions};

use crate::exit::Exit;
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    format: TestFormat,
}

/// Runs `rulec test`.
pub fn run(args: &Args) -> Exit {
    let options = SuiteOptions {
        bless: args.bless,
        coverage: args.coverage,
    };
    let report = match run_suite(&args.paths, &options) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return Exit::Usage;
        }
    };
    if report.cases.is_empty() && report.coverage.is_empty() {
        let paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "error: no cases found under {} (cases are `*.toml` files inside a `cases` folder)",
            paths.join(", ")
        );
        return Exit::Failure;
    }
    match args.format {
        TestFormat::Human => crate::output::print(&cases::human(&report)),
        TestFormat::Junit => crate::output::print(&cases::junit(&report)),
    }
    if report.passed() && !report.cases.is_empty() {
        Exit::Ok
    } else {
        Exit::Failure
    }
}
