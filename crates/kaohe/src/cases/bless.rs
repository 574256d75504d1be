//! `--bless`: writing the actual results into a case file's expected blocks
//! with `toml_edit`, so that comments, order and layout stay as they were.
//!
//! A stated value that differs is replaced (keeping the comment after it); a
//! value the evaluation no longer has (a rank of an unranked unit, a class not
//! given) is removed. A unit stated as an empty table (`jyj = {}`) is filled
//! with everything: total, converted, rank, categories, notices and classes. A
//! block without units is filled with every unit that has a result in its
//! period, one inline table per unit, and with the rejected records if any.

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::compare::{category_value, class_of, find, notice_names, rejected_in};
use super::{decimal_text, Case, Expectation, UnitExpectation};
use crate::eval::result::{Evaluation, UnitResult};

/// Whether a block is a `[[expect]]` table or an inline table in an array.
#[derive(Clone, Copy)]
enum Style {
    Standard,
    Inline,
}

pub(super) fn bless(case: &Case, evaluation: &Evaluation) -> Result<(String, usize), String> {
    let mut doc: DocumentMut = case.text().parse().map_err(|e| format!("{e}"))?;
    let mut changed = 0;
    let Some(expect) = doc.get_mut("expect") else {
        return Err("no [[expect]] blocks".to_owned());
    };
    for (i, block) in case.expectations.iter().enumerate() {
        let (table, style): (&mut dyn TableLike, Style) = match &mut *expect {
            Item::ArrayOfTables(blocks) => match blocks.get_mut(i) {
                Some(t) => (t, Style::Standard),
                None => return Err(format!("[[expect]] #{} not found", i + 1)),
            },
            Item::Value(Value::Array(blocks)) => {
                match blocks.get_mut(i).and_then(Value::as_inline_table_mut) {
                    Some(t) => (t, Style::Inline),
                    None => return Err(format!("[[expect]] #{} not found", i + 1)),
                }
            }
            _ => return Err("`expect` is not a list of blocks".to_owned()),
        };
        changed += bless_block(table, style, block, evaluation);
    }
    Ok((doc.to_string(), changed))
}

fn text(s: &str) -> Value {
    Value::from(s)
}

fn decimal(d: impl Into<crate::number::Number>) -> Value {
    Value::from(decimal_text(d))
}

fn names(items: &[String]) -> Value {
    let mut array = Array::new();
    for item in items {
        array.push(item.as_str());
    }
    Value::Array(array)
}

