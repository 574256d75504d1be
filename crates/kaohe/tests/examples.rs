//! Properties every shipped example must have: it validates and evaluates;
//! items add up to totals; reordering records or units changes nothing; and the
//! sealing and amendment behaviour the rulesets promise.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use kaohe::{Facts, Period, Ruleset, SourceFile};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// (ruleset, fact file) for every shipped example.
fn examples() -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let rulesets = workspace().join("rulesets");
    let mut dirs: Vec<_> = std::fs::read_dir(&rulesets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let rules = dir.join(format!("{name}.rules"));
        let Ok(entries) = std::fs::read_dir(dir.join("examples")) else {
            continue;
        };
        let mut facts: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        facts.sort();
        for f in facts {
            out.push((rules.clone(), f));
        }
    }
    out
}

fn load(rules: &Path) -> Ruleset {
    let text = std::fs::read_to_string(rules).unwrap();
    Ruleset::from_source(SourceFile::new(rules.display().to_string(), text)).unwrap()
}

fn evaluate_text(ruleset: &Ruleset, facts: &str) -> String {
    let facts = Facts::from_json(ruleset, facts).unwrap();
    ruleset.evaluate(&facts).unwrap().to_json()
}

#[test]
fn there_are_examples_for_both_rulesets() {
    let all = examples();
    assert!(all.iter().any(|(r, _)| r.ends_with("shaodong-2023.rules")));
    assert!(all.iter().any(|(r, _)| r.ends_with("miluo-2026.rules")));
}

#[test]
fn items_add_up_to_totals_in_every_example() {
    for (rules, facts_path) in examples() {
        let ruleset = load(&rules);
        let facts = Facts::from_json(&ruleset, &std::fs::read_to_string(&facts_path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", facts_path.display()));
        let evaluation = ruleset.evaluate(&facts).unwrap();
        assert!(!evaluation.results.is_empty(), "{}", facts_path.display());
        for result in &evaluation.results {
            let sum: Decimal = result.items.iter().map(|i| i.amount.dec()).sum();
            assert_eq!(
                sum,
                result.total,
                "{}: {} {} items add up to {sum}, total is {}",
                facts_path.display(),
                result.unit,
                result.period,
                result.total
            );
            for item in &result.items {
                // A limit never lets more through than it allows.
                for limit in &item.limits {
                    assert!(
                        limit.applied.abs() <= limit.raw.abs(),
                        "{}: {limit:?}",
                        result.unit
                    );
                }
            }
            for category in &result.categories {
                if let (Some(allot), Some(subtotal)) = (category.allot, category.subtotal) {
                    // Floors of 0 (扣完为止): deductions never take a category below 0.
                    assert!(
                        category.deductions.dec() <= allot,
                        "floor broken: {category:?}"
                    );
                    assert_eq!(
                        subtotal,
                        allot - category.deductions.dec() + category.bonuses.dec()
                    );
                }
            }
        }
    }
}

#[test]
fn totals_only_keeps_everything_but_the_line_items() {
    use kaohe::{Detail, EvalOptions};
    for (rules, facts_path) in examples() {
        let ruleset = load(&rules);
        let facts =
            Facts::from_json(&ruleset, &std::fs::read_to_string(&facts_path).unwrap()).unwrap();
        let full = ruleset.evaluate(&facts).unwrap();
        let totals = ruleset
            .evaluate_with(
                &facts,
                &EvalOptions {
                    detail: Detail::Totals,
                    ..EvalOptions::default()
                },
            )
            .unwrap();
        assert!(full.results.iter().any(|r| !r.items.is_empty()));
        assert!(totals.results.iter().all(|r| r.items.is_empty()));
        let mut expected = full.clone();
        for r in &mut expected.results {
            r.items.clear();
        }
        assert_eq!(totals, expected, "{}", facts_path.display());
    }
}

/// The fact file with its `records` and `units` in the given orders.
fn reordered(json: &Value, records: &[usize], units: &[usize]) -> String {
    let mut json = json.clone();
    let r = json["records"].as_array().unwrap().clone();
    json["records"] = Value::Array(records.iter().map(|i| r[*i].clone()).collect());
    let u = json["units"].as_array().unwrap().clone();
    json["units"] = Value::Array(units.iter().map(|i| u[*i].clone()).collect());
    serde_json::to_string(&json).unwrap()
}

/// A permutation of `0..len` drawn by a seeded Fisher–Yates shuffle.
fn permutation(len: usize, mut state: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from(state >> 33).unwrap() % (i + 1);
        order.swap(i, j);
    }
    order
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn shuffling_records_and_units_gives_byte_identical_json(seed in any::<u64>()) {
        for (rules, facts_path) in examples() {
            let ruleset = load(&rules);
            let text = std::fs::read_to_string(&facts_path).unwrap();
            let json: Value = serde_json::from_str(&text).unwrap();
            let n = json["records"].as_array().unwrap().len();
            let m = json["units"].as_array().unwrap().len();
            let shuffled = reordered(&json, &permutation(n, seed), &permutation(m, seed ^ 0x9e37_79b9));
            prop_assert_eq!(
                evaluate_text(&ruleset, &text),
                evaluate_text(&ruleset, &shuffled),
                "{}",
                facts_path.display()
            );
        }
    }
}

fn result<'e>(
    e: &'e kaohe::Evaluation,
    unit: &str,
    period: &str,
) -> &'e kaohe::eval::result::UnitResult {
    let period: Period = period.parse().unwrap();
    e.results
        .iter()
        .find(|r| r.unit == unit && r.period == period)
        .unwrap_or_else(|| panic!("no result for {unit} {period}"))
}

