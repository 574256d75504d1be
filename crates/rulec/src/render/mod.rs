//! Rendering for people and programs: diagnostics and evaluation results.

pub mod diagnostics;
pub mod evaluation;

pub use diagnostics::{human, json, summary, Format};
