//! Rendering evaluation results: ranking tables (terminal, CSV, Markdown) and
//! line-by-line explanations. Chinese names are aligned by display width.

use kaohe::eval::result::{Evaluation, ItemKind, LineItem, UnitResult};
use kaohe::input::InputInfo;
use kaohe::value::Value;
use kaohe::Ruleset;
use kaohe_office::ranking::{Headers, Table};
use unicode_width::UnicodeWidthStr;

/// Output formats of `rulec eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for a terminal.
    Table,
    /// The stable JSON format (docs/embedding.md).
    Json,
    /// One row per unit and period.
    Csv,
    /// Markdown tables.
    Markdown,
    /// The bulletin workbook: ranking, explanation and notices sheets (needs `-o`).
    Xlsx,
    /// The bulletin as one self-contained web page (needs `-o`).
    Html,
}

impl OutputFormat {
    /// Whether the format is a file, not text for the terminal.
    pub fn is_file(self) -> bool {
        matches!(self, OutputFormat::Xlsx | OutputFormat::Html)
    }
}

fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn pad_left(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(w)))
}

/// The table's own headers in the language of this run.
fn headers() -> Headers {
    Headers::new(crate::lang::catalog(), crate::lang::current())
}

/// The ranking table as CSV (one row per unit and period, every line ending
/// in a newline), written row by row to `out` (issue 15 §3: no whole-output
/// string, whatever the size of the evaluation): `kaohe_office::ranking::csv`,
/// the renderer `rulec serve` uses too.
pub fn csv(evaluation: &Evaluation, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    kaohe_office::ranking::csv(evaluation, &headers(), out)
}

/// The ranking table of every period and year in the evaluation.
pub fn ranking(evaluation: &Evaluation, ruleset: &Ruleset, format: OutputFormat) -> String {
    if format == OutputFormat::Csv {
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = csv(evaluation, &mut out);
        let mut text = String::from_utf8_lossy(&out).into_owned();
        if text.ends_with('\n') {
            text.pop();
        }
        return text;
    }
    let table = Table::new(evaluation);
    let headers = headers();
    let mut out = String::new();
    let mut periods: Vec<_> = evaluation.results.iter().map(|r| r.period).collect();
    periods.dedup();
    for period in periods {
        let results: Vec<&UnitResult> = evaluation
            .results
            .iter()
            .filter(|r| r.period == period)
            .collect();
        let mut groups: Vec<&str> = results.iter().map(|r| r.group.as_str()).collect();
        groups.dedup();
        for group in groups {
            let of_group: Vec<&UnitResult> = results
                .iter()
                .filter(|r| r.group == group)
                .copied()
                .collect();
            // A group scored by its own block shows its own categories (issue 13 §10).
            let columns = table.columns(of_group.iter().copied());
            let header = table.header(&headers, &columns);
            let rows: Vec<Vec<String>> = of_group.iter().map(|r| table.row(r, &columns)).collect();
            let kind = crate::lang::text(
                match results.first() {
                    Some(r) if r.annual && r.provisional => "rulec-kind-annual-provisional",
                    Some(r) if r.annual => "rulec-kind-annual",
                    Some(r) if r.provisional => "rulec-kind-period-provisional",
                    _ => "rulec-kind-period",
                },
                &[],
            );
            let group_label = ruleset
                .groups()
                .find(|g| g.name.name == group)
                .and_then(|g| g.label.as_ref().map(|l| l.text.clone()))
                .unwrap_or_else(|| group.to_owned());
            if !out.is_empty() {
                out.push('\n');
            }
            match format {
                OutputFormat::Markdown => {
                    out.push_str(&format!(
                        "### {} — {period} ({kind}) — {group_label}\n\n",
                        ruleset.title()
                    ));
                    out.push_str(&format!("| {} |\n", header.join(" | ")));
                    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
                    for r in &rows {
                        let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
                        out.push_str(&format!("| {} |\n", cells.join(" | ")));
                    }
                }
                _ => {
                    out.push_str(&format!(
                        "{} — {period} ({kind}) — {group_label}\n",
                        ruleset.title()
                    ));
                    let widths: Vec<usize> = (0..header.len())
                        .map(|i| {
                            rows.iter()
                                .filter_map(|r| r.get(i))
                                .chain(header.get(i))
                                .map(|c| UnicodeWidthStr::width(c.as_str()))
                                .max()
                                .unwrap_or(0)
                        })
                        .collect();
                    let numeric = |i: usize| i != 1 && i + 1 != header.len();
                    let line = |cells: &[String]| {
                        cells
                            .iter()
                            .zip(&widths)
                            .enumerate()
                            .map(|(i, (c, w))| {
                                if numeric(i) {
                                    pad_left(c, *w)
                                } else {
                                    pad(c, *w)
                                }
                            })
                            .collect::<Vec<_>>()
                            .join("  ")
                            .trim_end()
                            .to_owned()
                    };
                    out.push_str(&line(&header));
                    out.push('\n');
                    for r in &rows {
                        out.push_str(&line(r));
                        out.push('\n');
                    }
                }
            }
        }
    }
    for ranking in &evaluation.rankings {
        for tie in &ranking.unresolved_ties {
            out.push('\n');
            out.push_str(&crate::lang::text(
                "rulec-unresolved-tie",
                &[
                    ("ranking", ranking.ranking.to_string()),
                    ("period", ranking.period.to_string()),
                    ("units", tie.join(", ")),
                ],
            ));
        }
    }
    for rejected in &evaluation.rejected {
        out.push('\n');
        out.push_str(&crate::lang::text(
            "rulec-not-applied",
            &[
                ("kind", rejected.record.kind.to_string()),
                ("period", rejected.record.period.to_string()),
                ("unit", rejected.unit.to_string()),
                ("reported", rejected.record.reported.to_string()),
                (
                    "reason",
                    crate::lang::tr("kaohe::eval::failed", &rejected.reason.to_string()),
                ),
            ],
        ));
    }
    out.trim_end().to_owned()
}

