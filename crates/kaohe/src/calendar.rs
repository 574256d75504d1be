//! Working-day calendars (issue 13 §8): which days are working days, for
//! `working_days_between(a, b)` and `d + N working days`.
//!
//! A calendar is **data**: for each year it covers, the public holidays
//! (放假) and the make-up working days on a Saturday or Sunday (调休上班).
//! Any other Monday–Friday is a working day, any other Saturday or Sunday a
//! rest day. The calendar `cn` ships the State Council's yearly notices
//! (国务院办公厅关于……年部分节假日安排的通知), one TOML file per year under
//! `calendars/cn/` in the repository, embedded in the library with
//! `include_str!` so that evaluation reads no file. A ruleset chooses its
//! calendar (`calendar cn`) and may add a year not shipped yet or replace a
//! shipped one (`year 2027 { holiday … workday … }`).
//!
//! A year the calendar does not cover is never guessed (weekends only would
//! be wrong around every festival): counting working days through it is an
//! error ([`NotCovered`]).
//!
//! **Convention** (《民法典》第二百零一条: "开始的当日不计入，自下一日开始计算"):
//! the start day does not count, the end day does.
//! `working_days_between(a, b)` is the number of working days `d` with
//! `a < d ≤ b` (negative when `b` is before `a`), and `d + N working days` is
//! the N-th working day after `d`, so that
//! `working_days_between(d, d + N working days) = N`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::date::Date;

/// The shipped calendars' names.
pub const SHIPPED: &[&str] = &["cn"];

/// The shipped year files of `cn`: (year, file name, text).
const CN: &[(i32, &str, &str)] = &[
    (
        2023,
        "calendars/cn/2023.toml",
        include_str!("../../../calendars/cn/2023.toml"),
    ),
    (
        2024,
        "calendars/cn/2024.toml",
        include_str!("../../../calendars/cn/2024.toml"),
    ),
    (
        2025,
        "calendars/cn/2025.toml",
        include_str!("../../../calendars/cn/2025.toml"),
    ),
    (
        2026,
        "calendars/cn/2026.toml",
        include_str!("../../../calendars/cn/2026.toml"),
    ),
];

/// A working-day calendar: the years it covers and their special days.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Calendar {
    name: String,
    years: BTreeMap<i32, Year>,
}

/// One year of a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Year {
    /// Public holidays (rest days whatever the day of the week).
    pub holidays: BTreeSet<Date>,
    /// Make-up working days (Saturdays or Sundays that are working days).
    pub workdays: BTreeSet<Date>,
    /// Where the days come from: the notice's title and number, or the
    /// ruleset's citation.
    pub source: String,
}

/// A working-day count that needs a year the calendar does not cover.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("working days are counted in calendar `{calendar}`, which has no year {year}")]
pub struct NotCovered {
    /// The calendar's name.
    pub calendar: String,
    /// The year missing.
    pub year: i32,
}

/// A shipped calendar file that is not a valid year (caught by the tests;
/// never expected at run time).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct CalendarFileError {
    /// The file, relative to the repository.
    pub file: String,
    /// What is wrong (with the TOML line and column when the file does not parse).
    pub message: String,
}

/// One line of a year: a holiday range or a make-up working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayLine {
    /// Holidays from the first to the last date, inclusive.
    Holiday(Date, Date),
    /// Make-up working days from the first to the last date, inclusive
    /// (usually one day).
    Workday(Date, Date),
}

