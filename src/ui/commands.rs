//! Everything a person can ask of the app from a menu or a shortcut, written once: each
//! command's label, its shortcuts, when it is available and the action it produces. The
//! menus, the key handler and the README's keyboard table are all made from this list.

use egui::{Key, KeyboardShortcut, ModifierNames, Modifiers};

use super::{Action, CentralView};
use crate::model::TextDirection;
use crate::workspace::Workspace;

pub const MIN_TEXT_SIZE: f32 = 11.0;
pub const MAX_TEXT_SIZE: f32 = 32.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    NewProject,
    Open,
    AddDocuments,
    Save,
    SaveAs,
    ImportProject,
    ImportCodebook,
    MergeProject,
    ImportSurvey,
    Preferences,
    Quit,
    Undo,
    Redo,
    Find,
    EditText,
    CodeBySpeaker,
    DeletePassage,
    ClearSelection,
    ShowDocument,
    ShowPassages,
    ShowMemos,
    ShowAgreement,
    ShowAnalysis,
    ShowAttributes,
    ShowCases,
    ShowAnswers,
    LargerText,
    SmallerText,
    LightTheme,
    DarkTheme,
    DirectionFromText,
    DirectionLeftToRight,
    DirectionRightToLeft,
    NextDifference,
    PreviousDifference,
    NextRegion,
    PreviousRegion,
}

/// What a command's availability and action depend on.
pub struct CommandContext<'a> {
    pub workspace: &'a Workspace,
    pub passage_selected: bool,
    pub text_size: f32,
    pub dark_mode: bool,
    /// The document view compares two coders.
    pub comparing: bool,
    /// The direction of the document shown, if one is.
    pub document_direction: Option<TextDirection>,
}

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn ctrl_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

