#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! An evaluation error about one record carries the record's id and its
//! place in the fact file as data (breaker's item 5): `record: {kind, id,
//! path}` on the error, `$.records[i]` the index in the file as written (not
//! in the canonical order the engine sorts records into), in the message,
//! the errors-as-data record, and the JSON contract's `path`.

use kaohe::error::ToErrorRecords;
use kaohe::{Facts, Ruleset, SourceFile};
use serde_json::json;

const RULES: &str = include_str!("../../../tests/generate/ranges-by-group.rules");

/// The township's incident (second in the file, first in canonical order:
/// unit `a-town` sorts before `d-1`) decided 5, outside its block's 1 to 3
/// (5 is within the department's 5 to 10, so the facts read).
fn facts_json() -> String {
    json!({
        "as_of": "2026-02-10",
        "units": [
            {"id": "d-1", "name": "部门一", "group": "department"},
            {"id": "a-town", "name": "甲镇", "group": "township"}
        ],
        "records": [
            {"unit": "d-1", "period": "2026-01", "kind": "incident", "reported": "2026-01-20", "decided": "7", "attributes": {}},
            {"id": "INC-7", "unit": "a-town", "period": "2026-01", "kind": "incident", "reported": "2026-01-21", "decided": "5", "attributes": {}}
        ]
    })
    .to_string()
}

#[test]
fn an_error_about_a_record_names_its_id_and_path() {
    let ruleset = Ruleset::from_source(SourceFile::new("r.rules", RULES)).unwrap();
    let facts = Facts::from_json(&ruleset, &facts_json()).unwrap();
    let error = ruleset.evaluate(&facts).unwrap_err();
    let record = error.record.as_deref().unwrap();
    assert_eq!(record.kind, "incident");
    assert_eq!(record.id.as_deref(), Some("INC-7"));
    assert_eq!(record.path.as_deref(), Some("$.records[1]"));
    assert!(
        error
            .to_string()
            .ends_with("(unit `a-town`, period 2026-01, record `INC-7` at $.records[1])"),
        "{error}"
    );
    let records = error.error_records();
    let as_json = serde_json::to_value(&records[0]).unwrap();
    assert_eq!(
        as_json["record"],
        json!({"kind": "incident", "id": "INC-7", "path": "$.records[1]"})
    );
    // The ruleset location is kept beside it.
    assert_eq!(as_json["file"], "r.rules");

    // Through the JSON contract: `path` and `record`.
    let compiled = kaohe::api::compile("r.rules", RULES).unwrap();
    let errors = kaohe::api::evaluate(&compiled, &facts_json(), "{}").unwrap_err();
    let e = &errors.errors[0];
    assert_eq!(e.path.as_deref(), Some("$.records[1]"));
    assert_eq!(e.record.as_ref().unwrap().id.as_deref(), Some("INC-7"));
}

