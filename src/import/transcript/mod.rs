//! Interview and focus-group transcripts: WebVTT and SRT captions, and text in the layouts
//! transcription tools and people write ("Name: text", "[00:01:02] Name: text",
//! "Name (00:01:02): text", f4/f5 time marks, Otter's speaker headers).
//!
//! Every reader gives a [`Transcript`]: a readable text with one turn per paragraph
//! ("Name: what was said") and the turns with their speakers, the character range of what was
//! said and, where the layout gives them, the times.

mod plain;
mod srt;
mod time;
mod vtt;

pub use srt::read_srt;
pub use vtt::read_vtt;

use thiserror::Error;

/// A transcript read from captions or text.
#[derive(Clone, Debug, PartialEq)]
pub struct Transcript {
    /// The readable transcript: one turn per paragraph, "Name: what was said" (just what was
    /// said when the speaker is unknown), paragraphs separated by "\n\n", ending with "\n".
    /// Time marks, cue numbers, cue settings and tags are not in it.
    pub text: String,
    pub turns: Vec<TranscriptTurn>,
    pub layout: TranscriptLayout,
    /// Things to check, each naming its line ("line 42: an empty cue was left out").
    pub warnings: Vec<String>,
}

/// What one speaker said without interruption.
#[derive(Clone, Debug, PartialEq)]
pub struct TranscriptTurn {
    /// As written in the file (whitespace trimmed and runs of whitespace collapsed); empty
    /// when unknown.
    pub speaker: String,
    /// Character offsets (Unicode scalar values, not bytes) into `text` of what was said, not
    /// including the "Name: " label: `text.chars().skip(start).take(end - start)` is exactly
    /// what the speaker said.
    pub start: usize,
    pub end: usize,
    /// Seconds from the recording's start; None when the layout gives none.
    pub time_start: Option<f64>,
    pub time_end: Option<f64>,
}

/// How a transcript is written.
#[derive(Clone, Debug, PartialEq)]
pub enum TranscriptLayout {
    /// WebVTT captions (Zoom, Teams).
    WebVtt,
    /// SRT subtitles.
    Srt,
    /// A speaker's label, then this separator, then what was said: ":" usually (`Interviewer:
    /// How did you start?`); people may also give " -" or "—".
    NameSeparator(String),
    /// `[00:01:02] Name: text`.
    TimeThenName,
    /// `Name (00:01:02): text`.
    NameThenTime,
    /// f4/f5 and noScribe time marks `#00:01:02-5#`, usually at the end of a paragraph.
    TimeMarks,
    /// Otter's headers: a line `Speaker 1  0:00`, then the lines said.
    SpeakerHeaders,
}

impl TranscriptLayout {
    /// The layout's name for people, as a chooser shows it.
    pub fn name(&self) -> String {
        match self {
            TranscriptLayout::WebVtt => "WebVTT captions".to_string(),
            TranscriptLayout::Srt => "SRT subtitles".to_string(),
            TranscriptLayout::NameSeparator(sep) => {
                let sep = separator(sep);
                if sep == ":" || sep == "：" || sep.starts_with(char::is_whitespace) {
                    format!("Name{sep} text")
                } else {
                    format!("Name {sep} text")
                }
            }
            TranscriptLayout::TimeThenName => "[00:01:02] Name: text".to_string(),
            TranscriptLayout::NameThenTime => "Name (00:01:02): text".to_string(),
            TranscriptLayout::TimeMarks => "Time marks #00:01:02-5# (f4/f5, noScribe)".to_string(),
            TranscriptLayout::SpeakerHeaders => "Speaker headers “Name  0:00” (Otter)".to_string(),
        }
    }

    /// The layouts of text transcripts, for a chooser; the first, "Name: text", is the
    /// default.
    pub fn all_for_text() -> Vec<TranscriptLayout> {
        vec![
            TranscriptLayout::NameSeparator(":".to_string()),
            TranscriptLayout::TimeThenName,
            TranscriptLayout::NameThenTime,
            TranscriptLayout::TimeMarks,
            TranscriptLayout::SpeakerHeaders,
        ]
    }
}

