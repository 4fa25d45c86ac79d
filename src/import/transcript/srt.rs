//! SRT subtitles: blocks of a number, `00:00:01,000 --> 00:00:02,500` and the text lines.

use super::vtt::{Captions, cue_segments, parse_timing};
use super::{Builder, Transcript, TranscriptError, TranscriptLayout, lines};

fn is_number(line: &str) -> bool {
    !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
}

/// Reads SRT subtitles, tolerantly: numbers may be missing, `.` may stand for `,`, lines may
/// end in CRLF, blank lines may be doubled or stand inside a subtitle's text. Speakers are
/// named by "Name: text" or "- Name: text" lines; tags such as `<i>` are removed.
pub fn read_srt(text: &str) -> Result<Transcript, TranscriptError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all: Vec<&str> = lines(text).collect();
    let n = all.len();
    let blank = |i: usize| all[i].trim().is_empty();
    // Whether a block (a timing line, or a number and a timing line) begins at `i`.
    let block_at = |i: usize| {
        let line = all[i].trim();
        line.contains("-->") || (is_number(line) && i + 1 < n && all[i + 1].contains("-->"))
    };
    let mut b = Builder::new(text.len());
    let mut segments = Vec::new();
    let mut cues = 0usize;
    let mut i = 0;
    while i < n {
        if blank(i) {
            i += 1;
            continue;
        }
        if !block_at(i) {
            // Text after a blank line inside a subtitle: more of the one before.
            if cues == 0 {
                return Err(TranscriptError::Unexpected {
                    line: i + 1,
                    expected: "a subtitle's number or its times, as in 00:00:01,000 --> 00:00:02,500",
                    found: all[i].trim().chars().take(60).collect(),
                });
            }
            let from = i;
            while i < n && !blank(i) {
                i += 1;
            }
            cue_segments(&all[from..i], &mut segments);
            for segment in &segments {
                if segment.said.is_empty() {
                    continue;
                }
                if segment.speaker.is_empty() {
                    b.append(&segment.said, None, from + 1);
                } else {
                    b.push(&segment.speaker, &segment.said, None, None, from + 1);
                }
            }
            continue;
        }
        let timing = if all[i].contains("-->") { i } else { i + 1 };
        let (start, end, start_text) = parse_timing(all[timing], timing + 1, Captions::Srt)?;
        cues += 1;
        let mut first_text = timing + 1;
        if first_text < n && blank(first_text) {
            // A blank line between the times and the text: the text still belongs here
            // unless the next subtitle (or the end) comes first.
            let mut k = first_text;
            while k < n && blank(k) {
                k += 1;
            }
            if k == n || block_at(k) {
                b.warn(
                    timing + 1,
                    format_args!("the subtitle starting {start_text} has no text and was left out"),
                );
                i = k;
                continue;
            }
            first_text = k;
        }
        let mut j = first_text;
        while j < n && !blank(j) && !(j > first_text && all[j].contains("-->")) {
            j += 1;
        }
        // A number line right before the next timing line (no blank line between
        // subtitles) is that subtitle's number, not text.
        let text_end =
            if j < n && j > first_text && all[j].contains("-->") && is_number(all[j - 1].trim()) {
                j - 1
            } else {
                j
            };
        if text_end == first_text {
            b.warn(
                timing + 1,
                format_args!("the subtitle starting {start_text} has no text and was left out"),
            );
            i = text_end;
            continue;
        }
        if end < start {
            b.warn(
                timing + 1,
                format_args!("the subtitle starting {start_text} ends before it starts"),
            );
        }
        cue_segments(&all[first_text..text_end], &mut segments);
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
                format_args!("the subtitle starting {start_text} is empty once its tags are removed and was left out"),
            );
        }
        i = text_end;
    }
    if cues == 0 {
        return Err(TranscriptError::NoTurns {
            line: 1,
            what: "there are no subtitles in this SRT file; a subtitle is a number, a line of times such as 00:00:01,000 --> 00:00:02,500 and its text".to_string(),
        });
    }
    Ok(b.finish(TranscriptLayout::Srt))
}

#[cfg(test)]
mod tests {
    use super::super::testing::expect;
    use super::super::{TranscriptError, read_srt};

    #[test]
    fn subtitles_with_speakers_tags_and_untidy_blocks() {
        let srt = "\u{feff}1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Interviewer:</i> How did you start?\r\n\r\n\r\n2\r\n00:00:03,000 --> 00:00:06.000\r\n- Anna: In 2015.\r\n- Ben: Me too.\r\n\r\n00:00:06,500 --> 00:00:08,000\r\nBen: It was\r\n<b>hard</b>.\r\n\r\n4\r\n00:00:09,000 --> 00:00:10,000\r\n\r\n5\r\n00:00:11,000 --> 00:00:12,000\r\n{\\an8}Interviewer: Thanks.\r\n6\r\n00:00:12,000 --> 00:00:13,000\r\nAnna: Bye.\r\n";
        let t = read_srt(srt).expect("reads");
        expect(
            &t,
            &[
                ("Interviewer", "How did you start?", Some(1.0), Some(2.5)),
                ("Anna", "In 2015.", Some(3.0), Some(6.0)),
                ("Ben", "Me too. It was hard.", Some(3.0), Some(8.0)),
                ("Interviewer", "Thanks.", Some(11.0), Some(12.0)),
                ("Anna", "Bye.", Some(12.0), Some(13.0)),
            ],
        );
        assert_eq!(
            t.warnings,
            vec!["line 16: the subtitle starting 00:00:09,000 has no text and was left out"]
        );
    }

    #[test]
    fn subtitles_without_speakers_join_until_a_pause() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nSo we began\n\n2\n00:00:02,500 --> 00:00:03,000\nin the spring.\n\n\n3\n00:00:06,000 --> 00:00:07,000\nLater,\n\nmuch later.\n";
        let t = read_srt(srt).expect("reads");
        expect(
            &t,
            &[
                ("", "So we began in the spring.", Some(1.0), Some(3.0)),
                ("", "Later, much later.", Some(6.0), Some(7.0)),
            ],
        );
    }

    #[test]
    fn a_malformed_subtitle_time_names_its_line_and_column() {
        let srt =
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:0x,500\nThere\n";
        let err = read_srt(srt).unwrap_err();
        assert!(
            matches!(
                err,
                TranscriptError::BadTime {
                    line: 6,
                    column: 18,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "line 6, column 18: “00:00:0x,500” is not a time; SRT writes times as 00:01:02,500"
        );
        let err = read_srt("Just some text\nand more\n").unwrap_err();
        assert!(
            matches!(err, TranscriptError::Unexpected { line: 1, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("line 1: expected a subtitle's number or its times")
        );
        let err = read_srt("").unwrap_err();
        assert!(
            matches!(err, TranscriptError::NoTurns { line: 1, .. }),
            "{err:?}"
        );
    }
}