/// A record without an id: its path alone.
#[test]
fn a_record_without_an_id_is_named_by_its_path() {
    let ruleset = Ruleset::from_source(SourceFile::new("r.rules", RULES)).unwrap();
    let text = facts_json().replace(r#""id":"INC-7","#, "");
    let facts = Facts::from_json(&ruleset, &text).unwrap();
    let error = ruleset.evaluate(&facts).unwrap_err();
    let record = error.record.as_deref().unwrap();
    assert_eq!(record.id, None);
    assert_eq!(record.path.as_deref(), Some("$.records[1]"));
    assert!(
        error.to_string().ends_with("record at $.records[1])"),
        "{error}"
    );
}

/// A caller that imported the facts from a ledger relocates every record of
/// an error, the first and each of `also`, to its `sheet!cell`
/// (`EvalError::each_record_mut`, `RecordAt::in_ledger`): the message then
/// names the cell, not the JSON path the import made.
#[test]
fn records_of_every_error_are_relocated_to_their_ledger_cells() {
    let ruleset = Ruleset::from_source(SourceFile::new("r.rules", RULES)).unwrap();
    // Two township incidents decided 5 (outside 1 to 3): two errors at once,
    // the second without an id.
    let text = json!({
        "as_of": "2026-02-10",
        "units": [{"id": "a-town", "name": "甲镇", "group": "township"}],
        "records": [
            {"id": "INC-7", "unit": "a-town", "period": "2026-01", "kind": "incident", "reported": "2026-01-21", "decided": "5", "attributes": {}},
            {"unit": "a-town", "period": "2026-01", "kind": "incident", "reported": "2026-01-22", "decided": "4", "attributes": {}}
        ]
    })
    .to_string();
    let facts = Facts::from_json(&ruleset, &text).unwrap();
    let mut error = ruleset.evaluate(&facts).unwrap_err();
    assert_eq!(error.all().count(), 2, "{error:?}");
    let mut row = 4;
    let mut seen = Vec::new();
    error.each_record_mut(|record| {
        row += 1;
        seen.push(record.path.clone().unwrap());
        record.in_ledger("事项台账", &format!("A{row}"));
    });
    seen.sort();
    assert_eq!(seen, ["$.records[0]", "$.records[1]"]);
    let texts: Vec<String> = error.all().map(ToString::to_string).collect();
    for (e, text) in error.all().zip(&texts) {
        let record = e.record.as_deref().unwrap();
        assert_eq!(record.path, None, "{text}");
        assert_eq!(record.sheet.as_deref(), Some("事项台账"));
        let cell = record.cell.as_deref().unwrap();
        let expected = match &record.id {
            Some(id) => format!(", record `{id}` at 事项台账!{cell})"),
            None => format!(", record at 事项台账!{cell})"),
        };
        assert!(text.ends_with(&expected), "{text} / {expected}");
    }
    let cells: Vec<&str> = error
        .all()
        .filter_map(|e| e.record.as_deref()?.cell.as_deref())
        .collect();
    assert_eq!(cells.len(), 2);
    assert_ne!(cells[0], cells[1]);
}

/// The period a record bears on (`Ruleset::bearing_period`, what a seal
/// holds): its own, unless it arrived after its period's seal under `late
/// carried` — then the period it arrived in, when that is within the
/// ruleset's range. The shipped example county: quarters sealed 10 days after
/// their end (Q1 on 2027-04-10), late records carried, 2027 only.
#[test]
fn a_record_bears_on_its_own_period_or_the_one_it_was_carried_into() {
    let text = include_str!("../../../rulesets/example-county/example-county.rules");
    let ruleset = Ruleset::from_source(SourceFile::new("example-county.rules", text)).unwrap();
    let record = |period: &str, reported: &str| {
        json!({"unit": "jyj", "period": period, "kind": "data_report", "reported": reported,
               "attributes": {"due": "2027-04-05", "submitted": "2027-04-03"}})
    };
    let facts = json!({
        "as_of": "2028-02-20",
        "units": [{"id": "jyj", "name": "县教育局", "group": "dept", "attributes": {"duty": "key", "staff": 45}}],
        "records": [
            record("2027-Q1", "2027-04-03"),
            record("2027-Q1", "2027-04-10"),
            record("2027-Q1", "2027-04-11"),
            record("2027-Q1", "2027-07-20"),
            record("2027-Q4", "2028-01-11"),
        ]
    })
    .to_string();
    let facts = Facts::from_json(&ruleset, &facts).unwrap();
    let mut bearing: Vec<(String, String, String)> = facts
        .records
        .iter()
        .map(|r| {
            (
                r.period.to_string(),
                r.reported.to_string(),
                ruleset.bearing_period(r).to_string(),
            )
        })
        .collect();
    bearing.sort();
    let expected = [
        ("2027-Q1", "2027-04-03", "2027-Q1"), // before the seal
        ("2027-Q1", "2027-04-10", "2027-Q1"), // on the seal day: still on time
        ("2027-Q1", "2027-04-11", "2027-Q2"), // a day late: carried into Q2
        ("2027-Q1", "2027-07-20", "2027-Q3"), // arrived in Q3
        ("2027-Q4", "2028-01-11", "2027-Q4"), // arrived outside the ruleset's 2027
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(bearing, expected);
}

/// A record carried into a later period (`late carried`) is scored there
/// with that period's own records, wherever the other units' records fall in
/// the file: the shipped example county, `jyj`'s late Q1 report arrives after
/// Q1's seal and joins its own late Q2 report (two late reports: −2 in Q2),
/// while `wjj`'s Q1 report sits between them in the canonical order.
#[test]
fn a_carried_record_is_scored_with_its_new_periods_records() {
    let text = include_str!("../../../rulesets/example-county/example-county.rules");
    let ruleset = Ruleset::from_source(SourceFile::new("example-county.rules", text)).unwrap();
    let report = |unit: &str, period: &str, reported: &str, due: &str, submitted: &str| {
        json!({"unit": unit, "period": period, "kind": "data_report", "reported": reported,
               "attributes": {"due": due, "submitted": submitted}})
    };
    let facts = json!({
        "as_of": "2027-07-20",
        "units": [
            {"id": "jyj", "name": "县教育局", "group": "dept", "attributes": {"duty": "key", "staff": 45}},
            {"id": "wjj", "name": "县卫健局", "group": "dept", "attributes": {"duty": "key", "staff": 45}}
        ],
        "records": [
            report("jyj", "2027-Q1", "2027-04-20", "2027-04-05", "2027-04-18"),
            report("wjj", "2027-Q1", "2027-04-03", "2027-04-05", "2027-04-03"),
            report("jyj", "2027-Q2", "2027-07-08", "2027-07-05", "2027-07-08"),
        ]
    })
    .to_string();
    let facts = Facts::from_json(&ruleset, &facts).unwrap();
    let evaluation = ruleset.evaluate(&facts).unwrap();
    let late = |unit: &str, period: &str| -> (u32, String) {
        let result = evaluation
            .results
            .iter()
            .find(|r| r.unit == unit && r.period.to_string() == period)
            .unwrap();
        result
            .items
            .iter()
            .filter(|i| i.rule.as_deref() == Some("late_data"))
            .map(|i| (i.count, i.amount.to_string()))
            .next()
            .unwrap_or((0, "0".to_owned()))
    };
    assert_eq!(late("jyj", "2027-Q1"), (0, "0".to_owned()));
    assert_eq!(late("jyj", "2027-Q2"), (2, "-2".to_owned()));
    assert_eq!(late("wjj", "2027-Q1"), (0, "0".to_owned()));
}
