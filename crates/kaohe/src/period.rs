//! Assessment periods: months, quarters, half-years, ISO 8601 weeks and years,
//! with their bounds, their seal dates and their order (issue 13 §9).
//!
//! A week is an ISO 8601 week (Monday to Sunday) named by its ISO week-year:
//! `2026-W01` starts on Monday 2025-12-29, so a week crossing the year boundary
//! belongs to the year that holds its Thursday. The week arithmetic is `jiff`'s.

use std::fmt;
use std::str::FromStr;

use crate::date::Date;
use crate::syntax::ast::PeriodUnit;

/// A month (`2023-07`), a quarter (`2023-Q3`), a half-year (`2023-H2`), an ISO
/// week (`2023-W14`) or a year (`2023`).
///
/// `Year` is both the period of a `period year` ruleset and the annual result of
/// a ruleset with shorter periods; a `period year` ruleset has no separate
/// annual result (the checker refuses `annual` there), so a year is never shown twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// A calendar month.
    Month {
        /// Year.
        year: i32,
        /// Month, 1–12.
        month: u8,
    },
    /// A calendar quarter.
    Quarter {
        /// Year.
        year: i32,
        /// Quarter, 1–4.
        quarter: u8,
    },
    /// A half-year: H1 is January–June, H2 July–December.
    Half {
        /// Year.
        year: i32,
        /// Half, 1–2.
        half: u8,
    },
    /// An ISO 8601 week, Monday to Sunday.
    Week {
        /// ISO week-year (the year of the week's Thursday).
        year: i32,
        /// Week, 1–52 or 1–53 in a long ISO year.
        week: u8,
    },
    /// A calendar year: the period of `period year`, or the annual assessment
    /// of a ruleset with shorter periods.
    Year(i32),
}

/// A kaohe date as a `jiff` date (years −9999–9999).
fn to_jiff(date: Date) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(
        i16::try_from(date.year()).ok()?,
        i8::try_from(date.month()).ok()?,
        i8::try_from(date.day()).ok()?,
    )
    .ok()
}

/// A `jiff` date as a kaohe date.
fn from_jiff(date: jiff::civil::Date) -> Option<Date> {
    Date::new(
        i32::from(date.year()),
        u8::try_from(date.month()).ok()?,
        u8::try_from(date.day()).ok()?,
    )
}

/// The Monday of ISO week `week` of ISO week-year `year`, if that week exists.
fn week_start(year: i32, week: u8) -> Option<Date> {
    let week_date = jiff::civil::ISOWeekDate::new(
        i16::try_from(year).ok()?,
        i8::try_from(week).ok()?,
        jiff::civil::Weekday::Monday,
    )
    .ok()?;
    from_jiff(week_date.date())
}

/// How many ISO weeks the ISO week-year `year` has: 52 or 53 (the week of
/// 28 December is always the last).
pub fn weeks_in_year(year: i32) -> u8 {
    Date::new(year, 12, 28)
        .and_then(to_jiff)
        .and_then(|d| u8::try_from(d.iso_week_date().week()).ok())
        .unwrap_or(52)
}

impl Period {
    /// The period of `unit` that contains `date`.
    pub fn containing(unit: PeriodUnit, date: Date) -> Period {
        match unit {
            PeriodUnit::Month => Period::Month {
                year: date.year(),
                month: date.month(),
            },
            PeriodUnit::Quarter => Period::Quarter {
                year: date.year(),
                quarter: (date.month() - 1) / 3 + 1,
            },
            PeriodUnit::Half => Period::Half {
                year: date.year(),
                half: if date.month() <= 6 { 1 } else { 2 },
            },
            PeriodUnit::Week => match to_jiff(date).map(|d| d.iso_week_date()) {
                Some(w) => Period::Week {
                    year: i32::from(w.year()),
                    week: u8::try_from(w.week()).unwrap_or(1),
                },
                // Outside jiff's years (−9999–9999): no such facts pass parsing.
                None => Period::Week {
                    year: date.year(),
                    week: 1,
                },
            },
            PeriodUnit::Year => Period::Year(date.year()),
        }
    }

