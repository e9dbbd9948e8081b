//! `cargo xtask demo [--port P] [--smoke]`.

use std::time::Duration;

use clap::Args;

use crate::env::{
    build_app, build_services_release, cargo, dist_dir, exec, repo_root, target_dir, timed,
    TaskResult,
};
use crate::setup;
use crate::stack::{Auth, Stack, StackOptions, ZoomApps};

/// Options of `cargo xtask demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Port of the app; the simulator takes the next one. Default 8080 (8081).
    #[arg(long)]
    port: Option<u16>,
    /// Headless run: sign in through the Zoom emulator, click one call button, wait for
    /// "connected", save a screenshot, exit.
    #[arg(long)]
    smoke: bool,
    /// A smoke run that also saves the README's screenshots (1366×650 and 1920×1080)
    /// into this folder, such as `docs`.
    #[arg(long, value_name = "DIR")]
    screens: Option<std::path::PathBuf>,
}

/// Demo contacts seeded into the demo database.
const DEMO_CONTACTS: u32 = 10_000;

/// The emulated Zoom user the smoke run signs in as, and the one the demo suggests:
/// her call history has calls from just before the demo started, some recorded.
const DEMO_USER: &str = "ava.lindqvist@dialdesk.example";

/// Runs the demo (or its smoke test).
pub fn run(args: &DemoArgs) -> TaskResult {
    setup::run()?;
    timed("release build of the app", build_app)?;
    timed(
        "release build of proxy and simulator",
        build_services_release,
    )?;
    // The smoke run takes free ports unless told otherwise, so it never clashes with a
    // demo that is already running.
    let headless = args.smoke || args.screens.is_some();
    let default_port = if headless { 0 } else { 8080 };
    let app_port = args.port.unwrap_or(default_port);
    let sim_port = if app_port == 0 {
        0
    } else {
        app_port.saturating_add(1)
    };
    let data = repo_root().join("data");
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    // The built-in settings, with the demo user (the emulator's account owner) as the
    // admin who may import and sync; the other users are reps.
    let config = data.join("demo.toml");
    std::fs::write(&config, format!("[roles]\nadmins = [{DEMO_USER:?}]\n"))
        .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
    let bin_dir = target_dir().join("release");
    let mut stack = Stack::start(&StackOptions {
        bin_dir,
        dist: dist_dir(),
        app_port,
        sim_port,
        db: data.join("demo.db"),
        seed: DEMO_CONTACTS,
        sim_args: Vec::new(),
        config: Some(config),
        sdk_loader: false,
        // Sign-in with Zoom against the simulator's emulator, on its demo apps.
        auth: Auth::Zoom(ZoomApps::demo()),
        proxy_trace_log: None,
    })?;
    if headless {
        return smoke(&stack, args.screens.as_deref());
    }
    println!();
    println!("  dialdesk demo is running: open {}", stack.proxy.url);
    println!("  Smart Embed simulator:    {}", stack.sim.url);
    println!("  Zoom emulator (OAuth):    {}", stack.emulator.oauth_base);
    println!("  Hostile test frames:      {}", stack.hostile_url);
    println!("  Sign in with Zoom, then on the emulator's page pick Ava Lindqvist");
    println!("  ({DEMO_USER}, ext. 101): her unlogged calls from today are waiting.");
    println!("  She is the admin (Import CSV, Sync Zoom contacts); the others are reps.");
    println!("  Click a contact's Call button, then hang up in the simulator pane.");
    println!("  Ctrl-C stops both.");
    println!();
    // Ctrl-C or SIGTERM: leave the loop so dropping the stack stops both processes
    // gracefully (the proxy checkpoints its database), whoever sent the signal.
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;
    loop {
        if let Some(exit) = stack.sim.exited().or_else(|| stack.proxy.exited()) {
            return Err(exit);
        }
        if stop_rx.recv_timeout(Duration::from_millis(500)).is_ok() {
            println!("stopping the demo");
            return Ok(());
        }
    }
}

fn smoke(stack: &Stack, screens: Option<&std::path::Path>) -> TaskResult {
    let screenshot = target_dir().join("demo-smoke.png");
    let shot = screenshot.to_string_lossy();
    let mut args = vec![
        "run",
        "--quiet",
        "-p",
        "dialdesk-e2e",
        "--bin",
        "dialdesk-smoke",
        "--",
        "--app",
        &stack.proxy.url,
        "--sim",
        &stack.sim.url,
        "--screenshot",
        &shot,
        "--sign-in-as",
        DEMO_USER,
    ];
    let dir = screens.map(|dir| dir.to_string_lossy().into_owned());
    if let Some(dir) = &dir {
        args.extend(["--screens", dir.as_str()]);
    }
    let result = exec(cargo(&args), "demo smoke");
    if result.is_ok() {
        println!("demo smoke: signed in as {DEMO_USER}, connected; screenshot at {shot}");
    }
    result
}
