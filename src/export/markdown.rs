//! A Markdown report for reading and sharing: a counts table, then the passages grouped by
//! tag (codebook order) and document, each with its quote, note and location. Every value
//! from the project is escaped, so a quote that happens to contain `*`, `#` or `<b>` reads as
//! the text it is, never as markup.

use std::fmt::Write;

use super::Corpus;
use super::table::{CountTable, count_table, passages_in_reading_order};
use crate::model::{Annotation, Project, TagId};

pub fn render(corpus: &Corpus) -> String {
    let project = corpus.project;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", inline(&project.name));
    let _ = writeln!(out, "{}\n", summary(project));
    if !project.memo.is_empty() {
        out.push_str(&paragraphs(&project.memo, ""));
        out.push('\n');
    }
    let missing: Vec<String> = corpus
        .documents_without_text()
        .map(|d| format!("“{}”", inline(&d.title)))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "*The texts of {} could not be read; their passages are shown from the quotes the \
             project stored.*\n",
            missing.join(", ")
        );
    }

    out.push_str("## Counts\n\n");
    counts_table(&mut out, &count_table(project));
    let figures = super::figures::corpus_stats(corpus);
    super::figures::markdown(&mut out, &figures);
    super::figures::markdown_by(&mut out, &figures, &super::figures::by_attributes(corpus));

    let memos = super::documents_with_memos(project);
    if !memos.is_empty() {
        out.push_str("\n## Document memos\n");
        for document in memos {
            let _ = writeln!(out, "\n### {}\n", inline(&document.title));
            out.push_str(&paragraphs(&document.memo, ""));
        }
    }

    let passages = passages_in_reading_order(project);
    for tag in &project.codebook {
        let _ = writeln!(out, "\n## {}\n", inline(&tag.name));
        if !tag.description.is_empty() {
            let _ = writeln!(out, "{}", paragraphs(&tag.description, ""));
        }
        let tagged: Vec<&Annotation> = passages
            .iter()
            .copied()
            .filter(|a| a.tags.contains(&tag.id))
            .collect();
        passages_by_document(&mut out, project, &tagged, Some(tag.id));
    }
    let untagged: Vec<&Annotation> = passages
        .iter()
        .copied()
        .filter(|a| a.tags.is_empty())
        .collect();
    if !untagged.is_empty() {
        out.push_str("\n## Passages without a tag\n\n");
        passages_by_document(&mut out, project, &untagged, None);
    }
    out
}

fn summary(project: &Project) -> String {
    format!(
        "{} in {}, coded with {}. Positions are character offsets (Unicode code points) \
         from the start of each document's text; a range includes its start and excludes its end.",
        plural(project.annotations.len(), "passage", "passages"),
        plural(project.documents.len(), "document", "documents"),
        plural(project.codebook.len(), "tag", "tags"),
    )
}

