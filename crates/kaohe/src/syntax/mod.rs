//! Syntax: ruleset text → [`ast::File`] plus diagnostics.
//!
//! Parsing never panics. It returns the tree when the text follows the grammar
//! (`grammar/kaohe.pest`) and the diagnostics found on the way; a syntax error
//! yields no tree, only the error.

pub mod ast;
mod depth;
mod expected;
mod lower;

use crate::diagnostics::RulesetDiagnostic;
use crate::source::SourceFile;

/// The pest parser generated from `grammar/kaohe.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../../../grammar/kaohe.pest"]
pub(crate) struct KaoheParser;

/// The deepest bracket nesting the parser accepts (the checker and evaluator
/// recurse over the tree, so depth must be bounded).
pub const MAX_NESTING: usize = 64;

/// The most operators one expression may chain (a chain of N operators is a tree N deep).
pub const MAX_OPERATORS: usize = 256;

/// What parsing produced: the tree, if the text follows the grammar, and diagnostics.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The tree; `None` when the text does not follow the grammar.
    pub file: Option<ast::File>,
    /// Problems found while parsing (all are errors).
    pub diagnostics: Vec<RulesetDiagnostic>,
}

/// Parses a ruleset file.
pub fn parse(source: &SourceFile) -> Parsed {
    use pest::Parser;

    if let Some(diagnostic) = depth::check_nesting(source.text(), MAX_NESTING) {
        return Parsed {
            file: None,
            diagnostics: vec![diagnostic],
        };
    }
    match KaoheParser::parse(Rule::file, source.text()) {
        Ok(pairs) => {
            let mut lowering = lower::Lowering::default();
            let file = lowering.file(pairs);
            Parsed {
                file: Some(file),
                diagnostics: lowering.diagnostics,
            }
        }
        Err(error) => Parsed {
            file: None,
            diagnostics: vec![expected::syntax_error(source.text(), &error)],
        },
    }
}
