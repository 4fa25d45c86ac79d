use clap::Parser;

fn main() {
    let cli = marginalia::cli::Cli::parse();
    if let Some(command) = cli.command {
        std::process::exit(marginalia::cli::run(command));
    }
    std::process::exit(0);
}
