#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hand-computed scenarios of the evaluation engine, one or more per decision
//! of `shared/docs/rules-digest.md` (SD-A1 … SD-A10, ML-A1 … ML-A8), run on the
//! two shipped rulesets.
//!
//! Every expected number was computed by hand from the digest and the ruleset;
//! the arithmetic is written next to the assertion. Every evaluation is also
//! checked for two invariants: each result's line items add up exactly to its
//! total, and the output does not depend on the order of units and records.

use kaohe::eval::result::{
    CategoryResult, Evaluation, ItemKind, LineItem, NoticeKind, NoticeResult, RankingResult,
    UnitResult,
};
use kaohe::{Facts, Period, Ruleset, SourceFile};
use rust_decimal::Decimal;
use serde_json::{json, Value};

// ------------------------------------------------------------------ harness

const SHAODONG: &str = include_str!("../../../rulesets/shaodong-2023/shaodong-2023.rules");
const MILUO: &str = include_str!("../../../rulesets/miluo-2026/miluo-2026.rules");

#[derive(Clone, Copy, Debug)]
enum Book {
    Shaodong,
    Miluo,
}

fn ruleset(book: Book) -> Ruleset {
    let source = match book {
        Book::Shaodong => SourceFile::new("shaodong-2023.rules", SHAODONG),
        Book::Miluo => SourceFile::new("miluo-2026.rules", MILUO),
    };
    Ruleset::from_source(source).unwrap_or_else(|e| panic!("{e}"))
}

fn evaluate(book: Book, facts: &Value) -> Evaluation {
    let ruleset = ruleset(book);
    let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap_or_else(|e| panic!("{e}"));
    ruleset.evaluate(&facts).unwrap_or_else(|e| panic!("{e}"))
}

/// Evaluates and checks the invariants every scenario must keep: the items of
/// every result add up exactly to its total, and reversing the order of the
/// units and of the records changes nothing in the output.
fn run(book: Book, facts: &Value) -> Evaluation {
    let evaluation = evaluate(book, facts);
    assert_items_add_up(&evaluation);
    assert_eq!(
        evaluation.to_json(),
        evaluate(book, &reversed(facts)).to_json(),
        "the output depends on the order of units or records"
    );
    evaluation
}

fn assert_items_add_up(evaluation: &Evaluation) {
    for r in &evaluation.results {
        let sum: Decimal = r.items.iter().map(|i| i.amount.dec()).sum();
        assert_eq!(
            sum, r.total,
            "items of `{}` in {} add up to {sum}, total is {}",
            r.unit, r.period, r.total
        );
    }
}

fn reversed(facts: &Value) -> Value {
    let mut facts = facts.clone();
    for key in ["units", "records"] {
        if let Some(Value::Array(items)) = facts.get_mut(key) {
            items.reverse();
        }
    }
    facts
}

fn p(text: &str) -> Period {
    text.parse().unwrap()
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn result<'a>(ev: &'a Evaluation, unit: &str, period: &str) -> &'a UnitResult {
    let period = p(period);
    ev.results
        .iter()
        .find(|r| r.unit == unit && r.period == period)
        .unwrap_or_else(|| panic!("no result for `{unit}` in {period}"))
}

fn has_result(ev: &Evaluation, unit: &str, period: &str) -> bool {
    let period = p(period);
    ev.results
        .iter()
        .any(|r| r.unit == unit && r.period == period)
}

fn total(ev: &Evaluation, unit: &str, period: &str) -> Decimal {
    result(ev, unit, period).total.dec()
}

fn item<'a>(r: &'a UnitResult, kind: ItemKind, rule: &str) -> &'a LineItem {
    r.items
        .iter()
        .find(|i| i.kind == kind && i.rule.as_deref() == Some(rule))
        .unwrap_or_else(|| panic!("no {kind:?} item `{rule}` for `{}` in {}", r.unit, r.period))
}

fn category<'a>(r: &'a UnitResult, name: &str) -> &'a CategoryResult {
    r.categories
        .iter()
        .find(|c| c.category == name)
        .unwrap_or_else(|| panic!("no category `{name}` for `{}` in {}", r.unit, r.period))
}

fn notices<'a>(r: &'a UnitResult, name: &str) -> Vec<&'a NoticeResult> {
    r.notices.iter().filter(|n| n.name == name).collect()
}

fn ranking<'a>(ev: &'a Evaluation, name: &str, period: &str) -> &'a RankingResult {
    let period = p(period);
    ev.rankings
        .iter()
        .find(|r| r.ranking == name && r.period == period)
        .unwrap_or_else(|| panic!("no ranking `{name}` in {period}"))
}

/// (unit, rank) in ranking order.
fn places(r: &RankingResult) -> Vec<(String, u32)> {
    r.entries
        .iter()
        .map(|e| (e.unit.to_string(), e.rank))
        .collect()
}

fn expect_places(expected: &[(&str, u32)]) -> Vec<(String, u32)> {
    expected
        .iter()
        .map(|(u, r)| ((*u).to_owned(), *r))
        .collect()
}

fn class_of(r: &UnitResult, classification: &str) -> String {
    r.notices
        .iter()
        .find(|n| n.kind == NoticeKind::Class && n.name == classification)
        .and_then(|n| n.class.clone())
        .unwrap_or_else(|| panic!("no class `{classification}` for `{}`", r.unit))
}

// ------------------------------------------------------------------ fact builders

/// A Shaodong lead unit (牵头单位) with its number of key livelihood indicators.
fn lead(id: &str, indicators: u32) -> Value {
    json!({"id": id, "name": format!("牵头单位{id}"), "group": "lead", "attributes": {"indicators": indicators}})
}

/// A Shaodong township (乡镇（街道）) with its number of project tasks.
fn township(id: &str, tasks: u32) -> Value {
    json!({"id": id, "name": format!("乡镇{id}"), "group": "township", "attributes": {"tasks": tasks}})
}

/// A Miluo lead unit (no attributes).
fn ml_lead(id: &str) -> Value {
    json!({"id": id, "name": format!("牵头单位{id}"), "group": "lead"})
}

fn rec(unit: &str, period: &str, kind: &str, reported: &str, attributes: Value) -> Value {
    json!({"unit": unit, "period": period, "kind": kind, "reported": reported, "attributes": attributes})
}

fn counted(mut record: Value, count: u32) -> Value {
    record["count"] = json!(count);
    record
}

fn with_id(mut record: Value, id: &str) -> Value {
    record["id"] = json!(id);
    record
}

fn behind(unit: &str, period: &str, reported: &str, count: u32) -> Value {
    counted(
        rec(
            unit,
            period,
            "behind_schedule",
            reported,
            json!({"indicator": "重点民生实事指标"}),
        ),
        count,
    )
}

fn bad_data(unit: &str, period: &str, reported: &str, count: u32) -> Value {
    counted(
        rec(
            unit,
            period,
            "bad_data",
            reported,
            json!({"detail": "台账不规范"}),
        ),
        count,
    )
}

fn media(unit: &str, period: &str, reported: &str, work: &str, tier: &str, adopted: bool) -> Value {
    rec(
        unit,
        period,
        "media_report",
        reported,
        json!({"work": work, "tier": tier, "outlet": "某媒体", "adopted": adopted}),
    )
}

fn project_rank(unit: &str, project: &str, rank: u32, ranked: u32) -> Value {
    rec(
        unit,
        "2023-09",
        "project_rank",
        "2023-10-05",
        json!({"project": project, "rank": rank, "ranked": ranked}),
    )
}

/// A Miluo indicator's progress figures (decimals as strings, kept exact).
fn indicator(
    unit: &str,
    period: &str,
    reported: &str,
    name: &str,
    level: &str,
    required: &str,
    actual: &str,
) -> Value {
    rec(
        unit,
        period,
        "indicator",
        reported,
        json!({"name": name, "level": level, "required": required, "actual": actual}),
    )
}

fn data_report(unit: &str, period: &str, due: &str, submitted: &str) -> Value {
    rec(
        unit,
        period,
        "data_report",
        submitted,
        json!({"due": due, "submitted": submitted}),
    )
}

// ------------------------------------------------------------------ fact files

/// SD-A1: category floors; bonuses beyond the allotment; totals above 100.
fn sd_a1_floors() -> Value {
    json!({
        "as_of": "2023-09-10",
        "units": [lead("a", 3), lead("b", 3), lead("c", 3)],
        "records": [
            behind("a", "2023-08", "2023-08-25", 15),
            counted(rec("b", "2023-08", "supervision", "2023-08-25", json!({"detail": "进度慢被通报"})), 6),
            rec("b", "2023-08", "instruction", "2023-08-25", json!({"leader": "provincial"})),
            rec("b", "2023-08", "commendation", "2023-08-25", json!({"issuer": "省民政厅"})),
            rec("b", "2023-08", "outstanding", "2023-08-25", json!({"reason": "贡献突出"})),
            media("b", "2023-08", "2023-08-25", "学位扩充", "central", false),
            counted(rec("c", "2023-08", "outstanding", "2023-08-25", json!({"reason": "贡献突出"})), 3),
            counted(rec("c", "2023-08", "instruction", "2023-08-25", json!({"leader": "city"})), 2),
            rec("c", "2023-08", "commendation", "2023-08-25", json!({"issuer": "省教育厅"})),
        ]
    })
}

/// SD-A2: the media cap of 10 and "highest tier per work", per month and per year.
fn sd_a2_media() -> Value {
    json!({
        "as_of": "2023-10-10",
        "units": [lead("m1", 3), lead("m2", 3)],
        "records": [
            media("m1", "2023-08", "2023-08-28", "学位扩充", "central", false),
            media("m1", "2023-08", "2023-08-28", "学位扩充", "provincial", false),
            media("m1", "2023-08", "2023-08-28", "医保缴费", "central", false),
            media("m1", "2023-08", "2023-08-28", "电网改造", "central", false),
            media("m1", "2023-08", "2023-08-28", "助残康复", "provincial", false),
            media("m1", "2023-08", "2023-08-28", "老年助餐", "city", false),
            media("m1", "2023-09", "2023-09-28", "农村供水", "provincial", false),
            media("m1", "2023-09", "2023-09-28", "普惠托育", "central", false),
            media("m2", "2023-08", "2023-08-28", "学位扩充", "central", false),
            media("m2", "2023-08", "2023-08-28", "学位扩充", "provincial", false),
            media("m2", "2023-09", "2023-09-28", "学位扩充", "central", false),
        ]
    })
}

