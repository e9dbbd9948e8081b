//! Signed-in users (`zoom_users`), their sessions (`user_sessions`) and the
//! sign-ins under way between the redirect to Zoom and the callback
//! (`oauth_pending`). Times are Unix seconds.

use rusqlite::{params, Connection, OptionalExtension};

use super::DbError;

/// How long a sign-in may take from the redirect to Zoom to the callback.
pub const PENDING_SECS: i64 = 600;

/// What Zoom said about a user who signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUser {
    /// Zoom's user id.
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// The phone profile as JSON (extension and numbers), for `/api/me`.
    pub profile: String,
}

/// The user of session `id` while it is live.
pub fn live_user(conn: &mut Connection, id: &str) -> Result<Option<String>, DbError> {
    let now = now();
    Ok(conn
        .query_row(
            "SELECT user_id FROM user_sessions WHERE id = ?1 AND expires_at > ?2",
            params![id, now],
            |row| row.get(0),
        )
        .optional()?)
}

/// Stores `user` and starts session `id` for them, lasting `ttl_secs`; drops
/// expired sessions and sign-ins on the way.
pub fn start(
    conn: &mut Connection,
    user: &StoredUser,
    id: &str,
    ttl_secs: i64,
) -> Result<(), DbError> {
    let now = now();
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO zoom_users (id, email, name, profile, updated_at)
         VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name,
             profile = excluded.profile, updated_at = excluded.updated_at",
        params![user.id, user.email, user.name, user.profile],
    )?;
    tx.execute(
        "INSERT INTO user_sessions (id, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, user.id, now, now + ttl_secs],
    )?;
    tx.execute("DELETE FROM user_sessions WHERE expires_at <= ?1", [now])?;
    tx.execute(
        "DELETE FROM oauth_pending WHERE created_at <= ?1",
        [now - PENDING_SECS],
    )?;
    tx.commit()?;
    Ok(())
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

/// The stored user `id`.
pub fn user(conn: &mut Connection, id: &str) -> Result<Option<StoredUser>, DbError> {
    Ok(conn
        .query_row(
            "SELECT id, email, name, profile FROM zoom_users WHERE id = ?1",
            [id],
            |row| {
                Ok(StoredUser {
                    id: row.get(0)?,
                    email: row.get(1)?,
                    name: row.get(2)?,
                    profile: row.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Remembers a sign-in under way: its `state`, PKCE verifier and the key of
/// the browser that started it.
pub fn remember_pending(
    conn: &mut Connection,
    state: &str,
    verifier: &str,
    browser_key: &str,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO oauth_pending (state, verifier, browser_key, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![state, verifier, browser_key, now()],
    )?;
    Ok(())
}

/// Takes (single use) the verifier of the sign-in `state` started by
/// `browser_key` less than [`PENDING_SECS`] ago.
pub fn take_pending(
    conn: &mut Connection,
    state: &str,
    browser_key: &str,
) -> Result<Option<String>, DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
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

    fn user() -> StoredUser {
        StoredUser {
            id: "u1".into(),
            email: "riley@example.com".into(),
            name: "Riley".into(),
            profile: "{}".into(),
        }
    }

    #[tokio::test]
    async fn sessions_live_until_ended_and_pending_sign_ins_are_single_use() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        db.write(|conn| {
            start(conn, &user(), "s1", 60)?;
            start(conn, &user(), "s0", -1)?;
            assert_eq!(live_user(conn, "s1")?, Some("u1".to_owned()));
            assert_eq!(live_user(conn, "s0")?, None);
            end(conn, "s1")?;
            assert_eq!(live_user(conn, "s1")?, None);
            start(conn, &user(), "s2", 60)?;
            start(conn, &user(), "s3", 60)?;
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
}
