//! One end-to-end test's world: its own simulator, proxy, database and browser.

use std::path::PathBuf;
use std::sync::OnceLock;

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::api::{ProxyClient, Reply, AVA};
use crate::browser::{wait_until, Browser};
use crate::stack::{Auth, Stack, StackOptions};

/// Processes and browser for one test; everything stops when it is dropped.
pub struct Harness {
    /// The browser session.
    pub browser: Browser,
    /// The simulator and proxy.
    pub stack: Stack,
    /// The test's own HTTP client of the proxy (signed in as [`AVA`] on first use).
    pub api: ProxyClient,
    _dir: tempfile::TempDir,
}

/// How a test's world is set up; [`Setup::default`] is an empty book, no simulator
/// arguments, built-in configuration, and sign-in with Zoom.
#[derive(Clone, Copy)]
pub struct Setup<'a> {
    /// Demo contacts to seed.
    pub seed: u32,
    /// Extra simulator arguments, such as `--step`.
    pub sim_args: &'a [&'a str],
    /// A `dialdesk.toml` (a `[guard]` section replaces the all-day calling window).
    pub toml: Option<&'a str>,
    /// Have the simulator's `sdk.js` stand-in create the embed.
    pub sdk_loader: bool,
    /// Sign-in with Zoom (the default); `false`: `DIALDESK_AUTH=none`.
    pub zoom: bool,
    /// Run the proxy at `RUST_LOG=trace`, its log kept for [`Harness::proxy_log`].
    pub trace_proxy: bool,
    /// Record the browser's DevTools network events ([`Browser::network_events`]).
    pub network_log: bool,
}

impl Default for Setup<'_> {
    fn default() -> Self {
        Self {
            seed: 0,
            sim_args: &[],
            toml: None,
            sdk_loader: false,
            zoom: true,
            trace_proxy: false,
            network_log: false,
        }
    }
}

/// `GET` a URL and decode its JSON body.
fn get_json(url: &str) -> Result<Value, String> {
    let mut response = ureq::get(url)
        .call()
        .map_err(|e| format!("GET {url}: {e}"))?;
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("GET {url}: {e}"))?;
    serde_json::from_str(&body).map_err(|e| format!("GET {url}: {e}"))
}

fn env_path(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{name} is not set: run the end-to-end tests with `cargo xtask test`")
        })
}

/// The axe-core script (`DIALDESK_AXE`, installed by `cargo xtask setup`), read once.
fn axe_source() -> Result<&'static str, String> {
    static SOURCE: OnceLock<Result<String, String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let path = env_path("DIALDESK_AXE");
            std::fs::read_to_string(&path)
                .map_err(|e| format!("read axe-core at {}: {e}", path.display()))
        })
        .as_ref()
        .map(String::as_str)
        .map_err(Clone::clone)
}

/// Unless a test configures the call guard, its calling window is open all day, so
/// calls never depend on the hour the tests run at.
const OPEN_ALL_DAY: &str = "\n[guard]\ncalling_window = \"00:00-24:00\"\n";

impl Harness {
    /// Starts the stack (binaries from `DIALDESK_BIN_DIR`, app from `DIALDESK_DIST`) with
    /// `seed` demo contacts and extra simulator arguments, and a browser.
    pub async fn start(seed: u32, sim_args: &[&str]) -> Self {
        Self::start_with_config(seed, sim_args, None).await
    }

    /// Like [`Harness::start`], with a `dialdesk.toml` for the proxy (a `[guard]`
    /// section replaces the all-day calling window).
    pub async fn start_with_config(seed: u32, sim_args: &[&str], toml: Option<&str>) -> Self {
        Self::start_with(seed, sim_args, toml, false).await
    }

    /// Like [`Harness::start_with_config`]; `sdk_loader` has the simulator's `sdk.js`
    /// stand-in create the embed.
    pub async fn start_with(
        seed: u32,
        sim_args: &[&str],
        toml: Option<&str>,
        sdk_loader: bool,
    ) -> Self {
        Self::set_up(Setup {
            seed,
            sim_args,
            toml,
            sdk_loader,
            ..Setup::default()
        })
        .await
    }

