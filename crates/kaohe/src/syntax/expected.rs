//! Turns pest's errors into words a rule author understands: grammar rule names
//! become descriptions (`amount_stmt` → "`amount`"), and `EOI` or `WHITESPACE`
//! never reach the user.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use crate::diagnostics::{RulesetDiagnostic, UnexpectedSyntax};
use crate::source::Span;
use crate::suggest;

/// A description of what a grammar rule matches, and the keyword it starts with, if any.
fn describe(grammar_rule: Rule) -> (&'static str, Option<&'static str>) {
    use Rule::*;
    match grammar_rule {
        EOI => ("end of file", None),
        WHITESPACE | COMMENT => ("white space", None),
        file | item => ("a declaration", None),
        group_stmt => ("`attribute`, `assessed` or `average`", None),
        record_stmt => ("an attribute, `derive` or `key`", None),
        period_stmt => ("`seal`, `late` or `amendable`", None),
        score_stmt => ("`base`, `category` or `cap`", None),
        category_stmt => ("`allot`, `floor`, `cap` or a rule", None),
        rule_stmt => (
            "`per`, `when`, `amount`, `once`, `times`, `cap` or `effective`",
            None,
        ),
        annual_stmt => ("`from` or `convert`", None),
        ranking_stmt => ("`by`, `ties` or `only when`", None),
        consequence_stmt => ("`per`, `when`, `action` or `step`", None),
        quota_stmt => ("`require` or `action`", None),
        ident_char => ("a letter, digit or `_`", None),
        prefix | primary => ("an expression", None),
        infix => ("an operator", None),
        ident | type_name => ("a name", None),
        keyword => ("a keyword", None),
        string | string_text | label => ("a quoted label", None),
        date => ("a date (YYYY-MM-DD)", None),
        number => ("a number", None),
        signed => ("a number", None),
        integer => ("a whole number", None),
        cite => ("a citation like `[SD-3.1.1①]`", None),
        clause_id => ("a clause id", None),
        ruleset_header => ("`ruleset`", Some("ruleset")),
        meta_field | meta_key => ("`title`, `issuer`, `source` or `effective`", None),
        effective => ("`effective`", Some("effective")),
        assumption => ("`assumption`", Some("assumption")),
        clause_decl => ("`clause`", Some("clause")),
        levels_decl => ("`levels`", Some("levels")),
        level_def => ("a level", None),
        group_decl => ("`group`", Some("group")),
        attribute_decl => ("`attribute`", Some("attribute")),
        assessed_stmt => ("`assessed annually`", Some("assessed")),
        average_stmt => ("`average when`", Some("average")),
        record_decl => ("`record`", Some("record")),
        field => ("an attribute `name: type`", None),
        type_ref => ("a type", None),
        optional => ("`?`", None),
        derive_decl => ("`derive`", Some("derive")),
        key_decl => ("`key`", Some("key")),
        period_decl => ("`period`", Some("period")),
        period_unit => ("`month`, `quarter`, `half`, `week` or `year`", None),
        seal_stmt => ("`seal`", Some("seal")),
        late_stmt => ("`late`", Some("late")),
        late_policy => ("`rejected` or `carried`", None),
        amendable_stmt => ("`amendable`", Some("amendable")),
        score_decl => ("`score`", Some("score")),
        score_of => ("`of <group>`", None),
        allotments_stmt => ("`allotments sum`", Some("allotments")),
        outside_total => ("`outside total`", Some("outside")),
        base_stmt => ("`base`", Some("base")),
        group_cap => ("`cap`", Some("cap")),
        category => ("`category`", Some("category")),
        allot_stmt => ("`allot`", Some("allot")),
        floor_stmt => ("`floor`", Some("floor")),
        bonus_cap => ("`cap bonuses`", Some("cap")),
        rule_decl => ("a rule (`deduct`, `bonus` or `adjust`)", None),
        rule_kind => ("`deduct`, `bonus` or `adjust`", None),
        per_stmt => ("`per`", Some("per")),
        when_stmt => ("`when`", Some("when")),
        amount_stmt => ("`amount`", Some("amount")),
        level_table => ("`by <attribute> { level: amount }`", None),
        table_entry => ("`level: amount`", None),
        rank_table => ("`by rank <attribute> of <attribute> { … }`", None),
        discretion_range => ("`discretion <from> to <to>`", Some("discretion")),
        discretion_kw => ("`discretion`", Some("discretion")),
        top_list => ("`top`", Some("top")),
        bottom_list => ("`bottom`", Some("bottom")),
        overlap => ("`overlap`", Some("overlap")),
        overlap_side => ("`top` or `bottom`", None),
        once_stmt => ("`once per`", Some("once")),
        times_stmt => ("`times`", Some("times")),
        cap_stmt => ("`cap`", Some("cap")),
        cap_scope | ranking_scope => ("`per period` or `per year`", None),
        cap_unit => ("`period` or `year`", None),
        annual_decl => ("`annual`", Some("annual")),
        annual_method => ("`from`", Some("from")),
        annual_source => ("`pooled records` or `sum of periods`", None),
        convert_stmt => ("`convert weight`", Some("convert")),
        rounding => ("`round`", Some("round")),
        round_mode => ("`half_up`, `half_even`, `down` or `up`", None),
        ranking_decl => ("`ranking`", Some("ranking")),
        order_key => ("`by`", Some("by")),
        direction => ("`desc` or `asc`", None),
        ties_stmt => ("`ties shared`", Some("ties")),
        consequence_decl | consequence_kind => ("`notice`, `flag`", None),
        action_stmt => ("`action`", Some("action")),
        step_stmt => ("`step`", Some("step")),
        only_stmt => ("`only when`", Some("only")),
        target => ("`of <group>`", None),
        within => ("`within <unit attribute>`", Some("within")),
        classify_decl => ("`classify`", Some("classify")),
        class_arm => ("a class `name \"label\" when …`", None),
        class_when => ("`when`", Some("when")),
        otherwise => ("`otherwise`", Some("otherwise")),
        quota_decl => ("`quota`", Some("quota")),
        require_stmt => ("`require`", Some("require")),
        expr | paren | if_expr | if_kw | count_of | sum_of | call | boolean | path => {
            ("an expression", None)
        }
        ranked | rank_side => ("`ranked`", None),
        measure_decl => ("`measure`", Some("measure")),
        output_decl => ("`output`", Some("output")),
        input_decl => ("`input`", Some("input")),
        earlier => ("`in previous N periods`", None),
        bands => ("`bands(…)`", Some("bands")),
        band_entry | band_bound => ("a band `upto N: points` or `from N: points`", None),
        band_else => ("`else: points`", None),
        ties_straddling => ("`ties straddling`", None),
        this_year => ("`this year`", None),
        // After a value, as an operator would be: not listed apart, so that
        // "expected … or an operator" stays short.
        date_unit => ("an operator", None),
        calendar_decl => ("`calendar`", Some("calendar")),
        calendar_year => ("`year N { … }`", Some("year")),
        calendar_day | day_kind => ("`holiday` or `workday`", None),
        not_op | neg_op => ("an expression", None),
        or_op | and_op | eq_op | ne_op | le_op | ge_op | lt_op | gt_op | add_op | sub_op
        | mul_op | div_op => ("an operator", None),
    }
}

