//! How long a large REFI-QDA import takes with every coding placed and checked: 100,000
//! codings over 10 MB of text (a 5 MB document and 100 of 50 KB), exported by Marginalia for
//! a program and read back with `import::qdpx::read_qdpx_bytes`. Run with
//! `cargo bench --bench qdpx_import`; under `cargo test --benches` a quick pass on a tiny
//! corpus only proves the steps work. Nothing asserts a time; BENCHMARKS.md keeps the figures.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use marginalia::corpus_gen::Corpus;
use marginalia::export::qdpx::export_for;
use marginalia::import::qdpx::read_qdpx_bytes;
use marginalia::model::DocumentText;
use marginalia::qda_tools::QdaTool;

const SEED: u64 = 2026;
const KB: usize = 1_000;
const MB: usize = 1_000_000;

/// A sentence put before every source text, so that every written position is off by its
/// length and each coding must be found again from its quoted text.
const PREPENDED: &str = "Transcribed and checked by the second coder.\n\n";

fn archive_with_sources_prepended(archive: &[u8]) -> Vec<u8> {
    let mut input = zip::ZipArchive::new(Cursor::new(archive)).expect("our own archive");
    let mut output = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..input.len() {
        let mut entry = input.by_index(index).expect("entry");
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("entry bytes");
        if name.ends_with(".txt") {
            let had_bom = bytes.starts_with(b"\xEF\xBB\xBF");
            let body = if had_bom { &bytes[3..] } else { &bytes[..] };
            let mut shifted = Vec::with_capacity(bytes.len() + PREPENDED.len() + 3);
            if had_bom {
                shifted.extend_from_slice(b"\xEF\xBB\xBF");
            }
            shifted.extend_from_slice(PREPENDED.as_bytes());
            shifted.extend_from_slice(body);
            bytes = shifted;
        }
        output
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        output.write_all(&bytes).expect("entry bytes");
    }
    output.finish().expect("archive").into_inner()
}

fn median_ms(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

fn measure(label: &str, archive: &[u8], repeats: usize, codings: usize) {
    let mut samples = Vec::with_capacity(repeats);
    let mut report = None;
    for _ in 0..repeats {
        let started = Instant::now();
        let imported = read_qdpx_bytes(archive, Path::new("study.qdpx")).expect("the import");
        samples.push(started.elapsed());
        report = Some(imported.report);
    }
    let report = report.expect("at least one run");
    assert_eq!(
        report.as_written + report.repaired,
        codings,
        "{label}: every coding placed ({:?})",
        report.summary()
    );
    println!(
        "| {label} | {:.1} | {:.0} | {} | {} | {} | {} | {} |",
        archive.len() as f64 / MB as f64,
        median_ms(samples),
        report.as_written,
        report.checked,
        report.repaired,
        report.unplaced,
        report.skipped,
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (documents, codings, repeats) = if full {
        let mut documents = vec![5 * MB];
        documents.extend(std::iter::repeat_n(50 * KB, 100));
        (documents, 100_000, 5)
    } else {
        println!("quick pass on a tiny corpus (cargo bench --bench qdpx_import measures)");
        (vec![20 * KB, 5 * KB, 5 * KB], 200, 1)
    };
    let generated = Corpus::generate(SEED, &documents, codings);
    let texts: Vec<DocumentText> = generated
        .texts
        .iter()
        .map(|t| DocumentText::new(t.clone()))
        .collect();
    let corpus = marginalia::export::Corpus {
        project: &generated.project,
        texts: generated
            .project
            .documents
            .iter()
            .zip(&texts)
            .map(|(document, text)| (document.id, text))
            .collect::<HashMap<_, _>>(),
    };
    let text_mb = generated.texts.iter().map(String::len).sum::<usize>() as f64 / MB as f64;
    println!(
        "{} codings over {text_mb:.1} MB of text in {} documents; median of {repeats}, wall clock",
        generated.project.annotations.len(),
        documents.len()
    );
    println!("| archive | MB | import ms | as written | checked | repaired | unplaced | skipped |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let codings = generated.project.annotations.len();
    let nvivo = export_for(&corpus, Some(QdaTool::NVivo)).expect("NVivo export");
    measure(
        "for NVivo (UTF-16 positions, the name an excerpt)",
        &nvivo,
        repeats,
        codings,
    );
    let qualcoder = export_for(&corpus, Some(QdaTool::QualCoder)).expect("QualCoder export");
    measure(
        "for QualCoder (each coding checked against its quoted text)",
        &qualcoder,
        repeats,
        codings,
    );
    measure(
        "for QualCoder, a sentence put before every text (each coding found again)",
        &archive_with_sources_prepended(&qualcoder),
        repeats,
        codings,
    );
}
