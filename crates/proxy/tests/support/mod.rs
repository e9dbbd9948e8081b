//! Shared by the call, call-log, lookup, contact-editing and upload tests: an app on a temp database
//! and dist folder, driven in process through `tower::ServiceExt::oneshot`,
//! and a caller holding a session cookie and its CSRF token.

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use dialdesk_contract::{ApiErrorBody, SessionInfo, CSRF_HEADER};
use dialdesk_proxy::app;
use dialdesk_proxy::config::{Config, Env, Overrides};
use dialdesk_proxy::db::Db;
use dialdesk_proxy::state::AppState;
use dialdesk_proxy::static_files::StaticSite;
use tempfile::TempDir;
use tower::ServiceExt as _;

#[allow(
    dead_code,
    reason = "each test file compiles this module; few sign in with Zoom"
)]
pub mod zoom;

/// The app with its database.
pub struct TestApp {
    #[allow(
        dead_code,
        reason = "each test file compiles this module; not all read the files"
    )]
    dir: TempDir,
    pub db: Db,
    pub router: Router,
    #[allow(
        dead_code,
        reason = "each test file compiles this module; not all use the state"
    )]
    pub state: AppState,
}

/// A response, its body read.
pub struct Answer {
    pub status: StatusCode,
    #[allow(
        dead_code,
        reason = "each test file compiles this module; not all read headers"
    )]
    pub headers: axum::http::HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// The body as JSON of type `T`; panics with the body when it is not.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!("{err}: {}", String::from_utf8_lossy(&self.body));
        })
    }

    /// The body as an [`ApiErrorBody`].
    pub fn error(&self) -> ApiErrorBody {
        self.json()
    }
}

impl TestApp {
    /// The database file (`test.db`; its key file, WAL and shared memory beside it).
    #[allow(
        dead_code,
        reason = "each test file compiles this module; not all read the files"
    )]
    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("test.db")
    }
}

/// The app with `extra_env` on top of a temp database and dist folder.
pub async fn test_app(extra_env: &[(&str, &str)]) -> TestApp {
    test_app_with(extra_env, "").await
}

/// [`test_app`] with `toml` as its `dialdesk.toml` (none when empty).
pub async fn test_app_with(extra_env: &[(&str, &str)], toml: &str) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><html></html>\n").unwrap();
    let mut pairs = vec![
        (
            "DIALDESK_DIST".to_owned(),
            dist.to_str().unwrap().to_owned(),
        ),
        (
            "DIALDESK_DB".to_owned(),
            dir.path().join("test.db").to_str().unwrap().to_owned(),
        ),
    ];
    if !toml.is_empty() {
        let path = dir.path().join("dialdesk.toml");
        std::fs::write(&path, toml).unwrap();
        pairs.push((
            "DIALDESK_CONFIG".to_owned(),
            path.to_str().unwrap().to_owned(),
        ));
    }
    pairs.extend(
        extra_env
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
    );
    let config = Config::load(&Env::from_pairs(pairs), &Overrides::default()).unwrap();
    let site = StaticSite::load(&config.process.dist_dir, &config.embed.origin, None).unwrap();
    let db = Db::open(&config.process.db_path).unwrap();
    let state = AppState::open(&config, site, db.clone()).await.unwrap();
    TestApp {
        dir,
        db,
        router: app::router(state.clone()),
        state,
    }
}

/// Sends `request` and reads the whole answer.
pub async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

/// `GET uri` without a session.
pub async fn get(router: &Router, uri: &str) -> Answer {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// How many rows `table` holds.
pub async fn row_count(db: &Db, table: &'static str) -> i64 {
    db.read(move |conn| {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        Ok(conn.query_row(&sql, [], |row| row.get(0))?)
    })
    .await
    .unwrap()
}

/// A client with a session cookie and its CSRF token.
pub struct Caller {
    cookie: String,
    csrf: String,
}

impl Caller {
    /// Opens a session with `GET /api/session`.
    pub async fn new(router: &Router) -> Self {
        let response = router
            .clone()
            .oneshot(Request::get("/api/session").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let cookie = response.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let info: SessionInfo = serde_json::from_slice(&body).unwrap();
        Self {
            cookie,
            csrf: info.csrf_token,
        }
    }

    /// The signed-in session of `cookie` (a `dialdesk_session=…` pair), with its
    /// CSRF token from `GET /api/session`.
    #[allow(
        dead_code,
        reason = "each test file compiles this module; few sign in with Zoom"
    )]
    pub async fn signed_in(router: &Router, cookie: String) -> Self {
        let answer = send(
            router,
            Request::get("/api/session")
                .header(COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let info: SessionInfo = answer.json();
        Self {
            cookie,
            csrf: info.csrf_token,
        }
    }

    /// A request with the session cookie, with the CSRF token when `csrf`.
    pub fn request(
        &self,
        method: Method,
        uri: &str,
        content_type: &str,
        body: impl Into<Body>,
        csrf: bool,
    ) -> Request<Body> {
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(COOKIE, &self.cookie)
            .header(CONTENT_TYPE, content_type);
        if csrf {
            builder = builder.header(CSRF_HEADER, &self.csrf);
        }
        builder.body(body.into()).unwrap()
    }

    /// Sends `value` as JSON with `method` to `uri`, CSRF token included.
    pub async fn json(
        &self,
        router: &Router,
        method: Method,
        uri: &str,
        value: &impl serde::Serialize,
    ) -> Answer {
        let body = serde_json::to_vec(value).unwrap();
        send(
            router,
            self.request(method, uri, "application/json", body, true),
        )
        .await
    }
}

/// Adds a contact named `name`, holding `e164` when given, and returns its id.
#[allow(
    dead_code,
    reason = "each test file compiles this module; not all add contacts"
)]
pub async fn add_contact(db: &Db, name: &str, e164: Option<&str>) -> i64 {
    let contact = dialdesk_proxy::db::contacts::NewContact {
        name: name.to_owned(),
        company: None,
        title: None,
        email: None,
        time_zone: None,
        owner: None,
        external_id: None,
        numbers: e164
            .map(|e164| dialdesk_proxy::db::contacts::NewNumber {
                label: "work".to_owned(),
                raw: e164.to_owned(),
                e164: Some(e164.to_owned()),
                region: Some("US".to_owned()),
                parse_error: None,
                display: None,
                do_not_call: None,
            })
            .into_iter()
            .collect(),
    };
    db.write(move |conn| {
        dialdesk_proxy::db::contacts::insert_if_absent(conn, &contact)?;
        Ok(conn.last_insert_rowid())
    })
    .await
    .unwrap()
}
