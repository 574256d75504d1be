//! The results as a workbook (`rulec eval … --format xlsx -o bulletin.xlsx`).
//!
//! - `排名` — the title and evaluation date in rows 1–2, then from row 4 one row
//!   per unit and period: period, group, rank, unit, id, total, the converted
//!   score where the ruleset converts, one column per category (subtotal, or
//!   bonuses − deductions), the change of total and of rank against the
//!   previous period, one column per output that is not points (issue 13
//!   §12, e.g. 扣减工作经费（%）), the class per classification (红黄绿榜,
//!   cell coloured) and the other notices (a ladder's step in brackets:
//!   `排名末位问责（约谈）`).
//! - `明细` — one row per line item: period, unit, kind, rule, label, category,
//!   count, raw and applied amount, clauses, caps and floors that bound, the
//!   records counted. A unit's amounts add up to its total.
//! - `提示` — the notices (warnings, flags, board colours, quota reminders),
//!   unresolved ties, and records not applied (reported after the seal, or
//!   superseded by an amendment) with the reason.
//! - `指标` — only when the ruleset declares measures (issue 13 §4): one row
//!   per unit, period and measure: the value, the place among the measure's
//!   peers (`第2名（共4个）`), the peers' highest and average value.
//! - `条款` — only when the ruleset declares clause texts: every clause id
//!   with the rulebook's wording.
//!
//! Scores are written as numbers, never as text, with a number format of as
//! many decimal places as the column's exact values need (`100.5` → `0.0`; a
//! converted score rounded to 2 places → `0.00`), so what Excel shows is the
//! exact decimal the engine computed.

use kaohe::eval::result::{Evaluation, NoticeKind, UnitResult};
use kaohe::number::{Number, DISPLAY_PLACES};
use kaohe::syntax::ast::RoundMode;
use kaohe::{Period, Ruleset};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::bulletin::{
    categories, category_value, class_colour, classifications, item_kind_label, measure_label,
    notice_kind_label, notice_text, outputs, period_label, periods, place_text, places,
    provisional_mark, record_text, tables, Scope,
};
use crate::template::{display_width, header_format, subtitle_format, title_format};

/// Why the bulletin workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum BulletinError {
    /// The workbook writer failed.
    #[error("cannot write the bulletin workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// The ranking sheet's name.
pub const RANKING_SHEET: &str = "排名";
/// The explanation sheet's name.
pub const EXPLANATION_SHEET: &str = "明细";
/// The notices sheet's name.
pub const NOTICES_SHEET: &str = "提示";
/// The measures sheet's name (only when a result has measures).
pub const MEASURES_SHEET: &str = "指标";
/// The clause sheet's name (only when the ruleset declares clause texts).
pub const CLAUSES_SHEET: &str = "条款";
/// The row (0-based) of the ranking sheet's header; data follows.
pub const RANKING_HEADER_ROW: u32 = 3;

