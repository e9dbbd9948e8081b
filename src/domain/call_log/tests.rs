use dialdesk_contract::DispositionGroup;
use serde_json::json;

use super::*;
use crate::domain::phone::display_number;
use crate::domain::protocol::{Direction, Party};

fn codes() -> Vec<DispositionCode> {
    let code = |value: &str, label: &str, notes_required| DispositionCode {
        label: label.to_owned(),
        value: value.to_owned(),
        group: DispositionGroup::Connected,
        notes_required,
    };
    vec![
        code("interested", "Interested", false),
        code("wrong_number", "Wrong number", true),
    ]
}

/// The log of call `c1` as stored at `version`, with notes "theirs" and a recording.
pub(crate) fn stored(version: u64, disposition: &str) -> CallLog {
    CallLog {
        call_id: "c1".into(),
        version,
        disposition: disposition.into(),
        notes: "theirs".into(),
        fields: Default::default(),
        contact_id: None,
        direction: None,
        number: None,
        duration_secs: None,
        result: None,
        saved_at: "2026-11-25T10:00:00Z".into(),
        saved_by: None,
        recordings: vec!["https://rec/1".into()],
        voicemails: vec![],
    }
}

fn ended_call() -> CallEvent {
    CallEvent {
        call_id: "c1_2".into(),
        direction: Some(Direction::Inbound),
        caller: Some(Party {
            name: Some("Dana".into()),
            number: Some("+14155550123".into()),
            ..Party::default()
        }),
        result: Some("ended".into()),
        duration: Some(61),
        ..CallEvent::default()
    }
}

#[test]
fn a_call_event_fills_only_what_is_empty() {
    let mut entry = LogEntry::new("c1", 0);
    entry.draft.number = Some("typed by the agent".into());
    entry.prefill(&ended_call());
    assert_eq!(entry.draft.direction.as_deref(), Some("inbound"));
    assert_eq!(entry.draft.number.as_deref(), Some("typed by the agent"));
    assert_eq!(entry.draft.duration_secs, Some(61));
    assert_eq!(entry.draft.result.as_deref(), Some("ended"));
    assert_eq!(entry.party.as_deref(), Some("Dana"));
    let mut later = ended_call();
    later.result = Some("Call Connected".into());
    later.duration = None;
    entry.prefill(&later);
    assert_eq!(entry.draft.result.as_deref(), Some("ended"));
    assert_eq!(entry.draft.duration_secs, Some(61));
}

