//! Everything the parser and the checker can say about a ruleset file.
//!
//! Each diagnostic is a small struct deriving [`thiserror::Error`] and
//! [`miette::Diagnostic`]; [`RulesetDiagnostic`] wraps them all. Messages are
//! lowercase without a trailing period, user input is in backticks, advice is in
//! `help`. Each variant's doc shows an input that triggers it; `tests/check/`
//! holds one invalid ruleset per diagnostic with its expected output.
//!
//! The library never renders diagnostics for a terminal: [`DiagnosticRecord`] is a
//! plain, serialisable form (file, line, column, severity, code, message, help), and
//! a front end may hand the diagnostic itself to `miette` for a graphical report.

use miette::{Diagnostic, SourceSpan};
use serde::Serialize;
use thiserror::Error;

use crate::source::{LineColumn, SourceFile, Span};

/// A problem in a ruleset file: an error (the ruleset cannot be used) or a warning.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum RulesetDiagnostic {
    /// The text does not follow the grammar. Trigger: `score { base 100 } garbage`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnexpectedSyntax(#[from] UnexpectedSyntax),
    /// The ruleset passes a [`Limits`](crate::Limits) limit: its size, bracket
    /// nesting or expression depth. Trigger: 100 `(` in a row.
    #[error(transparent)]
    #[diagnostic(transparent)]
    LimitExceeded(#[from] LimitExceeded),
    /// Full-width punctuation (`，` `：` `（` `）` `、` `；`) outside a string or
    /// comment, where the language needs the ASCII form. Trigger: `[ML-1，ML-A9]`
    /// or `name：text`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    FullWidthPunctuation(#[from] FullWidthPunctuation),
    /// A number literal does not fit a decimal. Trigger: `base 99999999999999999999999999999`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    NumberOutOfRange(#[from] NumberOutOfRange),
    /// A date literal is not a calendar date. Trigger: `effective 2023-02-30 to 2023-12-31`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    InvalidDate(#[from] InvalidDate),
    /// A required part of the file is missing. Trigger: a file with no `score` block.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MissingPart(#[from] MissingPart),
    /// A statement that may appear once appears twice. Trigger: two `amount` lines in a rule.
    #[error(transparent)]
    #[diagnostic(transparent)]
    RepeatedStatement(#[from] RepeatedStatement),
    /// A name refers to nothing declared. Trigger: `per media_reprot`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownName(#[from] UnknownName),
    /// A name is declared twice. Trigger: two `record report` declarations.
    #[error(transparent)]
    #[diagnostic(transparent)]
    DuplicateName(#[from] DuplicateName),
    /// An expression has the wrong type. Trigger: `per report where due + 1`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    TypeMismatch(#[from] TypeMismatch),
    /// A built-in function is called with the wrong number of arguments. Trigger: `overdue(due)`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    WrongArgumentCount(#[from] WrongArgumentCount),
    /// A cap is zero or negative. Trigger: `cap 0 per period`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    NonPositiveCap(#[from] NonPositiveCap),
    /// A cap over several rules names rules of different categories. Trigger:
    /// `cap both 5 on late, media` with `late` in one category and `media` in another.
    #[error(transparent)]
    #[diagnostic(transparent)]
    CapAcrossCategories(#[from] CapAcrossCategories),
    /// A deduction or bonus amount is negative. Trigger: `deduct x { amount -5 }`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    NegativeAmount(#[from] NegativeAmount),
    /// A date range ends before it starts. Trigger: `effective 2023-12-31 to 2023-01-01`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    InvalidRange(#[from] InvalidRange),
    /// Two versions of a rule are in force on the same day. Trigger: two `deduct late` with overlapping `effective`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    OverlappingEffective(#[from] OverlappingEffective),
    /// A level table leaves out levels of its type. Trigger: `amount by tier { central: 3 }`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MissingLevels(#[from] MissingLevels),
    /// A discretionary range ends below where it starts. Trigger: `amount discretion 10 to 5`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    ReversedDiscretion(#[from] ReversedDiscretion),
    /// A construct that needs a record is used where there is none. Trigger: `once per work` without `per`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    NeedsRecord(#[from] NeedsRecord),
    /// `previous(…)` on a record kind with no `key`. Trigger: `previous(late)` over `report`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    PreviousWithoutKey(#[from] PreviousWithoutKey),
    /// `ranked …` outside a notice, flag, classification or quota. Trigger: `amount if ranked top 1 for 1 consecutive periods then 1 else 0`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MisplacedRanked(#[from] MisplacedRanked),
    /// The period's policies contradict each other. Trigger: `amendable` and `seal` in one period.
    #[error(transparent)]
    #[diagnostic(transparent)]
    ConflictingPolicy(#[from] ConflictingPolicy),
    /// A classification can leave a unit unclassified, or has an arm after `otherwise`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    IncompleteClassification(#[from] IncompleteClassification),
    /// A count is zero where it must be positive. Trigger: `ranked bottom 0 for 2 consecutive periods`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    ZeroCount(#[from] ZeroCount),
    /// A cited assumption id is not declared. Trigger: `[SD-A11]` with only `SD-A1` … `SD-A10`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownAssumption(#[from] UnknownAssumption),
    /// Category allotments do not add up to the base (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    AllotmentMismatch(#[from] AllotmentMismatch),
    /// A cap or floor can never change a score (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    NeverBinds(#[from] NeverBinds),
    /// A ranking's last key can leave ties and the ranking does not say `ties shared` (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnacknowledgedTies(#[from] UnacknowledgedTies),
    /// A rule, ranking or consequence cites no clause (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    MissingCitation(#[from] MissingCitation),
    /// An input is declared and never used (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnusedInput(#[from] UnusedInput),
    /// An assumption is declared and cited by nothing (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    UncitedAssumption(#[from] UncitedAssumption),
    /// A rule's effective range lies partly outside the ruleset's (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    OutsideEffective(#[from] OutsideEffective),
    /// A rule's `effective` range starts or ends inside a period, so that
    /// period would be scored by two versions of the rule (or by a version in
    /// force for part of it). Trigger: `effective 2026-01-01 to 2026-04-14` in a
    /// monthly ruleset.
    #[error(transparent)]
    #[diagnostic(transparent)]
    EffectiveSplitsPeriod(#[from] EffectiveSplitsPeriod),
    /// A rule version's `effective` range lies entirely outside the ruleset's:
    /// it is never in force (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    NeverEffective(#[from] NeverEffective),
    /// A rule's conditions can never all hold, or a class can never be given
    /// (warning). Trigger: `when behind and not behind`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    NeverHolds(#[from] NeverHolds),
    /// A rule's amount is always 0 (warning). Trigger: `amount 0`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    ZeroAmount(#[from] ZeroAmount),
    /// Two rules of one category have the same label (warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    DuplicateLabel(#[from] DuplicateLabel),
    /// An amount or `times` factor uses the record's own `count`, which the
    /// amount is already multiplied by. Trigger: `per report amount count`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    CountInAmount(#[from] CountInAmount),
    /// A ruleset that declares its clauses cites an id that is neither a declared
    /// clause nor a declared assumption. Trigger: `[ML-55]` with `clause [ML-5] "…"` declared.
    #[error(transparent)]
    #[diagnostic(transparent)]
    UndeclaredClause(#[from] UndeclaredClause),
    /// `ranked … in K periods this year` with K above the periods of a year,
    /// so it can never hold. Trigger: `ranked bottom 3 in 13 periods this year` under `period month`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    CountBeyondYear(#[from] CountBeyondYear),
    /// Under `period year`, a construct that speaks of a year beside the
    /// periods (`annual`, `assessed annually`, `per year` on a ranking or a
    /// consequence): the period already is the year (issue 13 §9).
    /// Trigger: `annual { from sum of periods }` with `period year`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    PeriodIsYear(#[from] PeriodIsYear),
    /// A `step` of an escalation ladder where it cannot apply: in a notice
    /// with `per` (a ladder issues one step per unit), or `of` a group the
    /// notice does not apply to. Trigger: `notice n of lead { per report  step s when late }`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MisplacedStep(#[from] MisplacedStep),
    /// A band of `bands(…)` that can never be the first to hold, or a mix of
    /// `upto` and `from`. Trigger: `bands(place(m), upto 6: 5, upto 3: 7)`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnreachableBand(#[from] UnreachableBand),
    /// `place(…)`, `peer_max(…)`, … inside a measure's own value. Trigger:
    /// `measure share of lead = measure(done) / peer_sum(done)`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MeasureInMeasure(#[from] MeasureInMeasure),
    /// `this.x` outside `count(…)`/`sum(…)` within a record's scope. Trigger:
    /// `when this.place == "东街"` in a rule without `per`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MisplacedThis(#[from] MisplacedThis),
    /// A day of a ruleset's `calendar` year that cannot be right: outside
    /// the year, a range written backwards, a make-up working day on a
    /// weekday, a day both a holiday and a working day (issue 13 §8).
    /// Trigger: `year 2027 { workday 2027-02-08 }` (a Monday).
    #[error(transparent)]
    #[diagnostic(transparent)]
    CalendarDay(#[from] CalendarDay),
    /// A `year` of a `calendar` (replacing a shipped year or adding one) that
    /// cites no source, or lists no day at all. Trigger: `year 2027 { }`,
    /// `year 2027 { holiday 2027-01-01 }` without `[cite]`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    CalendarYear(#[from] CalendarYear),
    /// Working days are counted while the ruleset is in force in a year the
    /// calendar does not cover (warning: evaluating a date of that year
    /// fails). Trigger: `calendar cn` (2023–2026 shipped) in a ruleset
    /// effective `2027-01-01 to 2027-12-31` that counts
    /// `working_days_between(due, submitted)`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    CalendarMissingYear(#[from] CalendarMissingYear),
    /// Working days counted in a ruleset that declares no `calendar`
    /// (issue 13 §8). Trigger: `when working_days_between(due, submitted) > 5`
    /// without `calendar cn`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    NoCalendar(#[from] NoCalendar),
    /// A length of time (`5 days`) anywhere but after `date +` or `date -`
    /// (issue 13 §8). Trigger: `amount 5 days`, `5 days + due`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MisplacedDuration(#[from] MisplacedDuration),
    /// Groups are scored by `score of` blocks and this group is named by none
    /// (issue 13 §10). Trigger: `score of township { … }` and a `group department`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    GroupNotScored(#[from] GroupNotScored),
    /// A group is named by two `score of` blocks. Trigger: `score of township`
    /// twice.
    #[error(transparent)]
    #[diagnostic(transparent)]
    GroupScoredTwice(#[from] GroupScoredTwice),
    /// A `score` block without `of` beside `score of` blocks. Trigger:
    /// `score { … }` and `score of township { … }`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    ScoreWithoutGroup(#[from] ScoreWithoutGroup),
    /// `allotments sum N` that is wrong, needless or uncited. Trigger:
    /// `allotments sum 90` when the allotments add up to 80.
    #[error(transparent)]
    #[diagnostic(transparent)]
    AllotmentsStatement(#[from] AllotmentsStatement),
    /// `subtotal(c)` where the unit is not scored yet (in a rule, measure,
    /// ranking's `only when`). Trigger: `when subtotal(award) > 5` in a rule.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MisplacedSubtotal(#[from] MisplacedSubtotal),
}

impl RulesetDiagnostic {
    /// Whether this diagnostic makes the ruleset unusable.
    pub fn is_error(&self) -> bool {
        !matches!(
            self.severity(),
            Some(miette::Severity::Warning | miette::Severity::Advice)
        )
    }

    /// The primary span: the first label's.
    pub fn span(&self) -> Span {
        self.labels()
            .and_then(|mut labels| labels.next())
            .map_or(Span::default(), |label| {
                Span::new(label.offset(), label.offset() + label.len())
            })
    }

    /// The diagnostic code, e.g. `kaohe::unknown_name`.
    pub fn code_str(&self) -> String {
        self.code().map(|c| c.to_string()).unwrap_or_default()
    }

    /// The serialisable form, with line and column computed against `file`.
    pub fn record(&self, file: &SourceFile) -> DiagnosticRecord {
        let span = self.span();
        DiagnosticRecord {
            file: file.name().to_owned(),
            start: file.line_column(span.start),
            end: file.line_column(span.end),
            severity: if self.is_error() {
                Severity::Error
            } else {
                Severity::Warning
            },
            code: self.code_str(),
            message: self.to_string(),
            help: self.help().map(|h| h.to_string()),
        }
    }

    /// [`record`](Self::record) with the message and help in `lang`
    /// (issue 16 §3; code and location unchanged).
    pub fn record_in(
        &self,
        file: &SourceFile,
        lang: crate::i18n::Lang,
        catalog: &crate::i18n::Catalog,
    ) -> DiagnosticRecord {
        let mut record = self.record(file);
        record.message = catalog.text(lang, &record.code, &record.message);
        record.help = record.help.map(|h| catalog.text(lang, &record.code, &h));
        record
    }
}

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The ruleset cannot be used.
    Error,
    /// The ruleset can be used, but probably does not say what its author meant.
    Warning,
}

/// A diagnostic in plain, serialisable form (what `rulec check --format json` prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticRecord {
    /// The file's name.
    pub file: String,
    /// Where the primary span starts.
    #[serde(flatten)]
    pub start: LineColumn,
    /// Where it ends.
    pub end: LineColumn,
    /// Error or warning.
    pub severity: Severity,
    /// The stable code, e.g. `kaohe::unknown_name`.
    pub code: String,
    /// The message.
    pub message: String,
    /// Advice, if any.
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::UnexpectedSyntax`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("unexpected {found}")]
#[diagnostic(code(kaohe::syntax))]
pub struct UnexpectedSyntax {
    /// What was found, described.
    pub found: String,
    /// Where.
    #[label("expected {expected}")]
    pub span: SourceSpan,
    /// What the grammar allows here, described.
    pub expected: String,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::LimitExceeded`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what}: over the limit `{limit}` = {value}")]
#[diagnostic(code(kaohe::limit_exceeded))]
pub struct LimitExceeded {
    /// What passed the limit, e.g. "brackets nest".
    pub what: String,
    /// The limit's name in [`Limits`](crate::Limits), e.g. `max_nesting`.
    pub limit: String,
    /// The limit's value.
    pub value: usize,
    /// Where the limit was passed.
    #[label("limit passed here")]
    pub span: SourceSpan,
    /// What to do, for this limit (see [`LimitExceeded::help_for`]).
    #[help]
    pub help: Option<String>,
}

impl LimitExceeded {
    /// The advice for the limit named `limit`: a file too large is not
    /// fixed by splitting an expression, nor deep nesting by a smaller file.
    pub fn help_for(limit: &str) -> Option<String> {
        let raise = "an embedding program can raise it (`kaohe::Limits`)";
        Some(match limit {
            "max_ruleset_bytes" => format!(
                "a rulebook's ruleset is a few dozen kilobytes; check that this is the ruleset file (not a fact file or an export); {raise}"
            ),
            "max_nesting" => format!(
                "brackets and `if`s nest this deep only by mistake (an unclosed bracket?) or in generated text; flatten the expression, e.g. with `derive`; {raise}"
            ),
            "max_expression_operators" => format!(
                "split the expression into named parts with `derive`; {raise}"
            ),
            _ => return None,
        })
    }
}

/// See [`RulesetDiagnostic::FullWidthPunctuation`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("full-width {name} `{found}` where the rule language needs `{ascii}`")]
#[diagnostic(code(kaohe::full_width_punctuation))]
pub struct FullWidthPunctuation {
    /// The character found, e.g. `，`.
    pub found: String,
    /// Its name, e.g. "comma".
    pub name: String,
    /// The ASCII character to write instead.
    pub ascii: String,
    /// Where.
    #[label("write `{ascii}`")]
    pub span: SourceSpan,
    /// "full-width comma `，`: write `,`", and why it matters where it does.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::NumberOutOfRange`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("number `{text}` is out of range")]
#[diagnostic(code(kaohe::number_out_of_range))]
pub struct NumberOutOfRange {
    /// The literal.
    pub text: String,
    /// Where.
    #[label("too large")]
    pub span: SourceSpan,
    /// The range allowed here.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::InvalidDate`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`{text}` is not a calendar date")]
#[diagnostic(code(kaohe::invalid_date), help("dates are written YYYY-MM-DD"))]
pub struct InvalidDate {
    /// The literal.
    pub text: String,
    /// Where.
    #[label("no such day")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::MissingPart`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{within} has no {part}")]
#[diagnostic(code(kaohe::missing_part))]
pub struct MissingPart {
    /// What is missing, e.g. "`amount`".
    pub part: String,
    /// Where it is missing from, e.g. "rule `media`".
    pub within: String,
    /// The span of the construct missing it.
    #[label("{part} expected here")]
    pub span: SourceSpan,
    /// How to add it.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::RepeatedStatement`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{statement} is given more than once")]
#[diagnostic(code(kaohe::repeated_statement), help("keep one of them"))]
pub struct RepeatedStatement {
    /// What is repeated.
    pub statement: String,
    /// The repetition.
    #[label("repeated here")]
    pub span: SourceSpan,
    /// The first occurrence.
    #[label("first given here")]
    pub first: SourceSpan,
}

/// See [`RulesetDiagnostic::UnknownName`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("unknown {kind} `{name}`{within}")]
#[diagnostic(code(kaohe::unknown_name))]
pub struct UnknownName {
    /// What kind of name, e.g. "record kind".
    pub kind: String,
    /// The name.
    pub name: String,
    /// Where it was looked up, e.g. " of `media_tier`" (empty when global).
    pub within: String,
    /// Where.
    #[label("not declared")]
    pub span: SourceSpan,
    /// A did-you-mean or the names that are declared.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::DuplicateName`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{kind} `{name}` is declared twice")]
#[diagnostic(
    code(kaohe::duplicate_name),
    help("rename one of them or remove the copy")
)]
pub struct DuplicateName {
    /// What kind of name.
    pub kind: String,
    /// The name.
    pub name: String,
    /// The second declaration.
    #[label("declared again here")]
    pub span: SourceSpan,
    /// The first declaration.
    #[label("first declared here")]
    pub first: SourceSpan,
}

/// See [`RulesetDiagnostic::TypeMismatch`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("expected {expected}, found {found}")]
#[diagnostic(code(kaohe::type_mismatch))]
pub struct TypeMismatch {
    /// The expected type.
    pub expected: String,
    /// The type found.
    pub found: String,
    /// Where.
    #[label("this is {found}")]
    pub span: SourceSpan,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::WrongArgumentCount`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`{function}` takes {expected}, found {found}")]
#[diagnostic(code(kaohe::wrong_argument_count))]
pub struct WrongArgumentCount {
    /// The function.
    pub function: String,
    /// How many it takes, in words.
    pub expected: String,
    /// How many were given.
    pub found: usize,
    /// Where.
    #[label("called here")]
    pub span: SourceSpan,
    /// The function's signature.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::NonPositiveCap`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} `{value}` is not positive")]
#[diagnostic(
    code(kaohe::non_positive_cap),
    help("a cap limits an amount to at most this many points, a weight scales the annual score; remove the statement instead of writing 0")
)]
pub struct NonPositiveCap {
    /// What must be positive: a cap or a conversion weight.
    pub what: String,
    /// The value.
    pub value: String,
    /// Where.
    #[label("must be greater than 0")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::NegativeAmount`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`{rule_kind}` amount `{value}` is negative")]
#[diagnostic(
    code(kaohe::negative_amount),
    help("write deductions and bonuses as positive points; use `adjust` for an amount that may go either way")
)]
pub struct NegativeAmount {
    /// `deduct` or `bonus`.
    pub rule_kind: String,
    /// The value.
    pub value: String,
    /// Where.
    #[label("negative")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::InvalidRange`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("date range ends ({to}) before it starts ({from})")]
#[diagnostic(code(kaohe::invalid_range), help("write the earlier date first"))]
pub struct InvalidRange {
    /// Start.
    pub from: String,
    /// End.
    pub to: String,
    /// Where.
    #[label("empty range")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::OverlappingEffective`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("two versions of {kind} `{name}` are in force on the same days")]
#[diagnostic(
    code(kaohe::overlapping_effective),
    help("give each version an `effective` range that does not overlap the others")
)]
pub struct OverlappingEffective {
    /// What kind of declaration.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// The later version.
    #[label("this version")]
    pub span: SourceSpan,
    /// The version it overlaps.
    #[label("overlaps this one")]
    pub other: SourceSpan,
}

/// See [`RulesetDiagnostic::MissingLevels`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("amount table gives no amount for {missing}")]
#[diagnostic(code(kaohe::missing_levels))]
pub struct MissingLevels {
    /// The missing levels, in backticks.
    pub missing: String,
    /// The table.
    #[label("incomplete table")]
    pub span: SourceSpan,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::ReversedDiscretion`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("discretionary range ends ({to}) below where it starts ({from})")]
#[diagnostic(
    code(kaohe::reversed_discretion),
    help("write the smaller amount first: `amount discretion {to} to {from}`")
)]
pub struct ReversedDiscretion {
    /// The first amount written.
    pub from: String,
    /// The second amount written.
    pub to: String,
    /// Where.
    #[label("empty range")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::NeedsRecord`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} needs a record, but {context} has no `per` line")]
#[diagnostic(
    code(kaohe::needs_record),
    help("add `per <record kind>` so it applies to each record of that kind")
)]
pub struct NeedsRecord {
    /// The construct.
    pub what: String,
    /// The enclosing rule or consequence.
    pub context: String,
    /// Where.
    #[label("used without a record")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::PreviousWithoutKey`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`previous` needs record kind `{kind}` to declare a `key`")]
#[diagnostic(code(kaohe::previous_without_key))]
pub struct PreviousWithoutKey {
    /// The record kind.
    pub kind: String,
    /// Where.
    #[label("no key to find the previous period's record by")]
    pub span: SourceSpan,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::MisplacedRanked`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`ranked` can only be used in a notice, flag, classification or quota")]
#[diagnostic(
    code(kaohe::misplaced_ranked),
    help("scores cannot depend on rankings, which depend on scores; move this condition into a `notice`")
)]
pub struct MisplacedRanked {
    /// Where.
    #[label("ranking history used here")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::CapAcrossCategories`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("cap `{cap}` covers rules of two categories, `{first}` and `{other}`")]
#[diagnostic(
    code(kaohe::cap_across_categories),
    help("a cap over rules takes its excess back inside one category, before that category's own bonus cap and floor; write one cap per category")
)]
pub struct CapAcrossCategories {
    /// The cap.
    pub cap: String,
    /// The category of its first rule.
    pub first: String,
    /// The category of the rule at `span`.
    pub other: String,
    /// Where.
    #[label("this rule is in `{other}`")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::ConflictingPolicy`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{this} contradicts {other}")]
#[diagnostic(code(kaohe::conflicting_policy))]
pub struct ConflictingPolicy {
    /// This statement.
    pub this: String,
    /// The statement it contradicts.
    pub other: String,
    /// Where.
    #[label("this")]
    pub span: SourceSpan,
    /// The other statement.
    #[label("contradicted by this")]
    pub other_span: SourceSpan,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::IncompleteClassification`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("classification `{name}` {problem}")]
#[diagnostic(code(kaohe::incomplete_classification))]
pub struct IncompleteClassification {
    /// The classification.
    pub name: String,
    /// What is wrong.
    pub problem: String,
    /// Where.
    #[label("here")]
    pub span: SourceSpan,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::ZeroCount`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} must be at least 1")]
#[diagnostic(
    code(kaohe::zero_count),
    help("`ranked bottom 3 for 2 consecutive periods` needs at least one place and one period")
)]
pub struct ZeroCount {
    /// What is zero.
    pub what: String,
    /// Where.
    #[label("is 0")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::UnknownAssumption`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("citation `{id}` names an assumption that is not declared")]
#[diagnostic(code(kaohe::unknown_assumption))]
pub struct UnknownAssumption {
    /// The cited id.
    pub id: String,
    /// Where.
    #[label("no `assumption [{id}]`")]
    pub span: SourceSpan,
    /// Did you mean, or how to declare it.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::AllotmentMismatch`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("category allotments add up to {sum}, not to the base {base}")]
#[diagnostic(
    code(kaohe::allotment_mismatch),
    severity(Warning),
    help("check each category's `allot` against the rulebook's split of the base score; if the rulebook's split does not add up to the base, say so in the `score` block: `allotments sum N [clause]`")
)]
pub struct AllotmentMismatch {
    /// The sum of allotments.
    pub sum: String,
    /// The base.
    pub base: String,
    /// The base statement.
    #[label("base {base}")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::NeverBinds`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} can never bind: {reason}")]
#[diagnostic(code(kaohe::never_binds), severity(Warning))]
pub struct NeverBinds {
    /// The cap or floor.
    pub what: String,
    /// Why.
    pub reason: String,
    /// Where.
    #[label("has no effect")]
    pub span: SourceSpan,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::UnacknowledgedTies`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("ranking `{name}` can end in a tie and does not say what then")]
#[diagnostic(
    code(kaohe::unacknowledged_ties),
    severity(Warning),
    help("add `ties shared`: units still equal on every key then share the rank and the result reports the tie as unresolved")
)]
pub struct UnacknowledgedTies {
    /// The ranking.
    pub name: String,
    /// The last key (or the ranking, if it has none).
    #[label("units equal here stay tied")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::MissingCitation`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} `{name}` cites no clause")]
#[diagnostic(
    code(kaohe::missing_citation),
    severity(Warning),
    help("cite the clause it encodes, e.g. `[SD-3.1.1①]`, so every point can be traced to the rulebook")
)]
pub struct MissingCitation {
    /// What kind of declaration.
    pub what: String,
    /// Its name.
    pub name: String,
    /// Where.
    #[label("no citation")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::UnusedInput`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{kind} `{name}` is declared but never used")]
#[diagnostic(
    code(kaohe::unused_input),
    severity(Warning),
    help("remove it, or use it in a rule; fact files must still supply declared inputs")
)]
pub struct UnusedInput {
    /// What kind of input.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Where.
    #[label("unused")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::UncitedAssumption`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("assumption `{id}` is cited by no rule")]
#[diagnostic(
    code(kaohe::uncited_assumption),
    severity(Warning),
    help("cite it on the rules it shapes, so a reader can see what flipping it changes")
)]
pub struct UncitedAssumption {
    /// The assumption id.
    pub id: String,
    /// Where.
    #[label("never cited")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::OutsideEffective`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("effective range of {what} reaches outside the ruleset's ({from} to {to})")]
#[diagnostic(
    code(kaohe::outside_effective),
    severity(Warning),
    help("days outside the ruleset's own range are never evaluated")
)]
pub struct OutsideEffective {
    /// The declaration.
    pub what: String,
    /// The ruleset's start.
    pub from: String,
    /// The ruleset's end.
    pub to: String,
    /// Where.
    #[label("partly outside")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::EffectiveSplitsPeriod`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} of {context} ({date}) falls inside {period_kind} {period}")]
#[diagnostic(code(kaohe::effective_splits_period))]
pub struct EffectiveSplitsPeriod {
    /// `the start` or `the end`.
    pub what: String,
    /// The rule, e.g. "rule `late_data`".
    pub context: String,
    /// The date written.
    pub date: String,
    /// `month`, `quarter` or `year`.
    pub period_kind: String,
    /// The period it splits, e.g. `2026-04`.
    pub period: String,
    /// The `effective` statement.
    #[label("splits {period}")]
    pub span: SourceSpan,
    /// The period boundaries to use instead.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::NeverEffective`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} is never in force: its effective range lies entirely outside the ruleset's ({from} to {to})")]
#[diagnostic(
    code(kaohe::never_effective),
    severity(Warning),
    help("days outside the ruleset's own range are never evaluated; correct the dates or remove this version")
)]
pub struct NeverEffective {
    /// The declaration.
    pub what: String,
    /// The ruleset's start.
    pub from: String,
    /// The ruleset's end.
    pub to: String,
    /// Where.
    #[label("entirely outside")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::NeverHolds`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} can never apply: {reason}")]
#[diagnostic(code(kaohe::never_holds), severity(Warning))]
pub struct NeverHolds {
    /// The rule or class, e.g. "rule `late`".
    pub what: String,
    /// Why, e.g. "`behind` and `not behind` cannot both hold".
    pub reason: String,
    /// The condition.
    #[label("never true")]
    pub span: SourceSpan,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::ZeroAmount`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("rule `{rule}` always amounts to 0")]
#[diagnostic(
    code(kaohe::zero_amount),
    severity(Warning),
    help("a rule worth 0 points can never change a score; write the rulebook's amount, or remove the rule")
)]
pub struct ZeroAmount {
    /// The rule.
    pub rule: String,
    /// The amount.
    #[label("is 0")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::DuplicateLabel`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("rules `{first}` and `{rule}` of category `{category}` have the same label {label}")]
#[diagnostic(
    code(kaohe::duplicate_label),
    severity(Warning),
    help("a reader of the bulletin tells rules apart by their labels; give each rule its own (versions of one rule may share a label)")
)]
pub struct DuplicateLabel {
    /// The category.
    pub category: String,
    /// The label, quoted.
    pub label: String,
    /// The first rule with it.
    pub first: String,
    /// The rule repeating it.
    pub rule: String,
    /// The repeated label.
    #[label("same label as `{first}`")]
    pub span: SourceSpan,
    /// The first rule's label.
    #[label("first used here")]
    pub first_span: SourceSpan,
}

