//! Fact files: the JSON an office supplies for a ruleset (units, records, the
//! evaluation date, discretionary orders), validated against the ruleset's input
//! declarations. Validation reports every problem at once, each with a JSON path
//! and what was expected; a fact file with any problem is not evaluated.
//!
//! The format is documented in `docs/facts.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::date::Date;
use crate::limits::Limits;
use crate::period::Period;
use crate::ruleset::{hex_digest, Ruleset};
use crate::suggest;
use crate::syntax::ast::{Field, TypeRef};
use crate::text::{Attributes, Interner, Text};
use crate::value::Value;

/// A unit being assessed (a lead unit, a township, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Its id, unique in the fact file.
    pub id: Text,
    /// Its display name, e.g. `市教育局`.
    pub name: Text,
    /// Its group, declared by the ruleset.
    pub group: Text,
    /// Its attributes, as its group declares them.
    pub attributes: Attributes,
}

/// One fact about a unit in a period: a record of a declared kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// Optional id; records of an amendable ruleset with the same id replace each other.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Text>,
    /// The unit's id.
    pub unit: Text,
    /// The period the fact is about.
    pub period: Period,
    /// The record kind.
    pub kind: Text,
    /// How many occurrences it stands for (default 1).
    pub count: u32,
    /// The day it was reported to the office.
    pub reported: Date,
    /// Its attributes, as its kind declares them.
    pub attributes: Attributes,
    /// Set by evaluation when a late record was carried into the period it
    /// arrived in (`late carried`): the period it was about. Never in fact files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<Period>,
    /// The order of versions of one record (same `id`) reported on the same
    /// day, under an amendable ruleset: the higher revision replaces the lower
    /// (issue 12 §4). JSON key `revision`, a whole number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Validated facts, in canonical order (units by id, records sorted), so that
/// nothing downstream depends on the order of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// The evaluation date: rectification deadlines and seals are judged at it.
    pub as_of: Date,
    /// Periods to evaluate even if they have no records.
    pub periods: Vec<Period>,
    /// Units, sorted by id.
    pub units: Vec<Unit>,
    /// Records, in canonical order.
    pub records: Vec<Record>,
    /// The office's discretionary order per period (`"2023-07"`) or year (`"2023"`), best first.
    pub discretion: BTreeMap<Period, Vec<String>>,
    #[serde(skip)]
    hash: String,
}

