//! The Zoom client against the Zoom emulator of dialdesk-sim over real HTTP:
//! sign-in, token refresh (single flight, never reusing a dead refresh
//! token), every fault switch, paging, month windows, the cache, the legacy
//! fallback and recording downloads with hand-followed redirects.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use dialdesk_proxy::config::{Env, Secrets};
use dialdesk_proxy::days::Day;
use dialdesk_proxy::db::Db;
use dialdesk_proxy::vault::{Vault, KEY_LEN};
use dialdesk_proxy::zoom::tokens::reseal_all;
use dialdesk_proxy::zoom::{Auth, CallFilter, PhoneUser, Pkce, Zoom, ZoomError, ZoomSettings};
use dialdesk_sim::emulator::{spawn_for_tests, Credentials, RunningEmulator};
use futures_util::StreamExt as _;
use serde_json::{json, Value};
use tempfile::TempDir;

const REDIRECT: &str = "http://127.0.0.1:8080/auth/callback";
const AVA: &str = "ava.lindqvist@dialdesk.example";

/// An emulator, a database and a Zoom client pointed at them.
/// The key the tests' tokens are sealed with.
fn vault() -> Vault {
    Vault::new(&[9; KEY_LEN], None)
}

struct Rig {
    emu: RunningEmulator,
    zoom: Zoom,
    db: Db,
    http: reqwest::Client,
    _dir: TempDir,
}

impl Rig {
    async fn new() -> Self {
        Self::with(false, |_| ()).await
    }

