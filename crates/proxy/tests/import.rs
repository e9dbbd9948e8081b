//! CSV contact import: in process through `import::run` against a temp
//! database, then the HTTP routes that show the result, then the real binary.

use std::path::Path;
use std::process::{Command, Stdio};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dialdesk_contract::{ApiErrorBody, Contact, ContactMatchResult, ContactNumber, ContactsPage};
use dialdesk_proxy::app;
use dialdesk_proxy::config::{Config, Env, Overrides};
use dialdesk_proxy::db::contacts::{self, insert_if_absent, NewContact, NewNumber};
use dialdesk_proxy::db::Db;
use dialdesk_proxy::import::{self, ImportError, ImportReport};
use dialdesk_proxy::state::AppState;
use dialdesk_proxy::static_files::StaticSite;
use tempfile::TempDir;
use tower::ServiceExt as _;

const BIN: &str = env!("CARGO_BIN_EXE_dialdesk-proxy");

struct TestDb {
    dir: TempDir,
    config: Config,
    db: Db,
}

fn env_for(dir: &Path) -> Env {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><html></html>\n").unwrap();
    Env::from_pairs([
        (
            "DIALDESK_DIST".to_owned(),
            dist.to_str().unwrap().to_owned(),
        ),
        (
            "DIALDESK_DB".to_owned(),
            dir.join("data/test.db").to_str().unwrap().to_owned(),
        ),
    ])
}

fn test_db() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::load(&env_for(dir.path()), &Overrides::default()).unwrap();
    let db = Db::open(&config.process.db_path).unwrap();
    TestDb { dir, config, db }
}

impl TestDb {
    async fn import(&self, csv: &[u8]) -> ImportReport {
        import::run(&self.db, &self.config, "test.csv", csv)
            .await
            .unwrap()
    }

    /// Every contact with its numbers, by id, as the proxy reads them for the app.
    async fn contacts(&self) -> Vec<Contact> {
        self.db
            .read(|conn| Ok(contacts::page(conn, 0, u32::MAX)?.contacts))
            .await
            .unwrap()
    }

    /// Every contact's `(owner, external id)`, by id: what the app does not see.
    async fn owners(&self) -> Vec<(Option<String>, Option<String>)> {
        self.db
            .read(|conn| {
                let mut stmt =
                    conn.prepare("SELECT owner, external_id FROM contacts ORDER BY id")?;
                let owners = stmt
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                Ok(owners)
            })
            .await
            .unwrap()
    }

    async fn router(&self) -> Router {
        let site = StaticSite::load(
            &self.config.process.dist_dir,
            &self.config.embed.origin,
            None,
        )
        .unwrap();
        let state = AppState::open(&self.config, site, self.db.clone())
            .await
            .unwrap();
        app::router(state)
    }
}

fn lines(report: &ImportReport) -> Vec<String> {
    report.to_string().lines().map(str::to_owned).collect()
}

#[tokio::test]
async fn utf8_with_a_byte_order_mark() {
    let t = test_db();
    let report = t
        .import("\u{feff}Name,Phone,E-Mail\nZoë Ådams,(415) 555-0123,zoe@example.com\n".as_bytes())
        .await;
    assert_eq!(
        lines(&report),
        ["imported 1 (created 1, updated 0), rejected 0, warnings 0"]
    );
    let contacts = t.contacts().await;
    assert_eq!(contacts[0].name, "Zoë Ådams");
    assert_eq!(contacts[0].email.as_deref(), Some("zoe@example.com"));
    assert_eq!(
        contacts[0].numbers,
        [ContactNumber {
            label: "phone".to_owned(),
            raw: "(415) 555-0123".to_owned(),
            e164: Some("+14155550123".to_owned()),
            region: Some("US".to_owned()),
            parse_error: None,
            do_not_call: false,
            display: Some("(415) 555-0123".to_owned()),
        }]
    );
}

#[tokio::test]
async fn windows_1252_with_semicolons() {
    let t = test_db();
    let report = t
        .import(b"First Name;Last Name;Organisation;Mobile\r\nJ\xFCrgen;M\xFCller;Caf\xE9 GmbH;212 555 0100\r\n")
        .await;
    assert_eq!((report.created, report.rejected.len()), (1, 0));
    let contacts = t.contacts().await;
    assert_eq!(contacts[0].name, "Jürgen Müller");
    assert_eq!(contacts[0].company.as_deref(), Some("Café GmbH"));
    assert_eq!(contacts[0].numbers[0].label, "mobile");
    assert_eq!(contacts[0].numbers[0].e164.as_deref(), Some("+12125550100"));
}

