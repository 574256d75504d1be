//! Formatter round trip: whatever parses formats without a panic; the
//! formatted text parses to the same syntax tree (spans aside), keeps every
//! comment, and formatting it again changes nothing (idempotent).
#![no_main]

use kaohe::syntax::format::format;
use kaohe::syntax::parse;
use kaohe::SourceFile;
use libfuzzer_sys::fuzz_target;

/// The syntax tree of `text` as `{:?}`, every span replaced by `Span(..)`.
fn ast_without_spans(text: &str) -> Option<String> {
    let parsed = parse(&SourceFile::new("fuzz.rules", text));
    let debug = format!("{:?}", parsed.file?);
    let mut out = String::new();
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        out.push_str("Span(..)");
        let close = rest[at..].find('}').expect("a span ends");
        rest = &rest[at + close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The `//` comments outside string literals, trailing white space removed, sorted.
fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '/' if !in_string && matches!(chars.peek(), Some((_, '/'))) => {
                    found.push(line[at..].trim_end().to_owned());
                    break;
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(before) = ast_without_spans(text) else {
        return;
    };
    let formatted = match format(&SourceFile::new("fuzz.rules", text)) {
        Ok(formatted) => formatted,
        Err(diagnostics) => panic!("parses but does not format: {diagnostics:?}"),
    };
    let after = ast_without_spans(&formatted)
        .unwrap_or_else(|| panic!("the formatted text does not parse:\n{formatted}"));
    assert_eq!(
        before, after,
        "formatting changed the meaning:\n{formatted}"
    );
    assert_eq!(
        comments(text),
        comments(&formatted),
        "formatting lost or changed a comment:\n{formatted}"
    );
    let again = format(&SourceFile::new("fuzz.rules", formatted.as_str()))
        .unwrap_or_else(|d| panic!("the formatted text does not format: {d:?}"));
    assert_eq!(formatted, again, "formatting is not idempotent");
});
