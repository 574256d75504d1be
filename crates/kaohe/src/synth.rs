//! Synthetic fact files: valid facts for any ruleset at any scale, generated
//! from its input declarations and deterministic for a seed. For benchmarks
//! (`cargo bench`), load tests and `rulec generate`; the values are random but
//! well-typed, so every generated file passes validation.

use serde_json::{json, Map, Value as Json};

use crate::period::Period;
use crate::ruleset::Ruleset;
use crate::syntax::ast::Field;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthSpec {
    /// Seed of the pseudo-random generator: the same seed gives the same file.
    pub seed: u64,
    /// Units per group of the ruleset.
    pub units_per_group: usize,
    /// How many periods, from the start of the ruleset's effective range.
    pub periods: usize,
    /// Records per unit and period.
    pub records_per_unit_period: usize,
    /// Text unit attributes take this many distinct values (`county-0`, …), so a
    /// `ranking … within county` ranks that many partitions.
    pub partitions: usize,
}

impl Default for SynthSpec {
    fn default() -> Self {
        SynthSpec {
            seed: 1,
            units_per_group: 17,
            periods: 6,
            records_per_unit_period: 20,
            partitions: 1,
        }
    }
}

/// SplitMix64: small, fast, and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when n is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "学位扩充",
    "老旧小区改造",
    "农村公路",
    "医保缴费",
    "助残康复",
    "老年助餐",
    "农村供水",
    "普惠托育",
];

fn value(ruleset: &Ruleset, field: &Field, period: Period, rng: &mut Rng) -> Json {
    if field.ty.optional && rng.chance(30) {
        return Json::Null;
    }
    match field.ty.name.name.as_str() {
        "integer" => json!(1 + rng.below(15)),
        "decimal" => Json::String(format!("{}.{}", rng.below(100), rng.below(10))),
        "date" => {
            let offset = i64::try_from(rng.below(45)).unwrap_or(0);
            let date = period.start().add_days(offset).unwrap_or(period.start());
            Json::String(date.to_string())
        }
        "text" => Json::String(
            WORDS
                .get(usize::try_from(rng.below(WORDS.len() as u64)).unwrap_or(0))
                .copied()
                .unwrap_or("项目")
                .to_owned(),
        ),
        "bool" => Json::Bool(rng.chance(50)),
        levels => {
            let names: Vec<&str> = ruleset
                .levels(levels)
                .map(|l| l.levels.iter().map(|d| d.name.name.as_str()).collect())
                .unwrap_or_default();
            let pick = usize::try_from(rng.below(names.len() as u64)).unwrap_or(0);
            names
                .get(pick)
                .map_or(Json::Null, |n| Json::String((*n).to_owned()))
        }
    }
}

/// A valid fact file (as JSON) for `ruleset`.
pub fn facts(ruleset: &Ruleset, spec: &SynthSpec) -> Json {
    let mut parts = Parts::new(ruleset, spec);
    let mut records = Vec::new();
    parts.records(|record| records.push(record));
    let mut top = parts.top();
    top.insert("records".to_owned(), Json::Array(records));
    Json::Object(top)
}

/// Writes the fact file [`facts`] gives, byte for byte as its
/// `to_string()`, record by record (issue 15 §3: a province-year's 200 MB are
/// never held in memory).
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn write_facts(
    ruleset: &Ruleset,
    spec: &SynthSpec,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut parts = Parts::new(ruleset, spec);
    let mut top = parts.top();
    top.insert("records".to_owned(), Json::Array(Vec::new()));
    // Whatever the order of the members, `"records":[]` is in it once (the
    // other members are strings, arrays of strings and the units, none of
    // which holds that text outside a string's quotes).
    let text = Json::Object(top).to_string();
    let placeholder = "\"records\":[]";
    let at = text
        .find(placeholder)
        .ok_or_else(|| std::io::Error::other("no records member"))?;
    let (head, tail) = text.split_at(at);
    let tail = tail.get(placeholder.len()..).unwrap_or_default();
    out.write_all(head.as_bytes())?;
    out.write_all(b"\"records\":[")?;
    let mut result = Ok(());
    let mut first = true;
    parts.records(|record| {
        if result.is_err() {
            return;
        }
        if !first {
            result = out.write_all(b",");
        }
        first = false;
        if result.is_ok() {
            result = serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::from);
        }
    });
    result?;
    out.write_all(b"]")?;
    out.write_all(tail.as_bytes())
}

