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
            for threads in [1, 3] {
                let seekable = Facts::from_seekable_within(
                    ruleset,
                    std::io::Cursor::new(text.as_bytes()),
                    &kaohe::Limits::default(),
                    kaohe::Threads::new(threads).unwrap(),
                );
                assert_eq!(
                    seekable.as_ref().err(),
                    Some(&e),
                    "from_seekable_within and from_json disagree"
                );
            }
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

// ---------------------------------------------------------------------------
// Real offices' files (issue 11 §1): read right or refused, the same by every
// entry point.

/// Reads `text` through both entry points, which must agree (facts or errors,
/// positions included).
fn both(ruleset: &Ruleset, text: &str) -> Result<Facts, Vec<FactError>> {
    let from_text = Facts::from_json(ruleset, text).map_err(|e| e.errors);
    let reader = std::io::BufReader::with_capacity(3, text.as_bytes());
    let from_reader = Facts::from_reader(ruleset, reader).map_err(|e| e.errors);
    assert_eq!(from_text, from_reader, "from_json and from_reader disagree");
    if let (Ok(a), Ok(b)) = (&from_text, &from_reader) {
        assert_eq!(a.hash(), b.hash());
    }
    assert_eq!(seekable(ruleset, text.as_bytes()), from_reader);
    from_text
}

/// `Facts::from_seekable_within` on `bytes` with 1 and 3 threads (which must
/// agree).
fn seekable(ruleset: &Ruleset, bytes: &[u8]) -> Result<Facts, Vec<FactError>> {
    let read = |threads| {
        Facts::from_seekable_within(
            ruleset,
            std::io::Cursor::new(bytes),
            &kaohe::Limits::default(),
            kaohe::Threads::new(threads).unwrap(),
        )
        .map_err(|e| e.errors)
    };
    let one = read(1);
    assert_eq!(one, read(3), "1 and 3 threads disagree");
    one
}

fn refused(ruleset: &Ruleset, text: &str) -> Vec<FactError> {
    match both(ruleset, text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(errors) => errors,
    }
}

/// Miluo facts with one indicator whose `required` is written `required`.
fn miluo_indicator(required: &str, count: &str) -> String {
    format!(
        r#"{{"as_of": "2026-05-20",
  "units": [{{"id": "jtj", "name": "教体局", "group": "lead"}}],
  "records": [
    {{"unit": "jtj", "period": "2026-04", "kind": "indicator", "reported": "2026-04-14", "count": {count},
      "attributes": {{"name": "学位", "level": "provincial", "required": {required}, "actual": 29}}}}
  ]}}"#
    )
}

#[test]
fn a_key_given_twice_is_refused_at_its_path() {
    // The issue's example: April's records, then May's under the same key.
    let april = r#"[{"unit": "jtj", "period": "2026-04", "kind": "returned_entry", "reported": "2026-04-10", "attributes": {"entry": "a"}}]"#;
    let may = r#"[{"unit": "jtj", "period": "2026-05", "kind": "returned_entry", "reported": "2026-05-10", "attributes": {"entry": "b"}}]"#;
    let text = format!(
        r#"{{"as_of": "2026-05-20", "units": [{{"id": "jtj", "name": "教体局", "group": "lead"}}], "records": {april}, "records": {may}}}"#
    );
    let errors = refused(&miluo(), &text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].path, "$.records");
    assert_eq!(errors[0].code, "kaohe::facts::repeated_key");
    assert!(
        errors[0].message.contains("more than once"),
        "{}",
        errors[0].message
    );

    // In a record (the fifth), a unit, attributes and discretion.
    let mut records: Vec<String> = (0..4)
        .map(|i| format!(r#"{{"unit": "jyj", "period": "2023-08", "kind": "report", "reported": "2023-08-2{i}", "attributes": {{"type": "monthly", "due": "2023-08-22", "submitted": "2023-08-23"}}}}"#))
        .collect();
    records.push(r#"{"unit": "jyj", "period": "2023-08", "kind": "report", "count": 1, "count": 2, "reported": "2023-08-23", "attributes": {"type": "monthly", "type": "monthly", "due": "2023-08-22", "submitted": "2023-08-23"}}"#.to_owned());
    let text = format!(
        r#"{{"as_of": "2023-09-30",
  "units": [{{"id": "jyj", "id": "jyj", "name": "市教育局", "group": "lead", "attributes": {{"indicators": 3}}}}],
  "records": [{}],
  "discretion": {{"2023-08": ["jyj"], "2023-08": ["jyj"]}}}}"#,
        records.join(",\n")
    );
    let errors = refused(&shaodong(), &text);
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    for path in [
        "$.units[0].id",
        "$.records[4].count",
        "$.records[4].attributes.type",
        "$.discretion[\"2023-08\"]",
    ] {
        assert!(paths.contains(&path), "{path} not in {paths:?}");
    }
    assert!(errors
        .iter()
        .all(|e| e.code == "kaohe::facts::repeated_key"));
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let text = valid().to_string();
    let plain = Facts::from_json(&shaodong(), &text).unwrap();
    let with_bom = both(&shaodong(), &format!("\u{FEFF}{text}")).unwrap();
    assert_eq!(with_bom, plain);
    assert_eq!(with_bom.hash(), plain.hash());
    // A second mark is not a byte-order mark: it is refused.
    let errors = refused(&shaodong(), &format!("\u{FEFF}\u{FEFF}{text}"));
    assert_eq!(errors[0].code, "kaohe::facts::not_json");
}

