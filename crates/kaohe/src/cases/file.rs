//! Reading a case file: TOML into a [`Case`]. Unknown keys are errors, so that
//! a misspelt expectation (`totl = 95`) cannot pass silently.

use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use toml::{Table, Value};

use super::{Case, CaseError, Expectation, FactsSource, UnitExpectation};
use crate::period::Period;

const CASE_KEYS: [&str; 4] = ["description", "ruleset", "facts", "expect"];
const BLOCK_KEYS: [&str; 4] = ["period", "year", "units", "rejected"];
const UNIT_KEYS: [&str; 7] = [
    "total",
    "converted",
    "rank",
    "categories",
    "outputs",
    "notices",
    "classes",
];

pub(super) fn parse(path: &Path, text: String) -> Result<Case, CaseError> {
    let fail = |message: String| CaseError::Format {
        path: path.display().to_string(),
        message,
    };
    let table: Table = text
        .parse()
        .map_err(|e: toml::de::Error| fail(e.to_string()))?;
    unknown_keys(&table, &CASE_KEYS, "the case").map_err(fail)?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let description = match table.get("description") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(fail(format!("`description`: {}", expected("text", other)))),
    };
    let ruleset = match table.get("ruleset") {
        Some(Value::String(s)) => dir.join(s),
        Some(other) => return Err(fail(format!("`ruleset`: {}", expected("a path", other)))),
        None => {
            return Err(fail(
                "no `ruleset`: name the ruleset file, relative to the case file".to_owned(),
            ))
        }
    };
    let facts = match table.get("facts") {
        Some(Value::String(s)) => FactsSource::File(dir.join(s)),
        Some(Value::Table(t)) => FactsSource::Inline(to_json(&Value::Table(t.clone()))),
        Some(other) => {
            return Err(fail(format!(
                "`facts`: {}",
                expected("a path or a [facts] table", other)
            )))
        }
        None => {
            return Err(fail(
                "no `facts`: give a fact file's path or a [facts] table".to_owned(),
            ))
        }
    };
    let blocks = match table.get("expect") {
        None => Vec::new(),
        Some(Value::Array(blocks)) => blocks.clone(),
        Some(other) => {
            return Err(fail(format!(
                "`expect`: {}",
                expected("[[expect]] blocks", other)
            )))
        }
    };
    if blocks.is_empty() {
        return Err(fail(
            "no [[expect]] block: the case expects nothing".to_owned(),
        ));
    }
    let mut expectations = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let Value::Table(block) = block else {
            return Err(fail(format!(
                "[[expect]] #{}: {}",
                i + 1,
                expected("a table", block)
            )));
        };
        expectations
            .push(expectation(block).map_err(|m| fail(format!("[[expect]] #{}: {m}", i + 1)))?);
    }
    Ok(Case {
        path: path.to_path_buf(),
        description,
        ruleset,
        facts,
        expectations,
        text,
    })
}

fn expectation(block: &Table) -> Result<Expectation, String> {
    unknown_keys(block, &BLOCK_KEYS, "an [[expect]] block")?;
    let scope = match (block.get("period"), block.get("year")) {
        (Some(Value::String(p)), None) => Period::from_str(p).map_err(|e| e.to_string())?,
        (None, Some(Value::Integer(y))) => {
            Period::Year(i32::try_from(*y).map_err(|_| format!("`year = {y}` is not a year"))?)
        }
        (Some(_), Some(_)) => return Err("give `period` or `year`, not both".to_owned()),
        (Some(other), None) => {
            return Err(format!(
                "`period`: {}",
                expected("\"YYYY-MM\", \"YYYY-Qn\" or \"YYYY\"", other)
            ))
        }
        (None, Some(other)) => {
            return Err(format!(
                "`year`: {}",
                expected("a year such as 2023", other)
            ))
        }
        (None, None) => {
            return Err(
                "no `period` (\"2023-07\", \"2027-Q2\") or `year` (2023) to expect results for"
                    .to_owned(),
            )
        }
    };
    let mut units = Vec::new();
    match block.get("units") {
        None => {}
        Some(Value::Table(table)) => {
            for (unit, body) in table {
                let Value::Table(body) = body else {
                    return Err(format!("`units.{unit}`: {}", expected("a table", body)));
                };
                units.push(
                    unit_expectation(unit, body).map_err(|m| format!("`units.{unit}`: {m}"))?,
                );
            }
        }
        Some(other) => return Err(format!("`units`: {}", expected("a table of units", other))),
    }
    let rejected = match block.get("rejected") {
        None => None,
        Some(value) => Some(strings(value).map_err(|m| format!("`rejected`: {m}"))?),
    };
    Ok(Expectation {
        scope,
        units,
        rejected,
    })
}

