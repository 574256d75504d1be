//! Fact files: the JSON an office supplies for a ruleset (units, records, the
//! evaluation date, discretionary orders), validated against the ruleset's input
//! declarations. Validation reports every problem at once, each with a JSON path
//! and what was expected; a fact file with any problem is not evaluated.
//!
//! The format is documented in `docs/facts.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::check::FactWarning;
use crate::date::Date;
use crate::limits::Limits;
use crate::period::Period;
use crate::ruleset::{hex_digest, Ruleset};
use crate::suggest;
use crate::syntax::ast::{Field, TypeRef};
use crate::text::{Attributes, Interner, Text};
use crate::value::{exact_decimal, NumberLimit, Value};

mod chunked;
mod fast;
mod json;
use json::{Input, Node, Object, Stop};
use serde_json::value::RawValue;

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
    /// Optional id; records of one unit with the same id replace each other
    /// (the latest reported applies; under a seal, only versions the seal lets in).
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
    /// Optional revision number (0 to 4294967295): the order of versions of
    /// one record (same `id`) reported on the same day, under any
    /// ruleset — the higher revision replaces the lower (docs/facts.md). JSON
    /// key `revision`; in the canonical form (and so the hash) only when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
    /// The day it was reported to the office.
    pub reported: Date,
    /// Its attributes, as its kind declares them.
    pub attributes: Attributes,
    /// The amount the office decided for a rule that deducts or adds points
    /// within a range at its discretion (`amount discretion 5 to 10`, issue
    /// 13 §6): JSON key `decided`, checked against the range of every such
    /// rule counting the record's kind. In the canonical form (and so the
    /// hash) only when given.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "decided_text"
    )]
    pub decided: Option<rust_decimal::Decimal>,
    /// Set by evaluation when a late record was carried into the period it
    /// arrived in (`late carried`): the period it was about. Never in fact files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<Period>,
    /// Where the record is in the fact file it was read from (`$.records[i]`),
    /// for the evaluation errors about it. Not serialised, and not part of
    /// equality: facts read from files of different record orders stay equal.
    #[serde(skip)]
    pub source: SourceIndex,
}

/// The index of a record in `$.records` of the fact file it was read from
/// (`None` for a record made otherwise). Every value compares equal: the
/// place of a record in its file is no part of what the record says.
#[derive(Debug, Clone, Copy, Default)]
pub struct SourceIndex(pub Option<usize>);

impl SourceIndex {
    /// The record's JSON path, `$.records[4]`, when known.
    pub fn path(self) -> Option<String> {
        self.0.map(|i| format!("$.records[{i}]"))
    }
}

impl PartialEq for SourceIndex {
    fn eq(&self, _: &SourceIndex) -> bool {
        true
    }
}

impl Eq for SourceIndex {}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The text `Display` writes, `YYYY-MM-DD`, from a buffer on the
        // stack: a date is written for every record into the facts' hash
        // and every explanation, and the formatting machinery was a tenth
        // of the hash.
        match self.digits() {
            Some(buf) => match std::str::from_utf8(&buf) {
                Ok(text) => serializer.serialize_str(text),
                Err(_) => serializer.collect_str(self),
            },
            None => serializer.collect_str(self),
        }
    }
}

