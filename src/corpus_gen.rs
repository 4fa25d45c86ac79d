//! A deterministic synthetic corpus for benchmarks and tests: documents of any size built
//! from the paragraphs and sentences of the seed articles (so they read like news and carry
//! their typographic punctuation), and passages in the mix a coding team produces:
//! sentence-sized spans, spans across paragraphs, nested and overlapping spans, one to three
//! tags, the odd note. The same seed always gives the same bytes.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::anchor::sha256_hex;
use crate::model::{
    Annotation, AnnotationId, DocId, Document, DocumentText, Project, TagId, rfc3339_from_unix,
};

/// The seed articles, as the project ships them.
pub const SEED_ARTICLES: [&str; 5] = [
    include_str!("../seeds/000_fd2bbcf178ec013b.txt"),
    include_str!("../seeds/001_3d90d8b929a68814.txt"),
    include_str!("../seeds/002_c2d47f878a0c9e5f.txt"),
    include_str!("../seeds/003_38e58dabd02f397c.txt"),
    include_str!("../seeds/004_36a6fe7c59615a69.txt"),
];

/// SplitMix64: tiny, fast and good enough to pick paragraphs; fixed forever so that a seed
/// names the same corpus in every version.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The non-blank lines of the seed articles.
pub fn seed_paragraphs() -> Vec<&'static str> {
    SEED_ARTICLES
        .iter()
        .flat_map(|article| article.lines())
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty())
        .collect()
}