    /// Starts the world `setup` describes.
    pub async fn set_up(setup: Setup<'_>) -> Self {
        let Setup {
            seed,
            sim_args,
            toml,
            sdk_loader,
            zoom,
            trace_proxy,
            network_log,
        } = setup;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut text = toml.unwrap_or_default().to_owned();
        if !text.contains("[guard]") {
            text.push_str(OPEN_ALL_DAY);
        }
        // Ava, the emulator's account owner, is the admin (imports, Zoom syncs).
        if zoom && !text.contains("[roles]") {
            text.push_str(&format!("\n[roles]\nadmins = [{AVA:?}]\n"));
        }
        // The per-session request limit is a proxy test's business, not the browser's.
        if zoom && !text.contains("[limits]") {
            text.push_str("\n[limits]\napi_requests_per_minute = 1000000\n");
        }
        let config = dir.path().join("dialdesk.toml");
        std::fs::write(&config, text).expect("write dialdesk.toml");
        let config = Some(config);
        let stack = Stack::start(&StackOptions {
            bin_dir: env_path("DIALDESK_BIN_DIR"),
            dist: env_path("DIALDESK_DIST"),
            app_port: 0,
            sim_port: 0,
            db: dir.path().join("e2e.db"),
            seed,
            sim_args: sim_args.iter().map(|a| (*a).to_owned()).collect(),
            config,
            sdk_loader,
            auth: if zoom {
                Auth::zoom().expect("random Zoom credentials")
            } else {
                Auth::None
            },
            proxy_trace_log: trace_proxy.then(|| dir.path().join("proxy-trace.log")),
        })
        .expect("stack starts");
        let browser = Browser::start_with(network_log)
            .await
            .expect("browser starts");
        let api = ProxyClient::new(&stack.proxy.url, zoom.then_some(AVA));
        Self {
            browser,
            stack,
            api,
            _dir: dir,
        }
    }

    /// What the proxy has logged so far (with [`Setup::trace_proxy`]; empty otherwise).
    pub fn proxy_log(&self) -> String {
        self.stack
            .proxy_trace_log()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default()
    }

    /// Signs the browser in as `email` through the emulator's sign-in page, as a rep
    /// would: `/auth/login`, the user's button, back on the app. Without sign-in
    /// (`DIALDESK_AUTH=none`) just opens the app.
    pub async fn sign_in(&self, email: &str) -> Result<(), String> {
        let app = &self.stack.proxy.url;
        if !self.stack.signs_in() {
            return self
                .client()
                .goto(app)
                .await
                .map_err(|e| format!("open the app: {e}"));
        }
        crate::browser::sign_in(self.client(), app, email).await
    }

    /// On the emulator's sign-in page: clicks `email`'s button and waits until the
    /// browser is back on the app, signed in.
    pub async fn click_sign_in_button(&self, email: &str) -> Result<(), String> {
        crate::browser::click_sign_in_button(self.client(), &self.stack.proxy.url, email).await
    }

    /// Waits until the app shows its sign-in screen.
    pub async fn sign_in_screen(&self) -> Result<(), String> {
        wait_until("the sign-in screen", || async {
            self.client()
                .find(Locator::Id("sign-in"))
                .await
                .ok()
                .map(|_| ())
        })
        .await
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        &self.browser.client
    }

    /// Opens the app as a rep would: if it shows its sign-in screen, signs in as
    /// [`AVA`] through [`Harness::sign_in`] (a browser already signed in, such as a
    /// second tab, keeps its session); then waits until contacts are listed and the
    /// embed has loaded.
    pub async fn open_app(&self) -> Result<(), String> {
        self.client()
            .goto(&self.stack.proxy.url)
            .await
            .map_err(|e| format!("open the app: {e}"))?;
        if self.stack.signs_in() {
            let signed_in = wait_until("the app or its sign-in screen", || async {
                if self.client().find(Locator::Id("sign-in")).await.is_ok() {
                    return Some(false);
                }
                let user = self.client().find(Locator::Css(".signed-in-user")).await;
                user.is_ok().then_some(true)
            })
            .await?;
            if !signed_in {
                self.sign_in(AVA).await?;
            }
        }
        wait_until("the contact table and a ready Smart Embed", || async {
            let ready = self
                .attribute(".embed-pane", "data-ready")
                .await
                .is_some_and(|v| v == "true");
            let row = self
                .client()
                .find(Locator::Css("tbody tr[data-contact-id]"))
                .await
                .is_ok();
            (ready && row).then_some(())
        })
        .await
    }

