//! Python objects straight from a Rust result (issue 14, Performance): a
//! `serde::Serializer` that builds the dicts, lists and `decimal.Decimal`
//! scores `kaohe.Ruleset.evaluate` returns, without writing JSON text and
//! parsing it again with `json.loads`.
//!
//! The objects are exactly those of `_decimals(json.loads(text))` in
//! `python/kaohe/__init__.py` for the JSON `text` serde_json writes of the
//! same value (a test compares the two on every shipped example): a struct
//! or map is a `dict` in the same key order, a sequence a `list`, a string a
//! `str`, an integer an `int`, `None`/unit `None`; a string that is the value
//! of a score key (`total`, `amount`, … [`DECIMAL_KEYS`]) a `Decimal` of that
//! string, except anywhere under an `attributes` key (the facts as given).
//!
//! Costs saved against the JSON round trip: no text is written or decoded,
//! the keys (a few dozen distinct ones) are made once per call and reused,
//! and equal scores share one `Decimal` (immutable, so sharing is invisible
//! to value comparison).

use std::collections::HashMap;
use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Serialize};

/// The keys whose string values are scores. The one list of them: the
/// module exports it as `kaohe._native.DECIMAL_KEYS`, which `_decimals` in
/// `python/kaohe/__init__.py` reads.
pub const DECIMAL_KEYS: [&str; 12] = [
    "total",
    "converted",
    "allot",
    "deductions",
    "bonuses",
    "subtotal",
    "raw",
    "amount",
    "applied",
    "before",
    "after",
    "delta",
];

/// The key under which nothing is converted.
const ATTRIBUTES: &str = "attributes";

/// A failure while building: a Python exception (e.g. `Decimal` refusing a
/// string) or a value serde cannot express as JSON.
#[derive(Debug)]
pub enum Error {
    /// Python raised.
    Py(PyErr),
    /// The value has no JSON form (e.g. a map key that is not a string).
    Custom(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Py(e) => write!(f, "{e}"),
            Error::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::Custom(msg.to_string())
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Error {
        Error::Py(e)
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        match e {
            Error::Py(e) => e,
            Error::Custom(m) => pyo3::exceptions::PyValueError::new_err(m),
        }
    }
}

type Result<T> = std::result::Result<T, Error>;

/// What one call shares: the interpreter, `decimal.Decimal`, the keys made so
/// far and the scores made so far.
pub struct Builder<'py> {
    py: Python<'py>,
    decimal: Bound<'py, PyAny>,
    keys: HashMap<String, Bound<'py, PyString>>,
    scores: HashMap<String, Bound<'py, PyAny>>,
}

impl<'py> Builder<'py> {
    /// A builder for one result; imports `decimal`.
    pub fn new(py: Python<'py>) -> PyResult<Builder<'py>> {
        Ok(Builder {
            py,
            decimal: py.import("decimal")?.getattr("Decimal")?,
            keys: HashMap::new(),
            scores: HashMap::new(),
        })
    }

    /// The Python objects of `value` (see the module's documentation).
    pub fn build(&mut self, value: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
        Ok(value.serialize(Value {
            builder: self,
            context: Context::Plain,
            converting: true,
        })?)
    }

    fn key(&mut self, key: &str) -> Bound<'py, PyString> {
        if let Some(k) = self.keys.get(key) {
            return k.clone();
        }
        let k = PyString::intern(self.py, key);
        self.keys.insert(key.to_owned(), k.clone());
        k
    }

    fn score(&mut self, text: &str) -> Result<Bound<'py, PyAny>> {
        if let Some(d) = self.scores.get(text) {
            return Ok(d.clone());
        }
        let d = self.decimal.call1((text,))?;
        self.scores.insert(text.to_owned(), d.clone());
        Ok(d)
    }
}

