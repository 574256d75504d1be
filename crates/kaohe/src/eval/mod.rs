//! Evaluation: a ruleset and validated facts in; scores, rankings,
//! consequences and explanations out.
//!
//! The steps, in order: decide which records apply (seals, late facts,
//! amendments); score every unit in every evaluated period; rank each period and
//! derive its consequences (ranking history included); then the annual
//! assessment (pooled or summed, group averages, conversion), its rankings and
//! its consequences. Everything iterates in canonical order, so the output does
//! not depend on the order of the input.

mod consequence;
mod expr;
mod measure;
mod rank;
pub mod result;
mod score;
pub(crate) mod texts;

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{Facts, Record, Unit};
use crate::number::Number;
use crate::period::Period;
use crate::ruleset::Ruleset;
use crate::source::Span;
use crate::syntax::ast::{self as syntax_ast, AnnualSource, CapScope, LatePolicy};
use crate::text::Text;
use crate::value::Value;
use expr::Ctx;
use result::*;
use score::{clauses, Scored, YearUsage};

/// The name that makes `once per unit keep highest` keep the unit's best single
/// record (among the rule's occurrences of the period, or of the year when
/// records are pooled), rather than the best per value of a record attribute.
pub(crate) const ONCE_PER_UNIT: &str = "unit";

/// A failure while evaluating (division by zero, decimal overflow, an absent
/// value used in arithmetic). No partial result is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (unit `{unit}`, period {period}{})", record_suffix(record.as_deref()))]
pub struct EvalError {
    /// What went wrong.
    pub message: String,
    /// The unit being evaluated.
    pub unit: String,
    /// The period or year being evaluated.
    pub period: String,
    /// The ruleset expression at fault, if any.
    pub span: Option<Span>,
    /// `span` located in the ruleset file (file, line, column, end); set by
    /// [`Ruleset::evaluate_with`] whenever `span` is.
    pub location: Option<Box<crate::source::SourceRange>>,
    /// The record the error is about, when it is about one: its id and its
    /// place in the fact file (`$.records[4]`), as a fact error gives it.
    pub record: Option<Box<RecordAt>>,
    /// Further errors of the same evaluation, all reported at once
    /// (principle 3): every record's `decided` is checked before scoring;
    /// then scoring goes on after a failure with every record, rule, unit,
    /// period and year whose result does not depend on the failed one, and
    /// the errors are de-duplicated and put in a fixed order
    /// (docs/errors.md, "All evaluation errors at once"). `None` when there
    /// is one error. Boxed to keep the error small (it is the `Err` of every
    /// evaluation step); [`EvalError::all`] gives this error and these.
    #[allow(clippy::box_collection)]
    pub also: Option<Box<Vec<EvalError>>>,
}

impl EvalError {
    /// This error, then the further errors found in the same pass
    /// ([`EvalError::also`]).
    pub fn all(&self) -> impl Iterator<Item = &EvalError> {
        std::iter::once(self).chain(self.also.iter().flat_map(|more| more.iter()))
    }

    /// This error and its [`EvalError::also`] as one flat list (nested
    /// `also`s flattened too).
    pub(crate) fn into_all(mut self) -> Vec<EvalError> {
        let more = self.also.take().map(|more| *more).unwrap_or_default();
        let mut all = vec![self];
        all.extend(more.into_iter().flat_map(EvalError::into_all));
        all
    }

    /// One error carrying all of `errors` (the first, the rest in
    /// [`EvalError::also`]); `None` when there are none.
    pub(crate) fn joined(errors: Vec<EvalError>) -> Option<EvalError> {
        let mut errors = errors.into_iter().flat_map(EvalError::into_all);
        let mut first = errors.next()?;
        let more: Vec<EvalError> = errors.collect();
        first.also = (!more.is_empty()).then(|| Box::new(more));
        Some(first)
    }

    /// Calls `f` on the record of this error and of each of [`EvalError::also`]
    /// (a caller that read the facts from a ledger locates them there,
    /// [`RecordAt::in_ledger`]).
    pub fn each_record_mut(&mut self, mut f: impl FnMut(&mut RecordAt)) {
        if let Some(record) = self.record.as_deref_mut() {
            f(record);
        }
        for more in self.also.iter_mut().flat_map(|more| more.iter_mut()) {
            if let Some(record) = more.record.as_deref_mut() {
                f(record);
            }
        }
    }
}

/// The record an evaluation error is about (errors as data: JSON `"record":
/// {"kind", "id"?, "path"?}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordAt {
    /// Its kind.
    pub kind: String,
    /// Its `id`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its JSON path in the fact file it was read from, `$.records[4]`, when
    /// known (not for facts a store put together).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// For facts imported from a ledger: the sheet of the record's row
    /// (set by the caller that imported it, [`RecordAt::in_ledger`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// For facts imported from a ledger: the first cell of the record's
    /// row, `A5`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl RecordAt {
    /// Where `record` is, for an error about it.
    pub(crate) fn of(record: &Record) -> Box<RecordAt> {
        Box::new(RecordAt {
            kind: record.kind.to_string(),
            id: record.id.as_ref().map(ToString::to_string),
            path: record.source.path(),
            sheet: None,
            cell: None,
        })
    }

    /// The record was read from a ledger: it is at `sheet!cell` (its row),
    /// which replaces the JSON path of the fact file the import made.
    pub fn in_ledger(&mut self, sheet: &str, cell: &str) {
        self.sheet = Some(sheet.to_owned());
        self.cell = Some(cell.to_owned());
        self.path = None;
    }
}

/// `, record `XF-1` at $.records[4]` after the unit and period of an
/// error about a record (nothing otherwise).
fn record_suffix(record: Option<&RecordAt>) -> String {
    let Some(record) = record else {
        return String::new();
    };
    let place = match (&record.sheet, &record.cell) {
        (Some(sheet), Some(cell)) => Some(format!("{sheet}!{cell}")),
        _ => record.path.clone(),
    };
    match (&record.id, place) {
        (Some(id), Some(place)) => format!(", record `{id}` at {place}"),
        (None, Some(place)) => format!(", record at {place}"),
        (Some(id), None) => format!(", record `{id}`"),
        (None, None) => String::new(),
    }
}

/// The errors of one evaluation, each with the pass it was found in (the
/// index of its period or year in the order they are evaluated).
#[derive(Default)]
struct Failures {
    found: Vec<(usize, EvalError)>,
}

impl Failures {
    fn push(&mut self, pass: usize, error: EvalError) {
        self.found
            .extend(error.into_all().into_iter().map(|e| (pass, e)));
    }

    fn extend(&mut self, pass: usize, errors: Vec<EvalError>) {
        for error in errors {
            self.push(pass, error);
        }
    }

    /// Every error, in a fixed order (pass, unit, place in the ruleset,
    /// record, message: never the order of the input) and each failure once:
    /// an error with the same message, expression, unit and record as an
    /// earlier one (the same record failing in its period and again in the
    /// year's pooled records, the same unit failing at the same expression
    /// in several periods) is left out. `Ok` when there are none.
    fn finish(self) -> Result<(), EvalError> {
        let mut found = self.found;
        found.sort_by(|(pass_a, a), (pass_b, b)| {
            let key = |pass: &usize, e: &EvalError| {
                let record = e
                    .record
                    .as_deref()
                    .map(|r| (r.kind.clone(), r.id.clone(), r.path.clone()));
                (*pass, e.unit.clone(), e.span, record, e.message.clone())
            };
            key(pass_a, a).cmp(&key(pass_b, b))
        });
        let mut seen = BTreeSet::new();
        let mut kept = Vec::new();
        for (_, error) in found {
            let record = error
                .record
                .as_deref()
                .map(|r| (r.kind.clone(), r.id.clone(), r.path.clone()));
            let key = (
                error.message.clone(),
                error.span,
                error.unit.clone(),
                record,
            );
            if seen.insert(key) {
                kept.push(error);
            }
        }
        EvalError::joined(kept).map_or(Ok(()), Err)
    }
}

