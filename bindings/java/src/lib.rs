//! The native library `kaohe_jni` behind the Java binding (issue 14 §6): the
//! static native methods of `kaohe.Native`, each one operation of the JSON
//! contract (`kaohe::api`, `kaohe_ffi::ledger`).
//!
//! A failure throws `kaohe.KaoheException(summary, errorsJson)` with the
//! `{"api_version":1,"errors":[…]}` JSON; no panic crosses into the JVM (each
//! entry point catches one and throws a `kaohe::ffi::panic` error instead). A
//! compiled ruleset is a `Box<Handle>` whose address the Java object holds;
//! `kaohe.CompiledRuleset` guarantees it is freed once, after every call using
//! it has returned, so concurrent `evaluate` calls share it safely.
//!
//! The evaluation calls are the binding's hot path (issue 14, Performance:
//! docs/performance.md): they read the facts and write the result through
//! buffers the handle lends ([`buffers`]), check the facts' UTF-8 once (the
//! fact reader's check), and read a `String`'s characters in place.

mod buffers;

use std::panic::{catch_unwind, AssertUnwindSafe};

use jni::objects::{JByteArray, JClass, JObject, JString, JThrowable, JValue};
use jni::sys::{jbyteArray, jlong, jobject, jsize, jstring};
use jni::JNIEnv;
use kaohe::api::{self, ApiError, ApiErrors, Compiled};

use buffers::Pool;

/// What a `kaohe.CompiledRuleset` holds the address of: the compiled
/// ruleset and the buffers its evaluations borrow.
struct Handle {
    compiled: Compiled,
    /// The facts read out of Java, and the evaluation JSON.
    bytes: Pool<u8>,
    /// The evaluation JSON as UTF-16, for `evaluateString`.
    chars: Pool<u16>,
}

/// A failure to report to Java.
enum Failure {
    /// The input has errors.
    Errors(ApiErrors),
    /// A JNI call failed (an exception may already be pending in the JVM).
    Jni(jni::errors::Error),
}

impl From<ApiErrors> for Failure {
    fn from(e: ApiErrors) -> Failure {
        Failure::Errors(e)
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        Failure::Errors(ApiErrors::one(e))
    }
}

impl From<jni::errors::Error> for Failure {
    fn from(e: jni::errors::Error) -> Failure {
        Failure::Jni(e)
    }
}

/// The `kaohe::ffi::invalid_argument` error: what every refused argument
/// (null, not UTF-8 or UTF-16, a closed ruleset) and a failed JNI call report.
fn invalid_argument(message: impl Into<String>) -> ApiError {
    ApiError::new("kaohe::ffi::invalid_argument", message)
}

/// Throws `kaohe.KaoheException` for `errors`; falls back to a
/// `RuntimeException` if the class cannot be built.
fn throw(env: &mut JNIEnv<'_>, errors: &ApiErrors) {
    let build = |env: &mut JNIEnv<'_>| -> jni::errors::Result<()> {
        let summary = env.new_string(errors.to_string())?;
        let json = env.new_string(errors.to_json())?;
        let exception = env.new_object(
            "kaohe/KaoheException",
            "(Ljava/lang/String;Ljava/lang/String;)V",
            &[JValue::Object(&summary), JValue::Object(&json)],
        )?;
        env.throw(JThrowable::from(exception))
    };
    if build(env).is_err() && !env.exception_check().unwrap_or(true) {
        let _ = env.throw_new("java/lang/RuntimeException", errors.to_json());
    }
}

