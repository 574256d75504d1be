//! The ranking table: its columns and cells, and the table as CSV. One
//! renderer for every ranking table kaohe prints: `rulec eval` (terminal,
//! Markdown and `--format csv`) and `rulec serve` (`?format=csv`).
//!
//! A row is the rank (`2=` while a tie is unresolved, `-` for a unit not
//! ranked), the unit's name, its total, its converted score (only when the
//! table has one), each category's subtotal in the order the categories first
//! appear, and the notices in a few words: the notice's label, with the class
//! or the escalation ladder's step issued (`红黄绿榜: 红`, `排名末位问责: 约谈`).
//! The headers' words (rank, unit, total, converted, notices) are in the
//! language asked for; category headers are the ruleset's labels.

use std::io::Write;

use kaohe::eval::result::{Evaluation, NoticeResult, Ties, UnitResult};
use kaohe::i18n::{Catalog, Lang};

use crate::csv::field;

/// The words of the table's own headers, in one language (message ids
/// `rulec-header-*` of the catalog).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    /// `rank` / `名次`.
    pub rank: String,
    /// `unit` / `单位`.
    pub unit: String,
    /// `total` / `得分`.
    pub total: String,
    /// `converted` / `折算得分`.
    pub converted: String,
    /// `notices` / `预警通知`.
    pub notices: String,
}

impl Headers {
    /// The headers in `lang`.
    pub fn new(catalog: &Catalog, lang: Lang) -> Headers {
        let word = |id: &str| catalog.get(lang, id, &[]);
        Headers {
            rank: word("rulec-header-rank"),
            unit: word("rulec-header-unit"),
            total: word("rulec-header-total"),
            converted: word("rulec-header-converted"),
            notices: word("rulec-header-notices"),
        }
    }
}

/// Which optional columns a table shows: the converted score (issue 12
/// annual conversion) when any of its results has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    converted: bool,
}

impl Columns {
    /// The columns of a table of these results.
    pub fn of<'a>(results: impl IntoIterator<Item = &'a UnitResult>) -> Columns {
        Columns {
            converted: results.into_iter().any(|r| r.converted.is_some()),
        }
    }
}

/// The ranking table of an evaluation: what every row and header needs
/// (the unresolved ties, the categories), computed once.
#[derive(Debug)]
pub struct Table<'e> {
    ties: Ties<'e>,
    categories: Vec<(String, String)>,
}

impl<'e> Table<'e> {
    /// The table of `evaluation`'s results.
    pub fn new(evaluation: &'e Evaluation) -> Table<'e> {
        let mut categories: Vec<(String, String)> = Vec::new();
        for c in evaluation.results.iter().flat_map(|r| r.categories.iter()) {
            if !categories.iter().any(|(name, _)| name == &c.category) {
                categories.push((
                    c.category.to_string(),
                    c.label.as_ref().unwrap_or(&c.category).to_string(),
                ));
            }
        }
        Table {
            ties: evaluation.ties(),
            categories,
        }
    }

    /// The header: rank, unit, total, converted (when shown), each
    /// category's label, notices.
    pub fn header(&self, headers: &Headers, columns: Columns) -> Vec<String> {
        let mut header = vec![
            headers.rank.clone(),
            headers.unit.clone(),
            headers.total.clone(),
        ];
        if columns.converted {
            header.push(headers.converted.clone());
        }
        header.extend(self.categories.iter().map(|(_, label)| label.clone()));
        header.push(headers.notices.clone());
        header
    }

    /// The row of one result, cell by cell as [`Table::header`] names them.
    pub fn row(&self, result: &UnitResult, columns: Columns) -> Vec<String> {
        let mut row = vec![
            self.rank(result),
            result.name.to_string(),
            result.total.normalize().to_string(),
        ];
        if columns.converted {
            row.push(result.converted.map(|c| c.to_string()).unwrap_or_default());
        }
        for (name, _) in &self.categories {
            row.push(
                result
                    .categories
                    .iter()
                    .find(|c| c.category == *name)
                    .and_then(|c| c.subtotal.or_else(|| c.bonuses.checked_sub(c.deductions)))
                    .map(|v| v.normalize().to_string())
                    .unwrap_or_default(),
            );
        }
        row.push(notices(result));
        row
    }

    /// `3`, `2=` (a tie left unresolved), or `-` (not ranked).
    fn rank(&self, result: &UnitResult) -> String {
        match result.rank {
            None => "-".to_owned(),
            Some(rank) if self.ties.is_tied(result) => format!("{rank}="),
            Some(rank) => rank.to_string(),
        }
    }
}

/// A notice in a few words: `预警通知`; with the class, or the step an
/// escalation ladder issued: `红黄绿榜: 红`, `排名末位问责: 约谈` (the
/// table's notices column, and `rulec eval --explain`'s notice lines).
pub fn notice(n: &NoticeResult) -> String {
    let label = n.label.clone().unwrap_or_else(|| n.name.clone());
    match &n.class {
        Some(class) => format!("{label}: {}", n.class_label.as_ref().unwrap_or(class)),
        None => label,
    }
}

/// A result's notices, each once, joined with `; `.
fn notices(result: &UnitResult) -> String {
    let mut texts: Vec<String> = Vec::new();
    for n in &result.notices {
        let t = notice(n);
        if !texts.contains(&t) {
            texts.push(t);
        }
    }
    texts.join("; ")
}

/// The ranking table as CSV, one row per unit and period (and year), every
/// line ending in a newline, written row by row to `out` (no whole-output
/// string, whatever the size of the evaluation; issue 15 §3). Columns:
/// `period,unit,name,group` (the unit's id and name, its group's name: kept
/// as these keys in every language, for programs), then the table's
/// [`Table::header`] without its unit column, then `provisional` (`yes`)
/// when any result may still change. Every field goes through
/// [`field`](crate::csv::field). No byte-order mark: a file for Excel
/// starts with one (`rulec eval -o FILE`, `rulec serve` write it).
pub fn csv(evaluation: &Evaluation, headers: &Headers, out: &mut dyn Write) -> std::io::Result<()> {
    let table = Table::new(evaluation);
    let columns = Columns::of(&evaluation.results);
    let provisional = evaluation.results.iter().any(|r| r.provisional);
    let mut header = table.header(headers, columns);
    // The name has its own column here; the table's unit column is the name.
    header.remove(1);
    if provisional {
        header.push("provisional".into());
    }
    let header: Vec<String> = header.iter().map(|h| field(h)).collect();
    writeln!(out, "period,unit,name,group,{}", header.join(","))?;
    for r in &evaluation.results {
        let mut cells = table.row(r, columns);
        cells.remove(1);
        let mut line = vec![
            r.period.to_string(),
            r.unit.to_string(),
            r.name.to_string(),
            r.group.to_string(),
        ];
        line.extend(cells);
        if provisional {
            line.push(if r.provisional { "yes" } else { "" }.to_owned());
        }
        let line: Vec<String> = line.iter().map(|c| field(c)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}