impl Command {
    /// In menu order. Shortcuts are matched in this order too, so a longer chord
    /// (Ctrl+Shift+S) comes before the shorter one it contains (Ctrl+S).
    pub const ALL: [Command; 37] = [
        Command::NewProject,
        Command::Open,
        Command::AddDocuments,
        Command::SaveAs,
        Command::Save,
        Command::ImportProject,
        Command::ImportCodebook,
        Command::MergeProject,
        Command::ImportSurvey,
        Command::Preferences,
        Command::Quit,
        Command::Redo,
        Command::Undo,
        Command::Find,
        Command::EditText,
        Command::CodeBySpeaker,
        Command::DeletePassage,
        Command::ClearSelection,
        Command::ShowDocument,
        Command::ShowPassages,
        Command::ShowMemos,
        Command::ShowAgreement,
        Command::ShowAnalysis,
        Command::ShowAttributes,
        Command::ShowCases,
        Command::ShowAnswers,
        Command::LargerText,
        Command::SmallerText,
        Command::LightTheme,
        Command::DarkTheme,
        Command::DirectionFromText,
        Command::DirectionLeftToRight,
        Command::DirectionRightToLeft,
        Command::PreviousDifference,
        Command::NextDifference,
        Command::PreviousRegion,
        Command::NextRegion,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Command::NewProject => "New",
            Command::Open => "Open…",
            Command::AddDocuments => "Add documents…",
            Command::Save => "Save",
            Command::SaveAs => "Save as…",
            Command::ImportProject => "Import project (.qdpx)…",
            Command::ImportCodebook => "Import codebook (.qdc)…",
            Command::MergeProject => "Merge project…",
            Command::ImportSurvey => "Import survey (.csv, .xlsx)…",
            Command::Preferences => "Preferences…",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::Find => "Find…",
            Command::EditText => "Edit text…",
            Command::CodeBySpeaker => "Code by speaker",
            Command::DeletePassage => "Delete passage",
            Command::ClearSelection => "Clear the selection",
            Command::ShowDocument => "Document",
            Command::ShowPassages => "Coded passages table",
            Command::ShowMemos => "Memos",
            Command::ShowAgreement => "Agreement",
            Command::ShowAnalysis => "Analysis",
            Command::ShowAttributes => "Attributes",
            Command::ShowCases => "Cases (speakers)",
            Command::ShowAnswers => "Answers (survey)",
            Command::LargerText => "Larger text",
            Command::SmallerText => "Smaller text",
            Command::LightTheme => "Light theme",
            Command::DarkTheme => "Dark theme",
            Command::DirectionFromText => "Text direction: from the text",
            Command::DirectionLeftToRight => "Text direction: left to right",
            Command::DirectionRightToLeft => "Text direction: right to left",
            Command::NextDifference => "Next difference between coders",
            Command::PreviousDifference => "Previous difference between coders",
            Command::NextRegion => "Next region",
            Command::PreviousRegion => "Previous region",
        }
    }

    /// What the keyboard table says the command does.
    pub fn description(self) -> &'static str {
        match self {
            Command::NewProject => "new project",
            Command::Open => "open a project",
            Command::Save => "save",
            Command::SaveAs => "save as",
            Command::Quit => "quit (asks first when something is unsaved)",
            Command::Undo => "undo",
            Command::Redo => "redo (back to the saved state clears the unsaved marker)",
            Command::Find => "find",
            Command::EditText => "correct the document's text; its passages follow",
            Command::CodeBySpeaker => {
                "tag every transcript turn with its speaker, under \"Speakers\""
            }
            Command::DeletePassage => "delete the selected passage",
            Command::ClearSelection => "clear the selection; end quick coding",
            Command::LargerText => "larger text",
            Command::SmallerText => "smaller text",
            Command::NextDifference => "compare mode: the next difference between the two coders",
            Command::PreviousDifference => "compare mode: the previous difference",
            Command::NextRegion => {
                "keyboard focus to the next region: documents, document, passages, codebook"
            }
            Command::PreviousRegion => "keyboard focus to the previous region",
            other => other.label(),
        }
    }

    /// The first one is shown in the menu.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        match self {
            Command::NewProject => const { &[ctrl(Key::N)] },
            Command::Open => const { &[ctrl(Key::O)] },
            Command::Save => const { &[ctrl(Key::S)] },
            Command::SaveAs => const { &[ctrl_shift(Key::S)] },
            Command::Quit => const { &[ctrl(Key::Q)] },
            Command::Undo => const { &[ctrl(Key::Z)] },
            Command::Redo => const { &[ctrl_shift(Key::Z), ctrl(Key::Y)] },
            Command::Find => const { &[ctrl(Key::F)] },
            Command::DeletePassage => const { &[plain(Key::Delete), plain(Key::Backspace)] },
            Command::ClearSelection => const { &[plain(Key::Escape)] },
            Command::LargerText => const { &[ctrl(Key::Plus), ctrl(Key::Equals)] },
            Command::SmallerText => const { &[ctrl(Key::Minus)] },
            Command::NextDifference => const { &[plain(Key::F8)] },
            Command::PreviousDifference => {
                const { &[KeyboardShortcut::new(Modifiers::SHIFT, Key::F8)] }
            }
            Command::NextRegion => const { &[plain(Key::F6)] },
            Command::PreviousRegion => {
                const { &[KeyboardShortcut::new(Modifiers::SHIFT, Key::F6)] }
            }
            _ => const { &[] },
        }
    }

    /// Whether its shortcut is the app's while a text field has the keyboard. Undo, Delete
    /// and Esc belong to the field then; Save, Quit and the like never do.
    pub fn works_while_typing(self) -> bool {
        !matches!(
            self,
            Command::Undo | Command::Redo | Command::DeletePassage | Command::ClearSelection
        )
    }

    /// Whether its keys are taken from egui's input when they run the command. Delete and
    /// Esc are only looked at: an open menu or popup still closes on Esc.
    pub fn takes_its_keys(self) -> bool {
        !matches!(self, Command::DeletePassage | Command::ClearSelection)
    }

    /// Whether its shortcut works while a dialog is open (a dialog answers Esc itself).
    pub fn works_under_dialogs(self) -> bool {
        !matches!(self, Command::DeletePassage | Command::ClearSelection)
    }

    pub fn enabled(self, context: &CommandContext<'_>) -> bool {
        match self {
            Command::Undo => context.workspace.can_undo(),
            Command::Redo => context.workspace.can_redo(),
            Command::DeletePassage => context.passage_selected,
            Command::CodeBySpeaker => context
                .workspace
                .project()
                .documents
                .iter()
                .any(|d| d.turns.iter().any(|t| t.speaker.is_some())),
            Command::LargerText => context.text_size < MAX_TEXT_SIZE,
            Command::SmallerText => context.text_size > MIN_TEXT_SIZE,
            Command::LightTheme => context.dark_mode,
            Command::DarkTheme => !context.dark_mode,
            Command::DirectionFromText
            | Command::DirectionLeftToRight
            | Command::DirectionRightToLeft => context
                .document_direction
                .is_some_and(|current| Some(current) != self.direction()),
            Command::NextDifference | Command::PreviousDifference => context.comparing,
            _ => true,
        }
    }

    /// The text direction a direction command sets.
    fn direction(self) -> Option<TextDirection> {
        match self {
            Command::DirectionFromText => Some(TextDirection::Auto),
            Command::DirectionLeftToRight => Some(TextDirection::LeftToRight),
            Command::DirectionRightToLeft => Some(TextDirection::RightToLeft),
            _ => None,
        }
    }

    /// The menu's words, which for Undo and Redo name the step.
    pub fn menu_label(self, context: &CommandContext<'_>) -> String {
        let step = match self {
            Command::Undo => context.workspace.undo_label(),
            Command::Redo => context.workspace.redo_label(),
            _ => None,
        };
        match step {
            Some(step) => format!("{} {step}", self.label()),
            None => self.label().to_owned(),
        }
    }

    pub fn action(self, context: &CommandContext<'_>) -> Action {
        match self {
            Command::NewProject => Action::NewProject,
            Command::Open => Action::OpenDialog,
            Command::AddDocuments => Action::AddDocumentsDialog,
            Command::Save => Action::Save,
            Command::SaveAs => Action::SaveAsDialog,
            Command::ImportProject => Action::ImportDialog,
            Command::ImportCodebook => Action::ImportCodebookDialog,
            Command::MergeProject => Action::MergeProjectDialog,
            Command::ImportSurvey => Action::ImportSurveyDialog,
            Command::Preferences => Action::PreferencesDialog,
            Command::Quit => Action::Quit,
            Command::Undo => Action::Undo,
            Command::Redo => Action::Redo,
            Command::Find => Action::OpenFind,
            Command::EditText => Action::EditText,
            Command::CodeBySpeaker => Action::CodeBySpeaker,
            Command::DeletePassage => Action::DeleteSelectedPassage,
            Command::ClearSelection => Action::ClearSelection,
            Command::ShowDocument => Action::ShowView(CentralView::Document),
            Command::ShowPassages => Action::ShowView(CentralView::Passages),
            Command::ShowMemos => Action::ShowView(CentralView::Memos),
            Command::ShowAgreement => Action::ShowView(CentralView::Agreement),
            Command::ShowAnalysis => Action::ShowView(CentralView::Analysis),
            Command::ShowAttributes => Action::ShowView(CentralView::Attributes),
            Command::ShowCases => Action::ShowView(CentralView::Cases),
            Command::ShowAnswers => Action::ShowView(CentralView::Answers),
            Command::LargerText => Action::SetTextSize(context.text_size + 1.0),
            Command::SmallerText => Action::SetTextSize(context.text_size - 1.0),
            Command::LightTheme => Action::SetDarkMode(false),
            Command::DarkTheme => Action::SetDarkMode(true),
            Command::DirectionFromText
            | Command::DirectionLeftToRight
            | Command::DirectionRightToLeft => {
                Action::SetTextDirection(self.direction().unwrap_or_default())
            }
            Command::NextDifference => Action::StepDifference { forward: true },
            Command::PreviousDifference => Action::StepDifference { forward: false },
            Command::NextRegion => Action::CycleFocus { forward: true },
            Command::PreviousRegion => Action::CycleFocus { forward: false },
        }
    }
}

