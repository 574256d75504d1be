//! Structural checks: the parts a ruleset must have, what each declaration
//! refers to, caps and floors, effective ranges, rankings and consequences, and
//! the usage warnings at the end.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::expr::{backticked, Scope};
use super::{Checker, Ty};
use crate::diagnostics::{
    CapAcrossCategories, ConflictingPolicy, IncompleteClassification, InvalidRange, MisplacedStep,
    MissingCitation, MissingLevels, MissingPart, NeedsRecord, NegativeAmount, NeverBinds,
    NonPositiveCap, OutsideEffective, OverlappingEffective, RepeatedStatement, ReversedDiscretion,
    TypeMismatch, UnacknowledgedTies, UncitedAssumption, UnusedInput,
};
use crate::source::Span;
use crate::syntax::ast::*;

const UNIT: Scope<'static> = Scope {
    record: None,
    allow_ranked: false,
    unit: true,
    lenient: false,
};

impl<'a> Checker<'a> {
    pub(super) fn check_items(&mut self) {
        let file = self.file;
        let mut header: Option<&Header> = None;
        let mut period: Option<Span> = None;
        let mut score: Option<Span> = None;
        let mut unscoped: Option<Span> = None;
        let mut annual: Option<Span> = None;
        let mut calendar: Option<Span> = None;
        for item in &file.items {
            match item {
                Item::Header(h) => {
                    if let Some(first) = header {
                        self.repeated("the `ruleset` header", h.span, first.id.span);
                    } else {
                        header = Some(h);
                        self.header(h);
                    }
                }
                Item::Period(p) => {
                    if let Some(first) = period {
                        self.repeated("`period`", p.span, first);
                    } else {
                        period = Some(p.span);
                    }
                    self.period(p);
                }
                Item::Score(s) => {
                    // Blocks `score of …` are checked together (`score_blocks`).
                    if s.groups.is_empty() {
                        if let Some(first) = unscoped {
                            self.repeated("`score`", s.span, first);
                        } else {
                            unscoped = Some(s.span);
                        }
                    }
                    score.get_or_insert(s.span);
                    self.score(s, header);
                }
                Item::Annual(a) => {
                    if let Some(first) = annual {
                        self.repeated("`annual`", a.span, first);
                    } else {
                        annual = Some(a.span);
                    }
                    self.annual(a);
                }
                Item::Group(g) => self.group(g),
                Item::Ranking(r) => self.ranking(r),
                Item::Consequence(c) => self.consequence(c),
                Item::Classify(c) => self.classify(c),
                Item::Quota(q) => self.quota(q),
                Item::Input(i) => self.missing_citation("input", &i.name, i.cite.as_ref()),
                Item::Measure(m) => self.measure(m),
                Item::Output(o) => self.output(o),
                Item::Calendar(c) => {
                    if let Some(first) = calendar {
                        self.repeated("`calendar`", c.span, first);
                    } else {
                        calendar = Some(c.span);
                    }
                    self.calendar(c);
                }
                Item::Assumption(_) | Item::Clause(_) | Item::Levels(_) | Item::Record(_) => {}
            }
        }
        self.score_blocks();
        let start = Span::new(0, 0);
        for (present, part, help) in [
            (
                header.is_some(),
                "`ruleset` header",
                "start the file with `ruleset <id> { title \"…\" issuer \"…\" source \"…\" effective YYYY-MM-DD to YYYY-MM-DD }`",
            ),
            (
                period.is_some(),
                "`period` declaration",
                "declare the period and whether it is sealed: `period month { seal 15 days after end  late rejected }` or `period month { amendable }`",
            ),
            (
                score.is_some(),
                "`score` block",
                "declare the base score and its categories: `score { base 100  category … }`",
            ),
        ] {
            if !present {
                self.push(MissingPart {
                    part: part.to_owned(),
                    within: "the ruleset".to_owned(),
                    span: start.into(),
                    help: Some(help.to_owned()),
                });
            }
        }
        if self.symbols.groups.is_empty() {
            self.push(MissingPart {
                part: "`group` declaration".to_owned(),
                within: "the ruleset".to_owned(),
                span: start.into(),
                help: Some("declare who is assessed: `group lead \"牵头单位\" { }`".to_owned()),
            });
        }
    }

    fn repeated(&mut self, statement: &str, span: Span, first: Span) {
        self.push(RepeatedStatement {
            statement: statement.to_owned(),
            span: span.into(),
            first: first.into(),
        });
    }

    fn missing_citation(&mut self, what: &str, name: &Ident, cite: Option<&Citation>) {
        if cite.is_none() {
            self.push(MissingCitation {
                what: what.to_owned(),
                name: name.name.clone(),
                span: name.span.into(),
            });
        }
        self.cite(cite);
    }

