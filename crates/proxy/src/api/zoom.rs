//! The Zoom lookups of the signed-in user, through the proxy's one Zoom
//! client ([`crate::zoom`]): who they are (`/me`), the company directory,
//! the external-contact sync, their call history, the calls without a saved
//! log, and call recordings streamed through the proxy (the token and Zoom's
//! URLs never reach the browser).

use std::collections::HashSet;

use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dialdesk_contract::{DirectoryEntry, Me, Role, SyncStatus, UnloggedCalls, ZoomCall};
use serde::Deserialize;

use super::access::{sees_call, sees_reported_call, NOT_YOUR_CALL};
use super::audit;
use super::calls::{check_root, root_of};
use super::ApiError;
use crate::config::{Oversight, Person};
use crate::days::{Day, DayRange};
use crate::db::audit::Action;
use crate::db::{search, user_sessions};
use crate::phone;
use crate::session::Session;
use crate::state::AppState;
use crate::zoom::{Auth, CallDetail, CallParty, CallRecord, PhoneUser, Zoom, ZoomError};

/// Days the unlogged-calls view covers when no range is given (today included).
pub const DEFAULT_DAYS: i64 = 7;
/// Longest directory query accepted.
const MAX_QUERY_CHARS: usize = 100;

/// The Zoom client and the signed-in user, or why there are none.
fn zoom_user<'a>(state: &'a AppState, session: &Session) -> Result<(&'a Zoom, String), ApiError> {
    let zoom = state
        .zoom()
        .ok_or_else(|| ApiError::Missing("Zoom is not configured on this server".to_owned()))?;
    let user = session
        .user_id()
        .ok_or_else(|| ApiError::Missing("Zoom lookups need sign-in with Zoom".to_owned()))?;
    Ok((zoom, user.to_owned()))
}

/// The answer for a failed Zoom request. A dead sign-in ends every session of
/// the user, so the app asks them once to sign in again.
async fn failed(state: &AppState, user_id: &str, err: ZoomError) -> ApiError {
    match err {
        ZoomError::SignInAgain => {
            let user = user_id.to_owned();
            let ended = state
                .db()
                .write(move |conn| user_sessions::end_all(conn, &user))
                .await;
            if let Err(err) = ended {
                tracing::error!(error = %err, "could not end the sessions of a user whose Zoom sign-in died");
            }
            ApiError::SignInAgain
        }
        ZoomError::NotFound(_) | ZoomError::InvalidId(_) => ApiError::Missing(err.to_string()),
        ZoomError::Db(db) => db.into(),
        ZoomError::Unavailable(_) | ZoomError::RateLimited { .. } | ZoomError::PageTokenExpired => {
            ApiError::ZoomUnavailable(err.to_string())
        }
        other => {
            tracing::warn!(error = %other, "Zoom refused a lookup");
            ApiError::Zoom(other.to_string())
        }
    }
}

/// `GET /api/me`: the signed-in user, their extension and direct numbers.
pub async fn me(State(state): State<AppState>, session: Session) -> Result<Json<Me>, ApiError> {
    let (zoom, user) = zoom_user(&state, &session)?;
    let found = match zoom.identity(&user).await {
        Ok(found) => found,
        Err(err) => return Err(failed(&state, &user, err).await),
    };
    Ok(Json(Me {
        id: found.id,
        name: found.name,
        email: found.email,
        extension_number: found.extension_number,
        displays: phone::displays_of(&found.phone_numbers),
        phone_numbers: found.phone_numbers,
    }))
}

/// Query of the directory search.
#[derive(Deserialize)]
pub struct DirectoryQuery {
    q: Option<String>,
}

/// `GET /api/zoom/directory?q=`: people of the Zoom company directory.
pub async fn directory(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Json<Vec<DirectoryEntry>>, ApiError> {
    let Query(query) = query?;
    let text = query.q.as_deref().map(str::trim).unwrap_or_default();
    if text.is_empty() || text.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::BadRequest(format!(
            "q must be 1 to {MAX_QUERY_CHARS} characters: a first name, last name or e-mail address"
        )));
    }
    let (zoom, user) = zoom_user(&state, &session)?;
    let people = match zoom.directory(&user, text).await {
        Ok(people) => people,
        Err(err) => return Err(failed(&state, &user, err).await),
    };
    Ok(Json(
        people
            .into_iter()
            .map(|person| DirectoryEntry {
                name: person.name,
                email: person.email,
                extension_number: person.extension_number,
                displays: phone::displays_of(&person.phone_numbers),
                phone_numbers: person.phone_numbers,
                job_title: person.job_title,
            })
            .collect(),
    ))
}