/// `decided` as the exact number's shortest text (`"7.5"`).
fn decided_text<S: serde::Serializer>(
    decided: &Option<rust_decimal::Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match decided {
        Some(d) => {
            serializer.serialize_str(crate::number::DecimalText::new(d.normalize()).as_str())
        }
        None => serializer.serialize_none(),
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
    hash: LazyHash,
    #[serde(skip)]
    warnings: Warnings,
}

/// The warnings of the file the facts were read from. Not part of
/// equality: their JSON paths depend on the order of the input, which the
/// facts do not.
#[derive(Debug, Clone, Default)]
struct Warnings(Vec<FactWarning>);

impl PartialEq for Warnings {
    fn eq(&self, _: &Warnings) -> bool {
        true
    }
}

impl Eq for Warnings {}

/// The facts' hash, computed the first time it is asked for (issue 15 §2: a
/// CSV ranking never prints it, and hashing a province-year's canonical form
/// is a quarter of reading it). Facts are never changed after they are read,
/// so the hash of the first call stands. Not part of equality: it follows
/// from the other fields.
#[derive(Debug, Clone, Default)]
struct LazyHash(std::sync::OnceLock<String>);

impl PartialEq for LazyHash {
    fn eq(&self, _: &LazyHash) -> bool {
        true
    }
}

impl Eq for LazyHash {}

impl Facts {
    /// `sha256:` and the digest of the canonical (sorted) form: the same for any
    /// order of the input's units and records.
    ///
    /// Computed on the first call (serialising every record), then kept.
    pub fn hash(&self) -> &str {
        self.hash.0.get_or_init(|| canonical_hash(self))
    }

    /// What the fact file held that is allowed but worth telling whoever
    /// publishes the results ([`DUPLICATE_NAME`]: two units with one name),
    /// found while reading it, in the order of the file.
    /// [`crate::check::fact_warnings`] gives these and the warnings found
    /// against the ruleset.
    pub fn warnings(&self) -> &[FactWarning] {
        &self.warnings.0
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
    /// size, number of units and records). The same reader as
    /// [`Facts::from_reader_within`]: the same facts, the same errors.
    pub fn from_json_within(
        ruleset: &Ruleset,
        text: &str,
        limits: &Limits,
    ) -> Result<Facts, FactErrors> {
        Facts::from_slice_within(ruleset, text.as_bytes(), limits)
    }

    /// Reads and validates a fact file from `reader` (a file, a socket) within
    /// the default [`Limits`], without holding the file's text in memory:
    /// records are validated as they stream in.
    ///
    /// The bytes must be UTF-8 (a leading byte-order mark is skipped); UTF-16
    /// and other encodings are refused with the line and column of the first
    /// byte that is not UTF-8 (`docs/facts.md`, "Encoding").
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
        Facts::read(ruleset, reader, limits)
    }

    /// Reads and validates a fact file held in memory (an HTTP request's
    /// body, a file read whole) within the default [`Limits`]: the same
    /// facts and the same errors as [`Facts::from_reader`] on these bytes
    /// (a leading byte-order mark skipped, every encoding error reported
    /// the same way), several times faster when the file is valid: it is
    /// parsed in place, record texts borrowed from it.
    pub fn from_slice(ruleset: &Ruleset, bytes: &[u8]) -> Result<Facts, FactErrors> {
        Facts::from_slice_within(ruleset, bytes, &Limits::default())
    }

    /// [`Facts::from_slice`] within `limits`.
    pub fn from_slice_within(
        ruleset: &Ruleset,
        bytes: &[u8],
        limits: &Limits,
    ) -> Result<Facts, FactErrors> {
        // In place only what the reader would hand through unchanged: within
        // the size limit, UTF-8 (after a byte-order mark). Only a success is
        // taken from it; any error is found again, and reported, by the
        // reader, whose positions and messages are the documented ones.
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.len() <= limits.max_fact_bytes {
            if let Ok(text) = std::str::from_utf8(text) {
                if let Some(facts) = Facts::read_in_place(ruleset, text, limits) {
                    return Ok(facts);
                }
            }
        }
        Facts::read(ruleset, bytes, limits)
    }

    /// The facts of a valid file's text, parsed in place; `None` on any
    /// error (the reader then reports it).
    fn read_in_place(ruleset: &Ruleset, text: &str, limits: &Limits) -> Option<Facts> {
        let mut validator = Validator::new(ruleset);
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let (top, streamed) = validator.stream(&mut deserializer, limits).ok()??;
        validator.finish(&top, streamed, limits).ok()
    }

    /// The one reader behind every entry point.
    fn read(
        ruleset: &Ruleset,
        reader: impl std::io::Read,
        limits: &Limits,
    ) -> Result<Facts, FactErrors> {
        let mut validator = Validator::new(ruleset);
        let mut input = Input::new(reader, limits.max_fact_bytes);
        // An object is read member by member, records one at a time, so a
        // province-scale file never becomes one JSON tree in memory.
        let outcome = {
            // serde_json reads byte by byte: fast only from a `BufReader`.
            let buffered = std::io::BufReader::with_capacity(json::BUFFER, &mut input);
            let mut deserializer = serde_json::Deserializer::from_reader(buffered);
            validator.stream(&mut deserializer, limits)
        };
        // The end of the file in the middle of a character (a syntax error
        // elsewhere stands as it is).
        if outcome
            .as_ref()
            .map_or_else(serde_json::Error::is_eof, |_| true)
        {
            input.check_end();
        }
        let (top, streamed) = match (input.stop.take(), outcome) {
            (Some(stop), _) => return Err(stopped(stop, limits)),
            (None, Err(e)) if e.is_eof() && input.is_blank() => {
                return Err(FactErrors {
                    errors: vec![FactError::new(
                    "kaohe::facts::empty",
                    "$",
                    "the file is empty: a fact file is a JSON object with as_of, units and records",
                )],
                })
            }
            (None, Err(e)) => {
                let (at, trailing_comma) = input.at(e.line() as u64, e.column() as u64);
                return Err(not_json(&e, at, trailing_comma));
            }
            (None, Ok(None)) => {
                return Err(FactErrors {
                    errors: validator.errors,
                })
            }
            (None, Ok(Some(read))) => read,
        };
        validator.finish(&top, streamed, limits)
    }
}

impl<'r> Validator<'r> {
    fn new(ruleset: &'r Ruleset) -> Validator<'r> {
        Validator {
            ruleset,
            errors: Vec::new(),
            unit_ids_seen: BTreeSet::new(),
            // Records share the ruleset's kind texts (the engine finds kinds by pointer).
            interner: Interner::with_texts(ruleset.kinds().iter().cloned()),
            versions: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// The facts of a file read whole: the limits on units and records, then
    /// the top-level members; every error found, if any.
    fn finish(
        &mut self,
        top: &Object,
        streamed: Option<Streamed>,
        limits: &Limits,
    ) -> Result<Facts, FactErrors> {
        let over = |path: &str, what: String, limit: &str, value: usize| FactErrors {
            errors: vec![FactError::new(
                "kaohe::facts::over_limit",
                path,
                format!("{what} over the limit `{limit}` = {value}"),
            )],
        };
        let record_count = streamed.as_ref().map_or_else(
            || {
                top.get("records")
                    .and_then(Node::as_array)
                    .map_or(0, <[Node]>::len)
            },
            |s| s.count,
        );
        let unit_count = top
            .get("units")
            .and_then(Node::as_array)
            .map_or(0, <[Node]>::len);
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
        let facts = self.facts(top, streamed);
        match facts {
            Some(facts) if self.errors.is_empty() => Ok(facts),
            _ => Err(FactErrors {
                errors: std::mem::take(&mut self.errors),
            }),
        }
    }
}

/// A syntax error, at the line and column (in characters) reading stopped at.
fn not_json(
    e: &serde_json::Error,
    (line, column): (u64, u64),
    after_trailing_comma: bool,
) -> FactErrors {
    let text = e.to_string();
    let what = match text.rfind(" at line ") {
        Some(at) if e.line() > 0 => text.get(..at).unwrap_or(&text),
        _ => &text,
    };
    let what = if after_trailing_comma && what == "expected value" {
        "trailing comma"
    } else {
        what
    };
    let mut error = FactError::new(
        "kaohe::facts::not_json",
        "$",
        format!("not valid JSON: {what} at line {line} column {column}"),
    );
    error.line = Some(line);
    error.column = Some(column);
    FactErrors {
        errors: vec![error],
    }
}

/// Why reading stopped before the JSON was read.
fn stopped(stop: Stop, limits: &Limits) -> FactErrors {
    let error = match stop {
        Stop::OverSize(bytes) => FactError::new(
            "kaohe::facts::over_limit",
            "$",
            format!(
                "the fact file's {bytes} bytes are over the limit `max_fact_bytes` = {}",
                limits.max_fact_bytes
            ),
        ),
        Stop::Utf16 { big_endian } => FactError::new(
            "kaohe::facts::utf16",
            "$",
            format!(
                "the file is UTF-16 ({}), not UTF-8; save it as UTF-8",
                if big_endian {
                    "big-endian"
                } else {
                    "little-endian"
                }
            ),
        ),
        Stop::NotUtf8 {
            line,
            column,
            looks_like,
        } => {
            let looks = looks_like
                .map(|l| format!(" (looks like {l})"))
                .unwrap_or_default();
            let mut error = FactError::new(
                "kaohe::facts::not_utf8",
                "$",
                format!(
                    "the file is not UTF-8{looks}: the first byte that is not UTF-8 is at line {line} column {column}; save it as UTF-8"
                ),
            );
            error.line = Some(line);
            error.column = Some(column);
            error
        }
        Stop::Io(message) => FactError::new(
            "kaohe::facts::io",
            "$",
            format!("cannot read the fact file: {message}"),
        ),
    };
    FactErrors {
        errors: vec![error],
    }
}

/// One problem in a fact file.
///
/// Serialises (errors as data, `docs/errors.md`) to
/// `{"code", "severity", "message", "path"}`, with `line` and `column` when the
/// problem is in the file's bytes (encoding, JSON syntax) rather than in a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct FactError {
    /// Stable code, `kaohe::facts::…` (listed in `docs/errors.md`).
    pub code: &'static str,
    /// Where, as a JSON path: `$.records[3].attributes.tier`.
    pub path: String,
    /// What was expected and what was found (and what to do, where it helps).
    pub message: String,
    /// The line (1-based) of a problem in the file's bytes or JSON syntax.
    pub line: Option<u64>,
    /// The column (1-based, in characters) of a problem in the file's bytes or JSON syntax.
    pub column: Option<u64>,
}

impl FactError {
    fn new(code: &'static str, path: &str, message: impl Into<String>) -> FactError {
        FactError {
            code,
            path: path.to_owned(),
            message: message.into(),
            line: None,
            column: None,
        }
    }
}

impl Serialize for FactError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code)?;
        map.serialize_entry("severity", "error")?;
        map.serialize_entry("message", &self.message)?;
        map.serialize_entry("path", &self.path)?;
        if let Some(line) = self.line {
            map.serialize_entry("line", &line)?;
        }
        if let Some(column) = self.column {
            map.serialize_entry("column", &column)?;
        }
        map.end()
    }
}