/// The lines explaining one line item: what, count, amount, clauses; its
/// limits, working and records.
fn item_lines(out: &mut String, item: &LineItem, md: bool, inputs: &[InputInfo], period: &str) {
    let word = |id: &str| crate::lang::text(id, &[]);
    let what = match item.kind {
        ItemKind::Base => word("rulec-explain-base"),
        ItemKind::Average => format!(
            "{} {}",
            word("rulec-explain-average"),
            item.label.clone().unwrap_or_default()
        ),
        _ => format!(
            "{} {}{}",
            word(match item.kind {
                ItemKind::Deduction => "rulec-explain-deduct",
                ItemKind::Bonus => "rulec-explain-bonus",
                ItemKind::Adjustment => "rulec-explain-adjust",
                ItemKind::Cap => "rulec-explain-cap",
                _ => "rulec-explain-floor",
            }),
            item.rule.clone().unwrap_or_default(),
            item.label
                .as_ref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default()
        ),
    };
    let count = if item.count > 0
        && !matches!(
            item.kind,
            ItemKind::Cap | ItemKind::Floor | ItemKind::Average
        ) {
        format!(" ×{}", item.count)
    } else {
        String::new()
    };
    let amount = if item.amount.is_negative() {
        item.amount.normalize().to_string()
    } else {
        format!("+{}", item.amount.normalize())
    };
    let cite = if item.clauses.is_empty() {
        String::new()
    } else {
        format!("[{}]", item.clauses.join(", "))
    };
    let bullet = if md { "- " } else { "  " };
    out.push_str(&format!("{bullet}{}{count}  {amount}  {cite}\n", what));
    for limit in &item.limits {
        out.push_str(&format!(
            "{}  {}{}\n",
            if md { "  -" } else { "   " },
            crate::lang::limit(limit),
            if limit.clauses.is_empty() {
                String::new()
            } else {
                format!(" [{}]", limit.clauses.join(", "))
            }
        ));
    }
    // The sub-assessments the rule read, with their provenance (issue 13 §11).
    for name in &item.inputs {
        if let Some(info) = inputs.iter().find(|i| i.input == name.as_str()) {
            let label = info
                .label
                .as_deref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default();
            // Read in a period the sub-assessment marks provisional (for a
            // year's line: in any period of the year): the number read may
            // still change (the result is provisional too).
            let provisional = if period
                .parse::<kaohe::Period>()
                .is_ok_and(|p| info.provisional_in(p))
            {
                format!(" ({})", word("rulec-explain-input-provisional"))
            } else {
                String::new()
            };
            // The periods whose sub-results the line read: its own, or for
            // the year's line of a year summed from its periods, which the
            // input has no result of its own for, the periods of that year
            // the input covers.
            let read_in = match period.parse::<kaohe::Period>() {
                Ok(kaohe::Period::Year(year)) if !info.periods.iter().any(|p| p == period) => {
                    let of_year: Vec<&str> = info
                        .periods
                        .iter()
                        .filter(|p| {
                            p.parse::<kaohe::Period>().is_ok_and(|q| {
                                !matches!(q, kaohe::Period::Year(_)) && q.year() == year
                            })
                        })
                        .map(String::as_str)
                        .collect();
                    if of_year.is_empty() {
                        period.to_owned()
                    } else {
                        of_year.join(", ")
                    }
                }
                _ => period.to_owned(),
            };
            out.push_str(&format!(
                "{}  {} {}{label} ← {} {} ({}), {} {}, {read_in}{provisional}\n",
                if md { "  -" } else { "   " },
                word("rulec-explain-input"),
                info.input,
                info.ruleset,
                info.title,
                info.ruleset_hash,
                word("rulec-explain-input-facts"),
                info.facts_hash
            ));
        }
    }
    // The working of an amount computed by an expression (issue 13 §16).
    if let Some(formula) = &item.formula {
        out.push_str(&format!("{}  {formula}\n", if md { "  -" } else { "   " }));
    }
    for record in &item.records {
        // Declared attributes, then derived ones (issue 13 §16).
        let attributes = record
            .record
            .attributes
            .iter()
            .filter(|(_, v)| **v != Value::Absent)
            .map(|(k, v)| format!("{k}={v}"))
            .chain(record.derived.0.iter().map(|(k, v)| format!("{k}={v}")))
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!(
            "{}  {} {} ({attributes}) ×{}  {}{}{}\n",
            if md { "  -" } else { "     ·" },
            record.record.kind,
            record.record.period,
            record.count,
            record.amount.normalize(),
            record
                .formula
                .as_ref()
                .map(|f| format!("  ({f})"))
                .unwrap_or_default(),
            if record.notes.is_empty() {
                String::new()
            } else {
                {
                    let notes: Vec<String> = record
                        .notes
                        .iter()
                        .map(|n| crate::lang::engine(n))
                        .collect();
                    format!("  {}", notes.join("; "))
                }
            }
        ));
        // The office's decision within the rule's range (issue 13 §6).
        if let Some(d) = &record.discretion {
            out.push_str(&format!(
                "{}  {}\n",
                if md { "    -" } else { "       " },
                crate::lang::text(
                    "rulec-explain-decided",
                    &[
                        ("decided", d.decided.normalize().to_string()),
                        ("from", d.from.normalize().to_string()),
                        ("to", d.to.normalize().to_string()),
                    ]
                )
            ));
        }
    }
}

