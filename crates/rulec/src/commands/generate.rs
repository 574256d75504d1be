//! `rulec generate RULESET`: write a synthetic, valid fact file for a ruleset
//! (for load tests and benchmarks; deterministic for a seed).

use std::io::Write;
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
    // Streamed record by record (issue 15 §3): a province-year is never one
    // JSON value in memory.
    match &args.output {
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            // A closed pipe ends the output quietly (`crate::output`).
            let _ = synth::write_facts(&ruleset, &spec, &mut out)
                .and_then(|()| out.write_all(b"\n"))
                .and_then(|()| out.flush());
            Exit::Ok
        }
        Some(path) => {
            let written = std::fs::File::create(path).and_then(|file| {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
                synth::write_facts(&ruleset, &spec, &mut out)?;
                out.flush()
            });
            match written {
                Ok(()) => Exit::Ok,
                Err(error) => {
                    eprintln!(
                        "{}",
                        crate::lang::error_line(
                            "kaohe::cli::io",
                            &format!("cannot write `{}`: {error}", path.display())
                        )
                    );
                    Exit::Usage
                }
            }
        }
    }
}
