//! Sign-in with Zoom through the proxy's `/auth` routes against the Zoom
//! emulator over real HTTP: the whole flow, and a wrong `state`, a replayed
//! callback, another browser, a cancelled sign-in and a user of another Zoom
//! account each refused without a session.

#[allow(dead_code, reason = "this file uses a few of the shared helpers")]
mod support;

use axum::body::Body;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{Request, StatusCode};
use serde_json::Value;
use support::zoom::{approve, get, login, rig, rig_with_config, AVA};
use support::{row_count, send, Answer, TestApp};

/// A user of another Zoom account than the emulator's apps.
const FELIX: &str = "felix.berg@elsewhere.example";

#[tokio::test]
async fn signing_in_through_zoom_starts_a_session_for_that_user() {
    let (emu, app) = rig().await;
    let (authorize, browser) = login(&app).await;
    let query: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["redirect_uri"], "http://127.0.0.1:8080/auth/callback");
    assert!(query["state"].len() >= 32 && query["code_challenge"].len() >= 43);

    let callback = approve(&authorize, Some(AVA)).await;
    let (status, location, cookies) = get(&app, &callback, &browser).await;
    assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/"));
    let session = cookies
        .iter()
        .find(|c| c.starts_with("dialdesk_session=") && c.len() > 20)
        .expect("a session cookie")
        .clone();
    assert!(
        cookies.contains(&"dialdesk_signin=".to_owned()),
        "{cookies:?}"
    );
    let answer = send(
        &app.router,
        Request::get("/api/session")
            .header(COOKIE, &session)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);

    // Replaying the callback (a reused code and state) starts nothing.
    let (status, _, cookies) = get(&app, &callback, &browser).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!cookies.iter().any(|c| c.starts_with("dialdesk_session=")));
    let requests: Value = reqwest::get(format!("{}/__emu/requests", emu.oauth_base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(requests["grants"]["authorization_code"], 1);
}

#[tokio::test]
async fn a_wrong_state_another_browser_or_a_cancel_start_no_session() {
    let (emu, app) = rig().await;
    // A forged state.
    let (authorize, browser) = login(&app).await;
    let callback = approve(&authorize, Some(AVA)).await;
    let forged = callback.replace("state=", "state=0");
    // The same callback from a browser that did not start it.
    let elsewhere = "dialdesk_signin=ffff";
    // Cancelled at Zoom.
    let (authorize2, browser2) = login(&app).await;
    let cancelled = approve(&authorize2, None).await;
    for (uri, cookie, why) in [
        (forged.as_str(), browser.as_str(), "a wrong state"),
        (callback.as_str(), elsewhere, "another browser"),
        (cancelled.as_str(), browser2.as_str(), "a cancel"),
    ] {
        let (status, _, cookies) = get(&app, uri, cookie).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{why}");
        assert!(
            !cookies.iter().any(|c| c.starts_with("dialdesk_session=")),
            "{why}: {cookies:?}"
        );
    }
    let requests: Value = reqwest::get(format!("{}/__emu/requests", emu.oauth_base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        requests["grants"]["authorization_code"], 0,
        "no code was exchanged"
    );
}

#[tokio::test]
async fn an_address_that_starts_too_many_sign_ins_waits() {
    let (_emu, app) =
        support::zoom::rig_with_config(&[], "[limits]\nsign_ins_per_minute = 3\n").await;
    let start = |address: &str| {
        let mut request = Request::get("/auth/login").body(Body::empty()).unwrap();
        let peer: std::net::SocketAddr = format!("{address}:50000").parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        request
    };
    for _ in 0..3 {
        let answer = send(&app.router, start("192.0.2.1")).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
    }
    let refused = send(&app.router, start("192.0.2.1")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&wait), "Retry-After {wait}");
    let page = String::from_utf8_lossy(&refused.body).into_owned();
    assert!(
        page.contains("too many sign-ins were started from this address"),
        "{page}"
    );
    assert_eq!(
        support::row_count(&app.db, "oauth_pending").await,
        3,
        "a refused start writes nothing"
    );
    // Another address has its own budget.
    assert_eq!(
        send(&app.router, start("192.0.2.2")).await.status,
        StatusCode::SEE_OTHER
    );
}

/// The callback's answer after `user` approves the sign-in at the emulator.
async fn callback_as(app: &TestApp, user: &str) -> Answer {
    let (authorize, browser) = login(app).await;
    let callback = approve(&authorize, Some(user)).await;
    send(
        &app.router,
        Request::get(callback.as_str())
            .header(COOKIE, browser)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Whether `answer` sets a session cookie.
fn starts_a_session(answer: &Answer) -> bool {
    answer
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|cookie| cookie.starts_with("dialdesk_session=") && !cookie.contains("Max-Age=0"))
}

#[tokio::test]
async fn a_user_of_another_zoom_account_is_refused_and_nothing_of_theirs_is_kept() {
    let (emu, app) = rig().await;
    let refused = callback_as(&app, FELIX).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = String::from_utf8_lossy(&refused.body);
    assert!(
        page.contains("emu-other-account") && page.contains("allowed_account_ids"),
        "{page}"
    );
    assert!(!starts_a_session(&refused));
    assert_eq!(row_count(&app.db, "zoom_users").await, 0);
    assert_eq!(row_count(&app.db, "zoom_tokens").await, 0);
    let tokens: Value = reqwest::get(format!("{}/__emu/tokens", emu.oauth_base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let revoked = tokens["revoked"].as_array().unwrap();
    assert_eq!(
        revoked.len(),
        2,
        "the pair Zoom issued is revoked: {tokens}"
    );
    // Positive control: a user of the account served signs in.
    let admitted = callback_as(&app, AVA).await;
    assert_eq!(admitted.status, StatusCode::SEE_OTHER);
    assert!(starts_a_session(&admitted));
}

#[tokio::test]
async fn with_no_account_allowed_every_sign_in_is_refused_naming_the_setting() {
    let (_emu, app) = rig_with_config(&[], "[zoom]\nallowed_account_ids = []\n").await;
    let refused = callback_as(&app, AVA).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = String::from_utf8_lossy(&refused.body);
    assert!(
        page.contains("accepts no Zoom account yet") && page.contains("[zoom] allowed_account_ids"),
        "{page}"
    );
    assert!(!starts_a_session(&refused));
    assert_eq!(row_count(&app.db, "zoom_users").await, 0);
}