/// Why a transcript could not be read. Every message names its line (1-based) and, where it
/// applies, its column (1-based, in characters).
#[derive(Debug, Error)]
pub enum TranscriptError {
    #[error("line {line}: this is not a WebVTT file: it must begin with “WEBVTT”")]
    NotWebVtt { line: usize },
    #[error(
        "line {line}, column {column}: “{found}” is not a time; {format} writes times as {example}"
    )]
    BadTime {
        line: usize,
        column: usize,
        found: String,
        format: &'static str,
        example: &'static str,
    },
    #[error(
        "line {line}, column {column}: the cue's {which} time is missing; {format} writes a cue's times as {example}"
    )]
    MissingTime {
        line: usize,
        column: usize,
        which: &'static str,
        format: &'static str,
        example: &'static str,
    },
    #[error("line {line}: the cue starting {start} has no text")]
    CueWithoutText { line: usize, start: String },
    #[error("line {line}: expected {expected}, found “{found}”")]
    Unexpected {
        line: usize,
        expected: &'static str,
        found: String,
    },
    #[error("line {line}: {what}")]
    NoTurns { line: usize, what: String },
}

/// Reads `text` as a transcript in `layout`.
pub fn read_with_layout(
    text: &str,
    layout: &TranscriptLayout,
) -> Result<Transcript, TranscriptError> {
    match layout {
        TranscriptLayout::WebVtt => read_vtt(text),
        TranscriptLayout::Srt => read_srt(text),
        other => plain::read(text, other),
    }
}

/// The layout `text` is clearly a transcript in, or None. Conservative: news articles,
/// reports and prose give None, and so does a transcript too short to be sure of (fewer than
/// three turns).
pub fn recognise_layout(text: &str) -> Option<TranscriptLayout> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_vtt_header(lines(text).next().unwrap_or("")) {
        return Some(TranscriptLayout::WebVtt);
    }
    if looks_like_srt(text) {
        return Some(TranscriptLayout::Srt);
    }
    [
        TranscriptLayout::TimeMarks,
        TranscriptLayout::TimeThenName,
        TranscriptLayout::NameThenTime,
        TranscriptLayout::SpeakerHeaders,
        TranscriptLayout::NameSeparator(":".to_string()),
    ]
    .into_iter()
    .find(|layout| plain::looks_like(text, layout))
}

/// SRT: the first block is a number and a line of valid subtitle times.
fn looks_like_srt(text: &str) -> bool {
    let mut non_blank = lines(text).filter(|l| !l.trim().is_empty());
    let (Some(number), Some(timing)) = (non_blank.next(), non_blank.next()) else {
        return false;
    };
    let number = number.trim();
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match timing.split_once("-->") {
        Some((a, b)) => {
            time::parse_srt_time(a.trim()).is_some()
                && b.split_whitespace()
                    .next()
                    .and_then(time::parse_srt_time)
                    .is_some()
        }
        None => false,
    }
}

pub(crate) fn is_vtt_header(line: &str) -> bool {
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    match line.strip_prefix("WEBVTT") {
        Some(rest) => rest.is_empty() || rest.starts_with([' ', '\t']),
        None => false,
    }
}

/// The separator a user gave, ":" when none.
fn separator(sep: &str) -> &str {
    if sep.is_empty() { ":" } else { sep }
}

/// Lines split at "\n", "\r\n" or a lone "\r", without their ends.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.find(['\n', '\r']) {
            Some(i) => {
                let skip = if r[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&r[i + skip..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                if r.is_empty() && !text.is_empty() {
                    None
                } else {
                    Some(r)
                }
            }
        }
    })
}

