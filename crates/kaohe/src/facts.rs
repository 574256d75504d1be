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
use crate::ruleset::{sha256_hex, Ruleset};
use crate::suggest;
use crate::syntax::ast::{Field, TypeRef};
use crate::value::Value;

/// A unit being assessed (a lead unit, a township, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Its id, unique in the fact file.
    pub id: String,
    /// Its display name, e.g. `市教育局`.
    pub name: String,
    /// Its group, declared by the ruleset.
    pub group: String,
    /// Its attributes, as its group declares them.
    #[serde(serialize_with = "values_as_json")]
    pub attributes: BTreeMap<String, Value>,
}

/// One fact about a unit in a period: a record of a declared kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// Optional id; records of an amendable ruleset with the same id replace each other.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The unit's id.
    pub unit: String,
    /// The period the fact is about.
    pub period: Period,
    /// The record kind.
    pub kind: String,
    /// How many occurrences it stands for (default 1).
    pub count: u32,
    /// The day it was reported to the office.
    pub reported: Date,
    /// Its attributes, as its kind declares them.
    #[serde(serialize_with = "values_as_json")]
    pub attributes: BTreeMap<String, Value>,
    /// Set by evaluation when a late record was carried into the period it
    /// arrived in (`late carried`): the period it was about. Never in fact files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<Period>,
}

fn values_as_json<S: serde::Serializer>(
    values: &BTreeMap<String, Value>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let map: BTreeMap<&String, Json> = values.iter().map(|(k, v)| (k, v.to_json())).collect();
    map.serialize(serializer)
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
        let over = |path: &str, what: String, limit: &str, value: usize| FactErrors {
            errors: vec![FactError {
                path: path.to_owned(),
                message: format!("{what} over the limit `{limit}` = {value}"),
            }],
        };
        if text.len() > limits.max_fact_bytes {
            return Err(over(
                "$",
                format!("the fact file's {} bytes are", text.len()),
                "max_fact_bytes",
                limits.max_fact_bytes,
            ));
        }
        let json: Json = serde_json::from_str(text).map_err(|e| FactErrors {
            errors: vec![FactError {
                path: "$".to_owned(),
                message: format!("not valid JSON: {e}"),
            }],
        })?;
        for (key, limit, name) in [
            ("records", limits.max_records, "max_records"),
            ("units", limits.max_units, "max_units"),
        ] {
            let count = json.get(key).and_then(Json::as_array).map_or(0, Vec::len);
            if count > limit {
                return Err(over(
                    &format!("$.{key}"),
                    format!("{count} {key} are"),
                    name,
                    limit,
                ));
            }
        }
        let mut validator = Validator {
            ruleset,
            errors: Vec::new(),
        };
        let facts = validator.facts(&json);
        match facts {
            Some(facts) if validator.errors.is_empty() => Ok(facts),
            _ => Err(FactErrors {
                errors: validator.errors,
            }),
        }
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
}

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

    fn facts(&mut self, json: &Json) -> Option<Facts> {
        let top = self.object(json, "$")?;
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
        let units = self.units(top.get("units"));
        let unit_ids: BTreeMap<String, String> = units
            .iter()
            .map(|u| (u.id.clone(), u.group.clone()))
            .collect();
        let periods = self.periods(top.get("periods"));
        let records = self.records(top.get("records"), &unit_ids, as_of);
        let discretion = self.discretion(top.get("discretion"), &unit_ids);
        let as_of = as_of?;

        let mut units = units;
        units.sort_by(|a, b| a.id.cmp(&b.id));
        let mut records = records;
        records.sort_by(record_order);
        let mut facts = Facts {
            as_of,
            periods,
            units,
            records,
            discretion,
            hash: String::new(),
        };
        let canonical = serde_json::to_vec(&facts).unwrap_or_default();
        facts.hash = sha256_hex(&canonical);
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
                    id,
                    name,
                    group,
                    attributes,
                });
            }
        }
        units
    }

    fn records(
        &mut self,
        json: Option<&Json>,
        units: &BTreeMap<String, String>,
        as_of: Option<Date>,
    ) -> Vec<Record> {
        let items = self.array(json, "$.records", true);
        let mut records = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("$.records[{i}]");
            let Some(object) = self.object(item, &path) else {
                continue;
            };
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
                ],
                &path,
            );
            let unit = self.string(object, "unit", &path).map(str::to_owned);
            if let Some(u) = &unit {
                if !units.contains_key(u) {
                    let help = suggest::did_you_mean(u, units.keys().map(String::as_str))
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
                Some(Json::Number(n)) => {
                    match n.as_u64().and_then(|c| u32::try_from(c).ok()) {
                        Some(c) => Some(c),
                        None => {
                            self.error(
                            &format!("{path}.count"),
                            format!("expected a whole number of occurrences, 0 or more, found `{n}`"),
                        );
                            None
                        }
                    }
                }
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
                Some(Json::String(s)) if !s.is_empty() => Some(Some(s.clone())),
                Some(other) => {
                    self.error(
                        &format!("{path}.id"),
                        format!("expected a non-empty string, found {}", describe(other)),
                    );
                    None
                }
            };
            let kind = self.string(object, "kind", &path).map(str::to_owned);
            let Some(kind) = kind else { continue };
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
                continue;
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
            ) = (unit, period, reported, count, id, attributes)
            {
                records.push(Record {
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
        }
        records
    }

    fn discretion(
        &mut self,
        json: Option<&Json>,
        units: &BTreeMap<String, String>,
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
                    Some(id) if units.contains_key(id) => {
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
    ) -> Option<BTreeMap<String, Value>> {
        let empty = Map::new();
        let object = match json {
            None => &empty,
            Some(j) => self.object(j, path)?,
        };
        let before = self.errors.len();
        let mut values = BTreeMap::new();
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
                    values.insert(name.clone(), Value::Absent);
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
                        values.insert(name.clone(), value);
                    }
                }
            }
        }
        (self.errors.len() == before).then_some(values)
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
            ("text", Json::String(s)) => Some(Value::Text(s.clone())),
            ("bool", Json::Bool(b)) => Some(Value::Bool(*b)),
            ("integer" | "decimal" | "date" | "text" | "bool", _) => None,
            (levels, Json::String(s)) => self.ruleset.levels(levels).and_then(|l| {
                l.levels
                    .iter()
                    .find(|d| &d.name.name == s || d.label.as_ref().is_some_and(|lb| &lb.text == s))
                    .map(|d| Value::Level(d.name.name.clone()))
            }),
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
    )
        .cmp(&(
            &b.period,
            &b.unit,
            &b.kind,
            &b.reported,
            &b.id,
            &b.attributes,
            b.count,
        ))
}