#[tokio::test]
async fn tabs_and_every_field() {
    let t = test_db();
    let csv = "full name\tjob title\temail\ttime zone\towner\texternal id\n\
               Ada Lovelace\tCountess\t Ada@Engines.example \tEurope/London\trep-7\tcrm-1\n\
               Grace Hopper\t\tgrace@navy.example\tEST\t\t\n";
    let report = t.import(csv.as_bytes()).await;
    assert_eq!(
        lines(&report),
        [
            "imported 2 (created 2, updated 0), rejected 0, warnings 1",
            "line 3, column \"time zone\": unknown time zone \"EST\"; use an IANA name such as \
             America/New_York (the zone was taken from the number where its region has one)",
        ]
    );
    let contacts = t.contacts().await;
    let ada = &contacts[0];
    assert_eq!(ada.title.as_deref(), Some("Countess"));
    assert_eq!(ada.email.as_deref(), Some("Ada@Engines.example"));
    assert_eq!(ada.time_zone.as_deref(), Some("Europe/London"));
    assert_eq!(contacts[1].time_zone, None);
    let owners = t.owners().await;
    assert_eq!(
        owners[0],
        (Some("rep-7".to_owned()), Some("crm-1".to_owned()))
    );
    assert_eq!(owners[1].1, None);
}

#[tokio::test]
async fn a_contact_without_a_known_zone_takes_the_one_of_its_first_number_s_region() {
    let t = test_db();
    let csv = "name,phone,mobile,time zone\n\
               Amélie,+33 6 12 34 56 78,,\n\
               Bob,(415) 555-0123,,\n\
               Chloé,ext 12,+33 6 12 34 56 79,\n\
               Dan,+33 6 12 34 56 70,,Asia/Tokyo\n\
               Eve,+33 6 12 34 56 71,,Mars/Base\n\
               Fay,(415) 555-0124,,Mars/Base\n";
    let report = t.import(csv.as_bytes()).await;
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].starts_with("line 4, column \"phone\": fewer than 7 digits"));
    for (warning, line) in warnings[1..].iter().zip([6, 7]) {
        let expected =
            format!("line {line}, column \"time zone\": unknown time zone \"Mars/Base\"; use an");
        assert!(warning.starts_with(&expected), "{warning}");
    }
    let zones: Vec<(String, Option<String>)> = t
        .contacts()
        .await
        .into_iter()
        .map(|c| (c.name, c.time_zone))
        .collect();
    let paris = Some("Europe/Paris".to_owned());
    assert_eq!(
        zones,
        [
            ("Amélie".to_owned(), paris.clone()),
            // The United States has many zones: none is guessed.
            ("Bob".to_owned(), None),
            // The first number that parsed decides.
            ("Chloé".to_owned(), paris.clone()),
            ("Dan".to_owned(), Some("Asia/Tokyo".to_owned())),
            ("Eve".to_owned(), paris),
            ("Fay".to_owned(), None),
        ]
    );
}

#[tokio::test]
async fn every_phone_column_becomes_a_labelled_number_and_bad_ones_are_kept() {
    let t = test_db();
    let csv = "Name,Work Phone,Mobile,Home Phone,Phone 2,Notes\n\
               Ada,415-555-0123,ext 12,,+44 20 7946 0958,likes engines\n";
    let report = t.import(csv.as_bytes()).await;
    assert_eq!(
        lines(&report),
        [
            "imported 1 (created 1, updated 0), rejected 0, warnings 1",
            "line 2, column \"Mobile\": fewer than 7 digits; kept unparsed",
        ]
    );
    let numbers = &t.contacts().await[0].numbers;
    let summary: Vec<(&str, &str, Option<&str>)> = numbers
        .iter()
        .map(|n| (n.label.as_str(), n.raw.as_str(), n.e164.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("work", "415-555-0123", Some("+14155550123")),
            ("mobile", "ext 12", None),
            ("phone 2", "+44 20 7946 0958", Some("+442079460958")),
        ]
    );
    assert_eq!(
        numbers[1].parse_error.as_deref(),
        Some("fewer than 7 digits")
    );
    assert_eq!(numbers[1].region, None);
    // Each number keeps its own region, not the default one it was read in.
    assert_eq!(numbers[0].region.as_deref(), Some("US"));
    assert_eq!(numbers[2].region.as_deref(), Some("GB"));
}