/// The word (or character) at `offset`, for "unexpected …".
fn found_at(text: &str, offset: usize) -> (String, Span) {
    let rest = text.get(offset..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("end of file".to_owned(), Span::new(offset, offset));
    };
    let word_len: usize = if first.is_alphanumeric() || first == '_' {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .take(40)
            .map(char::len_utf8)
            .sum()
    } else {
        first.len_utf8()
    };
    let word = rest.get(..word_len).unwrap_or("");
    (format!("`{word}`"), Span::new(offset, offset + word_len))
}

/// "a, b or c".
pub(crate) fn join_or(items: &[&str]) -> String {
    match items {
        [] => "something else".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The diagnostic for a pest parse error.
pub(super) fn syntax_error(text: &str, error: &Error<Rule>) -> RulesetDiagnostic {
    let offset = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let (mut found, mut span) = found_at(text, offset);
    let mut special_help = None;
    let mut special_expected = None;
    if found == "`\"`" && !closes_on_line(text, offset) {
        found = "`\"`: this string is not closed".to_owned();
        special_expected = Some("a closing `\"` on this line".to_owned());
        special_help = Some("close the string with `\"` before the end of the line".to_owned());
    } else if found == "end of file" {
        if let Some(brace) = unclosed_brace(text) {
            span = Span::new(brace, brace + 1);
            special_expected =
                Some("a `}` to close this block before the end of the file".to_owned());
            special_help = Some("add the missing `}`".to_owned());
        }
    }
    let mut descriptions: Vec<&str> = Vec::new();
    let mut keywords: Vec<&str> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for expected in positives {
            let (description, keyword) = describe(*expected);
            if !descriptions.contains(&description) {
                descriptions.push(description);
            }
            if let Some(k) = keyword {
                keywords.push(k);
            }
        }
    }
    // "end of file" reads best last.
    descriptions.sort_by_key(|d| *d == "end of file");
    let help = special_help.or_else(|| {
        suggest::did_you_mean(found.trim_matches('`'), keywords.iter().copied()).or_else(|| {
            (found == "end of file").then(|| "a block may be missing its closing `}`".to_owned())
        })
    });
    UnexpectedSyntax {
        found,
        span: span.into(),
        expected: special_expected.unwrap_or_else(|| join_or(&descriptions)),
        help,
    }
    .into()
}

/// Whether the string opened at `offset` is closed on the same line.
fn closes_on_line(text: &str, offset: usize) -> bool {
    let rest = text.get(offset + 1..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

/// The offset of the last `{` never closed, outside strings and comments.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    for (offset, c) in super::depth::brackets(text) {
        match c {
            '{' => open.push(offset),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}
