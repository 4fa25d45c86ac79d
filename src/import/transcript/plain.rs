//! Transcripts in text (.txt, or the paragraphs of a .docx): "Name: text" lines or
//! paragraphs, "[00:01:02] Name: text", "Name (00:01:02): text", f4/f5 time marks
//! `#00:01:02-5#` and Otter's speaker headers.

use std::collections::HashMap;

use super::time::{parse_clock, strip_marks};
use super::{
    Builder, Transcript, TranscriptError, TranscriptLayout, collapse_ws, is_label, lines,
    speaker_key, split_label,
};

/// One non-blank line as a layout reads it.
struct Line {
    /// The speaker when the line begins a turn.
    speaker: Option<String>,
    /// What was said on the line (collapsed), without label, times and marks.
    said: String,
    /// The time the line begins at (a leading time or mark).
    start: Option<f64>,
    /// TimeMarks: the last mark after the line's start, the time at the line's end.
    end_mark: Option<f64>,
    /// Time marks on the line.
    marks: usize,
    /// Whether the line matched the layout's own pattern (a time where the layout puts
    /// one), rather than only a fallback "Name:" label.
    specific: bool,
}

impl Line {
    fn text(said: &str) -> Line {
        Line {
            speaker: None,
            said: collapse_ws(said),
            start: None,
            end_mark: None,
            marks: 0,
            specific: false,
        }
    }

    fn turn(speaker: &str, said: &str, start: Option<f64>, specific: bool) -> Line {
        Line {
            speaker: Some(collapse_ws(speaker)),
            said: collapse_ws(said),
            start,
            end_mark: None,
            marks: 0,
            specific,
        }
    }
}

/// "Name: text" with the layout's separator, else a line of text.
fn labelled(line: &str, sep: &str) -> Line {
    match split_label(line, sep) {
        Some((label, rest)) => Line::turn(label, rest, None, true),
        None => Line::text(line),
    }
}

/// `[00:01:02] Name: text` (or `[00:01:02] text`, more of the turn before).
fn time_then_name(line: &str) -> Line {
    let trimmed = line.trim_start();
    let timed = trimmed.strip_prefix('[').and_then(|body| {
        let close = body.find(']').filter(|&j| j <= 16)?;
        let time = parse_clock(body[..close].trim())?;
        Some((time, &body[close + 1..]))
    });
    let Some((time, rest)) = timed else {
        let mut l = labelled(line, ":");
        l.specific = false;
        return l;
    };
    match split_label(rest, ":") {
        Some((label, said)) => Line::turn(label, said, Some(time), true),
        None => Line {
            start: Some(time),
            specific: true,
            ..Line::text(rest)
        },
    }
}

/// `Name (00:01:02): text`, the colon optional (Rev writes the text on the next line).
fn name_then_time(line: &str) -> Line {
    let trimmed = line.trim_start();
    let timed = trimmed.find('(').filter(|&i| i <= 160).and_then(|open| {
        let name = trimmed[..open].trim();
        let body = &trimmed[open + 1..];
        let close = body.find(')').filter(|&j| j <= 16)?;
        let time = parse_clock(body[..close].trim())?;
        if !is_label(name) {
            return None;
        }
        let after = body[close + 1..].trim_start();
        let said = after
            .strip_prefix([':', '：'])
            .or_else(|| after.strip_prefix(" -"))
            .unwrap_or(after);
        Some((name, time, said))
    });
    match timed {
        Some((name, time, said)) => Line::turn(name, said, Some(time), true),
        None => {
            let mut l = labelled(line, ":");
            l.specific = false;
            l
        }
    }
}

/// Otter's header `Speaker 1  0:00`: a name, two or more spaces or a tab, a time, nothing
/// more.
fn speaker_header(line: &str) -> Option<(&str, f64)> {
    let t = line.trim();
    let (cut, ws) = t.char_indices().rev().find(|(_, c)| c.is_whitespace())?;
    let time = parse_clock(&t[cut + ws.len_utf8()..])?;
    let name_part = t[..cut].trim_end();
    let gap = &t[name_part.len()..cut + ws.len_utf8()];
    if !(gap.contains('\t') || gap.chars().count() >= 2) {
        return None;
    }
    let name = name_part.trim();
    is_label(name).then_some((name, time))
}