#[test]
fn utf16_and_gbk_files_are_refused_with_what_to_do() {
    let text = valid().to_string();
    let utf16 = |big: bool, bom: bool| -> Vec<u8> {
        let mut units: Vec<u16> = Vec::new();
        if bom {
            units.push(0xFEFF);
        }
        units.extend(text.encode_utf16());
        units
            .iter()
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    for (big, bom) in [(false, true), (true, true), (false, false), (true, false)] {
        let errors = Facts::from_reader(&shaodong(), utf16(big, bom).as_slice())
            .unwrap_err()
            .errors;
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "kaohe::facts::utf16");
        assert!(
            errors[0].message.contains("the file is UTF-16")
                && errors[0].message.contains("save it as UTF-8"),
            "{}",
            errors[0].message
        );
    }
    // GBK from a Windows tool: 市教育局 on line 3.
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(
        "{\"as_of\": \"2023-09-30\",\n \"units\": [\n  {\"id\": \"jyj\", \"name\": \"市教育局\", \"group\": \"lead\"}],\n \"records\": []}",
    );
    assert!(!unmappable);
    let errors = Facts::from_reader(&shaodong(), gbk.as_ref())
        .unwrap_err()
        .errors;
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    assert_eq!(e.code, "kaohe::facts::not_utf8");
    assert_eq!((e.line, e.column), (Some(3), Some(26)), "{}", e.message);
    assert!(
        e.message
            .contains("the file is not UTF-8 (looks like GBK): the first byte that is not UTF-8 is at line 3 column 26; save it as UTF-8"),
        "{}",
        e.message
    );
    // A lone bad byte that is not GBK either: no guess.
    let errors = Facts::from_reader(&shaodong(), &b"{\"as_of\": \"\xFF\"}"[..])
        .unwrap_err()
        .errors;
    assert_eq!(errors[0].code, "kaohe::facts::not_utf8");
    assert!(
        errors[0].message.starts_with(
            "the file is not UTF-8: the first byte that is not UTF-8 is at line 1 column 12"
        ),
        "{}",
        errors[0].message
    );
}

#[test]
fn numbers_are_read_exactly_in_every_spelling() {
    let value = |required: &str| -> String {
        let facts = both(&miluo(), &miluo_indicator(required, "1")).unwrap();
        facts.records[0]
            .attributes
            .get("required")
            .unwrap()
            .to_string()
    };
    // The issue's example: `"required": 3e1` is 30.
    for spelling in ["30", "30.0", "3e1", "3E+1", "300e-1", "\"30\"", "\"3e1\""] {
        assert_eq!(value(spelling), "30", "{spelling}");
    }
    // Python writes 1e-05, Jackson 1.0E-5.
    for spelling in ["1e-05", "1.0E-5", "0.00001"] {
        assert_eq!(value(spelling), "0.00001", "{spelling}");
    }
    assert_eq!(
        value("1234567890.123456789012345678"),
        "1234567890.123456789012345678"
    );
    // The spelling does not change the facts' hash.
    let a = both(&miluo(), &miluo_indicator("30", "1")).unwrap();
    let b = both(&miluo(), &miluo_indicator("3.0e1", "1.0")).unwrap();
    assert_eq!(a.hash(), b.hash());
}

