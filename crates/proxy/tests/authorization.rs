//! The authorization matrix: every route and method of the `/api` route table,
//! walked as anonymous, rep A, rep B (A's team), rep C (another team), A's
//! supervisor and an admin, against the emulator with the server-to-server app
//! (whose account-wide token would otherwise answer anyone). The test keeps its
//! own copy of the rules: a route added to the table without one here fails.

#[allow(dead_code, reason = "this file uses a few of the shared helpers")]
mod support;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, Request, StatusCode};
use dialdesk_contract::{CallLog, UnloggedCalls};
use dialdesk_proxy::api::{route_table, Access, ADMINS_ONLY, NOT_YOUR_CALL, OWN_CALLS_ONLY};
use dialdesk_proxy::days::Day;
use dialdesk_proxy::zoom::{Auth, CallRecord};
use serde_json::json;
use support::zoom::{account_calls, is, rig_with_config, signed_in, AVA, S2S};
use support::{send, Answer, Caller, TestApp};

const BEN: &str = "ben.okafor@dialdesk.example";
const CHLOE: &str = "chloe.martin@dialdesk.example";
const DIEGO: &str = "diego.ramirez@dialdesk.example";
const EMMA: &str = "emma.novak@dialdesk.example";

/// Ben and Diego are reps of North, which Chloe supervises; Emma is a rep of South.
const TEAMS: &str = r#"
[[teams]]
name = "North"
supervisors = ["chloe.martin@dialdesk.example"]
members = ["ben.okafor@dialdesk.example", "diego.ramirez@dialdesk.example"]

[[teams]]
name = "South"
members = ["emma.novak@dialdesk.example"]
"#;

/// The call Ben's embed reported and logged.
const BENS_CALL: &str = "matrix-call-1";

/// The rules of the issue's table, one per route and method.
const RULES: &[(&str, &str, Access)] = &[
    ("GET", "/session", Access::SignedIn),
    ("DELETE", "/session", Access::SignedIn),
    ("DELETE", "/sessions", Access::SignedIn),
    ("GET", "/contacts", Access::SignedIn),
    ("POST", "/contacts", Access::SignedIn),
    ("GET", "/contacts/search", Access::SignedIn),
    ("GET", "/contacts/match", Access::SignedIn),
    ("PUT", "/contacts/pick", Access::SignedIn),
    ("GET", "/contacts/{id}", Access::SignedIn),
    ("PUT", "/contacts/{id}", Access::SignedIn),
    ("POST", "/imports", Access::Admin),
    ("GET", "/imports/{id}", Access::Admin),
    ("POST", "/calls/events", Access::SignedIn),
    ("GET", "/calls/context", Access::SignedIn),
    ("GET", "/calls/logs", Access::OwnOrOverseen),
    ("GET", "/calls/logs.csv", Access::OwnOrOverseen),
    ("GET", "/calls/{root_call_id}/events", Access::CallParty),
    ("POST", "/calls/{root_call_id}/events", Access::SignedIn),
    ("GET", "/calls/{call_id}/log", Access::CallParty),
    ("PUT", "/calls/{call_id}/log", Access::CallParty),
    ("GET", "/calls/unlogged", Access::OwnOrOverseen),
    ("GET", "/calls/{call_id}/recording", Access::ZoomCallParty),
    ("GET", "/me", Access::SignedIn),
    ("GET", "/zoom/directory", Access::SignedIn),
    ("GET", "/zoom/contacts/sync", Access::SignedIn),
    ("POST", "/zoom/contacts/sync", Access::Admin),
    ("GET", "/zoom/calls", Access::SignedIn),
    ("GET", "/zoom/calls/{uuid}", Access::ZoomCallParty),
    ("GET", "/zoom/elements/{id}", Access::ZoomCallParty),
    ("GET", "/audit", Access::Admin),
    ("GET", "/audit.csv", Access::Admin),
];

/// A recorded call of Ben's with an outside number (nobody else of the
/// account on it), from Zoom's history: its call id, history UUID and an
/// element id.
async fn bens_zoom_call(app: &TestApp) -> (String, String, String) {
    let calls = account_calls(app, 20).await;
    let is_ben = |record: &CallRecord| {
        let sides = [&record.caller.email, &record.callee.email];
        sides.iter().filter(|e| e.is_some()).count() == 1 && sides.iter().any(|e| is(e, BEN))
    };
    let call = calls
        .into_iter()
        .find(|call| call.has_recording && call.call_history_uuid.is_some() && is_ben(call))
        .expect("a recorded call of Ben's with an outside number");
    let uuid = call.call_history_uuid.unwrap();
    let zoom = app.state.zoom().expect("Zoom is configured");
    let detail = zoom.call_detail(&Auth::App, &uuid).await.unwrap();
    let element = detail.elements[0].call_element_id.clone();
    (call.call_id, uuid, element)
}

