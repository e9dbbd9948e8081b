//! `load_bench --bin-dir DIR --dist DIR [--reps N] [--seconds S] [--numbers K]`: a call
//! centre's load on the release proxy, run by `cargo xtask bench`.
//!
//! Starts the simulator (its Zoom emulator with N generated reps besides the five
//! named users) and the release `dialdesk-proxy` with Zoom sign-in, over real HTTP
//! on loopback, twice on a fresh database: once steady, once with the proxy killed
//! (SIGKILL) halfway and started again. Each rep signs in through the emulator,
//! then works calls for S seconds: matches a number, journals the call's events,
//! saves its log, sometimes sends a batch or a log again (a retry), sometimes saves
//! over a version someone else replaced (the intended 409) and then edits the
//! saved one, and reads their unlogged calls. Like the app's outbox, a rep retries
//! what the proxy did not acknowledge (no answer, 429, 503) until it is.
//!
//! Afterwards the database must hold every acknowledged event and log exactly
//! once, in its acknowledged version, and nothing else; any answer other than
//! the intended 409s and the retried 429/503s fails the run. Prints p50/p99 per
//! route and requests per second.

#[path = "shared/report.rs"]
mod report;
#[allow(dead_code)]
#[path = "../../../tests/e2e/src/stack.rs"]
mod stack;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use dialdesk_contract::{CallLog, CallLogDraft, JournalBatchAck, JournalEvent, SessionInfo};
use dialdesk_contract::{UnloggedCalls, CSRF_HEADER};
use report::{line, median, percentile, spaced};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use stack::{Auth, Stack, StackOptions};

/// Area codes of the numbers the reps call, with the 100 lines `555-01xx` of each
/// (many held by demo contacts).
const AREAS: [&str; 6] = ["415", "212", "312", "617", "206", "303"];

/// Demo contacts in the book.
const CONTACTS: u32 = 10_000;
/// How long a rep keeps retrying what was not acknowledged once the run is over.
const GRACE: Duration = Duration::from_secs(60);
/// The proxy's settings for the run: one client address signs everyone in.
const CONFIG: &str = "[limits]\nsign_ins_per_minute = 100000\n";