#[test]
fn numbers_past_the_limits_name_the_limit_and_quote_the_number_as_written() {
    let errors = refused(
        &miluo(),
        &miluo_indicator("1234567890.1234567890123456789", "1"),
    );
    assert_reported(
        &errors,
        &["$.records[0].attributes.required"],
        &[
            "`1234567890.1234567890123456789`",
            "more than 28 significant digits",
        ],
    );
    assert_eq!(errors[0].code, "kaohe::facts::number_limit");
    let errors = refused(&miluo(), &miluo_indicator("30", "5e9"));
    assert_reported(
        &errors,
        &["$.records[0].count"],
        &["at most 4294967295", "found `5e9`"],
    );
    let errors = refused(&miluo(), &miluo_indicator("30", "4294967296"));
    assert_reported(
        &errors,
        &["$.records[0].count"],
        &["at most 4294967295", "`4294967296`"],
    );
    let errors = refused(&miluo(), &miluo_indicator("1E-40", "1"));
    assert_reported(
        &errors,
        &["$.records[0].attributes.required"],
        &["`1E-40`", "more than 28 digits after the decimal point"],
    );
}

#[test]
fn count_and_integer_attributes_take_the_same_spellings() {
    for spelling in ["5", "5.0", "5e0", "0.5e1", "\"5\""] {
        let facts = both(&miluo(), &miluo_indicator("30", spelling)).unwrap();
        assert_eq!(facts.records[0].count, 5, "{spelling}");

        let mut facts = valid();
        facts["units"][0]["attributes"]["indicators"] = json!(5);
        let text = facts
            .to_string()
            .replace(r#""indicators":5"#, &format!(r#""indicators":{spelling}"#));
        let facts = both(&shaodong(), &text).unwrap();
        assert_eq!(
            facts.units[0]
                .attributes
                .get("indicators")
                .unwrap()
                .to_string(),
            "5",
            "{spelling}"
        );
    }
    assert_reported(
        &refused(&miluo(), &miluo_indicator("30", "-1")),
        &["$.records[0].count"],
        &["expected a whole number of occurrences, 0 or more, found `-1`"],
    );
    for spelling in ["5.5", "\"five\"", "\" 5\"", "true"] {
        assert_reported(
            &refused(&miluo(), &miluo_indicator("30", spelling)),
            &["$.records[0].count"],
            &["expected a whole number of occurrences"],
        );
        let mut facts = valid();
        facts["units"][0]["attributes"]["indicators"] = json!(5);
        let text = facts
            .to_string()
            .replace(r#""indicators":5"#, &format!(r#""indicators":{spelling}"#));
        assert_reported(
            &refused(&shaodong(), &text),
            &["$.units[0].attributes.indicators"],
            &["expected a whole number"],
        );
    }
}

#[test]
fn an_empty_file_says_so() {
    for text in ["", "   \n\t\r\n", "\u{FEFF}"] {
        let errors = refused(&shaodong(), text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "kaohe::facts::empty");
        assert!(
            errors[0].message.starts_with("the file is empty"),
            "{}",
            errors[0].message
        );
    }
}

#[test]
fn both_readers_report_the_same_position() {
    // The issue's example: line 4 from both.
    let errors = refused(&shaodong(), "\n\n\n{\"as_of\": }");
    assert_eq!((errors[0].line, errors[0].column), (Some(4), Some(11)));
    assert!(
        errors[0].message.contains("at line 4 column 11"),
        "{}",
        errors[0].message
    );
    // A leading form feed is not JSON white space: refused by both.
    let errors = refused(&shaodong(), &format!("\u{c}{}", valid()));
    assert_eq!(errors[0].code, "kaohe::facts::not_json");
    assert_eq!((errors[0].line, errors[0].column), (Some(1), Some(1)));
    // Inside a string, columns count characters: `\q` after 市教育局.
    let errors = refused(&shaodong(), "{\"as_of\": \"市教育局\\q\"}");
    assert_eq!(
        (errors[0].line, errors[0].column),
        (Some(1), Some(17)),
        "{}",
        errors[0].message
    );
}

#[test]
fn ids_with_white_space_are_refused_visibly() {
    let text = |unit_id: &str, record_unit: &str, record_id: &str| {
        format!(
            r#"{{"as_of": "2026-05-20",
  "units": [{{"id": "{unit_id}", "name": "教体局", "group": "lead"}}],
  "records": [{{"id": "{record_id}", "unit": "{record_unit}", "period": "2026-04", "kind": "returned_entry", "reported": "2026-04-10", "attributes": {{"entry": "a"}}}}]}}"#
        )
    };
    // The issue's example: `jtj ` in units, `jtj` in a record.
    let errors = refused(&miluo(), &text("jtj ", "jtj", "r1"));
    assert_reported(
        &errors,
        &["$.units[0].id"],
        &["unit id `jtj␠` ends with a space; remove it"],
    );
    assert_reported(
        &errors,
        &["$.records[0].unit"],
        &[
            "unknown unit `jtj`",
            "`jtj␠` in $.units differs from it only by white space",
        ],
    );
    assert!(
        errors.iter().all(|e| !e.message.contains("did you mean")),
        "{errors:#?}"
    );
    let errors = refused(&miluo(), &text("jtj", "\u{3000}jtj", "r1"));
    assert_reported(
        &errors,
        &["$.records[0].unit"],
        &["unit `<U+3000>jtj` starts with a full-width space (U+3000); remove it"],
    );
    let errors = refused(&miluo(), &text("jtj", "jtj", "r1\u{a0}"));
    assert_reported(
        &errors,
        &["$.records[0].id"],
        &["record id `r1<U+00A0>` ends with a no-break space (U+00A0); remove it"],
    );
    assert!(errors
        .iter()
        .all(|e| e.code == "kaohe::facts::white_space_in_id"));
}

