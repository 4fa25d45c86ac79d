//! The egui layer: panels that read the workspace and produce edits.
