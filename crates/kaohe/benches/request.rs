//! The library's part of one `POST /v1/rulesets/{id}/evaluate` (issue 17 §4,
//! issue 15): `cargo bench -p kaohe --bench request`.
//!
//! What `rulec serve` does per request once the body is received, on the two
//! months of `tests/http/load.sh`:
//!
//! - **real**: the shipped example's October 2023 (Shaodong's 24 units, the
//!   month's 44 records, 12 KB), cut from `2023-h2.json` line by line as the
//!   load test cuts it;
//! - **empty**: the real month without its records (the fixed cost of a
//!   request: 24 units, a month and the year to score and rank);
//! - **heavy**: `rulec generate … --units 17 --periods 1 --records 20 --seed
//!   2023` (34 units, 680 records).
//!
//! For each it times the CPU per call (the thread's CPU time, not the wall
//! clock: the machine is shared; the median of `KAOHE_BENCH_RUNS` samples,
//! default 15, each a loop of calls lasting about 0.2 s of CPU):
//! reading the facts (`Facts::from_slice`), evaluating (`evaluate_with`,
//! full explanations and `Detail::Totals`), writing the evaluation JSON,
//! and the whole request as the server makes it (`from_slice` then
//! `kaohe::api::evaluate_facts`), with full explanations and totals.
//!
//! `KAOHE_BENCH_PROFILE=real|heavy` (and optionally `KAOHE_BENCH_DETAIL=totals`)
//! instead runs only the whole request in a loop for `KAOHE_BENCH_SECONDS`
//! (default 10), for `perf record`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark binary: a failure should stop it loudly"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use kaohe::api::{Compiled, Options};
use kaohe::synth::{self, SynthSpec};
use kaohe::{Detail, EvalOptions, Facts, Ruleset};

const SHAODONG: &str = include_str!("../../../rulesets/shaodong-2023/shaodong-2023.rules");
const HALF_YEAR: &str = include_str!("../../../rulesets/shaodong-2023/examples/2023-h2.json");

