//! The one place where the server takes the text of a diagnostic: the
//! library's record of it (code, message, help, located). When the messages
//! are localised (issue 16 §3), choosing the language is a change here only.

use kaohe::{DiagnosticRecord, RulesetDiagnostic, SourceFile};

/// The record of a diagnostic, in the language the server speaks (English today).
pub fn record(diagnostic: &RulesetDiagnostic, source: &SourceFile) -> DiagnosticRecord {
    diagnostic.record(source)
}