#[test]
fn dates_that_are_not_calendar_days_say_so() {
    let mut facts = valid();
    facts["records"][1]["reported"] = json!("2023-02-30");
    assert_reported(
        &errors(&facts),
        &["$.records[1].reported"],
        &["expected a date \"YYYY-MM-DD\", found \"2023-02-30\": not a calendar day"],
    );
    let mut facts = valid();
    facts["records"][1]["attributes"]["due"] = json!("2023/8/22");
    assert_reported(
        &errors(&facts),
        &["$.records[1].attributes.due"],
        &["fact files take YYYY-MM-DD only: write \"2023-08-22\""],
    );
}

#[test]
fn a_revision_is_read_and_only_then_hashed() {
    let plain = both(&shaodong(), &valid().to_string()).unwrap();
    assert_eq!(plain.records.iter().filter_map(|r| r.revision).count(), 0);
    let mut facts = valid();
    facts["records"][1]["id"] = json!("jyj-report-2023-08");
    facts["records"][1]["revision"] = json!(2);
    let revised = both(&shaodong(), &facts.to_string()).unwrap();
    assert_eq!(
        revised
            .records
            .iter()
            .filter_map(|r| r.revision)
            .collect::<Vec<_>>(),
        [2]
    );
    assert_ne!(plain.hash(), revised.hash());
    facts["records"][1]["revision"] = json!(0);
    assert!(both(&shaodong(), &facts.to_string()).is_ok());
    for bad in [
        json!(-1),
        json!(1.5),
        json!(4_294_967_296_u64),
        json!("next"),
    ] {
        facts["records"][1]["revision"] = bad;
        assert_reported(
            &errors(&facts),
            &["$.records[1].revision"],
            &["expected a revision number"],
        );
    }
}

#[test]
fn errors_serialise_as_data() {
    let syntax = refused(&shaodong(), "\n{\"as_of\": }");
    let json = serde_json::to_value(&kaohe::FactErrors { errors: syntax }).unwrap();
    assert_eq!(
        json,
        json!({"errors": [{
            "code": "kaohe::facts::not_json",
            "severity": "error",
            "message": "not valid JSON: expected value at line 2 column 11",
            "path": "$",
            "line": 2,
            "column": 11
        }]})
    );
    let mut facts = valid();
    facts["records"][1]["unit"] = json!("jyjj");
    let json = serde_json::to_value(&errors(&facts)[0]).unwrap();
    assert_eq!(json["code"], "kaohe::facts::unknown_unit");
    assert_eq!(json["path"], "$.records[1].unit");
    assert!(json.get("line").is_none());
}

