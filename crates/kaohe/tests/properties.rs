#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Properties of evaluation over random valid rulesets and random valid fact
//! files (the generators are in `tests/common/`):
//!
//! - evaluation never panics and terminates, and fails only for the causes
//!   `docs/embedding.md` documents;
//! - every total is the sum of its items, no cap is exceeded, category floors hold;
//! - a record that triggers a deduction never raises the unit's score, one that
//!   triggers a bonus never lowers it;
//! - the order of units and records changes nothing in the output;
//! - ranks are competition ranks consistent with the ranking keys;
//! - with division, units whose scores are mathematically equal share a rank
//!   (exact quotients); a unit ranked 1st is never bottom N when n > N;
//! - records reported after a period's seal never change that period, and a
//!   late record is either rejected or applied to a period that is evaluated;
//! - formatting a ruleset (`kaohe::syntax::format`) preserves its meaning.
//!
//! Each property is a proptest with a small case count by default; the long
//! mode sets the count with `KAOHE_PROPTEST_CASES` (see docs/testing.md):
//! `KAOHE_PROPTEST_CASES=12000 cargo test --release -p kaohe --test properties -- --nocapture`
//! prints the number of cases and evaluations of each property.
//! `KAOHE_PROPTEST_TIMEOUT` (seconds, default 60) bounds one evaluation.
//!
//! A failure prints the generated ruleset and fact file (shrunk by proptest);
//! the demonstrations that each property fails when what it guards is broken
//! are in docs/testing.md.

mod common;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::Duration;

use common::facts::FactsSpec;
use common::spec::{Dir, Late, Policy, RuleKind, Spec};
use common::{Choices, Day, Per};
use kaohe::eval::result::{Evaluation, ItemKind, LineItem, UnitResult};
use kaohe::number::Number;
use kaohe::{EvalError, Facts, Ruleset, SourceFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rust_decimal::Decimal;

// ------------------------------------------------------------------ harness

/// How long one evaluation may take before it counts as not terminating:
/// `KAOHE_PROPTEST_TIMEOUT` seconds, 60 by default.
fn timeout() -> u64 {
    std::env::var("KAOHE_PROPTEST_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
}

fn cases(default: u32) -> u32 {
    std::env::var("KAOHE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

thread_local! {
    /// Evaluations run by the property on this thread (each test has its own).
    static EVALUATIONS: Cell<u64> = const { Cell::new(0) };
    /// Evaluations of risky specs that failed, with a documented cause.
    static DOCUMENTED_ERRORS: Cell<u64> = const { Cell::new(0) };
}

/// Runs a property over `strategy` with the configured number of cases and
/// prints how many cases and evaluations it ran.
fn check<S: Strategy>(
    name: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let cases = cases(default_cases);
    let long = std::env::var("KAOHE_PROPTEST_CASES").is_ok();
    let config = Config {
        cases,
        failure_persistence: None,
        // Shrinking a failure re-runs the property many times: keep the
        // default run quick, shrink further in the long mode (proptest's own
        // PROPTEST_MAX_SHRINK_ITERS, when set, decides).
        max_shrink_iters: match std::env::var("PROPTEST_MAX_SHRINK_ITERS") {
            Ok(_) => Config::default().max_shrink_iters,
            Err(_) if long => 8192,
            Err(_) => 1024,
        },
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let start = std::time::Instant::now();
    EVALUATIONS.with(|e| e.set(0));
    let result = runner.run(&strategy, test);
    let evaluations = EVALUATIONS.with(Cell::get);
    eprintln!(
        "property {name}: {cases} cases, {evaluations} evaluations, {:.1} s",
        start.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("property {name} failed: {e}");
    }
}

/// A stream of choices for a generator. Its `Debug` form is short: a failure
/// is reported as the ruleset and facts it generated.
fn stream(max: usize) -> impl Strategy<Value = Stream> {
    proptest::collection::vec(any::<u32>(), 0..max).prop_map(Stream)
}

#[derive(Clone)]
struct Stream(Vec<u32>);

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} choices>", self.0.len())
    }
}

impl Stream {
    fn choices(self) -> Choices {
        Choices::new(self.0)
    }
}

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

/// The ruleset of a spec; it must check without errors or warnings (anything
/// else is a bug in the generator, or a checker that rejects a valid ruleset).
fn ruleset(spec: &Spec) -> Result<(Ruleset, String), TestCaseError> {
    let text = spec.render();
    match Ruleset::from_source(SourceFile::new("generated.rules", text.clone())) {
        Ok(r) if r.warnings().is_empty() => Ok((r, text)),
        Ok(r) => Err(fail(format!(
            "a generated ruleset has warnings (a bug in the generator or the checker): {:?}\n{text}",
            r.warnings()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        ))),
        Err(e) => Err(fail(format!(
            "a generated ruleset is rejected (a bug in the generator or the checker): {e}\n{text}"
        ))),
    }
}

/// Validates a fact file (it must be valid: anything else is a bug in the
/// generator, or a validation that rejects valid facts).
fn facts(ruleset: &Ruleset, text: &str, json: &str) -> Result<Facts, TestCaseError> {
    Facts::from_json(ruleset, json)
        .map_err(|e| {
        fail(format!(
            "generated facts are rejected (a bug in the generator or in validation): {e}\n{text}\nfacts: {json}"
        ))
    })
}

fn evaluate(ruleset: &Ruleset, facts: &Facts) -> Result<Evaluation, EvalError> {
    EVALUATIONS.with(|e| e.set(e.get() + 1));
    ruleset.evaluate(facts)
}

/// Evaluates; a safe spec must evaluate without error.
fn evaluate_ok(
    ruleset: &Ruleset,
    text: &str,
    json: &str,
) -> Result<(Facts, Evaluation), TestCaseError> {
    let facts = facts(ruleset, text, json)?;
    match evaluate(ruleset, &facts) {
        Ok(ev) => Ok((facts, ev)),
        Err(e) => Err(fail(format!(
            "evaluation failed: {e}\n--- ruleset\n{text}\n--- facts\n{json}"
        ))),
    }
}

fn context(text: &str, json: &str) -> String {
    format!("\n--- ruleset\n{text}\n--- facts\n{json}")
}

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// The generator's period for an output period label (`None` for a year).
fn per_of(label: &str, window: &[Per]) -> Option<Per> {
    window.iter().copied().find(|p| p.label() == label)
}

fn result_of<'e>(ev: &'e Evaluation, unit: &str, period: &str) -> Option<&'e UnitResult> {
    ev.results
        .iter()
        .find(|r| r.unit == unit && r.period.to_string() == period)
}

/// The documented causes of an evaluation error (docs/embedding.md): division
/// by zero, decimal overflow, an absent value in arithmetic, a negative
/// computed deduction or bonus.
fn documented(error: &EvalError) -> bool {
    ["division by zero", "overflows", "absent", "negative amount"]
        .iter()
        .any(|cause| error.message.contains(cause))
}

// ------------------------------------------------------------------ properties

/// The generators themselves: every generated ruleset (safe or risky) checks
/// without errors or warnings, and every generated fact file is valid for it.
#[test]
fn generated_rulesets_and_facts_are_valid() {
    check(
        "generators",
        96,
        (any::<bool>(), stream(400), stream(600)),
        |(risky, rules, fact_choices)| {
            let spec = Spec::generate(&mut rules.choices(), risky);
            let (ruleset, text) = ruleset(&spec)?;
            let generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            // The model must say what the file says: one discretionary order
            // per key (a second one would be dropped by the JSON object, and
            // the model would rank by an order the engine never saw).
            let mut keys = BTreeSet::new();
            for (key, _) in &generated.discretion {
                if !keys.insert(key) {
                    return Err(fail(format!(
                        "two discretionary orders generated for `{key}`"
                    )));
                }
            }
            facts(&ruleset, &text, &generated.to_json(&spec))?;
            Ok(())
        },
    );
}

