//! Consequences that are not points: notices and flags (on conditions, on
//! records, on the ranking history), classifications (red/yellow/green) and
//! quota reminders.

use super::expr::Ctx;
use super::result::{NoticeKind, NoticeResult};
use super::score::{all_hold, clauses};
use super::EvalError;
use crate::syntax::ast::{CapScope, ConsequenceKind, Ident, Item};
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
