//! Tests of the real `dialdesk-sim` binary: startup lines, real HTTP, shutdown, startup errors.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

const PATIENCE: Duration = Duration::from_secs(30);

/// A running simulator, killed on drop.
struct Sim {
    child: Child,
    main_port: u16,
    hostile_port: u16,
}

impl Sim {
    fn start(extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dialdesk-sim"))
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let line = || rx.recv_timeout(PATIENCE).expect("a startup line in time");
        let first = line();
        let second = line();
        let main_port = port_after(&first, "dialdesk-sim listening on http://localhost:");
        let hostile_port = port_after(&second, "dialdesk-sim hostile frames on http://127.0.0.2:");
        assert_eq!(
            line(),
            format!(
                "dialdesk-sim Zoom emulator: ZOOM_OAUTH_BASE=http://localhost:{main_port} \
                 ZOOM_API_BASE=http://localhost:{main_port}/v2 \
                 ZOOM_DOWNLOAD_HOSTS=127.0.0.2:{hostile_port}"
            )
        );
        Self {
            child,
            main_port,
            hostile_port,
        }
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // The process may have exited already; either way it must not outlive the test.
        let _gone = self.child.kill();
        let _reaped = self.child.wait();
    }
}

fn port_after(line: &str, prefix: &str) -> u16 {
    line.strip_prefix(prefix)
        .and_then(|port| port.parse().ok())
        .filter(|port| *port != 0)
        .unwrap_or_else(|| panic!("unexpected startup line {line:?}"))
}

/// One HTTP/1.1 request over a raw socket; returns the whole response.
fn http(host: &str, port: u16, method: &str, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect((host, port)).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("request sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response read");
    response
}

fn wait_for_exit(child: &mut Child) -> ExitStatus {
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    let watchdog = thread::spawn(move || {
        if rx.recv_timeout(PATIENCE).is_err() {
            let _killed = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    });
    let status = child.wait().expect("waits");
    let _done = tx.send(());
    watchdog.join().expect("watchdog");
    status
}

fn run_to_exit(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dialdesk-sim"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let status = wait_for_exit(&mut child);
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout)
        .expect("stdout read");
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr read");
    Output {
        status,
        stdout: stdout.into_bytes(),
        stderr: stderr.into_bytes(),
    }
}

#[test]
fn serves_the_page_and_the_hostile_frame_over_real_http() {
    let sim = Sim::start(&["--step"]);
    assert_ne!(sim.main_port, sim.hostile_port);

    let page = http(
        "127.0.0.1",
        sim.main_port,
        "GET",
        "/integration/phone/embeddablephone/home",
        "",
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Smart Embed simulator"));

    let command = r#"{"type":"zp-make-call","data":{"number":"+14155550123","autoDial":true}}"#;
    let reply = http(
        "127.0.0.1",
        sim.main_port,
        "POST",
        "/__sim/command",
        command,
    );
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"phase\":\"ringing\""), "{reply}");
    let state = http("127.0.0.1", sim.main_port, "GET", "/__sim/state", "");
    assert!(state.contains("\"stepMode\":true"), "{state}");

    let frame = http("127.0.0.2", sim.hostile_port, "GET", "/__sim/frame", "");
    assert!(frame.starts_with("HTTP/1.1 200"), "{frame}");
    assert!(frame.contains("Forged Caller"));
    let elsewhere = http("127.0.0.2", sim.hostile_port, "GET", "/__sim/state", "");
    assert!(elsewhere.starts_with("HTTP/1.1 404"), "{elsewhere}");
}

#[test]
fn serves_the_zoom_emulator_on_both_listeners() {
    let sim = Sim::start(&[]);
    let me = http("127.0.0.1", sim.main_port, "GET", "/v2/users/me", "");
    assert!(me.starts_with("HTTP/1.1 401"), "{me}");
    assert!(me.contains("\"code\":124"), "{me}");
    let faults = http("127.0.0.1", sim.main_port, "GET", "/__emu/faults", "");
    assert!(faults.starts_with("HTTP/1.1 200"), "{faults}");
    let forged = http(
        "127.0.0.2",
        sim.hostile_port,
        "GET",
        "/__emu/files/x?access=0",
        "",
    );
    assert!(forged.starts_with("HTTP/1.1 403"), "{forged}");
    let hooks = http("127.0.0.2", sim.hostile_port, "GET", "/__emu/faults", "");
    assert!(hooks.starts_with("HTTP/1.1 404"), "{hooks}");
}

#[test]
fn zoom_users_adds_generated_reps_to_the_sign_in_page() {
    let authorize = "/oauth/authorize?response_type=code&client_id=emu-client-id\
                     &redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fauth%2Fcallback\
                     &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
                     &code_challenge_method=S256";
    let named = Sim::start(&[]);
    let page = http("127.0.0.1", named.main_port, "GET", authorize, "");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("emma.novak@dialdesk.example"), "{page}");
    assert!(!page.contains("rep0005@dialdesk.example"), "{page}");
    let crowd = Sim::start(&["--zoom-users", "8"]);
    let page = http("127.0.0.1", crowd.main_port, "GET", authorize, "");
    assert!(page.contains("rep0007@dialdesk.example"), "{page}");
    assert!(!page.contains("rep0008@dialdesk.example"), "{page}");
    let refused = run_to_exit(&["--zoom-users", "4"]);
    assert_eq!(refused.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn sigterm_shuts_down_gracefully_with_a_page_subscribed() {
    let mut sim = Sim::start(&[]);
    let mut stream = TcpStream::connect(("127.0.0.1", sim.main_port)).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    write!(
        stream,
        "GET /__sim/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request sent");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while !line.starts_with("event: state") {
        line.clear();
        let read = reader.read_line(&mut line).expect("stream read");
        assert!(read > 0, "the stream closed before its first state event");
    }

    let killed = Command::new("kill")
        .args(["-TERM", &sim.pid()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = wait_for_exit(&mut sim.child);
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    reader.read_to_string(&mut rest).expect("the stream ends");
}

#[test]
fn a_taken_port_is_a_one_line_error() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = taken.local_addr().expect("address").to_string();
    let output = run_to_exit(&["--listen", &address]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "dialdesk-sim: error: cannot listen on {address}: "
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_bad_address_is_a_one_line_error() {
    let output = run_to_exit(&["--listen", "not-an-address"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "dialdesk-sim: error: invalid --listen address \"not-an-address\": expected IP:PORT, \
         such as 127.0.0.1:8081\n"
    );
}