/// The bulletin workbook of `evaluation`, as the bytes of an `.xlsx` file.
pub fn bulletin_xlsx(
    ruleset: &Ruleset,
    evaluation: &Evaluation,
    scope: &Scope,
) -> Result<Vec<u8>, BulletinError> {
    let periods = periods(evaluation, scope);
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    ranking_sheet(
        workbook.add_worksheet(),
        ruleset,
        evaluation,
        &periods,
        &styles,
    )?;
    explanation_sheet(
        workbook.add_worksheet(),
        ruleset,
        evaluation,
        &periods,
        &styles,
    )?;
    notices_sheet(
        workbook.add_worksheet(),
        ruleset,
        evaluation,
        &periods,
        &styles,
    )?;
    if in_scope(evaluation, &periods)
        .iter()
        .any(|r| !r.measures.is_empty())
    {
        measures_sheet(workbook.add_worksheet(), evaluation, &periods, &styles)?;
    }
    if !evaluation.ruleset.clauses.is_empty() {
        clauses_sheet(workbook.add_worksheet(), evaluation, &styles)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// `指标`: every unit's measures (issue 13 §4) — value, place among the
/// measure's peers, the peers' highest and average value — so that points
/// given by place or in proportion to the best can be checked.
fn measures_sheet(
    ws: &mut Worksheet,
    evaluation: &Evaluation,
    periods: &[Period],
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(MEASURES_SHEET)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    let results = in_scope(evaluation, periods);
    let value_format = styles.scores(
        max_places(results.iter().flat_map(|r| {
            r.measures
                .iter()
                .flat_map(|m| [m.value, m.peer_max, m.peer_average])
        })),
        Sign::Minus,
    );
    let header: Vec<String> = [
        "期间",
        "单位编号",
        "单位",
        "指标",
        "数值",
        "位次",
        "同组最高",
        "同组平均",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let mut c = Columns::new(ws, 0);
    c.header(&header, &styles.header)?;
    for r in &results {
        for m in &r.measures {
            c.text(0, &r.period.to_string(), &styles.cell)?;
            c.text(1, &r.unit, &styles.cell)?;
            c.text(2, &r.name, &styles.cell)?;
            c.text(3, measure_label(m), &styles.cell)?;
            c.score(4, m.value, &value_format)?;
            c.text(5, &place_text(m), &styles.cell)?;
            c.score(6, m.peer_max, &value_format)?;
            c.score(7, m.peer_average, &value_format)?;
            c.row += 1;
        }
    }
    c.finish_table(40, 7)
}

/// `条款`: every clause the ruleset declares (`clause [id] "…"`), id and
/// wording, so the ids of the other sheets can be read in full.
fn clauses_sheet(
    ws: &mut Worksheet,
    evaluation: &Evaluation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(CLAUSES_SHEET)?;
    let header = vec!["条款".to_owned(), "条款原文".to_owned()];
    let mut c = Columns::new(ws, 0);
    c.header(&header, &styles.header)?;
    for (id, text) in &evaluation.ruleset.clauses {
        c.text(0, id, &styles.cell)?;
        c.text(1, text, &styles.wrap)?;
        c.row += 1;
    }
    c.finish_table(80, 1)
}

struct Styles {
    title: Format,
    subtitle: Format,
    header: Format,
    cell: Format,
    wrap: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            title: title_format(),
            subtitle: subtitle_format(),
            header: header_format(),
            cell: Format::new().set_border(FormatBorder::Thin),
            wrap: Format::new()
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
        }
    }

    /// The formats of one column of scores: `plain` with `places` decimals
    /// for values that terminate, `marked` (`≈` and [`DISPLAY_PLACES`]
    /// decimals) for values that do not (issue 12 §1).
    fn scores(&self, places: u32, sign: Sign) -> ScoreFormats {
        ScoreFormats {
            plain: self.number(places, sign == Sign::Shown),
            marked: self.marked(sign),
        }
    }

    /// `≈0.3333`: a value shown rounded to [`DISPLAY_PLACES`] decimals whose
    /// cell holds it at full precision.
    fn marked(&self, sign: Sign) -> Format {
        let digits = format!("0.{}", "0".repeat(DISPLAY_PLACES as usize));
        let pattern = match sign {
            Sign::Shown => format!("\"≈+\"{digits};\"≈-\"{digits};\"≈\"{digits}"),
            Sign::Minus => format!("\"≈\"{digits}"),
        };
        self.cell.clone().set_num_format(pattern)
    }

    /// A number format with `places` decimals; `signed` shows `+`.
    fn number(&self, places: u32, signed: bool) -> Format {
        let digits = if places == 0 {
            "0".to_owned()
        } else {
            format!("0.{}", "0".repeat(places as usize))
        };
        let pattern = if signed {
            format!("+{digits};-{digits};{digits}")
        } else {
            digits
        };
        self.cell.clone().set_num_format(pattern)
    }
}

/// A column of a sheet: header and width.
struct Columns<'w> {
    ws: &'w mut Worksheet,
    row: u32,
    widths: Vec<usize>,
}

