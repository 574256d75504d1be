//! Rendering diagnostics for people (miette's graphical report) and for programs (JSON).

use std::io::IsTerminal;

use kaohe::{RulesetDiagnostic, SourceFile};
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A report with the source snippet, the span underlined and the help text.
    Human,
    /// One JSON object per diagnostic.
    Json,
}

/// The graphical report of every diagnostic of one file (colour only on a terminal).
pub fn human(source: &SourceFile, diagnostics: &[RulesetDiagnostic]) -> String {
    let theme = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = miette::Report::new(diagnostic.clone()).with_source_code(
            NamedSource::new(source.name(), source.text().to_owned()).with_language("kaohe"),
        );
        let _ = handler.render_report(&mut out, report.as_ref());
        out.push('\n');
    }
    out
}

/// "2 errors, 1 warning in 1 file".
pub fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

/// A JSON array of diagnostic records across files.
pub fn json(reports: &[(SourceFile, Vec<RulesetDiagnostic>)]) -> String {
    let records: Vec<_> = reports
        .iter()
        .flat_map(|(source, diagnostics)| diagnostics.iter().map(|d| d.record(source)))
        .collect();
    serde_json::to_string_pretty(&records).unwrap_or_else(|_| "[]".to_owned())
}
