//! Checks of scoring per group and outside the total (issue 13 §10): which
//! `score` block scores which group (every group by exactly one block), rule
//! names unique across blocks, and the `allotments sum` acknowledgement of a
//! split that does not add up to the base.

use rust_decimal::Decimal;

use super::Checker;
use crate::diagnostics::{
    AllotmentMismatch, AllotmentsStatement, GroupNotScored, GroupScoredTwice, ScoreWithoutGroup,
};
use crate::source::Span;
use crate::syntax::ast::{Ident, Item, Number, ScoreDecl};

/// The span of a block's opening keyword `score`, where diagnostics about the
/// whole block point.
fn keyword(block: &ScoreDecl) -> Span {
    Span::new(block.span.start, block.span.start + "score".len())
}

impl Checker<'_> {
    /// Every group scored by exactly one block when blocks name their groups;
    /// no block without `of` beside them; rule names unique across blocks.
    pub(super) fn score_blocks(&mut self) {
        let file = self.file;
        let blocks: Vec<&ScoreDecl> = file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Score(s) => Some(s),
                _ => None,
            })
            .collect();
        let Some(scoped) = blocks.iter().find(|b| !b.groups.is_empty()) else {
            return;
        };
        for block in blocks.iter().filter(|b| b.groups.is_empty()) {
            self.push(ScoreWithoutGroup {
                span: keyword(block).into(),
                other: keyword(scoped).into(),
            });
        }
        let declared: Vec<&str> = self.symbols.groups.keys().copied().collect();
        let mut named: Vec<&Ident> = Vec::new();
        for block in &blocks {
            for group in &block.groups {
                if !declared.contains(&group.name.as_str()) {
                    self.unknown("group", group, &declared);
                } else if let Some(first) = named.iter().find(|g| g.name == group.name) {
                    self.push(GroupScoredTwice {
                        group: group.name.clone(),
                        span: group.span.into(),
                        first: first.span.into(),
                    });
                } else {
                    named.push(group);
                }
            }
        }
        if blocks.iter().all(|b| !b.groups.is_empty()) {
            for item in &file.items {
                let Item::Group(group) = item else { continue };
                if named.iter().any(|g| g.name == group.name.name) {
                    continue;
                }
                self.push(GroupNotScored {
                    group: group.name.name.clone(),
                    span: group.name.span.into(),
                    help: Some(format!(
                        "add it to the `of` list of the block that scores it, or give it a block of its own: `score of {} {{ base 100  category … }}`",
                        group.name.name
                    )),
                });
            }
        }
        // A rule belongs to one block: the same name in two blocks would make
        // its versions, caps and explanation lines ambiguous.
        let mut seen: Vec<(&str, usize, Span)> = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            for rule in block.categories.iter().flat_map(|c| &c.rules) {
                match seen.iter().find(|(name, _, _)| *name == rule.name.name) {
                    Some((_, other, first)) if *other != index => {
                        let first = *first;
                        self.duplicate("rule", &rule.name, first);
                    }
                    Some(_) => {}
                    None => seen.push((&rule.name.name, index, rule.name.span)),
                }
            }
        }
    }

    /// The categories counted in the total add up to the base, or the block
    /// says what they add up to instead, citing the clause (issue 13 §10).
    pub(super) fn allotments(&mut self, score: &ScoreDecl, base: Option<&Number>) {
        let allots: Vec<&Number> = score
            .categories
            .iter()
            .filter(|c| c.outside.is_none())
            .filter_map(|c| c.allot.as_ref())
            .collect();
        let sum = allots
            .iter()
            .try_fold(Decimal::ZERO, |acc, n| acc.checked_add(n.value));
        let text = |d: Option<Decimal>| {
            d.map_or_else(|| "too much".to_owned(), |s| s.normalize().to_string())
        };
        match (&score.allotments, base) {
            (Some(statement), _) => {
                let stated = statement.sum.value.normalize().to_string();
                let mut problem = |problem: String| {
                    self.push(AllotmentsStatement {
                        stated: stated.clone(),
                        problem,
                        span: statement.span.into(),
                    });
                };
                if statement.cite.is_none() {
                    problem("cites no clause".to_owned());
                }
                if sum != Some(statement.sum.value) {
                    problem(format!(
                        "does not match the allotments, which add up to {}",
                        text(sum)
                    ));
                } else if base.is_some_and(|b| Some(b.value) == sum) {
                    problem(format!(
                        "states what is not an exception: the allotments add up to the base {}",
                        text(sum)
                    ));
                }
                if let Some(cite) = &statement.cite {
                    self.cite(Some(cite));
                }
            }
            (None, Some(base)) if !allots.is_empty() && sum != Some(base.value) => {
                self.push(AllotmentMismatch {
                    sum: text(sum),
                    base: base.value.normalize().to_string(),
                    span: base.span.into(),
                });
            }
            (None, _) => {}
        }
    }
}