/// Whether a unit is in the top or bottom `places` of a ranking of `ranked`
/// units, given its published (competition) rank and how many units share
/// that rank: what `ranked top|bottom N … [ties straddling]` tests in each
/// period (SD-A7, revised; docs/language.md §17). Top N: `rank ≤ N`; bottom N:
/// `rank ≥ ranked − N + 1`; with [`TieBand::Straddling`](crate::syntax::ast::TieBand::Straddling) a tie group is bottom N
/// as soon as any place it occupies is. A rank outside `1..=ranked` is never
/// inside.
///
/// ```
/// use kaohe::eval::in_rank_band;
/// use kaohe::syntax::ast::{RankSide, TieBand};
/// // 15 of 17 units tied at rank 1: not bottom 3; ranks 16 and 17 are.
/// assert!(!in_rank_band(RankSide::Bottom, 3, 1, 15, 17, TieBand::PublishedRank));
/// assert!(in_rank_band(RankSide::Bottom, 3, 16, 1, 17, TieBand::PublishedRank));
/// assert!(in_rank_band(RankSide::Bottom, 3, 1, 15, 17, TieBand::Straddling));
/// ```
pub fn in_rank_band(
    side: crate::syntax::ast::RankSide,
    places: u32,
    rank: u32,
    tied: u32,
    ranked: u32,
    ties: crate::syntax::ast::TieBand,
) -> bool {
    expr::in_band(
        side,
        places,
        Place {
            rank,
            tied,
            ranked,
            total: None,
        },
        ties,
    )
}

/// A unit's place in a ranking, for ranking-history conditions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub rank: u32,
    /// How many units share this rank (1 when untied).
    pub tied: u32,
    /// How many units were ranked.
    pub ranked: u32,
    /// The unit's total in that period (for `total` / `previous_total` in
    /// consequence conditions, issue 13 §13).
    pub total: Option<Number>,
}

/// The applied records and the rankings so far. Records are borrowed (from
/// the facts, or the copies of carried records); units are known by their
/// index in `Facts::units`, so lookups compare integers and allocate nothing.
pub(crate) struct History<'a> {
    /// Sorted by period, unit and kind.
    records: Vec<&'a Record>,
    /// (unit's index, period) → where its records are in `records`.
    by_unit_period: BTreeMap<(usize, Period), (usize, usize)>,
    /// (ranking's index among the ruleset's rankings, period, unit's index) → place.
    places: BTreeMap<(usize, Period, usize), Place>,
    /// The periods and years that were not ranked because something in them
    /// failed: their places are unknown, not absent. Reading one taints the
    /// reader's [`Taint`].
    unranked: BTreeSet<Period>,
}

/// Set when something of an earlier failure is read while one unit is
/// evaluated (a place of a period left unranked, [`History::unranked`]; what
/// a broken unit-year's caps used): what was computed from it may be a
/// consequence of that failure, so an error found there is not reported
/// (the failure itself is). One per unit's task, never shared between
/// threads (issue 15 §4), so the evaluation of one unit cannot taint another's.
#[derive(Default)]
pub(crate) struct Taint(std::cell::Cell<bool>);

impl Taint {
    /// Marks the taint.
    pub(crate) fn mark(&self) {
        self.0.set(true);
    }

    /// Whether it was marked.
    pub(crate) fn is_set(&self) -> bool {
        self.0.get()
    }
}

impl<'a> History<'a> {
    fn new(facts: &'a Facts, mut records: Vec<&'a Record>) -> History<'a> {
        let order = |a: &&Record, b: &&Record| {
            (a.period, &a.unit, &a.kind).cmp(&(b.period, &b.unit, &b.kind))
        };
        // `apply_policy` keeps the facts' canonical order but for records
        // carried into another period; a unit-period's records must be one
        // run, sorted by kind (rules find their kind by binary search).
        if !records.is_sorted_by(|a, b| order(a, b).is_le()) {
            records.sort_by(order);
        }
        let mut by_unit_period = BTreeMap::new();
        let mut start = 0;
        // Within a period the runs come in unit-id order, as `facts.units`
        // do: a cursor walks the units instead of searching each run's unit
        // id by string (a binary search where the cursor finds nothing).
        let mut cursor = 0;
        let mut cursor_period = None;
        while let Some(first) = records.get(start) {
            let length = records.get(start..).map_or(1, |rest| {
                rest.iter()
                    .take_while(|r| r.period == first.period && r.unit == first.unit)
                    .count()
            });
            let end = start + length.max(1);
            if cursor_period != Some(first.period) {
                cursor_period = Some(first.period);
                cursor = 0;
            }
            while facts.units.get(cursor).is_some_and(|u| u.id < first.unit) {
                cursor += 1;
            }
            let unit = match facts.units.get(cursor) {
                Some(u) if u.id == first.unit => Some(cursor),
                _ => facts.unit_index(&first.unit),
            };
            if let Some(unit) = unit {
                by_unit_period.insert((unit, first.period), (start, end));
            }
            start = end;
        }
        History {
            records,
            by_unit_period,
            places: BTreeMap::new(),
            unranked: BTreeSet::new(),
        }
    }

    fn records_of(&self, unit: usize, period: Period) -> &[&'a Record] {
        self.by_unit_period
            .get(&(unit, period))
            .and_then(|&(start, end)| self.records.get(start..end))
            .unwrap_or(&[])
    }

    fn records_of_year(&self, unit: usize, year: i32) -> Vec<&'a Record> {
        let first = Period::Month { year, month: 1 }.min(Period::Quarter { year, quarter: 1 });
        let mut records = self
            .by_unit_period
            .range((unit, first)..)
            .take_while(|((u, _), _)| *u == unit)
            .filter(|((_, p), _)| p.year() == year)
            .flat_map(|(_, &(start, end))| self.records.get(start..end).unwrap_or(&[]))
            .copied()
            .collect::<Vec<_>>();
        // Rules find their records by kind (`UnitRecords`); the sort is stable.
        records.sort_by(|a, b| a.kind.cmp(&b.kind));
        records
    }

    /// The record of `unit` of the same kind with the same key value, one period earlier.
    pub(crate) fn previous_record(
        &self,
        unit: usize,
        record: &Record,
        key: &str,
        value: &crate::value::Value,
    ) -> Option<&'a Record> {
        self.records_of(unit, record.period.previous())
            .iter()
            .copied()
            .find(|r| r.kind == record.kind && r.attributes.get(key) == Some(value))
    }

    /// The place of `unit` in a ranking in `period`; a read of a period left
    /// unranked marks `taint`.
    pub(crate) fn place(
        &self,
        ranking: usize,
        period: Period,
        unit: usize,
        taint: &Taint,
    ) -> Option<Place> {
        if !self.unranked.is_empty() && self.unranked.contains(&period) {
            taint.mark();
        }
        self.places.get(&(ranking, period, unit)).copied()
    }

    /// Whether any ranking placed any unit in `period`.
    pub(crate) fn ranked_in(&self, period: Period) -> bool {
        self.places.keys().any(|(_, p, _)| *p == period)
    }
}

/// The members of one ranking partition (`within`): units with their
/// totals, and beside them each unit's index in `Facts::units`.
type Partition<'u> = (Vec<(&'u Unit, Number)>, Vec<usize>);

/// A unit's applied records in one period or year, sorted by kind, with the
/// run of each of the ruleset's record kinds: a rule finds its records by the
/// kind's index instead of comparing names.
pub(crate) struct UnitRecords<'a> {
    records: Vec<&'a Record>,
    /// Per kind (an index into `Ruleset::kinds`): start and end in `records`.
    runs: Vec<(usize, usize)>,
}

