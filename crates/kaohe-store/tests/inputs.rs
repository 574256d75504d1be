//! Sealing a ruleset with `input`s (issue 13 §11; breaker's item 3): the seal
//! keeps each input's provenance and the sealed period's sub-results under
//! its hash; later evaluations read the sealed sub-results for the sealed
//! period whatever is supplied; the audit re-evaluates from the store alone
//! and catches a stored input edited by hand; a provisional input cannot be
//! sealed; a seal without inputs keeps the hash it always had.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "../../../tests/inputs/sub-assessment/fixture.rs"]
mod fixture;

use std::collections::BTreeMap;

use common::{codes, db};
use fixture::{file, petition, ruleset};
use kaohe::{EvalOptions, Facts, Period};
use kaohe_store::{Store, StoreFailure};
use serde_json::Value;

fn inputs(petition: Value) -> BTreeMap<String, Value> {
    [("petition".to_owned(), petition)].into_iter().collect()
}

fn may() -> Period {
    "2026-05".parse().unwrap()
}

fn total(evaluation: &kaohe::Evaluation, unit: &str) -> String {
    evaluation
        .results
        .iter()
        .find(|r| r.unit.as_str() == unit && r.period == may())
        .unwrap()
        .total
        .to_string()
}

#[test]
fn a_period_read_from_an_input_is_sealed_with_its_provenance() {
    let main = ruleset("main.rules");
    let facts = Facts::from_json(&main, &file("examples/main-2026-05.json")).unwrap();
    let path = db("inputs-sealed");
    let mut store = Store::open(&path).unwrap();
    let sub = petition("examples/petition-2026-05.json");
    let sealed = store
        .seal_with_inputs(&main, &facts, may(), &inputs(sub.clone()))
        .unwrap();
    let provenance = &sealed.seal.inputs;
    assert_eq!(provenance.len(), 1);
    assert_eq!(provenance[0].input, "petition");
    assert_eq!(provenance[0].ruleset, "petition_2026");
    assert_eq!(provenance[0].ruleset_hash, sub["ruleset"]["hash"]);
    assert_eq!(provenance[0].facts_hash, sub["facts"]["hash"]);
    assert_eq!(total(&sealed.evaluation, "t3"), "98.5");
    // Read back, and audited from the store alone.
    assert_eq!(store.seals().unwrap()[0].inputs, *provenance);
    let audit = store.audit();
    assert!(audit.errors.is_empty(), "{:?}", audit.errors);

    // A sub-assessment whose May changed afterwards: May is sealed, and reads
    // what it read when sealed (t3's petition total 85 → 98.5).
    let mut changed = sub.clone();
    for r in changed["results"].as_array_mut().unwrap() {
        if r["unit"] == "t3" {
            r["total"] = Value::from("100");
        }
    }
    let later = store
        .evaluate_with_inputs(&main, &facts, &EvalOptions::default(), &inputs(changed))
        .unwrap();
    assert_eq!(total(&later, "t3"), "98.5");

    // Without the input: May reads the sealed sub-results (no other period
    // reads the input here).
    let alone = store.evaluate(&main, &facts).unwrap();
    assert_eq!(total(&alone, "t3"), "98.5");
    assert_eq!(alone.inputs[0].facts_hash, sub["facts"]["hash"]);
    // A fresh store without the input: refused with the input's own code.
    let failure = Store::open(&db("inputs-fresh"))
        .unwrap()
        .evaluate(&main, &facts)
        .unwrap_err();
    assert_eq!(codes(&failure), ["kaohe::input::missing"]);

    // The stored sub-result edited by hand: caught by the hash and by the
    // re-evaluation.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let edited = conn
        .execute(
            r#"UPDATE seal_inputs SET inputs = replace(inputs, '"total":"85"', '"total":"95"')"#,
            [],
        )
        .unwrap();
    assert_eq!(edited, 1);
    let audit = store.audit();
    let found: Vec<&str> = audit.errors.iter().map(|e| e.code).collect();
    assert_eq!(
        found,
        ["kaohe::store::tampered", "kaohe::store::results_differ"],
        "{:?}",
        audit.errors
    );
    // The row deleted: the hash still covers it.
    conn.execute("DELETE FROM seal_inputs", []).unwrap();
    let audit = store.audit();
    assert!(audit
        .errors
        .iter()
        .any(|e| e.code == "kaohe::store::tampered"));
}

#[test]
fn a_period_on_a_provisional_input_is_not_sealed() {
    let main = ruleset("main.rules");
    let facts = Facts::from_json(&main, &file("examples/main-2026-05.json")).unwrap();
    let mut store = Store::open(&db("inputs-provisional")).unwrap();
    let failure = store
        .seal_with_inputs(
            &main,
            &facts,
            may(),
            &inputs(petition("examples/petition-2026-05-provisional.json")),
        )
        .unwrap_err();
    assert_eq!(codes(&failure), ["kaohe::store::provisional"]);
    let StoreFailure::Store(errors) = failure else {
        unreachable!()
    };
    assert!(
        errors[0]
            .message
            .contains("it reads input `petition`, whose sub-assessment is provisional in 2026-05"),
        "{}",
        errors[0].message
    );
    assert!(store.seals().unwrap().is_empty());
}
