//! The scenarios of contract §8, driven through the router on a paused clock: each test checks
//! the exact sequence of posted events, their key fields and, where timing is the point, the
//! pauses between them.

use std::collections::BTreeSet;
use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use serde_json::{json, Value};
use tokio::time::Instant;

use super::{app, fixture, get, post, post_json, Events, Reply};

const AUDIO: &str = "https://applications.zoom.us/integration/phone/embeddablephone/audio/play";

/// Starts scenario `name` with `options` (no body for `null`).
async fn run(router: &Router, name: &str, options: &Value) -> Reply {
    let uri = format!("/__sim/scenario/{name}");
    if options.is_null() {
        post(router, &uri, "").await
    } else {
        post_json(router, &uri, options).await
    }
}

/// Starts a scenario that must be accepted; returns the state it answers with.
async fn start(router: &Router, name: &str, options: &Value) -> Value {
    let reply = run(router, name, options).await;
    assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.text);
    reply.json()
}

/// The next `n` posted messages, each with the paused-clock milliseconds since `since`.
async fn timed_posts(events: &mut Events, n: usize, since: Instant) -> Vec<(Value, u64)> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let message = events.next_post().await;
        let ms = u64::try_from(since.elapsed().as_millis()).expect("fits");
        out.push((message, ms));
    }
    out
}

/// Runs scenario `name` with `options` on a fresh simulator and returns its `n` messages.
async fn messages_of(name: &str, options: &Value, n: usize) -> (Router, Vec<Value>, Vec<u64>) {
    let (router, _trigger) = app(true);
    let mut events = Events::open(&router).await;
    let since = Instant::now();
    start(&router, name, options).await;
    let posted = timed_posts(&mut events, n, since).await;
    let (messages, times) = posted.into_iter().unzip();
    (router, messages, times)
}

fn types(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|message| message["type"].as_str().expect("type"))
        .collect()
}

fn call_ids(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|message| message["data"]["callId"].as_str().expect("callId"))
        .collect()
}

/// The field names of `value`'s `data`, with those of its `caller` and `callee`.
fn shape(value: &Value) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    if let Some(data) = value["data"].as_object() {
        for (key, field) in data {
            keys.insert(key.clone());
            if let Some(party) = field.as_object() {
                keys.extend(party.keys().map(|inner| format!("{key}.{inner}")));
            }
        }
    }
    keys
}

/// `message` has exactly the fields of the fixture `name`.
fn assert_shape(message: &Value, name: &str) {
    let expected = fixture(&format!("events/{name}"));
    assert_eq!(message["type"], expected["type"], "{name}");
    assert_eq!(shape(message), shape(&expected), "{name}: {message}");
}

fn is_uuid_url(url: &Value, kind: u8) -> bool {
    url.as_str()
        .and_then(|url| url.strip_prefix(&format!("{AUDIO}/{kind}/")))
        .is_some_and(|id| id.len() == 36 && id.matches('-').count() == 4)
}

const RINGING: &str = "zp-call-ringing-event";
const CONNECTED: &str = "zp-call-connected-event";
const ENDED: &str = "zp-call-ended-event";
const LOGGED: &str = "zp-call-log-completed-event";
const RECORDING: &str = "zp-call-recording-completed-event";
const VOICEMAIL: &str = "zp-call-voicemail-received-event";

#[tokio::test(start_paused = true)]
async fn missed_and_rejected_ring_end_and_log_gap_ms_apart() {
    for (name, result, logged) in [
        ("missed", "missed", "No Answer"),
        ("rejected", "rejected", "Rejected"),
    ] {
        let (router, messages, times) = messages_of(name, &Value::Null, 3).await;
        assert_eq!(types(&messages), [RINGING, ENDED, LOGGED], "{name}");
        assert_eq!(times, [0, 100, 200], "{name}: default gapMs is 100");
        let id = call_ids(&messages)[0];
        assert_eq!(id.len(), 19);
        assert!(call_ids(&messages).iter().all(|other| *other == id));
        let ringing = &messages[0]["data"];
        assert_eq!(ringing["direction"], "inbound");
        assert_eq!(ringing["caller"]["number"], "+14155550123");
        assert_eq!(ringing["caller"]["name"], "Dana Whitfield");
        assert_eq!(messages[1]["data"]["result"], result);
        assert_eq!(messages[1]["data"]["duration"], 0);
        assert_eq!(messages[2]["data"]["result"], logged);
        assert_eq!(messages[2]["data"]["duration"], 0);
        assert_shape(&messages[0], "call-ringing-inbound.json");
        assert_shape(&messages[1], "call-ended-missed.json");
        assert_shape(&messages[2], "call-log-completed.json");

        let state = get(&router, "/__sim/state").await.json();
        assert_eq!(state["call"]["callId"], id);
        assert_eq!(state["call"]["phase"], "ended");
        assert_eq!(state["call"]["result"], result);
        assert_eq!(state["scenario"], Value::Null, "{name} is over");
    }
}

