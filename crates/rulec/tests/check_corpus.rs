#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The invalid-ruleset corpus: every `tests/check/*.rules` file holds one mistake
//! (its first line says which), and `rulec check` must report it. The human and
//! JSON output of each file is snapshotted beside it as `<stem>.human.snap` and
//! `<stem>.json.snap`. `cargo insta review` only looks inside package folders, so
//! it does not find these: after a deliberate change, rewrite them with
//! `INSTA_UPDATE=always cargo test -p rulec --test check_corpus` and read the
//! change with `git diff tests/check`.
//!
//! To add a case: copy `tests/check/base/base.rules` (or `base_with_levels.rules`),
//! make one mistake, say what it is on the first line, and rewrite the snapshots.

mod common;
use common::{corpus_stems, rulec, workspace};

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

/// Every diagnostic code the checker has. A new diagnostic needs a corpus file.
const ALL_CODES: &[&str] = &[
    "kaohe::syntax",
    "kaohe::limit_exceeded",
    "kaohe::full_width_punctuation",
    "kaohe::number_out_of_range",
    "kaohe::invalid_date",
    "kaohe::reversed_discretion",
    "kaohe::missing_part",
    "kaohe::repeated_statement",
    "kaohe::unknown_name",
    "kaohe::duplicate_name",
    "kaohe::type_mismatch",
    "kaohe::wrong_argument_count",
    "kaohe::non_positive_cap",
    "kaohe::cap_across_categories",
    "kaohe::negative_amount",
    "kaohe::invalid_range",
    "kaohe::overlapping_effective",
    "kaohe::missing_levels",
    "kaohe::needs_record",
    "kaohe::previous_without_key",
    "kaohe::misplaced_ranked",
    "kaohe::conflicting_policy",
    "kaohe::incomplete_classification",
    "kaohe::zero_count",
    "kaohe::unknown_assumption",
    "kaohe::allotment_mismatch",
    "kaohe::never_binds",
    "kaohe::unacknowledged_ties",
    "kaohe::missing_citation",
    "kaohe::unused_input",
    "kaohe::uncited_assumption",
    "kaohe::outside_effective",
    "kaohe::effective_splits_period",
    "kaohe::never_effective",
    "kaohe::never_holds",
    "kaohe::zero_amount",
    "kaohe::duplicate_label",
    "kaohe::count_in_amount",
    "kaohe::undeclared_clause",
    "kaohe::count_beyond_year",
    "kaohe::period_is_year",
    "kaohe::misplaced_step",
    "kaohe::unreachable_band",
    "kaohe::measure_in_measure",
    "kaohe::misplaced_this",
    "kaohe::calendar_day",
    "kaohe::calendar_year",
    "kaohe::no_calendar",
    "kaohe::calendar_missing_year",
    "kaohe::misplaced_duration",
    "kaohe::group_not_scored",
    "kaohe::group_scored_twice",
    "kaohe::score_without_group",
    "kaohe::allotments_statement",
    "kaohe::misplaced_subtotal",
];

/// The keys of every element of `rulec check --format json`.
const JSON_KEYS: &[&str] = &[
    "file", "line", "column", "end", "severity", "code", "message", "help",
];

/// The corpus directory, relative to the workspace root.
const CORPUS: &str = "tests/check";

fn corpus_dir() -> PathBuf {
    workspace().join(CORPUS)
}

/// The stems of the corpus files, sorted.
fn corpus() -> Vec<String> {
    corpus_stems(&corpus_dir(), "rules", 32)
}

/// The path of a corpus file as given to `rulec` (relative to the workspace root).
fn relative(stem: &str) -> String {
    format!("{CORPUS}/{stem}.rules")
}

/// Parses `rulec check --format json` output and checks every element's shape.
fn diagnostics(context: &str, stdout: &str) -> Vec<Value> {
    let value: Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("{context}: stdout is not JSON ({e}):\n{stdout}"));
    let Value::Array(items) = value else {
        panic!("{context}: JSON output is not an array:\n{stdout}");
    };
    for item in &items {
        let object = item
            .as_object()
            .unwrap_or_else(|| panic!("{context}: element is not an object: {item}"));
        for key in JSON_KEYS {
            assert!(
                object.contains_key(*key),
                "{context}: element lacks `{key}`: {item}"
            );
        }
        for key in ["line", "column"] {
            assert!(
                item["end"][key].is_u64(),
                "{context}: `end` lacks `{key}`: {item}"
            );
        }
        assert!(
            matches!(item["severity"].as_str(), Some("error" | "warning")),
            "{context}: bad severity: {item}"
        );
    }
    items
}

fn has_error(diagnostics: &[Value]) -> bool {
    diagnostics.iter().any(|d| d["severity"] == "error")
}

/// The first line of a corpus file: the comment saying what its one mistake is.
fn mistake(stem: &str) -> String {
    let text = std::fs::read_to_string(corpus_dir().join(format!("{stem}.rules"))).unwrap();
    let first = text.lines().next().unwrap_or("");
    assert!(
        first.starts_with("// "),
        "{stem}.rules: the first line must be a comment saying what the mistake is"
    );
    first.trim_start_matches("// ").to_owned()
}

