//! Checks of the period kind (issue 13 §9): under `period year` the period is
//! the year, so the constructs that speak of a year beside the periods
//! (`annual`, `assessed annually`, `per year` on rankings and consequences)
//! are refused with a located error instead of being silently ignored.

use super::Checker;
use crate::diagnostics::PeriodIsYear;
use crate::source::Span;
use crate::syntax::ast::{CapScope, Item, PeriodUnit};

impl Checker<'_> {
    /// Under `period year`: every `annual`, `assessed annually` and `per year`
    /// of a ranking, notice, flag, classification, quota or output is an error.
    pub(super) fn check_period_kind(&mut self) {
        let file = self.file;
        let yearly = file
            .items
            .iter()
            .any(|item| matches!(item, Item::Period(p) if p.unit == PeriodUnit::Year));
        if !yearly {
            return;
        }
        for item in &file.items {
            let per_year = match item {
                Item::Annual(a) => {
                    self.period_is_year(
                        "`annual`",
                        a.span,
                        "remove `annual`: under `period year` each period's result is the year's result, so there is no second, annual result to form or convert",
                    );
                    None
                }
                Item::Group(g) => {
                    if let Some(span) = g.assessed_annually {
                        self.period_is_year(
                            "`assessed annually`",
                            span,
                            "remove `assessed annually`: under `period year` every group is assessed once a year",
                        );
                    }
                    None
                }
                Item::Ranking(r) => Some((r.scope, r.name.span)),
                Item::Consequence(c) => Some((c.scope, c.name.span)),
                Item::Classify(c) => Some((c.scope, c.name.span)),
                Item::Quota(q) => Some((q.scope, q.name.span)),
                Item::Output(o) => Some((o.scope, o.name.span)),
                _ => None,
            };
            if let Some((CapScope::Year, span)) = per_year {
                self.period_is_year(
                    "`per year`",
                    span,
                    "write `per period` (or nothing): under `period year` the period is the year, and there is no separate annual result for `per year` to run on",
                );
            }
        }
    }

    fn period_is_year(&mut self, what: &str, span: Span, help: &str) {
        self.push(PeriodIsYear {
            what: what.to_owned(),
            span: span.into(),
            help: Some(help.to_owned()),
        });
    }
}
