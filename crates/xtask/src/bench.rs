//! `cargo xtask bench`: the budgets in docs/architecture.md — the transfer size of the
//! app as the proxy sends it, the cold start (localhost and a throttled link) and what a
//! second load fetches, the Smart Embed event rate, the contact table at 10 000 and
//! 100 000 contacts (first paint, filter keystroke to frame, memory over five loads),
//! and the proxy ([`proxy`]: match-by-number, CSV import).

mod proxy;

use std::io::Read;

use crate::env::{
    build_app, build_services_release, cargo, dist_dir, exec, target_dir, timed, TaskResult,
};
use crate::setup;
use crate::stack::{Auth, Stack, StackOptions};

/// The budget: wasm + JS + CSS, compressed.
const BUDGET_BYTES: u64 = 320 * 1024;

/// Book sizes the contact table is measured at; memory cycles at the largest.
const TABLE_SIZES: [u32; 2] = [10_000, 100_000];

/// Options of `cargo xtask bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Measure one group of budgets only (all of them by default).
    #[arg(long, value_enum)]
    only: Option<Part>,
}

/// A group of budgets measured together.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// Transfer size and the Smart Embed event rate (an empty book).
    Embed,
    /// Start, contact table and memory (10 000 and 100 000 contacts).
    Table,
    /// The proxy on its own.
    Proxy,
}

/// Builds what is missing, then measures each budget against a fresh stack: transfer
/// size and events with an empty book, the table with each of [`TABLE_SIZES`]; then
/// the proxy on its own. `--only` keeps one of those groups.
pub fn run(args: &BenchArgs) -> TaskResult {
    let wanted = |part| args.only.is_none_or(|only| only == part);
    setup::run()?;
    if wanted(Part::Embed) || wanted(Part::Table) {
        timed("release build of the app", build_app)?;
    }
    build_services_release()?;
    if wanted(Part::Embed) {
        with_stack(0, |stack| {
            transfer_sizes(&stack.proxy.url).and_then(|()| event_rates(stack))
        })?;
    }
    if wanted(Part::Table) {
        for size in TABLE_SIZES {
            let memory = size == TABLE_SIZES[TABLE_SIZES.len() - 1];
            // The start is measured with the smaller book: its first page is the same.
            let start = size == TABLE_SIZES[0];
            timed(&format!("contact table bench, {size} contacts"), || {
                with_stack(size, |stack| table(stack, size, memory, start))
            })?;
        }
    }
    if wanted(Part::Proxy) {
        timed("proxy bench", proxy::run)?;
    }
    Ok(())
}

/// Runs `task` against a release stack on a fresh database seeded with `seed` demo
/// contacts, then stops it and deletes the database.
fn with_stack(seed: u32, task: impl FnOnce(&Stack) -> TaskResult) -> TaskResult {
    let db = std::env::temp_dir().join(format!("dialdesk-bench-{}-{seed}.db", std::process::id()));
    let stack = Stack::start(&StackOptions {
        bin_dir: target_dir().join("release"),
        dist: dist_dir(),
        app_port: 0,
        sim_port: 0,
        db: db.clone(),
        seed,
        sim_args: Vec::new(),
        config: None,
        sdk_loader: false,
        // The budgets measure the app and the proxy, not the sign-in.
        auth: Auth::None,
        proxy_trace_log: None,
    })?;
    let result = task(&stack);
    drop(stack);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    result
}

fn fetch(url: &str, encoding: &str) -> Result<(Vec<u8>, String), String> {
    let mut response = ureq::get(url)
        .header("Accept-Encoding", encoding)
        .call()
        .map_err(|e| format!("GET {url}: {e}"))?;
    let used = response
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_owned();
    let mut body = Vec::new();
    response
        .body_mut()
        .as_reader()
        .read_to_end(&mut body)
        .map_err(|e| format!("GET {url}: {e}"))?;
    Ok((body, used))
}

/// Asset paths referenced by `index.html` (`href="/…"` and `module_or_path: '/…'`).
fn assets(index: &str) -> Vec<String> {
    let mut found: Vec<String> = index
        .split(['"', '\'', ' ', '>', '='])
        .filter(|token| token.starts_with('/'))
        .filter(|token| {
            [".wasm", ".js", ".css"]
                .iter()
                .any(|ext| token.ends_with(ext))
        })
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

fn transfer_sizes(base: &str) -> TaskResult {
    let (index, _) = fetch(&format!("{base}/"), "identity")?;
    let index = String::from_utf8_lossy(&index);
    let mut totals = [("wasm", 0u64, 0u64), ("js", 0, 0), ("css", 0, 0)];
    for path in assets(&index) {
        let url = format!("{base}{path}");
        let (raw, _) = fetch(&url, "identity")?;
        let (compressed, encoding) = fetch(&url, "br, gzip")?;
        if encoding == "identity" {
            return Err(format!("{path} was sent uncompressed"));
        }
        let ext = path.rsplit('.').next().unwrap_or_default();
        if let Some(slot) = totals.iter_mut().find(|(kind, _, _)| *kind == ext) {
            slot.1 += compressed.len() as u64;
            slot.2 += raw.len() as u64;
        }
    }
    println!("transfer size as served by dialdesk-proxy (br; raw in brackets):");
    let mut total = (0u64, 0u64);
    for (kind, sent, raw) in totals {
        println!("  {kind:<5} {:>8.1} KB  ({:.1} KB raw)", kb(sent), kb(raw));
        total = (total.0 + sent, total.1 + raw);
    }
    println!(
        "  total {:>8.1} KB  ({:.1} KB raw); budget {:.0} KB, ratio {:.2}",
        kb(total.0),
        kb(total.1),
        kb(BUDGET_BYTES),
        total.0 as f64 / BUDGET_BYTES as f64
    );
    Ok(())
}

/// The Smart Embed event path, driven in headless Chromium by `dialdesk-bench`.
fn event_rates(stack: &Stack) -> TaskResult {
    exec(
        cargo(&[
            "run",
            "--quiet",
            "-p",
            "dialdesk-e2e",
            "--bin",
            "dialdesk-bench",
            "--",
            "--app",
            &stack.proxy.url,
            "--sim",
            &stack.sim.url,
        ]),
        "event benchmark",
    )
}

/// The contact table with `size` contacts, driven in headless Chromium by
/// `dialdesk-table-bench`.
fn table(stack: &Stack, size: u32, memory: bool, start: bool) -> TaskResult {
    let size = size.to_string();
    let mut args = vec![
        "run",
        "--quiet",
        "-p",
        "dialdesk-e2e",
        "--bin",
        "dialdesk-table-bench",
        "--",
        "--app",
        &stack.proxy.url,
        "--contacts",
        &size,
    ];
    if memory {
        args.push("--memory");
    }
    if start {
        args.push("--start");
    }
    exec(cargo(&args), "contact table benchmark")
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}
