//! `dialdesk-table-bench`: the contact table's budgets against a proxy whose
//! book holds `--contacts` contacts:
//! - first paint: from the end of the first `/api/contacts` page's response (Resource
//!   Timing) to the first animation frame with rows in the table body;
//! - filter keystroke to the first frame showing the filtered rows, p50 and p95, beside
//!   the same keystrokes into an input that nothing listens to;
//! - with `--start`: navigation to the first rows with an empty cache, on localhost and
//!   over a 20 Mbit/s, 40 ms link (CDP network emulation), and the bytes of wasm, JS
//!   and CSS a second load fetches;
//! - with `--memory`: the book loaded five times (`#contacts-reload`), the wasm memory and
//!   the JS heap after a forced GC each time, relative to the first load.
//!
//! Observers are installed before the app loads (CDP
//! `Page.addScriptToEvaluateOnNewDocument`), so the app is measured as shipped.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use dialdesk_e2e::{cdp, run_headless, wait_within};
use fantoccini::{Client, Locator};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Parser)]
struct Args {
    /// The app's URL.
    #[arg(long)]
    app: String,
    /// How many contacts the proxy's book holds.
    #[arg(long)]
    contacts: usize,
    /// Runs of each measurement; the median is printed.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Also load the book five times and compare memory after each load.
    #[arg(long)]
    memory: bool,
    /// Also measure the cold start (localhost, and a throttled link) and what a
    /// second load fetches.
    #[arg(long)]
    start: bool,
}

/// The budget: first paint of the table after the first page of data.
const FIRST_PAINT_BUDGET_MS: f64 = 1000.0;
/// The budget: a filter keystroke reaches a frame showing the filtered rows, at p95.
const KEYSTROKE_BUDGET_MS: f64 = 16.0;
/// The budget: memory after cycles 2–5 within this fraction of cycle 1.
const MEMORY_BUDGET: f64 = 0.10;
/// What a rep types, character by character; the box is cleared after each.
const QUERIES: &[&str] = &[
    "grace hopper",
    "turing",
    "contoso",
    "knuth",
    "212 555 0147",
    "ada lo",
    "wirth",
];
/// Pause between keystrokes (plus up to one frame of jitter, so keystrokes land at
/// every phase of the frame as typing does).
const KEY_GAP_MS: u32 = 60;
/// Loading the whole book may take this long.
const LOAD_LIMIT: Duration = Duration::from_secs(300);
/// Rows the frame check compares at the top of the filtered table.
const FIRST_ROWS: usize = 3;

/// Installed in every new document before its scripts run: the wasm memory (from
/// trunk's `TrunkApplicationStarted` event), the first frame with table rows, a larger
/// Resource Timing buffer, and the keystroke driver.
const OBSERVERS: &str = r#"
(() => {
  if (window !== window.top) return;
  performance.setResourceTimingBufferSize(10000);
  const bench = window.__tableBench = { rowsAt: null, memory: null, typing: null };
  addEventListener('TrunkApplicationStarted', (e) => {
    bench.memory = e.detail && e.detail.wasm ? e.detail.wasm.memory : null;
  });
  const observer = new MutationObserver(() => {
    if (document.querySelector('tbody tr[data-contact-id]')) {
      observer.disconnect();
      requestAnimationFrame(() => { bench.rowsAt = performance.now(); });
    }
  });
  observer.observe(document, { childList: true, subtree: true });

  const shown = () => {
    const table = document.querySelector('table.contacts');
    if (!table) return { rowcount: null, first: [] };
    const rows = [...table.querySelectorAll('tbody tr[data-contact-id]')];
    return {
      rowcount: Number(table.getAttribute('aria-rowcount')),
      first: rows.map((r) => Number(r.dataset.contactId)),
    };
  };
  const shows = (step) => {
    if (step.rowcount === null) return true;
    const now = shown();
    return now.rowcount === step.rowcount
      && step.first.every((id, i) => now.first[i] === id);
  };
  // Types each step's value into `input` (sets it, dispatches `input` at t0), then
  // waits frames until the table shows the step's rows; records the time at that
  // frame's requestAnimationFrame callback.
  bench.type = (input, steps, gap) => {
    const state = bench.typing = { done: false, error: null, samples: [] };
    const one = (step) => new Promise((resolve, reject) => {
      const t0 = performance.now();
      input.value = step.value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      let frames = 0;
      const tick = () => {
        frames += 1;
        const t = performance.now();
        if (shows(step)) {
          resolve({ ms: t - t0, frames, clear: step.value === '' });
        } else if (t - t0 > 10000) {
          const now = shown();
          reject(new Error(`10 s after typing ${JSON.stringify(step.value)} the table shows `
            + `${now.rowcount} rows from ${now.first.slice(0, 3)}, expected `
            + `${step.rowcount} from ${step.first}`));
        } else {
          requestAnimationFrame(tick);
        }
      };
      requestAnimationFrame(tick);
    });
    (async () => {
      for (const step of steps) {
        await new Promise((r) => setTimeout(r, gap + Math.random() * 17));
        state.samples.push(await one(step));
      }
    })().then(
      () => { state.done = true; },
      (e) => { state.error = String((e && e.message) || e); state.done = true; },
    );
    return true;
  };
})();
"#;