/// SD-A3: Shaoyang project ranks → ±3/2/1, per project; overlap (n < 6) reads as top.
fn sd_a3_project_rank() -> Value {
    json!({
        "as_of": "2023-10-10",
        "units": [lead("r1", 3), lead("r2", 3), lead("r3", 3), lead("r4", 3)],
        "records": [
            project_rank("r1", "学位扩充", 1, 14),
            project_rank("r1", "老旧小区", 13, 14),
            project_rank("r1", "农村公路", 5, 14),
            project_rank("r2", "电网改造", 2, 4),
            project_rank("r3", "医保缴费", 3, 3),
            project_rank("r3", "助残康复", 6, 6),
            project_rank("r4", "普惠托育", 1, 1),
        ]
    })
}

/// SD-A3 with SD-A1: a unit at its individual floor with one top-3 and one
/// bottom-3 project.
fn sd_a3_rank_at_floor() -> Value {
    json!({
        "as_of": "2023-10-10",
        "units": [lead("s1", 3), lead("s2", 3)],
        "records": [
            counted(rec("s1", "2023-09", "supervision", "2023-09-25", json!({"detail": "被督办"})), 5),
            project_rank("s1", "学位扩充", 1, 14),
            project_rank("s1", "老旧小区", 14, 14),
            counted(rec("s2", "2023-09", "supervision", "2023-09-25", json!({"detail": "被督办"})), 5),
        ]
    })
}

/// SD-A4: competition ranking; ties broken by indicators, then discretion; an unresolved tie.
fn sd_a4_ties() -> Value {
    json!({
        "as_of": "2023-11-10",
        "units": [lead("u1", 3), lead("u2", 5), lead("u3", 3), lead("u4", 3), lead("u5", 3), lead("u6", 3), lead("u7", 2)],
        "records": [
            rec("u2", "2023-10", "task_not_done", "2023-10-28", json!({"task": "台账整理"})),
            bad_data("u3", "2023-10", "2023-10-28", 2),
            bad_data("u4", "2023-10", "2023-10-28", 1),
            bad_data("u4", "2023-10", "2023-10-29", 1),
            counted(rec("u5", "2023-10", "task_not_done", "2023-10-28", json!({"task": "现场核查"})), 2),
            bad_data("u6", "2023-10", "2023-10-28", 4),
            behind("u7", "2023-10", "2023-10-28", 2),
        ],
        "discretion": {"2023-10": ["u4", "u3"]}
    })
}

fn rectifiable(
    unit: &str,
    kind: &str,
    reported: &str,
    rectify_by: &str,
    rectified_on: Option<&str>,
    count: u32,
) -> Value {
    let field = match kind {
        "behind_schedule" => "indicator",
        "supervision" => "detail",
        _ => "project",
    };
    let mut attributes = json!({"rectify_by": rectify_by});
    attributes[field] = json!("某事项");
    if let Some(on) = rectified_on {
        attributes["rectified_on"] = json!(on);
    }
    counted(rec(unit, "2023-09", kind, reported, attributes), count)
}

/// SD-A5: a deduction counts double when as_of is past its deadline and it was not rectified by then.
fn sd_a5_rectification() -> Value {
    json!({
        "as_of": "2023-10-20",
        "units": [lead("d1", 3), lead("d2", 3), lead("d3", 3), lead("d4", 3), lead("d5", 3), lead("d6", 3)],
        "records": [
            rectifiable("d1", "behind_schedule", "2023-09-25", "2023-10-10", None, 1),
            rectifiable("d2", "behind_schedule", "2023-10-16", "2023-10-10", Some("2023-10-08"), 1),
            rectifiable("d3", "behind_schedule", "2023-09-25", "2023-10-31", None, 1),
            rectifiable("d4", "quality_problem", "2023-10-16", "2023-10-10", Some("2023-10-15"), 1),
            rectifiable("d5", "supervision", "2023-09-25", "2023-10-20", None, 1),
            rectifiable("d5", "idle_project", "2023-09-25", "2023-10-01", None, 3),
            rectifiable("d6", "behind_schedule", "2023-10-16", "2023-10-10", Some("2023-10-10"), 1),
        ]
    })
}

/// SD-A5: evaluated on the deadline itself, nothing is doubled yet.
fn sd_a5_on_deadline() -> Value {
    json!({
        "as_of": "2023-10-10",
        "units": [lead("d1", 3)],
        "records": [rectifiable("d1", "behind_schedule", "2023-09-25", "2023-10-10", None, 1)]
    })
}

/// SD-A6: the annual score pools the year's records: floors on yearly sums, bonuses once.
fn sd_a6_annual() -> Value {
    json!({
        "as_of": "2023-11-20",
        "units": [lead("y", 3), lead("z", 3)],
        "records": [
            behind("y", "2023-08", "2023-08-28", 6),
            bad_data("y", "2023-08", "2023-08-28", 12),
            rec("y", "2023-08", "outstanding", "2023-08-28", json!({"reason": "贡献突出"})),
            behind("y", "2023-09", "2023-09-28", 6),
            bad_data("y", "2023-09", "2023-09-28", 12),
            behind("y", "2023-10", "2023-10-28", 4),
            rec("y", "2023-10", "instruction", "2023-10-28", json!({"leader": "provincial"})),
            rec("z", "2023-08", "quality_problem", "2023-08-28", json!({"project": "学校改造", "rectify_by": "2023-09-15"})),
            bad_data("z", "2023-09", "2023-09-28", 3),
            media("z", "2023-09", "2023-09-28", "老年助餐", "city", false),
        ]
    })
}

/// SD-A7: bottom three of the monthly ranking two months running → warning notice.
fn sd_a7_warning() -> Value {
    json!({
        "as_of": "2023-10-10",
        "units": [lead("a", 3), lead("b", 3), lead("c", 3), lead("d", 3), lead("e", 3), lead("f", 3), lead("g", 3)],
        "records": [
            behind("e", "2023-08", "2023-08-28", 1),
            behind("f", "2023-08", "2023-08-28", 2),
            behind("g", "2023-08", "2023-08-28", 2),
            behind("d", "2023-09", "2023-09-28", 1),
            behind("e", "2023-09", "2023-09-28", 1),
            behind("f", "2023-09", "2023-09-28", 1),
            behind("g", "2023-09", "2023-09-28", 2),
        ]
    })
}

/// SD-A7 (revised), issue 12 §2: 17 lead units, two months running; 15 have
/// no deduction (100, rank 1=), two lose points. Only the two lower units are
/// bottom three (ranks 16 and 17 ≥ 17 − 3 + 1 = 15); the 15 tied at rank 1 are not.
fn sd_a7_seventeen() -> Value {
    let units: Vec<Value> = (1..=17).map(|i| lead(&format!("u{i:02}"), 3)).collect();
    let mut records = Vec::new();
    for (month, reported) in [("2023-08", "2023-08-28"), ("2023-09", "2023-09-28")] {
        records.push(behind("u16", month, reported, 1));
        records.push(behind("u17", month, reported, 2));
    }
    json!({"as_of": "2023-10-10", "units": units, "records": records})
}

/// SD-A7: "bottom three" is read on the final rank, after the tie-break keys.
fn sd_a7_final_rank() -> Value {
    let mut records = Vec::new();
    for (month, reported) in [("2023-08", "2023-08-28"), ("2023-09", "2023-09-28")] {
        for unit in ["h2", "h3", "h4", "h5"] {
            records.push(behind(unit, month, reported, 1));
        }
    }
    json!({
        "as_of": "2023-10-10",
        "units": [lead("h1", 3), lead("h2", 5), lead("h3", 4), lead("h4", 3), lead("h5", 3)],
        "records": records
    })
}

/// SD-A8 and SD-2.4: conversion (× 10 / 100, 2 places half_up); townships are
/// assessed annually and one with no task gets the others' average.
fn sd_a8_townships() -> Value {
    json!({
        "as_of": "2023-10-10",
        "units": [lead("l", 3), township("t1", 4), township("t2", 2), township("t3", 0)],
        "records": [
            behind("l", "2023-08", "2023-08-28", 1),
            bad_data("l", "2023-08", "2023-08-28", 1),
            media("l", "2023-08", "2023-08-28", "农村供水", "county", false),
            behind("t1", "2023-08", "2023-08-28", 1),
            bad_data("t1", "2023-08", "2023-08-28", 3),
            media("t1", "2023-08", "2023-08-28", "村级养老", "county", false),
            behind("t2", "2023-08", "2023-08-28", 1),
            bad_data("t2", "2023-08", "2023-08-28", 3),
        ]
    })
}

fn report(unit: &str, kind: &str, due: &str, submitted: &str) -> Value {
    rec(
        unit,
        "2023-08",
        "report",
        submitted,
        json!({"type": kind, "due": due, "submitted": submitted}),
    )
}

/// SD-A9: a brief or monthly report submitted after its due day is one late report (−2).
fn sd_a9_late_reports() -> Value {
    json!({
        "as_of": "2023-09-30",
        "units": [lead("r1", 3), lead("r2", 3), lead("r3", 3)],
        "records": [
            report("r1", "brief", "2023-08-03", "2023-08-03"),
            report("r1", "monthly", "2023-08-22", "2023-08-23"),
            report("r2", "brief", "2023-08-13", "2023-08-14"),
            report("r2", "旬报（3日、13日、23日前）", "2023-08-23", "2023-08-25"),
            counted(report("r3", "brief", "2023-08-03", "2023-08-10"), 11),
        ]
    })
}

/// SD-A10: Shaodong months are amendable: the latest version of a record id applies.
fn sd_a10_amendments() -> Value {
    json!({
        "as_of": "2023-10-15",
        "units": [lead("m1", 3), lead("m2", 3)],
        "records": [
            with_id(behind("m1", "2023-08", "2023-09-05", 3), "m1-behind-aug"),
            with_id(behind("m1", "2023-08", "2023-10-10", 1), "m1-behind-aug"),
            rec("m1", "2023-08", "task_not_done", "2023-10-12", json!({"task": "补报台账"})),
            with_id(counted(rec("m1", "2023-09", "quality_problem", "2023-09-28", json!({"project": "学校改造"})), 1), "m1-quality-sep"),
            with_id(counted(rec("m1", "2023-09", "quality_problem", "2023-10-05", json!({"project": "学校改造"})), 0), "m1-quality-sep"),
            with_id(behind("m2", "2023-08", "2023-09-01", 2), "m1-behind-aug"),
            with_id(bad_data("m2", "2023-08", "2023-09-01", 1), "m2-data"),
            with_id(bad_data("m2", "2023-09", "2023-10-01", 1), "m2-data"),
        ]
    })
}

