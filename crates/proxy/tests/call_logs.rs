//! Saving call logs exactly once over `/api/calls/{callId}/log`: create,
//! identical retries (whatever their base version), edits, conflicts with both
//! versions, transfer legs, validation, CSRF, and recordings and voicemails
//! journalled after the save, in process through `oneshot`.

mod support;

use axum::http::{Method, StatusCode};
use axum::Router;
use dialdesk_contract::{
    CallLog, CallLogConflict, CallLogDraft, JournalEvent, SessionInfo, CSRF_HEADER,
};
use dialdesk_proxy::db::contacts::{insert_if_absent, NewContact};
use serde_json::{json, Value};
use support::{get, row_count, send, test_app, Answer, Caller};

fn draft(base_version: u64, notes: &str) -> CallLogDraft {
    CallLogDraft {
        base_version,
        disposition: "interested".to_owned(),
        notes: notes.to_owned(),
        fields: json!({ "Disposition": "interested", "Description": notes })
            .as_object()
            .unwrap()
            .clone(),
        contact_id: None,
        direction: Some("inbound".to_owned()),
        number: Some("+14155550100".to_owned()),
        duration_secs: Some(363),
        result: Some("ended".to_owned()),
    }
}

fn log_uri(call_id: &str) -> String {
    format!("/api/calls/{call_id}/log")
}

async fn save(router: &Router, caller: &Caller, call_id: &str, draft: &CallLogDraft) -> Answer {
    caller
        .json(router, Method::PUT, &log_uri(call_id), draft)
        .await
}

/// The stored log of `call_id`, which must exist.
async fn stored(router: &Router, call_id: &str) -> CallLog {
    let answer = get(router, &log_uri(call_id)).await;
    assert_eq!(answer.status, StatusCode::OK);
    answer.json()
}

/// Asserts that `log` holds `draft`'s content.
fn assert_holds(log: &CallLog, draft: &CallLogDraft) {
    assert_eq!(log.disposition, draft.disposition);
    assert_eq!(log.notes, draft.notes);
    assert_eq!(log.fields, draft.fields);
    assert_eq!(log.contact_id, draft.contact_id);
    assert_eq!(log.direction, draft.direction);
    assert_eq!(log.number, draft.number);
    assert_eq!(log.duration_secs, draft.duration_secs);
    assert_eq!(log.result, draft.result);
}

#[tokio::test]
async fn a_log_is_created_once_and_identical_retries_are_not_conflicts() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let first = draft(0, "Call back Tuesday");
    let answer = save(&app.router, &caller, "c1", &first).await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let created: CallLog = answer.json();
    assert_eq!((created.call_id.as_str(), created.version), ("c1", 1));
    assert_holds(&created, &first);
    assert!(created.recordings.is_empty() && created.voicemails.is_empty());
    let at = &created.saved_at;
    assert!(
        at.len() == 24 && at.ends_with('Z') && &at[10..11] == "T",
        "{at}"
    );
    // camelCase on the wire, every field present.
    let wire: Value = answer.json();
    let mut keys: Vec<&str> = wire
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "callId",
            "contactId",
            "direction",
            "disposition",
            "durationSecs",
            "fields",
            "notes",
            "number",
            "recordings",
            "result",
            "savedAt",
            "savedBy",
            "version",
            "voicemails"
        ]
    );
    assert_eq!(stored(&app.router, "c1").await, created);

    // The same content again: with base 0 (the answer was lost), with base 1, with
    // a base from the future, from another session, and with the keys of
    // `fields` in another order. Each is 200 with the stored log, unchanged.
    let other_tab = Caller::new(&app.router).await;
    for (who, base) in [(&caller, 0), (&caller, 1), (&caller, 7), (&other_tab, 0)] {
        let retry = CallLogDraft {
            base_version: base,
            ..first.clone()
        };
        let answer = save(&app.router, who, "c1", &retry).await;
        assert_eq!(answer.status, StatusCode::OK, "base {base}");
        assert_eq!(answer.json::<CallLog>(), created, "base {base}");
    }
    let reordered = r#"{"result":"ended","durationSecs":363,"number":"+14155550100",
        "direction":"inbound","fields":{"Description":"Call back Tuesday","Disposition":"interested"},
        "notes":"Call back Tuesday","disposition":"interested","baseVersion":0}"#;
    let request = caller.request(
        Method::PUT,
        &log_uri("c1"),
        "application/json",
        reordered,
        true,
    );
    let answer = send(&app.router, request).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json::<CallLog>(), created);
    assert_eq!(stored(&app.router, "c1").await, created);
    assert_eq!(row_count(&app.db, "call_logs").await, 1);
}

