//! Walks the `/api` route table: with `auth = "zoom"` every route but health
//! and config answers 401 without a signed-in session, every state-changing
//! route answers 403 without the CSRF token (in both modes), and every route
//! keeps to its rule: admin routes answer 403 to anyone else.

#[allow(dead_code, reason = "this file uses a few of the shared helpers")]
mod support;

use axum::body::Body;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{Method, Request, StatusCode};
use axum::response::IntoResponse as _;
use dialdesk_contract::{Role, SessionInfo, CSRF_HEADER};
use dialdesk_proxy::api::{route_table, Access, ADMINS_ONLY, NO_ADMIN_NAMED, OPEN_ROUTES};
use dialdesk_proxy::auth::start_session;
use support::{send, test_app, test_app_with, Caller, TestApp};

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

/// The app signing in with Zoom, with `roles` as its `[roles]` section.
async fn zoom_app(roles: &str) -> TestApp {
    test_app_with(&ZOOM, &format!("[roles]\n{roles}\n")).await
}

/// A signed-in session's cookie and CSRF token, for Riley (`riley@example.com`).
async fn signed_in(app: &TestApp) -> (String, String) {
    signed_in_as(app, "zoom-user-1", "riley@example.com").await
}

/// A signed-in session's cookie and CSRF token for the Zoom user `id` with `email`.
async fn signed_in_as(app: &TestApp, id: &str, email: &str) -> (String, String) {
    // A user as the sign-in stores them (without Zoom tokens).
    let (user, address) = (id.to_owned(), email.to_owned());
    app.db
        .write(move |conn| {
            conn.execute(
                "INSERT OR IGNORE INTO zoom_users (id, email, name, profile, updated_at)
                 VALUES (?1, ?2, 'Someone', '{}', 'now')",
                [&user, &address],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let session = start_session(&app.state, id).await.unwrap();
    let sessions = app.state.sessions();
    let jar = sessions.with_session(sessions.new_jar(), &session);
    let response = (jar, ()).into_response();
    let cookie = response.headers()[SET_COOKIE]
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
    // Riley is an admin, so every rule lets the positive control through.
    let app = zoom_app(r#"admins = ["Riley@Example.com"]"#).await;
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

/// What `method uri` answers the session `cookie`/`csrf`.
async fn answer_to(
    app: &TestApp,
    route: &dialdesk_proxy::api::ApiRoute,
    who: &(String, String),
) -> support::Answer {
    let uri = concrete(route.path);
    send(
        &app.router,
        request(route.method.clone(), &uri, Some(&who.0), Some(&who.1)),
    )
    .await
}

#[tokio::test]
async fn admin_routes_refuse_everyone_else_and_say_how_an_admin_is_named() {
    let app = zoom_app(
        r#"admins = ["ada@example.com"]
supervisors = ["zoom-sup"]"#,
    )
    .await;
    let table = route_table(&app.state);
    let admin_only: Vec<_> = table.iter().filter(|r| r.access == Access::Admin).collect();
    let paths: Vec<String> = admin_only
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        paths,
        [
            "POST /imports",
            "GET /imports/{id}",
            "POST /zoom/contacts/sync",
            "GET /audit",
            "GET /audit.csv"
        ]
    );
    // Fresh sessions for each route: one of them is sign-out.
    for route in &table {
        let admin = signed_in_as(&app, "zoom-ada", "ada@example.com").await;
        let supervisor = signed_in_as(&app, "zoom-sup", "sam@example.com").await;
        let rep = signed_in_as(&app, "zoom-rep", "rey@example.com").await;
        for (who, session) in [("rep", &rep), ("supervisor", &supervisor)] {
            let answer = answer_to(&app, route, session).await;
            if route.access == Access::Admin {
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{who}: {} {}",
                    route.method,
                    route.path
                );
                assert_eq!(answer.error().error, ADMINS_ONLY);
            } else {
                assert_ne!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{who}: {} {}",
                    route.method,
                    route.path
                );
            }
        }
        // Positive control: the admin passes every rule.
        let answer = answer_to(&app, route, &admin).await;
        assert_ne!(
            answer.status,
            StatusCode::FORBIDDEN,
            "admin: {} {}",
            route.method,
            route.path
        );
    }
    let admin = signed_in_as(&app, "zoom-ada", "ada@example.com").await;
    let supervisor = signed_in_as(&app, "zoom-sup", "sam@example.com").await;
    let rep = signed_in_as(&app, "zoom-rep", "rey@example.com").await;
    for (session, role) in [
        (&admin, Role::Admin),
        (&supervisor, Role::Supervisor),
        (&rep, Role::Rep),
    ] {
        let info: SessionInfo = send(
            &app.router,
            request(Method::GET, "/api/session", Some(&session.0), None),
        )
        .await
        .json();
        assert_eq!(info.role, role);
    }

    // Nobody named: the refusal says how to name an admin.
    let app = zoom_app("").await;
    let rep = signed_in_as(&app, "zoom-rep", "rey@example.com").await;
    for route in route_table(&app.state)
        .iter()
        .filter(|r| r.access == Access::Admin)
    {
        let answer = answer_to(&app, route, &rep).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.error().error, NO_ADMIN_NAMED);
    }

    // Without sign-in the one local user is an admin.
    let app = test_app(&[]).await;
    let local = signed_in(&app).await;
    for route in route_table(&app.state)
        .iter()
        .filter(|r| r.access == Access::Admin)
    {
        assert_ne!(
            answer_to(&app, route, &local).await.status,
            StatusCode::FORBIDDEN
        );
    }
}
