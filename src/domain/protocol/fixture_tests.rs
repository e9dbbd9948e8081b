//! Every fixture in `tests/fixtures/smart-embed/` against a hand-written expected value.

use super::*;
use dialdesk_contract::{DispositionCode, DispositionGroup, InitConfigFlags};
use serde_json::{json, Map, Value};

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/smart-embed/",
            $path
        ))
    };
}

fn parse(text: &str) -> EmbedEvent {
    parse_event(text).unwrap_or_else(|reason| panic!("fixture rejected: {reason}"))
}

fn party(name: &str) -> Party {
    Party {
        name: Some(name.into()),
        ..Party::default()
    }
}

fn dana() -> Party {
    Party {
        number: Some("+14155550123".into()),
        number_type: Some(2),
        ..party("Dana Whitfield")
    }
}

fn riley() -> Party {
    Party {
        phone_number: Some("+14155550199".into()),
        extension_id: Some("ext-7Qm2".into()),
        extension_number: Some("800".into()),
        extension_type: Some("user".into()),
        ..party("Riley Agent")
    }
}

fn inbound(call_id: &str, at: &str) -> CallEvent {
    CallEvent {
        call_id: call_id.into(),
        direction: Some(Direction::Inbound),
        date_time: Some(at.into()),
        caller: Some(dana()),
        callee: Some(riley()),
        ..CallEvent::default()
    }
}

fn missed_caller() -> Party {
    Party {
        number: Some("+12125550147".into()),
        number_type: Some(2),
        ..party("")
    }
}

#[test]
fn ringing_inbound() {
    let expected = CallEvent {
        enable_auto_log: Some(false),
        ..inbound("068cba3db27ba0d08d2", "2026-11-02T09:58:51Z")
    };
    assert_eq!(
        parse(fixture!("events/call-ringing-inbound.json")),
        EmbedEvent::CallRinging(expected)
    );
}

#[test]
fn ringing_outbound_uses_phone_number_spelling() {
    let expected = CallEvent {
        call_id: "06a1f0c2e9b4d7a8c31".into(),
        direction: Some(Direction::Outbound),
        date_time: Some("2026-11-02T10:04:10Z".into()),
        caller: Some(Party {
            phone_number: Some("+14155550199".into()),
            ..party("Riley Agent")
        }),
        callee: Some(Party {
            phone_number: Some("+14155550123".into()),
            ..party("")
        }),
        ..CallEvent::default()
    };
    let event = parse(fixture!("events/call-ringing-outbound.json"));
    assert_eq!(event, EmbedEvent::CallRinging(expected));
    let external = event.call().and_then(CallEvent::external_party);
    assert_eq!(external.and_then(Party::any_number), Some("+14155550123"));
}

#[test]
fn connected() {
    let expected = CallEvent {
        enable_auto_log: Some(false),
        ..inbound("068cba3db27ba0d08d2", "2026-11-02T09:59:03Z")
    };
    assert_eq!(
        parse(fixture!("events/call-connected.json")),
        EmbedEvent::CallConnected(expected)
    );
}

#[test]
fn ended_completed() {
    let expected = CallEvent {
        result: Some("ended".into()),
        duration: Some(366),
        ..inbound("068cba3db27ba0d08d2", "2026-11-02T10:05:09Z")
    };
    assert_eq!(
        parse(fixture!("events/call-ended-completed.json")),
        EmbedEvent::CallEnded(expected)
    );
}

#[test]
fn ended_missed() {
    let expected = CallEvent {
        result: Some("missed".into()),
        duration: Some(0),
        caller: Some(missed_caller()),
        ..inbound("06b77a1c0d2e3f4a5b6", "2026-11-02T11:00:00Z")
    };
    assert_eq!(
        parse(fixture!("events/call-ended-missed.json")),
        EmbedEvent::CallEnded(expected)
    );
}

#[test]
fn log_completed() {
    let expected = CallEvent {
        call_log_id: Some("8fe17897-0a17-45c2-9201-ee72ebcf8bec".into()),
        duration: Some(366),
        result: Some("Call Connected".into()),
        enable_auto_log: Some(false),
        caller: Some(Party {
            did_number: Some("+14155550123".into()),
            ..dana()
        }),
        callee: Some(Party {
            number: Some("800".into()),
            number_type: Some(1),
            did_number: Some("+14155550199".into()),
            ..party("Riley Agent")
        }),
        ..inbound("068cba3db27ba0d08d2", "2026-11-02T09:58:51Z")
    };
    assert_eq!(
        parse(fixture!("events/call-log-completed.json")),
        EmbedEvent::CallLogCompleted(expected)
    );
}

