//! The app's router for the proxy's benchmark examples, built from the library as
//! the binary builds it, and how they talk to it in process.

use std::path::Path;

use axum::body::{to_bytes, Body};
use axum::http::header::SET_COOKIE;
use axum::http::{Request, StatusCode};
use axum::Router;
use dialdesk_proxy::config::{Config, Env, Overrides};
use dialdesk_proxy::db::Db;
use dialdesk_proxy::state::AppState;
use dialdesk_proxy::static_files::StaticSite;
use dialdesk_proxy::{app, phone, seed};
use tower::ServiceExt as _;

/// The router over the fresh database `path` seeded with `contacts` demo contacts,
/// built as `startup::serve` builds it, and the database.
pub async fn app_router(path: &Path, contacts: usize) -> Result<(Router, Db), String> {
    let mut config =
        Config::load(&Env::from_process(), &Overrides::default()).map_err(|e| e.to_string())?;
    config.process.db_path = path.to_owned();
    let script_origin = config.embed.script_origin();
    let site = StaticSite::load(
        &config.process.dist_dir,
        &config.embed.origin,
        script_origin.as_ref(),
    )
    .map_err(|e| e.to_string())?;
    let path = path.to_owned();
    let db = tokio::task::spawn_blocking(move || {
        phone::warm_up();
        Db::open(&path)
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    let added = seed::seed_demo(&db, contacts)
        .await
        .map_err(|e| e.to_string())?;
    if added != contacts {
        return Err(format!("seeded {added} contacts, not {contacts}"));
    }
    let state = AppState::open(&config, site, db.clone())
        .await
        .map_err(|e| e.to_string())?;
    Ok((app::router(state), db))
}

/// The `name=value` of the session cookie the proxy issues to a first request.
pub async fn session_cookie(router: &Router) -> Result<String, String> {
    let request = Request::get("/api/session")
        .body(Body::empty())
        .map_err(|e| e.to_string())?;
    let response = router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    response
        .headers()
        .get(SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| "GET /api/session set no cookie".to_owned())
}

/// Sends `request` through the router and reads the whole body.
pub async fn send(
    router: &Router,
    request: Request<Body>,
) -> Result<(StatusCode, Vec<u8>), String> {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| e.to_string())?;
    Ok((status, body.to_vec()))
}
