//! Sealed periods in a real store (issue 17 §2): an embedded SQLite database
//! holding each sealed period's records, results, ruleset hash and engine
//! version, linked by a SHA-256 chain. A sealed period never changes: later
//! evaluations take its records from the store, report every submitted record
//! that contradicts it as rejected, and refuse (naming the seal) rather than
//! give the period another result. `docs/seals.md` describes the whole design.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use kaohe::{Facts, Ruleset, SourceFile};
//! let text = std::fs::read_to_string("miluo-2026.rules")?;
//! let ruleset = Ruleset::from_source(SourceFile::new("miluo-2026.rules", text))?;
//! let facts = Facts::from_json(&ruleset, &std::fs::read_to_string("2026-04.json")?)?;
//! let mut store = kaohe_store::Store::open(std::path::Path::new("kaohe.sqlite"))?;
//! let sealed = store.seal(&ruleset, &facts, "2026-04".parse()?)?;
//! println!("seal #{} {}", sealed.seal.seq, sealed.seal.hash);
//! // Later: April's records come from the store, whatever is submitted.
//! let later = store.evaluate(&ruleset, &facts)?;
//! assert!(store.audit().errors.is_empty());
//! # let _ = later;
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use kaohe::error::{ErrorRecord, Location, ToErrorRecords};
use kaohe::eval::result::{Clauses, RankingResult, RecordRef, RejectedRecord, UnitResult};
use kaohe::facts::Record;
use kaohe::input::Inputs;
use kaohe::text::Text;
use kaohe::{EvalError, Evaluation, FactErrors, Facts, Period, Ruleset, SourceFile};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

mod errors;
pub use errors::{StoreError, StoreFailure};

/// The previous hash of the first seal in a database.
pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// The tag the chain hash starts with; a change of what the hash covers changes it.
const HASH_TAG: &str = "kaohe-seal-1";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS rulesets (
    hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seals (
    seq INTEGER PRIMARY KEY,
    ruleset_id TEXT NOT NULL,
    period TEXT NOT NULL,
    ruleset_hash TEXT NOT NULL REFERENCES rulesets(hash),
    engine TEXT NOT NULL,
    sealed_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    units TEXT NOT NULL,
    discretion TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    results TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (ruleset_id, period)
);
CREATE TABLE IF NOT EXISTS seal_inputs (
    seal INTEGER PRIMARY KEY REFERENCES seals(seq),
    inputs TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    seal INTEGER NOT NULL REFERENCES seals(seq),
    position INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (seal, position)
);
";

/// A database of sealed periods (one SQLite file, WAL journal, foreign keys on).
///
/// Holds one connection; open one `Store` per thread (SQLite serialises the
/// writers: a seal is one `IMMEDIATE` transaction).
pub struct Store {
    conn: Connection,
    file: String,
}

/// One seal as the database holds it (without its records and results).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SealInfo {
    /// Its place in the chain, 1, 2, 3, … over every ruleset of the database.
    pub seq: i64,
    /// The ruleset's id (its header's `id`).
    pub ruleset: String,
    /// The sealed period (`2026-04`, `2026-Q1`).
    pub period: String,
    /// `sha256:` of the ruleset file the period was sealed under.
    pub ruleset_hash: String,
    /// The engine that sealed it, `kaohe 0.1.0` (from `kaohe::api::version()`).
    pub engine: String,
    /// When it was sealed, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub sealed_at: String,
    /// The facts' evaluation date at sealing.
    pub as_of: String,
    /// How many records it holds.
    pub records: i64,
    /// The previous seal's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// `sha256:` over this seal's content and `prev_hash` (`docs/seals.md`).
    pub hash: String,
    /// The provenance of the sub-assessment results the sealed period read
    /// (the ruleset's `input`s, issue 13 §11), by input name; left out of the
    /// JSON for a ruleset without inputs (and for seals made before inputs
    /// could be sealed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<SealedInput>,
}

/// Where one input of a sealed period came from: which evaluation of which
/// sub-ruleset (what `rulec verify` and the audit show; the seal's hash
/// covers it and the sub-results the period read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SealedInput {
    /// The input's name in the main ruleset (`petition`).
    pub input: String,
    /// The sub-ruleset's id.
    pub ruleset: String,
    /// `sha256:` of the sub-ruleset file.
    pub ruleset_hash: String,
    /// `sha256:` of the facts the sub-ruleset was evaluated on.
    pub facts_hash: String,
}

impl SealInfo {
    /// `seal #3 (miluo_2026 2026-04, sealed 2026-05-20T08:00:00Z, sha256:1a2b3c4d…)`:
    /// how messages name a seal.
    pub fn describe(&self) -> String {
        format!(
            "seal #{} ({} {}, sealed {}, {})",
            self.seq,
            self.ruleset,
            self.period,
            self.sealed_at,
            short(&self.hash)
        )
    }
}

/// What [`Store::seal`] did: the new seal and the evaluation it was taken from
/// (with any submitted record that contradicts an earlier seal among `rejected`).
#[derive(Debug, Clone)]
pub struct Sealed {
    /// The new seal.
    pub seal: SealInfo,
    /// The evaluation of the submitted facts with the earlier seals applied.
    pub evaluation: Evaluation,
}

/// One seal as [`Store::audit`] found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditedSeal {
    /// The seal.
    #[serde(flatten)]
    pub seal: SealInfo,
    /// Whether it passed every check (its hash, its link, its re-evaluation).
    pub ok: bool,
}

/// The result of re-checking the whole database ([`Store::audit`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Audit {
    /// The database file.
    pub file: String,
    /// Every seal, in chain order.
    pub seals: Vec<AuditedSeal>,
    /// The last seal's hash: write it down (a bulletin, a letter) to detect a
    /// removal of the newest seals, which the chain alone cannot show.
    pub head: String,
    /// Every problem found; empty when the database is intact.
    pub errors: Vec<StoreError>,
}

impl Audit {
    /// The audit as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// A seal's row with everything it holds.
struct SealRow {
    info: SealInfo,
    units: String,
    discretion: String,
    results: String,
    records: Vec<String>,
    /// The sub-assessment results the period read, as JSON: input name → an
    /// evaluation of the sub-ruleset reduced to the sealed period (its
    /// provenance, results and rankings). Empty without inputs.
    inputs: String,
}

/// A period's results as a seal stores them: the period's unit results and
/// rankings, as compact JSON (format_version 1 fields).
#[derive(Serialize)]
struct PeriodResults<'a> {
    results: Vec<&'a UnitResult>,
    rankings: Vec<&'a RankingResult>,
}

fn period_results(evaluation: &Evaluation, period: Period) -> String {
    let results = PeriodResults {
        results: evaluation
            .results
            .iter()
            .filter(|r| r.period == period)
            .collect(),
        rankings: evaluation
            .rankings
            .iter()
            .filter(|r| r.period == period)
            .collect(),
    };
    serde_json::to_string(&results).unwrap_or_default()
}

