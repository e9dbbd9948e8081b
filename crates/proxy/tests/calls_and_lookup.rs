//! The call journal and the contact search and match routes, in process
//! through `tower::ServiceExt::oneshot`.

mod support;

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use dialdesk_contract::{
    ApiErrorBody, CallContext, Contact, ContactMatchResult, JournalAck, JournalBatchAck,
    JournalEvent, JournalRecord, SessionInfo, CSRF_HEADER,
};
use dialdesk_proxy::db::contacts::{insert_if_absent, NewContact, NewNumber};
use dialdesk_proxy::db::Db;
use serde_json::json;
use support::{add_contact, get, row_count, send, test_app, Answer, Caller};

/// `POST uri` with a JSON `body`, the session cookie and the CSRF token.
fn post(caller: &Caller, uri: &str, body: impl Into<Body>) -> Request<Body> {
    caller.request(Method::POST, uri, "application/json", body, true)
}

/// Journals `event` under the call `root`.
async fn journal(router: &Router, caller: &Caller, root: &str, event: &JournalEvent) -> Answer {
    let uri = format!("/api/calls/{root}/events");
    caller.json(router, Method::POST, &uri, event).await
}

/// Journals `events` as one batch.
async fn journal_batch(router: &Router, caller: &Caller, events: &[JournalEvent]) -> Answer {
    caller
        .json(router, Method::POST, "/api/calls/events", &events)
        .await
}

fn event(key: &str, kind: &str, call_id: &str, payload: serde_json::Value) -> JournalEvent {
    JournalEvent {
        event_key: key.to_owned(),
        kind: kind.to_owned(),
        call_id: call_id.to_owned(),
        payload,
        contact_id: None,
    }
}

async fn journal_of(router: &Router, root: &str) -> Vec<JournalRecord> {
    let answer = get(router, &format!("/api/calls/{root}/events")).await;
    assert_eq!(answer.status, StatusCode::OK);
    answer.json()
}

#[tokio::test]
async fn journalling_is_idempotent_on_the_event_key() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let ringing = event(
        "abc123:zp-call-ringing-event:1",
        "zp-call-ringing-event",
        "abc123",
        json!({ "callId": "abc123", "direction": "outbound" }),
    );
    let first = journal(&app.router, &caller, "abc123", &ringing).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.json::<JournalAck>(), JournalAck { stored: true });
    let again = journal(&app.router, &caller, "abc123", &ringing).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json::<JournalAck>(), JournalAck { stored: false });
    // Same key, other content: still a repeat; the first entry is kept.
    let mut changed = ringing.clone();
    changed.payload = json!({ "other": true });
    let repeat = journal(&app.router, &caller, "abc123", &changed).await;
    assert_eq!(repeat.status, StatusCode::OK);
    assert_eq!(journal_of(&app.router, "abc123").await.len(), 1);

    let connected = event(
        "abc123:zp-call-connected-event:2",
        "zp-call-connected-event",
        "abc123",
        json!({ "callId": "abc123" }),
    );
    let second = journal(&app.router, &caller, "abc123", &connected).await;
    assert_eq!(second.status, StatusCode::CREATED);
    let records = journal_of(&app.router, "abc123").await;
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].event_key, ringing.event_key);
    assert_eq!(records[0].kind, "zp-call-ringing-event");
    assert_eq!(records[0].call_id, "abc123");
    assert_eq!(records[0].root_call_id, "abc123");
    assert_eq!(records[0].payload, ringing.payload);
    assert_eq!(records[1].event_key, connected.event_key);
    for record in &records {
        let at = &record.recorded_at;
        assert!(
            at.len() == 24 && at.ends_with('Z') && &at[10..11] == "T",
            "{at}"
        );
    }
    assert_eq!(row_count(&app.db, "call_events").await, 2);
}