/// Runs `f`, catching a panic; on failure throws and returns `fallback`.
/// Every entry point goes through here (those returning an object through
/// [`returning`]).
fn run<'local, T>(
    env: &mut JNIEnv<'local>,
    fallback: T,
    f: impl FnOnce(&mut JNIEnv<'local>) -> Result<T, Failure>,
) -> T {
    let errors = match catch_unwind(AssertUnwindSafe(|| f(env))) {
        Ok(Ok(value)) => return value,
        Ok(Err(Failure::Errors(errors))) => errors,
        Ok(Err(Failure::Jni(e))) => {
            if env.exception_check().unwrap_or(true) {
                return fallback;
            }
            ApiErrors::one(invalid_argument(format!("the JNI call failed: {e}")))
        }
        Err(_) => ApiErrors::one(ApiError::new(
            "kaohe::ffi::panic",
            "kaohe failed unexpectedly (a panic); this is a bug in kaohe, please report it with the inputs",
        )),
    };
    throw(env, &errors);
    fallback
}

/// [`run`] for an entry point returning a Java object: `f` computes the
/// value, `write` hands it to Java ([`java_string`], [`java_bytes`],
/// [`java_utf16`]); null after a throw.
fn returning<'local, T>(
    env: &mut JNIEnv<'local>,
    write: impl FnOnce(&mut JNIEnv<'local>, T) -> Result<jobject, Failure>,
    f: impl FnOnce(&mut JNIEnv<'local>) -> Result<T, Failure>,
) -> jobject {
    run(env, std::ptr::null_mut(), |env| {
        let value = f(env)?;
        write(env, value)
    })
}

/// Refuses the argument `name` when it is null.
fn required(arg: &JObject<'_>, name: &str) -> Result<(), Failure> {
    if arg.is_null() {
        return Err(invalid_argument(format!("argument `{name}` is null")).into());
    }
    Ok(())
}

/// `read()`s an argument that may be null (the options); empty when it is,
/// which the contract reads as no options.
fn or_empty<T: Default>(
    arg: &JObject<'_>,
    read: impl FnOnce() -> Result<T, Failure>,
) -> Result<T, Failure> {
    if arg.is_null() {
        return Ok(T::default());
    }
    read()
}

/// A `String` argument, through JNI's modified UTF-8 (`GetStringUTFChars`):
/// for those off the evaluation path (names, ruleset texts, the ledger's
/// options); `evaluateString` reads its own with [`read_utf16`].
fn read_string(env: &mut JNIEnv<'_>, s: &JString<'_>, name: &str) -> Result<String, Failure> {
    required(s, name)?;
    Ok(env.get_string(s)?.into())
}

/// A `byte[]` argument.
fn read_bytes(
    env: &mut JNIEnv<'_>,
    bytes: &JByteArray<'_>,
    name: &str,
) -> Result<Vec<u8>, Failure> {
    required(bytes, name)?;
    Ok(env.convert_byte_array(bytes)?)
}

/// A `byte[]` argument holding UTF-8 text.
fn read_utf8(env: &mut JNIEnv<'_>, b: &JByteArray<'_>, name: &str) -> Result<String, Failure> {
    String::from_utf8(read_bytes(env, b, name)?)
        .map_err(|_| invalid_argument(format!("argument `{name}` is not valid UTF-8")).into())
}

/// A new Java `String` (through JNI's modified UTF-8, `NewStringUTF`).
fn java_string(env: &mut JNIEnv<'_>, s: String) -> Result<jobject, Failure> {
    Ok(env.new_string(s)?.into_raw())
}

/// A new Java `byte[]`.
fn java_bytes(env: &mut JNIEnv<'_>, b: impl AsRef<[u8]>) -> Result<jobject, Failure> {
    Ok(env.byte_array_from_slice(b.as_ref())?.into_raw())
}

/// The handle at `handle`.
fn handle_at<'a>(handle: jlong) -> Result<&'a Handle, Failure> {
    let p = handle as *const Handle;
    // SAFETY: a non-zero handle is the address of a live `Box<Handle>` made
    // by `compile`; `kaohe.CompiledRuleset` frees it only after every call
    // using it has returned (its read-write lock), and it is only read here
    // (its pools lock for themselves).
    match unsafe { p.as_ref() } {
        Some(h) => Ok(h),
        None => Err(invalid_argument("the compiled ruleset is closed").into()),
    }
}

/// The compiled ruleset at `handle`.
fn compiled<'a>(h: jlong) -> Result<&'a Compiled, Failure> {
    handle_at(h).map(|h| &h.compiled)
}

/// The arguments of `benchRustEvaluate` (`long handle, byte[] facts,
/// byte[] options`): the compiled ruleset, the facts and the options (empty
/// when null), read as UTF-8, as they were before the evaluation calls read
/// them into lent buffers.
fn utf8_evaluation<'a>(
    env: &mut JNIEnv<'_>,
    handle: jlong,
    facts: &JByteArray<'_>,
    options: &JByteArray<'_>,
) -> Result<(&'a Compiled, String, String), Failure> {
    let c = compiled(handle)?;
    let facts = read_utf8(env, facts, "facts")?;
    let options = or_empty(options, || read_utf8(env, options, "options"))?;
    Ok((c, facts, options))
}

