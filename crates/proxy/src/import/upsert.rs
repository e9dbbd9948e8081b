//! Creating or updating one imported contact.
//!
//! The key is the first the row has: its external id, else its e-mail address
//! (trimmed, ASCII lower-case), else its E.164 numbers. No match creates a
//! contact, one match replaces that contact's fields and numbers (except those a
//! person edited since this source last wrote them, which are kept), more than
//! one is ambiguous and changes nothing.

use std::collections::BTreeSet;

use rusqlite::Connection;

use crate::db::contact_sources::{self, Kept, FIELDS};
use crate::db::contacts::{self, NewContact};
use crate::db::DbError;

/// What happened to a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new contact was added.
    Created,
    /// An existing contact was updated; these fields a person edited were kept.
    Updated(Vec<Kept>),
    /// The row matches this many existing contacts by `key`; nothing changed.
    Ambiguous {
        /// The key that matched: "e-mail address" or "phone number".
        key: &'static str,
        /// How many contacts it matched.
        count: usize,
    },
}

/// The contacts `contact` matches, and the name of the key that found them.
fn matches(
    conn: &Connection,
    contact: &NewContact,
) -> Result<(BTreeSet<i64>, &'static str), DbError> {
    if let Some(external_id) = &contact.external_id {
        let ids = conn
            .prepare_cached("SELECT id FROM contacts WHERE external_id = ?1")?
            .query_map([external_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        return Ok((ids, "external id"));
    }
    if let Some(email) = &contact.email {
        let ids = conn
            .prepare_cached("SELECT id FROM contacts WHERE lower(trim(email)) = ?1")?
            .query_map([email.trim().to_ascii_lowercase()], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        return Ok((ids, "e-mail address"));
    }
    let mut ids = BTreeSet::new();
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT contact_id FROM contact_numbers WHERE e164 = ?1")?;
    for e164 in contact.numbers.iter().filter_map(|n| n.e164.as_deref()) {
        for id in stmt.query_map([e164], |row| row.get(0))? {
            ids.insert(id?);
        }
    }
    Ok((ids, "phone number"))
}

/// Creates or updates the contact `contact` stands for, as delivered by `source`
/// (`file:NAME` or `zoom`). Runs inside the caller's transaction.
pub fn upsert(conn: &Connection, contact: &NewContact, source: &str) -> Result<Outcome, DbError> {
    let (ids, key) = matches(conn, contact)?;
    let mut ids = ids.into_iter();
    match (ids.next(), ids.len()) {
        (None, _) => {
            let id = contacts::insert(conn, contact)?;
            contact_sources::note_source(conn, id, source, &FIELDS, 1)?;
            Ok(Outcome::Created)
        }
        (Some(id), 0) => {
            let stored = contacts::get(conn, id)?
                .ok_or(DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))?;
            let (merged, taken, kept) = contact_sources::merge(conn, &stored, contact, source)?;
            let version = if contacts::same_content(&stored, &merged) {
                contacts::set_origin(conn, id, &merged)?;
                stored.version
            } else {
                contacts::replace(conn, id, &merged)?;
                stored.version + 1
            };
            contact_sources::note_source(conn, id, source, &taken, version)?;
            Ok(Outcome::Updated(kept))
        }
        (Some(_), more) => Ok(Outcome::Ambiguous {
            key,
            count: more + 1,
        }),
    }
}
