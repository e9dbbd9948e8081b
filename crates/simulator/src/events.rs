//! Embed → host event payloads, in the shapes of `tests/fixtures/smart-embed/events/`.
//!
//! The simulated user (the Zoom side) carries `phoneNumber` and extension fields. The external
//! party carries `number` and `numberType` on inbound calls, and `phoneNumber` with an empty name
//! on outbound ones, as the fixtures do. Log events carry `number` and `didNumber` on both sides.
//! Contact search and match events carry a `requestId` the host's response must echo.

use serde_json::{json, Map, Value};

use crate::call::{Call, Direction, EndResult, Party, Phase};
use crate::message::Envelope;
use dialdesk_sim::clock::iso8601_utc;

/// The simulated user's display name.
pub const USER_NAME: &str = "Riley Agent";
/// The simulated user's direct number.
pub const USER_PHONE: &str = "+14155550199";
/// The simulated user's extension number.
pub const USER_EXTENSION: &str = "800";
const USER_EXTENSION_ID: &str = "ext-7Qm2";
/// Where the real embed serves recordings (`/0/`) and voicemails (`/1/`).
const AUDIO_BASE: &str =
    "https://applications.zoom.us/integration/phone/embeddablephone/audio/play";

/// `zp-call-ringing-event`, dated when the call started.
pub fn ringing(call: &Call, enable_auto_log: bool) -> Envelope {
    let mut data = head(call, call.started_at);
    data.insert("enableAutoLog".into(), enable_auto_log.into());
    with_parties(&mut data, call);
    Envelope::new("zp-call-ringing-event", Value::Object(data))
}

/// `zp-call-connected-event`, dated when the call connected.
pub fn connected(call: &Call, enable_auto_log: bool) -> Envelope {
    let at = match call.phase {
        Phase::Connected { at } => at,
        _ => call.started_at,
    };
    let mut data = head(call, at);
    data.insert("enableAutoLog".into(), enable_auto_log.into());
    with_parties(&mut data, call);
    Envelope::new("zp-call-connected-event", Value::Object(data))
}

/// `zp-call-ended-event` with `result` and `duration`, dated when the call ended.
/// Only meaningful for an ended call; otherwise it reports a missed call now.
pub fn ended(call: &Call) -> Envelope {
    let (result, duration, at) = ending(call);
    let mut data = head(call, at);
    data.insert("result".into(), json!(result));
    data.insert("duration".into(), duration.into());
    with_parties(&mut data, call);
    Envelope::new("zp-call-ended-event", Value::Object(data))
}

/// `zp-call-log-completed-event`, dated when the call started; both parties carry `didNumber`.
pub fn log_completed(call: &Call, call_log_id: &str, enable_auto_log: bool) -> Envelope {
    let (result, duration, _) = ending(call);
    let mut data = head(call, call.started_at);
    data.insert("callLogId".into(), call_log_id.into());
    data.insert("duration".into(), duration.into());
    data.insert("result".into(), result.log_result().into());
    data.insert("enableAutoLog".into(), enable_auto_log.into());
    let user = json!({
        "name": USER_NAME,
        "number": USER_EXTENSION,
        "numberType": 1,
        "didNumber": call.caller_id.as_deref().unwrap_or(USER_PHONE),
    });
    let remote = json!({
        "name": call.remote.name,
        "number": call.remote.number,
        "numberType": 2,
        "didNumber": call.remote.number,
    });
    insert_parties(&mut data, call.direction, user, remote);
    Envelope::new("zp-call-log-completed-event", Value::Object(data))
}

/// `zp-save-log-event`, dated when the call started, sharing the call log id of the log event.
pub fn save_log(call: &Call, call_log_id: &str) -> Envelope {
    let (result, duration, _) = ending(call);
    let mut data = head(call, call.started_at);
    data.insert("callLogId".into(), call_log_id.into());
    data.insert("duration".into(), duration.into());
    data.insert("result".into(), result.log_result().into());
    with_parties(&mut data, call);
    Envelope::new("zp-save-log-event", Value::Object(data))
}

/// `zp-call-recording-completed-event` for `call`, dated `at`.
pub fn recording_completed(call: &Call, at: u64, recording_url: &str) -> Envelope {
    let mut data = head(call, at);
    data.insert("recordingUrl".into(), recording_url.into());
    with_parties(&mut data, call);
    Envelope::new("zp-call-recording-completed-event", Value::Object(data))
}

/// `zp-call-voicemail-received-event` for `call`, dated `at`.
pub fn voicemail_received(call: &Call, at: u64, voicemail_url: &str) -> Envelope {
    let mut data = head(call, at);
    data.insert("voicemailUrl".into(), voicemail_url.into());
    with_parties(&mut data, call);
    Envelope::new("zp-call-voicemail-received-event", Value::Object(data))
}

/// The recording URL with media id `id`, in the shape the real embed uses.
pub fn recording_url(id: &str) -> String {
    format!("{AUDIO_BASE}/0/{id}")
}

