//! HTTP tests of both routers, driven in-process with `tower::ServiceExt::oneshot`.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::{hostile_router, main_router, AppState};
use crate::hub::Hub;
use crate::phone::Script;
use crate::shutdown::{self, Trigger};

mod scenarios;

/// A main router in step mode, and the trigger that keeps its SSE streams open.
fn app(step: bool) -> (Router, Trigger) {
    let (trigger, shutdown) = shutdown::channel();
    let hub = Hub::new(Script {
        step,
        connect_delay_ms: 1500,
    });
    (main_router(AppState { hub, shutdown }), trigger)
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|err| panic!("{err}: {}", self.text))
    }
}

async fn call(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(router: &Router, uri: &str) -> Reply {
    call(
        router,
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

async fn post(router: &Router, uri: &str, body: impl Into<Body>) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("request");
    call(router, request).await
}

async fn post_json(router: &Router, uri: &str, body: &Value) -> Reply {
    post(router, uri, body.to_string()).await
}

fn fixture(path: &str) -> Value {
    let full = format!("{}/{path}", crate::fixtures_dir());
    let text = std::fs::read_to_string(&full).unwrap_or_else(|err| panic!("{full}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{full}: {err}"))
}

/// An open SSE response, read event by event.
struct Events {
    body: Body,
    buffer: String,
}

impl Events {
    async fn open(router: &Router) -> Self {
        let request = Request::get("/__sim/stream")
            .body(Body::empty())
            .expect("request");
        let response = router.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/event-stream"
        );
        Self {
            body: response.into_body(),
            buffer: String::new(),
        }
    }

    /// The next event as (name, data); fails the test if none arrives within 10 s.
    async fn next(&mut self) -> (String, Value) {
        tokio::time::timeout(Duration::from_secs(10), self.read())
            .await
            .expect("an SSE event in time")
    }

    async fn read(&mut self) -> (String, Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut name = None;
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(rest) = line.strip_prefix("event: ") {
                        name = Some(rest.to_owned());
                    } else if let Some(rest) = line.strip_prefix("data: ") {
                        data.push_str(rest);
                    }
                }
                if let Some(name) = name {
                    let data = serde_json::from_str(&data).expect("JSON data");
                    return (name, data);
                }
                continue;
            }
            let frame = self
                .body
                .frame()
                .await
                .expect("the stream stays open")
                .expect("a frame");
            if let Ok(bytes) = frame.into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }

    /// The next `post` event's message, skipping `state` events.
    async fn next_post(&mut self) -> Value {
        loop {
            let (name, data) = self.next().await;
            if name == "post" {
                return data;
            }
        }
    }
}

