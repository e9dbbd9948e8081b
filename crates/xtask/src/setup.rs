//! `cargo xtask setup`: installs what is missing, idempotently, and says what it did.

use std::path::Path;
use std::process::Command;

use crate::env::{cargo, command, exec, repo_root, timed, tools_dir, TaskResult};

const TRUNK_VERSION: &str = "0.21.14";
/// axe-core, from the npm registry, for the accessibility checks of the end-to-end tests.
const AXE_VERSION: &str = "4.14.1";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian packages and the binary each provides.
const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("binaryen", "/usr/bin/wasm-opt"),
    ("brotli", "/usr/bin/brotli"),
];

/// Runs every setup step.
pub fn run_all() -> TaskResult {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    debian_packages()?;
    axe_core()
}

/// The axe-core script the end-to-end tests inject into the page.
pub fn axe_script() -> std::path::PathBuf {
    tools_dir().join("axe-core/node_modules/axe-core/axe.min.js")
}

/// axe-core at [`AXE_VERSION`] into the tools cache with npm (Debian's `npm`, and the
/// `nodejs` it needs, installed first where there is none).
fn axe_core() -> TaskResult {
    let dir = tools_dir().join("axe-core");
    let manifest = dir.join("node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&manifest)
        .is_ok_and(|text| text.contains(&format!("\"version\": \"{AXE_VERSION}\"")));
    if installed && axe_script().exists() {
        println!("setup: axe-core {AXE_VERSION} already installed");
        return Ok(());
    }
    let mut probe = command("npm");
    probe.arg("--version");
    if output_of(probe).is_none() {
        apt_install(&["npm"])?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    println!(
        "setup: installing axe-core {AXE_VERSION} into {}",
        dir.display()
    );
    let mut npm = command("npm");
    let prefix = dir.to_string_lossy().into_owned();
    npm.args([
        "install",
        "--prefix",
        &prefix,
        "--no-audit",
        "--no-fund",
        "--save-exact",
        &format!("axe-core@{AXE_VERSION}"),
    ]);
    exec(npm, "npm install axe-core")?;
    if axe_script().exists() {
        Ok(())
    } else {
        Err(format!(
            "npm installed axe-core, but {} is missing",
            axe_script().display()
        ))
    }
}

/// `cargo xtask setup`, timed.
pub fn run() -> TaskResult {
    timed("setup", run_all)
}

fn output_of(mut cmd: Command) -> Option<String> {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

fn wasm_target() -> TaskResult {
    let mut list = command("rustup");
    list.args(["target", "list", "--installed"]);
    if output_of(list).is_some_and(|out| out.lines().any(|l| l.trim() == WASM_TARGET)) {
        println!("setup: {WASM_TARGET} target already installed");
        return Ok(());
    }
    println!("setup: installing the {WASM_TARGET} target with rustup");
    let mut add = command("rustup");
    add.args(["target", "add", WASM_TARGET]);
    exec(add, "rustup target add").map_err(|e| {
        format!(
            "{e}: the wasm target is required; install it with `rustup target add {WASM_TARGET}`"
        )
    })
}

fn installed_version(binary: &str) -> Option<String> {
    let path = tools_dir().join("bin").join(binary);
    let mut cmd = Command::new(path);
    cmd.arg("--version");
    output_of(cmd).and_then(|out| out.split_whitespace().nth(1).map(str::to_owned))
}

fn cargo_install(krate: &str, version: &str, locked: bool) -> TaskResult {
    println!(
        "setup: installing {krate} {version} into {}",
        tools_dir().display()
    );
    let root = tools_dir();
    let root = root.to_string_lossy();
    let mut args = vec!["install", krate, "--version", version, "--root", &root];
    if locked {
        args.push("--locked");
    }
    exec(cargo(&args), &format!("cargo install {krate}"))
}

fn trunk() -> TaskResult {
    match installed_version("trunk") {
        Some(v) if v == TRUNK_VERSION => {
            println!("setup: trunk {v} already installed");
            Ok(())
        }
        _ => cargo_install("trunk", TRUNK_VERSION, true),
    }
}

/// The `wasm-bindgen` version pinned in `Cargo.lock`; trunk downloads a CLI unless one
/// of exactly this version is on `PATH`.
fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn wasm_bindgen() -> TaskResult {
    let wanted = locked_wasm_bindgen_version()?;
    match installed_version("wasm-bindgen") {
        Some(v) if v == wanted => {
            println!("setup: wasm-bindgen-cli {v} already installed");
            Ok(())
        }
        // `--locked` fails on a yanked dependency of the CLI.
        _ => cargo_install("wasm-bindgen-cli", &wanted, false),
    }
}

fn debian_packages() -> TaskResult {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(_, binary)| !Path::new(binary).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        println!("setup: chromium, chromedriver, wasm-opt and brotli already installed");
        return Ok(());
    }
    apt_install(&missing)
}

/// Installs Debian `packages` with apt-get (as root, or through sudo).
fn apt_install(packages: &[&str]) -> TaskResult {
    println!("setup: installing {} from Debian", packages.join(", "));
    let mut id = Command::new("id");
    id.arg("-u");
    let as_root = output_of(id).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut cmd = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    exec(apt(&["update", "-q"]), "apt-get update")?;
    let mut args = vec!["install", "-y", "-q"];
    args.extend(packages);
    exec(apt(&args), "apt-get install")
        .map_err(|e| format!("{e}: install {} with apt-get", packages.join(" ")))
}
