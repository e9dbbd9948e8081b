//! The simulator and the proxy as child processes, stopped on drop.
//!
//! Standard library only: `cargo xtask` compiles this same file (`#[path]`) for the
//! demo, so the demo and the end-to-end tests start the stack the same way.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a service may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running child process, stopped when dropped.
pub struct Service {
    name: &'static str,
    child: Child,
    /// The base URL the service printed.
    pub url: String,
    /// Further stdout lines after the address line, as printed.
    pub extra_lines: mpsc::Receiver<String>,
}

impl Service {
    /// Starts `cmd` and waits for the stdout line `<prefix>URL`.
    pub fn start(name: &'static str, mut cmd: Command, prefix: &str) -> Result<Self, String> {
        cmd.stdout(Stdio::piped()).stderr(Stdio::inherit());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (url_tx, url_rx) = mpsc::channel();
        let (line_tx, line_rx) = mpsc::channel();
        let prefix = prefix.to_owned();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                match line.strip_prefix(&prefix) {
                    Some(url) if !sent => {
                        sent = true;
                        let _ = url_tx.send(url.trim().to_owned());
                    }
                    _ => {
                        println!("{line}");
                        let _ = line_tx.send(line);
                    }
                }
            }
        });
        match url_rx.recv_timeout(START_TIMEOUT) {
            Ok(url) => Ok(Self {
                name,
                child,
                url,
                extra_lines: line_rx,
            }),
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
                Err(format!(
                    "{name} did not start ({status}); see its message above"
                ))
            }
        }
    }

    /// Stops the process now (SIGTERM, then SIGKILL if it lingers).
    pub fn stop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// `Some(reason)` once the process has exited.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!("{} exited ({status})", self.name)),
            Ok(None) => None,
            Err(e) => Some(format!("{}: {e}", self.name)),
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        // SIGTERM first so the proxy checkpoints SQLite.
        self.stop();
    }
}

/// What the stack needs to start.
#[derive(Clone)]
pub struct StackOptions {
    /// Directory holding `dialdesk-sim` and `dialdesk-proxy`.
    pub bin_dir: PathBuf,
    /// The app's built `dist/`.
    pub dist: PathBuf,
    /// Port of the app (0: any free port).
    pub app_port: u16,
    /// Port of the simulator (0: any free port).
    pub sim_port: u16,
    /// The SQLite file.
    pub db: PathBuf,
    /// Demo contacts to seed (0: none).
    pub seed: u32,
    /// Extra simulator arguments, such as `--step`.
    pub sim_args: Vec<String>,
    /// A `dialdesk.toml` for the proxy (`DIALDESK_CONFIG`); none: built-in defaults.
    pub config: Option<PathBuf>,
    /// Load the embed through the simulator's stand-in for Zoom's `sdk.js`.
    pub sdk_loader: bool,
}

/// The simulator and the proxy wired to it.
pub struct Stack {
    /// The Smart Embed simulator (`http://localhost:PORT`).
    pub sim: Service,
    /// The simulator's hostile-frame listener (`http://127.0.0.2:PORT`).
    pub hostile_url: String,
    /// The dialdesk proxy serving the app (`http://127.0.0.1:PORT`).
    pub proxy: Service,
    options: StackOptions,
}

impl Stack {
    /// Starts the simulator, then the proxy pointed at it.
    pub fn start(options: &StackOptions) -> Result<Self, String> {
        let mut sim = Command::new(options.bin_dir.join("dialdesk-sim"));
        sim.args(["--listen", &format!("127.0.0.1:{}", options.sim_port)])
            .args(&options.sim_args);
        let sim = Service::start("dialdesk-sim", sim, "dialdesk-sim listening on ")?;
        let hostile_url = sim
            .extra_lines
            .recv_timeout(START_TIMEOUT)
            .ok()
            .and_then(|line| {
                line.strip_prefix("dialdesk-sim hostile frames on ")
                    .map(str::to_owned)
            })
            .ok_or("dialdesk-sim did not print its hostile-frame address")?;
        let listen = format!("127.0.0.1:{}", options.app_port);
        let proxy = start_proxy(options, &sim.url, &listen, options.seed)?;
        Ok(Self {
            proxy,
            sim,
            hostile_url,
            options: options.clone(),
        })
    }

    /// The proxy's `dialdesk.toml`, which a test may rewrite before a restart.
    pub fn config_path(&self) -> Option<&std::path::Path> {
        self.options.config.as_deref()
    }

    /// Stops the proxy and starts it again on the same address and database, as an
    /// admin restarting it would.
    pub fn restart_proxy(&mut self) -> Result<(), String> {
        self.proxy.stop();
        let listen = self.proxy.url.trim_start_matches("http://").to_owned();
        self.proxy = start_proxy(&self.options, &self.sim.url, &listen, 0)?;
        Ok(())
    }
}

/// Starts the proxy on `listen`, pointed at the simulator at `sim_url`.
fn start_proxy(
    options: &StackOptions,
    sim_url: &str,
    listen: &str,
    seed: u32,
) -> Result<Service, String> {
    let mut proxy = Command::new(options.bin_dir.join("dialdesk-proxy"));
    if seed > 0 {
        proxy.args(["--seed-demo", &seed.to_string()]);
    }
    proxy
        .env("DIALDESK_LISTEN", listen)
        .env("DIALDESK_DIST", &options.dist)
        .env("DIALDESK_DB", &options.db)
        .env(
            "ZOOM_PHONE_SMART_EMBED_URL",
            format!("{sim_url}/integration/phone/embeddablephone/home"),
        )
        .env_remove("ZOOM_PHONE_SMART_EMBED_ORIGIN");
    if options.sdk_loader {
        proxy.env("ZOOM_PHONE_SMART_EMBED_LOADER", "sdk").env(
            "ZOOM_PHONE_SMART_EMBED_SDK_URL",
            format!("{sim_url}/__sim/sdk.js"),
        );
    } else {
        proxy
            .env_remove("ZOOM_PHONE_SMART_EMBED_LOADER")
            .env_remove("ZOOM_PHONE_SMART_EMBED_SDK_URL");
    }
    match &options.config {
        Some(path) => proxy.env("DIALDESK_CONFIG", path),
        None => proxy.env_remove("DIALDESK_CONFIG"),
    };
    Service::start("dialdesk-proxy", proxy, "dialdesk-proxy listening on ")
}
