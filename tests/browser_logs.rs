//! Call logs in a real browser: drafts reach `localStorage` synchronously, a second
//! instance (a tab) mirrors them over the `BroadcastChannel` without replacing text
//! typed in it, Web Locks elect one leader, and without Web Locks the app runs alone.
//! Every test uses its own storage, channel and lock names.
#![cfg(target_arch = "wasm32")]

use dialdesk::api::ApiClient;
use dialdesk::domain::call_log::parse_entry;
use dialdesk::domain::protocol::{CallEvent, EmbedEvent, Party};
use dialdesk::state::{CallLogs, LogNames, TabRole};
use dialdesk_contract::{CallLogSettings, DispositionCode, DispositionGroup};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::wait_for;

/// The person every test tab is signed in as.
const TESTER: &str = "tester";

/// Where `call_id`'s entry of the tester is stored (`suffix`: `~draft` for a side draft).
fn key_of(names: LogNames, call_id: &str, suffix: &str) -> String {
    format!("{}@{TESTER}.{call_id}{suffix}", names.storage_prefix)
}

fn names(tag: &'static str) -> LogNames {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    LogNames {
        storage_prefix: leak(format!("test.{tag}.log.")),
        channel: leak(format!("test-{tag}-channel")),
        lock: leak(format!("test-{tag}-lock")),
    }
}

/// A tab's call logs, in an owner of their own (kept alive by the caller).
fn tab(names: LogNames) -> (Owner, CallLogs) {
    // Mounting starts Leptos' executor, which the outbox and the lookups spawn on.
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("div").ok())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        .expect("a detached element");
    std::mem::forget(leptos::mount::mount_to(root, || ()));
    let owner = Owner::new();
    let codes = vec![DispositionCode {
        label: "Interested".into(),
        value: "interested".into(),
        group: DispositionGroup::Connected,
        notes_required: false,
    }];
    let logs = owner.with(|| {
        CallLogs::start(
            ApiClient::default(),
            codes,
            CallLogSettings::default(),
            names,
            TESTER,
            None,
        )
    });
    (owner, logs)
}

fn ended(call_id: &str) -> EmbedEvent {
    EmbedEvent::CallEnded(CallEvent {
        call_id: call_id.into(),
        caller: Some(Party {
            number: Some("+14155550123".into()),
            ..Party::default()
        }),
        ..CallEvent::default()
    })
}

fn stored(names: LogNames, call_id: &str) -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let text = storage.get_item(&key_of(names, call_id, "")).ok()??;
    parse_entry(&text).map(|e| e.draft.notes)
}

fn notes(logs: CallLogs, call_id: &str) -> Option<String> {
    untrack(|| logs.get(call_id)).map(|e| e.draft.notes)
}

#[wasm_bindgen_test]
fn every_keystroke_is_in_storage_before_the_next_line_runs() {
    let names = names("sync");
    let (_owner, logs) = tab(names);
    logs.on_event(&ended("s1"), None);
    assert_eq!(stored(names, "s1").as_deref(), Some(""));
    logs.edit("s1", String::new(), "Asked for a call back".into());
    assert_eq!(
        stored(names, "s1").as_deref(),
        Some("Asked for a call back")
    );
    logs.edit(
        "s1",
        "interested".into(),
        "Asked for a call back on Friday".into(),
    );
    assert_eq!(
        stored(names, "s1").as_deref(),
        Some("Asked for a call back on Friday")
    );
}

#[wasm_bindgen_test]
async fn a_second_tab_mirrors_the_first_but_keeps_what_was_typed_in_it() {
    let names = names("mirror");
    let (_a_owner, a) = tab(names);
    let (_b_owner, b) = tab(names);
    wait_for("one tab to lead", || {
        untrack(|| a.role()) == TabRole::Leader
    })
    .await;
    assert_eq!(untrack(|| b.role()), TabRole::Follower);

    a.on_event(&ended("m1"), None);
    a.edit("m1", String::new(), "from A".into());
    wait_for("B to mirror A's text", || {
        notes(b, "m1").as_deref() == Some("from A")
    })
    .await;

    b.edit("m1", String::new(), "typed in B".into());
    a.edit("m1", String::new(), "A again".into());
    // Messages arrive in order: once B has m2, it has seen A's last edit of m1.
    a.on_event(&ended("m2"), None);
    wait_for("B to see the next call", || notes(b, "m2").is_some()).await;
    assert_eq!(notes(b, "m1").as_deref(), Some("typed in B"));
    assert_eq!(notes(a, "m1").as_deref(), Some("A again"));
}

