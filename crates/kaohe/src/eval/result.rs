//! What an evaluation returns: per unit and period the total, the category
//! subtotals, the explained line items, the rank and the consequences; per
//! ranking the order with the key that decided each place; the rejected records.
//!
//! This is the stable JSON output (`format_version` 1), documented in
//! `docs/embedding.md`. Decimals serialise as strings so they stay exact.

use rust_decimal::Decimal;
use serde::Serialize;

use std::ops::Deref;
use std::sync::Arc;

use crate::date::Date;
use crate::facts::Record;
use crate::number::Number;
use crate::period::Period;
use crate::text::{Attributes, Text};

/// A number as written for people: a terminating value exactly, with no
/// trailing zeros and no negative zero (`89.0` → `89`, `-0` → `0`); a value
/// that does not terminate rounded to four places and marked (`≈0.3333`).
///
/// ```
/// use rust_decimal::Decimal;
/// use kaohe::number::Number;
/// assert_eq!(kaohe::eval::result::decimal_text(Decimal::new(890, 1)), "89");
/// assert_eq!(kaohe::eval::result::decimal_text(-Decimal::ZERO), "0");
/// let third = Number::fraction(1, 3).unwrap_or(Number::ZERO);
/// assert_eq!(kaohe::eval::result::decimal_text(third), "≈0.3333");
/// ```
pub fn decimal_text(n: impl Into<Number>) -> String {
    n.into().to_text()
}

/// Serialises the number field `$name` as the decimal string (rounded to four
/// places when it does not terminate) and, only when it does not terminate,
/// `$name_exact` with the exact fraction (`"1/3"`). Used with `#[serde(flatten)]`.
macro_rules! number_field {
    ($function:ident, $name:literal) => {
        pub(crate) fn $function<S: serde::Serializer>(
            n: &Number,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            number_entries(serializer, $name, concat!($name, "_exact"), Some(n), false)
        }
    };
    ($function:ident, $name:literal, option) => {
        pub(crate) fn $function<S: serde::Serializer>(
            n: &Option<Number>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            number_entries(
                serializer,
                $name,
                concat!($name, "_exact"),
                n.as_ref(),
                false,
            )
        }
    };
}

fn number_entries<S: serde::Serializer>(
    serializer: S,
    name: &str,
    exact_name: &str,
    n: Option<&Number>,
    keep_places: bool,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(None)?;
    match n {
        None => map.serialize_entry(name, &None::<String>)?,
        Some(n) => {
            // A terminating number is written straight from its digits, as
            // `to_string()` would write it, without a string per number
            // (a 60 KB evaluation holds about a thousand of them).
            match n.to_decimal() {
                Some(d) if keep_places => map.serialize_entry(name, &Shown(d))?,
                Some(d) => map.serialize_entry(name, &Shown(d.normalize()))?,
                None => map.serialize_entry(name, &n.approximate())?,
            }
            if !n.terminates() {
                map.serialize_entry(exact_name, &n.exact_text())?;
            }
        }
    }
    map.end()
}

/// A decimal serialised as the string its `Display` writes.
struct Shown(Decimal);

impl Serialize for Shown {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(crate::number::DecimalText::new(self.0).as_str())
    }
}

number_field!(total_field, "total");
number_field!(raw_field, "raw");
number_field!(amount_field, "amount");
number_field!(applied_field, "applied");
number_field!(deductions_field, "deductions");
number_field!(bonuses_field, "bonuses");
number_field!(subtotal_field, "subtotal", option);
number_field!(value_field, "value");
number_field!(peer_max_field, "peer_max");
number_field!(peer_average_field, "peer_average");
number_field!(result_field, "result");

/// `converted` keeps the places its declared rounding gave it (`89.50`), and
/// is left out when the ruleset does not convert.
fn converted_field<S: serde::Serializer>(
    n: &Option<Number>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => number_entries(serializer, "converted", "converted_exact", Some(n), true),
        None => serde::ser::SerializeMap::end(serializer.serialize_map(Some(0))?),
    }
}

