//! The bytes of a fact file and the JSON in them, as the validator sees them.
//!
//! [`Input`] stands between the file and `serde_json`: it drops a leading
//! UTF-8 byte-order mark, refuses UTF-16 and bytes that are not UTF-8 (saying
//! where and what the file looks like), counts bytes against
//! `max_fact_bytes`, and keeps the line and column (in characters) that
//! syntax errors are reported at. Both `Facts::from_json` and
//! `Facts::from_reader` read through it, so they give the same answers.
//!
//! [`Node`] is a JSON value that keeps every number as written (read exactly
//! later, see [`crate::value::exact_decimal`]) and every key given twice in an
//! object, so that neither is lost to `serde_json`'s own value type.

use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// How deep [`Node`]s are read: a fact file's values nest four deep; anything
/// deeper is in the wrong place and is only described (`an object`).
const MAX_DEPTH: usize = 8;

/// A JSON value with numbers as written and repeated keys kept.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// A number, exactly as written in the file (`1.0E-5`).
    Number(String),
    String(String),
    /// An array (empty when it nests past [`MAX_DEPTH`]).
    Array(Vec<Node>),
    /// An object (empty when it nests past [`MAX_DEPTH`]).
    Object(Object),
}

/// The members of a JSON object in file order; a key given twice is kept once
/// (its first value) and listed in `repeated`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Object {
    pub(crate) members: Vec<(String, Node)>,
    /// Keys given more than once, each once, in the order of their second use.
    pub(crate) repeated: Vec<String>,
}

impl Object {
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.members.iter().map(|(k, _)| k)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn insert(&mut self, key: String, value: Node) {
        if self.contains_key(&key) {
            if !self.repeated.contains(&key) {
                self.repeated.push(key);
            }
        } else {
            self.members.push((key, value));
        }
    }
}

impl Node {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&Object> {
        match self {
            Node::Object(o) => Some(o),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Node]> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The value of `raw` (valid JSON, as `serde_json` captured it).
    pub(crate) fn from_raw(raw: &RawValue) -> Result<Node, serde_json::Error> {
        parse(raw.get(), 0)
    }
}

fn parse(text: &str, depth: usize) -> Result<Node, serde_json::Error> {
    let text = text.trim_matches([' ', '\t', '\r', '\n']);
    Ok(match text.as_bytes().first() {
        Some(b'{') if depth >= MAX_DEPTH => Node::Object(Object::default()),
        Some(b'[') if depth >= MAX_DEPTH => Node::Array(Vec::new()),
        Some(b'{' | b'[') => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let node = NodeSeed { depth }.deserialize(&mut deserializer)?;
            deserializer.end()?;
            node
        }
        // A string without escapes is the text between its quotes (`text`
        // is valid JSON, checked when it was captured): no parser needed.
        Some(b'"') => match text
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .filter(|s| !s.contains(['\\', '"']))
        {
            Some(plain) => Node::String(plain.to_owned()),
            None => Node::String(serde_json::from_str(text)?),
        },
        Some(b't') => Node::Bool(true),
        Some(b'f') => Node::Bool(false),
        Some(b'n') => Node::Null,
        _ => Node::Number(text.to_owned()),
    })
}

/// Reads an object or array one level deep; each member is captured raw and
/// read by [`parse`], so numbers keep their spelling.
struct NodeSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = Node;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object or an array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut object = Object::default();
        while let Some(key) = map.next_key::<String>()? {
            let raw: &RawValue = map.next_value()?;
            let value = parse(raw.get(), self.depth + 1).map_err(serde::de::Error::custom)?;
            object.insert(key, value);
        }
        Ok(Node::Object(object))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(raw) = seq.next_element::<&RawValue>()? {
            items.push(parse(raw.get(), self.depth + 1).map_err(serde::de::Error::custom)?);
        }
        Ok(Node::Array(items))
    }
}

