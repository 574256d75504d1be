//! Prepares the user guides of `docs/` for the crate documentation.
//!
//! The guides link to each other as files (`[fact files](facts.md#numbers)`),
//! which is right in the repository but leads nowhere on docs.rs. This script
//! copies each guide into `OUT_DIR`, rewriting a link to another included guide
//! into an intra-doc link (`crate::guide::facts#numbers`) and a link to any other
//! file of the repository into its address in the repository, so that every
//! link resolves in the rendered crate documentation too. `src/lib.rs` includes
//! the copies. Where `docs/` is absent (a packaged crate), each guide says where
//! to read it instead.

use std::path::Path;

/// The repository's address for files that are not included guides.
const REPOSITORY: &str = "https://github.com/kaohe/kaohe/blob/main";

/// (file in `docs/`, module under `crate::guide`, or `embedding` at the root).
const GUIDES: &[(&str, &str)] = &[
    ("embedding.md", "crate::embedding"),
    ("language.md", "crate::guide::language"),
    ("facts.md", "crate::guide::facts"),
    ("cases.md", "crate::guide::cases"),
    ("errors.md", "crate::guide::errors"),
    ("new-county.md", "crate::guide::new_county"),
    ("api.md", "crate::guide::api"),
    ("office.md", "crate::guide::office"),
    ("rules-digest.md", "crate::guide::rules_digest"),
];

fn main() {
    println!("cargo:rerun-if-changed=../../docs");
    println!("cargo:rerun-if-changed=build.rs");
    let Some(out) = std::env::var_os("OUT_DIR") else {
        return;
    };
    let docs = Path::new("../../docs");
    for (file, _) in GUIDES {
        let text = match std::fs::read_to_string(docs.join(file)) {
            // The embedding guide's untagged blocks are its Rust doctests.
            Ok(text) if *file == "embedding.md" => rewrite_links(&text),
            Ok(text) => tag_plain_blocks(&rewrite_links(&text)),
            Err(_) => format!("See `docs/{file}` in the repository: <{REPOSITORY}/docs/{file}>.\n"),
        };
        // A failed write makes `include_str!` fail, which names the file.
        let _ = std::fs::write(Path::new(&out).join(file), text);
    }
}

/// Marks every untagged code block as `text`: the guides' untagged blocks are
/// command output and messages, which rustdoc would otherwise read as Rust.
fn tag_plain_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut open = false;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            if !open && line.trim() == "```" {
                out.push_str(&line.replacen("```", "```text", 1));
            } else {
                out.push_str(line);
            }
            open = !open;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Rewrites the target of every inline Markdown link `](target)`.
fn rewrite_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let target = after
            .find(')')
            .and_then(|end| Some((after.get(..end)?, after.get(end..)?)))
            .filter(|(target, _)| !target.contains(char::is_whitespace));
        match target {
            Some((target, tail)) => {
                out.push_str(&rewrite_target(target));
                rest = tail;
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// `facts.md#numbers` → `crate::guide::facts#numbers`; `../rulesets/x.rules`
/// → the repository's address; anything else (an address, an anchor, an
/// intra-doc path) unchanged.
fn rewrite_target(target: &str) -> String {
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, format!("#{anchor}")),
        None => (target, String::new()),
    };
    if path.is_empty() || path.contains("://") || path.starts_with("mailto:") || path.contains("::")
    {
        return target.to_owned();
    }
    let path = path.trim_start_matches("./");
    if let Some((_, module)) = GUIDES.iter().find(|(file, _)| *file == path) {
        return format!("{module}{anchor}");
    }
    let in_repository = match path.strip_prefix("../") {
        Some(from_root) => from_root.to_owned(),
        None => format!("docs/{path}"),
    };
    format!("{REPOSITORY}/{in_repository}{anchor}")
}
