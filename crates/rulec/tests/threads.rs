//! `rulec eval --threads N` (issue 15 §4): the same bytes on standard output
//! and standard error, and the same exit code, with one thread and with
//! several — JSON, CSV and the table, on every shipped example, on generated
//! facts ranked per county, with a sub-assessment `--input`, and on an
//! evaluation that fails (every error, in the same order).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-threads-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `rulec eval` with `args` then `--threads 1`, `2` and `3`: the same run
/// each time; returns it.
fn same_on_every_count(args: &[&str], dir: &Path) -> (i32, String, String) {
    let with = |threads: &str| {
        let mut all: Vec<&str> = vec!["eval"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--threads", threads]);
        let run: (i32, String, String) = common::rulec_in(dir, &all).into();
        run
    };
    let one = with("1");
    for threads in ["2", "3"] {
        let many = with(threads);
        assert!(
            one == many,
            "rulec eval {args:?}: --threads {threads} differs from --threads 1\n--- 1\n{one:?}\n--- {threads}\n{many:?}"
        );
    }
    one
}

/// Every shipped ruleset's examples: (ruleset path, example path).
fn examples() -> Vec<(String, String)> {
    common::shipped_examples()
        .into_iter()
        .map(|(name, stem)| {
            (
                format!("rulesets/{name}/{name}.rules"),
                format!("rulesets/{name}/examples/{stem}.json"),
            )
        })
        .collect()
}

#[test]
fn every_shipped_example_prints_the_same_bytes_on_one_thread_and_on_several() {
    let root = common::workspace();
    let examples = examples();
    assert!(examples.len() >= 5, "{examples:?}");
    for (rules, facts) in &examples {
        for format in ["json", "csv", "table"] {
            let (code, stdout, stderr) =
                same_on_every_count(&[rules, facts, "--format", format], &root);
            assert_eq!(code, 0, "{rules} {facts}: {stderr}");
            assert!(!stdout.is_empty());
        }
    }
}

#[test]
fn generated_facts_ranked_per_county_print_the_same_bytes_on_one_thread_and_on_several() {
    let dir = scratch("province");
    let root = common::workspace();
    // Shaodong with its monthly ranking per county: several partitions.
    let text = std::fs::read_to_string(root.join("rulesets/shaodong-2023/shaodong-2023.rules"))
        .unwrap()
        .replacen(
            "attribute indicators: integer \"重点民生实事指标数\"",
            "attribute indicators: integer \"重点民生实事指标数\"\n  attribute district: text \"县市区\"",
            1,
        )
        .replacen(
            "ranking monthly \"月度排名\" of lead [",
            "ranking monthly \"月度排名\" of lead within district [",
            1,
        );
    assert!(text.contains("within district"));
    std::fs::write(dir.as_path().join("province.rules"), text).unwrap();
    let (code, _, stderr) = common::rulec_in(
        dir.as_path(),
        &[
            "generate",
            "province.rules",
            "--units",
            "30",
            "--periods",
            "6",
            "--records",
            "6",
            "--partitions",
            "4",
            "--output",
            "province.json",
        ],
    )
    .into();
    assert_eq!(code, 0, "{stderr}");
    for format in ["json", "csv"] {
        let (code, stdout, stderr) = same_on_every_count(
            &["province.rules", "province.json", "--format", format],
            dir.as_path(),
        );
        assert_eq!(code, 0, "{stderr}");
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            let within: std::collections::BTreeSet<&str> = json["rankings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|r| r["within"].as_str())
                .collect();
            assert_eq!(within.len(), 4, "{within:?}");
        }
    }
}

#[test]
fn a_sub_assessment_input_gives_the_same_bytes_on_one_thread_and_on_several() {
    let root = common::workspace();
    for format in ["json", "csv"] {
        let (code, _, stderr) = same_on_every_count(
            &[
                "tests/inputs/sub-assessment/main.rules",
                "tests/inputs/sub-assessment/examples/main-2026-05.json",
                "--input",
                "petition=tests/inputs/sub-assessment/petition.rules:tests/inputs/sub-assessment/examples/petition-2026-05.json",
                "--format",
                format,
            ],
            &root,
        );
        assert_eq!(code, 0, "{stderr}");
    }
}

#[test]
fn a_failing_evaluation_prints_the_same_errors_on_one_thread_and_on_several() {
    let dir = scratch("failing");
    let root = common::workspace();
    std::fs::copy(
        root.join("tests/eval-errors/tiny.rules"),
        dir.as_path().join("tiny.rules"),
    )
    .unwrap();
    let units: Vec<String> = (0..12)
        .map(|u| format!(r#"{{"id": "u{u:02}", "name": "单位{u}", "group": "lead"}}"#))
        .collect();
    let facts = format!(
        r#"{{"as_of": "2026-06-10", "periods": ["2026-04", "2026-05"], "units": [{}],
  "records": [{{"unit": "u03", "period": "2026-05", "kind": "late_report", "reported": "2026-05-03", "attributes": {{}}}}]}}"#,
        units.join(", ")
    );
    std::fs::write(dir.as_path().join("facts.json"), facts).unwrap();
    for format in ["json", "table"] {
        let (code, stdout, stderr) = same_on_every_count(
            &["tiny.rules", "facts.json", "--format", format],
            dir.as_path(),
        );
        assert_eq!(code, 1, "{stdout}{stderr}");
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            // Every unit fails in April, all but `u03` in May: once each.
            assert_eq!(json["errors"].as_array().unwrap().len(), 12, "{json}");
        }
    }
}

/// A number of threads of 0, or over `kaohe::Threads::MAX` (a few digits
/// too many: it aborted on a failed allocation, overflowed, or spent minutes
/// starting threads for a 15 KB file), is refused before anything is read.
#[test]
fn a_number_of_threads_out_of_range_is_refused() {
    let rules = "rulesets/miluo-2026/miluo-2026.rules";
    let facts = "rulesets/miluo-2026/examples/2026-04.json";
    let max = kaohe::Threads::MAX.to_string();
    let run = common::rulec(&["eval", rules, facts, "--threads", &max, "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for n in ["0", "257", "99999999999", "18446744073709551615"] {
        let run = common::rulec(&["eval", rules, facts, "--threads", n, "--format", "csv"]);
        assert_eq!(run.code, 2, "--threads {n}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("`{n}` is not a number of threads (1 to 256)")),
            "--threads {n}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "--threads {n}: {}", run.stdout);
    }
}

/// A negative number of threads is read as a value, not as an option, and
/// refused for what it is; the reason is in Chinese under `--lang zh`.
#[test]
fn a_negative_number_of_threads_is_refused_and_the_reason_is_localised() {
    let rules = "rulesets/miluo-2026/miluo-2026.rules";
    let facts = "rulesets/miluo-2026/examples/2026-04.json";
    let run = common::rulec(&["eval", rules, facts, "--threads", "-1"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`-1` is not a number of threads (1 to 256)"),
        "{}",
        run.stderr
    );
    for n in ["0", "-1"] {
        let run = common::rulec(&["--lang", "zh", "eval", rules, facts, "--threads", n]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("`{n}` 不是有效的线程数（应为 1 到 256）")),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("is not a number"), "{}", run.stderr);
    }
}
