//! The ruleset formatter behind `rulec fmt`: one canonical layout for a ruleset
//! file, so that diffs between versions of a ruleset show what changed in the rules,
//! not in the spacing.
//!
//! The formatter works on the pest parse tree, not on the AST: every token is
//! printed as written (names, labels, numbers, citations), only the white space
//! between tokens changes, so the formatted file means exactly what the original
//! meant. The canonical layout:
//!
//! - one statement per line, indented two spaces per `{ … }` level; `{` ends the
//!   line that opens a block and `}` stands on its own line (also for an empty
//!   block); an amount table `by tier { central: 3, … }` stays on one line;
//! - single spaces between tokens, none before `:` `,` `)` `]` `?` `.`, none after
//!   `(` `[` `.` and a unary `-`, and none between a function name and its `(`;
//! - in a run of consecutive lines of the same kind — the header's fields, the
//!   levels of a `levels` type, the fields of a `record` or the attributes of a
//!   `group`, the arms of a `classify`, the `require`s of a `quota` — every column
//!   but the last is padded so that the next one lines up (a blank line ends the
//!   run; a comment line does not);
//! - blank lines stay where the author put them, at most one in a row, none at the
//!   start or end of a block or file; top-level declarations that span several
//!   lines are separated from their neighbours by a blank line;
//! - a comment on its own line stays on its own line, before the statement that
//!   follows it and at that statement's indentation (before a `}`, at the
//!   indentation of the block's statements); a comment after the last token of a
//!   line stays at the end of that line, after one space; a comment inside a
//!   statement printed on one line moves to its own line before the statement;
//! - no trailing white space, and the file ends with exactly one newline.
//!
//! Long lines are not broken: a long condition stays on its line.

use pest::iterators::Pair;
use pest::Parser;

use super::{KaoheParser, Rule};
use crate::diagnostics::RulesetDiagnostic;
use crate::source::SourceFile;

/// One level of indentation.
const INDENT: &str = "  ";

/// Formats a ruleset file in the canonical layout.
///
/// Fails with the parser's diagnostics when the text does not follow the grammar
/// (or exceeds the default [`Limits`](crate::Limits)); other errors, such as an
/// invalid date, are left for the checker and do not stop formatting.
pub fn format(source: &SourceFile) -> Result<String, Vec<RulesetDiagnostic>> {
    let parsed = super::parse(source);
    if parsed.file.is_none() {
        return Err(parsed.diagnostics);
    }
    let text = source.text();
    let mut pairs = KaoheParser::parse(Rule::file, text)
        .map_err(|error| vec![super::expected::syntax_error(text, &error)])?;
    let Some(file) = pairs.next() else {
        return Ok(String::new());
    };
    let mut comments = Vec::new();
    collect_comments(text, file.clone(), &mut comments);
    let mut printer = Printer {
        text,
        comments,
        next_comment: 0,
        lines: Vec::new(),
        previous_end: 0,
        suppress_blank: true,
        force_blank: false,
    };
    printer.file(file);
    Ok(render(&printer.lines))
}

/// Rules printed as their whole text: atomic tokens and operators.
fn is_leaf(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::ident
            | Rule::string
            | Rule::string_text
            | Rule::date
            | Rule::number
            | Rule::signed
            | Rule::integer
            | Rule::clause_id
            | Rule::if_kw
    ) || super::lower::is_operator(rule)
}

/// Rules whose `{ … }` holds statements, one per line.
fn is_block(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::ruleset_header
            | Rule::levels_decl
            | Rule::group_decl
            | Rule::record_decl
            | Rule::period_decl
            | Rule::score_decl
            | Rule::category
            | Rule::rule_decl
            | Rule::rank_table
            | Rule::annual_decl
            | Rule::ranking_decl
            | Rule::consequence_decl
            | Rule::classify_decl
            | Rule::quota_decl
            | Rule::calendar_decl
            | Rule::calendar_year
    )
}

/// Statements whose columns are aligned with their like neighbours.
fn align_kind(rule: Rule) -> Option<Rule> {
    matches!(
        rule,
        Rule::meta_field
            | Rule::level_def
            | Rule::field
            | Rule::attribute_decl
            | Rule::class_arm
            | Rule::require_stmt
    )
    .then_some(rule)
}

/// Whether a new column starts before the `index`th child of a `parent`.
fn column_before(parent: Rule, child: Rule, index: usize) -> bool {
    match (parent, child) {
        (Rule::field, Rule::type_ref | Rule::label)
        | (Rule::level_def | Rule::require_stmt, Rule::label)
        | (Rule::meta_field, Rule::string) => true,
        // `effective | 2023-07-13 to 2023-12-31`
        (Rule::effective, Rule::date) => index == 0,
        // `red | "红" | when …`
        (Rule::class_arm, _) => index > 0,
        _ => false,
    }
}