/// What stopped [`Input`] from handing out more bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stop {
    /// More than `max_fact_bytes` came through.
    OverSize(usize),
    /// The file is UTF-16 (by its byte-order mark or its zero bytes).
    Utf16 { big_endian: bool },
    /// A byte that is not UTF-8, at a line and column (in characters, 1-based).
    NotUtf8 {
        line: u64,
        column: u64,
        looks_like: Option<&'static str>,
    },
    /// Reading the file failed.
    Io(String),
}

/// A reader between the file and `serde_json`; see the module docs.
pub(crate) struct Input<R> {
    inner: std::io::BufReader<R>,
    max: usize,
    /// Bytes read from the file, the byte-order mark included.
    read: usize,
    started: bool,
    /// Line (1-based) and characters read on it so far.
    line: u64,
    column: u64,
    /// The last bytes handed out (at least [`HISTORY`] bytes, in the chunks
    /// they went out in) and where the first of them is: `serde_json` reads
    /// through a buffer, so it is behind; its position (line, column in
    /// bytes) is found again in them when it reports a syntax error.
    history: std::collections::VecDeque<Vec<u8>>,
    history_len: usize,
    history_start: Replay,
    /// Continuation bytes still expected, and the range the next one must be in.
    need: u8,
    low: u8,
    high: u8,
    /// Whether anything but JSON white space came through.
    content: bool,
    pub(crate) stop: Option<Stop>,
    /// The bytes around a bad byte, kept to guess the file's encoding.
    sample: Vec<u8>,
    /// The bytes of the character being read (up to 4).
    sequence: [u8; 4],
    sequence_len: usize,
}

impl<R: Read> Input<R> {
    pub(crate) fn new(inner: R, max: usize) -> Input<R> {
        Input {
            inner: std::io::BufReader::with_capacity(1 << 16, inner),
            max,
            read: 0,
            started: false,
            line: 1,
            column: 0,
            history: std::collections::VecDeque::new(),
            history_len: 0,
            history_start: Replay {
                line: 1,
                byte_column: 0,
                column: 0,
                last_two: [0; 2],
            },
            need: 0,
            low: 0x80,
            high: 0xBF,
            content: false,
            stop: None,
            sample: Vec::new(),
            sequence: [0; 4],
            sequence_len: 0,
        }
    }

    /// Whether the file held nothing but white space (and a byte-order mark).
    pub(crate) fn is_blank(&self) -> bool {
        !self.content
    }

    /// `serde_json`'s position (line, column in bytes, of the last byte it
    /// read) as line and column in characters, and whether the bytes read
    /// there end in a comma and then `]` or `}` (a trailing comma, which
    /// `serde_json` reports as "expected value"). Its own column (in bytes)
    /// when the position is no longer in the history.
    pub(crate) fn at(&self, line: u64, byte_column: u64) -> ((u64, u64), bool) {
        let mut replay = self.history_start;
        let target = |r: &Replay| r.line == line && r.byte_column == byte_column;
        let found = target(&replay)
            || self.history.iter().flatten().any(|&b| {
                replay.step(b);
                target(&replay)
            });
        if found {
            let trailing_comma = matches!(replay.last_two, [b']' | b'}', b',']);
            ((line, replay.column.max(1)), trailing_comma)
        } else {
            ((line, byte_column.max(1)), false)
        }
    }

    fn remember(&mut self, chunk: &[u8]) {
        self.history.push_back(chunk.to_vec());
        self.history_len += chunk.len();
        while self.history_len > HISTORY {
            let Some(oldest) = self.history.pop_front() else {
                break;
            };
            self.history_len -= oldest.len();
            self.history_start.advance(&oldest);
        }
    }

    /// Whether the end came in the middle of a UTF-8 sequence (then it is reported).
    pub(crate) fn check_end(&mut self) {
        if self.need > 0 && self.stop.is_none() {
            self.not_utf8();
        }
    }