/// `String check(String name, String text)`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_check<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    name: JString<'l>,
    text: JString<'l>,
) -> jstring {
    returning(&mut env, java_string, |env| {
        let (name, text) = (
            read_string(env, &name, "name")?,
            read_string(env, &text, "text")?,
        );
        Ok(api::check(&name, &text))
    })
}

/// `long compile(String name, String text)`: the handle of a new compiled ruleset.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_compile<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    name: JString<'l>,
    text: JString<'l>,
) -> jlong {
    run(&mut env, 0, |env| {
        let (name, text) = (
            read_string(env, &name, "name")?,
            read_string(env, &text, "text")?,
        );
        let compiled = api::compile(&name, &text)?;
        let handle = Handle {
            compiled,
            bytes: Pool::default(),
            chars: Pool::default(),
        };
        Ok(Box::into_raw(Box::new(handle)) as jlong)
    })
}

/// `void free(long handle)`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_free<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    run(&mut env, (), |_| {
        if handle != 0 {
            // SAFETY: made by `Box::into_raw` in `compile`; `kaohe.CompiledRuleset.close`
            // calls this once, under its write lock, so no other call uses it.
            drop(unsafe { Box::from_raw(handle as *mut Handle) });
        }
        Ok(())
    })
}

/// `String warnings(long handle)`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_warnings<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jstring {
    returning(&mut env, java_string, |_| {
        Ok(compiled(handle)?.warnings_json())
    })
}

/// `byte[] evaluate(long handle, byte[] facts, byte[] options)`: UTF-8 in and
/// out. Bytes rather than `String`s because JNI's strings are modified UTF-8
/// and converting a whole fact file and result through it costs more than the
/// JVM's own UTF-8 codec (`String.getBytes`, `new String`), which the Java
/// side uses. The facts are copied into a buffer the handle lends and
/// checked as UTF-8 once, by the fact reader (facts that are not UTF-8 fail
/// with its located `kaohe::facts::not_utf8`); the JSON is written into
/// another lent buffer and copied into a new `byte[]`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_evaluate<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    facts: JByteArray<'l>,
    options: JByteArray<'l>,
) -> jbyteArray {
    run(&mut env, std::ptr::null_mut(), |env| {
        let h = handle_at(handle)?;
        let mut input = h.bytes.lend();
        read_bytes_into(env, &facts, "facts", &mut input)?;
        let options = or_empty(&options, || read_utf8(env, &options, "options"))?;
        let json = evaluation_json(h, &input, &options)?;
        java_bytes(env, json.as_slice())
    })
}

