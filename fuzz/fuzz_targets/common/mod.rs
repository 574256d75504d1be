//! What the fuzz targets share: the shipped rulesets, checked once per process.

use std::sync::OnceLock;

use kaohe::{Ruleset, SourceFile};

/// The three shipped rulesets, in a fixed order.
pub fn rulesets() -> &'static [Ruleset] {
    static RULESETS: OnceLock<Vec<Ruleset>> = OnceLock::new();
    RULESETS.get_or_init(|| {
        [
            (
                "shaodong-2023.rules",
                include_str!("../../../rulesets/shaodong-2023/shaodong-2023.rules"),
            ),
            (
                "miluo-2026.rules",
                include_str!("../../../rulesets/miluo-2026/miluo-2026.rules"),
            ),
            (
                "example-county.rules",
                include_str!("../../../rulesets/example-county/example-county.rules"),
            ),
        ]
        .into_iter()
        .map(
            |(name, text)| match Ruleset::from_source(SourceFile::new(name, text)) {
                Ok(ruleset) => ruleset,
                Err(errors) => panic!("a shipped ruleset does not check: {errors}"),
            },
        )
        .collect()
    })
}