    /// A rig with the S2S app configured or not, and settings adjusted by `tune`.
    async fn with(s2s: bool, tune: impl FnOnce(&mut ZoomSettings)) -> Self {
        let emu = spawn_for_tests(Credentials::demo()).await.unwrap();
        let creds = emu.credentials().clone();
        let mut pairs = vec![
            ("ZOOM_API_BASE", emu.api_base()),
            ("ZOOM_OAUTH_BASE", emu.oauth_base().to_owned()),
            ("ZOOM_DOWNLOAD_HOSTS", emu.file_host().to_owned()),
            ("ZOOM_CLIENT_ID", creds.client_id.clone()),
            ("ZOOM_CLIENT_SECRET", creds.client_secret.clone()),
            ("ZOOM_REDIRECT_URI", REDIRECT.to_owned()),
        ];
        if s2s {
            pairs.extend([
                ("ZOOM_ACCOUNT_ID", creds.account_id.clone()),
                ("ZOOM_S2S_CLIENT_ID", creds.s2s_client_id.clone()),
                ("ZOOM_S2S_CLIENT_SECRET", creds.s2s_client_secret.clone()),
            ]);
        }
        let env = Env::from_pairs(pairs);
        let mut settings = ZoomSettings::from_env(&env, &Secrets::from_env(&env), None).unwrap();
        // The one account the emulator's users belong to (its guest's is another).
        settings.allowed_accounts = vec![creds.account_id.clone()];
        tune(&mut settings);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zoom.db");
        let db = tokio::task::spawn_blocking(move || Db::open(&path))
            .await
            .unwrap()
            .unwrap();
        let zoom = Zoom::new(settings, db.clone(), vault()).unwrap();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            emu,
            zoom,
            db,
            http,
            _dir: dir,
        }
    }

    fn hook(&self, path: &str) -> String {
        format!("{}/__emu/{path}", self.emu.oauth_base())
    }

    async fn faults(&self, patch: Value) {
        let answer = self
            .http
            .post(self.hook("faults"))
            .json(&patch)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{patch}");
    }

    async fn reset(&self) {
        let answer = self.http.post(self.hook("reset")).send().await.unwrap();
        assert!(answer.status().is_success());
    }

    async fn requests(&self) -> Value {
        let answer = self.http.get(self.hook("requests")).send().await.unwrap();
        answer.json().await.unwrap()
    }

    /// Requests counted for `route` (`"GET /v2/users/me"`).
    async fn count(&self, route: &str) -> u64 {
        self.requests().await["by_route"][route]
            .as_u64()
            .unwrap_or(0)
    }

    async fn refresh_grants(&self) -> u64 {
        self.requests().await["grants"]["refresh_token"]
            .as_u64()
            .unwrap()
    }

    /// Signs `email` in through the emulator's authorize form and the callback exchange.
    async fn sign_in(&self, email: &str) -> PhoneUser {
        let pkce = Pkce::new();
        let code = self.code(email, &pkce).await;
        self.zoom.sign_in(&code, &pkce.verifier).await.unwrap()
    }

    /// The code the emulator's authorize form gives `email` for `pkce`'s challenge.
    async fn code(&self, email: &str, pkce: &Pkce) -> String {
        let authorize = self.zoom.authorize_url("st4te", &pkce.challenge).unwrap();
        let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
        form.push(("user".to_owned(), email.to_owned()));
        let answer = self
            .http
            .post(format!("{}/oauth/authorize", self.emu.oauth_base()))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 302);
        let location = answer.headers()["location"].to_str().unwrap();
        let back = url::Url::parse(location).unwrap();
        assert!(location.starts_with(REDIRECT), "{location}");
        let code = back
            .query_pairs()
            .find(|(name, _)| name == "code")
            .map(|(_, code)| code.into_owned())
            .unwrap();
        let state = back
            .query_pairs()
            .find(|(name, _)| name == "state")
            .unwrap()
            .1
            .into_owned();
        assert_eq!(state, "st4te");
        code
    }

    /// The stored pair of `user_id`, opened: (access, refresh, expires_at).
    async fn stored(&self, user_id: &str) -> Option<(String, String, i64)> {
        let owner = user_id.to_owned();
        let sealed: Option<(String, String, i64)> = self
            .db
            .read(move |conn| {
                let mut statement = conn.prepare(
                    "SELECT access_token, refresh_token, expires_at FROM zoom_tokens WHERE user_id = ?1",
                )?;
                let mut rows = statement.query([owner])?;
                Ok(match rows.next()? {
                    Some(row) => Some((row.get(0)?, row.get(1)?, row.get(2)?)),
                    None => None,
                })
            })
            .await
            .unwrap();
        let open = |column: &str, text: &str| {
            vault()
                .open_secret(&format!("zoom_tokens.{column}/{user_id}"), text)
                .expect("sealed with the rig's key")
                .expose()
                .to_owned()
        };
        sealed.map(|(access, refresh, expires_at)| {
            (
                open("access_token", &access),
                open("refresh_token", &refresh),
                expires_at,
            )
        })
    }

    /// Makes the stored access token of `user_id` expired as far as the proxy knows.
    async fn expire_stored(&self, user_id: &str) {
        let user_id = user_id.to_owned();
        self.db
            .write(move |conn| {
                conn.execute(
                    "UPDATE zoom_tokens SET expires_at = 0 WHERE user_id = ?1",
                    [user_id],
                )?;
                Ok(())
            })
            .await
            .unwrap();
    }
}

/// Today and `days` days before it, UTC.
fn recent(days: i64) -> (Day, Day) {
    let today = time::OffsetDateTime::now_utc().date();
    let day = |date: time::Date| Day::parse(&date.to_string()).unwrap();
    (day(today - time::Duration::days(days)), day(today))
}