impl<'w> Columns<'w> {
    fn new(ws: &'w mut Worksheet, row: u32) -> Columns<'w> {
        Columns {
            ws,
            row,
            widths: Vec::new(),
        }
    }

    fn col(i: usize) -> Result<u16, XlsxError> {
        u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
    }

    fn header(&mut self, labels: &[String], format: &Format) -> Result<(), XlsxError> {
        for (i, label) in labels.iter().enumerate() {
            self.ws
                .write_string_with_format(self.row, Self::col(i)?, label, format)?;
            self.widen(i, label);
        }
        self.row += 1;
        Ok(())
    }

    fn widen(&mut self, i: usize, text: &str) {
        if self.widths.len() <= i {
            self.widths.resize(i + 1, 0);
        }
        if let Some(w) = self.widths.get_mut(i) {
            *w = (*w).max(display_width(text));
        }
    }

    fn text(&mut self, i: usize, text: &str, format: &Format) -> Result<(), XlsxError> {
        self.ws
            .write_string_with_format(self.row, Self::col(i)?, text, format)?;
        self.widen(i, text);
        Ok(())
    }

    fn number(&mut self, i: usize, value: Decimal, format: &Format) -> Result<(), XlsxError> {
        let shown = value.to_string();
        self.ws.write_number_with_format(
            self.row,
            Self::col(i)?,
            value.to_f64().unwrap_or(f64::NAN),
            format,
        )?;
        self.widen(i, &shown);
        Ok(())
    }

    /// A score cell. A value that terminates is written as is with
    /// `formats.plain`; one that does not (a third) is written at the full
    /// precision of the cell (not cut to the places it is shown with, so a
    /// column of thirds sums as its exact values do) with `formats.marked`.
    fn score(&mut self, i: usize, value: Number, formats: &ScoreFormats) -> Result<(), XlsxError> {
        if value.terminates() {
            return self.number(i, value.approximate_decimal(), &formats.plain);
        }
        let precise = (DISPLAY_PLACES..=20)
            .rev()
            .find_map(|places| value.round(places, RoundMode::HalfUp))
            .unwrap_or_else(|| value.approximate_decimal());
        let shown = format!("≈{}", value.approximate_decimal());
        self.ws.write_number_with_format(
            self.row,
            Self::col(i)?,
            precise.to_f64().unwrap_or(f64::NAN),
            &formats.marked,
        )?;
        self.widen(i, &shown);
        Ok(())
    }

    fn blank(&mut self, i: usize, format: &Format) -> Result<(), XlsxError> {
        self.ws.write_blank(self.row, Self::col(i)?, format)?;
        Ok(())
    }

    /// Sizes the columns, puts a filter on the header row over the rows
    /// written (up to column `last_col`) and keeps the header row in view.
    fn finish_table(self, max: usize, last_col: u16) -> Result<(), XlsxError> {
        let last_row = self.row.saturating_sub(1);
        let ws = self.finish(max)?;
        if last_row > 0 {
            ws.autofilter(0, 0, last_row, last_col)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    }

    fn finish(self, max: usize) -> Result<&'w mut Worksheet, XlsxError> {
        for (i, w) in self.widths.iter().enumerate() {
            let width = (*w + 2).clamp(6, max);
            self.ws
                .set_column_width(Self::col(i)?, u32::try_from(width).unwrap_or(10))?;
        }
        Ok(self.ws)
    }
}

fn in_scope<'e>(evaluation: &'e Evaluation, periods: &[Period]) -> Vec<&'e UnitResult> {
    evaluation
        .results
        .iter()
        .filter(|r| periods.contains(&r.period))
        .collect()
}

/// Whether a score column shows a `+` on positive values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    Shown,
    Minus,
}

/// See [`Styles::scores`].
struct ScoreFormats {
    plain: Format,
    marked: Format,
}

/// The decimals a column needs for its values that terminate (those that do
/// not are shown marked, with [`DISPLAY_PLACES`]).
fn max_places(values: impl Iterator<Item = Number>) -> u32 {
    values
        .filter(Number::terminates)
        .map(|n| places(n.approximate_decimal()))
        .max()
        .unwrap_or(0)
}

fn title(
    ws: &mut Worksheet,
    ruleset: &Ruleset,
    evaluation: &Evaluation,
    periods: &[Period],
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, ruleset.title(), &styles.title)?;
    let span = match (periods.first(), periods.last()) {
        (Some(a), Some(b)) if a == b => period_label(*a),
        (Some(a), Some(b)) => format!("{} 至 {}", period_label(*a), period_label(*b)),
        _ => String::new(),
    };
    let issuer = ruleset
        .meta(kaohe::syntax::ast::MetaKey::Issuer)
        .map(|i| format!(" · {i}"))
        .unwrap_or_default();
    ws.write_string_with_format(
        1,
        0,
        format!(
            "{span}{} · 评估日期 {}{issuer} · {}",
            provisional_mark(evaluation, periods),
            evaluation.facts.as_of,
            evaluation.engine
        ),
        &styles.subtitle,
    )?;
    Ok(())
}