/// First paint of the current document, once both ends are known.
const FIRST_PAINT: &str = r#"
const bench = window.__tableBench;
if (!bench || bench.rowsAt === null) return null;
const pages = performance.getEntriesByType('resource')
  .filter((e) => new URL(e.name).pathname === '/api/contacts')
  .sort((a, b) => a.startTime - b.startTime);
if (!pages.length) return null;
return { rowsAt: bench.rowsAt, firstPageEnd: pages[0].responseEnd };"#;

/// Whether the whole book (`arguments[0]` rows) is loaded and the reload button is
/// enabled again, and how many `/api/contacts` pages this document fetched.
const LOADED: &str = r#"
const table = document.querySelector('table.contacts');
const reload = document.getElementById('contacts-reload');
const pages = performance.getEntriesByType('resource')
  .filter((e) => new URL(e.name).pathname === '/api/contacts').length;
const done = !!table && table.getAttribute('aria-rowcount') === String(arguments[0] + 1)
  && !document.querySelector('.load-progress') && !!reload && !reload.disabled;
return { done, pages };"#;

/// Starts typing `arguments[1]` into the element matching `arguments[0]`.
const TYPE: &str = r#"
let input = document.querySelector(arguments[0]);
if (!input && arguments[0] === '#bench-idle') {
  input = document.createElement('input');
  input.id = 'bench-idle';
  document.body.appendChild(input);
}
if (!input) throw new Error('no ' + arguments[0]);
return window.__tableBench.type(input, arguments[1], arguments[2]);"#;

/// The wasm memory's size in bytes.
const WASM_BYTES: &str = r#"
const memory = window.__tableBench && window.__tableBench.memory;
return memory ? memory.buffer.byteLength : null;"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    contacts: Vec<BookContact>,
    next_cursor: Option<i64>,
}

#[derive(Deserialize)]
struct BookContact {
    id: i64,
    name: String,
    company: Option<String>,
    email: Option<String>,
    numbers: Vec<BookNumber>,
}

#[derive(Deserialize)]
struct BookNumber {
    raw: String,
    e164: Option<String>,
}

/// A contact's fields as the search box matches them (README: name, company or
/// e-mail, or digits once three are typed).
struct Key {
    id: i64,
    name: String,
    company: String,
    email: String,
    digits: String,
}

