//! The only Zoom client of dialdesk: OAuth sign-in and tokens, REST lookups
//! with retries, paging and caching, and recording downloads (contract §5).
//!
//! One module per job: [`settings`] (where Zoom is, from the environment),
//! [`oauth`] (PKCE, code exchange, refresh, server-to-server tokens),
//! [`tokens`] (stored user tokens with single-flight refresh, the cached app
//! token), [`client`] (GET with the bearer token, 429/5xx/124 handling),
//! [`answer`] (what an error answer means), [`retry`] (waits and back-off),
//! [`paging`] (every page of a listing), [`windows`] (month windows of a
//! date range), [`cache`] (answers of heavy endpoints kept a minute),
//! [`lookups`] (typed answers) and [`download`] (recordings, streamed).
//! [`Zoom`] bundles them for handlers.

pub mod answer;
pub mod cache;
pub mod client;
pub mod download;
pub mod error;
pub mod lookups;
pub mod oauth;
pub mod paging;
pub mod retry;
pub mod settings;
pub mod tokens;
pub mod windows;

use std::sync::Arc;

use rusqlite::params;
use serde::de::DeserializeOwned;
use url::Url;

use crate::days::Day;
use crate::db::Db;
use crate::vault::Vault;
use cache::{answer_cache, AnswerCache, CacheKey, DEFAULT_CAPACITY, DEFAULT_TTL};
use client::{http_client, Bearer, ZoomClient};
use oauth::OAuth;
use tokens::{AppTokens, UserTokens};

pub use client::Auth;
pub use download::RecordingStream;
pub use error::ZoomError;
pub use lookups::{
    CallDetail, CallElement, CallFilter, CallParty, CallRecord, DirectoryContact, ExternalContact,
    PhoneUser, RecordingInfo, SideEmails,
};
pub use oauth::{AccessToken, Pkce, TokenSet};
pub use settings::{SettingsError, ZoomSettings};

/// Signed-in users whose identity is kept (one entry each).
const PEOPLE_CAPACITY: u64 = 1024;

/// Everything Zoom for handlers; cheap to clone.
#[derive(Clone)]
pub struct Zoom {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Arc<ZoomSettings>,
    db: Db,
    vault: Vault,
    oauth: OAuth,
    users: UserTokens,
    client: ZoomClient,
    history: AnswerCache<CacheKey, Vec<CallRecord>>,
    people: AnswerCache<String, PhoneUser>,
}

impl Zoom {
    /// The Zoom client for `settings`, keeping user tokens in `db`, sealed by `vault`.
    pub fn new(settings: ZoomSettings, db: Db, vault: Vault) -> Result<Self, ZoomError> {
        let settings = Arc::new(settings);
        let http = http_client()?;
        let oauth = OAuth::new(http.clone(), Arc::clone(&settings));
        let users = UserTokens::new(db.clone(), vault.clone(), oauth.clone());
        let app = AppTokens::new(oauth.clone());
        let client = ZoomClient::new(http, Arc::clone(&settings), users.clone(), app);
        Ok(Self {
            inner: Arc::new(Inner {
                settings,
                db,
                vault,
                oauth,
                users,
                client,
                history: answer_cache(DEFAULT_TTL, DEFAULT_CAPACITY),
                people: answer_cache(DEFAULT_TTL, PEOPLE_CAPACITY),
            }),
        })
    }

    /// The settings in use.
    pub fn settings(&self) -> &ZoomSettings {
        &self.inner.settings
    }

    /// Whose token account-wide lookups (external contacts, call history)
    /// use for `user_id`: the server-to-server app when configured, else the
    /// user's own.
    pub fn account_auth(&self, user_id: &str) -> Auth {
        if self.inner.settings.s2s.is_some() {
            Auth::App
        } else {
            Auth::User(user_id.to_owned())
        }
    }

    /// Where to send the browser to sign in with Zoom.
    pub fn authorize_url(&self, state: &str, challenge: &str) -> Result<Url, ZoomError> {
        self.inner.oauth.authorize_url(state, challenge)
    }

