//! The store of sealed periods (issue 17 §2) on the shipped Miluo ruleset:
//! sealing, refusals, later evaluations with contradicting facts, and the
//! audit catching rows edited by hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{codes, db};
use kaohe::{Facts, Period, Ruleset, SourceFile};
use kaohe_store::{Store, StoreFailure};
use serde_json::{json, Value};

const RULES: &str = include_str!("../../../rulesets/miluo-2026/miluo-2026.rules");
const MAY: &str = include_str!("../../../rulesets/miluo-2026/examples/2026-05.json");

fn ruleset() -> Ruleset {
    Ruleset::from_source(SourceFile::new("miluo-2026.rules", RULES)).unwrap()
}

fn may_json() -> Value {
    serde_json::from_str(MAY).unwrap()
}

fn facts(ruleset: &Ruleset, json: &Value) -> Facts {
    Facts::from_json(ruleset, &json.to_string()).unwrap()
}

fn april() -> Period {
    "2026-04".parse().unwrap()
}

/// The April results and rankings of an evaluation, as JSON.
fn april_json(evaluation: &kaohe::Evaluation) -> String {
    let e = evaluation.clone().select(&kaohe::eval::result::Selection {
        period: Some(april()),
        unit: None,
    });
    serde_json::to_string(&(e.results, e.rankings)).unwrap()
}

