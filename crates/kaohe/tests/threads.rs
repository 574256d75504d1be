#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The engine on several threads (issue 15 §4): whatever
//! `EvalOptions::threads` says, the evaluation is byte-identical —
//! `serde_json::to_string` of the `Evaluation`, or, when it fails, every
//! error record in the same order. Checked with 1, 2, 3 and 8 threads on
//! every shipped example, on generated facts of every shipped ruleset and of
//! a province (rankings `within district`, several partitions), on evaluations
//! that fail, and on random rulesets and facts (the property-test generators
//! of `tests/common/`, risky specs included, so that some evaluations fail).
//!
//! Long mode: `KAOHE_PROPTEST_CASES=N` (see docs/testing.md).

mod common;

use std::path::{Path, PathBuf};

use common::facts::FactsSpec;
use common::spec::Spec;
use common::Choices;
use kaohe::synth::{self, SynthSpec};
use kaohe::{Detail, EvalOptions, Facts, Ruleset, SourceFile, Threads, ToErrorRecords};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const THREADS: [usize; 4] = [1, 2, 3, 8];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(path: &Path) -> Ruleset {
    let text = std::fs::read_to_string(path).unwrap();
    Ruleset::from_source(SourceFile::new(path.display().to_string(), text)).unwrap()
}

/// The evaluation as bytes: its JSON, or the JSON of every error record
/// (with the errors' `Debug`, which shows every field, in case a field is
/// left out of the records).
fn outcome(ruleset: &Ruleset, facts: &Facts, detail: Detail, threads: usize) -> String {
    let options = EvalOptions {
        detail,
        threads: Threads::new(threads).unwrap(),
        ..EvalOptions::default()
    };
    match ruleset.evaluate_with(facts, &options) {
        Ok(evaluation) => format!("ok {}", serde_json::to_string(&evaluation).unwrap()),
        Err(error) => format!(
            "err {}\n{:?}",
            serde_json::to_string(&error.error_records()).unwrap(),
            error.all().collect::<Vec<_>>()
        ),
    }
}

/// Evaluates on 1, 2, 3 and 8 threads and asserts the same bytes; returns them.
fn same_on_every_count(ruleset: &Ruleset, facts: &Facts, detail: Detail, what: &str) -> String {
    let one = outcome(ruleset, facts, detail, 1);
    for threads in THREADS.into_iter().skip(1) {
        let many = outcome(ruleset, facts, detail, threads);
        assert!(
            one == many,
            "{what} ({detail:?}): {threads} threads differ from one\n--- one\n{}\n--- {threads}\n{}",
            &one[..one.len().min(3000)],
            &many[..many.len().min(3000)]
        );
    }
    one
}

/// Every shipped ruleset, by its directory.
fn shipped() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(workspace().join("rulesets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn rules_of(dir: &Path) -> PathBuf {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    dir.join(format!("{name}.rules"))
}

#[test]
fn every_shipped_example_is_the_same_on_any_number_of_threads() {
    let mut seen = 0;
    for dir in shipped() {
        let ruleset = load(&rules_of(&dir));
        let Ok(entries) = std::fs::read_dir(dir.join("examples")) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let facts =
                Facts::from_json(&ruleset, &std::fs::read_to_string(&file).unwrap()).unwrap();
            for detail in [Detail::Full, Detail::Totals] {
                let bytes =
                    same_on_every_count(&ruleset, &facts, detail, &file.display().to_string());
                assert!(bytes.starts_with("ok "), "{}: {bytes}", file.display());
            }
            seen += 1;
        }
    }
    assert!(seen >= 5, "only {seen} shipped examples found");
}

#[test]
fn generated_facts_of_every_shipped_ruleset_are_the_same_on_any_number_of_threads() {
    for dir in shipped() {
        let ruleset = load(&rules_of(&dir));
        for (seed, partitions) in [(7, 1), (8, 3)] {
            let spec = SynthSpec {
                seed,
                units_per_group: 9,
                periods: 12,
                records_per_unit_period: 6,
                partitions,
            };
            let facts =
                Facts::from_json(&ruleset, &synth::facts(&ruleset, &spec).to_string()).unwrap();
            let what = format!("{} seed {seed}", dir.display());
            same_on_every_count(&ruleset, &facts, Detail::Full, &what);
        }
    }
}

/// Shaodong's rules with the monthly ranking per county (the province of
/// `benches/province.rs`, annual part kept).
fn province_ruleset() -> Ruleset {
    let text =
        std::fs::read_to_string(workspace().join("rulesets/shaodong-2023/shaodong-2023.rules"))
            .unwrap();
    let edits = [
        (
            "attribute indicators: integer \"重点民生实事指标数\"",
            "attribute indicators: integer \"重点民生实事指标数\"\n  attribute district: text \"县市区\"",
        ),
        (
            "ranking monthly \"月度排名\" of lead [",
            "ranking monthly \"月度排名\" of lead within district [",
        ),
    ];
    let mut text = text;
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "the Shaodong ruleset changed: `{from}`"
        );
        text = text.replacen(from, to, 1);
    }
    Ruleset::from_source(SourceFile::new("shaodong-province.rules", text)).unwrap()
}

