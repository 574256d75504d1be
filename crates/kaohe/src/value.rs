//! Values of attributes and expressions.

use std::fmt;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::text::Text;

/// A typed value: what a fact attribute holds and what an expression computes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// An optional attribute that was not given.
    Absent,
    /// True or false.
    Bool(bool),
    /// An exact number (integers too).
    Number(Decimal),
    /// A calendar date.
    Date(Date),
    /// Free text.
    Text(Text),
    /// A level of a `levels` type, by its name.
    Level(Text),
}

impl Value {
    /// The value as JSON (numbers as strings, so decimals stay exact).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Absent => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::String(n.normalize().to_string()),
            Value::Date(d) => serde_json::Value::String(d.to_string()),
            Value::Text(t) | Value::Level(t) => serde_json::Value::String(t.to_string()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Absent => f.write_str("(absent)"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{}", n.normalize()),
            Value::Date(d) => write!(f, "{d}"),
            Value::Text(t) | Value::Level(t) => f.write_str(t),
        }
    }
}

/// Why a number, as written, cannot be read exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberLimit {
    /// Not spelled as a JSON number (`-`, digits, optional `.` fraction and `e` exponent).
    NotANumber,
    /// More than [`MAX_SIGNIFICANT_DIGITS`] significant digits.
    TooManyDigits,
    /// Larger in magnitude than [`Decimal::MAX`].
    TooLarge,
    /// More than 28 digits after the decimal point (once trailing zeros are dropped).
    TooManyPlaces,
}

/// The most significant digits a number may have to be read exactly (what
/// [`Decimal`] holds).
pub const MAX_SIGNIFICANT_DIGITS: usize = 28;

impl NumberLimit {
    /// What is wrong with the number, as the end of a sentence about it:
    /// "has more than 28 significant digits".
    pub fn describe(self) -> String {
        match self {
            NumberLimit::NotANumber => "is not a number".to_owned(),
            NumberLimit::TooManyDigits => {
                format!("has more than {MAX_SIGNIFICANT_DIGITS} significant digits")
            }
            NumberLimit::TooLarge => format!(
                "is larger than the largest number kaohe holds exactly, {}",
                Decimal::MAX
            ),
            NumberLimit::TooManyPlaces => {
                "has more than 28 digits after the decimal point".to_owned()
            }
        }
    }
}