impl Facts {
    /// `sha256:` and the digest of the canonical (sorted) form: the same for any
    /// order of the input's units and records.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The unit with this id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units
            .binary_search_by(|u| u.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.units.get(i))
    }

    /// The position of the unit with this id in [`Facts::units`].
    pub fn unit_index(&self, id: &str) -> Option<usize> {
        self.units.binary_search_by(|u| u.id.as_str().cmp(id)).ok()
    }

    /// Reads and validates a fact file for `ruleset` within the default [`Limits`].
    pub fn from_json(ruleset: &Ruleset, text: &str) -> Result<Facts, FactErrors> {
        Facts::from_json_within(ruleset, text, &Limits::default())
    }

    /// Reads and validates a fact file for `ruleset` within `limits` (file
    /// size, number of units and records).
    pub fn from_json_within(
        ruleset: &Ruleset,
        text: &str,
        limits: &Limits,
    ) -> Result<Facts, FactErrors> {
        if text.len() > limits.max_fact_bytes {
            return Err(over_size(text.len(), limits));
        }
        let top = if text.trim_start().starts_with('{') {
            TopLevel::Object
        } else {
            TopLevel::Other
        };
        Facts::read(
            ruleset,
            serde_json::Deserializer::from_str(text),
            top,
            limits,
        )
    }

    /// Reads and validates a fact file from `reader` (a file, a socket) within
    /// the default [`Limits`], without holding the file's text in memory:
    /// records are validated as they stream in.
    pub fn from_reader(ruleset: &Ruleset, reader: impl std::io::Read) -> Result<Facts, FactErrors> {
        Facts::from_reader_within(ruleset, reader, &Limits::default())
    }

    /// [`Facts::from_reader`] within `limits`; reading stops as soon as the
    /// input passes `max_fact_bytes`.
    pub fn from_reader_within(
        ruleset: &Ruleset,
        reader: impl std::io::Read,
        limits: &Limits,
    ) -> Result<Facts, FactErrors> {
        use std::io::BufRead as _;
        let read = std::cell::Cell::new(0usize);
        let mut reader = std::io::BufReader::with_capacity(
            1 << 16,
            Limited {
                inner: reader,
                read: &read,
                max: limits.max_fact_bytes,
            },
        );
        let not_read = |e: std::io::Error| {
            if read.get() > limits.max_fact_bytes {
                over_size(read.get(), limits)
            } else {
                not_json(serde_json::Error::io(e))
            }
        };
        // The first byte that is not white space says whether records can stream.
        let top = loop {
            let buffer = reader.fill_buf().map_err(not_read)?;
            if buffer.is_empty() {
                break TopLevel::Other;
            }
            let blank = buffer
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            let first = buffer.get(blank).copied();
            reader.consume(blank);
            match first {
                Some(b'{') => break TopLevel::Object,
                Some(_) => break TopLevel::Other,
                None => continue,
            }
        };
        let result = Facts::read(
            ruleset,
            serde_json::Deserializer::from_reader(reader),
            top,
            limits,
        );
        if read.get() > limits.max_fact_bytes {
            return Err(over_size(read.get(), limits));
        }
        result
    }

    fn read<'de, R: serde_json::de::Read<'de>>(
        ruleset: &Ruleset,
        mut deserializer: serde_json::Deserializer<R>,
        top: TopLevel,
        limits: &Limits,
    ) -> Result<Facts, FactErrors> {
        let over = |path: &str, what: String, limit: &str, value: usize| FactErrors {
            errors: vec![FactError {
                path: path.to_owned(),
                message: format!("{what} over the limit `{limit}` = {value}"),
            }],
        };
        let mut validator = Validator {
            ruleset,
            errors: Vec::new(),
            unit_ids_seen: BTreeSet::new(),
            // Records share the ruleset's kind texts (the engine finds kinds by pointer).
            interner: Interner::with_texts(ruleset.kinds().iter().cloned()),
            versions: BTreeMap::new(),
        };
        // An object is read member by member, records one at a time, so a
        // province-scale file never becomes one JSON tree in memory.
        let (top, streamed) = match top {
            TopLevel::Object => validator
                .stream(&mut deserializer, limits)
                .map_err(not_json)?,
            TopLevel::Other => {
                let json = <Json as serde::Deserialize>::deserialize(&mut deserializer)
                    .and_then(|json| deserializer.end().map(|()| json))
                    .map_err(not_json)?;
                let Some(top) = validator.object(&json, "$").cloned() else {
                    return Err(FactErrors {
                        errors: validator.errors,
                    });
                };
                (top, None)
            }
        };
        let record_count = streamed.as_ref().map_or_else(
            || {
                top.get("records")
                    .and_then(Json::as_array)
                    .map_or(0, Vec::len)
            },
            |s| s.count,
        );
        let unit_count = top
            .get("units")
            .and_then(Json::as_array)
            .map_or(0, Vec::len);
        for (count, key, limit, name) in [
            (record_count, "records", limits.max_records, "max_records"),
            (unit_count, "units", limits.max_units, "max_units"),
        ] {
            if count > limit {
                return Err(over(
                    &format!("$.{key}"),
                    format!("{count} {key} are"),
                    name,
                    limit,
                ));
            }
        }
        let facts = validator.facts(&top, streamed);
        match facts {
            Some(facts) if validator.errors.is_empty() => Ok(facts),
            _ => Err(FactErrors {
                errors: validator.errors,
            }),
        }
    }
}

/// Whether a fact file's top level is an object (whose records stream) or
/// something else (read whole, to report what it is).
#[derive(Clone, Copy)]
enum TopLevel {
    Object,
    Other,
}

fn not_json(e: serde_json::Error) -> FactErrors {
    FactErrors {
        errors: vec![FactError {
            path: "$".to_owned(),
            message: format!("not valid JSON: {e}"),
        }],
    }
}

fn over_size(bytes: usize, limits: &Limits) -> FactErrors {
    FactErrors {
        errors: vec![FactError {
            path: "$".to_owned(),
            message: format!(
                "the fact file's {bytes} bytes are over the limit `max_fact_bytes` = {}",
                limits.max_fact_bytes
            ),
        }],
    }
}

/// A reader that fails once more than `max` bytes came through.
struct Limited<'c, R> {
    inner: R,
    read: &'c std::cell::Cell<usize>,
    max: usize,
}

impl<R: std::io::Read> std::io::Read for Limited<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buffer)?;
        self.read.set(self.read.get().saturating_add(n));
        if self.read.get() > self.max {
            return Err(std::io::Error::other("over max_fact_bytes"));
        }
        Ok(n)
    }
}

/// One problem in a fact file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{path}: {message}")]
pub struct FactError {
    /// Where, as a JSON path: `$.records[3].attributes.tier`.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

/// Every problem found in a fact file (never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactErrors {
    /// The problems, in the order of the file.
    pub errors: Vec<FactError>,
}

impl fmt::Display for FactErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the fact file has {} error(s)", self.errors.len())?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FactErrors {}