/// SD-P6: the yearly publicity quota, reminded in the annual result.
fn sd_p6_quota() -> Value {
    json!({
        "as_of": "2023-12-31",
        "units": [lead("q1", 3), lead("q2", 3), lead("q3", 3), lead("q4", 3)],
        "records": [
            media("q1", "2023-08", "2023-08-28", "学位扩充", "central", true),
            media("q1", "2023-08", "2023-08-28", "医保缴费", "provincial", false),
            media("q1", "2023-08", "2023-08-28", "电网改造", "city", false),
            media("q1", "2023-10", "2023-10-28", "助残康复", "city", false),
            media("q1", "2023-10", "2023-10-28", "老年助餐", "county", false),
            media("q1", "2023-10", "2023-10-28", "普惠托育", "county", false),
            media("q2", "2023-08", "2023-08-28", "学位扩充", "city", false),
            media("q4", "2023-08", "2023-08-28", "学位扩充", "central", false),
            media("q4", "2023-08", "2023-08-28", "医保缴费", "provincial", false),
            media("q4", "2023-08", "2023-08-28", "电网改造", "city", false),
            media("q4", "2023-08", "2023-08-28", "助残康复", "city", false),
            media("q4", "2023-08", "2023-08-28", "老年助餐", "county", false),
            media("q4", "2023-08", "2023-08-28", "普惠托育", "county", false),
        ]
    })
}

/// ML-A1: −5 per provincial, −3 per city indicator behind schedule.
fn ml_a1_levels() -> Value {
    json!({
        "as_of": "2026-04-23",
        "units": [ml_lead("u1"), ml_lead("u2"), ml_lead("u3")],
        "records": [
            indicator("u1", "2026-04", "2026-04-14", "扩充学位", "provincial", "30", "20"),
            indicator("u1", "2026-04", "2026-04-14", "老旧电梯", "city", "30", "25"),
            indicator("u1", "2026-04", "2026-04-14", "义务教育", "provincial", "30", "35"),
            indicator("u2", "2026-04", "2026-04-14", "羊水诊断", "city", "30", "18"),
            indicator("u2", "2026-04", "2026-04-14", "送戏下乡", "city", "25", "8"),
            indicator("u3", "2026-04", "2026-04-14", "零工市场", "provincial", "30", "30"),
        ]
    })
}

/// ML-A2: behind = actual < required; equal is not behind.
fn ml_a2_behind() -> Value {
    json!({
        "as_of": "2026-04-23",
        "units": [ml_lead("e1"), ml_lead("e2"), ml_lead("e3"), ml_lead("e4")],
        "records": [
            indicator("e1", "2026-04", "2026-04-14", "助餐服务", "provincial", "33.3", "33.3"),
            indicator("e2", "2026-04", "2026-04-14", "担保贷款", "provincial", "33.30", "33.29"),
            indicator("e3", "2026-04", "2026-04-14", "城市书房", "city", "0", "0"),
            indicator("e4", "2026-04", "2026-04-14", "农村公路", "provincial", "30", "30.0"),
        ]
    })
}

/// ML-A3: −2 per late monthly data report, −1 per returned 码上通 entry.
fn ml_a3_reporting() -> Value {
    json!({
        "as_of": "2026-04-30",
        "units": [ml_lead("w1"), ml_lead("w2")],
        "records": [
            data_report("w1", "2026-04", "2026-04-15", "2026-04-16"),
            counted(rec("w1", "2026-04", "returned_entry", "2026-04-20", json!({"entry": "项目库条目"})), 3),
            data_report("w2", "2026-04", "2026-04-15", "2026-04-15"),
            rec("w2", "2026-04", "returned_entry", "2026-04-20", json!({"entry": "项目库条目"})),
        ]
    })
}

/// The on-time part of the ML-A4 scenario (no late record).
fn ml_a4_on_time_records() -> Vec<Value> {
    vec![
        with_id(
            indicator(
                "u1",
                "2026-04",
                "2026-04-14",
                "扩充学位",
                "provincial",
                "30",
                "20",
            ),
            "u1-p1-04",
        ),
        rec(
            "u1",
            "2026-04",
            "returned_entry",
            "2026-05-15",
            json!({"entry": "四月条目"}),
        ),
        data_report("u1", "2026-05", "2026-05-15", "2026-05-14"),
        rec(
            "u1",
            "2026-05",
            "returned_entry",
            "2026-06-15",
            json!({"entry": "五月条目"}),
        ),
    ]
}

/// ML-A4: April is sealed at the end of 2026-05-15; later April facts are rejected.
fn ml_a4_seal() -> Value {
    let mut records = ml_a4_on_time_records();
    records.push(counted(
        rec(
            "u1",
            "2026-04",
            "returned_entry",
            "2026-05-16",
            json!({"entry": "迟到的四月条目"}),
        ),
        4,
    ));
    records.push(with_id(
        indicator(
            "u1",
            "2026-04",
            "2026-05-20",
            "扩充学位",
            "provincial",
            "30",
            "30",
        ),
        "u1-p1-04",
    ));
    json!({
        "as_of": "2026-06-30",
        "units": [ml_lead("u1"), ml_lead("u2")],
        "records": records
    })
}

/// ML-A5: annual = 100 − the sum of the monthly deductions; catching up restores nothing.
fn ml_a5_non_recoverable() -> Value {
    json!({
        "as_of": "2026-07-20",
        "units": [ml_lead("x1"), ml_lead("x2")],
        "records": [
            indicator("x1", "2026-04", "2026-05-10", "扩充学位", "provincial", "30", "20"),
            indicator("x1", "2026-05", "2026-06-10", "扩充学位", "provincial", "50", "60"),
            indicator("x1", "2026-06", "2026-07-10", "老旧电梯", "city", "40", "30"),
            indicator("x2", "2026-04", "2026-05-10", "担保贷款", "provincial", "30", "10"),
            indicator("x2", "2026-04", "2026-05-10", "残疾儿童", "provincial", "30", "20"),
            indicator("x2", "2026-05", "2026-06-10", "担保贷款", "provincial", "50", "40"),
            data_report("x2", "2026-06", "2026-06-15", "2026-06-17"),
        ]
    })
}

/// ML-A6: the red/yellow/green board.
fn ml_a6_board() -> Value {
    json!({
        "as_of": "2026-04-30",
        "units": [ml_lead("g1"), ml_lead("y1"), ml_lead("y2"), ml_lead("r1"), ml_lead("r2"), ml_lead("r3"), ml_lead("g2")],
        "records": [
            indicator("g1", "2026-04", "2026-04-14", "助餐服务", "provincial", "30", "35"),
            data_report("g1", "2026-04", "2026-04-15", "2026-04-14"),
            indicator("y1", "2026-04", "2026-04-14", "担保贷款", "provincial", "30", "25"),
            indicator("y2", "2026-04", "2026-04-14", "零工市场", "provincial", "30", "30"),
            data_report("y2", "2026-04", "2026-04-15", "2026-04-17"),
            indicator("r1", "2026-04", "2026-04-14", "电网提升", "provincial", "30", "20"),
            indicator("r1", "2026-04", "2026-04-14", "老旧电梯", "city", "30", "20"),
            indicator("r2", "2026-04", "2026-04-14", "扩充学位", "provincial", "30", "0"),
            indicator("r3", "2026-04", "2026-04-14", "残疾儿童", "provincial", "30", "20"),
            indicator("r3", "2026-04", "2026-04-14", "残疾就业", "provincial", "30", "25"),
            data_report("r3", "2026-04", "2026-04-15", "2026-04-16"),
            indicator("g2", "2026-04", "2026-04-14", "城市书房", "city", "0", "0"),
        ]
    })
}

/// ML-A7: behind in two consecutive months → yellow card.
fn ml_a7_yellow_card() -> Value {
    json!({
        "as_of": "2026-06-10",
        "units": [ml_lead("k1"), ml_lead("k2"), ml_lead("k3"), ml_lead("k4")],
        "records": [
            indicator("k1", "2026-04", "2026-05-10", "lift", "provincial", "30", "20"),
            indicator("k1", "2026-05", "2026-06-05", "lift", "provincial", "50", "40"),
            indicator("k1", "2026-05", "2026-06-05", "bridge", "provincial", "50", "40"),
            indicator("k2", "2026-04", "2026-05-10", "loan", "provincial", "30", "20"),
            indicator("k2", "2026-05", "2026-06-05", "loan", "provincial", "50", "55"),
            indicator("k3", "2026-03", "2026-04-10", "school", "provincial", "20", "10"),
            indicator("k3", "2026-04", "2026-05-10", "school", "provincial", "30", "35"),
            indicator("k3", "2026-05", "2026-06-05", "school", "provincial", "50", "40"),
            indicator("k4", "2026-03", "2026-04-10", "grid", "provincial", "20", "10"),
            indicator("k4", "2026-04", "2026-05-10", "grid", "provincial", "30", "20"),
            indicator("k4", "2026-05", "2026-06-05", "grid", "provincial", "50", "40"),
        ]
    })
}

/// ML-A8: progress below half of the required progress → daily dispatch flag.
fn ml_a8_daily_dispatch() -> Value {
    json!({
        "as_of": "2026-04-23",
        "units": [ml_lead("f1"), ml_lead("f2"), ml_lead("f3")],
        "records": [
            indicator("f1", "2026-04", "2026-04-14", "risk-slope", "provincial", "30", "14.9"),
            indicator("f2", "2026-04", "2026-04-14", "loan", "provincial", "30", "15"),
            indicator("f3", "2026-04", "2026-04-14", "school", "provincial", "40", "0"),
            indicator("f3", "2026-04", "2026-04-14", "opera", "city", "33", "16"),
        ]
    })
}

