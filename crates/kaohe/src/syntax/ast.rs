//! The typed syntax tree of a ruleset file. Every node carries the [`Span`] it was
//! parsed from, so the checker and the evaluator can point back at the source.
//!
//! The tree is what the file *says*; names are not resolved here (see `check`).

use rust_decimal::Decimal;

use crate::date::Date;
use crate::source::Span;

/// A name as written, with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// A quoted, human-readable label (often Chinese), e.g. `"重点工作"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The text between the quotes, escapes resolved.
    pub text: String,
    /// Where it is written, quotes included.
    pub span: Span,
}

/// One clause or assumption id inside a citation, e.g. `SD-3.1.1①`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseRef {
    /// The id as written.
    pub id: String,
    /// Where it is written.
    pub span: Span,
}

/// A citation `[SD-3.1.1①, SD-A5]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The cited ids, in order.
    pub clauses: Vec<ClauseRef>,
    /// The whole bracketed citation.
    pub span: Span,
}

/// A decimal literal with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// The exact value.
    pub value: Decimal,
    /// Where it is written.
    pub span: Span,
}

/// A whole-number literal with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integer {
    /// The value.
    pub value: u32,
    /// Where it is written.
    pub span: Span,
}

/// An inclusive date range `effective 2023-07-13 to 2023-12-31`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRange {
    /// First day in force.
    pub from: Date,
    /// Last day in force.
    pub to: Date,
    /// The whole `effective … to …` statement.
    pub span: Span,
}

/// A parsed ruleset file: its top-level declarations in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    /// Declarations in source order.
    pub items: Vec<Item>,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `ruleset id { title … }`
    Header(Header),
    /// `assumption [SD-A1] "…"`
    Assumption(Assumption),
    /// `clause [SD-3.1.1①] "…"`
    Clause(ClauseDecl),
    /// `levels media_tier { central "中央" … }`
    Levels(LevelsDecl),
    /// `group lead "牵头单位" { … }`
    Group(GroupDecl),
    /// `record media_report { … }`
    Record(RecordDecl),
    /// `period month { … }`
    Period(PeriodDecl),
    /// `score { base 100 category … }`
    Score(ScoreDecl),
    /// `annual { from pooled records … }`
    Annual(AnnualDecl),
    /// `ranking monthly of lead { by total desc … }`
    Ranking(RankingDecl),
    /// `notice …` or `flag …`
    Consequence(ConsequenceDecl),
    /// `classify board { red when … }`
    Classify(ClassifyDecl),
    /// `measure completion "完成率" of township = …` (issue 13 §4).
    Measure(MeasureDecl),
    /// `output withheld "扣减工作经费（%）" of lead = …` (issue 13 §12).
    Output(OutputDecl),
    /// `quota publicity { require … }`
    Quota(QuotaDecl),
    /// `calendar cn { year 2027 { … } }` (issue 13 §8).
    Calendar(CalendarDecl),
    /// `input petition "信访工作考核" from ruleset "petition_2026"` (issue 13 §11).
    Input(InputDecl),
}

/// `calendar cn [cite] { year 2027 [cite] { holiday … workday … } }` (issue
/// 13 §8): the working-day calendar `working days` count in, a shipped one
/// (`cn`) with the years the ruleset adds or replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarDecl {
    /// The shipped calendar's name (`cn`).
    pub name: Ident,
    /// Citation.
    pub cite: Option<Citation>,
    /// Years the ruleset writes itself; each replaces the shipped year, if any.
    pub years: Vec<CalendarYear>,
    /// The whole declaration.
    pub span: Span,
}

/// `year 2027 [cite] { holiday 2027-01-01 to 2027-01-03  workday 2027-02-07 }`.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarYear {
    /// The year.
    pub year: Integer,
    /// Citation (the notice the days come from).
    pub cite: Option<Citation>,
    /// Its public holidays and make-up working days.
    pub days: Vec<CalendarDay>,
    /// How many `holiday` / `workday` lines the block holds, those left out
    /// of `days` for a date that is no calendar day included (so a year
    /// whose every line is misdated is not also called empty).
    pub written: usize,
    /// The whole block.
    pub span: Span,
}