/// `serialize_bool` and the integer methods of a serde `Serializer`, each
/// `self.$scalar(v)`: the two serializers here ([`Value`], [`KeyText`])
/// treat all of them alike.
macro_rules! scalars {
    ($scalar:ident) => {
        scalars!($scalar: serialize_bool bool, serialize_i8 i8, serialize_i16 i16,
            serialize_i32 i32, serialize_i64 i64, serialize_i128 i128, serialize_u8 u8,
            serialize_u16 u16, serialize_u32 u32, serialize_u64 u64, serialize_u128 u128);
    };
    ($scalar:ident: $($method:ident $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<Self::Ok> {
            self.$scalar(v)
        }
    )*};
}

/// Where a value sits: as the value of a score key, or anywhere else.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Score,
    Plain,
}

/// Serialises one value into a Python object.
struct Value<'b, 'py> {
    builder: &'b mut Builder<'py>,
    context: Context,
    /// False anywhere under an `attributes` key.
    converting: bool,
}

impl<'b, 'py> Value<'b, 'py> {
    fn py(&self) -> Python<'py> {
        self.builder.py
    }

    /// A bool or an integer: a Python `bool` or `int` (see [`scalars`]).
    fn scalar(self, v: impl IntoPyObject<'py>) -> Result<Bound<'py, PyAny>> {
        v.into_bound_py_any(self.py()).map_err(Error::Py)
    }

    /// The value of `key` in a map or struct, serialised.
    fn entry<T: ?Sized + Serialize>(
        builder: &mut Builder<'py>,
        converting: bool,
        key: &str,
        value: &T,
    ) -> Result<Bound<'py, PyAny>> {
        let converting = converting && key != ATTRIBUTES;
        let context = if converting && DECIMAL_KEYS.contains(&key) {
            Context::Score
        } else {
            Context::Plain
        };
        value.serialize(Value {
            builder,
            context,
            converting,
        })
    }

    /// A dict `{variant: value}` (serde_json's form of a non-unit variant).
    fn tagged(self, variant: &'static str, value: Bound<'py, PyAny>) -> Result<Bound<'py, PyAny>> {
        let dict = PyDict::new(self.py());
        dict.set_item(self.builder.key(variant), value)?;
        Ok(dict.into_any())
    }
}