    fn header(&mut self, header: &Header) {
        let mut seen: Vec<(MetaKey, Span)> = Vec::new();
        for field in &header.fields {
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == field.key) {
                let first = *first;
                self.repeated(&format!("`{}`", field.key.keyword()), field.span, first);
            } else {
                seen.push((field.key, field.span));
            }
        }
        for key in [MetaKey::Title, MetaKey::Issuer, MetaKey::Source] {
            if !seen.iter().any(|(k, _)| *k == key) {
                self.push(MissingPart {
                    part: format!("`{}`", key.keyword()),
                    within: format!("ruleset `{}`", header.id.name),
                    span: header.id.span.into(),
                    help: Some(format!("add `{} \"…\"` to the header", key.keyword())),
                });
            }
        }
        match header.effective.as_slice() {
            [] => self.push(MissingPart {
                part: "`effective` range".to_owned(),
                within: format!("ruleset `{}`", header.id.name),
                span: header.id.span.into(),
                help: Some("add `effective YYYY-MM-DD to YYYY-MM-DD` to the header".to_owned()),
            }),
            [first, rest @ ..] => {
                self.range(first);
                for other in rest {
                    self.repeated("`effective`", other.span, first.span);
                }
            }
        }
    }

    fn range(&mut self, range: &DateRange) -> bool {
        if range.to < range.from {
            self.push(InvalidRange {
                from: range.from.to_string(),
                to: range.to.to_string(),
                span: range.span.into(),
            });
            return false;
        }
        true
    }

    fn ruleset_range(&self) -> Option<&'a DateRange> {
        self.file.items.iter().find_map(|item| match item {
            Item::Header(h) => h.effective.first(),
            _ => None,
        })
    }

    fn period(&mut self, period: &PeriodDecl) {
        self.cite(period.cite.as_ref());
        if let Some((_, cite)) = &period.seal {
            self.cite(cite.as_ref());
        }
        if let Some((_, _, cite)) = &period.late {
            self.cite(cite.as_ref());
        }
        if let Some((_, cite)) = &period.amendable {
            self.cite(cite.as_ref());
        }
        if let Some((amendable, _)) = &period.amendable {
            if let Some((days, _)) = &period.seal {
                self.push(ConflictingPolicy {
                    this: "`amendable`".to_owned(),
                    other: "`seal`".to_owned(),
                    span: (*amendable).into(),
                    other_span: days.span.into(),
                    help: Some("a period is either sealed or amendable; keep one".to_owned()),
                });
            }
            if let Some((_, late, _)) = &period.late {
                self.push(ConflictingPolicy {
                    this: "`late`".to_owned(),
                    other: "`amendable`".to_owned(),
                    span: (*late).into(),
                    other_span: (*amendable).into(),
                    help: Some(
                        "nothing is late in an amendable period; remove `late` or seal the period"
                            .to_owned(),
                    ),
                });
            }
        } else if period.seal.is_none() {
            self.push(MissingPart {
                part: "`seal` or `amendable`".to_owned(),
                within: "`period`".to_owned(),
                span: period.span.into(),
                help: Some(
                    "say whether a past period may still change: `seal 15 days after end` or `amendable`"
                        .to_owned(),
                ),
            });
        }
    }

    fn score(&mut self, score: &ScoreDecl, header: Option<&Header>) {
        let _ = header;
        self.cite(score.cite.as_ref());
        let base = match score.base.as_slice() {
            [] => {
                self.push(MissingPart {
                    part: "`base`".to_owned(),
                    within: "`score`".to_owned(),
                    span: score.span.into(),
                    help: Some("add `base 100`".to_owned()),
                });
                None
            }
            [(first, cite), rest @ ..] => {
                self.cite(cite.as_ref());
                for (other, _) in rest {
                    self.repeated("`base`", other.span, first.span);
                }
                Some(first)
            }
        };
        let mut categories: Vec<&Ident> = Vec::new();
        for category in &score.categories {
            if let Some(first) = categories.iter().find(|c| c.name == category.name.name) {
                let first = first.span;
                self.duplicate("category", &category.name, first);
            } else {
                categories.push(&category.name);
            }
            self.category(category);
        }
        if let Some(first) = &score.allotments {
            for span in &first.repeated {
                self.repeated("`allotments sum`", *span, first.span);
            }
        }
        self.allotments(score, base);
        for cap in &score.group_caps {
            self.group_cap(cap);
            self.cap_in_one_category(cap, score);
        }
    }

    fn category(&mut self, category: &Category) {
        self.cite(category.cite.as_ref());
        self.cite(category.allot_cite.as_ref());
        let can_deduct = category
            .rules
            .iter()
            .any(|r| matches!(r.kind, RuleKind::Deduct | RuleKind::Adjust));
        let can_add = category
            .rules
            .iter()
            .any(|r| matches!(r.kind, RuleKind::Bonus | RuleKind::Adjust));
        if let Some((floor, cite)) = &category.floor {
            self.cite(cite.as_ref());
            match &category.allot {
                None => self.push(MissingPart {
                    part: "`allot`".to_owned(),
                    within: format!("category `{}`", category.name.name),
                    span: floor.span.into(),
                    help: Some(
                        "a floor limits deductions from the category's allotment; give it one with `allot N`"
                            .to_owned(),
                    ),
                }),
                Some(_) if !can_deduct => self.push(NeverBinds {
                    what: format!("floor `{}`", floor.value),
                    reason: format!("category `{}` has no deduction rules", category.name.name),
                    span: floor.span.into(),
                    help: Some("remove the floor or add the category's deductions".to_owned()),
                }),
                Some(_) => {}
            }
        }
        if let Some((cap, _, cite)) = &category.bonus_cap {
            self.cite(cite.as_ref());
            self.positive_cap(cap);
            if !can_add {
                self.push(NeverBinds {
                    what: format!("`cap bonuses {}`", cap.value),
                    reason: format!("category `{}` has no bonus rules", category.name.name),
                    span: cap.span.into(),
                    help: Some("remove the cap or add the category's bonus rules".to_owned()),
                });
            }
        }
        for rule in &category.rules {
            self.rule(rule);
        }
    }

    fn positive_cap(&mut self, cap: &Number) -> bool {
        self.positive("cap", cap)
    }

    fn positive(&mut self, what: &str, cap: &Number) -> bool {
        if cap.value <= Decimal::ZERO {
            self.push(NonPositiveCap {
                what: what.to_owned(),
                value: cap.value.to_string(),
                span: cap.span.into(),
            });
            return false;
        }
        true
    }

    /// A cap over rules takes its excess back inside one category: across
    /// categories, a bonus added in one category could lower the total (the
    /// cap takes it back in another while its own category's cap cuts it too).
    fn cap_in_one_category(&mut self, cap: &GroupCap, score: &ScoreDecl) {
        let category_of = |rule: &str| {
            score
                .categories
                .iter()
                .find(|c| c.rules.iter().any(|r| r.name.name == rule))
        };
        // A rule of another `score of` block (issue 13 §10): the cap would
        // never apply to it, silently; it is refused like a rule of another
        // category, naming that category.
        let file = self.file;
        let elsewhere = |rule: &str| {
            file.items
                .iter()
                .filter_map(|i| match i {
                    crate::syntax::ast::Item::Score(s) => Some(s),
                    _ => None,
                })
                .flat_map(|s| s.categories.iter())
                .find(|c| c.rules.iter().any(|r| r.name.name == rule))
        };
        let mut first: Option<&Category> = None;
        for name in &cap.rules {
            let Some(category) = category_of(&name.name) else {
                if let Some(other) = elsewhere(&name.name) {
                    let own = score.categories.iter().find(|c| {
                        cap.rules
                            .iter()
                            .any(|n| c.rules.iter().any(|r| r.name.name == n.name))
                    });
                    self.push(CapAcrossCategories {
                        cap: cap.name.name.clone(),
                        first: own.map_or_else(
                            || {
                                let groups: Vec<&str> =
                                    score.groups.iter().map(|g| g.name.as_str()).collect();
                                format!("score of {}", groups.join(", "))
                            },
                            |c| c.name.name.clone(),
                        ),
                        other: other.name.name.clone(),
                        span: name.span.into(),
                    });
                    return;
                }
                continue;
            };
            match first {
                None => first = Some(category),
                Some(f) if f.name.name != category.name.name => {
                    self.push(CapAcrossCategories {
                        cap: cap.name.name.clone(),
                        first: f.name.name.clone(),
                        other: category.name.name.clone(),
                        span: name.span.into(),
                    });
                    return;
                }
                Some(_) => {}
            }
        }
    }

    fn group_cap(&mut self, cap: &GroupCap) {
        self.missing_citation("cap", &cap.name, cap.cite.as_ref());
        self.positive_cap(&cap.limit);
        let mut member_caps = Some(Decimal::ZERO);
        for name in &cap.rules {
            match self.symbols.rules.get(name.name.as_str()) {
                None => {
                    let names = self.symbols.rules.keys().copied().collect::<Vec<_>>();
                    self.unknown("rule", name, &names);
                    member_caps = None;
                }
                Some(versions) => {
                    let own = versions
                        .iter()
                        .map(|r| {
                            r.caps
                                .first()
                                .filter(|(_, scope, _)| *scope == cap.scope)
                                .map(|(n, _, _)| n.value)
                        })
                        .collect::<Option<Vec<_>>>()
                        .and_then(|caps| caps.into_iter().max());
                    member_caps = match (member_caps, own) {
                        (Some(sum), Some(own)) => sum.checked_add(own),
                        _ => None,
                    };
                }
            }
        }
        if let Some(sum) = member_caps {
            if sum <= cap.limit.value && !cap.rules.is_empty() {
                self.push(NeverBinds {
                    what: format!("cap `{}`", cap.name.name),
                    reason: format!("its rules' own caps add up to {sum}, which is within it"),
                    span: cap.limit.span.into(),
                    help: Some("lower the cap or remove it".to_owned()),
                });
            }
        }
    }

    /// Checks `per kind where …` and `when …` of a rule or consequence and
    /// returns the scope its other expressions see (`ranked` only in consequences).
    fn per_and_when<'p>(
        &mut self,
        per: Option<&'p Per>,
        when: &[Expr],
        allow_ranked: bool,
    ) -> Scope<'p> {
        let record = per.and_then(|per| {
            self.record_kind(&per.kind)
                .then_some(per.kind.name.as_str())
        });
        let scope = Scope {
            record,
            allow_ranked,
            unit: true,
            lenient: per.is_some() && record.is_none(),
        };
        if let Some(filter) = per.and_then(|p| p.filter.as_ref()) {
            self.condition(filter, scope);
        }
        for condition in when {
            self.condition(condition, scope);
        }
        scope
    }

    fn rule(&mut self, rule: &Rule) {
        self.missing_citation("rule", &rule.name, rule.cite.as_ref());
        let context = format!("rule `{}`", rule.name.name);
        let scope = self.per_and_when(rule.per.as_ref(), &rule.when, false);
        let record = scope.record;
        match rule.amount.as_slice() {
            [] => self.push(MissingPart {
                part: "`amount`".to_owned(),
                within: context.clone(),
                span: rule.name.span.into(),
                help: Some("say what one occurrence is worth: `amount 5`".to_owned()),
            }),
            [(amount, _), rest @ ..] => {
                self.amount(rule, amount, scope, &context);
                for (_, span) in rest {
                    if let Some((_, first)) = rule.amount.first() {
                        self.repeated("`amount`", *span, *first);
                    }
                }
            }
        }
        if let Some((attribute, cite, span)) = &rule.once_per {
            self.cite(cite.as_ref());
            if attribute.name == crate::eval::ONCE_PER_UNIT {
                // `once per unit keep highest`: the unit's best single record.
                if record.is_none() && rule.per.is_none() {
                    self.push(NeedsRecord {
                        what: "`once per unit`".to_owned(),
                        context: context.clone(),
                        span: (*span).into(),
                    });
                }
            } else {
                self.record_attribute(
                    attribute,
                    record,
                    rule.per.is_some(),
                    *span,
                    "`once per`",
                    &context,
                );
            }
        }
        for times in &rule.times {
            self.cite(times.cite.as_ref());
            self.numeric(&times.factor, scope);
            self.condition(&times.when, scope);
        }
        for (cap, _, cite) in &rule.caps {
            self.cite(cite.as_ref());
            if self.positive_cap(cap) {
                self.rule_cap_binds(rule, cap);
            }
        }
        let outer = self.ruleset_range();
        for range in &rule.effective {
            if self.range(range) {
                if let Some(outer) = outer {
                    if range.to < outer.from || range.from > outer.to {
                        self.push(crate::diagnostics::NeverEffective {
                            what: context.clone(),
                            from: outer.from.to_string(),
                            to: outer.to.to_string(),
                            span: range.span.into(),
                        });
                    } else if range.from < outer.from || range.to > outer.to {
                        self.push(OutsideEffective {
                            what: context.clone(),
                            from: outer.from.to_string(),
                            to: outer.to.to_string(),
                            span: range.span.into(),
                        });
                    }
                }
            }
        }
        self.versions(rule);
    }

    /// A rule name may be declared more than once only as versions with disjoint
    /// `effective` ranges.
    fn versions(&mut self, rule: &Rule) {
        let Some(versions) = self.symbols.rules.get(rule.name.name.as_str()) else {
            return;
        };
        let earlier: Vec<&Rule> = versions
            .iter()
            .take_while(|r| !std::ptr::eq(**r, rule))
            .copied()
            .collect();
        for other in earlier {
            match (rule.effective.first(), other.effective.first()) {
                (Some(a), Some(b)) => {
                    if a.from <= b.to && b.from <= a.to {
                        self.push(OverlappingEffective {
                            kind: "rule".to_owned(),
                            name: rule.name.name.clone(),
                            span: a.span.into(),
                            other: b.span.into(),
                        });
                    }
                }
                _ => self.duplicate("rule", &rule.name, other.name.span),
            }
        }
    }

    fn rule_cap_binds(&mut self, rule: &Rule, cap: &Number) {
        // A rule without `per` fires at most once; with a constant amount and no
        // multiplier its cap is known never to bind.
        if rule.per.is_some() || !rule.times.is_empty() {
            return;
        }
        if rule
            .caps
            .iter()
            .any(|(c, scope, _)| c.value == cap.value && *scope == CapScope::Year)
        {
            // Amounts add up over the year's periods.
            return;
        }
        if let Some((
            Amount::Expr(Expr {
                kind: ExprKind::Number(n),
                ..
            }),
            _,
        )) = rule.amount.first()
        {
            if *n <= cap.value {
                self.push(NeverBinds {
                    what: format!("cap `{}`", cap.value),
                    reason: format!(
                        "rule `{}` applies at most once per period with amount {n}",
                        rule.name.name
                    ),
                    span: cap.span.into(),
                    help: Some("remove the cap, or count occurrences with `per`".to_owned()),
                });
            }
        }
    }

    fn record_attribute(
        &mut self,
        attribute: &Ident,
        record: Option<&str>,
        has_per: bool,
        span: Span,
        what: &str,
        context: &str,
    ) -> Option<Ty> {
        let Some(kind) = record else {
            if has_per {
                // `per` names an unknown kind, already reported.
                return None;
            }
            self.push(NeedsRecord {
                what: what.to_owned(),
                context: context.to_owned(),
                span: span.into(),
            });
            return None;
        };
        let attributes = self.symbols.records.get(kind).map(|r| {
            r.attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<Vec<_>>()
        })?;
        match attributes.iter().find(|(k, _)| *k == attribute.name) {
            Some((_, ty)) => Some(ty.clone()),
            None => {
                let names = attributes
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>();
                self.unknown(&format!("attribute of `{kind}`"), attribute, &names);
                None
            }
        }
    }

    fn amount(&mut self, rule: &Rule, amount: &Amount, scope: Scope<'_>, context: &str) {
        let signed = rule.kind == RuleKind::Adjust;
        let negative = |this: &mut Self, value: Decimal, span: Span| {
            if !signed && value < Decimal::ZERO {
                this.push(NegativeAmount {
                    rule_kind: rule.kind.keyword().to_owned(),
                    value: value.to_string(),
                    span: span.into(),
                });
            }
        };
        match amount {
            Amount::Expr(expr) => {
                self.numeric(expr, scope);
                if let Some(value) = constant(expr) {
                    negative(self, value, expr.span);
                }
            }
            Amount::ByLevel { attribute, entries } => {
                let table_span = entries
                    .iter()
                    .fold(attribute.span, |s, (l, n)| s.join(l.span).join(n.span));
                let ty = self.record_attribute(
                    attribute,
                    scope.record,
                    rule.per.is_some(),
                    attribute.span,
                    "`amount by`",
                    context,
                );
                for (_, value) in entries {
                    negative(self, value.value, value.span);
                }
                let Some(ty) = ty else { return };
                let Ty::Level(levels) = ty else {
                    if ty != Ty::Unknown {
                        self.push(TypeMismatch {
                            expected: "an attribute of a `levels` type".to_owned(),
                            found: ty.describe(),
                            span: attribute.span.into(),
                            help: Some(
                                "`amount by` looks the amount up by an attribute's level"
                                    .to_owned(),
                            ),
                        });
                    }
                    return;
                };
                let known = self.level_names(&levels);
                let mut given: Vec<&Ident> = Vec::new();
                for (level, _) in entries {
                    if !known.contains(&level.name) {
                        let refs = known.iter().map(String::as_str).collect::<Vec<_>>();
                        self.unknown(&format!("level of `{levels}`"), level, &refs);
                    } else if let Some(first) = given.iter().find(|g| g.name == level.name) {
                        let first = first.span;
                        self.duplicate("level", level, first);
                    } else {
                        given.push(level);
                    }
                }
                let missing: Vec<&String> = known
                    .iter()
                    .filter(|k| !given.iter().any(|g| &g.name == *k))
                    .collect();
                if !missing.is_empty() {
                    self.push(MissingLevels {
                        missing: backticked(&missing),
                        span: table_span.into(),
                        help: Some(format!(
                            "give every level of `{levels}` an amount (write 0 for a level that earns nothing)"
                        )),
                    });
                }
            }
            Amount::ByRank {
                rank,
                of,
                top,
                bottom,
                ..
            } => {
                for attribute in [rank, of] {
                    let ty = self.record_attribute(
                        attribute,
                        scope.record,
                        rule.per.is_some(),
                        attribute.span,
                        "`amount by rank`",
                        context,
                    );
                    if let Some(ty) = ty {
                        if ty != Ty::Int && ty != Ty::Unknown {
                            self.push(TypeMismatch {
                                expected: "a whole number".to_owned(),
                                found: ty.describe(),
                                span: attribute.span.into(),
                                help: Some(
                                    "ranks and the number ranked are whole numbers (`integer`)"
                                        .to_owned(),
                                ),
                            });
                        }
                    }
                }
                for value in top.iter().chain(bottom) {
                    negative(self, value.value, value.span);
                }
                if top.is_empty() && bottom.is_empty() {
                    self.push(MissingPart {
                        part: "`top` or `bottom` amounts".to_owned(),
                        within: "the rank table".to_owned(),
                        span: rank.span.join(of.span).into(),
                        help: Some("list the amounts for the first places (`top 3, 2, 1`) and/or the last (`bottom -3, -2, -1`)".to_owned()),
                    });
                }
            }
            // Issue 13 §6: the office decides each record's amount, so the
            // rule needs records, and the range must not be empty.
            Amount::Discretion { from, to } => {
                negative(self, from.value, from.span);
                negative(self, to.value, to.span);
                if to.value < from.value {
                    self.push(ReversedDiscretion {
                        from: from.value.normalize().to_string(),
                        to: to.value.normalize().to_string(),
                        span: from.span.join(to.span).into(),
                    });
                }
                if rule.per.is_none() {
                    self.push(NeedsRecord {
                        what: "`amount discretion`".to_owned(),
                        context: context.to_owned(),
                        span: from.span.join(to.span).into(),
                    });
                }
            }
        }
    }

    fn annual(&mut self, annual: &AnnualDecl) {
        self.cite(annual.cite.as_ref());
        match annual.source.as_slice() {
            [] => self.push(MissingPart {
                part: "`from`".to_owned(),
                within: "`annual`".to_owned(),
                span: annual.span.into(),
                help: Some(
                    "say how the year is scored: `from pooled records` or `from sum of periods`"
                        .to_owned(),
                ),
            }),
            [(_, first, cite), rest @ ..] => {
                self.cite(cite.as_ref());
                for (_, span, _) in rest {
                    self.repeated("`from`", *span, *first);
                }
            }
        }
        if let Some(convert) = &annual.convert {
            self.cite(convert.cite.as_ref());
            self.positive("conversion weight", &convert.weight);
        }
    }

    fn group(&mut self, group: &GroupDecl) {
        self.cite(group.cite.as_ref());
        self.cite(group.assessed_cite.as_ref());
        if let Some((expr, cite)) = &group.average_when {
            self.cite(cite.as_ref());
            self.condition(expr, UNIT);
        }
    }

    fn target(&mut self, target: Option<&Ident>) {
        if let Some(group) = target {
            if !self.symbols.groups.contains_key(group.name.as_str()) {
                let names = self.symbols.groups.keys().copied().collect::<Vec<_>>();
                self.unknown("group", group, &names);
            }
        }
    }

    fn ranking(&mut self, ranking: &RankingDecl) {
        self.missing_citation("ranking", &ranking.name, ranking.cite.as_ref());
        self.target(Some(&ranking.group));
        if let Some(within) = &ranking.within {
            let declared: Vec<&str> = self
                .symbols
                .groups
                .get(ranking.group.name.as_str())
                .map(|g| g.attributes.iter().map(|a| a.name.name.as_str()).collect())
                .unwrap_or_default();
            if declared.contains(&within.name.as_str()) {
                self.used_attributes.insert(within.name.clone());
            } else {
                self.unknown(
                    &format!("unit attribute of `{}`", ranking.group.name),
                    within,
                    &declared,
                );
            }
        }
        let mut seen: Vec<&Ident> = Vec::new();
        for key in &ranking.keys {
            self.cite(key.cite.as_ref());
            if let Some(first) = seen.iter().find(|k| k.name == key.key.name) {
                let first = first.span;
                self.repeated(&format!("key `{}`", key.key.name), key.key.span, first);
                continue;
            }
            seen.push(&key.key);
            match key.key.name.as_str() {
                "total" | "discretion" => {}
                name => match self.symbols.unit_attributes.get(name).cloned() {
                    Some((ty, _)) => {
                        self.used_attributes.insert(name.to_owned());
                        if !ty.is_numeric() && ty != Ty::Date {
                            self.push(TypeMismatch {
                                expected: "a number or date attribute".to_owned(),
                                found: ty.describe(),
                                span: key.key.span.into(),
                                help: Some("a ranking key must have an order".to_owned()),
                            });
                        }
                    }
                    None => {
                        let mut names = vec!["total", "discretion"];
                        names.extend(self.symbols.unit_attributes.keys().copied());
                        self.unknown("ranking key", &key.key, &names);
                    }
                },
            }
        }
        if ranking.keys.is_empty() {
            self.push(MissingPart {
                part: "`by` key".to_owned(),
                within: format!("ranking `{}`", ranking.name.name),
                span: ranking.name.span.into(),
                help: Some("order the units: `by total desc`".to_owned()),
            });
        }
        for (condition, cite) in &ranking.only_when {
            self.condition(condition, UNIT);
            self.cite(cite.as_ref());
        }
        match &ranking.ties_shared {
            Some((_, cite)) => self.cite(cite.as_ref()),
            None => {
                let span = ranking
                    .keys
                    .last()
                    .map_or(ranking.name.span, |k| k.key.span);
                self.push(UnacknowledgedTies {
                    name: ranking.name.name.clone(),
                    span: span.into(),
                });
            }
        }
    }

    fn consequence(&mut self, decl: &ConsequenceDecl) {
        let what = match decl.kind {
            ConsequenceKind::Notice => "notice",
            ConsequenceKind::Flag => "flag",
        };
        self.missing_citation(what, &decl.name, decl.cite.as_ref());
        self.target(decl.target.as_ref());
        self.per_and_when(decl.per.as_ref(), &decl.when, true);
        self.steps(decl, what);
        if decl.per.is_none() && decl.when.is_empty() && decl.steps.is_empty() {
            self.push(MissingPart {
                part: "`when` or `per`".to_owned(),
                within: format!("{what} `{}`", decl.name.name),
                span: decl.name.span.into(),
                help: Some(
                    "say when it is issued: `when ranked bottom 3 for 2 consecutive periods`"
                        .to_owned(),
                ),
            });
        }
    }

    /// A measure's value that reads a derived attribute computed, directly
    /// or through other derived attributes, from `place(…)`, `peer_…(…)` or
    /// `measure(…)`: refused like a direct call. Derived attributes are
    /// matched by name over every record kind (a name shared by two kinds
    /// counts for both: when in doubt, refuse).
    fn measure_via_derived(&mut self, decl: &MeasureDecl) {
        let derived: Vec<&Derived> = self
            .file
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Record(record) => Some(record.derived.iter()),
                _ => None,
            })
            .flatten()
            .collect();
        // Derived attribute → the measure function it reads, to a fixed point.
        let mut reads: BTreeMap<&str, String> = BTreeMap::new();
        loop {
            let before = reads.len();
            for d in &derived {
                if reads.contains_key(d.name.name.as_str()) {
                    continue;
                }
                if let Some(function) = measure_read(&d.expr, &reads) {
                    reads.insert(&d.name.name, function);
                }
            }
            if reads.len() == before {
                break;
            }
        }
        let mut found = Vec::new();
        derived_reads(&decl.value, &reads, &mut found);
        for (name, function) in found {
            self.push(crate::diagnostics::MeasureInMeasure {
                function,
                via: format!(" (derived attribute `{}` reads it)", name.name),
                span: name.span.into(),
            });
        }
    }

    /// A measure (issue 13 §4): its group, citation and numeric value, which
    /// may not use the measure functions itself (a measure's value must not
    /// depend on the places or peers of any measure).
    fn measure(&mut self, decl: &MeasureDecl) {
        self.missing_citation("measure", &decl.name, decl.cite.as_ref());
        self.target(Some(&decl.group));
        self.in_measure = true;
        let ty = self.expr(&decl.value, UNIT);
        self.in_measure = false;
        self.measure_via_derived(decl);
        if !ty.fits(&Ty::Decimal) {
            self.push(TypeMismatch {
                expected: Ty::Decimal.describe(),
                found: ty.describe(),
                span: decl.value.span.into(),
                help: Some("a measure is a number units are placed by: `sum(project, done) / sum(project, planned)`".to_owned()),
            });
        }
    }

    /// An output (issue 13 §12): like a consequence's condition, it may read
    /// the unit's results; it must be a number.
    fn output(&mut self, decl: &OutputDecl) {
        self.missing_citation("output", &decl.name, decl.cite.as_ref());
        self.target(decl.target.as_ref());
        let scope = Scope {
            record: None,
            allow_ranked: true,
            unit: true,
            lenient: false,
        };
        let ty = self.expr(&decl.value, scope);
        if !ty.fits(&Ty::Decimal) {
            self.push(TypeMismatch {
                expected: Ty::Decimal.describe(),
                found: ty.describe(),
                span: decl.value.span.into(),
                help: Some(
                    "an output is a number: `min(100, 10 * steps(90 - total, 1))`".to_owned(),
                ),
            });
        }
    }

    /// The steps of an escalation ladder (issue 13 §2): names, groups, conditions.
    fn steps(&mut self, decl: &ConsequenceDecl, what: &str) {
        let scope = Scope {
            record: None,
            allow_ranked: true,
            unit: true,
            lenient: false,
        };
        let mut seen: Vec<(&str, Option<&str>, Span)> = Vec::new();
        for step in &decl.steps {
            self.condition(&step.when, scope);
            if decl.per.is_some() {
                self.push(MisplacedStep {
                    name: step.name.name.clone(),
                    problem: format!("is in {what} `{}`, which has `per`", decl.name.name),
                    span: step.name.span.into(),
                    help: Some(
                        "a ladder issues one step per unit: remove `per` and count the records in the steps' conditions (`when count(kind where …) >= 3`)"
                            .to_owned(),
                    ),
                });
            }
            let group = step.group.as_ref().map(|g| g.name.as_str());
            if let Some(g) = &step.group {
                self.target(Some(g));
                if let Some(target) = &decl.target {
                    if target.name != g.name && self.symbols.groups.contains_key(g.name.as_str()) {
                        self.push(MisplacedStep {
                            name: step.name.name.clone(),
                            problem: format!(
                                "is for group `{}`, but {what} `{}` applies only to `{}`",
                                g.name, decl.name.name, target.name
                            ),
                            span: g.span.into(),
                            help: Some(format!(
                                "write the step without `of {}`, or remove `of {}` from the {what} so that it applies to every group",
                                g.name, target.name
                            )),
                        });
                    }
                }
            }
            if let Some((_, _, first)) = seen
                .iter()
                .find(|(n, g, _)| *n == step.name.name && *g == group)
            {
                let first = *first;
                let kind = match group {
                    Some(g) => format!("step (for group `{g}`)"),
                    None => "step".to_owned(),
                };
                self.duplicate(&kind, &step.name, first);
            } else {
                seen.push((step.name.name.as_str(), group, step.name.span));
            }
        }
    }

    fn classify(&mut self, decl: &ClassifyDecl) {
        self.missing_citation("classification", &decl.name, decl.cite.as_ref());
        self.target(decl.target.as_ref());
        let scope = Scope {
            record: None,
            allow_ranked: true,
            unit: true,
            lenient: false,
        };
        let mut seen: Vec<&Ident> = Vec::new();
        let mut otherwise: Option<Span> = None;
        for arm in &decl.arms {
            if let Some(first) = seen.iter().find(|s| s.name == arm.name.name) {
                let first = first.span;
                self.duplicate("class", &arm.name, first);
            } else {
                seen.push(&arm.name);
            }
            if otherwise.is_some() {
                self.push(IncompleteClassification {
                    name: decl.name.name.clone(),
                    problem: "has a class after `otherwise`".to_owned(),
                    span: arm.span.into(),
                    help: Some("`otherwise` catches every unit left; put it last".to_owned()),
                });
            }
            match &arm.when {
                Some(when) => self.condition(when, scope),
                None => otherwise = otherwise.or(Some(arm.span)),
            }
        }
        if otherwise.is_none() {
            self.push(IncompleteClassification {
                name: decl.name.name.clone(),
                problem: "can leave a unit unclassified".to_owned(),
                span: decl.name.span.into(),
                help: Some(
                    "end with a class that takes the rest: `green \"绿\" otherwise`".to_owned(),
                ),
            });
        }
    }

    fn quota(&mut self, decl: &QuotaDecl) {
        self.missing_citation("quota", &decl.name, decl.cite.as_ref());
        self.target(decl.target.as_ref());
        let scope = Scope {
            record: None,
            allow_ranked: true,
            unit: true,
            lenient: false,
        };
        for (expr, _) in &decl.requires {
            self.condition(expr, scope);
        }
        if decl.requires.is_empty() {
            self.push(MissingPart {
                part: "`require`".to_owned(),
                within: format!("quota `{}`", decl.name.name),
                span: decl.name.span.into(),
                help: Some("state the quota: `require count(media_report) >= 2 \"…\"`".to_owned()),
            });
        }
    }

    /// Warnings for inputs and assumptions nothing uses.
    pub(super) fn check_usage(&mut self) {
        let file = self.file;
        if !file.items.iter().any(|i| matches!(i, Item::Score(_))) {
            // Without rules every input is "unused"; the missing block is the problem.
            return;
        }
        for item in &file.items {
            match item {
                Item::Record(decl) if !self.used_records.contains(&decl.name.name) => {
                    self.push(UnusedInput {
                        kind: "record kind".to_owned(),
                        name: decl.name.name.clone(),
                        span: decl.name.span.into(),
                    });
                }
                Item::Levels(decl) if !self.used_levels.contains(&decl.name.name) => {
                    self.push(UnusedInput {
                        kind: "levels type".to_owned(),
                        name: decl.name.name.clone(),
                        span: decl.name.span.into(),
                    });
                }
                Item::Group(decl) => {
                    for attribute in &decl.attributes {
                        if !self.used_attributes.contains(&attribute.name.name) {
                            self.push(UnusedInput {
                                kind: "unit attribute".to_owned(),
                                name: attribute.name.name.clone(),
                                span: attribute.name.span.into(),
                            });
                        }
                    }
                }
                Item::Assumption(decl) if !self.cited.contains(&decl.id.id) => {
                    self.push(UncitedAssumption {
                        id: decl.id.id.clone(),
                        span: decl.id.span.into(),
                    });
                }
                _ => {}
            }
        }
    }
}