/// The generators reach every part of the language: over a few hundred
/// rulesets from fixed streams, each construct appears at least once.
#[test]
fn generated_rulesets_cover_the_language() {
    let mut seed: u64 = 0x6b61_6f68_6521;
    let mut next = move || {
        // splitmix64
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        u32::try_from((z ^ (z >> 31)) >> 32).unwrap()
    };
    let mut texts = String::new();
    let (mut versions, mut mixed_caps, mut annual_groups) = (0, 0, 0);
    for i in 0..400 {
        let stream: Vec<u32> = (0..400).map(|_| next()).collect();
        let spec = Spec::generate(&mut Choices::new(stream), i % 2 == 1);
        let names: Vec<&str> = spec.rules().map(|(_, r)| r.name.as_str()).collect();
        if names.iter().collect::<BTreeSet<_>>().len() < names.len() {
            versions += 1;
        }
        for cap in &spec.group_caps {
            let kinds: BTreeSet<String> = spec
                .rules()
                .filter(|(_, r)| cap.rules.contains(&r.name))
                .map(|(_, r)| format!("{:?}", r.kind))
                .collect();
            if kinds.len() > 1 {
                mixed_caps += 1;
            }
        }
        annual_groups += usize::from(spec.groups.iter().any(|g| g.annually));
        texts.push_str(&spec.render());
    }
    let constructs = [
        "levels ",
        "attribute ",
        "integer?",
        "assessed annually",
        "clause [",
        "average when",
        "derive ",
        "  key ",
        "period month",
        "period quarter",
        "period half",
        "period week",
        "period year",
        "seal ",
        "late rejected",
        "late carried",
        "amendable",
        "allot ",
        "floor ",
        "cap bonuses",
        "per period",
        "per year",
        "deduct ",
        "bonus ",
        "adjust ",
        " where ",
        "      when ",
        "amount by rank",
        "amount discretion",
        "top ",
        "bottom ",
        "overlap top",
        "overlap bottom",
        "amount by f",
        "times ",
        "once per ",
        "once per unit keep highest",
        "cap gc",
        "effective 20",
        "from pooled records",
        "from sum of periods",
        "convert weight",
        "round 2",
        "half_even",
        "ranking ",
        " within ",
        "by discretion",
        " asc\n",
        " desc\n",
        "ties shared",
        "notice ",
        "flag ",
        "classify ",
        "otherwise",
        "quota ",
        "require ",
        "action ",
        "ranked bottom",
        "periods this year",
        "calendar cn",
        "  year 2027",
        "holiday ",
        "workday ",
        " days ",
        " months ",
        " working days ",
        "days_between(",
        "working_days_between(",
        "previous_rank",
        "  step ",
        "  only when ",
        "measure q0 ",
        "place(q",
        "measure(q",
        "peer_max(q",
        "peer_min(q",
        "peer_average(q",
        "peer_sum(q",
        "peer_count(q",
        "bands(",
        " upto ",
        " from 10",
        "else: ",
        "steps(",
        " == this.",
        " in previous ",
        "output o",
        "previous_total",
        "ranked top",
        "previous(",
        "count(",
        "sum(",
        "min(",
        "max(",
        "abs(",
        "round(",
        "floor(",
        "ceil(",
        "ties straddling",
        "outside total",
        "allotments sum",
        "score of ",
        "subtotal(c0)",
        "input sub \"子考核\" from ruleset",
        "overdue(",
        "present(",
        "as_of",
        "period_start",
        "period_end",
        "unit.",
        "if ",
        "not ",
        " and ",
        " or ",
        " / ",
        " * ",
        " + ",
        " - ",
        " == ",
        " != ",
        " < ",
        " <= ",
        " > ",
        " >= ",
        "\\\"",
        ": date",
        ": text",
        ": bool",
        ": decimal",
        ": integer",
        "record k0 \"",
    ];
    let missing: Vec<&str> = constructs
        .iter()
        .copied()
        .filter(|c| !texts.contains(c))
        .collect();
    assert!(missing.is_empty(), "no generated ruleset has {missing:?}");
    // `ranked top 2 in m0`: no window, the evaluated period only.
    let without_window = (1..=3).any(|n| {
        ["top", "bottom"]
            .iter()
            .any(|side| texts.contains(&format!("ranked {side} {n} in m")))
    });
    assert!(
        without_window,
        "no generated ruleset has `ranked … N in R` without a window"
    );
    assert!(
        versions > 0 && mixed_caps > 0 && annual_groups > 0,
        "rule versions {versions}, group caps over rules of both signs {mixed_caps}, annual-only groups {annual_groups}"
    );
}

/// Evaluation never panics and terminates. A safe spec always evaluates; a
/// risky one (arithmetic on optional values, division by attributes, amounts
/// that may be negative, unit attributes of one group used in every group's
/// rules) may fail, but only with a documented cause, and an error names a
/// place inside the ruleset.
#[test]
fn evaluation_never_panics_and_fails_only_for_documented_causes() {
    check(
        "never_panics",
        64,
        (any::<bool>(), stream(400), stream(600)),
        |(risky, rules, fact_choices)| {
            let spec = Spec::generate(&mut rules.choices(), risky);
            let (ruleset, text) = ruleset(&spec)?;
            let generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            let json = generated.to_json(&spec);
            let facts = facts(&ruleset, &text, &json)?;
            let (sender, receiver) = mpsc::channel();
            let (r, f) = (ruleset.clone(), facts.clone());
            EVALUATIONS.with(|e| e.set(e.get() + 1));
            let worker = std::thread::spawn(move || {
                let outcome = r.evaluate(&f).map(|ev| {
                    // The JSON form and selections never fail either.
                    let json = ev.to_json();
                    let first = ev.periods.first().copied();
                    let _ = ev.clone().select(&kaohe::eval::result::Selection {
                        period: first,
                        unit: None,
                    });
                    json
                });
                let _ = sender.send(outcome);
            });
            let outcome = match receiver.recv_timeout(Duration::from_secs(timeout())) {
                Ok(outcome) => outcome,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(fail(format!(
                        "evaluation did not terminate within {} s{}",
                        timeout(),
                        context(&text, &json)
                    )))
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let panic = worker.join().err().map(|p| {
                        p.downcast_ref::<String>()
                            .cloned()
                            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                            .unwrap_or_default()
                    });
                    return Err(fail(format!(
                        "evaluation panicked: {panic:?}{}",
                        context(&text, &json)
                    )));
                }
            };
            match outcome {
                Ok(output) => {
                    prop_assert!(
                        serde_json::from_str::<serde_json::Value>(&output).is_ok(),
                        "the output is not JSON"
                    );
                }
                Err(error) => {
                    prop_assert!(
                        risky,
                        "a safe ruleset failed to evaluate: {error}{}",
                        context(&text, &json)
                    );
                    prop_assert!(
                        documented(&error),
                        "undocumented evaluation error: {error}{}",
                        context(&text, &json)
                    );
                    DOCUMENTED_ERRORS.with(|e| e.set(e.get() + 1));
                    if let Some(span) = error.span {
                        prop_assert!(span.start <= span.end && span.end <= text.len());
                    }
                }
            }
            Ok(())
        },
    );
    eprintln!(
        "property never_panics: {} evaluations failed with a documented cause",
        DOCUMENTED_ERRORS.with(Cell::get)
    );
}

/// Every total equals the sum of its items; every item's limits chain from its
/// raw amount to its applied amount; no rule cap, group cap or category bonus
/// cap is exceeded (per period, and summed over the year for `per year`);
/// category floors hold; category subtotals and the total agree with the items;
/// the annual results are the sum of the periods, the group average or the pooled
/// score, and conversions are the declared weight and rounding.
#[test]
fn totals_add_up_and_no_cap_or_floor_is_exceeded() {
    check_evaluations("totals_and_limits", check_totals);
}

/// Checks `property` on the evaluation of random valid rulesets and facts; a
/// failure is reported with the ruleset and the facts.
fn check_evaluations(
    name: &str,
    property: fn(&Spec, &FactsSpec, &Evaluation) -> Result<(), String>,
) {
    check(
        name,
        64,
        (stream(400), stream(600)),
        |(rules, fact_choices)| {
            let spec = Spec::generate(&mut rules.choices(), false);
            let (ruleset, text) = ruleset(&spec)?;
            let generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            let json = generated.to_json(&spec);
            let (_, ev) = evaluate_ok(&ruleset, &text, &json)?;
            // A panic inside the property (e.g. a value that does not
            // terminate) is reported with the ruleset and facts too.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                property(&spec, &generated, &ev)
            }))
            .unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(format!("the property panicked: {what}"))
            })
            .map_err(|m| fail(format!("{m}{}", context(&text, &json))))
        },
    );
}