/// Every number outside strings rewritten in exponent form: `33.3` with
/// `zeros` = 2 becomes `33300E-3`.
fn numbers_in_exponent_form(text: &str, zeros: usize, upper: bool) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '-' || c.is_ascii_digit() {
            let mut number = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                    number.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            assert!(!number.contains(['e', 'E']), "{number}");
            let (sign, digits) = number
                .strip_prefix('-')
                .map_or(("", number.as_str()), |d| ("-", d));
            let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
            let mantissa = format!("{whole}{fraction}{}", "0".repeat(zeros));
            // JSON allows no leading zeros.
            let mantissa = match mantissa.trim_start_matches('0') {
                "" => "0",
                m => m,
            };
            let exponent = -(fraction.len() as i64) - zeros as i64;
            let e = if upper { 'E' } else { 'e' };
            out.push_str(&format!("{sign}{mantissa}{e}{exponent}"));
        } else {
            out.push(c);
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Issue 11 §6: a shipped example gives the same facts (and hash) after a
    /// byte-order mark, CRLF line endings and numbers in exponent form.
    #[test]
    fn spelling_does_not_change_the_facts(
        example in 0usize..4,
        bom in proptest::bool::ANY,
        crlf in proptest::bool::ANY,
        exponent in proptest::bool::ANY,
        zeros in 0usize..4,
        upper in proptest::bool::ANY,
    ) {
        let (name, file) = [
            ("shaodong-2023", "2023-h2.json"),
            ("miluo-2026", "2026-04.json"),
            ("miluo-2026", "2026-05.json"),
            ("example-county", "2027.json"),
        ][example];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulesets");
        let rules = std::fs::read_to_string(root.join(name).join(format!("{name}.rules"))).unwrap();
        let ruleset = Ruleset::from_source(SourceFile::new(name, rules)).unwrap();
        let text = std::fs::read_to_string(root.join(name).join("examples").join(file)).unwrap();
        let plain = Facts::from_json(&ruleset, &text).unwrap();
        let mut changed = text.clone();
        if exponent {
            changed = numbers_in_exponent_form(&changed, zeros, upper);
        }
        if crlf {
            changed = changed.replace('\n', "\r\n");
        }
        if bom {
            changed.insert(0, '\u{FEFF}');
        }
        let respelled = both(&ruleset, &changed).unwrap();
        proptest::prop_assert_eq!(&respelled, &plain);
        proptest::prop_assert_eq!(respelled.hash(), plain.hash());
    }
}

#[test]
fn the_exponent_rewrite_rewrites() {
    assert_eq!(
        numbers_in_exponent_form(r#"{"a": 33.3, "b": "1.5", "c": [-2, 0, 0.05]}"#, 2, true),
        r#"{"a": 33300E-3, "b": "1.5", "c": [-200E-2, 0E-2, 500E-4]}"#
    );
}

/// Every fact-file error code the reader can give has a row in docs/errors.md.
#[test]
fn every_fact_code_is_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("src/facts/mod.rs")).unwrap();
    let docs = std::fs::read_to_string(root.join("../../docs/errors.md")).unwrap();
    let mut codes: Vec<&str> = source
        .split('"')
        .filter(|s| s.starts_with("kaohe::facts::") && s.len() > "kaohe::facts::".len())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    assert!(codes.len() >= 20, "{codes:?}");
    let missing: Vec<&&str> = codes
        .iter()
        .filter(|c| !docs.contains(&format!("| `{c}` |")))
        .collect();
    assert!(missing.is_empty(), "not in docs/errors.md: {missing:?}");
}

/// Positions stay right far into a file (past the reader's buffers), in
/// characters, for syntax errors and for the first byte that is not UTF-8.
#[test]
fn positions_hold_far_into_a_file() {
    let long = "说明".repeat(30_000);
    let text = format!("{{\"description\": \"{long}\",\n\"as_of\": \"市\\q\"}}");
    let errors = refused(&shaodong(), &text);
    assert_eq!(
        (errors[0].line, errors[0].column),
        (Some(2), Some(13)),
        "{}",
        errors[0].message
    );
    let text = format!("{{\"description\": \"{long}\" \"as_of\": 1}}");
    let errors = refused(&shaodong(), &text);
    assert_eq!(
        (errors[0].line, errors[0].column),
        (Some(1), Some(60_020)),
        "{}",
        errors[0].message
    );

    let mut bytes = b"{\"description\": \"".to_vec();
    for _ in 0..5_000 {
        bytes.extend_from_slice("说明说明\\n".as_bytes());
    }
    bytes.extend_from_slice(b"\",\n\n  \"as_of\": \"");
    bytes.extend_from_slice(&encoding_rs::GBK.encode("二〇二三年").0);
    bytes.extend_from_slice(b"\"}");
    let errors = Facts::from_reader(&shaodong(), bytes.as_slice())
        .unwrap_err()
        .errors;
    assert_eq!(errors[0].code, "kaohe::facts::not_utf8");
    assert_eq!(
        (errors[0].line, errors[0].column),
        (Some(3), Some(13)),
        "{}",
        errors[0].message
    );
}

