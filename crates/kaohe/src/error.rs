//! Errors as data: one serialisable shape for every error a caller can receive,
//! so a program (the `rulec --format json` output, a binding, a web service)
//! can show each error next to the field, line or cell it is about without
//! parsing English text.
//!
//! Every error becomes one or more [`ErrorRecord`]s through [`ToErrorRecords`]:
//!
//! | field | meaning |
//! |---|---|
//! | `code` | stable identifier: `kaohe::<name>` (rulesets), `kaohe::facts::<name>`, `kaohe::ledger::<name>`, `kaohe::eval::<name>`, `kaohe::case::<name>`, `kaohe::cli::<name>`; every code is listed in `docs/errors.md` |
//! | `severity` | `"error"` or `"warning"` |
//! | `message` | what is wrong, in English, user input in backticks |
//! | `help` | advice, when there is any (absent otherwise) |
//! | location | `file`, `line`, `column`, `end: {line, column}` (1-based; columns count characters) for rulesets and evaluation; `path` (a JSON path such as `$.records[4].count`) for fact files; `sheet`, `cell` for the Excel ledger; `file` alone when only the file is known |
//!
//! A failed operation is [`ErrorList`]: `{"errors": [ … ]}`.
//!
//! ```
//! use kaohe::error::{ErrorList, ToErrorRecords};
//! use kaohe::{Ruleset, SourceFile};
//!
//! let errors = Ruleset::from_source(SourceFile::new("bad.rules", "score { base 100 } garbage"))
//!     .unwrap_err();
//! let list = ErrorList::of(&errors);
//! let json: serde_json::Value = serde_json::from_str(&list.to_json()).unwrap();
//! assert_eq!(json["errors"][0]["code"], "kaohe::syntax");
//! assert_eq!(json["errors"][0]["file"], "bad.rules");
//! assert_eq!(json["errors"][0]["line"], 1);
//! ```

use serde::Serialize;

use crate::cases::CaseError;
use crate::diagnostics::{DiagnosticRecord, RulesetDiagnostic, Severity};
use crate::eval::EvalError;
use crate::facts::{FactError, FactErrors};
use crate::impact::ImpactError;
use crate::ruleset::RulesetErrors;
use crate::source::{SourceFile, SourceRange};

/// The code of every evaluation error (division by zero, decimal overflow, an
/// absent value in arithmetic).
pub const EVAL_FAILED: &str = "kaohe::eval::failed";

/// One error (or warning) as data. Serialises to
/// `{"code", "severity", "message", "help"?, <location>}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorRecord {
    /// The stable code, e.g. `kaohe::unknown_name`, `kaohe::facts::repeated_key`.
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Advice, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Where; its fields are written beside the others.
    #[serde(flatten)]
    pub location: Location,
    /// For an evaluation error about one record: the record's kind, id and
    /// JSON path in the fact file (`"record": {"kind": "incident", "id":
    /// "XF-1", "path": "$.records[4]"}`), beside the ruleset location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<crate::eval::RecordAt>,
}

/// Where an error is, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Location {
    /// A range of a ruleset file: `file`, `line`, `column`, `end`.
    Source(SourceRange),
    /// A value of a fact file: `path` (JSON path), and `file` when known.
    Path {
        /// The fact file, when known.
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// The JSON path, e.g. `$.records[4].count`.
        path: String,
        /// The 1-based line, when the problem is in the file's bytes or JSON
        /// syntax rather than in a value.
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u64>,
        /// The 1-based column (characters), with `line`.
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<u64>,
    },
    /// A sheet (and cell) of an Excel ledger, and `file` when known.
    Cell {
        /// The workbook, when known.
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// The sheet's name.
        sheet: String,
        /// The cell, e.g. `C14`, when the error is about one.
        #[serde(skip_serializing_if = "Option::is_none")]
        cell: Option<String>,
    },
    /// A whole file.
    File {
        /// The file's name.
        file: String,
    },
    /// Nowhere in particular (a usage error, a failure with no location).
    Nowhere {},
}

