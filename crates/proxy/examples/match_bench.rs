//! `match_bench --db NEW.db [--contacts N] [--runs R] [--requests Q] NUMBER…`: the
//! in-process half of the match-by-number budget, run by `cargo xtask bench`.
//!
//! Loads the configuration from the environment as `dialdesk-proxy` does, seeds N demo
//! contacts (the same seeding as `--seed-demo N`) into the new database file `--db`,
//! and builds the app's router from the library as the binary does. Each run then
//! sends Q requests `GET /api/contacts/match?number=…`, cycling through the numbers,
//! through the router with `tower::ServiceExt::oneshot` (with a session cookie and the
//! `Accept-Encoding` a browser sends, the body read to its end), and runs Q times the
//! query the handler runs (`db::search::by_e164`) on a connection opened with the
//! proxy's own settings. Prints, over R runs, the median of each run's median time per
//! request, split by hits and misses, and the ratio of the two (budget ≤ 3).

#[path = "shared/report.rs"]
mod report;
#[path = "shared/router.rs"]
mod router;
#[path = "shared/run.rs"]
mod run;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use axum::body::Body;
use axum::http::header::{ACCEPT_ENCODING, COOKIE};
use axum::http::{Request, StatusCode};
use axum::Router;
use clap::Parser;
use dialdesk_contract::ContactMatchResult;
use dialdesk_proxy::api::MAX_MATCH;
use dialdesk_proxy::db::{open_connection, search};
use report::{line, median, spaced};
use router::{app_router, send, session_cookie};

/// The budget: the handler's cost through the router over the bare query's.
const RATIO_BUDGET: f64 = 3.0;
/// What Chromium sends, so the compression layer does what it does for the app.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// Command-line arguments.
#[derive(Parser)]
struct Args {
    /// The database file to create and seed; it must not exist.
    #[arg(long)]
    db: PathBuf,
    /// Demo contacts to seed.
    #[arg(long, default_value_t = 100_000)]
    contacts: usize,
    /// Runs; the median is printed.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Requests (and bare queries) per run.
    #[arg(long, default_value_t = 2_000)]
    requests: usize,
    /// Numbers to match, written as a caller ID may show them; each must be a valid
    /// number, held by a contact (a hit) or not (a miss).
    #[arg(required = true)]
    numbers: Vec<String>,
}

/// A number as sent, the E.164 form the handler answered, and whether it matched.
struct Probe {
    query: String,
    e164: String,
    hit: bool,
}

/// Median time per request of one run, in µs: all, hits, misses.
type RunMedians = [f64; 3];

fn main() -> ExitCode {
    let args = Args::parse();
    run::run("match_bench", bench(&args))
}

async fn bench(args: &Args) -> Result<(), String> {
    if args.db.exists() {
        return Err(format!("{} exists; give a new file", args.db.display()));
    }
    let (router, db) = app_router(&args.db, args.contacts).await?;
    let cookie = session_cookie(&router).await?;
    let probes = probe(&router, &cookie, &args.numbers).await?;
    let conn = open_connection(&args.db).map_err(|e| e.to_string())?;
    for probe in &probes {
        let bare = search::by_e164(&conn, &probe.e164, MAX_MATCH).map_err(|e| e.to_string())?;
        if bare.is_empty() == probe.hit {
            return Err(format!("{}: the bare query disagrees", probe.query));
        }
    }

    let mut routed_runs = Vec::new();
    let mut bare_runs = Vec::new();
    for _ in 0..args.runs {
        let mut routed = Vec::with_capacity(args.requests);
        for i in 0..args.requests {
            let probe = &probes[i % probes.len()];
            let request = match_request(&probe.query, &cookie, BROWSER_ENCODINGS);
            let started = Instant::now();
            let (status, _) = send(&router, request).await?;
            routed.push((probe.hit, micros(started)));
            if status != StatusCode::OK {
                return Err(format!("{}: {status}", probe.query));
            }
        }
        routed_runs.push(run_medians(routed));
        let mut bare = Vec::with_capacity(args.requests);
        for i in 0..args.requests {
            let probe = &probes[i % probes.len()];
            let started = Instant::now();
            let contacts =
                search::by_e164(&conn, &probe.e164, MAX_MATCH).map_err(|e| e.to_string())?;
            bare.push((probe.hit, micros(started)));
            std::hint::black_box(contacts);
        }
        bare_runs.push(run_medians(bare));
    }
    drop(conn);
    db.checkpoint().await.map_err(|e| e.to_string())?;

    let routed = across_runs(&routed_runs);
    let bare = across_runs(&bare_runs);
    let hits = probes.iter().filter(|probe| probe.hit).count();
    println!(
        "proxy match-by-number in process, {} contacts, {} numbers ({hits} hits, {} misses), \
         median of {} runs of {} requests:",
        spaced(args.contacts),
        probes.len(),
        probes.len() - hits,
        args.runs,
        spaced(args.requests)
    );
    let split = |m: RunMedians| format!("(hits {:.0} µs, misses {:.0} µs)", m[1], m[2]);
    line(
        "through the router (oneshot)",
        micros_text(routed[0]),
        split(routed),
    );
    line(
        "the bare query (rusqlite)",
        micros_text(bare[0]),
        split(bare),
    );
    let ratio = routed[0] / bare[0];
    line(
        "ratio",
        format!("{ratio:.2}"),
        format!(
            "(budget <= {RATIO_BUDGET:.0}, ratio {:.2})",
            ratio / RATIO_BUDGET
        ),
    );
    Ok(())
}

/// Asks for each number once (uncompressed, to read the answer): its E.164 form
/// and whether any contact holds it. Also warms the reader pool and caches.
async fn probe(router: &Router, cookie: &str, numbers: &[String]) -> Result<Vec<Probe>, String> {
    let mut probes = Vec::new();
    for query in numbers {
        let (status, body) = send(router, match_request(query, cookie, "identity")).await?;
        let answer: ContactMatchResult = serde_json::from_slice(&body)
            .map_err(|e| format!("{query}: {status}, {e}: {}", String::from_utf8_lossy(&body)))?;
        let e164 = answer
            .normalized
            .ok_or_else(|| format!("{query} is not a valid number; give valid ones"))?;
        probes.push(Probe {
            query: query.clone(),
            e164,
            hit: !answer.contacts.is_empty(),
        });
    }
    Ok(probes)
}

fn match_request(number: &str, cookie: &str, encodings: &str) -> Request<Body> {
    let number: String = url::form_urlencoded::byte_serialize(number.as_bytes()).collect();
    Request::get(format!("/api/contacts/match?number={number}"))
        .header(COOKIE, cookie)
        .header(ACCEPT_ENCODING, encodings)
        .body(Body::empty())
        .unwrap_or_else(|err| unreachable!("a GET with ASCII headers: {err}"))
}

fn micros(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1e6
}

/// The medians of one run's `(hit, µs)` samples: all, hits, misses.
fn run_medians(samples: Vec<(bool, f64)>) -> RunMedians {
    let pick = |keep: fn(bool) -> bool| {
        median(
            samples
                .iter()
                .filter(|(hit, _)| keep(*hit))
                .map(|(_, us)| *us)
                .collect(),
        )
    };
    [pick(|_| true), pick(|hit| hit), pick(|hit| !hit)]
}

/// The median over runs of each of [`RunMedians`].
fn across_runs(runs: &[RunMedians]) -> RunMedians {
    [0, 1, 2].map(|i| median(runs.iter().map(|run| run[i]).collect()))
}

fn micros_text(us: f64) -> String {
    format!("{us:.0} µs")
}
