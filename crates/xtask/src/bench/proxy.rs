//! The proxy's budgets at [`CONTACTS`] demo contacts, on a fresh database:
//! match-by-number in process against its bare query (the `match_bench` example), then
//! over HTTP from the release `dialdesk-proxy` beside `GET /api/health`; the rate
//! of `dialdesk-proxy import` on a generated CSV file; cached Zoom lookups (the
//! `zoom_bench` example, against the emulator); the Last call column over a
//! journal of a million rows (the `context_bench` example); and the load test
//! (the `load_bench` example: 200 reps for a minute, then again with the proxy
//! killed halfway).

#[path = "../../../proxy/examples/shared/report.rs"]
mod report;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::env::{cargo, dist_dir, exec, target_dir, TaskResult};
use crate::stack::Service;
use report::{line, median, percentile, spaced};

/// Demo contacts in the book that numbers are matched against.
const CONTACTS: u32 = 100_000;
/// Numbers matched, as a caller ID may show them: five held by demo contacts (each
/// by more than the 20 an answer holds), then three valid numbers no contact holds.
const NUMBERS: [&str; 8] = [
    "(415) 555-0100",
    "+1 212-555-0147",
    "312.555.0199",
    "+19075550150",
    "808 555 0123",
    "+44 20 7946 0018",
    "(646) 555-0100",
    "+1 650 555 0142",
];
/// Runs of each measurement; the median is printed.
const RUNS: usize = 5;
/// Requests of each kind per run over HTTP.
const HTTP_REQUESTS: usize = 2_000;
/// The budget: p99 of match-by-number over HTTP.
const MATCH_P99_BUDGET_MS: f64 = 5.0;
/// What Chromium sends, so the proxy compresses as it does for the app.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";
/// Rows of the generated CSV file.
const IMPORT_ROWS: usize = 100_000;

