//! Exact numbers for evaluation: every intermediate and result value of a
//! score is an exact rational, so a quotient such as `1 / 3` never creates or
//! breaks a tie by rounding noise, and line items add up to the total exactly
//! (issue 12 §1).
//!
//! A [`Number`] is a decimal whenever its value terminates (the fast path:
//! sums, products and differences of decimals stay decimals), and a fraction
//! of two `i128` only when it does not (`1/3`). The representation is
//! canonical: a value that terminates and fits a decimal is always held as
//! one, so equality, ordering and hashing compare values, never
//! representations. Every operation is checked: an overflow gives `None`
//! (the evaluator turns it into an [`EvalError`](crate::EvalError)), never a
//! panic and never a silently rounded result.
//!
//! Rounding happens only where a ruleset declares it ([`Number::round`],
//! [`Number::floor`], [`Number::ceil`]). For display, a value that does not
//! terminate is shown rounded to [`DISPLAY_PLACES`] places and marked with
//! `≈` ([`Number::to_text`]); JSON carries it without loss (the rounded
//! decimal plus the exact fraction, see `docs/embedding.md`).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use num_rational::Ratio;
use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, Signed, Zero};
use rust_decimal::Decimal;

use crate::syntax::ast::RoundMode;

/// Places to which a value that does not terminate is displayed (marked `≈`).
pub const DISPLAY_PLACES: u32 = 4;

/// The largest scale a decimal can hold.
const MAX_SCALE: u32 = 28;

/// An exact number: a terminating decimal, or a fraction that does not terminate.
#[derive(Clone, Copy)]
pub struct Number(Repr);

#[derive(Clone, Copy)]
enum Repr {
    /// A terminating value.
    Decimal(Decimal),
    /// A value whose decimal expansion does not terminate (or does not fit a
    /// decimal); always in lowest terms with a positive denominator.
    Fraction(Ratio<i128>),
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number(Repr::Decimal(Decimal::ZERO));
    /// One.
    pub const ONE: Number = Number(Repr::Decimal(Decimal::ONE));
    /// One hundred.
    pub const ONE_HUNDRED: Number = Number(Repr::Decimal(Decimal::ONE_HUNDRED));

    /// The exact fraction `numerator / denominator`; `None` when the
    /// denominator is zero.
    pub fn fraction(numerator: i128, denominator: i128) -> Option<Number> {
        if denominator == 0 || numerator == i128::MIN || denominator == i128::MIN {
            return None;
        }
        Number::of_ratio(Ratio::new(numerator, denominator))
    }

    /// The canonical number for a ratio: a decimal when it terminates and
    /// fits. `None` for a numerator of `i128::MIN` (so that negation never
    /// overflows).
    fn of_ratio(ratio: Ratio<i128>) -> Option<Number> {
        match decimal_of(&ratio) {
            Some(d) => Some(Number(Repr::Decimal(d))),
            None if *ratio.numer() == i128::MIN => None,
            None => Some(Number(Repr::Fraction(ratio))),
        }
    }

    fn ratio(&self) -> Ratio<i128> {
        match self.0 {
            Repr::Decimal(d) => ratio_of(d),
            Repr::Fraction(r) => r,
        }
    }

    /// The value as a decimal, when it terminates (exactly; never rounded).
    pub fn to_decimal(&self) -> Option<Decimal> {
        match self.0 {
            Repr::Decimal(d) => Some(d),
            Repr::Fraction(_) => None,
        }
    }

    /// Whether the value's decimal expansion terminates (it prints exactly).
    pub fn terminates(&self) -> bool {
        matches!(self.0, Repr::Decimal(_))
    }

    /// `self + other`; `None` on overflow.
    pub fn checked_add(self, other: Number) -> Option<Number> {
        if let (Repr::Decimal(a), Repr::Decimal(b)) = (self.0, other.0) {
            // A decimal sum is exact unless it had to give up places.
            if let Some(sum) = a.checked_add(b) {
                if sum.scale() == a.scale().max(b.scale()) {
                    return Some(Number(Repr::Decimal(sum)));
                }
            }
        }
        self.ratio()
            .checked_add(&other.ratio())
            .and_then(Number::of_ratio)
    }

    /// The exact sum of `numbers`; `None` on overflow.
    pub fn checked_sum(numbers: impl IntoIterator<Item = Number>) -> Option<Number> {
        numbers
            .into_iter()
            .try_fold(Number::ZERO, |sum, n| sum.checked_add(n))
    }

