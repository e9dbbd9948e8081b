//! Creating and editing contacts over `/api/contacts`: the stored contact in
//! the answer and in every read, validation with field errors, CSRF, time
//! zones and the do-not-call list, in process through `oneshot`.

mod support;

use axum::http::{Method, StatusCode};
use dialdesk_contract::{
    Contact, ContactConflict, ContactDraft, ContactMatchResult, ContactsPage, NumberDraft,
};
use dialdesk_proxy::db::contacts::{insert_if_absent, NewContact, NewNumber};
use serde_json::json;
use support::{get, row_count, send, test_app, Caller, TestApp};

fn number(raw: &str, do_not_call: bool) -> NumberDraft {
    NumberDraft {
        label: "mobile".to_owned(),
        raw: raw.to_owned(),
        do_not_call,
    }
}

fn draft(name: &str, numbers: Vec<NumberDraft>) -> ContactDraft {
    ContactDraft {
        base_version: None,
        name: name.to_owned(),
        company: Some("Café des 2 Moulins".to_owned()),
        title: None,
        email: Some(format!("{}@example.com", name.to_lowercase())),
        time_zone: None,
        numbers,
    }
}

/// Creates `draft` as `caller`: `201` and the contact as stored.
async fn create(app: &TestApp, caller: &Caller, draft: &ContactDraft) -> Contact {
    let answer = caller
        .json(&app.router, Method::POST, "/api/contacts", draft)
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    answer.json()
}

