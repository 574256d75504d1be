//! The checker's diagnostics as LSP diagnostics: exactly those of `rulec
//! check` (same codes and spans), the help after the message, and the
//! secondary labels (e.g. "first given here") as related locations.

use kaohe::{RulesetDiagnostic, Severity, SourceFile, Span};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};
use miette::Diagnostic as _;

use crate::messages::Speech;
use crate::text::LineIndex;

/// The LSP form of `diagnostics`, found in `source` (the document at `uri`),
/// their text in the language of `speech`.
pub fn to_lsp(
    uri: &Uri,
    source: &SourceFile,
    lines: &LineIndex,
    diagnostics: &[RulesetDiagnostic],
    speech: &Speech,
) -> Vec<Diagnostic> {
    let text = source.text();
    diagnostics
        .iter()
        .map(|d| {
            let record = speech.record(d, source);
            // The message, what the primary label says at the span (e.g.
            // "expected `per`, `when` …"), and the help, as `rulec check` shows them.
            let mut message = record.message.clone();
            if let Some(label) = d.labels().into_iter().flatten().next() {
                if let Some(text) = label.label() {
                    message.push_str(&format!("\n{}", speech.label(&record.code, text)));
                }
            }
            if let Some(help) = &record.help {
                message.push_str(&format!("\n{}: {help}", speech.help_word()));
            }
            let related: Vec<DiagnosticRelatedInformation> = d
                .labels()
                .into_iter()
                .flatten()
                .skip(1)
                .map(|label| DiagnosticRelatedInformation {
                    location: Location::new(
                        uri.clone(),
                        lines.range(
                            text,
                            Span::new(label.offset(), label.offset() + label.len()),
                        ),
                    ),
                    message: label.label().map_or_else(
                        || "related".to_owned(),
                        |text| speech.label(&record.code, text),
                    ),
                })
                .collect();
            Diagnostic {
                range: lines.range(text, d.span()),
                severity: Some(match record.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(record.code.clone())),
                source: Some("kaohe".to_owned()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Diagnostic::default()
            }
        })
        .collect()
}