    /// Exchanges the callback's `code` with the PKCE `verifier` for a token pair.
    pub async fn exchange_code(&self, code: &str, verifier: &str) -> Result<TokenSet, ZoomError> {
        self.inner.oauth.exchange_code(code, verifier).await
    }

    /// Completes a sign-in: exchanges `code`, asks Zoom who signed in, and
    /// stores the user (`zoom_users`) and their pair (`zoom_tokens`) in one
    /// transaction.
    pub async fn sign_in(&self, code: &str, verifier: &str) -> Result<PhoneUser, ZoomError> {
        let tokens = self.exchange_code(code, verifier).await?;
        let user = lookups::me(&self.inner.client, Bearer::Fresh(&tokens.access.token)).await?;
        let settings = &self.inner.settings;
        if !settings.allows_account(user.account_id.as_deref()) {
            // Nothing of the user is kept, and Zoom is told the pair is not wanted.
            for token in [&tokens.refresh_token, &tokens.access.token] {
                if let Err(err) = self.inner.oauth.revoke(token).await {
                    tracing::warn!(error = %err, "Zoom did not revoke a refused sign-in's token");
                }
            }
            tracing::warn!(
                account = user.account_id.as_deref().unwrap_or("none"),
                "refused a sign-in from a Zoom account not allowed"
            );
            return Err(ZoomError::AccountNotAllowed {
                account: user.account_id,
                none_allowed: settings.allowed_accounts.is_empty(),
            });
        }
        let stored = user.clone();
        let vault = self.inner.vault.clone();
        let profile = serde_json::to_string(&user)
            .map_err(|err| ZoomError::BadResponse(format!("user profile: {err}")))?;
        self.inner
            .db
            .write(move |conn| {
                let tx = conn.savepoint()?;
                tx.execute(
                    "INSERT INTO zoom_users (id, email, name, profile, updated_at)
                     VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                     ON CONFLICT (id) DO UPDATE SET email = excluded.email,
                         name = excluded.name, profile = excluded.profile,
                         updated_at = excluded.updated_at",
                    params![stored.id, stored.email, stored.name, profile],
                )?;
                tokens::upsert(&tx, &vault, &stored.id, &tokens)?;
                tx.commit()?;
                Ok(())
            })
            .await?;
        tracing::info!("a Zoom user signed in");
        Ok(user)
    }

    /// Stores a user's pair (the user must be in `zoom_users`).
    pub async fn save_tokens(&self, user_id: &str, tokens: TokenSet) -> Result<(), ZoomError> {
        self.inner.users.save(user_id, tokens).await
    }

    /// Deletes a user's pair (sign-out).
    pub async fn forget_tokens(&self, user_id: &str) -> Result<(), ZoomError> {
        self.inner.users.forget(user_id).await
    }

    /// Revokes a user's pair at Zoom and deletes it (sign out everywhere).
    pub async fn revoke_tokens(&self, user_id: &str) -> Result<(), ZoomError> {
        self.inner.users.revoke(user_id).await
    }

