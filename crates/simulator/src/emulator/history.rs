//! Call history: the account list (`call_history[]`, or legacy `call_logs[]`), one call with
//! its elements, one element, and a call's recording.

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::Json;
use serde_json::{json, Map, Value};

use super::calls::{Call, Element, Filter, Party};
use super::directory::{find_user, users, SITE_ID, SITE_NAME};
use super::error::ZoomError;
use super::params::{ParamError, Params};
use super::range::parse_range;
use super::rest::{filters, Listing};
use super::state::Shared;
use super::tokens::Subject;
use crate::clock::iso8601_utc;

/// Most `call_ids` one query may name.
const MAX_CALL_IDS: usize = 300;
/// Longest `keyword`.
const MAX_KEYWORD: usize = 200;

/// `GET /v2/phone/call_history`: newest first; legacy `call_logs[]` only under the
/// `legacy_call_logs` fault.
pub async fn call_history(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ZoomError> {
    let legacy = shared.faults().legacy_call_logs;
    list(&shared, query.as_deref(), legacy)
}

/// `GET /v2/phone/call_logs`: the legacy list.
pub async fn call_logs(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ZoomError> {
    list(&shared, query.as_deref(), true)
}

/// `GET /v2/phone/call_history/{callHistoryUuid}`: the call and its `call_elements[]`.
pub async fn call_history_one(
    State(shared): State<Arc<Shared>>,
    Path(uuid): Path<String>,
) -> Result<Json<Value>, ZoomError> {
    let call = shared
        .book
        .find(&uuid, shared.clock.now_ms())
        .filter(|call| call.uuid == uuid)
        .ok_or(ZoomError::NoCall(uuid))?;
    let mut row = history_row(&call);
    let elements: Vec<Value> = (0..call.elements.len())
        .map(|index| element_json(&call, index))
        .collect();
    row.insert("call_elements".to_owned(), Value::Array(elements));
    Ok(Json(Value::Object(row)))
}

/// `GET /v2/phone/call_element/{callElementId}`: the element and its `call_history_uuid`.
pub async fn call_element(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ZoomError> {
    let (call, index) = shared
        .book
        .find_element(&id, shared.clock.now_ms())
        .ok_or(ZoomError::NoCall(id))?;
    Ok(Json(element_json(&call, index)))
}

/// `GET /v2/phone/call_logs/{callId or callLogId}/recordings`: the call's recording.
pub async fn recording(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ZoomError> {
    let call = shared.book.find(&id, shared.clock.now_ms());
    let Some((call, recording)) = call.and_then(|call| {
        let recording = call.recording.clone()?;
        Some((call, recording))
    }) else {
        return Err(ZoomError::NoRecording(id));
    };
    let element = call
        .elements
        .iter()
        .find(|element| element.recording_id.is_some())
        .map(|element| element.id.clone());
    let owner = &users()[call.user % users().len()];
    Ok(Json(json!({
        "id": recording.id,
        "call_id": call.call_id,
        "call_log_id": call.uuid,
        "call_history_id": call.uuid,
        "call_element_id": element,
        "caller_number": call.caller.number,
        "caller_number_type": number_type(&call.caller),
        "caller_name": call.caller.name,
        "callee_number": call.callee.number,
        "callee_number_type": number_type(&call.callee),
        "callee_name": call.callee.name,
        "direction": call.direction.as_str(),
        "date_time": iso8601_utc(call.answer_ms.unwrap_or(call.start_ms)),
        "duration": recording.duration_s,
        "recording_type": "Automatic",
        "download_url": format!("{}/phone/recording/download/{}", shared.urls.api_base(), recording.id),
        "owner": {
            "type": "user",
            "id": owner.id,
            "name": owner.name(),
            "extension_number": owner.extension_number,
        },
    })))
}

/// `GET /v2/phone/users/{userId}/call_history` (`me`, an id or an e-mail): the calls the
/// user took part in, newest first, paged, as `call_logs[]` rows with the
/// `call_elements[]` of the calls on the page. A user's token reads only its own.
pub async fn user_call_history(
    State(shared): State<Arc<Shared>>,
    Extension(subject): Extension<Subject>,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ZoomError> {
    let user = match (user_id.as_str(), subject) {
        ("me", Subject::User(own)) => own,
        ("me", Subject::Account) => return Err(ZoomError::NoUser(user_id)),
        (key, _) => find_user(key).ok_or_else(|| ZoomError::NoUser(user_id.clone()))?,
    };
    if matches!(subject, Subject::User(own) if own != user) {
        return Err(ZoomError::NoUser(user_id));
    }
    let params = Params::parse(query.as_deref().unwrap_or_default());
    let (from, to) = (params.one("from")?, params.one("to")?);
    let key = filters(&[
        "user_call_history",
        &user.to_string(),
        from.unwrap_or_default(),
        to.unwrap_or_default(),
    ]);
    parse_range(from, to, shared.clock.now_ms())?;
    let listing = Listing::begin(&shared, &params, key)?;
    let range = parse_range(from, to, listing.resume.as_of_ms)?;
    let calls = shared.book.list(
        &Filter {
            from_ms: range.from_ms,
            to_ms: range.to_ms,
            keyword: None,
            call_ids: &[],
            party: Some(user),
        },
        listing.resume.as_of_ms,
    );
    let page = listing.page(&shared, calls.len());
    let shown = calls.get(page.items).unwrap_or_default();
    let rows: Vec<Value> = shown.iter().map(user_row).collect();
    let elements: Vec<Value> = shown
        .iter()
        .flat_map(|call| (0..call.elements.len()).map(move |index| element_json(call, index)))
        .collect();
    Ok(Json(json!({
        "from": range.from_label,
        "to": range.to_label,
        "page_size": listing.page_size,
        "total_records": calls.len(),
        "next_page_token": page.next_page_token,
        "call_logs": rows,
        "call_elements": elements,
    })))
}

/// A row of a user's `call_logs[]`: the legacy row with the call path and times.
fn user_row(call: &Call) -> Value {
    let mut row = legacy_row(call);
    if let Value::Object(fields) = &mut row {
        let talk = call.answer_ms.map_or(0, |_| call.duration_s());
        fields.insert("call_path_id".to_owned(), json!(call.uuid));
        fields.insert("talk_time".to_owned(), json!(talk));
        fields.insert("hold_time".to_owned(), json!(0));
        fields.insert(
            "wait_time".to_owned(),
            json!(
                call.answer_ms
                    .unwrap_or(call.end_ms)
                    .saturating_sub(call.start_ms)
                    / 1000
            ),
        );
    }
    row
}

/// A page of the account's calls, in the new or the legacy shape.
fn list(shared: &Shared, query: Option<&str>, legacy: bool) -> Result<Json<Value>, ZoomError> {
    let params = Params::parse(query.unwrap_or_default());
    let from = params.one("from")?;
    let to = params.one("to")?;
    let keyword = params.one("keyword")?.map(str::to_lowercase);
    if keyword
        .as_ref()
        .is_some_and(|keyword| keyword.len() > MAX_KEYWORD)
    {
        return Err(ParamError::Invalid {
            name: "keyword",
            reason: "is too long",
        }
        .into());
    }
    let mut call_ids = params.list("call_ids");
    if call_ids.len() > MAX_CALL_IDS {
        return Err(ParamError::Invalid {
            name: "call_ids",
            reason: "names too many calls",
        }
        .into());
    }
    call_ids.sort_unstable();
    call_ids.dedup();
    let key = filters(&[
        "call_history",
        from.unwrap_or_default(),
        to.unwrap_or_default(),
        keyword.as_deref().unwrap_or_default(),
        &call_ids.join(","),
    ]);
    parse_range(from, to, shared.clock.now_ms())?;
    let listing = Listing::begin(shared, &params, key)?;
    let range = parse_range(from, to, listing.resume.as_of_ms)?;
    let calls = shared.book.list(
        &Filter {
            from_ms: range.from_ms,
            to_ms: range.to_ms,
            keyword: keyword.as_deref(),
            call_ids: &call_ids,
            party: None,
        },
        listing.resume.as_of_ms,
    );
    let page = listing.page(shared, calls.len());
    let shown = calls.get(page.items).unwrap_or_default();
    let (field, rows): (&str, Vec<Value>) = if legacy {
        ("call_logs", shown.iter().map(legacy_row).collect())
    } else {
        (
            "call_history",
            shown
                .iter()
                .map(|call| Value::Object(history_row(call)))
                .collect(),
        )
    };
    Ok(Json(json!({
        "from": range.from_label,
        "to": range.to_label,
        "page_size": listing.page_size,
        "page_count": calls.len().div_ceil(listing.page_size),
        "total_records": calls.len(),
        "next_page_token": page.next_page_token,
        field: rows,
    })))
}

/// A `call_history[]` row.
fn history_row(call: &Call) -> Map<String, Value> {
    let mut row = Map::new();
    let mut put = |name: &str, value: Value| {
        row.insert(name.to_owned(), value);
    };
    put("id", json!(call.uuid));
    put("call_history_uuid", json!(call.uuid));
    put("call_id", json!(call.call_id));
    put("direction", json!(call.direction.as_str()));
    put("international", json!(false));
    put("start_time", json!(iso8601_utc(call.start_ms)));
    if let Some(answer) = call.answer_ms {
        put("answer_time", json!(iso8601_utc(answer)));
    }
    put("end_time", json!(iso8601_utc(call.end_ms)));
    put("duration", json!(call.duration_s()));
    put("call_result", json!(call.outcome.result()));
    put(
        "connect_type",
        json!(if call.internal {
            "internal"
        } else {
            "external"
        }),
    );
    put("call_type", json!("general"));
    put(
        "recording_status",
        json!(if call.recording.is_some() {
            "recorded"
        } else {
            "non_recorded"
        }),
    );
    put("site_id", json!(SITE_ID));
    put("site_name", json!(SITE_NAME));
    put("department", json!(users()[call.user % users().len()].dept));
    party_fields(&mut row, "caller", &call.caller);
    party_fields(&mut row, "callee", &call.callee);
    row
}

/// `{side}_name`, `_did_number`, `_number_type`, `_country_code`, and for users `_ext_number`,
/// `_ext_id`, `_ext_type`, `_email`.
fn party_fields(row: &mut Map<String, Value>, side: &str, party: &Party) {
    let mut put = |name: &str, value: Value| {
        row.insert(format!("{side}_{name}"), value);
    };
    put("name", json!(party.name));
    put("did_number", json!(party.number));
    put("country_code", json!("1"));
    match party.user.and_then(|user| users().get(user)) {
        Some(user) => {
            put("number_type", json!("internal"));
            put("ext_number", json!(user.extension_number.to_string()));
            put("ext_id", json!(user.extension_id));
            put("ext_type", json!("user"));
            put("email", json!(user.email));
        }
        None => put("number_type", json!("external")),
    }
}

/// A legacy `call_logs[]` row.
fn legacy_row(call: &Call) -> Value {
    let owner = &users()[call.user % users().len()];
    let mut row = json!({
        "id": call.uuid,
        "call_id": call.call_id,
        "user_id": owner.id,
        "direction": call.direction.as_str(),
        "caller_number": call.caller.number,
        "caller_name": call.caller.name,
        "caller_number_type": number_type(&call.caller),
        "callee_number": call.callee.number,
        "callee_name": call.callee.name,
        "callee_number_type": number_type(&call.callee),
        "date_time": iso8601_utc(call.start_ms),
        "duration": call.duration_s(),
        "result": call.outcome.legacy_result(),
        "path": if call.internal { "extension" } else { "pstn" },
        "has_recording": call.recording.is_some(),
        "has_voicemail": call.elements.iter().any(|element| element.voicemail_id.is_some()),
    });
    if let (Some(recording), Value::Object(fields)) = (&call.recording, &mut row) {
        fields.insert("recording_id".to_owned(), json!(recording.id));
    }
    row
}

/// A `call_elements[]` entry, with its call's UUID.
fn element_json(call: &Call, index: usize) -> Value {
    let Some(element) = call.elements.get(index) else {
        return Value::Null;
    };
    let Element {
        id,
        event,
        result,
        start_ms,
        end_ms,
        recording_id,
        voicemail_id,
    } = element;
    let answered = *result == "answered";
    let mut row = Map::new();
    row.insert("call_element_id".to_owned(), json!(id));
    row.insert("call_history_uuid".to_owned(), json!(call.uuid));
    row.insert("call_id".to_owned(), json!(call.call_id));
    row.insert("event".to_owned(), json!(event));
    row.insert("result".to_owned(), json!(result));
    row.insert("segment".to_owned(), json!(index + 1));
    row.insert("node".to_owned(), json!(index + 1));
    row.insert("direction".to_owned(), json!(call.direction.as_str()));
    row.insert("start_time".to_owned(), json!(iso8601_utc(*start_ms)));
    if answered {
        if let Some(answer) = call.answer_ms {
            row.insert("answer_time".to_owned(), json!(iso8601_utc(answer)));
        }
    }
    row.insert("end_time".to_owned(), json!(iso8601_utc(*end_ms)));
    row.insert(
        "duration".to_owned(),
        json!(if answered { call.duration_s() } else { 0 }),
    );
    row.insert("hold_time".to_owned(), json!(0));
    row.insert(
        "waiting_time".to_owned(),
        json!(call.answer_ms.unwrap_or(*end_ms).saturating_sub(*start_ms) / 1000),
    );
    if let Some(recording_id) = recording_id {
        row.insert("recording_id".to_owned(), json!(recording_id));
    }
    if let Some(voicemail_id) = voicemail_id {
        row.insert("voicemail_id".to_owned(), json!(voicemail_id));
    }
    party_fields(&mut row, "caller", &call.caller);
    party_fields(&mut row, "callee", &call.callee);
    Value::Object(row)
}

/// The legacy and recording number type: 1 internal, 2 external.
fn number_type(party: &Party) -> u8 {
    if party.user.is_some() {
        1
    } else {
        2
    }
}