impl ErrorRecord {
    /// An error with `code` and `message`, no help and no location.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ErrorRecord {
        ErrorRecord {
            code: code.into(),
            severity: Severity::Error,
            message: message.into(),
            help: None,
            location: Location::Nowhere {},
            record: None,
        }
    }

    /// The same with advice.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> ErrorRecord {
        self.help = Some(help.into());
        self
    }

    /// The same at `location`.
    #[must_use]
    pub fn at(mut self, location: Location) -> ErrorRecord {
        self.location = location;
        self
    }

    /// The same, naming `file` where the location does not name one yet
    /// (a fact file's JSON path, a ledger's cell, or nowhere → the file).
    #[must_use]
    pub fn in_file(mut self, name: &str) -> ErrorRecord {
        self.location = match self.location {
            Location::Path {
                file: None,
                path,
                line,
                column,
            } => Location::Path {
                file: Some(name.to_owned()),
                path,
                line,
                column,
            },
            Location::Cell {
                file: None,
                sheet,
                cell,
            } => Location::Cell {
                file: Some(name.to_owned()),
                sheet,
                cell,
            },
            Location::Nowhere {} => Location::File {
                file: name.to_owned(),
            },
            other => other,
        };
        self
    }

    /// The same with message and help in `lang` (issue 16 §3): code,
    /// severity and location unchanged.
    #[must_use]
    pub fn in_lang(
        mut self,
        lang: crate::i18n::Lang,
        catalog: &crate::i18n::Catalog,
    ) -> ErrorRecord {
        self.message = catalog.text(lang, &self.code, &self.message);
        self.help = self.help.map(|h| catalog.text(lang, &self.code, &h));
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl From<DiagnosticRecord> for ErrorRecord {
    fn from(record: DiagnosticRecord) -> ErrorRecord {
        ErrorRecord {
            code: record.code,
            severity: record.severity,
            message: record.message,
            help: record.help,
            location: Location::Source(SourceRange {
                file: record.file,
                start: record.start,
                end: record.end,
            }),
            record: None,
        }
    }
}

/// A failed operation's errors: serialises to `{"errors": [ … ]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ErrorList {
    /// Every error (and warning), in the order found.
    pub errors: Vec<ErrorRecord>,
}

impl ErrorList {
    /// The records of `error`.
    pub fn of(error: &(impl ToErrorRecords + ?Sized)) -> ErrorList {
        ErrorList {
            errors: error.error_records(),
        }
    }

    /// The same with every message and help in `lang` (issue 16 §3).
    #[must_use]
    pub fn in_lang(self, lang: crate::i18n::Lang, catalog: &crate::i18n::Catalog) -> ErrorList {
        ErrorList {
            errors: self
                .errors
                .into_iter()
                .map(|e| e.in_lang(lang, catalog))
                .collect(),
        }
    }

    /// Pretty-printed JSON (`{"errors": [ … ]}`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| r#"{"errors":[]}"#.to_owned())
    }
}

impl Extend<ErrorRecord> for ErrorList {
    fn extend<T: IntoIterator<Item = ErrorRecord>>(&mut self, iter: T) {
        self.errors.extend(iter);
    }
}

/// An error that can be given to a program as data.
pub trait ToErrorRecords {
    /// Every error (and warning) this value holds, located.
    fn error_records(&self) -> Vec<ErrorRecord>;
}

impl ToErrorRecords for ErrorRecord {
    fn error_records(&self) -> Vec<ErrorRecord> {
        vec![self.clone()]
    }
}

impl ToErrorRecords for ErrorList {
    fn error_records(&self) -> Vec<ErrorRecord> {
        self.errors.clone()
    }
}

impl ToErrorRecords for RulesetErrors {
    /// Every diagnostic, errors and warnings, located in the ruleset file.
    fn error_records(&self) -> Vec<ErrorRecord> {
        self.diagnostics
            .iter()
            .map(|d| d.record(&self.source).into())
            .collect()
    }
}

impl ToErrorRecords for (&SourceFile, &[RulesetDiagnostic]) {
    fn error_records(&self) -> Vec<ErrorRecord> {
        self.1.iter().map(|d| d.record(self.0).into()).collect()
    }
}

impl ToErrorRecords for FactError {
    /// Located by JSON path (and line and column for problems in the file's
    /// bytes or JSON syntax); the code is the error's own `kaohe::facts::…`.
    fn error_records(&self) -> Vec<ErrorRecord> {
        vec![
            ErrorRecord::new(self.code, self.message.clone()).at(Location::Path {
                file: None,
                path: self.path.clone(),
                line: self.line,
                column: self.column,
            }),
        ]
    }
}

impl ToErrorRecords for FactErrors {
    fn error_records(&self) -> Vec<ErrorRecord> {
        self.errors
            .iter()
            .flat_map(ToErrorRecords::error_records)
            .collect()
    }
}