type Scenario = (&'static str, Book, fn() -> Value);

const SCENARIOS: &[Scenario] = &[
    ("sd_a1_floors", Book::Shaodong, sd_a1_floors),
    ("sd_a2_media", Book::Shaodong, sd_a2_media),
    ("sd_a3_project_rank", Book::Shaodong, sd_a3_project_rank),
    ("sd_a3_rank_at_floor", Book::Shaodong, sd_a3_rank_at_floor),
    ("sd_a4_ties", Book::Shaodong, sd_a4_ties),
    ("sd_a5_rectification", Book::Shaodong, sd_a5_rectification),
    ("sd_a5_on_deadline", Book::Shaodong, sd_a5_on_deadline),
    ("sd_a6_annual", Book::Shaodong, sd_a6_annual),
    ("sd_a7_warning", Book::Shaodong, sd_a7_warning),
    ("sd_a7_final_rank", Book::Shaodong, sd_a7_final_rank),
    ("sd_a8_townships", Book::Shaodong, sd_a8_townships),
    ("sd_a9_late_reports", Book::Shaodong, sd_a9_late_reports),
    ("sd_a10_amendments", Book::Shaodong, sd_a10_amendments),
    ("sd_p6_quota", Book::Shaodong, sd_p6_quota),
    ("ml_a1_levels", Book::Miluo, ml_a1_levels),
    ("ml_a2_behind", Book::Miluo, ml_a2_behind),
    ("ml_a3_reporting", Book::Miluo, ml_a3_reporting),
    ("ml_a4_seal", Book::Miluo, ml_a4_seal),
    ("ml_a5_non_recoverable", Book::Miluo, ml_a5_non_recoverable),
    ("ml_a6_board", Book::Miluo, ml_a6_board),
    ("ml_a7_yellow_card", Book::Miluo, ml_a7_yellow_card),
    ("ml_a8_daily_dispatch", Book::Miluo, ml_a8_daily_dispatch),
];

// ------------------------------------------------------------------ invariants

#[test]
fn every_scenario_is_independent_of_input_order() {
    for (name, book, facts) in SCENARIOS {
        let facts = facts();
        let forward = evaluate(*book, &facts).to_json();
        let backward = evaluate(*book, &reversed(&facts)).to_json();
        assert_eq!(
            forward, backward,
            "scenario {name}: reversing units and records changed the output"
        );
    }
}

#[test]
fn every_scenario_items_add_up_to_totals() {
    for (_, book, facts) in SCENARIOS {
        assert_items_add_up(&evaluate(*book, &facts()));
    }
}

// ------------------------------------------------------------------ Shaodong

#[test]
fn sd_a1_category_floors_and_uncapped_bonuses() {
    let ev = run(Book::Shaodong, &sd_a1_floors());

    // a: 15 behind_schedule × 5 = 75 raw; key work (allot 70, floor 0) loses at most 70.
    let a = result(&ev, "a", "2023-08");
    assert_eq!(item(a, ItemKind::Deduction, "behind").amount, d("-75")); // 15 × 5
    let floor = item(a, ItemKind::Floor, "key");
    assert_eq!(floor.amount, d("5")); // gives back 75 − 70
    assert_eq!(floor.limits[0].raw, d("-75"));
    assert_eq!(floor.limits[0].applied, d("-70"));
    assert_eq!(category(a, "key").deductions, d("70"));
    assert_eq!(category(a, "key").subtotal.map(|x| x.dec()), Some(d("0"))); // 70 − 70
    assert_eq!(a.total, d("30")); // 100 − 70

    // b: 6 supervisions × 2 = 12 raw, individual (allot 10) loses at most 10;
    // bonuses 3 (provincial instruction) + 2 (commendation) + 2 (outstanding) + 3 (central media) = 10.
    let b = result(&ev, "b", "2023-08");
    assert_eq!(item(b, ItemKind::Deduction, "supervised").amount, d("-12"));
    assert_eq!(item(b, ItemKind::Floor, "individual").amount, d("2")); // 12 − 10
    let individual = category(b, "individual");
    assert_eq!(individual.deductions, d("10"));
    assert_eq!(individual.bonuses, d("10"));
    assert_eq!(individual.subtotal.map(|x| x.dec()), Some(d("10"))); // 10 − 10 + 10
    assert_eq!(b.total, d("100")); // 100 − 10 + 10

    // c: bonuses 3 × 2 (outstanding) + 2 × 2 (city instructions) + 2 (commendation) = 12,
    // not limited by the allotment of 10: subtotal 22, total 112 (> 100 is allowed).
    let c = result(&ev, "c", "2023-08");
    assert_eq!(category(c, "individual").bonuses, d("12"));
    assert_eq!(
        category(c, "individual").subtotal.map(|x| x.dec()),
        Some(d("22"))
    ); // 10 + 12
    assert_eq!(c.total, d("112"));

    // Monthly ranking: c 112, b 100, a 30.
    assert_eq!(
        places(ranking(&ev, "monthly", "2023-08")),
        expect_places(&[("c", 1), ("b", 2), ("a", 3)])
    );

    // One month only: the pooled year equals the month; converted = total × 10 / 100.
    let a_year = result(&ev, "a", "2023");
    assert!(a_year.annual);
    assert_eq!(a_year.total, d("30"));
    assert_eq!(a_year.converted.map(|x| x.dec()), Some(d("3.00"))); // 30 × 10 / 100
    assert_eq!(
        result(&ev, "c", "2023").converted.map(|x| x.dec()),
        Some(d("11.20"))
    ); // 112 × 10 / 100
}

#[test]
fn sd_a2_media_cap_and_highest_tier_per_month_and_per_year() {
    let ev = run(Book::Shaodong, &sd_a2_media());

    // m1, August: 学位 central 3 (its provincial 2 is the same work: dropped) + 医保 3 + 电网 3
    // + 助残 2 + 养老 1 = 12 raw → cap 10 per month → 10; total 110.
    let aug = result(&ev, "m1", "2023-08");
    let media = item(aug, ItemKind::Bonus, "media");
    assert_eq!(media.raw, d("12"));
    assert_eq!(media.amount, d("10"));
    assert_eq!(media.count, 5); // 6 reports, 5 pieces of work
    assert_eq!(media.limits.len(), 1);
    assert_eq!(media.limits[0].raw, d("12"));
    assert_eq!(media.limits[0].applied, d("10"));
    assert_eq!(aug.total, d("110"));
    // The provincial report of 学位扩充 counted 0.
    let dropped = media
        .records
        .iter()
        .find(|r| {
            r.record
                .attributes
                .get("work")
                .map(ToString::to_string)
                .as_deref()
                == Some("学位扩充")
                && r.record
                    .attributes
                    .get("tier")
                    .map(ToString::to_string)
                    .as_deref()
                    == Some("provincial")
        })
        .unwrap();
    assert_eq!(dropped.amount, d("0"));

    // m1, September: 供水 2 + 托育 3 = 5, under the cap: total 105.
    assert_eq!(total(&ev, "m1", "2023-09"), d("105"));

    // m1, year: the cap applies to the year (not 10 + 5): 3 + 3 + 3 + 2 + 1 + 2 + 3 = 17 → 10; total 110.
    let year = result(&ev, "m1", "2023");
    assert_eq!(item(year, ItemKind::Bonus, "media").raw, d("17"));
    assert_eq!(item(year, ItemKind::Bonus, "media").amount, d("10"));
    assert_eq!(year.total, d("110"));
    assert_eq!(year.converted.map(|x| x.dec()), Some(d("11.00")));

    // m2: 学位扩充 in August (central 3, provincial 2 → 3) and again in September (central 3):
    // each month 103; in the year the same work counts once at its highest tier → 3, total 103 (not 106).
    assert_eq!(total(&ev, "m2", "2023-08"), d("103"));
    assert_eq!(total(&ev, "m2", "2023-09"), d("103"));
    assert_eq!(total(&ev, "m2", "2023"), d("103"));
    assert_eq!(
        item(result(&ev, "m2", "2023"), ItemKind::Bonus, "media").count,
        1
    );
}

#[test]
fn sd_a3_project_rank_adjustment_with_overlap_reading_as_top() {
    let ev = run(Book::Shaodong, &sd_a3_project_rank());

    // r1: 1st of 14 → +3; 13th of 14 = 2nd from bottom → −2; 5th of 14 → 0. Net +1 → 101.
    // An adjustment is a bonus or a deduction per project: one item per sign.
    let r1 = result(&ev, "r1", "2023-09");
    let adjustments = |r: &'_ UnitResult| -> Vec<LineItem> {
        r.items
            .iter()
            .filter(|i| i.kind == ItemKind::Adjustment && i.rule.as_deref() == Some("project_rank"))
            .cloned()
            .collect()
    };
    let amounts: Vec<Decimal> = adjustments(r1).iter().map(|i| i.amount.dec()).collect();
    assert_eq!(amounts, [d("3"), d("-2")]);
    let amount_of = |r: &UnitResult, project: &str| {
        adjustments(r)
            .iter()
            .flat_map(|i| i.records.clone())
            .find(|c| {
                c.record
                    .attributes
                    .get("project")
                    .map(ToString::to_string)
                    .as_deref()
                    == Some(project)
            })
            .map(|c| c.amount)
            .unwrap()
    };
    assert_eq!(amount_of(r1, "学位扩充"), d("3"));
    assert_eq!(amount_of(r1, "老旧小区"), d("-2"));
    assert_eq!(amount_of(r1, "农村公路"), d("0"));
    assert_eq!(r1.total, d("101"));

    // r2: 2nd of 4 is 2nd from top (+2) and 3rd from bottom (−1): n < 6, top wins → +2 → 102.
    assert_eq!(total(&ev, "r2", "2023-09"), d("102"));

    // r3: 3rd of 3 is 3rd from top (+1) and last (−3): top wins → +1;
    // 6th of 6 is only last → −3. Net −2 → 98.
    let r3 = result(&ev, "r3", "2023-09");
    assert_eq!(amount_of(r3, "医保缴费"), d("1"));
    assert_eq!(amount_of(r3, "助残康复"), d("-3"));
    assert_eq!(r3.total, d("98"));

    // r4: 1st of 1 is both 1st and last: top wins → +3 → 103.
    assert_eq!(total(&ev, "r4", "2023-09"), d("103"));

    assert_eq!(
        places(ranking(&ev, "monthly", "2023-09")),
        expect_places(&[("r4", 1), ("r2", 2), ("r1", 3), ("r3", 4)])
    );
}