#[tokio::test]
async fn upsert_by_external_id_then_email_then_number() {
    let t = test_db();
    let first = "id,name,email,phone,company\n\
                 crm-1,Ada,ada@x.example,415 555 0101,Old Co\n\
                 ,Grace,Grace@Navy.example,415 555 0102,\n\
                 ,Alan,,415 555 0103,\n";
    let report = t.import(first.as_bytes()).await;
    assert_eq!((report.created, report.updated), (3, 0));

    let second = "id,name,email,phone,company\n\
                  crm-1,Ada Lovelace,new@x.example,415 555 0111,\n\
                  , Grace Hopper , grace@NAVY.example ,,Navy\n\
                  ,Alan Turing,,(415) 555-0103,Bletchley\n";
    let report = t.import(second.as_bytes()).await;
    assert_eq!(
        lines(&report),
        ["imported 3 (created 0, updated 3), rejected 0, warnings 0"]
    );
    let contacts = t.contacts().await;
    assert_eq!(contacts.len(), 3);
    // Replaced: every field and the numbers come from the new row.
    assert_eq!(contacts[0].name, "Ada Lovelace");
    assert_eq!(contacts[0].email.as_deref(), Some("new@x.example"));
    assert_eq!(contacts[0].company, None);
    assert_eq!(t.owners().await[0].1.as_deref(), Some("crm-1"));
    assert_eq!(contacts[0].numbers.len(), 1);
    assert_eq!(contacts[0].numbers[0].e164.as_deref(), Some("+14155550111"));
    assert_eq!(contacts[1].name, "Grace Hopper");
    assert_eq!(contacts[1].company.as_deref(), Some("Navy"));
    assert!(contacts[1].numbers.is_empty());
    assert_eq!(contacts[2].name, "Alan Turing");
    assert_eq!(contacts[2].company.as_deref(), Some("Bletchley"));
}

fn existing(name: &str, email: &str, e164: &str) -> NewContact {
    NewContact {
        name: name.to_owned(),
        company: None,
        title: None,
        email: Some(email.to_owned()),
        time_zone: None,
        owner: None,
        external_id: None,
        numbers: vec![NewNumber {
            label: "work".to_owned(),
            raw: e164.to_owned(),
            e164: Some(e164.to_owned()),
            region: Some("US".to_owned()),
            parse_error: None,
            display: None,
            do_not_call: None,
        }],
    }
}

#[tokio::test]
async fn a_row_matching_several_contacts_is_rejected_as_ambiguous() {
    let t = test_db();
    t.db.write(|conn| {
        insert_if_absent(conn, &existing("A", "a@x.example", "+14155550101"))?;
        insert_if_absent(conn, &existing("B", "b@x.example", "+14155550102"))?;
        insert_if_absent(conn, &existing("C", "shared@x.example", "+14155550103"))?;
        insert_if_absent(conn, &existing("D", "Shared@x.example", "+14155550104"))?;
        Ok(())
    })
    .await
    .unwrap();
    let csv = "name,phone,mobile,email\n\
               Both,415 555 0101,415 555 0102,\n\
               Shared,,,shared@x.example\n\
               Fine,415 555 0101,,\n";
    let report = t.import(csv.as_bytes()).await;
    assert_eq!(
        lines(&report),
        [
            "imported 1 (created 0, updated 1), rejected 2, warnings 0",
            "line 2: rejected: its phone number matches 2 existing contacts",
            "line 3: rejected: its e-mail address matches 2 existing contacts",
        ]
    );
    let names: Vec<String> = t.contacts().await.into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Fine", "B", "C", "D"]);
}

#[tokio::test]
async fn malformed_rows_and_rows_without_name_or_contact_are_rejected() {
    let t = test_db();
    let mut csv = b"name,phone,company\n\
                    Ada,415 555 0101,Engines\n\
                    Bad,415 555 0102\n\
                    ,,Nobody Inc\n\
                    \"Multi\nLine\",415 555 0103,\n\
                    Too,many,fields,here\n\
                    Bytes,415 555 0104,Caf"
        .to_vec();
    // An invalid UTF-8 byte in a file with a byte-order mark: that row only.
    csv.extend_from_slice(b"\xFF\n,212 555 0100,Acme\n");
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&csv);
    let report = t.import(&with_bom).await;
    assert_eq!(
        lines(&report),
        [
            "imported 3 (created 3, updated 0), rejected 4, warnings 1",
            "line 3: rejected: 2 fields where the header has 3",
            "line 4: rejected: no name and no phone number or e-mail address",
            "line 7: rejected: 4 fields where the header has 3",
            "line 8: rejected: not valid text (bad encoding or control characters)",
            "line 9: no name; named after its company, e-mail address or number",
        ]
    );
    let names: Vec<String> = t.contacts().await.into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Ada", "Multi\nLine", "Acme"]);
}

