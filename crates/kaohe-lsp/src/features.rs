//! Hover, go to definition, references, rename, formatting, the outline and
//! folding, each answering from an open document.

use std::collections::HashMap;

use kaohe::{SourceFile, Span};
use lsp_types::{
    DocumentFormattingParams, DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse,
    FoldingRange, FoldingRangeKind, FoldingRangeParams, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location, MarkupContent, MarkupKind,
    PrepareRenameResponse, ReferenceParams, RenameParams, SymbolKind, TextDocumentPositionParams,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::index::{Index, Kind};
use crate::keywords;
use crate::state::{Document, Failure, State};

/// The words the language reserves: never names.
pub const RESERVED: &[&str] = &[
    "and", "or", "not", "if", "then", "else", "where", "true", "false",
];

/// The document and byte offset a position names.
fn locate<'a>(state: &'a State, at: &TextDocumentPositionParams) -> Option<(&'a Document, usize)> {
    let document = state.document(&at.text_document.uri)?;
    let offset = document.lines.offset(&document.text, at.position);
    Some((document, offset))
}

/// The name-like word (ASCII letters, digits, `_`) around `offset`, with its span.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, Span)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let before = text.get(..offset)?;
    let after = text.get(offset..)?;
    let start = offset - before.chars().rev().take_while(|c| is_word(*c)).count();
    let end = offset + after.chars().take_while(|c| is_word(*c)).count();
    let word = text.get(start..end)?;
    (!word.is_empty()).then_some((word, Span::new(start, end)))
}

/// Whether `offset` is inside a quoted string or a `//` comment (neither spans lines).
pub fn in_string_or_comment(text: &str, offset: usize) -> bool {
    let Some(before) = text.get(..offset) else {
        return false;
    };
    let line = before.rsplit('\n').next().unwrap_or("");
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && chars.peek() == Some(&'/') => return true,
            _ => {}
        }
    }
    in_string
}

fn markdown(value: String) -> HoverContents {
    HoverContents::Markup(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}

/// Hover: a declared name's declaration and label; a clause id's text, what
/// cites it and the assumptions cited with it; a keyword's meaning; a
/// built-in function's or name's meaning.
pub fn hover(state: &State, params: HoverParams) -> Result<Option<Hover>, Failure> {
    let Some((document, offset)) = locate(state, &params.text_document_position_params) else {
        return Ok(None);
    };
    let text = document.text.as_str();
    if let Some(index) = &document.index {
        if let Some(occurrence) = index.occurrence_at(offset) {
            let value = describe(index, text, &occurrence.targets);
            return Ok(Some(Hover {
                contents: markdown(value),
                range: Some(document.lines.range(text, occurrence.span)),
            }));
        }
    }
    if in_string_or_comment(text, offset) {
        return Ok(None);
    }
    let Some((word, span)) = word_at(text, offset) else {
        return Ok(None);
    };
    let value = if let Some(meaning) = keywords::meaning(word) {
        format!("keyword `{word}`: {meaning}")
    } else if let Some((_, signature)) = kaohe::check::builtin_functions()
        .iter()
        .find(|(f, _)| *f == word)
    {
        format!("**built-in function** {signature}")
    } else if kaohe::check::builtin_names().contains(&word) {
        format!("built-in date `{word}` ({})", builtin_meaning(word))
    } else if word == "discretion" {
        "`discretion`: the office's discretionary order, given per period in the fact file \
         (`\"discretion\"`), as a ranking's last key"
            .to_owned()
    } else if word == "unit" {
        "`unit`: the unit being scored; `unit.attr` is its attribute `attr`".to_owned()
    } else if kaohe::check::result_names().contains(&word) {
        format!(
            "the unit's result `{word}` ({}), in conditions of consequences",
            builtin_meaning(word)
        )
    } else {
        return Ok(None);
    };
    Ok(Some(Hover {
        contents: markdown(value),
        range: Some(document.lines.range(text, span)),
    }))
}

/// The meaning of a built-in name (docs/language.md §17).
fn builtin_meaning(word: &str) -> &'static str {
    match word {
        "as_of" => "the evaluation date given by the fact file",
        "period_start" => "the first day of the evaluated period",
        "period_end" => "the last day of the evaluated period",
        "total" => "the unit's total in the evaluated period",
        "rank" => "the unit's published rank in the evaluated period",
        "previous_total" => "the unit's total in the period before",
        "previous_rank" => "the unit's published rank in the period before",
        _ => "built in",
    }
}