#[test]
fn sd_a3_rank_bonus_and_rank_penalty_are_not_netted_before_the_floor() {
    let ev = run(Book::Shaodong, &sd_a3_rank_at_floor());

    // s2: 5 supervisions × 2 = 10 = the whole individual allotment → 90.
    assert_eq!(total(&ev, "s2", "2023-09"), d("90"));

    // s1: the same 10, plus 1st of 14 on one project (+3) and last of 14 on another (−3).
    // SD-A3: the adjustment is per project, so the −3 is a deduction and the +3 a bonus
    // (SD-3.1.3⑤). SD-A1: deductions 10 + 3 = 13 stop at the allotment 10; the bonus is
    // not limited. Individual: 10 − 10 + 3 = 3; total 100 − 10 + 3 = 93.
    // (Netting the two projects first, +3 − 3 = 0, would give 90: the project ranked
    // 1st would earn nothing because another project ranked last.)
    let s1 = result(&ev, "s1", "2023-09");
    let individual = category(s1, "individual");
    assert_eq!(individual.deductions, d("10"));
    assert_eq!(individual.bonuses, d("3"));
    assert_eq!(individual.subtotal.map(|x| x.dec()), Some(d("3")));
    assert_eq!(s1.total, d("93"));
}

#[test]
fn sd_a4_competition_ranking_tie_breaks_and_unresolved_tie() {
    let ev = run(Book::Shaodong, &sd_a4_ties());

    // Totals: u1 100; u2 98 (task −2); u3 98 (bad data 2 × 1); u4 98 (2 × 1);
    // u5 96 (tasks 2 × 2); u6 96 (bad data 4 × 1); u7 90 (behind 2 × 5).
    for (unit, expected) in [
        ("u1", "100"),
        ("u2", "98"),
        ("u3", "98"),
        ("u4", "98"),
        ("u5", "96"),
        ("u6", "96"),
        ("u7", "90"),
    ] {
        assert_eq!(total(&ev, unit, "2023-10"), d(expected), "{unit}");
    }

    // 98: u2 has 5 indicators, u3/u4 3 → u2 first; u3/u4 equal on indicators →
    // discretion [u4, u3]; 96: u5/u6 equal on everything and not in the
    // discretion list → share rank 5, unresolved; u7 is 7th (1, 2, 3, 4, 5, 5, 7).
    let october = ranking(&ev, "monthly", "2023-10");
    assert_eq!(
        places(october),
        expect_places(&[
            ("u1", 1),
            ("u2", 2),
            ("u4", 3),
            ("u3", 4),
            ("u5", 5),
            ("u6", 5),
            ("u7", 7)
        ])
    );
    let entry = |u: &str| october.entries.iter().find(|e| e.unit == u).unwrap();
    assert_eq!(entry("u2").versus_above.as_deref(), Some("total"));
    assert_eq!(entry("u2").versus_below.as_deref(), Some("indicators"));
    assert_eq!(entry("u3").versus_above.as_deref(), Some("discretion"));
    assert_eq!(entry("u6").versus_above.as_deref(), Some("tie"));
    assert_eq!(
        october.unresolved_ties,
        vec![vec!["u5".to_owned(), "u6".to_owned()]]
    );
    assert_eq!(result(&ev, "u5", "2023-10").rank, Some(5));
    assert_eq!(result(&ev, "u6", "2023-10").rank, Some(5));
    assert_eq!(result(&ev, "u7", "2023-10").rank, Some(7));

    // The year has the same totals but no discretionary order for "2023":
    // u3 and u4 now share rank 3 too.
    let year = ranking(&ev, "annual_lead", "2023");
    assert_eq!(
        places(year),
        expect_places(&[
            ("u1", 1),
            ("u2", 2),
            ("u3", 3),
            ("u4", 3),
            ("u5", 5),
            ("u6", 5),
            ("u7", 7)
        ])
    );
    assert_eq!(
        year.unresolved_ties,
        vec![
            vec!["u3".to_owned(), "u4".to_owned()],
            vec!["u5".to_owned(), "u6".to_owned()]
        ]
    );
}

#[test]
fn sd_a5_unrectified_deduction_past_its_deadline_counts_double() {
    let ev = run(Book::Shaodong, &sd_a5_rectification());

    // as_of 2023-10-20.
    // d1: behind, deadline 10-10, never rectified → 5 × 2 = 10 → 90.
    let d1 = result(&ev, "d1", "2023-09");
    assert_eq!(item(d1, ItemKind::Deduction, "behind").amount, d("-10"));
    assert!(item(d1, ItemKind::Deduction, "behind").records[0]
        .notes
        .iter()
        .any(|n| n.starts_with("× 2")));
    assert_eq!(d1.total, d("90"));
    // d2: rectified 10-08, before the deadline → 5 → 95.
    assert_eq!(total(&ev, "d2", "2023-09"), d("95"));
    // d3: deadline 10-31 not yet passed → 5 → 95.
    assert_eq!(total(&ev, "d3", "2023-09"), d("95"));
    // d4: quality problem rectified 10-15, after its deadline 10-10 → 3 × 2 = 6 → 94.
    assert_eq!(total(&ev, "d4", "2023-09"), d("94"));
    // d5: supervision due 10-20 = as_of, not past → 2; idle ×3 due 10-01 → 1 × 2 × 3 = 6 → 92.
    let d5 = result(&ev, "d5", "2023-09");
    assert_eq!(item(d5, ItemKind::Deduction, "supervised").amount, d("-2"));
    assert_eq!(item(d5, ItemKind::Deduction, "idle").amount, d("-6"));
    assert_eq!(d5.total, d("92"));
    // d6: rectified on the deadline day itself → in time → 5 → 95.
    assert_eq!(total(&ev, "d6", "2023-09"), d("95"));
    // The annual score doubles the same way: d1 year = 100 − 10 = 90.
    assert_eq!(total(&ev, "d1", "2023"), d("90"));

    // Evaluated on the deadline day (as_of 2023-10-10), d1 is not yet overdue → 95.
    let on_deadline = run(Book::Shaodong, &sd_a5_on_deadline());
    assert_eq!(total(&on_deadline, "d1", "2023-09"), d("95"));
}

#[test]
fn sd_a6_annual_pools_the_year_with_floors_on_yearly_sums() {
    let ev = run(Book::Shaodong, &sd_a6_annual());

    // y, months: Aug 100 − 6×5 − 12×1 + 2 = 60; Sep 100 − 30 − 12 = 58; Oct 100 − 4×5 + 3 = 83.
    assert_eq!(total(&ev, "y", "2023-08"), d("60"));
    assert_eq!(total(&ev, "y", "2023-09"), d("58"));
    assert_eq!(total(&ev, "y", "2023-10"), d("83"));
    // y, year: key 16 × 5 = 80 → floor → 70; daily 24 × 1 → floor → 20; bonuses 2 + 3 = 5.
    // 100 − 70 − 20 + 5 = 15 (the sum of the months would give 100 − 40 − 42 − 17 = 1).
    let y = result(&ev, "y", "2023");
    assert!(y.annual);
    assert_eq!(category(y, "key").deductions, d("70"));
    assert_eq!(category(y, "key").subtotal.map(|x| x.dec()), Some(d("0")));
    assert_eq!(category(y, "daily").deductions, d("20"));
    assert_eq!(category(y, "daily").subtotal.map(|x| x.dec()), Some(d("0")));
    assert_eq!(category(y, "individual").bonuses, d("5"));
    assert_eq!(
        category(y, "individual").subtotal.map(|x| x.dec()),
        Some(d("15"))
    );
    assert_eq!(y.total, d("15"));
    assert_eq!(y.converted.map(|x| x.dec()), Some(d("1.50"))); // 15 × 10 / 100

    // z: Aug quality problem due 09-15, unrectified at as_of 11-20 → 3 × 2 = 6 → 94;
    // Sep bad data 3 × 1, city media +1 → 98; Oct no record → 100.
    assert_eq!(total(&ev, "z", "2023-08"), d("94"));
    assert_eq!(total(&ev, "z", "2023-09"), d("98"));
    assert_eq!(total(&ev, "z", "2023-10"), d("100"));
    // Year: 100 − 6 − 3 + 1 = 92.
    assert_eq!(total(&ev, "z", "2023"), d("92"));
    assert_eq!(
        result(&ev, "z", "2023").converted.map(|x| x.dec()),
        Some(d("9.20"))
    );

    assert_eq!(
        places(ranking(&ev, "annual_lead", "2023")),
        expect_places(&[("z", 1), ("y", 2)])
    );
}

#[test]
fn sd_a7_seventeen_units_fifteen_tied_first_only_the_two_lower_are_warned() {
    let ev = run(Book::Shaodong, &sd_a7_seventeen());
    let september = ranking(&ev, "monthly", "2023-09");
    assert_eq!(september.entries.len(), 17);
    for entry in &september.entries {
        let expected = match entry.unit.as_str() {
            "u16" => 16,
            "u17" => 17,
            _ => 1,
        };
        assert_eq!(entry.rank, expected, "{}", entry.unit);
    }
    for i in 1..=17 {
        let unit = format!("u{i:02}");
        let warned = !notices(result(&ev, &unit, "2023-09"), "warning").is_empty();
        assert_eq!(warned, i >= 16, "{unit} in September");
        assert!(notices(result(&ev, &unit, "2023-08"), "warning").is_empty());
    }
}

#[test]
fn sd_a7_bottom_three_two_months_running_gets_a_warning() {
    let ev = run(Book::Shaodong, &sd_a7_warning());

    // August: a b c d 100 (rank 1, places 1–4), e 95 (5), f g 90 (6, places 6–7).
    // Bottom 3 of 7 = places 5–7: e, f, g.
    assert_eq!(
        places(ranking(&ev, "monthly", "2023-08")),
        expect_places(&[
            ("a", 1),
            ("b", 1),
            ("c", 1),
            ("d", 1),
            ("e", 5),
            ("f", 6),
            ("g", 6)
        ])
    );
    // September: a b c 100 (1), d e f 95 (4, places 4–6), g 90 (7).
    // SD-A7 (revised): bottom 3 of 7 is a published rank ≥ 7 − 3 + 1 = 5. The
    // tie d/e/f shares rank 4, above the line, so it does not count although
    // its places reach into 5–7: bottom 3 in September = g only.
    assert_eq!(
        places(ranking(&ev, "monthly", "2023-09")),
        expect_places(&[
            ("a", 1),
            ("b", 1),
            ("c", 1),
            ("d", 4),
            ("e", 4),
            ("f", 4),
            ("g", 7)
        ])
    );
    // Warnings in September: g only (bottom 3 in August and September); not
    // e or f (rank 4 in September); not d; nobody in August (no July ranking).
    for unit in ["a", "b", "c", "d", "e", "f", "g"] {
        assert!(
            notices(result(&ev, unit, "2023-08"), "warning").is_empty(),
            "{unit} warned in August"
        );
    }
    for (unit, warned) in [
        ("a", false),
        ("b", false),
        ("c", false),
        ("d", false),
        ("e", false),
        ("f", false),
        ("g", true),
    ] {
        let warnings = notices(result(&ev, unit, "2023-09"), "warning");
        assert_eq!(!warnings.is_empty(), warned, "{unit} in September");
        if warned {
            assert_eq!(warnings.len(), 1);
            assert_eq!(warnings[0].kind, NoticeKind::Notice);
            assert_eq!(warnings[0].actions, vec!["下发《预警通知》", "约谈"]);
        }
    }
}

