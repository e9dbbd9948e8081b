//! The OAuth server: `GET /oauth/authorize` (the sign-in page), `POST /oauth/authorize` (a
//! user's choice, redirecting with a code), and `POST /oauth/token` (authorization code with
//! PKCE S256, refresh with rotation, and Server-to-Server `account_credentials`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;

use super::directory::find_user;
use super::error::OAuthError;
use super::page::{self, Hidden};
use super::params::Params;
use super::pkce;
use super::state::Shared;
use super::tokens::{Pair, ACCESS_TTL_S};
use super::Credentials;

/// Scopes of user tokens.
const USER_SCOPES: &str =
    "user:read contact:read phone:read phone_call_log:read phone_recording:read";
/// Scopes of Server-to-Server tokens.
const ACCOUNT_SCOPES: &str = "user:read:admin contact:read:admin phone:read:admin \
     phone_call_log:read:admin phone_recording:read:admin";
/// Longest accepted `redirect_uri` and `state`.
const MAX_URL_LEN: usize = 2048;

/// `GET /oauth/authorize`: the sign-in page, or a 400 page naming what is wrong.
pub async fn authorize_page(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::parse(query.as_deref().unwrap_or_default());
    match authorize_request(&params, &shared.credentials) {
        Ok(hidden) => page::sign_in(&hidden),
        Err(reason) => page::refused(&reason),
    }
}

/// `POST /oauth/authorize` (form): the chosen user gets a code, sent back to the redirect URI
/// with the state; "Cancel" sends `error=access_denied` instead.
pub async fn authorize_decision(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let params = Params::parse(&String::from_utf8_lossy(&body));
    let hidden = match authorize_request(&params, &shared.credentials) {
        Ok(hidden) => hidden,
        Err(reason) => return page::refused(&reason),
    };
    if params.has("deny") {
        return redirect(&hidden, &[("error", "access_denied")]);
    }
    let user = match params.one("user").ok().flatten().and_then(find_user) {
        Some(user) => user,
        None => return page::refused("choose one of the listed users"),
    };
    let now_ms = shared.clock.now_ms();
    let code = shared
        .tokens()
        .issue_code(user, hidden.redirect_uri, hidden.code_challenge, now_ms);
    redirect(&hidden, &[("code", &code)])
}

/// The parameters of an OAuth request (form body, then query) and its client from
/// Basic auth; no Basic auth is an unknown client.
fn client_request(
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Result<(Params, String, String), OAuthError> {
    let params =
        Params::parse(&String::from_utf8_lossy(body)).and(Params::parse(query.unwrap_or_default()));
    let (client_id, client_secret) = basic(headers).ok_or(OAuthError::UnknownClient)?;
    Ok((params, client_id, client_secret))
}

/// `POST /oauth/token`: parameters in the form body or the query, client in Basic auth.
pub async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let (params, client_id, client_secret) = client_request(&headers, query.as_deref(), &body)?;
    let credentials = &shared.credentials;
    let now_ms = shared.clock.now_ms();
    let user_app = client_id == credentials.client_id && client_secret == credentials.client_secret;
    match params.required("grant_type")? {
        "authorization_code" if user_app => {
            let code = params.required("code")?;
            let redirect_uri = params.required("redirect_uri")?;
            let verifier = params.required("code_verifier")?;
            let pair = shared
                .tokens()
                .redeem_code(code, redirect_uri, verifier, now_ms)
                .map_err(|err| OAuthError::Refused(err.reason()))?;
            shared.counters().grants.authorization_code += 1;
            Ok(user_reply(&shared, pair))
        }
        "refresh_token" if user_app => {
            let refresh_token = params.required("refresh_token")?;
            let pair = shared
                .tokens()
                .rotate(refresh_token, now_ms)
                .map_err(|err| OAuthError::Refused(err.reason()))?;
            shared.counters().grants.refresh_token += 1;
            Ok(user_reply(&shared, pair))
        }
        "account_credentials"
            if client_id == credentials.s2s_client_id
                && client_secret == credentials.s2s_client_secret =>
        {
            if params.required("account_id")? != credentials.account_id {
                return Err(OAuthError::Malformed("Invalid account_id".to_owned()));
            }
            let access_token = shared.tokens().issue_account_token(now_ms);
            shared.counters().grants.account_credentials += 1;
            Ok(reply(json!({
                "access_token": access_token,
                "token_type": "bearer",
                "expires_in": ACCESS_TTL_S,
                "scope": ACCOUNT_SCOPES,
                "api_url": shared.urls.oauth_base,
            })))
        }
        "authorization_code" | "refresh_token" | "account_credentials" => {
            Err(OAuthError::UnknownClient)
        }
        _ => Err(OAuthError::Malformed("Unsupported grant_type".to_owned())),
    }
}