#[tokio::test(start_paused = true)]
async fn options_set_the_party_and_the_gap() {
    let options = json!({"number": "+12125550147", "name": "", "gapMs": 0});
    let (router, _trigger) = app(true);
    let mut events = Events::open(&router).await;
    let since = Instant::now();
    let state = start(&router, "missed", &options).await;
    assert_eq!(state["call"]["phase"], "ended", "gapMs 0: all at once");
    let posted = timed_posts(&mut events, 3, since).await;
    assert!(posted.iter().all(|(_, ms)| *ms == 0));
    assert_eq!(posted[0].0["data"]["caller"]["number"], "+12125550147");
    assert_eq!(posted[0].0["data"]["caller"]["name"], "");
}

#[tokio::test(start_paused = true)]
async fn the_log_follows_enable_auto_log() {
    let (router, _trigger) = app(true);
    let init = fixture("commands/init-config.json");
    assert_eq!(init["data"]["enableAutoLog"], false);
    post_json(&router, "/__sim/command", &init).await;
    let mut events = Events::open(&router).await;
    start(&router, "missed", &json!({"gapMs": 0})).await;
    let ringing = events.next_post().await;
    assert_eq!(ringing["data"]["enableAutoLog"], false);
    assert_eq!(events.next_post().await["type"], ENDED);
    let marker = json!({"type": "marker", "data": {}});
    post_json(&router, "/__sim/emit", &marker).await;
    assert_eq!(
        events.next_post().await,
        marker,
        "no log without enableAutoLog"
    );
}

#[tokio::test(start_paused = true)]
async fn voicemail_follows_a_missed_call() {
    let (_router, messages, _) = messages_of("voicemail", &Value::Null, 4).await;
    assert_eq!(types(&messages), [RINGING, ENDED, LOGGED, VOICEMAIL]);
    assert_eq!(messages[1]["data"]["result"], "missed");
    let voicemail = &messages[3];
    assert_eq!(voicemail["data"]["callId"], messages[0]["data"]["callId"]);
    assert!(
        is_uuid_url(&voicemail["data"]["voicemailUrl"], 1),
        "{voicemail}"
    );
    assert_shape(voicemail, "voicemail-received.json");
}

#[tokio::test(start_paused = true)]
async fn late_recording_arrives_after_the_end_and_the_log() {
    let (_router, messages, times) = messages_of("late-recording", &json!({"gapMs": 250}), 5).await;
    assert_eq!(
        types(&messages),
        [RINGING, CONNECTED, ENDED, LOGGED, RECORDING]
    );
    assert_eq!(times, [0, 250, 500, 750, 1000]);
    let ended = &messages[2]["data"];
    assert_eq!(ended["result"], "ended");
    assert_eq!(ended["duration"], 95);
    assert_eq!(messages[3]["data"]["result"], "Call Connected");
    assert_eq!(messages[3]["data"]["duration"], 95);
    assert!(is_uuid_url(&messages[4]["data"]["recordingUrl"], 0));
    let id = call_ids(&messages)[0];
    assert!(call_ids(&messages).iter().all(|other| *other == id));
    assert_shape(&messages[1], "call-connected.json");
    assert_shape(&messages[2], "call-ended-completed.json");
    assert_shape(&messages[4], "recording-completed.json");
}

#[tokio::test(start_paused = true)]
async fn two_recordings_share_the_call_but_not_the_url() {
    let (_router, messages, _) = messages_of("two-recordings", &Value::Null, 6).await;
    assert_eq!(
        types(&messages),
        [RINGING, CONNECTED, ENDED, LOGGED, RECORDING, RECORDING]
    );
    let (first, second) = (&messages[4]["data"], &messages[5]["data"]);
    assert_eq!(first["callId"], second["callId"]);
    assert_eq!(first["callId"], messages[0]["data"]["callId"]);
    assert!(is_uuid_url(&first["recordingUrl"], 0));
    assert!(is_uuid_url(&second["recordingUrl"], 0));
    assert_ne!(first["recordingUrl"], second["recordingUrl"]);
}

