//! The guides of `docs/` as the crate documentation includes them (`build.rs`
//! prepares them): every link resolves there too — a link between guides is an
//! intra-doc link to a guide module, any other repository file its address —
//! never a bare `facts.md` that leads nowhere on docs.rs (issue 11 §5).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

/// The prepared copies, one per guide module.
const GUIDES: &[&str] = &[
    "embedding.md",
    "language.md",
    "facts.md",
    "cases.md",
    "errors.md",
    "new-county.md",
    "api.md",
    "office.md",
    "rules-digest.md",
];

/// The modules a guide may link to.
const MODULES: &[&str] = &[
    "crate::embedding",
    "crate::guide::language",
    "crate::guide::facts",
    "crate::guide::cases",
    "crate::guide::errors",
    "crate::guide::new_county",
    "crate::guide::api",
    "crate::guide::office",
    "crate::guide::rules_digest",
];

/// The target of every inline link `](target)`.
fn targets(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let end = rest.find(')')?;
            let target = &rest[..end];
            (!target.contains(char::is_whitespace)).then_some(target)
        })
        .collect()
}

#[test]
fn every_link_of_the_included_guides_resolves_in_the_crate_docs() {
    let mut checked = 0;
    for guide in GUIDES {
        let path = std::path::Path::new(env!("OUT_DIR")).join(guide);
        let text = std::fs::read_to_string(&path).unwrap();
        // The copy is the guide itself, not the fallback of a packaged crate.
        assert!(text.len() > 1000, "{guide}: {text}");
        for target in targets(&text) {
            let path = target.split('#').next().unwrap();
            let ok = path.is_empty() || path.starts_with("https://") || MODULES.contains(&path);
            assert!(
                ok,
                "{guide}: link `{target}` does not resolve in the crate docs"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links found");
}

#[test]
fn links_between_guides_become_links_between_modules() {
    let language =
        std::fs::read_to_string(std::path::Path::new(env!("OUT_DIR")).join("language.md")).unwrap();
    let targets = targets(&language);
    assert!(
        targets.iter().any(|t| t.starts_with("crate::guide::facts")),
        "{targets:?}"
    );
    assert!(!targets
        .iter()
        .any(|t| t.ends_with(".md") && !t.starts_with("https://")));
}
