//! Fact files: both readers — `Facts::from_json` (a string) and
//! `Facts::from_reader` (a byte stream, what `rulec eval` uses) — give the same
//! facts or the same errors, positions included, for every shipped ruleset
//! (bytes that are not UTF-8 go to the reader only); facts that validate
//! evaluate without a panic.
#![no_main]

use kaohe::Facts;
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    for ruleset in common::rulesets() {
        let from_reader = Facts::from_reader(ruleset, data);
        let Ok(text) = std::str::from_utf8(data) else {
            // Not UTF-8: only the reader can be given it (it may refuse it or,
            // for UTF-16, decode it: issue 11 leaves that to the reader); it
            // must not panic, and what it accepts must evaluate.
            if let Ok(facts) = from_reader {
                let _ = ruleset.evaluate(&facts);
            }
            continue;
        };
        let from_json = Facts::from_json(ruleset, text);
        assert_eq!(
            from_json, from_reader,
            "Facts::from_json and Facts::from_reader disagree on {text:?}"
        );
        if let Ok(facts) = from_json {
            let _ = ruleset.evaluate(&facts);
        }
    }
});
