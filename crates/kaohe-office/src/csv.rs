//! CSV fields safe for a spreadsheet: the one quoting and formula-escaping
//! rule of every CSV kaohe writes (`rulec eval --format csv`, `rulec serve`).

/// One CSV field. Quoted when it holds a comma, a quote or a line break
/// (`\r` included: Excel splits a row at a bare `\r`, RFC 4180). Text a
/// spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or `\r` and is not a number such as `-1.5`; a unit named
/// `=HYPERLINK(…)`) gets a leading `'`, which Excel shows as text (CSV
/// injection, OWASP's advice). Used by `rulec eval --format csv` and `rulec serve`.
pub fn field(text: &str) -> String {
    let number = text.strip_prefix(['-', '+']).is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
    });
    let formula = text.chars().nth(1).is_some()
        && text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !number;
    let text = if formula {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::field as csv_field;

    #[test]
    fn fields_a_spreadsheet_would_misread_are_made_safe() {
        // Found by the breaker: a unit named `=HYPERLINK(…)` reached Excel as
        // a formula, and a name with `\r` split its row.
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("+86 123"), "'+86 123");
        assert_eq!(csv_field("-x"), "'-x");
        assert_eq!(csv_field("a\rb"), "\"a\rb\"");
        // Numbers, the unranked `-` and ordinary names stay as they are.
        for same in ["-1", "-0.5", "+3", "-", "100", "≈-0.3333", "教体局", "1="] {
            assert_eq!(csv_field(same), same);
        }
    }
}