impl<'a> UnitRecords<'a> {
    /// `records` must be sorted by kind.
    fn new(ruleset: &Ruleset, records: Vec<&'a Record>) -> Self {
        let mut runs = vec![(0, 0); ruleset.kinds().len()];
        let mut start = 0;
        while let Some(first) = records.get(start) {
            let length = records.get(start..).map_or(1, |rest| {
                rest.iter().take_while(|r| r.kind == first.kind).count()
            });
            let end = start + length.max(1);
            if let Some(run) = ruleset
                .kind_index(&first.kind)
                .and_then(|i| runs.get_mut(i))
            {
                *run = (start, end);
            }
            start = end;
        }
        UnitRecords { records, runs }
    }

    /// The records of the kind with this index (none for `None`).
    pub(crate) fn of_kind(&self, kind: Option<usize>) -> &[&'a Record] {
        kind.and_then(|k| self.runs.get(k))
            .and_then(|&(start, end)| self.records.get(start..end))
            .unwrap_or(&[])
    }
}

impl Ruleset {
    /// Evaluates validated facts: every period they cover, then the annual assessment.
    ///
    /// Fails without a partial result if an expression cannot be evaluated.
    pub fn evaluate(&self, facts: &Facts) -> Result<Evaluation, EvalError> {
        self.evaluate_with(facts, &EvalOptions::default())
    }

    /// Evaluates with options (e.g. without per-record explanations, for bulk runs).
    pub fn evaluate_with(
        &self,
        facts: &Facts,
        options: &EvalOptions,
    ) -> Result<Evaluation, EvalError> {
        self.evaluate_with_inputs(facts, options, &crate::input::Inputs::none())
    }

    /// Evaluates with the results of sub-assessments the ruleset declares as
    /// `input`s (issue 13 §11), checked by [`crate::input::Inputs::from_json`].
    /// Their provenance is reported in [`Evaluation::inputs`]; a unit or period
    /// an input does not cover, where an expression reads it, is an
    /// evaluation error at that expression.
    pub fn evaluate_with_inputs(
        &self,
        facts: &Facts,
        options: &EvalOptions,
        inputs: &crate::input::Inputs,
    ) -> Result<Evaluation, EvalError> {
        // With more than one thread, the whole evaluation runs on the pool
        // (its maps then start at once on the thread running it).
        let pool = options.threads.pool();
        let evaluation = pool.run(|| {
            let carried = carry(self, facts);
            let mut evaluator = Evaluator::new(self, facts, &carried, inputs, &pool);
            evaluator.detail = options.detail;
            evaluator.facts_hash = options.facts_hash;
            evaluator.run()
        });
        evaluation.map_err(|mut error| {
            error.location = error.span.map(|span| Box::new(self.source().range(span)));
            for also in error.also.iter_mut().flat_map(|more| more.iter_mut()) {
                also.location = also.span.map(|span| Box::new(self.source().range(span)));
            }
            error
        })
    }

    /// The period whose result `record` bears on: its own `period`, or —
    /// for a record reported after its period's seal under `late carried`,
    /// when the period it arrived in is in force — the period it arrived in
    /// (`docs/language.md`, `period`). A late record under `late rejected`
    /// bears on its own period (where it is listed as rejected).
    ///
    /// `kaohe-store` uses it to tell which records a sealed period holds
    /// (issue 17 §2, `docs/seals.md`).
    pub fn bearing_period(&self, record: &Record) -> Period {
        let decl = self.period();
        if let (Some((days, _)), Some((LatePolicy::Carried, _, _))) = (
            decl.and_then(|d| d.seal.as_ref()),
            decl.and_then(|d| d.late.as_ref()),
        ) {
            if record.reported > record.period.seal_date(days.value) {
                let (arrived, in_force) = arrival(self, record);
                if in_force {
                    return arrived;
                }
            }
        }
        record.period
    }
}

/// How an evaluation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EvalOptions {
    /// How much of the explanation to keep.
    pub detail: Detail,
    /// Whether the evaluation carries the facts' hash
    /// ([`result::FactsInfo::hash`]); computing it serialises every record.
    pub facts_hash: FactsHash,
    /// How many threads the evaluation may use (issue 15 §4): one (the
    /// default) runs on the calling thread; more score units in parallel.
    /// The result is byte-identical whatever the number.
    pub threads: crate::Threads,
}

/// Whether an evaluation carries the facts' hash (issue 15 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FactsHash {
    /// `facts.hash` is [`Facts::hash`] (the default; the JSON output and the
    /// bulletins print it).
    #[default]
    Include,
    /// `facts.hash` is empty: for outputs that never print it (ranking
    /// tables, CSV), which then skip hashing the facts.
    Omit,
}

/// How much explanation each line item carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Every line item with the records it counted (the default).
    #[default]
    Full,
    /// Line items without their record lists: totals, amounts, limits and
    /// clauses are the same, the output is much smaller and faster to build.
    Items,
    /// No line items at all: totals, converted scores, category subtotals,
    /// ranks, rankings and notices are the same as with `Full`, and each
    /// period's line items are dropped as soon as the period is ranked. The
    /// smallest result, for tables of a whole province; `items` is empty, so
    /// nothing explains the scores (evaluate with `Items` or `Full` for that).
    Totals,
}

/// Each unit's score in each period, kept when the year sums its periods:
/// (unit id, period) → score.
type PeriodScores = BTreeMap<(Text, Period), Scored>;

/// What scoring one unit in one period or year gave.
enum UnitOutcome {
    /// Its scoring failed: the error, or `None` when the failure may be a
    /// consequence of an earlier one (it was tainted), which is reported.
    Failed(Option<EvalError>),
    /// Its score: its result (none for a unit assessed only annually, in a
    /// period) and the score kept for the year's sum (when the year sums its
    /// periods). Boxed, to keep the outcome of a failed unit small.
    Scored {
        result: Option<Box<UnitResult>>,
        kept: Option<Box<Scored>>,
    },
}

struct Evaluator<'a> {
    ruleset: &'a Ruleset,
    facts: &'a Facts,
    history: History<'a>,
    rejected: Vec<RejectedRecord>,
    detail: Detail,
    /// The measures of the period or year being evaluated (issue 13 §4).
    measures: measure::Measures,
    facts_hash: FactsHash,
    /// The sub-assessments' results (issue 13 §11).
    inputs: &'a crate::input::Inputs,
    /// The threads units are scored on ([`EvalOptions::threads`]).
    pool: &'a crate::threads::Pool,
}

impl<'a> Evaluator<'a> {
    fn new(
        ruleset: &'a Ruleset,
        facts: &'a Facts,
        carried: &'a [(usize, Record)],
        inputs: &'a crate::input::Inputs,
        pool: &'a crate::threads::Pool,
    ) -> Self {
        let (applied, rejected) = apply_policy(ruleset, facts, carried);
        Evaluator {
            ruleset,
            facts,
            history: History::new(facts, applied),
            rejected,
            detail: Detail::Full,
            measures: measure::Measures::default(),
            facts_hash: FactsHash::Include,
            inputs,
            pool,
        }
    }