/// Serialises a decimal normalised (`89.0` → `89`).
pub(crate) fn normalized_option<S: serde::Serializer>(
    d: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => {
            serializer.serialize_str(crate::number::DecimalText::new(d.normalize()).as_str())
        }
        None => serializer.serialize_none(),
    }
}

/// The clause ids a line, limit or notice cites, shared with the ruleset:
/// cheap to clone. Reads as a slice of [`Text`]; serialises as a JSON array.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Clauses(Arc<[Text]>);

impl Deref for Clauses {
    type Target = [Text];
    fn deref(&self) -> &[Text] {
        &self.0
    }
}

/// `item.clauses == ["ML-1", "ML-A1"]`.
impl<const N: usize> PartialEq<[&str; N]> for Clauses {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.0.len() == N && self.0.iter().zip(other).all(|(a, b)| a == b)
    }
}

impl PartialEq<[&str]> for Clauses {
    fn eq(&self, other: &[&str]) -> bool {
        self.0.len() == other.len() && self.0.iter().zip(other).all(|(a, b)| a == b)
    }
}

impl FromIterator<Text> for Clauses {
    fn from_iter<I: IntoIterator<Item = Text>>(iter: I) -> Self {
        Clauses(iter.into_iter().collect())
    }
}

impl Clauses {
    /// Whether no clause is cited (used to leave the field out of the JSON).
    pub fn is_none(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Clauses {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

/// The version of the JSON output format.
pub const FORMAT_VERSION: u32 = 1;

/// The result of evaluating a ruleset over a fact file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The output format's version.
    pub format_version: u32,
    /// `kaohe <version>`.
    pub engine: String,
    /// Which ruleset was run.
    pub ruleset: RulesetInfo,
    /// Which facts it was run on.
    pub facts: FactsInfo,
    /// The periods evaluated, in order (months or quarters; years for annual results).
    pub periods: Vec<Period>,
    /// One result per unit and evaluated period (and per unit and year for the annual assessment).
    pub results: Vec<UnitResult>,
    /// Every ranking of every evaluated period and year.
    pub rankings: Vec<RankingResult>,
    /// The sub-assessment results the evaluation used (issue 13 §11), with
    /// their provenance: sub-ruleset id, title and hash, facts hash, periods.
    /// Left out of the JSON when the ruleset declares no `input`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<crate::input::InputInfo>,
    /// Records not applied, with the reason (e.g. reported after the period was sealed).
    pub rejected: Vec<RejectedRecord>,
}

/// The ruleset's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesetInfo {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// `sha256:` digest of the ruleset file.
    pub hash: String,
    /// The texts of the clauses the ruleset declares, by clause id
    /// (`{"SD-3.1.1①": "指标任务未按序时进度完成的，每个指标扣5分"}`): what the ids
    /// in `clauses` of line items, limits and notices say. Left out of the JSON
    /// when the ruleset declares no clause.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub clauses: std::collections::BTreeMap<String, String>,
}

/// The facts' identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactsInfo {
    /// The evaluation date.
    pub as_of: String,
    /// `sha256:` digest of the facts' canonical form (independent of record
    /// order); empty when evaluated with [`crate::FactsHash::Omit`].
    pub hash: String,
    /// What the facts hold that is allowed but worth telling whoever
    /// publishes the results ([`crate::check::fact_warnings`]: two units
    /// with one name, a discretionary order no ranking uses), each with its
    /// code and JSON path. Left out of the JSON when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::check::FactWarning>,
}

