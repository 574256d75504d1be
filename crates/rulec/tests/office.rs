//! `rulec template`, `rulec import` and `rulec eval` with an Excel ledger and
//! the xlsx/html bulletins, end to end for both shipped rulesets: template →
//! filled by the test → import → eval → bulletins. A ledger with a bad cell
//! names the sheet and cell and nothing is written.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../kaohe-office/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ledger_from_facts, load_ruleset, write, Cell};
use kaohe::Facts;

fn rulec(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(args)
        .current_dir(common::workspace())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn dir() -> PathBuf {
    let dir = common::workspace().join("target/office-test/cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn template_fill_import_eval_and_bulletins_for_every_example() {
    let out = dir();
    for (name, example) in common::examples() {
        let stem = example.file_stem().unwrap().to_str().unwrap().to_owned();
        let rules = format!("rulesets/{name}/{name}.rules");
        let blank = out.join(format!("{name}-blank.xlsx"));
        let (code, _, err) = rulec(&["template", &rules, "-o", s(&blank)]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("说明"), "{err}");

        // The office fills it in.
        let ruleset = load_ruleset(&name);
        let text = std::fs::read_to_string(&example).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let template = std::fs::read(&blank).unwrap();
        let ledger = out.join(format!("{name}-{stem}.xlsx"));
        std::fs::write(
            &ledger,
            write(&template, &ledger_from_facts(&ruleset, &template, &json)),
        )
        .unwrap();

        // import: the same facts as the example.
        let facts = out.join(format!("{name}-{stem}.json"));
        let _ = std::fs::remove_file(&facts);
        let (code, _, err) = rulec(&["import", &rules, s(&ledger), "-o", s(&facts)]);
        assert_eq!(code, 0, "{err}");
        let imported = Facts::from_json(&ruleset, &std::fs::read_to_string(&facts).unwrap());
        assert_eq!(
            imported.unwrap(),
            Facts::from_json(&ruleset, &text).unwrap()
        );

        // eval of the ledger = eval of the JSON.
        let example_path = example.to_str().unwrap();
        let (code, from_json, err) = rulec(&["eval", &rules, example_path, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let (code, from_ledger, err) = rulec(&["eval", &rules, s(&ledger), "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(from_ledger, from_json);

        // The bulletins.
        for format in ["xlsx", "html"] {
            let path = out.join(format!("{name}-{stem}-bulletin.{format}"));
            let _ = std::fs::remove_file(&path);
            let (code, _, err) = rulec(&[
                "eval",
                &rules,
                s(&ledger),
                "--format",
                format,
                "-o",
                s(&path),
            ]);
            assert_eq!(code, 0, "{err}");
            let bytes = std::fs::read(&path).unwrap();
            match format {
                "xlsx" => assert!(bytes.starts_with(b"PK")),
                // A chart per unit, or for a ruleset assessed only
                // annually (示范县) the note that there are no monthly scores.
                _ => {
                    let html = String::from_utf8(bytes).unwrap();
                    assert!(html.contains("<svg") || html.contains("no-months"));
                }
            }
        }
    }
}

#[test]
fn a_bad_cell_is_named_and_nothing_is_written() {
    let out = dir();
    let rules = "rulesets/shaodong-2023/shaodong-2023.rules";
    let ruleset = load_ruleset("shaodong-2023");
    let blank = out.join("bad-blank.xlsx");
    assert_eq!(rulec(&["template", rules, "-o", s(&blank)]).0, 0);
    let template = std::fs::read(&blank).unwrap();
    let text = std::fs::read_to_string(
        common::workspace().join("rulesets/shaodong-2023/examples/2023-h2.json"),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut ledger = ledger_from_facts(&ruleset, &template, &json);
    // The first media report's tier typed as 省.
    ledger.sheets.get_mut("正面媒体报道").unwrap()[0].insert("tier".into(), Cell::text("省"));
    let bad = out.join("bad.xlsx");
    std::fs::write(&bad, write(&template, &ledger)).unwrap();

    let facts = out.join("bad.json");
    let _ = std::fs::remove_file(&facts);
    let (code, stdout, err) = rulec(&["import", rules, s(&bad), "-o", s(&facts)]);
    assert_eq!(code, 1, "{err}");
    assert!(stdout.is_empty());
    assert!(
        err.contains("正面媒体报道!E3: expected one of 中央主要媒体/省级主要媒体/邵阳市级主要媒体/邵东市本级主要媒体, found 省"),
        "{err}"
    );
    assert!(
        err.contains("the ledger has 1 error(s); nothing was written"),
        "{err}"
    );
    assert!(!facts.exists(), "nothing written");

    let html = out.join("bad.html");
    let _ = std::fs::remove_file(&html);
    let (code, _, err) = rulec(&["eval", rules, s(&bad), "--format", "html", "-o", s(&html)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("正面媒体报道!E3"), "{err}");
    assert!(!html.exists(), "nothing written");
}

#[test]
fn file_formats_need_an_output_path() {
    let (code, stdout, err) = rulec(&[
        "eval",
        "rulesets/miluo-2026/miluo-2026.rules",
        "rulesets/miluo-2026/examples/2026-04.json",
        "--format",
        "xlsx",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(err.contains("-o PATH"), "{err}");
}

#[test]
fn import_refuses_damaged_and_wrong_files_without_panicking() {
    let out = dir();
    let rules = "rulesets/miluo-2026/miluo-2026.rules";
    let blank = out.join("refuse-blank.xlsx");
    assert_eq!(rulec(&["template", rules, "-o", s(&blank)]).0, 0);
    let template = std::fs::read(&blank).unwrap();
    let ledger = common::Ledger {
        as_of: Some(Cell::text("2026-04-23")),
        ..common::Ledger::default()
    };
    let filled = write(&template, &ledger);
    // A worksheet whose <dimension> ends before it starts made the xlsx
    // reader subtract with overflow: exit 101.
    let part = common::sheet_part(&filled, "单位");
    let damaged = common::patch(&filled, &part, |xml| {
        let start = xml.find("<dimension ref=\"").unwrap() + "<dimension ref=\"".len();
        let end = start + xml[start..].find('"').unwrap();
        format!("{}Q1:C25{}", &xml[..start], &xml[end..])
    });
    let path = out.join("damaged.xlsx");
    std::fs::write(&path, damaged).unwrap();
    let (code, stdout, err) = rulec(&["import", rules, s(&path)]);
    assert_eq!(code, 1, "{err}");
    assert!(stdout.is_empty());
    assert!(
        err.contains("单位: the worksheet is damaged: <dimension ref=\"Q1:C25\">"),
        "{err}"
    );

    // An Excel 97–2003 file named .xlsx: the format is named, with what to do.
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.resize(2048, 0);
    let path = out.join("old.xlsx");
    std::fs::write(&path, xls).unwrap();
    let (code, _, err) = rulec(&["import", rules, s(&path)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Excel 97–2003 workbook (.xls)"), "{err}");
    assert!(err.contains("*.xlsx"), "{err}");

    // Errors for programs: JSON on standard output, exit 1.
    let (code, stdout, err) = rulec(&["import", rules, s(&path), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "kaohe::ledger::xls");
    assert_eq!(json["errors"][0]["severity"], "error");
    let path = out.join("no-date.xlsx");
    std::fs::write(&path, write(&template, &common::Ledger::default())).unwrap();
    let (code, stdout, _) = rulec(&["import", rules, s(&path), "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["errors"][0]["sheet"], "说明");
    assert_eq!(json["errors"][0]["cell"], "B3");
    assert_eq!(json["errors"][0]["code"], "kaohe::ledger::empty_cell");
}

/// An evaluation error about a record of a LEDGER names the record's row,
/// `sheet!cell`, not the `$.records[i]` of the fact file the import made
/// (second breaker's item 6); in the JSON too (`record.sheet`, `record.cell`).
#[test]
fn an_evaluation_error_names_the_ledger_row_of_its_record() {
    let out = dir();
    let rules = "tests/constructs/discretion/discretion.rules";
    let source = std::fs::read_to_string(common::workspace().join(rules)).unwrap();
    let ruleset =
        kaohe::Ruleset::from_source(kaohe::SourceFile::new("discretion.rules", source)).unwrap();
    let blank = out.join("located-blank.xlsx");
    assert_eq!(rulec(&["template", rules, "-o", s(&blank)]).0, 0);
    let template = std::fs::read(&blank).unwrap();
    let text = std::fs::read_to_string(
        common::workspace().join("tests/constructs/discretion/examples/2026-03.json"),
    )
    .unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The serious petition loses its decision: a filtered discretionary rule
    // counts it, so the evaluation (not the import) refuses it.
    for record in json["records"].as_array_mut().unwrap() {
        if record["kind"] == "petition" && record["attributes"]["serious"] == true {
            record.as_object_mut().unwrap().remove("decided");
        }
    }
    let ledger = ledger_from_facts(&ruleset, &template, &json);
    let filled = out.join("located.xlsx");
    std::fs::write(&filled, write(&template, &ledger)).unwrap();
    let (code, _, err) = rulec(&["eval", rules, s(&filled)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("has no `decided` amount"), "{err}");
    assert!(!err.contains("$.records"), "{err}");
    let at = err
        .split(", record at ")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    assert!(at.contains("!A"), "{err}");
    let (code, stdout, _) = rulec(&["eval", rules, s(&filled), "--format", "json"]);
    assert_eq!(code, 1);
    let errors: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let record = &errors["errors"][0]["record"];
    assert!(record["sheet"].is_string(), "{errors:#}");
    assert!(
        record["cell"].as_str().unwrap().starts_with('A'),
        "{errors:#}"
    );
    assert!(record.get("path").is_none(), "{errors:#}");
}
