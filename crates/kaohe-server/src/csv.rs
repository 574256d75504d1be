//! The ranking table as CSV, the same text as `rulec eval --format csv`
//! (the same rows as `rulec`'s renderer, `crates/rulec/src/render/evaluation.rs`,
//! with the one field rule of `kaohe_office::csv`;
//! a test compares the two outputs on the shipped rulesets).

use kaohe::eval::result::{Evaluation, NoticeKind, NoticeResult, UnitResult};
use kaohe_office::csv::field as csv_field;

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