#[test]
fn the_notes_page_picks_the_code_and_adds_the_notes() {
    let mut entry = LogEntry::new("c1", 0);
    entry.draft.notes = "typed first".into();
    let notes = NotesSave {
        call_id: Some("c1".into()),
        notes_data:
            json!({"Disposition": "Wrong number", "Notes": "Call back Tuesday", "Budget": 5})
                .as_object()
                .cloned()
                .unwrap_or_default(),
    };
    entry.merge_notes(&notes, &codes());
    assert_eq!(entry.draft.disposition, "wrong_number");
    assert_eq!(entry.draft.notes, "typed first\nCall back Tuesday");
    assert_eq!(entry.draft.fields["Budget"], json!(5));
    entry.merge_notes(&notes, &codes());
    assert_eq!(
        entry.draft.notes, "typed first\nCall back Tuesday",
        "a repeated notes event adds nothing"
    );
    let unknown = NotesSave {
        notes_data: json!({"Disposition": "sold"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        ..NotesSave::default()
    };
    entry.merge_notes(&unknown, &codes());
    assert_eq!(
        entry.draft.disposition, "wrong_number",
        "unknown codes are kept out"
    );
}

#[test]
fn a_save_needs_a_known_code_and_the_notes_it_requires() {
    let mut draft = CallLogDraft::default();
    assert_eq!(check(&draft, &codes())[0].field, "disposition");
    draft.disposition = "sold".into();
    assert_eq!(check(&draft, &codes())[0].field, "disposition");
    draft.disposition = "wrong_number".into();
    let errors = check(&draft, &codes());
    assert_eq!(errors[0].field, "notes");
    assert!(errors[0].message.contains("Wrong number"));
    draft.notes = "  ".into();
    assert_eq!(check(&draft, &codes()).len(), 1);
    draft.notes = "moved away".into();
    assert!(check(&draft, &codes()).is_empty());
    draft.disposition = "interested".into();
    draft.notes.clear();
    assert!(check(&draft, &codes()).is_empty());
}

#[test]
fn retries_double_up_to_the_cap_with_jitter_below_it() {
    assert_eq!(retry_delay(0, 1000, 60_000, 0.0), 1000);
    assert_eq!(retry_delay(1, 1000, 60_000, 0.0), 2000);
    assert_eq!(retry_delay(3, 1000, 60_000, 0.0), 8000);
    assert_eq!(retry_delay(10, 1000, 60_000, 0.0), 60_000);
    assert_eq!(retry_delay(u32::MAX, 1000, 60_000, 0.0), 60_000);
    assert_eq!(retry_delay(2, 1000, 60_000, 1.0), 3000);
    for attempts in 0..70 {
        for random in [0.0, 0.3, 0.99, 1.0, 7.0, -1.0] {
            let delay = retry_delay(attempts, 1000, 60_000, random);
            assert!(
                (750..=60_000).contains(&delay),
                "{attempts} {random}: {delay}"
            );
        }
    }
}

#[test]
fn only_failures_in_transit_stay_in_the_outbox() {
    let mut entry = LogEntry::new("c1", 0);
    assert_eq!(entry.describe(), "Not logged");
    assert!(entry.is_blank());
    entry.draft.notes = "  ".into();
    assert!(entry.is_blank(), "spaces are nothing written");
    entry.draft.disposition = "interested".into();
    assert_eq!(entry.describe(), "Draft");
    entry.queue(5);
    assert!(!entry.editable());
    assert_eq!(entry.describe(), "Saving…");
    entry.sent(Err(SaveFailure::Transient("HTTP 503".into())));
    entry.sent(Err(SaveFailure::Transient("offline".into())));
    assert_eq!(entry.status, LogStatus::Waiting { attempts: 2 });
    assert_eq!(entry.describe(), "Waiting to send (2)");
    entry.sent(Err(SaveFailure::Refused("unknown contact".into())));
    assert_eq!(
        entry.status,
        LogStatus::Failed {
            reason: "unknown contact".into()
        }
    );
    assert!(entry.editable());
    entry.draft.contact_id = Some(7);
    entry.queue(6);
    entry.sent(Err(SaveFailure::UnknownContact(
        "no contact with id 7".into(),
    )));
    assert_eq!(
        entry.draft.contact_id, None,
        "Retry saves without the deleted contact"
    );
    assert_eq!(entry.status.name(), "failed");
    entry.queue(6);
    entry.sent(Ok(stored(3, "interested")));
    assert_eq!(entry.status, LogStatus::Logged { version: 3 });
    assert_eq!(entry.draft.base_version, 3);
    assert_eq!(entry.media, vec!["https://rec/1".to_owned()]);
}

#[test]
fn the_outbox_sends_in_the_order_saves_were_pressed() {
    let mut entries: Vec<LogEntry> = ["a", "b", "c"]
        .iter()
        .map(|id| LogEntry::new(id, 0))
        .collect();
    entries[2].queue(10);
    entries[0].queue(20);
    assert_eq!(waiting(&entries), 2);
    assert_eq!(
        next_to_send(&entries).map(|e| e.call_id.as_str()),
        Some("c")
    );
    entries[2].sent(Err(SaveFailure::Transient("x".into())));
    assert_eq!(
        next_to_send(&entries).map(|e| e.call_id.as_str()),
        Some("c"),
        "a failed attempt keeps its place"
    );
    entries[2].sent(Ok(stored(1, "interested")));
    assert_eq!(
        next_to_send(&entries).map(|e| e.call_id.as_str()),
        Some("a")
    );
    assert_eq!(waiting(&entries), 1);
}

#[test]
fn a_conflict_keeps_both_versions_until_the_agent_picks() {
    let mut entry = LogEntry::new("c1", 0);
    entry.draft.disposition = "interested".into();
    entry.draft.notes = "mine".into();
    entry.queue(1);
    entry.sent(Err(SaveFailure::Conflict(Box::new(stored(
        2,
        "wrong_number",
    )))));
    assert_eq!(entry.status.name(), "conflict");
    assert_eq!(entry.draft.notes, "mine");
    let mut theirs = entry.clone();
    entry.keep_mine(2);
    assert_eq!(entry.draft.base_version, 2);
    assert_eq!(entry.status, LogStatus::Waiting { attempts: 0 });
    theirs.take_stored();
    assert_eq!(theirs.status, LogStatus::Logged { version: 2 });
    assert_eq!(theirs.draft.notes, "theirs");
    assert_eq!(theirs.draft.disposition, "wrong_number");
}

#[test]
fn wrap_up_counts_down_once_extends_once_and_stops_on_save() {
    let mut entry = LogEntry::new("c1", 0);
    entry.start_wrap_up(0, 0);
    assert_eq!(entry.wrap_up_left(0), None, "0 turns the timer off");
    entry.start_wrap_up(30, 1000);
    entry.start_wrap_up(30, 9000);
    assert_eq!(entry.wrap_up_left(1000), Some(30));
    assert_eq!(entry.wrap_up_left(1500), Some(30));
    assert_eq!(entry.wrap_up_left(31_000), Some(0));
    entry.extend_wrap_up(30);
    entry.extend_wrap_up(30);
    assert_eq!(entry.wrap_up_left(31_000), Some(30));
    entry.queue(31_000);
    assert_eq!(entry.wrap_up_left(31_000), None);
}

#[test]
fn an_entry_survives_storage_whatever_its_status() {
    let mut entry = LogEntry::new("c1", 1);
    entry.prefill(&ended_call());
    entry.draft.notes = "ünïcode \"quoted\"\n<b>".into();
    for status in [
        LogStatus::Draft,
        LogStatus::Waiting { attempts: 4 },
        LogStatus::Logged { version: 9 },
        LogStatus::Failed {
            reason: "no".into(),
        },
        LogStatus::Conflict {
            stored: Box::new(stored(2, "interested")),
        },
    ] {
        entry.status = status;
        let text = entry_text(&entry);
        let back = parse_entry(&text);
        assert_eq!(back.as_ref(), Some(&entry));
    }
}

#[test]
fn the_base_version_is_not_content() {
    let mut a = CallLogDraft {
        disposition: "interested".into(),
        notes: "x".into(),
        ..CallLogDraft::default()
    };
    let mut b = a.clone();
    b.base_version = 7;
    assert!(same_content(&a, &b));
    a.notes.push('y');
    assert!(!same_content(&a, &b));
}

#[test]
fn a_call_from_zoom_history_fills_only_what_is_empty_and_the_saver_is_kept() {
    let call = ZoomCall {
        call_id: "z1".into(),
        call_history_uuid: Some("uuid".into()),
        direction: Some("outbound".into()),
        start_time: Some("2026-12-03T09:15:00Z".into()),
        duration_secs: 95,
        result: Some("answered".into()),
        number: Some("+14155550123".into()),
        number_display: None,
        name: Some("Dana Ames".into()),
        contact_id: Some(7),
        has_recording: true,
    };
    let mut entry = LogEntry::new("z1", 0);
    entry.prefill_zoom(&call);
    let draft = &entry.draft;
    assert_eq!(draft.direction.as_deref(), Some("outbound"));
    assert_eq!(draft.number.as_deref(), Some("+14155550123"));
    assert_eq!(draft.contact_id, Some(7));
    assert_eq!(draft.duration_secs, Some(95));
    assert_eq!(draft.result.as_deref(), Some("answered"));
    assert_eq!(entry.party.as_deref(), Some("Dana Ames"));

    let mut typed = LogEntry::new("z1", 0);
    typed.draft.number = Some("+14155550199".into());
    typed.draft.contact_id = Some(3);
    typed.draft.result = Some("ended".into());
    typed.draft.duration_secs = Some(120);
    typed.draft.notes = "mine".into();
    typed.prefill_zoom(&call);
    assert_eq!(typed.draft.number.as_deref(), Some("+14155550199"));
    assert_eq!(typed.draft.contact_id, Some(3));
    assert_eq!(typed.draft.result.as_deref(), Some("ended"));
    assert_eq!(typed.draft.duration_secs, Some(120));
    assert_eq!(typed.draft.notes, "mine");

    let mut log = stored(1, "interested");
    log.saved_by = Some("Ava Lindqvist".into());
    entry.sent(Ok(log));
    assert_eq!(entry.saved_by.as_deref(), Some("Ava Lindqvist"));
    let text = entry_text(&entry);
    assert_eq!(parse_entry(&text), Some(entry));
}

macro_rules! stored_fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/storage/",
            $name
        ))
    };
}