/// A line with f4/f5 time marks: a mark before the label (or right after it) is the line's
/// start; the last later mark is the time at its end.
fn time_marks(line: &str) -> Line {
    let (clean, marks) = strip_marks(line);
    let label = split_label(&clean, ":");
    // Where what was said begins, in characters of `clean`.
    let said_from = match label {
        Some((_, rest)) => clean[..clean.len() - rest.trim_start().len()]
            .chars()
            .count(),
        None => 0,
    };
    let (start, end_mark) = if label.is_some() {
        let start = marks.iter().find(|m| m.0 <= said_from).map(|m| m.1);
        let end = marks.iter().rev().find(|m| m.0 > said_from).map(|m| m.1);
        (start, end)
    } else {
        (None, marks.last().map(|m| m.1))
    };
    let mut l = match label {
        Some((name, rest)) => Line::turn(name, rest, start, true),
        None => Line::text(&clean),
    };
    l.end_mark = end_mark;
    l.marks = marks.len();
    l
}

fn classify(line: &str, layout: &TranscriptLayout) -> Option<Line> {
    if line.trim().is_empty() {
        return None;
    }
    Some(match layout {
        TranscriptLayout::NameSeparator(sep) => labelled(line, sep),
        TranscriptLayout::TimeThenName => time_then_name(line),
        TranscriptLayout::NameThenTime => name_then_time(line),
        TranscriptLayout::TimeMarks => time_marks(line),
        TranscriptLayout::SpeakerHeaders => match speaker_header(line) {
            Some((name, time)) => Line::turn(name, "", Some(time), true),
            None => Line::text(line),
        },
        TranscriptLayout::WebVtt | TranscriptLayout::Srt => Line::text(line),
    })
}

/// What a person is told a layout's turns look like.
fn example(layout: &TranscriptLayout) -> String {
    match layout {
        TranscriptLayout::NameSeparator(sep) => {
            format!(
                "a speaker's name and “{}”, as in “Interviewer{} How did you start?”",
                sep, sep
            )
        }
        TranscriptLayout::TimeThenName => {
            "a time and a name, as in “[00:01:02] Interviewer: How did you start?”".to_string()
        }
        TranscriptLayout::NameThenTime => {
            "a name and a time, as in “Interviewer (00:01:02): How did you start?”".to_string()
        }
        TranscriptLayout::TimeMarks => {
            "a speaker's name or a time mark, as in “I: How did you start? #00:00:12-3#”"
                .to_string()
        }
        TranscriptLayout::SpeakerHeaders => {
            "a speaker's header, a name and a time apart by two spaces, as in “Speaker 1  0:00”"
                .to_string()
        }
        TranscriptLayout::WebVtt | TranscriptLayout::Srt => layout.name(),
    }
}

