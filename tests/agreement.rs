//! Inter-coder agreement against published worked examples, degenerate cases and properties.
//! Expected values are the sources' own numbers, never ones this code produced.

use std::collections::BTreeMap;

use marginalia::agreement::measures::{Coincidences, Table2, UAlphaParts, Unit, UnitizingParts};
use marginalia::agreement::{self, AgreementError, Options};
use marginalia::model::{Annotation, Document, Project, Tag};
use proptest::prelude::*;

fn close(actual: Option<f64>, expected: f64, tolerance: f64) {
    let actual = actual.expect("a defined value");
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} is not {expected} ± {tolerance}"
    );
}

fn spans(list: &[(usize, usize)]) -> Vec<Unit> {
    list.iter().map(|&(s, e)| Unit::new(s, e, 0)).collect()
}

// ---------------------------------------------------------------------------------------------
// A small project builder: documents by length, passages by coder.
// ---------------------------------------------------------------------------------------------

struct Passage<'a> {
    coder: &'a str,
    doc: u32,
    start: usize,
    end: usize,
    tags: &'a [&'a str],
}

fn p<'a>(coder: &'a str, doc: u32, start: usize, end: usize, tags: &'a [&'a str]) -> Passage<'a> {
    Passage {
        coder,
        doc,
        start,
        end,
        tags,
    }
}

fn project(tags: &[&str], documents: &[usize], passages: &[Passage]) -> Project {
    let mut project = Project::new("agreement test");
    project.codebook = tags
        .iter()
        .enumerate()
        .map(|(i, name)| Tag {
            id: i as u32 + 1,
            name: (*name).to_owned(),
            color: "#000000".to_owned(),
            key: String::new(),
            description: String::new(),
            parent: None,
        })
        .collect();
    project.documents = documents
        .iter()
        .enumerate()
        .map(|(i, &chars)| Document {
            turns: Vec::new(),
            direction: Default::default(),
            id: i as u32 + 1,
            path: format!("d{}.txt", i + 1),
            title: format!("Document {}", i + 1),
            sha256: String::new(),
            chars,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        })
        .collect();
    project.annotations = passages
        .iter()
        .enumerate()
        .map(|(i, passage)| Annotation {
            id: i as u32 + 1,
            doc: passage.doc,
            start: passage.start,
            end: passage.end,
            tags: passage
                .tags
                .iter()
                .map(|name| tags.iter().position(|t| t == name).unwrap() as u32 + 1)
                .collect(),
            coder: passage.coder.to_owned(),
            ..Annotation::default()
        })
        .map(Box::new)
        .collect();
    project.sync_id_counters();
    project
}

fn lengths(project: &Project) -> BTreeMap<u32, usize> {
    project.documents.iter().map(|d| (d.id, d.chars)).collect()
}

fn run(project: &Project, options: &Options) -> agreement::AgreementReport {
    agreement::compute(project, &lengths(project), options).unwrap()
}