#[tokio::test]
async fn transfer_legs_are_journalled_under_their_root_in_order() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let root = "call_7-X";
    let plan = [
        ("k1", root),
        ("k2", "call_7-X_1"),
        ("k3", root),
        ("k4", "call_7-X_12"),
    ];
    for (key, call_id) in plan {
        let answer = journal(
            &app.router,
            &caller,
            root,
            &event(key, "zp-call-ended-event", call_id, json!({ "n": key })),
        )
        .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{key}");
    }
    let other = event("o1", "zp-call-ringing-event", "other", json!({}));
    assert_eq!(
        journal(&app.router, &caller, "other", &other).await.status,
        StatusCode::CREATED
    );
    let records = journal_of(&app.router, root).await;
    let seen: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r.event_key.as_str(), r.call_id.as_str()))
        .collect();
    assert_eq!(seen, plan);
    assert!(records.iter().all(|r| r.root_call_id == root));
    assert_eq!(journal_of(&app.router, "other").await.len(), 1);
    assert!(journal_of(&app.router, "nobody").await.is_empty());
}

#[tokio::test]
async fn bad_journal_requests_are_refused_with_clear_messages() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let good = event("k", "zp-call-ringing-event", "abc", json!({}));

    for call_id in ["abd", "ab", "abc_", "abc_x", "abc-1", "xabc_1", "abc_1_2"] {
        let mut wrong = good.clone();
        wrong.call_id = call_id.to_owned();
        let answer = journal(&app.router, &caller, "abc", &wrong).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{call_id}");
        assert!(
            answer.error().error.contains("callId"),
            "{}",
            answer.error().error
        );
    }
    let cases = [
        (event("k", "call-ringing", "abc", json!({})), "kind must be"),
        (
            event("k", &format!("zp-{}", "x".repeat(62)), "abc", json!({})),
            "kind must be",
        ),
        (
            event(&"k".repeat(201), "zp-x", "abc", json!({})),
            "eventKey must be",
        ),
        (event("", "zp-x", "abc", json!({})), "eventKey must be"),
        (event("k", "zp-x", "abc", json!([1, 2])), "payload must be"),
        (event("k", "zp-x", "abc", json!(null)), "payload must be"),
    ];
    for (bad, message) in cases {
        let answer = journal(&app.router, &caller, "abc", &bad).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(
            answer.error().error.starts_with(message),
            "{}",
            answer.error().error
        );
    }
    let body = serde_json::to_vec(&good).unwrap();
    let long_root = "a".repeat(65);
    for root in ["a.b", "a%20b", "%C3%A9", long_root.as_str()] {
        let uri = format!("/api/calls/{root}/events");
        let answer = send(&app.router, post(&caller, &uri, body.clone())).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{root}");
        assert!(
            answer.error().error.contains("call id"),
            "{}",
            answer.error().error
        );
        assert_eq!(get(&app.router, &uri).await.status, StatusCode::BAD_REQUEST);
    }
    for body in [
        &b"{"[..],
        b"[]",
        b"{\"eventKey\":\"k\"}",
        b"{\"eventKey\":1,\"kind\":\"zp-x\",\"callId\":\"abc\",\"payload\":{}}",
    ] {
        let answer = send(&app.router, post(&caller, "/api/calls/abc/events", body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(
            answer.error().error.starts_with("invalid JSON body"),
            "{}",
            answer.error().error
        );
    }
    let mut no_type = post(&caller, "/api/calls/abc/events", body.clone());
    no_type.headers_mut().remove(CONTENT_TYPE);
    assert_eq!(
        send(&app.router, no_type).await.status,
        StatusCode::BAD_REQUEST
    );
    let huge = format!(
        "{{\"eventKey\":\"k\",\"kind\":\"zp-x\",\"callId\":\"abc\",\"payload\":{{\"x\":\"{}\"}}}}",
        "x".repeat(3 << 20)
    );
    let answer = send(&app.router, post(&caller, "/api/calls/abc/events", huge)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let _: ApiErrorBody = answer.json();
    assert!(journal_of(&app.router, "abc").await.is_empty());
}

/// POSTs `body` to `uri` without the token, with another session's token and without
/// the cookie: each is refused with 403 naming CSRF.
async fn assert_refused_without_csrf(router: &Router, caller: &Caller, uri: &str, body: &[u8]) {
    let missing = caller.request(Method::POST, uri, "application/json", body.to_vec(), false);
    let other: SessionInfo = get(router, "/api/session").await.json();
    let mut foreign = caller.request(Method::POST, uri, "application/json", body.to_vec(), false);
    foreign
        .headers_mut()
        .insert(CSRF_HEADER, other.csrf_token.parse().unwrap());
    let mut no_cookie = post(caller, uri, body.to_vec());
    no_cookie.headers_mut().remove(COOKIE);
    for request in [missing, foreign, no_cookie] {
        let answer = send(router, request).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert!(answer.error().error.contains("CSRF"));
    }
}

#[tokio::test]
async fn journalling_needs_the_csrf_token() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let body = serde_json::to_vec(&event("k", "zp-x", "abc", json!({}))).unwrap();
    assert_refused_without_csrf(&app.router, &caller, "/api/calls/abc/events", &body).await;
    assert!(journal_of(&app.router, "abc").await.is_empty());
    let answer = send(&app.router, post(&caller, "/api/calls/abc/events", body)).await;
    assert_eq!(answer.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_batch_is_journalled_in_order_and_counts_its_repeats() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let ringing = event("b:ring", "zp-call-ringing-event", "b", json!({ "n": 1 }));
    assert_eq!(
        journal(&app.router, &caller, "b", &ringing).await.status,
        StatusCode::CREATED
    );
    let connected = event("b:conn", "zp-call-connected-event", "b", json!({ "n": 2 }));
    let ended = event("b:end", "zp-call-ended-event", "b", json!({ "n": 3 }));
    let batch = [connected.clone(), ringing.clone(), ended.clone()];
    let answer = journal_batch(&app.router, &caller, &batch).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json::<JournalBatchAck>(),
        JournalBatchAck {
            stored: 2,
            repeats: 1
        }
    );
    let wire: serde_json::Value = answer.json();
    assert_eq!(wire, json!({ "stored": 2, "repeats": 1 }));
    let records = journal_of(&app.router, "b").await;
    let keys: Vec<&str> = records.iter().map(|r| r.event_key.as_str()).collect();
    assert_eq!(keys, ["b:ring", "b:conn", "b:end"]);
    assert_eq!(records[1].payload, connected.payload);
    assert!(records.iter().all(|r| r.root_call_id == "b"));

    // The whole batch again, and a key repeated within one batch: all repeats.
    let again = journal_batch(&app.router, &caller, &batch).await;
    assert_eq!(
        again.json::<JournalBatchAck>(),
        JournalBatchAck {
            stored: 0,
            repeats: 3
        }
    );
    let twice = event("b:hold", "zp-call-on-hold-event", "b", json!({}));
    let answer = journal_batch(&app.router, &caller, &[twice.clone(), twice]).await;
    assert_eq!(
        answer.json::<JournalBatchAck>(),
        JournalBatchAck {
            stored: 1,
            repeats: 1
        }
    );
    assert_eq!(row_count(&app.db, "call_events").await, 4);
}

#[tokio::test]
async fn call_context_counts_calls_per_number_and_keeps_the_latest() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let dana_in = json!({ "direction": "inbound", "dateTime": "2026-11-02T09:00:00Z",
        "caller": { "number": "+14155550123" }, "callee": { "phoneNumber": "+14155550199" } });
    let dana_out = json!({ "direction": "outbound", "dateTime": "2026-11-02T11:00:00Z",
        "caller": { "phoneNumber": "+14155550199" }, "callee": { "phoneNumber": "+14155550123" } });
    let mut missed = dana_in.clone();
    missed["result"] = json!("missed");
    let mut ended = dana_out.clone();
    ended["result"] = json!("ended");
    let leg = json!({ "direction": "inbound", "dateTime": "2026-11-02T11:05:00Z",
        "caller": { "number": "+19995550100" } });
    let batch = [
        event("c1:ring", "zp-call-ringing-event", "c1", dana_in),
        event("c1:end", "zp-call-ended-event", "c1", missed),
        event("c2:ring", "zp-call-ringing-event", "c2", dana_out),
        event("c2:end", "zp-call-ended-event", "c2", ended),
        event("c2_1:conn", "zp-call-connected-event", "c2_1", leg),
    ];
    assert_eq!(
        journal_batch(&app.router, &caller, &batch).await.status,
        StatusCode::OK
    );
    let answer = get(&app.router, "/api/calls/context").await;
    assert_eq!(answer.status, StatusCode::OK);
    let context: Vec<CallContext> = answer.json();
    assert_eq!(
        context,
        [CallContext {
            number: "+14155550123".into(),
            contact_id: None,
            attempts: 2,
            last_at: Some("2026-11-02T11:00:00Z".into()),
            last_result: Some("ended".into()),
            last_disposition: None,
        }],
        "the transfer leg's colleague is not a call of its own"
    );

    let log = json!({ "baseVersion": 0, "disposition": "interested", "number": "+14155550123" });
    let saved = caller
        .json(&app.router, Method::PUT, "/api/calls/c2/log", &log)
        .await;
    assert_eq!(saved.status, StatusCode::CREATED);
    let context: Vec<CallContext> = get(&app.router, "/api/calls/context").await.json();
    assert_eq!(
        context[0].last_disposition.as_deref(),
        Some("interested"),
        "a saved log's disposition reaches the rows of its number"
    );

    // A call logged with a contact is that contact's, not every holder's.
    let ada = add_contact(&app.db, "Ada Bartik", Some("+14155550123")).await;
    let log = json!({ "baseVersion": 0, "disposition": "not_interested",
        "number": "+14155550123", "contactId": ada });
    let saved = caller
        .json(&app.router, Method::PUT, "/api/calls/c1/log", &log)
        .await;
    assert_eq!(saved.status, StatusCode::CREATED);
    let context: Vec<CallContext> = get(&app.router, "/api/calls/context").await.json();
    let for_contact = |contact_id| {
        context
            .iter()
            .find(|c| c.contact_id == contact_id)
            .map(|c| (c.attempts, c.last_disposition.clone()))
    };
    assert_eq!(for_contact(None), Some((1, Some("interested".into()))));
    assert_eq!(
        for_contact(Some(ada)),
        Some((1, Some("not_interested".into())))
    );

    // A call the app tied to a contact while it rang is that contact's before any
    // log; one it could not tie stays every holder's.
    let sophie = add_contact(&app.db, "Sophie Cray", Some("+14155550123")).await;
    let placed = json!({ "direction": "outbound", "dateTime": "2026-11-03T10:00:00Z",
        "callee": { "phoneNumber": "+14155550123" } });
    let tied = JournalEvent {
        contact_id: Some(sophie),
        ..event("c3:ring", "zp-call-ringing-event", "c3", placed.clone())
    };
    let mut ended = placed;
    ended["result"] = json!("ended");
    let batch = [tied, event("c3:end", "zp-call-ended-event", "c3", ended)];
    assert_eq!(
        journal_batch(&app.router, &caller, &batch).await.status,
        StatusCode::OK
    );
    let context: Vec<CallContext> = get(&app.router, "/api/calls/context").await.json();
    let sophies = context
        .iter()
        .find(|c| c.contact_id == Some(sophie))
        .map(|c| (c.attempts, c.last_at.clone(), c.last_result.clone()));
    assert_eq!(
        sophies,
        Some((1, Some("2026-11-03T10:00:00Z".into()), Some("ended".into())))
    );
    let untied = context
        .iter()
        .find(|c| c.contact_id.is_none())
        .map(|c| c.attempts);
    assert_eq!(untied, Some(1), "the tied call is not every holder's");
}