/// Replaces the value at `key`, keeping its comments and spacing, or inserts it.
fn set(table: &mut dyn TableLike, key: &str, value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

fn bless_block(
    table: &mut dyn TableLike,
    style: Style,
    block: &Expectation,
    evaluation: &Evaluation,
) -> usize {
    let mut changed = 0;
    let rejected = rejected_in(evaluation, block.scope);
    if let Some(expected) = &block.rejected {
        let mut expected = expected.clone();
        expected.sort();
        if expected != rejected {
            set(table, "rejected", names(&rejected));
            changed += 1;
        }
    }
    if block.units.is_empty() {
        let results: Vec<&UnitResult> = evaluation
            .results
            .iter()
            .filter(|r| r.period == block.scope)
            .collect();
        if !table.contains_key("units") {
            let container = match style {
                Style::Standard => Item::Table(Table::new()),
                Style::Inline => Item::Value(Value::InlineTable(InlineTable::new())),
            };
            table.insert("units", container);
        }
        if let Some(units) = table.get_mut("units").and_then(Item::as_table_like_mut) {
            for result in &results {
                units.insert(
                    &result.unit,
                    Item::Value(Value::InlineTable(everything(result))),
                );
                changed += 1;
            }
        }
        if block.rejected.is_none() && !rejected.is_empty() {
            set(table, "rejected", names(&rejected));
            changed += 1;
        }
        return changed;
    }
    let Some(units) = table.get_mut("units").and_then(Item::as_table_like_mut) else {
        return changed;
    };
    for expected in &block.units {
        let Some(result) = find(evaluation, block.scope, &expected.unit) else {
            continue;
        };
        let Some(entry) = units
            .get_mut(&expected.unit)
            .and_then(Item::as_table_like_mut)
        else {
            continue;
        };
        changed += bless_unit(entry, expected, result);
    }
    changed
}

/// Every expectation a result can meet, as one inline table.
fn everything(result: &UnitResult) -> InlineTable {
    let mut t = InlineTable::new();
    t.insert("total", decimal(result.total));
    if let Some(c) = result.converted {
        t.insert("converted", text(&c.to_string()));
    }
    if let Some(r) = result.rank {
        t.insert("rank", Value::from(i64::from(r)));
    }
    if !result.categories.is_empty() {
        let mut categories = InlineTable::new();
        for c in &result.categories {
            if let Some(v) = category_value(result, &c.category) {
                categories.insert(c.category.as_str(), decimal(v));
            }
        }
        t.insert("categories", Value::InlineTable(categories));
    }
    if !result.outputs.is_empty() {
        let mut outputs = InlineTable::new();
        for o in &result.outputs {
            outputs.insert(o.output.as_str(), decimal(o.value));
        }
        t.insert("outputs", Value::InlineTable(outputs));
    }
    t.insert("notices", names(&notice_names(result)));
    let mut classes = InlineTable::new();
    // Classes, and the step a ladder (a notice or flag with steps) issued.
    for n in &result.notices {
        if let Some(class) = &n.class {
            classes.insert(&n.name, text(class));
        }
    }
    if !classes.is_empty() {
        t.insert("classes", Value::InlineTable(classes));
    }
    t
}

fn bless_unit(entry: &mut dyn TableLike, expected: &UnitExpectation, result: &UnitResult) -> usize {
    if entry.is_empty() {
        let all = everything(result);
        let n = all.len();
        for (key, value) in all.iter() {
            entry.insert(key, Item::Value(value.clone()));
        }
        return n;
    }
    let mut changed = 0;
    if expected.total.is_some_and(|t| t != result.total) {
        set(entry, "total", decimal(result.total));
        changed += 1;
    }
    if let Some(want) = expected.converted {
        match result.converted {
            Some(c) if c != want => {
                set(entry, "converted", text(&c.to_string()));
                changed += 1;
            }
            None => {
                entry.remove("converted");
                changed += 1;
            }
            Some(_) => {}
        }
    }
    if let Some(want) = expected.rank {
        match result.rank {
            Some(r) if r != want => {
                set(entry, "rank", Value::from(i64::from(r)));
                changed += 1;
            }
            None => {
                entry.remove("rank");
                changed += 1;
            }
            Some(_) => {}
        }
    }
    if let Some(categories) = entry
        .get_mut("categories")
        .and_then(Item::as_table_like_mut)
    {
        for (category, want) in &expected.categories {
            match category_value(result, category) {
                Some(v) if v != *want => {
                    set(categories, category, decimal(v));
                    changed += 1;
                }
                None => {
                    categories.remove(category);
                    changed += 1;
                }
                Some(_) => {}
            }
        }
    }
    if let Some(outputs) = entry.get_mut("outputs").and_then(Item::as_table_like_mut) {
        for (output, want) in &expected.outputs {
            let actual = result
                .outputs
                .iter()
                .find(|o| o.output.as_str() == output)
                .map(|o| o.value);
            match actual {
                Some(v) if v != *want => {
                    set(outputs, output, decimal(v));
                    changed += 1;
                }
                None => {
                    outputs.remove(output);
                    changed += 1;
                }
                Some(_) => {}
            }
        }
    }
    if let Some(want) = &expected.notices {
        let actual = notice_names(result);
        let mut want = want.clone();
        want.sort();
        if want != actual {
            set(entry, "notices", names(&actual));
            changed += 1;
        }
    }
    if let Some(classes) = entry.get_mut("classes").and_then(Item::as_table_like_mut) {
        for (classification, want) in &expected.classes {
            match class_of(result, classification) {
                Some(c) if &c != want => {
                    set(classes, classification, text(&c));
                    changed += 1;
                }
                None => {
                    classes.remove(classification);
                    changed += 1;
                }
                Some(_) => {}
            }
        }
    }
    changed
}
