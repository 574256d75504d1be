//! The documentation against the sources: every error code the sources can
//! give is listed in `docs/errors.md`, and every relative link in README.md and
//! `docs/*.md` points at a file inside the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::workspace;

/// Every `*.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The codes in `text`: `code(kaohe::…)` attributes and `"kaohe::…"` literals.
fn codes_in(text: &str) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for (start, _) in text.match_indices("kaohe::") {
        let before = &text[..start];
        let quoted = before.ends_with('"');
        let attribute = before.ends_with("code(");
        if !quoted && !attribute {
            continue;
        }
        let code: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == ':')
            .collect();
        let closed = text[start + code.len()..].starts_with(if quoted { "\"" } else { ")" });
        if closed && code.len() > "kaohe::".len() && !code.ends_with(":") {
            codes.insert(code);
        }
    }
    codes
}

#[test]
fn every_error_code_is_listed_in_docs_errors_md() {
    let root = workspace();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(root.join("crates")).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let mut codes = BTreeSet::new();
    for file in &files {
        codes.extend(codes_in(&std::fs::read_to_string(file).unwrap()));
    }
    // The collector itself must find the kinds of code there are.
    for known in [
        "kaohe::syntax",
        "kaohe::full_width_punctuation",
        "kaohe::facts::repeated_key",
        "kaohe::eval::failed",
        "kaohe::case::format",
        "kaohe::cli::not_utf8",
    ] {
        assert!(
            codes.contains(known),
            "the collector missed {known}: {codes:?}"
        );
    }
    let docs = std::fs::read_to_string(root.join("docs/errors.md")).unwrap();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| !docs.contains(&format!("| `{code}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes in the sources without a row `| `code` | meaning | input |` in docs/errors.md: {missing:?}"
    );
}

#[test]
fn the_code_collector_reads_attributes_and_literals_only() {
    let text = r#"#[diagnostic(code(kaohe::some_name))] let c = "kaohe::cli::x1"; use kaohe::error; "kaohe::facts::" "#;
    let codes: Vec<String> = codes_in(text).into_iter().collect();
    assert_eq!(codes, ["kaohe::cli::x1", "kaohe::some_name"]);
}

/// The targets of the Markdown links `[text](target)` of `text`, outside code.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Drop inline code spans.
        let mut plain = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                plain.push_str(part);
            }
        }
        for (start, _) in plain.match_indices("](") {
            let rest = &plain[start + 2..];
            if let Some(end) = rest.find(')') {
                targets.push(rest[..end].trim().to_owned());
            }
        }
    }
    targets
}

#[test]
fn every_relative_link_in_the_docs_resolves_inside_the_repository() {
    let root = workspace();
    let mut pages = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap_or_default();
            let resolved = page.parent().unwrap().join(file);
            checked += 1;
            let inside = resolved.canonicalize().is_ok_and(|p| p.starts_with(&root));
            if !inside {
                broken.push(format!(
                    "{}: ({target})",
                    page.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(checked > 20, "only {checked} links found");
    assert!(
        broken.is_empty(),
        "links that do not resolve inside the repository: {broken:#?}"
    );
}
