//! `zoom_bench [--runs R] [--requests Q] [--workers W]`: the cached Zoom
//! lookups (≥ 10 000 requests a second), run by `cargo xtask bench`.
//!
//! Starts the Zoom emulator of dialdesk-sim in process, builds the proxy's
//! router with `auth = "zoom"` pointed at it, and signs in through the real
//! flow (`/auth/login`, the emulator's authorize form over HTTP,
//! `/auth/callback`). Each run then sends Q requests `GET /api/me` (the
//! signed-in user's Zoom identity, kept a minute) from W concurrent tasks
//! through the router with `tower::ServiceExt::oneshot`, and as many
//! `GET /api/health` as a baseline. Prints the median rate of each over R runs,
//! their ratio, and how many requests reached the emulator during the runs
//! (a cache hit must not).

#[path = "shared/report.rs"]
mod report;
#[path = "shared/run.rs"]
mod run;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{to_bytes, Body};
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::{Request, StatusCode};
use axum::Router;
use clap::Parser;
use dialdesk_proxy::app;
use dialdesk_proxy::config::{Config, Env, Overrides};
use dialdesk_proxy::db::Db;
use dialdesk_proxy::state::AppState;
use dialdesk_proxy::static_files::StaticSite;
use dialdesk_sim::emulator::{spawn_for_tests, Credentials, RunningEmulator};
use report::{line, median, spaced};
use tower::ServiceExt as _;

/// The budget: cached Zoom lookups, requests a second.
const RATE_BUDGET: f64 = 10_000.0;
/// The emulated user who signs in.
const USER: &str = "ava.lindqvist@dialdesk.example";

/// Command-line arguments.
#[derive(Parser)]
struct Args {
    /// Runs; the median is printed.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Requests per run and route.
    #[arg(long, default_value_t = 20_000)]
    requests: usize,
    /// Concurrent tasks sending them.
    #[arg(long, default_value_t = 8)]
    workers: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    run::run("zoom_bench", bench(&args))
}

async fn bench(args: &Args) -> Result<(), String> {
    let emu = spawn_for_tests(Credentials::demo())
        .await
        .map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let router = app_router(&emu, dir.path()).await?;
    let cookie = sign_in(&router).await?;
    let me = Arc::new("/api/me".to_owned());
    // Warm the cache and check the answer once.
    if send(&router, &me, &cookie).await? != StatusCode::OK {
        return Err("GET /api/me did not answer 200".into());
    }
    let before = emulator_requests(&emu).await?;
    let health = Arc::new("/api/health".to_owned());
    let (mut cached, mut baseline) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        cached.push(rate(&router, &me, &cookie, args).await?);
        baseline.push(rate(&router, &health, &cookie, args).await?);
    }
    let reached = emulator_requests(&emu).await? - before;
    let (cached, baseline) = (median(cached), median(baseline));
    println!(
        "cached Zoom lookups, in process ({} requests × {} runs, {} tasks):",
        spaced(args.requests),
        args.runs,
        args.workers
    );
    line(
        "GET /api/me (cached identity)",
        format!("{cached:.0}/s"),
        format!(
            "budget ≥ {RATE_BUDGET:.0}/s: {}",
            if cached >= RATE_BUDGET { "ok" } else { "OVER" }
        ),
    );
    line(
        "GET /api/health",
        format!("{baseline:.0}/s"),
        "baseline".into(),
    );
    line(
        "ratio to health",
        format!("{:.2}", cached / baseline),
        String::new(),
    );
    line(
        "requests that reached Zoom",
        reached.to_string(),
        "must be 0".into(),
    );
    if reached != 0 {
        return Err(format!("{reached} cached lookups reached the emulator"));
    }
    Ok(())
}