/// `s` trimmed, with every run of whitespace made one space.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Characters that end or split a sentence and so never stand in a speaker's label.
const NOT_IN_LABEL: &[char] = &[
    '?', '!', ';', ',', ':', '"', '“', '”', '„', '«', '»', '[', ']', '{', '}', '<', '>', '=', '#',
    '@', '*', '|', '…', '，', '。', '？', '！', '；', '：', '、', '،', '؟', '؛',
];

/// Whether `label` (already trimmed) can be a speaker's name: 1–40 characters, at most five
/// words, starting with a letter of any script, no sentence punctuation except the period of
/// an initial or a capitalised abbreviation of up to four letters ("J.", "Dr.", "Sgt.").
pub(crate) fn is_label(label: &str) -> bool {
    let mut chars = label.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() => {}
        _ => return false,
    }
    if label.chars().count() > 40 || label.chars().any(|c| NOT_IN_LABEL.contains(&c)) {
        return false;
    }
    let mut words = 0;
    for word in label.split_whitespace() {
        words += 1;
        if words > 5 {
            return false;
        }
        if let Some(dot) = word.find('.') {
            // Only one period, ending a short word of letters: an abbreviation or initial.
            let stem = &word[..dot];
            let letters = stem.chars().count();
            let initial_or_title = letters == 1
                || (letters <= 4 && stem.chars().next().is_some_and(char::is_uppercase));
            if dot + 1 != word.len() || !initial_or_title || !stem.chars().all(char::is_alphabetic)
            {
                return false;
            }
        }
    }
    true
}

/// A speaker's label at the start of `line` followed by `sep`: the label and what follows
/// the separator. With ":" the separator must be followed by whitespace or end the line (so
/// "http://…" and "10:30" are not labels); a full-width "：" (Chinese, Japanese) needs no
/// space after it.
pub(crate) fn split_label<'a>(line: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let sep = separator(sep);
    let line = line.trim_start();
    // A label is at most 40 characters: look no further than that for the separator.
    let limit = line
        .char_indices()
        .nth(41 + sep.chars().count())
        .map_or(line.len(), |(i, _)| i);
    let head = &line[..limit];
    let (pos, len, needs_space) = if sep == ":" {
        let ascii = head.find(':');
        let wide = head.find('：');
        match (ascii, wide) {
            (Some(a), Some(w)) if w < a => (w, '：'.len_utf8(), false),
            (Some(a), _) => (a, 1, true),
            (None, Some(w)) => (w, '：'.len_utf8(), false),
            (None, None) => return None,
        }
    } else {
        (head.find(sep)?, sep.len(), false)
    };
    let label = line[..pos].trim();
    let rest = &line[pos + len..];
    if needs_space && !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    if rest.starts_with("//") || !is_label(label) {
        return None;
    }
    Some((label, rest))
}

/// How speakers are compared for joining turns: whitespace collapsed, case ignored.
fn speaker_key(speaker: &str) -> String {
    speaker.to_lowercase()
}

/// The turn being built: where its paragraph began, to take it back if nothing is said.
struct Open {
    key: String,
    byte_mark: usize,
    char_mark: usize,
    line: usize,
}

/// Builds the transcript's text and turns in one pass, keeping a running character count.
pub(crate) struct Builder {
    text: String,
    chars: usize,
    turns: Vec<TranscriptTurn>,
    open: Option<Open>,
    pub(crate) warnings: Vec<String>,
}

/// A pause between speakerless cues this long or longer starts a new turn.
const PAUSE: f64 = 2.0;

impl Builder {
    pub(crate) fn new(capacity: usize) -> Builder {
        Builder {
            text: String::with_capacity(capacity),
            chars: 0,
            turns: Vec::new(),
            open: None,
            warnings: Vec::new(),
        }
    }

