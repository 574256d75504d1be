//! What both bulletins show, computed once from an [`Evaluation`]: the ranking
//! tables of a period with the change against the previous period, the board
//! colours, the labels an office reads (periods as `2026年4月`, item kinds as
//! `扣分`, records with their attributes' labels).

use kaohe::eval::result::{
    CategoryResult, Evaluation, ItemKind, MeasureResult, NoticeKind, NoticeResult, RecordRef,
    UnitResult,
};
use kaohe::number::Number;
use kaohe::syntax::ast::Item;
use kaohe::{Period, Ruleset};
use rust_decimal::Decimal;

use crate::layout::{levels, Choice};

/// Which part of the evaluation a bulletin shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    /// Only this month, quarter or year. The workbook shows every evaluated
    /// period when `None`; the web page the last month or quarter.
    pub period: Option<Period>,
}

/// `2026年4月`, `2023年第3季度`, `2026年上半年`, `2026年第14周`, `2023年度`.
pub fn period_label(period: Period) -> String {
    match period {
        Period::Month { year, month } => format!("{year}年{month}月"),
        Period::Quarter { year, quarter } => format!("{year}年第{quarter}季度"),
        Period::Half { year, half: 1 } => format!("{year}年上半年"),
        Period::Half { year, .. } => format!("{year}年下半年"),
        Period::Week { year, week } => format!("{year}年第{week}周"),
        Period::Year(year) => format!("{year}年度"),
    }
}

/// `（暂定结果）` when any of `periods`' results may still change (the
/// evaluation date falls inside one, or before its seal; glossary:
/// provisional = 暂定结果), else nothing.
pub fn provisional_mark(evaluation: &Evaluation, periods: &[Period]) -> &'static str {
    let provisional = evaluation
        .results
        .iter()
        .any(|r| r.provisional && periods.contains(&r.period));
    if provisional {
        "（暂定结果）"
    } else {
        ""
    }
}

/// The periods a bulletin shows: the scope's, or every evaluated one.
pub fn periods(evaluation: &Evaluation, scope: &Scope) -> Vec<Period> {
    match scope.period {
        Some(p) => vec![p],
        None => evaluation.periods.clone(),
    }
}

/// The period a one-period bulletin is about: the scope's, else the last month
/// or quarter evaluated, else the last year.
pub fn focus(evaluation: &Evaluation, scope: &Scope) -> Option<Period> {
    scope.period.or_else(|| {
        evaluation
            .periods
            .iter()
            .rev()
            .find(|p| !matches!(p, Period::Year(_)))
            .or_else(|| evaluation.periods.last())
            .copied()
    })
}

/// A category's contribution: its subtotal where it has an allotment, else
/// bonuses − deductions.
/// `None` only if the exact difference overflows.
pub fn category_value(category: &CategoryResult) -> Option<Number> {
    category
        .subtotal
        .or_else(|| category.bonuses.checked_sub(category.deductions))
}

/// The categories appearing in `periods`, in order: (name, label). The label
/// of a category `outside total` says so (`评优加分（不计入总分）`, issue 13 §10).
pub fn categories(evaluation: &Evaluation, periods: &[Period]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut outside: Vec<(String, String)> = Vec::new();
    for result in evaluation
        .results
        .iter()
        .filter(|r| periods.contains(&r.period))
    {
        for c in &result.categories {
            let seen = |list: &[(String, String)]| list.iter().any(|(n, _)| n == &c.category);
            if !seen(&out) && !seen(&outside) {
                let label = c.label.as_ref().unwrap_or(&c.category).to_string();
                if c.outside {
                    outside.push((c.category.to_string(), format!("{label}（不计入总分）")));
                } else {
                    out.push((c.category.to_string(), label));
                }
            }
        }
    }
    // Categories kept outside the total after the total's (breaker's item 8).
    out.extend(outside);
    out
}