/// Adding a record that triggers a deduction never raises the unit's score in
/// that period, and one that triggers a bonus never lowers it, whatever the
/// caps and floors; other units and earlier periods do not move.
///
/// The record is of a kind `kx` only the target rule uses (so it can act on the
/// score only through that rule), and is built to satisfy the rule's filter; the
/// test checks that the rule counted it.
#[test]
fn a_deduction_never_raises_a_score_and_a_bonus_never_lowers_it() {
    check(
        "monotone",
        64,
        (stream(400), stream(600), stream(32)),
        |(rules, fact_choices, extra)| {
            let mut c = extra.choices();
            let mut spec = Spec::generate(&mut rules.choices(), false);
            let (kind, negative) = *c.pick(&[
                (RuleKind::Deduct, false),
                (RuleKind::Bonus, false),
                (RuleKind::Adjust, true),
                (RuleKind::Adjust, false),
            ]);
            let target = spec.add_target(&mut c, kind, negative);
            let (ruleset, text) = ruleset(&spec)?;
            let generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            let candidates: Vec<String> = generated
                .units
                .iter()
                .filter(|u| !spec.groups[u.group].annually)
                .map(|u| u.id.clone())
                .collect();
            let unit = c.pick(&candidates).clone();
            let period = *c.pick(&generated.window);
            let last = match spec.policy {
                Policy::Sealed { days, .. } => period.seal(days).min(generated.as_of),
                Policy::Amendable => generated.as_of,
            };
            let reported = generated.reported_in(&mut c, period.start(), last);
            let added =
                generated.target_record(&mut c, &spec, &target, unit.clone(), period, reported);
            let mut more = generated.clone();
            more.records.push(added);
            let before_json = generated.to_json(&spec);
            let after_json = more.to_json(&spec);
            let (_, before) = evaluate_ok(&ruleset, &text, &before_json)?;
            let (_, after) = evaluate_ok(&ruleset, &text, &after_json)?;
            let label = period.label();
            let counted = |ev: &Evaluation| {
                result_of(ev, &unit, &label).map_or(0, |r| {
                    r.items
                        .iter()
                        .filter(|i| i.rule.as_deref() == Some(target.rule.as_str()))
                        .map(|i| i.records.len())
                        .sum::<usize>()
                })
            };
            prop_assert_eq!(
                counted(&after),
                counted(&before) + 1,
                "the added record does not match rule `{}`{}",
                target.rule,
                context(&text, &after_json)
            );
            let total = |ev: &Evaluation| result_of(ev, &unit, &label).map(|r| r.total);
            let (t0, t1) = (total(&before), total(&after));
            let deduction = kind == RuleKind::Deduct || (kind == RuleKind::Adjust && negative);
            let moved_wrong_way = match (t0, t1) {
                (Some(t0), Some(t1)) => {
                    if deduction {
                        t1 > t0
                    } else {
                        t1 < t0
                    }
                }
                _ => true,
            };
            prop_assert!(
                !moved_wrong_way,
                "adding a record that triggers {} `{}` moved `{unit}` in {label} from {t0:?} to {t1:?}{}",
                if deduction { "the deduction" } else { "the bonus" },
                target.rule,
                context(&text, &after_json)
            );
            // Other units, and earlier periods of this unit, do not move.
            for r in before.results.iter().filter(|r| !r.annual) {
                let p = r.period.to_string();
                let earlier = per_of(&p, &generated.window).is_some_and(|q| q < period);
                if r.unit != unit || earlier {
                    let other = result_of(&after, &r.unit, &p).map(|x| x.total);
                    prop_assert_eq!(
                        Some(r.total),
                        other,
                        "`{}` in {} moved{}",
                        r.unit,
                        p,
                        context(&text, &after_json)
                    );
                }
            }
            Ok(())
        },
    );
}

/// Permuting the units and the records of a fact file changes nothing in the
/// JSON output (byte for byte), nor the facts' hash.
#[test]
fn the_order_of_units_and_records_does_not_matter() {
    check(
        "order",
        64,
        (stream(400), stream(600), stream(64)),
        |(rules, fact_choices, extra)| {
            let spec = Spec::generate(&mut rules.choices(), false);
            let (ruleset, text) = ruleset(&spec)?;
            let generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            let mut c = extra.choices();
            let units: Vec<usize> = (0..generated.units.len()).collect();
            let records: Vec<usize> = (0..generated.records.len()).collect();
            let shuffled_units = c.permutation(units.len());
            let shuffled_records = c.permutation(records.len());
            let reversed_units: Vec<usize> = units.iter().rev().copied().collect();
            let reversed_records: Vec<usize> = records.iter().rev().copied().collect();
            let json = generated.to_json(&spec);
            let (facts0, ev0) = evaluate_ok(&ruleset, &text, &json)?;
            let output0 = ev0.to_json();
            for (u, r) in [
                (&shuffled_units, &shuffled_records),
                (&reversed_units, &reversed_records),
            ] {
                let other = generated.to_json_ordered(&spec, u, r).to_string();
                let (facts1, ev1) = evaluate_ok(&ruleset, &text, &other)?;
                prop_assert_eq!(
                    facts0.hash(),
                    facts1.hash(),
                    "the facts' hash depends on the order of units or records{}",
                    context(&text, &other)
                );
                let output1 = ev1.to_json();
                if output0 != output1 {
                    return Err(fail(format!(
                        "the output depends on the order of units or records:\n{}{}\n--- reordered facts\n{other}",
                        first_difference(&output0, &output1),
                        context(&text, &json)
                    )));
                }
            }
            Ok(())
        },
    );
}

/// Every ranking is a competition ranking (1, 2, 2, 4) of exactly the units of
/// its group, in the order of its keys; units share a rank exactly when they are
/// equal on every key; `versus_above`/`versus_below` name the first key that
/// separates neighbours; `unresolved_ties` lists the shared ranks; each result's
/// `rank` is its place in its first ranking.
#[test]
fn ranks_are_competition_ranks_consistent_with_the_keys() {
    check_evaluations("ranks", check_ranks);
}

/// Under a sealing ruleset, adding records reported after a period's seal never
/// changes the results or rankings of that period or of any earlier one. Under
/// `late rejected` (written or by default) nothing changes at all except the
/// list of rejected records, which gains exactly the added ones.
#[test]
fn records_reported_after_the_seal_never_change_the_sealed_period() {
    check(
        "sealed",
        64,
        (stream(400), stream(600), stream(64)),
        |(rules, fact_choices, extra)| {
            let mut c = extra.choices();
            let mut spec = Spec::generate(&mut rules.choices(), false);
            if spec.policy == Policy::Amendable {
                spec.policy = Policy::Sealed {
                    days: u32::try_from(c.between(0, 20)).unwrap(),
                    late: *c.pick(&[Late::Rejected, Late::Default, Late::Carried]),
                };
            }
            let Policy::Sealed { days, late } = spec.policy else {
                unreachable!()
            };
            let (ruleset, text) = ruleset(&spec)?;
            let mut generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            let first = generated.window[0];
            if generated.as_of <= first.seal(days) {
                generated.as_of = first.seal(days).add(c.between(1, 40));
            }
            let sealed: Vec<Per> = generated
                .window
                .iter()
                .copied()
                .filter(|p| p.seal(days) < generated.as_of)
                .collect();
            let period = *c.pick(&sealed);
            let mut more = generated.clone();
            let added = 1 + c.below(3);
            for _ in 0..added {
                let mut r = generated.random_record(&mut c, &spec);
                r.period = period;
                r.reported =
                    generated.reported_in(&mut c, period.seal(days).add(1), generated.as_of);
                more.records.push(r);
            }
            let json = generated.to_json(&spec);
            let more_json = more.to_json(&spec);
            let (_, before) = evaluate_ok(&ruleset, &text, &json)?;
            let (_, after) = evaluate_ok(&ruleset, &text, &more_json)?;
            let upto = |ev: &Evaluation| -> (Vec<String>, Vec<String>) {
                let keep =
                    |label: String| per_of(&label, &generated.window).is_some_and(|p| p <= period);
                (
                    ev.results
                        .iter()
                        .filter(|r| keep(r.period.to_string()))
                        .map(|r| serde_json::to_string(r).unwrap())
                        .collect(),
                    ev.rankings
                        .iter()
                        .filter(|r| keep(r.period.to_string()))
                        .map(|r| serde_json::to_string(r).unwrap())
                        .collect(),
                )
            };
            let (r0, k0) = upto(&before);
            let (r1, k1) = upto(&after);
            let why =
                format!("adding {added} record(s) reported after the seal of {period} changed");
            if r0 != r1 {
                let (a, b) = (r0.join("\n"), r1.join("\n"));
                return Err(fail(format!(
                    "{why} the results up to {period}:\n{}{}\n--- facts with the late records\n{more_json}",
                    first_difference(&a, &b),
                    context(&text, &json)
                )));
            }
            prop_assert!(
                k0 == k1,
                "{why} the rankings up to {period}{}",
                context(&text, &more_json)
            );
            if late != Late::Carried {
                prop_assert_eq!(
                    before.results,
                    after.results,
                    "{} the results{}",
                    why,
                    context(&text, &more_json)
                );
                prop_assert_eq!(
                    before.rankings,
                    after.rankings,
                    "{} the rankings{}",
                    why,
                    context(&text, &more_json)
                );
                prop_assert_eq!(after.rejected.len(), before.rejected.len() + added);
            }
            Ok(())
        },
    );
}

