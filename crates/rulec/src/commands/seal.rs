//! `rulec seal RULESET FACTS --period P --db FILE`: seal a period in a store
//! of sealed periods (issue 17 §2, `docs/seals.md`). The period's records,
//! results, ruleset hash and engine version are stored in one transaction,
//! linked by SHA-256 to the previous seal; a sealed period never changes.

use std::path::{Path, PathBuf};

use kaohe::error::{ErrorRecord, Location, ToErrorRecords};
use kaohe::{Period, Ruleset};
use kaohe_store::{Store, StoreFailure};

use crate::commands::eval::{facts, input_failure, ruleset, supplied_inputs};
use crate::exit::Exit;
use crate::input;
use crate::output::{ErrorFormat, Failure};

/// Output format of `rulec seal` and `rulec verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StoreFormat {
    /// Text for people.
    Human,
    /// JSON on standard output (errors too, as `{"errors": [ … ]}`).
    Json,
}

impl StoreFormat {
    /// How errors are reported in this format.
    pub fn errors(self) -> ErrorFormat {
        match self {
            StoreFormat::Human => ErrorFormat::Human,
            StoreFormat::Json => ErrorFormat::Json,
        }
    }
}

/// Arguments of `rulec seal`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset file.
    ruleset: PathBuf,
    /// The fact file (JSON) or filled-in Excel ledger (`.xlsx`); `-`: standard input.
    facts: PathBuf,
    /// The period to seal (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-Wnn, or YYYY under
    /// `period year`).
    #[arg(long, value_name = "PERIOD")]
    period: String,
    /// The store: an SQLite database file, created when missing.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Output format; with `json`, errors are printed as JSON on standard output.
    #[arg(long, value_enum, default_value_t = StoreFormat::Human)]
    format: StoreFormat,
    /// A sub-assessment's result for an `input` of the ruleset, as for
    /// `rulec eval --input`: `NAME=SUB.rules:SUB-FACTS.json`. The seal keeps
    /// its provenance and the period's sub-results. Once per input.
    #[arg(long = "input", value_name = "NAME=RULES:FACTS")]
    inputs: Vec<String>,
}

/// Runs `rulec seal`.
pub fn run(args: &Args) -> Exit {
    match seal(args) {
        Ok(exit) => exit,
        Err(failure) => failure.report(args.format.errors()),
    }
}

fn seal(args: &Args) -> Result<Exit, Failure> {
    let parsed = args.period.parse::<Period>();
    let ruleset = ruleset(&args.ruleset)?;
    // A year is sealed only under `period year`, where it is the period.
    let period = match parsed {
        Ok(p) if !matches!(p, Period::Year(_)) || p.is_unit(ruleset.period_unit()) => p,
        _ => {
            return Err(Failure::usage(
                match kaohe::period::week_out_of_year(&args.period) {
                    Some(why) => format!("`{}` is not a period: {why}", args.period),
                    None => format!(
                        "`{}` is not a period (YYYY-MM or YYYY-Qn): a month or a quarter is sealed, not a year",
                        args.period
                    ),
                },
            ))
        }
    };
    let facts = facts(&ruleset, &args.facts)?;
    // The inputs as `rulec eval --input` reads and checks them.
    let inputs = supplied_inputs(&args.inputs)?;
    kaohe::input::Inputs::from_json(&ruleset, &inputs).map_err(|errors| input_failure(&errors))?;
    let mut store = open(&args.db)?;
    let sealed = store
        .seal_with_inputs(&ruleset, &facts, period, &inputs)
        .map_err(|f| store_failure(&f, &ruleset))?;
    let seal = &sealed.seal;
    let contradicting: Vec<_> = sealed
        .evaluation
        .rejected
        .iter()
        .filter(|r| r.reason.contains("seal #"))
        .collect();
    match args.format {
        StoreFormat::Json => {
            let json = serde_json::json!({
                "seal": seal,
                "rejected": contradicting,
            });
            crate::output::println(&serde_json::to_string_pretty(&json).unwrap_or_default());
        }
        StoreFormat::Human => {
            println!(
                "{}",
                crate::lang::text(
                    "rulec-seal-sealed",
                    &[
                        ("period", seal.period.to_string()),
                        ("ruleset", seal.ruleset.to_string()),
                        ("seq", seal.seq.to_string()),
                        ("records", seal.records.to_string()),
                        ("hash", seal.hash.to_string()),
                    ]
                )
            );
            println!(
                "  {}",
                crate::lang::text(
                    "rulec-seal-previous",
                    &[("hash", seal.prev_hash.to_string())]
                )
            );
            for i in &seal.inputs {
                println!(
                    "  {}",
                    crate::lang::text(
                        "rulec-seal-input",
                        &[
                            ("input", i.input.clone()),
                            ("ruleset", i.ruleset.clone()),
                            ("hash", i.ruleset_hash.clone()),
                            ("facts", i.facts_hash.clone()),
                        ]
                    )
                );
            }
            for r in &contradicting {
                eprintln!(
                    "{}: {}",
                    crate::lang::text("rulec-warning", &[]),
                    crate::lang::text(
                        "rulec-seal-not-applied",
                        &[
                            ("unit", r.unit.to_string()),
                            ("kind", r.record.kind.to_string()),
                            ("period", r.record.period.to_string()),
                            ("reason", crate::lang::tr("kaohe::eval::failed", &r.reason)),
                        ]
                    )
                );
            }
        }
    }
    Ok(Exit::Ok)
}

/// Opens the store at `path` (created when missing).
pub fn open(path: &Path) -> Result<Store, Failure> {
    Store::open(path).map_err(|f| {
        let mut failure = to_failure(&f);
        failure.exit = Exit::Usage;
        failure
    })
}

/// A store's refusal (exit 1; exit 2 for a database that cannot be used).
pub fn store_failure(failure: &StoreFailure, ruleset: &Ruleset) -> Failure {
    match failure {
        StoreFailure::Eval(error) => super::eval::eval_failure(error, ruleset),
        StoreFailure::Store(_) => to_failure(failure),
    }
}

fn to_failure(failure: &StoreFailure) -> Failure {
    let errors = failure.store_errors();
    let mut human = String::new();
    for e in &errors {
        // Messages name their seal (`seal #3 (…)`); a path is shown before.
        let at = e
            .path
            .as_ref()
            .map(|p| format!("{p}: "))
            .unwrap_or_default();
        human.push_str(&format!(
            "{}: {}: {at}{}\n",
            crate::lang::text("rulec-error", &[]),
            e.file,
            crate::lang::tr(e.code, &e.message)
        ));
        if let Some(help) = &e.help {
            human.push_str(&format!(
                "  {}: {}\n",
                crate::lang::text("rulec-help", &[]),
                crate::lang::tr(e.code, help)
            ));
        }
    }
    let io = errors.iter().any(|e| e.code == "kaohe::store::io");
    let records: Vec<ErrorRecord> = failure.error_records();
    Failure {
        exit: if io { Exit::Usage } else { Exit::Failure },
        records,
        human,
    }
}

/// The database must exist (for `verify`: never create an empty one).
pub fn existing(path: &Path) -> Result<(), Failure> {
    if path.is_file() {
        return Ok(());
    }
    Err(Failure::one(
        Exit::Usage,
        ErrorRecord::new(
            "kaohe::cli::io",
            format!("the database `{}` does not exist", input::display(path)),
        )
        .at(Location::File {
            file: input::display(path),
        }),
    ))
}
