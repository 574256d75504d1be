//! Compact pieces of a fact file: [`Text`], an immutable string that is cheap
//! to clone and compare, and [`Attributes`], a record's or unit's attribute
//! values in a small sorted slice.
//!
//! A province-year holds over a million records that repeat the same few
//! unit ids, kind names, attribute names and text values. Reading a fact file
//! interns them ([`Interner`]), so equal strings share one allocation, a clone
//! is a reference-count increment and an equality test usually a pointer
//! comparison. See `docs/performance.md`.
//!
//! ```
//! use kaohe::text::{Attributes, Text};
//! use kaohe::value::Value;
//!
//! let kind = Text::from("media_report");
//! assert_eq!(kind, "media_report");
//! let attributes: Attributes = [("tier", Value::Level("city".into()))].into_iter().collect();
//! assert_eq!(attributes.get("tier"), Some(&Value::Level("city".into())));
//! assert_eq!(attributes.get("outlet"), None);
//! ```

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use serde::ser::SerializeMap;
use serde::Serialize;

use crate::value::Value;

/// An immutable string, cheap to clone (a shared allocation). Compares, orders
/// and hashes exactly like the `str` it holds.
///
/// One pointer wide (an [`arcstr::ArcStr`]: length and reference count live
/// with the bytes), not two like an `Arc<str>`: a record holds three or
/// more of them, and a province-year over a million records.
#[derive(Clone)]
pub struct Text(arcstr::ArcStr);

impl Text {
    /// The string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether both are the same shared allocation (then they are equal).
    pub(crate) fn same(&self, other: &Text) -> bool {
        arcstr::ArcStr::ptr_eq(&self.0, &other.0)
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::from("")
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        arcstr::ArcStr::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> Ordering {
        if arcstr::ArcStr::ptr_eq(&self.0, &other.0) {
            Ordering::Equal
        } else {
            self.0.cmp(&other.0)
        }
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(arcstr::ArcStr::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(arcstr::ArcStr::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text(arcstr::ArcStr::from(s.as_str()))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.0.to_string()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Hands out one shared [`Text`] per distinct string.
#[derive(Debug, Default)]
pub struct Interner {
    seen: HashSet<Text>,
}

impl Interner {
    /// An interner that hands out `texts` for their strings.
    pub fn with_texts(texts: impl IntoIterator<Item = Text>) -> Self {
        Interner {
            seen: texts.into_iter().collect(),
        }
    }

    /// The shared text equal to `s`.
    pub fn intern(&mut self, s: &str) -> Text {
        if let Some(text) = self.seen.get(s) {
            return text.clone();
        }
        let text = Text::from(s);
        self.seen.insert(text.clone());
        text
    }
}

/// Attribute values by name, sorted by name, each name once.
///
/// Iterates, compares and serialises like a `BTreeMap<String, Value>` (a JSON
/// object with its members in name order), in a fraction of the memory.
/// Shared: a clone (a record listed in an explanation) is a reference count,
/// not a copy.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Attributes(std::sync::Arc<[(Text, Value)]>);

impl Attributes {
    /// The value of the attribute `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        // A record has a handful of attributes: a scan beats a search. Length
        // and first byte rule most names out without comparing the rest.
        let (length, first) = (name.len(), name.as_bytes().first());
        self.0
            .iter()
            .find(|(n, _)| n.len() == length && n.as_bytes().first() == first && n.as_str() == name)
            .map(|(_, v)| v)
    }

    /// Whether the attribute `name` is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Names and values, in name order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Text, &Value)> + '_ {
        self.0.iter().map(|(n, v)| (n, v))
    }

    /// The names, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Text> + '_ {
        self.0.iter().map(|(n, _)| n)
    }

    /// The values, in name order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Value> + '_ {
        self.0.iter().map(|(_, v)| v)
    }

    /// How many attributes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Later pairs replace earlier ones with the same name, as in a map.
impl<K: Into<Text>> FromIterator<(K, Value)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut pairs: Vec<(Text, Value)> = iter.into_iter().map(|(k, v)| (k.into(), v)).collect();
        // Stable: equal names keep their input order, so the last one wins below.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut unique: Vec<(Text, Value)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match unique.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => unique.push(pair),
            }
        }
        Attributes(unique.into())
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a Text, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Text, Value)>,
        fn(&'a (Text, Value)) -> (&'a Text, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(n, v)| (n, v))
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A JSON object of the values' JSON forms ([`Value::to_json`]).
impl Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.iter() {
            // As `value.to_json()` serialises, without building it (no
            // string copied per value: this runs for every record in the
            // facts' hash and in every explanation).
            map.serialize_entry(name, &AsJson(value))?;
        }
        map.end()
    }
}

/// A value serialised exactly as [`Value::to_json`] is: `null`, `true`,
/// numbers normalised as strings, dates and texts as strings.
struct AsJson<'a>(&'a Value);

impl Serialize for AsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Absent => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            // Both written as their `Display` text, from a buffer on the stack.
            Value::Number(n) => {
                serializer.serialize_str(crate::number::DecimalText::new(n.normalize()).as_str())
            }
            Value::Date(d) => d.serialize(serializer),
            Value::Text(t) | Value::Level(t) => serializer.serialize_str(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_value_serialises_as_its_json() {
        let values = [
            Value::Absent,
            Value::Bool(false),
            Value::Bool(true),
            Value::Number(rust_decimal::Decimal::new(1500, 3)),
            Value::Number(-rust_decimal::Decimal::ZERO),
            Value::Number(rust_decimal::Decimal::new(-12345, 2)),
            Value::Number(rust_decimal::Decimal::MAX),
            Value::Date(crate::date::Date::new(2023, 10, 5).unwrap()),
            Value::Text("市教育局 \"quoted\"\n\t\u{1} \\ ①".into()),
            Value::Level("central".into()),
        ];
        for value in values {
            assert_eq!(
                serde_json::to_string(&AsJson(&value)).unwrap(),
                serde_json::to_string(&value.to_json()).unwrap(),
                "{value:?}"
            );
        }
    }

    #[test]
    fn orders_compare_and_serialise_like_a_map() {
        let pairs = [
            ("b", Value::Bool(true)),
            ("a", Value::Text("x".into())),
            ("c", Value::Absent),
            ("a", Value::Text("y".into())),
        ];
        let attributes: Attributes = pairs.iter().cloned().collect();
        let map: BTreeMap<String, Value> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        assert_eq!(
            attributes
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Vec<_>>(),
            map.clone().into_iter().collect::<Vec<_>>()
        );
        let other: Attributes = [("a", Value::Text("z".into()))].into_iter().collect();
        let other_map: BTreeMap<String, Value> = [("a".to_owned(), Value::Text("z".into()))]
            .into_iter()
            .collect();
        assert_eq!(attributes.cmp(&other), map.cmp(&other_map));
        assert_eq!(
            serde_json::to_string(&attributes).unwrap(),
            r#"{"a":"y","b":true,"c":null}"#
        );
    }

    #[test]
    fn interned_texts_share_and_compare_by_content() {
        let mut interner = Interner::default();
        let a = interner.intern("县");
        let b = interner.intern("县");
        assert!(a.same(&b));
        assert!(!a.same(&Text::from("县")));
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<usize>());
        assert_eq!(a, Text::from("县"));
        assert_eq!(Text::from("a").cmp(&Text::from("b")), Ordering::Less);
        assert_eq!(format!("{a:?}"), "\"县\"");
    }
}
