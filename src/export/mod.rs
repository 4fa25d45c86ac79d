//! Exports: each format is a pure function of the project and its texts.
