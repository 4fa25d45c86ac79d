use std::path::PathBuf;

use clap::Parser;
#[cfg(feature = "gui")]
use marginalia::ui::{MarginaliaApp, StartupProject};

fn main() {
    marginalia::startup_timing::mark("process start");
    let cli = marginalia::cli::Cli::parse();
    if let Some(command) = cli.command {
        std::process::exit(marginalia::cli::run(command));
    }
    open_window(cli.paths);
}

#[cfg(not(feature = "gui"))]
fn open_window(_paths: Vec<PathBuf>) {
    eprintln!("marginalia: this build has no window (feature `gui`); give a command, see --help");
    std::process::exit(2);
}

#[cfg(feature = "gui")]
fn open_window(paths: Vec<PathBuf>) {
    let startup = match startup_from_paths(paths) {
        Ok(startup) => startup,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if let Err(error) = run_gui(startup) {
        eprintln!("marginalia: could not open a window: {error}");
        std::process::exit(1);
    }
}

/// One `.ron` opens that project; other files start a new project with them. A project
/// that cannot be read is reported here, on stderr, before any window opens.
#[cfg(feature = "gui")]
fn startup_from_paths(paths: Vec<PathBuf>) -> Result<StartupProject, String> {
    match paths.as_slice() {
        [] => Ok(StartupProject::LastOrSample),
        [project] if project.extension().is_some_and(|e| e == "ron") => {
            marginalia::store::load_project(project).map_err(|e| e.to_string())?;
            Ok(StartupProject::Project(project.clone()))
        }
        files
            if files
                .iter()
                .any(|f| f.extension().is_some_and(|e| e == "ron")) =>
        {
            Err("marginalia: give one project file (.ron), or document files, not both".to_owned())
        }
        files => Ok(StartupProject::Files(files.to_vec())),
    }
}

#[cfg(feature = "gui")]
fn run_gui(startup: StartupProject) -> eframe::Result {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png"))
        .expect("the embedded icon is a valid PNG");
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Marginalia")
            .with_app_id("marginalia")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 420.0])
            .with_icon(icon),
        ..Default::default()
    };
    marginalia::startup_timing::mark("window options ready");
    eframe::run_native(
        "Marginalia",
        options,
        Box::new(|cc| {
            marginalia::startup_timing::mark("renderer ready (eframe creation context)");
            let app = MarginaliaApp::new(cc, startup);
            marginalia::startup_timing::mark("project opened (app created)");
            Ok(Box::new(app))
        }),
    )
}
