//! What dialdesk asks Zoom (contract §5.2), read into typed answers:
//! unknown fields ignored, missing optional fields fine, wrong types a clear
//! error naming the row. Call history comes from `call_history[]`, with the
//! legacy `call_logs[]` read as a logged fallback (contract §5.6).

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use url::Url;

use super::cache::{AnswerCache, CacheKey};
use super::client::{path_id, Auth, Bearer, ZoomClient};
use super::error::ZoomError;
use super::paging::{list_all, Listing};
use super::windows::month_windows;
use crate::days::Day;

/// Page size of external contacts (Zoom's maximum).
const EXTERNAL_PAGE_SIZE: &str = "300";
/// Page size of call history (Zoom's maximum).
const HISTORY_PAGE_SIZE: &str = "300";
/// Page size of a directory search (one page is read).
const DIRECTORY_PAGE_SIZE: &str = "50";
/// Most external contacts read.
pub const MAX_EXTERNAL_CONTACTS: usize = 100_000;
/// Most call-history rows read for one range.
pub const MAX_CALL_RECORDS: usize = 50_000;
/// Path of the account's call history.
pub const CALL_HISTORY_PATH: &str = "/phone/call_history";

/// The signed-in Zoom user and their phone identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneUser {
    /// Zoom user id.
    pub id: String,
    /// Email address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Zoom Phone extension, if any.
    pub extension_number: Option<String>,
    /// Direct numbers (E.164).
    pub phone_numbers: Vec<String>,
    /// The Zoom account the user belongs to.
    #[serde(default)]
    pub account_id: Option<String>,
}

/// A person of the company directory (`/contacts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryContact {
    /// Zoom id.
    pub id: Option<String>,
    /// Display name (or first and last name).
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Extension.
    pub extension_number: Option<String>,
    /// Every number Zoom lists for them.
    pub phone_numbers: Vec<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Presence (`Available`, `Away`, …).
    pub presence_status: Option<String>,
}

/// An external contact of Zoom Phone (`/phone/external_contacts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalContact {
    /// Zoom's id.
    pub external_contact_id: String,
    /// The customer's own id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Extension.
    pub extension_number: Option<String>,
    /// Numbers.
    pub phone_numbers: Vec<String>,
}

/// Filters of a call-history listing besides the date range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CallFilter {
    /// Zoom's `keyword` (name, number or extension).
    pub keyword: Option<String>,
    /// Only these calls (`call_ids`).
    pub call_ids: Vec<String>,
}

/// One side of a call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CallParty {
    /// Name.
    pub name: Option<String>,
    /// Number (the direct number, else the extension).
    pub number: Option<String>,
    /// Extension id.
    pub ext_id: Option<String>,
    /// Email address.
    pub email: Option<String>,
}

/// A call of the call history, the same whichever shape Zoom answered in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    /// The call id Smart Embed reports as `callId`.
    pub call_id: String,
    /// The call-history UUID (absent in legacy rows).
    pub call_history_uuid: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: Option<String>,
    /// Start, as Zoom wrote it (ISO-8601).
    pub start_time: Option<String>,
    /// End, as Zoom wrote it.
    pub end_time: Option<String>,
    /// Length in seconds.
    pub duration_secs: u64,
    /// `answered`, `no_answer`, `voicemail`, …
    pub result: Option<String>,
    /// Who called.
    pub caller: CallParty,
    /// Who was called.
    pub callee: CallParty,
    /// Whether a recording exists.
    pub has_recording: bool,
}

/// A call with its elements (`/phone/call_history/{uuid}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallDetail {
    /// The call-history UUID.
    pub call_history_uuid: Option<String>,
    /// The call id.
    pub call_id: Option<String>,
    /// The legs and events of the call.
    pub elements: Vec<CallElement>,
    /// The account's users who took part (kept on the proxy, which decides
    /// who may see the call).
    #[serde(skip)]
    pub parties: Vec<String>,
}

/// The e-mail addresses of the account's users on an element's (or a call's) sides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SideEmails {
    /// The caller's, when a user of the account called.
    #[serde(default)]
    pub caller_email: Option<String>,
    /// The callee's, when a user of the account was called.
    #[serde(default)]
    pub callee_email: Option<String>,
    /// The operator's, when the element names one.
    #[serde(default)]
    pub operator_email: Option<String>,
}

impl SideEmails {
    /// The addresses given, without blanks.
    pub fn emails(&self) -> impl Iterator<Item = &str> {
        [&self.caller_email, &self.callee_email, &self.operator_email]
            .into_iter()
            .flatten()
            .map(|email| email.trim())
            .filter(|email| !email.is_empty())
    }
}

