//! WebVTT captions (Zoom, Teams): cues with `<v Name>` voice tags or "Name: text" text.

use super::time::{parse_srt_time, parse_vtt_time};
use super::{
    Builder, Transcript, TranscriptError, TranscriptLayout, collapse_ws, is_vtt_header, lines,
    split_label,
};

/// The caption format a cue's timing line is read in.
#[derive(Clone, Copy)]
pub(crate) enum Captions {
    WebVtt,
    Srt,
}

impl Captions {
    fn name(self) -> &'static str {
        match self {
            Captions::WebVtt => "WebVTT",
            Captions::Srt => "SRT",
        }
    }
    fn example_time(self) -> &'static str {
        match self {
            Captions::WebVtt => "00:01:02.500",
            Captions::Srt => "00:01:02,500",
        }
    }
    fn example_timing(self) -> &'static str {
        match self {
            Captions::WebVtt => "00:00:01.000 --> 00:00:04.000",
            Captions::Srt => "00:00:01,000 --> 00:00:04,000",
        }
    }
    fn parse(self, s: &str) -> Option<f64> {
        match self {
            Captions::WebVtt => parse_vtt_time(s),
            Captions::Srt => parse_srt_time(s),
        }
    }
}

/// The start and end of a cue from its timing line (which contains "-->"), and the start as
/// written; cue settings after the end time are ignored.
pub(crate) fn parse_timing(
    line: &str,
    line_no: usize,
    kind: Captions,
) -> Result<(f64, f64, String), TranscriptError> {
    let column = |byte: usize| line[..byte].chars().count() + 1;
    let arrow = line.find("-->").expect("a timing line has an arrow");
    let left = &line[..arrow];
    let start_at = left.len() - left.trim_start().len();
    let start_text = left.trim();
    if start_text.is_empty() {
        return Err(TranscriptError::MissingTime {
            line: line_no,
            column: column(start_at),
            which: "start",
            format: kind.name(),
            example: kind.example_timing(),
        });
    }
    let start = kind
        .parse(start_text)
        .ok_or_else(|| TranscriptError::BadTime {
            line: line_no,
            column: column(start_at),
            found: start_text.to_string(),
            format: kind.name(),
            example: kind.example_time(),
        })?;
    let right = &line[arrow + 3..];
    let end_at = arrow + 3 + (right.len() - right.trim_start().len());
    let Some(end_text) = right.split_whitespace().next() else {
        return Err(TranscriptError::MissingTime {
            line: line_no,
            column: column(end_at),
            which: "end",
            format: kind.name(),
            example: kind.example_timing(),
        });
    };
    let end = kind
        .parse(end_text)
        .ok_or_else(|| TranscriptError::BadTime {
            line: line_no,
            column: column(end_at),
            found: end_text.to_string(),
            format: kind.name(),
            example: kind.example_time(),
        })?;
    Ok((start, end, start_text.to_string()))
}

/// What one speaker says in a cue (a cue may hold several voices or "- Name:" lines).
#[derive(Default)]
pub(crate) struct Segment {
    pub(crate) speaker: String,
    pub(crate) said: String,
}

/// A character entity's text, for the entities captions use.
fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => '\u{a0}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            return char::from_u32(code).filter(|&c| c != '\0');
        }
    })
}

/// One line of cue text without its tags and with its entities decoded, split where voice
/// tags begin: pieces of (the voice's name when a voice tag began it, the text).
fn clean_line(line: &str, pieces: &mut Vec<(Option<String>, String)>) {
    pieces.push((None, String::new()));
    let mut rest = line;
    while let Some(i) = rest.find(['<', '&', '{']) {
        let text = &mut pieces.last_mut().expect("a piece").1;
        text.push_str(&rest[..i]);
        let at = &rest[i..];
        if let Some(tag_body) = at.strip_prefix('<') {
            if let Some(close) = tag_body.find('>') {
                let tag = &tag_body[..close];
                let voice = tag
                    .strip_prefix('v')
                    .filter(|r| r.is_empty() || r.starts_with(['.', ' ', '\t']));
                if let Some(annotation) = voice {
                    let name = annotation
                        .split_once([' ', '\t'])
                        .map_or("", |(_, name)| name);
                    pieces.push((Some(collapse_ws(name)), String::new()));
                }
                rest = &tag_body[close + 1..];
                continue;
            }
        } else if let Some(body) = at.strip_prefix('&') {
            let close = body.find(';').filter(|&j| j <= 10);
            if let Some(c) = close.and_then(|j| entity(&body[..j]).map(|c| (j, c))) {
                text.push(c.1);
                rest = &body[c.0 + 1..];
                continue;
            }
        } else if at.starts_with("{\\")
            && let Some(close) = at.find('}')
        {
            // An SSA/ASS override such as {\an8} that subtitle tools leave in.
            rest = &at[close + 1..];
            continue;
        }
        let c = at.chars().next().expect("a character");
        text.push(c);
        rest = &at[c.len_utf8()..];
    }
    pieces.last_mut().expect("a piece").1.push_str(rest);
}

