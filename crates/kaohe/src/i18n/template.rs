//! The English patterns of the `.ftl` files as templates: literal text and
//! named arguments, matched against an English message to recover the
//! arguments it was made from.

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Literal text.
    Text(String),
    /// `{ $name }`; `true` when written between backticks (`` `{ $name }` ``),
    /// where the value holds no backtick.
    Var(String, bool),
}

/// An English pattern: message id, attribute (if it is one), segments.
#[derive(Debug, Clone)]
pub(super) struct Template {
    id: String,
    attribute: Option<String>,
    segments: Vec<Segment>,
}

impl Template {
    pub(super) fn id(&self) -> &str {
        &self.id
    }

    pub(super) fn attribute(&self) -> Option<&str> {
        self.attribute.as_deref()
    }

    /// Literal characters: the more, the more specific the pattern.
    pub(super) fn literal_len(&self) -> usize {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Text(t) => t.chars().count(),
                Segment::Var(..) => 0,
            })
            .sum()
    }

    /// A piece usable inside any message (`common-…`).
    pub(super) fn is_common(&self) -> bool {
        self.id.starts_with("common-")
    }

    /// Whether this is the message of code id `id` or one of its forms (`id--…`).
    pub(super) fn belongs_to(&self, id: &str) -> bool {
        self.id == id
            || (id.ends_with('-') && self.id.starts_with(id))
            || self
                .id
                .strip_prefix(id)
                .is_some_and(|rest| rest.starts_with("--"))
    }

    /// The arguments when `text` is this pattern filled in, whole, each with
    /// whether it is written between backticks (user input: a name, a value,
    /// never translated).
    pub(super) fn matches_quoted<'t>(&self, text: &'t str) -> Option<Vec<(&str, &'t str, bool)>> {
        let mut captures = Vec::new();
        if match_from(&self.segments, text, &mut captures) {
            Some(captures)
        } else {
            None
        }
    }
}

/// Matches `segments` against the whole of `text`, an argument taking the
/// shortest text that lets the rest match (so the first literal after it is
/// found at its earliest place that works).
fn match_from<'s, 't>(
    segments: &'s [Segment],
    text: &'t str,
    captures: &mut Vec<(&'s str, &'t str, bool)>,
) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return text.is_empty();
    };
    match first {
        Segment::Text(literal) => match text.strip_prefix(literal.as_str()) {
            Some(after) => match_from(rest, after, captures),
            None => false,
        },
        Segment::Var(name, quoted) => {
            let Some((next, _)) = rest.split_first() else {
                if *quoted && text.contains('`') {
                    return false;
                }
                captures.push((name, text, *quoted));
                return true;
            };
            let Segment::Text(literal) = next else {
                // Two arguments side by side cannot be told apart.
                return false;
            };
            for (at, _) in text.match_indices(literal.as_str()) {
                let (value, after) = match (text.get(..at), text.get(at..)) {
                    (Some(value), Some(after)) => (value, after),
                    _ => continue,
                };
                if *quoted && value.contains('`') {
                    break;
                }
                let mark = captures.len();
                captures.push((name, value, *quoted));
                if match_from(rest, after, captures) {
                    return true;
                }
                captures.truncate(mark);
            }
            false
        }
    }
}

/// The segments of a pattern; `None` for patterns that are not plain text
/// and arguments (selectors, references to other messages).
fn segments(pattern: &Pattern<&str>) -> Option<Vec<Segment>> {
    let mut out: Vec<Segment> = Vec::new();
    let push_text = |out: &mut Vec<Segment>, text: &str| match out.last_mut() {
        Some(Segment::Text(previous)) => previous.push_str(text),
        _ => out.push(Segment::Text(text.to_owned())),
    };
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => push_text(&mut out, value),
            PatternElement::Placeable {
                expression: Expression::Inline(InlineExpression::VariableReference { id }),
            } => out.push(Segment::Var(id.name.to_owned(), false)),
            PatternElement::Placeable {
                expression: Expression::Inline(InlineExpression::StringLiteral { value }),
            } => push_text(&mut out, &unescape(value)),
            PatternElement::Placeable { .. } => return None,
        }
    }
    // Mark the arguments written between backticks.
    let quoted: Vec<bool> = (0..out.len())
        .map(|i| {
            let before = i
                .checked_sub(1)
                .and_then(|j| out.get(j))
                .is_some_and(|s| matches!(s, Segment::Text(t) if t.ends_with('`')));
            let after = out
                .get(i + 1)
                .is_some_and(|s| matches!(s, Segment::Text(t) if t.starts_with('`')));
            before && after
        })
        .collect();
    for (segment, q) in out.iter_mut().zip(quoted) {
        if let Segment::Var(_, flag) = segment {
            *flag = q;
        }
    }
    Some(out)
}

/// A Fluent string literal's text (`\"`, `\\`, `\u…`).
fn unescape(value: &str) -> String {
    fluent_syntax::unicode::unescape_unicode_to_string(value).into_owned()
}

/// The templates of one English `.ftl` text: each message value and attribute
/// of plain text and arguments.
pub(super) fn templates(text: &str) -> Vec<Template> {
    let resource = match fluent_syntax::parser::parse(text) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    let mut out = Vec::new();
    for entry in &resource.body {
        let Entry::Message(message) = entry else {
            continue;
        };
        let id = message.id.name;
        if let Some(segments) = message.value.as_ref().and_then(segments) {
            out.push(Template {
                id: id.to_owned(),
                attribute: None,
                segments,
            });
        }
        for attribute in &message.attributes {
            if let Some(segments) = segments(&attribute.value) {
                out.push(Template {
                    id: id.to_owned(),
                    attribute: Some(attribute.id.name.to_owned()),
                    segments,
                });
            }
        }
    }
    // A pattern that is only arguments would match anything.
    out.retain(|t| t.literal_len() > 0);
    out
}

/// Every id of an `.ftl` text, attributes as `id.attribute`.
pub(super) fn ids(text: &str) -> Vec<String> {
    let resource = match fluent_syntax::parser::parse(text) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    let mut out = Vec::new();
    for entry in &resource.body {
        if let Entry::Message(message) = entry {
            if message.value.is_some() {
                out.push(message.id.name.to_owned());
            }
            for attribute in &message.attributes {
                out.push(format!("{}.{}", message.id.name, attribute.id.name));
            }
        }
    }
    out
}
