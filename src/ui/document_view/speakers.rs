//! A transcript's speakers in the margin: beside the paragraph where each turn begins, who
//! speaks and (unless hidden in the Reading popover) when, as transcription tools show it.

use std::sync::Arc;

use egui::{Align2, FontId, pos2};

use super::{DocumentView, LaidOutParagraph, Shown};
use crate::model::format_time;
use crate::ui::{snippet, theme};

/// Narrower than this, the margin shows no speakers: the "Name:" in the text says it.
const LEAST_WIDTH: f32 = 40.0;
/// The stripes beside the text take the gutter's right part; the speakers its left part.
const ROOM_FOR_STRIPES: f32 = 30.0;
const PAGE_EDGE: f32 = 6.0;

impl DocumentView {
    pub(super) fn paint_speakers(
        &self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        shown: &Shown<'_>,
        visible: &[(usize, Arc<LaidOutParagraph>)],
        right: f32,
    ) {
        let Some(document) = shown.project.document(shown.doc) else {
            return;
        };
        if document.turns.is_empty() {
            return;
        }
        let left = ui.max_rect().left() + PAGE_EDGE;
        let right = right - ROOM_FOR_STRIPES;
        let width = right - left;
        if width < LEAST_WIDTH {
            return;
        }
        let name_font = FontId::proportional(theme::SPEAKER_LABEL_SIZE);
        let time_font = FontId::monospace(theme::SPEAKER_LABEL_SIZE - 1.0);
        let name_color = ui.visuals().strong_text_color();
        let time_color = ui.visuals().weak_text_color();
        // About the width of a character: names longer than the margin end in "…".
        let limit = (width / (theme::SPEAKER_LABEL_SIZE * 0.55)).max(4.0) as usize;
        for (index, _) in visible {
            let paragraph = &shown.text.paragraphs()[*index];
            let first = document
                .turns
                .partition_point(|t| t.start < paragraph.chars.start);
            let Some(turn) = document
                .turns
                .get(first)
                .filter(|t| t.start <= paragraph.chars.end && t.end > t.start)
            else {
                continue;
            };
            let top = self.top_left(shown, *index).y;
            let name = shown.project.speaker_name(turn);
            let mut y = top;
            if !name.is_empty() {
                let rect = painter.text(
                    pos2(right, y),
                    Align2::RIGHT_TOP,
                    snippet::one_line(name, limit),
                    name_font.clone(),
                    name_color,
                );
                y = rect.bottom() + 1.0;
            }
            if self.reading.turn_times
                && let Some(start) = turn.time_start
            {
                painter.text(
                    pos2(right, y),
                    Align2::RIGHT_TOP,
                    format_time(start),
                    time_font.clone(),
                    time_color,
                );
            }
        }
    }
}
