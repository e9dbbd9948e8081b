//! Every reducer rule, and the permutation property.

use super::*;
use crate::domain::protocol::{parse_message, Message};

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/smart-embed/events/",
            $path
        ))
    };
}

fn event(text: &str) -> Message {
    parse_message(text).expect("fixture parses")
}

fn with(text: &str, edit: impl FnOnce(&mut Value)) -> Message {
    let mut value: Value = serde_json::from_str(text).expect("JSON");
    edit(&mut value);
    event(&value.to_string())
}

/// One inbound call, complete: every kind, a transfer leg and two recordings.
fn full_call() -> Vec<Message> {
    let second_recording = with(fixture!("recording-completed.json"), |v| {
        v["data"]["recordingUrl"] = "https://applications.zoom.us/audio/second".into();
    });
    vec![
        event(fixture!("call-ringing-inbound.json")),
        event(fixture!("call-connected.json")),
        event(fixture!("transfer-leg.json")),
        event(fixture!("call-ended-completed.json")),
        event(fixture!("call-log-completed.json")),
        event(fixture!("save-log.json")),
        event(fixture!("recording-completed.json")),
        second_recording,
    ]
}

fn apply(sessions: &mut Sessions, message: &Message) -> Option<(String, Applied)> {
    sessions.apply(&message.event, &message.data)
}

fn session_of(events: &[Message]) -> CallSession {
    let mut sessions = Sessions::default();
    for e in events {
        apply(&mut sessions, e);
    }
    sessions
        .get("068cba3db27ba0d08d2")
        .cloned()
        .expect("session")
}

#[test]
fn each_field_comes_from_the_kind_that_owns_it() {
    let s = session_of(&full_call());
    assert_eq!(s.call_id, "068cba3db27ba0d08d2");
    assert_eq!(s.direction, Some(Direction::Inbound));
    assert_eq!(s.party_name.as_deref(), Some("Dana Whitfield"));
    assert_eq!(s.party_number.as_deref(), Some("+14155550123"));
    assert_eq!(s.started_at.as_deref(), Some("2026-11-02T09:58:51Z"));
    assert_eq!(s.answered_at.as_deref(), Some("2026-11-02T09:59:03Z"));
    assert_eq!(s.ended_at.as_deref(), Some("2026-11-02T10:05:09Z"));
    assert_eq!(s.end_result.as_deref(), Some("ended"));
    assert_eq!(s.duration_secs, Some(366));
    assert_eq!(s.log_result.as_deref(), Some("Call Connected"));
    assert_eq!(
        s.call_log_id.as_deref(),
        Some("8fe17897-0a17-45c2-9201-ee72ebcf8bec")
    );
    assert_eq!(s.recordings.len(), 2);
    assert_eq!(s.legs.iter().collect::<Vec<_>>(), ["068cba3db27ba0d08d2_1"]);
}

#[test]
fn row_context_counts_calls_per_number_and_keeps_the_latest() {
    let mut sessions = Sessions::default();
    for message in full_call() {
        apply(&mut sessions, &message);
    }
    apply(&mut sessions, &event(fixture!("call-ended-missed.json")));
    let later = with(fixture!("call-ringing-inbound.json"), |v| {
        v["data"]["callId"] = "07later0000000000000".into();
        v["data"]["dateTime"] = "2026-11-03T08:00:00Z".into();
    });
    apply(&mut sessions, &later);
    let dana = sessions
        .context_for("+14155550123")
        .expect("calls with Dana");
    assert_eq!(dana.attempts, 2);
    assert_eq!(dana.last_at.as_deref(), Some("2026-11-03T08:00:00Z"));
    assert_eq!(dana.last_result, None, "the latest call has not ended");
    let missed = sessions
        .context_for("+12125550147")
        .expect("the missed call");
    assert_eq!(
        (missed.attempts, missed.last_result.as_deref()),
        (1, Some("missed"))
    );
    assert_eq!(sessions.context_for("+19995550100"), None);
    // A contact's row keeps its own calls: the later call belongs to someone else.
    let only_first = sessions
        .context_where("+14155550123", |root| root != "07later0000000000000")
        .expect("the first call");
    assert_eq!(only_first.attempts, 1);
    assert_eq!(
        sessions.context_where("+14155550123", |_| false),
        None,
        "no call kept, no context"
    );
}

#[test]
fn a_numbers_calls_and_a_contacts_logged_calls_combine() {
    let at = |t: &str, d: Option<&str>, n| RowContext {
        attempts: n,
        last_at: Some(t.into()),
        last_result: Some("ended".into()),
        last_disposition: d.map(str::to_owned),
    };
    let untied = at("2026-11-02T09:00:00Z", None, 2);
    let mine = at("2026-11-03T09:00:00Z", Some("interested"), 1);
    let both = RowContext::combine(Some(untied.clone()), Some(mine.clone())).expect("both");
    assert_eq!(both.attempts, 3);
    assert_eq!(both.last_at.as_deref(), Some("2026-11-03T09:00:00Z"));
    assert_eq!(both.last_disposition.as_deref(), Some("interested"));
    assert_eq!(RowContext::combine(None, Some(mine.clone())), Some(mine));
    assert_eq!(RowContext::combine(None, None), None);
}

