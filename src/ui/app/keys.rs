//! The keyboard: shortcuts that work anywhere, tag keys for the document, dropped files.

use super::*;

impl MarginaliaApp {
    /// The commands' shortcuts (see [`crate::ui::commands`]), the tag keys while there is a
    /// selection, and dropped files.
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        // Keys are the document's unless a text field has them (a focused button does not,
        // nor an answer cell of the grid, which is read only).
        let in_answer_cell =
            self.central_view == CentralView::Answers && self.answers_view.holds_keys(ctx);
        if in_answer_cell {
            // Nothing is typed into an answer, but a read-only field still drops its
            // selection on a typed character: the tag key "1" would lose the words it codes.
            ctx.input_mut(|i| {
                i.events
                    .retain(|event| !matches!(event, egui::Event::Text(_) | egui::Event::Paste(_)))
            });
        }
        let typing = ctx.text_edit_focused() && !in_answer_cell;
        let under_dialog = self.dialog.is_some();
        let context = self.command_context(ctx);
        ctx.input_mut(|i| {
            for command in Command::ALL {
                if (typing && !command.works_while_typing())
                    || (under_dialog && !command.works_under_dialogs())
                {
                    continue;
                }
                // Every shortcut of the command is consumed, so that Ctrl+Y does not also
                // reach a field, but the command runs once.
                let pressed = command
                    .shortcuts()
                    .iter()
                    .filter(|shortcut| {
                        if command.takes_its_keys() {
                            i.consume_shortcut(shortcut)
                        } else {
                            i.modifiers.matches_exact(shortcut.modifiers)
                                && i.key_pressed(shortcut.logical_key)
                        }
                    })
                    .count()
                    > 0;
                if pressed && command.enabled(&context) {
                    actions.push(command.action(&context));
                }
            }
        });
        if !typing && !under_dialog {
            // Alt and a tag's key: quick coding with that tag.
            let project = self.workspace.project();
            ctx.input(|i| {
                if !i.modifiers.alt || i.modifiers.command {
                    return;
                }
                for (key, digit) in DIGIT_KEYS {
                    if i.key_pressed(key)
                        && let Some(tag) = project.tag_by_key(digit)
                    {
                        actions.push(Action::QuickCode(Some(tag.id)));
                    }
                }
            });
        }
        if !typing && !under_dialog && self.selection().is_some() {
            let project = self.workspace.project();
            ctx.input(|i| {
                if i.modifiers.command || i.modifiers.alt {
                    return;
                }
                for (key, digit) in DIGIT_KEYS {
                    if i.key_pressed(key)
                        && let Some(tag) = project.tag_by_key(digit)
                    {
                        actions.push(Action::TagSelection(tag.id));
                    }
                }
            });
        }
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