/// Requests a second of `path`, sent `args.requests` times by `args.workers` tasks.
async fn rate(
    router: &Router,
    path: &Arc<String>,
    cookie: &Arc<String>,
    args: &Args,
) -> Result<f64, String> {
    let started = Instant::now();
    let per_worker = args.requests / args.workers.max(1);
    let tasks: Vec<_> = (0..args.workers.max(1))
        .map(|_| {
            let (router, path, cookie) = (router.clone(), Arc::clone(path), Arc::clone(cookie));
            tokio::spawn(async move {
                for _ in 0..per_worker {
                    if send(&router, &path, &cookie).await? != StatusCode::OK {
                        return Err(format!("GET {path} failed"));
                    }
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    let sent = per_worker * args.workers.max(1);
    Ok(sent as f64 / started.elapsed().as_secs_f64())
}

async fn send(router: &Router, path: &str, cookie: &str) -> Result<StatusCode, String> {
    let request = Request::get(path)
        .header(COOKIE, cookie)
        .body(Body::empty())
        .map_err(|e| e.to_string())?;
    let response = router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| e.to_string())?;
    Ok(status)
}

async fn app_router(emu: &RunningEmulator, dir: &std::path::Path) -> Result<Router, String> {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| e.to_string())?;
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><html></html>\n")
        .map_err(|e| e.to_string())?;
    let creds = emu.credentials();
    let env = Env::from_pairs([
        ("DIALDESK_DIST", dist.to_string_lossy().into_owned()),
        (
            "DIALDESK_DB",
            dir.join("bench.db").to_string_lossy().into_owned(),
        ),
        ("DIALDESK_AUTH", "zoom".to_owned()),
        ("DIALDESK_PUBLIC_URL", "http://127.0.0.1:8080".to_owned()),
        ("ZOOM_CLIENT_ID", creds.client_id.clone()),
        ("ZOOM_CLIENT_SECRET", creds.client_secret.clone()),
        ("ZOOM_API_BASE", emu.api_base()),
        ("ZOOM_OAUTH_BASE", emu.oauth_base().to_owned()),
    ]);
    let mut config = Config::load(&env, &Overrides::default()).map_err(|e| e.to_string())?;
    // The emulator's account is the one served, and the per-session request limit
    // would measure itself rather than the cache.
    config.zoom.allowed_accounts = vec![creds.account_id.clone()];
    config.api_requests_per_minute = std::num::NonZeroU32::MAX;
    let site = StaticSite::load(&config.process.dist_dir, &config.embed.origin, None)
        .map_err(|e| e.to_string())?;
    let db = Db::open(&config.process.db_path).map_err(|e| e.to_string())?;
    let state = AppState::open(&config, site, db)
        .await
        .map_err(|e| e.to_string())?;
    Ok(app::router(state))
}

/// Signs in as [`USER`] through the proxy's routes and the emulator's form;
/// the session cookie pair.
async fn sign_in(router: &Router) -> Result<Arc<String>, String> {
    let (location, cookies) = get(router, "/auth/login", "").await?;
    let browser = cookies.first().cloned().unwrap_or_default();
    let authorize = url::Url::parse(&location).map_err(|e| e.to_string())?;
    let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    form.push(("user".into(), USER.into()));
    let mut target = authorize.clone();
    target.set_query(None);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let answer = client
        .post(target)
        .form(&form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let back = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok())
        .ok_or("the emulator did not redirect back")?;
    let callback = format!("/auth/callback?{}", back.query().unwrap_or_default());
    let (_, cookies) = get(router, &callback, &browser).await?;
    cookies
        .into_iter()
        .find(|c| c.starts_with("dialdesk_session=") && c.len() > 20)
        .map(Arc::new)
        .ok_or_else(|| "no session after the callback".to_owned())
}

async fn get(router: &Router, uri: &str, cookie: &str) -> Result<(String, Vec<String>), String> {
    let request = Request::get(uri)
        .header(COOKIE, cookie)
        .body(Body::empty())
        .map_err(|e| e.to_string())?;
    let response = router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let cookies = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_owned))
        .collect();
    Ok((location, cookies))
}

async fn emulator_requests(emu: &RunningEmulator) -> Result<u64, String> {
    let value: serde_json::Value = reqwest::get(format!("{}/__emu/requests", emu.oauth_base()))
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    value["total"]
        .as_u64()
        .ok_or_else(|| "no request count".to_owned())
}
