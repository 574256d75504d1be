//! The blank ledger (台账) of a ruleset: an `.xlsx` workbook generated from the
//! ruleset's input declarations, for an office to fill in and read back with
//! [`import`](crate::import::import).
//!
//! Sheets, in order:
//!
//! - `说明` — the evaluation date (`B3`, required), a description (`B4`) and
//!   periods to evaluate without records (`B5`), then how to fill in the ledger
//!   and what each sheet holds.
//! - `单位` — one row per unit: id, name, group (a drop-down list of the
//!   ruleset's groups) and the groups' attributes.
//! - one sheet per record kind, named by its label (or its name when the label
//!   cannot be a sheet name): unit id, period, reported date, the kind's
//!   attributes, count, record id.
//! - `酌定排序` — only when a ranking orders `by discretion`: period (or year)
//!   and unit id, best first.
//!
//! Row 1 of each data sheet holds the Chinese headers, row 2 the machine names
//! the import reads the columns by (grey; do not edit), data starts in row 3.
//! Columns of `levels` attributes, groups and `bool`s get drop-down lists of
//! their labels; date columns a date format; id and period columns the text
//! format, so that Excel keeps `2026-04` as typed. See [`crate::layout`].

use kaohe::Ruleset;
use rust_xlsxwriter::{
    utility::row_col_to_cell_absolute, Color, DataValidation, DataValidationErrorStyle,
    DataValidationRule, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook,
    Worksheet, XlsxError,
};

use crate::layout::{
    Column, ColumnType, Layout, Sheet, AS_OF_CELL, DESCRIPTION_CELL, FIRST_DATA_ROW, INFO_SHEET,
    KEY_ROW, LABEL_ROW, PERIODS_CELL, PREPARED_ROWS, UNITS_SHEET,
};

/// Why the template could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The workbook writer failed.
    #[error("cannot write the ledger workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// The blank ledger of `ruleset`, as the bytes of an `.xlsx` file.