/// `String evaluateString(long handle, String facts, String options)`: the
/// call behind `CompiledRuleset.evaluate(String, String)`. Java strings are
/// UTF-16 inside the JVM: the facts are read in place (`GetStringCritical`)
/// and converted to UTF-8 into a lent buffer, and the result handed back with
/// `NewString` from a lent UTF-16 buffer, each converted with `simdutf`
/// (SIMD, chosen for the CPU at run time: together about twice as fast as
/// `encoding_rs` on a county-month's mostly-ASCII JSON with Chinese names,
/// where the two conversions had cost 20 µs, 5% of the call). This is
/// several times cheaper than JNI's
/// modified UTF-8 (`GetStringUTFChars`/`NewStringUTF`) and than the JVM's
/// own UTF-8 codec on mostly Chinese text (`String.getBytes` and
/// `new String(bytes, UTF_8)`: docs/performance.md). A string that is not
/// valid UTF-16 (a lone surrogate) is refused, not silently replaced.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_evaluateString<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    facts: JString<'l>,
    options: JString<'l>,
) -> jstring {
    run(&mut env, std::ptr::null_mut(), |env| {
        let h = handle_at(handle)?;
        let mut input = h.bytes.lend();
        read_utf16_into(env, &facts, "facts", &mut input)?;
        let options = or_empty(&options, || read_utf16(env, &options, "options"))?;
        let json = evaluation_json(h, &input, &options)?;
        java_utf16(env, h, &json)
    })
}

/// The evaluation JSON of `facts` (UTF-8 bytes) with `options`, written into
/// a buffer lent by `h`: byte for byte [`api::evaluate`]'s text (both are
/// serde_json's compact writer on the same [`api::evaluation`]).
fn evaluation_json<'h>(
    h: &'h Handle,
    facts: &[u8],
    options: &str,
) -> Result<buffers::Lent<'h, u8>, Failure> {
    let evaluation = api::evaluation_of_bytes(&h.compiled, facts, options)?;
    let mut json = h.bytes.lend();
    json.clear();
    serde_json::to_writer(&mut *json, &evaluation)
        .map_err(|e| ApiError::new("kaohe::api::internal", format!("cannot serialise: {e}")))?;
    Ok(json)
}

/// Copies the `byte[]` argument `name` into `into` (`GetByteArrayRegion`),
/// replacing its content.
fn read_bytes_into(
    env: &mut JNIEnv<'_>,
    bytes: &JByteArray<'_>,
    name: &str,
    into: &mut Vec<u8>,
) -> Result<(), Failure> {
    required(bytes, name)?;
    let length = usize::try_from(env.get_array_length(bytes)?).unwrap_or(0);
    into.resize(length, 0);
    // SAFETY: `i8` and `u8` have the same size and alignment, and every bit
    // pattern is valid for both; the slice covers `into`'s `length`
    // initialised bytes and is the only reference to them while it lives.
    let region = unsafe { std::slice::from_raw_parts_mut(into.as_mut_ptr().cast::<i8>(), length) };
    env.get_byte_array_region(bytes, 0, region)?;
    Ok(())
}

