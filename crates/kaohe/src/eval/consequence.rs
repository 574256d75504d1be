//! Consequences that are not points: notices and flags (on conditions, on
//! records, on the ranking history), classifications (red/yellow/green) and
//! quota reminders.

use super::expr::Ctx;
use super::result::{NoticeKind, NoticeResult};
use super::score::{all_hold, clauses};
use super::EvalError;
use crate::syntax::ast::{CapScope, ConsequenceDecl, ConsequenceKind, Ident, Item, Step};
use crate::value::Value;

fn applies(target: Option<&Ident>, group: &str, scope: CapScope, wanted: CapScope) -> bool {
    scope == wanted && target.is_none_or(|t| t.name == group)
}

/// A short description of a record for a notice: its attributes' values.
fn describe(record: &crate::facts::Record) -> String {
    let values: Vec<String> = record
        .attributes
        .iter()
        .filter(|(_, v)| !matches!(v, Value::Absent))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("{} {}: {}", record.kind, record.period, values.join(", "))
}

pub(crate) fn consequences(ctx: Ctx<'_>, scope: CapScope) -> Result<Vec<NoticeResult>, EvalError> {
    let mut notices = Vec::new();
    let group = ctx.unit.group.as_str();
    for item in &ctx.ruleset.syntax().items {
        match item {
            Item::Consequence(decl) if applies(decl.target.as_ref(), group, decl.scope, scope) => {
                let kind = match decl.kind {
                    ConsequenceKind::Notice => NoticeKind::Notice,
                    ConsequenceKind::Flag => NoticeKind::Flag,
                };
                let notice = |detail: Option<String>| NoticeResult {
                    kind,
                    name: decl.name.name.clone(),
                    label: decl.label.as_ref().map(|l| l.text.clone()),
                    class: None,
                    class_label: None,
                    clauses: clauses(decl.cite.as_ref()),
                    actions: decl.actions.iter().map(|a| a.text.clone()).collect(),
                    detail,
                };
                if !decl.steps.is_empty() {
                    if all_hold(&decl.when, &ctx)? {
                        if let Some(issued) = ladder(decl, &ctx)? {
                            notices.push(issued);
                        }
                    }
                    continue;
                }
                match &decl.per {
                    Some(per) => {
                        let kind = ctx.ruleset.kind_index_by_name(&per.kind.name);
                        for record in ctx.records.of_kind(kind) {
                            let rctx = ctx.with_record(record);
                            let selected = match &per.filter {
                                Some(f) => rctx.truth(f)?,
                                None => true,
                            };
                            if selected && all_hold(&decl.when, &rctx)? {
                                notices.push(notice(Some(describe(record))));
                            }
                        }
                    }
                    None => {
                        if all_hold(&decl.when, &ctx)? {
                            notices.push(notice(None));
                        }
                    }
                }
            }
            Item::Classify(decl) if applies(decl.target.as_ref(), group, decl.scope, scope) => {
                for arm in &decl.arms {
                    let holds = match &arm.when {
                        Some(w) => ctx.truth(w)?,
                        None => true,
                    };
                    if holds {
                        notices.push(NoticeResult {
                            kind: NoticeKind::Class,
                            name: decl.name.name.clone(),
                            label: decl.label.as_ref().map(|l| l.text.clone()),
                            class: Some(arm.name.name.clone()),
                            class_label: arm.label.as_ref().map(|l| l.text.clone()),
                            clauses: clauses(decl.cite.as_ref()),
                            actions: Vec::new(),
                            detail: None,
                        });
                        break;
                    }
                }
            }
            Item::Quota(decl) if applies(decl.target.as_ref(), group, decl.scope, scope) => {
                let mut unmet = Vec::new();
                for (i, (expr, label)) in decl.requires.iter().enumerate() {
                    if !ctx.truth(expr)? {
                        unmet.push(
                            label.as_ref().map_or_else(
                                || format!("requirement {}", i + 1),
                                |l| l.text.clone(),
                            ),
                        );
                    }
                }
                if !unmet.is_empty() {
                    notices.push(NoticeResult {
                        kind: NoticeKind::Quota,
                        name: decl.name.name.clone(),
                        label: decl.label.as_ref().map(|l| l.text.clone()),
                        class: None,
                        class_label: None,
                        clauses: clauses(decl.cite.as_ref()),
                        actions: decl.actions.iter().map(|a| a.text.clone()).collect(),
                        detail: Some(format!("not met: {}", unmet.join("; "))),
                    });
                }
            }
            _ => {}
        }
    }
    notices.sort();
    Ok(notices)
}

