//! `rulec lsp`: the language server for `.rules` files, over standard input
//! and output (`kaohe_lsp`; docs/editor.md).

use crate::exit::Exit;

/// Arguments of `rulec lsp`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Speak over standard input and output (the only transport, and the
    /// default; accepted because editor clients pass it).
    #[arg(long)]
    stdio: bool,
}

/// Runs the language server until the editor shuts it down.
pub fn run(args: &Args) -> Exit {
    let _ = args.stdio;
    match kaohe_lsp::run_stdio_in(crate::lang::current()) {
        Ok(()) => Exit::Ok,
        Err(error) => {
            eprintln!(
                "{}",
                crate::lang::error_line(
                    "kaohe::cli::io",
                    &format!("the language server stopped: {error}")
                )
            );
            Exit::Failure
        }
    }
}