#[tokio::test]
async fn an_edit_of_the_stored_version_is_the_next_and_a_stale_one_shows_both() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let v1 = draft(0, "Call back Tuesday");
    assert_eq!(
        save(&app.router, &caller, "c2", &v1).await.status,
        StatusCode::CREATED
    );
    // Tab A edits version 1: version 2.
    let tab_a = draft(1, "Call back Wednesday");
    let answer = save(&app.router, &caller, "c2", &tab_a).await;
    assert_eq!(answer.status, StatusCode::OK);
    let v2: CallLog = answer.json();
    assert_eq!(v2.version, 2);
    assert_holds(&v2, &tab_a);

    // Tab B also edited version 1, differently: refused, with both versions.
    let tab_b = CallLogDraft {
        disposition: "call_back_later".to_owned(),
        ..draft(1, "Call back Friday")
    };
    let answer = save(&app.router, &caller, "c2", &tab_b).await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    let conflict: CallLogConflict = answer.json();
    assert_eq!(conflict.yours, tab_b);
    assert_eq!(conflict.stored, v2);
    assert_eq!(
        conflict.error,
        "this call log was changed elsewhere: you edited version 1, version 2 is saved; \
         compare them and save the one to keep"
    );
    let wire: Value = answer.json();
    assert_eq!(wire["yours"]["baseVersion"], 1);
    assert_eq!(wire["yours"]["notes"], "Call back Friday");
    assert_eq!(wire["stored"]["version"], 2);
    assert_eq!(wire["stored"]["notes"], "Call back Wednesday");
    assert_eq!(stored(&app.router, "c2").await, v2);

    // Tab B's stale base with the stored content: an identical retry, 200.
    let same_as_stored = CallLogDraft {
        base_version: 1,
        ..tab_a.clone()
    };
    let answer = save(&app.router, &caller, "c2", &same_as_stored).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json::<CallLog>(), v2);

    // A new log (base 0) or a base from the future, with other content: 409.
    for base in [0, 3, u64::MAX] {
        let answer = save(&app.router, &caller, "c2", &draft(base, "other")).await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "base {base}");
        let conflict: CallLogConflict = answer.json();
        assert_eq!(conflict.stored, v2);
        assert_eq!(conflict.yours.base_version, base);
    }
    let fresh = save(&app.router, &caller, "c2", &draft(0, "other")).await;
    assert!(fresh
        .json::<CallLogConflict>()
        .error
        .starts_with("a call log for this call was already saved (version 2)"));

    // Tab B keeps its own version: saved on top of version 2, then retried.
    let keep_b = CallLogDraft {
        base_version: 2,
        ..tab_b.clone()
    };
    let answer = save(&app.router, &caller, "c2", &keep_b).await;
    assert_eq!(answer.status, StatusCode::OK);
    let v3: CallLog = answer.json();
    assert_eq!(v3.version, 3);
    assert_holds(&v3, &tab_b);
    let answer = save(&app.router, &caller, "c2", &keep_b).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json::<CallLog>(), v3);
    assert_eq!(stored(&app.router, "c2").await, v3);
    assert_eq!(row_count(&app.db, "call_logs").await, 1);
}

