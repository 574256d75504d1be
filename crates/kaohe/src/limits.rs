//! Resource limits: how large a ruleset or a fact file may be, how deep syntax
//! may nest. Inputs past a limit are rejected with an error naming the limit,
//! so no input can make kaohe run out of stack or memory. An embedding program
//! picks its own limits; [`Limits::default`] suits a province-scale year.

/// Limits on inputs, configurable by the embedding program.
///
/// ```
/// let limits = kaohe::Limits { max_records: 1_000, ..kaohe::Limits::default() };
/// assert_eq!(limits.max_nesting, 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest ruleset file, in bytes.
    pub max_ruleset_bytes: usize,
    /// How deep brackets `(`, `[`, `{` and `if` may nest in a ruleset.
    pub max_nesting: usize,
    /// The most operators one expression may hold (its tree is at most this
    /// deep, plus its nesting).
    pub max_expression_operators: usize,
    /// The largest fact file, in bytes.
    pub max_fact_bytes: usize,
    /// The most records a fact file may hold.
    pub max_records: usize,
    /// The most units a fact file may hold.
    pub max_units: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_ruleset_bytes: 1 << 20,
            max_nesting: 64,
            max_expression_operators: 256,
            max_fact_bytes: 1 << 30,
            max_records: 5_000_000,
            max_units: 1_000_000,
        }
    }
}
