//! The proxy's HTTP surface, in process through `tower::ServiceExt::oneshot`.

use std::collections::HashSet;
use std::path::Path;

use axum::body::{Body, Bytes};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    COOKIE, REFERRER_POLICY, SET_COOKIE, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::routing::post;
use axum::Router;
use base64::Engine as _;
use dialdesk_contract::{ApiErrorBody, AppConfig, ContactsPage, Health, SessionInfo, CSRF_HEADER};
use dialdesk_proxy::app;
use dialdesk_proxy::config::{Config, Env, Overrides};
use dialdesk_proxy::db::Db;
use dialdesk_proxy::seed::seed_demo;
use dialdesk_proxy::session;
use dialdesk_proxy::state::AppState;
use dialdesk_proxy::static_files::{StaticSite, IMMUTABLE};
use sha2::Digest as _;
use tempfile::TempDir;
use tower::ServiceExt as _;

/// The inline loader trunk puts in index.html (its exact text is hashed).
const LOADER: &str = "\nimport init, * as bindings from '/dialdesk-1a2b3c4d5e6f7a8b.js';\n\
const wasm = await init({ module_or_path: '/dialdesk-1a2b3c4d5e6f7a8b_bg.wasm' });\n\
window.wasmBindings = bindings;\n";
const WASM_NAME: &str = "dialdesk-1a2b3c4d5e6f7a8b_bg.wasm";
const SIM_EMBED_URL: &str = "http://localhost:7001/integration/phone/embeddablephone/home";

struct TestApp {
    _dir: TempDir,
    state: AppState,
    router: Router,
    config: Config,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!("{err}: {}", String::from_utf8_lossy(&self.body));
        })
    }

    fn header(&self, name: impl axum::http::header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    /// `name=value` of the session cookie this answer sets, if any.
    fn session_cookie(&self) -> Option<String> {
        let set = self.header(SET_COOKIE)?;
        Some(set.split(';').next().unwrap().to_owned())
    }
}

fn wasm_bytes() -> Vec<u8> {
    // Compressible but not trivial.
    (0..20_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect()
}

fn write_dist(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let index = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n\
         <link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\">\n\
         <script type=\"module\">{LOADER}</script>\n</head><body></body></html>\n"
    );
    std::fs::write(dir.join("index.html"), index).unwrap();
    std::fs::write(dir.join(WASM_NAME), wasm_bytes()).unwrap();
    std::fs::write(
        dir.join("main-0123456789abcdef.css"),
        "body { margin: 0 }\n",
    )
    .unwrap();
    std::fs::write(dir.join("favicon.ico"), [0u8; 64]).unwrap();
}

async fn test_app(extra_env: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    write_dist(&dist);
    let db_path = dir.path().join("data/test.db");
    let mut pairs = vec![
        (
            "DIALDESK_DIST".to_owned(),
            dist.to_str().unwrap().to_owned(),
        ),
        (
            "DIALDESK_DB".to_owned(),
            db_path.to_str().unwrap().to_owned(),
        ),
    ];
    pairs.extend(
        extra_env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let config = Config::load(&Env::from_pairs(pairs), &Overrides::default()).unwrap();
    let site = StaticSite::load(&config.process.dist_dir, &config.embed.origin, None).unwrap();
    let db = Db::open(&config.process.db_path).unwrap();
    let state = AppState::open(&config, site, db).await.unwrap();
    let router = app::router(state.clone());
    TestApp {
        _dir: dir,
        state,
        router,
        config,
    }
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

async fn get(router: &Router, uri: &str) -> Answer {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn health_and_config() {
    let app = test_app(&[("ZOOM_PHONE_SMART_EMBED_URL", SIM_EMBED_URL)]).await;
    let health = get(&app.router, "/api/health").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.header(CONTENT_TYPE), Some("application/json"));
    let health: Health = health.json();
    assert_eq!(health.status, "ok");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));

    let answer = get(&app.router, "/api/config").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header(CACHE_CONTROL), Some("no-store"));
    let config: AppConfig = answer.json();
    assert_eq!(config, app.config.app_config());
    assert_eq!(config.embed.url, SIM_EMBED_URL);
    assert_eq!(config.embed.origin, "http://localhost:7001");
    assert_eq!(config.dispositions.len(), 6);
    assert_eq!(config.guard.window_start, "08:00");
    // The JSON is camelCase.
    let raw: serde_json::Value = answer.json();
    assert_eq!(raw["initConfig"]["enableSavingLog"], true);
    assert_eq!(raw["callerIds"][0]["number"], "+14155550199");
    // Regions with several zones, for the call guard; single-zone ones are left out.
    let regions = raw["guard"]["regionZones"].as_array().unwrap();
    let zones_of = |code: &str| {
        regions
            .iter()
            .find(|r| r["region"] == code)
            .and_then(|r| r["zones"].as_array())
    };
    let us = zones_of("US").unwrap();
    assert!(us.len() > 20, "{us:?}");
    assert!(us.contains(&serde_json::json!("America/New_York")));
    assert!(us.contains(&serde_json::json!("Pacific/Honolulu")));
    assert!(zones_of("AU").is_some());
    assert!(zones_of("FR").is_none());
    assert!(zones_of("GB").is_none());
}

