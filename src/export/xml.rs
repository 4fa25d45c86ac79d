//! Writing XML with quick-xml, with escaping that survives any conformant parser.
//!
//! quick-xml escapes `& < > " '`, which is not enough for exact round trips: an XML parser
//! turns a literal `\r\n` in text into `\n`, and tabs and newlines in attribute values into
//! spaces. Those are written as character references instead. Characters XML 1.0 cannot
//! carry at all (most C0 controls, U+FFFE, U+FFFF) become U+FFFD.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

fn is_xml_char(ch: char) -> bool {
    matches!(ch, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn escape(text: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            ch if is_xml_char(ch) => out.push(ch),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

pub fn escape_text(text: &str) -> String {
    escape(text, false)
}

pub fn escape_attribute(value: &str) -> String {
    escape(value, true)
}

/// An indented XML document under construction.
pub struct XmlOut {
    writer: Writer<Vec<u8>>,
}

impl XmlOut {
    pub fn new() -> io::Result<Self> {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        Ok(Self { writer })
    }

    fn element<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            let value = escape_attribute(value);
            // Raw bytes: the value is escaped above, and quick-xml must not escape it again.
            start.push_attribute((key.as_bytes(), value.as_bytes()));
        }
        start
    }

    pub fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.writer
            .write_event(Event::Start(Self::element(name, attributes)))
    }

    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.writer
            .write_event(Event::Empty(Self::element(name, attributes)))
    }

    pub fn end(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name>text</name>`, the text kept exactly (no indentation is added inside).
    pub fn text_element(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.start(name, &[])?;
        self.writer
            .write_event(Event::Text(BytesText::from_escaped(escape_text(text))))?;
        self.end(name)
    }

    pub fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

/// Whether a timestamp has the `xsd:dateTime` shape (`YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]`),
/// so that a hand-edited `created` value never makes an export invalid.
pub fn is_xsd_date_time(value: &str) -> bool {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let at = |index: usize, byte: u8| bytes.get(index) == Some(&byte);
    if !(digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19))
    {
        return false;
    }
    let number = |range: std::ops::Range<usize>| value[range].parse::<u32>().unwrap_or(99);
    if !(1..=12).contains(&number(5..7))
        || !(1..=31).contains(&number(8..10))
        || number(11..13) > 23
        || number(14..16) > 59
        || number(17..19) > 59
    {
        return false;
    }
    let mut rest = &value[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits_len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits_len == 0 {
            return false;
        }
        rest = &fraction[digits_len..];
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] => {
            matches!(sign, b'+' | b'-') && [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_line_ends_and_drops_impossible_characters() {
        assert_eq!(escape_text("a\r\nb & <c>"), "a&#13;\nb &amp; &lt;c&gt;");
        assert_eq!(escape_attribute("x\"\n\t"), "x&quot;&#10;&#9;");
        assert_eq!(escape_text("bell\u{7}"), "bell\u{FFFD}");
        assert_eq!(escape_text("👩‍👩‍👧"), "👩‍👩‍👧");
    }

    #[test]
    fn date_times_are_checked() {
        assert!(is_xsd_date_time("2026-11-22T15:00:00Z"));
        assert!(is_xsd_date_time("2026-11-22T15:00:00.123+01:00"));
        assert!(is_xsd_date_time("2026-11-22T15:00:00"));
        assert!(!is_xsd_date_time(""));
        assert!(!is_xsd_date_time("2026-11-22"));
        assert!(!is_xsd_date_time("2026-13-22T15:00:00Z"));
        assert!(!is_xsd_date_time("2026-11-22T15:00:00 UTC"));
        assert!(!is_xsd_date_time("2026-11-22T15:00:00é"));
    }
}
