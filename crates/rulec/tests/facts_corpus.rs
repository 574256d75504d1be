#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The bad-fact-file corpus: every `tests/facts/<ruleset>__<mistake>.json` holds
//! one mistake against the shipped ruleset `rulesets/<ruleset>/<ruleset>.rules`
//! (its `description` says which, where the mistake leaves room for one), made
//! in a copy of `tests/facts/base/<ruleset>.json`. `rulec eval` must exit 1,
//! print nothing on stdout and report the mistake on stderr at the right JSON
//! path; the stderr of each file is snapshotted beside it as `<stem>.snap`.
//!
//! `cargo insta review` only looks inside package folders, so it does not find
//! these snapshots: after a deliberate change, rewrite them with
//! `INSTA_UPDATE=always cargo test -p rulec --test facts_corpus` and read the
//! change with `git diff tests/facts`.
//!
//! To add a case: copy a base file, make one mistake, say what it is in its
//! `description`, add the file and the JSON path the error must name to
//! `EXPECTED` below, and write the snapshot as above.

mod common;
use common::{corpus_stems, rulec, workspace, Run};

use std::collections::BTreeSet;
use std::path::PathBuf;

/// The corpus directory, relative to the workspace root.
const CORPUS: &str = "tests/facts";

/// Every corpus file and the JSON paths its errors must name (a file whose
/// mistake makes other entries unusable also reports those).
const EXPECTED: &[(&str, &[&str])] = &[
    // The file as a whole.
    ("miluo-2026__not_json", &["$: not valid JSON"]),
    ("miluo-2026__top_level_array", &["$: expected an object"]),
    (
        "miluo-2026__unknown_top_level_field",
        &["$.unit: unexpected field"],
    ),
    ("miluo-2026__missing_as_of", &["$: missing field `as_of`"]),
    (
        "miluo-2026__as_of_unparseable",
        &["$.as_of: expected a date"],
    ),
    ("miluo-2026__missing_units", &["$: missing field `units`"]),
    (
        "miluo-2026__records_not_an_array",
        &["$.records: expected an array"],
    ),
    (
        "miluo-2026__periods_bad_format",
        &["$.periods[0]: expected a month"],
    ),
    (
        "shaodong-2023__description_not_a_string",
        &["$.description: expected a string"],
    ),
    // Units.
    (
        "miluo-2026__duplicate_unit_id",
        &["$.units[2].id: duplicate unit id `jtj`"],
    ),
    (
        "miluo-2026__unknown_group",
        &["$.units[1].group: unknown group `leader`"],
    ),
    (
        "miluo-2026__unit_without_name",
        &["$.units[0]: missing field `name`"],
    ),
    (
        "miluo-2026__unit_id_empty",
        &["$.units[1].id: expected a non-empty string"],
    ),
    (
        "miluo-2026__unit_not_an_object",
        &["$.units[1]: expected an object"],
    ),
    (
        "shaodong-2023__missing_unit_attribute",
        &["$.units[1].attributes: missing attribute `indicators`"],
    ),
    (
        "shaodong-2023__unknown_unit_attribute",
        &["$.units[2].attributes.task: unexpected attribute `task`"],
    ),
    (
        "shaodong-2023__unit_attribute_fractional",
        &["$.units[0].attributes.indicators: expected a whole number"],
    ),
    (
        "shaodong-2023__unit_attribute_is_a_string",
        &["$.units[0].attributes.indicators: expected a whole number"],
    ),
    // Records: their own fields.
    (
        "miluo-2026__unknown_unit",
        &["$.records[0].unit: unknown unit `jtjj`"],
    ),
    (
        "miluo-2026__unknown_kind",
        &["$.records[0].kind: unknown record kind `indicatr`"],
    ),
    (
        "miluo-2026__missing_period",
        &["$.records[1]: missing field `period`"],
    ),
    (
        "miluo-2026__missing_reported",
        &["$.records[2]: missing field `reported`"],
    ),
    (
        "miluo-2026__period_is_a_quarter",
        &["$.records[1].period: expected a month"],
    ),
    (
        "miluo-2026__period_outside_effective",
        &["$.records[2].period: period 2025-12 is outside"],
    ),
    (
        "miluo-2026__reported_not_a_calendar_day",
        &["$.records[0].reported: expected a date"],
    ),
    (
        "miluo-2026__reported_after_as_of",
        &["$.records[2].reported: reported 2026-05-21"],
    ),
    (
        "miluo-2026__negative_count",
        &["$.records[2].count: expected a whole number"],
    ),
    (
        "miluo-2026__fractional_count",
        &["$.records[2].count: expected a whole number"],
    ),
    (
        "miluo-2026__count_is_a_string",
        &["$.records[2].count: expected a whole number"],
    ),
    (
        "miluo-2026__record_id_empty",
        &["$.records[0].id: expected a non-empty string"],
    ),
    (
        "miluo-2026__unknown_record_field",
        &["$.records[1].note: unexpected field `note`"],
    ),
    (
        "miluo-2026__record_not_an_object",
        &["$.records[1]: expected an object"],
    ),
    // Records: attributes.
    (
        "miluo-2026__missing_attribute",
        &["$.records[0].attributes: missing attribute `actual`"],
    ),
    (
        "miluo-2026__unknown_attribute",
        &["$.records[0].attributes.progress: unexpected attribute `progress`"],
    ),
    (
        "miluo-2026__attributes_not_an_object",
        &["$.records[2].attributes: expected an object"],
    ),
    (
        "miluo-2026__unknown_level",
        &["$.records[0].attributes.level: expected one of provincial"],
    ),
    (
        "miluo-2026__decimal_not_a_number",
        &["$.records[0].attributes.actual: expected a number"],
    ),
    (
        "miluo-2026__decimal_is_a_bool",
        &["$.records[0].attributes.required: expected a number"],
    ),
    (
        "miluo-2026__date_attribute_unparseable",
        &["$.records[1].attributes.due: expected a date"],
    ),
    (
        "miluo-2026__text_attribute_is_a_number",
        &["$.records[2].attributes.entry: expected a string"],
    ),
    (
        "shaodong-2023__integer_attribute_fractional",
        &["$.records[2].attributes.rank: expected a whole number"],
    ),
    (
        "shaodong-2023__bool_attribute_is_text",
        &["$.records[0].attributes.adopted: expected true or false"],
    ),
    (
        "shaodong-2023__level_label_misspelt",
        &["$.records[0].attributes.tier: expected one of central"],
    ),
    (
        "shaodong-2023__optional_date_unparseable",
        &["$.records[1].attributes.rectify_by: expected a date"],
    ),
    // Discretionary orders.
    (
        "shaodong-2023__discretion_unknown_unit",
        &["$.discretion[\"2023-08\"][0]: unknown unit `mzjj`"],
    ),
    (
        "shaodong-2023__discretion_unit_twice",
        &["$.discretion[\"2023-08\"][2]: unit `jyj` is listed twice"],
    ),
    (
        "shaodong-2023__discretion_bad_period_key",
        &["$.discretion[\"2023-8\"]: expected a period"],
    ),
    (
        "shaodong-2023__discretion_entry_not_an_id",
        &["$.discretion[\"2023\"][0]: expected a unit id"],
    ),
    (
        "shaodong-2023__discretion_not_an_object",
        &["$.discretion: expected an object"],
    ),
    // Files as real offices' tools write them (issue 11).
    (
        "miluo-2026__records_given_twice",
        &["$.records: the key `records` is given more than once"],
    ),
    (
        "miluo-2026__record_key_given_twice",
        &["$.records[2].count: the key `count` is given more than once"],
    ),
    (
        "miluo-2026__attribute_given_twice",
        &["$.records[0].attributes.actual: the key `actual` is given more than once"],
    ),
    ("miluo-2026__utf16", &["$: the file is UTF-16"]),
    (
        "miluo-2026__gbk",
        &["$: the file is not UTF-8 (looks like GBK): the first byte that is not UTF-8 is at line 10 column 16; save it as UTF-8"],
    ),
    ("miluo-2026__empty", &["$: the file is empty"]),
    (
        "miluo-2026__leading_form_feed",
        &["$: not valid JSON: expected value at line 1 column 1"],
    ),
    (
        "miluo-2026__number_too_many_digits",
        &["$.records[0].attributes.required: `30.0000000000000000000000000001` has more than 28 significant digits"],
    ),
    (
        "miluo-2026__count_over_limit",
        &["$.records[2].count: expected a whole number of occurrences, 0 or more and at most 4294967295, found `5e9`"],
    ),
    (
        "miluo-2026__unit_id_trailing_space",
        &[
            "$.units[0].id: unit id `jtj␠` ends with a space; remove it",
            "$.records[0].unit: unknown unit `jtj` (not in $.units); `jtj␠` in $.units differs from it only by white space",
        ],
    ),
    (
        "miluo-2026__reported_february_30",
        &["$.records[0].reported: expected a date \"YYYY-MM-DD\", found \"2026-02-30\": not a calendar day"],
    ),
    (
        "miluo-2026__revision_negative",
        &["$.records[0].revision: expected a revision number, 0 or more"],
    ),
    (
        "miluo-2026__revision_without_id",
        &["$.records[2].revision: the record has a `revision` but no `id`"],
    ),
    // Several mistakes in one file: each is reported.
    (
        "miluo-2026__several_errors",
        &[
            "$.units[1].group: unknown group `leader`",
            "$.records[0].unit: unknown unit `jtjj`",
            "$.records[0].attributes.level: expected one of",
            "$.records[1].reported: reported 2026-06-01 is after",
            "$.records[2].count: expected a whole number",
        ],
    ),
];