impl<'b, 'py> ser::Serializer for Value<'b, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'b, 'py>;
    type SerializeTuple = Seq<'b, 'py>;
    type SerializeTupleStruct = Seq<'b, 'py>;
    type SerializeTupleVariant = Seq<'b, 'py>;
    type SerializeMap = Map<'b, 'py>;
    type SerializeStruct = Map<'b, 'py>;
    type SerializeStructVariant = Map<'b, 'py>;

    scalars!(scalar);
    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        // serde_json writes an f32 as its shortest text, which json.loads
        // reads as a double: the same double as parsing that text.
        let text = v.to_string();
        match text.parse::<f64>() {
            Ok(d) if d.is_finite() => Ok(PyFloat::new(self.py(), d).into_any()),
            _ => Ok(self.py().None().into_bound(self.py())),
        }
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        // serde_json writes a non-finite number as `null`.
        if v.is_finite() {
            Ok(PyFloat::new(self.py(), v).into_any())
        } else {
            Ok(self.py().None().into_bound(self.py()))
        }
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        let mut buf = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buf))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        if self.context == Context::Score {
            self.builder.score(v)
        } else {
            Ok(PyString::new(self.py(), v).into_any())
        }
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        // serde_json writes bytes as an array of numbers.
        Ok(PyList::new(self.py(), v.iter().copied())?.into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Ok(self.py().None().into_bound(self.py()))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        let inner = Value::entry(self.builder, self.converting, variant, value)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'b, 'py>> {
        Ok(Seq {
            builder: self.builder,
            converting: self.converting,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'b, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'b, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'b, 'py>> {
        Ok(Seq {
            builder: self.builder,
            converting: self.converting && variant != ATTRIBUTES,
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'b, 'py>> {
        let dict = PyDict::new(self.builder.py);
        Ok(Map {
            builder: self.builder,
            converting: self.converting,
            dict,
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'b, 'py>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Map<'b, 'py>> {
        let dict = PyDict::new(self.builder.py);
        Ok(Map {
            builder: self.builder,
            converting: self.converting && variant != ATTRIBUTES,
            dict,
            key: None,
            variant: Some(variant),
        })
    }
}

/// A list being built (or, for a tuple variant, `{variant: [...]}`).
pub struct Seq<'b, 'py> {
    builder: &'b mut Builder<'py>,
    converting: bool,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Seq<'_, 'py> {
    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let item = value.serialize(Value {
            builder: self.builder,
            context: Context::Plain,
            converting: self.converting,
        })?;
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let py = self.builder.py;
        let list = PyList::new(py, self.items)?.into_any();
        match self.variant {
            None => Ok(list),
            Some(variant) => {
                let dict = PyDict::new(py);
                dict.set_item(self.builder.key(variant), list)?;
                Ok(dict.into_any())
            }
        }
    }
}

/// The serde traits whose elements or fields go into a [`Seq`]: each
/// `push`es one and `finish`es the list.
macro_rules! seq_traits {
    ($($name:ident::$element:ident),*) => {$(
        impl<'py> ser::$name for Seq<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
                self.push(value)
            }
            fn end(self) -> Result<Self::Ok> {
                self.finish()
            }
        }
    )*};
}

seq_traits!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A dict being built (or, for a struct variant, `{variant: {...}}`).
pub struct Map<'b, 'py> {
    builder: &'b mut Builder<'py>,
    converting: bool,
    dict: Bound<'py, PyDict>,
    /// The key written by `serialize_key`, waiting for its value.
    key: Option<String>,
    variant: Option<&'static str>,
}

impl<'py> Map<'_, 'py> {
    fn put<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        let value = Value::entry(self.builder, self.converting, key, value)?;
        let key = self.builder.key(key);
        self.dict.set_item(key, value)?;
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        match self.variant {
            None => Ok(self.dict.into_any()),
            Some(variant) => {
                let outer = PyDict::new(self.builder.py);
                outer.set_item(self.builder.key(variant), self.dict)?;
                Ok(outer.into_any())
            }
        }
    }
}

impl<'py> ser::SerializeMap for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let Some(key) = self.key.take() else {
            return Err(Error::Custom("a map value without its key".into()));
        };
        self.put(&key, value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

/// The serde traits whose fields go into a [`Map`]: each `put`s one and
/// `finish`es the dict.
macro_rules! struct_traits {
    ($($name:ident),*) => {$(
        impl<'py> ser::$name for Map<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<()> {
                self.put(key, value)
            }
            fn end(self) -> Result<Self::Ok> {
                self.finish()
            }
        }
    )*};
}

struct_traits!(SerializeStruct, SerializeStructVariant);

/// A map key as serde_json writes it: a string, or a number or bool as text.
struct KeyText;

impl KeyText {
    /// A bool or an integer key: its text (see [`scalars`]).
    fn text(self, v: impl ToString) -> Result<String> {
        Ok(v.to_string())
    }

    fn refuse<T>() -> Result<T> {
        Err(Error::Custom("a map key must be a string".into()))
    }
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    scalars!(text);
    fn serialize_f32(self, _v: f32) -> Result<String> {
        Self::refuse()
    }
    fn serialize_f64(self, _v: f64) -> Result<String> {
        Self::refuse()
    }
    fn serialize_char(self, v: char) -> Result<String> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String> {
        Self::refuse()
    }
    fn serialize_none(self) -> Result<String> {
        Self::refuse()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result<String> {
        Self::refuse()
    }
    fn serialize_unit(self) -> Result<String> {
        Self::refuse()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String> {
        Self::refuse()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String> {
        Self::refuse()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Self::refuse()
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Self::refuse()
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Self::refuse()
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Self::refuse()
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Self::refuse()
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Self::refuse()
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Self::refuse()
    }
}