fn book(app: &str) -> Result<Vec<Key>, String> {
    let lower = |text: Option<String>| text.unwrap_or_default().to_lowercase();
    let mut keys = Vec::new();
    let mut after = None;
    loop {
        let url = match after {
            Some(id) => format!("{app}/api/contacts?after={id}"),
            None => format!("{app}/api/contacts"),
        };
        let body = ureq::get(&url)
            .call()
            .and_then(|mut r| r.body_mut().read_to_string())
            .map_err(|e| format!("GET {url}: {e}"))?;
        let page: Page = serde_json::from_str(&body).map_err(|e| format!("GET {url}: {e}"))?;
        keys.extend(page.contacts.into_iter().map(|c| {
            Key {
                id: c.id,
                name: c.name.to_lowercase(),
                company: lower(c.company),
                email: lower(c.email),
                digits: c
                    .numbers
                    .iter()
                    .map(|n| {
                        n.e164
                            .as_deref()
                            .unwrap_or(&n.raw)
                            .chars()
                            .filter(char::is_ascii_digit)
                            .collect::<String>()
                    })
                    .collect::<Vec<_>>()
                    .join("|"),
            }
        }));
        match page.next_cursor {
            Some(next) => after = Some(next),
            None => return Ok(keys),
        }
    }
}

/// The steps typed in one run, each with the rows the table must then show: its
/// `aria-rowcount` and the ids of its first rows (name A to Z, ties in id order).
fn steps(keys: &[Key]) -> Vec<Value> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| (&keys[a].name, keys[a].id).cmp(&(&keys[b].name, keys[b].id)));
    let expect = |value: &str| {
        let query = value.trim().to_lowercase();
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        let matches = |k: &Key| {
            if query.is_empty() {
                true
            } else if digits.len() >= 3 {
                k.digits.contains(&digits)
            } else {
                // Every word, in any order, each within one field.
                query.split_whitespace().all(|word| {
                    k.name.contains(word) || k.company.contains(word) || k.email.contains(word)
                })
            }
        };
        let hits: Vec<i64> = order
            .iter()
            .map(|&i| &keys[i])
            .filter(|k| matches(k))
            .map(|k| k.id)
            .collect();
        let first: Vec<i64> = hits.iter().take(FIRST_ROWS).copied().collect();
        json!({ "value": value, "rowcount": hits.len() + 1, "first": first })
    };
    let mut steps = Vec::new();
    for query in QUERIES {
        for (end, c) in query.char_indices() {
            steps.push(expect(&query[..end + c.len_utf8()]));
        }
        steps.push(expect(""));
    }
    steps
}

/// The same keystrokes with nothing to wait for but the next frame.
fn idle_steps(steps: &[Value]) -> Vec<Value> {
    steps
        .iter()
        .map(|s| json!({ "value": s["value"], "rowcount": null, "first": [] }))
        .collect()
}

async fn exec(client: &Client, script: &str, args: Vec<Value>) -> Result<Value, String> {
    client
        .execute(script, args)
        .await
        .map_err(|e| format!("script failed: {e}"))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Nearest-rank percentile (`q` in 0..=1).
fn percentile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.clamp(1, sorted.len().max(1)) - 1)
        .copied()
        .unwrap_or(0.0)
}