/// The classifications (`classify board "红黄绿榜"`): (name, label).
pub fn classifications(ruleset: &Ruleset) -> Vec<(String, String)> {
    ruleset
        .syntax()
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Classify(c) => Some((
                c.name.name.clone(),
                c.label
                    .as_ref()
                    .map_or_else(|| c.name.name.clone(), |l| l.text.clone()),
            )),
            _ => None,
        })
        .collect()
}

/// The colour of a class, by its name or label (`red`/`红` …), as `#rrggbb`.
pub fn class_colour(name: &str, label: Option<&str>) -> Option<&'static str> {
    let text = format!("{name} {}", label.unwrap_or_default()).to_lowercase();
    [
        (["red", "红"], "#c62828"),
        (["orange", "橙"], "#ef6c00"),
        (["yellow", "黄"], "#f9a825"),
        (["green", "绿"], "#2e7d32"),
        (["blue", "蓝"], "#1565c0"),
    ]
    .iter()
    .find(|(keys, _)| keys.iter().any(|k| text.contains(k)))
    .map(|(_, colour)| *colour)
}

/// `扣分`, `加分` … for an item kind.
pub fn item_kind_label(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Base => "基础分",
        ItemKind::Deduction => "扣分",
        ItemKind::Bonus => "加分",
        ItemKind::Adjustment => "加减分",
        ItemKind::Cap => "封顶",
        ItemKind::Floor => "保底",
        ItemKind::Average => "平均分",
    }
}

/// `预警`, `标记` … for a notice kind.
pub fn notice_kind_label(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Notice => "预警通知",
        NoticeKind::Flag => "工作标记",
        NoticeKind::Class => "分类",
        NoticeKind::Quota => "任务提醒",
    }
}

/// A notice's name for a reader: its label, and for a notice or flag with
/// steps (an escalation ladder, issue 13 §2) the step it issued in brackets —
/// `排名末位问责（约谈）`. A class keeps its label alone (its class is shown in
/// its own, coloured, column).
pub fn notice_text(notice: &NoticeResult) -> String {
    let label = notice.label.as_deref().unwrap_or(&notice.name);
    match (
        &notice.kind,
        notice.class_label.as_ref().or(notice.class.as_ref()),
    ) {
        (NoticeKind::Class, _) | (_, None) => label.to_owned(),
        (_, Some(step)) => format!("{label}（{step}）"),
    }
}

/// A measure's label, else its name.
pub fn measure_label(measure: &MeasureResult) -> &str {
    measure.label.as_deref().unwrap_or(measure.measure.as_str())
}

/// A measure's place for a reader: `第2名（共4个）`.
pub fn place_text(measure: &MeasureResult) -> String {
    format!("第{}名（共{}个）", measure.place, measure.of)
}

/// The outputs that are not points (issue 13 §12) appearing in `periods`, in
/// order: (name, label).
pub fn outputs(evaluation: &Evaluation, periods: &[Period]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for result in evaluation
        .results
        .iter()
        .filter(|r| periods.contains(&r.period))
    {
        for o in &result.outputs {
            if !out.iter().any(|(n, _)| n == &o.output) {
                out.push((
                    o.output.to_string(),
                    o.label.as_ref().unwrap_or(&o.output).to_string(),
                ));
            }
        }
    }
    out
}

/// The label of a record kind.
pub fn kind_label(ruleset: &Ruleset, kind: &str) -> String {
    ruleset
        .records()
        .find(|r| r.name.name == kind)
        .and_then(|r| r.label.as_ref().map(|l| l.text.clone()))
        .unwrap_or_else(|| kind.to_owned())
}

/// Why a record was not applied, in Chinese like the rest of the bulletin:
/// the engine writes the reason in English (it is data in the JSON); the
/// catalogue's `kaohe::eval::failed` patterns give its Chinese, and a reason
/// no pattern knows stays as written rather than being lost.
pub fn rejected_reason(catalog: &kaohe::i18n::Catalog, reason: &str) -> String {
    catalog.text(kaohe::i18n::Lang::Zh, "kaohe::eval::failed", reason)
}