/// Under a sealing ruleset every late record (reported after its period's seal)
/// is either listed as rejected or, under `late carried`, applied to the period
/// that contains its reported date — which must then be an evaluated period,
/// or the record is lost without a trace.
#[test]
fn a_late_record_is_rejected_or_carried_into_an_evaluated_period() {
    check(
        "late_records",
        64,
        (stream(400), stream(600), stream(8)),
        |(rules, fact_choices, extra)| {
            let mut c = extra.choices();
            let mut spec = Spec::generate(&mut rules.choices(), false);
            if spec.policy == Policy::Amendable {
                spec.policy = Policy::Sealed {
                    days: u32::try_from(c.between(0, 20)).unwrap(),
                    late: *c.pick(&[Late::Carried, Late::Rejected, Late::Default]),
                };
            }
            let Policy::Sealed { days, .. } = spec.policy else {
                unreachable!()
            };
            let (ruleset, text) = ruleset(&spec)?;
            let generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            let json = generated.to_json(&spec);
            let (_, ev) = evaluate_ok(&ruleset, &text, &json)?;
            let evaluated: BTreeSet<String> = ev.periods.iter().map(ToString::to_string).collect();
            for r in &generated.records {
                if r.reported <= r.period.seal(days) {
                    continue;
                }
                let rejected = ev.rejected.iter().any(|x| {
                    x.unit == r.unit
                        && (x.record.period.to_string() == r.period.label()
                            || x.record.carried_from.map(|p| p.to_string())
                                == Some(r.period.label()))
                        && x.record.reported.to_string() == r.reported.to_string()
                        && x.record.kind == spec.kinds[r.kind].name
                });
                let destination = Per::containing(spec.unit, r.reported);
                prop_assert!(
                    rejected || evaluated.contains(&destination.label()),
                    "the record of `{}` for {} reported {} is late; it is neither rejected nor applied to an evaluated period ({} is not evaluated: {:?}){}",
                    r.unit,
                    r.period,
                    r.reported,
                    destination,
                    evaluated,
                    context(&text, &json)
                );
            }
            Ok(())
        },
    );
}

/// Formatting preserves meaning: a generated ruleset with its white space
/// scrambled, the same ruleset formatted by `kaohe::syntax::format`, and the
/// ruleset as generated give byte-identical JSON output for the same facts
/// (the ruleset's hash aside, which is taken over the file's bytes); formatting
/// is idempotent and the formatted file checks without warnings.
#[test]
fn formatting_a_ruleset_preserves_its_meaning() {
    check(
        "format",
        64,
        (stream(400), stream(600), stream(800)),
        |(rules, fact_choices, layout)| {
            let spec = Spec::generate(&mut rules.choices(), false);
            let (ruleset, text) = ruleset(&spec)?;
            let scrambled = common::scramble(&text, &mut layout.choices());
            let formatted =
                kaohe::syntax::format::format(&SourceFile::new("s.rules", scrambled.clone()))
                    .map_err(|e| {
                        fail(format!(
                            "the scrambled ruleset does not format: {e:?}\n{scrambled}"
                        ))
                    })?;
            let again =
                kaohe::syntax::format::format(&SourceFile::new("f.rules", formatted.clone()))
                    .map_err(|e| {
                        fail(format!(
                            "the formatted ruleset does not format: {e:?}\n{formatted}"
                        ))
                    })?;
            prop_assert_eq!(&again, &formatted, "formatting is not idempotent");
            let load = |name: &str, text: &str| -> Result<Ruleset, TestCaseError> {
                match Ruleset::from_source(SourceFile::new(name, text)) {
                    Ok(r) if r.warnings().is_empty() => Ok(r),
                    Ok(r) => Err(fail(format!(
                        "{name} has warnings: {:?}\n{text}",
                        r.warnings()
                    ))),
                    Err(e) => Err(fail(format!("{e}\n{text}"))),
                }
            };
            let scrambled_ruleset = load("scrambled.rules", &scrambled)?;
            let formatted_ruleset = load("formatted.rules", &formatted)?;
            let generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            let json = generated.to_json(&spec);
            let output = |r: &Ruleset| -> Result<String, TestCaseError> {
                let (_, mut ev) = evaluate_ok(r, &text, &json)?;
                ev.ruleset.hash = String::new();
                Ok(ev.to_json())
            };
            let original = output(&ruleset)?;
            for (what, r, t) in [
                ("scrambled", &scrambled_ruleset, &scrambled),
                ("formatted", &formatted_ruleset, &formatted),
            ] {
                let other = output(r)?;
                if other != original {
                    return Err(fail(format!(
                        "the {what} ruleset evaluates differently:\n{}\n--- {what}\n{t}{}",
                        first_difference(&original, &other),
                        context(&text, &json)
                    )));
                }
            }
            Ok(())
        },
    );
}

// ------------------------------------------------------------------ checks

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!(
        "one output is a prefix of the other ({} vs {} lines)",
        a.lines().count(),
        b.lines().count()
    )
}

/// Which way an item moves its category.
fn bonus_side(item: &LineItem) -> bool {
    match item.kind {
        ItemKind::Bonus => true,
        ItemKind::Adjustment | ItemKind::Cap => item.raw.dec() >= Q::ZERO,
        _ => false,
    }
}

/// Whether an item was produced by a rule (not a cap, floor, base or average).
fn is_rule_item(item: &LineItem) -> bool {
    matches!(
        item.kind,
        ItemKind::Deduction | ItemKind::Bonus | ItemKind::Adjustment
    )
}

/// The periods an evaluation must cover: those the facts list, and under
/// `late carried` those late records are carried into (within the ruleset's
/// effective range).
fn evaluated_periods(spec: &Spec, facts: &FactsSpec) -> Vec<Per> {
    let mut periods: BTreeSet<Per> = facts.window.iter().copied().collect();
    if let Policy::Sealed {
        days,
        late: Late::Carried,
    } = spec.policy
    {
        for r in &facts.records {
            let arrived = Per::containing(spec.unit, r.reported);
            if r.reported > r.period.seal(days)
                && arrived.end() >= spec.from
                && arrived.start() <= spec.to
            {
                periods.insert(arrived);
            }
        }
    }
    periods.into_iter().collect()
}

