//! Handlers of the JSON control API under `/__sim/`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::api_error::ApiError;
use crate::hub::{BurstReport, Hub, Received};
use crate::message::{parse_envelope, parse_message_object, parse_object, MessageError};
use crate::scenario::{Options, Scenario};

/// The longest connect delay `POST /__sim/config` and `--connect-delay-ms` accept: one hour.
/// Also the longest `gapMs` and `matchTimeoutMs` of a scenario.
pub const MAX_CONNECT_DELAY_MS: u64 = 3_600_000;

/// `POST /__sim/command`: a page forwards a message from its parent; it is recorded, then acted on.
pub async fn command(State(hub): State<Arc<Hub>>, body: Bytes) -> Result<Response, ApiError> {
    let envelope = parse_envelope(&body)?;
    hub.command(envelope)?;
    Ok(state_response(&hub))
}

/// `POST /__sim/emit`: every page posts the message (`{type, data}`, kept as sent) to its parent.
pub async fn emit(
    State(hub): State<Arc<Hub>>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let message = parse_message_object(&body)?;
    let subscribers = hub.emit(message);
    Ok(Json(json!({ "subscribers": subscribers })))
}

/// `POST /__sim/scenario/{name}` with an optional JSON object of options (see [`Scenario`]);
/// answers with the state, except `burst`, which answers `{id, count, subscribers}`.
pub async fn scenario(
    State(hub): State<Arc<Hub>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let scenario = Scenario::from_name(&name).ok_or(ApiError::UnknownScenario(name))?;
    // `answer`, `hangup` and `reset` ignore any body, as they always did.
    let options = || Options::parse(scenario, &body);
    match scenario {
        Scenario::Answer => hub.answer()?,
        Scenario::Hangup => hub.hangup()?,
        Scenario::Reset => hub.reset(),
        Scenario::Inbound => hub.inbound(options()?.party())?,
        Scenario::SignedOut => {
            options()?;
            hub.set_signed_in(false)?;
        }
        Scenario::SignedIn => {
            options()?;
            hub.set_signed_in(true)?;
        }
        Scenario::InboundMatch => {
            let options = options()?;
            hub.inbound_match(options.number().to_owned(), options.match_timeout_ms())?;
        }
        Scenario::Search => hub.search(options()?.search_string().to_owned())?,
        Scenario::Timed(kind) => {
            let options = options()?;
            hub.timeline(kind, options.party(), options.gap_ms())?;
        }
        Scenario::Unknown => {
            options()?;
            hub.unknown();
        }
        Scenario::Burst => return Ok(Json(hub.burst(options()?.count())).into_response()),
    }
    Ok(state_response(&hub))
}

/// `POST /__sim/burst-done`: a page reports `{id?, posted, ms}` after its burst loop.
pub async fn burst_done(State(hub): State<Arc<Hub>>, body: Bytes) -> Result<Response, ApiError> {
    let report: BurstReport = typed_body(&body, "burst-done")?;
    if !report.ms.is_finite() || report.ms < 0.0 {
        return Err(ApiError::Invalid(format!(
            "burst-done: ms must be a non-negative number, got {}",
            report.ms
        )));
    }
    hub.burst_done(report);
    Ok(state_response(&hub))
}

/// `GET /__sim/received`: every message received so far, oldest first.
pub async fn received(State(hub): State<Arc<Hub>>) -> Json<Vec<Received>> {
    Json(hub.received())
}

/// `GET /__sim/state`: the whole simulator state.
pub async fn state(State(hub): State<Arc<Hub>>) -> Response {
    state_response(&hub)
}

/// `POST /__sim/reset`: clears the received list, the call and the flags.
pub async fn reset(State(hub): State<Arc<Hub>>) -> Response {
    hub.reset();
    state_response(&hub)
}

/// The body of `POST /__sim/config`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigPatch {
    connect_delay_ms: Option<u64>,
    step: Option<bool>,
}

/// `POST /__sim/config`: `{connectDelayMs?, step?}` changes the call script at run time.
pub async fn config(State(hub): State<Arc<Hub>>, body: Bytes) -> Result<Response, ApiError> {
    let patch: ConfigPatch = typed_body(&body, "config")?;
    if let Some(delay) = patch.connect_delay_ms {
        if delay > MAX_CONNECT_DELAY_MS {
            return Err(ApiError::Invalid(format!(
                "connectDelayMs must be at most {MAX_CONNECT_DELAY_MS}, got {delay}"
            )));
        }
    }
    hub.configure(patch.step, patch.connect_delay_ms);
    Ok(state_response(&hub))
}

/// Parses a body that must be a JSON object of type `T`.
fn typed_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    what: &'static str,
) -> Result<T, ApiError> {
    let object = parse_object(body)?;
    serde_json::from_value(object.into()).map_err(|err| {
        ApiError::BadRequest(MessageError::BadData {
            kind: what,
            reason: err.to_string(),
        })
    })
}

fn state_response(hub: &Hub) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        hub.state_json(),
    )
        .into_response()
}
