//! The `chariot-kg` binary: parse the command line, set up logging, run.

/// The allocator: searches allocate and free many small strings and vectors per request
/// (facet trees, snippets, JSON), where mimalloc measured faster than the system one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("chariot_kg=info,tower_http=info,warn")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let cli = chariot_kg::cli::Cli::parse();
    match chariot_kg::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
