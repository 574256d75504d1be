//! Template → filled (by the test, cell by cell) → import → the intended facts,
//! for every shipped example and for a small hand-made ledger; then the
//! imported facts evaluate to the same results as the JSON and both bulletins
//! are written.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;

use common::{ledger_from_facts, load_ruleset, write, Cell, Ledger};
use kaohe::Facts;
use kaohe_office::{import, template, Scope};

#[test]
fn every_shipped_example_survives_the_ledger() {
    let examples = common::examples();
    assert!(examples.len() >= 3, "{examples:?}");
    for (name, path) in examples {
        let ruleset = load_ruleset(&name);
        let text = std::fs::read_to_string(&path).unwrap();
        let intended = Facts::from_json(&ruleset, &text).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();

        let blank = template(&ruleset).unwrap();
        let filled = write(&blank, &ledger_from_facts(&ruleset, &blank, &json));
        let imported = match import(&ruleset, &filled) {
            Ok(i) => i,
            Err(kaohe_office::ImportError::Ledger(errors)) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                panic!("{}: {}", path.display(), lines.join("\n"));
            }
            Err(e) => panic!("{}: {e}", path.display()),
        };
        assert_eq!(imported.facts, intended, "{}", path.display());
        assert_eq!(imported.facts.hash(), intended.hash());
        // The JSON written by `rulec import` reads back to the same facts.
        let again = Facts::from_json(&ruleset, &imported.json.to_string()).unwrap();
        assert_eq!(again, intended);

        // … and evaluates exactly as the JSON does; both bulletins are written.
        let evaluation = ruleset.evaluate(&imported.facts).unwrap();
        assert_eq!(
            evaluation.to_json(),
            ruleset.evaluate(&intended).unwrap().to_json()
        );
        let xlsx = kaohe_office::bulletin_xlsx(&ruleset, &evaluation, &Scope::default()).unwrap();
        assert!(xlsx.starts_with(b"PK"));
        let html = kaohe_office::bulletin_html(&ruleset, &evaluation, &Scope::default());
        // A chart per unit, or for a ruleset assessed only annually (示范县)
        // the note that there are no monthly scores to chart.
        assert!(html.contains("<svg") || html.contains("no-months"));
    }
}

fn row(cells: &[(&str, Cell)]) -> BTreeMap<String, Cell> {
    cells
        .iter()
        .map(|(k, c)| ((*k).to_owned(), c.clone()))
        .collect()
}

