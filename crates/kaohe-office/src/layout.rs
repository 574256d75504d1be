//! The ledger's layout: which sheets and columns a ruleset's ledger has,
//! derived from its input declarations (groups, record kinds, levels). The
//! template writes this layout and the import reads by it, so the two cannot
//! drift apart.
//!
//! Every data sheet has the same shape: row 1 holds the Chinese column headers
//! (the ruleset's labels), row 2 the machine names (`unit`, `period`, `tier` …),
//! which the import uses to find the columns, and data starts in row 3. The
//! instructions sheet `说明` holds the evaluation date in `B3`, an optional
//! description in `B4` and optional extra periods in `B5`.

use kaohe::syntax::ast::{Field, Item, PeriodUnit};
use kaohe::Ruleset;

/// The instructions sheet: evaluation date, description, periods, how to fill in.
pub const INFO_SHEET: &str = "说明";
/// The units sheet.
pub const UNITS_SHEET: &str = "单位";
/// The discretionary-order sheet (only when a ranking orders `by discretion`).
pub const DISCRETION_SHEET: &str = "酌定排序";

/// The header (row 1) of every record sheet's record id column (machine name `id`).
pub const RECORD_ID_LABEL: &str = "记录编号";
/// The header (row 1) of every record sheet's revision column (machine name `revision`).
pub const REVISION_LABEL: &str = "更正序号";

/// Row (0-based) of the Chinese column headers.
pub const LABEL_ROW: u32 = 0;
/// Row (0-based) of the machine column names.
pub const KEY_ROW: u32 = 1;
/// First data row (0-based): row 3 in Excel.
pub const FIRST_DATA_ROW: u32 = 2;
/// Data rows the template prepares (validation lists, formats).
pub const PREPARED_ROWS: u32 = 5_000;

/// `说明!B3`: the evaluation date (`as_of`), as (row, column), 0-based.
pub const AS_OF_CELL: (u32, u16) = (2, 1);
/// `说明!B4`: the description.
pub const DESCRIPTION_CELL: (u32, u16) = (3, 1);
/// `说明!B5`: periods to evaluate even without records.
pub const PERIODS_CELL: (u32, u16) = (4, 1);

/// A level of a `levels` type (or a group), by name and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The machine name (`provincial`).
    pub name: String,
    /// The label the office sees (`省级主要媒体`), if declared.
    pub label: Option<String>,
}

