//! `GET /__sim/frame?msg=<JSON>`: a tiny hostile page that posts one message to `window.top`
//! with target origin `"*"`. Served on both listeners, so a forged message can come from a
//! wrong origin (the hostile listener) or from the right origin but the wrong window.

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use crate::api_error::ApiError;
use crate::call::{Call, Direction, Party, Phase};
use crate::events;
use crate::pages::asset;
use dialdesk_sim::clock::now_ms;

const FRAME_HTML: &str = include_str!("../static/frame.html");
const FRAME_JS: &str = include_str!("../static/frame.js");
const PLACEHOLDER: &str = "__SIM_FRAME_MESSAGE__";
const FRAME_CSP: &str =
    "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'";

/// The query of the hostile frame.
#[derive(Debug, Deserialize)]
pub struct FrameQuery {
    msg: Option<String>,
}

/// The hostile page; `msg` is any JSON value, by default a forged ringing event.
pub async fn page(query: Result<Query<FrameQuery>, QueryRejection>) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::Invalid(rejection.body_text()))?;
    let message = match query.msg {
        Some(text) => serde_json::from_str::<Value>(&text)
            .map_err(|err| ApiError::Invalid(format!("msg is not valid JSON: {err}")))?,
        None => forged_ringing(),
    };
    let html = FRAME_HTML.replace(PLACEHOLDER, &escape_attribute(&message.to_string()));
    Ok(asset("text/html; charset=utf-8", html, Some(FRAME_CSP)))
}

/// The hostile page's script.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", FRAME_JS.to_owned(), None)
}

/// A ringing event from "Forged Caller", with a call id no real call has.
fn forged_ringing() -> Value {
    let call = Call {
        id: "forged00000000000001".into(),
        direction: Direction::Inbound,
        remote: Party {
            number: "+14155550666".into(),
            name: "Forged Caller".into(),
        },
        caller_id: None,
        started_at: now_ms(),
        phase: Phase::Ringing,
    };
    serde_json::to_value(events::ringing(&call, true)).unwrap_or(Value::Null)
}

/// Escapes text for a double-quoted HTML attribute.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_could_leave_the_attribute() {
        assert_eq!(
            escape_attribute(r#"{"a":"<b>&'c'"}"#),
            "{&quot;a&quot;:&quot;&lt;b&gt;&amp;&#39;c&#39;&quot;}"
        );
    }

    #[test]
    fn the_default_message_is_a_forged_ringing_event() {
        let message = forged_ringing();
        assert_eq!(message["type"], "zp-call-ringing-event");
        assert_eq!(message["data"]["callId"], "forged00000000000001");
        assert_eq!(message["data"]["caller"]["name"], "Forged Caller");
        assert_eq!(message["data"]["caller"]["number"], "+14155550666");
    }
}
