//! Ruleset check with rendered diagnostics: any text is parsed and checked
//! without a panic; every diagnostic renders as `rulec check` renders it
//! (miette's graphical report, to a String) and as a JSON record whose
//! location lies inside the file; a ruleset that checks evaluates a small
//! synthetic fact file without a panic.
#![no_main]

use kaohe::synth::{facts, SynthSpec};
use kaohe::{Facts, Ruleset, SourceFile};
use libfuzzer_sys::fuzz_target;
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("fuzz.rules", text);
    let checked = kaohe::check(&source);
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let lines = text.split('\n').count();
    for diagnostic in &checked.diagnostics {
        let mut out = String::new();
        let report = miette::Report::new(diagnostic.clone())
            .with_source_code(NamedSource::new("fuzz.rules", text.to_owned()));
        handler
            .render_report(&mut out, report.as_ref())
            .expect("a diagnostic renders");
        assert!(!out.is_empty());
        let record = diagnostic.record(&source);
        let json = serde_json::to_value(&record).expect("a diagnostic record serialises");
        let line = json["line"].as_u64().expect("a line number");
        assert!(
            line >= 1 && line as usize <= lines,
            "line {line} outside a file of {lines} lines: {json}"
        );
    }
    if checked.is_ok() {
        let Ok(ruleset) = Ruleset::from_source(source) else {
            panic!("check accepts what Ruleset::from_source refuses");
        };
        let spec = SynthSpec {
            seed: 7,
            units_per_group: 3,
            periods: 2,
            records_per_unit_period: 2,
            partitions: 1,
        };
        let json = facts(&ruleset, &spec).to_string();
        // Synthetic facts may be refused (a declaration the generator cannot
        // satisfy) and evaluation may fail with an error; neither may panic.
        if let Ok(facts) = Facts::from_json(&ruleset, &json) {
            let _ = ruleset.evaluate(&facts);
        }
    }
});
