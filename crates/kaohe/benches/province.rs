//! Province-scale benchmarks (issue 6): `cargo bench -p kaohe --bench province`.
//!
//! a. parse + check each shipped ruleset;
//! b. evaluate one county-month (17 units);
//! c. evaluate a province-year: 14 cities × 10 counties × 40 units × 12 months,
//!    20 records per unit-month (≈1.34 million records), one ranking per
//!    county-month (`ranking … within county`), with explanations on and off;
//! d. the same province-year scored by a hand-written Rust function that
//!    implements Shaodong's monthly rules directly from the same `Facts`;
//! e. the floor: a minimal typed scorer of the same rules (issue 15 §5).
//!
//! c is timed on one thread and on two (`EvalOptions::threads`, issue 15 §4;
//! the two-thread evaluation is first checked byte-identical to one's).
//!
//! Prints medians of several runs and the ratios c / d, engine / floor,
//! explanations on / off and load / serde-typed. Fact parsing is timed
//! separately from evaluation. `KAOHE_BENCH_RUNS` sets the number of runs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark binary: a failure should stop it loudly"
)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use kaohe::facts::{Facts, Record};
use kaohe::synth::{self, SynthSpec};
use kaohe::value::Value;
use kaohe::{Detail, EvalOptions, Period, Ruleset, SourceFile, Threads};
use rust_decimal::Decimal;

const SHAODONG: &str = include_str!("../../../rulesets/shaodong-2023/shaodong-2023.rules");
const MILUO: &str = include_str!("../../../rulesets/miluo-2026/miluo-2026.rules");

fn runs() -> usize {
    std::env::var("KAOHE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(
        text.contains(from),
        "the Shaodong ruleset changed: `{from}` not found"
    );
    text.replacen(from, to, 1)
}

/// Shaodong's monthly rules at province scale: in force all year, lead units
/// carry their county, the monthly ranking is per county; no annual part.
fn province_ruleset() -> Ruleset {
    let mut text = replace_once(
        SHAODONG,
        "effective 2023-07-13 to 2023-12-31",
        "effective 2023-01-01 to 2023-12-31",
    );
    text = replace_once(
        &text,
        "attribute indicators: integer \"重点民生实事指标数\"",
        "attribute indicators: integer \"重点民生实事指标数\"\n  attribute county: text \"县市区\"",
    );
    text = replace_once(
        &text,
        "ranking monthly \"月度排名\" of lead [",
        "ranking monthly \"月度排名\" of lead within county [",
    );
    // Monthly rules only: drop everything from the annual block on except the
    // monthly ranking and its warning notice, and the township group.
    let annual = text.find("annual [").unwrap();
    let ranking = text.find("ranking monthly").unwrap();
    let ranking_end = ranking + text[ranking..].find("\n}\n").unwrap() + 3;
    let notice = text.find("notice warning").unwrap();
    let notice_end = notice + text[notice..].find("\n}\n").unwrap() + 3;
    let mut monthly = String::from(&text[..annual]);
    monthly.push_str(&text[ranking..ranking_end]);
    monthly.push('\n');
    monthly.push_str(&text[notice..notice_end]);
    let township = monthly.find("group township").unwrap();
    let township_end = township + monthly[township..].find("\n}\n").unwrap() + 3;
    monthly.replace_range(township..township_end, "");
    for id in ["SD-A6", "SD-A8"] {
        // Cited only by the removed annual block.
        let line = monthly.find(&format!("assumption [{id}]")).unwrap();
        let end = line + monthly[line..].find('\n').unwrap() + 1;
        monthly.replace_range(line..end, "");
    }
    Ruleset::from_source(SourceFile::new("shaodong-province.rules", monthly)).unwrap()
}

fn province_facts(ruleset: &Ruleset, units: usize, months: usize) -> String {
    let spec = SynthSpec {
        seed: 2023,
        units_per_group: units,
        periods: months,
        records_per_unit_period: 20,
        partitions: 140,
    };
    synth::facts(ruleset, &spec).to_string()
}

// ---------------------------------------------------------------- hand-written

fn number(r: &Record, name: &str) -> Decimal {
    match r.attributes.get(name) {
        Some(Value::Number(n)) => *n,
        _ => Decimal::ZERO,
    }
}