#[test]
fn miluo_late_april_record_is_rejected_and_april_is_unchanged() {
    let root = workspace().join("rulesets/miluo-2026");
    let ruleset = load(&root.join("miluo-2026.rules"));
    let eval = |name: &str| {
        let text = std::fs::read_to_string(root.join("examples").join(name)).unwrap();
        ruleset
            .evaluate(&Facts::from_json(&ruleset, &text).unwrap())
            .unwrap()
    };
    let april_only = eval("2026-04.json");
    let with_may = eval("2026-05.json");
    let april: Period = "2026-04".parse().unwrap();
    // An April record reported after the seal (end of 2026-05-15) is rejected.
    let late: Vec<_> = with_may
        .rejected
        .iter()
        .filter(|r| {
            r.record.period == april
                && r.record.reported > kaohe::date::Date::new(2026, 5, 15).unwrap()
        })
        .collect();
    assert!(!late.is_empty(), "no April record rejected after the seal");
    assert!(late.iter().all(|r| r.reason.contains("sealed")));
    // April's results and ranking are exactly those before May's facts
    // arrived; only their status went from provisional (as of 2026-04-23,
    // inside April) to final (as of 2026-06-10, after April's seal).
    assert!(april_only
        .results
        .iter()
        .filter(|r| r.period == april)
        .all(|r| r.provisional));
    assert!(with_may
        .results
        .iter()
        .filter(|r| r.period == april)
        .all(|r| !r.provisional));
    let april_results = |e: &kaohe::Evaluation| -> Vec<String> {
        e.results
            .iter()
            .filter(|r| r.period == april)
            .map(|r| {
                let mut r = r.clone();
                r.provisional = false;
                serde_json::to_string(&r).unwrap()
            })
            .collect()
    };
    assert_eq!(april_results(&april_only), april_results(&with_may));
    let april_ranking = |e: &kaohe::Evaluation| -> Vec<String> {
        e.rankings
            .iter()
            .filter(|r| r.period == april)
            .map(|r| {
                let mut r = r.clone();
                r.provisional = false;
                serde_json::to_string(&r).unwrap()
            })
            .collect()
    };
    assert_eq!(april_ranking(&april_only), april_ranking(&with_may));
}

#[test]
fn shaodong_late_amendment_changes_its_month() {
    let root = workspace().join("rulesets/shaodong-2023");
    let ruleset = load(&root.join("shaodong-2023.rules"));
    let text = std::fs::read_to_string(root.join("examples/2023-h2.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let with = ruleset
        .evaluate(&Facts::from_json(&ruleset, &text).unwrap())
        .unwrap();
    // The amendment: the later of two records of one unit sharing an id.
    let records = json["records"].as_array().unwrap();
    let amended = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.get("id").is_some())
        .find(|(i, r)| {
            records.iter().enumerate().any(|(j, o)| {
                j != *i
                    && o.get("id") == r.get("id")
                    && o["unit"] == r["unit"]
                    && o["reported"].as_str() < r["reported"].as_str()
            })
        })
        .map(|(i, _)| i)
        .expect("the example has an amended record");
    let amendment = &records[amended];
    let month = amendment["period"].as_str().unwrap();
    let unit = amendment["unit"].as_str().unwrap();
    let month_end = month.parse::<Period>().unwrap().end().to_string();
    assert!(
        amendment["reported"].as_str().unwrap() > month_end.as_str(),
        "the amendment arrives after its month"
    );
    let without_text = {
        let mut j = json.clone();
        j["records"].as_array_mut().unwrap().remove(amended);
        serde_json::to_string(&j).unwrap()
    };
    let without = ruleset
        .evaluate(&Facts::from_json(&ruleset, &without_text).unwrap())
        .unwrap();
    assert_ne!(
        result(&with, unit, month).total,
        result(&without, unit, month).total,
        "the amendment changes {unit}'s {month} total"
    );
    // The superseded version is listed, with the reason.
    assert!(with
        .rejected
        .iter()
        .any(|r| r.unit == unit && r.reason.contains("superseded")));
}

/// Results are exact numbers; the values these tests compare terminate.
trait Exact {
    fn dec(&self) -> rust_decimal::Decimal;
}

impl Exact for kaohe::number::Number {
    fn dec(&self) -> rust_decimal::Decimal {
        self.to_decimal().expect("a terminating value")
    }
}
