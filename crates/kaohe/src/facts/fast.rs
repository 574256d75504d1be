//! The fact reader's fast path (issue 15 §2): a record read straight from its
//! JSON text into a [`Record`], without an intermediate [`super::json::Node`]
//! and without formatting a JSON path for any value.
//!
//! It accepts only records the validator ([`Validator::record`]) would accept
//! without a single error, and builds the very same [`Record`] from them: a
//! key given twice, an unknown key, an escaped string, a number written as a
//! string, an unknown unit, kind or level, a value of the wrong type … make it
//! give up (`None`), and the record is read again by the validator, which
//! reports every problem with its path and message as before. Nothing here
//! constructs an error, so the error paths stay in one place.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::str::FromStr;

use serde::de::{Deserializer as _, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{is_space, Record, Validator};
use crate::date::Date;
use crate::period::Period;
use crate::syntax::ast::{PeriodUnit, TypeRef};
use crate::text::{Attributes, Text};
use crate::value::{exact_decimal, Value};

/// What the fast path needs of the ruleset, looked up once per file.
pub(super) struct Context {
    period_unit: PeriodUnit,
    effective: Option<(Date, Date)>,
    /// Per record kind (by index in `Ruleset::kinds`): whether its records
    /// need a decision ([`crate::Ruleset::decision_required`], which walks
    /// every rule), found for the first record of the kind.
    decisions: Vec<Cell<Option<bool>>>,
    /// The last period checked against the ruleset's effective range, and
    /// whether it is inside (records come in runs of one period).
    last_period: Cell<Option<(Period, bool)>>,
}

impl Context {
    pub(super) fn new(ruleset: &crate::Ruleset) -> Context {
        Context {
            period_unit: ruleset.period_unit(),
            effective: ruleset.effective(),
            decisions: vec![Cell::new(None); ruleset.kinds().len()],
            last_period: Cell::new(None),
        }
    }

    /// Whether `period` is a period of the ruleset, in its effective range.
    fn period_in_force(&self, period: Period) -> bool {
        if let Some((last, inside)) = self.last_period.get() {
            if last == period {
                return inside;
            }
        }
        let inside = period.is_unit(self.period_unit)
            && self
                .effective
                .is_none_or(|(from, to)| period.end() >= from && period.start() <= to);
        self.last_period.set(Some((period, inside)));
        inside
    }

    /// [`crate::Ruleset::decision_required`] for `kind`, remembered per kind.
    fn decision_required(&self, ruleset: &crate::Ruleset, kind: &str) -> bool {
        let Some(slot) = ruleset
            .kind_index_by_name(kind)
            .and_then(|i| self.decisions.get(i))
        else {
            return ruleset.decision_required(kind);
        };
        match slot.get() {
            Some(required) => required,
            None => {
                let required = ruleset.decision_required(kind);
                slot.set(Some(required));
                required
            }
        }
    }
}

/// The members of a record object, each as its raw JSON text.
#[derive(Default)]
struct Members<'a> {
    id: Option<&'a RawValue>,
    unit: Option<&'a RawValue>,
    period: Option<&'a RawValue>,
    kind: Option<&'a RawValue>,
    count: Option<&'a RawValue>,
    revision: Option<&'a RawValue>,
    reported: Option<&'a RawValue>,
    attributes: Option<&'a RawValue>,
}

/// Marker error: "not for the fast path" (the validator reads the record).
struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not for the fast path")
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
        let mut m = Members::default();
        // Keys with escapes are not borrowed strings: an error, so the
        // validator reads the record.
        while let Some(key) = map.next_key::<&'de str>()? {
            let slot = match key {
                "id" => &mut m.id,
                "unit" => &mut m.unit,
                "period" => &mut m.period,
                "kind" => &mut m.kind,
                "count" => &mut m.count,
                "revision" => &mut m.revision,
                "reported" => &mut m.reported,
                "attributes" => &mut m.attributes,
                _ => return Err(serde::de::Error::custom(GiveUp)),
            };
            if slot.is_some() {
                return Err(serde::de::Error::custom(GiveUp));
            }
            *slot = Some(map.next_value::<&'de RawValue>()?);
        }
        Ok(m)
    }
}