    fn fail(&mut self, stop: Stop) -> std::io::Error {
        let error = std::io::Error::other(format!("{stop:?}"));
        self.stop = Some(stop);
        error
    }

    fn not_utf8(&mut self) {
        let column = self.column.max(1);
        let looks_like = looks_like(&self.sample);
        self.stop = Some(Stop::NotUtf8 {
            line: self.line,
            column,
            looks_like,
        });
    }

    /// Looks at the first bytes: a byte-order mark, or the zero bytes of UTF-16.
    fn start(&mut self) -> std::io::Result<()> {
        self.started = true;
        let head = match self.inner.fill_buf() {
            Ok(head) => head.get(..head.len().min(4)).unwrap_or_default().to_vec(),
            Err(e) => return Err(self.fail(Stop::Io(e.to_string()))),
        };
        match head.as_slice() {
            [0xEF, 0xBB, 0xBF, ..] => {
                self.inner.consume(3);
                self.count(3)?;
            }
            [0xFF, 0xFE, ..] => return Err(self.fail(Stop::Utf16 { big_endian: false })),
            [0xFE, 0xFF, ..] => return Err(self.fail(Stop::Utf16 { big_endian: true })),
            [0, b, ..] if *b != 0 => return Err(self.fail(Stop::Utf16 { big_endian: true })),
            [b, 0, ..] if *b != 0 => return Err(self.fail(Stop::Utf16 { big_endian: false })),
            _ => {}
        }
        Ok(())
    }

    fn count(&mut self, n: usize) -> std::io::Result<()> {
        self.read = self.read.saturating_add(n);
        if self.read > self.max {
            let read = self.read;
            return Err(self.fail(Stop::OverSize(read)));
        }
        Ok(())
    }

    /// Checks one byte; `false` when it is not UTF-8 here.
    fn check(&mut self, b: u8) -> bool {
        if self.need == 0 {
            self.sequence_len = 0;
        }
        if self.need > 0 {
            if b < self.low || b > self.high {
                return false;
            }
            self.need -= 1;
            if let Some(slot) = self.sequence.get_mut(self.sequence_len) {
                *slot = b;
                self.sequence_len += 1;
            }
            self.low = 0x80;
            self.high = 0xBF;
            return true;
        }
        let (need, low, high) = match b {
            b'\n' => {
                self.line += 1;
                self.column = 0;
                return true;
            }
            0x00..=0x7F => {
                self.column += 1;
                if !matches!(b, b' ' | b'\t' | b'\r') {
                    self.content = true;
                }
                return true;
            }
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xE1..=0xEF => (2, 0x80, 0xBF),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => {
                self.column += 1;
                return false;
            }
        };
        self.column += 1;
        self.content = true;
        self.sequence = [b, 0, 0, 0];
        self.sequence_len = 1;
        self.need = need;
        self.low = low;
        self.high = high;
        true
    }

    /// After a bad byte: keeps the bytes from the start of its character on,
    /// to guess what the file is.
    fn sample_from(&mut self, bad: &[u8]) {
        self.sample.extend_from_slice(bad);
        while self.sample.len() < 512 {
            let Ok(more) = self.inner.fill_buf() else {
                break;
            };
            if more.is_empty() {
                break;
            }
            let take = more.len().min(512 - self.sample.len());
            self.sample
                .extend_from_slice(more.get(..take).unwrap_or_default());
            self.inner.consume(take);
        }
    }
}

