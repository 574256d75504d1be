//! `rulec`: the command-line front end of kaohe. Argument parsing and rendering
//! only; everything it reports is computed by the `kaohe` library.

mod commands;
mod exit;
mod render;

use clap::{Parser, Subcommand};

use exit::Exit;

/// Check and run kaohe assessment rulesets (考核规则).
#[derive(Debug, Parser)]
#[command(name = "rulec", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate ruleset files: syntax, names, types, caps, citations.
    Check(commands::check::Args),
    /// Score, rank and explain: evaluate a fact file under a ruleset.
    Eval(commands::eval::Args),
    /// Print the JSON Schema of the fact files a ruleset accepts.
    Schema(commands::schema::Args),
}

fn main() -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    let exit = match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Eval(args) => commands::eval::run(&args),
        Command::Schema(args) => commands::schema::run(&args),
    };
    exit.into()
}