fn check_totals(spec: &Spec, facts: &FactsSpec, ev: &Evaluation) -> Result<(), String> {
    let evaluated = evaluated_periods(spec, facts);
    let window: Vec<String> = evaluated.iter().map(|p| p.label()).collect();
    let mut years: Vec<i64> = evaluated.iter().map(|p| p.year()).collect();
    years.dedup();
    let pooled = spec.annual.as_ref().is_some_and(|a| a.pooled);

    // Structure: who has results for what.
    let mut expected_periods = window.clone();
    if spec.annual.is_some() {
        expected_periods.extend(years.iter().map(ToString::to_string));
    }
    let periods: Vec<String> = ev.periods.iter().map(ToString::to_string).collect();
    if periods != expected_periods {
        return Err(format!(
            "evaluated periods {periods:?}, expected {expected_periods:?}"
        ));
    }
    for u in &facts.units {
        let annually = spec.groups[u.group].annually;
        for p in &window {
            let n = ev
                .results
                .iter()
                .filter(|r| r.unit == u.id && r.period.to_string() == *p)
                .count();
            if n != usize::from(!annually) {
                return Err(format!("`{}` has {n} result(s) for {p}", u.id));
            }
        }
        for y in &years {
            let n = ev
                .results
                .iter()
                // Under `period year` the year's result is a period result, not an annual one.
                .filter(|r| r.unit == u.id && r.annual && r.period.to_string() == y.to_string())
                .count();
            if n != usize::from(spec.annual.is_some()) {
                return Err(format!("`{}` has {n} annual result(s) for {y}", u.id));
            }
        }
    }

    // Usage of `per year` limits: (unit, limit, year) → amounts so far.
    let mut year_usage: BTreeMap<(String, String, i64), Q> = BTreeMap::new();
    for r in &ev.results {
        let label = r.period.to_string();
        let at = |what: String| format!("`{}` in {label}: {what}", r.unit);
        let sum: Q = r.items.iter().map(|i| i.amount.dec()).sum();
        if sum != r.total {
            return Err(at(format!(
                "items add up to {sum}, the total is {}",
                r.total
            )));
        }
        if r.items.iter().any(|i| i.kind == ItemKind::Average) {
            if r.items.len() != 1 || !r.annual {
                return Err(at("an average is the only item of an annual result".into()));
            }
            continue;
        }
        let base: Vec<&LineItem> = r
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Base)
            .collect();
        if base.len() != 1 || r.items[0].kind != ItemKind::Base || base[0].amount != q(spec.base) {
            return Err(at("the first item, and only it, is the base".into()));
        }
        let summed_annual = r.annual && !pooled;
        let per = per_of(&label, &evaluated);
        let year = per.map_or_else(|| label.parse::<i64>().unwrap_or(0), Per::year);

        // The lines of categories outside the total are checked like the others
        // (issue 13 §10); they are only never part of the total.
        for item in r.items[1..].iter().chain(&r.outside_items) {
            let Some(category) = spec
                .categories
                .iter()
                .find(|c| Some(c.name.as_str()) == item.category.as_deref())
            else {
                return Err(at(format!("item without a known category: {item:?}")));
            };
            // The limits chain from raw to applied.
            if (is_rule_item(item) || item.kind == ItemKind::Cap || item.kind == ItemKind::Floor)
                && !summed_annual
            {
                chain(item).map_err(&at)?;
            }
            if !is_rule_item(item) {
                continue;
            }
            let name = item.rule.clone().unwrap_or_default();
            if item.amount.abs() > item.raw.abs() {
                return Err(at(format!("`{name}` applies more than its raw amount")));
            }
            let signs_ok = match item.kind {
                ItemKind::Deduction => item.amount.dec() <= Q::ZERO && item.raw.dec() <= Q::ZERO,
                ItemKind::Bonus => item.amount.dec() >= Q::ZERO && item.raw.dec() >= Q::ZERO,
                _ => summed_annual || item.amount.dec() * item.raw.dec() >= Q::ZERO,
            };
            if !signs_ok {
                return Err(at(format!("`{name}` has the wrong sign: {item:?}")));
            }
            let versions: Vec<_> = category.rules.iter().filter(|x| x.name == name).collect();
            // (A year summed over versions with and without `per` lists only
            // the records of the former.)
            let several_versions_summed = summed_annual && versions.len() > 1;
            if !item.records.is_empty() && !several_versions_summed {
                let records: Q = item.records.iter().map(|x| x.amount.dec()).sum();
                let count: u32 = item.records.iter().map(|x| x.count).sum();
                if records != item.raw || count != item.count {
                    return Err(at(format!(
                        "`{name}`: raw {} and count {} are not the sums of its records ({records}, {count})",
                        item.raw, item.count
                    )));
                }
            }
            // Rule caps (a rule with versions: only in the version's own period).
            let rule = match (versions.as_slice(), per) {
                ([only], _) => Some(*only),
                (_, Some(p)) => versions.iter().copied().find(|x| x.in_force(p)),
                _ => None,
            };
            let Some(rule) = rule else { continue };
            for (n, scope) in &rule.caps {
                let cap = q(i64::from(*n));
                if summed_annual {
                    if scope.is_year() && item.amount.dec().abs() > cap {
                        return Err(at(format!("`{name}` exceeds its cap {n} per year")));
                    }
                    continue;
                }
                if (!scope.is_year() || r.annual) && item.amount.dec().abs() > cap {
                    return Err(at(format!(
                        "`{name}` applies {} over its cap {n}",
                        item.amount
                    )));
                }
                if scope.is_year() && !r.annual && versions.len() == 1 {
                    // An adjust rule's two signs are capped separately.
                    let negative = item.kind == ItemKind::Adjustment && item.raw.dec() < Q::ZERO;
                    let used = year_usage
                        .entry((
                            r.unit.to_string(),
                            format!("rule:{name}:{n}:{negative}"),
                            year,
                        ))
                        .or_insert(Q::ZERO);
                    *used += item.amount.dec().abs();
                    if *used > cap {
                        return Err(at(format!(
                            "`{name}` applies {used} in the year, over its cap {n} per year"
                        )));
                    }
                }
            }
        }

        if summed_annual {
            continue;
        }
        // Group caps: the named rules' bonuses and their deductions are each
        // capped (a cap line belongs to the side its raw amount is on).
        for cap in &spec.group_caps {
            for bonus_side in [true, false] {
                let on_side = |amount: Q| (amount >= Q::ZERO) == bonus_side;
                let applied: Q = r
                    .items
                    .iter()
                    .filter(|i| {
                        (is_rule_item(i)
                            && on_side(i.amount.dec())
                            && cap
                                .rules
                                .iter()
                                .any(|n| Some(n.as_str()) == i.rule.as_deref()))
                            || (i.kind == ItemKind::Cap
                                && on_side(i.raw.dec())
                                && i.rule.as_deref() == Some(cap.name.as_str()))
                    })
                    .map(|i| i.amount.dec())
                    .sum();
                let limit = q(i64::from(cap.limit));
                if applied.abs() > limit {
                    return Err(at(format!(
                        "cap `{}` {} is exceeded: {applied}",
                        cap.name, cap.limit
                    )));
                }
                if cap.scope.is_year() && !r.annual {
                    let used = year_usage
                        .entry((
                            r.unit.to_string(),
                            format!("cap:{}:{bonus_side}", cap.name),
                            year,
                        ))
                        .or_insert(Q::ZERO);
                    *used += applied.abs();
                    if *used > limit {
                        return Err(at(format!(
                            "cap `{}` {} per year is exceeded: {used}",
                            cap.name, cap.limit
                        )));
                    }
                }
            }
        }
        // Categories: subtotals from the items, bonus caps, floors.
        if r.categories.len() != spec.categories.len() {
            return Err(at("one subtotal per category".into()));
        }
        let mut net = q(spec.base);
        for (c, spec_c) in r.categories.iter().zip(&spec.categories) {
            if c.category != spec_c.name {
                return Err(at(format!("category `{}` out of order", c.category)));
            }
            let own =
                r.items.iter().chain(&r.outside_items).filter(|i| {
                    i.kind != ItemKind::Base && i.category.as_deref() == Some(&c.category)
                });
            if c.outside != spec_c.outside
                || (spec_c.outside
                    && r.items
                        .iter()
                        .any(|i| i.category.as_deref() == Some(&c.category)))
                || (!spec_c.outside
                    && r.outside_items
                        .iter()
                        .any(|i| i.category.as_deref() == Some(&c.category)))
            {
                return Err(at(format!(
                    "category `{}`: outside the total is {}, its lines say otherwise",
                    c.category, spec_c.outside
                )));
            }
            let (mut bonuses, mut deductions) = (Q::ZERO, Q::ZERO);
            for i in own {
                if bonus_side(i) {
                    bonuses += i.amount.dec();
                } else {
                    deductions -= i.amount.dec();
                }
            }
            if bonuses != c.bonuses || deductions != c.deductions {
                return Err(at(format!(
                    "category `{}` reports bonuses {} and deductions {}, its items give {bonuses} and {deductions}",
                    c.category, c.bonuses, c.deductions
                )));
            }
            let allot = spec_c.allot.map(d);
            // Outside the total, a category without `allot` scores from 0.
            let start = if spec_c.outside {
                Some(allot.map_or(Q::ZERO, |a| Q(a.into())))
            } else {
                allot.map(|a| Q(a.into()))
            };
            if c.allot != allot
                || c.subtotal.map(|x| x.dec()) != start.map(|a| a - deductions + bonuses)
            {
                return Err(at(format!(
                    "category `{}`: wrong allotment or subtotal",
                    c.category
                )));
            }
            if let (Some(allot), Some(floor)) = (spec_c.allot, spec_c.floor) {
                if c.deductions.dec() > q(allot - floor) {
                    return Err(at(format!(
                        "category `{}` loses {} below its floor {floor} (allot {allot})",
                        c.category, c.deductions
                    )));
                }
            }
            if let Some((n, scope)) = spec_c.bonus_cap {
                let cap = q(i64::from(n));
                if c.bonuses.dec() > cap {
                    return Err(at(format!(
                        "category `{}` bonuses {} over cap {n}",
                        c.category, c.bonuses
                    )));
                }
                if scope.is_year() && !r.annual {
                    let used = year_usage
                        .entry((r.unit.to_string(), format!("bonus:{}", c.category), year))
                        .or_insert(Q::ZERO);
                    *used += c.bonuses.dec().max(Q::ZERO);
                    if *used > cap {
                        return Err(at(format!(
                            "category `{}` bonuses {used} in the year, over cap {n} per year",
                            c.category
                        )));
                    }
                }
            }
            if !spec_c.outside {
                net += c.bonuses.dec() - c.deductions.dec();
            }
        }
        if net != r.total {
            return Err(at(format!(
                "base and category subtotals give {net}, the total is {}",
                r.total
            )));
        }
    }

    // The annual results.
    let Some(annual) = &spec.annual else {
        return Ok(());
    };
    for y in &years {
        let year = y.to_string();
        let of_year: Vec<&UnitResult> = ev
            .results
            .iter()
            .filter(|r| r.period.to_string() == year)
            .collect();
        for r in &of_year {
            let group = facts.group_of(&r.unit).unwrap();
            let g = &spec.groups[group];
            let averaged = r.items.iter().any(|i| i.kind == ItemKind::Average);
            // Who gets the average: `average when attr == 0` holds.
            let expect_average = g.average_when.as_ref().is_some_and(|w| {
                let attr = w.split(' ').next().unwrap_or_default();
                facts.attribute(&r.unit, attr) == Some(0)
            });
            let others: Vec<Number> = of_year
                .iter()
                .filter(|o| {
                    o.group == r.group && !o.items.iter().any(|i| i.kind == ItemKind::Average)
                })
                .filter(|o| {
                    let attr = g
                        .average_when
                        .as_ref()
                        .and_then(|w| w.split(' ').next())
                        .unwrap_or_default();
                    facts.attribute(&o.unit, attr) != Some(0)
                })
                .map(|o| o.total)
                .collect();
            if averaged != (expect_average && !others.is_empty()) {
                return Err(format!("`{}` in {year}: averaged is {averaged}", r.unit));
            }
            if averaged {
                // Exact: an average of three totals need not terminate.
                let average = Number::checked_sum(others.iter().copied())
                    .and_then(|s| s.checked_div(Number::from(others.len())))
                    .unwrap();
                if r.total != average {
                    return Err(format!(
                        "`{}` in {year}: the average of {others:?} is {average}, not {}",
                        r.unit, r.total
                    ));
                }
            } else if !annual.pooled && !g.annually {
                let periods: Vec<&UnitResult> = ev
                    .results
                    .iter()
                    .filter(|p| {
                        p.unit == r.unit && !p.annual && p.period.year().to_string() == year
                    })
                    .collect();
                let sum: Q = periods
                    .iter()
                    .map(|p| p.total.dec() - q(spec.base))
                    .sum::<Q>()
                    + q(spec.base);
                if r.total != sum {
                    return Err(format!(
                        "`{}` in {year}: the sum of the periods is {sum}, the total {}",
                        r.unit, r.total
                    ));
                }
                for item in r.items.iter().filter(|i| i.kind != ItemKind::Base) {
                    let same: Q = periods
                        .iter()
                        .flat_map(|p| &p.items)
                        .filter(|i| {
                            i.kind == item.kind
                                && i.rule == item.rule
                                && i.category == item.category
                        })
                        .map(|i| i.amount.dec())
                        .sum();
                    if same != item.amount {
                        return Err(format!(
                            "`{}` in {year}: {:?} `{:?}` is {}, the periods give {same}",
                            r.unit, item.kind, item.rule, item.amount
                        ));
                    }
                }
            }
            match (&annual.convert, r.converted) {
                (None, None) => {}
                (Some((weight, rounding)), Some(converted)) => {
                    let exact = r
                        .total
                        .checked_mul(Number::from(dec(weight)))
                        .and_then(|v| v.checked_div(Number::from(d(100))))
                        .unwrap();
                    match rounding {
                        None if converted != exact => {
                            return Err(format!(
                                "`{}` in {year}: converted {converted}, expected {exact}",
                                r.unit
                            ))
                        }
                        Some((places, _)) => {
                            let unit = Decimal::new(1, *places);
                            let error = converted.checked_sub(exact).unwrap().abs();
                            if converted.to_decimal().map(|x| x.scale()) != Some(*places)
                                || error >= Number::from(unit)
                            {
                                return Err(format!(
                                    "`{}` in {year}: converted {converted} is not {exact} to {places} places",
                                    r.unit
                                ));
                            }
                        }
                        None => {}
                    }
                }
                _ => {
                    return Err(format!(
                        "`{}` in {year}: conversion present or missing",
                        r.unit
                    ))
                }
            }
        }
    }
    Ok(())
}

