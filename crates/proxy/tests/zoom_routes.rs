//! The Zoom lookups through the proxy's routes, against the emulator over
//! real HTTP: `/api/me`, the unlogged-calls reconciliation (logging a call
//! removes it), recordings streamed through the proxy without the token
//! reaching the file host, the external-contact sync, and a dead Zoom
//! sign-in answered with one "sign in again".

#[allow(dead_code, reason = "this file uses a few of the shared helpers")]
mod support;

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request, StatusCode};
use dialdesk_contract::{DirectoryEntry, Me, SessionInfo, SyncStatus, UnloggedCalls, CSRF_HEADER};
use serde_json::{json, Value};
use support::zoom::{rig, rig_with, signed_in, AVA};
use support::{row_count, send, Answer, TestApp};

async fn call(
    app: &TestApp,
    method: Method,
    uri: &str,
    cookie: &str,
    body: Option<Value>,
) -> Answer {
    let session: SessionInfo = session_of(app, cookie).await.json();
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(COOKIE, cookie)
        .header(CSRF_HEADER, session.csrf_token)
        .header(CONTENT_TYPE, "application/json");
    let body = body.map_or_else(Body::empty, |value| Body::from(value.to_string()));
    send(&app.router, request.body(body).unwrap()).await
}

async fn emu_json(emu: &dialdesk_sim::emulator::RunningEmulator, path: &str) -> Value {
    reqwest::get(format!("{}{path}", emu.oauth_base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn me_lists_the_users_zoom_numbers() {
    let (_emu, app) = rig().await;
    let cookie = signed_in(&app, AVA).await;
    let me: Me = call(&app, Method::GET, "/api/me", &cookie, None)
        .await
        .json();
    assert_eq!(me.email, AVA);
    assert_eq!(me.name, "Ava Lindqvist");
    assert_eq!(me.extension_number.as_deref(), Some("101"));
    assert_eq!(me.phone_numbers, ["+12125550101"]);
}

#[tokio::test]
async fn the_company_directory_is_searched_in_zoom() {
    let (_emu, app) = rig().await;
    let cookie = signed_in(&app, AVA).await;
    let people: Vec<DirectoryEntry> = call(
        &app,
        Method::GET,
        "/api/zoom/directory?q=ben",
        &cookie,
        None,
    )
    .await
    .json();
    let ben = people
        .iter()
        .find(|p| p.name == "Ben Okafor")
        .expect("Ben is in the directory");
    assert_eq!(ben.extension_number.as_deref(), Some("102"));
    assert!(people.iter().all(|p| p.name.to_lowercase().contains("ben")));
    for bad in ["/api/zoom/directory", "/api/zoom/directory?q=%20%20"] {
        let answer = call(&app, Method::GET, bad, &cookie, None).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn logging_an_unlogged_call_removes_it_and_its_recording_streams_through_the_proxy() {
    let s2s = [
        ("ZOOM_ACCOUNT_ID", "emu-account"),
        ("ZOOM_S2S_CLIENT_ID", "emu-s2s-id"),
        ("ZOOM_S2S_CLIENT_SECRET", "emu-s2s-secret"),
    ];
    let (emu, app) = rig_with(&s2s).await;
    let cookie = signed_in(&app, AVA).await;
    let unlogged: UnloggedCalls = call(&app, Method::GET, "/api/calls/unlogged", &cookie, None)
        .await
        .json();
    assert!(!unlogged.calls.is_empty(), "Ava has calls this week");
    let asked = emu_json(&emu, "/__emu/requests").await["by_route"].clone();
    assert!(
        asked["GET /v2/phone/users/{user_id}/call_history"].as_u64() > Some(0),
        "the rep's own history: {asked}"
    );
    assert!(
        asked["GET /v2/phone/call_history"].is_null(),
        "no account-wide pull: {asked}"
    );
    let starts: Vec<_> = unlogged
        .calls
        .iter()
        .map(|c| c.start_time.clone())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(starts, sorted, "newest first");
    let first = unlogged.calls[0].clone();
    assert!(first.number.is_some(), "the other party's number is shown");

    let saved = call(
        &app,
        Method::PUT,
        &format!("/api/calls/{}/log", first.call_id),
        &cookie,
        Some(json!({ "baseVersion": 0, "disposition": "interested", "notes": "from Zoom's history",
                     "fields": {}, "contactId": null, "direction": first.direction,
                     "number": first.number, "durationSecs": first.duration_secs, "result": first.result })),
    )
    .await;
    assert_eq!(saved.status, StatusCode::CREATED);
    let log: Value = saved.json();
    assert_eq!(log["savedBy"], "Ava Lindqvist");
    let after: UnloggedCalls = call(&app, Method::GET, "/api/calls/unlogged", &cookie, None)
        .await
        .json();
    assert_eq!(after.calls.len(), unlogged.calls.len() - 1);
    assert!(after.calls.iter().all(|c| c.call_id != first.call_id));

    let recorded = unlogged
        .calls
        .iter()
        .find(|c| c.has_recording)
        .expect("a recorded call");
    let audio = call(
        &app,
        Method::GET,
        &format!("/api/calls/{}/recording", recorded.call_id),
        &cookie,
        None,
    )
    .await;
    assert_eq!(audio.status, StatusCode::OK);
    assert!(audio.body.starts_with(b"RIFF"), "a WAV file");
    let requests = emu_json(&emu, "/__emu/requests").await;
    assert_eq!(requests["file_requests"], 1);
    assert_eq!(requests["file_requests_with_authorization"], 0);
    let text = String::from_utf8_lossy(&audio.body).into_owned();
    for token in emu_json(&emu, "/__emu/tokens").await["access_tokens"]
        .as_array()
        .unwrap()
    {
        assert!(!text.contains(token.as_str().unwrap()));
    }
}

#[tokio::test]
async fn the_external_contact_sync_fills_the_book_once_and_reports_progress() {
    let (_emu, app) = rig().await;
    let cookie = signed_in(&app, AVA).await;
    let idle: SyncStatus = call(&app, Method::GET, "/api/zoom/contacts/sync", &cookie, None)
        .await
        .json();
    assert_eq!(idle.state, "idle");
    let mut renamed = None;
    for run in 0..2 {
        let started = call(&app, Method::POST, "/api/zoom/contacts/sync", &cookie, None).await;
        assert_eq!(started.status, StatusCode::ACCEPTED);
        let status = loop {
            let status: SyncStatus =
                call(&app, Method::GET, "/api/zoom/contacts/sync", &cookie, None)
                    .await
                    .json();
            if status.state != "running" {
                break status;
            }
            // Polled at a pace the per-session rate limit allows.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert_eq!(status.state, "done", "{status:?}");
        assert_eq!(status.read, 650);
        if run == 0 {
            assert_eq!((status.created, status.updated), (650, 0));
            renamed = Some(rename_first(&app, &cookie).await);
        } else {
            assert_eq!((status.created, status.updated), (0, 650));
            let (id, zoom_name) = renamed.clone().unwrap_or_default();
            assert_eq!(
                status.kept,
                [format!(
                    "kept {zoom_name}'s name as edited in dialdesk; Zoom has {zoom_name:?}"
                )],
                "the rep's edit is reported"
            );
            let now = call(
                &app,
                Method::GET,
                &format!("/api/contacts/{id}"),
                &cookie,
                None,
            )
            .await
            .json::<Value>();
            assert_eq!(now["name"], "Renamed Here", "and kept");
        }
        assert!(status.finished_at.is_some());
    }
    assert_eq!(row_count(&app.db, "contacts").await, 650);
}

/// A rep renames the first contact of the book; returns its id and its name before.
async fn rename_first(app: &TestApp, cookie: &str) -> (i64, String) {
    let page = call(app, Method::GET, "/api/contacts", cookie, None)
        .await
        .json::<Value>();
    let first = &page["contacts"][0];
    let numbers: Vec<Value> = first["numbers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|n| json!({ "label": n["label"], "raw": n["raw"] }))
        .collect();
    let edit = json!({ "name": "Renamed Here", "company": first["company"],
        "title": first["title"], "email": first["email"], "timeZone": first["timeZone"],
        "numbers": numbers, "baseVersion": first["version"] });
    let id = first["id"].as_i64().unwrap_or_default();
    let answer = call(
        app,
        Method::PUT,
        &format!("/api/contacts/{id}"),
        cookie,
        Some(edit),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    (id, first["name"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_dead_zoom_sign_in_asks_once_to_sign_in_again() {
    let (_emu, app) = rig().await;
    let cookie = signed_in(&app, AVA).await;
    app.db
        .write(|conn| {
            conn.execute(
                "UPDATE zoom_tokens SET refresh_token = 'revoked', expires_at = 0",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let answer = call(&app, Method::GET, "/api/me", &cookie, None).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        answer.error().error,
        "your Zoom sign-in has expired or was revoked; sign in with Zoom again"
    );
    assert_eq!(
        session_status(&app, &cookie).await,
        StatusCode::UNAUTHORIZED,
        "the session ended"
    );
    assert_eq!(row_count(&app.db, "zoom_tokens").await, 0);
}

/// What `GET /api/session` answers `cookie`.
async fn session_of(app: &TestApp, cookie: &str) -> Answer {
    send(
        &app.router,
        Request::get("/api/session")
            .header(COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// The status `GET /api/session` answers `cookie`.
async fn session_status(app: &TestApp, cookie: &str) -> StatusCode {
    session_of(app, cookie).await.status
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_and_revokes_the_tokens_at_zoom() {
    let (emu, app) = rig().await;
    let first = signed_in(&app, AVA).await;
    let second = signed_in(&app, AVA).await;
    // Control: a plain sign-out ends its own session only, and revokes nothing.
    let third = signed_in(&app, AVA).await;
    let out = call(&app, Method::DELETE, "/api/session", &third, None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(session_status(&app, &third).await, StatusCode::UNAUTHORIZED);
    assert_eq!(session_status(&app, &first).await, StatusCode::OK);
    assert_eq!(session_status(&app, &second).await, StatusCode::OK);
    assert_eq!(emu_json(&emu, "/__emu/tokens").await["revoked"], json!([]));

    let issued = emu_json(&emu, "/__emu/tokens").await;
    let last = |kind: &str| issued[kind].as_array().and_then(|all| all.last()).cloned();
    let (stored_refresh, stored_access) = (last("refresh_tokens"), last("access_tokens"));
    let out = call(&app, Method::DELETE, "/api/sessions", &first, None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    for cookie in [&first, &second] {
        assert_eq!(session_status(&app, cookie).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(row_count(&app.db, "zoom_tokens").await, 0);
    assert_eq!(
        emu_json(&emu, "/__emu/tokens").await["revoked"],
        json!([stored_refresh, stored_access]),
        "the stored pair is revoked at Zoom"
    );
}
