//! What calling through a binding costs (issue 14, Performance):
//! `cargo bench -p kaohe-ffi --bench binding`.
//!
//! One county-month (Miluo, April 2026: 17 units, 88 records) is validated,
//! evaluated and written as the evaluation JSON, in one process, three ways
//! interleaved round by round:
//!
//! - `rust`: the Rust API giving the same JSON (`Facts::from_json`,
//!   `Ruleset::evaluate_with`, `serde_json::to_string`); also timed without
//!   the last step (`rust-struct`, the typed result a Rust embedder reads);
//! - `api`: `kaohe::api::evaluate` (the contract: the same, plus the options);
//! - `c-abi`: `kaohe_evaluate` through C strings, then `kaohe_string_free`.
//!
//! Prints the median per evaluation and each way's overhead over `rust`.
//! `KAOHE_BENCH_ROUNDS` (default 300) and `KAOHE_BENCH_DETAIL` (`full`,
//! `items`, `totals`; default `full`) choose the work. The other languages'
//! benches (tests/ffi/bench.c, bindings/python/benches/bench.py,
//! bindings/java/java/bench/kaohe/Bench.java) measure the same evaluation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks,
    missing_docs,
    reason = "a benchmark binary: a failure should stop it loudly"
)]

use std::ffi::{c_char, CStr, CString};
use std::hint::black_box;
use std::time::{Duration, Instant};

use kaohe::{Detail, EvalOptions, Facts, Ruleset, SourceFile};
use kaohe_ffi::{
    kaohe_compile, kaohe_compiled_free, kaohe_evaluate, kaohe_string_free, KaoheStatus,
};

const MILUO: &str = include_str!("../../../rulesets/miluo-2026/miluo-2026.rules");
const APRIL: &str = include_str!("../../../rulesets/miluo-2026/examples/2026-04.json");

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let rounds: usize = std::env::var("KAOHE_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let detail_name = std::env::var("KAOHE_BENCH_DETAIL").unwrap_or_else(|_| "full".into());
    let detail = match detail_name.as_str() {
        "items" => Detail::Items,
        "totals" => Detail::Totals,
        _ => Detail::Full,
    };
    let options = format!(r#"{{"detail":"{detail_name}"}}"#);

    let ruleset = Ruleset::from_source(SourceFile::new("miluo-2026.rules", MILUO)).unwrap();
    let compiled = kaohe::api::compile("miluo-2026.rules", MILUO).unwrap();
    let name = CString::new("miluo-2026.rules").unwrap();
    let text = CString::new(MILUO).unwrap();
    let facts_c = CString::new(APRIL).unwrap();
    let options_c = CString::new(options.clone()).unwrap();
    let mut handle = std::ptr::null_mut();
    let mut out: *mut c_char = std::ptr::null_mut();
    assert_eq!(
        unsafe { kaohe_compile(name.as_ptr(), text.as_ptr(), &mut handle, &mut out) },
        KaoheStatus::Ok
    );
    unsafe { kaohe_string_free(out) };

    let rust = || {
        let facts = Facts::from_json(&ruleset, APRIL).unwrap();
        let evaluation = ruleset
            .evaluate_with(
                &facts,
                &EvalOptions {
                    detail,
                    ..EvalOptions::default()
                },
            )
            .unwrap();
        serde_json::to_string(&evaluation).unwrap()
    };
    // The Rust call without writing JSON: a Rust embedder that reads the
    // `Evaluation` struct needs no JSON, so this is the strictest baseline.
    let rust_struct = || {
        let facts = Facts::from_json(&ruleset, APRIL).unwrap();
        ruleset
            .evaluate_with(
                &facts,
                &EvalOptions {
                    detail,
                    ..EvalOptions::default()
                },
            )
            .unwrap()
    };
    let api = || kaohe::api::evaluate(&compiled, APRIL, &options).unwrap();
    let c_abi = || {
        let mut out: *mut c_char = std::ptr::null_mut();
        let status =
            unsafe { kaohe_evaluate(handle, facts_c.as_ptr(), options_c.as_ptr(), &mut out) };
        assert_eq!(status, KaoheStatus::Ok);
        let len = unsafe { CStr::from_ptr(out) }.to_bytes().len();
        unsafe { kaohe_string_free(out) };
        len
    };
    let size = rust().len();
    assert_eq!(api(), rust(), "the contract gives the Rust API's JSON");
    for _ in 0..20 {
        black_box(rust());
        black_box(rust_struct());
        black_box(api());
        black_box(c_abi());
    }
    let (mut r, mut s, mut a, mut c) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(rust_struct());
        s.push(t.elapsed());
        let t = Instant::now();
        black_box(rust());
        r.push(t.elapsed());
        let t = Instant::now();
        black_box(api());
        a.push(t.elapsed());
        let t = Instant::now();
        black_box(c_abi());
        c.push(t.elapsed());
    }
    unsafe { kaohe_compiled_free(handle) };
    let base = median(r);
    println!("one county-month (miluo 2026-04), detail {detail_name}, {rounds} rounds, output {size} bytes");
    println!(
        "rust   {:>9.1} µs  (of which writing the JSON: {:.1} µs)",
        base.as_secs_f64() * 1e6,
        (base.as_secs_f64() - median(s.clone()).as_secs_f64()) * 1e6
    );
    println!(
        "rust-struct {:>4.1} µs  (no JSON written)",
        median(s).as_secs_f64() * 1e6
    );
    for (way, d) in [("api", median(a)), ("c-abi", median(c))] {
        let over = (d.as_secs_f64() / base.as_secs_f64() - 1.0) * 100.0;
        println!(
            "{way:<6} {:>9.1} µs  ({over:+.1}% over rust)",
            d.as_secs_f64() * 1e6
        );
    }
}
