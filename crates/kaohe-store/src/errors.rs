//! The store's errors as data (`kaohe::store::…`, listed in `docs/errors.md`).

use kaohe::error::{ErrorRecord, ToErrorRecords};
use kaohe::EvalError;
use serde::Serialize;

/// One problem of the store: a refused seal, a contradiction, a tampered row.
///
/// Serialises to `{"code", "severity", "message", "help"?, "file", "seal"?,
/// "path"?}`: `file` is the database, `seal` the sequence number of the seal
/// it is about, `path` a fact file's JSON path when the problem is in the
/// submitted facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{file}: {message}")]
pub struct StoreError {
    /// Stable code, `kaohe::store::…`.
    pub code: &'static str,
    /// Always `"error"`.
    pub severity: &'static str,
    /// What is wrong, naming the seal (`seal #3 (miluo_2026 2026-04, …)`).
    pub message: String,
    /// What to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The database file.
    pub file: String,
    /// The seal's sequence number, when the problem is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seal: Option<i64>,
    /// A JSON path in the submitted facts, when the problem is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl StoreError {
    /// An error with `code` about the database `file`.
    pub fn new(code: &'static str, file: &str, message: impl Into<String>) -> StoreError {
        StoreError {
            code,
            severity: "error",
            message: message.into(),
            help: None,
            file: file.to_owned(),
            seal: None,
            path: None,
        }
    }

    /// The same with advice.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> StoreError {
        self.help = Some(help.into());
        self
    }

    /// The same, about seal number `seq`.
    #[must_use]
    pub fn at_seal(mut self, seq: i64) -> StoreError {
        self.seal = Some(seq);
        self
    }

    /// `kaohe::store::io`: the database cannot be opened, read or written.
    pub fn io(file: &str, error: &rusqlite::Error) -> StoreError {
        StoreError::new(
            "kaohe::store::io",
            file,
            format!("cannot use the database `{file}`: {error}"),
        )
        .with_help("check the path and that the file is a kaohe store (an SQLite database)")
    }
}

/// Why a store operation failed; nothing was stored.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreFailure {
    /// The store refused, or found the database damaged.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Store(Vec<StoreError>),
    /// The evaluation failed (division by zero, …), located in the ruleset.
    #[error("{}", .0.message)]
    Eval(EvalError),
}

impl StoreFailure {
    /// A failure of one store error.
    pub fn one(error: StoreError) -> StoreFailure {
        StoreFailure::Store(vec![error])
    }

    /// The store errors (none for an evaluation failure).
    pub fn store_errors(&self) -> Vec<StoreError> {
        match self {
            StoreFailure::Store(errors) => errors.clone(),
            StoreFailure::Eval(_) => Vec::new(),
        }
    }

    /// Whether it is the refusal `code` (`kaohe::store::already_sealed`, …).
    pub fn has_code(&self, code: &str) -> bool {
        match self {
            StoreFailure::Store(errors) => errors.iter().any(|e| e.code == code),
            StoreFailure::Eval(_) => false,
        }
    }
}

impl ToErrorRecords for StoreFailure {
    fn error_records(&self) -> Vec<ErrorRecord> {
        match self {
            StoreFailure::Store(errors) => errors.iter().flat_map(|e| e.error_records()).collect(),
            StoreFailure::Eval(e) => e.error_records(),
        }
    }
}
