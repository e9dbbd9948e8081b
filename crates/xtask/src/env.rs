//! Paths and the environment every task runs its commands in.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Result of a task step: an error is one line for the user.
pub type TaskResult = Result<(), String>;

/// The repository root: from where `cargo` runs this build of xtask (a build shared
/// through the target directory may have been compiled in another checkout).
pub fn repo_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    home.join(".cache").join("dialdesk")
}

/// Cargo's target directory: `CARGO_TARGET_DIR`, else `~/.cache/dialdesk/target`, so a
/// developer's builds warm CI's.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cache_dir().join("target"))
}

/// Where `setup` installs trunk and wasm-bindgen: `DIALDESK_TOOLS` or `~/.cache/dialdesk/tools`.
pub fn tools_dir() -> PathBuf {
    std::env::var_os("DIALDESK_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| cache_dir().join("tools"))
}

/// The built `dist/` of the app.
pub fn dist_dir() -> PathBuf {
    repo_root().join("dist")
}

/// A command run from the repository root with the tools on `PATH` and the shared
/// target directory.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(program);
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![tools_dir().join("bin")];
    paths.extend(std::env::split_paths(&path));
    if let Ok(joined) = std::env::join_paths(paths) {
        cmd.env("PATH", joined);
    }
    cmd.current_dir(repo_root())
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "180");
    cmd
}

/// `cargo` with the task environment.
pub fn cargo(args: &[&str]) -> Command {
    let mut cmd = command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args);
    cmd
}

/// Runs a command to completion, failing with `what` on a non-zero exit.
pub fn exec(mut cmd: Command, what: &str) -> TaskResult {
    let status = cmd
        .status()
        .map_err(|e| format!("{what}: cannot start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Runs `step` and prints how long it took.
pub fn timed(name: &str, step: impl FnOnce() -> TaskResult) -> TaskResult {
    let started = Instant::now();
    let result = step();
    let verdict = if result.is_ok() { "ok" } else { "FAILED" };
    println!(
        "xtask: {name}: {verdict} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    result
}

/// Builds the app for release with trunk into `dist/`, then compresses its assets.
pub fn build_app() -> TaskResult {
    let mut trunk = command("trunk");
    trunk.args(["build", "--release"]);
    exec(trunk, "trunk build --release")?;
    precompress(&dist_dir())
}

/// Writes `x.br` (quality 11) and `x.gz` (level 9) beside every wasm, JS, CSS and SVG
/// file of `dist/`: the proxy sends them as they are, smaller than it could compress
/// per request.
fn precompress(dist: &Path) -> TaskResult {
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["wasm", "js", "css", "svg"].contains(&e));
        if !compressible {
            continue;
        }
        let file = path.to_string_lossy();
        let mut brotli = command("brotli");
        brotli.args(["--force", "--keep", "--quality=11", &file]);
        exec(brotli, "brotli")?;
        let mut gzip = command("gzip");
        gzip.args(["--force", "--keep", "-9", &file]);
        exec(gzip, "gzip")?;
    }
    Ok(())
}

/// Builds the proxy and the simulator with the release profile.
pub fn build_services_release() -> TaskResult {
    exec(
        cargo(&[
            "build",
            "--release",
            "-p",
            "dialdesk-proxy",
            "-p",
            "dialdesk-sim",
        ]),
        "cargo build --release",
    )
}
