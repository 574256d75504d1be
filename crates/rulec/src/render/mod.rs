//! Rendering for people and programs: diagnostics and evaluation results.

pub mod cases;
pub mod diagnostics;
pub mod evaluation;
pub mod impact;

pub use diagnostics::{human, json, summary, Format};
