//! Top menu bar, with each command's shortcut shown beside it.

use egui::{Button, Key, KeyboardShortcut, Modifiers};

use super::{Action, CentralView};
use crate::export::Format;
use crate::workspace::Workspace;

pub const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const REDO_ALT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
pub const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
pub const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);

pub const MIN_TEXT_SIZE: f32 = 11.0;
pub const MAX_TEXT_SIZE: f32 = 32.0;

pub fn ui(
    ui: &mut egui::Ui,
    workspace: &Workspace,
    recent: &[std::path::PathBuf],
    selected_passage: bool,
    text_size: f32,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let ctx = ui.ctx().clone();
    let item =
        |ui: &mut egui::Ui, label: &str, shortcut: Option<&KeyboardShortcut>, enabled: bool| {
            let mut button = Button::new(label);
            if let Some(shortcut) = shortcut {
                button = button.shortcut_text(ctx.format_shortcut(shortcut));
            }
            ui.add_enabled(enabled, button).clicked()
        };
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if item(ui, "New", Some(&NEW), true) {
                actions.push(Action::NewProject);
            }
            if item(ui, "Open…", Some(&OPEN), true) {
                actions.push(Action::OpenDialog);
            }
            ui.menu_button("Open recent", |ui| {
                if recent.is_empty() {
                    ui.weak("No recent projects");
                }
                for path in recent {
                    if ui.button(path.display().to_string()).clicked() {
                        actions.push(Action::Open(path.clone()));
                    }
                }
            });
            if item(ui, "Add documents…", None, true) {
                actions.push(Action::AddDocumentsDialog);
            }
            ui.separator();
            if item(ui, "Save", Some(&SAVE), true) {
                actions.push(Action::Save);
            }
            if item(ui, "Save as…", Some(&SAVE_AS), true) {
                actions.push(Action::SaveAsDialog);
            }
            if item(ui, "Import project (.qdpx)…", None, true) {
                actions.push(Action::ImportDialog);
            }
            if item(ui, "Import codebook (.qdc)…", None, true) {
                actions.push(Action::ImportCodebookDialog);
            }
            ui.menu_button("Export", |ui| {
                for format in Format::ALL {
                    if ui.button(format.label()).clicked() {
                        actions.push(Action::ExportDialog(format));
                    }
                }
            });
            ui.separator();
            if item(ui, "Quit", Some(&QUIT), true) {
                actions.push(Action::Quit);
            }
        });
        ui.menu_button("Edit", |ui| {
            let undo = workspace
                .undo_label()
                .map_or_else(|| "Undo".to_owned(), |l| format!("Undo {l}"));
            if item(ui, &undo, Some(&UNDO), workspace.can_undo()) {
                actions.push(Action::Undo);
            }
            let redo = workspace
                .redo_label()
                .map_or_else(|| "Redo".to_owned(), |l| format!("Redo {l}"));
            if item(ui, &redo, Some(&REDO), workspace.can_redo()) {
                actions.push(Action::Redo);
            }
            ui.separator();
            if item(ui, "Find…", Some(&FIND), true) {
                actions.push(Action::OpenFind);
            }
            ui.separator();
            let delete = KeyboardShortcut::new(Modifiers::NONE, Key::Delete);
            if item(ui, "Delete passage", Some(&delete), selected_passage) {
                actions.push(Action::DeleteSelectedPassage);
            }
        });
        ui.menu_button("View", |ui| {
            for (view, label) in [
                (CentralView::Document, "Document"),
                (CentralView::Passages, "Coded passages table"),
                (CentralView::Memos, "Memos"),
            ] {
                if item(ui, label, None, true) {
                    actions.push(Action::ShowView(view));
                }
            }
            ui.separator();
            if item(ui, "Larger text", Some(&ZOOM_IN), text_size < MAX_TEXT_SIZE) {
                actions.push(Action::SetTextSize(text_size + 1.0));
            }
            if item(
                ui,
                "Smaller text",
                Some(&ZOOM_OUT),
                text_size > MIN_TEXT_SIZE,
            ) {
                actions.push(Action::SetTextSize(text_size - 1.0));
            }
            ui.separator();
            let dark = ui.visuals().dark_mode;
            if item(ui, "Light theme", None, dark) {
                actions.push(Action::SetDarkMode(false));
            }
            if item(ui, "Dark theme", None, !dark) {
                actions.push(Action::SetDarkMode(true));
            }
        });
    });
    actions
}