/// Every selected result of one unit, line by line.
pub fn explain(evaluation: &Evaluation, format: OutputFormat) -> String {
    let mut out = String::new();
    let md = format == OutputFormat::Markdown;
    let word = |id: &str| crate::lang::text(id, &[]);
    for result in &evaluation.results {
        let mut rank = result
            .rank
            .map(|r| {
                format!(
                    ", {}",
                    crate::lang::text("rulec-explain-rank", &[("rank", r.to_string())])
                )
            })
            .unwrap_or_default();
        if result.provisional {
            rank.push_str(&format!(" ({})", word("rulec-explain-provisional")));
        }
        let total = word("rulec-explain-total");
        if md {
            out.push_str(&format!(
                "### {} ({}) — {}: {total} {}{rank}\n\n",
                result.name,
                result.unit,
                result.period,
                result.total.normalize()
            ));
        } else {
            out.push_str(&format!(
                "{} ({}) — {}: {total} {}{rank}\n",
                result.name,
                result.unit,
                result.period,
                result.total.normalize()
            ));
        }
        let period = result.period.to_string();
        for item in &result.items {
            item_lines(&mut out, item, md, &evaluation.inputs, &period);
        }
        out.push_str(&format!(
            "{}= {}\n",
            if md { "\n" } else { "  " },
            result.total.normalize()
        ));
        if let Some(c) = result.converted {
            out.push_str(&format!("  {}: {c}\n", word("rulec-explain-converted")));
        }
        // Categories outside the total (issue 13 §10): their own lines and
        // score, after the total they are no part of.
        for category in result.categories.iter().filter(|c| c.outside) {
            let label = category
                .label
                .as_deref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default();
            let value = category
                .subtotal
                .map(|v| v.normalize().to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "{}{} {}{label}: {value}\n",
                if md { "\n" } else { "  " },
                word("rulec-explain-outside"),
                category.category
            ));
            for item in result
                .outside_items
                .iter()
                .filter(|i| i.category.as_deref() == Some(category.category.as_str()))
            {
                item_lines(&mut out, item, md, &evaluation.inputs, &period);
            }
        }
        // Outputs that are not points (issue 13 §12).
        for o in &result.outputs {
            let label = o
                .label
                .as_deref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default();
            let cites = if o.clauses.is_empty() {
                String::new()
            } else {
                format!("  [{}]", o.clauses.join(", "))
            };
            out.push_str(&format!(
                "  {}{cites}\n",
                crate::lang::text(
                    "rulec-explain-output",
                    &[
                        ("output", o.output.to_string()),
                        ("label", label),
                        ("value", o.value.to_string()),
                    ]
                )
            ));
        }
        // Measures (issue 13 §4): the values places and proportions come from.
        for m in &result.measures {
            let label = m
                .label
                .as_deref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {}{}\n",
                crate::lang::text(
                    "rulec-explain-measure",
                    &[
                        ("measure", m.measure.to_string()),
                        ("label", label),
                        ("value", m.value.to_string()),
                        ("place", m.place.to_string()),
                        ("of", m.of.to_string()),
                        ("highest", m.peer_max.to_string()),
                        ("average", m.peer_average.to_string()),
                    ]
                ),
                cite_text(&m.clauses)
            ));
        }
        // Rankings that leave the unit out by `only when` (issue 13 §3).
        for n in &result.not_ranked {
            out.push_str(&format!(
                "  {}{}\n",
                crate::lang::text(
                    "rulec-explain-not-ranked",
                    &[
                        ("ranking", n.ranking.to_string()),
                        ("condition", n.condition.clone()),
                        ("values", n.values.clone()),
                    ]
                ),
                cite_text(&n.clauses)
            ));
        }
        if let (Some(name), Some(rank)) = (&result.ranking, result.rank) {
            if let Some(ranking) = evaluation
                .rankings
                .iter()
                .find(|r| &r.ranking == name && r.period == result.period)
            {
                if let Some(entry) = ranking.entries.iter().find(|e| e.unit == result.unit) {
                    let decided = |v: &Option<String>| match v.as_deref() {
                        None => "-".to_owned(),
                        Some("tie") => word("rulec-explain-unresolved-tie"),
                        // The built-in keys in words; a unit attribute by its name.
                        Some(key) => crate::lang::text(
                            "rulec-explain-by",
                            &[(
                                "key",
                                match key {
                                    "total" => word("rulec-explain-key-total"),
                                    "discretion" => word("rulec-explain-key-discretion"),
                                    // In Chinese a name is set off in backticks.
                                    attribute
                                        if crate::lang::current() == kaohe::i18n::Lang::En =>
                                    {
                                        attribute.to_owned()
                                    }
                                    attribute => format!("`{attribute}`"),
                                },
                            )],
                        ),
                    };
                    out.push_str(&format!(
                        "  {}{}\n",
                        crate::lang::text(
                            "rulec-explain-rank-line",
                            &[
                                ("rank", rank.to_string()),
                                ("of", ranking.entries.len().to_string()),
                                ("ranking", name.to_string()),
                                ("above", decided(&entry.versus_above)),
                                ("below", decided(&entry.versus_below)),
                            ]
                        ),
                        cite_text(&ranking.clauses)
                    ));
                }
            }
        }
        for n in &result.notices {
            out.push_str(&format!(
                "  {}: {}{}{}{}\n",
                word("rulec-explain-notice"),
                kaohe_office::ranking::notice(n),
                if n.actions.is_empty() {
                    String::new()
                } else {
                    format!(" → {}", n.actions.join(", "))
                },
                n.detail
                    .as_ref()
                    .map(|d| format!(" ({})", crate::lang::engine(d)))
                    .unwrap_or_default(),
                if n.clauses.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", n.clauses.join(", "))
                }
            ));
        }
        out.push('\n');
    }
    for rejected in &evaluation.rejected {
        out.push_str(&format!(
            "{}\n",
            crate::lang::text(
                "rulec-explain-not-applied",
                &[
                    ("kind", rejected.record.kind.to_string()),
                    ("period", rejected.record.period.to_string()),
                    ("reported", rejected.record.reported.to_string()),
                    (
                        "reason",
                        crate::lang::tr("kaohe::eval::failed", &rejected.reason.to_string())
                    ),
                ]
            )
        ));
    }
    let quoted = cited_texts(evaluation);
    if !quoted.is_empty() {
        out.truncate(out.trim_end().len());
        let clauses = word("rulec-explain-clauses");
        out.push_str(&if md {
            format!("\n\n### {clauses}\n\n")
        } else {
            format!("\n\n{clauses}:\n")
        });
        for (id, text) in quoted {
            out.push_str(&format!("{}[{id}] {text}\n", if md { "- " } else { "  " }));
        }
    }
    out.trim_end().to_owned()
}

