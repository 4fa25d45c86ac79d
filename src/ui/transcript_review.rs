//! Before transcripts are added: the speakers and turns found in each, and the layout they
//! were read in, which the person can change (another layout, another separator after the
//! speaker's name, or plain text) when a speaker pattern was not recognised.

use crate::import::ImportedDocument;
use crate::import::transcript::TranscriptLayout;
use crate::model::format_time;

use super::import_jobs::ReadBatch;
use super::snippet;

/// How many turns each document previews.
const PREVIEW_TURNS: usize = 6;

pub struct TranscriptReview {
    entries: Vec<Entry>,
    errors: Vec<String>,
}

struct Entry {
    document: ImportedDocument,
    /// Captions are transcripts by their format: their layout is not offered.
    captions: bool,
    /// The separator typed for "Name, separator, text".
    separator: String,
    /// Why the layout last chosen could not be read, if it could not.
    problem: Option<String>,
}

pub enum ReviewOutcome {
    Add(ReadBatch),
    Cancel,
}

impl TranscriptReview {
    /// A review when the batch holds a transcript; otherwise the batch back, to add as it is.
    pub fn of(batch: ReadBatch) -> Result<TranscriptReview, ReadBatch> {
        if !batch.documents.iter().any(|d| d.transcript.is_some()) {
            return Err(batch);
        }
        let entries = batch
            .documents
            .into_iter()
            .map(|document| {
                let captions = matches!(
                    document.transcript.as_ref().map(|t| &t.layout),
                    Some(TranscriptLayout::WebVtt | TranscriptLayout::Srt)
                );
                let separator = match document.transcript.as_ref().map(|t| &t.layout) {
                    Some(TranscriptLayout::NameSeparator(separator)) => separator.clone(),
                    _ => ":".to_owned(),
                };
                Entry {
                    document,
                    captions,
                    separator,
                    problem: None,
                }
            })
            .collect();
        Ok(TranscriptReview {
            entries,
            errors: batch.errors,
        })
    }

    pub fn show(&mut self, ctx: &egui::Context) -> Option<ReviewOutcome> {
        let mut outcome = None;
        egui::Modal::new(egui::Id::unique("transcript-review")).show(ctx, |ui| {
            ui.set_width(ctx.content_rect().width().min(720.0) - 48.0);
            ui.heading("Add transcripts");
            ui.label(
                "Each turn becomes a paragraph, “Name: what was said”; the speakers become \
                 cases, one per person across documents. Change the layout if a speaker \
                 was not recognised.",
            );
            ui.add_space(6.0);
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() * 0.6)
                .show(ui, |ui| {
                    for (index, entry) in self.entries.iter_mut().enumerate() {
                        ui.push_id(index, |ui| entry.ui(ui));
                        ui.separator();
                    }
                });
            if !self.errors.is_empty() {
                ui.colored_label(ui.visuals().error_fg_color, self.errors.join("\n"));
            }
            ui.horizontal(|ui| {
                let count = self.entries.len();
                if ui
                    .button(if count == 1 {
                        "Add document".to_owned()
                    } else {
                        format!("Add {count} documents")
                    })
                    .clicked()
                {
                    outcome = Some(ReviewOutcome::Add(ReadBatch {
                        documents: self.entries.drain(..).map(|e| e.document).collect(),
                        errors: std::mem::take(&mut self.errors),
                    }));
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    outcome = Some(ReviewOutcome::Cancel);
                }
            });
        });
        outcome
    }
}

impl Entry {
    fn ui(&mut self, ui: &mut egui::Ui) {
        let name = self
            .document
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        ui.strong(snippet::one_line(&name, 80));
        if !self.captions {
            self.layout_chooser(ui);
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        let Some(found) = &self.document.transcript else {
            ui.weak("Added as plain text: no speakers, no turns.");
            return;
        };
        // Speakers in order of first appearance, each with its number of turns.
        let mut speakers: Vec<(String, usize)> = Vec::new();
        for turn in &found.turns {
            let key = crate::model::case_key(&turn.speaker);
            match speakers
                .iter_mut()
                .find(|(name, _)| crate::model::case_key(name) == key)
            {
                Some((_, count)) => *count += 1,
                None => speakers.push((turn.speaker.clone(), 1)),
            }
        }
        let listed: Vec<String> = speakers
            .iter()
            .map(|(name, count)| {
                let name = if name.is_empty() {
                    "(no speaker)"
                } else {
                    name
                };
                format!("{} ({count})", snippet::one_line(name, 40))
            })
            .collect();
        ui.label(format!(
            "{} turns by {} speaker(s): {}",
            found.turns.len(),
            speakers.iter().filter(|(n, _)| !n.is_empty()).count(),
            listed.join(", ")
        ));
        let text: Vec<char> = self.document.text.chars().collect();
        for turn in found.turns.iter().take(PREVIEW_TURNS) {
            let said: String = text[turn.start.min(text.len())..turn.end.min(text.len())]
                .iter()
                .collect();
            let time = turn.time_start.map(format_time).unwrap_or_default();
            ui.horizontal(|ui| {
                ui.monospace(format!("{time:>7}"));
                ui.strong(snippet::one_line(&turn.speaker, 30));
                ui.add(egui::Label::new(snippet::one_line(&said, 120)).truncate());
            });
        }
        if found.turns.len() > PREVIEW_TURNS {
            ui.weak(format!("… and {} more", found.turns.len() - PREVIEW_TURNS));
        }
    }

    fn layout_chooser(&mut self, ui: &mut egui::Ui) {
        let current = self.document.transcript.as_ref().map(|t| t.layout.clone());
        let mut chosen = current.clone();
        ui.horizontal(|ui| {
            ui.label("Read as");
            let shown = current
                .as_ref()
                .map_or_else(|| "Plain text".to_owned(), TranscriptLayout::name);
            egui::ComboBox::from_id_salt("layout")
                .selected_text(shown)
                .width(260.0)
                .show_ui(ui, |ui| {
                    for layout in TranscriptLayout::all_for_text() {
                        let layout = match layout {
                            TranscriptLayout::NameSeparator(_) => {
                                TranscriptLayout::NameSeparator(self.separator.clone())
                            }
                            other => other,
                        };
                        let name = layout.name();
                        ui.selectable_value(&mut chosen, Some(layout), name);
                    }
                    ui.selectable_value(&mut chosen, None, "Plain text (not a transcript)");
                });
            if matches!(chosen, Some(TranscriptLayout::NameSeparator(_))) {
                ui.label("separator after the name");
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.separator)
                        .desired_width(40.0)
                        .char_limit(4),
                );
                if field.changed() && !self.separator.is_empty() {
                    chosen = Some(TranscriptLayout::NameSeparator(self.separator.clone()));
                }
            }
        });
        if chosen != current {
            self.read_as(chosen);
        }
    }

    fn read_as(&mut self, layout: Option<TranscriptLayout>) {
        match self.document.clone().read_as(layout.as_ref()) {
            Ok(document) => {
                self.document = document;
                self.problem = None;
            }
            Err(error) => {
                if let Ok(plain) = self.document.clone().read_as(None) {
                    self.document = plain;
                }
                let name = layout
                    .as_ref()
                    .map_or_else(String::new, TranscriptLayout::name);
                self.problem = Some(format!("Not readable as “{name}”: {error}"));
            }
        }
    }
}
