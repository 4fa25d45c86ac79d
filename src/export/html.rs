//! A self-contained HTML report (inline CSS, no scripts, no external files) that reads well
//! on screen and on paper: a counts table, then the passages grouped by tag (codebook order)
//! and document, with tag colours as chips. Every value from the project is escaped.
//!
//! The markup is also well-formed XML (void elements closed, no named entities), so that
//! scripts can read it back with an XML parser; each passage carries its position in
//! `data-start`/`data-end` (character offsets).

use std::fmt::Write;

use super::Corpus;
use super::markdown::plural;
use super::table::{CountTable, count_table, passages_in_reading_order};
use crate::model::{Annotation, Project, Tag, TagId, parse_hex_color};

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --paper: #ffffff; }
* { box-sizing: border-box; }
body { font: 16px/1.5 Georgia, "Times New Roman", serif; color: var(--ink); background: var(--paper);
       max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, table, .meta, .summary { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.35rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { font-size: 1.05rem; color: var(--muted); margin: 1.5rem 0 0.5rem; }
.summary, .description, .empty { color: var(--muted); }
table { border-collapse: collapse; font-size: 0.9rem; margin: 1rem 0; }
th, td { border: 1px solid var(--rule); padding: 0.25rem 0.6rem; vertical-align: top; }
figure.chart { margin: 1rem 0; } figure.chart svg { max-width: 100%; height: auto; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td, tr.total th { font-weight: bold; }
.chip { display: inline-block; border-radius: 0.8em; padding: 0 0.6em; font-size: 0.85em;
        font-family: system-ui, sans-serif; line-height: 1.6; white-space: nowrap;
        -webkit-print-color-adjust: exact; print-color-adjust: exact; }
article.passage { margin: 0.8rem 0 1.2rem; break-inside: avoid; page-break-inside: avoid; }
blockquote { margin: 0; padding: 0.4rem 0.9rem; border-left: 0.3rem solid var(--tag, #999);
             background: #f6f8fa; white-space: pre-wrap; overflow-wrap: anywhere;
             -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.note { margin: 0.4rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.note::before { content: "Note: "; font-weight: bold; font-family: system-ui, sans-serif; }
.meta { margin: 0.3rem 0 0; font-size: 0.85rem; color: var(--muted); }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  h2 { break-before: auto; break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
}
"#;

/// Escape for text and attribute values alike. Line ends become `\n`: an HTML parser turns
/// `\r\n` into `\n` anyway, and a lone CR (old Mac line ends) is a line end too, not nothing.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            // Controls that neither HTML nor XML may carry.
            '\u{0}'..='\u{8}'
            | '\u{B}'
            | '\u{C}'
            | '\u{E}'..='\u{1F}'
            | '\u{FFFE}'
            | '\u{FFFF}' => out.push('\u{FFFD}'),
            _ => out.push(ch),
        }
    }
    out
}

pub fn render(corpus: &Corpus) -> String {
    let project = corpus.project;
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"Marginalia {}\" />",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        out,
        "<title>{} — coded passages</title>",
        escape(&project.name)
    );
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");

    let _ = writeln!(out, "<header>\n<h1>{}</h1>", escape(&project.name));
    let _ = writeln!(
        out,
        "<p class=\"summary\">{} in {}, coded with {}. Positions are character offsets \
         (Unicode code points) from the start of each document’s text; a range includes its \
         start and excludes its end.</p>",
        plural(project.annotations.len(), "passage", "passages"),
        plural(project.documents.len(), "document", "documents"),
        plural(project.codebook.len(), "tag", "tags"),
    );
    if !project.memo.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"memo\" style=\"white-space: pre-wrap\">{}</p>",
            escape(&project.memo)
        );
    }
    let missing: Vec<String> = corpus
        .documents_without_text()
        .map(|d| format!("“{}”", escape(&d.title)))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"summary\"><em>The texts of {} could not be read; their passages are \
             shown from the quotes the project stored.</em></p>",
            missing.join(", ")
        );
    }
    out.push_str("</header>\n");

    out.push_str("<section id=\"counts\">\n<h2>Counts</h2>\n");
    counts_table(&mut out, &count_table(project));
    out.push_str("</section>\n");
    let figures = super::figures::corpus_stats(corpus);
    super::figures::html(&mut out, corpus, &figures);
    super::figures::html_by(
        &mut out,
        corpus,
        &figures,
        &super::figures::by_attributes(corpus),
    );

    let memos = super::documents_with_memos(project);
    if !memos.is_empty() {
        out.push_str("<section id=\"memos\">\n<h2>Document memos</h2>\n");
        for document in memos {
            let _ = writeln!(
                out,
                "<h3>{}</h3>\n<p class=\"memo\" style=\"white-space: pre-wrap\">{}</p>",
                escape(&document.title),
                escape(&document.memo)
            );
        }
        out.push_str("</section>\n");
    }

    let passages = passages_in_reading_order(project);
    for tag in &project.codebook {
        let _ = writeln!(out, "<section class=\"tag\" id=\"tag-{}\">", tag.id);
        let _ = writeln!(out, "<h2>{}</h2>", chip(tag));
        if !tag.description.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"description\">{}</p>",
                escape(&tag.description)
            );
        }
        let tagged: Vec<&Annotation> = passages
            .iter()
            .copied()
            .filter(|a| a.tags.contains(&tag.id))
            .collect();
        passages_by_document(&mut out, project, &tagged, Some(tag));
        out.push_str("</section>\n");
    }
    let untagged: Vec<&Annotation> = passages
        .iter()
        .copied()
        .filter(|a| a.tags.is_empty())
        .collect();
    if !untagged.is_empty() {
        out.push_str("<section class=\"tag\" id=\"untagged\">\n<h2>Passages without a tag</h2>\n");
        passages_by_document(&mut out, project, &untagged, None);
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The tag's colour as given, when it is a valid `#RRGGBB` (anything else could break out of
/// the style attribute), else a neutral grey.
pub(super) fn color_of(tag: &Tag) -> ([u8; 3], String) {
    let rgb = parse_hex_color(&tag.color).unwrap_or([0x99, 0x99, 0x99]);
    let [r, g, b] = rgb;
    (rgb, format!("#{r:02X}{g:02X}{b:02X}"))
}

/// A tag name on its colour, with black or white text, whichever reads better.
pub(super) fn chip(tag: &Tag) -> String {
    let ([r, g, b], hex) = color_of(tag);
    // Relative luminance (sRGB approximated by a 2.2 gamma) against the 0.18 crossover
    // where black and white text have equal contrast.
    let linear = |c: u8| (f64::from(c) / 255.0).powf(2.2);
    let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    let ink = if luminance > 0.18 {
        "#000000"
    } else {
        "#FFFFFF"
    };
    format!(
        "<span class=\"chip\" style=\"background: {hex}; color: {ink}\">{}</span>",
        escape(&tag.name)
    )
}

fn counts_table(out: &mut String, counts: &CountTable) {
    out.push_str("<table>\n<thead>\n<tr><th>Document</th>");
    for tag in &counts.tags {
        let _ = write!(out, "<th class=\"number\">{}</th>", chip(tag));
    }
    if counts.has_untagged {
        out.push_str("<th class=\"number\">(no tag)</th>");
    }
    out.push_str("<th class=\"number\">Passages</th></tr>\n</thead>\n<tbody>\n");
    for row in counts.rows.iter().chain(std::iter::once(&counts.total)) {
        match row.document {
            Some(document) => {
                let _ = write!(
                    out,
                    "<tr><th scope=\"row\">{}</th>",
                    escape(&document.title)
                );
            }
            None => out.push_str("<tr class=\"total\"><th scope=\"row\">All documents</th>"),
        }
        let mut numbers = row.per_tag.clone();
        if counts.has_untagged {
            numbers.push(row.untagged);
        }
        numbers.push(row.passages);
        for number in numbers {
            let _ = write!(out, "<td class=\"number\">{number}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn passages_by_document(
    out: &mut String,
    project: &Project,
    passages: &[&Annotation],
    section_tag: Option<&Tag>,
) {
    if passages.is_empty() {
        out.push_str("<p class=\"empty\">No passages.</p>\n");
        return;
    }
    for (first_of_document, annotation) in super::with_document_starts(passages) {
        if first_of_document {
            let title = super::document_title(project, annotation.doc);
            let _ = writeln!(out, "<h3>{}</h3>", escape(&title));
        }
        passage(out, project, annotation, section_tag);
    }
}

fn passage(
    out: &mut String,
    project: &Project,
    annotation: &Annotation,
    section_tag: Option<&Tag>,
) {
    let section_id: Option<TagId> = section_tag.map(|t| t.id);
    let bar = section_tag.map_or_else(|| "#999999".to_owned(), |t| color_of(t).1);
    let _ = writeln!(
        out,
        "<article class=\"passage\" data-passage=\"{}\" data-document=\"{}\" data-start=\"{}\" data-end=\"{}\">",
        annotation.id, annotation.doc, annotation.start, annotation.end
    );
    let _ = writeln!(
        out,
        "<blockquote style=\"--tag: {bar}\">{}</blockquote>",
        escape(&annotation.quote)
    );
    if !annotation.note.is_empty() {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&annotation.note));
    }
    let title = super::document_title(project, annotation.doc);
    out.push_str("<p class=\"meta\">");
    let speech = super::table::Speech::of(project, annotation).label();
    if !speech.is_empty() {
        let _ = write!(
            out,
            "<strong class=\"speaker\">{}</strong> · ",
            escape(&speech)
        );
    }
    let _ = write!(
        out,
        "“{}”, characters {}–{}",
        escape(&title),
        annotation.start,
        annotation.end
    );
    let others: Vec<String> = annotation
        .tags
        .iter()
        .filter(|t| Some(**t) != section_id)
        .filter_map(|t| project.tag(*t))
        .map(chip)
        .collect();
    if !others.is_empty() {
        let _ = write!(out, " · also tagged {}", others.join(" "));
    }
    if !annotation.coder.is_empty() {
        let _ = write!(out, " · {}", escape(&annotation.coder));
    }
    if !annotation.created.is_empty() {
        let _ = write!(out, " · {}", escape(&annotation.created));
    }
    out.push_str("</p>\n</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_for_text_and_attributes() {
        assert_eq!(
            escape("<script>alert('x' & \"y\")</script>\r\n"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;\n"
        );
        assert_eq!(escape("old\rMac\r\nline"), "old\nMac\nline");
    }

    #[test]
    fn chips_pick_readable_ink_and_refuse_odd_colours() {
        let mut tag = crate::model::default_codebook().remove(0);
        assert!(chip(&tag).contains("color: #FFFFFF"), "{}", chip(&tag));
        tag.color = "#F0E442".into();
        assert!(chip(&tag).contains("color: #000000"));
        tag.color = "red; background-image: url(x)".into();
        assert!(chip(&tag).contains("background: #999999"));
    }
}
