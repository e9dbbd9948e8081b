//! Sign-in, code exchange, refresh rotation and Server-to-Server tokens.

use super::*;

fn authorize_uri(changes: &[(&str, Option<&str>)]) -> String {
    let challenge = pkce::s256(VERIFIER);
    let mut pairs: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", "emu-client-id"),
        ("redirect_uri", REDIRECT),
        ("state", "xyz"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ];
    for (name, value) in changes {
        pairs.retain(|(key, _)| key != name);
        if let Some(value) = value {
            pairs.push((name, value));
        }
    }
    format!("/oauth/authorize?{}", encode(&pairs))
}

#[tokio::test]
async fn the_sign_in_page_lists_every_user() {
    let emu = Emu::new();
    let page = emu.get(&authorize_uri(&[("state", Some("\"><b>"))])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert!(page.text.contains("Sign in to Zoom (emulator)"));
    assert_eq!(
        page.text
            .matches("<button type=\"submit\" name=\"user\"")
            .count(),
        6,
        "the account's five users and a user of another account"
    );
    assert!(page
        .text
        .contains("data-user=\"ava.lindqvist@dialdesk.example\""));
    assert!(page
        .text
        .contains("felix.berg@elsewhere.example&gt; (ext. 201) · another Zoom account"));
    assert!(page.text.contains("value=\"&quot;&gt;&lt;b&gt;\""));
    assert!(!page.text.contains("\"><b>"));
}

#[tokio::test]
async fn bad_authorize_requests_get_a_400_page() {
    let emu = Emu::new();
    for (changes, reason) in [
        (
            vec![("client_id", Some("someone-else"))],
            "unknown client_id",
        ),
        (vec![("client_id", None)], "Missing field: client_id"),
        (vec![("code_challenge", None)], "code_challenge is required"),
        (
            vec![("code_challenge_method", Some("plain"))],
            "must be S256",
        ),
        (vec![("code_challenge_method", None)], "must be S256"),
        (vec![("code_challenge", Some("short"))], "43 base64url"),
        (
            vec![("response_type", Some("token"))],
            "response_type must be code",
        ),
        (
            vec![("redirect_uri", Some("/relative"))],
            "redirect_uri must be",
        ),
    ] {
        let page = emu.get(&authorize_uri(&changes)).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{changes:?}");
        assert!(page.text.contains(reason), "{changes:?}: {}", page.text);
    }
    let twice = emu
        .get(&format!("{}&state=again", authorize_uri(&[])))
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert!(
        twice.text.contains("state is given more than once"),
        "{}",
        twice.text
    );
    let choice = emu
        .post_form("/oauth/authorize", None, &[("client_id", "emu-client-id")])
        .await;
    assert_eq!(choice.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn approve_then_exchange_gives_working_tokens() {
    let emu = Emu::new();
    let tokens = emu.sign_in("ben.okafor@dialdesk.example").await;
    assert_eq!(tokens["token_type"], "bearer");
    assert_eq!(tokens["expires_in"], 3599);
    assert_eq!(tokens["api_url"], OAUTH_BASE);
    assert!(tokens["scope"]
        .as_str()
        .expect("scope")
        .contains("phone:read"));
    let access = tokens["access_token"].as_str().expect("access");
    let me = emu.api(access, "/v2/users/me").await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["email"], "ben.okafor@dialdesk.example");
    assert_eq!(me["account_id"], "emu-account");
    assert_eq!(me["display_name"], "Ben Okafor");
    let phone = emu.api(access, "/v2/phone/users/me").await.json();
    assert_eq!(phone["extension_number"], 102);
    assert_eq!(phone["phone_numbers"][0]["number"], "+13125550102");
    assert_eq!(phone["site"]["name"], "Main Office");
    let by_email = emu
        .api(access, "/v2/phone/users/emma.novak@dialdesk.example")
        .await
        .json();
    assert_eq!(by_email["extension_number"], 105);
    emu.api(access, "/v2/phone/users/nobody")
        .await
        .assert_zoom(StatusCode::NOT_FOUND, 1001);

    let issued = emu.get("/__emu/tokens").await.json();
    assert_eq!(issued["access_tokens"], json!([access]));
    assert_eq!(issued["refresh_tokens"], json!([tokens["refresh_token"]]));
    assert_eq!(issued["codes"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        issued["secrets"],
        json!(["emu-client-secret", "emu-s2s-secret"])
    );
}

#[tokio::test]
async fn cancel_redirects_with_access_denied() {
    let emu = Emu::new();
    let challenge = pkce::s256(VERIFIER);
    let reply = emu
        .post_form(
            "/oauth/authorize",
            None,
            &[
                ("response_type", "code"),
                ("client_id", "emu-client-id"),
                ("redirect_uri", "http://127.0.0.1:8080/cb?x=1"),
                ("state", "s"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("deny", "1"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(
        reply.headers[header::LOCATION],
        "http://127.0.0.1:8080/cb?x=1&error=access_denied&state=s"
    );
}

#[tokio::test]
async fn codes_need_the_verifier_the_redirect_uri_and_one_use() {
    let emu = Emu::new();
    let exchange = |code: String, redirect: &'static str, verifier: &'static str| {
        let emu = &emu;
        async move {
            emu.token(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", redirect),
                ("code_verifier", verifier),
            ])
            .await
        }
    };
    let wrong_verifier = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let code = emu.code("ava.lindqvist@dialdesk.example").await;
    exchange(code, REDIRECT, wrong_verifier).await.assert_oauth(
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        "Invalid code_verifier",
    );

    let code = emu.code("ava.lindqvist@dialdesk.example").await;
    exchange(code, "http://127.0.0.1:8080/auth/other", VERIFIER)
        .await
        .assert_oauth(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Redirect URI mismatch.",
        );

    let code = emu.code("ava.lindqvist@dialdesk.example").await;
    assert_eq!(
        exchange(code.clone(), REDIRECT, VERIFIER).await.status,
        StatusCode::OK
    );
    exchange(code, REDIRECT, VERIFIER).await.assert_oauth(
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        "Invalid authorization code",
    );
    exchange("made-up".to_owned(), REDIRECT, VERIFIER)
        .await
        .assert_oauth(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid authorization code",
        );

    let code = emu.code("ava.lindqvist@dialdesk.example").await;
    emu.advance(5 * 60 * 1000);
    exchange(code, REDIRECT, VERIFIER).await.assert_oauth(
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        "Authorization code is expired",
    );
    assert_eq!(
        emu.get("/__emu/requests").await.json()["grants"]["authorization_code"],
        1
    );
}

#[tokio::test]
async fn token_requests_need_the_right_client_and_parameters() {
    let emu = Emu::new();
    let code = emu.code("ava.lindqvist@dialdesk.example").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let reason = "Invalid client_id or client_secret";
    for basic in [
        None,
        Some(("emu-client-id", "wrong")),
        Some(("emu-s2s-id", "emu-s2s-secret")),
    ] {
        emu.post_form("/oauth/token", basic, &form)
            .await
            .assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client", reason);
    }
    emu.token(&[("grant_type", "password")]).await.assert_oauth(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "Unsupported grant_type",
    );
    emu.token(&[]).await.assert_oauth(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "Missing field: grant_type.",
    );
    emu.token(&[("grant_type", "authorization_code"), ("code", &code)])
        .await
        .assert_oauth(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing field: redirect_uri.",
        );
}

#[tokio::test]
async fn refresh_rotates_and_refuses_the_old_refresh_token() {
    let emu = Emu::new();
    let first = emu.sign_in("chloe.martin@dialdesk.example").await;
    let old = first["refresh_token"].as_str().expect("refresh");
    let second = emu
        .token(&[("grant_type", "refresh_token"), ("refresh_token", old)])
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    let second = second.json();
    let new = second["refresh_token"].as_str().expect("refresh");
    assert_ne!(new, old);
    emu.token(&[("grant_type", "refresh_token"), ("refresh_token", old)])
        .await
        .assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant", "Invalid Token!");
    let access = second["access_token"].as_str().expect("access");
    assert_eq!(
        emu.api(access, "/v2/users/me").await.json()["first_name"],
        "Chloe"
    );
    let third = emu
        .token(&[("grant_type", "refresh_token"), ("refresh_token", new)])
        .await;
    assert_eq!(third.status, StatusCode::OK);
    assert_eq!(
        emu.get("/__emu/requests").await.json()["grants"]["refresh_token"],
        2
    );
}

#[tokio::test]
async fn revoked_tokens_are_refused_and_recorded() {
    let emu = Emu::new();
    let pair = emu.sign_in("chloe.martin@dialdesk.example").await;
    let access = pair["access_token"].as_str().expect("access");
    let refresh = pair["refresh_token"].as_str().expect("refresh");
    let client = Some(("emu-client-id", "emu-client-secret"));
    let stranger = emu
        .post_form(
            "/oauth/revoke",
            Some(("someone", "else")),
            &[("token", refresh)],
        )
        .await;
    assert_eq!(
        stranger.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        stranger.text
    );
    for token in [refresh, access] {
        let revoked = emu
            .post_form("/oauth/revoke", client, &[("token", token)])
            .await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text);
        assert_eq!(revoked.json()["status"], "success");
    }
    emu.token(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])
        .await
        .assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant", "Invalid Token!");
    assert_eq!(
        emu.api(access, "/v2/users/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let unknown = emu
        .post_form("/oauth/revoke", client, &[("token", "never-issued")])
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let issued = emu.get("/__emu/tokens").await.json();
    assert_eq!(issued["revoked"], serde_json::json!([refresh, access]));
}

#[tokio::test]
async fn account_credentials_give_an_account_token_without_refresh() {
    let emu = Emu::new();
    let s2s = Some(("emu-s2s-id", "emu-s2s-secret"));
    let reply = emu
        .post_form(
            "/oauth/token?grant_type=account_credentials&account_id=emu-account",
            s2s,
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let tokens = reply.json();
    assert_eq!(tokens["refresh_token"], Value::Null);
    assert_eq!(tokens["expires_in"], 3599);
    assert!(tokens["scope"]
        .as_str()
        .expect("scope")
        .contains("phone:read:admin"));
    let access = tokens["access_token"].as_str().expect("access");
    assert_eq!(
        emu.api(access, "/v2/users/me").await.json()["email"],
        "ava.lindqvist@dialdesk.example"
    );
    let in_body = emu
        .post_form(
            "/oauth/token",
            s2s,
            &[
                ("grant_type", "account_credentials"),
                ("account_id", "emu-account"),
            ],
        )
        .await;
    assert_eq!(in_body.status, StatusCode::OK);
    emu.post_form(
        "/oauth/token",
        s2s,
        &[
            ("grant_type", "account_credentials"),
            ("account_id", "other"),
        ],
    )
    .await
    .assert_oauth(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "Invalid account_id",
    );
    emu.token(&[
        ("grant_type", "account_credentials"),
        ("account_id", "emu-account"),
    ])
    .await
    .assert_oauth(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "Invalid client_id or client_secret",
    );
    assert_eq!(
        emu.get("/__emu/requests").await.json()["grants"]["account_credentials"],
        2
    );
}

#[tokio::test]
async fn unknown_missing_and_expired_tokens_are_124() {
    let emu = Emu::new();
    let access = emu.access().await;
    emu.api("nope", "/v2/users/me")
        .await
        .assert_zoom(StatusCode::UNAUTHORIZED, 124);
    let anonymous = emu.get("/v2/users/me").await;
    anonymous.assert_zoom(StatusCode::UNAUTHORIZED, 124);
    assert_eq!(anonymous.json()["message"], "Invalid access token.");
    assert_eq!(anonymous.headers["x-ratelimit-category"], "Light");
    assert_eq!(
        emu.api(&access, "/v2/users/me").await.status,
        StatusCode::OK
    );
    emu.advance(3599 * 1000);
    emu.api(&access, "/v2/users/me")
        .await
        .assert_zoom(StatusCode::UNAUTHORIZED, 124);
}