/// The white space of the grammar (`WHITESPACE`).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}' | '\u{FEFF}')
}

/// What the text between two tokens of the tree holds besides white space.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// A literal of the grammar (`{`, `ruleset`, `,`, …), by byte range.
    Token(usize, usize),
    /// A `//` comment, by byte range, without its line break.
    Comment(usize, usize),
}

/// The literals and comments in `text[from..to]`, a stretch between pairs.
fn scan(text: &str, from: usize, to: usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let gap = text.get(from..to).unwrap_or("");
    let mut chars = gap.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let start = from + offset;
        let mut end = start + c.len_utf8();
        if is_space(c) {
            continue;
        }
        if c == '/' && matches!(chars.peek(), Some((_, '/'))) {
            while let Some(&(next, n)) = chars.peek() {
                if n == '\n' {
                    break;
                }
                end = from + next + n.len_utf8();
                chars.next();
            }
            pieces.push(Piece::Comment(start, end));
        } else {
            if c.is_ascii_alphanumeric() || c == '_' {
                while let Some(&(next, n)) = chars.peek() {
                    if !(n.is_ascii_alphanumeric() || n == '_') {
                        break;
                    }
                    end = from + next + n.len_utf8();
                    chars.next();
                }
            }
            pieces.push(Piece::Token(start, end));
        }
    }
    pieces
}

/// A comment's byte range, trailing white space excluded.
#[derive(Debug, Clone, Copy)]
struct Comment {
    start: usize,
    end: usize,
}

/// Every comment of the tree under `pair`, in source order.
fn collect_comments(text: &str, pair: Pair<'_, Rule>, comments: &mut Vec<Comment>) {
    if is_leaf(pair.as_rule()) {
        return;
    }
    let mut position = pair.as_span().start();
    let end = pair.as_span().end();
    let gap = |from: usize, to: usize, comments: &mut Vec<Comment>| {
        for piece in scan(text, from, to) {
            if let Piece::Comment(start, end) = piece {
                let trimmed = text.get(start..end).map_or(0, |c| c.trim_end().len());
                comments.push(Comment {
                    start,
                    end: start + trimmed,
                });
            }
        }
    };
    for child in pair.into_inner() {
        gap(position, child.as_span().start(), comments);
        position = child.as_span().end();
        collect_comments(text, child, comments);
    }
    gap(position, end, comments);
}

/// One token of a line, with what decides the spacing around it.
#[derive(Debug, Clone, Copy)]
struct Token<'s> {
    text: &'s str,
    /// The rule of the pair it is (a leaf) or that it is a literal of.
    rule: Rule,
    /// Whether it is a literal of the grammar rather than a leaf pair.
    literal: bool,
    start: usize,
    end: usize,
}

/// Whether a space separates two adjacent tokens.
fn spaced(previous: &Token<'_>, next: &Token<'_>) -> bool {
    let tight_before = next.literal && matches!(next.text, "," | ":" | ")" | "]" | "?" | ".");
    let tight_after = (previous.literal && matches!(previous.text, "(" | "[" | "."))
        || previous.rule == Rule::neg_op;
    let call = next.literal
        && next.text == "("
        && matches!(
            next.rule,
            Rule::call | Rule::count_of | Rule::sum_of | Rule::bands
        );
    let empty_table = previous.literal && previous.text == "{" && next.text == "}";
    !(tight_before || tight_after || call || empty_table)
}

/// A line being assembled: its columns, and the source range of its tokens.
#[derive(Debug)]
struct LineBuf<'s> {
    columns: Vec<String>,
    current: String,
    previous: Option<Token<'s>>,
    column_break: bool,
    first_start: Option<usize>,
    last_end: usize,
    kind: Option<Rule>,
    /// The line is a block's closing `}`.
    closing: bool,
}

impl<'s> LineBuf<'s> {
    fn new(kind: Option<Rule>) -> Self {
        LineBuf {
            columns: Vec::new(),
            current: String::new(),
            previous: None,
            column_break: false,
            first_start: None,
            last_end: 0,
            kind,
            closing: false,
        }
    }

    fn push(&mut self, token: Token<'s>) {
        self.first_start.get_or_insert(token.start);
        self.last_end = token.end;
        if self.column_break && !self.current.is_empty() {
            self.columns.push(std::mem::take(&mut self.current));
        } else if let Some(previous) = &self.previous {
            if spaced(previous, &token) && !self.current.is_empty() {
                self.current.push(' ');
            }
        }
        self.column_break = false;
        self.current.push_str(token.text);
        self.previous = Some(token);
    }

    fn into_columns(mut self) -> Vec<String> {
        if !self.current.is_empty() {
            self.columns.push(self.current);
        }
        self.columns
    }
}

