//! Limits: a request that runs out of time, and a database that stays locked past
//! its busy wait, are answered 503 with `Retry-After` and a reason, not 500; uploads
//! and recording streams alone have no deadline; a signed-in session over its
//! request rate is answered 429 with `Retry-After`, and other sessions are not.

#[allow(dead_code, reason = "this file uses a few of the shared helpers")]
mod support;

use axum::body::Body;
use axum::http::header::{COOKIE, RETRY_AFTER};
use axum::http::{Method, Request, StatusCode};
use dialdesk_proxy::api::{route_table, Deadline, TOO_SLOW};
use serde_json::json;
use support::zoom::{rig_with_config, signed_in, AVA};
use support::{send, test_app, Caller};

#[tokio::test]
async fn only_uploads_and_recording_streams_have_no_deadline() {
    let app = test_app(&[]).await;
    let unbounded: Vec<String> = route_table(&app.state)
        .iter()
        .filter(|route| route.deadline == Deadline::Unbounded)
        .map(|route| format!("{} {}", route.method, route.path))
        .collect();
    assert_eq!(
        unbounded,
        ["POST /imports", "GET /calls/{call_id}/recording"]
    );
}

#[tokio::test]
async fn a_request_that_runs_out_of_time_is_answered_503_with_retry_after() {
    let (emu, app) = rig_with_config(&[], "[limits]\nrequest_timeout_secs = 6\n").await;
    let cookie = signed_in(&app, AVA).await;
    let me = || {
        Request::get("/api/me")
            .header(COOKIE, &cookie)
            .body(Body::empty())
            .unwrap()
    };
    // Control: Zoom answering at once, the lookup works.
    assert_eq!(send(&app.router, me()).await.status, StatusCode::OK);
    // A second user, signed in while Zoom is quick (the first one's identity is cached).
    let ben = signed_in(&app, "ben.okafor@dialdesk.example").await;
    let slow = reqwest::Client::new()
        .post(format!("{}/__emu/faults", emu.oauth_base()))
        .json(&json!({ "slow_ms": 9000 }))
        .send()
        .await
        .unwrap();
    assert!(slow.status().is_success());
    let answer = send(
        &app.router,
        Request::get("/api/me")
            .header(COOKIE, &ben)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.error().error, TOO_SLOW);
    assert_eq!(answer.headers[RETRY_AFTER], "5");
}

#[tokio::test]
async fn a_database_locked_past_its_busy_wait_is_answered_503_not_500() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    // Another process holds the write lock for longer than the five-second busy wait.
    let holder = rusqlite::Connection::open(app.db_path()).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let draft = json!({ "name": "Locked Out",
                        "numbers": [{ "label": "work", "raw": "+14155550123" }] });
    let answer = caller
        .json(&app.router, Method::POST, "/api/contacts", &draft)
        .await;
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        answer.error().error,
        "the database is busy; try again in a few seconds"
    );
    assert_eq!(answer.headers[RETRY_AFTER], "5");
}

/// `GET /api/session` with `cookie`.
async fn session_answer(app: &support::TestApp, cookie: &str) -> support::Answer {
    let request = Request::get("/api/session")
        .header(COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    send(&app.router, request).await
}

#[tokio::test]
async fn a_session_over_its_request_rate_waits_and_others_do_not() {
    let (_emu, app) = rig_with_config(&[], "[limits]\napi_requests_per_minute = 5\n").await;
    let ava = signed_in(&app, AVA).await;
    let ben = signed_in(&app, "ben.okafor@dialdesk.example").await;
    for _ in 0..5 {
        assert_eq!(session_answer(&app, &ava).await.status, StatusCode::OK);
    }
    let refused = session_answer(&app, &ava).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=13).contains(&wait),
        "a fifth of a minute, rounded up: {wait}"
    );
    assert!(
        refused.error().error.contains(&format!("wait {wait} s")),
        "{}",
        refused.error().error
    );
    assert_eq!(
        session_answer(&app, &ben).await.status,
        StatusCode::OK,
        "each session has its own budget"
    );
}
