use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = ctrack::app::Cli::parse();
    match ctrack::app::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ctrack: {e:#}");
            ExitCode::from(2)
        }
    }
}
