//! The parser and checker never panic, never overflow the stack, and answer
//! every input with a tree or diagnostics: arbitrary strings, byte-level
//! mutations of the shipped rulesets, pathological nesting and literals.
//!
//! Case counts are small by default; the long mode sets them with
//! `KAOHE_FUZZ_CASES` (see docs/testing.md), e.g.
//! `KAOHE_FUZZ_CASES=500000 cargo test --release -p kaohe --test robustness`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use kaohe::{check, Facts, Ruleset, SourceFile};
use proptest::prelude::*;

fn cases(default: u32) -> u32 {
    std::env::var("KAOHE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const SHAODONG: &str = include_str!("../../../rulesets/shaodong-2023/shaodong-2023.rules");
const MILUO: &str = include_str!("../../../rulesets/miluo-2026/miluo-2026.rules");

fn codes(text: &str) -> Vec<String> {
    check(&SourceFile::new("t.rules", text))
        .diagnostics
        .iter()
        .map(|d| d.code_str())
        .collect()
}

#[test]
fn a_hundred_thousand_open_parentheses_is_an_error_not_a_stack_overflow() {
    let text = format!(
        "score {{ category c {{ deduct d [X] {{ amount {} }} }} }}",
        "(".repeat(100_000)
    );
    assert_eq!(codes(&text), ["kaohe::limit_exceeded"]);
    let closed = format!(
        "score {{ category c {{ deduct d [X] {{ amount {}1{} }} }} }}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    assert_eq!(codes(&closed), ["kaohe::limit_exceeded"]);
}

#[test]
fn deeply_nested_blocks_are_an_error() {
    let text = format!("score {}{}", "{".repeat(50_000), "}".repeat(50_000));
    assert_eq!(codes(&text), ["kaohe::limit_exceeded"]);
}

#[test]
fn a_long_operator_chain_or_negation_chain_is_an_error() {
    for expr in [
        vec!["1"; 100_000].join(" + "),
        format!("{}1", "-".repeat(100_000)),
        format!("{}true", "not ".repeat(100_000)),
        format!("{}1", "if true then 1 else ".repeat(100_000)),
        format!("{}1{}", "(if true then 1 else ".repeat(40), ")".repeat(40)),
    ] {
        let text = format!("score {{ category c {{ deduct d [X] {{ amount {expr} }} }} }}");
        let found = codes(&text);
        assert!(
            found.contains(&"kaohe::limit_exceeded".to_owned()),
            "{found:?}"
        );
    }
}

#[test]
fn huge_literals_are_errors() {
    for literal in [
        "9".repeat(40),
        format!("1.{}", "1".repeat(40)),
        "99999999999999999999999999999".to_owned(),
    ] {
        let text = format!("score {{ base {literal} }}");
        assert!(
            codes(&text).contains(&"kaohe::number_out_of_range".to_owned()),
            "{literal}"
        );
    }
    let text = "period month { seal 99999999999999 days after end }";
    assert!(codes(text).contains(&"kaohe::number_out_of_range".to_owned()));
}

#[test]
fn a_ruleset_over_the_size_limit_is_an_error_naming_the_limit() {
    let limits = kaohe::Limits {
        max_ruleset_bytes: 100,
        ..kaohe::Limits::default()
    };
    let err =
        Ruleset::from_source_within(SourceFile::new("s.rules", SHAODONG), &limits).unwrap_err();
    assert!(err.to_string().contains("max_ruleset_bytes"), "{err}");
}

#[test]
fn decimal_overflow_during_evaluation_is_an_error() {
    let text = MILUO.replace(
        "per returned_entry\n      amount 1",
        // Exact arithmetic holds MAX × 2 (a 97-bit integer); MAX × MAX needs
        // more than 128 bits.
        "per returned_entry\n      amount 79228162514264337593543950335 * 79228162514264337593543950335",
    );
    assert_ne!(
        text, MILUO,
        "the ruleset changed shape; update the replacement"
    );
    let ruleset = Ruleset::from_source(SourceFile::new("m.rules", text)).unwrap();
    let facts = Facts::from_json(
        &ruleset,
        r#"{"as_of": "2026-05-01", "units": [{"id": "a", "name": "甲", "group": "lead"}],
            "records": [{"unit": "a", "period": "2026-04", "kind": "returned_entry",
                         "reported": "2026-04-10", "attributes": {"entry": "x"}}]}"#,
    )
    .unwrap();
    let error = ruleset.evaluate(&facts).unwrap_err();
    assert!(error.message.contains("overflows"), "{error}");
}

#[test]
fn too_many_records_is_an_error_naming_the_limit() {
    let ruleset = Ruleset::from_source(SourceFile::new("m.rules", MILUO)).unwrap();
    let limits = kaohe::Limits {
        max_records: 1,
        ..kaohe::Limits::default()
    };
    let record = r#"{"unit": "a", "period": "2026-04", "kind": "returned_entry", "reported": "2026-04-10", "attributes": {"entry": "x"}}"#;
    let text = format!(
        r#"{{"as_of": "2026-05-01", "units": [{{"id": "a", "name": "甲", "group": "lead"}}], "records": [{record}, {record}]}}"#
    );
    let err = Facts::from_json_within(&ruleset, &text, &limits).unwrap_err();
    assert_eq!(err.errors[0].path, "$.records");
    assert!(err.errors[0].message.contains("max_records"));
}

/// A mutation of a text at a char boundary: delete, duplicate or replace a span,
/// or insert a token from the language.
fn mutate(text: &str, position: usize, length: usize, kind: u8, token: &str) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let start = boundaries[position % boundaries.len()];
    let end = boundaries
        .iter()
        .copied()
        .find(|b| *b >= start + length)
        .unwrap_or(text.len());
    let (before, rest) = text.split_at(start);
    let (middle, after) = rest.split_at(end - start);
    match kind % 4 {
        0 => format!("{before}{after}"),
        1 => format!("{before}{middle}{middle}{after}"),
        2 => format!("{before}{token}{after}"),
        _ => format!("{before}{token}{middle}{after}"),
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "//",
    "per",
    "amount",
    "cap",
    "-",
    "0",
    "99999999999999999999999999999999",
    "2023-02-30",
    "ranked bottom 0 for 0 consecutive periods",
    "previous(",
    "and",
    "not",
    "if",
    "然后",
    "\u{3000}",
    "\n",
    "deduct x {",
    "levels",
    "category",
    "::",
    "==",
    "<=",
    "count(",
    "sum(",
    ".",
    ",",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let checked = check(&SourceFile::new("fuzz.rules", text.clone()));
        // An answer always: either a clean tree or at least one diagnostic.
        prop_assert!(checked.is_ok() || !checked.diagnostics.is_empty());
        for d in &checked.diagnostics {
            let span = d.span();
            prop_assert!(span.start <= span.end && span.end <= text.len(), "{d:?}");
        }
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..60)) {
        let text = tokens.join(" ");
        let _ = check(&SourceFile::new("fuzz.rules", text));
    }

    #[test]
    fn mutated_shipped_rulesets_never_panic(
        which in any::<bool>(),
        mutations in proptest::collection::vec((any::<usize>(), 0usize..40, any::<u8>(), proptest::sample::select(TOKENS)), 1..4),
    ) {
        let mut text = if which { SHAODONG.to_owned() } else { MILUO.to_owned() };
        for (position, length, kind, token) in mutations {
            text = mutate(&text, position, length, kind, token);
        }
        let checked = check(&SourceFile::new("mutant.rules", text.clone()));
        for d in &checked.diagnostics {
            let span = d.span();
            prop_assert!(span.end <= text.len(), "{d:?}");
            // Rendering a record never fails either.
            let _ = d.record(&SourceFile::new("mutant.rules", text.clone()));
        }
    }
}