/// `GET /api/zoom/contacts/sync`: progress of the external-contact sync.
pub async fn sync_status(State(state): State<AppState>, _session: Session) -> Json<SyncStatus> {
    Json(state.contact_sync().status())
}

/// `POST /api/zoom/contacts/sync`: starts a sync (unless one runs); `202`
/// with its progress.
pub async fn sync_start(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, ApiError> {
    let (zoom, user) = zoom_user(&state, &session)?;
    audit::note(
        &state,
        &session,
        Action::SyncStarted,
        "Zoom external contacts".to_owned(),
    )
    .await?;
    let status = state.contact_sync().start(
        zoom.clone(),
        state.db().clone(),
        state.default_region(),
        user,
    );
    Ok((axum::http::StatusCode::ACCEPTED, Json(status)).into_response())
}

/// Query of the call-history routes.
#[derive(Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    /// Whose calls, by Zoom e-mail or user id (`/calls/unlogged` only; default
    /// the caller's own).
    user: Option<String>,
}

/// The answer to someone asking for calls of a person they do not oversee.
pub const OWN_CALLS_ONLY: &str = "you may read your own unlogged calls; a supervisor may \
     read their team members', an admin anyone's";

/// The asked range, or the last [`DEFAULT_DAYS`] days when neither end is given.
fn range(query: &RangeQuery) -> Result<(Day, Day), ApiError> {
    if query.from.is_none() && query.to.is_none() {
        let today = Day::today();
        return Ok((today.days_before(DEFAULT_DAYS - 1).unwrap_or(today), today));
    }
    let days = DayRange::parse(query.from.as_deref(), query.to.as_deref())
        .map_err(|err| ApiError::BadRequest(err.to_string()))?;
    Ok((days.from(), days.to()))
}

/// Whose calls are read: the caller's own (`named` empty or naming them), or, for a
/// supervisor or an admin with the server-to-server app, the person `named` when
/// they oversee them. The person, the token to read with and the user to ask for.
async fn whose_calls(
    state: &AppState,
    session: &Session,
    named: Option<&str>,
) -> Result<(PhoneUser, Auth, String), ApiError> {
    let (zoom, user) = zoom_user(state, session)?;
    let auth = zoom.account_auth(&user);
    let viewer = session.person();
    let other = named.map(str::trim).filter(|name| {
        let named = Person {
            id: Some(name),
            email: Some(name),
        };
        !name.is_empty() && !Oversight::Own(Vec::new()).covers(viewer, named)
    });
    let Some(other) = other else {
        // Their own history: with the account's token by their id, else their own.
        let me = match zoom.identity(&user).await {
            Ok(me) => me,
            Err(err) => return Err(failed(state, &user, err).await),
        };
        let whose = match &auth {
            Auth::App => user.clone(),
            Auth::User(_) => "me".to_owned(),
        };
        return Ok((me, auth, whose));
    };
    if state.role_of(session) == Role::Rep {
        return Err(ApiError::Forbidden(OWN_CALLS_ONLY));
    }
    if auth != Auth::App {
        return Err(ApiError::Missing(
            "reading another person's calls needs the server-to-server app \
             (ZOOM_ACCOUNT_ID, ZOOM_S2S_CLIENT_ID, ZOOM_S2S_CLIENT_SECRET)"
                .to_owned(),
        ));
    }
    let person = match zoom.phone_person(&auth, other).await {
        Ok(person) => person,
        Err(err) => return Err(failed(state, &user, err).await),
    };
    let party = Person {
        id: Some(&person.id),
        email: Some(&person.email),
    };
    if !state.oversight_of(session).covers(viewer, party) {
        tracing::info!("refused: unlogged calls of someone not overseen");
        return Err(ApiError::Forbidden(OWN_CALLS_ONLY));
    }
    let whose = person.id.clone();
    Ok((person, auth, whose))
}

/// The calls of `from..=to` of the person `named` (default the caller), newest
/// first, from their side.
async fn user_calls(
    state: &AppState,
    session: &Session,
    (from, to): (Day, Day),
    named: Option<&str>,
) -> Result<Vec<ZoomCall>, ApiError> {
    let (zoom, user) = zoom_user(state, session)?;
    let (me, auth, whose) = whose_calls(state, session, named).await?;
    let records = match zoom.user_call_history(&auth, &whose, from, to).await {
        Ok(records) => records,
        Err(err) => return Err(failed(state, &user, err).await),
    };
    let mut calls: Vec<ZoomCall> = records
        .into_iter()
        .filter_map(|record| seen_by(&record, &me))
        .collect();
    calls.sort_by(|a, b| b.start_time.cmp(&a.start_time));
    let region = state.default_region();
    let numbers: Vec<Option<String>> = calls
        .iter()
        .map(|call| {
            call.number
                .as_deref()
                .and_then(|n| phone::normalize(n, region))
                .map(|n| n.e164)
        })
        .collect();
    let contacts = state
        .db()
        .read(move |conn| {
            numbers
                .iter()
                .map(|e164| match e164 {
                    Some(e164) => {
                        let found = search::by_e164(conn, e164, 2)?;
                        Ok((found.len() == 1).then(|| found[0].id))
                    }
                    None => Ok(None),
                })
                .collect::<Result<Vec<_>, crate::db::DbError>>()
        })
        .await?;
    for (call, contact) in calls.iter_mut().zip(contacts) {
        call.contact_id = contact;
    }
    Ok(calls)
}

