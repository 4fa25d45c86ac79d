//! How long re-anchoring takes on a large document with many passages, after the kinds of
//! change a source goes through: text inserted at the top, line ends converted, passages
//! edited inside. Run with `cargo bench --bench reanchor`.

use std::time::Instant;

use marginalia::anchor::{Placement, anchor_at, place_passages};
use marginalia::model::{Annotation, DocumentText};

const TARGET_BYTES: usize = 5_000_000;
const PASSAGES: usize = 5_000;

/// The seed articles' paragraphs, numbered so that the large text does not repeat itself
/// (a corpus of real articles does not either). Another `numbering` gives another text of
/// the same kind: the same paragraphs with other numbers.
fn large_text(numbering: usize) -> String {
    let seeds = [
        include_str!("../seeds/000_fd2bbcf178ec013b.txt"),
        include_str!("../seeds/001_3d90d8b929a68814.txt"),
        include_str!("../seeds/002_c2d47f878a0c9e5f.txt"),
        include_str!("../seeds/003_38e58dabd02f397c.txt"),
        include_str!("../seeds/004_36a6fe7c59615a69.txt"),
    ];
    let paragraphs: Vec<&str> = seeds
        .iter()
        .flat_map(|s| s.split("\n\n"))
        .filter(|p| p.len() > 40)
        .collect();
    let mut text = String::with_capacity(TARGET_BYTES + 4096);
    let mut n = 0;
    while text.len() < TARGET_BYTES {
        let paragraph = paragraphs[n % paragraphs.len()];
        // A number every few words: no stretch of a passage's length repeats.
        for (i, word) in paragraph.split(' ').enumerate() {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(word);
            if i % 5 == 4 {
                text.push_str(&format!(" {}.{i}", n + numbering));
            }
        }
        text.push_str("\n\n");
        n += 1;
    }
    text
}

fn passages(text: &DocumentText) -> Vec<Annotation> {
    let chars = text.char_count();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..PASSAGES)
        .map(|i| {
            let length = 40 + (next() % 160) as usize;
            let start = (next() as usize) % (chars - length);
            let anchor = anchor_at(text, start..start + length).unwrap();
            Annotation {
                id: i as u32 + 1,
                doc: 1,
                start,
                end: start + length,
                tags: vec![1],
                quote: anchor.quote,
                prefix: anchor.prefix,
                suffix: anchor.suffix,
                ..Default::default()
            }
        })
        .collect()
}

fn measure(label: &str, passages: &[Annotation], text: String) {
    let text = DocumentText::new(text);
    let refs: Vec<&Annotation> = passages.iter().collect();
    let started = Instant::now();
    let placements = place_passages(&refs, &text);
    let elapsed = started.elapsed();
    let count = |f: fn(&Placement) -> bool| placements.iter().filter(|p| f(p)).count();
    println!(
        "{label:<34} {:>8.1} ms  anchored {:>5}  reanchored {:>5}  orphaned {:>5}",
        elapsed.as_secs_f64() * 1000.0,
        count(|p| matches!(p, Placement::Anchored)),
        count(|p| matches!(p, Placement::Reanchored { .. })),
        count(|p| matches!(p, Placement::Orphaned(_))),
    );
}

fn main() {
    let original = large_text(0);
    let text = DocumentText::new(original.clone());
    let passages = passages(&text);
    println!(
        "{} MB, {} passages",
        original.len() as f64 / 1e6,
        passages.len()
    );
    measure("unchanged", &passages, original.clone());
    measure(
        "inserted at the top",
        &passages,
        format!("A new first paragraph.\n\n{original}"),
    );
    measure("LF to CRLF", &passages, original.replace('\n', "\r\n"));
    // One character changed inside every tenth passage, and text inserted at the top.
    let mut edited: Vec<char> = original.chars().collect();
    for passage in passages.iter().step_by(10) {
        let middle = (passage.start + passage.end) / 2;
        edited[middle] = if edited[middle] == '#' { '%' } else { '#' };
    }
    let edited: String = edited.into_iter().collect();
    measure(
        "edited inside + inserted at top",
        &passages,
        format!("A new first paragraph.\n\n{edited}"),
    );
    // The worst case: every passage searched for, inexactly, in a text of the same kind.
    measure(
        "another text of the same kind",
        &passages,
        large_text(1_000_000),
    );
}