/// An output line before alignment.
#[derive(Debug)]
enum Line {
    Blank,
    Comment {
        indent: usize,
        text: String,
    },
    Code {
        indent: usize,
        columns: Vec<String>,
        kind: Option<Rule>,
        trailing: Option<String>,
    },
}

/// Walks the tree in source order and lays out its lines and comments.
struct Printer<'s> {
    text: &'s str,
    comments: Vec<Comment>,
    next_comment: usize,
    lines: Vec<Line>,
    /// Where the last printed token or comment ends in the source.
    previous_end: usize,
    /// No blank line here: start of the file or of a block.
    suppress_blank: bool,
    /// A blank line here: between top-level declarations.
    force_blank: bool,
}

impl<'s> Printer<'s> {
    fn file(&mut self, file: Pair<'s, Rule>) {
        let mut previous_multiline = None;
        for item in file.into_inner() {
            if item.as_rule() == Rule::EOI {
                continue;
            }
            let multiline = self.has_block(&item);
            if previous_multiline.is_some_and(|previous| previous || multiline) {
                self.force_blank = true;
            }
            previous_multiline = Some(multiline);
            self.statement(item, 0);
        }
        while let Some(comment) = self.comments.get(self.next_comment).copied() {
            self.comment_line(comment, 0, usize::MAX);
        }
    }

    /// Whether a declaration has a `{ … }` (a `record` may not).
    fn has_block(&self, pair: &Pair<'s, Rule>) -> bool {
        let end = pair.as_span().end();
        let last = pair.clone().into_inner().last();
        let from = last.map_or(pair.as_span().start(), |last| last.as_span().end());
        is_block(pair.as_rule())
            && scan(self.text, from, end).iter().any(
                |piece| matches!(piece, Piece::Token(s, e) if self.text.get(*s..*e) == Some("}")),
            )
    }

    /// Prints a top-level declaration or a statement of a block.
    fn statement(&mut self, pair: Pair<'s, Rule>, indent: usize) {
        let mut line = LineBuf::new(align_kind(pair.as_rule()));
        self.flatten(pair, indent, &mut line);
        self.flush(line, indent);
    }

    /// Appends the tokens of `pair` to `line`, printing the statements of its block.
    fn flatten(&mut self, pair: Pair<'s, Rule>, indent: usize, line: &mut LineBuf<'s>) {
        let rule = pair.as_rule();
        let span = pair.as_span();
        if is_leaf(rule) {
            // `working   days` (or across lines) is written `working days`.
            let text = match pair.as_str() {
                unit if rule == Rule::date_unit && unit.starts_with("working") => "working days",
                other => other,
            };
            line.push(Token {
                text,
                rule,
                literal: false,
                start: span.start(),
                end: span.end(),
            });
            return;
        }
        let mut in_body = false;
        let mut position = span.start();
        let mut entries = 0;
        for (index, child) in pair.into_inner().enumerate() {
            let child_span = child.as_span();
            self.literals(
                position,
                child_span.start(),
                rule,
                indent,
                line,
                &mut in_body,
            );
            position = child_span.end();
            if in_body {
                self.statement(child, indent + 1);
                continue;
            }
            if child.as_rule() == Rule::table_entry {
                // Entries of an amount table are separated by exactly one comma.
                if entries > 0 {
                    line.push(Token {
                        text: ",",
                        rule,
                        literal: true,
                        start: child_span.start(),
                        end: child_span.start(),
                    });
                }
                entries += 1;
            }
            if column_before(rule, child.as_rule(), index) {
                line.column_break = true;
            }
            self.flatten(child, indent, line);
        }
        self.literals(position, span.end(), rule, indent, line, &mut in_body);
    }

    /// Appends the literals of `rule` found in `text[from..to]` to `line`; a block's
    /// `{` ends the line and its `}` starts a new one.
    fn literals(
        &mut self,
        from: usize,
        to: usize,
        rule: Rule,
        indent: usize,
        line: &mut LineBuf<'s>,
        in_body: &mut bool,
    ) {
        for piece in scan(self.text, from, to) {
            let Piece::Token(start, end) = piece else {
                continue;
            };
            let text = self.text.get(start..end).unwrap_or("");
            if rule == Rule::level_table && text == "," {
                continue;
            }
            let token = Token {
                text,
                rule,
                literal: true,
                start,
                end,
            };
            line.push(token);
            if is_block(rule) && !*in_body && text == "{" {
                let opener = std::mem::replace(line, LineBuf::new(None));
                self.flush(opener, indent);
                self.suppress_blank = true;
                *in_body = true;
            } else if is_block(rule) && *in_body && text == "}" {
                line.closing = true;
                *in_body = false;
            }
        }
    }

