//! The checker corpus's valid base (`tests/check/base/base.rules`) and small
//! edits of it: what `check_semantics.rs` and `check_statements.rs` build
//! their cases from.

/// The text of the corpus base.
pub fn base() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/check/base/base.rules"
    ))
    .unwrap()
}

/// The base with each `from` replaced by its `to` (each `from` must occur
/// once).
pub fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = base();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` is not in the base once"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// `f` applied to every diagnostic of `text` (checked as `t.rules`), in
/// order, with the source its spans point into.
pub fn each_diagnostic<T>(
    text: &str,
    f: impl Fn(&kaohe::SourceFile, &kaohe::RulesetDiagnostic) -> T,
) -> Vec<T> {
    let source = kaohe::SourceFile::new("t.rules", text);
    kaohe::check(&source)
        .diagnostics
        .iter()
        .map(|d| f(&source, d))
        .collect()
}