fn short(hash: &str) -> String {
    let cut = hash.char_indices().nth(15).map_or(hash.len(), |(i, _)| i);
    format!("{}…", hash.get(..cut).unwrap_or(hash))
}

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The chain hash of a seal: SHA-256 over a tag, every field of the seal row
/// (as one JSON array) and each record's canonical JSON on its own line.
fn chain_hash(row: &SealRow) -> String {
    let SealRow {
        info,
        units,
        discretion,
        results,
        records,
        inputs,
    } = row;
    let mut head = serde_json::json!([
        HASH_TAG,
        info.seq,
        info.ruleset,
        info.period,
        info.ruleset_hash,
        info.engine,
        info.sealed_at,
        info.as_of,
        units,
        discretion,
        info.records,
        results,
        info.prev_hash,
    ]);
    // The inputs only where there are some: a seal without inputs (every seal
    // made before inputs could be sealed) keeps the hash it was made with.
    if !inputs.is_empty() {
        if let Some(head) = head.as_array_mut() {
            head.push(serde_json::Value::String(inputs.clone()));
        }
    }
    let mut hasher = Sha256::new();
    hasher.update(head.to_string().as_bytes());
    for record in records {
        hasher.update(b"\n");
        hasher.update(record.as_bytes());
    }
    let mut out = String::from("sha256:");
    for b in hasher.finalize() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The engine's version, `kaohe 0.1.0` (the `engine` of `kaohe::api::version()`).
fn engine() -> String {
    let version = kaohe::api::version();
    serde_json::from_str::<serde_json::Value>(&version)
        .ok()
        .and_then(|v| v.get("engine").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or(version)
}

/// Now, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    let date = kaohe::date::Date::from_days(days)
        .map_or_else(|| "1970-01-01".to_owned(), |d| d.to_string());
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A submitted record's canonical JSON: what a seal stores and compares.
fn record_json(record: &Record) -> String {
    serde_json::to_string(record).unwrap_or_default()
}

/// A record's unit, kind and id (empty without one).
fn identity_of(record: &Record) -> (String, String, String) {
    (
        record.unit.to_string(),
        record.kind.to_string(),
        record.id.as_deref().unwrap_or_default().to_owned(),
    )
}

/// The unit, kind and id of a stored record with an id.
fn identity(stored: &str) -> Option<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(stored).ok()?;
    let text = |key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_owned);
    Some((text("unit")?, text("kind")?, text("id")?))
}

fn no_clauses() -> Clauses {
    std::iter::empty::<Text>().collect()
}

fn reference(record: &Record) -> RecordRef {
    RecordRef {
        kind: record.kind.clone(),
        id: record.id.clone(),
        period: record.period,
        reported: record.reported,
        attributes: record.attributes.clone(),
        carried_from: None,
        revision: record.revision,
    }
}

/// What [`Store::evaluate`] works out before evaluating: the facts with the
/// sealed periods' records put in, and the submitted records set aside.
struct Substituted {
    facts: Facts,
    rejected: Vec<RejectedRecord>,
}

impl Store {
    /// Opens (creating it if needed) the database at `path`: WAL journal,
    /// `synchronous = FULL`, foreign keys on, the tables created if missing.
    ///
    /// # Errors
    /// `kaohe::store::io` when the file cannot be opened or is not a kaohe store.
    pub fn open(path: &Path) -> Result<Store, StoreFailure> {
        let file = path.display().to_string();
        let fail = |e: rusqlite::Error| StoreFailure::one(StoreError::io(&file, &e));
        let conn = Connection::open(path).map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(fail)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(fail)?;
        conn.execute_batch(SCHEMA).map_err(fail)?;
        Ok(Store { conn, file })
    }

    /// The database file's name, as given to [`Store::open`].
    pub fn file(&self) -> &str {
        &self.file
    }

    fn io(&self, e: &rusqlite::Error) -> StoreFailure {
        StoreFailure::one(StoreError::io(&self.file, e))
    }

    /// Every seal of the database, in chain order, with its content.
    fn rows(&self, ruleset_id: Option<&str>) -> Result<Vec<SealRow>, StoreFailure> {
        read_rows(&self.conn, ruleset_id).map_err(|e| self.io(&e))
    }

    /// Every seal, in chain order (what `GET /v1/audit` lists).
    ///
    /// # Errors
    /// `kaohe::store::io` when the database cannot be read.
    pub fn seals(&self) -> Result<Vec<SealInfo>, StoreFailure> {
        Ok(self.rows(None)?.into_iter().map(|r| r.info).collect())
    }

    /// Evaluates `facts` under `ruleset` with the periods this database holds
    /// sealed for `ruleset.id()`:
    ///
    /// - every submitted record bearing on a sealed period
    ///   ([`Ruleset::bearing_period`]) that is not one of the seal's records —
    ///   changed or added — is left out and listed in `rejected` with the seal
    ///   it contradicts; each of the seal's records missing from the submission
    ///   is listed too (as removed) and still applies;
    /// - a record bearing on a period before the last sealed one that has no
    ///   seal of its own is rejected the same way (sealing closes every earlier
    ///   period);
    /// - the sealed periods are evaluated from their stored records and
    ///   discretionary orders, and later periods (streaks, caps per year, the
    ///   year) see those records;
    /// - each sealed period's recomputed results must equal the stored ones
    ///   byte for byte, or the evaluation is refused
    ///   (`kaohe::store::sealed_result_differs`, naming the seal).
    ///
    /// # Errors
    /// The evaluation's error; `kaohe::store::contradicts_seal` for a
    /// discretionary order of a sealed period that differs from the seal's;
    /// `kaohe::store::sealed_result_differs`; `kaohe::store::io`.
    pub fn evaluate(&self, ruleset: &Ruleset, facts: &Facts) -> Result<Evaluation, StoreFailure> {
        self.evaluate_with(ruleset, facts, &kaohe::EvalOptions::default())
    }

    /// [`Store::evaluate`] with options: the sealed periods are checked on
    /// the full evaluation, then, for `Detail::Items` or `Detail::Totals`,
    /// the same facts are evaluated again with `options` (the results then
    /// carry what that detail keeps, as `Ruleset::evaluate_with` gives it).
    ///
    /// # Errors
    /// As [`Store::evaluate`].
    pub fn evaluate_with(
        &self,
        ruleset: &Ruleset,
        facts: &Facts,
        options: &kaohe::EvalOptions,
    ) -> Result<Evaluation, StoreFailure> {
        self.evaluate_with_inputs(ruleset, facts, options, &BTreeMap::new())
    }