#[tokio::test]
async fn sign_in_stores_the_user_and_their_tokens() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    assert_eq!(user.email, AVA);
    assert!(!user.name.is_empty());
    assert!(user.extension_number.is_some());
    assert!(!user.phone_numbers.is_empty());
    let (access, refresh, expires_at) = rig.stored(&user.id).await.unwrap();
    assert!(!access.is_empty() && !refresh.is_empty());
    assert!(expires_at > 1_000_000_000);
    assert_eq!(rig.zoom.me(&user.id).await.unwrap(), user);

    // The code is single use: a replay is a dead grant.
    let err = rig
        .zoom
        .exchange_code("not-a-code", "x".repeat(64).as_str())
        .await;
    assert!(matches!(err, Err(ZoomError::SignInAgain)), "{err:?}");
    // No token ever shows up in an error's text or the PKCE pair's debug output.
    let tokens: Value = rig
        .http
        .get(rig.hook("tokens"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let shown = format!("{:?} {:?}", rig.zoom.me("nobody").await, Pkce::new());
    for token in tokens["access_tokens"].as_array().unwrap() {
        assert!(!shown.contains(token.as_str().unwrap()));
    }
}

#[tokio::test]
async fn a_wrong_code_verifier_and_a_reused_code_are_refused() {
    let rig = Rig::new().await;
    let pkce = Pkce::new();
    let code = rig.code(AVA, &pkce).await;
    let wrong = Pkce::new();
    let err = rig.zoom.exchange_code(&code, &wrong.verifier).await;
    assert!(matches!(err, Err(ZoomError::SignInAgain)), "{err:?}");
    // Presented once with the wrong verifier, the code is spent.
    let err = rig.zoom.exchange_code(&code, &pkce.verifier).await;
    assert!(matches!(err, Err(ZoomError::SignInAgain)), "{err:?}");

    // Positive control, then a replay of a code that worked.
    let code = rig.code(AVA, &pkce).await;
    assert!(rig.zoom.exchange_code(&code, &pkce.verifier).await.is_ok());
    let err = rig.zoom.exchange_code(&code, &pkce.verifier).await;
    assert!(matches!(err, Err(ZoomError::SignInAgain)), "{err:?}");
    assert_eq!(rig.requests().await["grants"]["authorization_code"], 1);
}

#[tokio::test]
async fn unknown_users_must_sign_in() {
    let rig = Rig::new().await;
    assert!(matches!(
        rig.zoom.me("nobody").await,
        Err(ZoomError::SignInAgain)
    ));
    assert_eq!(rig.requests().await["total"], 0);
}

#[tokio::test]
async fn every_rate_limit_header_style_is_waited_out() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    for style in ["seconds", "http_date", "iso_date", "reset_only", "none"] {
        rig.reset().await;
        rig.faults(json!({"rate_limit": {"style": style, "times": 1}}))
            .await;
        let started = Instant::now();
        let me = rig.zoom.me(&user.id).await;
        assert!(me.is_ok(), "{style}: {me:?}");
        assert_eq!(rig.count("GET /v2/users/me").await, 2, "{style}");
        assert!(started.elapsed() < Duration::from_secs(5), "{style}");
    }
}