/// The voices of a cue's text lines: voice tags name the speaker; without one, a line
/// beginning "Name: " or "- Name: " does.
pub(crate) fn cue_segments(text_lines: &[&str], segments: &mut Vec<Segment>) {
    segments.clear();
    let mut voiced = false;
    let mut pieces = Vec::new();
    for line in text_lines {
        pieces.clear();
        clean_line(line, &mut pieces);
        for (i, (voice, text)) in pieces.iter().enumerate() {
            if let Some(name) = voice {
                segments.push(Segment {
                    speaker: name.clone(),
                    said: String::new(),
                });
                voiced = true;
            }
            let mut text = text.as_str();
            if i == 0 && !voiced {
                let trimmed = text.trim_start();
                let undashed = trimmed
                    .strip_prefix(['-', '–', '—'])
                    .map_or(trimmed, str::trim_start);
                if let Some((label, rest)) = split_label(undashed, ":") {
                    segments.push(Segment {
                        speaker: collapse_ws(label),
                        said: String::new(),
                    });
                    text = rest;
                }
            }
            if segments.is_empty() {
                segments.push(Segment::default());
            }
            let segment = segments.last_mut().expect("a segment");
            segment.said.push(' ');
            segment.said.push_str(text);
        }
    }
    for segment in segments.iter_mut() {
        segment.said = collapse_ws(&segment.said);
    }
}

