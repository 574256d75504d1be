//! The chunked fact reader (issue 15 §2, §4): a fact FILE read at the speed
//! of a file held in memory, in bounded memory, on several threads.
//!
//! Input that can be read again (`Read + Seek`: a file) is read in large
//! chunks ([`CHUNK`] bytes). A small scanner that knows only strings (with
//! their escapes) and nesting depth finds the top-level members and each
//! element of `records`; a record's text is parsed in place, where it lies in
//! the chunk, by the fast path ([`super::fast`]), batches of records on the
//! threads of the call ([`crate::threads`]), results put back in file order.
//! The other members are read by the code the streaming reader uses. Memory
//! holds one chunk (and the one record or member that straddles its end)
//! besides the facts themselves.
//!
//! It only ever takes a success. On anything it does not expect (the
//! records before `units` or `as_of`, a key given twice, a record with a
//! problem, bytes that are not UTF-8, UTF-16, a limit passed, a syntax error,
//! a reading error…) it seeks back to where the input started and hands the
//! whole of it to the streaming reader ([`Facts::read`]), which reports every
//! error exactly as [`Facts::from_reader`] does. So the facts are those of
//! the streaming reader, and so are the errors.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::str::FromStr;

use serde_json::value::RawValue;

use super::fast::{Context, Fast};
use super::json::{Node, Object};
use super::{stopped, Deferred, FactErrors, Facts, Record, Stop, Streamed, Validator};
use crate::date::Date;
use crate::limits::Limits;
use crate::ruleset::Ruleset;
use crate::text::{Interner, Text};
use crate::threads::Threads;

/// How many bytes are read at a time: large enough that a chunk holds tens
/// of thousands of records (a batch for the threads), small enough not to
/// count beside the facts of a province.
pub(crate) const CHUNK: usize = 4 << 20;

/// Per thread of the call, this many batches of records (so that a thread
/// slowed by another process does not hold the others up for long).
const PARTS_PER_THREAD: usize = 4;

impl Facts {
    /// Reads and validates a fact file from `reader`, input that can be read
    /// again (a [`std::fs::File`]; a [`std::io::Cursor`]), within `limits`,
    /// on up to `threads` threads: the same facts, and the same errors, as
    /// [`Facts::from_reader_within`] on the same bytes, about twice as fast
    /// on a valid file on one thread (the province-year of
    /// `docs/performance.md`: 4.1 s → 2.0 s), whatever the number of threads
    /// (the facts, their order and [`Facts::hash`] do not depend on it).
    ///
    /// The file is read in chunks of a few megabytes and never held whole:
    /// memory is the facts' and one chunk's. Reading starts where `reader`
    /// is. On a file with any problem, `reader` is sought back there and the
    /// file read again by [`Facts::from_reader_within`], whose errors are
    /// returned; when seeking back fails, a `kaohe::facts::io` error.
    ///
    /// # Errors
    /// [`FactErrors`], every problem of the file, as [`Facts::from_reader_within`]
    /// reports them (`docs/facts.md`, "Errors").
    pub fn from_seekable_within<R: Read + Seek>(
        ruleset: &Ruleset,
        reader: R,
        limits: &Limits,
        threads: Threads,
    ) -> Result<Facts, FactErrors> {
        read_seekable(ruleset, reader, limits, threads, CHUNK)
    }
}

/// [`Facts::from_seekable_within`] reading `chunk` bytes at a time (small in
/// tests, so that records straddle chunk ends).
pub(crate) fn read_seekable<R: Read + Seek>(
    ruleset: &Ruleset,
    mut reader: R,
    limits: &Limits,
    threads: Threads,
    chunk: usize,
) -> Result<Facts, FactErrors> {
    let Ok(start) = reader.stream_position() else {
        // Nothing read yet: the streaming reader reads it once.
        return Facts::read(ruleset, reader, limits);
    };
    if let Some(facts) = attempt(ruleset, &mut reader, limits, threads, chunk) {
        return Ok(facts);
    }
    match reader.seek(SeekFrom::Start(start)) {
        Ok(_) => Facts::read(ruleset, reader, limits),
        Err(e) => Err(stopped(Stop::Io(e.to_string()), limits)),
    }
}