/// What is wrong with the lines of a year: (index of the line, problem).
/// A date outside the year, a range written backwards, a make-up working day
/// that is not a Saturday or Sunday, a day both a holiday and a working day.
pub fn problems(year: i32, lines: &[DayLine]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut holidays = BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        let (DayLine::Holiday(from, to) | DayLine::Workday(from, to)) = *line;
        if let Some(d) = [from, to].into_iter().find(|d| d.year() != year) {
            out.push((i, format!("`{d}` is not in year {year}")));
        }
        if to < from {
            out.push((i, format!("`{from} to {to}` ends before it starts")));
        } else if let DayLine::Holiday(..) = line {
            holidays.extend(days(from, to));
        }
    }
    for (i, line) in lines.iter().enumerate() {
        if let DayLine::Workday(from, to) = *line {
            for d in days(from, to) {
                if !d.weekday().is_weekend() {
                    out.push((
                        i,
                        format!(
                            "`{d}` is a weekday: a make-up working day is a Saturday or Sunday"
                        ),
                    ));
                }
                if holidays.contains(&d) {
                    out.push((
                        i,
                        format!("`{d}` is both a holiday and a make-up working day"),
                    ));
                }
            }
        }
    }
    out.sort();
    out
}

/// The days from `from` to `to`, inclusive (none when `to` is earlier).
fn days(from: Date, to: Date) -> impl Iterator<Item = Date> {
    let count = from.days_until(to).max(-1) + 1;
    (0..count).filter_map(move |i| from.add_days(i))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    title: String,
    number: String,
    issued: String,
    #[serde(default)]
    holiday: Vec<HolidayEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    #[allow(dead_code)]
    name: String,
    from: String,
    to: String,
    #[serde(default)]
    workdays: Vec<String>,
}

impl Year {
    /// A year from its lines (checked with [`problems`] first).
    pub fn from_lines(lines: &[DayLine], source: String) -> Year {
        let mut year = Year {
            source,
            ..Year::default()
        };
        for line in lines {
            match *line {
                DayLine::Holiday(from, to) => year.holidays.extend(days(from, to)),
                DayLine::Workday(from, to) => year.workdays.extend(days(from, to)),
            }
        }
        year
    }

    /// Parses a year file (`calendars/cn/2026.toml`), checking its days.
    fn parse(file: &str, text: &str, expected: i32) -> Result<Year, CalendarFileError> {
        let error = |message: String| CalendarFileError {
            file: file.to_owned(),
            message,
        };
        let parsed: YearFile = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        if parsed.year != expected {
            return Err(error(format!(
                "says year {}, expected {expected}",
                parsed.year
            )));
        }
        let date = |text: &str| text.parse::<Date>().map_err(|e| error(e.to_string()));
        date(&parsed.issued)?;
        let mut lines = Vec::new();
        for h in &parsed.holiday {
            lines.push(DayLine::Holiday(date(&h.from)?, date(&h.to)?));
            for w in &h.workdays {
                let w = date(w)?;
                lines.push(DayLine::Workday(w, w));
            }
        }
        if let Some((_, problem)) = problems(expected, &lines).into_iter().next() {
            return Err(error(problem));
        }
        let source = if parsed.number.is_empty() {
            format!("{}（{}）", parsed.title, parsed.issued)
        } else {
            format!("{}（{}，{}）", parsed.title, parsed.number, parsed.issued)
        };
        Ok(Year::from_lines(&lines, source))
    }
}

impl Calendar {
    /// The shipped calendar `name` (`cn`), or `None` when there is none of that name.
    pub fn shipped(name: &str) -> Option<Result<Calendar, CalendarFileError>> {
        let files = match name {
            "cn" => CN,
            _ => return None,
        };
        let mut calendar = Calendar {
            name: name.to_owned(),
            years: BTreeMap::new(),
        };
        for (year, file, text) in files {
            match Year::parse(file, text, *year) {
                Ok(parsed) => {
                    calendar.years.insert(*year, parsed);
                }
                Err(e) => return Some(Err(e)),
            }
        }
        Some(Ok(calendar))
    }

    /// An empty calendar named `name` (covering no year).
    pub fn empty(name: &str) -> Calendar {
        Calendar {
            name: name.to_owned(),
            years: BTreeMap::new(),
        }
    }

    /// The calendar's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds a year, replacing the one the calendar had, if any.
    pub fn set_year(&mut self, year: i32, days: Year) {
        self.years.insert(year, days);
    }