/// Checks an item's limits: raw → … → applied.
fn chain(item: &LineItem) -> Result<(), String> {
    let mut at = item.raw;
    if item.kind == ItemKind::Cap || item.kind == ItemKind::Floor {
        // A cap or floor item holds the change a limit makes.
        let [limit] = item.limits.as_slice() else {
            return Err(format!(
                "{:?} `{:?}` has {} limits",
                item.kind,
                item.rule,
                item.limits.len()
            ));
        };
        if limit.raw.dec() != item.raw.dec()
            || limit.applied.dec() - limit.raw.dec() != item.amount.dec()
        {
            return Err(format!(
                "{:?} `{:?}` does not take raw to applied: {item:?}",
                item.kind, item.rule
            ));
        }
        return Ok(());
    }
    for limit in &item.limits {
        if limit.raw != at {
            return Err(format!(
                "`{:?}`: limit `{}` starts from {}, not {at}",
                item.rule, limit.limit, limit.raw
            ));
        }
        at = limit.applied;
    }
    if at != item.amount {
        return Err(format!(
            "`{:?}`: the limits end at {at}, the amount is {}",
            item.rule, item.amount
        ));
    }
    Ok(())
}

/// A unit's value on a ranking key: a number, or absent (ranks last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyValue {
    Directed(Option<Number>, bool),
    Position(usize),
}

fn compare(a: KeyValue, b: KeyValue) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (KeyValue::Position(x), KeyValue::Position(y)) => x.cmp(&y),
        (KeyValue::Directed(x, desc), KeyValue::Directed(y, _)) => match (x, y) {
            (None, None) => Equal,
            (None, Some(_)) => Greater,
            (Some(_), None) => Less,
            (Some(x), Some(y)) if desc => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
        },
        _ => Equal,
    }
}

