#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Discretionary amounts within a stated range (issue 13 §6): `amount
//! discretion A to B` takes each record's `decided` value; the facts are
//! refused, each error at its JSON path, when the decision is outside the
//! range, missing where every record needs one, or given where no rule leaves
//! the amount to the office; a record a filtered rule counts without a
//! decision fails the evaluation; the result carries the decision and the
//! range. Values are hand-computed in the comments.

use kaohe::{FactError, Facts, Ruleset, SourceFile};
use serde_json::{json, Value};

const RULES: &str = include_str!("../../../tests/constructs/discretion/discretion.rules");

fn ruleset() -> Ruleset {
    Ruleset::from_source(SourceFile::new("discretion.rules", RULES))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// One department, one record.
fn facts(record: Value) -> Value {
    json!({
        "as_of": "2026-04-10",
        "units": [{"id": "a", "name": "甲局", "group": "department"}],
        "records": [record]
    })
}

fn errors(facts: &Value) -> Vec<FactError> {
    let ruleset = ruleset();
    let text = facts.to_string();
    let from_reader = Facts::from_reader(&ruleset, text.as_bytes());
    match Facts::from_json(&ruleset, &text) {
        Ok(_) => panic!("accepted:\n{facts:#}"),
        Err(e) => {
            assert_eq!(
                from_reader.as_ref().err(),
                Some(&e),
                "from_reader and from_json disagree"
            );
            e.errors
        }
    }
}

fn evaluate(facts: &Value) -> Result<Value, kaohe::EvalError> {
    let ruleset = ruleset();
    let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap_or_else(|e| panic!("{e}"));
    ruleset
        .evaluate(&facts)
        .map(|e| serde_json::from_str(&e.to_json()).unwrap())
}

fn incident(decided: Option<Value>) -> Value {
    let mut r = json!({"unit": "a", "period": "2026-03", "kind": "incident",
                       "reported": "2026-03-12", "attributes": {"what": "火情"}});
    if let Some(d) = decided {
        r["decided"] = d;
    }
    r
}

#[test]
fn the_decision_is_the_amount() {
    // 7 within 5–10, count 2: −14 from 100.
    let mut record = incident(Some(json!("7")));
    record["count"] = json!(2);
    let json = evaluate(&facts(record)).unwrap();
    let a = &json["results"][0];
    assert_eq!(a["total"], "86");
    let item = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "incident")
        .unwrap();
    assert_eq!(item["amount"], "-14");
    assert_eq!(
        item["records"][0]["discretion"],
        json!({"decided": "7", "from": "5", "to": "10"})
    );
    // Both ends of the range are inside it.
    for (decided, total) in [("5", "95"), ("10", "90"), ("7.50", "92.5")] {
        let json = evaluate(&facts(incident(Some(json!(decided))))).unwrap();
        assert_eq!(json["results"][0]["total"], total, "decided {decided}");
    }
}

#[test]
fn a_decision_outside_the_range_is_refused_at_its_path() {
    for decided in [json!(4.99), json!(11), json!("-1")] {
        let errors = errors(&facts(incident(Some(decided.clone()))));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].code, "kaohe::facts::decided_out_of_range");
        assert_eq!(errors[0].path, "$.records[0].decided");
        assert!(
            errors[0]
                .message
                .contains("range 5 to 10 of rule `incident`"),
            "{}",
            errors[0].message
        );
    }
}

#[test]
fn a_missing_decision_is_refused_where_every_record_needs_one() {
    let errors = errors(&facts(incident(None)));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "kaohe::facts::decided_missing");
    assert_eq!(errors[0].path, "$.records[0]");
    assert!(
        errors[0].message.contains("rule `incident`"),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_decision_no_rule_reads_is_refused() {
    // `petition` is counted by a discretionary rule (where serious): fine;
    // `innovation` too; a kind no such rule counts does not exist in this
    // ruleset, so take the Miluo ruleset's indicator.
    let miluo = Ruleset::from_source(SourceFile::new(
        "miluo-2026.rules",
        include_str!("../../../rulesets/miluo-2026/miluo-2026.rules"),
    ))
    .unwrap();
    let text = json!({
        "as_of": "2026-05-20",
        "units": [{"id": "jtj", "name": "教体局", "group": "lead"}],
        "records": [{"unit": "jtj", "period": "2026-04", "kind": "indicator", "reported": "2026-04-14",
                     "decided": 3,
                     "attributes": {"name": "x", "level": "provincial", "required": 30, "actual": 0}}]
    })
    .to_string();
    let errors = Facts::from_json(&miluo, &text).unwrap_err().errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "kaohe::facts::decided_without_discretion");
    assert_eq!(errors[0].path, "$.records[0].decided");
}

