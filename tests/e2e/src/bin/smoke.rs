//! `dialdesk-smoke`: the demo smoke run. Against a running demo, signs in through the
//! Zoom emulator's sign-in page (unless the demo runs without sign-in), clicks the first
//! call button, waits for "connected", saves a screenshot, exits 0.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use dialdesk_e2e::{run_headless, sign_in, wait_until};
use fantoccini::{Client, Locator};

#[derive(Parser)]
struct Args {
    /// The app's URL.
    #[arg(long)]
    app: String,
    /// The simulator's URL (for the report).
    #[arg(long)]
    sim: String,
    /// Where to save the screenshot.
    #[arg(long)]
    screenshot: PathBuf,
    /// Sign in with Zoom as this emulated user first (the demo's default mode).
    #[arg(long, value_name = "EMAIL")]
    sign_in_as: Option<String>,
}

async fn attribute(client: &Client, css: &str, name: &str) -> Option<String> {
    let element = client.find(Locator::Css(css)).await.ok()?;
    element.attr(name).await.ok().flatten()
}

async fn smoke(client: &Client, args: &Args) -> Result<(), String> {
    match &args.sign_in_as {
        Some(email) => sign_in(client, &args.app, email).await?,
        None => client
            .goto(&args.app)
            .await
            .map_err(|e| format!("open {}: {e}", args.app))?,
    }
    let button = wait_until("a call button and a ready Smart Embed", || async {
        let ready = attribute(client, ".embed-pane", "data-ready").await;
        let button = client
            .find(Locator::Css("button.call-button:not([disabled])"))
            .await;
        match (ready.as_deref(), button) {
            (Some("true"), Ok(button)) => Some(button),
            _ => None,
        }
    })
    .await?;
    button
        .click()
        .await
        .map_err(|e| format!("click call: {e}"))?;
    // Outside the contact's calling hours the demo's guard asks first: confirm, as
    // the rep would.
    wait_until("the banner to show connected", || async {
        if let Ok(confirm) = client.find(Locator::Css("button.confirm-button")).await {
            let _ = confirm.click().await;
        }
        let phase = attribute(client, ".call-banner", "data-phase").await;
        (phase.as_deref() == Some("connected")).then_some(())
    })
    .await?;
    let violations = client
        .execute(
            "return window.__cspViolations || ['recorder missing'];",
            vec![],
        )
        .await
        .map_err(|e| format!("read CSP violations: {e}"))?;
    if violations.as_array().is_none_or(|v| !v.is_empty()) {
        return Err(format!("CSP violations: {violations}"));
    }
    let png = client
        .screenshot()
        .await
        .map_err(|e| format!("screenshot: {e}"))?;
    std::fs::write(&args.screenshot, png)
        .map_err(|e| format!("write {}: {e}", args.screenshot.display()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    run_headless("dialdesk-smoke", |client| async move {
        smoke(&client, &args)
            .await
            .map_err(|e| format!("{e} (app {}, simulator {})", args.app, args.sim))
    })
    .await
}