fn level<'a>(r: &'a Record, name: &str) -> &'a str {
    match r.attributes.get(name) {
        Some(Value::Level(l)) => l,
        _ => "",
    }
}

fn overdue(r: &Record, as_of: kaohe::date::Date) -> bool {
    match r.attributes.get("rectify_by") {
        Some(Value::Date(deadline)) => {
            as_of > *deadline
                && match r.attributes.get("rectified_on") {
                    Some(Value::Date(done)) => done > deadline,
                    _ => true,
                }
        }
        _ => false,
    }
}

/// One unit-month under Shaodong's rules (SD-3.0 … SD-3.1.3⑤, SD-A1 … SD-A5, SD-A9).
fn score_month(records: &[&Record], as_of: kaohe::date::Date) -> Decimal {
    let two = Decimal::TWO;
    let (mut key, mut daily, mut individual_minus, mut plus) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut media: BTreeMap<&str, Decimal> = BTreeMap::new();
    for r in records {
        let count = Decimal::from(r.count);
        let doubled = |amount: Decimal| {
            if overdue(r, as_of) {
                amount * two
            } else {
                amount
            }
        };
        match r.kind.as_str() {
            "behind_schedule" => key += doubled(Decimal::from(5)) * count,
            "quality_problem" => key += doubled(Decimal::from(3)) * count,
            "idle_project" => key += doubled(Decimal::ONE) * count,
            "report" => {
                let late = match (r.attributes.get("submitted"), r.attributes.get("due")) {
                    (Some(Value::Date(s)), Some(Value::Date(d))) => s > d,
                    _ => false,
                };
                if late {
                    daily += two * count;
                }
            }
            "task_not_done" => daily += two * count,
            "bad_data" => daily += count,
            "supervision" => individual_minus += doubled(two) * count,
            "outstanding" | "commendation" => plus += two * count,
            "media_report" => {
                let amount = match level(r, "tier") {
                    "central" => Decimal::from(3),
                    "provincial" => two,
                    "city" => Decimal::ONE,
                    _ => Decimal::new(5, 1),
                };
                let work = match r.attributes.get("work") {
                    Some(Value::Text(t)) => t.as_str(),
                    _ => "",
                };
                let best = media.entry(work).or_insert(Decimal::ZERO);
                *best = (*best).max(amount);
            }
            "instruction" => {
                plus += if level(r, "leader") == "provincial" {
                    Decimal::from(3)
                } else {
                    two
                } * count
            }
            "project_rank" => {
                let (rank, n) = (number(r, "rank"), number(r, "ranked"));
                if rank >= Decimal::ONE && rank <= n {
                    let top = [3, 2, 1];
                    let bottom = [-3, -2, -1];
                    let from_top = usize::try_from(rank - Decimal::ONE)
                        .ok()
                        .and_then(|i| top.get(i));
                    let from_bottom = usize::try_from(n - rank).ok().and_then(|i| bottom.get(i));
                    let amount = Decimal::from(*from_top.or(from_bottom).unwrap_or(&0)) * count;
                    if amount >= Decimal::ZERO {
                        plus += amount;
                    } else {
                        individual_minus -= amount;
                    }
                }
            }
            _ => {}
        }
    }
    let media_total: Decimal = media.values().copied().sum();
    plus += media_total.min(Decimal::TEN);
    Decimal::ONE_HUNDRED
        - key.min(Decimal::from(70))
        - daily.min(Decimal::from(20))
        - individual_minus.min(Decimal::TEN)
        + plus
}

/// The province-year by hand: every unit-month's total, the per-county
/// competition ranking (total desc, indicators desc) and the bottom-three
/// warning two months running.
/// (unit, month) → (total, rank).
type Scores = BTreeMap<(String, Period), (Decimal, u32)>;

