//! Random valid fact files for a generated ruleset ([`super::spec::Spec`]):
//! units of its groups (attribute values small, so that ties happen), records
//! of its kinds with values of the right types (optional ones sometimes left
//! out or `null`, levels by name or by label, decimals as numbers or numeric
//! strings, counts of 0–3, ids that make amendments), in 1–4 consecutive
//! periods of the effective range, reported between the period's start and
//! `as_of` (so some are late under a seal); discretionary orders for periods and
//! years; sometimes a `description`.

use serde_json::{json, Map, Value};

use super::spec::{Spec, Target, Ty, Witness};
use super::{Choices, Day, Per};

#[derive(Clone, Debug)]
pub struct UnitF {
    pub id: String,
    pub name: String,
    pub group: usize,
    /// Attribute values; `None` is absent (left out or `null`).
    pub attrs: Vec<(String, Option<i64>)>,
    pub null_absent: bool,
}

#[derive(Clone, Debug)]
pub struct RecordF {
    pub id: Option<String>,
    pub unit: String,
    pub period: Per,
    pub kind: usize,
    pub count: Option<u32>,
    pub reported: Day,
    /// Attribute values; `None` is left out.
    pub attrs: Vec<(String, Option<Value>)>,
}

#[derive(Clone, Debug)]
pub struct FactsSpec {
    pub description: Option<String>,
    pub as_of: Day,
    /// The evaluated periods (all listed in `periods`).
    pub window: Vec<Per>,
    pub units: Vec<UnitF>,
    pub records: Vec<RecordF>,
    /// (period or year label, unit ids best first).
    pub discretion: Vec<(String, Vec<String>)>,
}

impl FactsSpec {
    /// Random valid facts for `spec`. `min_as_of` (if any) is the earliest
    /// evaluation date wanted.
    pub fn generate(c: &mut Choices, spec: &Spec, min_as_of: Option<Day>) -> FactsSpec {
        let all = super::spec::periods_between(spec.unit, spec.from, spec.to);
        let start = c.below(all.len());
        let len = 1 + c.below(4.min(all.len() - start));
        let window: Vec<Per> = all[start..start + len].to_vec();
        let last = window[window.len() - 1];
        let span = last.end().0 - last.start().0 + 60;
        let mut as_of = last.start().add(c.between(0, span));
        if let Some(min) = min_as_of {
            as_of = as_of.max(min);
        }

        let mut units = Vec::new();
        let mut n = 0;
        for (gi, group) in spec.groups.iter().enumerate() {
            for _ in 0..1 + c.below(4) {
                let attrs = group
                    .attrs
                    .iter()
                    .map(|a| {
                        let value = if a.optional && c.chance(30) {
                            None
                        } else {
                            Some(c.between(0, 4))
                        };
                        (a.name.clone(), value)
                    })
                    .collect();
                units.push(UnitF {
                    id: format!("u{n}"),
                    name: format!("单位{n}"),
                    group: gi,
                    attrs,
                    null_absent: c.chance(50),
                });
                n += 1;
            }
            // `average when attr == 0` needs a unit to average over: with none
            // the evaluation fails (issue 12 §5), so one unit has tasks.
            if let Some(attr) = group
                .average_when
                .as_ref()
                .and_then(|w| w.split(' ').next())
            {
                let of_group = units.iter_mut().filter(|u: &&mut UnitF| u.group == gi);
                let mut all_zero = true;
                let mut last = None;
                for u in of_group {
                    if u.attrs.iter().any(|(a, v)| a == attr && *v != Some(0)) {
                        all_zero = false;
                    }
                    last = Some(u);
                }
                if let (true, Some(u)) = (all_zero, last) {
                    for (a, v) in &mut u.attrs {
                        if a == attr {
                            *v = Some(1 + c.below(4) as i64);
                        }
                    }
                }
            }
        }

        let mut facts = FactsSpec {
            description: c.chance(20).then(|| "生成的事实".to_owned()),
            as_of,
            window,
            units,
            records: Vec::new(),
            discretion: Vec::new(),
        };
        for _ in 0..c.below(15) {
            let record = facts.random_record(c, spec);
            facts.records.push(record);
        }
        let mut keys: Vec<String> = facts.window.iter().map(|p| p.label()).collect();
        let mut years: Vec<i64> = facts.window.iter().map(|p| p.year()).collect();
        years.dedup();
        keys.extend(years.iter().map(|y| y.to_string()));
        // Under `period year` a period's label is its year: one order per
        // key, as the fact file's `discretion` object can hold only one.
        keys.sort();
        keys.dedup();
        for key in keys {
            if c.chance(40) {
                let order = c.permutation(facts.units.len());
                let take = c.below(facts.units.len() + 1);
                let ids = order[..take]
                    .iter()
                    .map(|i| facts.units[*i].id.clone())
                    .collect();
                facts.discretion.push((key, ids));
            }
        }
        facts
    }