/// The value of a constant amount expression (`5`, `-5`, `0.5`).
fn constant(expr: &Expr) -> Option<Decimal> {
    match &expr.kind {
        ExprKind::Number(n) => Some(*n),
        ExprKind::Unary(UnaryOp::Neg, inner) => constant(inner).map(|n| -n),
        _ => None,
    }
}

/// The measure function `expr` reads: called in it, or through a derived
/// attribute in `reads`.
fn measure_read(expr: &Expr, reads: &BTreeMap<&str, String>) -> Option<String> {
    let mut found = None;
    visit(expr, &mut |e| {
        if found.is_some() {
            return;
        }
        found = match &e.kind {
            ExprKind::Call { function, .. }
                if super::expr::MEASURE_FUNCTIONS.contains(&function.name.as_str()) =>
            {
                Some(function.name.clone())
            }
            ExprKind::Path(path) => match path.as_slice() {
                [name] => reads.get(name.name.as_str()).cloned(),
                _ => None,
            },
            _ => None,
        };
    });
    found
}

/// Every bare name in `expr` that is a derived attribute in `reads`, with
/// the function it reads.
fn derived_reads<'e>(
    expr: &'e Expr,
    reads: &BTreeMap<&str, String>,
    found: &mut Vec<(&'e Ident, String)>,
) {
    visit(expr, &mut |e| {
        if let ExprKind::Path(path) = &e.kind {
            if let [name] = path.as_slice() {
                if let Some(function) = reads.get(name.name.as_str()) {
                    found.push((name, function.clone()));
                }
            }
        }
    });
}

/// Calls `f` on `expr` and every expression inside it.
fn visit<'e>(expr: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    f(expr);
    match &expr.kind {
        ExprKind::Number(_)
        | ExprKind::Date(_)
        | ExprKind::Text(_)
        | ExprKind::Bool(_)
        | ExprKind::Path(_)
        | ExprKind::Ranked { .. } => {}
        ExprKind::Unary(_, inner) => visit(inner, f),
        ExprKind::Binary(_, lhs, rhs) => {
            visit(lhs, f);
            visit(rhs, f);
        }
        ExprKind::If(c, t, e) => {
            visit(c, f);
            visit(t, f);
            visit(e, f);
        }
        ExprKind::Count { filter, .. } => {
            if let Some(filter) = filter {
                visit(filter, f);
            }
        }
        ExprKind::Sum { value, filter, .. } => {
            visit(value, f);
            if let Some(filter) = filter {
                visit(filter, f);
            }
        }
        ExprKind::Call { args, .. } => {
            for arg in args {
                visit(arg, f);
            }
        }
        ExprKind::Bands { subject, .. } => visit(subject, f),
        ExprKind::Duration { amount, .. } => visit(amount, f),
    }
}
