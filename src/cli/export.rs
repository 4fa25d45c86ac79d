//! `marginalia export` and `marginalia import`.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    pub project: PathBuf,
    #[arg(long, short)]
    pub format: String,
    #[arg(short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    #[arg(short)]
    pub output: PathBuf,
}

pub fn run_export(_args: &ExportArgs) -> i32 {
    eprintln!("export is not available yet");
    2
}

pub fn run_import(_args: &ImportArgs) -> i32 {
    eprintln!("import is not available yet");
    2
}
