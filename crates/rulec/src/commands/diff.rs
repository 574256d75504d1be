//! `rulec diff OLD NEW FACTS`: the impact of a rule change on every unit and
//! period of a fact file.

use std::path::PathBuf;

use kaohe::impact::{Impact, ImpactError};

use kaohe::error::{ErrorRecord, ToErrorRecords};

use crate::commands::eval::ruleset;
use crate::exit::Exit;
use crate::input;
use crate::output::{ErrorFormat, Failure};
use crate::render::impact::{self, DiffFormat};

/// Arguments of `rulec diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset before the change (`-`: standard input).
    old: PathBuf,
    /// The ruleset after the change.
    new: PathBuf,
    /// The fact file (JSON) to evaluate under both; it must fit both rulesets
    /// (`-`: standard input).
    facts: PathBuf,
    /// Output format; with `json`, errors are printed as JSON on standard output.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
}

/// Runs `rulec diff`; with `--format json`, errors are printed as JSON on
/// standard output.
pub fn run(args: &Args) -> Exit {
    let errors = match args.format {
        DiffFormat::Json => ErrorFormat::Json,
        DiffFormat::Human => ErrorFormat::Human,
    };
    match compare(args) {
        Ok(exit) => exit,
        Err(failure) => failure.report(errors),
    }
}

fn compare(args: &Args) -> Result<Exit, Failure> {
    let old = ruleset(&args.old)?;
    let new = ruleset(&args.new)?;
    let bytes = input::read_bytes(&args.facts)?;
    let facts = String::from_utf8(bytes).map_err(|_| {
        Failure::one(
            Exit::Failure,
            ErrorRecord::new("kaohe::cli::not_utf8", "the fact file is not UTF-8")
                .with_help("save it as UTF-8")
                .in_file(&input::display(&args.facts)),
        )
    })?;
    let name = input::display(&args.facts);
    let impact = Impact::between(&old, &new, &facts).map_err(|error| {
        let records: Vec<_> = error
            .error_records()
            .into_iter()
            .map(|r| r.in_file(&name))
            .collect();
        let human = match &error {
            ImpactError::Facts { side, errors } => {
                let mut human = String::new();
                let word = crate::lang::text("rulec-error", &[]);
                for e in &errors.errors {
                    human.push_str(&format!(
                        "{word}: {name}: {}: {}\n",
                        e.path,
                        crate::lang::tr(e.code, &e.message)
                    ));
                }
                human.push_str(&format!(
                    "{word}: {}\n",
                    crate::lang::text(
                        "rulec-diff-facts-errors",
                        &[
                            ("n", errors.errors.len().to_string()),
                            ("side", (*side).to_owned()),
                        ]
                    )
                ));
                human
            }
            // Every error of the failed evaluation, not only the first.
            ImpactError::Eval { side, error }
                if crate::lang::current() == kaohe::i18n::Lang::En =>
            {
                error
                    .all()
                    .map(|one| {
                        format!("error: evaluation under the {side} ruleset failed: {one}\n")
                    })
                    .collect()
            }
            ImpactError::Eval { .. } => {
                let mut human = String::new();
                let word = crate::lang::text("rulec-error", &[]);
                for record in error.error_records() {
                    let record = record.in_lang(crate::lang::current(), crate::lang::catalog());
                    human.push_str(&format!("{word}: {}\n", record.message));
                }
                human
            }
        };
        Failure {
            exit: Exit::Failure,
            records,
            human,
        }
    })?;
    match args.format {
        DiffFormat::Human => crate::output::print(&impact::human(&impact)),
        DiffFormat::Json => crate::output::println(&impact.to_json()),
    }
    Ok(Exit::Ok)
}