#[test]
fn sd_a7_bottom_three_is_read_on_the_final_rank() {
    let ev = run(Book::Shaodong, &sd_a7_final_rank());

    // Both months: h1 100; h2..h5 95 (one behind each). Indicators break the tie:
    // h2 (5) 2nd, h3 (4) 3rd, h4 and h5 (3 each, no discretion) share 4th.
    // Bottom 3 of 5 = places 3–5: h3, h4, h5 — not h2, though its total equals theirs.
    for month in ["2023-08", "2023-09"] {
        assert_eq!(
            places(ranking(&ev, "monthly", month)),
            expect_places(&[("h1", 1), ("h2", 2), ("h3", 3), ("h4", 4), ("h5", 4)])
        );
    }
    for (unit, warned) in [
        ("h1", false),
        ("h2", false),
        ("h3", true),
        ("h4", true),
        ("h5", true),
    ] {
        let warnings = notices(result(&ev, unit, "2023-09"), "warning");
        assert_eq!(warnings.len(), usize::from(warned), "{unit}");
    }
}

#[test]
fn sd_a8_conversion_and_sd_2_4_township_average() {
    let ev = run(Book::Shaodong, &sd_a8_townships());

    // Lead l: 100 − 5 − 1 + 0.5 = 94.5; converted 94.5 × 10 / 100 = 9.45.
    assert_eq!(total(&ev, "l", "2023-08"), d("94.5"));
    let l = result(&ev, "l", "2023");
    assert_eq!(l.total, d("94.5"));
    assert_eq!(l.converted.map(|x| x.dec()), Some(d("9.45")));

    // Townships are assessed annually only: no monthly result, not in the monthly ranking.
    for t in ["t1", "t2", "t3"] {
        assert!(!has_result(&ev, t, "2023-08"), "{t} has a monthly result");
    }
    assert_eq!(
        places(ranking(&ev, "monthly", "2023-08")),
        expect_places(&[("l", 1)])
    );

    // t1: 100 − 5 − 3 + 0.5 = 92.5 → 9.25; t2: 100 − 5 − 3 = 92 → 9.20.
    let t1 = result(&ev, "t1", "2023");
    assert_eq!(t1.total, d("92.5"));
    assert_eq!(t1.converted.map(|x| x.dec()), Some(d("9.25")));
    let t2 = result(&ev, "t2", "2023");
    assert_eq!(t2.total, d("92"));
    assert_eq!(t2.converted.map(|c| c.to_string()), Some("9.20".to_owned()));
    // t3 has no task: the average of the others, (92.5 + 92) / 2 = 92.25;
    // converted 92.25 × 10 / 100 = 9.225 → 2 places half_up → 9.23 (half_even would give 9.22).
    let t3 = result(&ev, "t3", "2023");
    assert_eq!(t3.total, d("92.25"));
    assert_eq!(t3.items.len(), 1);
    assert_eq!(t3.items[0].kind, ItemKind::Average);
    assert_eq!(t3.items[0].amount, d("92.25"));
    assert_eq!(t3.converted.map(|x| x.dec()), Some(d("9.23")));

    // Annual township ranking: t1 92.5, t3 92.25, t2 92.
    assert_eq!(
        places(ranking(&ev, "annual_township", "2023")),
        expect_places(&[("t1", 1), ("t3", 2), ("t2", 3)])
    );
}

#[test]
fn sd_a9_report_after_its_due_day_is_late() {
    let ev = run(Book::Shaodong, &sd_a9_late_reports());

    // r1: brief on its due day (not late), monthly data a day late → −2 → 98.
    let r1 = result(&ev, "r1", "2023-08");
    assert_eq!(item(r1, ItemKind::Deduction, "late_report").count, 1);
    assert_eq!(r1.total, d("98"));
    // r2: brief due Sunday 08-13 handed in Monday 08-14 (no postponement for weekends),
    // brief due 08-23 (given by its label) handed in 08-25 → 2 × 2 = 4 → 96.
    assert_eq!(total(&ev, "r2", "2023-08"), d("96"));
    // r3: 11 late reports × 2 = 22 → daily work (allot 20) floors at 0 → 80.
    let r3 = result(&ev, "r3", "2023-08");
    assert_eq!(
        item(r3, ItemKind::Deduction, "late_report").amount,
        d("-22")
    );
    assert_eq!(
        category(r3, "daily").subtotal.map(|x| x.dec()),
        Some(d("0"))
    );
    assert_eq!(r3.total, d("80"));
}

#[test]
fn sd_a10_amended_facts_replace_the_old_ones() {
    let ev = run(Book::Shaodong, &sd_a10_amendments());

    // m1, August: "m1-behind-aug" reported 09-05 with 3, amended 10-10 to 1 → 5;
    // a task not done for August reported 10-12 still applies → 2.
    // 100 − 5 − 2 = 93 (without the amendment it would be 100 − 15 − 2 = 83).
    let aug = result(&ev, "m1", "2023-08");
    assert_eq!(item(aug, ItemKind::Deduction, "behind").amount, d("-5"));
    assert_eq!(aug.total, d("93"));
    // m1, September: the quality problem amended to count 0 → 100.
    assert_eq!(total(&ev, "m1", "2023-09"), d("100"));
    // m2 uses the same id string, but ids are per unit: its 2 × 5 stays.
    // Its "m2-data" (bad data, −1) was first reported for August, then corrected to
    // September: August 100 − 10 = 90 (not 89), September 100 − 1 = 99.
    assert_eq!(total(&ev, "m2", "2023-08"), d("90"));
    assert_eq!(total(&ev, "m2", "2023-09"), d("99"));
    // The year pools the applied versions: 100 − 5 − 2 = 93.
    assert_eq!(total(&ev, "m1", "2023"), d("93"));

    // The three older versions are listed as superseded.
    assert_eq!(ev.rejected.len(), 3);
    for r in &ev.rejected {
        assert!(r.reason.contains("superseded"), "{}", r.reason);
    }
    let mut superseded: Vec<(String, String)> = ev
        .rejected
        .iter()
        .map(|r| (r.unit.to_string(), r.record.reported.to_string()))
        .collect();
    superseded.sort_unstable();
    assert_eq!(
        superseded,
        [
            ("m1", "2023-09-05"),
            ("m1", "2023-09-28"),
            ("m2", "2023-09-01")
        ]
        .map(|(u, d)| (u.to_owned(), d.to_owned()))
    );
}

#[test]
fn sd_p6_publicity_quota_reminder_in_the_annual_result() {
    let ev = run(Book::Shaodong, &sd_p6_quota());

    // q1: central (adopted), provincial, 2 city, 2 county over the year: every
    // requirement met → no reminder. Bonuses Aug 3 + 2 + 1 = 6, Oct 1 + 0.5 + 0.5 = 2.
    assert_eq!(total(&ev, "q1", "2023-08"), d("106"));
    assert_eq!(total(&ev, "q1", "2023-10"), d("102"));
    assert_eq!(total(&ev, "q1", "2023"), d("108"));
    assert!(notices(result(&ev, "q1", "2023"), "publicity").is_empty());

    // q2: one city report, not adopted: all five requirements unmet.
    let q2 = notices(result(&ev, "q2", "2023"), "publicity");
    assert_eq!(q2.len(), 1);
    assert_eq!(q2[0].kind, NoticeKind::Quota);
    assert_eq!(q2[0].actions, vec!["宣传任务提醒"]);
    assert_eq!(
        q2[0].detail.as_deref(),
        Some("not met: 中央媒体 1 篇; 省级媒体 1 篇; 邵阳市级媒体 2 篇; 邵东市级媒体 2 篇; 邵阳市专班专报采用 1 篇")
    );
    assert_eq!(total(&ev, "q2", "2023"), d("101"));

    // q3: no report at all → reminded of all five; total 100.
    let q3 = notices(result(&ev, "q3", "2023"), "publicity");
    assert_eq!(q3.len(), 1);
    assert_eq!(total(&ev, "q3", "2023"), d("100"));

    // q4: every tier quota met but nothing adopted → only the adoption requirement.
    // Bonuses 3 + 2 + 1 + 1 + 0.5 + 0.5 = 8 → 108.
    let q4 = notices(result(&ev, "q4", "2023"), "publicity");
    assert_eq!(q4.len(), 1);
    assert_eq!(
        q4[0].detail.as_deref(),
        Some("not met: 邵阳市专班专报采用 1 篇")
    );
    assert_eq!(total(&ev, "q4", "2023"), d("108"));

    // The quota is yearly: no monthly result carries it.
    for r in ev.results.iter().filter(|r| !r.annual) {
        assert!(
            notices(r, "publicity").is_empty(),
            "{} {}",
            r.unit,
            r.period
        );
    }
}

// ------------------------------------------------------------------ Miluo