    /// [`Store::evaluate_with`] for a ruleset with `input`s (issue 13 §11):
    /// `inputs` is input name → the sub-ruleset's evaluation JSON, as
    /// [`kaohe::input::Inputs::from_json`] takes it. A sealed period reads
    /// the sub-results sealed with it, whatever is supplied for it now
    /// (a sealed period never changes, nor what it read); the other periods
    /// read the supplied ones.
    ///
    /// # Errors
    /// As [`Store::evaluate`], and the inputs' errors (`kaohe::input::…`,
    /// with their JSON path).
    pub fn evaluate_with_inputs(
        &self,
        ruleset: &Ruleset,
        facts: &Facts,
        options: &kaohe::EvalOptions,
        inputs: &BTreeMap<String, serde_json::Value>,
    ) -> Result<Evaluation, StoreFailure> {
        let rows = self.rows(Some(ruleset.id()))?;
        StoreView { file: &self.file }
            .evaluate_detail(ruleset, facts, &rows, options, inputs)
            .map(|over| over.evaluation)
    }

    /// Seals `period` of `ruleset` with `facts`, in one transaction: stores
    /// the records bearing on the period (as submitted, in canonical order:
    /// those applied and the versions the engine set aside), the units, the
    /// period's discretionary order, the evaluation date, the period's
    /// results (its unit results and rankings as JSON), the ruleset's text
    /// and hash, the engine version and the time, linked to the previous seal
    /// by SHA-256.
    ///
    /// The facts are first evaluated as [`Store::evaluate`] does (earlier
    /// seals apply). Refused: a period sealed before
    /// (`kaohe::store::already_sealed`); a period before the last sealed one,
    /// or after an evaluated period that is not sealed
    /// (`kaohe::store::out_of_order`); a period the facts do not evaluate
    /// (`kaohe::store::nothing_to_seal`) or not of the ruleset's kind
    /// (`kaohe::store::wrong_period`); a provisional result
    /// (`kaohe::store::provisional`); results the seal's own records would
    /// not reproduce (`kaohe::store::not_reproducible`); and every error of
    /// [`Store::evaluate`].
    ///
    /// # Errors
    /// As listed; nothing is stored on any error.
    pub fn seal(
        &mut self,
        ruleset: &Ruleset,
        facts: &Facts,
        period: Period,
    ) -> Result<Sealed, StoreFailure> {
        self.seal_with_inputs(ruleset, facts, period, &BTreeMap::new())
    }

    /// [`Store::seal`] for a ruleset with `input`s (issue 13 §11): `inputs`
    /// as [`Store::evaluate_with_inputs`] takes them. The seal also stores,
    /// under its hash, each input's provenance (sub-ruleset id and hash,
    /// facts hash) and the sub-results of the sealed period, so that
    /// [`Store::audit`] re-evaluates the period from the store alone and any
    /// change to what it read is found. A period whose result is provisional
    /// because an input is provisional in it is refused
    /// (`kaohe::store::provisional`).
    ///
    /// # Errors
    /// As [`Store::seal`], and the inputs' errors (`kaohe::input::…`).
    pub fn seal_with_inputs(
        &mut self,
        ruleset: &Ruleset,
        facts: &Facts,
        period: Period,
        inputs: &BTreeMap<String, serde_json::Value>,
    ) -> Result<Sealed, StoreFailure> {
        let file = self.file.clone();
        if !period.is_unit(ruleset.period_unit()) {
            return Err(StoreFailure::one(StoreError::new(
                "kaohe::store::wrong_period",
                &file,
                format!(
                    "`{period}` is not a period of `{}` (its periods are {})",
                    ruleset.id(),
                    format_args!(
                        "{}, {}",
                        ruleset.period_unit().plural(),
                        ruleset.period_unit().pattern()
                    )
                ),
            )));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreFailure::one(StoreError::io(&file, &e)))?;
        let rows = read_rows(&tx, Some(ruleset.id()))
            .map_err(|e| StoreFailure::one(StoreError::io(&file, &e)))?;
        let store = StoreView { file: &file };
        if let Some(row) = rows.iter().find(|r| r.info.period == period.to_string()) {
            return Err(StoreFailure::one(
                StoreError::new(
                    "kaohe::store::already_sealed",
                    &file,
                    format!(
                        "period {period} of `{}` is already sealed: {}",
                        ruleset.id(),
                        row.info.describe()
                    ),
                )
                .with_help("a sealed period never changes; `rulec verify` shows the seals")
                .at_seal(row.info.seq),
            ));
        }
        let last = rows
            .iter()
            .filter_map(|r| r.info.period.parse::<Period>().ok().map(|p| (p, r)))
            .max_by_key(|(p, _)| *p);
        if let Some((last, row)) = last.filter(|(p, _)| *p > period) {
            return Err(StoreFailure::one(
                StoreError::new(
                    "kaohe::store::out_of_order",
                    &file,
                    format!("period {period} comes before {last}, which is sealed ({}): sealing a period closes every earlier one", row.info.describe()),
                )
                .with_help("periods are sealed in order; this one can no longer be sealed or changed")
                .at_seal(row.info.seq),
            ));
        }
        let Evaluated {
            evaluation,
            inputs: read,
            merged,
        } = store.evaluate_over(ruleset, facts, &rows, inputs)?;
        let earlier: Vec<String> = evaluation
            .periods
            .iter()
            .filter(|p| {
                p.is_unit(ruleset.period_unit())
                    && **p < period
                    && last.is_none_or(|(l, _)| **p > l)
            })
            .map(ToString::to_string)
            .collect();
        if let Some(first) = earlier.first() {
            return Err(StoreFailure::one(
                StoreError::new(
                    "kaohe::store::out_of_order",
                    &file,
                    format!(
                        "the facts evaluate {} before {period}, not sealed: sealing {period} would close {} unsealed",
                        earlier.join(", "),
                        if earlier.len() == 1 { "it" } else { "them" }
                    ),
                )
                .with_help(format!("seal {first} first (periods are sealed in order)")),
            ));
        }
        if !evaluation.periods.contains(&period) {
            return Err(StoreFailure::one(
                StoreError::new(
                    "kaohe::store::nothing_to_seal",
                    &file,
                    format!(
                        "the facts do not evaluate period {period} (no record is about it and `periods` does not list it)"
                    ),
                )
                .with_help(format!("add `\"periods\": [\"{period}\"]` to the facts to seal a period without records")),
            ));
        }
        if evaluation
            .results
            .iter()
            .filter(|r| r.period == period)
            .any(|r| r.provisional)
            || evaluation
                .rankings
                .iter()
                .filter(|r| r.period == period)
                .any(|r| r.provisional)
        {
            // Provisional because of what an input read: say which.
            let provisional_inputs: Vec<String> = evaluation
                .inputs
                .iter()
                .filter(|i| i.provisional.contains(&period.to_string()))
                .map(|i| format!("`{}`", i.input))
                .collect();
            if !provisional_inputs.is_empty() && read.provisional_in(period) {
                return Err(StoreFailure::one(
                    StoreError::new(
                        "kaohe::store::provisional",
                        &file,
                        format!(
                            "period {period}'s result is provisional: it reads input {}, whose sub-assessment is provisional in {period}",
                            provisional_inputs.join(", ")
                        ),
                    )
                    .with_help("seal the sub-assessment's period first (or evaluate it once it is final), then seal this one with its final result"),
                ));
            }
            return Err(StoreFailure::one(
                StoreError::new(
                    "kaohe::store::provisional",
                    &file,
                    format!(
                        "period {period}'s result is provisional at the facts' evaluation date {}: facts may still arrive for it",
                        facts.as_of
                    ),
                )
                .with_help("seal a period after its last day and, under `seal N days after end`, after its seal date"),
            ));
        }
        let records: Vec<String> = facts
            .records
            .iter()
            .filter(|r| ruleset.bearing_period(r) == period)
            .map(record_json)
            .collect();
        let units = serde_json::to_string(&facts.units).unwrap_or_default();
        let discretion = serde_json::to_string(&facts.discretion.get(&period)).unwrap_or_default();
        let results = period_results(&evaluation, period);
        let sealed_inputs = inputs_of_period(&merged, period);
        let (seq, prev_hash) = tx
            .query_row(
                "SELECT seq, hash FROM seals ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()
            .map_err(|e| StoreFailure::one(StoreError::io(&file, &e)))?
            .map_or((1, GENESIS.to_owned()), |(seq, hash)| (seq + 1, hash));
        let info = SealInfo {
            seq,
            ruleset: ruleset.id().to_owned(),
            period: period.to_string(),
            ruleset_hash: ruleset.hash().to_owned(),
            engine: engine(),
            sealed_at: now(),
            as_of: facts.as_of.to_string(),
            records: i64::try_from(records.len()).unwrap_or(i64::MAX),
            prev_hash,
            hash: String::new(),
            inputs: provenance(&sealed_inputs),
        };
        let mut row = SealRow {
            info,
            units,
            discretion,
            results,
            records,
            inputs: sealed_inputs,
        };
        row.info.hash = chain_hash(&row);
        // The seal must be what `verify` will recompute from the store alone.
        let mut with_new: Vec<&SealRow> = rows.iter().collect();
        with_new.push(&row);
        if let Some(problem) = store.reevaluate(ruleset, &with_new, &row) {
            return Err(StoreFailure::one(StoreError::new(
                "kaohe::store::not_reproducible",
                &file,
                format!("period {period}'s results depend on more than its sealed records and the earlier seals: {problem}"),
            ).with_help("report this: the store cannot seal what it could not verify")));
        }
        let fail = |e: rusqlite::Error| StoreFailure::one(StoreError::io(&file, &e));
        tx.execute(
            "INSERT OR IGNORE INTO rulesets (hash, name, text) VALUES (?1, ?2, ?3)",
            params![
                ruleset.hash(),
                ruleset.source().name(),
                ruleset.source().text()
            ],
        )
        .map_err(fail)?;
        tx.execute(
            "INSERT INTO seals (seq, ruleset_id, period, ruleset_hash, engine, sealed_at, as_of, units, discretion, record_count, results, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                row.info.seq,
                row.info.ruleset,
                row.info.period,
                row.info.ruleset_hash,
                row.info.engine,
                row.info.sealed_at,
                row.info.as_of,
                row.units,
                row.discretion,
                row.info.records,
                row.results,
                row.info.prev_hash,
                row.info.hash
            ],
        )
        .map_err(fail)?;
        if !row.inputs.is_empty() {
            tx.execute(
                "INSERT INTO seal_inputs (seal, inputs) VALUES (?1, ?2)",
                params![row.info.seq, row.inputs],
            )
            .map_err(fail)?;
        }
        {
            let mut insert = tx
                .prepare("INSERT INTO records (seal, position, record) VALUES (?1, ?2, ?3)")
                .map_err(fail)?;
            for (position, record) in row.records.iter().enumerate() {
                insert
                    .execute(params![
                        row.info.seq,
                        i64::try_from(position).unwrap_or(i64::MAX),
                        record
                    ])
                    .map_err(fail)?;
            }
        }
        tx.commit().map_err(fail)?;
        Ok(Sealed {
            seal: row.info,
            evaluation,
        })
    }