#[test]
fn entries_stored_by_the_build_before_serde_still_load() {
    let draft = parse_entry(stored_fixture!("log-draft.json")).expect("draft");
    assert_eq!(draft.status, LogStatus::Draft);
    assert_eq!(draft.draft.notes, "Wants a demo on Tuesday");
    assert_eq!(draft.draft.contact_id, Some(7));
    assert_eq!(draft.party.as_deref(), Some("Dana Whitfield"));
    assert_eq!(draft.wrap_up_until_ms, Some(1_764_841_260_000));

    let waiting = parse_entry(stored_fixture!("log-waiting.json")).expect("waiting");
    assert_eq!(waiting.status, LogStatus::Waiting { attempts: 3 });
    assert_eq!(waiting.queued_ms, 1_764_841_360_000);
    assert!(waiting.extended);
    assert_eq!(
        waiting.draft.fields.get("Disposition"),
        Some(&json!("no_answer"))
    );

    let failed = parse_entry(stored_fixture!("log-failed.json")).expect("failed");
    assert_eq!(
        failed.status,
        LogStatus::Failed {
            reason: "the call log was not saved: unknown disposition".into()
        }
    );

    let conflict = parse_entry(stored_fixture!("log-conflict.json")).expect("conflict");
    let LogStatus::Conflict { stored } = &conflict.status else {
        panic!("read as {:?}", conflict.status);
    };
    assert_eq!(stored.version, 2);
    assert_eq!(stored.saved_by.as_deref(), Some("Ben Okafor"));
    assert_eq!(stored.notes, "theirs");

    let side = parse_entry(stored_fixture!("side-draft.json")).expect("side draft");
    assert_eq!(side.call_id, "c-waiting");
    assert_eq!(side.draft.notes, "typed here while another tab saved");
}

#[test]
fn entries_are_written_in_the_format_they_are_read_in() {
    for text in [
        stored_fixture!("log-draft.json"),
        stored_fixture!("log-waiting.json"),
        stored_fixture!("log-failed.json"),
        stored_fixture!("log-conflict.json"),
    ] {
        let entry = parse_entry(text).expect("a stored entry");
        let written: Value = serde_json::from_str(&entry_text(&entry)).expect("JSON");
        let before: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(written, before, "the same fields, the same spelling");
    }
}

#[test]
fn the_summary_names_the_contact_the_call_is_tied_to() {
    let mut entry = LogEntry::new("c1", 0);
    entry.prefill(&ended_call());
    assert_eq!(
        entry.summary(None, display_number),
        "Dana · (415) 555-0123 · inbound · 1:01 · ended"
    );
    assert_eq!(
        entry.summary(Some("Dana Whitfield"), display_number),
        "Dana Whitfield · (415) 555-0123 · inbound · 1:01 · ended"
    );
    entry.party = None;
    assert_eq!(
        entry.summary(None, display_number),
        "(415) 555-0123 · inbound · 1:01 · ended"
    );
    assert_eq!(
        LogEntry::new("c9", 0).summary(None, display_number),
        "Call c9"
    );
}