#[tokio::test]
async fn long_waits_are_not_slept_and_attempts_are_capped() {
    let rig = Rig::with(false, |settings| {
        settings.retry.max_wait = Duration::from_millis(100);
        settings.retry.base_backoff = Duration::from_millis(10);
        settings.retry.max_backoff = Duration::from_millis(40);
    })
    .await;
    let user = rig.sign_in(AVA).await;
    rig.reset().await;
    rig.faults(json!({"rate_limit": {"style": "seconds", "times": 1}}))
        .await;
    let started = Instant::now();
    let Err(ZoomError::RateLimited { retry_at }) = rig.zoom.me(&user.id).await else {
        panic!("not rate limited");
    };
    assert!(started.elapsed() < Duration::from_millis(900));
    assert!(retry_at > SystemTime::now());
    assert_eq!(rig.count("GET /v2/users/me").await, 1);

    // Without headers the client backs off (briefly here), at most four
    // attempts in all.
    rig.reset().await;
    rig.faults(json!({"rate_limit": {"style": "none", "times": 10}}))
        .await;
    assert!(matches!(
        rig.zoom.me(&user.id).await,
        Err(ZoomError::RateLimited { .. })
    ));
    assert_eq!(rig.count("GET /v2/users/me").await, 4);
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    let (old_access, old_refresh, _) = rig.stored(&user.id).await.unwrap();
    rig.reset().await;
    rig.faults(json!({"expire_access_tokens": true})).await;
    assert_eq!(rig.zoom.me(&user.id).await.unwrap().id, user.id);
    assert_eq!(rig.refresh_grants().await, 1);
    // 124 once, then the retry with the new token (and /phone/users/me with it).
    assert_eq!(rig.count("GET /v2/users/me").await, 2);
    let (access, refresh, _) = rig.stored(&user.id).await.unwrap();
    assert_ne!(access, old_access);
    assert_ne!(refresh, old_refresh);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_callers_with_an_expired_token_cause_one_refresh() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;

    // Expired as the database says.
    rig.expire_stored(&user.id).await;
    rig.reset().await;
    let calls = (0..10).map(|_| {
        let (zoom, id) = (rig.zoom.clone(), user.id.clone());
        tokio::spawn(async move { zoom.me(&id).await })
    });
    for call in futures_util::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap().id, user.id);
    }
    assert_eq!(rig.refresh_grants().await, 1);

    // Refused by Zoom (code 124) while the database thinks it fresh.
    rig.reset().await;
    rig.faults(json!({"expire_access_tokens": true})).await;
    let calls = (0..10).map(|_| {
        let (zoom, id) = (rig.zoom.clone(), user.id.clone());
        tokio::spawn(async move { zoom.me(&id).await })
    });
    for call in futures_util::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap().id, user.id);
    }
    assert_eq!(rig.refresh_grants().await, 1);
}

#[tokio::test]
async fn a_rotated_out_refresh_token_is_never_retried() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    let (_, refresh, _) = rig.stored(&user.id).await.unwrap();
    // Someone else uses the refresh token first: Zoom rotates it out.
    let creds = rig.emu.credentials();
    let answer = rig
        .http
        .post(format!("{}/oauth/token", rig.emu.oauth_base()))
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());

    rig.expire_stored(&user.id).await;
    rig.reset().await;
    assert!(matches!(
        rig.zoom.me(&user.id).await,
        Err(ZoomError::SignInAgain)
    ));
    assert_eq!(rig.count("POST /oauth/token").await, 1);
    assert_eq!(rig.stored(&user.id).await, None);
    // Later requests do not try the dead token again.
    assert!(matches!(
        rig.zoom.me(&user.id).await,
        Err(ZoomError::SignInAgain)
    ));
    assert!(matches!(
        rig.zoom.directory(&user.id, "ben").await,
        Err(ZoomError::SignInAgain)
    ));
    assert_eq!(rig.count("POST /oauth/token").await, 1);
    assert_eq!(rig.requests().await["total"], 1);
}

#[tokio::test]
async fn phone_not_enabled_and_missing_scopes_are_clear_and_not_retried() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    rig.reset().await;
    rig.faults(json!({"phone_not_enabled": true})).await;
    let err = rig
        .zoom
        .external_contacts(&user.id, |_| ())
        .await
        .unwrap_err();
    assert!(matches!(err, ZoomError::PhoneNotEnabled), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Zoom Phone is not enabled for this Zoom account"
    );
    assert_eq!(rig.count("GET /v2/phone/external_contacts").await, 1);
    // The directory is not a phone endpoint.
    assert!(!rig
        .zoom
        .directory(&user.id, "ben")
        .await
        .unwrap()
        .is_empty());

    rig.reset().await;
    rig.faults(json!({"missing_scope": true})).await;
    let err = rig.zoom.me(&user.id).await.unwrap_err();
    let ZoomError::MissingScope(message) = &err else {
        panic!("{err:?}");
    };
    assert!(message.contains("phone:read:admin"), "{message}");
    assert_eq!(rig.count("GET /v2/users/me").await, 1);
    assert_eq!(rig.refresh_grants().await, 0);
}