/// The content of the `String` argument `name` as UTF-8, into `into`
/// (replacing its content). The characters are read in place
/// (`GetStringCritical`: HotSpot hands out the string's own UTF-16 array,
/// with no copy, while the garbage collector waits for the conversion: a
/// microsecond or two for a county-month, about as long as the JVM's own
/// copy with `GetStringRegion` took for a province-sized string; no JNI call
/// is made until it is released). A lone surrogate is refused with its index.
fn read_utf16_into(
    env: &mut JNIEnv<'_>,
    s: &JString<'_>,
    name: &str,
    into: &mut Vec<u8>,
) -> Result<(), Failure> {
    required(s, name)?;
    let raw = env.get_raw();
    // SAFETY: `raw` is the live `JNIEnv` of this call, and its function table
    // is the JVM's.
    let (length, get, release) = unsafe {
        (
            (**raw).GetStringLength,
            (**raw).GetStringCritical,
            (**raw).ReleaseStringCritical,
        )
    };
    let (Some(length), Some(get), Some(release)) = (length, get, release) else {
        return Err(Failure::Jni(jni::errors::Error::JNIEnvMethodNotFound(
            "GetStringCritical",
        )));
    };
    // SAFETY: as above; `s` is a non-null local reference to a
    // `java.lang.String`, which `GetStringLength` only reads.
    let units = usize::try_from(unsafe { length(raw, s.as_raw()) }).unwrap_or(0);
    // UTF-8 needs at most three bytes per UTF-16 unit; what the buffer held
    // before is overwritten, not cleared first.
    let room = units.saturating_mul(3);
    if into.len() < room {
        into.resize(room, 0);
    }
    // SAFETY: as above; the characters stay valid until released below.
    let chars = unsafe { get(raw, s.as_raw(), std::ptr::null_mut()) };
    if chars.is_null() {
        return Err(Failure::Jni(jni::errors::Error::NullPtr(
            "GetStringCritical",
        )));
    }
    // Checked and converted in one pass (simdutf: SIMD, chosen for this CPU
    // at run time).
    // SAFETY: `chars` points at the string's `units` UTF-16 code units, which
    // the JVM neither moves nor changes until they are released; `into` has
    // room for three bytes per unit, the most UTF-8 needs, and simdutf writes
    // only within that, stopping at a lone surrogate.
    let converted =
        unsafe { simdutf::convert_utf16_to_utf8_with_errors(chars, units, into.as_mut_ptr()) };
    // SAFETY: `chars` came from `GetStringCritical` on `s` just above, and no
    // JNI call was made in between.
    unsafe { release(raw, s.as_raw(), chars) };
    let written = converted.count;
    if converted.error != simdutf::ErrorCode::Success {
        return Err(invalid_argument(format!(
            "argument `{name}` is not valid UTF-16: a lone surrogate at char index {written}"
        ))
        .with_help("a Java string read from a file or request should never hold one; check how the text was decoded")
        .into());
    };
    into.truncate(written);
    Ok(())
}

/// The content of a Java `String` as a Rust one ([`read_utf16_into`]).
fn read_utf16(env: &mut JNIEnv<'_>, s: &JString<'_>, name: &str) -> Result<String, Failure> {
    let mut utf8 = Vec::new();
    read_utf16_into(env, s, name, &mut utf8)?;
    // Always valid: simdutf wrote it from valid UTF-16.
    String::from_utf8(utf8)
        .map_err(|_| invalid_argument(format!("argument `{name}` is not valid UTF-16")).into())
}

/// A new Java `String` with the content of `json` (UTF-8), through a UTF-16
/// buffer lent by `h` (`NewString`).
fn java_utf16(env: &mut JNIEnv<'_>, h: &Handle, json: &[u8]) -> Result<jobject, Failure> {
    // UTF-16 needs at most one unit per UTF-8 byte. What the buffer held
    // before is overwritten, not cleared first.
    let mut utf16 = h.chars.lend();
    if utf16.len() < json.len() {
        utf16.resize(json.len(), 0);
    }
    // SAFETY: `json` is valid UTF-8 (serde_json wrote it from Rust strings),
    // which simdutf's `valid` conversion requires, and `utf16` has room for
    // the at most `json.len()` units it writes.
    let written = unsafe {
        simdutf::convert_valid_utf8_to_utf16(json.as_ptr(), json.len(), utf16.as_mut_ptr())
    };
    let (Some(units), Ok(length)) = (utf16.get(..written), jsize::try_from(written)) else {
        return Err(invalid_argument("the result is longer than a Java string can hold").into());
    };
    let raw = env.get_raw();
    // SAFETY: `raw` is the live `JNIEnv` of this call.
    let Some(new_string) = (unsafe { (**raw).NewString }) else {
        return Err(Failure::Jni(jni::errors::Error::JNIEnvMethodNotFound(
            "NewString",
        )));
    };
    // SAFETY: `units` holds `length` initialised UTF-16 code units; the JVM
    // copies them into the new string.
    let string = unsafe { new_string(raw, units.as_ptr(), length) };
    if string.is_null() || env.exception_check()? {
        return Err(Failure::Jni(jni::errors::Error::NullPtr("NewString")));
    }
    Ok(string)
}

