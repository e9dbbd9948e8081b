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
use crate::call::Party;
use crate::hub::{Hub, Received};
use crate::message::{parse_envelope, parse_message_object, parse_object, MessageError};

/// The longest connect delay `POST /__sim/config` and `--connect-delay-ms` accept: one hour.
pub const MAX_CONNECT_DELAY_MS: u64 = 3_600_000;

const DEFAULT_INBOUND_NUMBER: &str = "+14155550123";
const DEFAULT_INBOUND_NAME: &str = "Dana Whitfield";

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

/// `POST /__sim/scenario/{name}`: `answer`, `hangup`, `inbound` (body `{number?, name?}`), `reset`.
pub async fn scenario(
    State(hub): State<Arc<Hub>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    match name.as_str() {
        "answer" => hub.answer()?,
        "hangup" => hub.hangup()?,
        "inbound" => hub.inbound(inbound_caller(&body)?)?,
        "reset" => hub.reset(),
        _ => return Err(ApiError::UnknownScenario(name)),
    }
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

/// The optional body of the `inbound` scenario.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct InboundBody {
    number: Option<String>,
    name: Option<String>,
}

fn inbound_caller(body: &[u8]) -> Result<Party, ApiError> {
    let request: InboundBody = if body.iter().all(u8::is_ascii_whitespace) {
        InboundBody::default()
    } else {
        typed_body(body, "inbound")?
    };
    let number = request
        .number
        .unwrap_or_else(|| DEFAULT_INBOUND_NUMBER.to_owned());
    if number.trim().is_empty() {
        return Err(ApiError::Invalid(
            "inbound: number must not be empty".into(),
        ));
    }
    Ok(Party {
        number,
        name: request
            .name
            .unwrap_or_else(|| DEFAULT_INBOUND_NAME.to_owned()),
    })
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
