//! What the grammar allows at a point of a half-written file, for editors
//! (completion in the language server, `rulec lsp`).
//!
//! The text before the point is parsed with the grammar (`grammar/kaohe.pest`);
//! when it stops exactly at the point, the grammar rules it tried there are
//! turned into the keywords that can start them, and into "a name" or "an
//! expression". Nothing here changes how files are parsed or checked.

use pest::error::{ErrorVariant, InputLocation};
use pest::Parser;

use super::{KaoheParser, Rule};

/// One thing the grammar allows at a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expected {
    /// A keyword, e.g. `per` in a rule's block.
    Keyword(&'static str),
    /// A name (of a record kind, attribute, group, …; which one depends on
    /// the words before it).
    Name,
    /// An expression (names, literals, `count(…)`, `if`, …).
    Expression,
    /// A quoted label or text.
    Label,
    /// A number, date or citation.
    Literal,
    /// An operator or the end of an expression.
    Operator,
}

/// What the grammar allows at byte offset `offset` of `text`, judged from the
/// text before it, after leaving out the word being typed there (so `per`,
/// `pe` and nothing all give the statements of a rule's block).
///
/// `None` when the text before the point does not follow the grammar up to
/// the point (a syntax error earlier), or when `offset` is past the end or
/// not at a character boundary. The list is sorted and has no repeats.
pub fn expected_at(text: &str, offset: usize) -> Option<Vec<Expected>> {
    let before = text.get(..offset)?;
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let prefix = before.get(..word_start)?;
    if super::depth::check_nesting(prefix, crate::limits::Limits::default().max_nesting).is_some() {
        return None;
    }
    let error = match KaoheParser::parse(Rule::file, prefix) {
        // The whole prefix is a file: only a new declaration can follow.
        Ok(_) => return Some(top_level()),
        Err(error) => error,
    };
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if at < prefix.trim_end().len() {
        return None;
    }
    let ErrorVariant::ParsingError { positives, .. } = &error.variant else {
        return None;
    };
    let mut expected: Vec<Expected> = positives.iter().flat_map(|r| allowed(*r)).collect();
    expected.sort();
    expected.dedup();
    Some(expected)
}

/// What may start a top-level declaration.
fn top_level() -> Vec<Expected> {
    let mut all: Vec<Expected> = [
        Rule::ruleset_header,
        Rule::assumption,
        Rule::clause_decl,
        Rule::levels_decl,
        Rule::group_decl,
        Rule::record_decl,
        Rule::period_decl,
        Rule::score_decl,
        Rule::annual_decl,
        Rule::ranking_decl,
        Rule::consequence_decl,
        Rule::classify_decl,
        Rule::quota_decl,
    ]
    .into_iter()
    .flat_map(allowed)
    .collect();
    all.sort();
    all
}