fn is_block_keyword(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Reads WebVTT captions: the header `WEBVTT`, then cues (an optional identifier, a timing
/// line `00:00:01.000 --> 00:00:04.000` with optional settings, the text lines); NOTE, STYLE
/// and REGION blocks are skipped.
pub fn read_vtt(text: &str) -> Result<Transcript, TranscriptError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all: Vec<&str> = lines(text).collect();
    if !all.first().is_some_and(|l| is_vtt_header(l)) {
        return Err(TranscriptError::NotWebVtt { line: 1 });
    }
    let n = all.len();
    let blank = |i: usize| all[i].trim().is_empty();
    // The header's own lines (Kind:, Language:) run to the first blank line.
    let mut i = 1;
    while i < n && !blank(i) && !all[i].contains("-->") {
        i += 1;
    }
    let mut b = Builder::new(text.len());
    let mut segments = Vec::new();
    let mut cues = 0usize;
    while i < n {
        if blank(i) {
            i += 1;
            continue;
        }
        let line = all[i];
        if ["NOTE", "STYLE", "REGION"]
            .iter()
            .any(|w| is_block_keyword(line, w))
        {
            while i < n && !blank(i) {
                i += 1;
            }
            continue;
        }
        let timing = if line.contains("-->") {
            i
        } else if i + 1 < n && all[i + 1].contains("-->") {
            i + 1
        } else {
            b.warn(i + 1, "a block without cue times was left out");
            while i < n && !blank(i) {
                i += 1;
            }
            continue;
        };
        let (start, end, start_text) = parse_timing(all[timing], timing + 1, Captions::WebVtt)?;
        let first_text = timing + 1;
        let mut j = first_text;
        // A cue's text ends at a blank line, or at the next cue's times when a file leaves
        // out the blank line (cue text cannot hold "-->").
        while j < n && !blank(j) && !all[j].contains("-->") {
            j += 1;
        }
        if j == first_text {
            return Err(TranscriptError::CueWithoutText {
                line: timing + 1,
                start: start_text,
            });
        }
        if end < start {
            b.warn(
                timing + 1,
                format_args!("the cue starting {start_text} ends before it starts"),
            );
        }
        cues += 1;
        cue_segments(&all[first_text..j], &mut segments);
        let mut any = false;
        for segment in &segments {
            if !segment.said.is_empty() {
                b.push(
                    &segment.speaker,
                    &segment.said,
                    Some(start),
                    Some(end),
                    timing + 1,
                );
                any = true;
            }
        }
        if !any {
            b.warn(
                timing + 1,
                format_args!("the cue starting {start_text} is empty once its tags are removed and was left out"),
            );
        }
        i = j;
    }
    if cues == 0 {
        return Err(TranscriptError::NoTurns {
            line: 1,
            what: "there are no cues in this WebVTT file; a cue is a line of times such as 00:00:01.000 --> 00:00:04.000 and then its text".to_string(),
        });
    }
    Ok(b.finish(TranscriptLayout::WebVtt))
}

#[cfg(test)]
mod tests {
    use super::super::testing::expect;
    use super::super::{TranscriptError, read_vtt};

    #[test]
    fn zoom_voice_tags() {
        let vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.200\n<v Interviewer>Thanks for joining. How did you start?</v>\n\n2\n00:00:04.800 --> 00:00:09.000\n<v Maria Lopez>I started in 2015,\nwhen the clinic opened.</v>\n\n3\n00:00:09.100 --> 00:00:12.000\n<v Maria Lopez>It was &lt;hard&gt; &amp; <i>slow</i>&#33;\n\n4\n00:00:12.500 --> 00:00:14.000 align:start position:10%\n<v.loud Interviewer>Why?\n";
        let t = read_vtt(vtt).expect("reads");
        expect(
            &t,
            &[
                (
                    "Interviewer",
                    "Thanks for joining. How did you start?",
                    Some(1.0),
                    Some(4.2),
                ),
                (
                    "Maria Lopez",
                    "I started in 2015, when the clinic opened. It was <hard> & slow!",
                    Some(4.8),
                    Some(12.0),
                ),
                ("Interviewer", "Why?", Some(12.5), Some(14.0)),
            ],
        );
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    #[test]
    fn teams_cue_ids_notes_and_styles() {
        let vtt = "\u{feff}WEBVTT\r\nKind: captions\r\nLanguage: en\r\n\r\nNOTE\r\nduration:\"00:00:10.250\"\r\n\r\nSTYLE\r\n::cue { color: yellow }\r\n\r\n0f3c1d2e-8a9b-4c5d-9e0f-1a2b3c4d5e6f/12-0\r\n00:00:03.120 --> 00:00:05.480\r\n<v Dana Cohen>Good morning, everyone.</v>\r\n\r\n0f3c1d2e-8a9b-4c5d-9e0f-1a2b3c4d5e6f/12-1\r\n00:00:05.480 --> 00:00:07.000\r\n<v Dana Cohen>Let's begin.</v>\r\n\r\nNOTE the next speaker joined late\r\n\r\n0f3c1d2e-8a9b-4c5d-9e0f-1a2b3c4d5e6f/13-0\r\n00:00:07.900 --> 00:00:10.250\r\n<v Sam O'Neill>Thanks, <c.blue>Dana</c>.</v>\r\n";
        let t = read_vtt(vtt).expect("reads");
        expect(
            &t,
            &[
                (
                    "Dana Cohen",
                    "Good morning, everyone. Let's begin.",
                    Some(3.12),
                    Some(7.0),
                ),
                ("Sam O'Neill", "Thanks, Dana.", Some(7.9), Some(10.25)),
            ],
        );
    }

    #[test]
    fn name_colon_cue_text_and_speakerless_cues() {
        let vtt = "WEBVTT - Zoom\n\n00:01.000 --> 00:03.000\nAnna: Hello <00:00:02.000><c>there</c>.\n\n00:03.500 --> 00:05.000\nBen: Hi&nbsp;Anna.\n\n00:05.200 --> 00:06.000\n(laughter)\n\n00:06.500 --> 00:07.000\n(crosstalk)\n\n00:09.000 --> 00:10.000\n[inaudible]\n\n00:10.000 --> 00:11.000\nanna: So &#x2014; yes.\n\n00:11.000 --> 00:12.000\n- Ben: Right.\n- Anna: OK.\n";
        let t = read_vtt(vtt).expect("reads");
        expect(
            &t,
            &[
                ("Anna", "Hello there.", Some(1.0), Some(3.0)),
                // &nbsp; is whitespace, collapsed like any other.
                ("Ben", "Hi Anna.", Some(3.5), Some(5.0)),
                ("", "(laughter) (crosstalk)", Some(5.2), Some(7.0)),
                ("", "[inaudible]", Some(9.0), Some(10.0)),
                ("anna", "So — yes.", Some(10.0), Some(11.0)),
                ("Ben", "Right.", Some(11.0), Some(12.0)),
                ("Anna", "OK.", Some(11.0), Some(12.0)),
            ],
        );
    }

    #[test]
    fn unicode_names_and_overlapping_cues() {
        let vtt = "WEBVTT\n\n00:00:10.000 --> 00:00:14.000\n<v Zoë  Ó Briain>I think we should</v>\n\n00:00:12.000 --> 00:00:13.000\n<v عمر>لا أوافق</v>\n\n00:00:13.500 --> 00:00:15.000\n<v דנה>רגע&rlm;</v>\n\n00:00:11.000 --> 00:00:16.000\n<v 王明>我同意</v>\n\n00:00:15.000 --> 00:00:17.000\n<v zoë ó briain>wait.</v>\n";
        let t = read_vtt(vtt).expect("reads");
        expect(
            &t,
            &[
                ("Zoë Ó Briain", "I think we should", Some(10.0), Some(14.0)),
                ("عمر", "لا أوافق", Some(12.0), Some(13.0)),
                ("דנה", "רגע\u{200f}", Some(13.5), Some(15.0)),
                ("王明", "我同意", Some(11.0), Some(16.0)),
                // Not the turn before: a new turn, its name as written.
                ("zoë ó briain", "wait.", Some(15.0), Some(17.0)),
            ],
        );
    }

    #[test]
    fn names_that_change_case_join_and_titles_stay_apart() {
        let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v ANNA>One.\n\n00:02.000 --> 00:03.000\n<v Anna>Two.\n\n00:03.000 --> 00:04.000\n<v Dr. Amira Haddad>Three.\n\n00:04.000 --> 00:05.000\n<v Amira Haddad>Four.\n";
        let t = read_vtt(vtt).expect("reads");
        expect(
            &t,
            &[
                ("ANNA", "One. Two.", Some(1.0), Some(3.0)),
                ("Dr. Amira Haddad", "Three.", Some(3.0), Some(4.0)),
                ("Amira Haddad", "Four.", Some(4.0), Some(5.0)),
            ],
        );
    }

    #[test]
    fn a_missing_blank_line_between_cues_is_tolerated() {
        let vtt =
            "WEBVTT\n00:01.000 --> 00:02.000\n<v Anna>One.\n00:02.500 --> 00:03.000\n<v Ben>Two.\n";
        let t = read_vtt(vtt).expect("reads");
        expect(
            &t,
            &[
                ("Anna", "One.", Some(1.0), Some(2.0)),
                ("Ben", "Two.", Some(2.5), Some(3.0)),
            ],
        );
    }

    #[test]
    fn empty_cues_are_left_out_with_a_warning() {
        let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Hi.</v>\n\n00:02.000 --> 00:03.000\n<v Ben></v>\n\nid-3\n00:03.000 --> 00:04.000\n<v Anna><i> </i></v>\n\n00:04.000 --> 00:05.000\n<v Anna>Again.</v>\n";
        let t = read_vtt(vtt).expect("reads");
        expect(&t, &[("Anna", "Hi. Again.", Some(1.0), Some(5.0))]);
        assert_eq!(
            t.warnings,
            vec![
                "line 6: the cue starting 00:02.000 is empty once its tags are removed and was left out",
                "line 10: the cue starting 00:03.000 is empty once its tags are removed and was left out",
            ]
        );
    }

    /// `hours` of a 12-speaker meeting, a cue every 4 seconds, each by the next speaker.
    fn meeting(hours: usize) -> String {
        let mut vtt = String::from("WEBVTT\n\n");
        for i in 0..hours * 900 {
            let start = i * 4;
            let end = start + 3;
            let clock = |s: usize| format!("{:02}:{:02}:{:02}.500", s / 3600, s / 60 % 60, s % 60);
            vtt.push_str(&format!(
                "{}\n{} --> {}\n<v Participant {}>Cue number {i}, and what was said then, more or less.</v>\n\n",
                i + 1,
                clock(start),
                clock(end),
                i % 12 + 1
            ));
        }
        vtt
    }

    #[test]
    fn a_three_hour_meeting() {
        let vtt = meeting(3);
        let t = read_vtt(&vtt).expect("reads");
        assert_eq!(t.turns.len(), 2700);
        let last = t.turns.last().expect("a last turn");
        assert_eq!(last.speaker, "Participant 12");
        assert_eq!(last.time_start, Some(10796.5));
        assert_eq!(last.time_end, Some(10799.5));
        assert_eq!(
            super::super::testing::said(&t, last),
            "Cue number 2699, and what was said then, more or less."
        );
        assert!(
            t.text.ends_with(
                "Participant 12: Cue number 2699, and what was said then, more or less.\n"
            )
        );
    }

    #[test]
    fn a_ten_hour_meeting_reads_in_linear_time() {
        let vtt = meeting(10);
        assert!(vtt.len() > 1_000_000, "{}", vtt.len());
        let began = std::time::Instant::now();
        let t = read_vtt(&vtt).expect("reads");
        let took = began.elapsed();
        assert_eq!(t.turns.len(), 9000);
        // Generous for an unoptimised build on a busy machine; quadratic work would take
        // minutes.
        assert!(took.as_secs_f64() < 5.0, "{took:?}");
        let last = t.turns.last().expect("a last turn");
        assert_eq!(
            super::super::testing::said(&t, last),
            "Cue number 8999, and what was said then, more or less."
        );
    }

    #[test]
    fn a_malformed_time_names_its_line_and_column() {
        let vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:05.000\nHi\n\n2\n00:00:05.000 --> 00:01:6O.000\nThere\n";
        let err = read_vtt(vtt).unwrap_err();
        assert!(
            matches!(
                err,
                TranscriptError::BadTime {
                    line: 8,
                    column: 18,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "line 8, column 18: “00:01:6O.000” is not a time; WebVTT writes times as 00:01:02.500"
        );
        let err = read_vtt("WEBVTT\n\n  00:00:01,000 --> 00:00:02.000\nHi\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3, column 3: “00:00:01,000” is not a time; WebVTT writes times as 00:01:02.500"
        );
        let err = read_vtt("WEBVTT\n\n--> 00:00:02.000\nHi\n").unwrap_err();
        assert!(
            matches!(
                err,
                TranscriptError::MissingTime {
                    line: 3,
                    column: 1,
                    which: "start",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_cue_without_text_is_an_error() {
        let vtt = "WEBVTT\n\n00:00:40.000 --> 00:00:41.000\nSo.\n\n00:00:41.000 --> 00:00:42.000\n\n00:00:42.000 --> 00:00:43.000\nThen.\n";
        let err = read_vtt(vtt).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 6: the cue starting 00:00:41.000 has no text"
        );
        let err = read_vtt("WEBVTT\n\n00:00:41.000 --> 00:00:42.000").unwrap_err();
        assert!(
            matches!(err, TranscriptError::CueWithoutText { line: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn a_file_that_is_not_webvtt() {
        for text in [
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n",
            "",
            "WEBVTTX\n",
            "webvtt\n",
        ] {
            let err = read_vtt(text).unwrap_err();
            assert!(
                matches!(err, TranscriptError::NotWebVtt { line: 1 }),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                "line 1: this is not a WebVTT file: it must begin with “WEBVTT”"
            );
        }
        let err = read_vtt("WEBVTT\n\nNOTE nothing here\n").unwrap_err();
        assert!(
            matches!(err, TranscriptError::NoTurns { line: 1, .. }),
            "{err:?}"
        );
    }
}