/// The sentences of the seed articles (split after `. `, `? `, `! `).
fn seed_sentences(paragraphs: &[&'static str]) -> Vec<&'static str> {
    let mut sentences = Vec::new();
    for paragraph in paragraphs {
        let mut rest = *paragraph;
        while let Some(cut) = ['.', '?', '!']
            .iter()
            .filter_map(|end| rest.find(&format!("{end} ")))
            .min()
        {
            sentences.push(&rest[..=cut]);
            rest = &rest[cut + 2..];
        }
        if !rest.trim().is_empty() {
            sentences.push(rest);
        }
    }
    sentences
}

/// News-like text of about `target_bytes` bytes (it stops after the paragraph that reaches
/// the target), lines separated by `\n`, with the seeds' occasional blank lines. Most
/// paragraphs are a seed paragraph; the others are sentences drawn from across the seeds.
pub fn news_text(seed: u64, target_bytes: usize) -> String {
    let mut rng = SplitMix64::new(seed);
    let paragraphs = seed_paragraphs();
    let sentences = seed_sentences(&paragraphs);
    let mut text = String::with_capacity(target_bytes + 2048);
    // A headline first, as in the seeds: the document's title comes from it.
    text.push_str(rng.pick(&sentences).trim_end_matches('.'));
    text.push('\n');
    while text.len() < target_bytes {
        if rng.percent(65) {
            text.push_str(paragraphs[rng.below(paragraphs.len())]);
        } else {
            let count = rng.between(2, 6);
            for i in 0..count {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(rng.pick(&sentences).trim());
            }
        }
        text.push('\n');
        if rng.percent(30) {
            text.push('\n');
        }
    }
    text
}

/// The language of generated text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// The seed articles' English.
    Latin,
    /// Arabic news sentences, with the digits and the occasional English name such text has.
    Arabic,
    /// Paragraphs alternating Arabic, Hebrew, Devanagari, Tamil, Thai, English with emoji,
    /// and mixed lines.
    Mixed,
}

const ARABIC_SENTENCES: &[&str] = &[
    "قال الضابط إن البرنامج ساعد الموظفين كثيرا.",
    "عقدت شرطة العاصمة ورشات عمل في لندن حول سياسة العمل الإيجابي.",
    "وأكد المتحدث أن 1,500 موظف شاركوا في البرنامج منذ عام 2017.",
    "ارتفعت نسبة الترقية من 68 إلى 85 بالمئة خلال ثلاث سنوات.",
    "انتقد بعض المفتشين السابقين هذه الورشات لأنها لا تشمل الجميع.",
    "وقال John Smith إن القوة تريد أن تعكس المجتمع الذي تخدمه.",
    "تشير الأرقام الرسمية إلى أن التمثيل ما زال أقل من المطلوب.",
    "طالبت النقابة بنشر التقرير الكامل قبل نهاية العام.",
];

const MIXED_SENTENCES: &[&str] = &[
    "قال الضابط إن البرنامج ساعد الموظفين كثيرا، وفق تقرير Met Police لعام 2019.",
    "השוטר אמר שהתוכנית עזרה לעובדים מאוד, ו-1,500 עובדים השתתפו בסדנאות.",
    "अधिकारी ने कहा कि कार्यक्रम से कर्मचारियों को मदद मिली।",
    "அதிகாரி திட்டம் ஊழியர்களுக்கு உதவியது என்றார்.",
    "เจ้าหน้าที่กล่าวว่าโครงการช่วยพนักงานได้มาก",
    "The panel met twice 👩‍👩‍👧 and the chair gave a thumbs up 👍🏽 to the plan.",
    "وقال John Smith (المفتش السابق) إن «الترقية» يجب أن تعتمد على الكفاءة.",
    "警官说该计划对员工帮助很大。",
];

/// Text of about `target_bytes` bytes in `script`, lines separated by `\n`: the seed articles
/// for [`Script::Latin`] (as [`news_text`]), otherwise paragraphs of two to six sentences
/// drawn from a fixed set in that script.
pub fn script_text(seed: u64, target_bytes: usize, script: Script) -> String {
    let sentences = match script {
        Script::Latin => return news_text(seed, target_bytes),
        Script::Arabic => ARABIC_SENTENCES,
        Script::Mixed => MIXED_SENTENCES,
    };
    let mut rng = SplitMix64::new(seed);
    let mut text = String::with_capacity(target_bytes + 2048);
    text.push_str(sentences[0].trim_end_matches(['.', '،']));
    text.push('\n');
    while text.len() < target_bytes {
        let count = rng.between(2, 6);
        for i in 0..count {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(rng.pick::<&str>(sentences));
        }
        text.push('\n');
        if rng.percent(30) {
            text.push('\n');
        }
    }
    text
}

/// The tags a generated passage carries, by the default codebook's ids (quote, statistic,
/// policy, critique): mostly one, sometimes two or three, in codebook order.
fn tag_mix(rng: &mut SplitMix64) -> Vec<TagId> {
    const WEIGHTED: [TagId; 20] = [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4];
    let count = match rng.below(100) {
        0..75 => 1,
        75..95 => 2,
        _ => 3,
    };
    let mut tags: Vec<TagId> = Vec::with_capacity(count);
    while tags.len() < count {
        let tag = *rng.pick(&WEIGHTED);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags.sort_unstable();
    tags
}

/// `count` passages on one document, ids from `first_id`, each with its exact quote.
/// About 60% are sentence-sized spans inside a paragraph, 10% run across paragraphs, 15%
/// nest inside an earlier passage and 15% overlap one; no two share a range.
pub fn passages(
    seed: u64,
    doc: DocId,
    text: &DocumentText,
    count: usize,
    first_id: AnnotationId,
) -> Vec<Annotation> {
    let mut rng = SplitMix64::new(seed);
    let notes = seed_sentences(&seed_paragraphs());
    let total = text.char_count();
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(count);
    let mut taken: HashSet<(usize, usize)> = HashSet::with_capacity(count);
    if total < 2 {
        return Vec::new();
    }
    let mut attempts = 0;
    while ranges.len() < count && attempts < count * 20 {
        attempts += 1;
        let kind = rng.below(100);
        let range = if kind < 70 || ranges.is_empty() {
            let paragraph = non_empty_paragraph_at(text, rng.below(total));
            let Some(paragraph) = paragraph else { continue };
            let start = paragraph.chars.start + rng.below(paragraph.chars.len());
            if kind < 60 {
                let end = (start + rng.between(20, 320)).min(paragraph.chars.end);
                (start, end)
            } else {
                let last = (text.paragraph_of_char(start) + rng.between(1, 3))
                    .min(text.paragraphs().len() - 1);
                let end_paragraph = &text.paragraphs()[last];
                let end =
                    end_paragraph.chars.start + rng.below(end_paragraph.chars.len().max(1)).max(1);
                (start, end.min(total))
            }
        } else {
            let &(outer_start, outer_end) = rng.pick(&ranges);
            let outer_len = outer_end - outer_start;
            if kind < 85 {
                // Nested: a part of an earlier passage.
                if outer_len < 4 {
                    continue;
                }
                let start = outer_start + rng.below(outer_len / 2);
                let end = start + rng.between(1, outer_end - start);
                (start, end)
            } else {
                // Overlapping: starts inside an earlier passage and runs past its end.
                let start = outer_start + rng.below(outer_len.max(1));
                let end = (outer_end + rng.between(10, 200)).min(total);
                (start, end)
            }
        };
        if range.0 < range.1 && taken.insert(range) {
            ranges.push(range);
        }
    }
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, (start, end))| {
            let tags = tag_mix(&mut rng);
            let note = if rng.percent(10) {
                rng.pick(&notes).trim().to_owned()
            } else {
                String::new()
            };
            let coder = ["ana", "ben", "chidi"][rng.below(3)].to_owned();
            // The context the app stores with every passage it creates.
            let anchor = crate::anchor::anchor_at(text, start..end)
                .expect("generated ranges lie inside the text");
            Annotation {
                id: first_id + i as AnnotationId,
                doc,
                start,
                end,
                tags,
                quote: text
                    .slice(start..end)
                    .expect("generated ranges lie inside the text")
                    .to_owned(),
                note,
                coder,
                created: rfc3339_from_unix(1_790_000_000 + 37 * i as u64),
                prefix: anchor.prefix,
                suffix: anchor.suffix,
                conflict: false,
            }
        })
        .collect()
}