/// The members of an attributes object, in file order.
struct AttributeMembers<'a>(Vec<(&'a str, &'a RawValue)>);

struct AttributesVisitor;

impl<'de> Visitor<'de> for AttributesVisitor {
    type Value = AttributeMembers<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("attributes")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeMembers<'de>, A::Error> {
        let mut members: Vec<(&'de str, &'de RawValue)> = Vec::with_capacity(8);
        while let Some(key) = map.next_key::<&'de str>()? {
            if members.iter().any(|(k, _)| *k == key) {
                return Err(serde::de::Error::custom(GiveUp));
            }
            members.push((key, map.next_value::<&'de RawValue>()?));
        }
        Ok(AttributeMembers(members))
    }
}

/// The raw text of a value, without surrounding JSON white space.
fn text(raw: &RawValue) -> &str {
    raw.get().trim_matches([' ', '\t', '\r', '\n'])
}

/// A JSON string without escapes, as its contents.
fn plain_str(raw: &RawValue) -> Option<&str> {
    let inner = text(raw).strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// A non-empty string without leading or trailing white space (an id).
fn plain_id(raw: &RawValue) -> Option<&str> {
    let s = plain_str(raw)?;
    let first = s.chars().next()?;
    let last = s.chars().next_back()?;
    (!is_space(first) && !is_space(last)).then_some(s)
}

/// `count` or `revision` written as digits, 0 to `u32::MAX`.
fn plain_whole(raw: &RawValue) -> Option<u32> {
    let t = text(raw);
    if t.is_empty() || t.len() > 10 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<u32>().ok()
}

/// What the fast path reads a record with: the ruleset, the unit ids of
/// `$.units` and an interner. A [`Validator`] lends its own; each thread of
/// the chunked reader ([`super::chunked`]) has one of its own, seeded with the
/// ruleset's kind texts (the engine finds kinds by pointer).
pub(super) struct Fast<'a, 'r> {
    pub(super) ruleset: &'r crate::Ruleset,
    pub(super) unit_ids_seen: &'a std::collections::BTreeSet<String>,
    pub(super) interner: &'a mut crate::text::Interner,
}

impl Validator<'_> {
    /// `$.records[i]` read on the fast path, or `None` when the validator
    /// must read it (see the module docs). `units`: the known unit ids when
    /// `$.units` came before the records; `as_of` likewise.
    pub(super) fn fast_record(
        &mut self,
        context: &Context,
        i: usize,
        raw: &RawValue,
        units: Option<&BTreeMap<Text, Text>>,
        as_of: Option<Date>,
    ) -> Option<Record> {
        let record = Fast {
            ruleset: self.ruleset,
            unit_ids_seen: &self.unit_ids_seen,
            interner: &mut self.interner,
        }
        .record(context, i, raw.get(), units, as_of)?;
        self.add_version(i, &record);
        Some(record)
    }

    /// Notes a record read on the fast path among the versions of its id
    /// (the validator does the same for the records it reads).
    pub(super) fn add_version(&mut self, i: usize, record: &Record) {
        if let Some(id) = &record.id {
            self.versions
                .entry((record.unit.clone(), id.clone()))
                .or_default()
                .push((i, record.reported, record.revision));
        }
    }
}

