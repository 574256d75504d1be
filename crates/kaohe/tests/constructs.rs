#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Golden cases of single language constructs (issue 13): every folder of
//! `tests/constructs/` holds a small invented ruleset using one construct and
//! its `cases/`. Each ruleset checks without warnings, is formatted, and its
//! cases pass with full clause coverage (as `rulec test --coverage` demands).

use std::path::PathBuf;

use kaohe::cases::{run_suite, SuiteOptions};

fn constructs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/constructs")
}

#[test]
fn construct_rulesets_check_clean_and_are_formatted() {
    let mut found = 0;
    for entry in std::fs::read_dir(constructs()).unwrap() {
        let dir = entry.unwrap().path();
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "rules") {
                found += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                let source =
                    kaohe::source::SourceFile::new(path.display().to_string(), text.clone());
                let ruleset = kaohe::Ruleset::from_source(source.clone())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(
                    ruleset.warnings().is_empty(),
                    "{}: {:?}",
                    path.display(),
                    ruleset.warnings()
                );
                let formatted = kaohe::syntax::format::format(&source).unwrap();
                assert_eq!(formatted, text, "{} is not formatted", path.display());
            }
        }
    }
    assert!(found >= 1);
}

#[test]
fn construct_cases_pass_with_full_coverage() {
    let report = run_suite(
        &[constructs()],
        &SuiteOptions {
            bless: false,
            coverage: true,
        },
    )
    .unwrap();
    assert!(!report.cases.is_empty());
    for case in &report.cases {
        assert!(
            case.outcome.passed(),
            "{}: {:?}",
            case.path.display(),
            case.outcome
        );
    }
    for c in &report.coverage {
        assert_eq!(
            c.gaps(),
            0,
            "{}: {:?} {:?}",
            c.ruleset.display(),
            c.uncovered,
            c.uncited
        );
    }
    assert!(report.passed());
}
