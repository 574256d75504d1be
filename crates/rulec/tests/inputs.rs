//! One scheme feeding another (issue 13 §11): `rulec eval --input
//! NAME=RULES:FACTS` evaluates the sub-ruleset on its facts and feeds its
//! result to the main ruleset's `input`, with its provenance in the JSON and
//! on the explanation line of the rule that reads it; a missing, undeclared
//! or malformed `--input` is refused with its code and JSON path.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

const MAIN: &str = "tests/inputs/sub-assessment/main.rules";
const MAIN_FACTS: &str = "tests/inputs/sub-assessment/examples/main-2026-05.json";
const PETITION: &str = "petition=tests/inputs/sub-assessment/petition.rules:tests/inputs/sub-assessment/examples/petition-2026-05.json";

fn rulec(args: &[&str]) -> (i32, String, String) {
    common::rulec(args).into()
}

#[test]
fn the_sub_assessment_feeds_the_main_ruleset_with_its_provenance() {
    let (code, stdout, stderr) = rulec(&[
        "eval", MAIN, MAIN_FACTS, "--input", PETITION, "--format", "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // The petition assessment gives t1 100 (1st), t2 95, t3 85 (SA-3: 0.1 per
    // point lost; SA-4: +1 for the first).
    let total = |unit: &str| {
        json["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["unit"] == unit)
            .unwrap()["total"]
            .clone()
    };
    assert_eq!(total("t1"), "101");
    assert_eq!(total("t2"), "99.5");
    assert_eq!(total("t3"), "98.5");
    let input = &json["inputs"][0];
    assert_eq!(input["input"], "petition");
    assert_eq!(input["ruleset"], "petition_2026");
    assert!(input["ruleset_hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert!(input["facts_hash"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(input["periods"], serde_json::json!(["2026-05"]));
    // The line of the rule that read it names it.
    let t3 = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == "t3")
        .unwrap();
    let line = t3["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "petition_points")
        .unwrap();
    assert_eq!(line["inputs"], serde_json::json!(["petition"]));
    assert_eq!(line["amount"], "-1.5");
    // The explanation shows where the number came from.
    let (code, stdout, stderr) = rulec(&[
        "eval",
        MAIN,
        MAIN_FACTS,
        "--input",
        PETITION,
        "--explain",
        "t3",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let hash = input["ruleset_hash"].as_str().unwrap();
    assert!(
        stdout.contains(&format!("input petition 信访工作考核 ← petition_2026 示例县信访工作考核办法（虚构示例） ({hash})")),
        "{stdout}"
    );
    assert!(
        stdout.contains("(100 - petition.total) * 0.1 = (100 - 85) * 0.1 = 1.5"),
        "{stdout}"
    );
}

#[test]
fn inputs_missing_undeclared_or_malformed_are_refused() {
    let codes = |args: &[&str]| {
        let (code, stdout, _) = rulec(args);
        assert_eq!(code, 1, "{args:?}: {stdout}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["code"].as_str().unwrap().to_owned(),
                    e["path"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&["eval", MAIN, MAIN_FACTS, "--format", "json"]),
        [(
            "kaohe::input::missing".to_owned(),
            "$.inputs.petition".to_owned()
        )]
    );
    let other = PETITION.replacen("petition=", "other=", 1);
    assert_eq!(
        codes(&[
            "eval", MAIN, MAIN_FACTS, "--input", PETITION, "--input", &other, "--format", "json"
        ]),
        [(
            "kaohe::input::undeclared".to_owned(),
            "$.inputs.other".to_owned()
        )]
    );
    // A malformed option is a usage error.
    let (code, _, stderr) = rulec(&["eval", MAIN, MAIN_FACTS, "--input", "petition"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("NAME=RULES:FACTS"), "{stderr}");
}

/// The explanation of a unit whose score reads a sub-assessment: the line of
/// the rule that reads it, and under it the sub-ruleset and facts it came
/// from (golden: the provenance a reader checks the number against).
#[test]
fn the_explanation_shows_where_the_input_came_from() {
    let (code, stdout, stderr) = rulec(&[
        "eval",
        MAIN,
        MAIN_FACTS,
        "--input",
        PETITION,
        "--explain",
        "t3",
    ]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

/// The same input given twice: refused (the last one used to win silently).
#[test]
fn the_same_input_twice_is_refused() {
    let (code, _, stderr) = rulec(&[
        "eval", MAIN, MAIN_FACTS, "--input", PETITION, "--input", PETITION,
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`--input petition=…` is given twice"),
        "{stderr}"
    );
}

const PETITION_PROVISIONAL: &str = "petition=tests/inputs/sub-assessment/petition.rules:tests/inputs/sub-assessment/examples/petition-2026-05-provisional.json";

/// A main result built on a provisional sub-result (the petition facts'
/// `as_of` 2026-05-31 is inside May; the main facts' 2026-06-10 is not) is
/// provisional in every output: JSON, table, CSV, bulletin; the explanation's
/// provenance line says the input was provisional (golden). It used to be
/// reported final (breaker's item 1).
#[test]
fn a_result_on_a_provisional_input_is_provisional_in_every_output() {
    let eval = |extra: &[&str]| {
        let mut args = vec!["eval", MAIN, MAIN_FACTS, "--input", PETITION_PROVISIONAL];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = rulec(&args);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let json: serde_json::Value = serde_json::from_str(&eval(&["--format", "json"])).unwrap();
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|r| r["provisional"] == true), "{json}");
    assert!(json["rankings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["provisional"] == true));
    assert_eq!(
        json["inputs"][0]["provisional"],
        serde_json::json!(["2026-05"])
    );
    let table = eval(&[]);
    assert!(table.contains("(period, provisional)"), "{table}");
    let csv = eval(&["--format", "csv"]);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",provisional"), "{csv}");
    assert!(lines.all(|l| l.ends_with(",yes")), "{csv}");
    // The same with a final input: no provisional column at all.
    let (_, final_csv, _) = rulec(&[
        "eval", MAIN, MAIN_FACTS, "--input", PETITION, "--format", "csv",
    ]);
    assert!(!final_csv.contains("provisional"), "{final_csv}");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-inputs-provisional-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("bulletin.html");
    eval(&["--format", "html", "-o", html.to_str().unwrap()]);
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("暂定结果"), "{html}");
    insta::assert_snapshot!(eval(&["--explain", "t3"]));
}

/// A path with a colon in it (a Windows drive, `C:\\…`, or a directory
/// named so): the split of `RULES:FACTS` is the one whose two sides are
/// existing files; when two splits both are, the option is refused as
/// ambiguous rather than one chosen.
#[test]
fn input_paths_may_hold_a_colon_and_an_ambiguous_split_is_refused() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("kaohe-input-colon-{}", std::process::id()));
    let odd = dir.join("d:1");
    std::fs::create_dir_all(&odd).unwrap();
    let sub = root.join("tests/inputs/sub-assessment");
    let rules = odd.join("petition.rules");
    let facts = odd.join("petition-2026-05.json");
    std::fs::copy(sub.join("petition.rules"), &rules).unwrap();
    std::fs::copy(sub.join("examples/petition-2026-05.json"), &facts).unwrap();
    let spec = format!("petition={}:{}", rules.display(), facts.display());
    let with_colon = rulec(&[
        "eval", MAIN, MAIN_FACTS, "--input", &spec, "--format", "csv",
    ]);
    let plain = rulec(&[
        "eval", MAIN, MAIN_FACTS, "--input", PETITION, "--format", "csv",
    ]);
    assert_eq!(with_colon.0, 0, "{}", with_colon.2);
    assert_eq!(with_colon.1, plain.1);
    // `D/a:D/b:D/c` where both `D/a` + `D/b:D/c` and `D/a:D/b` + `D/c` are files.
    let d = dir.join("amb");
    let [a, b, c] = ["a", "b", "c"].map(|n| d.join(n).display().to_string());
    for file in [a.clone(), format!("{b}:{c}"), format!("{a}:{b}"), c.clone()] {
        let file = std::path::PathBuf::from(file);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, "{}").unwrap();
    }
    let ambiguous = format!("petition={a}:{b}:{c}");
    let (code, _, stderr) = rulec(&["eval", MAIN, MAIN_FACTS, "--input", &ambiguous]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "is ambiguous: more than one of its colons separates two existing files (`{a}` + `{b}:{c}`, `{a}:{b}` + `{c}`)"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: rename or move a file"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A misspelt path in an `--input` whose ruleset path holds a colon: the
/// error names the file actually missing (the facts), not the piece before
/// the first colon (`cannot read `…/d:1`` used to be reported, a directory
/// that exists); likewise a missing ruleset beside existing facts.
#[test]
fn a_missing_input_file_is_named_even_when_a_path_holds_a_colon() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("kaohe-input-missing-{}", std::process::id()));
    let odd = dir.join("d:1");
    std::fs::create_dir_all(&odd).unwrap();
    let sub = root.join("tests/inputs/sub-assessment");
    let rules = odd.join("petition.rules");
    let facts = odd.join("petition-2026-05.json");
    std::fs::copy(sub.join("petition.rules"), &rules).unwrap();
    std::fs::copy(sub.join("examples/petition-2026-05.json"), &facts).unwrap();
    let nosuch = odd.join("nosuch.json");
    let spec = format!("petition={}:{}", rules.display(), nosuch.display());
    let (code, _, stderr) = rulec(&["eval", MAIN, MAIN_FACTS, "--input", &spec]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&nosuch.display().to_string()), "{stderr}");
    assert!(
        !stderr.contains(&format!("`{}`", odd.parent().unwrap().join("d").display())),
        "{stderr}"
    );
    let missing_rules = odd.join("nosuch.rules");
    let spec = format!("petition={}:{}", missing_rules.display(), facts.display());
    let (code, _, stderr) = rulec(&["eval", MAIN, MAIN_FACTS, "--input", &spec]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&missing_rules.display().to_string()),
        "{stderr}"
    );
    // No colon at all: the form is wrong, said without a guess at files.
    let (code, _, stderr) = rulec(&["eval", MAIN, MAIN_FACTS, "--input", "petition=only.rules"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`--input petition=only.rules` is not `NAME=RULES:FACTS`"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