#[test]
fn a_province_ranked_per_county_is_the_same_on_any_number_of_threads() {
    let ruleset = province_ruleset();
    for (seed, partitions) in [(2023, 2), (2024, 5), (2025, 11)] {
        let spec = SynthSpec {
            seed,
            units_per_group: 40,
            periods: 6,
            records_per_unit_period: 8,
            partitions,
        };
        let facts = Facts::from_json(&ruleset, &synth::facts(&ruleset, &spec).to_string()).unwrap();
        for detail in [Detail::Full, Detail::Items, Detail::Totals] {
            let bytes =
                same_on_every_count(&ruleset, &facts, detail, &format!("province seed {seed}"));
            assert!(bytes.starts_with("ok "), "{bytes}");
            // Every partition ranked: as many monthly rankings per month.
            let evaluation: serde_json::Value =
                serde_json::from_str(bytes.strip_prefix("ok ").unwrap()).unwrap();
            let monthly = evaluation["rankings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["ranking"] == "monthly")
                .count();
            assert_eq!(monthly, 6 * partitions, "seed {seed}");
        }
    }
}

#[test]
fn a_failing_evaluation_gives_the_same_errors_on_any_number_of_threads() {
    let ruleset = load(&workspace().join("tests/eval-errors/tiny.rules"));
    // Units failing in several months, one unit fine in one month.
    let mut units = Vec::new();
    let mut records = Vec::new();
    for u in 0..23 {
        units.push(serde_json::json!({"id": format!("u{u:02}"), "name": format!("单位{u}"), "group": "lead"}));
        if u % 5 == 0 {
            records.push(serde_json::json!({
                "kind": "late_report", "unit": format!("u{u:02}"),
                "period": "2026-02", "reported": "2026-02-10", "attributes": {}
            }));
        }
    }
    let facts = serde_json::json!({
        "as_of": "2026-04-30",
        "periods": ["2026-01", "2026-02", "2026-03"],
        "units": units,
        "records": records,
    });
    let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
    let bytes = same_on_every_count(&ruleset, &facts, Detail::Full, "tiny.rules");
    assert!(bytes.starts_with("err "), "{bytes}");
    let errors: serde_json::Value =
        serde_json::from_str(bytes.strip_prefix("err ").unwrap().lines().next().unwrap()).unwrap();
    // Every unit once per expression (de-duplicated across the months).
    assert_eq!(errors.as_array().unwrap().len(), 23, "{errors}");
}

fn cases(default: u32) -> u32 {
    std::env::var("KAOHE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Random rulesets (risky ones too: division, overflow, absent values) and
/// random facts: the same bytes, results or errors, on 1, 2, 3 and 8
/// threads. Counts the failing evaluations, so that the property is known to
/// reach them.
#[test]
fn random_rulesets_and_facts_are_the_same_on_any_number_of_threads() {
    let config = Config {
        cases: cases(64),
        failure_persistence: None,
        ..Config::default()
    };
    let failing = std::cell::Cell::new(0u32);
    let strategy = (
        any::<bool>(),
        proptest::collection::vec(any::<u32>(), 0..400),
        proptest::collection::vec(any::<u32>(), 0..600),
    );
    // A fixed seed: the failing evaluations the assertion below counts are
    // reached on every run, not on most.
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let result = runner.run(&strategy, |(risky, rules, fact_choices)| {
        let spec = Spec::generate(&mut Choices::new(rules), risky);
        let text = spec.render();
        let ruleset = Ruleset::from_source(SourceFile::new("generated.rules", text.clone()))
            .map_err(|e| TestCaseError::fail(format!("generated ruleset rejected: {e}\n{text}")))?;
        let generated = FactsSpec::generate(&mut Choices::new(fact_choices), &spec, None);
        let json = generated.to_json(&spec);
        let facts = Facts::from_json(&ruleset, &json)
            .map_err(|e| TestCaseError::fail(format!("generated facts rejected: {e}\n{json}")))?;
        for detail in [Detail::Full, Detail::Totals] {
            let one = outcome(&ruleset, &facts, detail, 1);
            if one.starts_with("err ") {
                failing.set(failing.get() + 1);
            }
            for threads in THREADS.into_iter().skip(1) {
                let many = outcome(&ruleset, &facts, detail, threads);
                prop_assert!(
                    one == many,
                    "{threads} threads differ from one ({detail:?})\n--- one\n{one}\n--- {threads}\n{many}\n--- ruleset\n{text}\n--- facts\n{json}"
                );
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!("threads property: {} failing evaluations", failing.get());
    assert!(
        failing.get() > 0,
        "no generated evaluation failed: the property does not reach errors"
    );
}
