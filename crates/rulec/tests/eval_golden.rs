//! Golden output of `rulec eval` for every shipped example: the ranking table,
//! CSV, JSON and one explanation, as insta snapshots under `tests/golden/`.
//! Update with `INSTA_UPDATE=always cargo test -p rulec --test eval_golden`
//! and review `git diff tests/golden` before committing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::workspace;

/// Runs rulec in the workspace root with relative paths, so output is portable.
fn rulec(args: &[&str]) -> (i32, String, String) {
    common::rulec(args).into()
}

/// (ruleset name, example stem) for every shipped example.
fn examples() -> Vec<(String, String)> {
    common::shipped_examples()
}

#[test]
fn eval_output_of_every_example() {
    let examples = examples();
    assert!(examples.len() >= 3, "expected the shipped examples");
    for (ruleset, stem) in examples {
        let rules = format!("rulesets/{ruleset}/{ruleset}.rules");
        let facts = format!("rulesets/{ruleset}/examples/{stem}.json");
        let snapshot = |format: &str, extra: &[&str]| {
            let mut args = vec!["eval", rules.as_str(), facts.as_str(), "--format", format];
            args.extend_from_slice(extra);
            let (code, stdout, stderr) = rulec(&args);
            assert_eq!(code, 0, "{args:?}: {stderr}");
            stdout
        };
        let json = snapshot("json", &[]);
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["format_version"], 1);
        for result in parsed["results"].as_array().unwrap() {
            for key in ["unit", "period", "total", "rank", "items", "notices"] {
                assert!(result.get(key).is_some(), "result without `{key}`");
            }
        }
        // The unit explained: the lowest-ranked unit of the first period.
        let first_period = parsed["results"][0]["period"].as_str().unwrap().to_owned();
        let explained = parsed["results"]
            .as_array()
            .unwrap()
            .iter()
            .rfind(|r| r["period"] == first_period.as_str())
            .unwrap()["unit"]
            .as_str()
            .unwrap()
            .to_owned();
        let settings = |name: &str, body: &str| {
            insta::with_settings!({
                snapshot_path => workspace().join("tests/golden"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("rulec eval {rules} {facts} ({name})"),
            }, {
                insta::assert_snapshot!(format!("{ruleset}__{stem}.{name}"), body);
            });
        };
        settings("table", &snapshot("table", &[]));
        settings("csv", &snapshot("csv", &[]));
        settings("json", &json);
        settings(
            "explain",
            &snapshot(
                "table",
                &[
                    "--period",
                    first_period.as_str(),
                    "--explain",
                    explained.as_str(),
                ],
            ),
        );
    }
}

#[test]
fn bad_facts_exit_1_with_a_json_path_and_no_results() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-bad-facts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"as_of": "2026-06-10",
            "units": [{"id": "jtj", "name": "教体局", "group": "lead"}],
            "records": [{"unit": "jtj", "period": "2026-04", "kind": "indicatr",
                         "reported": "2026-04-14", "attributes": {}}]}"#,
    )
    .unwrap();
    let (code, stdout, stderr) = rulec(&[
        "eval",
        "rulesets/miluo-2026/miluo-2026.rules",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "printed results: {stdout}");
    assert!(stderr.contains("$.records[0].kind"), "{stderr}");
    assert!(stderr.contains("did you mean `indicator`"), "{stderr}");

    // With `--format json`, the errors are data on standard output, and no results.
    let (code, stdout, stderr) = rulec(&[
        "eval",
        "rulesets/miluo-2026/miluo-2026.rules",
        bad.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.is_empty(), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert_eq!(errors[0]["path"], "$.records[0].kind");
    assert_eq!(errors[0]["severity"], "error");
    assert!(errors[0]["code"]
        .as_str()
        .unwrap()
        .starts_with("kaohe::facts::"));
    assert!(json.get("results").is_none());
}

#[test]
fn schema_lists_every_record_kind() {
    let (code, stdout, _) = rulec(&["schema", "rulesets/shaodong-2023/shaodong-2023.rules"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let kinds: Vec<&str> = schema["properties"]["records"]["items"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["properties"]["kind"]["const"].as_str().unwrap())
        .collect();
    for kind in ["behind_schedule", "media_report", "project_rank", "report"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(
        schema["required"],
        serde_json::json!(["as_of", "units", "records"])
    );
}