    /// A random valid record for `spec`, of a random kind, unit and period.
    pub fn random_record(&self, c: &mut Choices, spec: &Spec) -> RecordF {
        let kind = c.below(spec.kinds.len());
        let unit = self.units[c.below(self.units.len())].id.clone();
        let period = self.window[c.below(self.window.len())];
        let reported = self.reported_in(c, period.start(), self.as_of);
        self.record_of(c, spec, kind, unit, period, reported, &[])
    }

    /// A day in `from ..= to`.
    pub fn reported_in(&self, c: &mut Choices, from: Day, to: Day) -> Day {
        from.add(c.between(0, (to.0 - from.0).max(0)))
    }

    /// A record of `kind` whose attributes satisfy `witness`.
    #[allow(clippy::too_many_arguments)]
    pub fn record_of(
        &self,
        c: &mut Choices,
        spec: &Spec,
        kind: usize,
        unit: String,
        period: Per,
        reported: Day,
        witness: &[(String, Witness)],
    ) -> RecordF {
        let mut attrs = Vec::new();
        for field in &spec.kinds[kind].fields {
            let w = witness
                .iter()
                .find(|(n, _)| *n == field.name)
                .map(|(_, w)| w);
            let absent = field.optional && w.is_none() && c.chance(40);
            if absent {
                let value = if c.chance(50) {
                    Some(Value::Null)
                } else {
                    None
                };
                attrs.push((field.name.clone(), value));
                continue;
            }
            let value = match (&field.ty, w) {
                (Ty::Integer | Ty::Decimal, Some(Witness::AtLeast(n))) => {
                    json!(n + c.between(0, 5))
                }
                (Ty::Date, Some(Witness::DateNotAfterAsOf)) => {
                    json!(self.as_of.add(-c.between(0, 40)).to_string())
                }
                (Ty::Text, Some(Witness::Text(t))) => json!(t),
                (Ty::Bool, Some(Witness::True)) => json!(true),
                (Ty::Levels(_), Some(Witness::Level(l))) => json!(l),
                (ty, _) => self.value(c, spec, ty),
            };
            attrs.push((field.name.clone(), Some(value)));
        }
        RecordF {
            id: if c.chance(20) {
                Some((*c.pick(&["a", "b", "c"])).to_owned())
            } else {
                None
            },
            unit,
            period,
            kind,
            count: if c.chance(30) {
                Some(u32::try_from(c.between(0, 3)).unwrap_or(1))
            } else {
                None
            },
            reported,
            attrs,
        }
    }

    /// A record that matches the target rule's filter: count at least 1, no id.
    pub fn target_record(
        &self,
        c: &mut Choices,
        spec: &Spec,
        target: &Target,
        unit: String,
        period: Per,
        reported: Day,
    ) -> RecordF {
        let mut r = self.record_of(
            c,
            spec,
            target.kind,
            unit,
            period,
            reported,
            &target.witness,
        );
        r.id = None;
        r.count = Some(u32::try_from(c.between(1, 3)).unwrap_or(1));
        r
    }

    fn value(&self, c: &mut Choices, spec: &Spec, ty: &Ty) -> Value {
        match ty {
            Ty::Integer => json!(c.between(-2, 15)),
            Ty::Decimal => {
                let whole = c.between(-2, 40);
                match c.below(4) {
                    0 => json!(whole),
                    1 => json!(format!("{whole}.5")),
                    2 => serde_json::from_str(&format!("{whole}.25")).unwrap_or(json!(whole)),
                    _ => json!(whole.to_string()),
                }
            }
            Ty::Date => {
                let from = self.window[0].start().add(-30);
                json!(from
                    .add(c.between(0, self.as_of.0 - from.0 + 30))
                    .to_string())
            }
            Ty::Text => json!(*c.pick(&["甲", "乙", "丙丁", "a b", "x"])),
            Ty::Bool => json!(c.chance(50)),
            Ty::Levels(l) => {
                let levels = &spec.levels[*l].levels;
                let (name, label) = &levels[c.below(levels.len())];
                match label {
                    Some(label) if c.chance(30) => json!(label),
                    _ => json!(name),
                }
            }
        }
    }