/// `holiday 2027-02-10 to 2027-02-17` or `workday 2027-02-07`: a day or an
/// inclusive range of days.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarDay {
    /// Holiday or make-up working day.
    pub kind: DayKind,
    /// The first day.
    pub from: Date,
    /// The last day (`from` when no `to` is written).
    pub to: Date,
    /// The whole line.
    pub span: Span,
}

/// What a calendar line makes its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// `holiday`: a public holiday (放假), not a working day.
    Holiday,
    /// `workday`: a make-up working day (调休上班) on a Saturday or Sunday.
    Workday,
}

/// The unit of a date shift `d + N days` (issue 13 §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateUnit {
    /// `days`: calendar days.
    Days,
    /// `months`: calendar months, a missing day clamped to the month's last.
    Months,
    /// `working days`: days that are working days in the ruleset's calendar.
    WorkingDays,
}

impl DateUnit {
    /// The unit as written.
    pub fn word(self) -> &'static str {
        match self {
            DateUnit::Days => "days",
            DateUnit::Months => "months",
            DateUnit::WorkingDays => "working days",
        }
    }
}

/// `input petition "信访工作考核" from ruleset "petition_2026" [EX-8]`: the result
/// of another ruleset's evaluation (a sub-assessment), supplied with the facts,
/// read in expressions as `petition.total` and `petition.rank` (issue 13 §11).
#[derive(Debug, Clone, PartialEq)]
pub struct InputDecl {
    /// The input's name, the qualifier of `name.total`.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// The id of the ruleset whose result it must be (its `ruleset <id>` header).
    pub ruleset: Label,
    /// Citation.
    pub cite: Option<Citation>,
    /// The whole declaration.
    pub span: Span,
}

/// The ruleset header: id and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The ruleset id.
    pub id: Ident,
    /// `title`, `issuer`, `source` fields in order.
    pub fields: Vec<MetaField>,
    /// `effective` ranges (more than one is an error).
    pub effective: Vec<DateRange>,
    /// The whole header.
    pub span: Span,
}

/// Which metadata field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetaKey {
    /// `title`
    Title,
    /// `issuer`
    Issuer,
    /// `source`
    Source,
}

impl MetaKey {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            MetaKey::Title => "title",
            MetaKey::Issuer => "issuer",
            MetaKey::Source => "source",
        }
    }
}

/// `title "…"`, `issuer "…"` or `source "…"`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaField {
    /// Which field.
    pub key: MetaKey,
    /// Its value.
    pub value: Label,
    /// The whole field.
    pub span: Span,
}

/// `assumption [SD-A1] "…"`: an interpretation the source text leaves open.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    /// Its id, cited by the rules it shapes.
    pub id: ClauseRef,
    /// What is assumed.
    pub text: Label,
    /// The whole declaration.
    pub span: Span,
}

/// `clause [SD-3.1.1①] "指标任务未按序时进度完成的，每个指标扣5分"`: the text of
/// one clause of the source rulebook. Once a ruleset declares any clause, every
/// id it cites must be a declared clause or assumption (`kaohe::undeclared_clause`),
/// and results quote the text beside the id.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseDecl {
    /// Its id, as cited by rules.
    pub id: ClauseRef,
    /// The clause's wording (usually the rulebook's Chinese sentence).
    pub text: Label,
    /// The whole declaration.
    pub span: Span,
}

/// `levels name "label" { level "label" … }`: an enumerated type, highest first.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelsDecl {
    /// The type's name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// The levels in order.
    pub levels: Vec<LevelDef>,
    /// The whole declaration.
    pub span: Span,
}