/// A call's recording as Zoom describes it, before it is downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingInfo {
    /// Where to download it (needs the bearer token).
    pub download_url: Url,
    /// The Smart Embed call id of the recorded call.
    pub call_id: Option<String>,
    /// The Zoom user whose recording it is, when a user owns it.
    pub owner_id: Option<String>,
    /// The call-history UUID of the recorded call, whose record names its parties.
    pub call_history_uuid: Option<String>,
}

/// One element of a call (`/phone/call_element/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallElement {
    /// The element id.
    #[serde(deserialize_with = "text")]
    pub call_element_id: String,
    /// The call id.
    #[serde(default, deserialize_with = "opt_text")]
    pub call_id: Option<String>,
    /// The call-history UUID.
    #[serde(default, deserialize_with = "opt_text")]
    pub call_history_uuid: Option<String>,
    /// `incoming`, `outgoing`, `forward`, …
    #[serde(default)]
    pub event: Option<String>,
    /// `answered`, `voicemail`, …
    #[serde(default)]
    pub result: Option<String>,
    /// The recording of this element, if any.
    #[serde(default, deserialize_with = "opt_text")]
    pub recording_id: Option<String>,
    /// Start, as Zoom wrote it.
    #[serde(default)]
    pub start_time: Option<String>,
    /// The account's users on its sides (kept on the proxy).
    #[serde(flatten, skip_serializing)]
    pub sides: SideEmails,
}

/// `/users/me` and `/phone/users/me` of the caller.
pub(crate) async fn me(client: &ZoomClient, bearer: Bearer<'_>) -> Result<PhoneUser, ZoomError> {
    let user: Value = client.json(bearer, "/users/me", &[]).await?;
    let phone: Value = client.json(bearer, "/phone/users/me", &[]).await?;
    phone_user(&user, &phone)
}

/// People of the company directory matching `search` (first page only).
pub(crate) async fn directory(
    client: &ZoomClient,
    auth: &Auth,
    search: &str,
) -> Result<Vec<DirectoryContact>, ZoomError> {
    let search = search.trim();
    if search.is_empty() {
        return Ok(Vec::new());
    }
    let query = [("search_key", search), ("page_size", DIRECTORY_PAGE_SIZE)];
    let page: Value = client.get_json(auth, "/contacts", &query).await?;
    directory_rows(&page)
}

/// Every external contact; `progress` hears the count read after each page.
pub(crate) async fn external_contacts(
    client: &ZoomClient,
    auth: &Auth,
    progress: impl FnMut(usize),
) -> Result<Vec<ExternalContact>, ZoomError> {
    let listing = Listing {
        path: "/phone/external_contacts",
        query: &[("page_size", EXTERNAL_PAGE_SIZE)],
        cap: MAX_EXTERNAL_CONTACTS,
    };
    list_all(client, auth, listing, external_rows, progress).await
}

/// The call history of `from..=to` (UTC days) with `filter`, newest month
/// first, one request series per calendar month; answers are cached, and the same
/// question asked at once reaches Zoom once.
pub(crate) async fn call_history(
    client: &ZoomClient,
    cache: &AnswerCache<CacheKey, Vec<CallRecord>>,
    auth: &Auth,
    (from, to): (Day, Day),
    filter: &CallFilter,
) -> Result<Vec<CallRecord>, ZoomError> {
    let mut filters: Vec<(&str, String)> = Vec::new();
    if let Some(keyword) = filter
        .keyword
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        filters.push(("keyword", keyword.to_owned()));
    }
    for call_id in &filter.call_ids {
        filters.push(("call_ids", call_id.clone()));
    }
    let key = CacheKey {
        subject: auth.subject(),
        path: CALL_HISTORY_PATH.to_owned(),
        query: [("from", from.to_string()), ("to", to.to_string())]
            .into_iter()
            .chain(filters.iter().map(|(name, value)| (*name, value.clone())))
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
    };
    let mut legacy_seen = false;
    let rows = |page: &Value| history_rows(page, &mut legacy_seen);
    let fetch = by_month(client, auth, CALL_HISTORY_PATH, (from, to), &filters, rows);
    cache
        .try_get_with(key, fetch)
        .await
        .map_err(ZoomError::from)
}