#[tokio::test]
async fn a_batch_journals_transfer_legs_under_their_root() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let batch = [
        event("k1", "zp-call-ringing-event", "call_7-X", json!({})),
        event("k2", "zp-call-connected-event", "call_7-X_1", json!({})),
        event("k3", "zp-call-ringing-event", "other", json!({})),
        event("k4", "zp-call-ended-event", "call_7-X_12", json!({})),
    ];
    let answer = journal_batch(&app.router, &caller, &batch).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json::<JournalBatchAck>(),
        JournalBatchAck {
            stored: 4,
            repeats: 0
        }
    );
    let records = journal_of(&app.router, "call_7-X").await;
    let seen: Vec<(&str, &str, &str)> = records
        .iter()
        .map(|r| {
            (
                r.event_key.as_str(),
                r.call_id.as_str(),
                r.root_call_id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("k1", "call_7-X", "call_7-X"),
            ("k2", "call_7-X_1", "call_7-X"),
            ("k4", "call_7-X_12", "call_7-X"),
        ]
    );
    assert_eq!(journal_of(&app.router, "other").await.len(), 1);
    assert!(journal_of(&app.router, "call_7-X_1").await.is_empty());
}

#[tokio::test]
async fn a_batch_holds_one_to_five_hundred_events() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let many = |n: usize| -> Vec<JournalEvent> {
        (0..n)
            .map(|i| event(&format!("m{i}"), "zp-x", "many", json!({ "i": i })))
            .collect()
    };
    for size in [0, 501] {
        let answer = journal_batch(&app.router, &caller, &many(size)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{size}");
        assert!(
            answer.error().error.contains("1 to 500"),
            "{}",
            answer.error().error
        );
    }
    assert_eq!(row_count(&app.db, "call_events").await, 0);
    let answer = journal_batch(&app.router, &caller, &many(500)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json::<JournalBatchAck>(),
        JournalBatchAck {
            stored: 500,
            repeats: 0
        }
    );
    assert_eq!(journal_of(&app.router, "many").await.len(), 500);
}