    /// The kind of the period.
    pub fn unit(self) -> PeriodUnit {
        match self {
            Period::Month { .. } => PeriodUnit::Month,
            Period::Quarter { .. } => PeriodUnit::Quarter,
            Period::Half { .. } => PeriodUnit::Half,
            Period::Week { .. } => PeriodUnit::Week,
            Period::Year(_) => PeriodUnit::Year,
        }
    }

    /// The first period of `unit` in `year` (for weeks: of the ISO week-year).
    pub fn first_of_year(unit: PeriodUnit, year: i32) -> Period {
        match unit {
            PeriodUnit::Month => Period::Month { year, month: 1 },
            PeriodUnit::Quarter => Period::Quarter { year, quarter: 1 },
            PeriodUnit::Half => Period::Half { year, half: 1 },
            PeriodUnit::Week => Period::Week { year, week: 1 },
            PeriodUnit::Year => Period::Year(year),
        }
    }

    /// The last period of `unit` in `year` (for weeks: of the ISO week-year,
    /// week 52 or 53).
    pub fn last_of_year(unit: PeriodUnit, year: i32) -> Period {
        match unit {
            PeriodUnit::Month => Period::Month { year, month: 12 },
            PeriodUnit::Quarter => Period::Quarter { year, quarter: 4 },
            PeriodUnit::Half => Period::Half { year, half: 2 },
            PeriodUnit::Week => Period::Week {
                year,
                week: weeks_in_year(year),
            },
            PeriodUnit::Year => Period::Year(year),
        }
    }

    /// How many periods of `unit` a year has at most: 12, 4, 2, 53 or 1 (the
    /// bound of `in K periods this year`).
    pub fn most_per_year(unit: PeriodUnit) -> u32 {
        match unit {
            PeriodUnit::Month => 12,
            PeriodUnit::Quarter => 4,
            PeriodUnit::Half => 2,
            PeriodUnit::Week => 53,
            PeriodUnit::Year => 1,
        }
    }

    /// The year the period belongs to.
    pub fn year(self) -> i32 {
        match self {
            Period::Month { year, .. }
            | Period::Quarter { year, .. }
            | Period::Half { year, .. }
            | Period::Week { year, .. }
            | Period::Year(year) => year,
        }
    }

    /// Whether this is a period of the kind the ruleset uses.
    pub fn is_unit(self, unit: PeriodUnit) -> bool {
        self.unit() == unit
    }

    /// The first day.
    pub fn start(self) -> Date {
        let (year, month) = match self {
            Period::Month { year, month } => (year, month),
            Period::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1),
            Period::Half { year, half } => (year, (half - 1) * 6 + 1),
            Period::Week { year, week } => {
                return week_start(year, week).unwrap_or(Date::EPOCH);
            }
            Period::Year(year) => (year, 1),
        };
        Date::new(year, month, 1).unwrap_or(Date::EPOCH)
    }

    /// The first and last day of the period in a ruleset of `unit` periods:
    /// the period's own bounds, except that the year of a weekly ruleset is
    /// its ISO week-year (2026: 2025-12-29 to 2027-01-03), the weeks it is
    /// made of.
    pub fn bounds_in(self, unit: PeriodUnit) -> (Date, Date) {
        match (self, unit) {
            (Period::Year(year), PeriodUnit::Week) => (
                Period::first_of_year(unit, year).start(),
                Period::last_of_year(unit, year).end(),
            ),
            _ => (self.start(), self.end()),
        }
    }

    /// The last day.
    pub fn end(self) -> Date {
        self.next().start().add_days(-1).unwrap_or(Date::EPOCH)
    }

    /// The period after this one.
    pub fn next(self) -> Period {
        match self {
            Period::Month { year, month: 12 } => Period::Month {
                year: year + 1,
                month: 1,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month + 1,
            },
            Period::Quarter { year, quarter: 4 } => Period::Quarter {
                year: year + 1,
                quarter: 1,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter + 1,
            },
            Period::Half { year, half: 2 } => Period::Half {
                year: year + 1,
                half: 1,
            },
            Period::Half { year, .. } => Period::Half { year, half: 2 },
            Period::Week { year, week } if week >= weeks_in_year(year) => Period::Week {
                year: year + 1,
                week: 1,
            },
            Period::Week { year, week } => Period::Week {
                year,
                week: week + 1,
            },
            Period::Year(year) => Period::Year(year + 1),
        }
    }

    /// The period before this one.
    pub fn previous(self) -> Period {
        match self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Half { year, half: 1 } => Period::Half {
                year: year - 1,
                half: 2,
            },
            Period::Half { year, .. } => Period::Half { year, half: 1 },
            Period::Week { year, week: 1 } => Period::Week {
                year: year - 1,
                week: weeks_in_year(year - 1),
            },
            Period::Week { year, week } => Period::Week {
                year,
                week: week - 1,
            },
            Period::Year(year) => Period::Year(year - 1),
        }
    }

    /// The last day on which facts about this period are still accepted, for a
    /// seal `days` after the period's end.
    pub fn seal_date(self, days: u32) -> Date {
        let end = self.end();
        end.add_days(i64::from(days)).unwrap_or(end)
    }
}