/// Every call of the listing at `path` from `from` to `to` (UTC days), newest
/// calendar month first, each month paged to its end, with `filters` on every
/// request; at most [`MAX_CALL_RECORDS`].
async fn by_month<R>(
    client: &ZoomClient,
    auth: &Auth,
    path: &str,
    (from, to): (Day, Day),
    filters: &[(&str, String)],
    mut rows: R,
) -> Result<Vec<CallRecord>, ZoomError>
where
    R: FnMut(&Value) -> Result<Vec<CallRecord>, ZoomError>,
{
    let mut records = Vec::new();
    for window in month_windows(from, to).into_iter().rev() {
        let (window_from, window_to) = (window.from.to_string(), window.to.to_string());
        let mut query: Vec<(&str, &str)> = vec![
            ("from", &window_from),
            ("to", &window_to),
            ("page_size", HISTORY_PAGE_SIZE),
        ];
        query.extend(filters.iter().map(|(name, value)| (*name, value.as_str())));
        let listing = Listing {
            path,
            query: &query,
            cap: MAX_CALL_RECORDS - records.len(),
        };
        records.extend(list_all(client, auth, listing, &mut rows, |_| ()).await?);
    }
    Ok(records)
}

/// The calls of one user (`me` with the user's own token, else their id), newest
/// month first: `/phone/users/{userId}/call_history`, paged, month by month.
pub(crate) async fn user_call_history(
    client: &ZoomClient,
    cache: &AnswerCache<CacheKey, Vec<CallRecord>>,
    auth: &Auth,
    user: &str,
    (from, to): (Day, Day),
) -> Result<Vec<CallRecord>, ZoomError> {
    let path = format!("/phone/users/{}/call_history", path_id(user)?);
    let key = CacheKey {
        subject: auth.subject(),
        path: path.clone(),
        query: vec![
            ("from".to_owned(), from.to_string()),
            ("to".to_owned(), to.to_string()),
        ],
    };
    let fetch = by_month(client, auth, &path, (from, to), &[], user_history_rows);
    cache
        .try_get_with(key, fetch)
        .await
        .map_err(ZoomError::from)
}

/// A page of a user's call history: its `call_logs[]` (or `call_history[]`) rows,
/// completed from the page's `call_elements[]` of the same calls (the account users'
/// e-mails on each side, and whether an element was recorded).
pub fn user_history_rows(page: &Value) -> Result<Vec<CallRecord>, ZoomError> {
    // The legacy row shape is this endpoint's own, not a deprecated answer.
    let mut records = history_rows(page, &mut true)?;
    let elements: Vec<CallElement> = rows(page, "call_elements")?.unwrap_or_default();
    for record in &mut records {
        let of_call = elements
            .iter()
            .filter(|element| element.call_id.as_deref() == Some(record.call_id.as_str()));
        for element in of_call {
            let sides = &element.sides;
            if record.caller.email.is_none() {
                record.caller.email.clone_from(&sides.caller_email);
            }
            if record.callee.email.is_none() {
                record.callee.email.clone_from(&sides.callee_email);
            }
            record.has_recording |= element.recording_id.is_some();
        }
    }
    Ok(records)
}

/// A person of the account as Zoom Phone knows them (`/phone/users/{userId}`, an id
/// or an e-mail).
pub(crate) async fn phone_person(
    client: &ZoomClient,
    auth: &Auth,
    user: &str,
) -> Result<PhoneUser, ZoomError> {
    let path = format!("/phone/users/{}", path_id(user)?);
    let page: Value = client.get_json(auth, &path, &[]).await?;
    // The phone answer carries the id and e-mail `/users/me` would.
    phone_user(&page, &page)
}

/// A call with its elements.
pub(crate) async fn call_detail(
    client: &ZoomClient,
    auth: &Auth,
    call_history_uuid: &str,
) -> Result<CallDetail, ZoomError> {
    let path = format!("{CALL_HISTORY_PATH}/{}", path_id(call_history_uuid)?);
    let page: Value = client.get_json(auth, &path, &[]).await?;
    call_detail_of(&page)
}

/// One call element.
pub(crate) async fn call_element(
    client: &ZoomClient,
    auth: &Auth,
    call_element_id: &str,
) -> Result<CallElement, ZoomError> {
    let path = format!("/phone/call_element/{}", path_id(call_element_id)?);
    let page: Value = client.get_json(auth, &path, &[]).await?;
    row(&page, "call element")
}

/// The recording of a call (`callId` or `callLogId`): where to download it, and
/// whose it is.
pub(crate) async fn recording(
    client: &ZoomClient,
    auth: &Auth,
    call_id: &str,
) -> Result<RecordingInfo, ZoomError> {
    let path = format!("/phone/call_logs/{}/recordings", path_id(call_id)?);
    let page: Value = client.get_json(auth, &path, &[]).await?;
    recording_of(&page)
}