#[test]
fn save_log() {
    let expected = CallEvent {
        call_log_id: Some("8fe17897-0a17-45c2-9201-ee72ebcf8bec".into()),
        duration: Some(366),
        result: Some("Call Connected".into()),
        ..inbound("068cba3db27ba0d08d2", "2026-11-02T09:58:51Z")
    };
    assert_eq!(
        parse(fixture!("events/save-log.json")),
        EmbedEvent::SaveLog(expected)
    );
}

#[test]
fn recording_completed() {
    let expected = CallEvent {
        recording_url: Some("https://applications.zoom.us/integration/phone/embeddablephone/audio/play/0/bbf5c62b-0953-40e4-bbc9-6d565200a7e7".into()),
        ..inbound("068cba3db27ba0d08d2", "2026-11-02T10:05:40Z")
    };
    assert_eq!(
        parse(fixture!("events/recording-completed.json")),
        EmbedEvent::RecordingCompleted(expected)
    );
}

#[test]
fn voicemail_received() {
    let expected = CallEvent {
        voicemail_url: Some("https://applications.zoom.us/integration/phone/embeddablephone/audio/play/1/0c5e2a91-77f4-4f0e-9a57-3c1b2d4e5f60".into()),
        caller: Some(missed_caller()),
        ..inbound("06b77a1c0d2e3f4a5b6", "2026-11-02T11:01:10Z")
    };
    assert_eq!(
        parse(fixture!("events/voicemail-received.json")),
        EmbedEvent::VoicemailReceived(expected)
    );
}

#[test]
fn transfer_leg_keeps_its_suffixed_id() {
    let expected = CallEvent {
        callee: Some(Party {
            phone_number: Some("+14155550188".into()),
            ..party("Sam Senior")
        }),
        ..inbound("068cba3db27ba0d08d2_1", "2026-11-02T10:01:00Z")
    };
    assert_eq!(
        parse(fixture!("events/transfer-leg.json")),
        EmbedEvent::CallConnected(expected)
    );
}

#[test]
fn notes_save() {
    let mut notes = Map::new();
    notes.insert("Disposition".into(), json!("interested"));
    notes.insert(
        "Notes".into(),
        json!("Wants a quote for 40 seats; call back Tuesday"),
    );
    let expected = NotesSave {
        call_id: Some("068cba3db27ba0d08d2".into()),
        notes_data: notes,
    };
    assert_eq!(
        parse(fixture!("events/notes-save.json")),
        EmbedEvent::NotesSave(expected)
    );
}

#[test]
fn contact_search() {
    let expected = ContactSearch {
        request_id: Some("srch-1".into()),
        search_string: "whit".into(),
    };
    assert_eq!(
        parse(fixture!("events/contact-search.json")),
        EmbedEvent::ContactSearch(expected)
    );
}

#[test]
fn contact_match() {
    let expected = ContactMatch {
        request_id: Some("match-1".into()),
        phone_numbers: vec!["+14155550123".into()],
    };
    assert_eq!(
        parse(fixture!("events/contact-match.json")),
        EmbedEvent::ContactMatch(expected)
    );
}

#[test]
fn contact_match_accepts_number_objects() {
    let text = r#"{"type":"zp-contact-match-event","data":{"requestId":7,
        "phoneNumbers":[{"phoneNumber":"+1"},{"number":"+2"},"+3"]}}"#;
    let EmbedEvent::ContactMatch(event) = parse(text) else {
        panic!("not a match event")
    };
    assert_eq!(event.request_id.as_deref(), Some("7"));
    assert_eq!(event.phone_numbers, ["+1", "+2", "+3"]);
}

#[test]
fn sms_log() {
    let expected = SmsLog {
        direction: Some(Direction::Outbound),
        date_time: Some("2026-11-02T12:30:00Z".into()),
        sender: Some(Party {
            phone_number: Some("+14155550199".into()),
            ..Party::default()
        }),
        receiver: Some(Party {
            phone_number: Some("+14155550123".into()),
            ..Party::default()
        }),
        message: Some("Thanks for your time today".into()),
    };
    assert_eq!(
        parse(fixture!("events/sms-log.json")),
        EmbedEvent::SmsLog(expected)
    );
}

#[test]
fn ai_call_summary() {
    let expected = AiCallSummary {
        call_id: Some("068cba3db27ba0d08d2".into()),
        summary: Some("Customer asked for a 40-seat quote; follow up Tuesday.".into()),
    };
    assert_eq!(
        parse(fixture!("events/ai-call-summary.json")),
        EmbedEvent::AiCallSummary(expected)
    );
}

