//! The document as screen readers (AccessKit) see it: a document node named after its
//! title, a paragraph node for each paragraph in view holding its text in text runs (as
//! egui's own text fields give them), the caret and selection in them, and a node for each
//! passage in view, named by its tags and opening words ("quote, statistic: Scotland Yard
//! has so far…"). Built only while an accessibility client listens (egui skips it otherwise).

use egui::accesskit;
use egui::emath::TSTransform;
use egui::text::CCursor;
use egui::text_selection::CCursorRange;
use egui::{Rect, Response, UiBuilder};
use std::ops::Range;

use super::TextSelection;

/// A paragraph in view: its index, characters, text, size of its text and where it is on
/// screen.
pub struct ShownParagraph<'a> {
    pub index: usize,
    pub chars: Range<usize>,
    pub text: &'a str,
    pub font_size: f32,
    pub rect: Rect,
}

/// A passage in view, with its name and where its first line is on screen.
pub struct ShownPassage {
    pub key: u32,
    pub name: String,
    pub rect: Rect,
}

/// Whether an accessibility client listens (AccessKit is on): only then are the nodes built.
pub fn is_listening(response: &Response) -> bool {
    response
        .ctx
        .accesskit_node_builder(response.id, |_| ())
        .is_some()
}

/// Add the nodes under the document's `response` (only while AccessKit is on). `ui` is the
/// document's content, where a child is made for each node so that it hangs under the
/// document in the tree.
pub fn expose(
    ui: &mut egui::Ui,
    response: &Response,
    title: &str,
    paragraphs: &[ShownParagraph<'_>],
    selection: Option<TextSelection>,
    passages: &[ShownPassage],
) {
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Document, true, format!("Document: {title}"))
    });
    let ctx = response.ctx.clone();
    if ctx.accesskit_node_builder(response.id, |_| ()).is_none() {
        return;
    }
    let mut child = |salt: (&str, usize), rect: Rect| {
        ui.new_child(
            UiBuilder::new()
                .id_salt(salt)
                .max_rect(rect)
                .accessibility_parent(response.id),
        )
        .unique_id()
    };
    for paragraph in paragraphs {
        let rect = paragraph.rect;
        let id = child(("paragraph", paragraph.index), rect);
        ctx.accesskit_node_builder(id, |node| {
            node.set_role(accesskit::Role::Paragraph);
            node.set_bounds(bounds(rect));
        });
        // The caret (the selection's moving end) is shown in its paragraph, with the other
        // end clamped to that paragraph: AccessKit's selection lies within one text node.
        let cursor = selection
            .filter(|s| paragraph.chars.contains(&s.head) || paragraph.chars.end == s.head)
            .map(|s| {
                let local = |at: usize| {
                    CCursor::new(
                        at.clamp(paragraph.chars.start, paragraph.chars.end)
                            - paragraph.chars.start,
                    )
                };
                CCursorRange {
                    primary: local(s.head),
                    secondary: local(s.anchor),
                    h_pos: None,
                }
            });
        // AccessKit takes its text runs from an egui galley: one is laid out for it, wrapped
        // at the paragraph's width, only while an accessibility client listens. Its character
        // boxes follow egui's layout, which has no bidi: right-to-left text is read in the
        // right order, but a screen reader's highlight of a word may sit off it.
        let galley = ctx.fonts_mut(|fonts| {
            fonts.layout(
                paragraph.text.to_owned(),
                egui::FontId::proportional(paragraph.font_size),
                egui::Color32::PLACEHOLDER,
                paragraph.rect.width(),
            )
        });
        egui::text_selection::accesskit_text::update_accesskit_for_text_widget(
            &ctx,
            id,
            cursor,
            TSTransform::from_translation(paragraph.rect.min.to_vec2()),
            &galley,
        );
    }
    for passage in passages {
        let id = child(("passage", passage.key as usize), passage.rect);
        ctx.accesskit_node_builder(id, |node| {
            node.set_role(accesskit::Role::Mark);
            node.set_label(passage.name.clone());
            node.set_bounds(bounds(passage.rect));
        });
    }
}

fn bounds(rect: Rect) -> accesskit::Rect {
    accesskit::Rect {
        x0: rect.min.x.into(),
        y0: rect.min.y.into(),
        x1: rect.max.x.into(),
        y1: rect.max.y.into(),
    }
}