    /// `self − other`; `None` on overflow.
    pub fn checked_sub(self, other: Number) -> Option<Number> {
        if let (Repr::Decimal(a), Repr::Decimal(b)) = (self.0, other.0) {
            if let Some(difference) = a.checked_sub(b) {
                if difference.scale() == a.scale().max(b.scale()) {
                    return Some(Number(Repr::Decimal(difference)));
                }
            }
        }
        self.ratio()
            .checked_sub(&other.ratio())
            .and_then(Number::of_ratio)
    }

    /// `self × other`; `None` on overflow.
    pub fn checked_mul(self, other: Number) -> Option<Number> {
        if let (Repr::Decimal(a), Repr::Decimal(b)) = (self.0, other.0) {
            // A decimal product is exact when it keeps every place.
            if let Some(product) = a.checked_mul(b) {
                if product.scale() == a.scale() + b.scale() {
                    return Some(Number(Repr::Decimal(product)));
                }
            }
        }
        self.ratio()
            .checked_mul(&other.ratio())
            .and_then(Number::of_ratio)
    }

    /// `self ÷ other`, exactly; `None` when `other` is zero or on overflow.
    pub fn checked_div(self, other: Number) -> Option<Number> {
        if other.is_zero() {
            return None;
        }
        self.ratio()
            .checked_div(&other.ratio())
            .and_then(Number::of_ratio)
    }

    /// The absolute value (never overflows).
    pub fn abs(self) -> Number {
        if self.is_negative() {
            -self
        } else {
            self
        }
    }

    /// The smaller of two numbers.
    pub fn min(self, other: Number) -> Number {
        std::cmp::min(self, other)
    }

    /// The larger of two numbers.
    pub fn max(self, other: Number) -> Number {
        std::cmp::max(self, other)
    }