fn ranking_sheet(
    ws: &mut Worksheet,
    ruleset: &Ruleset,
    evaluation: &Evaluation,
    periods: &[Period],
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(RANKING_SHEET)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    title(ws, ruleset, evaluation, periods, styles)?;
    let results = in_scope(evaluation, periods);
    let tables = tables(ruleset, evaluation, periods);
    let categories = categories(evaluation, periods);
    let classifications: Vec<(String, String)> = classifications(ruleset)
        .into_iter()
        .filter(|(name, _)| {
            results
                .iter()
                .any(|r| r.notices.iter().any(|n| &n.name == name))
        })
        .collect();
    let converted = results.iter().any(|r| r.converted.is_some());
    let outputs = outputs(evaluation, periods);
    let output_format = styles.scores(
        max_places(
            results
                .iter()
                .flat_map(|r| r.outputs.iter().map(|o| o.value)),
        ),
        Sign::Minus,
    );

    let total_format = styles.scores(max_places(results.iter().map(|r| r.total)), Sign::Minus);
    let converted_format = styles.scores(
        results
            .iter()
            .filter_map(|r| r.converted)
            .map(|c| c.approximate_decimal().scale())
            .max()
            .unwrap_or(0),
        Sign::Minus,
    );
    let category_format = styles.scores(
        max_places(
            results
                .iter()
                .flat_map(|r| r.categories.iter().filter_map(category_value)),
        ),
        Sign::Minus,
    );
    let rows: Vec<_> = tables.iter().flat_map(|t| t.rows.iter()).collect();
    let delta_format = styles.scores(max_places(rows.iter().filter_map(|r| r.delta)), Sign::Shown);
    let rank_format = styles.number(0, false);
    let change_format = styles.number(0, true);

    let mut header: Vec<String> = ["期间", "分组", "名次", "单位", "单位编号", "总分"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    if converted {
        header.push("折算分".to_owned());
    }
    header.extend(categories.iter().map(|(_, label)| label.clone()));
    header.extend(outputs.iter().map(|(_, label)| label.clone()));
    header.push("较上期得分".to_owned());
    header.push("名次变化".to_owned());
    header.extend(classifications.iter().map(|(_, label)| label.clone()));
    header.push("提示".to_owned());

    let mut c = Columns::new(ws, RANKING_HEADER_ROW);
    c.header(&header, &styles.header)?;
    for table in &tables {
        for row in &table.rows {
            let r = row.result;
            let mut i = 0;
            c.text(i, &r.period.to_string(), &styles.cell)?;
            i += 1;
            c.text(i, &table.group_label, &styles.cell)?;
            i += 1;
            match r.rank {
                Some(rank) => c.number(i, Decimal::from(rank), &rank_format)?,
                None => c.blank(i, &styles.cell)?,
            }
            i += 1;
            c.text(i, &r.name, &styles.cell)?;
            i += 1;
            c.text(i, &r.unit, &styles.cell)?;
            i += 1;
            c.score(i, r.total, &total_format)?;
            i += 1;
            if converted {
                match r.converted {
                    Some(v) => c.score(i, v, &converted_format)?,
                    None => c.blank(i, &styles.cell)?,
                }
                i += 1;
            }
            for (name, _) in &categories {
                match r
                    .categories
                    .iter()
                    .find(|k| &k.category == name)
                    .and_then(category_value)
                {
                    Some(v) => c.score(i, v, &category_format)?,
                    None => c.blank(i, &styles.cell)?,
                }
                i += 1;
            }
            for (name, _) in &outputs {
                match r.outputs.iter().find(|o| &o.output == name) {
                    Some(o) => c.score(i, o.value, &output_format)?,
                    None => c.blank(i, &styles.cell)?,
                }
                i += 1;
            }
            match row.delta {
                Some(d) => c.score(i, d, &delta_format)?,
                None => c.blank(i, &styles.cell)?,
            }
            i += 1;
            match row.rank_change {
                Some(d) => c.number(i, Decimal::from(d), &change_format)?,
                None => c.blank(i, &styles.cell)?,
            }
            i += 1;
            for (name, _) in &classifications {
                match row.class(name) {
                    Some((class, label)) => {
                        let mut format = styles.cell.clone().set_align(FormatAlign::Center);
                        if let Some(colour) = class_colour(class, label) {
                            let rgb = u32::from_str_radix(colour.trim_start_matches('#'), 16)
                                .unwrap_or(0xFFFFFF);
                            format = format
                                .set_background_color(Color::RGB(rgb))
                                .set_font_color(Color::White)
                                .set_bold();
                        }
                        c.text(i, label.unwrap_or(class), &format)?;
                    }
                    None => c.blank(i, &styles.cell)?,
                }
                i += 1;
            }
            let mut notes: Vec<String> = Vec::new();
            if row.tied {
                notes.push("并列（未决）".to_owned());
            }
            for n in r.notices.iter().filter(|n| n.kind != NoticeKind::Class) {
                let label = notice_text(n);
                if !notes.contains(&label) {
                    notes.push(label);
                }
            }
            c.text(i, &notes.join("；"), &styles.cell)?;
            c.row += 1;
        }
    }
    let last_row = c.row.saturating_sub(1);
    let last_col = u16::try_from(header.len().saturating_sub(1)).unwrap_or(0);
    c.finish(30)?;
    if last_row > RANKING_HEADER_ROW {
        ws.autofilter(RANKING_HEADER_ROW, 0, last_row, last_col)?;
    }
    ws.set_freeze_panes(RANKING_HEADER_ROW + 1, 0)?;
    ws.set_active(true);
    Ok(())
}

fn explanation_sheet(
    ws: &mut Worksheet,
    ruleset: &Ruleset,
    evaluation: &Evaluation,
    periods: &[Period],
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(EXPLANATION_SHEET)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    let results = in_scope(evaluation, periods);
    let amount_format = styles.scores(
        max_places(
            results
                .iter()
                .flat_map(|r| r.items.iter().flat_map(|i| [i.raw, i.amount])),
        ),
        Sign::Minus,
    );
    let count_format = styles.number(0, false);
    let header: Vec<String> = [
        "期间",
        "单位编号",
        "单位",
        "类型",
        "规则",
        "名称",
        "类别",
        "次数",
        "原始分",
        "计分",
        "条款",
        "封顶/保底",
        "依据记录",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let mut c = Columns::new(ws, 0);
    c.header(&header, &styles.header)?;
    for r in &results {
        for item in &r.items {
            c.text(0, &r.period.to_string(), &styles.cell)?;
            c.text(1, &r.unit, &styles.cell)?;
            c.text(2, &r.name, &styles.cell)?;
            c.text(3, item_kind_label(item.kind), &styles.cell)?;
            c.text(4, item.rule.as_deref().unwrap_or(""), &styles.cell)?;
            let label = match (item.kind, &item.label) {
                (kaohe::eval::result::ItemKind::Base, _) => "基础分".to_owned(),
                (_, Some(l)) => l.to_string(),
                (_, None) => item.rule.as_deref().unwrap_or_default().to_owned(),
            };
            c.text(5, &label, &styles.cell)?;
            let category = item
                .category
                .as_ref()
                .map(|name| {
                    r.categories
                        .iter()
                        .find(|k| &k.category == name)
                        .and_then(|k| k.label.clone())
                        .unwrap_or_else(|| name.clone())
                })
                .unwrap_or_default();
            c.text(6, &category, &styles.cell)?;
            c.number(7, Decimal::from(item.count), &count_format)?;
            c.score(8, item.raw, &amount_format)?;
            c.score(9, item.amount, &amount_format)?;
            c.text(10, &item.clauses.join(", "), &styles.cell)?;
            let limits: Vec<String> = item.limits.iter().map(ToString::to_string).collect();
            c.text(11, &limits.join("；"), &styles.cell)?;
            let records: Vec<String> = item
                .records
                .iter()
                .map(|cr| {
                    let notes = if cr.notes.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", cr.notes.join("；"))
                    };
                    format!(
                        "{} ×{} = {}{notes}",
                        record_text(ruleset, &cr.record),
                        cr.count,
                        cr.amount
                    )
                })
                .collect();
            c.text(12, &records.join("\n"), &styles.wrap)?;
            c.row += 1;
        }
    }
    c.finish_table(60, 12)
}

fn notices_sheet(
    ws: &mut Worksheet,
    ruleset: &Ruleset,
    evaluation: &Evaluation,
    periods: &[Period],
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(NOTICES_SHEET)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    let header: Vec<String> = [
        "期间",
        "单位编号",
        "单位",
        "类别",
        "名称",
        "结果",
        "措施",
        "说明",
        "条款",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let mut c = Columns::new(ws, 0);
    c.header(&header, &styles.header)?;
    for r in in_scope(evaluation, periods) {
        for n in &r.notices {
            c.text(0, &r.period.to_string(), &styles.cell)?;
            c.text(1, &r.unit, &styles.cell)?;
            c.text(2, &r.name, &styles.cell)?;
            c.text(3, notice_kind_label(n.kind), &styles.cell)?;
            c.text(
                4,
                n.label.as_deref().unwrap_or(n.name.as_str()),
                &styles.cell,
            )?;
            match &n.class {
                Some(class) => {
                    let label = n.class_label.as_deref();
                    let mut format = styles.cell.clone().set_align(FormatAlign::Center);
                    if let Some(colour) = class_colour(class, label) {
                        let rgb = u32::from_str_radix(colour.trim_start_matches('#'), 16)
                            .unwrap_or(0xFFFFFF);
                        format = format
                            .set_background_color(Color::RGB(rgb))
                            .set_font_color(Color::White)
                            .set_bold();
                    }
                    c.text(5, label.unwrap_or(class), &format)?;
                }
                None => c.blank(5, &styles.cell)?,
            }
            c.text(6, &n.actions.join("；"), &styles.cell)?;
            c.text(7, n.detail.as_deref().unwrap_or(""), &styles.wrap)?;
            c.text(8, &n.clauses.join(", "), &styles.cell)?;
            c.row += 1;
        }
    }
    for ranking in evaluation
        .rankings
        .iter()
        .filter(|r| periods.contains(&r.period))
    {
        for tie in &ranking.unresolved_ties {
            let names: Vec<String> = tie
                .iter()
                .map(|u| {
                    ranking
                        .entries
                        .iter()
                        .find(|e| &e.unit == u)
                        .map_or_else(|| u.clone(), |e| format!("{}（{u}）", e.name))
                })
                .collect();
            c.text(0, &ranking.period.to_string(), &styles.cell)?;
            c.text(1, &tie.join(", "), &styles.cell)?;
            c.text(2, &names.join("、"), &styles.cell)?;
            c.text(3, "未决并列", &styles.cell)?;
            c.text(
                4,
                ranking.label.as_deref().unwrap_or(&ranking.ranking),
                &styles.cell,
            )?;
            c.blank(5, &styles.cell)?;
            c.blank(6, &styles.cell)?;
            c.text(7, "各排序依据均相同，名次并列", &styles.wrap)?;
            c.blank(8, &styles.cell)?;
            c.row += 1;
        }
    }
    let catalog = kaohe::i18n::Catalog::new();
    for rejected in evaluation.rejected.iter().filter(|r| {
        periods.contains(&r.record.period)
            || periods.contains(&Period::Year(r.record.period.year()))
    }) {
        let name = evaluation
            .results
            .iter()
            .find(|r| r.unit == rejected.unit)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        c.text(0, &rejected.record.period.to_string(), &styles.cell)?;
        c.text(1, &rejected.unit, &styles.cell)?;
        c.text(2, &name, &styles.cell)?;
        c.text(3, "未采用记录", &styles.cell)?;
        c.text(4, &record_text(ruleset, &rejected.record), &styles.wrap)?;
        c.text(5, "未采用", &styles.cell)?;
        c.blank(6, &styles.cell)?;
        c.text(
            7,
            &crate::bulletin::rejected_reason(&catalog, &rejected.reason),
            &styles.wrap,
        )?;
        c.text(8, &rejected.clauses.join(", "), &styles.cell)?;
        c.row += 1;
    }
    c.finish_table(60, 8)
}
