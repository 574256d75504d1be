//! The JSON Schema (draft 2020-12) of the fact files a ruleset accepts, for
//! systems that produce facts and want to validate them before calling kaohe.
//!
//! The schema states the shape; [`Facts::from_json`](crate::Facts::from_json)
//! additionally checks what a schema cannot (unit references, duplicate ids,
//! effective ranges, `reported` not after `as_of`).

use serde_json::{json, Map, Value as Json};

use crate::ruleset::Ruleset;
use crate::syntax::ast::{Field, PeriodUnit};

fn field_schema(ruleset: &Ruleset, field: &Field) -> Json {
    let mut schema = match field.ty.name.name.as_str() {
        "integer" => json!({"type": "integer"}),
        "decimal" => {
            json!({"oneOf": [{"type": "number"}, {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}]})
        }
        "date" => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        "text" => json!({"type": "string"}),
        "bool" => json!({"type": "boolean"}),
        levels => {
            let mut names: Vec<Json> = Vec::new();
            if let Some(decl) = ruleset.levels(levels) {
                for level in &decl.levels {
                    names.push(Json::String(level.name.name.clone()));
                    if let Some(label) = &level.label {
                        names.push(Json::String(label.text.clone()));
                    }
                }
            }
            json!({"enum": names})
        }
    };
    if let (Some(label), Some(object)) = (&field.label, schema.as_object_mut()) {
        object.insert("description".to_owned(), Json::String(label.text.clone()));
    }
    if field.ty.optional {
        schema = json!({"anyOf": [schema, {"type": "null"}]});
    }
    schema
}

fn attributes_schema(ruleset: &Ruleset, fields: &[Field]) -> Json {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        properties.insert(field.name.name.clone(), field_schema(ruleset, field));
        if !field.ty.optional {
            required.push(Json::String(field.name.name.clone()));
        }
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    })
}

/// The JSON Schema of `ruleset`'s fact files.
pub fn facts_schema(ruleset: &Ruleset) -> Json {
    let period = match ruleset.period_unit() {
        PeriodUnit::Month => {
            json!({"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "description": "a month, YYYY-MM"})
        }
        PeriodUnit::Quarter => {
            json!({"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$", "description": "a quarter, YYYY-Qn"})
        }
        PeriodUnit::Half => {
            json!({"type": "string", "pattern": "^[0-9]{4}-H[12]$", "description": "a half-year, YYYY-H1 or YYYY-H2"})
        }
        PeriodUnit::Week => {
            json!({"type": "string", "pattern": "^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$", "description": "an ISO 8601 week, YYYY-Wnn (W53 only in a year that has it)"})
        }
        PeriodUnit::Year => {
            json!({"type": "string", "pattern": "^[0-9]{4}$", "description": "a year, YYYY"})
        }
    };
    let date = json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"});
    let units: Vec<Json> = ruleset
        .groups()
        .map(|g| {
            json!({
                "type": "object",
                "description": g.label.as_ref().map_or(g.name.name.as_str(), |l| l.text.as_str()),
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "name": {"type": "string", "minLength": 1},
                    "group": {"const": g.name.name},
                    "attributes": attributes_schema(ruleset, &g.attributes)
                },
                "required": ["id", "name", "group"],
                "additionalProperties": false
            })
        })
        .collect();
    let records: Vec<Json> = ruleset
        .records()
        .map(|r| {
            json!({
                "type": "object",
                "description": r.label.as_ref().map_or(r.name.name.as_str(), |l| l.text.as_str()),
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "unit": {"type": "string", "minLength": 1},
                    "period": period,
                    "kind": {"const": r.name.name},
                    "count": {"type": "integer", "minimum": 0},
                    "reported": date,
                    "revision": {"type": "integer", "minimum": 0, "maximum": u32::MAX},
                    "attributes": attributes_schema(ruleset, &r.fields)
                },
                "required": ["unit", "period", "kind", "reported"],
                "additionalProperties": false
            })
        })
        .zip(ruleset.records())
        .map(|(schema, r)| decided_schema(ruleset, &r.name.name, schema))
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("kaohe facts for ruleset `{}`", ruleset.id()),
        "description": ruleset.title(),
        "type": "object",
        "properties": {
            "description": {"type": "string"},
            "as_of": date,
            "periods": {"type": "array", "items": period},
            "units": {"type": "array", "items": {"oneOf": units}},
            "records": {"type": "array", "items": {"oneOf": records}},
            "discretion": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
            }
        },
        "required": ["as_of", "units", "records"],
        "additionalProperties": false
    })
}

/// Adds `decided` to a record kind's schema when a rule counts the kind with
/// `amount discretion A to B` (issue 13 §6): a number (or a string holding
/// one, as for every number of a fact file) within the range — the range is
/// stated in the description, as an exact decimal is not a JSON Schema bound
/// without going through a float — and required when every record of the
/// kind needs a decision.
fn decided_schema(ruleset: &Ruleset, kind: &str, mut schema: Json) -> Json {
    let ranges: Vec<String> = ruleset
        .discretion_rules(kind)
        .map(|(rule, from, to)| {
            format!(
                "{} to {} (rule `{}`)",
                from.value.normalize(),
                to.value.normalize(),
                rule.name.name
            )
        })
        .collect();
    if ranges.is_empty() {
        return schema;
    }
    if let Some(properties) = schema.get_mut("properties").and_then(Json::as_object_mut) {
        properties.insert(
            "decided".to_owned(),
            json!({
                "type": ["number", "string"],
                "description": format!("the amount the office decided, within {}", ranges.join(" and "))
            }),
        );
    }
    if ruleset.decision_required(kind) {
        if let Some(required) = schema.get_mut("required").and_then(Json::as_array_mut) {
            required.push(json!("decided"));
        }
    }
    schema
}