impl Choice {
    /// What the office types or picks: the label, else the name.
    pub fn shown(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// Free text.
    Text,
    /// A whole number.
    Integer,
    /// An exact decimal number.
    Decimal,
    /// A calendar date.
    Date,
    /// 是 / 否.
    Bool,
    /// One of the levels of a `levels` type.
    Levels(Vec<Choice>),
    /// A month or quarter, as the ruleset's period unit.
    Period(PeriodUnit),
    /// A period (month or quarter) or a year: the discretion sheet's key.
    PeriodOrYear,
    /// How many occurrences a record stands for: a whole number ≥ 0, empty means 1.
    Count,
    /// A unit id from the units sheet.
    UnitRef,
    /// A record's revision (更正序号): a whole number ≥ 0, empty means none.
    Revision,
    /// The office's decided amount (酌定分值) within the ranges given
    /// (from, to), a number. Shown as `5 to 10` / `5 至 10`, never `-3–3`
    /// (a minus then a dash).
    Decided(Vec<(String, String)>),
    /// One of the ruleset's groups.
    Group(Vec<Choice>),
}

impl ColumnType {
    /// What the column expects, for error messages: `a date YYYY-MM-DD`.
    pub fn expected(&self) -> String {
        match self {
            ColumnType::Text => "text".to_owned(),
            ColumnType::Integer => "a whole number".to_owned(),
            ColumnType::Decimal => "a number".to_owned(),
            ColumnType::Date => "a date YYYY-MM-DD".to_owned(),
            ColumnType::Bool => "是 or 否".to_owned(),
            ColumnType::Levels(choices) | ColumnType::Group(choices) => format!(
                "one of {}",
                choices
                    .iter()
                    .map(Choice::shown)
                    .collect::<Vec<_>>()
                    .join("/")
            ),
            ColumnType::Period(unit) => format!("a {} {}", unit.name(), unit.pattern()),
            ColumnType::PeriodOrYear => "a period YYYY-MM, YYYY-Qn or a year YYYY".to_owned(),
            ColumnType::Count => "a whole number 0 or more (empty means 1)".to_owned(),
            ColumnType::UnitRef => format!("a unit id listed on sheet {UNITS_SHEET}"),
            ColumnType::Revision => {
                format!("a whole number 0 or more ({REVISION_LABEL}; empty: none)")
            }
            ColumnType::Decided(ranges) => format!(
                "a number within {}",
                ranges
                    .iter()
                    .map(|(from, to)| format!("{from} to {to}"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        }
    }

    /// A hint for the office, shown when a cell of the column is selected.
    pub fn hint(&self) -> String {
        match self {
            ColumnType::Text => "填写文字".to_owned(),
            ColumnType::Integer => "填写整数".to_owned(),
            ColumnType::Decimal => "填写数字（可带小数）".to_owned(),
            ColumnType::Date => "填写日期，格式 YYYY-MM-DD，如 2026-04-15".to_owned(),
            ColumnType::Bool => "从下拉列表选择：是 / 否".to_owned(),
            ColumnType::Levels(_) | ColumnType::Group(_) => "从下拉列表选择".to_owned(),
            ColumnType::Period(PeriodUnit::Month) => {
                "填写月份，格式 YYYY-MM，如 2026-04".to_owned()
            }
            ColumnType::Period(PeriodUnit::Quarter) => {
                "填写季度，格式 YYYY-Qn，如 2026-Q2".to_owned()
            }
            ColumnType::Period(PeriodUnit::Half) => {
                "填写半年，格式 YYYY-H1（上半年）或 YYYY-H2（下半年），如 2026-H1".to_owned()
            }
            ColumnType::Period(PeriodUnit::Week) => {
                "填写周次（ISO 周，周一至周日），格式 YYYY-Wnn，如 2026-W14".to_owned()
            }
            ColumnType::Period(PeriodUnit::Year) => "填写年份，格式 YYYY，如 2026".to_owned(),
            ColumnType::PeriodOrYear => {
                "填写期间 YYYY-MM（或 YYYY-Qn），年度排序填年份 YYYY".to_owned()
            }
            ColumnType::Count => "次数，整数，不填即 1".to_owned(),
            ColumnType::UnitRef => format!("填写《{UNITS_SHEET}》表中的单位编号"),
            ColumnType::Revision => {
                "选填，整数 ≥ 0：同一记录编号的更正，序号大者为准；行的先后不算".to_owned()
            }
            ColumnType::Decided(ranges) => {
                let ranges: Vec<String> = ranges
                    .iter()
                    .map(|(from, to)| format!("{from} 至 {to}"))
                    .collect();
                format!("专班酌情确定的分值，须在 {} 分范围内", ranges.join("、"))
            }
        }
    }
}

/// What a column is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The unit's id (units sheet).
    UnitId,
    /// The unit's display name (units sheet).
    UnitName,
    /// The unit's group (units sheet).
    UnitGroup,
    /// The unit a record is about (record sheets, discretion sheet).
    Unit,
    /// The period a record is about (record sheets) or a discretionary order is for.
    Period,
    /// The day the record reached the office.
    Reported,
    /// How many occurrences.
    Count,
    /// The record's id (amendments).
    RecordId,
    /// The record's revision (更正序号), JSON key `revision`.
    Revision,
    /// The amount the office decided (酌定分值), JSON key `decided`, on the
    /// sheets of kinds a rule counts with `amount discretion A to B`.
    Decided,
    /// An attribute declared by the ruleset (of a group or a record kind).
    Attribute(String),
}

/// One column of a ledger sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The machine name in row 2: `unit`, `period`, `reported`, `count`, `id`,
    /// or the attribute's name.
    pub key: String,
    /// The Chinese header in row 1.
    pub label: String,
    /// What it is for.
    pub role: Role,
    /// What it holds.
    pub ty: ColumnType,
    /// Whether a data row must fill it (for a unit attribute: for the groups that declare it).
    pub required: bool,
    /// For a unit attribute: the groups that declare it (empty otherwise).
    pub groups: Vec<String>,
}

/// One sheet of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// For a record sheet: the record kind.
    pub kind: Option<String>,
    /// What the sheet is, for the instructions (the kind's label).
    pub title: String,
    /// Its columns, in order.
    pub columns: Vec<Column>,
}

impl Sheet {
    /// The column with this machine name.
    pub fn column(&self, key: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.key == key)
    }
}

/// The whole ledger of a ruleset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The units sheet.
    pub units: Sheet,
    /// One sheet per record kind, in declaration order.
    pub records: Vec<Sheet>,
    /// The discretionary-order sheet, when some ranking orders `by discretion`.
    pub discretion: Option<Sheet>,
    /// Month or quarter.
    pub period_unit: PeriodUnit,
}

