//! PDF: the text layer, page by page in order. lopdf parses the file and decodes each font's
//! character codes; this module follows the text operators to see where lines start (a
//! vertical move) and where words part (a horizontal gap), then joins the lines of a
//! paragraph and parts paragraphs where the line spacing widens. A PDF with no text layer
//! (a scan) or one that needs a password is refused with a message that says so.

use std::collections::BTreeMap;
use std::path::Path;

use lopdf::{Dictionary, Document, Encoding, Object};

use super::{ImportError, ImportedDocument, MAX_DOCUMENT_BYTES, join_paragraphs};

pub(super) fn read(file: &Path, bytes: &[u8]) -> Result<ImportedDocument, ImportError> {
    let unreadable = |reason: String| ImportError::Unreadable {
        file: file.to_owned(),
        reason,
    };
    let encrypted_message = || {
        "the PDF is encrypted with a password; save an unprotected copy (or print it to PDF) \
         and add that"
            .to_owned()
    };
    let document = Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => {
            unreadable(encrypted_message())
        }
        other => unreadable(format!("not a readable PDF ({other})")),
    })?;
    if document.is_encrypted() {
        return Err(unreadable(encrypted_message()));
    }
    let mut warnings = Vec::new();
    let mut paragraphs = Vec::new();
    let pages = document.get_pages();
    for (number, page) in &pages {
        match page_lines(&document, *page) {
            Ok((lines, problems)) => {
                for problem in problems {
                    warnings.push(format!("{}: page {number}: {problem}", file.display()));
                }
                paragraphs.extend(paragraphs_of(lines));
            }
            Err(error) => warnings.push(format!(
                "{}: page {number}: its text could not be read ({error}); it is left out",
                file.display()
            )),
        }
    }
    let text = join_paragraphs(paragraphs);
    if text.trim().is_empty() {
        let reason = if pages.is_empty() {
            "the PDF has no pages".to_owned()
        } else {
            "the PDF has no text layer (it may be a scan: its pages are images); run it through \
             text recognition (OCR) first and add the result"
                .to_owned()
        };
        return Err(ImportError::NoText {
            file: file.to_owned(),
            reason,
        });
    }
    Ok(ImportedDocument {
        transcript: None,
        file: file.to_owned(),
        text,
        converted: true,
        title: None,
        warnings,
        file_has_bom: false,
    })
}

/// One line of text as placed on the page.
struct Line {
    text: String,
    /// Baseline height on the page (up is positive).
    y: f32,
    /// Font size on the page.
    size: f32,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn translate(tx: f32, ty: f32, m: &Matrix) -> Matrix {
    multiply(&[1.0, 0.0, 0.0, 1.0, tx, ty], m)
}

struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    /// Glyph widths in thousandths of the font size, from `FirstChar` on.
    widths: Vec<f32>,
    first_char: i64,
    two_byte_codes: bool,
}

impl Font<'_> {
    /// Width of a string in text space units of one point of font size.
    fn advance(&self, bytes: &[u8], char_spacing: f32, word_spacing: f32, size: f32) -> f32 {
        if self.two_byte_codes {
            return bytes.len().div_ceil(2) as f32 * (0.5 * size + char_spacing);
        }
        bytes
            .iter()
            .map(|&code| {
                let index = i64::from(code) - self.first_char;
                let width = usize::try_from(index)
                    .ok()
                    .and_then(|i| self.widths.get(i).copied())
                    .filter(|w| *w > 0.0)
                    .unwrap_or(500.0);
                width / 1000.0 * size + char_spacing + if code == b' ' { word_spacing } else { 0.0 }
            })
            .sum()
    }
}

fn font_of<'a>(document: &'a Document, dictionary: &'a Dictionary) -> Font<'a> {
    let number = |key: &[u8]| {
        dictionary
            .get_deref(key, document)
            .ok()
            .and_then(|o| o.as_float().ok())
    };
    let widths = dictionary
        .get_deref(b"Widths", document)
        .and_then(Object::as_array)
        .map(|a| {
            a.iter()
                .map(|w| {
                    document
                        .dereference(w)
                        .ok()
                        .and_then(|(_, o)| o.as_float().ok())
                        .unwrap_or(0.0)
                })
                .collect()
        })
        .unwrap_or_default();
    let two_byte_codes = dictionary
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"Type0");
    Font {
        encoding: dictionary.get_font_encoding(document).ok(),
        widths,
        first_char: number(b"FirstChar").unwrap_or(0.0) as i64,
        two_byte_codes,
    }
}