/// `record` from the side of `me` (known by e-mail, extension or direct number):
/// the other party's name and number; `None` when they took no part.
pub fn seen_by(record: &CallRecord, me: &PhoneUser) -> Option<ZoomCall> {
    let is_user = |party: &CallParty| {
        party
            .email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(&me.email))
            || party.number.as_deref().is_some_and(|number| {
                me.extension_number.as_deref() == Some(number)
                    || me.phone_numbers.iter().any(|own| own == number)
            })
    };
    let other = if is_user(&record.caller) {
        &record.callee
    } else if is_user(&record.callee) {
        &record.caller
    } else {
        return None;
    };
    Some(ZoomCall {
        call_id: record.call_id.clone(),
        call_history_uuid: record.call_history_uuid.clone(),
        direction: record.direction.clone(),
        start_time: record.start_time.clone(),
        duration_secs: record.duration_secs,
        result: record.result.clone(),
        number: other.number.clone(),
        number_display: other.number.as_deref().and_then(phone::display_of_e164),
        name: other.name.clone(),
        contact_id: None,
        has_recording: record.has_recording,
    })
}

/// `GET /api/zoom/calls?from=&to=`: the user's calls of those UTC days
/// (default the last week), newest first.
pub async fn calls(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<Vec<ZoomCall>>, ApiError> {
    let Query(query) = query?;
    let days = range(&query)?;
    Ok(Json(user_calls(&state, &session, days, None).await?))
}

/// `GET /api/calls/unlogged?from=&to=[&user=]`: the calls of those days with no
/// saved call log, of the caller or (a supervisor's team member, anyone for an
/// admin) of `user`.
pub async fn unlogged(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<UnloggedCalls>, ApiError> {
    let Query(query) = query?;
    let (from, to) = range(&query)?;
    let calls = user_calls(&state, &session, (from, to), query.user.as_deref()).await?;
    let ids: Vec<String> = calls.iter().map(|call| call.call_id.clone()).collect();
    let logged: HashSet<String> = state
        .db()
        .read(move |conn| {
            let mut stmt =
                conn.prepare_cached("SELECT 1 FROM call_logs WHERE root_call_id = ?1")?;
            let mut logged = HashSet::new();
            for id in ids {
                if stmt.exists([&id])? {
                    logged.insert(id);
                }
            }
            Ok(logged)
        })
        .await?;
    Ok(Json(UnloggedCalls {
        from: from.to_string(),
        to: to.to_string(),
        calls: calls
            .into_iter()
            .filter(|call| !logged.contains(&call.call_id))
            .collect(),
    }))
}

/// Who Zoom's record of a call names: the e-mails of the account's users on it,
/// and the user who owns it (a recording's owner).
#[derive(Debug, Default)]
struct ZoomParties<'a> {
    emails: Vec<&'a str>,
    owner_id: Option<&'a str>,
}

/// Whether the caller may see a call Zoom knows: one of Zoom's parties is
/// theirs (or their team's), or the journal records them on `call_id`. Admins
/// see every call.
async fn sees_zoom_call(
    state: &AppState,
    session: &Session,
    call_id: Option<&str>,
    zoom: ZoomParties<'_>,
) -> Result<bool, ApiError> {
    let oversight = state.oversight_of(session);
    if oversight == Oversight::All {
        return Ok(true);
    }
    let owner_email = match zoom.owner_id {
        Some(id) => {
            let id = id.to_owned();
            state
                .db()
                .read(move |conn| user_sessions::email_of(conn, &id))
                .await?
        }
        None => None,
    };
    let owner = zoom.owner_id.map(|id| Person {
        id: Some(id),
        email: owner_email.as_deref(),
    });
    let named = zoom
        .emails
        .iter()
        .map(|email| Person {
            id: None,
            email: Some(email),
        })
        .chain(owner);
    if sees_call(&oversight, session.person(), named) {
        return Ok(true);
    }
    let root = call_id
        .map(root_of)
        .filter(|root| check_root(root, "").is_ok());
    Ok(match root {
        Some(root) => sees_reported_call(state, session, root).await? == Some(true),
        None => false,
    })
}

/// The refusal of a Zoom call to someone not on it, logged.
fn not_your_call(call_id: Option<&str>) -> ApiError {
    tracing::info!(call_id, "refused: not a party to the Zoom call");
    ApiError::Forbidden(NOT_YOUR_CALL)
}

impl<'a> ZoomParties<'a> {
    /// The users Zoom's record of a call (and its elements) names.
    fn of(detail: &'a CallDetail) -> Self {
        Self {
            emails: detail.parties.iter().map(String::as_str).collect(),
            owner_id: None,
        }
    }
}

/// Whether the caller may see the call whose history UUID is `uuid`, from the
/// parties Zoom's record of it names; `false` without a UUID.
async fn sees_call_of_record(
    state: &AppState,
    session: &Session,
    auth: &Auth,
    call_id: Option<&str>,
    uuid: Option<&str>,
) -> Result<bool, ApiError> {
    let Some(uuid) = uuid else {
        return Ok(false);
    };
    let (zoom, user) = zoom_user(state, session)?;
    let detail = match zoom.call_detail(auth, uuid).await {
        Ok(detail) => detail,
        Err(err) => return Err(failed(state, &user, err).await),
    };
    sees_zoom_call(state, session, call_id, ZoomParties::of(&detail)).await
}

/// `GET /api/zoom/calls/{uuid}`: a call with its elements, to its parties.
pub async fn call_detail(
    State(state): State<AppState>,
    session: Session,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(uuid) = path?;
    let (zoom, user) = zoom_user(&state, &session)?;
    let detail = match zoom.call_detail(&zoom.account_auth(&user), &uuid).await {
        Ok(detail) => detail,
        Err(err) => return Err(failed(&state, &user, err).await),
    };
    let parties = ZoomParties::of(&detail);
    if !sees_zoom_call(&state, &session, detail.call_id.as_deref(), parties).await? {
        return Err(not_your_call(detail.call_id.as_deref()));
    }
    Ok(Json(detail).into_response())
}

/// `GET /api/zoom/elements/{id}`: one call element, to the parties of its call.
pub async fn call_element(
    State(state): State<AppState>,
    session: Session,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = path?;
    let (zoom, user) = zoom_user(&state, &session)?;
    let auth = zoom.account_auth(&user);
    let element = match zoom.call_element(&auth, &id).await {
        Ok(element) => element,
        Err(err) => return Err(failed(&state, &user, err).await),
    };
    let call_id = element.call_id.as_deref();
    let on_element = ZoomParties {
        emails: element.sides.emails().collect(),
        owner_id: None,
    };
    // The element may not name everyone on the call: its call does.
    let uuid = element.call_history_uuid.as_deref();
    let seen = sees_zoom_call(&state, &session, call_id, on_element).await?
        || sees_call_of_record(&state, &session, &auth, call_id, uuid).await?;
    if seen {
        Ok(Json(element).into_response())
    } else {
        Err(not_your_call(call_id))
    }
}

/// `GET /api/calls/{call_id}/recording`: the call's recording, streamed from
/// Zoom through the proxy, to its owner, whoever the journal records on the
/// call, their supervisors and admins.
pub async fn recording(
    State(state): State<AppState>,
    session: Session,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(call_id) = path?;
    let (zoom, user) = zoom_user(&state, &session)?;
    let auth = zoom.account_auth(&user);
    let found = match zoom.recording(&auth, &call_id).await {
        Ok(found) => found,
        Err(err) => return Err(failed(&state, &user, err).await),
    };
    let owner = ZoomParties {
        emails: Vec::new(),
        owner_id: found.owner_id.as_deref(),
    };
    // The other side of the call may play it too: the call's record names them.
    let uuid = found.call_history_uuid.as_deref();
    let seen = sees_zoom_call(&state, &session, Some(&call_id), owner).await?
        || sees_call_of_record(&state, &session, &auth, Some(&call_id), uuid).await?;
    if !seen {
        return Err(not_your_call(Some(&call_id)));
    }
    audit::note(&state, &session, Action::RecordingPlayed, call_id.clone()).await?;
    let stream = match zoom.download_recording(&auth, found).await {
        Ok(stream) => stream,
        Err(err) => return Err(failed(&state, &user, err).await),
    };
    let content_type = stream
        .content_type
        .as_deref()
        .filter(|t| t.starts_with("audio/") || *t == "application/octet-stream")
        .unwrap_or("audio/mpeg")
        .to_owned();
    let length = stream.content_length;
    let mut response = Body::from_stream(stream.bytes_stream()).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(CONTENT_TYPE, value);
    }
    if let Some(length) = length {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}