    /// Re-checks the whole database: the chain (each seal's hash over its
    /// content and the previous hash; no seal missing), each stored ruleset
    /// against its hash, and each sealed period re-evaluated from the stored
    /// records, units, discretionary orders and evaluation date, compared
    /// byte for byte with the stored results. With `rulesets`, a seal's
    /// ruleset is taken from them (by hash) instead of the stored copy.
    ///
    /// Never fails: a database that cannot be read is an error in the audit.
    pub fn audit(&self) -> Audit {
        self.audit_from(None)
    }

    /// [`Store::audit`], evaluating each seal under the ruleset of `rulesets`
    /// with its hash (`kaohe::store::ruleset_missing` when none has it).
    pub fn audit_with(&self, rulesets: &[Ruleset]) -> Audit {
        self.audit_from(Some(rulesets))
    }

    fn audit_from(&self, given: Option<&[Ruleset]>) -> Audit {
        let view = StoreView { file: &self.file };
        let mut audit = Audit {
            file: self.file.clone(),
            seals: Vec::new(),
            head: GENESIS.to_owned(),
            errors: Vec::new(),
        };
        let rows = match self.rows(None) {
            Ok(rows) => rows,
            Err(failure) => {
                audit.errors.extend(failure.store_errors());
                return audit;
            }
        };
        match self.orphans() {
            Ok(orphans) => {
                for seal in orphans {
                    audit.errors.push(
                        StoreError::new(
                            "kaohe::store::chain_broken",
                            &self.file,
                            format!("records of seal #{seal} remain, but seal #{seal} is gone: a seal was deleted"),
                        )
                        .at_seal(seal),
                    );
                }
            }
            Err(failure) => audit.errors.extend(failure.store_errors()),
        }
        let stored = match self.stored_rulesets() {
            Ok(stored) => stored,
            Err(failure) => {
                audit.errors.extend(failure.store_errors());
                BTreeMap::new()
            }
        };
        let mut expected_prev = GENESIS.to_owned();
        let mut expected_seq = 1;
        for (index, row) in rows.iter().enumerate() {
            let mut errors = Vec::new();
            let info = &row.info;
            if info.seq != expected_seq {
                let missing = if info.seq == expected_seq + 1 {
                    format!("seal #{expected_seq} is missing")
                } else {
                    format!("seals #{expected_seq} to #{} are missing", info.seq - 1)
                };
                errors.push(
                    StoreError::new(
                        "kaohe::store::chain_broken",
                        &self.file,
                        format!("{missing} before {}: a seal was deleted", info.describe()),
                    )
                    .at_seal(info.seq),
                );
            }
            if info.prev_hash != expected_prev {
                errors.push(
                    StoreError::new(
                        "kaohe::store::chain_broken",
                        &self.file,
                        format!(
                            "{} links to {} but the seal before it has {}: a seal was deleted, or a hash edited",
                            info.describe(),
                            short(&info.prev_hash),
                            short(&expected_prev)
                        ),
                    )
                    .at_seal(info.seq),
                );
            }
            let recomputed = chain_hash(row);
            if recomputed != info.hash {
                errors.push(tampered(
                    &self.file,
                    info,
                    &format!("its content does not match its hash (recomputed {}): a record, a result or another field was edited, or the hash itself", short(&recomputed)),
                ));
            }
            if usize::try_from(info.records).ok() != Some(row.records.len()) {
                errors.push(tampered(
                    &self.file,
                    info,
                    &format!(
                        "it counts {} records but {} are stored: a record row was added or deleted",
                        info.records,
                        row.records.len()
                    ),
                ));
            }
            let found = given.map(|g| g.iter().find(|r| r.hash() == info.ruleset_hash));
            let ruleset = match found {
                Some(Some(r)) => Some(r.clone()),
                Some(None) => {
                    errors.push(
                        StoreError::new(
                            "kaohe::store::ruleset_missing",
                            &self.file,
                            format!(
                                "no ruleset given has the hash of the ruleset of {} ({})",
                                info.describe(),
                                short(&info.ruleset_hash)
                            ),
                        )
                        .with_help(
                            "pass the folder holding the ruleset file the period was sealed under",
                        )
                        .at_seal(info.seq),
                    );
                    None
                }
                None => match stored.get(&info.ruleset_hash) {
                    Some((name, text)) if sha256(text.as_bytes()) == info.ruleset_hash => {
                        match Ruleset::from_source(SourceFile::new(name.clone(), text.clone())) {
                            Ok(r) => Some(r),
                            Err(_) => {
                                errors.push(tampered(
                                    &self.file,
                                    info,
                                    "its stored ruleset does not check",
                                ));
                                None
                            }
                        }
                    }
                    Some(_) => {
                        errors.push(tampered(&self.file, info, "its stored ruleset text does not match the ruleset hash: the ruleset text was edited"));
                        None
                    }
                    None => {
                        errors.push(tampered(
                            &self.file,
                            info,
                            "its ruleset text is missing from the database",
                        ));
                        None
                    }
                },
            };
            if let Some(ruleset) = ruleset {
                let same: Vec<&SealRow> = rows
                    .get(..=index)
                    .unwrap_or_default()
                    .iter()
                    .filter(|r| r.info.ruleset == info.ruleset)
                    .collect();
                if let Some(problem) = view.reevaluate(&ruleset, &same, row) {
                    let mut error = StoreError::new(
                        "kaohe::store::results_differ",
                        &self.file,
                        format!("re-evaluating {} from its stored records {problem}", info.describe()),
                    )
                    .with_help("the stored records, units or results were edited, or the engine changed since the seal");
                    if info.engine != engine() {
                        error.message.push_str(&format!(
                            " (sealed by {}, now {})",
                            info.engine,
                            engine()
                        ));
                    }
                    errors.push(error.at_seal(info.seq));
                }
            }
            audit.seals.push(AuditedSeal {
                seal: info.clone(),
                ok: errors.is_empty(),
            });
            audit.errors.extend(errors);
            expected_prev = info.hash.clone();
            expected_seq = info.seq + 1;
        }
        audit.head = expected_prev;
        audit
    }

