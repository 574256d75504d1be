//! Exit codes, one meaning each.

/// How `rulec` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success (warnings may have been printed).
    Ok = 0,
    /// The input has errors (or warnings under `--deny-warnings`).
    Failure = 1,
    /// Bad arguments, or a file could not be read.
    Usage = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}