/// Keys of the document view itself (it reads them while it has the keyboard), for the
/// keyboard table.
pub const DOCUMENT_KEYS: [(&str, &str); 7] = [
    (
        "1 … 9",
        "tag the selection with the tag that has this key (toggle on an exact passage)",
    ),
    (
        "Alt+1 … 9",
        "quick coding: every selection you finish gets that tag, until Esc (or Ctrl+click a tag)",
    ),
    (
        "Arrows, Home/End, Page Up/Down",
        "move the caret in the document (click in it or Tab to it first)",
    ),
    (
        "Ctrl+Left/Right, Ctrl+Home/End",
        "by word, to the document's start/end",
    ),
    ("Shift + any of these", "extend the selection"),
    ("Enter", "select the passage at the caret"),
    (
        "Tab / Shift+Tab",
        "move between the controls and rows; Enter or Space uses the focused one",
    ),
];

/// A shortcut as the README writes it: `Ctrl+Shift+S`, `Ctrl+=`, `Esc`.
fn shortcut_text(shortcut: &KeyboardShortcut) -> String {
    let key = match shortcut.logical_key {
        Key::Plus => "+",
        Key::Equals => "=",
        Key::Minus => "-",
        Key::Escape => "Esc",
        key => key.name(),
    };
    let modifiers = ModifierNames::NAMES.format(&shortcut.modifiers, false);
    if modifiers.is_empty() {
        key.to_owned()
    } else {
        format!("{modifiers}+{key}")
    }
}

/// The README's keyboard table, in Markdown: the document's keys, then every command that
/// has a shortcut.
pub fn keyboard_table() -> String {
    let mut table = String::from("| Keys | Does |\n| --- | --- |\n");
    for (keys, does) in DOCUMENT_KEYS {
        table.push_str(&format!("| {keys} | {does} |\n"));
    }
    for command in Command::ALL {
        let keys: Vec<String> = command.shortcuts().iter().map(shortcut_text).collect();
        if !keys.is_empty() {
            table.push_str(&format!(
                "| {} | {} |\n",
                keys.join(" / "),
                command.description()
            ));
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_keyboard_table_is_the_command_table() {
        let readme = include_str!("../../README.md");
        let table = keyboard_table();
        assert!(
            readme.contains(&table),
            "README.md's keyboard table must read:\n{table}"
        );
    }

    #[test]
    fn no_shortcut_belongs_to_two_commands() {
        let mut seen: Vec<(KeyboardShortcut, Command)> = Vec::new();
        for command in Command::ALL {
            for shortcut in command.shortcuts() {
                if let Some((_, other)) = seen.iter().find(|(s, _)| s == shortcut) {
                    panic!("{shortcut:?} is both {other:?} and {command:?}");
                }
                seen.push((*shortcut, command));
            }
        }
    }
}
