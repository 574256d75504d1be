//! The results as one self-contained web page (`rulec eval … --format html -o
//! bulletin.html`), styled like an official bulletin (工作专报): a red
//! masthead with the issuer and date, the ruleset's title and the period, then
//!
//! 1. the ranking table of each group (rank, unit, total, category subtotals,
//!    outputs that are not points, change against the previous period, board
//!    colour);
//! 2. the red/yellow/green board (every classification's classes with their units);
//! 3. each unit's score over the months, as an inline SVG line chart on a
//!    common scale, each point coloured by that month's board class;
//! 4. each unit's explanation, expandable (`<details>`): every line item with
//!    its clauses, caps and floors, and the records counted; then the unit's
//!    measures (value, place, the peers' highest and average) and outputs;
//! 5. notices (warnings, flags, quota reminders; a ladder's step in
//!    brackets), unresolved ties and records not applied.
//!
//! Everything is inline — CSS, SVG, no script, no font or image fetched — so
//! the file works when opened from disk and can be forwarded as it is. The
//! page shows one period: [`Scope::period`](crate::Scope), else the last month
//! or quarter evaluated.

use std::fmt::Write as _;

use kaohe::eval::result::{decimal_text as num, Evaluation, ItemKind, NoticeKind, UnitResult};
use kaohe::number::Number;
use kaohe::{Period, Ruleset};

use crate::bulletin::{
    categories, category_value, class_colour, classifications, focus, item_kind_label,
    measure_label, notice_kind_label, notice_text, period_label, place_text, provisional_mark,
    record_text, tables, Row, Scope, Table,
};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn signed(value: Number) -> String {
    if value.is_zero() {
        "0".to_owned()
    } else if value.is_negative() {
        format!("−{}", num(-value))
    } else {
        format!("+{}", num(value))
    }
}

const CHINESE_NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn section_number(i: usize) -> &'static str {
    CHINESE_NUMERALS.get(i).copied().unwrap_or("")
}

/// `2026年5月20日`.
fn chinese_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!(
            "{y}年{}月{}日",
            m.trim_start_matches('0'),
            d.trim_start_matches('0')
        ),
        _ => iso.to_owned(),
    }
}

