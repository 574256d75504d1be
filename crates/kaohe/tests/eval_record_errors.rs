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