fn hand_written(facts: &Facts) -> (Scores, usize) {
    let mut by_unit_month: BTreeMap<(&str, Period), Vec<&Record>> = BTreeMap::new();
    for r in &facts.records {
        by_unit_month
            .entry((r.unit.as_str(), r.period))
            .or_default()
            .push(r);
    }
    let mut periods: Vec<Period> = facts.records.iter().map(|r| r.period).collect();
    periods.sort();
    periods.dedup();
    let mut results: Scores = BTreeMap::new();
    let mut bottom: BTreeMap<(&str, Period), bool> = BTreeMap::new();
    let mut warnings = 0;
    let mut counties: BTreeMap<&str, Vec<(&str, Decimal)>> = BTreeMap::new();
    for &period in &periods {
        counties.clear();
        for unit in &facts.units {
            let records = by_unit_month
                .get(&(unit.id.as_str(), period))
                .map_or(&[][..], Vec::as_slice);
            let total = score_month(records, facts.as_of);
            let county = match unit.attributes.get("county") {
                Some(Value::Text(c)) => c.as_str(),
                _ => "",
            };
            counties
                .entry(county)
                .or_default()
                .push((unit.id.as_str(), total));
        }
        for members in counties.values_mut() {
            let indicators = |id: &str| number_attr(facts, id);
            members.sort_by(|a, b| b.1.cmp(&a.1).then(indicators(b.0).cmp(&indicators(a.0))));
            let n = members.len();
            let mut rank = 0;
            for i in 0..n {
                let tied_above = i > 0
                    && members[i].1 == members[i - 1].1
                    && indicators(members[i].0) == indicators(members[i - 1].0);
                if !tied_above {
                    rank = i + 1;
                }
                // SD-A7, revised: the published rank is among the last three
                // places (rank ≥ n − 2); a tie group above that line is not.
                let in_bottom = rank + 2 >= n;
                bottom.insert((members[i].0, period), in_bottom);
                if in_bottom
                    && bottom
                        .get(&(members[i].0, period.previous()))
                        .copied()
                        .unwrap_or(false)
                {
                    warnings += 1;
                }
                results.insert(
                    (members[i].0.to_owned(), period),
                    (members[i].1, rank as u32),
                );
            }
        }
    }
    (results, warnings)
}

fn number_attr(facts: &Facts, id: &str) -> Decimal {
    match facts.unit(id).and_then(|u| u.attributes.get("indicators")) {
        Some(Value::Number(n)) => *n,
        _ => Decimal::ZERO,
    }
}

// ---------------------------------------------------------------- the floor

/// The fact file deserialised by serde_json into plain typed structs with
/// owned strings: what "reading at serde speed" means (no validation, no
/// exact numbers, unknown members ignored).
#[allow(
    dead_code,
    reason = "every member is read, as a typed reader must, though the floor uses some"
)]
mod typed {
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct File {
        pub as_of: String,
        pub units: Vec<Unit>,
        pub records: Vec<Record>,
    }

    #[derive(Deserialize)]
    pub struct Unit {
        pub id: String,
        pub name: String,
        pub group: String,
        #[serde(default)]
        pub attributes: UnitAttributes,
    }

    #[derive(Deserialize, Default)]
    pub struct UnitAttributes {
        pub indicators: Option<i64>,
        pub county: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Record {
        pub id: Option<String>,
        pub unit: String,
        pub period: String,
        pub kind: String,
        pub count: Option<u32>,
        pub reported: String,
        #[serde(default)]
        pub attributes: Attributes,
    }

    /// Every attribute of Shaodong's record kinds; each kind fills its own.
    #[derive(Deserialize, Default)]
    pub struct Attributes {
        pub rectify_by: Option<String>,
        pub rectified_on: Option<String>,
        pub due: Option<String>,
        pub submitted: Option<String>,
        pub work: Option<String>,
        pub tier: Option<String>,
        pub leader: Option<String>,
        pub rank: Option<i64>,
        pub ranked: Option<i64>,
        pub indicator: Option<String>,
        pub project: Option<String>,
        pub task: Option<String>,
        pub detail: Option<String>,
        pub reason: Option<String>,
        pub outlet: Option<String>,
        pub adopted: Option<bool>,
        pub issuer: Option<String>,
        #[serde(rename = "type")]
        pub report_type: Option<String>,
    }
}

/// A record as the floor reads it: typed, borrowed from the typed file, in
/// integer half-points.
#[derive(Clone, Copy)]
enum Kind {
    /// Key work, half-points per occurrence, doubled when overdue.
    Key(i32),
    LateReport,
    Daily(i32),
    Supervision,
    Plus(i32),
    Media {
        work: u32,
        half_points: i32,
    },
    ProjectRank {
        rank: i64,
        ranked: i64,
    },
    Other,
}

#[derive(Clone, Copy)]
struct Rec {
    /// month index × units + unit index: the record's bucket.
    bucket: u32,
    count: i32,
    kind: Kind,
    overdue: bool,
    late: bool,
}

/// The typed file turned into the floor's records (not timed: this is the
/// floor's fact loading, as `Facts::from_json` is the engine's).
struct Floor<'a> {
    units: Vec<&'a str>,
    indicators: Vec<i64>,
    /// Units of each county.
    counties: Vec<Vec<u32>>,
    months: Vec<Period>,
    records: Vec<Rec>,
}

