//! Every fault switch, and the recording download through the file host.

use std::time::{Duration, Instant};

use super::*;

async fn recorded_file(emu: &Emu, token: &str) -> String {
    let rows = emu
        .api(token, "/v2/phone/call_history?page_size=300")
        .await
        .json();
    let uuid = rows["call_history"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["recording_status"] == "recorded")
        .and_then(|row| row["call_history_uuid"].as_str())
        .expect("a recorded call")
        .to_owned();
    let recording = emu
        .api(token, &format!("/v2/phone/call_logs/{uuid}/recordings"))
        .await
        .json();
    recording["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn rate_limit_styles() {
    let emu = Emu::new();
    let token = emu.access().await;
    for (style, kind, retry_after, reset) in [
        ("seconds", "QPS", Some("1"), false),
        ("http_date", "Daily-limit", Some(" GMT"), false),
        ("iso_date", "Daily-limit", Some("Z"), false),
        ("reset_only", "QPS", None, true),
        ("none", "QPS", None, false),
    ] {
        let set = emu
            .faults(&json!({"rate_limit": {"style": style, "times": 2}}))
            .await;
        assert_eq!(
            set.json()["rate_limit"],
            json!({"style": style, "times": 2})
        );
        for _ in 0..2 {
            let reply = emu.api(&token, "/v2/phone/call_history").await;
            reply.assert_zoom(StatusCode::TOO_MANY_REQUESTS, 429);
            assert_eq!(reply.headers["x-ratelimit-type"], kind, "{style}");
            assert_eq!(reply.headers["x-ratelimit-category"], "Heavy");
            match retry_after {
                Some(suffix) => {
                    let value = reply.headers[header::RETRY_AFTER].to_str().expect("ascii");
                    assert!(value.ends_with(suffix), "{style}: {value}");
                }
                None => assert!(!reply.headers.contains_key(header::RETRY_AFTER), "{style}"),
            }
            assert_eq!(
                reply.headers.contains_key("x-ratelimit-reset"),
                reset,
                "{style}"
            );
        }
        assert_eq!(
            emu.api(&token, "/v2/phone/call_history").await.status,
            StatusCode::OK
        );
        assert_eq!(
            emu.get("/__emu/faults").await.json()["rate_limit"],
            Value::Null
        );
    }
}

#[tokio::test]
async fn expire_access_tokens_revokes_those_issued_so_far() {
    let emu = Emu::new();
    let old = emu.access().await;
    let set = emu.faults(&json!({"expire_access_tokens": true})).await;
    assert_eq!(set.json()["expire_access_tokens"], true);
    emu.api(&old, "/v2/users/me")
        .await
        .assert_zoom(StatusCode::UNAUTHORIZED, 124);
    let new = emu.access().await;
    assert_eq!(emu.api(&new, "/v2/users/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn expire_page_tokens_invalidates_those_issued_so_far() {
    let emu = Emu::new();
    let token = emu.access().await;
    let first = emu.api(&token, "/v2/phone/external_contacts").await.json();
    let next = first["next_page_token"].as_str().expect("token");
    emu.faults(&json!({"expire_page_tokens": true})).await;
    emu.api(
        &token,
        &format!("/v2/phone/external_contacts?next_page_token={next}"),
    )
    .await
    .assert_zoom(StatusCode::BAD_REQUEST, 400);
    let again = emu.api(&token, "/v2/phone/external_contacts").await.json();
    let next = again["next_page_token"].as_str().expect("token");
    let reply = emu
        .api(
            &token,
            &format!("/v2/phone/external_contacts?next_page_token={next}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn phone_not_enabled_and_missing_scope() {
    let emu = Emu::new();
    let token = emu.access().await;
    emu.faults(&json!({"phone_not_enabled": true})).await;
    let refused = emu.api(&token, "/v2/phone/users/me").await;
    refused.assert_zoom(StatusCode::FORBIDDEN, 2031);
    assert_eq!(
        refused.json()["message"],
        "Zoom Phone has not been enabled for this account."
    );
    emu.api(&token, "/v2/phone/call_history")
        .await
        .assert_zoom(StatusCode::FORBIDDEN, 2031);
    assert_eq!(emu.api(&token, "/v2/users/me").await.status, StatusCode::OK);
    emu.faults(&json!({"phone_not_enabled": false, "missing_scope": true}))
        .await;
    let refused = emu.api(&token, "/v2/users/me").await;
    refused.assert_zoom(StatusCode::BAD_REQUEST, 4711);
    assert_eq!(
        refused.json()["message"],
        "Invalid access token, does not contain scopes:[phone:read:admin]."
    );
    emu.api("nope", "/v2/users/me")
        .await
        .assert_zoom(StatusCode::UNAUTHORIZED, 124);
    let reset = call(
        &emu.api,
        Request::post("/__emu/reset")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    assert_eq!(emu.api(&token, "/v2/users/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn slow_ms_delays_answers() {
    let emu = Emu::new();
    let token = emu.access().await;
    emu.faults(&json!({"slow_ms": 150})).await;
    let start = Instant::now();
    assert_eq!(emu.api(&token, "/v2/users/me").await.status, StatusCode::OK);
    assert!(start.elapsed() >= Duration::from_millis(150));
    assert_eq!(emu.get("/__emu/faults").await.json()["slow_ms"], 150);
}

#[tokio::test]
async fn legacy_call_logs_fault_switches_call_history_to_the_legacy_shape() {
    let emu = Emu::new();
    let token = emu.access().await;
    emu.faults(&json!({"legacy_call_logs": true})).await;
    let body = emu.api(&token, "/v2/phone/call_history").await.json();
    assert!(body.get("call_history").is_none());
    assert!(body["call_logs"]
        .as_array()
        .is_some_and(|rows| !rows.is_empty()));
    assert!(body["call_logs"][0]["result"].is_string());
}

#[tokio::test]
async fn bad_fault_patches_are_400() {
    let emu = Emu::new();
    for bad in [
        json!({"nope": true}),
        json!({"slow_ms": -1}),
        json!({"slow_ms": 60001}),
        json!([1]),
    ] {
        let reply = emu.faults(&bad).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(reply.json()["error"]
            .as_str()
            .expect("reason")
            .starts_with("invalid faults"));
    }
    let current = emu.get("/__emu/faults").await.json();
    assert_eq!(
        current,
        json!({
            "rate_limit": null, "expire_access_tokens": false, "expire_page_tokens": false,
            "phone_not_enabled": false, "missing_scope": false, "slow_ms": 0,
            "legacy_call_logs": false, "download_redirect": "file_host",
        })
    );
}

#[tokio::test]
async fn downloads_redirect_to_the_file_host_which_records_authorization_leaks() {
    let emu = Emu::new();
    let token = emu.access().await;
    let file_id = recorded_file(&emu, &token).await;
    let redirect = emu
        .api(&token, &format!("/v2/phone/recording/download/{file_id}"))
        .await;
    assert_eq!(redirect.status, StatusCode::FOUND);
    assert_eq!(redirect.headers["x-ratelimit-category"], "Medium");
    let location = redirect.headers[header::LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let path = location
        .strip_prefix(&format!("http://{FILE_HOST}"))
        .unwrap_or_else(|| panic!("{location}"));
    assert!(path.starts_with(&format!("/__emu/files/{file_id}?access=")));

    let clean = call(
        &emu.files,
        Request::get(path).body(Body::empty()).expect("request"),
    )
    .await;
    assert_eq!(clean.status, StatusCode::OK);
    assert_eq!(clean.headers[header::CONTENT_TYPE], "audio/wav");
    assert!(clean.text.len() > 90_000);
    let leaky = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    assert_eq!(call(&emu.files, leaky).await.status, StatusCode::OK);
    let forged = format!("/__emu/files/{file_id}?access=00");
    let forged = call(
        &emu.files,
        Request::get(forged).body(Body::empty()).expect("request"),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let counts = emu.get("/__emu/requests").await.json();
    assert_eq!(counts["file_requests"], 3);
    assert_eq!(counts["file_requests_with_authorization"], 1);

    emu.api(&token, "/v2/phone/recording/download/nope")
        .await
        .assert_zoom(StatusCode::NOT_FOUND, 1001);
    emu.faults(&json!({"download_redirect": "foreign_host"}))
        .await;
    let foreign = emu
        .api(&token, &format!("/v2/phone/recording/download/{file_id}"))
        .await;
    assert_eq!(foreign.status, StatusCode::FOUND);
    assert_eq!(foreign.headers[header::LOCATION], "http://127.0.0.3:9/evil");
}