/// One level of a `levels` type.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelDef {
    /// The level's name.
    pub name: Ident,
    /// Its label, accepted in fact files as well as the name.
    pub label: Option<Label>,
}

/// `group lead "牵头单位" { attribute … assessed annually average when … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupDecl {
    /// The group's name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// Citation.
    pub cite: Option<Citation>,
    /// Unit attributes the fact file gives for each unit of this group.
    pub attributes: Vec<Field>,
    /// `assessed annually`: the group is scored only in the annual assessment.
    pub assessed_annually: Option<Span>,
    /// The citation of `assessed annually [cite]`.
    pub assessed_cite: Option<Citation>,
    /// `average when <expr>`: units for which it holds get the group's average annual score.
    pub average_when: Option<(Expr, Option<Citation>)>,
    /// The whole declaration.
    pub span: Span,
}

/// `name: type "label"`: a typed attribute of a unit or record.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The attribute's name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeRef,
    /// Its label.
    pub label: Option<Label>,
}

/// A type as written: `integer`, `date?`, `media_tier`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    /// The type's name: a built-in type or a `levels` declaration.
    pub name: Ident,
    /// Whether `?` marks it optional.
    pub optional: bool,
}

/// `record kind "label" { fields, derive, key }`.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordDecl {
    /// The record kind's name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// Its attributes.
    pub fields: Vec<Field>,
    /// Derived conditions.
    pub derived: Vec<Derived>,
    /// `key attr`: the attribute that identifies the same item across periods.
    pub key: Option<Ident>,
    /// The whole declaration.
    pub span: Span,
}

/// `derive behind = actual < required [ML-A2]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// The derived attribute's name.
    pub name: Ident,
    /// Its definition over the record's attributes.
    pub expr: Expr,
    /// Citation.
    pub cite: Option<Citation>,
}

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodUnit {
    /// Calendar month.
    Month,
    /// Calendar quarter.
    Quarter,
    /// Half-year (`period half`, `2026-H1`).
    Half,
    /// ISO 8601 week (`period week`, `2026-W14`).
    Week,
    /// Calendar year (`period year`, `2026`): the period is the year itself,
    /// so the ruleset has no separate `annual`.
    Year,
}

/// What happens to a fact reported after its period was sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatePolicy {
    /// It is not applied and is listed as rejected.
    Rejected,
    /// It is applied to the open period in which it was reported.
    Carried,
}

/// `period month { seal 15 days after end  late rejected }` or `{ amendable }`.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodDecl {
    /// Month, quarter, half-year, week or year.
    pub unit: PeriodUnit,
    /// Where the unit word is (`month` … `year`).
    pub unit_span: Span,
    /// Citation.
    pub cite: Option<Citation>,
    /// `seal N days after end`.
    pub seal: Option<(Integer, Option<Citation>)>,
    /// `late rejected | carried`.
    pub late: Option<(LatePolicy, Span, Option<Citation>)>,
    /// `amendable`.
    pub amendable: Option<(Span, Option<Citation>)>,
    /// The whole declaration.
    pub span: Span,
}

/// `score { base … category … cap … }`, or `score of township { … }` for the
/// units of some groups only (issue 13 §10).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreDecl {
    /// `of township, town`: the groups whose units this block scores; empty
    /// when it scores every unit (the only block of the ruleset).
    pub groups: Vec<Ident>,
    /// Citation.
    pub cite: Option<Citation>,
    /// `allotments sum N [cite]`: the rulebook's allotments add up to `N`,
    /// not to the base, and the cited clause says so (issue 13 §10).
    pub allotments: Option<AllotmentsSum>,
    /// `base N` statements (more than one is an error).
    pub base: Vec<(Number, Option<Citation>)>,
    /// Categories in order.
    pub categories: Vec<Category>,
    /// Caps over a group of rules.
    pub group_caps: Vec<GroupCap>,
    /// The whole declaration.
    pub span: Span,
}