    /// The first row of the contact table: its name and the phone as shown.
    pub async fn first_row(&self) -> Result<(String, String), String> {
        let name = self.text("tbody tr[data-contact-id] td.name").await;
        let phone = self.text("tbody tr[data-contact-id] td.phone").await;
        name.zip(phone)
            .ok_or_else(|| "the table has no row".to_owned())
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Result<(), String> {
        self.client()
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e}"))?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e}"))
    }

    /// An attribute of the first element matching `css`.
    pub async fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let element = self.client().find(Locator::Css(css)).await.ok()?;
        element.attr(name).await.ok().flatten()
    }

    /// An attribute of every element matching `css`, in document order.
    pub async fn attributes(&self, css: &str, name: &str) -> Result<Vec<String>, String> {
        let elements = self
            .client()
            .find_all(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e}"))?;
        let mut values = Vec::with_capacity(elements.len());
        for element in elements {
            let value = element
                .attr(name)
                .await
                .map_err(|e| format!("{css}: {e}"))?;
            values.extend(value);
        }
        Ok(values)
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> Option<String> {
        let element = self.client().find(Locator::Css(css)).await.ok()?;
        element.text().await.ok()
    }

    /// The call banner's phase and text.
    pub async fn banner(&self) -> (String, String) {
        let phase = self
            .attribute(".call-banner", "data-phase")
            .await
            .unwrap_or_default();
        (phase, self.text(".call-banner").await.unwrap_or_default())
    }

    /// The bridge's count of rejected messages.
    pub async fn rejected(&self) -> u32 {
        self.attribute(".embed-pane", "data-rejected")
            .await
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// Waits until the banner is in `phase` and its text contains `needle`.
    pub async fn wait_for_banner(&self, phase: &str, needle: &str) -> Result<String, String> {
        wait_until(
            &format!("the call banner to show {phase} with {needle:?}"),
            || async {
                let (now, text) = self.banner().await;
                (now == phase && text.contains(needle)).then_some(text)
            },
        )
        .await
    }

    /// Runs `script` inside the Smart Embed iframe (the simulator page).
    pub async fn in_embed(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        let frame = self
            .client()
            .find(Locator::Id("zoom-embeddable-phone-iframe"))
            .await
            .map_err(|e| format!("find the embed iframe: {e}"))?;
        frame
            .enter_frame()
            .await
            .map_err(|e| format!("enter the embed iframe: {e}"))?;
        let result = self.client().execute(script, args).await;
        self.client()
            .enter_parent_frame()
            .await
            .map_err(|e| format!("leave the embed iframe: {e}"))?;
        result.map_err(|e| format!("script in the embed failed: {e}"))
    }

    /// Checks the page as it stands with axe-core (Zoom's embed iframe left out: it is
    /// not ours), as a screen reader user would meet `state`: fails naming every serious
    /// or critical violation. axe is injected through WebDriver, which the page's CSP
    /// does not apply to, so the app runs under its real policy.
    pub async fn accessible(&self, state: &str) -> Result<(), String> {
        let loaded = self
            .exec("return typeof window.axe === 'object';", vec![])
            .await?;
        if loaded != Value::Bool(true) {
            let source = axe_source()?;
            self.exec(&format!("{source}\nreturn true;"), vec![])
                .await
                .map_err(|e| format!("inject axe-core: {e}"))?;
        }
        let found = self
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run({ exclude: [['#zoom-embeddable-phone-iframe'], ['#zoom-embed-host']] },
                         { resultTypes: ['violations'] })
                   .then(r => done({ passed: r.passes.length, violations: r.violations
                       .filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                           + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')) }),
                         e => done({ passed: 0, violations: ['axe failed: ' + e] }));",
                vec![],
            )
            .await
            .map_err(|e| format!("run axe-core: {e}"))?;
        // Rules that passed show that axe looked at the page at all.
        let looked = found["passed"].as_u64().unwrap_or(0) > 0;
        match found["violations"].as_array() {
            Some(list) if list.is_empty() && looked => Ok(()),
            _ => Err(format!("{state}: accessibility violations: {found}")),
        }
    }

    /// Runs `script` in the app's page and returns its result.
    pub async fn exec(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.client()
            .execute(script, args)
            .await
            .map_err(|e| format!("script in the page failed: {e}"))
    }

    /// `GET` a proxy route with the test's session and decode its JSON body (an error
    /// unless 2xx).
    pub fn proxy_get(&self, path: &str) -> Result<Value, String> {
        self.api.get_json(path)
    }

    /// Sends a JSON `body` to a state-changing proxy route with the test's session and
    /// CSRF token. Returns the status.
    pub fn proxy_send(&self, method: &str, path: &str, body: &Value) -> Result<u16, String> {
        Ok(self.api.request(method, path, Some(body))?.status)
    }

    /// Any request to the proxy with the test's session: status and body.
    pub fn proxy_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, String> {
        self.api.request(method, path, body)
    }

    /// `GET` a Zoom emulator hook (`/__emu/...`).
    pub fn emu_get(&self, path: &str) -> Result<Value, String> {
        get_json(&format!("{}{path}", self.stack.emulator.oauth_base))
    }

    /// `POST` a JSON body to a Zoom emulator hook (`/__emu/faults`, ...).
    pub fn emu_post(&self, path: &str, body: &Value) -> Result<(), String> {
        let url = format!("{}{path}", self.stack.emulator.oauth_base);
        ureq::post(&url)
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .map(|_| ())
            .map_err(|e| format!("POST {url}: {e}"))
    }

    /// The whole contact book as the proxy pages it (`GET /api/contacts`), in id order.
    pub fn book(&self) -> Result<Vec<Value>, String> {
        let mut contacts = Vec::new();
        let mut path = "/api/contacts".to_owned();
        loop {
            let mut page = self.proxy_get(&path)?;
            if let Value::Array(items) = page["contacts"].take() {
                contacts.extend(items);
            }
            match page["nextCursor"].as_i64() {
                Some(next) => path = format!("/api/contacts?after={next}"),
                None => return Ok(contacts),
            }
        }
    }

    /// `GET` a simulator control route.
    pub fn sim_get(&self, path: &str) -> Result<Value, String> {
        get_json(&format!("{}{path}", self.stack.sim.url))
    }

    /// `POST` a JSON body to a simulator control route.
    pub fn sim_post(&self, path: &str, body: &Value) -> Result<(), String> {
        let url = format!("{}{path}", self.stack.sim.url);
        ureq::post(&url)
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .map(|_| ())
            .map_err(|e| format!("POST {url}: {e}"))
    }

    /// Runs a simulator scenario with its options (`null`: none).
    pub fn scenario(&self, name: &str, options: &Value) -> Result<(), String> {
        let options = if options.is_null() {
            &Value::Object(serde_json::Map::new())
        } else {
            options
        };
        self.sim_post(&format!("/__sim/scenario/{name}"), options)
    }

    /// Waits until no simulator scenario holds the phone.
    pub async fn scenario_finished(&self) -> Result<(), String> {
        wait_until("the simulator scenario to finish", || async {
            let state = self.sim_get("/__sim/state").ok()?;
            state["scenario"].is_null().then_some(())
        })
        .await
    }

    /// The proxy's journal of one call.
    pub fn journal(&self, root_call_id: &str) -> Result<Vec<Value>, String> {
        match self.proxy_get(&format!("/api/calls/{root_call_id}/events"))? {
            Value::Array(entries) => Ok(entries),
            other => Err(format!("unexpected journal: {other}")),
        }
    }

    /// The call id the banner shows.
    pub async fn banner_call_id(&self) -> String {
        self.attribute(".call-banner", "data-call-id")
            .await
            .unwrap_or_default()
    }

    /// Messages the simulator received from the app, in order.
    pub fn sim_received(&self) -> Result<Vec<Value>, String> {
        match self.sim_get("/__sim/received")? {
            Value::Array(items) => Ok(items),
            other => Err(format!("unexpected /__sim/received: {other}")),
        }
    }

    /// Content-Security-Policy violations the page recorded.
    pub async fn csp_violations(&self) -> Vec<String> {
        let value = self
            .client()
            .execute(
                "return window.__cspViolations || ['recorder missing'];",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
        serde_json::from_value(value).unwrap_or_else(|_| vec!["unreadable".into()])
    }

    /// Ends the test: on error saves a screenshot and prints what the page showed;
    /// in every case fails on a CSP violation; then closes the browser.
    pub async fn finish(self, name: &str, result: Result<(), String>) {
        let violations = self.csp_violations().await;
        let failure = match result {
            Err(e) => Some(e),
            Ok(()) if !violations.is_empty() => Some(format!("CSP violations: {violations:?}")),
            Ok(()) => None,
        };
        if let Some(failure) = &failure {
            self.report(name).await;
            eprintln!("{name}: {failure}; CSP violations: {violations:?}");
        }
        let Harness {
            browser,
            stack,
            api,
            _dir,
        } = self;
        browser.close().await;
        drop(api);
        drop(stack);
        drop(_dir);
        if let Some(failure) = failure {
            panic!("{name}: {failure}");
        }
    }

    async fn report(&self, name: &str) {
        let dir = std::env::temp_dir().join("dialdesk-e2e-failures");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client().screenshot().await {
            let path = dir.join(format!("{name}.png"));
            if std::fs::write(&path, png).is_ok() {
                eprintln!("{name}: screenshot saved to {}", path.display());
            }
        }
        for line in self.browser.console().await {
            eprintln!("{name}: console: {line}");
        }
        let body = self.text("body").await.unwrap_or_default();
        eprintln!("{name}: page text:\n{body}");
        if let Ok(received) = self.sim_received() {
            eprintln!(
                "{name}: simulator received {} messages: {received:?}",
                received.len()
            );
        }
    }
}