#[tokio::test]
async fn commands_are_recorded_in_order_and_acted_on() {
    let (router, _trigger) = app(true);
    let init = fixture("commands/init-config.json");
    assert_eq!(
        post_json(&router, "/__sim/command", &init).await.status,
        StatusCode::OK
    );
    let sms = fixture("commands/input-sms.json");
    let state = post_json(&router, "/__sim/command", &sms).await.json();
    let unknown = json!({"type": "zp-something-new", "data": {"x": 1}});
    post_json(&router, "/__sim/command", &unknown).await;

    let received = get(&router, "/__sim/received").await.json();
    let types: Vec<&str> = received
        .as_array()
        .expect("array")
        .iter()
        .map(|entry| entry["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types,
        ["zp-init-config", "zp-input-sms", "zp-something-new"]
    );
    assert_eq!(received[0]["data"], init["data"]);
    assert!(received[0]["receivedAt"].as_u64().expect("ms") > 0);

    assert_eq!(state["sms"], "+14155550123");
    assert_eq!(state["flags"]["enableAutoLog"], false);
    assert_eq!(state["flags"]["enableSavingLog"], true);
    assert_eq!(state["stepMode"], true);
    assert_eq!(state["connectDelayMs"], 1500);
    let state = get(&router, "/__sim/state").await.json();
    assert_eq!(state["received"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn make_call_without_auto_dial_prefills_the_dial_pad() {
    let (router, _trigger) = app(true);
    let prefill = json!({"type": "zp-make-call", "data": {"number": "+14155550123"}});
    let state = post_json(&router, "/__sim/command", &prefill).await.json();
    assert_eq!(state["dialpad"], "+14155550123");
    assert_eq!(state["call"], Value::Null);
}

#[tokio::test]
async fn bad_bodies_are_400_with_a_reason_and_not_recorded() {
    let (router, _trigger) = app(true);
    for (body, reason) in [
        ("{nope", "body is not valid JSON"),
        ("", "body is not valid JSON"),
        ("[1,2]", "body must be a JSON object, got an array"),
        (
            "\"zp-make-call\"",
            "body must be a JSON object, got a string",
        ),
        ("{\"data\":{}}", "message must have a string \"type\" field"),
    ] {
        for uri in ["/__sim/command", "/__sim/emit"] {
            let reply = post(&router, uri, body).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri} {body}");
            assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
            let error = reply.json()["error"].as_str().expect("reason").to_owned();
            assert!(error.starts_with(reason), "{uri} {body}: {error}");
        }
    }
    assert_eq!(get(&router, "/__sim/received").await.json(), json!([]));
}

#[tokio::test]
async fn a_known_command_with_bad_data_is_recorded_but_refused() {
    let (router, _trigger) = app(true);
    let bad = json!({"type": "zp-make-call", "data": {"autoDial": true}});
    let reply = post_json(&router, "/__sim/command", &bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json()["error"],
        "zp-make-call: data: missing field `number`"
    );
    let received = get(&router, "/__sim/received").await.json();
    assert_eq!(received[0]["type"], "zp-make-call");
    assert_eq!(
        get(&router, "/__sim/state").await.json()["call"],
        Value::Null
    );
}

#[tokio::test]
async fn the_stream_opens_with_the_state_and_relays_emitted_messages() {
    let (router, _trigger) = app(true);
    let mut events = Events::open(&router).await;
    let (name, state) = events.next().await;
    assert_eq!(name, "state");
    assert_eq!(state["flags"], Value::Null);

    let message = json!({"type": "zp-some-future-event", "data": {"novel": [1, 2]}, "extra": true});
    let reply = post_json(&router, "/__sim/emit", &message).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({"subscribers": 1}));
    assert_eq!(events.next().await, ("post".to_owned(), message));
}

#[tokio::test]
async fn every_subscriber_gets_the_same_events() {
    let (router, _trigger) = app(true);
    let mut first = Events::open(&router).await;
    let mut second = Events::open(&router).await;
    let message = json!({"type": "zp-call-ringing-event", "data": {}});
    let reply = post_json(&router, "/__sim/emit", &message).await;
    assert_eq!(reply.json(), json!({"subscribers": 2}));
    assert_eq!(first.next_post().await, message);
    assert_eq!(second.next_post().await, message);
}

#[tokio::test(start_paused = true)]
async fn an_auto_dialled_call_rings_then_connects_after_the_delay() {
    let (router, _trigger) = app(false);
    let mut events = Events::open(&router).await;
    let dial = fixture("commands/make-call.json");
    let state = post_json(&router, "/__sim/command", &dial).await.json();
    assert_eq!(state["call"]["phase"], "ringing");
    assert_eq!(state["call"]["direction"], "outbound");

    let ringing = events.next_post().await;
    assert_eq!(ringing["type"], "zp-call-ringing-event");
    let call_id = ringing["data"]["callId"]
        .as_str()
        .expect("callId")
        .to_owned();
    assert_eq!(call_id.len(), 19);
    assert_eq!(ringing["data"]["caller"]["didNumber"], "+14155550199");
    assert_eq!(ringing["data"]["callee"]["phoneNumber"], "+14155550123");

    // Paused time jumps to the connect timer as soon as everything else waits.
    let connected = events.next_post().await;
    assert_eq!(connected["type"], "zp-call-connected-event");
    assert_eq!(connected["data"]["callId"], call_id.as_str());
    let state = get(&router, "/__sim/state").await.json();
    assert_eq!(state["call"]["phase"], "connected");
}

#[tokio::test]
async fn an_inbound_call_answered_and_hung_up_emits_the_whole_sequence() {
    let (router, _trigger) = app(true);
    let mut events = Events::open(&router).await;
    let reply = post(&router, "/__sim/scenario/inbound", Body::empty()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["call"]["number"], "+14155550123");
    assert_eq!(reply.json()["call"]["name"], "Dana Whitfield");
    assert_eq!(
        post(&router, "/__sim/scenario/answer", "").await.status,
        StatusCode::OK
    );
    let ended = post(&router, "/__sim/scenario/hangup", "").await.json();
    assert_eq!(ended["call"]["phase"], "ended");
    assert_eq!(ended["call"]["result"], "ended");

    let mut types = Vec::new();
    for _ in 0..5 {
        let message = events.next_post().await;
        types.push(message["type"].as_str().expect("type").to_owned());
    }
    assert_eq!(
        types,
        [
            "zp-call-ringing-event",
            "zp-call-connected-event",
            "zp-call-ended-event",
            "zp-call-log-completed-event",
            "zp-save-log-event"
        ]
    );
}

#[tokio::test]
async fn inbound_takes_a_number_and_a_name() {
    let (router, _trigger) = app(true);
    let body = json!({"number": "+12125550147", "name": ""});
    let state = post_json(&router, "/__sim/scenario/inbound", &body)
        .await
        .json();
    assert_eq!(state["call"]["number"], "+12125550147");
    assert_eq!(state["call"]["name"], "");
    for bad in [
        json!({"number": 5}),
        json!({"number": ""}),
        json!({"nmber": "+1"}),
        json!([]),
    ] {
        let reply = post_json(&router, "/__sim/scenario/hangup", &json!(null)).await;
        assert_eq!(reply.status, StatusCode::OK, "hang up the call first");
        let reply = post_json(&router, "/__sim/scenario/inbound", &bad).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(reply.json()["error"].is_string());
        let reply = post(&router, "/__sim/scenario/inbound", "").await;
        assert_eq!(reply.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn scenarios_that_do_not_apply_are_409_and_unknown_ones_404() {
    let (router, _trigger) = app(true);
    let reply = post(&router, "/__sim/scenario/hangup", "").await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(
        reply.json()["error"],
        "no call is ringing or connected, so there is nothing to hang up"
    );
    assert_eq!(
        post(&router, "/__sim/scenario/answer", "").await.status,
        StatusCode::CONFLICT
    );
    post(&router, "/__sim/scenario/inbound", "").await;
    assert_eq!(
        post(&router, "/__sim/scenario/inbound", "").await.status,
        StatusCode::CONFLICT
    );
    let dial = fixture("commands/make-call.json");
    let reply = post_json(&router, "/__sim/command", &dial).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "busy");

    let reply = post(&router, "/__sim/scenario/explode", "").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json()["error"],
        "unknown scenario \"explode\"; known scenarios: answer, hangup, inbound, reset, \
         signed-out, signed-in, inbound-match, search, missed, rejected, voicemail, \
         late-recording, two-recordings, duplicate, out-of-order, transfer, spellings, unknown, \
         burst"
    );
}

#[tokio::test]
async fn reset_clears_received_call_and_flags() {
    let (router, _trigger) = app(true);
    post_json(
        &router,
        "/__sim/command",
        &fixture("commands/init-config.json"),
    )
    .await;
    post(&router, "/__sim/scenario/inbound", "").await;
    for uri in ["/__sim/reset", "/__sim/scenario/reset"] {
        let state = post(&router, uri, "").await.json();
        assert_eq!(state["flags"], Value::Null, "{uri}");
        assert_eq!(state["call"], Value::Null, "{uri}");
        assert_eq!(state["received"], json!([]), "{uri}");
    }
}

#[tokio::test]
async fn config_changes_the_script_and_refuses_nonsense() {
    let (router, _trigger) = app(true);
    let state = post_json(
        &router,
        "/__sim/config",
        &json!({"step": false, "connectDelayMs": 25}),
    )
    .await
    .json();
    assert_eq!(state["stepMode"], false);
    assert_eq!(state["connectDelayMs"], 25);
    let state = post_json(&router, "/__sim/config", &json!({"step": true}))
        .await
        .json();
    assert_eq!(state["stepMode"], true);
    assert_eq!(state["connectDelayMs"], 25);
    for bad in [
        json!({"connectDelayMs": -1}),
        json!({"connectDelayMs": 3_600_001}),
        json!({"connectDelayMs": "10"}),
        json!({"stepMode": true}),
        json!(7),
    ] {
        let reply = post_json(&router, "/__sim/config", &bad).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(reply.json()["error"].is_string(), "{bad}");
    }
}

#[tokio::test]
async fn the_control_api_allows_any_origin() {
    let (router, _trigger) = app(true);
    let request = Request::get("/__sim/state")
        .header(header::ORIGIN, "http://127.0.0.1:9999")
        .body(Body::empty())
        .expect("request");
    let reply = call(&router, request).await;
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");

    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/__sim/emit")
        .header(header::ORIGIN, "http://127.0.0.1:9999")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .expect("request");
    let reply = call(&router, preflight).await;
    assert!(reply.status.is_success(), "{}", reply.status);
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(reply
        .headers
        .contains_key(header::ACCESS_CONTROL_ALLOW_METHODS));
    assert!(reply
        .headers
        .contains_key(header::ACCESS_CONTROL_ALLOW_HEADERS));
}

#[tokio::test]
async fn the_page_and_its_assets_are_served() {
    let (router, _trigger) = app(true);
    let page = get(&router, "/integration/phone/embeddablephone/home").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert!(page.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    assert!(page.text.contains("Smart Embed simulator"));
    assert!(page.text.contains("Signed in as Riley Agent (ext. 800)"));
    assert!(page.text.contains("id=\"sim-received\""));
    assert!(page.text.contains("data-flags-received=\"false\""));
    for id in [
        "sim-scenario",
        "sim-scenario-run",
        "sim-match",
        "sim-search-results",
        "sim-signed-out",
        "sim-hangup",
    ] {
        assert!(page.text.contains(&format!("id=\"{id}\"")), "{id}");
    }
    for name in ["signed-out", "inbound-match", "two-recordings", "burst"] {
        assert!(
            page.text.contains(&format!("<option value=\"{name}\">")),
            "{name}"
        );
    }
    assert!(!page.text.contains("style="), "no inline styles");
    assert!(!page.text.contains("<script>"), "no inline scripts");

    let script = get(&router, "/__sim/static/sim.js").await;
    assert_eq!(
        script.headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert!(script.text.contains("window.sim"));
    for needle in [
        "scenario: (name, options)",
        "burst,",
        "/__sim/burst-done",
        "Signed out",
    ] {
        assert!(script.text.contains(needle), "{needle}");
    }
    let style = get(&router, "/__sim/static/sim.css").await;
    assert_eq!(
        style.headers[header::CONTENT_TYPE],
        "text/css; charset=utf-8"
    );
    assert!(style.text.contains("prefers-color-scheme"));

    let sdk = get(&router, "/__sim/sdk.js").await;
    assert_eq!(
        sdk.headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    for needle in [
        "zoom-embeddable-phone-iframe",
        "onZoomPhoneIframeApiReady",
        "zoom-embed-host",
    ] {
        assert!(sdk.text.contains(needle), "{needle}");
    }

    let root = get(&router, "/").await;
    assert_eq!(root.status, StatusCode::TEMPORARY_REDIRECT);
    let missing = get(&router, "/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"], "no route for /nope");
}

#[tokio::test]
async fn the_hostile_router_serves_only_the_frame() {
    let router = hostile_router();
    let frame = get(&router, "/__sim/frame").await;
    assert_eq!(frame.status, StatusCode::OK);
    assert!(frame.text.contains("forged00000000000001"));
    assert!(frame.text.contains("Forged Caller"));
    assert!(frame.text.contains("src=\"/__sim/static/frame.js\""));
    assert!(frame.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    let script = get(&router, "/__sim/static/frame.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.text.contains("window.top.postMessage"));

    for path in [
        "/integration/phone/embeddablephone/home",
        "/__sim/state",
        "/__sim/stream",
        "/__sim/static/sim.js",
        "/",
    ] {
        assert_eq!(
            get(&router, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        post(&router, "/__sim/emit", "{}").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_frame_carries_the_requested_message_escaped() {
    let router = hostile_router();
    let frame = get(&router, "/__sim/frame?msg=%7B%22type%22%3A%22%3Cx%3E%22%7D").await;
    assert_eq!(frame.status, StatusCode::OK);
    assert!(frame
        .text
        .contains("data-msg=\"{&quot;type&quot;:&quot;&lt;x&gt;&quot;}\""));
    let bad = get(&router, "/__sim/frame?msg=%7Bnope").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["error"]
        .as_str()
        .expect("reason")
        .starts_with("msg is not valid JSON"));
    let (main, _trigger) = app(true);
    assert_eq!(get(&main, "/__sim/frame").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_stream_ends_on_shutdown() {
    let (router, trigger) = app(true);
    let mut events = Events::open(&router).await;
    assert_eq!(events.next().await.0, "state");
    trigger.fire();
    let end = tokio::time::timeout(Duration::from_secs(10), events.body.frame())
        .await
        .expect("the stream ends in time");
    assert!(end.is_none(), "no more frames after shutdown");
}
