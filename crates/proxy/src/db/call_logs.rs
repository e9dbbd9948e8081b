//! Call logs: one per root call id, versioned, saved exactly once per content.
//! Recordings and voicemails are not stored with the log: they are
//! read from the call journal whenever the log is, so media that arrives after
//! the save is attached to it. [`get`] reads one log, [`each_in_range`] the
//! logs saved on a range of days; both build each log the same way.

use dialdesk_contract::{CallLog, CallLogDraft};
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use super::{call_context, DbError};
use crate::call_log;
use crate::days::DayRange;

/// Journal event type whose `recordingUrl` is a recording of the call.
pub const RECORDING_KIND: &str = "zp-call-recording-completed-event";
/// Journal event type whose `voicemailUrl` is a voicemail left on the call.
pub const VOICEMAIL_KIND: &str = "zp-call-voicemail-received-event";

/// What [`save`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// There was no log: this is version 1.
    Created(CallLog),
    /// The draft was based on the stored version and changed it: one more.
    Updated(CallLog),
    /// The stored log already had this content (an identical retry): nothing
    /// was written.
    Unchanged(CallLog),
    /// The content differs and the draft was based on another version than the
    /// stored one (given here): nothing was written.
    Conflict(CallLog),
    /// The draft names a contact that is not stored: nothing was written.
    NoSuchContact(i64),
}

/// Who saves a log: the session, and the signed-in Zoom user if any.
#[derive(Debug, Clone, Copy)]
pub struct Saver<'a> {
    /// The session id.
    pub session_id: &'a str,
    /// The signed-in Zoom user (`auth = "zoom"`).
    pub user_id: Option<&'a str>,
}