impl PeriodUnit {
    /// The unit's name in English: `month`, `quarter`, `half-year`, `week`, `year`.
    pub fn name(self) -> &'static str {
        match self {
            PeriodUnit::Month => "month",
            PeriodUnit::Quarter => "quarter",
            PeriodUnit::Half => "half-year",
            PeriodUnit::Week => "week",
            PeriodUnit::Year => "year",
        }
    }

    /// The plural: `months`, `quarters`, `half-years`, `weeks`, `years`.
    pub fn plural(self) -> &'static str {
        match self {
            PeriodUnit::Month => "months",
            PeriodUnit::Quarter => "quarters",
            PeriodUnit::Half => "half-years",
            PeriodUnit::Week => "weeks",
            PeriodUnit::Year => "years",
        }
    }

    /// `monthly`, `quarterly`, `half-yearly`, `weekly`, `yearly`.
    pub fn adjective(self) -> &'static str {
        match self {
            PeriodUnit::Month => "monthly",
            PeriodUnit::Quarter => "quarterly",
            PeriodUnit::Half => "half-yearly",
            PeriodUnit::Week => "weekly",
            PeriodUnit::Year => "yearly",
        }
    }

    /// How a period's name is written: `YYYY-MM`, `YYYY-Qn`, `YYYY-Hn`,
    /// `YYYY-Wnn` (ISO week), `YYYY`.
    pub fn pattern(self) -> &'static str {
        match self {
            PeriodUnit::Month => "YYYY-MM",
            PeriodUnit::Quarter => "YYYY-Qn",
            PeriodUnit::Half => "YYYY-Hn",
            PeriodUnit::Week => "YYYY-Wnn",
            PeriodUnit::Year => "YYYY",
        }
    }

    /// A period of the unit, as an example: `2026-04`, `2026-Q1`, `2026-H1`,
    /// `2026-W14`, `2026`.
    pub fn example(self) -> &'static str {
        match self {
            PeriodUnit::Month => "2026-04",
            PeriodUnit::Quarter => "2026-Q1",
            PeriodUnit::Half => "2026-H1",
            PeriodUnit::Week => "2026-W14",
            PeriodUnit::Year => "2026",
        }
    }

    /// The unit's name in Chinese (glossary): 月份, 季度, 半年, 周, 年度.
    pub fn name_zh(self) -> &'static str {
        match self {
            PeriodUnit::Month => "月份",
            PeriodUnit::Quarter => "季度",
            PeriodUnit::Half => "半年",
            PeriodUnit::Week => "周",
            PeriodUnit::Year => "年度",
        }
    }

    /// The keyword of `period <unit>`: `month`, `quarter`, `half`, `week`, `year`.
    pub fn keyword(self) -> &'static str {
        match self {
            PeriodUnit::Half => "half",
            other => other.name(),
        }
    }
}

/// Why a text is not a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", period_error(text))]
pub struct PeriodError {
    /// The text given.
    pub text: String,
}

/// What [`PeriodError`] says: the accepted forms, or, for week 53 of a year
/// of 52 ISO weeks, that the year has 52 ([`week_out_of_year`]).
fn period_error(text: &str) -> String {
    match week_out_of_year(text) {
        Some(why) => format!("`{text}` is not a period: {why}"),
        None => format!(
            "`{text}` is not a period (expected YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-Wnn or YYYY)"
        ),
    }
}

