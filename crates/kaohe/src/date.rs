//! Calendar dates, and the date arithmetic of the rule language (issue 13 §8):
//! days between two dates, a date moved by days or by months.
//!
//! Only the proleptic Gregorian calendar is needed: the rulebooks speak of days,
//! months and years, never of times or time zones. The arithmetic is
//! [`jiff`]'s civil dates (years −9999 … 9999); [`Date`] keeps its own small
//! public API so that nothing else depends on the library.

use std::fmt;
use std::str::FromStr;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a calendar date (expected YYYY-MM-DD)")]
pub struct DateError {
    /// The text that was given.
    pub text: String,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// 星期一
    Monday,
    /// 星期二
    Tuesday,
    /// 星期三
    Wednesday,
    /// 星期四
    Thursday,
    /// 星期五
    Friday,
    /// 星期六
    Saturday,
    /// 星期日
    Sunday,
}

impl Weekday {
    /// Saturday or Sunday: a rest day unless a calendar makes it a working day (调休).
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

impl Date {
    /// 1970-01-01, day 0 of [`Date::to_days`].
    pub const EPOCH: Date = Date {
        year: 1970,
        month: 1,
        day: 1,
    };

    /// A date, if the year, month and day form a real calendar date of the
    /// years −9999 … 9999.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let civil = jiff::civil::Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()?;
        Some(Date::from_civil(civil))
    }

    fn from_civil(civil: jiff::civil::Date) -> Date {
        // jiff's month is 1–12 and its day 1–31: both fit a u8.
        Date {
            year: i32::from(civil.year()),
            month: civil.month().unsigned_abs(),
            day: civil.day().unsigned_abs(),
        }
    }

    fn civil(self) -> jiff::civil::Date {
        // Every `Date` was made by `Date::new` (or is the epoch), so jiff
        // accepts it; the fallback is never taken.
        i16::try_from(self.year)
            .ok()
            .zip(i8::try_from(self.month).ok())
            .zip(i8::try_from(self.day).ok())
            .and_then(|((y, m), d)| jiff::civil::Date::new(y, m, d).ok())
            .unwrap_or(jiff::civil::Date::ZERO)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }
    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        match self.civil().weekday() {
            jiff::civil::Weekday::Monday => Weekday::Monday,
            jiff::civil::Weekday::Tuesday => Weekday::Tuesday,
            jiff::civil::Weekday::Wednesday => Weekday::Wednesday,
            jiff::civil::Weekday::Thursday => Weekday::Thursday,
            jiff::civil::Weekday::Friday => Weekday::Friday,
            jiff::civil::Weekday::Saturday => Weekday::Saturday,
            jiff::civil::Weekday::Sunday => Weekday::Sunday,
        }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        Date::EPOCH.days_until(self)
    }

    /// The number of days from `self` to `later`: 0 for the same day, 1 for
    /// the next, negative when `later` is earlier (`days_between` of the rule
    /// language).
    pub fn days_until(self, later: Date) -> i64 {
        // Whole days between two civil dates: exact, no time of day involved.
        self.civil().duration_until(later.civil()).as_secs() / 86_400
    }

    /// The date `days` days after 1970-01-01, if its year is within −9999 … 9999.
    pub fn from_days(days: i64) -> Option<Date> {
        Date::EPOCH.add_days(days)
    }

    /// The date `days` days later (earlier when negative), if it exists.
    pub fn add_days(self, days: i64) -> Option<Date> {
        let span = jiff::Span::new().try_days(days).ok()?;
        self.civil().checked_add(span).ok().map(Date::from_civil)
    }

    /// The date `months` months later (earlier when negative), if it exists.
    /// A day that the target month does not have is **clamped** to that
    /// month's last day: 2026-01-31 + 1 month = 2026-02-28, 2024-01-31 + 1
    /// month = 2024-02-29, 2026-03-31 − 1 month = 2026-02-28 (issue 13 §8;
    /// the decision is in docs/language.md, "Dates and working days").
    pub fn add_months(self, months: i64) -> Option<Date> {
        let span = jiff::Span::new().try_months(months).ok()?;
        self.civil().checked_add(span).ok().map(Date::from_civil)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || DateError {
            text: text.to_owned(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return Err(err());
        }
        let part = |range: std::ops::Range<usize>| -> Result<u32, DateError> {
            let s = text.get(range).ok_or_else(err)?;
            if !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            s.parse().map_err(|_| err())
        };
        let year = i32::try_from(part(0..4)?).map_err(|_| err())?;
        let month = u8::try_from(part(5..7)?).map_err(|_| err())?;
        let day = u8::try_from(part(8..10)?).map_err(|_| err())?;
        Date::new(year, month, day).ok_or_else(err)
    }
}

