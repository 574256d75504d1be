//! Assessment periods: months, quarters and years, with their bounds, their
//! seal dates and their order.

use std::fmt;
use std::str::FromStr;

use crate::date::Date;
use crate::syntax::ast::PeriodUnit;

/// A month (`2023-07`), a quarter (`2023-Q3`) or a year (`2023`).
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
    /// A calendar year (the annual assessment).
    Year(i32),
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
        }
    }

    /// The year the period belongs to.
    pub fn year(self) -> i32 {
        match self {
            Period::Month { year, .. } | Period::Quarter { year, .. } | Period::Year(year) => year,
        }
    }

    /// Whether this is a month or quarter of the kind the ruleset uses.
    pub fn is_unit(self, unit: PeriodUnit) -> bool {
        matches!(
            (self, unit),
            (Period::Month { .. }, PeriodUnit::Month)
                | (Period::Quarter { .. }, PeriodUnit::Quarter)
        )
    }

    /// The first day.
    pub fn start(self) -> Date {
        let (year, month) = match self {
            Period::Month { year, month } => (year, month),
            Period::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1),
            Period::Year(year) => (year, 1),
        };
        Date::new(year, month, 1).unwrap_or(Date::EPOCH)
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

/// Why a text is not a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a period (expected YYYY-MM, YYYY-Qn or YYYY)")]
pub struct PeriodError {
    /// The text given.
    pub text: String,
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
            Period::Year(year) => write!(f, "{year:04}"),
        }
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for text in ["2023-07", "2023-Q3", "2023", "2026-12"] {
            assert_eq!(text.parse::<Period>().unwrap().to_string(), text);
        }
        for bad in ["2023-13", "2023-7", "2023-Q5", "23-07", "2023-07-01", ""] {
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
}