    fn orphans(&self) -> Result<Vec<i64>, StoreFailure> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT seal FROM records WHERE seal NOT IN (SELECT seq FROM seals) ORDER BY seal")
            .map_err(|e| self.io(&e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, i64>(0))
            .map_err(|e| self.io(&e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.io(&e))
    }

    fn stored_rulesets(&self) -> Result<BTreeMap<String, (String, String)>, StoreFailure> {
        let mut stmt = self
            .conn
            .prepare("SELECT hash, name, text FROM rulesets")
            .map_err(|e| self.io(&e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                ))
            })
            .map_err(|e| self.io(&e))?;
        rows.collect::<Result<BTreeMap<_, _>, _>>()
            .map_err(|e| self.io(&e))
    }
}

/// What re-evaluation needs of a store: its name for messages.
struct StoreView<'a> {
    file: &'a str,
}

impl StoreView<'_> {
    fn evaluate_over(
        &self,
        ruleset: &Ruleset,
        facts: &Facts,
        rows: &[SealRow],
        supplied: &BTreeMap<String, serde_json::Value>,
    ) -> Result<Evaluated, StoreFailure> {
        self.evaluate_detail(
            ruleset,
            facts,
            rows,
            &kaohe::EvalOptions::default(),
            supplied,
        )
    }

    /// The inputs an evaluation over `rows` reads, checked against the
    /// ruleset's declarations (errors as the store's, with their JSON path).
    fn inputs(
        &self,
        ruleset: &Ruleset,
        supplied: &BTreeMap<String, serde_json::Value>,
        rows: &[&SealRow],
    ) -> Result<(Inputs, BTreeMap<String, serde_json::Value>), StoreFailure> {
        let merged = merged_inputs(supplied, rows);
        let inputs = Inputs::from_json(ruleset, &merged).map_err(|errors| {
            StoreFailure::Store(
                errors
                    .into_iter()
                    .map(|e| {
                        let mut error = StoreError::new(e.code, self.file, e.message);
                        error.help = e.help;
                        error.path = Some(e.path);
                        error
                    })
                    .collect(),
            )
        })?;
        Ok((inputs, merged))
    }

    fn evaluate_detail(
        &self,
        ruleset: &Ruleset,
        facts: &Facts,
        rows: &[SealRow],
        options: &kaohe::EvalOptions,
        supplied: &BTreeMap<String, serde_json::Value>,
    ) -> Result<Evaluated, StoreFailure> {
        // A seal edited by hand is not used (`rulec verify` tells more).
        let tampered_rows: Vec<StoreError> = rows
            .iter()
            .filter(|r| chain_hash(r) != r.info.hash)
            .map(|r| {
                tampered(
                    self.file,
                    &r.info,
                    "its content does not match its hash, so it is not used; nothing was evaluated",
                )
            })
            .collect();
        if !tampered_rows.is_empty() {
            return Err(StoreFailure::Store(tampered_rows));
        }
        // A unit of a seal that the facts no longer list: the sealed records
        // about it cannot be read back, and the period cannot keep its
        // results. Said as such, not as one unreadable record per record.
        let missing_units: Vec<StoreError> = rows
            .iter()
            .filter_map(|row| {
                let sealed: Vec<serde_json::Value> = serde_json::from_str(&row.units).ok()?;
                let missing: Vec<String> = sealed
                    .iter()
                    .filter_map(|u| u.get("id").and_then(serde_json::Value::as_str))
                    .filter(|id| !facts.units.iter().any(|u| u.id.as_str() == *id))
                    .map(|id| format!("`{id}`"))
                    .collect();
                (!missing.is_empty()).then(|| {
                    StoreError::new(
                        "kaohe::store::sealed_result_differs",
                        self.file,
                        format!(
                            "period {} is sealed with units the facts do not list: {}; nothing was evaluated",
                            row.info.period,
                            missing.join(", ")
                        ),
                    )
                    .with_help("a sealed period never changes: keep every unit it was sealed with in `units` of the facts")
                    .at_seal(row.info.seq)
                })
            })
            .collect();
        if !missing_units.is_empty() {
            return Err(StoreFailure::Store(missing_units));
        }
        let (inputs, merged) = self.inputs(ruleset, supplied, &rows.iter().collect::<Vec<_>>())?;
        let substituted = self.substitute(ruleset, facts, rows)?;
        let mut evaluation = ruleset
            .evaluate_with_inputs(&substituted.facts, &kaohe::EvalOptions::default(), &inputs)
            .map_err(StoreFailure::Eval)?;
        let mut differs = Vec::new();
        for row in rows {
            let Ok(period) = row.info.period.parse::<Period>() else {
                continue;
            };
            if period_results(&evaluation, period) != row.results {
                differs.push(self.differs(ruleset, facts, row));
            }
        }
        if !differs.is_empty() {
            return Err(StoreFailure::Store(differs));
        }
        if options.detail != kaohe::Detail::Full {
            evaluation = ruleset
                .evaluate_with_inputs(&substituted.facts, options, &inputs)
                .map_err(StoreFailure::Eval)?;
        }
        evaluation.rejected.extend(substituted.rejected);
        Ok(Evaluated {
            evaluation,
            inputs,
            merged,
        })
    }

    fn differs(&self, ruleset: &Ruleset, facts: &Facts, row: &SealRow) -> StoreError {
        let mut causes = Vec::new();
        if ruleset.hash() != row.info.ruleset_hash {
            causes.push(format!(
                "the ruleset has changed since (now {}, sealed under {})",
                short(ruleset.hash()),
                short(&row.info.ruleset_hash)
            ));
        }
        if serde_json::to_string(&facts.units).unwrap_or_default() != row.units {
            causes.push("the units differ from the sealed ones".to_owned());
        }
        if facts.as_of.to_string() != row.info.as_of {
            causes.push(format!(
                "the evaluation date differs (now {}, sealed at {}): a result that depends on it, such as `overdue`, changes",
                facts.as_of, row.info.as_of
            ));
        }
        let because = if causes.is_empty() {
            String::new()
        } else {
            format!(": {}", causes.join("; "))
        };
        StoreError::new(
            "kaohe::store::sealed_result_differs",
            self.file,
            format!(
                "period {} would get other results than {} holds{because}; nothing was evaluated",
                row.info.period,
                row.info.describe()
            ),
        )
        .with_help("a sealed period never changes: evaluate with the ruleset and units it was sealed under (`rulec verify` re-checks the seal itself)")
        .at_seal(row.info.seq)
    }

    /// The submitted facts with every closed period's records replaced by the
    /// sealed ones, and the records that contradict a seal.
    fn substitute(
        &self,
        ruleset: &Ruleset,
        facts: &Facts,
        rows: &[SealRow],
    ) -> Result<Substituted, StoreFailure> {
        let mut sealed: BTreeMap<Period, &SealRow> = BTreeMap::new();
        for row in rows {
            let period = row.info.period.parse::<Period>().map_err(|_| {
                StoreFailure::one(tampered(self.file, &row.info, "its period is not a period"))
            })?;
            sealed.insert(period, row);
        }
        let last = sealed.keys().next_back().copied();
        // The sealed records still to be matched, per period: text → count.
        let mut unmatched: BTreeMap<Period, BTreeMap<&str, usize>> = BTreeMap::new();
        for (period, row) in &sealed {
            let texts = unmatched.entry(*period).or_default();
            for record in &row.records {
                *texts.entry(record.as_str()).or_default() += 1;
            }
        }
        let mut kept: Vec<serde_json::Value> = Vec::with_capacity(facts.records.len());
        let mut rejected = Vec::new();
        // Records of a sealed period submitted changed: their sealed version
        // is not also listed as removed.
        let mut changed_ids: BTreeSet<(Period, (String, String, String))> = BTreeSet::new();
        for record in &facts.records {
            let bearing = ruleset.bearing_period(record);
            if last.is_none_or(|last| bearing > last) {
                kept.push(serde_json::to_value(record).unwrap_or_default());
                continue;
            }
            let text = record_json(record);
            let Some(row) = sealed.get(&bearing) else {
                // Closed by a later seal.
                let closing = sealed
                    .range(bearing..)
                    .next()
                    .map(|(_, r)| r.info.describe())
                    .unwrap_or_default();
                rejected.push(RejectedRecord {
                    record: reference(record),
                    unit: record.unit.clone(),
                    reason: format!(
                        "period {bearing} was closed by {closing}, which sealed a later period: the record was not applied"
                    ),
                    clauses: no_clauses(),
                });
                continue;
            };
            let matched = unmatched
                .get_mut(&bearing)
                .and_then(|texts| texts.get_mut(text.as_str()))
                .filter(|n| **n > 0);
            if let Some(n) = matched {
                *n -= 1;
                continue;
            }
            let changed = record.id.is_some()
                && row
                    .records
                    .iter()
                    .any(|stored| identity(stored) == Some(identity_of(record)));
            if changed {
                changed_ids.insert((bearing, identity_of(record)));
            }
            rejected.push(RejectedRecord {
                record: reference(record),
                unit: record.unit.clone(),
                reason: format!(
                    "contradicts {}: period {bearing} is sealed and this record is not one of its records ({}); the sealed records apply",
                    row.info.describe(),
                    if changed { "changed" } else { "added" }
                ),
                clauses: no_clauses(),
            });
        }
        // Sealed records missing from the submission: removed, still applied.
        let mut removed = Vec::new();
        for (period, texts) in &unmatched {
            let Some(row) = sealed.get(period) else {
                continue;
            };
            for (text, n) in texts {
                if identity(text).is_some_and(|id| changed_ids.contains(&(*period, id))) {
                    continue;
                }
                for _ in 0..*n {
                    removed.push((row, *text));
                }
            }
        }
        for (row, text) in removed {
            let record = self.stored_record(ruleset, facts, row, text)?;
            rejected.push(RejectedRecord {
                record: reference(&record),
                unit: record.unit.clone(),
                reason: format!(
                    "missing from the submitted facts but sealed by {}: removing a sealed record is not allowed, it still applies",
                    row.info.describe()
                ),
                clauses: no_clauses(),
            });
        }
        // Discretionary orders of closed periods come from the seals.
        let mut discretion = serde_json::Map::new();
        for (period, order) in &facts.discretion {
            let closed =
                period.is_unit(ruleset.period_unit()) && last.is_some_and(|l| *period <= l);
            if !closed {
                discretion.insert(period.to_string(), serde_json::json!(order));
                continue;
            }
            let stored = sealed
                .get(period)
                .and_then(|row| serde_json::from_str::<Option<Vec<String>>>(&row.discretion).ok())
                .flatten();
            if stored.as_ref() != Some(order) {
                let mut error = StoreError::new(
                    "kaohe::store::contradicts_seal",
                    self.file,
                    format!(
                        "the discretionary order of period {period} differs from the sealed one{}",
                        sealed
                            .get(period)
                            .map(|r| format!(" ({})", r.info.describe()))
                            .unwrap_or_else(|| " (the period is closed by a later seal)".to_owned())
                    ),
                )
                .with_help(
                    "leave the sealed period's discretionary order out, or give the sealed one",
                );
                error.path = Some(kaohe::facts::member_path(
                    "$.discretion",
                    &period.to_string(),
                ));
                if let Some(row) = sealed.get(period) {
                    error = error.at_seal(row.info.seq);
                }
                return Err(StoreFailure::one(error));
            }
        }
        let mut periods: BTreeSet<String> = facts.periods.iter().map(ToString::to_string).collect();
        for (period, row) in &sealed {
            periods.insert(period.to_string());
            for text in &row.records {
                let value: serde_json::Value = serde_json::from_str(text).map_err(|_| {
                    StoreFailure::one(tampered(self.file, &row.info, "a record is not JSON"))
                })?;
                kept.push(value);
            }
            if let Ok(Some(order)) = serde_json::from_str::<Option<Vec<String>>>(&row.discretion) {
                discretion.insert(period.to_string(), serde_json::json!(order));
            }
        }
        let json = serde_json::json!({
            "as_of": facts.as_of.to_string(),
            "periods": periods,
            "units": facts.units,
            "records": kept,
            "discretion": discretion,
        });
        let mut facts = self.reread(ruleset, &json.to_string(), rows.last().map(|r| &r.info))?;
        // Their places are in the JSON put together here, not in the file
        // submitted: an error about a record names its id, not a wrong path.
        for record in &mut facts.records {
            record.source = kaohe::facts::SourceIndex(None);
        }
        rejected.sort_by(|a, b| {
            (a.record.period, &a.unit, &a.reason).cmp(&(b.record.period, &b.unit, &b.reason))
        });
        Ok(Substituted { facts, rejected })
    }

    /// Reads facts the store put together; an error there means a stored
    /// record no longer fits the ruleset (a tampered row, or another ruleset).
    fn reread(
        &self,
        ruleset: &Ruleset,
        json: &str,
        seal: Option<&SealInfo>,
    ) -> Result<Facts, StoreFailure> {
        let limits = kaohe::Limits {
            max_fact_bytes: usize::MAX,
            max_records: usize::MAX,
            max_units: usize::MAX,
            ..kaohe::Limits::default()
        };
        Facts::from_json_within(ruleset, json, &limits).map_err(|errors: FactErrors| {
            StoreFailure::Store(
                errors
                    .errors
                    .iter()
                    .map(|e| {
                        let mut error = StoreError::new(
                            "kaohe::store::unreadable_seal",
                            self.file,
                            format!(
                                "the sealed records do not fit the ruleset: {}: {}",
                                e.path, e.message
                            ),
                        )
                        .with_help("the database was edited by hand, or the ruleset's record kinds changed since the seal: run `rulec verify`");
                        if let Some(seal) = seal {
                            error = error.at_seal(seal.seq);
                        }
                        error
                    })
                    .collect(),
            )
        })
    }

    fn stored_record(
        &self,
        ruleset: &Ruleset,
        facts: &Facts,
        row: &SealRow,
        text: &str,
    ) -> Result<Record, StoreFailure> {
        let json = serde_json::json!({
            "as_of": facts.as_of.max(row.info.as_of.parse().unwrap_or(facts.as_of)).to_string(),
            "units": serde_json::from_str::<serde_json::Value>(&row.units).unwrap_or_default(),
            "records": [serde_json::from_str::<serde_json::Value>(text).unwrap_or_default()],
        });
        let facts = self.reread(ruleset, &json.to_string(), Some(&row.info))?;
        facts
            .records
            .into_iter()
            .next()
            .ok_or_else(|| StoreFailure::one(tampered(self.file, &row.info, "a record is missing")))
    }

    /// Re-evaluates `row`'s period from the seals `upto` (those of its
    /// ruleset up to and including it) at `row`'s evaluation date with its
    /// units; `None` when the results are the stored ones byte for byte,
    /// otherwise what differs.
    fn reevaluate(&self, ruleset: &Ruleset, upto: &[&SealRow], row: &SealRow) -> Option<String> {
        let Ok(period) = row.info.period.parse::<Period>() else {
            return Some("fails: its period is not a period".to_owned());
        };
        let mut records = Vec::new();
        let mut periods = Vec::new();
        let mut discretion = serde_json::Map::new();
        for seal in upto {
            periods.push(seal.info.period.clone());
            for text in &seal.records {
                match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(v) => records.push(v),
                    Err(_) => {
                        return Some(format!(
                            "fails: a record of seal #{} is not JSON",
                            seal.info.seq
                        ))
                    }
                }
            }
            if let Ok(Some(order)) = serde_json::from_str::<Option<Vec<String>>>(&seal.discretion) {
                discretion.insert(seal.info.period.clone(), serde_json::json!(order));
            }
        }
        let Ok(units) = serde_json::from_str::<serde_json::Value>(&row.units) else {
            return Some("fails: its units are not JSON".to_owned());
        };
        let json = serde_json::json!({
            "as_of": row.info.as_of,
            "periods": periods,
            "units": units,
            "records": records,
            "discretion": discretion,
        });
        let limits = kaohe::Limits {
            max_fact_bytes: usize::MAX,
            max_records: usize::MAX,
            max_units: usize::MAX,
            ..kaohe::Limits::default()
        };
        let facts = match Facts::from_json_within(ruleset, &json.to_string(), &limits) {
            Ok(facts) => facts,
            Err(errors) => {
                let first = errors
                    .errors
                    .first()
                    .map(|e| format!("{}: {}", e.path, e.message))
                    .unwrap_or_default();
                return Some(format!("fails: the stored facts do not read: {first}"));
            }
        };
        // What the sealed periods read, from the seals alone.
        let inputs = match self.inputs(ruleset, &BTreeMap::new(), upto) {
            Ok((inputs, _)) => inputs,
            Err(failure) => {
                let first = failure
                    .store_errors()
                    .first()
                    .map(|e| e.message.clone())
                    .unwrap_or_default();
                return Some(format!("fails: its inputs do not read: {first}"));
            }
        };
        let evaluation =
            match ruleset.evaluate_with_inputs(&facts, &kaohe::EvalOptions::default(), &inputs) {
                Ok(e) => e,
                Err(e) => return Some(format!("fails: {}", e.message)),
            };
        let recomputed = period_results(&evaluation, period);
        if recomputed == row.results {
            return None;
        }
        Some(format!(
            "gives other results than stored (first difference at byte {})",
            recomputed
                .bytes()
                .zip(row.results.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| recomputed.len().min(row.results.len()))
        ))
    }
}