/// PUTs every draft to `call_id` at once, each in its own task, and returns
/// the answers in the order of `drafts`.
async fn save_all(
    router: &Router,
    caller: &Caller,
    call_id: &str,
    drafts: &[CallLogDraft],
) -> Vec<Answer> {
    let tasks: Vec<_> = drafts
        .iter()
        .map(|draft| {
            let body = serde_json::to_vec(draft).unwrap();
            let request = caller.request(
                Method::PUT,
                &log_uri(call_id),
                "application/json",
                body,
                true,
            );
            let router = router.clone();
            tokio::spawn(async move { send(&router, request).await })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_write_once() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    // The same content ten times at once: one 201, nine 200, one version.
    let same = vec![draft(0, "same"); 10];
    let answers = save_all(&app.router, &caller, "c3", &same).await;
    let created = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1);
    assert!(answers
        .iter()
        .all(|a| a.status.is_success() && a.json::<CallLog>().version == 1));

    // Ten different edits of version 1 at once: one wins, nine see it in a 409.
    let edits: Vec<CallLogDraft> = (0..10).map(|i| draft(1, &format!("edit {i}"))).collect();
    let answers = save_all(&app.router, &caller, "c3", &edits).await;
    let winners: Vec<CallLog> = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .map(|a| a.json())
        .collect();
    assert_eq!(winners.len(), 1);
    assert_eq!(winners[0].version, 2);
    for answer in answers.iter().filter(|a| a.status != StatusCode::OK) {
        assert_eq!(answer.status, StatusCode::CONFLICT);
        assert_eq!(answer.json::<CallLogConflict>().stored, winners[0]);
    }
    assert_eq!(stored(&app.router, "c3").await, winners[0]);
    assert_eq!(row_count(&app.db, "call_logs").await, 1);
}

#[tokio::test]
async fn a_transfer_leg_saves_to_its_root_call() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let leg = draft(0, "transferred to billing");
    let answer = save(&app.router, &caller, "call-9_2", &leg).await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let created: CallLog = answer.json();
    assert_eq!(created.call_id, "call-9");
    for call_id in ["call-9", "call-9_1", "call-9_2", "call-9_0123456789"] {
        assert_eq!(stored(&app.router, call_id).await, created, "{call_id}");
    }
    // The root's own save of the same content is a retry; an edit from the root
    // is the next version of the same log.
    let answer = save(&app.router, &caller, "call-9", &leg).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json::<CallLog>().version, 1);
    let answer = save(
        &app.router,
        &caller,
        "call-9",
        &draft(1, "billing called back"),
    )
    .await;
    assert_eq!(answer.json::<CallLog>().version, 2);
    // Not a leg suffix: a call of its own.
    assert_eq!(
        get(&app.router, &log_uri("call-9_x")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(row_count(&app.db, "call_logs").await, 1);
}

/// PUTs `draft` to `c4` and returns the 422's field names and messages.
async fn refused(router: &Router, caller: &Caller, draft: &CallLogDraft) -> Vec<(String, String)> {
    let answer = save(router, caller, "c4", draft).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{draft:?}");
    let body = answer.error();
    assert_eq!(
        body.error,
        "the call log was not saved; check the fields marked"
    );
    body.fields
        .into_iter()
        .map(|f| (f.field, f.message))
        .collect()
}

#[tokio::test]
async fn invalid_drafts_are_refused_with_every_field_marked() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let r = &app.router;
    let s = |field: &str, message: &str| (field.to_owned(), message.to_owned());

    let unknown = CallLogDraft {
        disposition: "sold".to_owned(),
        ..draft(0, "x")
    };
    assert_eq!(
        refused(r, &caller, &unknown).await,
        [s(
            "disposition",
            "unknown disposition \"sold\"; use one of: interested, not_interested, \
             call_back_later, left_voicemail, no_answer, wrong_number"
        )]
    );
    // "Wrong number" requires notes (the default dispositions).
    let wrong_number = CallLogDraft {
        disposition: "wrong_number".to_owned(),
        ..draft(0, "  ")
    };
    assert_eq!(
        refused(r, &caller, &wrong_number).await,
        [s("notes", "notes are required for “Wrong number”")]
    );
    let many = CallLogDraft {
        notes: "x".repeat(10_001),
        direction: Some("up".to_owned()),
        duration_secs: Some(u64::MAX),
        contact_id: Some(-1),
        ..draft(0, "")
    };
    let fields: Vec<String> = refused(r, &caller, &many)
        .await
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    assert_eq!(fields, ["notes", "contactId", "direction", "durationSecs"]);
    // A contact that is not stored.
    let nobody = CallLogDraft {
        contact_id: Some(4242),
        ..draft(0, "x")
    };
    assert_eq!(
        refused(r, &caller, &nobody).await,
        [s("contactId", "no contact with id 4242")]
    );
    assert_eq!(get(r, &log_uri("c4")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(row_count(&app.db, "call_logs").await, 0);

    // With the notes, and a contact that is stored, the same saves pass.
    let id = app
        .db
        .write(|conn| {
            insert_if_absent(
                conn,
                &NewContact {
                    name: "Jane Doe".to_owned(),
                    company: None,
                    title: None,
                    email: Some("jane@example.com".to_owned()),
                    time_zone: None,
                    owner: None,
                    external_id: None,
                    numbers: Vec::new(),
                },
            )?;
            Ok(conn.last_insert_rowid())
        })
        .await
        .unwrap();
    assert_eq!(row_count(&app.db, "contacts").await, 1);
    let good = CallLogDraft {
        disposition: "wrong_number".to_owned(),
        contact_id: Some(id),
        ..draft(0, "not Jane; a bakery")
    };
    let answer = save(r, &caller, "c4", &good).await;
    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.json::<CallLog>().contact_id, Some(id));
}

#[tokio::test]
async fn bad_call_ids_and_bodies_are_refused_with_400() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let body = serde_json::to_vec(&draft(0, "x")).unwrap();
    let long_root = "a".repeat(65);
    let long_leg = format!("{long_root}_1");
    for call_id in [
        "a.b",
        "a%20b",
        "%C3%A9",
        "_1",
        long_root.as_str(),
        long_leg.as_str(),
    ] {
        let uri = log_uri(call_id);
        let request = caller.request(Method::PUT, &uri, "application/json", body.clone(), true);
        let answer = send(&app.router, request).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{call_id}");
        assert!(
            answer.error().error.starts_with("the call id in the path"),
            "{}",
            answer.error().error
        );
        assert_eq!(get(&app.router, &uri).await.status, StatusCode::BAD_REQUEST);
    }
    for bad in [
        &b"{"[..],
        b"[]",
        b"{\"disposition\":\"interested\"}",
        b"{\"baseVersion\":-1,\"disposition\":\"interested\"}",
        b"{\"baseVersion\":0,\"disposition\":\"interested\",\"fields\":[1]}",
    ] {
        let request = caller.request(Method::PUT, &log_uri("c5"), "application/json", bad, true);
        let answer = send(&app.router, request).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.error().error.starts_with("invalid JSON body"));
    }
    // The smallest body saves.
    let request = caller.request(
        Method::PUT,
        &log_uri("c5"),
        "application/json",
        &b"{\"baseVersion\":0,\"disposition\":\"no_answer\"}"[..],
        true,
    );
    assert_eq!(send(&app.router, request).await.status, StatusCode::CREATED);
    let huge = serde_json::to_vec(&draft(0, &"x".repeat(3 << 20))).unwrap();
    let request = caller.request(Method::PUT, &log_uri("c6"), "application/json", huge, true);
    assert_eq!(
        send(&app.router, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let post = caller.request(Method::POST, &log_uri("c5"), "application/json", body, true);
    assert_eq!(
        send(&app.router, post).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(row_count(&app.db, "call_logs").await, 1);
}

#[tokio::test]
async fn saving_needs_the_csrf_token_of_the_session() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let body = serde_json::to_vec(&draft(0, "x")).unwrap();
    let missing = caller.request(
        Method::PUT,
        &log_uri("c7"),
        "application/json",
        body.clone(),
        false,
    );
    let other: SessionInfo = get(&app.router, "/api/session").await.json();
    let mut foreign = caller.request(
        Method::PUT,
        &log_uri("c7"),
        "application/json",
        body.clone(),
        false,
    );
    foreign
        .headers_mut()
        .insert(CSRF_HEADER, other.csrf_token.parse().unwrap());
    for request in [missing, foreign] {
        let answer = send(&app.router, request).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert!(answer.error().error.contains("CSRF"));
    }
    assert_eq!(row_count(&app.db, "call_logs").await, 0);
    let answer = save(&app.router, &caller, "c7", &draft(0, "x")).await;
    assert_eq!(answer.status, StatusCode::CREATED);
}

fn event(key: &str, kind: &str, call_id: &str, payload: Value) -> JournalEvent {
    JournalEvent {
        event_key: key.to_owned(),
        kind: kind.to_owned(),
        call_id: call_id.to_owned(),
        payload,
        contact_id: None,
    }
}

async fn journal(router: &Router, caller: &Caller, event: &JournalEvent) {
    let answer = caller
        .json(router, Method::POST, "/api/calls/events", &[event])
        .await;
    assert_eq!(answer.status, StatusCode::OK);
}

const RECORDING: &str = "zp-call-recording-completed-event";
const VOICEMAIL: &str = "zp-call-voicemail-received-event";
const AUDIO: &str = "https://applications.zoom.us/integration/phone/embeddablephone/audio/play";

#[tokio::test]
async fn recordings_and_voicemails_that_arrive_after_the_save_are_attached() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let r = &app.router;
    let first = format!("{AUDIO}/0/first");
    let second = format!("{AUDIO}/0/second");
    let voicemail = format!("{AUDIO}/1/voicemail");
    journal(
        r,
        &caller,
        &event("k1", "zp-call-ringing-event", "c8", json!({})),
    )
    .await;
    journal(
        r,
        &caller,
        &event("k2", RECORDING, "c8", json!({ "recordingUrl": first })),
    )
    .await;
    let created: CallLog = save(r, &caller, "c8", &draft(0, "x")).await.json();
    assert_eq!(created.recordings, std::slice::from_ref(&first));
    assert!(created.voicemails.is_empty());

    // After the save: a recording of a transfer leg, the first one again under
    // another key, a voicemail, and entries that are not media links.
    let late = [
        event("k3", RECORDING, "c8_1", json!({ "recordingUrl": second })),
        event("k4", RECORDING, "c8", json!({ "recordingUrl": first })),
        event("k5", VOICEMAIL, "c8", json!({ "voicemailUrl": voicemail })),
        event(
            "k6",
            RECORDING,
            "c8",
            json!({ "recordingUrl": "javascript:alert(1)" }),
        ),
        event("k7", RECORDING, "c8", json!({ "recordingUrl": 42 })),
        event("k8", RECORDING, "c8", json!({ "voicemailUrl": voicemail })),
        event(
            "k9",
            "zp-call-ended-event",
            "c8",
            json!({ "recordingUrl": second }),
        ),
        event(
            "k10",
            RECORDING,
            "c80",
            json!({ "recordingUrl": format!("{AUDIO}/0/other") }),
        ),
    ];
    for event in &late {
        journal(r, &caller, event).await;
    }
    let log = stored(r, "c8").await;
    assert_eq!(log.recordings, [first.clone(), second.clone()]);
    assert_eq!(log.voicemails, std::slice::from_ref(&voicemail));
    assert_eq!(log.version, 1);
    assert_eq!(log.saved_at, created.saved_at);
    // A retry's answer and a leg's read carry them too.
    let retry: CallLog = save(r, &caller, "c8", &draft(0, "x")).await.json();
    assert_eq!(retry, log);
    assert_eq!(stored(r, "c8_1").await, log);
}

#[tokio::test]
async fn a_call_without_a_log_is_404_as_json() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    // Journalled events alone make no log.
    journal(
        &app.router,
        &caller,
        &event("k", "zp-call-ended-event", "c9", json!({})),
    )
    .await;
    for call_id in ["c9", "nobody", "nobody_1"] {
        let answer = get(&app.router, &log_uri(call_id)).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{call_id}");
        assert_eq!(
            answer.error().error,
            "no call log has been saved for this call"
        );
    }
}
