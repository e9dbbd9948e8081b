//! CSV uploads: `POST /api/imports` starts a background job that
//! `GET /api/imports/{id}` reports on, with its own body limit, in process
//! through `oneshot`.

mod support;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use axum::Router;
use dialdesk_contract::{
    Contact, ContactDraft, ContactsPage, ImportIssue, ImportJob, ImportReport, ImportState,
};
use support::{get, row_count, send, test_app, Caller};

/// Uploads `bytes` and checks the `202` answer: a job still reading.
async fn upload(router: &Router, caller: &Caller, content_type: &str, bytes: Vec<u8>) -> ImportJob {
    upload_to(router, caller, "/api/imports", content_type, bytes).await
}

/// [`upload`] to `uri` (which may name the file).
async fn upload_to(
    router: &Router,
    caller: &Caller,
    uri: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> ImportJob {
    let request = caller.request(Method::POST, uri, content_type, bytes, true);
    let answer = send(router, request).await;
    assert_eq!(answer.status, StatusCode::ACCEPTED);
    let job: ImportJob = answer.json();
    assert_eq!(job.state, ImportState::Reading);
    assert_eq!((job.report.as_ref(), job.error.as_ref()), (None, None));
    job
}

/// Polls job `id` until it is done or failed.
async fn finished(router: &Router, id: &str) -> ImportJob {
    for _ in 0..1000 {
        let answer = get(router, &format!("/api/imports/{id}")).await;
        assert_eq!(answer.status, StatusCode::OK);
        let job: ImportJob = answer.json();
        assert_eq!(job.id, id);
        if matches!(job.state, ImportState::Done | ImportState::Failed) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("import job {id} did not finish");
}

fn issue(line: u64, column: Option<&str>, reason: &str) -> ImportIssue {
    ImportIssue {
        line,
        column: column.map(str::to_owned),
        reason: reason.to_owned(),
    }
}

#[tokio::test]
async fn an_uploaded_csv_is_imported_in_the_background_and_reported() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let first = upload(
        &app.router,
        &caller,
        "text/csv",
        b"name,email,phone\nAda,ada@x.example,415 555 0101\n".to_vec(),
    )
    .await;
    let first = finished(&app.router, &first.id).await;
    assert_eq!(first.state, ImportState::Done);
    assert_eq!(first.report.unwrap().created, 1);

    let csv = "Name;E-Mail;Mobile;Do Not Call\n\
               Ada Lovelace;ADA@x.example;415 555 0102;\n\
               Grace Hopper;grace@x.example;ext 12;\n\
               Broken;row\n\
               Alan Turing;alan@x.example;+44 20 7946 0958;yes\n";
    let job = upload(
        &app.router,
        &caller,
        "application/octet-stream",
        csv.as_bytes().to_vec(),
    )
    .await;
    assert_ne!(job.id, first.id);
    let job = finished(&app.router, &job.id).await;
    assert_eq!(job.state, ImportState::Done, "{:?}", job.error);
    assert_eq!((job.done, job.total), (3, 3));
    let report = job.report.unwrap();
    assert_eq!((report.created, report.updated), (2, 1));
    assert_eq!(
        report.rejected,
        [issue(4, None, "rejected: 2 fields where the header has 4")]
    );
    assert_eq!(
        report.warnings,
        [issue(
            3,
            Some("Mobile"),
            "fewer than 7 digits; kept unparsed"
        )]
    );

    let page: ContactsPage = get(&app.router, "/api/contacts").await.json();
    let names: Vec<&str> = page.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper", "Alan Turing"]);
    let alan = &page.contacts[2].numbers[0];
    assert_eq!(alan.region.as_deref(), Some("GB"));
    assert!(alan.do_not_call);
    assert_eq!(page.contacts[2].time_zone.as_deref(), Some("Europe/London"));
}

#[tokio::test]
async fn an_unreadable_upload_fails_and_changes_nothing() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let job = upload(
        &app.router,
        &caller,
        "text/csv",
        b"name,phone\nAda,415 555 0101\n".to_vec(),
    )
    .await;
    finished(&app.router, &job.id).await;
    assert_eq!(row_count(&app.db, "contacts").await, 1);

    let utf16: Vec<u8> = "name,phone\nGrace,415 555 0102\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    for bytes in [utf16, b"company,notes\nAcme,x\n".to_vec(), Vec::new()] {
        let job = upload(&app.router, &caller, "text/csv", bytes).await;
        let job = finished(&app.router, &job.id).await;
        assert_eq!(job.state, ImportState::Failed);
        assert_eq!(job.report, None);
        let error = job.error.unwrap();
        assert!(error.ends_with("; nothing was changed"), "{error}");
        assert_eq!((job.done, job.total), (0, 0));
    }
    let job = upload(&app.router, &caller, "text/csv", b"\0\0\0".to_vec()).await;
    let job = finished(&app.router, &job.id).await;
    assert_eq!(
        job.error.as_deref(),
        Some("the file is not text; save it as CSV (UTF-8 or Windows-1252); nothing was changed")
    );
    assert_eq!(row_count(&app.db, "contacts").await, 1);
}