/// The bulletin page of `evaluation`.
pub fn bulletin_html(ruleset: &Ruleset, evaluation: &Evaluation, scope: &Scope) -> String {
    let Some(period) = focus(evaluation, scope) else {
        return page(
            ruleset,
            evaluation,
            "",
            "<p>没有可评估的期间。</p>".to_owned(),
        );
    };
    let periods = [period];
    let tables = tables(ruleset, evaluation, &periods);
    let categories = categories(evaluation, &periods);
    let classifications: Vec<(String, String)> = classifications(ruleset)
        .into_iter()
        .filter(|(name, _)| {
            tables
                .iter()
                .flat_map(|t| &t.rows)
                .any(|r| r.class(name).is_some())
        })
        .collect();
    let results: Vec<&UnitResult> = evaluation
        .results
        .iter()
        .filter(|r| r.period == period)
        .collect();

    let mut body = String::new();
    let _ = write!(
        body,
        r#"<h2 class="doc-title">{}</h2><p class="doc-period">（{}考核结果）{}</p>"#,
        escape(ruleset.title()),
        escape(&period_label(period)),
        provisional_mark(evaluation, &[period])
    );
    body.push_str(&summary(evaluation, &tables, &classifications, period));

    let mut section = 0;
    let mut heading = |body: &mut String, id: &str, text: &str| {
        let _ = write!(
            body,
            r#"<h3 id="{id}">{}、{}</h3>"#,
            section_number(section),
            escape(text)
        );
        section += 1;
    };

    heading(&mut body, "ranking", "考核排名");
    for table in &tables {
        body.push_str(&ranking_table(table, &categories, &classifications));
    }

    if !classifications.is_empty() {
        heading(&mut body, "board", "红黄绿榜");
        body.push_str(&board(ruleset, &tables, &classifications));
    }

    heading(&mut body, "trend", "得分走势");
    body.push_str(&trend(evaluation, &results, period));

    heading(&mut body, "explain", "得分明细");
    body.push_str(r#"<p class="hint">点击单位展开：每一项加减分及其依据条款、计入的记录。</p>"#);
    for table in &tables {
        for row in &table.rows {
            body.push_str(&explanation(ruleset, evaluation, row));
        }
    }

    heading(&mut body, "notices", "预警与提示");
    body.push_str(&notices(ruleset, evaluation, &results, period));

    let quoted = clause_texts(evaluation, &results);
    if !quoted.is_empty() {
        heading(&mut body, "clauses", "依据条款");
        body.push_str(r#"<dl class="clause-texts">"#);
        for (id, text) in quoted {
            let _ = write!(body, "<dt>{}</dt><dd>{}</dd>", escape(id), escape(text));
        }
        body.push_str("</dl>");
    }

    page(ruleset, evaluation, &period_label(period), body)
}

/// The declared texts (`clause [id] "…"`) of the clause ids the shown
/// results' lines, limits, notices and outputs cite, in id order.
fn clause_texts<'e>(
    evaluation: &'e Evaluation,
    results: &[&UnitResult],
) -> Vec<(&'e str, &'e str)> {
    let mut ids = std::collections::BTreeSet::new();
    for result in results {
        for item in &result.items {
            ids.extend(item.clauses.iter().map(|c| c.to_string()));
            for limit in &item.limits {
                ids.extend(limit.clauses.iter().map(|c| c.to_string()));
            }
        }
        for n in &result.notices {
            ids.extend(n.clauses.iter().map(|c| c.to_string()));
        }
        for o in &result.outputs {
            ids.extend(o.clauses.iter().map(|c| c.to_string()));
        }
    }
    ids.iter()
        .filter_map(|id| {
            evaluation
                .ruleset
                .clauses
                .get_key_value(id.as_str())
                .map(|(k, v)| (k.as_str(), v.as_str()))
        })
        .collect()
}

fn page(ruleset: &Ruleset, evaluation: &Evaluation, period: &str, body: String) -> String {
    let issuer = ruleset
        .meta(kaohe::syntax::ast::MetaKey::Issuer)
        .unwrap_or("");
    let source = ruleset
        .meta(kaohe::syntax::ast::MetaKey::Source)
        .map(|s| format!("依据：{}。", escape(s)))
        .unwrap_or_default();
    let short = |h: &str| h.chars().take(19).collect::<String>();
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{engine}">
<title>{title}（{period}）</title>
<style>{STYLE}</style>
</head>
<body>
<main class="paper">
<header class="masthead">
<div class="masthead-title">考核通报</div>
<div class="masthead-line"><span class="issuer">{issuer}</span><span class="date">{date}</span></div>
<div class="red-rule"></div>
</header>
{body}
<footer>
<p>{source}评估日期 {as_of}。本通报由 {engine} 依规则文件自动生成，每一分均注明所依据的条款。</p>
<p class="hash">规则 {id} {rhash} · 事实 {fhash}</p>
</footer>
</main>
</body>
</html>
"#,
        engine = escape(&evaluation.engine),
        title = escape(ruleset.title()),
        period = escape(period),
        issuer = escape(issuer),
        date = escape(&chinese_date(&evaluation.facts.as_of)),
        as_of = escape(&evaluation.facts.as_of),
        id = escape(&evaluation.ruleset.id),
        rhash = escape(&short(&evaluation.ruleset.hash)),
        fhash = escape(&short(&evaluation.facts.hash)),
    )
}