/// One unit's result for one period or year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitResult {
    /// The unit's id.
    pub unit: Text,
    /// The unit's name.
    pub name: Text,
    /// The unit's group.
    pub group: Text,
    /// The period (`2023-07`) or year (`2023`).
    pub period: Period,
    /// Whether this is the annual assessment.
    pub annual: bool,
    /// Whether the result may still change (issue 12 §7): the evaluation date
    /// `as_of` falls inside the period (or year), or on or before the seal of
    /// a sealed period (of the year's last period, for a year). In JSON
    /// `"provisional": true`, left out when final.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// The total score; the sum of `items`.
    #[serde(flatten, serialize_with = "total_field")]
    pub total: Number,
    /// The converted (折算) annual score, where the ruleset converts.
    #[serde(flatten, serialize_with = "converted_field")]
    pub converted: Option<Number>,
    /// The rank in the unit's first ranking for this period, if ranked.
    pub rank: Option<u32>,
    /// That ranking's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ranking: Option<Text>,
    /// The unit's measures in this period or year (issue 13 §4): value,
    /// place and the peers' highest and average value, so that points from
    /// places and proportions can be checked. Left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<MeasureResult>,
    /// The outputs that are not points (issue 13 §12), in declaration
    /// order. Left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<OutputResult>,
    /// The rankings of the unit's group that left it out because an
    /// `only when` condition does not hold (issue 13 §3): which ranking and
    /// which condition, so that the explanation says why the unit has no
    /// place. Left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_ranked: Vec<NotRanked>,

    /// Category subtotals (those `outside total` included, marked `outside_total`).
    pub categories: Vec<CategoryResult>,
    /// The line items, in order; their amounts add up to `total`.
    pub items: Vec<LineItem>,
    /// The line items of the categories `outside total` (issue 13 §10),
    /// in order: they add up to those categories' own scores and are never
    /// part of `total`. Left out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outside_items: Vec<LineItem>,
    /// Notices, flags, classes and quota reminders.
    pub notices: Vec<NoticeResult>,
}

/// A category's subtotal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryResult {
    /// The category's name.
    pub category: Text,
    /// Its label.
    pub label: Option<Text>,
    /// Its allotment, if it has one.
    #[serde(serialize_with = "normalized_option")]
    pub allot: Option<Decimal>,
    /// Whether the category is `outside total` (issue 13 §10): reported on
    /// its own, its subtotal never added to the total. In JSON
    /// `"outside_total": true`, left out otherwise.
    #[serde(rename = "outside_total", skip_serializing_if = "std::ops::Not::not")]
    pub outside: bool,
    /// Deductions applied (a positive number), after the floor.
    #[serde(flatten, serialize_with = "deductions_field")]
    pub deductions: Number,
    /// Bonuses applied, after caps.
    #[serde(flatten, serialize_with = "bonuses_field")]
    pub bonuses: Number,
    /// allot − deductions + bonuses, when the category has an allotment; for
    /// a category `outside total`, its own score (from 0 without an allotment).
    #[serde(flatten, serialize_with = "subtotal_field")]
    pub subtotal: Option<Number>,
}

/// A unit's value of one `output` (issue 13 §12): not points, shown beside the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutputResult {
    /// The output's name.
    pub output: Text,
    /// Its label.
    pub label: Option<Text>,
    /// The value (exact; `value_exact` in JSON when it does not terminate).
    #[serde(flatten, serialize_with = "value_field")]
    pub value: Number,
    /// The clauses it cites.
    pub clauses: Clauses,
}

/// A ranking that left the unit out: the first of its `only when` conditions
/// that does not hold for the unit (issue 13 §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotRanked {
    /// The ranking's name.
    pub ranking: Text,
    /// Its label.
    pub label: Option<Text>,
    /// The condition that does not hold, printed from the ruleset's tree
    /// (`count(problem) == 0`).
    pub condition: String,
    /// The same with the unit's values (`2 == 0`).
    pub values: String,
    /// The clauses the condition cites.
    pub clauses: Clauses,
}

/// A unit's value of one measure, and where it stands among its peers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureResult {
    /// The measure's name.
    pub measure: Text,
    /// Its label.
    pub label: Option<Text>,
    /// The unit's value (exact; `value_exact` in JSON when it does not terminate).
    #[serde(flatten, serialize_with = "value_field")]
    pub value: Number,
    /// Its place among the units of the measure's group, highest first (1, 2, 2, 4).
    pub place: u32,
    /// How many units the measure compares.
    pub of: u32,
    /// The highest value among them.
    #[serde(flatten, serialize_with = "peer_max_field")]
    pub peer_max: Number,
    /// Their average value.
    #[serde(flatten, serialize_with = "peer_average_field")]
    pub peer_average: Number,
    /// The clauses the measure cites; left out when none.
    #[serde(skip_serializing_if = "Clauses::is_none")]
    pub clauses: Clauses,
}