/// Every kind of problem fact validation reports (crates/kaohe/src/facts.rs):
/// each must appear in some snapshot.
const ERROR_CLASSES: &[&str] = &[
    "not valid JSON",
    "expected an object, found",
    "expected an array, found",
    "unexpected field",
    "missing field",
    "expected a date \"YYYY-MM-DD\"",
    "expected a string, found",
    "expected a non-empty string",
    "duplicate unit id",
    "unknown group",
    "unknown unit",
    "unknown record kind",
    "missing attribute",
    "unexpected attribute",
    "expected a whole number, found",
    "expected a number, found",
    "expected true or false",
    "expected one of",
    "expected a whole number of occurrences",
    "expected a month \"YYYY-MM\"",
    "is outside the ruleset's effective range",
    "is after the evaluation date",
    "is listed twice",
    "expected a period (",
    "expected a unit id",
    "did you mean",
    "is given more than once",
    "the file is UTF-16",
    "the file is not UTF-8 (looks like GBK)",
    "the file is empty",
    "significant digits",
    "at most 4294967295",
    "ends with a space; remove it",
    "differs from it only by white space",
    "not a calendar day",
    "expected a revision number",
    "has a `revision` but no `id`",
];

fn corpus_dir() -> PathBuf {
    workspace().join(CORPUS)
}