/// The facts of `reader` read in chunks when it holds a valid fact file;
/// `None` on anything else (then read again by the streaming reader).
fn attempt<R: Read>(
    ruleset: &Ruleset,
    reader: &mut R,
    limits: &Limits,
    threads: Threads,
    chunk: usize,
) -> Option<Facts> {
    Chunked {
        ruleset,
        limits,
        threads,
        chunks: Chunks {
            reader,
            buf: Vec::new(),
            pos: 0,
            chunk: chunk.max(1),
            total: 0,
            max: limits.max_fact_bytes,
            eof: false,
            failed: false,
        },
    }
    .read()
}

/// Whether `b` is JSON white space.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The input, a chunk at a time: `buf[pos..]` is read but not yet taken.
struct Chunks<R> {
    reader: R,
    buf: Vec<u8>,
    pos: usize,
    chunk: usize,
    /// Bytes read from the input.
    total: usize,
    /// `max_fact_bytes`: past it, the attempt is given up.
    max: usize,
    eof: bool,
    /// Reading failed (or passed the size limit).
    failed: bool,
}

impl<R: Read> Chunks<R> {
    /// Drops the bytes before `pos` and reads up to a chunk more; `false` at
    /// the end of the input, on a reading error, or past the size limit.
    fn refill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        self.buf.drain(..self.pos);
        self.pos = 0;
        let old = self.buf.len();
        self.buf.resize(old + self.chunk, 0);
        let mut filled = old;
        while filled < self.buf.len() {
            let Some(space) = self.buf.get_mut(filled..) else {
                break;
            };
            match self.reader.read(space) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.buf.truncate(filled);
                    self.eof = true;
                    self.failed = true;
                    return false;
                }
            }
        }
        self.buf.truncate(filled);
        self.total = self.total.saturating_add(filled - old);
        if self.total > self.max {
            self.eof = true;
            self.failed = true;
            return false;
        }
        filled > old
    }

    /// The next byte that is not white space (not taken); `None` at the end.
    fn peek(&mut self) -> Option<u8> {
        loop {
            while let Some(&b) = self.buf.get(self.pos) {
                if !is_ws(b) {
                    return Some(b);
                }
                self.pos += 1;
            }
            if !self.refill() {
                return None;
            }
        }
    }

    /// Takes the next byte that is not white space when it is `want`.
    fn expect(&mut self, want: u8) -> Option<()> {
        (self.peek()? == want).then(|| self.pos += 1)
    }

    /// The value (a string, an object or an array) that starts at `pos`,
    /// read whole; its bytes are `buf[range]` until the next read.
    fn value(&mut self) -> Option<Range<usize>> {
        let mut scan = Scan::default();
        let mut scanned = 0;
        loop {
            let from = self.pos + scanned;
            let rest = self.buf.get(from..).unwrap_or_default();
            if let Some(n) = scan.run(rest) {
                let range = self.pos..from + n;
                self.pos = range.end;
                return Some(range);
            }
            scanned += rest.len();
            // `refill` moves `buf[pos..]` to the front: `scanned` stays.
            if !self.refill() {
                return None;
            }
        }
    }
}

/// Where the scanner is inside a JSON value: only strings (with escapes)
/// and nesting are followed; the parser checks the rest.
#[derive(Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    /// Scans `bytes` (the value's first byte first, or where the last call
    /// stopped); the length scanned to the value's end when it ends in
    /// `bytes`. A value that is not a string, an object or an array ends at
    /// its first byte.
    fn run(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut k = 0;
        while let Some(&b) = bytes.get(k) {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    k += 1;
                    continue;
                }
                // The rest of the string at once, to its quote or escape.
                let at = k + memchr::memchr2(b'"', b'\\', bytes.get(k..)?)?;
                if bytes.get(at) == Some(&b'\\') {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Some(at + 1);
                    }
                }
                k = at + 1;
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(k + 1);
                    }
                }
                _ if self.depth == 0 => return Some(k + 1),
                _ => {}
            }
            k += 1;
        }
        None
    }
}

