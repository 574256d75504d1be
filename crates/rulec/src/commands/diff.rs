//! `rulec diff OLD NEW FACTS`: the impact of a rule change on every unit and
//! period of a fact file.

use std::path::PathBuf;

use kaohe::impact::{Impact, ImpactError};

use crate::commands::eval::load_ruleset;
use crate::exit::Exit;
use crate::render::impact::{self, DiffFormat};

/// Arguments of `rulec diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset before the change.
    old: PathBuf,
    /// The ruleset after the change.
    new: PathBuf,
    /// The fact file (JSON) to evaluate under both; it must fit both rulesets.
    facts: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
}

/// Runs `rulec diff`.
pub fn run(args: &Args) -> Exit {
    let old = match load_ruleset(&args.old) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let new = match load_ruleset(&args.new) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let facts = match std::fs::read_to_string(&args.facts) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read `{}`: {error}", args.facts.display());
            return Exit::Usage;
        }
    };
    let impact = match Impact::between(&old, &new, &facts) {
        Ok(impact) => impact,
        Err(ImpactError::Facts { side, errors }) => {
            for e in &errors.errors {
                eprintln!("error: {}: {}: {}", args.facts.display(), e.path, e.message);
            }
            eprintln!(
                "error: the fact file has {} error(s) under the {side} ruleset; nothing was compared",
                errors.errors.len()
            );
            return Exit::Failure;
        }
        Err(error) => {
            eprintln!("error: {error}");
            return Exit::Failure;
        }
    };
    match args.format {
        DiffFormat::Human => crate::output::print(&impact::human(&impact)),
        DiffFormat::Json => crate::output::println(&impact.to_json()),
    }
    Exit::Ok
}