/// What kind of line item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The base score.
    Base,
    /// A deduction rule.
    Deduction,
    /// A bonus rule.
    Bonus,
    /// An adjustment rule (signed).
    Adjustment,
    /// A cap over several rules or over a category's bonuses, taking back the excess.
    Cap,
    /// A category floor giving back deductions beyond the allotment.
    Floor,
    /// The group average given to a unit with no tasks.
    Average,
}

/// One line of a score's explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineItem {
    /// What kind of line.
    pub kind: ItemKind,
    /// The rule, cap or category it comes from.
    pub rule: Option<Text>,
    /// Its label.
    pub label: Option<Text>,
    /// The category it belongs to.
    pub category: Option<Text>,
    /// The clauses and assumptions it cites.
    pub clauses: Clauses,
    /// How many occurrences counted.
    pub count: u32,
    /// The amount before this line's own limits (signed).
    #[serde(flatten, serialize_with = "raw_field")]
    pub raw: Number,
    /// The amount applied to the total (signed: deductions are negative).
    #[serde(flatten, serialize_with = "amount_field")]
    pub amount: Number,
    /// Limits that bound, raw → applied.
    pub limits: Vec<LimitApplied>,
    /// For a rule without `per` whose amount is an expression and not a
    /// single number: its working (issue 13 §16). Left out of the JSON when
    /// absent; only with [`crate::Detail::Full`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<Box<Formula>>,
    /// The records counted, each with its amount.
    pub records: Vec<CountedRecord>,
    /// The inputs (sub-assessment results, issue 13 §11) the rule reads, by
    /// name; their provenance is in [`Evaluation::inputs`]. Left out of the
    /// JSON when the rule reads none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Text>,
}

/// How an amount was computed (issue 13 §16): the amount's expression as
/// written in the ruleset, the same with the values it read put in, and what
/// it came to — `2 / unit.n`, `2 / 3`, `2/3` (in JSON `"result": "0.6667",
/// "result_exact": "2/3"`). The result is the expression's value, before any
/// `times` multiplier and limit (those are listed in the notes and limits).
///
/// Both are printed from the expression's tree (a nested operation in
/// parentheses, one space around operators), so formatting the ruleset does
/// not change them. In `values`, every name, `count(…)`, `sum(…)` and `ranked …` is replaced by
/// its value (a number as [`decimal_text`] writes it, `≈` marking one that does
/// not terminate; a text in quotes; `(absent)` for an absent attribute);
/// and
/// the arguments of a function (`min`, `round`, …) and the subject of
/// `bands(…)` are shown with their values put in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Formula {
    /// The expression as written (`2 / unit.n`).
    pub written: String,
    /// The expression with its values (`2 / 3`).
    pub values: String,
    /// The value it came to (exact; `result_exact` in JSON when it does not terminate).
    #[serde(flatten, serialize_with = "result_field")]
    pub result: Number,
}

/// `2 / unit.n = 2 / 3 = ≈0.6667`.
impl std::fmt::Display for Formula {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.written)?;
        if self.values != self.written {
            write!(f, " = {}", self.values)?;
        }
        write!(f, " = {}", decimal_text(self.result))
    }
}

/// A record's derived attributes (`derive name = …`) with their values as
/// text, in declaration order (issue 13 §16). Serialises as a JSON object
/// `{"late": "3"}`; numbers as [`decimal_text`] writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Derived(pub Vec<(Text, String)>);

impl Derived {
    /// Whether the record kind derives nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Derived {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A cap or floor that changed an amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitApplied {
    /// The limit, e.g. `cap 10 per period`.
    pub limit: String,
    /// The clauses it cites.
    pub clauses: Clauses,
    /// The amount before it.
    #[serde(flatten, serialize_with = "raw_field")]
    pub raw: Number,
    /// The amount after it.
    #[serde(flatten, serialize_with = "applied_field")]
    pub applied: Number,
}

/// `cap 10 per period: 11 → 10`.
impl std::fmt::Display for LimitApplied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} → {}",
            self.limit,
            decimal_text(self.raw),
            decimal_text(self.applied)
        )
    }
}