#[test]
fn a_hand_filled_ledger_gives_the_intended_facts() {
    let ruleset = load_ruleset("shaodong-2023");
    let blank = template(&ruleset).unwrap();
    let mut ledger = Ledger {
        as_of: Some(Cell::text("2024-01-10")),
        description: Some(Cell::text("手工填写")),
        periods: Some(Cell::text("2023-07，2023-08")),
        ..Ledger::default()
    };
    ledger.sheets.insert(
        "单位".into(),
        vec![
            row(&[
                ("id", Cell::text("jyj")),
                ("name", Cell::text("市教育局")),
                ("group", Cell::text("牵头单位")),
                ("indicators", Cell::Number(6.0)),
            ]),
            row(&[
                ("id", Cell::text("lgdz")),
                ("name", Cell::text("灵官殿镇")),
                ("group", Cell::text("township")),
                ("tasks", Cell::text("0")),
            ]),
        ],
    );
    ledger.sheets.insert(
        "正面媒体报道".into(),
        vec![row(&[
            ("unit", Cell::text("jyj")),
            // Excel turns a typed 2023-08 into the date 2023-08-01.
            ("period", Cell::Date(2023, 8, 1)),
            ("reported", Cell::text("2023/8/20")),
            ("work", Cell::text("资助政策宣讲")),
            ("tier", Cell::text("省级主要媒体")),
            ("outlet", Cell::text("湖南日报")),
            ("adopted", Cell::Bool(true)),
            ("count", Cell::Number(2.0)),
            ("id", Cell::text("jyj-mr-1")),
        ])],
    );
    ledger.sheets.insert(
        "未按序时进度的指标".into(),
        vec![row(&[
            ("unit", Cell::text("jyj")),
            ("period", Cell::text("2023-7")),
            ("reported", Cell::Date(2023, 8, 5)),
            ("indicator", Cell::text("义务教育学位")),
            ("rectify_by", Cell::text("2023年8月31日")),
        ])],
    );
    ledger.sheets.insert(
        "重点民生实事项目邵阳排名".into(),
        vec![row(&[
            ("unit", Cell::text("jyj")),
            ("period", Cell::text("2023-08")),
            ("reported", Cell::text("2023-09-05")),
            ("project", Cell::text("学位建设")),
            ("rank", Cell::Number(3.0)),
            ("ranked", Cell::text("12")),
        ])],
    );
    ledger.sheets.insert(
        "酌定排序".into(),
        vec![
            row(&[
                ("period", Cell::Number(2023.0)),
                ("unit", Cell::text("lgdz")),
            ]),
            row(&[("period", Cell::text("2023")), ("unit", Cell::text("jyj"))]),
        ],
    );
    let imported = import(&ruleset, &write(&blank, &ledger)).unwrap();
    let intended = Facts::from_json(
        &ruleset,
        r#"{
          "description": "手工填写",
          "as_of": "2024-01-10",
          "periods": ["2023-07", "2023-08"],
          "units": [
            {"id": "jyj", "name": "市教育局", "group": "lead", "attributes": {"indicators": 6}},
            {"id": "lgdz", "name": "灵官殿镇", "group": "township", "attributes": {"tasks": 0}}
          ],
          "records": [
            {"id": "jyj-mr-1", "unit": "jyj", "period": "2023-08", "kind": "media_report", "count": 2,
             "reported": "2023-08-20",
             "attributes": {"work": "资助政策宣讲", "tier": "provincial", "outlet": "湖南日报", "adopted": true}},
            {"unit": "jyj", "period": "2023-07", "kind": "behind_schedule", "reported": "2023-08-05",
             "attributes": {"indicator": "义务教育学位", "rectify_by": "2023-08-31", "rectified_on": null}},
            {"unit": "jyj", "period": "2023-08", "kind": "project_rank", "reported": "2023-09-05",
             "attributes": {"project": "学位建设", "rank": 3, "ranked": 12}}
          ],
          "discretion": {"2023": ["lgdz", "jyj"]}
        }"#,
    )
    .unwrap();
    assert_eq!(imported.facts, intended);
    assert_eq!(imported.json["description"], "手工填写");
}

#[test]
fn decimals_stay_exact() {
    let ruleset = load_ruleset("miluo-2026");
    let blank = template(&ruleset).unwrap();
    let mut ledger = Ledger {
        as_of: Some(Cell::Date(2026, 5, 20)),
        ..Ledger::default()
    };
    ledger.sheets.insert(
        "单位".into(),
        vec![row(&[
            ("id", Cell::text("jtj")),
            ("name", Cell::text("教体局")),
            ("group", Cell::text("牵头单位")),
        ])],
    );
    ledger.sheets.insert(
        "重点民生实事指标进度".into(),
        vec![row(&[
            ("unit", Cell::text("jtj")),
            ("period", Cell::text("2026-04")),
            ("reported", Cell::Date(2026, 4, 14)),
            ("name", Cell::text("学位")),
            ("level", Cell::text("provincial")),
            ("required", Cell::Number(33.3)),
            ("actual", Cell::Number(0.1 + 0.2)),
        ])],
    );
    let imported = import(&ruleset, &write(&blank, &ledger)).unwrap();
    let attributes = &imported.json["records"][0]["attributes"];
    assert_eq!(attributes["required"].to_string(), "33.3");
    assert_eq!(attributes["actual"].to_string(), "0.3", "as Excel shows it");
    assert_eq!(attributes["level"], "provincial");
}