/// The voicemail URL with media id `id`, in the shape the real embed uses.
pub fn voicemail_url(id: &str) -> String {
    format!("{AUDIO_BASE}/1/{id}")
}

/// The `zp-call-connected-event` of a transfer leg: call id `<root>_1`, the root call's external
/// party as caller, and `target` (with `phoneNumber`) as callee, dated `at`.
pub fn transfer_leg(call: &Call, at: u64, target: &Party) -> Envelope {
    let mut data = head(call, at);
    data.insert("callId".into(), format!("{}_1", call.id).into());
    let remote = json!({
        "name": call.remote.name,
        "number": call.remote.number,
        "numberType": 2,
    });
    let target = json!({ "name": target.name, "phoneNumber": target.number });
    insert_parties(&mut data, call.direction, target, remote);
    Envelope::new("zp-call-connected-event", Value::Object(data))
}

/// `zp-contact-match-event`: the embed asks the host for the contact behind `number`.
pub fn contact_match(request_id: &str, number: &str) -> Envelope {
    Envelope::new(
        "zp-contact-match-event",
        json!({ "requestId": request_id, "phoneNumbers": [number] }),
    )
}

/// `zp-contact-search-event`: the embed asks the host for contacts matching `search_string`.
pub fn contact_search(request_id: &str, search_string: &str) -> Envelope {
    Envelope::new(
        "zp-contact-search-event",
        json!({ "requestId": request_id, "searchString": search_string }),
    )
}

/// An event type no host knows yet, with nested data, to prove the host parses tolerantly.
pub fn unknown(call_id: &str) -> Envelope {
    Envelope::new(
        "zp-some-future-event",
        json!({ "callId": call_id, "novel": { "nested": [1, 2, 3] } }),
    )
}

fn ending(call: &Call) -> (EndResult, u64, u64) {
    match call.phase {
        Phase::Ended {
            result,
            duration,
            at,
            ..
        } => (result, duration, at),
        _ => (EndResult::Missed, 0, call.started_at),
    }
}

fn head(call: &Call, at: u64) -> Map<String, Value> {
    let mut data = Map::new();
    data.insert("callId".into(), call.id.clone().into());
    data.insert("direction".into(), json!(call.direction));
    data.insert("dateTime".into(), iso8601_utc(at).into());
    data
}

fn with_parties(data: &mut Map<String, Value>, call: &Call) {
    let mut user = json!({
        "name": USER_NAME,
        "phoneNumber": USER_PHONE,
        "extensionId": USER_EXTENSION_ID,
        "extensionNumber": USER_EXTENSION,
        "extensionType": "user",
    });
    if let (Some(did), Value::Object(fields)) = (&call.caller_id, &mut user) {
        fields.insert("didNumber".into(), did.clone().into());
    }
    let remote = match call.direction {
        Direction::Inbound => json!({
            "name": call.remote.name,
            "number": call.remote.number,
            "numberType": 2,
        }),
        Direction::Outbound => json!({
            "name": call.remote.name,
            "phoneNumber": call.remote.number,
        }),
    };
    insert_parties(data, call.direction, user, remote);
}