    pub(crate) fn warn(&mut self, line: usize, what: impl std::fmt::Display) {
        self.warnings.push(format!("line {line}: {what}"));
    }

    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
        self.chars += s.chars().count();
    }

    /// What `speaker` said (`said` already trimmed and collapsed), from line `line`: joins
    /// the open turn when the speaker is the same (speakerless pieces: unless a pause of
    /// two seconds or more lies between them), else begins a new turn.
    pub(crate) fn push(
        &mut self,
        speaker: &str,
        said: &str,
        time_start: Option<f64>,
        time_end: Option<f64>,
        line: usize,
    ) {
        let speaker = collapse_ws(speaker);
        let key = speaker_key(&speaker);
        if let (Some(open), Some(last)) = (&self.open, self.turns.last())
            && open.key == key
        {
            let paused = key.is_empty()
                && matches!((last.time_end, time_start), (Some(e), Some(s)) if s - e >= PAUSE);
            if !paused {
                self.append(said, time_end, line);
                return;
            }
        }
        self.close();
        let byte_mark = self.text.len();
        let char_mark = self.chars;
        if !self.turns.is_empty() {
            self.push_str("\n\n");
        }
        if !speaker.is_empty() {
            self.push_str(&speaker);
            self.push_str(": ");
        }
        let start = self.chars;
        self.push_str(said);
        self.turns.push(TranscriptTurn {
            speaker,
            start,
            end: self.chars,
            time_start,
            time_end,
        });
        self.open = Some(Open {
            key,
            byte_mark,
            char_mark,
            line,
        });
    }

    /// More of what the open turn's speaker said (a continuation line); a speakerless turn
    /// when none is open.
    pub(crate) fn append(&mut self, said: &str, time_end: Option<f64>, line: usize) {
        if self.open.is_none() {
            self.push("", said, None, time_end, line);
            return;
        }
        if !said.is_empty() {
            let empty = self.turns.last().is_some_and(|t| t.start == t.end);
            if !empty {
                self.push_str(" ");
            }
            self.push_str(said);
        }
        let chars = self.chars;
        if let Some(turn) = self.turns.last_mut() {
            turn.end = chars;
            if time_end.is_some() {
                turn.time_end = time_end;
            }
        }
    }

    /// The open turn's end time, when one is open.
    pub(crate) fn set_end(&mut self, time_end: f64) {
        if self.open.is_some()
            && let Some(turn) = self.turns.last_mut()
        {
            turn.time_end = Some(time_end);
        }
    }

    /// Whether a turn is open (something was said or labelled since the start).
    pub(crate) fn has_open(&self) -> bool {
        self.open.is_some()
    }

    /// Ends the open turn; one with nothing said is taken back out with a warning.
    fn close(&mut self) {
        let Some(open) = self.open.take() else { return };
        if self.turns.last().is_some_and(|t| t.start == t.end) {
            let turn = self.turns.pop().expect("the open turn");
            self.text.truncate(open.byte_mark);
            self.chars = open.char_mark;
            let who = if turn.speaker.is_empty() {
                "a turn".to_string()
            } else {
                format!("the turn of “{}”", turn.speaker)
            };
            self.warn(
                open.line,
                format_args!("{who} has nothing said and was left out"),
            );
        }
    }

    pub(crate) fn finish(mut self, layout: TranscriptLayout) -> Transcript {
        self.close();
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        Transcript {
            text: self.text,
            turns: self.turns,
            layout,
            warnings: self.warnings,
        }
    }
}