/// Runs the three measurements in a scratch folder, deleted afterwards.
pub fn run() -> TaskResult {
    let dir = std::env::temp_dir().join(format!("dialdesk-proxy-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let db = dir.join("book.db");
    let result = in_process(&db)
        .and_then(|()| over_http(&db))
        .and_then(|()| import_rate(&dir))
        .and_then(|()| cached_zoom_lookups())
        .and_then(|()| call_context(&dir))
        .and_then(|()| load_test());
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn proxy_binary() -> PathBuf {
    target_dir().join("release").join("dialdesk-proxy")
}

/// `cargo run --release` of the proxy's benchmark example `name` with `args`, the
/// configuration file ignored and, with `dist`, the app's files to serve.
fn example(name: &str, args: &[&str], dist: bool) -> std::process::Command {
    let mut all = vec![
        "run",
        "--release",
        "--quiet",
        "-p",
        "dialdesk-proxy",
        "--example",
        name,
        "--",
    ];
    all.extend(args);
    let mut cmd = cargo(&all);
    if dist {
        cmd.env("DIALDESK_DIST", dist_dir())
            .env_remove("DIALDESK_CONFIG");
    }
    cmd
}

/// `match_bench` seeds `db` with [`CONTACTS`] demo contacts and prints its lines.
fn in_process(db: &Path) -> TaskResult {
    let contacts = CONTACTS.to_string();
    let runs = RUNS.to_string();
    let db = db.to_string_lossy();
    let mut args = vec![
        "--contacts",
        &contacts,
        "--runs",
        &runs,
        "--db",
        db.as_ref(),
    ];
    args.extend(NUMBERS);
    exec(
        example("match_bench", &args, true),
        "match-by-number benchmark in process",
    )
}

/// `zoom_bench`: cached Zoom lookups through the router, against the emulator.
fn cached_zoom_lookups() -> TaskResult {
    let runs = RUNS.to_string();
    exec(
        example("zoom_bench", &["--runs", &runs], false),
        "cached Zoom lookups benchmark",
    )
}

/// `context_bench`: `GET /api/calls/context` over a journal of a million rows,
/// written in a new database in `dir`.
fn call_context(dir: &Path) -> TaskResult {
    let db = dir.join("journal.db");
    let db = db.to_string_lossy();
    exec(
        example("context_bench", &["--db", db.as_ref()], true),
        "Last call column benchmark",
    )
}

/// `load_bench`: 200 reps signed in with Zoom against the release proxy and
/// simulator, steady and then with the proxy killed halfway.
fn load_test() -> TaskResult {
    let bin_dir = target_dir().join("release");
    let dist = dist_dir();
    let (bin_dir, dist) = (bin_dir.to_string_lossy(), dist.to_string_lossy());
    let mut bench = example(
        "load_bench",
        &["--bin-dir", bin_dir.as_ref(), "--dist", dist.as_ref()],
        false,
    );
    // The proxy and the simulator inherit it: warnings only, not a line per sign-in.
    bench.env("RUST_LOG", "warn");
    exec(bench, "load test")
}

/// p50 and p99 of match-by-number and of `GET /api/health`, alternating, from one
/// client over one keep-alive connection to the release proxy serving `db`.
fn over_http(db: &Path) -> TaskResult {
    let mut proxy = Command::new(proxy_binary());
    proxy
        .env("DIALDESK_LISTEN", "127.0.0.1:0")
        .env("DIALDESK_DIST", dist_dir())
        .env("DIALDESK_DB", db)
        .env_remove("DIALDESK_CONFIG");
    let proxy = Service::start("dialdesk-proxy", proxy, "dialdesk-proxy listening on ")?;
    let agent = ureq::Agent::new_with_defaults();
    let match_url = format!("{}/api/contacts/match", proxy.url);
    let health_url = format!("{}/api/health", proxy.url);
    let session = agent
        .get(format!("{}/api/session", proxy.url))
        .call()
        .map_err(|e| format!("GET /api/session: {e}"))?;
    let cookie = session
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .ok_or("GET /api/session set no cookie")?
        .to_owned();
    let get = |url: &str, number: Option<&str>| -> Result<f64, String> {
        let mut request = agent
            .get(url)
            .header("Cookie", &cookie)
            .header("Accept-Encoding", BROWSER_ENCODINGS);
        if let Some(number) = number {
            request = request.query("number", number);
        }
        let started = Instant::now();
        request
            .call()
            .and_then(|mut response| response.body_mut().read_to_vec())
            .map_err(|e| format!("GET {url}: {e}"))?;
        Ok(started.elapsed().as_secs_f64() * 1e3)
    };
    for number in NUMBERS {
        get(&match_url, Some(number))?;
    }
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let mut matches = Vec::with_capacity(HTTP_REQUESTS);
        let mut health = Vec::with_capacity(HTTP_REQUESTS);
        for i in 0..HTTP_REQUESTS {
            matches.push(get(&match_url, Some(NUMBERS[i % NUMBERS.len()]))?);
            health.push(get(&health_url, None)?);
        }
        runs.push([
            percentile(&mut matches, 0.5),
            percentile(&mut matches, 0.99),
            percentile(&mut health, 0.5),
            percentile(&mut health, 0.99),
        ]);
    }
    drop(proxy);
    let [match50, match99, health50, health99] =
        [0, 1, 2, 3].map(|i| median(runs.iter().map(|run| run[i]).collect()));
    println!(
        "proxy over HTTP (release dialdesk-proxy, one keep-alive client), {} contacts, \
         median of {RUNS} runs of {} requests each:",
        spaced(CONTACTS as usize),
        spaced(HTTP_REQUESTS)
    );
    line(
        "match by number, p50",
        format!("{match50:.2} ms"),
        format!("({} numbers as in process)", NUMBERS.len()),
    );
    line(
        "match by number, p99",
        format!("{match99:.2} ms"),
        format!(
            "(budget <= {MATCH_P99_BUDGET_MS:.0} ms, ratio {:.2})",
            match99 / MATCH_P99_BUDGET_MS
        ),
    );
    line(
        "GET /api/health, p99",
        format!("{health99:.2} ms"),
        format!(
            "(p50 {health50:.2} ms; match/health p99 {:.1})",
            match99 / health99
        ),
    );
    Ok(())
}

/// `dialdesk-proxy import` of a generated file of [`IMPORT_ROWS`] rows, each run on a
/// fresh database; rows per second of the whole command.
fn import_rate(dir: &Path) -> TaskResult {
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, import_csv())
        .map_err(|e| format!("cannot write {}: {e}", csv.display()))?;
    let expected = format!("imported {IMPORT_ROWS} (created {IMPORT_ROWS}, updated 0), rejected 0");
    let mut seconds = Vec::new();
    let mut summary = String::new();
    for run in 0..RUNS {
        let db = dir.join(format!("import-{run}.db"));
        let mut import = Command::new(proxy_binary());
        import
            .arg("import")
            .arg(&csv)
            .env("DIALDESK_DB", &db)
            .env_remove("DIALDESK_CONFIG");
        let started = Instant::now();
        let output = import
            .output()
            .map_err(|e| format!("cannot start dialdesk-proxy import: {e}"))?;
        seconds.push(started.elapsed().as_secs_f64());
        let stdout = String::from_utf8_lossy(&output.stdout);
        summary = stdout.lines().next().unwrap_or_default().to_owned();
        if !output.status.success() || !summary.starts_with(&expected) {
            return Err(format!(
                "dialdesk-proxy import ({}): {summary} {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    let secs = median(seconds);
    println!(
        "proxy CSV import (release dialdesk-proxy import, fresh database), {} rows, \
         median of {RUNS}:",
        spaced(IMPORT_ROWS)
    );
    line(
        "rows per second",
        spaced((IMPORT_ROWS as f64 / secs).round() as usize),
        format!(
            "({secs:.2} s a file; {})",
            summary
                .trim_start_matches(&expected)
                .trim_start_matches(", ")
        ),
    );
    Ok(())
}

/// A deterministic CSV file of [`IMPORT_ROWS`] contacts with a unique e-mail each
/// (so every row creates one): `name,company,email,phone,mobile`, numbers in several
/// formats, a quoted company, names beyond ASCII, a mobile on every third row, and an
/// invalid phone on every 40th row and an invalid mobile on every 97th.
fn import_csv() -> String {
    const FIRST: [&str; 8] = ["Ada", "Zoë", "José", "Grace", "Åsa", "Linus", "Mei", "Noor"];
    const LAST: [&str; 7] = [
        "Lovelace", "Núñez", "Hopper", "Øster", "Turing", "Kim", "Okafor",
    ];
    const COMPANIES: [&str; 5] = [
        "Northwind",
        "\"Smith, Jones & Co\"",
        "",
        "Contoso",
        "Fabrikam",
    ];
    const AREAS: [u16; 6] = [415, 212, 312, 617, 206, 303];
    let mut csv = String::from("name,company,email,phone,mobile\n");
    for i in 0..IMPORT_ROWS {
        let area = AREAS[i % AREAS.len()];
        let line = i % 100;
        let phone = match i % 4 {
            _ if i.is_multiple_of(40) => "12345".to_owned(),
            0 => format!("({area}) 555-01{line:02}"),
            1 => format!("+1 {area} 555 01{line:02}"),
            2 => format!("{area}.555.01{line:02}"),
            _ => format!("+44 20 7946 0{:03}", i % 1000),
        };
        let mobile = match i % 3 {
            _ if i.is_multiple_of(97) => "n/a".to_owned(),
            0 => format!(
                "+1 {} 555 01{:02}",
                AREAS[(i / 3) % AREAS.len()],
                (i * 7) % 100
            ),
            _ => String::new(),
        };
        csv.push_str(&format!(
            "{} {},{},c{i:06}@example.com,{phone},{mobile}\n",
            FIRST[i % FIRST.len()],
            LAST[(i / FIRST.len()) % LAST.len()],
            COMPANIES[i % COMPANIES.len()],
        ));
    }
    csv
}