#[test]
fn a_decision_that_is_not_a_number_is_refused() {
    for decided in [json!("seven"), json!(true), json!(null)] {
        let errors = errors(&facts(incident(Some(decided))));
        assert_eq!(errors[0].code, "kaohe::facts::wrong_type", "{errors:?}");
        assert_eq!(errors[0].path, "$.records[0].decided");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut json = facts(incident(Some(json!(12))));
    json["records"].as_array_mut().unwrap().push(incident(None));
    let errors = errors(&json);
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["$.records[0].decided", "$.records[1]"],
        "{errors:?}"
    );
}

#[test]
fn a_filtered_rule_needs_a_decision_only_for_the_records_it_counts() {
    // A petition that is not serious is not counted: no decision needed.
    let minor = json!({"unit": "a", "period": "2026-03", "kind": "petition", "reported": "2026-03-05",
                       "attributes": {"case": "x", "serious": false, "closed": false}});
    let json = evaluate(&facts(minor)).unwrap();
    assert_eq!(json["results"][0]["total"], "100");
    // A serious one without a decision fails the evaluation, naming the rule.
    let serious = json!({"unit": "a", "period": "2026-03", "kind": "petition", "reported": "2026-03-05",
                         "attributes": {"case": "x", "serious": true, "closed": false}});
    let error = evaluate(&facts(serious)).unwrap_err();
    assert!(
        error
            .message
            .contains("has no `decided` amount, but rule `petition` leaves 1 to 3"),
        "{error}"
    );
    assert_eq!(error.unit, "a");
    assert!(error.location.is_some(), "located in the ruleset");
}

/// Two groups scored by blocks of their own, each leaving the same kind's
/// amount to the office within a range of its own ("乡镇酌情扣1至3分，部门酌情
/// 扣5至10分"): a decision is read when it lies within one of the ranges,
/// whatever the order of the file, and the evaluation holds each unit to its
/// own block's range.
#[test]
fn with_score_of_blocks_each_unit_is_held_to_its_own_block_s_range() {
    let ruleset = two_blocks("amount discretion 1 to 3", "amount discretion 5 to 10");
    let facts = town_and_department;
    let total = |ev: &kaohe::Evaluation, unit: &str| {
        ev.results
            .iter()
            .find(|r| r.unit.as_str() == unit)
            .map(|r| r.total.to_string())
            .unwrap()
    };
    // Each within its own range: 100 − 2 = 98 and 100 − 7 = 93.
    let ok = Facts::from_json(&ruleset, &facts(2, 7).to_string()).unwrap_or_else(|e| panic!("{e}"));
    let ev = ruleset.evaluate(&ok).unwrap();
    assert_eq!(total(&ev, "t"), "98");
    assert_eq!(total(&ev, "d"), "93");
    // The department's 2 lies in the township's range only: read, then
    // refused when the department's rule applies it.
    let within_other = Facts::from_json(&ruleset, &facts(2, 2).to_string()).unwrap();
    let err = ruleset.evaluate(&within_other).unwrap_err();
    assert!(
        err.to_string().contains("outside the range 5 to 10"),
        "{err}"
    );
    assert!(err.to_string().contains("found_dept"), "{err}");
    // Outside every range (second breaker's item 4): with `score of` blocks
    // the range is the unit's own block's, so it is checked at evaluation
    // (reading would have to cite some block's rule, perhaps another unit's),
    // before scoring, and both records are reported at once, each with its
    // own block's rule: the township's 4 (1 to 3) and the department's 11.
    let bad = Facts::from_json(&ruleset, &facts(4, 11).to_string()).unwrap();
    let err = ruleset.evaluate(&bad).unwrap_err();
    let all: Vec<String> = err.all().map(ToString::to_string).collect();
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().any(|e| e.contains("decided amount 4")
        && e.contains("range 1 to 3 of rule `found` of the block `score of township`")));
    assert!(all.iter().any(|e| e.contains("decided amount 11")
        && e.contains("range 5 to 10 of rule `found_dept` of the block `score of department`")));
    let records = kaohe::error::ErrorList::of(&err);
    assert_eq!(records.errors.len(), 2);
}