#[test]
fn journal_and_live_context_merge() {
    let at = |t: &str, r: Option<&str>, n| RowContext {
        attempts: n,
        last_at: Some(t.into()),
        last_result: r.map(str::to_owned),
        last_disposition: None,
    };
    let past = at("2026-11-01T10:00:00Z", Some("missed"), 3);
    let live = at("2026-11-02T10:00:00Z", None, 1);
    assert_eq!(
        RowContext::merge(Some(past.clone()), Some(live)),
        Some(at("2026-11-02T10:00:00Z", None, 4))
    );
    assert_eq!(RowContext::merge(Some(past.clone()), None), Some(past));
    assert_eq!(RowContext::merge(None, None), None);
}

#[test]
fn badges_list_what_the_call_card_shows() {
    assert_eq!(
        session_of(&full_call()).badges(),
        ["2 recordings", "transferred", "logged in Zoom"]
    );
    assert!(session_of(&[event(fixture!("call-ringing-inbound.json"))])
        .badges()
        .is_empty());
}

#[test]
fn a_late_ended_event_still_sets_the_end_and_keeps_the_answer() {
    let events = full_call();
    let reversed: Vec<_> = events.iter().rev().cloned().collect();
    assert_eq!(session_of(&reversed), session_of(&events));
}

#[test]
fn the_log_result_comes_from_save_log_when_no_log_completed_arrives() {
    let s = session_of(&[
        event(fixture!("call-ringing-inbound.json")),
        event(fixture!("save-log.json")),
    ]);
    assert_eq!(s.log_result.as_deref(), Some("Call Connected"));
    assert!(s.call_log_id.is_some());
    assert_eq!(s.end_result, None);
}

#[test]
fn a_repeat_is_detected_on_call_type_and_content() {
    let mut sessions = Sessions::default();
    let ringing = event(fixture!("call-ringing-inbound.json"));
    let (root, first) = apply(&mut sessions, &ringing).expect("call event");
    assert_eq!(root, "068cba3db27ba0d08d2");
    assert!(matches!(first, Applied::New { .. }));
    assert_eq!(
        apply(&mut sessions, &ringing).map(|a| a.1),
        Some(Applied::Repeat)
    );
    // Same call, same type, other content: a new event.
    let later = with(fixture!("call-ringing-inbound.json"), |v| {
        v["data"]["dateTime"] = "2026-11-02T09:58:52Z".into();
    });
    assert!(matches!(
        apply(&mut sessions, &later).map(|a| a.1),
        Some(Applied::New { .. })
    ));
}

#[test]
fn recordings_and_voicemails_are_sets_by_url() {
    let recording = event(fixture!("recording-completed.json"));
    let s = session_of(&[recording.clone(), recording]);
    assert_eq!(s.recordings.len(), 1);
    let mut sessions = Sessions::default();
    apply(&mut sessions, &event(fixture!("voicemail-received.json")));
    apply(&mut sessions, &event(fixture!("call-ended-missed.json")));
    let missed = sessions.get("06b77a1c0d2e3f4a5b6").expect("session");
    assert_eq!(missed.voicemails.len(), 1);
    assert_eq!(missed.end_result.as_deref(), Some("missed"));
    assert_eq!(missed.party_name, None);
    assert_eq!(missed.party_number.as_deref(), Some("+12125550147"));
}

#[test]
fn a_transfer_leg_is_a_segment_of_its_root_call() {
    let mut sessions = Sessions::default();
    apply(&mut sessions, &event(fixture!("transfer-leg.json")));
    apply(&mut sessions, &event(fixture!("call-ringing-inbound.json")));
    assert_eq!(sessions.iter().count(), 1);
    let s = sessions.get("068cba3db27ba0d08d2").expect("root session");
    assert!(s.legs.contains("068cba3db27ba0d08d2_1"));
    assert_eq!(s.party_name.as_deref(), Some("Dana Whitfield"));
}

#[test]
fn other_events_are_not_call_events() {
    let mut sessions = Sessions::default();
    assert_eq!(
        apply(&mut sessions, &event(fixture!("notes-save.json"))),
        None
    );
    assert_eq!(
        apply(&mut sessions, &event(fixture!("unknown-type.json"))),
        None
    );
    assert_eq!(sessions.iter().count(), 0);
}

#[test]
fn keys_ignore_object_key_order() {
    let a: Value = serde_json::from_str(r#"{"a":1,"b":{"c":2,"d":[3,{"e":4,"f":5}]}}"#).unwrap();
    let b: Value = serde_json::from_str(r#"{"b":{"d":[3,{"f":5,"e":4}],"c":2},"a":1}"#).unwrap();
    assert_eq!(event_key("r", "t", &a), event_key("r", "t", &b));
    assert_ne!(event_key("r", "t", &a), event_key("r", "u", &a));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any order, with any events repeated anywhere, gives the same session.
        #[test]
        fn permutations_with_duplicates_give_the_same_session(
            order in Just((0..full_call().len()).collect::<Vec<_>>()).prop_shuffle(),
            repeats in prop::collection::vec((0usize..8, 0usize..16), 0..8),
        ) {
            let events = full_call();
            let mut sequence: Vec<Message> = order.iter().map(|&i| events[i].clone()).collect();
            for (which, at) in repeats {
                let at = at % (sequence.len() + 1);
                sequence.insert(at, events[which % events.len()].clone());
            }
            prop_assert_eq!(session_of(&sequence), session_of(&events));
        }
    }
}