/// What a grammar rule tried at a point stands for.
fn allowed(rule: Rule) -> Vec<Expected> {
    use Expected::{Expression, Keyword, Label, Literal, Name, Operator};
    let keywords = |words: &[&'static str]| words.iter().map(|w| Keyword(w)).collect();
    match rule {
        Rule::ruleset_header => keywords(&["ruleset"]),
        Rule::meta_field | Rule::meta_key => keywords(&["title", "issuer", "source", "effective"]),
        Rule::effective => keywords(&["effective"]),
        Rule::assumption => keywords(&["assumption"]),
        Rule::clause_decl => keywords(&["clause"]),
        Rule::levels_decl => keywords(&["levels"]),
        Rule::group_decl => keywords(&["group"]),
        Rule::attribute_decl => keywords(&["attribute"]),
        Rule::assessed_stmt => keywords(&["assessed"]),
        Rule::average_stmt => keywords(&["average"]),
        Rule::record_decl => keywords(&["record"]),
        Rule::derive_decl => keywords(&["derive"]),
        Rule::key_decl => keywords(&["key"]),
        Rule::period_decl => keywords(&["period"]),
        Rule::period_unit => keywords(&["month", "quarter", "half", "week", "year"]),
        Rule::seal_stmt => keywords(&["seal"]),
        Rule::late_stmt => keywords(&["late"]),
        Rule::late_policy => keywords(&["rejected", "carried"]),
        Rule::amendable_stmt => keywords(&["amendable"]),
        Rule::score_decl => keywords(&["score"]),
        Rule::base_stmt => keywords(&["base"]),
        Rule::group_cap | Rule::bonus_cap | Rule::cap_stmt => keywords(&["cap"]),
        Rule::category => keywords(&["category"]),
        Rule::allot_stmt => keywords(&["allot"]),
        Rule::floor_stmt => keywords(&["floor"]),
        Rule::rule_decl | Rule::rule_kind => keywords(&["deduct", "bonus", "adjust"]),
        Rule::per_stmt | Rule::cap_scope | Rule::ranking_scope => keywords(&["per"]),
        Rule::when_stmt | Rule::class_when => keywords(&["when"]),
        Rule::amount_stmt => keywords(&["amount"]),
        Rule::level_table | Rule::rank_table | Rule::order_key => keywords(&["by"]),
        Rule::discretion_range | Rule::discretion_kw => keywords(&["discretion"]),
        Rule::top_list => keywords(&["top"]),
        Rule::bottom_list => keywords(&["bottom"]),
        Rule::overlap => keywords(&["overlap"]),
        Rule::overlap_side | Rule::rank_side => keywords(&["top", "bottom"]),
        Rule::once_stmt => keywords(&["once"]),
        Rule::times_stmt => keywords(&["times"]),
        Rule::cap_unit => keywords(&["period", "year"]),
        Rule::annual_decl => keywords(&["annual"]),
        Rule::annual_method => keywords(&["from"]),
        Rule::annual_source => keywords(&["pooled", "sum"]),
        Rule::convert_stmt => keywords(&["convert"]),
        Rule::rounding => keywords(&["round"]),
        Rule::round_mode => keywords(&["half_up", "half_even", "down", "up"]),
        Rule::ranking_decl => keywords(&["ranking"]),
        Rule::within => keywords(&["within"]),
        Rule::direction => keywords(&["desc", "asc"]),
        Rule::ties_stmt | Rule::ties_straddling => keywords(&["ties"]),
        Rule::consequence_decl | Rule::consequence_kind => keywords(&["notice", "flag"]),
        Rule::action_stmt => keywords(&["action"]),
        Rule::target => keywords(&["of"]),
        Rule::classify_decl => keywords(&["classify"]),
        Rule::otherwise => keywords(&["otherwise"]),
        Rule::quota_decl => keywords(&["quota"]),
        Rule::require_stmt => keywords(&["require"]),
        Rule::this_year => keywords(&["this"]),
        Rule::ident | Rule::type_name | Rule::type_ref | Rule::field | Rule::level_def => {
            vec![Name]
        }
        Rule::class_arm | Rule::table_entry => vec![Name],
        Rule::expr
        | Rule::paren
        | Rule::if_expr
        | Rule::if_kw
        | Rule::ranked
        | Rule::count_of
        | Rule::sum_of
        | Rule::call
        | Rule::boolean
        | Rule::path
        | Rule::not_op
        | Rule::neg_op => vec![Expression],
        Rule::string | Rule::string_text | Rule::label => vec![Label],
        Rule::date | Rule::number | Rule::signed | Rule::integer | Rule::cite => vec![Literal],
        Rule::or_op
        | Rule::and_op
        | Rule::eq_op
        | Rule::ne_op
        | Rule::le_op
        | Rule::ge_op
        | Rule::lt_op
        | Rule::gt_op
        | Rule::add_op
        | Rule::sub_op
        | Rule::mul_op
        | Rule::div_op => vec![Operator],
        Rule::optional => Vec::new(),
        // Grammar rules that only appear inside the ones above, or never at a
        // point where something is expected (EOI, white space, the file).
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(text: &str) -> Vec<&'static str> {
        expected_at(text, text.len())
            .unwrap()
            .into_iter()
            .filter_map(|e| match e {
                Expected::Keyword(k) => Some(k),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn statements_of_a_rule_block() {
        let text = "score {\n  category a {\n    deduct b {\n      pe";
        assert_eq!(
            keywords(text),
            ["amount", "cap", "effective", "once", "per", "times", "when"]
        );
    }

    #[test]
    fn top_level_after_a_complete_declaration() {
        let words = keywords("assumption [X-A1] \"text\"\n");
        assert!(words.contains(&"ruleset") && words.contains(&"notice"));
        assert!(!words.contains(&"per"));
    }

    #[test]
    fn a_name_after_per_and_an_expression_after_when() {
        let text = "score { category a { deduct b { per ";
        assert_eq!(expected_at(text, text.len()), Some(vec![Expected::Name]));
        let text = "score { category a { deduct b { when ";
        assert!(expected_at(text, text.len())
            .unwrap()
            .contains(&Expected::Expression));
    }

    #[test]
    fn an_error_before_the_point_gives_nothing() {
        let text = "score { garbage } ";
        assert_eq!(expected_at(text, text.len()), None);
        assert_eq!(expected_at("é", 1), None);
        assert_eq!(expected_at("", 5), None);
    }
}