/// The hover text of the declarations `targets` (one symbol).
fn describe(index: &Index, text: &str, targets: &[usize]) -> String {
    let Some(first) = targets.first().and_then(|t| index.decl(*t)) else {
        return String::new();
    };
    if first.kind.is_clause_id() {
        return describe_clause(index, &first.name);
    }
    let mut out = String::new();
    for decl in targets.iter().filter_map(|t| index.decl(*t)) {
        if !out.is_empty() {
            out.push_str("\n---\n\n");
        }
        out.push_str(&format!("**{}** `{}`", decl.kind.describe(), decl.name));
        if let Some(parent) = decl.parent.and_then(|p| index.decl(p)) {
            out.push_str(&format!(" of {} `{}`", parent.kind.describe(), parent.name));
        }
        if let Some(label) = &decl.label {
            out.push_str(&format!(" — {label}"));
        }
        let head = text
            .get(decl.span.start..decl.span.end)
            .and_then(|s| s.lines().next())
            .unwrap_or("")
            .trim();
        out.push_str(&format!("\n\n```kaohe\n{head}\n```\n"));
    }
    out
}

/// A clause id: its text (as clause and as assumption), what cites it, and
/// the assumptions cited beside it.
fn describe_clause(index: &Index, id: &str) -> String {
    let mut out = String::new();
    for kind in [Kind::Clause, Kind::Assumption] {
        for decl in index.find(kind, id).iter().filter_map(|d| index.decl(*d)) {
            out.push_str(&format!(
                "**{}** `{id}`\n\n> {}\n\n",
                kind.describe(),
                decl.label.as_deref().unwrap_or("")
            ));
        }
    }
    let mut citing: Vec<String> = Vec::new();
    let mut beside: Vec<String> = Vec::new();
    for citation in index
        .citations
        .iter()
        .filter(|c| c.ids.iter().any(|i| i == id))
    {
        let who = match citation.owner.and_then(|o| index.decl(o)) {
            Some(owner) => format!("{} `{}`", owner.kind.describe(), owner.name),
            None => format!("`{}`", citation.owner_word),
        };
        if !citing.contains(&who) {
            citing.push(who);
        }
        for other in citation.ids.iter().filter(|i| *i != id) {
            if !index.find(Kind::Assumption, other).is_empty() && !beside.contains(other) {
                beside.push(other.clone());
            }
        }
    }
    if citing.is_empty() {
        out.push_str("Cited by nothing.\n");
    } else {
        out.push_str(&format!("Cited by: {}.\n", citing.join(", ")));
    }
    if !beside.is_empty() {
        out.push_str("\nAssumptions cited with it:\n");
        for other in &beside {
            let text = index
                .find(Kind::Assumption, other)
                .first()
                .and_then(|d| index.decl(*d))
                .and_then(|d| d.label.clone())
                .unwrap_or_default();
            out.push_str(&format!("- `{other}`: {text}\n"));
        }
    }
    out
}

/// The symbol under a position: the index and the declarations it means.
fn symbol_at<'a>(
    state: &'a State,
    at: &TextDocumentPositionParams,
) -> Option<(&'a Document, &'a Index, Vec<usize>, Span)> {
    let (document, offset) = locate(state, at)?;
    let index = document.index.as_ref()?;
    let occurrence = index.occurrence_at(offset)?;
    let symbol = index.same_symbol(&occurrence.targets);
    Some((document, index, symbol, occurrence.span))
}