    /// The fact file as JSON, units and records in the given orders.
    pub fn to_json_ordered(&self, spec: &Spec, units: &[usize], records: &[usize]) -> Value {
        let mut top = Map::new();
        if let Some(d) = &self.description {
            top.insert("description".to_owned(), json!(d));
        }
        top.insert("as_of".to_owned(), json!(self.as_of.to_string()));
        top.insert(
            "periods".to_owned(),
            json!(self.window.iter().map(|p| p.label()).collect::<Vec<_>>()),
        );
        let units_json: Vec<Value> = units
            .iter()
            .map(|i| {
                let u = &self.units[*i];
                let mut attrs = Map::new();
                for (name, value) in &u.attrs {
                    match value {
                        Some(v) => {
                            attrs.insert(name.clone(), json!(v));
                        }
                        None if u.null_absent => {
                            attrs.insert(name.clone(), Value::Null);
                        }
                        None => {}
                    }
                }
                let mut unit = Map::new();
                unit.insert("id".to_owned(), json!(u.id));
                unit.insert("name".to_owned(), json!(u.name));
                unit.insert("group".to_owned(), json!(spec.groups[u.group].name));
                if !attrs.is_empty() || u.null_absent {
                    unit.insert("attributes".to_owned(), Value::Object(attrs));
                }
                Value::Object(unit)
            })
            .collect();
        top.insert("units".to_owned(), Value::Array(units_json));
        let records_json: Vec<Value> = records
            .iter()
            .map(|i| {
                let r = &self.records[*i];
                let mut record = Map::new();
                if let Some(id) = &r.id {
                    record.insert("id".to_owned(), json!(id));
                    // Versions of one id reported on the same day must say
                    // which is the correction (issue 12 §4): a distinct
                    // revision per generated record.
                    record.insert("revision".to_owned(), json!(*i));
                }
                record.insert("unit".to_owned(), json!(r.unit));
                record.insert("period".to_owned(), json!(r.period.label()));
                record.insert("kind".to_owned(), json!(spec.kinds[r.kind].name));
                if let Some(count) = r.count {
                    record.insert("count".to_owned(), json!(count));
                }
                record.insert("reported".to_owned(), json!(r.reported.to_string()));
                if let Some(decided) = spec.decided(r.kind) {
                    record.insert("decided".to_owned(), json!(decided));
                }
                let mut attrs = Map::new();
                for (name, value) in &r.attrs {
                    if let Some(v) = value {
                        attrs.insert(name.clone(), v.clone());
                    }
                }
                if !attrs.is_empty() || !spec.kinds[r.kind].fields.is_empty() {
                    record.insert("attributes".to_owned(), Value::Object(attrs));
                }
                Value::Object(record)
            })
            .collect();
        top.insert("records".to_owned(), Value::Array(records_json));
        if !self.discretion.is_empty() {
            let mut d = Map::new();
            for (key, ids) in &self.discretion {
                d.insert(key.clone(), json!(ids));
            }
            top.insert("discretion".to_owned(), Value::Object(d));
        }
        Value::Object(top)
    }

    /// The fact file as JSON text, in generation order.
    pub fn to_json(&self, spec: &Spec) -> String {
        let units: Vec<usize> = (0..self.units.len()).collect();
        let records: Vec<usize> = (0..self.records.len()).collect();
        serde_json::to_string_pretty(&self.to_json_ordered(spec, &units, &records))
            .unwrap_or_default()
    }

    /// A unit's attribute value, if given.
    pub fn attribute(&self, unit: &str, name: &str) -> Option<i64> {
        self.units
            .iter()
            .find(|u| u.id == unit)
            .and_then(|u| u.attrs.iter().find(|(n, _)| n == name))
            .and_then(|(_, v)| *v)
    }

    /// A unit's group index.
    pub fn group_of(&self, unit: &str) -> Option<usize> {
        self.units.iter().find(|u| u.id == unit).map(|u| u.group)
    }
}
