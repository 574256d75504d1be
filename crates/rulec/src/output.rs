//! Writing to standard output and standard error without panicking when the
//! reader goes away (`rulec eval … | head`, `rulec check bad.rules 2>&1 | head -1`):
//! a closed pipe or any other write error ends that output quietly. Every byte
//! `rulec` prints goes through here (std's `print!` and `eprint!` panic on a
//! closed pipe; `main.rs` shadows them with macros that call these functions).
//!
//! Also how failures are reported: [`Failure`] holds the errors as data and as
//! text, printed as `{"errors": [ … ]}` on standard output under
//! `--format json` and as text on standard error otherwise.

use std::io::Write;

use kaohe::error::{ErrorList, ErrorRecord, Location};

use crate::exit::Exit;

/// Writes `text` to standard output; a closed pipe or other write error is ignored.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes `text` and a newline to standard output.
pub fn println(text: &str) {
    print(&format!("{text}\n"));
}

/// Writes `text` to standard error; a closed pipe or other write error is ignored.
pub fn eprint(text: &str) {
    let mut out = std::io::stderr().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// How a command reports its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    /// Text on standard error, for people.
    Human,
    /// `{"errors": [ … ]}` on standard output, for programs.
    Json,
}

/// Why a command stopped: its exit code and its errors, as data and as text.
#[derive(Debug)]
pub struct Failure {
    /// The exit code (1: the input has errors; 2: usage or I/O).
    pub exit: Exit,
    /// The errors as data.
    pub records: Vec<ErrorRecord>,
    /// The same for people, ending in a newline.
    pub human: String,
}

impl Failure {
    /// One error, printed for people as `error: MESSAGE` (and `  help: …`).
    pub fn one(exit: Exit, record: ErrorRecord) -> Failure {
        let record = record.in_lang(crate::lang::current(), crate::lang::catalog());
        let error = crate::lang::text("rulec-error", &[]);
        let mut human = match &record.location {
            Location::File { file } => format!("{error}: {file}: {}\n", record.message),
            Location::Source(range) => format!(
                "{error}: {}:{}:{}: {}\n",
                range.file, range.start.line, range.start.column, record.message
            ),
            Location::Path {
                file: Some(file),
                path,
                ..
            } => format!("{error}: {file}: {path}: {}\n", record.message),
            _ => format!("{error}: {}\n", record.message),
        };
        if let Some(help) = &record.help {
            human.push_str(&format!(
                "  {}: {help}\n",
                crate::lang::text("rulec-help", &[])
            ));
        }
        Failure {
            exit,
            records: vec![record],
            human,
        }
    }

    /// A usage error (`kaohe::cli::usage`, exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::one(Exit::Usage, ErrorRecord::new("kaohe::cli::usage", message))
    }

    /// Prints the errors in `format` and gives the exit code.
    pub fn report(self, format: ErrorFormat) -> Exit {
        match format {
            ErrorFormat::Human => eprint(&self.human),
            ErrorFormat::Json => println(
                &ErrorList {
                    errors: self.records,
                }
                .in_lang(crate::lang::current(), crate::lang::catalog())
                .to_json(),
            ),
        }
        self.exit
    }
}
