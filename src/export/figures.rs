//! The figures of `marginalia stats` in the reports: a frequency table per tag, the two
//! co-occurrence tables and, for each document attribute, passages per tag by value, in
//! Markdown and in HTML, where inline SVG charts (bars of the tags' passages, grouped bars
//! of tags × attribute values; in the tags' colours, with title, axis labels and legend)
//! need no script to be seen. The definitions are [`crate::stats`]'s.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Corpus;
use super::html::{chip, color_of, escape};
use super::markdown::table_cell;
use crate::stats::{self, Stats};

/// The figures over every document, each counted with the length of its text when it
/// could be read, else the length the project recorded.
pub fn corpus_stats(corpus: &Corpus) -> Stats {
    stats::compute(corpus.project, &lengths(corpus), &stats::Options::default())
        .expect("figures without --by cannot fail")
}

fn lengths(corpus: &Corpus) -> BTreeMap<crate::model::DocId, usize> {
    corpus
        .texts
        .iter()
        .map(|(id, text)| (*id, text.char_count()))
        .collect()
}

/// Passages per tag by value, for each attribute of the project, in its order.
pub fn by_attributes(corpus: &Corpus) -> Vec<stats::ByStats> {
    let lengths = lengths(corpus);
    corpus
        .project
        .attributes
        .iter()
        .filter_map(|attribute| {
            let options = stats::Options {
                documents: None,
                by: Some(stats::By {
                    attribute: attribute.id,
                    bins: Vec::new(),
                }),
            };
            stats::compute(corpus.project, &lengths, &options)
                .ok()
                .and_then(|s| s.by)
        })
        .collect()
}

fn value_label(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "(no value)".to_owned())
}

/// Markdown: a table of passages per tag by value for each attribute.
pub fn markdown_by(out: &mut String, figures: &Stats, by: &[stats::ByStats]) {
    if by.is_empty() || figures.tags.is_empty() {
        return;
    }
    out.push_str("\n## By attribute\n");
    for attribute in by {
        let _ = writeln!(
            out,
            "\n### Passages per tag by {}\n",
            table_cell(&attribute.attribute)
        );
        let names: Vec<String> = figures.tags.iter().map(|t| table_cell(&t.tag)).collect();
        let _ = writeln!(
            out,
            "| {} | Documents | {} |",
            table_cell(&attribute.attribute),
            names.join(" | ")
        );
        let _ = writeln!(out, "| --- | ---: |{}", " ---: |".repeat(names.len()));
        for group in &attribute.values {
            let counts: Vec<String> = group
                .passages
                .0
                .iter()
                .map(|(_, c)| c.to_string())
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                table_cell(&value_label(&group.value)),
                group.documents,
                counts.join(" | ")
            );
        }
    }
}

