#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! All evaluation errors at once (principle 3, issue 13 follow-up): an
//! evaluation goes on after a failure with every record, unit, period and
//! year whose result does not depend on it, and returns every failure —
//! de-duplicated, in an order the input's order does not change — and never a
//! partial result. Through the library, the JSON contract (`kaohe::api`) and
//! the errors-as-data records.

use std::collections::BTreeMap;

use kaohe::error::ToErrorRecords;
use kaohe::input::Inputs;
use kaohe::{EvalError, EvalOptions, Facts, Ruleset, SourceFile};
use serde_json::{json, Value};

/// Working days between two dates of each record, on the shipped calendar
/// (2023–2026: a record of 2027 cannot be counted). `{ANNUAL}` and
/// `{MORE}` are replaced by an annual block and further declarations.
const TEMPLATE: &str = r#"
ruleset all_errors {
  title "全部错误" issuer "测试" source "测试细则"
  effective 2026-01-01 to 2027-12-31
}
calendar cn [T-1]
group lead "牵头单位" [T-1] {}
record r "报送" {
  due: date "截止"
  done: date "报送"
}
period month [T-1] { amendable [T-1] }
score [T-1] {
  base 100 [T-1]
  category c "类别" [T-1] {
    adjust late "逾期" [T-2] { per r amount working_days_between(due, done) }
  }
}
{ANNUAL}
{MORE}
"#;

fn ruleset(annual: &str, more: &str) -> Ruleset {
    let text = TEMPLATE.replace("{ANNUAL}", annual).replace("{MORE}", more);
    Ruleset::from_source(SourceFile::new("all.rules", text))
        .unwrap_or_else(|e| panic!("the ruleset is refused:\n{e}"))
}

/// A record `(id, unit, period, due, done)`.
type R<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

