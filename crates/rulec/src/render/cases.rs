//! Rendering `rulec test` reports: pass/fail per case with an expected-vs-actual
//! table and the command that reruns the case, the clause coverage, and JUnit XML.

use std::fmt::Write as _;
use std::path::Path;

use kaohe::cases::{CaseReport, Outcome, RulesetCoverage, SuiteReport, UnitDiff};
use unicode_width::UnicodeWidthStr;

/// Output formats of `rulec test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// A line per case, a diff per failure, a summary.
    Human,
    /// JUnit XML, for CI systems.
    Junit,
    /// One JSON object: every case's outcome, its differences or its errors
    /// as data (docs/errors.md); a suite that cannot run at all prints
    /// `{"errors": [ … ]}`.
    Json,
}

/// The report as JSON: `{"passed", "cases": [{"file", "ruleset", "outcome",
/// "differences"?, "errors"?}], "coverage": [{"ruleset", "cases", "cited",
/// "uncovered", "errors"?}]}`.
pub fn json(report: &kaohe::cases::SuiteReport) -> String {
    use kaohe::cases::Outcome;
    use kaohe::error::ToErrorRecords;
    use serde_json::json;
    let cases: Vec<serde_json::Value> = report
        .cases
        .iter()
        .map(|case| {
            let mut value = serde_json::Map::new();
            value.insert("file".into(), json!(case.path.display().to_string()));
            value.insert(
                "ruleset".into(),
                json!(case.ruleset.as_ref().map(|r| r.display().to_string())),
            );
            let (outcome, extra) = match &case.outcome {
                Outcome::Passed => ("passed", None),
                Outcome::Blessed { values } => ("blessed", Some(("values", json!(values)))),
                Outcome::Failed(diffs) => (
                    "failed",
                    Some((
                        "differences",
                        diffs
                            .iter()
                            .map(|d| {
                                json!({
                                    "period": d.scope.to_string(),
                                    "unit": d.unit,
                                    "name": d.name,
                                    "fields": d.fields.iter().map(|f| json!({
                                        "field": f.field, "expected": f.expected, "actual": f.actual,
                                    })).collect::<Vec<_>>(),
                                    "actual_lines": d.actual_lines,
                                })
                            })
                            .collect(),
                    )),
                ),
                Outcome::Error(error) => (
                    "error",
                    Some(("errors", json!(error.error_records()))),
                ),
            };
            value.insert("outcome".into(), json!(outcome));
            if let Some((key, extra)) = extra {
                value.insert(key.into(), extra);
            }
            serde_json::Value::Object(value)
        })
        .collect();
    let coverage: Vec<serde_json::Value> = report
        .coverage
        .iter()
        .map(|c| {
            let mut value = serde_json::Map::new();
            value.insert("ruleset".into(), json!(c.ruleset.display().to_string()));
            value.insert("cases".into(), json!(c.cases));
            value.insert("cited".into(), json!(c.cited));
            value.insert(
                "uncovered".into(),
                json!(c
                    .uncovered
                    .iter()
                    .map(|u| u.clause.clone())
                    .collect::<Vec<_>>()),
            );
            if let Some(error) = &c.error {
                value.insert("errors".into(), json!(error.error_records()));
            }
            serde_json::Value::Object(value)
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "passed": report.passed() && !report.cases.is_empty(),
        "cases": cases,
        "coverage": coverage,
    }))
    .unwrap_or_default()
}

fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// `rulec test PATH`, quoted for a POSIX shell when needed.
pub fn rerun(path: &Path) -> String {
    let shown = path.display().to_string();
    let plain = shown
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c));
    if plain {
        format!("rulec test {shown}")
    } else {
        format!("rulec test '{}'", shown.replace('\'', "'\\''"))
    }
}

/// The expected-vs-actual table of one failing case, indented by `indent`.
pub fn diffs(diffs: &[UnitDiff], indent: &str) -> String {
    let mut out = String::new();
    for diff in diffs {
        let who = match (&diff.unit, &diff.name) {
            (Some(unit), Some(name)) if unit != name => format!(" · {unit} {name}"),
            (Some(unit), _) => format!(" · {unit}"),
            (None, _) => String::new(),
        };
        let _ = writeln!(out, "{indent}{}{who}", diff.scope);
        let field_width = diff
            .fields
            .iter()
            .map(|f| UnicodeWidthStr::width(f.field.as_str()))
            .max()
            .unwrap_or(0);
        let expected_width = diff
            .fields
            .iter()
            .map(|f| UnicodeWidthStr::width(f.expected.as_str()))
            .max()
            .unwrap_or(0);
        for f in &diff.fields {
            let _ = writeln!(
                out,
                "{indent}  {}  {} {}  {} {}",
                pad(&f.field, field_width),
                crate::lang::text("rulec-case-expected", &[]),
                pad(&f.expected, expected_width),
                crate::lang::text("rulec-case-actual", &[]),
                f.actual
            );
        }
        if !diff.actual_lines.is_empty() {
            let _ = writeln!(
                out,
                "{indent}  {}: {}",
                crate::lang::text("rulec-case-actual-lines", &[]),
                diff.actual_lines.join(", ")
            );
        }
    }
    out
}

