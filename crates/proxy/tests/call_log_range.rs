//! Reading the call logs of a range of days: `GET /api/calls/logs` (JSON) and
//! `GET /api/calls/logs.csv` (a download): both end days included, the range
//! and contact checked, CSV cells quoted and kept from running as formulas,
//! in process through `oneshot`.

mod support;

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use dialdesk_contract::{CallLog, CallLogDraft, JournalEvent};
use dialdesk_proxy::api::{MAX_LISTED, TRUNCATED_HEADER};
use dialdesk_proxy::db::Db;
use serde_json::json;
use support::{add_contact, get, row_count, send, test_app, Caller};
use tower::ServiceExt as _;

const RECORDING: &str = "zp-call-recording-completed-event";
const AUDIO: &str = "https://applications.zoom.us/integration/phone/embeddablephone/audio/play";

fn draft(notes: &str, contact_id: Option<i64>) -> CallLogDraft {
    CallLogDraft {
        base_version: 0,
        disposition: "interested".to_owned(),
        notes: notes.to_owned(),
        fields: serde_json::Map::new(),
        contact_id,
        direction: Some("outbound".to_owned()),
        number: Some("+14155550100".to_owned()),
        duration_secs: Some(42),
        result: Some("ended".to_owned()),
    }
}

/// Saves `draft` as the log of `call_id` and moves its save to `saved_at`.
async fn save_at(
    app_router: &Router,
    db: &Db,
    caller: &Caller,
    call_id: &str,
    saved_at: &str,
    draft: &CallLogDraft,
) {
    let answer = caller
        .json(
            app_router,
            Method::PUT,
            &format!("/api/calls/{call_id}/log"),
            draft,
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{call_id}");
    let (call_id, saved_at) = (call_id.to_owned(), saved_at.to_owned());
    db.write(move |conn| {
        conn.execute(
            "UPDATE call_logs SET saved_at = ?2 WHERE root_call_id = ?1",
            [call_id, saved_at],
        )?;
        Ok(())
    })
    .await
    .unwrap();
}

/// The logs listed for `query`, which must be answered 200.
async fn listed(router: &Router, query: &str) -> Vec<CallLog> {
    let answer = get(router, &format!("/api/calls/logs?{query}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{query}");
    answer.json()
}

fn ids(logs: &[CallLog]) -> Vec<&str> {
    logs.iter().map(|log| log.call_id.as_str()).collect()
}

#[tokio::test]
async fn a_range_holds_the_logs_saved_on_its_days_both_ends_included() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let (r, db) = (&app.router, &app.db);
    for (call_id, saved_at) in [
        ("before", "2025-03-09T23:59:59.999Z"),
        ("first", "2025-03-10T00:00:00.000Z"),
        ("last", "2025-03-12T23:59:59.999Z"),
        ("middle-b", "2025-03-12T08:00:00.000Z"),
        ("middle-a", "2025-03-12T08:00:00.000Z"),
        ("after", "2025-03-13T00:00:00.000Z"),
        ("next-year", "2026-03-11T12:00:00.000Z"),
    ] {
        save_at(r, db, &caller, call_id, saved_at, &draft(call_id, None)).await;
    }
    let recording = format!("{AUDIO}/0/first");
    let event = JournalEvent {
        event_key: "k1".to_owned(),
        kind: RECORDING.to_owned(),
        call_id: "first_1".to_owned(),
        payload: json!({ "recordingUrl": recording }),
        contact_id: None,
    };
    let answer = caller
        .json(r, Method::POST, "/api/calls/events", &[event])
        .await;
    assert_eq!(answer.status, StatusCode::OK);

    let logs = listed(r, "from=2025-03-10&to=2025-03-12").await;
    // By saved_at, then call id when two were saved at the same instant.
    assert_eq!(ids(&logs), ["first", "middle-a", "middle-b", "last"]);
    assert_eq!(logs[0].recordings, [recording]);
    // Each log as its own route reads it.
    for log in &logs {
        let one: CallLog = get(r, &format!("/api/calls/{}/log", log.call_id))
            .await
            .json();
        assert_eq!(&one, log);
    }
    assert_eq!(
        ids(&listed(r, "from=2025-03-12&to=2025-03-12").await),
        ["middle-a", "middle-b", "last"]
    );
    assert_eq!(
        ids(&listed(r, "from=2025-03-13&to=2025-03-13").await),
        ["after"]
    );
    assert_eq!(
        ids(&listed(r, "from=2025-03-11&to=2026-03-11").await),
        ["middle-a", "middle-b", "last", "after", "next-year"]
    );
    assert!(listed(r, "from=2025-03-11&to=2025-03-11").await.is_empty());
}

#[tokio::test]
async fn bad_ranges_are_refused_with_400() {
    let app = test_app(&[]).await;
    let r = &app.router;
    for (query, message) in [
        ("", "from is required: a day written YYYY-MM-DD"),
        ("from=2025-01-01", "to is required: a day written YYYY-MM-DD"),
        ("to=2025-01-01", "from is required: a day written YYYY-MM-DD"),
        (
            "from=2025-02-29&to=2025-03-01",
            "from must be a real day written YYYY-MM-DD, such as 2025-03-31; got \"2025-02-29\"",
        ),
        (
            "from=2025-01-01&to=2025-1-31",
            "to must be a real day written YYYY-MM-DD, such as 2025-03-31; got \"2025-1-31\"",
        ),
        (
            "from=2025-01-01T00:00:00Z&to=2025-01-31",
            "from must be a real day written YYYY-MM-DD, such as 2025-03-31; got \"2025-01-01T00:00:00Z\"",
        ),
        (
            "from=2025-02-01&to=2025-01-31",
            "from (2025-02-01) is after to (2025-01-31); swap them",
        ),
        (
            "from=2024-01-01&to=2025-01-01",
            "the range from 2024-01-01 to 2025-01-01 spans 367 days; ask for at most 366 at a time",
        ),
        (
            "from=2025-01-01&to=2025-01-31&contactId=abc",
            "contactId must be a whole number, 1 or more",
        ),
        (
            "from=2025-01-01&to=2025-01-31&contactId=0",
            "contactId must be a whole number, 1 or more",
        ),
    ] {
        for path in ["/api/calls/logs", "/api/calls/logs.csv"] {
            let answer = get(r, &format!("{path}?{query}")).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}?{query}");
            assert_eq!(answer.error().error, message, "{path}?{query}");
        }
    }
    let twice = get(
        r,
        "/api/calls/logs?from=2025-01-01&from=2025-01-02&to=2025-01-31",
    )
    .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    // A whole leap year is the longest range.
    assert!(listed(r, "from=2024-01-01&to=2024-12-31").await.is_empty());
}