/// Reads `text` in one of the text layouts.
pub(crate) fn read(text: &str, layout: &TranscriptLayout) -> Result<Transcript, TranscriptError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let marks = matches!(layout, TranscriptLayout::TimeMarks);
    let mut b = Builder::new(text.len());
    // TimeMarks: the time at the end of the paragraph before, where the next turn starts.
    let mut last_end: Option<f64> = None;
    let mut labelled_turns = 0usize;
    let mut any_mark = false;
    for (index, raw) in lines(text).enumerate() {
        let line_no = index + 1;
        let Some(line) = classify(raw, layout) else {
            continue;
        };
        if raw.trim().starts_with("Transcribed by https://otter.ai") {
            // Otter's signature at the end of its exports: nobody said it.
            b.warn(
                line_no,
                "Otter's “Transcribed by https://otter.ai” was left out",
            );
            continue;
        }
        any_mark |= line.marks > 0;
        match &line.speaker {
            Some(speaker) => {
                labelled_turns += 1;
                let start = if marks {
                    line.start.or(last_end.take())
                } else {
                    line.start
                };
                last_end = None;
                b.push(speaker, &line.said, start, None, line_no);
            }
            None if !b.has_open() && line.start.is_some() && !line.said.is_empty() => {
                b.push("", &line.said, line.start, None, line_no);
            }
            None if !line.said.is_empty() => b.append(&line.said, None, line_no),
            None => {}
        }
        if let Some(end) = line.end_mark {
            b.set_end(end);
            last_end = Some(end);
        }
    }
    if labelled_turns == 0 && !(marks && any_mark) {
        return Err(TranscriptError::NoTurns {
            line: 1,
            what: format!(
                "no line begins a turn in the layout “{}”; expected {}",
                layout.name(),
                example(layout)
            ),
        });
    }
    let mut transcript = b.finish(layout.clone());
    if !marks {
        // Only start times: a turn ends where the next begins.
        let starts: Vec<Option<f64>> = transcript
            .turns
            .iter()
            .skip(1)
            .map(|t| t.time_start)
            .collect();
        for (turn, next) in transcript.turns.iter_mut().zip(starts) {
            turn.time_end = next;
        }
    }
    Ok(transcript)
}