impl Layout {
    /// The ledger layout of `ruleset`.
    pub fn of(ruleset: &Ruleset) -> Layout {
        let period_unit = ruleset.period_unit();
        let mut taken: Vec<String> = vec![
            INFO_SHEET.to_owned(),
            UNITS_SHEET.to_owned(),
            DISCRETION_SHEET.to_owned(),
        ];
        let mut records = Vec::new();
        for decl in ruleset.records() {
            let kind = decl.name.name.clone();
            let title = decl
                .label
                .as_ref()
                .map_or_else(|| kind.clone(), |l| l.text.clone());
            let name = sheet_name(&title, &kind, &taken);
            taken.push(name.clone());
            let mut columns = vec![
                Column {
                    key: "unit".to_owned(),
                    label: "单位编号".to_owned(),
                    role: Role::Unit,
                    ty: ColumnType::UnitRef,
                    required: true,
                    groups: Vec::new(),
                },
                Column {
                    key: "period".to_owned(),
                    label: format!("期间（{}）", period_unit.name_zh()),
                    role: Role::Period,
                    ty: ColumnType::Period(period_unit),
                    required: true,
                    groups: Vec::new(),
                },
                Column {
                    key: "reported".to_owned(),
                    label: "报送日期".to_owned(),
                    role: Role::Reported,
                    ty: ColumnType::Date,
                    required: true,
                    groups: Vec::new(),
                },
            ];
            for field in &decl.fields {
                let mut column = attribute_column(ruleset, field, Vec::new());
                if columns.iter().any(|c| c.key == column.key)
                    || ["count", "id", "revision", "decided"].contains(&column.key.as_str())
                {
                    column.key = format!("attributes.{}", column.key);
                }
                columns.push(column);
            }
            // Issue 13 §6: the office's decision, for a kind a rule counts
            // with `amount discretion A to B`; the hint states the range.
            // One range once, though several rules (one per `score of`
            // block) state it.
            let mut ranges: Vec<(String, String)> = Vec::new();
            for (_, from, to) in ruleset.discretion_rules(&kind) {
                let range = (
                    from.value.normalize().to_string(),
                    to.value.normalize().to_string(),
                );
                if !ranges.contains(&range) {
                    ranges.push(range);
                }
            }
            if !ranges.is_empty() {
                columns.push(Column {
                    key: "decided".to_owned(),
                    label: "酌定分值".to_owned(),
                    role: Role::Decided,
                    ty: ColumnType::Decided(ranges),
                    required: ruleset.decision_required(&kind),
                    groups: Vec::new(),
                });
            }
            columns.push(Column {
                key: "count".to_owned(),
                label: "次数".to_owned(),
                role: Role::Count,
                ty: ColumnType::Count,
                required: false,
                groups: Vec::new(),
            });
            columns.push(Column {
                key: "id".to_owned(),
                label: RECORD_ID_LABEL.to_owned(),
                role: Role::RecordId,
                ty: ColumnType::Text,
                required: false,
                groups: Vec::new(),
            });
            columns.push(Column {
                key: "revision".to_owned(),
                label: REVISION_LABEL.to_owned(),
                role: Role::Revision,
                ty: ColumnType::Revision,
                required: false,
                groups: Vec::new(),
            });
            records.push(Sheet {
                name,
                kind: Some(kind),
                title,
                columns,
            });
        }

        let groups: Vec<Choice> = ruleset
            .groups()
            .map(|g| Choice {
                name: g.name.name.clone(),
                label: g.label.as_ref().map(|l| l.text.clone()),
            })
            .collect();
        let mut unit_columns = vec![
            Column {
                key: "id".to_owned(),
                label: "单位编号".to_owned(),
                role: Role::UnitId,
                ty: ColumnType::Text,
                required: true,
                groups: Vec::new(),
            },
            Column {
                key: "name".to_owned(),
                label: "单位名称".to_owned(),
                role: Role::UnitName,
                ty: ColumnType::Text,
                required: true,
                groups: Vec::new(),
            },
            Column {
                key: "group".to_owned(),
                label: "单位分组".to_owned(),
                role: Role::UnitGroup,
                ty: ColumnType::Group(groups.clone()),
                required: true,
                groups: Vec::new(),
            },
        ];
        let group_count = groups.len();
        for group in ruleset.groups() {
            for field in &group.attributes {
                let name = &field.name.name;
                let existing = unit_columns.iter_mut().find(|c| {
                    matches!(&c.role, Role::Attribute(a) if a == name)
                        && c.ty == field_type(ruleset, field)
                });
                match existing {
                    Some(column) => column.groups.push(group.name.name.clone()),
                    None => {
                        let mut column =
                            attribute_column(ruleset, field, vec![group.name.name.clone()]);
                        if unit_columns.iter().any(|c| c.key == column.key) {
                            column.key = format!("{}.{}", group.name.name, name);
                        }
                        unit_columns.push(column);
                    }
                }
            }
        }
        for column in &mut unit_columns {
            if !column.groups.is_empty() && column.groups.len() < group_count {
                let only: Vec<&str> = column
                    .groups
                    .iter()
                    .filter_map(|g| groups.iter().find(|c| &c.name == g))
                    .map(Choice::shown)
                    .collect();
                column.label = format!("{}（仅{}）", column.label, only.join("、"));
            }
        }
        let units = Sheet {
            name: UNITS_SHEET.to_owned(),
            kind: None,
            title: "被考核单位".to_owned(),
            columns: unit_columns,
        };

        let uses_discretion = ruleset.syntax().items.iter().any(|item| {
            matches!(item, Item::Ranking(r) if r.keys.iter().any(|k| k.key.name == "discretion"))
        });
        let discretion = uses_discretion.then(|| Sheet {
            name: DISCRETION_SHEET.to_owned(),
            kind: None,
            title: "专班酌定排序（并列时使用，名列前者在前）".to_owned(),
            columns: vec![
                Column {
                    key: "period".to_owned(),
                    label: "期间（月份/季度，或年度 YYYY）".to_owned(),
                    role: Role::Period,
                    ty: ColumnType::PeriodOrYear,
                    required: true,
                    groups: Vec::new(),
                },
                Column {
                    key: "unit".to_owned(),
                    label: "单位编号（靠前者优先）".to_owned(),
                    role: Role::Unit,
                    ty: ColumnType::UnitRef,
                    required: true,
                    groups: Vec::new(),
                },
            ],
        });

        Layout {
            units,
            records,
            discretion,
            period_unit,
        }
    }

