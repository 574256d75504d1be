//! A bracket-depth scan run before pest, so that 100,000 open parentheses give an
//! error instead of a stack overflow in the recursive-descent parser.

use crate::diagnostics::{LimitExceeded, RulesetDiagnostic};
use crate::source::Span;

/// After `c` from `chars`: when `c` opens a string literal or a `//` comment,
/// consumes the rest of it and says so. A string ends at its closing quote or
/// at the end of the line (the scans that use this run before the parser, which
/// reports an unclosed string itself).
pub(super) fn skip_string_or_comment(
    c: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> bool {
    match c {
        '"' => {
            while let Some((_, s)) = chars.next() {
                match s {
                    '\\' => {
                        chars.next();
                    }
                    '"' | '\n' => break,
                    _ => {}
                }
            }
            true
        }
        '/' if matches!(chars.peek(), Some((_, '/'))) => {
            for (_, s) in chars.by_ref() {
                if s == '\n' {
                    break;
                }
            }
            true
        }
        _ => false,
    }
}

/// The brackets `(`, `[`, `{`, `)`, `]`, `}` and the keyword `if` (reported as
/// `'i'`) of `text` with their offsets, skipping string literals and `//` comments.
pub(super) fn brackets(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut chars = text.char_indices().peekable();
    let mut previous_is_word = false;
    std::iter::from_fn(move || {
        while let Some((offset, c)) = chars.next() {
            let is_word = c.is_ascii_alphanumeric() || c == '_';
            let was_word = std::mem::replace(&mut previous_is_word, is_word);
            match c {
                c if skip_string_or_comment(c, &mut chars) => {}
                '(' | '[' | '{' | ')' | ']' | '}' => return Some((offset, c)),
                'i' if !was_word && text.get(offset..offset + 2) == Some("if") => {
                    let after = text.get(offset + 2..).and_then(|r| r.chars().next());
                    if !after.is_some_and(|a| a.is_ascii_alphanumeric() || a == '_') {
                        chars.next();
                        previous_is_word = true;
                        return Some((offset, 'i'));
                    }
                }
                _ => {}
            }
        }
        None
    })
}

/// The first place where brackets and `if`s nest deeper than `limit`, outside
/// strings and comments. An `if` counts until the bracket scope holding it
/// closes: `if … else if …` chains nest in the grammar without brackets.
pub(super) fn check_nesting(text: &str, limit: usize) -> Option<RulesetDiagnostic> {
    // Per open bracket, how many `if`s were opened inside it.
    let mut scopes: Vec<usize> = vec![0];
    let mut depth = 0usize;
    for (offset, c) in brackets(text) {
        match c {
            '(' | '[' | '{' | 'i' => {
                depth += 1;
                if c == 'i' {
                    if let Some(ifs) = scopes.last_mut() {
                        *ifs += 1;
                    }
                } else {
                    scopes.push(0);
                }
                if depth > limit {
                    let width = if c == 'i' { 2 } else { 1 };
                    return Some(
                        LimitExceeded {
                            what: "brackets and `if`s nest too deep".to_owned(),
                            limit: "max_nesting".to_owned(),
                            value: limit,
                            span: Span::new(offset, offset + width).into(),
                            help: LimitExceeded::help_for("max_nesting"),
                        }
                        .into(),
                    );
                }
            }
            _ => {
                let ifs = if scopes.len() > 1 {
                    scopes.pop().unwrap_or(0)
                } else {
                    0
                };
                depth = depth.saturating_sub(1 + ifs);
            }
        }
    }
    None
}