#[test]
fn a_sealed_period_evaluates_as_before_and_cannot_be_sealed_twice() {
    let ruleset = ruleset();
    let facts = facts(&ruleset, &may_json());
    let mut store = Store::open(&db("twice")).unwrap();
    let sealed = store.seal(&ruleset, &facts, april()).unwrap();
    assert_eq!(sealed.seal.seq, 1);
    assert_eq!(sealed.seal.prev_hash, kaohe_store::GENESIS);
    assert!(sealed.seal.hash.starts_with("sha256:"));
    let april_records = may_json()["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["period"] == "2026-04")
        .count();
    assert_eq!(sealed.seal.records, april_records as i64);
    let plain = ruleset.evaluate(&facts).unwrap();
    let later = store.evaluate(&ruleset, &facts).unwrap();
    assert_eq!(later.results, plain.results);
    assert_eq!(later.rejected, plain.rejected);
    let again = store.seal(&ruleset, &facts, april()).unwrap_err();
    assert_eq!(codes(&again), ["kaohe::store::already_sealed"]);
    assert!(again.to_string().contains("seal #1"), "{again}");
    let audit = store.audit();
    assert!(audit.errors.is_empty(), "{:?}", audit.errors);
    assert_eq!(audit.head, sealed.seal.hash);
}

#[test]
fn a_contradicting_upload_leaves_the_sealed_month_unchanged() {
    let ruleset = ruleset();
    let original = may_json();
    let facts0 = facts(&ruleset, &original);
    let mut store = Store::open(&db("contradict")).unwrap();
    store.seal(&ruleset, &facts0, april()).unwrap();
    let before = april_json(&ruleset.evaluate(&facts0).unwrap());

    // Changed: 教体局's April indicator now on target; removed: the first
    // other April record; added: a new April indicator behind.
    let mut json = original.clone();
    let records = json["records"].as_array_mut().unwrap();
    let jtj = records
        .iter()
        .position(|r| r["id"] == "jtj-p01-2026-04")
        .unwrap();
    records[jtj]["attributes"]["actual"] = json!(30);
    let removed = records
        .iter()
        .position(|r| r["period"] == "2026-04" && r["id"] != "jtj-p01-2026-04")
        .unwrap();
    let removed_unit = records[removed]["unit"].as_str().unwrap().to_owned();
    records.remove(removed);
    records.push(
        json!({"unit": "cgj", "period": "2026-04", "kind": "indicator", "reported": "2026-04-20",
        "attributes": {"name": "新增指标", "level": "provincial", "required": 30, "actual": 0}}),
    );
    let changed = facts(&ruleset, &json);
    // Without the store, April would change.
    assert_ne!(april_json(&ruleset.evaluate(&changed).unwrap()), before);

    let later = store.evaluate(&ruleset, &changed).unwrap();
    assert_eq!(april_json(&later), before, "the sealed month never changes");
    let store_rejections: Vec<_> = later
        .rejected
        .iter()
        .filter(|r| r.reason.contains("seal #1"))
        .collect();
    assert_eq!(store_rejections.len(), 3, "{store_rejections:#?}");
    assert!(store_rejections
        .iter()
        .any(|r| r.unit == "jtj" && r.reason.contains("(changed)")));
    assert!(store_rejections
        .iter()
        .any(|r| r.unit == "cgj" && r.reason.contains("(added)")));
    assert!(store_rejections
        .iter()
        .any(|r| r.unit == removed_unit.as_str()
            && r.reason.contains("missing from the submitted facts")));
    // May is evaluated with April's sealed records (yellow cards for units
    // behind in both months, ML-A7): as with the original facts.
    let may: Period = "2026-05".parse().unwrap();
    let plain = ruleset.evaluate(&facts0).unwrap();
    let may_of = |e: &kaohe::Evaluation| {
        serde_json::to_string(
            &e.results
                .iter()
                .filter(|r| r.period == may)
                .collect::<Vec<_>>(),
        )
        .unwrap()
    };
    assert_eq!(may_of(&later), may_of(&plain));
}

#[test]
fn periods_are_sealed_in_order_and_only_when_final() {
    let ruleset = ruleset();
    let mut json = may_json();
    json["as_of"] = json!("2026-06-20");
    let late = facts(&ruleset, &json);
    let mut store = Store::open(&db("order")).unwrap();
    let may: Period = "2026-05".parse().unwrap();
    let first = store.seal(&ruleset, &late, may).unwrap_err();
    assert_eq!(codes(&first), ["kaohe::store::out_of_order"]);
    assert!(
        first.to_string().contains("seal 2026-04 first")
            || format!("{first:?}").contains("seal 2026-04 first")
    );

    let early = facts(&ruleset, &may_json());
    store.seal(&ruleset, &early, april()).unwrap();
    let provisional = store.seal(&ruleset, &early, may).unwrap_err();
    assert_eq!(codes(&provisional), ["kaohe::store::provisional"]);
    let sealed = store.seal(&ruleset, &late, may).unwrap();
    assert_eq!(sealed.seal.seq, 2);
    let back = store
        .seal(&ruleset, &late, "2026-03".parse().unwrap())
        .unwrap_err();
    assert_eq!(codes(&back), ["kaohe::store::out_of_order"]);
    let quarter = store
        .seal(&ruleset, &late, "2026-Q2".parse().unwrap())
        .unwrap_err();
    assert_eq!(codes(&quarter), ["kaohe::store::wrong_period"]);
    let nothing = store
        .seal(&ruleset, &late, "2026-06".parse().unwrap())
        .unwrap_err();
    assert_eq!(codes(&nothing), ["kaohe::store::nothing_to_seal"]);
    assert_eq!(store.audit().errors, []);
    assert_eq!(store.audit().seals.len(), 2);
}

#[test]
fn a_changed_ruleset_is_refused_naming_the_seal() {
    let ruleset = ruleset();
    let facts0 = facts(&ruleset, &may_json());
    let mut store = Store::open(&db("ruleset")).unwrap();
    store.seal(&ruleset, &facts0, april()).unwrap();
    // A harmless change (a comment) keeps the results: accepted.
    let commented =
        Ruleset::from_source(SourceFile::new("m.rules", format!("{RULES}\n// note\n"))).unwrap();
    let facts1 = facts(&commented, &may_json());
    assert!(store.evaluate(&commented, &facts1).is_ok());
    // A changed amount would change April: refused.
    let text = RULES.replacen("amount 5", "amount 6", 1);
    assert_ne!(text, RULES);
    let changed = Ruleset::from_source(SourceFile::new("m.rules", text)).unwrap();
    let facts2 = facts(&changed, &may_json());
    let refused = store.evaluate(&changed, &facts2).unwrap_err();
    assert_eq!(codes(&refused), ["kaohe::store::sealed_result_differs"]);
    let message = refused.to_string();
    assert!(
        message.contains("seal #1") && message.contains("the ruleset has changed"),
        "{message}"
    );
}

#[test]
fn a_unit_missing_from_later_facts_is_named_once_not_per_record() {
    // Found by the breaker: facts without a sealed unit gave one
    // `unreadable_seal` per sealed record ("the database was edited by
    // hand"), none naming the cause.
    let ruleset = ruleset();
    let facts0 = facts(&ruleset, &may_json());
    let mut store = Store::open(&db("missing-unit")).unwrap();
    store.seal(&ruleset, &facts0, april()).unwrap();
    let mut json = may_json();
    let gone = json["units"][0]["id"].as_str().unwrap().to_owned();
    json["units"].as_array_mut().unwrap().remove(0);
    json["records"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["unit"] != gone.as_str());
    let refused = store
        .evaluate(&ruleset, &facts(&ruleset, &json))
        .unwrap_err();
    assert_eq!(codes(&refused), ["kaohe::store::sealed_result_differs"]);
    let message = refused.to_string();
    assert!(
        message.contains(&format!("`{gone}`")) && message.contains("2026-04"),
        "{message}"
    );
}

/// Runs one SQL statement on the database, as someone with the file would.
fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
}