pub fn template(ruleset: &Ruleset) -> Result<Vec<u8>, TemplateError> {
    let layout = Layout::of(ruleset);
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    info_sheet(workbook.add_worksheet(), ruleset, &layout, &styles)?;
    for sheet in layout.sheets() {
        let worksheet = workbook.add_worksheet();
        data_sheet(worksheet, sheet, &layout, &styles)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// Formats shared by the ledger's sheets.
pub(crate) struct Styles {
    pub(crate) title: Format,
    pub(crate) subtitle: Format,
    pub(crate) header: Format,
    pub(crate) key: Format,
    pub(crate) input: Format,
    pub(crate) input_date: Format,
    pub(crate) input_text: Format,
    pub(crate) bold: Format,
    pub(crate) wrap: Format,
    pub(crate) text: Format,
    pub(crate) date: Format,
}

/// The sheet title of ledgers and bulletins: bold, large, official red.
pub(crate) fn title_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_color(Color::RGB(0xC00000))
}

/// The grey line under a sheet title.
pub(crate) fn subtitle_format() -> Format {
    Format::new().set_font_color(Color::RGB(0x595959))
}

/// Column headers of ledgers and bulletins.
pub(crate) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

impl Styles {
    pub(crate) fn new() -> Styles {
        let input = Format::new()
            .set_background_color(Color::RGB(0xFFF2CC))
            .set_border(FormatBorder::Thin);
        Styles {
            title: title_format(),
            subtitle: subtitle_format(),
            header: header_format(),
            key: Format::new()
                .set_italic()
                .set_font_size(9)
                .set_font_color(Color::RGB(0x808080))
                .set_background_color(Color::RGB(0xF2F2F2))
                .set_num_format("@"),
            input_date: input.clone().set_num_format("yyyy-mm-dd"),
            input_text: input.clone().set_num_format("@"),
            input,
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

/// Display width of a text, counting CJK characters twice.
pub(crate) fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// Excel's limit for a validation's input title.
fn short(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn info_sheet(
    ws: &mut Worksheet,
    ruleset: &Ruleset,
    layout: &Layout,
    styles: &Styles,
) -> Result<(), TemplateError> {
    ws.set_name(INFO_SHEET)?;
    ws.set_tab_color(Color::RGB(0xC00000));
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 28)?;
    ws.set_column_width(2, 90)?;
    ws.write_string_with_format(0, 0, format!("{}·台账", ruleset.title()), &styles.title)?;
    let effective = ruleset
        .effective()
        .map(|(from, to)| format!(" · 有效期 {from} 至 {to}"))
        .unwrap_or_default();
    ws.write_string_with_format(
        1,
        0,
        format!(
            "规则 {} · {}{effective} · 由 rulec template 生成",
            ruleset.id(),
            short(ruleset.hash(), 19)
        ),
        &styles.subtitle,
    )?;

    let (row, col) = AS_OF_CELL;
    ws.write_string_with_format(row, 0, "评估日期", &styles.bold)?;
    ws.write_blank(row, col, &styles.input_date)?;
    ws.write_string_with_format(
        row,
        2,
        "必填。评估（截止）日期，YYYY-MM-DD。整改期限按此日判断；任何记录的报送日期不得晚于此日。",
        &styles.wrap,
    )?;
    let date_rule = DataValidation::new()
        .allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(1900, 1, 1)?,
            ExcelDateTime::from_ymd(9999, 12, 31)?,
        ))
        .set_input_title("评估日期")?
        .set_input_message("填写日期，如 2026-05-20")?;
    ws.add_data_validation(row, col, row, col, &date_rule)?;

    let (row, col) = DESCRIPTION_CELL;
    ws.write_string_with_format(row, 0, "说明", &styles.bold)?;
    ws.write_blank(row, col, &styles.input)?;
    ws.write_string_with_format(
        row,
        2,
        format!(
            "选填。本台账是什么，如“{}台账”。",
            period_words(layout.period_unit).title
        ),
        &styles.wrap,
    )?;
    let (row, col) = PERIODS_CELL;
    ws.write_string_with_format(row, 0, "评估期间", &styles.bold)?;
    ws.write_blank(row, col, &styles.input_text)?;
    let first: kaohe::Period = layout
        .period_unit
        .example()
        .parse()
        .unwrap_or(kaohe::Period::Year(2026));
    let example = format!("{first}, {}", first.next());
    ws.write_string_with_format(
        row,
        2,
        format!(
            "选填。没有任何记录也要评估的期间，用逗号分隔，如 {example}。不填则评估有记录的期间。"
        ),
        &styles.wrap,
    )?;

    let mut row = 6;
    ws.write_string_with_format(row, 0, "填写须知", &styles.bold)?;
    // The period as the ruleset counts it (month, quarter, half-year, ISO
    // week or year): never months and quarters under `period week`.
    let words = period_words(layout.period_unit);
    let notes = [
        "每张表第1行是中文列名，第2行（灰色）是机器列名，导入时按第2行识别各列，请勿修改或删除这两行；从第3行起每行填写一条。可以在右侧增加第2行为空的备注列，导入时忽略。".to_owned(),
        format!("《{UNITS_SHEET}》表：每个被考核单位一行。单位编号建议用字母（如 jyj），各记录表以此编号指明单位；单位分组从下拉列表选择。"),
        format!("各记录表：每一件事实一行。期间为事实所属的{}，报送日期为该事实报到专班的日期；次数不填即为 1；记录编号选填，同一单位同一编号的记录以最后报送的为准（更正）；更正序号选填（整数 ≥ 0），只按此列认定更正的先后，行的顺序不算。", words.which),
        "数字照实填写：百分比列（列名带 %）填 30 而不是 30%，不要使用百分比、千分比格式；不要合并单元格，每行都填满；不要在内容前后加空格；数字、字母、括号用半角（如 12、jyj），下拉列表中的项请直接选择。".to_owned(),
        format!("日期填 YYYY-MM-DD（如 2026-04-15）或使用日期格式的单元格；期间填 {}（如 {}）{}。有下拉列表的列请从列表选择。", layout.period_unit.pattern(), layout.period_unit.example(), words.note),
        "导入：rulec import 规则文件 本台账.xlsx -o facts.json。有任何错误时逐条列出“表名!单元格”，不写出任何文件；改正后重新导入。也可直接 rulec eval 规则文件 本台账.xlsx。".to_owned(),
        "请勿改动表名；不要增加其他工作表（导入时会报错）。".to_owned(),
    ];
    for (i, note) in notes.iter().enumerate() {
        row += 1;
        ws.write_string(row, 0, format!("{}.", i + 1))?;
        ws.merge_range(row, 1, row, 2, note, &styles.wrap)?;
        ws.set_row_height(row, 32)?;
    }
    row += 2;
    ws.write_string_with_format(row, 0, "各表内容", &styles.bold)?;
    for sheet in layout.sheets() {
        row += 1;
        ws.write_string(row, 0, &sheet.name)?;
        ws.write_string(row, 1, &sheet.title)?;
        let columns: Vec<String> = sheet
            .columns
            .iter()
            .map(|c| format!("{}（{}）", c.label, c.key))
            .collect();
        ws.write_string_with_format(row, 2, columns.join("、"), &styles.wrap)?;
    }
    ws.set_active(true);
    Ok(())
}

/// How the `说明` sheet speaks of the ruleset's period (breaker's item 6):
/// the period a fact belongs to, an example ledger title, and a note on how
/// the period is written.
struct PeriodWords {
    /// `月份`, `季度`, `半年（上半年 H1、下半年 H2）`, `ISO 周`, `年度`.
    which: &'static str,
    /// `2026年4月`, `2026年第一季度`, … for `如“…台账”`.
    title: &'static str,
    /// What to know when typing the period, or nothing.
    note: &'static str,
}

fn period_words(unit: kaohe::syntax::ast::PeriodUnit) -> PeriodWords {
    match unit {
        kaohe::syntax::ast::PeriodUnit::Month => PeriodWords {
            which: "月份",
            title: "2026年4月",
            note: "",
        },
        kaohe::syntax::ast::PeriodUnit::Quarter => PeriodWords {
            which: "季度",
            title: "2026年第一季度",
            note: "，Q1 至 Q4 为第一至第四季度",
        },
        kaohe::syntax::ast::PeriodUnit::Half => PeriodWords {
            which: "半年（上半年或下半年）",
            title: "2026年上半年",
            note: "，H1 为上半年、H2 为下半年",
        },
        kaohe::syntax::ast::PeriodUnit::Week => PeriodWords {
            which: "周（ISO 周，周一至周日）",
            title: "2026年第14周",
            note: "，按 ISO 周编号，每周从周一开始，一年有 52 或 53 周，年初年末的周可能跨年",
        },
        kaohe::syntax::ast::PeriodUnit::Year => PeriodWords {
            which: "年度",
            title: "2026年度",
            note: "，只填年份",
        },
    }
}

fn data_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    layout: &Layout,
    styles: &Styles,
) -> Result<(), TemplateError> {
    ws.set_name(&sheet.name)?;
    if sheet.name == UNITS_SHEET {
        ws.set_tab_color(Color::RGB(0x2F5597));
    }
    ws.set_row_height(LABEL_ROW, 36)?;
    let unit_ids = unit_id_range(layout);
    let last = FIRST_DATA_ROW + PREPARED_ROWS - 1;
    for (i, column) in sheet.columns.iter().enumerate() {
        let col = u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        let width = display_width(&column.label).clamp(10, 40) + 2;
        ws.set_column_width(col, u32::try_from(width).unwrap_or(12))?;
        match column.ty {
            ColumnType::Date => {
                ws.set_column_format(col, &styles.date)?;
            }
            ColumnType::Text
            | ColumnType::UnitRef
            | ColumnType::Period(_)
            | ColumnType::PeriodOrYear => {
                ws.set_column_format(col, &styles.text)?;
            }
            _ => {}
        }
        ws.write_string_with_format(LABEL_ROW, col, &column.label, &styles.header)?;
        ws.write_string_with_format(KEY_ROW, col, &column.key, &styles.key)?;
        let validation = validation(column, &unit_ids)?;
        ws.add_data_validation(FIRST_DATA_ROW, col, last, col, &validation)?;
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    Ok(())
}

/// `'单位'!$A$3:$A$5002`: the unit ids, for the records' drop-down lists.
fn unit_id_range(layout: &Layout) -> String {
    let col = layout
        .units
        .columns
        .iter()
        .position(|c| c.key == "id")
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(0);
    format!(
        "='{UNITS_SHEET}'!{}:{}",
        row_col_to_cell_absolute(FIRST_DATA_ROW, col),
        row_col_to_cell_absolute(FIRST_DATA_ROW + PREPARED_ROWS - 1, col)
    )
}

fn validation(column: &Column, unit_ids: &str) -> Result<DataValidation, XlsxError> {
    let base = DataValidation::new();
    let rule = match &column.ty {
        ColumnType::Levels(choices) | ColumnType::Group(choices) => {
            let shown: Vec<&str> = choices.iter().map(|c| c.shown()).collect();
            // Excel's list is at most 255 characters; a longer one gets no list
            // (the import still checks every value).
            base.clone()
                .allow_list_strings(&shown)
                .unwrap_or_else(|_| base.clone().allow_any_value())
        }
        ColumnType::Bool => base.allow_list_strings(&["是", "否"])?,
        ColumnType::UnitRef => base.allow_list_formula(Formula::new(unit_ids)),
        ColumnType::Integer => {
            base.allow_whole_number(DataValidationRule::Between(i32::MIN, i32::MAX))
        }
        ColumnType::Count | ColumnType::Revision => {
            base.allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        }
        ColumnType::Decimal | ColumnType::Decided(_) => {
            base.allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
        }
        ColumnType::Date => base.allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(1900, 1, 1)?,
            ExcelDateTime::from_ymd(9999, 12, 31)?,
        )),
        ColumnType::Text | ColumnType::Period(_) | ColumnType::PeriodOrYear => {
            base.allow_any_value()
        }
    };
    let required = if column.required {
        "必填。"
    } else {
        "选填。"
    };
    let mut message = format!("{required}{}", column.ty.hint());
    if !column.groups.is_empty() {
        message.push_str("；只有声明此项的分组填写，其他分组留空");
    }
    rule.set_input_title(short(&column.label, 30))?
        .set_input_message(short(&message, 250))?
        .set_error_title("输入有误")?
        .set_error_message(short(
            &format!("{}（{}）", column.ty.hint(), column.label),
            250,
        ))
        .map(|v| v.set_error_style(DataValidationErrorStyle::Stop))
}