/// Go to definition: where the name or clause id under the position is declared.
pub fn definition(
    state: &State,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, Failure> {
    let at = &params.text_document_position_params;
    let Some((document, index, symbol, _)) = symbol_at(state, at) else {
        return Ok(None);
    };
    let locations = symbol
        .iter()
        .filter_map(|d| index.decl(*d))
        .map(|d| location(&at.text_document.uri, document, d.name_span))
        .collect();
    Ok(Some(GotoDefinitionResponse::Array(locations)))
}

fn location(uri: &Uri, document: &Document, span: Span) -> Location {
    Location::new(uri.clone(), document.lines.range(&document.text, span))
}

/// Find references: every place the name or clause id under the position is
/// written (its declarations when the client asks for them).
pub fn references(
    state: &State,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>, Failure> {
    let at = &params.text_document_position;
    let Some((document, index, symbol, _)) = symbol_at(state, at) else {
        return Ok(None);
    };
    let with_declaration = params.context.include_declaration;
    Ok(Some(
        index
            .occurrences_of(&symbol)
            .into_iter()
            .filter(|o| with_declaration || !o.is_decl)
            .map(|o| location(&at.text_document.uri, document, o.span))
            .collect(),
    ))
}

/// Why the position cannot be renamed, or the symbol there.
fn renamable<'a>(
    state: &'a State,
    at: &TextDocumentPositionParams,
) -> Result<(&'a Document, &'a Index, Vec<usize>, Span), Failure> {
    let Some((document, offset)) = locate(state, at) else {
        return Err(Failure::refused("the document is not open"));
    };
    if document.index.is_none() {
        return Err(Failure::refused(
            "the file has a syntax error; fix it before renaming",
        ));
    }
    if let Some((document, index, symbol, span)) = symbol_at(state, at) {
        let kind = symbol.first().and_then(|d| index.decl(*d)).map(|d| d.kind);
        if kind.is_some_and(Kind::is_clause_id) {
            return Err(Failure::refused(
                "clause and assumption ids are the rulebook's numbering and are not renamed",
            ));
        }
        return Ok((document, index, symbol, span));
    }
    let text = document.text.as_str();
    if in_string_or_comment(text, offset) {
        return Err(Failure::refused(
            "labels, clause texts and comments are not renamed",
        ));
    }
    match word_at(text, offset) {
        Some((word, _)) if keywords::meaning(word).is_some() => Err(Failure::refused(format!(
            "`{word}` is a keyword of the rule language, not a declared name"
        ))),
        Some((word, _)) => Err(Failure::refused(format!(
            "`{word}` is not a name declared in this file"
        ))),
        None => Err(Failure::refused("no declared name here")),
    }
}

/// Prepare rename: the name's range, or why it cannot be renamed.
pub fn prepare_rename(
    state: &State,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, Failure> {
    let (document, _, _, span) = renamable(state, &params)?;
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: document.lines.range(&document.text, span),
        placeholder: document
            .text
            .get(span.start..span.end)
            .unwrap_or("")
            .to_owned(),
    }))
}

/// Rename a declared name across the file: its declarations and every use.
/// Refused for keywords, labels, clause texts and ids, a new name that is not
/// a name or is reserved, and a new name already declared for the same kind
/// of thing in the same place.
#[allow(
    clippy::mutable_key_type,
    reason = "lsp-types' `WorkspaceEdit` is keyed by `Uri`"
)]
pub fn rename(state: &State, params: RenameParams) -> Result<Option<WorkspaceEdit>, Failure> {
    let at = &params.text_document_position;
    let (document, index, symbol, _) = renamable(state, at)?;
    let new_name = params.new_name.as_str();
    let valid = new_name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && new_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(Failure::refused(format!(
            "`{new_name}` is not a name: a letter or `_`, then letters, digits or `_` (ASCII)"
        )));
    }
    if RESERVED.contains(&new_name) {
        return Err(Failure::refused(format!(
            "`{new_name}` is a reserved word of the rule language"
        )));
    }
    if let Some(first) = symbol.first().and_then(|d| index.decl(*d)) {
        let clash = index
            .find(first.kind, new_name)
            .into_iter()
            .filter_map(|d| index.decl(d))
            .any(|d| {
                d.parent.map(|p| index.decl(p).map(|p| p.name.clone()))
                    == first.parent.map(|p| index.decl(p).map(|p| p.name.clone()))
            });
        if clash {
            return Err(Failure::refused(format!(
                "a {} `{new_name}` is already declared",
                first.kind.describe()
            )));
        }
    }
    let edits: Vec<TextEdit> = index
        .occurrences_of(&symbol)
        .into_iter()
        .map(|o| {
            TextEdit::new(
                document.lines.range(&document.text, o.span),
                new_name.to_owned(),
            )
        })
        .collect();
    let mut changes = HashMap::new();
    changes.insert(at.text_document.uri.clone(), edits);
    Ok(Some(WorkspaceEdit::new(changes)))
}

