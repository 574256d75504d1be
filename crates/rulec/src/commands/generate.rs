//! `rulec generate RULESET`: write a synthetic, valid fact file for a ruleset
//! (for load tests and benchmarks; deterministic for a seed).

use std::path::PathBuf;

use kaohe::synth::{self, SynthSpec};

use crate::commands::eval::load_ruleset;
use crate::exit::Exit;

/// Arguments of `rulec generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset file.
    ruleset: PathBuf,
    /// Units per group.
    #[arg(long, default_value_t = 17)]
    units: usize,
    /// Periods, from the start of the ruleset's effective range.
    #[arg(long, default_value_t = 6)]
    periods: usize,
    /// Records per unit and period.
    #[arg(long, default_value_t = 20)]
    records: usize,
    /// Distinct values of text unit attributes (e.g. counties for `ranking … within county`).
    #[arg(long, default_value_t = 1)]
    partitions: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the facts (standard output when absent).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Runs `rulec generate`.
pub fn run(args: &Args) -> Exit {
    let ruleset = match load_ruleset(&args.ruleset) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let spec = SynthSpec {
        seed: args.seed,
        units_per_group: args.units,
        periods: args.periods,
        records_per_unit_period: args.records,
        partitions: args.partitions,
    };
    let text = synth::facts(&ruleset, &spec).to_string();
    match &args.output {
        None => {
            crate::output::println(&text);
            Exit::Ok
        }
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => Exit::Ok,
            Err(error) => {
                eprintln!("error: cannot write `{}`: {error}", path.display());
                Exit::Usage
            }
        },
    }
}