/// The route's path under `/api`, its parameters filled in.
fn concrete(path: &str, zoom_call: &(String, String, String), access: Access) -> String {
    let (call_id, uuid, element) = zoom_call;
    let call = if access == Access::ZoomCallParty {
        call_id.as_str()
    } else {
        BENS_CALL
    };
    let filled = path
        .replace("{root_call_id}", call)
        .replace("{call_id}", call)
        .replace("{uuid}", uuid)
        .replace(
            "{id}",
            if path.starts_with("/zoom/elements") {
                element
            } else {
                "1"
            },
        );
    let query = match path {
        "/calls/logs" | "/calls/logs.csv" | "/audit" | "/audit.csv" => {
            let today = Day::today();
            format!("?from={today}&to={today}")
        }
        "/contacts/search" | "/zoom/directory" => "?q=ann".to_owned(),
        "/contacts/match" => "?number=%2B14155550123".to_owned(),
        _ => String::new(),
    };
    format!("/api{filled}{query}")
}

fn sign_out(route: &(Method, &'static str, Access)) -> bool {
    route.0 == Method::DELETE && route.1.starts_with("/session")
}

#[tokio::test]
async fn every_route_keeps_to_its_rule_for_every_role() {
    let (_emu, app) = rig_with_config(&S2S, TEAMS).await;

    // The test's rules and the router's table list the same routes.
    let table: Vec<(Method, &'static str, Access)> = route_table(&app.state)
        .iter()
        .map(|route| (route.method.clone(), route.path, route.access))
        .collect();
    let listed: BTreeMap<(String, &str), Access> = table
        .iter()
        .map(|(method, path, access)| ((method.to_string(), *path), *access))
        .collect();
    let expected: BTreeMap<(String, &str), Access> = RULES
        .iter()
        .map(|(method, path, access)| (((*method).to_owned(), *path), *access))
        .collect();
    assert_eq!(listed, expected, "every route has the rule of the table");
    assert_eq!(listed.len(), table.len(), "one entry per route and method");

    let mut people = Vec::new();
    for email in [BEN, DIEGO, EMMA, CHLOE, AVA] {
        let cookie = signed_in(&app, email).await;
        people.push((email, Caller::signed_in(&app.router, cookie).await));
    }
    let ben = &people[0].1;
    // Ben's embed reports a call and he logs it.
    let event = json!([{ "eventKey": "matrix-1", "kind": "zp-call-ringing-event",
                         "callId": BENS_CALL, "payload": { "direction": "outbound" } }]);
    let posted = ben
        .json(&app.router, Method::POST, "/api/calls/events", &event)
        .await;
    assert_eq!(posted.status, StatusCode::OK);
    let log = json!({ "baseVersion": 0, "disposition": "interested", "notes": "matrix",
                      "fields": {}, "contactId": null });
    let saved = ben
        .json(
            &app.router,
            Method::PUT,
            &format!("/api/calls/{BENS_CALL}/log"),
            &log,
        )
        .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{:?}", saved.body);
    let zoom_call = bens_zoom_call(&app).await;

    // Anonymous: nothing but health and config.
    for (method, path, access) in &table {
        let uri = concrete(path, &zoom_call, *access);
        let request = Request::builder()
            .method(method.clone())
            .uri(&uri)
            .header(CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let answer = send(&app.router, request).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
    }

    // Sign-outs last: signing out everywhere ends every session of the person.
    let mut order = table.clone();
    order.sort_by_key(sign_out);
    for (email, caller) in &people {
        let sees_bens_calls = [BEN, CHLOE, AVA].contains(email);
        for (method, path, access) in &order {
            let uri = concrete(path, &zoom_call, *access);
            // Each sign-out ends its own, fresh session.
            let fresh;
            let caller = if sign_out(&(method.clone(), path, *access)) {
                let cookie = signed_in(&app, email).await;
                fresh = Caller::signed_in(&app.router, cookie).await;
                &fresh
            } else {
                caller
            };
            let answer = send(
                &app.router,
                caller.request(method.clone(), &uri, "application/json", "{}", true),
            )
            .await;
            let what = format!(
                "{email}: {method} {uri} ({access:?}) answered {}",
                answer.status
            );
            assert_ne!(answer.status, StatusCode::UNAUTHORIZED, "{what}");
            match access {
                Access::SignedIn => {
                    assert_ne!(answer.status, StatusCode::FORBIDDEN, "{what}");
                }
                Access::Admin if *email == AVA => {
                    assert_ne!(answer.status, StatusCode::FORBIDDEN, "{what}");
                }
                Access::Admin => {
                    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{what}");
                    assert_eq!(answer.error().error, ADMINS_ONLY, "{what}");
                }
                Access::CallParty | Access::ZoomCallParty if sees_bens_calls => {
                    assert_ne!(answer.status, StatusCode::FORBIDDEN, "{what}");
                }
                Access::CallParty | Access::ZoomCallParty => {
                    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{what}");
                    assert_eq!(answer.error().error, NOT_YOUR_CALL, "{what}");
                }
                Access::OwnOrOverseen if *path == "/calls/unlogged" => {
                    // Everyone's own (another person's: see the test below).
                    assert_eq!(answer.status, StatusCode::OK, "{what}");
                }
                Access::OwnOrOverseen => {
                    assert_eq!(answer.status, StatusCode::OK, "{what}");
                    assert_eq!(
                        lists_bens_log(&answer, path),
                        sees_bens_calls,
                        "{what}: Ben's log listed"
                    );
                }
            }
        }
    }
}

/// Whether a logs listing or export holds Ben's log.
fn lists_bens_log(answer: &Answer, path: &str) -> bool {
    if path.ends_with(".csv") {
        String::from_utf8_lossy(&answer.body).contains(BENS_CALL)
    } else {
        answer
            .json::<Vec<CallLog>>()
            .iter()
            .any(|log| log.call_id == BENS_CALL)
    }
}

#[tokio::test]
async fn the_other_side_of_a_recorded_call_may_play_it_and_nobody_else() {
    let (_emu, app) = rig_with_config(&S2S, TEAMS).await;
    let calls = account_calls(&app, 30).await;
    // Recorded, Ben on the side that does not own it, Emma not on it.
    let call = calls
        .iter()
        .find(|call| {
            let ben_not_owner = match call.direction.as_deref() {
                Some("outbound") => is(&call.callee.email, BEN),
                _ => is(&call.caller.email, BEN),
            };
            call.has_recording
                && ben_not_owner
                && !is(&call.caller.email, EMMA)
                && !is(&call.callee.email, EMMA)
        })
        .expect("a recorded call someone else made to Ben, or took from him");
    let uri = format!("/api/calls/{}/recording", call.call_id);
    for (email, expected) in [(BEN, StatusCode::OK), (EMMA, StatusCode::FORBIDDEN)] {
        let caller = Caller::signed_in(&app.router, signed_in(&app, email).await).await;
        let answer = send(
            &app.router,
            caller.request(Method::GET, &uri, "application/json", "", false),
        )
        .await;
        assert_eq!(answer.status, expected, "{email}");
        if expected == StatusCode::OK {
            assert!(answer.body.starts_with(b"RIFF"), "the recording itself");
        }
    }
}

#[tokio::test]
async fn another_persons_unlogged_calls_are_for_their_supervisor_and_admins() {
    let (_emu, app) = rig_with_config(&S2S, TEAMS).await;
    let mut people = BTreeMap::new();
    for email in [BEN, DIEGO, CHLOE, AVA] {
        let cookie = signed_in(&app, email).await;
        people.insert(email, Caller::signed_in(&app.router, cookie).await);
    }
    let unlogged = |asker: &'static str, whose: &str| {
        let uri = format!("/api/calls/unlogged?user={}", whose.replace('@', "%40"));
        let request = people[asker].request(Method::GET, &uri, "application/json", "", false);
        send(&app.router, request)
    };
    let own = unlogged(BEN, BEN).await;
    assert_eq!(own.status, StatusCode::OK, "naming oneself is one's own");
    let own: UnloggedCalls = own.json();
    assert!(!own.calls.is_empty(), "Ben has calls this week");
    // Chloe supervises Ben's team: she sees what Ben sees.
    let seen = unlogged(CHLOE, BEN).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json::<UnloggedCalls>().calls, own.calls);
    // An admin reads anyone's: Emma is in no team Ava leads.
    assert_eq!(unlogged(AVA, EMMA).await.status, StatusCode::OK);
    // Diego is Ben's teammate, not his supervisor; Chloe does not oversee Emma.
    for (asker, whose) in [(DIEGO, BEN), (CHLOE, EMMA)] {
        let refused = unlogged(asker, whose).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{asker} asking for {whose}"
        );
        assert_eq!(refused.error().error, OWN_CALLS_ONLY);
    }
}
