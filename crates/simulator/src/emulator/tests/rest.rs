//! Contacts, call history, paging, ranges, recordings and the request counters.

use std::collections::HashSet;

use super::*;
use crate::clock::{iso8601_utc, now_ms};

/// Walks every page of `uri` (which has a query) and returns the rows of `field`.
async fn walk(emu: &Emu, token: &str, uri: &str, field: &str) -> (Vec<Value>, u64) {
    let mut rows = Vec::new();
    let mut next = String::new();
    let mut pages = 0;
    loop {
        let page_uri = if next.is_empty() {
            uri.to_owned()
        } else {
            format!("{uri}&next_page_token={next}")
        };
        let reply = emu.api(token, &page_uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let body = reply.json();
        rows.extend(body[field].as_array().expect("rows").iter().cloned());
        pages += 1;
        next = body["next_page_token"].as_str().expect("token").to_owned();
        if next.is_empty() {
            return (rows, pages);
        }
    }
}

fn days_ago(days: u64) -> String {
    iso8601_utc(now_ms() - days * 86_400_000)[..10].to_owned()
}

#[tokio::test]
async fn external_contacts_come_in_pages() {
    let emu = Emu::new();
    let token = emu.access().await;
    let (rows, pages) = walk(
        &emu,
        &token,
        "/v2/phone/external_contacts?page_size=100",
        "external_contacts",
    )
    .await;
    assert_eq!(rows.len(), 650);
    assert_eq!(pages, 7);
    let ids: HashSet<&str> = rows
        .iter()
        .map(|row| row["external_contact_id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 650);
    let first = &rows[0];
    for field in ["id", "name", "email", "description"] {
        assert!(first[field].is_string(), "{field}");
    }
    assert!(first["phone_numbers"][0]
        .as_str()
        .expect("number")
        .contains("55501"));
    let default = emu.api(&token, "/v2/phone/external_contacts").await.json();
    assert_eq!(
        default["external_contacts"].as_array().map(Vec::len),
        Some(30)
    );
    for bad in ["0", "301", "x"] {
        emu.api(
            &token,
            &format!("/v2/phone/external_contacts?page_size={bad}"),
        )
        .await
        .assert_zoom(StatusCode::BAD_REQUEST, 300);
    }
}

#[tokio::test]
async fn directory_search_needs_a_key() {
    let emu = Emu::new();
    let token = emu.access().await;
    emu.api(&token, "/v2/contacts")
        .await
        .assert_zoom(StatusCode::BAD_REQUEST, 300);
    let found = emu.api(&token, "/v2/contacts?search_key=okaf").await;
    assert_eq!(found.headers["x-ratelimit-category"], "Medium");
    let found = found.json();
    assert_eq!(found["contacts"].as_array().map(Vec::len), Some(1));
    assert_eq!(found["contacts"][0]["email"], "ben.okafor@dialdesk.example");
    assert_eq!(found["contacts"][0]["extension_number"], "102");
}

#[tokio::test]
async fn call_history_pages_with_the_same_filters() {
    let emu = Emu::new();
    let token = emu.access().await;
    let uri = format!(
        "/v2/phone/call_history?from={}&to={}&page_size=300",
        days_ago(7),
        days_ago(0)
    );
    let first = emu.api(&token, &uri).await;
    assert_eq!(first.headers["x-ratelimit-category"], "Heavy");
    assert_eq!(first.headers["x-ratelimit-type"], "QPS");
    assert_eq!(first.headers["x-ratelimit-limit"], "5");
    assert!(first.headers.contains_key("x-ratelimit-remaining"));
    let first = first.json();
    let total = first["total_records"].as_u64().expect("total");
    assert!((600..=900).contains(&total), "{total}");
    let (rows, pages) = walk(&emu, &token, &uri, "call_history").await;
    assert_eq!(rows.len() as u64, total);
    assert!(pages >= 3);
    let uuids: HashSet<&str> = rows
        .iter()
        .map(|row| row["call_history_uuid"].as_str().expect("uuid"))
        .collect();
    assert_eq!(uuids.len() as u64, total);
    let row = &rows[0];
    for field in [
        "id",
        "call_id",
        "direction",
        "start_time",
        "end_time",
        "duration",
        "call_result",
        "connect_type",
        "caller_name",
        "caller_did_number",
        "callee_name",
        "callee_did_number",
        "recording_status",
    ] {
        assert!(!row[field].is_null(), "{field}: {row}");
    }
    assert_eq!(row["id"], row["call_history_uuid"]);
    assert!(rows.iter().any(|row| row["recording_status"] == "recorded"));
    assert!(rows
        .iter()
        .any(|row| row["caller_ext_number"] == "101" || row["callee_ext_number"] == "101"));
}

#[tokio::test]
async fn today_has_calls_of_user_1() {
    let emu = Emu::new();
    let token = emu.access().await;
    let today = days_ago(0);
    let uri = format!("/v2/phone/call_history?from={today}&to={today}&keyword=ava");
    let (rows, _) = walk(&emu, &token, &uri, "call_history").await;
    assert!(rows.len() >= 6, "{}", rows.len());
    let now = iso8601_utc(now_ms());
    assert!(rows
        .iter()
        .all(|row| row["end_time"].as_str().expect("end") <= now.as_str()));
    // The default window is the last 24 hours.
    let default = emu.api(&token, "/v2/phone/call_history").await.json();
    assert!(default["total_records"].as_u64().expect("total") >= 6);
}

#[tokio::test]
async fn call_ids_filter_and_details() {
    let emu = Emu::new();
    let token = emu.access().await;
    let rows = emu
        .api(&token, "/v2/phone/call_history?page_size=300")
        .await
        .json()["call_history"]
        .as_array()
        .expect("rows")
        .clone();
    let recorded = rows
        .iter()
        .find(|row| row["recording_status"] == "recorded")
        .expect("a recorded call");
    let plain = rows
        .iter()
        .find(|row| row["recording_status"] == "non_recorded")
        .expect("a plain call");
    let call_id = recorded["call_id"].as_str().expect("call id");
    let uuid = recorded["call_history_uuid"].as_str().expect("uuid");

    let picked = emu
        .api(
            &token,
            &format!(
                "/v2/phone/call_history?call_ids={call_id}&call_ids[]={}",
                plain["call_id"].as_str().expect("id")
            ),
        )
        .await
        .json();
    assert_eq!(picked["total_records"], 2);

    let detail = emu
        .api(&token, &format!("/v2/phone/call_history/{uuid}"))
        .await
        .json();
    assert_eq!(detail["call_id"], call_id);
    let element = &detail["call_elements"][0];
    assert_eq!(element["call_id"], call_id);
    let recording_id = element["recording_id"].as_str().expect("recording id");
    let element_id = element["call_element_id"].as_str().expect("element id");
    let one = emu
        .api(&token, &format!("/v2/phone/call_element/{element_id}"))
        .await
        .json();
    assert_eq!(one["call_history_uuid"], uuid);
    assert_eq!(one["result"], "answered");

    for id in [call_id, uuid] {
        let recording = emu
            .api(&token, &format!("/v2/phone/call_logs/{id}/recordings"))
            .await
            .json();
        assert_eq!(recording["id"], recording_id);
        assert_eq!(recording["call_element_id"], element_id);
        assert_eq!(
            recording["download_url"],
            format!("{OAUTH_BASE}/v2/phone/recording/download/{recording_id}")
        );
    }
    let plain_id = plain["call_id"].as_str().expect("id");
    let missing = emu
        .api(
            &token,
            &format!("/v2/phone/call_logs/{plain_id}/recordings"),
        )
        .await;
    missing.assert_zoom(StatusCode::NOT_FOUND, 1001);
    assert_eq!(
        missing.json()["message"],
        format!("Recording does not exist: {plain_id}.")
    );
    emu.api(&token, "/v2/phone/call_history/not-a-uuid")
        .await
        .assert_zoom(StatusCode::NOT_FOUND, 1001);
    emu.api(&token, "/v2/phone/call_element/%00")
        .await
        .assert_zoom(StatusCode::NOT_FOUND, 1001);
    emu.api(&token, "/v2/phone/nothing")
        .await
        .assert_zoom(StatusCode::NOT_FOUND, 404);
}

#[tokio::test]
async fn page_tokens_are_bound_and_expire() {
    let emu = Emu::new();
    let token = emu.access().await;
    let from = days_ago(3);
    let to = days_ago(0);
    let uri = format!("/v2/phone/call_history?from={from}&to={to}");
    let next = emu.api(&token, &uri).await.json()["next_page_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert!(!next.is_empty());
    let moved = format!(
        "/v2/phone/call_history?from={}&to={to}&next_page_token={next}",
        days_ago(4)
    );
    let refused = emu.api(&token, &moved).await;
    refused.assert_zoom(StatusCode::BAD_REQUEST, 400);
    assert_eq!(
        refused.json()["message"],
        "The next page token is invalid or expired."
    );
    let keyword = format!("{uri}&keyword=ava&next_page_token={next}");
    emu.api(&token, &keyword)
        .await
        .assert_zoom(StatusCode::BAD_REQUEST, 400);
    let contacts = format!("/v2/phone/external_contacts?next_page_token={next}");
    emu.api(&token, &contacts)
        .await
        .assert_zoom(StatusCode::BAD_REQUEST, 400);
    let same = format!("{uri}&page_size=50&next_page_token={next}");
    assert_eq!(emu.api(&token, &same).await.status, StatusCode::OK);

    emu.advance(15 * 60 * 1000);
    let expired = emu
        .api(&token, &format!("{uri}&next_page_token={next}"))
        .await;
    expired.assert_zoom(StatusCode::BAD_REQUEST, 400);
}

#[tokio::test]
async fn ranges_are_checked() {
    let emu = Emu::new();
    let token = emu.access().await;
    for query in [
        format!("from={}&to={}", days_ago(40), days_ago(5)),
        format!("from={}&to={}", days_ago(190), days_ago(185)),
        format!("from={}", days_ago(3)),
        format!("to={}", days_ago(3)),
        format!("from={}&to={}", days_ago(2), days_ago(3)),
        "from=2026-13-01&to=2026-13-02".to_owned(),
        "from=yesterday&to=today".to_owned(),
        format!(
            "from={}&from={}&to={}",
            days_ago(2),
            days_ago(3),
            days_ago(1)
        ),
    ] {
        for path in ["/v2/phone/call_history", "/v2/phone/call_logs"] {
            emu.api(&token, &format!("{path}?{query}"))
                .await
                .assert_zoom(StatusCode::BAD_REQUEST, 300);
        }
    }
    let long = emu
        .api(
            &token,
            &format!(
                "/v2/phone/call_history?from={}&to={}",
                days_ago(40),
                days_ago(5)
            ),
        )
        .await;
    assert_eq!(
        long.json()["message"],
        "The time range cannot be longer than one month."
    );
}

#[tokio::test]
async fn legacy_call_logs_have_the_legacy_shape() {
    let emu = Emu::new();
    let token = emu.access().await;
    let body = emu
        .api(&token, "/v2/phone/call_logs?page_size=5")
        .await
        .json();
    assert!(body.get("call_history").is_none());
    let row = &body["call_logs"][0];
    for field in [
        "id",
        "call_id",
        "direction",
        "caller_number",
        "callee_number",
        "date_time",
        "duration",
        "result",
    ] {
        assert!(!row[field].is_null(), "{field}: {row}");
    }
}

#[tokio::test]
async fn requests_are_counted_by_route() {
    let emu = Emu::new();
    let token = emu.access().await;
    emu.api(&token, "/v2/phone/call_history").await;
    emu.api(&token, "/v2/phone/call_history?page_size=1").await;
    emu.api(&token, "/v2/phone/users/me").await;
    emu.api("nope", "/v2/users/me").await;
    let counts = emu.get("/__emu/requests").await.json();
    assert_eq!(counts["by_route"]["GET /v2/phone/call_history"], 2);
    assert_eq!(counts["by_route"]["GET /v2/phone/users/{user_id}"], 1);
    assert_eq!(counts["by_route"]["GET /v2/users/me"], 1);
    assert_eq!(counts["by_route"]["POST /oauth/authorize"], 1);
    assert_eq!(counts["by_route"]["POST /oauth/token"], 1);
    assert_eq!(counts["total"], 6);
    assert_eq!(counts["grants"]["authorization_code"], 1);
    assert_eq!(counts["file_requests"], 0);
    let reset = call(
        &emu.api,
        Request::post("/__emu/reset")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    let counts = emu.get("/__emu/requests").await.json();
    assert_eq!(counts["total"], 0);
    assert_eq!(counts["by_route"], json!({}));
    assert_eq!(
        emu.api(&token, "/v2/users/me").await.status,
        StatusCode::OK,
        "tokens survive a reset"
    );
}

#[tokio::test]
async fn a_users_call_history_holds_their_calls_and_their_elements() {
    let emu = Emu::new();
    let token = emu.access().await;
    let uri = format!(
        "/v2/phone/users/me/call_history?from={}&to={}&page_size=300",
        days_ago(7),
        days_ago(0)
    );
    let (rows, _) = walk(&emu, &token, &uri, "call_logs").await;
    assert!(!rows.is_empty(), "Ava has calls this week");
    let ava = "+12125550101";
    for row in &rows {
        assert!(
            row["caller_number"] == ava || row["callee_number"] == ava,
            "only Ava's calls: {row}"
        );
        assert!(
            !row["call_path_id"].is_null() && !row["talk_time"].is_null(),
            "{row}"
        );
    }
    let page = emu.api(&token, &uri).await.json();
    let ids: HashSet<&str> = page["call_logs"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row["call_id"].as_str())
        .collect();
    let elements = page["call_elements"].as_array().expect("elements");
    assert!(!elements.is_empty());
    assert!(elements
        .iter()
        .all(|element| ids.contains(element["call_id"].as_str().unwrap_or_default())));
    // A user's token reads no one else's history.
    emu.api(
        &token,
        "/v2/phone/users/emuU2BenOkafor00000002/call_history",
    )
    .await
    .assert_zoom(StatusCode::NOT_FOUND, 1001);
}