/// The body of a case's report: its diff or error, and the rerun command.
fn case_body(case: &CaseReport, indent: &str) -> String {
    let mut out = String::new();
    match &case.outcome {
        Outcome::Failed(d) => out.push_str(&diffs(d, indent)),
        Outcome::Error(e) if crate::lang::current() != kaohe::i18n::Lang::En => {
            for record in kaohe::error::ToErrorRecords::error_records(e) {
                let record = record.in_lang(crate::lang::current(), crate::lang::catalog());
                let _ = writeln!(out, "{indent}{}", record.message);
            }
        }
        // Every error of the failed evaluation, not only the first.
        Outcome::Error(kaohe::cases::CaseError::Eval(error)) => {
            for one in error.all() {
                let _ = writeln!(out, "{indent}evaluation failed: {one}");
            }
        }
        Outcome::Error(e) => {
            for line in e.to_string().lines() {
                let _ = writeln!(out, "{indent}{line}");
            }
        }
        Outcome::Passed | Outcome::Blessed { .. } => {}
    }
    let _ = writeln!(
        out,
        "{indent}{}: {}",
        crate::lang::text("rulec-case-rerun", &[]),
        rerun(&case.path)
    );
    out
}

fn coverage_text(coverage: &[RulesetCoverage]) -> String {
    let text = crate::lang::text;
    let mut out = format!("{}:\n", text("rulec-coverage", &[]));
    for c in coverage {
        let path = c.ruleset.display().to_string();
        if let Some(e) = &c.error {
            let _ = writeln!(
                out,
                "  {}",
                text("rulec-coverage-unloadable", &[("path", path.clone())])
            );
            let lines = match crate::lang::current() {
                kaohe::i18n::Lang::En => e.to_string().lines().map(str::to_owned).collect(),
                lang => kaohe::error::ToErrorRecords::error_records(e)
                    .into_iter()
                    .map(|r| r.in_lang(lang, crate::lang::catalog()).message)
                    .collect::<Vec<String>>(),
            };
            for line in lines {
                let _ = writeln!(out, "    {line}");
            }
            continue;
        }
        let cases = text(
            "rulec-coverage-cases",
            &[
                ("n", c.cases.to_string()),
                (
                    "plural",
                    if c.cases == 1 { "one" } else { "other" }.to_owned(),
                ),
            ],
        );
        if c.uncovered.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                text(
                    "rulec-coverage-all",
                    &[
                        ("path", path.clone()),
                        ("cited", c.cited.to_string()),
                        ("cases", cases.clone()),
                    ]
                )
            );
        } else {
            let _ = writeln!(
                out,
                "  {}",
                text(
                    "rulec-coverage-gaps",
                    &[
                        ("path", path.clone()),
                        ("uncovered", c.uncovered.len().to_string()),
                        ("cited", c.cited.to_string()),
                        ("cases", cases.clone()),
                    ]
                )
            );
            let width = c
                .uncovered
                .iter()
                .map(|u| UnicodeWidthStr::width(u.clause.as_str()))
                .max()
                .unwrap_or(0);
            for u in &c.uncovered {
                let places: Vec<String> = u
                    .cited_at
                    .iter()
                    .map(|p| {
                        text(
                            "rulec-coverage-line",
                            &[
                                ("line", p.line.to_string()),
                                ("what", crate::lang::engine(&p.what)),
                            ],
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "    {}  {}",
                    pad(&u.clause, width),
                    text("rulec-coverage-cited-at", &[("places", places.join(", "))])
                );
            }
        }
        if !c.uncited.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                text(
                    "rulec-coverage-uncited",
                    &[("path", path.clone()), ("n", c.uncited.len().to_string())]
                )
            );
            let width = c
                .uncited
                .iter()
                .map(|u| UnicodeWidthStr::width(u.clause.as_str()))
                .max()
                .unwrap_or(0);
            for u in &c.uncited {
                let _ = writeln!(
                    out,
                    "    {}  {}",
                    pad(&u.clause, width),
                    text(
                        "rulec-coverage-declared-at",
                        &[("line", u.line.to_string())]
                    )
                );
            }
        }
    }
    out
}