/// A record for a reader: `正面媒体报道 2023-09（工作=…，媒体级别=省级主要媒体；报送 2023-09-20）`.
pub fn record_text(ruleset: &Ruleset, record: &RecordRef) -> String {
    let decl = ruleset.records().find(|r| r.name.name == record.kind);
    let mut parts: Vec<String> = Vec::new();
    {
        for (key, value) in record.attributes.iter() {
            let value = &value.to_json();
            if value.is_null() {
                continue;
            }
            let field = decl.and_then(|d| d.fields.iter().find(|f| f.name.name == *key));
            let label = field
                .and_then(|f| f.label.as_ref().map(|l| l.text.clone()))
                .unwrap_or_else(|| key.to_string());
            let raw = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            let shown = match (field, value) {
                (_, serde_json::Value::Bool(true)) => "是".to_owned(),
                (_, serde_json::Value::Bool(false)) => "否".to_owned(),
                (Some(f), _) => levels(ruleset, &f.ty.name.name)
                    .and_then(|l| {
                        l.iter()
                            .find(|c| c.name == raw)
                            .map(|c: &Choice| c.shown().to_owned())
                    })
                    .unwrap_or(raw),
                _ => raw,
            };
            // Labels carry hints in brackets (`工作（同一项工作只计最高一次）`); keep the name.
            let short = label.split('（').next().unwrap_or(&label).to_owned();
            parts.push(format!("{short}={shown}"));
        }
    }
    let id = record
        .id
        .as_ref()
        .map(|i| format!("；编号 {i}"))
        .unwrap_or_default();
    format!(
        "{} {}（{}{}报送 {}{id}）",
        kind_label(ruleset, &record.kind),
        record.period,
        parts.join("，"),
        if parts.is_empty() { "" } else { "；" },
        record.reported
    )
}

/// One row of a ranking table.
#[derive(Debug, Clone)]
pub struct Row<'e> {
    /// The unit's result.
    pub result: &'e UnitResult,
    /// Whether the rank is shared by an unresolved tie.
    pub tied: bool,
    /// The unit's result in the previous period, if evaluated.
    pub previous: Option<&'e UnitResult>,
    /// Total − the previous period's total.
    pub delta: Option<Number>,
    /// Places gained since the previous period (positive = up).
    pub rank_change: Option<i64>,
    /// The classes given, per classification: (classification, class, class label).
    pub classes: Vec<(String, String, Option<String>)>,
}

impl Row<'_> {
    /// `3` or `3=` for an unresolved tie, `—` when not ranked.
    pub fn rank_text(&self) -> String {
        match self.result.rank {
            Some(r) if self.tied => format!("{r}="),
            Some(r) => r.to_string(),
            None => "—".to_owned(),
        }
    }

    /// The class given by a classification, if any: (class, label).
    pub fn class(&self, classification: &str) -> Option<(&str, Option<&str>)> {
        self.classes
            .iter()
            .find(|(c, _, _)| c == classification)
            .map(|(_, class, label)| (class.as_str(), label.as_deref()))
    }
}

/// The results of one group in one period, in rank order.
#[derive(Debug, Clone)]
pub struct Table<'e> {
    /// The period or year.
    pub period: Period,
    /// The group.
    pub group: String,
    /// The group's label.
    pub group_label: String,
    /// The ranking's label (`月度排名`), if the group is ranked.
    pub ranking: Option<String>,
    /// The rows.
    pub rows: Vec<Row<'e>>,
}

