//! Full-width punctuation, refused before parsing with an error at the very
//! character (issue 11 §3).
//!
//! A Chinese input method types `，` `：` `（` `）` `、` `；` where the rule
//! language needs `,` `:` `(` `)`. Read as part of a clause id, `[ML-1，ML-A9]`
//! would be ONE id, so the undeclared `ML-A9` would go unreported; elsewhere
//! the parser would report the name before the character, not the character.
//! The decision, per character (docs/language.md §2):
//!
//! - `，` `、` `；` (list separators) and `：` are refused everywhere outside
//!   strings and comments: write `,` or `:`.
//! - `（` `）` are refused outside strings, comments and citations; inside a
//!   citation they may be part of a clause's own number as the rulebook
//!   writes it (`[SD-3.1（二）]`).
//!
//! Every occurrence is reported, all at once.

use crate::diagnostics::{FullWidthPunctuation, RulesetDiagnostic};
use crate::source::Span;

/// The refused characters: (character, name, ASCII form, allowed in a citation).
const REFUSED: [(char, &str, &str, bool); 6] = [
    ('，', "comma", ",", false),
    ('、', "enumeration comma", ",", false),
    ('；', "semicolon", ",", false),
    ('：', "colon", ":", false),
    ('（', "parenthesis", "(", true),
    ('）', "parenthesis", ")", true),
];

/// Every refused full-width character of `text` outside strings and comments.
pub(super) fn check(text: &str) -> Vec<RulesetDiagnostic> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    // Inside `[ … ]`: a citation or an assumption's id.
    let mut in_citation = false;
    while let Some((offset, c)) = chars.next() {
        match c {
            c if super::depth::skip_string_or_comment(c, &mut chars) => {}
            '[' => in_citation = true,
            ']' => in_citation = false,
            _ => {
                let Some(&(found, name, ascii, in_citations)) =
                    REFUSED.iter().find(|(f, ..)| *f == c)
                else {
                    continue;
                };
                if in_citations && in_citation {
                    continue;
                }
                let why = if in_citation {
                    " (a citation's ids are separated by `,`; with `{found}` two ids would be read as one)"
                } else {
                    ""
                };
                out.push(
                    FullWidthPunctuation {
                        found: found.to_string(),
                        name: name.to_owned(),
                        ascii: ascii.to_owned(),
                        span: Span::new(offset, offset + c.len_utf8()).into(),
                        help: Some(format!(
                            "full-width {name} `{found}`: write `{ascii}`{}",
                            why.replace("{found}", &found.to_string())
                        )),
                    }
                    .into(),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use miette::Diagnostic;

    fn found(text: &str) -> Vec<(usize, usize, String)> {
        let source = SourceFile::new("t.rules", text);
        check(text)
            .iter()
            .map(|d| {
                let at = source.line_column(d.span().start);
                (
                    at.line,
                    at.column,
                    d.help().map(|h| h.to_string()).unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn a_full_width_comma_in_a_citation_never_glues_two_ids() {
        assert_eq!(
            found("group lead \"牵头\" [ML-1，ML-A9] {}"),
            [(1, 22, "full-width comma `，`: write `,` (a citation's ids are separated by `,`; with `，` two ids would be read as one)".to_owned())]
        );
    }

    #[test]
    fn a_full_width_colon_is_reported_at_the_colon() {
        assert_eq!(
            found("record r {\n  name：text\n}"),
            [(2, 7, "full-width colon `：`: write `:`".to_owned())]
        );
    }

    #[test]
    fn strings_comments_and_numbers_in_citations_are_left_alone() {
        assert!(
            found("// 细则（试行），2023\ngroup g \"乡镇（街道），\" [SD-3.1（二）] {}").is_empty()
        );
        assert_eq!(found("when (a）").len(), 1);
        assert_eq!(found("[A、B；C] x（y").len(), 3);
    }
}