/// Why `text`, written as an ISO week (`YYYY-Wnn`, `nn` at most 53), is not
/// one: its year has 52 ISO weeks — `2025 has 52 ISO weeks (its last week is
/// 2025-W52)`. `None` for any other text. Every message refusing a week
/// period adds it (the ISO calendar has 53 weeks in some years only, and
/// `2025-W53` looks as valid as `2026-W53`).
///
/// ```
/// assert_eq!(
///     kaohe::period::week_out_of_year("2025-W53").as_deref(),
///     Some("2025 has 52 ISO weeks (its last week is 2025-W52)")
/// );
/// assert_eq!(kaohe::period::week_out_of_year("2026-W53"), None);
/// ```
pub fn week_out_of_year(text: &str) -> Option<String> {
    let (year_text, week_text) = text.split_once("-W")?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year_text, 4) || !digits(week_text, 2) {
        return None;
    }
    let year: i32 = year_text.parse().ok()?;
    let week: u8 = week_text.parse().ok()?;
    let weeks = weeks_in_year(year);
    (week > weeks && week <= 53).then(|| {
        format!("{year:04} has {weeks} ISO weeks (its last week is {year:04}-W{weeks:02})")
    })
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError {
            text: text.to_owned(),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (year_text, rest) = text.split_at_checked(4).ok_or_else(err)?;
        if !digits(year_text) {
            return Err(err());
        }
        let year: i32 = year_text.parse().map_err(|_| err())?;
        if rest.is_empty() {
            return Ok(Period::Year(year));
        }
        if let Some(q) = rest.strip_prefix("-Q") {
            let quarter: u8 = q.parse().map_err(|_| err())?;
            if digits(q) && (1..=4).contains(&quarter) {
                return Ok(Period::Quarter { year, quarter });
            }
            return Err(err());
        }
        if let Some(h) = rest.strip_prefix("-H") {
            let half: u8 = h.parse().map_err(|_| err())?;
            if digits(h) && (1..=2).contains(&half) {
                return Ok(Period::Half { year, half });
            }
            return Err(err());
        }
        if let Some(w) = rest.strip_prefix("-W") {
            let week: u8 = w.parse().map_err(|_| err())?;
            if w.len() == 2 && digits(w) && (1..=weeks_in_year(year)).contains(&week) {
                return Ok(Period::Week { year, week });
            }
            return Err(err());
        }
        if let Some(m) = rest.strip_prefix('-') {
            let month: u8 = m.parse().map_err(|_| err())?;
            if m.len() == 2 && digits(m) && (1..=12).contains(&month) {
                return Ok(Period::Month { year, month });
            }
        }
        Err(err())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Period::Half { year, half } => write!(f, "{year:04}-H{half}"),
            Period::Week { year, week } => write!(f, "{year:04}-W{week:02}"),
            Period::Year(year) => write!(f, "{year:04}"),
        }
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A month (the usual period, written for every record and result)
        // from a buffer on the stack, as `Display` writes it.
        if let Some(buf) = self.month_digits() {
            if let Ok(text) = std::str::from_utf8(&buf) {
                return serializer.serialize_str(text);
            }
        }
        serializer.collect_str(self)
    }
}