/// Every problem found in a fact file (never empty); serialises to `{"errors": [...]}`.
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

/// The JSON path of member `key` of the value at `parent`, in JSONPath
/// (RFC 9535) notation: `$.units` for a name that may follow a dot (a letter,
/// `_` or any non-ASCII character, then those or digits), else the bracket
/// form with the key as a JSON string: `$.discretion["2026-04"]`,
/// `$.records[0]["my key"]`. Every path of a fact error or warning whose
/// member name comes from the input is written with it.
pub fn member_path(parent: &str, key: &str) -> String {
    let name_first = |c: char| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii();
    let mut chars = key.chars();
    let shorthand =
        chars.next().is_some_and(name_first) && chars.all(|c| name_first(c) || c.is_ascii_digit());
    if shorthand {
        format!("{parent}.{key}")
    } else {
        let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
        format!("{parent}[{quoted}]")
    }
}

/// The code of a record with a `revision` but no `id` (a revision orders the
/// versions of one record, which only an `id` names).
pub const REVISION_WITHOUT_ID: &str = "kaohe::facts::revision_without_id";

/// The code of two units with one name.
pub const DUPLICATE_NAME: &str = "kaohe::facts::duplicate_name";

/// `kaohe::facts::duplicate_name`: the unit at `$.units[second]` has the
/// name of the unit at `$.units[first]`, under another id. Ids are the key,
/// so the facts are not ambiguous to the engine; a ranking or bulletin that
/// shows units by name is ambiguous to its reader. At the later unit's
/// name, naming both paths.
fn duplicate_name(name: &str, first: (usize, &str), second: (usize, &str)) -> FactWarning {
    let ((i, first_id), (j, second_id)) = (first, second);
    FactWarning {
        code: DUPLICATE_NAME,
        severity: crate::diagnostics::Severity::Warning,
        path: format!("$.units[{j}].name"),
        message: format!(
            "units `{first_id}` ($.units[{i}].name) and `{second_id}` ($.units[{j}].name) have the same name `{name}`: a ranking or bulletin that shows both cannot tell them apart"
        ),
        help: Some("give each unit a name of its own, as it is published (e.g. with its township)".to_owned()),
    }
}

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
    /// What is allowed but worth telling (`Facts::warnings`).
    warnings: Vec<FactWarning>,
}

/// A version of a record with an `id`: its position in `$.records`, its
/// `reported` day and its `revision`.
type Version = (usize, Date, Option<u32>);

fn describe(json: &Node) -> String {
    match json {
        Node::Null => "null".to_owned(),
        Node::Bool(b) => format!("`{b}`"),
        Node::Number(n) => format!("`{n}`"),
        Node::String(s) => format!("\"{s}\""),
        Node::Array(_) => "an array".to_owned(),
        Node::Object(_) => "an object".to_owned(),
    }
}

/// A text with its leading and trailing white space made visible: `jtj␠`.
/// White space for ids, including the invisible characters that paste along
/// with text from web pages and Word: zero-width space, zero-width (non-)joiner,
/// word joiner and a byte-order mark inside the text.
fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// `text` without leading and trailing [`is_space`] characters.
fn trim_spaces(text: &str) -> &str {
    text.trim_matches(is_space)
}