/// The `decided` amount generated for a record of `kind` of `unit` (a
/// generated unit's JSON): the greatest lower bound of the ranges of the
/// discretionary rules counting the kind in the score block that scores the
/// unit's group, or `None` where no rule of that block leaves the amount to
/// the office. (With two rules of one block whose ranges do not meet, no
/// value fits both; the checker's concern, not the generator's.)
fn decision(ruleset: &Ruleset, unit: &Json, kind: &str) -> Option<rust_decimal::Decimal> {
    let group = unit.get("group").and_then(Json::as_str).unwrap_or_default();
    let block = ruleset.scores().find(|block| block.scores(group))?;
    block
        .categories
        .iter()
        .flat_map(|c| c.rules.iter())
        .filter(|r| r.per.as_ref().is_some_and(|p| p.kind.name == kind))
        .filter_map(|r| match r.amount.first() {
            Some((crate::syntax::ast::Amount::Discretion { from, .. }, _)) => Some(from.value),
            _ => None,
        })
        .max()
}

/// What [`facts`] and [`write_facts`] share: the generator after the units.
struct Parts<'r> {
    ruleset: &'r Ruleset,
    spec: SynthSpec,
    rng: Rng,
    periods: Vec<Period>,
    as_of: crate::date::Date,
    units: Vec<Json>,
}

