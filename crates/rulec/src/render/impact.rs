//! Rendering `rulec diff`: per changed unit and period, before → after and the
//! score lines that account for it; then the summary.

use std::fmt::Write as _;

use kaohe::eval::result::decimal_text as number;
use kaohe::impact::{DecimalChange, Impact, LineStatus, ResultChange};
use kaohe::number::Number as Decimal;
use kaohe::Period;
use unicode_width::UnicodeWidthStr;

/// Output formats of `rulec diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// For people.
    Human,
    /// The impact as JSON (docs/cases.md).
    Json,
}

fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{}", number(d))
    } else {
        number(d)
    }
}

fn side(d: Option<Decimal>, show: fn(Decimal) -> String) -> String {
    d.map_or_else(|| "—".to_owned(), show)
}

fn before_after(c: &DecimalChange, show: fn(Decimal) -> String) -> String {
    format!("{} → {}", side(c.before, show), side(c.after, show))
}

fn rank(r: Option<u32>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| r.to_string())
}

fn heading(change: &ResultChange) -> String {
    let mut parts = Vec::new();
    if change.total.changed() {
        parts.push(crate::lang::text(
            "rulec-diff-total",
            &[
                ("total", before_after(&change.total, number)),
                (
                    "delta",
                    change
                        .total
                        .delta()
                        .map_or_else(|| crate::lang::text("rulec-diff-overflow", &[]), signed),
                ),
            ],
        ));
    } else if let Some(t) = change.total.after {
        parts.push(crate::lang::text(
            "rulec-diff-unchanged",
            &[("total", number(t))],
        ));
    }
    if change.converted.changed() {
        parts.push(crate::lang::text(
            "rulec-diff-converted",
            &[("converted", before_after(&change.converted, number))],
        ));
    }
    if change.rank.changed() {
        parts.push(crate::lang::text(
            "rulec-diff-rank",
            &[
                ("before", rank(change.rank.before)),
                ("after", rank(change.rank.after)),
            ],
        ));
    }
    parts.join("   ")
}

/// The impact for people.
pub fn human(impact: &Impact) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        crate::lang::text(
            "rulec-diff-impact",
            &[
                ("old", impact.old.file.to_string()),
                ("new", impact.new.file.to_string()),
                ("as_of", impact.facts.as_of.to_string()),
            ]
        )
    );
    if !impact.rules.added.is_empty() || !impact.rules.removed.is_empty() {
        let list = |v: &[String]| {
            if v.is_empty() {
                crate::lang::text("rulec-diff-none", &[])
            } else {
                v.join(", ")
            }
        };
        let _ = writeln!(
            out,
            "{}",
            crate::lang::text(
                "rulec-diff-rules",
                &[
                    ("added", list(&impact.rules.added)),
                    ("removed", list(&impact.rules.removed)),
                ]
            )
        );
    }
    let mut period: Option<Period> = None;
    let who_width = impact
        .changes
        .iter()
        .map(|c| UnicodeWidthStr::width(format!("{} {}", c.unit, c.name).as_str()))
        .max()
        .unwrap_or(0);
    for change in &impact.changes {
        if period != Some(change.period) {
            period = Some(change.period);
            let annual = if change.annual {
                format!(" ({})", crate::lang::text("rulec-kind-annual", &[]))
            } else {
                String::new()
            };
            let _ = writeln!(out, "\n{}{annual}", change.period);
        }
        let who = format!("{} {}", change.unit, change.name);
        let _ = writeln!(out, "  {}  {}", pad(&who, who_width), heading(change));
        let shown: Vec<String> = change
            .lines
            .iter()
            .map(|l| crate::lang::engine(&l.line))
            .collect();
        let line_width = shown
            .iter()
            .map(|l| UnicodeWidthStr::width(l.as_str()))
            .max()
            .unwrap_or(0);
        for (line, text) in change.lines.iter().zip(&shown) {
            let status = match line.status {
                LineStatus::Both => String::new(),
                LineStatus::Added => {
                    format!(" [{}]", crate::lang::text("rulec-diff-rule-added", &[]))
                }
                LineStatus::Removed => {
                    format!(" [{}]", crate::lang::text("rulec-diff-rule-removed", &[]))
                }
            };
            let limits = if line.limits_after.is_empty() {
                String::new()
            } else {
                format!(
                    "  {}: {}",
                    crate::lang::text("rulec-diff-now", &[]),
                    line.limits_after
                        .iter()
                        .map(|l| crate::lang::limit_text(l))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            };
            let _ = writeln!(
                out,
                "      {}  {} ({}){status}{limits}",
                pad(text, line_width),
                before_after(&line.amount, signed),
                line.delta
                    .map_or_else(|| crate::lang::text("rulec-diff-overflow", &[]), signed)
            );
        }
        for g in &change.gained {
            let _ = writeln!(out, "      + {}", crate::lang::engine(g));
        }
        for l in &change.lost {
            let _ = writeln!(out, "      - {}", crate::lang::engine(l));
        }
    }
    let s = &impact.summary;
    if impact.changes.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            crate::lang::text(
                "rulec-diff-no-change",
                &[("compared", s.results_compared.to_string())]
            )
        );
    } else {
        let _ = writeln!(
            out,
            "\n{}",
            crate::lang::text(
                "rulec-diff-summary",
                &[
                    ("units_score", s.units_changed_score.to_string()),
                    ("results_score", s.results_changed_score.to_string()),
                    ("units_rank", s.units_changed_rank.to_string()),
                    ("results_rank", s.results_changed_rank.to_string()),
                    ("gained", s.consequences_gained.to_string()),
                    ("lost", s.consequences_lost.to_string()),
                    ("compared", s.results_compared.to_string()),
                ]
            )
        );
    }
    out
}
