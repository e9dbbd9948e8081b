//! `dialdesk-smoke`: the demo smoke run. Against a running demo, signs in through the
//! Zoom emulator's sign-in page (unless the demo runs without sign-in), clicks the first
//! call button, waits for "connected", saves a screenshot, exits 0. With `--screens`,
//! it then hangs up and saves the README's screenshots: the workspace during a call and
//! with the disposition panel open, in a 1366×650 and a 1920×1080 viewport.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use dialdesk_e2e::{run_headless, set_viewport, sign_in, wait_until};
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
    /// Also save the README's screenshots into this folder.
    #[arg(long, value_name = "DIR")]
    screens: Option<PathBuf>,
}

async fn attribute(client: &Client, css: &str, name: &str) -> Option<String> {
    let element = client.find(Locator::Css(css)).await.ok()?;
    element.attr(name).await.ok().flatten()
}

async fn save(client: &Client, path: &Path) -> Result<(), String> {
    let png = client
        .screenshot()
        .await
        .map_err(|e| format!("screenshot: {e}"))?;
    std::fs::write(path, png).map_err(|e| format!("write {}: {e}", path.display()))
}

/// Ends the call in the simulator, as the rep would, and waits for the disposition
/// panel.
async fn hang_up(client: &Client) -> Result<(), String> {
    let frame = client
        .find(Locator::Id("zoom-embeddable-phone-iframe"))
        .await
        .map_err(|e| format!("find the embed: {e}"))?;
    frame
        .enter_frame()
        .await
        .map_err(|e| format!("enter the embed: {e}"))?;
    let clicked = client
        .execute("document.getElementById('sim-hangup').click();", vec![])
        .await;
    client
        .enter_parent_frame()
        .await
        .map_err(|e| format!("leave the embed: {e}"))?;
    clicked.map_err(|e| format!("hang up: {e}"))?;
    wait_until("the disposition panel", || async {
        let hidden = attribute(client, ".disposition-panel", "hidden").await;
        let form = client.find(Locator::Css("#log-disposition")).await;
        (hidden.is_none() && form.is_ok()).then_some(())
    })
    .await
}

/// The README's screenshots, during the call and after it.
async fn screens(client: &Client, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    set_viewport(client, 1366, 650).await?;
    save(client, &dir.join("call-1366x650.png")).await?;
    hang_up(client).await?;
    save(client, &dir.join("disposition-1366x650.png")).await?;
    set_viewport(client, 1920, 1080).await?;
    save(client, &dir.join("disposition-1920x1080.png")).await
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
        if let Ok(consent) = client.find(Locator::Css(".dnc-consent input")).await {
            let _ = consent.click().await;
        }
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
    save(client, &args.screenshot).await?;
    match &args.screens {
        Some(dir) => screens(client, dir).await,
        None => Ok(()),
    }
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
