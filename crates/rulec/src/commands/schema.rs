//! `rulec schema RULESET`: print the JSON Schema of the facts a ruleset accepts.

use std::path::PathBuf;

use crate::commands::eval::load_ruleset;
use crate::exit::Exit;

/// Arguments of `rulec schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset file.
    ruleset: PathBuf,
}

/// Runs `rulec schema`.
pub fn run(args: &Args) -> Exit {
    match load_ruleset(&args.ruleset) {
        Ok(ruleset) => {
            let schema = kaohe::schema::facts_schema(&ruleset);
            crate::output::println(&serde_json::to_string_pretty(&schema).unwrap_or_default());
            Exit::Ok
        }
        Err(exit) => exit,
    }
}