/// `allotments sum 90 [EX-2]`: the categories' allotments (of those counted in
/// the total) add up to 90, not to the base, as the cited clause says.
#[derive(Debug, Clone, PartialEq)]
pub struct AllotmentsSum {
    /// The stated sum.
    pub sum: Number,
    /// The clause that says so (required by the checker).
    pub cite: Option<Citation>,
    /// The whole statement.
    pub span: Span,
    /// Where it is given again in the same block (refused by the checker:
    /// which statement would hold would be a silent choice).
    pub repeated: Vec<Span>,
}

impl ScoreDecl {
    /// Whether this block scores the units of `group`: it names the group in
    /// `of`, or it names no group at all.
    pub fn scores(&self, group: &str) -> bool {
        self.groups.is_empty() || self.groups.iter().any(|g| g.name == group)
    }
}

/// Whether a cap holds for each evaluated period or for the year so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapScope {
    /// Within the evaluated period (a month in a monthly result, the year in the annual one).
    Period,
    /// Within the calendar year, cumulatively across its periods.
    Year,
}

/// `cap name "label" 12 per period on rule_a, rule_b [cite]`: one cap over several rules.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCap {
    /// The cap's name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// The cap.
    pub limit: Number,
    /// Its scope.
    pub scope: CapScope,
    /// The rules it covers.
    pub rules: Vec<Ident>,
    /// Citation.
    pub cite: Option<Citation>,
    /// The whole statement.
    pub span: Span,
}

/// `category key "重点工作" { allot 70  floor 0  rules… }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// The category's name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// `outside total` (issue 13 §10): the category is reported on its own and
    /// never added to the total (e.g. a score used only for a separate award).
    pub outside: Option<Span>,
    /// Citation.
    pub cite: Option<Citation>,
    /// `allot N`: the points the category holds of the base.
    pub allot: Option<Number>,
    /// The citation of `allot N [cite]`.
    pub allot_cite: Option<Citation>,
    /// `floor N`: deductions cannot take the category below this.
    pub floor: Option<(Number, Option<Citation>)>,
    /// `cap bonuses N`: the category's bonuses together.
    pub bonus_cap: Option<(Number, CapScope, Option<Citation>)>,
    /// The rules in order.
    pub rules: Vec<Rule>,
    /// The whole declaration.
    pub span: Span,
}

/// Which way a rule moves the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Subtracts a positive amount.
    Deduct,
    /// Adds a positive amount.
    Bonus,
    /// Adds a signed amount.
    Adjust,
}

impl RuleKind {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            RuleKind::Deduct => "deduct",
            RuleKind::Bonus => "bonus",
            RuleKind::Adjust => "adjust",
        }
    }
}

/// A scoring rule: `deduct behind "…" [cite] { per … amount … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Deduct, bonus or adjust.
    pub kind: RuleKind,
    /// The rule's name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// Citation.
    pub cite: Option<Citation>,
    /// `per kind where …`: one occurrence per matching record.
    pub per: Option<Per>,
    /// `when …`: the rule applies (once, or per record) only when this holds.
    pub when: Vec<Expr>,
    /// `amount …` (more than one is an error).
    pub amount: Vec<(Amount, Span)>,
    /// `once per attr keep highest`.
    pub once_per: Option<(Ident, Option<Citation>, Span)>,
    /// `times N when …` multipliers.
    pub times: Vec<Times>,
    /// `cap N per …`.
    pub caps: Vec<(Number, CapScope, Option<Citation>)>,
    /// `effective … to …`: the rule applies only to periods in this range.
    pub effective: Vec<DateRange>,
    /// The whole rule.
    pub span: Span,
}

/// `per kind where filter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Per {
    /// The record kind counted.
    pub kind: Ident,
    /// Only records for which this holds.
    pub filter: Option<Expr>,
}

