//! Timestamps as the transcript layouts write them, read into seconds.

/// ASCII digits as a number; None when empty, too long or not all digits.
fn number(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Digits after the decimal point as a fraction of a second.
fn fraction(s: &str) -> Option<f64> {
    let n = number(s)?;
    Some(n as f64 / 10f64.powi(s.len() as i32))
}

/// `h:mm:ss` or `m:ss` (no fraction) into seconds. The leading part has `lead.0..=lead.1`
/// digits; the later parts are below 60 and have two digits (`two_digit_rest`) or one or
/// two; `hours_needed` refuses `m:ss`.
fn clock(s: &str, lead: (usize, usize), two_digit_rest: bool, hours_needed: bool) -> Option<f64> {
    let mut parts = s.split(':');
    let a = parts.next()?;
    let b = parts.next()?;
    let c = parts.next();
    if parts.next().is_some() || (hours_needed && c.is_none()) {
        return None;
    }
    if a.len() < lead.0 || a.len() > lead.1 {
        return None;
    }
    let rest_ok = |p: &str| {
        if two_digit_rest {
            p.len() == 2
        } else {
            (1..=2).contains(&p.len())
        }
    };
    let first = number(a)?;
    let second = number(b).filter(|&n| n < 60 && rest_ok(b))?;
    match c {
        Some(c) => {
            let third = number(c).filter(|&n| n < 60 && rest_ok(c))?;
            Some((first * 3600 + second * 60 + third) as f64)
        }
        None => Some((first * 60 + second) as f64),
    }
}

/// WebVTT's `hh:mm:ss.ttt` or `mm:ss.ttt`: minutes and seconds of two digits, exactly three
/// digits of milliseconds.
pub(crate) fn parse_vtt_time(s: &str) -> Option<f64> {
    let (whole, millis) = s.split_once('.')?;
    if millis.len() != 3 {
        return None;
    }
    let ms = fraction(millis)?;
    let hours = whole.matches(':').count() == 2;
    let lead = if hours { (1, 9) } else { (2, 2) };
    Some(clock(whole, lead, true, false)? + ms)
}

/// SRT's `hh:mm:ss,ttt`, read tolerantly: `.` for `,`, one to three digits of milliseconds or
/// none, one or two digits for minutes and seconds.
pub(crate) fn parse_srt_time(s: &str) -> Option<f64> {
    let (whole, frac) = match s.find([',', '.']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let f = match frac {
        Some(f) if f.len() <= 3 => fraction(f)?,
        Some(_) => return None,
        None => 0.0,
    };
    Some(clock(whole, (1, 3), false, true)? + f)
}

/// A time in a text layout: `h:mm:ss` or `m:ss`, optionally with a decimal fraction after `.`
/// or `,` (`00:01:02.5`, `1:02`, `83:10`).
pub(crate) fn parse_clock(s: &str) -> Option<f64> {
    let (whole, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let f = match frac {
        Some(f) => fraction(f)?,
        None => 0.0,
    };
    Some(clock(whole, (1, 4), true, false)? + f)
}

/// The inside of an f4/f5 or noScribe time mark, `00:01:23-4` (tenths after the dash), also
/// `00:01:23.4` and `00:01:23`.
pub(crate) fn parse_mark(s: &str) -> Option<f64> {
    let (whole, frac) = match s.find(['-', '.']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let f = match frac {
        Some(f) if f.len() <= 3 => fraction(f)?,
        Some(_) => return None,
        None => 0.0,
    };
    Some(clock(whole, (1, 2), true, true)? + f)
}

/// Time marks `#hh:mm:ss-t#` in a line: the line without them (whitespace collapsed) and the
/// marks with the character position in that cleaned text where each stood.
pub(crate) fn strip_marks(line: &str) -> (String, Vec<(usize, f64)>) {
    let mut out = String::with_capacity(line.len());
    let mut marks = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find('#') {
        let after = &rest[i + 1..];
        let close = after.find('#').filter(|&j| j <= 14);
        match close.and_then(|j| parse_mark(&after[..j]).map(|t| (j, t))) {
            Some((j, t)) => {
                out.push_str(&rest[..i]);
                out.push(' ');
                marks.push((out.len(), t));
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[..=i]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if marks.is_empty() {
        return (super::collapse_ws(&out), marks);
    }
    // Collapse whitespace while mapping each mark's byte position to a character position.
    let mut cleaned = String::with_capacity(out.len());
    let mut chars = 0usize;
    let mut pending_space = false;
    let mut next_mark = 0usize;
    let mut positions = Vec::with_capacity(marks.len());
    for (byte, c) in out.char_indices() {
        while next_mark < marks.len() && marks[next_mark].0 <= byte {
            positions.push((
                chars + usize::from(pending_space && chars > 0),
                marks[next_mark].1,
            ));
            next_mark += 1;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && chars > 0 {
            cleaned.push(' ');
            chars += 1;
        }
        pending_space = false;
        cleaned.push(c);
        chars += 1;
    }
    while next_mark < marks.len() {
        positions.push((chars, marks[next_mark].1));
        next_mark += 1;
    }
    for p in &mut positions {
        p.0 = p.0.min(chars);
    }
    (cleaned, positions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn vtt_times() {
        assert!(close(parse_vtt_time("00:01:02.500"), 62.5));
        assert!(close(parse_vtt_time("01:02.500"), 62.5));
        assert!(close(parse_vtt_time("10:00:00.001"), 36000.001));
        for bad in [
            "00:01:6O.000",
            "1:02.500",
            "00:01:02,500",
            "00:61:02.500",
            "00:01:02.5",
            "",
        ] {
            assert_eq!(parse_vtt_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn srt_times() {
        assert!(close(parse_srt_time("00:00:01,000"), 1.0));
        assert!(close(parse_srt_time("00:00:02.5"), 2.5));
        assert!(close(parse_srt_time("1:02:03,040"), 3723.04));
        for bad in ["00:00:0l,000", "00:01", "00:00:01,0000", "x"] {
            assert_eq!(parse_srt_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn clocks_and_marks() {
        assert!(close(parse_clock("00:01:02"), 62.0));
        assert!(close(parse_clock("01:02"), 62.0));
        assert!(close(parse_clock("0:00"), 0.0));
        assert!(close(parse_clock("00:01:02.5"), 62.5));
        assert!(close(parse_clock("1:05:00"), 3900.0));
        assert_eq!(parse_clock("1:5"), None);
        assert!(close(parse_mark("00:01:23-4"), 83.4));
        assert!(close(parse_mark("00:01:23"), 83.0));
        assert_eq!(parse_mark("01:23-4"), None);
        let (text, marks) = strip_marks("I: Wie war das? #00:00:12-3#  ");
        assert_eq!(text, "I: Wie war das?");
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].0, 15);
        assert!(close(Some(marks[0].1), 12.3));
        let (text, marks) = strip_marks("#00:00:01-0# B: Gut. #no# #00:00:05-5#");
        assert_eq!(text, "B: Gut. #no#");
        assert_eq!(marks.iter().map(|m| m.0).collect::<Vec<_>>(), vec![0, 12]);
    }
}
