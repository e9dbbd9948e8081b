//! Versioned schema migrations, tracked with `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;

use super::DbError;

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

/// Every migration in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[V1];

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
    for (version, sql) in (1..).zip(MIGRATIONS).skip(found as usize) {
        tx.execute_batch(sql)
            .and_then(|()| tx.pragma_update(None, "user_version", version))
            .map_err(|source| migrate_error(version, source))?;
        tracing::info!(version, "database schema migrated");
    }
    tx.commit().map_err(|source| migrate_error(LATEST, source))
}