impl ToErrorRecords for EvalError {
    /// Code [`EVAL_FAILED`]; located at the ruleset expression at fault when
    /// there is one (an error returned by [`Ruleset::evaluate`](crate::Ruleset::evaluate)
    /// always carries it then).
    fn error_records(&self) -> Vec<ErrorRecord> {
        let mut record = ErrorRecord::new(EVAL_FAILED, self.to_string());
        record.record = self.record.as_deref().cloned();
        let mut records = vec![match &self.location {
            Some(range) => record.at(Location::Source(SourceRange::clone(range))),
            None => record,
        }];
        records.extend(self.all().skip(1).flat_map(EvalError::error_records));
        records
    }
}

impl ToErrorRecords for CaseError {
    /// `kaohe::case::io`, `kaohe::case::format`, `kaohe::case::checks_nothing`
    /// (located at the case file), or
    /// the records of the ruleset, fact or evaluation errors the case ran into.
    fn error_records(&self) -> Vec<ErrorRecord> {
        match self {
            CaseError::Io { path, .. } => {
                vec![ErrorRecord::new("kaohe::case::io", self.to_string()).in_file(path)]
            }
            CaseError::Format { path, message } => {
                vec![ErrorRecord::new("kaohe::case::format", message.clone()).in_file(path)]
            }
            CaseError::Ruleset(errors) => errors.error_records(),
            CaseError::Facts {
                source_name,
                errors,
                ..
            } => errors
                .error_records()
                .into_iter()
                .map(|r| r.in_file(source_name))
                .collect(),
            CaseError::Eval(error) => error.error_records(),
            CaseError::ChecksNothing { path, .. } => {
                vec![ErrorRecord::new(CaseError::CHECKS_NOTHING, self.to_string()).in_file(path)]
            }
        }
    }
}

impl ToErrorRecords for ImpactError {
    /// The fact or evaluation errors under the side that failed, the side
    /// named in each message.
    fn error_records(&self) -> Vec<ErrorRecord> {
        let (side, records) = match self {
            ImpactError::Facts { side, errors } => (side, errors.error_records()),
            ImpactError::Eval { side, error } => (side, error.error_records()),
        };
        records
            .into_iter()
            .map(|mut r| {
                r.message = format!("{} (under the {side} ruleset)", r.message);
                r
            })
            .collect()
    }
}

/// `RulesetErrors` as one `miette` diagnostic: "ruleset `x` has N error(s)",
/// with every diagnostic of the file as a related diagnostic rendered against
/// it (`miette::Report::new(errors)`).
impl miette::Diagnostic for RulesetErrors {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.diagnostics
                .iter()
                .map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

impl SourceFile {
    /// The located form of a span: file name, start and end line and column.
    pub fn range(&self, span: crate::source::Span) -> SourceRange {
        SourceRange {
            file: self.name().to_owned(),
            start: self.line_column(span.start),
            end: self.line_column(span.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fact_error_serialises_with_code_and_path() {
        let error = FactError {
            code: "kaohe::facts::wrong_type",
            path: "$.records[4].count".to_owned(),
            message: "expected a count, found `-1`".to_owned(),
            line: None,
            column: None,
        };
        let json = serde_json::to_value(ErrorList::of(&error)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"errors": [{
                "code": "kaohe::facts::wrong_type",
                "severity": "error",
                "message": "expected a count, found `-1`",
                "path": "$.records[4].count",
            }]})
        );
    }

    #[test]
    fn a_cell_location_serialises_as_sheet_and_cell() {
        let record = ErrorRecord::new("kaohe::ledger::invalid_fact", "expected a number")
            .with_help("type a number")
            .at(Location::Cell {
                file: None,
                sheet: "报送".to_owned(),
                cell: Some("C14".to_owned()),
            })
            .in_file("ledger.xlsx");
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "kaohe::ledger::invalid_fact", "severity": "error",
                "message": "expected a number", "help": "type a number",
                "file": "ledger.xlsx", "sheet": "报送", "cell": "C14",
            })
        );
    }

    #[test]
    fn an_error_with_no_location_has_only_its_fields() {
        let json = serde_json::to_value(ErrorRecord::new("kaohe::cli::usage", "bad")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "kaohe::cli::usage", "severity": "error", "message": "bad"})
        );
    }
}
