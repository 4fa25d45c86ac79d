//! Marginalia: annotate documents with codes, keep the work in RON project files, export it.
//!
//! The core (`model`, `edit`, `store`, `anchor`, `export`, `import`, `workspace`, `cli`)
//! knows nothing of egui; `ui` is a thin layer on top.

pub mod anchor;
pub mod cli;
pub mod corpus_gen;
pub mod edit;
pub mod export;
pub mod import;
pub mod model;
pub mod store;
pub mod ui;
pub mod workspace;

pub use edit::{Edit, EditError};
pub use model::Project;
pub use workspace::Workspace;