/// One attempt at reading a file in chunks.
struct Chunked<'a, R> {
    ruleset: &'a Ruleset,
    limits: &'a Limits,
    threads: Threads,
    chunks: Chunks<R>,
}

/// What a thread keeps from batch to batch: its interner (seeded with the
/// ruleset's kinds, the validator's attribute and level names and the unit
/// ids when known, so records share those texts) and the fast path's
/// per-file context.
struct Worker {
    interner: Interner,
    context: Context,
}

/// A batch of records for one worker: their ranges in the chunk and the
/// index of the first in `$.records`.
struct Part<'w> {
    worker: &'w mut Worker,
    ranges: &'w [Range<usize>],
    first: usize,
}

/// The units and evaluation date the records are checked against, when they
/// came before the records.
struct Known {
    units: Option<BTreeMap<Text, Text>>,
    as_of: Option<Date>,
}

/// The records, as the streaming reader has them after reading `records`.
enum Taken {
    /// Checked against the units and `as_of` given before them.
    Streamed(Streamed),
    /// Read before the units or `as_of`: checked against them at the end.
    Deferred(Deferred),
}

impl<R: Read> Chunked<'_, R> {
    /// The facts of a valid file; `None` on anything else.
    fn read(mut self) -> Option<Facts> {
        let mut validator = Validator::new(self.ruleset);
        while self.chunks.buf.len() < 3 && self.chunks.refill() {}
        if self.chunks.buf.starts_with(b"\xEF\xBB\xBF") {
            self.chunks.pos = 3;
        }
        self.chunks.expect(b'{')?;
        let mut top = Object::default();
        let mut seen: Vec<String> = Vec::new();
        let mut streamed = None;
        loop {
            let range = match self.chunks.peek()? {
                b'"' => self.chunks.value()?,
                _ => return None,
            };
            let key: String = serde_json::from_str(text(&self.chunks.buf, range)?).ok()?;
            if seen.contains(&key) {
                return None;
            }
            seen.push(key.clone());
            self.chunks.expect(b':')?;
            if key == "records" {
                streamed = Some(self.records_member(&mut validator, &top)?);
            } else {
                if !matches!(self.chunks.peek()?, b'{' | b'[' | b'"') {
                    return None;
                }
                let range = self.chunks.value()?;
                let raw: &RawValue = serde_json::from_str(text(&self.chunks.buf, range)?).ok()?;
                top.insert(key, Node::from_raw(raw).ok()?);
            }
            match self.chunks.peek()? {
                b',' => self.chunks.pos += 1,
                b'}' => {
                    self.chunks.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        // Nothing but white space after the object.
        if self.chunks.peek().is_some() || !self.chunks.eof || self.chunks.failed {
            return None;
        }
        let streamed = match streamed? {
            Taken::Streamed(s) => s,
            Taken::Deferred(d) => validator.finish_deferred(&top, d),
        };
        validator.finish(&top, Some(streamed), self.limits).ok()
    }

    /// The `records` member, read as the streaming reader reads it: checked
    /// against `units` and `as_of` when both came before it, else checked
    /// against them once the whole object is read.
    fn records_member(&mut self, validator: &mut Validator<'_>, top: &Object) -> Option<Taken> {
        if !(top.contains_key("units") && top.contains_key("as_of")) {
            let known = Known {
                units: None,
                as_of: None,
            };
            let (records, count) = self.records(validator, &known, &[])?;
            return Some(Taken::Deferred(Deferred {
                records,
                positions: (0..count).collect(),
                errors: Vec::new(),
                count,
            }));
        }
        let as_of = top
            .get("as_of")
            .and_then(Node::as_str)
            .and_then(|s| Date::from_str(s).ok());
        let units = validator.units(top.get("units"));
        if !validator.errors.is_empty() {
            return None;
        }
        let known = Known {
            units: Some(
                units
                    .iter()
                    .map(|u| (u.id.clone(), u.group.clone()))
                    .collect(),
            ),
            as_of,
        };
        let (records, count) = self.records(validator, &known, &units)?;
        Some(Taken::Streamed(Streamed {
            units,
            unit_errors: Vec::new(),
            records,
            errors: Vec::new(),
            count,
        }))
    }

    /// The elements of `records`, from its `[` to its `]`, and how many.
    fn records(
        &mut self,
        validator: &mut Validator<'_>,
        known: &Known,
        units: &[super::Unit],
    ) -> Option<(Vec<Record>, usize)> {
        self.chunks.expect(b'[')?;
        // Every worker shares the ruleset's kind texts (the engine finds
        // kinds by pointer), and with the validator the attribute and level
        // names and the units' ids (when known): equal texts then share one
        // allocation as in the streaming reader, and compare by pointer.
        let mut seed: Vec<Text> = self.ruleset.kinds().to_vec();
        for decl in self.ruleset.records() {
            for field in &decl.fields {
                seed.push(validator.interner.intern(&field.name.name));
                if let Some(levels) = self.ruleset.levels(&field.ty.name.name) {
                    seed.extend(
                        levels
                            .levels
                            .iter()
                            .map(|l| validator.interner.intern(&l.name.name)),
                    );
                }
            }
        }
        seed.extend(units.iter().map(|u| u.id.clone()));
        let parts = if self.threads.get() == 1 {
            1
        } else {
            self.threads.get() * PARTS_PER_THREAD
        };
        let mut workers: Vec<Worker> = (0..parts)
            .map(|_| Worker {
                interner: Interner::with_texts(seed.iter().cloned()),
                context: Context::new(self.ruleset),
            })
            .collect();
        let pool = self.threads.pool();
        let mut records = Vec::new();
        let mut count = 0usize;
        let mut element = true;
        let mut first = true;
        let mut batch: Vec<Range<usize>> = Vec::new();
        let mut unit = Unify::default();
        loop {
            // Every record that ends in this chunk.
            batch.clear();
            let mut done = false;
            let mut broken = false;
            while let Some(&b) = self.chunks.buf.get(self.chunks.pos) {
                if is_ws(b) {
                    self.chunks.pos += 1;
                } else if element && b == b']' && first {
                    self.chunks.pos += 1;
                    done = true;
                    break;
                } else if element {
                    if b != b'{' {
                        broken = true;
                        break;
                    }
                    let rest = self.chunks.buf.get(self.chunks.pos..).unwrap_or_default();
                    let Some(n) = Scan::default().run(rest) else {
                        break;
                    };
                    batch.push(self.chunks.pos..self.chunks.pos + n);
                    self.chunks.pos += n;
                    element = false;
                    first = false;
                } else if b == b',' {
                    self.chunks.pos += 1;
                    element = true;
                } else if b == b']' {
                    self.chunks.pos += 1;
                    done = true;
                    break;
                } else {
                    broken = true;
                    break;
                }
            }
            if broken || count.saturating_add(batch.len()) > self.limits.max_records {
                return None;
            }
            let out = Out {
                validator: &mut *validator,
                unit: &mut unit,
                records: &mut records,
            };
            self.batch(&pool, &mut workers, &batch, count, known, out)?;
            count += batch.len();
            if done {
                return Some((records, count));
            }
            if !self.chunks.refill() {
                return None;
            }
        }
    }

    /// Reads the records of `batch` (`$.records[first..]`) on the pool and
    /// adds them, in file order, to `records`; `None` when one has a problem.
    fn batch(
        &self,
        pool: &crate::threads::Pool,
        workers: &mut [Worker],
        batch: &[Range<usize>],
        first: usize,
        known: &Known,
        out: Out<'_, '_>,
    ) -> Option<()> {
        let Out {
            validator,
            unit,
            records,
        } = out;
        if batch.is_empty() {
            return Some(());
        }
        let buf = self.chunks.buf.as_slice();
        let size = batch.len().div_ceil(workers.len()).max(1);
        let mut parts: Vec<Part<'_>> = workers
            .iter_mut()
            .zip(batch.chunks(size))
            .scan(first, |next, (worker, ranges)| {
                let part = Part {
                    worker,
                    ranges,
                    first: *next,
                };
                *next += ranges.len();
                Some(part)
            })
            .collect();
        let ruleset = self.ruleset;
        let unit_ids_seen: &BTreeSet<String> = &validator.unit_ids_seen;
        let read = pool.map_mut(&mut parts, |part| {
            let mut fast = Fast {
                ruleset,
                unit_ids_seen,
                interner: &mut part.worker.interner,
            };
            part.ranges
                .iter()
                .enumerate()
                .map(|(k, range)| {
                    let text = text(buf, range.clone())?;
                    fast.record(
                        &part.worker.context,
                        part.first + k,
                        text,
                        known.units.as_ref(),
                        known.as_of,
                    )
                })
                .collect::<Vec<Option<Record>>>()
        });
        for (i, (range, record)) in batch.iter().zip(read.into_iter().flatten()).enumerate() {
            let i = first + i;
            match record {
                Some(mut record) => {
                    record.unit = unit.text(&mut validator.interner, &record.unit);
                    validator.add_version(i, &record);
                    records.push(record);
                }
                None => {
                    // The fast path gave up: the validator reads it, as the
                    // streaming reader does; any problem ends the attempt.
                    let raw: &RawValue = serde_json::from_str(text(buf, range.clone())?).ok()?;
                    let node = Node::from_raw(raw).ok()?;
                    let record = validator.record(i, &node, known.units.as_ref(), known.as_of);
                    if !validator.errors.is_empty() {
                        return None;
                    }
                    records.push(record?);
                }
            }
        }
        Some(())
    }
}

/// Where a batch's records go: the validator (versions, and the records
/// the fast path leaves to it), the units' texts, the records read so far.
struct Out<'o, 'v> {
    validator: &'o mut Validator<'v>,
    unit: &'o mut Unify,
    records: &'o mut Vec<Record>,
}

/// A worker's text for a unit id replaced by the validator's (records come
/// in runs of one unit: one look-up per run), so that every record of a
/// unit shares one text, as in the streaming reader, whichever thread read
/// it.
#[derive(Default)]
struct Unify(Option<(Text, Text)>);

impl Unify {
    fn text(&mut self, interner: &mut Interner, worker: &Text) -> Text {
        match &self.0 {
            Some((last, shared)) if last.same(worker) => shared.clone(),
            _ => {
                let shared = interner.intern(worker);
                self.0 = Some((worker.clone(), shared.clone()));
                shared
            }
        }
    }
}

/// `buf[range]` as text, when it is UTF-8.
fn text(buf: &[u8], range: Range<usize>) -> Option<&str> {
    std::str::from_utf8(buf.get(range)?).ok()
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Seek, SeekFrom, Write};

    use proptest::prelude::*;
    use serde_json::Value as Json;

    use super::{attempt, read_seekable};
    use crate::limits::Limits;
    use crate::synth::{self, SynthSpec};
    use crate::threads::Threads;
    use crate::{Facts, Ruleset, SourceFile};

    fn ruleset(which: usize) -> Ruleset {
        let (name, text) = match which % 3 {
            0 => (
                "shaodong-2023.rules",
                include_str!("../../../../rulesets/shaodong-2023/shaodong-2023.rules"),
            ),
            1 => (
                "miluo-2026.rules",
                include_str!("../../../../rulesets/miluo-2026/miluo-2026.rules"),
            ),
            _ => (
                "demo-county-2026.rules",
                include_str!("../../../../rulesets/demo-county-2026/demo-county-2026.rules"),
            ),
        };
        Ruleset::from_source(SourceFile::new(name, text)).unwrap()
    }

    /// A generated valid fact file, its top-level members rotated by
    /// `order` (0: as generated, records before units), compact or pretty.
    fn file(ruleset: &Ruleset, seed: u64, size: usize, order: usize, pretty: bool) -> Vec<u8> {
        let spec = SynthSpec {
            seed,
            units_per_group: 1 + size % 3,
            periods: 1 + size % 2,
            records_per_unit_period: 1 + size % 4,
            partitions: 1,
        };
        let Json::Object(top) = synth::facts(ruleset, &spec) else {
            unreachable!("synth gives an object")
        };
        let mut members: Vec<(String, Json)> = top.into_iter().collect();
        let n = members.len();
        members.rotate_left(order % n);
        let text = |v: &Json| {
            if pretty {
                serde_json::to_string_pretty(v).unwrap()
            } else {
                v.to_string()
            }
        };
        let parts: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{}: {}", Json::String(k.clone()), text(v)))
            .collect();
        let sep = if pretty { ",\n" } else { "," };
        format!("{{{}}}", parts.join(sep)).into_bytes()
    }

    /// The facts (or errors) of the streaming reader and of the chunked one,
    /// with 1 and 3 threads and a few chunk sizes: the same, in every field
    /// (also the records' places in the file and the facts' warnings), and
    /// the records' kinds are the ruleset's own texts.
    fn agree(ruleset: &Ruleset, bytes: &[u8], limits: &Limits) -> Result<(), TestCaseError> {
        let expected = Facts::from_reader_within(ruleset, bytes, limits);
        for threads in [1, 3] {
            for chunk in [1, 7, 64, 4096] {
                let threads = Threads::new(threads).unwrap();
                let got = read_seekable(ruleset, Cursor::new(bytes), limits, threads, chunk);
                let tried = attempt(ruleset, &mut Cursor::new(bytes), limits, threads, chunk);
                match (&expected, &got) {
                    (Ok(a), Ok(b)) => {
                        prop_assert_eq!(a, b);
                        prop_assert_eq!(a.hash(), b.hash());
                        prop_assert_eq!(a.warnings(), b.warnings());
                        let places = |f: &Facts| -> Vec<Option<usize>> {
                            f.records.iter().map(|r| r.source.0).collect()
                        };
                        prop_assert_eq!(places(a), places(b));
                        for record in &b.records {
                            prop_assert!(ruleset.kinds().iter().any(|k| k.same(&record.kind)));
                        }
                        // Texts shared as the streaming reader shares them:
                        // each record's unit id is its unit's.
                        let shared = |f: &Facts| -> Vec<bool> {
                            f.records
                                .iter()
                                .map(|r| f.unit(&r.unit).is_some_and(|u| u.id.same(&r.unit)))
                                .collect()
                        };
                        prop_assert_eq!(shared(a), shared(b));
                    }
                    (Err(a), Err(b)) => {
                        prop_assert_eq!(a, b);
                        prop_assert!(tried.is_none(), "the chunked reader took a bad file");
                    }
                    _ => prop_assert!(false, "readers disagree: {:?} vs {:?}", expected, got),
                }
                if let (Some(tried), Ok(a)) = (&tried, &expected) {
                    prop_assert_eq!(tried, a);
                }
            }
        }
        Ok(())
    }

    #[test]
    fn valid_files_are_read_in_chunks_whatever_their_member_order() {
        for which in 0..3 {
            let ruleset = ruleset(which);
            for order in 0..6 {
                for pretty in [false, true] {
                    let mut bytes = file(&ruleset, 7 + order as u64, 5, order, pretty);
                    if order % 2 == 1 {
                        // Escapes in texts: the validator reads those records.
                        let text = String::from_utf8(bytes).unwrap();
                        let escaped = ["学位扩充", "老旧小区改造", "农村公路", "医保缴费"]
                            .iter()
                            .fold(text, |t, w| t.replace(w, r#"学\"位\\"#));
                        assert!(escaped.contains(r#"\""#) || which != 0);
                        bytes = escaped.into_bytes();
                    }
                    for chunk in [1, 5, 100, 1 << 20] {
                        for threads in [1, 2, 3] {
                            let threads = Threads::new(threads).unwrap();
                            let read = attempt(
                                &ruleset,
                                &mut Cursor::new(&bytes),
                                &Limits::default(),
                                threads,
                                chunk,
                            );
                            assert!(
                                read.is_some(),
                                "not taken: ruleset {which}, order {order}, chunk {chunk}"
                            );
                        }
                    }
                    agree(&ruleset, &bytes, &Limits::default()).unwrap();
                }
            }
        }
    }

    #[test]
    fn reading_starts_where_the_reader_is() {
        let ruleset = ruleset(0);
        let bytes = file(&ruleset, 3, 4, 2, false);
        let expected = Facts::from_reader(&ruleset, bytes.as_slice()).unwrap();
        for bad in [false, true] {
            let mut cursor = Cursor::new(Vec::new());
            cursor.write_all(b"garbage before the file").unwrap();
            let at = cursor.position();
            cursor.write_all(&bytes).unwrap();
            if bad {
                // A problem: read again, from the same place.
                cursor.write_all(b"x").unwrap();
            }
            cursor.seek(SeekFrom::Start(at)).unwrap();
            let read = read_seekable(
                &ruleset,
                cursor,
                &Limits::default(),
                Threads::new(2).unwrap(),
                16,
            );
            if bad {
                let mut with_x = bytes.clone();
                with_x.push(b'x');
                assert_eq!(read, Facts::from_reader(&ruleset, with_x.as_slice()));
                assert!(read.is_err());
            } else {
                assert_eq!(read.unwrap(), expected);
            }
        }
    }

    /// What is done to a valid file.
    #[derive(Debug, Clone)]
    enum Mutation {
        None,
        Cut(usize),
        Byte(usize, u8),
        Insert(usize, Vec<u8>),
        /// Bytes after the end.
        Append(Vec<u8>),
        /// The `n`-th occurrence of `from` replaced by `to`.
        Replace(&'static str, &'static str, usize),
        /// A member given again, at the start or the end.
        Repeat(&'static str, bool),
        Bom,
        Utf16,
        /// A number (the `n`-th after a colon) written as a string.
        NumberAsString(usize),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            3 => Just(Mutation::None),
            2 => any::<usize>().prop_map(Mutation::Cut),
            3 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Byte(at, b)),
            2 => (
                any::<usize>(),
                prop::sample::select(vec![
                    b"\xFF".to_vec(),
                    b"\xD1\xA7\xCE\xBB".to_vec(),
                    b"\xE5\xAD".to_vec(),
                    b" ".to_vec(),
                    b"\n".to_vec(),
                    b",".to_vec(),
                    b"\"".to_vec(),
                    b"\\".to_vec(),
                    b"}".to_vec(),
                    b"]".to_vec(),
                    b"{".to_vec(),
                    b"0".to_vec(),
                ])
            )
                .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
            1 => prop::sample::select(vec![
                b" \n\t\r".to_vec(),
                b"x".to_vec(),
                b"{}".to_vec(),
                b"\xFF".to_vec(),
                b"\xE5".to_vec(),
            ])
            .prop_map(Mutation::Append),
            3 => (
                prop::sample::select(vec![
                    ("\"lead-", "\"lead\\u002d"),
                    ("\"as_of\"", "\"as\\u005fof\""),
                    ("\"records\"", "\"rec\\u006frds\""),
                    ("\"unit\"", "\"u\\u006eit\""),
                    ("\"2023-", "\"\\u0032023-"),
                    ("\"2026-", "\"\\u0032026-"),
                    ("\"kind\"", "\"kind\", \"kind\""),
                    ("\"reported\":\"", "\"reported\":\"9"),
                    ("\"reported\": \"", "\"reported\": \"9"),
                    ("\"units\"", "\"unit\""),
                    ("[]", "[1]"),
                    ("\"学位扩充\"", "\"学\\\"位\\\\\""),
                    ("true", "\"true\""),
                    (":1", ":1.0"),
                    (": 1", ": 1e0"),
                    (":2", ":99999999999999999999999999999"),
                    (": 2", ": -2"),
                    ("\"period\":\"2023-0", "\"period\":\"2023-1"),
                ]),
                any::<usize>()
            )
                .prop_map(|((from, to), n)| Mutation::Replace(from, to, n)),
            2 => (
                prop::sample::select(vec![
                    "\"as_of\": \"2026-12-31\"",
                    "\"records\": []",
                    "\"units\": []",
                    "\"periods\": []",
                    "\"description\": \"again\"",
                    "\"extra\": 1",
                ]),
                any::<bool>()
            )
                .prop_map(|(member, start)| Mutation::Repeat(member, start)),
            1 => Just(Mutation::Bom),
            1 => Just(Mutation::Utf16),
            2 => any::<usize>().prop_map(Mutation::NumberAsString),
        ]
    }

    fn mutate(bytes: &[u8], m: &Mutation) -> Vec<u8> {
        let mut out = bytes.to_vec();
        let len = bytes.len().max(1);
        match m {
            Mutation::None => {}
            Mutation::Cut(at) => out.truncate(at % len),
            Mutation::Byte(at, b) => {
                if let Some(slot) = out.get_mut(at % len) {
                    *slot = *b;
                }
            }
            Mutation::Insert(at, inserted) => {
                let at = at % len;
                out.splice(at..at, inserted.iter().copied());
            }
            Mutation::Replace(from, to, n) => {
                let hits: Vec<usize> = out
                    .windows(from.len())
                    .enumerate()
                    .filter(|(_, w)| *w == from.as_bytes())
                    .map(|(i, _)| i)
                    .collect();
                if !hits.is_empty() {
                    let at = hits[n % hits.len()];
                    out.splice(at..at + from.len(), to.bytes());
                }
            }
            Mutation::Repeat(member, start) => {
                if *start {
                    out.splice(1..1, format!("{member},").into_bytes());
                } else {
                    let end = out.len() - 1;
                    out.splice(end..end, format!(",{member}").into_bytes());
                }
            }
            Mutation::Append(more) => out.extend_from_slice(more),
            Mutation::Bom => {
                out.splice(0..0, *b"\xEF\xBB\xBF");
            }
            Mutation::Utf16 => {
                out.splice(0..0, *b"\xFF\xFE");
            }
            Mutation::NumberAsString(n) => {
                let starts: Vec<usize> = out
                    .windows(2)
                    .enumerate()
                    .filter(|(_, w)| w[0] == b':' && w[1].is_ascii_digit())
                    .map(|(i, _)| i + 1)
                    .collect();
                if !starts.is_empty() {
                    let at = starts[n % starts.len()];
                    let end = out[at..]
                        .iter()
                        .position(|b| !b.is_ascii_digit() && *b != b'.')
                        .map_or(out.len(), |k| at + k);
                    out.insert(end, b'"');
                    out.insert(at, b'"');
                }
            }
        }
        out
    }

    /// Limits that the file passes, or just fails.
    fn limits(bytes: &[u8], which: u8) -> Limits {
        let records = bytes
            .windows(8)
            .filter(|w| w == b"\"kind\":\"" || w == b"\"kind\": ")
            .count();
        let mut limits = Limits::default();
        match which % 6 {
            1 => limits.max_fact_bytes = bytes.len(),
            2 => limits.max_fact_bytes = bytes.len().saturating_sub(1),
            3 => limits.max_records = records,
            4 => limits.max_records = records.saturating_sub(1),
            5 => limits.max_units = 1,
            _ => {}
        }
        limits
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("KAOHE_PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(96)
        ))]
        #[test]
        fn the_chunked_reader_gives_what_the_streaming_reader_gives(
            which in 0usize..3,
            seed in any::<u64>(),
            size in 0usize..12,
            order in 0usize..6,
            pretty in any::<bool>(),
            mutations in prop::collection::vec(mutation(), 1..3),
            limit in any::<u8>(),
        ) {
            let ruleset = ruleset(which);
            let mut bytes = file(&ruleset, seed, size, order, pretty);
            for m in &mutations {
                bytes = mutate(&bytes, m);
            }
            agree(&ruleset, &bytes, &limits(&bytes, limit))?;
        }
    }
}
