//! `dialdesk-sim`: a stand-in for Zoom Phone Smart Embed (the softphone iframe that talks to
//! its parent page with `window.postMessage`), for dialdesk's demo and end-to-end tests.
//!
//! Phone state lives in this process; every open simulator page follows it over SSE and posts
//! the same events to its parent, as every tab with the real embed does.

mod api;
mod api_error;
mod call;
mod cli;
mod contacts;
mod events;
mod frame;
mod hub;
mod ids;
mod lookup;
mod message;
mod pages;
mod phone;
mod routes;
mod scenario;
mod server;
mod shutdown;
mod sse;
mod timeline;

/// The repository's Smart Embed fixtures, found from where `cargo test` runs (a test
/// binary shared through the target directory may have been built in another checkout).
#[cfg(test)]
fn fixtures_dir() -> String {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    format!("{manifest_dir}/../../tests/fixtures/smart-embed")
}

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Args::parse();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("dialdesk_sim=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match server::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Nothing sensible is left to do if stderr is gone too.
            let _ignored = writeln!(std::io::stderr(), "dialdesk-sim: error: {err}");
            ExitCode::FAILURE
        }
    }
}
