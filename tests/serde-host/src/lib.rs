//! A stand-in for a program that embeds kaohe: it only exists so that its tests
//! can check that kaohe does not change how the host's own `serde_json` reads
//! numbers (`tests/host_serde.rs`).

/// kaohe's version, so that the crate really links kaohe.
pub fn kaohe_linked() -> &'static str {
    std::any::type_name::<kaohe::Facts>()
}