fn unit_expectation(unit: &str, body: &Table) -> Result<UnitExpectation, String> {
    unknown_keys(body, &UNIT_KEYS, "a unit's expectations")?;
    let mut out = UnitExpectation {
        unit: unit.to_owned(),
        ..UnitExpectation::default()
    };
    if let Some(v) = body.get("total") {
        out.total = Some(decimal(v).map_err(|m| format!("`total`: {m}"))?);
    }
    if let Some(v) = body.get("converted") {
        out.converted = Some(decimal(v).map_err(|m| format!("`converted`: {m}"))?);
    }
    match body.get("rank") {
        None => {}
        Some(Value::Integer(r)) if *r >= 1 => {
            out.rank = Some(u32::try_from(*r).map_err(|_| format!("`rank = {r}` is too large"))?);
        }
        Some(other) => return Err(format!("`rank`: {}", expected("a rank, 1 or more", other))),
    }
    match body.get("categories") {
        None => {}
        Some(Value::Table(t)) => {
            for (name, v) in t {
                out.categories.push((
                    name.clone(),
                    decimal(v).map_err(|m| format!("`categories.{name}`: {m}"))?,
                ));
            }
        }
        Some(other) => {
            return Err(format!(
                "`categories`: {}",
                expected("a table of subtotals", other)
            ))
        }
    }
    match body.get("outputs") {
        None => {}
        Some(Value::Table(t)) => {
            for (name, v) in t {
                out.outputs.push((
                    name.clone(),
                    decimal(v).map_err(|m| format!("`outputs.{name}`: {m}"))?,
                ));
            }
        }
        Some(other) => {
            return Err(format!(
                "`outputs`: {}",
                expected("a table of output values", other)
            ))
        }
    }
    if let Some(v) = body.get("notices") {
        out.notices = Some(strings(v).map_err(|m| format!("`notices`: {m}"))?);
    }
    match body.get("classes") {
        None => {}
        Some(Value::Table(t)) => {
            for (name, v) in t {
                let Value::String(class) = v else {
                    return Err(format!("`classes.{name}`: {}", expected("a class name", v)));
                };
                out.classes.push((name.clone(), class.clone()));
            }
        }
        Some(other) => {
            return Err(format!(
                "`classes`: {}",
                expected("a table of classes", other)
            ))
        }
    }
    Ok(out)
}

fn unknown_keys(table: &Table, known: &[&str], what: &str) -> Result<(), String> {
    for key in table.keys() {
        if !known.contains(&key.as_str()) {
            let hint = crate::suggest::closest(key, known.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(format!(
                "unknown key `{key}` in {what} (expected one of {}){hint}",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "text",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

fn expected(what: &str, found: &Value) -> String {
    format!("expected {what}, found {}", type_name(found))
}

/// An exact decimal from `"93.5"`, `93` or `93.5`.
pub(super) fn decimal(value: &Value) -> Result<Decimal, String> {
    match value {
        Value::String(s) => {
            Decimal::from_str(s.trim()).map_err(|_| format!("`{s}` is not a decimal number"))
        }
        Value::Integer(i) => Ok(Decimal::from(*i)),
        Value::Float(f) => Decimal::from_str(&f.to_string())
            .map_err(|_| format!("`{f}` is not a decimal number (write it as a string)")),
        other => Err(expected("a number such as \"93.5\"", other)),
    }
}

fn strings(value: &Value) -> Result<Vec<String>, String> {
    let Value::Array(items) = value else {
        return Err(expected("an array of names", value));
    };
    items
        .iter()
        .map(|v| match v {
            Value::String(s) => Ok(s.clone()),
            other => Err(expected("a name", other)),
        })
        .collect()
}

/// A TOML value as the equivalent JSON: dates become `"YYYY-MM-DD"` strings,
/// floats keep the digits they print with.
fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Value::String(s) => Json::String(s.clone()),
        Value::Integer(i) => Json::Number((*i).into()),
        Value::Float(f) => serde_json::Number::from_str(&f.to_string())
            .map(Json::Number)
            .unwrap_or_else(|_| Json::String(f.to_string())),
        Value::Boolean(b) => Json::Bool(*b),
        Value::Datetime(d) => Json::String(d.to_string()),
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Table(t) => Json::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}