    /// Every record's `decided` (issue 13 §6) against the discretionary
    /// rules of its unit's OWN score block, before anything is scored: a
    /// `decided` on a record no rule of that block leaves to the office's
    /// discretion would be ignored, and one outside the range of every such
    /// rule of the block is wrong, whatever other blocks allow (the fact file
    /// checks only against all blocks together). Independent of the order of
    /// evaluation, so every such record is reported at once (the first error,
    /// the rest in [`EvalError::also`]).
    fn check_decisions(&self) -> Result<(), EvalError> {
        let decided: Vec<(&Record, rust_decimal::Decimal)> = self
            .facts
            .records
            .iter()
            .filter_map(|r| r.decided.map(|d| (r, d)))
            .collect();
        if decided.is_empty() {
            return Ok(());
        }
        let groups: BTreeMap<&str, &str> = self
            .facts
            .units
            .iter()
            .map(|u| (u.id.as_str(), u.group.as_str()))
            .collect();
        let mut errors = Vec::new();
        for (record, value) in decided {
            let Some(group) = groups.get(record.unit.as_str()).copied() else {
                continue;
            };
            let Some(block) = self.ruleset.scores().find(|b| b.scores(group)) else {
                continue;
            };
            let name = if block.groups.is_empty() {
                "`score`".to_owned()
            } else {
                let names: Vec<&str> = block.groups.iter().map(|g| g.name.as_str()).collect();
                format!("`score of {}`", names.join(", "))
            };
            let rules: Vec<_> = block
                .categories
                .iter()
                .flat_map(|c| c.rules.iter())
                .filter(|r| {
                    r.per
                        .as_ref()
                        .is_some_and(|p| p.kind.name == record.kind.as_str())
                })
                .filter_map(|r| match r.amount.first() {
                    Some((syntax_ast::Amount::Discretion { from, to }, span)) => {
                        Some((r, from.value, to.value, *span))
                    }
                    _ => None,
                })
                .collect();
            let kind = &record.kind;
            let reported = record.reported;
            let (message, span) = match rules.first() {
                None => (
                    format!(
                        "the `{kind}` record reported {reported} gives the decided amount {}, but no rule of the block {name}, which scores unit `{}` (group `{group}`), leaves the amount of `{kind}` to the office's discretion; remove `decided` (that block fixes the amount)",
                        value.normalize(),
                        record.unit
                    ),
                    block.groups.first().map_or(block.span, |g| g.span),
                ),
                Some((rule, from, to, span))
                    if !rules.iter().any(|(_, f, t, _)| value >= *f && value <= *t) =>
                {
                    (
                        format!(
                            "the decided amount {} of the `{kind}` record reported {reported} is outside the range {} to {} of rule `{}` of the block {name}, which scores unit `{}`; decide an amount within it",
                            value.normalize(),
                            from.normalize(),
                            to.normalize(),
                            rule.name.name,
                            record.unit
                        ),
                        *span,
                    )
                }
                Some(_) => continue,
            };
            errors.push(EvalError {
                message,
                unit: record.unit.to_string(),
                period: record.period.to_string(),
                span: Some(span),
                location: None,
                record: Some(RecordAt::of(record)),
                also: None,
            });
        }
        EvalError::joined(errors).map_or(Ok(()), Err)
    }

    fn annual_only(&self, unit: &Unit) -> bool {
        self.ruleset
            .group(&unit.group)
            .is_some_and(|g| g.assessed_annually.is_some())
    }

    /// Scores one unit in one period, with its own year usage (changed by
    /// the caps per year) and its own [`Taint`]: the task of one unit, run
    /// on any thread. A failure whose cause may be an earlier failure
    /// (tainted) is `Failed(None)`.
    fn score_in_period(
        &self,
        index: usize,
        period: Period,
        summed_annual: bool,
        usage: &mut YearUsage,
    ) -> UnitOutcome {
        let Some(unit) = self.facts.units.get(index) else {
            return UnitOutcome::Failed(None);
        };
        let records = self.unit_records(self.history.records_of(index, period).to_vec());
        let taint = Taint::default();
        let ctx = self.ctx((index, unit), &records, period, &taint);
        let scored = match score::score(ctx, usage) {
            Ok(_) | Err(_) if taint.is_set() => return UnitOutcome::Failed(None),
            Ok(scored) => scored,
            Err(error) => return UnitOutcome::Failed(Some(error)),
        };
        // The periods' scores are kept only when the year sums them.
        let kept = summed_annual.then(|| Box::new(scored.clone()));
        let result = (!self.annual_only(unit)).then(|| {
            let mut result = unit_result(unit, period, false, scored);
            result.measures = self.measures.of_unit(self.ruleset, index);
            Box::new(result)
        });
        UnitOutcome::Scored { result, kept }
    }

    /// Scores one unit's year: over its records of the year (pooled), or as
    /// the sum of its periods' scores (`failed`: the unit-periods whose score
    /// is unknown; `period_scores`: the others). The task of one unit.
    fn score_year(
        &self,
        index: usize,
        year: i32,
        source: AnnualSource,
        (failed, period_scores): (&BTreeSet<(usize, Period)>, &PeriodScores),
    ) -> UnitOutcome {
        let Some(unit) = self.facts.units.get(index) else {
            return UnitOutcome::Failed(None);
        };
        let scope = Period::Year(year);
        let taint = Taint::default();
        let scored = match source {
            AnnualSource::PooledRecords => {
                let records = self.unit_records(self.history.records_of_year(index, year));
                let ctx = self.ctx((index, unit), &records, scope, &taint);
                score::score(ctx, &mut YearUsage::new())
            }
            // A period of the year failed: its sum is unknown.
            AnnualSource::SumOfPeriods
                if failed.iter().any(|(i, p)| *i == index && p.year() == year) =>
            {
                return UnitOutcome::Failed(None);
            }
            AnnualSource::SumOfPeriods => {
                let of_year: Vec<&Scored> = period_scores
                    // The smallest period (`Period`'s derived order).
                    .range(
                        (
                            unit.id.clone(),
                            Period::Month {
                                year: i32::MIN,
                                month: 0,
                            },
                        )..,
                    )
                    .take_while(|((u, _), _)| u == &unit.id)
                    .filter(|((_, p), _)| p.year() == year)
                    .map(|(_, s)| s)
                    .collect();
                sum_of_periods(&of_year, unit, year)
            }
        };
        let scored = match scored {
            Ok(_) | Err(_) if taint.is_set() => return UnitOutcome::Failed(None),
            Ok(scored) => scored,
            Err(error) => return UnitOutcome::Failed(Some(error)),
        };
        let mut result = unit_result(unit, scope, true, scored);
        result.measures = self.measures.of_unit(self.ruleset, index);
        UnitOutcome::Scored {
            result: Some(Box::new(result)),
            kept: None,
        }
    }

