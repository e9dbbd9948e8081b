//! Headless Chromium through chromedriver, with the one list of flags every browser run uses.

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// Chromium flags used everywhere (webdriver.json, end-to-end, benchmarks).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
];

/// How long any awaited condition may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// Polls `probe` until it yields a value or `WAIT` passes.
pub async fn wait_until<T, F, Fut>(what: &str, probe: F) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    wait_within(WAIT, what, probe).await
}

/// Polls `probe` until it yields a value or `limit` passes: for the few conditions
/// that take longer than `WAIT` by design, such as loading a 100 000-contact book.
pub async fn wait_within<T, F, Fut>(limit: Duration, what: &str, mut probe: F) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe().await {
            return Ok(value);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {limit:?} waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// A chromedriver process and a WebDriver session on a fresh profile.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver (`CHROMEDRIVER`, default `/usr/bin/chromedriver`) and a session.
    pub async fn start() -> Result<Self, String> {
        Self::start_with(false).await
    }

    /// Like [`Browser::start`]; with `network_log`, chromedriver records the DevTools
    /// `Network.*` events of every page, for [`Browser::network_events`].
    pub async fn start_with(network_log: bool) -> Result<Self, String> {
        let port = free_port()?;
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let mut driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {driver_path}: {e} (run `cargo xtask setup`)"))?;
        match Self::session(port, network_log).await {
            Ok((client, profile)) => Ok(Self {
                client,
                driver,
                _profile: profile,
            }),
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                Err(e)
            }
        }
    }

    async fn session(port: u16, network_log: bool) -> Result<(Client, tempfile::TempDir), String> {
        wait_until("chromedriver to listen", || async {
            TcpStream::connect(("127.0.0.1", port)).ok().map(|_| ())
        })
        .await?;
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push("--window-size=1400,900".into());
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut caps = json!({
            "goog:chromeOptions": { "binary": binary, "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        if network_log {
            caps["goog:loggingPrefs"]["performance"] = json!("ALL");
            caps["goog:chromeOptions"]["perfLoggingPrefs"] =
                json!({ "enableNetwork": true, "enablePage": false });
        }
        let caps = caps.as_object().cloned().unwrap_or_default();
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| format!("cannot open a Chromium session: {e}"))?;
        Ok((client, profile))
    }

    /// The browser console since the last call, one line per entry (chromedriver's log
    /// endpoint); empty when it cannot be read.
    pub async fn console(&self) -> Vec<String> {
        let log = SessionPost {
            path: "se/log",
            body: r#"{"type":"browser"}"#.to_owned(),
        };
        let Ok(Value::Array(entries)) = self.client.issue_cmd(log).await else {
            return Vec::new();
        };
        entries
            .iter()
            .map(|e| {
                format!(
                    "[{}] {}",
                    e["level"].as_str().unwrap_or("?"),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    /// The DevTools `Network.*` events since the last call, each `{method, params}`
    /// (only with [`Browser::start_with`]`(true)`; empty otherwise).
    pub async fn network_events(&self) -> Result<Vec<Value>, String> {
        let log = SessionPost {
            path: "se/log",
            body: r#"{"type":"performance"}"#.to_owned(),
        };
        let entries = match self.client.issue_cmd(log).await {
            Ok(Value::Array(entries)) => entries,
            Ok(other) => return Err(format!("unexpected performance log: {other}")),
            Err(e) => return Err(format!("read the performance log: {e}")),
        };
        Ok(entries
            .iter()
            .filter_map(|e| e["message"].as_str())
            .filter_map(|m| serde_json::from_str::<Value>(m).ok())
            .map(|mut m| m["message"].take())
            .filter(|m| {
                m["method"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("Network."))
            })
            .collect())
    }

    /// Ends the session and chromedriver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Signs the browser in to the app at `app` as `email` through the Zoom emulator's
/// sign-in page, as a rep would: `/auth/login` (which sends the browser to the
/// emulator), the user's button, and back on the app, signed in.
pub async fn sign_in(client: &Client, app: &str, email: &str) -> Result<(), String> {
    client
        .goto(&format!("{app}/auth/login"))
        .await
        .map_err(|e| format!("open {app}/auth/login: {e}"))?;
    click_sign_in_button(client, app, email).await
}

/// On the emulator's sign-in page: clicks `email`'s button and waits until the browser
/// is back on the app at `app` (a failed sign-in is an error with the proxy's reason).
pub async fn click_sign_in_button(client: &Client, app: &str, email: &str) -> Result<(), String> {
    let css = format!("button[name=user][data-user=\"{email}\"]");
    let button = wait_until(
        &format!("the emulator's sign-in button for {email}"),
        || async { client.find(Locator::Css(&css)).await.ok() },
    )
    .await?;
    button
        .click()
        .await
        .map_err(|e| format!("click the sign-in button for {email}: {e}"))?;
    wait_until("the browser to be back on the app, signed in", || async {
        if let Ok(failure) = client.find(Locator::Id("sign-in-error")).await {
            let reason = failure.text().await.unwrap_or_default();
            return Some(Err(format!("sign-in failed: {reason}")));
        }
        let url = client.current_url().await.ok()?;
        let back = url.as_str().starts_with(app) && !url.path().starts_with("/auth/");
        back.then_some(Ok(()))
    })
    .await?
}

/// Sends a Chrome DevTools Protocol command to the current page through chromedriver
/// (`POST /session/{id}/goog/cdp/execute`) and returns its result.
pub async fn cdp(client: &Client, cmd: &str, params: Value) -> Result<Value, String> {
    let body = json!({ "cmd": cmd, "params": params }).to_string();
    client
        .issue_cmd(SessionPost {
            path: "goog/cdp/execute",
            body,
        })
        .await
        .map_err(|e| format!("CDP {cmd}: {e}"))
}

/// Makes the page's viewport exactly `width` × `height` CSS pixels (a laptop's
/// 1366×650 once the browser's own bars are taken off, say).
pub async fn set_viewport(client: &Client, width: u32, height: u32) -> Result<(), String> {
    cdp(
        client,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
    )
    .await
    .map(drop)
}

/// A chromedriver command `POST /session/{id}/{path}` with a JSON `body`, for the
/// endpoints fantoccini has no method for.
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: String,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

/// Runs `task` in a fresh headless browser, for the command-line drivers (smoke, bench):
/// errors are printed as one line prefixed by `name`, and become a failing exit code.
pub async fn run_headless<F, Fut>(name: &str, task: F) -> std::process::ExitCode
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let browser = match Browser::start().await {
        Ok(browser) => browser,
        Err(e) => {
            eprintln!("{name}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = task(browser.client.clone()).await;
    browser.close().await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
