//! Marginalia: annotate documents with codes, keep the work in RON project files, export it.
//!
//! The core (`model`, `edit`, `store`, `anchor`, `export`, `import`, `workspace`, `cli`)
//! knows nothing of egui; `ui` is a thin layer on top, built with the default `gui` feature.

pub mod agreement;
pub mod anchor;
pub mod attributes;
pub mod cli;
pub mod codebook;
pub mod corpus_gen;
pub mod correct;
pub mod edit;
pub mod export;
pub mod find;
pub mod import;
pub mod merge;
pub mod model;
pub mod platform;
pub mod qda_tools;
pub mod recovery;
pub mod retrieval;
pub mod sample;
pub mod startup_timing;
pub mod stats;
pub mod store;
#[cfg(feature = "gui")]
pub mod text_layout;
#[cfg(feature = "gui")]
pub mod ui;
pub mod workspace;

pub use edit::{Edit, EditError};
pub use model::Project;
pub use workspace::Workspace;

/// The app's id on the desktop: the window's Wayland app id and X11 class, and the name of
/// its desktop entry (`APP_ID.desktop`), icon and AppStream metainfo (`packaging/linux/`).
pub const APP_ID: &str = "io.github.marginalia_qda.Marginalia";
