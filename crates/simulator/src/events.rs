//! Embed → host event payloads, in the shapes of `tests/fixtures/smart-embed/events/`.
//!
//! The simulated user (the Zoom side) carries `phoneNumber` and extension fields. The external
//! party carries `number` and `numberType` on inbound calls, and `phoneNumber` with an empty name
//! on outbound ones, as the fixtures do. Log events carry `number` and `didNumber` on both sides.

use serde_json::{json, Map, Value};

use crate::call::{Call, Direction, EndResult, Phase};
use crate::clock::iso8601_utc;
use crate::message::Envelope;

/// The simulated user's display name.
pub const USER_NAME: &str = "Riley Agent";
/// The simulated user's direct number.
pub const USER_PHONE: &str = "+14155550199";
/// The simulated user's extension number.
pub const USER_EXTENSION: &str = "800";
const USER_EXTENSION_ID: &str = "ext-7Qm2";

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
        let path = format!(
            "{}/../../tests/fixtures/smart-embed/events/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
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

    #[test]
    fn ended_and_completion_events_match_their_fixtures() {
        let call = inbound(Phase::Ended {
            connected_at: Some(T0 + 12_000),
            at: T0 + 378_000,
            result: EndResult::Ended,
            duration: 366,
        });
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
}
