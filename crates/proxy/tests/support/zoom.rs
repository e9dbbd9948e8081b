//! Sign-in with Zoom against the emulator for the proxy's tests: an app in
//! `auth = "zoom"` wired to a running emulator, and the browser's steps of
//! the OAuth flow done by hand.

use axum::body::Body;
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::{Request, StatusCode};
use dialdesk_proxy::days::Day;
use dialdesk_proxy::zoom::{Auth, CallFilter, CallRecord};
use dialdesk_sim::emulator::{spawn_for_tests, Credentials, RunningEmulator};
use tower::ServiceExt as _;
use url::Url;

use super::{test_app_with, TestApp};

pub const AVA: &str = "ava.lindqvist@dialdesk.example";

pub async fn rig() -> (RunningEmulator, TestApp) {
    rig_with(&[]).await
}

/// [`rig`] with `extra` variables (e.g. the server-to-server app).
pub async fn rig_with(extra: &[(&str, &str)]) -> (RunningEmulator, TestApp) {
    rig_with_config(extra, "").await
}

/// [`rig_with`], with `toml` added to its `dialdesk.toml`.
pub async fn rig_with_config(extra: &[(&str, &str)], toml: &str) -> (RunningEmulator, TestApp) {
    let emu = spawn_for_tests(Credentials::demo()).await.unwrap();
    let creds = emu.credentials().clone();
    let api = emu.api_base();
    let mut env = vec![
        ("DIALDESK_AUTH", "zoom"),
        ("DIALDESK_PUBLIC_URL", "http://127.0.0.1:8080"),
        ("ZOOM_CLIENT_ID", &creds.client_id),
        ("ZOOM_CLIENT_SECRET", &creds.client_secret),
        ("ZOOM_API_BASE", &api),
        ("ZOOM_OAUTH_BASE", emu.oauth_base()),
        ("ZOOM_DOWNLOAD_HOSTS", emu.file_host()),
    ];
    env.extend_from_slice(extra);
    // Ava, the emulator's account owner, is the admin; the emulator's account is served.
    let mut config = format!("[roles]\nadmins = [{AVA:?}]\n{toml}");
    if !toml.contains("[zoom]") {
        config.push_str(&format!(
            "\n[zoom]\nallowed_account_ids = [{:?}]\n",
            creds.account_id
        ));
    }
    let app = test_app_with(&env, &config).await;
    (emu, app)
}

/// `GET uri` with `cookie`; the status, `Location` and `Set-Cookie` pairs.
pub async fn get(app: &TestApp, uri: &str, cookie: &str) -> (StatusCode, String, Vec<String>) {
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get(uri)
                .header(COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let cookies = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .collect();
    (response.status(), location, cookies)
}

/// Starts a sign-in: the emulator's authorize URL and the browser cookie.
pub async fn login(app: &TestApp) -> (Url, String) {
    let (status, location, cookies) = get(app, "/auth/login", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = cookies
        .into_iter()
        .find(|c| c.starts_with("dialdesk_signin="))
        .expect("the sign-in cookie");
    (Url::parse(&location).unwrap(), cookie)
}

/// The browser's part at Zoom: approves as `user` (or cancels) and returns
/// the callback path and query the emulator redirects to.
pub async fn approve(authorize: &Url, user: Option<&str>) -> String {
    let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    match user {
        Some(user) => form.push(("user".into(), user.into())),
        None => form.push(("deny".into(), "1".into())),
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut target = authorize.clone();
    target.set_query(None);
    let answer = client.post(target).form(&form).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 302);
    let back = Url::parse(answer.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(back.path(), "/auth/callback");
    format!("/auth/callback?{}", back.query().unwrap_or_default())
}

/// Signs in as `user` through the whole flow; the session cookie pair.
pub async fn signed_in(app: &TestApp, user: &str) -> String {
    let (authorize, browser) = login(app).await;
    let callback = approve(&authorize, Some(user)).await;
    let (status, _, cookies) = get(app, &callback, &browser).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    cookies
        .into_iter()
        .find(|c| c.starts_with("dialdesk_session=") && c.len() > 20)
        .expect("a session cookie")
}

/// The emulator's server-to-server app (its demo values), whose account-wide token
/// answers for anyone: the rules must decide who sees what.
#[allow(
    dead_code,
    reason = "each test file compiles this module; few use the app"
)]
pub const S2S: [(&str, &str); 3] = [
    ("ZOOM_ACCOUNT_ID", "emu-account"),
    ("ZOOM_S2S_CLIENT_ID", "emu-s2s-id"),
    ("ZOOM_S2S_CLIENT_SECRET", "emu-s2s-secret"),
];

/// The account's calls of the last `days` days, from Zoom's history (the app's token).
#[allow(
    dead_code,
    reason = "each test file compiles this module; few read the history"
)]
pub async fn account_calls(app: &TestApp, days: i64) -> Vec<CallRecord> {
    let zoom = app.state.zoom().expect("Zoom is configured");
    let today = Day::today();
    let from = today.days_before(days).expect("a day in range");
    zoom.call_history(&Auth::App, from, today, &CallFilter::default())
        .await
        .expect("the account's history")
}

/// Whether `side` is the e-mail `who` (any case).
#[allow(
    dead_code,
    reason = "each test file compiles this module; few read the history"
)]
pub fn is(side: &Option<String>, who: &str) -> bool {
    side.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(who))
}