    /// Every data sheet, in workbook order (units, records, discretion).
    pub fn sheets(&self) -> impl Iterator<Item = &Sheet> {
        std::iter::once(&self.units)
            .chain(self.records.iter())
            .chain(self.discretion.iter())
    }

    /// The record sheet of a kind.
    pub fn record_sheet(&self, kind: &str) -> Option<&Sheet> {
        self.records
            .iter()
            .find(|s| s.kind.as_deref() == Some(kind))
    }
}

/// The levels of a `levels` type, if the ruleset declares it.
pub fn levels(ruleset: &Ruleset, name: &str) -> Option<Vec<Choice>> {
    ruleset.syntax().items.iter().find_map(|item| match item {
        Item::Levels(l) if l.name.name == name => Some(
            l.levels
                .iter()
                .map(|d| Choice {
                    name: d.name.name.clone(),
                    label: d.label.as_ref().map(|l| l.text.clone()),
                })
                .collect(),
        ),
        _ => None,
    })
}

fn field_type(ruleset: &Ruleset, field: &Field) -> ColumnType {
    match field.ty.name.name.as_str() {
        "integer" => ColumnType::Integer,
        "decimal" => ColumnType::Decimal,
        "date" => ColumnType::Date,
        "text" => ColumnType::Text,
        "bool" => ColumnType::Bool,
        other => ColumnType::Levels(levels(ruleset, other).unwrap_or_default()),
    }
}

fn attribute_column(ruleset: &Ruleset, field: &Field, groups: Vec<String>) -> Column {
    let name = field.name.name.clone();
    let mut label = field
        .label
        .as_ref()
        .map_or_else(|| name.clone(), |l| l.text.clone());
    if field.ty.optional {
        label.push_str("（选填）");
    }
    Column {
        key: name.clone(),
        label,
        role: Role::Attribute(name),
        ty: field_type(ruleset, field),
        required: !field.ty.optional,
        groups,
    }
}

/// Whether Excel accepts `name` as a sheet name.
pub fn valid_sheet_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.encode_utf16().count() <= 31
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
        && !name.eq_ignore_ascii_case("history")
}

/// The label if Excel accepts it and it is free, else the kind's name
/// (shortened and numbered if need be).
fn sheet_name(label: &str, kind: &str, taken: &[String]) -> String {
    let free = |n: &str| !taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    if valid_sheet_name(label) && free(label) {
        return label.to_owned();
    }
    let base: String = kind.chars().take(28).collect();
    if valid_sheet_name(&base) && free(&base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}_{i}"))
        .find(|n| free(n))
        .unwrap_or(base)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names() {
        assert!(valid_sheet_name("正面媒体报道"));
        assert!(!valid_sheet_name("a/b"));
        assert!(!valid_sheet_name(&"长".repeat(32)));
        let taken = vec!["说明".to_owned(), "media".to_owned()];
        assert_eq!(sheet_name("报道", "media", &taken), "报道");
        assert_eq!(sheet_name("说明", "info", &taken), "info");
        assert_eq!(sheet_name("a:b", "media", &taken), "media_2");
    }
}