#[tokio::test]
async fn slow_answers_within_the_timeouts_are_fine() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    rig.faults(json!({"slow_ms": 400})).await;
    let started = Instant::now();
    assert_eq!(rig.zoom.me(&user.id).await.unwrap().id, user.id);
    assert!(started.elapsed() >= Duration::from_millis(800));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_contacts_are_paged_and_an_expired_page_token_restarts_once() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    rig.reset().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = {
        let seen = Arc::clone(&seen);
        move |count| seen.lock().unwrap().push(count)
    };
    let contacts = rig
        .zoom
        .external_contacts(&user.id, progress)
        .await
        .unwrap();
    let pages = rig.count("GET /v2/phone/external_contacts").await;
    assert!(contacts.len() > 600, "{}", contacts.len());
    assert_eq!(pages, contacts.len().div_ceil(300) as u64);
    assert_eq!(seen.lock().unwrap().last(), Some(&contacts.len()));
    let mut ids: Vec<&str> = contacts
        .iter()
        .map(|c| c.external_contact_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), contacts.len());

    // The page tokens expire after the first page: the listing starts over once.
    rig.reset().await;
    let hook = rig.hook("faults");
    let mut fired = false;
    let expire_after_first_page = move |count: usize| {
        if count == 300 && !fired {
            fired = true;
            let hook = hook.clone();
            tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(async move {
                    let answer = reqwest::Client::new()
                        .post(hook)
                        .json(&json!({"expire_page_tokens": true}))
                        .send()
                        .await
                        .unwrap();
                    assert!(answer.status().is_success());
                });
            });
        }
    };
    let (zoom, id) = (rig.zoom.clone(), user.id.clone());
    let again =
        tokio::spawn(async move { zoom.external_contacts(&id, expire_after_first_page).await })
            .await
            .unwrap()
            .unwrap();
    assert_eq!(again, contacts);
    // First page, the refused second page, then every page again.
    assert_eq!(
        rig.count("GET /v2/phone/external_contacts").await,
        2 + pages
    );
}

#[tokio::test]
async fn an_expired_page_token_is_its_own_error() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    let auth = Auth::User(user.id.clone());
    let path = "/phone/external_contacts";
    let first: Value = rig
        .zoom
        .get_json(&auth, path, &[("page_size", "10")])
        .await
        .unwrap();
    let token = first["next_page_token"].as_str().unwrap().to_owned();
    rig.faults(json!({"expire_page_tokens": true})).await;
    let query = [("page_size", "10"), ("next_page_token", token.as_str())];
    let err = rig
        .zoom
        .get_json::<Value>(&auth, path, &query)
        .await
        .unwrap_err();
    assert!(matches!(err, ZoomError::PageTokenExpired), "{err:?}");
}

#[tokio::test]
async fn call_history_is_read_a_month_at_a_time_and_cached() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    let auth = rig.zoom.account_auth(&user.id);
    assert_eq!(auth, Auth::User(user.id.clone()));
    let (from, to) = recent(80);
    rig.reset().await;
    let calls = rig
        .zoom
        .call_history(&auth, from, to, &CallFilter::default())
        .await
        .unwrap();
    let requests = rig.count("GET /v2/phone/call_history").await;
    // 81 days touch three or four calendar months, each several pages long.
    assert!(requests >= 3, "{requests}");
    assert!(calls.len() > 3_000, "{}", calls.len());
    assert!(calls.iter().all(|call| !call.call_id.is_empty()));
    assert!(calls.iter().all(|call| call.call_history_uuid.is_some()));
    let mut uuids: Vec<_> = calls.iter().map(|c| c.call_history_uuid.clone()).collect();
    uuids.sort_unstable();
    uuids.dedup();
    assert_eq!(uuids.len(), calls.len(), "windows overlap");

    // The same question within a minute does not reach Zoom.
    let total = rig.requests().await["total"].clone();
    let again = rig
        .zoom
        .call_history(&auth, from, to, &CallFilter::default())
        .await
        .unwrap();
    assert_eq!(again, calls);
    assert_eq!(rig.requests().await["total"], total);

    // Another filter is another question.
    let one = CallFilter {
        call_ids: vec![calls[0].call_id.clone()],
        ..CallFilter::default()
    };
    let found = rig.zoom.call_history(&auth, from, to, &one).await.unwrap();
    assert_eq!(found.first().map(|c| &c.call_id), Some(&calls[0].call_id));
    assert_ne!(rig.requests().await["total"], total);
}

