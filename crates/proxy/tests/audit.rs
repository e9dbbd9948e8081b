//! The audit log and retention: who played a recording, exported logs or was refused
//! is noted, admins alone read it (as JSON or CSV), and the daily purge removes what
//! `[retention]` no longer keeps while leaving the rest.

#[allow(dead_code, reason = "this file uses a few of the shared helpers")]
mod support;

use axum::http::{Method, StatusCode};
use dialdesk_contract::AuditEntry;
use dialdesk_proxy::days::Day;
use dialdesk_proxy::db::call_context;
use dialdesk_proxy::retention::{purge, Purged, Retention};
use support::zoom::{account_calls, is, rig_with_config, signed_in, AVA, S2S};
use support::{send, test_app, Answer, Caller, TestApp};

const BEN: &str = "ben.okafor@dialdesk.example";
const EMMA: &str = "emma.novak@dialdesk.example";

async fn get(app: &TestApp, caller: &Caller, uri: &str) -> Answer {
    send(
        &app.router,
        caller.request(Method::GET, uri, "application/json", "", false),
    )
    .await
}

#[tokio::test]
async fn plays_exports_and_refusals_are_noted_and_only_admins_read_them() {
    let (_emu, app) = rig_with_config(&S2S, "").await;
    let ava = Caller::signed_in(&app.router, signed_in(&app, AVA).await).await;
    let ben = Caller::signed_in(&app.router, signed_in(&app, BEN).await).await;
    let emma = Caller::signed_in(&app.router, signed_in(&app, EMMA).await).await;
    let today = Day::today();
    let calls = account_calls(&app, 20).await;
    let bens = calls
        .iter()
        .find(|call| {
            call.has_recording
                && (is(&call.caller.email, BEN) || is(&call.callee.email, BEN))
                && !is(&call.caller.email, EMMA)
                && !is(&call.callee.email, EMMA)
        })
        .expect("a recorded call of Ben's without Emma");
    let recording = format!("/api/calls/{}/recording", bens.call_id);

    assert_eq!(
        get(&app, &emma, &recording).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(get(&app, &ava, &recording).await.status, StatusCode::OK);
    let range = format!("from={today}&to={today}");
    let export = get(&app, &ava, &format!("/api/calls/logs.csv?{range}")).await;
    assert_eq!(export.status, StatusCode::OK);
    let refused = get(&app, &ben, &format!("/api/audit?{range}")).await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "a rep may not read it"
    );

    let answer = get(&app, &ava, &format!("/api/audit?{range}")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let entries: Vec<AuditEntry> = answer.json();
    let seen: Vec<(Option<&str>, &str, &str)> = entries
        .iter()
        .map(|e| (e.email.as_deref(), e.action.as_str(), e.target.as_str()))
        .collect();
    let day_range = format!("{today} to {today}");
    let expected = [
        (Some(EMMA), "refused", format!("GET {recording}")),
        (Some(AVA), "recording.played", bens.call_id.clone()),
        (Some(AVA), "logs.exported", day_range.clone()),
        (Some(BEN), "refused", "GET /api/audit".to_owned()),
        (Some(AVA), "audit.read", day_range.clone()),
    ];
    let wanted: Vec<(Option<&str>, &str, &str)> = expected
        .iter()
        .map(|(email, action, target)| (*email, *action, target.as_str()))
        .collect();
    assert_eq!(seen, wanted, "in the order they happened");

    let csv = get(&app, &ava, &format!("/api/audit.csv?{range}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&csv.body);
    assert!(
        text.starts_with("at,user_id,email,action,target\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{EMMA},refused,GET {recording}")),
        "{text}"
    );
    assert!(
        text.lines().count() >= 7,
        "a header and every row so far: {text}"
    );
}

/// Adds, at `at`, a journal event of call `call`, an audit row and a saved log.
async fn rows_at(app: &TestApp, at: &'static str, call: &'static str) {
    app.db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO call_events (event_key, kind, call_id, root_call_id, payload,
                                          recorded_at)
                 VALUES (?1, 'zp-call-ringing-event', ?2, ?2,
                         json_object('direction', 'inbound', 'dateTime', ?3,
                                     'caller', json_object('number', '+14155550123')),
                         ?3)",
                [&format!("key-{call}"), call, at],
            )?;
            conn.execute(
                "INSERT INTO audit_log (at, action, target) VALUES (?1, 'refused', 'GET /x')",
                [at],
            )?;
            conn.execute(
                "INSERT INTO call_logs (root_call_id, version, content, disposition, notes,
                                        fields, number, saved_at)
                 VALUES (?1, 1, 'c', 'interested', 'private note', '{\"deal\":\"big\"}',
                         '+14155550123', ?2)",
                [call, at],
            )?;
            // Written behind the journal's back, so the Last call column is rebuilt.
            call_context::rebuild(conn)?;
            Ok(())
        })
        .await
        .unwrap();
}