/// `100000` → `100 000`.
fn spaced(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Opens the app in a new document and returns its first paint (ms).
async fn first_paint(client: &Client, app: &str) -> Result<f64, String> {
    client
        .goto(app)
        .await
        .map_err(|e| format!("open {app}: {e}"))?;
    let paint = wait_within(
        Duration::from_secs(60),
        "table rows after the first page",
        || async {
            let v = exec(client, FIRST_PAINT, vec![]).await.ok()?;
            Some(v["rowsAt"].as_f64()? - v["firstPageEnd"].as_f64()?)
        },
    )
    .await?;
    Ok(paint)
}

/// Waits until the document has fetched at least `pages` pages and shows the whole
/// book; returns the pages fetched.
async fn loaded(client: &Client, contacts: usize, pages: u64) -> Result<u64, String> {
    wait_within(LOAD_LIMIT, "the whole book to load", || async {
        let v = exec(client, LOADED, vec![json!(contacts)]).await.ok()?;
        let fetched = v["pages"].as_u64()?;
        (v["done"] == true && fetched >= pages).then_some(fetched)
    })
    .await
}

/// Types `steps` into `css` and returns the samples (ms; whether the step cleared).
async fn type_steps(
    client: &Client,
    css: &str,
    steps: &[Value],
) -> Result<Vec<(f64, bool)>, String> {
    exec(
        client,
        TYPE,
        vec![json!(css), json!(steps), json!(KEY_GAP_MS)],
    )
    .await?;
    let limit = Duration::from_secs(60 + steps.len() as u64);
    let state = wait_within(limit, "the keystrokes to reach their frames", || async {
        let state = exec(client, "return window.__tableBench.typing;", vec![])
            .await
            .ok()?;
        (state["done"] == true).then_some(state)
    })
    .await?;
    if let Some(error) = state["error"].as_str() {
        return Err(error.to_owned());
    }
    let samples = state["samples"].as_array().cloned().unwrap_or_default();
    Ok(samples
        .iter()
        .map(|s| (s["ms"].as_f64().unwrap_or(0.0), s["clear"] == true))
        .collect())
}

/// p50 and p95 of each run's typing (clears excluded) and of its clears.
struct Latency {
    typing: (f64, f64),
    clearing: (f64, f64),
}

fn latency(samples: &[(f64, bool)]) -> Latency {
    let pick = |clear: bool| -> Vec<f64> {
        samples
            .iter()
            .filter(|s| s.1 == clear)
            .map(|s| s.0)
            .collect()
    };
    let (typing, clearing) = (pick(false), pick(true));
    Latency {
        typing: (percentile(&typing, 0.5), percentile(&typing, 0.95)),
        clearing: (percentile(&clearing, 0.5), percentile(&clearing, 0.95)),
    }
}

fn medians(runs: &[Latency], part: impl Fn(&Latency) -> (f64, f64)) -> (f64, f64) {
    (
        median(runs.iter().map(|r| part(r).0).collect()),
        median(runs.iter().map(|r| part(r).1).collect()),
    )
}

/// JS heap used (CDP `Performance.getMetrics`) and wasm memory, after a forced GC.
async fn memory(client: &Client) -> Result<(f64, f64), String> {
    cdp(client, "HeapProfiler.collectGarbage", json!({})).await?;
    let metrics = cdp(client, "Performance.getMetrics", json!({})).await?;
    let heap = metrics["metrics"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["name"] == "JSHeapUsedSize"))
        .and_then(|m| m["value"].as_f64())
        .ok_or("no JSHeapUsedSize in Performance.getMetrics")?;
    let wasm = exec(client, WASM_BYTES, vec![])
        .await?
        .as_f64()
        .ok_or("the wasm memory was not captured from TrunkApplicationStarted")?;
    Ok((wasm, heap))
}

/// The budget: navigation to the first table rows (with their Call buttons) painted,
/// signed in, with an empty cache: median on localhost.
const COLD_START_BUDGET_MS: f64 = 500.0;
/// The budget: the same over a 20 Mbit/s link with 40 ms of latency.
const THROTTLED_START_BUDGET_MS: f64 = 1000.0;

/// Opens the app with an empty cache; the time from navigation to the first frame
/// with table rows (ms).
async fn cold_start(client: &Client, app: &str) -> Result<f64, String> {
    cdp(client, "Network.clearBrowserCache", json!({})).await?;
    client
        .goto(app)
        .await
        .map_err(|e| format!("open {app}: {e}"))?;
    wait_within(Duration::from_secs(60), "table rows", || async {
        let v = exec(client, FIRST_PAINT, vec![]).await.ok()?;
        v["rowsAt"].as_f64()
    })
    .await
}

/// Bytes of wasm, JS and CSS the browser fetched over the network for the current
/// document (Resource Timing's `transferSize`: 0 for what came from its cache).
const ASSET_BYTES: &str = "return performance.getEntriesByType('resource')
    .filter(e => /\\.(wasm|js|css)$/.test(new URL(e.name).pathname))
    .map(e => [new URL(e.name).pathname, e.transferSize]);";