/// Follows the text state of one page's content stream.
struct Walker<'a> {
    fonts: BTreeMap<Vec<u8>, Font<'a>>,
    font: Option<Vec<u8>>,
    size: f32,
    leading: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    text_matrix: Matrix,
    line_matrix: Matrix,
    ctm: Matrix,
    saved: Vec<Matrix>,
    lines: Vec<Line>,
    /// Where the last shown text ended on the page (x), to see gaps between words.
    last_end_x: Option<f32>,
    undecodable_fonts: Vec<String>,
}

impl<'a> Walker<'a> {
    fn on_page(&self) -> Matrix {
        multiply(&self.text_matrix, &self.ctm)
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.font.as_ref().and_then(|name| self.fonts.get(name)) else {
            return;
        };
        let Some(encoding) = &font.encoding else {
            let name = String::from_utf8_lossy(self.font.as_deref().unwrap_or_default());
            if !self.undecodable_fonts.contains(&name.to_string()) {
                self.undecodable_fonts.push(name.into_owned());
            }
            return;
        };
        let text = without_ligatures(&encoding.bytes_to_string(bytes).unwrap_or_default());
        let m = self.on_page();
        let size = (self.size * (m[2] * m[2] + m[3] * m[3]).sqrt())
            .abs()
            .max(0.1);
        let (x, y) = (m[4], m[5]);
        let same_line = self
            .lines
            .last()
            .is_some_and(|line| (line.y - y).abs() < 0.5 * size.min(line.size));
        if same_line {
            let line = self.lines.last_mut().expect("checked above");
            let gap = self.last_end_x.map_or(0.0, |end| x - end);
            if (gap > 0.2 * size || gap < -size)
                && !line.text.ends_with(char::is_whitespace)
                && !text.starts_with(char::is_whitespace)
            {
                line.text.push(' ');
            }
            line.text.push_str(&text);
        } else {
            self.lines.push(Line { text, y, size });
        }
        let advance = font.advance(bytes, self.char_spacing, self.word_spacing, self.size)
            * self.horizontal_scale;
        self.text_matrix = translate(advance, 0.0, &self.text_matrix);
        self.last_end_x = Some(self.on_page()[4]);
    }

    fn next_line(&mut self) {
        self.line_matrix = translate(0.0, -self.leading, &self.line_matrix);
        self.text_matrix = self.line_matrix;
    }

