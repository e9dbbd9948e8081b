//! The audit log: who played a recording, exported call logs, started an import or a
//! Zoom sync, read the audit log, or was refused by a role rule, and when. Rows are
//! only added and, past `[retention] audit_days`, purged.

use dialdesk_contract::AuditEntry;
use rusqlite::{named_params, Connection};

use super::DbError;

/// What is audited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A call's recording was streamed (played or downloaded).
    RecordingPlayed,
    /// Call logs were exported as CSV.
    LogsExported,
    /// A CSV import was started.
    ImportStarted,
    /// A Zoom contact sync was started.
    SyncStarted,
    /// The audit log was read or exported.
    AuditRead,
    /// A request was refused by a role rule (403).
    Refused,
}

impl Action {
    /// The action as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RecordingPlayed => "recording.played",
            Self::LogsExported => "logs.exported",
            Self::ImportStarted => "import.started",
            Self::SyncStarted => "sync.started",
            Self::AuditRead => "audit.read",
            Self::Refused => "refused",
        }
    }
}

/// One row to add.
#[derive(Debug, Clone, Copy)]
pub struct Note<'a> {
    /// The signed-in Zoom user, if any.
    pub user_id: Option<&'a str>,
    /// Their e-mail, if any.
    pub email: Option<&'a str>,
    /// What they did.
    pub action: Action,
    /// What it concerned: a call id, a range of days, a file name, a route.
    pub target: &'a str,
}

/// Adds `note`, stamped now.
pub fn record(conn: &Connection, note: &Note<'_>) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, user_id, email, action, target)
         VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), :user_id, :email, :action, :target)",
    )?
    .execute(named_params! {
        ":user_id": note.user_id,
        ":email": note.email,
        ":action": note.action.as_str(),
        ":target": note.target,
    })?;
    Ok(())
}

/// The rows stamped from `from` (inclusive) until `until` (exclusive), oldest first,
/// at most `limit`; and whether there were more.
pub fn between(
    conn: &Connection,
    from: &str,
    until: &str,
    limit: u32,
) -> Result<(Vec<AuditEntry>, bool), DbError> {
    let mut statement = conn.prepare_cached(
        "SELECT at, user_id, email, action, target FROM audit_log
          WHERE at >= :from AND at < :until ORDER BY at, id LIMIT :limit",
    )?;
    let mut entries = statement
        .query_map(
            named_params! { ":from": from, ":until": until, ":limit": i64::from(limit) + 1 },
            |row| {
                Ok(AuditEntry {
                    at: row.get(0)?,
                    user_id: row.get(1)?,
                    email: row.get(2)?,
                    action: row.get(3)?,
                    target: row.get(4)?,
                })
            },
        )?
        .collect::<Result<Vec<_>, _>>()?;
    let more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    Ok((entries, more))
}
