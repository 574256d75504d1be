//! The ranking table as CSV, the same text as `rulec eval --format csv`
//! (a copy of `rulec`'s renderer, `crates/rulec/src/render/evaluation.rs`;
//! a test compares the two outputs on the shipped rulesets).

use kaohe::eval::result::{Evaluation, NoticeKind, NoticeResult, UnitResult};

/// One CSV field. Quoted when it holds a comma, a quote or a line break
/// (`\r` included: Excel splits a row at a bare `\r`, RFC 4180). Text a
/// spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or `\r` and is not a number such as `-1.5`; a unit named
/// `=HYPERLINK(…)`) gets a leading `'`, which Excel shows as text (CSV
/// injection, OWASP's advice). The same in `rulec` and `kaohe-server`.
fn csv_field(text: &str) -> String {
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

/// A notice in a few words: `预警通知`, `红黄绿榜: 红`.
fn notice_text(n: &NoticeResult) -> String {
    let label = n.label.clone().unwrap_or_else(|| n.name.clone());
    match n.kind {
        NoticeKind::Class => format!(
            "{label}: {}",
            n.class_label
                .clone()
                .or_else(|| n.class.clone())
                .unwrap_or_default()
        ),
        _ => label,
    }
}

fn notices_text(result: &UnitResult) -> String {
    let mut texts: Vec<String> = Vec::new();
    for n in &result.notices {
        let t = notice_text(n);
        if !texts.contains(&t) {
            texts.push(t);
        }
    }
    texts.join("; ")
}

fn rank_text(result: &UnitResult, evaluation: &Evaluation) -> String {
    let Some(rank) = result.rank else {
        return "-".to_owned();
    };
    let tied = evaluation.is_tied(result);
    if tied {
        format!("{rank}=")
    } else {
        rank.to_string()
    }
}

/// The ranking table of every period and year in the evaluation, as CSV
/// (without the byte-order mark), as `rulec eval --format csv` prints it.
pub fn ranking(evaluation: &Evaluation) -> String {
    let category_labels: Vec<(String, String)> = evaluation
        .results
        .iter()
        .flat_map(|r| r.categories.iter())
        .fold(Vec::new(), |mut acc, c| {
            if !acc.iter().any(|(name, _)| name == &c.category) {
                acc.push((
                    c.category.to_string(),
                    c.label.as_ref().unwrap_or(&c.category).to_string(),
                ));
            }
            acc
        });
    let header_for = |converted: bool| {
        let mut header: Vec<String> = vec!["rank".into(), "unit".into(), "total".into()];
        if converted {
            header.push("converted".into());
        }
        header.extend(category_labels.iter().map(|(_, l)| l.clone()));
        header.push("notices".into());
        header
    };
    let row = |r: &UnitResult, converted: bool| {
        let mut row = vec![
            rank_text(r, evaluation),
            r.name.to_string(),
            r.total.normalize().to_string(),
        ];
        if converted {
            row.push(r.converted.map(|c| c.to_string()).unwrap_or_default());
        }
        for (name, _) in &category_labels {
            row.push(
                r.categories
                    .iter()
                    .find(|c| c.category == *name)
                    .and_then(|c| c.subtotal.or_else(|| c.bonuses.checked_sub(c.deductions)))
                    .map(|v| v.normalize().to_string())
                    .unwrap_or_default(),
            );
        }
        row.push(notices_text(r));
        row
    };
    {
        let converted = evaluation.results.iter().any(|r| r.converted.is_some());
        let provisional = evaluation.results.iter().any(|r| r.provisional);
        let mut header = header_for(converted);
        // The name has its own column here; the table's "unit" column is the name.
        header.remove(1);
        if provisional {
            header.push("provisional".into());
        }
        let mut out = String::from("period,unit,name,group,");
        out.push_str(
            &header
                .iter()
                .map(|h| csv_field(h))
                .collect::<Vec<_>>()
                .join(","),
        );
        for r in &evaluation.results {
            let mut cells = row(r, converted);
            cells.remove(1);
            let mut line = vec![
                r.period.to_string(),
                r.unit.to_string(),
                r.name.to_string(),
                r.group.to_string(),
            ];
            line.extend(cells);
            if provisional {
                line.push(if r.provisional { "yes" } else { "" }.to_owned());
            }
            out.push('\n');
            out.push_str(
                &line
                    .iter()
                    .map(|c| csv_field(c))
                    .collect::<Vec<_>>()
                    .join(","),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

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