#[tokio::test(start_paused = true)]
async fn duplicate_repeats_ringing_and_connected_within_150_ms() {
    let (_router, messages, times) = messages_of("duplicate", &Value::Null, 5).await;
    assert_eq!(
        types(&messages),
        [RINGING, RINGING, CONNECTED, CONNECTED, ENDED]
    );
    assert_eq!(messages[0], messages[1], "same content");
    assert_eq!(messages[2], messages[3], "same content");
    assert!(
        times[1] - times[0] < 150 && times[3] - times[2] < 150,
        "{times:?}"
    );
    assert_eq!(times, [0, 40, 140, 180, 280]);
    assert_eq!(messages[4]["data"]["result"], "ended");
}

#[tokio::test(start_paused = true)]
async fn out_of_order_plays_the_call_backwards_with_its_own_dates() {
    let (router, messages, _) = messages_of("out-of-order", &Value::Null, 5).await;
    assert_eq!(
        types(&messages),
        [LOGGED, RECORDING, ENDED, CONNECTED, RINGING]
    );
    let id = call_ids(&messages)[0];
    assert!(call_ids(&messages).iter().all(|other| *other == id));
    let date = |index: usize| {
        messages[index]["data"]["dateTime"]
            .as_str()
            .expect("date")
            .to_owned()
    };
    // ISO-8601 UTC strings sort as the instants do.
    assert!(date(4) < date(3), "ringing before connected");
    assert!(date(3) < date(2), "connected before ended");
    assert!(date(2) < date(1), "ended before the recording");
    assert_eq!(date(0), date(4), "the log is dated when the call started");
    let state = get(&router, "/__sim/state").await.json();
    assert_eq!(state["call"]["phase"], "ended");
}

#[tokio::test(start_paused = true)]
async fn transfer_connects_a_leg_with_the_suffixed_id() {
    let (_router, messages, _) = messages_of("transfer", &Value::Null, 4).await;
    assert_eq!(types(&messages), [RINGING, CONNECTED, CONNECTED, ENDED]);
    let root = call_ids(&messages)[0].to_owned();
    assert_eq!(
        call_ids(&messages),
        [root.clone(), root.clone(), format!("{root}_1"), root]
    );
    let leg = &messages[2]["data"];
    assert_eq!(
        leg["callee"],
        json!({"name": "Sam Senior", "phoneNumber": "+14155550188"})
    );
    assert_eq!(leg["caller"]["number"], "+14155550123");
    assert_shape(&messages[2], "transfer-leg.json");
}

#[tokio::test(start_paused = true)]
async fn spellings_put_the_number_under_both_names() {
    let options = json!({"number": "+12125550147"});
    let (_router, messages, _) = messages_of("spellings", &options, 3).await;
    assert_eq!(types(&messages), [RINGING, CONNECTED, ENDED]);
    let caller = |index: usize| &messages[index]["data"]["caller"];
    assert_eq!(caller(0)["phoneNumber"], "+12125550147");
    assert_eq!(caller(0)["number"], Value::Null);
    for index in [1, 2] {
        assert_eq!(caller(index)["number"], "+12125550147");
        assert_eq!(caller(index)["phoneNumber"], Value::Null);
    }
}

#[tokio::test(start_paused = true)]
async fn unknown_posts_one_future_event() {
    let (router, messages, _) = messages_of("unknown", &Value::Null, 1).await;
    assert_eq!(messages[0]["type"], "zp-some-future-event");
    assert_eq!(messages[0]["data"]["novel"], json!({"nested": [1, 2, 3]}));
    assert_eq!(
        messages[0]["data"]["callId"].as_str().map(str::len),
        Some(19)
    );
    assert_eq!(
        get(&router, "/__sim/state").await.json()["call"],
        Value::Null
    );
}

/// Starts `inbound-match`; returns the stream and the request id of its match event.
async fn ask_for_a_match(router: &Router, options: &Value) -> (Events, String) {
    let mut events = Events::open(router).await;
    let state = start(router, "inbound-match", options).await;
    assert_eq!(state["scenario"], "inbound-match");
    assert_eq!(state["contactMatch"]["status"], "waiting");
    assert_eq!(state["call"], Value::Null, "no ringing before the answer");
    let ask = events.next_post().await;
    assert_eq!(ask["type"], "zp-contact-match-event");
    assert_shape(&ask, "contact-match.json");
    let request_id = ask["data"]["requestId"].as_str().expect("id").to_owned();
    assert_eq!(request_id.len(), 36, "a fresh UUID");
    (events, request_id)
}

