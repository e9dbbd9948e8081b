//! `cargo xtask test`: the five test layers, in order, timed.

use crate::env::{build_app, cargo, dist_dir, exec, target_dir, timed, TaskResult};
use crate::{lint, setup};

/// One test layer.
type Step = fn() -> TaskResult;

/// Runs setup, then every step; stops at the first failure and names it.
pub fn run_all() -> TaskResult {
    setup::run()?;
    let steps: [(&str, Step); 5] = [
        ("lints and native tests", native),
        ("browser tests", browser),
        ("release build", build_app),
        ("end-to-end tests", end_to_end),
        ("demo smoke", demo_smoke),
    ];
    for (i, (name, step)) in steps.iter().enumerate() {
        let label = format!("step {}/5 {name}", i + 1);
        timed(&label, step).map_err(|e| format!("{label} failed: {e}"))?;
    }
    println!("xtask: all five test steps passed");
    Ok(())
}

/// `cargo xtask test`.
pub fn run() -> TaskResult {
    timed("test", run_all)
}

/// The lints (formatting, the app's own, clippy on both targets), then the native
/// tests.
fn native() -> TaskResult {
    exec(cargo(&["fmt", "--all", "--check"]), "cargo fmt --check")?;
    lint::run()?;
    exec(
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy (native)",
    )?;
    exec(
        cargo(&[
            "clippy",
            "-p",
            "dialdesk",
            "-p",
            "dialdesk-contract",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy (wasm)",
    )?;
    exec(
        cargo(&["test", "--workspace", "--exclude", "dialdesk-e2e"]),
        "cargo test (native)",
    )
}

fn browser() -> TaskResult {
    exec(
        cargo(&[
            "test",
            "-p",
            "dialdesk",
            "--target",
            "wasm32-unknown-unknown",
        ]),
        "cargo test (browser)",
    )
}

fn end_to_end() -> TaskResult {
    exec(
        cargo(&["build", "-p", "dialdesk-proxy", "-p", "dialdesk-sim"]),
        "cargo build (services)",
    )?;
    let mut e2e = cargo(&["test", "-p", "dialdesk-e2e", "--", "--test-threads=1"]);
    e2e.env("DIALDESK_BIN_DIR", target_dir().join("debug"))
        .env("DIALDESK_DIST", dist_dir())
        .env("DIALDESK_AXE", setup::axe_script());
    exec(e2e, "cargo test (end-to-end)")
}

fn demo_smoke() -> TaskResult {
    exec(
        cargo(&["xtask", "demo", "--smoke"]),
        "cargo xtask demo --smoke",
    )
}