fn check_ranks(spec: &Spec, facts: &FactsSpec, ev: &Evaluation) -> Result<(), String> {
    let mut first_rank: BTreeMap<(String, String), (u32, String)> = BTreeMap::new();
    let mut partitions: BTreeSet<(String, String, Option<String>)> = BTreeSet::new();
    let mut ranked: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for rr in &ev.rankings {
        let Some(decl) = spec.rankings.iter().find(|r| r.name == rr.ranking) else {
            return Err(format!("unknown ranking `{}`", rr.ranking));
        };
        let label = rr.period.to_string();
        let at = |what: String| format!("ranking `{}` of {label}: {what}", rr.ranking);
        let group = &spec.groups[decl.group].name;
        // With `within attr`, the units whose attribute has this ranking's value.
        let partition = |unit: &str| {
            decl.within.as_ref().map(|attr| {
                facts
                    .attribute(unit, attr)
                    .map_or_else(|| "(absent)".to_owned(), |v| v.to_string())
            })
        };
        let members: BTreeMap<&str, &UnitResult> = ev
            .results
            .iter()
            .filter(|r| r.period == rr.period && &r.group == group && r.annual == decl.per_year)
            .filter(|r| partition(&r.unit) == rr.within)
            .filter(|r| admitted(decl, facts, &r.unit))
            .map(|r| (r.unit.as_str(), r))
            .collect();
        if !partitions.insert((rr.ranking.clone(), label.clone(), rr.within.clone())) {
            return Err(at(format!("partition {:?} ranked twice", rr.within)));
        }
        let listed: BTreeSet<&str> = rr.entries.iter().map(|e| e.unit.as_str()).collect();
        if listed.len() != rr.entries.len() || listed != members.keys().copied().collect() {
            return Err(at(format!(
                "ranks {listed:?}, the group's units are {:?}",
                members.keys()
            )));
        }
        let discretion: Option<&Vec<String>> = facts
            .discretion
            .iter()
            .find(|(k, _)| {
                *k == if decl.per_year {
                    rr.period.year().to_string()
                } else {
                    label.clone()
                }
            })
            .map(|(_, ids)| ids);
        let keys = |unit: &str, total: Number| -> Vec<(String, KeyValue)> {
            decl.keys
                .iter()
                .map(|(key, dir)| {
                    let desc = *dir != Dir::Asc;
                    let value = match key.as_str() {
                        "total" => KeyValue::Directed(Some(total), desc),
                        "discretion" => KeyValue::Position(
                            discretion
                                .and_then(|ids| ids.iter().position(|id| id == unit))
                                .unwrap_or(usize::MAX),
                        ),
                        attr => KeyValue::Directed(
                            facts.attribute(unit, attr).map(|v| Number::from(d(v))),
                            desc,
                        ),
                    };
                    (key.clone(), value)
                })
                .collect()
        };
        let deciding = |a: &[(String, KeyValue)],
                        b: &[(String, KeyValue)]|
         -> Option<(String, std::cmp::Ordering)> {
            a.iter()
                .zip(b)
                .map(|((k, x), (_, y))| (k.clone(), compare(*x, *y)))
                .find(|(_, o)| o.is_ne())
        };
        let values: Vec<Vec<(String, KeyValue)>> = rr
            .entries
            .iter()
            .map(|e| keys(&e.unit, members[e.unit.as_str()].total))
            .collect();
        for (i, e) in rr.entries.iter().enumerate() {
            if e.total != members[e.unit.as_str()].total {
                return Err(at(format!(
                    "`{}` is ranked with total {}, its result says {}",
                    e.unit,
                    e.total,
                    members[e.unit.as_str()].total
                )));
            }
            let expected_above = i.checked_sub(1).map(|j| {
                deciding(&values[i], &values[j]).map_or_else(|| "tie".to_owned(), |(k, _)| k)
            });
            let expected_below = values.get(i + 1).map(|next| {
                deciding(&values[i], next).map_or_else(|| "tie".to_owned(), |(k, _)| k)
            });
            if e.versus_above != expected_above || e.versus_below != expected_below {
                return Err(at(format!(
                    "`{}`: versus {:?}/{:?}, expected {expected_above:?}/{expected_below:?}",
                    e.unit, e.versus_above, e.versus_below
                )));
            }
            if i == 0 {
                if e.rank != 1 {
                    return Err(at("the first rank is not 1".into()));
                }
            } else {
                let prev = &rr.entries[i - 1];
                match deciding(&values[i - 1], &values[i]) {
                    None => {
                        if e.rank != prev.rank || prev.unit >= e.unit {
                            return Err(at(format!("`{}` and `{}` are equal on every key but ranked {} and {} (tied units share a rank, by id)", prev.unit, e.unit, prev.rank, e.rank)));
                        }
                    }
                    Some((key, std::cmp::Ordering::Less)) => {
                        if usize::try_from(e.rank).unwrap() != i + 1 {
                            return Err(at(format!(
                                "`{}` is ranked {} after {} units (competition ranking: {})",
                                e.unit,
                                e.rank,
                                i,
                                i + 1
                            )));
                        }
                        let _ = key;
                    }
                    Some((key, _)) => {
                        return Err(at(format!(
                            "`{}` is ranked above `{}` but is behind it on `{key}`",
                            prev.unit, e.unit
                        )));
                    }
                }
            }
        }
        // Any two units: same rank exactly when equal on every key.
        for (i, a) in rr.entries.iter().enumerate() {
            for (j, b) in rr.entries.iter().enumerate().skip(i + 1) {
                let equal = deciding(&values[i], &values[j]).is_none();
                if equal != (a.rank == b.rank) {
                    return Err(at(format!(
                        "`{}` ({}) and `{}` ({}): equal on every key is {equal}",
                        a.unit, a.rank, b.unit, b.rank
                    )));
                }
            }
        }
        let mut ties: Vec<Vec<String>> = Vec::new();
        for e in &rr.entries {
            if rr.entries.iter().filter(|x| x.rank == e.rank).count() < 2 {
                continue;
            }
            match ties.last_mut() {
                Some(t)
                    if rr
                        .entries
                        .iter()
                        .any(|x| x.rank == e.rank && t.iter().any(|u| *u == x.unit)) =>
                {
                    t.push(e.unit.to_string())
                }
                _ => ties.push(vec![e.unit.to_string()]),
            }
        }
        if ties != rr.unresolved_ties {
            return Err(at(format!(
                "unresolved ties {:?}, expected {ties:?}",
                rr.unresolved_ties
            )));
        }
        ranked
            .entry((rr.ranking.clone(), label.clone()))
            .or_default()
            .extend(rr.entries.iter().map(|e| e.unit.to_string()));
        for e in &rr.entries {
            first_rank
                .entry((e.unit.to_string(), label.clone()))
                .or_insert((e.rank, rr.ranking.clone()));
        }
    }
    // Every unit of a ranking's group is ranked in every evaluated period (or year).
    for decl in &spec.rankings {
        for period in &ev.periods {
            let label = period.to_string();
            let group: BTreeSet<String> = ev
                .results
                .iter()
                .filter(|r| r.period == *period && r.annual == decl.per_year)
                .filter(|r| r.group == spec.groups[decl.group].name)
                .filter(|r| admitted(decl, facts, &r.unit))
                .map(|r| r.unit.to_string())
                .collect();
            let found = ranked
                .remove(&(decl.name.clone(), label.clone()))
                .unwrap_or_default();
            if found != group {
                return Err(format!(
                    "ranking `{}` of {label} ranks {found:?}, the group's units are {group:?}",
                    decl.name
                ));
            }
        }
    }
    check_first_rank(ev, &first_rank)
}

/// Whether a ranking's `only when attr >= n` admits the unit (an absent
/// attribute fails the comparison).
fn admitted(decl: &common::spec::Ranking, facts: &FactsSpec, unit: &str) -> bool {
    decl.only
        .as_ref()
        .is_none_or(|(attr, n)| facts.attribute(unit, attr).is_some_and(|v| v >= *n))
}

fn check_first_rank(
    ev: &Evaluation,
    first_rank: &BTreeMap<(String, String), (u32, String)>,
) -> Result<(), String> {
    for r in &ev.results {
        let expected = first_rank.get(&(r.unit.to_string(), r.period.to_string()));
        let found = r.rank.zip(r.ranking.as_ref().map(ToString::to_string));
        if found.as_ref() != expected {
            return Err(format!(
                "`{}` in {}: rank {found:?}, its first ranking gives {expected:?}",
                r.unit, r.period
            ));
        }
    }
    Ok(())
}

/// Results are exact numbers, and need not terminate (a measure
/// `sum(k, 2) / 3` as a `times` factor): the checks add and compare them
/// exactly, as [`Q`], never through a cut decimal.
trait Exact {
    fn dec(&self) -> Q;
}

impl Exact for Number {
    fn dec(&self) -> Q {
        Q(*self)
    }
}

/// An exact value with the operators the checks use (a test may panic on
/// overflow; the library's `Number` offers only checked operations).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Q(Number);

impl Q {
    const ZERO: Q = Q(Number::ZERO);

    fn abs(self) -> Q {
        Q(self.0.abs())
    }

    fn max(self, other: Q) -> Q {
        Q(self.0.max(other.0))
    }
}

/// The whole number `n` as a [`Q`].
fn q(n: i64) -> Q {
    Q(Number::from(n))
}