/// The bytes of wasm, JS and CSS the current document fetched, and which files.
async fn asset_bytes(client: &Client) -> Result<(f64, String), String> {
    let entries = exec(client, ASSET_BYTES, vec![]).await?;
    let mut total = 0.0;
    let mut fetched = String::new();
    for entry in entries.as_array().into_iter().flatten() {
        let bytes = entry[1].as_f64().unwrap_or(0.0);
        total += bytes;
        if bytes > 0.0 {
            fetched.push_str(&format!(
                "; {} {bytes:.0} B",
                entry[0].as_str().unwrap_or("?")
            ));
        }
    }
    Ok((total, fetched))
}

/// Cold start on localhost and over a throttled link, and what a second load fetches.
async fn start(client: &Client, args: &Args) -> Result<(), String> {
    cdp(client, "Network.enable", json!({})).await?;
    let mut local = Vec::new();
    for _ in 0..args.runs {
        local.push(cold_start(client, &args.app).await?);
    }
    let (first_bytes, _) = asset_bytes(client).await?;
    // The app again in a new navigation (not a reload of the same page), its assets now
    // in the cache.
    client
        .goto("about:blank")
        .await
        .map_err(|e| format!("leave the app: {e}"))?;
    client
        .goto(&args.app)
        .await
        .map_err(|e| format!("open {}: {e}", args.app))?;
    wait_within(Duration::from_secs(60), "table rows", || async {
        exec(client, FIRST_PAINT, vec![]).await.ok()?["rowsAt"].as_f64()
    })
    .await?;
    let (second_bytes, fetched) = asset_bytes(client).await?;
    cdp(
        client,
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 40,
                "downloadThroughput": 20_000_000 / 8, "uploadThroughput": 20_000_000 / 8 }),
    )
    .await?;
    let mut throttled = Vec::new();
    for _ in 0..args.runs {
        throttled.push(cold_start(client, &args.app).await?);
    }
    cdp(
        client,
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
    )
    .await?;
    let (local, throttled) = (median(local), median(throttled));
    println!("start, median of {} loads with an empty cache:", args.runs);
    line(
        "navigation to the first rows",
        format!("{local:.0} ms"),
        format!(
            "(budget <= {COLD_START_BUDGET_MS:.0} ms, ratio {:.2})",
            local / COLD_START_BUDGET_MS
        ),
    );
    line(
        "the same at 20 Mbit/s, 40 ms RTT",
        format!("{throttled:.0} ms"),
        format!(
            "(budget <= {THROTTLED_START_BUDGET_MS:.0} ms, ratio {:.2})",
            throttled / THROTTLED_START_BUDGET_MS
        ),
    );
    line(
        "wasm, JS and CSS fetched, first load",
        format!("{:.1} KB", first_bytes / 1024.0),
        "(as sent, compressed)".to_owned(),
    );
    line(
        "the same on a second load",
        format!("{second_bytes:.0} B"),
        format!("(budget 0 B: hashed names, immutable){fetched}"),
    );
    Ok(())
}

/// One result line: label, value right-aligned, then budget or context.
fn line(label: &str, value: String, note: String) {
    println!("  {label:<35}{value:>10}  {note}");
}

fn mb(bytes: f64) -> f64 {
    bytes / (1024.0 * 1024.0)
}

