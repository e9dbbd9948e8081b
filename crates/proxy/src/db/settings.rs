//! The `settings` table: small values the proxy keeps across restarts.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::DbError;
use crate::vault::{SealError, Vault};

/// Key of the session signing key in `settings`.
const SESSION_KEY: &str = "session_signing_key";
/// Length of the session signing key in bytes.
pub const SESSION_KEY_LEN: usize = 32;

/// Where the session signing key is bound when sealed.
const SESSION_KEY_PLACE: &str = "settings.value/session_signing_key";

/// Returns the session signing key, generating 32 random bytes the first time, so
/// sessions and CSRF tokens survive restarts. It is kept sealed by `vault`; a key
/// an earlier version kept in clear, or one sealed with the old key while rotating,
/// is sealed again with the current key.
pub fn session_key(conn: &mut Connection, vault: &Vault) -> Result<[u8; SESSION_KEY_LEN], DbError> {
    let tx = conn.savepoint()?;
    let stored: Option<Value> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [SESSION_KEY],
            |row| row.get(0),
        )
        .optional()?;
    let (key, reseal) = match stored {
        Some(Value::Text(sealed)) => {
            let bytes = vault.open_bytes(SESSION_KEY_PLACE, &sealed)?;
            let key = <[u8; SESSION_KEY_LEN]>::try_from(bytes).map_err(|_| SealError)?;
            (key, vault.rotating())
        }
        Some(Value::Blob(clear)) if clear.len() == SESSION_KEY_LEN => {
            let mut key = [0u8; SESSION_KEY_LEN];
            key.copy_from_slice(&clear);
            (key, true)
        }
        _ => {
            let mut key = [0u8; SESSION_KEY_LEN];
            rand::fill(&mut key[..]);
            tracing::info!("generated a new session signing key");
            (key, true)
        }
    };
    if reseal {
        tx.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            rusqlite::params![SESSION_KEY, vault.seal(SESSION_KEY_PLACE, &key)],
        )?;
    }
    tx.commit()?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::super::Db;
    use super::*;
    use crate::vault::KEY_LEN;

    async fn key_of(
        path: &std::path::Path,
        vault: &Vault,
    ) -> Result<[u8; SESSION_KEY_LEN], DbError> {
        let vault = vault.clone();
        Db::open(path)
            .unwrap()
            .write(move |conn| session_key(conn, &vault))
            .await
    }

    #[tokio::test]
    async fn the_key_is_generated_once_and_kept_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        let vault = Vault::new(&[7; KEY_LEN], None);
        let first = key_of(&path, &vault).await.unwrap();
        assert_eq!(key_of(&path, &vault).await.unwrap(), first);
        let other = tempfile::tempdir().unwrap();
        assert_ne!(
            key_of(&other.path().join("test.db"), &vault).await.unwrap(),
            first
        );
        // Another key cannot open it; rotating from the first key can, and seals it anew.
        let next = Vault::new(&[8; KEY_LEN], None);
        assert!(matches!(
            key_of(&path, &next).await,
            Err(DbError::Sealed(_))
        ));
        let rotating = Vault::new(&[8; KEY_LEN], Some(&[7; KEY_LEN]));
        assert_eq!(key_of(&path, &rotating).await.unwrap(), first);
        assert_eq!(key_of(&path, &next).await.unwrap(), first);
    }

    #[tokio::test]
    async fn a_key_kept_in_clear_by_an_earlier_version_is_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        let clear = [3u8; SESSION_KEY_LEN];
        Db::open(&path)
            .unwrap()
            .write(move |conn| {
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                    rusqlite::params![SESSION_KEY, &clear[..]],
                )?;
                Ok(())
            })
            .await
            .unwrap();
        let vault = Vault::new(&[7; KEY_LEN], None);
        assert_eq!(key_of(&path, &vault).await.unwrap(), clear);
        let stored: Value = Db::open(&path)
            .unwrap()
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT value FROM settings WHERE key = ?1",
                    [SESSION_KEY],
                    |row| row.get(0),
                )?)
            })
            .await
            .unwrap();
        assert!(matches!(stored, Value::Text(text) if crate::vault::is_sealed(&text)));
    }
}
