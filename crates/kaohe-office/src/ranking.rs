//! The ranking table: its columns and cells, and the table as CSV. One
//! renderer for every ranking table kaohe prints: `rulec eval` (terminal,
//! Markdown and `--format csv`) and `rulec serve` (`?format=csv`).
//!
//! A row is the rank (`2=` while a tie is unresolved, `-` for a unit not
//! ranked), the unit's name, its total, its converted score (only when the
//! table has one), each category's subtotal in the order the categories first
//! appear, and the notices in a few words: the notice's label, with the class
//! or the escalation ladder's step issued (`红黄绿榜: 红`, `排名末位问责: 约谈`).
//! The headers' words (rank, unit, total, converted, notices, and the CSV's
//! own columns) are in the language asked for; category headers are the
//! ruleset's labels, a category kept outside the total marked so (issue 13
//! §10: `日常工作（不计入总分）`). A table of one group shows the categories of
//! that group's units only (a group scored by its own `score of` block).

use std::io::Write;

use kaohe::eval::result::{Evaluation, NoticeResult, Ties, UnitResult};
use kaohe::i18n::{Catalog, Lang};

use crate::csv::field;

/// The words of the table's own headers, in one language (message ids
/// `rulec-header-*` and `rulec-csv-*` of the catalog).
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
    /// The CSV's first columns: `period`, `unit`, `name`, `group` /
    /// `考核期`, `单位编号`, `单位名称`, `分组`.
    pub csv: [String; 4],
    /// The CSV's `provisional` column / `暂定结果`.
    pub provisional: String,
    /// Its value for a provisional result: `yes` / `是`.
    pub yes: String,
    /// The header of a category outside the total, as a pattern around
    /// [`LABEL`]: `{label} (outside total)` / `{label}（不计入总分）`.
    outside: String,
}

/// Stands for a category's label in [`Headers`]' outside-total pattern (a
/// private-use character no label has).
const LABEL: &str = "\u{E000}";

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
            csv: [
                word("rulec-csv-period"),
                word("rulec-csv-unit"),
                word("rulec-csv-name"),
                word("rulec-csv-group"),
            ],
            provisional: word("rulec-csv-provisional"),
            yes: word("rulec-csv-yes"),
            outside: catalog.get(lang, "rulec-header-outside", &[("label", LABEL.to_owned())]),
        }
    }

    /// The header of a category kept outside the total.
    pub fn outside(&self, label: &str) -> String {
        self.outside.replace(LABEL, label)
    }
}

/// Which columns a table shows: the converted score (issue 12 annual
/// conversion) when any of its results has one, and the categories its
/// results have (all of the evaluation's for one table of every group; a
/// group's own for a table of one group). Made by [`Table::columns`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    converted: bool,
    /// Indexes into the table's categories.
    categories: Vec<usize>,
}

/// The ranking table of an evaluation: what every row and header needs
/// (the unresolved ties, the categories), computed once.
#[derive(Debug)]
pub struct Table<'e> {
    ties: Ties<'e>,
    /// (name, label, outside the total), in order of first appearance.
    categories: Vec<(String, String, bool)>,
}

impl<'e> Table<'e> {
    /// The table of `evaluation`'s results.
    pub fn new(evaluation: &'e Evaluation) -> Table<'e> {
        let mut categories: Vec<(String, String, bool)> = Vec::new();
        for c in evaluation.results.iter().flat_map(|r| r.categories.iter()) {
            if !categories.iter().any(|(name, _, _)| name == &c.category) {
                categories.push((
                    c.category.to_string(),
                    c.label.as_ref().unwrap_or(&c.category).to_string(),
                    c.outside,
                ));
            }
        }
        // Categories kept outside the total come after the total's (a
        // stable sort: each side keeps its order of first appearance), so a
        // block listed first cannot put its outside category before another
        // block's scored ones (breaker's item 8).
        categories.sort_by_key(|(_, _, outside)| *outside);
        Table {
            ties: evaluation.ties(),
            categories,
        }
    }

    /// The columns of a table of these results: the categories they have.
    pub fn columns<'a>(&self, results: impl IntoIterator<Item = &'a UnitResult>) -> Columns {
        let mut converted = false;
        let mut present = vec![false; self.categories.len()];
        for r in results {
            converted |= r.converted.is_some();
            for c in &r.categories {
                if let Some(i) = self
                    .categories
                    .iter()
                    .position(|(n, _, _)| *n == c.category)
                {
                    if let Some(p) = present.get_mut(i) {
                        *p = true;
                    }
                }
            }
        }
        Columns {
            converted,
            categories: (0..present.len())
                .filter(|&i| present.get(i).copied().unwrap_or(false))
                .collect(),
        }
    }

    /// The header: rank, unit, total, converted (when shown), each shown
    /// category's label, notices.
    pub fn header(&self, headers: &Headers, columns: &Columns) -> Vec<String> {
        let mut header = vec![
            headers.rank.clone(),
            headers.unit.clone(),
            headers.total.clone(),
        ];
        if columns.converted {
            header.push(headers.converted.clone());
        }
        for &i in &columns.categories {
            if let Some((_, label, outside)) = self.categories.get(i) {
                header.push(if *outside {
                    headers.outside(label)
                } else {
                    label.clone()
                });
            }
        }
        header.push(headers.notices.clone());
        header
    }

    /// The row of one result, cell by cell as [`Table::header`] names them.
    pub fn row(&self, result: &UnitResult, columns: &Columns) -> Vec<String> {
        let mut row = vec![
            self.rank(result),
            result.name.to_string(),
            result.total.normalize().to_string(),
        ];
        if columns.converted {
            row.push(result.converted.map(|c| c.to_string()).unwrap_or_default());
        }
        for &i in &columns.categories {
            let Some((name, _, _)) = self.categories.get(i) else {
                continue;
            };
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
/// string, whatever the size of the evaluation; issue 15 §3). Columns: the
/// period, the unit's id and name, its group's name (headers
/// [`Headers::csv`], in the language asked for), then the table's
/// [`Table::header`] without its unit column, then [`Headers::provisional`]
/// ([`Headers::yes`]) when any result may still change. Every field goes
/// through [`field`](crate::csv::field). No byte-order mark: a file for
/// Excel starts with one (`rulec eval -o FILE`, `rulec serve` write it).
pub fn csv(evaluation: &Evaluation, headers: &Headers, out: &mut dyn Write) -> std::io::Result<()> {
    let table = Table::new(evaluation);
    let columns = table.columns(&evaluation.results);
    let provisional = evaluation.results.iter().any(|r| r.provisional);
    let mut header = table.header(headers, &columns);
    // The name has its own column here; the table's unit column is the name.
    header.remove(1);
    let mut all: Vec<String> = headers.csv.to_vec();
    all.extend(header);
    if provisional {
        all.push(headers.provisional.clone());
    }
    let all: Vec<String> = all.iter().map(|h| field(h)).collect();
    writeln!(out, "{}", all.join(","))?;
    for r in &evaluation.results {
        let mut cells = table.row(r, &columns);
        cells.remove(1);
        let mut line = vec![
            r.period.to_string(),
            r.unit.to_string(),
            r.name.to_string(),
            r.group.to_string(),
        ];
        line.extend(cells);
        if provisional {
            line.push(if r.provisional {
                headers.yes.clone()
            } else {
                String::new()
            });
        }
        let line: Vec<String> = line.iter().map(|c| field(c)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}