/// The ranking tables of `periods`, per period and group.
pub fn tables<'e>(
    ruleset: &Ruleset,
    evaluation: &'e Evaluation,
    periods: &[Period],
) -> Vec<Table<'e>> {
    let mut tables: Vec<Table<'e>> = Vec::new();
    for period in periods {
        let results: Vec<&UnitResult> = evaluation
            .results
            .iter()
            .filter(|r| r.period == *period)
            .collect();
        let mut groups: Vec<&str> = Vec::new();
        for r in &results {
            if !groups.contains(&r.group.as_str()) {
                groups.push(&r.group);
            }
        }
        for group in groups {
            let rows: Vec<Row<'e>> = results
                .iter()
                .filter(|r| r.group == group)
                .map(|r| row(evaluation, r))
                .collect();
            let ranking = rows
                .iter()
                .find_map(|r| r.result.ranking.as_ref())
                .and_then(|name| {
                    evaluation
                        .rankings
                        .iter()
                        .find(|k| &k.ranking == name && k.period == *period)
                        .map(|k| k.label.clone().unwrap_or_else(|| k.ranking.clone()))
                });
            tables.push(Table {
                period: *period,
                group: group.to_owned(),
                group_label: ruleset
                    .groups()
                    .find(|g| g.name.name == group)
                    .and_then(|g| g.label.as_ref().map(|l| l.text.clone()))
                    .unwrap_or_else(|| group.to_owned()),
                ranking,
                rows,
            });
        }
    }
    tables
}

fn row<'e>(evaluation: &'e Evaluation, result: &'e UnitResult) -> Row<'e> {
    let tied = evaluation.is_tied(result);
    let before = result.period.previous();
    let previous = evaluation
        .results
        .iter()
        .find(|r| r.unit == result.unit && r.period == before);
    let rank_change = previous.and_then(|p| match (p.rank, result.rank) {
        (Some(a), Some(b)) => Some(i64::from(a) - i64::from(b)),
        _ => None,
    });
    Row {
        result,
        tied,
        previous,
        delta: previous.and_then(|p| result.total.checked_sub(p.total)),
        rank_change,
        classes: result
            .notices
            .iter()
            .filter(|n| n.kind == NoticeKind::Class)
            .filter_map(|n| {
                n.class
                    .as_ref()
                    .map(|c| (n.name.clone(), c.clone(), n.class_label.clone()))
            })
            .collect(),
    }
}

/// The number of decimal places a decimal needs, after dropping trailing zeros.
pub fn places(value: Decimal) -> u32 {
    value.normalize().scale()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(
            period_label(Period::Month {
                year: 2026,
                month: 4
            }),
            "2026年4月"
        );
        assert_eq!(period_label(Period::Year(2023)), "2023年度");
        let half = |half| Period::Half { year: 2026, half };
        assert_eq!(period_label(half(1)), "2026年上半年");
        assert_eq!(period_label(half(2)), "2026年下半年");
        let week = Period::Week {
            year: 2026,
            week: 14,
        };
        assert_eq!(period_label(week), "2026年第14周");
        assert_eq!(class_colour("red", Some("红")), Some("#c62828"));
        assert_eq!(class_colour("x", Some("绿")), Some("#2e7d32"));
        assert_eq!(class_colour("x", None), None);
    }
}

#[cfg(test)]
mod reasons {
    /// A bulletin is in Chinese: the engine's English reason for a record it
    /// did not apply is shown in Chinese (it used to be printed as written).
    #[test]
    fn a_rejected_record_s_reason_is_in_chinese() {
        let catalog = kaohe::i18n::Catalog::new();
        let english = "reported 2027-01-11, after period 2026-H2 was sealed at the end of 2027-01-10; the period it arrived in, 2027-H1, is outside the ruleset's effective range";
        let shown = super::rejected_reason(&catalog, english);
        assert_ne!(shown, english);
        assert!(shown.contains("封存"), "{shown}");
        assert!(shown.contains("2027-01-11"), "{shown}");
        // A reason no pattern knows stays as written.
        assert_eq!(
            super::rejected_reason(&catalog, "something new"),
            "something new"
        );
    }
}