/// A recording answer, read.
pub fn recording_of(page: &Value) -> Result<RecordingInfo, ZoomError> {
    #[derive(Deserialize)]
    struct Owner {
        #[serde(default, rename = "type")]
        kind: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        id: Option<String>,
    }
    #[derive(Deserialize)]
    struct Recording {
        download_url: String,
        #[serde(default, deserialize_with = "opt_text")]
        call_id: Option<String>,
        #[serde(default)]
        owner: Option<Owner>,
        #[serde(default, deserialize_with = "opt_text")]
        call_history_id: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        call_log_id: Option<String>,
    }
    let recording: Recording = row(page, "recording")?;
    let download_url = Url::parse(&recording.download_url)
        .map_err(|err| ZoomError::BadResponse(format!("recording download_url: {err}")))?;
    let owner_id = recording
        .owner
        .filter(|owner| owner.kind.as_deref().is_none_or(|kind| kind == "user"))
        .and_then(|owner| nonempty(owner.id));
    Ok(RecordingInfo {
        download_url,
        call_id: nonempty(recording.call_id),
        owner_id,
        call_history_uuid: nonempty(recording.call_history_id).or(nonempty(recording.call_log_id)),
    })
}

/// The user from `/users/me` and `/phone/users/me`.
pub fn phone_user(user: &Value, phone: &Value) -> Result<PhoneUser, ZoomError> {
    #[derive(Deserialize)]
    struct UserMe {
        #[serde(deserialize_with = "text")]
        id: String,
        #[serde(default)]
        email: Option<String>,
        #[serde(default)]
        display_name: Option<String>,
        #[serde(default)]
        first_name: Option<String>,
        #[serde(default)]
        last_name: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        account_id: Option<String>,
    }
    #[derive(Deserialize)]
    struct PhoneMe {
        #[serde(default)]
        email: Option<String>,
        #[serde(default)]
        name: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        extension_number: Option<String>,
        #[serde(default)]
        phone_numbers: Option<Vec<Value>>,
    }
    let user: UserMe = row(user, "/users/me")?;
    let phone: PhoneMe = row(phone, "/phone/users/me")?;
    let email = nonempty(user.email)
        .or(nonempty(phone.email))
        .unwrap_or_default();
    let full_name = [user.first_name, user.last_name]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = nonempty(phone.name)
        .or(nonempty(user.display_name))
        .or(nonempty(Some(full_name)))
        .unwrap_or_else(|| email.clone());
    Ok(PhoneUser {
        id: user.id,
        email,
        name,
        extension_number: nonempty(phone.extension_number),
        phone_numbers: numbers(&phone.phone_numbers.unwrap_or_default()),
        account_id: nonempty(user.account_id),
    })
}

/// The contacts of a `/contacts` page.
pub fn directory_rows(page: &Value) -> Result<Vec<DirectoryContact>, ZoomError> {
    #[derive(Deserialize)]
    struct Row {
        #[serde(default, deserialize_with = "opt_text")]
        id: Option<String>,
        #[serde(default)]
        display_name: Option<String>,
        #[serde(default)]
        first_name: Option<String>,
        #[serde(default)]
        last_name: Option<String>,
        #[serde(default)]
        email: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        extension_number: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        phone_number: Option<String>,
        #[serde(default)]
        phone_numbers: Option<Vec<Value>>,
        #[serde(default)]
        direct_numbers: Option<Vec<Value>>,
        #[serde(default)]
        job_title: Option<String>,
        #[serde(default)]
        dept: Option<String>,
        #[serde(default)]
        presence_status: Option<String>,
    }
    let rows: Vec<Row> = rows(page, "contacts")?.unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|row| {
            let full_name = [row.first_name, row.last_name]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let mut phone_numbers: Vec<String> = row.phone_number.into_iter().collect();
            for number in numbers(&row.phone_numbers.unwrap_or_default())
                .into_iter()
                .chain(numbers(&row.direct_numbers.unwrap_or_default()))
            {
                if !phone_numbers.contains(&number) {
                    phone_numbers.push(number);
                }
            }
            DirectoryContact {
                id: row.id,
                name: nonempty(row.display_name)
                    .or(nonempty(Some(full_name)))
                    .or(row.email.clone())
                    .unwrap_or_default(),
                email: row.email,
                extension_number: nonempty(row.extension_number),
                phone_numbers,
                job_title: row.job_title,
                department: row.dept,
                presence_status: row.presence_status,
            }
        })
        .collect())
}

