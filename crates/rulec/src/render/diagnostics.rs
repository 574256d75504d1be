//! Rendering diagnostics for people (miette's graphical report) and for programs (JSON).

use std::io::IsTerminal;

use kaohe::{RulesetDiagnostic, SourceFile};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};

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
    let lang = crate::lang::current();
    for diagnostic in diagnostics {
        if lang != kaohe::i18n::Lang::En {
            let localized = Localized::of(diagnostic);
            if let Some(excerpted) = Excerpted::of(source, diagnostic, Some(&localized)) {
                let mut text = String::new();
                let _ = handler.render_report(&mut text, &excerpted);
                out.push_str(&localize_report(&text));
                out.push('\n');
                continue;
            }
            let report = miette::Report::new(localized).with_source_code(
                NamedSource::new(source.name(), source.text().to_owned()).with_language("kaohe"),
            );
            let mut text = String::new();
            let _ = handler.render_report(&mut text, report.as_ref());
            out.push_str(&localize_report(&text));
            out.push('\n');
            continue;
        }
        match Excerpted::of(source, diagnostic, None) {
            Some(excerpted) => {
                let _ = handler.render_report(&mut out, &excerpted);
            }
            None => {
                let report = miette::Report::new(diagnostic.clone()).with_source_code(
                    NamedSource::new(source.name(), source.text().to_owned())
                        .with_language("kaohe"),
                );
                let _ = handler.render_report(&mut out, report.as_ref());
            }
        }
        out.push('\n');
    }
    out
}

/// Lines longer than this (in bytes) are not shown whole in a report: a
/// 200 MB one-line file must not be echoed.
pub const MAX_SHOWN_LINE: usize = 240;
/// How much of a long line is shown before and after the span, in bytes.
const SHOWN_AROUND: usize = 80;
/// How much of a long span is shown, in bytes.
const SHOWN_SPAN: usize = 80;

/// A diagnostic whose source lines are too long to show: rendered against
/// its primary line alone, cut around the span (`…` where cut), with the real
/// line and column numbers and only the labels inside the cut.
#[derive(Debug)]
struct Excerpted<'a> {
    diagnostic: &'a RulesetDiagnostic,
    /// Message, help and labels in another language than English.
    localized: Option<&'a Localized>,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
}

/// One cut line of a file, with where it came from.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the line.
    line: usize,
    /// Byte offset in the line of the first byte shown, less the marker's length.
    shift: isize,
}

impl<'a> Excerpted<'a> {
    /// `None` when every line the report would show is short enough.
    fn of(
        source: &SourceFile,
        diagnostic: &'a RulesetDiagnostic,
        localized: Option<&'a Localized>,
    ) -> Option<Excerpted<'a>> {
        let text = source.text();
        let span = diagnostic.span();
        let start = floor_boundary(text, span.start.min(text.len()));
        let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text
            .get(start..)?
            .find('\n')
            .map_or(text.len(), |i| start + i);
        // The lines shown: the span's own and one on each side.
        let region_start = text
            .get(..line_start.saturating_sub(1))?
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let span_end = floor_boundary(text, span.end.min(text.len())).max(start);
        let region_end = text
            .get(span_end.max(line_end)..)?
            .match_indices('\n')
            .nth(1)
            .map_or(text.len(), |(i, _)| span_end.max(line_end) + i);
        let too_long = text
            .get(region_start..region_end)?
            .split('\n')
            .any(|line| line.len() > MAX_SHOWN_LINE);
        if !too_long {
            return None;
        }
        let from = floor_boundary(text, start.saturating_sub(SHOWN_AROUND).max(line_start));
        let shown_end = span_end.min(start + SHOWN_SPAN) + SHOWN_AROUND;
        let to = floor_boundary(text, shown_end.min(line_end));
        let before = if from > line_start { "…" } else { "" };
        let after = if to < line_end { "…" } else { "" };
        let excerpt = format!("{before}{}{after}", text.get(from..to)?);
        let shift = from as isize - before.len() as isize;
        let window = from..=to;
        let labels = match localized {
            Some(l) => l.labels.clone(),
            None => diagnostic.labels().into_iter().flatten().collect(),
        };
        let labels = labels
            .into_iter()
            .filter(|label| window.contains(&label.offset()))
            .map(|label| {
                let offset = label.offset() - from + before.len();
                let len = label.len().min(to.saturating_sub(label.offset()));
                LabeledSpan::new(label.label().map(ToOwned::to_owned), offset, len)
            })
            .collect();
        Some(Excerpted {
            diagnostic,
            localized,
            source: Excerpt {
                name: source.name().to_owned(),
                text: excerpt,
                line: text.get(..line_start)?.matches('\n').count(),
                shift: shift - line_start as isize,
            },
            labels,
        })
    }
}

/// The largest char boundary of `text` at or before `offset`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        // Columns count bytes of the real line, as miette's own do.
        let column = if contents.column() == 0 {
            0
        } else {
            usize::try_from(contents.column() as isize + self.shift).unwrap_or(0)
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            self.line + contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

impl std::fmt::Display for Excerpted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.localized {
            Some(localized) => localized.fmt(f),
            None => self.diagnostic.fmt(f),
        }
    }
}

impl std::error::Error for Excerpted<'_> {}

impl Diagnostic for Excerpted<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diagnostic.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.diagnostic.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        match self.localized {
            Some(localized) => localized.help(),
            None => self.diagnostic.help(),
        }
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A ruleset diagnostic with its message, help and labels in the current
/// language (same code, severity and spans), for miette's report.
#[derive(Debug)]
struct Localized {
    code: String,
    severity: Option<miette::Severity>,
    message: String,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
}

impl Localized {
    fn of(diagnostic: &RulesetDiagnostic) -> Localized {
        let code = diagnostic.code_str();
        let tr = |text: &str| crate::lang::tr(&code, text);
        Localized {
            message: tr(&diagnostic.to_string()),
            help: diagnostic.help().map(|h| tr(&h.to_string())),
            labels: diagnostic
                .labels()
                .into_iter()
                .flatten()
                .map(|l| LabeledSpan::new(l.label().map(tr), l.offset(), l.len()))
                .collect(),
            severity: diagnostic.severity(),
            code,
        }
    }
}

impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Localized {}

impl Diagnostic for Localized {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.severity
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// miette's own words in a report (`help:`) in the current language.
fn localize_report(text: &str) -> String {
    let help = crate::lang::text("rulec-help", &[]);
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            match trimmed.strip_prefix("help: ") {
                Some(rest) => format!(
                    "{}{help}: {rest}",
                    line.get(..line.len() - trimmed.len()).unwrap_or("")
                ),
                None => line.to_owned(),
            }
        })
        .map(|line| line + "\n")
        .collect()
}

/// "2 errors, 1 warning in 1 file".
pub fn summary(files: usize, errors: usize, warnings: usize) -> String {
    if crate::lang::current() != kaohe::i18n::Lang::En {
        let n = |id: &str, n: usize| crate::lang::text(id, &[("n", n.to_string())]);
        return crate::lang::text(
            "rulec-summary",
            &[
                ("errors", n("rulec-errors", errors)),
                ("warnings", n("rulec-warnings", warnings)),
                ("files", n("rulec-files", files)),
            ],
        );
    }
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
        .flat_map(|(source, diagnostics)| {
            diagnostics
                .iter()
                .map(|d| d.record_in(source, crate::lang::current(), crate::lang::catalog()))
        })
        .collect();
    serde_json::to_string_pretty(&records).unwrap_or_else(|_| "[]".to_owned())
}