fn floor_input(file: &typed::File) -> Floor<'_> {
    use std::collections::HashMap;
    let as_of: kaohe::date::Date = file.as_of.parse().unwrap();
    let mut order: Vec<usize> = (0..file.units.len()).collect();
    order.sort_by(|&a, &b| file.units[a].id.cmp(&file.units[b].id));
    let units: Vec<&str> = order.iter().map(|&i| file.units[i].id.as_str()).collect();
    let index: HashMap<&str, u32> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (*u, i as u32))
        .collect();
    let indicators = order
        .iter()
        .map(|&i| file.units[i].attributes.indicators.unwrap_or(0))
        .collect();
    let mut county_index: HashMap<&str, usize> = HashMap::new();
    let mut counties: Vec<Vec<u32>> = Vec::new();
    for (i, &u) in order.iter().enumerate() {
        let county = file.units[u].attributes.county.as_deref().unwrap_or("");
        let c = *county_index.entry(county).or_insert_with(|| {
            counties.push(Vec::new());
            counties.len() - 1
        });
        counties[c].push(i as u32);
    }
    let mut months: Vec<Period> = file
        .records
        .iter()
        .map(|r| r.period.parse().unwrap())
        .collect();
    months.sort();
    months.dedup();
    let month_index: HashMap<Period, u32> = months
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, i as u32))
        .collect();
    let mut works: HashMap<&str, u32> = HashMap::new();
    let date = |d: &Option<String>| {
        d.as_deref()
            .map(|d| d.parse::<kaohe::date::Date>().unwrap())
    };
    let records = file
        .records
        .iter()
        .map(|r| {
            let a = &r.attributes;
            let overdue = match date(&a.rectify_by) {
                Some(deadline) => {
                    as_of > deadline && date(&a.rectified_on).is_none_or(|done| done > deadline)
                }
                None => false,
            };
            let kind = match r.kind.as_str() {
                "behind_schedule" => Kind::Key(10),
                "quality_problem" => Kind::Key(6),
                "idle_project" => Kind::Key(2),
                "report" => Kind::LateReport,
                "task_not_done" => Kind::Daily(4),
                "bad_data" => Kind::Daily(2),
                "supervision" => Kind::Supervision,
                "outstanding" | "commendation" => Kind::Plus(4),
                "instruction" => Kind::Plus(if a.leader.as_deref() == Some("provincial") {
                    6
                } else {
                    4
                }),
                "media_report" => {
                    let next = works.len() as u32;
                    Kind::Media {
                        work: *works.entry(a.work.as_deref().unwrap_or("")).or_insert(next),
                        half_points: match a.tier.as_deref() {
                            Some("central") => 6,
                            Some("provincial") => 4,
                            Some("city") => 2,
                            _ => 1,
                        },
                    }
                }
                "project_rank" => Kind::ProjectRank {
                    rank: a.rank.unwrap_or(0),
                    ranked: a.ranked.unwrap_or(0),
                },
                _ => Kind::Other,
            };
            let late = match (date(&a.submitted), date(&a.due)) {
                (Some(s), Some(d)) => s > d,
                _ => false,
            };
            let month = month_index[&r.period.parse::<Period>().unwrap()];
            Rec {
                bucket: month * units.len() as u32 + index[r.unit.as_str()],
                count: r.count.unwrap_or(1) as i32,
                kind,
                overdue,
                late,
            }
        })
        .collect();
    Floor {
        units,
        indicators,
        counties,
        months,
        records,
    }
}