/// `long benchRustEvaluate(long handle, byte[] facts, byte[] options)`: for
/// the bench (`kaohe.Bench`): the same evaluation as `evaluate`, timed inside
/// Rust in nanoseconds after the arguments have crossed the boundary; the
/// baseline the binding's overhead is measured against, in the same process.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_benchRustEvaluate<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    facts: JByteArray<'l>,
    options: JByteArray<'l>,
) -> jlong {
    run(&mut env, -1, |env| {
        let (c, facts, options) = utf8_evaluation(env, handle, &facts, &options)?;
        let start = std::time::Instant::now();
        let json = api::evaluate(c, &facts, &options)?;
        let nanos = start.elapsed().as_nanos();
        drop(json);
        Ok(jlong::try_from(nanos).unwrap_or(jlong::MAX))
    })
}

/// `String schema(long handle)`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_schema<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jstring {
    returning(&mut env, java_string, |_| {
        Ok(api::schema(compiled(handle)?))
    })
}

/// `byte[] template(long handle)`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_template<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jbyteArray {
    returning(&mut env, java_bytes, |_| {
        Ok(kaohe_ffi::ledger::template(compiled(handle)?)?)
    })
}

/// `String importLedger(long handle, byte[] ledger)`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_importLedger<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    ledger: JByteArray<'l>,
) -> jstring {
    returning(&mut env, java_string, |env| {
        let c = compiled(handle)?;
        let ledger = read_bytes(env, &ledger, "ledger")?;
        Ok(kaohe_ffi::ledger::import(c, &ledger)?)
    })
}

/// `String importLedgerWith(long handle, byte[] ledger, String options)`: as
/// `importLedger`, with the contract's options (`{"lang":"zh"}`).
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_importLedgerWith<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    ledger: JByteArray<'l>,
    options: JString<'l>,
) -> jstring {
    returning(&mut env, java_string, |env| {
        let c = compiled(handle)?;
        let ledger = read_bytes(env, &ledger, "ledger")?;
        let options = read_string(env, &options, "options")?;
        Ok(kaohe_ffi::ledger::import_with(c, &ledger, &options)?)
    })
}

/// `String diff(String oldName, String oldText, String newName, String newText, String facts)`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_diff<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    old_name: JString<'l>,
    old_text: JString<'l>,
    new_name: JString<'l>,
    new_text: JString<'l>,
    facts: JString<'l>,
) -> jstring {
    returning(&mut env, java_string, |env| {
        let old = (
            read_string(env, &old_name, "oldName")?,
            read_string(env, &old_text, "oldText")?,
        );
        let new = (
            read_string(env, &new_name, "newName")?,
            read_string(env, &new_text, "newText")?,
        );
        let facts = read_string(env, &facts, "facts")?;
        Ok(api::diff((&old.0, &old.1), (&new.0, &new.1), &facts)?)
    })
}

/// `String version()`.
#[no_mangle]
pub extern "system" fn Java_kaohe_Native_version<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jstring {
    returning(&mut env, java_string, |_| Ok(api::version()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]

    use super::*;

    const MILUO: &str = include_str!("../../../rulesets/miluo-2026/miluo-2026.rules");
    const APRIL: &str = include_str!("../../../rulesets/miluo-2026/examples/2026-04.json");

    #[test]
    fn the_json_written_into_a_lent_buffer_is_the_contract_s_byte_for_byte() {
        let handle = Handle {
            compiled: api::compile("miluo-2026.rules", MILUO).unwrap(),
            bytes: Pool::default(),
            chars: Pool::default(),
        };
        // Each size after a larger and a smaller one, the buffers reused.
        for options in ["", r#"{"detail":"totals"}"#, r#"{"detail":"items"}"#, "{}"] {
            let expected = api::evaluate(&handle.compiled, APRIL, options).unwrap();
            let Ok(json) = evaluation_json(&handle, APRIL.as_bytes(), options) else {
                panic!("the example evaluates")
            };
            assert_eq!(
                std::str::from_utf8(&json).unwrap(),
                expected,
                "options {options}"
            );
        }
    }
}