impl std::fmt::Display for Q {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::ops::Add for Q {
    type Output = Q;
    fn add(self, other: Q) -> Q {
        Q(self.0.checked_add(other.0).expect("a sum in range"))
    }
}

impl std::ops::Sub for Q {
    type Output = Q;
    fn sub(self, other: Q) -> Q {
        Q(self.0.checked_sub(other.0).expect("a difference in range"))
    }
}

impl std::ops::Mul for Q {
    type Output = Q;
    fn mul(self, other: Q) -> Q {
        Q(self.0.checked_mul(other.0).expect("a product in range"))
    }
}

impl std::ops::AddAssign for Q {
    fn add_assign(&mut self, other: Q) {
        *self = *self + other;
    }
}

impl std::ops::SubAssign for Q {
    fn sub_assign(&mut self, other: Q) {
        *self = *self - other;
    }
}

impl std::iter::Sum for Q {
    fn sum<I: Iterator<Item = Q>>(iter: I) -> Q {
        iter.fold(Q::ZERO, |a, b| a + b)
    }
}

impl PartialEq<Number> for Q {
    fn eq(&self, other: &Number) -> bool {
        self.0 == *other
    }
}

impl PartialEq<Q> for Number {
    fn eq(&self, other: &Q) -> bool {
        *self == other.0
    }
}

// ------------------------------------------- exact quotients and rank bands

/// A ruleset whose only rule gives `value / divisor` per record (issue 12 §1).
fn division_ruleset(base: u32, divisor: u32) -> Ruleset {
    let text = format!(
        "ruleset div_2026 {{\n  title \"t\"\n  issuer \"i\"\n  source \"s\"\n  effective 2026-01-01 to 2026-12-31\n}}\n\
         group lead \"l\" [X] {{\n}}\n\
         record task \"t\" {{\n  value: integer \"v\"\n}}\n\
         period month [X] {{\n  amendable [X]\n}}\n\
         score [X] {{\n  base {base} [X]\n  category w \"w\" [X] {{\n    bonus b \"b\" [X] {{\n      per task\n      amount value / {divisor}\n    }}\n  }}\n}}\n\
         ranking monthly \"m\" of lead [X] {{\n  by total desc [X]\n  ties shared [X]\n}}\n"
    );
    Ruleset::from_source(SourceFile::new("div.rules", text)).unwrap()
}

/// For random rulesets with division, units whose scores are mathematically
/// equal share a rank, and units whose scores differ do not: the quotients
/// (thirds, sevenths, …) are exact, so no rounding creates or breaks a tie;
/// and each total is exactly base + Σ values / divisor.
#[test]
fn units_with_mathematically_equal_scores_share_a_rank() {
    let units = prop::collection::vec(prop::collection::vec(0u32..7, 0..5), 2..7);
    check(
        "exact_ties",
        cases(64),
        (
            units,
            prop::sample::select(vec![3u32, 6, 7, 9, 11]),
            0u32..2,
        ),
        |(units, divisor, base)| {
            let base = base * 100;
            let ruleset = division_ruleset(base, divisor);
            let mut records = Vec::new();
            for (u, values) in units.iter().enumerate() {
                for v in values {
                    records.push(serde_json::json!({
                        "unit": format!("u{u}"), "period": "2026-03", "kind": "task",
                        "reported": "2026-03-20", "attributes": {"value": v}}));
                }
            }
            let facts = serde_json::json!({
                "as_of": "2026-04-30",
                "units": (0..units.len()).map(|u| serde_json::json!(
                    {"id": format!("u{u}"), "name": format!("单位{u}"), "group": "lead"})).collect::<Vec<_>>(),
                "records": records,
                "periods": ["2026-03"],
            });
            let facts = Facts::from_json(&ruleset, &facts.to_string()).unwrap();
            let ev = evaluate(&ruleset, &facts).unwrap();
            let sums: Vec<u32> = units.iter().map(|v| v.iter().sum()).collect();
            let rank_of = |u: usize| {
                ev.rankings[0]
                    .entries
                    .iter()
                    .find(|e| e.unit == format!("u{u}").as_str())
                    .map(|e| e.rank)
                    .unwrap()
            };
            for (u, sum) in sums.iter().enumerate() {
                let r = ev
                    .results
                    .iter()
                    .find(|r| r.unit == format!("u{u}").as_str())
                    .unwrap();
                let expected = kaohe::number::Number::fraction(
                    i128::from(base) * i128::from(divisor) + i128::from(*sum),
                    i128::from(divisor),
                )
                .unwrap();
                prop_assert_eq!(r.total, expected, "u{} total", u);
                for (v, other) in sums.iter().enumerate() {
                    prop_assert_eq!(
                        rank_of(u) == rank_of(v),
                        sum == other,
                        "u{} ({}) and u{} ({}) over {}",
                        u,
                        sum,
                        v,
                        other,
                        divisor
                    );
                }
            }
            Ok(())
        },
    );
}

/// For random rankings (n units, a published competition rank and the size
/// of its tie group), a unit ranked 1st is never bottom N when n > N, in the
/// default reading (SD-A7 revised); bottom N is exactly rank ≥ n − N + 1 and
/// top N exactly rank ≤ N; a rank outside 1..n is in neither; and
/// `ties straddling` only ever adds units to the bottom band.
#[test]
fn a_unit_ranked_first_is_never_bottom_n_when_more_than_n_are_ranked() {
    use kaohe::eval::in_rank_band;
    use kaohe::syntax::ast::{RankSide, TieBand};
    check(
        "rank_bands",
        cases(256),
        (1u32..40, 1u32..6, 0u32..42, 1u32..40),
        |(ranked, places, rank, tied)| {
            let bottom = in_rank_band(
                RankSide::Bottom,
                places,
                rank,
                tied,
                ranked,
                TieBand::PublishedRank,
            );
            let top = in_rank_band(
                RankSide::Top,
                places,
                rank,
                tied,
                ranked,
                TieBand::PublishedRank,
            );
            let straddling = in_rank_band(
                RankSide::Bottom,
                places,
                rank,
                tied,
                ranked,
                TieBand::Straddling,
            );
            if rank == 1 && ranked > places {
                prop_assert!(!bottom);
            }
            let valid = rank >= 1 && rank <= ranked;
            prop_assert_eq!(bottom, valid && rank + places > ranked);
            prop_assert_eq!(top, valid && rank <= places);
            prop_assert!(!bottom || straddling);
            Ok(())
        },
    );
}

// ------------------------------------------------------------------------
// One rule version per period (issue 12 §3; the checker's
// `kaohe::effective_splits_period`).

/// Two versions of a rule that change on a random day: the checker refuses
/// the ruleset exactly when that day is not the first day of a period (of the
/// ruleset's kind; and of a year when the year is scored `from pooled
/// records`), and when it accepts, every period is scored by at most one
/// version of the rule.
#[test]
fn every_period_is_scored_by_at_most_one_version_of_each_rule() {
    check(
        "one_version",
        64,
        (stream(400), stream(600), stream(8)),
        |(rules, fact_choices, extra)| {
            let mut c = extra.choices();
            let mut spec = Spec::generate(&mut rules.choices(), false);
            let days = spec.to.0 - spec.from.0;
            prop_assume!(days >= 1);
            // The second version starts on `split`, between the ruleset's
            // second day and its last; half the time on a period's first day.
            let split = if c.chance(50) {
                let starts: Vec<Day> = common::spec::periods_between(spec.unit, spec.from, spec.to)
                    .iter()
                    .map(|p| p.start())
                    .filter(|d| *d > spec.from)
                    .collect();
                if starts.is_empty() {
                    spec.from.add(1 + c.below(days as usize) as i64)
                } else {
                    *c.pick(&starts)
                }
            } else {
                spec.from.add(1 + c.below(days as usize) as i64)
            };
            let pooled = spec.annual.as_ref().is_some_and(|a| a.pooled);
            // Under `from pooled records` also on a year's first day (for
            // weeks: the first Monday of an ISO week-year).
            let at = Per::containing(spec.unit, split);
            let aligned = at.start() == split && (!pooled || at.first_of_year());
            let version = |label: &str, from: Day, to: Day| common::spec::Rule {
                kind: RuleKind::Deduct,
                name: "rv".to_owned(),
                label: label.to_owned(),
                cite: "[T-9]".to_owned(),
                per: Some((0, None)),
                when: Vec::new(),
                amount: common::spec::Amount::Expr("1".to_owned()),
                times: Vec::new(),
                once_per: None,
                caps: Vec::new(),
                effective: Some((from, to)),
            };
            let (from, to) = (spec.from, spec.to);
            let category = &mut spec.categories[0];
            category.rules.push(version("版本一", from, split.add(-1)));
            category.rules.push(version("版本二", split, to));
            let text = spec.render();
            let ruleset = match Ruleset::from_source(SourceFile::new(
                "generated.rules",
                text.clone(),
            )) {
                Ok(r) => r,
                Err(e) => {
                    let codes: BTreeSet<String> = e
                        .diagnostics
                        .iter()
                        .filter(|d| d.is_error())
                        .map(|d| d.code_str())
                        .collect();
                    prop_assert!(
                        !aligned,
                        "versions changing on {split}, a period's first day, are refused: {e}\n{text}"
                    );
                    prop_assert_eq!(
                        codes,
                        BTreeSet::from(["kaohe::effective_splits_period".to_owned()]),
                        "{}\n{}",
                        e,
                        text
                    );
                    return Ok(());
                }
            };
            prop_assert!(
                aligned,
                "versions changing on {split}, inside a period, are accepted:\n{text}"
            );
            let generated = FactsSpec::generate(&mut fact_choices.choices(), &spec, None);
            let json = generated.to_json(&spec);
            let (_, ev) = evaluate_ok(&ruleset, &text, &json)?;
            for result in &ev.results {
                if matches!(result.period, kaohe::Period::Year(_)) && !pooled {
                    // A year summed from its periods sums both versions' periods.
                    continue;
                }
                let labels: BTreeSet<&str> = result
                    .items
                    .iter()
                    .filter(|i| i.rule.as_deref() == Some("rv"))
                    .filter_map(|i| i.label.as_deref())
                    .collect();
                prop_assert!(
                    labels.len() <= 1,
                    "`{}` in {} is scored by two versions of `rv`: {:?}{}",
                    result.unit,
                    result.period,
                    labels,
                    context(&text, &json)
                );
            }
            Ok(())
        },
    );
}