#[wasm_bindgen_test]
fn without_web_locks_the_tab_says_it_works_alone() {
    let navigator = web_sys::window().expect("window").navigator();
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &JsValue::UNDEFINED).expect("set");
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE).expect("set");
    js_sys::Object::define_property(&navigator, &"locks".into(), &descriptor);
    let (_owner, logs) = tab(names("alone"));
    js_sys::Reflect::delete_property(&navigator, &"locks".into()).expect("restore locks");
    assert_eq!(untrack(|| logs.role()), TabRole::Alone);
}

fn stored_side(names: LogNames, call_id: &str) -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let text = storage.get_item(&key_of(names, call_id, "~draft")).ok()??;
    parse_entry(&text).map(|e| e.draft.notes)
}

#[wasm_bindgen_test]
async fn a_draft_typed_over_another_tabs_save_is_kept_beside_it_and_comes_back() {
    let names = names("side");
    let (_a_owner, a) = tab(names);
    let (_b_owner, b) = tab(names);
    wait_for("one tab to lead", || {
        untrack(|| a.role()) == TabRole::Leader
    })
    .await;
    a.on_event(&ended("d1"), None);
    wait_for("B to see the call", || notes(b, "d1").is_some()).await;
    b.edit("d1", String::new(), "typed in B".into());
    a.edit("d1", "interested".into(), "saved in A".into());
    // The test server has no /api: the save is refused, and stays under the call's key.
    assert!(a.save("d1").is_empty());
    wait_for("A's save to be settled in storage", || {
        stored(names, "d1").as_deref() == Some("saved in A")
            && untrack(|| a.get("d1")).is_some_and(|e| e.status.name() == "failed")
    })
    .await;
    wait_for("B's text to be kept beside it", || {
        stored_side(names, "d1").as_deref() == Some("typed in B")
    })
    .await;
    assert_eq!(notes(b, "d1").as_deref(), Some("typed in B"));
    // B goes away without a pagehide; a new tab brings its words back.
    let (_c_owner, c) = tab(names);
    assert_eq!(notes(c, "d1").as_deref(), Some("typed in B"));
}

/// Entries as the build before the serde rewrite wrote them (`tests/fixtures/storage/`).
const OLD_ENTRIES: [(&str, &str); 5] = [
    ("c-draft", include_str!("fixtures/storage/log-draft.json")),
    (
        "c-waiting",
        include_str!("fixtures/storage/log-waiting.json"),
    ),
    (
        "c-waiting~draft",
        include_str!("fixtures/storage/side-draft.json"),
    ),
    ("c-failed", include_str!("fixtures/storage/log-failed.json")),
    (
        "c-conflict",
        include_str!("fixtures/storage/log-conflict.json"),
    ),
];

#[wasm_bindgen_test]
fn drafts_and_waiting_saves_stored_by_the_previous_build_load() {
    let names = names("old-format");
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("local storage");
    for (key, text) in OLD_ENTRIES {
        storage
            .set_item(&format!("{}{key}", names.storage_prefix), text)
            .expect("store an old entry");
    }
    let (_owner, logs) = tab(names);
    let status = |call_id: &str| untrack(|| logs.get(call_id)).map(|e| e.status.name());
    assert_eq!(
        notes(logs, "c-draft").as_deref(),
        Some("Wants a demo on Tuesday")
    );
    assert_eq!(status("c-draft"), Some("draft"));
    assert_eq!(status("c-failed"), Some("failed"));
    assert_eq!(status("c-conflict"), Some("conflict"));
    // The text typed over another tab's waiting save comes back as this tab's own.
    assert_eq!(
        notes(logs, "c-waiting").as_deref(),
        Some("typed here while another tab saved")
    );
    // The most recent draft reopens.
    assert_eq!(logs.open.get_untracked().as_deref(), Some("c-waiting"));
    // They were stored without an owner: the first person to sign in adopts them.
    for (key, _) in OLD_ENTRIES {
        let old = format!("{}{key}", names.storage_prefix);
        assert_eq!(storage.get_item(&old).ok().flatten(), None, "{old} moved");
        assert!(storage
            .get_item(&key_of(names, key, ""))
            .ok()
            .flatten()
            .is_some());
    }
}

#[wasm_bindgen_test]
fn another_persons_drafts_and_waiting_saves_are_neither_shown_nor_sent() {
    let names = names("someone-else");
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("local storage");
    let theirs = format!("{}@someone-else.c-waiting", names.storage_prefix);
    let text = include_str!("fixtures/storage/log-waiting.json");
    storage.set_item(&theirs, text).expect("store their entry");
    let (_owner, logs) = tab(names);
    assert!(untrack(|| logs.get("c-waiting")).is_none(), "not shown");
    logs.on_event(&ended("mine"), None);
    assert!(untrack(|| logs.get("mine")).is_some());
    assert_eq!(
        storage.get_item(&theirs).ok().flatten().as_deref(),
        Some(text),
        "left for its owner"
    );
}
