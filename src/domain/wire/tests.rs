//! Every walk agrees with serde's derived `Deserialize` (still used by the proxy):
//! the same value from complete, minimal and wrong input.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::*;

/// Reads `input` both ways: both succeed with the same value, or both fail.
fn agrees<T: FromJson + DeserializeOwned + PartialEq + Debug>(input: Value) {
    let mine = T::from_json(&input);
    let serde = serde_json::from_value::<T>(input.clone());
    match (&mine, &serde) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{input}"),
        (Err(_), Err(_)) => {}
        _ => panic!("{input}: walk {mine:?}, serde {serde:?}"),
    }
}

/// `full` and every copy of it with one field taken out, set to null or to a
/// value of the wrong type.
fn variants_of(full: &Value) -> Vec<Value> {
    let mut all = vec![full.clone(), json!(null), json!([]), json!("x")];
    if let Some(object) = full.as_object() {
        for key in object.keys() {
            for change in [None, Some(json!(null)), Some(json!(true)), Some(json!(-1))] {
                let mut changed = object.clone();
                match change {
                    None => {
                        changed.remove(key);
                    }
                    Some(value) => {
                        changed.insert(key.clone(), value);
                    }
                }
                all.push(Value::Object(changed));
            }
        }
    }
    all
}

fn each<T: FromJson + DeserializeOwned + PartialEq + Debug>(full: Value) {
    for input in variants_of(&full) {
        agrees::<T>(input);
    }
}

fn contact() -> Value {
    json!({ "id": 7, "name": "Ada", "company": "Analytical", "title": null,
            "email": "ada@example.com", "timeZone": "Europe/London",
            "numbers": [{ "label": "work", "raw": "+44 20 7946 0000", "e164": "+442079460000",
                          "region": "GB", "doNotCall": true },
                        { "label": "old", "raw": "12", "e164": null, "parseError": "too short" }] })
}

fn call_log() -> Value {
    json!({ "callId": "c1", "version": 2, "disposition": "interested", "notes": "n",
            "fields": { "Notes": "n" }, "contactId": 7, "direction": "inbound",
            "number": "+15550100", "durationSecs": 61, "result": "ended",
            "savedAt": "2026-11-25T10:00:00Z", "savedBy": "Ava", "recordings": ["https://r/1"], "voicemails": [] })
}

fn draft() -> Value {
    json!({ "baseVersion": 1, "disposition": "no_answer", "notes": "x", "fields": { "a": 1 },
            "contactId": 3, "direction": "outbound", "number": "+1", "durationSecs": 4,
            "result": "missed" })
}

#[test]
fn configuration_and_session_agree_with_serde() {
    each::<SessionInfo>(json!({ "csrfToken": "t", "auth": "zoom" }));
    each::<AppConfig>(json!({
        "embed": { "url": "https://e/", "origin": "https://e", "loader": "sdk", "sdkUrl": "https://s" },
        "initConfig": { "enableSavingLog": true, "enableAutoLog": false,
                        "enableContactSearching": true, "enableContactMatching": false },
        "dispositions": [{ "label": "Interested", "value": "interested",
                           "group": "connected", "notesRequired": true },
                         { "label": "No answer", "value": "no_answer",
                           "group": "not_connected", "notesRequired": false }],
        "callerIds": [{ "label": "Main", "number": "+15550100" }],
        "guard": { "mode": "block", "windowStart": "08:00", "windowEnd": "20:00",
                   "regionZones": [{ "region": "US", "zones": ["America/New_York"] }] },
        "redactNumbers": true, "auth": "none",
        "bridge": { "commandTtlMs": 5, "ringTimeoutMs": 6 },
        "callLogs": { "wrapUpSecs": 30, "wrapUpDefault": "x", "retryFirstMs": 1, "retryMaxMs": 2 }
    }));
    each::<EmbedSettings>(json!({ "url": "u", "origin": "o", "loader": "iframe" }));
    each::<GuardSettings>(json!({ "mode": "confirm", "windowStart": "a", "windowEnd": "b" }));
    each::<BridgeTimings>(json!({ "commandTtlMs": 4294967296_u64, "ringTimeoutMs": 1 }));
    each::<CallLogSettings>(json!({ "wrapUpSecs": 0, "wrapUpDefault": "",
                                    "retryFirstMs": 1, "retryMaxMs": 2 }));
    agrees::<DispositionGroup>(json!("other"));
}