#[test]
fn ml_a1_provincial_minus_5_city_minus_3() {
    let ev = run(Book::Miluo, &ml_a1_levels());

    // u1: provincial 20 < 30 → −5; city 25 < 30 → −3; provincial 35 ≥ 30 → 0. 100 − 8 = 92.
    let u1 = result(&ev, "u1", "2026-04");
    assert_eq!(
        item(u1, ItemKind::Deduction, "provincial_behind").amount,
        d("-5")
    );
    assert_eq!(item(u1, ItemKind::Deduction, "provincial_behind").count, 1);
    assert_eq!(item(u1, ItemKind::Deduction, "city_behind").amount, d("-3"));
    assert_eq!(u1.total, d("92"));
    // u2: two city indicators behind → 2 × 3 = 6 → 94.
    assert_eq!(total(&ev, "u2", "2026-04"), d("94"));
    // u3: 30 of 30 → on schedule → 100.
    assert_eq!(total(&ev, "u3", "2026-04"), d("100"));

    assert_eq!(
        places(ranking(&ev, "monthly", "2026-04")),
        expect_places(&[("u3", 1), ("u2", 2), ("u1", 3)])
    );
    // One month: the year is 100 − that month's deductions.
    assert_eq!(total(&ev, "u1", "2026"), d("92"));
    assert!(result(&ev, "u1", "2026").annual);
}

#[test]
fn ml_a2_behind_is_actual_below_required_and_equal_is_not_behind() {
    let ev = run(Book::Miluo, &ml_a2_behind());

    // e1: 33.3 = 33.3 → not behind → 100, green.
    assert_eq!(total(&ev, "e1", "2026-04"), d("100"));
    assert_eq!(class_of(result(&ev, "e1", "2026-04"), "board"), "green");
    // e2: 33.29 < 33.30 → behind → 95, yellow.
    assert_eq!(total(&ev, "e2", "2026-04"), d("95"));
    assert_eq!(class_of(result(&ev, "e2", "2026-04"), "board"), "yellow");
    // e3: 0 of 0 → not behind, and no progress is required → 100, green.
    assert_eq!(total(&ev, "e3", "2026-04"), d("100"));
    assert_eq!(class_of(result(&ev, "e3", "2026-04"), "board"), "green");
    // e4: 30.0 vs 30 (equal decimals with different scales) → not behind → 100.
    assert_eq!(total(&ev, "e4", "2026-04"), d("100"));
}

#[test]
fn ml_a3_late_data_minus_2_returned_entry_minus_1() {
    let ev = run(Book::Miluo, &ml_a3_reporting());

    // w1: submitted 04-16 after due 04-15 → −2; 3 returned entries → −3. 100 − 5 = 95.
    let w1 = result(&ev, "w1", "2026-04");
    assert_eq!(item(w1, ItemKind::Deduction, "late_data").amount, d("-2"));
    assert_eq!(item(w1, ItemKind::Deduction, "returned").amount, d("-3"));
    assert_eq!(w1.total, d("95"));
    assert_eq!(class_of(w1, "board"), "yellow"); // late data
                                                 // w2: submitted on the due day → not late; 1 returned entry → 99; green
                                                 // (returned entries are not on the board).
    let w2 = result(&ev, "w2", "2026-04");
    assert_eq!(w2.total, d("99"));
    assert_eq!(class_of(w2, "board"), "green");
}

/// The explanation of each counted record gives its derived attributes with
/// their values (issue 13 §16): a late monthly report shows `late = true`;
/// an on-time one is not counted and shows nothing (mutation shard 1/24:
/// the values replaced by none).
#[test]
fn a_counted_record_shows_its_derived_values() {
    let ev = run(Book::Miluo, &ml_a3_reporting());
    let late = item(
        result(&ev, "w1", "2026-04"),
        ItemKind::Deduction,
        "late_data",
    );
    assert_eq!(late.records.len(), 1);
    let derived: Vec<(String, String)> = late.records[0]
        .derived
        .0
        .iter()
        .map(|(name, value)| (name.to_string(), value.clone()))
        .collect();
    assert_eq!(derived, [("late".to_owned(), "true".to_owned())]);
    assert_eq!(
        serde_json::to_value(&late.records[0]).unwrap()["derived"],
        json!({"late": "true"})
    );
    assert!(result(&ev, "w2", "2026-04")
        .items
        .iter()
        .all(|i| i.rule.as_deref() != Some("late_data")));
}

/// A rejected late record cites the seal's clauses and then the late
/// policy's, each once: with the shipped ruleset both cite `[ML-3, ML-A4]`,
/// so the record cites those two; when the late policy cites one more
/// clause, it follows (mutation shard 1/24: the "once" guard inverted).
#[test]
fn a_rejected_record_cites_the_seal_and_the_late_policy_each_clause_once() {
    let facts = ml_a4_seal();
    let shipped = run(Book::Miluo, &facts);
    assert_eq!(shipped.rejected.len(), 2);
    for r in &shipped.rejected {
        assert_eq!(r.clauses, ["ML-3", "ML-A4"]);
        // Under `late rejected` the reason is the seal alone (mutation
        // shard 6/24: the carried-out-of-range wording given instead went
        // unnoticed).
        assert_eq!(
            r.reason,
            format!(
                "reported {}, after period 2026-04 was sealed at the end of 2026-05-15",
                r.record.reported
            )
        );
    }

    let from = "  late rejected [ML-3, ML-A4]\n";
    assert_eq!(MILUO.matches(from).count(), 1);
    let text = MILUO.replacen(from, "  late rejected [ML-A5, ML-3]\n", 1);
    let ruleset = Ruleset::from_source(SourceFile::new("miluo-2026.rules", &text))
        .unwrap_or_else(|e| panic!("{e}"));
    let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let evaluation = ruleset.evaluate(&facts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(evaluation.rejected.len(), 2);
    for r in &evaluation.rejected {
        assert_eq!(r.clauses, ["ML-3", "ML-A4", "ML-A5"]);
    }
}

#[test]
fn ml_a4_facts_arriving_after_the_seal_are_rejected_and_change_nothing() {
    let ev = run(Book::Miluo, &ml_a4_seal());

    // April is sealed at the end of 2026-05-15.
    // Applied: provincial 20 < 30 → −5; returned entry reported 05-15 (the seal day) → −1.
    // Rejected: 4 returned entries reported 05-16, and the 05-20 version of "u1-p1-04"
    // (which would have caught up). April = 100 − 5 − 1 = 94.
    let april = result(&ev, "u1", "2026-04");
    assert_eq!(april.total, d("94"));
    assert_eq!(
        item(april, ItemKind::Deduction, "provincial_behind").amount,
        d("-5")
    );
    assert_eq!(item(april, ItemKind::Deduction, "returned").amount, d("-1"));
    assert_eq!(ev.rejected.len(), 2);
    for r in &ev.rejected {
        assert_eq!(r.unit, "u1");
        assert_eq!(r.record.period, p("2026-04"));
        assert!(r.reason.contains("sealed"), "{}", r.reason);
    }
    let mut reported: Vec<String> = ev
        .rejected
        .iter()
        .map(|r| r.record.reported.to_string())
        .collect();
    reported.sort_unstable();
    assert_eq!(reported, vec!["2026-05-16", "2026-05-20"]);

    // April's result is exactly what it is without the late facts.
    let without_late = run(
        Book::Miluo,
        &json!({
            "as_of": "2026-06-30",
            "units": [ml_lead("u1"), ml_lead("u2")],
            "records": ml_a4_on_time_records()
        }),
    );
    assert_eq!(result(&without_late, "u1", "2026-04"), april);

    // May (sealed 06-15): data on time, a returned entry reported on 06-15 → 99.
    assert_eq!(total(&ev, "u1", "2026-05"), d("99"));
    // Year: 100 − 6 − 1 = 93. u2: nothing → 100 every month and for the year.
    assert_eq!(total(&ev, "u1", "2026"), d("93"));
    assert_eq!(total(&ev, "u2", "2026-04"), d("100"));
    assert_eq!(total(&ev, "u2", "2026"), d("100"));
}

#[test]
fn ml_a5_deductions_stay_and_the_year_sums_the_months() {
    let ev = run(Book::Miluo, &ml_a5_non_recoverable());

    // x1: April 20 < 30 → −5 → 95; May the same indicator 60 ≥ 50 → 100 (April keeps its −5);
    // June city 30 < 40 → −3 → 97. Year = 100 − 5 − 0 − 3 = 92.
    assert_eq!(total(&ev, "x1", "2026-04"), d("95"));
    assert_eq!(total(&ev, "x1", "2026-05"), d("100"));
    assert_eq!(total(&ev, "x1", "2026-06"), d("97"));
    assert_eq!(total(&ev, "x1", "2026"), d("92"));

    // x2: April two provincial behind → −10 → 90; May one → −5 → 95; June data two days late → −2 → 98.
    // Year = 100 − 10 − 5 − 2 = 83.
    assert_eq!(total(&ev, "x2", "2026-04"), d("90"));
    assert_eq!(total(&ev, "x2", "2026-05"), d("95"));
    assert_eq!(total(&ev, "x2", "2026-06"), d("98"));
    let year = result(&ev, "x2", "2026");
    assert!(year.annual);
    assert_eq!(year.total, d("83"));
    let provincial = item(year, ItemKind::Deduction, "provincial_behind");
    assert_eq!(provincial.amount, d("-15")); // 3 indicator-months × 5
    assert_eq!(provincial.count, 3);
    assert_eq!(
        year.items
            .iter()
            .filter(|i| i.kind == ItemKind::Base)
            .count(),
        1
    );
}

#[test]
fn ml_a6_red_yellow_green_board() {
    let ev = run(Book::Miluo, &ml_a6_board());

    // (unit, class, total)
    for (unit, class, expected) in [
        ("g1", "green", "100"), // on schedule, data on time
        ("y1", "yellow", "95"), // one provincial behind
        ("y2", "yellow", "98"), // none behind, data late (−2)
        ("r1", "red", "92"),    // two behind: −5 − 3
        ("r2", "red", "95"),    // one behind, but at 0% with 30% required
        ("r3", "red", "88"),    // two behind and late data: red wins; −5 − 5 − 2
        ("g2", "green", "100"), // 0% with 0% required: not behind, not "0% while required"
    ] {
        let r = result(&ev, unit, "2026-04");
        assert_eq!(class_of(r, "board"), class, "{unit}");
        assert_eq!(r.total, d(expected), "{unit}");
    }
    let r2 = result(&ev, "r2", "2026-04");
    let board = r2
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::Class)
        .unwrap();
    assert_eq!(board.class_label.as_deref(), Some("红"));
}