#[tokio::test]
async fn legacy_call_logs_are_read_as_a_fallback() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    rig.faults(json!({"legacy_call_logs": true})).await;
    let (from, to) = recent(1);
    let calls = rig
        .zoom
        .call_history(
            &Auth::User(user.id.clone()),
            from,
            to,
            &CallFilter::default(),
        )
        .await
        .unwrap();
    assert!(!calls.is_empty());
    assert!(calls
        .iter()
        .all(|call| !call.call_id.is_empty() && call.call_history_uuid.is_none()));
    assert!(calls.iter().any(|call| call.caller.number.is_some()));
}

#[tokio::test]
async fn call_details_and_elements() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    let auth = Auth::User(user.id.clone());
    let (from, to) = recent(2);
    let calls = rig
        .zoom
        .call_history(&auth, from, to, &CallFilter::default())
        .await
        .unwrap();
    let uuid = calls[0].call_history_uuid.clone().unwrap();
    let detail = rig.zoom.call_detail(&auth, &uuid).await.unwrap();
    assert_eq!(detail.call_id.as_ref(), Some(&calls[0].call_id));
    let first = &detail.elements[0];
    let element = rig
        .zoom
        .call_element(&auth, &first.call_element_id)
        .await
        .unwrap();
    assert_eq!(element.call_element_id, first.call_element_id);
    assert_eq!(element.call_history_uuid.as_deref(), Some(uuid.as_str()));
    assert!(matches!(
        rig.zoom.call_detail(&auth, "../users/me").await,
        Err(ZoomError::InvalidId(_))
    ));
}

/// A recorded call of the last two days.
async fn recorded_call(rig: &Rig, auth: &Auth) -> String {
    let (from, to) = recent(2);
    let calls = rig
        .zoom
        .call_history(auth, from, to, &CallFilter::default())
        .await
        .unwrap();
    calls
        .into_iter()
        .find(|call| call.has_recording)
        .map(|call| call.call_id)
        .expect("a recorded call")
}

#[tokio::test]
async fn recordings_follow_the_redirect_to_the_file_host_without_the_token() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    let auth = Auth::User(user.id.clone());
    let call_id = recorded_call(&rig, &auth).await;
    rig.reset().await;
    let found = rig.zoom.recording(&auth, &call_id).await.unwrap();
    assert_eq!(found.call_id.as_deref(), Some(call_id.as_str()));
    assert!(
        found.owner_id.is_some(),
        "the owner decides who may play it"
    );
    let recording = rig.zoom.download_recording(&auth, found).await.unwrap();
    assert_eq!(recording.status, 200);
    assert_eq!(recording.content_type.as_deref(), Some("audio/wav"));
    let length = recording.content_length;
    let mut body = Vec::new();
    let mut stream = std::pin::pin!(recording.bytes_stream());
    while let Some(chunk) = stream.next().await {
        body.extend_from_slice(&chunk.unwrap());
    }
    assert!(body.starts_with(b"RIFF"));
    assert_eq!(length, Some(body.len() as u64));
    let counts = rig.requests().await;
    assert_eq!(counts["file_requests"], 1);
    assert_eq!(counts["file_requests_with_authorization"], 0);
    assert_eq!(
        counts["by_route"]["GET /v2/phone/recording/download/{file_id}"],
        1
    );
}

