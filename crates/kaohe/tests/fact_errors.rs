#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Fact-file validation: one small bad fact file per error class, each checked
//! for the JSON path of the problem and a message saying what was expected
//! (docs/facts.md, "Errors"); and a file with several problems, all reported.

use kaohe::{FactError, Facts, Ruleset, SourceFile};
use serde_json::{json, Value};

const SHAODONG: &str = include_str!("../../../rulesets/shaodong-2023/shaodong-2023.rules");
const MILUO: &str = include_str!("../../../rulesets/miluo-2026/miluo-2026.rules");

fn shaodong() -> Ruleset {
    Ruleset::from_source(SourceFile::new("shaodong-2023.rules", SHAODONG))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn miluo() -> Ruleset {
    Ruleset::from_source(SourceFile::new("miluo-2026.rules", MILUO))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A valid Shaodong fact file: one lead unit, a media report (records[0]) and a
/// late report (records[1]). Each test breaks one thing in it.
fn valid() -> Value {
    json!({
        "as_of": "2023-09-30",
        "units": [
            {"id": "jyj", "name": "市教育局", "group": "lead", "attributes": {"indicators": 3}}
        ],
        "records": [
            {"unit": "jyj", "period": "2023-08", "kind": "media_report", "reported": "2023-08-28",
             "attributes": {"work": "学位扩充", "tier": "central", "outlet": "人民日报", "adopted": true}},
            {"unit": "jyj", "period": "2023-08", "kind": "report", "reported": "2023-08-23",
             "attributes": {"type": "monthly", "due": "2023-08-22", "submitted": "2023-08-23"}}
        ]
    })
}

/// The errors of a bad fact file, read both from text and from a reader
/// (which must agree).
fn errors_of(ruleset: &Ruleset, facts: &Value) -> Vec<FactError> {
    let text = facts.to_string();
    let from_reader = Facts::from_reader(ruleset, text.as_bytes());
    match Facts::from_json(ruleset, &text) {
        Ok(_) => panic!("the fact file was accepted:\n{facts:#}"),
        Err(e) => {
            assert!(!e.errors.is_empty());
            assert_eq!(
                from_reader.as_ref().err(),
                Some(&e),
                "from_reader and from_json disagree"
            );
            e.errors
        }
    }
}

#[test]
fn a_reader_gives_the_same_facts_as_the_text() {
    let examples = [
        ("shaodong-2023", "2023-h2.json"),
        ("miluo-2026", "2026-04.json"),
        ("miluo-2026", "2026-05.json"),
        ("example-county", "2027.json"),
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulesets");
    for (name, file) in examples {
        let rules = std::fs::read_to_string(root.join(name).join(format!("{name}.rules"))).unwrap();
        let ruleset = Ruleset::from_source(SourceFile::new(name, rules)).unwrap();
        let text = std::fs::read_to_string(root.join(name).join("examples").join(file)).unwrap();
        let from_text = Facts::from_json(&ruleset, &text).unwrap();
        // Leading white space, and a reader that hands out a few bytes at a time.
        let padded = format!("\n  {text}");
        let reader = std::io::BufReader::with_capacity(7, padded.as_bytes());
        let from_reader = Facts::from_reader(&ruleset, reader).unwrap();
        assert_eq!(from_reader, from_text, "{name} {file}");
        assert_eq!(from_reader.hash(), from_text.hash());
    }
}

#[test]
fn a_reader_stops_at_the_size_limit() {
    let limits = kaohe::Limits {
        max_fact_bytes: 100,
        ..kaohe::Limits::default()
    };
    let text = valid().to_string();
    assert!(text.len() > 100);
    let err = Facts::from_reader_within(&shaodong(), text.as_bytes(), &limits).unwrap_err();
    assert_eq!(err.errors.len(), 1);
    assert_eq!(err.errors[0].path, "$");
    assert!(
        err.errors[0].message.contains("`max_fact_bytes` = 100"),
        "{}",
        err.errors[0].message
    );
    // Within the limit the same file reads.
    assert!(Facts::from_reader(&shaodong(), text.as_bytes()).is_ok());
}

fn errors(facts: &Value) -> Vec<FactError> {
    errors_of(&shaodong(), facts)
}

/// Asserts that one of `errors` is at one of `paths` and says every one of `says`.
fn assert_reported(errors: &[FactError], paths: &[&str], says: &[&str]) {
    let found = errors
        .iter()
        .any(|e| paths.contains(&e.path.as_str()) && says.iter().all(|s| e.message.contains(s)));
    assert!(
        found,
        "expected an error at {paths:?} saying {says:?}; got:\n{}",
        errors
            .iter()
            .map(|e| format!("  {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_base_file_is_valid() {
    let facts = Facts::from_json(&shaodong(), &valid().to_string());
    assert!(facts.is_ok(), "{:?}", facts.err());
}

#[test]
fn unknown_unit_with_did_you_mean() {
    let mut facts = valid();
    facts["records"][1]["unit"] = json!("jyjj");
    assert_reported(
        &errors(&facts),
        &["$.records[1].unit"],
        &["unknown unit `jyjj`", "did you mean `jyj`?"],
    );
}

#[test]
fn unknown_record_kind_with_did_you_mean() {
    let mut facts = valid();
    facts["records"][0]["kind"] = json!("media_reprot");
    assert_reported(
        &errors(&facts),
        &["$.records[0].kind"],
        &[
            "unknown record kind `media_reprot`",
            "did you mean `media_report`?",
        ],
    );
}

#[test]
fn missing_attribute() {
    let mut facts = valid();
    facts["records"][0]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("tier");
    assert_reported(
        &errors(&facts),
        &["$.records[0].attributes", "$.records[0].attributes.tier"],
        &[
            "missing attribute `tier`",
            "central (中央主要媒体)",
            "county (邵东市本级主要媒体)",
        ],
    );
}

#[test]
fn extra_attribute() {
    let mut facts = valid();
    facts["records"][0]["attributes"]["colour"] = json!("red");
    assert_reported(
        &errors(&facts),
        &["$.records[0].attributes.colour"],
        &[
            "unexpected attribute `colour`",
            "work, tier, outlet, adopted",
        ],
    );
}

#[test]
fn ill_typed_attributes() {
    // A text where a whole number is declared.
    let mut facts = valid();
    facts["records"][1] = json!({
        "unit": "jyj", "period": "2023-08", "kind": "project_rank", "reported": "2023-08-28",
        "attributes": {"project": "学位扩充", "rank": "first", "ranked": 14}
    });
    assert_reported(
        &errors(&facts),
        &["$.records[1].attributes.rank"],
        &["expected a whole number", "\"first\""],
    );

    // A fraction where a whole number is declared.
    facts["records"][1]["attributes"]["rank"] = json!(2.5);
    assert_reported(
        &errors(&facts),
        &["$.records[1].attributes.rank"],
        &["expected a whole number", "2.5"],
    );

    // A string where a bool is declared.
    let mut facts = valid();
    facts["records"][0]["attributes"]["adopted"] = json!("yes");
    assert_reported(
        &errors(&facts),
        &["$.records[0].attributes.adopted"],
        &["expected true or false", "\"yes\""],
    );

    // Miluo: a word where a decimal is declared.
    let facts = json!({
        "as_of": "2026-04-23",
        "units": [{"id": "jtj", "name": "教体局", "group": "lead"}],
        "records": [
            {"unit": "jtj", "period": "2026-04", "kind": "indicator", "reported": "2026-04-14",
             "attributes": {"name": "扩充学位", "level": "provincial", "required": "thirty", "actual": 0}}
        ]
    });
    assert_reported(
        &errors_of(&miluo(), &facts),
        &["$.records[0].attributes.required"],
        &["expected a number", "\"thirty\""],
    );
}

#[test]
fn negative_or_fractional_count() {
    let mut facts = valid();
    facts["records"][1]["count"] = json!(-1);
    assert_reported(
        &errors(&facts),
        &["$.records[1].count"],
        &["whole number", "0 or more", "-1"],
    );

    facts["records"][1]["count"] = json!(1.5);
    assert_reported(
        &errors(&facts),
        &["$.records[1].count"],
        &["whole number", "0 or more", "1.5"],
    );
}

#[test]
fn unknown_level() {
    let mut facts = valid();
    facts["records"][0]["attributes"]["tier"] = json!("省");
    assert_reported(
        &errors(&facts),
        &["$.records[0].attributes.tier"],
        &[
            "expected one of central (中央主要媒体), provincial (省级主要媒体), city (邵阳市级主要媒体), county (邵东市本级主要媒体)",
            "found \"省\"",
        ],
    );
}

#[test]
fn a_level_may_be_given_by_its_label() {
    let mut facts = valid();
    facts["records"][0]["attributes"]["tier"] = json!("省级主要媒体");
    assert!(Facts::from_json(&shaodong(), &facts.to_string()).is_ok());
}

#[test]
fn period_outside_the_effective_range() {
    // Shaodong is in force 2023-07-13 to 2023-12-31: June 2023 is outside.
    let mut facts = valid();
    facts["records"][1]["period"] = json!("2023-06");
    assert_reported(
        &errors(&facts),
        &["$.records[1].period"],
        &[
            "2023-06",
            "outside the ruleset's effective range",
            "2023-07-13",
            "2023-12-31",
        ],
    );

    // The same in the list of periods to evaluate.
    let mut facts = valid();
    facts["periods"] = json!(["2024-01"]);
    assert_reported(
        &errors(&facts),
        &["$.periods[0]"],
        &["2024-01", "outside the ruleset's effective range"],
    );

    // A quarter in a monthly ruleset is the wrong kind of period.
    let mut facts = valid();
    facts["records"][0]["period"] = json!("2023-Q3");
    assert_reported(
        &errors(&facts),
        &["$.records[0].period"],
        &["expected a month", "\"2023-Q3\""],
    );

    // Miluo is in force for 2026 only.
    let facts = json!({
        "as_of": "2027-02-10",
        "units": [{"id": "jtj", "name": "教体局", "group": "lead"}],
        "records": [
            {"unit": "jtj", "period": "2027-01", "kind": "returned_entry", "reported": "2027-02-01",
             "attributes": {"entry": "条目"}}
        ]
    });
    assert_reported(
        &errors_of(&miluo(), &facts),
        &["$.records[0].period"],
        &[
            "outside the ruleset's effective range",
            "2026-01-01",
            "2026-12-31",
        ],
    );
}

#[test]
fn duplicate_unit_ids() {
    let mut facts = valid();
    facts["units"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "jyj", "name": "市教育局（重复）", "group": "lead", "attributes": {"indicators": 2}}));
    assert_reported(
        &errors(&facts),
        &["$.units[1].id"],
        &["duplicate unit id `jyj`", "$.units[0]"],
    );
}

#[test]
fn unparseable_dates() {
    // Not a calendar day.
    let mut facts = valid();
    facts["records"][1]["attributes"]["due"] = json!("2023-08-32");
    assert_reported(
        &errors(&facts),
        &["$.records[1].attributes.due"],
        &["expected a date \"YYYY-MM-DD\"", "2023-08-32"],
    );

    // Not a date at all.
    let mut facts = valid();
    facts["records"][1]["reported"] = json!("yesterday");
    assert_reported(
        &errors(&facts),
        &["$.records[1].reported"],
        &["expected a date \"YYYY-MM-DD\"", "\"yesterday\""],
    );

    // The evaluation date in another format.
    let mut facts = valid();
    facts["as_of"] = json!("2023/09/30");
    assert_reported(
        &errors(&facts),
        &["$.as_of"],
        &["expected a date \"YYYY-MM-DD\"", "2023/09/30"],
    );
}

#[test]
fn reported_after_as_of() {
    let mut facts = valid();
    facts["records"][1]["reported"] = json!("2023-10-01");
    assert_reported(
        &errors(&facts),
        &["$.records[1].reported"],
        &["2023-10-01", "after the evaluation date", "2023-09-30"],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut facts = valid();
    facts["records"][0]["attributes"]["tier"] = json!("省");
    facts["records"][1]["unit"] = json!("jyjj");
    facts["units"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "jyj", "name": "市教育局（重复）", "group": "lead", "attributes": {"indicators": 2}}));
    let errors = errors(&facts);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert_reported(&errors, &["$.units[1].id"], &["duplicate unit id `jyj`"]);
    assert_reported(
        &errors,
        &["$.records[0].attributes.tier"],
        &["expected one of central", "found \"省\""],
    );
    assert_reported(&errors, &["$.records[1].unit"], &["unknown unit `jyjj`"]);
}

/// docs/facts.md: `description` is an optional top-level field, free text for
/// people, ignored by evaluation (the shipped Miluo examples carry one).
#[test]
fn an_optional_description_is_accepted() {
    let mut facts = valid();
    facts["description"] = json!("邵东 2023-08, illustrative figures");
    let result = Facts::from_json(&shaodong(), &facts.to_string());
    assert!(result.is_ok(), "{}", result.err().unwrap());
}
