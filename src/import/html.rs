//! HTML: the text a browser shows, one paragraph per block element. Scripts, styles and
//! the document head are dropped, character references decoded, and white space collapsed
//! as a browser collapses it (kept inside `<pre>`). html5ever's tokenizer reads the markup
//! as browsers do (unclosed tags, stray `<`, every named character reference); no document
//! tree is built, because paragraphs follow from where block elements start and end.

use std::cell::RefCell;
use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::{ImportError, ImportedDocument, join_paragraphs};

/// Elements that start and end a paragraph (a line of the document).
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "noembed", "noframes", "object", "svg",
    "math", "select", "datalist", "head",
];

/// Elements allowed in `<head>`; any other start tag begins the body.
const HEAD_CONTENT: &[&str] = &[
    "base", "link", "meta", "title", "style", "script", "noscript", "template",
];

pub(super) fn read(file: &Path, bytes: &[u8]) -> Result<ImportedDocument, ImportError> {
    let (markup, mut warnings) = decode(file, bytes);
    let (paragraphs, title) = visible_text(&markup);
    let text = join_paragraphs(paragraphs);
    if text.is_empty() {
        warnings.clear();
    }
    Ok(ImportedDocument {
        transcript: None,
        file: file.to_owned(),
        text,
        converted: true,
        title,
        warnings,
        file_has_bom: false,
    })
}

/// The markup as text: a byte-order mark decides, else UTF-8 when the bytes are UTF-8, else
/// the charset the document declares, else Windows-1252 with a warning.
fn decode(file: &Path, bytes: &[u8]) -> (String, Vec<String>) {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return (text.into_owned(), Vec::new());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), Vec::new());
    }
    if let Some(encoding) = declared_charset(bytes).filter(|e| *e != UTF_8) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return (text.into_owned(), Vec::new());
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    let warning = format!(
        "{}: not UTF-8 and no character set declared, so it was read as Windows-1252 \
         (Western European); check that accented letters, quotes and symbols look right",
        file.display()
    );
    (text.into_owned(), vec![warning])
}

/// `<meta charset=…>` or `content="…; charset=…"` in the first 1024 bytes, as browsers look.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(label.as_bytes())
}

#[derive(Default)]
struct Extractor {
    paragraphs: Vec<String>,
    current: String,
    /// White space seen since the last visible character, not yet written.
    pending_space: bool,
    hidden_depth: usize,
    /// Which hidden element opened the hidden stretch (only its end tag closes it).
    hidden_by: Vec<String>,
    pre_depth: usize,
    in_head: bool,
    in_title: bool,
    title: String,
}

impl Extractor {
    fn break_paragraph(&mut self) {
        let paragraph = std::mem::take(&mut self.current);
        self.paragraphs.push(paragraph);
        self.pending_space = false;
    }

    fn text(&mut self, text: &str) {
        if self.in_title {
            self.title.push_str(text);
            return;
        }
        if self.hidden_depth > 0 || self.in_head {
            return;
        }
        for character in text.chars() {
            if self.pre_depth > 0 {
                match character {
                    '\r' => {}
                    '\n' => self.current.push('\n'),
                    other => self.current.push(other),
                }
            } else if matches!(character, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                self.pending_space = !self.current.is_empty() && !self.current.ends_with('\n');
            } else {
                if self.pending_space {
                    self.current.push(' ');
                    self.pending_space = false;
                }
                self.current.push(character);
            }
        }
    }