/// The first non-empty paragraph at or after the one holding `at`, wrapping around.
fn non_empty_paragraph_at(text: &DocumentText, at: usize) -> Option<&crate::model::Paragraph> {
    let paragraphs = text.paragraphs();
    let first = text.paragraph_of_char(at);
    (first..paragraphs.len())
        .chain(0..first)
        .map(|i| &paragraphs[i])
        .find(|p| !p.chars.is_empty())
}

/// A generated project with the texts of its documents.
pub struct Corpus {
    pub project: Project,
    /// The text of `project.documents[i]`, its file name being that document's `path`.
    pub texts: Vec<String>,
}

impl Corpus {
    /// Documents of the given sizes in bytes and `passage_count` passages spread over them
    /// in proportion to their length. Document paths are bare file names: the corpus is
    /// meant to be written into one folder with [`Corpus::write_to`].
    pub fn generate(seed: u64, document_bytes: &[usize], passage_count: usize) -> Self {
        Self::generate_in(seed, document_bytes, passage_count, Script::Latin)
    }

    /// As [`Corpus::generate`], in the given script.
    pub fn generate_in(
        seed: u64,
        document_bytes: &[usize],
        passage_count: usize,
        script: Script,
    ) -> Self {
        let mut project = Project::new(&format!("Generated corpus {seed}"));
        let mut texts = Vec::with_capacity(document_bytes.len());
        let document_texts: Vec<DocumentText> = document_bytes
            .iter()
            .enumerate()
            .map(|(i, bytes)| {
                DocumentText::new(script_text(seed ^ ((i as u64 + 1) << 20), *bytes, script))
            })
            .collect();
        let total_chars: usize = document_texts.iter().map(DocumentText::char_count).sum();
        let mut assigned = 0;
        let mut covered_chars = 0;
        for (i, text) in document_texts.into_iter().enumerate() {
            let id = i as DocId + 1;
            let path = format!("doc-{id:03}.txt");
            // Cumulative rounding, so that the counts add up to exactly `passage_count`.
            covered_chars += text.char_count();
            let due = (passage_count as u128 * covered_chars as u128)
                .checked_div(total_chars as u128)
                .unwrap_or(0) as usize;
            let annotations = passages(
                seed.wrapping_add(id.into()),
                id,
                &text,
                due - assigned,
                assigned as AnnotationId + 1,
            );
            assigned += annotations.len();
            project
                .annotations
                .extend(annotations.into_iter().map(Box::new));
            project.documents.push(Document {
                turns: Vec::new(),
                direction: Default::default(),
                id,
                title: crate::import::title_of(text.as_str(), Path::new(&path)),
                path,
                sha256: sha256_hex(text.as_str().as_bytes()),
                chars: text.char_count(),
                memo: String::new(),
                origin: None,
                attributes: Default::default(),
            });
            texts.push(text.as_str().to_owned());
        }
        project.sort_annotations();
        project.sync_id_counters();
        Self { project, texts }
    }