fn facts_json(records: &[R<'_>]) -> String {
    let records: Vec<Value> = records
        .iter()
        .map(|(id, unit, period, due, done)| {
            json!({
                "id": id, "unit": unit, "period": period, "kind": "r",
                "reported": format!("{period}-28"),
                "attributes": {"due": due, "done": done}
            })
        })
        .collect();
    json!({
        "as_of": "2027-12-31",
        "units": [
            {"id": "u1", "name": "甲", "group": "lead"},
            {"id": "u2", "name": "乙", "group": "lead"}
        ],
        "records": records,
    })
    .to_string()
}

fn evaluate(ruleset: &Ruleset, records: &[R<'_>]) -> Result<kaohe::Evaluation, EvalError> {
    let facts = Facts::from_json(ruleset, &facts_json(records)).unwrap();
    ruleset.evaluate(&facts)
}

/// Each error as (unit, period, record id, message).
fn listed(error: &EvalError) -> Vec<(String, String, Option<String>, String)> {
    error
        .all()
        .map(|e| {
            (
                e.unit.clone(),
                e.period.clone(),
                e.record.as_ref().and_then(|r| r.id.clone()),
                e.message.clone(),
            )
        })
        .collect()
}

fn ids(error: &EvalError) -> Vec<String> {
    listed(error)
        .into_iter()
        .map(|(unit, period, id, _)| format!("{unit} {period} {}", id.unwrap_or_default()))
        .collect()
}

/// Two records of 2027 of one unit in one month, one of another unit in
/// the next month, and one of 2026 that is fine.
const RECORDS: [R<'static>; 4] = [
    ("a", "u1", "2027-01", "2027-01-04", "2027-01-08"),
    ("b", "u1", "2027-01", "2027-01-05", "2027-01-08"),
    ("c", "u2", "2027-02", "2027-02-01", "2027-02-03"),
    ("d", "u2", "2026-03", "2026-03-02", "2026-03-04"),
];

#[test]
fn every_record_a_missing_calendar_year_fails_is_reported() {
    let rules = ruleset("", "");
    let error = evaluate(&rules, &RECORDS).unwrap_err();
    assert_eq!(
        ids(&error),
        ["u1 2027-01 a", "u1 2027-01 b", "u2 2027-02 c"],
        "{:#?}",
        listed(&error)
    );
    for e in error.all() {
        assert!(
            e.message.contains("which has no year 2027"),
            "{}",
            e.message
        );
        // Each is located in the ruleset, as the first always was.
        assert!(e.location.is_some(), "{e}");
    }
    // Two records: two errors (not one, then the next after a fix).
    let error = evaluate(&rules, &RECORDS[..2]).unwrap_err();
    assert_eq!(ids(&error), ["u1 2027-01 a", "u1 2027-01 b"]);
    // Fixed: a result.
    assert!(evaluate(&rules, &RECORDS[3..]).is_ok());
}

#[test]
fn the_order_of_the_records_does_not_change_the_list() {
    let rules = ruleset("", "");
    let expected = listed(&evaluate(&rules, &RECORDS).unwrap_err());
    let mut records = RECORDS.to_vec();
    for _ in 0..records.len() {
        records.rotate_left(1);
        let error = evaluate(&rules, &records).unwrap_err();
        assert_eq!(listed(&error), expected);
        let mut reversed = records.clone();
        reversed.reverse();
        assert_eq!(listed(&evaluate(&rules, &reversed).unwrap_err()), expected);
    }
}

#[test]
fn the_same_failure_twice_is_reported_once() {
    // Under a pooled annual score each record fails in its month and again
    // in the year: the same message, expression, unit and record, once.
    let rules = ruleset("annual [T-1] { from pooled records [T-1] }", "");
    let error = evaluate(&rules, &RECORDS[..1]).unwrap_err();
    assert_eq!(ids(&error), ["u1 2027-01 a"], "{:#?}", listed(&error));
    let error = evaluate(&rules, &RECORDS).unwrap_err();
    assert_eq!(
        ids(&error),
        ["u1 2027-01 a", "u1 2027-01 b", "u2 2027-02 c"],
        "{:#?}",
        listed(&error)
    );
}

#[test]
fn a_failure_s_consequences_are_not_reported() {
    // February's notice reads January's totals, which are unknown once u1
    // failed in January: no errors about February (without the guard the
    // notice's arithmetic on an absent total would be one per unit).
    let rules = ruleset(
        "",
        "ranking monthly \"月度排名\" of lead [T-1] { by total desc [T-1] ties shared [T-1] }\n\
         notice warn \"提醒\" of lead [T-1] { when previous_total - total >= 5 action \"提醒\" }",
    );
    let records = [
        ("a", "u1", "2027-01", "2027-01-04", "2027-01-08"),
        ("e", "u1", "2027-02", "2026-03-02", "2026-03-04"),
        ("f", "u2", "2027-02", "2026-03-02", "2026-03-04"),
    ];
    let error = evaluate(&rules, &records).unwrap_err();
    assert_eq!(ids(&error), ["u1 2027-01 a"], "{:#?}", listed(&error));
}

#[test]
fn the_contract_and_the_error_records_list_every_error() {
    let text = TEMPLATE.replace("{ANNUAL}", "").replace("{MORE}", "");
    let compiled = kaohe::api::compile("all.rules", &text).unwrap();
    let errors = kaohe::api::evaluate(&compiled, &facts_json(&RECORDS), "{}").unwrap_err();
    let paths: Vec<_> = errors
        .errors
        .iter()
        .map(|e| {
            (
                e.code.clone(),
                e.record.as_ref().and_then(|r| r.id.clone()),
                e.line.is_some(),
            )
        })
        .collect();
    let code = "kaohe::eval::failed".to_owned();
    assert_eq!(
        paths,
        [
            (code.clone(), Some("a".to_owned()), true),
            (code.clone(), Some("b".to_owned()), true),
            (code, Some("c".to_owned()), true)
        ]
    );
    let json: Value = serde_json::from_str(&errors.to_json()).unwrap();
    assert_eq!(json["errors"].as_array().unwrap().len(), 3);

    let rules = ruleset("", "");
    let error = evaluate(&rules, &RECORDS).unwrap_err();
    assert_eq!(error.error_records().len(), 3);
}

fn sub_assessment(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../tests/inputs/sub-assessment/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn every_unit_an_input_lacks_is_reported() {
    let load =
        |path: &str| Ruleset::from_source(SourceFile::new(path, sub_assessment(path))).unwrap();
    let (main, sub) = (load("main.rules"), load("petition.rules"));
    let sub_facts =
        Facts::from_json(&sub, &sub_assessment("examples/petition-2026-05.json")).unwrap();
    let mut result: Value =
        serde_json::from_str(&sub.evaluate(&sub_facts).unwrap().to_json()).unwrap();
    // Two units' results removed from the sub-assessment.
    result["results"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["unit"] != "t3" && r["unit"] != "t1");
    let supplied = BTreeMap::from([("petition".to_owned(), result)]);
    let inputs = Inputs::from_json(&main, &supplied).unwrap();
    let facts = Facts::from_json(&main, &sub_assessment("examples/main-2026-05.json")).unwrap();
    let error = main
        .evaluate_with_inputs(&facts, &EvalOptions::default(), &inputs)
        .unwrap_err();
    // Each unit at each expression that reads the input (two rules read
    // it): the same message at another place is another error.
    let found: Vec<(String, usize)> = error
        .all()
        .map(|e| (e.message.clone(), e.span.unwrap().start))
        .collect();
    let lacks = |unit: &str| format!("has no result for unit `{unit}` in 2026-05");
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[..2].iter().all(|(m, _)| m.contains(&lacks("t1"))));
    assert!(found[2..].iter().all(|(m, _)| m.contains(&lacks("t3"))));
    assert!(found[0].1 < found[1].1 && found[2].1 < found[3].1);
}

/// A year summed from its periods is not summed for the unit whose period
/// failed (its sum would leave that period out): the year is not complete,
/// so nothing computed from the year's results runs — here a yearly notice
/// whose condition divides by zero for any total, which would add a second
/// error if the failed unit's year were summed from the periods it has.
#[test]
fn a_unit_whose_period_failed_gets_no_sum_of_periods() {
    let rules = ruleset(
        "annual [T-1] { from sum of periods [T-1] }",
        "notice odd \"异常\" of lead per year [T-1] { when 1 / (total - total) > 0 action \"异常\" }",
    );
    let one_unit = |records: &[R<'_>]| {
        let mut facts: Value = serde_json::from_str(&facts_json(records)).unwrap();
        facts["units"] = json!([{"id": "u1", "name": "甲", "group": "lead"}]);
        Facts::from_json(&rules, &facts.to_string()).unwrap()
    };
    let failing = [("a", "u1", "2027-01", "2027-01-04", "2027-01-08")];
    let error = rules.evaluate(&one_unit(&failing)).unwrap_err();
    assert_eq!(ids(&error), ["u1 2027-01 a"], "{:#?}", listed(&error));
    // The notice's own failure, where the year is whole: it is reported.
    let fine = [("d", "u1", "2026-03", "2026-03-02", "2026-03-04")];
    let error = rules.evaluate(&one_unit(&fine)).unwrap_err();
    assert!(
        error.all().any(|e| e.message.contains("division by zero")),
        "{:#?}",
        listed(&error)
    );
}
