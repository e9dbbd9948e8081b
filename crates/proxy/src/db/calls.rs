//! The call journal: accepted Smart Embed call events, keyed by root call id and
//! idempotent on their event key.

use dialdesk_contract::{JournalEvent, JournalRecord};
use rusqlite::{named_params, Connection};

use super::call_context::{self, Touched};
use super::DbError;

/// Who sent journal events: the session, and its signed-in Zoom user if any.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    /// The session id.
    pub session_id: &'a str,
    /// The signed-in Zoom user (`auth = "zoom"`), from then on a party to the call.
    pub user_id: Option<&'a str>,
}

/// Someone who took part in a call, as the journal and the saved log know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Their Zoom user id.
    pub id: String,
    /// Their Zoom e-mail, when they have signed in here.
    pub email: Option<String>,
}

/// Journals `event` under `root_call_id` for `sender` unless its event key is
/// already there, and folds it into its call's context. Returns whether a row was
/// added.
pub fn record(
    conn: &Connection,
    root_call_id: &str,
    event: &JournalEvent,
    sender: Sender<'_>,
) -> Result<bool, DbError> {
    let mut touched = Touched::default();
    let added = journal(conn, root_call_id, event, sender, &mut touched)?;
    touched.refresh(conn)?;
    Ok(added)
}

/// [`record`] without refreshing the context: the numbers to refresh are added
/// to `touched`.
fn journal(
    conn: &Connection,
    root_call_id: &str,
    event: &JournalEvent,
    sender: Sender<'_>,
    touched: &mut Touched,
) -> Result<bool, DbError> {
    let added = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO call_events
                (event_key, kind, call_id, root_call_id, payload, recorded_at, session_id,
                 contact_id, user_id)
             VALUES (:event_key, :kind, :call_id, :root_call_id, :payload,
                     strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), :session_id, :contact_id,
                     :user_id)",
        )?
        .execute(named_params! {
            ":event_key": event.event_key,
            ":kind": event.kind,
            ":call_id": event.call_id,
            ":root_call_id": root_call_id,
            ":payload": event.payload,
            ":session_id": sender.session_id,
            ":contact_id": event.contact_id,
            ":user_id": sender.user_id,
        })?;
    if added > 0 {
        call_context::note_event(conn, root_call_id, event, touched)?;
    }
    Ok(added > 0)
}

/// Journals every `(root_call_id, event)` of `batch`, in order, in one
/// transaction, skipping event keys already there (also earlier in the batch).
/// Returns how many rows were added; on error nothing is.
pub fn record_all(
    conn: &mut Connection,
    batch: &[(String, JournalEvent)],
    sender: Sender<'_>,
) -> Result<usize, DbError> {
    let tx = conn.savepoint()?;
    let mut added = 0;
    let mut touched = Touched::default();
    for (root_call_id, event) in batch {
        if journal(&tx, root_call_id, event, sender, &mut touched)? {
            added += 1;
        }
    }
    // Each number the batch touched is refreshed once, after all its events.
    touched.refresh(&tx)?;
    tx.commit()?;
    Ok(added)
}

/// The signed-in users who took part in the call `root_call_id`: whoever journalled
/// one of its events or saved its log. Empty for a call nobody has reported yet.
pub fn parties(conn: &Connection, root_call_id: &str) -> Result<Vec<Party>, DbError> {
    let mut statement = conn.prepare_cached(
        "SELECT p.id, u.email FROM (
             SELECT user_id AS id FROM call_events
              WHERE root_call_id = ?1 AND user_id IS NOT NULL
             UNION
             SELECT saved_by FROM call_logs
              WHERE root_call_id = ?1 AND saved_by IS NOT NULL
         ) p LEFT JOIN zoom_users u ON u.id = p.id",
    )?;
    let parties = statement
        .query_map([root_call_id], |row| {
            Ok(Party {
                id: row.get(0)?,
                email: row.get(1)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(parties)
}

/// Every event journalled under `root_call_id`, in the order they were added.
pub fn list(conn: &Connection, root_call_id: &str) -> Result<Vec<JournalRecord>, DbError> {
    let records = conn
        .prepare_cached(
            "SELECT event_key, kind, call_id, root_call_id, payload, recorded_at
             FROM call_events WHERE root_call_id = ?1 ORDER BY id",
        )?
        .query_map([root_call_id], |row| {
            Ok(JournalRecord {
                event_key: row.get(0)?,
                kind: row.get(1)?,
                call_id: row.get(2)?,
                root_call_id: row.get(3)?,
                payload: row.get(4)?,
                recorded_at: row.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(records)
}