/// A record counted by a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedRecord {
    /// The record.
    pub record: RecordRef,
    /// Occurrences it stands for.
    pub count: u32,
    /// Its amount (signed), after multipliers; 0 when superseded.
    #[serde(flatten, serialize_with = "amount_field")]
    pub amount: Number,
    /// Multipliers or dedupe that applied to it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The values of its kind's derived attributes (issue 13 §16); left out
    /// of the JSON when the kind derives nothing.
    #[serde(skip_serializing_if = "Derived::is_empty")]
    pub derived: Derived,
    /// The working of its amount when the rule's amount is an expression and
    /// not a single number (issue 13 §16); left out when absent. Boxed, as is
    /// [`CountedRecord::discretion`]: most records have neither, and a full
    /// explanation keeps one `CountedRecord` per counted record (a province's
    /// evaluation holds over a million).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<Box<Formula>>,
    /// The office's decision, when the rule's amount is left to its
    /// discretion within a range (`amount discretion 5 to 10`, issue 13 §6);
    /// left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discretion: Option<Box<Discretion>>,
}

/// The amount the office decided for one record, and the range the rule
/// allowed: JSON `{"decided": "7", "from": "5", "to": "10"}` (exact
/// decimals as strings, like every amount).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discretion {
    /// The amount of one occurrence the office decided (the record's `decided`).
    pub decided: rust_decimal::Decimal,
    /// The least the rule allows.
    pub from: rust_decimal::Decimal,
    /// The most the rule allows.
    pub to: rust_decimal::Decimal,
}

impl Serialize for Discretion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Discretion", 3)?;
        s.serialize_field("decided", &self.decided.normalize().to_string())?;
        s.serialize_field("from", &self.from.normalize().to_string())?;
        s.serialize_field("to", &self.to.normalize().to_string())?;
        s.end()
    }
}

/// A record, identified for a reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordRef {
    /// Record kind.
    pub kind: Text,
    /// Its id, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Text>,
    /// Its period.
    pub period: Period,
    /// When it was reported.
    pub reported: Date,
    /// Its attributes.
    pub attributes: Attributes,
    /// For a late record carried into the period it arrived in: the period it was about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<Period>,
    /// Its `revision`, when the facts give one (orders same-day versions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
}

impl RecordRef {
    pub(crate) fn of(record: &Record) -> RecordRef {
        RecordRef {
            kind: record.kind.clone(),
            id: record.id.clone(),
            period: record.period,
            reported: record.reported,
            attributes: record.attributes.clone(),
            carried_from: record.carried_from,
            revision: record.revision,
        }
    }
}

/// What kind of consequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A notice (预警通知, 黄牌).
    Notice,
    /// A flag (一天一调度).
    Flag,
    /// A classification (红黄绿榜).
    Class,
    /// A quota reminder.
    Quota,
}

/// A consequence for a unit in a period or year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NoticeResult {
    /// Notice, flag, class or quota.
    pub kind: NoticeKind,
    /// The declaration's name.
    pub name: String,
    /// Its label.
    pub label: Option<String>,
    /// For a class: the class given (e.g. `red`); for a notice or flag with
    /// steps (an escalation ladder, issue 13 §2): the highest step reached
    /// (e.g. `interview`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// For a class: the class's label (e.g. `红`); for a ladder: the step's label (e.g. `约谈`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_label: Option<String>,
    /// The clauses it cites.
    pub clauses: Clauses,
    /// The actions the rulebook prescribes.
    pub actions: Vec<String>,
    /// Why: the record or the requirements not met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A ranking of one period or year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankingResult {
    /// The ranking's name.
    pub ranking: String,
    /// Its label.
    pub label: Option<String>,
    /// The period or year.
    pub period: Period,
    /// Whether the ranking may still change (as [`UnitResult::provisional`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// With `within attr`: the attribute's value shared by the units ranked here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    /// The units in order (tied units by id).
    pub entries: Vec<RankEntry>,
    /// Groups of units equal on every key: ties the engine did not break.
    pub unresolved_ties: Vec<Vec<String>>,
    /// The clauses the ranking cites — its own, its keys', `ties shared`'s
    /// and `only when`'s — in that order without repeats: what the rank
    /// lines of the explanation cite. Left out when none.
    #[serde(skip_serializing_if = "Clauses::is_none")]
    pub clauses: Clauses,
}