/// What bytes that are not UTF-8 look like: GBK (GB18030) when they decode as it.
fn looks_like(sample: &[u8]) -> Option<&'static str> {
    // A cut multi-byte character at the end of the sample does not count.
    (0..4).find_map(|cut| {
        let bytes = sample.get(..sample.len().checked_sub(cut)?)?;
        let (text, had_errors) = encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map_or(("".into(), true), |t| (t, false));
        (!had_errors && text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)))
            .then_some("GBK")
    })
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if let Some(stop) = &self.stop {
            return Err(std::io::Error::other(format!("{stop:?}")));
        }
        if !self.started {
            self.start()?;
        }
        let n = match self.inner.fill_buf() {
            Ok(available) => {
                let n = available.len().min(buffer.len());
                if let (Some(to), Some(from)) = (buffer.get_mut(..n), available.get(..n)) {
                    to.copy_from_slice(from);
                }
                n
            }
            Err(e) => return Err(self.fail(Stop::Io(e.to_string()))),
        };
        self.inner.consume(n);
        let chunk = buffer.get(..n).unwrap_or_default();
        // Fast path: a chunk that is UTF-8 by itself (no character cut at its
        // ends), checked and counted in bulk.
        if self.need == 0 && std::str::from_utf8(chunk).is_ok() {
            if !self.content {
                self.content = chunk
                    .iter()
                    .any(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
            }
            let (lines, tail) = lines_and_tail(chunk);
            if lines > 0 {
                self.line += lines;
                self.column = 0;
            }
            self.column += characters(tail);
            self.count(n)?;
            self.remember(chunk);
            return Ok(n);
        }
        for (i, &b) in buffer.iter().take(n).enumerate() {
            if !self.check(b) {
                let mut bad: Vec<u8> = self
                    .sequence
                    .get(..self.sequence_len)
                    .unwrap_or_default()
                    .to_vec();
                bad.push(b);
                bad.extend_from_slice(buffer.get(i + 1..n).unwrap_or_default());
                self.sample_from(&bad);
                self.not_utf8();
                return Err(std::io::Error::other("not UTF-8"));
            }
        }
        self.count(n)?;
        self.remember(buffer.get(..n).unwrap_or_default());
        Ok(n)
    }
}

/// How many bytes [`Input`] keeps after handing them out: more than the
/// buffer `serde_json` reads through.
const HISTORY: usize = 64 * 1024;

/// The buffer `serde_json` reads through (smaller than [`HISTORY`]).
pub(crate) const BUFFER: usize = 16 * 1024;

/// A position replayed byte by byte: line, column in bytes and in
/// characters, and the last two bytes that are not JSON white space.
#[derive(Debug, Clone, Copy)]
struct Replay {
    line: u64,
    byte_column: u64,
    column: u64,
    last_two: [u8; 2],
}

/// How many line feeds `chunk` holds, and the bytes after the last one (all
/// of it when it holds none).
fn lines_and_tail(chunk: &[u8]) -> (u64, &[u8]) {
    let lines = chunk.iter().filter(|&&b| b == b'\n').count() as u64;
    let tail = match chunk.iter().rposition(|&b| b == b'\n') {
        Some(at) => chunk.get(at + 1..).unwrap_or_default(),
        None => chunk,
    };
    (lines, tail)
}

/// How many characters start in `bytes` (bytes that are not UTF-8 continuation bytes).
fn characters(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64
}

impl Replay {
    /// [`Replay::step`] over every byte of `chunk`, in bulk.
    fn advance(&mut self, chunk: &[u8]) {
        let (lines, tail) = lines_and_tail(chunk);
        if lines > 0 {
            self.line += lines;
            self.byte_column = 0;
            self.column = 0;
        }
        self.byte_column += tail.len() as u64;
        self.column += characters(tail);
        let mut last = chunk
            .iter()
            .rev()
            .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .copied();
        match (last.next(), last.next()) {
            (Some(latest), Some(before)) => self.last_two = [latest, before],
            (Some(latest), None) => {
                let [previous, _] = self.last_two;
                self.last_two = [latest, previous];
            }
            _ => {}
        }
    }

    fn step(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
            self.byte_column = 0;
            self.column = 0;
        } else {
            self.byte_column += 1;
            if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
        if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            let [latest, _] = self.last_two;
            self.last_two = [b, latest];
        }
    }
}