#[tokio::test]
async fn the_contact_filter_keeps_that_contacts_logs() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let (r, db) = (&app.router, &app.db);
    let jane = add_contact(db, "Jane Doe", None).await;
    let john = add_contact(db, "John Roe", None).await;
    let day = "2025-05-01T10:00:00.000Z";
    save_at(r, db, &caller, "jane-1", day, &draft("a", Some(jane))).await;
    save_at(r, db, &caller, "john-1", day, &draft("b", Some(john))).await;
    save_at(r, db, &caller, "nobody", day, &draft("c", None)).await;
    save_at(
        r,
        db,
        &caller,
        "jane-2",
        "2025-05-02T10:00:00.000Z",
        &draft("d", Some(jane)),
    )
    .await;
    save_at(
        r,
        db,
        &caller,
        "jane-old",
        "2025-04-30T10:00:00.000Z",
        &draft("e", Some(jane)),
    )
    .await;

    let range = "from=2025-05-01&to=2025-05-02";
    assert_eq!(
        ids(&listed(r, range).await),
        ["jane-1", "john-1", "nobody", "jane-2"]
    );
    let janes = listed(r, &format!("{range}&contactId={jane}")).await;
    assert_eq!(ids(&janes), ["jane-1", "jane-2"]);
    assert!(janes.iter().all(|log| log.contact_id == Some(jane)));
    assert_eq!(
        ids(&listed(r, &format!("{range}&contactId={john}")).await),
        ["john-1"]
    );
    assert!(listed(r, &format!("{range}&contactId=999"))
        .await
        .is_empty());
}

