//! Versioned schema migrations, tracked with `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;

use super::{backfill, DbError};

/// Schema v1: contacts, their numbers, and settings (the session signing key).
const V1: &str = "
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    company     TEXT,
    title       TEXT,
    email       TEXT,
    time_zone   TEXT,
    owner       TEXT,
    external_id TEXT UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE contact_numbers (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL,
    raw         TEXT NOT NULL,
    e164        TEXT,
    region      TEXT,
    parse_error TEXT
);
CREATE INDEX contact_numbers_contact_id ON contact_numbers (contact_id);
CREATE INDEX contact_numbers_e164 ON contact_numbers (e164);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
";

/// Schema v2: the call journal, and full-text search over contacts (FTS5 over
/// name, company and e-mail, kept in step by triggers and filled from the rows
/// that already exist).
const V2: &str = "
CREATE TABLE call_events (
    id           INTEGER PRIMARY KEY,
    event_key    TEXT UNIQUE NOT NULL,
    kind         TEXT NOT NULL,
    call_id      TEXT NOT NULL,
    root_call_id TEXT NOT NULL,
    payload      TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    session_id   TEXT
);
CREATE INDEX call_events_root_call_id ON call_events (root_call_id);
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
    name, company, email,
    content = 'contacts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER contacts_fts_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, name, company, email)
    VALUES (new.id, new.name, new.company, new.email);
END;
CREATE TRIGGER contacts_fts_after_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, company, email)
    VALUES ('delete', old.id, old.name, old.company, old.email);
END;
CREATE TRIGGER contacts_fts_after_update AFTER UPDATE OF id, name, company, email ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, company, email)
    VALUES ('delete', old.id, old.name, old.company, old.email);
    INSERT INTO contacts_fts (rowid, name, company, email)
    VALUES (new.id, new.name, new.company, new.email);
END;
INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');
";

/// Schema v3: an index on the normalised e-mail (trimmed, ASCII lower-case),
/// the key the CSV importer matches contacts by when a row has no external id.
const V3: &str = "
CREATE INDEX contacts_email_key ON contacts (lower(trim(email)));
";