/// JSON paths are JSONPath (RFC 9535): a member name that cannot follow a
/// dot (a period key such as `2026-04`, a name with a space) is written in
/// brackets as a JSON string; names that can (ASCII or Chinese) keep the dot.
#[test]
fn keys_that_cannot_follow_a_dot_are_written_in_brackets() {
    use kaohe::facts::member_path;
    assert_eq!(member_path("$", "units"), "$.units");
    assert_eq!(member_path("$.records[0]", "_x1"), "$.records[0]._x1");
    assert_eq!(
        member_path("$.records[0].attributes", "进度"),
        "$.records[0].attributes.进度"
    );
    assert_eq!(
        member_path("$.discretion", "2026-04"),
        "$.discretion[\"2026-04\"]"
    );
    assert_eq!(
        member_path("$.discretion", "2026"),
        "$.discretion[\"2026\"]"
    );
    assert_eq!(member_path("$", "my key"), "$[\"my key\"]");
    assert_eq!(member_path("$", "a\"b"), "$[\"a\\\"b\"]");
    assert_eq!(member_path("$", ""), "$[\"\"]");
    // In the errors: an unexpected field with a space, an unknown period key.
    let mut facts = valid();
    facts["my key"] = json!(1);
    facts["discretion"] = json!({"2023-8": ["jyj"]});
    let errors = errors_of(&shaodong(), &facts);
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"$[\"my key\"]"), "{paths:?}");
    assert!(paths.contains(&"$.discretion[\"2023-8\"]"), "{paths:?}");
}

/// A `revision` orders the versions of one record, and only an `id` names a
/// record: a revision on a record without an id is refused at its JSON path
/// (it used to be silently ignored, both records counting), every such
/// record at once, whatever the reader (text, reader, fast path or not).
#[test]
fn a_revision_without_an_id_is_refused() {
    let mut facts = valid();
    facts["records"][0]["revision"] = json!(2);
    facts["records"][1]["revision"] = json!(3);
    let errors = errors_of(&shaodong(), &facts);
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.code, e.path.as_str()))
            .collect::<Vec<_>>(),
        [
            ("kaohe::facts::revision_without_id", "$.records[0].revision"),
            ("kaohe::facts::revision_without_id", "$.records[1].revision"),
        ],
        "{errors:?}"
    );
    assert_eq!(
        errors[0].message,
        "the record has a `revision` but no `id`: a revision orders the versions of one record, which only an `id` names; give the record the `id` its versions share, or remove the `revision`"
    );
    // The example of the review: a revision with no id among valid records.
    let miluo_facts = json!({"as_of": "2026-05-20",
    "units": [{"id": "a", "name": "甲", "group": "lead"}],
    "records": [
        {"unit": "a", "period": "2026-04", "kind": "returned_entry", "reported": "2026-04-20",
         "attributes": {"entry": "x"}},
        {"unit": "a", "period": "2026-04", "kind": "returned_entry", "reported": "2026-04-20",
         "revision": 2, "attributes": {"entry": "x"}}
    ]});
    let errors = errors_of(&miluo(), &miluo_facts);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "$.records[1].revision");
    // A revision of a wrong type without an id: both faults at once.
    facts["records"][1]["revision"] = json!("next");
    let errors = errors_of(&shaodong(), &facts);
    assert_reported(
        &errors,
        &["$.records[1].revision"],
        &["expected a revision number"],
    );
    assert_reported(&errors, &["$.records[1].revision"], &["but no `id`"]);
    // With an id the same records are accepted.
    facts["records"][0]["id"] = json!("m1");
    facts["records"][1]["id"] = json!("r1");
    facts["records"][1]["revision"] = json!(3);
    assert!(both(&shaodong(), &facts.to_string()).is_ok());
}

/// Under a sealed ruleset too (Miluo), records with one `id` replace each
/// other, so two versions reported on the same day without distinct
/// revisions are refused, whatever their order in the file: neither "29,
/// behind" nor "31, on schedule" may win by its content (issue 12 §4).
#[test]
fn same_day_versions_are_refused_under_a_seal_too() {
    let version = |actual: u32| {
        serde_json::json!({"unit": "a", "period": "2026-04", "kind": "indicator",
            "reported": "2026-04-14", "id": "r1",
            "attributes": {"name": "x", "level": "provincial", "required": 30, "actual": actual}})
    };
    let facts = |records: Vec<Value>| {
        serde_json::json!({"as_of": "2026-05-20",
            "units": [{"id": "a", "name": "甲", "group": "lead"}],
            "records": records})
    };
    for records in [
        vec![version(29), version(31)],
        vec![version(31), version(29)],
    ] {
        let errors = errors_of(&miluo(), &facts(records));
        assert_reported(
            &errors,
            &["$.records[1]"],
            &["reported on the same day 2026-04-14"],
        );
        assert_eq!(errors[0].code, "kaohe::facts::same_day_versions");
    }
    // Distinct revisions state the order: the higher one applies.
    let mut first = version(29);
    first["revision"] = serde_json::json!(2);
    let mut second = version(31);
    second["revision"] = serde_json::json!(1);
    let facts = Facts::from_json(&miluo(), &facts(vec![first, second]).to_string()).unwrap();
    let evaluation = miluo().evaluate(&facts).unwrap();
    let a = evaluation.results.iter().find(|r| r.unit == "a").unwrap();
    assert_eq!(a.total, rust_decimal::Decimal::from(95));
}

