//! Access tokens that work: each user's pair in `zoom_tokens`, refreshed
//! once per user however many requests need it (single flight), the rotated
//! pair committed before it is used; and the server-to-server token, cached
//! and renewed five minutes before it expires.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{params, OptionalExtension};

use super::error::ZoomError;
use super::oauth::{now_unix, AccessToken, OAuth, TokenSet};
use crate::config::Secret;
use crate::db::Db;

/// A user's access token is refreshed when it expires within this many seconds.
pub const USER_REFRESH_MARGIN_SECS: i64 = 60;
/// The server-to-server token is renewed when it expires within this many seconds.
pub const APP_RENEW_MARGIN_SECS: i64 = 300;

/// A stored pair.
struct Stored {
    access: Secret,
    refresh: Secret,
    expires_at: i64,
}

/// The users' tokens in the database; cheap to clone.
#[derive(Clone)]
pub struct UserTokens {
    db: Db,
    oauth: OAuth,
    /// One lock per user: only its holder refreshes that user's pair.
    flights: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl UserTokens {
    /// Tokens in `db`, refreshed through `oauth`.
    pub fn new(db: Db, oauth: OAuth) -> Self {
        Self {
            db,
            oauth,
            flights: Arc::default(),
        }
    }

    /// Stores the pair of a user who just signed in, replacing any earlier
    /// one. The user must already be in `zoom_users`.
    pub async fn save(&self, user_id: &str, tokens: TokenSet) -> Result<(), ZoomError> {
        let user_id = user_id.to_owned();
        self.db
            .write(move |conn| {
                upsert(conn, &user_id, &tokens)?;
                Ok(())
            })
            .await?;
        Ok(())
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
                let old_refresh = stored.refresh;
                let written = self
                    .db
                    .write(move |conn| {
                        let tx = conn.transaction()?;
                        let changed = tx.execute(
                            "UPDATE zoom_tokens SET access_token = ?2, refresh_token = ?3,
                                 expires_at = ?4, scope = ?5, api_url = ?6,
                                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                             WHERE user_id = ?1 AND refresh_token = ?7",
                            params![
                                owner,
                                tokens.access.token.expose(),
                                tokens.refresh_token.expose(),
                                tokens.access.expires_at,
                                tokens.scope,
                                tokens.api_url,
                                old_refresh.expose(),
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
        let user_id = user_id.to_owned();
        let stored = self
            .db
            .read(move |conn| {
                let row = conn
                    .query_row(
                        "SELECT access_token, refresh_token, expires_at FROM zoom_tokens
                         WHERE user_id = ?1",
                        [&user_id],
                        |row| {
                            Ok(Stored {
                                access: Secret::new(row.get::<_, String>(0)?),
                                refresh: Secret::new(row.get::<_, String>(1)?),
                                expires_at: row.get(2)?,
                            })
                        },
                    )
                    .optional()?;
                Ok(row)
            })
            .await?;
        Ok(stored)
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

/// Inserts or replaces a user's pair.
pub fn upsert(
    conn: &rusqlite::Connection,
    user_id: &str,
    tokens: &TokenSet,
) -> rusqlite::Result<()> {
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
            tokens.access.token.expose(),
            tokens.refresh_token.expose(),
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