#[tokio::test]
async fn a_list_stops_at_its_cap_and_says_so() {
    let app = test_app(&[]).await;
    let rows = i64::from(MAX_LISTED) + 1;
    app.db
        .write(move |conn| {
            conn.execute(
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
                 INSERT INTO call_logs (root_call_id, version, content, disposition, notes,
                                        fields, saved_at)
                 SELECT printf('call-%05d', i), 1, '{}', 'interested', '', '{}',
                        '2025-06-01T00:00:00.000Z' FROM n",
                [rows],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(row_count(&app.db, "call_logs").await, rows);
    let answer = send_get(&app.router, "/api/calls/logs?from=2025-06-01&to=2025-06-01").await;
    assert_eq!(answer.0, StatusCode::OK);
    assert_eq!(answer.1.get(TRUNCATED_HEADER).unwrap(), "true");
    let logs: Vec<CallLog> = serde_json::from_slice(&answer.2).unwrap();
    assert_eq!(logs.len(), MAX_LISTED as usize);
    assert_eq!(logs[0].call_id, "call-00001");
    assert_eq!(logs.last().unwrap().call_id, "call-10000");
    // The CSV's cap is higher: every row, and no header saying otherwise.
    let answer = send_get(
        &app.router,
        "/api/calls/logs.csv?from=2025-06-01&to=2025-06-01",
    )
    .await;
    assert_eq!(answer.0, StatusCode::OK);
    assert!(answer.1.get(TRUNCATED_HEADER).is_none());
    let lines = csv::Reader::from_reader(&answer.2[..]).records().count();
    assert_eq!(lines, rows as usize);
    // A range under the cap is whole.
    let answer = send_get(&app.router, "/api/calls/logs?from=2025-06-02&to=2025-06-02").await;
    assert!(answer.1.get(TRUNCATED_HEADER).is_none());
}

/// `GET uri` without a session: the status, headers and body.
async fn send_get(router: &Router, uri: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, body.to_vec())
}

/// The records of a CSV body, header first.
fn records(body: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body);
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_csv_export_is_a_download_whose_cells_round_trip() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let (r, db) = (&app.router, &app.db);
    let jane = add_contact(db, "Doe, Jane \"JD\"", None).await;
    let notes = "She said \"call back\", later;\nsecond line, with commas\r\nand a CRLF";
    save_at(
        r,
        db,
        &caller,
        "c1",
        "2025-07-01T09:30:00.000Z",
        &draft(notes, Some(jane)),
    )
    .await;
    for (key, url) in [("k1", "0/a"), ("k2", "0/b")] {
        let event = JournalEvent {
            event_key: key.to_owned(),
            kind: RECORDING.to_owned(),
            call_id: "c1".to_owned(),
            payload: json!({ "recordingUrl": format!("{AUDIO}/{url}") }),
            contact_id: None,
        };
        caller
            .json(r, Method::POST, "/api/calls/events", &[event])
            .await;
    }
    let minimal = CallLogDraft {
        direction: None,
        number: None,
        duration_secs: None,
        result: None,
        ..draft("", None)
    };
    save_at(r, db, &caller, "c2", "2025-07-02T10:00:00.000Z", &minimal).await;

    let (status, headers, body) =
        send_get(r, "/api/calls/logs.csv?from=2025-07-01&to=2025-07-02").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[CONTENT_DISPOSITION],
        "attachment; filename=\"dialdesk-call-logs-2025-07-01-to-2025-07-02.csv\""
    );
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    let rows = records(&body);
    assert_eq!(
        rows[0],
        [
            "call_id",
            "saved_at",
            "version",
            "disposition",
            "disposition_label",
            "notes",
            "direction",
            "number",
            "contact_id",
            "contact_name",
            "duration_secs",
            "result",
            "recordings",
            "voicemails"
        ]
    );
    assert_eq!(rows.len(), 3);
    let jane_id = jane.to_string();
    let recordings = format!("{AUDIO}/0/a {AUDIO}/0/b");
    assert_eq!(
        rows[1],
        [
            "c1",
            "2025-07-01T09:30:00.000Z",
            "1",
            "interested",
            "Interested",
            notes,
            "outbound",
            "'+14155550100",
            &jane_id,
            "Doe, Jane \"JD\"",
            "42",
            "ended",
            &recordings,
            ""
        ]
    );
    assert_eq!(
        rows[2],
        [
            "c2",
            "2025-07-02T10:00:00.000Z",
            "1",
            "interested",
            "Interested",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            ""
        ]
    );
    // The same logs as the JSON list, in the same order.
    let logs = listed(r, "from=2025-07-01&to=2025-07-02").await;
    assert_eq!(ids(&logs), ["c1", "c2"]);
    assert_eq!(logs[0].notes, rows[1][5]);

    // An empty range is the header alone.
    let (status, _, body) = send_get(r, "/api/calls/logs.csv?from=2025-01-01&to=2025-01-01").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(records(&body).len(), 1);
}