#[tokio::test]
async fn one_bad_item_refuses_the_whole_batch() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let good = |key: &str| event(key, "zp-call-ringing-event", "abc", json!({}));
    let cases = [
        (event("k", "call-ringing", "abc", json!({})), "kind must be"),
        (event("", "zp-x", "abc", json!({})), "eventKey must be"),
        (event("k", "zp-x", "abc_1", json!([1])), "payload must be"),
        (event("k", "zp-x", "a.b", json!({})), "callId without"),
        (event("k", "zp-x", "", json!({})), "callId without"),
        (event("k", "zp-x", "_1", json!({})), "callId without"),
        (
            event("k", "zp-x", &format!("{}_1", "a".repeat(65)), json!({})),
            "callId without",
        ),
    ];
    for (bad, message) in cases {
        let batch = [good("g0"), good("g1"), bad.clone(), good("g3")];
        let answer = journal_batch(&app.router, &caller, &batch).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad:?}");
        let error = answer.error().error;
        assert!(error.starts_with("item 2: "), "{error}");
        assert!(error["item 2: ".len()..].starts_with(message), "{error}");
    }
    // The first bad item is named, not a later one.
    let batch = [
        good("g0"),
        event("k", "nope", "abc", json!({})),
        event("", "zp-x", "abc", json!({})),
    ];
    let answer = journal_batch(&app.router, &caller, &batch).await;
    assert!(
        answer.error().error.starts_with("item 1: kind"),
        "{}",
        answer.error().error
    );
    for body in [&b"{}"[..], b"[{}]", b"[1]", b"["] {
        let answer = send(&app.router, post(&caller, "/api/calls/events", body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(
            answer.error().error.starts_with("invalid JSON body"),
            "{}",
            answer.error().error
        );
    }
    assert_eq!(row_count(&app.db, "call_events").await, 0);
    assert!(journal_of(&app.router, "abc").await.is_empty());
}

#[tokio::test]
async fn a_batch_needs_the_csrf_token() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let body = serde_json::to_vec(&[event("k", "zp-x", "abc", json!({}))]).unwrap();
    assert_refused_without_csrf(&app.router, &caller, "/api/calls/events", &body).await;
    assert_eq!(row_count(&app.db, "call_events").await, 0);
    let answer = send(&app.router, post(&caller, "/api/calls/events", body)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(row_count(&app.db, "call_events").await, 1);
    assert_eq!(
        get(&app.router, "/api/calls/events").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

fn number(raw: &str, e164: Option<&str>) -> NewNumber {
    NewNumber {
        label: "work".to_owned(),
        raw: raw.to_owned(),
        e164: e164.map(str::to_owned),
        region: Some("US".to_owned()),
        parse_error: e164.is_none().then(|| "not a number".to_owned()),
        display: None,
        do_not_call: None,
    }
}

fn person(name: &str, company: Option<&str>, email: &str, numbers: Vec<NewNumber>) -> NewContact {
    NewContact {
        name: name.to_owned(),
        company: company.map(str::to_owned),
        title: None,
        email: Some(email.to_owned()),
        time_zone: None,
        owner: None,
        external_id: None,
        numbers,
    }
}

/// A small book: Ada and her assistant share +1 415 555 0123.
async fn book(db: &Db) {
    let people = vec![
        person(
            "Ada Lovelace",
            Some("Analytical Engines"),
            "ada@engines.example",
            vec![number("(415) 555-0123", Some("+14155550123"))],
        ),
        person(
            "Grace Hopper",
            Some("Navy"),
            "grace@cobol.example",
            vec![
                number("212-555-0100", Some("+12125550100")),
                number("ext 4411", None),
            ],
        ),
        person(
            "Zoë Ådams",
            Some("Acme AND Co"),
            "zoe@acme.example",
            vec![number("+44 20 7946 0958", Some("+442079460958"))],
        ),
        person(
            "Charles Babbage",
            Some("Analytical Engines"),
            "charles@engines.example",
            vec![
                number("+1 303 555 0142", Some("+13035550142")),
                number("415.555.0123", Some("+14155550123")),
            ],
        ),
    ];
    db.write(move |conn| {
        for person in &people {
            insert_if_absent(conn, person)?;
        }
        Ok(())
    })
    .await
    .unwrap();
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn search(router: &Router, q: &str) -> Vec<Contact> {
    let answer = get(router, &format!("/api/contacts/search?q={}", encode(q))).await;
    assert_eq!(answer.status, StatusCode::OK, "{q:?}");
    answer.json()
}

async fn names(router: &Router, q: &str) -> Vec<String> {
    search(router, q)
        .await
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[tokio::test]
async fn search_by_name_company_email_and_digits() {
    let app = test_app(&[]).await;
    book(&app.db).await;
    let r = &app.router;
    assert_eq!(names(r, "lov").await, ["Ada Lovelace"]);
    assert_eq!(names(r, "ADA LOVE").await, ["Ada Lovelace"]);
    assert_eq!(
        names(r, "analytical").await,
        ["Ada Lovelace", "Charles Babbage"]
    );
    assert_eq!(names(r, "cobol").await, ["Grace Hopper"]);
    assert_eq!(names(r, "grace@cobol").await, ["Grace Hopper"]);
    assert_eq!(names(r, "zoe adams").await, ["Zoë Ådams"]);
    assert_eq!(names(r, "555-0100").await, ["Grace Hopper"]);
    assert_eq!(
        names(r, "4155550123").await,
        ["Ada Lovelace", "Charles Babbage"]
    );
    assert_eq!(names(r, "4411").await, ["Grace Hopper"]);
    assert_eq!(names(r, "7946").await, ["Zoë Ådams"]);
    assert_eq!(
        names(r, "555").await,
        ["Ada Lovelace", "Charles Babbage", "Grace Hopper"]
    );
    assert!(names(r, "12").await.is_empty());
    assert!(names(r, "nobody").await.is_empty());

    let ada = search(r, "lovelace").await;
    assert_eq!(ada[0].email.as_deref(), Some("ada@engines.example"));
    assert_eq!(ada[0].numbers.len(), 1);
    assert_eq!(ada[0].numbers[0].e164.as_deref(), Some("+14155550123"));
    let grace = search(r, "hopper").await;
    let raws: Vec<&str> = grace[0].numbers.iter().map(|n| n.raw.as_str()).collect();
    assert_eq!(raws, ["212-555-0100", "ext 4411"]);
}

#[tokio::test]
async fn search_input_is_never_fts_syntax() {
    let app = test_app(&[]).await;
    book(&app.db).await;
    let r = &app.router;
    let long = "x".repeat(200);
    for hostile in [
        "\"",
        "\"\"",
        "*",
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        "-",
        "+",
        "^",
        ":",
        "😀",
        "😀 ada",
        "ada\"",
        "\"ada",
        "ada*",
        "NEAR(ada lovelace)",
        "name:ada",
        "{name email}: ada",
        "ada AND",
        "AND ada",
        "a OR b",
        "-ada",
        "ada -lovelace",
        "%",
        "_",
        "\\",
        "'",
        "'; DROP TABLE contacts; --",
        "\u{0}",
        "\u{301}",
        "ﬁ",
        long.as_str(),
    ] {
        search(r, hostile).await;
    }
    for quoted in ["\"ada\"", "(ada)", "-ada", "ada*", "ada)"] {
        assert_eq!(
            names(r, quoted).await,
            ["Ada Lovelace", "Zoë Ådams"],
            "{quoted}"
        );
    }
    assert_eq!(names(r, "AND").await, ["Zoë Ådams"]);
    assert_eq!(names(r, "name:ada").await, Vec::<String>::new());
    assert!(names(r, "a OR hopper").await.is_empty());
    for nothing in ["", " ", "\t\n"] {
        assert!(search(r, nothing).await.is_empty());
    }
    let all = get(r, "/api/contacts/search").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.json::<Vec<Contact>>().is_empty());
}

#[tokio::test]
async fn search_limit_is_checked() {
    let app = test_app(&[]).await;
    book(&app.db).await;
    let r = &app.router;
    let one: Vec<Contact> = get(r, "/api/contacts/search?q=555&limit=1").await.json();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].name, "Ada Lovelace");
    let people: Vec<NewContact> = (0..60)
        .map(|i| {
            person(
                &format!("Twin {i:02}"),
                None,
                "twin@example.com",
                Vec::new(),
            )
        })
        .collect();
    app.db
        .write(move |conn| {
            for person in &people {
                insert_if_absent(conn, person)?;
            }
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(search(r, "twin").await.len(), 20);
    let fifty: Vec<Contact> = get(r, "/api/contacts/search?q=twin&limit=50").await.json();
    assert_eq!(fifty.len(), 50);
    assert_eq!(fifty[0].name, "Twin 00");
    assert_eq!(fifty[49].name, "Twin 49");
    for bad in ["limit=0", "limit=51", "limit=x", "limit=-1", "q=a&q=b"] {
        let answer = get(r, &format!("/api/contacts/search?q=ada&{bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(!answer.error().error.is_empty());
    }
    let too_long = get(r, &format!("/api/contacts/search?q={}", "x".repeat(201))).await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert!(too_long.error().error.contains("200"));
}

async fn matched(router: &Router, text: &str) -> ContactMatchResult {
    let answer = get(
        router,
        &format!("/api/contacts/match?number={}", encode(text)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{text:?}");
    answer.json()
}

#[tokio::test]
async fn match_finds_every_contact_holding_a_number_however_it_is_written() {
    let app = test_app(&[]).await;
    book(&app.db).await;
    let r = &app.router;
    for spelling in [
        "(415) 555-0123",
        "415.555.0123",
        "+1 415 555 0123",
        "14155550123",
        "+14155550123",
        "415-555-0123 ext. 9",
    ] {
        let result = matched(r, spelling).await;
        assert_eq!(
            result.normalized.as_deref(),
            Some("+14155550123"),
            "{spelling}"
        );
        let names: Vec<&str> = result.contacts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "Charles Babbage"], "{spelling}");
        assert_eq!(result.contacts[1].numbers.len(), 2);
    }
    let london = matched(r, "+44 20 7946 0958").await;
    assert_eq!(london.contacts.len(), 1);
    let nobody = matched(r, "(212) 555-0199").await;
    assert_eq!(nobody.normalized.as_deref(), Some("+12125550199"));
    assert!(nobody.contacts.is_empty());
}

#[tokio::test]
async fn extensions_short_codes_and_garbage_never_match() {
    let app = test_app(&[]).await;
    book(&app.db).await;
    let r = &app.router;
    let long = "1".repeat(1000);
    for text in [
        "800",
        "4411",
        "ext 4411",
        "911",
        "555-0123",
        "",
        " ",
        "hello",
        "+",
        "++",
        "😀",
        "'; DROP TABLE contacts; --",
        "+999 1234567",
        "12345678901234567890",
        "\u{0}",
        long.as_str(),
    ] {
        let result = matched(r, text).await;
        assert_eq!(result.normalized, None, "{text:?}");
        assert!(result.contacts.is_empty(), "{text:?}");
    }
    let missing = get(r, "/api/contacts/match").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.error().error, "number is required");
}

#[tokio::test]
async fn match_answers_at_most_twenty_contacts() {
    let app = test_app(&[]).await;
    let people: Vec<NewContact> = (0..25)
        .map(|i| {
            let numbers = vec![number("303 555 0142", Some("+13035550142"))];
            person(&format!("Desk {i:02}"), None, "desk@example.com", numbers)
        })
        .collect();
    app.db
        .write(move |conn| {
            for person in &people {
                insert_if_absent(conn, person)?;
            }
            Ok(())
        })
        .await
        .unwrap();
    let result = matched(&app.router, "303-555-0142").await;
    assert_eq!(result.contacts.len(), 20);
    assert_eq!(result.contacts[0].name, "Desk 00");
    assert_eq!(result.contacts[19].name, "Desk 19");
}