impl Fast<'_, '_> {
    /// `$.records[i]`, whose JSON text is `raw` (one object, nothing around
    /// it), read on the fast path, or `None` when the validator must read it.
    /// The record's version is not noted ([`Validator::add_version`]).
    pub(super) fn record(
        &mut self,
        context: &Context,
        i: usize,
        raw: &str,
        units: Option<&BTreeMap<Text, Text>>,
        as_of: Option<Date>,
    ) -> Option<Record> {
        let mut deserializer = serde_json::Deserializer::from_str(raw);
        let m = (&mut deserializer).deserialize_map(MembersVisitor).ok()?;

        let unit = plain_id(m.unit?)?;
        if let Some(units) = units {
            if !units.contains_key(unit) && !self.unit_ids_seen.contains(unit) {
                return None;
            }
        }
        let period = Period::from_str(plain_str(m.period?)?).ok()?;
        if !context.period_in_force(period) {
            return None;
        }
        let reported = Date::from_str(plain_str(m.reported?)?).ok()?;
        if as_of.is_some_and(|as_of| reported > as_of) {
            return None;
        }
        let count = match m.count {
            None => 1,
            Some(raw) => plain_whole(raw)?,
        };
        let revision = match m.revision {
            None => None,
            Some(raw) => Some(plain_whole(raw)?),
        };
        let id = match m.id {
            // A revision without an id: the validator refuses it.
            None if revision.is_some() => return None,
            None => None,
            Some(raw) => Some(Text::from(plain_id(raw)?)),
        };
        let kind = plain_str(m.kind?)?;
        if kind.trim().is_empty() {
            return None;
        }
        let ruleset = self.ruleset;
        let decl = ruleset.record(kind)?;
        // A record a discretionary rule needs a decision for: the validator
        // says so (`decided` itself is not a member this path reads).
        if context.decision_required(ruleset, kind) {
            return None;
        }
        let attributes = self.fast_attributes(m.attributes, &decl.fields)?;
        let unit = self.interner.intern(unit);
        let kind = self.interner.intern(kind);
        Some(Record {
            id,
            unit,
            period,
            kind,
            count,
            revision,
            reported,
            attributes,
            decided: None,
            carried_from: None,
            source: super::SourceIndex(Some(i)),
        })
    }

    fn fast_attributes(
        &mut self,
        raw: Option<&RawValue>,
        fields: &[crate::syntax::ast::Field],
    ) -> Option<Attributes> {
        let members = match raw {
            None => AttributeMembers(Vec::new()),
            Some(raw) => {
                let mut deserializer = serde_json::Deserializer::from_str(raw.get());
                (&mut deserializer)
                    .deserialize_map(AttributesVisitor)
                    .ok()?
            }
        };
        // Every key declared (then, each being once, all are read below).
        if !members
            .0
            .iter()
            .all(|(k, _)| fields.iter().any(|f| f.name.name == *k))
        {
            return None;
        }
        let mut values = Vec::with_capacity(fields.len());
        for field in fields {
            let name = &field.name.name;
            let found = members.0.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
            let value = match found {
                None if field.ty.optional => Value::Absent,
                Some(raw) if field.ty.optional && text(raw) == "null" => Value::Absent,
                None => return None,
                Some(raw) => self.fast_value(raw, &field.ty)?,
            };
            values.push((self.interner.intern(name), value));
        }
        Some(values.into_iter().collect())
    }

