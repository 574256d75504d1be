//! Generators for the property tests (`tests/properties.rs`): random *valid*
//! rulesets in the kaohe language and random valid fact files for them.
//!
//! Both are built from a stream of choices (a `Vec<u32>` that proptest generates
//! and shrinks). Every decision reads the next number; an exhausted stream reads
//! 0, and 0 always means the simplest option (the first alternative, "no", the
//! smallest count). Shrinking the stream (shorter, smaller numbers) therefore
//! shrinks the ruleset and the facts, and a failing case is reported as the
//! ruleset text and the fact file it produced.
//!
//! - [`spec`]: a ruleset as a structure ([`spec::Spec`]) rendered to text.
//! - [`facts`]: a fact file for a spec ([`facts::FactsSpec`]) rendered to JSON.
#![allow(dead_code)]

pub mod facts;
pub mod spec;

use std::fmt;

/// The stream of choices a generator reads.
#[derive(Debug, Clone)]
pub struct Choices {
    data: Vec<u32>,
    pos: usize,
}

impl Choices {
    pub fn new(data: Vec<u32>) -> Choices {
        Choices { data, pos: 0 }
    }

    fn next(&mut self) -> u32 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v
    }

    /// A number in `0..n` (0 when `n` is 0 or 1).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        (self.next() as usize) % n
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(usize::try_from(hi - lo + 1).unwrap_or(1)) as i64
    }

    /// True with about `percent` % probability; false for a 0 choice.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) >= 100 - percent.min(100)
    }

    /// One of `items` (the first for a 0 choice).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len());
        &items[i]
    }

    /// A random permutation of `0..n`.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = self.below(i + 1);
            order.swap(i, j);
        }
        order
    }
}

// ------------------------------------------------------------------ layout

/// Rewrites the white space of a ruleset text at random without changing its
/// meaning: every run of white space outside strings and comments becomes one
/// of several layouts (a space, line breaks with indentation, a tab, the
/// full-width space), or nothing at all next to punctuation. A run that ends a
/// `//` comment keeps a line break.
pub fn scramble(text: &str, c: &mut Choices) -> String {
    const PUNCTUATION: &[char] = &['{', '}', '(', ')', '[', ']', ',', ':'];
    const LAYOUTS: &[&str] = &[" ", "\n", "  ", "\n\n    ", "\t", "\u{3000}", " \n  "];
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    let (mut in_string, mut in_comment) = (false, false);
    while i < chars.len() {
        let ch = chars[i];
        if in_string {
            out.push(ch);
            if ch == '\\' {
                if let Some(next) = chars.get(i + 1) {
                    out.push(*next);
                    i += 1;
                }
            } else if ch == '"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if in_comment {
            if ch == '\n' {
                in_comment = false;
                // Keep the line break that ends the comment, then fall through
                // to the white space after it.
                out.push('\n');
                i += 1;
                while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
                out.push_str(if c.chance(50) { "" } else { "  " });
                continue;
            }
            out.push(ch);
            i += 1;
            continue;
        }
        if ch == '"' {
            in_string = true;
            out.push(ch);
            i += 1;
            continue;
        }
        if ch == '/' && chars.get(i + 1) == Some(&'/') {
            in_comment = true;
            out.push(ch);
            i += 1;
            continue;
        }
        if ch.is_whitespace() {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
            let before = start.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i);
            let glued = before.is_some_and(|b| PUNCTUATION.contains(b))
                || after.is_some_and(|a| PUNCTUATION.contains(a));
            if glued && c.chance(30) {
                continue;
            }
            let layout: &&str = c.pick(LAYOUTS);
            out.push_str(layout);
            continue;
        }
        out.push(ch);
        i += 1;
    }
    out
}

// ------------------------------------------------------------------ calendar

/// A calendar day as a day number (1970-01-01 is 0), computed independently of
/// the engine's own date code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    pub fn ymd(y: i64, m: u32, d: u32) -> Day {
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = i64::from((m + 9) % 12);
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    pub fn civil(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (if m <= 2 { y + 1 } else { y }, m, d)
    }

    pub fn add(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    pub fn year(self) -> i64 {
        self.civil().0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// The kind of a generated ruleset's periods (issue 13 §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PerKind {
    Month,
    Quarter,
    Half,
    Week,
    Year,
}

impl PerKind {
    /// The keyword of `period …`.
    pub fn keyword(self) -> &'static str {
        match self {
            PerKind::Month => "month",
            PerKind::Quarter => "quarter",
            PerKind::Half => "half",
            PerKind::Week => "week",
            PerKind::Year => "year",
        }
    }
}

