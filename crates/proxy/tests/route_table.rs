//! Walks the `/api` route table: with `auth = "zoom"` every route but health
//! and config answers 401 without a signed-in session, and every
//! state-changing route answers 403 without the CSRF token (in both modes).

#[allow(dead_code, reason = "this file uses a few of the shared helpers")]
mod support;

use axum::body::Body;
use axum::http::header::COOKIE;
use axum::http::{Method, Request, StatusCode};
use dialdesk_contract::CSRF_HEADER;
use dialdesk_proxy::api::{route_table, OPEN_ROUTES};
use dialdesk_proxy::auth::start_session;
use support::{send, test_app, Caller, TestApp};

const ZOOM: [(&str, &str); 4] = [
    ("DIALDESK_AUTH", "zoom"),
    ("ZOOM_CLIENT_ID", "client-id"),
    ("ZOOM_CLIENT_SECRET", "client-secret"),
    ("DIALDESK_PUBLIC_URL", "http://127.0.0.1:8080"),
];

/// The route's path with every `{parameter}` filled in.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map_or(rest.len(), |at| open + at + 1);
        out.push('1');
        rest = &rest[close..];
    }
    out.push_str(rest);
    format!("/api{out}")
}

fn state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn request(method: Method, uri: &str, cookie: Option<&str>, csrf: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(cookie) = cookie {
        builder = builder.header(COOKIE, cookie);
    }
    if let Some(token) = csrf {
        builder = builder.header(CSRF_HEADER, token);
    }
    builder.body(Body::from("{}")).unwrap()
}

/// A signed-in session's cookie and CSRF token.
async fn signed_in(app: &TestApp) -> (String, String) {
    // A user as the sign-in stores them (without Zoom tokens).
    app.db
        .write(|conn| {
            conn.execute(
                "INSERT OR IGNORE INTO zoom_users (id, email, name, profile, updated_at)
                 VALUES ('zoom-user-1', 'riley@example.com', 'Riley Park', '{}', 'now')",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let (session, cookie) = start_session(&app.state, "zoom-user-1").await.unwrap();
    let cookie = cookie
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (cookie, session.csrf_token().to_owned())
}

#[tokio::test]
async fn with_zoom_sign_in_every_route_but_health_and_config_needs_a_session() {
    let app = test_app(&ZOOM).await;
    let table = route_table(&app.state);
    assert!(table.len() > 15, "the table lists every route");
    let forged = "dialdesk_session=00112233445566778899aabbccddeeff.00";
    for route in &table {
        let uri = concrete(route.path);
        for cookie in [None, Some(forged)] {
            let answer = send(
                &app.router,
                request(route.method.clone(), &uri, cookie, None),
            )
            .await;
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "{} {uri} with {cookie:?}",
                route.method
            );
            assert_eq!(answer.error().error, "sign in with Zoom to continue");
        }
        // Positive control: a signed-in session with its token gets past the
        // gate (the handler may still refuse the placeholder input, and a
        // Zoom lookup finds no Zoom tokens for this made-up user).
        let (cookie, csrf) = signed_in(&app).await;
        let answer = send(
            &app.router,
            request(route.method.clone(), &uri, Some(&cookie), Some(&csrf)),
        )
        .await;
        let refused_by_gate = answer.status == StatusCode::FORBIDDEN
            || (answer.status == StatusCode::UNAUTHORIZED
                && answer.error().error == "sign in with Zoom to continue");
        assert!(
            !refused_by_gate,
            "{} {uri}: {}",
            route.method, answer.status
        );
    }
    for path in OPEN_ROUTES {
        let answer = send(
            &app.router,
            request(Method::GET, &format!("/api{path}"), None, None),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
    }
    // A session from before sign-out (or another mode) is refused too.
    let anonymous = Caller::new(&test_app(&[]).await.router).await;
    let answer = send(
        &app.router,
        anonymous.request(Method::GET, "/api/session", "application/json", "", false),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_state_changing_route_needs_the_csrf_token() {
    for env in [&ZOOM[..], &[]] {
        let app = test_app(env).await;
        let (cookie, csrf) = signed_in(&app).await;
        let table = route_table(&app.state);
        let changing: Vec<_> = table
            .iter()
            .filter(|route| state_changing(&route.method))
            .collect();
        assert!(
            changing.len() >= 7,
            "PUT, POST and DELETE routes are listed"
        );
        for route in changing {
            let uri = concrete(route.path);
            for token in [None, Some("0".repeat(64)), Some(csrf[..63].to_owned())] {
                let answer = send(
                    &app.router,
                    request(route.method.clone(), &uri, Some(&cookie), token.as_deref()),
                )
                .await;
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{} {uri} {token:?}",
                    route.method
                );
            }
        }
    }
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = test_app(&ZOOM).await;
    let (cookie, csrf) = signed_in(&app).await;
    let session = request(Method::GET, "/api/session", Some(&cookie), None);
    assert_eq!(send(&app.router, session).await.status, StatusCode::OK);
    let out = send(
        &app.router,
        request(Method::DELETE, "/api/session", Some(&cookie), Some(&csrf)),
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let session = request(Method::GET, "/api/session", Some(&cookie), None);
    assert_eq!(
        send(&app.router, session).await.status,
        StatusCode::UNAUTHORIZED
    );
}
