//! `cargo xtask`: install the toolchain pieces, run the demo, the tests and the benchmarks.

mod bench;
mod demo;
mod env;
mod lint;
mod setup;
// Shared with the end-to-end tests, which also restart the proxy; xtask does not.
#[allow(dead_code)]
#[path = "../../../tests/e2e/src/stack.rs"]
mod stack;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "dialdesk's build, demo and test tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install what is missing: wasm target, trunk, wasm-bindgen-cli, chromium, chromedriver, binaryen.
    Setup,
    /// Build the app and run it, with sign-in with Zoom, against the simulator and its Zoom emulator.
    Demo(demo::DemoArgs),
    /// Run every test layer: native, browser, release build, end-to-end, demo smoke.
    Test,
    /// Measure the budgets: transfer size, events, contact table, proxy.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Setup => setup::run(),
        Task::Demo(args) => demo::run(&args),
        Task::Test => test::run(),
        Task::Bench(args) => bench::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
