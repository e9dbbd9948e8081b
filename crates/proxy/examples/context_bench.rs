//! `context_bench --db NEW.db [--events E] [--numbers N] [--runs R]`: the Last call
//! column (`GET /api/calls/context`) over a large journal, run by `cargo xtask bench`.
//!
//! Journals E call events (four per call: ringing, connected, ended, and a transfer
//! leg's) with the other party drawn from N numbers, through the same function the
//! journal routes call, in batches of the routes' size; every tenth call gets a
//! saved log. Then reads the column through the router (a browser's encodings, the
//! body read to its end) R times, and rebuilds it from the whole journal once (what
//! the schema migration and the retention purge do). Prints the write rate, the
//! median read against its budget, the answer's size and the rebuild's time, and
//! the ratio of the read to the rebuild.

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
use clap::Parser;
use dialdesk_contract::{CallLogDraft, JournalEvent};
use dialdesk_proxy::call_log;
use dialdesk_proxy::db::call_logs::{self, Saver};
use dialdesk_proxy::db::{call_context, calls};
use report::{line, median, spaced};
use router::{app_router, send, session_cookie};
use serde_json::json;

/// What Chromium sends, so the answer is compressed as the app receives it.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";
/// Events per journal batch: the batch route's maximum.
const BATCH: usize = 100;
/// The budget: one read of the column (once per app load) at a million journal rows.
const READ_BUDGET_MS: f64 = 100.0;
/// Events journalled per call.
const EVENTS_PER_CALL: usize = 4;

/// Command-line arguments.
#[derive(Parser)]
struct Args {
    /// The database file to create; it must not exist.
    #[arg(long)]
    db: PathBuf,
    /// Journal rows to write.
    #[arg(long, default_value_t = 1_000_000)]
    events: usize,
    /// Distinct numbers the calls go to.
    #[arg(long, default_value_t = 20_000)]
    numbers: usize,
    /// Reads of the column; the median is printed.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    run::run("context_bench", bench(&args))
}

async fn bench(args: &Args) -> Result<(), String> {
    if args.db.exists() {
        return Err(format!("{} exists; give a new file", args.db.display()));
    }
    if args.numbers == 0 {
        return Err("--numbers must be at least 1".into());
    }
    let (router, db) = app_router(&args.db, 0).await?;
    let cookie = session_cookie(&router).await?;

    let calls = args.events / EVENTS_PER_CALL;
    let started = Instant::now();
    for first in (0..calls).step_by(BATCH / EVENTS_PER_CALL) {
        let last = (first + BATCH / EVENTS_PER_CALL).min(calls);
        let numbers = args.numbers;
        db.write(move |conn| {
            let batch: Vec<(String, JournalEvent)> = (first..last)
                .flat_map(|call| events_of(call, numbers))
                .collect();
            let sender = calls::Sender {
                session_id: "bench",
                user_id: None,
            };
            calls::record_all(conn, &batch, sender)?;
            for call in (first..last).filter(|call| call % 10 == 0) {
                let draft = log_of(call, numbers);
                let content = call_log::content(&draft);
                let saver = Saver {
                    session_id: "bench",
                    user_id: None,
                };
                call_logs::save(conn, &format!("call-{call}"), &draft, &content, &saver)?;
            }
            Ok(())
        })
        .await
        .map_err(|e| e.to_string())?;
    }
    let write_secs = started.elapsed().as_secs_f64();
    db.checkpoint().await.map_err(|e| e.to_string())?;

    let mut reads = Vec::with_capacity(args.runs);
    let mut size = 0;
    for _ in 0..args.runs {
        let request = Request::get("/api/calls/context")
            .header(COOKIE, &cookie)
            .header(ACCEPT_ENCODING, BROWSER_ENCODINGS)
            .body(Body::empty())
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        let (status, body) = send(&router, request).await?;
        reads.push(started.elapsed().as_secs_f64() * 1e3);
        if status != StatusCode::OK {
            return Err(format!("GET /api/calls/context: {status}"));
        }
        size = body.len();
    }
    let rows = db
        .read(|conn| Ok(call_context::read(conn)?.len()))
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    db.write(|conn| Ok(call_context::rebuild(conn)?))
        .await
        .map_err(|e| e.to_string())?;
    let rebuild_ms = started.elapsed().as_secs_f64() * 1e3;

    let read_ms = median(reads);
    println!(
        "the Last call column at {} journal rows ({} calls to {} numbers, a log for one \
         call in ten), median of {} reads:",
        spaced(args.events),
        spaced(calls),
        spaced(args.numbers),
        args.runs
    );
    line(
        "journal writes (with the column)",
        format!("{:.0}/s", args.events as f64 / write_secs),
        format!("({write_secs:.1} s in batches of {BATCH})"),
    );
    line(
        "GET /api/calls/context",
        format!("{read_ms:.1} ms"),
        format!(
            "({} rows, {:.0} KB compressed; budget <= {READ_BUDGET_MS:.0} ms, ratio {:.2})",
            spaced(rows),
            size as f64 / 1024.0,
            read_ms / READ_BUDGET_MS
        ),
    );
    line(
        "rebuild from the whole journal",
        format!("{rebuild_ms:.0} ms"),
        "(the migration and the retention purge)".into(),
    );
    line(
        "read / rebuild",
        format!("{:.3}", read_ms / rebuild_ms),
        "(what a read of the journal per app load would cost)".into(),
    );
    Ok(())
}

/// The other party of call `call`: one of `numbers` fictitious US numbers.
fn number_of(call: usize, numbers: usize) -> String {
    let n = call % numbers;
    format!("+1{:03}555{:04}", 201 + n / 10_000 % 700, n % 10_000)
}

/// The four events of call `call`, as the embed reports them.
fn events_of(call: usize, numbers: usize) -> Vec<(String, JournalEvent)> {
    let root = format!("call-{call}");
    let number = number_of(call, numbers);
    let minute = call % 60;
    let at = format!(
        "2026-11-{:02}T{:02}:{minute:02}:00Z",
        1 + call % 28,
        call % 24
    );
    let payload = |result: Option<&str>| {
        let mut payload = json!({
            "direction": "outbound",
            "dateTime": at,
            "callee": { "phoneNumber": number },
        });
        if let Some(result) = result {
            payload["result"] = json!(result);
        }
        payload
    };
    let event = |kind: &str, call_id: &str, payload: serde_json::Value| {
        (
            root.clone(),
            JournalEvent {
                event_key: format!("{call_id}:{kind}"),
                kind: kind.to_owned(),
                call_id: call_id.to_owned(),
                payload,
                contact_id: None,
            },
        )
    };
    let leg = format!("{root}_1");
    vec![
        event("zp-call-ringing-event", &root, payload(None)),
        event("zp-call-connected-event", &root, payload(None)),
        event("zp-call-ended-event", &root, payload(Some("ended"))),
        event("zp-call-connected-event", &leg, payload(None)),
    ]
}

/// The log a rep saves for call `call`.
fn log_of(call: usize, numbers: usize) -> CallLogDraft {
    CallLogDraft {
        base_version: 0,
        disposition: "interested".into(),
        number: Some(number_of(call, numbers)),
        ..CallLogDraft::default()
    }
}