/// A zero-width space (pasted from a web page or Word) at the end of a unit
/// id is white space like any other: refused, shown, and named as the
/// difference when a record names the id without it.
#[test]
fn a_zero_width_space_in_an_id_is_white_space() {
    let facts = serde_json::json!({"as_of": "2026-05-20",
        "units": [{"id": "a\u{200B}", "name": "甲", "group": "lead"}],
        "records": [{"unit": "a", "period": "2026-04", "kind": "data_report",
            "reported": "2026-04-14", "attributes": {}}]});
    let errors = errors_of(&miluo(), &facts);
    assert_reported(
        &errors,
        &["$.units[0].id"],
        &["`a<U+200B>` ends with an invisible zero-width space (U+200B)"],
    );
}

/// The period-kind golden rulesets (issue 13 §9): `period half`, `period week`
/// and `period year` take periods of their own kind only, located by JSON path.
fn construct(name: &str) -> Ruleset {
    let path = format!(
        "{}/../../tests/constructs/{name}/{name}.rules",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    Ruleset::from_source(kaohe::source::SourceFile::new(path, text)).unwrap()
}

fn with_period(unit: &str, period: &str) -> Value {
    json!({
        "as_of": "2027-02-10",
        "units": [{"id": unit, "name": "单位", "group": if unit == "x" { "street" } else { "lead" }}],
        "records": [
            {"unit": unit, "period": period, "kind": if unit == "x" { "problem" } else { "missed_task" },
             "reported": "2026-06-01", "attributes": if unit == "x" { json!({"place": "东门"}) } else { json!({"task": "任务"}) }}
        ]
    })
}

#[test]
fn periods_of_other_kinds_are_refused_with_their_path() {
    let half = construct("period-half");
    assert!(Facts::from_json(&half, &with_period("a", "2026-H2").to_string()).is_ok());
    for bad in ["2026-06", "2026-Q2", "2026", "2026-H3", "2026-W14"] {
        assert_reported(
            &errors_of(&half, &with_period("a", bad)),
            &["$.records[0].period"],
            &["expected a half-year \"YYYY-Hn\"", bad],
        );
    }
    let week = construct("period-week");
    assert!(Facts::from_json(&week, &with_period("x", "2026-W53").to_string()).is_ok());
    // 2025 has 52 ISO weeks; a one-digit week is not a week.
    for bad in ["2025-W53", "2026-W5", "2026-W00", "2026-04", "2026-H1"] {
        assert_reported(
            &errors_of(&week, &with_period("x", bad)),
            &["$.records[0].period"],
            &["expected a week \"YYYY-Wnn\"", bad],
        );
    }
}

#[test]
fn a_yearly_ruleset_takes_years() {
    let year = construct("period-year");
    let mut facts = with_period("a", "2026");
    facts["records"][0]["kind"] = json!("missed_target");
    facts["records"][0]["attributes"] = json!({"target": "目标"});
    assert!(Facts::from_json(&year, &facts.to_string()).is_ok());
    facts["records"][0]["period"] = json!("2026-12");
    assert_reported(
        &errors_of(&year, &facts),
        &["$.records[0].period"],
        &["expected a year \"YYYY\"", "2026-12"],
    );
    // The ruleset is in force for 2025 and 2026.
    facts["records"][0]["period"] = json!("2027");
    assert_reported(
        &errors_of(&year, &facts),
        &["$.records[0].period"],
        &["outside the ruleset's effective range"],
    );
}

// ---------------------------------------------------------------------------
// A file held in memory (issue 17: the service's request bodies).

/// `Facts::from_slice` reads bytes as `Facts::from_reader` does: the same
/// facts, and for bad bytes the same errors (encoding, syntax, limits) at
/// the same positions.
#[test]
fn bytes_in_memory_read_as_the_reader_reads_them() {
    let text = valid().to_string();
    let pretty = format!("{:#}", valid());
    let mut cases: Vec<Vec<u8>> = vec![
        text.clone().into_bytes(),
        format!("\u{FEFF}{pretty}").into_bytes(),
        Vec::new(),
        b" \n ".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        text.as_bytes()[..text.len() / 2].to_vec(),
        format!("{text},").into_bytes(),
        pretty.replace("]\n}", "],\n}").into_bytes(),
        // A control character in a name.
        pretty.replace("市教育局", "\u{0}").into_bytes(),
    ];
    // GBK bytes in a name, UTF-16 with and without its mark.
    let mut gbk = pretty.clone().into_bytes();
    let at = pretty.find("市教育局").unwrap();
    gbk.splice(
        at..at + "市教育局".len(),
        [0xCA, 0xD0, 0xBD, 0xCC, 0xD3, 0xFD, 0xBE, 0xD6],
    );
    cases.push(gbk);
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    cases.push([vec![0xFF, 0xFE], utf16.clone()].concat());
    cases.push(utf16);
    for (i, bytes) in cases.iter().enumerate() {
        let in_memory = Facts::from_slice(&shaodong(), bytes).map_err(|e| e.errors);
        let read = Facts::from_reader(&shaodong(), &bytes[..]).map_err(|e| e.errors);
        assert_eq!(in_memory, read, "case {i}");
        assert_eq!(seekable(&shaodong(), bytes), read, "case {i}");
        if let (Ok(a), Ok(b)) = (&in_memory, &read) {
            assert_eq!(a.hash(), b.hash());
        }
    }
    assert!(Facts::from_slice(&shaodong(), cases[1].as_slice()).is_ok());
    // The size limit counts the bytes given, the mark included.
    let limits = kaohe::Limits {
        max_fact_bytes: text.len(),
        ..kaohe::Limits::default()
    };
    assert!(Facts::from_slice_within(&shaodong(), text.as_bytes(), &limits).is_ok());
    let marked = format!("\u{FEFF}{text}");
    let over = Facts::from_slice_within(&shaodong(), marked.as_bytes(), &limits).unwrap_err();
    let over_reader =
        Facts::from_reader_within(&shaodong(), marked.as_bytes(), &limits).unwrap_err();
    assert_eq!(over, over_reader);
    assert_eq!(over.errors[0].code, "kaohe::facts::over_limit");
}

// ---------------------------------------------------------------------------
// Warnings: allowed, but worth telling whoever publishes the results.

/// Two units with one name under different ids (issue 17): ids are the key,
/// so the facts are read and evaluated; a ranking that shows both by name is
/// ambiguous to its reader, so it is a warning naming both JSON paths.
#[test]
fn two_units_with_one_name_are_a_warning_with_both_paths() {
    let mut facts = valid();
    let twin =
        json!({"id": "jyj2", "name": "市教育局", "group": "lead", "attributes": {"indicators": 1}});
    let other =
        json!({"id": "wjj", "name": "市卫健局", "group": "lead", "attributes": {"indicators": 1}});
    facts["units"].as_array_mut().unwrap().extend([other, twin]);
    let text = facts.to_string();
    let ruleset = shaodong();
    for read in [
        Facts::from_json(&ruleset, &text).unwrap(),
        Facts::from_reader(&ruleset, text.as_bytes()).unwrap(),
    ] {
        let warnings = kaohe::check::fact_warnings(&ruleset, &read);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let w = &warnings[0];
        assert_eq!(w.code, "kaohe::facts::duplicate_name");
        assert_eq!(w.path, "$.units[2].name");
        assert!(
            w.message.contains("`jyj` ($.units[0].name)"),
            "{}",
            w.message
        );
        assert!(
            w.message.contains("`jyj2` ($.units[2].name)"),
            "{}",
            w.message
        );
        assert!(w.message.contains("`市教育局`"), "{}", w.message);
        assert!(w.help.is_some());
        let data = serde_json::to_value(w).unwrap();
        assert_eq!(data["severity"], "warning");
        assert_eq!(data["path"], "$.units[2].name");
        // The evaluation carries it, as data.
        let evaluation = ruleset.evaluate(&read).unwrap();
        let json = serde_json::to_value(&evaluation).unwrap();
        assert_eq!(
            json["facts"]["warnings"][0]["code"],
            "kaohe::facts::duplicate_name"
        );
        assert_eq!(json["facts"]["warnings"].as_array().unwrap().len(), 1);
    }
    // Distinct names: no warning, and no `warnings` in the evaluation's JSON.
    let read = Facts::from_json(&ruleset, &valid().to_string()).unwrap();
    assert!(kaohe::check::fact_warnings(&ruleset, &read).is_empty());
    let json = serde_json::to_value(ruleset.evaluate(&read).unwrap()).unwrap();
    assert!(json["facts"].get("warnings").is_none(), "{}", json["facts"]);
    // A unit whose id is given twice is an error, not also a warning.
    let mut facts = valid();
    let again = facts["units"][0].clone();
    facts["units"].as_array_mut().unwrap().push(again);
    let errors = errors(&facts);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "kaohe::facts::duplicate_unit");
}
