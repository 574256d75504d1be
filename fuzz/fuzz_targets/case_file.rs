//! Case files (`docs/cases.md`): any text parses to a case or a `CaseError`,
//! never a panic. A case with inline facts runs against each shipped ruleset
//! the facts fit; blessing it writes a case file that parses again, fails
//! only where blessing cannot help (what `rulec test --bless` reports as still
//! failing: a unit without a result, a period that is not evaluated), and that
//! a second blessing leaves as it is.
#![no_main]

use std::path::Path;

use kaohe::cases::{Case, FactsSource};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("rulesets/fuzz/cases/fuzz.toml");
    let Ok(case) = Case::parse(path, text.to_owned()) else {
        return;
    };
    if !matches!(case.facts, FactsSource::Inline(_)) {
        return;
    }
    for ruleset in common::rulesets() {
        let Ok(run) = case.run(ruleset) else {
            continue;
        };
        let Ok((blessed, _)) = case.bless(&run.evaluation) else {
            continue;
        };
        // What `kaohe::cases::run_suite` reports as still failing after a bless.
        let unfixable: Vec<_> = run
            .failures
            .iter()
            .filter(|d| {
                d.fields
                    .iter()
                    .any(|f| f.field == "result" || f.field == "period")
            })
            .cloned()
            .collect();
        let again = Case::parse(path, blessed.clone())
            .unwrap_or_else(|e| panic!("a blessed case does not parse: {e}\n{blessed}"));
        let rerun = again
            .run(ruleset)
            .unwrap_or_else(|e| panic!("a blessed case does not run: {e}\n{blessed}"));
        assert_eq!(
            rerun.failures, unfixable,
            "a blessed case fails other than where blessing cannot help:\n{blessed}"
        );
        let (twice, _) = again
            .bless(&rerun.evaluation)
            .unwrap_or_else(|e| panic!("a blessed case does not bless again: {e}\n{blessed}"));
        assert_eq!(twice, blessed, "blessing twice changes the case again");
    }
});