fn no_bootstrap() -> Options {
    Options {
        bootstrap: 0,
        ..Options::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Krippendorff (2004), Content Analysis 2nd ed., §11.6: the unitizing example
// ---------------------------------------------------------------------------------------------

/// Krippendorff, *Content Analysis* 2nd ed. (2004), §11.6 (p. 254), as DKPro Statistics'
/// `Krippendorff2004Test` reproduces it, shifted to start at 0: a continuum of 300
/// characters; value c: coder 1 at [75,145) [220,250), coder 2 at [70,150) [205,225)
/// [250,270); value k: both at [30,90) [150,200). Published: α_U(c) = 0.7286 with
/// D_o = 0.0144 and D_e = 0.0532; α_U(k) = 1 with D_e = 0.0490; over both 0.8591.
#[test]
fn krippendorff_2004_unitizing_example() {
    let c = UnitizingParts::of_document(
        &[
            spans(&[(75, 145), (220, 250)]),
            spans(&[(70, 150), (205, 225), (250, 270)]),
        ],
        300,
    )
    .unwrap()
    .disagreement();
    close(Some(c.observed), 0.0144, 0.0001);
    close(Some(c.expected), 0.0532, 0.0001);
    close(c.alpha(), 0.7286, 0.0001);

    let k = UnitizingParts::of_document(
        &[
            spans(&[(30, 90), (150, 200)]),
            spans(&[(30, 90), (150, 200)]),
        ],
        300,
    )
    .unwrap()
    .disagreement();
    close(Some(k.observed), 0.0, 1e-12);
    close(Some(k.expected), 0.0490, 0.0001);
    close(k.alpha(), 1.0, 1e-12);
    close(
        agreement::measures::combined_alpha_u(&[c, k]),
        0.8591,
        0.0005,
    );
}

/// The same example as a project of one document with two coders and two tags.
#[test]
fn krippendorff_2004_unitizing_example_through_a_project() {
    let project = project(
        &["c", "k"],
        &[300],
        &[
            p("one", 1, 75, 145, &["c"]),
            p("one", 1, 220, 250, &["c"]),
            p("two", 1, 70, 150, &["c"]),
            p("two", 1, 205, 225, &["c"]),
            p("two", 1, 250, 270, &["c"]),
            p("one", 1, 30, 90, &["k"]),
            p("one", 1, 150, 200, &["k"]),
            p("two", 1, 30, 90, &["k"]),
            p("two", 1, 150, 200, &["k"]),
        ],
    );
    let report = run(&project, &no_bootstrap());
    assert_eq!(report.coders, ["one", "two"]);
    assert_eq!(report.documents, [1]);
    assert_eq!(report.characters, 300);
    close(report.tags[0].alpha_u, 0.7286, 0.0001);
    close(report.tags[1].alpha_u, 1.0, 1e-12);
    close(report.overall.alpha_u, 0.8591, 0.0005);
    assert_eq!(report.tags[0].counts[1].passages, 3);
    assert_eq!(report.tags[0].counts[1].characters, 80 + 20 + 20);
}

// ---------------------------------------------------------------------------------------------
// Krippendorff (1995), "On the reliability of unitizing continuous data", p. 57
// ---------------------------------------------------------------------------------------------

/// The four pairs of coders of Krippendorff (1995), *Sociological Methodology* 25, p. 57,
/// as DKPro Statistics' `Krippendorff1995Test` encodes them (24 positions, `stretch` each).
fn krippendorff_1995(stretch: usize) -> BTreeMap<char, [Vec<Unit>; 2]> {
    let s = |list: &[(usize, usize)]| -> Vec<Unit> {
        list.iter()
            .map(|&(b, l)| Unit::new(b * stretch, (b + l) * stretch, 0))
            .collect()
    };
    BTreeMap::from([
        ('A', [s(&[(2, 8), (14, 6)]), s(&[(4, 4), (15, 2)])]),
        (
            'B',
            [
                s(&[(0, 18)]),
                s(&[(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]),
            ],
        ),
        (
            'C',
            [
                s(&[(2, 6), (10, 2), (14, 4), (20, 2)]),
                s(&[(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]),
            ],
        ),
        (
            'D',
            [
                s(&[(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)]),
                s(&[(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)]),
            ],
        ),
    ])
}

/// Observed disagreements of the 1995 examples (DKPro: exact to 1e-5) and α_U on a finely
/// stretched continuum, where it approaches the published values A 0.553, B −0.926,
/// C 0.679, D 0.066 (DKPro's tolerance 0.02).
#[test]
fn krippendorff_1995_unitizing_examples() {
    let observed = [
        ('A', 0.03125),
        ('B', 2.26736),
        ('C', 0.02777),
        ('D', 0.38715),
    ];
    let data = krippendorff_1995(1);
    for (name, expected) in observed {
        let d = UnitizingParts::of_document(&data[&name], 24)
            .unwrap()
            .disagreement();
        close(Some(d.observed), expected, 0.00001);
    }
    let stretch = 50_000;
    let data = krippendorff_1995(stretch);
    let alphas = [('A', 0.553), ('B', -0.926), ('C', 0.679), ('D', 0.066)];
    for (name, expected) in alphas {
        let d = UnitizingParts::of_document(&data[&name], 24 * stretch)
            .unwrap()
            .disagreement();
        close(d.alpha(), expected, 0.02);
    }
}

/// Krippendorff (1995) p. 57, pair A read character by character, as DKPro's
/// `Krippendorff1995Test.testDigitizedAgreement` does: Cohen's κ = 0.385, nominal α = 0.329.
/// Pair C: κ = 0.314.
#[test]
fn krippendorff_1995_examples_character_by_character() {
    let data = krippendorff_1995(1);
    let covered = |units: &[Unit], x: usize| units.iter().any(|u| u.start <= x && x < u.end);
    let tally = |pair: &[Vec<Unit>; 2]| {
        let mut table = Table2::default();
        let mut chars = Coincidences::default();
        for x in 0..24 {
            let (a, b) = (covered(&pair[0], x), covered(&pair[1], x));
            table.add(a, b, 1);
            chars.add_unit(&[a, b], 1.0);
        }
        (table, chars)
    };
    let (table, chars) = tally(&data[&'A']);
    close(table.kappa(), 0.385, 0.001);
    close(chars.alpha(), 0.329, 0.001);
    let (table, _) = tally(&data[&'C']);
    close(table.kappa(), 0.314, 0.001);
}

/// DKPro Statistics' own unitizing example (`UnitizingAgreementTest.createExample`): coder 1
/// at [1,9), coder 2 at [2,3) [4,5) [6,7) on 10 positions: D_o 0.9100, D_e 0.5351,
/// α_U −0.7003. And one unit of length 1 by one of three coders on 20 positions: α_U 0.
#[test]
fn dkpro_unitizing_examples() {
    let d = UnitizingParts::of_document(&[spans(&[(1, 9)]), spans(&[(2, 3), (4, 5), (6, 7)])], 10)
        .unwrap()
        .disagreement();
    close(Some(d.observed), 0.9100, 0.0001);
    close(Some(d.expected), 0.5351, 0.0001);
    close(d.alpha(), -0.7003, 0.0001);

    let single = UnitizingParts::of_document(&[spans(&[(0, 1)]), vec![], vec![]], 20)
        .unwrap()
        .disagreement();
    close(single.alpha(), 0.0, 1e-9);
}

// ---------------------------------------------------------------------------------------------
// Krippendorff's α on coded units; Cohen's κ
// ---------------------------------------------------------------------------------------------

/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
/// observers, twelve units, values 1–5 with missing data (`0` here); nominal α = 0.743.
#[test]
fn krippendorff_2011_nominal_example_with_missing_values() {
    let observers: [[u8; 12]; 4] = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
        [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
    ];
    let mut coincidences = Coincidences::default();
    for unit in 0..12 {
        let values: Vec<u8> = observers
            .iter()
            .map(|o| o[unit])
            .filter(|&v| v != 0)
            .collect();
        coincidences.add_unit(&values, 1.0);
    }
    close(coincidences.alpha(), 0.743, 0.0005);
}

/// The worked example of Cohen's κ in Wikipedia's "Cohen's kappa" article (50 proposals,
/// 20 yes–yes, 5 yes–no, 10 no–yes, 15 no–no): p_o = 0.7, p_e = 0.5, κ = 0.4. As characters
/// of one document coded with one tag, `percent` is p_o.
#[test]
fn cohens_kappa_textbook_example_over_characters() {
    let project = project(
        &["yes"],
        &[50],
        &[
            p("a", 1, 0, 25, &["yes"]),
            p("b", 1, 0, 20, &["yes"]),
            p("b", 1, 25, 35, &["yes"]),
        ],
    );
    let report = run(&project, &no_bootstrap());
    close(report.tags[0].percent, 0.7, 1e-12);
    close(report.tags[0].kappa, 0.4, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// The 2016 family
// ---------------------------------------------------------------------------------------------

#[test]
fn u_alpha_is_one_for_identical_codings_and_falls_with_disagreement() {
    let same = [
        vec![Unit::new(2, 10, 0), Unit::new(20, 30, 1)],
        vec![Unit::new(2, 10, 0), Unit::new(20, 30, 1)],
    ];
    let u = UAlphaParts::of_document(&same, 40, 2).unwrap().alphas();
    close(u.u_alpha, 1.0, 1e-12);
    close(u.binary_u_alpha, 1.0, 1e-12);
    close(u.cu_alpha, 1.0, 1e-12);

    // Same stretches, other values for the second: boundaries agree, values do not.
    let swapped = [
        vec![Unit::new(2, 10, 0), Unit::new(20, 30, 1)],
        vec![Unit::new(2, 10, 1), Unit::new(20, 30, 0)],
    ];
    let u = UAlphaParts::of_document(&swapped, 40, 2).unwrap().alphas();
    close(u.binary_u_alpha, 1.0, 1e-12);
    assert!(u.cu_alpha.unwrap() < 0.0, "{u:?}");
    assert!(u.u_alpha.unwrap() < 1.0, "{u:?}");
}

/// Overlapping passages of one coder within the compared values make uα and α_U undefined,
/// with a reason, instead of a number; α over characters is unaffected.
#[test]
fn overlapping_passages_give_a_reason_not_a_number() {
    let project = project(
        &["quote"],
        &[100],
        &[
            p("ann", 1, 10, 40, &["quote"]),
            p("ann", 1, 30, 60, &["quote"]),
            p("ben", 1, 10, 60, &["quote"]),
        ],
    );
    let report = run(&project, &no_bootstrap());
    let tag = &report.tags[0];
    assert_eq!(tag.alpha_u, None);
    assert_eq!(tag.u_alpha, None);
    assert!(
        tag.reasons["alpha_u"].contains("overlap"),
        "{:?}",
        tag.reasons
    );
    assert!(tag.reasons["u_alpha"].contains("ann"), "{:?}", tag.reasons);
    close(tag.alpha, 1.0, 1e-12);
    assert!(report.overall.reasons["u_alpha"].contains("overlap"));
}

/// A passage with two tags is two units on the same span: fine per tag, an overlap for the
/// all-tags uα (whose values must lie apart).
#[test]
fn a_passage_with_two_tags_counts_for_each_tag() {
    let project = project(
        &["quote", "critique"],
        &[50],
        &[
            p("ann", 1, 5, 20, &["quote", "critique"]),
            p("ben", 1, 5, 20, &["quote", "critique"]),
        ],
    );
    let report = run(&project, &no_bootstrap());
    for tag in &report.tags {
        close(tag.alpha, 1.0, 1e-12);
        close(tag.alpha_u, 1.0, 1e-12);
        close(tag.u_alpha, 1.0, 1e-12);
    }
    close(report.overall.alpha, 1.0, 1e-12);
    assert_eq!(report.overall.u_alpha, None);
}

// ---------------------------------------------------------------------------------------------
// Degenerate cases
// ---------------------------------------------------------------------------------------------

#[test]
fn a_tag_nobody_used_is_undefined_with_a_reason() {
    let project = project(
        &["quote", "unused"],
        &[30],
        &[
            p("ann", 1, 0, 10, &["quote"]),
            p("ben", 1, 0, 12, &["quote"]),
        ],
    );
    let report = run(&project, &Options::default());
    let unused = &report.tags[1];
    assert_eq!(unused.alpha, None);
    assert_eq!(unused.alpha_u, None);
    assert_eq!(unused.u_alpha, None);
    assert_eq!(unused.kappa, None);
    close(unused.percent, 1.0, 1e-12);
    assert!(unused.reasons.contains_key("alpha"));
    assert_eq!(unused.ci95.alpha, None);
    assert!(report.tags[0].alpha.unwrap() < 1.0);
}

#[test]
fn complete_agreement_is_one_everywhere() {
    let project = project(
        &["quote", "policy"],
        &[80, 40],
        &[
            p("ann", 1, 5, 20, &["quote"]),
            p("ben", 1, 5, 20, &["quote"]),
            p("ann", 2, 0, 10, &["policy"]),
            p("ben", 2, 0, 10, &["policy"]),
        ],
    );
    let report = run(&project, &Options::default());
    for tag in &report.tags {
        close(tag.percent, 1.0, 1e-12);
        close(tag.kappa, 1.0, 1e-12);
        close(tag.alpha, 1.0, 1e-12);
        close(tag.alpha_u, 1.0, 1e-12);
        close(tag.u_alpha, 1.0, 1e-12);
    }
    let o = &report.overall;
    for value in [o.alpha, o.alpha_u, o.u_alpha, o.binary_u_alpha, o.cu_alpha] {
        close(value, 1.0, 1e-12);
    }
}

#[test]
fn a_coder_without_passages_cannot_be_compared() {
    let project = project(
        &["quote"],
        &[30],
        &[
            p("ann", 1, 0, 10, &["quote"]),
            p("ben", 1, 0, 12, &["quote"]),
        ],
    );
    let options = Options {
        coders: vec!["ann".into(), "cat".into()],
        ..no_bootstrap()
    };
    let error = agreement::compute(&project, &lengths(&project), &options).unwrap_err();
    assert!(
        matches!(error, AgreementError::UnknownCoder { .. }),
        "{error}"
    );

    let alone = self::project(&["quote"], &[30], &[p("ann", 1, 0, 10, &["quote"])]);
    let error = agreement::compute(&alone, &lengths(&alone), &no_bootstrap()).unwrap_err();
    assert_eq!(error, AgreementError::TooFewCoders(vec!["ann".into()]));
}

#[test]
fn only_documents_every_coder_coded_are_used() {
    let project = project(
        &["quote"],
        &[30, 40, 50],
        &[
            p("ann", 1, 0, 10, &["quote"]),
            p("ben", 1, 0, 12, &["quote"]),
            p("ann", 2, 0, 10, &["quote"]),
            p("ben", 3, 0, 10, &["quote"]),
        ],
    );
    let report = run(&project, &no_bootstrap());
    assert_eq!(report.documents, [1]);
    assert_eq!(report.characters, 30);

    let apart = self::project(
        &["quote"],
        &[30, 40],
        &[
            p("ann", 1, 0, 10, &["quote"]),
            p("ben", 2, 0, 12, &["quote"]),
        ],
    );
    let error = agreement::compute(&apart, &lengths(&apart), &no_bootstrap()).unwrap_err();
    assert!(matches!(error, AgreementError::NoCommonDocument(_)));
}

#[test]
fn one_character_and_passages_past_the_end_do_not_panic() {
    let project = project(
        &["quote"],
        &[1],
        &[p("ann", 1, 0, 1, &["quote"]), p("ben", 1, 0, 5, &["quote"])],
    );
    let report = run(&project, &Options::default());
    assert_eq!(report.characters, 1);
    assert_eq!(report.tags[0].alpha, None, "one value only: no variation");
    assert!(report.notes.iter().any(|n| n.contains("past the end")));

    let split = self::project(
        &["quote"],
        &[1],
        &[p("ann", 1, 0, 1, &["quote"]), p("ben", 1, 1, 1, &["quote"])],
    );
    let report = run(&split, &Options::default());
    for value in [
        report.tags[0].alpha,
        report.tags[0].alpha_u,
        report.tags[0].u_alpha,
    ] {
        assert!(value.is_none_or(f64::is_finite));
    }
}

#[test]
fn coded_only_leaves_out_characters_nobody_coded() {
    // 100 characters, ann codes 0..10, ben 5..15: 85 characters nobody coded.
    let project = project(
        &["quote"],
        &[100],
        &[
            p("ann", 1, 0, 10, &["quote"]),
            p("ben", 1, 5, 15, &["quote"]),
        ],
    );
    let all = run(&project, &no_bootstrap());
    let coded = run(
        &project,
        &Options {
            coded_only: true,
            ..no_bootstrap()
        },
    );
    close(all.tags[0].percent, 0.90, 1e-12);
    close(coded.tags[0].percent, 5.0 / 15.0, 1e-12);
    assert!(coded.tags[0].kappa.unwrap() < all.tags[0].kappa.unwrap());
    assert_eq!(
        coded.tags[0].alpha, all.tags[0].alpha,
        "α counts every character"
    );
}

// ---------------------------------------------------------------------------------------------
// Bootstrap
// ---------------------------------------------------------------------------------------------

fn three_documents() -> Project {
    project(
        &["quote", "policy"],
        &[100, 80, 120],
        &[
            p("ann", 1, 0, 30, &["quote"]),
            p("ben", 1, 5, 30, &["quote"]),
            p("ann", 1, 50, 70, &["policy"]),
            p("ben", 1, 55, 75, &["policy"]),
            p("ann", 2, 10, 20, &["quote"]),
            p("ben", 2, 10, 40, &["quote"]),
            p("ann", 3, 0, 60, &["policy"]),
            p("ben", 3, 0, 50, &["policy"]),
            p("ben", 3, 80, 100, &["quote"]),
        ],
    )
}

#[test]
fn the_same_seed_gives_the_same_intervals() {
    let project = three_documents();
    let options = |seed| Options {
        bootstrap: 200,
        seed,
        ..Options::default()
    };
    let first = run(&project, &options(7));
    let again = run(&project, &options(7));
    assert_eq!(first, again);
    let ci = first.tags[0].ci95.alpha.expect("an interval");
    assert!(ci[0] <= ci[1]);
    let other = run(&project, &options(8));
    assert_eq!(other.tags[0].alpha, first.tags[0].alpha);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// Up to 4 non-overlapping passages per tag on a document of `len` characters.
fn codings(len: usize, tags: usize) -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0..len, 1..len, 0..tags), 0..8).prop_map(move |raw| {
        let mut kept: Vec<(usize, usize, usize)> = Vec::new();
        for (start, width, tag) in raw {
            let end = (start + width).min(len);
            if start < end
                && !kept
                    .iter()
                    .any(|&(s, e, t)| t == tag && start < e && s < end)
            {
                kept.push((start, end, tag));
            }
        }
        kept
    })
}

fn coded_project(coders: &[Vec<(usize, usize, usize)>], len: usize) -> Project {
    const TAGS: [&str; 2] = ["quote", "policy"];
    const NAMES: [&str; 3] = ["ann", "ben", "cat"];
    let mut passages = Vec::new();
    for (c, coding) in coders.iter().enumerate() {
        // Every coder has a passage, so the document is used.
        passages.push(p(NAMES[c], 1, 0, 1, &[]));
        for &(s, e, t) in coding {
            passages.push(p(NAMES[c], 1, s, e, std::slice::from_ref(&TAGS[t])));
        }
    }
    project(&TAGS, &[len], &passages)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn identical_codings_agree_completely(coding in codings(60, 2), coders in 2usize..4) {
        let project = coded_project(&vec![coding.clone(); coders], 60);
        let report = run(&project, &no_bootstrap());
        for tag in &report.tags {
            for value in [tag.alpha, tag.alpha_u, tag.u_alpha, tag.kappa, tag.percent] {
                prop_assert!(value.is_none_or(|v| (v - 1.0).abs() < 1e-9), "{:?}", tag);
            }
            let used = coding.iter().any(|&(_, _, t)| report.tags[t].tag_id == tag.tag_id);
            // Used, each measure is a number, unless there is nothing to vary: a tag that
            // covers the whole continuum for every coder leaves D_e = 0, and α is 0/0.
            let no_variation = |measure: &str| {
                tag.reasons
                    .get(measure)
                    .is_some_and(|r| r.starts_with("no variation"))
            };
            if used {
                prop_assert!(tag.alpha_u.is_some() || no_variation("alpha_u"), "{:?}", tag);
                prop_assert!(tag.u_alpha.is_some() || no_variation("u_alpha"), "{:?}", tag);
            }
        }
    }

    #[test]
    fn swapping_coders_changes_nothing(a in codings(50, 2), b in codings(50, 2)) {
        let options = Options { bootstrap: 5, ..Options::default() };
        let forward = run(&coded_project(&[a.clone(), b.clone()], 50), &options);
        // ann now has what ben had, and ben what ann had.
        let swapped = run(&coded_project(&[b, a], 50), &options);
        let same = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        for (f, s) in forward.tags.iter().zip(&swapped.tags) {
            for (x, y) in [
                (f.percent, s.percent),
                (f.kappa, s.kappa),
                (f.alpha, s.alpha),
                (f.alpha_u, s.alpha_u),
                (f.u_alpha, s.u_alpha),
            ] {
                prop_assert!(same(x, y), "{:?} vs {:?}", f, s);
            }
        }
        let (f, s) = (&forward.overall, &swapped.overall);
        for (x, y) in [
            (f.alpha, s.alpha),
            (f.alpha_u, s.alpha_u),
            (f.u_alpha, s.u_alpha),
            (f.binary_u_alpha, s.binary_u_alpha),
            (f.cu_alpha, s.cu_alpha),
        ] {
            prop_assert!(same(x, y), "{:?} vs {:?}", f, s);
        }
    }
}
