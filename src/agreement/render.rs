//! The agreement report for people and for other programs: plain text for the terminal, a CSV
//! table, and Markdown and HTML fragments for the reports. Every number is written with four
//! decimals; an undefined one is "—" (empty in CSV), with its reason where there is room.

use std::fmt::Write;

use super::{AgreementReport, Interval};

/// Four decimals, or "—".
pub fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.4}"))
}

fn interval(value: Option<Interval>) -> String {
    value.map_or_else(String::new, |[lo, hi]| format!("[{lo:.4}, {hi:.4}]"))
}

fn join_ids(ids: &[u32]) -> String {
    ids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn scope(report: &AgreementReport) -> String {
    format!(
        "Coders {} on {} document(s) ({}), {} characters",
        report.coders.join(", "),
        report.documents.len(),
        join_ids(&report.documents),
        report.characters
    )
}

fn method(report: &AgreementReport) -> String {
    let characters = if report.coded_only {
        "percent and kappa count only characters at least one coder coded"
    } else {
        "percent and kappa count every character"
    };
    if report.bootstrap.replicates == 0 {
        format!("{characters}; no bootstrap intervals")
    } else {
        format!(
            "{characters}; 95% intervals from {} bootstrap replicates, seed {} ({})",
            report.bootstrap.replicates, report.bootstrap.seed, report.bootstrap.method
        )
    }
}

/// The report for the terminal: one block per tag, then all tags together.
pub fn text(report: &AgreementReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", scope(report));
    let _ = writeln!(out, "{}", method(report));
    for tag in &report.tags {
        let _ = writeln!(out, "\ntag {}", tag.tag);
        let rows = [
            ("percent", tag.percent, None),
            ("kappa", tag.kappa, None),
            ("alpha", tag.alpha, tag.ci95.alpha),
            ("alpha_u", tag.alpha_u, tag.ci95.alpha_u),
            ("u_alpha", tag.u_alpha, tag.ci95.u_alpha),
        ];
        for (name, value, ci) in rows {
            text_row(&mut out, name, value, ci, tag.reasons.get(name));
        }
        let counts: Vec<String> = tag
            .counts
            .iter()
            .map(|c| {
                format!(
                    "{} {} passage(s), {} characters",
                    c.coder, c.passages, c.characters
                )
            })
            .collect();
        let _ = writeln!(out, "  coded: {}", counts.join("; "));
    }
    let o = &report.overall;
    let _ = writeln!(out, "\nall tags");
    let rows = [
        ("alpha", o.alpha, o.ci95.alpha),
        ("alpha_u", o.alpha_u, o.ci95.alpha_u),
        ("u_alpha", o.u_alpha, o.ci95.u_alpha),
        ("binary_u_alpha", o.binary_u_alpha, o.ci95.binary_u_alpha),
        ("cu_alpha", o.cu_alpha, o.ci95.cu_alpha),
    ];
    for (name, value, ci) in rows {
        text_row(&mut out, name, value, ci, o.reasons.get(name));
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

fn text_row(
    out: &mut String,
    name: &str,
    value: Option<f64>,
    ci: Option<Interval>,
    reason: Option<&String>,
) {
    let mut line = format!("  {name:<15}{:>8}", number(value));
    if let Some(ci) = ci.filter(|_| value.is_some()) {
        let _ = write!(line, "  95% {}", interval(Some(ci)));
    }
    if let (None, Some(reason)) = (value, reason) {
        let _ = write!(line, "  ({reason})");
    }
    let _ = writeln!(out, "{line}");
}

/// The per-tag table as CSV, with a last row `(all tags)`; empty cells where undefined.
pub fn csv(report: &AgreementReport) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "tag",
        "percent",
        "kappa",
        "alpha",
        "alpha_ci95_low",
        "alpha_ci95_high",
        "alpha_u",
        "alpha_u_ci95_low",
        "alpha_u_ci95_high",
        "u_alpha",
        "u_alpha_ci95_low",
        "u_alpha_ci95_high",
    ];
    let _ = writer.write_record(header);
    let cell = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.4}"));
    let pair = |ci: Option<Interval>| [cell(ci.map(|c| c[0])), cell(ci.map(|c| c[1]))];
    for tag in &report.tags {
        let [al, ah] = pair(tag.ci95.alpha);
        let [ul, uh] = pair(tag.ci95.alpha_u);
        let [vl, vh] = pair(tag.ci95.u_alpha);
        let _ = writer.write_record([
            tag.tag.clone(),
            cell(tag.percent),
            cell(tag.kappa),
            cell(tag.alpha),
            al,
            ah,
            cell(tag.alpha_u),
            ul,
            uh,
            cell(tag.u_alpha),
            vl,
            vh,
        ]);
    }
    let o = &report.overall;
    let [al, ah] = pair(o.ci95.alpha);
    let [ul, uh] = pair(o.ci95.alpha_u);
    let [vl, vh] = pair(o.ci95.u_alpha);
    let _ = writer.write_record([
        "(all tags)".to_owned(),
        String::new(),
        String::new(),
        cell(o.alpha),
        al,
        ah,
        cell(o.alpha_u),
        ul,
        uh,
        cell(o.u_alpha),
        vl,
        vh,
    ]);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// One table cell: the value and, when there is one, its interval.
fn with_interval(value: Option<f64>, ci: Option<Interval>) -> String {
    match (value, ci) {
        (Some(_), Some(_)) => format!("{} {}", number(value), interval(ci)),
        _ => number(value),
    }
}

struct Row {
    name: String,
    cells: [String; 5],
}

fn rows(report: &AgreementReport) -> Vec<Row> {
    let mut rows: Vec<Row> = report
        .tags
        .iter()
        .map(|t| Row {
            name: t.tag.clone(),
            cells: [
                number(t.percent),
                number(t.kappa),
                with_interval(t.alpha, t.ci95.alpha),
                with_interval(t.alpha_u, t.ci95.alpha_u),
                with_interval(t.u_alpha, t.ci95.u_alpha),
            ],
        })
        .collect();
    let o = &report.overall;
    rows.push(Row {
        name: "All tags".to_owned(),
        cells: [
            "—".to_owned(),
            "—".to_owned(),
            with_interval(o.alpha, o.ci95.alpha),
            with_interval(o.alpha_u, o.ci95.alpha_u),
            with_interval(o.u_alpha, o.ci95.u_alpha),
        ],
    });
    rows
}

const COLUMNS: [&str; 6] = ["Tag", "Agreement", "Cohen's κ", "α", "α_U", "uα"];

fn overall_line(report: &AgreementReport) -> String {
    let o = &report.overall;
    format!(
        "All tags: |uα {}, cuα {}.",
        with_interval(o.binary_u_alpha, o.ci95.binary_u_alpha),
        with_interval(o.cu_alpha, o.ci95.cu_alpha)
    )
}

/// The agreement table as a Markdown fragment (a heading, the scope, the table).
pub fn markdown(report: &AgreementReport) -> String {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('|', "\\|");
    let mut out = String::from("## Inter-coder agreement\n\n");
    let _ = writeln!(out, "{}. {}.\n", scope(report), method(report));
    let _ = writeln!(out, "| {} |", COLUMNS.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(COLUMNS.len()));
    for row in rows(report) {
        let _ = writeln!(out, "| {} | {} |", escape(&row.name), row.cells.join(" | "));
    }
    let _ = writeln!(out, "\n{}", overall_line(report));
    out
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The agreement table as an HTML fragment (`<section class="agreement">`).
pub fn html(report: &AgreementReport) -> String {
    let mut out = String::from("<section class=\"agreement\">\n<h2>Inter-coder agreement</h2>\n");
    let _ = writeln!(
        out,
        "<p>{}. {}.</p>",
        escape_html(&scope(report)),
        escape_html(&method(report))
    );
    out.push_str("<table>\n<thead><tr>");
    for column in COLUMNS {
        let _ = write!(out, "<th>{}</th>", escape_html(column));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows(report) {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape_html(&row.name));
        for cell in &row.cells {
            let _ = write!(out, "<td>{}</td>", escape_html(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    let _ = writeln!(out, "<p>{}</p>", escape_html(&overall_line(report)));
    out.push_str("</section>\n");
    out
}