/// The half-year example cut to one month, as `tests/http/load.sh` cuts it:
/// its header, its units, only the month's records.
fn real_month(month: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_records = false;
    for line in HALF_YEAR.split('\n') {
        let s = line.trim();
        if s.starts_with("\"periods\"") {
            out.push(format!("  \"periods\": [\"{month}\"],"));
            continue;
        }
        if s.starts_with("\"discretion\"") {
            let d: serde_json::Value =
                serde_json::from_str(&format!("{{{}}}", s.trim_end_matches(','))).unwrap();
            let kept: serde_json::Map<String, serde_json::Value> = d["discretion"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k == month || *k == &month[..4])
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            out.push(format!(
                "  \"discretion\": {},",
                serde_json::Value::Object(kept)
            ));
            continue;
        }
        if s.starts_with("\"records\"") {
            in_records = true;
        } else if in_records
            && s.starts_with('{')
            && !s.contains(&format!("\"period\": \"{month}\""))
        {
            continue;
        }
        out.push(line.to_owned());
    }
    // The last record kept may end with a comma before `]`.
    let mut text = out.join("\n");
    if let Some(close) = text.rfind(']') {
        let before = text[..close].trim_end();
        if before.ends_with(',') {
            let comma = before.len() - 1;
            text.replace_range(comma..comma + 1, "");
        }
    }
    let check: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(check["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["period"] == month));
    text
}

/// The real month without its records: the fixed cost of a request.
fn empty_month(real: &str) -> String {
    let mut facts: serde_json::Value = serde_json::from_str(real).unwrap();
    facts["records"] = serde_json::Value::Array(Vec::new());
    facts.to_string()
}

fn heavy_month(ruleset: &Ruleset) -> String {
    let spec = SynthSpec {
        seed: 2023,
        units_per_group: 17,
        periods: 1,
        records_per_unit_period: 20,
        partitions: 1,
    };
    synth::facts(ruleset, &spec).to_string()
}

fn runs() -> usize {
    std::env::var("KAOHE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15)
}

/// CPU time this thread has run (`/proc/thread-self/schedstat`, in
/// nanoseconds): far steadier than the wall clock on a machine shared with
/// other builds. The wall clock where it cannot be read.
fn cpu_now() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or_else(
            || START.get_or_init(Instant::now).elapsed(),
            Duration::from_nanos,
        )
}

/// The median CPU time per call over `runs` samples, each a loop of calls of
/// about 0.2 s.
fn per_call<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let start = cpu_now();
    let mut n = 0u32;
    while cpu_now() - start < Duration::from_millis(50) {
        black_box(f());
        n += 1;
    }
    let loops = (n * 4).max(1);
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = cpu_now();
            for _ in 0..loops {
                black_box(f());
            }
            (cpu_now() - start) / loops
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn request(compiled: &Compiled, body: &[u8], options: &Options) -> String {
    let facts = Facts::from_slice(compiled.ruleset(), body).unwrap();
    kaohe::api::evaluate_facts(compiled, &facts, options).unwrap()
}

fn options(detail: Detail) -> Options {
    Options {
        eval: EvalOptions {
            detail,
            ..EvalOptions::default()
        },
        ..Options::default()
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let compiled = kaohe::api::compile("shaodong-2023.rules", SHAODONG).unwrap();
    let real = real_month("2023-10");
    let months = [
        ("empty", empty_month(&real)),
        ("real", real),
        ("heavy", heavy_month(compiled.ruleset())),
    ];

    if let Ok(which) = std::env::var("KAOHE_BENCH_PROFILE") {
        let (_, text) = months.iter().find(|(name, _)| *name == which).unwrap();
        let detail = match std::env::var("KAOHE_BENCH_DETAIL").as_deref() {
            Ok("totals") => Detail::Totals,
            Ok("items") => Detail::Items,
            _ => Detail::Full,
        };
        let seconds = std::env::var("KAOHE_BENCH_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10);
        let options = options(detail);
        let start = Instant::now();
        let cpu = cpu_now();
        let mut n = 0u64;
        while start.elapsed() < Duration::from_secs(seconds) {
            black_box(request(&compiled, text.as_bytes(), &options));
            n += 1;
        }
        println!(
            "{which}: {n} requests, {:.1} µs of CPU each",
            (cpu_now() - cpu).as_secs_f64() * 1e6 / n as f64
        );
        return;
    }

    let runs = runs();
    println!("the library's part of one request, µs of CPU per call, median of {runs} samples\n");
    println!(
        "{:<6} {:>8} {:>6} {:>9} {:>9} {:>9} {:>10} {:>9} {:>11} {:>13}",
        "month",
        "records",
        "KB",
        "read",
        "eval",
        "eval tot",
        "json",
        "json tot",
        "request",
        "request tot"
    );
    let full = options(Detail::Full);
    let totals = options(Detail::Totals);
    for (name, text) in &months {
        let ruleset = compiled.ruleset();
        let body = text.as_bytes();
        let facts = Facts::from_slice(ruleset, body).unwrap();
        let evaluation = ruleset.evaluate_with(&facts, &full.eval).unwrap();
        let evaluation_totals = ruleset.evaluate_with(&facts, &totals.eval).unwrap();
        // The pieces give what the whole request gives.
        assert_eq!(
            serde_json::to_string(&evaluation).unwrap(),
            request(&compiled, body, &full)
        );
        let read = per_call(runs, || Facts::from_slice(ruleset, body).unwrap());
        let eval = per_call(runs, || ruleset.evaluate_with(&facts, &full.eval).unwrap());
        let eval_totals = per_call(runs, || {
            ruleset.evaluate_with(&facts, &totals.eval).unwrap()
        });
        let json = per_call(runs, || serde_json::to_string(&evaluation).unwrap());
        let json_totals = per_call(runs, || serde_json::to_string(&evaluation_totals).unwrap());
        let whole = per_call(runs, || request(&compiled, body, &full));
        let whole_totals = per_call(runs, || request(&compiled, body, &totals));
        let us = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1e6);
        println!(
            "{:<6} {:>8} {:>6} {:>9} {:>9} {:>9} {:>10} {:>9} {:>11} {:>13}",
            name,
            facts.records.len(),
            body.len() / 1024,
            us(read),
            us(eval),
            us(eval_totals),
            us(json),
            us(json_totals),
            us(whole),
            us(whole_totals)
        );
    }
}