/// What one occurrence of a rule is worth.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    /// A fixed amount or an expression over the record.
    Expr(Expr),
    /// `by attr { level: amount, … }`.
    ByLevel {
        /// The enumerated attribute.
        attribute: Ident,
        /// Amount per level.
        entries: Vec<(Ident, Number)>,
    },
    /// `by rank pos of total { top 3, 2, 1 bottom -3, -2, -1 overlap top }`.
    ByRank {
        /// The attribute holding the rank (1 = first).
        rank: Ident,
        /// The attribute holding how many were ranked.
        of: Ident,
        /// Amounts for 1st, 2nd, … place.
        top: Vec<Number>,
        /// Amounts for last, second-last, … place.
        bottom: Vec<Number>,
        /// Which table wins when a rank is in both.
        overlap: Option<RankSide>,
    },
    /// `discretion 5 to 10` (issue 13 §6, 酌情扣5至10分): the office decides
    /// each occurrence's amount within the inclusive range and gives it as the
    /// record's `decided` value in the facts.
    Discretion {
        /// The least the office may decide.
        from: Number,
        /// The most the office may decide.
        to: Number,
    },
}

/// `times 2 when overdue(rectify_by, rectified_on)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Times {
    /// The factor.
    pub factor: Expr,
    /// When it applies.
    pub when: Expr,
    /// Citation.
    pub cite: Option<Citation>,
    /// The whole statement.
    pub span: Span,
}

/// How the annual score is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnualSource {
    /// The year's records are scored as one period: caps and floors apply to the year.
    PooledRecords,
    /// The sum of the periods' results.
    SumOfPeriods,
}

/// Decimal rounding modes a ruleset may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundMode {
    /// Half away from zero.
    HalfUp,
    /// Half to even (banker's rounding).
    HalfEven,
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
}

/// `round 2 half_up`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rounding {
    /// Decimal places.
    pub places: Integer,
    /// Mode.
    pub mode: RoundMode,
}

/// `annual { from pooled records  convert weight 10 round 2 half_up }`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualDecl {
    /// Citation.
    pub cite: Option<Citation>,
    /// `from …` (more than one is an error).
    pub source: Vec<(AnnualSource, Span, Option<Citation>)>,
    /// `convert weight N`.
    pub convert: Option<Convert>,
    /// The whole declaration.
    pub span: Span,
}

/// `convert weight N round …`: converted = annual × N / 100.
#[derive(Debug, Clone, PartialEq)]
pub struct Convert {
    /// The weight.
    pub weight: Number,
    /// Declared rounding of the converted score.
    pub rounding: Option<Rounding>,
    /// Citation.
    pub cite: Option<Citation>,
}

/// `ranking name "label" of group per period { by … ties shared }`.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingDecl {
    /// The ranking's name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// The group ranked.
    pub group: Ident,
    /// `within attr`: rank separately among units with the same value of this
    /// unit attribute (e.g. each county of a province).
    pub within: Option<Ident>,
    /// Per period (default) or per year.
    pub scope: CapScope,
    /// Citation.
    pub cite: Option<Citation>,
    /// Order keys, first decides first.
    pub keys: Vec<OrderKey>,
    /// `ties shared`: units equal on every key share a rank, reported as unresolved.
    pub ties_shared: Option<(Span, Option<Citation>)>,
    /// `only when C` (issue 13 §3): only the units for which every such
    /// condition holds are ranked; the others get no place.
    pub only_when: Vec<(Expr, Option<Citation>)>,
    /// The whole declaration.
    pub span: Span,
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Highest first.
    Desc,
    /// Lowest first.
    Asc,
}

/// `by total desc`, `by indicators desc`, `by discretion`.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderKey {
    /// `total`, `discretion`, or a unit attribute.
    pub key: Ident,
    /// Direction; `total` and attributes default to descending.
    pub direction: Option<Direction>,
    /// Citation.
    pub cite: Option<Citation>,
}