/// A `decided` on a record whose unit's OWN block has no discretionary rule
/// counting its kind (second breaker's item 4): it was accepted and ignored
/// (`decided: 7`, within the other block's range) or refused citing the
/// other block's rule (`decided: 2`). Refused at evaluation, naming the
/// unit's block, whatever the value.
#[test]
fn a_decision_on_a_unit_whose_block_fixes_the_amount_is_refused() {
    let ruleset = two_blocks("amount discretion 5 to 10", "amount 1");
    for decided in [7, 2] {
        let facts = town_and_department(6, decided);
        let facts =
            Facts::from_json(&ruleset, &facts.to_string()).unwrap_or_else(|e| panic!("{e}"));
        let err = ruleset.evaluate(&facts).unwrap_err();
        assert!(err.also.is_none(), "{err:?}");
        assert_eq!(err.unit, "d");
        assert_eq!(
            err.message,
            format!("the `incident` record reported 2026-03-05 gives the decided amount {decided}, but no rule of the block `score of department`, which scores unit `d` (group `department`), leaves the amount of `incident` to the office's discretion; remove `decided` (that block fixes the amount)")
        );
        assert_eq!(
            err.record.as_ref().and_then(|r| r.path.as_deref()),
            Some("$.records[1]")
        );
        assert!(err.location.is_some());
    }
}

/// Townships and departments, each scored by a block of its own whose one
/// rule counts `incident` with the given amount line (`amount discretion 1
/// to 3`, `amount 1`).
fn two_blocks(township: &str, department: &str) -> Ruleset {
    let rules = format!(
        r#"
ruleset two_blocks_2026 {{
  title "两档酌定" issuer "示例" source "tests/discretion.rs"
  effective 2026-01-01 to 2026-12-31
}}
group township "乡镇" [X-1] {{}}
group department "部门" [X-1] {{}}
record incident "问题" {{ what: text "事由" }}
period month [X-2] {{ amendable [X-2] }}
score of township [X-3] {{
  base 100 [X-3]
  category work "工作" [X-3] {{
    deduct found "发现问题" [X-3] {{
      per incident
      {township}
    }}
  }}
}}
score of department [X-4] {{
  base 100 [X-4]
  category work "工作" [X-4] {{
    deduct found_dept "发现问题" [X-4] {{
      per incident
      {department}
    }}
  }}
}}
"#
    );
    Ruleset::from_source(SourceFile::new("two.rules", &rules)).unwrap_or_else(|e| panic!("{e}"))
}

/// One township `t` and one department `d`, each with one March incident
/// whose `decided` amount is given.
fn town_and_department(town: u32, department: u32) -> serde_json::Value {
    json!({
        "as_of": "2026-04-10",
        "units": [
            {"id": "t", "name": "甲镇", "group": "township"},
            {"id": "d", "name": "乙局", "group": "department"}
        ],
        "records": [
            {"unit": "t", "period": "2026-03", "kind": "incident", "reported": "2026-03-05",
             "attributes": {"what": "x"}, "decided": town},
            {"unit": "d", "period": "2026-03", "kind": "incident", "reported": "2026-03-05",
             "attributes": {"what": "y"}, "decided": department}
        ]
    })
}

/// A record counted by two discretionary rules must fit both ranges: the
/// fact file and the block check accept a decision within either (5–10 or
/// 1–3 here), and the evaluation refuses it at the rule whose range it is
/// outside; within both ends it is the amount of each (mutation shard 2/24:
/// the evaluator's own range check turned off went unnoticed).
#[test]
fn a_decision_must_fit_every_rule_that_counts_the_record() {
    let from = "      per incident\n      amount discretion 5 to 10\n    }\n";
    assert_eq!(RULES.matches(from).count(), 1);
    let text = RULES.replacen(
        from,
        &format!("{from}    deduct incident_also \"事故（另计）\" [DC-4] {{\n      per incident\n      amount discretion 1 to 6\n    }}\n"),
        1,
    );
    let ruleset = Ruleset::from_source(SourceFile::new("discretion.rules", text))
        .unwrap_or_else(|e| panic!("{e}"));
    for (decided, outcome) in [
        ("5", Ok("90")),
        ("6", Ok("88")),
        ("3", Err("outside the range 5 to 10 of rule `incident`")),
        ("7", Err("outside the range 1 to 6 of rule `incident_also`")),
    ] {
        let json = facts(incident(Some(json!(decided)))).to_string();
        let facts = Facts::from_json(&ruleset, &json).unwrap_or_else(|e| panic!("{decided}: {e}"));
        match (ruleset.evaluate(&facts), outcome) {
            (Ok(evaluation), Ok(total)) => {
                assert_eq!(evaluation.results[0].total.to_string(), total, "{decided}");
            }
            (Err(error), Err(message)) => {
                assert!(
                    error.message.contains(message),
                    "{decided}: {}",
                    error.message
                );
                assert_eq!(error.all().count(), 1, "{decided}");
            }
            (outcome, _) => panic!(
                "{decided}: {:?}",
                outcome.map(|e| e.results[0].total.to_string())
            ),
        }
    }
}