pub(super) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn counts_table(out: &mut String, counts: &CountTable) {
    let mut headings: Vec<String> = vec!["Document".to_owned()];
    headings.extend(counts.tags.iter().map(|t| table_cell(&t.name)));
    if counts.has_untagged {
        headings.push("(no tag)".to_owned());
    }
    headings.push("Passages".to_owned());
    let _ = writeln!(out, "| {} |", headings.join(" | "));
    let alignments: Vec<&str> = headings
        .iter()
        .enumerate()
        .map(|(i, _)| if i == 0 { "---" } else { "---:" })
        .collect();
    let _ = writeln!(out, "| {} |", alignments.join(" | "));
    for row in counts.rows.iter().chain(std::iter::once(&counts.total)) {
        let label = match row.document {
            Some(document) => table_cell(&document.title),
            None => "**All documents**".to_owned(),
        };
        let mut cells = vec![label];
        cells.extend(row.per_tag.iter().map(usize::to_string));
        if counts.has_untagged {
            cells.push(row.untagged.to_string());
        }
        cells.push(row.passages.to_string());
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

fn passages_by_document(
    out: &mut String,
    project: &Project,
    passages: &[&Annotation],
    section_tag: Option<TagId>,
) {
    if passages.is_empty() {
        out.push_str("*No passages.*\n");
        return;
    }
    for (first_of_document, annotation) in super::with_document_starts(passages) {
        if first_of_document {
            let title = super::document_title(project, annotation.doc);
            let _ = writeln!(out, "### {}\n", inline(&title));
        }
        passage(out, project, annotation, section_tag);
    }
}

fn passage(
    out: &mut String,
    project: &Project,
    annotation: &Annotation,
    section_tag: Option<TagId>,
) {
    out.push_str(&paragraphs(&annotation.quote, "> "));
    out.push('\n');
    if !annotation.note.is_empty() {
        let note = paragraphs(&annotation.note, "");
        let _ = writeln!(out, "**Note:** {note}");
    }
    let title = super::document_title(project, annotation.doc);
    // Who said it and when, first: in a transcript that is what a reader looks for.
    let speech = super::table::Speech::of(project, annotation).label();
    let mut location = if speech.is_empty() {
        String::new()
    } else {
        format!("**{}** · ", inline(&speech))
    };
    let _ = write!(
        location,
        "{}, characters {}–{}",
        emphasis(&title),
        annotation.start,
        annotation.end
    );
    let others: Vec<String> = annotation
        .tags
        .iter()
        .filter(|t| Some(**t) != section_tag)
        .map(|t| inline(&super::tag_name(project, *t)))
        .collect();
    if !others.is_empty() {
        let _ = write!(location, " · also tagged {}", others.join(", "));
    }
    if !annotation.coder.is_empty() {
        let _ = write!(location, " · {}", inline(&annotation.coder));
    }
    if !annotation.created.is_empty() {
        let _ = write!(location, " · {}", inline(&annotation.created));
    }
    let _ = writeln!(out, "{location}\n");
}

/// Text as Markdown paragraphs: blank lines separate paragraphs, other line ends become hard
/// line breaks, and every line starts with `prefix` (`"> "` for a block quote).
fn paragraphs(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    let lines = lines(text);
    let mut index = 0;
    while index < lines.len() {
        let paragraph: Vec<&str> = lines[index..]
            .iter()
            .take_while(|l| !l.trim().is_empty())
            .copied()
            .collect();
        if paragraph.is_empty() {
            index += 1;
            continue;
        }
        index += paragraph.len();
        if !out.is_empty() {
            let _ = writeln!(out, "{}", prefix.trim_end());
        }
        let escaped: Vec<String> = paragraph.iter().map(|l| line_start(l.trim())).collect();
        // A backslash at the end of a line is CommonMark's visible hard line break.
        let _ = writeln!(out, "{prefix}{}", escaped.join(&format!("\\\n{prefix}")));
    }
    if out.is_empty() {
        let _ = writeln!(out, "{}", prefix.trim_end());
    }
    out
}

/// Lines ended by `\n`, `\r\n` or a lone `\r`: CommonMark ends a line at each of them, so a
/// lone CR must not hide the start of a line (a `#` there would begin a heading).
fn lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find(['\r', '\n']) {
        lines.push(&rest[..end]);
        let line_end = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + line_end..];
    }
    lines.push(rest);
    lines
}

/// Escape a line that begins a block, where `#`, `-`, `+`, `=`, `1.` and `1)` would start a
/// heading, list or underline.
fn line_start(line: &str) -> String {
    let escaped = inline(line);
    let starts_block = matches!(escaped.chars().next(), Some('#' | '-' | '+' | '='));
    if starts_block {
        return format!("\\{escaped}");
    }
    let digits = escaped.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(escaped.as_bytes().get(digits), Some(b'.' | b')')) {
        return format!("{}\\{}", &escaped[..digits], &escaped[digits..]);
    }
    escaped
}

/// `*text*`, which CommonMark shows in italics only when no space lies inside the stars.
fn emphasis(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!("*{}*", inline(text))
    }
}

/// Escape the characters that have inline meaning in CommonMark (and GFM tables and
/// strike-through); line ends become spaces, for headings and table cells.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

pub(super) fn table_cell(text: &str) -> String {
    inline(text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_is_escaped() {
        assert_eq!(
            inline("a *b* <i>&amp;</i> | c"),
            r"a \*b\* \<i\>\&amp;\</i\> \| c"
        );
        assert_eq!(line_start("# not a heading"), r"\# not a heading");
        assert_eq!(line_start("1984. A year"), r"1984\. A year");
        assert_eq!(line_start("- item"), r"\- item");
        // Stars around a space are not emphasis: they would show as stars.
        assert_eq!(emphasis(" Title\t"), "*Title*");
        assert_eq!(emphasis(" "), "");
    }

    #[test]
    fn quotes_keep_their_lines_and_paragraphs() {
        assert_eq!(
            paragraphs("one\r\ntwo\r\n\r\nthree", "> "),
            "> one\\\n> two\n>\n> three\n"
        );
        assert_eq!(paragraphs("", "> "), ">\n");
        // A lone CR ends a line in CommonMark: the next line's start is escaped too.
        assert_eq!(paragraphs("old\r# Mac", "> "), "> old\\\n> \\# Mac\n");
        assert_eq!(inline("a\rb\r\nc"), "a b c");
    }
}