/// The Last call column's rows: (contact, calls, latest start, latest disposition).
async fn last_calls(app: &TestApp) -> Vec<(Option<i64>, u32, Option<String>, Option<String>)> {
    let rows = app
        .db
        .read(|conn| Ok(call_context::read(conn)?))
        .await
        .unwrap();
    rows.into_iter()
        .map(|r| (r.contact_id, r.attempts, r.last_at, r.last_disposition))
        .collect()
}

#[tokio::test]
async fn the_purge_removes_only_what_retention_no_longer_keeps() {
    let app = test_app(&[]).await;
    rows_at(&app, "2020-01-01T00:00:00.000Z", "old-call").await;
    let now = time::OffsetDateTime::now_utc();
    let recent: &'static str = Box::leak(
        now.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
            .into_boxed_str(),
    );
    rows_at(&app, recent, "new-call").await;

    // Keeping everything (the default) purges nothing.
    let kept = app
        .db
        .write(move |conn| purge(conn, Retention::default(), now))
        .await
        .unwrap();
    assert_eq!(kept, Purged::default());
    let both = last_calls(&app).await;
    assert_eq!(both[0].1, 2, "{both:?}");

    let retention = Retention {
        journal_days: 30,
        audit_days: 30,
        log_details_days: 30,
    };
    let purged = app
        .db
        .write(move |conn| purge(conn, retention, now))
        .await
        .unwrap();
    assert_eq!(
        purged,
        Purged {
            events: 1,
            audit: 1,
            logs: 1
        }
    );
    let left = app
        .db
        .read(|conn| {
            let events: Vec<String> = conn
                .prepare("SELECT root_call_id FROM call_events")?
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            let audit: i64 = conn.query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))?;
            let logs: Vec<(String, Option<String>, String, String, String)> = conn
                .prepare(
                    "SELECT root_call_id, number, notes, fields, disposition FROM call_logs
                      ORDER BY root_call_id",
                )?
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<Result<_, _>>()?;
            Ok((events, audit, logs))
        })
        .await
        .unwrap();
    assert_eq!(left.0, ["new-call"]);
    assert_eq!(left.1, 1);
    let blank = ("new-call".to_owned(), Some("+14155550123".to_owned()));
    assert_eq!((left.2[0].0.clone(), left.2[0].1.clone()), blank);
    assert_eq!(
        left.2[1],
        (
            "old-call".to_owned(),
            None,
            String::new(),
            "{}".to_owned(),
            "interested".to_owned()
        ),
        "an old log keeps its disposition, not its number, notes or fields"
    );
    assert_eq!(
        last_calls(&app).await,
        [(
            None,
            1,
            Some(recent.to_owned()),
            Some("interested".to_owned())
        )],
        "the Last call column forgets the purged call"
    );
    // A second purge finds nothing more.
    let again = app
        .db
        .write(move |conn| purge(conn, retention, now))
        .await
        .unwrap();
    assert_eq!(again, Purged::default());
}
