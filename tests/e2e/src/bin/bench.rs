//! `dialdesk-bench`: the Smart Embed event path. The simulator posts a
//! burst of N events into the app, then into a page holding only the same simulator
//! frame and an empty listener; both rates are printed with their ratio (median of
//! the runs), after checking the app applied all N.

use std::process::ExitCode;

use clap::Parser;
use dialdesk_e2e::{run_headless, wait_until};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

#[derive(Parser)]
struct Args {
    /// The app's URL.
    #[arg(long)]
    app: String,
    /// The simulator's URL.
    #[arg(long)]
    sim: String,
    /// Events per burst.
    #[arg(long, default_value_t = 2000)]
    count: u32,
    /// Bursts per page; the median is printed.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

/// Installs a passive listener on the top page that times the burst's messages.
const LISTEN: &str = r#"
window.__bench = { n: 0, first: 0, last: 0 };
window.addEventListener('message', (e) => {
  const d = e.data;
  if (d && d.type === 'zp-call-connected-event' && d.data && String(d.data.callId).startsWith('burst')) {
    const b = window.__bench;
    const t = performance.now();
    if (b.n === 0) b.first = t;
    b.n += 1;
    b.last = t;
  }
});
return true;"#;

const RESET: &str = "window.__bench = { n: 0, first: 0, last: 0 }; return true;";
const READ: &str = "return window.__bench;";

/// Builds the baseline page: the simulator frame and nothing else.
const BASELINE: &str = r#"
document.body.replaceChildren();
const f = document.createElement('iframe');
f.id = 'zoom-embeddable-phone-iframe';
f.width = 380; f.height = 640;
f.src = arguments[0];
document.body.appendChild(f);
return true;"#;

async fn enter_embed(client: &Client) -> Result<(), String> {
    let frame = client
        .find(Locator::Id("zoom-embeddable-phone-iframe"))
        .await
        .map_err(|e| format!("find the embed: {e}"))?;
    frame
        .enter_frame()
        .await
        .map_err(|e| format!("enter the embed: {e}"))
}

async fn exec(client: &Client, script: &str, args: Vec<Value>) -> Result<Value, String> {
    client
        .execute(script, args)
        .await
        .map_err(|e| format!("script failed: {e}"))
}

/// Runs one burst from inside the embed and returns the receiving rate (events/s).
async fn burst(client: &Client, count: u32) -> Result<f64, String> {
    exec(client, RESET, vec![]).await?;
    enter_embed(client).await?;
    let sent = exec(
        client,
        "return window.sim.burst(arguments[0]).then(() => true);",
        vec![json!(count)],
    )
    .await;
    client
        .enter_parent_frame()
        .await
        .map_err(|e| format!("leave the embed: {e}"))?;
    sent?;
    let (first, last) = wait_until("every burst event to arrive", || async {
        let b = exec(client, READ, vec![]).await.ok()?;
        (b["n"].as_u64()? >= u64::from(count)).then(|| {
            (
                b["first"].as_f64().unwrap_or(0.0),
                b["last"].as_f64().unwrap_or(0.0),
            )
        })
    })
    .await?;
    let seconds = ((last - first) / 1000.0).max(1e-3);
    Ok(f64::from(count) / seconds)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

async fn accepted(client: &Client) -> u64 {
    let Ok(pane) = client.find(Locator::Css(".embed-pane")).await else {
        return 0;
    };
    pane.attr("data-accepted")
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn bench(client: &Client, args: &Args) -> Result<(), String> {
    client
        .goto(&args.app)
        .await
        .map_err(|e| format!("open {}: {e}", args.app))?;
    wait_until("the app's Smart Embed to load", || async {
        let pane = client
            .find(Locator::Css(".embed-pane[data-ready='true']"))
            .await;
        pane.ok().map(|_| ())
    })
    .await?;
    exec(client, LISTEN, vec![]).await?;
    let mut app_rates = Vec::new();
    for _ in 0..args.runs {
        let before = accepted(client).await;
        app_rates.push(burst(client, args.count).await?);
        let target = before + u64::from(args.count);
        wait_until("the app to apply every burst event", || async {
            (accepted(client).await >= target).then_some(())
        })
        .await?;
    }

    let embed_url = format!("{}/integration/phone/embeddablephone/home", args.sim);
    client
        .goto(&format!("{}/api/health", args.app))
        .await
        .map_err(|e| format!("open the baseline page: {e}"))?;
    exec(client, BASELINE, vec![json!(embed_url)]).await?;
    enter_embed(client).await?;
    wait_until("the simulator page in the baseline", || async {
        let ready = exec(client, "return !!(window.sim && window.sim.burst);", vec![]).await;
        (ready.ok()? == Value::Bool(true)).then_some(())
    })
    .await?;
    client
        .enter_parent_frame()
        .await
        .map_err(|e| format!("leave the embed: {e}"))?;
    exec(client, LISTEN, vec![]).await?;
    let mut empty_rates = Vec::new();
    for _ in 0..args.runs {
        empty_rates.push(burst(client, args.count).await?);
    }

    let (app, empty) = (median(app_rates), median(empty_rates));
    println!(
        "smart embed events, {} per burst, median of {}:",
        args.count, args.runs
    );
    println!("  into the app        {app:>10.0} events/s (all applied)");
    println!("  into an empty page  {empty:>10.0} events/s");
    println!(
        "  ratio               {:>10.2} (budget >= 0.50)",
        app / empty
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    run_headless("dialdesk-bench", |client| async move {
        bench(&client, &args).await
    })
    .await
}