impl Period {
    /// The bytes `Display` writes for a month (`YYYY-MM`) of a year 0 to
    /// 9999; `None` for any other period.
    fn month_digits(&self) -> Option<[u8; 7]> {
        let Period::Month { year, month } = *self else {
            return None;
        };
        let year = u32::try_from(year).ok().filter(|y| *y <= 9999)?;
        if month > 99 {
            return None;
        }
        let mut buf = *b"0000-00";
        let (y, m) = buf.split_at_mut(4);
        crate::date::put_digits(y, year);
        crate::date::put_digits(m.get_mut(1..)?, u32::from(month));
        Some(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_serialises_as_it_displays() {
        for year in [0, 7, 99, 2023, 9999, 10_000, -1] {
            for month in 1..=12 {
                let p = Period::Month { year, month };
                assert_eq!(
                    serde_json::to_string(&p).unwrap(),
                    format!("\"{p}\""),
                    "{p:?}"
                );
            }
        }
        let q = Period::Quarter {
            year: 2023,
            quarter: 3,
        };
        assert_eq!(serde_json::to_string(&q).unwrap(), "\"2023-Q3\"");
    }

    #[test]
    fn parses_and_prints() {
        for text in ["2023-07", "2023-Q3", "2023", "2026-12"] {
            assert_eq!(text.parse::<Period>().unwrap().to_string(), text);
        }
        for text in ["2026-H1", "2026-H2", "2026-W01", "2026-W14", "2026-W53"] {
            assert_eq!(text.parse::<Period>().unwrap().to_string(), text);
        }
        for bad in [
            "2023-13",
            "2023-7",
            "2023-Q5",
            "23-07",
            "2023-07-01",
            "",
            "2026-H3",
            "2026-H0",
            "2026-W1",
            "2026-W00",
            "2025-W53",
            "2026-W54",
            "2026-w14",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn bounds_and_seal() {
        let april: Period = "2026-04".parse().unwrap();
        assert_eq!(april.end().to_string(), "2026-04-30");
        assert_eq!(april.seal_date(15).to_string(), "2026-05-15");
        let q4: Period = "2023-Q4".parse().unwrap();
        assert_eq!(q4.start().to_string(), "2023-10-01");
        assert_eq!(q4.end().to_string(), "2023-12-31");
        assert_eq!(q4.next().to_string(), "2024-Q1");
        assert_eq!(
            "2024-01".parse::<Period>().unwrap().previous().to_string(),
            "2023-12"
        );
    }

    #[test]
    fn halves() {
        let h2: Period = "2026-H2".parse().unwrap();
        assert_eq!(h2.start().to_string(), "2026-07-01");
        assert_eq!(h2.end().to_string(), "2026-12-31");
        assert_eq!(h2.next().to_string(), "2027-H1");
        assert_eq!(h2.previous().to_string(), "2026-H1");
        assert_eq!(h2.previous().previous().to_string(), "2025-H2");
        assert_eq!(h2.seal_date(10).to_string(), "2027-01-10");
        let june = Date::new(2026, 6, 30).unwrap();
        assert_eq!(
            Period::containing(PeriodUnit::Half, june).to_string(),
            "2026-H1"
        );
    }

    #[test]
    fn iso_weeks_cross_the_year_boundary() {
        // 2026-W01 is Monday 2025-12-29 to Sunday 2026-01-04.
        let w1: Period = "2026-W01".parse().unwrap();
        assert_eq!(w1.start().to_string(), "2025-12-29");
        assert_eq!(w1.end().to_string(), "2026-01-04");
        let dec31 = Date::new(2025, 12, 31).unwrap();
        assert_eq!(Period::containing(PeriodUnit::Week, dec31), w1);
        assert_eq!(w1.previous().to_string(), "2025-W52");
        // 2026 is a long ISO year: W53 ends on 2027-01-03.
        assert_eq!(weeks_in_year(2026), 53);
        assert_eq!(weeks_in_year(2025), 52);
        let w53: Period = "2026-W53".parse().unwrap();
        assert_eq!(w53.end().to_string(), "2027-01-03");
        assert_eq!(w53.next().to_string(), "2027-W01");
        assert_eq!(
            Period::last_of_year(PeriodUnit::Week, 2025).to_string(),
            "2025-W52"
        );
        let w14: Period = "2026-W14".parse().unwrap();
        assert_eq!(w14.start().to_string(), "2026-03-30");
        assert_eq!(w14.seal_date(3).to_string(), "2026-04-08");
        // Every day of 2020–2030 lies in the week that contains it.
        let mut day = Date::new(2020, 1, 1).unwrap();
        while day.year() <= 2030 {
            let week = Period::containing(PeriodUnit::Week, day);
            assert!(week.start() <= day && day <= week.end(), "{day} {week}");
            assert_eq!(week.next().start(), week.end().add_days(1).unwrap());
            day = day.add_days(1).unwrap();
        }
    }

    #[test]
    fn years_as_periods() {
        let y: Period = "2026".parse().unwrap();
        assert_eq!(y.unit(), PeriodUnit::Year);
        assert_eq!(y.end().to_string(), "2026-12-31");
        assert_eq!(y.seal_date(31).to_string(), "2027-01-31");
        assert_eq!(y.previous().to_string(), "2025");
    }
}
