//! The real `dialdesk-proxy` binary: startup errors, check-config, serving and
//! graceful shutdown.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_dialdesk-proxy");

/// A temp folder with a valid dist/ and a database path inside it.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!DOCTYPE html><html><head><script type=\"module\">import('/x.js')</script></head></html>",
        )
        .unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary with a clean environment, run inside the sandbox.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env_clear()
            .current_dir(self.dir.path())
            .env("DIALDESK_DIST", self.path("dist"))
            .env("DIALDESK_DB", self.path("data/dialdesk.db"))
            .env("DIALDESK_LISTEN", "127.0.0.1:0")
            .stdin(Stdio::null());
        command
    }
}

/// Runs a start that must fail and returns its single stderr line.
fn failed_start(mut command: Command) -> String {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&stdout);
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(!status.success(), "expected a failure; stdout: {stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.is_empty(), "nothing on stdout: {stdout}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one stderr line: {stderr}");
    assert!(lines[0].starts_with("dialdesk-proxy: error: "), "{stderr}");
    lines[0].to_owned()
}

#[test]
fn port_taken() {
    let sandbox = Sandbox::new();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let mut command = sandbox.command(&[]);
    command.env("DIALDESK_LISTEN", &addr);
    let line = failed_start(command);
    assert!(
        line.contains(&format!(
            "{addr} is already in use; set DIALDESK_LISTEN or --listen"
        )),
        "{line}"
    );
    // The flag names the address too.
    let line = failed_start(sandbox.command(&["--listen", &addr]));
    assert!(line.contains("is already in use"), "{line}");
}

#[test]
fn database_not_writable() {
    let sandbox = Sandbox::new();
    // Tests run as root, so permissions stop nothing: use a regular file as folder.
    std::fs::write(sandbox.path("afile"), "not a folder").unwrap();
    let db = sandbox.path("afile/db.sqlite");
    let mut command = sandbox.command(&[]);
    command.env("DIALDESK_DB", &db);
    let line = failed_start(command);
    assert!(line.contains(db.to_str().unwrap()), "{line}");
    assert!(line.contains("DIALDESK_DB"), "{line}");
}

#[test]
fn dist_missing_or_without_index() {
    let sandbox = Sandbox::new();
    let mut command = sandbox.command(&[]);
    command.env("DIALDESK_DIST", sandbox.path("nope"));
    let line = failed_start(command);
    assert!(line.contains("nope"), "{line}");
    assert!(
        line.contains("trunk build") && line.contains("DIALDESK_DIST"),
        "{line}"
    );

    std::fs::create_dir(sandbox.path("empty")).unwrap();
    let mut command = sandbox.command(&[]);
    command.env("DIALDESK_DIST", sandbox.path("empty"));
    let line = failed_start(command);
    assert!(
        line.contains("index.html") && line.contains("trunk build"),
        "{line}"
    );
}

#[test]
fn embed_origin_mismatch() {
    let sandbox = Sandbox::new();
    let mut command = sandbox.command(&[]);
    command.env("ZOOM_PHONE_SMART_EMBED_ORIGIN", "http://localhost:7001");
    let line = failed_start(command);
    assert!(line.contains("rejected in silence"), "{line}");
    assert!(!sandbox.path("data").exists(), "nothing was created");
}