/// See [`RulesetDiagnostic::CountInAmount`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error(
    "{what} of rule `{rule}` uses the record's `count`, which the amount is already multiplied by"
)]
#[diagnostic(code(kaohe::count_in_amount))]
pub struct CountInAmount {
    /// `the amount` or `a \`times\` factor`.
    pub what: String,
    /// The rule.
    pub rule: String,
    /// The use of `count` (or of a derived attribute computed from it).
    #[label("`{name}` counts the record's `count` again")]
    pub span: SourceSpan,
    /// The name used.
    pub name: String,
    /// Advice.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::UndeclaredClause`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("citation `{id}` names a clause that is not declared")]
#[diagnostic(code(kaohe::undeclared_clause))]
pub struct UndeclaredClause {
    /// The cited id.
    pub id: String,
    /// Where.
    #[label("no `clause [{id}]`")]
    pub span: SourceSpan,
    /// Did you mean, or how to declare it.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::CountBeyondYear`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{periods} periods this year can never be reached: a year has {most} {name}")]
#[diagnostic(
    code(kaohe::count_beyond_year),
    help("count at most {most} periods, or use `for N consecutive periods` for a streak across years")
)]
pub struct CountBeyondYear {
    /// The count written.
    pub periods: u32,
    /// The periods of a year.
    pub most: u32,
    /// `months` or `quarters`.
    pub name: String,
    /// Where.
    #[label("more than a year has")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::PeriodIsYear`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} is not used under `period year`: the period already is the year")]
#[diagnostic(code(kaohe::period_is_year))]
pub struct PeriodIsYear {
    /// What is refused: "`annual`", "`assessed annually`", "`per year` of ranking `r`".
    pub what: String,
    /// Where.
    #[label("the year is the period")]
    pub span: SourceSpan,
    /// What to write instead.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::MisplacedStep`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("step `{name}` {problem}")]
#[diagnostic(code(kaohe::misplaced_step))]
pub struct MisplacedStep {
    /// The step's name.
    pub name: String,
    /// What is wrong, in words.
    pub problem: String,
    /// Where.
    #[label("here")]
    pub span: SourceSpan,
    /// What to do instead.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::UnreachableBand`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("a band {problem}")]
#[diagnostic(code(kaohe::unreachable_band))]
pub struct UnreachableBand {
    /// What is wrong, in words.
    pub problem: String,
    /// Where.
    #[label("never the first band that holds")]
    pub span: SourceSpan,
    /// What to do instead.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::MeasureInMeasure`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`{function}(…)` cannot be used in a measure's value{via}")]
#[diagnostic(
    code(kaohe::measure_in_measure),
    help("a measure is computed from the unit's own records and attributes; use places and peers in the rules and consequences that read the measure, or compute the value there")
)]
pub struct MeasureInMeasure {
    /// The function.
    pub function: String,
    /// Empty when the measure's value calls the function itself; else
    /// " (derived attribute `top` reads it)": the value reads a derived
    /// attribute computed from it (a measure that would depend on places
    /// among units it has not yet measured, even on itself).
    pub via: String,
    /// Where.
    #[label("a measure of measures")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::MisplacedThis`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`this.` names the record being scored, and there is none here")]
#[diagnostic(
    code(kaohe::misplaced_this),
    help("use `this.x` inside `count(kind where …)` or `sum(kind, … where …)` in a rule or notice with `per`: it is the `per` record, compared with the records counted (`count(problem where place == this.place in previous 3 periods)`)")
)]
pub struct MisplacedThis {
    /// Where.
    #[label("no enclosing record")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::CalendarDay`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("calendar year {year}: {problem}")]
#[diagnostic(
    code(kaohe::calendar_day),
    help("write each public holiday (放假) and make-up working day (调休上班) of the year as the State Council's notice gives them: `holiday 2027-02-06 to 2027-02-13`, `workday 2027-02-14`")
)]
pub struct CalendarDay {
    /// The year of the block.
    pub year: i32,
    /// What is wrong, in words.
    pub problem: String,
    /// Where.
    #[label("this day")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::CalendarYear`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("calendar year {year}: {problem}")]
#[diagnostic(
    code(kaohe::calendar_year),
    help("a year of the calendar written in the ruleset replaces (or adds) a year of official public holidays: cite the clause that gives its source, the State Council's notice (`year 2027 [N-2027] {{ … }}` with `clause [N-2027] \"国务院办公厅关于2027年部分节假日安排的通知\"`), and write every holiday (放假) and make-up working day (调休上班) it lists")
)]
pub struct CalendarYear {
    /// The year of the block.
    pub year: i32,
    /// What is wrong, in words.
    pub problem: String,
    /// Where.
    #[label("this year")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::CalendarMissingYear`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} counts working days, and the ruleset is in force in {missing}, which calendar `{calendar}` does not cover")]
#[diagnostic(
    code(kaohe::calendar_missing_year),
    severity(Warning),
    help("write each missing year's public holidays and make-up working days from the State Council's notice into the declaration: `calendar {calendar} {{ year 2027 [N-2027] {{ … }} }}`; until then, counting working days for a date of such a year fails when the ruleset is evaluated")
)]
pub struct CalendarMissingYear {
    /// What counts working days (`working_days_between(…)`, `working days`).
    pub what: String,
    /// The years in force and not covered: `2027` or `2027, 2028`.
    pub missing: String,
    /// The calendar's name.
    pub calendar: String,
    /// Where working days are first counted.
    #[label("counts working days")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::NoCalendar`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("{what} needs a working-day calendar, and the ruleset declares none")]
#[diagnostic(
    code(kaohe::no_calendar),
    help("declare the calendar of public holidays and make-up working days: `calendar cn` (the State Council's notices, shipped for 2023–2026; add later years with `year 2027 {{ … }}`)")
)]
pub struct NoCalendar {
    /// What counts working days (`working_days_between(…)`, `working days`).
    pub what: String,
    /// Where.
    #[label("counts working days")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::MisplacedDuration`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`{unit}` makes a length of time, which is only added to or subtracted from a date")]
#[diagnostic(
    code(kaohe::misplaced_duration),
    help("write the date first: `due + 5 days`, `due + 1 months`, `due - 5 working days`; the days from one date to another are `days_between(a, b)` or `working_days_between(a, b)`")
)]
pub struct MisplacedDuration {
    /// The unit as written (`days`, `months`, `working days`).
    pub unit: String,
    /// Where.
    #[label("not after `date +` or `date -`")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::GroupNotScored`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("group `{group}` is scored by no `score of` block")]
#[diagnostic(code(kaohe::group_not_scored))]
pub struct GroupNotScored {
    /// The group.
    pub group: String,
    /// The group's name in its declaration.
    #[label("no `score of` block names it")]
    pub span: SourceSpan,
    /// What to write.
    #[help]
    pub help: Option<String>,
}

/// See [`RulesetDiagnostic::GroupScoredTwice`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("group `{group}` is named by two `score of` blocks")]
#[diagnostic(
    code(kaohe::group_scored_twice),
    help("a unit is scored by exactly one block: remove the group from one of them")
)]
pub struct GroupScoredTwice {
    /// The group.
    pub group: String,
    /// The second mention.
    #[label("named again here")]
    pub span: SourceSpan,
    /// The first mention.
    #[label("first named here")]
    pub first: SourceSpan,
}