/// Formatting: the whole text in the canonical layout of `rulec fmt`; no
/// edits when it is formatted already or does not parse (its syntax error is
/// among the diagnostics).
pub fn formatting(
    state: &State,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, Failure> {
    let uri = &params.text_document.uri;
    let Some(document) = state.document(uri) else {
        return Ok(None);
    };
    let text = document.text.as_str();
    let Ok(formatted) = kaohe::syntax::format::format(&SourceFile::new(uri.as_str(), text)) else {
        return Ok(None);
    };
    if formatted == text {
        return Ok(Some(Vec::new()));
    }
    let whole = document.lines.range(text, Span::new(0, text.len()));
    Ok(Some(vec![TextEdit::new(whole, formatted)]))
}

fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Ruleset => SymbolKind::MODULE,
        Kind::Assumption | Kind::Clause => SymbolKind::STRING,
        Kind::Levels => SymbolKind::ENUM,
        Kind::Level | Kind::Class => SymbolKind::ENUM_MEMBER,
        Kind::Group => SymbolKind::CLASS,
        Kind::UnitAttribute | Kind::RecordAttribute => SymbolKind::FIELD,
        Kind::Derived => SymbolKind::PROPERTY,
        Kind::Record => SymbolKind::STRUCT,
        Kind::Category => SymbolKind::NAMESPACE,
        Kind::Rule => SymbolKind::FUNCTION,
        Kind::GroupCap => SymbolKind::CONSTANT,
        Kind::Ranking => SymbolKind::OPERATOR,
        Kind::Notice | Kind::Flag | Kind::Classify | Kind::Quota => SymbolKind::EVENT,
    }
}

/// The outline: every declaration, with levels, attributes, rules and
/// classes under their type, record, group, category or classification.
pub fn symbols(
    state: &State,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, Failure> {
    let Some(document) = state.document(&params.text_document.uri) else {
        return Ok(None);
    };
    let Some(index) = &document.index else {
        return Ok(Some(DocumentSymbolResponse::Nested(Vec::new())));
    };
    Ok(Some(DocumentSymbolResponse::Nested(outline(
        document, index, None,
    ))))
}

fn outline(document: &Document, index: &Index, parent: Option<usize>) -> Vec<DocumentSymbol> {
    index
        .decls
        .iter()
        .enumerate()
        .filter(|(_, d)| d.parent == parent)
        .map(|(id, d)| {
            let children = outline(document, index, Some(id));
            #[allow(deprecated, reason = "`deprecated` is a required field of the type")]
            DocumentSymbol {
                name: d.name.clone(),
                detail: d.label.clone().filter(|_| !d.kind.is_clause_id()),
                kind: symbol_kind(d.kind),
                tags: None,
                deprecated: None,
                range: document.lines.range(&document.text, d.span),
                selection_range: document.lines.range(&document.text, d.name_span),
                children: (!children.is_empty()).then_some(children),
            }
        })
        .collect()
}

/// Folding: every `{ … }` block over several lines, and runs of comment
/// lines. Read from the text, so a file with a syntax error folds too.
pub fn folding(
    state: &State,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>, Failure> {
    let Some(document) = state.document(&params.text_document.uri) else {
        return Ok(None);
    };
    Ok(Some(fold(&document.text)))
}

/// The folding ranges of `text` (0-based lines), in order of their start.
pub fn fold(text: &str) -> Vec<FoldingRange> {
    let mut ranges = Vec::new();
    let mut open: Vec<u32> = Vec::new();
    let mut comment_run: Option<(u32, u32)> = None;
    for (number, line) in text.split('\n').enumerate() {
        let number = u32::try_from(number).unwrap_or(u32::MAX);
        if line.trim_start().starts_with("//") {
            comment_run = Some(comment_run.map_or((number, number), |(s, _)| (s, number)));
        } else if let Some((start, end)) = comment_run.take() {
            if end > start {
                ranges.push(range(start, end, Some(FoldingRangeKind::Comment)));
            }
        }
        let mut chars = line.chars().peekable();
        let mut in_string = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '/' if !in_string && chars.peek() == Some(&'/') => break,
                '{' if !in_string => open.push(number),
                '}' if !in_string => {
                    if let Some(start) = open.pop() {
                        if number > start + 1 {
                            ranges.push(range(start, number - 1, None));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if let Some((start, end)) = comment_run {
        if end > start {
            ranges.push(range(start, end, Some(FoldingRangeKind::Comment)));
        }
    }
    ranges.sort_by_key(|r| (r.start_line, r.end_line));
    ranges
}

fn range(start: u32, end: u32, kind: Option<FoldingRangeKind>) -> FoldingRange {
    FoldingRange {
        start_line: start,
        end_line: end,
        kind,
        ..FoldingRange::default()
    }
}