    fn fast_value(&mut self, raw: &RawValue, ty: &TypeRef) -> Option<Value> {
        match ty.name.name.as_str() {
            name @ ("integer" | "decimal") => {
                let t = text(raw);
                let written = if t.starts_with('"') {
                    plain_str(raw)?
                } else {
                    t
                };
                let d = exact_decimal(written).ok()?;
                if name == "integer" && !d.fract().is_zero() {
                    return None;
                }
                Some(Value::Number(d))
            }
            "date" => Date::from_str(plain_str(raw)?).ok().map(Value::Date),
            "text" => {
                let s = plain_str(raw)?;
                Some(Value::Text(self.interner.intern(s)))
            }
            "bool" => match text(raw) {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            levels => {
                let s = plain_str(raw)?;
                let ruleset = self.ruleset;
                let level = ruleset.levels(levels)?.levels.iter().find(|d| {
                    d.name.name == s || d.label.as_ref().is_some_and(|lb| lb.text == s)
                })?;
                Some(Value::Level(self.interner.intern(&level.name.name)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use proptest::prelude::*;
    use serde_json::value::RawValue;

    use super::Context;
    use crate::date::Date;
    use crate::facts::json::Node;
    use crate::facts::Validator;
    use crate::text::Text;
    use crate::{Ruleset, SourceFile};

    fn shaodong() -> Ruleset {
        Ruleset::from_source(SourceFile::new(
            "shaodong-2023.rules",
            include_str!("../../../../rulesets/shaodong-2023/shaodong-2023.rules"),
        ))
        .unwrap()
    }

    fn validator(ruleset: &Ruleset) -> Validator<'_> {
        let mut validator = Validator::new(ruleset);
        validator.unit_ids_seen = BTreeSet::from(["lead-0".to_owned(), "lead-1".to_owned()]);
        validator
    }

    /// Both paths on one record text: the fast path may give up, but when it
    /// does not, the validator accepts the record without an error and
    /// builds the same record (and the same versions).
    fn same(ruleset: &Ruleset, text: &str, known: bool) -> Result<bool, TestCaseError> {
        let raw: Box<RawValue> = serde_json::from_str(text).unwrap();
        let units: BTreeMap<Text, Text> = [("lead-0", "lead"), ("lead-1", "lead")]
            .into_iter()
            .map(|(u, g)| (Text::from(u), Text::from(g)))
            .collect();
        let (units, as_of) = if known {
            (Some(&units), Date::new(2024, 1, 31))
        } else {
            (None, None)
        };
        let mut slow = validator(ruleset);
        let node = Node::from_raw(&raw).unwrap();
        let expected = slow.record(7, &node, units, as_of);
        let mut fast = validator(ruleset);
        let context = Context::new(ruleset);
        let Some(record) = fast.fast_record(&context, 7, &raw, units, as_of) else {
            return Ok(false);
        };
        prop_assert_eq!(&slow.errors, &Vec::new(), "{}", text);
        prop_assert_eq!(Some(record), expected, "{}", text);
        prop_assert_eq!(fast.versions, slow.versions, "{}", text);
        Ok(true)
    }

    const VALID: &str = r#"{"unit": "lead-0", "period": "2023-08", "kind": "media_report", "reported": "2023-08-05", "id": "m1", "count": 2, "attributes": {"work": "a", "tier": "central", "outlet": "x", "adopted": true}}"#;

    #[test]
    fn a_valid_record_takes_the_fast_path() {
        let ruleset = shaodong();
        assert!(same(&ruleset, VALID, true).unwrap());
        assert!(same(&ruleset, VALID, false).unwrap());
        let rank = r#"{"attributes": {"project": "p", "rank": "2", "ranked": 1.0E1}, "kind": "project_rank", "unit": "lead-1", "period": "2023-12", "reported": "2023-12-01", "id": "rank-1", "revision": 0}"#;
        assert!(same(&ruleset, rank, true).unwrap());
        let overdue = r#"{"unit": "lead-1", "period": "2023-09", "kind": "supervision", "reported": "2023-09-01", "attributes": {"detail": "d", "rectify_by": "2023-09-10", "rectified_on": null}}"#;
        assert!(same(&ruleset, overdue, true).unwrap());
    }

    fn member() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                r#""unit": "lead-0""#,
                r#""unit": "lead-1""#,
                r#""unit": "nope""#,
                r#""unit": " lead-0""#,
                r#""unit": "lead-0\u3000""#,
                r#""unit": "lead\u002d0""#,
                r#""unit": """#,
                r#""unit": 5"#,
            ]),
            prop::sample::select(vec![
                r#""period": "2023-08""#,
                r#""period": "2023-13""#,
                r#""period": "2023-Q3""#,
                r#""period": "2022-01""#,
                r#""period": "2023-8""#,
            ]),
            prop::sample::select(vec![
                r#""kind": "media_report""#,
                r#""kind": "project_rank""#,
                r#""kind": "supervision""#,
                r#""kind": "report""#,
                r#""kind": "instruction""#,
                r#""kind": "nope""#,
                r#""kind": " ""#,
            ]),
            prop::sample::select(vec![
                r#""reported": "2023-08-05""#,
                r#""reported": "2023-09-31""#,
                r#""reported": "2024-05-01""#,
                r#""reported": "2023/08/05""#,
            ]),
            prop::sample::select(vec![
                r#""count": 2"#,
                r#""count": "2""#,
                r#""count": 2.0"#,
                r#""count": -1"#,
                r#""count": -0"#,
                r#""count": 0"#,
                r#""count": 4294967295"#,
                r#""count": 4294967296"#,
                r#""count": 1e1"#,
                r#""count": null"#,
                r#""revision": 3"#,
                r#""revision": "3""#,
                r#""revision": true"#,
            ]),
            prop::sample::select(vec![
                r#""id": "r1""#,
                r#""id": """#,
                r#""id": " r1""#,
                r#""id": "r\"1""#,
                r#""id": 5"#,
                r#""extra": 1"#,
                r#""attributes": []"#,
            ]),
        ]
        .prop_map(str::to_owned)
    }

    fn attribute() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            r#""work": "a""#,
            r#""work": "a\"b""#,
            r#""work": 1"#,
            r#""tier": "central""#,
            r#""tier": "中央主要媒体""#,
            r#""tier": "nope""#,
            r#""outlet": "x""#,
            r#""adopted": true"#,
            r#""adopted": "true""#,
            r#""adopted": null"#,
            r#""project": "p""#,
            r#""rank": 1"#,
            r#""rank": "1""#,
            r#""rank": 1.5"#,
            r#""rank": 1.0"#,
            r#""rank": 99999999999999999999999999999999"#,
            r#""ranked": 10"#,
            r#""detail": "d""#,
            r#""rectify_by": "2023-08-10""#,
            r#""rectify_by": null"#,
            r#""rectify_by": "2023-8-10""#,
            r#""rectified_on": null"#,
            r#""rectified_on": "2023-08-20""#,
            r#""leader": "provincial""#,
            r#""leader": "省委省政府主要领导""#,
            r#""type": "brief""#,
            r#""due": "2023-08-03""#,
            r#""submitted": "2023-08-04""#,
            r#""zzz": 1"#,
        ])
    }

    /// Records of every kind: the required members, valid, plus a few others.
    fn record() -> impl Strategy<Value = String> {
        let kind = prop::sample::select(vec![
            (
                "media_report",
                vec![
                    r#""work": "a""#,
                    r#""tier": "central""#,
                    r#""outlet": "x""#,
                    r#""adopted": false"#,
                ],
            ),
            (
                "project_rank",
                vec![r#""project": "p""#, r#""rank": 1"#, r#""ranked": 10"#],
            ),
            ("supervision", vec![r#""detail": "d""#]),
            (
                "report",
                vec![
                    r#""type": "monthly""#,
                    r#""due": "2023-08-03""#,
                    r#""submitted": "2023-08-04""#,
                ],
            ),
            ("instruction", vec![r#""leader": "city""#]),
        ]);
        (
            kind,
            prop::collection::vec(member(), 0..3),
            prop::collection::vec(attribute(), 0..3),
            any::<bool>(),
            any::<u64>(),
        )
            .prop_map(
                |((kind, mut attributes), members, extra, keep_required, seed)| {
                    if !keep_required {
                        attributes.truncate(attributes.len() / 2);
                    }
                    let mut all: Vec<String> = attributes.iter().map(|s| (*s).to_owned()).collect();
                    all.extend(extra.iter().map(|s| (*s).to_owned()));
                    rotate(&mut all, seed);
                    let mut top = vec![
                        r#""unit": "lead-0""#.to_owned(),
                        r#""period": "2023-08""#.to_owned(),
                        format!(r#""kind": "{kind}""#),
                        r#""reported": "2023-08-05""#.to_owned(),
                        format!(r#""attributes": {{{}}}"#, all.join(", ")),
                    ];
                    top.extend(members);
                    rotate(&mut top, seed >> 8);
                    format!("{{{}}}", top.join(", "))
                },
            )
    }

    fn rotate<T>(items: &mut [T], seed: u64) {
        if !items.is_empty() {
            let n = items.len();
            items.rotate_left((seed as usize) % n);
            if seed & 1 == 1 {
                items.reverse();
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn the_fast_path_agrees_with_the_validator(text in record(), known in any::<bool>()) {
            let ruleset = shaodong();
            same(&ruleset, &text, known)?;
        }
    }
}