    /// The same value, a decimal without trailing zeros (`89.50` → `89.5`);
    /// it displays as [`Number::to_text`].
    pub fn normalize(&self) -> Number {
        match self.0 {
            Repr::Decimal(d) => Number(Repr::Decimal(d.normalize())),
            Repr::Fraction(_) => *self,
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        match self.0 {
            Repr::Decimal(d) => d.is_zero(),
            Repr::Fraction(r) => r.is_zero(),
        }
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        match self.0 {
            Repr::Decimal(d) => d < Decimal::ZERO,
            Repr::Fraction(r) => r.is_negative(),
        }
    }

    /// The value rounded to `places` decimal places (at most 28) the way
    /// `mode` says; `None` when the result does not fit a decimal. The result
    /// keeps its places (`round(1/2, 2, half_up)` is `0.50`).
    pub fn round(&self, places: u32, mode: RoundMode) -> Option<Decimal> {
        if places > MAX_SCALE {
            return None;
        }
        let scaled = self
            .ratio()
            .checked_mul(&Ratio::from_integer(10i128.checked_pow(places)?))?;
        let whole = round_ratio(&scaled, mode)?;
        Decimal::try_from_i128_with_scale(whole, places).ok()
    }

    /// The largest whole number not above the value; `None` on overflow.
    pub fn floor(&self) -> Option<Number> {
        Number::of_ratio(self.ratio().floor())
    }

    /// The smallest whole number not below the value; `None` on overflow.
    pub fn ceil(&self) -> Option<Number> {
        let ratio = self.ratio();
        let floor = ratio.floor();
        if floor == ratio {
            return Number::of_ratio(floor);
        }
        floor
            .checked_add(&Ratio::from_integer(1))
            .and_then(Number::of_ratio)
    }

    /// The whole part (toward zero), when it fits an `i64`.
    pub fn trunc_i64(&self) -> Option<i64> {
        i64::try_from(self.ratio().trunc().to_integer()).ok()
    }

    /// The value for people: a terminating value exactly and normalised
    /// (`89.50` → `89.5`, `-0` → `0`); any other rounded half-up to
    /// [`DISPLAY_PLACES`] places and marked (`≈0.3333`).
    pub fn to_text(&self) -> String {
        match self.0 {
            Repr::Decimal(d) => d.normalize().to_string(),
            Repr::Fraction(r) if *r.denom() == 1 => r.numer().to_string(),
            Repr::Fraction(_) => format!("≈{}", self.approximate()),
        }
    }

    /// The value rounded half-up to [`DISPLAY_PLACES`] places, unmarked
    /// (exact, normalised, when it terminates).
    pub fn approximate(&self) -> String {
        match self.0 {
            Repr::Decimal(d) => d.normalize().to_string(),
            Repr::Fraction(_) => match self.round(DISPLAY_PLACES, RoundMode::HalfUp) {
                Some(d) => d.to_string(),
                None => self.exact_text(),
            },
        }
    }

    /// The value as a decimal for a display cell (a spreadsheet number, a
    /// chart): exact when it terminates, else rounded half-up to
    /// [`DISPLAY_PLACES`] places — check [`Number::terminates`] to mark it.
    /// Never used for scoring. A fraction beyond a decimal's range saturates.
    pub fn approximate_decimal(&self) -> Decimal {
        match self.0 {
            Repr::Decimal(d) => d,
            Repr::Fraction(r) => {
                self.round(DISPLAY_PLACES, RoundMode::HalfUp)
                    .unwrap_or(if r.is_negative() {
                        Decimal::MIN
                    } else {
                        Decimal::MAX
                    })
            }
        }
    }

    /// The exact value: a normalised decimal when it terminates, else the
    /// fraction in lowest terms (`1/3`, `-296/3`).
    pub fn exact_text(&self) -> String {
        match self.0 {
            Repr::Decimal(d) => d.normalize().to_string(),
            Repr::Fraction(r) if *r.denom() == 1 => r.numer().to_string(),
            Repr::Fraction(r) => format!("{}/{}", r.numer(), r.denom()),
        }
    }
}

/// The decimal that is exactly `ratio`, if there is one.
fn decimal_of(ratio: &Ratio<i128>) -> Option<Decimal> {
    let denominator = *ratio.denom();
    let mut rest = denominator;
    let (mut twos, mut fives) = (0u32, 0u32);
    while rest % 2 == 0 {
        rest /= 2;
        twos += 1;
    }
    while rest % 5 == 0 {
        rest /= 5;
        fives += 1;
    }
    if rest != 1 {
        return None;
    }
    let scale = twos.max(fives);
    if scale > MAX_SCALE {
        return None;
    }
    let multiplier = 10i128.checked_pow(scale)?.checked_div(denominator)?;
    let mantissa = i128::checked_mul(*ratio.numer(), multiplier)?;
    Decimal::try_from_i128_with_scale(mantissa, scale).ok()
}

/// The exact ratio of a decimal.
fn ratio_of(d: Decimal) -> Ratio<i128> {
    // A decimal's scale is at most 28, and 10^28 fits an i128.
    let denominator = 10i128.checked_pow(d.scale()).unwrap_or(1);
    Ratio::new(d.mantissa(), denominator)
}

/// `ratio` rounded to a whole number the way `mode` says.
fn round_ratio(ratio: &Ratio<i128>, mode: RoundMode) -> Option<i128> {
    let toward_zero = ratio.trunc();
    let rest = ratio.checked_sub(&toward_zero)?.abs();
    let whole = toward_zero.to_integer();
    if rest.is_zero() {
        return Some(whole);
    }
    let away = if ratio.is_negative() {
        whole.checked_sub(1)?
    } else {
        whole.checked_add(1)?
    };
    let half = Ratio::new(1, 2);
    Some(match mode {
        RoundMode::Down => whole,
        RoundMode::Up => away,
        RoundMode::HalfUp => {
            if rest >= half {
                away
            } else {
                whole
            }
        }
        RoundMode::HalfEven => match rest.cmp(&half) {
            Ordering::Greater => away,
            Ordering::Less => whole,
            Ordering::Equal if whole % 2 == 0 => whole,
            Ordering::Equal => away,
        },
    })
}

/// Negation never overflows: a decimal's range is symmetric, and a
/// fraction's numerator is never `i128::MIN`.
impl std::ops::Neg for Number {
    type Output = Number;
    fn neg(self) -> Number {
        match self.0 {
            Repr::Decimal(d) => Number(Repr::Decimal(-d)),
            Repr::Fraction(r) => Number(Repr::Fraction(Ratio::new_raw(
                r.numer().checked_neg().unwrap_or(i128::MAX),
                *r.denom(),
            ))),
        }
    }
}

impl From<Decimal> for Number {
    fn from(d: Decimal) -> Number {
        Number(Repr::Decimal(d))
    }
}

impl From<u32> for Number {
    fn from(n: u32) -> Number {
        Number(Repr::Decimal(Decimal::from(n)))
    }
}

impl From<usize> for Number {
    fn from(n: usize) -> Number {
        Number(Repr::Decimal(Decimal::from(n)))
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Number {
        Number(Repr::Decimal(Decimal::from(n)))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        match (self.0, other.0) {
            (Repr::Decimal(a), Repr::Decimal(b)) => a.cmp(&b),
            // Ratio's ordering compares without multiplying: no overflow.
            _ => self.ratio().cmp(&other.ratio()),
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Number {}

impl PartialEq<Decimal> for Number {
    fn eq(&self, other: &Decimal) -> bool {
        *self == Number::from(*other)
    }
}

impl PartialEq<Number> for Decimal {
    fn eq(&self, other: &Number) -> bool {
        Number::from(*self) == *other
    }
}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self.0 {
            Repr::Decimal(d) => {
                let d = d.normalize();
                0u8.hash(state);
                d.mantissa().hash(state);
                d.scale().hash(state);
            }
            Repr::Fraction(r) => {
                1u8.hash(state);
                r.numer().hash(state);
                r.denom().hash(state);
            }
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", self.exact_text())
    }
}

/// A terminating value exactly as held, its places kept (`9.20`, like a
/// decimal); any other as [`Number::to_text`] (`≈0.3333`).
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Decimal(d) => write!(f, "{d}"),
            Repr::Fraction(_) => f.write_str(&self.to_text()),
        }
    }
}

/// A decimal written as its `Display` writes it (`-0.50`, `12`, `0.003`:
/// every place of its scale kept, `-` for any negative sign, also of zero),
/// into a buffer on the stack. Serialising the numbers of an evaluation
/// through `Display` and `collect_str` went through the formatting machinery
/// for each of them (7% of one request, docs/performance.md); this gives the
/// same bytes as a `&str`.
pub(crate) struct DecimalText {
    /// Digits, point and sign, right-aligned: a mantissa has at most 29
    /// digits, a scale at most 28 places, so 32 bytes always suffice.
    buf: [u8; 40],
    start: usize,
}

impl DecimalText {
    /// The text of `d`.
    pub(crate) fn new(d: Decimal) -> DecimalText {
        let mut text = DecimalText {
            buf: [0; 40],
            start: 40,
        };
        let mut m = d.mantissa().unsigned_abs();
        let scale = d.scale();
        for _ in 0..scale {
            text.put(digit(&mut m));
        }
        if scale > 0 {
            text.put(b'.');
        }
        if m == 0 {
            text.put(b'0');
        }
        while m != 0 {
            text.put(digit(&mut m));
        }
        if d.is_sign_negative() {
            text.put(b'-');
        }
        text
    }

