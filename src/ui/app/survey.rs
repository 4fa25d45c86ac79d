//! File → Import survey…: the sheet is read on a worker thread, its columns shown for the
//! person to confirm ([`crate::ui::survey_review`]), then the respondents are added as one
//! undoable step ([`crate::workspace::Workspace::import_survey`]).

use super::*;
use crate::import::survey::{SurveyError, SurveyTable, read_table};
use crate::ui::survey_review::{SurveyOutcome, SurveyReview};

pub(super) type ReadSheet = Result<SurveyTable, SurveyError>;

impl MarginaliaApp {
    pub(super) fn start_survey(&mut self, ctx: &egui::Context, path: PathBuf) {
        let what = format!("Reading {}", path.display());
        self.survey_job = Some(Background::start(ctx, what, move || {
            read_table(&path, None)
        }));
    }

    pub(super) fn poll_survey(&mut self) {
        let Some(job) = &self.survey_job else { return };
        let read = match job.poll() {
            Polled::Running => return,
            Polled::Done(read) => read,
            Polled::Lost => {
                self.survey_job = None;
                self.show_error(
                    "Could not read the survey",
                    "reading the sheet stopped unexpectedly".to_owned(),
                );
                return;
            }
        };
        self.survey_job = None;
        match read {
            Ok(table) => self.survey_review = Some(SurveyReview::new(table)),
            Err(error) => self.show_error("Could not read the survey", error.to_string()),
        }
    }

    pub(super) fn survey_review_on_screen(&mut self, ctx: &egui::Context) {
        let Some(review) = &mut self.survey_review else {
            return;
        };
        match review.show(ctx) {
            Some(SurveyOutcome::Import(columns)) => {
                let table = self
                    .survey_review
                    .take()
                    .expect("the review on screen")
                    .into_table();
                if self.workspace.coder.trim().is_empty() {
                    self.workspace.coder = "survey".to_owned();
                }
                match self.workspace.import_survey(&table, &columns) {
                    Ok(imported) => {
                        self.after_history_step();
                        let mut message = format!(
                            "Added {} respondent(s) with {} answer(s)",
                            imported.respondents, imported.answers
                        );
                        if imported.without_answers > 0 {
                            message.push_str(&format!(
                                "; {} answered no open question and were left out",
                                imported.without_answers
                            ));
                        }
                        message.push_str(". Undo takes them back.");
                        self.status = Some(message);
                    }
                    Err(error) => self.show_error(
                        "Could not import the survey: nothing was added",
                        error.to_string(),
                    ),
                }
            }
            Some(SurveyOutcome::Cancel) => {
                self.survey_review = None;
                self.status = Some("No respondents added".to_owned());
            }
            None => {}
        }
    }

    /// Whether a survey's columns are on screen, waiting for the person.
    pub fn survey_review_open(&self) -> bool {
        self.survey_review.is_some()
    }
}