async fn bench(client: &Client, args: &Args) -> Result<(), String> {
    let keys = book(&args.app)?;
    if keys.len() != args.contacts {
        return Err(format!(
            "the proxy holds {} contacts, not {}",
            keys.len(),
            args.contacts
        ));
    }
    let steps = steps(&keys);
    drop(keys);
    cdp(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": OBSERVERS }),
    )
    .await?;
    let pages = args.contacts.div_ceil(1000) as u64;
    if args.start {
        start(client, args).await?;
    }

    let mut paints = Vec::new();
    for _ in 0..args.runs {
        paints.push(first_paint(client, &args.app).await?);
    }
    loaded(client, args.contacts, pages).await?;
    let mut app_runs = Vec::new();
    let mut idle_runs = Vec::new();
    let idle = idle_steps(&steps);
    for _ in 0..args.runs {
        app_runs.push(latency(
            &type_steps(client, "#contact-search", &steps).await?,
        ));
        idle_runs.push(latency(&type_steps(client, "#bench-idle", &idle).await?));
    }

    let paint = median(paints);
    let (p50, p95) = medians(&app_runs, |r| r.typing);
    let (idle50, idle95) = medians(&idle_runs, |r| r.typing);
    let (clear50, clear95) = medians(&app_runs, |r| r.clearing);
    let typed = steps.iter().filter(|s| s["value"] != "").count();
    println!(
        "contact table, {} contacts, median of {}:",
        spaced(args.contacts),
        args.runs
    );
    let ratio = |value: f64, budget: f64| {
        format!("(budget <= {budget:.0} ms, ratio {:.2})", value / budget)
    };
    line(
        "first paint after the first page",
        format!("{paint:.0} ms"),
        ratio(paint, FIRST_PAINT_BUDGET_MS),
    );
    line(
        "filter keystroke to frame, p50",
        format!("{p50:.1} ms"),
        format!("({typed} keystrokes a run)"),
    );
    line(
        "filter keystroke to frame, p95",
        format!("{p95:.1} ms"),
        ratio(p95, KEYSTROKE_BUDGET_MS),
    );
    line(
        "same keys, nothing listening, p95",
        format!("{idle95:.1} ms"),
        format!(
            "(p50 {idle50:.1} ms; app/idle p95 {:.1})",
            p95 / idle95.max(1e-3)
        ),
    );
    line(
        "clearing the box, p95",
        format!("{clear95:.1} ms"),
        format!("(p50 {clear50:.1} ms)"),
    );

    if args.memory {
        memory_cycles(client, args, pages).await?;
    }
    Ok(())
}

/// Loads the book, then reloads it four times; memory after each full load.
async fn memory_cycles(client: &Client, args: &Args, pages: u64) -> Result<(), String> {
    client
        .goto(&args.app)
        .await
        .map_err(|e| format!("open {}: {e}", args.app))?;
    cdp(client, "Performance.enable", json!({})).await?;
    let mut fetched = loaded(client, args.contacts, pages).await?;
    let mut cycles = vec![memory(client).await?];
    for _ in 1..5 {
        client
            .find(Locator::Id("contacts-reload"))
            .await
            .map_err(|e| format!("find #contacts-reload: {e}"))?
            .click()
            .await
            .map_err(|e| format!("click #contacts-reload: {e}"))?;
        fetched = loaded(client, args.contacts, fetched + pages).await?;
        cycles.push(memory(client).await?);
    }
    let (wasm1, heap1) = cycles[0];
    let first = wasm1 + heap1;
    println!(
        "memory, {} contacts loaded 5 times (#contacts-reload), after a forced GC:",
        spaced(args.contacts)
    );
    for (i, (wasm, heap)) in cycles.iter().enumerate() {
        let total = wasm + heap;
        let note = if i == 0 {
            "(the reference)".to_owned()
        } else {
            format!(
                "ratio {:.2} (budget {:.2} to {:.2})",
                total / first,
                1.0 - MEMORY_BUDGET,
                1.0 + MEMORY_BUDGET
            )
        };
        line(
            &format!(
                "cycle {}: wasm {:.1} + JS heap {:.1} MB",
                i + 1,
                mb(*wasm),
                mb(*heap)
            ),
            format!("{:.1} MB", mb(total)),
            note,
        );
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    run_headless("dialdesk-table-bench", |client| async move {
        bench(&client, &args).await
    })
    .await
}