#[tokio::test]
async fn csv_cells_that_start_like_formulas_are_written_as_text() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let (r, db) = (&app.router, &app.db);
    let risky_contact = add_contact(db, "@SUM(1+1)", None).await;
    let cases = [
        ("f1", "=HYPERLINK(\"https://evil.example\",\"x\")"),
        ("f2", "+1+1"),
        ("f3", "-2+3"),
        ("f4", "@SUM(A1:A2)"),
        ("f5", "\t=1"),
        ("f6", "\r=1"),
        ("f7", "a=b, safe"),
        ("f8", " =not at the start"),
    ];
    for (index, (call_id, notes)) in cases.iter().enumerate() {
        let saved_at = format!("2025-08-01T10:00:0{index}.000Z");
        let draft = CallLogDraft {
            direction: Some("inbound".to_owned()),
            result: Some("-x".to_owned()),
            ..draft(notes, Some(risky_contact))
        };
        save_at(r, db, &caller, call_id, &saved_at, &draft).await;
    }
    // A disposition no longer configured: an empty label, its value guarded too.
    db.write(|conn| {
        conn.execute(
            "UPDATE call_logs SET disposition = '=retired' WHERE root_call_id = 'f1'",
            [],
        )?;
        Ok(())
    })
    .await
    .unwrap();
    let (status, _, body) = send_get(r, "/api/calls/logs.csv?from=2025-08-01&to=2025-08-01").await;
    assert_eq!(status, StatusCode::OK);
    let rows = records(&body);
    assert_eq!(rows.len(), cases.len() + 1);
    for (row, (call_id, notes)) in rows[1..].iter().zip(cases) {
        assert_eq!(row[0], call_id);
        let expected = if call_id == "f7" || call_id == "f8" {
            notes.to_owned()
        } else {
            format!("'{notes}")
        };
        assert_eq!(row[5], expected, "{call_id}");
        assert_eq!(row[7], "'+14155550100");
        assert_eq!(row[9], "'@SUM(1+1)");
        assert_eq!(row[11], "'-x");
        assert_eq!(row[10], "42");
    }
    assert_eq!(
        (rows[1][3].as_str(), rows[1][4].as_str()),
        ("'=retired", "")
    );
    assert_eq!(
        (rows[2][3].as_str(), rows[2][4].as_str()),
        ("interested", "Interested")
    );
    // The JSON list keeps the text as saved.
    let logs = listed(r, "from=2025-08-01&to=2025-08-01").await;
    assert_eq!(logs[1].notes, "+1+1");
    assert_eq!(logs[0].disposition, "=retired");
}

#[tokio::test]
async fn the_routes_are_read_only() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    for path in ["/api/calls/logs", "/api/calls/logs.csv"] {
        let request = caller.request(
            Method::POST,
            &format!("{path}?from=2025-01-01&to=2025-01-01"),
            "application/json",
            "{}",
            true,
        );
        let answer = send(&app.router, request).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
}
