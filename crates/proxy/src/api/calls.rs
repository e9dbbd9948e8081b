//! `POST /api/calls/{rootCallId}/events` journals one accepted Smart Embed call
//! event (idempotent on its event key); `GET` on the same path lists them.
//! `POST /api/calls/events` journals a batch of events of any calls at once.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dialdesk_contract::{CallContext, JournalAck, JournalBatchAck, JournalEvent, JournalRecord};

use super::ApiError;
use crate::db::{call_context, calls};
use crate::session::Session;
use crate::state::AppState;

/// Longest root call id.
pub const MAX_CALL_ID: usize = 64;
/// Most digits in a transfer-leg suffix (`_N`).
pub const MAX_LEG_DIGITS: usize = 10;
/// Longest event type.
pub const MAX_KIND: usize = 64;
/// Longest event key.
pub const MAX_EVENT_KEY: usize = 200;
/// Prefix of every Smart Embed event type.
pub const KIND_PREFIX: &str = "zp-";
/// Most events in one batch.
pub const MAX_BATCH: usize = 500;

/// How the path's call id is named in messages.
const PATH_ROOT: &str = "the call id in the path";
/// How a batch item's root call id is named in messages.
const ITEM_ROOT: &str = "callId without its transfer-leg suffix (_N)";

/// `POST`: 201 and `stored: true` when the event was added, 200 and
/// `stored: false` when its key was already journalled.
pub async fn record(
    State(state): State<AppState>,
    session: Session,
    root: Result<Path<String>, PathRejection>,
    event: Result<Json<JournalEvent>, JsonRejection>,
) -> Result<(StatusCode, Json<JournalAck>), ApiError> {
    let Path(root) = root?;
    check_root(&root, PATH_ROOT)?;
    let Json(event) = event?;
    check_event(&root, &event)?;
    let kind = event.kind.clone();
    let stored = {
        let root = root.clone();
        state
            .db()
            .write(move |conn| calls::record(conn, &root, &event, sender(&session)))
            .await?
    };
    tracing::debug!(root_call_id = %root, kind, stored, "call event journalled");
    let status = if stored {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(JournalAck { stored })))
}

/// `GET /api/calls/context`: per number, the calls the journal holds (row context for
/// the contact table after a reload), latest first and bounded.
pub async fn context(State(state): State<AppState>) -> Result<Json<Vec<CallContext>>, ApiError> {
    let rows = state
        .db()
        .read(|conn| Ok(call_context::read(conn)?))
        .await?;
    Ok(Json(rows))
}

/// `GET`: the events of the call, in the order they were journalled.
pub async fn list(
    State(state): State<AppState>,
    root: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<JournalRecord>>, ApiError> {
    let Path(root) = root?;
    check_root(&root, PATH_ROOT)?;
    let records = state
        .db()
        .read(move |conn| calls::list(conn, &root))
        .await?;
    Ok(Json(records))
}

/// `POST /api/calls/events`: 1 to [`MAX_BATCH`] events, each journalled under
/// its `callId` without a transfer-leg suffix ([`root_of`]). Every item is
/// checked as the single route checks it and one bad item refuses the whole
/// batch (400 naming its index); otherwise all are stored in one transaction.
pub async fn record_batch(
    State(state): State<AppState>,
    session: Session,
    events: Result<Json<Vec<JournalEvent>>, JsonRejection>,
) -> Result<Json<JournalBatchAck>, ApiError> {
    let Json(events) = events?;
    if !(1..=MAX_BATCH).contains(&events.len()) {
        return Err(ApiError::BadRequest(format!(
            "the body must be an array of 1 to {MAX_BATCH} events, not {}",
            events.len()
        )));
    }
    let batch = events
        .into_iter()
        .enumerate()
        .map(|(index, event)| {
            let root = root_of(&event.call_id).to_owned();
            check_root(&root, ITEM_ROOT)
                .and_then(|()| check_event(&root, &event))
                .map_err(|err| at_item(index, err))?;
            Ok((root, event))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let total = batch.len();
    let stored = state
        .db()
        .write(move |conn| calls::record_all(conn, &batch, sender(&session)))
        .await?;
    // At most MAX_BATCH, so both counts fit.
    let stored = u32::try_from(stored).map_err(|_| ApiError::Internal)?;
    let repeats = u32::try_from(total).map_err(|_| ApiError::Internal)? - stored;
    tracing::debug!(stored, repeats, "call event batch journalled");
    Ok(Json(JournalBatchAck { stored, repeats }))
}

/// The session as the sender of journal events.
fn sender(session: &Session) -> calls::Sender<'_> {
    calls::Sender {
        session_id: session.id(),
        user_id: session.user_id(),
    }
}

/// The root call id of `call_id`: without its transfer-leg suffix (`_` and 1 to
/// [`MAX_LEG_DIGITS`] digits) when it has one.
pub(super) fn root_of(call_id: &str) -> &str {
    match call_id.rsplit_once('_') {
        Some((root, digits)) if is_leg_number(digits) => root,
        _ => call_id,
    }
}

/// Whether `digits` is the number of a transfer leg: 1 to [`MAX_LEG_DIGITS`]
/// ASCII digits.
fn is_leg_number(digits: &str) -> bool {
    (1..=MAX_LEG_DIGITS).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Prefixes the message of a refused batch item with its index.
fn at_item(index: usize, err: ApiError) -> ApiError {
    match err {
        ApiError::BadRequest(message) => ApiError::BadRequest(format!("item {index}: {message}")),
        other => other,
    }
}

/// A root call id is 1 to [`MAX_CALL_ID`] characters of `A-Z a-z 0-9 _ -`;
/// `what` names it in the message.
pub(super) fn check_root(root: &str, what: &str) -> Result<(), ApiError> {
    let well_formed = (1..=MAX_CALL_ID).contains(&root.len())
        && root
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if well_formed {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "{what} must be 1 to {MAX_CALL_ID} characters of A-Z, a-z, 0-9, _ and -"
        )))
    }
}

