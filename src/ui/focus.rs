//! Keyboard focus between the window's regions: F6 and Shift+F6 move it from the documents
//! list to the document, the passages panel and the codebook, and round again. Each region's
//! focusable rows register themselves here every frame (which one F6 should land on, and
//! whether one of them has the focus), and draw the focus mark that shows where the keys go.

use egui::{Context, Id, Response, Stroke, StrokeKind, Ui};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    Documents,
    Document,
    Passages,
    Codebook,
}

impl Region {
    /// The order F6 goes round in: left to right, then the codebook under the documents.
    pub const CYCLE: [Region; 4] = [
        Region::Documents,
        Region::Document,
        Region::Passages,
        Region::Codebook,
    ];
}

/// Where F6 lands in a region, and the frame it was offered in.
#[derive(Clone, Copy)]
struct Target {
    frame: u64,
    id: Id,
    preferred: bool,
}

fn target_key(region: Region) -> Id {
    Id::unique(("focus target", region))
}

fn focused_key() -> Id {
    Id::unique("focused region")
}

/// A focusable thing of `region`: remembered as where F6 lands (the first one offered in a
/// frame, unless a later one is `preferred`, e.g. the current document's row), and noted as
/// the focused region when it has the focus. Rows then draw [`paint_focus_mark`]; the
/// document shows its caret.
pub fn register(ui: &Ui, region: Region, response: &Response, preferred: bool) {
    let ctx = ui.ctx();
    let frame = ctx.cumulative_frame_nr();
    ctx.data_mut(|data| {
        let key = target_key(region);
        let keep = data
            .get_temp::<Target>(key)
            .is_some_and(|t| t.frame == frame && (t.preferred || !preferred));
        if !keep {
            data.insert_temp(
                key,
                Target {
                    frame,
                    id: response.id,
                    preferred,
                },
            );
        }
    });
    if response.has_focus() {
        ctx.data_mut(|data| data.insert_temp(focused_key(), (frame, region)));
    }
}

/// A focusable row of `region` (see [`register`]), outlined while it has the focus.
pub fn register_row(ui: &Ui, region: Region, response: &Response, preferred: bool) {
    register(ui, region, response, preferred);
    if response.has_focus() {
        paint_focus_mark(ui, response);
    }
}

/// A list row (drawn as a frame around its contents) made clickable and focusable. The
/// row gets an id of its own: the frame's id belongs to its inner area, which egui registers
/// anew every frame as not focusable, and that would drop the row's focus at once.
pub fn clickable_row(ui: &Ui, frame: &Response) -> Response {
    ui.interact(frame.rect, frame.id.with("row"), egui::Sense::click())
}

/// The focus mark: a ring in the theme's strongest text colour around the focused thing.
pub fn paint_focus_mark(ui: &Ui, response: &Response) {
    ui.painter().rect_stroke(
        response.rect.shrink(1.0),
        super::theme::ROW_RADIUS,
        Stroke::new(2.0, ui.visuals().strong_text_color()),
        StrokeKind::Inside,
    );
}

/// Move the focus to the next region (or the previous one) that has something to focus.
/// Returns the region that now has it.
pub fn cycle(ctx: &Context, forward: bool) -> Option<Region> {
    let frame = ctx.cumulative_frame_nr();
    let recent = |at: u64| at + 2 >= frame;
    let current = ctx
        .data(|data| data.get_temp::<(u64, Region)>(focused_key()))
        .filter(|(at, _)| recent(*at) && ctx.memory(|m| m.focused().is_some()))
        .map(|(_, region)| region);
    let count = Region::CYCLE.len();
    let start = current
        .and_then(|r| Region::CYCLE.iter().position(|c| *c == r))
        // Nothing focused: F6 starts before the documents list, Shift+F6 after the codebook.
        .unwrap_or(if forward { count - 1 } else { 0 });
    for step in 1..=count {
        let at = if forward {
            (start + step) % count
        } else {
            (start + count - step) % count
        };
        let region = Region::CYCLE[at];
        let target = ctx
            .data(|data| data.get_temp::<Target>(target_key(region)))
            .filter(|t| recent(t.frame));
        if let Some(target) = target {
            ctx.memory_mut(|m| m.request_focus(target.id));
            ctx.data_mut(|data| data.insert_temp(focused_key(), (frame, region)));
            return Some(region);
        }
    }
    None
}