/// The contacts of a `/phone/external_contacts` page.
pub fn external_rows(page: &Value) -> Result<Vec<ExternalContact>, ZoomError> {
    #[derive(Deserialize)]
    struct Row {
        #[serde(deserialize_with = "text")]
        external_contact_id: String,
        #[serde(default, deserialize_with = "opt_text")]
        id: Option<String>,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        email: Option<String>,
        #[serde(default)]
        description: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        extension_number: Option<String>,
        #[serde(default)]
        phone_numbers: Option<Vec<Value>>,
    }
    let rows: Vec<Row> = rows(page, "external_contacts")?.unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|row| ExternalContact {
            external_contact_id: row.external_contact_id,
            id: row.id,
            name: row.name,
            email: row.email,
            description: row.description,
            extension_number: nonempty(row.extension_number),
            phone_numbers: numbers(&row.phone_numbers.unwrap_or_default()),
        })
        .collect())
}

/// The calls of a `/phone/call_history` page: `call_history[]`, else the
/// legacy `call_logs[]` (warned about once per listing, via `legacy_seen`).
pub fn history_rows(page: &Value, legacy_seen: &mut bool) -> Result<Vec<CallRecord>, ZoomError> {
    if let Some(rows) = rows::<HistoryRow>(page, "call_history")? {
        return Ok(rows.into_iter().map(HistoryRow::record).collect());
    }
    match rows::<LegacyRow>(page, "call_logs")? {
        Some(rows) => {
            if !*legacy_seen {
                *legacy_seen = true;
                tracing::warn!(
                    "Zoom answered /phone/call_history with the legacy call_logs[] array and no \
                     call_history[]; reading the legacy rows (deprecated by Zoom)"
                );
            }
            Ok(rows.into_iter().map(LegacyRow::record).collect())
        }
        None => Ok(Vec::new()),
    }
}

/// A `/phone/call_history/{uuid}` answer.
pub fn call_detail_of(page: &Value) -> Result<CallDetail, ZoomError> {
    #[derive(Deserialize)]
    struct Detail {
        #[serde(default, deserialize_with = "opt_text")]
        call_history_uuid: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        id: Option<String>,
        #[serde(default, deserialize_with = "opt_text")]
        call_id: Option<String>,
    }
    let detail: Detail = row(page, "call history")?;
    let sides: SideEmails = row(page, "call history")?;
    let elements: Vec<CallElement> = rows(page, "call_elements")?.unwrap_or_default();
    let mut parties: Vec<String> = sides
        .emails()
        .chain(elements.iter().flat_map(|element| element.sides.emails()))
        .map(str::to_ascii_lowercase)
        .collect();
    parties.sort();
    parties.dedup();
    Ok(CallDetail {
        call_history_uuid: detail.call_history_uuid.or(detail.id),
        call_id: detail.call_id,
        elements,
        parties,
    })
}

/// A `call_history[]` row.
#[derive(Deserialize)]
struct HistoryRow {
    #[serde(default, deserialize_with = "opt_text")]
    call_history_uuid: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    id: Option<String>,
    #[serde(deserialize_with = "text")]
    call_id: String,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    end_time: Option<String>,
    #[serde(default, deserialize_with = "seconds")]
    duration: u64,
    #[serde(default)]
    call_result: Option<String>,
    #[serde(default)]
    caller_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    caller_did_number: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    caller_ext_number: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    caller_ext_id: Option<String>,
    #[serde(default)]
    caller_email: Option<String>,
    #[serde(default)]
    callee_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    callee_did_number: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    callee_ext_number: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    callee_ext_id: Option<String>,
    #[serde(default)]
    callee_email: Option<String>,
    #[serde(default)]
    recording_status: Option<String>,
}

impl HistoryRow {
    fn record(self) -> CallRecord {
        CallRecord {
            call_id: self.call_id,
            call_history_uuid: nonempty(self.call_history_uuid).or(nonempty(self.id)),
            direction: self.direction.map(|d| d.to_ascii_lowercase()),
            start_time: self.start_time,
            end_time: self.end_time,
            duration_secs: self.duration,
            result: self.call_result,
            caller: CallParty {
                name: self.caller_name,
                number: nonempty(self.caller_did_number).or(nonempty(self.caller_ext_number)),
                ext_id: nonempty(self.caller_ext_id),
                email: self.caller_email,
            },
            callee: CallParty {
                name: self.callee_name,
                number: nonempty(self.callee_did_number).or(nonempty(self.callee_ext_number)),
                ext_id: nonempty(self.callee_ext_id),
                email: self.callee_email,
            },
            has_recording: self
                .recording_status
                .is_some_and(|status| status.eq_ignore_ascii_case("recorded")),
        }
    }
}