    fn run(mut self) -> Result<Evaluation, EvalError> {
        self.check_decisions()?;
        let mut periods: BTreeSet<Period> = self.facts.periods.iter().copied().collect();
        // Records are sorted by period: one insert per run of a period.
        let mut last = None;
        // A late record carried into the period it arrived in makes that period evaluated.
        for record in self
            .facts
            .records
            .iter()
            .chain(self.history.records.iter().copied())
        {
            if last != Some(record.period) {
                last = Some(record.period);
                periods.insert(record.period);
            }
        }
        let mut results: Vec<UnitResult> = Vec::new();
        let mut rankings: Vec<RankingResult> = Vec::new();
        // Each unit's own: a cap per year never spans units.
        let mut usage: Vec<YearUsage> = self.facts.units.iter().map(|_| YearUsage::new()).collect();
        let mut period_scores: PeriodScores = BTreeMap::new();
        let summed_annual = self.ruleset.annual().is_some_and(|a| {
            a.source
                .first()
                .is_some_and(|(s, _, _)| *s == AnnualSource::SumOfPeriods)
        });

        // After a failure the evaluation goes on with everything that does
        // not depend on it, to report every failure at once (principle 3);
        // no result is returned then. A unit whose scoring failed leaves its
        // period unranked and its year's caps unknown; whatever reads those
        // (`History::tainted`, `YearUsage`) fails silently, since its errors
        // may be consequences of the first.
        let mut failures = Failures::default();
        // (unit's index, period) whose score is unknown.
        let mut failed: BTreeSet<(usize, Period)> = BTreeSet::new();
        for (pass, &period) in periods.iter().enumerate() {
            self.measures = match self.measures_for(period) {
                Ok(measures) => measures,
                Err(error) => {
                    failures.push(pass, error);
                    self.history.unranked.insert(period);
                    for (index, usage) in usage.iter_mut().enumerate() {
                        failed.insert((index, period));
                        usage.break_year(period.year());
                    }
                    continue;
                }
            };
            let mut period_results = Vec::new();
            let mut complete = true;
            // The unit index of each of `period_results`.
            let mut period_units = Vec::new();
            // Every unit scored on its own (in parallel when the options
            // allow), with its own year usage and taint; the outcomes come
            // back in unit order and are folded in that order, so the result
            // and the errors do not depend on the threads (issue 15 §4).
            let mut tasks: Vec<(usize, &mut YearUsage)> = usage.iter_mut().enumerate().collect();
            let outcomes = self.pool.map_mut(&mut tasks, |(index, usage)| {
                self.score_in_period(*index, period, summed_annual, usage)
            });
            drop(tasks);
            for (index, outcome) in outcomes.into_iter().enumerate() {
                match outcome {
                    UnitOutcome::Failed(error) => {
                        if let Some(error) = error {
                            failures.push(pass, error);
                        }
                        complete = false;
                        failed.insert((index, period));
                        if let Some(usage) = usage.get_mut(index) {
                            usage.break_year(period.year());
                        }
                    }
                    UnitOutcome::Scored { result, kept } => {
                        if let Some(result) = result {
                            period_results.push(*result);
                            period_units.push(index);
                        }
                        if let (Some(kept), Some(unit)) = (kept, self.facts.units.get(index)) {
                            period_scores.insert((unit.id.clone(), period), *kept);
                        }
                    }
                }
            }
            if !complete {
                self.history.unranked.insert(period);
                continue;
            }
            self.rank_into(
                (period, CapScope::Period),
                (period_results, &period_units),
                &mut rankings,
                (&mut failures, pass),
                &mut results,
            );
        }

        let years: BTreeSet<i32> = periods.iter().map(|p| p.year()).collect();
        let mut evaluated: Vec<Period> = periods.iter().copied().collect();
        if let Some(annual) = self.ruleset.annual() {
            let source = annual
                .source
                .first()
                .map_or(AnnualSource::PooledRecords, |(s, _, _)| *s);
            for (pass, &year) in (periods.len()..).zip(&years) {
                let scope = Period::Year(year);
                evaluated.push(scope);
                self.measures = match self.measures_for(scope) {
                    Ok(measures) => measures,
                    Err(error) => {
                        failures.push(pass, error);
                        self.history.unranked.insert(scope);
                        continue;
                    }
                };
                let mut annual_results = Vec::new();
                let mut complete = true;
                // Every unit's year on its own, in parallel when allowed,
                // folded in unit order (as the periods above).
                let units: Vec<usize> = (0..self.facts.units.len()).collect();
                let outcomes = self.pool.map(&units, |&index| {
                    self.score_year(index, year, source, (&failed, &period_scores))
                });
                for outcome in outcomes {
                    match outcome {
                        UnitOutcome::Failed(error) => {
                            if let Some(error) = error {
                                failures.push(pass, error);
                            }
                            complete = false;
                        }
                        UnitOutcome::Scored { result, .. } => {
                            annual_results.extend(result.map(|r| *r));
                        }
                    }
                }
                // The group averages, conversions and rankings of a year
                // need every unit's result.
                if !complete {
                    self.history.unranked.insert(scope);
                    continue;
                }
                if let Err(error) = self.average(&mut annual_results, year) {
                    failures.push(pass, error);
                    self.history.unranked.insert(scope);
                    continue;
                }
                if let Some(convert) = &annual.convert {
                    let mut overflows = Vec::new();
                    for r in &mut annual_results {
                        let failed = |message: &str| EvalError {
                            message: message.to_owned(),
                            unit: r.unit.to_string(),
                            period: year.to_string(),
                            span: Some(convert.weight.span),
                            location: None,
                            record: None,
                            also: None,
                        };
                        let Some(converted) = r
                            .total
                            .checked_mul(convert.weight.value.into())
                            .and_then(|v| v.checked_div(Number::ONE_HUNDRED))
                        else {
                            overflows.push(failed("the conversion overflows"));
                            continue;
                        };
                        r.converted = match &convert.rounding {
                            Some(rounding) => {
                                let rounded = converted
                                    .round(rounding.places.value, rounding.mode)
                                    .map(Number::from);
                                if rounded.is_none() {
                                    overflows
                                        .push(failed("the converted score overflows a decimal"));
                                }
                                rounded
                            }
                            None => Some(converted),
                        };
                    }
                    if let Some(error) = EvalError::joined(overflows) {
                        failures.push(pass, error);
                        self.history.unranked.insert(scope);
                        continue;
                    }
                }
                // Every unit has an annual result (the year is complete), in
                // unit order.
                let annual_units: Vec<usize> = (0..annual_results.len()).collect();
                self.rank_into(
                    (scope, CapScope::Year),
                    (annual_results, &annual_units),
                    &mut rankings,
                    (&mut failures, pass),
                    &mut results,
                );
            }
        }
        // Every failure, and no partial result.
        failures.finish()?;
        // Once per period, not per result.
        let mut provisional: Vec<(Period, bool)> = Vec::new();
        let mut provisional_of = |period: Period| {
            if let Some(&(_, p)) = provisional.iter().find(|(q, _)| *q == period) {
                return p;
            }
            let p = self.provisional(period);
            provisional.push((period, p));
            p
        };
        for r in &mut results {
            r.provisional = provisional_of(r.period);
        }
        for ranking in &mut rankings {
            ranking.provisional = provisional_of(ranking.period);
        }
        let group_order: BTreeMap<&str, usize> = self
            .ruleset
            .groups()
            .enumerate()
            .map(|(i, g)| (g.name.name.as_str(), i))
            .collect();
        // Each result's key found once (not a group looked up by name on
        // every comparison); a unit has one result per period, so keys are
        // unique and the unstable order of `sort_by_cached_key` cannot show.
        results.sort_by_cached_key(|r| {
            (
                r.period,
                group_order
                    .get(r.group.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
                r.rank.unwrap_or(u32::MAX),
                r.unit.clone(),
            )
        });
        Ok(Evaluation {
            format_version: FORMAT_VERSION,
            engine: format!("kaohe {}", env!("CARGO_PKG_VERSION")),
            ruleset: RulesetInfo {
                id: self.ruleset.id().to_owned(),
                title: self.ruleset.title().to_owned(),
                hash: self.ruleset.hash().to_owned(),
                clauses: self
                    .ruleset
                    .clauses()
                    .into_iter()
                    .map(|(id, text)| (id.to_owned(), text.to_owned()))
                    .collect(),
            },
            facts: FactsInfo {
                as_of: self.facts.as_of.to_string(),
                hash: match self.facts_hash {
                    FactsHash::Include => self.facts.hash().to_owned(),
                    FactsHash::Omit => String::new(),
                },
                warnings: crate::check::fact_warnings(self.ruleset, self.facts),
            },
            periods: evaluated,
            results,
            rankings,
            inputs: self.inputs.infos(),
            rejected: self.rejected,
        })
    }

    /// Whether a period's (or year's) result may still change (issue 12 §7):
    /// `as_of` is on or before its last day, or on or before the seal of a sealed period
    /// (a year: of its last period). An amendable ruleset's past periods are
    /// never sealed but are final as far as the facts go: provisional only
    /// while `as_of` lies inside them. A result that may rest on a provisional
    /// sub-assessment result (an `input` provisional in the period, or for a
    /// year in any period of it) is provisional too, whatever `as_of` says.
    fn provisional(&self, period: Period) -> bool {
        if self.inputs.provisional_in(period) {
            return true;
        }
        let as_of = self.facts.as_of;
        if as_of <= period.end() {
            return true;
        }
        // A year's last period: for weeks, the last ISO week of the week-year
        // (which may end in January of the next year).
        let last = match period {
            Period::Year(year) => Period::last_of_year(self.ruleset.period_unit(), year),
            other => other,
        };
        if as_of <= last.end() {
            return true;
        }
        self.ruleset
            .period()
            .and_then(|d| d.seal.as_ref())
            .is_some_and(|(days, _)| as_of <= last.seal_date(days.value))
    }

    /// Under [`Detail::Totals`], frees the line items of results that are done.
    fn drop_items(&self, results: &mut [UnitResult]) {
        if self.detail == Detail::Totals {
            for r in results {
                r.items = Vec::new();
                r.outside_items = Vec::new();
            }
        }
    }

    fn unit_records(&self, records: Vec<&'a Record>) -> UnitRecords<'a> {
        UnitRecords::new(self.ruleset, records)
    }

    /// What expressions see for a unit (with its index in `Facts::units`).
    fn ctx<'c>(
        &'c self,
        (unit_index, unit): (usize, &'c Unit),
        records: &'c UnitRecords<'c>,
        scope: Period,
        taint: &'c Taint,
    ) -> Ctx<'c> {
        Ctx {
            ruleset: self.ruleset,
            unit,
            unit_index,
            record: None,
            records,
            as_of: self.facts.as_of,
            scope,
            history: &self.history,
            detail: self.detail,
            measures: &self.measures,
            this: None,
            total: None,
            categories: &[],
            inputs: self.inputs,
            taint,
        }
    }

    /// Computes every measure for the units of its group over their records
    /// of `scope` (a period, or a year), before anything of it is scored.
    fn measures_for(&self, scope: Period) -> Result<measure::Measures, EvalError> {
        let none = measure::Measures::default();
        measure::compute(self.ruleset, &self.facts.units, |index, value| {
            let Some(unit) = self.facts.units.get(index) else {
                return Ok(Number::ZERO);
            };
            let records = self.unit_records(match scope {
                Period::Year(year) => self.history.records_of_year(index, year),
                period => self.history.records_of(index, period).to_vec(),
            });
            // As before measures are computed: whatever they read of a
            // period left unranked, a failure here is reported.
            let taint = Taint::default();
            let ctx = Ctx {
                measures: &none,
                ..self.ctx((index, unit), &records, scope, &taint)
            };
            ctx.number(value)
        })
    }

    /// Ranks the results of one period or year, records the places in the
    /// history, then derives the consequences. On failure, every error
    /// found (none when each may be a consequence of an earlier failure,
    /// which is reported).
    /// Ranks a complete period's (or year's) results and derives their
    /// consequences ([`Evaluator::rank_and_notify`]): on failure the errors
    /// join `failures` and the period stays unranked, none of its results
    /// kept; otherwise its results join `out`.
    fn rank_into(
        &mut self,
        (period, scope): (Period, CapScope),
        (mut ranked, units): (Vec<UnitResult>, &[usize]),
        rankings: &mut Vec<RankingResult>,
        (failures, pass): (&mut Failures, usize),
        out: &mut Vec<UnitResult>,
    ) {
        if let Err(errors) = self.rank_and_notify(period, scope, (&mut ranked, units), rankings) {
            failures.extend(pass, errors);
            self.history.unranked.insert(period);
            return;
        }
        self.drop_items(&mut ranked);
        out.extend(ranked);
    }

    fn rank_and_notify(
        &mut self,
        period: Period,
        scope: CapScope,
        (results, units): (&mut [UnitResult], &[usize]),
        rankings: &mut Vec<RankingResult>,
    ) -> Result<(), Vec<EvalError>> {
        // `units[i]`: the index in `Facts::units` of `results[i]`'s unit;
        // `at[u]`: the position in `results` of unit `u`'s result. Units
        // are found by index, not by searching their ids (issue 15 §1).
        let mut at: Vec<Option<usize>> = vec![None; self.facts.units.len()];
        for (position, &unit) in units.iter().enumerate() {
            if let Some(slot) = at.get_mut(unit) {
                *slot = Some(position);
            }
        }
        for (ranking_index, decl) in self
            .ruleset
            .rankings()
            .enumerate()
            .filter(|(_, r)| r.scope == scope)
        {
            // Members with their unit indexes.
            let mut members: Vec<((&Unit, Number), usize)> = Vec::new();
            let mut left_out: Vec<(usize, NotRanked)> = Vec::new();
            // Every unit's `only when` is evaluated (in parallel when
            // allowed, each with its own taint), all failures reported, in
            // the order of the results.
            let mut failures = Vec::new();
            let candidates: Vec<(usize, usize, &Unit, Number)> = results
                .iter()
                .enumerate()
                .filter(|(_, r)| r.group == decl.group.name)
                .filter_map(|(position, r)| {
                    let index = *units.get(position)?;
                    Some((position, index, self.facts.units.get(index)?, r.total))
                })
                .collect();
            let admitted = if decl.only_when.is_empty() {
                // Every unit is admitted: no task to run.
                candidates.iter().map(|_| (Ok(None), false)).collect()
            } else {
                self.pool.map(&candidates, |&(_, index, unit, _)| {
                    let taint = Taint::default();
                    let admitted = self.admitted(decl, (index, unit), period, scope, &taint);
                    (admitted, taint.is_set())
                })
            };
            for (&(position, index, unit, total), admitted) in candidates.iter().zip(admitted) {
                match admitted {
                    (Ok(None), _) => members.push(((unit, total), index)),
                    (Ok(Some(why)), _) => left_out.push((position, why)),
                    (Err(_), true) => failures.push(None),
                    (Err(error), false) => failures.push(Some(error)),
                }
            }
            if !failures.is_empty() {
                // The period is not ranked; a failure that may be a
                // consequence of an earlier one is not reported.
                return Err(failures.into_iter().flatten().collect());
            }
            for (position, why) in left_out {
                if let Some(r) = results.get_mut(position) {
                    r.not_ranked.push(why);
                }
            }
            let discretion_key = match scope {
                CapScope::Period => period,
                CapScope::Year => Period::Year(period.year()),
            };
            let discretion = self.facts.discretion.get(&discretion_key);
            // `within attr`: one ranking per value of the attribute.
            // Keyed by the value's text, as shown in `within`.
            let mut partitions: BTreeMap<Option<Text>, Partition<'_>> = BTreeMap::new();
            for (member, index) in members {
                let key = decl
                    .within
                    .as_ref()
                    .map(|w| match member.0.attributes.get(&w.name) {
                        Some(Value::Text(t) | Value::Level(t)) => t.clone(),
                        Some(other) => Text::from(other.to_string()),
                        None => Text::default(),
                    });
                let (of_partition, indexes) = partitions.entry(key).or_default();
                of_partition.push(member);
                indexes.push(index);
            }
            // One shared text for every result this ranking ranks.
            let ranking_name = Text::from(decl.name.name.as_str());
            // The partitions are independent: ranked in parallel when
            // allowed, then recorded in the order of their keys.
            let partitions: Vec<(Option<Text>, Partition<'_>)> = partitions.into_iter().collect();
            let ranked_partitions = self.pool.map(&partitions, |(_, (members, _))| {
                rank::rank_members(decl, period, members, discretion)
            });
            for ((within, (_, indexes)), (mut ranking, order)) in
                partitions.into_iter().zip(ranked_partitions)
            {
                ranking.within = within.map(String::from);
                let ranked = u32::try_from(ranking.entries.len()).unwrap_or(u32::MAX);
                // Entries are in rank order: each tie group is contiguous, so
                // one pass counts how many share each entry's rank.
                let mut tied = vec![0usize; ranking.entries.len()];
                let mut group_start = 0;
                for i in 1..=ranking.entries.len() {
                    let same = match (ranking.entries.get(i), ranking.entries.get(group_start)) {
                        (Some(e), Some(first)) => e.rank == first.rank,
                        _ => false,
                    };
                    if !same {
                        for t in tied.iter_mut().take(i).skip(group_start) {
                            *t = i - group_start;
                        }
                        group_start = i;
                    }
                }
                for ((entry, tied), member) in ranking.entries.iter().zip(tied).zip(order) {
                    let Some(&unit) = indexes.get(member) else {
                        continue;
                    };
                    let position = at.get(unit).copied().flatten();
                    let total = position.and_then(|i| results.get(i)).map(|r| r.total);
                    self.history.places.insert(
                        (ranking_index, period, unit),
                        Place {
                            rank: entry.rank,
                            tied: u32::try_from(tied).unwrap_or(u32::MAX),
                            ranked,
                            total,
                        },
                    );
                    if let Some(r) = position.and_then(|i| results.get_mut(i)) {
                        if r.rank.is_none() {
                            r.rank = Some(entry.rank);
                            r.ranking = Some(ranking_name.clone());
                        }
                    }
                }
                rankings.push(ranking);
            }
        }
        let mut failures = Vec::new();
        let mut failed = false;
        // One unit's consequences do not depend on another's: all are
        // derived (in parallel when allowed, each with its own taint), every
        // failure reported in the order of the results.
        let tasks: Vec<(&UnitResult, usize)> = results.iter().zip(units.iter().copied()).collect();
        let derived = self.pool.map(&tasks, |&(r, index)| {
            let unit = self.facts.units.get(index)?;
            let records = self.unit_records(match scope {
                CapScope::Period => self.history.records_of(index, period).to_vec(),
                CapScope::Year => self.history.records_of_year(index, period.year()),
            });
            let taint = Taint::default();
            let ctx = Ctx {
                total: Some(r.total),
                categories: &r.categories,
                ..self.ctx((index, unit), &records, period, &taint)
            };
            let derived = consequence::consequences(ctx, scope)
                .and_then(|notices| Ok((notices, consequence::outputs(ctx, scope)?)));
            Some((derived, taint.is_set()))
        });
        drop(tasks);
        for (r, derived) in results.iter_mut().zip(derived) {
            match derived {
                None => {}
                Some((Ok((notices, outputs)), _)) => {
                    r.notices = notices;
                    r.outputs = outputs;
                }
                Some((Err(_), true)) => failed = true,
                Some((Err(error), false)) => {
                    failed = true;
                    failures.extend(error.into_all());
                }
            }
        }
        if failed {
            return Err(failures);
        }
        Ok(())
    }

    /// Whether a unit takes part in a ranking: every `only when` condition
    /// of the ranking holds for it, over its records of the period (or year)
    /// ranked (issue 13 §3). A unit left out has no place in the ranking:
    /// `Some` says which condition left it out, for its explanation.
    fn admitted(
        &self,
        decl: &crate::syntax::ast::RankingDecl,
        (index, unit): (usize, &Unit),
        period: Period,
        scope: CapScope,
        taint: &Taint,
    ) -> Result<Option<NotRanked>, EvalError> {
        if decl.only_when.is_empty() {
            return Ok(None);
        }
        let records = self.unit_records(match scope {
            CapScope::Period => self.history.records_of(index, period).to_vec(),
            CapScope::Year => self.history.records_of_year(index, period.year()),
        });
        let ctx = self.ctx((index, unit), &records, period, taint);
        for (condition, cite) in &decl.only_when {
            if !ctx.truth(condition)? {
                let (condition, values) = ctx.working(condition);
                return Ok(Some(NotRanked {
                    ranking: Text::from(decl.name.name.as_str()),
                    label: decl.label.as_ref().map(|l| Text::from(l.text.as_str())),
                    condition,
                    values,
                    clauses: texts::clauses(cite.as_ref()),
                }));
            }
        }
        Ok(None)
    }

    /// Units for which their group's `average when` holds get the average annual
    /// total of the group's other units. When some unit qualifies but no
    /// other unit of the group is left to average over, the evaluation fails
    /// (issue 12 §5): the rulebook's formula has no value, and keeping each
    /// unit's own score would silently change it.
    fn average(&self, results: &mut [UnitResult], year: i32) -> Result<(), EvalError> {
        for group in self.ruleset.groups() {
            let Some((condition, cite)) = &group.average_when else {
                continue;
            };
            let mut averaged = Vec::new();
            let mut others = Vec::new();
            for (i, r) in results.iter().enumerate() {
                if r.group != group.name.name {
                    continue;
                }
                let Some(index) = self.facts.unit_index(&r.unit) else {
                    continue;
                };
                let Some(unit) = self.facts.units.get(index) else {
                    continue;
                };
                let records = self.unit_records(self.history.records_of_year(index, year));
                // A taint is not read here: the year is complete, its
                // places not yet known.
                let taint = Taint::default();
                let ctx = self.ctx((index, unit), &records, Period::Year(year), &taint);
                if ctx.truth(condition)? {
                    averaged.push(i);
                } else {
                    others.push(r.total);
                }
            }
            if averaged.is_empty() {
                continue;
            }
            let failed = |message: String| EvalError {
                message,
                unit: averaged
                    .first()
                    .and_then(|i| results.get(*i))
                    .map(|r| r.unit.to_string())
                    .unwrap_or_default(),
                period: year.to_string(),
                span: Some(condition.span),
                location: None,
                record: None,
                also: None,
            };
            if others.is_empty() {
                return Err(failed(format!(
                    "every unit of group `{}` meets its `average when` condition, so there is no other unit to average over; the rulebook does not say what they score (state it in the ruleset, e.g. a rule for this case, or correct the facts)",
                    group.name.name
                )));
            }
            let average = others
                .iter()
                .try_fold(Number::ZERO, |a, t| a.checked_add(*t))
                .and_then(|s| s.checked_div(Number::from(others.len())))
                .ok_or_else(|| failed("the group average overflows".to_owned()))?;
            for i in averaged {
                if let Some(r) = results.get_mut(i) {
                    r.total = average;
                    // A category outside the total is not part of the average.
                    r.categories.retain(|c| c.outside);
                    r.items = vec![LineItem {
                        kind: ItemKind::Average,
                        rule: Some(Text::from(group.name.name.as_str())),
                        label: Some(Text::from(format!(
                            "average of the {} other units of the group",
                            others.len()
                        ))),
                        category: None,
                        clauses: clauses(cite.as_ref()),
                        count: u32::try_from(others.len()).unwrap_or(u32::MAX),
                        raw: average,
                        amount: average,
                        limits: Vec::new(),
                        formula: None,
                        records: Vec::new(),
                        inputs: Vec::new(),
                    }];
                }
            }
        }
        Ok(())
    }
}

fn unit_result(unit: &Unit, period: Period, annual: bool, scored: Scored) -> UnitResult {
    UnitResult {
        unit: unit.id.clone(),
        name: unit.name.clone(),
        group: unit.group.clone(),
        period,
        annual,
        provisional: false,
        total: scored.total,
        converted: None,
        rank: None,
        ranking: None,
        measures: Vec::new(),
        outputs: Vec::new(),
        not_ranked: Vec::new(),
        categories: scored.categories,
        items: scored.items,
        outside_items: scored.outside,
        notices: Vec::new(),
    }
}

/// The annual score as the sum of the periods: each line summed across the
/// periods, total = base + Σ (period total − base).
fn sum_of_periods(periods: &[&Scored], unit: &Unit, year: i32) -> Result<Scored, EvalError> {
    let overflow = || EvalError {
        message: "the annual sum overflows a decimal".to_owned(),
        unit: unit.id.to_string(),
        period: year.to_string(),
        span: None,
        location: None,
        record: None,
        also: None,
    };
    let mut items: Vec<LineItem> = Vec::new();
    let mut outside: Vec<LineItem> = Vec::new();
    let mut categories: Vec<CategoryResult> = Vec::new();
    for scored in periods {
        merge_items(&mut items, &scored.items).ok_or_else(overflow)?;
        merge_items(&mut outside, &scored.outside).ok_or_else(overflow)?;
        for category in &scored.categories {
            match categories
                .iter_mut()
                .find(|c| c.category == category.category)
            {
                Some(c) => {
                    c.deductions = c
                        .deductions
                        .checked_add(category.deductions)
                        .ok_or_else(overflow)?;
                    c.bonuses = c
                        .bonuses
                        .checked_add(category.bonuses)
                        .ok_or_else(overflow)?;
                    c.subtotal = score::subtotal(c.allot, c.outside, c.deductions, c.bonuses)
                        .ok_or_else(overflow)?;
                }
                None => categories.push(category.clone()),
            }
        }
    }
    let total = items
        .iter()
        .try_fold(Number::ZERO, |a, i| a.checked_add(i.amount))
        .ok_or_else(overflow)?;
    Ok(Scored {
        items,
        outside,
        categories,
        total,
    })
}

/// Adds the lines of one period to the year's: each line summed with the
/// same line (kind, rule, category) of earlier periods, the base once.
/// `None` on overflow.
fn merge_items(items: &mut Vec<LineItem>, from: &[LineItem]) -> Option<()> {
    for item in from {
        let same = items
            .iter_mut()
            .find(|i| i.kind == item.kind && i.rule == item.rule && i.category == item.category);
        match same {
            Some(_) if item.kind == ItemKind::Base => {}
            Some(existing) => {
                existing.count = existing.count.saturating_add(item.count);
                existing.raw = existing.raw.checked_add(item.raw)?;
                existing.amount = existing.amount.checked_add(item.amount)?;
                existing.limits.extend(item.limits.iter().cloned());
                existing.records.extend(item.records.iter().cloned());
            }
            None => items.push(item.clone()),
        }
    }
    Some(())
}

/// Copies of the records reported after their period was sealed that the
/// ruleset carries (`late carried`) into the period they arrived in, each with
/// its position in the facts.
fn carry(ruleset: &Ruleset, facts: &Facts) -> Vec<(usize, Record)> {
    let decl = ruleset.period();
    let (Some((days, _)), Some((LatePolicy::Carried, _, _))) = (
        decl.and_then(|d| d.seal.as_ref()),
        decl.and_then(|d| d.late.as_ref()),
    ) else {
        return Vec::new();
    };
    let mut carried = Vec::new();
    for (i, record) in facts.records.iter().enumerate() {
        if record.reported <= record.period.seal_date(days.value) {
            continue;
        }
        let (arrived, in_force) = arrival(ruleset, record);
        if in_force {
            let mut copy = record.clone();
            copy.period = arrived;
            copy.carried_from = Some(record.period);
            carried.push((i, copy));
        }
    }
    carried
}

/// The period a late record arrived in (the one containing the day it was
/// reported), and whether that period lies in the ruleset's effective range.
fn arrival(ruleset: &Ruleset, record: &Record) -> (Period, bool) {
    let arrived = Period::containing(ruleset.period_unit(), record.reported);
    let in_force = ruleset
        .effective()
        .is_none_or(|(from, to)| arrived.end() >= from && arrived.start() <= to);
    (arrived, in_force)
}

/// Decides which records apply: late records under a seal are rejected (or
/// carried into the period they arrived in); of records sharing an `id`, the
/// latest reported applies and the others are listed as superseded.
///
/// `carried` are the copies [`carry`] made of late records; the originals are
/// left out. Records are borrowed, never copied.
fn apply_policy<'f>(
    ruleset: &Ruleset,
    facts: &'f Facts,
    carried: &'f [(usize, Record)],
) -> (Vec<&'f Record>, Vec<RejectedRecord>) {
    let mut rejected = Vec::new();
    // (position of the record, or of the one it was carried from, in the facts; record)
    let mut kept: Vec<(usize, &'f Record)> = Vec::with_capacity(facts.records.len());
    let decl = ruleset.period();
    let seal = decl.and_then(|d| d.seal.as_ref());
    let late = decl
        .and_then(|d| d.late.as_ref())
        .map_or(LatePolicy::Rejected, |(p, _, _)| *p);
    let mut seal_clauses: Vec<Text> = decl
        .map(|d| clauses(d.seal.as_ref().and_then(|(_, c)| c.as_ref())).to_vec())
        .unwrap_or_default();
    if let Some((_, _, cite)) = decl.and_then(|d| d.late.as_ref()) {
        for c in clauses(cite.as_ref()).iter() {
            if !seal_clauses.contains(c) {
                seal_clauses.push(c.clone());
            }
        }
    }
    let seal_clauses: Clauses = seal_clauses.into_iter().collect();
    for (i, record) in facts.records.iter().enumerate() {
        let Some((days, _)) = seal else {
            kept.push((i, record));
            continue;
        };
        let sealed_on = record.period.seal_date(days.value);
        if record.reported <= sealed_on {
            kept.push((i, record));
            continue;
        }
        let (arrived, in_force) = arrival(ruleset, record);
        match late {
            // Its copy is in `carried`.
            LatePolicy::Carried if in_force => {}
            _ => rejected.push(RejectedRecord {
                record: RecordRef::of(record),
                unit: record.unit.clone(),
                reason: if late == LatePolicy::Carried {
                    format!(
                        "reported {}, after period {} was sealed at the end of {sealed_on}; the period it arrived in, {arrived}, is outside the ruleset's effective range",
                        record.reported, record.period
                    )
                } else {
                    format!(
                        "reported {}, after period {} was sealed at the end of {sealed_on}",
                        record.reported, record.period
                    )
                },
                clauses: seal_clauses.clone(),
            }),
        }
    }
    // Amendments: the latest version of each id applies; on one day, the
    // highest `revision`.
    // A carried record is a new fact in the period it arrived in: it competes
    // only with other versions carried into that period, never with (and so
    // never replaces) a version in a sealed period.
    let version_key = |record: &Record| {
        record.id.as_ref().map(|id| {
            (
                record.unit.clone(),
                id.clone(),
                record.carried_from.map(|_| record.period),
            )
        })
    };
    if !carried.is_empty() {
        // Each copy where its original was: the facts' order.
        kept.extend(carried.iter().map(|(i, r)| (*i, r)));
        kept.sort_by_key(|(i, _)| *i);
    }
    let kept: Vec<&'f Record> = kept.into_iter().map(|(_, r)| r).collect();
    let mut latest: BTreeMap<(Text, Text, Option<Period>), usize> = BTreeMap::new();
    for (i, record) in kept.iter().enumerate() {
        if let Some(key) = version_key(record) {
            let newer = latest
                .get(&key)
                .and_then(|j| kept.get(*j))
                // Validation refused same-day versions without distinct
                // revisions: (reported, revision) orders the versions.
                .is_none_or(|current| {
                    (record.reported, record.revision) >= (current.reported, current.revision)
                });
            if newer {
                latest.insert(key, i);
            }
        }
    }
    let amend_clauses = decl
        .map(|d| clauses(d.amendable.as_ref().and_then(|(_, c)| c.as_ref())))
        .unwrap_or_default();
    let mut applied = Vec::new();
    for (i, record) in kept.iter().enumerate() {
        let winner = version_key(record)
            .and_then(|key| latest.get(&key))
            .and_then(|j| kept.get(*j).map(|r| (*j, r)));
        match winner {
            Some((j, newer)) if j != i => rejected.push(RejectedRecord {
                record: RecordRef::of(record),
                unit: record.unit.clone(),
                reason: match newer.revision.filter(|_| newer.reported == record.reported) {
                    Some(revision) => format!(
                        "superseded by the version of `{}` reported {}, revision {revision}",
                        record.id.as_deref().unwrap_or(""),
                        newer.reported
                    ),
                    None => format!(
                        "superseded by the version of `{}` reported {}",
                        record.id.as_deref().unwrap_or(""),
                        newer.reported
                    ),
                },
                clauses: amend_clauses.clone(),
            }),
            _ => applied.push(*record),
        }
    }
    drop(kept);
    // Facts come in canonical order (period, unit, kind, …); only records
    // carried into another period can break it, and `History::new` restores
    // it (each unit-period's records one run, sorted by kind).
    (applied, rejected)
}
