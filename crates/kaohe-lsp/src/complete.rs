//! Completion: the keywords the grammar allows at the point
//! ([`kaohe::syntax::complete::expected_at`]), the declared names that fit
//! the words before it, attributes after `kind.` and `unit.`, and the levels
//! of the attribute of an `amount by attr { … }` table.
//!
//! Names come from the last text of the document that parsed, so that they
//! are offered while the text is half-typed.

use kaohe::syntax::complete::{expected_at, Expected};
use lsp_types::{CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse};

use crate::features::in_string_or_comment;
use crate::index::{Index, Kind, BUILTIN_TYPES};
use crate::keywords;
use crate::state::{Failure, State};

/// Expression keywords offered where an expression may start.
const EXPRESSION_WORDS: &[&str] = &["count", "sum", "ranked", "if", "not", "true", "false"];

/// The completion items at a position.
pub fn completion(
    state: &State,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>, Failure> {
    let at = &params.text_document_position;
    let Some(document) = state.document(&at.text_document.uri) else {
        return Ok(None);
    };
    let text = document.text.as_str();
    let offset = document.lines.offset(text, at.position);
    if in_string_or_comment(text, offset) {
        return Ok(None);
    }
    Ok(Some(CompletionResponse::Array(items(
        text,
        offset,
        &document.names,
    ))))
}

/// The completion items at byte `offset` of `text`, with the names of `index`.
pub fn items(text: &str, offset: usize, index: &Index) -> Vec<CompletionItem> {
    let mut out = Items::default();
    let before = text.get(..offset).unwrap_or("");
    let word_start = before.len()
        - before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .count();
    let head = before.get(..word_start).unwrap_or("");
    // `kind.` or `unit.`: the attributes.
    if let Some(qualifier) = head.strip_suffix('.') {
        let name = last_word(qualifier);
        if name == "unit" {
            out.decls(index, &index.all(Kind::UnitAttribute));
        } else {
            for record in index.find(Kind::Record, name) {
                out.decls(index, &index.children(Kind::RecordAttribute, record));
                out.decls(index, &index.children(Kind::Derived, record));
            }
        }
        return out.done();
    }
    // Inside `amount by attr { … }`: the levels of the attribute's type.
    if let Some(attribute) = level_table_attribute(head) {
        for levels in index
            .all(Kind::RecordAttribute)
            .into_iter()
            .filter(|a| index.decl(*a).is_some_and(|d| d.name == attribute))
            .filter_map(|a| index.levels_of(a))
        {
            out.decls(index, &index.children(Kind::Level, levels));
        }
        return out.done();
    }
    let expected = expected_at(text, offset);
    let previous = last_word(head.trim_end());
    match &expected {
        Some(expected) => {
            for e in expected {
                match e {
                    Expected::Keyword(k) => out.keyword(k),
                    Expected::Name => names_after(&mut out, index, head, previous),
                    Expected::Expression => expression(&mut out, index, head),
                    Expected::Label | Expected::Literal | Expected::Operator => {}
                }
            }
        }
        None => {
            // A syntax error before the point: every keyword and name.
            for (k, _) in keywords::all() {
                out.keyword(k);
            }
            let all: Vec<usize> = (0..index.decls.len())
                .filter(|d| index.decl(*d).is_some_and(|d| !d.kind.is_clause_id()))
                .collect();
            out.decls(index, &all);
        }
    }
    out.done()
}

/// The last name-like word of `text`.
fn last_word(text: &str) -> &str {
    let start = text.len()
        - text
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .count();
    text.get(start..).unwrap_or("")
}

/// When `head` ends inside the braces of `amount by attr {`, the attribute.
fn level_table_attribute(head: &str) -> Option<&str> {
    let brace = head.rfind('{')?;
    let inside = head.get(brace + 1..)?;
    if inside.contains('}') {
        return None;
    }
    let opening = head.get(..brace)?.trim_end();
    let attribute = last_word(opening);
    let rest = opening.get(..opening.len() - attribute.len())?.trim_end();
    let by = rest.strip_suffix("by")?.trim_end();
    (by.ends_with("amount") && !attribute.is_empty()).then_some(attribute)
}

/// The names that fit after `previous` (the word before the point).
fn names_after(out: &mut Items, index: &Index, head: &str, previous: &str) {
    let before_previous = last_word(
        head.trim_end()
            .get(..head.trim_end().len() - previous.len())
            .unwrap_or("")
            .trim_end(),
    );
    let words: Vec<&str> = head
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    // `by rank r of …`: the word three back is `rank`.
    let in_rank_table = words.len() >= 3 && words.get(words.len() - 3) == Some(&"rank");
    match previous {
        "per" if before_previous != "once" => out.decls(index, &index.all(Kind::Record)),
        "of" if !in_rank_table => out.decls(index, &index.all(Kind::Group)),
        "in" => out.decls(index, &index.all(Kind::Ranking)),
        "on" => out.decls(index, &index.all(Kind::Rule)),
        "within" => out.decls(index, &index.all(Kind::UnitAttribute)),
        "key" | "per" | "of" => out.record_attributes(index, head),
        "by" => {
            out.decls(index, &index.all(Kind::UnitAttribute));
            out.record_attributes(index, head);
            for builtin in ["total", "discretion"] {
                out.word(builtin, CompletionItemKind::VARIABLE, None);
            }
        }
        _ if head.trim_end().ends_with(':') => {
            out.decls(index, &index.all(Kind::Levels));
            for ty in BUILTIN_TYPES {
                out.word(
                    ty,
                    CompletionItemKind::TYPE_PARAMETER,
                    Some("built-in type"),
                );
            }
        }
        _ if head.trim_end().ends_with(',') => out.decls(index, &index.all(Kind::Rule)),
        _ => {}
    }
}

/// What an expression may use: attributes in scope, levels, built-ins.
fn expression(out: &mut Items, index: &Index, head: &str) {
    out.record_attributes(index, head);
    out.decls(index, &index.all(Kind::UnitAttribute));
    out.decls(index, &index.all(Kind::Level));
    out.decls(index, &index.all(Kind::Record));
    for (function, signature) in kaohe::check::builtin_functions() {
        out.word(function, CompletionItemKind::FUNCTION, Some(signature));
    }
    for name in kaohe::check::builtin_names()
        .iter()
        .chain(kaohe::check::result_names())
    {
        out.word(name, CompletionItemKind::VARIABLE, Some("built-in name"));
    }
    for word in EXPRESSION_WORDS {
        out.keyword(word);
    }
}

/// The completion items gathered, without repeats.
#[derive(Default)]
struct Items {
    items: Vec<CompletionItem>,
}

impl Items {
    fn word(&mut self, label: &str, kind: CompletionItemKind, detail: Option<&str>) {
        if self
            .items
            .iter()
            .any(|i| i.label == label && i.kind == Some(kind))
        {
            return;
        }
        self.items.push(CompletionItem {
            label: label.to_owned(),
            kind: Some(kind),
            detail: detail.map(str::to_owned),
            ..CompletionItem::default()
        });
    }

    fn keyword(&mut self, word: &str) {
        self.word(word, CompletionItemKind::KEYWORD, keywords::meaning(word));
    }

    fn decls(&mut self, index: &Index, ids: &[usize]) {
        for decl in ids.iter().filter_map(|d| index.decl(*d)) {
            let kind = match decl.kind {
                Kind::Record | Kind::Group | Kind::Levels => CompletionItemKind::STRUCT,
                Kind::RecordAttribute | Kind::UnitAttribute | Kind::Derived => {
                    CompletionItemKind::FIELD
                }
                Kind::Level | Kind::Class => CompletionItemKind::ENUM_MEMBER,
                Kind::Rule => CompletionItemKind::FUNCTION,
                _ => CompletionItemKind::REFERENCE,
            };
            let parent = decl
                .parent
                .and_then(|p| index.decl(p))
                .map(|p| format!(" of `{}`", p.name))
                .unwrap_or_default();
            let label = decl
                .label
                .as_deref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default();
            let detail = format!("{}{parent}{label}", decl.kind.describe());
            self.word(&decl.name, kind, Some(&detail));
        }
    }

    /// The attributes of the record kinds named after `per`, `count(` or
    /// `sum(` in the block the point is in.
    fn record_attributes(&mut self, index: &Index, head: &str) {
        let block = head.rfind('{').and_then(|b| head.get(b..)).unwrap_or(head);
        let mut kinds: Vec<&str> = Vec::new();
        for marker in ["per ", "count(", "sum("] {
            for (at, _) in block.match_indices(marker) {
                let rest = block.get(at + marker.len()..).unwrap_or("").trim_start();
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(found) = index
                    .find(Kind::Record, &name)
                    .first()
                    .and_then(|r| index.decl(*r))
                {
                    kinds.push(found.name.as_str());
                }
            }
        }
        for kind in kinds {
            for record in index.find(Kind::Record, kind) {
                self.decls(index, &index.children(Kind::RecordAttribute, record));
                self.decls(index, &index.children(Kind::Derived, record));
            }
        }
    }

    fn done(self) -> Vec<CompletionItem> {
        self.items
    }
}