    fn start_tag(&mut self, name: &str) -> TokenSinkResult<()> {
        if self.in_head && !HEAD_CONTENT.contains(&name) {
            self.in_head = false;
        }
        if name == "head" {
            self.in_head = true;
            return TokenSinkResult::Continue;
        }
        if name == "title" && self.hidden_depth == 0 {
            self.in_title = true;
            return TokenSinkResult::RawData(RawKind::Rcdata);
        }
        if HIDDEN.contains(&name) {
            self.hidden_depth += 1;
            self.hidden_by.push(name.to_owned());
        }
        if BLOCKS.contains(&name) {
            self.break_paragraph();
        }
        match name {
            "br" if self.hidden_depth == 0 && !self.in_head => {
                self.current.push('\n');
                self.pending_space = false;
            }
            "td" | "th" if !self.current.is_empty() => {
                self.current.push('\t');
                self.pending_space = false;
            }
            "pre" | "listing" | "textarea" => self.pre_depth += 1,
            _ => {}
        }
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "iframe" | "noembed" | "noframes" | "xmp" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "head" => self.in_head = false,
            "title" => self.in_title = false,
            "pre" | "listing" | "textarea" => self.pre_depth = self.pre_depth.saturating_sub(1),
            _ => {}
        }
        if self.hidden_by.last().is_some_and(|h| h == name) {
            self.hidden_by.pop();
            self.hidden_depth -= 1;
        }
        if BLOCKS.contains(&name) {
            self.break_paragraph();
        }
    }
}

struct Sink(RefCell<Extractor>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut extractor = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    let result = extractor.start_tag(&tag.name);
                    if tag.self_closing && matches!(result, TokenSinkResult::Continue) {
                        extractor.end_tag(&tag.name);
                    }
                    return result;
                }
                TagKind::EndTag => extractor.end_tag(&tag.name),
            },
            Token::CharacterTokens(text) => extractor.text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The visible paragraphs of an HTML document, and its `<title>`.
fn visible_text(markup: &str) -> (Vec<String>, Option<String>) {
    let tokenizer = Tokenizer::new(Sink(RefCell::default()), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(markup));
    while let TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    let mut extractor = tokenizer.sink.0.take();
    extractor.break_paragraph();
    let title = extractor
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let paragraphs = extractor
        .paragraphs
        .into_iter()
        .map(|p| {
            // Line breaks from <br> keep their place; spaces around them go.
            p.split('\n')
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    (paragraphs, (!title.is_empty()).then_some(title))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(markup: &str) -> String {
        read(Path::new("page.html"), markup.as_bytes())
            .unwrap()
            .text
    }

    #[test]
    fn blocks_become_paragraphs_and_hidden_parts_are_dropped() {
        let markup = "<!DOCTYPE html><html><head><title>The  page</title>\
            <style>p { color: red }</style><script>if (a < b && c) { document.write('<p>no</p>') }</script>\
            </head><body><div><h1>Heading &amp; more</h1><p>First   para\n  with <b>bold</b> &ldquo;quotes&rdquo;&nbsp;&pound;5</p>\
            <ul><li>one<li>two</ul><p>Unclosed<p>Next<br>line</div><!-- comment --></body></html>";
        let document = read(Path::new("page.html"), markup.as_bytes()).unwrap();
        assert_eq!(
            document.text,
            "Heading & more\n\nFirst para with bold “quotes”\u{a0}£5\n\none\n\ntwo\n\nUnclosed\n\nNext\nline\n"
        );
        assert_eq!(document.title.as_deref(), Some("The page"));
        assert!(document.converted);
    }

    #[test]
    fn pre_keeps_its_white_space() {
        assert_eq!(
            text_of("<p>a</p><pre>x  = 1\n  y</pre>"),
            "a\n\nx  = 1\n  y\n"
        );
    }

    #[test]
    fn a_declared_charset_is_honoured() {
        let bytes = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        let document = read(Path::new("old.htm"), bytes).unwrap();
        assert_eq!(document.text, "café\n");
        assert!(document.warnings.is_empty());
    }

    #[test]
    fn undeclared_non_utf8_is_read_as_windows_1252_with_a_warning() {
        let document = read(Path::new("old.htm"), b"<p>\x93hi\x94</p>").unwrap();
        assert_eq!(document.text, "“hi”\n");
        assert_eq!(document.warnings.len(), 1);
    }
}
