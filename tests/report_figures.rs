//! The frequency and co-occurrence figures in the Markdown and HTML reports of the sample
//! project, against `marginalia stats` (the same definitions) and by hand where short.

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
