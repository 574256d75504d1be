#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 14 §1: with `arbitrary_precision` on (kaohe turned it on for the whole
//! build until it read exact decimals another way), these two ordinary serde
//! patterns fail in the host's own code. They must work in a program that
//! depends on kaohe.

use std::collections::HashMap;

use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct Scored {
    name: String,
    #[serde(flatten)]
    extra: HashMap<String, f64>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(untagged)]
enum Score {
    F(f64),
    S(String),
}

#[test]
fn flatten_into_a_map_of_f64_works() {
    let scored: Scored = serde_json::from_str(r#"{"name":"x","score":95.5}"#).unwrap();
    assert_eq!(scored.name, "x");
    assert_eq!(scored.extra.get("score"), Some(&95.5));
}

#[test]
fn an_untagged_enum_reads_a_number() {
    assert_eq!(
        serde_json::from_str::<Score>("95.5").unwrap(),
        Score::F(95.5)
    );
    assert_eq!(
        serde_json::from_str::<Score>("\"95.5\"").unwrap(),
        Score::S("95.5".to_owned())
    );
}

#[test]
fn kaohe_is_really_linked() {
    assert!(serde_host_check::kaohe_linked().contains("Facts"));
}