/// HTML: for each attribute, grouped bars of passages per tag by value (SVG) and the table.
pub fn html_by(out: &mut String, corpus: &Corpus, figures: &Stats, by: &[stats::ByStats]) {
    let tags: Vec<&crate::model::Tag> = figures
        .tags
        .iter()
        .filter_map(|t| corpus.project.tag(t.id))
        .collect();
    if by.is_empty() || tags.is_empty() {
        return;
    }
    out.push_str("<section id=\"by-attribute\">\n<h2>By attribute</h2>\n");
    for (index, attribute) in by.iter().enumerate() {
        let _ = writeln!(
            out,
            "<h3>Passages per tag by {}</h3>",
            escape(&attribute.attribute)
        );
        grouped_chart(out, index, attribute, &tags);
        let _ = write!(
            out,
            "<table class=\"by-attribute\">\n<thead>\n<tr><th>{}</th><th class=\"number\">Documents</th>",
            escape(&attribute.attribute)
        );
        for tag in &tags {
            let _ = write!(out, "<th class=\"number\">{}</th>", chip(tag));
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for group in &attribute.values {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td class=\"number\">{}</td>",
                escape(&value_label(&group.value)),
                group.documents
            );
            for (_, count) in &group.passages.0 {
                let _ = write!(out, "<td class=\"number\">{count}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

/// Vertical bars grouped by attribute value, one bar per tag in its colour, in SVG.
fn grouped_chart(out: &mut String, index: usize, by: &stats::ByStats, tags: &[&crate::model::Tag]) {
    const LEFT: usize = 60;
    const TOP: usize = 40;
    const PLOT_HEIGHT: usize = 220;
    // The narrowest bar, the widest, and the space between groups.
    const MIN_BAR: usize = 8;
    const MAX_BAR: usize = 28;
    const GAP: usize = 18;
    let groups = &by.values;
    // Groups share at least 520 points; bars widen to fill it, up to MAX_BAR.
    let slot = (520 / groups.len().max(1)).max(MIN_BAR * tags.len() + GAP);
    let bar = ((slot - GAP) / tags.len().max(1)).clamp(MIN_BAR, MAX_BAR);
    let group_width = bar * tags.len() + GAP;
    let plot_width = group_width * groups.len();
    let width = (LEFT + plot_width + 20).max(640);
    let max = groups
        .iter()
        .flat_map(|g| g.passages.0.iter().map(|(_, c)| *c))
        .max()
        .unwrap_or(0);
    let step = tick_step(max);
    let axis_max = max.div_ceil(step).max(1) * step;
    let scale = |value: usize| (value * PLOT_HEIGHT) as f64 / axis_max as f64;
    let bottom = TOP + PLOT_HEIGHT;
    let legend_rows = tags.len().div_ceil(3);
    let height = bottom + 56 + legend_rows * 20 + 10;
    let title = format!("Passages per tag by {}", by.attribute);
    let _ = writeln!(
        out,
        "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-labelledby=\"by-chart-title-{index}\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\" font-size=\"12\" \
         fill=\"{INK}\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"by-chart-title-{index}\">{}</title>\n<rect width=\"{width}\" \
         height=\"{height}\" fill=\"#ffffff\" />\n<text x=\"{}\" y=\"22\" text-anchor=\"middle\" \
         font-size=\"15\" font-weight=\"bold\">{}</text>",
        escape(&title),
        width / 2,
        escape(&title)
    );
    let mut tick = 0;
    while tick <= axis_max {
        let y = bottom as f64 - scale(tick);
        let _ = writeln!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#d1d9e0\" />\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            LEFT + plot_width,
            LEFT - 6,
            y + 4.0
        );
        tick += step;
    }
    for (g, group) in groups.iter().enumerate() {
        let group_left = LEFT + g * group_width + GAP / 2;
        for (t, (tag, (_, count))) in tags.iter().zip(&group.passages.0).enumerate() {
            let (_, color) = color_of(tag);
            let h = scale(*count);
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{:.1}\" width=\"{bar}\" height=\"{h:.1}\" fill=\"{color}\" \
                 stroke=\"{INK}\" stroke-width=\"0.5\"><title>{}, {}: {count} passages</title></rect>",
                group_left + t * bar,
                bottom as f64 - h,
                escape(&tag.name),
                escape(&value_label(&group.value))
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            group_left + bar * tags.len() / 2,
            bottom + 16,
            escape(&shorten(
                &value_label(&group.value),
                (group_width / 7).max(4)
            ))
        );
    }
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{bottom}\" x2=\"{}\" y2=\"{bottom}\" stroke=\"{INK}\" />\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{bottom}\" stroke=\"{INK}\" />",
        LEFT + plot_width
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">Passages</text>",
        LEFT + plot_width / 2,
        bottom + 36,
        escape(&by.attribute),
        (TOP + bottom) / 2,
        (TOP + bottom) / 2
    );
    legend(out, tags, bottom + 50);
    let _ = writeln!(
        out,
        "</svg>\n<figcaption>Passages per tag in the documents with each value of {}, in the \
         tags’ colours.</figcaption>\n</figure>",
        escape(&by.attribute)
    );
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

const MATRICES: [(&str, &str); 2] = [
    (
        "Passages carrying both tags",
        "Each cell counts the passages that carry both tags; the diagonal, the passages \
         carrying the tag",
    ),
    (
        "Overlapping passages",
        "Each cell counts the pairs of two passages of one document that share at least one \
         character, one carrying each tag",
    ),
];

fn matrix(figures: &Stats, index: usize) -> &Vec<Vec<usize>> {
    match index {
        0 => &figures.cooccurrence.same_passage,
        _ => &figures.cooccurrence.overlapping,
    }
}

pub fn markdown(out: &mut String, figures: &Stats) {
    out.push_str("\n## Frequencies\n\n");
    let _ = writeln!(
        out,
        "Characters are counted in the documents' texts ({} in all); a character that \
         several passages of a tag cover counts once.\n",
        figures.characters
    );
    out.push_str("| Tag | Passages | Documents | Characters | Share |\n");
    out.push_str("| --- | ---: | ---: | ---: | ---: |\n");
    for tag in &figures.tags {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            table_cell(&tag.tag),
            tag.passages,
            tag.documents,
            tag.characters,
            percent(tag.share)
        );
    }
    if figures.tags.is_empty() {
        return;
    }
    out.push_str("\n## Co-occurrence\n");
    for (index, (title, explanation)) in MATRICES.iter().enumerate() {
        let _ = writeln!(out, "\n### {title}\n\n{explanation}.\n");
        let names: Vec<String> = figures.tags.iter().map(|t| table_cell(&t.tag)).collect();
        let _ = writeln!(out, "| | {} |", names.join(" | "));
        let _ = writeln!(out, "| --- |{}", " ---: |".repeat(names.len()));
        for (name, row) in names.iter().zip(matrix(figures, index)) {
            let cells: Vec<String> = row.iter().map(usize::to_string).collect();
            let _ = writeln!(out, "| {name} | {} |", cells.join(" | "));
        }
    }
}

pub fn html(out: &mut String, corpus: &Corpus, figures: &Stats) {
    out.push_str("<section id=\"frequencies\">\n<h2>Frequencies</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"summary\">Characters are counted in the documents’ texts ({} in all); a \
         character that several passages of a tag cover counts once.</p>",
        figures.characters
    );
    let tags: Vec<&crate::model::Tag> = figures
        .tags
        .iter()
        .filter_map(|t| corpus.project.tag(t.id))
        .collect();
    if !tags.is_empty() {
        bar_chart(out, figures, &tags);
    }
    out.push_str(
        "<table>\n<thead>\n<tr><th>Tag</th><th class=\"number\">Passages</th>\
         <th class=\"number\">Documents</th><th class=\"number\">Characters</th>\
         <th class=\"number\">Share</th></tr>\n</thead>\n<tbody>\n",
    );
    for (tag, figure) in tags.iter().zip(&figures.tags) {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"number\">{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{}</td><td class=\"number\">{}</td></tr>",
            chip(tag),
            figure.passages,
            figure.documents,
            figure.characters,
            percent(figure.share)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    if tags.is_empty() {
        return;
    }
    out.push_str("<section id=\"cooccurrence\">\n<h2>Co-occurrence</h2>\n");
    for (index, (title, explanation)) in MATRICES.iter().enumerate() {
        let _ = writeln!(
            out,
            "<h3>{title}</h3>\n<p class=\"description\">{explanation}.</p>"
        );
        out.push_str("<table class=\"cooccurrence\">\n<thead>\n<tr><th></th>");
        for tag in &tags {
            let _ = write!(out, "<th class=\"number\">{}</th>", chip(tag));
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for (tag, row) in tags.iter().zip(matrix(figures, index)) {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", chip(tag));
            for count in row {
                let _ = write!(out, "<td class=\"number\">{count}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

/// Horizontal bars of passages per tag, in the tags' colours, drawn in SVG.
/// Axis, grid and outline colour of the report's charts.
const INK: &str = "#1f2328";

/// The tags' colours and names, three to a row, from `top` down.
fn legend(out: &mut String, tags: &[&crate::model::Tag], top: usize) {
    for (index, tag) in tags.iter().enumerate() {
        let x = 20 + (index % 3) * 200;
        let y = top + (index / 3) * 20;
        let (_, color) = color_of(tag);
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{color}\" stroke=\"{INK}\" \
             stroke-width=\"0.5\" /><text x=\"{}\" y=\"{}\">{}</text>",
            x + 18,
            y + 10,
            escape(&shorten(&tag.name, 26))
        );
    }
}

fn bar_chart(out: &mut String, figures: &Stats, tags: &[&crate::model::Tag]) {
    const WIDTH: usize = 640;
    const LEFT: usize = 170;
    const PLOT: usize = 400;
    const TOP: usize = 40;
    const ROW: usize = 26;
    const BAR: usize = 18;
    let max = figures.tags.iter().map(|t| t.passages).max().unwrap_or(0);
    let step = tick_step(max);
    let axis_max = max.div_ceil(step).max(1) * step;
    let scale = |value: usize| (value * PLOT) as f64 / axis_max as f64;
    let plot_bottom = TOP + ROW * tags.len();
    let legend_rows = tags.len().div_ceil(3);
    let height = plot_bottom + 48 + legend_rows * 20 + 10;
    let _ = writeln!(
        out,
        "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-labelledby=\"tag-chart-title\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\" font-family=\"system-ui, sans-serif\" font-size=\"12\" \
         fill=\"{INK}\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"tag-chart-title\">Passages per tag</title>\n<rect width=\"{WIDTH}\" \
         height=\"{height}\" fill=\"#ffffff\" />\n<text x=\"{}\" y=\"22\" text-anchor=\"middle\" \
         font-size=\"15\" font-weight=\"bold\">Passages per tag</text>",
        WIDTH / 2
    );
    // Grid lines and ticks along the x axis.
    let mut tick = 0;
    while tick <= axis_max {
        let x = LEFT as f64 + scale(tick);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{plot_bottom}\" stroke=\"#d1d9e0\" />\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{tick}</text>",
            plot_bottom + 16
        );
        tick += step;
    }
    for (row, (tag, figure)) in tags.iter().zip(&figures.tags).enumerate() {
        let y = TOP + row * ROW + (ROW - BAR) / 2;
        let (_, color) = color_of(tag);
        let width = scale(figure.passages);
        let name = escape(&shorten(&tag.name, 24));
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{name}</text>\
             <rect x=\"{LEFT}\" y=\"{y}\" width=\"{width:.1}\" height=\"{BAR}\" fill=\"{color}\" \
             stroke=\"{INK}\" stroke-width=\"0.5\"><title>{}: {} passages</title></rect>\
             <text x=\"{:.1}\" y=\"{}\">{}</text>",
            LEFT - 8,
            y + 13,
            escape(&tag.name),
            figure.passages,
            LEFT as f64 + width + 4.0,
            y + 13,
            figure.passages
        );
    }
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{plot_bottom}\" x2=\"{}\" y2=\"{plot_bottom}\" stroke=\"{INK}\" />\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{plot_bottom}\" stroke=\"{INK}\" />",
        LEFT + PLOT
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">Passages</text>\
         <text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">Tag</text>",
        LEFT + PLOT / 2,
        plot_bottom + 34,
        (TOP + plot_bottom) / 2,
        (TOP + plot_bottom) / 2
    );
    legend(out, tags, plot_bottom + 48);
    out.push_str(
        "</svg>\n<figcaption>Passages per tag, in the tags’ colours.</figcaption>\n</figure>\n",
    );
}

/// A round step for about five ticks up to `max`: 1, 2 or 5 times a power of ten.
fn tick_step(max: usize) -> usize {
    let mut power = 1;
    loop {
        for factor in [1, 2, 5] {
            if max <= factor * power * 5 {
                return factor * power;
            }
        }
        power *= 10;
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    super::excerpt(&text.replace(['\r', '\n'], " "), max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(0), 1);
        assert_eq!(tick_step(5), 1);
        assert_eq!(tick_step(9), 2);
        assert_eq!(tick_step(23), 5);
        assert_eq!(tick_step(400), 100);
    }
}
