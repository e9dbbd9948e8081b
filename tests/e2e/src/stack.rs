//! The simulator and the proxy as child processes, stopped on drop.
//!
//! Standard library only: `cargo xtask` compiles this same file (`#[path]`) for the
//! demo, so the demo and the end-to-end tests start the stack the same way.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
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
    /// Starts `cmd` and waits for the stdout line `<prefix>URL`; its stderr is ours.
    pub fn start(name: &'static str, mut cmd: Command, prefix: &str) -> Result<Self, String> {
        cmd.stderr(Stdio::inherit());
        Self::spawn(name, cmd, prefix)
    }

    /// Like [`Service::start`], leaving `cmd`'s stderr as the caller set it.
    fn spawn(name: &'static str, mut cmd: Command, prefix: &str) -> Result<Self, String> {
        cmd.stdout(Stdio::piped());
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

    /// Stops the process now (SIGTERM, then SIGKILL if it lingers); nothing if it has
    /// already exited (its pid may belong to another process by now).
    pub fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
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

    /// Kills the process outright (SIGKILL: no shutdown of its own, as a crash or the
    /// kernel's out-of-memory killer would end it) and reaps it.
    pub fn kill(&mut self) {
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
    /// How reps sign in.
    pub auth: Auth,
    /// When set, the proxy runs at `RUST_LOG=trace` and its stderr is appended to this
    /// file (across restarts) instead of ours.
    pub proxy_trace_log: Option<PathBuf>,
}

/// How the proxy signs reps in (`DIALDESK_AUTH`).
#[derive(Clone, Debug)]
pub enum Auth {
    /// Sign-in with Zoom against the simulator's Zoom emulator, which accepts these apps.
    Zoom(ZoomApps),
    /// No sign-in: every visitor gets an anonymous session.
    None,
}

impl Auth {
    /// Sign-in with Zoom with fresh random credentials.
    pub fn zoom() -> Result<Self, String> {
        ZoomApps::random().map(Self::Zoom)
    }
}

/// The two Zoom OAuth apps and the account: what the emulator accepts and the proxy
/// presents. Both processes get them through their environment, never on a command line.
#[derive(Clone, Debug)]
pub struct ZoomApps {
    /// `ZOOM_CLIENT_ID`.
    pub client_id: String,
    /// `ZOOM_CLIENT_SECRET`.
    pub client_secret: String,
    /// `ZOOM_S2S_CLIENT_ID`.
    pub s2s_client_id: String,
    /// `ZOOM_S2S_CLIENT_SECRET`.
    pub s2s_client_secret: String,
    /// `ZOOM_ACCOUNT_ID`.
    pub account_id: String,
}

impl ZoomApps {
    /// Fresh random values, so a test can look for exactly these secrets.
    pub fn random() -> Result<Self, String> {
        Ok(Self {
            client_id: format!("e2e-client-{}", random_hex(8)?),
            client_secret: format!("e2e-secret-{}", random_hex(16)?),
            s2s_client_id: format!("e2e-s2s-{}", random_hex(8)?),
            s2s_client_secret: format!("e2e-s2s-secret-{}", random_hex(16)?),
            account_id: format!("e2e-account-{}", random_hex(8)?),
        })
    }

    /// The emulator's demo values (they are no secret: the emulator is the only party
    /// that accepts them).
    pub fn demo() -> Self {
        Self {
            client_id: "emu-client-id".into(),
            client_secret: "emu-client-secret".into(),
            s2s_client_id: "emu-s2s-id".into(),
            s2s_client_secret: "emu-s2s-secret".into(),
            account_id: "emu-account".into(),
        }
    }

    fn vars(&self) -> [(&'static str, &str); 5] {
        [
            ("ZOOM_CLIENT_ID", &self.client_id),
            ("ZOOM_CLIENT_SECRET", &self.client_secret),
            ("ZOOM_S2S_CLIENT_ID", &self.s2s_client_id),
            ("ZOOM_S2S_CLIENT_SECRET", &self.s2s_client_secret),
            ("ZOOM_ACCOUNT_ID", &self.account_id),
        ]
    }
}

/// `bytes` random bytes from the kernel, in hex.
fn random_hex(bytes: usize) -> Result<String, String> {
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Where the simulator's Zoom emulator is, as its third stdout line says.
#[derive(Clone, Debug)]
pub struct Emulator {
    /// `ZOOM_OAUTH_BASE` (the sign-in page and `/__emu/` hooks live here).
    pub oauth_base: String,
    /// `ZOOM_API_BASE`.
    pub api_base: String,
    /// `ZOOM_DOWNLOAD_HOSTS` (the recording file host).
    pub download_hosts: String,
}

impl Emulator {
    /// Parses `dialdesk-sim Zoom emulator: ZOOM_OAUTH_BASE=… ZOOM_API_BASE=… ZOOM_DOWNLOAD_HOSTS=…`.
    fn parse(line: &str) -> Option<Self> {
        let rest = line.strip_prefix("dialdesk-sim Zoom emulator: ")?;
        let value = |name: &str| {
            rest.split_whitespace()
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
                .map(str::to_owned)
        };
        Some(Self {
            oauth_base: value("ZOOM_OAUTH_BASE")?,
            api_base: value("ZOOM_API_BASE")?,
            download_hosts: value("ZOOM_DOWNLOAD_HOSTS")?,
        })
    }
}

/// The simulator and the proxy wired to it.
pub struct Stack {
    /// The Smart Embed simulator (`http://localhost:PORT`).
    pub sim: Service,
    /// The simulator's hostile-frame listener (`http://127.0.0.2:PORT`).
    pub hostile_url: String,
    /// The dialdesk proxy serving the app (`http://127.0.0.1:PORT`).
    pub proxy: Service,
    /// The simulator's Zoom emulator.
    pub emulator: Emulator,
    options: StackOptions,
}

impl Stack {
    /// Starts the simulator, then the proxy pointed at it.
    pub fn start(options: &StackOptions) -> Result<Self, String> {
        let mut sim = Command::new(options.bin_dir.join("dialdesk-sim"));
        sim.args(["--listen", &format!("127.0.0.1:{}", options.sim_port)])
            .args(&options.sim_args);
        // Without sign-in the emulator still runs, on the demo values, never on whatever
        // Zoom settings happen to be in our environment.
        let apps = match &options.auth {
            Auth::Zoom(apps) => apps.clone(),
            Auth::None => ZoomApps::demo(),
        };
        for (name, value) in apps.vars() {
            sim.env(name, value);
        }
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
        let emulator = sim
            .extra_lines
            .recv_timeout(START_TIMEOUT)
            .ok()
            .and_then(|line| Emulator::parse(&line))
            .ok_or("dialdesk-sim did not print its Zoom emulator settings")?;
        // With sign-in the proxy must know its own URL (the OAuth redirect URI) before
        // it starts, so a free port is picked here rather than by the proxy.
        let app_port = match (&options.auth, options.app_port) {
            (Auth::Zoom(_), 0) => free_port()?,
            (_, port) => port,
        };
        let listen = format!("127.0.0.1:{app_port}");
        let proxy = start_proxy(options, &sim.url, &emulator, &listen, options.seed)?;
        Ok(Self {
            proxy,
            sim,
            hostile_url,
            emulator,
            options: options.clone(),
        })
    }

    /// The Zoom apps the emulator accepts (and, with sign-in, the proxy presents).
    pub fn zoom_apps(&self) -> ZoomApps {
        match &self.options.auth {
            Auth::Zoom(apps) => apps.clone(),
            Auth::None => ZoomApps::demo(),
        }
    }

    /// Whether reps sign in with Zoom.
    pub fn signs_in(&self) -> bool {
        matches!(self.options.auth, Auth::Zoom(_))
    }

    /// The file the proxy's trace log goes to, if it was asked for.
    pub fn proxy_trace_log(&self) -> Option<&std::path::Path> {
        self.options.proxy_trace_log.as_deref()
    }

    /// The proxy's `dialdesk.toml`, which a test may rewrite before a restart.
    pub fn config_path(&self) -> Option<&std::path::Path> {
        self.options.config.as_deref()
    }

    /// Stops the proxy and starts it again on the same address and database, as an
    /// admin restarting it would.
    pub fn restart_proxy(&mut self) -> Result<(), String> {
        self.proxy.stop();
        self.start_proxy_again()
    }

    /// Kills the proxy (SIGKILL, mid-request) and starts it again on the same address
    /// and database, as after a crash.
    pub fn crash_and_restart_proxy(&mut self) -> Result<(), String> {
        self.proxy.kill();
        self.start_proxy_again()
    }

    fn start_proxy_again(&mut self) -> Result<(), String> {
        let listen = self.proxy.url.trim_start_matches("http://").to_owned();
        self.proxy = start_proxy(&self.options, &self.sim.url, &self.emulator, &listen, 0)?;
        Ok(())
    }
}

/// A port nobody listens on right now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Starts the proxy on `listen`, pointed at the simulator at `sim_url` and, with
/// sign-in, at its Zoom emulator.
fn start_proxy(
    options: &StackOptions,
    sim_url: &str,
    emulator: &Emulator,
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
    proxy.env_remove("ZOOM_REDIRECT_URI");
    match &options.auth {
        Auth::Zoom(apps) => {
            proxy
                .env("DIALDESK_AUTH", "zoom")
                .env("DIALDESK_PUBLIC_URL", format!("http://{listen}"))
                .env("ZOOM_OAUTH_BASE", &emulator.oauth_base)
                .env("ZOOM_API_BASE", &emulator.api_base)
                .env("ZOOM_DOWNLOAD_HOSTS", &emulator.download_hosts);
            for (name, value) in apps.vars() {
                proxy.env(name, value);
            }
        }
        Auth::None => {
            proxy
                .env("DIALDESK_AUTH", "none")
                .env_remove("DIALDESK_PUBLIC_URL")
                .env_remove("ZOOM_OAUTH_BASE")
                .env_remove("ZOOM_API_BASE")
                .env_remove("ZOOM_DOWNLOAD_HOSTS");
            for (name, _) in ZoomApps::demo().vars() {
                proxy.env_remove(name);
            }
        }
    }
    match &options.proxy_trace_log {
        Some(path) => {
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
            proxy.env("RUST_LOG", "trace").stderr(log);
            Service::spawn("dialdesk-proxy", proxy, "dialdesk-proxy listening on ")
        }
        None => Service::start("dialdesk-proxy", proxy, "dialdesk-proxy listening on "),
    }
}