#[tokio::test]
async fn a_redirect_to_a_foreign_host_is_refused() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    let auth = Auth::User(user.id.clone());
    let call_id = recorded_call(&rig, &auth).await;
    rig.reset().await;
    rig.faults(json!({"download_redirect": "foreign_host"}))
        .await;
    let found = rig.zoom.recording(&auth, &call_id).await.unwrap();
    let err = rig.zoom.download_recording(&auth, found).await.unwrap_err();
    let ZoomError::DownloadRefused { host } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(host, "127.0.0.3:9");
    assert_eq!(rig.requests().await["file_requests"], 0);
    // No recording at all is a plain not-found.
    assert!(matches!(
        rig.zoom.recording(&auth, "no-such-call").await,
        Err(ZoomError::NotFound(_))
    ));
}

#[tokio::test]
async fn the_server_to_server_token_is_cached_and_renewed_after_124() {
    let rig = Rig::with(true, |_| ()).await;
    let user = rig.sign_in(AVA).await;
    let auth = rig.zoom.account_auth(&user.id);
    assert_eq!(auth, Auth::App);
    rig.reset().await;
    let contacts = rig.zoom.external_contacts(&user.id, |_| ()).await.unwrap();
    assert!(contacts.len() > 600);
    let (from, to) = recent(1);
    rig.zoom
        .call_history(&auth, from, to, &CallFilter::default())
        .await
        .unwrap();
    let grants = &rig.requests().await["grants"];
    assert_eq!(grants["account_credentials"], 1);
    assert_eq!(grants["refresh_token"], 0);

    rig.faults(json!({"expire_access_tokens": true})).await;
    rig.zoom.external_contacts(&user.id, |_| ()).await.unwrap();
    assert_eq!(rig.requests().await["grants"]["account_credentials"], 2);
}

#[tokio::test]
async fn directory_search() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    let people = rig.zoom.directory(&user.id, "ben").await.unwrap();
    assert!(people
        .iter()
        .any(|person| person.name.to_lowercase().contains("ben")));
    assert!(rig.zoom.directory(&user.id, "  ").await.unwrap().is_empty());
}

