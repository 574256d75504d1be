//! A bracket-depth scan run before pest, so that 100,000 open parentheses give an
//! error instead of a stack overflow in the recursive-descent parser.

use crate::diagnostics::{LimitExceeded, RulesetDiagnostic};
use crate::source::Span;

/// The brackets `(`, `[`, `{`, `)`, `]`, `}` of `text` with their offsets,
/// skipping string literals and `//` comments.
pub(super) fn brackets(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some((offset, c)) = chars.next() {
            match c {
                '"' => {
                    // A string ends at its closing quote or at the end of the line.
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
                '(' | '[' | '{' | ')' | ']' | '}' => return Some((offset, c)),
                _ => {}
            }
        }
        None
    })
}

/// The first place where `(`, `[` or `{` nest deeper than `limit`, outside strings and comments.
pub(super) fn check_nesting(text: &str, limit: usize) -> Option<RulesetDiagnostic> {
    let mut depth = 0usize;
    for (offset, c) in brackets(text) {
        if matches!(c, '(' | '[' | '{') {
            depth += 1;
            if depth > limit {
                return Some(
                    LimitExceeded {
                        what: "brackets nest".to_owned(),
                        limit: "max_nesting".to_owned(),
                        value: limit,
                        span: Span::new(offset, offset + 1).into(),
                    }
                    .into(),
                );
            }
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    None
}
