//! The sub-assessment fixture of this folder (`main.rules` reads the result
//! of `petition.rules` as its input `petition`), for the tests of more than
//! one crate: `crates/kaohe/tests/inputs.rs`, `crates/kaohe/tests/eval_semantics.rs` and
//! `crates/kaohe-store/tests/inputs.rs` include this file with `#[path]`, so
//! all read the fixture the same way.
#![allow(dead_code)]

use kaohe::{Facts, Ruleset, SourceFile};
use serde_json::Value;

/// The text of the fixture file at `path` (relative to this folder).
pub fn file(path: &str) -> String {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/inputs/sub-assessment"
    );
    std::fs::read_to_string(format!("{dir}/{path}")).unwrap()
}

/// The fixture ruleset at `path`, checked.
pub fn ruleset(path: &str) -> Ruleset {
    Ruleset::from_source(SourceFile::new(path, file(path))).unwrap()
}

/// The petition sub-assessment's evaluation JSON on the fact file at `facts`
/// (what `main.rules` is given as its input `petition`).
pub fn petition(facts: &str) -> Value {
    let sub = ruleset("petition.rules");
    let facts = Facts::from_json(&sub, &file(facts)).unwrap();
    serde_json::from_str(&sub.evaluate(&facts).unwrap().to_json()).unwrap()
}