fn sealed_twice(name: &str) -> PathBuf {
    let ruleset = ruleset();
    let path = db(name);
    let mut store = Store::open(&path).unwrap();
    let mut json = may_json();
    json["as_of"] = json!("2026-06-20");
    let facts = facts(&ruleset, &json);
    store.seal(&ruleset, &facts, april()).unwrap();
    store
        .seal(&ruleset, &facts, "2026-05".parse().unwrap())
        .unwrap();
    assert_eq!(store.audit().errors, []);
    path
}

/// April and May sealed in a database `name`, then `sql` run on it: the
/// audit finds every `(code, seal)` of `expected` (and maybe more) and
/// fails a seal. Returns the database's path.
fn audit_finds(name: &str, sql: &str, expected: &[(&str, Option<i64>)]) -> PathBuf {
    let path = sealed_twice(name);
    tamper(&path, sql);
    let audit = Store::open(&path).unwrap().audit();
    assert!(audit.seals.iter().any(|s| !s.ok) || audit.seals.len() < 2);
    let found: Vec<(&str, Option<i64>)> = audit.errors.iter().map(|e| (e.code, e.seal)).collect();
    for code in expected {
        assert!(found.contains(code), "{code:?} not in {found:?}");
    }
    path
}

#[test]
fn the_audit_catches_an_edited_record_value() {
    let path = audit_finds(
        "value",
        r#"UPDATE records SET record = replace(record, '"actual":"0"', '"actual":"30"')
           WHERE seal = 1 AND record LIKE '%jtj-p01-2026-04%'"#,
        &[
            ("kaohe::store::tampered", Some(1)),
            ("kaohe::store::results_differ", Some(1)),
        ],
    );
    // A later evaluation does not use the edited seal either.
    let ruleset = ruleset();
    let refused = Store::open(&path)
        .unwrap()
        .evaluate(&ruleset, &facts(&ruleset, &may_json()))
        .unwrap_err();
    let refused: Vec<_> = refused.store_errors().iter().map(|e| e.code).collect();
    assert_eq!(refused, ["kaohe::store::tampered"]);
}

#[test]
fn the_audit_catches_an_edited_result() {
    audit_finds(
        "result",
        r#"UPDATE seals SET results = replace(results, '"total":"95"', '"total":"99"') WHERE seq = 1"#,
        &[
            ("kaohe::store::tampered", Some(1)),
            ("kaohe::store::results_differ", Some(1)),
        ],
    );
}

#[test]
fn the_audit_catches_an_edited_hash() {
    audit_finds(
        "hash",
        "UPDATE seals SET hash = 'sha256:' || substr(hash, 9) || '0' WHERE seq = 1",
        &[
            ("kaohe::store::tampered", Some(1)),
            ("kaohe::store::chain_broken", Some(2)),
        ],
    );
}

#[test]
fn the_audit_catches_a_deleted_seal() {
    audit_finds(
        "deleted",
        "PRAGMA foreign_keys = OFF; DELETE FROM seals WHERE seq = 1;",
        &[
            ("kaohe::store::chain_broken", Some(1)),
            ("kaohe::store::chain_broken", Some(2)),
        ],
    );
}

#[test]
fn the_audit_catches_a_deleted_record_row() {
    audit_finds(
        "row",
        "DELETE FROM records WHERE seal = 2 AND position = 0",
        &[("kaohe::store::tampered", Some(2))],
    );
}

const EXAMPLE_RULES: &str = include_str!("../../../rulesets/example-county/example-county.rules");
const EXAMPLE_2027: &str = include_str!("../../../rulesets/example-county/examples/2027.json");

