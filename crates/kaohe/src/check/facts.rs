//! Warnings about a valid fact file: what the ruleset would silently ignore
//! (issue 12 §7: a `discretion` order for a period or year that no ranking
//! breaks ties `by discretion` in; validation, `crate::facts`, accepts such a
//! file, since the order is well formed, and this check, run between
//! validation and evaluation, says that it changes nothing), and what
//! validation found worth telling (issue 17: two units with one name).

use serde::Serialize;

use crate::facts::Facts;
use crate::period::Period;
use crate::ruleset::Ruleset;
use crate::syntax::ast::{CapScope, Item};

/// A warning about a fact file: the facts are valid and can be evaluated, but
/// part of them has no effect. Serialises as
/// `{"code", "severity": "warning", "message", "help", "path"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct FactWarning {
    /// The stable code, e.g. `kaohe::facts::unused_discretion`.
    pub code: &'static str,
    /// Always `warning`.
    pub severity: crate::diagnostics::Severity,
    /// What is ignored.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Where, as a JSON path: `$.discretion["2026-04"]`.
    pub path: String,
}

/// The code of a discretionary order no ranking uses.
pub const UNUSED_DISCRETION: &str = "kaohe::facts::unused_discretion";

/// The code of a fact file that lists no unit: valid, but its evaluation
/// scores and ranks nobody.
pub const NO_UNITS: &str = "kaohe::facts::no_units";

/// Warnings about `facts`: first those found while reading them
/// ([`Facts::warnings`]: two units with one name, `kaohe::facts::duplicate_name`),
/// then the parts of them that `ruleset` ignores, in the order of the
/// periods: each `discretion` order for a period (or year) for which the
/// ruleset has no per-period (per-year) ranking with a `by discretion` key;
/// last `kaohe::facts::no_units` when `units` is empty (the evaluation then
/// has no result at all, which an office would otherwise read as "nothing
/// to report").
pub fn fact_warnings(ruleset: &Ruleset, facts: &Facts) -> Vec<FactWarning> {
    let mut warnings = facts.warnings().to_vec();
    warnings.extend(unused_discretion(ruleset, facts));
    if facts.units.is_empty() {
        warnings.push(FactWarning {
            code: NO_UNITS,
            severity: crate::diagnostics::Severity::Warning,
            message: "the fact file lists no units: nobody is scored or ranked".to_owned(),
            help: Some(
                "list every assessed unit under `units`, each with its `id`, `name` and `group`"
                    .to_owned(),
            ),
            path: "$.units".to_owned(),
        });
    }
    warnings
}

/// `kaohe::facts::unused_discretion` warnings, in the order of the periods.
fn unused_discretion(ruleset: &Ruleset, facts: &Facts) -> Vec<FactWarning> {
    let uses_discretion = |scope: CapScope| {
        ruleset.syntax().items.iter().any(|item| match item {
            Item::Ranking(r) => {
                r.scope == scope && r.keys.iter().any(|k| k.key.name == "discretion")
            }
            _ => false,
        })
    };
    let (per_period, per_year) = (
        uses_discretion(CapScope::Period),
        uses_discretion(CapScope::Year),
    );
    facts
        .discretion
        .iter()
        .filter(|(period, order)| {
            // Under `period year` a year is the period: its per-period ranking.
            let used = match period {
                Period::Year(_) if !period.is_unit(ruleset.period_unit()) => per_year,
                _ => per_period,
            };
            !used && !order.is_empty()
        })
        .map(|(period, _)| {
            let path = crate::facts::member_path("$.discretion", &period.to_string());
            let (what, scope) = match period {
                Period::Year(_) if !period.is_unit(ruleset.period_unit()) => ("year", "per year"),
                _ => ("period", "per period"),
            };
            FactWarning {
                code: UNUSED_DISCRETION,
                severity: crate::diagnostics::Severity::Warning,
                message: format!(
                    "the discretionary order for {what} {period} is ignored: no {scope} ranking of ruleset `{}` breaks ties `by discretion`",
                    ruleset.id()
                ),
                help: Some(format!(
                    "remove `{path}`, or, if the rulebook lets the office order tied units, add `by discretion` as the last key of the {scope} ranking"
                )),
                path,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn ruleset(text: &str) -> Ruleset {
        Ruleset::from_source(SourceFile::new("r.rules", text)).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Miluo's April example with a discretionary order for `period`.
    fn miluo_with_discretion(ruleset: &Ruleset, period: &str) -> Facts {
        let text = include_str!("../../../../rulesets/miluo-2026/examples/2026-04.json");
        let mut json: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let ids: Vec<serde_json::Value> = json["units"]
            .as_array()
            .map(|units| units.iter().take(2).map(|u| u["id"].clone()).collect())
            .unwrap_or_default();
        json["discretion"] = serde_json::json!({ period: ids });
        Facts::from_json(ruleset, &json.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_discretionary_order_no_ranking_uses_is_a_warning() {
        let miluo = ruleset(include_str!(
            "../../../../rulesets/miluo-2026/miluo-2026.rules"
        ));
        for period in ["2026-04", "2026"] {
            let facts = miluo_with_discretion(&miluo, period);
            let warnings = fact_warnings(&miluo, &facts);
            assert_eq!(warnings.len(), 1, "{period}: {warnings:?}");
            let json = serde_json::to_value(&warnings[0]).unwrap_or_default();
            assert_eq!(json["code"], "kaohe::facts::unused_discretion");
            assert_eq!(json["severity"], "warning");
            assert_eq!(json["path"], format!("$.discretion[\"{period}\"]"));
            assert!(
                warnings[0].message.contains("is ignored"),
                "{}",
                warnings[0].message
            );
        }
        // Without the order, nothing to say.
        let plain = include_str!("../../../../rulesets/miluo-2026/examples/2026-04.json");
        let facts = Facts::from_json(&miluo, plain).unwrap_or_else(|e| panic!("{e}"));
        assert!(fact_warnings(&miluo, &facts).is_empty());
    }

    #[test]
    fn a_discretionary_order_a_ranking_uses_is_not_a_warning() {
        let shaodong = ruleset(include_str!(
            "../../../../rulesets/shaodong-2023/shaodong-2023.rules"
        ));
        let text = include_str!("../../../../rulesets/shaodong-2023/examples/2023-h2.json");
        let facts = Facts::from_json(&shaodong, text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!facts.discretion.is_empty());
        assert!(fact_warnings(&shaodong, &facts).is_empty());
    }

    /// `"units": []` is valid but evaluates to no result at all: a warning
    /// at `$.units`, the last one; one unit is enough to silence it.
    #[test]
    fn a_fact_file_without_units_is_a_warning() {
        let miluo = ruleset(include_str!(
            "../../../../rulesets/miluo-2026/miluo-2026.rules"
        ));
        let empty = r#"{"as_of": "2026-05-10", "units": [], "records": []}"#;
        let facts = Facts::from_json(&miluo, empty).unwrap_or_else(|e| panic!("{e}"));
        let warnings = fact_warnings(&miluo, &facts);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let json = serde_json::to_value(&warnings[0]).unwrap_or_default();
        assert_eq!(json["code"], "kaohe::facts::no_units");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["path"], "$.units");
        assert!(miluo.evaluate(&facts).is_ok_and(|e| e.results.is_empty()));
        let one = r#"{"as_of": "2026-05-10", "units": [{"id": "jtj", "name": "教体局", "group": "lead"}], "records": []}"#;
        let facts = Facts::from_json(&miluo, one).unwrap_or_else(|e| panic!("{e}"));
        assert!(fact_warnings(&miluo, &facts).is_empty());
    }
}