/// The report for people.
pub fn human(report: &SuiteReport) -> String {
    let mut out = String::new();
    for case in &report.cases {
        let (tag, extra) = match &case.outcome {
            Outcome::Passed => ("rulec-case-pass", String::new()),
            Outcome::Failed(_) => ("rulec-case-fail", String::new()),
            Outcome::Error(_) => ("rulec-case-error", String::new()),
            Outcome::Blessed { values } => (
                "rulec-case-bless",
                crate::lang::text("rulec-case-written", &[("n", values.to_string())]),
            ),
        };
        let tag = pad(&crate::lang::text(tag, &[]), 5);
        let description = case
            .description
            .as_deref()
            .map(|d| format!(" — {d}"))
            .unwrap_or_default();
        let _ = writeln!(out, "{tag} {}{description}{extra}", case.path.display());
        if !case.outcome.passed() {
            out.push_str(&case_body(case, "      "));
        }
    }
    if !report.coverage.is_empty() {
        out.push('\n');
        out.push_str(&coverage_text(&report.coverage));
    }
    let passed = report.cases.iter().filter(|c| c.outcome.passed()).count();
    let failed = report.cases.len() - passed;
    let uncovered: usize = report.coverage.iter().map(RulesetCoverage::gaps).sum();
    if uncovered > 0 {
        let _ = writeln!(
            out,
            "{}",
            crate::lang::text("rulec-coverage-failed", &[("n", uncovered.to_string())])
        );
    }
    let _ = writeln!(
        out,
        "{}",
        crate::lang::text(
            "rulec-cases-summary",
            &[
                ("passed", passed.to_string()),
                ("failed", failed.to_string())
            ]
        )
    );
    out
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c == '\n' || c == '\t' || c == '\r' || c >= ' ' => out.push(c),
            _ => {}
        }
    }
    out
}

/// JUnit XML: one `<testsuite>` per ruleset with a `<testcase>` per case, and
/// with `--coverage` a `coverage` suite with a test case per ruleset.
pub fn junit(report: &SuiteReport) -> String {
    let mut suites: Vec<(String, Vec<&CaseReport>)> = Vec::new();
    for case in &report.cases {
        let name = case.ruleset.as_ref().map_or_else(
            || "unreadable cases".to_owned(),
            |r| r.display().to_string(),
        );
        match suites.iter_mut().find(|(n, _)| *n == name) {
            Some((_, cases)) => cases.push(case),
            None => suites.push((name, vec![case])),
        }
    }
    let count = |cases: &[&CaseReport], f: fn(&Outcome) -> bool| {
        cases.iter().filter(|c| f(&c.outcome)).count()
    };
    let all: Vec<&CaseReport> = report.cases.iter().collect();
    let coverage_failures = report.coverage.iter().filter(|c| c.gaps() > 0).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"rulec test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        all.len() + report.coverage.len(),
        count(&all, |o| matches!(o, Outcome::Failed(_))) + coverage_failures,
        count(&all, |o| matches!(o, Outcome::Error(_)))
    );
    for (name, cases) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            xml(name),
            cases.len(),
            count(cases, |o| matches!(o, Outcome::Failed(_))),
            count(cases, |o| matches!(o, Outcome::Error(_)))
        );
        for case in cases {
            let path = case.path.display().to_string();
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
                xml(&path),
                xml(name),
                xml(&path)
            );
            match &case.outcome {
                Outcome::Passed | Outcome::Blessed { .. } => out.push_str("/>\n"),
                Outcome::Failed(d) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{} expectation group(s) differ\" type=\"mismatch\">{}</failure>\n    </testcase>",
                        d.len(),
                        xml(&case_body(case, ""))
                    );
                }
                Outcome::Error(e) => {
                    let _ = writeln!(
                        out,
                        ">\n      <error message=\"{}\" type=\"error\">{}</error>\n    </testcase>",
                        xml(e.to_string().lines().next().unwrap_or_default()),
                        xml(&case_body(case, ""))
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    if !report.coverage.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"coverage\" tests=\"{}\" failures=\"{coverage_failures}\" errors=\"0\">",
            report.coverage.len()
        );
        for c in &report.coverage {
            let path = c.ruleset.display().to_string();
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"coverage\" file=\"{}\"",
                xml(&path),
                xml(&path)
            );
            if c.gaps() == 0 {
                out.push_str("/>\n");
            } else {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{} clause id(s) not exercised or not cited\" type=\"coverage\">{}</failure>\n    </testcase>",
                    c.uncovered.len() + c.uncited.len(),
                    xml(&coverage_text(std::slice::from_ref(c)))
                );
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