/// Writes `value` in decimal into `out`, zero-padded to its length (the
/// highest digits dropped when it does not fit: callers check the range).
pub(crate) fn put_digits(out: &mut [u8], mut value: u32) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

impl Date {
    /// The bytes `Display` writes (`YYYY-MM-DD`) for a year 0 to 9999;
    /// `None` for other years (`Display` then writes them).
    pub(crate) fn digits(&self) -> Option<[u8; 10]> {
        let year = u32::try_from(self.year).ok().filter(|y| *y <= 9999)?;
        if self.month > 99 || self.day > 99 {
            return None;
        }
        let mut buf = *b"0000-00-00";
        let (y, rest) = buf.split_at_mut(4);
        put_digits(y, year);
        let (m, d) = rest.split_at_mut(3);
        put_digits(m.get_mut(1..)?, u32::from(self.month));
        put_digits(d.get_mut(1..)?, u32::from(self.day));
        Some(buf)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_what_display_writes() {
        // Negative years (they fall back to `Display`) and 0 to 9999.
        for days in (-3_000_000_i64..=2_932_000).step_by(997) {
            let date = Date::from_days(days).unwrap();
            match date.digits() {
                Some(buf) => assert_eq!(std::str::from_utf8(&buf).unwrap(), date.to_string()),
                None => assert!(!(0..=9999).contains(&date.year), "{date}"),
            }
        }
        assert_eq!(Date::new(7, 3, 9).unwrap().digits(), Some(*b"0007-03-09"));
    }

    #[test]
    fn round_trips_through_days() {
        for days in [-1_000_000_i64, -1, 0, 1, 19_000, 20_500, 2_000_000] {
            let date = Date::from_days(days).unwrap();
            assert_eq!(date.to_days(), days, "{date}");
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap(),
            Date::new(2024, 2, 29).unwrap()
        );
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "2023-1-01",
            "abcd-ef-gh",
            "2023-04-31",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn agrees_with_days_from_civil() {
        // Howard Hinnant's days_from_civil, the arithmetic jiff replaced:
        // the two agree day by day over five centuries.
        fn hinnant(y: i64, m: i64, d: i64) -> i64 {
            let y = y - i64::from(m <= 2);
            let era = y.div_euclid(400);
            let yoe = y - era * 400;
            let mp = (m + 9) % 12;
            let doy = (153 * mp + 2) / 5 + d - 1;
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            era * 146_097 + doe - 719_468
        }
        let mut date = Date::new(1800, 1, 1).unwrap();
        let mut days = date.to_days();
        while date.year() < 2300 {
            let expected = hinnant(
                i64::from(date.year()),
                i64::from(date.month()),
                i64::from(date.day()),
            );
            assert_eq!(days, expected, "{date}");
            date = date.add_days(1).unwrap();
            days += 1;
        }
        assert_eq!(date.to_days(), days);
    }

    #[test]
    fn weekdays() {
        assert_eq!(Date::EPOCH.weekday(), Weekday::Thursday);
        let spring = Date::new(2026, 2, 14).unwrap();
        assert_eq!(spring.weekday(), Weekday::Saturday);
        assert!(spring.weekday().is_weekend());
        assert_eq!(Date::new(2026, 2, 13).unwrap().weekday(), Weekday::Friday);
    }

    #[test]
    fn months_clamp_to_the_last_day() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(d(2026, 1, 31).add_months(1), Some(d(2026, 2, 28)));
        assert_eq!(d(2024, 1, 31).add_months(1), Some(d(2024, 2, 29)));
        assert_eq!(d(2026, 3, 31).add_months(-1), Some(d(2026, 2, 28)));
        assert_eq!(d(2026, 5, 15).add_months(12), Some(d(2027, 5, 15)));
        assert_eq!(d(2026, 11, 30).add_months(3), Some(d(2027, 2, 28)));
        assert_eq!(d(9999, 12, 1).add_months(1), None);
    }

    #[test]
    fn days_until_counts_whole_days() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(d(2026, 2, 13).days_until(d(2026, 2, 25)), 12);
        assert_eq!(d(2026, 2, 25).days_until(d(2026, 2, 13)), -12);
        assert_eq!(d(2024, 2, 28).days_until(d(2024, 3, 1)), 2);
        assert_eq!(d(2023, 2, 28).days_until(d(2023, 3, 1)), 1);
        assert_eq!(d(2026, 1, 1).add_days(-1), Some(d(2025, 12, 31)));
        assert_eq!(d(9999, 12, 31).add_days(1), None);
    }

    #[test]
    fn adds_days_across_months() {
        let d = Date::new(2026, 4, 30).unwrap();
        assert_eq!(d.add_days(15).unwrap().to_string(), "2026-05-15");
    }
}