#[tokio::test]
async fn unknown_api_routes_answer_json_404() {
    let app = test_app(&[]).await;
    for uri in ["/api/nope", "/api/contacts/1/nope", "/api"] {
        let answer = get(&app.router, uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        let body: ApiErrorBody = answer.json();
        assert_eq!(body.error, "not found");
    }
}

fn page_uri(after: Option<i64>) -> String {
    match after {
        Some(after) => format!("/api/contacts?after={after}"),
        None => "/api/contacts".to_owned(),
    }
}

#[tokio::test]
async fn contacts_pages_neither_overlap_nor_skip_while_rows_are_added() {
    let app = test_app(&[]).await;
    let db = app.state.db().clone();
    assert_eq!(seed_demo(&db, 2500).await.unwrap(), 2500);

    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    let mut added = 2500;
    loop {
        let answer = get(&app.router, &page_uri(cursor)).await;
        assert_eq!(answer.status, StatusCode::OK);
        let page: ContactsPage = answer.json();
        pages += 1;
        assert!(page.contacts.len() <= 1000);
        assert_eq!(page.total, added as u64);
        seen.extend(page.contacts.iter().map(|c| c.id));
        assert!(page.contacts.iter().all(|c| !c.numbers.is_empty()));
        // New rows arrive while the client walks the book.
        added += 10;
        seed_demo(&db, added).await.unwrap();
        match page.next_cursor {
            Some(next) => {
                assert_eq!(page.contacts.len(), 1000);
                assert_eq!(Some(next), page.contacts.last().map(|c| c.id));
                cursor = Some(next);
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    // Every id exactly once, in order: rows added before the last page was read
    // appear at the end; the last 10 were added after it.
    let expected: Vec<i64> = (1..=2520).collect();
    assert_eq!(seen, expected);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());
    let tail: Vec<String> = db
        .read(|conn| {
            let mut stmt =
                conn.prepare("SELECT external_id FROM contacts WHERE id > 2500 ORDER BY id")?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        })
        .await
        .unwrap();
    let expected_tail: Vec<String> = (2501..=2530).map(|i| format!("demo-{i:06}")).collect();
    assert_eq!(tail, expected_tail);

    let last: ContactsPage = get(&app.router, "/api/contacts?after=2520").await.json();
    let ids: Vec<i64> = last.contacts.iter().map(|c| c.id).collect();
    assert_eq!(ids, (2521..=2530).collect::<Vec<_>>());
    assert_eq!(last.next_cursor, None);
    assert_eq!(last.total, 2530);
}

#[tokio::test]
async fn contacts_limit_and_after() {
    let app = test_app(&[]).await;
    seed_demo(app.state.db(), 30).await.unwrap();

    let page: ContactsPage = get(&app.router, "/api/contacts?limit=10&after=5")
        .await
        .json();
    let ids: Vec<i64> = page.contacts.iter().map(|c| c.id).collect();
    assert_eq!(ids, (6..=15).collect::<Vec<_>>());
    assert_eq!(page.next_cursor, Some(15));
    assert_eq!(page.total, 30);

    let page: ContactsPage = get(&app.router, "/api/contacts?limit=1000&after=30")
        .await
        .json();
    assert!(page.contacts.is_empty());
    assert_eq!(page.next_cursor, None);

    let page: ContactsPage = get(&app.router, "/api/contacts?limit=1").await.json();
    assert_eq!(page.contacts.len(), 1);
    assert_eq!(page.contacts[0].name, "Ada Lovelace");
    assert_eq!(
        page.contacts[0].numbers[0].e164.as_deref(),
        Some("+14155550100")
    );

    for bad in [
        "limit=0",
        "limit=1001",
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "limit=",
        "after=-1",
        "after=x",
        "after=99999999999999999999",
        "after=1&after=2",
    ] {
        let answer = get(&app.router, &format!("/api/contacts?{bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        let body: ApiErrorBody = answer.json();
        assert!(!body.error.is_empty(), "{bad}");
    }
}

async fn book(
    db: &Db,
) -> Vec<(
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
)> {
    db.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT c.external_id, c.company, c.name, n.raw, n.e164, n.label || '/' || n.region
             FROM contacts c JOIN contact_numbers n ON n.contact_id = c.id
             ORDER BY c.id, n.position",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })
    .await
    .unwrap()
}

fn is_fictitious(e164: &str) -> bool {
    let Some(digits) = e164.strip_prefix("+1") else {
        return false;
    };
    digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) && &digits[3..8] == "55501"
}

#[tokio::test]
async fn seeding_is_deterministic_idempotent_and_fictitious() {
    let first = test_app(&[]).await;
    let second = test_app(&[]).await;
    assert_eq!(seed_demo(first.state.db(), 50).await.unwrap(), 50);
    assert_eq!(seed_demo(second.state.db(), 50).await.unwrap(), 50);
    assert_eq!(seed_demo(first.state.db(), 50).await.unwrap(), 0);
    assert_eq!(seed_demo(first.state.db(), 40).await.unwrap(), 0);

    let a = book(first.state.db()).await;
    let b = book(second.state.db()).await;
    assert_eq!(a, b);
    assert_eq!(a.iter().map(|row| &row.0).collect::<HashSet<_>>().len(), 50);
    assert_eq!(a[0].0, "demo-000001");
    assert!(a.len() > 50, "some contacts have a second number");
    assert!(a.iter().any(|row| row.5 == "mobile/US"));
    assert!(a
        .iter()
        .all(|row| row.5 == "work/US" || row.5 == "mobile/US"));
    assert!(
        a.iter().any(|row| row.1.is_none()),
        "some contacts have no company"
    );
    for row in &a {
        let e164 = row.4.as_deref().unwrap();
        assert!(is_fictitious(e164), "{e164}");
        assert!(
            row.3.starts_with('(') && row.3.contains(") 555-01"),
            "{}",
            row.3
        );
    }
    let page_a: ContactsPage = get(&first.router, "/api/contacts").await.json();
    let page_b: ContactsPage = get(&second.router, "/api/contacts").await.json();
    assert_eq!(page_a, page_b);
    assert_eq!(page_a.total, 50);
}

async fn session_of(router: &Router, cookie: Option<&str>) -> (Answer, SessionInfo) {
    let mut request = Request::get("/api/session");
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    let answer = send(router, request.body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::OK);
    let info = answer.json();
    (answer, info)
}

#[tokio::test]
async fn session_cookie_is_issued_once_and_reused() {
    let app = test_app(&[]).await;
    let (first, info) = session_of(&app.router, None).await;
    let set = first.header(SET_COOKIE).unwrap().to_owned();
    assert!(set.starts_with("dialdesk_session="), "{set}");
    assert!(
        set.contains("; HttpOnly") && set.contains("; SameSite=Lax") && set.contains("; Path=/")
    );
    assert!(
        !set.contains("Secure"),
        "no Secure without an https public URL"
    );
    assert_eq!(info.auth, dialdesk_contract::AuthMode::None);
    assert_eq!(info.csrf_token.len(), 64);
    let cookie = first.session_cookie().unwrap();

    let (again, same) = session_of(&app.router, Some(&format!("theme=dark; {cookie}"))).await;
    assert_eq!(again.header(SET_COOKIE), None);
    assert_eq!(same.csrf_token, info.csrf_token);

    // A tampered cookie gets a fresh session.
    let tampered = format!(
        "{}0",
        cookie.trim_end_matches(|c: char| c.is_ascii_hexdigit())
    );
    let (fresh, other) = session_of(&app.router, Some(&tampered)).await;
    assert!(fresh.header(SET_COOKIE).is_some());
    assert_ne!(other.csrf_token, info.csrf_token);

    // The signing key is kept in the database: a restarted proxy accepts the cookie.
    let site =
        StaticSite::load(&app.config.process.dist_dir, &app.config.embed.origin, None).unwrap();
    let reopened = AppState::open(&app.config, site, app.state.db().clone())
        .await
        .unwrap();
    let (after_restart, kept) = session_of(&app::router(reopened), Some(&cookie)).await;
    assert_eq!(after_restart.header(SET_COOKIE), None);
    assert_eq!(kept.csrf_token, info.csrf_token);
}

#[tokio::test]
async fn secure_cookie_and_hsts_only_with_an_https_public_url() {
    let app = test_app(&[("DIALDESK_PUBLIC_URL", "https://dial.example.com")]).await;
    let (answer, _) = session_of(&app.router, None).await;
    let set = answer.header(SET_COOKIE).unwrap();
    assert!(
        set.split("; ").any(|attribute| attribute == "Secure"),
        "{set}"
    );
    assert_eq!(answer.header(STRICT_TRANSPORT_SECURITY), Some(app::HSTS));
    let index = get(&app.router, "/").await;
    assert_eq!(index.header(STRICT_TRANSPORT_SECURITY), Some(app::HSTS));

    let plain = test_app(&[("DIALDESK_PUBLIC_URL", "http://127.0.0.1:8080")]).await;
    let index = get(&plain.router, "/").await;
    assert_eq!(index.header(STRICT_TRANSPORT_SECURITY), None);
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token() {
    let app = test_app(&[]).await;
    // A test-only route behind the same reusable layer.
    let echo = Router::new().route(
        "/api/echo",
        post(|body: Bytes| async move { body })
            .put(|| async { "put" })
            .delete(|| async { "deleted" }),
    );
    let gate = session::Gate::new(
        app.state.sessions().clone(),
        app.state.app_config().auth,
        app.state.db().clone(),
        app.state.api_requests().clone(),
    );
    let echo = session::protect(echo, gate);

    let (answer, info) = session_of(&app.router, None).await;
    let cookie = answer.session_cookie().unwrap();
    let (_, other_info) = session_of(&app.router, None).await;

    let request = |method: Method, token: Option<&str>, body: Vec<u8>| {
        let mut builder = Request::builder()
            .method(method)
            .uri("/api/echo")
            .header(COOKIE, &cookie);
        if let Some(token) = token {
            builder = builder.header(CSRF_HEADER, token);
        }
        builder.body(Body::from(body)).unwrap()
    };

    for token in [
        None,
        Some(""),
        Some("nope"),
        Some(other_info.csrf_token.as_str()),
    ] {
        let answer = send(&echo, request(Method::POST, token, b"hi".to_vec())).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{token:?}");
        let body: ApiErrorBody = answer.json();
        assert_eq!(body.error, "missing or invalid CSRF token; reload the page");
    }
    let ok = send(
        &echo,
        request(Method::POST, Some(&info.csrf_token), b"hi".to_vec()),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(&ok.body[..], b"hi");
    for method in [Method::PUT, Method::DELETE] {
        let denied = send(&echo, request(method.clone(), None, Vec::new())).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN, "{method}");
        let allowed = send(
            &echo,
            request(method.clone(), Some(&info.csrf_token), Vec::new()),
        )
        .await;
        assert_eq!(allowed.status, StatusCode::OK, "{method}");
    }
    // A token without its session cookie is refused too.
    let no_cookie = Request::post("/api/echo")
        .header(CSRF_HEADER, &info.csrf_token)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&echo, no_cookie).await.status, StatusCode::FORBIDDEN);

    // Bodies above the default 2 MB limit are refused.
    let big = send(
        &echo,
        request(Method::POST, Some(&info.csrf_token), vec![b'x'; 3 << 20]),
    )
    .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);

    // The real /api router has the same layer: no token, no write.
    let post = Request::post("/api/contacts").body(Body::empty()).unwrap();
    assert_eq!(send(&app.router, post).await.status, StatusCode::FORBIDDEN);
    let post = Request::post("/api/contacts")
        .header(COOKIE, &cookie)
        .header(CSRF_HEADER, &info.csrf_token)
        .body(Body::empty())
        .unwrap();
    // With the token the request reaches the handler, which wants a JSON draft.
    let answer = send(&app.router, post).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body: ApiErrorBody = answer.json();
    assert!(
        body.error.starts_with("invalid JSON body"),
        "{}",
        body.error
    );
}

#[tokio::test]
async fn index_has_the_csp_with_the_loader_hash_and_the_embed_origin() {
    let app = test_app(&[("ZOOM_PHONE_SMART_EMBED_URL", SIM_EMBED_URL)]).await;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(LOADER));
    for uri in ["/", "/index.html", "/contacts/42"] {
        let answer = get(&app.router, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert_eq!(
            answer.header(CONTENT_TYPE),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(answer.header(CACHE_CONTROL), Some("no-cache"), "{uri}");
        assert!(String::from_utf8_lossy(&answer.body).contains(LOADER));
        let csp = answer.header(CONTENT_SECURITY_POLICY).unwrap();
        assert_eq!(
            csp,
            format!(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'; \
                 style-src 'self'; img-src 'self' data:; connect-src 'self'; \
                 frame-src http://localhost:7001; object-src 'none'; base-uri 'none'; \
                 frame-ancestors 'self'; form-action 'self'"
            )
        );
        assert_eq!(answer.header(X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
        assert_eq!(
            answer.header(REFERRER_POLICY),
            Some("strict-origin-when-cross-origin")
        );
        assert_eq!(answer.header(STRICT_TRANSPORT_SECURITY), None);
    }
    // Every response carries the security headers, API answers included.
    let api = get(&app.router, "/api/health").await;
    assert_eq!(api.header(X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
    assert!(api.header(CONTENT_SECURITY_POLICY).is_some());
}

#[tokio::test]
async fn assets_get_cache_headers_and_content_types() {
    let app = test_app(&[]).await;
    let wasm = get(&app.router, &format!("/{WASM_NAME}")).await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header(CONTENT_TYPE), Some("application/wasm"));
    assert_eq!(
        wasm.header(CACHE_CONTROL),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(wasm.header(X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
    assert_eq!(&wasm.body[..], &wasm_bytes()[..]);

    let css = get(&app.router, "/main-0123456789abcdef.css").await;
    assert_eq!(
        css.header(CACHE_CONTROL),
        Some("public, max-age=31536000, immutable")
    );
    assert!(css.header(CONTENT_TYPE).unwrap().starts_with("text/css"));

    let icon = get(&app.router, "/favicon.ico").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.header(CACHE_CONTROL), Some("no-cache"));

    let missing = get(&app.router, "/dialdesk-ffffffffffffffff.js").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header(CACHE_CONTROL), Some("no-cache"));
    let escape = get(&app.router, "/../Cargo.toml").await;
    assert_ne!(escape.status, StatusCode::OK);
}

/// `GET` the wasm asset with `accept_encoding`.
async fn get_wasm(app: &TestApp, accept_encoding: &str) -> Answer {
    let request = Request::get(format!("/{WASM_NAME}"))
        .header(ACCEPT_ENCODING, accept_encoding)
        .body(Body::empty())
        .unwrap();
    send(&app.router, request).await
}

#[tokio::test]
async fn responses_are_compressed() {
    let app = test_app(&[]).await;
    let answer = get_wasm(&app, "br").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header(CONTENT_ENCODING), Some("br"));
    assert_eq!(answer.header(CONTENT_TYPE), Some("application/wasm"));
    assert!(answer.body.len() < wasm_bytes().len());
    let mut plain = Vec::new();
    let mut reader = brotli_decompressor::Decompressor::new(&answer.body[..], 4096);
    std::io::Read::read_to_end(&mut reader, &mut plain).unwrap();
    assert_eq!(plain, wasm_bytes());

    let request = Request::get("/")
        .header(ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app.router, request).await;
    assert_eq!(answer.header(CONTENT_ENCODING), Some("gzip"));

    let mut book = Request::get("/api/contacts");
    book = book.header(ACCEPT_ENCODING, "br");
    seed_demo(app.state.db(), 100).await.unwrap();
    let answer = send(&app.router, book.body(Body::empty()).unwrap()).await;
    assert_eq!(answer.header(CONTENT_ENCODING), Some("br"));
}

#[tokio::test]
async fn a_precompressed_asset_is_sent_as_built() {
    let app = test_app(&[]).await;
    let dist = app.config.process.dist_dir.clone();
    // Stand-in for the `.br` file `cargo xtask` writes beside each asset at build time.
    let built = b"precompressed at build time".to_vec();
    std::fs::write(dist.join(format!("{WASM_NAME}.br")), &built).unwrap();
    let answer = get_wasm(&app, "br, gzip").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header(CONTENT_ENCODING), Some("br"));
    assert_eq!(answer.header(CONTENT_TYPE), Some("application/wasm"));
    assert_eq!(answer.header(CACHE_CONTROL), Some(IMMUTABLE));
    assert_eq!(&answer.body[..], &built[..]);

    let answer = get_wasm(&app, "gzip").await;
    assert_eq!(answer.header(CONTENT_ENCODING), Some("gzip"));
    assert_ne!(&answer.body[..], &built[..]);
}