/// A unit's place in a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankEntry {
    /// Competition rank (1, 2, 2, 4).
    pub rank: u32,
    /// The unit's id.
    pub unit: Text,
    /// The unit's name.
    pub name: Text,
    /// Its total.
    #[serde(flatten, serialize_with = "total_field")]
    pub total: Number,
    /// The key that separated it from the unit above (`total`, an attribute,
    /// `discretion`), or `tie` when nothing did; absent for the first.
    pub versus_above: Option<String>,
    /// The same against the unit below.
    pub versus_below: Option<String>,
}

/// A record that was not applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRecord {
    /// The record.
    pub record: RecordRef,
    /// The unit.
    pub unit: Text,
    /// Why it was not applied.
    pub reason: String,
    /// The clauses behind the rejection.
    pub clauses: Clauses,
}

/// Which part of an evaluation to keep.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Only this period (`2023-07`) or year (`2023`, the annual results).
    pub period: Option<Period>,
    /// Only this unit (by id or name).
    pub unit: Option<String>,
}

/// The results whose rank is shared in an unresolved tie, indexed once
/// (issue 15 §3): [`Ties::is_tied`] answers [`Evaluation::is_tied`] without
/// scanning every ranking, for tables with a row per result.
#[derive(Debug, Clone, Default)]
pub struct Ties<'e> {
    tied: std::collections::HashSet<(&'e str, Period, &'e str)>,
}

impl Ties<'_> {
    /// Whether `result`'s rank is shared in an unresolved tie (shown `2=`):
    /// the same answer as [`Evaluation::is_tied`].
    pub fn is_tied(&self, result: &UnitResult) -> bool {
        match result.ranking.as_deref() {
            Some(ranking) if !self.tied.is_empty() => {
                self.tied
                    .contains(&(ranking, result.period, result.unit.as_str()))
            }
            _ => false,
        }
    }
}

impl Evaluation {
    /// Every unresolved tie of every ranking, indexed for [`Ties::is_tied`].
    pub fn ties(&self) -> Ties<'_> {
        let mut tied = std::collections::HashSet::new();
        for r in &self.rankings {
            for unit in r.unresolved_ties.iter().flatten() {
                tied.insert((r.ranking.as_str(), r.period, unit.as_str()));
            }
        }
        Ties { tied }
    }

    /// Whether `result`'s rank is shared in an unresolved tie (shown `2=`).
    /// Scans every ranking: for many results, use [`Evaluation::ties`].
    pub fn is_tied(&self, result: &UnitResult) -> bool {
        self.rankings.iter().any(|r| {
            result.ranking.as_deref() == Some(r.ranking.as_str())
                && r.period == result.period
                && r.unresolved_ties
                    .iter()
                    .any(|t| t.iter().any(|u| *u == result.unit))
        })
    }

    /// The evaluation restricted to a period or year and/or a unit. Rankings
    /// stay whole (a rank is only meaningful among all ranked units). Filters
    /// in place: nothing is copied, whatever the size of the evaluation.
    pub fn select(mut self, selection: &Selection) -> Evaluation {
        let period_ok = |p: &Period| selection.period.is_none_or(|s| s == *p);
        let unit_ok = |id: &str, name: &str| {
            selection
                .unit
                .as_deref()
                .is_none_or(|u| u == id || u == name)
        };
        let selected_units: Vec<Text> = self
            .results
            .iter()
            .filter(|r| unit_ok(&r.unit, &r.name))
            .map(|r| r.unit.clone())
            .collect();
        self.periods.retain(|p| period_ok(p));
        self.results
            .retain(|r| period_ok(&r.period) && unit_ok(&r.unit, &r.name));
        self.rankings.retain(|r| period_ok(&r.period));
        self.rejected.retain(|r| {
            let period = period_ok(&r.record.period)
                || matches!(selection.period, Some(Period::Year(y)) if y == r.record.period.year());
            let unit = selection.unit.is_none() || selected_units.contains(&r.unit);
            period && unit
        });
        self
    }

    /// The evaluation as pretty-printed JSON (the documented, stable format).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}