#[tokio::test]
async fn an_unreadable_file_changes_nothing() {
    let t = test_db();
    t.import(b"name,phone\nAda,415 555 0101\n").await;
    for (csv, expected) in [
        (&b""[..], "empty"),
        (b"\xEF\xBB\xBF\r\n\r\n", "empty"),
        (b"\xFF\xFEn\0a\0m\0e\0\n\0", "not text"),
        (
            b"company,notes\nAcme,x\n",
            "no name, phone or e-mail column",
        ),
    ] {
        let err = import::run(&t.db, &t.config, "test.csv", csv)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains(expected),
            "{csv:?}: {err} (expected {expected:?})"
        );
        assert!(!matches!(err, ImportError::Db(_)));
    }
    assert_eq!(t.contacts().await.len(), 1);
}

async fn get_json<T: serde::de::DeserializeOwned>(router: &Router, uri: &str) -> T {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn imported_contacts_are_listed_and_searchable() {
    let t = test_db();
    let csv = "Name,Company,Email,Work Phone,Mobile\n\
               Ada Lovelace,Analytical Engines,ada@engines.example,415 555 0123,212 555 0100\n\
               Grace Hopper,Navy,grace@navy.example,303 555 0142,\n";
    t.import(csv.as_bytes()).await;
    let router = t.router().await;

    let page: ContactsPage = get_json(&router, "/api/contacts").await;
    assert_eq!(page.total, 2);
    let ada = &page.contacts[0];
    assert_eq!(ada.name, "Ada Lovelace");
    assert_eq!(ada.company.as_deref(), Some("Analytical Engines"));
    let labels: Vec<&str> = ada.numbers.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(labels, ["work", "mobile"]);

    let found: Vec<Contact> = get_json(&router, "/api/contacts/search?q=analyt").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Ada Lovelace");
    let found: Vec<Contact> = get_json(&router, "/api/contacts/search?q=5550142").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Grace Hopper");
}

async fn status_of(router: &Router, uri: &str) -> (StatusCode, String) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body: ApiErrorBody = serde_json::from_slice(&body).unwrap();
    (status, body.error)
}

/// `(e164 or raw, region, parse error, do not call)` of each number.
fn flags(contact: &Contact) -> Vec<(String, Option<String>, Option<String>, bool)> {
    contact
        .numbers
        .iter()
        .map(|n| {
            (
                n.e164.clone().unwrap_or_else(|| n.raw.clone()),
                n.region.clone(),
                n.parse_error.clone(),
                n.do_not_call,
            )
        })
        .collect()
}

#[tokio::test]
async fn a_do_not_call_column_lists_numbers_shown_on_every_contact_holding_them() {
    let t = test_db();
    let csv = "name,phone,mobile,email,Do Not Call\n\
               Ada,415 555 0123,+44 20 7946 0958,ada@x.example,yes\n\
               Grace,(415) 555-0123,,grace@x.example,\n\
               Alan,212 555 0100,,alan@x.example,no\n\
               Bea,ext 1,,bea@x.example,x\n";
    let report = t.import(csv.as_bytes()).await;
    assert_eq!((report.created, report.rejected.len()), (4, 0));
    let router = t.router().await;
    let s = |text: &str| Some(text.to_owned());
    let ada = vec![
        ("+14155550123".to_owned(), s("US"), None, true),
        ("+442079460958".to_owned(), s("GB"), None, true),
    ];
    // Grace holds Ada's first number, so it shows as do-not-call for her too.
    let grace = vec![("+14155550123".to_owned(), s("US"), None, true)];
    let alan = vec![("+12125550100".to_owned(), s("US"), None, false)];
    let bea = vec![("ext 1".to_owned(), None, s("fewer than 7 digits"), false)];

    let page: ContactsPage = get_json(&router, "/api/contacts").await;
    let listed: Vec<_> = page.contacts.iter().map(flags).collect();
    assert_eq!(listed, [ada.clone(), grace.clone(), alan, bea]);
    let found: Vec<Contact> = get_json(&router, "/api/contacts/search?q=ada").await;
    assert_eq!(flags(&found[0]), ada);
    let found: Vec<Contact> = get_json(&router, "/api/contacts/search?q=4155550123").await;
    assert_eq!(
        found.iter().map(flags).collect::<Vec<_>>(),
        [ada.clone(), grace.clone()]
    );
    let matched: ContactMatchResult = get_json(
        &router,
        "/api/contacts/match?number=%2B1%20415%20555%200123",
    )
    .await;
    assert_eq!(
        matched.contacts.iter().map(flags).collect::<Vec<_>>(),
        [ada.clone(), grace]
    );
    for contact in &page.contacts {
        let one: Contact = get_json(&router, &format!("/api/contacts/{}", contact.id)).await;
        assert_eq!(&one, contact);
    }
    // The wire form leaves out what is empty.
    let raw: serde_json::Value = get_json(&router, "/api/contacts").await;
    assert_eq!(raw["contacts"][0]["numbers"][0]["doNotCall"], true);
    assert_eq!(raw["contacts"][0]["numbers"][1]["region"], "GB");
    assert!(raw["contacts"][2]["numbers"][0].get("doNotCall").is_none());
    assert_eq!(
        raw["contacts"][3]["numbers"][0]["parseError"],
        "fewer than 7 digits"
    );

    // Any other value leaves the list alone: Ada's numbers stay listed.
    let again = "name,phone,email,dnc\nAda,415 555 0123,ada@x.example,no\n";
    assert_eq!(t.import(again.as_bytes()).await.updated, 1);
    let one: Contact = get_json(&router, &format!("/api/contacts/{}", page.contacts[0].id)).await;
    assert!(one.numbers[0].do_not_call);
}