/// A legacy `call_logs[]` row.
#[derive(Deserialize)]
struct LegacyRow {
    #[serde(deserialize_with = "text")]
    call_id: String,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    caller_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    caller_number: Option<String>,
    #[serde(default)]
    callee_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    callee_number: Option<String>,
    #[serde(default)]
    date_time: Option<String>,
    #[serde(default, deserialize_with = "seconds")]
    duration: u64,
    #[serde(default)]
    result: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    recording_id: Option<String>,
    #[serde(default)]
    has_recording: Option<bool>,
}

impl LegacyRow {
    fn record(self) -> CallRecord {
        CallRecord {
            call_id: self.call_id,
            call_history_uuid: None,
            direction: self.direction.map(|d| d.to_ascii_lowercase()),
            start_time: self.date_time,
            end_time: None,
            duration_secs: self.duration,
            result: self
                .result
                .map(|r| r.to_ascii_lowercase().replace(' ', "_")),
            caller: CallParty {
                name: self.caller_name,
                number: nonempty(self.caller_number),
                ..CallParty::default()
            },
            callee: CallParty {
                name: self.callee_name,
                number: nonempty(self.callee_number),
                ..CallParty::default()
            },
            has_recording: self.has_recording.unwrap_or(false)
                || nonempty(self.recording_id).is_some(),
        }
    }
}

/// The whole answer read as `T`.
fn row<T: DeserializeOwned>(value: &Value, what: &str) -> Result<T, ZoomError> {
    T::deserialize(value).map_err(|err| ZoomError::BadResponse(format!("{what}: {err}")))
}

/// The array `key` of a page read as `T`s; `None` when absent or null.
fn rows<T: DeserializeOwned>(page: &Value, key: &str) -> Result<Option<Vec<T>>, ZoomError> {
    match page.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                T::deserialize(item)
                    .map_err(|err| ZoomError::BadResponse(format!("{key}[{index}]: {err}")))
            })
            .collect::<Result<Vec<T>, _>>()
            .map(Some),
        Some(_) => Err(ZoomError::BadResponse(format!("{key} is not an array"))),
    }
}

/// Phone numbers from a list of strings or `{number}` objects; others skipped.
fn numbers(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(|value| match value {
            Value::String(number) => Some(number.trim()),
            Value::Object(fields) => fields.get("number").and_then(Value::as_str).map(str::trim),
            _ => None,
        })
        .filter(|number| !number.is_empty())
        .map(str::to_owned)
        .collect()
}

fn nonempty(text: Option<String>) -> Option<String> {
    text.filter(|text| !text.trim().is_empty())
}

/// A string, or a number written as text.
fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        other => Err(D::Error::custom(format!(
            "expected a string or a number, got {}",
            kind(&other)
        ))),
    }
}

/// An optional string or number written as text; null counts as absent.
fn opt_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text)),
        Value::Number(number) => Ok(Some(number.to_string())),
        other => Err(D::Error::custom(format!(
            "expected a string or a number, got {}",
            kind(&other)
        ))),
    }
}