#[tokio::test(start_paused = true)]
async fn inbound_match_names_the_caller_from_either_id_echo() {
    for echo in ["responseId", "requestId"] {
        let (router, _trigger) = app(true);
        let (mut events, request_id) = ask_for_a_match(&router, &Value::Null).await;
        let stranger = json!({"type": "zp-contact-match-response",
            "data": {echo: "someone-else", "contacts": [{"name": "Wrong"}]}});
        post_json(&router, "/__sim/command", &stranger).await;
        let answer = json!({"type": "zp-contact-match-response", "data": {
            echo: request_id,
            "contacts": [{"displayName": "Dana Whitfield (Acme)", "phoneNumbers": ["+14155550123"]}]
        }});
        let state = post_json(&router, "/__sim/command", &answer).await.json();
        assert_eq!(state["contactMatch"]["status"], "matched", "{echo}");
        assert_eq!(state["contactMatch"]["name"], "Dana Whitfield (Acme)");
        assert_eq!(state["scenario"], Value::Null);
        assert_eq!(state["call"]["phase"], "ringing");
        assert_eq!(state["call"]["name"], "Dana Whitfield (Acme)");
        let ringing = events.next_post().await;
        assert_eq!(ringing["type"], RINGING, "{echo}");
        assert_eq!(ringing["data"]["caller"]["name"], "Dana Whitfield (Acme)");
        assert_eq!(ringing["data"]["caller"]["number"], "+14155550123");
        assert_eq!(state["received"].as_array().map(Vec::len), Some(2));
        // The call is an ordinary inbound call from here on.
        assert_eq!(
            post(&router, "/__sim/scenario/answer", "").await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test(start_paused = true)]
async fn inbound_match_without_an_answer_rings_with_the_number_only() {
    let (router, _trigger) = app(true);
    let since = Instant::now();
    let options = json!({"number": "+12125550147"});
    let (mut events, _request_id) = ask_for_a_match(&router, &options).await;
    let ringing = events.next_post().await;
    assert_eq!(
        since.elapsed(),
        Duration::from_millis(3000),
        "matchTimeoutMs default"
    );
    assert_eq!(ringing["type"], RINGING);
    assert_eq!(ringing["data"]["caller"]["number"], "+12125550147");
    assert_eq!(ringing["data"]["caller"]["name"], "");
    let state = get(&router, "/__sim/state").await.json();
    assert_eq!(state["contactMatch"]["status"], "timed-out");
    assert_eq!(state["contactMatch"]["name"], Value::Null);
    assert_eq!(state["scenario"], Value::Null);
    assert_eq!(state["call"]["phase"], "ringing");
}

#[tokio::test(start_paused = true)]
async fn inbound_match_ignores_an_answer_after_the_timeout() {
    let (router, _trigger) = app(true);
    let options = json!({"matchTimeoutMs": 500});
    let (mut events, request_id) = ask_for_a_match(&router, &options).await;
    let ringing = events.next_post().await;
    assert_eq!(ringing["type"], RINGING);
    let late = json!({"type": "zp-contact-match-response",
        "data": {"requestId": request_id, "contacts": [{"name": "Too Late"}]}});
    let state = post_json(&router, "/__sim/command", &late).await.json();
    assert_eq!(state["contactMatch"]["status"], "timed-out");
    assert_eq!(state["contactMatch"]["name"], Value::Null);
    assert_eq!(state["call"]["name"], "");
}

#[tokio::test(start_paused = true)]
async fn inbound_match_with_no_contacts_is_no_match() {
    let (router, _trigger) = app(true);
    let since = Instant::now();
    let (mut events, request_id) = ask_for_a_match(&router, &json!({"matchTimeoutMs": 500})).await;
    let answer = json!({"type": "zp-contact-match-response",
        "data": {"requestId": request_id, "responseId": request_id, "contacts": []}});
    let state = post_json(&router, "/__sim/command", &answer).await.json();
    assert_eq!(state["contactMatch"]["status"], "no-match");
    let ringing = events.next_post().await;
    assert_eq!(
        since.elapsed(),
        Duration::ZERO,
        "rings on the answer, not the timeout"
    );
    assert_eq!(ringing["data"]["caller"]["name"], "");
    // The timer still fires later, but the host's answer stands.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let state = get(&router, "/__sim/state").await.json();
    assert_eq!(state["contactMatch"]["status"], "no-match");
}

#[tokio::test(start_paused = true)]
async fn search_lists_the_contacts_of_the_answer() {
    let (router, _trigger) = app(true);
    let mut events = Events::open(&router).await;
    let state = start(&router, "search", &Value::Null).await;
    assert_eq!(state["search"]["searchString"], "whit");
    assert_eq!(state["search"]["results"], Value::Null);
    let ask = events.next_post().await;
    assert_shape(&ask, "contact-search.json");
    assert_eq!(ask["data"]["searchString"], "whit");
    let id = ask["data"]["requestId"].as_str().expect("id").to_owned();
    let answer = json!({"type": "zp-contact-search-response", "data": {"responseId": id, "contacts": [
        {"displayName": "Dana Whitfield (Acme)", "number": "+14155550123"},
        {"name": "Walt Whitman", "phoneNumber": "+12125550100"}
    ]}});
    let state = post_json(&router, "/__sim/command", &answer).await.json();
    assert_eq!(
        state["search"]["results"],
        json!(["Dana Whitfield (Acme)", "Walt Whitman"])
    );
    let state = start(&router, "search", &json!({"searchString": "dan"})).await;
    assert_eq!(state["search"]["searchString"], "dan");
    assert_eq!(events.next_post().await["data"]["searchString"], "dan");
}

#[tokio::test(start_paused = true)]
async fn signed_out_records_commands_as_dropped_and_acts_on_none() {
    let (router, _trigger) = app(false);
    let mut events = Events::open(&router).await;
    let state = start(&router, "signed-out", &Value::Null).await;
    assert_eq!(state["signedIn"], false);
    for command in [
        fixture("commands/init-config.json"),
        fixture("commands/make-call.json"),
    ] {
        let reply = post_json(&router, "/__sim/command", &command).await;
        assert_eq!(reply.status, StatusCode::OK, "silently dropped");
    }
    let state = get(&router, "/__sim/state").await.json();
    assert_eq!(state["call"], Value::Null, "no call started");
    assert_eq!(state["flags"], Value::Null, "no config taken");
    let received = get(&router, "/__sim/received").await.json();
    assert_eq!(received[0]["type"], "zp-init-config");
    assert_eq!(received[1]["type"], "zp-make-call");
    assert_eq!(received[1]["dropped"], true);
    let marker = json!({"type": "marker", "data": {}});
    post_json(&router, "/__sim/emit", &marker).await;
    assert_eq!(events.next_post().await, marker, "no ringing was posted");

    for name in ["inbound", "missed", "inbound-match", "search"] {
        let reply = run(&router, name, &Value::Null).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{name}");
        assert_eq!(
            reply.json()["error"],
            "the phone is signed out; run the signed-in scenario first"
        );
    }

    let state = start(&router, "signed-in", &Value::Null).await;
    assert_eq!(state["signedIn"], true);
    let state = post_json(
        &router,
        "/__sim/command",
        &fixture("commands/make-call.json"),
    )
    .await
    .json();
    assert_eq!(state["call"]["phase"], "ringing");
    assert_eq!(state["received"][2].get("dropped"), None, "acted on");
    assert_eq!(events.next_post().await["type"], RINGING);
}

#[tokio::test(start_paused = true)]
async fn a_running_scenario_holds_the_phone_until_done_or_reset() {
    let (router, _trigger) = app(true);
    let mut events = Events::open(&router).await;
    start(&router, "late-recording", &Value::Null).await;
    assert_eq!(events.next_post().await["type"], RINGING);
    for name in ["inbound", "missed", "answer", "hangup", "signed-out"] {
        let reply = run(&router, name, &Value::Null).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{name}");
        assert_eq!(
            reply.json()["error"],
            "scenario late-recording is still running; wait for it to finish or reset"
        );
    }
    let dial = post_json(
        &router,
        "/__sim/command",
        &fixture("commands/make-call.json"),
    )
    .await;
    assert_eq!(dial.status, StatusCode::CONFLICT);

    let state = post(&router, "/__sim/reset", "").await.json();
    assert_eq!(state["scenario"], Value::Null);
    assert_eq!(state["call"], Value::Null);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let marker = json!({"type": "marker", "data": {}});
    post_json(&router, "/__sim/emit", &marker).await;
    assert_eq!(events.next_post().await, marker, "nothing more after reset");
}

#[tokio::test(start_paused = true)]
async fn call_scenarios_refuse_to_start_during_a_call() {
    let (router, _trigger) = app(true);
    post(&router, "/__sim/scenario/inbound", "").await;
    for name in [
        "missed",
        "rejected",
        "voicemail",
        "late-recording",
        "two-recordings",
        "duplicate",
        "out-of-order",
        "transfer",
        "spellings",
        "inbound-match",
        "signed-out",
    ] {
        let reply = run(&router, name, &Value::Null).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{name}");
        let error = reply.json()["error"].as_str().expect("reason").to_owned();
        assert!(
            error.ends_with("is still ringing or connected; hang it up first"),
            "{error}"
        );
    }
    for name in ["search", "unknown"] {
        assert_eq!(
            run(&router, name, &Value::Null).await.status,
            StatusCode::OK,
            "{name}"
        );
    }
}

#[tokio::test]
async fn scenario_options_are_checked() {
    let (router, _trigger) = app(true);
    for (name, options, reason) in [
        (
            "missed",
            json!({"count": 3}),
            "missed: unknown option \"count\"; it takes number, name, gapMs",
        ),
        (
            "inbound-match",
            json!({"name": "X"}),
            "inbound-match: unknown option \"name\"",
        ),
        (
            "signed-out",
            json!({"x": 1}),
            "signed-out: unknown option \"x\"; it takes no options",
        ),
        (
            "transfer",
            json!({"gapMs": "100"}),
            "transfer: invalid type",
        ),
        (
            "duplicate",
            json!({"number": ""}),
            "duplicate: number must not be empty",
        ),
        (
            "burst",
            json!({"count": 0}),
            "burst: count must be between 1 and 100000",
        ),
        (
            "burst",
            json!({"count": 100_001}),
            "burst: count must be between 1 and 100000",
        ),
        ("search", json!([]), "body must be a JSON object"),
    ] {
        let reply = run(&router, name, &options).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{name} {options}");
        let error = reply.json()["error"].as_str().expect("reason").to_owned();
        assert!(error.starts_with(reason), "{name}: {error}");
    }
    assert_eq!(
        get(&router, "/__sim/state").await.json()["call"],
        Value::Null
    );
}

#[tokio::test]
async fn burst_broadcasts_one_message_and_keeps_the_last_report() {
    let (router, _trigger) = app(true);
    let mut events = Events::open(&router).await;
    let mut second = Events::open(&router).await;
    let reply = run(&router, "burst", &json!({"count": 5})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({"id": 1, "count": 5, "subscribers": 2}));
    for stream in [&mut events, &mut second] {
        let (name, message) = loop {
            let (name, data) = stream.next().await;
            if name != "state" {
                break (name, data);
            }
        };
        assert_eq!(name, "burst");
        assert_eq!(message["burst"]["id"], 1);
        assert_eq!(message["burst"]["count"], 5);
        let template = &message["burst"]["template"];
        assert_shape(template, "call-connected.json");
        assert_eq!(template["data"]["callId"], "burst");
    }
    let reply = run(&router, "burst", &Value::Null).await;
    assert_eq!(reply.json()["count"], 1000);
    assert_eq!(reply.json()["id"], 2);

    assert_eq!(
        get(&router, "/__sim/state").await.json()["lastBurst"],
        Value::Null
    );
    let report = json!({"id": 1, "posted": 5, "ms": 2.5});
    let state = post_json(&router, "/__sim/burst-done", &report)
        .await
        .json();
    assert_eq!(state["lastBurst"], report);
    let bare = json!({"posted": 1000, "ms": 0});
    post_json(&router, "/__sim/burst-done", &bare).await;
    let state = get(&router, "/__sim/state").await.json();
    assert_eq!(state["lastBurst"], json!({"posted": 1000, "ms": 0.0}));
    for bad in [
        json!({"posted": 5}),
        json!({"posted": -1, "ms": 1}),
        json!({"posted": 5, "ms": -1}),
        json!({"posted": 5, "ms": 1, "extra": true}),
        json!(null),
    ] {
        let reply = post_json(&router, "/__sim/burst-done", &bad).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let state = post(&router, "/__sim/reset", "").await.json();
    assert_eq!(state["lastBurst"], Value::Null);
}
