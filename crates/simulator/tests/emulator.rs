//! The Zoom emulator as other crates' tests use it: `spawn_for_tests` on real TCP ports, spoken
//! to over plain HTTP/1.1.

use std::time::Duration;

use dialdesk_sim::emulator::{spawn_for_tests, Credentials};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const REDIRECT: &str = "http://127.0.0.1:8080/auth/callback";
/// `emu-client-id:emu-client-secret` in base64.
const BASIC: &str = "Basic ZW11LWNsaWVudC1pZDplbXUtY2xpZW50LXNlY3JldA==";

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map_or("", |(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// One request on a fresh connection; `url` is `http://host:port/path?query`.
async fn http(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).await.expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let end = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8(raw[..end].to_vec()).expect("ASCII headers");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    }
}

#[tokio::test]
async fn sign_in_list_calls_and_download_a_recording_over_http() {
    let emu = spawn_for_tests(Credentials::demo()).await.expect("spawned");
    let base = emu.oauth_base().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(emu.api_base(), format!("{base}/v2"));
    assert!(emu.file_host().starts_with("127.0.0.2:"));
    assert_eq!(emu.credentials(), &Credentials::demo());

    let page = http(
        "GET",
        &format!(
            "{base}/oauth/authorize?response_type=code&client_id=emu-client-id\
             &redirect_uri={}&state=s1&code_challenge={CHALLENGE}&code_challenge_method=S256",
            "http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Fcallback"
        ),
        &[],
        "",
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body)
        .contains("data-user=\"ava.lindqvist@dialdesk.example\""));

    let form = format!(
        "response_type=code&client_id=emu-client-id&redirect_uri={REDIRECT}&state=s1\
         &code_challenge={CHALLENGE}&code_challenge_method=S256&user=ava.lindqvist%40dialdesk.example"
    );
    let form_type = ("Content-Type", "application/x-www-form-urlencoded");
    let approved = http(
        "POST",
        &format!("{base}/oauth/authorize"),
        &[form_type],
        &form,
    )
    .await;
    assert_eq!(approved.status, 302);
    let location = approved.header("location");
    let code = location
        .strip_prefix(&format!("{REDIRECT}?code="))
        .and_then(|rest| rest.strip_suffix("&state=s1"))
        .unwrap_or_else(|| panic!("{location}"));

    let exchange = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={REDIRECT}&code_verifier={VERIFIER}"
    );
    let tokens = http(
        "POST",
        &format!("{base}/oauth/token"),
        &[form_type, ("Authorization", BASIC)],
        &exchange,
    )
    .await;
    assert_eq!(tokens.status, 200);
    let access = tokens.json()["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let bearer = format!("Bearer {access}");
    let auth = ("Authorization", bearer.as_str());

    let me = http(
        "GET",
        &format!("{}/phone/users/me", emu.api_base()),
        &[auth],
        "",
    )
    .await;
    assert_eq!(me.status, 200);
    assert_eq!(me.header("x-ratelimit-category"), "Light");
    assert_eq!(me.json()["extension_number"], 101);

    let history = http(
        "GET",
        &format!("{}/phone/call_history?page_size=300", emu.api_base()),
        &[auth],
        "",
    )
    .await
    .json();
    let call_id = history["call_history"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["recording_status"] == "recorded")
        .and_then(|row| row["call_id"].as_str())
        .expect("a recorded call in the last 24 hours")
        .to_owned();
    let recording = http(
        "GET",
        &format!("{}/phone/call_logs/{call_id}/recordings", emu.api_base()),
        &[auth],
        "",
    )
    .await
    .json();
    let download_url = recording["download_url"].as_str().expect("download url");
    assert!(download_url.starts_with(&emu.api_base()));
    let redirect = http("GET", download_url, &[auth], "").await;
    assert_eq!(redirect.status, 302);
    let file_url = redirect.header("location").to_owned();
    assert!(file_url.starts_with(&format!("http://{}/__emu/files/", emu.file_host())));
    let file = http("GET", &file_url, &[], "").await;
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), "audio/wav");
    assert_eq!(&file.body[..4], b"RIFF");
    assert!(file.body.len() > 90_000);

    let counts = http("GET", &format!("{base}/__emu/requests"), &[], "")
        .await
        .json();
    assert_eq!(counts["file_requests"], 1);
    assert_eq!(counts["file_requests_with_authorization"], 0);
    let issued = http("GET", &format!("{base}/__emu/tokens"), &[], "")
        .await
        .json();
    assert_eq!(issued["access_tokens"][0], access.as_str());

    let host = base.trim_start_matches("http://").to_owned();
    drop(emu);
    for _ in 0..100 {
        if TcpStream::connect(&host).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the emulator still accepts connections after being dropped");
}