fn visible(text: &str) -> String {
    let core = trim_spaces(text);
    let show = |c: char| match c {
        ' ' => "␠".to_owned(),
        '\t' => "␉".to_owned(),
        c => format!("<U+{:04X}>", u32::from(c)),
    };
    let start = text.len() - text.trim_start_matches(is_space).len();
    let end = text.trim_end_matches(is_space).len();
    let lead: String = text
        .get(..start)
        .unwrap_or_default()
        .chars()
        .map(show)
        .collect();
    let trail: String = text
        .get(end..)
        .unwrap_or_default()
        .chars()
        .map(show)
        .collect();
    format!("{lead}{core}{trail}")
}

/// The name of a white-space character, for messages.
fn space_name(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\u{00A0}' => "a no-break space (U+00A0)".to_owned(),
        '\u{3000}' => "a full-width space (U+3000)".to_owned(),
        '\u{200B}' => "an invisible zero-width space (U+200B)".to_owned(),
        c => format!("white space (U+{:04X})", u32::from(c)),
    }
}

/// Why a text that should be a date is not one, past "expected a date".
fn date_note(text: &str) -> String {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if shaped {
        return ": not a calendar day".to_owned();
    }
    // Another spelling of a real day: say how to write it.
    let parts: Vec<&str> = text
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
    if let [y, m, d] = parts.as_slice() {
        let number = |s: &str| s.parse::<u8>().ok();
        if let (Ok(y), Some(m), Some(d)) = (y.parse::<i32>(), number(m), number(d)) {
            if y >= 1000 {
                if let Some(date) = Date::new(y, m, d) {
                    return format!(" (fact files take YYYY-MM-DD only: write \"{date}\")");
                }
            }
        }
    }
    String::new()
}

