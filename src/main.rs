// On Windows the program is windowed, so the Start menu opens no console beside it; it prints
// to the terminal it was started from through `platform::console` instead.
#![cfg_attr(all(windows, feature = "gui"), windows_subsystem = "windows")]

use std::path::PathBuf;

use clap::Parser;
#[cfg(feature = "gui")]
use marginalia::ui::{MarginaliaApp, StartupProject};

fn main() {
    marginalia::startup_timing::mark("process start");
    #[cfg(all(windows, feature = "gui"))]
    marginalia::platform::console::attach_to_parent_console();
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
    marginalia::ui::look_for_system_fonts();
    let startup = match StartupProject::from_paths(paths) {
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

#[cfg(feature = "gui")]
fn run_gui(startup: StartupProject) -> eframe::Result {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png"))
        .expect("the embedded icon is a valid PNG");
    // Preferences (recent projects, theme) stay in the data folder's `app.ron`, where they
    // were when the window's id was plain "marginalia"; eframe would follow the id.
    let data_dir = marginalia::store::paths::data_dir();
    if let Err(error) = std::fs::create_dir_all(&data_dir) {
        eprintln!(
            "marginalia: cannot create the data folder {}: {error}; the sample project and the \
             list of recent projects are not kept",
            data_dir.display()
        );
    }
    let options = eframe::NativeOptions {
        // The id names the desktop entry: the desktop shows this window with its icon.
        viewport: egui::ViewportBuilder::default()
            .with_title("Marginalia")
            .with_app_id(marginalia::APP_ID)
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 420.0])
            .with_icon(icon),
        persistence_path: Some(data_dir.join("app.ron")),
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
