//! Access tokens that work: each user's pair in `zoom_tokens`, sealed by the
//! [`Vault`] and refreshed once per user however many requests need it (single
//! flight), the rotated pair committed before it is used; and the
//! server-to-server token, cached and renewed five minutes before it expires.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{params, OptionalExtension};

use super::error::ZoomError;
use super::oauth::{now_unix, AccessToken, OAuth, TokenSet};
use crate::config::Secret;
use crate::db::{Db, DbError};
use crate::vault::{is_sealed, Vault};

/// A user's access token is refreshed when it expires within this many seconds.
pub const USER_REFRESH_MARGIN_SECS: i64 = 60;
/// The server-to-server token is renewed when it expires within this many seconds.
pub const APP_RENEW_MARGIN_SECS: i64 = 300;

/// A stored pair, opened, with the refresh token as stored (the refresh's update
/// applies only while the row still holds it).
struct Stored {
    access: Secret,
    refresh: Secret,
    refresh_stored: String,
    expires_at: i64,
}

/// The users' tokens in the database; cheap to clone.
#[derive(Clone)]
pub struct UserTokens {
    db: Db,
    vault: Vault,
    oauth: OAuth,
    /// One lock per user: only its holder refreshes that user's pair.
    flights: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl UserTokens {
    /// Tokens in `db`, sealed by `vault`, refreshed through `oauth`.
    pub fn new(db: Db, vault: Vault, oauth: OAuth) -> Self {
        Self {
            db,
            vault,
            oauth,
            flights: Arc::default(),
        }
    }

    /// Stores the pair of a user who just signed in, replacing any earlier
    /// one. The user must already be in `zoom_users`.
    pub async fn save(&self, user_id: &str, tokens: TokenSet) -> Result<(), ZoomError> {
        let user_id = user_id.to_owned();
        let vault = self.vault.clone();
        self.db
            .write(move |conn| {
                upsert(conn, &vault, &user_id, &tokens)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Revokes a user's pair at Zoom (the refresh token, then the access token) and
    /// deletes it. A revocation Zoom refuses or cannot take is logged, and the pair is
    /// deleted all the same: the proxy never uses it again.
    pub async fn revoke(&self, user_id: &str) -> Result<(), ZoomError> {
        if let Some(stored) = self.load(user_id).await? {
            for token in [&stored.refresh, &stored.access] {
                if let Err(err) = self.oauth.revoke(token).await {
                    tracing::warn!(error = %err, "Zoom did not revoke a token; it is deleted here");
                }
            }
        }
        self.forget(user_id).await
    }

    /// Deletes a user's pair (sign-out, or a refresh Zoom refused).
    pub async fn forget(&self, user_id: &str) -> Result<(), ZoomError> {
        let user_id = user_id.to_owned();
        self.db
            .write(move |conn| {
                conn.execute("DELETE FROM zoom_tokens WHERE user_id = ?1", [&user_id])?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// A valid access token for `user_id`, refreshed first when it expires
    /// within [`USER_REFRESH_MARGIN_SECS`]. [`ZoomError::SignInAgain`] when
    /// the user has no tokens or Zoom refuses the refresh.
    pub async fn access(&self, user_id: &str) -> Result<Secret, ZoomError> {
        let stored = self.load(user_id).await?.ok_or(ZoomError::SignInAgain)?;
        if fresh(&stored) {
            return Ok(stored.access);
        }
        let flight = self.flight(user_id);
        let _held = flight.lock().await;
        // Another caller may have refreshed while this one waited.
        let stored = self.load(user_id).await?.ok_or(ZoomError::SignInAgain)?;
        if fresh(&stored) {
            return Ok(stored.access);
        }
        self.refresh_stored(user_id, stored).await
    }

    /// A new access token after Zoom refused `stale` (code 124): refreshes
    /// only if the stored token is still `stale`, else returns the stored one
    /// (another request refreshed already).
    pub async fn force_refresh(&self, user_id: &str, stale: &Secret) -> Result<Secret, ZoomError> {
        let flight = self.flight(user_id);
        let _held = flight.lock().await;
        let stored = self.load(user_id).await?.ok_or(ZoomError::SignInAgain)?;
        if stored.access != *stale {
            return Ok(stored.access);
        }
        self.refresh_stored(user_id, stored).await
    }

    /// Refreshes `stored` with the user's flight lock held: the new pair is
    /// committed before its access token is handed out; a refused refresh
    /// deletes the pair, so the dead refresh token is never sent again.
    async fn refresh_stored(&self, user_id: &str, stored: Stored) -> Result<Secret, ZoomError> {
        match self.oauth.refresh(&stored.refresh).await {
            Ok(tokens) => {
                let access = tokens.access.token.clone();
                let owner = user_id.to_owned();
                let old_refresh = stored.refresh_stored;
                let sealed = SealedPair::new(&self.vault, &owner, &tokens);
                let written = self
                    .db
                    .write(move |conn| {
                        let tx = conn.savepoint()?;
                        let changed = tx.execute(
                            "UPDATE zoom_tokens SET access_token = ?2, refresh_token = ?3,
                                 expires_at = ?4, scope = ?5, api_url = ?6,
                                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                             WHERE user_id = ?1 AND refresh_token = ?7",
                            params![
                                owner,
                                sealed.access,
                                sealed.refresh,
                                tokens.access.expires_at,
                                tokens.scope,
                                tokens.api_url,
                                old_refresh,
                            ],
                        )?;
                        tx.commit()?;
                        Ok(changed)
                    })
                    .await?;
                if written == 0 {
                    // Signed out (or signed in again) meanwhile: the new pair
                    // belongs to nobody.
                    return Err(ZoomError::SignInAgain);
                }
                tracing::debug!("refreshed a user's Zoom token");
                Ok(access)
            }
            Err(ZoomError::SignInAgain) => {
                tracing::info!("Zoom refused a refresh; the user must sign in again");
                self.forget(user_id).await?;
                Err(ZoomError::SignInAgain)
            }
            Err(err) => Err(err),
        }
    }

    async fn load(&self, user_id: &str) -> Result<Option<Stored>, ZoomError> {
        let owner = user_id.to_owned();
        let vault = self.vault.clone();
        let stored = self
            .db
            .read(move |conn| {
                let row: Option<(String, String, i64)> = conn
                    .query_row(
                        "SELECT access_token, refresh_token, expires_at FROM zoom_tokens
                         WHERE user_id = ?1",
                        [&owner],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )
                    .optional()?;
                let Some((access_sealed, refresh_sealed, expires_at)) = row else {
                    return Ok(None);
                };
                let opened = vault
                    .open_secret(&place("access_token", &owner), &access_sealed)
                    .and_then(|access| {
                        let refresh =
                            vault.open_secret(&place("refresh_token", &owner), &refresh_sealed)?;
                        Ok(Stored {
                            access,
                            refresh,
                            refresh_stored: refresh_sealed,
                            expires_at,
                        })
                    });
                Ok(Some(opened))
            })
            .await?;
        match stored {
            None => Ok(None),
            Some(Ok(stored)) => Ok(Some(stored)),
            // A pair that does not open is as dead as one Zoom refuses: it goes, and
            // the user signs in again.
            Some(Err(_)) => {
                tracing::warn!("a stored Zoom token does not open; the user must sign in again");
                self.forget(user_id).await?;
                Ok(None)
            }
        }
    }

    fn flight(&self, user_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.flights.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(flights.entry(user_id.to_owned()).or_default())
    }
}

/// Whether a stored access token has more than the margin left.
fn fresh(stored: &Stored) -> bool {
    stored.expires_at - USER_REFRESH_MARGIN_SECS > now_unix()
}

/// Where a user's token is bound when sealed.
fn place(column: &str, user_id: &str) -> String {
    format!("zoom_tokens.{column}/{user_id}")
}

/// A pair sealed for its user's row.
struct SealedPair {
    access: String,
    refresh: String,
}

impl SealedPair {
    fn new(vault: &Vault, user_id: &str, tokens: &TokenSet) -> Self {
        Self {
            access: vault.seal(
                &place("access_token", user_id),
                tokens.access.token.expose().as_bytes(),
            ),
            refresh: vault.seal(
                &place("refresh_token", user_id),
                tokens.refresh_token.expose().as_bytes(),
            ),
        }
    }
}

/// Seals every stored pair with the vault's current key: pairs an earlier version
/// kept in clear, and (while rotating) pairs sealed with the old key. Returns how
/// many were sealed anew.
pub fn reseal_all(conn: &mut rusqlite::Connection, vault: &Vault) -> Result<usize, DbError> {
    let tx = conn.savepoint()?;
    let rows: Vec<(String, String, String)> = tx
        .prepare("SELECT user_id, access_token, refresh_token FROM zoom_tokens")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut resealed = 0;
    for (user_id, access, refresh) in rows {
        let clear = !is_sealed(&access) || !is_sealed(&refresh);
        if !clear && !vault.rotating() {
            continue;
        }
        let open = |column: &str, stored: String| -> Result<Vec<u8>, DbError> {
            if is_sealed(&stored) {
                Ok(vault.open_bytes(&place(column, &user_id), &stored)?)
            } else {
                Ok(stored.into_bytes())
            }
        };
        let access = vault.seal(
            &place("access_token", &user_id),
            &open("access_token", access)?,
        );
        let refresh = vault.seal(
            &place("refresh_token", &user_id),
            &open("refresh_token", refresh)?,
        );
        tx.execute(
            "UPDATE zoom_tokens SET access_token = ?2, refresh_token = ?3 WHERE user_id = ?1",
            params![user_id, access, refresh],
        )?;
        resealed += 1;
    }
    tx.commit()?;
    Ok(resealed)
}

/// Inserts or replaces a user's pair, sealed.
pub fn upsert(
    conn: &rusqlite::Connection,
    vault: &Vault,
    user_id: &str,
    tokens: &TokenSet,
) -> rusqlite::Result<()> {
    let sealed = SealedPair::new(vault, user_id, tokens);
    conn.execute(
        "INSERT INTO zoom_tokens
             (user_id, access_token, refresh_token, expires_at, scope, api_url, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ON CONFLICT (user_id) DO UPDATE SET
             access_token = excluded.access_token, refresh_token = excluded.refresh_token,
             expires_at = excluded.expires_at, scope = excluded.scope,
             api_url = excluded.api_url, updated_at = excluded.updated_at",
        params![
            user_id,
            sealed.access,
            sealed.refresh,
            tokens.access.expires_at,
            tokens.scope,
            tokens.api_url,
        ],
    )?;
    Ok(())
}

/// The server-to-server token, cached in memory; cheap to clone.
#[derive(Clone)]
pub struct AppTokens {
    oauth: OAuth,
    /// The cached token; holding the lock is the single flight of a renewal.
    current: Arc<tokio::sync::Mutex<Option<AccessToken>>>,
}

impl AppTokens {
    /// Tokens from `oauth`'s `account_credentials` grant.
    pub fn new(oauth: OAuth) -> Self {
        Self {
            oauth,
            current: Arc::default(),
        }
    }

    /// A token with more than [`APP_RENEW_MARGIN_SECS`] left, renewed if needed.
    pub async fn access(&self) -> Result<Secret, ZoomError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current
            .as_ref()
            .filter(|token| token.expires_at - APP_RENEW_MARGIN_SECS > now_unix())
        {
            return Ok(token.token.clone());
        }
        let token = self.oauth.account_credentials().await?;
        let access = token.token.clone();
        *current = Some(token);
        Ok(access)
    }

    /// A new token after Zoom refused `stale` (code 124), unless another
    /// request renewed it already.
    pub async fn renew(&self, stale: &Secret) -> Result<Secret, ZoomError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|token| token.token != *stale) {
            return Ok(token.token.clone());
        }
        *current = None;
        let token = self.oauth.account_credentials().await?;
        let access = token.token.clone();
        *current = Some(token);
        Ok(access)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::KEY_LEN;

    fn stored(conn: &rusqlite::Connection) -> (String, String) {
        conn.query_row(
            "SELECT access_token, refresh_token FROM zoom_tokens WHERE user_id = 'u1'",
            [],
            |row| Ok((row.get(0).unwrap(), row.get(1).unwrap())),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn pairs_in_clear_are_sealed_and_a_rotation_seals_them_anew() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        let (a, b) = ([1u8; KEY_LEN], [2u8; KEY_LEN]);
        db.write(move |conn| {
            conn.execute_batch(
                "INSERT INTO zoom_users (id, email, name, profile, updated_at)
                     VALUES ('u1', 'u1@example.com', 'U', '{}', 'now');
                 INSERT INTO zoom_tokens (user_id, access_token, refresh_token, expires_at, scope, updated_at)
                     VALUES ('u1', 'eyJ.access', 'eyJ.refresh', 0, '', 'now');",
            )?;
            // An earlier version's pair in clear: sealed with the current key.
            let with_a = Vault::new(&a, None);
            assert_eq!(reseal_all(conn, &with_a)?, 1);
            let (access, refresh) = stored(conn);
            assert!(is_sealed(&access) && is_sealed(&refresh));
            let opened = with_a.open_secret("zoom_tokens.access_token/u1", &access)?;
            assert_eq!(opened.expose(), "eyJ.access");
            assert_eq!(reseal_all(conn, &with_a)?, 0, "nothing to do without a rotation");
            // Rotating from a to b: everything is sealed with b, which alone opens it.
            assert_eq!(reseal_all(conn, &Vault::new(&b, Some(&a)))?, 1);
            let (access, refresh) = stored(conn);
            let with_b = Vault::new(&b, None);
            let opened = with_b.open_secret("zoom_tokens.refresh_token/u1", &refresh)?;
            assert_eq!(opened.expose(), "eyJ.refresh");
            assert!(with_a.open_secret("zoom_tokens.access_token/u1", &access).is_err());
            // The wrong key does not pass for a rotation.
            assert!(matches!(
                reseal_all(conn, &Vault::new(&[3; KEY_LEN], Some(&a))),
                Err(DbError::Sealed(_))
            ));
            Ok(())
        })
        .await
        .unwrap();
    }
}