/// Notice or flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsequenceKind {
    /// A notice to the unit (预警通知, 黄牌).
    Notice,
    /// An internal flag (一天一调度).
    Flag,
}

/// `notice warning "预警通知" of lead [cite] { when … action "…" }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsequenceDecl {
    /// Notice or flag.
    pub kind: ConsequenceKind,
    /// Its name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// The group it applies to (all groups when absent).
    pub target: Option<Ident>,
    /// Per period (default) or per year.
    pub scope: CapScope,
    /// Citation.
    pub cite: Option<Citation>,
    /// `per kind where …`: one per matching record.
    pub per: Option<Per>,
    /// `when …` conditions (all must hold).
    pub when: Vec<Expr>,
    /// The actions the rulebook prescribes.
    pub actions: Vec<Label>,
    /// An escalation ladder (issue 13 §2): `step` lines, lowest step first.
    /// When any are written, only the highest step reached is issued.
    pub steps: Vec<Step>,
    /// The whole declaration.
    pub span: Span,
}

/// One step of an escalation ladder: `step interview "约谈" [of group] when …`.
/// A step name may be written once without `of` (every group) and once per
/// group with its own condition (a group's threshold); its place in the
/// ladder is where its name first appears.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The step's name.
    pub name: Ident,
    /// Its label (the consequence as the rulebook names it: 约谈).
    pub label: Option<Label>,
    /// The group this condition is for (every group when absent).
    pub group: Option<Ident>,
    /// The condition that reaches the step.
    pub when: Expr,
    /// The whole step.
    pub span: Span,
}

/// `measure completion "完成率" of township [cite] = expr` (issue 13 §4): a
/// number per unit of the group in the evaluated period (or year), computed
/// over the unit's records and attributes; units are placed by it
/// (`place(m)`) and compared with their peers (`peer_max(m)`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureDecl {
    /// Its name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// The group whose units it is computed for (the peers).
    pub group: Ident,
    /// Citation.
    pub cite: Option<Citation>,
    /// The value, in the scope of a unit (no `per` record).
    pub value: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// `output name "label" [of group] [per period|per year] [cite] = expr`
/// (issue 13 §12): a number per unit that is not points (a share of a
/// subsidy withheld, a ratio), computed after scoring and ranking, so it may
/// read `total` and `rank` as a consequence's condition can.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputDecl {
    /// Its name.
    pub name: Ident,
    /// Its label (with its unit: `"扣减工作经费（%）"`).
    pub label: Option<Label>,
    /// The group it applies to (all groups when absent).
    pub target: Option<Ident>,
    /// Per period (default) or per year.
    pub scope: CapScope,
    /// Citation.
    pub cite: Option<Citation>,
    /// The value.
    pub value: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// Which side of its threshold a band holds on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandBound {
    /// `upto t`: the value is at most `t`.
    UpTo,
    /// `from t`: the value is at least `t`.
    From,
}

/// One band of `bands(…)`: `upto 3: 7`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// `upto` or `from`.
    pub bound: BandBound,
    /// The threshold.
    pub threshold: Number,
    /// The value when this band is the first that holds.
    pub value: Number,
    /// The whole band.
    pub span: Span,
}

/// `classify board "红黄绿榜" of lead { red "红" when … green otherwise }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifyDecl {
    /// Its name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// The group classified.
    pub target: Option<Ident>,
    /// Per period (default) or per year.
    pub scope: CapScope,
    /// Citation.
    pub cite: Option<Citation>,
    /// Arms, first match wins.
    pub arms: Vec<ClassArm>,
    /// The whole declaration.
    pub span: Span,
}

/// One class: `red "红" when …` or `green "绿" otherwise`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassArm {
    /// The class name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// Its condition; `None` for `otherwise`.
    pub when: Option<Expr>,
    /// The whole arm.
    pub span: Span,
}