async fn search(router: &axum::Router, q: &str) -> Vec<String> {
    let answer = get(router, &format!("/api/contacts/search?q={q}")).await;
    assert_eq!(answer.status, StatusCode::OK);
    answer
        .json::<Vec<Contact>>()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[tokio::test]
async fn a_created_contact_is_answered_as_stored_and_listed_and_found() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let answer = caller
        .json(
            &app.router,
            Method::POST,
            "/api/contacts",
            &draft("Amelie", vec![number(" +33 6 12 34 56 78 ", false)]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let created: Contact = answer.json();
    assert!(created.id > 0);
    assert_eq!(created.name, "Amelie");
    assert_eq!(created.company.as_deref(), Some("Café des 2 Moulins"));
    // A French number: France has one zone.
    assert_eq!(created.time_zone.as_deref(), Some("Europe/Paris"));
    let n = &created.numbers[0];
    assert_eq!(
        (n.label.as_str(), n.raw.as_str(), n.e164.as_deref()),
        ("mobile", "+33 6 12 34 56 78", Some("+33612345678"))
    );
    assert_eq!(n.region.as_deref(), Some("FR"));
    assert!(!n.do_not_call);

    let page: ContactsPage = get(&app.router, "/api/contacts").await.json();
    assert_eq!(page.contacts, std::slice::from_ref(&created));
    let one: Contact = get(&app.router, &format!("/api/contacts/{}", created.id))
        .await
        .json();
    assert_eq!(one, created);
    assert_eq!(search(&app.router, "amel").await, ["Amelie"]);
    assert_eq!(search(&app.router, "moulins").await, ["Amelie"]);
    assert_eq!(search(&app.router, "612345").await, ["Amelie"]);

    // A US number settles no zone (many zones); an explicit one is kept.
    let us = create(
        &app,
        &caller,
        &draft("Bob", vec![number("(415) 555-0123", false)]),
    )
    .await;
    assert_eq!(us.time_zone, None);
    let explicit = ContactDraft {
        time_zone: Some("America/Chicago".to_owned()),
        ..draft("Carl", vec![number("+33 6 12 34 56 79", false)])
    };
    let explicit: Contact = caller
        .json(&app.router, Method::POST, "/api/contacts", &explicit)
        .await
        .json();
    assert_eq!(explicit.time_zone.as_deref(), Some("America/Chicago"));
    assert_eq!(row_count(&app.db, "contacts").await, 3);
}

#[tokio::test]
async fn an_edit_replaces_fields_and_numbers_and_keeps_search_in_step() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    // Imported with an owner and an external id, which an edit keeps.
    app.db
        .write(|conn| {
            insert_if_absent(
                conn,
                &NewContact {
                    name: "Grace Hopper".to_owned(),
                    company: Some("Navy".to_owned()),
                    title: Some("Rear Admiral".to_owned()),
                    email: None,
                    time_zone: Some("America/New_York".to_owned()),
                    owner: Some("rep-7".to_owned()),
                    external_id: Some("crm-1".to_owned()),
                    numbers: vec![NewNumber {
                        label: "work".to_owned(),
                        raw: "212 555 0100".to_owned(),
                        e164: Some("+12125550100".to_owned()),
                        region: Some("US".to_owned()),
                        parse_error: None,
                        display: None,
                        do_not_call: None,
                    }],
                },
            )?;
            conn.execute(
                "UPDATE contacts SET updated_at = '2001-01-01T00:00:00.000Z'",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let before: (String, String) = app
        .db
        .read(|conn| {
            Ok(
                conn.query_row("SELECT id, updated_at FROM contacts", [], |row| {
                    Ok((row.get::<_, i64>(0)?.to_string(), row.get(1)?))
                })?,
            )
        })
        .await
        .unwrap();
    let id = before.0;
    let edit = ContactDraft {
        base_version: Some(1),
        name: "Grace B. Hopper".to_owned(),
        company: Some("COBOL Inc".to_owned()),
        title: Some("  ".to_owned()),
        email: Some("grace@cobol.example".to_owned()),
        time_zone: Some("".to_owned()),
        numbers: vec![
            number("+44 20 7946 0958", false),
            number("303 555 0142", false),
        ],
    };
    let answer = caller
        .json(
            &app.router,
            Method::PUT,
            &format!("/api/contacts/{id}"),
            &edit,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let edited: Contact = answer.json();
    assert_eq!(edited.id.to_string(), id);
    assert_eq!(edited.name, "Grace B. Hopper");
    assert_eq!(edited.title, None);
    assert_eq!(edited.email.as_deref(), Some("grace@cobol.example"));
    // The zone was cleared, so it comes from the first number again: GB has one.
    assert_eq!(edited.time_zone.as_deref(), Some("Europe/London"));
    let regions: Vec<Option<&str>> = edited.numbers.iter().map(|n| n.region.as_deref()).collect();
    assert_eq!(regions, [Some("GB"), Some("US")]);
    let one: Contact = get(&app.router, &format!("/api/contacts/{id}"))
        .await
        .json();
    assert_eq!(one, edited);

    let (owner, external_id, updated_at): (String, String, String) = app
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT owner, external_id, updated_at FROM contacts",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!((owner.as_str(), external_id.as_str()), ("rep-7", "crm-1"));
    assert!(updated_at > before.1, "{updated_at} after {}", before.1);

    assert!(search(&app.router, "navy").await.is_empty());
    assert!(search(&app.router, "2125550100").await.is_empty());
    assert_eq!(search(&app.router, "cobol").await, ["Grace B. Hopper"]);
    assert_eq!(search(&app.router, "grace%20b").await, ["Grace B. Hopper"]);
    assert_eq!(search(&app.router, "3035550142").await, ["Grace B. Hopper"]);
    let matched: ContactMatchResult =
        get(&app.router, "/api/contacts/match?number=%2B442079460958")
            .await
            .json();
    assert_eq!(matched.contacts, [edited]);
}

#[tokio::test]
async fn invalid_drafts_are_refused_with_every_field_and_nothing_is_stored() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let bad = json!({
        "name": "  ",
        "company": "x".repeat(201),
        "email": "not an address",
        "timeZone": "Mars/Base",
        "numbers": [
            { "label": "work", "raw": "(415) 555-0123" },
            { "label": "home", "raw": "12" },
            { "label": "cell", "raw": "415.555.0123" }
        ]
    });
    let answer = caller
        .json(&app.router, Method::POST, "/api/contacts", &bad)
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = answer.error();
    assert_eq!(
        body.error,
        "the contact was not saved; check the fields marked"
    );
    let fields: Vec<(&str, &str)> = body
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "a name is required"),
            ("company", "the company is longer than 200 characters"),
            (
                "email",
                "not an e-mail address; write one such as name@example.com"
            ),
            (
                "timeZone",
                "unknown time zone \"Mars/Base\"; use an IANA name such as Europe/Paris"
            ),
            (
                "numbers.1",
                "fewer than 7 digits; a number outside US needs its country code, such as +44 20 7946 0958"
            ),
            ("numbers.2", "the same number as number 1 above"),
        ]
    );
    let empty = json!({ "name": "Ada", "numbers": [] });
    let answer = caller
        .json(&app.router, Method::POST, "/api/contacts", &empty)
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = answer.error().fields.into_iter().map(|f| f.field).collect();
    assert_eq!(fields, ["numbers"]);
    assert_eq!(row_count(&app.db, "contacts").await, 0);

    // An edit is checked the same way, and leaves the contact as it was.
    let created: Contact = create(
        &app,
        &caller,
        &draft("Ada", vec![number("415 555 0199", false)]),
    )
    .await;
    let uri = format!("/api/contacts/{}", created.id);
    let mut bad_edit = bad.clone();
    bad_edit["baseVersion"] = json!(created.version);
    let answer = caller.json(&app.router, Method::PUT, &uri, &bad_edit).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.error().fields.len(), 6);
    assert_eq!(get(&app.router, &uri).await.json::<Contact>(), created);

    // Not a draft at all, a missing contact, a bad id.
    let answer = caller
        .json(
            &app.router,
            Method::POST,
            "/api/contacts",
            &json!({ "numbers": 1 }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.error().error.starts_with("invalid JSON body"));
    let good = ContactDraft {
        base_version: Some(1),
        ..draft("Ada", vec![number("415 555 0198", false)])
    };
    let answer = caller
        .json(&app.router, Method::PUT, "/api/contacts/999", &good)
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error().error, "no contact with id 999");
    let answer = caller
        .json(&app.router, Method::PUT, "/api/contacts/abc", &good)
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(row_count(&app.db, "contacts").await, 1);
}