/// What the tests of every layout check a transcript with.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Transcript, TranscriptTurn};

    /// What `turn` said, sliced from the text by its character offsets.
    pub(crate) fn said(t: &Transcript, turn: &TranscriptTurn) -> String {
        t.text
            .chars()
            .skip(turn.start)
            .take(turn.end - turn.start)
            .collect()
    }

    fn same_time(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-6,
            (None, None) => true,
            _ => false,
        }
    }

    /// Every turn's speaker, said text and times are these, and the text is exactly the
    /// turns' paragraphs.
    pub(crate) fn expect(t: &Transcript, want: &[(&str, &str, Option<f64>, Option<f64>)]) {
        let got: Vec<(String, String, Option<f64>, Option<f64>)> = t
            .turns
            .iter()
            .map(|turn| {
                (
                    turn.speaker.clone(),
                    said(t, turn),
                    turn.time_start,
                    turn.time_end,
                )
            })
            .collect();
        assert_eq!(got.len(), want.len(), "the turns: {got:#?}");
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert_eq!(g.0, w.0, "turn {i}'s speaker: {g:?}");
            assert_eq!(g.1, w.1, "what was said in turn {i}");
            assert!(
                same_time(g.2, w.2),
                "turn {i} starts {:?}, not {:?}",
                g.2,
                w.2
            );
            assert!(
                same_time(g.3, w.3),
                "turn {i} ends {:?}, not {:?}",
                g.3,
                w.3
            );
        }
        let paragraphs: Vec<String> = want
            .iter()
            .map(|w| {
                if w.0.is_empty() {
                    w.1.to_string()
                } else {
                    format!("{}: {}", w.0, w.1)
                }
            })
            .collect();
        let mut text = paragraphs.join("\n\n");
        if !text.is_empty() {
            text.push('\n');
        }
        assert_eq!(t.text, text);
    }
}