/// The unit's outputs that are not points (issue 13 §12), in declaration order.
pub(crate) fn outputs(
    ctx: Ctx<'_>,
    scope: CapScope,
) -> Result<Vec<super::result::OutputResult>, EvalError> {
    let group = ctx.unit.group.as_str();
    let mut out = Vec::new();
    for item in &ctx.ruleset.syntax().items {
        if let Item::Output(decl) = item {
            if applies(decl.target.as_ref(), group, decl.scope, scope) {
                out.push(super::result::OutputResult {
                    output: decl.name.name.as_str().into(),
                    label: decl.label.as_ref().map(|l| l.text.as_str().into()),
                    value: ctx.number(&decl.value)?,
                    clauses: clauses(decl.cite.as_ref()),
                });
            }
        }
    }
    Ok(out)
}

/// An escalation ladder (issue 13 §2): the steps in ladder order (where each
/// step's name first appears), each with the condition for `group` — the one
/// written `of group`, else the one written without `of`; a step with neither
/// cannot be reached by the group's units.
fn ladder_steps<'d>(decl: &'d ConsequenceDecl, group: &str) -> Vec<&'d Step> {
    let mut order: Vec<&str> = Vec::new();
    for step in &decl.steps {
        if !order.contains(&step.name.name.as_str()) {
            order.push(step.name.name.as_str());
        }
    }
    order
        .into_iter()
        .filter_map(|name| {
            let of_name = || decl.steps.iter().filter(move |s| s.name.name == name);
            of_name()
                .find(|s| s.group.as_ref().is_some_and(|g| g.name == group))
                .or_else(|| of_name().find(|s| s.group.is_none()))
        })
        .collect()
}

/// The highest step of a ladder the unit reached, as one notice whose
/// `class` is the step and whose detail names the step's place and the lower
/// steps also reached (they are not issued: only the highest step applies).
fn ladder(decl: &ConsequenceDecl, ctx: &Ctx<'_>) -> Result<Option<NoticeResult>, EvalError> {
    let steps = ladder_steps(decl, ctx.unit.group.as_str());
    let mut reached: Vec<(usize, &Step)> = Vec::new();
    for (place, step) in steps.iter().enumerate() {
        if ctx.truth(&step.when)? {
            reached.push((place, step));
        }
    }
    let Some(&(place, highest)) = reached.last() else {
        return Ok(None);
    };
    let name_of = |s: &Step| match &s.label {
        Some(l) => format!("{} \"{}\"", s.name.name, l.text),
        None => s.name.name.clone(),
    };
    let lower: Vec<String> = reached
        .iter()
        .rev()
        .skip(1)
        .map(|(_, s)| name_of(s))
        .collect();
    let mut detail = format!(
        "step {} of {}: {}",
        place + 1,
        steps.len(),
        name_of(highest)
    );
    if let Some(g) = &highest.group {
        detail.push_str(&format!(" (the threshold of group `{}`)", g.name));
    }
    if !lower.is_empty() {
        detail.push_str(&format!(
            "; also reached, not issued (only the highest step applies): {}",
            lower.join(", ")
        ));
    }
    // The step's label (its name without one) is the consequence; the
    // declaration's own actions follow.
    let step_label = highest
        .label
        .as_ref()
        .map_or_else(|| highest.name.name.clone(), |l| l.text.clone());
    let mut actions = vec![step_label];
    actions.extend(decl.actions.iter().map(|a| a.text.clone()));
    Ok(Some(NoticeResult {
        kind: match decl.kind {
            ConsequenceKind::Notice => NoticeKind::Notice,
            ConsequenceKind::Flag => NoticeKind::Flag,
        },
        name: decl.name.name.clone(),
        label: decl.label.as_ref().map(|l| l.text.clone()),
        class: Some(highest.name.name.clone()),
        class_label: highest.label.as_ref().map(|l| l.text.clone()),
        clauses: clauses(decl.cite.as_ref()),
        actions,
        detail: Some(detail),
    }))
}