/// `POST /oauth/revoke` (inferred from Zoom's documentation, not verified): the user
/// app's Basic credentials and `token`, an access or refresh token; `200` with
/// `{"status": "success"}`, `400` for a token this emulator never issued.
pub async fn revoke(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let (params, client_id, client_secret) = client_request(&headers, query.as_deref(), &body)?;
    let credentials = &shared.credentials;
    if client_id != credentials.client_id || client_secret != credentials.client_secret {
        return Err(OAuthError::UnknownClient);
    }
    let token = params.required("token")?;
    if !shared.tokens().revoke(token) {
        return Err(OAuthError::Malformed("Invalid token".to_owned()));
    }
    Ok(reply(json!({ "status": "success" })))
}

/// Checks an authorize request's parameters; the error is a reason for the 400 page.
fn authorize_request<'a>(
    params: &'a Params,
    credentials: &Credentials,
) -> Result<Hidden<'a>, String> {
    let text = |err: super::params::ParamError| err.to_string();
    if params.required("response_type").map_err(text)? != "code" {
        return Err("response_type must be code".to_owned());
    }
    let client_id = params.required("client_id").map_err(text)?;
    if client_id != credentials.client_id {
        return Err("unknown client_id".to_owned());
    }
    let redirect_uri = params.required("redirect_uri").map_err(text)?;
    if !is_redirect_uri(redirect_uri) {
        return Err(
            "redirect_uri must be an absolute http or https URL without a fragment".to_owned(),
        );
    }
    let state = params.one("state").map_err(text)?;
    if state.is_some_and(|state| state.len() > MAX_URL_LEN) {
        return Err("state is too long".to_owned());
    }
    let code_challenge = params
        .one("code_challenge")
        .map_err(text)?
        .ok_or("code_challenge is required (PKCE)")?;
    if params.one("code_challenge_method").map_err(text)? != Some("S256") {
        return Err("code_challenge_method must be S256".to_owned());
    }
    if !pkce::challenge_is_valid(code_challenge) {
        return Err("code_challenge must be 43 base64url characters".to_owned());
    }
    Ok(Hidden {
        client_id,
        redirect_uri,
        state,
        code_challenge,
    })
}

/// An absolute `http`/`https` URL of printable ASCII, with a host and no fragment.
fn is_redirect_uri(uri: &str) -> bool {
    let rest = uri
        .strip_prefix("http://")
        .or_else(|| uri.strip_prefix("https://"));
    uri.len() <= MAX_URL_LEN
        && uri.bytes().all(|b| b.is_ascii_graphic())
        && !uri.contains('#')
        && rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with(['/', '?']))
}

/// 302 to the redirect URI with `extra` and the state appended to its query.
fn redirect(hidden: &Hidden<'_>, extra: &[(&str, &str)]) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in extra {
        query.append_pair(name, value);
    }
    if let Some(state) = hidden.state {
        query.append_pair("state", state);
    }
    let separator = if hidden.redirect_uri.contains('?') {
        '&'
    } else {
        '?'
    };
    let location = format!("{}{separator}{}", hidden.redirect_uri, query.finish());
    match HeaderValue::from_str(&location) {
        Ok(value) => (StatusCode::FOUND, [(header::LOCATION, value)]).into_response(),
        Err(_) => page::refused("redirect_uri is not a valid header value"),
    }
}

/// The client id and secret of a `Basic` Authorization header.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

fn user_reply(shared: &Shared, pair: Pair) -> Response {
    reply(json!({
        "access_token": pair.access_token,
        "token_type": "bearer",
        "refresh_token": pair.refresh_token,
        "expires_in": ACCESS_TTL_S,
        "scope": USER_SCOPES,
        "api_url": shared.urls.oauth_base,
    }))
}

fn reply(body: serde_json::Value) -> Response {
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_must_be_absolute_http() {
        for good in [
            "http://127.0.0.1:8080/auth/callback",
            "https://crm.example/auth/callback?x=1",
        ] {
            assert!(is_redirect_uri(good), "{good}");
        }
        for bad in [
            "",
            "/auth/callback",
            "javascript:alert(1)",
            "http://",
            "http:///path",
            "https://a.example/cb#frag",
            "http://a.example/c b",
            "http://a.example/\u{e9}",
        ] {
            assert!(!is_redirect_uri(bad), "{bad}");
        }
    }

    #[test]
    fn basic_credentials_are_parsed() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic ZW11LWNsaWVudC1pZDplbXUtY2xpZW50LXNlY3JldA=="),
        );
        assert_eq!(
            basic(&headers),
            Some(("emu-client-id".to_owned(), "emu-client-secret".to_owned()))
        );
        for bad in ["Bearer x", "Basic !!!", "Basic ZW11", "Basic"] {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(bad));
            assert_eq!(basic(&headers), None, "{bad}");
        }
    }
}