    /// Ends a line: the comments before and inside it, the line, its trailing comment.
    fn flush(&mut self, line: LineBuf<'s>, indent: usize) {
        let Some(first) = line.first_start else {
            return;
        };
        let last = line.last_end;
        let comment_indent = if line.closing { indent + 1 } else { indent };
        while let Some(comment) = self.comments.get(self.next_comment).copied() {
            if comment.start >= last {
                break;
            }
            self.comment_line(comment, comment_indent, first);
        }
        if line.closing {
            self.suppress_blank = true;
        }
        self.blank_line(first, first);
        self.previous_end = self.previous_end.max(last);
        let mut trailing = None;
        if let Some(comment) = self.comments.get(self.next_comment).copied() {
            let between = self.text.get(last..comment.start).unwrap_or("\n");
            if between.chars().all(|c| is_space(c) && c != '\n') {
                trailing = self.text.get(comment.start..comment.end).map(str::to_owned);
                self.next_comment += 1;
                self.previous_end = comment.end;
            }
        }
        let kind = line.kind;
        self.lines.push(Line::Code {
            indent,
            columns: line.into_columns(),
            kind,
            trailing,
        });
    }

    /// Prints a comment on its own line.
    fn comment_line(&mut self, comment: Comment, indent: usize, line_start: usize) {
        self.blank_line(comment.start, line_start);
        let text = self.text.get(comment.start..comment.end).unwrap_or("//");
        self.lines.push(Line::Comment {
            indent,
            text: text.to_owned(),
        });
        self.previous_end = self.previous_end.max(comment.end);
        self.next_comment += 1;
    }

    /// Prints a blank line before what starts at `start` if the source has one
    /// there (or one is forced), unless blank lines are suppressed here.
    fn blank_line(&mut self, start: usize, line_start: usize) {
        let upto = start.min(line_start);
        let found = self.previous_end < upto
            && has_blank_line(self.text.get(self.previous_end..upto).unwrap_or(""));
        if (found || self.force_blank)
            && !self.suppress_blank
            && !matches!(self.lines.last(), None | Some(Line::Blank))
        {
            self.lines.push(Line::Blank);
        }
        self.force_blank = false;
        self.suppress_blank = false;
    }
}

/// Whether white space `text` holds an empty line.
fn has_blank_line(text: &str) -> bool {
    let mut newlines = 0;
    for c in text.chars() {
        match c {
            '\n' => newlines += 1,
            c if is_space(c) => {}
            _ => newlines = 0,
        }
        if newlines >= 2 {
            return true;
        }
    }
    false
}

/// The columns a terminal gives `text`: two for wide (CJK, full-width) characters.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// Aligns the runs of like lines and joins the lines into the file's text.
fn render(lines: &[Line]) -> String {
    let mut widths: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let Some(Line::Code {
            kind: Some(kind),
            indent,
            ..
        }) = lines.get(start)
        else {
            start += 1;
            continue;
        };
        let mut last = start;
        for (index, line) in lines.iter().enumerate().skip(start + 1) {
            match line {
                Line::Comment { .. } => {}
                Line::Code {
                    kind: Some(k),
                    indent: i,
                    ..
                } if k == kind && i == indent => last = index,
                _ => break,
            }
        }
        let run = lines.get(start..=last).unwrap_or_default();
        let mut run_widths = Vec::new();
        for line in run {
            if let Line::Code { columns, .. } = line {
                let padded = columns.len().saturating_sub(1);
                for (column, text) in columns.iter().take(padded).enumerate() {
                    if run_widths.len() <= column {
                        run_widths.push(0);
                    }
                    if let Some(w) = run_widths.get_mut(column) {
                        *w = (*w).max(width(text));
                    }
                }
            }
        }
        for slot in widths.iter_mut().skip(start).take(last + 1 - start) {
            slot.clone_from(&run_widths);
        }
        start = last + 1;
    }

    let mut out = String::new();
    for (line, widths) in lines.iter().zip(&widths) {
        match line {
            Line::Blank => {}
            Line::Comment { indent, text } => {
                out.push_str(&INDENT.repeat(*indent));
                out.push_str(text);
            }
            Line::Code {
                indent,
                columns,
                trailing,
                ..
            } => {
                out.push_str(&INDENT.repeat(*indent));
                for (column, text) in columns.iter().enumerate() {
                    out.push_str(text);
                    if column + 1 < columns.len() {
                        let target = widths.get(column).copied().unwrap_or(0);
                        let pad = target.saturating_sub(width(text));
                        out.push_str(&" ".repeat(pad + 1));
                    }
                }
                if let Some(comment) = trailing {
                    out.push(' ');
                    out.push_str(comment);
                }
            }
        }
        out.push('\n');
    }
    out
}
