#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The invalid-ruleset corpus (`tests/check/*.rules`, one mistake per file)
//! checked through the library, so that `cargo test -p kaohe` catches a change
//! to the checker (issue 12 §8: mutation testing of `check/`), not only
//! `rulec`'s `check_corpus.rs`.
//!
//! For every corpus file, [`kaohe::check`] must give exactly the diagnostics of
//! its `<stem>.json.snap` (the expected output of `rulec check --format json`,
//! written by `rulec`'s test): same order, codes, severities, spans (line,
//! column, end), messages and helps; whether the ruleset is usable must agree
//! with the snapshot's exit code; and every label a diagnostic carries must be
//! printed in its `<stem>.human.snap`. The bases the corpus was made from check
//! without any diagnostic. The snapshots are only read here: they are
//! rewritten by `INSTA_UPDATE=always cargo test -p rulec --test check_corpus`.

use std::path::{Path, PathBuf};

use kaohe::{check, SourceFile};
use miette::Diagnostic;
use serde_json::Value;

/// The corpus directory, relative to the workspace root (as `rulec`'s test names it).
const CORPUS: &str = "tests/check";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The stems of the corpus files, sorted.
fn corpus() -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(workspace().join(CORPUS))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|name| name.strip_suffix(".rules").map(str::to_owned))
        .collect();
    stems.sort();
    assert!(
        stems.len() >= 32,
        "the corpus has only {} files",
        stems.len()
    );
    stems
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// An insta snapshot's body (after the `---` header) split into the exit code
/// line's number and the rest.
fn snapshot_body(relative: &str) -> (i32, String) {
    let text = read(relative);
    let mut parts = text.splitn(3, "---\n");
    assert_eq!(parts.next(), Some(""), "{relative}: no snapshot header");
    let _header = parts.next().unwrap();
    let body = parts.next().unwrap();
    let (first, rest) = body.split_once("\n\n").unwrap();
    let code = first
        .strip_prefix("exit code: ")
        .unwrap_or_else(|| panic!("{relative}: no exit code line"))
        .parse()
        .unwrap();
    (code, rest.to_owned())
}

#[test]
fn the_library_gives_every_corpus_file_its_expected_diagnostics() {
    let mut compared = 0;
    for stem in corpus() {
        let name = format!("{CORPUS}/{stem}.rules");
        let source = SourceFile::new(name.clone(), read(&name));
        let checked = check(&source);

        let (exit, json) = snapshot_body(&format!("{CORPUS}/{stem}.json.snap"));
        let expected: Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{stem}.json.snap: not JSON ({e})"));
        let actual: Vec<Value> = checked
            .diagnostics
            .iter()
            .map(|d| serde_json::to_value(d.record(&source)).unwrap())
            .collect();
        assert_eq!(
            Value::Array(actual),
            expected,
            "{name}: the library's diagnostics differ from {stem}.json.snap"
        );
        assert!(!checked.diagnostics.is_empty(), "{name}: no diagnostic");

        let usable = checked.is_ok();
        assert_eq!(
            usable,
            checked.diagnostics.iter().all(|d| !d.is_error()),
            "{name}: `is_ok` disagrees with the severities"
        );
        assert_eq!(
            checked.errors().count() + checked.warnings().count(),
            checked.diagnostics.len(),
            "{name}: errors and warnings do not partition the diagnostics"
        );
        assert_eq!(
            checked.errors().count(),
            checked.diagnostics.iter().filter(|d| d.is_error()).count(),
            "{name}: `errors()`"
        );
        assert_eq!(exit, if usable { 0 } else { 1 }, "{name}: exit code");

        // The labels (and the position of the first) as `rulec` prints them.
        let (_, human) = snapshot_body(&format!("{CORPUS}/{stem}.human.snap"));
        let flat: String = human.split_whitespace().collect::<Vec<_>>().join(" ");
        for d in &checked.diagnostics {
            // miette heads the snippet with the earliest label's position.
            let first = d
                .labels()
                .into_iter()
                .flatten()
                .map(|l| l.offset())
                .min()
                .unwrap_or_default();
            // Its column counts bytes, not characters.
            let at = source.line_column(first);
            let line_start = source
                .text()
                .get(..first)
                .unwrap()
                .rfind('\n')
                .map_or(0, |n| n + 1);
            let location = format!("[{name}:{}:{}]", at.line, first - line_start + 1);
            assert!(
                human.contains(&location),
                "{name}: {location} not in the human output"
            );
            for label in d.labels().into_iter().flatten() {
                if let Some(text) = label.label() {
                    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    assert!(
                        flat.contains(&text),
                        "{name}: label `{text}` of {} not in the human output",
                        d.code_str()
                    );
                }
            }
        }
        compared += 1;
    }
    assert!(compared >= 32);
}

#[test]
fn the_corpus_bases_check_without_a_diagnostic() {
    for name in [
        "tests/check/base/base.rules",
        "tests/check/base/base_with_levels.rules",
    ] {
        let source = SourceFile::new(name, read(name));
        let checked = check(&source);
        let codes: Vec<String> = checked.diagnostics.iter().map(|d| d.code_str()).collect();
        assert!(codes.is_empty(), "{name}: {codes:?}");
        assert!(checked.is_ok() && checked.file.is_some(), "{name}");
    }
}