/// Command-line arguments.
#[derive(Parser)]
struct Args {
    /// Directory holding the release `dialdesk-proxy` and `dialdesk-sim`.
    #[arg(long)]
    bin_dir: PathBuf,
    /// The app's built files, which the proxy serves.
    #[arg(long)]
    dist: PathBuf,
    /// Simulated reps, each signed in as a Zoom user of its own.
    #[arg(long, default_value_t = 200)]
    reps: usize,
    /// Seconds each run lasts.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// How many different numbers the reps call (at most 600).
    #[arg(long, default_value_t = 600)]
    numbers: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("load_bench: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = run(&runtime, &args, false).and_then(|()| run(&runtime, &args, true));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("load_bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// One run on a fresh stack and database; with `crash`, the proxy is killed halfway
/// and started again.
fn run(runtime: &tokio::runtime::Runtime, args: &Args, crash: bool) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let config = dir.path().join("dialdesk.toml");
    std::fs::write(&config, CONFIG).map_err(|e| e.to_string())?;
    let db = dir.path().join("load.db");
    let users = (args.reps + 5).to_string();
    let mut stack = Stack::start(&StackOptions {
        bin_dir: args.bin_dir.clone(),
        dist: args.dist.clone(),
        app_port: 0,
        sim_port: 0,
        db: db.clone(),
        seed: CONTACTS,
        sim_args: vec!["--zoom-users".into(), users],
        config: Some(config),
        sdk_loader: false,
        auth: Auth::zoom()?,
        proxy_trace_log: None,
    })?;
    let base = Arc::new(stack.proxy.url.clone());
    let stats = Arc::new(Stats::default());
    let length = Duration::from_secs(args.seconds);
    let started = Instant::now();
    let end = started + length;
    let reps: Vec<_> = (0..args.reps)
        .map(|i| {
            let (base, stats) = (Arc::clone(&base), Arc::clone(&stats));
            let numbers = args.numbers.clamp(1, AREAS.len() * 100);
            runtime.spawn(async move { work(i, &base, &stats, end, numbers).await })
        })
        .collect();
    if crash {
        std::thread::sleep(length / 2);
        stack.crash_and_restart_proxy()?;
    }
    let mut books = Vec::new();
    for rep in reps {
        books.push(runtime.block_on(rep).map_err(|e| e.to_string())??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(stack);
    report(args, crash, &stats, elapsed);
    let checked = verify(&db, &books)?;
    line(
        "acknowledged writes in the database",
        spaced(checked),
        "all, each once, as acknowledged".into(),
    );
    stats.check(crash)
}

/// What one rep had acknowledged: each event key, each log's version and notes.
#[derive(Default)]
struct Book {
    events: HashSet<String>,
    logs: HashMap<String, (u64, String)>,
}

/// Per route: latencies of answered requests, answers by status, retries by cause.
#[derive(Default)]
struct Stats {
    routes: Mutex<BTreeMap<&'static str, Route>>,
}

#[derive(Default)]
struct Route {
    millis: Vec<f64>,
    statuses: BTreeMap<u16, u64>,
    retried: BTreeMap<String, u64>,
}

impl Stats {
    fn answered(&self, route: &'static str, status: StatusCode, millis: f64) {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let entry = routes.entry(route).or_default();
        entry.millis.push(millis);
        *entry.statuses.entry(status.as_u16()).or_default() += 1;
    }

    fn retried(&self, route: &'static str, cause: String) {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        *routes
            .entry(route)
            .or_default()
            .retried
            .entry(cause)
            .or_default() += 1;
    }

    /// Fails on any answer but the successes and the intended 409s, and on any
    /// retry but after a 429, unless the proxy was killed (then also after no
    /// answer, a 503 or a 401, and at least one request must have gone
    /// unanswered).
    fn check(&self, crash: bool) -> Result<(), String> {
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let unexpected: Vec<String> = routes
            .iter()
            .flat_map(|(route, stats)| {
                let answers = stats
                    .statuses
                    .iter()
                    .filter(|(status, _)| !matches!(status, 200 | 201 | 409))
                    .map(move |(status, n)| format!("{route}: {n}× {status}"));
                let retries = stats
                    .retried
                    .iter()
                    .filter(move |(cause, _)| !crash && cause.as_str() != "429")
                    .map(move |(cause, n)| format!("{route}: {n}× retried after {cause}"));
                answers.chain(retries)
            })
            .collect();
        let cut = routes
            .values()
            .flat_map(|stats| stats.retried.iter())
            .any(|(cause, _)| cause == "no connection" || cause == "connection dropped");
        if crash && !cut {
            Err("no request met the killed proxy: the kill missed the load".to_owned())
        } else if unexpected.is_empty() {
            Ok(())
        } else {
            Err(format!("unexpected answers: {}", unexpected.join(", ")))
        }
    }
}

/// Prints requests per second, then per route its p50 and p99 and what was retried.
fn report(args: &Args, crash: bool, stats: &Stats, seconds: f64) {
    let routes = stats.routes.lock().unwrap_or_else(|e| e.into_inner());
    let answered: usize = routes.values().map(|r| r.millis.len()).sum();
    println!(
        "load test: release dialdesk-proxy, {} reps signed in with Zoom calling {} numbers, {} s{}:",
        args.reps,
        args.numbers,
        args.seconds,
        if crash {
            ", proxy killed (SIGKILL) halfway and restarted"
        } else {
            ""
        }
    );
    line(
        "requests answered per second",
        spaced((answered as f64 / seconds).round() as usize),
        format!("({} in {seconds:.1} s)", spaced(answered)),
    );
    for (route, stats) in routes.iter() {
        let mut millis = stats.millis.clone();
        let statuses: Vec<String> = stats
            .statuses
            .iter()
            .map(|(status, n)| format!("{n}× {status}"))
            .collect();
        let retried: Vec<String> = stats
            .retried
            .iter()
            .map(|(cause, n)| format!("{n}× {cause}"))
            .collect();
        line(
            route,
            format!(
                "{:.1} / {:.1} ms",
                median(stats.millis.clone()),
                percentile(&mut millis, 0.99)
            ),
            format!(
                "p50 / p99; {}{}",
                statuses.join(", "),
                if retried.is_empty() {
                    String::new()
                } else {
                    format!("; retried {}", retried.join(", "))
                }
            ),
        );
    }
}

/// One rep's HTTP client and session.
struct Rep<'a> {
    email: String,
    base: &'a str,
    client: reqwest::Client,
    cookie: String,
    csrf: String,
    stats: &'a Stats,
    /// Past it, a request that is still not acknowledged fails the run.
    give_up: Instant,
}

/// Signs rep `index` in, then works calls to `numbers` different numbers until `end`.
async fn work(
    index: usize,
    base: &str,
    stats: &Stats,
    end: Instant,
    numbers: usize,
) -> Result<Book, String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let mut rep = Rep {
        email: format!("rep{:04}@dialdesk.example", index + 5),
        base,
        client,
        cookie: String::new(),
        csrf: String::new(),
        stats,
        give_up: end + GRACE,
    };
    rep.sign_in().await?;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let unlogged = format!("/api/calls/unlogged?from={today}&to={today}");
    let mut book = Book::default();
    let mut call = 0_usize;
    // Reps start spread over the first second, then pace themselves.
    tokio::time::sleep(Duration::from_millis((index as u64 * 37) % 1000)).await;
    while Instant::now() < end {
        call += 1;
        let id = format!("load-r{index:04}-c{call:05}");
        let number = number_for(index, call, numbers);
        let path = format!("/api/contacts/match?number={}", urlencode(&number));
        rep.answer("GET /api/contacts/match", Method::GET, &path, None, &[200])
            .await?;

        let batch = events(&id, &number);
        let body = serde_json::to_value(&batch).map_err(|e| e.to_string())?;
        let sends = if call.is_multiple_of(4) { 2 } else { 1 };
        for _ in 0..sends {
            let (_, ack) = rep
                .answer(
                    "POST /api/calls/events",
                    Method::POST,
                    "/api/calls/events",
                    Some(&body),
                    &[200],
                )
                .await?;
            let ack: JournalBatchAck = parse(&ack)?;
            if ack.stored + ack.repeats != 3 {
                return Err(format!("{id}: the journal acknowledged {ack:?} of 3"));
            }
        }
        book.events.extend(batch.into_iter().map(|e| e.event_key));

        let log_path = format!("/api/calls/{id}/log");
        let first = draft(0, &number, "Interested, send the brochure");
        let mut saved = None;
        for _ in 0..sends {
            let answer = rep.put_log(&log_path, &first, &[200, 201]).await?;
            saved = Some(parse::<CallLog>(&answer)?);
        }
        let mut saved = saved.ok_or("no save")?;
        if call.is_multiple_of(5) {
            // A second agent's form still based on nothing: the proxy shows both.
            let stale = draft(0, &number, "Left a voicemail");
            rep.put_log(&log_path, &stale, &[409]).await?;
            let edit = draft(saved.version, &number, "Interested, brochure sent");
            saved = parse(&rep.put_log(&log_path, &edit, &[200]).await?)?;
        }
        book.logs.insert(id, (saved.version, saved.notes));

        if call % 10 == 1 {
            let (_, answer) = rep
                .answer(
                    "GET /api/calls/unlogged",
                    Method::GET,
                    &unlogged,
                    None,
                    &[200],
                )
                .await?;
            parse::<UnloggedCalls>(&answer)?;
        }
        let pause = 300 + ((index * 7919 + call * 104_729) % 600) as u64;
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
    Ok(book)
}

/// The number rep `index` calls on their `call`-th call, one of `numbers`, written
/// as caller IDs show numbers: spread over [`AREAS`], so each is called now and
/// then, as a centre's customers are.
fn number_for(index: usize, call: usize, numbers: usize) -> String {
    let n = (index * 7919 + call * 104_729) % numbers;
    let (area, line) = (AREAS[(n / 100) % AREAS.len()], n % 100);
    match n % 3 {
        0 => format!("({area}) 555-01{line:02}"),
        1 => format!("+1 {area}-555-01{line:02}"),
        _ => format!("{area}.555.01{line:02}"),
    }
}

/// The ringing, connected and ended events of outbound call `id` to `number`.
fn events(id: &str, number: &str) -> Vec<JournalEvent> {
    [
        "zp-call-ringing-event",
        "zp-call-connected-event",
        "zp-call-ended-event",
    ]
    .into_iter()
    .map(|kind| JournalEvent {
        event_key: format!("{id}:{kind}"),
        kind: kind.to_owned(),
        call_id: id.to_owned(),
        payload: json!({
            "callId": id,
            "direction": "outbound",
            "callee": { "phoneNumber": number },
        }),
        contact_id: None,
    })
    .collect()
}

/// A log of an outbound call to `number`, edited from `base_version`.
fn draft(base_version: u64, number: &str, notes: &str) -> CallLogDraft {
    CallLogDraft {
        base_version,
        disposition: "interested".to_owned(),
        notes: notes.to_owned(),
        fields: serde_json::Map::new(),
        contact_id: None,
        direction: Some("outbound".to_owned()),
        number: Some(number.to_owned()),
        duration_secs: Some(95),
        result: Some("ended".to_owned()),
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(body)))
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

impl Rep<'_> {
    /// Saves `draft` as the log at `path`; the answer must be one of `wanted`.
    async fn put_log(
        &mut self,
        path: &str,
        draft: &CallLogDraft,
        wanted: &[u16],
    ) -> Result<Vec<u8>, String> {
        let body = serde_json::to_value(draft).map_err(|e| e.to_string())?;
        let route = "PUT /api/calls/{id}/log";
        let (_, answer) = self
            .answer(route, Method::PUT, path, Some(&body), wanted)
            .await?;
        Ok(answer)
    }

    /// Sends until the proxy answers with something else than 401, 429 or 503 or
    /// a dropped connection (signing in again after a 401, waiting `Retry-After`
    /// after a 429 or 503, a quarter second after no answer); that answer must be
    /// one of `wanted`.
    async fn answer(
        &mut self,
        route: &'static str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        wanted: &[u16],
    ) -> Result<(StatusCode, Vec<u8>), String> {
        loop {
            if Instant::now() > self.give_up {
                return Err(format!("{} {route}: not acknowledged in time", self.email));
            }
            let mut request = self
                .client
                .request(method.clone(), format!("{}{path}", self.base))
                .header("cookie", &self.cookie)
                .header(CSRF_HEADER, &self.csrf);
            if let Some(body) = body {
                request = request.json(body);
            }
            let sent = Instant::now();
            let answer = match request.send().await {
                Ok(answer) => answer,
                Err(e) => {
                    self.stats.retried(route, no_answer(&e));
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    continue;
                }
            };
            let status = answer.status();
            let retry_after = answer
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            let bytes = match answer.bytes().await {
                Ok(bytes) => bytes.to_vec(),
                Err(e) => {
                    self.stats.retried(route, no_answer(&e));
                    continue;
                }
            };
            let millis = sent.elapsed().as_secs_f64() * 1e3;
            match status.as_u16() {
                401 => {
                    self.stats.retried(route, "401 (signed in again)".into());
                    self.sign_in().await?;
                }
                429 | 503 => {
                    self.stats.retried(route, status.as_u16().to_string());
                    let wait = retry_after.unwrap_or(1).clamp(1, 30);
                    tokio::time::sleep(Duration::from_secs(wait)).await;
                }
                code => {
                    self.stats.answered(route, status, millis);
                    if !wanted.contains(&code) {
                        return Err(format!(
                            "{} {route} {path}: {status} {}",
                            self.email,
                            String::from_utf8_lossy(&bytes)
                        ));
                    }
                    return Ok((status, bytes));
                }
            }
        }
    }

    /// Signs in through the emulator's authorize page as a browser would, then reads
    /// the session's CSRF token; retried like any request.
    async fn sign_in(&mut self) -> Result<(), String> {
        loop {
            if Instant::now() > self.give_up {
                return Err(format!("{}: could not sign in", self.email));
            }
            let started = Instant::now();
            match self.try_sign_in().await {
                Ok(()) => {
                    let millis = started.elapsed().as_secs_f64() * 1e3;
                    self.stats
                        .answered("sign-in (4 requests)", StatusCode::OK, millis);
                    return Ok(());
                }
                Err(cause) => {
                    self.stats.retried("sign-in (4 requests)", cause);
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        }
    }

    async fn try_sign_in(&mut self) -> Result<(), String> {
        let login = self
            .client
            .get(format!("{}/auth/login", self.base))
            .send()
            .await
            .map_err(|e| no_answer(&e))?;
        let pending = cookies(&login);
        let authorize = location(&login)?;
        let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
        form.push(("user".into(), self.email.clone()));
        let mut target = authorize.clone();
        target.set_query(None);
        let decision = self
            .client
            .post(target)
            .form(&form)
            .send()
            .await
            .map_err(|e| no_answer(&e))?;
        let back = location(&decision)?;
        let callback = self
            .client
            .get(back)
            .header("cookie", pending)
            .send()
            .await
            .map_err(|e| no_answer(&e))?;
        let session = cookies(&callback);
        if !session.contains("dialdesk_session=") {
            return Err(format!("callback answered {}", callback.status()));
        }
        let info = self
            .client
            .get(format!("{}/api/session", self.base))
            .header("cookie", &session)
            .send()
            .await
            .map_err(|e| no_answer(&e))?;
        if info.status() != StatusCode::OK {
            return Err(format!("GET /api/session answered {}", info.status()));
        }
        let info: SessionInfo = info.json().await.map_err(|e| no_answer(&e))?;
        self.cookie = session;
        self.csrf = info.csrf_token;
        Ok(())
    }
}

/// A request that got no answer, by cause.
fn no_answer(e: &reqwest::Error) -> String {
    if e.is_connect() {
        "no connection".into()
    } else if e.is_timeout() {
        "timed out".into()
    } else {
        "connection dropped".into()
    }
}

/// The `Cookie` header that sends back every cookie `answer` set.
fn cookies(answer: &reqwest::Response) -> String {
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where `answer` redirects.
fn location(answer: &reqwest::Response) -> Result<url::Url, String> {
    answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok())
        .ok_or_else(|| format!("{} did not redirect ({})", answer.url(), answer.status()))
}

/// Checks the database against what the reps had acknowledged: every event key
/// and log, each once, in its acknowledged version, and no load row besides.
/// Returns how many acknowledged writes it checked.
fn verify(db: &std::path::Path, books: &[Book]) -> Result<usize, String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?;
    let mut stored_events = HashMap::<String, u64>::new();
    let mut stmt = conn
        .prepare("SELECT event_key FROM call_events WHERE root_call_id LIKE 'load-%'")
        .map_err(|e| e.to_string())?;
    let keys = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .map_err(|e| e.to_string())?;
    for key in keys {
        *stored_events
            .entry(key.map_err(|e| e.to_string())?)
            .or_default() += 1;
    }
    let mut stored_logs = HashMap::<String, (u64, String)>::new();
    let version = |v: i64| u64::try_from(v).unwrap_or(0);
    let mut stmt = conn
        .prepare(
            "SELECT root_call_id, version, notes FROM call_logs WHERE root_call_id LIKE 'load-%'",
        )
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                (version(row.get(1)?), row.get(2)?),
            ))
        })
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (id, log) = row.map_err(|e| e.to_string())?;
        if stored_logs.insert(id.clone(), log).is_some() {
            return Err(format!("the log of {id} is stored twice"));
        }
    }
    let mut checked = 0;
    let (mut acked_events, mut acked_logs) = (0, 0);
    for book in books {
        for key in &book.events {
            match stored_events.get(key) {
                Some(1) => checked += 1,
                Some(n) => return Err(format!("event {key} is stored {n} times")),
                None => return Err(format!("the acknowledged event {key} is lost")),
            }
        }
        for (id, log) in &book.logs {
            match stored_logs.get(id) {
                Some(stored) if stored == log => checked += 1,
                Some(stored) => {
                    return Err(format!(
                        "the log of {id} is {stored:?}, acknowledged {log:?}"
                    ))
                }
                None => return Err(format!("the acknowledged log of {id} is lost")),
            }
        }
        acked_events += book.events.len();
        acked_logs += book.logs.len();
    }
    // A request the kill cut off before its answer may have been stored without an
    // acknowledgement; it was retried, so it is among the acknowledged ones.
    if stored_events.len() != acked_events || stored_logs.len() != acked_logs {
        return Err(format!(
            "the database holds {} events and {} logs of the run, {acked_events} and {acked_logs} \
             acknowledged",
            stored_events.len(),
            stored_logs.len()
        ));
    }
    Ok(checked)
}