    /// GETs `path` under the API base with `query` for `auth`, read as `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        auth: &Auth,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ZoomError> {
        self.inner.client.get_json(auth, path, query).await
    }

    /// The signed-in user and their phone identity, asked of Zoom.
    pub async fn me(&self, user_id: &str) -> Result<PhoneUser, ZoomError> {
        let auth = Auth::User(user_id.to_owned());
        lookups::me(&self.inner.client, Bearer::Stored(&auth)).await
    }

    /// [`Self::me`], kept a minute: every page load and call-history view
    /// asks for it. Asked at once by several requests, it reaches Zoom once.
    pub async fn identity(&self, user_id: &str) -> Result<PhoneUser, ZoomError> {
        self.inner
            .people
            .try_get_with(user_id.to_owned(), self.me(user_id))
            .await
            .map_err(ZoomError::from)
    }

    /// People of the company directory matching `search` (first page).
    pub async fn directory(
        &self,
        user_id: &str,
        search: &str,
    ) -> Result<Vec<DirectoryContact>, ZoomError> {
        let auth = Auth::User(user_id.to_owned());
        lookups::directory(&self.inner.client, &auth, search).await
    }

    /// Every external contact (with the app token when configured);
    /// `progress` hears how many were read after each page.
    pub async fn external_contacts(
        &self,
        user_id: &str,
        progress: impl FnMut(usize),
    ) -> Result<Vec<ExternalContact>, ZoomError> {
        let auth = self.account_auth(user_id);
        lookups::external_contacts(&self.inner.client, &auth, progress).await
    }

    /// The calls of `from..=to` (UTC days) matching `filter`, newest month
    /// first; a month at a time, every page, cached for a minute.
    pub async fn call_history(
        &self,
        auth: &Auth,
        from: Day,
        to: Day,
        filter: &CallFilter,
    ) -> Result<Vec<CallRecord>, ZoomError> {
        let inner = &self.inner;
        lookups::call_history(&inner.client, &inner.history, auth, (from, to), filter).await
    }

    /// The calls of one user from `from` to `to` (UTC days): `user` is `me` with the
    /// user's own token, their id with the account's.
    pub async fn user_call_history(
        &self,
        auth: &Auth,
        user: &str,
        from: Day,
        to: Day,
    ) -> Result<Vec<CallRecord>, ZoomError> {
        let inner = &self.inner;
        lookups::user_call_history(&inner.client, &inner.history, auth, user, (from, to)).await
    }

    /// A person of the account (an id or an e-mail), as Zoom Phone knows them.
    pub async fn phone_person(&self, auth: &Auth, user: &str) -> Result<PhoneUser, ZoomError> {
        lookups::phone_person(&self.inner.client, auth, user).await
    }

    /// A call with its elements.
    pub async fn call_detail(
        &self,
        auth: &Auth,
        call_history_uuid: &str,
    ) -> Result<CallDetail, ZoomError> {
        lookups::call_detail(&self.inner.client, auth, call_history_uuid).await
    }

    /// One call element.
    pub async fn call_element(
        &self,
        auth: &Auth,
        call_element_id: &str,
    ) -> Result<CallElement, ZoomError> {
        lookups::call_element(&self.inner.client, auth, call_element_id).await
    }

    /// The recording of a call (`callId` or `callLogId`): where it is and whose.
    pub async fn recording(&self, auth: &Auth, call_id: &str) -> Result<RecordingInfo, ZoomError> {
        lookups::recording(&self.inner.client, auth, call_id).await
    }

    /// A recording, streamed.
    pub async fn download_recording(
        &self,
        auth: &Auth,
        recording: RecordingInfo,
    ) -> Result<RecordingStream, ZoomError> {
        let inner = &self.inner;
        download::download(&inner.client, &inner.settings, auth, recording.download_url).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Handlers keep a `Zoom` in shared state and await its futures on any
    /// thread: all of them must be `Send`.
    #[test]
    fn the_facade_and_its_futures_cross_threads() {
        fn send<T: Send>(_: &T) {}
        fn shared<T: Send + Sync + Clone + 'static>() {}
        fn futures(
            zoom: &Zoom,
            auth: &Auth,
            day: Day,
            filter: &CallFilter,
            recording: &RecordingInfo,
        ) {
            send(&zoom.sign_in("code", "verifier"));
            send(&zoom.me("u"));
            send(&zoom.directory("u", "ana"));
            send(&zoom.external_contacts("u", |_| ()));
            send(&zoom.call_history(auth, day, day, filter));
            send(&zoom.user_call_history(auth, "me", day, day));
            send(&zoom.phone_person(auth, "u"));
            send(&zoom.call_detail(auth, "h"));
            send(&zoom.call_element(auth, "e"));
            send(&zoom.recording(auth, "c"));
            send(&zoom.download_recording(auth, recording.clone()));
            send(&zoom.get_json::<serde_json::Value>(auth, "/users/me", &[]));
        }
        shared::<Zoom>();
        let _checked: fn(&Zoom, &Auth, Day, &CallFilter, &RecordingInfo) = futures;
    }
}