#[test]
fn corpus_snapshots_and_exit_codes() {
    let snapshots = corpus_dir();
    for stem in corpus() {
        let file = relative(&stem);
        let description = mistake(&stem);

        let human = rulec(&["check", &file]);
        let json = rulec(&["check", "--format", "json", &file]);
        let found = diagnostics(&file, &json.stdout);
        assert!(!found.is_empty(), "{file}: no diagnostic reported");
        for d in &found {
            assert_eq!(d["file"], file.as_str(), "{file}: wrong `file` in {d}");
        }

        if has_error(&found) {
            assert_eq!(human.code, 1, "{file}: errors must exit 1");
            assert_eq!(json.code, 1, "{file}: errors must exit 1 (json)");
        } else {
            assert_eq!(human.code, 0, "{file}: warnings alone must exit 0");
            assert_eq!(json.code, 0, "{file}: warnings alone must exit 0 (json)");
            let denied = rulec(&["check", "--deny-warnings", &file]);
            assert_eq!(denied.code, 1, "{file}: --deny-warnings must exit 1");
        }
        assert!(
            human.stdout.is_empty(),
            "{file}: human output goes to stderr, stdout was:\n{}",
            human.stdout
        );

        insta::with_settings!({
            snapshot_path => &snapshots,
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => description,
        }, {
            insta::assert_snapshot!(
                format!("{stem}.human"),
                format!("exit code: {}\n\n{}", human.code, human.stderr)
            );
            insta::assert_snapshot!(
                format!("{stem}.json"),
                format!("exit code: {}\n\n{}", json.code, json.stdout)
            );
        });
    }
}

#[test]
fn corpus_covers_every_diagnostic_code() {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for stem in corpus() {
        let file = relative(&stem);
        let json = rulec(&["check", "--format", "json", &file]);
        for d in diagnostics(&file, &json.stdout) {
            seen.insert(d["code"].as_str().expect("code is a string").to_owned());
        }
    }
    let expected: BTreeSet<String> = ALL_CODES.iter().map(|c| (*c).to_owned()).collect();
    let untested: Vec<_> = expected.difference(&seen).collect();
    let unlisted: Vec<_> = seen.difference(&expected).collect();
    assert!(
        untested.is_empty() && unlisted.is_empty(),
        "codes with no corpus file: {untested:?}; codes missing from ALL_CODES: {unlisted:?}"
    );
}

#[test]
fn every_snapshot_belongs_to_a_corpus_file() {
    let stems: BTreeSet<String> = corpus().into_iter().collect();
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(rest) = name.strip_suffix(".snap") else {
            continue;
        };
        let stem = rest
            .strip_suffix(".human")
            .or_else(|| rest.strip_suffix(".json"))
            .unwrap_or_else(|| panic!("unexpected snapshot name `{name}`"));
        assert!(
            stems.contains(stem),
            "`{name}` has no `{stem}.rules`; delete it"
        );
    }
}

#[test]
fn shipped_rulesets_check_clean() {
    for file in [
        "rulesets/shaodong-2023/shaodong-2023.rules",
        "rulesets/miluo-2026/miluo-2026.rules",
    ] {
        let run = rulec(&["check", "--deny-warnings", file]);
        assert_eq!(run.code, 0, "{file}:\n{}", run.stderr);
    }
}

#[test]
fn corpus_bases_check_clean() {
    // The valid rulesets the corpus files were made from: each corpus file differs
    // from one of them by its one mistake.
    for file in [
        "tests/check/base/base.rules",
        "tests/check/base/base_with_levels.rules",
    ] {
        let run = rulec(&["check", "--deny-warnings", "--format", "json", file]);
        assert_eq!(run.code, 0, "{file}:\n{}", run.stdout);
        assert!(diagnostics(file, &run.stdout).is_empty(), "{file}");
    }
}

#[test]
fn misspelt_record_kind_suggests_the_declared_name() {
    let file = relative("unknown_record_kind");
    let run = rulec(&["check", &file]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // `per reprot where late` is line 31; `reprot` starts in column 11.
    assert!(
        run.stderr.contains(&format!("{file}:31:11")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("unknown record kind `reprot`"));
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains("───┬──") && l.trim_start().starts_with('·')),
        "no underline:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `report`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn garbage_line_is_reported_at_its_line() {
    let stem = "garbage_line_appended";
    let file = relative(stem);
    let text = std::fs::read_to_string(corpus_dir().join(format!("{stem}.rules"))).unwrap();
    let last = text.lines().count();
    assert!(text.lines().last().unwrap().starts_with("this line"));

    let run = rulec(&["check", &file]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{file}:{last}:1")),
        "expected {file}:{last}:1 in:\n{}",
        run.stderr
    );

    let json = rulec(&["check", "--format", "json", &file]);
    let found = diagnostics(&file, &json.stdout);
    assert_eq!(found.len(), 1, "{}", json.stdout);
    assert_eq!(found[0]["code"], "kaohe::syntax");
    assert_eq!(found[0]["line"], last);
    assert_eq!(found[0]["column"], 1);
}