/// One unit-month in half-points (SD-3.0 … SD-3.1.3⑤, SD-A1 … SD-A5, SD-A9).
fn floor_score(records: &[Rec], media: &mut Vec<(u32, i32)>) -> i32 {
    let (mut key, mut daily, mut minus, mut plus) = (0i32, 0i32, 0i32, 0i32);
    media.clear();
    for r in records {
        let doubled = |half: i32| if r.overdue { half * 2 } else { half };
        match r.kind {
            Kind::Key(half) => key += doubled(half) * r.count,
            Kind::LateReport => {
                if r.late {
                    daily += 4 * r.count;
                }
            }
            Kind::Daily(half) => daily += half * r.count,
            Kind::Supervision => minus += doubled(4) * r.count,
            Kind::Plus(half) => plus += half * r.count,
            Kind::Media { work, half_points } => match media.iter_mut().find(|(w, _)| *w == work) {
                Some((_, best)) => *best = (*best).max(half_points),
                None => media.push((work, half_points)),
            },
            Kind::ProjectRank { rank, ranked } => {
                if rank >= 1 && rank <= ranked {
                    let amount = match (rank - 1, ranked - rank) {
                        (0, _) => 6,
                        (1, _) => 4,
                        (2, _) => 2,
                        (_, 0) => -6,
                        (_, 1) => -4,
                        (_, 2) => -2,
                        _ => 0,
                    } * r.count;
                    if amount >= 0 {
                        plus += amount;
                    } else {
                        minus -= amount;
                    }
                }
            }
            Kind::Other => {}
        }
    }
    let media_total: i32 = media.iter().map(|(_, b)| b).sum();
    plus += media_total.min(20);
    200 - key.min(140) - daily.min(40) - minus.min(20) + plus
}

