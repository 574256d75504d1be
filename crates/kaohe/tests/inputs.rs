#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Inputs from sub-assessments (issue 13 §11) through the library: the
//! sub-ruleset's evaluation JSON checked against the `input` declaration
//! (errors as data with JSON paths, all at once), read as `x.total` /
//! `x.rank`, its provenance kept; a unit it does not cover is an evaluation
//! error at the expression, never an absent value.

#[path = "../../../tests/inputs/sub-assessment/fixture.rs"]
mod fixture;

use std::collections::BTreeMap;

use fixture::{file, ruleset};
use kaohe::input::Inputs;
use kaohe::{EvalOptions, Facts, Ruleset};
use serde_json::{json, Value};

fn facts(ruleset: &Ruleset, json: &str) -> Facts {
    Facts::from_json(ruleset, json).unwrap()
}

/// The petition assessment's evaluation JSON.
fn petition() -> Value {
    fixture::petition("examples/petition-2026-05.json")
}

fn supplied(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn codes(main: &Ruleset, pairs: &[(&str, Value)]) -> Vec<(String, String)> {
    Inputs::from_json(main, &supplied(pairs))
        .unwrap_err()
        .into_iter()
        .map(|e| (e.code.to_owned(), e.path))
        .collect()
}

/// `main.rules` over the main facts of May 2026, the petition
/// sub-assessment's result `sub` supplied as its input.
fn may_with(main: &Ruleset, sub: Value) -> Result<kaohe::Evaluation, kaohe::EvalError> {
    let inputs = Inputs::from_json(main, &supplied(&[("petition", sub)])).unwrap();
    main.evaluate_with_inputs(
        &facts(main, &file("examples/main-2026-05.json")),
        &EvalOptions::default(),
        &inputs,
    )
}

#[test]
fn totals_and_ranks_are_read_with_their_provenance() {
    let main = ruleset("main.rules");
    let sub = petition();
    let evaluation = may_with(&main, sub.clone()).unwrap();
    let totals: Vec<(String, String)> = evaluation
        .results
        .iter()
        .map(|r| (r.unit.to_string(), r.total.to_string()))
        .collect();
    // 100 → +1 (first); 95 → −0.5; 85 → −1.5.
    assert_eq!(
        totals,
        [
            ("t1".to_owned(), "101".to_owned()),
            ("t2".to_owned(), "99.5".to_owned()),
            ("t3".to_owned(), "98.5".to_owned()),
        ]
    );
    let info = &evaluation.inputs[0];
    assert_eq!(info.ruleset, "petition_2026");
    assert_eq!(info.ruleset_hash, sub["ruleset"]["hash"]);
    assert_eq!(info.facts_hash, sub["facts"]["hash"]);
    let line = evaluation.results[0]
        .items
        .iter()
        .find(|i| i.rule.as_deref() == Some("petition_first"))
        .unwrap();
    assert_eq!(line.inputs.len(), 1);
    assert_eq!(line.inputs[0].as_str(), "petition");
}

#[test]
fn a_supplied_input_is_checked_against_its_declaration() {
    let main = ruleset("main.rules");
    assert_eq!(
        codes(&main, &[]),
        [(
            "kaohe::input::missing".to_owned(),
            "$.inputs.petition".to_owned()
        )]
    );
    let mut other = petition();
    other["ruleset"]["id"] = json!("main_2026");
    assert_eq!(
        codes(&main, &[("petition", other), ("extra", petition())]),
        [
            (
                "kaohe::input::undeclared".to_owned(),
                "$.inputs.extra".to_owned()
            ),
            (
                "kaohe::input::wrong_ruleset".to_owned(),
                "$.inputs.petition.ruleset.id".to_owned()
            ),
        ]
    );
    let mut no_total = petition();
    no_total["results"][1]
        .as_object_mut()
        .unwrap()
        .remove("total");
    assert_eq!(
        codes(&main, &[("petition", no_total)]),
        [(
            "kaohe::input::malformed".to_owned(),
            "$.inputs.petition.results[1].total".to_owned()
        )]
    );
}

#[test]
fn a_unit_the_input_does_not_cover_is_an_error_at_the_expression() {
    let main = ruleset("main.rules");
    let mut sub = petition();
    // t3's result removed from the sub-assessment.
    sub["results"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["unit"] != "t3");
    let error = may_with(&main, sub).unwrap_err();
    assert!(
        error
            .message
            .contains("has no result for unit `t3` in 2026-05"),
        "{error}"
    );
    assert!(error.span.is_some());
    // Evaluated without inputs at all: refused at the expression too.
    let error = main
        .evaluate(&facts(&main, &file("examples/main-2026-05.json")))
        .unwrap_err();
    assert!(
        error.message.contains("input `petition` is not supplied"),
        "{error}"
    );
}

/// A sub-assessment that ranks a unit in two rankings: `petition.rank`
/// would not say which, so reading it is an error at the expression (the
/// first ranking's rank used to be taken silently); its total is still read.
#[test]
fn a_rank_from_two_rankings_is_refused_when_read() {
    let main = ruleset("main.rules");
    let mut sub = petition();
    let mut second = sub["rankings"][0].clone();
    second["ranking"] = Value::from("by_speed");
    sub["rankings"].as_array_mut().unwrap().push(second);
    let error = may_with(&main, sub).unwrap_err();
    assert!(
        error
            .message
            .contains("in 2 rankings in 2026-05: `petition.rank` does not say which"),
        "{error}"
    );
    assert!(error.span.is_some());
}

/// The petition assessment evaluated while its May is still open (`as_of`
/// 2026-05-31): its results are provisional.
fn provisional_petition() -> Value {
    let sub = ruleset("petition.rules");
    let evaluation = sub
        .evaluate(&facts(
            &sub,
            &file("examples/petition-2026-05-provisional.json"),
        ))
        .unwrap();
    assert!(evaluation.results.iter().all(|r| r.provisional));
    serde_json::from_str(&evaluation.to_json()).unwrap()
}

/// A main result built on a provisional sub-result is provisional, though the
/// main facts' `as_of` (2026-06-10) is after May: it used to be reported final
/// (breaker's item 1, a silent wrong result). Its provenance says which
/// periods of the input were provisional; a final input leaves it final.
#[test]
fn a_result_read_from_a_provisional_input_is_provisional() {
    let main = ruleset("main.rules");
    let evaluate = |sub: Value| may_with(&main, sub).unwrap();
    let provisional = evaluate(provisional_petition());
    assert_eq!(provisional.results.len(), 3);
    assert!(provisional.results.iter().all(|r| r.provisional));
    assert!(provisional.rankings.iter().all(|r| r.provisional));
    assert_eq!(provisional.inputs[0].provisional, ["2026-05"]);
    let json: Value = serde_json::from_str(&provisional.to_json()).unwrap();
    assert_eq!(json["results"][0]["provisional"], true);
    assert_eq!(json["inputs"][0]["provisional"], json!(["2026-05"]));

    let final_ = evaluate(petition());
    assert!(final_.results.iter().all(|r| !r.provisional));
    assert!(final_.inputs[0].provisional.is_empty());
    let json: Value = serde_json::from_str(&final_.to_json()).unwrap();
    assert!(json["inputs"][0].get("provisional").is_none());
}

/// The same through the embedding API's `inputs` option.
#[test]
fn the_api_marks_a_result_on_a_provisional_input_provisional() {
    let main = kaohe::api::compile("main.rules", &file("main.rules")).unwrap();
    let options = json!({ "inputs": { "petition": provisional_petition() } }).to_string();
    let out = kaohe::api::evaluate(&main, &file("examples/main-2026-05.json"), &options).unwrap();
    let json: Value = serde_json::from_str(&out).unwrap();
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|r| r["provisional"] == true), "{out}");
    let options = json!({ "inputs": { "petition": petition() } }).to_string();
    let out = kaohe::api::evaluate(&main, &file("examples/main-2026-05.json"), &options).unwrap();
    let json: Value = serde_json::from_str(&out).unwrap();
    assert!(json["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("provisional").is_none()));
}