/// `quota publicity of lead per year { require … "label"  action "…" }`.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaDecl {
    /// Its name.
    pub name: Ident,
    /// Its label.
    pub label: Option<Label>,
    /// The group it applies to.
    pub target: Option<Ident>,
    /// Per period or per year.
    pub scope: CapScope,
    /// Citation.
    pub cite: Option<Citation>,
    /// Requirements, each with an optional label.
    pub requires: Vec<(Expr, Option<Label>)>,
    /// What a unit that misses a requirement is sent.
    pub actions: Vec<Label>,
    /// The whole declaration.
    pub span: Span,
}

/// Top or bottom of a ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankSide {
    /// The first places.
    Top,
    /// The last places.
    Bottom,
}

/// Which units of a tie group count as inside a top or bottom band
/// (`ranked bottom 3 …`): SD-A7, revised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TieBand {
    /// The default: a unit is in the band by its published (competition)
    /// rank — top N when rank ≤ N, bottom N when rank ≥ n − N + 1.
    #[default]
    PublishedRank,
    /// `ties straddling`: a tie group counts as soon as any place it occupies
    /// (rank … rank + tied − 1) is inside the band.
    Straddling,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A decimal literal.
    Number(Decimal),
    /// A date literal.
    Date(Date),
    /// A text literal.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// A name (`actual`, `tier`) or a qualified name (`unit.indicators`).
    Path(Vec<Ident>),
    /// `not e`, `-e`.
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `if c then a else b`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `count(kind where filter)`: the number of the unit's records (their counts summed).
    Count {
        /// Record kind.
        kind: Ident,
        /// Filter over the record.
        filter: Option<Box<Expr>>,
        /// `in previous N periods`: the N periods before the evaluated one
        /// instead of it (issue 13 §5).
        earlier: Option<Integer>,
    },
    /// `sum(kind, value where filter)`.
    Sum {
        /// Record kind.
        kind: Ident,
        /// Value per record.
        value: Box<Expr>,
        /// Filter over the record.
        filter: Option<Box<Expr>>,
        /// `in previous N periods` (issue 13 §5).
        earlier: Option<Integer>,
    },
    /// A built-in function call: `min`, `max`, `abs`, `overdue`, `present`, `previous`.
    Call {
        /// The function's name.
        function: Ident,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `bands(x, upto 3: 7, upto 6: 5, else: 0)` (issue 13 §4, §7): the
    /// value of the first band that holds for `x`, else the `else` value (0).
    Bands {
        /// The value banded.
        subject: Box<Expr>,
        /// The bands, tried in order.
        bands: Vec<Band>,
        /// The value when no band holds (0 when not written).
        otherwise: Option<Number>,
    },
    /// `5 days`, `1 months`, `5 working days` (issue 13 §8): only as the
    /// right operand of `+` or `-` with a date on the left (`due + 5 days`).
    Duration {
        /// How many (a whole number).
        amount: Box<Expr>,
        /// Of what.
        unit: DateUnit,
    },
    /// `ranked bottom 3 for 2 consecutive periods in monthly`.
    Ranked {
        /// Top or bottom.
        side: RankSide,
        /// How many places.
        places: Integer,
        /// How many consecutive periods, the evaluated one included.
        periods: Integer,
        /// Which ranking (the only per-period ranking when absent).
        ranking: Option<Ident>,
        /// How a tie group at the band's edge counts (`ties straddling`).
        ties: TieBand,
        /// Which periods count: a streak ending with the evaluated period, or
        /// any periods of its calendar year (`in 3 periods this year`).
        window: RankWindow,
    },
}

/// The periods `ranked …` looks at (issue 13 §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankWindow {
    /// `for N consecutive periods`: the evaluated period and the N − 1 before it.
    Consecutive,
    /// `in N periods this year`: at least N of the periods of the evaluated
    /// period's calendar year, up to and including it; the count starts again
    /// each January.
    ThisYear,
}