#[test]
fn unknown_type_is_kept_whole() {
    let expected = EmbedEvent::Unknown {
        kind: "zp-some-future-event".into(),
        data: json!({"callId": "068cba3db27ba0d08d2", "novel": {"nested": [1, 2, 3]}}),
    };
    assert_eq!(parse(fixture!("events/unknown-type.json")), expected);
}

#[test]
fn fields_this_version_does_not_know_are_kept_in_the_data_as_sent() {
    let text = r#"{"type":"zp-call-ringing-event","data":{"callId":"a","future":{"x":1},
        "caller":{"number":"+1","nickname":"D"}}}"#;
    let message = parse_message(text).expect("accepted");
    assert_eq!(
        message
            .event
            .call()
            .and_then(|c| c.caller.as_ref())
            .and_then(|p| p.any_number()),
        Some("+1")
    );
    assert_eq!(message.data["future"], json!({"x": 1}));
    assert_eq!(message.data["caller"]["nickname"], json!("D"));
}

#[test]
fn rejects_with_a_reason() {
    assert_eq!(parse_event("not json"), Err(RejectReason::NotJson));
    assert_eq!(parse_event("[1]"), Err(RejectReason::NotAnEnvelope));
    assert_eq!(
        parse_event(r#"{"data":{}}"#),
        Err(RejectReason::NotAnEnvelope)
    );
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(parse_event(&deep), Err(RejectReason::TooDeep));
    let big = format!(
        r#"{{"type":"x","data":"{}"}}"#,
        "a".repeat(MAX_MESSAGE_BYTES)
    );
    assert_eq!(parse_event(&big), Err(RejectReason::TooLarge));
    let no_id = r#"{"type":"zp-call-ended-event","data":{"callId":"  "}}"#;
    assert_eq!(parse_event(no_id).unwrap_err().key(), "malformed");
    let bad_duration = r#"{"type":"zp-call-ended-event","data":{"callId":"a","duration":[]}}"#;
    assert_eq!(parse_event(bad_duration).unwrap_err().key(), "malformed");
}

fn codes() -> Vec<DispositionCode> {
    let code = |label: &str, value: &str, group| DispositionCode {
        label: label.into(),
        value: value.into(),
        group,
        notes_required: false,
    };
    vec![
        code("Interested", "interested", DispositionGroup::Connected),
        code(
            "Left voicemail",
            "left_voicemail",
            DispositionGroup::NotConnected,
        ),
        code("No answer", "no_answer", DispositionGroup::NotConnected),
    ]
}

fn fixture_value(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is JSON")
}

#[test]
fn init_config_matches_fixture() {
    let flags = InitConfigFlags {
        enable_auto_log: false,
        ..InitConfigFlags::default()
    };
    let command = EmbedCommand::InitConfig(InitConfig::new(flags, &codes()));
    assert_eq!(
        command.to_envelope(),
        fixture_value(fixture!("commands/init-config.json"))
    );
}

#[test]
fn make_call_and_sms_match_fixtures() {
    let call = EmbedCommand::MakeCall {
        number: "+14155550123".into(),
        caller_id: Some("+14155550199".into()),
        auto_dial: true,
    };
    assert_eq!(
        call.to_envelope(),
        fixture_value(fixture!("commands/make-call.json"))
    );
    let sms = EmbedCommand::InputSms {
        number: "+14155550123".into(),
    };
    assert_eq!(
        sms.to_envelope(),
        fixture_value(fixture!("commands/input-sms.json"))
    );
}

#[test]
fn responses_carry_request_id_twice() {
    let contacts = vec![MatchedContact {
        display_name: "Dana Whitfield (Acme)".into(),
        number: "+14155550123".into(),
    }];
    for (command, path) in [
        (
            EmbedCommand::ContactSearchResponse(ContactResponse::to(
                "srch-1".into(),
                contacts.clone(),
            )),
            fixture!("commands/contact-search-response.json"),
        ),
        (
            EmbedCommand::ContactMatchResponse(ContactResponse::to(
                "match-1".into(),
                contacts.clone(),
            )),
            fixture!("commands/contact-match-response.json"),
        ),
    ] {
        let mut expected = fixture_value(path);
        let id = expected["data"]["requestId"].clone();
        expected["data"]["responseId"] = id;
        assert_eq!(command.to_envelope(), expected);
    }
}