#[test]
fn contacts_and_imports_agree_with_serde() {
    each::<Contact>(contact());
    each::<ContactNumber>(contact()["numbers"][0].clone());
    each::<ContactsPage>(json!({ "contacts": [contact()], "nextCursor": 7, "total": 9 }));
    each::<ContactMatchResult>(json!({ "normalized": "+1", "contacts": [contact()], "picked": 7 }));
    each::<CallContext>(json!({ "number": "+1", "attempts": 3, "lastAt": "t",
                                "lastResult": "ended", "lastDisposition": "x" }));
    agrees::<Vec<CallContext>>(json!([{ "number": "+1", "attempts": 3 }]));
    each::<ImportJob>(
        json!({ "id": "j", "state": "done", "done": 2, "total": 2, "error": null,
        "report": { "created": 1, "updated": 1, "warnings": [],
                    "rejected": [{ "line": 3, "column": "phone", "reason": "bad" }] } }),
    );
    each::<ImportIssue>(json!({ "line": 3, "column": null, "reason": "bad" }));
    agrees::<ImportState>(json!("writing"));
}

#[test]
fn zoom_lookups_agree_with_serde() {
    let call = json!({ "callId": "c1", "callHistoryUuid": "u1", "direction": "inbound",
                       "startTime": "2026-12-04T09:00:00Z", "durationSecs": 42,
                       "result": "answered", "number": "+12125550142", "name": "Lee",
                       "contactId": 7, "hasRecording": true });
    each::<ZoomCall>(call.clone());
    each::<DirectoryEntry>(
        json!({ "name": "Ben", "email": "b@x.test", "extensionNumber": "102",
                                   "phoneNumbers": ["+13125550102"], "jobTitle": "Rep" }),
    );
    each::<UnloggedCalls>(json!({ "from": "2026-11-28", "to": "2026-12-04", "calls": [call] }));
    each::<Me>(
        json!({ "id": "u", "name": "Ava", "email": "a@x.test", "extensionNumber": "101",
                       "phoneNumbers": ["+12125550101"] }),
    );
    each::<SyncStatus>(
        json!({ "state": "done", "read": 650, "created": 1, "updated": 649,
                               "error": null, "finishedAt": "2026-12-04T09:00:00Z" }),
    );
}

#[test]
fn call_logs_and_errors_agree_with_serde() {
    each::<CallLog>(call_log());
    each::<CallLogDraft>(draft());
    each::<CallLogConflict>(json!({ "error": "e", "yours": draft(), "stored": call_log() }));
    agrees::<Vec<CallLog>>(json!([call_log(), call_log()]));
    each::<JournalBatchAck>(json!({ "stored": 2, "repeats": 1 }));
    each::<ApiErrorBody>(json!({ "error": "no", "fields": [{ "field": "f", "message": "m" }] }));
    agrees::<i64>(json!(9_223_372_036_854_775_808_u64));
    agrees::<u64>(json!(1.0));
}

/// Writes `value` both ways: the same JSON.
fn writes_as_serde<T: ToJson + serde::Serialize>(value: &T) {
    assert_eq!(
        value.to_json(),
        serde_json::to_value(value).unwrap_or_default()
    );
}

#[test]
fn requests_are_written_as_serde_writes_them() {
    let draft: CallLogDraft = serde_json::from_value(draft()).unwrap_or_default();
    writes_as_serde(&draft);
    writes_as_serde(&CallLogDraft::default());
    if let Ok(log) = serde_json::from_value::<CallLog>(call_log()) {
        writes_as_serde(&log);
    }
    writes_as_serde(&ContactDraft {
        name: "Ada".into(),
        company: Some("Analytical".into()),
        time_zone: Some("Europe/London".into()),
        numbers: vec![NumberDraft {
            label: "work".into(),
            raw: "+44 20".into(),
            do_not_call: true,
        }],
        ..ContactDraft::default()
    });
    writes_as_serde(&ContactPick {
        number: "+1".into(),
        contact_id: 7,
    });
    let event = JournalEvent {
        event_key: "k".into(),
        kind: "zp-call-ended-event".into(),
        call_id: "c1".into(),
        payload: json!({ "callId": "c1", "n": [1, 2] }),
    };
    let text = journal_text(&[&event, &event]);
    let read: Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(
        read,
        serde_json::to_value([&event, &event]).unwrap_or_default()
    );
}