/// Checks an event journalled under `root`: its `callId` is the root or one of
/// its transfer legs (`root_N`), `kind` starts with [`KIND_PREFIX`], the sizes
/// are bounded and `payload` is a JSON object.
fn check_event(root: &str, event: &JournalEvent) -> Result<(), ApiError> {
    let leg = |suffix: &str| suffix.strip_prefix('_').is_some_and(is_leg_number);
    let of_this_call = event
        .call_id
        .strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || leg(rest));
    if !of_this_call {
        return Err(ApiError::BadRequest(format!(
            "callId must be the call id of the path or one of its transfer legs \
             (the call id, \"_\" and 1 to {MAX_LEG_DIGITS} digits)"
        )));
    }
    if !event.kind.starts_with(KIND_PREFIX) || event.kind.chars().count() > MAX_KIND {
        return Err(ApiError::BadRequest(format!(
            "kind must be a Smart Embed event type: \"{KIND_PREFIX}…\", at most {MAX_KIND} characters"
        )));
    }
    if event.event_key.is_empty() || event.event_key.chars().count() > MAX_EVENT_KEY {
        return Err(ApiError::BadRequest(format!(
            "eventKey must be 1 to {MAX_EVENT_KEY} characters"
        )));
    }
    if !event.payload.is_object() {
        return Err(ApiError::BadRequest(
            "payload must be a JSON object (the event's data)".to_owned(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(call_id: &str, kind: &str, key: &str, payload: serde_json::Value) -> JournalEvent {
        JournalEvent {
            event_key: key.to_owned(),
            kind: kind.to_owned(),
            call_id: call_id.to_owned(),
            payload,
            contact_id: None,
        }
    }

    fn ok(call_id: &str) -> JournalEvent {
        event(call_id, "zp-call-ringing-event", "k", serde_json::json!({}))
    }

    #[test]
    fn root_call_ids_are_checked() {
        let longest = "a".repeat(MAX_CALL_ID);
        for good in ["a", "AZaz09_-", longest.as_str()] {
            assert!(check_root(good, PATH_ROOT).is_ok(), "{good}");
        }
        let too_long = "a".repeat(MAX_CALL_ID + 1);
        for bad in ["", "a b", "a.b", "a/b", "é", "a%20", too_long.as_str()] {
            assert!(check_root(bad, PATH_ROOT).is_err(), "{bad}");
        }
    }

    #[test]
    fn call_ids_must_be_the_root_or_a_transfer_leg() {
        for good in ["abc", "abc_1", "abc_12", "abc_0123456789"] {
            assert!(check_event("abc", &ok(good)).is_ok(), "{good}");
        }
        for bad in [
            "",
            "ab",
            "abcd",
            "abc_",
            "abc_x",
            "abc_1x",
            "abc-1",
            "abc__1",
            "abc_01234567890",
            "x_abc",
        ] {
            assert!(check_event("abc", &ok(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_root_of_a_call_id_drops_one_transfer_leg_suffix() {
        let cases = [
            ("abc", "abc"),
            ("abc_1", "abc"),
            ("abc_0123456789", "abc"),
            ("a_b_12", "a_b"),
            ("abc_1_2", "abc_1"),
            ("abc_", "abc_"),
            ("abc_x", "abc_x"),
            ("abc_1x", "abc_1x"),
            ("abc-1", "abc-1"),
            ("abc_01234567890", "abc_01234567890"),
            ("_1", ""),
            ("", ""),
        ];
        for (call_id, root) in cases {
            assert_eq!(root_of(call_id), root, "{call_id}");
        }
        // Whatever the root, the item passes the single route's callId check.
        for (call_id, _) in cases {
            let root = root_of(call_id);
            assert!(check_event(root, &ok(call_id)).is_ok(), "{call_id}");
        }
    }

    #[test]
    fn kind_key_and_payload_are_checked() {
        let object = serde_json::json!({ "a": 1 });
        let long_kind = format!("zp-{}", "x".repeat(MAX_KIND - 2));
        let long_key = "k".repeat(MAX_EVENT_KEY + 1);
        let bad = [
            event("c", "call-ringing", "k", object.clone()),
            event("c", "ZP-x", "k", object.clone()),
            event("c", &long_kind, "k", object.clone()),
            event("c", "zp-x", "", object.clone()),
            event("c", "zp-x", &long_key, object.clone()),
            event("c", "zp-x", "k", serde_json::json!([1])),
            event("c", "zp-x", "k", serde_json::json!("text")),
            event("c", "zp-x", "k", serde_json::Value::Null),
        ];
        for event in bad {
            assert!(check_event("c", &event).is_err(), "{event:?}");
        }
        let longest_kind = format!("zp-{}", "x".repeat(MAX_KIND - 3));
        let longest = event("c", &longest_kind, &long_key[1..], object);
        assert!(check_event("c", &longest).is_ok());
    }
}
