//! Remembering the contact a user picked for a number several contacts hold:
//! `PUT /api/contacts/pick`, then `picked` in `GET /api/contacts/match`, per
//! session, checked, behind CSRF, in process through `oneshot`.

mod support;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use axum::Router;
use dialdesk_contract::{ContactMatchResult, ContactPick, SessionInfo, CSRF_HEADER};
use support::{add_contact, get, row_count, send, test_app, Answer, Caller};

/// The shared desk number, as stored.
const DESK: &str = "+14155550123";

/// The match of `number` for `caller`'s session.
async fn matched(router: &Router, caller: &Caller, number: &str) -> ContactMatchResult {
    let uri = format!(
        "/api/contacts/match?number={}",
        number.replace('+', "%2B").replace(' ', "%20")
    );
    let answer = send(
        router,
        caller.request(Method::GET, &uri, "application/json", Body::empty(), false),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{number}");
    answer.json()
}

async fn pick(router: &Router, caller: &Caller, number: &str, contact_id: i64) -> Answer {
    let body = ContactPick {
        number: number.to_owned(),
        contact_id,
    };
    caller
        .json(router, Method::PUT, "/api/contacts/pick", &body)
        .await
}

#[tokio::test]
async fn a_pick_is_named_by_the_next_match_of_the_number() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let r = &app.router;
    let ada = add_contact(&app.db, "Ada Lovelace", Some(DESK)).await;
    let charles = add_contact(&app.db, "Charles Babbage", Some(DESK)).await;
    let other = add_contact(&app.db, "Grace Hopper", Some("+12125550199")).await;

    let before = matched(r, &caller, DESK).await;
    assert_eq!(before.contacts.len(), 2);
    assert_eq!(before.picked, None);

    // Picked under one spelling, named under another.
    let answer = pick(r, &caller, "(415) 555-0123", charles).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert!(answer.body.is_empty());
    for spelling in [DESK, "415.555.0123", "+1 415 555 0123"] {
        let result = matched(r, &caller, spelling).await;
        assert_eq!(result.picked, Some(charles), "{spelling}");
        assert_eq!(result.contacts.len(), 2);
    }
    let wire: serde_json::Value = serde_json::to_value(matched(r, &caller, DESK).await).unwrap();
    assert_eq!(wire["picked"], charles);
    // Another number has no pick.
    assert_eq!(matched(r, &caller, "+12125550199").await.picked, None);

    // A new pick replaces the old one.
    assert_eq!(
        pick(r, &caller, DESK, ada).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(matched(r, &caller, DESK).await.picked, Some(ada));
    assert_eq!(row_count(&app.db, "contact_picks").await, 1);

    // A pick of a contact that does not hold the number is stored but never
    // named: `picked` is always one of the contacts answered.
    assert_eq!(
        pick(r, &caller, DESK, other).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(matched(r, &caller, DESK).await.picked, None);

    // Once the picked contact no longer holds the number, it is not named;
    // once it is deleted, the pick goes with it.
    pick(r, &caller, DESK, charles).await;
    app.db
        .write(move |conn| {
            conn.execute(
                "DELETE FROM contact_numbers WHERE contact_id = ?1",
                [charles],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let result = matched(r, &caller, DESK).await;
    assert_eq!((result.contacts.len(), result.picked), (1, None));
    app.db
        .write(move |conn| {
            conn.execute("DELETE FROM contacts WHERE id = ?1", [charles])?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(row_count(&app.db, "contact_picks").await, 0);
}

#[tokio::test]
async fn picks_are_kept_per_session() {
    let app = test_app(&[]).await;
    let r = &app.router;
    let ada = add_contact(&app.db, "Ada Lovelace", Some(DESK)).await;
    let charles = add_contact(&app.db, "Charles Babbage", Some(DESK)).await;
    let first = Caller::new(r).await;
    let second = Caller::new(r).await;
    assert_eq!(
        pick(r, &first, DESK, charles).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(matched(r, &first, DESK).await.picked, Some(charles));
    assert_eq!(matched(r, &second, DESK).await.picked, None);
    // A caller without a session has none either.
    let anonymous: ContactMatchResult = get(r, "/api/contacts/match?number=%2B14155550123")
        .await
        .json();
    assert_eq!(anonymous.picked, None);
    assert_eq!(anonymous.contacts.len(), 2);
    // The second session's own pick leaves the first's alone.
    pick(r, &second, DESK, ada).await;
    assert_eq!(matched(r, &second, DESK).await.picked, Some(ada));
    assert_eq!(matched(r, &first, DESK).await.picked, Some(charles));
    assert_eq!(row_count(&app.db, "contact_picks").await, 2);
}

/// The 422's field names and messages.
fn fields(answer: &Answer) -> Vec<(String, String)> {
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = answer.error();
    assert_eq!(
        body.error,
        "the pick was not saved; check the fields marked"
    );
    body.fields
        .into_iter()
        .map(|field| (field.field, field.message))
        .collect()
}

#[tokio::test]
async fn picks_of_unknown_contacts_or_numbers_that_do_not_normalise_are_refused() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let r = &app.router;
    let ada = add_contact(&app.db, "Ada Lovelace", Some(DESK)).await;
    let s = |field: &str, message: &str| (field.to_owned(), message.to_owned());

    assert_eq!(
        fields(&pick(r, &caller, DESK, 4242).await),
        [s("contactId", "no contact with id 4242")]
    );
    assert_eq!(
        fields(&pick(r, &caller, DESK, -1).await),
        [s("contactId", "no contact with id -1")]
    );
    assert_eq!(
        fields(&pick(r, &caller, "800", ada).await),
        [s(
            "number",
            "the number is fewer than 7 digits; a number outside US needs its country code"
        )]
    );
    assert_eq!(
        fields(&pick(r, &caller, "hello", 4242).await),
        [
            s(
                "number",
                "the number is fewer than 7 digits; a number outside US needs its country code"
            ),
            s("contactId", "no contact with id 4242"),
        ]
    );
    let invalid = fields(&pick(r, &caller, "+999 1234567", ada).await);
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0].0, "number");
    for bad in [
        &b"{"[..],
        b"{\"number\":\"+14155550123\"}",
        b"{\"number\":\"+14155550123\",\"contactId\":\"1\"}",
    ] {
        let request = caller.request(
            Method::PUT,
            "/api/contacts/pick",
            "application/json",
            bad,
            true,
        );
        let answer = send(r, request).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.error().error.starts_with("invalid JSON body"));
    }
    assert_eq!(row_count(&app.db, "contact_picks").await, 0);
    assert_eq!(matched(r, &caller, DESK).await.picked, None);
}

#[tokio::test]
async fn picking_needs_the_csrf_token_of_the_session() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let r = &app.router;
    let ada = add_contact(&app.db, "Ada Lovelace", Some(DESK)).await;
    add_contact(&app.db, "Charles Babbage", Some(DESK)).await;
    let body = serde_json::to_vec(&ContactPick {
        number: DESK.to_owned(),
        contact_id: ada,
    })
    .unwrap();
    let missing = caller.request(
        Method::PUT,
        "/api/contacts/pick",
        "application/json",
        body.clone(),
        false,
    );
    let other: SessionInfo = get(r, "/api/session").await.json();
    let mut foreign = caller.request(
        Method::PUT,
        "/api/contacts/pick",
        "application/json",
        body,
        false,
    );
    foreign
        .headers_mut()
        .insert(CSRF_HEADER, other.csrf_token.parse().unwrap());
    for request in [missing, foreign] {
        let answer = send(r, request).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert!(answer.error().error.contains("CSRF"));
    }
    assert_eq!(row_count(&app.db, "contact_picks").await, 0);
    assert_eq!(matched(r, &caller, DESK).await.picked, None);
    // With the token it is stored.
    assert_eq!(
        pick(r, &caller, DESK, ada).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(matched(r, &caller, DESK).await.picked, Some(ada));
}
