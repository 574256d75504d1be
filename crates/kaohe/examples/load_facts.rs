//! Times the fact readers on one fact file (issue 15 §2, docs/performance.md,
//! "Reading a fact file in chunks"): the streaming reader
//! (`Facts::from_reader`, what `rulec eval` used) and the chunked reader
//! (`Facts::from_seekable_within`) with 1 and 2 threads, alternating, each
//! round in another order; prints each time and the medians, and checks that
//! every reader gives the same facts.
//!
//! ```sh
//! cargo run --release -p kaohe --example load_facts -- RULES FACTS [ROUNDS] [ONLY]
//! ```
//!
//! `ONLY` (0, 1 or 2) times that reader alone (for a profiler).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a measuring program: a failure should stop it loudly"
)]

use std::time::{Duration, Instant};

use kaohe::{Facts, Limits, Ruleset, SourceFile, Threads};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (rules, facts) = (&args[1], &args[2]);
    let rounds: usize = args.get(3).map_or(3, |r| r.parse().unwrap());
    let text = std::fs::read_to_string(rules).unwrap();
    let ruleset = Ruleset::from_source(SourceFile::new(rules, &text)).unwrap();
    let readers = ["from_reader", "chunked, 1 thread", "chunked, 2 threads"];
    let read = |which: usize| -> Facts {
        let file = std::fs::File::open(facts).unwrap();
        let threads = Threads::new(which.max(1)).unwrap();
        match which {
            0 => Facts::from_reader(&ruleset, file),
            _ => Facts::from_seekable_within(&ruleset, file, &Limits::default(), threads),
        }
        .unwrap()
    };
    let only: Option<usize> = args.get(4).map(|o| o.parse().unwrap());
    let reference = read(only.unwrap_or(0));
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); readers.len()];
    for round in 0..rounds {
        for k in 0..readers.len() {
            let which = (k + round) % readers.len();
            if only.is_some_and(|o| o != which) {
                continue;
            }
            let start = Instant::now();
            let facts = read(which);
            let took = start.elapsed();
            assert!(facts == reference, "{} read other facts", readers[which]);
            println!(
                "round {round}: {:<20} {:>7.0} ms",
                readers[which],
                took.as_secs_f64() * 1e3
            );
            drop(facts);
            times[which].push(took);
        }
    }
    for (name, mut t) in readers.iter().zip(times) {
        if t.is_empty() {
            continue;
        }
        t.sort();
        let median = t[t.len() / 2];
        println!("median: {name:<20} {:>7.0} ms", median.as_secs_f64() * 1e3);
    }
}