struct Validator<'r> {
    ruleset: &'r Ruleset,
    errors: Vec<FactError>,
    /// Every unit id in `$.units`, also of units with errors of their own, so
    /// records naming them are not reported as naming an unknown unit.
    unit_ids_seen: BTreeSet<String>,
    /// Unit ids, kinds, attribute names and text values, shared.
    interner: Interner,
    /// (unit, id) → every valid record with that id: its position in
    /// `$.records`, its `reported` day and its `revision`.
    versions: BTreeMap<(Text, Text), Vec<Version>>,
}

/// A version of a record with an `id`: its position in `$.records`, its
/// `reported` day and its `revision`.
type Version = (usize, Date, Option<u32>);

fn describe(json: &Json) -> String {
    match json {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => format!("`{b}`"),
        Json::Number(n) => format!("`{n}`"),
        Json::String(s) => format!("\"{s}\""),
        Json::Array(_) => "an array".to_owned(),
        Json::Object(_) => "an object".to_owned(),
    }
}

impl Validator<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(FactError {
            path: path.to_owned(),
            message: message.into(),
        });
    }

    fn object<'j>(&mut self, json: &'j Json, path: &str) -> Option<&'j Map<String, Json>> {
        let object = json.as_object();
        if object.is_none() {
            self.error(
                path,
                format!("expected an object, found {}", describe(json)),
            );
        }
        object
    }

    /// Reports keys of `object` not in `allowed`.
    fn only_keys(&mut self, object: &Map<String, Json>, allowed: &[&str], path: &str) {
        for key in object.keys() {
            if !allowed.contains(&key.as_str()) {
                let help = suggest::did_you_mean(key, allowed.iter().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                self.error(
                    &format!("{path}.{key}"),
                    format!(
                        "unexpected field `{key}` (expected one of {}){help}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn string<'j>(
        &mut self,
        object: &'j Map<String, Json>,
        key: &str,
        path: &str,
    ) -> Option<&'j str> {
        match object.get(key) {
            Some(Json::String(s)) if !s.trim().is_empty() => Some(s),
            Some(other) => {
                self.error(
                    &format!("{path}.{key}"),
                    format!("expected a non-empty string, found {}", describe(other)),
                );
                None
            }
            None => {
                self.error(path, format!("missing field `{key}`"));
                None
            }
        }
    }

    fn date(&mut self, json: &Json, path: &str) -> Option<Date> {
        match json.as_str().map(Date::from_str) {
            Some(Ok(date)) => Some(date),
            _ => {
                self.error(
                    path,
                    format!("expected a date \"YYYY-MM-DD\", found {}", describe(json)),
                );
                None
            }
        }
    }

    /// Validates the top-level members; records (and the units they refer to)
    /// may already have been validated while streaming.
    fn facts(&mut self, top: &Map<String, Json>, streamed: Option<Streamed>) -> Option<Facts> {
        self.only_keys(
            top,
            &[
                "description",
                "as_of",
                "periods",
                "units",
                "records",
                "discretion",
            ],
            "$",
        );
        if let Some(d) = top.get("description") {
            if !d.is_string() {
                self.error(
                    "$.description",
                    format!("expected a string, found {}", describe(d)),
                );
            }
        }
        let as_of = match top.get("as_of") {
            Some(j) => self.date(j, "$.as_of"),
            None => {
                self.error("$", "missing field `as_of` (the evaluation date)");
                None
            }
        };
        let (units, streamed) = match streamed {
            Some(mut s) => {
                self.errors.append(&mut s.unit_errors);
                (std::mem::take(&mut s.units), Some(s))
            }
            None => (self.units(top.get("units")), None),
        };
        let unit_ids: BTreeMap<Text, Text> = units
            .iter()
            .map(|u| (u.id.clone(), u.group.clone()))
            .collect();
        let periods = self.periods(top.get("periods"));
        let records = match streamed {
            Some(s) => {
                self.errors.extend(s.errors);
                s.records
            }
            None => self.records(top.get("records"), &unit_ids, as_of),
        };
        self.same_day_versions();
        let discretion = self.discretion(top.get("discretion"), &unit_ids);
        let as_of = as_of?;

        let mut units = units;
        units.sort_by(|a, b| a.id.cmp(&b.id));
        let mut records = records;
        // In place, without a scratch copy of half the records (64 MB for a
        // province-year): records that compare equal agree in every field,
        // so which of them comes first cannot show.
        records.sort_unstable_by(record_order);
        let mut facts = Facts {
            as_of,
            periods,
            units,
            records,
            discretion,
            hash: String::new(),
        };
        facts.hash = canonical_hash(&facts);
        Some(facts)
    }

    fn array<'j>(&mut self, json: Option<&'j Json>, path: &str, required: bool) -> &'j [Json] {
        match json {
            Some(Json::Array(items)) => items,
            Some(other) => {
                self.error(
                    path,
                    format!("expected an array, found {}", describe(other)),
                );
                &[]
            }
            None => {
                if required {
                    let (parent, key) = path.rsplit_once('.').unwrap_or(("$", path));
                    self.error(parent, format!("missing field `{key}`"));
                }
                &[]
            }
        }
    }

    fn periods(&mut self, json: Option<&Json>) -> Vec<Period> {
        let items = self.array(json, "$.periods", false);
        let mut periods = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(p) = self.period(item, &format!("$.periods[{i}]")) {
                periods.insert(p);
            }
        }
        periods.into_iter().collect()
    }

    fn period(&mut self, json: &Json, path: &str) -> Option<Period> {
        let unit = self.ruleset.period_unit();
        let expected = match unit {
            crate::syntax::ast::PeriodUnit::Month => "a month \"YYYY-MM\"",
            crate::syntax::ast::PeriodUnit::Quarter => "a quarter \"YYYY-Qn\"",
        };
        let period = json.as_str().and_then(|s| Period::from_str(s).ok());
        let Some(period) = period.filter(|p| p.is_unit(unit)) else {
            self.error(
                path,
                format!("expected {expected}, found {}", describe(json)),
            );
            return None;
        };
        if let Some((from, to)) = self.ruleset.effective() {
            if period.end() < from || period.start() > to {
                self.error(
                    path,
                    format!(
                        "period {period} is outside the ruleset's effective range {from} to {to}"
                    ),
                );
                return None;
            }
        }
        Some(period)
    }

    fn units(&mut self, json: Option<&Json>) -> Vec<Unit> {
        let items = self.array(json, "$.units", true);
        let mut units: Vec<Unit> = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("$.units[{i}]");
            let Some(object) = self.object(item, &path) else {
                continue;
            };
            self.only_keys(object, &["id", "name", "group", "attributes"], &path);
            let id = self.string(object, "id", &path).map(str::to_owned);
            let name = self.string(object, "name", &path).map(str::to_owned);
            let group = self.string(object, "group", &path).map(str::to_owned);
            if let Some(id) = &id {
                if let Some(first) = seen.get(id) {
                    self.error(
                        &format!("{path}.id"),
                        format!("duplicate unit id `{id}` (first used at $.units[{first}])"),
                    );
                    continue;
                }
                seen.insert(id.clone(), i);
                self.unit_ids_seen.insert(id.clone());
            }
            let Some(group) = group else { continue };
            let ruleset = self.ruleset;
            let Some(decl) = ruleset.group(&group) else {
                let names: Vec<&str> = self
                    .ruleset
                    .groups()
                    .map(|g| g.name.name.as_str())
                    .collect();
                let help = suggest::did_you_mean(&group, names.iter().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                self.error(
                    &format!("{path}.group"),
                    format!(
                        "unknown group `{group}` (expected one of {}){help}",
                        names.join(", ")
                    ),
                );
                continue;
            };
            let fields = &decl.attributes;
            let attributes = self.attributes(
                object.get("attributes"),
                fields,
                &format!("{path}.attributes"),
            );
            if let (Some(id), Some(name), Some(attributes)) = (id, name, attributes) {
                units.push(Unit {
                    id: self.interner.intern(&id),
                    name: Text::from(name),
                    group: self.interner.intern(&group),
                    attributes,
                });
            }
        }
        units
    }

    fn records(
        &mut self,
        json: Option<&Json>,
        units: &BTreeMap<Text, Text>,
        as_of: Option<Date>,
    ) -> Vec<Record> {
        let items = self.array(json, "$.records", true);
        let mut records = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(record) = self.record(i, item, Some(units), as_of) {
                records.push(record);
            }
        }
        records
    }

    /// Validates `$.records[i]`.
    fn record(
        &mut self,
        i: usize,
        item: &Json,
        units: Option<&BTreeMap<Text, Text>>,
        as_of: Option<Date>,
    ) -> Option<Record> {
        let path = format!("$.records[{i}]");
        let object = self.object(item, &path)?;
        self.only_keys(
            object,
            &[
                "id",
                "unit",
                "period",
                "kind",
                "count",
                "reported",
                "attributes",
                "revision",
            ],
            &path,
        );
        let unit = self
            .string(object, "unit", &path)
            .map(|u| self.interner.intern(u));
        if let (Some(u), Some(units)) = (&unit, units) {
            if !units.contains_key(u.as_str()) && !self.unit_ids_seen.contains(u.as_str()) {
                let help = suggest::did_you_mean(u, units.keys().map(Text::as_str))
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                self.error(
                    &format!("{path}.unit"),
                    format!("unknown unit `{u}` (not in $.units){help}"),
                );
            }
        }
        let period = match object.get("period") {
            Some(j) => self.period(j, &format!("{path}.period")),
            None => {
                self.error(&path, "missing field `period`");
                None
            }
        };
        let reported = match object.get("reported") {
            Some(j) => self.date(j, &format!("{path}.reported")),
            None => {
                self.error(
                    &path,
                    "missing field `reported` (the day the fact reached the office)",
                );
                None
            }
        };
        if let (Some(reported), Some(as_of)) = (reported, as_of) {
            if reported > as_of {
                self.error(
                    &format!("{path}.reported"),
                    format!("reported {reported} is after the evaluation date `as_of` {as_of}"),
                );
            }
        }
        let count = match object.get("count") {
            None => Some(1),
            Some(Json::Number(n)) => match n.as_u64().and_then(|c| u32::try_from(c).ok()) {
                Some(c) => Some(c),
                None => {
                    self.error(
                        &format!("{path}.count"),
                        format!("expected a whole number of occurrences, 0 or more, found `{n}`"),
                    );
                    None
                }
            },
            Some(other) => {
                self.error(
                    &format!("{path}.count"),
                    format!(
                        "expected a whole number of occurrences, 0 or more, found {}",
                        describe(other)
                    ),
                );
                None
            }
        };
        let id = match object.get("id") {
            None => Some(None),
            Some(Json::String(s)) if !s.is_empty() => Some(Some(Text::from(s))),
            Some(other) => {
                self.error(
                    &format!("{path}.id"),
                    format!("expected a non-empty string, found {}", describe(other)),
                );
                None
            }
        };
        let revision = match object.get("revision") {
            None => Some(None),
            Some(Json::Number(n)) => match n.as_u64().and_then(|r| u32::try_from(r).ok()) {
                Some(r) => Some(Some(r)),
                None => {
                    self.error(
                        &format!("{path}.revision"),
                        format!("expected a whole number (0 or more) ordering same-day versions, found `{n}`"),
                    );
                    None
                }
            },
            Some(other) => {
                self.error(
                    &format!("{path}.revision"),
                    format!(
                        "expected a whole number (0 or more) ordering same-day versions, found {}",
                        describe(other)
                    ),
                );
                None
            }
        };
        let kind = self.string(object, "kind", &path)?;
        let kind = self.interner.intern(kind);
        let ruleset = self.ruleset;
        let Some(decl) = ruleset.record(&kind) else {
            let names: Vec<&str> = self
                .ruleset
                .records()
                .map(|r| r.name.name.as_str())
                .collect();
            let help = suggest::did_you_mean(&kind, names.iter().copied())
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            self.error(
                &format!("{path}.kind"),
                format!("unknown record kind `{kind}`{help}"),
            );
            return None;
        };
        let fields = &decl.fields;
        let attributes = self.attributes(
            object.get("attributes"),
            fields,
            &format!("{path}.attributes"),
        );
        if let (
            Some(unit),
            Some(period),
            Some(reported),
            Some(count),
            Some(id),
            Some(attributes),
            Some(revision),
        ) = (unit, period, reported, count, id, attributes, revision)
        {
            let amendable = self.ruleset.period().is_some_and(|p| p.amendable.is_some());
            if let (Some(id), true) = (&id, amendable) {
                self.versions
                    .entry((unit.clone(), id.clone()))
                    .or_default()
                    .push((i, reported, revision));
            }
            return Some(Record {
                revision,
                id,
                unit,
                period,
                kind,
                count,
                reported,
                attributes,
                carried_from: None,
            });
        }
        None
    }

    /// Under an amendable ruleset, two versions of one record (same unit and
    /// `id`) reported on the same day must state their order with distinct
    /// `revision`s; otherwise which one applies would be a silent choice
    /// (issue 12 §4). Each such pair is an error at the later one's path,
    /// naming both.
    fn same_day_versions(&mut self) {
        let amendable = self.ruleset.period().is_some_and(|p| p.amendable.is_some());
        if !amendable {
            return;
        }
        let mut found = Vec::new();
        for ((unit, id), versions) in &self.versions {
            for (k, (j, reported, revision)) in versions.iter().enumerate() {
                let clash = versions.iter().take(k).find(|(_, day, other)| {
                    day == reported && (revision.is_none() || other.is_none() || other == revision)
                });
                if let Some((i, _, other)) = clash {
                    let why = match (other, revision) {
                        (Some(a), Some(b)) if a == b => format!("both have revision {a}"),
                        _ => "the day alone does not say which is the correction".to_owned(),
                    };
                    found.push(FactError {
                        path: format!("$.records[{j}]"),
                        message: format!(
                            "$.records[{i}] and $.records[{j}] are two versions of record `{id}` of unit `{unit}` reported on the same day {reported}, and {why}; give each a distinct `revision` (the higher one applies) or remove the wrong one"
                        ),
                    });
                }
            }
        }
        self.errors.extend(found);
    }

    fn discretion(
        &mut self,
        json: Option<&Json>,
        units: &BTreeMap<Text, Text>,
    ) -> BTreeMap<Period, Vec<String>> {
        let mut out = BTreeMap::new();
        let Some(json) = json else { return out };
        let Some(object) = self.object(json, "$.discretion") else {
            return out;
        };
        for (key, value) in object {
            let path = format!("$.discretion.{key}");
            let Ok(period) = Period::from_str(key) else {
                self.error(&path, format!("expected a period (\"YYYY-MM\", \"YYYY-Qn\" or \"YYYY\") as key, found \"{key}\""));
                continue;
            };
            let items = self.array(Some(value), &path, true);
            let mut order: Vec<String> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                match item.as_str() {
                    Some(id) if units.contains_key(id) || self.unit_ids_seen.contains(id) => {
                        if order.iter().any(|o| o == id) {
                            self.error(&item_path, format!("unit `{id}` is listed twice"));
                        } else {
                            order.push(id.to_owned());
                        }
                    }
                    Some(id) => {
                        self.error(&item_path, format!("unknown unit `{id}` (not in $.units)"))
                    }
                    None => self.error(
                        &item_path,
                        format!("expected a unit id, found {}", describe(item)),
                    ),
                }
            }
            out.insert(period, order);
        }
        out
    }

    /// Validates an attributes object against declared fields: every required
    /// field present, no extra field, every value of its type.
    fn attributes(
        &mut self,
        json: Option<&Json>,
        fields: &[Field],
        path: &str,
    ) -> Option<Attributes> {
        let empty = Map::new();
        let object = match json {
            None => &empty,
            Some(j) => self.object(j, path)?,
        };
        let before = self.errors.len();
        let mut values = Vec::with_capacity(fields.len());
        for key in object.keys() {
            if !fields.iter().any(|f| &f.name.name == key) {
                let names: Vec<&str> = fields.iter().map(|f| f.name.name.as_str()).collect();
                let help = suggest::did_you_mean(key, names.iter().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                let expected = if names.is_empty() {
                    "this kind declares no attributes".to_owned()
                } else {
                    format!("declared: {}", names.join(", "))
                };
                self.error(
                    &format!("{path}.{key}"),
                    format!("unexpected attribute `{key}` ({expected}){help}"),
                );
            }
        }
        for field in fields {
            let name = &field.name.name;
            let field_path = format!("{path}.{name}");
            match object.get(name) {
                None | Some(Json::Null) if field.ty.optional => {
                    values.push((self.interner.intern(name), Value::Absent));
                }
                None => self.error(
                    path,
                    format!(
                        "missing attribute `{name}` ({})",
                        self.type_description(&field.ty)
                    ),
                ),
                Some(json) => {
                    if let Some(value) = self.value(json, &field.ty, &field_path) {
                        values.push((self.interner.intern(name), value));
                    }
                }
            }
        }
        (self.errors.len() == before).then(|| values.into_iter().collect())
    }

    fn type_description(&self, ty: &TypeRef) -> String {
        match ty.name.name.as_str() {
            "integer" => "a whole number".to_owned(),
            "decimal" => "a number".to_owned(),
            "date" => "a date \"YYYY-MM-DD\"".to_owned(),
            "text" => "a string".to_owned(),
            "bool" => "true or false".to_owned(),
            levels => {
                let names: Vec<String> = self
                    .ruleset
                    .levels(levels)
                    .map(|l| {
                        l.levels
                            .iter()
                            .map(|d| match &d.label {
                                Some(label) => format!("{} ({})", d.name.name, label.text),
                                None => d.name.name.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                format!("one of {}", names.join(", "))
            }
        }
    }

    fn value(&mut self, json: &Json, ty: &TypeRef, path: &str) -> Option<Value> {
        let value = match (ty.name.name.as_str(), json) {
            ("integer", Json::Number(n)) => Decimal::from_str_exact(&n.to_string())
                .ok()
                .filter(|d| d.fract().is_zero())
                .map(Value::Number),
            ("decimal", Json::Number(n)) => Decimal::from_str_exact(&n.to_string())
                .ok()
                .map(Value::Number),
            ("decimal", Json::String(s)) => Decimal::from_str_exact(s).ok().map(Value::Number),
            ("date", Json::String(s)) => Date::from_str(s).ok().map(Value::Date),
            ("text", Json::String(s)) => Some(Value::Text(self.interner.intern(s))),
            ("bool", Json::Bool(b)) => Some(Value::Bool(*b)),
            ("integer" | "decimal" | "date" | "text" | "bool", _) => None,
            (levels, Json::String(s)) => {
                let ruleset = self.ruleset;
                ruleset
                    .levels(levels)
                    .and_then(|l| {
                        l.levels.iter().find(|d| {
                            &d.name.name == s || d.label.as_ref().is_some_and(|lb| &lb.text == s)
                        })
                    })
                    .map(|d| Value::Level(self.interner.intern(&d.name.name)))
            }
            _ => None,
        };
        if value.is_none() {
            let expected = self.type_description(ty);
            self.error(
                path,
                format!("expected {expected}, found {}", describe(json)),
            );
        }
        value
    }
}

/// The canonical order of records: by period, unit, kind, reported date, id, then attributes.
fn record_order(a: &Record, b: &Record) -> std::cmp::Ordering {
    (
        &a.period,
        &a.unit,
        &a.kind,
        &a.reported,
        &a.id,
        &a.attributes,
        a.count,
        a.revision,
    )
        .cmp(&(
            &b.period,
            &b.unit,
            &b.kind,
            &b.reported,
            &b.id,
            &b.attributes,
            b.count,
            b.revision,
        ))
}

/// `sha256:` digest of the facts' canonical JSON, hashed as it is written
/// (a province-scale file is never held twice in memory).
fn canonical_hash(facts: &Facts) -> String {
    struct Hasher(sha2::Sha256);
    impl std::io::Write for Hasher {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            sha2::Digest::update(&mut self.0, bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hasher = Hasher(<sha2::Sha256 as sha2::Digest>::new());
    let _ = serde_json::to_writer(&mut hasher, facts);
    hex_digest(&sha2::Digest::finalize(hasher.0))
}

/// Units and records validated while the file streamed in, with their errors.
struct Streamed {
    units: Vec<Unit>,
    unit_errors: Vec<FactError>,
    records: Vec<Record>,
    errors: Vec<FactError>,
    /// How many records the file holds (also those past `max_records`).
    count: usize,
}

/// Records streamed before `units` or `as_of` were known: their position in
/// the file, for the checks made once those are read.
struct Deferred {
    records: Vec<Record>,
    positions: Vec<usize>,
    errors: Vec<FactError>,
    count: usize,
}

impl Validator<'_> {
    /// Validates the units, then checks the records streamed before them:
    /// their units exist and they were reported by `as_of`.
    fn finish_deferred(&mut self, top: &Map<String, Json>, d: Deferred) -> Streamed {
        let saved = std::mem::take(&mut self.errors);
        let units = self.units(top.get("units"));
        let unit_errors = std::mem::replace(&mut self.errors, saved);
        let ids: BTreeMap<&str, ()> = units.iter().map(|u| (u.id.as_str(), ())).collect();
        let as_of = top
            .get("as_of")
            .and_then(Json::as_str)
            .and_then(|s| Date::from_str(s).ok());
        let mut errors = d.errors;
        for (record, i) in d.records.iter().zip(&d.positions) {
            if !ids.contains_key(record.unit.as_str())
                && !self.unit_ids_seen.contains(record.unit.as_str())
            {
                let help = suggest::did_you_mean(&record.unit, ids.keys().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                errors.push(FactError {
                    path: format!("$.records[{i}].unit"),
                    message: format!("unknown unit `{}` (not in $.units){help}", record.unit),
                });
            }
            if let Some(as_of) = as_of.filter(|a| record.reported > *a) {
                errors.push(FactError {
                    path: format!("$.records[{i}].reported"),
                    message: format!(
                        "reported {} is after the evaluation date `as_of` {as_of}",
                        record.reported
                    ),
                });
            }
        }
        Streamed {
            units,
            unit_errors,
            records: d.records,
            errors,
            count: d.count,
        }
    }

    /// Reads the top-level object member by member: every member but
    /// `records` as JSON; the records one at a time, validated at once when
    /// `as_of` and `units` came before them (kept as JSON otherwise).
    fn stream<'de, R: serde_json::de::Read<'de>>(
        &mut self,
        deserializer: &mut serde_json::Deserializer<R>,
        limits: &Limits,
    ) -> Result<(Map<String, Json>, Option<Streamed>), serde_json::Error> {
        use serde::Deserializer as _;
        let out = (&mut *deserializer).deserialize_map(Top {
            validator: self,
            max_records: limits.max_records,
        })?;
        deserializer.end()?;
        Ok(out)
    }
}

struct Top<'v, 'r> {
    validator: &'v mut Validator<'r>,
    max_records: usize,
}

impl<'de> serde::de::Visitor<'de> for Top<'_, '_> {
    type Value = (Map<String, Json>, Option<Streamed>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a fact file: an object with as_of, units and records")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut top = Map::new();
        let mut streamed = None;
        let mut deferred = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "records" && !(top.contains_key("units") && top.contains_key("as_of")) {
                // Units or the evaluation date come later: validate the records
                // now, and check their units and dates once those are read.
                let saved = std::mem::take(&mut self.validator.errors);
                let (records, positions, count) = map.next_value_seed(RecordStream {
                    validator: &mut *self.validator,
                    units: None,
                    as_of: None,
                    max: self.max_records,
                })?;
                let errors = std::mem::replace(&mut self.validator.errors, saved);
                deferred = Some(Deferred {
                    records,
                    positions,
                    errors,
                    count,
                });
            } else if key == "records" {
                let as_of = top
                    .get("as_of")
                    .and_then(Json::as_str)
                    .and_then(|s| Date::from_str(s).ok());
                let saved = std::mem::take(&mut self.validator.errors);
                let units = self.validator.units(top.get("units"));
                let unit_errors = std::mem::take(&mut self.validator.errors);
                let unit_ids: BTreeMap<Text, Text> = units
                    .iter()
                    .map(|u| (u.id.clone(), u.group.clone()))
                    .collect();
                let (records, _, count) = map.next_value_seed(RecordStream {
                    validator: &mut *self.validator,
                    units: Some(&unit_ids),
                    as_of,
                    max: self.max_records,
                })?;
                let errors = std::mem::replace(&mut self.validator.errors, saved);
                streamed = Some(Streamed {
                    units,
                    unit_errors,
                    records,
                    errors,
                    count,
                });
            } else {
                let value: Json = map.next_value()?;
                top.insert(key, value);
            }
        }
        if let Some(d) = deferred {
            streamed = Some(self.validator.finish_deferred(&top, d));
        }
        Ok((top, streamed))
    }
}

struct RecordStream<'v, 'r> {
    validator: &'v mut Validator<'r>,
    units: Option<&'v BTreeMap<Text, Text>>,
    as_of: Option<Date>,
    max: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for RecordStream<'_, '_> {
    type Value = (Vec<Record>, Vec<usize>, usize);

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl RecordStream<'_, '_> {
    fn not_an_array(self, found: &str) -> (Vec<Record>, Vec<usize>, usize) {
        self.validator
            .error("$.records", format!("expected an array, found {found}"));
        (Vec::new(), Vec::new(), 0)
    }
}

impl<'de> serde::de::Visitor<'de> for RecordStream<'_, '_> {
    type Value = (Vec<Record>, Vec<usize>, usize);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut records = Vec::new();
        let mut positions = Vec::new();
        let mut count = 0usize;
        while count < self.max {
            let Some(item) = seq.next_element::<Json>()? else {
                return Ok((records, positions, count));
            };
            if let Some(record) = self.validator.record(count, &item, self.units, self.as_of) {
                records.push(record);
                positions.push(count);
            }
            count += 1;
        }
        // Past the limit: count the rest without keeping them.
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
            count += 1;
        }
        Ok((records, positions, count))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(self.not_an_array("an object"))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.not_an_array(&format!("\"{v}\"")))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.not_an_array(&format!("`{v}`")))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.not_an_array("null"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    fn miluo() -> Ruleset {
        Ruleset::from_source(SourceFile::new(
            "miluo-2026.rules",
            include_str!("../../../rulesets/miluo-2026/miluo-2026.rules"),
        ))
        .unwrap()
    }

    const UNITS: &str = r#""units": [{"id": "jtj", "name": "教体局", "group": "lead"}]"#;
    const RECORDS: &str = r#""records": [
        {"unit": "jtj", "period": "2026-04", "kind": "returned_entry", "reported": "2026-04-10", "attributes": {"entry": "a"}},
        {"unit": "jtjj", "period": "2026-04", "kind": "returned_entry", "reported": "2026-04-10", "attributes": {"entry": "b"}},
        {"unit": "jtj", "period": "2026-04", "kind": "returned_entry", "reported": "2026-06-01", "attributes": {"entry": "c"}}
    ]"#;

    #[test]
    fn member_order_does_not_change_what_is_reported() {
        let ruleset = miluo();
        let orders = [
            format!(r#"{{"as_of": "2026-05-01", {UNITS}, {RECORDS}}}"#),
            format!(r#"{{{RECORDS}, {UNITS}, "as_of": "2026-05-01"}}"#),
        ];
        for text in orders {
            let errors = Facts::from_json(&ruleset, &text).unwrap_err().errors;
            let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
            assert_eq!(
                paths,
                ["$.records[1].unit", "$.records[2].reported"],
                "{text}"
            );
            assert!(errors[0].message.contains("did you mean `jtj`"));
        }
        // And valid facts come out the same whatever the member order.
        let valid = |first: &str, second: &str| {
            Facts::from_json(
                &ruleset,
                &format!(r#"{{"as_of": "2026-06-10", {first}, {second}}}"#),
            )
            .unwrap()
        };
        let records = RECORDS.replace("jtjj", "jtj");
        let a = valid(UNITS, &records);
        let b = valid(&records, UNITS);
        assert_eq!(a, b);
        assert_eq!(a.hash(), b.hash());
        assert_eq!(a.records.len(), 3);
    }
}
