//! A bracket-depth scan run before pest, so that 100,000 open parentheses give an
//! error instead of a stack overflow in the recursive-descent parser.

use crate::diagnostics::{NestingTooDeep, RulesetDiagnostic};
use crate::source::Span;

/// The first place where `(`, `[` or `{` nest deeper than `limit`, outside strings and comments.
pub(super) fn check_nesting(text: &str, limit: usize) -> Option<RulesetDiagnostic> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        match c {
            '"' => {
                // Skip a string literal, escapes included; it ends at a quote or line end.
                while let Some((_, s)) = chars.next() {
                    match s {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                for (_, s) in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > limit {
                    return Some(
                        NestingTooDeep {
                            what: "brackets".to_owned(),
                            limit,
                            span: Span::new(offset, offset + 1).into(),
                        }
                        .into(),
                    );
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
