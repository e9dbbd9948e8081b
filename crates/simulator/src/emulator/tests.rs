//! Router tests of the emulator, driven in-process with `tower::ServiceExt::oneshot`.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::{pkce, Credentials, Emulator, PublicUrls};

mod faults;
mod oauth;
mod rest;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const REDIRECT: &str = "http://127.0.0.1:8080/auth/callback";
const OAUTH_BASE: &str = "http://127.0.0.1:9999";
const FILE_HOST: &str = "127.0.0.2:9998";

/// An emulator with the demo credentials and its two routers.
struct Emu {
    emulator: Emulator,
    api: Router,
    files: Router,
}

impl Emu {
    fn new() -> Self {
        let emulator = Emulator::new(
            Credentials::demo(),
            PublicUrls {
                oauth_base: OAUTH_BASE.to_owned(),
                file_host: FILE_HOST.to_owned(),
            },
        );
        Self {
            api: emulator.api_router(),
            files: emulator.file_router(),
            emulator,
        }
    }

    fn advance(&self, ms: u64) {
        self.emulator.shared.clock.advance(ms);
    }

    async fn get(&self, uri: &str) -> Reply {
        call(
            &self.api,
            Request::get(uri).body(Body::empty()).expect("request"),
        )
        .await
    }

    async fn api(&self, token: &str, uri: &str) -> Reply {
        let request = Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request");
        call(&self.api, request).await
    }

    async fn post_form(
        &self,
        uri: &str,
        basic: Option<(&str, &str)>,
        form: &[(&str, &str)],
    ) -> Reply {
        let mut request =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some((id, secret)) = basic {
            request = request.header(
                header::AUTHORIZATION,
                format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
            );
        }
        call(
            &self.api,
            request.body(Body::from(encode(form))).expect("request"),
        )
        .await
    }

    async fn faults(&self, patch: &Value) -> Reply {
        let request = Request::post("/__emu/faults")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(patch.to_string()))
            .expect("request");
        call(&self.api, request).await
    }

    /// Token request with the user app's credentials.
    async fn token(&self, form: &[(&str, &str)]) -> Reply {
        self.post_form(
            "/oauth/token",
            Some(("emu-client-id", "emu-client-secret")),
            form,
        )
        .await
    }

    /// A code for `email`, through the sign-in page's form.
    async fn code(&self, email: &str) -> String {
        let challenge = pkce::s256(VERIFIER);
        let reply = self
            .post_form(
                "/oauth/authorize",
                None,
                &[
                    ("response_type", "code"),
                    ("client_id", "emu-client-id"),
                    ("redirect_uri", REDIRECT),
                    ("state", "st&ate"),
                    ("code_challenge", &challenge),
                    ("code_challenge_method", "S256"),
                    ("user", email),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.text);
        let location = reply.headers[header::LOCATION]
            .to_str()
            .expect("ascii")
            .to_owned();
        let query = location
            .strip_prefix(&format!("{REDIRECT}?"))
            .unwrap_or_else(|| panic!("{location}"));
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(pairs[1], ("state".to_owned(), "st&ate".to_owned()));
        assert_eq!(pairs[0].0, "code");
        pairs[0].1.clone()
    }

    /// Signs `email` in and returns the token answer.
    async fn sign_in(&self, email: &str) -> Value {
        let code = self.code(email).await;
        let reply = self
            .token(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", VERIFIER),
            ])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.json()
    }

    /// An access token for user 1.
    async fn access(&self) -> String {
        self.sign_in("ava.lindqvist@dialdesk.example").await["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|err| panic!("{err}: {}", self.text))
    }

    /// Asserts a Zoom REST error.
    fn assert_zoom(&self, status: StatusCode, code: u64) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.json()["code"], code, "{}", self.text);
    }

    /// Asserts a token-endpoint error.
    fn assert_oauth(&self, status: StatusCode, error: &str, reason: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.json(), json!({ "error": error, "reason": reason }));
    }
}

async fn call(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn encode(form: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}