/// Whether `text` clearly is a transcript in `layout`: at least three turns, two speakers or
/// one speaking three times (and some speaker speaking twice), and at least 60% of the
/// non-empty paragraphs (or, for a turn a line, of the non-empty lines) beginning a turn.
pub(crate) fn looks_like(text: &str, layout: &TranscriptLayout) -> bool {
    let marks = matches!(layout, TranscriptLayout::TimeMarks);
    let headers = matches!(layout, TranscriptLayout::SpeakerHeaders);
    let mut non_empty = 0usize;
    let mut hit_lines = 0usize;
    let mut paragraphs = 0usize;
    let mut hit_paragraphs = 0usize;
    let mut in_paragraph = false;
    let mut paragraph_hit = false;
    let mut turns = 0usize;
    let mut speakers: HashMap<String, usize> = HashMap::new();
    // SpeakerHeaders: the lines from the first header on, and whether times only grow.
    let mut covered = 0usize;
    let mut last_time = f64::NEG_INFINITY;
    let mut times_grow = true;
    for raw in lines(text) {
        let Some(line) = classify(raw, layout) else {
            if in_paragraph && paragraph_hit {
                hit_paragraphs += 1;
            }
            in_paragraph = false;
            continue;
        };
        non_empty += 1;
        let begins = line.speaker.is_some() && line.specific;
        if let (true, Some(speaker)) = (begins, &line.speaker) {
            turns += 1;
            *speakers.entry(speaker_key(speaker)).or_default() += 1;
        }
        if headers
            && begins
            && let Some(t) = line.start
        {
            times_grow &= t >= last_time;
            last_time = t;
        }
        if headers && turns > 0 {
            covered += 1;
        }
        let hit = if marks { line.marks > 0 } else { begins };
        if hit {
            hit_lines += 1;
        }
        if !in_paragraph {
            paragraphs += 1;
            in_paragraph = true;
            paragraph_hit = hit;
        } else if marks {
            paragraph_hit |= hit;
        }
    }
    if in_paragraph && paragraph_hit {
        hit_paragraphs += 1;
    }
    let most = speakers.values().copied().max().unwrap_or(0);
    let enough_speakers = most >= 2 && (speakers.len() >= 2 || most >= 3);
    if turns < 3 || !enough_speakers || non_empty == 0 {
        return false;
    }
    let share = |part: usize, whole: usize| whole > 0 && part * 10 >= whole * 6;
    if marks && hit_lines < 3 {
        return false;
    }
    if headers {
        return times_grow && share(covered, non_empty);
    }
    share(hit_lines, non_empty) || (paragraphs >= 3 && share(hit_paragraphs, paragraphs))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::testing::expect;
    use super::super::{TranscriptError, TranscriptLayout, read_with_layout};

    pub(crate) const TIME_THEN_NAME: &str = "[00:00:05] Interviewer: How did you start?\n[00:00:09.5] Maria: In 2015.\n[01:15] Maria: It was hard.\nAnd slow.\n[00:01:20] Interviewer: Why?\n";
    pub(crate) const NAME_THEN_TIME: &str = "Interviewer (00:00:02):\nHow did you start?\n\nMaria Lopez (00:00:06): In 2015.\n\nMaria Lopez (00:00:10): It was hard.\n\nInterviewer (00:01:02): Why?\n";
    pub(crate) const F4: &str = "I: Wie war das für Sie? #00:00:12-3#\n\nB: Am Anfang schwierig. Ich wusste nicht, #00:00:20-1# was auf mich zukommt. #00:00:25-4#\n\nB: Dann wurde es besser. #00:00:31-0#\n\nI: Warum? #00:00:33-9#\n\n#00:00:40-0# B: Weil die Kolleginnen halfen.\n";
    pub(crate) const OTTER: &str = "Speaker 1  0:00\nSo tell me how you started.\n\nMaria Lopez  0:07\nI started in 2015.\nIt was hard.\n\nMaria Lopez  1:02\nLater it got better.\n\nSpeaker 1\t1:10:05\nThanks: that helps.\n\nTranscribed by https://otter.ai\n";

    fn read(text: &str, layout: TranscriptLayout) -> super::super::Transcript {
        read_with_layout(text, &layout).expect("reads")
    }

    #[test]
    fn name_colon_paragraphs_as_word_writes_them() {
        let t = read(
            super::super::tests_name_text(),
            TranscriptLayout::NameSeparator(":".into()),
        );
        expect(
            &t,
            &[
                ("", "Interview 4 — transcribed by K. M.", None, None),
                ("Interviewer", "How did you start?", None, None),
                (
                    "Maria",
                    "I started in 2015, when the clinic opened. It was hard at first. Later it got better.",
                    None,
                    None,
                ),
                ("Interviewer", "Why?", None, None),
                ("Maria", "Because of the team.", None, None),
            ],
        );
    }

    #[test]
    fn other_separators() {
        let t = read(
            "Anna - Hello.\nBen - Hi - there.\nAnna - Bye.\n",
            TranscriptLayout::NameSeparator(" -".into()),
        );
        expect(
            &t,
            &[
                ("Anna", "Hello.", None, None),
                ("Ben", "Hi - there.", None, None),
                ("Anna", "Bye.", None, None),
            ],
        );
        let t = read(
            "Anna — Hello.\nBen—Hi.\n",
            TranscriptLayout::NameSeparator("—".into()),
        );
        expect(
            &t,
            &[("Anna", "Hello.", None, None), ("Ben", "Hi.", None, None)],
        );
    }

    #[test]
    fn unicode_names() {
        let text = "Zoë  Ó Briain: Dia dhuit.\n\nعمر: مرحبا بكم\n\nדנה: שלום לכולם\n\n王明：我同意。\n\nZoë Ó Briain: Go raibh maith agat.\n";
        assert_eq!(
            super::super::recognise_layout(text),
            Some(TranscriptLayout::NameSeparator(":".into()))
        );
        let t = read(text, TranscriptLayout::NameSeparator(":".into()));
        expect(
            &t,
            &[
                ("Zoë Ó Briain", "Dia dhuit.", None, None),
                ("عمر", "مرحبا بكم", None, None),
                ("דנה", "שלום לכולם", None, None),
                ("王明", "我同意。", None, None),
                ("Zoë Ó Briain", "Go raibh maith agat.", None, None),
            ],
        );
    }

    #[test]
    fn names_that_change_case_join_and_titles_stay_apart() {
        let t = read(
            "ANNA: First.\nAnna: Second.\nDr. Amira Haddad: Third.\nAmira Haddad: Fourth.\n",
            TranscriptLayout::NameSeparator(":".into()),
        );
        expect(
            &t,
            &[
                ("ANNA", "First. Second.", None, None),
                ("Dr. Amira Haddad", "Third.", None, None),
                ("Amira Haddad", "Fourth.", None, None),
            ],
        );
    }

    #[test]
    fn time_then_name() {
        let t = read(TIME_THEN_NAME, TranscriptLayout::TimeThenName);
        expect(
            &t,
            &[
                ("Interviewer", "How did you start?", Some(5.0), Some(9.5)),
                (
                    "Maria",
                    "In 2015. It was hard. And slow.",
                    Some(9.5),
                    Some(80.0),
                ),
                ("Interviewer", "Why?", Some(80.0), None),
            ],
        );
    }

    #[test]
    fn name_then_time() {
        let t = read(NAME_THEN_TIME, TranscriptLayout::NameThenTime);
        expect(
            &t,
            &[
                ("Interviewer", "How did you start?", Some(2.0), Some(6.0)),
                (
                    "Maria Lopez",
                    "In 2015. It was hard.",
                    Some(6.0),
                    Some(62.0),
                ),
                ("Interviewer", "Why?", Some(62.0), None),
            ],
        );
    }

    #[test]
    fn f4_time_marks_end_their_paragraphs() {
        let t = read(F4, TranscriptLayout::TimeMarks);
        expect(
            &t,
            &[
                ("I", "Wie war das für Sie?", None, Some(12.3)),
                (
                    "B",
                    "Am Anfang schwierig. Ich wusste nicht, was auf mich zukommt. Dann wurde es besser.",
                    Some(12.3),
                    Some(31.0),
                ),
                ("I", "Warum?", Some(31.0), Some(33.9)),
                ("B", "Weil die Kolleginnen halfen.", Some(40.0), None),
            ],
        );
    }

    #[test]
    fn otter_speaker_headers() {
        let t = read(OTTER, TranscriptLayout::SpeakerHeaders);
        expect(
            &t,
            &[
                (
                    "Speaker 1",
                    "So tell me how you started.",
                    Some(0.0),
                    Some(7.0),
                ),
                (
                    "Maria Lopez",
                    "I started in 2015. It was hard. Later it got better.",
                    Some(7.0),
                    Some(4205.0),
                ),
                ("Speaker 1", "Thanks: that helps.", Some(4205.0), None),
            ],
        );
        assert_eq!(
            t.warnings,
            vec!["line 14: Otter's “Transcribed by https://otter.ai” was left out"]
        );
        // A single space is not a header's gap.
        assert_eq!(super::speaker_header("Chapter 1 0:00"), None);
        assert_eq!(
            super::speaker_header("Speaker 2   12:34").map(|h| h.0),
            Some("Speaker 2")
        );
    }

    #[test]
    fn a_label_with_nothing_said_is_left_out_with_a_warning() {
        let t = read(
            "Anna: Hi.\n\nBen:\n\nAnna: Still here.\n",
            TranscriptLayout::NameSeparator(":".into()),
        );
        expect(
            &t,
            &[
                ("Anna", "Hi.", None, None),
                ("Anna", "Still here.", None, None),
            ],
        );
        assert_eq!(
            t.warnings,
            vec!["line 3: the turn of “Ben” has nothing said and was left out"]
        );
    }

    #[test]
    fn a_layout_that_does_not_fit_is_an_error() {
        let prose = "It was a long winter.\nNothing happened.\n";
        let err = read_with_layout(prose, &TranscriptLayout::TimeThenName).unwrap_err();
        assert!(
            matches!(err, TranscriptError::NoTurns { line: 1, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("line 1: no line begins a turn in the layout “[00:01:02] Name: text”"),
            "{err}"
        );
        let err =
            read_with_layout(prose, &TranscriptLayout::NameSeparator(":".into())).unwrap_err();
        assert!(
            err.to_string().contains("Interviewer: How did you start?"),
            "{err}"
        );
    }
}