    fn put(&mut self, byte: u8) {
        if let Some(start) = self.start.checked_sub(1) {
            if let Some(slot) = self.buf.get_mut(start) {
                *slot = byte;
                self.start = start;
            }
        }
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        self.buf
            .get(self.start..)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

/// The last decimal digit of `m` as ASCII; `m` loses it.
fn digit(m: &mut u128) -> u8 {
    // `m % 10` is below 10.
    let d = u8::try_from(*m % 10).unwrap_or(0);
    *m /= 10;
    b'0' + d
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    proptest::proptest! {
        /// `DecimalText` writes what `Display` writes, for every mantissa,
        /// scale and sign (negative zero included).
        #[test]
        fn decimal_text_is_display(
            lo in proptest::prelude::any::<u32>(),
            mid in proptest::prelude::any::<u32>(),
            hi in proptest::prelude::any::<u32>(),
            small in 0u32..1000,
            wide in proptest::prelude::any::<bool>(),
            negative in proptest::prelude::any::<bool>(),
            scale in 0u32..=28,
        ) {
            let (lo, mid, hi) = if wide { (lo, mid, hi) } else { (small, 0, 0) };
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let text = DecimalText::new(d);
            proptest::prop_assert_eq!(text.as_str(), d.to_string());
        }
    }

    #[test]
    fn decimal_text_of_edge_values() {
        for d in [
            Decimal::ZERO,
            -Decimal::ZERO,
            Decimal::from_parts(0, 0, 0, true, 3),
            Decimal::from_parts(0, 0, 0, false, 28),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_parts(u32::MAX, u32::MAX, u32::MAX, true, 28),
            Decimal::new(5, 1),
            Decimal::new(-5, 1),
            Decimal::new(1050, 2),
            Decimal::new(3, 0),
        ] {
            let text = DecimalText::new(d);
            assert_eq!(text.as_str(), d.to_string(), "{d:?}");
        }
    }

    fn n(s: &str) -> Number {
        Number::from(Decimal::from_str(s).unwrap_or_default())
    }

    #[test]
    fn a_third_three_times_is_exactly_one() {
        let third = Number::ONE.checked_div(n("3")).unwrap();
        assert!(!third.terminates());
        let sum = third
            .checked_add(third)
            .and_then(|s| s.checked_add(third))
            .unwrap();
        assert!(sum.terminates());
        assert_eq!(sum, Number::ONE);
        assert_eq!(third.to_text(), "≈0.3333");
        assert_eq!(third.exact_text(), "1/3");
        assert_eq!(n("2").checked_div(n("3")).unwrap().to_text(), "≈0.6667");
    }

    #[test]
    fn terminating_quotients_are_decimals() {
        let q = n("1").checked_div(n("8")).unwrap();
        assert!(q.terminates());
        assert_eq!(q.to_text(), "0.125");
        assert_eq!(n("89.50").to_text(), "89.5");
        assert!(n("1").checked_div(Number::ZERO).is_none());
    }

    #[test]
    fn order_equality_and_hash_compare_values() {
        use std::collections::HashSet;
        let third = Number::ONE.checked_div(n("3")).unwrap();
        let also = n("2").checked_div(n("6")).unwrap();
        assert_eq!(third, also);
        assert!(third < n("0.3334"));
        assert!(third > n("0.3333"));
        assert_eq!(n("1.0"), n("1"));
        let set: HashSet<Number> = [n("1.0"), n("1"), third, also].into_iter().collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn rounding_modes() {
        let two_thirds = n("2").checked_div(n("3")).unwrap();
        assert_eq!(
            two_thirds.round(2, RoundMode::HalfUp).unwrap().to_string(),
            "0.67"
        );
        assert_eq!(
            two_thirds.round(2, RoundMode::Down).unwrap().to_string(),
            "0.66"
        );
        assert_eq!(
            n("0.125")
                .round(2, RoundMode::HalfEven)
                .unwrap()
                .to_string(),
            "0.12"
        );
        assert_eq!(
            n("0.135")
                .round(2, RoundMode::HalfEven)
                .unwrap()
                .to_string(),
            "0.14"
        );
        assert_eq!(
            n("0.125").round(2, RoundMode::HalfUp).unwrap().to_string(),
            "0.13"
        );
        assert_eq!(
            n("-0.125").round(2, RoundMode::HalfUp).unwrap().to_string(),
            "-0.13"
        );
        assert_eq!(
            n("0.121").round(2, RoundMode::Up).unwrap().to_string(),
            "0.13"
        );
        assert_eq!(n("-2.5").floor().unwrap(), n("-3"));
        assert_eq!(n("-2.5").ceil().unwrap(), n("-2"));
        assert_eq!(two_thirds.floor().unwrap(), Number::ZERO);
        assert_eq!(two_thirds.ceil().unwrap(), Number::ONE);
        assert_eq!(n("7").ceil().unwrap(), n("7"));
    }

    #[test]
    fn overflow_is_none_not_a_panic() {
        let max = Number::from(Decimal::MAX);
        // Beyond a decimal, still exact as a fraction.
        assert_eq!(
            max.checked_add(max).unwrap().exact_text(),
            "158456325028528675187087900670"
        );
        assert!(max.checked_mul(max).is_none());
        let huge = Number::fraction(i128::MAX - 2, 3).unwrap();
        assert!(huge.checked_add(huge).is_none());
        assert!(Number::fraction(i128::MIN, 3).is_none());
        assert_eq!((-huge).abs(), huge);
        let tiny = n("0.0000000000000001");
        let product = tiny.checked_mul(tiny).unwrap();
        // 1e-32 does not fit a decimal's 28 places: kept exactly as a fraction.
        assert!(!product.terminates());
        assert_eq!(product.checked_mul(n("10000000000000000")).unwrap(), tiny);
    }
}