/// Whole seconds from a non-negative number or a number written as text;
/// null counts as zero.
fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let number = match &value {
        Value::Null => return Ok(0),
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    };
    match number {
        // `as` saturates; the range check keeps it meaningful.
        Some(secs) if secs.is_finite() && secs >= 0.0 => Ok(secs.min(u64::MAX as f64) as u64),
        _ => Err(D::Error::custom(format!(
            "expected a duration in seconds, got {}",
            kind(&value)
        ))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn the_user_is_read_from_both_answers() {
        let user = json!({"id": "u1", "email": "ana@example.com", "first_name": "Ana",
                          "last_name": "Lima", "display_name": "Ana L.", "account_id": "a", "x": [1]});
        let phone = json!({"id": "u1", "name": "Ana Lima", "extension_number": 1001,
                           "phone_numbers": [{"id": "n1", "number": "+15550100"}, {"id": "n2"}],
                           "site": {"id": "s", "name": "Main"}});
        assert_eq!(
            phone_user(&user, &phone).unwrap(),
            PhoneUser {
                id: "u1".to_owned(),
                email: "ana@example.com".to_owned(),
                name: "Ana Lima".to_owned(),
                extension_number: Some("1001".to_owned()),
                phone_numbers: vec!["+15550100".to_owned()],
                account_id: Some("a".to_owned()),
            }
        );
        let bare = phone_user(
            &json!({"id": 42, "first_name": "Bo"}),
            &json!({"phone_numbers": null}),
        )
        .unwrap();
        assert_eq!((bare.id.as_str(), bare.name.as_str()), ("42", "Bo"));
        let err = phone_user(&json!({"id": ["x"]}), &json!({})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Zoom sent an answer dialdesk cannot read: /users/me: expected a string or a number, got an array"
        );
    }

    #[test]
    fn history_rows_are_normalised() {
        let page = json!({"from": "2025-01-01", "next_page_token": "", "call_history": [{
            "call_history_uuid": "h1", "id": "h1", "call_id": 7_000_000_001u64,
            "direction": "Outbound", "start_time": "2025-01-02T10:00:00Z",
            "end_time": "2025-01-02T10:01:30Z", "duration": 90, "call_result": "answered",
            "caller_name": "Ana", "caller_ext_number": "1001", "caller_ext_id": "e1",
            "caller_email": "ana@example.com", "callee_name": "Client",
            "callee_did_number": "+15550123", "recording_status": "recorded", "new_field": {}
        }, {"call_id": "c2", "duration": "5", "recording_status": "non_recorded"}]});
        let mut legacy = false;
        let records = history_rows(&page, &mut legacy).unwrap();
        assert!(!legacy);
        assert_eq!(records[0].call_id, "7000000001");
        assert_eq!(records[0].call_history_uuid.as_deref(), Some("h1"));
        assert_eq!(records[0].direction.as_deref(), Some("outbound"));
        assert_eq!(records[0].duration_secs, 90);
        assert_eq!(records[0].caller.number.as_deref(), Some("1001"));
        assert_eq!(records[0].callee.number.as_deref(), Some("+15550123"));
        assert!(records[0].has_recording);
        assert_eq!(
            (records[1].duration_secs, records[1].has_recording),
            (5, false)
        );
    }

    #[test]
    fn legacy_rows_are_a_fallback() {
        let page = json!({"call_logs": [{"id": "log1", "call_id": "c1", "direction": "inbound",
            "caller_number": "+15550111", "callee_number": "1002", "date_time": "2025-01-02T10:00:00Z",
            "duration": 30, "result": "Call connected", "recording_id": "r1"}]});
        let mut legacy = false;
        let records = history_rows(&page, &mut legacy).unwrap();
        assert!(legacy);
        assert_eq!(records[0].call_id, "c1");
        assert_eq!(records[0].call_history_uuid, None);
        assert_eq!(
            records[0].start_time.as_deref(),
            Some("2025-01-02T10:00:00Z")
        );
        assert_eq!(records[0].result.as_deref(), Some("call_connected"));
        assert!(records[0].has_recording);
        // Both arrays: the new one wins.
        let both = json!({"call_history": [], "call_logs": [{"call_id": "c1"}]});
        assert!(history_rows(&both, &mut false).unwrap().is_empty());
        assert!(history_rows(&json!({}), &mut false).unwrap().is_empty());
    }

    #[test]
    fn wrong_types_name_the_row() {
        let bad = json!({"call_history": [{"call_id": "c1"}, {"call_id": "c2", "duration": -1}]});
        let err = history_rows(&bad, &mut false).unwrap_err();
        assert!(err.to_string().contains("call_history[1]"), "{err}");
        let err = history_rows(&json!({"call_history": {"a": 1}}), &mut false).unwrap_err();
        assert!(err.to_string().contains("not an array"), "{err}");
        let err = history_rows(&json!({"call_history": [{}]}), &mut false).unwrap_err();
        assert!(err.to_string().contains("call_id"), "{err}");
    }

    #[test]
    fn contacts_are_read() {
        let page = json!({"contacts": [{"id": "d1", "first_name": "Cy", "last_name": "Doe",
            "phone_number": "+15550100", "phone_numbers": [{"number": "+15550100"}, {"number": "+15550101"}],
            "direct_numbers": ["+15550102"], "extension_number": 1003, "dept": "Sales"}]});
        let contacts = directory_rows(&page).unwrap();
        assert_eq!(contacts[0].name, "Cy Doe");
        assert_eq!(
            contacts[0].phone_numbers,
            ["+15550100", "+15550101", "+15550102"]
        );
        assert_eq!(contacts[0].department.as_deref(), Some("Sales"));

        let page = json!({"external_contacts": [{"external_contact_id": "x1", "id": 5,
            "name": "Acme", "phone_numbers": ["+15550199", 3, ""]}]});
        let external = external_rows(&page).unwrap();
        assert_eq!(external[0].id.as_deref(), Some("5"));
        assert_eq!(external[0].phone_numbers, ["+15550199"]);
    }

    #[test]
    fn call_details_carry_their_elements() {
        let page = json!({"id": "h1", "call_id": "c1", "call_elements": [
            {"call_element_id": "e1", "event": "outgoing", "result": "answered", "recording_id": "r1"},
            {"call_element_id": "e2", "call_id": "c1"}]});
        let detail = call_detail_of(&page).unwrap();
        assert_eq!(detail.call_history_uuid.as_deref(), Some("h1"));
        assert_eq!(detail.elements.len(), 2);
        assert_eq!(detail.elements[0].recording_id.as_deref(), Some("r1"));
        let element: CallElement = row(
            &json!({"call_element_id": "e1", "call_history_uuid": "h1"}),
            "call element",
        )
        .unwrap();
        assert_eq!(element.call_history_uuid.as_deref(), Some("h1"));
    }

    #[test]
    fn the_users_on_a_call_are_read_from_the_call_and_its_elements() {
        let page = json!({"id": "h1", "caller_email": "Ann@Example.com", "callee_email": "",
            "call_elements": [{"call_element_id": "e1", "operator_email": "bo@example.com",
                               "callee_email": "ann@example.com"}]});
        let detail = call_detail_of(&page).unwrap();
        assert_eq!(detail.parties, ["ann@example.com", "bo@example.com"]);
        let answer = serde_json::to_value(&detail).unwrap();
        assert!(
            !answer.to_string().contains("example.com"),
            "the browser gets the call, not the proxy's list of parties: {answer}"
        );
    }

    #[test]
    fn a_users_history_is_completed_from_its_elements() {
        let page = json!({
            "call_logs": [{"call_id": "c1", "direction": "outbound", "caller_number": "+12125550102",
                           "callee_number": "+12125550103", "date_time": "2026-12-01T10:00:00Z",
                           "duration": 30, "result": "Call connected", "call_path_id": "h1"},
                          {"call_id": "c2", "caller_number": "+15550100"}],
            "call_elements": [{"call_element_id": "e1", "call_id": "c1",
                               "caller_email": "ben@example.com", "callee_email": "cy@example.com",
                               "recording_id": "r1"},
                              {"call_element_id": "e9", "call_id": "other"}]});
        let records = user_history_rows(&page).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].caller.email.as_deref(), Some("ben@example.com"));
        assert_eq!(records[0].callee.email.as_deref(), Some("cy@example.com"));
        assert!(records[0].has_recording);
        assert_eq!(records[0].result.as_deref(), Some("call_connected"));
        assert_eq!(records[1].caller.email, None);
        assert!(!records[1].has_recording);
    }

    #[test]
    fn a_recording_names_its_owner_and_its_call() {
        let page = json!({"download_url": "https://zoom.example/r/1", "call_id": 7,
            "call_log_id": "h1", "owner": {"type": "user", "id": "u-ann"}});
        let found = recording_of(&page).unwrap();
        assert_eq!(found.call_id.as_deref(), Some("7"));
        assert_eq!(found.owner_id.as_deref(), Some("u-ann"));
        assert_eq!(found.call_history_uuid.as_deref(), Some("h1"));
        let queue = json!({"download_url": "https://zoom.example/r/1",
            "owner": {"type": "call_queue", "id": "q1"}});
        assert_eq!(recording_of(&queue).unwrap().owner_id, None, "not a user");
        assert!(recording_of(&json!({"download_url": "not a url"})).is_err());
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::hash_map(
                    prop_oneof![
                        Just("call_id".to_owned()),
                        Just("duration".to_owned()),
                        Just("call_history".to_owned()),
                        Just("call_logs".to_owned()),
                        Just("phone_numbers".to_owned()),
                        Just("id".to_owned()),
                        "[a-z_]{1,8}",
                    ],
                    inner,
                    0..5
                )
                .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn no_answer_panics(page in any_json(), other in any_json()) {
            let _ = history_rows(&page, &mut false);
            let _ = directory_rows(&page);
            let _ = external_rows(&page);
            let _ = call_detail_of(&page);
            let _ = recording_of(&page);
            let _ = user_history_rows(&page);
            let _ = phone_user(&page, &other);
        }
    }
}