#[test]
fn ml_a7_behind_two_months_running_gets_a_yellow_card() {
    let ev = run(Book::Miluo, &ml_a7_yellow_card());
    let cards = |unit: &str, period: &str| notices(result(&ev, unit, period), "yellow_card");

    // k1: "lift" behind in April and May → one card in May (none in April: no March figure);
    // "bridge" is behind in May only → no card. May total 100 − 5 − 5 = 90.
    assert!(cards("k1", "2026-04").is_empty());
    let k1 = cards("k1", "2026-05");
    assert_eq!(k1.len(), 1);
    let detail = k1[0].detail.as_deref().unwrap_or_default();
    assert!(
        detail.contains("lift") && !detail.contains("bridge"),
        "{detail}"
    );
    assert_eq!(
        k1[0].actions,
        vec!["黄牌预警", "市政府督查室+市专班联合现场督办"]
    );
    assert_eq!(total(&ev, "k1", "2026-05"), d("90"));
    // k2: behind in April, caught up in May → no card.
    assert!(cards("k2", "2026-04").is_empty());
    assert!(cards("k2", "2026-05").is_empty());
    // k3: behind in March and May, on schedule in April → never two months running.
    for month in ["2026-03", "2026-04", "2026-05"] {
        assert!(cards("k3", month).is_empty(), "k3 {month}");
    }
    // k4: behind in March, April and May → cards in April and May.
    assert!(cards("k4", "2026-03").is_empty());
    assert_eq!(cards("k4", "2026-04").len(), 1);
    assert_eq!(cards("k4", "2026-05").len(), 1);
}

#[test]
fn ml_a8_below_half_the_required_progress_is_dispatched_daily() {
    let ev = run(Book::Miluo, &ml_a8_daily_dispatch());
    let flags = |unit: &str| notices(result(&ev, unit, "2026-04"), "daily_dispatch");

    // f1: 14.9 < 30 / 2 = 15 → flagged; behind → 95.
    assert_eq!(flags("f1").len(), 1);
    assert_eq!(flags("f1")[0].kind, NoticeKind::Flag);
    assert_eq!(flags("f1")[0].actions, vec!["一天一调度"]);
    assert_eq!(total(&ev, "f1", "2026-04"), d("95"));
    // f2: 15 is not below 15 → not flagged; still behind → 95.
    assert!(flags("f2").is_empty());
    assert_eq!(total(&ev, "f2", "2026-04"), d("95"));
    // f3: 0 < 20 and 16 < 16.5 → two flags; −5 − 3 = 92; red.
    assert_eq!(flags("f3").len(), 2);
    assert_eq!(total(&ev, "f3", "2026-04"), d("92"));
    assert_eq!(class_of(result(&ev, "f3", "2026-04"), "board"), "red");
}

/// Results are exact numbers; the values these tests compare terminate.
trait Exact {
    fn dec(&self) -> rust_decimal::Decimal;
}

impl Exact for kaohe::number::Number {
    fn dec(&self) -> rust_decimal::Decimal {
        self.to_decimal().expect("a terminating value")
    }
}

/// Issue 12 §5: `average when tasks == 0` when no township has tasks leaves
/// nobody to average over: an evaluation error naming the condition, never
/// each township silently keeping its own score.
#[test]
fn sd_2_4_average_over_nobody_is_an_error() {
    let ruleset = ruleset(Book::Shaodong);
    let facts = json!({
        "as_of": "2023-10-10",
        "units": [lead("l", 3), township("t1", 0), township("t2", 0)],
        "records": [
            behind("l", "2023-08", "2023-08-28", 1),
            behind("t1", "2023-08", "2023-08-28", 1),
        ]
    });
    let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
    let error = ruleset.evaluate(&facts).unwrap_err();
    assert!(
        error.message.contains("no other unit to average over"),
        "{error}"
    );
    assert_eq!(error.period, "2023");
    let span = error.span.expect("the `average when` condition");
    assert_eq!(&SHAODONG[span.start..span.end], "tasks == 0");
}

/// `ties straddling` (issue 12 §2): the other reading, chosen explicitly. On
/// SD-A7's scenario the September tie d/e/f (rank 4 of 7, places 4–6) reaches
/// into the last three places, so it counts: e, f and g are warned (d was not
/// bottom three in August). On the 17-unit example all 17 are.
#[test]
fn ties_straddling_counts_a_tie_group_reaching_into_the_last_places() {
    let text = SHAODONG.replace(
        "when ranked bottom 3 for 2 consecutive periods in monthly",
        "when ranked bottom 3 for 2 consecutive periods in monthly ties straddling",
    );
    assert_ne!(text, SHAODONG, "the ruleset changed shape");
    let ruleset = Ruleset::from_source(SourceFile::new("s.rules", text)).unwrap();
    let warned = |facts: &Value, unit: &str| {
        let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
        let ev = ruleset.evaluate(&facts).unwrap();
        !notices(result(&ev, unit, "2023-09"), "warning").is_empty()
    };
    let seven = sd_a7_warning();
    for (unit, expected) in [
        ("a", false),
        ("c", false),
        ("d", false),
        ("e", true),
        ("f", true),
        ("g", true),
    ] {
        assert_eq!(warned(&seven, unit), expected, "{unit}");
    }
    let seventeen = sd_a7_seventeen();
    assert!(warned(&seventeen, "u01"));
    assert!(warned(&seventeen, "u17"));
}

/// Issue 12 §4: under an amendable ruleset (Shaodong), a record and its
/// correction reported on the same day. Without `revision` (or with equal
/// ones) the facts are refused, naming both records; with revisions the
/// higher applies, whatever the order of the rows.
#[test]
fn same_day_amendments_need_a_revision() {
    let ruleset = ruleset(Book::Shaodong);
    let facts = |first: Value, second: Value| {
        json!({
            "as_of": "2023-10-15",
            "units": [lead("m1", 3)],
            "records": [
                behind("m1", "2023-08", "2023-08-20", 1),
                first,
                second,
            ]
        })
    };
    let v = |count: u32| with_id(behind("m1", "2023-08", "2023-09-05", count), "m1-aug");
    let with_revision = |mut r: Value, n: u32| {
        r["revision"] = json!(n);
        r
    };

    // No revision: an error at the second, naming both.
    let err = Facts::from_json(&ruleset, &facts(v(3), v(1)).to_string()).unwrap_err();
    assert_eq!(err.errors.len(), 1, "{err:?}");
    assert_eq!(err.errors[0].path, "$.records[2]");
    assert!(
        err.errors[0]
            .message
            .contains("$.records[1] and $.records[2]"),
        "{err:?}"
    );
    assert!(err.errors[0].message.contains("`revision`"), "{err:?}");
    // One revision only, or equal revisions: still an error.
    for (a, b) in [(Some(1), None), (Some(2), Some(2))] {
        let first = a.map_or_else(|| v(3), |n| with_revision(v(3), n));
        let second = b.map_or_else(|| v(1), |n| with_revision(v(1), n));
        let err = Facts::from_json(&ruleset, &facts(first, second).to_string()).unwrap_err();
        assert_eq!(err.errors[0].path, "$.records[2]", "{a:?} {b:?}");
    }
    // Revisions 2 (count 1) and 1 (count 3): revision 2 applies, in either order.
    for (first, second) in [
        (with_revision(v(1), 2), with_revision(v(3), 1)),
        (with_revision(v(3), 1), with_revision(v(1), 2)),
    ] {
        let ev = run(Book::Shaodong, &facts(first, second));
        // 100 − 5 (the record without id) − 5 × 1 (revision 2).
        assert_eq!(total(&ev, "m1", "2023-08"), d("90"));
        assert_eq!(ev.rejected.len(), 1);
        assert!(
            ev.rejected[0].reason.contains("revision 2"),
            "{:?}",
            ev.rejected
        );
        assert_eq!(ev.rejected[0].record.revision, Some(1));
    }
}

/// Issue 12 §7: a result is provisional while `as_of` lies inside its period,
/// or on or before the seal of a sealed period (Miluo: the 15th of the next
/// month); a year while `as_of` lies inside it or before its last month's
/// seal. An amendable ruleset's (Shaodong's) past months are not provisional.
#[test]
fn provisional_results_while_a_period_may_still_change() {
    let provisional = |book: Book, as_of: &str, record: Value, period: &str| {
        let facts = json!({"as_of": as_of, "units": [ml_lead("u1")], "records": [record]});
        let facts = if matches!(book, Book::Shaodong) {
            json!({"as_of": as_of, "units": [lead("u1", 3)], "records": facts["records"]})
        } else {
            facts
        };
        let ev = run(book, &facts);
        let r = result(&ev, "u1", period);
        let ranking = ev
            .rankings
            .iter()
            .find(|k| k.period.to_string() == period)
            .unwrap();
        assert_eq!(ranking.provisional, r.provisional, "{as_of} {period}");
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(json.get("provisional").is_some(), r.provisional);
        r.provisional
    };
    let april = || {
        rec(
            "u1",
            "2026-04",
            "returned_entry",
            "2026-04-10",
            json!({"entry": "x"}),
        )
    };
    // Inside April; on the seal day; the day after the seal.
    assert!(provisional(Book::Miluo, "2026-04-23", april(), "2026-04"));
    assert!(provisional(Book::Miluo, "2026-04-30", april(), "2026-04"));
    assert!(provisional(Book::Miluo, "2026-05-15", april(), "2026-04"));
    assert!(!provisional(Book::Miluo, "2026-05-16", april(), "2026-04"));
    // Shaodong months are amendable, never sealed: final once over.
    let august = || behind("u1", "2023-08", "2023-08-28", 1);
    assert!(provisional(
        Book::Shaodong,
        "2023-08-31",
        august(),
        "2023-08"
    ));
    assert!(!provisional(
        Book::Shaodong,
        "2023-09-01",
        august(),
        "2023-08"
    ));
}

/// The year is provisional until its last month's seal has passed (Miluo:
/// 2027-01-15 for 2026), so a December record can still change it.
#[test]
fn the_year_is_provisional_until_its_last_period_is_sealed() {
    for (as_of, expected) in [
        ("2026-12-31", true),
        ("2027-01-15", true),
        ("2027-01-16", false),
    ] {
        let facts = json!({"as_of": as_of, "units": [ml_lead("u1")],
            "records": [rec("u1", "2026-12", "returned_entry", "2026-12-10", json!({"entry": "x"}))]});
        let ev = run(Book::Miluo, &facts);
        assert_eq!(result(&ev, "u1", "2026").provisional, expected, "{as_of}");
        assert_eq!(
            result(&ev, "u1", "2026-12").provisional,
            expected,
            "{as_of}"
        );
    }
}