/// Reads a number spelled as JSON spells it (`30`, `30.0`, `3e1`, `1e-05`,
/// `1.0E-5`, `-0.25`) exactly, normalised (no trailing zeros in its scale), so
/// that every spelling of one value gives the same [`Decimal`].
///
/// # Errors
/// [`NumberLimit`] when `text` is not a JSON number, or has more than 28
/// significant digits, or is too large or too small to be held exactly.
pub fn exact_decimal(text: &str) -> Result<Decimal, NumberLimit> {
    let bytes = text.as_bytes();
    let mut at = 0usize;
    let negative = bytes.first() == Some(&b'-');
    if negative {
        at += 1;
    }
    let digits_from = |at: usize| {
        bytes
            .iter()
            .skip(at)
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let whole_len = digits_from(at);
    if whole_len == 0 || (whole_len > 1 && bytes.get(at) == Some(&b'0')) {
        return Err(NumberLimit::NotANumber);
    }
    let whole = text
        .get(at..at + whole_len)
        .ok_or(NumberLimit::NotANumber)?;
    at += whole_len;
    let mut fraction = "";
    if bytes.get(at) == Some(&b'.') {
        let len = digits_from(at + 1);
        if len == 0 {
            return Err(NumberLimit::NotANumber);
        }
        fraction = text
            .get(at + 1..at + 1 + len)
            .ok_or(NumberLimit::NotANumber)?;
        at += 1 + len;
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        let minus = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let len = digits_from(at);
        if len == 0 {
            return Err(NumberLimit::NotANumber);
        }
        let digits = text.get(at..at + len).ok_or(NumberLimit::NotANumber)?;
        // An exponent past any Decimal's range only needs to stay past it.
        let magnitude: i64 = digits
            .trim_start_matches('0')
            .get(..digits.trim_start_matches('0').len().min(6))
            .and_then(|d| {
                if d.is_empty() {
                    Some(0)
                } else {
                    d.parse().ok()
                }
            })
            .ok_or(NumberLimit::NotANumber)?;
        exponent = if minus { -magnitude } else { magnitude };
        at += len;
    }
    if at != bytes.len() {
        return Err(NumberLimit::NotANumber);
    }
    let fraction_len = i64::try_from(fraction.len()).map_err(|_| NumberLimit::TooManyPlaces)?;
    let mut exponent = exponent - fraction_len;
    let all: String = whole.chars().chain(fraction.chars()).collect();
    let significant = all.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Ok(Decimal::ZERO);
    }
    exponent += i64::try_from(significant.len() - trimmed.len()).unwrap_or(0);
    if trimmed.len() > MAX_SIGNIFICANT_DIGITS {
        return Err(NumberLimit::TooManyDigits);
    }
    let mantissa: i128 = trimmed.parse().map_err(|_| NumberLimit::NotANumber)?;
    let mantissa = if negative { -mantissa } else { mantissa };
    if exponent >= 0 {
        let power = u32::try_from(exponent).map_err(|_| NumberLimit::TooLarge)?;
        let value = 10i128
            .checked_pow(power)
            .and_then(|p| mantissa.checked_mul(p))
            .ok_or(NumberLimit::TooLarge)?;
        Decimal::try_from_i128_with_scale(value, 0).map_err(|_| NumberLimit::TooLarge)
    } else {
        let scale = u32::try_from(-exponent).map_err(|_| NumberLimit::TooManyPlaces)?;
        if scale > 28 {
            return Err(NumberLimit::TooManyPlaces);
        }
        Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| NumberLimit::TooManyPlaces)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn every_spelling_of_a_value_reads_the_same() {
        for (spelling, value) in [
            ("30", "30"),
            ("30.0", "30"),
            ("3e1", "30"),
            ("3E+1", "30"),
            ("300e-1", "30"),
            ("1e-05", "0.00001"),
            ("1.0E-5", "0.00001"),
            ("0.00001", "0.00001"),
            ("-0.25", "-0.25"),
            ("-0", "0"),
            ("0e-999999999", "0"),
            ("33.3", "33.3"),
            (
                "1234567890123456789012345678",
                "1234567890123456789012345678",
            ),
            (
                "0.1234567890123456789012345678",
                "0.1234567890123456789012345678",
            ),
            (
                "12345678901234567890123456780000e-4",
                "1234567890123456789012345678",
            ),
        ] {
            assert_eq!(exact_decimal(spelling), Ok(d(value)), "{spelling}");
        }
        assert_eq!(exact_decimal("30.0").unwrap().scale(), 0);
    }

    #[test]
    fn refuses_what_it_cannot_hold_exactly_and_says_why() {
        for (spelling, limit) in [
            ("12345678901234567890123456789", NumberLimit::TooManyDigits),
            (
                "0.12345678901234567890123456789",
                NumberLimit::TooManyDigits,
            ),
            ("1e29", NumberLimit::TooLarge),
            ("1e999999999999", NumberLimit::TooLarge),
            ("1e-29", NumberLimit::TooManyPlaces),
            ("1e-99999999999", NumberLimit::TooManyPlaces),
            ("01", NumberLimit::NotANumber),
            ("1.", NumberLimit::NotANumber),
            (".5", NumberLimit::NotANumber),
            ("+1", NumberLimit::NotANumber),
            (" 1", NumberLimit::NotANumber),
            ("1e", NumberLimit::NotANumber),
            ("1,000", NumberLimit::NotANumber),
            ("１２", NumberLimit::NotANumber),
            ("", NumberLimit::NotANumber),
        ] {
            assert_eq!(exact_decimal(spelling), Err(limit), "{spelling}");
        }
        assert_eq!(
            NumberLimit::TooManyDigits.describe(),
            "has more than 28 significant digits"
        );
    }
}