    /// The years covered, with their days, in order.
    pub fn years(&self) -> impl Iterator<Item = (i32, &Year)> {
        self.years.iter().map(|(y, d)| (*y, d))
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: Date) -> Result<bool, NotCovered> {
        let year = self.years.get(&day.year()).ok_or_else(|| NotCovered {
            calendar: self.name.clone(),
            year: day.year(),
        })?;
        Ok(if year.holidays.contains(&day) {
            false
        } else {
            year.workdays.contains(&day) || !day.weekday().is_weekend()
        })
    }

    /// Every year from `a`'s to `b`'s (either order) is covered.
    fn covers(&self, a: Date, b: Date) -> Result<(), NotCovered> {
        let (low, high) = (a.year().min(b.year()), a.year().max(b.year()));
        match (low..=high).find(|y| !self.years.contains_key(y)) {
            Some(year) => Err(NotCovered {
                calendar: self.name.clone(),
                year,
            }),
            None => Ok(()),
        }
    }

    /// The number of working days `d` with `a < d ≤ b`; the negated count of
    /// those with `b < d ≤ a` when `b` is earlier. Both ends' years must be
    /// covered (and every year between).
    pub fn working_days_between(&self, a: Date, b: Date) -> Result<i64, NotCovered> {
        self.covers(a, b)?;
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut count = 0_i64;
        let mut day = from;
        while day < to {
            let Some(next) = day.add_days(1) else { break };
            day = next;
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }

    /// The `n`-th working day after `day` (before it when `n` is negative;
    /// `day` itself when `n` is 0). Fails when the walk reaches a year the
    /// calendar does not cover; `Ok(None)` only past the last representable date.
    pub fn add_working_days(&self, day: Date, n: i64) -> Result<Option<Date>, NotCovered> {
        self.covers(day, day)?;
        let step = if n < 0 { -1 } else { 1 };
        let mut left = n.unsigned_abs();
        let mut current = day;
        while left > 0 {
            let Some(next) = current.add_days(step) else {
                return Ok(None);
            };
            current = next;
            // Fails at the first day of a year not covered: the walk is
            // bounded by the years the calendar holds.
            if self.is_working_day(current)? {
                left -= 1;
            }
        }
        Ok(Some(current))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn every_shipped_year_loads() {
        let cn = Calendar::shipped("cn").unwrap().unwrap();
        let years: Vec<i32> = cn.years().map(|(y, _)| y).collect();
        assert_eq!(years, [2023, 2024, 2025, 2026]);
        for (_, year) in cn.years() {
            assert!(
                year.source.starts_with("国务院办公厅关于"),
                "{}",
                year.source
            );
            assert!(!year.holidays.is_empty() && !year.workdays.is_empty());
        }
        assert!(Calendar::shipped("us").is_none());
    }

    /// Each year's working days, counted by hand from its notice: the
    /// weekdays of the year, less the holidays on a weekday, plus the
    /// make-up working days (2024: 262 − 19 + 8). 1 January is a rest day in
    /// all four years, so leaving the start day out changes nothing.
    #[test]
    fn working_days_per_year() {
        let cn = Calendar::shipped("cn").unwrap().unwrap();
        for (year, expected) in [
            (2023, 260 - 18 + 7),
            (2024, 262 - 19 + 8),
            (2025, 261 - 18 + 5),
            (2026, 261 - 19 + 6),
        ] {
            assert_eq!(cn.is_working_day(d(&format!("{year}-01-01"))), Ok(false));
            assert_eq!(
                cn.working_days_between(d(&format!("{year}-01-01")), d(&format!("{year}-12-31"))),
                Ok(expected),
                "{year}"
            );
        }
    }

    #[test]
    fn spring_festival_2026() {
        let cn = Calendar::shipped("cn").unwrap().unwrap();
        // Friday 13th; Saturday 14th is a make-up working day; 15th–23rd off.
        assert_eq!(cn.is_working_day(d("2026-02-14")), Ok(true));
        assert_eq!(cn.is_working_day(d("2026-02-15")), Ok(false));
        assert_eq!(cn.is_working_day(d("2026-02-23")), Ok(false));
        assert_eq!(cn.is_working_day(d("2026-02-24")), Ok(true));
        assert_eq!(cn.is_working_day(d("2026-02-28")), Ok(true));
        assert_eq!(cn.is_working_day(d("2026-03-01")), Ok(false));
        // 14th, 24th, 25th: the start day does not count, the end day does.
        assert_eq!(
            cn.working_days_between(d("2026-02-13"), d("2026-02-25")),
            Ok(3)
        );
        assert_eq!(
            cn.working_days_between(d("2026-02-25"), d("2026-02-13")),
            Ok(-3)
        );
        assert_eq!(
            cn.working_days_between(d("2026-02-13"), d("2026-02-13")),
            Ok(0)
        );
        assert_eq!(
            cn.add_working_days(d("2026-02-13"), 1),
            Ok(Some(d("2026-02-14")))
        );
        assert_eq!(
            cn.add_working_days(d("2026-02-13"), 2),
            Ok(Some(d("2026-02-24")))
        );
        assert_eq!(
            cn.add_working_days(d("2026-02-13"), 5),
            Ok(Some(d("2026-02-27")))
        );
        assert_eq!(
            cn.add_working_days(d("2026-02-24"), -1),
            Ok(Some(d("2026-02-14")))
        );
        assert_eq!(
            cn.add_working_days(d("2026-02-24"), 0),
            Ok(Some(d("2026-02-24")))
        );
    }

    #[test]
    fn round_trip_over_the_shipped_years() {
        let cn = Calendar::shipped("cn").unwrap().unwrap();
        let mut day = d("2023-01-01");
        while day < d("2026-11-30") {
            for n in [0_i64, 1, 3, 5, 20] {
                let later = cn.add_working_days(day, n).unwrap().unwrap();
                assert_eq!(cn.working_days_between(day, later), Ok(n), "{day} + {n}");
                assert!(n == 0 || cn.is_working_day(later).unwrap());
            }
            day = day.add_days(3).unwrap();
        }
    }

    #[test]
    fn a_year_not_covered_is_an_error() {
        let cn = Calendar::shipped("cn").unwrap().unwrap();
        let missing = NotCovered {
            calendar: "cn".to_owned(),
            year: 2027,
        };
        assert_eq!(cn.is_working_day(d("2027-01-04")), Err(missing.clone()));
        assert_eq!(
            cn.working_days_between(d("2026-12-30"), d("2027-01-05")),
            Err(missing.clone())
        );
        assert_eq!(cn.add_working_days(d("2026-12-30"), 5), Err(missing));
        assert_eq!(
            cn.working_days_between(d("2022-12-30"), d("2023-01-05")),
            Err(NotCovered {
                calendar: "cn".to_owned(),
                year: 2022
            })
        );
        let mut extended = cn.clone();
        extended.set_year(
            2027,
            Year::from_lines(
                &[DayLine::Holiday(d("2027-01-01"), d("2027-01-01"))],
                String::new(),
            ),
        );
        // 2026-12-31 (Thu), 2027-01-01 off, 01-04 (Mon), 01-05.
        assert_eq!(
            extended.working_days_between(d("2026-12-30"), d("2027-01-05")),
            Ok(3)
        );
    }

    #[test]
    fn problems_of_a_year() {
        let lines = [
            DayLine::Holiday(d("2027-02-10"), d("2027-02-06")),
            DayLine::Holiday(d("2028-01-01"), d("2028-01-01")),
            DayLine::Workday(d("2027-02-08"), d("2027-02-08")),
            DayLine::Holiday(d("2027-05-01"), d("2027-05-05")),
            DayLine::Workday(d("2027-05-01"), d("2027-05-01")),
        ];
        let found = problems(2027, &lines);
        let text: Vec<String> = found.iter().map(|(i, p)| format!("{i}: {p}")).collect();
        assert_eq!(
            text,
            [
                "0: `2027-02-10 to 2027-02-06` ends before it starts",
                "1: `2028-01-01` is not in year 2027",
                "2: `2027-02-08` is a weekday: a make-up working day is a Saturday or Sunday",
                "4: `2027-05-01` is both a holiday and a make-up working day",
            ]
        );
    }
}
