//! The keyboard: shortcuts that work anywhere, tag keys for the document, dropped files.

use super::*;

impl MarginaliaApp {
    /// Shortcuts that work anywhere, and the tagging keys when the document has focus.
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        // Keys are the document's unless a text field has them (a focused button does not).
        let typing = ctx.text_edit_focused();
        ctx.input_mut(|i| {
            for (shortcut, action) in [
                (menu_bar::SAVE_AS, Action::SaveAsDialog),
                (menu_bar::SAVE, Action::Save),
                (menu_bar::OPEN, Action::OpenDialog),
                (menu_bar::NEW, Action::NewProject),
                (menu_bar::QUIT, Action::Quit),
                (menu_bar::FIND, Action::OpenFind),
            ] {
                if i.consume_shortcut(&shortcut) {
                    actions.push(action);
                }
            }
            if !typing {
                if i.consume_shortcut(&menu_bar::REDO) || i.consume_shortcut(&menu_bar::REDO_ALT) {
                    actions.push(Action::Redo);
                }
                if i.consume_shortcut(&menu_bar::UNDO) {
                    actions.push(Action::Undo);
                }
            }
            if i.consume_shortcut(&menu_bar::ZOOM_IN) {
                actions.push(Action::SetTextSize(self.preferences.text_size + 1.0));
            }
            if i.consume_shortcut(&menu_bar::ZOOM_OUT) {
                actions.push(Action::SetTextSize(self.preferences.text_size - 1.0));
            }
        });
        if typing || self.dialog.is_some() {
            return actions;
        }
        let project = self.workspace.project();
        ctx.input(|i| {
            if i.modifiers.command || i.modifiers.alt {
                return;
            }
            if self.selection().is_some() {
                for (key, digit) in DIGIT_KEYS {
                    if i.key_pressed(key)
                        && let Some(tag) = project.tag_by_key(digit)
                    {
                        actions.push(Action::TagSelection(tag.id));
                    }
                }
            }
            if i.key_pressed(Key::Escape) {
                actions.push(Action::ClearSelection);
            }
            if i.key_pressed(Key::Delete) || i.key_pressed(Key::Backspace) {
                actions.push(Action::DeleteSelectedPassage);
            }
        });
        let mut documents = Vec::new();
        for file in ctx.input(|i| i.raw.dropped_files.clone()) {
            let path = file.path().to_owned();
            if path.as_os_str().is_empty() {
                continue;
            }
            match path.extension().and_then(|e| e.to_str()) {
                Some("ron") => actions.push(Action::Open(path)),
                Some("qdpx") => actions.push(Action::Import(path)),
                _ => documents.push(path),
            }
        }
        if !documents.is_empty() {
            actions.push(Action::AddDocuments(documents));
        }
        actions
    }
}

const DIGIT_KEYS: [(Key, &str); 9] = [
    (Key::Num1, "1"),
    (Key::Num2, "2"),
    (Key::Num3, "3"),
    (Key::Num4, "4"),
    (Key::Num5, "5"),
    (Key::Num6, "6"),
    (Key::Num7, "7"),
    (Key::Num8, "8"),
    (Key::Num9, "9"),
];