#[test]
fn bad_config_and_zoom_auth() {
    let sandbox = Sandbox::new();
    std::fs::write(
        sandbox.path("bad.toml"),
        "[guard]\ncalling_window = \"9-5\"\n",
    )
    .unwrap();
    let mut command = sandbox.command(&[]);
    command.env("DIALDESK_CONFIG", sandbox.path("bad.toml"));
    let line = failed_start(command);
    assert!(
        line.contains("bad.toml") && line.contains("calling_window"),
        "{line}"
    );

    // The default file is read when present.
    std::fs::write(
        sandbox.path("dialdesk.toml"),
        "[wrap_up]\nseconds = \"x\"\n",
    )
    .unwrap();
    let line = failed_start(sandbox.command(&[]));
    assert!(
        line.contains("dialdesk.toml") && line.contains("line 2"),
        "{line}"
    );
    std::fs::remove_file(sandbox.path("dialdesk.toml")).unwrap();

    let mut command = sandbox.command(&[]);
    command.env("DIALDESK_CONFIG", sandbox.path("missing.toml"));
    let line = failed_start(command);
    assert!(line.contains("missing.toml"), "{line}");

    let mut command = sandbox.command(&[]);
    command.env("DIALDESK_AUTH", "zoom");
    let line = failed_start(command);
    assert!(
        line.contains("auth = \"zoom\" (DIALDESK_AUTH) needs ZOOM_CLIENT_ID"),
        "{line}"
    );
}

#[test]
fn check_config_masks_secrets() {
    let sandbox = Sandbox::new();
    let secret = "zs-9f8e7d6c5b4a-do-not-print";
    let output = sandbox
        .command(&["check-config"])
        .env("ZOOM_CLIENT_ID", "client-id")
        .env("ZOOM_CLIENT_SECRET", secret)
        .env("DIALDESK_PUBLIC_URL", "https://dial.example.com")
        .env("ZOOM_WEBHOOK_SECRET", format!("{secret}-webhook"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stdout.contains(secret) && !stderr.contains(secret));
    let line = |name: &str| {
        stdout
            .lines()
            .find(|line| line.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing from {stdout}"))
            .to_owned()
    };
    assert!(line("ZOOM_CLIENT_SECRET").ends_with("set (hidden)"));
    assert!(line("ZOOM_WEBHOOK_SECRET").ends_with("set (hidden)"));
    assert!(line("ZOOM_CLIENT_ID").ends_with("set (hidden)"));
    assert!(line("ZOOM_ACCOUNT_ID").ends_with("not set"));
    assert!(stdout.contains("calling_window=08:00-21:00"), "{stdout}");
    assert!(stdout.contains("https://applications.zoom.us"), "{stdout}");

    let output = sandbox
        .command(&["check-config"])
        .env("ZOOM_CLIENT_SECRET", secret)
        .env("ZOOM_PHONE_SMART_EMBED_ORIGIN", "https://zoom.us")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("dialdesk-proxy: error: "), "{stderr}");
    assert!(!stderr.contains(secret));
}

/// Kills the child on drop so a failed test leaves nothing running.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn wal_is_empty(db: &Path) -> bool {
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    std::fs::metadata(wal).map_or(true, |meta| meta.len() == 0)
}

/// The E.164 numbers in a `/api/contacts` response body.
fn seeded_numbers(response: &str) -> Vec<&str> {
    response
        .split("\"e164\":\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn serves_on_a_free_port_and_shuts_down_on_sigterm() {
    let sandbox = Sandbox::new();
    let child = sandbox
        .command(&["--listen", "127.0.0.1:0", "--seed-demo", "5"])
        .env("DIALDESK_LISTEN", "127.0.0.1:1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let mut stdout = BufReader::new(running.0.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("dialdesk-proxy listening on http://127.0.0.1:")
        .map(|port| format!("127.0.0.1:{port}"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    assert_ne!(addr, "127.0.0.1:0");

    let health = http_get(&addr, "/api/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    let contacts = http_get(&addr, "/api/contacts");
    assert!(contacts.contains("\"total\":5"), "{contacts}");
    let index = http_get(&addr, "/");
    assert!(
        index.contains("content-security-policy: default-src 'self'"),
        "{index}"
    );

    let pid = running.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = running.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the proxy did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "exactly one stdout line");
    let mut stderr = String::new();
    running
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let numbers = seeded_numbers(&contacts);
    assert_eq!(numbers.len(), 5, "{contacts}");
    for number in numbers {
        assert!(
            !stderr.contains(number),
            "no phone numbers in logs: {stderr}"
        );
    }
    assert!(
        wal_is_empty(&sandbox.path("data/dialdesk.db")),
        "checkpointed"
    );
}