/// ` [A, B]` after a line, or nothing when it cites no clause.
fn cite_text(clauses: &[kaohe::text::Text]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!(
            "  [{}]",
            clauses
                .iter()
                .map(|c| c.as_ref())
                .collect::<Vec<&str>>()
                .join(", ")
        )
    }
}

/// The declared texts of the clause ids the shown results cite, in id order:
/// every line of the explanation — line items, limits, outputs, measures,
/// the rank line (its ranking's clauses), rankings that leave the unit out,
/// notices and records not applied.
fn cited_texts(evaluation: &Evaluation) -> Vec<(&str, &str)> {
    let mut ids = std::collections::BTreeSet::new();
    for result in &evaluation.results {
        // The lines outside the total cite clauses too (second breaker's item 8).
        for item in result.items.iter().chain(&result.outside_items) {
            ids.extend(item.clauses.iter().map(|c| c.as_ref()));
            for limit in &item.limits {
                ids.extend(limit.clauses.iter().map(|c| c.as_ref()));
            }
        }
        for o in &result.outputs {
            ids.extend(o.clauses.iter().map(|c| c.as_ref()));
        }
        for m in &result.measures {
            ids.extend(m.clauses.iter().map(|c| c.as_ref()));
        }
        for n in &result.not_ranked {
            ids.extend(n.clauses.iter().map(|c| c.as_ref()));
        }
        if let (Some(name), Some(_)) = (&result.ranking, result.rank) {
            for ranking in evaluation
                .rankings
                .iter()
                .filter(|r| &r.ranking == name && r.period == result.period)
            {
                ids.extend(ranking.clauses.iter().map(|c| c.as_ref()));
            }
        }
        for n in &result.notices {
            ids.extend(n.clauses.iter().map(|c| c.as_ref()));
        }
    }
    for rejected in &evaluation.rejected {
        ids.extend(rejected.clauses.iter().map(|c| c.as_ref()));
    }
    ids.into_iter()
        .filter_map(|id: &str| {
            evaluation
                .ruleset
                .clauses
                .get_key_value(id)
                .map(|(k, v)| (k.as_str(), v.as_str()))
        })
        .collect()
}