fn summary(
    evaluation: &Evaluation,
    tables: &[Table<'_>],
    classifications: &[(String, String)],
    period: Period,
) -> String {
    let units: usize = tables.iter().map(|t| t.rows.len()).sum();
    let mut parts = vec![format!("本期共考核 {units} 个单位")];
    for (name, label) in classifications {
        let mut counts: Vec<(String, String, usize)> = Vec::new();
        for row in tables.iter().flat_map(|t| &t.rows) {
            if let Some((class, class_label)) = row.class(name) {
                let shown = class_label.unwrap_or(class).to_owned();
                match counts.iter_mut().find(|(c, _, _)| c == class) {
                    Some(entry) => entry.2 += 1,
                    None => counts.push((class.to_owned(), shown, 1)),
                }
            }
        }
        let text: Vec<String> = counts
            .iter()
            .map(|(_, shown, n)| format!("{shown} {n} 个"))
            .collect();
        parts.push(format!("{}：{}", escape(label), text.join("、")));
    }
    let notices = evaluation
        .results
        .iter()
        .filter(|r| r.period == period)
        .flat_map(|r| &r.notices)
        .filter(|n| n.kind == NoticeKind::Notice)
        .count();
    if notices > 0 {
        parts.push(format!("预警 {notices} 项"));
    }
    let rejected = evaluation
        .rejected
        .iter()
        .filter(|r| r.record.period == period)
        .count();
    if rejected > 0 {
        parts.push(format!("未采用记录 {rejected} 条"));
    }
    format!(r#"<p class="lead">{}。</p>"#, parts.join("；"))
}

fn chip(class: &str, label: Option<&str>) -> String {
    let colour = class_colour(class, label).unwrap_or("#757575");
    format!(
        r#"<span class="chip" data-class="{}" style="background:{colour}">{}</span>"#,
        escape(class),
        escape(label.unwrap_or(class))
    )
}

fn ranking_table(
    table: &Table<'_>,
    categories: &[(String, String)],
    classifications: &[(String, String)],
) -> String {
    let converted = table.rows.iter().any(|r| r.result.converted.is_some());
    let mut out = String::new();
    let caption = match &table.ranking {
        Some(r) => format!("{} · {}", table.group_label, r),
        None => table.group_label.clone(),
    };
    let _ = write!(
        out,
        r#"<table class="ranking" data-group="{}" data-period="{}"><caption>{}</caption><thead><tr><th>名次</th><th>单位</th><th>总分</th>"#,
        escape(&table.group),
        table.period,
        escape(&caption)
    );
    if converted {
        out.push_str("<th>折算分</th>");
    }
    let shown: Vec<&(String, String)> = categories
        .iter()
        .filter(|(name, _)| {
            table
                .rows
                .iter()
                .any(|r| r.result.categories.iter().any(|c| &c.category == name))
        })
        .collect();
    for (_, label) in &shown {
        let _ = write!(out, "<th>{}</th>", escape(label));
    }
    // The outputs that are not points (issue 13 §12), in declaration order.
    let mut outputs: Vec<(&str, &str)> = Vec::new();
    for o in table.rows.iter().flat_map(|r| &r.result.outputs) {
        if !outputs.iter().any(|(n, _)| *n == o.output.as_str()) {
            outputs.push((
                o.output.as_str(),
                o.label.as_deref().unwrap_or(o.output.as_str()),
            ));
        }
    }
    for (_, label) in &outputs {
        let _ = write!(out, r#"<th class="output">{}</th>"#, escape(label));
    }
    // The change against the previous period, when there is one.
    let changes = table.rows.iter().any(|r| r.previous.is_some());
    if changes {
        out.push_str("<th>较上期</th><th>名次变化</th>");
    }
    for (_, label) in classifications {
        let _ = write!(out, "<th>{}</th>", escape(label));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        let r = row.result;
        let _ = write!(
            out,
            r#"<tr data-unit="{}"><td class="rank">{}</td><td class="unit">{}</td><td class="num total">{}</td>"#,
            escape(&r.unit),
            escape(&row.rank_text()),
            escape(&r.name),
            num(r.total)
        );
        if converted {
            let _ = write!(
                out,
                r#"<td class="num">{}</td>"#,
                r.converted.map(|c| c.to_string()).unwrap_or_default()
            );
        }
        for (name, _) in &shown {
            let value = r
                .categories
                .iter()
                .find(|c| &c.category == name)
                .map(|c| category_value(c).map_or_else(|| "—".to_owned(), num))
                .unwrap_or_default();
            let _ = write!(out, r#"<td class="num">{value}</td>"#);
        }
        for (name, _) in &outputs {
            let value = r
                .outputs
                .iter()
                .find(|o| o.output.as_str() == *name)
                .map(|o| num(o.value))
                .unwrap_or_default();
            let _ = write!(out, r#"<td class="num output">{value}</td>"#);
        }
        if changes {
            out.push_str(&change_cells(row));
        }
        for (name, _) in classifications {
            let cell = row
                .class(name)
                .map(|(class, label)| chip(class, label))
                .unwrap_or_default();
            let _ = write!(out, r#"<td class="center">{cell}</td>"#);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// The two cells of the change against the previous period: total and rank.
fn change_cells(row: &Row<'_>) -> String {
    let mut out = String::new();
    {
        let delta = row.delta.map(|d| {
            let class = if d.is_negative() {
                "down"
            } else if d.is_zero() {
                "same"
            } else {
                "up"
            };
            format!(r#"<span class="{class}">{}</span>"#, signed(d))
        });
        let _ = write!(
            out,
            r#"<td class="num">{}</td>"#,
            delta.unwrap_or_else(|| "—".to_owned())
        );
        let change = row.rank_change.map(|d| match d {
            0 => r#"<span class="same">持平</span>"#.to_owned(),
            d if d > 0 => format!(r#"<span class="up">↑{d}</span>"#),
            d => format!(r#"<span class="down">↓{}</span>"#, -d),
        });
        let _ = write!(
            out,
            r#"<td class="num">{}</td>"#,
            change.unwrap_or_else(|| "—".to_owned())
        );
    }
    out
}

fn board(ruleset: &Ruleset, tables: &[Table<'_>], classifications: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, label) in classifications {
        // The classes in declaration order.
        let arms: Vec<(String, Option<String>)> = ruleset
            .syntax()
            .items
            .iter()
            .find_map(|item| match item {
                kaohe::syntax::ast::Item::Classify(c) if &c.name.name == name => Some(
                    c.arms
                        .iter()
                        .map(|a| {
                            (
                                a.name.name.clone(),
                                a.label.as_ref().map(|l| l.text.clone()),
                            )
                        })
                        .collect(),
                ),
                _ => None,
            })
            .unwrap_or_default();
        let _ = write!(
            out,
            r#"<div class="board" data-classification="{}">"#,
            escape(name)
        );
        if classifications.len() > 1 {
            let _ = write!(out, r#"<div class="board-title">{}</div>"#, escape(label));
        }
        out.push_str(r#"<div class="board-columns">"#);
        for (class, class_label) in &arms {
            let units: Vec<&Row<'_>> = tables
                .iter()
                .flat_map(|t| &t.rows)
                .filter(|r| r.class(name).is_some_and(|(c, _)| c == class))
                .collect();
            let colour = class_colour(class, class_label.as_deref()).unwrap_or("#757575");
            let _ = write!(
                out,
                r#"<div class="board-column" data-class="{}" style="border-color:{colour}"><div class="board-head" style="background:{colour}">{}榜 <span class="count">{}</span></div><ul>"#,
                escape(class),
                escape(class_label.as_deref().unwrap_or(class)),
                units.len()
            );
            for row in &units {
                let _ = write!(
                    out,
                    "<li>{} <span class=\"muted\">{}</span></li>",
                    escape(&row.result.name),
                    num(row.result.total)
                );
            }
            if units.is_empty() {
                out.push_str(r#"<li class="muted">（无）</li>"#);
            }
            out.push_str("</ul></div>");
        }
        out.push_str("</div></div>");
    }
    out
}

/// A round step for the chart's scale: 1, 2 or 5 times a power of ten.
fn nice_step(range: f64) -> f64 {
    let raw = (range / 4.0).max(0.5);
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

fn trend(evaluation: &Evaluation, results: &[&UnitResult], focus: Period) -> String {
    use rust_decimal::prelude::ToPrimitive;
    // The months (or quarters, half-years, weeks) of the chart: those
    // evaluated up to the focus (for a year: that year's). Under `period year`
    // the years are the periods: those up to the focus.
    let yearly = !evaluation.results.iter().any(|r| r.annual)
        && evaluation
            .periods
            .iter()
            .all(|p| matches!(p, Period::Year(_)));
    let months: Vec<Period> = evaluation
        .periods
        .iter()
        .copied()
        .filter(|p| yearly || !matches!(p, Period::Year(_)))
        .filter(|p| match focus {
            Period::Year(y) if !yearly => p.year() == y,
            f => *p <= f,
        })
        .collect();
    if months.is_empty() {
        return r#"<p class="muted">没有月度（季度）结果。</p>"#.to_owned();
    }
    let values: Vec<f64> = evaluation
        .results
        .iter()
        .filter(|r| months.contains(&r.period))
        .filter_map(|r| r.total.approximate_decimal().to_f64())
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let step = nice_step(hi - lo);
    let mut y_min = (lo / step).floor() * step;
    let mut y_max = (hi / step).ceil() * step;
    if y_max - y_min < step {
        y_min -= step;
        y_max += step;
    }
    let (width, height) = (260.0_f64, 130.0_f64);
    let (left, right, top, bottom) = (34.0_f64, 12.0_f64, 12.0_f64, 22.0_f64);
    // Points keep clear of the value labels on the left.
    let inset = 14.0_f64;
    let x_of = |i: usize| {
        if months.len() == 1 {
            left + (width - left - right) / 2.0
        } else {
            left + inset
                + (width - left - right - 2.0 * inset) * (i as f64) / ((months.len() - 1) as f64)
        }
    };
    let y_of = |v: f64| top + (height - top - bottom) * (y_max - v) / (y_max - y_min);

    let mut out = String::from(r#"<div class="charts">"#);
    for result in results {
        let points: Vec<(usize, &UnitResult)> = months
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                evaluation
                    .results
                    .iter()
                    .find(|r| r.unit == result.unit && r.period == *p)
                    .map(|r| (i, r))
            })
            .collect();
        if points.is_empty() {
            let _ = write!(
                out,
                r#"<figure class="chart"><figcaption><span>{}</span><b>{}</b></figcaption><p class="muted no-months">无月度（季度）得分：按年度考核</p></figure>"#,
                escape(&result.name),
                num(result.total)
            );
            continue;
        }
        let mut svg = format!(
            r#"<svg class="trend-chart" data-unit="{}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}得分走势">"#,
            escape(&result.unit),
            escape(&result.name)
        );
        // Grid lines and their values.
        let mut v = y_min;
        while v <= y_max + step / 2.0 {
            let y = y_of(v);
            let _ = write!(
                svg,
                r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e0e0e0" stroke-width="1"/><text x="{:.1}" y="{:.1}" class="axis" text-anchor="end">{}</text>"##,
                width - right,
                left - 4.0,
                y + 3.5,
                v
            );
            v += step;
        }
        for (i, p) in months.iter().enumerate() {
            let label = match p {
                Period::Month { month, .. } => format!("{month}月"),
                Period::Quarter { quarter, .. } => format!("Q{quarter}"),
                Period::Half { half: 1, .. } => "上半年".to_owned(),
                Period::Half { .. } => "下半年".to_owned(),
                Period::Week { week, .. } => format!("W{week}"),
                Period::Year(y) => y.to_string(),
            };
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" class="axis" text-anchor="middle">{label}</text>"#,
                x_of(i),
                height - 6.0
            );
        }
        let line: Vec<String> = points
            .iter()
            .filter_map(|(i, r)| {
                r.total
                    .approximate_decimal()
                    .to_f64()
                    .map(|t| format!("{:.1},{:.1}", x_of(*i), y_of(t)))
            })
            .collect();
        if line.len() > 1 {
            let _ = write!(
                svg,
                r##"<polyline points="{}" fill="none" stroke="#8b1a1a" stroke-width="2"/>"##,
                line.join(" ")
            );
        }
        for (i, r) in &points {
            let Some(t) = r.total.approximate_decimal().to_f64() else {
                continue;
            };
            let colour = r
                .notices
                .iter()
                .find(|n| n.kind == NoticeKind::Class)
                .and_then(|n| {
                    n.class
                        .as_deref()
                        .and_then(|c| class_colour(c, n.class_label.as_deref()))
                })
                .unwrap_or("#8b1a1a");
            let _ = write!(
                svg,
                r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{colour}" stroke="#fff" stroke-width="1"><title>{} {}：{}</title></circle>"##,
                x_of(*i),
                y_of(t),
                escape(&result.name),
                r.period,
                num(r.total)
            );
        }
        svg.push_str("</svg>");
        let _ = write!(
            out,
            r#"<figure class="chart"><figcaption><span>{}</span><b>{}</b></figcaption>{svg}</figure>"#,
            escape(&result.name),
            num(result.total)
        );
    }
    out.push_str("</div>");
    out
}

fn explanation(ruleset: &Ruleset, evaluation: &Evaluation, row: &Row<'_>) -> String {
    let r = row.result;
    let classes: String = row
        .classes
        .iter()
        .map(|(_, class, label)| chip(class, label.as_deref()))
        .collect();
    let mut out = format!(
        r#"<details class="explain" data-unit="{}"><summary><span class="rank">{}</span><span class="unit">{}</span><span class="total">{} 分</span>{classes}</summary><table class="items"><thead><tr><th>类型</th><th>项目</th><th>次数</th><th>计分</th><th>依据条款</th></tr></thead><tbody>"#,
        escape(&r.unit),
        escape(&row.rank_text()),
        escape(&r.name),
        num(r.total)
    );
    for item in &r.items {
        let label = match (item.kind, &item.label) {
            (ItemKind::Base, _) => "基础分".to_owned(),
            (_, Some(l)) => l.to_string(),
            (_, None) => item.rule.as_deref().unwrap_or_default().to_owned(),
        };
        let amount = if item.kind == ItemKind::Base {
            num(item.amount)
        } else {
            signed(item.amount)
        };
        let class = if item.amount.is_negative() {
            "down"
        } else {
            ""
        };
        let mut detail = String::new();
        for limit in &item.limits {
            let _ = write!(
                detail,
                r#"<div class="limit">{}：{} → {}{}</div>"#,
                escape(&limit.limit),
                num(limit.raw),
                num(limit.applied),
                if limit.clauses.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", escape(&limit.clauses.join(", ")))
                }
            );
        }
        for counted in &item.records {
            let notes = if counted.notes.is_empty() {
                String::new()
            } else {
                format!("；{}", escape(&counted.notes.join("；")))
            };
            let _ = write!(
                detail,
                r#"<div class="record">· {} ×{} {}{notes}</div>"#,
                escape(&record_text(ruleset, &counted.record)),
                counted.count,
                signed(counted.amount)
            );
        }
        let count = if matches!(item.kind, ItemKind::Base | ItemKind::Cap | ItemKind::Floor) {
            String::new()
        } else {
            item.count.to_string()
        };
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td>{}{detail}</td><td class="num">{count}</td><td class="num {class}">{amount}</td><td class="clauses">{}</td></tr>"#,
            item_kind_label(item.kind),
            escape(&label),
            escape(&item.clauses.join(", "))
        );
    }
    let _ = write!(
        out,
        r#"</tbody><tfoot><tr><td colspan="3">合计</td><td class="num">{}</td><td></td></tr></tfoot></table>"#,
        num(r.total)
    );
    if !r.measures.is_empty() {
        out.push_str(
            r#"<table class="measures"><thead><tr><th>指标</th><th>数值</th><th>位次</th><th>同组最高</th><th>同组平均</th></tr></thead><tbody>"#,
        );
        for m in &r.measures {
            let _ = write!(
                out,
                r#"<tr data-measure="{}"><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                escape(&m.measure),
                escape(measure_label(m)),
                num(m.value),
                escape(&place_text(m)),
                num(m.peer_max),
                num(m.peer_average)
            );
        }
        out.push_str("</tbody></table>");
    }
    if !r.outputs.is_empty() {
        out.push_str(
            r#"<table class="outputs"><thead><tr><th>结果运用（不计分）</th><th>数值</th><th>依据条款</th></tr></thead><tbody>"#,
        );
        for o in &r.outputs {
            let _ = write!(
                out,
                r#"<tr data-output="{}"><td>{}</td><td class="num">{}</td><td class="clauses">{}</td></tr>"#,
                escape(&o.output),
                escape(o.label.as_deref().unwrap_or(o.output.as_str())),
                num(o.value),
                escape(&o.clauses.join(", "))
            );
        }
        out.push_str("</tbody></table>");
    }
    if let Some(entry) = r.ranking.as_ref().and_then(|name| {
        evaluation
            .rankings
            .iter()
            .find(|k| &k.ranking == name && k.period == r.period)
            .and_then(|k| k.entries.iter().find(|e| e.unit == r.unit))
    }) {
        let key = |v: &Option<String>| match v.as_deref() {
            None => "—".to_owned(),
            Some("tie") => "并列（未决）".to_owned(),
            Some("total") => "总分".to_owned(),
            Some("discretion") => "专班酌定排序".to_owned(),
            Some(other) => other.to_owned(),
        };
        let _ = write!(
            out,
            r#"<p class="muted">名次依据：与上一名相比 {}；与下一名相比 {}。</p>"#,
            escape(&key(&entry.versus_above)),
            escape(&key(&entry.versus_below))
        );
    }
    out.push_str("</details>");
    out
}

fn notices(
    ruleset: &Ruleset,
    evaluation: &Evaluation,
    results: &[&UnitResult],
    period: Period,
) -> String {
    let mut rows = String::new();
    for r in results {
        for n in r.notices.iter().filter(|n| n.kind != NoticeKind::Class) {
            let _ = write!(
                rows,
                r#"<tr class="notice" data-kind="{:?}"><td>{}</td><td class="nowrap">{}</td><td class="nowrap">{}</td><td>{}</td><td>{}</td><td class="clauses">{}</td></tr>"#,
                n.kind,
                escape(&r.name),
                notice_kind_label(n.kind),
                escape(&notice_text(n)),
                escape(&n.actions.join("；")),
                escape(n.detail.as_deref().unwrap_or("")),
                escape(&n.clauses.join(", "))
            );
        }
    }
    for ranking in evaluation.rankings.iter().filter(|r| r.period == period) {
        for tie in &ranking.unresolved_ties {
            let names: Vec<String> = tie
                .iter()
                .map(|u| {
                    ranking
                        .entries
                        .iter()
                        .find(|e| &e.unit == u)
                        .map_or_else(|| u.clone(), |e| e.name.to_string())
                })
                .collect();
            let _ = write!(
                rows,
                r#"<tr class="tie"><td>{}</td><td class="nowrap">未决并列</td><td class="nowrap">{}</td><td></td><td>各排序依据均相同，名次并列</td><td></td></tr>"#,
                escape(&names.join("、")),
                escape(ranking.label.as_deref().unwrap_or(&ranking.ranking))
            );
        }
    }
    let catalog = kaohe::i18n::Catalog::new();
    for rejected in evaluation
        .rejected
        .iter()
        .filter(|r| r.record.period == period || Period::Year(r.record.period.year()) == period)
    {
        let name = evaluation
            .results
            .iter()
            .find(|r| r.unit == rejected.unit)
            .map_or_else(|| rejected.unit.clone(), |r| r.name.clone());
        let _ = write!(
            rows,
            r#"<tr class="rejected"><td>{}</td><td class="nowrap">未采用记录</td><td>{}</td><td></td><td>{}</td><td class="clauses">{}</td></tr>"#,
            escape(&name),
            escape(&record_text(ruleset, &rejected.record)),
            escape(&crate::bulletin::rejected_reason(
                &catalog,
                &rejected.reason
            )),
            escape(&rejected.clauses.join(", "))
        );
    }
    if rows.is_empty() {
        return r#"<p class="muted">本期无预警与提示。</p>"#.to_owned();
    }
    format!(
        r#"<table class="notices"><thead><tr><th>单位</th><th>类别</th><th>名称</th><th>措施</th><th>说明</th><th>依据条款</th></tr></thead><tbody>{rows}</tbody></table>"#
    )
}

const STYLE: &str = r#"
:root { --red: #c00000; --ink: #1f1f1f; --muted: #6b6b6b; --line: #d9d9d9; }
* { box-sizing: border-box; }
html { background: #eceae6; }
body { margin: 0; padding: 24px 12px; color: var(--ink);
  font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif;
  font-size: 16px; line-height: 1.7; }
.paper { max-width: 1120px; margin: 0 auto; background: #fff; padding: 40px 56px 32px;
  box-shadow: 0 1px 6px rgba(0,0,0,.15); }
.masthead { text-align: center; }
.masthead-title { color: var(--red); font-size: 56px; letter-spacing: 12px; font-weight: 700; line-height: 1.2;
  font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "华文中宋", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; }
.masthead-line { display: flex; justify-content: space-between; gap: 24px; margin-top: 14px; font-size: 16px; }
.red-rule { border-top: 3px solid var(--red); border-bottom: 1px solid var(--red); height: 5px; margin: 6px 0 24px; }
.doc-title { text-align: center; font-size: 24px; margin: 12px 0 0; line-height: 1.5;
  font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "Noto Serif CJK SC", "SimSun", serif; }
.doc-period { text-align: center; margin: 4px 0 16px; }
.lead { text-indent: 2em; }
h3 { font-size: 18px; margin: 28px 0 10px; font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 18px;
  font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 14px; line-height: 1.5; }
caption { text-align: left; font-weight: 700; padding: 4px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
th { background: #f3ece4; font-weight: 700; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafafa; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.rank, td.center { text-align: center; }
td.total { font-weight: 700; }
td.clauses { color: var(--muted); font-size: 12px; white-space: nowrap; }
dl.clause-texts dt { font-weight: 600; margin-top: 6px; }
dl.clause-texts dd { margin: 2px 0 0 2em; }
td.nowrap { white-space: nowrap; }
table.notices td:first-child { max-width: 16em; }
.up { color: #2e7d32; } .down { color: var(--red); } .same { color: var(--muted); }
.chip { display: inline-block; min-width: 2em; padding: 0 8px; border-radius: 10px; color: #fff; font-weight: 700; font-size: 13px; text-align: center; margin-left: 6px; }
.board { margin: 8px 0 18px; font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; }
.board-title { font-weight: 700; margin-bottom: 6px; }
.board-columns { display: flex; gap: 12px; }
.board-column { flex: 1; border: 2px solid; border-radius: 6px; overflow: hidden; }
.board-head { color: #fff; font-weight: 700; padding: 4px 10px; }
.board-head .count { float: right; }
.board-column ul { list-style: none; margin: 0; padding: 6px 10px; font-size: 14px; columns: 2; }
.board-column li { break-inside: avoid; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 10px; }
.chart { margin: 0; border: 1px solid var(--line); border-radius: 4px; padding: 6px 6px 0; }
.chart figcaption { display: flex; justify-content: space-between; font-size: 14px; font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; }
.chart svg { width: 100%; height: auto; display: block; }
.chart .no-months { font-size: 13px; margin: 40px 0; text-align: center; }
.chart .axis { font-size: 10px; fill: #757575; font-family: sans-serif; }
details.explain { border: 1px solid var(--line); border-radius: 4px; margin: 6px 0; padding: 0 10px; }
details.explain summary { cursor: pointer; padding: 6px 0; font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; }
details.explain summary .rank { display: inline-block; min-width: 2.5em; color: var(--muted); }
details.explain summary .unit { display: inline-block; min-width: 12em; font-weight: 700; }
details.explain summary .total { display: inline-block; min-width: 5em; }
details.explain .record, details.explain .limit { color: var(--muted); font-size: 12px; }
details.explain table.measures, details.explain table.outputs { margin-top: 6px; }
.hint, .muted { color: var(--muted); }
footer { border-top: 1px solid var(--red); margin-top: 28px; padding-top: 8px; font-size: 13px; color: var(--muted); }
footer .hash { font-family: monospace; font-size: 11px; }
@media print { html, body { background: #fff; padding: 0; } .paper { box-shadow: none; padding: 0; max-width: none; }
  details.explain { break-inside: avoid; } }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(chinese_date("2026-05-09"), "2026年5月9日");
        assert_eq!(signed(rust_decimal::Decimal::new(-25, 1).into()), "−2.5");
    }

    #[test]
    fn chart_steps() {
        assert!((nice_step(10.0) - 5.0).abs() < 1e-9);
        assert!((nice_step(0.0) - 0.5).abs() < 1e-9);
        assert!((nice_step(40.0) - 10.0).abs() < 1e-9);
    }
}
