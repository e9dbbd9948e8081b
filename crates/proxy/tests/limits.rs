//! Limits: a request that runs out of time, and a database that stays locked past
//! its busy wait, are answered 503 with `Retry-After` and a reason, not 500; uploads
//! and recording streams alone have no deadline.

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