fn insert_parties(data: &mut Map<String, Value>, direction: Direction, user: Value, remote: Value) {
    let (caller, callee) = match direction {
        Direction::Inbound => (remote, user),
        Direction::Outbound => (user, remote),
    };
    data.insert("caller".into(), caller);
    data.insert("callee".into(), callee);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Party;

    const T0: u64 = 1_793_613_531_000; // 2026-11-02T09:58:51Z

    fn fixture(name: &str) -> Value {
        let path = format!("{}/events/{name}", crate::fixtures_dir());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
    }

    fn as_json(envelope: &Envelope) -> Value {
        serde_json::to_value(envelope).expect("serialisable")
    }

    fn inbound(phase: Phase) -> Call {
        Call {
            id: "068cba3db27ba0d08d2".into(),
            direction: Direction::Inbound,
            remote: Party {
                number: "+14155550123".into(),
                name: "Dana Whitfield".into(),
            },
            caller_id: None,
            started_at: T0,
            phase,
        }
    }

    fn without(mut value: Value, pointer: &str, key: &str) -> Value {
        if let Some(Value::Object(map)) = value.pointer_mut(pointer) {
            map.remove(key);
        }
        value
    }

    #[test]
    fn inbound_ringing_matches_its_fixture() {
        let mut expected = fixture("call-ringing-inbound.json");
        expected["data"]["enableAutoLog"] = true.into();
        assert_eq!(as_json(&ringing(&inbound(Phase::Ringing), true)), expected);
    }

    #[test]
    fn connected_matches_its_fixture() {
        let call = inbound(Phase::Connected { at: T0 + 12_000 });
        assert_eq!(
            as_json(&connected(&call, false)),
            fixture("call-connected.json")
        );
    }

    /// The fixtures' inbound call, answered after 12 s and ended after 366 s of talk.
    fn completed_inbound() -> Call {
        inbound(Phase::Ended {
            connected_at: Some(T0 + 12_000),
            at: T0 + 378_000,
            result: EndResult::Ended,
            duration: 366,
        })
    }

    #[test]
    fn ended_and_completion_events_match_their_fixtures() {
        let call = completed_inbound();
        assert_eq!(as_json(&ended(&call)), fixture("call-ended-completed.json"));
        let log_id = "8fe17897-0a17-45c2-9201-ee72ebcf8bec";
        assert_eq!(
            as_json(&log_completed(&call, log_id, false)),
            fixture("call-log-completed.json")
        );
        assert_eq!(as_json(&save_log(&call, log_id)), fixture("save-log.json"));
    }

    #[test]
    fn outbound_ringing_matches_its_fixture_plus_user_details() {
        let call = Call {
            id: "06a1f0c2e9b4d7a8c31".into(),
            direction: Direction::Outbound,
            remote: Party {
                number: "+14155550123".into(),
                name: String::new(),
            },
            caller_id: Some("+14155550100".into()),
            started_at: 1_793_613_850_000, // 2026-11-02T10:04:10Z
            phase: Phase::Ringing,
        };
        let got = as_json(&ringing(&call, true));
        assert_eq!(got["data"]["caller"]["didNumber"], "+14155550100");
        assert_eq!(got["data"]["caller"]["extensionNumber"], "800");
        assert_eq!(got["data"]["enableAutoLog"], true);
        let trimmed = [
            "extensionId",
            "extensionNumber",
            "extensionType",
            "didNumber",
        ]
        .iter()
        .fold(got, |value, key| without(value, "/data/caller", key));
        let trimmed = without(trimmed, "/data", "enableAutoLog");
        assert_eq!(trimmed, fixture("call-ringing-outbound.json"));
    }

    #[test]
    fn outbound_log_puts_the_user_first_with_the_caller_id() {
        let call = Call {
            id: "06a1f0c2e9b4d7a8c31".into(),
            direction: Direction::Outbound,
            remote: Party {
                number: "+14155550123".into(),
                name: String::new(),
            },
            caller_id: None,
            started_at: T0,
            phase: Phase::Ended {
                connected_at: None,
                at: T0 + 5_000,
                result: EndResult::Missed,
                duration: 0,
            },
        };
        let got = as_json(&log_completed(&call, "id", true));
        assert_eq!(got["data"]["result"], "No Answer");
        assert_eq!(got["data"]["caller"]["number"], "800");
        assert_eq!(got["data"]["caller"]["didNumber"], USER_PHONE);
        assert_eq!(got["data"]["callee"]["didNumber"], "+14155550123");
        let ended = as_json(&ended(&call));
        assert_eq!(ended["data"]["result"], "missed");
        assert_eq!(ended["data"]["dateTime"], "2026-11-02T09:58:56Z");
    }

    #[test]
    fn recording_and_transfer_leg_match_their_fixtures() {
        let call = completed_inbound();
        let url = recording_url("bbf5c62b-0953-40e4-bbc9-6d565200a7e7");
        assert_eq!(
            as_json(&recording_completed(&call, T0 + 409_000, &url)),
            fixture("recording-completed.json")
        );
        let senior = Party {
            number: "+14155550188".into(),
            name: "Sam Senior".into(),
        };
        assert_eq!(
            as_json(&transfer_leg(&call, T0 + 129_000, &senior)),
            fixture("transfer-leg.json")
        );
    }

    #[test]
    fn a_missed_call_and_its_voicemail_match_their_fixtures() {
        const T1: u64 = 1_793_617_200_000; // 2026-11-02T11:00:00Z
        let call = Call {
            id: "06b77a1c0d2e3f4a5b6".into(),
            direction: Direction::Inbound,
            remote: Party {
                number: "+12125550147".into(),
                name: String::new(),
            },
            caller_id: None,
            started_at: T1 - 30_000,
            phase: Phase::Ended {
                connected_at: None,
                at: T1,
                result: EndResult::Missed,
                duration: 0,
            },
        };
        assert_eq!(as_json(&ended(&call)), fixture("call-ended-missed.json"));
        let url = voicemail_url("0c5e2a91-77f4-4f0e-9a57-3c1b2d4e5f60");
        assert_eq!(
            as_json(&voicemail_received(&call, T1 + 70_000, &url)),
            fixture("voicemail-received.json")
        );
    }

    #[test]
    fn contact_requests_and_the_unknown_event_match_their_fixtures() {
        assert_eq!(
            as_json(&contact_match("match-1", "+14155550123")),
            fixture("contact-match.json")
        );
        assert_eq!(
            as_json(&contact_search("srch-1", "whit")),
            fixture("contact-search.json")
        );
        assert_eq!(
            as_json(&unknown("068cba3db27ba0d08d2")),
            fixture("unknown-type.json")
        );
    }
}