/// The invented county's quarters (`late carried`): a late Q1 record bears
/// on Q2, the quarter it arrived in, so Q2's seal holds it and Q1's does not;
/// a sealed quarter's discretionary order cannot change.
#[test]
fn late_carried_records_belong_to_the_quarter_they_arrived_in() {
    let ruleset =
        Ruleset::from_source(SourceFile::new("example-county.rules", EXAMPLE_RULES)).unwrap();
    let json: Value = serde_json::from_str(EXAMPLE_2027).unwrap();
    let all = facts(&ruleset, &json);
    let records = json["records"].as_array().unwrap();
    let late_q1 = records
        .iter()
        .filter(|r| r["period"] == "2027-Q1" && r["reported"].as_str().unwrap() > "2027-04-10")
        .count();
    assert_eq!(late_q1, 1, "the example has one late Q1 record");
    // The quarter a record bears on, worked out by hand: `seal 10 days
    // after end`, `late carried` into the quarter of its `reported` day
    // (2027 only: a record arriving in 2028 stays, rejected, in its own).
    let seal_of = |q: &str| match q {
        "2027-Q1" => "2027-04-10",
        "2027-Q2" => "2027-07-10",
        "2027-Q3" => "2027-10-10",
        _ => "2028-01-10",
    };
    let bears_on = |r: &Value| -> String {
        let period = r["period"].as_str().unwrap();
        let reported = r["reported"].as_str().unwrap();
        if reported <= seal_of(period) || !reported.starts_with("2027") {
            return period.to_owned();
        }
        let month: u32 = reported[5..7].parse().unwrap();
        format!("2027-Q{}", (month - 1) / 3 + 1)
    };
    let of = |q: &str| records.iter().filter(|r| bears_on(r) == q).count() as i64;
    assert_ne!(
        of("2027-Q1"),
        records.iter().filter(|r| r["period"] == "2027-Q1").count() as i64
    );
    let mut store = Store::open(&db("carried")).unwrap();
    let q1 = store
        .seal(&ruleset, &all, "2027-Q1".parse().unwrap())
        .unwrap();
    assert_eq!(q1.seal.records, of("2027-Q1"));
    let q2 = store
        .seal(&ruleset, &all, "2027-Q2".parse().unwrap())
        .unwrap();
    assert_eq!(
        q2.seal.records,
        of("2027-Q2"),
        "Q2's own records and the one carried in, not the one carried out"
    );
    store
        .seal(&ruleset, &all, "2027-Q3".parse().unwrap())
        .unwrap();
    store
        .seal(&ruleset, &all, "2027-Q4".parse().unwrap())
        .unwrap();
    assert_eq!(store.audit().errors, []);

    // The same facts, in another order: the plain evaluation, byte for byte.
    let mut reversed = json.clone();
    reversed["records"].as_array_mut().unwrap().reverse();
    reversed["units"].as_array_mut().unwrap().reverse();
    let later = store
        .evaluate(&ruleset, &facts(&ruleset, &reversed))
        .unwrap();
    let plain = ruleset.evaluate(&all).unwrap();
    assert_eq!(
        serde_json::to_string(&(&later.results, &later.rankings, &later.rejected)).unwrap(),
        serde_json::to_string(&(&plain.results, &plain.rankings, &plain.rejected)).unwrap()
    );

    // Leaving out the carried record: Q2's seal still has it.
    let mut without = json.clone();
    without["records"]
        .as_array_mut()
        .unwrap()
        .retain(|r| !(r["period"] == "2027-Q1" && r["reported"].as_str().unwrap() > "2027-04-10"));
    let later = store
        .evaluate(&ruleset, &facts(&ruleset, &without))
        .unwrap();
    let removed: Vec<_> = later
        .rejected
        .iter()
        .filter(|r| r.reason.contains("missing from the submitted facts"))
        .collect();
    assert_eq!(removed.len(), 1, "{removed:#?}");
    assert!(
        removed[0].reason.contains("seal #2 (") && removed[0].reason.contains(" 2027-Q2, sealed "),
        "{}",
        removed[0].reason
    );
    assert_eq!(later.results, plain.results);

    // Another discretionary order for the sealed Q4: refused, located.
    let mut order = json.clone();
    order["discretion"]["2027-Q4"] = json!(["jyj", "nyj"]);
    let refused = store
        .evaluate(&ruleset, &facts(&ruleset, &order))
        .unwrap_err();
    let StoreFailure::Store(errors) = &refused else {
        panic!("{refused}")
    };
    assert_eq!(errors[0].code, "kaohe::store::contradicts_seal");
    assert_eq!(errors[0].path.as_deref(), Some("$.discretion[\"2027-Q4\"]"));
    assert_eq!(errors[0].seal, Some(4));
}
