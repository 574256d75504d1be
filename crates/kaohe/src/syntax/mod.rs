//! Syntax: ruleset text → [`ast::File`] plus diagnostics.
//!
//! Parsing never panics. It returns the tree when the text follows the grammar
//! (`grammar/kaohe.pest`) and the diagnostics found on the way; a syntax error
//! yields no tree, only the error.

pub mod ast;
pub mod complete;
mod depth;
mod expected;
pub mod format;
mod fullwidth;
mod lower;

use crate::diagnostics::{LimitExceeded, RulesetDiagnostic};
use crate::limits::Limits;
use crate::source::SourceFile;

/// The pest parser generated from `grammar/kaohe.pest`, kept private: the
/// grammar's rule names are not part of the library's API.
mod generated {
    #[derive(pest_derive::Parser)]
    #[grammar = "../../../grammar/kaohe.pest"]
    pub(crate) struct KaoheParser;
}
pub(crate) use generated::{KaoheParser, Rule};

/// What parsing produced: the tree, if the text follows the grammar, and diagnostics.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The tree; `None` when the text does not follow the grammar.
    pub file: Option<ast::File>,
    /// Problems found while parsing (all are errors).
    pub diagnostics: Vec<RulesetDiagnostic>,
}

/// Parses a ruleset file within the default [`Limits`].
pub fn parse(source: &SourceFile) -> Parsed {
    parse_within(source, &Limits::default())
}

/// Parses a ruleset file within `limits` (size, bracket nesting, expression depth).
pub fn parse_within(source: &SourceFile, limits: &Limits) -> Parsed {
    use pest::Parser;

    if source.text().len() > limits.max_ruleset_bytes {
        return Parsed {
            file: None,
            diagnostics: vec![LimitExceeded {
                what: format!("a ruleset of {} bytes", source.text().len()),
                limit: "max_ruleset_bytes".to_owned(),
                value: limits.max_ruleset_bytes,
                span: crate::source::Span::new(0, 0).into(),
                help: LimitExceeded::help_for("max_ruleset_bytes"),
            }
            .into()],
        };
    }
    let full_width = fullwidth::check(source.text());
    if !full_width.is_empty() {
        return Parsed {
            file: None,
            diagnostics: full_width,
        };
    }
    if let Some(diagnostic) = depth::check_nesting(source.text(), limits.max_nesting) {
        return Parsed {
            file: None,
            diagnostics: vec![diagnostic],
        };
    }
    match KaoheParser::parse(Rule::file, source.text()) {
        Ok(pairs) => {
            let mut lowering = lower::Lowering::new(*limits);
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