/// A stand-in Zoom for what the emulator has no switch for: an API that
/// refuses every token (124) and an endpoint that fails twice with 503.
/// Answers `(base URL, counters: [token requests, /users/me, /flaky])`.
async fn stub_zoom() -> (String, Arc<[std::sync::atomic::AtomicU64; 3]>) {
    use axum::http::StatusCode;
    use axum::routing::{get, post};
    use axum::Json;
    use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

    let counts: Arc<[AtomicU64; 3]> = Arc::new(Default::default());
    let (token, me, flaky) = (counts.clone(), counts.clone(), counts.clone());
    let router = axum::Router::new()
        .route(
            "/oauth/token",
            post(move || async move {
                let n = token[0].fetch_add(1, SeqCst);
                Json(
                    json!({"access_token": format!("fresh-{n}"), "refresh_token": format!("r-{n}"),
                            "expires_in": 3599, "scope": "phone:read"}),
                )
            }),
        )
        .route(
            "/v2/users/me",
            get(move || async move {
                me[1].fetch_add(1, SeqCst);
                (
                    StatusCode::UNAUTHORIZED,
                    Json(json!({"code": 124, "message": "Invalid access token."})),
                )
            }),
        )
        .route(
            "/v2/flaky",
            get(move || async move {
                match flaky[2].fetch_add(1, SeqCst) {
                    0 | 1 => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({}))),
                    _ => (StatusCode::OK, Json(json!({"ok": true}))),
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (base, counts)
}

#[tokio::test]
async fn a_second_124_means_sign_in_again_and_5xx_is_retried() {
    use std::sync::atomic::Ordering::SeqCst;

    let (base, counts) = stub_zoom().await;
    let env = Env::from_pairs([
        ("ZOOM_API_BASE", format!("{base}/v2")),
        ("ZOOM_OAUTH_BASE", base.clone()),
        ("ZOOM_CLIENT_ID", "id".to_owned()),
        ("ZOOM_CLIENT_SECRET", "secret".to_owned()),
        ("ZOOM_REDIRECT_URI", REDIRECT.to_owned()),
    ]);
    let mut settings = ZoomSettings::from_env(&env, &Secrets::from_env(&env), None).unwrap();
    settings.retry.base_backoff = Duration::from_millis(10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zoom.db");
    let db = tokio::task::spawn_blocking(move || Db::open(&path))
        .await
        .unwrap()
        .unwrap();
    db.write(|conn| {
        conn.execute_batch(
            "INSERT INTO zoom_users (id, email, name, profile, updated_at)
                 VALUES ('u1', 'u1@example.com', 'U', '{}', '2025-01-01T00:00:00Z');
             INSERT INTO zoom_tokens (user_id, access_token, refresh_token, expires_at, scope, updated_at)
                 VALUES ('u1', 'old', 'r-old', 4102444800, '', '2025-01-01T00:00:00Z');",
        )?;
        // As an earlier version kept them (in clear), sealed at start.
        reseal_all(conn, &vault())?;
        Ok(())
    })
    .await
    .unwrap();
    let zoom = Zoom::new(settings, db.clone(), vault()).unwrap();

    assert!(matches!(zoom.me("u1").await, Err(ZoomError::SignInAgain)));
    assert_eq!(counts[0].load(SeqCst), 1, "one refresh");
    assert_eq!(counts[1].load(SeqCst), 2, "the old token, then the new one");
    let left: i64 = db
        .read(|conn| Ok(conn.query_row("SELECT COUNT(*) FROM zoom_tokens", [], |row| row.get(0))?))
        .await
        .unwrap();
    assert_eq!(left, 0);

    // Signed in again: a 503 twice, then the answer.
    db.write(|conn| {
        conn.execute_batch(
            "INSERT INTO zoom_tokens (user_id, access_token, refresh_token, expires_at, scope, updated_at)
                 VALUES ('u1', 'good', 'r-good', 4102444800, '', '2025-01-01T00:00:00Z');",
        )?;
        reseal_all(conn, &vault())?;
        Ok(())
    })
    .await
    .unwrap();
    let answer: Value = zoom
        .get_json(&Auth::User("u1".to_owned()), "/flaky", &[])
        .await
        .unwrap();
    assert_eq!(answer, json!({"ok": true}));
    assert_eq!(counts[2].load(SeqCst), 3);
}

#[tokio::test]
async fn lookups_asked_at_once_reach_zoom_once() {
    let rig = Rig::new().await;
    let user = rig.sign_in(AVA).await;
    rig.reset().await;
    // Eight requests ask who the user is at the same moment, nothing cached yet.
    let asked = (0..8).map(|_| rig.zoom.identity(&user.id));
    let found = futures_util::future::join_all(asked).await;
    assert!(found.iter().all(|found| found.as_ref().ok() == Some(&user)));
    assert_eq!(
        rig.count("GET /v2/users/me").await,
        1,
        "one request for all"
    );

    // The same for a user's call history: one listing for all who asked.
    let auth = rig.zoom.account_auth(&user.id);
    let (from, to) = recent(2);
    let alone = Rig::new().await;
    let alone_user = alone.sign_in(AVA).await;
    alone.reset().await;
    let alone_auth = alone.zoom.account_auth(&alone_user.id);
    alone
        .zoom
        .user_call_history(&alone_auth, "me", from, to)
        .await
        .unwrap();
    let one_listing = alone
        .count("GET /v2/phone/users/{user_id}/call_history")
        .await;
    assert!(one_listing >= 1);
    let asked = (0..6).map(|_| rig.zoom.user_call_history(&auth, "me", from, to));
    let lists = futures_util::future::join_all(asked).await;
    assert!(lists.iter().all(Result::is_ok));
    assert_eq!(
        rig.count("GET /v2/phone/users/{user_id}/call_history")
            .await,
        one_listing,
        "six askers, the requests of one listing"
    );
}
