//! Sessions of signed-in Zoom users (`user_sessions`; the users themselves
//! and their tokens are stored by [`crate::zoom::Zoom::sign_in`]) and the
//! sign-ins under way between the redirect to Zoom and the callback
//! (`oauth_pending`). Times are Unix seconds.

use rusqlite::{params, Connection, OptionalExtension};

use super::DbError;

/// How long a sign-in may take from the redirect to Zoom to the callback.
pub const PENDING_SECS: i64 = 600;

/// A signed-in user: their Zoom user id and e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveUser {
    /// Zoom user id.
    pub id: String,
    /// E-mail address as Zoom gave it.
    pub email: String,
}

/// The user of session `id` while it is live.
pub fn live_user(conn: &mut Connection, id: &str) -> Result<Option<LiveUser>, DbError> {
    let now = now();
    Ok(conn
        .query_row(
            "SELECT s.user_id, u.email FROM user_sessions s JOIN zoom_users u ON u.id = s.user_id
              WHERE s.id = ?1 AND s.expires_at > ?2",
            params![id, now],
            |row| {
                Ok(LiveUser {
                    id: row.get(0)?,
                    email: row.get(1)?,
                })
            },
        )
        .optional()?)
}

/// The e-mail of the Zoom user `id`, when they have signed in here.
pub fn email_of(conn: &Connection, id: &str) -> Result<Option<String>, DbError> {
    Ok(conn
        .query_row("SELECT email FROM zoom_users WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()?)
}

/// Starts session `id` for the stored user `user_id`, lasting `ttl_secs`;
/// drops expired sessions and sign-ins on the way.
pub fn start(conn: &mut Connection, user_id: &str, id: &str, ttl_secs: i64) -> Result<(), DbError> {
    let now = now();
    let tx = conn.savepoint()?;
    tx.execute(
        "INSERT INTO user_sessions (id, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, user_id, now, now + ttl_secs],
    )?;
    prune_at(&tx, now)?;
    tx.commit()?;
    Ok(())
}

/// Drops expired sessions and sign-ins that were never completed within
/// [`PENDING_SECS`]; returns how many rows went. Run on a schedule, so anonymous
/// visits to `/auth/login` cannot pile rows up.
pub fn prune(conn: &mut Connection) -> Result<usize, DbError> {
    prune_at(conn, now())
}

fn prune_at(conn: &Connection, now: i64) -> Result<usize, DbError> {
    let sessions = conn.execute("DELETE FROM user_sessions WHERE expires_at <= ?1", [now])?;
    let pending = conn.execute(
        "DELETE FROM oauth_pending WHERE created_at <= ?1",
        [now - PENDING_SECS],
    )?;
    Ok(sessions + pending)
}

/// Ends session `id`.
pub fn end(conn: &mut Connection, id: &str) -> Result<(), DbError> {
    conn.execute("DELETE FROM user_sessions WHERE id = ?1", [id])?;
    Ok(())
}

/// Ends every session of `user_id` (their Zoom sign-in is no longer valid).
pub fn end_all(conn: &mut Connection, user_id: &str) -> Result<usize, DbError> {
    Ok(conn.execute("DELETE FROM user_sessions WHERE user_id = ?1", [user_id])?)
}

/// Remembers a sign-in under way: its `state`, PKCE verifier and the key of
/// the browser that started it.
pub fn remember_pending(
    conn: &mut Connection,
    state: &str,
    verifier: &str,
    browser_key: &str,
) -> Result<(), DbError> {
    let now = now();
    let tx = conn.savepoint()?;
    tx.execute(
        "DELETE FROM oauth_pending WHERE created_at <= ?1",
        [now - PENDING_SECS],
    )?;
    tx.execute(
        "INSERT INTO oauth_pending (state, verifier, browser_key, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![state, verifier, browser_key, now],
    )?;
    tx.commit()?;
    Ok(())
}

/// Takes (single use) the verifier of the sign-in `state` started by
/// `browser_key` less than [`PENDING_SECS`] ago.
pub fn take_pending(
    conn: &mut Connection,
    state: &str,
    browser_key: &str,
) -> Result<Option<String>, DbError> {
    let tx = conn.savepoint()?;
    let found: Option<(String, String, i64)> = tx
        .query_row(
            "SELECT verifier, browser_key, created_at FROM oauth_pending WHERE state = ?1",
            [state],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    tx.execute("DELETE FROM oauth_pending WHERE state = ?1", [state])?;
    tx.commit()?;
    Ok(found.and_then(|(verifier, key, created_at)| {
        (key == browser_key && created_at > now() - PENDING_SECS).then_some(verifier)
    }))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    /// Stores the user `u1`, as a sign-in does.
    fn store_user(conn: &Connection) -> rusqlite::Result<usize> {
        conn.execute(
            "INSERT INTO zoom_users (id, email, name, profile, updated_at)
             VALUES ('u1', 'riley@example.com', 'Riley', '{}', '2026-12-04T00:00:00Z')",
            [],
        )
    }

    #[tokio::test]
    async fn sessions_live_until_ended_and_pending_sign_ins_are_single_use() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        db.write(|conn| {
            store_user(conn)?;
            start(conn, "u1", "s1", 60)?;
            start(conn, "u1", "s0", -1)?;
            assert_eq!(
                live_user(conn, "s1")?,
                Some(LiveUser {
                    id: "u1".into(),
                    email: "riley@example.com".into()
                })
            );
            assert_eq!(live_user(conn, "s0")?, None);
            end(conn, "s1")?;
            assert_eq!(live_user(conn, "s1")?, None);
            start(conn, "u1", "s2", 60)?;
            start(conn, "u1", "s3", 60)?;
            assert_eq!(end_all(conn, "u1")?, 2);

            remember_pending(conn, "st", "ver", "browser")?;
            assert_eq!(take_pending(conn, "st", "other")?, None);
            remember_pending(conn, "st2", "ver2", "browser")?;
            assert_eq!(
                take_pending(conn, "st2", "browser")?,
                Some("ver2".to_owned())
            );
            assert_eq!(take_pending(conn, "st2", "browser")?, None);
            Ok(())
        })
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn abandoned_sign_ins_and_expired_sessions_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        db.write(|conn| {
            store_user(conn)?;
            let pending = |conn: &Connection| -> rusqlite::Result<i64> {
                conn.query_row("SELECT COUNT(*) FROM oauth_pending", [], |row| row.get(0))
            };
            let stale = now() - PENDING_SECS - 1;
            for n in 0..3 {
                conn.execute(
                    "INSERT INTO oauth_pending (state, verifier, browser_key, created_at)
                     VALUES (?1, 'v', 'b', ?2)",
                    params![format!("old{n}"), stale],
                )?;
            }
            // A new sign-in clears the abandoned ones as it is remembered.
            remember_pending(conn, "fresh", "v", "b")?;
            assert_eq!(pending(conn)?, 1);
            // The schedule's prune: expired sessions and abandoned sign-ins go, live ones stay.
            start(conn, "u1", "live", 60)?;
            conn.execute(
                "INSERT INTO oauth_pending (state, verifier, browser_key, created_at)
                 VALUES ('old', 'v', 'b', ?1)",
                [stale],
            )?;
            conn.execute(
                "INSERT INTO user_sessions (id, user_id, created_at, expires_at)
                 VALUES ('gone', 'u1', 0, 1)",
                [],
            )?;
            assert_eq!(prune(conn)?, 1 + 1);
            assert_eq!(pending(conn)?, 1);
            assert!(live_user(conn, "live")?.is_some());
            Ok(())
        })
        .await
        .unwrap();
    }
}
