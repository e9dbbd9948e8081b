//! The `settings` table: small values the proxy keeps across restarts.

use rusqlite::{Connection, OptionalExtension};

use super::DbError;

/// Key of the session signing key in `settings`.
const SESSION_KEY: &str = "session_signing_key";
/// Length of the session signing key in bytes.
pub const SESSION_KEY_LEN: usize = 32;

/// Returns the session signing key, generating and storing 32 random bytes the
/// first time, so sessions and CSRF tokens survive restarts.
pub fn session_key(conn: &mut Connection) -> Result<[u8; SESSION_KEY_LEN], DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let stored: Option<Vec<u8>> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [SESSION_KEY],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(key) = stored.and_then(|bytes| <[u8; SESSION_KEY_LEN]>::try_from(bytes).ok()) {
        return Ok(key);
    }
    let mut key = [0u8; SESSION_KEY_LEN];
    rand::fill(&mut key[..]);
    tx.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        rusqlite::params![SESSION_KEY, &key[..]],
    )?;
    tx.commit()?;
    tracing::info!("generated a new session signing key");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::super::Db;

    #[tokio::test]
    async fn the_key_is_generated_once_and_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        let first = Db::open(&path)
            .unwrap()
            .write(super::session_key)
            .await
            .unwrap();
        let again = Db::open(&path)
            .unwrap()
            .write(super::session_key)
            .await
            .unwrap();
        assert_eq!(first, again);
        let other = tempfile::tempdir().unwrap();
        let fresh = Db::open(&other.path().join("test.db"))
            .unwrap()
            .write(super::session_key)
            .await
            .unwrap();
        assert_ne!(first, fresh);
    }
}
