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