impl<'r> Parts<'r> {
    fn new(ruleset: &'r Ruleset, spec: &SynthSpec) -> Parts<'r> {
        let mut rng = Rng(spec.seed);
        let unit_kind = ruleset.period_unit();
        let start = ruleset
            .effective()
            .map_or(crate::date::Date::EPOCH, |(from, _)| from);
        let end = ruleset.effective().map(|(_, to)| to);
        let mut periods = Vec::with_capacity(spec.periods);
        let mut period = Period::containing(unit_kind, start);
        // At most the periods of the effective range (a yearly ruleset of two
        // years has two), at least one.
        for _ in 0..spec.periods {
            if !periods.is_empty() && end.is_some_and(|end| period.start() > end) {
                break;
            }
            periods.push(period);
            period = period.next();
        }
        let as_of = periods
            .last()
            .and_then(|p| p.end().add_days(30))
            .unwrap_or(start);

        let mut units = Vec::new();
        for group in ruleset.groups() {
            for i in 0..spec.units_per_group {
                let mut attributes = Map::new();
                for field in &group.attributes {
                    let v = if field.ty.name.name == "text" {
                        Json::String(format!(
                            "{}-{}",
                            field.name.name,
                            i % spec.partitions.max(1)
                        ))
                    } else {
                        value(ruleset, field, Period::Year(start.year()), &mut rng)
                    };
                    attributes.insert(field.name.name.clone(), v);
                }
                units.push(json!({
                    "id": format!("{}-{i}", group.name.name),
                    "name": format!("{}{i}", group.label.as_ref().map_or(group.name.name.as_str(), |l| l.text.as_str())),
                    "group": group.name.name,
                    "attributes": attributes,
                }));
            }
        }
        Parts {
            ruleset,
            spec: spec.clone(),
            rng,
            periods,
            as_of,
            units,
        }
    }

    /// Every record, in file order.
    fn records(&mut self, mut each: impl FnMut(Json)) {
        let ruleset = self.ruleset;
        let kinds: Vec<_> = ruleset.records().collect();
        for unit in &self.units {
            for period in &self.periods {
                for _ in 0..self.spec.records_per_unit_period {
                    let pick = usize::try_from(self.rng.below(kinds.len() as u64)).unwrap_or(0);
                    let Some(kind) = kinds.get(pick) else {
                        continue;
                    };
                    let mut attributes = Map::new();
                    for field in &kind.fields {
                        attributes.insert(
                            field.name.name.clone(),
                            value(ruleset, field, *period, &mut self.rng),
                        );
                    }
                    let days = i64::try_from(self.rng.below(40)).unwrap_or(0);
                    let reported = period
                        .start()
                        .add_days(days)
                        .unwrap_or(period.start())
                        .min(self.as_of);
                    let mut record = json!({
                        "unit": unit["id"],
                        "period": period.to_string(),
                        "kind": kind.name.name,
                        "reported": reported.to_string(),
                        "attributes": attributes,
                    });
                    // A kind counted by a discretionary rule (issue 13 §6):
                    // the office's decision, the least every such rule of the
                    // unit's own score block allows (blocks of other groups
                    // may state other ranges: their least can lie outside
                    // this block's range, and evaluation refuses it).
                    let least = decision(ruleset, unit, &kind.name.name);
                    if let (Some(least), Some(object)) = (least, record.as_object_mut()) {
                        object.insert(
                            "decided".to_owned(),
                            Json::String(least.normalize().to_string()),
                        );
                    }
                    each(record);
                }
            }
        }
    }

    /// The top-level members but `records`.
    fn top(&self) -> Map<String, Json> {
        let spec = &self.spec;
        let mut top = Map::new();
        top.insert(
            "description".to_owned(),
            Json::String(format!(
                "synthetic facts, seed {}: {} units per group, {} periods, {} records per unit and period",
                spec.seed, spec.units_per_group, spec.periods, spec.records_per_unit_period
            )),
        );
        top.insert("as_of".to_owned(), Json::String(self.as_of.to_string()));
        top.insert(
            "periods".to_owned(),
            Json::Array(
                self.periods
                    .iter()
                    .map(|p| Json::String(p.to_string()))
                    .collect(),
            ),
        );
        top.insert("units".to_owned(), Json::Array(self.units.clone()));
        top
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Facts, SourceFile};

    #[test]
    fn generated_facts_validate_and_evaluate_for_every_shipped_ruleset() {
        for text in [
            include_str!("../../../rulesets/shaodong-2023/shaodong-2023.rules"),
            include_str!("../../../rulesets/miluo-2026/miluo-2026.rules"),
            include_str!("../../../rulesets/demo-county-2026/demo-county-2026.rules"),
            include_str!("../../../rulesets/example-county/example-county.rules"),
            // `score of` blocks with different discretionary ranges for one
            // kind (breaker's item 2).
            include_str!("../../../tests/generate/ranges-by-group.rules"),
        ] {
            let ruleset = Ruleset::from_source(SourceFile::new("r", text)).unwrap();
            let spec = SynthSpec {
                units_per_group: 5,
                periods: 3,
                records_per_unit_period: 8,
                ..SynthSpec::default()
            };
            let json = facts(&ruleset, &spec).to_string();
            let parsed = Facts::from_json(&ruleset, &json).unwrap();
            // At most 3 periods: a yearly ruleset effective for one year has one.
            let periods = parsed.periods.len();
            assert!((1..=3).contains(&periods));
            assert_eq!(
                parsed.records.len(),
                ruleset.groups().count() * 5 * periods * 8
            );
            ruleset.evaluate(&parsed).unwrap();
            // Deterministic for a seed.
            assert_eq!(json, facts(&ruleset, &spec).to_string());
            // Streamed, byte for byte the same.
            let mut streamed = Vec::new();
            write_facts(&ruleset, &spec, &mut streamed).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), json);
        }
    }
}