#[tokio::test]
async fn uploads_need_the_csrf_token_and_unknown_jobs_are_404() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let request = caller.request(
        Method::POST,
        "/api/imports",
        "text/csv",
        b"name,phone\nAda,415 555 0101\n".to_vec(),
        false,
    );
    let answer = send(&app.router, request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        answer.error().error,
        "missing or invalid CSRF token; reload the page"
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(row_count(&app.db, "contacts").await, 0);

    for id in ["0123456789abcdef0123456789abcdef", "nope"] {
        let answer = get(&app.router, &format!("/api/imports/{id}")).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert_eq!(
            answer.error().error,
            "no such import job (the latest 32 are kept until the proxy restarts)"
        );
    }
}

/// A CSV of `rows` contacts, each with a notes column of `padding` bytes.
fn padded_csv(rows: usize, padding: usize) -> Vec<u8> {
    let mut csv = b"name,email,notes\n".to_vec();
    for row in 0..rows {
        csv.extend(format!("Person {row},p{row}@x.example,").bytes());
        csv.extend(std::iter::repeat_n(b'n', padding));
        csv.push(b'\n');
    }
    csv
}

#[tokio::test]
async fn only_the_upload_route_has_the_upload_limit() {
    // 1 MB for uploads: a larger file is refused with JSON.
    let app = test_app(&[("DIALDESK_IMPORT_MAX_UPLOAD_MB", "1")]).await;
    let caller = Caller::new(&app.router).await;
    let request = caller.request(
        Method::POST,
        "/api/imports",
        "text/csv",
        padded_csv(3, 500_000),
        true,
    );
    let answer = send(&app.router, request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        answer.error().error,
        "the file is larger than the 1 MB upload limit"
    );

    // 3 MB for uploads: a 2.5 MB file goes through...
    let app = test_app(&[("DIALDESK_IMPORT_MAX_UPLOAD_MB", "3")]).await;
    let caller = Caller::new(&app.router).await;
    let csv = padded_csv(5, 500_000);
    assert!(csv.len() > 2 << 20);
    let job = upload(&app.router, &caller, "text/csv", csv).await;
    let job = finished(&app.router, &job.id).await;
    assert_eq!(job.report.unwrap().created, 5);
    // ...while every other route keeps the default 2 MB limit.
    let big = vec!["x".repeat(1 << 20), "y".repeat(1 << 20)];
    let answer = caller
        .json(&app.router, Method::POST, "/api/calls/events", &big)
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        answer.error().error,
        "the request body is too large: at most 2 MB"
    );
    let request = caller.request(
        Method::POST,
        "/api/contacts",
        "application/json",
        padded_csv(5, 500_000),
        true,
    );
    assert_eq!(
        send(&app.router, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

/// Where a test sends the pieces of an upload still on its way (an error cuts it).
type Sender = tokio::sync::mpsc::UnboundedSender<Result<Vec<u8>, std::io::Error>>;

/// A body that sends what arrives on its channel, and ends when the channel
/// closes: an upload still on its way. The `Notify` is notified once the proxy
/// first reads from it.
fn arriving() -> (
    Sender,
    axum::body::Body,
    std::sync::Arc<tokio::sync::Notify>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let read = std::sync::Arc::new(tokio::sync::Notify::new());
    let reader = std::sync::Arc::clone(&read);
    let stream = futures_util::stream::unfold(rx, move |mut rx| {
        reader.notify_one();
        async move { rx.recv().await.map(|chunk| (chunk, rx)) }
    });
    (tx, axum::body::Body::from_stream(stream), read)
}

#[tokio::test]
async fn uploads_are_refused_before_their_body_and_streamed_to_a_file() {
    let app = test_app(&[("DIALDESK_IMPORT_MAX_UPLOAD_MB", "1")]).await;
    let caller = Caller::new(&app.router).await;
    // The first upload starts, its body still arriving.
    let (first, body, read) = arriving();
    first
        .send(Ok(b"name,phone\nAda,415 555 0123\n".to_vec()))
        .unwrap();
    let request = caller.request(Method::POST, "/api/imports", "text/csv", body, true);
    let router = app.router.clone();
    let pending = tokio::spawn(async move { send(&router, request).await });
    read.notified().await;
    // A second one of the same person is refused without waiting for its body,
    // which never ends.
    let (_open, body, _) = arriving();
    let request = caller.request(Method::POST, "/api/imports", "text/csv", body, true);
    let refused = tokio::time::timeout(Duration::from_secs(5), send(&app.router, request))
        .await
        .expect("an answer before the body ends");
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.error().error.contains("is still running"),
        "{:?}",
        refused.error()
    );
    // So is a body declared over the limit.
    let (_open, body, _) = arriving();
    let mut request = caller.request(Method::POST, "/api/imports", "text/csv", body, true);
    request
        .headers_mut()
        .insert("content-length", (2_u64 << 20).into());
    let answer = tokio::time::timeout(Duration::from_secs(5), send(&app.router, request))
        .await
        .expect("an answer before the body ends");
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);

    // The rest of the first file arrives in pieces, and all of it is imported.
    for row in 1..=3 {
        let line = format!("Person {row},415 555 01{row:02}\n");
        for piece in line.as_bytes().chunks(4) {
            first.send(Ok(piece.to_vec())).unwrap();
        }
    }
    drop(first);
    let answer = pending.await.unwrap();
    assert_eq!(answer.status, StatusCode::ACCEPTED);
    let job: ImportJob = answer.json();
    let report = finished(&app.router, &job.id).await.report.unwrap();
    assert_eq!(report.created, 4);

    // An upload cut off midway changes nothing and frees the person's place.
    let before = row_count(&app.db, "contacts").await;
    let (cut, body, _) = arriving();
    cut.send(Ok(b"name,phone\nZed,415 555 0199\n".to_vec()))
        .unwrap();
    cut.send(Err(std::io::Error::other("connection reset")))
        .unwrap();
    let request = caller.request(Method::POST, "/api/imports", "text/csv", body, true);
    let answer = send(&app.router, request).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer
        .error()
        .error
        .starts_with("the upload was not received"));
    assert_eq!(row_count(&app.db, "contacts").await, before);
    let job = upload(&app.router, &caller, "text/csv", b"name\nYves\n".to_vec()).await;
    assert_eq!(
        finished(&app.router, &job.id).await.report.unwrap().created,
        1
    );
}