#[tokio::test]
async fn create_and_edit_need_the_csrf_token() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let body = serde_json::to_vec(&draft("Ada", vec![number("415 555 0123", false)])).unwrap();
    let created: Contact = create(
        &app,
        &caller,
        &draft("Bob", vec![number("415 555 0124", false)]),
    )
    .await;
    for (method, uri) in [
        (Method::POST, "/api/contacts".to_owned()),
        (Method::PUT, format!("/api/contacts/{}", created.id)),
    ] {
        let request = caller.request(method, &uri, "application/json", body.clone(), false);
        let answer = send(&app.router, request).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(
            answer.error().error,
            "missing or invalid CSRF token; reload the page"
        );
    }
    assert_eq!(row_count(&app.db, "contacts").await, 1);
    let one: Contact = get(&app.router, &format!("/api/contacts/{}", created.id))
        .await
        .json();
    assert_eq!(one.name, "Bob");
}

#[tokio::test]
async fn do_not_call_belongs_to_the_number_whichever_contact_holds_it() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let ada: Contact = create(
        &app,
        &caller,
        &draft(
            "Ada",
            vec![
                number("(415) 555-0123", true),
                number("212 555 0100", false),
            ],
        ),
    )
    .await;
    let flags = |contact: &Contact| -> Vec<bool> {
        contact.numbers.iter().map(|n| n.do_not_call).collect()
    };
    assert_eq!(flags(&ada), [true, false]);
    // Grace comes in from elsewhere (an import) holding Ada's listed number.
    app.db
        .write(|conn| {
            insert_if_absent(
                conn,
                &NewContact {
                    name: "Grace".to_owned(),
                    company: None,
                    title: None,
                    email: None,
                    time_zone: None,
                    owner: None,
                    external_id: None,
                    numbers: vec![NewNumber {
                        label: "work".to_owned(),
                        raw: "+1 415 555 0123".to_owned(),
                        e164: Some("+14155550123".to_owned()),
                        region: Some("US".to_owned()),
                        parse_error: None,
                        display: None,
                        do_not_call: None,
                    }],
                },
            )
        })
        .await
        .unwrap();
    let page: ContactsPage = get(&app.router, "/api/contacts").await.json();
    let all: Vec<Vec<bool>> = page.contacts.iter().map(flags).collect();
    assert_eq!(all, [vec![true, false], vec![true]]);
    let grace = page.contacts[1].clone();
    let matched: ContactMatchResult = get(&app.router, "/api/contacts/match?number=4155550123")
        .await
        .json();
    assert_eq!(
        matched.contacts.iter().map(flags).collect::<Vec<_>>(),
        [vec![true, false], vec![true]]
    );

    // Editing Grace with the box cleared takes the number off the list for Ada too.
    let edit = ContactDraft {
        name: "Grace".to_owned(),
        numbers: vec![number("+1 415 555 0123", false)],
        base_version: Some(grace.version),
        ..ContactDraft::default()
    };
    let edited: Contact = caller
        .json(
            &app.router,
            Method::PUT,
            &format!("/api/contacts/{}", grace.id),
            &edit,
        )
        .await
        .json();
    assert_eq!(flags(&edited), [false]);
    let ada_now: Contact = get(&app.router, &format!("/api/contacts/{}", ada.id))
        .await
        .json();
    assert_eq!(flags(&ada_now), [false, false]);
    let found: Vec<Contact> = get(&app.router, "/api/contacts/search?q=5550123")
        .await
        .json();
    assert!(found.iter().all(|c| flags(c).iter().all(|flag| !flag)));

    // And ticking it on one contact lists it for both again.
    let edit = ContactDraft {
        numbers: vec![number("4155550123", true)],
        base_version: Some(edited.version),
        ..edit
    };
    let answer = caller
        .json(
            &app.router,
            Method::PUT,
            &format!("/api/contacts/{}", grace.id),
            &edit,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let ada_now: Contact = get(&app.router, &format!("/api/contacts/{}", ada.id))
        .await
        .json();
    assert_eq!(flags(&ada_now), [true, false]);
}

