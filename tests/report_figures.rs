//! The frequency and co-occurrence figures in the Markdown and HTML reports of the sample
//! project, against `marginalia stats` (the same definitions) and by hand where short.

mod common;

use std::path::Path;

use marginalia::export::{self, Format};
use marginalia::workspace::Workspace;

fn sample() -> Workspace {
    Workspace::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron")).unwrap()
}

#[test]
fn markdown_report_has_the_frequency_and_cooccurrence_tables() {
    let workspace = sample();
    let bytes = export::export(Format::Markdown, &workspace.corpus()).unwrap();
    let markdown = String::from_utf8(bytes).unwrap();
    let figures = markdown
        .split("## Frequencies")
        .nth(1)
        .expect("a Frequencies section");
    assert!(figures.contains("(36075 in all)"), "{figures}");
    // quote: 9 passages in all 5 documents; 1196 characters of 36075 = 3.3%.
    assert!(
        figures.contains("| quote | 9 | 5 | 1196 | 3.3% |"),
        "{figures}"
    );
    assert!(figures.contains("### Passages carrying both tags"));
    assert!(figures.contains("| quote | 9 | 0 | 2 | 4 |"), "{figures}");
    assert!(figures.contains("### Overlapping passages"));
    // Before the passages, which start with the first tag's section.
    assert!(markdown.find("## Frequencies").unwrap() < markdown.find("\n## quote").unwrap());
}

#[test]
fn html_report_draws_the_tag_frequencies_without_a_script() {
    let workspace = sample();
    let bytes = export::export(Format::Html, &workspace.corpus()).unwrap();
    let html = String::from_utf8(bytes).unwrap();
    assert!(!html.contains("<script"));
    let svg_start = html.find("<svg").expect("an inline SVG chart");
    let svg = &html[svg_start..html.find("</svg>").unwrap()];
    assert!(svg.contains("<title id=\"tag-chart-title\">Passages per tag</title>"));
    assert!(svg.contains(">Passages</text>"), "x axis label");
    assert!(svg.contains(">Tag</text>"), "y axis label");
    for colour in ["#0072B2", "#E69F00", "#009E73", "#D55E00"] {
        // A bar and a legend swatch in each tag's colour.
        assert_eq!(
            svg.matches(&format!("fill=\"{colour}\"")).count(),
            2,
            "{colour}"
        );
    }
    assert!(svg.contains("<title>quote: 9 passages</title>"));
    assert!(html.contains("<section id=\"cooccurrence\">"));
    // The page is still well-formed XML with the chart in it.
    let mut reader = quick_xml::Reader::from_str(&html);
    loop {
        match reader.read_event().expect("well-formed") {
            quick_xml::events::Event::Eof => break,
            _ => continue,
        }
    }
}

/// The sample with an attribute `outlet`: the first two documents "Telegraph", the third
/// "Times, The", the others without a value.
fn sample_with_outlet() -> Workspace {
    let mut workspace = sample();
    common::with_outlet(&mut workspace, &["Telegraph", "Telegraph", "Times, The"]);
    workspace
}

fn by_outlet(workspace: &Workspace) -> marginalia::stats::ByStats {
    let lengths = workspace.text_lengths();
    let options = marginalia::stats::Options {
        documents: None,
        by: Some(marginalia::stats::By {
            attribute: 1,
            bins: Vec::new(),
        }),
    };
    marginalia::stats::compute(workspace.project(), &lengths, &options)
        .unwrap()
        .by
        .unwrap()
}

#[test]
fn html_report_draws_tags_by_attribute_value_as_grouped_bars() {
    let workspace = sample_with_outlet();
    let by = by_outlet(&workspace);
    let html =
        String::from_utf8(export::export(Format::Html, &workspace.corpus()).unwrap()).unwrap();
    assert!(!html.contains("<script"));
    let section = &html[html
        .find("<section id=\"by-attribute\">")
        .expect("the section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("<h3>Passages per tag by outlet</h3>"));
    let svg = &section[section.find("<svg").unwrap()..section.find("</svg>").unwrap()];
    assert!(svg.contains("<title id=\"by-chart-title-0\">Passages per tag by outlet</title>"));
    assert!(svg.contains(">Passages</text>"), "y axis label");
    assert!(svg.contains(">outlet</text>"), "x axis label");
    // Telegraph, Times, The and the documents without a value: three groups of four bars.
    assert_eq!(by.values.len(), 3);
    assert_eq!(svg.matches(" passages</title></rect>").count(), 12);
    for group in &by.values {
        let value = group.value.clone().unwrap_or_else(|| "(no value)".into());
        for (tag, count) in &group.passages.0 {
            let title = format!("<title>{tag}, {value}: {count} passages</title>");
            assert!(svg.contains(&title), "{title}");
        }
    }
    for colour in ["#0072B2", "#E69F00", "#009E73", "#D55E00"] {
        // Three bars and a legend swatch in each tag's colour.
        assert_eq!(
            svg.matches(&format!("fill=\"{colour}\"")).count(),
            4,
            "{colour}"
        );
    }
    // The table under it: a row per value with its documents.
    let telegraph = by
        .values
        .iter()
        .find(|g| g.value.as_deref() == Some("Telegraph"))
        .unwrap();
    assert_eq!(telegraph.documents, 2);
    let row = format!(
        "<tr><th scope=\"row\">Telegraph</th><td class=\"number\">2</td><td class=\"number\">{}</td>",
        telegraph.passages.0[0].1
    );
    assert!(section.contains(&row), "{row}");

    let markdown =
        String::from_utf8(export::export(Format::Markdown, &workspace.corpus()).unwrap()).unwrap();
    assert!(markdown.contains("### Passages per tag by outlet"));
    let counts: Vec<String> = telegraph
        .passages
        .0
        .iter()
        .map(|(_, c)| c.to_string())
        .collect();
    let line = format!("| Telegraph | 2 | {} |", counts.join(" | "));
    assert!(markdown.contains(&line), "{line}");
}