impl Validator<'_> {
    fn error(&mut self, code: &'static str, path: &str, message: impl Into<String>) {
        self.errors.push(FactError::new(code, path, message));
    }

    /// `json` as an object; a key given twice in it is an error at its path.
    fn object<'j>(&mut self, json: &'j Node, path: &str) -> Option<&'j Object> {
        let object = json.as_object();
        match object {
            None => self.error(
                "kaohe::facts::wrong_type",
                path,
                format!("expected an object, found {}", describe(json)),
            ),
            Some(o) => {
                for key in &o.repeated {
                    self.repeated_key(path, key);
                }
            }
        }
        object
    }

    fn repeated_key(&mut self, path: &str, key: &str) {
        self.error(
            "kaohe::facts::repeated_key",
            &member_path(path, key),
            format!(
                "the key `{key}` is given more than once in this object; keep one (a JSON reader would silently use only one of them)"
            ),
        );
    }

    /// Reports keys of `object` not in `allowed`.
    fn only_keys(&mut self, object: &Object, allowed: &[&str], path: &str) {
        for key in object.keys() {
            if !allowed.contains(&key.as_str()) {
                let help = suggest::did_you_mean(key, allowed.iter().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                self.error(
                    "kaohe::facts::unexpected_field",
                    &member_path(path, key),
                    format!(
                        "unexpected field `{key}` (expected one of {}){help}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn string<'j>(&mut self, object: &'j Object, key: &str, path: &str) -> Option<&'j str> {
        match object.get(key) {
            Some(Node::String(s)) if !s.trim().is_empty() => Some(s),
            Some(other) => {
                self.error(
                    "kaohe::facts::wrong_type",
                    &format!("{path}.{key}"),
                    format!("expected a non-empty string, found {}", describe(other)),
                );
                None
            }
            None => {
                self.error(
                    "kaohe::facts::missing_field",
                    path,
                    format!("missing field `{key}`"),
                );
                None
            }
        }
    }

    /// Reports an id (`what`: "unit id", …) with leading or trailing white
    /// space; ids are never trimmed silently. `true` when it had some.
    fn spaced(&mut self, what: &str, id: &str, path: &str) -> bool {
        let (side, c) = match (id.chars().next(), id.chars().last()) {
            (Some(c), _) if is_space(c) => ("starts", c),
            (_, Some(c)) if is_space(c) => ("ends", c),
            _ => return false,
        };
        self.error(
            "kaohe::facts::white_space_in_id",
            path,
            format!(
                "{what} `{}` {side} with {}; remove it",
                visible(id),
                space_name(c)
            ),
        );
        true
    }

    /// What to add to "unknown unit `id`": the id it differs from only by
    /// white space, or the closest known ids.
    fn unknown_unit_help<'a>(
        &self,
        id: &str,
        known: impl Iterator<Item = &'a str> + Clone,
    ) -> String {
        let spaced = known
            .clone()
            .find(|k| *k != id && trim_spaces(k) == trim_spaces(id))
            .or_else(|| {
                self.unit_ids_seen
                    .iter()
                    .map(String::as_str)
                    .find(|k| *k != id && trim_spaces(k) == trim_spaces(id))
            });
        if let Some(k) = spaced {
            return format!(
                "; `{}` in $.units differs from it only by white space",
                visible(k)
            );
        }
        suggest::did_you_mean(id, known)
            .map(|h| format!("; {h}"))
            .unwrap_or_default()
    }

    fn date(&mut self, json: &Node, path: &str) -> Option<Date> {
        match json.as_str().map(Date::from_str) {
            Some(Ok(date)) => Some(date),
            _ => {
                let note = json.as_str().map(date_note).unwrap_or_default();
                self.error(
                    "kaohe::facts::not_a_date",
                    path,
                    format!(
                        "expected a date \"YYYY-MM-DD\", found {}{note}",
                        describe(json)
                    ),
                );
                None
            }
        }
    }

    /// A whole number 0 to 4294967295 (`count`, `revision`), in any JSON
    /// spelling (`5`, `5.0`, `5e0`) or as a string holding one (`"5"`).
    fn whole(&mut self, json: &Node, what: &str, path: &str) -> Option<u32> {
        let written = match json {
            Node::Number(t) | Node::String(t) => t.as_str(),
            other => {
                self.error(
                    "kaohe::facts::wrong_type",
                    path,
                    format!("expected {what}, 0 or more, found {}", describe(other)),
                );
                return None;
            }
        };
        let found = describe(json);
        match exact_decimal(written) {
            Err(NumberLimit::NotANumber) => {
                self.error(
                    "kaohe::facts::wrong_type",
                    path,
                    format!("expected {what}, 0 or more, found {found}"),
                );
                None
            }
            Err(limit) => {
                self.error(
                    "kaohe::facts::number_limit",
                    path,
                    format!(
                        "expected {what}, 0 or more and at most {}, found {found}, which {}",
                        u32::MAX,
                        limit.describe()
                    ),
                );
                None
            }
            Ok(d) if d.is_sign_negative() && !d.is_zero() || !d.fract().is_zero() => {
                self.error(
                    "kaohe::facts::wrong_type",
                    path,
                    format!("expected {what}, 0 or more, found {found}"),
                );
                None
            }
            Ok(d) => match u32::try_from(d) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.error(
                        "kaohe::facts::number_limit",
                        path,
                        format!(
                            "expected {what}, 0 or more and at most {}, found {found}",
                            u32::MAX
                        ),
                    );
                    None
                }
            },
        }
    }

    /// Validates the top-level members; records (and the units they refer to)
    /// may already have been validated while streaming.
    fn facts(&mut self, top: &Object, streamed: Option<Streamed>) -> Option<Facts> {
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
            if d.as_str().is_none() {
                self.error(
                    "kaohe::facts::wrong_type",
                    "$.description",
                    format!("expected a string, found {}", describe(d)),
                );
            }
        }
        let as_of = match top.get("as_of") {
            Some(j) => self.date(j, "$.as_of"),
            None => {
                self.error(
                    "kaohe::facts::missing_field",
                    "$",
                    "missing field `as_of` (the evaluation date)",
                );
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
        let facts = Facts {
            as_of,
            periods,
            units,
            records,
            discretion,
            hash: LazyHash::default(),
            warnings: Warnings(std::mem::take(&mut self.warnings)),
        };
        Some(facts)
    }

    fn array<'j>(&mut self, json: Option<&'j Node>, path: &str, required: bool) -> &'j [Node] {
        match json {
            Some(Node::Array(items)) => items,
            Some(other) => {
                self.error(
                    "kaohe::facts::wrong_type",
                    path,
                    format!("expected an array, found {}", describe(other)),
                );
                &[]
            }
            None => {
                if required {
                    let (parent, key) = path.rsplit_once('.').unwrap_or(("$", path));
                    self.error(
                        "kaohe::facts::missing_field",
                        parent,
                        format!("missing field `{key}`"),
                    );
                }
                &[]
            }
        }
    }

    fn periods(&mut self, json: Option<&Node>) -> Vec<Period> {
        let items = self.array(json, "$.periods", false);
        let mut periods = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(p) = self.period(item, &format!("$.periods[{i}]")) {
                periods.insert(p);
            }
        }
        periods.into_iter().collect()
    }

    fn period(&mut self, json: &Node, path: &str) -> Option<Period> {
        let unit = self.ruleset.period_unit();
        let expected = format!("a {} \"{}\"", unit.name(), unit.pattern());
        let period = json.as_str().and_then(|s| Period::from_str(s).ok());
        let Some(period) = period.filter(|p| p.is_unit(unit)) else {
            // `2025-W53`: the year has 52 ISO weeks; say so.
            let why = json
                .as_str()
                .and_then(crate::period::week_out_of_year)
                .map(|why| format!(": {why}"))
                .unwrap_or_default();
            self.error(
                "kaohe::facts::not_a_period",
                path,
                format!("expected {expected}, found {}{why}", describe(json)),
            );
            return None;
        };
        if let Some((from, to)) = self.ruleset.effective() {
            if period.end() < from || period.start() > to {
                self.error(
                    "kaohe::facts::outside_effective",
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

    fn units(&mut self, json: Option<&Node>) -> Vec<Unit> {
        let items = self.array(json, "$.units", true);
        let mut units: Vec<Unit> = Vec::new();
        // Ids, names and groups borrowed from the parsed file: one copy
        // each, made when the unit is built.
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("$.units[{i}]");
            let Some(object) = self.object(item, &path) else {
                continue;
            };
            self.only_keys(object, &["id", "name", "group", "attributes"], &path);
            let id = self.string(object, "id", &path);
            let name = self.string(object, "name", &path);
            let group = self.string(object, "group", &path);
            if let Some(id) = id {
                // The path is formatted only for an id that has white space.
                if trim_spaces(id).len() != id.len() {
                    self.spaced("unit id", id, &format!("{path}.id"));
                }
                if let Some(first) = seen.get(id) {
                    self.error(
                        "kaohe::facts::duplicate_unit",
                        &format!("{path}.id"),
                        format!("duplicate unit id `{id}` (first used at $.units[{first}])"),
                    );
                    continue;
                }
                seen.insert(id, i);
                self.unit_ids_seen.insert(id.to_owned());
            }
            let Some(group) = group else { continue };
            let ruleset = self.ruleset;
            let Some(decl) = ruleset.group(group) else {
                let names: Vec<&str> = self
                    .ruleset
                    .groups()
                    .map(|g| g.name.name.as_str())
                    .collect();
                let help = suggest::did_you_mean(group, names.iter().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                self.error(
                    "kaohe::facts::unknown_group",
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
                    id: self.interner.intern(id),
                    name: Text::from(name),
                    group: self.interner.intern(group),
                    attributes,
                });
            }
        }
        // Two units with one name. Only when every unit was read (else the
        // file is refused anyway): then `units[k]` is `$.units[k]`.
        if units.len() == items.len() {
            let mut named: BTreeMap<&str, usize> = BTreeMap::new();
            for (j, unit) in units.iter().enumerate() {
                match named.entry(unit.name.as_str()) {
                    std::collections::btree_map::Entry::Occupied(first) => {
                        let i = *first.get();
                        let first_id = units.get(i).map_or("", |u| u.id.as_str());
                        self.warnings.push(duplicate_name(
                            unit.name.as_str(),
                            (i, first_id),
                            (j, unit.id.as_str()),
                        ));
                    }
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(j);
                    }
                }
            }
        }
        units
    }

    fn records(
        &mut self,
        json: Option<&Node>,
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
        item: &Node,
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
                "revision",
                "reported",
                "attributes",
                "decided",
            ],
            &path,
        );
        let unit = self
            .string(object, "unit", &path)
            .map(|u| self.interner.intern(u));
        let unit_spaced = unit
            .as_ref()
            .is_some_and(|u| self.spaced("unit", u, &format!("{path}.unit")));
        if let (Some(u), Some(units), false) = (&unit, units, unit_spaced) {
            if !units.contains_key(u.as_str()) && !self.unit_ids_seen.contains(u.as_str()) {
                let help = self.unknown_unit_help(u, units.keys().map(Text::as_str));
                self.error(
                    "kaohe::facts::unknown_unit",
                    &format!("{path}.unit"),
                    format!("unknown unit `{u}` (not in $.units){help}"),
                );
            }
        }
        let period = match object.get("period") {
            Some(j) => self.period(j, &format!("{path}.period")),
            None => {
                self.error(
                    "kaohe::facts::missing_field",
                    &path,
                    "missing field `period`",
                );
                None
            }
        };
        let reported = match object.get("reported") {
            Some(j) => self.date(j, &format!("{path}.reported")),
            None => {
                self.error(
                    "kaohe::facts::missing_field",
                    &path,
                    "missing field `reported` (the day the fact reached the office)",
                );
                None
            }
        };
        if let (Some(reported), Some(as_of)) = (reported, as_of) {
            if reported > as_of {
                self.error(
                    "kaohe::facts::reported_after_as_of",
                    &format!("{path}.reported"),
                    format!("reported {reported} is after the evaluation date `as_of` {as_of}"),
                );
            }
        }
        let count = match object.get("count") {
            None => Some(1),
            Some(json) => self.whole(
                json,
                "a whole number of occurrences",
                &format!("{path}.count"),
            ),
        };
        let revision = match object.get("revision") {
            None => Some(None),
            Some(json) => self
                .whole(json, "a revision number", &format!("{path}.revision"))
                .map(Some),
        };
        let id = match object.get("id") {
            None => Some(None),
            Some(Node::String(s)) if !s.is_empty() => {
                if self.spaced("record id", s, &format!("{path}.id")) {
                    None
                } else {
                    Some(Some(Text::from(s.as_str())))
                }
            }
            Some(other) => {
                self.error(
                    "kaohe::facts::wrong_type",
                    &format!("{path}.id"),
                    format!("expected a non-empty string, found {}", describe(other)),
                );
                None
            }
        };
        // A revision orders the versions of one record, and only an `id`
        // says which records are versions of one: without it the revision
        // would be silently ignored (every such record counting).
        if object.get("revision").is_some() && object.get("id").is_none() {
            self.error(
                REVISION_WITHOUT_ID,
                &format!("{path}.revision"),
                "the record has a `revision` but no `id`: a revision orders the versions of one record, which only an `id` names; give the record the `id` its versions share, or remove the `revision`",
            );
        }
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
                "kaohe::facts::unknown_kind",
                &format!("{path}.kind"),
                format!("unknown record kind `{kind}`{help}"),
            );
            return None;
        };
        let decided = match object.get("decided") {
            None if self.ruleset.decision_required(&kind) => {
                let rule = self
                    .ruleset
                    .discretion_rules(&kind)
                    .next()
                    .map(|(r, from, to)| {
                        format!(
                            "rule `{}` deducts or adds {} to {} at the office's discretion",
                            r.name.name,
                            from.value.normalize(),
                            to.value.normalize()
                        )
                    })
                    .unwrap_or_default();
                self.error(
                    "kaohe::facts::decided_missing",
                    &path,
                    format!("missing field `decided`: {rule}; give the amount the office decided for this record"),
                );
                None
            }
            None => Some(None),
            Some(json) => self.decided(json, &kind, &format!("{path}.decided")),
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
            Some(revision),
            Some(id),
            Some(attributes),
            Some(decided),
        ) = (
            unit, period, reported, count, revision, id, attributes, decided,
        ) {
            // Records with one id replace each other under every ruleset
            // (the engine's `apply_policy`), so every version is collected.
            if let Some(id) = &id {
                self.versions
                    .entry((unit.clone(), id.clone()))
                    .or_default()
                    .push((i, reported, revision));
            }
            return Some(Record {
                id,
                unit,
                period,
                kind,
                count,
                revision,
                reported,
                attributes,
                decided,
                carried_from: None,
                source: SourceIndex(Some(i)),
            });
        }
        None
    }

    /// `$.records[i].decided`: the office's decision for a rule that deducts or
    /// adds at its discretion within a range (issue 13 §6). It must be a
    /// number, the record's kind must be counted by such a rule, and the value
    /// must lie within the range of one such rule (evaluation holds each unit
    /// to its own block's rule). `Some(None)` is never
    /// returned: absent is handled by the caller.
    fn decided(
        &mut self,
        json: &Node,
        kind: &str,
        path: &str,
    ) -> Option<Option<rust_decimal::Decimal>> {
        let value = match json {
            Node::Number(t) | Node::String(t) => match exact_decimal(t) {
                Ok(d) => d,
                Err(NumberLimit::NotANumber) => {
                    self.error(
                        "kaohe::facts::wrong_type",
                        path,
                        format!("expected a number, found {}", describe(json)),
                    );
                    return None;
                }
                Err(limit) => {
                    self.number_limit(json, path, &limit);
                    return None;
                }
            },
            other => {
                self.error(
                    "kaohe::facts::wrong_type",
                    path,
                    format!("expected a number, found {}", describe(other)),
                );
                return None;
            }
        };
        let ruleset = self.ruleset;
        let rules: Vec<_> = ruleset.discretion_rules(kind).collect();
        if rules.is_empty() {
            self.error(
                "kaohe::facts::decided_without_discretion",
                path,
                format!(
                    "`decided` is given, but no rule counting `{kind}` leaves its amount to the office's discretion; remove it (the ruleset fixes the amount)"
                ),
            );
            return None;
        }
        // With `score of` blocks a kind may be counted by a discretionary rule
        // in each block, with ranges of their own, or by none in the unit's
        // block: the unit's group may not be known yet (what is read must not
        // depend on the order of the file's keys), so the range is left to
        // evaluation, which checks every record against its unit's OWN block
        // before scoring (an error here would cite another block's rule).
        // Checked here only where it cannot depend on the unit's block: every
        // block has such a rule and all have one range (one block, or blocks
        // agreeing as 「乡镇、部门均酌情扣20至50分」).
        let every_block = ruleset.scores().all(|block| {
            block
                .categories
                .iter()
                .flat_map(|c| c.rules.iter())
                .any(|r| rules.iter().any(|(rule, _, _)| std::ptr::eq(*rule, r)))
        });
        let one_range = rules
            .windows(2)
            .all(|w| matches!(w, [(_, f1, t1), (_, f2, t2)] if f1.value == f2.value && t1.value == t2.value));
        let fits = !(every_block && one_range)
            || rules
                .iter()
                .any(|(_, from, to)| value >= from.value && value <= to.value);
        if !fits {
            if let Some((rule, from, to)) = rules.first() {
                self.error(
                    "kaohe::facts::decided_out_of_range",
                    path,
                    format!(
                        "decided amount {} is outside the range {} to {} of rule `{}`; decide an amount within it",
                        value.normalize(),
                        from.value.normalize(),
                        to.value.normalize(),
                        rule.name.name
                    ),
                );
            }
        }
        fits.then_some(Some(value))
    }

    /// Under every ruleset (amendable or sealed: ids supersede in both), two
    /// versions of one record (same unit and
    /// `id`) reported on the same day must state their order with distinct
    /// `revision`s; otherwise which one applies would be a silent choice
    /// (issue 12 §4). Each such pair is an error at the later one's path,
    /// naming both.
    fn same_day_versions(&mut self) {
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
                    found.push(FactError::new(
                        "kaohe::facts::same_day_versions",
                        &format!("$.records[{j}]"),
                        format!(
                            "$.records[{i}] and $.records[{j}] are two versions of record `{id}` of unit `{unit}` reported on the same day {reported}, and {why}; give each a distinct `revision` (the higher one applies) or remove the wrong one"
                        ),
                    ));
                }
            }
        }
        self.errors.extend(found);
    }

    fn discretion(
        &mut self,
        json: Option<&Node>,
        units: &BTreeMap<Text, Text>,
    ) -> BTreeMap<Period, Vec<String>> {
        let mut out = BTreeMap::new();
        let Some(json) = json else { return out };
        let Some(object) = self.object(json, "$.discretion") else {
            return out;
        };
        for (key, value) in &object.members {
            let path = member_path("$.discretion", key);
            let Ok(period) = Period::from_str(key) else {
                let why = crate::period::week_out_of_year(key)
                    .map(|why| format!(": {why}"))
                    .unwrap_or_default();
                self.error("kaohe::facts::not_a_period", &path, format!("expected a period (\"YYYY-MM\", \"YYYY-Qn\" or \"YYYY\") as key, found \"{key}\"{why}"));
                continue;
            };
            let items = self.array(Some(value), &path, true);
            let mut order: Vec<String> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                match item.as_str() {
                    Some(id) if units.contains_key(id) || self.unit_ids_seen.contains(id) => {
                        if order.iter().any(|o| o == id) {
                            self.error(
                                "kaohe::facts::listed_twice",
                                &item_path,
                                format!("unit `{id}` is listed twice"),
                            );
                        } else {
                            order.push(id.to_owned());
                        }
                    }
                    Some(id) => {
                        let help = self.unknown_unit_help(id, units.keys().map(Text::as_str));
                        self.error(
                            "kaohe::facts::unknown_unit",
                            &item_path,
                            format!("unknown unit `{id}` (not in $.units){help}"),
                        )
                    }
                    None => self.error(
                        "kaohe::facts::wrong_type",
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
        json: Option<&Node>,
        fields: &[Field],
        path: &str,
    ) -> Option<Attributes> {
        let empty = Object::default();
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
                    "kaohe::facts::unexpected_attribute",
                    &member_path(path, key),
                    format!("unexpected attribute `{key}` ({expected}){help}"),
                );
            }
        }
        for field in fields {
            let name = &field.name.name;
            let field_path = format!("{path}.{name}");
            match object.get(name) {
                None | Some(Node::Null) if field.ty.optional => {
                    values.push((self.interner.intern(name), Value::Absent));
                }
                None => self.error(
                    "kaohe::facts::missing_attribute",
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

    /// Reports a number kaohe cannot hold exactly (`kaohe::facts::number_limit`):
    /// the one wording for a record's `decided` and an attribute's value.
    fn number_limit(&mut self, json: &Node, path: &str, limit: &NumberLimit) {
        self.error(
            "kaohe::facts::number_limit",
            path,
            format!(
                "{} {}: kaohe reads numbers exactly and cannot hold it",
                describe(json),
                limit.describe()
            ),
        );
    }

    fn value(&mut self, json: &Node, ty: &TypeRef, path: &str) -> Option<Value> {
        let value = match (ty.name.name.as_str(), json) {
            // Numbers: every JSON spelling, or a string holding one, read exactly.
            ("integer" | "decimal", Node::Number(t) | Node::String(t)) => {
                let whole = ty.name.name == "integer";
                match exact_decimal(t) {
                    Ok(d) if whole && !d.fract().is_zero() => None,
                    Ok(d) => Some(Value::Number(d)),
                    Err(NumberLimit::NotANumber) => None,
                    Err(limit) => {
                        self.number_limit(json, path, &limit);
                        return None;
                    }
                }
            }
            ("date", Node::String(s)) => match Date::from_str(s) {
                Ok(d) => Some(Value::Date(d)),
                Err(_) => {
                    self.error(
                        "kaohe::facts::not_a_date",
                        path,
                        format!(
                            "expected a date \"YYYY-MM-DD\", found {}{}",
                            describe(json),
                            date_note(s)
                        ),
                    );
                    return None;
                }
            },
            ("text", Node::String(s)) => Some(Value::Text(self.interner.intern(s))),
            ("bool", Node::Bool(b)) => Some(Value::Bool(*b)),
            ("integer" | "decimal" | "date" | "text" | "bool", _) => None,
            (levels, Node::String(s)) => {
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
                "kaohe::facts::wrong_type",
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
        a.decided,
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
            b.decided,
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
    {
        // serde_json writes token by token: hash in blocks instead. 8 KiB,
        // not 64: freeing a block of 64 KiB or more makes glibc consolidate
        // its heap, a cost paid by every request of a service (and SHA-256
        // gains nothing from larger blocks).
        let mut buffered = std::io::BufWriter::with_capacity(1 << 13, &mut hasher);
        let _ = serde_json::to_writer(&mut buffered, facts);
        let _ = std::io::Write::flush(&mut buffered);
    }
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
    fn finish_deferred(&mut self, top: &Object, d: Deferred) -> Streamed {
        let saved = std::mem::take(&mut self.errors);
        let units = self.units(top.get("units"));
        let unit_errors = std::mem::replace(&mut self.errors, saved);
        let ids: BTreeMap<&str, ()> = units.iter().map(|u| (u.id.as_str(), ())).collect();
        let as_of = top
            .get("as_of")
            .and_then(Node::as_str)
            .and_then(|s| Date::from_str(s).ok());
        let mut errors = d.errors;
        for (record, i) in d.records.iter().zip(&d.positions) {
            if !ids.contains_key(record.unit.as_str())
                && !self.unit_ids_seen.contains(record.unit.as_str())
            {
                let help = self.unknown_unit_help(&record.unit, ids.keys().copied());
                errors.push(FactError::new(
                    "kaohe::facts::unknown_unit",
                    &format!("$.records[{i}].unit"),
                    format!("unknown unit `{}` (not in $.units){help}", record.unit),
                ));
            }
            if let Some(as_of) = as_of.filter(|a| record.reported > *a) {
                errors.push(FactError::new(
                    "kaohe::facts::reported_after_as_of",
                    &format!("$.records[{i}].reported"),
                    format!(
                        "reported {} is after the evaluation date `as_of` {as_of}",
                        record.reported
                    ),
                ));
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
    /// `records` as a [`Node`]; the records one at a time, validated at once
    /// when `as_of` and `units` came before them (checked against those
    /// later otherwise). `None` when the top level is not an object (reported).
    fn stream<'de, R: serde_json::de::Read<'de>>(
        &mut self,
        deserializer: &mut serde_json::Deserializer<R>,
        limits: &Limits,
    ) -> Result<Option<(Object, Option<Streamed>)>, serde_json::Error> {
        use serde::Deserializer as _;
        let out = (&mut *deserializer).deserialize_any(Top {
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

impl Top<'_, '_> {
    fn not_an_object(self, found: &str) -> Option<(Object, Option<Streamed>)> {
        self.validator.error(
            "kaohe::facts::wrong_type",
            "$",
            format!("expected an object, found {found}"),
        );
        None
    }
}

fn raw_node<E: serde::de::Error>(raw: &RawValue) -> Result<Node, E> {
    Node::from_raw(raw).map_err(E::custom)
}

impl<'de> serde::de::Visitor<'de> for Top<'_, '_> {
    type Value = Option<(Object, Option<Streamed>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a fact file: an object with as_of, units and records")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut top = Object::default();
        let mut streamed = None;
        let mut deferred = None;
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                // Given twice: an error; the second is not read.
                self.validator.repeated_key("$", &key);
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            seen.push(key.clone());
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
                    .and_then(Node::as_str)
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
                let raw: Box<RawValue> = map.next_value()?;
                top.insert(key, raw_node(&raw)?);
            }
        }
        if let Some(d) = deferred {
            streamed = Some(self.validator.finish_deferred(&top, d));
        }
        Ok(Some((top, streamed)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(self.not_an_object("an array"))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.not_an_object(&format!("\"{v}\"")))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.not_an_object(&format!("`{v}`")))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.not_an_object("null"))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.not_an_object(&format!("the number `{v}`")))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.not_an_object(&format!("the number `{v}`")))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(self.not_an_object("a number"))
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
        self.validator.error(
            "kaohe::facts::wrong_type",
            "$.records",
            format!("expected an array, found {found}"),
        );
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
        let context = fast::Context::new(self.validator.ruleset);
        while count < self.max {
            let Some(raw) = seq.next_element::<Box<RawValue>>()? else {
                return Ok((records, positions, count));
            };
            // A valid record goes straight into a `Record`; any other is read
            // (and its problems reported) by the validator.
            if let Some(record) = self
                .validator
                .fast_record(&context, count, &raw, self.units, self.as_of)
            {
                records.push(record);
                positions.push(count);
                count += 1;
                continue;
            }
            let item = raw_node(&raw)?;
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

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.not_an_array(&format!("`{v}`")))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.not_an_array(&format!("`{v}`")))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(self.not_an_array("a number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    fn miluo() -> Ruleset {
        Ruleset::from_source(SourceFile::new(
            "miluo-2026.rules",
            include_str!("../../../../rulesets/miluo-2026/miluo-2026.rules"),
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