/// The stems of the corpus files, sorted.
fn corpus() -> Vec<String> {
    corpus_stems(&corpus_dir(), "json", 30)
}

/// The ruleset a corpus file is written against: the part of its name before `__`.
fn ruleset_of(stem: &str) -> String {
    let (ruleset, mistake) = stem
        .split_once("__")
        .unwrap_or_else(|| panic!("`{stem}.json` is not named `<ruleset>__<mistake>.json`"));
    assert!(!mistake.is_empty(), "`{stem}.json` names no mistake");
    let path = format!("rulesets/{ruleset}/{ruleset}.rules");
    assert!(
        workspace().join(&path).is_file(),
        "`{stem}.json`: no shipped ruleset `{path}`"
    );
    path
}

fn eval(stem: &str) -> Run {
    let rules = ruleset_of(stem);
    let facts = format!("{CORPUS}/{stem}.json");
    rulec(&["eval", &rules, &facts])
}

#[test]
fn every_bad_fact_file_is_reported_at_its_json_path() {
    let snapshots = corpus_dir();
    for stem in corpus() {
        let run = eval(&stem);
        let file = format!("{CORPUS}/{stem}.json");
        assert_eq!(run.code, 1, "{file}: bad facts must exit 1\n{}", run.stderr);
        assert!(
            run.stdout.is_empty(),
            "{file}: nothing may be evaluated, stdout was:\n{}",
            run.stdout
        );
        assert!(
            run.stderr.contains("nothing was evaluated"),
            "{file}: {}",
            run.stderr
        );
        let (_, paths) = EXPECTED
            .iter()
            .find(|(s, _)| *s == stem)
            .unwrap_or_else(|| {
                panic!("{file} is not in EXPECTED: say which JSON path it must name")
            });
        for path in *paths {
            assert!(
                run.stderr.contains(&format!("{file}: {path}")),
                "{file}: expected `{path}` in:\n{}",
                run.stderr
            );
        }
        insta::with_settings!({
            snapshot_path => &snapshots,
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("rulec eval {} {file}", ruleset_of(&stem)),
        }, {
            insta::assert_snapshot!(stem.clone(), format!("exit code: {}\n\n{}", run.code, run.stderr));
        });
    }
}

#[test]
fn every_expected_entry_has_a_file() {
    let stems: BTreeSet<String> = corpus().into_iter().collect();
    for (stem, _) in EXPECTED {
        assert!(
            stems.contains(*stem),
            "EXPECTED lists `{stem}`, but {CORPUS}/{stem}.json does not exist"
        );
    }
}

#[test]
fn the_corpus_covers_every_error_class() {
    let mut all = String::new();
    for stem in corpus() {
        all.push_str(&eval(&stem).stderr);
    }
    let missing: Vec<&&str> = ERROR_CLASSES
        .iter()
        .filter(|class| !all.contains(**class))
        .collect();
    assert!(missing.is_empty(), "no corpus file reports {missing:?}");
}

#[test]
fn every_snapshot_belongs_to_a_corpus_file() {
    let stems: BTreeSet<String> = corpus().into_iter().collect();
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(stem) = name.strip_suffix(".snap") {
            assert!(
                stems.contains(stem),
                "`{name}` has no `{stem}.json`; delete it"
            );
        }
    }
}

#[test]
fn the_bases_are_valid() {
    // The valid fact files the corpus files were made from: each corpus file
    // differs from one of them by its one mistake.
    for ruleset in ["miluo-2026", "shaodong-2023"] {
        let rules = format!("rulesets/{ruleset}/{ruleset}.rules");
        let facts = format!("{CORPUS}/base/{ruleset}.json");
        let run = rulec(&["eval", &rules, &facts]);
        assert_eq!(run.code, 0, "{facts}:\n{}", run.stderr);
        assert!(!run.stdout.is_empty(), "{facts}: no results");
    }
}