/// The floor: every unit-month's total (half-points) and rank, and the
/// number of warnings. Records are grouped by a counting sort on their
/// bucket; each county-month is ranked by competition ranking (total desc,
/// indicators desc); a unit in the last three places two months running is
/// warned (SD-A7, revised).
fn floor(input: &Floor<'_>) -> (Vec<(i32, u32)>, usize) {
    let units = input.units.len();
    let buckets = units * input.months.len();
    let mut start = vec![0u32; buckets + 1];
    for r in &input.records {
        start[r.bucket as usize + 1] += 1;
    }
    for i in 0..buckets {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let empty = Rec {
        bucket: 0,
        count: 0,
        kind: Kind::Other,
        overdue: false,
        late: false,
    };
    let mut sorted = vec![empty; input.records.len()];
    for r in &input.records {
        let at = &mut next[r.bucket as usize];
        sorted[*at as usize] = *r;
        *at += 1;
    }
    let mut totals = vec![0i32; buckets];
    let mut ranks = vec![0u32; buckets];
    let mut media = Vec::new();
    for (b, total) in totals.iter_mut().enumerate() {
        let records = &sorted[start[b] as usize..start[b + 1] as usize];
        *total = floor_score(records, &mut media);
    }
    let mut bottom = vec![false; units];
    let mut warnings = 0;
    let mut members: Vec<u32> = Vec::new();
    for month in 0..input.months.len() {
        let base = month * units;
        for county in &input.counties {
            members.clear();
            members.extend_from_slice(county);
            let key = |u: u32| (totals[base + u as usize], input.indicators[u as usize]);
            members.sort_by_key(|&u| std::cmp::Reverse(key(u)));
            let n = members.len();
            let mut rank = 0;
            for i in 0..n {
                if i == 0 || key(members[i]) != key(members[i - 1]) {
                    rank = i + 1;
                }
                let u = members[i] as usize;
                let in_bottom = rank + 2 >= n;
                if in_bottom && bottom[u] && month > 0 {
                    warnings += 1;
                }
                bottom[u] = in_bottom;
                ranks[base + u] = rank as u32;
            }
        }
    }
    (totals.into_iter().zip(ranks).collect(), warnings)
}

// ---------------------------------------------------------------- main

fn main() {
    // `cargo test --benches` runs bench binaries with `--bench`-less args; run
    // the real thing only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("province bench: run with `cargo bench -p kaohe --bench province`");
        return;
    }
    let runs = runs();
    println!("kaohe benchmarks, median of {runs} runs (KAOHE_BENCH_RUNS)\n");

    // a. parse + check
    for (name, text) in [("shaodong-2023", SHAODONG), ("miluo-2026", MILUO)] {
        let t = time(runs * 20, || {
            Ruleset::from_source(SourceFile::new(name, text)).unwrap()
        });
        println!(
            "a. parse + check {name:<14} {:>10.3} ms",
            t.as_secs_f64() * 1e3
        );
    }

    // b. one county-month (17 units)
    let shaodong = Ruleset::from_source(SourceFile::new("shaodong", SHAODONG)).unwrap();
    let county_month = synth::facts(
        &shaodong,
        &SynthSpec {
            units_per_group: 17,
            periods: 1,
            records_per_unit_period: 20,
            ..SynthSpec::default()
        },
    )
    .to_string();
    let facts = Facts::from_json(&shaodong, &county_month).unwrap();
    let t = time(runs * 20, || shaodong.evaluate(&facts).unwrap());
    println!(
        "b. evaluate one county-month     {:>10.3} ms  ({} records)",
        t.as_secs_f64() * 1e3,
        facts.records.len()
    );

    // c and d: the province-year
    let ruleset = province_ruleset();
    // For measuring `rulec eval` as a whole process (docs/performance.md).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("shaodong-province.rules"), ruleset.source().text());
    }
    let generate = Instant::now();
    let units = std::env::var("KAOHE_BENCH_UNITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(14 * 10 * 40);
    let text = province_facts(&ruleset, units, 12);
    println!(
        "\nprovince-year: {units} units × 12 months, {:.1} MB of facts (generated in {:.1} s)",
        text.len() as f64 / 1e6,
        generate.elapsed().as_secs_f64()
    );
    // Fact loading and serde_json into typed structs alternate, run by run.
    let (mut load, mut serde_typed) = (Vec::new(), Vec::new());
    let mut facts: Option<Facts> = None;
    let mut file: Option<typed::File> = None;
    for _ in 0..runs.min(3) {
        drop(facts.take());
        let start = Instant::now();
        facts = Some(Facts::from_json(&ruleset, &text).unwrap());
        load.push(start.elapsed());
        drop(file.take());
        let start = Instant::now();
        file = Some(serde_json::from_str::<typed::File>(&text).unwrap());
        serde_typed.push(start.elapsed());
    }
    let (facts, file) = (facts.unwrap(), file.unwrap());
    let (load, serde_typed) = (median(load), median(serde_typed));
    drop(text);
    println!(
        "   fact parsing + validation        {:>10.1} ms  ({} records)",
        load.as_secs_f64() * 1e3,
        facts.records.len()
    );
    println!(
        "   serde_json into typed structs    {:>10.1} ms",
        serde_typed.as_secs_f64() * 1e3
    );
    let floor_input = floor_input(&file);

    // The hand-written function must agree with the engine before it is timed.
    let engine = ruleset
        .evaluate_with(
            &facts,
            &EvalOptions {
                detail: Detail::Items,
                ..EvalOptions::default()
            },
        )
        .unwrap();
    let (hand, hand_warnings) = hand_written(&facts);
    let mut checked = 0;
    for r in &engine.results {
        let (total, rank) = hand[&(r.unit.to_string(), r.period)];
        assert_eq!(
            (total, Some(rank)),
            (r.total.dec(), r.rank),
            "{} {}",
            r.unit,
            r.period
        );
        checked += 1;
    }
    let engine_warnings: usize = engine.results.iter().map(|r| r.notices.len()).sum();
    assert_eq!(engine_warnings, hand_warnings, "warning notices differ");
    println!("   hand-written agrees with the engine on {checked} unit-months and {hand_warnings} warnings");
    // So must the floor.
    let (floor_results, floor_warnings) = floor(&floor_input);
    let units = floor_input.units.len();
    for r in &engine.results {
        let u = floor_input.units.binary_search(&r.unit.as_str()).unwrap();
        let m = floor_input.months.binary_search(&r.period).unwrap();
        let (half_points, rank) = floor_results[m * units + u];
        assert_eq!(
            (Decimal::from(half_points) / Decimal::TWO, Some(rank)),
            (r.total.dec(), r.rank),
            "floor: {} {}",
            r.unit,
            r.period
        );
    }
    assert_eq!(
        engine_warnings, floor_warnings,
        "floor: warning notices differ"
    );
    assert_eq!(
        floor_results.len(),
        engine.results.len(),
        "floor: unit-months differ"
    );
    println!("   the floor agrees with the engine on {checked} unit-months and {floor_warnings} warnings");
    // Two threads must give the same bytes before they are timed.
    let two = Threads::new(2).unwrap();
    let on_two = ruleset
        .evaluate_with(
            &facts,
            &EvalOptions {
                detail: Detail::Items,
                threads: two,
                ..EvalOptions::default()
            },
        )
        .unwrap();
    assert!(
        serde_json::to_string(&engine).unwrap() == serde_json::to_string(&on_two).unwrap(),
        "two threads: the evaluation differs from one thread's"
    );
    println!("   two threads give the same evaluation, byte for byte");
    drop(on_two);
    drop(engine);

    if std::env::var_os("KAOHE_BENCH_PROFILE").is_some() {
        // Only the engine, for a profiler (perf record …): explanations off,
        // or on with KAOHE_BENCH_DETAIL=full; on KAOHE_BENCH_THREADS threads
        // (one by default).
        let detail = match std::env::var("KAOHE_BENCH_DETAIL").as_deref() {
            Ok("full") => Detail::Full,
            _ => Detail::Items,
        };
        let threads = std::env::var("KAOHE_BENCH_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .and_then(Threads::new)
            .unwrap_or(Threads::ONE);
        for _ in 0..runs {
            black_box(
                ruleset
                    .evaluate_with(
                        &facts,
                        &EvalOptions {
                            detail,
                            threads,
                            ..EvalOptions::default()
                        },
                    )
                    .unwrap(),
            );
        }
        return;
    }
    // c and d alternate, run by run, so that a change in the shared machine's
    // speed during the bench affects both sides of the ratio alike.
    let (mut c_full, mut c_items, mut d) = (Vec::new(), Vec::new(), Vec::new());
    let (mut c2_full, mut c2_items) = (Vec::new(), Vec::new());
    let mut e = Vec::new();
    let with = |detail, threads| EvalOptions {
        detail,
        threads,
        ..EvalOptions::default()
    };
    for _ in 0..runs {
        e.push(time(1, || floor(&floor_input)));
        c_full.push(time(1, || ruleset.evaluate(&facts).unwrap()));
        c_items.push(time(1, || {
            ruleset
                .evaluate_with(&facts, &with(Detail::Items, Threads::ONE))
                .unwrap()
        }));
        c2_full.push(time(1, || {
            ruleset
                .evaluate_with(&facts, &with(Detail::Full, two))
                .unwrap()
        }));
        c2_items.push(time(1, || {
            ruleset
                .evaluate_with(&facts, &with(Detail::Items, two))
                .unwrap()
        }));
        d.push(time(1, || hand_written(&facts)));
    }
    let (c_full, c_items, d, e) = (median(c_full), median(c_items), median(d), median(e));
    let (c2_full, c2_items) = (median(c2_full), median(c2_items));
    println!(
        "c. engine, explanations on       {:>10.1} ms",
        c_full.as_secs_f64() * 1e3
    );
    println!(
        "c. engine, explanations off      {:>10.1} ms",
        c_items.as_secs_f64() * 1e3
    );
    println!(
        "c. 2 threads, explanations on    {:>10.1} ms  (1 ÷ 2 threads = {:.2})",
        c2_full.as_secs_f64() * 1e3,
        c_full.as_secs_f64() / c2_full.as_secs_f64()
    );
    println!(
        "c. 2 threads, explanations off   {:>10.1} ms  (1 ÷ 2 threads = {:.2})",
        c2_items.as_secs_f64() * 1e3,
        c_items.as_secs_f64() / c2_items.as_secs_f64()
    );
    println!(
        "d. hand-written Shaodong         {:>10.1} ms",
        d.as_secs_f64() * 1e3
    );
    println!(
        "e. the floor (typed, half-points)  {:>10.1} ms",
        e.as_secs_f64() * 1e3
    );
    println!(
        "\nc / d = {:.2} (explanations off), {:.2} (on)",
        c_items.as_secs_f64() / d.as_secs_f64(),
        c_full.as_secs_f64() / d.as_secs_f64()
    );
    println!(
        "engine / floor = {:.2} (explanations off; target ≤ 1.5), {:.2} (on)",
        c_items.as_secs_f64() / e.as_secs_f64(),
        c_full.as_secs_f64() / e.as_secs_f64()
    );
    println!(
        "explanations on / off = {:.2} (target ≤ 1.3)",
        c_full.as_secs_f64() / c_items.as_secs_f64()
    );
    println!(
        "load / serde-typed = {:.2} (target ≤ 1.0)",
        load.as_secs_f64() / serde_typed.as_secs_f64()
    );
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
