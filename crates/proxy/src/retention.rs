//! Retention: a daily purge of what is older than `[retention]` allows. The call
//! journal's events and the audit log's rows are deleted; a saved call log keeps its
//! disposition, direction, result and length but loses its phone number, notes and
//! custom fields. A setting of 0 keeps everything of its kind.

use rusqlite::{named_params, Connection};
use time::{Duration, OffsetDateTime};

use crate::db::{call_context, Db, DbError};

/// How long each kind of record is kept, in days; 0 keeps it for ever.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retention {
    /// Call journal events.
    pub journal_days: u32,
    /// Audit log rows.
    pub audit_days: u32,
    /// Phone numbers, notes and custom fields of saved call logs.
    pub log_details_days: u32,
}

/// What one purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Journal events deleted.
    pub events: usize,
    /// Audit rows deleted.
    pub audit: usize,
    /// Call logs whose details were blanked.
    pub logs: usize,
}

impl Retention {
    /// Whether anything is ever purged.
    pub fn purges(&self) -> bool {
        self.journal_days > 0 || self.audit_days > 0 || self.log_details_days > 0
    }
}

/// The timestamp `days` before `now`, written as the database writes its stamps
/// (`YYYY-MM-DDTHH:MM:SS.sssZ`, UTC), so the two compare as text.
fn cutoff(now: OffsetDateTime, days: u32) -> Option<String> {
    if days == 0 {
        return None;
    }
    let at = now.to_offset(time::UtcOffset::UTC) - Duration::days(i64::from(days));
    let format = time::format_description::parse_borrowed::<2>(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z",
    )
    .ok()?;
    at.format(&format).ok()
}

/// Purges, in one transaction, what `retention` no longer keeps at `now`.
pub fn purge(
    conn: &mut Connection,
    retention: Retention,
    now: OffsetDateTime,
) -> Result<Purged, DbError> {
    let tx = conn.savepoint()?;
    let mut purged = Purged::default();
    if let Some(before) = cutoff(now, retention.journal_days) {
        purged.events = tx.execute(
            "DELETE FROM call_events WHERE recorded_at < :before",
            named_params! { ":before": before },
        )?;
    }
    if let Some(before) = cutoff(now, retention.audit_days) {
        purged.audit = tx.execute(
            "DELETE FROM audit_log WHERE at < :before",
            named_params! { ":before": before },
        )?;
    }
    if let Some(before) = cutoff(now, retention.log_details_days) {
        purged.logs = tx.execute(
            "UPDATE call_logs SET number = NULL, notes = '', fields = '{}', content = ''
              WHERE saved_at < :before
                AND (number IS NOT NULL OR notes != '' OR fields != '{}')",
            named_params! { ":before": before },
        )?;
    }
    if purged.events > 0 || purged.logs > 0 {
        call_context::rebuild(&tx)?;
    }
    tx.commit()?;
    Ok(purged)
}

/// Purges now and then once a day, when anything is ever purged.
pub fn schedule(db: Db, retention: Retention) {
    if !retention.purges() {
        return;
    }
    tokio::spawn(async move {
        let mut days = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            days.tick().await;
            let done = db
                .write(move |conn| purge(conn, retention, OffsetDateTime::now_utc()))
                .await;
            match done {
                Ok(purged) => tracing::info!(
                    events = purged.events,
                    audit = purged.audit,
                    logs = purged.logs,
                    "retention purge done"
                ),
                Err(err) => tracing::warn!(error = %err, "the retention purge failed"),
            }
        }
    });
}