/// Imports `csv` as the file `name` and returns its report.
async fn import_named(router: &Router, caller: &Caller, name: &str, csv: &str) -> ImportReport {
    let uri = format!("/api/imports?name={name}");
    let job = upload_to(router, caller, &uri, "text/csv", csv.as_bytes().to_vec()).await;
    let done = finished(router, &job.id).await;
    assert_eq!(done.state, ImportState::Done, "{:?}", done.error);
    done.report.unwrap_or_default()
}

#[tokio::test]
async fn an_import_after_a_persons_edit_keeps_the_edit_and_reports_it() {
    let app = test_app(&[]).await;
    let caller = Caller::new(&app.router).await;
    let first = "id,name,company,title,phone\nc-1,Ada Lovelace,Engines,Countess,415 555 0123\n";
    let report = import_named(&app.router, &caller, "crm.csv", first).await;
    assert_eq!((report.created, report.kept.len()), (1, 0));
    let page: ContactsPage = get(&app.router, "/api/contacts").await.json();
    let ada = page.contacts[0].clone();

    // A rep corrects the company in dialdesk.
    let edit = ContactDraft {
        company: Some("Analytical Engines".to_owned()),
        base_version: Some(ada.version),
        ..ContactDraft::from(&ada)
    };
    let uri = format!("/api/contacts/{}", ada.id);
    let answer = caller.json(&app.router, Method::PUT, &uri, &edit).await;
    assert_eq!(answer.status, StatusCode::OK);

    // The same file, now with another company and title: the title is taken, the
    // company the rep edited is kept and reported with its line.
    let second = "id,name,company,title,phone\nc-1,Ada Lovelace,Engines Ltd,Analyst,415 555 0123\n";
    let report = import_named(&app.router, &caller, "crm.csv", second).await;
    assert_eq!(report.updated, 1);
    assert_eq!(
        report.kept,
        [issue(
            2,
            None,
            "kept Ada Lovelace's company as edited in dialdesk; the file has \"Engines Ltd\""
        )]
    );
    let now: Contact = get(&app.router, &uri).await.json();
    assert_eq!(
        (now.company.as_deref(), now.title.as_deref()),
        (Some("Analytical Engines"), Some("Analyst"))
    );

    // It stays kept on the next import, and another file never wrote it either.
    let report = import_named(&app.router, &caller, "crm.csv", second).await;
    assert_eq!(report.kept.len(), 1);
    let report = import_named(&app.router, &caller, "other.csv", second).await;
    assert_eq!(report.kept.len(), 1);
    let now: Contact = get(&app.router, &uri).await.json();
    assert_eq!(now.company.as_deref(), Some("Analytical Engines"));

    // A field nobody edited here follows the file; an unchanged file changes no version.
    let before = now.version;
    let report = import_named(&app.router, &caller, "crm.csv", second).await;
    assert_eq!(report.updated, 1);
    let again: Contact = get(&app.router, &uri).await.json();
    assert_eq!(
        again.version, before,
        "nothing changed, so the version stays"
    );
}