/// An evaluation over the seals, with the inputs it read (checked, and as
/// JSON with the sealed periods' sub-results put in).
struct Evaluated {
    evaluation: Evaluation,
    inputs: Inputs,
    merged: BTreeMap<String, serde_json::Value>,
}

/// The period (`"2026-05"`) of a result or ranking of an evaluation JSON.
fn period_of(item: &serde_json::Value) -> Option<String> {
    match item.get("period")? {
        serde_json::Value::String(p) => Some(p.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The results or rankings (`key`) of an evaluation JSON.
fn items<'j>(
    json: &'j serde_json::Value,
    key: &str,
) -> impl Iterator<Item = &'j serde_json::Value> {
    json.get(key)
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
}

/// `supplied` with, for each input, the results and rankings of every period
/// sealed in `rows` replaced by the sealed ones (an input sealed and not
/// supplied is taken from the seals alone).
fn merged_inputs(
    supplied: &BTreeMap<String, serde_json::Value>,
    rows: &[&SealRow],
) -> BTreeMap<String, serde_json::Value> {
    let mut merged = supplied.clone();
    for row in rows {
        // A stored value that is not an object of evaluations was edited:
        // its hash tells (`kaohe::store::tampered`).
        let Ok(serde_json::Value::Object(stored)) =
            serde_json::from_str::<serde_json::Value>(&row.inputs)
        else {
            continue;
        };
        for (name, sealed) in stored {
            let entry = merged.entry(name).or_insert_with(|| sealed.clone());
            for key in ["results", "rankings"] {
                let kept: Vec<serde_json::Value> = items(entry, key)
                    .filter(|r| period_of(r).as_deref() != Some(row.info.period.as_str()))
                    .chain(items(&sealed, key))
                    .cloned()
                    .collect();
                if let Some(object) = entry.as_object_mut() {
                    object.insert(key.to_owned(), serde_json::Value::Array(kept));
                }
            }
        }
    }
    merged
}

/// What a seal of `period` stores of its inputs: for each input, its
/// provenance (`ruleset`, `facts`) and its results and rankings of the
/// period, with the fields the main evaluation reads. Empty without inputs.
fn inputs_of_period(merged: &BTreeMap<String, serde_json::Value>, period: Period) -> String {
    if merged.is_empty() {
        return String::new();
    }
    let label = period.to_string();
    let pick = |item: &serde_json::Value, keys: &[&str]| {
        let mut out = serde_json::Map::new();
        for key in keys {
            if let Some(v) = item.get(*key) {
                out.insert((*key).to_owned(), v.clone());
            }
        }
        serde_json::Value::Object(out)
    };
    let mut out = serde_json::Map::new();
    for (name, json) in merged {
        let of_period = |key: &str, keys: &[&str]| {
            items(json, key)
                .filter(|r| period_of(r).as_deref() == Some(label.as_str()))
                .map(|r| {
                    let mut picked = pick(r, keys);
                    // A ranking's entries: only who is ranked.
                    if let Some(entries) = r.get("entries").and_then(serde_json::Value::as_array) {
                        if let Some(object) = picked.as_object_mut() {
                            object.insert(
                                "entries".to_owned(),
                                entries.iter().map(|e| pick(e, &["unit"])).collect(),
                            );
                        }
                    }
                    picked
                })
                .collect::<Vec<_>>()
        };
        out.insert(
            name.clone(),
            serde_json::json!({
                "ruleset": pick(json.get("ruleset").unwrap_or(&serde_json::Value::Null), &["id", "title", "hash"]),
                "facts": pick(json.get("facts").unwrap_or(&serde_json::Value::Null), &["as_of", "hash"]),
                "results": of_period("results", &["unit", "period", "total", "total_exact", "rank", "provisional"]),
                "rankings": of_period("rankings", &["ranking", "period", "provisional"]),
            }),
        );
    }
    serde_json::Value::Object(out).to_string()
}

/// The provenance of the inputs a seal stores (none for an empty or
/// unreadable value).
fn provenance(inputs: &str) -> Vec<SealedInput> {
    let Ok(serde_json::Value::Object(stored)) = serde_json::from_str::<serde_json::Value>(inputs)
    else {
        return Vec::new();
    };
    let text = |v: &serde_json::Value, pointer: &str| {
        v.pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    stored
        .iter()
        .map(|(name, v)| SealedInput {
            input: name.clone(),
            ruleset: text(v, "/ruleset/id"),
            ruleset_hash: text(v, "/ruleset/hash"),
            facts_hash: text(v, "/facts/hash"),
        })
        .collect()
}

fn tampered(file: &str, info: &SealInfo, what: &str) -> StoreError {
    StoreError::new(
        "kaohe::store::tampered",
        file,
        format!("{}: {what}", info.describe()),
    )
    .with_help("the database was changed outside kaohe; restore it from a backup and compare")
    .at_seal(info.seq)
}

fn read_rows(conn: &Connection, ruleset_id: Option<&str>) -> Result<Vec<SealRow>, rusqlite::Error> {
    let mut stmt = conn.prepare(
        "SELECT seq, ruleset_id, period, ruleset_hash, engine, sealed_at, as_of, units, discretion, record_count, results, prev_hash, hash FROM seals WHERE ?1 IS NULL OR ruleset_id = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt
        .query_map(params![ruleset_id], |r| {
            Ok(SealRow {
                info: SealInfo {
                    seq: r.get(0)?,
                    ruleset: r.get(1)?,
                    period: r.get(2)?,
                    ruleset_hash: r.get(3)?,
                    engine: r.get(4)?,
                    sealed_at: r.get(5)?,
                    as_of: r.get(6)?,
                    records: r.get(9)?,
                    prev_hash: r.get(11)?,
                    hash: r.get(12)?,
                    inputs: Vec::new(),
                },
                units: r.get(7)?,
                discretion: r.get(8)?,
                results: r.get(10)?,
                records: Vec::new(),
                inputs: String::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut records =
        conn.prepare("SELECT record FROM records WHERE seal = ?1 ORDER BY position")?;
    // Seals made before inputs could be sealed have no row here.
    let mut inputs = conn.prepare("SELECT inputs FROM seal_inputs WHERE seal = ?1")?;
    for row in &mut rows {
        row.records = records
            .query_map(params![row.info.seq], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        row.inputs = inputs
            .query_row(params![row.info.seq], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default();
        row.info.inputs = provenance(&row.inputs);
    }
    Ok(rows)
}

impl From<EvalError> for StoreFailure {
    fn from(e: EvalError) -> Self {
        StoreFailure::Eval(e)
    }
}

impl ToErrorRecords for StoreError {
    fn error_records(&self) -> Vec<ErrorRecord> {
        let mut record = ErrorRecord::new(self.code, self.message.clone());
        record.help = self.help.clone();
        record.location = match &self.path {
            Some(path) => Location::Path {
                file: None,
                path: path.clone(),
                line: None,
                column: None,
            },
            None => Location::File {
                file: self.file.clone(),
            },
        };
        vec![record]
    }
}
