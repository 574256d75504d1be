//! The score declaration's names, labels and citations as shared [`Text`]s,
//! built once per ruleset: a line item then costs reference counts instead of
//! string copies (a province-year has over a million of them).

use super::result::Clauses;
use crate::syntax::ast::{Citation, Label, ScoreDecl};
use crate::text::Text;

/// Texts of a `score` block, parallel to its categories, rules and group caps.
#[derive(Debug, Clone)]
pub(crate) struct ScoreTexts {
    /// What the base cites.
    pub base: Clauses,
    pub categories: Vec<CategoryTexts>,
    pub group_caps: Vec<CapTexts>,
}

#[derive(Debug, Clone)]
pub(crate) struct CategoryTexts {
    pub name: Text,
    pub label: Option<Text>,
    /// `<label> bonus cap` and what the bonus cap cites.
    pub bonus_cap_label: Option<Text>,
    pub bonus_cap: Clauses,
    /// `<label> floor` and what the floor cites.
    pub floor_label: Option<Text>,
    pub floor: Clauses,
    pub rules: Vec<RuleTexts>,
}

#[derive(Debug, Clone)]
pub(crate) struct RuleTexts {
    pub name: Text,
    pub label: Option<Text>,
    pub clauses: Clauses,
    /// What each of the rule's caps cites, in order.
    pub caps: Vec<Clauses>,
    /// The index of the `per` kind among the ruleset's record kinds.
    pub per_kind: Option<usize>,
    /// The inputs (sub-assessments) the rule reads, for its lines' provenance
    /// (issue 13 §11).
    pub inputs: Vec<Text>,
}

#[derive(Debug, Clone)]
pub(crate) struct CapTexts {
    pub name: Text,
    pub label: Option<Text>,
    pub clauses: Clauses,
}

fn label(label: Option<&Label>) -> Option<Text> {
    label.map(|l| Text::from(l.text.as_str()))
}

pub(crate) fn clauses(cite: Option<&Citation>) -> Clauses {
    cite.map(|c| {
        c.clauses
            .iter()
            .map(|c| Text::from(c.id.as_str()))
            .collect()
    })
    .unwrap_or_default()
}

impl ScoreTexts {
    /// `kind_of` gives a record kind's index by name.
    pub(crate) fn of(
        decl: &ScoreDecl,
        kind_of: impl Fn(&str) -> Option<usize>,
        inputs: &[&str],
    ) -> ScoreTexts {
        ScoreTexts {
            base: clauses(
                decl.base
                    .first()
                    .and_then(|(_, c)| c.as_ref())
                    .or(decl.cite.as_ref()),
            ),
            categories: decl
                .categories
                .iter()
                .map(|c| CategoryTexts {
                    name: Text::from(c.name.name.as_str()),
                    label: label(c.label.as_ref()),
                    bonus_cap_label: c
                        .label
                        .as_ref()
                        .map(|l| Text::from(format!("{} bonus cap", l.text))),
                    bonus_cap: clauses(c.bonus_cap.as_ref().and_then(|(_, _, c)| c.as_ref())),
                    floor_label: c
                        .label
                        .as_ref()
                        .map(|l| Text::from(format!("{} floor", l.text))),
                    floor: clauses(c.floor.as_ref().and_then(|(_, c)| c.as_ref())),
                    rules: c
                        .rules
                        .iter()
                        .map(|r| RuleTexts {
                            name: Text::from(r.name.name.as_str()),
                            label: label(r.label.as_ref()),
                            clauses: clauses(r.cite.as_ref()),
                            caps: r.caps.iter().map(|(_, _, c)| clauses(c.as_ref())).collect(),
                            per_kind: r.per.as_ref().and_then(|p| kind_of(&p.kind.name)),
                            inputs: rule_inputs(r, inputs),
                        })
                        .collect(),
                })
                .collect(),
            group_caps: decl
                .group_caps
                .iter()
                .map(|g| CapTexts {
                    name: Text::from(g.name.name.as_str()),
                    label: label(g.label.as_ref()),
                    clauses: clauses(g.cite.as_ref()),
                })
                .collect(),
        }
    }
}

/// The inputs a rule's expressions read, in order of first use.
fn rule_inputs(rule: &crate::syntax::ast::Rule, inputs: &[&str]) -> Vec<Text> {
    if inputs.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let filters = rule.per.iter().filter_map(|p| p.filter.as_ref());
    let amounts = rule.amount.iter().filter_map(|(a, _)| match a {
        crate::syntax::ast::Amount::Expr(e) => Some(e),
        _ => None,
    });
    let times = rule.times.iter().flat_map(|t| [&t.factor, &t.when]);
    for expr in filters.chain(&rule.when).chain(amounts).chain(times) {
        crate::input::read_by(expr, inputs, &mut out);
    }
    out.into_iter().map(Text::from).collect()
}