/// Saves `draft`, whose canonical content is `content`
/// ([`call_log::content`]), as the log of `root_call_id`, in one immediate
/// transaction:
/// - stored content equal to `content`: [`Saved::Unchanged`], whatever the
///   base version;
/// - no log yet: version 1 (whatever the base version, since nothing can be
///   overwritten);
/// - base version equal to the stored one: the next version;
/// - otherwise [`Saved::Conflict`] with the stored log.
pub fn save(
    conn: &mut Connection,
    root_call_id: &str,
    draft: &CallLogDraft,
    content: &str,
    saver: &Saver<'_>,
) -> Result<Saved, DbError> {
    let tx = conn.savepoint()?;
    let stored: Option<(u64, String, Option<String>)> = tx
        .prepare_cached("SELECT version, content, number FROM call_logs WHERE root_call_id = ?1")?
        .query_row([root_call_id], |row| {
            Ok((unsigned(0, row.get(0)?)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    let (created, previous_number) = match stored {
        Some((_, stored_content, _)) if stored_content == content => {
            return Ok(Saved::Unchanged(get_stored(&tx, root_call_id)?));
        }
        Some((version, _, _)) if version != draft.base_version => {
            return Ok(Saved::Conflict(get_stored(&tx, root_call_id)?));
        }
        Some((_, _, number)) => (false, number),
        None => (true, None),
    };
    if let Some(id) = draft.contact_id {
        let known = tx
            .prepare_cached("SELECT 1 FROM contacts WHERE id = ?1")?
            .exists([id])?;
        if !known {
            return Ok(Saved::NoSuchContact(id));
        }
    }
    tx.prepare_cached(
        "INSERT INTO call_logs
            (root_call_id, version, content, disposition, notes, fields, contact_id,
             direction, number, duration_secs, result, saved_at, session_id, saved_by)
         VALUES (:root, 1, :content, :disposition, :notes, :fields, :contact_id,
                 :direction, :number, :duration_secs, :result,
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), :session_id, :saved_by)
         ON CONFLICT (root_call_id) DO UPDATE SET
            version = version + 1, content = excluded.content,
            disposition = excluded.disposition, notes = excluded.notes,
            fields = excluded.fields, contact_id = excluded.contact_id,
            direction = excluded.direction, number = excluded.number,
            duration_secs = excluded.duration_secs, result = excluded.result,
            saved_at = excluded.saved_at, session_id = excluded.session_id,
            saved_by = excluded.saved_by",
    )?
    .execute(named_params! {
        ":root": root_call_id,
        ":content": content,
        ":disposition": draft.disposition,
        ":notes": draft.notes,
        ":fields": call_log::canonical_fields(&draft.fields),
        ":contact_id": draft.contact_id,
        ":direction": draft.direction,
        ":number": draft.number,
        // At most a week (checked), so it fits.
        ":duration_secs": draft.duration_secs.and_then(|secs| i64::try_from(secs).ok()),
        ":result": draft.result,
        ":session_id": saver.session_id,
        ":saved_by": saver.user_id,
    })?;
    call_context::note_log(&tx, root_call_id, previous_number, draft.number.clone())?;
    let log = get_stored(&tx, root_call_id)?;
    tx.commit()?;
    Ok(if created {
        Saved::Created(log)
    } else {
        Saved::Updated(log)
    })
}

/// The `call_logs` columns [`log_at`] reads, in its order, from the table
/// aliased `l`.
macro_rules! log_columns {
    () => {
        "l.root_call_id, l.version, l.disposition, l.notes, l.fields, l.contact_id,
         l.direction, l.number, l.duration_secs, l.result, l.saved_at,
         (SELECT u.name FROM zoom_users u WHERE u.id = l.saved_by)"
    };
}

/// The log of `root_call_id` with the recordings and voicemails the journal
/// holds for the call and its transfer legs, if a log was saved.
pub fn get(conn: &Connection, root_call_id: &str) -> Result<Option<CallLog>, DbError> {
    let log = conn
        .prepare_cached(concat!(
            "SELECT ",
            log_columns!(),
            " FROM call_logs l WHERE l.root_call_id = ?1"
        ))?
        .query_row([root_call_id], log_at)
        .optional()?;
    let Some(mut log) = log else {
        return Ok(None);
    };
    attach_media(conn, &mut log)?;
    Ok(Some(log))
}

/// Which saved logs [`each_in_range`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFilter {
    /// The UTC days whose saves are read (by `saved_at`), both ends included.
    pub days: DayRange,
    /// Only the logs of this contact, when given.
    pub contact_id: Option<i64>,
    /// Only the logs saved by these people (Zoom user ids or e-mails, lower
    /// case), when given; every log when not.
    pub saved_by: Option<Vec<String>>,
}

/// The logs of a range, with their contact's name, for [`each_in_range`].
///
/// `saved_at` is `YYYY-MM-DDTHH:MM:SS.sssZ`: every instant of day `D` sorts at
/// or after `D` and before `DT~` (`~` sorts after every digit), and every later
/// day after `DT~`, so `:from` = `D1` and `:until` = `D2T~` keep whole days and
/// read the index on `(saved_at, root_call_id)` in order.
const RANGE_QUERY: &str = concat!(
    "SELECT ",
    log_columns!(),
    ", c.name FROM call_logs l LEFT JOIN contacts c ON c.id = l.contact_id
     WHERE l.saved_at >= :from AND l.saved_at < :until
           AND (:contact_id IS NULL OR l.contact_id = :contact_id)
           AND (:saved_by IS NULL OR l.saved_by IN
                (SELECT u.id FROM zoom_users u, json_each(:saved_by) n
                  WHERE lower(u.id) = n.value OR lower(u.email) = n.value))
     ORDER BY l.saved_at, l.root_call_id
     LIMIT :limit"
);

/// A log read by [`each_in_range`], with the name of its contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedLog {
    /// The log, with its recordings and voicemails, as [`get`] reads it.
    pub log: CallLog,
    /// The name of the log's contact, when it has one that is still stored.
    pub contact_name: Option<String>,
}

/// Hands `each` the logs saved on the days of `filter` (and of its contact),
/// by `saved_at` then call id, each as [`get`] reads it, stopping after
/// `limit`. Returns whether there were more than `limit`. The first error of
/// `each` stops the reading and is returned.
pub fn each_in_range<E: From<DbError>>(
    conn: &Connection,
    filter: &LogFilter,
    limit: u32,
    mut each: impl FnMut(ListedLog) -> Result<(), E>,
) -> Result<bool, E> {
    let mut query = conn.prepare_cached(RANGE_QUERY).map_err(DbError::from)?;
    let saved_by = filter
        .saved_by
        .as_ref()
        .map(|names| serde_json::Value::from(names.clone()));
    let mut rows = query
        .query(named_params! {
            ":from": filter.days.from().to_string(),
            ":until": format!("{}T~", filter.days.to()),
            ":contact_id": filter.contact_id,
            ":saved_by": saved_by,
            ":limit": i64::from(limit) + 1,
        })
        .map_err(DbError::from)?;
    let mut read = 0;
    while let Some(row) = rows.next().map_err(DbError::from)? {
        if read == limit {
            return Ok(true);
        }
        read += 1;
        let listed = listed_at(conn, row)?;
        each(listed)?;
    }
    Ok(false)
}

/// The log of a row of [`each_in_range`]'s query, its media attached.
fn listed_at(conn: &Connection, row: &Row<'_>) -> Result<ListedLog, DbError> {
    let mut log = log_at(row)?;
    let contact_name = row.get(12)?;
    attach_media(conn, &mut log)?;
    Ok(ListedLog { log, contact_name })
}

/// The log in a row of [`log_columns!`], without its media.
fn log_at(row: &Row<'_>) -> rusqlite::Result<CallLog> {
    let fields = match row.get::<_, serde_json::Value>(4)? {
        serde_json::Value::Object(fields) => fields,
        _ => serde_json::Map::new(),
    };
    Ok(CallLog {
        call_id: row.get(0)?,
        version: unsigned(1, row.get(1)?)?,
        disposition: row.get(2)?,
        notes: row.get(3)?,
        fields,
        contact_id: row.get(5)?,
        direction: row.get(6)?,
        number: row.get(7)?,
        duration_secs: row
            .get::<_, Option<i64>>(8)?
            .map(|secs| unsigned(8, secs))
            .transpose()?,
        result: row.get(9)?,
        saved_at: row.get(10)?,
        saved_by: row.get(11)?,
        recordings: Vec::new(),
        voicemails: Vec::new(),
    })
}

/// Adds to `log` the recording and voicemail links the journal holds for its
/// call and the call's transfer legs, each once, in the order they arrived.
fn attach_media(conn: &Connection, log: &mut CallLog) -> Result<(), DbError> {
    let mut media = conn.prepare_cached(
        "SELECT kind, url FROM (
             SELECT id, kind, json_extract(payload, CASE kind WHEN :recording
                 THEN '$.recordingUrl' ELSE '$.voicemailUrl' END) AS url
             FROM call_events
             WHERE root_call_id = :root AND kind IN (:recording, :voicemail)
                   AND json_valid(payload))
         WHERE typeof(url) = 'text' AND (url LIKE 'https://%' OR url LIKE 'http://%')
         GROUP BY kind, url
         ORDER BY min(id)",
    )?;
    let rows = media.query_map(
        named_params! {
            ":root": log.call_id,
            ":recording": RECORDING_KIND,
            ":voicemail": VOICEMAIL_KIND,
        },
        |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
    )?;
    for row in rows {
        let (kind, url) = row?;
        if kind == RECORDING_KIND {
            log.recordings.push(url);
        } else {
            log.voicemails.push(url);
        }
    }
    Ok(())
}

/// [`get`] for a log known to be there.
fn get_stored(conn: &Connection, root_call_id: &str) -> Result<CallLog, DbError> {
    get(conn, root_call_id)?.ok_or(DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
}

/// `value`, read from column `index`, as a whole number 0 or more.
fn unsigned(index: usize, value: i64) -> rusqlite::Result<u64> {
    u64::try_from(value).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(index, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[tokio::test]
    async fn a_range_is_read_through_the_saved_at_index_without_sorting() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("test.db")).unwrap();
        let plan: Vec<String> = db
            .read(|conn| {
                let sql = format!("EXPLAIN QUERY PLAN {RANGE_QUERY}");
                let mut plan = conn.prepare(&sql)?;
                let rows = plan.query_map(
                    named_params! {
                        ":from": "2025-01-01",
                        ":until": "2025-01-31T~",
                        ":contact_id": None::<i64>,
                        ":limit": 10,
                    },
                    |row| row.get::<_, String>(3),
                )?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
            .unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("USING INDEX call_logs_saved_at"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