    fn operate(&mut self, operator: &str, operands: &[Object]) {
        let number = |i: usize| operands.get(i).and_then(|o| o.as_float().ok());
        match operator {
            "q" => self.saved.push(self.ctm),
            "Q" => self.ctm = self.saved.pop().unwrap_or(IDENTITY),
            "cm" => {
                if let Some(m) = matrix(operands) {
                    self.ctm = multiply(&m, &self.ctm);
                }
            }
            "BT" => {
                self.text_matrix = IDENTITY;
                self.line_matrix = IDENTITY;
            }
            "Tf" => {
                self.font = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec);
                self.size = number(1).unwrap_or(self.size);
            }
            "TL" => self.leading = number(0).unwrap_or(self.leading),
            "Tc" => self.char_spacing = number(0).unwrap_or(0.0),
            "Tw" => self.word_spacing = number(0).unwrap_or(0.0),
            "Tz" => self.horizontal_scale = number(0).unwrap_or(100.0) / 100.0,
            "Td" | "TD" => {
                let (tx, ty) = (number(0).unwrap_or(0.0), number(1).unwrap_or(0.0));
                if operator == "TD" {
                    self.leading = -ty;
                }
                self.line_matrix = translate(tx, ty, &self.line_matrix);
                self.text_matrix = self.line_matrix;
            }
            "Tm" => {
                if let Some(m) = matrix(operands) {
                    self.line_matrix = m;
                    self.text_matrix = m;
                }
            }
            "T*" => self.next_line(),
            "Tj" => {
                if let Some(Ok(bytes)) = operands.first().map(Object::as_str) {
                    self.show(bytes);
                }
            }
            "'" | "\"" => {
                if operator == "\"" {
                    self.word_spacing = number(0).unwrap_or(self.word_spacing);
                    self.char_spacing = number(1).unwrap_or(self.char_spacing);
                }
                self.next_line();
                if let Some(Ok(bytes)) = operands.last().map(Object::as_str) {
                    self.show(bytes);
                }
            }
            "TJ" => {
                let Some(Ok(parts)) = operands.first().map(Object::as_array) else {
                    return;
                };
                for part in parts {
                    match part {
                        Object::String(bytes, _) => self.show(bytes),
                        other => {
                            if let Ok(adjustment) = other.as_float() {
                                let shift =
                                    -adjustment / 1000.0 * self.size * self.horizontal_scale;
                                self.text_matrix = translate(shift, 0.0, &self.text_matrix);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Typeset ligatures (ﬁ, ﬂ…) as the letters they join, so that a search for "file" finds
/// the word the page shows.
fn without_ligatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            other => out.push(other),
        }
    }
    out
}

fn matrix(operands: &[Object]) -> Option<Matrix> {
    let values: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
    <[f32; 6]>::try_from(values.as_slice()).ok()
}

/// The lines of one page in the order the page draws them, and any problems met.
fn page_lines(
    document: &Document,
    page: lopdf::ObjectId,
) -> Result<(Vec<Line>, Vec<String>), lopdf::Error> {
    let fonts = document
        .get_page_fonts(page)?
        .into_iter()
        .map(|(name, dictionary)| (name, font_of(document, dictionary)))
        .collect();
    let content = document.get_page_content_with_limit(page, MAX_DOCUMENT_BYTES as usize)?;
    let content = lopdf::content::Content::decode(&content)?;
    let mut walker = Walker {
        fonts,
        font: None,
        size: 12.0,
        leading: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        horizontal_scale: 1.0,
        text_matrix: IDENTITY,
        line_matrix: IDENTITY,
        ctm: IDENTITY,
        saved: Vec::new(),
        lines: Vec::new(),
        last_end_x: None,
        undecodable_fonts: Vec::new(),
    };
    for operation in &content.operations {
        walker.operate(&operation.operator, &operation.operands);
    }
    let problems = walker
        .undecodable_fonts
        .iter()
        .map(|name| format!("text in font {name} could not be decoded and is left out"))
        .collect();
    Ok((walker.lines, problems))
}

/// Lines joined into paragraphs: a paragraph ends where the gap to the next line is
/// clearly wider than the page's usual line spacing, where the font size changes, or where
/// the text moves up (a new column).
fn paragraphs_of(lines: Vec<Line>) -> Vec<String> {
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .map(|pair| pair[0].y - pair[1].y)
        .filter(|gap| *gap > 0.0)
        .collect();
    gaps.sort_by(f32::total_cmp);
    // The lower median: on a short page the one wider paragraph gap must not set the norm.
    let usual_gap = gaps.get(gaps.len().saturating_sub(1) / 2).copied();
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut previous: Option<&Line> = None;
    for line in &lines {
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        if let Some(before) = previous {
            let gap = before.y - line.y;
            let size_changed = (before.size - line.size).abs() > 0.15 * before.size;
            let wide_gap = usual_gap.is_none_or(|usual| gap > usual * 1.3 + 0.5);
            if gap <= 0.0 || wide_gap || size_changed {
                paragraphs.push(std::mem::take(&mut current));
            }
        }
        if current.is_empty() {
            current.push_str(text);
        } else if current.ends_with('-')
            && current[..current.len() - 1].ends_with(char::is_alphabetic)
            && text.starts_with(char::is_lowercase)
        {
            // A word hyphenated at the line end: keep the hyphen, drop the line break.
            current.push_str(text);
        } else {
            current.push(' ');
            current.push_str(text);
        }
        previous = Some(line);
    }
    paragraphs.push(current);
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f32) -> Line {
        Line {
            text: text.to_owned(),
            y,
            size: 10.0,
        }
    }

    #[test]
    fn lines_join_into_paragraphs_at_the_usual_spacing() {
        let lines = vec![
            line("The first para-", 700.0),
            line("graph goes on", 688.0),
            line("and ends.", 676.0),
            line("A second one", 652.0),
            line("ends here.", 640.0),
        ];
        assert_eq!(
            paragraphs_of(lines),
            vec![
                "The first para-graph goes on and ends.",
                "A second one ends here."
            ]
        );
    }

    #[test]
    fn ligatures_become_letters() {
        assert_eq!(
            without_ligatures("\u{fb01}le \u{fb02}ow e\u{fb03}cient"),
            "file flow efficient"
        );
    }

    #[test]
    fn bytes_that_are_not_a_pdf_are_refused_by_name() {
        let error = read(Path::new("paper.pdf"), b"%PDF-1.4 garbage")
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .starts_with("paper.pdf: not a readable PDF"),
            "{error}"
        );
    }
}