/// A month, a quarter, a half-year or an ISO 8601 week (by its week-year).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Per {
    Month(i64, u32),
    Quarter(i64, u32),
    Half(i64, u32),
    Week(i64, u32),
    /// The year of `period year`.
    Year(i64),
}

/// The Monday of ISO week 1 of week-year `y`: the Monday on or before 4 January
/// (1970-01-01, day 0, was a Thursday). Computed independently of the engine.
fn week_one(y: i64) -> Day {
    let jan4 = Day::ymd(y, 1, 4);
    jan4.add(-(jan4.0 + 3).rem_euclid(7))
}

impl Per {
    pub fn containing(kind: PerKind, day: Day) -> Per {
        let (y, m, _) = day.civil();
        match kind {
            PerKind::Month => Per::Month(y, m),
            PerKind::Quarter => Per::Quarter(y, (m - 1) / 3 + 1),
            PerKind::Half => Per::Half(y, if m <= 6 { 1 } else { 2 }),
            PerKind::Week => {
                let wy = if day >= week_one(y + 1) {
                    y + 1
                } else if day < week_one(y) {
                    y - 1
                } else {
                    y
                };
                Per::Week(wy, ((day.0 - week_one(wy).0) / 7 + 1) as u32)
            }
            PerKind::Year => Per::Year(y),
        }
    }

    pub fn start(self) -> Day {
        match self {
            Per::Month(y, m) => Day::ymd(y, m, 1),
            Per::Quarter(y, q) => Day::ymd(y, (q - 1) * 3 + 1, 1),
            Per::Half(y, h) => Day::ymd(y, (h - 1) * 6 + 1, 1),
            Per::Week(y, w) => week_one(y).add(7 * (i64::from(w) - 1)),
            Per::Year(y) => Day::ymd(y, 1, 1),
        }
    }

    pub fn next(self) -> Per {
        match self {
            Per::Month(y, 12) => Per::Month(y + 1, 1),
            Per::Month(y, m) => Per::Month(y, m + 1),
            Per::Quarter(y, 4) => Per::Quarter(y + 1, 1),
            Per::Quarter(y, q) => Per::Quarter(y, q + 1),
            Per::Half(y, 2) => Per::Half(y + 1, 1),
            Per::Half(y, h) => Per::Half(y, h + 1),
            Per::Week(y, _) if self.start().add(7) >= week_one(y + 1) => Per::Week(y + 1, 1),
            Per::Week(y, w) => Per::Week(y, w + 1),
            Per::Year(y) => Per::Year(y + 1),
        }
    }

    /// Whether this is the first period of its year (for weeks: of the week-year).
    pub fn first_of_year(self) -> bool {
        matches!(
            self,
            Per::Month(_, 1)
                | Per::Quarter(_, 1)
                | Per::Half(_, 1)
                | Per::Week(_, 1)
                | Per::Year(_)
        )
    }

    pub fn end(self) -> Day {
        self.next().start().add(-1)
    }

    pub fn year(self) -> i64 {
        match self {
            Per::Month(y, _)
            | Per::Quarter(y, _)
            | Per::Half(y, _)
            | Per::Week(y, _)
            | Per::Year(y) => y,
        }
    }

    /// The last day facts may be reported for the period under `seal N`.
    pub fn seal(self, days: u32) -> Day {
        self.end().add(i64::from(days))
    }

    /// `2026-04`, `2026-Q2`, `2026-H1` or `2026-W05`.
    pub fn label(self) -> String {
        match self {
            Per::Month(y, m) => format!("{y:04}-{m:02}"),
            Per::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Per::Half(y, h) => format!("{y:04}-H{h}"),
            Per::Week(y, w) => format!("{y:04}-W{w:02}"),
            Per::Year(y) => format!("{y:04}"),
        }
    }
}

impl fmt::Display for Per {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for (y, m, d) in [(2024, 2, 29), (2026, 12, 31), (2023, 1, 1), (2000, 3, 1)] {
            assert_eq!(Day::ymd(y, m, d).civil(), (y, m, d));
        }
        assert_eq!(Per::Month(2026, 4).end().to_string(), "2026-04-30");
        assert_eq!(Per::Quarter(2026, 1).seal(10).to_string(), "2026-04-10");
        assert_eq!(Per::Half(2026, 2).end().to_string(), "2026-12-31");
        let w = Per::containing(PerKind::Week, Day::ymd(2025, 12, 31));
        assert_eq!(
            (w.label(), w.start().to_string()),
            ("2026-W01".to_owned(), "2025-12-29".to_owned())
        );
        assert_eq!(Per::Week(2026, 53).next(), Per::Week(2027, 1));
        assert_eq!(Per::Week(2025, 52).next(), Per::Week(2026, 1));
    }
}