#[tokio::test]
async fn one_contact_by_id() {
    let t = test_db();
    t.import(b"name,phone\nAda,415 555 0123\n").await;
    let router = t.router().await;
    let ada: Contact = get_json(&router, "/api/contacts/1").await;
    assert_eq!(ada.name, "Ada");
    assert_eq!(
        status_of(&router, "/api/contacts/2").await,
        (StatusCode::NOT_FOUND, "no contact with id 2".to_owned())
    );
    for bad in ["0", "-1", "abc", "1.5", "99999999999999999999"] {
        let (status, error) = status_of(&router, &format!("/api/contacts/{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error, "the contact id must be a whole number, 1 or more");
    }
}

fn binary(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_clear()
        .current_dir(dir)
        .env("DIALDESK_DIST", dir.join("dist"))
        .env("DIALDESK_DB", dir.join("data/dialdesk.db"))
        .stdin(Stdio::null());
    command
}

#[test]
fn the_binary_imports_and_refuses_unreadable_files() {
    let t = test_db();
    let dir = t.dir.path();
    std::fs::write(
        dir.join("contacts.csv"),
        "name;phone\nAda;415 555 0101\nBad;x;y\n",
    )
    .unwrap();
    let output = binary(dir, &["import", "contacts.csv"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "imported 1 (created 1, updated 0), rejected 1, warnings 0\n\
         line 3: rejected: 3 fields where the header has 2\n"
    );
    assert!(stderr.is_empty(), "{stderr}");

    std::fs::write(dir.join("notes.csv"), "company,notes\nAcme,x\n").unwrap();
    for file in ["notes.csv", "missing.csv"] {
        let output = binary(dir, &["import", file]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(output.stdout.is_empty());
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(
            lines[0].starts_with("dialdesk-proxy: error: ") && lines[0].contains(file),
            "{stderr}"
        );
    }
    // Still just Ada.
    let db = Db::open(&dir.join("data/dialdesk.db")).unwrap();
    let count: i64 = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(db.read(|conn| {
            Ok(conn.query_row("SELECT COUNT(*) FROM contacts", [], |row| row.get(0))?)
        }))
        .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn a_file_over_the_row_cap_is_refused_before_anything_is_written() {
    use dialdesk_proxy::import::{prepare_at_most, ImportError};
    use dialdesk_proxy::phone::Region;
    let us = Region::parse("US").unwrap();
    let file = b"name,phone\nAda,415 555 0123\nGrace,415 555 0124\nAlan,415 555 0125\n";
    let file = || std::io::Cursor::new(&file[..]);
    assert_eq!(prepare_at_most(file(), us, 3).unwrap().len(), 3);
    let refused = prepare_at_most(file(), us, 2).unwrap_err();
    assert!(matches!(refused, ImportError::TooManyRows(2)));
    assert_eq!(
        refused.to_string(),
        "the file has more than 2 rows; split it into files of at most 2 rows"
    );
}