/// See [`RulesetDiagnostic::ScoreWithoutGroup`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("a `score` block without `of` beside `score of` blocks")]
#[diagnostic(
    code(kaohe::score_without_group),
    help("when groups are scored by blocks of their own, every block names its groups: `score of township {{ … }}`")
)]
pub struct ScoreWithoutGroup {
    /// The block without `of`.
    #[label("scores every group")]
    pub span: SourceSpan,
    /// A block with `of`.
    #[label("a block for some groups")]
    pub other: SourceSpan,
}

/// See [`RulesetDiagnostic::AllotmentsStatement`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`allotments sum {stated}` {problem}")]
#[diagnostic(
    code(kaohe::allotments_statement),
    help("`allotments sum N [clause]` acknowledges a rulebook whose category allotments (of the categories counted in the total) add up to N, not to the base; state that sum and cite the clause that gives the split")
)]
pub struct AllotmentsStatement {
    /// The stated sum.
    pub stated: String,
    /// What is wrong, in words.
    pub problem: String,
    /// The statement.
    #[label("here")]
    pub span: SourceSpan,
}

/// See [`RulesetDiagnostic::MisplacedSubtotal`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("`subtotal(…)` can only be used in a notice, flag, classification, quota or output")]
#[diagnostic(
    code(kaohe::misplaced_subtotal),
    help("a category's subtotal is known once the unit is scored, so rules, measures and rankings cannot read it; move this condition into a `notice`, `classify` or `output`")
)]
pub struct MisplacedSubtotal {
    /// Where.
    #[label("the unit is not scored yet here")]
    pub span: SourceSpan,
}