/// Schema v4: the do-not-call list, one row per E.164 number (the flag belongs
/// to the number, whichever contacts hold it), and the numbers indexed in
/// display order per contact (replacing the index on the contact id alone), so
/// reading a page of contacts needs no sort.
const V4: &str = "
CREATE TABLE do_not_call (
    e164       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;
DROP INDEX contact_numbers_contact_id;
CREATE INDEX contact_numbers_contact_position ON contact_numbers (contact_id, position);
";

/// Schema v5: call logs, one per root call id. `version` counts the saves that
/// changed `content`, the canonical JSON of what was saved (compared to
/// recognise an identical retry); the other columns hold the same values to
/// read. Recordings and voicemails stay in `call_events`.
const V5: &str = "
CREATE TABLE call_logs (
    root_call_id  TEXT PRIMARY KEY,
    version       INTEGER NOT NULL CHECK (version >= 1),
    content       TEXT NOT NULL,
    disposition   TEXT NOT NULL,
    notes         TEXT NOT NULL,
    fields        TEXT NOT NULL,
    contact_id    INTEGER,
    direction     TEXT,
    number        TEXT,
    duration_secs INTEGER,
    result        TEXT,
    saved_at      TEXT NOT NULL,
    session_id    TEXT
) WITHOUT ROWID;
";

/// Schema v6: call logs indexed by when they were saved (the listing and the
/// CSV export read a range of days in that order), and the contact each user
/// picked for a number that several contacts hold. `user_key` is the session
/// id for now; a pick goes with its contact.
const V6: &str = "
CREATE INDEX call_logs_saved_at ON call_logs (saved_at, root_call_id);
CREATE TABLE contact_picks (
    user_key   TEXT NOT NULL,
    e164       TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    picked_at  TEXT NOT NULL,
    PRIMARY KEY (user_key, e164)
) WITHOUT ROWID;
CREATE INDEX contact_picks_contact_id ON contact_picks (contact_id);
";

/// Schema v7: sign-in with Zoom. `zoom_users` holds what Zoom said about each
/// user who signed in; `zoom_tokens` their OAuth pair (rotated in one
/// transaction on refresh); `user_sessions` the signed-in sessions (the cookie
/// carries the id); `oauth_pending` each sign-in between the redirect to Zoom
/// and the callback (single use). Call logs record the user who saved them.
const V7: &str = "
CREATE TABLE zoom_users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    profile       TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE zoom_tokens (
    user_id       TEXT PRIMARY KEY REFERENCES zoom_users (id) ON DELETE CASCADE,
    access_token  TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,
    scope         TEXT NOT NULL,
    api_url       TEXT,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE user_sessions (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES zoom_users (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX user_sessions_user_id ON user_sessions (user_id);
CREATE TABLE oauth_pending (
    state         TEXT PRIMARY KEY,
    verifier      TEXT NOT NULL,
    browser_key   TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) WITHOUT ROWID;
ALTER TABLE call_logs ADD COLUMN saved_by TEXT;
";

/// Version 8: a journalled event names the contact its call was tied to when the app
/// knew it (placed from that contact, or picked for it), so a call not yet logged
/// shows on that contact's row alone.
const V8: &str = "
ALTER TABLE call_events ADD COLUMN contact_id INTEGER;
";

/// Version 9: each number keeps how it reads, grouped for its country; the numbers
/// already stored get theirs from their E.164 form.
const V9: &str = "
ALTER TABLE contact_numbers ADD COLUMN display TEXT;
";

/// Version 10: a journalled event names the Zoom user who sent it (the party to the
/// call the roles check), filled in for earlier events whose session is still known;
/// call logs are read by who saved them (a rep's own, a team's).
const V10: &str = "
ALTER TABLE call_events ADD COLUMN user_id TEXT;
UPDATE call_events SET user_id =
    (SELECT s.user_id FROM user_sessions s WHERE s.id = call_events.session_id)
    WHERE user_id IS NULL;
CREATE INDEX call_logs_saved_by ON call_logs (saved_by, saved_at);
";

/// Version 11: the audit log, and the journal read by age (the retention purge).
const V11: &str = "
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user_id TEXT,
    email   TEXT,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX call_events_recorded_at ON call_events (recorded_at);
";

/// Version 12: the Last call column kept per call and per number as events and
/// logs arrive (`db::call_context`), built once from the journal.
const V12: &str = "
CREATE TABLE call_summaries (
    root_call_id TEXT PRIMARY KEY,
    number       TEXT,
    ringing_at   TEXT,
    first_at     TEXT,
    result       TEXT,
    contact_id   INTEGER
) WITHOUT ROWID;
CREATE INDEX call_summaries_number ON call_summaries (number);
CREATE TABLE call_context (
    number           TEXT NOT NULL,
    contact_key      INTEGER NOT NULL,
    attempts         INTEGER NOT NULL,
    last_at          TEXT,
    last_result      TEXT,
    last_disposition TEXT,
    PRIMARY KEY (number, contact_key)
) WITHOUT ROWID;
CREATE INDEX call_context_last_at ON call_context (last_at, number, contact_key);
CREATE INDEX call_logs_number ON call_logs (number);
";

/// Version 13: a version on each contact, raised by every change (edits name the
/// version they started from).
const V13: &str = "
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
";

/// Version 14: which fields of a contact a person edited, and which each source (a
/// CSV file by name, or Zoom) last wrote, both stamped with the contact's version
/// (`db::contact_sources`).
const V14: &str = "
CREATE TABLE contact_field_edits (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    field      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (contact_id, field)
) WITHOUT ROWID;
CREATE TABLE contact_field_sources (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    field      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (contact_id, field, source)
) WITHOUT ROWID;
";

/// A schema change, then an optional fix of the data already there.
struct Migration {
    sql: &'static str,
    fix: Option<fn(&Connection) -> rusqlite::Result<()>>,
}

/// Every migration in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration { sql: V1, fix: None },
    Migration { sql: V2, fix: None },
    Migration { sql: V3, fix: None },
    Migration {
        sql: V4,
        fix: Some(backfill::regions_and_zones),
    },
    Migration { sql: V5, fix: None },
    Migration { sql: V6, fix: None },
    Migration { sql: V7, fix: None },
    Migration { sql: V8, fix: None },
    Migration {
        sql: V9,
        fix: Some(backfill::displays),
    },
    Migration {
        sql: V10,
        fix: None,
    },
    Migration {
        sql: V11,
        fix: None,
    },
    Migration {
        sql: V12,
        fix: Some(super::call_context::rebuild),
    },
    Migration {
        sql: V13,
        fix: None,
    },
    Migration {
        sql: V14,
        fix: None,
    },
];

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// Applies every pending migration in one transaction.
pub fn run(conn: &mut Connection, path: &Path) -> Result<(), DbError> {
    let migrate_error = |version, source| DbError::Migrate {
        path: path.to_owned(),
        version,
        source,
    };
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|source| migrate_error(LATEST, source))?;
    let found: u32 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|source| migrate_error(LATEST, source))?;
    if found > LATEST {
        return Err(DbError::TooNew {
            path: path.to_owned(),
            found,
            known: LATEST,
        });
    }
    for (version, migration) in (1..).zip(MIGRATIONS).skip(found as usize) {
        tx.execute_batch(migration.sql)
            .and_then(|()| migration.fix.map_or(Ok(()), |fix| fix(&tx)))
            .and_then(|()| tx.pragma_update(None, "user_version", version))
            .map_err(|source| migrate_error(version, source))?;
        tracing::info!(version, "database schema migrated");
    }
    tx.commit().map_err(|source| migrate_error(LATEST, source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::contacts::insert_if_absent;
    use crate::db::{search, Db};
    use crate::seed::demo_contact;

    #[tokio::test]
    async fn a_v1_database_migrates_to_v2_and_its_contacts_become_searchable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        for index in 1..=40 {
            // As the v1 build wrote them.
            let contact = demo_contact(index);
            conn.execute(
                "INSERT INTO contacts (name, company, email, external_id) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    contact.name,
                    contact.company,
                    contact.email,
                    contact.external_id
                ],
            )
            .unwrap();
            let id = conn.last_insert_rowid();
            for (position, number) in (0_i64..).zip(&contact.numbers) {
                conn.execute(
                    "INSERT INTO contact_numbers (contact_id, position, label, raw, e164)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![id, position, number.label, number.raw, number.e164],
                )
                .unwrap();
            }
        }
        drop(conn);

        let db = Db::open(&path).unwrap();
        let (version, contacts, journal): (u32, i64, i64) = db
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT (SELECT user_version FROM pragma_user_version),
                            (SELECT COUNT(*) FROM contacts),
                            (SELECT COUNT(*) FROM call_events)",
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )?)
            })
            .await
            .unwrap();
        assert_eq!((version, contacts, journal), (LATEST, 40, 0));

        let found = db
            .read(|conn| search::search(conn, "lovelace", 20))
            .await
            .unwrap();
        let first = demo_contact(1);
        assert!(!found.is_empty());
        assert!(found.iter().all(|c| c.name.ends_with(" Lovelace")));
        let ada = found.iter().find(|c| c.name == first.name).unwrap();
        assert_eq!(ada.email, first.email);
        assert_eq!(ada.numbers[0].e164, first.numbers[0].e164);
        assert_eq!(
            ada.numbers[0].display, first.numbers[0].display,
            "the numbers already stored are given how they read"
        );
        // Rows added after the migration are indexed by the triggers.
        db.write(|conn| insert_if_absent(conn, &demo_contact(41)))
            .await
            .unwrap();
        let name = demo_contact(41).name;
        let query = name.clone();
        let found = db
            .read(move |conn| search::search(conn, &query, 20))
            .await
            .unwrap();
        assert!(found.iter().any(|c| c.name == name), "{name}");
    }

    #[tokio::test]
    async fn a_v3_database_gets_its_numbers_own_regions_and_settled_zones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.db");
        let mut conn = Connection::open(&path).unwrap();
        for migration in &MIGRATIONS[..3] {
            conn.execute_batch(migration.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        // As the v3 importer stored them: the default region on every number.
        let tx = conn.transaction().unwrap();
        tx.execute_batch(
            "INSERT INTO contacts (id, name, time_zone) VALUES
                 (1, 'Zoë', NULL), (2, 'Bob', NULL), (3, 'Dan', 'Asia/Tokyo'), (4, 'Eve', NULL);
             INSERT INTO contact_numbers (contact_id, position, label, raw, e164, region, parse_error) VALUES
                 (1, 0, 'work', 'ext 1', NULL, NULL, 'fewer than 7 digits'),
                 (1, 1, 'work', '+44 20 7946 0958', '+442079460958', 'US', NULL),
                 (2, 0, 'work', '415 555 0123', '+14155550123', 'US', NULL),
                 (3, 0, 'work', '+33 6 12 34 56 78', '+33612345678', 'US', NULL);",
        )
        .unwrap();
        tx.commit().unwrap();
        drop(conn);

        let db = Db::open(&path).unwrap();
        let (regions, zones): (Vec<Option<String>>, Vec<Option<String>>) = db
            .read(|conn| {
                let regions = conn
                    .prepare("SELECT region FROM contact_numbers ORDER BY id")?
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<_, _>>()?;
                let zones = conn
                    .prepare("SELECT time_zone FROM contacts ORDER BY id")?
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<_, _>>()?;
                Ok((regions, zones))
            })
            .await
            .unwrap();
        let s = |text: &str| Some(text.to_owned());
        assert_eq!(regions, [None, s("GB"), s("US"), s("FR")]);
        assert_eq!(zones, [s("Europe/London"), None, s("Asia/Tokyo"), None]);
    }

    #[tokio::test]
    async fn a_v11_journal_gets_its_last_call_column_built() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v11.db");
        let conn = Connection::open(&path).unwrap();
        for migration in &MIGRATIONS[..11] {
            conn.execute_batch(migration.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 11).unwrap();
        conn.execute_batch(
            r#"INSERT INTO call_events (event_key, kind, call_id, root_call_id, payload, recorded_at)
               VALUES
                 ('c1:ring', 'zp-call-ringing-event', 'c1', 'c1',
                  '{"direction":"inbound","dateTime":"2026-11-02T09:00:00Z","caller":{"number":"+14155550123"}}', 'x'),
                 ('c1:end', 'zp-call-ended-event', 'c1', 'c1',
                  '{"direction":"inbound","dateTime":"2026-11-02T09:01:00Z","result":"missed"}', 'x'),
                 ('c2:ring', 'zp-call-ringing-event', 'c2', 'c2',
                  '{"direction":"outbound","dateTime":"2026-11-02T11:00:00Z","callee":{"phoneNumber":"+14155550123"}}', 'x'),
                 ('c2_1:conn', 'zp-call-connected-event', 'c2_1', 'c2',
                  '{"direction":"inbound","dateTime":"2026-11-02T11:05:00Z","caller":{"number":"+19995550100"}}', 'x'),
                 ('bad', 'zp-call-ringing-event', 'c3', 'c3', 'not json', 'x');
               INSERT INTO call_logs (root_call_id, version, content, disposition, notes, fields,
                                      number, saved_at)
               VALUES ('c1', 1, 'c', 'interested', '', '{}', '+14155550123', 'x');"#,
        )
        .unwrap();
        drop(conn);

        let db = Db::open(&path).unwrap();
        let context = db
            .read(|conn| Ok(super::super::call_context::read(conn)?))
            .await
            .unwrap();
        assert_eq!(
            context,
            [dialdesk_contract::CallContext {
                number: "+14155550123".into(),
                contact_id: None,
                attempts: 2,
                last_at: Some("2026-11-02T11:00:00Z".into()),
                last_result: None,
                last_disposition: Some("interested".into()),
            }]
        );
    }
}