    /// Write the texts and `NAME.ron` into `dir`; returns the project file.
    pub fn write_to(&self, dir: &Path, name: &str) -> io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        for (document, text) in self.project.documents.iter().zip(&self.texts) {
            std::fs::write(dir.join(&document.path), text)?;
        }
        let file = dir.join(format!("{name}.ron"));
        crate::store::save_project(&self.project, &file).map_err(io::Error::other)?;
        Ok(file)
    }

    pub fn text_bytes(&self) -> usize {
        self.texts.iter().map(String::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_is_in_its_script_sized_and_repeatable() {
        let arabic = script_text(3, 20_000, Script::Arabic);
        assert!(arabic.len() >= 20_000 && arabic.len() < 24_000);
        assert_eq!(arabic, script_text(3, 20_000, Script::Arabic));
        let letters = arabic.chars().filter(|c| c.is_alphabetic());
        let arabic_letters = letters
            .clone()
            .filter(|c| ('\u{600}'..='\u{6ff}').contains(c));
        assert!(arabic_letters.count() * 10 > letters.count() * 9);
        let mixed = script_text(3, 20_000, Script::Mixed);
        for sample in ["कर्मचारियों", "👩‍👩‍👧", "השוטר", "โครงการ"]
        {
            assert!(mixed.contains(sample), "{sample}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let a = Corpus::generate(7, &[20_000, 5_000], 300);
        let b = Corpus::generate(7, &[20_000, 5_000], 300);
        assert_eq!(a.texts, b.texts);
        assert_eq!(a.project, b.project);
        let c = Corpus::generate(8, &[20_000, 5_000], 300);
        assert_ne!(a.texts, c.texts);
    }

    #[test]
    fn texts_are_built_from_seed_paragraphs_and_reach_their_size() {
        let text = news_text(3, 30_000);
        assert!((30_000..34_000).contains(&text.len()), "{}", text.len());
        let paragraphs = seed_paragraphs();
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        let verbatim = lines.iter().filter(|l| paragraphs.contains(l)).count();
        assert!(verbatim * 2 > lines.len(), "{verbatim} of {}", lines.len());
        assert!(
            text.contains('’'),
            "keeps the seeds' typographic punctuation"
        );
    }

    #[test]
    fn passages_quote_their_text_overlap_nest_and_are_counted_exactly() {
        let corpus = Corpus::generate(11, &[40_000, 10_000], 1_000);
        let project = &corpus.project;
        assert_eq!(project.annotations.len(), 1_000);
        let texts: Vec<DocumentText> = corpus
            .texts
            .iter()
            .map(|t| DocumentText::new(t.clone()))
            .collect();
        let mut ids = HashSet::new();
        for a in &project.annotations {
            assert!(ids.insert(a.id), "unique ids");
            let text = &texts[a.doc as usize - 1];
            assert!(a.start < a.end && a.end <= text.char_count());
            assert_eq!(text.slice(a.range()), Some(a.quote.as_str()));
            assert!(!a.tags.is_empty() && a.tags.iter().all(|t| project.tag(*t).is_some()));
        }
        let of_first: Vec<&Annotation> = project.annotations_of(1).collect();
        assert!((700..900).contains(&of_first.len()), "{}", of_first.len());
        let nested = of_first.iter().any(|a| {
            of_first
                .iter()
                .any(|b| b.id != a.id && b.start <= a.start && a.end <= b.end)
        });
        let crossing = of_first.iter().any(|a| {
            of_first
                .iter()
                .any(|b| a.start < b.start && b.start < a.end && a.end < b.end)
        });
        assert!(nested && crossing, "nested {nested}, crossing {crossing}");
        assert!(project.annotations.iter().any(|a| a.tags.len() > 1));
        assert!(project.annotations.iter().any(|a| a.quote.contains('\n')));
    }

    #[test]
    fn a_written_corpus_opens_with_every_source_intact() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::generate(5, &[8_000, 3_000], 120);
        let file = corpus.write_to(dir.path(), "study").unwrap();
        let workspace = crate::Workspace::open(&file).unwrap();
        assert_eq!(workspace.project(), &corpus.project);
        for document in &workspace.project().documents {
            assert_eq!(
                workspace.source(document.id).map(|s| s.status_word()),
                Some("ok")
            );
        }
        assert!(
            workspace
                .project()
                .annotations
                .iter()
                .all(|a| workspace.is_anchored(a))
        );
    }
}