#[cfg(test)]
pub(crate) fn tests_name_text() -> &'static str {
    tests::NAME_TEXT
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const NAME_TEXT: &str = "Interview 4 — transcribed by K. M.\n\nInterviewer: How did you start?\n\nMaria: I started in 2015, when the clinic opened.\nIt was hard at first.\n\nMaria: Later it got better.\n\nInterviewer: Why?\n\nMaria:\nBecause of the team.\n";

    #[test]
    fn labels_follow_the_rules() {
        for good in [
            "Interviewer",
            "Speaker 2",
            "B1",
            "I",
            "Dr. Amira Haddad",
            "Sgt. Pepper",
            "Zoë Ó Briain",
            "عمر",
            "דנה",
            "王明",
            "Anna-Lena O'Neill",
            "J. R. R. Tolkien",
        ] {
            assert!(is_label(good), "{good}");
        }
        for bad in [
            "",
            "10",
            "2 Speakers",
            "Hello, world",
            "Is it?",
            "Stop!",
            "one; two",
            "One two three four five six",
            "This sentence ends. Then",
            "Abcdefghij abcdefghij abcdefghij abcdefghij",
            "“Quoted”",
            "It was late. She said",
        ] {
            assert!(!is_label(bad), "{bad}");
        }
        assert_eq!(
            split_label("Interviewer: How?", ":"),
            Some(("Interviewer", " How?"))
        );
        assert_eq!(split_label("See http://example.org", ":"), None);
        assert_eq!(split_label("Visit http://example.org now", ":"), None);
        assert_eq!(split_label("10:30 the meeting began", ":"), None);
        assert_eq!(split_label("Ratio:3", ":"), None);
        assert_eq!(split_label("王明：我同意", ":"), Some(("王明", "我同意")));
        assert_eq!(split_label("Anna - yes", " -"), Some(("Anna", " yes")));
        assert_eq!(
            split_label("Anna-Lena - yes", " -"),
            Some(("Anna-Lena", " yes"))
        );
        assert_eq!(split_label("Anna — yes", "—"), Some(("Anna", " yes")));
    }

    #[test]
    fn layouts_have_names_for_people() {
        let names: Vec<String> = TranscriptLayout::all_for_text()
            .iter()
            .map(|l| l.name())
            .collect();
        assert_eq!(names[0], "Name: text");
        assert_eq!(
            TranscriptLayout::all_for_text()[0],
            TranscriptLayout::NameSeparator(":".into())
        );
        assert_eq!(
            TranscriptLayout::NameSeparator(" -".into()).name(),
            "Name - text"
        );
        assert_eq!(
            TranscriptLayout::NameSeparator("—".into()).name(),
            "Name — text"
        );
        assert_eq!(TranscriptLayout::WebVtt.name(), "WebVTT captions");
        assert_eq!(names.len(), 5);
    }

    #[test]
    fn lines_split_at_every_line_end() {
        assert_eq!(
            lines("a\r\nb\rc\n\nd\n").collect::<Vec<_>>(),
            vec!["a", "b", "c", "", "d"]
        );
        assert_eq!(lines("").collect::<Vec<_>>(), vec![""]);
        assert_eq!(lines("x").collect::<Vec<_>>(), vec!["x"]);
    }

    #[test]
    fn each_fixture_is_recognised_as_its_layout() {
        let cases: [(&str, TranscriptLayout); 7] = [
            (
                "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Hi</v>\n",
                TranscriptLayout::WebVtt,
            ),
            (
                "1\n00:00:01,000 --> 00:00:02,000\nAnna: Hi\n\n2\n00:00:03,000 --> 00:00:04,000\nBen: Yo\n",
                TranscriptLayout::Srt,
            ),
            (NAME_TEXT, TranscriptLayout::NameSeparator(":".into())),
            (plain::tests::TIME_THEN_NAME, TranscriptLayout::TimeThenName),
            (plain::tests::NAME_THEN_TIME, TranscriptLayout::NameThenTime),
            (plain::tests::F4, TranscriptLayout::TimeMarks),
            (plain::tests::OTTER, TranscriptLayout::SpeakerHeaders),
        ];
        for (text, layout) in cases {
            assert_eq!(recognise_layout(text), Some(layout.clone()), "{text}");
            assert_eq!(
                read_with_layout(text, &layout).expect("reads").layout,
                layout
            );
        }
        // Line-per-turn, no blank lines, a title line first.
        let lines = "Focus group 2\nModerator: Welcome.\nP1: Thanks.\nP2: Hello.\nModerator: Let's start.\n";
        assert_eq!(
            recognise_layout(lines),
            Some(TranscriptLayout::NameSeparator(":".into()))
        );
    }

    #[test]
    fn the_sample_articles_are_not_transcripts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("the seeds folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(&path).expect("a sample article");
                assert_eq!(recognise_layout(&text), None, "{}", path.display());
                seen += 1;
            }
        }
        assert_eq!(seen, 5);
    }

    #[test]
    fn prose_and_articles_are_not_transcripts() {
        let news = "Council approves new bus routes\n\nPhoto: Reuters\n\nUpdated: 10:30\n\nThe council voted on Tuesday to add three bus routes.\n\nMayor Lee said the routes would open in May.\n\nSource: City Hall\n\nResidents welcomed the decision, though some worried about costs.\n";
        assert_eq!(recognise_layout(news), None);
        let prose = "It was late. She said: nothing would change.\nHe answered: perhaps.\nThe night went on.\nNote: this is fiction.\nThey slept.\n";
        assert_eq!(recognise_layout(prose), None);
        let card = "Name: Ada Lovelace\nEmail: ada@example.org\nPhone: 0123\n";
        assert_eq!(recognise_layout(card), None);
        let report = "Summary\n\nWe interviewed 12 participants.\n\nFindings: three themes emerged.\n\nTheme 1: access.\n\nTheme 2: cost.\n\nTheme 3: trust.\n";
        assert_eq!(recognise_layout(report), None);
        assert_eq!(recognise_layout(""), None);
        // Two turns are too few to be sure.
        assert_eq!(recognise_layout("Anna: Hi.\nBen: Hello.\n"), None);
    }

    #[test]
    fn the_builder_keeps_character_offsets_and_drops_empty_turns() {
        let mut b = Builder::new(0);
        b.push("Zoë", "Ça va? 😀", None, None, 1);
        b.push("", "", None, None, 2);
        b.push("Ben", "Oui.", None, None, 3);
        let t = b.finish(TranscriptLayout::NameSeparator(":".into()));
        testing::expect(
            &t,
            &[
                ("Zoë", "Ça va? 😀", None, None),
                ("Ben", "Oui.", None, None),
            ],
        );
        assert_eq!(
            t.warnings,
            vec!["line 2: a turn has nothing said and was left out"]
        );
    }
}