#[tokio::test]
async fn an_edit_from_an_older_version_is_refused_with_both_and_a_repeat_is_not() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let created: Contact = create(
        &app,
        &caller,
        &draft("Ada", vec![number("415 555 0199", false)]),
    )
    .await;
    assert_eq!(created.version, 1);
    let uri = format!("/api/contacts/{}", created.id);
    let first = ContactDraft {
        base_version: Some(1),
        title: Some("Engineer".to_owned()),
        ..draft("Ada", vec![number("415 555 0199", false)])
    };
    let answer = caller.json(&app.router, Method::PUT, &uri, &first).await;
    assert_eq!(answer.status, StatusCode::OK);
    let saved: Contact = answer.json();
    assert_eq!(saved.version, 2);

    // The same edit sent again (a retry) changes nothing and is not a conflict.
    let again = caller.json(&app.router, Method::PUT, &uri, &first).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json::<Contact>(), saved);

    // Another editor who opened version 1 is refused with both versions.
    let second = ContactDraft {
        base_version: Some(1),
        company: Some("Analytical Engines".to_owned()),
        ..draft("Ada", vec![number("415 555 0199", false)])
    };
    let refused = caller.json(&app.router, Method::PUT, &uri, &second).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let conflict: ContactConflict = refused.json();
    assert_eq!(conflict.yours, second);
    assert_eq!(conflict.stored, saved);
    assert!(conflict.error.contains("version 2"), "{}", conflict.error);
    let stored: Contact = get(&app.router, &uri).await.json();
    assert_eq!(stored, saved, "nothing was written");
    let page: ContactsPage = get(&app.router, "/api/contacts").await.json();
    assert_eq!(page.contacts[0].version, 2, "pages carry the version");

    // Choosing theirs-then-mine: the same edit from version 2 is saved.
    let over = ContactDraft {
        base_version: Some(conflict.stored.version),
        ..second
    };
    let answer = caller.json(&app.router, Method::PUT, &uri, &over).await;
    assert_eq!(answer.status, StatusCode::OK);
    let kept: Contact = answer.json();
    assert_eq!(
        (kept.version, kept.company.as_deref()),
        (3, Some("Analytical Engines"))
    );

    // An edit that names no version is refused field by field.
    let unversioned = ContactDraft {
        base_version: None,
        ..over
    };
    let answer = caller
        .json(&app.router, Method::PUT, &uri, &unversioned)
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = answer.error().fields.into_iter().map(|f| f.field).collect();
    assert_eq!(fields, ["baseVersion"]);
}
